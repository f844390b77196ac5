"""Status of a goal on the UK Delivery Confidence scale, with a machine-readable reason.

Deadline ahead (``today <= deadline``): one of ``green``, ``amber_green``, ``amber``,
``amber_red``, ``red``, from two signals, each read against :data:`CONFIDENCE_STEPS` (ordered
best to worst; a signal gets the first step it reaches):

- the forecast's probability of meeting the target at the deadline (``>= min_probability``);
- the progress gap ``progress - expected_progress`` on the target trajectory
  (``>= min_progress_gap``), both evaluated at the end of the latest observed period.

Both signals are compared in whole percentage points, as the reason shows them (progress 50%
against 60% expected is a gap of exactly -0.10).

The status is the worse of the two (a missing signal is skipped; on a tie the forecast gives the
reason). Neither signal: ``no_data`` / ``insufficient_data``.

Deadline passed (``today > deadline``): ``achieved`` when the latest value meets the target;
``missed`` when it does not and its period ends on or after the deadline (the final value is
known); otherwise the final value is still to be published and the goal is judged as above.

No latest value: ``no_data`` / ``no_data``; no target: ``no_data`` / ``no_target``.

Reasons are a code and plain params (numbers, ISO dates, period labels); the kk/ru/en sentences
live in ``services/locales/*/LC_MESSAGES/reasons.po`` as ``reason.<code>``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from kpi._values import float_or_none
from kpi.forecast import Forecast
from kpi.periods import Frequency, as_date, period_end, period_label
from kpi.progress import Direction, check_direction, meets_target


@dataclass(frozen=True)
class ConfidenceStep:
    """One step of the scale: the least probability and the least progress gap that earn ``status``."""

    status: str
    min_probability: float
    min_progress_gap: float


CONFIDENCE_STEPS: tuple[ConfidenceStep, ...] = (
    ConfidenceStep("green", 0.80, -0.05),
    ConfidenceStep("amber_green", 0.60, -0.10),
    ConfidenceStep("amber", 0.40, -0.20),
    ConfidenceStep("amber_red", 0.20, -0.35),
    ConfidenceStep("red", 0.0, -math.inf),
)

STATUS_ORDER: tuple[str, ...] = (
    "missed", "red", "amber_red", "amber", "amber_green", "green", "achieved", "no_data",
)
"""Every status, worst first; ``no_data`` sorts last (it is not judged)."""

AT_RISK: frozenset[str] = frozenset({"amber"})
OFF_TRACK: frozenset[str] = frozenset({"amber_red", "red", "missed"})

REASON_PARAMS: dict[str, tuple[str, ...]] = {
    "on_track": ("forecast", "probability_pct", "target", "deadline"),
    "on_trajectory": ("progress_pct", "expected_progress_pct", "target", "deadline"),
    "forecast_misses_target": ("forecast", "low", "high", "probability_pct", "target", "deadline", "slope_per_year"),
    "forecast_uncertain": ("forecast", "low", "high", "probability_pct", "target", "deadline"),
    "behind_trajectory": ("progress_pct", "expected_progress_pct", "target", "deadline"),
    "achieved": ("final_value", "final_period", "target", "deadline"),
    "missed": ("final_value", "final_period", "target", "deadline"),
    "no_data": (),
    "no_target": (),
    "insufficient_data": (),
}
"""Every reason code and the params it carries (the keys of ``Assessment.reason_params``)."""


@dataclass(frozen=True)
class Assessment:
    """A goal's status, the code of its reason, and the reason's params (see :data:`REASON_PARAMS`)."""

    status: str
    reason_code: str
    reason_params: dict[str, float | int | str]


def status_for(probability: float | None = None, progress_gap: float | None = None) -> str | None:
    """The worse of the steps reached by each given signal; None when both are missing."""
    signals = ((float_or_none(probability), "min_probability"), (float_or_none(progress_gap), "min_progress_gap"))
    reached = [
        next(i for i, step in enumerate(CONFIDENCE_STEPS) if signal >= getattr(step, threshold))
        for signal, threshold in signals
        if signal is not None
    ]
    return CONFIDENCE_STEPS[max(reached)].status if reached else None


def _percent(fraction: float) -> int:
    return int(round(100 * fraction))


def assess(
    *,
    target: float | None,
    direction: Direction,
    deadline: date,
    today: date,
    latest_value: float | None,
    latest_period_start: date | None,
    frequency: Frequency,
    progress: float | None,
    expected_progress: float | None,
    forecast: Forecast | None,
) -> Assessment:
    """The goal's status and reason as of ``today``; rules in the module docstring.

    ``progress`` and ``expected_progress`` should both describe the latest observed period
    (``expected_progress`` evaluated at that period's end); ``forecast`` is the forecast of the
    value at ``deadline`` against ``target``.
    """
    check_direction(direction)
    deadline, today = as_date(deadline), as_date(today)
    latest, target = float_or_none(latest_value), float_or_none(target)
    progress, expected_progress = float_or_none(progress), float_or_none(expected_progress)
    if latest is None or latest_period_start is None:
        return Assessment("no_data", "no_data", {})
    if target is None:
        return Assessment("no_data", "no_target", {})
    common = {"target": target, "deadline": deadline.isoformat()}
    if today > deadline:
        final = {"final_value": latest, "final_period": period_label(latest_period_start, frequency), **common}
        if meets_target(latest, target, direction):
            return Assessment("achieved", "achieved", final)
        if period_end(latest_period_start, frequency) >= deadline:
            return Assessment("missed", "missed", final)
    usable = forecast if forecast is not None and forecast.state == "ok" else None
    probability = None if usable is None else float_or_none(usable.probability)
    probability_pct = None if probability is None else _percent(probability)
    progress_pct = None if progress is None else _percent(progress)
    expected_pct = None if expected_progress is None else _percent(expected_progress)
    probability_signal = None if probability_pct is None else probability_pct / 100
    gap_signal = None if progress_pct is None or expected_pct is None else (progress_pct - expected_pct) / 100
    status = status_for(probability_signal, gap_signal)
    if status is None:
        return Assessment("no_data", "insufficient_data", {})
    if status == status_for(probability=probability_signal):  # the forecast binds, also on a tie
        figures = {"forecast": usable.value, "low": usable.low, "high": usable.high,
                   "probability_pct": probability_pct, **common}
        if status == CONFIDENCE_STEPS[0].status:
            return Assessment(status, "on_track", {key: figures[key] for key in REASON_PARAMS["on_track"]})
        if meets_target(usable.value, target, direction):
            return Assessment(status, "forecast_uncertain", figures)
        return Assessment(status, "forecast_misses_target", {**figures, "slope_per_year": usable.slope_per_year})
    code = "on_trajectory" if status == CONFIDENCE_STEPS[0].status else "behind_trajectory"
    return Assessment(status, code, {"progress_pct": progress_pct, "expected_progress_pct": expected_pct, **common})
