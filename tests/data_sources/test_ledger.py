"""The ledger core: canonical entries, the chain, database guards, concurrent writers."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from data_sources import ledger
from data_sources.store import LedgerEntry, make_engine, writing

datalayer = pytest.mark.datalayer


def test_entry_hash_is_sha256_of_canonical_json_with_string_numbers():
    at = dt.datetime(2025, 11, 15, 8, 30, tzinfo=dt.timezone.utc)
    entry = {"seq": 1, "time": ledger.rfc3339(at), "actor": "аналитик", "kind": "target.set",
             "payload": ledger.canonical_value({"value": 75.0, "year": 2025, "node": "NDP-2025"}),
             "prev": ledger.GENESIS}
    expected_text = ('{"actor":"аналитик","kind":"target.set","payload":{"node":"NDP-2025","value":"75.0",'
                     '"year":"2025"},"prev":"' + "0" * 64 + '","seq":1,"time":"2025-11-15T08:30:00.000000Z"}')
    assert ledger.canonical_json(entry) == expected_text
    assert ledger.entry_hash(entry) == hashlib.sha256(expected_text.encode("utf-8")).hexdigest()


def test_canonical_value_keeps_booleans_and_nulls_and_writes_dates_iso():
    assert ledger.canonical_value({"a": True, "b": None, "d": dt.date(2022, 6, 8), "n": [1, 0.1]}) == {
        "a": True, "b": None, "d": "2022-06-08", "n": ["1", "0.1"]}
    with pytest.raises(TypeError):
        ledger.canonical_value({"x": object()})


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        ledger.rfc3339(dt.datetime(2025, 1, 1))


@datalayer
def test_appends_chain_from_genesis_and_rebuild_from_storage(empty_engine):
    with writing(empty_engine) as conn:
        writer = ledger.ledger_writer(conn, "tester")
        first = writer.append("approval", {"what": "plan", "n": 1})
        second = writer.append("target.set", {"node": "NDP-2029", "value": 77.0})
    with writing(empty_engine) as conn:  # a new transaction continues from the stored head
        third = ledger.ledger_writer(conn, "tester").append("approval", {"what": "again"})
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    with empty_engine.connect() as conn:
        rows = [r._mapping for r in conn.execute(select(LedgerEntry.__table__).order_by(LedgerEntry.seq))]
    previous = ledger.GENESIS
    for row in rows:
        assert row["prev"] == previous
        assert ledger.entry_hash(ledger.stored_entry(row)) == row["hash"]
        assert row["time"].endswith("Z") and len(row["time"]) == len("2025-11-15T08:30:00.000000Z")
        previous = row["hash"]
    assert json.loads(rows[1]["payload"]) == {"node": "NDP-2029", "value": "77.0"}


@datalayer
def test_unknown_kind_is_refused(empty_engine):
    with writing(empty_engine) as conn, pytest.raises(ValueError):
        ledger.ledger_writer(conn, "tester").append("made.up", {})


@datalayer
@pytest.mark.parametrize("statement", [
    "UPDATE ledger SET actor = 'someone else'",
    "DELETE FROM ledger",
    "DELETE FROM ledger WHERE seq = 1",
])
@datalayer
def test_database_refuses_to_rewrite_or_remove_entries(empty_engine, statement):
    with writing(empty_engine) as conn:
        ledger.ledger_writer(conn, "tester").append("approval", {"what": "x"})
    with pytest.raises(DBAPIError, match="append-only"):
        with writing(empty_engine) as conn:
            conn.execute(text(statement))
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT actor FROM ledger")).scalar_one() == "tester"


@datalayer
def test_postgres_refuses_truncate(empty_engine):
    if empty_engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    with pytest.raises(DBAPIError, match="append-only"):
        with writing(empty_engine) as conn:
            conn.execute(text("TRUNCATE ledger"))


@datalayer
def test_two_writers_cannot_extend_the_same_head(empty_engine):
    """The unique ``prev`` makes a forked chain impossible even if the lock were bypassed."""
    with writing(empty_engine) as conn:
        head = ledger.ledger_writer(conn, "a").append("approval", {"n": 1})
    with pytest.raises(DBAPIError):
        with writing(empty_engine) as conn:
            conn.execute(LedgerEntry.__table__.insert().values(
                seq=99, time="2025-01-01T00:00:00.000000Z", actor="b", kind="approval", payload="{}",
                prev=head.hash, hash="f" * 64))
            conn.execute(LedgerEntry.__table__.insert().values(
                seq=100, time="2025-01-01T00:00:00.000000Z", actor="c", kind="approval", payload="{}",
                prev=head.hash, hash="e" * 64))


@datalayer
def test_concurrent_writers_never_fork_the_chain(empty_engine):
    url = empty_engine.url.render_as_string(hide_password=False)
    errors: list[BaseException] = []

    def write_many(actor: str) -> None:
        engine = make_engine(url)
        try:
            for n in range(15):
                with writing(engine) as conn:
                    ledger.ledger_writer(conn, actor).append("approval", {"n": n})
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=write_many, args=(f"writer-{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with empty_engine.connect() as conn:
        rows = [r._mapping for r in conn.execute(select(LedgerEntry.__table__).order_by(LedgerEntry.seq))]
    assert [r["seq"] for r in rows] == list(range(1, 61))
    previous = ledger.GENESIS
    for row in rows:
        assert row["prev"] == previous and ledger.entry_hash(ledger.stored_entry(row)) == row["hash"]
        previous = row["hash"]
