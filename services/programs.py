"""What the program page adds to its node view: its projects' delivery health, and its instructions.

The projects' figures are computed the one way the project page computes them
(:func:`services.projects.project_earned_value` and :func:`services.projects.health_fields`), so the
grid of a program and the page of each project can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_sources import queries
from kpi.project_health import milestone_states
from kpi.status import STATUS_ORDER
from services.cache import by_data_version
from services.context import Context
from services.nodes import CHILD_COLUMNS, build_node
from services.projects import health_fields, project_earned_value

#: One row per project of the program: its node columns (:data:`services.nodes.CHILD_COLUMNS`) plus its
#: delivery health — ``status`` / ``reason_text`` (the worse of schedule and budget), ``schedule_health`` /
#: ``schedule_reason`` (from SPI), ``budget_health`` / ``budget_reason`` (from CPI), ``spi``, ``cpi``,
#: ``execution_to_date`` (spent / planned to date), ``spent_kzt`` (spent by ``ctx.today``),
#: ``milestones_overdue``. Worst status first, then by code.
PROGRAM_PROJECT_COLUMNS = (*CHILD_COLUMNS, "status", "reason_text", "schedule_health", "schedule_reason",
                           "budget_health", "budget_reason", "spi", "cpi", "execution_to_date", "spent_kzt",
                           "milestones_overdue")


@dataclass(frozen=True)
class ProgramExtras:
    """``projects``: :data:`PROGRAM_PROJECT_COLUMNS`; ``instructions``: counts ``{"total", "done",
    "open", "overdue"}`` of the instructions linked to the program or one of its projects, issued by
    ``ctx.today`` (all zero for roles that do not see instructions)."""

    projects: pd.DataFrame
    instructions: dict


@by_data_version()
def build_program_extras(ctx: Context, code: str) -> ProgramExtras | None:
    """The health of program ``code``'s projects and the counts of its instructions, as of
    ``ctx.today``; None when ``code`` is not a program this viewer may see."""
    view = build_node(ctx, code)
    if view is None or view.node["level"] != "program":
        return None
    engine, viewer, today, lang = ctx.engine, ctx.viewer, ctx.today, ctx.lang
    children = view.children
    rows = []
    for _, child in children.iterrows():
        code = child["code"]
        stones = queries.milestones(engine, viewer, code, today=today, lang=lang)
        lines = queries.budget_lines(engine, viewer, code, today=today)
        value, health = project_earned_value(child.to_dict(), stones, lines, today)
        fields = health_fields(ctx, health)
        spent = pd.to_numeric(lines["spent_kzt"]).sum() if not lines.empty else 0.0
        rows.append({
            **child.to_dict(),
            "status": fields["health"]["status"], "reason_text": fields["health"]["reason_text"],
            "schedule_health": fields["schedule_health"]["status"],
            "schedule_reason": fields["schedule_health"]["reason_text"],
            "budget_health": fields["budget_health"]["status"],
            "budget_reason": fields["budget_health"]["reason_text"],
            "spi": value["spi"], "cpi": value["cpi"], "execution_to_date": value["execution_to_date"],
            "spent_kzt": float(spent),
            "milestones_overdue": int((milestone_states(stones, today=today)["state"] == "overdue").sum())
            if not stones.empty else 0,
        })
    projects = pd.DataFrame(rows, columns=list(PROGRAM_PROJECT_COLUMNS))
    if not projects.empty:
        order = projects["status"].map(STATUS_ORDER.index)
        projects = (projects.assign(_order=order).sort_values(["_order", "code"]).drop(columns="_order")
                    .reset_index(drop=True))
    return ProgramExtras(projects=projects, instructions=_instruction_counts(ctx, [view.node["code"], *children["code"]]))


def _instruction_counts(ctx: Context, codes: list[str]) -> dict:
    frames = [queries.node_instructions(ctx.engine, ctx.viewer, code, today=ctx.today, lang=ctx.lang) for code in codes]
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return {"total": 0, "done": 0, "open": 0, "overdue": 0}
    linked = pd.concat(frames, ignore_index=True).drop_duplicates("code")
    done = linked["done_date"].notna()
    overdue = ~done & (pd.to_datetime(linked["due_date"]) < pd.Timestamp(ctx.today))
    return {"total": int(len(linked)), "done": int(done.sum()), "open": int((~done).sum()),
            "overdue": int(overdue.sum())}
