"""The observations loader (docs/import.md): headers in three languages, encodings, separators, number
and period formats, XLSX cells, every quarantine reason, whole-file refusals, counts that add up,
loading twice, corrections and dry runs — on a copy of the demo store (SQLite, or PostgreSQL in the
second stage of ``make test``)."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from data_sources.loaders.cells import parse_number, parse_period
from data_sources.loaders.run import load_file
from data_sources.store import Indicator, LedgerEntry, LoadBatch, Observation, ObservationCurrent, Region

pytestmark = pytest.mark.datalayer

ACTOR = "loader-test"


def write_csv(path: Path, lines: list[str], *, encoding: str = "utf-8", sep: str = ";") -> Path:
    path.write_bytes(("\r\n".join(sep.join(cells) if isinstance(cells, list) else cells
                                  for cells in lines) + "\r\n").encode(encoding))
    return path


def current(engine, indicator: str, region: str, period: str):
    with engine.connect() as conn:
        return conn.execute(
            select(ObservationCurrent.value, ObservationCurrent.version)
            .join(Indicator, Indicator.id == ObservationCurrent.indicator_id)
            .join(Region, Region.id == ObservationCurrent.region_id)
            .where(Indicator.code == indicator, Region.code == region, ObservationCurrent.period == period)
        ).one_or_none()


def counts(engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(Observation)).scalar_one(),
                conn.execute(select(func.count()).select_from(LoadBatch)).scalar_one(),
                conn.execute(select(func.count()).select_from(LedgerEntry)).scalar_one())


def regions_of(engine) -> dict[str, str]:
    from data_sources.loaders.template import Reference

    with engine.connect() as conn:
        return Reference(conn).regions


def adds_up(report) -> bool:
    return report.rows_read == report.loaded + report.unchanged + report.corrected + report.quarantined


# --------------------------------------------------------------------------------------------------
# cells (pure functions; the module is marked datalayer, so these take the store URL too)


@pytest.mark.parametrize("text, expected", [
    ("12", 12.0), ("12.5", 12.5), ("12,5", 12.5), ("-0,7", -0.7), ("1,234", 1.234), ("1.234", 1.234),
    ("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5), ("1\u202f234.5", 1234.5), ("1'234.5", 1234.5),
    ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1.234.567", 1234567.0), ("1 234 567,25", 1234567.25),
    ("\u22123,5", -3.5),
])
def test_numbers(text, expected, database_url):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.2.3,4", "1,5,", "12a", "1e5", "nan"])
def test_not_numbers(text, database_url):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize("cell, expected", [
    ("2024", "2024"), ("2024-Q3", "2024-Q3"), ("2024-q1", "2024-Q1"), ("2024-09", "2024-09"),
    ("2024-09-15", dt.date(2024, 9, 15)), ("15.09.2024", dt.date(2024, 9, 15)), ("09.2024", "2024-09"),
    (2024, "2024"), (dt.datetime(2024, 5, 31), dt.date(2024, 5, 31)),
])
def test_periods(cell, expected, database_url):
    assert parse_period(cell) == expected


# --------------------------------------------------------------------------------------------------
# reading files


def test_utf8_semicolon_english_headers_load(demo_engine, tmp_path):
    path = write_csv(tmp_path / "obs.csv", [
        ["indicator", "period", "region", "value", "unit", "comment"],
        ["LIFE_EXPECTANCY", "2030", "", "77,5", "years", "прогноз"],
        ["UNEMPLOYMENT_RATE", "2030-Q1", "ALA", "4,5%", "%", ""],
        ["BIRTHS", "2030-01", "Astana", "3 412", "", ""],
    ])
    report = load_file(demo_engine, path, actor=ACTOR)
    assert (report.status, report.rows_read, report.loaded, report.quarantined) == ("loaded", 3, 3, 0), report
    assert current(demo_engine, "LIFE_EXPECTANCY", "KZ", "2030") == (77.5, 1)
    assert current(demo_engine, "UNEMPLOYMENT_RATE", "ALA", "2030-Q1") == (4.5, 1)
    assert current(demo_engine, "BIRTHS", "AST", "2030-01") == (3412.0, 1)
    assert len(report.sha256) == 64 and report.batch


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "kz1048"])
def test_kazakh_headers_and_region_names_in_each_encoding(demo_engine, tmp_path, encoding):
    path = write_csv(tmp_path / "obs.csv", [
        ["Көрсеткіш", " Кезең ", "Өңір", "Мән", "Өлшем бірлігі", "Түсініктеме"],
        ["life_expectancy", "2031", "Алматы қаласы", "76,1", "years", "Қазақстан үшін ұңғыма"],
        ["LIFE_EXPECTANCY", "2031", "Ақтөбе облысы", "73,9", "", "өңір"],
    ], encoding=encoding)
    report = load_file(demo_engine, path, actor=ACTOR)
    assert (report.loaded, report.quarantined) == (2, 0), report.problems
    assert current(demo_engine, "LIFE_EXPECTANCY", "ALA", "2031") == (76.1, 1)
    assert current(demo_engine, "LIFE_EXPECTANCY", "AKT", "2031") == (73.9, 1)
    with demo_engine.connect() as conn:
        comments = set(conn.execute(select(Observation.comment).where(Observation.period == "2031")).scalars())
    assert "Қазақстан үшін ұңғыма" in comments  # Kazakh letters survive KZ-1048


def test_russian_headers_tab_separated_cp1251(demo_engine, tmp_path):
    path = write_csv(tmp_path / "obs.tsv", [
        ["ПОКАЗАТЕЛЬ", "Период", "Регион", "Значение", "Ед. изм.", "Комментарий"],
        ["LIFE_EXPECTANCY", "2032", "город Алматы", "1 234,5", "", "выше диапазона"],
        ["LIFE_EXPECTANCY", "2032", "Акмолинская область", "72,25", "", "Россия"],
    ], encoding="cp1251", sep="\t")
    report = load_file(demo_engine, path, actor=ACTOR)
    assert (report.rows_read, report.loaded, report.quarantined) == (2, 1, 1)
    assert report.problems[0].code == "value_out_of_range" and report.problems[0].column == "Значение"
    assert current(demo_engine, "LIFE_EXPECTANCY", "AKM", "2032") == (72.25, 1)


def test_comma_separated_with_quoted_values(demo_engine, tmp_path):
    path = write_csv(tmp_path / "obs.csv", [
        "indicator,period,value",
        'BIRTHS,2030-02,"1,234.5"',
        'BIRTHS,2030-03,"12\'345"',
        'BIRTHS,03.04.2030,"2.345,5"',
        "BIRTHS,05.2030,7",
        "BIRTHS,2030-06-30,8",
    ], sep=",")
    report = load_file(demo_engine, path, actor=ACTOR)
    assert (report.loaded, report.quarantined) == (5, 0), report.problems
    assert current(demo_engine, "BIRTHS", "KZ", "2030-02") == (1234.5, 1)
    assert current(demo_engine, "BIRTHS", "KZ", "2030-03") == (12345.0, 1)
    assert current(demo_engine, "BIRTHS", "KZ", "2030-04") == (2345.5, 1)  # a full date: its month
    assert current(demo_engine, "BIRTHS", "KZ", "2030-05") == (7.0, 1)
    assert current(demo_engine, "BIRTHS", "KZ", "2030-06") == (8.0, 1)


def test_a_full_date_means_the_period_of_the_indicators_frequency(demo_engine, tmp_path):
    path = write_csv(tmp_path / "obs.csv", [
        ["indicator", "period", "value"],
        ["UNEMPLOYMENT_RATE", "15.08.2030", "4.7"],
        ["LIFE_EXPECTANCY", "2033-12-31", "78"],
    ])
    report = load_file(demo_engine, path, actor=ACTOR)
    assert report.loaded == 2, report.problems
    assert current(demo_engine, "UNEMPLOYMENT_RATE", "KZ", "2030-Q3") == (4.7, 1)
    assert current(demo_engine, "LIFE_EXPECTANCY", "KZ", "2033") == (78.0, 1)


def test_xlsx_numeric_and_date_cells(demo_engine, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Лист1"
    sheet.append(["Показатель", "Период", "Регион", "Значение"])
    sheet.append(["LIFE_EXPECTANCY", 2034, "KZ", 75.123456789])
    sheet.append(["BIRTHS", dt.datetime(2030, 7, 15), "ALA", 3500])
    sheet.append(["UNEMPLOYMENT_RATE", dt.date(2030, 11, 2), None, "4,9%"])
    sheet.append([None, None, None, None])
    sheet.append(["BIRTHS", "2030-08", "ALA", dt.datetime(2030, 1, 1)])
    path = tmp_path / "obs.xlsx"
    workbook.save(path)
    report = load_file(demo_engine, path, actor=ACTOR)
    assert (report.rows_read, report.loaded, report.quarantined) == (4, 3, 1), report.problems
    assert current(demo_engine, "LIFE_EXPECTANCY", "KZ", "2034") == (75.123456789, 1)
    assert current(demo_engine, "BIRTHS", "ALA", "2030-07") == (3500.0, 1)
    assert current(demo_engine, "UNEMPLOYMENT_RATE", "KZ", "2030-Q4") == (4.9, 1)
    (problem,) = report.problems
    assert (problem.row, problem.code) == (6, "value_invalid")  # the blank row 5 still counts in numbering


def test_xlsx_sheet_named_observations_is_preferred(demo_engine, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["notes"])
    sheet = workbook.create_sheet("Observations")
    sheet.append(["indicator", "period", "value"])
    sheet.append(["LIFE_EXPECTANCY", "2035", 80])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    assert load_file(demo_engine, path, actor=ACTOR).loaded == 1


# --------------------------------------------------------------------------------------------------
# quarantine: every reason, with row, column, value; counts add up


def test_every_quarantine_reason(demo_engine, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [
        ["indicator", "period", "region", "value", "unit"],
        ["NO_SUCH_INDICATOR", "2030", "", "1", ""],            # 2 indicator_unknown
        ["LIFE_EXPECTANCY", "2030", "Atlantis", "70", ""],     # 3 region_unknown
        ["LIFE_EXPECTANCY", "someday", "", "70", ""],          # 4 period_invalid
        ["LIFE_EXPECTANCY", "2030-Q1", "", "70", ""],          # 5 period_frequency
        ["LIFE_EXPECTANCY", "2030", "AST", "", ""],            # 6 value_missing
        ["LIFE_EXPECTANCY", "2030", "ALA", "seventy", ""],     # 7 value_invalid
        ["LIFE_EXPECTANCY", "2030", "AKM", "70%", ""],         # 8 value_percent
        ["LIFE_EXPECTANCY", "2030", "AKT", "170", ""],         # 9 value_out_of_range
        ["LIFE_EXPECTANCY", "2030", "ALR", "70", "%"],         # 10 unit_mismatch
        ["LIFE_EXPECTANCY", "2030", "ATY", "70", ""],          # 11 duplicate_conflict (with 12)
        ["LIFE_EXPECTANCY", "2030", "ATY", "71", ""],          # 12
        ["LIFE_EXPECTANCY", "2030", "ABY", "70", "", "extra"],  # 13 row_columns
        ["LIFE_EXPECTANCY", "2030", "KZ", "70", "years"],      # 14 good
        ["LIFE_EXPECTANCY", "2030", "kz", "70", "YEARS"],      # 15 identical duplicate: unchanged
    ])
    report = load_file(demo_engine, path, actor=ACTOR)
    by_row = {p.row: p for p in report.problems}
    expected = {2: ("indicator_unknown", "indicator"), 3: ("region_unknown", "region"),
                4: ("period_invalid", "period"), 5: ("period_frequency", "period"),
                6: ("value_missing", "value"), 7: ("value_invalid", "value"), 8: ("value_percent", "value"),
                9: ("value_out_of_range", "value"), 10: ("unit_mismatch", "unit"),
                11: ("duplicate_conflict", "value"), 12: ("duplicate_conflict", "value"),
                13: ("row_columns", None)}
    assert {row: (p.code, p.column) for row, p in by_row.items()} == expected
    assert by_row[7].value == "seventy" and by_row[9].params["max"] == "90"
    assert by_row[11].params["rows"] == "12" and by_row[5].params["expected"] == "2025"
    assert (report.rows_read, report.loaded, report.unchanged, report.corrected, report.quarantined) == (14, 1, 1, 0, 12)
    assert adds_up(report) and report.status == "partial"
    assert current(demo_engine, "LIFE_EXPECTANCY", "KZ", "2030") == (70.0, 1)
    assert current(demo_engine, "LIFE_EXPECTANCY", "ATY", "2030") is None


# --------------------------------------------------------------------------------------------------
# loading twice, corrections, dry run


def test_loading_twice_changes_nothing_and_a_new_value_is_a_correction(demo_engine, tmp_path):
    before = current(demo_engine, "UNEMPLOYMENT_RATE", "KZ", "2024-Q4")
    assert before is not None
    path = write_csv(tmp_path / "obs.csv", [
        ["indicator", "period", "value"],
        ["UNEMPLOYMENT_RATE", "2024-Q4", f"{before.value}"],  # equal to the store: unchanged
        ["UNEMPLOYMENT_RATE", "2030-Q2", "4,6"],
    ])
    first = load_file(demo_engine, path, actor=ACTOR)
    assert (first.loaded, first.unchanged, first.corrected) == (1, 1, 0)
    observations_before = counts(demo_engine)[0]
    second = load_file(demo_engine, path, actor=ACTOR)
    assert (second.rows_read, second.loaded, second.unchanged, second.corrected) == (2, 0, 2, 0)
    assert counts(demo_engine)[0] == observations_before

    fix = write_csv(tmp_path / "fix.csv", [["indicator", "period", "value"], ["UNEMPLOYMENT_RATE", "2030-Q2", "4,8"]])
    corrected = load_file(demo_engine, fix, actor=ACTOR)
    assert (corrected.loaded, corrected.corrected) == (0, 1) and adds_up(corrected)
    assert current(demo_engine, "UNEMPLOYMENT_RATE", "KZ", "2030-Q2") == (4.8, 2)
    with demo_engine.connect() as conn:
        kinds = [r.kind for r in conn.execute(select(LedgerEntry.kind).order_by(LedgerEntry.seq.desc()).limit(2))]
    assert kinds == ["batch.loaded", "observation.corrected"]


def test_dry_run_writes_nothing(demo_engine, tmp_path):
    path = write_csv(tmp_path / "obs.csv", [["indicator", "period", "value"], ["LIFE_EXPECTANCY", "2036", "79"],
                                            ["LIFE_EXPECTANCY", "2036", "x"]])
    before = counts(demo_engine)
    report = load_file(demo_engine, path, actor=ACTOR, dry_run=True)
    assert (report.loaded, report.quarantined, report.batch) == (1, 1, None)
    assert counts(demo_engine) == before
    assert current(demo_engine, "LIFE_EXPECTANCY", "KZ", "2036") is None


def test_a_header_without_rows_is_read_with_a_warning(demo_engine, tmp_path):
    path = write_csv(tmp_path / "obs.csv", [["indicator", "period", "value"]])
    report = load_file(demo_engine, path, actor=ACTOR)
    assert (report.status, report.rows_read, report.warnings) == ("loaded", 0, ("file_no_rows",))


# --------------------------------------------------------------------------------------------------
# refusals: nothing loaded


def raw(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _bomb(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.append(["indicator", "period", "value"])
    workbook.save(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.xml", b"\0" * (210 * 1024 * 1024))
    return path


def _entity_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.append(["indicator", "period", "value"])
    workbook.save(path)
    source = zipfile.ZipFile(path)
    members = {n: source.read(n) for n in source.namelist()}
    source.close()
    # a "billion laughs" DTD in the workbook part: defusedxml forbids entity declarations
    body = members["xl/workbook.xml"].decode("utf-8").split("?>", 1)[-1]
    members["xl/workbook.xml"] = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        + body).encode("utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("make, code", [
    (lambda p: raw(p / "x.csv", b""), "file_empty"),
    (lambda p: write_csv(p / "x.csv", ["   ", ""]), "file_empty"),
    (lambda p: write_csv(p / "x.csv", [["indicator", "value"], ["LIFE_EXPECTANCY", "1"]]), "file_columns"),
    (lambda p: write_csv(p / "x.csv", [["indicator", "period", "value", "значение"]]), "file_header_duplicate"),
    (lambda p: write_csv(p / "x.csv", [["indicator", "period", "value"], ["A", "2030", "1"]], encoding="utf-16"),
     "file_encoding"),
    (lambda p: raw(p / "x.csv", b"indicator;period;value\n\x00\x01\x02\xff\xfe"), "file_encoding"),
    (lambda p: raw(p / "x.csv", b"\xef\xbb\xbfindicator;period;value\nLIFE_EXPECTANCY;2030;\xff\xfe7\n"), "file_encoding"),
    (lambda p: raw(p / "x.pdf", b"%PDF-1.4"), "file_format"),
    (lambda p: raw(p / "x.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100), "file_format"),
    (lambda p: raw(p / "x.csv", b"PK\x03\x04" + b"\0" * 100), "file_format"),
    (lambda p: raw(p / "x.xlsx", b"PK\x03\x04 not really a zip"), "file_xlsx_invalid"),
    (lambda p: _bomb(p / "bomb.xlsx"), "file_xlsx_unsafe"),
    (lambda p: _entity_xlsx(p / "entities.xlsx"), "file_xlsx_unsafe"),
])
def test_refusals_load_nothing(demo_engine, tmp_path, make, code):
    path = make(tmp_path)
    before = counts(demo_engine)
    report = load_file(demo_engine, path, actor=ACTOR)
    assert report.status == "refused" and report.refused.code == code, report
    assert report.rows_read == 0 and counts(demo_engine) == before


def test_a_file_over_the_size_limit_is_refused_unread(demo_engine, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(b"indicator;period;value\n")
        handle.truncate(2 * 1024 * 1024 + 1)
    report = load_file(demo_engine, path, actor=ACTOR, max_bytes=2 * 1024 * 1024)
    assert report.refused.code == "file_too_large" and report.refused.params["limit_mb"] == "2"


# --------------------------------------------------------------------------------------------------
# the command


def test_natije_load_command(natije_cli, settings_env, database_url, tmp_path):
    env = settings_env.env(database_url=database_url)
    good = write_csv(tmp_path / "good.csv", [["indicator", "period", "value"], ["LIFE_EXPECTANCY", "2037", "80"]])
    partial = write_csv(tmp_path / "partial.csv", [["indicator", "period", "value"], ["LIFE_EXPECTANCY", "2038", "81"],
                                                   ["LIFE_EXPECTANCY", "2038-Q1", "81"]])
    refused = write_csv(tmp_path / "refused.csv", [["indicator", "value"], ["LIFE_EXPECTANCY", "80"]])

    assert natije_cli("load", good, env=env).returncode == 0
    proc = natije_cli("load", good, partial, "--json", "--lang", "en", env=env, check=False)
    assert proc.returncode == 3, proc.stderr
    files = json.loads(proc.stdout)["files"]
    assert [f["status"] for f in files] == ["loaded", "partial"]
    assert files[0]["rows"] == {"read": 1, "loaded": 0, "unchanged": 1, "corrected": 0, "quarantined": 0}
    (problem,) = files[1]["problems"]
    assert (problem["row"], problem["column"], problem["value"], problem["code"]) == (3, "period", "2038-Q1",
                                                                                      "period_frequency")
    assert "2038-Q1" in problem["message"] and "2025" in problem["message"]

    proc = natije_cli("load", partial, refused, "--lang", "ru", env=env, check=False)
    assert proc.returncode == 4
    assert "строка 3, столбец period" in proc.stdout and "period / период / кезең" in proc.stdout

    proc = natije_cli("load", "--dry-run", "--lang", "kk", write_csv(tmp_path / "new.csv", [
        ["көрсеткіш", "кезең", "мән"], ["LIFE_EXPECTANCY", "2039", "82"]]), env=env)
    assert "жүктелді 1" in proc.stdout and "Сынақ" in proc.stdout
    proc = natije_cli("load", "--json", tmp_path / "new.csv", env=env)
    assert json.loads(proc.stdout)["files"][0]["rows"]["loaded"] == 1  # the dry run wrote nothing


@pytest.mark.datalayer
@pytest.mark.parametrize(("given", "expected"), [("Астана", "AST"), ("astana", "AST"), ("Абай", "ABY"),
                                                 ("Karaganda", "KGD"), ("Қарағанды облысы", "KGD")])
def test_regions_by_short_name_when_unambiguous(demo_engine, given, expected):
    assert regions_of(demo_engine).get(" ".join(given.split()).casefold()) == expected


@pytest.mark.datalayer
def test_an_ambiguous_short_name_is_not_guessed(demo_engine):
    assert "алматы" not in regions_of(demo_engine)  # the city or the region: unknown, never guessed
