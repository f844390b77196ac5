"""The owner's word in the store (data_sources/commentary.py): one row and one ``commentary.set`` entry
per word with the payload docs/ledger.md fixes, append-only history, the current word per goal, the
viewer's scope, the owners of goals, and the demo's words against their ledger entries."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from sqlalchemy import func, select

from data_sources import commentary, ledger, queries
from data_sources.ledger import canonical_json, ledger_writer
from data_sources.store import GoalCommentary, Indicator, LedgerEntry, Node, Official, writing
from data_sources.viewer import Viewer

pytestmark = pytest.mark.datalayer

TODAY = dt.date(2025, 11, 15)  # tests/conftest.py DEMO_TODAY
PAYLOAD_KEYS = {"node", "indicator", "official", "on_behalf_of", "status", "text_sha256", "recovery_action_due"}


def word(**overrides) -> commentary.Word:
    base = dict(node="NP-HEALTH", indicator="HEALTHCARE_SATISFACTION", official="OF-MOH-01", entered_by="OF-MOH-01",
                on_behalf=False, status="amber", text={"ru": "Отстаём из-за кадров.", "en": "Behind: staffing."},
                recovery_action={"en": "Recruit rural doctors."}, recovery_due=dt.date(2026, 3, 31))
    return commentary.Word(**{**base, **overrides})


def record(engine, *words: commentary.Word) -> list[commentary.Recorded]:
    with writing(engine) as conn:
        return commentary.record_commentary(conn, ledger_writer(conn, "test"), list(words))


def entry(engine, seq: int):
    with engine.connect() as conn:
        return conn.execute(select(LedgerEntry.__table__).where(LedgerEntry.seq == seq)).one()


def count_words(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(GoalCommentary)).scalar_one()


def test_a_word_is_a_row_and_a_commentary_set_entry_with_the_documented_payload(demo_engine):
    version = queries.data_version(demo_engine)
    [done] = record(demo_engine, word(), word(indicator=None, official="OF-MOH-01", entered_by="web:analyst",
                                              on_behalf=True, status="green", recovery_action=None,
                                              recovery_due=None, text={"kk": "Жоспар бойынша."}))[:1]
    assert queries.data_version(demo_engine) == version + 1  # once per call, however many words
    stored = entry(demo_engine, done.ledger_seq)
    payload = json.loads(stored.payload)
    assert stored.kind == "commentary.set" and stored.actor == "OF-MOH-01"
    assert set(payload) == PAYLOAD_KEYS
    text = {"ru": "Отстаём из-за кадров.", "en": "Behind: staffing."}
    assert payload == {"node": "NP-HEALTH", "indicator": "HEALTHCARE_SATISFACTION", "official": "OF-MOH-01",
                       "on_behalf_of": None, "status": "amber",
                       "text_sha256": hashlib.sha256(canonical_json(text).encode("utf-8")).hexdigest(),
                       "recovery_action_due": "2026-03-31"}
    behalf = json.loads(entry(demo_engine, done.ledger_seq + 1).payload)
    assert behalf["indicator"] is None and behalf["on_behalf_of"] == "OF-MOH-01" and behalf["recovery_action_due"] is None
    assert entry(demo_engine, done.ledger_seq + 1).actor == "web:analyst"
    with demo_engine.connect() as conn:
        row = conn.execute(select(GoalCommentary.__table__).where(GoalCommentary.id == done.id)).one()
    assert row.ledger_seq == done.ledger_seq and row.text == text and row.recovery_due == dt.date(2026, 3, 31)
    assert ledger.text_sha256(row.text) == payload["text_sha256"]


def test_words_are_append_only_the_newest_is_current_and_history_keeps_all(demo_engine):
    first = dt.datetime(2025, 11, 20, 9, tzinfo=dt.timezone.utc)  # after the demo's words
    record(demo_engine, word(text={"en": "Old word."}, recorded_at=first))
    record(demo_engine, word(text={"en": "New word."}, recovery_due=dt.date(2026, 1, 31),
                             recorded_at=first + dt.timedelta(days=3)))
    current = commentary.current_commentary(demo_engine, Viewer(), ["NP-HEALTH"], lang="en")
    mine = current[current["indicator"] == "HEALTHCARE_SATISFACTION"]
    assert mine["text"].tolist() == ["New word."] and mine["recovery_due"].tolist() == [dt.date(2026, 1, 31)]
    history = commentary.commentary_history(demo_engine, Viewer(), "np-health", "healthcare_satisfaction", lang="en")
    assert history["text"].tolist()[:2] == ["New word.", "Old word."]
    before = commentary.current_commentary(demo_engine, Viewer(), ["NP-HEALTH"], lang="en",
                                           as_of=first + dt.timedelta(days=1))
    assert "Old word." in before["text"].tolist() and "New word." not in before["text"].tolist()


def test_the_text_comes_in_the_page_language_else_in_another_and_says_which(demo_engine):
    record(demo_engine, word(text={"kk": "Қазақша ғана."}, recovery_action={"ru": "Только по-русски."}))
    shown = commentary.current_commentary(demo_engine, Viewer(), ["NP-HEALTH"], lang="en")
    row = shown[shown["indicator"] == "HEALTHCARE_SATISFACTION"].iloc[0]
    assert (row["text"], row["text_lang"]) == ("Қазақша ғана.", "kk")
    assert (row["recovery_action"], row["recovery_lang"]) == ("Только по-русски.", "ru")
    assert row["official_name"] and row["region"] == "KZ" and not row["on_behalf"]


@pytest.mark.parametrize("bad", [
    {"node": "NOPE"}, {"official": "NOBODY"}, {"indicator": "POPULATION"},  # not a goal of NP-HEALTH
    {"text": {}}, {"text": {"de": "Hallo"}}, {"text": {"en": "  "}}, {"recovery_action": {"en": 3}},
])
def test_a_word_the_store_cannot_hold_is_refused_and_nothing_is_written(demo_engine, bad):
    before_words, before_version = count_words(demo_engine), queries.data_version(demo_engine)
    with pytest.raises(ValueError):
        record(demo_engine, word(), word(**bad))
    assert count_words(demo_engine) == before_words and queries.data_version(demo_engine) == before_version


def test_plan_words_are_seen_by_every_viewer_project_words_only_in_scope(demo_engine):
    projects = queries.projects_in_region(demo_engine, Viewer(), "ALA")
    project = projects.iloc[0]["code"]
    record(demo_engine, word(), word(node=project, indicator=None, official=owner_of(demo_engine, project),
                                     entered_by="web:analyst", on_behalf=True, status="red"))
    akim = Viewer("akim", region="AST")
    assert "NP-HEALTH" in set(commentary.current_commentary(demo_engine, akim, lang="ru")["node"])
    assert project not in set(commentary.current_commentary(demo_engine, akim, lang="ru")["node"])
    assert project in set(commentary.current_commentary(demo_engine, Viewer("akim", region="ALA"), lang="ru")["node"])
    assert commentary.commentary_history(demo_engine, akim, project).empty
    public = commentary.current_commentary(demo_engine, Viewer("public"), ["NP-HEALTH"], lang="ru")
    assert "HEALTHCARE_SATISFACTION" in set(public["indicator"])


def owner_of(engine, node: str, indicator: str | None = None) -> str:
    owners = commentary.goal_owners(engine, Viewer(), [node], on=TODAY)
    return owners[(owners["node"] == node) & (owners["indicator"].isna() if indicator is None
                                              else owners["indicator"] == indicator)].iloc[0]["official"]


def test_an_officials_words_are_scoped_by_the_nodes_region_and_know_when_superseded(demo_engine):
    early = dt.datetime(2025, 11, 20, tzinfo=dt.timezone.utc)
    record(demo_engine, word(recorded_at=early),
           word(official="OF-GOV-04", entered_by="OF-GOV-04", text={"en": "Successor's word."},
                recorded_at=early + dt.timedelta(days=1)))
    mine = commentary.commentary_by_official(demo_engine, Viewer(), "of-moh-01", lang="en")
    satisfaction = mine[mine["indicator"] == "HEALTHCARE_SATISFACTION"].iloc[0]
    assert not satisfaction["current"] and satisfaction["node_name"] and satisfaction["indicator_name"]
    assert set(mine.columns) == set(commentary.OFFICIAL_COMMENTARY_COLUMNS)
    assert commentary.commentary_by_official(demo_engine, Viewer("akim", region="AST"), "OF-MOH-01").empty
    assert "commentary_by_official" in queries.OPERATIONAL_QUERIES


def test_the_owner_of_a_goal_is_its_own_official_else_the_nodes(readonly_demo_engine):
    owners = commentary.goal_owners(readonly_demo_engine, Viewer(), ["NDP-2025", "NP-HEALTH"], on=TODAY, lang="en")
    by_goal = {(n, i): o for n, i, o in zip(owners["node"], owners["indicator"], owners["official"])}
    assert by_goal[("NDP-2025", None)] == "OF-GOV-03"           # the first deputy prime minister: the plan
    assert by_goal[("NDP-2025", "LIFE_EXPECTANCY")] == "OF-MOH-01"  # the minister answerable for the goal
    assert by_goal[("NP-HEALTH", None)] == by_goal[("NP-HEALTH", "HEALTHCARE_SATISFACTION")] == "OF-MOH-01"
    earlier = commentary.goal_owners(readonly_demo_engine, Viewer(), ["NP-GROWTH"], on=dt.date(2023, 1, 1))
    assert earlier.iloc[0]["official"] == "OF-MNE-01"  # who held it then
    with readonly_demo_engine.connect() as conn:
        assert commentary.accountable_on(conn, TODAY)[("NDP-2025", "LIFE_EXPECTANCY")] == "OF-MOH-01"


def test_the_demos_words_match_their_ledger_entries(readonly_demo_engine):
    with readonly_demo_engine.connect() as conn:
        rows = conn.execute(
            select(Node.code, Indicator.code, Official.code, GoalCommentary.on_behalf, GoalCommentary.status,
                   GoalCommentary.text, GoalCommentary.recovery_action, GoalCommentary.recovery_due,
                   GoalCommentary.entered_by, LedgerEntry.payload, LedgerEntry.kind, LedgerEntry.actor)
            .select_from(GoalCommentary)
            .join(Node, Node.id == GoalCommentary.node_id).join(Official, Official.id == GoalCommentary.official_id)
            .outerjoin(Indicator, Indicator.id == GoalCommentary.indicator_id)
            .join(LedgerEntry, LedgerEntry.seq == GoalCommentary.ledger_seq)).all()
    assert len(rows) > 200
    for node, indicator, official, on_behalf, status, text, action, due, entered_by, payload, kind, actor in rows:
        assert kind == "commentary.set" and actor == entered_by
        assert json.loads(payload) == {
            "node": node, "indicator": indicator, "official": official,
            "on_behalf_of": official if on_behalf else None, "status": status,
            "text_sha256": ledger.text_sha256(text), "recovery_action_due": due.isoformat() if due else None}
        assert set(text) == {"kk", "ru", "en"} and (action is None) == (due is None)
    assert any(row.on_behalf for row in rows) and not all(row.on_behalf for row in rows)
