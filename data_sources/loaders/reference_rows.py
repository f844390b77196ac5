"""What the reference and accountability templates share (agencies, officials, indicators, nodes,
targets, responsibilities; docs/import.md):

* a column the file does not have leaves the stored value as it is; a present cell, even an empty
  one, is the record's value (an empty cell means the column's default);
* per-language texts (``name_kk/_ru/_en`` …) are merged into the stored ones: an empty cell keeps that
  language's text, so a load never removes a translation;
* records are upserted by code: new = *loaded*, equal to the store = *unchanged*, different =
  *corrected* (the changed columns are updated);
* a region-scoped uploader may neither write a record of another region nor move one into theirs;
* ``parse`` may remember earlier rows of the same sheet (a node's parent may be an earlier row).
"""

from __future__ import annotations

import weakref
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy import Connection, Table, select

from data_sources.loaders.template import Counts, Reference, Row, WriteContext
from data_sources.loaders.upserts import merge_texts, upsert
from data_sources.store import NATION, Base

#: Where a text given in a file comes from (``name_origin``): the agency's own wording.
LOADED_TEXT_ORIGIN = "official"
#: Codes per ``IN (...)`` query.
CODE_CHUNK = 500

_SHEET_MEMORY: "weakref.WeakKeyDictionary[Reference, dict[str, dict]]" = weakref.WeakKeyDictionary()


def sheet_memory(reference: Reference, name: str) -> dict:
    """A dict ``parse`` keeps across the rows of one sheet (each sheet has its own Reference)."""
    return _SHEET_MEMORY.setdefault(reference, {}).setdefault(name, {})


def given(row: Row, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values whose column the file has (a missing column leaves the stored value as it is)."""
    return {column: value for column, value in values.items() if column in row.cells}


def or_default(value: Any, default: Any) -> Any:
    """An empty cell's value: the column's default."""
    return default if value is None else value


def code_of(row: Row, column: str, *, limit: int, required: bool = False) -> str | None:
    """A code (:meth:`Row.code`) that also fits the store's column of ``limit`` characters (``code_too_long``)."""
    code = row.code(column, required=required)
    if code is not None and len(code) > limit:
        row.problem(column, "code_too_long", value=code, max=limit)
        return None
    return code


def short_text(row: Row, column: str, *, limit: int) -> str | None:
    """A free text of at most ``limit`` characters (``text_too_long``)."""
    value = row.text(column)
    if value is not None and len(value) > limit:
        row.problem(column, "text_too_long", max=limit)
        return None
    return value


def known_code(row: Row, column: str, known: Mapping[str, Any] | frozenset[str], problem_code: str) -> str | None:
    """An optional code that must name an existing record (``problem_code`` when it does not)."""
    code = row.code(column)
    if code is not None and not row.known(column, known, code, problem_code):
        return None
    return code


def not_before(row: Row, column: str, value: Any, start_column: str, start: Any) -> None:
    """``date_too_early`` when the date ``value`` of ``column`` is before ``start`` (of ``start_column``)."""
    if value is not None and start is not None and value < start:
        row.problem(column, "date_too_early", value=value.isoformat(),
                    after=row.headers.get(start_column, start_column), date=start.isoformat())


def in_scope(row: Row, reference: Reference, column: str | None, region: str) -> bool:
    """Whether a region-scoped uploader may write a row of ``region`` (else ``region_out_of_scope``)."""
    scope = reference.scope_region
    if scope is None or region == scope:
        return True
    row.problem(column, "region_out_of_scope", region, value=region, scope=scope)
    return False


def record_region(row: Row, reference: Reference, stored: str | None, column: str = "region") -> str | None:
    """A record's region code: the cell when the file has the column (empty = the nation), else the
    stored region (the nation for a new record), checked against the uploader's scope together with
    the stored region."""
    if column in row.cells:
        region = row.region(column, reference)
        if region is None:
            return None
    else:
        region = stored or NATION
    for code in dict.fromkeys(c for c in (region, stored) if c is not None):
        if not in_scope(row, reference, column if column in row.cells else None, code):
            return None
    return region


def code_ids(conn: Connection, model: type[Base], codes: Iterable[str] | None = None) -> dict[str, int]:
    """code -> id of a table with a ``code`` column (all rows, or only ``codes``)."""
    table = model.__table__
    if codes is None:
        return dict(conn.execute(select(table.c.code, table.c.id)).all())
    wanted = sorted(set(codes))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), CODE_CHUNK):
        found.update(conn.execute(select(table.c.code, table.c.id)
                                  .where(table.c.code.in_(wanted[start:start + CODE_CHUNK]))).all())
    return found


def upsert_by_code(ctx: WriteContext, table: Table, rows: Sequence[dict[str, Any]], *,
                   defaults: Mapping[str, Any], texts: Sequence[str] = ("name",)) -> Counts:
    """Write ``rows`` (store column -> value, ``code`` always, other columns only when the file has
    them) into ``table`` by code (:func:`upserts.upsert`): a new code is inserted with ``defaults`` for
    what the file lacks (*loaded*); an existing one has its changed columns updated (*corrected*) or is
    left alone (*unchanged*). ``texts`` are per-language JSON columns merged into the stored ones; the
    languages a file gives are marked in ``name_origin`` as :data:`LOADED_TEXT_ORIGIN`."""
    has_origin = "name_origin" in table.c

    def merge(before: Mapping[str, Any], row: dict[str, Any]) -> dict[str, Any]:
        values = {column: (merge_texts(before[column], value) if column in texts else value)
                  for column, value in row.items()}
        retold = {loc for loc, text in (row.get("name") or {}).items() if (before["name"] or {}).get(loc) != text}
        if has_origin and retold:
            values["name_origin"] = {**(before["name_origin"] or {}), **{loc: LOADED_TEXT_ORIGIN for loc in retold}}
        return values

    def fresh(values: dict[str, Any]) -> dict[str, Any]:
        if has_origin:
            values["name_origin"] = {loc: LOADED_TEXT_ORIGIN for loc in values.get("name") or {}}
        return values

    return upsert(ctx, table, rows, key=("code",), defaults=defaults, merge=merge, fresh=fresh).counts


__all__ = ["LOADED_TEXT_ORIGIN", "code_ids", "code_of", "given", "in_scope", "known_code", "not_before",
           "or_default", "record_region", "sheet_memory", "short_text", "upsert_by_code"]
