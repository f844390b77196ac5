"""The page views (pure functions of the services' results) and the callbacks, called as functions."""

from __future__ import annotations

import datetime as dt
import types

import dash
import pandas as pd
import pytest
from dash import dcc, html
from dash._callback_context import context_value
from dash._utils import AttributeDict

from dashboards import _ids as ids
from dashboards import _overview, _program, _shell
from services.goals import ASSESSED_COLUMNS
from services.i18n import translator
from tests.dashboards.ui_samples import (find, sample_cards, sample_instructions, sample_node_view, sample_overview,
                                         text_of)

EN, RU, KK = translator("en"), translator("ru"), translator("kk")


# --- overview ---------------------------------------------------------------------------------------

def test_overview_has_cards_programs_alerts_and_the_portfolio_selector():
    page = _overview.overview_view(sample_overview(), EN, {"lang": "en"})
    assert len(find(page, id_=ids.KPI_GRID)[0].children) >= 8
    assert len(find(page, cls="nt-tile")) == 5
    strip = find(page, id_=ids.ALERT_STRIP)[0]
    counts = [text_of(b.children[1]) for b in find(strip, type_=html.Button)]
    assert counts == ["2", "3", "2"]
    selector = find(page, id_=ids.PORTFOLIO_SELECTOR)[0]
    links = find(selector, type_=dcc.Link)
    assert [link.href for link in links] == ["/?lang=en&portfolio=NDP-2029", "/?lang=en&portfolio=NDP-2025"]
    current = [li for li in find(selector, type_=html.Li) if li.to_plotly_json()["props"].get("aria-current")]
    assert len(current) == 1 and "НПР до 2029" in text_of(current[0])
    text = text_of(page)
    assert "Национальный план развития до 2029 года" in text
    assert "Accountable: Бектенов О., Премьер-министр" in text
    assert "Data as of 15 Nov 2025" in text


def test_overview_without_a_second_portfolio_has_no_selector():
    ov = sample_overview(portfolios=pd.DataFrame([{"code": "NDP-2029", "name": "x"}]))
    assert not find(_overview.overview_view(ov, EN, {}), id_=ids.PORTFOLIO_SELECTOR)


def test_overview_of_an_unknown_portfolio_is_a_friendly_not_found_in_the_users_language():
    page = _overview.overview_view(None, KK, {"lang": "kk", "portfolio": "NOPE"})
    text = text_of(page)
    assert KK("notfound.portfolio_heading") in text and "NOPE" in text
    assert find(page, type_=dcc.Link)[0].href == "/?lang=kk"


def test_overview_with_empty_frames_still_renders():
    empty = sample_overview(cards=pd.DataFrame(columns=sample_cards().columns), programs=pd.DataFrame(),
                            off_track=pd.DataFrame(), overdue=pd.DataFrame(), stale=pd.DataFrame())
    text = text_of(_overview.overview_view(empty, RU, {"lang": "ru"}))
    assert RU("overview.kpis.empty") in text and RU("overview.programs.empty") in text


def test_render_calls_the_service_with_the_url_portfolio(monkeypatch):
    seen = {}
    ctx = types.SimpleNamespace(t=RU)
    monkeypatch.setattr(_overview, "page_context", lambda params: ctx)

    def fake_build(context, code):
        seen["args"] = (context, code)
        return sample_overview()

    monkeypatch.setattr(_overview, "build_overview", fake_build)
    monkeypatch.setattr(_overview, "page_words", lambda c, goals, nodes=(): None)  # the owners' words: own tests
    page = _overview.render({"lang": "ru", "portfolio": ["NDP-2025", "x"]})
    assert seen["args"] == (ctx, "NDP-2025")
    assert find(page, id_=ids.KPI_GRID)


def _trigger(component_id: dict):
    prop = ids.dom_id(component_id) + ".n_clicks"
    return context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop, "value": 1}]))


def test_alert_toggle_callback_opens_one_list_and_sets_aria_expanded():
    panel_ids = [ids.alert_panel_id(k) for k in ids.ALERT_KINDS]
    token = _trigger(ids.alert_button_id("overdue"))
    try:
        opened, aria = _overview.toggle_alert_panels([0, 1, 0], [False, False, False], panel_ids)
        assert opened == [False, True, False] and aria == ["false", "true", "false"]
        closed, aria = _overview.toggle_alert_panels([0, 2, 0], [False, True, False], panel_ids)
        assert closed == [False, False, False] and aria == ["false", "false", "false"]
    finally:
        context_value.reset(token)


def test_alert_toggle_callback_ignores_forged_ids():
    panel_ids = [ids.alert_panel_id(k) for k in ids.ALERT_KINDS]
    token = _trigger({"type": ids.ALERT_BUTTON, "key": "secrets"})
    try:
        states, _ = _overview.toggle_alert_panels([1, 0, 0], [True, False, False], panel_ids)
        assert states == [True, False, False]
    finally:
        context_value.reset(token)


# --- program ----------------------------------------------------------------------------------------

def test_program_page_shows_name_owner_breadcrumb_and_its_goals_figures():
    page = _program.program_view(sample_node_view(), EN, {"lang": "en"}, "NP-HEALTH", today=dt.date(2025, 11, 15),
                                 instructions=sample_instructions())
    text = text_of(page)
    assert "Здоровая нация" in text
    assert "Accountable: Альназарова А., Министр здравоохранения" in text
    crumbs = find(page, id_=ids.BREADCRUMB)[0]
    links = find(crumbs, type_=dcc.Link)
    assert [link.href for link in links] == ["/?lang=en&portfolio=NDP-2029"]
    table = find(page, id_=ids.PROGRAM_GOALS)[0]
    table_text = text_of(table)
    assert "75.1" in table_text and "75.0" in table_text and EN("status.green") in table_text
    assert "причина green" in table_text  # status + reason
    # every goal gets its chart with status and reason (the cards of the overview are not repeated)
    assert len(find(page, cls="nt-goal")) == 3 and not find(page, cls="nt-kpi")
    grid = [node for node in find(page) if getattr(node, "rowData", None)][0]
    assert grid.rowData[0]["name"] == "Больница в Астане" and grid.rowData[0]["state"] == EN("state.active")
    listed = find(page, id_="program-instructions")[0]  # the program's and its projects' instructions
    rows = [node for node in find(listed) if getattr(node, "rowData", None)][0].rowData
    assert [row["code"] for row in rows] == ["INS-7", "INS-3"] and "75" in rows[0]["state_text"]
    # headline goals come first in the goals table
    first_row = find(table, type_=html.Tr)[1]
    assert "Рост реального ВВП" in text_of(first_row)


def test_program_cards_get_the_series_as_their_trend():
    cards = sample_node_view().cards
    row = cards.set_index("indicator").loc["IND_0"]
    assert row["spark_values"] == [73.0, 74.2, 75.1]
    assert row["owner_name"] == "Альназарова А."


def test_program_page_without_goals_says_so():
    view = sample_node_view(goals=pd.DataFrame(columns=list(ASSESSED_COLUMNS)))
    text = text_of(_program.program_view(view, RU, {"lang": "ru"}, "NP-HEALTH"))
    assert RU("program.goals.empty") in text


@pytest.mark.parametrize("view", [None, sample_node_view(level="project")])
def test_unknown_or_non_program_code_is_not_found_with_a_way_back(view):
    page = _program.program_view(view, KK, {"lang": "kk"}, "NOPE")
    text = text_of(page)
    assert KK("notfound.program_heading") in text and "NOPE" in text
    assert find(page, type_=dcc.Link)[0].href == "/?lang=kk"


# --- the shell --------------------------------------------------------------------------------------

def test_language_switch_keeps_path_and_other_parameters():
    nav = _shell.language_switch("/programs/NP-HEALTH", {"lang": "ru", "as_of": "2025-10-01"}, "ru", RU)
    links = find(nav, type_=html.A)
    assert [a.href for a in links] == [f"/programs/NP-HEALTH?lang={code}&as_of=2025-10-01" for code in ("kk", "ru", "en")]
    assert [a.lang for a in links] == ["kk", "ru", "en"]
    current = [a for a in links if a.to_plotly_json()["props"].get("aria-current")]
    assert [a.lang for a in current] == ["ru"]


def test_navbar_shows_the_demo_badge_only_for_demo_data():
    with_demo = _shell.navbar("en", EN, path="/", params={"lang": "en"}, is_demo=True)
    without = _shell.navbar("en", EN, path="/", params={"lang": "en"}, is_demo=False)
    assert find(with_demo, id_=ids.DEMO_BADGE) and not find(without, id_=ids.DEMO_BADGE)
    assert EN("demo.badge") in text_of(with_demo)


def test_navbar_as_of_badge_links_back_to_today():
    bar = _shell.navbar("en", EN, path="/", params={"lang": "en", "as_of": "2025-10-01"}, is_demo=False,
                        as_of=dt.date(2025, 10, 1))
    links = [link for link in find(bar, type_=dcc.Link) if "nt-badge" in (link.className or "")]
    assert links[0].href == "/?lang=en"


@pytest.fixture
def fake_context(monkeypatch):
    ctx = types.SimpleNamespace(is_demo=True, today=dt.date(2025, 11, 15))
    monkeypatch.setattr(_shell, "page_context", lambda params: ctx)
    monkeypatch.setattr(_shell, "default_lang", lambda: "ru")
    return ctx


def test_with_shell_wraps_in_navbar_main_and_footer(fake_context):
    page = {"module": "x", "path": "/programs/<code>", "path_template": "/programs/<code>"}
    seen = {}

    def layout(code=None, **params):
        seen.update(code=code, params=params)
        return html.Div("content", id="content")

    out = _shell.with_shell(page, layout)(code="NP-HEALTH", lang="kk", portfolio="NDP-2029")
    assert seen == {"code": "NP-HEALTH", "params": {"lang": "kk", "portfolio": "NDP-2029"}}
    assert find(out, id_=ids.PAGE_LANG)[0].data == "kk"
    assert find(out, id_=ids.NAVBAR) and find(out, id_=ids.MAIN) and find(out, id_="content")
    switch = find(out, id_=ids.LANG_SWITCH)[0]
    assert find(switch, type_=html.A)[2].href == "/programs/NP-HEALTH?lang=en&portfolio=NDP-2029"
    assert KK("demo.badge") in text_of(out)


def test_with_shell_honours_shell_false(fake_context):
    out = _shell.with_shell({"module": "kiosk", "path": "/kiosk", "shell": False},
                            lambda **params: html.Div("wall", id="wall"))(lang="en")
    assert find(out, id_="wall") and find(out, id_=ids.PAGE_LANG)[0].data == "en"
    assert not find(out, id_=ids.NAVBAR)


def test_with_shell_turns_an_exception_into_a_friendly_panel(fake_context, caplog):
    def broken(**params):
        raise RuntimeError("database on fire")

    out = _shell.with_shell({"module": "x", "path": "/"}, broken)(lang="en")
    text = text_of(out)
    assert EN("error.heading") in text and "database on fire" not in text and "Traceback" not in text
    assert "database on fire" in caplog.text  # logged for the operators


def test_with_shell_defaults_to_natije_lang(fake_context):
    out = _shell.with_shell({"module": "x", "path": "/"}, lambda **p: html.Div())(lang="xx")
    assert find(out, id_=ids.PAGE_LANG)[0].data == "ru"


def test_install_wraps_each_page_once():
    def layout(**params):
        return html.Div()

    registry = {"a": {"module": "a", "path": "/", "layout": layout}, "b": {"module": "b", "path": "/b", "layout": "static"}}
    _shell.install(registry)
    wrapped = registry["a"]["layout"]
    assert wrapped is not layout and wrapped.__wrapped__ is layout
    _shell.install(registry)
    assert registry["a"]["layout"] is wrapped and registry["b"]["layout"] == "static"


def test_current_path_outside_a_callback_fills_the_template():
    assert _shell.current_path({"path_template": "/programs/<code>", "path": "/programs/none"}, {"code": "X"}) == "/programs/X"
    assert _shell.current_path({"path": "/"}, {}) == "/"
    assert dash.__version__ >= "4"
