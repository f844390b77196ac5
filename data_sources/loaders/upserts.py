"""Writing the keyed rows of the operational templates (milestones, budget lines, instructions, citizen
requests; docs/import.md): the store's rows for the file's keys are read a chunk at a time, each
record is compared with its stored row, new rows are inserted and changed ones updated with one
``executemany`` per chunk, and the load's progress is reported after every chunk.

Also what these templates' rows share: a project, a link to a program or project, per-locale texts
that add to the stored ones. (Codes that fit their column, date order, ids by code:
:mod:`data_sources.loaders.reference_rows`.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, Sequence

from sqlalchemy import Table, bindparam, select

from data_sources.loaders.template import Counts, Reference, Row, WriteContext, same_value

#: Records read, compared and written per statement (well under SQLite's and PostgreSQL's bind limits).
CHUNK = 5000


def chunks(items: Sequence[Any], size: int | None = None) -> Iterator[Sequence[Any]]:
    """``items`` in consecutive slices of at most ``size`` (default :data:`CHUNK`)."""
    size = size or CHUNK
    for start in range(0, len(items), size):
        yield items[start:start + size]


def given_fields(record: Mapping[str, Any], *fields: str) -> dict[str, Any]:
    """Those of ``fields`` a record has (its file's columns; see :func:`reference_rows.given`)."""
    return {f: record[f] for f in fields if f in record}


def merge_texts(stored: Mapping[str, str] | None, given: Mapping[str, str]) -> dict[str, str]:
    """Per-locale texts: the locales a file gives replace the stored ones; the others keep their text."""
    return {**(stored or {}), **given}


@dataclass
class Upserted:
    """What :func:`upsert` did: the counts, the rows inserted, and (stored, new) of each updated row."""

    counts: Counts = Counts()
    inserted: list[dict[str, Any]] = field(default_factory=list)
    updated: list[tuple[Mapping[str, Any], dict[str, Any]]] = field(default_factory=list)


def upsert(ctx: WriteContext, table: Table, rows: Sequence[dict[str, Any]], *, key: tuple[str, ...],
           defaults: Mapping[str, Any] | None = None,
           merge: Callable[[Mapping[str, Any], dict[str, Any]], dict[str, Any]] | None = None,
           fresh: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> Upserted:
    """Insert or update ``rows`` (values of ``table``'s columns, one per ``key``) in chunks.

    A row holds the columns the file gives (a column the file lacks keeps the stored value). A row
    whose key is not stored is inserted with ``defaults`` for the columns it lacks, as ``fresh(values)``
    makes it when given (*loaded*).
    Otherwise ``merge(stored, row)`` (default: the row itself) gives the values to store: equal to the
    stored ones (:func:`template.same_value`) it is *unchanged*, else those columns of the stored
    row are updated (*corrected*)."""
    done = Upserted()
    loaded = unchanged = corrected = 0
    lookup = table.c[key[0]]
    for part in chunks(rows):
        stored = {tuple(r[k] for k in key): r for r in ctx.conn.execute(
            select(table).where(lookup.in_(list({row[key[0]] for row in part})))).mappings()}
        inserts: list[dict[str, Any]] = []
        updates: dict[frozenset[str], list[dict[str, Any]]] = {}  # one executemany per set of columns
        for row in part:
            old = stored.get(tuple(row[k] for k in key))
            if old is None:
                values = {**(defaults or {}), **row}
                inserts.append(fresh(values) if fresh else values)
                continue
            new = merge(old, row) if merge else row
            if all(same_value(old[column], value) for column, value in new.items()):
                unchanged += 1
                continue
            updates.setdefault(frozenset(new), []).append({"stored_id": old["id"], **new})
            done.updated.append((old, new))
        if inserts:
            ctx.conn.execute(table.insert(), inserts)
        for same_columns in updates.values():
            ctx.conn.execute(table.update().where(table.c.id == bindparam("stored_id")), same_columns)
            corrected += len(same_columns)
        loaded += len(inserts)
        done.inserted += inserts
        ctx.progress(loaded + unchanged + corrected)
    done.counts = Counts(loaded, unchanged, corrected)
    return done


def project(row: Row, reference: Reference, column: str = "project") -> str | None:
    """The code of an existing project (level ``project``) within the viewer's scope, else None with
    the problem recorded (``project_unknown``, ``project_not_project``, ``region_out_of_scope``)."""
    code = row.code(column, required=True)
    if code is None:
        return None
    node = reference.nodes.get(code)
    if node is None:
        row.problem(column, "project_unknown", value=code)
        return None
    if node.level != "project":
        row.problem(column, "project_not_project", value=code)
        return None
    if reference.scope_region is not None and node.region != reference.scope_region:
        row.problem(column, "region_out_of_scope", value=node.region, scope=reference.scope_region)
        return None
    return code


def program_or_project(row: Row, reference: Reference, column: str = "node") -> str | None:
    """An optional link to a program or a project: its code, None when the cell is empty or bad
    (``node_unknown``, ``node_is_portfolio`` recorded)."""
    code = row.code(column)
    if code is None:
        return None
    node = reference.nodes.get(code)
    if node is None:
        row.problem(column, "node_unknown", value=code)
        return None
    if node.level == "portfolio":
        row.problem(column, "node_is_portfolio", value=code)
        return None
    return code


__all__ = ["CHUNK", "Upserted", "chunks", "given_fields", "merge_texts", "program_or_project", "project", "upsert"]
