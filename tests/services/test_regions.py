"""The regions map and the akim's region view on the demo store."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_sources import queries
from data_sources.viewer import Viewer
from kpi.status import STATUS_ORDER
from services.regions import (
    DEMAND_COLUMNS,
    INDICATOR_OPTION_COLUMNS,
    MAP_ROW_COLUMNS,
    REGION_KPI_COLUMNS,
    REGION_PROJECT_COLUMNS,
    build_region,
    build_region_map,
)

pytestmark = pytest.mark.datalayer

NEW_REGIONS = {"ABY": "EKR", "JTS": "ALR", "ULY": "KGD"}




# --- the map ------------------------------------------------------------------------------------------

def test_default_map_is_life_expectancy_in_the_latest_year(ctx_for):
    view = build_region_map(ctx_for())
    assert view.indicator["code"] == "LIFE_EXPECTANCY" and view.year == 2024 and view.years[0] == 2024
    assert list(view.options.columns) == list(INDICATOR_OPTION_COLUMNS)
    assert list(view.rows.columns) == list(MAP_ROW_COLUMNS)
    assert not view.per_capita and view.national == 75.44


def test_life_expectancy_2024_real_figures(ctx_for):
    view = build_region_map(ctx_for(), "life_expectancy", 2024)
    rows = view.rows
    assert len(rows) == 20 and rows["value"].notna().all() and list(rows["rank"]) == list(range(1, 21))
    assert (rows.iloc[0]["region"], rows.iloc[0]["value"]) == ("ALA", 78.78)
    assert (rows.iloc[-1]["region"], rows.iloc[-1]["value"]) == ("ULY", 72.48)
    assert rows.iloc[0]["gap"] == pytest.approx(78.78 - 75.44) and rows.iloc[-1]["gap"] < 0
    assert set(rows["period"]) == {"2024"} and rows["note"].isna().all()
    assert {f["id"] for f in view.geojson["features"]} == set(rows["region"])


@pytest.mark.parametrize("year", [2023, 2024])
def test_all_twenty_regions_after_the_reform(ctx_for, year):
    view = build_region_map(ctx_for(), "LIFE_EXPECTANCY", year)
    assert view.rows["rank"].notna().sum() == 20 and len(view.geojson["features"]) == 20


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_2021_shows_seventeen_regions_and_says_why_three_are_missing(ctx_for, lang):
    view = build_region_map(ctx_for(lang=lang), "LIFE_EXPECTANCY", 2021)
    rows = view.rows.set_index("region")
    assert len(rows) == 20 and rows["rank"].notna().sum() == 17
    regions = queries.regions(ctx_for().engine, lang=lang).set_index("code")
    for new, old in NEW_REGIONS.items():
        assert rows.loc[new, "rank"] is None and pd.isna(rows.loc[new, "value"])
        note = rows.loc[new, "note"]
        assert regions.loc[new, "name"] in note and regions.loc[old, "name"] in note and "2022" in note
    assert rows.drop(list(NEW_REGIONS))["note"].isna().all()
    assert list(view.rows["region"].tail(3)) == sorted(NEW_REGIONS)  # unranked last
    features = {f["id"]: f for f in view.geojson["features"]}
    assert set(features) == set(rows.index) - set(NEW_REGIONS)
    # the territory of the new regions is drawn as part of the regions they were carved out of
    assert features["EKR"]["geometry"]["type"] == "MultiPolygon"
    assert len(features["EKR"]["geometry"]["coordinates"]) >= 2
    assert view.national == 70.2


def test_2022_yearly_values_are_in_the_old_borders(ctx_for):
    rows = build_region_map(ctx_for(lang="ru"), "LIFE_EXPECTANCY", 2022).rows.set_index("region")
    assert rows["rank"].notna().sum() == 17
    for new in NEW_REGIONS:
        assert "2022" in rows.loc[new, "note"] and "«" in rows.loc[new, "note"]


def test_notes_are_in_the_viewers_language(ctx_for):
    notes = {lang: build_region_map(ctx_for(lang=lang), "LIFE_EXPECTANCY", 2021).rows.set_index("region").loc["ABY", "note"]
             for lang in ("kk", "ru", "en")}
    assert len(set(notes.values())) == 3
    assert "formed" in notes["en"] and "образован" in notes["ru"] and "құрылды" in notes["kk"]


def _count_indicator(ctx) -> str:
    options = build_region_map(ctx).options
    counts = options[options["per_capita_available"]]
    return "BIRTHS" if "BIRTHS" in set(counts["code"]) else str(counts.iloc[0]["code"])


def test_per_capita_changes_the_ranking_of_a_count(ctx_for):
    ctx = ctx_for()
    code = _count_indicator(ctx)
    absolute = build_region_map(ctx, code, 2024)
    relative = build_region_map(ctx, code, 2024, per_capita=True)
    assert not absolute.per_capita and relative.per_capita
    assert list(absolute.rows["region"]) != list(relative.rows["region"])
    rows = relative.rows.set_index("region")
    population = queries.population(ctx.engine, 2024).set_index("region")["population"]
    for region, row in rows.iterrows():
        assert row["value"] == pytest.approx(row["raw_value"] / population[region] * 10_000)
        assert row["population"] == population[region]
    assert relative.national == pytest.approx(absolute.national / population["KZ"] * 10_000)
    assert absolute.rows["gap"].isna().all()  # a region's count against the national total: no gap
    assert rows["gap"].notna().all()
    assert relative.indicator["value_unit_label"] != absolute.indicator["value_unit_label"]
    assert relative.rows.iloc[0]["period"] == "2024-12"  # a monthly count: the latest month of the year


def test_per_capita_in_the_second_half_of_2022_uses_the_new_borders(ctx_for):
    ctx = ctx_for()
    code = _count_indicator(ctx)
    rows = build_region_map(ctx, code, 2022, per_capita=True).rows.set_index("region")
    counted_2023 = queries.population(ctx.engine, 2023).set_index("region")["population"]
    assert rows.loc["ABY", "period"] == "2022-12" and rows.loc["ABY", "population"] == counted_2023["ABY"]
    assert rows.loc["EKR", "population"] == counted_2023["EKR"]  # East Kazakhstan without Abai
    assert rows["rank"].notna().sum() == 20


def test_per_capita_is_ignored_for_rates(ctx_for):
    view = build_region_map(ctx_for(), "LIFE_EXPECTANCY", 2024, per_capita=True)
    assert not view.per_capita and view.rows.iloc[0]["value"] == 78.78


def test_unknown_indicator_is_none(ctx_for):
    assert build_region_map(ctx_for(), "NOPE") is None


def test_a_year_without_data_shows_no_values(ctx_for):
    view = build_region_map(ctx_for(), "LIFE_EXPECTANCY", 2010)
    assert view.year == 2010 and view.rows["value"].isna().all() and view.rows["note"].notna().all()
    assert view.national is None


def test_as_of_before_a_correction_shows_the_old_value(ctx_for, demo_correction):
    indicator, region, period, old, new, known = demo_correction
    day_before = (known.astimezone(dt.timezone(dt.timedelta(hours=5))) - dt.timedelta(days=1)).date()
    now = build_region_map(ctx_for(), indicator, int(period)).rows.set_index("region")
    then = build_region_map(ctx_for(as_of=day_before), indicator, int(period)).rows.set_index("region")
    assert now.loc[region, "value"] == new and then.loc[region, "value"] == old


def test_as_of_hides_years_not_known_yet(ctx_for):
    view = build_region_map(ctx_for(as_of=dt.date(2023, 12, 31)), "LIFE_EXPECTANCY")
    assert view.year == view.years[0] < 2023


# --- the region view ------------------------------------------------------------------------------------

def test_region_view_of_astana(ctx_for):
    view = build_region(ctx_for(), "ast")
    assert view.region["code"] == "AST" and view.region["name"] == "Astana" and view.region["population"] > 1_000_000
    assert view.program["code"] == "TDP-AST" and view.program["owner_name"] and view.program["status"] in STATUS_ORDER
    kpis = view.kpis
    assert list(kpis.columns) == list(REGION_KPI_COLUMNS) and len(kpis) >= 5 and kpis["indicator"].is_unique
    assert "LIFE_EXPECTANCY" in set(kpis["indicator"])
    life = kpis.set_index("indicator").loc["LIFE_EXPECTANCY"]
    assert (life["period"], life["value"], life["national_value"]) == ("2024", 76.3, 75.44)
    assert life["rank"] == 2 and life["of_regions"] == 20 and life["gap"] == pytest.approx(0.86)
    assert all(1 <= r <= n for r, n in zip(kpis["rank"].dropna(), kpis["of_regions"].dropna()))
    assert all(len(p) == len(v) > 0 for p, v in zip(kpis["spark_periods"], kpis["spark_values"]))
    assert list(view.projects.columns) == list(REGION_PROJECT_COLUMNS) and len(view.projects) >= 5
    assert set(view.projects["status"]) <= set(STATUS_ORDER)
    assert view.instruction_counts["total"] == view.instruction_counts["done"] + view.instruction_counts["open"]
    assert view.instruction_counts["overdue"] > 0
    assert list(view.demand.columns) == list(DEMAND_COLUMNS) and len(view.demand) >= 10
    assert list(view.demand_monthly.columns) == ["month", "requests"] and len(view.demand_monthly) == 24


def test_projects_are_the_regions_with_health(ctx_for, readonly_demo_engine):
    ctx = ctx_for()
    view = build_region(ctx, "AST")
    projects = queries.projects_in_region(readonly_demo_engine, ctx.viewer, "AST")
    assert set(view.projects["code"]) == set(projects["code"])
    order = view.projects["status"].map(STATUS_ORDER.index)
    assert order.is_monotonic_increasing  # worst first
    from services.projects import build_project
    sample = view.projects.iloc[0]
    page = build_project(ctx, sample["code"])
    assert page.earned_value["health"]["status"] == sample["status"]
    assert page.earned_value["spi"] == sample["spi"] or (pd.isna(sample["spi"]) and page.earned_value["spi"] is None)
    assert (page.milestones["state"] == "overdue").sum() == sample["milestones_overdue"]


def test_demand_figures(ctx_for, readonly_demo_engine):
    ctx = ctx_for()
    view = build_region(ctx, "AST")
    since = dt.date(2024, 11, 16)
    counts = queries.citizen_request_counts(readonly_demo_engine, ctx.viewer, since=since, until=ctx.today)
    assert view.demand["requests"].sum() == int(counts.set_index("region").loc["AST", "received"])
    people = view.region["population"]
    top = view.demand.iloc[0]
    assert top["requests"] == view.demand["requests"].max()
    assert top["per_10k"] == pytest.approx(top["requests"] / people * 10_000)
    assert view.demand["resolved_on_time_share"].between(0, 1).all()
    previous = queries.citizen_demand_counts(readonly_demo_engine, ctx.viewer, "AST", dt.date(2023, 11, 16),
                                             dt.date(2024, 11, 15), today=ctx.today).set_index("topic")
    assert top["growth"] == pytest.approx(top["requests"] / previous.loc[top["topic"], "requests"] - 1)
    months = view.demand_monthly
    assert months["month"].iloc[-1] == pd.Timestamp("2025-10-01") and months["month"].iloc[0] == pd.Timestamp("2023-11-01")
    monthly = queries.citizen_requests_monthly(readonly_demo_engine, ctx.viewer, "AST", dt.date(2025, 10, 1),
                                               dt.date(2025, 10, 31))
    assert months["requests"].iloc[-1] == monthly["requests"].sum()


def test_an_akim_sees_only_the_own_regions_operational_rows(ctx_for):
    akim = Viewer("akim", region="AST")
    own = build_region(ctx_for(viewer=akim), "AST")
    assert not own.projects.empty and not own.demand.empty and own.instruction_counts["total"] > 0
    other = build_region(ctx_for(viewer=akim), "ALA")
    assert other is not None and other.region["code"] == "ALA" and not other.kpis.empty  # comparison data
    assert other.projects.empty and other.demand.empty and other.demand_monthly.empty
    assert other.instruction_counts == {"total": 0, "done": 0, "open": 0, "overdue": 0}
    national = build_region(ctx_for(), "ALA")
    assert not national.projects.empty  # so the emptiness above is the scope, not the data
    pd.testing.assert_frame_equal(other.kpis.drop(columns=["spark_periods", "spark_values"]),
                                  national.kpis.drop(columns=["spark_periods", "spark_values"]))


def test_a_new_region(ctx_for):
    view = build_region(ctx_for(lang="ru"), "aby")
    assert view.region["predecessor"] == "EKR" and view.region["valid_from"] == dt.date(2022, 6, 8)
    assert view.region["predecessor_name"] and view.program["code"] == "TDP-ABY"
    assert view.kpis["of_regions"].dropna().eq(20).all()


def test_national_goals_start_from_the_regions_own_baseline(ctx_for):
    """Life expectancy of the 2029 plan, assessed for Ulytau (the lowest), is judged against Ulytau's
    own target from Ulytau's own baseline, not from the national one."""
    life = build_region(ctx_for(), "ULY").kpis.set_index("indicator").loc["LIFE_EXPECTANCY"]
    assert life["rank"] == 20 and life["value"] == 72.48 and life["target_value"] < 75.44
    assert "100%" not in life["reason_text"]


@pytest.mark.parametrize("code", ["NOPE", "KZ", ""])
def test_unknown_region_is_none(ctx_for, code):
    assert build_region(ctx_for(), code) is None


def test_as_of_region_view(ctx_for):
    view = build_region(ctx_for(as_of=dt.date(2024, 12, 31)), "AST")
    assert view.today == dt.date(2024, 12, 31)
    assert view.kpis["period"].map(lambda p: p is None or int(p[:4]) <= 2024).all()
    assert view.demand_monthly["month"].iloc[-1] == pd.Timestamp("2024-11-01")
