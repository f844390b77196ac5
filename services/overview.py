"""The minister's overview of a portfolio: headline KPI cards, the program grid, the alert strip."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from services.context import Context

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


def build_overview(ctx: Context, portfolio_code: str | None = None) -> Overview | None:
    """The overview of ``portfolio_code`` (default: the newest portfolio); None if it does not exist."""
    raise NotImplementedError("being written by the lead")
