"""The overview service on the demo store: cards, program grid, alerts, computed one way."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_sources.viewer import Viewer
from kpi.progress import progress
from kpi.status import OFF_TRACK, STATUS_ORDER
from services.overview import CARD_COLUMNS, PROGRAM_COLUMNS, build_overview

pytestmark = pytest.mark.datalayer




def test_reference_date_is_the_demos_own(ctx_for, demo_spec):
    ctx = ctx_for()
    assert ctx.today == demo_spec.today and ctx.is_demo


@pytest.mark.parametrize("portfolio", ["NDP-2029", "NDP-2025", "ndp-2029"])
def test_overview_has_cards_grid_and_alerts(ctx_for, portfolio):
    view = build_overview(ctx_for(), portfolio)
    assert view.portfolio["code"] == portfolio.upper()
    assert len(view.cards) >= 8 and list(view.cards.columns) == list(CARD_COLUMNS)
    assert list(view.programs.columns) == list(PROGRAM_COLUMNS) and len(view.programs) >= 5
    assert view.cards["latest_value"].notna().all() and view.cards["target_value"].notna().all()
    assert view.portfolio["owner_name"]
    assert all(len(p) == len(v) for p, v in zip(view.cards["spark_periods"], view.cards["spark_values"]))


def test_default_portfolio_is_the_newest(ctx_for):
    assert build_overview(ctx_for()).portfolio["code"] == "NDP-2029"


def test_unknown_portfolio_is_none(ctx_for):
    assert build_overview(ctx_for(), "NOPE") is None


def test_statuses_are_a_realistic_spread(ctx_for):
    view = build_overview(ctx_for(), "NDP-2029")
    statuses = set(view.cards["status"]) | set(view.programs["status"])
    assert len(statuses) >= 3, statuses
    assert set(view.programs["status"]) <= set(STATUS_ORDER)


def test_card_progress_is_the_kpi_formula(ctx_for):
    view = build_overview(ctx_for(), "NDP-2029")
    for _, card in view.cards.iterrows():
        assert card["progress"] == pytest.approx(
            progress(card["latest_value"], card["baseline_value"], card["target_value"], card["direction"]))


def test_alerts_are_consistent(ctx_for):
    view = build_overview(ctx_for(), "NDP-2029")
    assert set(view.off_track["status"]) <= OFF_TRACK
    assert view.programs["off_track"].sum() <= len(view.off_track)
    assert (view.overdue["days_overdue"] > 0).all() and not view.overdue.empty
    assert set(view.stale["freshness"]) <= {"late", "stale"}


def test_reasons_are_in_the_viewers_language(ctx_for):
    ru = build_overview(ctx_for("ru"), "NDP-2029").cards["reason_text"]
    en = build_overview(ctx_for("en"), "NDP-2029").cards["reason_text"]
    kk = build_overview(ctx_for("kk"), "NDP-2029").cards["reason_text"]
    assert all(text and "reason." not in text for text in [*ru, *en, *kk])
    assert list(ru) != list(en) and list(kk) != list(en)


def test_an_akim_sees_only_their_regions_instructions(ctx_for):
    view = build_overview(ctx_for(viewer=Viewer("akim", region="AST")), "NDP-2029")
    assert set(view.overdue["region"]) <= {"AST"}


def test_as_of_changes_the_reference_date(ctx_for):
    earlier = ctx_for(as_of=dt.date(2024, 12, 31))
    assert earlier.today == dt.date(2024, 12, 31) and earlier.as_of is not None
    view = build_overview(earlier, "NDP-2029")
    starts = view.cards["spark_periods"].map(lambda periods: max(periods) if periods else None).dropna()
    assert (starts <= pd.Timestamp("2024-12-31")).all() and len(starts) >= 8
