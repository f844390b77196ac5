"""Query functions of the drill-down pages (regions, map values, projects, citizen demand) on the demo store."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, select

from data_sources import queries
from data_sources.store import CitizenRequest, Indicator, Instruction, Observation, Region
from data_sources.viewer import Viewer
from kpi.citizen_demand import resolved_on_time

pytestmark = pytest.mark.datalayer

TODAY = dt.date(2025, 11, 15)
UTC = dt.timezone.utc
NEW_REGIONS = {"ABY": "EKR", "JTS": "ALR", "ULY": "KGD"}
MINISTER = Viewer("minister")


def test_regions_have_validity_and_predecessors(readonly_demo_engine):
    frame = queries.regions(readonly_demo_engine, lang="en")
    assert list(frame.columns) == list(queries.REGION_COLUMNS)
    assert len(frame) == 20 and frame["code"].is_unique and "KZ" not in set(frame["code"])
    carved = frame[frame["predecessor"].notna()].set_index("code")
    assert carved["predecessor"].to_dict() == NEW_REGIONS
    assert set(carved["since"]) == set(carved["valid_from"]) == {dt.date(2022, 6, 8)}
    assert carved.loc["ABY", "predecessor_name"] == "East Kazakhstan Region"
    assert frame[frame["predecessor"].isna()]["valid_from"].isna().all()
    kazakh = queries.regions(readonly_demo_engine, lang="kk").set_index("code")
    assert kazakh.loc["ABY", "name"] != carved.loc["ABY", "name"] and kazakh.loc["AST", "centre"]


def test_population_by_year_and_region(readonly_demo_engine):
    frame = queries.population(readonly_demo_engine, 2024)
    assert set(frame["year"]) == {2024} and len(frame) == 21
    nation = int(frame.loc[frame["region"] == "KZ", "population"].iloc[0])
    assert nation == frame.loc[frame["region"] != "KZ", "population"].sum()
    abai = queries.population(readonly_demo_engine, region="aby")
    assert set(abai["region"]) == {"ABY"} and abai["year"].min() == 2023  # counted in the new borders from 2023


def test_indicator_options_are_regional_with_headlines_first(readonly_demo_engine):
    options = queries.indicator_options(readonly_demo_engine, lang="ru")
    assert list(options.columns) == list(queries.INDICATOR_OPTION_QUERY_COLUMNS)
    assert options.iloc[0]["code"] == "LIFE_EXPECTANCY"  # the first headline goal of the newest plan
    headline = options["headline"].tolist()
    assert headline == sorted(headline, reverse=True) and sum(headline) >= 5
    with readonly_demo_engine.connect() as conn:
        regional = set(conn.execute(select(Indicator.code).where(Indicator.regional.is_(True))).scalars())
    assert set(options["code"]) <= regional and len(options) >= 100
    assert options["code"].is_unique


def test_regional_values_real_life_expectancy(readonly_demo_engine):
    frame = queries.regional_values(readonly_demo_engine, MINISTER, "life_expectancy", year=2024)
    assert list(frame.columns) == list(queries.SERIES_COLUMNS)
    values = frame.set_index("region")["value"]
    assert len(values) == 21 and values["KZ"] == 75.44
    regions = values.drop("KZ")
    assert (regions.idxmax(), regions.max()) == ("ALA", 78.78)
    assert (regions.idxmin(), regions.min()) == ("ULY", 72.48)
    old = queries.regional_values(readonly_demo_engine, MINISTER, ["LIFE_EXPECTANCY"], year=2021)
    assert set(NEW_REGIONS).isdisjoint(old["region"]) and len(old) == 18  # 17 regions and the nation


def test_regional_values_by_period_starts(readonly_demo_engine):
    frame = queries.regional_values(readonly_demo_engine, MINISTER, ["LIFE_EXPECTANCY", "BIRTHS"],
                                    period_starts=[dt.date(2023, 1, 1), pd.Timestamp("2024-06-01")])
    assert set(zip(frame["indicator"], frame["period"])) == {("LIFE_EXPECTANCY", "2023"), ("BIRTHS", "2023-01"),
                                                              ("BIRTHS", "2024-06")}


def test_regional_values_as_of_before_a_correction_show_the_old_value(readonly_demo_engine, demo_correction):
    indicator, region, period, old, new, known = demo_correction
    year = int(period)
    now = queries.regional_values(readonly_demo_engine, MINISTER, indicator, year=year).set_index("region")
    before = queries.regional_values(readonly_demo_engine, MINISTER, indicator, year=year,
                                     as_of=known - dt.timedelta(days=1)).set_index("region")
    after = queries.regional_values(readonly_demo_engine, MINISTER, indicator, year=year, as_of=known).set_index("region")
    assert now.loc[region, "value"] == after.loc[region, "value"] == new
    assert before.loc[region, "value"] == old and before.loc[region, "version"] == 1


def test_regional_years(readonly_demo_engine):
    years = queries.regional_years(readonly_demo_engine, MINISTER, "LIFE_EXPECTANCY")
    assert years[:6] == [2024, 2023, 2022, 2021, 2020, 2019][: len(years[:6])] and 2024 in years
    early = queries.regional_years(readonly_demo_engine, MINISTER, "LIFE_EXPECTANCY",
                                   as_of=dt.datetime(2023, 1, 1, tzinfo=UTC))
    assert 2024 not in early and 2023 not in early and early == sorted(early, reverse=True)
    assert queries.regional_years(readonly_demo_engine, MINISTER, "NOPE") == []


def test_the_public_sees_published_values_only(readonly_demo_engine):
    with readonly_demo_engine.connect() as conn:
        draft = conn.execute(
            select(Indicator.code, Observation.period_start)
            .join(Indicator, Indicator.id == Observation.indicator_id)
            .where(Observation.state == "draft", Indicator.regional.is_(True))
            .order_by(Indicator.code).limit(1)).one()
    staff = queries.regional_values(readonly_demo_engine, MINISTER, draft[0], period_starts=[draft[1]])
    public = queries.regional_values(readonly_demo_engine, Viewer("public"), draft[0], period_starts=[draft[1]])
    assert "draft" in set(staff["state"]) and set(public["state"]) <= {"published"}
    assert len(public) < len(staff)


def test_region_programs(readonly_demo_engine):
    programs = queries.region_programs(readonly_demo_engine, Viewer("akim", region="ALA"), "ast", lang="en")
    assert list(programs["code"]) == ["TDP-AST"] and programs.iloc[0]["kind"] == "territorial_program"


def _a_project(engine, region: str = "AST") -> str:
    projects = queries.projects_in_region(engine, MINISTER, region)
    started = projects[[start is not None and start < dt.date(2025, 1, 1) for start in projects["start_date"]]]
    return str(started.iloc[0]["code"])


def test_projects_in_region(readonly_demo_engine):
    frame = queries.projects_in_region(readonly_demo_engine, MINISTER, "ast", lang="en")
    assert list(frame.columns) == list(queries.PROJECT_COLUMNS)
    assert len(frame) >= 5 and set(frame["region"]) == {"AST"} and set(frame["level"]) == {"project"}
    assert frame["parent_name"].notna().all()
    assert queries.projects_in_region(readonly_demo_engine, Viewer("akim", region="AST"), "ALA").empty
    every = queries.projects_in_region(readonly_demo_engine, MINISTER)
    assert len(every) >= 300 and every["region"].nunique() == 21  # the nation's projects too


def test_milestones_and_budget_lines_of_a_project(readonly_demo_engine):
    code = _a_project(readonly_demo_engine)
    stones = queries.milestones(readonly_demo_engine, MINISTER, code.lower(), today=TODAY, lang="en")
    assert list(stones.columns) == list(queries.MILESTONE_QUERY_COLUMNS)
    assert set(stones["project"]) == {code} and list(stones["seq"]) == sorted(stones["seq"])
    assert stones["weight"].sum() == pytest.approx(1.0, abs=0.01)
    assert stones["name"].str.len().min() > 3
    lines = queries.budget_lines(readonly_demo_engine, MINISTER, code, today=TODAY)
    assert list(lines.columns) == list(queries.BUDGET_LINE_COLUMNS)
    assert set(lines["project"]) == {code} and lines["period_start"].is_monotonic_increasing
    assert lines["spent_kzt"].notna().all()  # every month of the demo has passed


def test_project_rows_as_known_on_an_earlier_day(readonly_demo_engine):
    code = _a_project(readonly_demo_engine)
    stones = queries.milestones(readonly_demo_engine, MINISTER, code, today=TODAY)
    done = stones[stones["actual_date"].notna()]
    assert not done.empty
    day = done["actual_date"].max() - dt.timedelta(days=1)
    then = queries.milestones(readonly_demo_engine, MINISTER, code, today=day).set_index("seq")
    assert then["actual_date"].notna().sum() == (done["actual_date"] <= day).sum()
    lines = queries.budget_lines(readonly_demo_engine, MINISTER, code, today=day)
    later = lines[pd.to_datetime(lines["period_start"]) > pd.Timestamp(day)]
    assert later["spent_kzt"].isna().all() and later["planned_kzt"].notna().all()


def test_node_instructions(readonly_demo_engine):
    frame = queries.node_instructions(readonly_demo_engine, MINISTER, "TDP-AST", today=TODAY, lang="en")
    assert list(frame.columns) == list(queries.INSTRUCTION_COLUMNS) and not frame.empty
    assert set(frame["node"]) == {"TDP-AST"} and set(frame["region"]) == {"AST"}
    assert list(frame["issued_date"]) == sorted(frame["issued_date"], reverse=True)
    assert queries.node_instructions(readonly_demo_engine, Viewer("public"), "TDP-AST", today=TODAY).empty
    assert queries.node_instructions(readonly_demo_engine, Viewer("akim", region="ALA"), "TDP-AST", today=TODAY).empty
    done = frame[frame["done_date"].notna()]
    day = done["done_date"].max() - dt.timedelta(days=1)
    then = queries.node_instructions(readonly_demo_engine, MINISTER, "TDP-AST", today=day).set_index("code")
    assert then.loc[done.set_index("code")["done_date"].idxmax(), "done_date"] is None


def test_an_instruction_done_later_was_overdue_then(readonly_demo_engine):
    with readonly_demo_engine.connect() as conn:
        late = conn.execute(
            select(Instruction.code, Instruction.due_date, Instruction.done_date)
            .where(Instruction.done_date > Instruction.due_date).order_by(Instruction.code)).all()
    late = next(row for row in late if (row.done_date - row.due_date).days > 2)
    day = late.due_date + dt.timedelta(days=1)
    overdue = queries.overdue_instructions(readonly_demo_engine, MINISTER, today=day, limit=10_000)
    assert late.code in set(overdue["code"]) and overdue["done_date"].isna().all()
    counts = queries.instruction_counts(readonly_demo_engine, MINISTER, today=day)
    assert counts["overdue"].sum() == len(overdue)


def test_instruction_counts_and_overdue_of_one_region(readonly_demo_engine):
    counts = queries.instruction_counts(readonly_demo_engine, MINISTER, today=TODAY, region="ast")
    overdue = queries.overdue_instructions(readonly_demo_engine, MINISTER, today=TODAY, region="AST", limit=10_000)
    assert list(counts["region"]) == ["AST"] and int(counts["overdue"].iloc[0]) == len(overdue) > 0
    assert set(overdue["region"]) == {"AST"}


WINDOW = (dt.date(2024, 11, 16), TODAY)


def test_citizen_demand_counts_add_up(readonly_demo_engine):
    frame = queries.citizen_demand_counts(readonly_demo_engine, MINISTER, "AST", *WINDOW, today=TODAY, lang="en")
    assert list(frame.columns) == list(queries.DEMAND_COUNT_COLUMNS)
    assert set(frame["region"]) == {"AST"} and frame["topic"].is_unique and len(frame) >= 10
    total = queries.citizen_request_counts(readonly_demo_engine, MINISTER, since=WINDOW[0], until=WINDOW[1])
    assert frame["requests"].sum() == int(total.set_index("region").loc["AST", "received"])
    assert (frame["on_time"] <= frame["due"]).all() and (frame["due"] <= frame["requests"]).all()


def test_citizen_demand_on_time_is_the_kpi_rule(readonly_demo_engine):
    """The SQL aggregate counts what kpi.citizen_demand.resolved_on_time counts on the rows."""
    since, until = dt.date(2025, 9, 1), dt.date(2025, 10, 31)
    frame = queries.citizen_demand_counts(readonly_demo_engine, MINISTER, "PVD", since, until, today=TODAY)
    with readonly_demo_engine.connect() as conn:
        rows = conn.execute(
            select(CitizenRequest.topic_id, CitizenRequest.due_date, CitizenRequest.resolved_date)
            .join(Region, Region.id == CitizenRequest.region_id)
            .where(Region.code == "PVD", CitizenRequest.received_date.between(since, until))).all()
    raw = pd.DataFrame(rows, columns=["topic", "due_date", "resolved_date"]).assign(region="PVD")
    expected = resolved_on_time(raw, today=TODAY)
    assert frame["due"].sum() == expected["due"].sum() and frame["on_time"].sum() == expected["on_time"].sum()
    assert sorted(frame["on_time"]) == sorted(expected["on_time"])


def test_citizen_requests_monthly(readonly_demo_engine):
    frame = queries.citizen_requests_monthly(readonly_demo_engine, MINISTER, "AST", dt.date(2024, 1, 1),
                                             dt.date(2024, 12, 31))
    assert list(frame.columns) == ["region", "month", "requests"]
    assert list(frame["month"]) == list(pd.date_range("2024-01-01", periods=12, freq="MS"))
    total = queries.citizen_request_counts(readonly_demo_engine, MINISTER, since=dt.date(2024, 1, 1),
                                           until=dt.date(2024, 12, 31)).set_index("region")
    assert frame["requests"].sum() == int(total.loc["AST", "received"])
    assert queries.citizen_requests_monthly(readonly_demo_engine, Viewer("akim", region="ALA"), "AST").empty


def test_demand_queries_aggregate_in_sql(readonly_demo_engine):
    """Over the whole store the frames stay small: one row per region and topic, or region and month."""
    with readonly_demo_engine.connect() as conn:
        requests = conn.execute(select(func.count()).select_from(CitizenRequest)).scalar_one()
    counts = queries.citizen_demand_counts(readonly_demo_engine, MINISTER, today=TODAY)
    monthly = queries.citizen_requests_monthly(readonly_demo_engine, MINISTER)
    assert counts["requests"].sum() == monthly["requests"].sum() == requests > 100_000
    assert len(counts) <= 21 * 13 and len(monthly) <= 21 * 36
