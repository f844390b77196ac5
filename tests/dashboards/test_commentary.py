"""The owner's word beside a status (dashboards/_commentary.py): the word in the page's language with
date, who, the "on behalf" marker, the recovery action with its due date and an overdue mark; the form
only for those allowed; the callback called as a plain function with forged inputs (the right and the
status are decided on the server); and the word on the program, project, region and overview pages."""

from __future__ import annotations

import datetime as dt

import dash
import dash_bootstrap_components as dbc
import pandas as pd
import pytest
from dash import dcc, html
from dash._callback_context import context_value
from dash._utils import AttributeDict

from dashboards import _commentary, _components, _program
from dashboards import _ids as ids
from data_sources import queries
from data_sources.settings import load_settings
from data_sources.viewer import Viewer
from services import commentary as commentary_service
from services.context import make_context
from services.goals import assess_goals
from services.i18n import translator
from tests.dashboards.ui_samples import find, sample_cards, sample_node_view, text_of

EN, RU, KK = translator("en"), translator("ru"), translator("kk")
TODAY = dt.date(2025, 11, 15)
OWNER = "OF-MOH-01"


def a_word(**changes) -> dict:
    word = {"node": "NP-HEALTH", "indicator": "IND_2", "region": "KZ", "official": OWNER,
            "official_name": "Ерболат Нұрғалиев", "official_post": "Денсаулық сақтау министрі", "entered_by": OWNER,
            "on_behalf": False, "status": "amber", "text": "Кадры в сёлах — главная причина отставания.",
            "text_lang": "ru", "recovery_action": "Целевой набор врачей.", "recovery_lang": "ru",
            "recovery_due": dt.date(2026, 3, 31), "recorded_at": pd.Timestamp("2025-11-10 05:00", tz="UTC"),
            "ledger_seq": 9000, "recorded_on": dt.date(2025, 11, 10), "overdue": False}
    return {**word, **changes}


# --- the word ----------------------------------------------------------------------------------------------

def test_the_word_shows_text_date_who_and_the_recovery_action_in_the_page_language():
    view = _commentary.word_view(a_word(), RU, status="amber", today=TODAY)
    text = text_of(view)
    assert "Слово ответственного" in text and RU.date(dt.date(2025, 11, 10)) in text
    assert "Кадры в сёлах" in text and "Ерболат Нұрғалиев" in text and "Денсаулық сақтау министрі" in text
    assert "Меры по исправлению" in text and RU("commentary.due", date=RU.date(dt.date(2026, 3, 31))) in text
    assert "просрочено" not in text and "внесено от имени" not in text and "написано" not in text
    quote = find(view, type_=html.Blockquote)[0]
    assert quote.lang == "ru"


def test_on_behalf_overdue_another_language_and_the_status_then_are_marked():
    word = a_word(on_behalf=True, entered_by="web:analyst", recovery_due=dt.date(2025, 11, 1), status="amber",
                  text_lang="kk", text="Қазақша жазылған сөз.")
    text = text_of(_commentary.word_view(word, EN, status="red", today=TODAY))
    assert EN("commentary.on_behalf") in text and EN("commentary.overdue") in text
    assert EN("commentary.written_in.kk") in text
    assert EN("commentary.status_then", status=EN("status.amber")) in text
    recovered = text_of(_commentary.word_view(word, EN, status="green", today=TODAY))
    assert EN("commentary.overdue") not in recovered  # a goal back on track has no overdue action


def test_amber_or_worse_without_a_word_or_an_action_is_flagged():
    missing = _commentary.word_view(None, KK, status="red", today=TODAY)
    assert KK("commentary.none") in text_of(missing) and "nt-word--missing" in missing.className
    quiet = _commentary.word_view(None, KK, status="green", today=TODAY)
    assert "nt-word--none" in quiet.className
    no_action = _commentary.word_view(a_word(recovery_action=None, recovery_due=None, status=None), EN,
                                      status="amber_red", today=TODAY)
    assert EN("commentary.no_recovery") in text_of(no_action) and "nt-word--flagged" in no_action.className
    green = _commentary.word_view(a_word(recovery_action=None, recovery_due=None), EN, status="green", today=TODAY)
    assert EN("commentary.no_recovery") not in text_of(green)


def test_the_compact_word_clamps_the_text_and_leaves_out_the_signature():
    view = _commentary.word_view(a_word(), EN, status="amber", today=TODAY, variant="compact")
    text = text_of(view)
    assert "Ерболат" not in text and "Целевой набор" not in text  # the action's words are in the hover title
    assert "nt-clamp-3" in find(view, type_=html.Blockquote)[0].className
    assert EN("commentary.recovery") in text


# --- the slot and the form ---------------------------------------------------------------------------------

RIGHT = commentary_service.Right(True, owner=OWNER, owner_name="Ерболат Нұрғалиев", owner_post="Министр")


def test_a_slot_has_the_form_only_for_those_allowed():
    words = _commentary.PageWords({("NP-HEALTH", "IND_2"): a_word()}, {("NP-HEALTH", "IND_2"): RIGHT}, TODAY)
    slot = words.slot("NP-HEALTH", "IND_2", EN, status="amber", name="Satisfaction")
    key = _commentary.slot_key("NP-HEALTH", "IND_2")
    assert slot.id == {"type": _commentary.COMMENTARY, "key": key}
    opener = find(slot, id_={"type": _commentary.COMMENTARY_OPEN, "key": key})[0]
    assert text_of(opener).endswith(EN("commentary.give"))
    modal = find(slot, type_=dbc.Modal)[0]
    assert modal.is_open is False and EN("commentary.form.needs_recovery") in text_of(modal)
    fields = [c.id["field"] for c in find(slot, type_=dbc.Textarea) + find(slot, type_=dbc.Input)]
    assert fields == list(_commentary.FIELDS)
    labels = {label.htmlFor for label in find(slot, type_=html.Label)}
    assert labels == {ids.dom_id(_commentary.field_id(key, name)) for name in _commentary.FIELDS}
    assert find(slot, type_=dbc.Input)[0].min == TODAY.isoformat()
    assert find(slot, type_=dcc.Store)[0].data == "full"

    behalf = _commentary.PageWords({}, {("NP-HEALTH", None): commentary_service.Right(
        True, on_behalf=True, owner=OWNER, owner_name="Ерболат Нұрғалиев")}, TODAY)
    slot = behalf.slot("NP-HEALTH", None, RU, status="green", name="Здоровая нация")
    assert RU("commentary.give_on_behalf") in text_of(slot)
    assert RU("commentary.form.on_behalf", name="Ерболат Нұрғалиев") in text_of(slot)

    reader = _commentary.PageWords({}, {("NP-HEALTH", None): commentary_service.Right(False, owner=OWNER)}, TODAY)
    assert not find(reader.slot("NP-HEALTH", None, EN, status="red"), type_=dbc.Modal)
    assert not find(words.slot("NP-HEALTH", "IND_2", EN, status="amber", writable=False), type_=dbc.Modal)
    assert reader.slot("NP-HEALTH", "OTHER", EN, status="red", quiet=True) is None


@pytest.mark.parametrize("key,expected", [
    ("NP-HEALTH~IND", ("NP-HEALTH", "IND")), ("NP-HEALTH~", ("NP-HEALTH", None)), ("~IND", None),
    ("NP-HEALTH", None), ("A~B~C", None), (None, None), (["NP~I"], None), ({"key": "x"}, None), ("x" * 200 + "~", None),
])
def test_slot_keys_parse_back_and_forged_ones_do_not(key, expected):
    assert _commentary.parse_slot_key(key) == expected


# --- the callback, called as a plain function ----------------------------------------------------------------

@pytest.fixture
def write_ctx(demo_engine, database_url, tmp_path):
    def make(viewer=None, lang="en"):
        settings = load_settings({"NATIJE_DATABASE_URL": database_url, "NATIJE_DATA_DIR": str(tmp_path)})
        return make_context(demo_engine, settings, lang=lang, viewer=viewer or Viewer())
    return make


def amber_goal(ctx) -> str:
    goals = assess_goals(ctx, queries.goals(ctx.engine, ctx.viewer, ["NP-HEALTH"], lang=ctx.lang)).goals
    return goals[goals["status"].isin(commentary_service.NEEDS_RECOVERY)].iloc[0]["indicator"]


def values(**changes) -> dict:
    return {**{name: None for name in _commentary.FIELDS},
            "text_ru": "Отстаём из-за кадров.", "recovery_ru": "Набор врачей.", "due": "2026-03-31", **changes}


def test_open_and_cancel_show_and_hide_the_dialog(write_ctx):
    ctx = write_ctx()
    assert _commentary.handle_commentary(ctx, "NP-HEALTH~", "open", {}, "full") == (dash.no_update, True, "")
    assert _commentary.handle_commentary(ctx, "NP-HEALTH~", "cancel", {}, "full") == (dash.no_update, False, "")
    assert _commentary.handle_commentary(ctx, "not a key", "save", values(), "full") == (
        dash.no_update, dash.no_update, dash.no_update)
    assert _commentary.handle_commentary(ctx, "NP-HEALTH~", "delete", values(), "full") == (
        dash.no_update, dash.no_update, dash.no_update)


def test_the_owner_saves_a_word_and_sees_it_in_place(write_ctx):
    ctx = write_ctx(Viewer("minister", official=OWNER), lang="ru")
    code = amber_goal(ctx)
    shown, is_open, feedback = _commentary.handle_commentary(
        ctx, _commentary.slot_key("NP-HEALTH", code), "save", values(), "compact")
    assert is_open is False and feedback == ""
    assert "Отстаём из-за кадров." in text_of(shown) and RU("commentary.saved") in text_of(shown)
    assert "nt-word--compact" in find(shown[0], cls="nt-word")[0].className
    history = commentary_service.goal_history(ctx, "NP-HEALTH", code)
    assert history.iloc[0]["official"] == OWNER and history.iloc[0]["status"] in commentary_service.NEEDS_RECOVERY


@pytest.mark.parametrize("viewer,changes,message", [
    (Viewer("public"), {}, "commentary.error.not_allowed"),
    (Viewer("minister"), {}, "commentary.error.not_allowed"),
    (Viewer("minister", official=OWNER), {"recovery_ru": None}, "commentary.error.recovery_required"),
    (Viewer("minister", official=OWNER), {"due": "2020-01-01"}, "commentary.error.due_past"),
    (Viewer("minister", official=OWNER), {"due": {"year": 2026}}, "commentary.error.due_invalid"),
    (Viewer("minister", official=OWNER), {"text_ru": ["a", "b"]}, "commentary.error.invalid"),
    (Viewer("minister", official=OWNER), {"text_ru": None}, "commentary.error.text_missing"),
])
def test_a_refused_save_keeps_the_dialog_open_with_its_reason(write_ctx, viewer, changes, message):
    ctx = write_ctx(viewer)
    code = amber_goal(ctx)
    before = len(commentary_service.goal_history(ctx, "NP-HEALTH", code))
    shown, is_open, feedback = _commentary.handle_commentary(
        ctx, _commentary.slot_key("NP-HEALTH", code), "save", values(**changes), "full")
    assert shown is dash.no_update and is_open is True
    assert text_of(feedback).startswith(EN(message).split("{")[0][:20])
    assert len(commentary_service.goal_history(ctx, "NP-HEALTH", code)) == before


def _call(component_id: dict, states: list, value=1):
    token = context_value.set(AttributeDict(triggered_inputs=[
        {"prop_id": ids.dom_id(component_id) + ".n_clicks", "value": value}]))
    try:
        return _commentary.commentary_action(value, 0, 0, *states)
    finally:
        context_value.reset(token)


def test_the_callback_reads_the_trigger_and_decides_on_the_server(monkeypatch, write_ctx):
    ctx = write_ctx(Viewer("analyst"))
    monkeypatch.setattr(_commentary, "page_context", lambda params: ctx)
    key = _commentary.slot_key("NP-HEALTH", amber_goal(ctx))
    states = [values()[name] for name in _commentary.FIELDS] + ["full", "?lang=en"]
    assert _call({"type": _commentary.COMMENTARY_OPEN, "key": key}, states) == (dash.no_update, True, "")
    assert _call({"type": _commentary.COMMENTARY_SAVE, "key": key}, states, value=0) == (
        dash.no_update, dash.no_update, dash.no_update)  # no click
    shown, is_open, _ = _call({"type": _commentary.COMMENTARY_SAVE, "key": key}, states)
    assert is_open is False and EN("commentary.on_behalf") in text_of(shown)
    forged = _call({"type": _commentary.COMMENTARY_SAVE, "key": "NOPE~' OR 1=1"}, states)
    assert forged[1] is True and EN("commentary.error.goal_unknown") in text_of(forged[2])


# --- on the pages ------------------------------------------------------------------------------------------

def test_the_program_page_shows_the_word_beside_the_status_of_the_program_and_each_goal():
    view = sample_node_view("program")
    goals = view.goals.goals
    first = goals.iloc[0]
    words = _commentary.PageWords({(first["node"], first["indicator"]): a_word(node=first["node"]),
                                   (view.node["code"], None): a_word(text="Слово о программе в целом.")}, {}, TODAY)
    page = _program.program_view(view, RU, {"lang": "ru"}, view.node["code"], today=TODAY, words=words)
    header = find(page, cls="nt-header-status")[0]
    assert "Слово о программе в целом." in text_of(header)
    blocks = find(page, cls="nt-goal__aside")
    assert "Кадры в сёлах" in text_of(blocks[0])
    assert len(find(page, cls="nt-word")) == 1 + len(goals)  # every goal: its word or "no word yet"


def test_a_kpi_card_carries_the_word_under_its_status():
    row = sample_cards(1).iloc[0]
    card = _components.kpi_card(row, EN, {}, word=_commentary.word_view(a_word(), EN, status=row["status"],
                                                                        today=TODAY, variant="compact"))
    children = card.children
    position = next(i for i, c in enumerate(children) if getattr(c, "className", "") == "nt-kpi__status")
    assert "nt-word" in children[position + 1].className
