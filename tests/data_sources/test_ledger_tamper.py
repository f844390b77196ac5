"""The tamper suite: an insider with database access gets past the triggers (as they would: dropping
or disabling them), changes the ledger or a row it covers, and puts the triggers back. Every change is
caught by `natije ledger verify` with exit 5, naming the right entry or checkpoint — on SQLite and on
PostgreSQL. Rewrites that keep the chain consistent are caught only against a checkpoint taken before,
and pass without one (the documented limit)."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select, text

import cli
from data_sources import checkpoints, ledger
from data_sources.store import (
    LedgerEntry,
    LoadBatch,
    Observation,
    ObservationCurrent,
    Official,
    Responsibility,
    Target,
    writing,
)

pytestmark = pytest.mark.datalayer

LEDGER = LedgerEntry.__table__


@dataclass
class Store:
    """A demo copy with the CLI pointed at it, a signing key and a checkpoint directory of its own."""

    engine: Engine
    env: dict[str, str]
    checkpoint_dir: Path

    def natije(self, *args: str):
        return CliRunner().invoke(cli.main, list(args), env=self.env, catch_exceptions=False)

    def verify(self):
        return self.natije("ledger", "verify")

    def checkpoint(self) -> str:
        """Sign a checkpoint of the ledger as it is; returns the file name."""
        if not Path(self.env["NATIJE_LEDGER_KEY"]).exists():
            assert self.natije("ledger", "keygen", "--origin", "natije.test/ledger").exit_code == 0
        result = self.natije("ledger", "checkpoint")
        assert result.exit_code == 0, result.output
        return Path(result.output.split()[1].rstrip(":")).name

    def seqs(self, kind: str) -> list[int]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(LEDGER.c.seq).where(LEDGER.c.kind == kind).order_by(LEDGER.c.seq)).scalars())

    def head(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.max(LEDGER.c.seq))).scalar_one()

    def row(self, seq: int) -> dict:
        with self.engine.connect() as conn:
            return dict(conn.execute(select(LEDGER).where(LEDGER.c.seq == seq)).one()._mapping)

    @contextmanager
    def tampering(self):
        """A transaction with the ledger's guards off (SQLite: DROP TRIGGER, re-created after;
        PostgreSQL: ALTER TABLE ... DISABLE TRIGGER USER, enabled after)."""
        sqlite = self.engine.dialect.name == "sqlite"
        with self.engine.begin() as conn:
            if sqlite:
                saved = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                          "AND tbl_name = 'ledger'")).all()
                assert saved, "the ledger has no guards to get past"
                for name, _ in saved:
                    conn.execute(text(f"DROP TRIGGER {name}"))
            else:
                conn.execute(text("ALTER TABLE ledger DISABLE TRIGGER USER"))
            yield conn
            if sqlite:
                for _, sql in saved:
                    conn.execute(text(sql))
            else:
                conn.execute(text("ALTER TABLE ledger ENABLE TRIGGER USER"))

    def recompute_from(self, conn, first: int) -> None:
        """Recompute hash and prev of entries ``first``… (what a careful insider does after a rewrite)."""
        previous = ledger.GENESIS if first == 1 else conn.execute(
            select(LEDGER.c.hash).where(LEDGER.c.seq == first - 1)).scalar_one()
        rows = conn.execute(select(LEDGER).where(LEDGER.c.seq >= first).order_by(LEDGER.c.seq)).all()
        for row in rows:
            entry = {**dict(row._mapping), "prev": previous}
            digest = ledger.entry_hash(ledger.stored_entry(entry))
            conn.execute(LEDGER.update().where(LEDGER.c.seq == row.seq).values(prev=previous, hash=digest))
            previous = digest


@pytest.fixture
def store(demo_engine, database_url, tmp_path) -> Store:
    env = {"NATIJE_DATABASE_URL": database_url, "NATIJE_DATA_DIR": str(tmp_path),
           "NATIJE_LEDGER_KEY": str(tmp_path / "signer" / "ledger.key"),
           "NATIJE_CHECKPOINT_DIR": str(tmp_path / "checkpoints"), "NATIJE_ACTOR": "auditor"}
    return Store(demo_engine, env, tmp_path / "checkpoints")


def assert_caught(store: Store, code: str, *, seq: int | None = None, checkpoint: str | None = None) -> None:
    """`natije ledger verify` exits 5 and its verdict names ``code`` at entry ``seq`` / ``checkpoint``."""
    result = store.verify()
    verdict = result.output.splitlines()[0]
    assert result.exit_code == 5, result.output
    assert verdict.startswith("ledger NOT verified: "), verdict
    where = f"entry {seq}" if checkpoint is None else f"checkpoint {checkpoint}"
    assert f"NOT verified: {where}: {code}:" in verdict, verdict
    record = json.loads(store.natije("ledger", "verify", "--json", "--no-record").output)
    assert (record["ok"], record["problem"], record["first_bad_seq"]) == (False, code, seq if checkpoint is None else None)


def test_the_untouched_demo_store_verifies(store):
    result = store.verify()
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"ledger verified: {store.head():,} entries")


def test_edit_a_payload(store):
    seq = store.seqs("target.set")[100]
    with store.tampering() as conn:
        payload = store.row(seq)["payload"]
        changed = json.dumps({**json.loads(payload), "value": "99.9"}, sort_keys=True, separators=(",", ":"))
        conn.execute(LEDGER.update().where(LEDGER.c.seq == seq).values(payload=changed))
    assert_caught(store, "hash_mismatch", seq=seq)


def test_edit_an_actor_keeping_the_payload(store):
    seq = store.seqs("responsibility.assigned")[3]
    with store.tampering() as conn:
        conn.execute(LEDGER.update().where(LEDGER.c.seq == seq).values(actor="someone else"))
    assert_caught(store, "hash_mismatch", seq=seq)


def test_edit_a_hash(store):
    seq = store.seqs("batch.loaded")[5]
    with store.tampering() as conn:
        conn.execute(LEDGER.update().where(LEDGER.c.seq == seq).values(hash="f" * 64))
    assert_caught(store, "hash_mismatch", seq=seq)
    problems = json.loads(store.natije("ledger", "verify", "--json").output)["detail"]["problems"]
    assert {"code": "prev_mismatch", "seq": seq + 1} in [{"code": p["code"], "seq": p["seq"]} for p in problems]


def test_delete_an_entry(store):
    seq = store.seqs("instruction.status")[10]
    with store.tampering() as conn:
        conn.execute(LEDGER.delete().where(LEDGER.c.seq == seq))
    assert_caught(store, "seq_gap", seq=seq)


def test_delete_an_entry_that_records_a_row(store):
    seq = store.seqs("target.set")[7]
    with store.tampering() as conn:
        conn.execute(LEDGER.delete().where(LEDGER.c.seq == seq))
    assert_caught(store, "seq_gap", seq=seq)
    codes = {(p["code"], p["seq"]) for p in json.loads(store.natije("ledger", "verify", "--json").output)["detail"]["problems"]}
    assert ("uncovered_row", seq) in codes  # its targets row now points nowhere


def test_swap_two_entries(store):
    first = store.seqs("instruction.issued")[20]
    a, b = store.row(first), store.row(first + 1)
    fields = ("time", "actor", "kind", "payload", "prev", "hash")
    with store.tampering() as conn:  # through a placeholder: prev and hash are unique
        conn.execute(LEDGER.update().where(LEDGER.c.seq == first).values(prev="x", hash="y"))
        conn.execute(LEDGER.update().where(LEDGER.c.seq == first + 1).values({f: a[f] for f in fields}))
        conn.execute(LEDGER.update().where(LEDGER.c.seq == first).values({f: b[f] for f in fields}))
    assert_caught(store, "hash_mismatch", seq=first)


def test_insert_a_forged_entry_with_a_made_up_prev(store):
    head = store.head()
    forged = {"seq": head + 1, "time": "2025-11-15T10:00:00.000000Z", "actor": "insider", "kind": "approval",
              "payload": '{"by":"MINISTER","code":"NDP-2029","what":"plan"}', "prev": "ab" * 32}
    with store.engine.begin() as conn:  # INSERT needs no trickery: it is how the application writes
        conn.execute(LEDGER.insert().values(**forged, hash=ledger.entry_hash(ledger.stored_entry(forged))))
    assert_caught(store, "prev_mismatch", seq=head + 1)


def test_insert_a_well_chained_forged_target_without_its_row(store):
    head = store.row(store.head())
    forged = {"seq": head["seq"] + 1, "time": "2025-11-15T10:00:00.000000Z", "actor": "insider", "kind": "target.set",
              "payload": ledger.canonical_json(ledger.canonical_value({
                  "node": "NDP-2029", "indicator": "LIFE_EXPECTANCY", "region": "KZ", "year": 2029, "value": 70.0,
                  "previous": 77.0})), "prev": head["hash"]}
    with store.engine.begin() as conn:
        conn.execute(LEDGER.insert().values(**forged, hash=ledger.entry_hash(ledger.stored_entry(forged))))
    assert_caught(store, "covered_row_missing", seq=head["seq"] + 1)


def test_truncate_the_tail(store):
    head = store.head()
    name = store.checkpoint()
    with store.tampering() as conn:
        conn.execute(LEDGER.delete().where(LEDGER.c.seq > head - 3))
    assert_caught(store, "checkpoint_beyond_head", checkpoint=name)
    assert f"entries {head - 2}–{head} were removed" in store.verify().output


def test_truncate_the_tail_without_a_checkpoint_goes_unnoticed(store):
    """The documented limit: only a checkpoint knows how long the ledger was (the cut entries here
    record no rows, which would be left pointing at nothing)."""
    head = store.head()
    with writing(store.engine) as conn:
        ledger.ledger_writer(conn, "minister").append_many("approval", [
            {"what": "report", "code": f"Q{quarter}-2025", "by": "MINISTER"} for quarter in (1, 2, 3)])
    with store.tampering() as conn:
        conn.execute(LEDGER.delete().where(LEDGER.c.seq > head))
    result = store.verify()
    assert result.exit_code == 0, result.output


def test_rewrite_with_recomputed_hashes(store):
    name = store.checkpoint()
    seq = store.seqs("instruction.issued")[50]
    with store.tampering() as conn:
        payload = json.loads(store.row(seq)["payload"])
        payload["due_date"] = "2099-12-31"  # the instruction is no longer overdue
        conn.execute(LEDGER.update().where(LEDGER.c.seq == seq).values(payload=ledger.canonical_json(payload)))
        store.recompute_from(conn, seq)
    assert_caught(store, "checkpoint_head_mismatch", checkpoint=name)


def test_rewrite_with_recomputed_hashes_without_a_checkpoint_goes_unnoticed(store):
    seq = store.seqs("instruction.issued")[50]
    with store.tampering() as conn:
        payload = json.loads(store.row(seq)["payload"])
        payload["due_date"] = "2099-12-31"
        conn.execute(LEDGER.update().where(LEDGER.c.seq == seq).values(payload=ledger.canonical_json(payload)))
        store.recompute_from(conn, seq)
    assert store.verify().exit_code == 0


def test_a_later_checkpoint_by_the_insider_does_not_help_them(store):
    """Rewriting, then signing a new checkpoint with a key of one's own: the old checkpoint still
    contradicts, and the new one is signed by no trusted key."""
    old = store.checkpoint()
    seq = store.seqs("instruction.issued")[2]
    with store.tampering() as conn:
        payload = json.loads(store.row(seq)["payload"])
        payload["assignee"] = payload["issued_by"]
        conn.execute(LEDGER.update().where(LEDGER.c.seq == seq).values(payload=ledger.canonical_json(payload)))
        store.recompute_from(conn, seq)
    insider_env = {**store.env, "NATIJE_LEDGER_KEY": str(Path(store.env["NATIJE_DATA_DIR"]) / "insider.key")}
    insider = Store(store.engine, insider_env, store.checkpoint_dir)
    assert insider.natije("ledger", "keygen", "--origin", "natije.test/ledger").exit_code == 0
    assert insider.natije("ledger", "checkpoint").exit_code == 5  # it verifies first: the old checkpoint objects
    result = store.verify()  # the insider's keygen replaced the store's key: that is reported too
    assert result.exit_code == 5 and f"checkpoint {old}: checkpoint_head_mismatch" in result.output
    assert "public_key_mismatch" in result.output and len(list(store.checkpoint_dir.iterdir())) == 1


def test_edit_a_checkpoint_file(store):
    name = store.checkpoint()
    path = store.checkpoint_dir / name
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = str(int(lines[1]) - 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    assert_caught(store, "checkpoint_bad_signature", checkpoint=name)


def test_replace_the_public_key_in_the_store(store):
    name = store.checkpoint()
    key = store.env["NATIJE_LEDGER_KEY"]
    Path(key + ".pub").unlink()  # the web server's view: only the store's key
    other = checkpoints.generate_key(Path(store.env["NATIJE_DATA_DIR"]) / "other.key", "natije.test/ledger")
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM store_meta WHERE key = 'ledger_public_key'"))
    checkpoints.publish_public_key(store.engine, other, dt.datetime.now(dt.timezone.utc))
    assert_caught(store, "checkpoint_unknown_key", checkpoint=name)


def test_change_an_observation_version_covered_by_a_batch_hash(store):
    with store.engine.connect() as conn:
        observation = conn.execute(select(Observation.id, Observation.batch_id).order_by(Observation.id)
                                   .offset(12345).limit(1)).one()
        seq = conn.execute(select(LoadBatch.ledger_seq).where(LoadBatch.id == observation.batch_id)).scalar_one()
    with store.engine.begin() as conn:
        conn.execute(Observation.__table__.update().where(Observation.id == observation.id)
                     .values(value=Observation.value + 0.5))
    assert_caught(store, "content_hash_mismatch", seq=seq)


def test_remove_an_observation_version(store):
    with store.engine.connect() as conn:
        observation = conn.execute(select(Observation.id, Observation.batch_id).order_by(Observation.id.desc())
                                   .limit(1)).one()
        seq = conn.execute(select(LoadBatch.ledger_seq).where(LoadBatch.id == observation.batch_id)).scalar_one()
    with store.engine.begin() as conn:
        conn.execute(Observation.__table__.delete().where(Observation.id == observation.id))
    assert_caught(store, "content_hash_mismatch", seq=seq)


def test_change_a_figure_in_the_summary_the_pages_read(store):
    current = ObservationCurrent.__table__
    with store.engine.connect() as conn:
        row = conn.execute(select(current).order_by(current.c.indicator_id, current.c.region_id, current.c.period_start)
                           .offset(777).limit(1)).one()
        seq = conn.execute(select(LoadBatch.ledger_seq).join(Observation, Observation.batch_id == LoadBatch.id).where(
            Observation.indicator_id == row.indicator_id, Observation.region_id == row.region_id,
            Observation.period == row.period, Observation.version == row.version)).scalar_one()
    with store.engine.begin() as conn:
        conn.execute(current.update().where(current.c.indicator_id == row.indicator_id,
                                            current.c.region_id == row.region_id,
                                            current.c.period_start == row.period_start).values(value=row.value + 1))
    assert_caught(store, "summary_mismatch", seq=seq)


def test_change_a_target_value(store):
    with store.engine.connect() as conn:
        target = conn.execute(select(Target.id, Target.ledger_seq).order_by(Target.id).offset(500).limit(1)).one()
    with store.engine.begin() as conn:
        conn.execute(Target.__table__.update().where(Target.id == target.id).values(value=Target.value * 0.9))
    assert_caught(store, "covered_row_changed", seq=target.ledger_seq)
    assert f"targets row {target.id} differs" in store.verify().output and "value:" in store.verify().output


def test_change_a_responsibility(store):
    with store.engine.connect() as conn:
        row = conn.execute(select(Responsibility.id, Responsibility.ledger_seq, Responsibility.official_id)
                           .order_by(Responsibility.id).offset(40).limit(1)).one()
        other = conn.execute(select(Official.id).where(Official.id != row.official_id).order_by(Official.id)
                             .limit(1)).scalar_one()
    with store.engine.begin() as conn:  # someone else was accountable all along
        conn.execute(Responsibility.__table__.update().where(Responsibility.id == row.id).values(official_id=other))
    assert_caught(store, "covered_row_changed", seq=row.ledger_seq)
    assert "official: entry" in store.verify().output


def test_the_database_still_refuses_updates_after_tampering(store):
    """The guards are back after each tampering (test_ledger.py covers the refusals themselves)."""
    with store.tampering():
        pass
    with pytest.raises(Exception, match="append-only"):
        with store.engine.begin() as conn:
            conn.execute(LEDGER.update().where(LEDGER.c.seq == 1).values(actor="x"))
