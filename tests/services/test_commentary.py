"""The owner's word (services/commentary.py): who may give it (the owner; an analyst on their behalf,
recorded as such; nobody else), the rules (amber or worse needs a recovery action with a due date not in
the past), hostile inputs refused with nothing recorded, the status assessed on the server, what pages
and scorecards read, and the demo's words on every goal amber or worse."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_sources import queries
from data_sources.settings import load_settings
from data_sources.viewer import Viewer
from kpi.rollup import rollup
from services import commentary
from services.commentary import CommentaryRefused, submit_commentary
from services.context import make_context
from services.goals import assess_goals

PROGRAM, OWNER = "NP-HEALTH", "OF-MOH-01"  # the demo's health program and its minister
DUE = "2026-03-31"
TEXT = {"ru": "Отставание из-за нехватки врачей в сёлах.", "kk": None, "en": None}
ACTION = {"en": "Targeted recruitment of rural doctors.", "kk": None, "ru": None}


@pytest.fixture
def write_ctx(demo_engine, database_url, tmp_path):
    """``write_ctx(viewer, lang="en", as_of=None)`` -> a Context on a private demo copy."""
    def make(viewer=None, lang="en", as_of=None):
        settings = load_settings({"NATIJE_DATABASE_URL": database_url, "NATIJE_DATA_DIR": str(tmp_path)})
        return make_context(demo_engine, settings, lang=lang, viewer=viewer or Viewer(), as_of=as_of)
    return make


def program_goals(ctx) -> pd.DataFrame:
    return assess_goals(ctx, queries.goals(ctx.engine, ctx.viewer, [PROGRAM], lang=ctx.lang)).goals


def a_goal(ctx, amber_or_worse: bool) -> str:
    goals = program_goals(ctx)
    return goals[goals["status"].isin(commentary.NEEDS_RECOVERY) == amber_or_worse].iloc[0]["indicator"]


def word_count(ctx) -> int:
    return len(commentary.goal_history(ctx, PROGRAM, None)) + sum(
        len(commentary.goal_history(ctx, PROGRAM, code)) for code in program_goals(ctx)["indicator"])


# --- the demo -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_words(readonly_demo_engine, readonly_database_url):
    """Every goal of both portfolios assessed as the pages assess it, with its current word."""
    settings = load_settings({"NATIJE_DATABASE_URL": readonly_database_url})
    ctx = make_context(readonly_demo_engine, settings, lang="en")
    codes = sorted({c for root in ("NDP-2025", "NDP-2029") for c in queries.subtree(ctx.engine, ctx.viewer, root)["code"]})
    goals = assess_goals(ctx, queries.goals(ctx.engine, ctx.viewer, codes, lang="en")).goals
    words = commentary.current_commentary(ctx, pd.concat([goals[["node", "indicator"]],
                                                          pd.DataFrame({"node": codes, "indicator": None})]))
    return ctx, goals, words.set_index(["node", words["indicator"].fillna("")])


def test_every_demo_goal_amber_or_worse_carries_a_word_and_a_recovery_action(demo_words):
    ctx, goals, words = demo_words
    weak = goals[goals["status"].isin(commentary.NEEDS_RECOVERY)]
    assert len(weak) > 50
    for _, goal in weak.iterrows():
        word = words.loc[(goal["node"], goal["indicator"])]
        assert word["recovery_action"] and word["recovery_due"] >= ctx.today, (goal["node"], goal["indicator"])
        assert word["status"] == goal["status"]  # the status recorded is the one the pages show
    fine = goals[~goals["status"].isin(commentary.NEEDS_RECOVERY) & (goals["status"] != "no_data")]
    spoken = [(n, i) in words.index for n, i in zip(fine["node"], fine["indicator"])]
    assert 0.2 < sum(spoken) / len(fine) < 0.5  # some goals on track have a word too
    assert 0.15 < words["on_behalf"].mean() < 0.45 and (words["recorded_on"] < ctx.today).all()
    assert (words["recorded_on"] >= ctx.today - dt.timedelta(days=7)).all()


def test_every_demo_node_amber_or_worse_carries_a_word_and_a_recovery_action(demo_words):
    _, goals, words = demo_words
    for node, mine in goals.groupby("node"):
        roll = rollup(mine.assign(code=mine["goal_id"].astype(str), score=mine["progress"]))
        if roll.status in commentary.NEEDS_RECOVERY:
            word = words.loc[(node, "")]
            assert word["recovery_action"] and word["status"] == roll.status, node


def test_the_demos_words_read_well_in_three_languages(readonly_demo_engine, readonly_database_url):
    settings = load_settings({"NATIJE_DATABASE_URL": readonly_database_url})
    for lang, word in (("en", "target"), ("ru", "целев"), ("kk", "нысаналы")):
        ctx = make_context(readonly_demo_engine, settings, lang=lang)
        words = commentary.current_commentary(ctx, pd.DataFrame({"node": ["NP-HEALTH", "NDP-2029"]}))
        texts = commentary.current_commentary(ctx, program_goals(ctx)[["node", "indicator"]])
        assert (texts["text_lang"] == lang).all() and (words["text_lang"] == lang).all()
        assert any(word in text for text in texts["text"]), lang
        assert not texts["text"].str.contains(r"\{|–\s*%|\bnan\b", regex=True).any()


# --- who may give the word ------------------------------------------------------------------------------

def test_the_owner_gives_their_word_and_the_server_decides_the_status(write_ctx):
    ctx = write_ctx(Viewer("minister", official=OWNER))
    code = a_goal(ctx, amber_or_worse=True)
    word = submit_commentary(ctx, PROGRAM.lower(), code.lower(), text=TEXT, recovery_action=ACTION, recovery_due=DUE)
    assert word["official"] == OWNER and word["entered_by"] == OWNER and not word["on_behalf"]
    assert word["status"] == commentary.goal_status(ctx, PROGRAM, code) in commentary.NEEDS_RECOVERY
    assert word["text"] == TEXT["ru"] and word["text_lang"] == "ru" and word["recovery_due"] == dt.date(2026, 3, 31)
    assert commentary.goal_history(ctx, PROGRAM, code).iloc[0]["text"] == TEXT["ru"]
    on_node = submit_commentary(ctx, PROGRAM, None, text={"en": "The program as a whole."},
                                recovery_action=ACTION if commentary.needs_recovery_action(
                                    commentary.goal_status(ctx, PROGRAM, None)) else None,
                                recovery_due=DUE if commentary.needs_recovery_action(
                                    commentary.goal_status(ctx, PROGRAM, None)) else None)
    assert on_node["indicator"] is None and on_node["text"] == "The program as a whole."


def test_an_analyst_enters_the_owners_word_on_their_behalf_recorded_as_such(write_ctx):
    ctx = write_ctx(Viewer("analyst"))
    code = a_goal(ctx, amber_or_worse=False)
    right = commentary.rights(ctx, [PROGRAM])[(PROGRAM, code)]
    assert right.allowed and right.on_behalf and right.owner == OWNER
    word = submit_commentary(ctx, PROGRAM, code, text={"kk": "Жоспар бойынша."})
    assert word["official"] == OWNER and word["on_behalf"] and word["entered_by"] == "web:analyst"
    mine = commentary.commentary_for_official(ctx, OWNER)
    assert set(mine.columns) == set(commentary.OFFICIAL_WORD_COLUMNS)
    assert mine.iloc[0]["indicator"] == code and mine.iloc[0]["current"]


@pytest.mark.parametrize("viewer", [
    Viewer("public"), Viewer("kiosk"), Viewer("public", official=OWNER), Viewer("minister"),
    Viewer("minister", official="OF-MOE-01"), Viewer("akim", region="AST", official="OF-AKIM-AST-01"),
    Viewer("analyst", region="AST"),  # a region-scoped analyst: not a national program
    Viewer("project_manager"),
])
def test_nobody_else_may_give_the_word(write_ctx, viewer):
    ctx = write_ctx(viewer)
    before = word_count(ctx)
    with pytest.raises(CommentaryRefused) as refused:
        submit_commentary(ctx, PROGRAM, a_goal(ctx, amber_or_worse=False), text={"en": "Not mine to say."})
    assert refused.value.code == "not_allowed" and word_count(ctx) == before
    assert not any(right.allowed for right in commentary.rights(ctx, [PROGRAM]).values())


def test_no_word_is_given_in_a_view_of_the_past(write_ctx):
    ctx = write_ctx(Viewer("minister", official=OWNER), as_of=dt.date(2025, 6, 30))
    with pytest.raises(CommentaryRefused) as refused:
        submit_commentary(ctx, PROGRAM, None, text={"en": "Back then."})
    assert refused.value.code == "not_allowed" and not commentary.may_give_words(ctx)


def test_a_region_scoped_analyst_speaks_for_owners_of_their_regions_projects(write_ctx):
    ctx = write_ctx(Viewer("analyst", region="ALA"))
    project = queries.projects_in_region(ctx.engine, ctx.viewer, "ALA").iloc[0]["code"]
    rights = commentary.rights(ctx, [project])
    assert rights[(project, None)].allowed and rights[(project, None)].on_behalf
    status = commentary.goal_status(ctx, project, None)
    extra = {"recovery_action": ACTION, "recovery_due": DUE} if commentary.needs_recovery_action(status) else {}
    assert submit_commentary(ctx, project, None, text={"ru": "Подрядчик вышел на площадку."}, **extra)["on_behalf"]
    outside = queries.projects_in_region(write_ctx(Viewer()).engine, Viewer(), "AST").iloc[0]["code"]
    with pytest.raises(CommentaryRefused) as refused:
        submit_commentary(ctx, outside, None, text={"ru": "Не мой регион."})
    assert refused.value.code == "goal_unknown"  # a project out of scope does not exist for the viewer


# --- the rules --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("given,code", [
    ({}, "recovery_required"),
    ({"recovery_action": ACTION}, "recovery_required"),
    ({"recovery_due": DUE}, "recovery_required"),
    ({"recovery_action": ACTION, "recovery_due": "2025-11-14"}, "due_past"),
    ({"recovery_action": ACTION, "recovery_due": "2101-01-01"}, "due_past"),
    ({"recovery_action": {"en": "   "}, "recovery_due": DUE}, "recovery_required"),
])
def test_amber_or_worse_needs_a_recovery_action_due_on_or_after_today(write_ctx, given, code):
    ctx = write_ctx(Viewer("minister", official=OWNER))
    with pytest.raises(CommentaryRefused) as refused:
        submit_commentary(ctx, PROGRAM, a_goal(ctx, amber_or_worse=True), text=TEXT, **given)
    assert refused.value.code == code
    if code == "recovery_required":
        assert refused.value.params["status"] in {ctx.t(f"status.{s}") for s in commentary.NEEDS_RECOVERY}


@pytest.mark.parametrize("given,code", [
    ({"recovery_action": ACTION}, "due_required"),
    ({"recovery_due": DUE}, "due_without_action"),
    ({"text": {"en": None, "ru": "", "kk": " \n "}}, "text_missing"),
])
def test_a_goal_on_track_may_carry_an_action_but_never_half_of_one(write_ctx, given, code):
    ctx = write_ctx(Viewer("minister", official=OWNER))
    with pytest.raises(CommentaryRefused) as refused:
        submit_commentary(ctx, PROGRAM, a_goal(ctx, amber_or_worse=False), **{"text": TEXT, **given})
    assert refused.value.code == code
    today = submit_commentary(ctx, PROGRAM, a_goal(ctx, amber_or_worse=False), text=TEXT, recovery_action=ACTION,
                              recovery_due=ctx.today.isoformat())
    assert today["recovery_due"] == ctx.today and not today["overdue"]


@pytest.mark.parametrize("node,indicator,text,due,code", [
    ("NP-HEALTH' OR 1=1 --", None, TEXT, None, "goal_unknown"),
    ({"code": "NP-HEALTH"}, None, TEXT, None, "goal_unknown"),
    ("NP-HEALTH", "POPULATION", TEXT, None, "goal_unknown"),  # an indicator, not a goal of the program
    ("NOPE", None, TEXT, None, "goal_unknown"),
    ("x" * 500, None, TEXT, None, "goal_unknown"),
    ("NP-HEALTH", None, "just a string", None, "invalid"),
    ("NP-HEALTH", None, ["ru", "text"], None, "invalid"),
    ("NP-HEALTH", None, {"de": "Hallo"}, None, "invalid"),
    ("NP-HEALTH", None, {"ru": 42}, None, "invalid"),
    ("NP-HEALTH", None, {"ru": {"nested": "x"}}, None, "invalid"),
    ("NP-HEALTH", None, {"ru": "я" * (commentary.MAX_TEXT + 1)}, None, "text_too_long"),
    ("NP-HEALTH", None, TEXT, "2026-02-30", "due_invalid"),
    ("NP-HEALTH", None, TEXT, "31.03.2026", "due_invalid"),
    ("NP-HEALTH", None, TEXT, 20260331, "due_invalid"),
    ("NP-HEALTH", None, TEXT, "2026-03-31T00:00:00+05:00", "due_invalid"),
    ("NP-HEALTH", None, TEXT, ["2026-03-31"], "due_invalid"),
])
def test_hostile_inputs_are_refused_and_nothing_is_recorded(write_ctx, node, indicator, text, due, code):
    ctx = write_ctx(Viewer("minister", official=OWNER))
    before = word_count(ctx)
    with pytest.raises(CommentaryRefused) as refused:
        submit_commentary(ctx, node, indicator, text=text, recovery_action=ACTION, recovery_due=due)
    assert refused.value.code == code and word_count(ctx) == before


def test_markup_is_kept_as_text_and_control_characters_are_dropped(write_ctx):
    ctx = write_ctx(Viewer("minister", official=OWNER))
    code = a_goal(ctx, amber_or_worse=False)
    word = submit_commentary(ctx, PROGRAM, code, text={"en": "  <script>alert(1)</script>\x00\x1b ok\r\nline two  "})
    assert word["text"] == "<script>alert(1)</script> ok\nline two"


# --- what pages read --------------------------------------------------------------------------------------

def test_current_commentary_returns_exactly_the_goals_asked(demo_words):
    ctx, goals, _ = demo_words
    mine = goals[goals["node"] == PROGRAM][["node", "indicator"]]
    words = commentary.current_commentary(ctx, mine)
    assert set(words["node"]) == {PROGRAM} and words["indicator"].notna().all()
    assert set(words.columns) == set(commentary.WORD_COLUMNS)
    nodes = commentary.current_commentary(ctx, pd.DataFrame({"node": [PROGRAM]}))
    assert nodes["indicator"].isna().all() and len(nodes) <= 1
    assert commentary.current_commentary(ctx, pd.DataFrame(columns=["node", "indicator"])).empty


def test_a_word_given_after_the_as_of_day_is_not_shown_then(write_ctx):
    ctx = write_ctx(Viewer("minister", official=OWNER))
    code = a_goal(ctx, amber_or_worse=False)
    submit_commentary(ctx, PROGRAM, code, text={"en": "Said today."})
    past = write_ctx(Viewer(), as_of=ctx.today - dt.timedelta(days=1))
    shown = commentary.current_commentary(past, pd.DataFrame({"node": [PROGRAM], "indicator": [code]}))
    assert "Said today." not in set(shown["text"])
