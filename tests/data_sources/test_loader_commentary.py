"""The commentary template (docs/import.md, "commentary"): words in the accountable official's name,
every row problem with its column, loading twice, a changed word as a new one (history kept), ledger
entries with no status, Russian and Kazakh headers, an uploader's region scope."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from data_sources import commentary, queries
from data_sources.loaders.run import load_file, template_named
from data_sources.store import LedgerEntry
from data_sources.viewer import Viewer

pytestmark = pytest.mark.datalayer

ACTOR = "commentary-test"
HEADER = ["node", "indicator", "official", "text_kk", "text_ru", "text_en", "recovery_action_kk",
          "recovery_action_ru", "recovery_action_en", "recovery_due", "on_behalf"]


def write_csv(path: Path, lines: list[list[str]]) -> Path:
    path.write_bytes(("\r\n".join(";".join(cells) for cells in lines) + "\r\n").encode("utf-8"))
    return path


def row(node="NP-HEALTH", indicator="HEALTHCARE_SATISFACTION", official="OF-MOH-01", text_ru="Отстаём по кадрам.",
        action_ru="Набор врачей в сёла.", due="2026-03-31", on_behalf="", text_kk="", text_en="") -> list[str]:
    return [node, indicator, official, text_kk, text_ru, text_en, "", action_ru, "", due, on_behalf]


def load(engine, path: Path, **options):
    report = load_file(engine, path, actor=ACTOR, **options)
    assert report.refused is None, report.refused
    assert report.rows_read == report.loaded + report.unchanged + report.corrected + report.quarantined
    return report


def commentary_entries(engine) -> list[dict]:
    with engine.connect() as conn:
        return [{"actor": actor, **json.loads(payload)} for actor, payload in conn.execute(
            select(LedgerEntry.actor, LedgerEntry.payload).where(LedgerEntry.kind == "commentary.set",
                                                                 LedgerEntry.actor == ACTOR)
            .order_by(LedgerEntry.seq))]


def history(engine, node="NP-HEALTH", indicator="HEALTHCARE_SATISFACTION"):
    return commentary.commentary_history(engine, Viewer(), node, indicator, lang="ru")


def test_words_load_in_the_officials_name_with_no_status_and_a_ledger_entry_each(demo_engine, tmp_path):
    path = write_csv(tmp_path / "words.csv", [
        HEADER, row(), row(indicator="", text_ru="Программа в целом по плану.", action_ru="", due="", on_behalf="да"),
        row(node="NDP-2025", indicator="LIFE_EXPECTANCY", text_ru="", text_en="On track.", action_ru="", due="")])
    version = queries.data_version(demo_engine)
    report = load(demo_engine, path)
    assert report.templates == ("commentary",)
    assert (report.loaded + report.corrected, report.quarantined) == (3, 0)
    assert queries.data_version(demo_engine) > version
    words = history(demo_engine)
    latest = words.iloc[0]
    assert (latest["text"], latest["recovery_action"], latest["recovery_due"]) == (
        "Отстаём по кадрам.", "Набор врачей в сёла.", dt.date(2026, 3, 31))
    assert latest["status"] is None and latest["entered_by"] == ACTOR and not latest["on_behalf"]
    node_word = history(demo_engine, indicator=None).iloc[0]
    assert node_word["on_behalf"] and node_word["official"] == "OF-MOH-01"
    entries = commentary_entries(demo_engine)
    assert [e["status"] for e in entries] == [None, None, None]
    assert entries[1]["on_behalf_of"] == "OF-MOH-01" and entries[0]["on_behalf_of"] is None
    assert entries[0]["recovery_action_due"] == "2026-03-31" and entries[2]["official"] == "OF-MOH-01"

    again = load(demo_engine, path)
    assert (again.loaded, again.unchanged, again.corrected) == (0, 3, 0)
    assert len(commentary_entries(demo_engine)) == 3

    changed = write_csv(tmp_path / "changed.csv", [HEADER, row(text_ru="Догоняем график.", due="2026-04-30")])
    report = load(demo_engine, changed)
    assert (report.loaded, report.unchanged, report.corrected) == (0, 0, 1)
    texts = history(demo_engine)["text"].tolist()
    assert texts[:2] == ["Догоняем график.", "Отстаём по кадрам."]  # the old word stays in the history


def test_every_row_problem_is_reported_with_its_column(demo_engine, tmp_path):
    lines = [
        HEADER,
        row(node="NOPE"),                                             # 2
        row(indicator="POPULATION"),                                  # 3 not a goal of the program
        row(official="NOBODY"),                                       # 4
        row(official="OF-MOE-01"),                                    # 5 not accountable for it
        row(text_ru=""),                                              # 6 no text
        row(text_ru="я" * (commentary.MAX_TEXT + 1)),                 # 7
        row(due=""),                                                  # 8 an action without its date
        row(action_ru=""),                                            # 9 a date without an action
        row(due="2025-11-01"),                                        # 10 before the demo's day
        row(due="31.02.2026"),                                        # 11
        row(on_behalf="maybe"),                                       # 12
        row(node="NP-GROWTH", indicator="", official="OF-MNE-01", action_ru="", due=""),  # 13 ended in 2023
    ]
    report = load(demo_engine, write_csv(tmp_path / "bad.csv", lines))
    found = {p.row: (p.code, p.column) for p in report.problems}
    assert found == {
        2: ("node_unknown", "node"), 3: ("goal_unknown", "indicator"), 4: ("official_unknown", "official"),
        5: ("commentary_not_accountable", "official"), 6: ("names_missing", "text_en"),
        7: ("text_too_long", "text_ru"), 8: ("recovery_due_missing", "recovery_due"),
        9: ("recovery_action_missing", "recovery_due"), 10: ("recovery_due_past", "recovery_due"),
        11: ("date_invalid", "recovery_due"), 12: ("bool_invalid", "on_behalf"),
        13: ("commentary_not_accountable", "official"),
    }
    not_accountable = next(p for p in report.problems if p.row == 5)
    assert not_accountable.params == {"value": "OF-MOE-01", "date": "2025-11-15", "owner": "OF-MOH-01"}
    assert (report.loaded, report.quarantined) == (0, 12) and not commentary_entries(demo_engine)


def test_russian_and_kazakh_headers_and_a_region_scoped_uploader(demo_engine, tmp_path):
    template = template_named("commentary")
    project = queries.projects_in_region(demo_engine, Viewer(), "ALA").iloc[0]["code"]
    owner = commentary.goal_owners(demo_engine, Viewer(), [project], on=dt.date(2025, 11, 15)).iloc[0]["official"]
    for lang, column in (("ru", "ru"), ("kk", "kk")):
        header = [getattr(c, column) for c in template.columns]
        path = write_csv(tmp_path / f"{lang}.csv", [header, row(node=project, indicator="", official=owner,
                                                               text_ru=f"Слово {lang}", action_ru="", due=""),
                                                    row()])
        report = load(demo_engine, path, scope_region="ALA")
        found = {p.row: (p.code, p.value) for p in report.problems}
        assert report.templates == ("commentary",) and found == {3: ("region_out_of_scope", "KZ")}
    assert history(demo_engine, project, None)["text"].tolist()[:2] == ["Слово kk", "Слово ru"]


def test_conflicting_rows_of_one_goal_are_all_quarantined(demo_engine, tmp_path):
    path = write_csv(tmp_path / "twice.csv", [HEADER, row(), row(text_ru="Другое слово."), row(indicator="")])
    report = load(demo_engine, path)
    assert {p.row: p.code for p in report.problems} == {2: "duplicate_conflict", 3: "duplicate_conflict"}
    assert report.loaded + report.corrected == 1


def test_a_dry_run_records_nothing(demo_engine, tmp_path):
    before = len(history(demo_engine))
    report = load(demo_engine, write_csv(tmp_path / "dry.csv", [HEADER, row()]), dry_run=True)
    assert report.loaded + report.corrected == 1 and len(history(demo_engine)) == before
