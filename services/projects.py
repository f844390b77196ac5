"""A project's page: milestones (plan vs actual), budget burn vs plan, earned value, who is responsible."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import pandas as pd

from data_sources import queries
from kpi.earned_value import EarnedValue, earned_value
from kpi.project_health import ProjectHealth, milestone_states, project_health
from services.cache import by_data_version
from services.context import Context
from services.nodes import NodeView, build_node

#: One row per milestone. ``state``: done_on_time | done_late | overdue (planned date passed, not done)
#: | upcoming. ``days_late``: actual (or today, when overdue) minus planned, in days; 0 when on time.
MILESTONE_COLUMNS = ("seq", "name", "weight", "planned_date", "actual_date", "state", "days_late")
#: One row per month: tenge planned, allocated and spent, and the running totals of planned and spent.
BUDGET_COLUMNS = ("period_start", "planned_kzt", "allocated_kzt", "spent_kzt", "cumulative_planned_kzt",
                  "cumulative_spent_kzt")


@dataclass(frozen=True)
class ProjectView:
    """What ``/projects/<code>`` shows.

    ``node``: the :class:`services.nodes.NodeView` of the project (node incl. region, owner = the
    responsible administrative servant, rolled-up goal status; path for the breadcrumb; goals; cards).
    ``earned_value``: the fields of :class:`kpi.earned_value.EarnedValue` as a dict (bac, pv, ev, ac,
    spi, cpi, eac, forecast_finish, time_elapsed, spent_share, planned_to_date, execution_to_date),
    plus ``schedule_health`` and ``budget_health`` (from SPI and CPI by :func:`kpi.project_health.project_health`)
    and ``health`` (the worse of the two), each a dict ``{"status", "reason_code", "reason_text"}``
    (a status of the delivery-confidence scale; ``reason_text`` = "<status name>: <reason>" in the
    viewer's language). BAC is the project's budget when its budget lines (recorded up to the last
    complete month) plan less: see :func:`with_unplanned_remainder`. Without valid start and end dates
    every figure is None and the health no_data.
    """

    node: NodeView
    milestones: pd.DataFrame
    budget: pd.DataFrame
    earned_value: dict


@by_data_version()
def build_project(ctx: Context, code: str) -> ProjectView | None:
    """The project ``code`` for this viewer, or None when it does not exist, is not a project or is out
    of scope. Figures as of ``ctx.today`` (milestones done, money spent and instructions done by then)."""
    view = build_node(ctx, code)
    if view is None or view.node["level"] != "project":
        return None
    engine, viewer, lang, today = ctx.engine, ctx.viewer, ctx.lang, ctx.today
    project = view.node["code"]
    stones = queries.milestones(engine, viewer, project, today=today, lang=lang)
    lines = queries.budget_lines(engine, viewer, project, today=today)
    value, health = project_earned_value(view.node, stones, lines, today)
    return ProjectView(
        node=view,
        milestones=milestone_frame(stones, today),
        budget=budget_frame(lines),
        earned_value={**value, **health_fields(ctx, health)},
    )


def project_earned_value(node: dict, stones: pd.DataFrame, lines: pd.DataFrame,
                         today: dt.date) -> tuple[dict, ProjectHealth]:
    """Earned value (``kpi.earned_value``) of a project from its milestones and budget lines (query
    frames), as a dict of the :class:`EarnedValue` fields, and its health from SPI and CPI."""
    start, end = node.get("start_date"), node.get("end_date")
    if start is None or end is None or pd.isna(start) or pd.isna(end) or end <= start:
        figures = {name: None for name in EarnedValue.__dataclass_fields__}
        return figures, project_health(None, None)
    budget = lines.rename(columns={"planned_kzt": "planned", "spent_kzt": "spent"})[["period_start", "planned", "spent"]]
    result = earned_value(stones[["weight", "planned_date", "actual_date"]],
                          with_unplanned_remainder(budget, node.get("budget_kzt"), end, today),
                          start=start, end=end, today=today)
    return asdict(result), project_health(result.spi, result.cpi)


def with_unplanned_remainder(budget: pd.DataFrame, total: float | None, end: dt.date, today: dt.date) -> pd.DataFrame:
    """The budget lines plus, when they plan less than the project's budget ``total``, one line for the
    rest, planned after ``today`` (at the project's end, or the day after ``today`` if that is past).

    Budget lines are recorded month by month up to the last complete month, so their plan alone would
    make the budget at completion (BAC) the plan to date; with the rest the BAC is the project's
    budget, and the plan to date and the spending are unchanged."""
    planned = float(pd.to_numeric(budget["planned"]).fillna(0.0).sum())
    if total is None or pd.isna(total) or float(total) <= planned:
        return budget
    rest = pd.DataFrame({"period_start": [pd.Timestamp(max(end, today + dt.timedelta(days=1)))],
                         "planned": [float(total) - planned], "spent": [0.0]})
    budget = budget.assign(period_start=pd.to_datetime(budget["period_start"]))
    return pd.concat([budget, rest], ignore_index=True) if not budget.empty else rest


def health_text(ctx: Context, status: str, code: str, params: dict) -> str:
    """``"<status name>: <reason>"`` of a health signal in ``ctx.lang`` (indices with two decimals)."""
    t = ctx.t
    shown = {key: (t.number(value, 0) if key.endswith("_pct") else t.number(value, 2)) for key, value in params.items()}
    return f"{t(f'status.{status}')}: {t(f'health.{code}', **shown)}"


def health_fields(ctx: Context, health: ProjectHealth) -> dict:
    """``schedule_health``, ``budget_health`` and ``health`` as dicts with status, reason code and text."""
    def signal(status: str, code: str, params: dict) -> dict:
        return {"status": status, "reason_code": code, "reason_text": health_text(ctx, status, code, params)}

    return {
        "schedule_health": signal(health.schedule.status, health.schedule.reason_code, health.schedule.reason_params),
        "budget_health": signal(health.budget.status, health.budget.reason_code, health.budget.reason_params),
        "health": signal(health.status, health.reason_code, health.reason_params),
    }


def milestone_frame(stones: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Query milestones shaped as :data:`MILESTONE_COLUMNS` (state and days late by kpi.project_health)."""
    if stones.empty:
        return pd.DataFrame(columns=list(MILESTONE_COLUMNS))
    return milestone_states(stones, today=today)[list(MILESTONE_COLUMNS)].reset_index(drop=True)


def budget_frame(lines: pd.DataFrame) -> pd.DataFrame:
    """Query budget lines shaped as :data:`BUDGET_COLUMNS`, with the running totals of plan and spending
    (spending only through the last month known)."""
    if lines.empty:
        return pd.DataFrame(columns=list(BUDGET_COLUMNS))
    frame = lines.assign(period_start=pd.to_datetime(lines["period_start"]))
    planned = pd.to_numeric(frame["planned_kzt"]).astype(float)
    spent = pd.to_numeric(frame["spent_kzt"]).astype(float)
    frame = frame.assign(planned_kzt=planned, allocated_kzt=pd.to_numeric(frame["allocated_kzt"]).astype(float),
                         spent_kzt=spent, cumulative_planned_kzt=planned.cumsum(),
                         cumulative_spent_kzt=spent.cumsum().where(spent.notna()))
    return frame[list(BUDGET_COLUMNS)].reset_index(drop=True)


