"""The instructions template (поручения): an instruction from a meeting or protocol — who issued it,
who must carry it out, by when, when it was done (docs/import.md, "instructions").

Keyed by the instruction's code. A new instruction is loaded and recorded in the ledger as
``instruction.issued`` (and ``instruction.status`` ``done`` when it comes with a done date); an
existing one that gets a (new) done date is corrected and recorded as ``instruction.status``; any other
changed field is a correction of the stored row. An empty done date never reopens a done instruction;
texts add to the stored locales; an optional column the file lacks keeps the stored value."""

from __future__ import annotations

from typing import Any, Mapping

from data_sources.loaders.template import Column, Counts, Reference, Row, Template, WriteContext, names_columns
from data_sources.loaders.reference_rows import code_ids, code_of, given, not_before
from data_sources.loaders.upserts import given_fields, merge_texts, program_or_project, upsert
from data_sources.store import Agency, Instruction, Node, Official, Region

CODE_LENGTH = 32

COLUMNS = (
    Column("code", "код", "коды", required=True, help="the instruction's code (its number in the protocol)"),
    *names_columns("meeting"),
    Column("meeting_date", "дата совещания", "кеңес күні", required=True, help="date of the meeting"),
    *names_columns("text"),
    Column("issued_by", "кем дано", "тапсырма берген", required=True, help="code of the official who issued it"),
    Column("assignee", "исполнитель", "орындаушы", required=True, help="code of the official who must carry it out"),
    Column("agency", "госорган", "мемлекеттік орган", help="code of the responsible agency (optional)"),
    Column("node", "программа/проект", "бағдарлама/жоба", help="code of the program or project it concerns (optional)"),
    Column("region", "регион", "өңір", required=True, help="region code or name in kk/ru/en; empty = national"),
    Column("issued_date", "дата поручения", "тапсырма күні", required=True, help="date issued"),
    Column("due_date", "срок", "мерзімі", required=True, help="due date (not before the issue date)"),
    Column("done_date", "дата исполнения", "орындалған күні",
           help="date done (not before the issue date); empty = not done yet"),
    *names_columns("report"),
)

ROW_CODES = ("names_missing", "official_unknown", "agency_unknown", "node_unknown", "node_is_portfolio",
             "date_too_early", "code_too_long")

#: Record fields that are per-locale texts (a file's locales add to the stored ones).
TEXTS = ("meeting", "text", "report")


def parse(row: Row, reference: Reference) -> dict[str, Any] | None:
    """One row -> ``{code, meeting, meeting_date, text, issued_by, assignee, agency, node, region,
    issued_date, due_date, done_date, report}`` (texts as ``{locale: text}``, references as codes)."""
    code = code_of(row, "code", limit=CODE_LENGTH, required=True)
    meeting = row.texts("meeting", required=True)
    meeting_date = row.date("meeting_date", required=True)
    text = row.texts("text", required=True)
    issued_by = row.code("issued_by", required=True)
    row.known("issued_by", reference.officials, issued_by, "official_unknown")
    assignee = row.code("assignee", required=True)
    row.known("assignee", reference.officials, assignee, "official_unknown")
    agency = row.code("agency")
    row.known("agency", reference.agencies, agency, "agency_unknown")
    node = program_or_project(row, reference)
    region = row.region("region", reference)
    issued = row.date("issued_date", required=True)
    due = row.date("due_date", required=True)
    done = row.date("done_date")
    not_before(row, "due_date", due, "issued_date", issued)
    not_before(row, "done_date", done, "issued_date", issued)
    report = row.texts("report")
    if row.problems:
        return None
    return {"code": code, "meeting": meeting, "meeting_date": meeting_date, "text": text, "issued_by": issued_by,
            "assignee": assignee, "region": region, "issued_date": issued, "due_date": due, "report": report,
            **given(row, {"agency": agency, "node": node, "done_date": done})}


def _merge(stored: Mapping[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """Texts add to the stored locales; an empty done date keeps a recorded one."""
    merged = {**row, **{field: merge_texts(stored[field], row[field]) for field in TEXTS}}
    if "done_date" in row:
        merged["done_date"] = row["done_date"] or stored["done_date"]
    return merged


def write(ctx: WriteContext, records: list[dict[str, Any]]) -> Counts:
    conn = ctx.conn
    officials = code_ids(conn, Official, [r["issued_by"] for r in records] + [r["assignee"] for r in records])
    agencies = code_ids(conn, Agency, (r["agency"] for r in records if r.get("agency")))
    nodes = code_ids(conn, Node, (r["node"] for r in records if r.get("node")))
    regions = code_ids(conn, Region, (r["region"] for r in records))
    rows = [{"code": r["code"], "meeting": r["meeting"], "meeting_date": r["meeting_date"], "text": r["text"],
             "issued_by_id": officials[r["issued_by"]], "assignee_id": officials[r["assignee"]],
             "region_id": regions[r["region"]], "issued_date": r["issued_date"], "due_date": r["due_date"],
             "report": r["report"], **given_fields(r, "done_date"),
             **{f"{field}_id": ids.get(r[field]) for field, ids in (("agency", agencies), ("node", nodes))
                if field in r}} for r in records]
    done = upsert(ctx, Instruction.__table__, rows, key=("code",), merge=_merge,
                  defaults={"agency_id": None, "node_id": None, "done_date": None})
    by_code = {r["code"]: r for r in records}
    for row in done.inserted:
        r = by_code[row["code"]]
        ctx.ledger.append("instruction.issued", {
            "instruction": r["code"], "issued_by": r["issued_by"], "assignee": r["assignee"], "node": r.get("node"),
            "region": r["region"], "issued_date": r["issued_date"], "due_date": r["due_date"]}, actor=ctx.actor)
        if r.get("done_date") is not None:
            _done(ctx, r["code"], r["done_date"])
    for stored, new in done.updated:
        if new.get("done_date", stored["done_date"]) != stored["done_date"]:
            _done(ctx, new["code"], new["done_date"])
    return done.counts


def _done(ctx: WriteContext, code: str, day: Any) -> None:
    ctx.ledger.append("instruction.status", {"instruction": code, "status": "done", "date": day}, actor=ctx.actor)


TEMPLATE = Template(
    name="instructions",
    title="Instructions (поручения) from meetings",
    columns=COLUMNS,
    key=("code",),
    parse=parse,
    write=write,
    row_codes=ROW_CODES,
    sheet_names=("поручения", "тапсырмалар"),
    example=(("INS-2026-0001", "", "Заседание Правительства Республики Казахстан", "", "2026-01-13", "",
              "Обеспечить реализацию проекта в установленный срок", "", "OF-GOV-01", "OF-ALA-CON-01", "AKIMAT-ALA",
              "NP-TECH-ALA-01", "ALA", "2026-01-14", "2026-03-31", "", "", "", ""),),
)
