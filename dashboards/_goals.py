"""A goal's chart with its status and reason: the block the program and project pages repeat per goal.

Pure functions of ``services.goals.AssessedGoals`` (goals, series, trajectories) and the forecast
lines of ``services.goals.forecast_line`` (computed by the page's ``render``, passed in by goal id).
The chart: facts, the target trajectory from the baseline through the yearly targets, the forecast
with its 80 % interval, the target at the deadline, today (see ``_figures.goal_chart``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Mapping, Sequence

import pandas as pd
from dash import html

from dashboards import _ids as ids
from dashboards._chart import chart, chart_spec, number_formatter, plotly_separators
from dashboards._components import freshness_badge, status_badge
from dashboards._figures import GoalLabels, goal_chart, period_end
from services.exports import ChartContent
from services.formatting import MONEY_UNITS, format_value, period_text, reason_only, val
from services.i18n import Translator

EMPTY_FORECAST = pd.DataFrame(columns=["period_start", "value", "low", "high"])
#: The data behind a goal chart (:func:`goal_data`).
GOAL_DATA_COLUMNS = ("series", "period", "date", "value", "low", "high")


def label_start(label: Any) -> tuple[dt.date, str] | None:
    """``"2024"`` / ``"2024-Q3"`` / ``"2024-07"`` -> (first day, frequency); None if not a period label."""
    text = str(label or "").strip()
    try:
        if len(text) == 4 and text.isdigit():
            return dt.date(int(text), 1, 1), "Y"
        year, rest = text.split("-", 1)
        if rest.upper().startswith("Q"):
            return dt.date(int(year), 3 * (int(rest[1:]) - 1) + 1, 1), "Q"
        return dt.date(int(year), int(rest), 1), "M"
    except ValueError:
        return None


def unit_label(unit: Any, t: Translator) -> str:
    """The unit's words in the language (``unit.<unit>`` of the catalog), else the code itself."""
    if not unit:
        return ""
    return t(f"unit.{unit}") if t.has(f"unit.{unit}") else str(unit)


def goal_facts(goal: Mapping[str, Any] | pd.Series, series: pd.DataFrame) -> pd.DataFrame:
    """The goal's observed values (its indicator, its region) in period order."""
    if series is None or series.empty:
        return pd.DataFrame(columns=["period_start", "value", "period"])
    mine = series[(series["indicator"] == val(goal, "indicator")) & (series["region"] == val(goal, "region"))]
    return mine.sort_values("period_start")[["period_start", "value", "period"]]


def goal_trajectory(goal: Mapping[str, Any] | pd.Series, trajectories: pd.DataFrame) -> pd.DataFrame:
    """The target path: the baseline at the end of its period, then each yearly target at 31 Dec."""
    points: list[tuple[dt.date, float]] = []
    baseline = val(goal, "baseline_value")
    start = label_start(val(goal, "baseline_period"))
    if baseline is not None and start is not None:
        points.append((period_end(*start), float(baseline)))
    if trajectories is not None and not trajectories.empty:
        mine = trajectories[trajectories["goal_id"] == val(goal, "goal_id")].sort_values("year")
        points += [(dt.date(int(year), 12, 31), float(value)) for year, value in zip(mine["year"], mine["value"])]
    points = sorted(set(points))
    return pd.DataFrame(points, columns=["date", "value"])


def goal_labels(t: Translator, target_year: Any = None) -> GoalLabels:
    return GoalLabels(facts=t("chart.goal.facts"), trajectory=t("chart.goal.trajectory"),
                      forecast=t("chart.goal.forecast"), interval=t("chart.goal.interval"),
                      target=t("chart.goal.target", year=target_year or "–"), today=t("chart.today"))


def _fact_line(label: str, value: Any, note: Any = None) -> html.Div:
    return html.Div([html.Dt(label), html.Dd([value, html.Span(f" {note}", className="nt-muted") if note else None])],
                    className="nt-goal__fact")


def goal_facts_list(goal: Mapping[str, Any] | pd.Series, t: Translator) -> html.Dl:
    """Latest value, target, forecast (with its range and probability) and progress, in words."""
    unit, decimals = val(goal, "unit"), val(goal, "decimals", 1)
    label = "" if unit and str(unit).lower() in MONEY_UNITS else unit_label(unit, t)

    def figure(value: Any) -> str:
        text = format_value(value, t, unit=unit, decimals=decimals)
        return f"{text} {label}".strip() if value is not None and label else text

    items = [
        _fact_line(t("goal.latest"), figure(val(goal, "latest_value")),
                   period_text(val(goal, "latest_period"), t) if val(goal, "latest_period") else None),
        _fact_line(t("goal.target"), figure(val(goal, "target_value")), val(goal, "target_year")),
    ]
    forecast = val(goal, "forecast_value")
    if forecast is not None:
        low, high = val(goal, "forecast_low"), val(goal, "forecast_high")
        note = (t("goal.range", low=format_value(low, t, unit=unit, decimals=decimals),
                  high=format_value(high, t, unit=unit, decimals=decimals)) if low is not None and high is not None else None)
        items.append(_fact_line(t("goal.forecast", year=val(goal, "target_year", "–")), figure(forecast), note))
        probability = val(goal, "forecast_probability")
        if probability is not None:
            items.append(_fact_line(t("goal.probability"), t.percent(float(probability))))
    else:
        items.append(_fact_line(t("goal.forecast", year=val(goal, "target_year", "–")), t("goal.no_forecast")))
    progress, expected = val(goal, "progress"), val(goal, "expected_progress")
    if progress is not None:
        items.append(_fact_line(t("goal.progress"), t.percent(float(progress)),
                                t("goal.expected", expected=t.percent(float(expected))) if expected is not None else None))
    return html.Dl(items, className="nt-goal__facts")


def goal_filters(node: Mapping[str, Any], t: Translator, level_label: str):
    """The filters in force on a node's goal charts: the node itself, and the region the goal is
    assessed for (the node's region, or the whole country for a national node; a national series
    under a regional node is the node's own measure, so no region is named)."""
    def filters(goal: Mapping[str, Any] | pd.Series) -> list[tuple[str, Any]]:
        items: list[tuple[str, Any]] = [(level_label, node.get("name") or node.get("code"))]
        region = val(goal, "region")
        if region and region != "KZ" and region == node.get("region"):
            items.append((t("filter.region"), node.get("region_name") or region))
        elif region in (None, "KZ") and node.get("region") in (None, "KZ"):
            items.append((t("filter.region"), t("filter.national")))
        return items
    return filters


def goal_data(facts: pd.DataFrame, trajectory: pd.DataFrame, forecast: pd.DataFrame | None,
              target: tuple[dt.date, float] | None, frequency: str) -> pd.DataFrame:
    """The points of a goal chart as ``_figures.goal_chart`` draws them (:data:`GOAL_DATA_COLUMNS`):
    ``series`` fact | trajectory | forecast | target, ``period`` (a fact's label), ``date`` (where the
    point is drawn: a period's last day), ``value``, and the forecast's 80 % interval ``low``/``high``."""
    def day(value: Any) -> dt.date:
        return pd.Timestamp(value).date()

    rows: list[tuple] = []
    for _, fact in (facts if facts is not None else pd.DataFrame()).iterrows():
        rows.append(("fact", fact.get("period"), period_end(day(fact["period_start"]), frequency), fact["value"],
                     None, None))
    for _, point in (trajectory if trajectory is not None else pd.DataFrame()).iterrows():
        rows.append(("trajectory", None, day(point["date"]), point["value"], None, None))
    for _, point in (forecast if forecast is not None else pd.DataFrame()).iterrows():
        rows.append(("forecast", None, period_end(day(point["period_start"]), frequency), point["value"],
                     point["low"], point["high"]))
    if target is not None:
        rows.append(("target", None, target[0], target[1], None, None))
    return pd.DataFrame(rows, columns=list(GOAL_DATA_COLUMNS))


def goal_content(goal: Mapping[str, Any] | pd.Series, facts: pd.DataFrame, trajectory: pd.DataFrame,
                 forecast: pd.DataFrame | None, t: Translator, *, today: dt.date | None,
                 filters: Sequence[tuple[str, Any]] = ()) -> ChartContent:
    """A goal's chart (``_figures.goal_chart``) with its card's words and data (:func:`goal_data`)."""
    unit, decimals = val(goal, "unit"), val(goal, "decimals", 1)
    units = unit_label(unit, t) or None
    name = str(val(goal, "name", val(goal, "indicator", "")))
    target_value, target_year = val(goal, "target_value"), val(goal, "target_year")
    target = (dt.date(int(target_year), 12, 31), float(target_value)) if target_value is not None and target_year else None
    frequency = str(val(goal, "frequency", "Y"))
    forecast = forecast if forecast is not None else EMPTY_FORECAST
    figure = goal_chart(
        facts, trajectory, forecast, title=name, units=units, frequency=frequency, target=target, today=today,
        labels=goal_labels(t, target_year), fmt=number_formatter(t, decimals),
        period_text=lambda label: period_text(label, t), separators=plotly_separators(t),
    )
    return ChartContent(figure, title=name, units=units, source=val(goal, "agency_name") or val(goal, "source"),
                        as_of=today, filters=tuple(filters),
                        data=goal_data(facts, trajectory, forecast, target, frequency))


def goal_block(goal: Mapping[str, Any] | pd.Series, facts: pd.DataFrame, trajectory: pd.DataFrame,
               forecast: pd.DataFrame | None, t: Translator, *, today: dt.date | None,
               filters: Sequence[tuple[str, Any]] = (), word: Any = None,
               params: Mapping[str, object] | None = None) -> html.Section:
    """One goal: its chart (through :func:`_chart.chart`) beside its status, reason, the owner's
    ``word`` (a ``dashboards._commentary`` slot, when given) and key figures; ``params``: the page's
    URL parameters (its as-of day goes into the chart's export links)."""
    goal_id = val(goal, "goal_id", val(goal, "indicator", "goal"))
    status = val(goal, "status", "no_data")
    name = str(val(goal, "name", val(goal, "indicator", "")))
    content = goal_content(goal, facts, trajectory, forecast, t, today=today, filters=filters)
    reason = reason_only(val(goal, "reason_text"), status, t)
    spec = chart_spec("goal", params, t, node=val(goal, "node"), indicator=val(goal, "indicator"),
                      region=val(goal, "region") or "KZ")
    block_chart = chart(content, t=t, chart_id=f"goal-{goal_id}", spec=spec,
                        description=f"{name}. {val(goal, 'reason_text') or ''}".strip())
    fresh = freshness_badge(val(goal, "freshness"), t, next_due=val(goal, "next_due"))
    aside = html.Div(
        [html.Div([status_badge(status, t, reason=val(goal, "reason_text"), size="lg"), fresh], className="nt-goal__status"),
         html.P(reason or t("kpi.no_reason"), className="nt-goal__reason"),
         word,
         goal_facts_list(goal, t)],
        className="nt-goal__aside nt-card",
    )
    return html.Section([html.Div(block_chart, className="nt-goal__chart"), aside],
                        id=ids.goal_block_id(goal_id), className=f"nt-goal nt-goal--{status}",
                        **{"data-indicator": str(val(goal, "indicator", "")), "aria-label": name})


def goal_blocks(assessed: Any, forecasts: Mapping[Any, pd.DataFrame], t: Translator, *, today: dt.date | None,
                filters: Callable[[Any], Sequence[tuple[str, Any]]], empty_text: str,
                words: Callable[[Any], Any] | None = None, params: Mapping[str, object] | None = None) -> html.Div:
    """Every goal of ``assessed`` (``AssessedGoals``) as a :func:`goal_block`, in the goals' order;
    ``words(goal)`` gives each goal's owner's word when given; ``params``: the page's URL parameters."""
    goals = assessed.goals if assessed is not None else pd.DataFrame()
    if goals is None or goals.empty:
        return html.Div(html.P(empty_text, className="nt-empty"), id=ids.PROGRAM_GOAL_CHARTS)
    blocks = []
    for _, goal in goals.iterrows():
        blocks.append(goal_block(
            goal, goal_facts(goal, assessed.series), goal_trajectory(goal, assessed.trajectories),
            forecasts.get(goal["goal_id"]), t, today=today, filters=filters(goal),
            word=words(goal) if words is not None else None, params=params,
        ))
    return html.Div(blocks, id=ids.PROGRAM_GOAL_CHARTS, className="nt-goals")


def forecasts_for(ctx: Any, assessed: Any, forecast_line: Callable[..., pd.DataFrame]) -> dict[Any, pd.DataFrame]:
    """``{goal_id: forecast line}`` through the service (called by the pages' ``render``)."""
    goals = assessed.goals if assessed is not None else pd.DataFrame()
    if goals is None or goals.empty:
        return {}
    return {goal_id: forecast_line(ctx, assessed, goal_id) for goal_id in goals["goal_id"]}
