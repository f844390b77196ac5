"""Earned value of a project: schedule and cost performance, as of ``today``.

Money in the budget's currency (tenge); dates as calendar dates.

- BAC (budget at completion) = sum of ``planned`` over all budget lines.
- planned share ``w_due`` = weight of milestones with ``planned_date <= today`` / total weight;
  earned share ``w_done`` = weight of milestones with ``actual_date <= today`` / total weight.
- PV = BAC * w_due;  EV = BAC * w_done (so EV <= BAC);  AC = sum of ``spent`` with
  ``period_start <= today``.
- SPI = w_done / w_due (= EV / PV, and defined without a budget too); CPI = EV / AC;
  EAC = BAC / CPI.  Each is None when its denominator is zero or missing.
- forecast finish: the latest ``actual_date`` when every milestone is done; otherwise
  ``start + (end - start) / SPI``, but not before ``today`` (work remains); None without SPI,
  with SPI = 0, or beyond the calendar.
- time elapsed = (today - start) / (end - start), clipped to [0, 1]; spent share = AC / BAC (to
  compare with time elapsed); planned to date = sum of ``planned`` with ``period_start <= today``;
  execution to date = AC / planned to date.

Milestone weights default to 1.0 when missing. No milestones: PV, EV, SPI, CPI, EAC and the
forecast finish are None. No budget lines: BAC, AC and planned to date are 0.0. A negative
planned total or a negative weight raises ValueError.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from kpi.periods import as_date


@dataclass(frozen=True)
class EarnedValue:
    """The project's earned-value figures as of a date (money in budget units, shares in [0, 1])."""

    bac: float
    pv: float | None
    ev: float | None
    ac: float
    spi: float | None
    cpi: float | None
    eac: float | None
    forecast_finish: date | None
    time_elapsed: float
    spent_share: float | None
    planned_to_date: float
    execution_to_date: float | None


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def _forecast_finish(actual: pd.Series, spi: float | None, start: date, end: date, today: date) -> date | None:
    done = actual <= pd.Timestamp(today)
    if len(actual) and done.all():
        return as_date(actual.max())
    if not spi:
        return None
    days = (end - start).days / spi
    if days > (date.max - start).days:
        return None
    return max(start + timedelta(days=days), today)


def earned_value(
    milestones: pd.DataFrame,
    budget: pd.DataFrame,
    *,
    start: date,
    end: date,
    today: date,
) -> EarnedValue:
    """Earned value from ``milestones`` (``weight``, ``planned_date``, ``actual_date``) and
    ``budget`` (``period_start``, ``planned``, ``spent``); formulas in the module docstring."""
    start, end, today = as_date(start), as_date(end), as_date(today)
    if end <= start:
        raise ValueError("the project must end after it starts")
    weights = pd.to_numeric(milestones["weight"]).astype(float).fillna(1.0).to_numpy()
    if (weights < 0).any():
        raise ValueError("milestone weights must not be negative")
    moment = pd.Timestamp(today)
    planned = pd.to_datetime(milestones["planned_date"])
    actual = pd.to_datetime(milestones["actual_date"])
    total_weight = math.fsum(weights)  # exact sums keep the shares within [0, 1]
    due_share = _ratio(math.fsum(weights[(planned <= moment).to_numpy()]), total_weight)
    done_share = _ratio(math.fsum(weights[(actual <= moment).to_numpy()]), total_weight)

    budget_started = (pd.to_datetime(budget["period_start"]) <= moment).to_numpy()
    planned_amounts = pd.to_numeric(budget["planned"]).astype(float).fillna(0.0).to_numpy()
    spent_amounts = pd.to_numeric(budget["spent"]).astype(float).fillna(0.0).to_numpy()
    bac = math.fsum(planned_amounts)
    if bac < 0:
        raise ValueError("the planned budget must not be negative in total")
    ac = math.fsum(spent_amounts[budget_started])
    planned_to_date = math.fsum(planned_amounts[budget_started])

    pv = None if due_share is None else bac * due_share
    ev = None if done_share is None else bac * done_share
    spi = _ratio(done_share, due_share)
    cpi = _ratio(ev, ac)
    return EarnedValue(
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        spi=spi,
        cpi=cpi,
        eac=_ratio(bac, cpi),
        forecast_finish=_forecast_finish(actual, spi, start, end, today),
        time_elapsed=float(np.clip((today - start).days / (end - start).days, 0.0, 1.0)),
        spent_share=_ratio(ac, bac),
        planned_to_date=planned_to_date,
        execution_to_date=_ratio(ac, planned_to_date),
    )
