"""Shared helpers of the demo generator: seeded random streams, dates, texts, facts."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from data_sources.periods import period_end, period_label, periods_between

FACTS_PATH = Path(__file__).resolve().parent.parent / "facts" / "kz-facts.yaml"
FACTS_REF = "data_sources/facts/kz-facts.yaml"
LOCALES = ("kk", "ru", "en")
SYNTHETIC = "synthetic"
#: Publication hour: values and decisions become known at 10:00 in Astana/Almaty (UTC+5).
ALMATY_OFFSET = dt.timedelta(hours=5)
REFORM = dt.date(2022, 6, 8)
#: First period start from which the regions created by the 2022 reform report their own values.
REFORM_REPORTING = dt.date(2022, 7, 1)
NEW_REGIONS = {"ABY": "EKR", "JTS": "ALR", "ULY": "KGD"}  # new region -> predecessor
FIRST_YEAR = 2019


class Streams:
    """Independent, named random streams from one seed: adding draws to one part of the generator
    never shifts the values of another."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)

    def __call__(self, name: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, zlib.crc32(name.encode("utf-8"))])


@lru_cache(maxsize=1)
def facts() -> dict[str, Any]:
    with FACTS_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def at_ten(day: dt.date) -> dt.datetime:
    """10:00 Asia/Almaty on ``day`` as an aware UTC datetime (05:00Z): how the store keeps instants."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc) + dt.timedelta(hours=10) - ALMATY_OFFSET


def texts(kk: str, ru: str, en: str) -> dict[str, str]:
    return {"kk": kk, "ru": ru, "en": en}


def origin(kind: str | dict[str, str]) -> dict[str, str]:
    if isinstance(kind, dict):
        return dict(kind)
    return {loc: kind for loc in LOCALES}


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = period_end(dt.date(year, month, 1), "M").day
    return dt.date(year, month, min(day.day, last))


def month_start(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, 1)


def year_fraction(day: dt.date) -> float:
    """Decimal year of a date (2023-07-02 -> ~2023.5)."""
    start = dt.date(day.year, 1, 1)
    days = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / days


def to_date(value: float) -> dt.date:
    """Inverse of :func:`year_fraction`."""
    year = int(np.floor(value))
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    return start + dt.timedelta(days=int(round((value - year) * days)))


def period_starts(frequency: str, first: dt.date, last: dt.date) -> list[dt.date]:
    return periods_between(first, last, frequency)


def label(start: dt.date, frequency: str) -> str:
    return period_label(start, frequency)


def parse_kzt(text: Any) -> float | None:
    """A budget from the facts ("> 3.6 trn", "119 bn (...)", 8455329919000) in tenge, or None."""
    if text is None:
        return None
    if isinstance(text, (int, float)):
        return float(text)
    match = re.search(r"(\d+(?:[.,]\d+)?)\s*(trn|bn)", str(text))
    if not match or str(text).strip().upper().startswith(("NOT FOUND", "TOTAL NOT FOUND")):
        return None
    return float(match.group(1).replace(",", ".")) * (1e12 if match.group(2) == "trn" else 1e9)


def ascii_code(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_")
