"""Officials, what they hold, and instructions with their escalation owners: scoped, filtered and paged in
SQL, on SQLite and PostgreSQL (the demo store, reference date 2025-11-15)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_sources import accountability as acc
from data_sources import queries
from data_sources.viewer import Viewer

pytestmark = pytest.mark.datalayer

TODAY = dt.date(2025, 11, 15)
NATIONAL, AKIM, PUBLIC = Viewer("minister"), Viewer("akim", region="AST"), Viewer("public")
OVERDUE = {"outstanding": True, "due_until": TODAY - dt.timedelta(days=1)}


def every_instruction(engine, viewer=NATIONAL, **filters) -> pd.DataFrame:
    return acc.instructions(engine, viewer, today=TODAY, lang="en", limit=10_000, **filters)


# --- officials and what they hold -------------------------------------------------------------------------

def test_officials_are_scoped_to_the_viewers_region(readonly_demo_engine):
    everyone = acc.officials(readonly_demo_engine, NATIONAL, lang="en")
    assert len(everyone) > 100 and everyone["code"].is_unique
    assert set(everyone["kind"]) == {"political", "administrative"}
    assert list(everyone["kind"]).index("administrative") > 0 and everyone.iloc[0]["kind"] == "political"
    astana = acc.officials(readonly_demo_engine, AKIM, lang="en")
    assert not astana.empty and set(astana["region"]) == {"AST"}
    assert set(astana["code"]) == set(everyone.loc[everyone["region"] == "AST", "code"])
    minister = everyone.loc[everyone["region"] == "KZ", "code"].iloc[0]
    assert acc.officials(readonly_demo_engine, AKIM, codes=[minister]).empty  # a forged code does not widen scope
    assert acc.officials(readonly_demo_engine, NATIONAL, codes=[minister.lower()])["code"].tolist() == [minister]


def test_each_goal_is_held_by_one_official_on_a_day(readonly_demo_engine):
    holdings = acc.holdings(readonly_demo_engine, NATIONAL, lang="en")
    valid_from, valid_to = pd.to_datetime(holdings["valid_from"]), pd.to_datetime(holdings["valid_to"])
    now = holdings[(valid_from <= pd.Timestamp(TODAY)) & (valid_to.isna() | (valid_to >= pd.Timestamp(TODAY)))]
    goals = now[now["goal_id"].notna()]
    assert goals["goal_id"].is_unique  # a goal's own official, else its node's: never both
    assert len(goals) > 300
    # portfolio goals are each a minister's; the portfolio's own owner holds the portfolio as a whole
    portfolio = now[now["node_level"] == "portfolio"]
    assert portfolio.loc[portfolio["goal_id"].notna(), "for_goal"].all()
    as_a_whole = portfolio[portfolio["goal_id"].isna()]
    owners = queries.accountable(readonly_demo_engine, NATIONAL, list(as_a_whole["node"]), on=TODAY)
    assert set(zip(as_a_whole["node"], as_a_whole["official"])) == set(zip(owners["node"], owners["official"]))
    # a program's goals are its owner's
    program = queries.accountable(readonly_demo_engine, NATIONAL, ["NP-HEALTH"], on=TODAY).iloc[0]["official"]
    mine = set(now.loc[now["node"] == "NP-HEALTH", "official"])
    assert mine == {program}
    assert len(now[now["node"] == "NP-HEALTH"]) == len(queries.goals(readonly_demo_engine, NATIONAL, ["NP-HEALTH"]))


def test_holdings_are_scoped_and_keep_the_past(readonly_demo_engine):
    everyone = acc.holdings(readonly_demo_engine, NATIONAL)
    assert everyone["valid_to"].notna().any()  # handed-over responsibilities stay on record
    astana = acc.holdings(readonly_demo_engine, AKIM)
    assert not astana.empty and set(astana["region"]) == {"AST"}
    assert set(astana.loc[astana["node_level"] == "project", "node_region"]) <= {"AST"}
    one = everyone["official"].iloc[0]
    assert set(acc.holdings(readonly_demo_engine, NATIONAL, officials=[one])["official"]) == {one}


# --- instructions -----------------------------------------------------------------------------------------

def test_pages_cover_the_total_without_overlap(readonly_demo_engine):
    total = acc.instruction_total(readonly_demo_engine, NATIONAL, today=TODAY)
    pages = [acc.instructions(readonly_demo_engine, NATIONAL, today=TODAY, limit=100, offset=offset)
             for offset in range(0, total + 100, 100)]
    codes = pd.concat(pages)["code"]
    assert len(codes) == total and codes.is_unique and total > 500
    issued = pd.to_datetime(pd.concat(pages)["issued_date"])
    assert issued.is_monotonic_decreasing and (issued <= pd.Timestamp(TODAY)).all()


def test_filters_are_applied_in_sql_and_counted_alike(readonly_demo_engine):
    engine = readonly_demo_engine
    overdue = every_instruction(engine, order="due", **OVERDUE)
    assert len(overdue) == acc.instruction_total(engine, NATIONAL, today=TODAY, **OVERDUE) > 50
    assert (pd.to_datetime(overdue["due_date"]) < pd.Timestamp(TODAY)).all() and overdue["done_date"].isna().all()
    assert set(overdue["code"]) == set(queries.overdue_instructions(engine, NATIONAL, today=TODAY, limit=10_000)["code"])
    first = overdue.iloc[0]
    for name, value, column in (("assignee", first["assignee"], "assignee"), ("agency", first["agency"], "agency"),
                                ("region", first["region"], "region"), ("issued_by", first["issued_by"], "issued_by")):
        rows = every_instruction(engine, **{name: value.lower()})
        assert not rows.empty and set(rows[column]) == {value}, name
        assert len(rows) == acc.instruction_total(engine, NATIONAL, today=TODAY, **{name: value})
    meeting = every_instruction(engine, meeting_date=first["meeting_date"], issued_by=first["issued_by"])
    assert first["code"] in set(meeting["code"]) and set(meeting["meeting_date"]) == {first["meeting_date"]}
    program = every_instruction(engine, under="NP-HEALTH")
    assert {"NP-HEALTH"} < set(program["node"]) and set(program["node_level"]) == {"program", "project"}
    assert set(every_instruction(engine, node="NP-HEALTH")["node"]) == {"NP-HEALTH"}
    week = every_instruction(engine, outstanding=True, due_from=TODAY, due_until=TODAY + dt.timedelta(days=6))
    assert week["due_date"].between(TODAY, TODAY + dt.timedelta(days=6)).all()
    done = every_instruction(engine, outstanding=False)
    assert done["done_date"].notna().all() and (pd.to_datetime(done["done_date"]) <= pd.Timestamp(TODAY)).all()
    assert len(done) + acc.instruction_total(engine, NATIONAL, today=TODAY, outstanding=True) == \
        acc.instruction_total(engine, NATIONAL, today=TODAY)


@pytest.mark.parametrize("order", acc.ORDERS)
def test_every_order_lists_every_row_once(readonly_demo_engine, order):
    rows = every_instruction(readonly_demo_engine, order=order, **OVERDUE)
    assert rows["code"].is_unique and len(rows) == acc.instruction_total(readonly_demo_engine, NATIONAL, today=TODAY,
                                                                         **OVERDUE)


def test_unknown_order_is_refused(readonly_demo_engine):
    with pytest.raises(ValueError, match="order must be one of"):
        acc.instructions(readonly_demo_engine, NATIONAL, today=TODAY, order="1; DROP TABLE instructions")


@pytest.mark.parametrize("hostile", ["' OR 1=1 --", "%", "_", "A" * 5000, "ÄŞТ\x00", "../../etc/passwd"])
def test_hostile_filter_values_match_nothing(readonly_demo_engine, hostile):
    for name in ("assignee", "escalated_to", "agency", "region", "node", "under", "issued_by"):
        assert every_instruction(readonly_demo_engine, **{name: hostile}).empty, name
        assert acc.instruction_total(readonly_demo_engine, NATIONAL, today=TODAY, **{name: hostile}) == 0
    assert acc.officials(readonly_demo_engine, NATIONAL, codes=[hostile]).empty
    assert acc.holdings(readonly_demo_engine, NATIONAL, officials=[hostile]).empty
    assert acc.instruction_duties(readonly_demo_engine, NATIONAL, today=TODAY, officials=[hostile]).empty


def test_a_region_scoped_viewer_sees_only_its_instructions(readonly_demo_engine):
    engine = readonly_demo_engine
    astana = every_instruction(engine, AKIM)
    assert not astana.empty and set(astana["region"]) == {"AST"}
    assert len(astana) == acc.instruction_total(engine, AKIM, today=TODAY)
    foreign = every_instruction(engine).query("region != 'AST'").iloc[0]
    for name in ("assignee", "agency", "region"):
        assert every_instruction(engine, AKIM, **{name: foreign[name]}).query("region != 'AST'").empty
    assert set(acc.instruction_duties(engine, AKIM, today=TODAY)["region"]) == {"AST"}
    assert set(acc.overdue_groups(engine, AKIM, today=TODAY)["region"]) == {"AST"}
    assert set(acc.meetings(engine, AKIM, today=TODAY, limit=1000)["region"]) == {"AST"}


def test_the_public_sees_no_instructions(readonly_demo_engine):
    engine = readonly_demo_engine
    assert every_instruction(engine, PUBLIC).empty and acc.instruction_total(engine, PUBLIC, today=TODAY) == 0
    assert acc.instruction_duties(engine, PUBLIC, today=TODAY).empty
    assert acc.overdue_groups(engine, PUBLIC, today=TODAY).empty
    assert acc.meetings(engine, PUBLIC, today=TODAY).empty and acc.meeting_total(engine, PUBLIC, today=TODAY) == 0
    assert not acc.officials(engine, PUBLIC).empty  # who is accountable for what is public


def test_as_of_a_past_day_later_work_is_not_done_yet(readonly_demo_engine):
    day = dt.date(2024, 6, 30)
    rows = acc.instructions(readonly_demo_engine, NATIONAL, today=day, limit=10_000)
    assert (pd.to_datetime(rows["issued_date"]) <= pd.Timestamp(day)).all()
    done = rows["done_date"].dropna()
    assert (pd.to_datetime(done) <= pd.Timestamp(day)).all()
    assert rows.loc[rows["done_date"].isna(), "report"].isna().all()  # a report comes with the work


# --- escalation ---------------------------------------------------------------------------------------------

def owner_on(engine, node: str | None) -> str | None:
    if not isinstance(node, str):
        return None
    found = queries.accountable(engine, NATIONAL, [node], on=TODAY)
    return None if found.empty else found.iloc[0]["official"]


def parent_of(engine, node: str | None) -> str | None:
    if not isinstance(node, str):
        return None
    found = queries.node(engine, NATIONAL, node)
    return found["parent"] if found is not None else None


def expected_escalation(engine, row) -> tuple[str | None, str | None]:
    """The rule of the module docstring, walked in Python: (owner, node whose owner it is)."""
    parent = parent_of(engine, row["node"])
    grand = parent_of(engine, parent)
    for node in (parent, grand):
        owner = owner_on(engine, node)
        if owner is not None and owner != row["assignee"]:
            return owner, node
    return (row["issued_by"], None) if row["issued_by"] != row["assignee"] else (None, None)


def test_an_overdue_instruction_escalates_to_the_owner_of_its_parent_node(readonly_demo_engine):
    engine = readonly_demo_engine
    overdue = every_instruction(engine, order="due", **OVERDUE)
    project = overdue[overdue["node_level"] == "project"]
    program = overdue[overdue["node_level"] == "program"]
    unlinked = overdue[overdue["node"].isna()]
    assert not project.empty and not program.empty and not unlinked.empty
    sample = pd.concat([project.head(12), program.head(8), unlinked.head(5)])
    for _, row in sample.iterrows():
        expected = expected_escalation(engine, row)
        shown = (row["escalation_owner"], row["escalation_node"] if isinstance(row["escalation_node"], str) else None)
        assert shown == expected, row["code"]
    # the usual case: a department head's project instruction goes to the program's owner
    direct = project[project["escalation_node"] == [parent_of(engine, n) for n in project["node"]]]
    assert len(direct) > len(project) / 2
    assert (overdue["escalation_owner"] != overdue["assignee"]).all()
    assert (unlinked["escalation_owner"] == unlinked["issued_by"]).all()


def test_escalated_to_lists_what_counts_against_the_owner(readonly_demo_engine):
    engine = readonly_demo_engine
    overdue = every_instruction(engine, **OVERDUE)
    owner = overdue["escalation_owner"].value_counts().index[0]
    mine = every_instruction(engine, escalated_to=owner, **OVERDUE)
    assert set(mine["code"]) == set(overdue.loc[overdue["escalation_owner"] == owner, "code"])
    duties = acc.instruction_duties(engine, NATIONAL, today=TODAY, officials=[owner])
    now_overdue = duties[duties["done_date"].isna()]
    assert set(mine["code"]) <= set(now_overdue["code"])
    assert ((duties["assignee"] == owner) | (duties["escalation_owner"] == owner)).all()


def test_duties_reach_back_to_the_previous_quarter(readonly_demo_engine):
    quarter_end = dt.date(2025, 9, 30)
    duties = acc.instruction_duties(readonly_demo_engine, NATIONAL, today=TODAY, since=quarter_end)
    assert (pd.to_datetime(duties["due_date"]) < pd.Timestamp(TODAY)).all()
    done = pd.to_datetime(duties["done_date"])
    assert (done.isna() | (done > pd.Timestamp(quarter_end))).all() and done.notna().any()
    now = acc.instruction_duties(readonly_demo_engine, NATIONAL, today=TODAY)
    assert set(now["code"]) == set(every_instruction(readonly_demo_engine, **OVERDUE)["code"])


# --- grouped ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("by", acc.OVERDUE_GROUPS)
def test_overdue_groups_add_up_to_the_overdue_list(readonly_demo_engine, by):
    engine = readonly_demo_engine
    groups = acc.overdue_groups(engine, NATIONAL, today=TODAY, by=by, lang="ru")
    overdue = every_instruction(engine, **OVERDUE)
    assert groups["overdue"].sum() == len(overdue) and groups["key"].is_unique
    assert groups["overdue"].is_monotonic_decreasing
    counted = overdue[by].value_counts()
    assert groups.set_index("key")["overdue"].to_dict() == counted.to_dict()
    oldest = overdue.groupby(by)["due_date"].min()
    assert groups.set_index("key")["oldest_due"].to_dict() == oldest.to_dict()
    with pytest.raises(ValueError):
        acc.overdue_groups(engine, NATIONAL, today=TODAY, by="region")


def test_meetings_count_their_instructions(readonly_demo_engine):
    engine = readonly_demo_engine
    total = acc.meeting_total(engine, NATIONAL, today=TODAY)
    meetings = pd.concat([acc.meetings(engine, NATIONAL, today=TODAY, lang="kk", limit=100, offset=offset)
                          for offset in range(0, total, 100)])
    assert len(meetings) == total > 100
    assert meetings["instructions"].sum() == acc.instruction_total(engine, NATIONAL, today=TODAY)
    assert (meetings["done"] + meetings["outstanding"] == meetings["instructions"]).all()
    assert meetings["overdue"].sum() == acc.instruction_total(engine, NATIONAL, today=TODAY, **OVERDUE)
    assert pd.to_datetime(meetings["meeting_date"]).is_monotonic_decreasing
    first = meetings.iloc[0]
    listed = every_instruction(engine, meeting_date=first["meeting_date"], issued_by=first["issued_by"])
    assert len(listed) == first["instructions"]
