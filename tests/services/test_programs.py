"""The program page's extras on the demo store: each project's health computed the one way the project
page computes it, the program's instructions counted, scope respected."""

from __future__ import annotations

import pandas as pd
import pytest

from data_sources.viewer import Viewer
from kpi.status import STATUS_ORDER
from services.nodes import CHILD_COLUMNS, build_node
from services.programs import PROGRAM_PROJECT_COLUMNS, build_program_extras
from services.projects import build_project

pytestmark = pytest.mark.datalayer

PROGRAM = "NP2-RURALHEALTH"




def test_every_project_of_the_program_with_its_health_worst_first(ctx_for):
    ctx = ctx_for()
    extras = build_program_extras(ctx, PROGRAM)
    projects = extras.projects
    assert list(projects.columns) == list(PROGRAM_PROJECT_COLUMNS)
    assert set(projects["code"]) == set(build_node(ctx, PROGRAM).children["code"])
    order = projects["status"].map(STATUS_ORDER.index)
    assert list(order) == sorted(order)
    assert projects["status"].isin(STATUS_ORDER).all()
    assert projects["schedule_health"].isin(STATUS_ORDER).all() and projects["budget_health"].isin(STATUS_ORDER).all()
    judged = projects[projects["status"] != "no_data"]
    assert not judged.empty and judged["reason_text"].str.contains(":").all()
    assert (projects["milestones_overdue"] >= 0).all() and (projects["spent_kzt"] >= 0).all()


def test_the_grid_and_the_project_page_agree(ctx_for):
    ctx = ctx_for()
    projects = build_program_extras(ctx, PROGRAM).projects.set_index("code")
    for code in list(projects.index)[:4]:
        page = build_project(ctx, code)
        ev = page.earned_value
        row = projects.loc[code]
        assert row["status"] == ev["health"]["status"] and row["reason_text"] == ev["health"]["reason_text"]
        assert row["schedule_health"] == ev["schedule_health"]["status"]
        assert row["budget_health"] == ev["budget_health"]["status"]
        for key in ("spi", "cpi", "execution_to_date"):
            assert (pd.isna(row[key]) and ev[key] is None) or row[key] == pytest.approx(ev[key])
        assert row["milestones_overdue"] == int((page.milestones["state"] == "overdue").sum())


def test_instruction_counts_add_up(ctx_for):
    counts = build_program_extras(ctx_for(), PROGRAM).instructions
    assert counts["total"] == counts["done"] + counts["open"] and 0 <= counts["overdue"] <= counts["open"]
    assert counts["total"] > 0


def test_as_of_an_earlier_day_counts_fewer_instructions_and_spends_less(ctx_for):
    today, earlier = build_program_extras(ctx_for(), PROGRAM), build_program_extras(ctx_for(as_of=pd.Timestamp(
        "2025-01-31").date()), PROGRAM)
    assert earlier.instructions["total"] <= today.instructions["total"]
    assert earlier.projects["spent_kzt"].sum() < today.projects["spent_kzt"].sum()


def test_not_a_program_is_none(ctx_for):
    ctx = ctx_for()
    assert build_program_extras(ctx, "NOPE") is None
    project = build_node(ctx, PROGRAM).children["code"].iloc[0]
    assert build_program_extras(ctx, project) is None


def test_a_region_scoped_viewer_sees_only_its_regions_projects(ctx_for):
    ctx = ctx_for()
    everyone = build_program_extras(ctx, PROGRAM).projects
    region = everyone[everyone["region"] != "KZ"]["region"].iloc[0]
    scoped = build_program_extras(ctx_for(viewer=Viewer(role="akim", region=region)), PROGRAM)
    assert scoped is not None and set(scoped.projects["region"]) <= {region}
    assert list(scoped.projects.columns) == list(PROGRAM_PROJECT_COLUMNS) and set(CHILD_COLUMNS) <= set(
        scoped.projects.columns)
