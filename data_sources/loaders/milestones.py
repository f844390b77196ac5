"""The milestones template: a project's milestones with their weights (for earned value) and planned /
actual dates (docs/import.md, "milestones"). Keyed by (project, seq): a new milestone is loaded, an
equal one unchanged, a different one corrected (the stored row is updated; there is no ledger kind for
milestones). Names add to the stored locales; an empty or missing ``actual_date`` keeps a recorded one."""

from __future__ import annotations

from typing import Any, Mapping

from data_sources.loaders.cells import text
from data_sources.loaders.template import Column, Counts, Reference, Row, Template, WriteContext, names_columns
from data_sources.loaders.reference_rows import code_ids, given
from data_sources.loaders.upserts import given_fields, merge_texts, project, upsert
from data_sources.store import Milestone, Node

COLUMNS = (
    Column("project", "проект", "жоба", required=True, help="project code (a node of level project)"),
    Column("seq", "номер", "нөмірі", required=True, help="the milestone's number within the project, from 1"),
    *names_columns("name"),
    Column("weight", "вес", "салмағы", required=True,
           help="share of the project's work (> 0; earned value weighs milestones by it)"),
    Column("planned_date", "плановая дата", "жоспарлы күні", required=True,
           help="planned date (YYYY-MM-DD or DD.MM.YYYY)"),
    Column("actual_date", "фактическая дата", "нақты күні", help="date reached; empty = not reached yet"),
)

ROW_CODES = ("project_unknown", "project_not_project", "names_missing", "weight_not_positive")


def parse(row: Row, reference: Reference) -> dict[str, Any] | None:
    """One row -> ``{project, seq, name, weight, planned_date, actual_date}``."""
    code = project(row, reference)
    seq = row.integer("seq", required=True, minimum=1)
    names = row.texts("name", required=True)
    weight = row.number("weight", required=True)
    if weight is not None and weight <= 0:
        row.problem("weight", "weight_not_positive", value=text(row.raw("weight")))
    planned = row.date("planned_date", required=True)
    actual = row.date("actual_date")
    if row.problems:
        return None
    return {"project": code, "seq": seq, "name": names, "weight": weight, "planned_date": planned,
            **given(row, {"actual_date": actual})}


def _merge(stored: Mapping[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """Names add to the stored locales; an empty actual date keeps a recorded one."""
    merged = {**row, "name": merge_texts(stored["name"], row["name"])}
    if "actual_date" in row:
        merged["actual_date"] = row["actual_date"] or stored["actual_date"]
    return merged


def write(ctx: WriteContext, records: list[dict[str, Any]]) -> Counts:
    node_ids = code_ids(ctx.conn, Node, (r["project"] for r in records))
    rows = [{"node_id": node_ids[r["project"]], "seq": r["seq"], "name": r["name"], "weight": r["weight"],
             "planned_date": r["planned_date"], **given_fields(r, "actual_date")} for r in records]
    return upsert(ctx, Milestone.__table__, rows, key=("node_id", "seq"), defaults={"actual_date": None},
                  merge=_merge).counts


TEMPLATE = Template(
    name="milestones",
    title="Milestones of projects",
    columns=COLUMNS,
    key=("project", "seq"),
    parse=parse,
    write=write,
    row_codes=ROW_CODES,
    sheet_names=("вехи", "контрольные точки", "кезеңдер", "бақылау нүктелері"),
    example=(("NP-TECH-ALA-01", "1", "Техникалық тапсырма бекітілді", "Утверждено техническое задание",
              "Technical specification approved", "0,3", "2026-03-31", "2026-03-20"),
             ("NP-TECH-ALA-01", "2", "", "Проведены закупки", "", "0,7", "30.09.2026", "")),
)
