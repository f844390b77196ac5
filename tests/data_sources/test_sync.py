"""``natije sync`` (docs/import.md, "SQL sources"): rows of a real PostgreSQL database — a throw-away
server the session starts (``postgres_cluster``) — loaded into a copy of the demo store (SQLite, or
PostgreSQL in the second stage of ``make test``): full and incremental syncs by time stamp and by key,
corrections, quarantine, ``${VAR}`` secrets, refusals that load nothing and keep the cursor, dry runs,
SOURCES.yaml validation, and the command's exit statuses and JSON."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import socket
import sqlite3
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from data_sources import queries
from data_sources.loaders.sync import SourcesError, read_cursor, read_sources, resolve_url, sync_source
from data_sources.store import LedgerEntry, LoadBatch, Observation
from tests.data_sources.test_loader_observations import current

datalayer = pytest.mark.datalayer

ACTOR = "sync-test"
READER = "sync_reader"
#: The source's password: URL-special characters, so the ${VAR} value must be percent-encoded.
READER_PASSWORD = "r3ad@er:p/ss%w0rd#"
ENV = {"SYNC_USER": READER, "SYNC_PASSWORD": READER_PASSWORD}
T0 = dt.datetime(2025, 11, 1, 9, 0)
QUERY = ("SELECT ind_code, region_code, period, value, updated_at FROM published_figures\n"
         "WHERE (:cursor IS NULL OR updated_at > :cursor)")
COLUMNS = {"indicator": "ind_code", "region": "region_code", "period": "period", "value": "value"}
_databases = itertools.count(1)


class SourceDatabase:
    """A fresh database of the session's PostgreSQL server holding ``published_figures``, readable by
    the role ``sync_reader`` (SELECT only)."""

    def __init__(self, cluster, name: str) -> None:
        self.cluster, self.name = cluster, name

    def execute(self, statement: str, params: tuple | list = ()) -> None:
        with self.cluster.connect(self.name) as con:
            con.execute(statement, params)

    def add(self, *rows: tuple) -> None:
        """Rows of (ind_code, region_code, period, value, minutes after T0 for updated_at)."""
        with self.cluster.connect(self.name) as con:
            with con.cursor() as cur:
                cur.executemany("INSERT INTO published_figures (ind_code, region_code, period, value, updated_at) "
                                "VALUES (%s, %s, %s, %s, %s)",
                                [(i, r, p, v, T0 + dt.timedelta(minutes=m)) for i, r, p, v, m in rows])

    def entry(self, **fields) -> dict:
        """A SOURCES.yaml entry reading this database as ``sync_reader`` (secrets from ENV)."""
        base = {
            "name": "health-figures",
            "url": f"postgresql+psycopg://${{SYNC_USER}}:${{SYNC_PASSWORD}}@127.0.0.1:{self.cluster.port}/{self.name}",
            "template": "observations",
            "query": QUERY,
            "columns": dict(COLUMNS),
            "incremental": {"column": "updated_at", "kind": "timestamp"},
        }
        return {k: v for k, v in (base | fields).items() if v is not None}


@pytest.fixture(scope="session")
def sync_reader(postgres_cluster) -> str:
    with postgres_cluster.connect() as con:
        con.execute(f"CREATE ROLE {READER} LOGIN PASSWORD '{READER_PASSWORD}'")
    return READER


@pytest.fixture
def source_db(postgres_cluster, sync_reader):
    name = f"sync_src_{os.getpid()}_{next(_databases)}"
    with postgres_cluster.connect() as con:
        con.execute(f"CREATE DATABASE {name}")
    db = SourceDatabase(postgres_cluster, name)
    db.execute("CREATE TABLE published_figures (id serial PRIMARY KEY, ind_code text, region_code text, "
               "period text, value numeric, updated_at timestamp NOT NULL)")
    db.execute(f"GRANT SELECT ON published_figures TO {READER}")
    yield db
    with postgres_cluster.connect() as con:
        con.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_sources(path: Path, *entries: dict) -> Path:
    path.write_text(yaml.safe_dump({"sources": list(entries)}, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def sync(engine, path: Path, env: dict | None = None, **options):
    """Every source of ``path`` synced in process; the reports in order."""
    return [sync_source(engine, s, actor=ACTOR, **options) for s in read_sources(path, ENV if env is None else env)]


def store_state(engine) -> tuple[int, int, int, int]:
    """(observation versions, batches, ledger entries, data version): what any write changes."""
    with engine.connect() as conn:
        counts = tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()
                       for t in (Observation, LoadBatch, LedgerEntry))
    return (*counts, queries.data_version(engine))


def adds_up(report) -> bool:
    return report.rows_read == report.loaded + report.unchanged + report.corrected + report.quarantined


# --------------------------------------------------------------------------------------------------
# incremental syncs


@datalayer
def test_a_first_sync_loads_everything_and_a_second_reads_nothing(demo_engine, source_db, tmp_path):
    source_db.add(("LIFE_EXPECTANCY", "ALA", "2031", 76.25, 0), ("life_expectancy", "KZ", "2031", 74.5, 5),
                  ("LIFE_EXPECTANCY", "Астана", "2031", 77, 3))
    path = write_sources(tmp_path / "sources.yaml", source_db.entry())
    [first] = sync(demo_engine, path)
    assert first.load.status == "loaded" and first.load.rows_read == 3 and first.load.loaded == 3
    assert first.load.batch.startswith("SYNC-") and adds_up(first.load)
    assert (first.cursor_before, first.cursor_after) == (None, (T0 + dt.timedelta(minutes=5)).isoformat())
    assert current(demo_engine, "LIFE_EXPECTANCY", "ALA", "2031") == (76.25, 1)
    assert current(demo_engine, "LIFE_EXPECTANCY", "AST", "2031") == (77.0, 1)
    with demo_engine.connect() as conn:
        batch = conn.execute(select(LoadBatch.source, LoadBatch.file_name, LoadBatch.templates)
                             .where(LoadBatch.code == first.load.batch)).one()
    assert tuple(batch) == ("sync health-figures", "health-figures", "observations")
    assert read_cursor(demo_engine, read_sources(path, ENV)[0]) == T0 + dt.timedelta(minutes=5)

    before = store_state(demo_engine)
    [second] = sync(demo_engine, path)
    assert (second.load.status, second.load.rows_read, second.load.batch) == ("loaded", 0, None)
    assert second.load.warnings == ("sync_no_rows",)
    assert second.cursor_before == second.cursor_after == first.cursor_after
    assert store_state(demo_engine) == before  # no batch, no ledger entry, no data version bump

    [full] = sync(demo_engine, path, full=True)  # everything again: all unchanged
    assert (full.load.rows_read, full.load.unchanged, full.load.loaded) == (3, 3, 0)


@datalayer
def test_new_rows_and_changed_values_are_picked_up_by_timestamp(demo_engine, source_db, tmp_path):
    source_db.add(("LIFE_EXPECTANCY", "ALA", "2031", 76.25, 0), ("LIFE_EXPECTANCY", "AKM", "2031", 71.0, 1))
    path = write_sources(tmp_path / "sources.yaml", source_db.entry())
    sync(demo_engine, path)
    source_db.add(("LIFE_EXPECTANCY", "ALA", "2032", 76.5, 10))
    source_db.execute("UPDATE published_figures SET value = 71.4, updated_at = %s WHERE region_code = 'AKM'",
                      (T0 + dt.timedelta(minutes=11),))
    [report] = sync(demo_engine, path)
    assert (report.load.rows_read, report.load.loaded, report.load.corrected, report.load.unchanged) == (2, 1, 1, 0)
    assert current(demo_engine, "LIFE_EXPECTANCY", "AKM", "2031") == (71.4, 2)  # a new version, not an overwrite
    assert current(demo_engine, "LIFE_EXPECTANCY", "ALA", "2032") == (76.5, 1)
    with demo_engine.connect() as conn:
        corrections = conn.execute(select(LedgerEntry.payload).where(LedgerEntry.kind == "observation.corrected")
                                   .order_by(LedgerEntry.seq.desc()).limit(1)).scalar_one()
    assert json.loads(corrections)["region"] == "AKM" and json.loads(corrections)["batch"] == report.load.batch
    assert report.cursor_after == (T0 + dt.timedelta(minutes=11)).isoformat()


@datalayer
def test_incremental_by_key_with_the_cast_form_of_the_cursor(demo_engine, source_db, tmp_path):
    query = ("SELECT id, ind_code, region_code, period, value FROM published_figures\n"
             "WHERE (CAST(:cursor AS BIGINT) IS NULL OR id > CAST(:cursor AS BIGINT))")
    path = write_sources(tmp_path / "sources.yaml", source_db.entry(
        name="by-key", query=query, incremental={"column": "id", "kind": "key"}))
    source_db.add(("LIFE_EXPECTANCY", "ALA", "2033", 70, 0), ("LIFE_EXPECTANCY", "AKM", "2033", 71, 0))
    [first] = sync(demo_engine, path)
    assert (first.load.loaded, first.cursor_after) == (2, 2)
    source_db.add(("LIFE_EXPECTANCY", "AKT", "2033", 72, 0))
    [second] = sync(demo_engine, path)
    assert (second.load.rows_read, second.load.loaded, second.cursor_before, second.cursor_after) == (1, 1, 2, 3)
    [third] = sync(demo_engine, path)
    assert third.load.rows_read == 0 and third.cursor_after == 3


@datalayer
def test_bad_rows_are_quarantined_with_reasons_and_the_good_ones_loaded(demo_engine, source_db, tmp_path):
    source_db.add(("LIFE_EXPECTANCY", "ALA", "2034", 75, 0), ("NO_SUCH_INDICATOR", "ALA", "2034", 1, 1),
                  ("LIFE_EXPECTANCY", "ALA", "2034-Q1", 75, 2), ("LIFE_EXPECTANCY", "AKM", "2034", 150, 3),
                  ("LIFE_EXPECTANCY", "Атлантида", "2034", 70, 4))
    path = write_sources(tmp_path / "sources.yaml", source_db.entry())
    [report] = sync(demo_engine, path)
    assert report.load.status == "partial" and adds_up(report.load)
    assert (report.load.rows_read, report.load.loaded, report.load.quarantined) == (5, 1, 4)
    assert {(p.row, p.column, p.code) for p in report.load.problems} == {
        (3, "indicator", "indicator_unknown"), (4, "period", "period_frequency"),
        (5, "value", "value_out_of_range"), (6, "region", "region_unknown")}
    assert report.cursor_after == (T0 + dt.timedelta(minutes=4)).isoformat()  # past the quarantined rows too


@datalayer
def test_dry_run_reports_the_counts_and_moves_nothing(demo_engine, source_db, tmp_path):
    source_db.add(("LIFE_EXPECTANCY", "ALA", "2035", 75, 0), ("LIFE_EXPECTANCY", "AKM", "2035", 74, 1))
    path = write_sources(tmp_path / "sources.yaml", source_db.entry())
    before = store_state(demo_engine)
    [dry] = sync(demo_engine, path, dry_run=True)
    assert (dry.load.dry_run, dry.load.loaded, dry.load.batch, dry.cursor_after) == (True, 2, None, None)
    assert store_state(demo_engine) == before
    assert read_cursor(demo_engine, read_sources(path, ENV)[0]) is None
    [real] = sync(demo_engine, path)
    assert real.load.loaded == 2 and real.cursor_after is not None


@datalayer
def test_any_database_sqlalchemy_reaches_a_sqlite_file_by_key(demo_engine, tmp_path):
    """A SQLite source (text time stamps: a ``key`` cursor), read with ``PRAGMA query_only``."""
    path = tmp_path / "figures.sqlite3"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE figures (code TEXT, region TEXT, year INTEGER, value REAL, changed TEXT)")
        con.executemany("INSERT INTO figures VALUES (?, ?, ?, ?, ?)",
                        [("LIFE_EXPECTANCY", "ALA", 2039, 75.5, "2025-11-01 09:00:00"),
                         ("LIFE_EXPECTANCY", "AKM", 2039, 71.5, "2025-11-01 09:05:00")])
    entry = {"name": "local-file", "url": f"sqlite:///{path}", "template": "observations",
             "query": "SELECT code, region, year, value, changed FROM figures "
                      "WHERE (:cursor IS NULL OR changed > :cursor)",
             "columns": {"indicator": "code", "region": "region", "period": "year", "value": "value"},
             "incremental": {"column": "changed", "kind": "key"}}
    sources = write_sources(tmp_path / "sources.yaml", entry)
    [first] = sync(demo_engine, sources, env={})
    assert (first.load.loaded, first.cursor_after) == (2, "2025-11-01 09:05:00")
    assert current(demo_engine, "LIFE_EXPECTANCY", "AKM", "2039") == (71.5, 1)
    [second] = sync(demo_engine, sources, env={})
    assert second.load.rows_read == 0
    writing = write_sources(tmp_path / "writing.yaml", entry | {"name": "writes", "incremental": None,
                                                               "query": "DELETE FROM figures RETURNING code"})
    [refused] = sync(demo_engine, writing, env={})
    assert refused.load.refused.code == "sync_query_failed" and "readonly" in refused.load.refused.params["error"]


# --------------------------------------------------------------------------------------------------
# refusals: nothing loaded, the cursor where it was


@datalayer
@pytest.mark.parametrize("change, code", [
    ({"url": "postgresql+psycopg://${SYNC_USER}:${SYNC_PASSWORD}@127.0.0.1:{closed}/{db}"}, "sync_connect_failed"),
    ({"query": "SELECT * FROM no_such_table WHERE (:cursor IS NULL OR updated_at > :cursor)"}, "sync_query_failed"),
    ({"columns": COLUMNS | {"comment": "remark"}}, "sync_columns_missing"),
    ({"template": "no-such-template"}, "sync_template_unknown"),
])
def test_a_refused_source_loads_nothing_and_keeps_its_cursor(demo_engine, source_db, unused_port, tmp_path, change,
                                                             code):
    source_db.add(("LIFE_EXPECTANCY", "ALA", "2036", 75, 0))
    path = write_sources(tmp_path / "sources.yaml", source_db.entry())
    [first] = sync(demo_engine, path)
    source_db.add(("LIFE_EXPECTANCY", "AKM", "2036", 74, 9))
    entry = source_db.entry(**{k: v.replace("{closed}", str(unused_port)).replace("{db}", source_db.name)
                               if k == "url" else v for k, v in change.items()})
    before = store_state(demo_engine)
    [refused] = sync(demo_engine, write_sources(tmp_path / "broken.yaml", entry))
    assert refused.load.status == "refused" and refused.load.refused.code == code
    assert refused.load.rows_read == 0 and refused.load.batch is None
    assert store_state(demo_engine) == before
    assert refused.cursor_before == refused.cursor_after == first.cursor_after
    assert READER_PASSWORD not in json.dumps(refused.load.refused.params)
    [later] = sync(demo_engine, path)  # the row the refused run did not load is still picked up
    assert later.load.loaded == 1


@datalayer
def test_the_source_is_read_in_a_read_only_transaction(demo_engine, postgres_cluster, source_db, tmp_path):
    """Even with an account that may write, a query that writes fails and changes nothing."""
    source_db.add(("LIFE_EXPECTANCY", "ALA", "2037", 75, 0))
    entry = source_db.entry(url=postgres_cluster.url(source_db.name), incremental=None,
                            query="DELETE FROM published_figures RETURNING ind_code, region_code, period, value")
    [report] = sync(demo_engine, write_sources(tmp_path / "sources.yaml", entry))
    assert report.load.refused.code == "sync_query_failed"
    assert "read-only" in report.load.refused.params["error"]
    with postgres_cluster.connect(source_db.name) as con:
        assert con.execute("SELECT count(*) FROM published_figures").fetchone()[0] == 1


@datalayer
def test_a_wrong_password_is_refused_without_showing_any_secret(demo_engine, source_db, tmp_path):
    path = write_sources(tmp_path / "sources.yaml", source_db.entry())
    [report] = sync(demo_engine, path, env=ENV | {"SYNC_PASSWORD": "not-the-password"})
    assert report.load.refused.code == "sync_connect_failed"
    params = report.load.refused.params
    assert "not-the-password" not in json.dumps(params) and "password authentication failed" in params["error"]
    port, database = source_db.cluster.port, source_db.name
    assert params["url"] == f"postgresql+psycopg://${{SYNC_USER}}:***@127.0.0.1:{port}/{database}"


# --------------------------------------------------------------------------------------------------
# SOURCES.yaml


def test_variables_are_resolved_and_percent_encoded_inside_a_url():
    url, secrets = resolve_url("postgresql+psycopg://${U}:${P}@h/db", {"U": "reader", "P": "a@b:c/d"}, source="s")
    assert url == "postgresql+psycopg://reader:a%40b%3Ac%2Fd@h/db"
    assert "a@b:c/d" in secrets and "a%40b%3Ac%2Fd" in secrets
    whole, _ = resolve_url("${DB_URL}", {"DB_URL": "sqlite:///x.db"}, source="s")
    assert whole == "sqlite:///x.db"


GOOD = {"name": "figures", "url": "postgresql+psycopg://${U}:${P}@h/db", "template": "observations",
        "query": QUERY, "columns": dict(COLUMNS), "incremental": {"column": "updated_at", "kind": "timestamp"}}


@pytest.mark.parametrize("document, names", [
    ({"sources": [GOOD | {"url": "postgresql+psycopg://${U}:${MISSING_PASSWORD}@h/db"}]},
     ["'figures'", "'url'", "${MISSING_PASSWORD}"]),
    ({"sources": [{k: v for k, v in GOOD.items() if k != "url"}]}, ["'figures'", "'url'", "missing"]),
    ({"sources": [GOOD | {"incremantal": {}}]}, ["'figures'", "'incremantal'", "unknown field"]),
    ({"sources": [GOOD, GOOD]}, ["'figures'", "'name'", "more than one"]),
    ({"sources": [GOOD | {"columns": {"indicator": "ind_code", "period": "period"}}]},
     ["'figures'", "'columns'", "value"]),
    ({"sources": [GOOD | {"columns": COLUMNS | {"colour": "c"}}]}, ["'figures'", "'columns'", "colour"]),
    ({"sources": [GOOD | {"incremental": {"column": "updated_at", "kind": "date"}}]},
     ["'figures'", "'incremental.kind'", "key, timestamp"]),
    ({"sources": [GOOD | {"query": "SELECT * FROM t"}]}, ["'figures'", "'query'", ":cursor"]),
    ({"sources": [GOOD | {"query": QUERY + " AND region_code = :region"}]}, ["'figures'", "'query'", ":region"]),
    ({"sources": [GOOD | {"incremental": None, "query": QUERY}]}, ["'figures'", "'query'", "no incremental"]),
    ({"sources": [GOOD | {"timeout": "soon"}]}, ["'figures'", "'timeout'"]),
    ({"sources": [GOOD | {"name": "no spaces please"}]}, ["'no spaces please'", "'name'"]),
    ({"sources": [GOOD | {"url": "${U}"}]}, ["'figures'", "'url'", "not a database URL"]),
    ({"sources": []}, ["'sources'"]),
    ({"source": [GOOD]}, ["'sources'"]),
])
def test_an_invalid_sources_file_is_a_usage_error_naming_source_and_field(tmp_path, document, names):
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    with pytest.raises(SourcesError) as error:
        read_sources(path, {"U": "reader", "P": "s3cret-value"})
    message = str(error.value)
    assert all(name in message for name in names), message
    assert "s3cret-value" not in message


def test_yaml_syntax_errors_and_unknown_source_names_are_usage_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources: [\n  - name: x\n", encoding="utf-8")
    with pytest.raises(SourcesError, match="not valid YAML"):
        read_sources(bad, {})
    good = write_sources(tmp_path / "good.yaml", GOOD, GOOD | {"name": "other"})
    assert [s.name for s in read_sources(good, {"U": "u", "P": "p"}, only=["other"])] == ["other"]
    with pytest.raises(SourcesError, match="--source nope"):
        read_sources(good, {"U": "u", "P": "p"}, only=["nope"])


def test_the_password_never_appears_in_a_sources_repr(tmp_path):
    [source] = read_sources(write_sources(tmp_path / "s.yaml", GOOD), {"U": "reader", "P": "s3cret-value"})
    assert "s3cret-value" not in repr(source) and source.shown_url == "postgresql+psycopg://${U}:***@h/db"


# --------------------------------------------------------------------------------------------------
# the command


@datalayer
def test_natije_sync_command(natije_cli, settings_env, database_url, source_db, tmp_path):
    source_db.add(("LIFE_EXPECTANCY", "ALA", "2038", 75, 0), ("NO_SUCH_INDICATOR", "ALA", "2038", 1, 1))
    other = source_db.entry(name="by-key", incremental={"column": "id", "kind": "key"},
                            query="SELECT id, ind_code, region_code, period, value FROM published_figures "
                                  "WHERE ind_code = 'LIFE_EXPECTANCY' AND (:cursor IS NULL OR id > :cursor)")
    path = write_sources(tmp_path / "sources.yaml", source_db.entry(), other)
    env = settings_env.env(database_url=database_url) | ENV

    proc = natije_cli("sync", path, "--json", "--lang", "en", env=env, check=False)
    assert proc.returncode == 3, proc.stderr
    report = json.loads(proc.stdout)
    assert list(report) == ["sources"] and [s["source"] for s in report["sources"]] == ["health-figures", "by-key"]
    first, second = report["sources"]
    assert set(first) == {"source", "sha256", "templates", "status", "dry_run", "batch", "rows", "refused",
                          "warnings", "problems", "cursor"}
    assert first["status"] == "partial" and first["rows"] == {"read": 2, "loaded": 1, "unchanged": 0,
                                                              "corrected": 0, "quarantined": 1}
    assert first["problems"][0]["code"] == "indicator_unknown" and first["problems"][0]["message"]
    assert first["cursor"] == {"column": "updated_at", "kind": "timestamp", "before": None,
                               "after": (T0 + dt.timedelta(minutes=1)).isoformat()}
    assert second["status"] == "loaded" and second["rows"]["unchanged"] == 1 and second["cursor"]["after"] == 1

    again = natije_cli("sync", path, "--source", "by-key", "--lang", "ru", env=env)
    assert "by-key" in again.stdout and "health-figures" not in again.stdout
    assert "курсор id: 1 → 1" in again.stdout

    source_db.add(("LIFE_EXPECTANCY", "AKM", "2038", 74, 5))
    dry = natije_cli("sync", path, "--dry-run", "--source", "health-figures", "--lang", "en", env=env)
    assert "1 loaded" in dry.stdout and "Dry run" in dry.stdout

    broken = write_sources(tmp_path / "broken.yaml", source_db.entry(query="SELECT 1 AS one WHERE :cursor IS NULL"))
    refused = natije_cli("sync", broken, "--lang", "kk", env=env, check=False)
    assert refused.returncode == 4 and "қабылданбады" in refused.stdout

    without_password = {k: v for k, v in env.items() if k != "SYNC_PASSWORD"}
    missing = natije_cli("sync", path, env=without_password, check=False)
    assert missing.returncode == 2 and "${SYNC_PASSWORD}" in missing.stderr and "health-figures" in missing.stderr
    for output in (proc, again, dry, refused, missing):
        assert READER_PASSWORD not in output.stdout + output.stderr
