"""The minister's overview of a portfolio: headline KPI cards, the program grid, the alert strip."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from data_sources import queries
from data_sources.store import normalise_code
from kpi.rollup import rollup_groups
from kpi.status import AT_RISK, OFF_TRACK, STATUS_ORDER
from services.cache import by_data_version
from services.context import Context
from services.goals import assess_goals, worst_goal_reason

#: How many past periods a card's sparkline shows, by frequency.
SPARK_PERIODS = {"Y": 8, "Q": 12, "M": 24}

#: One row per headline goal of the portfolio (a KPI card).
CARD_COLUMNS = (
    "goal_id", "node", "indicator", "name", "unit", "unit_label", "decimals", "direction",
    "latest_value", "latest_period", "target_value", "target_year", "baseline_value", "baseline_period",
    "progress", "expected_progress", "status", "reason_code", "reason_text",
    "forecast_value", "forecast_probability", "freshness", "next_due",
    "owner", "owner_name", "owner_post", "spark_periods", "spark_values", "source",
)
#: One row per program of the portfolio (the status grid).
PROGRAM_COLUMNS = (
    "code", "name", "kind", "region", "owner", "owner_name", "owner_post", "status", "reason_text",
    "score", "goals", "off_track", "at_risk", "projects",
)
#: Goals off track anywhere in the portfolio (alert strip list).
OFF_TRACK_COLUMNS = ("node", "node_name", "indicator", "name", "status", "reason_text", "owner_name")
#: Indicators of the portfolio whose data is late or stale (alert strip list).
STALE_COLUMNS = ("indicator", "name", "latest_period", "next_due", "freshness", "agency_name")
#: Overdue instructions (alert strip list): queries.INSTRUCTION_COLUMNS plus days_overdue.


@dataclass(frozen=True)
class Overview:
    """What ``/`` shows. Frames have the columns named above; empty frames when nothing to show."""

    portfolio: dict           # code, name, start_date, end_date, owner_name, owner_post
    portfolios: pd.DataFrame  # code, name (the selector)
    cards: pd.DataFrame
    programs: pd.DataFrame
    off_track: pd.DataFrame
    overdue: pd.DataFrame
    stale: pd.DataFrame
    today: dt.date
    data_version: int
    is_demo: bool


@by_data_version()
def build_overview(ctx: Context, portfolio_code: str | None = None) -> Overview | None:
    """The overview of ``portfolio_code`` (default: the newest portfolio); None if it does not exist."""
    engine, viewer, lang = ctx.engine, ctx.viewer, ctx.lang
    all_portfolios = queries.portfolios(engine, viewer, lang=lang)
    if all_portfolios.empty:
        return None
    code = normalise_code(portfolio_code) if portfolio_code else all_portfolios.iloc[0]["code"]
    if code not in set(all_portfolios["code"]):
        return None
    portfolio = all_portfolios.set_index("code").loc[code]
    programs = queries.children(engine, viewer, code, lang=lang)
    owners = queries.accountable(engine, viewer, [code, *programs["code"]], on=ctx.today, lang=lang).set_index("node")
    goals = queries.goals(engine, viewer, [code, *programs["code"]], lang=lang)
    assessed = assess_goals(ctx, goals)
    portfolio_goals = assessed.goals[(assessed.goals["node"] == code) & assessed.goals["headline"]]
    program_goals = assessed.goals[assessed.goals["node"] != code]
    owner = owners.loc[code] if code in owners.index else None
    return Overview(
        portfolio={"code": code, "name": portfolio["name"], "start_date": portfolio["start_date"],
                   "end_date": portfolio["end_date"],
                   "owner_name": owner["name"] if owner is not None else None,
                   "owner_post": owner["post"] if owner is not None else None},
        portfolios=all_portfolios[["code", "name"]].reset_index(drop=True),
        cards=goal_cards(ctx, portfolio_goals, assessed.series, owners),
        programs=_program_grid(ctx, programs, program_goals, owners, code),
        off_track=_off_track(assessed.goals, programs, portfolio, owners, code),
        overdue=_overdue(ctx),
        stale=_stale(assessed.goals),
        today=ctx.today,
        data_version=queries.data_version(engine),
        is_demo=ctx.is_demo,
    )


def _owner_fields(owners: pd.DataFrame, node: str) -> dict:
    if node not in owners.index:
        return {"owner": None, "owner_name": None, "owner_post": None}
    row = owners.loc[node]
    return {"owner": row["official"], "owner_name": row["name"], "owner_post": row["post"]}


def goal_cards(ctx: Context, goals: pd.DataFrame, series: pd.DataFrame, owners: pd.DataFrame) -> pd.DataFrame:
    """Assessed goals shaped as KPI cards (:data:`CARD_COLUMNS`), headline goals first: unit label,
    the node's accountable official (``owners`` indexed by node code) and the recent series."""
    goals = goals.sort_values("headline", ascending=False, kind="stable")
    rows = []
    for _, goal in goals.iterrows():
        history = series[(series["indicator"] == goal["indicator"]) & (series["region"] == goal["region"])]
        history = history.tail(SPARK_PERIODS[goal["frequency"]])
        rows.append({
            **{column: goal[column] for column in ("goal_id", "node", "indicator", "name", "unit", "decimals",
                                                   "direction", "latest_value", "latest_period", "target_value",
                                                   "target_year", "baseline_value", "baseline_period", "progress",
                                                   "expected_progress", "status", "reason_code", "reason_text",
                                                   "forecast_value", "freshness", "next_due", "source")},
            "unit_label": ctx.t(f"unit.{goal['unit']}"),
            "forecast_probability": goal["forecast_probability"],
            **_owner_fields(owners, goal["node"]),
            "spark_periods": list(history["period_start"]),
            "spark_values": list(history["value"]),
        })
    return pd.DataFrame(rows, columns=list(CARD_COLUMNS))


def _program_grid(ctx: Context, programs: pd.DataFrame, goals: pd.DataFrame, owners: pd.DataFrame,
                  portfolio: str) -> pd.DataFrame:
    if programs.empty:
        return pd.DataFrame(columns=list(PROGRAM_COLUMNS))
    rolled = rollup_groups(
        goals.assign(code=goals["goal_id"].astype(str), score=goals["progress"]), "node"
    ).set_index("code") if not goals.empty else pd.DataFrame()
    counts = queries.project_counts(ctx.engine, ctx.viewer, portfolio)
    projects = counts.groupby("program")["projects"].sum() if not counts.empty else pd.Series(dtype=int)
    by_goal = goals.set_index("goal_id") if not goals.empty else pd.DataFrame()
    rows = []
    for _, program in programs.iterrows():
        mine = goals[goals["node"] == program["code"]]
        roll = rolled.loc[program["code"]] if program["code"] in rolled.index else None
        worst = roll["worst_code"] if roll is not None else None
        rows.append({
            "code": program["code"], "name": program["name"], "kind": program["kind"], "region": program["region"],
            **_owner_fields(owners, program["code"]),
            "status": roll["status"] if roll is not None else "no_data",
            "reason_text": (worst_goal_reason(ctx, by_goal.loc[int(worst)])
                            if worst is not None and not pd.isna(worst) else None),
            "score": roll["score"] if roll is not None else None,
            "goals": len(mine),
            "off_track": int(mine["status"].isin(OFF_TRACK).sum()),
            "at_risk": int(mine["status"].isin(AT_RISK).sum()),
            "projects": int(projects.get(program["code"], 0)),
        })
    grid = pd.DataFrame(rows, columns=list(PROGRAM_COLUMNS))
    order = grid["status"].map(STATUS_ORDER.index)
    return grid.assign(_order=order).sort_values(["_order", "code"]).drop(columns="_order").reset_index(drop=True)


def _off_track(goals: pd.DataFrame, programs: pd.DataFrame, portfolio: pd.Series, owners: pd.DataFrame,
               code: str) -> pd.DataFrame:
    names = {code: portfolio["name"], **programs.set_index("code")["name"].to_dict()}
    bad = goals[goals["status"].isin(OFF_TRACK)]
    rows = [{"node": g["node"], "node_name": names.get(g["node"]), "indicator": g["indicator"], "name": g["name"],
             "status": g["status"], "reason_text": g["reason_text"],
             "owner_name": _owner_fields(owners, g["node"])["owner_name"]} for _, g in bad.iterrows()]
    frame = pd.DataFrame(rows, columns=list(OFF_TRACK_COLUMNS))
    return frame.assign(_order=frame["status"].map(STATUS_ORDER.index)).sort_values(
        ["_order", "node", "indicator"]).drop(columns="_order").reset_index(drop=True)


def _overdue(ctx: Context) -> pd.DataFrame:
    return with_days_overdue(ctx, queries.overdue_instructions(ctx.engine, ctx.viewer, today=ctx.today, lang=ctx.lang))


def with_days_overdue(ctx: Context, overdue: pd.DataFrame) -> pd.DataFrame:
    """Overdue instructions plus ``days_overdue`` (days since the due date, on ``ctx.today``)."""
    return overdue.assign(days_overdue=[(ctx.today - due).days for due in overdue["due_date"]])


def _stale(goals: pd.DataFrame) -> pd.DataFrame:
    late = goals[goals["freshness"].isin(["late", "stale"])].drop_duplicates("indicator")
    late = late.sort_values(["next_due", "indicator"])
    return late[list(STALE_COLUMNS)].reset_index(drop=True)
