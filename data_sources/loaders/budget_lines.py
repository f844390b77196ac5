"""The budget lines template: a project's money for a month in tenge — planned, allocated, spent
(docs/import.md, "budget_lines"). Keyed by (project, month): a new line is loaded, an equal one
unchanged, a different one corrected (the stored line is updated; there is no ledger kind for budget
lines). Amounts are written as people type them: ``1 234 567,8``, ``₸ 1 234 567``, ``1 234 567 тг``."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from data_sources.loaders.cells import blank, number_cell, parse_number, parse_period, text
from data_sources.loaders.template import Column, Counts, Reference, Row, Template, WriteContext
from data_sources.loaders.reference_rows import code_ids
from data_sources.loaders.upserts import project, upsert
from data_sources.store import BudgetLine, Node

MONTH_FORMATS = "YYYY-MM, MM.YYYY, YYYY-MM-DD, DD.MM.YYYY"
MONEY_COLUMNS = ("planned_kzt", "allocated_kzt", "spent_kzt")
#: A tenge sign before or after the amount, or the word after it (any case): ``₸``, ``тг``, ``тг.``,
#: ``тенге``, ``теңге``, ``KZT``.
_CURRENCY = re.compile(r"^(?:₸\s*)?(?P<amount>.*?)\s*(?:₸|тг\.?|тенге|теңге|kzt)?$", re.IGNORECASE)
_MONTH_LABEL = re.compile(r"^(\d{4})-(\d{2})$")

COLUMNS = (
    Column("project", "проект", "жоба", required=True, help="project code (a node of level project)"),
    Column("month", "месяц", "ай", required=True,
           help=f"the month ({MONTH_FORMATS}; a date means the month containing it)"),
    Column("planned_kzt", "запланировано", "жоспарланған", required=True, help="planned for the month, tenge (≥ 0)"),
    Column("allocated_kzt", "выделено", "бөлінген", required=True, help="allocated (funds released), tenge (≥ 0)"),
    Column("spent_kzt", "освоено", "игерілген", required=True, help="spent, tenge (≥ 0)"),
)

ROW_CODES = ("project_unknown", "project_not_project", "month_invalid", "money_invalid")


def parse_money(cell: Any) -> float:
    """Tenge as typed (:func:`cells.parse_number` with an optional ``₸`` / ``тг`` / ``тенге`` /
    ``теңге`` / ``KZT``), or an XLSX number; ValueError unless a finite amount ≥ 0."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        value = number_cell(cell)
    elif isinstance(cell, str) and (match := _CURRENCY.match(cell.strip())):
        value = parse_number(match["amount"])
    else:
        raise ValueError(f"not an amount: {cell!r}")
    if value < 0:
        raise ValueError(f"negative amount: {cell!r}")
    return value


def parse_month(cell: Any) -> dt.date:
    """The first day of the month a cell names (``2025-09``, ``09.2025``, or a date in it); ValueError else."""
    period = parse_period(cell)
    if isinstance(period, dt.date):
        return period.replace(day=1)
    if match := _MONTH_LABEL.match(period):
        return dt.date(int(match[1]), int(match[2]), 1)
    raise ValueError(f"not a month: {cell!r}")


def _money(row: Row, column: str) -> float | None:
    cell = row.raw(column)
    if blank(cell):
        row.problem(column, "cell_missing", "")
        return None
    try:
        return parse_money(cell)
    except ValueError:
        row.problem(column, "money_invalid", value=text(cell))
        return None


def parse(row: Row, reference: Reference) -> dict[str, Any] | None:
    """One row -> ``{project, month (its first day), planned_kzt, allocated_kzt, spent_kzt}``."""
    code = project(row, reference)
    month = None
    cell = row.raw("month")
    if blank(cell):
        row.problem("month", "cell_missing", "")
    else:
        try:
            month = parse_month(cell)
        except ValueError:
            row.problem("month", "month_invalid", value=text(cell), formats=MONTH_FORMATS)
    amounts = {column: _money(row, column) for column in MONEY_COLUMNS}
    if row.problems:
        return None
    return {"project": code, "month": month, **amounts}


def write(ctx: WriteContext, records: list[dict[str, Any]]) -> Counts:
    node_ids = code_ids(ctx.conn, Node, (r["project"] for r in records))
    rows = [{"node_id": node_ids[r["project"]], "period_start": r["month"],
             **{column: r[column] for column in MONEY_COLUMNS}} for r in records]
    return upsert(ctx, BudgetLine.__table__, rows, key=("node_id", "period_start")).counts


TEMPLATE = Template(
    name="budget_lines",
    title="Budget lines of projects (tenge per month)",
    columns=COLUMNS,
    key=("project", "month"),
    parse=parse,
    write=write,
    row_codes=ROW_CODES,
    sheet_names=("бюджет", "budget"),
    example=(("NP-TECH-ALA-01", "2026-01", "120 000 000", "100 000 000", "87 540 300,5"),
             ("NP-TECH-ALA-01", "02.2026", "₸ 95 000 000", "95 000 000 тг", "0")),
)
