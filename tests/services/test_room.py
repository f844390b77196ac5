"""services.room: the room's URL parsed (never failing, every problem named), the ticker's alerts and
the poll's answer, against the demo store."""

from __future__ import annotations

import datetime as dt

import pytest

from data_sources.settings import load_settings
from services.context import make_context
from services.overview import build_overview
from services.room import (
    ALERT_COLUMNS,
    ALERT_KINDS,
    ALERTS_PER_KIND,
    MAX_PANELS,
    ROOM_NUMBERS,
    PanelSpec,
    RoomProblem,
    alert_counts,
    config_from_data,
    parse_panel,
    parse_room,
    room_alerts,
    room_status,
)


def codes(config) -> list[str]:
    return [problem.code for problem in config.problems]


def test_defaults_are_the_documented_ones():
    config = parse_room({})
    assert [p.token for p in config.panels] == ["overview", "instructions"]
    assert (config.rotate, config.refresh, config.reload, config.theme) == (30, 60, 21600, "dark")
    assert config.problems == ()
    assert {n.name: n.default for n in ROOM_NUMBERS} == {"rotate": 30, "refresh": 60, "reload": 21600}


def test_the_issue_example_parses_as_written():
    config = parse_room({"panels": "overview,map:LIFE_EXPECTANCY,instructions,program:NP-HEALTH", "rotate": "30",
                         "refresh": "60", "lang": "kk", "theme": "dark"})
    assert config.panels == (PanelSpec("overview"), PanelSpec("map", "LIFE_EXPECTANCY"), PanelSpec("instructions"),
                             PanelSpec("program", "NP-HEALTH"))
    assert config.problems == ()


@pytest.mark.parametrize("token, expected", [
    ("region:ast", PanelSpec("region", "AST")),
    (" Program : np-health ", PanelSpec("program", "NP-HEALTH")),
    ("map", PanelSpec("map")),
    ("ledger", PanelSpec("ledger")),
])
def test_panels_are_normalised(token, expected):
    assert parse_panel(token) == expected


@pytest.mark.parametrize("token, code", [
    ("weather", "room.problem.unknown_panel"),
    ("program", "room.problem.needs_code"),
    ("region:", "room.problem.needs_code"),
    ("ledger:X", "room.problem.no_code"),
    ("region:<script>", "room.problem.bad_code"),
    ("map:" + "A" * 65, "room.problem.bad_code"),
])
def test_bad_panels_are_named_not_fatal(token, code):
    parsed = parse_panel(token)
    assert isinstance(parsed, RoomProblem) and parsed.code == code
    config = parse_room({"panels": f"{token},ledger"})
    assert [p.token for p in config.panels] == ["ledger"] and codes(config) == [code]


def test_nothing_valid_falls_back_to_the_defaults_and_says_why():
    config = parse_room({"panels": "weather,,sport"})
    assert [p.token for p in config.panels] == ["overview", "instructions"]
    assert codes(config) == ["room.problem.unknown_panel"] * 2


def test_duplicates_are_dropped_and_panels_capped():
    assert [p.token for p in parse_room({"panels": "ledger,LEDGER,ledger"}).panels] == ["ledger"]
    many = ",".join(f"region:R{i}" for i in range(MAX_PANELS + 3))
    config = parse_room({"panels": many})
    assert len(config.panels) == MAX_PANELS and codes(config) == ["room.problem.too_many"]


@pytest.mark.parametrize("params, expected, problem", [
    ({"rotate": "1"}, ("rotate", 2), "room.problem.clamped"),
    ({"refresh": "999999"}, ("refresh", 3600), "room.problem.clamped"),
    ({"reload": "5"}, ("reload", 60), "room.problem.clamped"),
    ({"rotate": "fast"}, ("rotate", 30), "room.problem.not_number"),
    ({"refresh": ["7", "9"]}, ("refresh", 7), None),
    ({"rotate": " 45 "}, ("rotate", 45), None),
])
def test_numbers_are_clamped_or_ignored(params, expected, problem):
    config = parse_room(params)
    assert getattr(config, expected[0]) == expected[1]
    assert codes(config) == ([problem] if problem else [])


def test_unknown_theme_is_dark_and_named():
    assert parse_room({"theme": "LIGHT"}).theme == "light"
    config = parse_room({"theme": "neon"})
    assert config.theme == "dark" and codes(config) == ["room.problem.unknown_theme"]


@pytest.mark.parametrize("data", [None, "x", 5, {"panels": "overview"}, {"panels": [{"a": 1}] * 50},
                                  {"panels": ["ledger", "region:<b>"], "rotate": -3, "theme": {"x": 1}}])
def test_config_from_the_client_is_validated_again(data):
    config = config_from_data(data)
    assert 1 <= len(config.panels) <= MAX_PANELS
    assert 2 <= config.rotate <= 3600 and config.theme in ("dark", "light")


def test_config_round_trips_through_its_data():
    config = parse_room({"panels": "map:LIFE_EXPECTANCY,region:AST", "rotate": "5", "theme": "light"})
    again = config_from_data(config.as_data())
    assert again.panels == config.panels and again.rotate == 5 and again.theme == "light" and again.problems == ()


# --- against the demo store ----------------------------------------------------------------------------------

@pytest.fixture
def ctx(readonly_demo_engine, readonly_database_url):
    return make_context(readonly_demo_engine, load_settings({"NATIJE_DATABASE_URL": readonly_database_url}), lang="en")


@pytest.mark.datalayer
def test_alerts_follow_the_overview_lists(ctx):
    alerts = room_alerts(ctx)
    assert list(alerts.columns) == list(ALERT_COLUMNS)
    assert alerts["key"].is_unique
    kinds = list(alerts["kind"])
    assert kinds == sorted(kinds, key=ALERT_KINDS.index)  # red goals, then overdue, then stale
    ov = build_overview(ctx)
    counts = alert_counts(ctx)
    assert counts == {"red_goal": int((ov.off_track["status"] == "red").sum()), "overdue": len(ov.overdue),
                      "stale": len(ov.stale)}
    for kind in ALERT_KINDS:
        assert (alerts["kind"] == kind).sum() == min(counts[kind], ALERTS_PER_KIND)
    overdue = alerts[alerts["kind"] == "overdue"]
    assert list(overdue["days"]) == sorted(overdue["days"], reverse=True) and (overdue["days"] > 0).all()
    assert counts["red_goal"] > 0 and counts["overdue"] > 0  # the demo has both: the ticker is not empty


@pytest.mark.datalayer
def test_status_is_the_data_version(ctx):
    from data_sources import queries

    now = dt.datetime(2025, 11, 15, 9, 0, tzinfo=dt.timezone.utc)
    assert room_status(ctx.engine, now) == {"data_version": queries.data_version(ctx.engine),
                                            "server_time": "2025-11-15T09:00:00+00:00"}


def test_status_says_when_the_store_does_not_answer(tmp_path):
    from sqlalchemy import create_engine

    from services.room import StoreUnavailable

    engine = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")  # no tables: not a store
    with pytest.raises(StoreUnavailable):
        room_status(engine)
