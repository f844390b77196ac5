"""``/ledger``: the view (a pure function of ``services.ledger_view.LedgerPage``) rendered from the URL on
the demo store — hostile query strings included — and its filter callback called as a plain function
with forged inputs."""

from __future__ import annotations

import dash
import pytest
from dash import dcc, html

from dashboards import _ledger
from data_sources.settings import load_settings
from data_sources.viewer import Viewer
from services.context import make_context
from services.i18n import translator
from tests.dashboards.ui_samples import find, text_of

EN, RU, KK = translator("en"), translator("ru"), translator("kk")


@pytest.fixture
def rendered(monkeypatch, readonly_demo_engine, readonly_database_url):
    """``rendered(params, viewer=None)`` -> ``_ledger.render(params)`` on the shared demo store."""
    def render(params: dict, viewer: Viewer | None = None):
        settings = load_settings({"NATIJE_DATABASE_URL": readonly_database_url})
        lang = params.get("lang") if isinstance(params.get("lang"), str) else "en"
        ctx = make_context(readonly_demo_engine, settings, lang=lang, viewer=viewer)
        monkeypatch.setattr(_ledger, "page_context", lambda _params: ctx)
        return _ledger.render(params)
    return render


def props(component) -> dict:
    return component.to_plotly_json()["props"]


def entries(page) -> list:
    return find(page, cls="nt-ledger__entry")


def links(component) -> list[str]:
    return [link.href for link in find(component, type_=dcc.Link)]


# --- the page ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_chain_the_filters_and_the_newest_entries(rendered, lang):
    page = rendered({"lang": lang})
    t = translator(lang)
    assert page.id == _ledger.LEDGER_PAGE and props(page)["data-page"] == "1"
    total = int(props(page)["data-total"])
    assert total > 5000 and int(props(page)["data-pages"]) == -(-total // 50)
    items = entries(page)
    assert len(items) == 50 and props(items[0])["data-seq"] == str(total)
    text = text_of(page)
    for message_id in ("ledger.title", "ledger.status.heading", "ledger.key.heading", "ledger.checkpoint.heading",
                       "ledger.entries.heading", "ledger.filter.kind"):
        assert t(message_id) in text, message_id
    for component_id in (_ledger.LEDGER_STATUS, _ledger.LEDGER_KIND, _ledger.LEDGER_NODE, _ledger.LEDGER_INDICATOR,
                         _ledger.LEDGER_OFFICIAL, _ledger.LEDGER_APPLY, _ledger.LEDGER_PAGER):
        assert find(page, id_=component_id), component_id
    assert not find(page, id_=_ledger.LEDGER_HISTORY)
    # each entry discloses its canonical payload and both hashes
    first = items[0]
    body = text_of(first)
    assert find(first, type_=html.Details) and find(first, type_=html.Pre)
    assert text_of(find(first, type_=html.Pre)[0]).startswith("{\"")
    assert sum(len(text_of(code)) == 64 for code in find(first, cls="nt-ledger__mono")) == 2 and "№" in body
    older = [href for href in links(find(page, id_=_ledger.LEDGER_PAGER)[0])]
    assert older == [f"/ledger?lang={lang}&page=2"]


def test_the_history_of_a_goal_links_the_officials_and_the_plan(rendered):
    page = rendered({"lang": "en", "node": "NDP-2025", "indicator": "new_schools_built"})
    history = find(page, id_=_ledger.LEDGER_HISTORY)[0]
    text = text_of(history)
    assert "Accountable officials" in text and "Targets" in text and "now" in text and "№" in text
    hrefs = links(history)
    assert "/?lang=en&portfolio=NDP-2025" in hrefs
    assert any(href.startswith("/officials/OF-") and href.endswith("?lang=en") for href in hrefs)
    assert props(page)["data-node"] == "NDP-2025" and props(page)["data-indicator"] == "NEW_SCHOOLS_BUILT"
    assert all(props(item)["data-kind"] in ("target.set", "responsibility.assigned", "responsibility.ended")
               for item in entries(page))
    clear = [link for link in find(page, type_=dcc.Link) if text_of(link) == EN("ledger.filter.clear")]
    assert clear and clear[0].href == "/ledger?lang=en"


def test_a_program_entry_links_its_program_page_and_the_goals_history(rendered):
    page = rendered({"lang": "ru", "node": "NP-HEALTH", "kind": "target.set"})
    hrefs = links(find(page, id_=_ledger.LEDGER_LIST)[0])
    assert "/programs/NP-HEALTH?lang=ru" in hrefs
    assert any(href.startswith("/ledger?lang=ru&node=NP-HEALTH&indicator=") for href in hrefs)


@pytest.mark.parametrize("params", [
    {"kind": "no.such.kind"},
    {"kind": "target.set'; DROP TABLE ledger; --", "page": "0"},
    {"node": "' OR 1=1 --", "indicator": "%", "official": "_"},
    {"node": "<script>alert(1)</script>"},
    {"page": "99999999999999999999999"},
    {"page": "-3"},
    {"page": "2.5", "lang": "xx"},
    {"kind": ["target.set", "approval"], "page": ["2", "9"]},
    {"node": "x" * 10_000},
    {"as_of": "not-a-date", "official": "\x00"},
])
def test_hostile_query_strings_render_a_page(rendered, params):
    page = rendered(params)
    assert page.id == _ledger.LEDGER_PAGE
    assert int(props(page)["data-page"]) <= int(props(page)["data-pages"])
    assert props(page)["data-kind"] in ("", "target.set")
    assert text_of(page)


def test_a_huge_page_number_shows_the_last_page(rendered):
    page = rendered({"lang": "en", "kind": "approval", "page": str(10**40)})
    assert props(page)["data-page"] == props(page)["data-pages"] == "1"
    full = rendered({"lang": "en", "page": "100000"})
    last = int(props(full)["data-pages"])
    assert props(full)["data-page"] == str(last) and props(entries(full)[-1])["data-seq"] == "1"
    assert links(find(full, id_=_ledger.LEDGER_PAGER)[0]) == [f"/ledger?lang=en&page={last - 1}"]


def test_an_unknown_node_says_so_in_the_users_language(rendered):
    page = rendered({"lang": "kk", "node": "NOPE-1"})
    history = find(page, id_=_ledger.LEDGER_HISTORY)[0]
    assert KK("ledger.history.missing", code="NOPE-1") in text_of(history)
    assert KK("ledger.entries.empty") in text_of(page) and not entries(page)


@pytest.mark.parametrize("role", ["public", "kiosk"])
def test_the_public_and_the_wall_display_see_headers_of_instructions(rendered, role):
    page = rendered({"lang": "en", "kind": "instruction.issued"}, Viewer(role))
    items = entries(page)
    assert len(items) == 50 and all(props(item)["data-readable"] == "0" for item in items)
    assert not find(page, type_=html.Pre) and "INS-" not in text_of(find(page, id_=_ledger.LEDGER_LIST)[0])
    assert EN("ledger.entry.withheld") in text_of(items[0])


def test_a_region_scoped_viewer_filtering_another_regions_project_gets_nothing(rendered):
    page = rendered({"lang": "en", "node": "NP-TECH-KST-01"}, Viewer("akim", region="AST"))
    assert props(page)["data-total"] == "0" and EN("ledger.history.missing", code="NP-TECH-KST-01") in text_of(page)


# --- the filter callback ------------------------------------------------------------------------------------

def test_choosing_a_kind_or_applying_codes_sets_the_url():
    target = _ledger.filter_target("target.set", " np-health ", "", None, "?lang=kk&page=4&as_of=2025-01-01")
    assert target == "/ledger?lang=kk&as_of=2025-01-01&kind=target.set&node=NP-HEALTH"
    assert _ledger.filter_target(None, None, None, "of-gov-01", "?lang=en&kind=target.set") == \
        "/ledger?lang=en&official=OF-GOV-01"


@pytest.mark.parametrize(("kind", "node", "indicator", "official"), [
    ("DROP TABLE", None, None, None),
    ({"x": 1}, ["NP"], 42, True),
    (None, "", "   ", None),
])
def test_forged_filter_values_are_dropped_like_the_urls(kind, node, indicator, official):
    assert _ledger.filter_target(kind, node, indicator, official, "?lang=en") is None
    assert _ledger.apply_filters(kind, 1, None, None, None, node, indicator, official, "?lang=en") is dash.no_update


def test_unchanged_filters_do_not_navigate():
    search = "?lang=ru&node=NP-HEALTH&page=3"
    assert _ledger.filter_target(None, "np-health", None, None, search) is None
    assert _ledger.apply_filters(None, 2, 1, None, None, "NP-HEALTH", "", "", search) is dash.no_update
    assert _ledger.apply_filters("approval", 0, None, None, None, "NP-HEALTH", "", "", search) == \
        "/ledger?lang=ru&kind=approval&node=NP-HEALTH"
    assert _ledger.apply_filters("approval", 0, None, None, None, "NP-HEALTH", "", "", None) == \
        "/ledger?kind=approval&node=NP-HEALTH"
