"""The ``/data`` page: the view (a pure function of ``services.catalogue.DataPage``), its callbacks called
as plain functions with hostile inputs, and the file routes (downloads, blank templates, kept files) on
a bare Flask app."""

from __future__ import annotations

import base64
import csv
import io
import types

import dash
import dash_ag_grid as dag
import pytest
from dash import dcc, html
from dash._callback_context import context_value
from dash._utils import AttributeDict
from flask import Flask

from dashboards import _data, _downloads
from dashboards import _ids as ids
from data_sources.settings import load_settings
from data_sources.viewer import Viewer
from services import catalogue
from services.context import make_context
from services.i18n import translator
from tests.dashboards.ui_samples import find, text_of

EN, RU, KK = translator("en"), translator("ru"), translator("kk")
UPLOAD_CSV = b"indicator,period,value\nLIFE_EXPECTANCY,2025,75.3\nLIFE_EXPECTANCY,2025-13,75.3\n"


def data_url(content: bytes, kind: str = "text/csv") -> str:
    return f"data:{kind};base64," + base64.b64encode(content).decode()


@pytest.fixture
def read_ctx(readonly_demo_engine, readonly_database_url):
    """``read_ctx(lang, viewer)`` -> a Context on the shared read-only demo store."""
    def make(lang="en", viewer=None):
        settings = load_settings({"NATIJE_DATABASE_URL": readonly_database_url})
        return make_context(readonly_demo_engine, settings, lang=lang, viewer=viewer)
    return make


@pytest.fixture
def write_ctx(demo_engine, database_url, tmp_path):
    """``write_ctx(lang, viewer, **settings)`` -> a Context on a private demo copy."""
    def make(lang="en", viewer=None, **settings):
        env = {"NATIJE_DATABASE_URL": database_url, "NATIJE_DATA_DIR": str(tmp_path)}
        env |= {f"NATIJE_{k.upper()}": str(v) for k, v in settings.items()}
        return make_context(demo_engine, load_settings(env), lang=lang, viewer=viewer)
    return make


# --- the view ------------------------------------------------------------------------------------------

def test_an_uploader_sees_the_catalogue_the_upload_the_templates_and_the_history(read_ctx):
    ctx = read_ctx("en")
    page = _data.data_view(catalogue.build_data_page(ctx), EN, {"lang": "en"})
    grid = find(page, id_=_data.DATA_GRID)[0]
    assert isinstance(grid, dag.AgGrid) and len(grid.rowData) == int(page.to_plotly_json()["props"]["data-indicators"])
    headers = [c["headerName"] for c in grid.columnDefs]
    assert headers[0] == "Indicator" and "Freshness" in headers and "Accountable" in headers and "Download" in headers
    for component_id in (_data.DATA_UPLOAD, _data.DATA_DRY_RUN, _data.DATA_TEMPLATE, _data.DATA_HISTORY):
        assert find(page, id_=component_id), component_id
    template_links = [a.href for a in find(find(page, id_=_data.DATA_TEMPLATES)[0], type_=html.A)]
    assert "/data/templates/observations.csv?lang=en" in template_links
    assert "/data/templates/observations.xlsx?lang=en" in template_links
    text = text_of(page)
    assert "No files loaded yet." in text and "Show the demo data loads" in text


@pytest.mark.parametrize("role", ["public", "kiosk"])
def test_public_and_kiosk_get_the_catalogue_and_templates_but_no_upload_or_history(read_ctx, role):
    ctx = read_ctx("kk", Viewer(role))
    page = _data.data_view(catalogue.build_data_page(ctx), KK, {"lang": "kk"})
    assert find(page, id_=_data.DATA_GRID) and find(page, id_=_data.DATA_TEMPLATES)
    assert not find(page, id_=_data.DATA_UPLOAD) and not find(page, id_=_data.DATA_HISTORY)
    assert page.to_plotly_json()["props"]["data-can-upload"] == "0"


def test_grid_rows_carry_the_freshness_the_owner_and_the_download_links(read_ctx):
    ctx = read_ctx("ru")
    frame = catalogue.catalogue(ctx)
    rows = {r["code"]: r for r in _data.catalogue_rows(frame, RU, {"lang": "ru", "as_of": "2025-11-15"})}
    life = rows["LIFE_EXPECTANCY"]
    assert life["downloads"] == ("[CSV](/data/download/LIFE_EXPECTANCY.csv?lang=ru&as_of=2025-11-15) · "
                                 "[XLSX](/data/download/LIFE_EXPECTANCY.xlsx?lang=ru&as_of=2025-11-15)")
    assert life["name_md"].endswith("`LIFE_EXPECTANCY`") and life["owner"] != "–"
    stale = next(r for r in rows.values() if r["freshness"] == "stale")
    assert stale["freshness_text"] == "⚠\u00a0" + RU("freshness.stale")
    assert stale["freshness_rank"] == 0 and "ожидается" in stale["freshness_title"]


def test_names_are_escaped_for_markdown():
    assert _data.markdown_text("A*b_[c](d) <x> & `e`") == r"A\*b\_\[c\]\(d\) \<x\> \& \`e\`"


def test_filters_narrow_the_rows_and_ignore_values_the_page_never_offered(read_ctx):
    frame = catalogue.catalogue(read_ctx("en"))
    agency = frame["agency"].dropna().iloc[0]
    by_agency = _data.filter_catalogue(frame, agency=agency)
    assert 0 < len(by_agency) < len(frame) and set(by_agency["agency"]) == {agency}
    stale = _data.filter_catalogue(frame, freshness="stale", frequency="M")
    assert set(stale["freshness"]) == {"stale"} and set(stale["frequency"]) == {"M"}
    assert list(_data.filter_catalogue(frame, search="life_exp")["code"])[:1] == ["LIFE_EXPECTANCY"]
    for hostile in ({"$ne": 1}, ["MOH"], 42, "'; DROP TABLE indicators; --", "x" * 10_000):
        assert len(_data.filter_catalogue(frame, agency=hostile, frequency=hostile, freshness=hostile)) == len(frame)
    assert _data.filter_catalogue(frame, search="x" * 10_000).empty
    assert len(_data.filter_catalogue(frame, search=["a"])) == len(frame)


def test_the_filter_callback_returns_rows_and_the_count(monkeypatch, read_ctx):
    ctx = read_ctx("en")
    monkeypatch.setattr(_data, "page_context", lambda params: ctx)
    rows, shown = _data.filter_grid(None, None, "Q", None, "?lang=en")
    assert rows and {r["frequency"] for r in rows} == {"Q"}
    assert shown.endswith(f"of {len(catalogue.catalogue(ctx))} indicators shown")
    rows, _ = _data.filter_grid({"bad": 1}, ["x"], 3, None, None)
    assert len(rows) == len(catalogue.catalogue(ctx))


def test_a_report_shows_counts_problems_and_the_kept_file(read_ctx):
    record = {"file": "данные.csv", "sha256": "a" * 64, "templates": ["observations"], "status": "partial",
              "dry_run": False, "batch": "FILE-1", "stored": True, "loaded_text": "15.11.25", "actor": "web:analyst",
              "rows": {"read": 3, "loaded": 1, "unchanged": 1, "corrected": 0, "quarantined": 1},
              "refused": None, "warnings": [],
              "problems": [{"sheet": None, "row": 3, "column": "период", "value": "2025-13" * 20,
                            "code": "period_invalid", "message": "не период"}]}
    view = _data.report_view(record, RU, {"lang": "ru"})
    text = text_of(view)
    assert "данные.csv" in text and "Загружен частично" in text and "не период" in text and "период" in text
    assert "Значения показателей" in text and "Пакет FILE-1" in text
    code = find(view, type_=html.Code)[0]
    assert len(code.children) == _data.VALUE_SHOWN and code.title == "2025-13" * 20
    link = [a for a in find(view, type_=html.A) if a.href.startswith("/data/files/")][0]
    assert link.href == f"/data/files/{'a' * 64}?lang=ru" and link.download == "данные.csv"
    refused = _data.report_view({**record, "status": "refused", "refused": {"code": "file_empty", "message": "Пусто"},
                                 "problems": [], "stored": False, "dry_run": True}, RU, {})
    assert "Пусто" in text_of(refused) and "ничего не сохранено" in text_of(refused)
    assert not [a for a in find(refused, type_=html.A) if a.href.startswith("/data/files/")]


# --- the upload callback: hostile inputs ---------------------------------------------------------------------

def test_a_public_viewer_posting_an_upload_is_refused(monkeypatch, write_ctx):
    ctx = write_ctx("en", Viewer("public"))
    monkeypatch.setattr(_data, "page_context", lambda params: ctx)
    result, history, contents = _data.upload_file(data_url(UPLOAD_CSV), "x.csv", False, "auto", "?lang=en")
    assert "cannot upload" in text_of(result) and history is dash.no_update and contents is None
    assert catalogue.history(write_ctx("en"), include_demo=False).total == 0  # nothing was loaded


@pytest.mark.parametrize("dry_run,template,filename", [
    ("yes", "auto", "x.csv"), (False, "../../etc/passwd", "x.csv"), (False, {"name": "observations"}, "x.csv"),
    (False, "auto", {"name": "x.csv"}), ([True], "auto", "x.csv"),
])
def test_an_upload_with_values_the_page_never_offered_is_refused(write_ctx, dry_run, template, filename):
    ctx = write_ctx("en")
    result, history = _data.handle_upload(ctx, data_url(UPLOAD_CSV), filename, dry_run, template, {})
    assert "not valid" in text_of(result) and history is dash.no_update
    assert catalogue.history(ctx).total == 0


@pytest.mark.parametrize("contents", [
    "not a data url", "data:text/csv;base64,@@@not-base64@@@", "data:text/csv,plain", 12, None, ["data:"],
])
def test_contents_that_are_not_a_base64_data_url_are_refused(write_ctx, contents):
    ctx = write_ctx("en")
    result, history = _data.handle_upload(ctx, contents, "x.csv", False, "auto", {})
    assert EN("load.problem.file_unreadable") in text_of(result)
    assert history is dash.no_update


def test_a_file_over_the_limit_is_refused_before_it_is_decoded(write_ctx):
    ctx = write_ctx("en", max_upload_mb=1)
    result, _ = _data.handle_upload(ctx, data_url(b"x" * (2 * 1024 * 1024)), "big.csv", False, None, {})
    assert EN("load.problem.file_too_large", size_mb="2.0", limit_mb="1") in text_of(result)


def test_an_upload_is_loaded_and_the_history_gains_its_batch(monkeypatch, write_ctx):
    ctx = write_ctx("en")
    monkeypatch.setattr(_data, "page_context", lambda params: ctx)
    result, history, contents = _data.upload_file(data_url(UPLOAD_CSV), "values.csv", False, "observations",
                                                  "?lang=en")
    assert contents is None
    text = text_of(result)
    assert "values.csv" in text and "Loaded in part" in text and "2025-13" in text_of(find(result, type_=html.Code))
    assert [a for a in find(result, type_=html.A) if a.href.startswith("/data/files/")]  # the kept file
    assert history.to_plotly_json()["props"]["data-total"] == "1"
    opener = find(history, type_=html.Button)[0]
    assert opener.id["type"] == _data.DATA_BATCH and text_of(opener) == "values.csv"


def test_a_dry_run_reports_but_leaves_the_history_alone(write_ctx):
    ctx = write_ctx("ru")
    result, history = _data.handle_upload(ctx, data_url(UPLOAD_CSV), "check.csv", True, None, {"lang": "ru"})
    assert "Только проверка" in text_of(result) and history is dash.no_update
    assert catalogue.history(ctx).total == 0


def test_no_contents_changes_nothing():
    assert _data.upload_file(None, None, None, None, None) == (dash.no_update, dash.no_update, dash.no_update)


# --- the batch report callback -----------------------------------------------------------------------------

def _trigger(component_id, value=1, inputs_list=None):
    key = ids.dom_id(component_id) + ".n_clicks"
    return context_value.set(AttributeDict(triggered_inputs=[{"prop_id": key, "value": value}],
                                           inputs_list=inputs_list or []))


def _call_show_batch(component_id, value=1):
    token = _trigger(component_id, value)
    try:
        return _data.show_batch([value], 0, "?lang=en")
    finally:
        context_value.reset(token)


def test_a_history_row_opens_its_report_and_close_closes_it(monkeypatch, write_ctx):
    ctx = write_ctx("en")
    record = catalogue.upload(ctx, "values.csv", UPLOAD_CSV, dry_run=False)
    monkeypatch.setattr(_data, "page_context", lambda params: ctx)
    is_open, report = _call_show_batch(_data.batch_button_id(record["batch"]))
    assert is_open is True and "values.csv" in text_of(report) and "2025-13" in text_of(find(report, type_=html.Code))
    assert _call_show_batch(_data.DATA_BATCH_CLOSE) == (False, dash.no_update)
    assert _call_show_batch(_data.batch_button_id(record["batch"]), value=0) == (dash.no_update, dash.no_update)


def test_a_forged_batch_code_or_a_viewer_without_uploads_gets_no_report(monkeypatch, write_ctx):
    ctx = write_ctx("en")
    record = catalogue.upload(ctx, "values.csv", UPLOAD_CSV, dry_run=False)
    monkeypatch.setattr(_data, "page_context", lambda params: ctx)
    is_open, report = _call_show_batch({"type": _data.DATA_BATCH, "key": "NOPE' OR 1=1 --"})
    assert is_open and text_of(report) == EN("data.report.not_found")
    public = write_ctx("en", Viewer("public"))
    monkeypatch.setattr(_data, "page_context", lambda params: public)
    _, report = _call_show_batch(_data.batch_button_id(record["batch"]))
    assert text_of(report) == EN("data.report.not_found")


def test_render_reads_the_history_page_and_the_demo_switch_from_the_url(monkeypatch):
    seen = {}
    monkeypatch.setattr(_data, "page_context", lambda params: types.SimpleNamespace(t=EN))
    monkeypatch.setattr(_data.catalogue_service, "build_data_page",
                        lambda ctx, history_page, include_demo: seen.update(page=history_page, demo=include_demo))
    monkeypatch.setattr(_data, "data_view", lambda view, t, params: "page")
    assert _data.render({"history": ["3", "9"], "demo_batches": "1"}) == "page"
    assert seen == {"page": 3, "demo": True}
    _data.render({"history": "-5"})
    assert seen == {"page": 1, "demo": False}


# --- the file routes -----------------------------------------------------------------------------------------

@pytest.fixture
def client_for(monkeypatch, demo_engine, database_url, tmp_path):
    """``client_for(role="minister", region=None)`` -> a Flask test client of the /data file routes."""
    def make(role="minister", region=None):
        env = {"NATIJE_DATABASE_URL": database_url, "NATIJE_DATA_DIR": str(tmp_path), "NATIJE_VIEWER_ROLE": role}
        if region:
            env["NATIJE_VIEWER_REGION"] = region
        runtime = types.SimpleNamespace(settings=load_settings(env), engine=demo_engine)
        monkeypatch.setattr("services.runtime.runtime", lambda: runtime)
        server = Flask(__name__)
        _downloads.install(server)
        return server.test_client()
    return make


def test_an_indicator_downloads_as_csv_and_xlsx(client_for):
    client = client_for()
    response = client.get("/data/download/life_expectancy.csv?region=AST&lang=kk")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename=LIFE_EXPECTANCY-AST.csv')
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["indicator", "period", "value", "region", "unit", "comment"] and rows[1][3] == "AST"
    xlsx = client.get("/data/download/LIFE_EXPECTANCY.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get("/data/download/NOPE.csv").status_code == 404
    assert client.get("/data/download/LIFE_EXPECTANCY.csv?region=NOPE").status_code == 404
    assert client.get("/data/download/LIFE_EXPECTANCY.pdf").status_code == 404


def test_blank_templates_download_in_the_asked_language(client_for):
    client = client_for("public")
    response = client.get("/data/templates/observations.csv?lang=kk")
    assert response.status_code == 200
    assert "filename=observations-kk.csv" in response.headers["Content-Disposition"]
    assert response.data.decode("utf-8-sig").startswith("көрсеткіш;кезең;мән")
    assert client.get("/data/templates/observations.xlsx?lang=xx").status_code == 200  # the default language
    assert client.get("/data/templates/nope.csv").status_code == 404


def test_a_kept_file_is_served_under_its_name_to_those_who_may_see_it(client_for, write_ctx):
    record = catalogue.upload(write_ctx("en"), "отчёт за 2025.csv", UPLOAD_CSV, dry_run=False)
    sha = record["sha256"]
    response = client_for().get(f"/data/files/{sha}")
    assert response.status_code == 200 and response.data == UPLOAD_CSV
    assert response.mimetype == "application/octet-stream"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82" in disposition
    assert client_for("public").get(f"/data/files/{sha}").status_code == 404
    assert client_for("akim", "ALA").get(f"/data/files/{sha}").status_code == 404
    assert client_for().get("/data/files/" + "0" * 64).status_code == 404
    assert client_for().get("/data/files/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_the_page_is_registered_in_the_navigation():
    from dashboards import _shell

    nav = _shell.navbar("ru", RU, path="/data", params={"lang": "ru"}, is_demo=False)
    link = [link for link in find(nav, type_=dcc.Link) if link.href == "/data?lang=ru"][0]
    assert text_of(link) == "Данные" and "is-current" in link.className
