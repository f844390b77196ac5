"""Reading the ledger for ``/ledger`` (data_sources/ledger_view.py), on the demo store: entries newest
first, filtered and paged in SQL; who reads which payload (the public and the wall display read the
headers of internal entries, a region-scoped viewer reads no other region's operational payloads, and
a filter never reveals what a withheld payload names); the history of a goal with its ledger numbers."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from data_sources import ledger_view
from data_sources.store import Instruction, LedgerEntry, Node, Region
from data_sources.viewer import Viewer

pytestmark = pytest.mark.datalayer

MINISTER, PUBLIC, KIOSK = Viewer("minister"), Viewer("public"), Viewer("kiosk")
AKIM = Viewer("akim", region="AST")


def count(engine, *conditions) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(LedgerEntry).where(*conditions)).scalar_one())


def payloads(frame) -> list[dict]:
    return [json.loads(text) for text in frame["payload"]]


def everything(engine, viewer, **filters):
    return ledger_view.ledger_entries(engine, viewer, limit=10_000, **filters)


def node_regions(engine) -> dict[str, tuple[str, str]]:
    """node code -> (level, region code)."""
    with engine.connect() as conn:
        rows = conn.execute(select(Node.code, Node.level, Region.code).join(Region, Region.id == Node.region_id))
        return {code: (level, region) for code, level, region in rows}


def instruction_regions(engine) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(select(Instruction.code, Region.code).join(Region, Region.id == Instruction.region_id))
        return dict(rows.all())


# --- paging and filters ---------------------------------------------------------------------------------

def test_entries_come_newest_first_one_page_at_a_time_with_the_total(readonly_demo_engine):
    total = count(readonly_demo_engine)
    first, reported = ledger_view.ledger_entries(readonly_demo_engine, MINISTER, limit=20)
    second, _ = ledger_view.ledger_entries(readonly_demo_engine, MINISTER, limit=20, offset=20)
    assert reported == total > 5000
    assert first["seq"].tolist() == list(range(total, total - 20, -1))
    assert second["seq"].tolist() == list(range(total - 20, total - 40, -1))
    assert list(first.columns) == list(ledger_view.ENTRY_COLUMNS)
    assert first["readable"].all() and first["hash"].str.len().eq(64).all()
    beyond, still = ledger_view.ledger_entries(readonly_demo_engine, MINISTER, limit=20, offset=10**9)
    assert beyond.empty and still == total


def test_the_filter_by_kind_counts_and_pages_in_sql(readonly_demo_engine):
    expected = count(readonly_demo_engine, LedgerEntry.kind == "target.set")
    frame, total = ledger_view.ledger_entries(readonly_demo_engine, MINISTER, kind="target.set", limit=7, offset=3)
    assert total == expected > 1000 and len(frame) == 7
    assert set(frame["kind"]) == {"target.set"} and frame["seq"].is_monotonic_decreasing
    assert ledger_view.ledger_entries(readonly_demo_engine, MINISTER, kind="no.such.kind")[1] == 0


def test_the_filter_by_node_finds_its_entries_and_its_instructions(readonly_demo_engine):
    frame, total = everything(readonly_demo_engine, MINISTER, node="np-health")  # any case
    kinds = set(frame["kind"])
    assert total == len(frame) > 10 and {"target.set", "responsibility.assigned", "instruction.status"} <= kinds
    linked = {code for code, in _instructions_of(readonly_demo_engine, "NP-HEALTH")}
    for kind, payload in zip(frame["kind"], payloads(frame)):
        if kind == "instruction.status":
            assert payload["instruction"] in linked
        else:
            assert payload["node"] == "NP-HEALTH"


def _instructions_of(engine, node_code: str):
    with engine.connect() as conn:
        return conn.execute(select(Instruction.code).join(Node, Node.id == Instruction.node_id)
                            .where(Node.code == node_code)).all()


def test_the_filter_by_goal_finds_its_targets_and_who_was_accountable(readonly_demo_engine):
    frame, total = everything(readonly_demo_engine, MINISTER, node="NDP-2025", indicator="NEW_SCHOOLS_BUILT")
    assert total == len(frame) > 0
    for kind, payload in zip(frame["kind"], payloads(frame)):
        assert payload["node"] == "NDP-2025"
        if kind.startswith("responsibility."):
            assert payload["goal"] in (None, "NEW_SCHOOLS_BUILT")  # the whole node's, or this goal's
        else:
            assert kind == "target.set" and payload["indicator"] == "NEW_SCHOOLS_BUILT"
    assert {"target.set", "responsibility.assigned", "responsibility.ended"} <= set(frame["kind"])
    # the indicator alone: every node's goal, and no responsibility of a whole node
    alone, _ = everything(readonly_demo_engine, MINISTER, indicator="NEW_SCHOOLS_BUILT")
    assert all("NEW_SCHOOLS_BUILT" in (p.get("indicator"), p.get("goal")) for p in payloads(alone))


def test_the_filter_by_official_finds_what_they_hold_issue_and_receive(readonly_demo_engine):
    frame, total = everything(readonly_demo_engine, MINISTER, official="OF-GOV-01")
    kinds = set(frame["kind"])
    assert total == len(frame) and {"instruction.issued", "instruction.status"} <= kinds
    for kind, payload in zip(frame["kind"], payloads(frame)):
        if kind != "instruction.status":
            assert "OF-GOV-01" in (payload.get("official"), payload.get("assignee"), payload.get("issued_by"))


@pytest.mark.parametrize("hostile", ["' OR 1=1 --", "\x00' OR 1=1", "%", "_", "NP-%", "\"node\":\"NP-HEALTH\"",
                                     "x" * 5000])
def test_hostile_filter_text_matches_nothing(readonly_demo_engine, hostile):
    for key in ("node", "indicator", "official"):
        frame, total = ledger_view.ledger_entries(readonly_demo_engine, MINISTER, **{key: hostile})
        assert total == 0 and frame.empty, (key, hostile)


# --- who reads what -------------------------------------------------------------------------------------------

def test_every_viewer_sees_every_header(readonly_demo_engine):
    totals = {viewer.role: ledger_view.ledger_entries(readonly_demo_engine, viewer, limit=1)[1]
              for viewer in (MINISTER, PUBLIC, KIOSK, AKIM)}
    assert len(set(totals.values())) == 1


@pytest.mark.parametrize("viewer", [PUBLIC, KIOSK], ids=["public", "kiosk"])
def test_the_public_and_the_wall_display_read_headers_only_of_internal_entries(readonly_demo_engine, viewer):
    frame, _ = everything(readonly_demo_engine, viewer)
    internal = frame["kind"].isin(["instruction.issued", "instruction.status", "batch.loaded",
                                   "observation.corrected"])
    assert internal.any() and not frame.loc[internal, "readable"].any()
    assert frame.loc[internal, "payload"].isna().all() and frame.loc[internal, "actor"].isna().all()
    assert frame.loc[internal, "hash"].str.len().eq(64).all() and frame.loc[internal, "prev"].notna().all()
    plan = frame["kind"].isin(["target.set", "responsibility.assigned", "responsibility.ended"])
    assert frame.loc[plan, "readable"].all()
    # a filter cannot be used to learn what the withheld payloads name
    assert everything(readonly_demo_engine, viewer, official="OF-GOV-01")[0]["kind"].isin(
        ["responsibility.assigned", "responsibility.ended"]).all()


def test_a_region_scoped_viewer_reads_no_other_regions_operational_payloads(readonly_demo_engine):
    frame, _ = everything(readonly_demo_engine, AKIM)
    nodes, instructions = node_regions(readonly_demo_engine), instruction_regions(readonly_demo_engine)
    read = frame[frame["readable"]]
    for kind, payload in zip(read["kind"], payloads(read)):
        if kind.startswith("instruction."):
            assert instructions[payload["instruction"]] == "AST"
        elif kind in ("responsibility.assigned", "responsibility.ended", "target.set"):
            level, region = nodes[payload["node"]]
            assert level != "project" or region == "AST", payload
    withheld = frame[~frame["readable"]]
    assert withheld["payload"].isna().all() and withheld["actor"].isna().all()
    # not vacuous: the akim reads AST instructions and AST projects, and not Kostanay's
    assert read["kind"].eq("instruction.issued").any()
    assert any(nodes.get(p.get("node"), ("", ""))[0] == "project" for p in payloads(read))
    national, _ = everything(readonly_demo_engine, MINISTER)
    assert national["readable"].all() and len(read) < len(national)


def test_a_filter_of_a_region_scoped_viewer_returns_readable_payloads_only(readonly_demo_engine):
    foreign_project = next(code for code, (level, region) in node_regions(readonly_demo_engine).items()
                           if level == "project" and region == "KST")
    assert everything(readonly_demo_engine, MINISTER, node=foreign_project)[1] > 0
    assert everything(readonly_demo_engine, AKIM, node=foreign_project)[1] == 0
    frame, total = everything(readonly_demo_engine, AKIM, official="OF-GOV-01")
    assert total == len(frame) and frame["readable"].all()


def test_batches_follow_the_load_history_rule(readonly_demo_engine):
    """Roles that see the load history read a batch's entry; a region-scoped one only for a batch whose
    values are all of its region (the demo's batches span regions)."""
    minister, _ = everything(readonly_demo_engine, MINISTER, kind="batch.loaded")
    akim, _ = everything(readonly_demo_engine, AKIM, kind="batch.loaded")
    assert minister["readable"].all() and not minister.empty
    assert len(akim) == len(minister) and akim["readable"].sum() < len(akim)


# --- the history of a goal ---------------------------------------------------------------------------------

def entries_by_seq(engine, seqs) -> dict[int, dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(LedgerEntry.seq, LedgerEntry.kind, LedgerEntry.payload)
                            .where(LedgerEntry.seq.in_([int(s) for s in seqs])))
        return {seq: {"kind": kind, **json.loads(payload)} for seq, kind, payload in rows}


def test_who_was_accountable_for_a_goal_from_when_to_when_with_the_ledger_entry(readonly_demo_engine):
    frame = ledger_view.responsibility_history(readonly_demo_engine, MINISTER, "ndp-2025", "NEW_SCHOOLS_BUILT",
                                               lang="en")
    assert list(frame.columns) == list(ledger_view.RESPONSIBILITY_HISTORY_COLUMNS)
    assert set(frame["goal"].dropna()) == {"NEW_SCHOOLS_BUILT"} and frame["goal"].isna().any()
    assert frame["valid_from"].is_monotonic_increasing
    ended = frame[frame["valid_to"].notna()]
    assert not ended.empty and (ended["valid_to"] >= ended["valid_from"]).all()
    recorded = entries_by_seq(readonly_demo_engine, frame["seq"])
    for row in frame.to_dict("records"):
        entry = recorded[row["seq"]]
        assert entry["kind"] == "responsibility.assigned" and entry["official"] == row["official"]
        assert entry["node"] == "NDP-2025" and entry["goal"] == (row["goal"] if isinstance(row["goal"], str) else None)
        assert entry["valid_from"] == row["valid_from"].isoformat()
    assert frame["name"].str.len().gt(0).all() and set(frame["official_kind"]) <= {"political", "administrative"}


def test_every_target_of_a_goal_with_the_value_it_replaced_and_its_entry(readonly_demo_engine):
    frame = ledger_view.target_history(readonly_demo_engine, MINISTER, "NDP-2025", "new_schools_built")
    assert list(frame.columns) == list(ledger_view.TARGET_HISTORY_COLUMNS) and len(frame) >= 8
    recorded = entries_by_seq(readonly_demo_engine, frame["seq"])
    for row in frame.to_dict("records"):
        entry = recorded[row["seq"]]
        assert entry["kind"] == "target.set" and float(entry["value"]) == row["value"]
        assert entry["year"] == str(row["year"]) and entry["region"] == row["region"]
        assert (entry["previous"] is None) == (row["previous"] is None or row["previous"] != row["previous"])
    changed = frame[frame["previous"].notna()]
    assert not changed.empty
    for row in changed.to_dict("records"):
        before = frame[(frame["year"] == row["year"]) & (frame["region"] == row["region"])
                       & (frame["recorded_at"] < row["recorded_at"])]
        assert before.iloc[-1]["value"] == row["previous"]
    whole_node = ledger_view.target_history(readonly_demo_engine, MINISTER, "NDP-2025")
    assert whole_node["indicator"].nunique() > 1


def test_the_history_of_another_regions_project_is_empty_for_a_region_scoped_viewer(readonly_demo_engine):
    nodes = node_regions(readonly_demo_engine)
    foreign = next(code for code, (level, region) in nodes.items() if level == "project" and region == "KST")
    mine = next(code for code, (level, region) in nodes.items() if level == "project" and region == "AST")
    assert not ledger_view.target_history(readonly_demo_engine, MINISTER, foreign).empty
    assert ledger_view.target_history(readonly_demo_engine, AKIM, foreign).empty
    assert ledger_view.responsibility_history(readonly_demo_engine, AKIM, foreign).empty
    assert not ledger_view.target_history(readonly_demo_engine, AKIM, mine).empty
    assert not ledger_view.responsibility_history(readonly_demo_engine, AKIM, mine).empty


# --- the head ----------------------------------------------------------------------

def test_the_chain_head_and_the_hash_at_a_size(readonly_demo_engine):
    head = ledger_view.chain_head(readonly_demo_engine)
    assert head["entries"] == head["head_seq"] == count(readonly_demo_engine)
    assert ledger_view.entry_hash_at(readonly_demo_engine, head["head_seq"]) == head["head_hash"]
    assert head["head_time"].endswith("Z")
    assert ledger_view.entry_hash_at(readonly_demo_engine, head["head_seq"] + 1) is None

