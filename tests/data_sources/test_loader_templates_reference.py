"""The reference and accountability templates (docs/import.md): agencies, officials, indicators, nodes,
targets, responsibilities — good rows, every row problem with its column, loading twice, corrections
and their ledger entries, Russian and Kazakh headers, a workbook of several templates in one go, the
regions of an empty store, and an empty store filled from template files alone showing a working
overview."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from data_sources import queries
from data_sources.loaders.geography import ensure_regions
from data_sources.loaders.run import load_file, templates
from data_sources.settings import load_settings
from data_sources.store import (
    Agency,
    Goal,
    Indicator,
    LedgerEntry,
    Node,
    Official,
    Region,
    RegionPopulation,
    RegionPredecessor,
    Responsibility,
    Target,
)
from data_sources.viewer import Viewer

pytestmark = pytest.mark.datalayer

ACTOR = "reference-test"
TODAY = dt.date(2025, 11, 15)


def write_csv(path: Path, lines: list[list[str]]) -> Path:
    path.write_bytes(("\r\n".join(";".join(cells) for cells in lines) + "\r\n").encode("utf-8"))
    return path


def adds_up(report) -> bool:
    return report.rows_read == report.loaded + report.unchanged + report.corrected + report.quarantined


def load(engine, path: Path, **options):
    report = load_file(engine, path, actor=ACTOR, **options)
    assert report.refused is None, report.refused
    assert adds_up(report), report
    return report


def counts(report) -> tuple[int, int, int, int]:
    return report.loaded, report.unchanged, report.corrected, report.quarantined


def problems(report) -> dict[int, tuple[str, str | None]]:
    """row -> (code, column) of a report's problems (one per row)."""
    return {p.row: (p.code, p.column) for p in report.problems}


def ledger(engine, kind: str) -> list[dict]:
    with engine.connect() as conn:
        return [json.loads(p) for p in conn.execute(
            select(LedgerEntry.payload).where(LedgerEntry.kind == kind).order_by(LedgerEntry.seq)).scalars()]


def one(engine, statement):
    with engine.connect() as conn:
        return conn.execute(statement).one()


# --------------------------------------------------------------------------------------------------
# the files of a small ministry (also the acceptance test's store)

AGENCIES = [["code", "kind", "name_kk", "name_ru", "name_en", "region"],
            ["MH", "ministry", "Денсаулық сақтау министрлігі", "Министерство здравоохранения", "Ministry of Healthcare", ""],
            ["AKIMAT-AST", "акимат", "Астана қаласының әкімдігі", "Акимат города Астаны", "Akimat of Astana", "AST"]]
OFFICIALS = [["code", "name_ru", "name_en", "post_ru", "post_en", "kind", "agency", "region"],
             ["MH-MIN", "Иванова А. Б.", "A. Ivanova", "Министр здравоохранения", "Minister of Healthcare", "political", "MH", ""],
             ["MH-VICE", "Серіков Д.", "D. Serikov", "Вице-министр", "Vice minister", "political", "MH", ""],
             ["MH-PO1", "Ахметова Г.", "G. Akhmetova", "Руководитель проекта", "Project owner", "administrative", "MH", ""],
             ["AST-PO", "Нурланов Е.", "Y. Nurlanov", "Руководитель проекта", "Project owner", "administrative",
              "AKIMAT-AST", "AST"]]
INDICATORS = [["code", "name_ru", "name_en", "unit", "direction", "frequency", "regional", "aggregation", "valid_min",
               "valid_max", "decimals", "grace_days", "publication_lag_days", "agency", "source"],
              ["LIFE_EXP", "Ожидаемая продолжительность жизни", "Life expectancy", "years", "up", "Y", "no", "none",
               "40", "90", "1", "60", "120", "MH", "Bureau of National Statistics"],
              ["INFANT_MORT", "Младенческая смертность", "Infant mortality", "per_1000", "down", "Y", "no", "none",
               "0", "60", "1", "60", "120", "MH", "Bureau of National Statistics"],
              ["DOCTORS", "Врачи на 10 тыс.", "Doctors per 10,000", "per_10k", "up", "Y", "no", "none", "0", "200",
               "1", "60", "120", "MH", "Ministry of Healthcare"],
              ["CLINICS_BUILT", "Построено поликлиник", "Clinics built", "count", "up", "Y", "no", "sum", "0", "",
               "0", "60", "90", "MH", "Ministry of Healthcare"],
              ["WAIT_MINUTES", "Время ожидания приёма", "Waiting time", "minutes", "down", "Q", "no", "none", "0",
               "600", "0", "30", "45", "MH", "Ministry of Healthcare"]]
NODES = [["code", "level", "parent", "kind", "name_ru", "name_en", "agency", "region", "start_date", "end_date",
          "state", "budget_kzt"],
         ["NP-HEALTH", "portfolio", "", "national_project", "Здоровая нация", "Healthy nation", "MH", "",
          "2024-01-01", "2029-12-31", "active", ""],
         ["NP-HEALTH-PRIMARY", "program", "NP-HEALTH", "national_program", "Первичная помощь", "Primary care", "MH",
          "", "2024-01-01", "2029-12-31", "active", "250 000 000 000"],
         ["NP-HEALTH-HOSP", "program", "NP-HEALTH", "national_program", "Больницы", "Hospitals", "MH", "",
          "2024-01-01", "2029-12-31", "active", "400 000 000 000"],
         ["NP-HEALTH-PRIMARY-AST", "project", "NP-HEALTH-PRIMARY", "", "Поликлиника в Астане", "A clinic in Astana",
          "AKIMAT-AST", "AST", "2024-03-01", "2026-12-31", "active", "12 500 000 000"],
         ["NP-HEALTH-PRIMARY-KGD", "project", "NP-HEALTH-PRIMARY", "", "Поликлиника в Караганде",
          "A clinic in Karaganda", "MH", "Karaganda", "2024-03-01", "2026-12-31", "planned", ""],
         ["NP-HEALTH-HOSP-SHY", "project", "NP-HEALTH-HOSP", "", "Больница в Шымкенте", "A hospital in Shymkent", "MH",
          "SHY", "2025-01-01", "2027-12-31", "active", "80 000 000 000"]]
TARGETS = [["node", "indicator", "region", "year", "target", "baseline_value", "baseline_period", "weight", "headline"],
           ["NP-HEALTH", "LIFE_EXP", "", "2025", "75", "74", "2023", "", "yes"],
           ["NP-HEALTH", "LIFE_EXP", "", "2029", "77", "", "", "", ""],
           ["NP-HEALTH", "INFANT_MORT", "", "2025", "7", "8,6", "2023", "", "yes"],
           ["NP-HEALTH", "INFANT_MORT", "", "2029", "5", "", "", "", ""],
           ["NP-HEALTH-PRIMARY", "DOCTORS", "", "2025", "40", "35", "2023", "1", "no"],
           ["NP-HEALTH-PRIMARY", "DOCTORS", "", "2029", "45", "", "", "", ""],
           ["NP-HEALTH-PRIMARY", "WAIT_MINUTES", "", "2025", "40", "60", "2023-Q4", "1", "no"],
           ["NP-HEALTH-PRIMARY", "WAIT_MINUTES", "", "2029", "20", "", "", "", ""],
           ["NP-HEALTH-HOSP", "CLINICS_BUILT", "", "2025", "20", "0", "2023", "", ""],
           ["NP-HEALTH-HOSP", "CLINICS_BUILT", "", "2029", "60", "", "", "", ""]]
RESPONSIBILITIES = [["node", "indicator", "official", "valid_from", "valid_to", "role"],
                    ["NP-HEALTH", "", "MH-MIN", "2024-01-01", "", "accountable"],
                    ["NP-HEALTH", "LIFE_EXP", "MH-MIN", "2024-01-01", "", ""],
                    ["NP-HEALTH-PRIMARY", "", "MH-VICE", "2024-01-01", "", ""],
                    ["NP-HEALTH-HOSP", "", "MH-VICE", "2024-01-01", "", ""],
                    ["NP-HEALTH-PRIMARY-AST", "", "AST-PO", "2024-03-01", "", ""],
                    ["NP-HEALTH-PRIMARY-KGD", "", "MH-PO1", "2024-03-01", "", ""],
                    ["NP-HEALTH-HOSP-SHY", "", "MH-PO1", "2025-01-01", "", ""]]


def observations() -> list[list[str]]:
    """Several years of values: life expectancy on track, infant mortality stuck, doctors ahead,
    waiting times falling quarter by quarter, clinics behind."""
    rows = [["indicator", "period", "value"]]
    yearly = {"LIFE_EXP": [72.5, 73.0, 73.6, 74.0, 74.6, 75.1], "INFANT_MORT": [8.9, 8.8, 8.7, 8.6, 8.7, 8.8],
              "DOCTORS": [33.0, 33.5, 34.2, 35.0, 37.0, 39.5], "CLINICS_BUILT": [0, 0, 0, 0, 2, 3]}
    for code, values in yearly.items():
        rows += [[code, str(2019 + i), f"{v}".replace(".", ",")] for i, v in enumerate(values)]
    wait = [64, 62, 61, 60, 57, 55, 52, 50, 47, 45, 43]
    quarters = [f"{2023 + q // 4}-Q{q % 4 + 1}" for q in range(len(wait))]
    rows += [["WAIT_MINUTES", period, str(value)] for period, value in zip(quarters, wait)]
    return rows


@pytest.fixture
def ministry(empty_engine, tmp_path):
    """An empty store with the ministry's agencies, officials, indicators and nodes loaded from files."""
    for name, lines in (("agencies", AGENCIES), ("officials", OFFICIALS), ("indicators", INDICATORS),
                        ("nodes", NODES)):
        report = load(empty_engine, write_csv(tmp_path / f"{name}.csv", lines))
        assert report.templates == (name,) and report.quarantined == 0, report.problems
    return empty_engine


# --------------------------------------------------------------------------------------------------
# regions of an empty store


def test_ensure_regions_writes_the_demos_regions_once(empty_engine, readonly_demo_engine):
    with empty_engine.begin() as conn:
        assert ensure_regions(conn, today=TODAY) == 21
        assert ensure_regions(conn, today=TODAY) == 0

    def geography(engine):
        with engine.connect() as conn:
            regions = sorted((r.code, r.level, json.dumps(r.name, sort_keys=True), json.dumps(r.centre, sort_keys=True),
                              r.area_km2, r.valid_from, r.source) for r in conn.execute(select(Region)))
            population = sorted(conn.execute(
                select(Region.code, RegionPopulation.year, RegionPopulation.population, RegionPopulation.synthetic)
                .join(Region, Region.id == RegionPopulation.region_id)).all())
            predecessors = conn.execute(select(func.count()).select_from(RegionPredecessor)).scalar_one()
        return regions, population, predecessors

    assert geography(empty_engine) == geography(readonly_demo_engine)
    assert len(geography(empty_engine)[0]) == 21


def test_a_load_into_an_empty_store_brings_the_regions(empty_engine, tmp_path):
    report = load(empty_engine, write_csv(tmp_path / "a.csv", AGENCIES), dry_run=True)
    assert report.loaded == 2  # "AST" is known: the regions came first
    with empty_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Region)).scalar_one() == 0  # a dry run keeps nothing
    load(empty_engine, write_csv(tmp_path / "a.csv", AGENCIES))
    with empty_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Region)).scalar_one() == 21


# --------------------------------------------------------------------------------------------------
# agencies


def test_agencies_load_twice_and_correct(empty_engine, tmp_path):
    path = write_csv(tmp_path / "agencies.csv", AGENCIES)
    assert counts(load(empty_engine, path)) == (2, 0, 0, 0)
    assert counts(load(empty_engine, path)) == (0, 2, 0, 0)
    row = one(empty_engine, select(Agency.kind, Agency.name, Agency.name_origin, Region.code)
              .join(Region, Region.id == Agency.region_id).where(Agency.code == "AKIMAT-AST"))
    assert row.kind == "akimat" and row.code == "AST" and row.name["kk"] == "Астана қаласының әкімдігі"
    assert row.name_origin == {"kk": "official", "ru": "official", "en": "official"}

    fix = write_csv(tmp_path / "fix.csv", [["Код", "Вид", "наименование_en"],
                                           ["mh", "Министерство", "Ministry of Health"]])
    report = load(empty_engine, fix)
    assert counts(report) == (0, 0, 1, 0) and report.templates == ("agencies",)
    row = one(empty_engine, select(Agency.name, Region.code).join(Region, Region.id == Agency.region_id)
              .where(Agency.code == "MH"))
    # the English name changed, the other languages and the region (no such column) were kept
    assert row.name == {"kk": "Денсаулық сақтау министрлігі", "ru": "Министерство здравоохранения",
                        "en": "Ministry of Health"} and row.code == "KZ"


def test_agencies_row_problems(empty_engine, tmp_path):
    report = load(empty_engine, write_csv(tmp_path / "agencies.csv", [
        ["коды", "түрі", "атауы_kk", "өңір"],
        ["A" * 33, "министрлік", "Ұзын код", ""],       # 2 code_too_long
        ["NONAME", "министрлік", "", ""],               # 3 names_missing
        ["KIND", "department", "Бөлім", ""],            # 4 choice_invalid
        ["WHERE", "агенттік", "Агенттік", "Атлантида"],  # 5 region_unknown
        ["", "агенттік", "Агенттік", ""],               # 6 cell_missing
        ["BAD CODE", "агенттік", "Агенттік", ""],       # 7 code_invalid
        ["OK", "әкімдік", "Әкімдік", "Астана"],         # 8 good
    ]))
    assert problems(report) == {2: ("code_too_long", "коды"), 3: ("names_missing", None), 4: ("choice_invalid", "түрі"),
                                5: ("region_unknown", "өңір"), 6: ("cell_missing", "коды"), 7: ("code_invalid", "коды")}
    assert counts(report) == (1, 0, 0, 6)
    assert {p.code: dict(p.params) for p in report.problems}["code_too_long"] == {"value": "A" * 33, "max": "32"}


def test_a_region_scoped_uploader_loads_only_their_regions_agencies(empty_engine, tmp_path):
    report = load(empty_engine, write_csv(tmp_path / "agencies.csv", AGENCIES), scope_region="AST")
    assert counts(report) == (1, 0, 0, 1)
    (problem,) = report.problems
    assert (problem.row, problem.column, problem.code, problem.value) == (2, "region", "region_out_of_scope", "KZ")


# --------------------------------------------------------------------------------------------------
# officials


def test_officials_load_twice_correct_and_report_problems(empty_engine, tmp_path):
    load(empty_engine, write_csv(tmp_path / "agencies.csv", AGENCIES))
    path = write_csv(tmp_path / "officials.csv", OFFICIALS)
    assert counts(load(empty_engine, path)) == (4, 0, 0, 0)
    assert counts(load(empty_engine, path)) == (0, 4, 0, 0)
    row = one(empty_engine, select(Official.kind, Official.post, Agency.code, Region.code.label("region"))
              .join(Agency, Agency.id == Official.agency_id).join(Region, Region.id == Official.region_id)
              .where(Official.code == "AST-PO"))
    assert (row.kind, row.code, row.region, row.post["ru"]) == ("administrative", "AKIMAT-AST", "AST", "Руководитель проекта")

    report = load(empty_engine, write_csv(tmp_path / "fix.csv", [
        ["код", "наименование_ru", "должность_ru", "вид", "госорган", "регион"],
        ["MH-VICE", "Серіков Д.", "Первый вице-министр", "политический", "MH", ""],  # 2 corrected
        ["MH-NEW", "Новиков", "Советник", "административный", "NOPE", ""],          # 3 agency_unknown
        ["MH-ODD", "Странный", "Советник", "военный", "", ""],                       # 4 choice_invalid
        ["MH-NONAME", "", "Советник", "административный", "", ""],                  # 5 names_missing
        ["MH-" + "X" * 30, "Длинный", "Советник", "административный", "", ""],      # 6 code_too_long
        ["AST-NEW", "Новый", "Советник", "административный", "", "Алматы облысы"],  # 7 loaded
    ]))
    assert counts(report) == (1, 0, 1, 4)
    assert problems(report) == {3: ("agency_unknown", "госорган"), 4: ("choice_invalid", "вид"),
                                5: ("names_missing", None), 6: ("code_too_long", "код")}
    post = one(empty_engine, select(Official.post).where(Official.code == "MH-VICE")).post
    assert post == {"ru": "Первый вице-министр", "en": "Vice minister"}


# --------------------------------------------------------------------------------------------------
# indicators


def test_indicators_load_twice_and_correct(ministry, tmp_path):
    path = write_csv(tmp_path / "indicators.csv", INDICATORS)
    assert counts(load(ministry, path)) == (0, 5, 0, 0)
    row = one(ministry, select(Indicator).where(Indicator.code == "WAIT_MINUTES"))
    assert (row.unit, row.direction, row.frequency, row.aggregation, row.valid_max, row.decimals, row.grace_days,
            row.publication_lag_days, row.synthetic) == ("minutes", "down", "Q", "none", 600.0, 0, 30, 45, False)

    report = load(ministry, write_csv(tmp_path / "fix.csv", [
        ["коды", "атауы_kk", "өлшем бірлігі", "бағыты", "кезеңділігі", "ең көп мәні"],
        ["WAIT_MINUTES", "Қабылдауды күту уақыты", "minutes", "төмендеу", "тоқсан", "480"],
    ]))
    assert counts(report) == (0, 0, 1, 0)
    row = one(ministry, select(Indicator).where(Indicator.code == "WAIT_MINUTES"))
    assert row.valid_max == 480.0 and row.decimals == 0 and row.name["kk"] == "Қабылдауды күту уақыты"
    assert row.name["en"] == "Waiting time"


def test_indicators_row_problems(ministry, tmp_path):
    load(ministry, write_csv(tmp_path / "obs.csv", [["indicator", "period", "value"], ["LIFE_EXP", "2024", "74,6"]]))
    report = load(ministry, write_csv(tmp_path / "indicators.csv", [
        ["code", "name_en", "unit", "direction", "frequency", "valid_min", "valid_max", "decimals", "agency"],
        ["NEW_A", "A", "Per cent", "up", "Y", "", "", "", ""],            # 2 unit_invalid
        ["NEW_B", "B", "count", "sideways", "Y", "", "", "", ""],         # 3 choice_invalid
        ["NEW_C", "C", "count", "up", "Y", "10", "5", "", ""],            # 4 range_reversed
        ["NEW_D", "D", "count", "up", "Y", "", "", "", "NOPE"],           # 5 agency_unknown
        ["LIFE_EXP", "Life", "years", "up", "Q", "", "", "", ""],         # 6 indicator_redefined (has values)
        ["NEW_E", "E", "count", "up", "Y", "", "", "9", ""],              # 7 number_invalid
        ["NEW_F", "", "count", "up", "Y", "", "", "", ""],                # 8 names_missing
        ["NEW_G", "G", "count", "up", "weekly", "", "", "", ""],          # 9 choice_invalid
        ["DOCTORS", "Doctors", "per_1000", "up", "Y", "", "", "", ""],    # 10 corrected: no values yet
        ["NEW_H", "H", "%", "меньше — лучше", "ежемесячно", "0", "100", "", ""],  # 11 loaded
    ]))
    assert problems(report) == {2: ("unit_invalid", "unit"), 3: ("choice_invalid", "direction"),
                                4: ("range_reversed", "valid_max"), 5: ("agency_unknown", "agency"),
                                6: ("indicator_redefined", "frequency"), 7: ("number_invalid", "decimals"),
                                8: ("names_missing", "name_en"), 9: ("choice_invalid", "frequency")}
    assert counts(report) == (1, 0, 1, 8)
    redefined = next(p for p in report.problems if p.code == "indicator_redefined")
    assert dict(redefined.params) == {"value": "LIFE_EXP", "unit": "years", "frequency": "Y"}
    row = one(ministry, select(Indicator).where(Indicator.code == "NEW_H"))
    assert (row.unit, row.direction, row.frequency, row.valid_max) == ("percent", "down", "M", 100.0)


def test_indicators_are_national_reference_data(ministry, tmp_path):
    report = load(ministry, write_csv(tmp_path / "indicators.csv", INDICATORS[:2]), scope_region="AST")
    (problem,) = report.problems
    assert (problem.row, problem.column, problem.code, problem.value) == (2, None, "region_out_of_scope", "KZ")


# --------------------------------------------------------------------------------------------------
# nodes


def test_nodes_parents_in_the_same_file_and_twice_unchanged(ministry, tmp_path):
    tree = queries.subtree(ministry, Viewer(), "NP-HEALTH", lang="en")
    assert list(tree["code"]) == ["NP-HEALTH", "NP-HEALTH-HOSP", "NP-HEALTH-PRIMARY", "NP-HEALTH-HOSP-SHY",
                                  "NP-HEALTH-PRIMARY-AST", "NP-HEALTH-PRIMARY-KGD"]
    shy = tree.set_index("code").loc["NP-HEALTH-HOSP-SHY"]
    assert (shy["parent"], shy["region"], shy["agency"], shy["budget_kzt"]) == ("NP-HEALTH-HOSP", "SHY", "MH", 8e10)
    assert counts(load(ministry, write_csv(tmp_path / "nodes.csv", NODES))) == (0, 6, 0, 0)


def test_nodes_written_parents_first_whatever_the_row_order(empty_engine, tmp_path):
    load(empty_engine, write_csv(tmp_path / "agencies.csv", AGENCIES))
    header, *rows = NODES
    report = load(empty_engine, write_csv(tmp_path / "nodes.csv", [header, rows[0], rows[1], rows[3], rows[2], rows[5],
                                                                    rows[4]]))
    assert counts(report) == (6, 0, 0, 0)


def test_nodes_row_problems(ministry, tmp_path):
    report = load(ministry, write_csv(tmp_path / "nodes.csv", [
        ["код", "уровень", "родитель", "наименование_ru", "дата начала", "дата окончания", "состояние", "вид",
         "госорган"],
        ["NEW-PJ", "проект", "NEW-PR", "Проект", "", "", "", ""],                # 2 parent_unknown (comes later)
        ["NEW-PR", "программа", "NP-HEALTH", "Программа", "", "", "", ""],       # 3 loaded
        ["NEW-PJ2", "проект", "NEW-PR", "Проект 2", "", "", "", ""],             # 4 loaded (parent earlier)
        ["NEW-PR2", "программа", "NP-HEALTH-HOSP", "Программа", "", "", "", ""],  # 5 parent_invalid
        ["NEW-PF", "портфель", "NP-HEALTH", "Портфель", "", "", "", ""],         # 6 parent_invalid
        ["NEW-PR3", "программа", "", "Программа", "", "", "", ""],               # 7 cell_missing
        ["NP-HEALTH", "программа", "NP-HEALTH", "Портфель", "", "", "", ""],     # 8 node_level_changed (+ parent)
        ["NEW-PR4", "программа", "NP-HEALTH", "Программа", "2026-01-01", "2025-12-31", "", ""],  # 9 date_too_early
        ["NEW-PR5", "программа", "NP-HEALTH", "Программа", "", "", "заморожен", ""],  # 10 choice_invalid
        ["NEW-PR6", "программа", "NP-HEALTH", "Программа", "", "", "", "x" * 33],      # 11 text_too_long
        ["NEW-PR7", "уровень", "NP-HEALTH", "Программа", "", "", "", ""],              # 12 choice_invalid
        ["NEW-PR8", "программа", "NP-HEALTH", "Программа", "31.02.2025", "", "", ""],  # 13 date_invalid
        ["NEW-PR9", "программа", "NP-HEALTH", "", "", "", "", ""],                     # 14 names_missing
        ["NEW-PR10", "программа", "NP-HEALTH", "Программа", "", "", "", "", "NOPE"],   # 15 agency_unknown
    ]))
    assert problems(report) == {2: ("parent_unknown", "родитель"), 5: ("parent_invalid", "родитель"),
                                6: ("parent_invalid", "родитель"), 7: ("cell_missing", "родитель"),
                                8: ("node_level_changed", "уровень"), 9: ("date_too_early", "дата окончания"),
                                10: ("choice_invalid", "состояние"), 11: ("text_too_long", "вид"),
                                12: ("choice_invalid", "уровень"), 13: ("date_invalid", "дата начала"),
                                14: ("names_missing", None), 15: ("agency_unknown", "госорган")}
    assert counts(report) == (2, 0, 0, 12)
    too_early = next(p for p in report.problems if p.code == "date_too_early")
    assert dict(too_early.params) == {"value": "2025-12-31", "after": "дата начала", "date": "2026-01-01"}


def test_a_node_moves_to_another_parent_as_a_correction(ministry, tmp_path):
    report = load(ministry, write_csv(tmp_path / "move.csv", [
        ["code", "level", "parent", "name_en", "state"],
        ["NP-HEALTH-HOSP-SHY", "project", "NP-HEALTH-PRIMARY", "A hospital in Shymkent", "suspended"],
    ]))
    assert counts(report) == (0, 0, 1, 0)
    node = queries.node(ministry, Viewer(), "NP-HEALTH-HOSP-SHY", lang="ru")
    assert (node["parent"], node["state"], node["name"], node["region"]) == (
        "NP-HEALTH-PRIMARY", "suspended", "Больница в Шымкенте", "SHY")


def test_a_parent_whose_rows_conflict_refuses_the_file(ministry, tmp_path):
    report = load_file(ministry, write_csv(tmp_path / "nodes.csv", [
        ["code", "level", "parent", "name_en"],
        ["NEW-PR", "program", "NP-HEALTH", "One"],
        ["NEW-PJ", "project", "NEW-PR", "Child"],
        ["NEW-PR", "program", "NP-HEALTH", "Another"],
    ]), actor=ACTOR)
    assert report.refused.code == "file_parent_conflict"
    assert dict(report.refused.params) == {"node": "NEW-PJ", "parent": "NEW-PR"}


# --------------------------------------------------------------------------------------------------
# targets


def current_target(engine, node: str, indicator: str, year: int, region: str = "KZ") -> float | None:
    with engine.connect() as conn:
        goal = conn.execute(select(Goal.id).join(Node, Node.id == Goal.node_id)
                            .join(Indicator, Indicator.id == Goal.indicator_id)
                            .where(Node.code == node, Indicator.code == indicator)).scalar_one()
    frame = queries.targets(engine, Viewer(), [goal], region=region)
    values = frame.set_index("year")["value"]
    return float(values[year]) if year in values.index else None


def test_targets_create_goals_record_history_and_ledger(ministry, tmp_path):
    path = write_csv(tmp_path / "targets.csv", TARGETS)
    assert counts(load(ministry, path)) == (10, 0, 0, 0)
    goal = one(ministry, select(Goal).join(Node, Node.id == Goal.node_id).where(Node.code == "NP-HEALTH-PRIMARY")
               .join(Indicator, Indicator.id == Goal.indicator_id).where(Indicator.code == "WAIT_MINUTES"))
    assert (goal.baseline_value, goal.baseline_period, goal.baseline_start, goal.weight, goal.headline) == (
        60.0, "2023-Q4", dt.date(2023, 10, 1), 1.0, False)
    entries = ledger(ministry, "target.set")
    assert len(entries) == 10 and entries[0] == {"node": "NP-HEALTH", "indicator": "LIFE_EXP", "region": "KZ",
                                                 "year": "2025", "value": "75.0", "previous": None}
    with ministry.connect() as conn:
        target = conn.execute(select(Target).order_by(Target.id).limit(1)).one()
    assert target.recorded_by == ACTOR and target.ledger_seq is not None and target.source.startswith("file targets.csv")

    assert counts(load(ministry, path)) == (0, 10, 0, 0)
    assert len(ledger(ministry, "target.set")) == 10

    report = load(ministry, write_csv(tmp_path / "change.csv", [
        ["код программы/проекта", "показатель", "регион", "год", "целевое значение", "базовое значение"],
        ["NP-HEALTH", "LIFE_EXP", "", "2029", "78", ""],          # corrected: a new target row
        ["NP-HEALTH", "INFANT_MORT", "", "2029", "5", "8,7"],     # corrected: the goal's baseline
        ["NP-HEALTH", "INFANT_MORT", "", "2025", "7", ""],        # unchanged
        ["NP-HEALTH", "LIFE_EXP", "Астана", "2029", "79", ""],    # loaded: a regional target
    ]))
    assert counts(report) == (1, 1, 2, 0)
    assert current_target(ministry, "NP-HEALTH", "LIFE_EXP", 2029) == 78.0
    assert current_target(ministry, "NP-HEALTH", "LIFE_EXP", 2029, region="AST") == 79.0
    entries = ledger(ministry, "target.set")
    assert entries[-2:] == [
        {"node": "NP-HEALTH", "indicator": "LIFE_EXP", "region": "KZ", "year": "2029", "value": "78.0", "previous": "77.0"},
        {"node": "NP-HEALTH", "indicator": "LIFE_EXP", "region": "AST", "year": "2029", "value": "79.0", "previous": None}]
    with ministry.connect() as conn:
        history = conn.execute(select(func.count()).select_from(Target).where(Target.year == 2029)).scalar_one()
        baseline = conn.execute(select(Goal.baseline_value).join(Indicator, Indicator.id == Goal.indicator_id)
                                .where(Indicator.code == "INFANT_MORT")).scalar_one()
    assert history == 7 and baseline == 8.7  # five goals' 2029 targets, the old LIFE_EXP one kept, one regional


def test_targets_row_problems(ministry, tmp_path):
    report = load(ministry, write_csv(tmp_path / "targets.csv", [
        ["бағдарлама/жоба коды", "көрсеткіш", "өңір", "жыл", "нысаналы мән", "базалық мән", "базалық кезең", "негізгі"],
        ["NOPE", "LIFE_EXP", "", "2029", "77", "", "", ""],             # 2 node_unknown
        ["NP-HEALTH", "NOPE", "", "2029", "77", "", "", ""],            # 3 indicator_unknown
        ["NP-HEALTH", "LIFE_EXP", "", "2029", "120", "", "", ""],       # 4 value_out_of_range
        ["NP-HEALTH", "LIFE_EXP", "", "2029", "77", "", "кейін", ""],   # 5 period_invalid
        ["NP-HEALTH", "DOCTORS", "", "2029", "45", "35", "", "иә"],     # 6 loaded
        ["NP-HEALTH", "DOCTORS", "", "2025", "40", "36", "", ""],       # 7 goal_conflict (with row 6)
        ["NP-HEALTH", "DOCTORS", "", "20250", "40", "", "", ""],        # 8 number_invalid
        ["NP-HEALTH", "DOCTORS", "Атлантида", "2026", "41", "", "", ""],  # 9 region_unknown
        ["NP-HEALTH", "DOCTORS", "", "2026", "", "", "", ""],           # 10 cell_missing
        ["NP-HEALTH", "DOCTORS", "", "2027", "42", "", "", "мүмкін"],   # 11 bool_invalid
    ]), template="targets")
    assert problems(report) == {2: ("node_unknown", "бағдарлама/жоба коды"), 3: ("indicator_unknown", "көрсеткіш"),
                                4: ("value_out_of_range", "нысаналы мән"), 5: ("period_invalid", "базалық кезең"),
                                7: ("goal_conflict", "базалық мән"), 8: ("number_invalid", "жыл"),
                                9: ("region_unknown", "өңір"), 10: ("cell_missing", "нысаналы мән"),
                                11: ("bool_invalid", "негізгі")}
    assert dict(next(p for p in report.problems if p.code == "goal_conflict").params) == {"rows": "6"}
    assert counts(report) == (1, 0, 0, 9)


def test_a_region_scoped_uploader_sets_only_their_regions_targets(ministry, tmp_path):
    report = load(ministry, write_csv(tmp_path / "targets.csv", [
        TARGETS[0][:5], ["NP-HEALTH", "LIFE_EXP", "AST", "2029", "79"], ["NP-HEALTH", "LIFE_EXP", "", "2029", "77"]]),
        scope_region="AST")
    assert counts(report) == (1, 0, 0, 1) and problems(report) == {3: ("region_out_of_scope", "region")}


# --------------------------------------------------------------------------------------------------
# responsibilities


def test_responsibilities_assign_end_and_never_rewrite_history(ministry, tmp_path):
    load(ministry, write_csv(tmp_path / "targets.csv", TARGETS))
    path = write_csv(tmp_path / "responsibilities.csv", RESPONSIBILITIES)
    assert counts(load(ministry, path)) == (7, 0, 0, 0)
    assigned = ledger(ministry, "responsibility.assigned")
    assert len(assigned) == 7 and assigned[1] == {"node": "NP-HEALTH", "goal": "LIFE_EXP", "official": "MH-MIN",
                                                  "role": "accountable", "valid_from": "2024-01-01"}
    assert counts(load(ministry, path)) == (0, 7, 0, 0)

    handover = write_csv(tmp_path / "handover.csv", [
        ["код программы/проекта", "показатель", "должностное лицо", "действует с", "действует по"],
        ["NP-HEALTH-HOSP", "", "MH-VICE", "2024-01-01", "2025-06-30"],  # corrected: ends
        ["NP-HEALTH-HOSP", "", "MH-PO1", "2025-07-01", ""],             # loaded
        ["NP-HEALTH-HOSP", "", "AST-PO", "2023-01-01", "2023-12-31"],   # loaded, with its end
        ["NP-HEALTH", "LIFE_EXP", "MH-MIN", "2024-01-01", "2025-09-30"],  # corrected: a goal's owner ends
    ])
    assert counts(load(ministry, handover)) == (2, 0, 2, 0)
    assert ledger(ministry, "responsibility.ended") == [
        {"node": "NP-HEALTH-HOSP", "goal": None, "official": "MH-VICE", "valid_to": "2025-06-30"},
        {"node": "NP-HEALTH-HOSP", "goal": None, "official": "AST-PO", "valid_to": "2023-12-31"},
        {"node": "NP-HEALTH", "goal": "LIFE_EXP", "official": "MH-MIN", "valid_to": "2025-09-30"}]
    owners = queries.accountable(ministry, Viewer(), ["NP-HEALTH-HOSP"], on=TODAY, lang="en")
    assert list(owners["official"]) == ["MH-PO1"]
    assert counts(load(ministry, handover)) == (0, 4, 0, 0)

    report = load(ministry, write_csv(tmp_path / "rewrite.csv", [
        ["node", "indicator", "official", "valid_from", "valid_to"],
        ["NP-HEALTH-HOSP", "", "MH-VICE", "2024-01-01", "2025-12-31"],  # 2 responsibility_ended
        ["NP-HEALTH-HOSP", "", "MH-VICE", "2024-01-01", ""],            # 3 responsibility_ended
        ["NP-HEALTH", "DOCTORS", "MH-MIN", "2024-01-01", ""],           # 4 goal_unknown
        ["NP-HEALTH", "", "NOPE", "2024-01-01", ""],                    # 5 official_unknown
        ["NOPE", "", "MH-MIN", "2024-01-01", ""],                       # 6 node_unknown
        ["NP-HEALTH", "", "MH-MIN", "2026-01-01", "2025-01-01"],        # 7 date_too_early
        ["NP-HEALTH", "", "MH-MIN", "", ""],                            # 8 cell_missing
        ["NP-HEALTH", "", "MH-MIN", "2026-01-01", ""],                  # 9 loaded
        ["NP-HEALTH", "LIFE_EXP", "MH-MIN", "2024-01-01", ""],          # 10 responsibility_ended
        ["NP-HEALTH", "", "MH-MIN", "2024-01-01", "2025-09-30"],        # 11 corrected: the node's own ends
    ]))
    assert problems(report) == {2: ("responsibility_ended", "valid_to"), 3: ("responsibility_ended", "valid_to"),
                                4: ("goal_unknown", "indicator"), 5: ("official_unknown", "official"),
                                6: ("node_unknown", "node"), 7: ("date_too_early", "valid_to"),
                                8: ("cell_missing", "valid_from"), 10: ("responsibility_ended", "valid_to")}
    assert dict(report.problems[0].params) == {"value": "2025-12-31", "valid_to": "2025-06-30"}
    assert counts(report) == (1, 0, 1, 8)
    with ministry.connect() as conn:
        ended = conn.execute(select(Responsibility.valid_to).join(Official, Official.id == Responsibility.official_id)
                             .join(Node, Node.id == Responsibility.node_id)
                             .where(Official.code == "MH-VICE", Node.code == "NP-HEALTH-HOSP")).scalar_one()
    assert ended == dt.date(2025, 6, 30)


def test_responsibilities_take_the_nodes_region_for_the_scope(ministry, tmp_path):
    load(ministry, write_csv(tmp_path / "targets.csv", TARGETS))
    report = load(ministry, write_csv(tmp_path / "responsibilities.csv", RESPONSIBILITIES), scope_region="AST")
    assert counts(report) == (1, 0, 0, 6)
    assert {p.code for p in report.problems} == {"region_out_of_scope"}
    assert {p.column for p in report.problems} == {"node"}


# --------------------------------------------------------------------------------------------------
# a workbook of several templates, and the templates' own examples


def test_a_workbook_loads_its_sheets_in_dependency_order(empty_engine, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    sheets = {"Responsibilities": RESPONSIBILITIES, "Цели": TARGETS, "Observations": observations(),
              "Nodes": NODES, "Индикаторы": INDICATORS, "Officials": OFFICIALS, "Agencies": AGENCIES}
    for title, lines in sheets.items():  # the reverse of the load order
        sheet = workbook.create_sheet(title)
        for line in lines:
            sheet.append(line)
    path = tmp_path / "ministry.xlsx"
    workbook.save(path)
    report = load(empty_engine, path)
    assert report.templates == ("agencies", "officials", "indicators", "nodes", "targets", "responsibilities",
                                "observations")
    rows = sum(len(lines) - 1 for lines in sheets.values())
    assert (report.rows_read, report.loaded, report.quarantined) == (rows, rows, 0), report.problems
    again = load(empty_engine, path)
    assert (again.loaded, again.unchanged, again.corrected) == (0, rows, 0)


def test_the_templates_examples_load_into_an_empty_store(empty_engine, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    mine = [t for t in templates() if t.name in ("agencies", "officials", "indicators", "nodes", "targets",
                                                  "responsibilities")]
    for template in mine:
        sheet = workbook.create_sheet(template.name)
        sheet.append([column.header("ru") for column in template.columns])
        for example in template.example:
            sheet.append(list(example))
    workbook.save(tmp_path / "examples.xlsx")
    report = load(empty_engine, tmp_path / "examples.xlsx")
    assert report.quarantined == 0 and report.loaded == sum(len(t.example) for t in mine), report.problems


# --------------------------------------------------------------------------------------------------
# acceptance: an empty store filled from template files alone shows a working overview


def test_an_empty_store_loaded_from_files_shows_a_working_overview(empty_engine, empty_database_url, tmp_path,
                                                                    monkeypatch):
    from dashboards import _overview
    from kpi.status import OFF_TRACK, STATUS_ORDER
    from services import runtime as runtime_module
    from services.context import make_context
    from services.i18n import translator
    from services.overview import build_overview
    from tests.dashboards.ui_samples import text_of

    files = [("agencies", AGENCIES), ("officials", OFFICIALS), ("indicators", INDICATORS), ("nodes", NODES),
             ("targets", TARGETS), ("responsibilities", RESPONSIBILITIES), ("observations", observations())]
    for name, lines in files:
        report = load(empty_engine, write_csv(tmp_path / f"{name}.csv", lines))
        assert report.templates == (name,) and report.quarantined == 0, report.problems

    settings = load_settings({"NATIJE_DATABASE_URL": empty_database_url, "NATIJE_TODAY": TODAY.isoformat()})
    view = build_overview(make_context(empty_engine, settings, lang="en"))
    assert view.portfolio["code"] == "NP-HEALTH" and view.portfolio["name"] == "Healthy nation"
    assert view.portfolio["owner_name"] == "A. Ivanova" and not view.is_demo
    cards = view.cards.set_index("indicator")
    assert list(cards.index) == ["INFANT_MORT", "LIFE_EXP"]
    assert set(cards["status"]) <= set(STATUS_ORDER) - {"no_data"}
    assert (cards.loc["LIFE_EXP", "target_value"], cards.loc["LIFE_EXP", "target_year"]) == (77.0, 2029)
    assert cards.loc["LIFE_EXP", "latest_value"] == 75.1
    assert cards.loc["INFANT_MORT", "status"] in OFF_TRACK and cards.loc["LIFE_EXP", "status"] not in OFF_TRACK
    assert cards["reason_text"].map(bool).all() and (cards["unit_label"] != "unit.years").all()
    programs = view.programs.set_index("code")
    assert set(programs.index) == {"NP-HEALTH-PRIMARY", "NP-HEALTH-HOSP"}
    assert (programs["status"] != "no_data").all() and programs.loc["NP-HEALTH-PRIMARY", "goals"] == 2
    assert programs.loc["NP-HEALTH-PRIMARY", "projects"] == 2 and programs.loc["NP-HEALTH-HOSP", "owner_name"] == "D. Serikov"
    assert ("NP-HEALTH", "INFANT_MORT") in set(zip(view.off_track["node"], view.off_track["indicator"]))

    # the page itself, through the layout's own path (settings and engine of this store)
    monkeypatch.setattr(runtime_module, "runtime", lambda: runtime_module.Runtime(settings, empty_engine))
    text = text_of(_overview.render({"lang": "en"}))
    assert "Healthy nation" in text and "Life expectancy" in text and "Primary care" in text
    assert translator("en")("overview.kpis.empty") not in text
