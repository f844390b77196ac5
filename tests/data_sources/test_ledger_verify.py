"""Ledger verification: the fast paths equal the canonical definitions, the demo store verifies, each run
is recorded, covered rows are checked field by field; signed checkpoints in the C2SP formats."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from data_sources import checkpoints, ledger
from data_sources.ledger import text_sha256
from data_sources.ledger_verify import (
    PROBLEM_CODES,
    batch_content_hashes,
    latest_verification,
    verify_ledger,
)
from data_sources.store import (
    GoalCommentary,
    Indicator,
    LedgerEntry,
    LedgerVerification,
    LoadBatch,
    Node,
    ObservationCurrent,
    Official,
    Responsibility,
    writing,
)
from data_sources.writes import batch_versions

datalayer = pytest.mark.datalayer
UTC = dt.timezone.utc
ROOT_DOCS = Path(__file__).resolve().parents[2] / "docs"

# golang.org/x/mod/sumdb/note's reference key and note (its tests and package documentation).
GO_SIGNER_SEED = base64.b64decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")[1:]
GO_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_NOTE = GO_TEXT + ("\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdng"
                     "otpRZb6KE6RyyBwJnAM=\n")


# -- the canonical form, fast and slow ---------------------------------------------------------------


@pytest.mark.parametrize("actor", ["root", "аналитик Әсел", 'quote " and \\ backslash', "tab\tnew\nline\x01", "😀"])
def test_entry_text_from_columns_is_the_canonical_json_of_the_stored_entry(actor):
    payload = ledger.canonical_json(ledger.canonical_value({"node": "NDP-2029", "value": 77.5, "note": actor,
                                                           "when": dt.date(2029, 1, 1), "none": None}))
    row = {"seq": 42, "time": "2025-11-15T08:30:00.123456Z", "actor": actor, "kind": "target.set",
           "payload": payload, "prev": "ab" * 32}
    assert ledger.stored_entry_text(**row) == ledger.canonical_json(ledger.stored_entry(row))


def test_documented_worked_example_hash():
    """docs/ledger.md gives this entry and its hash, so an auditor can check an independent verifier."""
    entry = {"seq": 1, "time": "2025-11-15T08:30:00.000000Z", "actor": "aigerim", "kind": "target.set",
             "payload": {"indicator": "LIFE_EXPECTANCY", "node": "NDP-2029", "previous": None, "region": "KZ",
                         "value": "77.0", "year": "2029"},
             "prev": ledger.GENESIS}
    expected = ('{"actor":"aigerim","kind":"target.set","payload":{"indicator":"LIFE_EXPECTANCY","node":"NDP-2029",'
                '"previous":null,"region":"KZ","value":"77.0","year":"2029"},"prev":"' + "0" * 64
                + '","seq":1,"time":"2025-11-15T08:30:00.000000Z"}')
    assert ledger.canonical_json(entry) == expected
    digest = ledger.entry_hash(entry)
    assert digest == hashlib.sha256(expected.encode("utf-8")).hexdigest()
    doc = (ROOT_DOCS / "ledger.md").read_text(encoding="utf-8")
    assert expected in doc and digest in doc


def test_text_sha256_is_sha256_of_the_canonical_json_of_the_text():
    words = {"ru": "Срок сдвинут: подрядчик", "kk": "Мерзім", "en": "Delayed \"by\" the contractor"}
    assert text_sha256(words) == hashlib.sha256(ledger.canonical_json(words).encode("utf-8")).hexdigest()
    assert text_sha256(words) == text_sha256(dict(reversed(list(words.items()))))


@datalayer
def test_every_demo_entry_hashes_the_same_fast_and_canonically(readonly_demo_engine):
    table = LedgerEntry.__table__
    with readonly_demo_engine.connect() as conn:
        rows = [r._mapping for r in conn.execute(select(table).order_by(table.c.seq))]
    assert len(rows) > 1000
    for row in rows:
        fast = ledger.stored_entry_text(row["seq"], row["time"], row["actor"], row["kind"], row["payload"], row["prev"])
        assert fast == ledger.canonical_json(ledger.stored_entry(row))
        assert hashlib.sha256(fast.encode("utf-8")).hexdigest() == ledger.entry_hash(ledger.stored_entry(row)) == row["hash"]


@datalayer
def test_streamed_batch_hashes_equal_content_hash_of_batch_versions(readonly_demo_engine):
    with readonly_demo_engine.connect() as conn:
        digests, versions = batch_content_hashes(conn)
        batches = conn.execute(select(LoadBatch.id, LoadBatch.content_hash)).all()
        empty = ledger.content_hash([])
        total = 0
        for batch_id, recorded in batches:
            versions_of_batch = batch_versions(conn, batch_id)
            assert digests.get(batch_id, empty) == ledger.content_hash(versions_of_batch) == recorded
            total += len(versions_of_batch)
    assert versions == total > 50_000


# -- whole runs ----------------------------------------------------------------------------------


@datalayer
def test_the_demo_store_verifies_and_the_run_is_recorded(demo_engine, tmp_path):
    with demo_engine.connect() as conn:
        size = conn.execute(select(func.count()).select_from(LedgerEntry)).scalar_one()
        head = conn.execute(select(LedgerEntry.hash).order_by(LedgerEntry.seq.desc()).limit(1)).scalar_one()
    assert latest_verification(demo_engine) is None
    result = verify_ledger(demo_engine, tmp_path / "none", actor="auditor")
    assert result.ok, result.message
    assert (result.entries, result.head_seq, result.head_hash) == (size, size, head)
    assert result.covered_rows > 100_000 and result.checkpoints == 0
    assert result.message.startswith(f"ledger verified: {size:,} entries")
    recorded = latest_verification(demo_engine)
    assert set(recorded) == {c.name for c in LedgerVerification.__table__.columns}
    assert recorded["id"] == result.id and recorded["ok"] is True and recorded["problem"] is None
    assert recorded["entries"] == size and recorded["head_hash"] == head and recorded["actor"] == "auditor"
    assert recorded["verified_at"].tzinfo is not None and recorded["detail"]["problem_count"] == 0
    again = verify_ledger(demo_engine, tmp_path, actor="cron", record=False)
    assert again.ok and latest_verification(demo_engine)["id"] == result.id


@datalayer
def test_an_empty_ledger_verifies(empty_engine, tmp_path):
    result = verify_ledger(empty_engine, tmp_path, actor="a")
    assert result.ok and result.entries == 0 and result.head_seq is None and result.covered_rows == 0
    assert latest_verification(empty_engine)["entries"] == 0


def _goal(conn):
    """A node, one of its goal indicators and an official of the demo."""
    node = conn.execute(select(Node.id, Node.code).where(Node.level == "program").order_by(Node.code).limit(1)).one()
    indicator = conn.execute(select(Indicator.id, Indicator.code).order_by(Indicator.code).limit(1)).one()
    official = conn.execute(select(Official.id, Official.code).order_by(Official.code).limit(1)).one()
    return node, indicator, official


def _write_commentary(engine, *, on_behalf: bool, status: str = "amber") -> int:
    """A goal commentary row and its commentary.set entry, as docs/ledger.md defines the payload."""
    words = {"ru": "Отставание из-за поставщика", "kk": "Жеткізуші кешіктірді", "en": "Behind: the supplier is late"}
    with writing(engine) as conn:
        node, indicator, official = _goal(conn)
        entry = ledger.ledger_writer(conn, "analyst" if on_behalf else official.code).append("commentary.set", {
            "node": node.code, "indicator": indicator.code, "official": official.code,
            "on_behalf_of": official.code if on_behalf else None, "status": status,
            "text_sha256": text_sha256(words), "recovery_action_due": dt.date(2026, 3, 31)})
        conn.execute(GoalCommentary.__table__.insert().values(
            node_id=node.id, indicator_id=indicator.id, official_id=official.id,
            entered_by="analyst" if on_behalf else official.code, on_behalf=on_behalf, status=status, text=words,
            recovery_action={"ru": "Новый поставщик", "kk": "Жаңа жеткізуші", "en": "A new supplier"},
            recovery_due=dt.date(2026, 3, 31), recorded_at=dt.datetime.now(UTC), ledger_seq=entry.seq))
    return entry.seq


@datalayer
@pytest.mark.parametrize("on_behalf", [False, True])
def test_commentary_rows_are_checked_against_their_entries(demo_engine, tmp_path, on_behalf):
    seq = _write_commentary(demo_engine, on_behalf=on_behalf)
    assert verify_ledger(demo_engine, tmp_path, actor="a", record=False).ok
    table = GoalCommentary.__table__
    with writing(demo_engine) as conn:  # the word is rewritten after the fact
        conn.execute(table.update().where(table.c.ledger_seq == seq).values(
            text={"ru": "Всё по плану", "kk": "Жоспар бойынша", "en": "On track"}))
    result = verify_ledger(demo_engine, tmp_path, actor="a", record=False)
    assert (result.first.code, result.first.seq) == ("covered_row_changed", seq)
    assert "text_sha256" in result.first.message


@datalayer
def test_a_row_without_an_entry_and_an_entry_without_a_row_are_reported(demo_engine, tmp_path):
    seq = _write_commentary(demo_engine, on_behalf=False)
    table = GoalCommentary.__table__
    with writing(demo_engine) as conn:
        row = conn.execute(select(table).where(table.c.ledger_seq == seq)).one()._mapping
        conn.execute(table.insert().values({**{k: v for k, v in row.items() if k != "id"}, "ledger_seq": None}))
        conn.execute(table.insert().values({**{k: v for k, v in row.items() if k != "id"}, "ledger_seq": 1}))
        conn.execute(table.delete().where(table.c.id == row["id"]))
    result = verify_ledger(demo_engine, tmp_path, actor="a", record=False)
    found = {(p.code, p.seq) for p in result.problems}
    assert ("uncovered_row", None) in found  # recorded by no entry
    assert ("uncovered_row", 1) in found  # points at a target.set entry
    assert ("covered_row_missing", seq) in found  # the entry's row is gone
    assert result.first.seq == 1


@datalayer
def test_the_end_of_a_responsibility_is_covered_by_its_ended_entry(demo_engine, tmp_path):
    table = Responsibility.__table__
    with demo_engine.connect() as conn:
        ended = conn.execute(select(table.c.id, table.c.ledger_seq).where(table.c.valid_to.is_not(None))
                             .order_by(table.c.id).limit(1)).one()
        open_row = conn.execute(select(table.c.id, table.c.ledger_seq).where(table.c.valid_to.is_(None))
                                .order_by(table.c.id).limit(1)).one()
    with writing(demo_engine) as conn:  # one end moved a year on, one open responsibility silently ended
        conn.execute(table.update().where(table.c.id == ended.id).values(valid_to=dt.date(2031, 1, 1)))
        conn.execute(table.update().where(table.c.id == open_row.id).values(valid_to=dt.date(2024, 1, 1)))
    result = verify_ledger(demo_engine, tmp_path, actor="a", record=False)
    messages = [p.message for p in result.problems if p.code == "covered_row_changed"]
    assert any(f"responsibilities row {ended.id} ends on 2031-01-01" in m for m in messages)
    assert any(f"responsibilities row {open_row.id} ends on 2024-01-01" in m for m in messages)
    assert any("ends no responsibilities row" in m for m in messages)  # the original end is orphaned


def test_problem_codes_are_documented():
    doc = (ROOT_DOCS / "ledger.md").read_text(encoding="utf-8")
    for code in PROBLEM_CODES:
        assert f"| `{code}` |" in doc, code


# -- keys and checkpoints ------------------------------------------------------------------------


def test_go_note_reference_vector_signs_and_verifies():
    signer = checkpoints.Signer(Ed25519PrivateKey.from_private_bytes(GO_SIGNER_SEED), "PeterNeumann")
    assert signer.verifier.text == GO_VERIFIER_KEY
    assert signer.sign(GO_TEXT) == GO_NOTE
    key = checkpoints.VerifierKey.parse(GO_VERIFIER_KEY)
    assert key == signer.verifier and key.key_id.hex() == "c74f20a3"
    signature = base64.b64decode(GO_NOTE.rsplit(" ", 1)[1])
    assert signature[:4] == key.key_id and key.verifies(GO_TEXT.encode(), signature[4:])
    assert not key.verifies(GO_TEXT.replace("answer", "Answer").encode(), signature[4:])


@pytest.mark.parametrize("bad", ["PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                                 "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                                 "PeterNeumann+c74f20a3+AhpcxQcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                                 "PeterNeumann+c74f20a3", "nonsense"])
def test_malformed_verifier_keys_are_refused(bad):
    with pytest.raises(checkpoints.CheckpointError):
        checkpoints.VerifierKey.parse(bad)


def test_keygen_writes_a_0600_private_key_and_refuses_to_overwrite(tmp_path):
    path = tmp_path / "keys" / "ledger.key"
    verifier = checkpoints.generate_key(path, "natije.test/ledger")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert checkpoints.public_key_path(path).read_text().strip() == verifier.text
    assert verifier.text.startswith("natije.test/ledger+") and len(verifier.text.split("+")[1]) == 8
    assert checkpoints.load_signer(path).verifier == verifier
    with pytest.raises(checkpoints.CheckpointError, match="--force"):
        checkpoints.generate_key(path, "natije.test/ledger")
    replaced = checkpoints.generate_key(path, "natije.test/ledger", force=True)
    assert replaced != verifier and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["ledger.key", "ledger.key.pub"]  # no temp files left


def test_an_encrypted_key_needs_its_passphrase(tmp_path):
    path = tmp_path / "ledger.key"
    verifier = checkpoints.generate_key(path, "natije.test/ledger", passphrase=b"correct horse")
    assert "ENCRYPTED" in path.read_text()
    with pytest.raises(checkpoints.CheckpointError):
        checkpoints.load_signer(path)
    assert checkpoints.load_signer(path, b"correct horse").verifier == verifier


def test_a_public_key_file_of_another_key_is_refused(tmp_path):
    first, second = tmp_path / "a.key", tmp_path / "b.key"
    checkpoints.generate_key(first, "natije.test/ledger")
    checkpoints.generate_key(second, "natije.test/ledger")
    checkpoints.public_key_path(first).write_text(checkpoints.public_key_path(second).read_text())
    with pytest.raises(checkpoints.CheckpointError, match="does not hold the public key"):
        checkpoints.load_signer(first)


def test_checkpoint_file_format_round_trips(tmp_path):
    checkpoints.generate_key(tmp_path / "ledger.key", "natije.test/ledger")
    signer = checkpoints.load_signer(tmp_path / "ledger.key")
    at = dt.datetime(2025, 11, 15, 8, 30, 5, tzinfo=UTC)
    path = checkpoints.write_checkpoint(tmp_path / "cp", signer, 5379, "cd" * 32, at)
    assert path.name == "5379-20251115T083005Z.checkpoint"
    note = path.read_text(encoding="utf-8")
    lines = note.split("\n")
    assert lines[:5] == ["natije.test/ledger", "5379", base64.b64encode(bytes.fromhex("cd" * 32)).decode(),
                         "time 2025-11-15T08:30:05Z", ""]
    assert lines[5].startswith("— natije.test/ledger ") and lines[6] == "" and len(lines) == 7
    signature = base64.b64decode(lines[5].rsplit(" ", 1)[1])
    assert signature[:4] == signer.verifier.key_id and len(signature) == 68
    parsed = checkpoints.parse_checkpoint(note)
    assert (parsed.origin, parsed.size, parsed.head_hash, parsed.time) == ("natije.test/ledger", 5379, "cd" * 32, at)
    assert checkpoints.signature_status(parsed, [signer.verifier]) == "verified"
    assert checkpoints.signature_status(parsed, []) == "unknown_key"
    forged = checkpoints.parse_checkpoint(note.replace("\n5379\n", "\n5380\n"))
    assert checkpoints.signature_status(forged, [signer.verifier]) == "bad_signature"
    assert not any(p.name.startswith(".") for p in path.parent.iterdir())


@pytest.mark.parametrize("note", [
    "origin\n12\n" + base64.b64encode(b"x" * 32).decode() + "\n",  # no signature
    "origin\n012\n" + base64.b64encode(b"x" * 32).decode() + "\n\n— origin AAAAAAAA\n",  # leading zero
    "origin\n12\n" + base64.b64encode(b"x" * 31).decode() + "\n\n— origin AAAAAAAA\n",  # 31-byte hash
    "origin\n12\n\n— origin AAAAAAAA\n",  # two lines
    "origin\n12\n" + base64.b64encode(b"x" * 32).decode() + "\n\n- origin AAAAAAAA\n",  # hyphen, not em dash
    "origin\x07\n12\n" + base64.b64encode(b"x" * 32).decode() + "\n\n— origin AAAAAAAA\n",  # control character
])
def test_malformed_checkpoints_are_refused(note):
    with pytest.raises(checkpoints.CheckpointError):
        checkpoints.parse_checkpoint(note)


def test_latest_checkpoint_is_the_largest_readable_one(tmp_path):
    checkpoints.generate_key(tmp_path / "ledger.key", "natije.test/ledger")
    signer = checkpoints.load_signer(tmp_path / "ledger.key")
    directory = tmp_path / "cp"
    assert checkpoints.latest_checkpoint(directory) is None
    at = dt.datetime(2025, 11, 15, tzinfo=UTC)
    checkpoints.write_checkpoint(directory, signer, 10, "aa" * 32, at)
    newest = checkpoints.write_checkpoint(directory, signer, 12, "bb" * 32, at + dt.timedelta(hours=1))
    checkpoints.write_checkpoint(directory, signer, 11, "cc" * 32, at + dt.timedelta(hours=2))
    (directory / "99-20990101T000000Z.checkpoint").write_text("garbage")
    latest = checkpoints.latest_checkpoint(directory, [signer.verifier.text])
    assert (latest.path, latest.size, latest.head_hash, latest.origin, latest.verified) == (
        newest, 12, "bb" * 32, "natije.test/ledger", True)
    assert latest.time == at + dt.timedelta(hours=1)
    assert checkpoints.latest_checkpoint(directory).verified is False  # no key given: not verified


@datalayer
def test_public_key_in_the_store_and_retired_keys(empty_engine, tmp_path):
    assert checkpoints.public_verifier_key(empty_engine) is None
    first = checkpoints.generate_key(tmp_path / "ledger.key", "natije.test/ledger")
    checkpoints.publish_public_key(empty_engine, first, dt.datetime(2025, 1, 1, tzinfo=UTC))
    assert checkpoints.public_verifier_key(empty_engine) == first.text
    second = checkpoints.generate_key(tmp_path / "ledger.key", "natije.test/ledger", force=True)
    checkpoints.publish_public_key(empty_engine, second, dt.datetime(2025, 6, 1, tzinfo=UTC))
    stored = checkpoints.stored_public_keys(empty_engine)
    assert stored["verifier_key"] == second.text and stored["created_at"] == "2025-06-01T00:00:00Z"
    assert stored["retired"] == [{"verifier_key": first.text, "created_at": "2025-01-01T00:00:00Z",
                                  "retired_at": "2025-06-01T00:00:00Z"}]
    assert checkpoints.trusted_keys(empty_engine) == [second, first]


@datalayer
def test_checkpoints_signed_by_a_retired_key_still_verify(demo_engine, tmp_path):
    key_path, directory = tmp_path / "ledger.key", tmp_path / "cp"
    old = checkpoints.generate_key(key_path, "natije.test/ledger")
    checkpoints.publish_public_key(demo_engine, old, dt.datetime.now(UTC))
    first = verify_ledger(demo_engine, directory, actor="a", ledger_key=key_path, record=False)
    checkpoints.write_checkpoint(directory, checkpoints.load_signer(key_path), first.head_seq, first.head_hash,
                                 first.verified_at)
    new = checkpoints.generate_key(key_path, "natije.test/ledger", force=True)
    checkpoints.publish_public_key(demo_engine, new, dt.datetime.now(UTC))
    result = verify_ledger(demo_engine, directory, actor="a", ledger_key=key_path, record=False)
    assert result.ok and result.checkpoints == 1, result.message


@datalayer
def test_a_store_key_that_is_not_the_key_file_is_reported(demo_engine, tmp_path):
    key_path = tmp_path / "ledger.key"
    checkpoints.generate_key(key_path, "natije.test/ledger")
    stranger = checkpoints.generate_key(tmp_path / "other.key", "natije.test/ledger")
    checkpoints.publish_public_key(demo_engine, stranger, dt.datetime.now(UTC))
    result = verify_ledger(demo_engine, tmp_path / "cp", actor="a", ledger_key=key_path, record=False)
    assert [p.code for p in result.problems] == ["public_key_mismatch"]


def test_documented_checkpoint_example_is_signed_by_the_documented_key():
    doc = (ROOT_DOCS / "ledger.md").read_text(encoding="utf-8")
    signer = checkpoints.Signer(Ed25519PrivateKey.from_private_bytes(bytes(range(32))), "natije.example/ledger")
    note = signer.sign(checkpoints.checkpoint_text(
        "natije.example/ledger", 1, "766c9cef50182cac294235a62b83094531e6c7e45e6399fbd473bdf54037715d",
        dt.datetime(2025, 11, 15, 8, 30, 5, tzinfo=UTC)))
    assert note in doc and signer.verifier.text in doc
    parsed = checkpoints.parse_checkpoint(note)
    assert checkpoints.signature_status(parsed, [checkpoints.VerifierKey.parse(signer.verifier.text)]) == "verified"


@datalayer
def test_a_garbled_public_key_file_is_reported(demo_engine, tmp_path):
    key_path = tmp_path / "ledger.key"
    checkpoints.generate_key(key_path, "natije.test/ledger")
    checkpoints.public_key_path(key_path).write_text("garbage\n")
    result = verify_ledger(demo_engine, tmp_path / "cp", actor="a", ledger_key=key_path, record=False)
    assert [p.code for p in result.problems] == ["public_key_mismatch"] and "unreadable" in result.message


@datalayer
@pytest.mark.parametrize("change, words", [
    ("delete", "has no row for"),
    ({"published_value": -1.0}, "the published figure -1.0"),
    ({"version": 99}, "shows version 99, which does not exist"),
    ({"state": "draft"}, "(draft) for version"),
])
def test_the_summary_the_pages_read_is_checked_against_the_versions(demo_engine, tmp_path, change, words):
    current = ObservationCurrent.__table__
    with demo_engine.connect() as conn:
        row = conn.execute(select(current).where(current.c.published_version.is_not(None), current.c.state == "published")
                           .order_by(current.c.indicator_id, current.c.region_id, current.c.period_start)
                           .offset(100).limit(1)).one()
    key = ((current.c.indicator_id == row.indicator_id) & (current.c.region_id == row.region_id)
           & (current.c.period_start == row.period_start))
    with writing(demo_engine) as conn:
        conn.execute(current.delete().where(key) if change == "delete" else current.update().where(key).values(change))
    result = verify_ledger(demo_engine, tmp_path, actor="a", record=False)
    assert [p.code for p in result.problems] == ["summary_mismatch"] and words in result.message, result.message
    assert (result.first.seq is None) == (change == {"version": 99})  # no version, no batch entry to name
