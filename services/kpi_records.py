"""KPI records: one typed record per goal, for ``natije kpi --json`` and the data API.

A record is an indicator with its target under one node (an indicator can be a goal of two plans
with different targets). Schema (docs/kpi.md)::

    {"code", "name", "unit", "direction": "up"|"down", "node": CODE, "region": CODE|null,
     "baseline": {"value", "period"}, "target": {"value", "year"}, "latest": {"value", "period"},
     "progress", "expected_progress",
     "forecast": {"value", "low", "high", "probability", "date"} | null,
     "status", "reason": {"code", "text"}, "freshness": {"state", "next_due"}}

Numbers are JSON numbers, periods in the loader's syntax, ``null`` where a figure cannot be computed.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from data_sources import queries
from data_sources.store import NATION, normalise_code
from services.context import Context
from services.goals import assess_goals


class UnknownCode(LookupError):
    """A node or region code the store does not have (or the viewer may not see)."""


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return float(value)


def _text(value: Any) -> str | None:
    """A period label, or None where the frame holds NaN/NA (no value yet): JSON has no NaN."""
    return None if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else value


def _iso(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value.isoformat()


def kpi_records(ctx: Context, *, node: str | None = None, region: str | None = None) -> dict:
    """``{"as_of": "YYYY-MM-DD", "indicators": [record, ...]}`` for the subtree of ``node`` (default:
    every portfolio), national values unless ``region``."""
    roots = [normalise_code(node)] if node else list(queries.portfolios(ctx.engine, ctx.viewer)["code"])
    codes: list[str] = []
    for root in roots:
        nodes = queries.subtree(ctx.engine, ctx.viewer, root, lang=ctx.lang)
        if nodes.empty:
            raise UnknownCode(f"no node {root}")
        codes.extend(nodes["code"])
    region_code = normalise_code(region) if region else NATION
    if region and region_code not in set(queries.region_codes(ctx.engine)):
        raise UnknownCode(f"no region {region_code}")
    goals = queries.goals(ctx.engine, ctx.viewer, codes, lang=ctx.lang)
    assessed = assess_goals(ctx, goals, region=region_code).goals
    return {"as_of": ctx.today.isoformat(), "indicators": [record(row, region) for _, row in assessed.iterrows()]}


def record(goal: pd.Series, region: str | None) -> dict:
    """One record of the schema above from an assessed goal row."""
    has_forecast = goal["forecast_state"] == "ok"
    return {
        "code": goal["indicator"],
        "name": goal["name"],
        "unit": goal["unit"],
        "direction": goal["direction"],
        "node": goal["node"],
        "region": normalise_code(region) if region else None,
        "baseline": {"value": _number(goal["baseline_value"]), "period": _text(goal["baseline_period"])},
        "target": ({"value": _number(goal["target_value"]), "year": int(goal["target_year"])}
                   if goal["target_value"] is not None and not pd.isna(goal["target_value"]) else None),
        "latest": {"value": _number(goal["latest_value"]), "period": _text(goal["latest_period"])},
        "progress": _number(goal["progress"]),
        "expected_progress": _number(goal["expected_progress"]),
        "forecast": ({"value": _number(goal["forecast_value"]), "low": _number(goal["forecast_low"]),
                      "high": _number(goal["forecast_high"]), "probability": _number(goal["forecast_probability"]),
                      "date": _iso(goal["forecast_date"])} if has_forecast else None),
        "status": goal["status"],
        "reason": {"code": goal["reason_code"], "text": goal["reason_text"]},
        "freshness": {"state": goal["freshness"], "next_due": _iso(goal["next_due"])},
    }
