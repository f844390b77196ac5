"""SQL sources: ``natije sync SOURCES.yaml`` (docs/import.md, "SQL sources").

A source names a database (a SQLAlchemy URL whose secrets are ``${ENV_VAR}`` references), a query, a
load template and a mapping ``{template column: result column}``; optionally an incremental cursor
(the largest value of a key or time stamp column seen so far, bound to the query as ``:cursor``).
The query's rows become one sheet (header = the template's column keys) and go through
:func:`data_sources.loaders.run.load_sheets` like a file's: the same checks, counts, quarantine, batch
(``SYNC-…``) and ledger entry. The cursor is kept in ``store_meta`` (key ``sync:<name>``) in the load's
own transaction, so it moves exactly when the rows are committed.

A source that cannot be read at all (no connection, a failing query, a mapped column the query does
not return, an unknown template) is refused: nothing of it is loaded and its cursor stays. A
SOURCES.yaml that is not valid raises :class:`SourcesError` (the command's usage error).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence
from urllib.parse import quote, unquote

import yaml
from sqlalchemy import (BigInteger, Connection, Date, DateTime, Engine, Float, String, bindparam, create_engine, select,
                        text)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from data_sources.admin import mask_url
from data_sources.ledger import canonical_json, canonical_value
from data_sources.loaders.files import Refused, Sheet
from data_sources.loaders.run import FileReport, load_sheets, template_named, templates
from data_sources.loaders.template import Problem
from data_sources.store import StoreMeta

#: Fields of a source in SOURCES.yaml (docs/import.md, "SQL sources").
SOURCE_FIELDS = ("name", "url", "template", "query", "columns", "incremental", "timeout")
REQUIRED_FIELDS = ("name", "url", "template", "query", "columns")
CURSOR_KINDS = ("key", "timestamp")
#: Seconds a source's query may run (PostgreSQL ``statement_timeout``) unless ``timeout`` says otherwise.
DEFAULT_TIMEOUT = 600
#: Seconds to wait for a PostgreSQL connection (``connect_timeout``) unless the URL says otherwise.
CONNECT_TIMEOUT = 10
#: A source's name: it is also the cursor's key ``sync:<name>`` (``store_meta.key`` holds 64 characters).
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,58}$")
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: Refusals of a whole source and the warning of an empty read (catalog ``load.problem.<code>``).
SYNC_CODES = ("sync_template_unknown", "sync_connect_failed", "sync_query_failed", "sync_columns_missing",
              "sync_cursor_invalid", "sync_no_rows")
#: Longest driver error kept in a refusal's message.
ERROR_CHARS = 300


class SourcesError(Exception):
    """SOURCES.yaml cannot be used (a usage error); the message names the source and the field and
    never holds the value of an environment variable."""


@dataclass(frozen=True)
class Incremental:
    """Read only rows past the cursor: ``column`` of the query's result, a ``key`` or a ``timestamp``."""

    column: str
    kind: str


@dataclass(frozen=True)
class Source:
    """One validated source. ``url`` holds the resolved secrets (never shown: see :attr:`shown_url`);
    ``secrets`` are the values of its ``${VAR}`` references and any password written in the URL
    itself, scrubbed from every error text."""

    name: str
    written_url: str
    template: str
    query: str
    columns: Mapping[str, str]
    incremental: Incremental | None = None
    timeout: int = DEFAULT_TIMEOUT
    url: str = field(default="", repr=False)
    secrets: tuple[str, ...] = field(default=(), repr=False)

    @property
    def shown_url(self) -> str:
        """The URL as written in SOURCES.yaml (``${VAR}`` references, not their values), any literal
        password masked."""
        try:
            return unquote(mask_url(self.written_url))
        except ArgumentError:
            return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", self.written_url)

    def scrub(self, message: str) -> str:
        """``message`` with every secret value replaced by ``***``."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            message = message.replace(secret, "***")
        return message

    @property
    def cursor_key(self) -> str:
        return f"sync:{self.name}"


@dataclass(frozen=True)
class SyncReport:
    """What became of one source: the load's report (``file`` is the source's name) and the cursor
    before and after, as kept in the store (ISO text for time stamps; None: no cursor yet)."""

    load: FileReport
    incremental: Incremental | None
    cursor_before: Any = None
    cursor_after: Any = None


# --------------------------------------------------------------------------------------------------
# SOURCES.yaml


def _fail(source: str | None, field_name: str | None, message: str) -> SourcesError:
    where = " ".join(part for part in (f"source {source!r}" if source else "",
                                       f"field {field_name!r}" if field_name else "") if part)
    return SourcesError(f"{where}: {message}" if where else message)


def resolve_url(written: str, environ: Mapping[str, str], *, source: str) -> tuple[str, tuple[str, ...]]:
    """(the URL with every ``${VAR}`` replaced from ``environ``, the values used). A reference that is
    the whole URL is taken as it is; inside a URL a value is percent-encoded, so a password may hold
    ``@ : / %``. An unset variable is a :class:`SourcesError` naming it."""
    names = VARIABLE.findall(written)
    missing = [n for n in dict.fromkeys(names) if n not in environ]
    if missing:
        raise _fail(source, "url", "environment variable(s) not set: " + ", ".join(f"${{{n}}}" for n in missing))
    if VARIABLE.fullmatch(written):
        value = environ[names[0]]
        return value, (value,) if value else ()
    values = tuple(environ[n] for n in names)
    resolved = VARIABLE.sub(lambda m: quote(environ[m.group(1)], safe=""), written)
    return resolved, tuple(v for value in values if value for v in {value, quote(value, safe="")})


def _text_field(entry: Mapping[str, Any], key: str, source: str | None) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, key, "must be non-empty text")
    return value.strip()


def _columns(entry: Mapping[str, Any], source: str) -> dict[str, str]:
    columns = entry.get("columns")
    if not isinstance(columns, Mapping) or not columns or not all(
            isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip() for k, v in columns.items()):
        raise _fail(source, "columns", "must map template columns to result columns "
                                       "({template column: result column}, both text)")
    return {k.strip(): v.strip() for k, v in columns.items()}


def _check_columns(columns: Mapping[str, str], template_name: str, source: str) -> None:
    """The mapping names only columns of the template, and all its required ones (when the template
    exists: an unknown one refuses the source when it is synced)."""
    try:
        template = template_named(template_name)
    except KeyError:
        return
    keys = [c.key for c in template.columns]
    unknown = [k for k in columns if k not in keys]
    if unknown:
        raise _fail(source, "columns", f"{', '.join(unknown)} not column(s) of template {template.name!r} "
                                       f"(its columns: {', '.join(keys)})")
    missing = [k for k in template.required if k not in columns]
    if missing:
        raise _fail(source, "columns", f"required column(s) of template {template.name!r} not mapped: "
                                       f"{', '.join(missing)}")


def _incremental(entry: Mapping[str, Any], source: str) -> Incremental | None:
    value = entry.get("incremental")
    if value is None:
        return None
    if not isinstance(value, Mapping) or set(value) - {"column", "kind"}:
        raise _fail(source, "incremental", "must be {column: <result column>, kind: key|timestamp}")
    column = value.get("column")
    if not isinstance(column, str) or not column.strip():
        raise _fail(source, "incremental.column", "must name a column of the query's result")
    kind = value.get("kind")
    if kind not in CURSOR_KINDS:
        raise _fail(source, "incremental.kind", f"must be one of {', '.join(CURSOR_KINDS)}, not {kind!r}")
    return Incremental(column.strip(), kind)


def _check_query(query: str, incremental: Incremental | None, source: str) -> None:
    """Only ``:cursor`` is bound, and an incremental source's query must use it."""
    try:
        bound = set(text(query).compile().params)
    except SQLAlchemyError as exc:
        raise _fail(source, "query", f"cannot be read: {exc}") from None
    if bound - {"cursor"}:
        raise _fail(source, "query", f"binds {', '.join(':' + p for p in sorted(bound - {'cursor'}))}; "
                                     "only :cursor is bound")
    if incremental is not None and "cursor" not in bound:
        raise _fail(source, "query", "an incremental source's query must use :cursor, e.g. "
                                     f"WHERE (:cursor IS NULL OR {incremental.column} > :cursor)")
    if incremental is None and "cursor" in bound:
        raise _fail(source, "query", "uses :cursor but the source has no incremental")


def _timeout(entry: Mapping[str, Any], source: str) -> int:
    value = entry.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 86400:
        raise _fail(source, "timeout", "must be a whole number of seconds from 1 to 86400")
    return value


def parse_source(entry: Any, position: int, environ: Mapping[str, str]) -> Source:
    """One entry of ``sources`` (``position`` counts from 1), validated and its URL resolved."""
    if not isinstance(entry, Mapping):
        raise _fail(None, None, f"sources entry {position} is not a mapping")
    name = entry.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise _fail(f"#{position}" if not isinstance(name, str) else name, "name",
                    "must be 1-59 letters, digits, '_', '-' or '.', starting with a letter or digit")
    unknown = [k for k in entry if k not in SOURCE_FIELDS]
    if unknown:
        raise _fail(name, str(unknown[0]), f"unknown field (known: {', '.join(SOURCE_FIELDS)})")
    for key in REQUIRED_FIELDS:
        if key not in entry:
            raise _fail(name, key, "missing")
    written_url = _text_field(entry, "url", name)
    template = _text_field(entry, "template", name)
    query = _text_field(entry, "query", name)
    columns = _columns(entry, name)
    _check_columns(columns, template, name)
    incremental = _incremental(entry, name)
    _check_query(query, incremental, name)
    url, secrets = resolve_url(written_url, environ, source=name)
    try:
        password = make_url(url).password
    except ArgumentError:
        raise _fail(name, "url", "not a database URL (dialect+driver://user:password@host/database)") from None
    if password:  # a password written in the file itself is kept out of messages too
        secrets += (str(password), quote(str(password), safe=""))
    return Source(name=name, written_url=written_url, template=template, query=query, columns=columns,
                  incremental=incremental, timeout=_timeout(entry, name), url=url, secrets=secrets)


def read_sources(path: Path, environ: Mapping[str, str], *, only: Sequence[str] = ()) -> list[Source]:
    """The sources of a SOURCES.yaml file (all, or those named in ``only``, in the file's order)."""
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"cannot be read: {exc}") from None
    except yaml.YAMLError as exc:
        raise SourcesError(f"not valid YAML: {exc}") from None
    entries = document.get("sources") if isinstance(document, Mapping) else None
    if not isinstance(entries, list) or not entries or set(document) != {"sources"}:
        raise SourcesError("must be a mapping with one key, 'sources', a non-empty list of sources")
    sources = [parse_source(entry, i, environ) for i, entry in enumerate(entries, start=1)]
    names = [s.name for s in sources]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise _fail(repeated[0], "name", "used by more than one source")
    unknown = [n for n in only if n not in names]
    if unknown:
        raise SourcesError(f"--source {', '.join(unknown)}: no such source (sources: {', '.join(names)})")
    return [s for s in sources if not only or s.name in only]


# --------------------------------------------------------------------------------------------------
# the cursor


def _encode_cursor(value: Any) -> Any:
    """A cursor value as kept in JSON: time stamps as ISO text, numbers and text as they are."""
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _decode_cursor(value: Any, kind: str) -> Any:
    if kind == "timestamp" and isinstance(value, str):
        return dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)
    return value


def read_cursor(engine: Engine, source: Source) -> Any:
    """The kept cursor of an incremental source, as bound to its query; None when there is none (or it
    was kept for another column or kind: the source is then read in full again)."""
    if source.incremental is None:
        return None
    with engine.connect() as conn:
        kept = conn.execute(select(StoreMeta.value).where(StoreMeta.key == source.cursor_key)).scalar_one_or_none()
    if not isinstance(kept, Mapping) or (kept.get("kind"), kept.get("column")) != (
            source.incremental.kind, source.incremental.column):
        return None
    return _decode_cursor(kept.get("cursor"), source.incremental.kind)


def _keep_cursor(conn: Connection, source: Source, cursor: Any) -> None:
    """Write ``store_meta['sync:<name>'] = {"cursor", "kind", "column"}`` in the load's transaction."""
    assert source.incremental is not None
    table = StoreMeta.__table__
    value = {"cursor": _encode_cursor(cursor), "kind": source.incremental.kind, "column": source.incremental.column}
    updated = conn.execute(table.update().where(table.c.key == source.cursor_key).values(value=value))
    if updated.rowcount == 0:
        conn.execute(table.insert().values(key=source.cursor_key, value=value))


def _cursor_value(value: Any, incremental: Incremental) -> Any:
    """A result cell as a cursor value; :class:`Refused` (``sync_cursor_invalid``) when it cannot be one."""
    fits = (isinstance(value, (dt.date, dt.datetime)) if incremental.kind == "timestamp"
            else isinstance(value, (int, float, str)) and not isinstance(value, bool))
    if not fits:
        raise Refused("sync_cursor_invalid", column=incremental.column, value=value, kind=incremental.kind)
    return value


def next_cursor(before: Any, values: Sequence[Any], incremental: Incremental) -> Any:
    """The largest of the kept cursor and the cursor column's values read (NULLs skipped)."""
    candidates = [_cursor_value(v, incremental) for v in values if v is not None]
    if before is not None:
        candidates.append(before)
    try:
        return max(candidates, default=None)
    except TypeError:  # mixed types (numbers and text, naive and aware time stamps)
        raise Refused("sync_cursor_invalid", column=incremental.column,
                      value=", ".join(sorted({type(c).__name__ for c in candidates})), kind=incremental.kind) from None


# --------------------------------------------------------------------------------------------------
# reading a source


def _cell(value: Any) -> Any:
    """A result cell for the template's checks: numbers, dates, text and None as they are; a SQL
    ``NUMERIC`` as an int when whole, else a float; anything else as text."""
    if value is None or isinstance(value, (bool, int, float, str, dt.date, dt.datetime)):
        return value
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def _error(exc: BaseException, source: Source) -> str:
    """The first line of the driver's error (not SQLAlchemy's wrapper with the statement), secrets
    scrubbed, at most :data:`ERROR_CHARS` characters."""
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines()
    message = lines[0].strip() if lines else type(original).__name__
    return source.scrub(message)[:ERROR_CHARS]


def _connect_args(url: str) -> dict[str, Any]:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        return {"connect_timeout": CONNECT_TIMEOUT}
    return {}


def _read_only(conn: Connection, timeout: int) -> None:
    """Read-only, time-limited reading where the backend can enforce it (PostgreSQL, SQLite)."""
    backend = conn.dialect.name
    if backend == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout) * 1000}")
    elif backend == "sqlite":
        conn.exec_driver_sql("PRAGMA query_only = ON")


def _cursor_type(value: Any):
    if isinstance(value, dt.datetime):
        return DateTime(timezone=value.tzinfo is not None)
    if isinstance(value, dt.date):
        return Date()
    if isinstance(value, int):
        return BigInteger()
    return Float() if isinstance(value, float) else String()


def cursor_statement(source: Source, cursor: Any):
    """The source's query with ``:cursor`` bound: typed after the cursor's value (PostgreSQL then
    reads ``$1::TIMESTAMP``, so ``:cursor IS NULL`` may come first), and on the first run a literal
    ``NULL``, which every database can type."""
    statement = text(source.query)
    if source.incremental is None:
        return statement
    if cursor is None:
        return statement.bindparams(bindparam("cursor", value=None, literal_execute=True))
    return statement.bindparams(bindparam("cursor", value=cursor, type_=_cursor_type(cursor)))


def fetch(source: Source, cursor: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(result column names, rows) of the source's query with ``:cursor`` bound, in one read-only
    transaction; :class:`Refused` when the database cannot be reached or the query fails."""
    try:
        engine = create_engine(source.url, poolclass=NullPool, connect_args=_connect_args(source.url))
    except Exception as exc:  # noqa: BLE001 - a missing driver, a bad option: the source is refused
        raise Refused("sync_connect_failed", url=source.shown_url, error=_error(exc, source)) from None
    try:
        try:
            conn = engine.connect()
        except Exception as exc:  # noqa: BLE001 - refused, unreachable, authentication failed
            raise Refused("sync_connect_failed", url=source.shown_url, error=_error(exc, source)) from None
        with conn:
            try:
                _read_only(conn, source.timeout)
                result = conn.execute(cursor_statement(source, cursor))
                if not result.returns_rows:
                    raise Refused("sync_query_failed", error="the query returns no rows (not a SELECT)")
                names, rows = list(result.keys()), [tuple(r) for r in result.fetchall()]
            except SQLAlchemyError as exc:
                raise Refused("sync_query_failed", error=_error(exc, source)) from None
            finally:
                conn.rollback()
    finally:
        engine.dispose()
    return names, rows


def _refused(source: Source, code: str, params: Mapping[str, str], *, dry_run: bool,
             template_names: tuple[str, ...], kept: Any) -> SyncReport:
    report = FileReport(file=source.name, sha256=None, dry_run=dry_run, templates=template_names,
                        refused=Problem(None, None, None, code, dict(params)))
    return SyncReport(report, source.incremental, _encode_cursor(kept), _encode_cursor(kept))


def rows_sha256(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """SHA-256 of the canonical JSON of the header and rows read (the batch's ``file_sha256``)."""
    canonical = canonical_json(canonical_value([list(header), [list(r) for r in rows]]))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def sync_source(engine: Engine, source: Source, *, actor: str, dry_run: bool = False, full: bool = False,
                now: dt.datetime | None = None) -> SyncReport:
    """Read one source past its cursor and load its rows (one transaction, cursor included).

    ``full`` reads every row again, ignoring the kept cursor (loads are idempotent: rows already
    loaded count as unchanged). ``dry_run`` reports what a real sync would do and keeps nothing, the
    cursor included. No row read: nothing is written (no batch), with the warning ``sync_no_rows``."""
    kept = read_cursor(engine, source)
    try:
        template = template_named(source.template)
    except KeyError:
        return _refused(source, "sync_template_unknown", {"template": source.template,
                        "templates": ", ".join(t.name for t in templates())},
                        dry_run=dry_run, template_names=(), kept=kept)
    before = None if full else kept
    try:
        result_columns, rows = fetch(source, before)
        needed = list(dict.fromkeys([*source.columns.values(),
                                     *([source.incremental.column] if source.incremental else [])]))
        missing = [c for c in needed if c not in result_columns]
        if missing:
            raise Refused("sync_columns_missing", columns=", ".join(missing), returned=", ".join(result_columns))
        position = {c: result_columns.index(c) for c in needed}
        header = list(source.columns)
        table = [[_cell(row[position[c]]) for c in source.columns.values()] for row in rows]
        after = None
        if source.incremental is not None:
            after = next_cursor(before, [_cell(row[position[source.incremental.column]]) for row in rows],
                                source.incremental)
    except Refused as exc:
        return _refused(source, exc.code, exc.params, dry_run=dry_run, template_names=(template.name,), kept=kept)
    digest = rows_sha256(header, table)
    if not table:
        report = FileReport(file=source.name, sha256=digest, dry_run=dry_run, templates=(template.name,),
                            warnings=("sync_no_rows",))
        return SyncReport(report, source.incremental, _encode_cursor(kept), _encode_cursor(kept))
    keep = None if source.incremental is None else (lambda conn: _keep_cursor(conn, source, after))
    report = load_sheets(engine, [Sheet(None, [header, *table])], name=source.name, digest=digest, data=None,
                         actor=actor, dry_run=dry_run, template=template, scope_region=None,
                         source=f"sync {source.name}", batch_prefix="SYNC", now=now, after_write=keep)
    moved = source.incremental is not None and report.refused is None and not dry_run
    return SyncReport(report, source.incremental, _encode_cursor(kept), _encode_cursor(after if moved else kept))


__all__ = ["CURSOR_KINDS", "Incremental", "SYNC_CODES", "Source", "SourcesError", "SyncReport", "cursor_statement",
           "fetch", "next_cursor", "parse_source", "read_cursor", "read_sources", "resolve_url", "rows_sha256",
           "sync_source"]
