"""The pure figure functions of the drill-down pages: data in, ``go.Figure`` out, one template, titles
with units, colour never the only code (dash styles, marker shapes, patterns)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboards import _figures as f
from dashboards._theme import PALETTE, TEMPLATE_NAME, contrast_ratio
from tests.dashboards.ui_samples import (
    TODAY,
    sample_budget,
    sample_forecast,
    sample_geojson,
    sample_map_rows,
    sample_milestones,
    sample_region_view,
)


def _facts() -> pd.DataFrame:
    return pd.DataFrame({"period_start": [pd.Timestamp(y, 1, 1) for y in (2021, 2022, 2023, 2024)],
                         "value": [72.0, 73.0, 74.2, 75.1], "period": ["2021", "2022", "2023", "2024"]})


def _trajectory() -> pd.DataFrame:
    return pd.DataFrame({"date": [dt.date(2021, 12, 31), dt.date(2025, 12, 31), dt.date(2029, 12, 31)],
                         "value": [72.0, 74.0, 75.0]})


def _names(fig: go.Figure) -> list[str]:
    return [trace.name for trace in fig.data]


def _template_ok(fig: go.Figure) -> None:
    assert fig.layout.template.layout.font.family.startswith("DejaVu Sans")
    assert fig.layout.title.text  # every figure has its own title (for exports)


# --- helpers ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("start,frequency,end", [
    (dt.date(2024, 1, 1), "Y", dt.date(2024, 12, 31)),
    (dt.date(2024, 7, 1), "Q", dt.date(2024, 9, 30)),
    (dt.date(2024, 10, 1), "Q", dt.date(2024, 12, 31)),
    (dt.date(2024, 2, 1), "M", dt.date(2024, 2, 29)),
    (dt.date(2024, 12, 1), "M", dt.date(2024, 12, 31)),
])
def test_period_end(start, frequency, end):
    assert f.period_end(start, frequency) == end


def test_title_with_units_and_middle_shortening():
    assert f.title_with_units("Wage", "thousand ₸") == "Wage, thousand ₸"
    assert f.title_with_units("Wage", None) == "Wage"
    long = "Modernisation of a central district hospital in North Kazakhstan Region"
    short = f.short_middle(long, 40)
    assert len(short) == 40 and short.endswith("North Kazakhstan Region") and "…" in short
    assert f.short_middle("short", 40) == "short"


def test_chart_colours_are_the_colour_blind_safe_palette_and_readable():
    assert f.FACT in PALETTE and f.FORECAST in PALETTE
    assert contrast_ratio(f.FACT, "#ffffff") >= 3  # graphical objects: WCAG 1.4.11
    assert contrast_ratio(f.FORECAST, "#ffffff") >= 3
    assert contrast_ratio(f.PLAN, "#ffffff") >= 4.5


# --- the goal chart ---------------------------------------------------------------------------------

def test_goal_chart_has_facts_trajectory_forecast_interval_target_and_today():
    fig = f.goal_chart(_facts(), _trajectory(), sample_forecast(), title="Life expectancy", units="years",
                       frequency="Y", target=(dt.date(2029, 12, 31), 75.0), today=TODAY,
                       labels=f.GoalLabels(facts="F", trajectory="T", forecast="P", interval="I", target="G", today="D"),
                       fmt=lambda v: f"{v:.1f}", period_text=lambda p: f"year {p}", separators=", ")
    _template_ok(fig)
    assert fig.layout.title.text == "Life expectancy, years" and fig.layout.yaxis.title.text == "years"
    assert _names(fig) == ["I", "P", "T", "F", "G"]
    band, forecast, trajectory, facts, target = fig.data
    # each value at the end of its period
    assert list(facts.x) == [dt.date(y, 12, 31) for y in (2021, 2022, 2023, 2024)]
    assert list(facts.y) == [72.0, 73.0, 74.2, 75.1]
    assert facts.customdata[0][0] == "year 2021" and facts.customdata[-1][1] == "75.1"
    assert band.fill == "toself" and band.mode == "lines" and band.hoverinfo == "skip"
    assert max(band.y) == pytest.approx(77.3) and min(band.y) == pytest.approx(74.9)
    assert forecast.line.dash == "dot" and trajectory.line.dash == "dash" and facts.line.dash is None
    assert list(trajectory.y) == [72.0, 74.0, 75.0]
    assert target.marker.symbol == "star" and list(target.y) == [75.0] and list(target.x) == [dt.date(2029, 12, 31)]
    assert fig.layout.separators == ", "
    assert fig.layout.xaxis.ticklabelmode == "period" and fig.layout.xaxis.tickformat == "%Y"
    assert [shape.x0 for shape in fig.layout.shapes] == [TODAY.isoformat()]
    assert fig.layout.annotations[0].text == "D"


def test_goal_chart_for_quarters_places_values_at_quarter_ends():
    facts = pd.DataFrame({"period_start": [pd.Timestamp(2025, 4, 1), pd.Timestamp(2025, 7, 1)], "value": [1.0, 2.0]})
    fig = f.goal_chart(facts, pd.DataFrame(columns=["date", "value"]), pd.DataFrame(), title="x", frequency="Q")
    assert list(fig.data[0].x) == [dt.date(2025, 6, 30), dt.date(2025, 9, 30)]


def test_goal_chart_without_data_is_an_empty_titled_figure():
    fig = f.goal_chart(pd.DataFrame(columns=["period_start", "value"]), None, None, title="Nothing", units="%")
    assert len(fig.data) == 0 and fig.layout.title.text == "Nothing, %"


# --- milestones and budget ----------------------------------------------------------------------------

def test_milestone_timeline_draws_planned_and_actual_phases_one_trace_per_state():
    states = (("done_on_time", "On time"), ("done_late", "Late"), ("overdue", "Overdue"), ("upcoming", "Upcoming"))
    fig = f.milestone_timeline(sample_milestones(), start=dt.date(2024, 1, 1), today=TODAY, title="Milestones",
                               labels=f.MilestoneLabels(planned="Plan", actual="Fact", today="D", states=states))
    _template_ok(fig)
    assert _names(fig) == ["Plan", "On time", "Late", "Overdue"]  # nothing upcoming is drawn as actual
    planned, on_time, late, overdue = fig.data
    assert all(trace.orientation == "h" for trace in fig.data)
    assert list(planned.y) == ["1. Проект утверждён", "2. Подрядчик выбран", "3. Каркас возведён", "4. Объект сдан"]
    assert planned.base[0] == "2024-01-01" and planned.base[1] == "2024-04-01"  # phases follow each other
    day = 86_400_000
    assert planned.x[0] == ((dt.date(2024, 4, 1) - dt.date(2024, 1, 1)).days + 1) * day
    assert on_time.x[0] is not None and all(x is None for x in on_time.x[1:])
    assert late.base[1] == "2024-03-28" and late.x[1] == ((dt.date(2024, 10, 15) - dt.date(2024, 3, 28)).days + 1) * day
    # overdue: from where its phase was planned to begin up to today
    assert overdue.base[2] == "2024-10-15" and overdue.x[2] == ((TODAY - dt.date(2024, 10, 15)).days + 1) * day
    patterns = {trace.name: trace.marker.pattern.shape for trace in fig.data[1:]}
    assert patterns == {"On time": "", "Late": "/", "Overdue": "x"}  # not colour alone
    assert fig.layout.yaxis.autorange == "reversed"


def test_milestone_timeline_without_milestones_is_empty():
    fig = f.milestone_timeline(pd.DataFrame(), start=None, today=TODAY, title="Milestones")
    assert len(fig.data) == 0 and fig.layout.title.text == "Milestones"


def test_budget_burn_draws_cumulative_plan_and_spending_until_today_scaled():
    fig = f.budget_burn(sample_budget(), title="Budget burn", units="mn ₸", scale=1e6, today=dt.date(2025, 11, 15),
                        total=1.2e9, labels=f.BudgetLabels(planned="Plan", spent="Spent", today="D", total="BAC"))
    _template_ok(fig)
    assert fig.layout.title.text == "Budget burn, mn ₸" and fig.layout.yaxis.title.text == "mn ₸"
    spent, planned = fig.data  # the plan drawn on top: both visible where they coincide
    assert _names(fig) == ["Spent", "Plan"] and planned.line.dash == "dash" and spent.line.dash is None
    assert list(planned.y)[-1] == pytest.approx(960.0) and list(planned.x)[0] == dt.date(2025, 1, 31)
    assert len(spent.y) == 10  # January to October: November is not known yet, December is after today
    assert list(spent.y)[-1] == pytest.approx(700.0)
    assert fig.layout.shapes[0].y0 == pytest.approx(1200.0)
    assert [a.text for a in fig.layout.annotations] == ["BAC 1,200.0", "D"]


def test_budget_by_project_keeps_one_bar_per_project_even_with_equal_names():
    fig = f.budget_by_project(["Hospital in a district of Aktobe Region", "Hospital in a district of Aktobe Region", "B"],
                              [3.0, 2.0, 1.0], [1.0, None, 0.5], title="Budget", units="bn ₸")
    planned, spent = fig.data
    assert len(set(planned.y)) == 3 and planned.y[0].startswith("Hospital")
    assert list(planned.x) == [3.0, 2.0, 1.0] and list(spent.x) == [1.0, None, 0.5]
    only_plan = f.budget_by_project(["A"], [1.0], None, title="Budget", units="bn ₸")
    assert len(only_plan.data) == 1


# --- regions ------------------------------------------------------------------------------------------

def test_choropleth_is_offline_and_covers_every_region_with_name_value_rank_in_the_hover():
    fig = f.region_choropleth(sample_map_rows(), sample_geojson(), title="Life expectancy", units="years",
                              fmt=lambda v: f"{v:.1f}", rank_text=lambda r: f"{r} of 19", no_value="No value")
    _template_ok(fig)
    assert all(isinstance(trace, go.Choroplethmap) for trace in fig.data)
    assert fig.layout.map.style == "white-bg"
    assert fig.layout.map.center.lat == pytest.approx(f.KZ_CENTER["lat"])
    known, missing = fig.data
    assert known.featureidkey == "id" and missing.featureidkey == "id"
    assert sorted(list(known.locations) + list(missing.locations)) == sorted(sample_geojson()["features"][i]["id"]
                                                                             for i in range(20))
    assert list(missing.locations) == ["ABY"] and "formed on 8 June 2022" in missing.customdata[0][1]
    first = list(known.locations).index("AKM")
    assert list(known.customdata[first]) == ["Akmola Region", "79.0", "1 of 19"]
    assert not known.colorbar.title.text and fig.layout.title.text == "Life expectancy, years"


def test_choropleth_darker_is_better_for_lower_is_better_indicators_too():
    up = f.region_choropleth(sample_map_rows(), sample_geojson(), title="x", units=None, direction="up")
    down = f.region_choropleth(sample_map_rows(), sample_geojson(), title="x", units=None, direction="down")
    assert up.data[0].colorscale[-1][1] == f.MAP_SCALE[-1][1]  # high value: dark
    assert down.data[0].colorscale[0][1] == f.MAP_SCALE[-1][1]  # low value: dark


def test_choropleth_leaves_out_regions_the_geometry_lacks():
    geometry = sample_geojson([c for c in sample_map_rows()["region"] if c != "ABY"])
    fig = f.region_choropleth(sample_map_rows(), geometry, title="x", units=None)
    assert len(fig.data) == 1 and "ABY" not in list(fig.data[0].locations)


def test_ranking_bar_ranks_highlights_and_marks_the_national_value():
    fig = f.ranking_bar(sample_map_rows(), title="Life expectancy", units="years", national=70.0,
                        national_label="National", highlight="AST", fmt=lambda v: f"{v:.1f}")
    _template_ok(fig)
    bars = fig.data[0]
    assert len(bars.y) == 19  # the region without a value is left out
    assert bars.y[0] == "Akmola Region" and bars.customdata[0][2] == 1
    index = list(bars.y).index("<b>Astana</b>")
    assert bars.marker.color[index] == f.HIGHLIGHT and bars.marker.color[0] == f.FACT
    assert fig.layout.shapes[0].x0 == 70.0 and fig.layout.annotations[0].text == "National 70.0"


def test_kpi_trend_marks_the_last_value_in_the_status_colour_and_the_target():
    row = sample_region_view().kpis.iloc[0]
    fig = f.kpi_trend(["2024-Q1", "2024-Q2", "2024-Q3"], [480.0, None, 510.0], title="Wage", units="thousand ₸",
                      status="red", target=982.7, target_label="Target 2029", fmt=lambda v: f"{v:.1f}")
    _template_ok(fig)
    line, last = fig.data
    assert list(line.y) == [480.0, None, 510.0] and line.connectgaps is False
    assert list(last.x) == ["2024-Q3"] and list(last.text) == ["510.0"]
    assert last.marker.color == "#c8262d"
    low, high = fig.layout.yaxis.range
    assert low < 480 and high > 982.7  # the target and the label above the last point fit
    assert fig.layout.shapes[0].y0 == pytest.approx(982.7)
    assert row["name"]


def test_kpi_trend_with_a_national_series_and_without_values():
    fig = f.kpi_trend(["2023", "2024"], [1.0, 2.0], national=[1.5, 1.6], national_label="KZ", title="x", units=None)
    assert fig.data[0].name == "KZ" and fig.data[0].line.dash == "dash"
    empty = f.kpi_trend([], [], title="x", units=None)
    assert len(empty.data) == 0


def test_demand_by_topic_sorts_by_rate_and_shows_growth_with_arrows():
    fig = f.demand_by_topic(sample_region_view().demand, title="Requests by topic", units="per 10,000 people",
                            fmt=lambda v: f"{v:.1f}")
    _template_ok(fig)
    bars = fig.data[0]
    assert list(bars.y) == ["Housing and utilities", "Roads"]
    assert bars.text[0].startswith("5.7") and "▲" in bars.text[0] and "▼" in bars.text[1]
    assert fig.layout.xaxis.title.text == "per 10,000 people"


def test_demand_trend_has_one_column_per_month():
    fig = f.demand_trend(sample_region_view().demand_monthly, title="Requests per month", units="requests",
                         period_text=lambda p: f"<{p}>")
    _template_ok(fig)
    bars = fig.data[0]
    assert len(bars.x) == 24 and bars.customdata[0][0] == "<2023-11>" and list(bars.y)[-1] == 323


def test_figures_use_the_one_template():
    figures = [
        f.goal_chart(_facts(), _trajectory(), sample_forecast(), title="a"),
        f.milestone_timeline(sample_milestones(), start=None, today=TODAY, title="b"),
        f.budget_burn(sample_budget(), title="c", units="₸"),
        f.region_choropleth(sample_map_rows(), sample_geojson(), title="d", units=None),
        f.ranking_bar(sample_map_rows(), title="e", units=None),
        f.kpi_trend(["2024"], [1.0], title="f", units=None),
        f.demand_by_topic(sample_region_view().demand, title="g", units="u"),
        f.demand_trend(sample_region_view().demand_monthly, title="h", units="u"),
        f.budget_by_project(["x"], [1.0], [0.5], title="i", units="u"),
    ]
    import plotly.io as pio

    for figure in figures:
        assert figure.layout.template == pio.templates[TEMPLATE_NAME]
