"""Instructions on the demo store: the views of ``/instructions``, the lists of program, project and
region pages, and the escalation of an overdue instruction to the owner of its parent node — shown and
counted on both scorecards."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from data_sources import accountability, queries
from data_sources.viewer import Viewer
from kpi.instructions import INSTRUCTION_STATES
from services.instructions import (
    LIST_COLUMNS,
    PAGE_SIZE,
    VIEWS,
    InstructionFilters,
    build_instructions,
    node_instructions,
    overdue_for,
    parse_view,
    region_instructions,
    view_counts,
)
from services.officials import build_officials, build_scorecard

pytestmark = pytest.mark.datalayer


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_pages_through_its_rows(ctx_for, view):
    ctx = ctx_for()
    first = build_instructions(ctx, view)
    assert first.view == view and first.visible and first.page == 1
    assert first.pages == max(1, -(-first.total // PAGE_SIZE))
    if view == "by_meeting":
        assert first.rows.empty and len(first.groups) == min(PAGE_SIZE, first.total)
        assert first.groups["instructions"].sum() > 0
        return
    assert list(first.rows.columns) == list(LIST_COLUMNS) and len(first.rows) == min(PAGE_SIZE, first.total)
    last = build_instructions(ctx, view, 10_000)  # a page past the end is the last page
    assert last.page == last.pages and len(last.rows) == first.total - (last.pages - 1) * PAGE_SIZE
    states = set(first.rows["state"])
    if view == "due_week":
        assert states == {"due_soon"} and first.total == first.counts["due_week"]
    elif view.startswith("overdue_"):
        assert states == {"overdue"} and first.total == first.counts["overdue"]
        assert first.groups["overdue"].sum() == first.counts["overdue"]
        assert (first.groups["days_overdue"] > 0).all()
        key = "assignee_name" if view == "overdue_assignee" else "agency_name"
        names = first.rows[key].tolist()
        assert len([name for name, _ in itertools.groupby(names)]) == len(set(names))  # each in one run
    else:
        assert states <= set(INSTRUCTION_STATES) and first.total == first.counts["all"]


def test_the_counts_of_the_tabs(ctx_for):
    counts = view_counts(ctx_for())
    assert counts["all"] > counts["overdue"] > counts["due_week"] >= 0
    assert counts["overdue"] == len(accountability.instruction_duties(ctx_for().engine, Viewer(), today=ctx_for().today))


def test_unknown_views_are_all_and_filters_narrow_the_list(ctx_for):
    ctx = ctx_for()
    assert parse_view("overdue_region") == "all" and parse_view(["due_week"]) == "all" and parse_view(None) == "all"
    everything = build_instructions(ctx, "all")
    someone = everything.rows.iloc[0]["assignee"]
    theirs = build_instructions(ctx, "all", 1, InstructionFilters(assignee=someone))
    assert 0 < theirs.total < everything.total and set(theirs.rows["assignee"]) == {someone}
    overdue = build_instructions(ctx, "overdue_assignee", 1, InstructionFilters(region="AST"))
    assert set(overdue.rows["region"]) <= {"AST"} and set(overdue.rows["state"]) <= {"overdue"}
    nothing = build_instructions(ctx, "all", 1, InstructionFilters(node="NO-SUCH-NODE"))
    assert nothing.total == 0 and nothing.rows.empty and nothing.pages == 1


def test_a_program_lists_its_own_and_its_projects_instructions_worst_first(ctx_for):
    ctx = ctx_for()
    listed = node_instructions(ctx, "NP-HEALTH")
    assert list(listed.columns) == list(LIST_COLUMNS)
    projects = set(queries.children(ctx.engine, ctx.viewer, "NP-HEALTH")["code"])
    assert "NP-HEALTH" in set(listed["node"]) and set(listed["node"]) - {"NP-HEALTH"} <= projects
    ranks = listed["state"].map(INSTRUCTION_STATES.index)
    assert ranks.is_monotonic_increasing
    overdue = listed[listed["state"] == "overdue"]
    assert overdue["days_overdue"].is_monotonic_decreasing
    project = sorted(set(listed["node"]) - {"NP-HEALTH"})[0]
    assert set(node_instructions(ctx, project)["node"]) == {project}


def test_a_region_lists_its_instructions_in_scope(ctx_for):
    national = region_instructions(ctx_for(), "AST")
    assert not national.empty and set(national["region"]) == {"AST"}
    akim = ctx_for(viewer=Viewer("akim", region="AST"))
    assert region_instructions(akim, "AST")["code"].tolist() == national["code"].tolist()
    assert region_instructions(akim, "ALA").empty  # another region's are not the akim's to see


def test_the_public_sees_no_instructions(ctx_for):
    ctx = ctx_for(viewer=Viewer("public"))
    listing = build_instructions(ctx, "overdue_assignee")
    assert not listing.visible and listing.total == 0 and listing.rows.empty and listing.groups.empty
    assert node_instructions(ctx, "NP-HEALTH").empty
    own, escalated = overdue_for(ctx, "OF-MOH-01")
    assert own.empty and escalated.empty


def test_as_of_a_past_day_states_are_those_of_that_day(ctx_for):
    past = ctx_for(as_of=pd.Timestamp("2025-06-30").date())
    rows = build_instructions(past, "all").rows
    assert (pd.to_datetime(rows["issued_date"]) <= pd.Timestamp("2025-06-30")).all()
    done_later = rows[rows["done_date"].isna() & (rows["state"] != "done")]
    assert not done_later.empty


# --- escalation: an overdue instruction on both scorecards --------------------------------------------------

def an_overdue_project_instruction(ctx) -> tuple[pd.Series, str]:
    """An overdue instruction linked to a project whose program's owner is not its assignee, and that owner."""
    overdue = build_instructions(ctx, "overdue_assignee").rows
    for _, row in overdue[overdue["node_level"] == "project"].iterrows():
        program = queries.node(ctx.engine, ctx.viewer, row["node"])["parent"]
        owner = queries.accountable(ctx.engine, ctx.viewer, [program], on=ctx.today).iloc[0]["official"]
        if owner != row["assignee"]:
            return row, owner
    raise AssertionError("the demo store has no overdue project instruction")


def test_an_overdue_instruction_appears_on_its_assignees_and_its_escalation_owners_scorecard(ctx_for):
    ctx = ctx_for()
    instruction, program_owner = an_overdue_project_instruction(ctx)
    assert instruction["escalation_owner"] == program_owner
    assert instruction["escalation_node"] == queries.node(ctx.engine, ctx.viewer, instruction["node"])["parent"]

    assignee = build_scorecard(ctx, instruction["assignee"])
    assert instruction["code"] in set(assignee.own_overdue["code"])
    assert instruction["code"] not in set(assignee.escalated_overdue["code"])
    owner = build_scorecard(ctx, program_owner)
    assert instruction["code"] in set(owner.escalated_overdue["code"])
    escalated = owner.escalated_overdue.set_index("code").loc[instruction["code"]]
    assert escalated["assignee"] == instruction["assignee"] and escalated["state"] == "overdue"

    # counted in both: the scorecards' figures are the lengths of those lists
    for card in (assignee, owner):
        figures = card.figures
        assert figures["overdue_own"] == len(card.own_overdue)
        assert figures["overdue_escalated"] == len(card.escalated_overdue)
        assert figures["overdue_instructions"] == len(card.own_overdue) + len(card.escalated_overdue)
    assert assignee.figures["overdue_own"] >= 1 and owner.figures["overdue_escalated"] >= 1
    listed = build_officials(ctx).set_index("code")
    for card in (assignee, owner):
        row = listed.loc[card.official["code"]]
        assert (row["overdue_own"], row["overdue_escalated"]) == (card.figures["overdue_own"],
                                                                  card.figures["overdue_escalated"])


def test_on_its_due_date_it_counts_against_nobody_yet(ctx_for):
    """As of its due date the same instruction was not overdue: neither scorecard counted it then."""
    instruction, program_owner = an_overdue_project_instruction(ctx_for())
    before_due = ctx_for(as_of=instruction["due_date"])
    own, _ = overdue_for(before_due, instruction["assignee"])
    _, escalated = overdue_for(before_due, program_owner)
    assert instruction["code"] not in set(own["code"]) and instruction["code"] not in set(escalated["code"])
