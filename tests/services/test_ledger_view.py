"""``/ledger``'s composition (services/ledger_view.py): the URL's state made safe, each kind of entry in
words in kk/ru/en, the chain's status from the last verification run (with its age), the public key
and the latest checkpoint checked against the chain, the page of entries and the history of a goal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from data_sources import checkpoints, ledger_view
from data_sources.settings import load_settings
from data_sources.store import LedgerVerification, writing
from data_sources.viewer import Viewer
from services.context import make_context
from services.i18n import translator
from services.ledger_view import (
    ENTRY_VIEW_COLUMNS,
    PAGE_SIZE,
    LedgerQuery,
    build_ledger_page,
    chain_status,
    entry_summary,
    ledger_query,
)

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
EN, RU, KK = translator("en"), translator("ru"), translator("kk")


@pytest.fixture
def write_ctx(demo_engine, database_url, tmp_path):
    """``write_ctx(lang, viewer)`` -> a Context on a private demo copy whose checkpoints live in
    ``tmp_path / "checkpoints"``."""
    def make(lang="en", viewer=None):
        settings = load_settings({"NATIJE_DATABASE_URL": database_url, "NATIJE_DATA_DIR": str(tmp_path),
                                  "NATIJE_CHECKPOINT_DIR": str(tmp_path / "checkpoints")})
        return make_context(demo_engine, settings, lang=lang, viewer=viewer)
    return make


def record_run(engine, *, at: dt.datetime, ok: bool = True, entries: int | None = None, problem: str | None = None,
               first_bad_seq: int | None = None) -> None:
    head = ledger_view.chain_head(engine)
    with writing(engine) as conn:
        conn.execute(LedgerVerification.__table__.insert().values(
            verified_at=at, entries=head["entries"] if entries is None else entries, head_seq=head["head_seq"],
            head_hash=head["head_hash"], ok=ok, problem=problem, first_bad_seq=first_bad_seq, covered_rows=10,
            checkpoints=0, seconds=0.1, actor="test"))


# --- the URL's state -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ({}, LedgerQuery()),
    ({"kind": "target.set", "node": " np-health ", "indicator": "life_expectancy", "official": "of-gov-01",
      "page": "3"}, LedgerQuery("target.set", "NP-HEALTH", "LIFE_EXPECTANCY", "OF-GOV-01", 3)),
    ({"kind": "DROP TABLE ledger", "page": "-4"}, LedgerQuery()),
    ({"kind": ["target.set"], "node": 42, "page": "1e9"}, LedgerQuery()),
    ({"page": str(10**30)}, LedgerQuery(page=100_000)),
    ({"page": True, "node": "   "}, LedgerQuery()),
    ({"node": "x" * 500}, LedgerQuery(node="X" * 64)),
])
def test_the_urls_state_is_made_safe(raw, expected):
    assert ledger_query(**raw) == expected


# --- entries in words ----------------------------------------------------------------------------------------

TARGET = {"node": "NP-HEALTH", "indicator": "LIFE_EXPECTANCY", "region": "KZ", "year": "2029", "value": "75.0",
          "previous": "74.0"}


@pytest.mark.parametrize(("t", "expected"), [
    (EN, "NP-HEALTH · LIFE_EXPECTANCY · KZ · 2029 → 75.0 (was 74.0)"),
    (RU, "NP-HEALTH · LIFE_EXPECTANCY · KZ · 2029 год → 75,0 (было 74,0)"),
    (KK, "NP-HEALTH · LIFE_EXPECTANCY · KZ · 2029 жыл → 75,0 (бұрын 74,0)"),
])
def test_a_target_change_in_each_language(t, expected):
    assert entry_summary("target.set", TARGET, t) == expected
    assert "(" not in entry_summary("target.set", {**TARGET, "previous": None}, t)


def test_every_kind_in_words():
    summaries = {
        "responsibility.assigned": entry_summary("responsibility.assigned", {
            "node": "NDP-2029", "goal": None, "official": "OF-GOV-01", "valid_from": "2024-02-06"}, EN),
        "responsibility.ended": entry_summary("responsibility.ended", {
            "node": "NDP-2029", "goal": "LIFE_EXPECTANCY", "official": "OF-MOH-01", "valid_to": "2025-01-31"}, EN),
        "batch.loaded": entry_summary("batch.loaded", {
            "batch": "B-1", "rows_read": "1204", "loaded": "1200", "corrected": "3", "quarantined": "1"}, EN),
        "observation.corrected": entry_summary("observation.corrected", {
            "indicator": "GRP", "region": "AST", "period": "2024", "old_value": "1.5", "new_value": "1.75",
            "version": "2"}, EN),
        "instruction.issued": entry_summary("instruction.issued", {
            "instruction": "INS-1", "issued_by": "OF-GOV-01", "assignee": "OF-MOH-01", "due_date": "2025-12-01"}, EN),
        "instruction.status": entry_summary("instruction.status", {
            "instruction": "INS-1", "status": "done", "date": "2025-11-30"}, EN),
        "commentary.set": entry_summary("commentary.set", {
            "node": "NP-HEALTH", "indicator": "LIFE_EXPECTANCY", "official": "OF-MOH-01", "status": "amber"}, EN),
        "approval": entry_summary("approval", {"what": "plan", "code": "NDP-2029", "by": "OF-GOV-01"}, EN),
    }
    assert summaries == {
        "responsibility.assigned": "OF-GOV-01 accountable for NDP-2029 from 6 Feb 2024",
        "responsibility.ended": "OF-MOH-01 no longer accountable for NDP-2029 · LIFE_EXPECTANCY after 31 Jan 2025",
        "batch.loaded": "Batch B-1: 1,204 rows read, 1,200 new, 3 corrected, 1 quarantined",
        "observation.corrected": "GRP · AST · 2024: 1.5 → 1.75 (version 2)",
        "instruction.issued": "INS-1: from OF-GOV-01 to OF-MOH-01, due 1 Dec 2025",
        "instruction.status": "INS-1: done on 30 Nov 2025",
        "commentary.set": f"OF-MOH-01 on NP-HEALTH · LIFE_EXPECTANCY (status: {EN('status.amber')})",
        "approval": "plan NDP-2029 approved by OF-GOV-01",
    }


@pytest.mark.parametrize("t", [EN, RU, KK])
def test_odd_payloads_still_read(t):
    """Missing fields, odd values and unknown statuses never break a summary."""
    for kind in ("responsibility.assigned", "target.set", "batch.loaded", "observation.corrected",
                 "instruction.issued", "instruction.status", "commentary.set", "approval"):
        assert entry_summary(kind, {}, t)
    assert "not a number" in entry_summary("target.set", {"value": "not a number", "year": None}, t)
    assert entry_summary("instruction.status", {"instruction": "I", "status": "paused", "date": "soon"}, t)
    assert entry_summary("some.future.kind", {"x": "1"}, t) == "some.future.kind"


# --- the chain's status -----------------------------------------------------------------------------------------

def test_an_empty_store_is_empty_and_a_demo_never_verified_says_how_to_verify(empty_engine, tmp_path, write_ctx):
    settings = load_settings({"NATIJE_DATA_DIR": str(tmp_path)})
    status = chain_status(make_context(empty_engine, settings, lang="ru"), NOW)
    assert status.state == "empty" and status.entries == 0 and status.head_hash is None
    ctx = write_ctx("en")
    if ledger_verify_runs(ctx.engine):
        pytest.skip("the demo store records a verification run of its own")
    never = chain_status(ctx, NOW)
    assert never.state == "never" and never.status == "amber" and "natije ledger verify" in never.headline
    assert never.public_key is None and never.checkpoint is None


def ledger_verify_runs(engine) -> int:
    from sqlalchemy import func, select

    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(LedgerVerification)).scalar_one())


def test_verified_stale_and_failed(write_ctx):
    ctx = write_ctx("en")
    head = ledger_view.chain_head(ctx.engine)
    record_run(ctx.engine, at=NOW - dt.timedelta(hours=2), entries=head["entries"] - 3)
    fresh = chain_status(ctx, NOW)
    assert fresh.state == "verified" and fresh.status == "green" and fresh.since_verified == 3
    assert any("2 hours ago" in line for line in fresh.lines) and any("Added since: 3" == line for line in fresh.lines)
    assert fresh.head_seq == head["head_seq"] and fresh.head_hash == head["head_hash"]

    stale = chain_status(ctx, NOW + dt.timedelta(days=3))
    assert stale.state == "stale" and stale.status == "amber" and "3 days ago" in stale.headline

    record_run(ctx.engine, at=NOW + dt.timedelta(minutes=1), ok=False, problem="hash_mismatch", first_bad_seq=17)
    failed = chain_status(ctx, NOW + dt.timedelta(minutes=5))
    assert failed.state == "failed" and failed.status == "red" and failed.headline == \
        "Verification failed at entry № 17."
    assert any(EN("ledger.problem.hash_mismatch") in line for line in failed.lines)
    kazakh = chain_status(write_ctx("kk"), NOW + dt.timedelta(minutes=5))
    assert "17" in kazakh.headline and any(KK("ledger.problem.hash_mismatch") in line for line in kazakh.lines)


def sign_checkpoint(ctx, tmp_path: Path, size: int, head_hash: str, *, publish: bool = True) -> None:
    key = tmp_path / "ledger.key"
    verifier = (checkpoints.read_verifier_key_file(key) if key.exists()
                else checkpoints.generate_key(key, "natije.test/ledger"))
    if publish:
        checkpoints.publish_public_key(ctx.engine, verifier, NOW)
    checkpoints.write_checkpoint(ctx.settings.checkpoint_path, checkpoints.load_signer(key), size, head_hash, NOW)


def test_the_public_key_and_a_checkpoint_that_agrees_with_the_chain(write_ctx, tmp_path):
    ctx = write_ctx("en")
    size = ledger_view.chain_head(ctx.engine)["entries"] - 10
    sign_checkpoint(ctx, tmp_path, size, ledger_view.entry_hash_at(ctx.engine, size))
    status = chain_status(ctx, NOW)
    assert status.public_key and status.public_key.startswith("natije.test/ledger+")
    assert status.public_key_created_text == "1 Mar 2026, 17:00:00"  # Almaty time
    checkpoint = status.checkpoint
    assert checkpoint["size"] == size and checkpoint["origin"] == "natije.test/ledger"
    assert checkpoint["verified"] is True and checkpoint["matches"] is True
    assert checkpoint["file"].endswith(".checkpoint") and checkpoint["time_text"] == "1 Mar 2026, 17:00:00"


def test_a_checkpoint_the_chain_contradicts_or_outgrew(write_ctx, tmp_path):
    ctx = write_ctx("en")
    head = ledger_view.chain_head(ctx.engine)
    sign_checkpoint(ctx, tmp_path, head["entries"], "ab" * 32)
    rewritten = chain_status(ctx, NOW).checkpoint
    assert rewritten["matches"] is False and rewritten["verified"] is True
    sign_checkpoint(ctx, tmp_path, head["entries"] + 5, head["head_hash"])
    cut = chain_status(ctx, NOW).checkpoint
    assert cut["size"] == head["entries"] + 5 and cut["matches"] is None


def test_a_checkpoint_signed_by_a_key_the_store_does_not_know_is_not_verified(write_ctx, tmp_path):
    ctx = write_ctx("en")
    size = 100
    sign_checkpoint(ctx, tmp_path, size, ledger_view.entry_hash_at(ctx.engine, size), publish=False)
    status = chain_status(ctx, NOW)
    assert status.public_key is None and status.checkpoint["verified"] is False
    assert status.checkpoint["matches"] is True


# --- the page ---------------------------------------------------------------------------------------------------

def test_the_first_page_of_entries(ctx_for):
    page = build_ledger_page(ctx_for("en"), LedgerQuery(), now=NOW)
    assert list(page.entries.columns) == list(ENTRY_VIEW_COLUMNS) and len(page.entries) == PAGE_SIZE
    assert page.total == page.status.entries and page.pages == -(-page.total // PAGE_SIZE)
    assert page.entries["seq"].iloc[0] == page.status.head_seq and page.entries["readable"].all()
    assert page.history is None and not page.history_missing
    assert [kind for kind, _ in page.kinds][:3] == ["responsibility.assigned", "responsibility.ended", "target.set"]
    assert all(name and "ledger." not in name for _, name in page.kinds)
    assert page.entries["time_text"].str.contains(r"\d{4}").all()


def test_a_page_beyond_the_last_shows_the_last(ctx_for):
    page = build_ledger_page(ctx_for("ru"), ledger_query(kind="target.set", page=str(10**12)), now=NOW)
    assert page.query.page == page.pages > 1 and 0 < len(page.entries) <= PAGE_SIZE
    assert page.entries["seq"].iloc[-1] == page.entries["seq"].min()
    assert set(page.entries["kind_name"]) == {RU("ledger.kind.target.set")}


def test_the_history_of_a_goal(ctx_for):
    page = build_ledger_page(ctx_for("en"), ledger_query(node="ndp-2025", indicator="NEW_SCHOOLS_BUILT"), now=NOW)
    history = page.history
    assert history.node["code"] == "NDP-2025" and history.node["level"] == "portfolio"
    assert history.indicator["code"] == "NEW_SCHOOLS_BUILT" and history.indicator["name"]
    owners = history.responsibilities
    assert "now" in set(owners["to_text"]) and EN("ledger.history.whole_node") in set(owners["scope_text"])
    targets = history.targets
    assert (targets["previous_text"] != "–").any() and targets["value_text"].str.len().gt(0).all()
    assert set(page.entries["node"]) == {"NDP-2025"}
    assert page.total == len(page.entries) == len(owners) + 1 + len(targets)  # one responsibility ended


def test_an_unknown_or_foreign_node_has_no_history(ctx_for):
    missing = build_ledger_page(ctx_for("kk"), ledger_query(node="NO-SUCH-NODE"), now=NOW)
    assert missing.history is None and missing.history_missing and missing.total == 0
    unknown_indicator = build_ledger_page(ctx_for("en"), ledger_query(node="NDP-2025", indicator="NOPE"), now=NOW)
    assert unknown_indicator.history.indicator == {"code": "NOPE", "name": None, "unit": None, "decimals": 1}
    assert unknown_indicator.history.targets.empty


def test_the_public_reads_the_headers_of_instructions(ctx_for):
    page = build_ledger_page(ctx_for("en", Viewer("public")), ledger_query(kind="instruction.issued"), now=NOW)
    assert len(page.entries) == PAGE_SIZE and not page.entries["readable"].any()
    assert set(page.entries["summary"]) == {EN("ledger.summary.withheld")}
    assert page.entries[["payload", "actor", "node", "official"]].isna().all().all()
    assert page.entries["hash"].str.len().eq(64).all()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_verification_problem_code_has_a_message(lang):
    from data_sources.ledger_verify import PROBLEM_CODES

    t = translator(lang)
    for code in PROBLEM_CODES:
        message = t(f"ledger.problem.{code}")
        assert message and message != f"ledger.problem.{code}", (lang, code)
