"""Delivery health of a project from its earned value, and the state of each milestone, as of ``today``.

Schedule health reads SPI, budget health reads CPI (:mod:`kpi.earned_value`), each against
:data:`HEALTH_STEPS` (ordered best to worst; an index gets the first step it reaches), on the
delivery-confidence scale of :mod:`kpi.status`. The index is compared rounded to two decimals, as
the reason shows it (SPI 0.949 reads 0.95: green).

- schedule: ``on_schedule`` (green) or ``behind_schedule`` with ``spi`` and ``spi_pct`` (the share of
  the work planned by now that is done); no SPI (no milestone due yet): ``no_data`` /
  ``no_schedule_data``.
- budget: ``within_budget`` (green) or ``over_budget`` with ``cpi`` and ``cpi_pct`` (the work done
  as a share of the money spent); no CPI (nothing spent yet, or no milestones): ``no_data`` /
  ``no_cost_data``.
- the project's health is the worse of the two (``no_data`` is skipped; on a tie the schedule gives
  the reason); neither judged: ``no_data`` with the schedule's reason.

Milestone states: ``done_on_time`` (``actual_date <= planned_date``), ``done_late``, ``overdue``
(not done and ``planned_date < today``), ``upcoming``; ``days_late`` = actual date (today when
overdue) minus planned date in days, 0 when on time or upcoming. A milestone with an
``actual_date`` after ``today`` is not done yet on ``today``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from kpi._values import float_or_none
from kpi.periods import as_date
from kpi.status import STATUS_ORDER


@dataclass(frozen=True)
class HealthStep:
    """One step of the scale: the least SPI and the least CPI that earn ``status``."""

    status: str
    min_spi: float
    min_cpi: float


HEALTH_STEPS: tuple[HealthStep, ...] = (
    HealthStep("green", 0.95, 0.95),
    HealthStep("amber_green", 0.90, 0.90),
    HealthStep("amber", 0.80, 0.80),
    HealthStep("amber_red", 0.70, 0.70),
    HealthStep("red", -math.inf, -math.inf),
)

HEALTH_REASON_PARAMS: dict[str, tuple[str, ...]] = {
    "on_schedule": ("spi", "spi_pct"),
    "behind_schedule": ("spi", "spi_pct"),
    "no_schedule_data": (),
    "within_budget": ("cpi", "cpi_pct"),
    "over_budget": ("cpi", "cpi_pct"),
    "no_cost_data": (),
}
"""Every health reason code and the params it carries."""

MILESTONE_STATES: tuple[str, ...] = ("done_on_time", "done_late", "overdue", "upcoming")


@dataclass(frozen=True)
class HealthSignal:
    """One signal's status, reason code and params (see :data:`HEALTH_REASON_PARAMS`)."""

    status: str
    reason_code: str
    reason_params: dict[str, float | int]


@dataclass(frozen=True)
class ProjectHealth:
    """The project's health (the worse signal's status and reason) and both signals."""

    status: str
    reason_code: str
    reason_params: dict[str, float | int]
    schedule: HealthSignal
    budget: HealthSignal


def _signal(index: float | None, threshold: str, good: str, bad: str, missing: str, name: str) -> HealthSignal:
    value = float_or_none(index)
    if value is None or not math.isfinite(value):
        return HealthSignal("no_data", missing, {})
    shown = round(value, 2)
    step = next(step for step in HEALTH_STEPS if shown >= getattr(step, threshold))
    code = good if step is HEALTH_STEPS[0] else bad
    return HealthSignal(step.status, code, {name: shown, f"{name}_pct": int(round(100 * value))})


def project_health(spi: float | None, cpi: float | None) -> ProjectHealth:
    """Schedule health from ``spi``, budget health from ``cpi`` and the project's (the worse); rules
    in the module docstring."""
    schedule = _signal(spi, "min_spi", "on_schedule", "behind_schedule", "no_schedule_data", "spi")
    budget = _signal(cpi, "min_cpi", "within_budget", "over_budget", "no_cost_data", "cpi")
    judged = [signal for signal in (schedule, budget) if signal.status != "no_data"]
    worst = min(judged, key=lambda signal: STATUS_ORDER.index(signal.status)) if judged else schedule
    return ProjectHealth(worst.status, worst.reason_code, dict(worst.reason_params), schedule, budget)


def milestone_states(milestones: pd.DataFrame, *, today: date) -> pd.DataFrame:
    """``milestones`` (``planned_date``, ``actual_date``) with ``state`` and ``days_late`` (see module)."""
    moment = pd.Timestamp(as_date(today))
    planned = pd.to_datetime(milestones["planned_date"])
    actual = pd.to_datetime(milestones["actual_date"])
    done = (actual <= moment).to_numpy()
    late_done = done & (actual > planned).to_numpy()
    overdue = ~done & (planned < moment).to_numpy()
    state = np.select([done & ~late_done, late_done, overdue], ["done_on_time", "done_late", "overdue"], "upcoming")
    finish = actual.where(done, moment)
    days = (finish - planned).dt.days.to_numpy(dtype=float, na_value=0.0)
    days_late = np.where(late_done | overdue, days, 0.0).astype(int)
    return milestones.assign(state=state, days_late=days_late)
