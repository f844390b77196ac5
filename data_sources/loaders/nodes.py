"""The nodes template: portfolios, programs and projects in one table — the plan's tree (docs/import.md,
"nodes"). A program hangs under a portfolio, a project under a program; a parent must be in the
store or in an earlier row of the same file (rows are written portfolios first, then programs, then
projects). Upserted by code: new *loaded*, equal *unchanged*, different *corrected* (updated; a new
parent moves the node). A node never changes its level."""

from __future__ import annotations

from typing import Any

from data_sources.loaders.files import Refused
from data_sources.loaders.reference_rows import (
    code_ids,
    given,
    known_code,
    not_before,
    or_default,
    record_region,
    sheet_memory,
    short_text,
    upsert_by_code,
)
from data_sources.loaders.template import Column, Counts, Reference, Row, Template, WriteContext, names_columns
from data_sources.store import Agency, Node, Region

LEVELS = ("portfolio", "program", "project")
#: Accepted spellings (any case) of the levels.
LEVEL_WORDS = {"portfolio": "portfolio", "портфель": "portfolio", "портфолио": "portfolio",
               "program": "program", "programme": "program", "программа": "program", "бағдарлама": "program",
               "project": "project", "проект": "project", "жоба": "project"}
#: The level a node's parent must have.
PARENT_LEVEL = {"program": "portfolio", "project": "program"}
#: Accepted spellings (any case) of the states.
STATES = {"planned": "planned", "запланирован": "planned", "планируется": "planned", "жоспарланған": "planned",
          "active": "active", "активный": "active", "реализуется": "active", "іске асырылуда": "active",
          "белсенді": "active",
          "completed": "completed", "завершён": "completed", "завершен": "completed", "аяқталған": "completed",
          "suspended": "suspended", "приостановлен": "suspended", "тоқтатылған": "suspended"}
KIND_LIMIT = 32
#: Defaults of an empty cell (the store's defaults).
DEFAULTS = {"kind": None, "description": {}, "agency": None, "start_date": None, "end_date": None, "weight": 1.0,
            "state": "active", "budget_kzt": None, "legal_act": None, "source": None}

COLUMNS = (
    Column("code", "код", "коды", required=True, help="the node's code (letters, digits, _ - ., up to 48)"),
    Column("level", "уровень", "деңгейі", required=True,
           help="portfolio, program or project (also in Russian or Kazakh); never changes"),
    Column("parent", "родитель", "жоғарғы деңгей",
           help="code of the parent: a portfolio for a program, a program for a project; empty for a portfolio"),
    Column("kind", "вид", "түрі", help="free text, e.g. national_project, territorial_program (up to 32)"),
    *names_columns("name"),
    *names_columns("description"),
    Column("agency", "госорган", "мемлекеттік орган", help="code of the responsible agency (must exist); empty = none"),
    Column("region", "регион", "өңір", help="region code or name in kk/ru/en; empty = national (KZ)"),
    Column("start_date", "дата начала", "басталу күні", help="first day (YYYY-MM-DD or DD.MM.YYYY)"),
    Column("end_date", "дата окончания", "аяқталу күні", help="last day, not before start_date"),
    Column("weight", "вес", "салмағы", help="weight in its parent's roll-up (>= 0); empty = 1"),
    Column("state", "состояние", "күйі", help="planned, active, completed or suspended; empty = active"),
    Column("budget_kzt", "бюджет, тенге", "бюджет, теңге", help="budget in tenge (>= 0)"),
    Column("legal_act", "правовой акт", "құқықтық акт", help="the act that approved the node (free text)"),
    Column("source", "источник", "дереккөз", help="where the row comes from (free text)"),
)

ROW_CODES = ("names_missing", "text_too_long", "date_too_early", "agency_unknown",
             "parent_unknown", "parent_invalid", "node_level_changed")


def _parent(row: Row, reference: Reference, level: str | None, stored: Any) -> str | None:
    """The parent's code (the stored one when the file has no parent column), checked for its level."""
    if "parent" in row.cells:
        before = len(row.problems)
        parent = row.code("parent")
        if len(row.problems) > before:
            return None
    else:
        parent = stored.parent if stored is not None else None
    if level is None:
        return parent
    expected = PARENT_LEVEL.get(level)
    if expected is None:
        if parent is not None:
            row.problem("parent", "parent_invalid", value=parent)
        return None
    if parent is None:
        row.problem("parent", "cell_missing", "")
        return None
    earlier = sheet_memory(reference, "nodes").get(parent)
    parent_level = earlier or (reference.nodes[parent].level if parent in reference.nodes else None)
    if parent_level is None:
        row.problem("parent", "parent_unknown", value=parent)
    elif parent_level != expected:
        row.problem("parent", "parent_invalid", value=parent)
    return parent


def parse(row: Row, reference: Reference) -> dict[str, Any] | None:
    """One row -> ``{code, level, parent, name, region}`` plus the other columns the file has."""
    code = row.code("code", required=True)
    level = row.choice("level", LEVEL_WORDS, required=True)
    stored = reference.nodes.get(code) if code else None
    if stored is not None and level is not None and stored.level != level:
        row.problem("level", "node_level_changed", value=code)
    parent = _parent(row, reference, level, stored)
    names = row.texts("name", required=True)
    start, end = row.date("start_date"), row.date("end_date")
    not_before(row, "end_date", end, "start_date", start)
    optional = given(row, {
        "kind": short_text(row, "kind", limit=KIND_LIMIT),
        "agency": known_code(row, "agency", reference.agencies, "agency_unknown"),
        "start_date": start, "end_date": end,
        "weight": or_default(row.number("weight", minimum=0), DEFAULTS["weight"]),
        "state": row.choice("state", STATES, default=DEFAULTS["state"]),
        "budget_kzt": row.number("budget_kzt", minimum=0),
        "legal_act": row.text("legal_act"),
        "source": row.text("source"),
    })
    if any(f"description_{loc}" in row.cells for loc in ("kk", "ru", "en")):
        optional["description"] = row.texts("description")
    region = record_region(row, reference, stored.region if stored is not None else None)
    if row.problems:
        return None
    sheet_memory(reference, "nodes")[code] = level
    return {"code": code, "level": level, "parent": parent, "name": names, "region": region, **optional}


def write(ctx: WriteContext, records: list[dict[str, Any]]) -> Counts:
    """Portfolios, then programs, then projects, so a parent is written before its children."""
    regions, agencies = code_ids(ctx.conn, Region), code_ids(ctx.conn, Agency)
    counts = Counts()
    for level in LEVELS:
        batch = [r for r in records if r["level"] == level]
        if not batch:
            continue
        parents = code_ids(ctx.conn, Node, {r["parent"] for r in batch if r["parent"]})
        rows = []
        for record in batch:
            if record["parent"] is not None and record["parent"] not in parents:
                # Only when the parent's own rows were quarantined as conflicting duplicates.
                raise Refused("file_parent_conflict", node=record["code"], parent=record["parent"])
            row = {k: v for k, v in record.items() if k not in ("parent", "region", "agency")}
            row["parent_id"] = parents[record["parent"]] if record["parent"] is not None else None
            row["region_id"] = regions[record["region"]]
            if "agency" in record:
                row["agency_id"] = agencies[record["agency"]] if record["agency"] else None
            rows.append(row)
        defaults = {**{k: v for k, v in DEFAULTS.items() if k != "agency"}, "agency_id": None, "synthetic": False}
        counts = counts + upsert_by_code(ctx, Node.__table__, rows, defaults=defaults, texts=("name", "description"))
    return counts


TEMPLATE = Template(
    name="nodes",
    title="Portfolios, programs and projects",
    columns=COLUMNS,
    key=("code",),
    parse=parse,
    write=write,
    row_codes=ROW_CODES,
    sheet_names=("портфели, программы, проекты", "портфельдер, бағдарламалар, жобалар", "программы и проекты",
                 "бағдарламалар мен жобалар"),
    example=(("NP-HEALTH", "portfolio", "", "national_project", "", "Здоровая нация", "Healthy nation",
              "", "", "", "MH", "", "2024-01-01", "2029-12-31", "", "active", "", "", ""),
             ("NP-HEALTH-P1", "программа", "NP-HEALTH", "", "", "Первичная помощь", "", "", "", "", "MH", "",
              "2024-01-01", "2029-12-31", "1", "", "", "", ""),
             ("NP-HEALTH-P1-01", "проект", "NP-HEALTH-P1", "", "", "Поликлиника в Астане", "", "", "", "", "",
              "Астана", "01.03.2025", "31.12.2026", "", "реализуется", "1 250 000 000", "", "")),
)
