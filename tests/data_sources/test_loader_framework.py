"""What every load template shares (data_sources/loaders/run.py, template.py): recognising a template
by its columns or sheet names, ``--template``, multi-sheet workbooks, the batch keeping the file's name,
SHA-256, templates and report, the file kept by its hash (in the store or NATIJE_FILES_DIR), the viewer's
scope, and progress reports."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from data_sources.loaders.files import Refused
from data_sources.loaders.run import load_file, stored_file, template_named, templates
from data_sources.loaders.template import recognise
from data_sources.store import LedgerEntry, LoadBatch, StoredFile

pytestmark = pytest.mark.datalayer

ACTOR = "framework-test"


def csv_file(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(";".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def batch_row(engine, code: str):
    with engine.connect() as conn:
        return conn.execute(select(LoadBatch.__table__).where(LoadBatch.code == code)).one()


def test_every_template_is_recognised_by_its_own_columns(database_url):
    for template in templates():
        header = [c.key for c in template.columns]
        assert recognise(header, templates()) is template, template.name
        assert recognise([c.ru for c in template.columns], templates()) is template, template.name
        assert recognise([c.kk.upper() for c in template.columns], templates()) is template, template.name


def test_a_header_of_no_template_is_refused_naming_the_templates(database_url):
    with pytest.raises(Refused) as unknown:
        recognise(["foo", "bar"], templates())
    assert unknown.value.code == "file_template_unknown" and "observations" in unknown.value.params["templates"]
    with pytest.raises(Refused) as missing:
        recognise(["indicator", "period", "unit"], templates())
    assert missing.value.code == "file_columns" and "value / значение / мән" in missing.value.params["missing"]


def test_template_named_takes_any_case_and_knows_no_other(database_url):
    assert template_named(" Observations ").name == "observations"
    with pytest.raises(KeyError):
        template_named("nothing")


def test_the_batch_keeps_the_file_its_report_and_the_bytes(demo_engine, tmp_path):
    path = csv_file(tmp_path / "march.csv", [["indicator", "period", "value"], ["LIFE_EXPECTANCY", "2040", "81"],
                                             ["LIFE_EXPECTANCY", "2041", "abc"]])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    first = load_file(demo_engine, path, actor=ACTOR)
    assert first.batch == f"FILE-{digest[:16]}-1" and first.templates == ("observations",)
    batch = batch_row(demo_engine, first.batch)
    assert (batch.file_name, batch.file_sha256, batch.templates, batch.actor) == ("march.csv", digest, "observations", ACTOR)
    assert (batch.rows_read, batch.loaded, batch.quarantined) == (2, 1, 1)
    assert batch.report["problems_total"] == 1
    assert batch.report["problems"][0] | {"params": None} == {"sheet": None, "row": 3, "column": "value", "value": "abc",
                                                              "code": "value_invalid", "params": None}
    assert stored_file(demo_engine, digest, None) == path.read_bytes()

    again = load_file(demo_engine, path, actor=ACTOR)  # a no-op reload is kept too, as the second load
    assert again.batch == f"FILE-{digest[:16]}-2" and (again.loaded, again.unchanged) == (0, 1)
    with demo_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(StoredFile).where(StoredFile.sha256 == digest)).scalar_one() == 1
        entry = conn.execute(select(LedgerEntry.payload).where(LedgerEntry.seq == batch_row(demo_engine, again.batch).ledger_seq)).scalar_one()
    assert f'"sha256":"{digest}"' in entry and '"file":"march.csv"' in entry


def test_files_dir_keeps_the_bytes_outside_the_store(demo_engine, tmp_path):
    files_dir = tmp_path / "shared-files"
    path = csv_file(tmp_path / "april.csv", [["indicator", "period", "value"], ["LIFE_EXPECTANCY", "2042", "82"]])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    load_file(demo_engine, path, actor=ACTOR, files_dir=files_dir)
    assert (files_dir / digest[:2] / digest).read_bytes() == path.read_bytes()
    with demo_engine.connect() as conn:
        assert conn.execute(select(StoredFile.content).where(StoredFile.sha256 == digest)).scalar_one() is None
    assert stored_file(demo_engine, digest, files_dir) == path.read_bytes()


def test_a_dry_run_keeps_no_batch_and_no_file(demo_engine, tmp_path):
    path = csv_file(tmp_path / "may.csv", [["indicator", "period", "value"], ["LIFE_EXPECTANCY", "2043", "83"]])
    report = load_file(demo_engine, path, actor=ACTOR, dry_run=True)
    assert report.loaded == 1 and report.batch is None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert stored_file(demo_engine, digest, None) is None
    with demo_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(LoadBatch).where(LoadBatch.file_sha256 == digest)).scalar_one() == 0


def test_a_workbook_loads_the_sheets_named_after_templates_and_skips_the_rest(demo_engine, tmp_path):
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes.append(["indicator", "period", "value"])
    notes.append(["LIFE_EXPECTANCY", 2044, 99])  # not a template's sheet: not read when one is named
    values = workbook.create_sheet("Observations")
    values.append(["indicator", "period", "value"])
    values.append(["LIFE_EXPECTANCY", 2044, 84])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    report = load_file(demo_engine, path, actor=ACTOR)
    assert (report.templates, report.rows_read, report.loaded) == (("observations",), 1, 1)


def test_without_a_named_sheet_the_first_sheet_is_read_with_the_given_template(demo_engine, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Лист1"
    workbook.active.append(["показатель", "период", "значение"])
    workbook.active.append(["LIFE_EXPECTANCY", 2045, 85])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    report = load_file(demo_engine, path, actor=ACTOR, template="observations")
    assert (report.templates, report.loaded) == (("observations",), 1)


def test_a_region_scoped_uploader_loads_only_their_region(demo_engine, tmp_path):
    path = csv_file(tmp_path / "ast.csv", [["indicator", "period", "region", "value"],
                                           ["LIFE_EXPECTANCY", "2046", "AST", "80"],
                                           ["LIFE_EXPECTANCY", "2046", "ALA", "80"],
                                           ["LIFE_EXPECTANCY", "2046", "", "80"]])
    report = load_file(demo_engine, path, actor=ACTOR, scope_region="AST")
    assert (report.loaded, report.quarantined) == (1, 2)
    assert {(p.row, p.column, p.code) for p in report.problems} == {(3, "region", "region_out_of_scope"),
                                                                    (4, "region", "region_out_of_scope")}


def test_progress_is_reported_for_checking_and_writing(demo_engine, tmp_path):
    rows = [["indicator", "period", "region", "value"]]
    rows += [["BIRTHS", f"{2050 + i // 12}-{i % 12 + 1:02d}", "AST", str(1000 + i)] for i in range(12_000)]
    path = csv_file(tmp_path / "births.csv", rows)
    seen: list[tuple[str, int, int]] = []
    load_file(demo_engine, path, actor=ACTOR, progress=lambda phase, done, total: seen.append((phase, done, total)))
    checks = [s for s in seen if s[0] == "check"]
    writes = [s for s in seen if s[0] == "write"]
    assert checks[-1] == ("check", 12_000, 12_000) and [c[1] for c in checks][:2] == [5000, 10000]
    assert writes[-1] == ("write", 12_000, 12_000) and ("write", 5000, 12_000) in writes


def test_the_progress_reporter_prints_lines_off_a_terminal(database_url):
    from services.i18n import translator
    from services.loads import ProgressReporter

    clock = iter([0.0, 0.1, 0.2, 0.9, 1.5]).__next__
    out = io.StringIO()
    report = ProgressReporter("f.csv", translator("en"), interactive=False, stream=out, clock=clock)
    for args in [("check", 5000, 20000), ("check", 10000, 20000), ("check", 20000, 20000),
                 ("write", 5000, 20000), ("write", 10000, 20000)]:
        report(*args)
    assert out.getvalue().splitlines() == ["f.csv: rows checked 5,000 / 20,000", "f.csv: rows checked 20,000 / 20,000",
                                           "f.csv: rows written 5,000 / 20,000", "f.csv: rows written 10,000 / 20,000"]
