"""Goals assessed one way everywhere: query the store, then compute with kpi/.

The pages, the data API, the CLI and the exports all call :func:`assess_goals`, so a goal's
progress, forecast, status and reason are the same wherever they are shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from data_sources import queries
from data_sources.periods import label_frequency
from data_sources.store import NATION
from kpi.forecast import Forecast, fitted_line, forecast
from kpi.freshness import freshness
from kpi.periods import period_end, period_label
from kpi.progress import progress
from kpi.rollup import rollup
from kpi.status import assess
from kpi.trajectory import expected_progress
from services.context import Context

#: Columns of :attr:`AssessedGoals.goals` (one row per goal).
ASSESSED_COLUMNS = (
    "goal_id", "node", "indicator", "name", "unit", "decimals", "direction", "frequency", "seasonal", "region",
    "valid_min", "valid_max",
    "baseline_value", "baseline_period", "target_value", "target_year", "latest_value", "latest_period",
    "latest_period_start", "progress", "expected_progress", "status", "reason_code", "reason_params",
    "reason_text", "forecast_state", "forecast_value", "forecast_low", "forecast_high", "forecast_probability",
    "forecast_date", "slope_per_year", "freshness", "next_due", "days_overdue", "weight", "headline",
    "agency_name", "source", "synthetic",
)


@dataclass(frozen=True)
class AssessedGoals:
    """Assessed goals and the series behind them (:data:`queries.SERIES_COLUMNS`), for charts."""

    goals: pd.DataFrame
    series: pd.DataFrame
    trajectories: pd.DataFrame  # goal_id, year, value


def _baseline_date(goal: pd.Series) -> dt.date | None:
    if goal["baseline_start"] is None or pd.isna(goal["baseline_start"]):
        return None
    frequency = label_frequency(goal["baseline_period"]) if goal["baseline_period"] else goal["frequency"]
    return period_end(goal["baseline_start"], frequency)


def assess_goals(ctx: Context, goals: pd.DataFrame, *, region: str | None = None) -> AssessedGoals:
    """Assess ``goals`` (a :func:`queries.goals` frame) on ``ctx.today`` (as known at ``ctx.as_of``):
    progress toward the final target, expected progress on the trajectory, forecast to the deadline,
    status with its reason in ``ctx.lang``, freshness.

    Values and targets are those of ``region`` when given; otherwise a regional indicator under a
    regional node (a territorial program, a project in a region) is assessed for that region, and
    every other goal nationally. A goal assessed for another region than its node's (a national goal
    for one region) starts from that region's own value in the baseline period (None when unknown),
    not the node's baseline."""
    if goals.empty:
        empty = pd.DataFrame(columns=list(ASSESSED_COLUMNS))
        return AssessedGoals(empty, pd.DataFrame(columns=list(queries.SERIES_COLUMNS)),
                             pd.DataFrame(columns=["goal_id", "year", "value"]))
    if region:
        regions = pd.Series(region, index=goals.index)
    else:  # a regional indicator under a regional node is that region's; everything else national
        regions = goals["node_region"].where(goals["regional"].astype(bool), NATION)
    rows, all_series, all_targets = [], [], []
    for area, mine in goals.groupby(regions, sort=True):
        targets = queries.targets(ctx.engine, ctx.viewer, mine["goal_id"], region=area, as_of=ctx.as_of)
        values = queries.series(ctx.engine, ctx.viewer, mine["indicator"].unique(), region=area, as_of=ctx.as_of)
        values = values[values["period_start"] <= pd.Timestamp(ctx.today)]
        by_indicator = {code: frame for code, frame in values.groupby("indicator")}
        by_goal = {goal_id: frame for goal_id, frame in targets.groupby("goal_id")}
        rows.extend((index, _assess_one(ctx, _with_baseline_of(goal, area, by_indicator.get(goal["indicator"])),
                                        by_indicator.get(goal["indicator"]), by_goal.get(goal["goal_id"]), area))
                    for index, goal in mine.iterrows())
        all_series.append(values)
        all_targets.append(targets)
    rows.sort(key=lambda pair: pair[0])  # the input's order
    return AssessedGoals(pd.DataFrame([row for _, row in rows], columns=list(ASSESSED_COLUMNS)),
                         pd.concat(all_series, ignore_index=True), pd.concat(all_targets, ignore_index=True))


def _with_baseline_of(goal: pd.Series, area: str, series: pd.DataFrame | None) -> pd.Series:
    """The goal with ``area``'s own baseline value when a regional indicator is assessed for another
    region than its node's (a national goal seen for one region)."""
    if area == goal["node_region"] or not goal["regional"]:  # national-only series keep their baseline
        return goal
    start = goal["baseline_start"]
    value = None
    if series is not None and start is not None and not pd.isna(start):
        found = series.loc[series["period_start"] == pd.Timestamp(start), "value"]
        value = float(found.iloc[-1]) if not found.empty else None
    adjusted = goal.copy()
    adjusted["baseline_value"] = value
    return adjusted


def _assess_one(ctx: Context, goal: pd.Series, series: pd.DataFrame | None, trajectory: pd.DataFrame | None,
                region: str) -> dict:
    series = series if series is not None else pd.DataFrame(columns=list(queries.SERIES_COLUMNS))
    trajectory = trajectory if trajectory is not None else pd.DataFrame(columns=["goal_id", "year", "value"])
    frequency, direction = goal["frequency"], goal["direction"]
    final = trajectory.sort_values("year").iloc[-1] if not trajectory.empty else None
    target_value = float(final["value"]) if final is not None else None
    target_year = int(final["year"]) if final is not None else None
    deadline = dt.date(target_year, 12, 31) if target_year else ctx.today
    latest = series.iloc[-1] if not series.empty else None
    latest_value = float(latest["value"]) if latest is not None else None
    latest_start = latest["period_start"].date() if latest is not None else None
    baseline_date = _baseline_date(goal)
    goal_progress = progress(latest_value, goal["baseline_value"], target_value, direction)
    expected = None
    if latest_start is not None and baseline_date is not None and not trajectory.empty:
        expected = expected_progress(trajectory[["year", "value"]], goal["baseline_value"], baseline_date,
                                     period_end(latest_start, frequency), target=target_value, direction=direction)
    outlook = forecast(series[["period_start", "value"]], frequency=frequency, seasonal=bool(goal["seasonal"]),
                       target_value=target_value, target_date=deadline, direction=direction, today=ctx.today)
    outlook = within_valid_range(outlook, goal["valid_min"], goal["valid_max"])
    assessment = assess(target=target_value, direction=direction, deadline=deadline, today=ctx.today,
                        latest_value=latest_value, latest_period_start=latest_start, frequency=frequency,
                        progress=goal_progress, expected_progress=expected, forecast=outlook)
    fresh = freshness(frequency=frequency, latest_period_start=latest_start, grace_days=int(goal["grace_days"]),
                      today=ctx.today, publication_lag_days=int(goal["publication_lag_days"]))
    return {
        "goal_id": goal["goal_id"], "node": goal["node"], "indicator": goal["indicator"], "name": goal["name"],
        "unit": goal["unit"], "decimals": int(goal["decimals"]), "direction": direction, "frequency": frequency,
        "seasonal": bool(goal["seasonal"]), "valid_min": goal["valid_min"], "valid_max": goal["valid_max"],
        "region": region, "baseline_value": goal["baseline_value"], "baseline_period": goal["baseline_period"],
        "target_value": target_value, "target_year": target_year, "latest_value": latest_value,
        "latest_period": period_label(latest_start, frequency) if latest_start else None,
        "latest_period_start": latest_start, "progress": goal_progress, "expected_progress": expected,
        "status": assessment.status, "reason_code": assessment.reason_code,
        "reason_params": assessment.reason_params,
        "reason_text": reason_text(ctx, assessment.status, assessment.reason_code, assessment.reason_params,
                                   goal["unit"], int(goal["decimals"])),
        "forecast_state": outlook.state, "forecast_value": outlook.value, "forecast_low": outlook.low,
        "forecast_high": outlook.high, "forecast_probability": outlook.probability, "forecast_date": outlook.date,
        "slope_per_year": outlook.slope_per_year, "freshness": fresh.state, "next_due": fresh.next_due,
        "days_overdue": fresh.days_overdue, "weight": goal["weight"], "headline": bool(goal["headline"]),
        "agency_name": goal["agency_name"], "source": goal["source"], "synthetic": bool(goal["synthetic"]),
    }


#: Reason params that are values in the indicator's unit (formatted with its decimals).
VALUE_PARAMS = frozenset({"forecast", "low", "high", "target", "final_value"})


def reason_text(ctx: Context, status: str, code: str, params: dict, unit: str, decimals: int) -> str:
    """``"<status name>: <reason>"`` in ``ctx.lang``, numbers and dates formatted per locale
    (e.g. "Red: forecast 71.8 vs target 75.0 by 31 Dec 2025; trend -0.3 a year")."""
    t = ctx.t
    shown: dict[str, str] = {}
    for key, value in params.items():
        if key in VALUE_PARAMS:
            shown[key] = t.number(value, decimals)
        elif key == "slope_per_year":
            shown[key] = ("+" if value > 0 else "") + t.number(value, max(decimals, 1))
        elif key == "deadline":
            shown[key] = t.date(dt.date.fromisoformat(value))
        elif key.endswith("_pct"):
            shown[key] = t.number(value, 0)
        else:
            shown[key] = str(value)
    return f"{t(f'status.{status}')}: {t(f'reason.{code}', **shown)}"


def _clip(value: float | None, low: float | None, high: float | None) -> float | None:
    if value is None:
        return None
    if low is not None and not pd.isna(low):
        value = max(value, float(low))
    if high is not None and not pd.isna(high):
        value = min(value, float(high))
    return value


def within_valid_range(outlook: Forecast, valid_min: float | None, valid_max: float | None) -> Forecast:
    """The forecast with its value and interval clipped to the indicator's valid range (a share cannot
    be forecast above 100 %); its probability of meeting the target is unchanged."""
    return dataclasses.replace(outlook, value=_clip(outlook.value, valid_min, valid_max),
                               low=_clip(outlook.low, valid_min, valid_max),
                               high=_clip(outlook.high, valid_min, valid_max))


def forecast_line(ctx: Context, assessed: AssessedGoals, goal_id: int) -> pd.DataFrame:
    """The forecast of one assessed goal for a chart: columns period_start, value, low, high (80 %
    interval), from the latest fact to the deadline; empty when there is no forecast."""
    goal = assessed.goals.set_index("goal_id").loc[goal_id]
    if goal["forecast_state"] != "ok":
        return pd.DataFrame(columns=["period_start", "value", "low", "high"])
    series = assessed.series[(assessed.series["indicator"] == goal["indicator"])
                             & (assessed.series["region"] == goal["region"])]
    line = fitted_line(series[["period_start", "value"]], frequency=goal["frequency"], seasonal=goal["seasonal"],
                       target_date=goal["forecast_date"], today=ctx.today)
    lower = goal["valid_min"] if not pd.isna(goal["valid_min"]) else None
    upper = goal["valid_max"] if not pd.isna(goal["valid_max"]) else None
    return line.assign(**{column: line[column].clip(lower=lower, upper=upper) for column in ("value", "low", "high")})


def worst_goal_reason(ctx: Context, goal: pd.Series) -> str:
    """Why a node stands where it does, named after its weakest goal: "Weakest goal — <name>: <reason>"."""
    return ctx.t("rollup.worst_goal", name=goal["name"], reason=goal["reason_text"])


def roll_up_goals(ctx: Context, goals: pd.DataFrame) -> dict:
    """A node's own status from its assessed goals (kpi.rollup, weights from the store): ``status``,
    ``score`` and ``reason_text`` (:func:`worst_goal_reason`)."""
    if goals.empty:
        return {"status": "no_data", "reason_text": None, "score": None}
    roll = rollup(goals.assign(code=goals["goal_id"].astype(str), score=goals["progress"]))
    worst = goals[goals["goal_id"].astype(str) == roll.worst_code]
    return {"status": roll.status, "score": roll.score,
            "reason_text": worst_goal_reason(ctx, worst.iloc[0]) if not worst.empty else None}
