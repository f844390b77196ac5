"""The project view on the demo store: milestones, budget burn, earned value and health computed one way."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from data_sources import queries
from data_sources.viewer import Viewer
from kpi.earned_value import earned_value
from kpi.project_health import project_health
from kpi.status import STATUS_ORDER
from services.projects import (
    BUDGET_COLUMNS,
    MILESTONE_COLUMNS,
    build_project,
    with_unplanned_remainder,
)

pytestmark = pytest.mark.datalayer

MINISTER = Viewer("minister")




@pytest.fixture
def project(readonly_demo_engine) -> str:
    """A project of Astana that started in 2024 with instructions linked to it."""
    projects = queries.projects_in_region(readonly_demo_engine, MINISTER, "AST")
    linked = set(queries.node_instructions(readonly_demo_engine, MINISTER, region="AST",
                                           today=dt.date(2025, 11, 15))["node"])
    in_2024 = pd.Series([s is not None and dt.date(2024, 1, 1) <= s < dt.date(2025, 1, 1) for s in projects["start_date"]],
                        index=projects.index)
    started = projects[in_2024 & projects["code"].isin(linked)]
    return str(started.iloc[0]["code"])


def test_project_view_shapes(ctx_for, project):
    view = build_project(ctx_for(lang="en"), project.lower())
    node = view.node.node
    assert node["code"] == project and node["level"] == "project" and node["region"] == "AST"
    assert node["owner_name"] and node["status"] in STATUS_ORDER
    assert list(view.node.path["level"]) == ["portfolio", "program", "project"]
    assert list(view.milestones.columns) == list(MILESTONE_COLUMNS) and len(view.milestones) >= 3
    assert list(view.budget.columns) == list(BUDGET_COLUMNS) and len(view.budget) >= 6
    assert set(view.milestones["state"]) <= {"done_on_time", "done_late", "overdue", "upcoming"}


def test_budget_running_totals(ctx_for, project):
    budget = build_project(ctx_for(), project).budget
    assert budget["period_start"].is_monotonic_increasing
    assert budget["cumulative_planned_kzt"].iloc[-1] == pytest.approx(budget["planned_kzt"].sum())
    assert budget["cumulative_spent_kzt"].iloc[-1] == pytest.approx(budget["spent_kzt"].sum())
    assert (budget["cumulative_spent_kzt"].diff().dropna() >= 0).all()


def test_earned_value_is_kpis(ctx_for, project, readonly_demo_engine):
    ctx = ctx_for()
    view = build_project(ctx, project)
    stones = queries.milestones(readonly_demo_engine, MINISTER, project, today=ctx.today)
    lines = queries.budget_lines(readonly_demo_engine, MINISTER, project, today=ctx.today)
    budget = with_unplanned_remainder(
        lines.rename(columns={"planned_kzt": "planned", "spent_kzt": "spent"})[["period_start", "planned", "spent"]],
        view.node.node["budget_kzt"], view.node.node["end_date"], ctx.today)
    expected = earned_value(stones, budget, start=view.node.node["start_date"], end=view.node.node["end_date"],
                            today=ctx.today)
    ev = view.earned_value
    for field in ("pv", "ev", "ac", "spi", "cpi", "eac", "planned_to_date", "execution_to_date", "time_elapsed"):
        assert ev[field] == pytest.approx(getattr(expected, field)), field
    # the budget at completion is the project's budget; the plan to date and the spending are the lines'
    assert ev["bac"] == pytest.approx(view.node.node["budget_kzt"])
    assert ev["ac"] == pytest.approx(view.budget["spent_kzt"].sum())
    assert ev["planned_to_date"] == pytest.approx(view.budget["planned_kzt"].sum())
    health = project_health(ev["spi"], ev["cpi"])
    assert ev["schedule_health"]["status"] == health.schedule.status
    assert ev["budget_health"]["status"] == health.budget.status
    assert ev["health"]["status"] == health.status and health.status in STATUS_ORDER
    assert ev["schedule_health"]["reason_text"].startswith(ctx.t(f"status.{health.schedule.status}") + ": ")


def test_health_reasons_in_every_language(ctx_for, project):
    for lang in ("kk", "ru", "en"):
        ev = build_project(ctx_for(lang=lang), project).earned_value
        for key in ("schedule_health", "budget_health", "health"):
            text = ev[key]["reason_text"]
            assert "health." not in text and "status." not in text, text
            if lang != "en":
                assert not re.search(r"[A-Za-z]{4,}", text), text  # only SPI / CPI stay Latin


def test_milestone_states_agree_with_dates(ctx_for, project):
    ctx = ctx_for()
    stones = build_project(ctx, project).milestones
    for _, m in stones.iterrows():
        actual = m["actual_date"]
        done = actual is not None and not pd.isna(actual)
        if m["state"] == "done_on_time":
            assert done and actual <= m["planned_date"] and m["days_late"] == 0
        elif m["state"] == "done_late":
            assert done and m["days_late"] == (actual - m["planned_date"]).days > 0
        elif m["state"] == "overdue":
            assert not done and m["days_late"] == (ctx.today - m["planned_date"]).days > 0
        else:
            assert not done and m["planned_date"] >= ctx.today and m["days_late"] == 0


def test_as_of_shows_the_project_as_it_was(ctx_for, project):
    now = build_project(ctx_for(), project)
    done = now.milestones[now.milestones["actual_date"].notna()]
    day = done["actual_date"].max() - dt.timedelta(days=1)
    then = build_project(ctx_for(as_of=day), project)
    assert then.milestones["actual_date"].notna().sum() == (done["actual_date"] <= day).sum()
    assert then.earned_value["ac"] <= now.earned_value["ac"]
    assert then.budget["spent_kzt"].notna().sum() <= now.budget["spent_kzt"].notna().sum()


@pytest.mark.parametrize("code", ["NOPE", "TDP-AST", "NDP-2029", ""])
def test_unknown_codes_and_other_levels_are_none(ctx_for, code):
    assert build_project(ctx_for(), code) is None


def test_a_project_out_of_scope_is_none(ctx_for, project):
    assert build_project(ctx_for(viewer=Viewer("akim", region="ALA")), project) is None
    assert build_project(ctx_for(viewer=Viewer("akim", region="AST")), project) is not None

