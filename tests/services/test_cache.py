"""Results are reused while the data version is unchanged and recomputed as soon as it changes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_sources import ledger
from data_sources.settings import load_settings
from data_sources.store import writing
from data_sources.viewer import Viewer
from data_sources.writes import record_observations
from services.context import make_context
from services.overview import build_overview

pytestmark = pytest.mark.datalayer


def test_a_write_invalidates_the_cached_overview(demo_engine, database_url):
    settings = load_settings({"NATIJE_DATABASE_URL": database_url})
    ctx = make_context(demo_engine, settings, lang="en")
    first = build_overview(ctx, "NDP-2029")
    assert build_overview(ctx, "NDP-2029") is first  # reused
    card = first.cards.set_index("indicator").loc["LIFE_EXPECTANCY"]
    with writing(demo_engine) as conn:
        record_observations(conn, ledger.ledger_writer(conn, "tester"), batch_code="T-1", source="test",
                            rows=pd.DataFrame([{"indicator": "LIFE_EXPECTANCY", "region": "KZ",
                                                "period": card["latest_period"], "value": 76.5}]),
                            known_at=dt.datetime(2025, 11, 1, tzinfo=dt.timezone.utc), actor="tester")
    second = build_overview(ctx, "NDP-2029")
    assert second is not first
    assert second.cards.set_index("indicator").loc["LIFE_EXPECTANCY", "latest_value"] == 76.5


def test_viewers_never_share_a_cached_result(demo_engine, database_url):
    settings = load_settings({"NATIJE_DATABASE_URL": database_url})
    minister = build_overview(make_context(demo_engine, settings, lang="en"), "NDP-2029")
    akim = build_overview(make_context(demo_engine, settings, lang="en", viewer=Viewer("akim", region="AST")),
                          "NDP-2029")
    assert akim is not minister
    assert set(akim.overdue["region"]) <= {"AST"} and len(minister.overdue) > len(akim.overdue)
