"""Exports of every chart on the demo store: every chart of every page offers PNG, SVG, PDF, CSV and
XLSX and its spec rebuilds exactly the figure on the screen (``dashboards._chart_kinds``); the data
behind each kind of chart; the route ``/export/chart.<format>`` (Flask test client): content types,
magic bytes, file names, 400 / 404 / 503, the viewer's scope, the warm-up setting."""

from __future__ import annotations

import csv
import datetime as dt
import io
import types
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import openpyxl
import plotly.graph_objects as go
import pytest
from dash import html
from flask import Flask

from dashboards import _chart, _exports, _program, _project, _region, _regions
from dashboards._chart_kinds import BUILDERS, build_chart
from data_sources.settings import SettingsError, load_settings
from services import chart_images, exports
from services.context import make_context
from services.exports import ChartSpec
from tests.dashboards.ui_samples import find

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
FORMATS = ("png", "svg", "pdf", "csv", "xlsx")
GOAL = "kind=goal&node=NP-HEALTH&indicator=LIFE_EXPECTANCY&region=KZ&lang=kk"

#: The columns of the data behind each kind of chart (before ``unit`` and ``as_of``).
DATA_COLUMNS = {
    "goal": ["series", "period", "date", "value", "low", "high"],
    "program_budget": ["project", "name", "planned", "spent"],
    "project_milestones": ["seq", "name", "planned_date", "actual_date", "state", "days_late"],
    "project_budget": ["month", "planned", "spent"],
    "map": ["region", "name", "value", "raw_value", "period", "population", "rank", "gap", "note"],
    "ranking": ["rank", "region", "name", "value", "national"],
    "region_trend": ["period", "value", "target"],
    "demand_topics": ["topic", "topic_name", "requests", "per_10k", "growth", "resolved_on_time_share"],
    "demand_monthly": ["month", "requests"],
}


def demo_runtime(engine, url: str, data_dir: Path, role: str = "minister", region: str | None = None, **env):
    """A ``services.runtime.Runtime``-shaped object on the demo store for ``role`` (and ``region``)."""
    values = {"NATIJE_DATABASE_URL": url, "NATIJE_DATA_DIR": str(data_dir), "NATIJE_VIEWER_ROLE": role, **env}
    if region:
        values["NATIJE_VIEWER_REGION"] = region
    return types.SimpleNamespace(settings=load_settings(values), engine=engine)


@pytest.fixture
def use_store(monkeypatch, readonly_demo_engine, readonly_database_url, tmp_path):
    """``use_store(role="minister", region=None, **env)`` points ``services.runtime.runtime`` at the demo store."""
    def apply(role="minister", region=None, **env):
        runtime = demo_runtime(readonly_demo_engine, readonly_database_url, tmp_path, role, region, **env)
        monkeypatch.setattr("services.runtime.runtime", lambda: runtime)
        return runtime
    return apply


@pytest.fixture
def client_for(use_store):
    """``client_for(role, region)`` -> a Flask test client of the export route for that viewer."""
    def make(role="minister", region=None, **env):
        use_store(role, region, **env)
        server = Flask(__name__)
        _exports.install(server)
        return server.test_client()
    return make


def chart_cards(page) -> list[html.Figure]:
    return [node for node in find(page, type_=html.Figure) if "nt-chart" in (node.className or "").split()]


def spec_of(href: str) -> ChartSpec:
    return ChartSpec.from_query(parse_qs(urlsplit(href).query))


@pytest.fixture(scope="module")
def page_charts(readonly_demo_engine, readonly_database_url, tmp_path_factory):
    """(runtime, every chart card of the program, project, region and map pages in kk, en, ru),
    rendered once from the demo store."""
    runtime = demo_runtime(readonly_demo_engine, readonly_database_url, tmp_path_factory.mktemp("exports"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("services.runtime.runtime", lambda: runtime)
        pages = [_program.render("NP-HEALTH", {"lang": "kk"}),
                 _project.render("NP2-RURALHEALTH-ALR-01", {"lang": "en", "as_of": "2025-11-15"}),
                 _region.render("AST", {"lang": "ru"}),
                 _regions.render({"lang": "en", "indicator": "BIRTHS", "per_capita": "1"})]
    return runtime, [card for page in pages for card in chart_cards(page)]


def test_every_kind_of_chart_has_one_builder():
    assert set(BUILDERS) == set(exports.KINDS) == set(DATA_COLUMNS)


def test_every_chart_on_every_page_offers_every_format_and_rebuilds_to_the_figure_on_screen(page_charts):
    runtime, cards = page_charts
    kinds = set()
    for card in cards:
        links = [a.href for a in find(card, type_=html.A) if a.href.startswith("/export/")]
        assert [link.split("?")[0] for link in links] == [f"/export/chart.{fmt}" for fmt in FORMATS], card.id
        assert len({link.split("?")[1] for link in links}) == 1  # one spec, five formats
        spec = spec_of(links[0])
        assert card.to_plotly_json()["props"]["data-chart-kind"] == spec.kind
        kinds.add(spec.kind)
        ctx = make_context(runtime.engine, runtime.settings, lang=spec.lang, as_of=spec.as_of)
        content = build_chart(ctx, spec)
        assert content is not None, links[0]
        on_screen = go.Figure(find(card, type_=_chart.dcc.Graph)[0].figure)
        rebuilt = go.Figure(_chart._screen_copy(content.figure))
        if spec.kind == "map":  # the program page draws its map smaller; an image has its own size
            rebuilt.update_layout(height=on_screen.layout.height)
        assert rebuilt.to_json() == on_screen.to_json(), links[0]
        assert card.children[0].children[0].children[0].children == content.title
        assert list(content.data.columns) == DATA_COLUMNS[spec.kind] and not content.data.empty, spec.kind
    assert kinds == set(exports.KINDS)
    assert len(cards) >= 25


def test_the_data_behind_a_goal_chart_is_its_points(use_store):
    runtime = use_store()
    spec = ChartSpec("goal", node="NP-HEALTH", indicator="LIFE_EXPECTANCY", region="KZ", lang="en")
    content = build_chart(make_context(runtime.engine, runtime.settings, lang="en"), spec)
    data = content.data
    assert set(data["series"]) == {"fact", "trajectory", "forecast", "target"}
    facts = data[data["series"] == "fact"]
    assert facts["period"].tolist() == sorted(facts["period"]) and facts["value"].notna().all()
    assert all(d.month == 12 and d.day == 31 for d in facts["date"])  # a year's value is drawn at 31 Dec
    forecast = data[data["series"] == "forecast"]
    assert (forecast["low"] <= forecast["value"]).all() and (forecast["value"] <= forecast["high"]).all()
    assert content.units == "years" and content.filters[-1] == ("Region", "Kazakhstan (national)")


def test_every_kind_downloads_as_csv_and_xlsx(client_for, page_charts):
    _, cards = page_charts
    client = client_for()
    seen = set()
    for card in cards:
        href = [a.href for a in find(card, type_=html.A) if a.href.startswith("/export/chart.csv")][0]
        spec = spec_of(href)
        if spec.kind in seen:
            continue
        seen.add(spec.kind)
        response = client.get(href)
        assert response.status_code == 200 and response.mimetype == "text/csv", href
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert rows[0] == DATA_COLUMNS[spec.kind] + ["unit", "as_of"] and len(rows) > 1
        name = exports.file_name(spec, dt.date.fromisoformat(rows[1][-1]), "csv")
        assert f"filename={name}" in response.headers["Content-Disposition"]
        xlsx = client.get(href.replace("chart.csv", "chart.xlsx"))
        assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
        workbook = openpyxl.load_workbook(io.BytesIO(xlsx.data))
        assert [c.value for c in next(workbook.worksheets[0].iter_rows())] == rows[0]
    assert seen == set(exports.KINDS)


@pytest.mark.parametrize("query,status", [
    ("kind=chart", 400),
    ("kind=goal&node=NP-HEALTH&indicator=LIFE_EXPECTANCY", 400),
    ("kind=map&indicator=LIFE_EXPECTANCY&figure=%7B%7D", 400),
    ("kind=map&indicator=..%2F..%2Fetc%2Fpasswd", 400),
    ("kind=map&indicator=LIFE_EXPECTANCY&year=twenty", 400),
    ("kind=map&indicator=LIFE_EXPECTANCY&lang=kk&lang=ru", 400),
    ("kind=map&indicator=NOPE", 404),
    ("kind=goal&node=NOPE&indicator=LIFE_EXPECTANCY&region=KZ", 404),
    ("kind=goal&node=NP-HEALTH&indicator=LIFE_EXPECTANCY&region=AST", 404),
    ("kind=demand_topics&region=NOPE", 404),
    ("kind=ranking&indicator=AVERAGE_WAGE&region=NOPE&year=2025", 404),
    ("kind=project_milestones&node=NP-HEALTH", 404),  # a program, not a project
])
def test_malformed_specs_are_400_and_charts_that_do_not_exist_404(client_for, query, status):
    response = client_for().get(f"/export/chart.csv?{query}")
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "text/plain" and response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_unknown_format_is_404(client_for):
    assert client_for().get(f"/export/chart.gif?{GOAL}").status_code == 404
    assert client_for().get(f"/export/chart?{GOAL}").status_code == 404


def test_the_viewer_scope_is_applied_again(client_for):
    akim = client_for("akim", "AST")
    assert akim.get("/export/chart.csv?kind=demand_topics&region=AST").status_code == 200
    assert akim.get("/export/chart.csv?kind=demand_topics&region=ALA").status_code == 404
    assert akim.get("/export/chart.csv?kind=project_milestones&node=NP2-RURALHEALTH-ALR-01").status_code == 404
    budget = akim.get("/export/chart.csv?kind=program_budget&node=NP-HEALTH")  # only the projects in Astana
    minister = client_for().get("/export/chart.csv?kind=program_budget&node=NP-HEALTH")
    assert budget.status_code == minister.status_code == 200
    assert len(budget.get_data(as_text=True).splitlines()) < len(minister.get_data(as_text=True).splitlines())


def test_a_browser_failure_is_503(client_for, monkeypatch):
    def fail(*args, **kwargs):
        raise chart_images.RenderFailed("the browser could not draw the image: gone")

    monkeypatch.setattr(exports, "render_image", fail)
    response = client_for().get(f"/export/chart.png?{GOAL}")
    assert response.status_code == 503 and "could not draw" in response.get_data(as_text=True)


@pytest.mark.parametrize("warm,calls", [("1", 1), ("0", 0)])
def test_export_warm_starts_the_browser_at_the_first_request(client_for, monkeypatch, warm, calls):
    started = []
    monkeypatch.setattr(chart_images, "warm_up", lambda: started.append(1))
    client = client_for(NATIJE_EXPORT_WARM=warm)
    client.get("/export/chart.csv?kind=demand_topics&region=AST")
    client.get("/export/chart.csv?kind=demand_topics&region=AST")
    assert len(started) == calls


def test_export_warm_is_0_or_1():
    assert load_settings({"NATIJE_EXPORT_WARM": "1"}).export_warm == 1
    with pytest.raises(SettingsError, match="NATIJE_EXPORT_WARM"):
        load_settings({"NATIJE_EXPORT_WARM": "yes"})


@pytest.mark.needs_system("chromium", "dejavu")
def test_images_download_with_their_type_magic_bytes_and_names(client_for):
    client = client_for()
    magic = {"png": (b"\x89PNG\r\n\x1a\n", "image/png"), "svg": (b"<svg", "image/svg+xml"),
             "pdf": (b"%PDF", "application/pdf")}
    for fmt, (start, mimetype) in magic.items():
        response = client.get(f"/export/chart.{fmt}?{GOAL}")
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == mimetype and response.data.lstrip().startswith(start)
        disposition = response.headers["Content-Disposition"]
        name = f"natije_NP-HEALTH_LIFE_EXPECTANCY_KZ_2025-11-15.{fmt}"
        assert disposition.startswith(f"attachment; filename={name}") and unquote(disposition).endswith(name)
        if fmt == "svg":
            assert "Туған кездегі күтілетін өмір сүру ұзақтығы".encode() in response.data
        if fmt == "png":
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / "export-kk.png").write_bytes(response.data)


@pytest.mark.needs_system("chromium", "dejavu")
def test_the_map_exports_offline(client_for):
    response = client_for().get("/export/chart.png?kind=map&indicator=LIFE_EXPECTANCY&year=2024&lang=ru")
    assert response.status_code == 200 and response.data.startswith(b"\x89PNG")
    width = int.from_bytes(response.data[16:20], "big")
    assert width == exports.EXPORT_WIDTH * exports.PNG_SCALE
