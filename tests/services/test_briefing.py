"""The briefing pack (services/briefing.py) on a private copy of the demo store: every section is
there with the pages' figures, the viewer's scope holds, a second request for unchanged data is one
SELECT, a write or a verification run makes the next request render again, the PDF carries page
numbers, the ledger head and every Kazakh letter, and WeasyPrint fetches nothing but local fonts.

Packs are rendered once per module (a pack costs seconds); the tests that write come last."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import types

import pytest
from sqlalchemy import event

from dashboards._chart_kinds import build_chart
from data_sources import ledger_view
from data_sources.ledger_verify import verify_ledger
from data_sources.settings import load_settings
from data_sources.store import make_engine
from data_sources.viewer import Viewer
from services import api, briefing
from services.briefing import BriefingNotFound, BriefingRequest, briefing_pdf, build_pack
from services.commentary import submit_commentary
from services.context import make_context
from services.i18n import translator
from services.overview import build_overview
from services.programs import build_program_extras
from services.regions import build_region

pytestmark = pytest.mark.needs_system("chromium", "pdftotext", "pango", "dejavu")

KAZAKH = "әғқңөұүһі"
#: A Kazakh phrase with all nine Kazakh letters ("the city's social infrastructure: housing, region, building").
ALL_LETTERS = "Шаһардың әлеуметтік инфрақұрылымы: үй, өңір, ғимарат"


@pytest.fixture(scope="module")
def store(demo_store, harness, tmp_path_factory):
    """A private copy of the demo store for this module (the last tests write to it)."""
    directory = tmp_path_factory.mktemp("briefing-store")
    path = harness.copy_sqlite_store(demo_store, directory / "natije.sqlite3")
    url = harness.sqlite_url(path)
    engine = make_engine(url)
    yield types.SimpleNamespace(engine=engine, settings=load_settings({"NATIJE_DATABASE_URL": url,
                                                                       "NATIJE_DATA_DIR": str(directory)}),
                                directory=directory)
    engine.dispose()


def context(store, lang: str = "en", viewer: Viewer | None = None):
    return make_context(store.engine, store.settings, lang=lang, viewer=viewer or Viewer())


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


@pytest.fixture(scope="module")
def national(store):
    """The national portfolio's pack in English: (the pack's data, its PDF text, pages)."""
    pack = build_pack(context(store), node=None, region=None, charts=build_chart, data_version=1)
    content, pages = briefing.pdf_bytes(briefing.pack_html(pack))
    return pack, pdf_text(content), pages


@pytest.fixture(scope="module")
def astana(store):
    """Astana's pack in Kazakh through the one entry point (rendered and kept)."""
    return briefing_pdf(context(store, "kk"), region="ast", charts=build_chart)


# --- the national pack ----------------------------------------------------------------------------------

def test_the_national_pack_has_every_section_and_the_filters(national, store):
    pack, text, pages = national
    flat = " ".join(text.split())
    assert pack.node["code"] == "NDP-2029" and pack.region is None and pack.demand is None
    for words in ("Briefing pack", "National Development Plan", "1. Headline goals", "2. Key charts",
                  "3. Projects at risk", "4. Overdue instructions", "5. Accountable officials",
                  "6. Data integrity", "Filters and scope", "whole country", "English", "15 November 2025",
                  "Prepared for", "the minister (scope: whole country)"):
        assert words in flat, words
    assert "Citizen demand" not in flat  # no region: no demand section
    assert f"Data version {pack.data_version}" in flat
    assert f"Page 1 of {pages}" in flat and f"Page {pages} of {pages}" in flat and pages > 5
    head = ledger_view.chain_head(store.engine)["head_hash"]
    assert len(head) == 64 and head in text
    assert "Never verified: run natije ledger verify" in flat


def test_the_national_figures_are_the_pages_figures(national, store):
    pack, _, _ = national
    ctx = context(store)
    overview = build_overview(ctx)
    assert [row["name"] for row in pack.kpis] == list(overview.cards["name"])
    assert [row["status"] for row in pack.kpis] == list(overview.cards["status"])
    assert [row["status_word"] for row in pack.kpis] == [ctx.t(f"status.{s}") for s in overview.cards["status"]]
    assert pack.overdue_total == len(overview.overdue) == len(pack.overdue) > 0
    assert all(row["escalated"]["name"] for row in pack.overdue)
    at_risk = set()
    for code in overview.programs["code"]:
        projects = build_program_extras(ctx, code).projects
        at_risk |= set(projects.loc[projects["status"].isin(briefing.AT_RISK_STATUSES), "code"])
    assert {row["code"] for row in pack.projects} == at_risk and at_risk
    names = {row["name"] for row in pack.officials}
    assert overview.portfolio["owner_name"] in names
    assert set(overview.programs["owner_name"].dropna()) <= names
    assert 1 <= len(pack.charts) <= briefing.MAX_CHARTS
    assert {chart.kind for chart in pack.charts} == {"goal"}
    assert all(chart.image.startswith("data:image/svg+xml;base64,") for chart in pack.charts)


# --- a region's pack, in Kazakh ---------------------------------------------------------------------------

def test_a_region_pack_in_kazakh(astana, store):
    t = translator("kk")
    assert not astana.cached and astana.file_name == "natije_briefing_NDP-2029_AST_2025-11-15_kk.pdf"
    assert astana.content.startswith(b"%PDF-") and astana.region == "AST" and astana.pages >= 3
    flat = " ".join(pdf_text(astana.content).split())
    for words in (t("briefing.title"), "Астана", t("briefing.section.kpis_regional"), t("briefing.section.demand"),
                  t("briefing.section.projects"), t("briefing.page", page=1, pages=astana.pages)):
        assert words in flat, words
    assert set(KAZAKH) - {"һ"} <= set(flat)  # the demo's texts have no һ: see the next test


def test_every_kazakh_letter_comes_out_of_the_pdf(store):
    pack = build_pack(context(store, "kk"), node=None, region="AST", charts=lambda ctx, spec: None, data_version=1)
    lettered = dataclasses.replace(pack, node={**pack.node, "name": ALL_LETTERS})
    content, _ = briefing.pdf_bytes(briefing.pack_html(lettered))
    text = pdf_text(content)
    assert ALL_LETTERS in " ".join(text.split())
    assert set(KAZAKH) <= set(text)


def test_the_region_figures_are_the_region_pages(store):
    ctx = context(store, "kk")
    pack = build_pack(ctx, node=None, region="AST", charts=lambda ctx, spec: None, data_version=1)
    view = build_region(ctx, "AST")
    assert [row["indicator"] for row in pack.kpis] == list(view.kpis["indicator"]) and pack.kpis_regional
    assert [row["status"] for row in pack.kpis] == list(view.kpis["status"])
    assert all(row["note"] for row in pack.kpis if row["indicator"] != "POPULATION")  # the nation's value beside
    assert [row["topic"] for row in pack.demand] == list(view.demand["topic_name"])
    at_risk = view.projects[view.projects["status"].isin(briefing.AT_RISK_STATUSES)]
    assert {row["code"] for row in pack.projects} == set(at_risk["code"])
    assert view.program["owner_name"] in {row["name"] for row in pack.officials}
    assert pack.node["status_of"] == view.program["name"] and pack.node["status"] == view.program["status"]
    assert pack.charts == []  # the chart builder gave none


def test_the_key_charts_of_a_program_and_a_project(store):
    ctx = context(store)
    from services.nodes import build_node

    program = briefing.chart_specs(ctx, build_node(ctx, "NP2-SCHOOL"), None, None)
    assert [spec.kind for spec in program] == ["goal", "goal", "goal", "program_budget"]
    assert all(spec.node == "NP2-SCHOOL" and spec.lang == "en" for spec in program)
    project = briefing.chart_specs(ctx, build_node(ctx, "NP2-SCHOOL-AKM-01"), None, None)
    assert [spec.kind for spec in project][:2] == ["project_milestones", "project_budget"]
    assert len(project) <= briefing.MAX_CHARTS


# --- scope --------------------------------------------------------------------------------------------------

def test_a_region_scoped_viewer_gets_its_region_and_nothing_else(store):
    akim = context(store, viewer=Viewer(role="akim", region="AST"))
    assert briefing.requested_scope(akim, None, None) == (None, "AST")
    assert briefing.requested_scope(akim, "tdp-ast", "ast") == ("TDP-AST", "AST")
    with pytest.raises(BriefingNotFound, match="outside this viewer's scope"):
        briefing_pdf(akim, region="AKM", charts=build_chart)
    with pytest.raises(BriefingNotFound):  # a project of another region does not exist for this viewer
        build_pack(akim, node="NP2-SCHOOL-AKM-01", region="AST", charts=build_chart, data_version=1)


def test_unknown_codes_are_not_found_and_malformed_ones_are_refused(store):
    ctx = context(store)
    assert briefing.requested_scope(ctx, None, "kz") == (None, None)  # the nation is the whole country
    with pytest.raises(BriefingNotFound):
        build_pack(ctx, node="NOPE", region=None, charts=build_chart, data_version=1)
    with pytest.raises(BriefingNotFound):
        build_pack(ctx, node=None, region="XXX", charts=build_chart, data_version=1)
    with pytest.raises(api.BadRequest):
        briefing_pdf(ctx, node="../etc", charts=build_chart)


@pytest.mark.parametrize("query,message", [
    ({"nodes": "NP-HEALTH"}, "unknown parameter"),
    ({"node": ["A", "B"]}, "given once"),
    ({"region": "a b"}, "must be a code"),
    ({"lang": "de"}, "lang"),
    ({"as_of": "15.11.2025"}, "as_of"),
])
def test_malformed_requests_are_refused(query, message):
    with pytest.raises(api.BadRequest, match=message):
        BriefingRequest.from_query(query)


def test_a_request_from_a_url():
    wanted = BriefingRequest.from_query({"node": ["np-health"], "region": [""], "lang": ["kk"], "as_of": ["2025-10-01"]})
    assert wanted == BriefingRequest(node="NP-HEALTH", region=None, lang="kk", as_of=dt.date(2025, 10, 1))
    assert BriefingRequest.from_query({}) == BriefingRequest()


# --- printing -----------------------------------------------------------------------------------------------

def test_page_numbers_and_file_names():
    assert briefing.page_counter_content("Page \x00 of \x01") == '"Page " counter(page) " of " counter(pages)'
    assert briefing.page_counter_content('\x00-бет "x"') == 'counter(page) "-бет \\"x\\""'
    assert briefing.file_name("NP-HEALTH", None, dt.date(2025, 11, 15), "ru") == "natije_briefing_NP-HEALTH_KZ_2025-11-15_ru.pdf"


def test_weasyprint_fetches_nothing_but_the_local_fonts():
    fonts = [face["url"] for face in briefing.font_faces()]
    assert fonts and all(url.startswith("file:///") and url.endswith(".ttf") for url in fonts)
    fetcher = briefing.LocalOnlyFetcher(fonts)
    for url in ("http://example.com/x.png", "https://cdn.example/font.woff2", "file:///etc/passwd", "ftp://x/y"):
        with pytest.raises(ValueError, match="fetches nothing"):
            fetcher.fetch(url)
    embedded = fetcher.fetch("data:text/plain;base64,aGk=")
    assert embedded.read() == b"hi"
    embedded.close()
    html = ('<html><body><p>x</p><img src="http://example.com/tracker.png">'
            '<link rel="stylesheet" href="https://cdn.example/x.css"></body></html>')
    content, pages = briefing.pdf_bytes(html)  # renders, without asking the network
    assert content.startswith(b"%PDF-") and pages == 1


# --- the store keeps packs (these tests write: they come last) ------------------------------------------------

def test_a_second_request_for_unchanged_data_is_one_select(astana, store):
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001 - SQLAlchemy hook
        statements.append(statement)

    ctx = context(store, "kk")  # the request's context (the page has it already)
    event.listen(store.engine, "before_cursor_execute", record)
    try:
        again = briefing_pdf(ctx, region="AST", charts=build_chart)
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    assert again.cached and again.content == astana.content and again.file_name == astana.file_name
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1, statements
    other_language = briefing_pdf(context(store, "en"), region="AST", charts=build_chart)
    assert not other_language.cached and other_language.file_name.endswith("_en.pdf")


def test_a_write_or_a_verification_makes_the_next_request_render(astana, store):
    analyst = context(store, viewer=Viewer(role="analyst"))
    submit_commentary(analyst, "TDP-AST", None, text={"en": "Sewerage works resume in spring."},
                      recovery_action={"en": "Second contractor from March."}, recovery_due="2026-03-31")
    after_write = briefing_pdf(context(store, "kk"), region="AST", charts=build_chart)
    assert not after_write.cached and after_write.data_version == astana.data_version + 1
    assert briefing_pdf(context(store, "kk"), region="AST", charts=build_chart).cached
    verify_ledger(store.engine, store.directory / "checkpoints", actor="test")
    after_check = briefing_pdf(context(store, "kk"), region="AST", charts=build_chart)
    assert not after_check.cached and after_check.data_version == after_write.data_version
    flat = " ".join(pdf_text(after_check.content).split())
    assert translator("kk")("briefing.ledger.ok") in flat and "Ешқашан тексерілмеген" not in flat
