"""Crash safety of ``natije load`` (docs/import.md: one transaction per file): a load killed with
SIGKILL in the middle of writing leaves the store as it was, and loading the file again gives the
same store as one clean run of it — on SQLite, and on PostgreSQL in the second stage of ``make test``.

"The same store" is :func:`data_sources.admin.content_hash`: every table's rows without surrogate
ids and time stamps, so PostgreSQL sequence numbers burnt by the killed transaction do not count."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from data_sources import admin
from data_sources.store import Indicator, Region, make_engine

pytestmark = pytest.mark.datalayer

#: Rows of the file: enough for several progress lines while writing (at most two a second), few
#: enough to keep the test (four content hashes, three loads) within about a minute on PostgreSQL.
ROWS = 100_000
#: Kill once the progress report says at least this many rows are written (and not all of them).
KILL_AFTER = 25_000
FIRST_YEAR = 2030  # the demo's figures end in 2025: every generated row is a new figure
PERIODS = {"Y": lambda year: [str(year)],
           "Q": lambda year: [f"{year}-Q{q}" for q in range(1, 5)],
           "M": lambda year: [f"{year}-{m:02d}" for m in range(1, 13)]}
WRITTEN = re.compile(r"rows written ([\d,]+) / ([\d,]+)$")
TIMEOUT = 300


def new_figures(engine, count: int) -> list[tuple[str, str, str, str]]:
    """``count`` valid rows (indicator, period, region, value) of figures the store does not have:
    every indicator in its own frequency, for every region when it is regional, year after year from
    :data:`FIRST_YEAR`, each value inside the indicator's valid range."""
    with engine.connect() as conn:
        indicators = conn.execute(select(Indicator.code, Indicator.frequency, Indicator.regional,
                                         Indicator.valid_min, Indicator.valid_max).order_by(Indicator.code)).all()
        regions = sorted(conn.execute(select(Region.code)).scalars())
    rows: list[tuple[str, str, str, str]] = []
    year = FIRST_YEAR
    while len(rows) < count:
        for indicator in indicators:
            low, high = indicator.valid_min, indicator.valid_max
            for period in PERIODS[indicator.frequency](year):
                for region in regions if indicator.regional else ["KZ"]:
                    step = len(rows) % 97
                    if low is not None and high is not None:
                        value = low + (high - low) * (0.25 + step / 200)
                    else:
                        value = low + 1 + step if low is not None else high - 1 - step
                    rows.append((indicator.code, period, region, f"{value:.4f}"))
        year += 1
    return rows[:count]


def write_csv(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(["indicator", "period", "region", "value"])
        writer.writerows(rows)
    return path


@pytest.fixture
def clean_store_url(request, harness, tmp_path: Path):
    """A second private copy of the demo store on the run's backend: where the clean run goes."""
    if os.environ.get("NATIJE_TEST_DATABASE_URL", "").strip():
        server = request.getfixturevalue("_postgres_demo")
        name = server.new_name("t")
        url = server.create(name, from_template=True)
        try:
            yield url
        finally:
            server.drop(name)
    else:
        demo_store = request.getfixturevalue("demo_store")
        yield harness.sqlite_url(harness.copy_sqlite_store(demo_store, tmp_path / "clean" / "natije.sqlite3"))


def kill_while_writing(harness, path: Path, env: dict) -> tuple[int, int]:
    """Start ``natije load --progress`` on ``path``, SIGKILL it once its progress report passes
    :data:`KILL_AFTER` written rows; (rows written when killed, rows to write)."""
    process = subprocess.Popen([*harness.natije_command(), "load", "--progress", "--lang", "en", str(path)],
                               cwd=harness.ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8")
    watchdog = threading.Timer(TIMEOUT, process.kill)
    watchdog.start()
    seen: list[str] = []
    try:
        for line in process.stderr:
            seen.append(line.rstrip())
            if (match := WRITTEN.search(line.rstrip())) is None:
                continue
            written, total = (int(group.replace(",", "")) for group in match.groups())
            if KILL_AFTER <= written < total:
                process.send_signal(signal.SIGKILL)
                process.wait()
                assert process.returncode == -signal.SIGKILL
                return written, total
        process.wait()
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
    pytest.fail(f"the load ended (status {process.returncode}) before it could be killed while writing:\n"
                + "\n".join(seen[-20:]))


def test_a_load_killed_while_writing_leaves_the_store_as_before_and_a_rerun_equals_a_clean_run(
        harness, natije_cli, settings_env, database_url, demo_engine, clean_store_url, tmp_path):
    path = write_csv(tmp_path / "observations.csv", new_figures(demo_engine, ROWS))
    env = settings_env.env(database_url=database_url)
    before = admin.content_hash(demo_engine)

    written, total = kill_while_writing(harness, path, env)
    assert total == ROWS and written < ROWS
    assert admin.content_hash(demo_engine) == before

    rerun = json.loads(natije_cli("load", "--json", path, env=env).stdout)["files"][0]
    assert rerun["rows"] == {"read": ROWS, "loaded": ROWS, "unchanged": 0, "corrected": 0, "quarantined": 0}
    after_rerun = admin.content_hash(demo_engine)

    clean = json.loads(natije_cli("load", "--json", path, env=settings_env.env(database_url=clean_store_url)).stdout)
    assert clean["files"][0]["batch"] == rerun["batch"]  # FILE-<sha256 prefix>-1: the killed run left no batch
    clean_engine = make_engine(clean_store_url)
    try:
        assert admin.content_hash(clean_engine) == after_rerun != before
    finally:
        clean_engine.dispose()
