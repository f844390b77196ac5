"""Reading cells as people type them: numbers, periods, dates, codes and names (docs/import.md).

Every parser takes a cell as it came from a CSV (text) or an XLSX (text, number, date) and either
returns the value or raises ValueError; the templates turn a ValueError into a row problem.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

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


def number_cell(cell: Any) -> float:
    """A finite number from an XLSX number cell or typed text (:func:`parse_number`); ValueError else."""
    if isinstance(cell, bool) or isinstance(cell, (dt.date, dt.datetime)):
        raise ValueError(f"not a number: {cell!r}")
    value = float(cell) if isinstance(cell, (int, float)) else parse_number(str(cell))
    if value != value or abs(value) == float("inf"):
        raise ValueError(f"not a finite number: {cell!r}")
    return value


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


def parse_date(cell: Any) -> dt.date:
    """A calendar day: an XLSX date cell, ``YYYY-MM-DD`` or ``DD.MM.YYYY``. Raises ValueError."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = str(cell).strip()
    if m := _ISO_DATE.match(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DOTTED_DATE.match(text):
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    raise ValueError(f"not a date: {text!r}")


#: Accepted spellings of yes / no (any case).
TRUE_WORDS = frozenset({"1", "yes", "true", "y", "да", "д", "иә", "и"})
FALSE_WORDS = frozenset({"0", "no", "false", "n", "нет", "н", "жоқ", "ж"})


def parse_bool(cell: Any) -> bool:
    """``yes``/``no`` in English, Russian or Kazakh, ``1``/``0``, ``true``/``false``. Raises ValueError."""
    if isinstance(cell, bool):
        return cell
    word = text(cell).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"not yes or no: {cell!r}")


def text(cell: Any) -> str:
    """A cell as the report shows it (and as text columns store it)."""
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def blank(cell: Any) -> bool:
    """Whether a cell is empty (None or only whitespace)."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def fold(value: str) -> str:
    """Text compared without case and with runs of whitespace as one space."""
    return " ".join(value.split()).casefold()


#: Words that say what kind of unit a region is, left out of its short name.
REGION_KIND_WORDS = frozenset({"город", "г.", "область", "обл.", "облысы", "қаласы", "қ.", "region", "city", "oblast"})


def short_name(name: str) -> str:
    """A region's name without its kind: "город Астана" -> "астана", "Abai Region" -> "abai"."""
    return " ".join(word for word in fold(name).split() if word not in REGION_KIND_WORDS)


def header_key(value: Any) -> str:
    """A header cell as it is matched: no whitespace anywhere, no BOM, any case."""
    return "".join(str(value).split()).casefold().lstrip("\ufeff")


__all__ = ["blank", "fold", "header_key", "number_cell", "parse_bool", "parse_date", "parse_number",
           "parse_period", "short_name", "text"]
