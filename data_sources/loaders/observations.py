"""The observations template: a CSV or XLSX file of indicator values, validated row by row and loaded
in one transaction through :func:`data_sources.writes.record_observations` (docs/import.md).

* Columns ``indicator``, ``period``, ``value`` (required) and ``region``, ``unit``, ``comment``
  (optional), headed in English, Russian or Kazakh, any case; other columns are ignored.
* A row with a problem is quarantined with a reason code (:data:`ROW_CODES`); the good rows are loaded.
* A file that cannot be read as a whole is refused (:data:`FILE_CODES`) and nothing of it is loaded.
* Counts add up: ``rows_read = loaded + unchanged + corrected + quarantined``. Wholly empty rows are
  skipped and not counted. Identical duplicate rows (same indicator, region, period and value) count as
  *unchanged* after the first; rows sharing a key with different values are all quarantined.

Messages are not made here (the data layer knows no languages): each problem carries a code and
parameters, and ``services/loads.py`` renders them from the catalogs (``load.problem.<code>``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd
from sqlalchemy import Engine, select

from data_sources.ledger import ledger_writer
from data_sources.periods import label_frequency, period_label
from data_sources.store import NATION, Indicator, Region, normalise_code
from data_sources.writes import SAME_VALUE_TOLERANCE, record_observations

TEMPLATE = "observations"

#: Files larger than this are refused before they are read (a constant in this slice; the upload size
#: setting of issue 5 replaces it later).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: An XLSX archive whose members unpack to more than this is refused (zip bomb).
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
#: ... and so is one that unpacks to more than 10 MB at a compression ratio above this.
MAX_XLSX_RATIO = 200

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SEPARATORS = (";", "\t", ",")

#: Accepted headers per column (compared case-insensitively, whitespace removed).
HEADERS: dict[str, tuple[str, ...]] = {
    "indicator": ("indicator", "показатель", "көрсеткіш"),
    "period": ("period", "период", "кезең"),
    "region": ("region", "регион", "өңір"),
    "value": ("value", "значение", "мән"),
    "unit": ("unit", "ед. изм.", "өлшем бірлігі"),
    "comment": ("comment", "комментарий", "түсініктеме"),
}
REQUIRED = ("indicator", "period", "value")

#: Row problems (quarantine reason codes), in the order a row is checked.
ROW_CODES = (
    "row_columns", "indicator_unknown", "region_unknown", "period_invalid", "period_frequency",
    "value_missing", "value_invalid", "value_percent", "value_out_of_range", "unit_mismatch",
    "duplicate_conflict",
)
#: Whole-file refusals.
FILE_CODES = (
    "file_format", "file_too_large", "file_empty", "file_encoding", "file_unreadable", "file_columns",
    "file_header_duplicate", "file_xlsx_unsafe", "file_xlsx_invalid",
)
#: Warnings (the file is read, nothing is wrong with a row).
WARNING_CODES = ("file_no_rows",)

#: Units for which a ``%`` sign is allowed in a value (and ``%`` is accepted in the unit column).
PERCENT_UNITS = frozenset({"percent", "percent_gdp"})
PERIOD_FORMATS = "YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY, MM.YYYY"
PERIOD_EXAMPLE = {"Y": "2025", "Q": "2025-Q3", "M": "2025-09"}


@dataclass(frozen=True)
class Problem:
    """A quarantined row's reason, or a whole file's refusal (``row`` and ``column`` None).

    ``row`` is the spreadsheet row (the header is row 1); ``column`` the header as written in the file;
    ``value`` the cell as text; ``params`` fill the catalog message ``load.problem.<code>``."""

    row: int | None
    column: str | None
    value: str | None
    code: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FileReport:
    """What became of one file. ``rows_read = loaded + unchanged + corrected + quarantined``."""

    file: str
    sha256: str | None
    dry_run: bool
    template: str = TEMPLATE
    rows_read: int = 0
    loaded: int = 0
    unchanged: int = 0
    corrected: int = 0
    quarantined: int = 0
    refused: Problem | None = None
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    batch: str | None = None

    @property
    def status(self) -> str:
        """``refused`` (nothing loaded), ``partial`` (some rows quarantined) or ``loaded``."""
        if self.refused is not None:
            return "refused"
        return "partial" if self.quarantined else "loaded"


class Refused(Exception):
    """The file as a whole cannot be read."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = {k: str(v) for k, v in params.items()}


# --------------------------------------------------------------------------------------------------
# cells: numbers and periods


_GROUPING_CHARS = str.maketrans("", "", " \u00a0\u202f\u2009'\u2019")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_GROUPED_INT = re.compile(r"^[+-]?\d{1,3}$")


def _ungroup(integer: str, mark: str) -> str:
    """``1.234.567`` with mark ``.`` -> ``1234567``; groups after the first must have three digits."""
    head, *groups = integer.split(mark)
    if not _GROUPED_INT.match(head) or any(len(g) != 3 or not g.isdigit() for g in groups):
        raise ValueError(f"bad digit grouping: {integer!r}")
    return head + "".join(groups)


def parse_number(text: str) -> float:
    """A value as people type it (docs/import.md, "Numbers"): ``1 234,5``, ``1'234.5``, ``1.234,5``,
    ``1,234.5``, ``-0,7``. A single ``.`` or ``,`` is the decimal mark; spaces, no-break spaces and
    apostrophes group digits; with both ``.`` and ``,`` the last one is the decimal mark. Raises
    ValueError for anything else (``%`` is handled by the caller)."""
    s = text.strip().replace("\u2212", "-").translate(_GROUPING_CHARS)
    if not s:
        raise ValueError("empty")
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        decimal = "." if s.rfind(".") > s.rfind(",") else ","
        group = "," if decimal == "." else "."
        if s.count(decimal) != 1:
            raise ValueError(f"two decimal marks: {text!r}")
        integer, fraction = s.split(decimal)
        s = _ungroup(integer, group) + "." + fraction
    elif dots > 1 or commas > 1:
        s = _ungroup(s, "." if dots else ",")
    elif commas == 1:
        s = s.replace(",", ".")
    if not _PLAIN_NUMBER.match(s):
        raise ValueError(f"not a number: {text!r}")
    return float(s)


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DOTTED_MONTH = re.compile(r"^(\d{1,2})\.(\d{4})$")


def parse_period(cell: Any) -> str | dt.date:
    """A period label (``2024``, ``2024-Q3``, ``2024-09``) or a date (a full date: the caller takes the
    period of the indicator's frequency containing it). Raises ValueError."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if float(cell).is_integer() and 1000 <= cell <= 9999:
            return str(int(cell))
        raise ValueError(f"not a period: {cell!r}")
    text = str(cell).strip()
    if m := _YEAR.match(text):
        return m[1]
    if m := _QUARTER.match(text):
        return f"{m[1]}-Q{m[2]}"
    if m := _MONTH.match(text):
        if not 1 <= int(m[2]) <= 12:
            raise ValueError(f"no month {m[2]}")
        return f"{m[1]}-{m[2]}"
    if m := _ISO_DATE.match(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DOTTED_DATE.match(text):
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    if m := _DOTTED_MONTH.match(text):
        if not 1 <= int(m[1]) <= 12:
            raise ValueError(f"no month {m[1]}")
        return f"{m[2]}-{int(m[1]):02d}"
    raise ValueError(f"not a period: {text!r}")


def _text(cell: Any) -> str:
    """A cell as the report shows it."""
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


#: Words that say what kind of unit a region is, left out of its short name.
REGION_KIND_WORDS = frozenset({"город", "г.", "область", "обл.", "облысы", "қаласы", "қ.", "region", "city", "oblast"})


def _short_name(name: str) -> str:
    """A region's name without its kind: "город Астана" -> "астана", "Abai Region" -> "abai"."""
    return " ".join(word for word in _fold(name).split() if word not in REGION_KIND_WORDS)


def _header_key(text: str) -> str:
    return "".join(str(text).split()).casefold().lstrip("\ufeff")


_HEADER_LOOKUP = {_header_key(name): column for column, names in HEADERS.items() for name in names}


# --------------------------------------------------------------------------------------------------
# reading a file into (header, rows)


def _decode(data: bytes) -> str:
    """Strict UTF-8 (with or without BOM), then KZ-1048 (which also reads Russian cp1251), else refuse."""
    encodings = "UTF-8, KZ-1048, Windows-1251"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16/32: not a file agencies' tools write
        raise Refused("file_encoding", encodings=encodings)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if data.startswith(b"\xef\xbb\xbf"):  # says UTF-8 but is not
            raise Refused("file_encoding", encodings=encodings) from None
        try:
            text = data.decode("kz1048")
        except UnicodeDecodeError:
            raise Refused("file_encoding", encodings=encodings) from None
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):  # binary, or a misread encoding
        raise Refused("file_encoding", encodings=encodings)
    return text


def _sniff_separator(first_line: str) -> str:
    """The separator whose split of the header names the most template columns (ties: ``;`` tab ``,``)."""
    def score(sep: str) -> int:
        cells = next(csv.reader([first_line], delimiter=sep), [])
        return sum(_header_key(c) in _HEADER_LOOKUP for c in cells)
    return max(SEPARATORS, key=lambda sep: (score(sep), -SEPARATORS.index(sep)))


def _read_csv(data: bytes) -> list[list[Any]]:
    text = _decode(data)
    if not text.strip():
        raise Refused("file_empty")
    first_line = text.lstrip("\r\n").splitlines()[0]
    separator = _sniff_separator(first_line)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator)]
    except csv.Error:
        raise Refused("file_unreadable") from None


def _check_archive(path: Path) -> None:
    """Refuse a zip bomb before openpyxl unpacks anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise Refused("file_xlsx_invalid") from None
    unpacked = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if unpacked > MAX_XLSX_UNCOMPRESSED or (unpacked > 10 * 1024 * 1024 and unpacked / packed > MAX_XLSX_RATIO):
        raise Refused("file_xlsx_unsafe", size_mb=f"{unpacked / 1024 / 1024:.0f}")
    if not any(m.filename == "xl/workbook.xml" for m in members):
        raise Refused("file_xlsx_invalid")


def _unsafe(exc: BaseException | None) -> bool:
    """Whether defusedxml refused the XML (anywhere in the exception's chain)."""
    seen = 0
    while exc is not None and seen < 10:
        if type(exc).__module__.startswith("defusedxml"):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _read_xlsx(path: Path) -> list[list[Any]]:
    import openpyxl

    if not getattr(openpyxl, "DEFUSEDXML", False):  # pragma: no cover - defusedxml is a dependency
        raise RuntimeError("openpyxl must use defusedxml (pip install defusedxml) to read uploaded files safely")
    _check_archive(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure to open is the file's fault
        raise Refused("file_xlsx_unsafe" if _unsafe(exc) else "file_xlsx_invalid") from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise Refused("file_empty")
        sheet = next((s for s in sheets if s.title.strip().casefold() == TEMPLATE), sheets[0])
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001
        raise Refused("file_xlsx_unsafe" if _unsafe(exc) else "file_xlsx_invalid") from None
    finally:
        workbook.close()


def read_table(path: Path) -> tuple[str, list[list[Any]]]:
    """(sha256, rows including the header) of a CSV or XLSX file, or :class:`Refused`."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise Refused("file_too_large", size_mb=f"{size / 1024 / 1024:.1f}",
                          limit_mb=f"{MAX_FILE_BYTES // 1024 // 1024}")
        data = path.read_bytes()
    except OSError:
        raise Refused("file_unreadable") from None
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise Refused("file_empty")
    suffix = path.suffix.lower()
    if data.startswith(b"PK\x03\x04") and suffix not in CSV_SUFFIXES:
        rows = _read_xlsx(path)
    elif suffix in CSV_SUFFIXES and not data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        rows = _read_csv(data)
    else:
        raise Refused("file_format", formats="CSV, XLSX")
    if not any(not _blank(c) for row in rows for c in row):
        raise Refused("file_empty")
    return digest, rows


def map_header(header: Sequence[Any]) -> dict[str, int]:
    """Template column -> index in the file's header; refuses a missing or repeated column."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = _HEADER_LOOKUP.get(_header_key(_text(cell)))
        if column is None:
            continue
        if column in found:
            raise Refused("file_header_duplicate", column=_text(cell))
        found[column] = index
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise Refused("file_columns", missing=", ".join(
            " / ".join(HEADERS[c]) for c in missing))
    return found


# --------------------------------------------------------------------------------------------------
# validating rows


@dataclass(frozen=True)
class Reference:
    """What rows are checked against: indicators (unit, frequency, valid range) and region names."""

    indicators: Mapping[str, tuple[str, str, float | None, float | None]]
    regions: Mapping[str, str]  # code or folded name in any locale -> code

    @classmethod
    def of(cls, engine: Engine) -> "Reference":
        with engine.connect() as conn:
            indicators = {r.code: (r.unit, r.frequency, r.valid_min, r.valid_max) for r in conn.execute(
                select(Indicator.code, Indicator.unit, Indicator.frequency, Indicator.valid_min,
                       Indicator.valid_max))}
            regions: dict[str, str] = {}
            short: dict[str, set[str]] = {}
            for code, names in conn.execute(select(Region.code, Region.name)):
                for name in (names or {}).values():
                    if isinstance(name, str) and name.strip():
                        regions.setdefault(_fold(name), code)
                        short.setdefault(_short_name(name), set()).add(code)
                regions[_fold(code)] = code
        # "Астана" for "город Астана": a short form counts only when it names one region
        # (Kazakh "Алматы" is both the city and the region: it stays unknown, never guessed).
        for key, codes in short.items():
            if key and len(codes) == 1:
                regions.setdefault(key, next(iter(codes)))
        return cls(indicators, regions)


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= SAME_VALUE_TOLERANCE * max(1.0, abs(a), abs(b))


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:g}"


def validate(rows: Sequence[Sequence[Any]], reference: Reference) -> tuple[pd.DataFrame, list[Problem], int, int]:
    """(good rows for ``record_observations``, problems, rows read, rows quarantined) of a table whose
    first row is the header."""
    header = list(rows[0])
    columns = map_header(header)
    names = {c: _text(header[i]) for c, i in columns.items()}
    width = len(header)
    good: list[dict[str, Any]] = []
    good_rows: list[int] = []
    problems: list[Problem] = []
    bad_rows: set[int] = set()
    rows_read = 0

    for offset, raw in enumerate(rows[1:]):
        number = offset + 2
        if all(_blank(c) for c in raw):
            continue
        rows_read += 1
        row_problems: list[Problem] = []

        def problem(column: str | None, code: str, cell: Any = None, **params: Any) -> None:
            row_problems.append(Problem(number, names.get(column) if column else None,
                                        _text(cell) if cell is not None else None, code,
                                        {k: str(v) for k, v in params.items()}))

        if len(raw) > width and any(not _blank(c) for c in raw[width:]):
            problem(None, "row_columns", count=len(raw), expected=width)
        cells = {c: (raw[i] if i < len(raw) else None) for c, i in columns.items()}

        code = normalise_code(_text(cells["indicator"]))
        meta = reference.indicators.get(code)
        if meta is None:
            problem("indicator", "indicator_unknown", cells["indicator"] or "", value=_text(cells["indicator"]))
        region_cell = cells.get("region")
        region = NATION if _blank(region_cell) else reference.regions.get(_fold(_text(region_cell)))
        if region is None:
            problem("region", "region_unknown", region_cell, value=_text(region_cell))

        label = None
        try:
            if _blank(cells["period"]):
                raise ValueError("empty")
            parsed = parse_period(cells["period"])
        except ValueError:
            problem("period", "period_invalid", cells["period"] or "", value=_text(cells["period"]),
                    formats=PERIOD_FORMATS)
        else:
            if meta is not None:
                frequency = meta[1]
                if isinstance(parsed, dt.date):
                    label = period_label(parsed, frequency)
                elif label_frequency(parsed) == frequency:
                    label = parsed
                else:
                    problem("period", "period_frequency", cells["period"], value=_text(cells["period"]),
                            expected=PERIOD_EXAMPLE[frequency])

        value = None
        value_cell = cells["value"]
        if _blank(value_cell):
            problem("value", "value_missing", "")
        elif isinstance(value_cell, bool) or isinstance(value_cell, (dt.date, dt.datetime)):
            problem("value", "value_invalid", value_cell, value=_text(value_cell))
        elif isinstance(value_cell, (int, float)):
            value = float(value_cell)
        else:
            text = str(value_cell).strip()
            percent = "%" in text
            try:
                value = parse_number(text.replace("%", "", 1) if text.count("%") == 1 and
                                     (text.startswith("%") or text.endswith("%")) else text)
            except ValueError:
                problem("value", "value_invalid", value_cell, value=text)
            else:
                if percent and meta is not None and meta[0] not in PERCENT_UNITS:
                    problem("value", "value_percent", value_cell, value=text, unit=meta[0])
                    value = None
        if value is not None and (value != value or abs(value) == float("inf")):
            problem("value", "value_invalid", value_cell, value=_text(value_cell))
            value = None
        if value is not None and meta is not None:
            low, high = meta[2], meta[3]
            if (low is not None and value < low) or (high is not None and value > high):
                problem("value", "value_out_of_range", value_cell, value=_text(value_cell),
                        min=_fmt(low), max=_fmt(high))

        unit_cell = cells.get("unit")
        if meta is not None and not _blank(unit_cell):
            given = _text(unit_cell).casefold()
            if given != meta[0].casefold() and not (given == "%" and meta[0] in PERCENT_UNITS):
                problem("unit", "unit_mismatch", unit_cell, value=_text(unit_cell), expected=meta[0])

        if row_problems:
            problems += row_problems
            bad_rows.add(number)
            continue
        comment = cells.get("comment")
        good.append({"indicator": code, "region": region, "period": label, "value": value,
                     "comment": None if _blank(comment) else _text(comment)})
        good_rows.append(number)

    # Two rows for one figure with different values: all of them are quarantined.
    by_key: dict[tuple[str, str, str], list[int]] = {}
    for position, row in enumerate(good):
        by_key.setdefault((row["indicator"], row["region"], row["period"]), []).append(position)
    conflicting: set[int] = set()
    for positions in by_key.values():
        if len(positions) > 1 and any(not _same(good[positions[0]]["value"], good[p]["value"]) for p in positions):
            for p in positions:
                others = ", ".join(str(good_rows[q]) for q in positions if q != p)
                problems.append(Problem(good_rows[p], names["value"], _text(rows[good_rows[p] - 1][columns["value"]]),
                                        "duplicate_conflict", {"rows": others}))
                bad_rows.add(good_rows[p])
                conflicting.add(p)
    kept = [row for position, row in enumerate(good) if position not in conflicting]
    frame = pd.DataFrame(kept, columns=["indicator", "region", "period", "value", "comment"])
    problems.sort(key=lambda p: (p.row or 0))
    return frame, problems, rows_read, len(bad_rows)


# --------------------------------------------------------------------------------------------------
# loading


def load_file(engine: Engine, path: str | Path, *, actor: str, dry_run: bool = False,
              reference: Reference | None = None, now: dt.datetime | None = None) -> FileReport:
    """Read, validate and load one file of the observations template (one transaction).

    ``dry_run`` does everything but commit: the counts are what a real load would report, and no
    observation, batch or ledger entry is kept."""
    path = Path(path)
    try:
        digest, rows = read_table(path)
        reference = reference or Reference.of(engine)
        frame, problems, rows_read, quarantined = validate(rows, reference)
    except Refused as exc:
        sha = None
        try:
            sha = hashlib.sha256(path.read_bytes()).hexdigest() if path.stat().st_size <= MAX_FILE_BYTES else None
        except OSError:
            pass
        return FileReport(file=str(path), sha256=sha, dry_run=dry_run,
                          refused=Problem(None, None, None, exc.code, exc.params))
    now = now or dt.datetime.now(dt.timezone.utc)
    batch_code = f"FILE-{now:%Y%m%d%H%M%S%f}-{digest[:8]}"
    source = f"file {path.name} sha256 {digest}"
    with engine.connect() as conn:
        conn.info["write"] = True  # SQLite: BEGIN IMMEDIATE, like store.writing
        try:
            transaction = conn.begin()
            try:
                result = record_observations(conn, ledger_writer(conn, actor), batch_code=batch_code,
                                             source=source, rows=frame, known_at=now, actor=actor,
                                             quarantined=quarantined)
            except BaseException:
                transaction.rollback()
                raise
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
        finally:
            conn.info.pop("write", None)
    assert result.rows_read == rows_read, (result.rows_read, rows_read)
    return FileReport(
        file=str(path), sha256=digest, dry_run=dry_run, rows_read=result.rows_read, loaded=result.loaded,
        unchanged=result.unchanged, corrected=result.corrected, quarantined=result.quarantined,
        problems=tuple(problems), warnings=("file_no_rows",) if rows_read == 0 else (),
        batch=None if dry_run else batch_code,
    )


def load_files(engine: Engine, paths: Iterable[str | Path], *, actor: str, dry_run: bool = False) -> list[FileReport]:
    """:func:`load_file` for each path, in order (each file its own transaction)."""
    reference = Reference.of(engine)
    return [load_file(engine, p, actor=actor, dry_run=dry_run, reference=reference) for p in paths]


__all__ = ["FileReport", "Problem", "Reference", "Refused", "load_file", "load_files", "parse_number",
           "parse_period", "read_table", "validate", "MAX_FILE_BYTES", "ROW_CODES", "FILE_CODES"]
