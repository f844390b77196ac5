"""The natije command: info --json, and the demo's determinism and refusals."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def sqlite_url(harness):
    return harness.sqlite_url

MINIMUMS = {"portfolios": 2, "programs": 14, "projects": 300, "indicators": 120, "officials": 60,
            "instructions": 400, "citizen_requests": 100_000}


def test_info_json_describes_the_demo_store(natije_cli, settings_env, demo_store, demo_spec, sqlite_url):
    out = natije_cli("info", "--json", env=settings_env.env(database_url=sqlite_url(demo_store))).stdout
    info = json.loads(out)
    assert set(info) == {"database", "revision", "demo", "counts", "latest_observation", "content_hash"}
    assert info["revision"] == "0004"  # the latest migration
    assert info["demo"] == {"seed": demo_spec.seed, "today": demo_spec.today.isoformat()}
    for name, minimum in MINIMUMS.items():
        assert info["counts"][name] >= minimum, name
    assert info["counts"]["ledger_entries"] > 0 and info["counts"]["observations"] > 0
    assert info["latest_observation"] <= "2025-11"
    assert len(info["content_hash"]) == 64


def test_info_masks_the_password(natije_cli, settings_env):
    env = settings_env.env(database_url="postgresql+psycopg://natije:s3cret@127.0.0.1:1/none")
    proc = natije_cli("info", "--json", env=env, check=False)
    assert "s3cret" not in proc.stdout + proc.stderr


def test_demo_force_twice_gives_the_same_counts_and_content_hash(natije_cli, settings_env, tmp_path, sqlite_url):
    env = settings_env.env(database_url=sqlite_url(tmp_path / "demo.sqlite3"))
    natije_cli("demo", "--seed", "11", "--today", "2025-06-30", env=env)
    first = json.loads(natije_cli("info", "--json", env=env).stdout)
    natije_cli("demo", "--seed", "11", "--today", "2025-06-30", "--force", env=env)
    second = json.loads(natije_cli("info", "--json", env=env).stdout)
    natije_cli("demo", "--seed", "11", "--today", "2025-06-30", "--force", env=env)
    third = json.loads(natije_cli("info", "--json", env=env).stdout)
    assert first["counts"] == second["counts"] == third["counts"]
    assert first["content_hash"] == second["content_hash"] == third["content_hash"]
    natije_cli("demo", "--seed", "12", "--today", "2025-06-30", "--force", env=env)
    other = json.loads(natije_cli("info", "--json", env=env).stdout)
    assert other["content_hash"] != first["content_hash"]


def test_demo_refuses_a_store_that_holds_data(natije_cli, settings_env, store_copy, sqlite_url):
    env = settings_env.env(database_url=sqlite_url(store_copy))
    refused = natije_cli("demo", env=env, check=False)
    assert refused.returncode == 3 and "--force" in refused.stderr
    nothing = natije_cli("demo", "--if-empty", env=env)
    assert "nothing to do" in nothing.stdout


def test_demo_force_refuses_a_store_with_real_data(natije_cli, settings_env, store_copy, sqlite_url):
    import sqlite3

    con = sqlite3.connect(store_copy)
    con.execute("UPDATE load_batches SET synthetic = 0 WHERE id = (SELECT min(id) FROM load_batches)")
    con.commit()
    con.close()
    refused = natije_cli("demo", "--force", env=settings_env.env(database_url=sqlite_url(store_copy)), check=False)
    assert refused.returncode == 3 and "not demo data" in refused.stderr
