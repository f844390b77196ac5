"""The target trajectory: where the indicator should be on a given date.

A trajectory is a DataFrame with columns ``year`` (int) and ``value`` (float): the target for each
year. A yearly target applies at the END of its year (31 December). The expected value on a date
is the linear interpolation between the baseline (at ``baseline_date``) and the successive yearly
targets, in time on the calendar-month scale of :func:`kpi.periods.decimal_year` (so the end of
June is halfway through a year); before the baseline date it is the baseline, after the last
target year the final target.
Yearly targets dated on or before the baseline date are ignored (they are already history).

    expected_progress = progress(expected_value, baseline, target, direction)

i.e. the same formula as :func:`kpi.progress.progress`, applied to the expected value.
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd

from kpi._values import float_or_none
from kpi.periods import decimal_year
from kpi.progress import Direction, progress


def expected_value(
    trajectory: pd.DataFrame,
    baseline_value: float | None,
    baseline_date: date | datetime,
    on: date | datetime,
) -> float | None:
    """Value the trajectory expects on ``on`` (indicator units); None without baseline or targets.

    Raises ValueError when a year appears twice in the trajectory.
    """
    baseline = float_or_none(baseline_value)
    targets = trajectory.dropna(subset=["year", "value"]).sort_values("year")
    if baseline is None or targets.empty:
        return None
    if targets["year"].duplicated().any():
        raise ValueError("the trajectory has more than one target for a year")
    start = decimal_year(baseline_date)
    ends = targets["year"].to_numpy(dtype=float) + 1.0  # 31 December of the year
    values = targets["value"].to_numpy(dtype=float)
    ahead = ends > start
    if not ahead.any():
        return float(values[-1])
    knots_x = np.concatenate(([start], ends[ahead]))
    knots_y = np.concatenate(([baseline], values[ahead]))
    return float(np.interp(decimal_year(on), knots_x, knots_y))


def expected_progress(
    trajectory: pd.DataFrame,
    baseline_value: float | None,
    baseline_date: date | datetime,
    on: date | datetime,
    *,
    target: float | None,
    direction: Direction,
) -> float | None:
    """Progress the trajectory expects on ``on`` (1.0 = the goal's ``target``); None when unknown."""
    return progress(expected_value(trajectory, baseline_value, baseline_date, on), baseline_value, target, direction)
