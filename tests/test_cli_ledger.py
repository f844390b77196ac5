"""`natije ledger keygen | checkpoint | verify`: the command-line interface, its files and exit statuses."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest


@pytest.fixture
def ledger_env(settings_env, store_copy, harness, tmp_path):
    """A demo copy with the signing key and the checkpoints in the test's own directories."""
    return settings_env.env(database_url=harness.sqlite_url(store_copy), ledger_key=tmp_path / "signer" / "ledger.key",
                            checkpoint_dir=tmp_path / "checkpoints", actor="cron")


def test_keygen_checkpoint_verify(natije_cli, ledger_env, tmp_path):
    key = Path(ledger_env["NATIJE_LEDGER_KEY"])
    made = natije_cli("ledger", "keygen", "--origin", "natije.test/ledger", env=ledger_env).stdout
    verifier = made.split("verifier key")[1].strip()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert Path(str(key) + ".pub").read_text().strip() == verifier and verifier.startswith("natije.test/ledger+")

    refused = natije_cli("ledger", "keygen", env=ledger_env, check=False)
    assert refused.returncode == 3 and "--force" in refused.stderr

    signed = natije_cli("ledger", "checkpoint", env=ledger_env).stdout
    files = list(Path(ledger_env["NATIJE_CHECKPOINT_DIR"]).iterdir())
    assert len(files) == 1 and files[0].name.endswith(".checkpoint") and str(files[0]) in signed
    origin, size, head, time_line = files[0].read_text(encoding="utf-8").split("\n")[:4]
    assert origin == "natije.test/ledger" and time_line.startswith("time ")

    verified = natije_cli("ledger", "verify", "--json", env=ledger_env).stdout
    record = json.loads(verified)
    assert record["ok"] is True and record["checkpoints"] == 1 and record["head_seq"] == int(size)
    assert record["actor"] == "cron" and record["problem"] is None and record["detail"]["problem_count"] == 0
    assert set(record) == {"id", "verified_at", "entries", "head_seq", "head_hash", "ok", "problem", "first_bad_seq",
                           "detail", "covered_rows", "checkpoints", "seconds", "actor"}

    # an auditor: no key file, the verifier key given on the command line, the run not recorded
    auditor = {**ledger_env, "NATIJE_LEDGER_KEY": str(tmp_path / "nowhere.key")}
    key_file = tmp_path / "published.pub"
    key_file.write_text(verifier + "\n")
    for given in (verifier, str(key_file)):
        plain = natije_cli("ledger", "verify", "--key", given, "--no-record", env=auditor).stdout
        assert plain.startswith("ledger verified: ") and "1 checkpoint" in plain
    bad = natije_cli("ledger", "verify", "--key", "not-a-key", env=auditor, check=False)
    assert bad.returncode == 2 and "--key" in bad.stderr


def test_verify_names_the_first_bad_entry_and_exits_5(natije_cli, ledger_env, store_copy):
    con = sqlite3.connect(store_copy)
    con.execute("DROP TRIGGER ledger_no_update")
    con.execute("UPDATE ledger SET actor = 'nobody' WHERE seq = 77")
    con.commit()
    con.close()
    broken = natije_cli("ledger", "verify", env=ledger_env, check=False)
    assert broken.returncode == 5
    assert broken.stdout.startswith("ledger NOT verified: entry 77: hash_mismatch: ")
    assert "  hash_mismatch" in broken.stdout.splitlines()[1]
    refused = natije_cli("ledger", "checkpoint", env=ledger_env, check=False)
    assert refused.returncode == 3 and "ledger keygen" in refused.stderr  # no key yet
    natije_cli("ledger", "keygen", env=ledger_env)
    refused = natije_cli("ledger", "checkpoint", env=ledger_env, check=False)
    assert refused.returncode == 5 and "Refused to sign" in refused.stderr
    assert not Path(ledger_env["NATIJE_CHECKPOINT_DIR"]).exists() or not any(
        Path(ledger_env["NATIJE_CHECKPOINT_DIR"]).iterdir())


def test_checkpoint_refuses_a_key_the_store_does_not_know(natije_cli, ledger_env, tmp_path):
    natije_cli("ledger", "keygen", env=ledger_env)
    elsewhere = {**ledger_env, "NATIJE_LEDGER_KEY": str(tmp_path / "other" / "ledger.key")}
    natije_cli("ledger", "keygen", env=elsewhere)  # now the store holds the other key
    refused = natije_cli("ledger", "checkpoint", env=ledger_env, check=False)
    assert refused.returncode == 3 and "store's public key" in refused.stderr


def test_an_encrypted_key_signs_with_its_passphrase(natije_cli, ledger_env):
    env = {**ledger_env, "SIGNER_PASSPHRASE": "correct horse battery"}
    natije_cli("ledger", "keygen", "--passphrase-env", "SIGNER_PASSPHRASE", env=env)
    assert "ENCRYPTED" in Path(ledger_env["NATIJE_LEDGER_KEY"]).read_text()
    assert natije_cli("ledger", "checkpoint", env=ledger_env, check=False).returncode == 3
    natije_cli("ledger", "checkpoint", "--passphrase-env", "SIGNER_PASSPHRASE", env=env)


def test_demo_force_recreates_a_store_that_was_verified_and_checkpointed(natije_cli, ledger_env, demo_spec):
    natije_cli("ledger", "keygen", env=ledger_env)
    natije_cli("ledger", "checkpoint", env=ledger_env)
    natije_cli(*demo_spec.args(), "--force", env=ledger_env)
    # a new store, a new history: its ledger verifies by itself ...
    fresh = natije_cli("ledger", "verify", "--checkpoints", str(Path(ledger_env["NATIJE_CHECKPOINT_DIR"]) / "new"),
                       env=ledger_env)
    assert fresh.stdout.startswith("ledger verified: ")
    # ... and the old store's checkpoint says so: it does not vouch for this history
    old = natije_cli("ledger", "verify", env=ledger_env, check=False)
    assert old.returncode == 5 and "checkpoint_head_mismatch" in old.stdout
