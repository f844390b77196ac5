"""services.catalogue: the catalogue rows (freshness, names in the language, accountable officials), the
load history and its reports, the upload (policy, dry run, scope), blank templates that load back as
their template, and indicator downloads (CSV/XLSX) that load back unchanged and are formula-safe."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from data_sources import queries
from data_sources.loaders.run import load_file, templates
from data_sources.settings import load_settings
from data_sources.viewer import Viewer
from kpi.freshness import freshness
from services import api, catalogue
from services.context import make_context
from services.i18n import translator

CSV_OK = "indicator,period,value,region\nLIFE_EXPECTANCY,2025,75.3,\nLIFE_EXPECTANCY,2025-13,75.3,\n".encode()


@pytest.fixture
def writable(demo_engine, database_url, tmp_path):
    """``writable(lang="en", viewer=None)`` -> a Context on a private demo copy (files kept in the store)."""
    def make(lang="en", viewer=None):
        settings = load_settings({"NATIJE_DATABASE_URL": database_url, "NATIJE_DATA_DIR": str(tmp_path)})
        return make_context(demo_engine, settings, lang=lang, viewer=viewer)
    return make


# --- the catalogue --------------------------------------------------------------------------------------

def test_every_indicator_has_a_row_with_its_freshness_on_the_reference_date(ctx_for):
    ctx = ctx_for("en")
    frame = catalogue.catalogue(ctx)
    assert list(frame.columns) == list(catalogue.CATALOGUE_ROW_COLUMNS)
    metadata = queries.indicator_catalogue(ctx.engine, ctx.viewer, lang="en").set_index("code")
    assert len(frame) == len(metadata)
    assert set(frame["freshness"]) <= {"fresh", "late", "stale", "no_data"}
    assert {"stale", "fresh", "no_data"} <= set(frame["freshness"])
    for row in frame.sample(20, random_state=1).to_dict("records"):
        meta = metadata.loc[row["code"]]
        expected = freshness(frequency=meta["frequency"], latest_period_start=row["last_period_start"],
                             grace_days=int(meta["grace_days"]), today=ctx.today,
                             publication_lag_days=int(meta["publication_lag_days"]))
        assert (row["freshness"], row["next_due"], row["days_overdue"]) == (
            expected.state, expected.next_due, expected.days_overdue)
    stale = frame[frame["freshness"] == "stale"].iloc[0]
    assert stale["freshness_name"] == "Stale" and stale["days_overdue"] > 0 and stale["next_due_text"]


def test_names_dates_and_officials_come_in_the_language(ctx_for):
    en = catalogue.catalogue(ctx_for("en")).set_index("code")
    kk = catalogue.catalogue(ctx_for("kk")).set_index("code")
    row_en, row_kk = en.loc["LIFE_EXPECTANCY"], kk.loc["LIFE_EXPECTANCY"]
    assert row_en["name"] != row_kk["name"] and any(ch in row_kk["name"] for ch in "әғқңөұүі")
    assert row_kk["frequency_name"] == "Жылдық" and row_en["frequency_name"] == "Yearly"
    assert row_kk["unit_label"] == "жыл" and row_kk["unit"] == "years"
    assert row_en["owner"] and row_en["owner_name"] and row_en["owner_node"] == "NDP-2025"
    assert "2025" in row_kk["last_known_text"] and row_kk["last_known_text"] != row_en["last_known_text"]


def test_public_sees_the_latest_published_period(ctx_for):
    internal = catalogue.catalogue(ctx_for("en")).set_index("code")
    public = catalogue.catalogue(ctx_for("en", viewer=Viewer("public"))).set_index("code")
    assert public.loc["ACTIVE_SMES", "last_period"] < internal.loc["ACTIVE_SMES", "last_period"]


# --- the history and its reports ----------------------------------------------------------------------------

def test_an_upload_is_loaded_shown_in_the_history_and_reported_in_the_language(writable):
    ctx = writable("ru")
    record = catalogue.upload(ctx, "C:\\Users\\ana\\данные.csv", CSV_OK, dry_run=False)
    assert record["status"] == "partial" and record["file"] == "данные.csv" and record["batch"]
    assert record["rows"] == {"read": 2, "loaded": 1, "unchanged": 0, "corrected": 0, "quarantined": 1}
    problem = record["problems"][0]
    assert (problem["row"], problem["column"], problem["value"]) == (3, "period", "2025-13")
    assert "2025-13" in problem["message"] and "period_invalid" not in problem["message"]

    history = catalogue.history(ctx)
    assert history.total == 1 and not history.include_demo
    batch = history.batches[0]
    assert batch["file"] == "данные.csv" and batch["actor"] == "web:minister" and batch["status"] == "partial"
    assert batch["template_titles"] == ["Значения показателей"] and batch["stored"]
    report = catalogue.batch_report(ctx, batch["code"])
    assert report["problems"][0]["message"] == problem["message"] and report["problems_total"] == 1
    assert report["rows"] == record["rows"] and report["actor"] == "web:minister"
    kept = catalogue.kept_file(ctx, batch["sha256"])
    assert kept.content == CSV_OK and kept.file_name == "данные.csv" and kept.mimetype == "application/octet-stream"


def test_the_demo_batches_show_only_when_asked(writable):
    ctx = writable("en")
    assert catalogue.history(ctx).total == 0
    demo = catalogue.history(ctx, include_demo=True, page=2, limit=5)
    assert demo.total > 5 and demo.offset == 5 and len(demo.batches) == 5 and demo.batches[0]["synthetic"]
    assert catalogue.batch_report(ctx, demo.batches[0]["code"])["rows"]["read"] > 0


def test_a_dry_run_keeps_nothing(writable):
    ctx = writable("en")
    version = queries.data_version(ctx.engine)
    record = catalogue.upload(ctx, "check.csv", CSV_OK, dry_run=True)
    assert record["dry_run"] and record["batch"] is None and record["rows"]["loaded"] == 1
    assert queries.data_version(ctx.engine) == version and catalogue.history(ctx).total == 0


@pytest.mark.parametrize("role", ["public", "kiosk"])
def test_roles_that_do_not_upload_are_refused_and_see_no_history(writable, role):
    ctx = writable("en", Viewer(role))
    with pytest.raises(catalogue.UploadNotAllowed):
        catalogue.upload(ctx, "x.csv", CSV_OK, dry_run=False)
    assert catalogue.history(ctx, include_demo=True).total == 0
    assert catalogue.build_data_page(ctx).history is None and not catalogue.build_data_page(ctx).can_upload


def test_a_region_scoped_uploader_loads_only_its_region(writable):
    akim = writable("en", Viewer("akim", region="AST"))
    record = catalogue.upload(akim, "mixed.csv", b"indicator,period,value,region\n"
                              b"UNEMPLOYMENT_RATE,2025-Q3,4.3,AST\nUNEMPLOYMENT_RATE,2025-Q3,4.1,ALA\n", dry_run=False)
    assert record["rows"]["loaded"] == 1 and record["problems"][0]["code"] == "region_out_of_scope"
    assert [b["region"] for b in catalogue.history(akim).batches] == ["AST"]
    assert catalogue.history(writable("en", Viewer("akim", region="ALA"))).total == 0
    assert catalogue.kept_file(writable("en", Viewer("akim", region="ALA")), record["sha256"]) is None


def test_a_file_of_another_type_is_refused_and_an_unknown_template_is_an_error(writable):
    ctx = writable("en")
    record = catalogue.upload(ctx, "notes.pdf", b"%PDF-1.4", dry_run=False)
    assert record["status"] == "refused" and record["refused"]["code"] == "file_format"
    with pytest.raises(KeyError):
        catalogue.upload(ctx, "x.csv", CSV_OK, dry_run=True, template="nope")
    refused = catalogue.refused_record("big.csv", "file_too_large", ctx.t, size_mb="120", limit_mb="100")
    assert refused["status"] == "refused" and "120" in refused["refused"]["message"]


def test_kept_files_need_a_valid_hash(ctx_for):
    ctx = ctx_for("en")
    assert catalogue.kept_file(ctx, "../../etc/passwd") is None
    assert catalogue.kept_file(ctx, "0" * 64) is None
    assert catalogue.kept_file(ctx, None) is None


@pytest.mark.parametrize("given,kept", [
    ("report.csv", "report.csv"), ("/tmp/x/../отчёт.xlsx", "отчёт.xlsx"), ("a\x00b\n.csv", "ab.csv"),
    ("", "upload"), (None, "upload"), ("x" * 300 + ".csv", "x" * 110 + ".csv"),
])
def test_uploaded_file_names_are_cleaned(given, kept):
    assert catalogue.safe_file_name(given) == kept


# --- blank templates --------------------------------------------------------------------------------------

def test_every_blank_template_with_its_examples_is_recognised_as_its_template(demo_engine, tmp_path):
    for template in templates():
        for lang, fmt in (("kk", "csv"), ("ru", "xlsx"), ("en", "csv"), ("kk", "xlsx")):
            path = tmp_path / f"{template.name}-{lang}.{fmt}"
            path.write_bytes(catalogue.blank_template(template, lang, fmt))
            report = load_file(demo_engine, path, actor="test", dry_run=True)
            assert report.templates == (template.name,), (template.name, lang, fmt, report.refused)
            assert report.refused is None and report.rows_read == len(template.example), (template.name, lang, fmt)


def test_a_blank_template_has_the_header_in_the_language_and_a_sheet_describing_the_columns():
    text = catalogue.blank_template("observations", "ru", "csv").decode("utf-8")
    assert text.startswith("\ufeffпоказатель;период;значение;регион;ед. изм.;комментарий\r\n")
    assert "UNEMPLOYMENT_RATE;2025-Q3;4,6;Астана;;" in text
    workbook = openpyxl.load_workbook(io.BytesIO(catalogue.blank_template("observations", "kk", "xlsx")))
    assert workbook.sheetnames == ["observations", "Бағандар"]
    assert [c.value for c in workbook["observations"][1]] == ["көрсеткіш", "кезең", "мән", "өңір",
                                                              "өлшем бірлігі", "түсініктеме"]
    described = list(workbook["Бағандар"].iter_rows(values_only=True))
    assert described[0] == ("Баған", "Қабылданатын тақырыптар", "Міндетті", "Не жазылады")
    assert described[1][:3] == ("көрсеткіш", "indicator / показатель / көрсеткіш", "иә")
    with pytest.raises(ValueError):
        catalogue.blank_template("observations", "en", "pdf")
    with pytest.raises(KeyError):
        catalogue.blank_template_download("nope", "en", "csv")
    assert catalogue.blank_template_download("Observations", "xx", "xlsx").file_name == "observations-ru.xlsx"


def test_every_template_has_a_title_in_every_language():
    for lang in ("kk", "ru", "en"):
        titles = [item["title"] for item in catalogue.template_options(translator(lang))]
        assert len(titles) == len(templates()) and all(titles)


# --- downloads --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_indicators_download_loads_back_unchanged(writable, tmp_path, fmt):
    ctx = writable("en")
    download = catalogue.indicator_download(ctx, "life_expectancy", fmt, region="ALL")
    assert download.file_name == f"LIFE_EXPECTANCY-ALL.{fmt}"
    path = tmp_path / download.file_name
    path.write_bytes(download.content)
    report = load_file(ctx.engine, path, actor="test", dry_run=True)
    assert report.templates == ("observations",) and report.refused is None and report.quarantined == 0
    assert report.rows_read > 20 and report.unchanged == report.rows_read


def test_downloads_check_their_arguments(ctx_for):
    ctx = ctx_for("en")
    with pytest.raises(api.NotFound):
        catalogue.indicator_download(ctx, "NOPE", "csv")
    with pytest.raises(api.NotFound):
        catalogue.indicator_download(ctx, "LIFE_EXPECTANCY", "csv", region="NOPE")
    with pytest.raises(api.BadRequest):
        catalogue.indicator_download(ctx, "LIFE_EXPECTANCY", "pdf")
    national = catalogue.indicator_download(ctx, "LIFE_EXPECTANCY", "csv")
    assert national.file_name == "LIFE_EXPECTANCY.csv" and national.mimetype.startswith("text/csv")
    assert national.content.decode().startswith("indicator,period,value,region,unit,comment\r\n")


def test_spreadsheet_cells_are_never_formulas():
    content = catalogue.xlsx_bytes([("s", [["=1+1", "+7", "@SUM(A1)", "-x", 5, 2.5, None, True, "plain"]])])
    row = next(openpyxl.load_workbook(io.BytesIO(content))["s"].iter_rows(values_only=True))
    assert row == ("'=1+1", "'+7", "'@SUM(A1)", "'-x", 5, 2.5, None, True, "plain")


def test_the_page_has_everything_for_an_uploader(ctx_for):
    page = catalogue.build_data_page(ctx_for("en"))
    assert page.can_upload and page.history is not None and page.history.total == 0
    assert page.max_upload_mb == 100 and page.today == dt.date(2025, 11, 15)
    assert [t["name"] for t in page.templates] == [t.name for t in templates()]
