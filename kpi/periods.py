"""Calendar arithmetic on reporting periods.

A period is given by its first day (``period_start``) and the indicator's frequency:
``"Y"`` (calendar year), ``"Q"`` (calendar quarter) or ``"M"`` (calendar month).
Period labels follow the loader's syntax: ``2024``, ``2024-Q3``, ``2024-09``.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import Literal

import pandas as pd

Frequency = Literal["Y", "Q", "M"]

MONTHS_PER_PERIOD: dict[str, int] = {"Y": 12, "Q": 3, "M": 1}


def check_frequency(frequency: str) -> None:
    """Raise ValueError unless ``frequency`` is ``"Y"``, ``"Q"`` or ``"M"``."""
    if frequency not in MONTHS_PER_PERIOD:
        raise ValueError(f"frequency must be one of Y, Q, M, not {frequency!r}")


def as_date(value: date | datetime | pd.Timestamp) -> date:
    """The calendar date of a date, datetime or pandas Timestamp (time of day dropped)."""
    if isinstance(value, datetime):  # pd.Timestamp is a datetime
        return value.date()
    return value


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, the day of month clipped to the target month's length."""
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def decimal_year(day: date | datetime | pd.Timestamp) -> float:
    """Time in years on a calendar-month scale: each month a twelfth of a year, each day a fraction
    of its month. The end of 31 December 2024 is 2025.0; the end of 30 June 2024 is 2024.5."""
    day = as_date(day)
    return day.year + (day.month - 1 + day.day / calendar.monthrange(day.year, day.month)[1]) / 12


def period_containing(day: date | datetime | pd.Timestamp, frequency: Frequency) -> date:
    """First day of the period of ``frequency`` that contains ``day``."""
    check_frequency(frequency)
    day = as_date(day)
    months = MONTHS_PER_PERIOD[frequency]
    first_month = (day.month - 1) // months * months + 1
    return date(day.year, first_month, 1)


def shift_period(period_start: date | datetime | pd.Timestamp, frequency: Frequency, periods: int) -> date:
    """First day of the period ``periods`` steps after (negative: before) the given one."""
    check_frequency(frequency)
    return add_months(as_date(period_start), MONTHS_PER_PERIOD[frequency] * periods)


def period_end(period_start: date | datetime | pd.Timestamp, frequency: Frequency) -> date:
    """Last day of the period: e.g. ``2024-07-01`` with ``"Q"`` -> ``2024-09-30``."""
    return date.fromordinal(shift_period(period_start, frequency, 1).toordinal() - 1)


def period_label(period_start: date | datetime | pd.Timestamp, frequency: Frequency) -> str:
    """The loader's label of a period: ``2024`` (Y), ``2024-Q3`` (Q), ``2024-09`` (M)."""
    check_frequency(frequency)
    day = as_date(period_start)
    if frequency == "Y":
        return f"{day.year}"
    if frequency == "Q":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def previous_quarter_end(today: date) -> date:
    """Last day of the calendar quarter before the one containing ``today``."""
    return date.fromordinal(period_containing(today, "Q").toordinal() - 1)


def period_starts(days: pd.Series, frequency: Frequency) -> pd.Series:
    """Vectorised :func:`period_containing`: the first day (datetime64) of each date's period."""
    check_frequency(frequency)
    return pd.to_datetime(days).dt.to_period(frequency).dt.start_time
