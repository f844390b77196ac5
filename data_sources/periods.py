"""Periods in the loader's syntax: ``2024`` (year), ``2024-Q3`` (quarter), ``2024-09`` (month).

A period is identified by its label and its first day (``period_start``). Frequencies: ``Y``, ``Q``, ``M``.
"""

from __future__ import annotations

import datetime as dt
import re

FREQUENCIES = ("Y", "Q", "M")
_LABEL = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")


def period_label(start: dt.date, frequency: str) -> str:
    """The label of the period of ``frequency`` that contains ``start``."""
    if frequency == "Y":
        return f"{start.year}"
    if frequency == "Q":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if frequency == "M":
        return f"{start.year}-{start.month:02d}"
    raise ValueError(f"unknown frequency {frequency!r}")


def period_start(label: str) -> dt.date:
    """First day of the period a label names (``2024-Q3`` -> 2024-07-01)."""
    match = _LABEL.match(label.strip())
    if not match:
        raise ValueError(f"not a period label: {label!r}")
    year = int(match["year"])
    if match["quarter"]:
        return dt.date(year, 3 * int(match["quarter"]) - 2, 1)
    return dt.date(year, int(match["month"] or 1), 1)


def label_frequency(label: str) -> str:
    """``Y``, ``Q`` or ``M`` for a label."""
    match = _LABEL.match(label.strip())
    if not match:
        raise ValueError(f"not a period label: {label!r}")
    return "Q" if match["quarter"] else "M" if match["month"] else "Y"


def period_end(start: dt.date, frequency: str) -> dt.date:
    """Last day of the period of ``frequency`` starting on ``start``."""
    months = {"Y": 12, "Q": 3, "M": 1}[frequency]
    month_index = start.month - 1 + months
    next_start = dt.date(start.year + month_index // 12, month_index % 12 + 1, 1)
    return next_start - dt.timedelta(days=1)


def periods_between(first: dt.date, last: dt.date, frequency: str) -> list[dt.date]:
    """Starts of every period of ``frequency`` from the one containing ``first`` to the one containing ``last``."""
    start = period_start(period_label(first, frequency))
    out = []
    while start <= last:
        out.append(start)
        start = period_end(start, frequency) + dt.timedelta(days=1)
    return out
