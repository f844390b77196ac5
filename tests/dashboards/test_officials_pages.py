"""``/officials``, ``/officials/<code>`` and ``/instructions``: the views from sample frames (exactly the
services' columns), and the pages rendered against the demo store from hostile URLs."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from dash import dcc, html

from dashboards import _instructions, _officials
from dashboards._instructions import (
    INSTRUCTIONS_PAGE,
    VIEW_TABS,
    instruction_rows,
    page_number,
    parse_filters,
)
from data_sources.settings import load_settings
from services.context import make_context
from services.i18n import translator
from services.instructions import VIEWS, InstructionFilters, InstructionListing
from services.officials import FIGURE_COLUMNS, HELD_COLUMNS, LIST_COLUMNS, NODE_COLUMNS, Scorecard
from tests.dashboards.ui_samples import TODAY, find, sample_instructions, text_of

EN, RU, KK = translator("en"), translator("ru"), translator("kk")


def figures(**changes) -> dict:
    values = {column: 0 for column in FIGURE_COLUMNS}
    values.update(goals=4, share_red=0.25, share_amber=0.25, share_green=0.5, off_track_share=0.25,
                  off_track_share_previous=0.0, off_track_share_change=0.25, overdue_instructions=3, overdue_own=1,
                  overdue_escalated=2, overdue_instructions_change=-1)
    for status in ("missed", "amber_red", "amber_green", "achieved", "no_data"):
        values[f"share_{status}"] = 0.0
    values.update(changes)
    return values


def sample_officials() -> pd.DataFrame:
    rows = [
        {"code": "OF-MOH-01", "name": "Альназарова А.", "post": "Министр здравоохранения", "kind": "political",
         "agency": "MOH", "agency_name": "Минздрав", "region": "KZ", "region_name": "Казахстан", "nodes": 2,
         **figures()},
        {"code": "OF-AST-HLT-01", "name": "Ким Л.", "post": "Руководитель управления", "kind": "administrative",
         "agency": "AKIMAT-AST", "agency_name": "Акимат Астаны", "region": "AST", "region_name": "Астана", "nodes": 0,
         **figures(goals=0, share_red=float("nan"), share_amber=float("nan"), share_green=float("nan"),
                   off_track_share=float("nan"), off_track_share_change=float("nan"), overdue_escalated=0,
                   overdue_instructions=1)},
    ]
    return pd.DataFrame(rows, columns=list(LIST_COLUMNS))


def sample_scorecard(**changes) -> Scorecard:
    goals = pd.DataFrame([
        {"node": "NP-HEALTH", "node_level": "program", "node_name": "Здоровая нация", "goal_id": 25,
         "indicator": "HEALTHCARE_SATISFACTION", "name": "Удовлетворённость", "for_goal": False,
         "valid_from": dt.date(2021, 10, 12), "valid_to": None, "goal_kind": "political", "status": "red",
         "reason_text": "Red: forecast 70.8 vs target 80.0", "previous_status": "amber", "latest_value": 64.9,
         "latest_period": "2024", "target_value": 80.0, "target_year": 2025, "unit": "percent", "unit_label": "%",
         "decimals": 1,
         "progress": 0.53},
    ], columns=list(HELD_COLUMNS))
    before = goals.assign(valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2021, 10, 11), status="green",
                          reason_text="Green: on track", previous_status=None)
    words = pd.DataFrame([{"node": "NP-HEALTH", "indicator": "HEALTHCARE_SATISFACTION", "official_name": "Альназарова А.",
                           "official_post": "Министр", "on_behalf": False, "status": "red",
                           "text": "Опросы показали падение доверия", "text_lang": "ru",
                           "recovery_action": "Запустить горячую линию", "recovery_lang": "ru",
                           "recovery_due": dt.date(2025, 12, 31), "recorded_on": dt.date(2025, 11, 10),
                           "overdue": False}])
    values = dict(
        official={"code": "OF-MOH-01", "name": "Альназарова А.", "post": "Министр здравоохранения", "kind": "political",
                  "agency": "MOH", "agency_name": "Минздрав", "region": "KZ", "region_name": "Казахстан"},
        figures=figures(goals=1, share_red=1.0, share_amber=0.0, share_green=0.0, off_track_share=1.0),
        goals=goals, before=before,
        nodes=pd.DataFrame([{"node": "NDP-2029", "node_level": "portfolio", "node_name": "НПР-2029",
                             "valid_from": dt.date(2024, 1, 1), "goal_kind": "political"}], columns=list(NODE_COLUMNS)),
        own_overdue=sample_instructions().iloc[:1], escalated_overdue=sample_instructions().iloc[:1],
        words=words, recovery={"actions": 1, "overdue": 0}, previous_quarter_end=dt.date(2025, 9, 30),
    )
    values.update(changes)
    return Scorecard(**values)


def sample_listing(view: str = "all", **changes) -> InstructionListing:
    groups = None
    if view.startswith("overdue_"):
        groups = pd.DataFrame([{"key": "OF-AST-HLT-01", "name": "Ким Л.", "post": "Руководитель", "agency_name": "Акимат",
                                "region": "AST", "overdue": 1, "oldest_due": dt.date(2025, 9, 1), "days_overdue": 75}])
    elif view == "by_meeting":
        groups = pd.DataFrame([{"meeting_date": dt.date(2025, 8, 1), "issued_by": "OF-AKIM-AST-01",
                                "issued_by_name": "Байжанов М.", "issued_by_post": "Аким", "meeting": "Совещание акимата",
                                "region": "AST", "instructions": 2, "done": 1, "outstanding": 1, "overdue": 1}])
    values = dict(view=view, rows=sample_instructions() if view != "by_meeting" else sample_instructions().iloc[:0],
                  total=120, page=2, pages=3, page_size=50, groups=groups,
                  counts={"all": 120, "due_week": 1, "overdue": 13}, filters=InstructionFilters(), visible=True)
    values.update(changes)
    return InstructionListing(**values)


def grids(page) -> list:
    return [node for node in find(page) if getattr(node, "rowData", None) is not None]


# --- /officials ---------------------------------------------------------------------------------------------

def test_the_list_links_every_name_to_its_scorecard_and_shows_shares_in_words():
    page = _officials.officials_view(sample_officials(), RU, {"lang": "ru"}, total=2, query=None, kind=None,
                                     sort="name", page=1, today=TODAY)
    assert page.id == _officials.OFFICIALS_PAGE
    links = [link.href for link in find(page, type_=dcc.Link)]
    assert "/officials/OF-MOH-01?lang=ru" in links and "/officials/OF-AST-HLT-01?lang=ru" in links
    assert "/regions/AST?lang=ru" in links
    text = text_of(page)
    assert RU("acc.kind.political") in text and RU("acc.kind.administrative") in text
    bar = find(page, cls="nt-share")[0]  # the bar says its shares in words, not colour alone
    label = bar.to_plotly_json()["props"]["aria-label"]
    assert RU("status.red") in label and "25" in label and RU("status.green") in label
    assert RU("acc.overdue.split", own="1", escalated="2") in text
    assert RU("acc.points", value="+25") in text
    assert RU("acc.no_goals") in text


def test_the_search_is_a_plain_form_keeping_language_and_order():
    form = _officials.search_form({"lang": "kk", "sort": "overdue", "q": "x"}, KK, "министр")
    assert form.action == "/officials" and form.method == "GET"
    hidden = {node.name: node.value for node in find(form, type_=dcc.Input) if node.type == "hidden"}
    assert hidden == {"lang": "kk", "sort": "overdue"}
    assert [node.value for node in find(form, type_=dcc.Input) if node.name == "q"] == ["министр"]


def test_an_empty_search_says_so():
    page = _officials.officials_view(sample_officials().iloc[:0], EN, {}, total=0, query="zzz", kind=None,
                                     sort="name", page=1, today=None)
    assert EN("acc.officials.none") in text_of(page)


# --- /officials/<code> ------------------------------------------------------------------------------------------

def test_the_scorecard_shows_goals_reasons_words_and_both_kinds_of_overdue_instructions():
    page = _officials.scorecard_view(sample_scorecard(), EN, {"lang": "en"}, "OF-MOH-01", today=TODAY)
    assert page.id == _officials.OFFICIAL_PAGE
    props = page.to_plotly_json()["props"]
    assert (props["data-overdue-own"], props["data-overdue-escalated"]) == ("1", "2")
    text = text_of(page)
    for words in ("Альназарова А.", EN("acc.kind.political"), "forecast 70.8 vs target 80.0",
                  EN("acc.goal_kind.political"), "Опросы показали падение доверия", "Запустить горячую линию",
                  EN("acc.goals.before"), EN("acc.nodes.heading"), EN("acc.overdue.own"), EN("acc.overdue.escalated"),
                  EN("acc.col.previous_status", date="30 Sept 2025")):
        assert words in text, words
    links = [link.href for link in find(page, type_=dcc.Link)]
    assert "/programs/NP-HEALTH?lang=en" in links and "/?lang=en&portfolio=NDP-2029" in links
    own, escalated = (grids(find(page, id_=f"official-overdue-{key}")[0])[0] for key in ("own", "escalated"))
    assert own.rowData[0]["assignee_md"] == "[Ким Л\\.](/officials/OF-AST-HLT-01?lang=en)  \nАкимат Астаны"
    assert escalated.rowData[0]["code"] == "INS-7"


def test_a_scorecard_with_nothing_says_so_in_words():
    empty = sample_scorecard(goals=sample_scorecard().goals.iloc[:0], before=sample_scorecard().before.iloc[:0],
                             nodes=sample_scorecard().nodes.iloc[:0], own_overdue=sample_instructions().iloc[:0],
                             escalated_overdue=sample_instructions().iloc[:0], words=pd.DataFrame(columns=["node"]))
    text = text_of(_officials.scorecard_view(empty, KK, {"lang": "kk"}, "OF-MOH-01", today=TODAY))
    for message in ("acc.goals.none", "acc.overdue.own_none", "acc.overdue.escalated_none"):
        assert KK(message) in text


def test_an_unknown_official_is_a_friendly_not_found_with_a_way_back():
    page = _officials.scorecard_view(None, RU, {"lang": "ru"}, "NOPE")
    assert RU("acc.notfound.heading") in text_of(page) and "NOPE" in text_of(page)
    assert find(page, type_=dcc.Link)[0].href == "/officials?lang=ru"


# --- /instructions ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("view", VIEWS)
def test_every_view_has_its_tabs_as_links_and_its_grids(view):
    params = {"lang": "en", "view": view, "page": "2"}
    page = _instructions.instructions_view(sample_listing(view), EN, params, today=TODAY)
    assert page.id == INSTRUCTIONS_PAGE and page.to_plotly_json()["props"]["data-view"] == view
    tabs = find(page, id_=VIEW_TABS)[0]
    hrefs = [link.href for link in find(tabs, type_=dcc.Link)]
    assert hrefs == ["/instructions?lang=en"] + [f"/instructions?lang=en&view={v}" for v in VIEWS[1:]]
    current = [item for item in find(tabs, type_=html.Li) if item.to_plotly_json()["props"].get("aria-current")]
    assert len(current) == 1 and EN(f"acc.view.{view}") in text_of(current[0])
    assert EN(f"acc.view_lead.{view}") in text_of(page)
    found = grids(page)
    if view == "by_meeting":
        meeting = found[0].rowData[0]
        assert meeting["chair_md"] == "[Байжанов М\\.](/officials/OF-AKIM-AST-01?lang=en)"
        assert "meeting_date=2025-08-01" in meeting["meeting_md"] and "issued_by=OF-AKIM-AST-01" in meeting["meeting_md"]
    else:
        rows = found[-1].rowData
        assert [row["code"] for row in rows] == ["INS-7", "INS-3"]
        assert rows[0]["escalation_md"].startswith("[Альназарова А\\.](/officials/OF-MOH-01")
        assert rows[1]["escalation_md"] == "–"  # only an overdue instruction escalates
        columns = [column.get("colId", column["field"]) for column in found[-1].columnDefs]
        assert columns == ["text", "state", "due", "assignee", "linked", "escalation", "done_report"]
        # every field of an instruction is on screen: code, meeting and issuer with the text, agency under
        # the assignee, the report under the day it was done
        assert rows[0]["text_md"] == ("Ускорить строительство  \n`INS-7` · Совещание акимата, 1 Aug 2025  \n"
                                      "Issued by [Байжанов М\\.](/officials/OF-AKIM-AST-01?lang=en) on 1 Aug 2025")
        assert rows[1]["done_report_md"] == "20 Jul 2024  \nИсполнено"
    pager = find(page, cls="nt-pager")[0]
    assert [link.href for link in find(pager, type_=dcc.Link)] == [
        f"/instructions?lang=en&view={view}", f"/instructions?lang=en&view={view}&page=3"]


def test_filters_in_force_can_be_removed_one_by_one():
    params = {"lang": "ru", "assignee": "OF-AST-HLT-01", "region": "AST", "page": "2"}
    listing = sample_listing(filters=InstructionFilters(assignee="OF-AST-HLT-01", region="AST"))
    chips = find(_instructions.instructions_view(listing, RU, params, today=TODAY), cls="nt-chip")
    assert [chip.href for chip in chips] == ["/instructions?lang=ru&region=AST", "/instructions?lang=ru&assignee=OF-AST-HLT-01",
                                             "/instructions?lang=ru"]
    assert RU("acc.filter.assignee", value="Ким Л.") in text_of(chips[0])  # named, not coded


def test_the_public_is_told_instructions_are_internal():
    page = _instructions.instructions_view(sample_listing(visible=False), EN, {}, today=TODAY)
    assert EN("acc.instructions.hidden") in text_of(page) and not grids(page)


def test_states_are_words_with_icons_and_dates_are_the_locales():
    rows = instruction_rows(sample_instructions(), KK, {"lang": "kk"})
    assert rows[0]["state_text"] == "✕\u00a0" + KK("instruction.overdue_days", days="75")
    assert rows[1]["state_text"] == "✓\u00a0" + KK("instruction.done")
    assert rows[0]["due"] == "2025-09-01" and rows[0]["due_text"] == KK.date(dt.date(2025, 9, 1))
    soon = sample_instructions().iloc[:1].assign(state="due_soon", days_left=3, days_overdue=0)
    assert instruction_rows(soon, EN, {})[0]["state_text"] == "◔\u00a0" + EN("acc.instruction.due_in", days="3")
    assert instruction_rows(soon.assign(days_left=0), EN, {})[0]["state_text"] == "◔\u00a0" + EN("acc.instruction.due_today")


def test_names_are_markdown_escaped():
    hostile = sample_instructions().iloc[:1].assign(assignee_name="[x](javascript:alert(1))", text="**bold** <b>")
    row = instruction_rows(hostile, EN, {})[0]
    assert row["assignee_md"].startswith("[\\[x\\]\\(javascript:alert\\(1\\)\\)](/officials/OF-AST-HLT-01)")
    assert "\\*\\*bold\\*\\* \\<b\\>" in row["text_md"]


def test_the_url_parameters_are_parsed_defensively():
    assert page_number({"page": "-3"}) == 1 and page_number({"page": "x"}) == 1 and page_number({"page": ["4", "5"]}) == 4
    assert page_number({"page": "99999999999999"}) == 1_000_000
    filters = parse_filters({"assignee": "A" * 65, "agency": " MOH ", "meeting_date": "2025-13-45", "node": ["NP-X"]})
    assert filters == InstructionFilters(agency="MOH", node="NP-X")


# --- the pages against the demo store, from hostile URLs ----------------------------------------------------------

@pytest.fixture
def demo_context(monkeypatch, readonly_demo_engine, readonly_database_url):
    settings = load_settings({"NATIJE_DATABASE_URL": readonly_database_url})

    def context(params):
        from dashboards._shell import page_lang
        from dashboards._urls import parse_as_of

        return make_context(readonly_demo_engine, settings, lang=page_lang(params), as_of=parse_as_of(params.get("as_of")))

    for module in (_officials, _instructions):
        monkeypatch.setattr(module, "page_context", context)
    return context


HOSTILE = ["\x00' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "A" * 3000, "%", ["x", "y"], ""]


@pytest.mark.datalayer
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_query_strings_render_friendly_pages(demo_context, value):
    params = {"lang": value, "as_of": value, "q": value, "kind": value, "sort": value, "page": value}
    officials = _officials.render_list(params)
    assert officials.id == _officials.OFFICIALS_PAGE
    json.dumps(officials.to_plotly_json(), default=str)
    listing = _instructions.render({**params, "view": value, **{name: value for name in _instructions.FILTER_PARAMS}})
    assert listing.id == INSTRUCTIONS_PAGE
    json.dumps(listing.to_plotly_json(), default=str)
    card = _officials.render_scorecard(value if isinstance(value, str) else "x", params)
    assert EN("acc.notfound.heading") in text_of(card) or RU("acc.notfound.heading") in text_of(card)


@pytest.mark.datalayer
def test_the_pages_render_from_the_demo_store_in_every_language(demo_context):
    for lang, t in (("kk", KK), ("ru", RU), ("en", EN)):
        officials = _officials.render_list({"lang": lang, "sort": "overdue"})
        assert t("acc.officials.title") in text_of(officials)
        code = find(officials, cls="nt-official__name")[0].href.split("/officials/")[1].split("?")[0]
        card = _officials.render_scorecard(code, {"lang": lang})
        assert card.id == _officials.OFFICIAL_PAGE
        assert int(card.to_plotly_json()["props"]["data-overdue-escalated"]) > 0
        for view in VIEWS:
            page = _instructions.render({"lang": lang, "view": view})
            assert page.to_plotly_json()["props"]["data-view"] == view and grids(page)
