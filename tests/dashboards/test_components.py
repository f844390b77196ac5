"""Cards, badges, tiles, tables and the alert strip, on small frames built in code."""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
import pandas as pd
import pytest
from dash import dcc, html

from dashboards import _components as c
from dashboards import _ids as ids
from dashboards._theme import STATUS
from services.i18n import translator
from tests.dashboards.ui_samples import find, sample_cards, sample_off_track, sample_overdue, sample_programs, sample_stale, text_of

EN, RU, KK = translator("en"), translator("ru"), translator("kk")


# --- values -----------------------------------------------------------------------------------------

def test_val_treats_missing_and_nan_alike():
    row = pd.Series({"a": 1.0, "b": float("nan"), "c": None, "d": pd.NaT, "e": [1, 2], "f": "x"})
    assert c.val(row, "a") == 1.0
    assert c.val(row, "b", "-") == "-"
    assert c.val(row, "c", "-") == "-"
    assert c.val(row, "d", "-") == "-"
    assert c.val(row, "e") == [1, 2]
    assert c.val(row, "zzz", 5) == 5
    assert c.val(None, "a", 3) == 3


def test_format_value_uses_the_locale_and_money_for_tenge():
    assert c.format_value(1234.56, EN, decimals=1) == "1,234.6"
    assert c.format_value(1234.56, RU, decimals=1).replace("\u00a0", " ") == "1 234,6"
    assert c.format_value(1.6e13, RU, unit="kzt") == "16,0 трлн ₸"
    assert c.format_value(None, EN) == "–"
    assert c.format_value(float("nan"), EN) == "–"


@pytest.mark.parametrize("label,en,kk", [
    ("2024", "2024", "2024 ж."),
    ("2025-Q2", "Q2 2025", "2025 ж. 2-тоқсан"),
    ("2025-09", "September 2025", "Қыркүйек 2025"),
    ("weird", "weird", "weird"),
])
def test_period_text(label, en, kk):
    assert c.period_text(label, EN) == en
    assert c.period_text(label, KK) == kk


def test_period_labels_from_period_starts_read_the_frequency_from_the_spacing():
    years = [pd.Timestamp(2019 + i, 1, 1) for i in range(3)]
    quarters = [pd.Timestamp(2024, m, 1) for m in (1, 4, 7)]
    months = [dt.date(2024, m, 1) for m in (5, 6, 7)]
    assert c.period_labels(years) == ["2019", "2020", "2021"]
    assert c.period_labels(quarters) == ["2024-Q1", "2024-Q2", "2024-Q3"]
    assert c.period_labels(months) == ["2024-05", "2024-06", "2024-07"]
    assert c.period_labels(["2024", "2025"]) == ["2024", "2025"]
    assert c.period_labels(None) == []


# --- badges -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", list(STATUS))
def test_status_badge_has_icon_name_and_colour(status):
    badge = c.status_badge(status, EN, reason="because")
    icon, name = badge.children
    assert icon.children == STATUS[status].icon and icon.to_plotly_json()["props"]["aria-hidden"] == "true"
    assert name.children == EN(f"status.{status}") and name.children != f"status.{status}"
    assert badge.style["color"] == STATUS[status].fg
    assert badge.title == f"{EN(f'status.{status}')}: because"


def test_interactive_status_badge_is_a_keyboard_button_with_the_id():
    badge = c.status_badge("red", EN, interactive=True, component_id=ids.kpi_status_id(7))
    assert isinstance(badge, html.Button)
    assert badge.id == {"type": ids.KPI_STATUS, "key": "7"}
    assert badge.type == "button"


def test_unknown_status_renders_as_no_data():
    assert c.status_badge("weird", EN).children[1].children == EN("status.no_data")


def test_freshness_badge_only_for_late_or_stale():
    assert c.freshness_badge("fresh", EN) is None
    assert c.freshness_badge(None, EN) is None
    late = c.freshness_badge("late", EN, next_due=dt.date(2025, 10, 1))
    assert EN("freshness.late") in text_of(late)
    assert "1 Oct 2025" in late.title


def test_status_summary_counts_worst_first():
    summary = c.status_summary(["green", "red", "green", None], EN)
    texts = [text_of(li) for li in summary.children]
    assert texts[0].startswith(STATUS["red"].icon) and " 1 " in texts[0]
    assert any(" 2 " in t and EN("status.green") in t for t in texts)
    assert any(EN("status.no_data") in t for t in texts)


# --- KPI cards --------------------------------------------------------------------------------------

def test_kpi_card_shows_value_vs_target_status_reason_trend_owner_and_period():
    row = sample_cards().iloc[0]  # 75.1 of 75.0 years, green, fresh, yearly
    card = c.kpi_card(row, EN, {"lang": "en"})
    text = text_of(card)
    assert card.id == ids.kpi_card_id(100)
    assert "75.1" in text and "of 75.0 by 2029" in text
    assert "75.1 of 75.0" in text  # the accessible summary: "30 of 60"
    assert "лет" in text  # the unit label
    assert EN("status.green") in text
    assert "Иванов И. 0" in text and "Министр национальной экономики" in text
    assert "Value for 2024" in text
    badge = find(card, type_=html.Button)[0]
    assert "причина green" in badge.title  # reason on hover
    popover = find(card, type_=dbc.Popover)[0]  # and on click
    assert popover.target == ids.dom_id(ids.kpi_status_id(100)) and "причина green" in text_of(popover)
    graph = find(card, type_=dcc.Graph)[0]
    assert graph.config["staticPlot"] is True and graph.config["displayModeBar"] is False
    assert len(graph.figure.data) == 2


def test_kpi_card_money_late_data_and_missing_value():
    cards = sample_cards()
    money = text_of(c.kpi_card(cards.iloc[4], RU))  # kzt, stale
    assert "16,0 трлн ₸" in money and "25,0 трлн ₸" in money
    assert RU("freshness.stale") in money
    empty = c.kpi_card(cards.iloc[7], EN)  # no value, no trend
    text = text_of(empty)
    assert "–" in text and EN("kpi.no_trend") in text and EN("kpi.no_value") in text
    assert not find(empty, type_=dcc.Graph)


def test_kpi_card_without_target_or_owner():
    row = sample_cards().iloc[0].copy()
    row["target_value"] = None
    row["owner_name"] = None
    text = text_of(c.kpi_card(row, EN))
    assert EN("kpi.no_target") in text and EN("kpi.no_owner") in text


def test_kpi_card_in_kazakh_puts_the_target_in_kazakh_words():
    text = text_of(c.kpi_card(sample_cards().iloc[0], KK))
    assert "2029 жылғы мақсат: 75,0" in text
    assert "75,0 ішінен 75,1" in text


def test_kpi_grid_has_one_card_per_row_or_an_empty_note():
    grid = c.kpi_grid(sample_cards(), EN)
    assert grid.id == ids.KPI_GRID and len(grid.children) == len(sample_cards())
    assert EN("overview.kpis.empty") in text_of(c.kpi_grid(pd.DataFrame(), EN))


def test_progress_bar_is_an_accessible_progressbar():
    bar = c._progress_bar(0.5, 0.7, "amber", EN)
    track = find(bar, cls="nt-progress__track")[0].to_plotly_json()["props"]
    assert track["role"] == "progressbar" and track["aria-valuenow"] == "50"
    assert "70%" in track["aria-label"]
    assert c._progress_bar(None, None, "green", EN) is None


# --- programs ---------------------------------------------------------------------------------------

def test_program_tile_links_to_the_program_keeping_the_language():
    tile = c.program_tile(sample_programs().iloc[0], KK, {"lang": "kk", "portfolio": "NDP-2029"})
    assert isinstance(tile, dcc.Link)
    assert tile.href == "/programs/NP-HEALTH?lang=kk"
    text = text_of(tile)
    assert "Здоровая нация" in text and "Сейітов А." in text
    assert KK("status.red") in text and KK("program.off_track") in text


def test_program_grid_groups_by_kind_in_a_fixed_order():
    grid = c.program_grid(sample_programs(), EN, {"lang": "en"})
    titles = [text_of(section.children[0]) for section in grid.children]
    assert titles[0].startswith(EN("kind.national_project"))
    assert titles[1].startswith(EN("kind.state_program"))
    assert titles[2].startswith(EN("kind.territorial_program"))
    assert len(find(grid, type_=dcc.Link)) == len(sample_programs())
    assert EN("overview.programs.empty") in text_of(c.program_grid(pd.DataFrame(), EN))


def test_unknown_program_kind_goes_under_other_programs():
    programs = sample_programs().assign(kind="something_new")
    grid = c.program_grid(programs, EN)
    assert text_of(grid.children[0].children[0]).startswith(EN("kind.other"))


# --- tables and the alert strip ---------------------------------------------------------------------

def test_tables_have_headers_and_one_row_per_item():
    for table, n in ((c.off_track_table(sample_off_track(), EN, {"lang": "en"}, "NDP-2029"), 2),
                     (c.overdue_table(sample_overdue(3), EN), 3), (c.stale_table(sample_stale(), EN), 2)):
        head, body = [p for p in table.children if isinstance(p, (html.Thead, html.Tbody))]
        assert all(th.scope == "col" for th in head.children.children)
        assert len(body.children) == n


def test_off_track_table_links_programs_but_not_the_portfolio_itself():
    table = c.off_track_table(sample_off_track(), EN, {"lang": "en"}, "NDP-2029")
    links = find(table, type_=dcc.Link)
    assert [link.href for link in links] == ["/programs/NP-HEALTH?lang=en"]


def test_overdue_table_shows_days_overdue_right_aligned():
    table = c.overdue_table(sample_overdue(1), EN)
    body = table.children[-1]
    last_cell = body.children[0].children[-1]
    assert last_cell.children == "75" and "text-end" in last_cell.className


def test_alert_strip_counts_open_lists_and_aria():
    strip = c.alert_strip({"off_track": (2, html.Div("list")), "overdue": (0, None), "stale": (1234, html.Div("s"))}, EN)
    buttons = find(strip, type_=html.Button)
    assert [b.id for b in buttons] == [ids.alert_button_id(k) for k in ids.ALERT_KINDS]
    assert [text_of(b.children[1]) for b in buttons] == ["2", "0", "1,234"]
    props = buttons[0].to_plotly_json()["props"]
    assert props["aria-expanded"] == "false" and props["aria-controls"] == ids.dom_id(ids.alert_panel_id("off_track"))
    panels = find(strip, type_=dbc.Collapse)
    assert [p.id for p in panels] == [ids.alert_panel_id(k) for k in ids.ALERT_KINDS]
    assert all(p.is_open is False for p in panels)
    assert EN("alerts.none") in text_of(panels[1])  # zero count: a friendly note, not an empty table
    assert "list" in text_of(panels[0])


@pytest.mark.parametrize("triggered,before,after", [
    ("overdue", [False, False, False], [False, True, False]),
    ("overdue", [False, True, False], [False, False, False]),
    ("stale", [True, False, False], [False, False, True]),
    ("nonsense", [True, False, None], [True, False, False]),
    (None, [False, True, False], [False, True, False]),
])
def test_next_alert_states_one_list_at_a_time(triggered, before, after):
    assert c.next_alert_states(triggered, list(ids.ALERT_KINDS), before) == after


# --- page furniture ---------------------------------------------------------------------------------

def test_breadcrumb_links_all_but_the_current_page():
    nav = c.breadcrumb([("Plan", "/?lang=en"), ("Health", None)], EN)
    items = nav.children.children
    assert isinstance(items[0].children, dcc.Link) and items[0].children.href == "/?lang=en"
    assert items[1].children == "Health" and items[1].to_plotly_json()["props"]["aria-current"] == "page"
    assert nav.to_plotly_json()["props"]["aria-label"] == EN("nav.breadcrumb")


def test_message_panel_has_one_way_back():
    panel = c.message_panel("Nope", "Not here", back_href="/?lang=kk", back_label="Back")
    links = find(panel, type_=dcc.Link)
    assert len(links) == 1 and links[0].href == "/?lang=kk"
    assert "Nope" in text_of(panel)


def test_the_status_name_is_said_once_whether_or_not_the_reason_starts_with_it():
    assert c.reason_only("Red: forecast 6.1", "red", EN) == "forecast 6.1"
    assert c.reason_only("forecast 6.1", "red", EN) == "forecast 6.1"
    assert c.reason_only(None, "red", EN) == ""
    assert c.status_title("red", "Red: forecast 6.1", EN) == "Red: forecast 6.1"
    assert c.status_title("red", "forecast 6.1", EN) == "Red: forecast 6.1"
    assert c.status_title("red", None, EN) == "Red"
    assert c.status_badge("red", EN, reason="Red: x").title == "Red: x"


def test_progress_of_minus_zero_reads_zero():
    bar = c._progress_bar(-0.0, 0.0, "red", EN)
    assert text_of(bar) == "0%"
