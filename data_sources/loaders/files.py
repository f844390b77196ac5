"""Reading an uploaded file into sheets of rows, safely (docs/import.md, "Files").

* CSV (``;``, tab or ``,`` separated; UTF-8 with or without BOM, KZ-1048, Windows-1251) is one sheet.
* XLSX is checked before it is parsed (total uncompressed size, compression ratio), parsed with
  defusedxml in openpyxl's read-only mode, and gives every sheet by name.
* A file that cannot be read as a whole raises :class:`Refused` with a code of :data:`FILE_CODES`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection

from data_sources.loaders.cells import blank, header_key

#: An XLSX archive whose members unpack to more than this is refused (zip bomb).
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
#: ... and so is one that unpacks to more than 10 MB at a compression ratio above this.
MAX_XLSX_RATIO = 200

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SEPARATORS = (";", "\t", ",")
ENCODINGS = "UTF-8, KZ-1048, Windows-1251"

#: Whole-file refusals (nothing of the file is loaded).
FILE_CODES = (
    "file_format", "file_too_large", "file_empty", "file_encoding", "file_unreadable", "file_columns",
    "file_header_duplicate", "file_xlsx_unsafe", "file_xlsx_invalid", "file_template_unknown",
    "file_template_ambiguous", "file_parent_conflict",
)


class Refused(Exception):
    """The file as a whole cannot be read; ``params`` fill the catalog message ``load.problem.<code>``."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = {k: str(v) for k, v in params.items()}


@dataclass(frozen=True)
class Sheet:
    """One table of a file: ``name`` is the XLSX sheet's title (``None`` for a CSV); ``rows`` include
    the header row."""

    name: str | None
    rows: list[list[Any]]


def _decode(data: bytes) -> str:
    """Strict UTF-8 (with or without BOM), then KZ-1048 (which also reads Russian cp1251), else refuse."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16/32: not a file agencies' tools write
        raise Refused("file_encoding", encodings=ENCODINGS)
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if data.startswith(b"\xef\xbb\xbf"):  # says UTF-8 but is not
            raise Refused("file_encoding", encodings=ENCODINGS) from None
        try:
            decoded = data.decode("kz1048")
        except UnicodeDecodeError:
            raise Refused("file_encoding", encodings=ENCODINGS) from None
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", decoded):  # binary, or a misread encoding
        raise Refused("file_encoding", encodings=ENCODINGS)
    return decoded


def _sniff_separator(first_line: str, known_headers: Collection[str]) -> str:
    """The separator whose split of the header names the most known columns (ties: ``;`` tab ``,``)."""
    def score(sep: str) -> int:
        cells = next(csv.reader([first_line], delimiter=sep), [])
        return sum(header_key(c) in known_headers for c in cells)
    return max(SEPARATORS, key=lambda sep: (score(sep), -SEPARATORS.index(sep)))


def _read_csv(data: bytes, known_headers: Collection[str]) -> list[list[Any]]:
    decoded = _decode(data)
    if not decoded.strip():
        raise Refused("file_empty")
    first_line = decoded.lstrip("\r\n").splitlines()[0]
    separator = _sniff_separator(first_line, known_headers)
    try:
        # strict: a quote opened and never closed would otherwise swallow the rest of the file into
        # one cell, and its rows would silently go uncounted.
        return list(csv.reader(io.StringIO(decoded, newline=""), delimiter=separator, strict=True))
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


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl

    if not getattr(openpyxl, "DEFUSEDXML", False):  # pragma: no cover - defusedxml is a dependency
        raise RuntimeError("openpyxl must use defusedxml (pip install defusedxml) to read uploaded files safely")
    _check_archive(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure to open is the file's fault
        raise Refused("file_xlsx_unsafe" if _unsafe(exc) else "file_xlsx_invalid") from None
    try:
        sheets = [Sheet(ws.title, [list(row) for row in ws.iter_rows(values_only=True)])
                  for ws in workbook.worksheets]
    except Exception as exc:  # noqa: BLE001
        raise Refused("file_xlsx_unsafe" if _unsafe(exc) else "file_xlsx_invalid") from None
    finally:
        workbook.close()
    if not sheets:
        raise Refused("file_empty")
    return sheets


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a file's bytes (hex), read in chunks; None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def read_sheets(path: Path, *, max_bytes: int, known_headers: Collection[str] = ()) -> tuple[str, bytes, list[Sheet]]:
    """(sha256, the file's bytes, its sheets) of a CSV or XLSX file, or :class:`Refused`.

    ``known_headers`` (header keys of every template) let a CSV's separator be recognised."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise Refused("file_too_large", size_mb=f"{size / 1024 / 1024:.1f}",
                          limit_mb=f"{max_bytes / 1024 / 1024:g}")
        data = path.read_bytes()
    except OSError:
        raise Refused("file_unreadable") from None
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise Refused("file_empty")
    suffix = path.suffix.lower()
    if data.startswith(b"PK\x03\x04") and suffix not in CSV_SUFFIXES:
        sheets = _read_xlsx(path)
    elif suffix in CSV_SUFFIXES and not data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        sheets = [Sheet(None, _read_csv(data, known_headers))]
    else:
        raise Refused("file_format", formats="CSV, XLSX")
    if not any(not blank(c) for sheet in sheets for row in sheet.rows for c in row):
        raise Refused("file_empty")
    return digest, data, sheets


__all__ = ["FILE_CODES", "Refused", "Sheet", "file_sha256", "read_sheets"]
