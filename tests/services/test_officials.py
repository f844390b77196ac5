"""Officials' scorecards on the demo store: goals held now and before, assessed the one way the pages
assess them (now, and as known at the previous quarter's end), shares by status, overdue instructions,
the owner's word; the list; scope."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_sources import accountability, queries
from data_sources.viewer import Viewer
from kpi.periods import previous_quarter_end
from kpi.status import OFF_TRACK, STATUS_ORDER
from services.nodes import build_node
from services.officials import (
    HELD_COLUMNS,
    LIST_COLUMNS,
    SHARE_COLUMNS,
    at_day,
    build_officials,
    build_scorecard,
    search_officials,
    sort_officials,
)

pytestmark = pytest.mark.datalayer


def owner_of(ctx, node: str) -> str:
    return queries.accountable(ctx.engine, ctx.viewer, [node], on=ctx.today).iloc[0]["official"]


def test_the_list_has_everyone_with_their_figures(ctx_for):
    ctx = ctx_for()
    officials = build_officials(ctx)
    assert list(officials.columns) == list(LIST_COLUMNS) and officials["code"].is_unique
    assert set(officials["code"]) == set(accountability.officials(ctx.engine, ctx.viewer)["code"])
    held = officials[officials["goals"] > 0]
    assert len(held) > 50
    assert held[list(SHARE_COLUMNS)].sum(axis=1).round(9).eq(1.0).all()
    off_track = held[[f"share_{status}" for status in OFF_TRACK]].sum(axis=1)
    assert (off_track - held["off_track_share"]).abs().max() < 1e-9
    assert (officials["overdue_instructions"] == officials["overdue_own"] + officials["overdue_escalated"]).all()
    assert officials["overdue_instructions"].sum() >= 2 * 50  # each overdue instruction counts twice (own, escalated)
    assert officials[officials["goals"] == 0]["off_track_share"].isna().all()


def test_the_list_reads_the_same_in_every_language(ctx_for):
    english, kazakh = (build_officials(ctx_for(lang)).set_index("code").sort_index() for lang in ("en", "kk"))
    numbers = ["goals", "overdue_instructions", "off_track_share"]
    pd.testing.assert_frame_equal(english[numbers], kazakh[numbers])
    assert (english["name"] != kazakh["name"]).any()


def test_search_kind_and_order(ctx_for):
    officials = build_officials(ctx_for("ru"))
    ministers = search_officials(officials, "МИНИСТР")  # any case, Cyrillic too
    assert len(ministers) > 10 and ministers["post"].str.casefold().str.contains("министр").all()
    assert search_officials(officials, "министр здравоохранения")["post"].str.contains("здравоохранения").all()
    assert search_officials(officials, "\x00' OR 1=1").empty
    assert set(search_officials(officials, kind="administrative")["kind"]) == {"administrative"}
    assert set(search_officials(officials, region="ast")["region"]) == {"AST"}
    worst = sort_officials(officials, "off_track")
    shares = worst["off_track_share"].dropna()
    assert shares.is_monotonic_decreasing and worst["off_track_share"].iloc[len(shares):].isna().all()
    assert sort_officials(officials, "overdue")["overdue_instructions"].is_monotonic_decreasing
    assert sort_officials(officials, "junk")["kind"].iloc[0] == "political"


def test_a_ministers_scorecard_assesses_goals_the_way_the_pages_do(ctx_for):
    ctx = ctx_for()
    minister = owner_of(ctx, "NP-HEALTH")
    card = build_scorecard(ctx, minister.lower())
    assert card.official["code"] == minister and card.official["kind"] == "political"
    goals = card.goals
    assert list(goals.columns) == list(HELD_COLUMNS) and goals["goal_id"].is_unique
    assert {"NP-HEALTH"} <= set(goals["node"]) and set(goals["goal_kind"]) == {"political"}
    assert goals["status"].map(STATUS_ORDER.index).is_monotonic_increasing  # worst first
    # the program page shows the same status and reason for each of its goals
    page = build_node(ctx, "NP-HEALTH").goals.goals.set_index("goal_id")
    for _, goal in goals[goals["node"] == "NP-HEALTH"].iterrows():
        assert (goal["status"], goal["reason_text"]) == tuple(page.loc[goal["goal_id"], ["status", "reason_text"]])
    # ... and as known at the end of the previous quarter
    quarter_end = previous_quarter_end(ctx.today)
    assert card.previous_quarter_end == quarter_end
    before = build_node(at_day(ctx, quarter_end), "NP-HEALTH").goals.goals.set_index("goal_id")
    for _, goal in goals[goals["node"] == "NP-HEALTH"].iterrows():
        assert goal["previous_status"] == before.loc[goal["goal_id"], "status"]
    figures = card.figures
    assert figures["goals"] == len(goals)
    for status in STATUS_ORDER:
        assert figures[f"share_{status}"] == pytest.approx((goals["status"] == status).mean())
    assert figures["off_track_share"] == pytest.approx(goals["status"].isin(OFF_TRACK).mean())
    assert figures["off_track_share_change"] == pytest.approx(
        figures["off_track_share"] - figures["off_track_share_previous"])


def test_goals_held_before_carry_their_status_at_handover(ctx_for):
    ctx = ctx_for()
    holdings = accountability.holdings(ctx.engine, ctx.viewer)
    ended = holdings[holdings["goal_id"].notna() & holdings["valid_to"].notna()]
    ended = ended[pd.to_datetime(ended["valid_to"]) < pd.Timestamp(ctx.today)]
    official = ended["official"].value_counts().index[0]
    card = build_scorecard(ctx, official)
    assert not card.before.empty
    assert (pd.to_datetime(card.before["valid_to"]) < pd.Timestamp(ctx.today)).all()
    assert pd.to_datetime(card.before["valid_to"]).is_monotonic_decreasing
    row = card.before.iloc[0]
    then = at_day(ctx, row["valid_to"])
    assessed = build_node(then, row["node"]).goals.goals.set_index("goal_id")
    assert row["status"] == assessed.loc[row["goal_id"], "status"]


def test_a_node_held_as_a_whole(ctx_for):
    ctx = ctx_for()
    owner = owner_of(ctx, "NDP-2029")
    card = build_scorecard(ctx, owner)
    assert "NDP-2029" in set(card.nodes["node"])
    # the portfolio's goals each have an official of their own: the owner holds only those named for them
    assert card.goals.loc[card.goals["node"] == "NDP-2029", "for_goal"].all()


def test_the_owners_word_is_on_the_scorecard(ctx_for):
    ctx = ctx_for()
    cards = [build_scorecard(ctx, code) for code in build_officials(ctx).query("goals > 0")["code"].head(12)]
    worded = [card for card in cards if not card.words.empty]
    assert worded, "the demo's goals carry their owners' words"
    for card in worded:
        held = set(zip(card.goals["node"], card.goals["indicator"])) | {(node, None) for node in card.nodes["node"]}
        keys = {(node, indicator if isinstance(indicator, str) else None)
                for node, indicator in zip(card.words["node"], card.words["indicator"])}
        assert keys <= held
    assert all(card.recovery["overdue"] <= card.recovery["actions"] for card in cards)


def test_unknown_and_out_of_scope_officials_have_no_scorecard(ctx_for):
    ctx = ctx_for()
    assert build_scorecard(ctx, "NO-SUCH-OFFICIAL") is None
    assert build_scorecard(ctx, "OF-\x00") is None
    akim = ctx_for(viewer=Viewer("akim", region="AST"))
    assert build_scorecard(akim, owner_of(ctx, "NP-HEALTH")) is None  # a national minister
    assert set(build_officials(akim)["region"]) == {"AST"}
    local = build_officials(akim).sort_values("overdue_instructions").iloc[-1]["code"]
    card = build_scorecard(akim, local)
    assert card is not None
    for frame in (card.own_overdue, card.escalated_overdue):
        assert set(frame["region"]) <= {"AST"}


def test_the_public_sees_scorecards_without_instructions(ctx_for):
    public = ctx_for(viewer=Viewer("public"))
    card = build_scorecard(public, owner_of(ctx_for(), "NP-HEALTH"))
    assert card is not None and card.figures["goals"] > 0
    assert card.own_overdue.empty and card.escalated_overdue.empty and card.figures["overdue_instructions"] == 0
    assert build_officials(public)["overdue_instructions"].sum() == 0


def test_as_of_a_past_day_the_scorecard_is_that_days(ctx_for):
    day = dt.date(2025, 6, 30)
    ctx = ctx_for(as_of=day)
    card = build_scorecard(ctx, owner_of(ctx_for(), "NP-HEALTH"))
    assert card.previous_quarter_end == dt.date(2025, 3, 31)
    assert (pd.to_datetime(card.own_overdue["due_date"]) < pd.Timestamp(day)).all()
