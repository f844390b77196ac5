"""Freshness of an indicator's data: is the next value overdue?

    next_due = end of the period after the latest one + publication lag (days)

- ``fresh``: ``today <= next_due`` (the next value is not yet due);
- ``late``: ``next_due < today <= next_due + grace_days``;
- ``stale``: ``today > next_due + grace_days``;
- ``no_data``: no value at all (``next_due`` is None).

``days_overdue = max(0, today - next_due)``. The publication lag defaults by frequency to
:data:`PUBLICATION_LAG_DAYS` (when statistics are normally out); pass the indicator's own
when it is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from kpi.periods import Frequency, as_date, check_frequency, period_end, shift_period

FreshnessState = Literal["fresh", "late", "stale", "no_data"]

FRESHNESS_STATES: tuple[str, ...] = ("fresh", "late", "stale", "no_data")

PUBLICATION_LAG_DAYS: dict[str, int] = {"Y": 120, "Q": 45, "M": 30}


@dataclass(frozen=True)
class Freshness:
    """The state, the date the next value is (was) due, and the days it is overdue (0 if not)."""

    state: FreshnessState
    next_due: date | None
    days_overdue: int


def freshness(
    *,
    frequency: Frequency,
    latest_period_start: date | None,
    grace_days: int,
    today: date,
    publication_lag_days: int | None = None,
) -> Freshness:
    """The freshness as of ``today``; rules in the module docstring."""
    check_frequency(frequency)
    if grace_days < 0:
        raise ValueError("grace_days must not be negative")
    if latest_period_start is None:
        return Freshness("no_data", None, 0)
    lag = PUBLICATION_LAG_DAYS[frequency] if publication_lag_days is None else publication_lag_days
    next_period = shift_period(latest_period_start, frequency, 1)
    next_due = period_end(next_period, frequency) + timedelta(days=lag)
    overdue = (as_date(today) - next_due).days
    if overdue <= 0:
        return Freshness("fresh", next_due, 0)
    return Freshness("late" if overdue <= grace_days else "stale", next_due, overdue)
