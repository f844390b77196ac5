"""The agencies template: ministries, akimats and other state bodies that own nodes, indicators and
instructions (docs/import.md, "agencies"). Upserted by code: a new code is *loaded*, a row equal to
the store *unchanged*, a different one *corrected* (the agency is updated; reference rows keep no
history and the ledger has no kind for them, so the batch's own ``batch.loaded`` entry records it)."""

from __future__ import annotations

from typing import Any

from data_sources.loaders.reference_rows import code_ids, code_of, record_region, upsert_by_code
from data_sources.loaders.template import Column, Counts, Reference, Row, Template, WriteContext, names_columns
from data_sources.store import Agency, Region

#: Accepted spellings (any case) of the kinds of agency.
KINDS = {"ministry": "ministry", "министерство": "ministry", "министрлік": "ministry",
         "akimat": "akimat", "акимат": "akimat", "әкімдік": "akimat",
         "agency": "agency", "агентство": "agency", "ведомство": "agency", "агенттік": "agency"}
#: Letters of an agency's code (the store's column).
CODE_LIMIT = 32

COLUMNS = (
    Column("code", "код", "коды", required=True, help="the agency's code (letters, digits, _ - ., up to 32)"),
    Column("kind", "вид", "түрі", required=True, help="ministry, akimat or agency (also in Russian or Kazakh)"),
    *names_columns("name"),
    Column("region", "регион", "өңір", help="region code or name in kk/ru/en; empty = national (KZ)"),
)

ROW_CODES = ("names_missing", "code_too_long")


def parse(row: Row, reference: Reference) -> dict[str, Any] | None:
    """One row -> ``{code, kind, name, region}`` (``name``: the languages given)."""
    code = code_of(row, "code", limit=CODE_LIMIT, required=True)
    kind = row.choice("kind", KINDS, required=True)
    names = row.texts("name", required=True)
    region = record_region(row, reference, reference.agencies.get(code) if code else None)
    if row.problems:
        return None
    return {"code": code, "kind": kind, "name": names, "region": region}


def write(ctx: WriteContext, records: list[dict[str, Any]]) -> Counts:
    regions = code_ids(ctx.conn, Region)
    rows = [{"code": r["code"], "kind": r["kind"], "name": r["name"], "region_id": regions[r["region"]]}
            for r in records]
    return upsert_by_code(ctx, Agency.__table__, rows, defaults={})


TEMPLATE = Template(
    name="agencies",
    title="Agencies: ministries, akimats, agencies",
    columns=COLUMNS,
    key=("code",),
    parse=parse,
    write=write,
    row_codes=ROW_CODES,
    sheet_names=("госорганы", "органы", "мемлекеттік органдар", "органдар"),
    example=(("MH", "ministry", "Денсаулық сақтау министрлігі", "Министерство здравоохранения", "Ministry of Healthcare", ""),
             ("AKIMAT-AST", "акимат", "Астана қаласының әкімдігі", "Акимат города Астаны", "Akimat of Astana", "AST")),
)
