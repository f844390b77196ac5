"""The officials template: the people accountable for nodes and goals — political servants (ministers,
akims: portfolios and programs) and administrative servants (project owners) (docs/import.md,
"officials"). Upserted by code like agencies: new *loaded*, equal *unchanged*, different *corrected*
(updated; who is accountable for what, with its history, is the responsibilities template)."""

from __future__ import annotations

from typing import Any

from data_sources.loaders.reference_rows import code_ids, code_of, given, known_code, record_region, upsert_by_code
from data_sources.loaders.template import Column, Counts, Reference, Row, Template, WriteContext, names_columns
from data_sources.store import Agency, Official, Region

#: Accepted spellings (any case) of the kinds of servant.
KINDS = {"political": "political", "политический": "political", "саяси": "political",
         "administrative": "administrative", "административный": "administrative", "әкімшілік": "administrative"}
#: Letters of an official's code (the store's column).
CODE_LIMIT = 32

COLUMNS = (
    Column("code", "код", "коды", required=True, help="the official's code (letters, digits, _ - ., up to 32)"),
    *names_columns("name"),
    *names_columns("post"),
    Column("kind", "вид", "түрі", required=True,
           help="political (portfolios, programs) or administrative (projects); also in Russian or Kazakh"),
    Column("agency", "госорган", "мемлекеттік орган", help="code of the official's agency (must exist); empty = none"),
    Column("region", "регион", "өңір", help="region code or name in kk/ru/en; empty = national (KZ)"),
)

ROW_CODES = ("names_missing", "code_too_long", "agency_unknown")


def parse(row: Row, reference: Reference) -> dict[str, Any] | None:
    """One row -> ``{code, name, kind, region}`` plus ``post`` and ``agency`` when the file has them."""
    code = code_of(row, "code", limit=CODE_LIMIT, required=True)
    names = row.texts("name", required=True)
    posts = row.texts("post")
    kind = row.choice("kind", KINDS, required=True)
    agency = known_code(row, "agency", reference.agencies, "agency_unknown")
    region = record_region(row, reference, reference.officials.get(code) if code else None)
    if row.problems:
        return None
    return {"code": code, "name": names, "kind": kind, "region": region, "post": posts,
            **given(row, {"agency": agency})}


def write(ctx: WriteContext, records: list[dict[str, Any]]) -> Counts:
    regions, agencies = code_ids(ctx.conn, Region), code_ids(ctx.conn, Agency)
    rows = [{"code": r["code"], "name": r["name"], "post": r["post"], "kind": r["kind"],
             "region_id": regions[r["region"]],
             **({"agency_id": agencies[r["agency"]] if r["agency"] else None} if "agency" in r else {})}
            for r in records]
    return upsert_by_code(ctx, Official.__table__, rows, defaults={"agency_id": None, "synthetic": False},
                          texts=("name", "post"))


TEMPLATE = Template(
    name="officials",
    title="Officials: political and administrative servants",
    columns=COLUMNS,
    key=("code",),
    parse=parse,
    write=write,
    row_codes=ROW_CODES,
    sheet_names=("должностные лица", "лауазымды адамдар", "ответственные лица"),
    example=(("MH-MIN", "", "Иванова А. Б.", "", "", "Министр здравоохранения", "Minister of Healthcare",
              "political", "MH", ""),
             ("AST-HEALTH", "", "Сейткали Н.", "", "", "Руководитель управления здравоохранения", "",
              "административный", "AKIMAT-AST", "Астана")),
)
