"""What every load template shares: columns headed in three languages, recognising a template by its
header, checking each row into a clean record or a list of problems, and the rules that hold for all
templates (docs/import.md):

* a row with a problem is quarantined with its reason code and the good rows are kept;
* rows of one file sharing a template's key with different content are all quarantined
  (``duplicate_conflict``); identical duplicates count as *unchanged* after the first;
* a region-scoped viewer's file may only hold rows of the viewer's region (``region_out_of_scope``).

A template module defines its :class:`Template`: the columns, the key, ``parse`` (one row's cells ->
a record, reporting problems through the :class:`Row`) and ``write`` (the records -> the store, in the
caller's transaction, returning :class:`Counts`).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from sqlalchemy import Connection, select

from data_sources.ledger import LedgerWriter
from data_sources.loaders.cells import (
    blank,
    fold,
    header_key,
    number_cell,
    parse_bool,
    parse_date,
    short_name,
    text,
)
from data_sources.loaders.files import Refused
from data_sources.store import (
    NATION,
    Agency,
    Goal,
    Indicator,
    Node,
    Official,
    Region,
    RequestTopic,
    normalise_code,
)

#: Problems every template can report (templates add their own codes).
COMMON_ROW_CODES = ("row_columns", "cell_missing", "number_invalid", "date_invalid", "choice_invalid",
                    "bool_invalid", "code_invalid", "region_unknown", "region_out_of_scope",
                    "duplicate_conflict")


@dataclass(frozen=True)
class Column:
    """A template column: ``key`` (the English header), its Russian and Kazakh headers, whether the
    column must be present, and a line of help for docs/import.md and the blank templates."""

    key: str
    ru: str
    kk: str
    required: bool = False
    help: str = ""

    @property
    def headers(self) -> tuple[str, str, str]:
        return (self.key, self.ru, self.kk)

    def header(self, lang: str) -> str:
        """The header in a language (``en``, ``ru``, ``kk``)."""
        return {"en": self.key, "ru": self.ru, "kk": self.kk}[lang]


def names_columns(what: str = "name", *, required: bool = False) -> tuple[Column, ...]:
    """The three per-locale text columns ``<what>_kk``, ``<what>_ru``, ``<what>_en``."""
    ru_word = {"name": "наименование", "text": "текст", "post": "должность", "meeting": "совещание",
               "report": "отчёт", "description": "описание"}[what]
    kk_word = {"name": "атауы", "text": "мәтін", "post": "лауазымы", "meeting": "кеңес",
               "report": "есеп", "description": "сипаттамасы"}[what]
    return tuple(Column(f"{what}_{loc}", f"{ru_word}_{loc}", f"{kk_word}_{loc}", required=False,
                        help=f"{what} in {label}") for loc, label in
                 (("kk", "Kazakh"), ("ru", "Russian"), ("en", "English")))


@dataclass(frozen=True)
class Counts:
    """What a template's write did with the records: new, equal to the store, changed."""

    loaded: int = 0
    unchanged: int = 0
    corrected: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.loaded + other.loaded, self.unchanged + other.unchanged,
                      self.corrected + other.corrected)


@dataclass(frozen=True)
class Problem:
    """A quarantined row's reason, or a whole file's refusal (``row`` and ``column`` None).

    ``row`` is the spreadsheet row (the header is row 1); ``column`` the header as written in the file;
    ``value`` the cell as text; ``params`` fill the catalog message ``load.problem.<code>``; ``sheet``
    the XLSX sheet (None for a CSV)."""

    row: int | None
    column: str | None
    value: str | None
    code: str
    params: Mapping[str, str] = field(default_factory=dict)
    sheet: str | None = None


class Reference:
    """What rows are checked against, read from the store in the load's own transaction (so a sheet
    sees what an earlier sheet of the same workbook wrote). Each mapping is read on first use."""

    def __init__(self, conn: Connection, *, scope_region: str | None = None) -> None:
        self.conn = conn
        self.scope_region = scope_region

    @functools.cached_property
    def indicators(self) -> dict[str, Any]:
        """code -> row with ``unit``, ``frequency``, ``valid_min``, ``valid_max``, ``direction``."""
        return {r.code: r for r in self.conn.execute(
            select(Indicator.code, Indicator.unit, Indicator.frequency, Indicator.valid_min,
                   Indicator.valid_max, Indicator.direction))}

    @functools.cached_property
    def regions(self) -> dict[str, str]:
        """code, or folded name in any locale, or an unambiguous short name -> region code."""
        names: dict[str, str] = {}
        short: dict[str, set[str]] = {}
        for code, localized in self.conn.execute(select(Region.code, Region.name)):
            for name in (localized or {}).values():
                if isinstance(name, str) and name.strip():
                    names.setdefault(fold(name), code)
                    short.setdefault(short_name(name), set()).add(code)
            names[fold(code)] = code
        # "Астана" for "город Астана": a short form counts only when it names one region
        # (Kazakh "Алматы" is both the city and the region: it stays unknown, never guessed).
        for key, codes in short.items():
            if key and len(codes) == 1:
                names.setdefault(key, next(iter(codes)))
        return names

    @functools.cached_property
    def nodes(self) -> dict[str, Any]:
        """code -> row with ``id``, ``level``, ``region`` (code), ``parent`` (code or None)."""
        parent = Node.__table__.alias("parent")
        return {r.code: r for r in self.conn.execute(
            select(Node.code, Node.id, Node.level, Region.code.label("region"), parent.c.code.label("parent"))
            .join(Region, Region.id == Node.region_id)
            .outerjoin(parent, parent.c.id == Node.parent_id))}

    @functools.cached_property
    def officials(self) -> dict[str, str]:
        """code -> the official's region code."""
        return dict(self.conn.execute(select(Official.code, Region.code).join(Region, Region.id == Official.region_id)).all())

    @functools.cached_property
    def agencies(self) -> dict[str, str]:
        """code -> the agency's region code."""
        return dict(self.conn.execute(select(Agency.code, Region.code).join(Region, Region.id == Agency.region_id)).all())

    @functools.cached_property
    def goals(self) -> frozenset[tuple[str, str]]:
        """(node code, indicator code) of every goal."""
        return frozenset(self.conn.execute(
            select(Node.code, Indicator.code).select_from(Goal)
            .join(Node, Node.id == Goal.node_id).join(Indicator, Indicator.id == Goal.indicator_id)).all())

    @functools.cached_property
    def topics(self) -> frozenset[str]:
        """Codes of the citizens' request topics."""
        return frozenset(self.conn.execute(select(RequestTopic.code)).scalars())

    def region(self, cell: Any) -> str | None:
        """A region code from a code or a name; the nation for an empty cell; None when unknown."""
        if blank(cell):
            return NATION
        return self.regions.get(fold(text(cell)))


@functools.lru_cache(maxsize=256)
def _choice_lookup(pairs: tuple[tuple[str, str], ...]) -> tuple[dict[str, str], str]:
    """(folded spelling -> value, the values as a message lists them) of a choice's spellings."""
    return {fold(k): v for k, v in pairs}, ", ".join(dict.fromkeys(v for _, v in pairs))


class Row:
    """One data row being checked: typed access to its cells, each failure recorded as a problem.

    Every getter returns None (and records the problem) when the cell cannot be read, so ``parse``
    reads all cells and reports every problem of the row at once."""

    def __init__(self, number: int, cells: Mapping[str, Any], headers: Mapping[str, str],
                 sheet: str | None) -> None:
        self.line = number
        self.cells = cells
        self.headers = headers
        self.sheet = sheet
        self.problems: list[Problem] = []

    def problem(self, column: str | None, code: str, cell: Any = None, **params: Any) -> None:
        """Record a problem of this row (``column`` is the template's key; None for the whole row)."""
        shown = None if cell is None and column is None else text(cell if cell is not None else self.cells.get(column))
        self.problems.append(Problem(self.line, self.headers.get(column) if column else None, shown, code,
                                     {k: str(v) for k, v in params.items()}, self.sheet))

    def raw(self, column: str) -> Any:
        return self.cells.get(column)

    def present(self, column: str) -> bool:
        """Whether the file has the column and this row's cell is not empty."""
        return column in self.cells and not blank(self.cells[column])

    def text(self, column: str, *, required: bool = False) -> str | None:
        if not self.present(column):
            if required:
                self.problem(column, "cell_missing", "")
            return None
        return text(self.cells[column])

    def code(self, column: str, *, required: bool = False) -> str | None:
        """A code, upper-cased (``np-health`` -> ``NP-HEALTH``); letters, digits, ``_ - .`` only."""
        value = self.text(column, required=required)
        if value is None:
            return None
        code = normalise_code(value)
        if not code or any(not (ch.isalnum() or ch in "_-.") for ch in code) or len(code) > 48:
            self.problem(column, "code_invalid", value=value)
            return None
        return code

    def number(self, column: str, *, required: bool = False, minimum: float | None = None) -> float | None:
        if not self.present(column):
            if required:
                self.problem(column, "cell_missing", "")
            return None
        try:
            value = number_cell(self.cells[column])
        except ValueError:
            self.problem(column, "number_invalid", value=text(self.cells[column]))
            return None
        if minimum is not None and value < minimum:
            self.problem(column, "number_invalid", value=text(self.cells[column]))
            return None
        return value

    def integer(self, column: str, *, required: bool = False, minimum: int | None = None) -> int | None:
        value = self.number(column, required=required, minimum=minimum)
        if value is None:
            return None
        if not float(value).is_integer():
            self.problem(column, "number_invalid", value=text(self.cells[column]))
            return None
        return int(value)

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        if not self.present(column):
            if required:
                self.problem(column, "cell_missing", "")
            return None
        try:
            return parse_date(self.cells[column])
        except ValueError:
            self.problem(column, "date_invalid", value=text(self.cells[column]))
            return None

    def boolean(self, column: str, *, default: bool) -> bool | None:
        if not self.present(column):
            return default
        try:
            return parse_bool(self.cells[column])
        except ValueError:
            self.problem(column, "bool_invalid", value=text(self.cells[column]))
            return None

    def choice(self, column: str, choices: Mapping[str, str] | Sequence[str], *, required: bool = False,
               default: str | None = None) -> str | None:
        """One of ``choices`` (a mapping of accepted spellings -> value, or a list of values), any case."""
        if not self.present(column):
            if required:
                self.problem(column, "cell_missing", "")
            return default
        lookup, shown = _choice_lookup(tuple(choices.items()) if isinstance(choices, Mapping)
                                       else tuple((c, c) for c in choices))
        value = lookup.get(fold(text(self.cells[column])))
        if value is None:
            self.problem(column, "choice_invalid", value=text(self.cells[column]), choices=shown)
        return value

    def texts(self, what: str, *, required: bool = False) -> dict[str, str] | None:
        """The per-locale texts ``<what>_kk/_ru/_en`` present in the row ({} when none)."""
        found = {loc: self.text(f"{what}_{loc}") for loc in ("kk", "ru", "en")}
        found = {loc: value for loc, value in found.items() if value}
        if required and not found:
            self.problem(f"{what}_en" if f"{what}_en" in self.headers else None, "names_missing", "", what=what)
            return None
        return found

    def region(self, column: str, reference: Reference) -> str | None:
        """A region code (empty = the nation), checked against the viewer's scope."""
        cell = self.cells.get(column)
        code = reference.region(cell)
        if code is None:
            self.problem(column, "region_unknown", cell, value=text(cell))
            return None
        if reference.scope_region is not None and code != reference.scope_region:
            self.problem(column, "region_out_of_scope", cell if not blank(cell) else NATION,
                         value=text(cell) or NATION, scope=reference.scope_region)
            return None
        return code

    def known(self, column: str, mapping: Mapping[str, Any] | frozenset[str], code: str | None,
              problem_code: str) -> bool:
        """Whether ``code`` is in ``mapping``; records ``problem_code`` when it is not."""
        if code is None:
            return False
        if code not in mapping:
            self.problem(column, problem_code, value=code)
            return False
        return True


@dataclass(frozen=True)
class WriteContext:
    """What a template's ``write`` gets: the load's transaction, the ledger, who and when, the batch."""

    conn: Connection
    ledger: LedgerWriter
    actor: str
    now: dt.datetime
    batch_id: int
    batch_code: str
    source: str
    progress: Callable[[int], None]


@dataclass(frozen=True)
class Template:
    """A load template (docs/import.md): its columns, the columns that identify a row, how a row is
    checked (``parse``: Row, Reference -> record or None) and how records are written (``write``).

    ``sheet_names``: XLSX sheet titles that select this template (besides ``name``, any case)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    parse: Callable[[Row, Reference], dict[str, Any] | None]
    write: Callable[[WriteContext, list[dict[str, Any]]], Counts]
    row_codes: tuple[str, ...] = ()
    sheet_names: tuple[str, ...] = ()
    example: tuple[tuple[Any, ...], ...] = ()
    compare: tuple[str, ...] | None = None  # record fields two rows of one key must agree on (None: all)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.required)

    @functools.cached_property
    def header_lookup(self) -> dict[str, str]:
        """header key (:func:`header_key`) -> column key, for all three languages."""
        return {header_key(h): c.key for c in self.columns for h in c.headers}

    def matched(self, header: Sequence[Any]) -> int:
        """How many of this template's columns a header names."""
        return len({self.header_lookup[k] for k in map(lambda c: header_key(text(c)), header) if k in self.header_lookup})


def map_header(template: Template, header: Sequence[Any]) -> dict[str, int]:
    """Template column -> index in the file's header; refuses a missing or repeated column."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = template.header_lookup.get(header_key(text(cell)))
        if column is None:
            continue
        if column in found:
            raise Refused("file_header_duplicate", column=text(cell))
        found[column] = index
    missing = [c for c in template.columns if c.required and c.key not in found]
    if missing:
        raise Refused("file_columns", template=template.name,
                      missing=", ".join(" / ".join(c.headers) for c in missing))
    return found


def recognise(header: Sequence[Any], templates: Sequence[Template]) -> Template:
    """The template a header belongs to: of the templates whose required columns are all present, the
    one naming most columns of the header (then the one with fewest columns left unnamed). A header
    close to one template but missing a required column is refused naming what is missing; one
    matching two templates equally, as ambiguous."""
    # Most columns named first; between equals, the template with fewer columns the header lacks.
    scored = sorted(((t.matched(header), -len(t.columns), t) for t in templates), key=lambda st: (-st[0], -st[1]))
    complete = [(score, size, t) for score, size, t in scored
                if all(any(t.header_lookup.get(header_key(text(h))) == r for h in header) for r in t.required)]
    if complete:
        best = complete[0][:2]
        tied = [t for score, size, t in complete if (score, size) == best]
        if len(tied) > 1:
            raise Refused("file_template_ambiguous", templates=", ".join(t.name for t in tied))
        return tied[0]
    if scored and scored[0][0] > 0:
        map_header(scored[0][2], header)  # raises file_columns naming the missing columns
    raise Refused("file_template_unknown", templates=", ".join(t.name for t in templates))


def check_rows(template: Template, rows: Sequence[Sequence[Any]], reference: Reference, *,
               sheet: str | None = None, progress: Callable[[int], None] = lambda n: None,
               ) -> tuple[list[dict[str, Any]], list[Problem], int, int, int]:
    """(records to write, problems, rows read, rows quarantined, identical duplicates) of a table whose
    first non-empty row is the header. Wholly empty rows are skipped and not counted; rows keep their
    spreadsheet numbers (the table's first row is row 1)."""
    top = next(i for i, row in enumerate(rows) if not all(blank(c) for c in row))
    header = list(rows[top])
    columns = map_header(template, header)
    headers = {c: text(header[i]) for c, i in columns.items()}
    width = len(header)
    records: list[dict[str, Any]] = []
    record_rows: list[int] = []
    problems: list[Problem] = []
    bad_rows: set[int] = set()
    rows_read = 0
    for offset, raw in enumerate(rows[top + 1:]):
        number = top + offset + 2
        if all(blank(c) for c in raw):
            continue
        rows_read += 1
        if rows_read % 5000 == 0:
            progress(rows_read)
        row = Row(number, {c: (raw[i] if i < len(raw) else None) for c, i in columns.items()}, headers, sheet)
        if len(raw) > width and any(not blank(c) for c in raw[width:]):
            row.problem(None, "row_columns", count=len(raw), expected=width)
        record = template.parse(row, reference)
        if row.problems or record is None:
            problems += row.problems
            bad_rows.add(number)
            continue
        records.append(record)
        record_rows.append(number)
    progress(rows_read)

    # Rows of one key: identical ones are one record; different ones are all quarantined.
    by_key: dict[tuple, list[int]] = {}
    for position, record in enumerate(records):
        by_key.setdefault(tuple(record[k] for k in template.key), []).append(position)
    dropped: set[int] = set()
    duplicates = 0
    key_column = next((k for k in reversed(template.key) if k in headers), None)
    for positions in by_key.values():
        if len(positions) == 1:
            continue
        first = records[positions[0]]
        if all(_same_record(first, records[p], template.compare) for p in positions[1:]):
            duplicates += len(positions) - 1
            dropped.update(positions[1:])
            continue
        column = next((c for c in headers if c not in template.key and c in (template.compare or headers)
                       and any(not _same_cell(first.get(c), records[q].get(c)) for q in positions[1:])), key_column)
        for p in positions:
            others = ", ".join(str(record_rows[q]) for q in positions if q != p)
            cell = rows[record_rows[p] - 1][columns[column]] if column in columns and columns[column] < len(rows[record_rows[p] - 1]) else None
            problems.append(Problem(record_rows[p], headers.get(column), text(cell), "duplicate_conflict",
                                    {"rows": others}, sheet))
            bad_rows.add(record_rows[p])
            dropped.add(p)
    kept = [record for position, record in enumerate(records) if position not in dropped]
    problems.sort(key=lambda p: p.row or 0)
    return kept, problems, rows_read, len(bad_rows), duplicates


#: Two numbers closer than this (relative) are the same figure.
SAME_VALUE_TOLERANCE = 1e-9


def same_number(a: float | None, b: float | None) -> bool:
    """Equal within :data:`SAME_VALUE_TOLERANCE` (relative); two Nones are equal."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= SAME_VALUE_TOLERANCE * max(1.0, abs(a), abs(b))


def same_value(a: Any, b: Any) -> bool:
    """Store value equal to a loaded one (numbers within :func:`same_number`)."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        return same_number(float(a), float(b))
    return a == b


def _same_cell(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return same_number(a, b)
    return a == b


def _same_record(a: Mapping[str, Any], b: Mapping[str, Any], fields: Sequence[str] | None) -> bool:
    return all(_same_cell(a.get(k), b.get(k)) for k in (fields if fields is not None else a.keys() | b.keys()))


__all__ = ["COMMON_ROW_CODES", "Column", "Counts", "Problem", "Reference", "Row", "Template", "WriteContext",
           "check_rows", "map_header", "names_columns", "recognise", "same_number", "same_value"]
