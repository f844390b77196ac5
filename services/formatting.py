"""Figures, periods, dates and statuses in words: the one way natije writes a value, for the pages,
the briefing pack and the exports alike. Pure functions of a value and the translator ``t``
(no Dash, no store)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Mapping

import numpy as np
import pandas as pd

from services.i18n import Translator

Row = Mapping[str, Any] | pd.Series

#: Units whose values are money in tenge (formatted with ``t.money``: "1,2 трлн ₸").
MONEY_UNITS = frozenset({"kzt", "tenge", "₸"})


def is_missing(value: Any) -> bool:
    """None, NaN, ``pd.NA`` or ``pd.NaT``: no value to print."""
    if value is None:
        return True
    if isinstance(value, (str, list, tuple, dict, set, np.ndarray, pd.Series)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def val(row: Row | None, key: str, default: Any = None) -> Any:
    """``row[key]``, or ``default`` when the key is missing or the value is None / NaN / NA / NaT."""
    if row is None:
        return default
    try:
        value = row[key]
    except (KeyError, IndexError, TypeError):
        return default
    return default if is_missing(value) else value


def finite(value: Any) -> float | None:
    """``value`` as a float, or None when it is missing, not a number or NaN."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def as_int(value: Any, default: int = 0) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(number) else int(number)


def format_value(value: Any, t: Translator, *, unit: str | None = None, decimals: Any = 1) -> str:
    """A figure in the locale: money units through ``t.money``, others with ``decimals`` places."""
    if value is None:
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "–"
    if unit and str(unit).lower() in MONEY_UNITS:
        return t.money(number)
    places = as_int(decimals, 1)
    return t.number(number, max(0, min(places, 4)))


def unit_text(row: Row) -> str:
    """The unit to print after a figure (money units print their own ₸)."""
    unit = val(row, "unit")
    if unit and str(unit).lower() in MONEY_UNITS:
        return ""
    return str(val(row, "unit_label") or unit or "")


def period_text(label: Any, t: Translator) -> str:
    """A period label (``2024``, ``2024-Q3``, ``2024-07``) in words of the locale."""
    if label is None or (isinstance(label, float) and math.isnan(label)):
        return "–"
    text = str(label).strip()
    try:
        if len(text) == 4 and text.isdigit():
            return t("period.year", year=text)
        year, rest = text.split("-", 1)
        if rest.upper().startswith("Q"):
            quarter = int(rest[1:])
            if quarter not in (1, 2, 3, 4):
                return text
            return t("period.quarter", year=year, quarter=quarter)
        return t.date(dt.date(int(year), int(rest), 1), "LLLL y")
    except ValueError:
        return text


def date_text(value: Any, t: Translator) -> str:
    """A date (date, datetime, Timestamp or ISO string) in the locale's medium format."""
    if value is None:
        return "–"
    try:
        if isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        elif isinstance(value, pd.Timestamp):
            if pd.isna(value):
                return "–"
            value = value.date()
        elif isinstance(value, dt.datetime):
            value = value.date()
    except ValueError:
        return str(value)
    if not isinstance(value, dt.date):
        return "–"
    return t.date(value)


def status_name(status: str | None, t: Translator) -> str:
    return t(f"status.{status or 'no_data'}")


def reason_only(reason: Any, status: str | None, t: Translator) -> str:
    """The reason without a leading "<status name>: " (the badge beside it already says the status)."""
    if not reason:
        return ""
    text = str(reason)
    prefix = status_name(status, t) + ":"
    return text[len(prefix):].strip() if text.startswith(prefix) else text


def status_title(status: str | None, reason: Any, t: Translator) -> str:
    """The hover text of a status: "<status name>: <reason>" (once, whether or not the reason has it)."""
    name = status_name(status, t)
    rest = reason_only(reason, status, t)
    return f"{name}: {rest}" if rest else name
