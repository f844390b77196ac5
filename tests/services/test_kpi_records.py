"""``natije kpi --json``: the documented record schema, and figures that agree with docs/kpi.md."""

from __future__ import annotations

import json

import pytest

from kpi.progress import meets_target

RECORD_KEYS = {"code", "name", "unit", "direction", "node", "region", "baseline", "target", "latest", "progress",
               "expected_progress", "forecast", "status", "reason", "freshness"}
STATUSES = {"green", "amber_green", "amber", "amber_red", "red", "achieved", "missed", "no_data"}


@pytest.fixture(scope="module")
def records(demo_store, harness, tmp_path_factory):
    env = harness.clean_environ() | {"NATIJE_DATABASE_URL": harness.sqlite_url(demo_store),
                                     "NATIJE_DATA_DIR": str(tmp_path_factory.mktemp("kpi-cli"))}
    return json.loads(harness.run_natije("kpi", "--json", "--lang", "en", env=env).stdout)


def expected_progress_of(record):
    """docs/kpi.md, "Progress toward target", from the record's own fields."""
    latest, baseline = record["latest"]["value"], record["baseline"]["value"]
    target = record["target"]["value"] if record["target"] else None
    if latest is None or baseline is None or target is None:
        return None
    if target == baseline:
        return 1.0 if meets_target(latest, target, record["direction"]) else 0.0
    return (latest - baseline) / (target - baseline)


def test_every_record_has_the_documented_shape(records, demo_spec):
    assert records["as_of"] == demo_spec.today.isoformat()
    assert len(records["indicators"]) >= 120
    for record in records["indicators"]:
        assert set(record) == RECORD_KEYS
        assert record["direction"] in ("up", "down") and record["status"] in STATUSES
        assert record["region"] is None
        assert set(record["reason"]) == {"code", "text"} and record["reason"]["text"]
        assert set(record["freshness"]) == {"state", "next_due"}
        if record["forecast"] is not None:
            assert set(record["forecast"]) == {"value", "low", "high", "probability", "date"}
            probability = record["forecast"]["probability"]
            assert probability is None or 0.0 <= probability <= 1.0
            assert record["forecast"]["low"] <= record["forecast"]["value"] <= record["forecast"]["high"]


def test_progress_agrees_with_the_formula_for_every_record(records):
    checked = 0
    for record in records["indicators"]:
        expected = expected_progress_of(record)
        if expected is None:
            assert record["progress"] is None, record["code"]
        else:
            assert record["progress"] == pytest.approx(expected, rel=1e-9, abs=1e-12), record["code"]
            checked += 1
    assert checked >= 100


def test_statuses_are_spread(records):
    assert len({r["status"] for r in records["indicators"]}) >= 5


def test_node_and_region_select_a_subtree(demo_store, harness, tmp_path):
    env = harness.clean_environ() | {"NATIJE_DATABASE_URL": harness.sqlite_url(demo_store),
                                     "NATIJE_DATA_DIR": str(tmp_path)}
    program = json.loads(harness.run_natije("kpi", "--json", "--node", "np-health", env=env).stdout)
    assert program["indicators"] and {r["node"][:9] for r in program["indicators"]} == {"NP-HEALTH"}
    regional = json.loads(harness.run_natije("kpi", "--json", "--node", "NDP-2029", "--region", "ast",
                                             env=env).stdout)
    assert {r["region"] for r in regional["indicators"]} == {"AST"}
    missing = harness.run_natije("kpi", "--json", "--node", "NOPE", env=env, check=False)
    assert missing.returncode == 4 and "NOPE" in missing.stderr
