"""Every kind of chart natije shows, rebuilt from its :class:`services.exports.ChartSpec`.

:data:`BUILDERS` maps each kind of :data:`services.exports.KINDS` to a function ``(ctx, spec) ->
ChartContent | None`` that asks the same service the page asks (the viewer's scope applies in SQL)
and calls the same content function the page calls, so an exported chart is the chart on the
screen: same figure, words, filters, language and as-of day. None means the chart does not exist
for this viewer (an unknown code, a code out of the viewer's scope, a chart without data): the
export route answers 404.

Used by the export route (``dashboards/_exports.py``); any other place that shows a chart by its
spec (e.g. a wall display's panels) can use :func:`build_chart` too.
"""

from __future__ import annotations

from typing import Callable

from dashboards import _goals, _program, _project, _region, _regions
from services.context import Context
from services.exports import ChartContent, ChartSpec
from services.goals import forecast_line
from services.nodes import build_node
from services.programs import build_program_extras
from services.projects import build_project
from services.regions import build_region, build_region_map, indicator_options

Builder = Callable[[Context, ChartSpec], "ChartContent | None"]

#: The filter label of a goal chart by the level of its node (the pages that show goal charts).
GOAL_LEVELS = {"program": "filter.program", "project": "filter.project"}


def goal(ctx: Context, spec: ChartSpec) -> ChartContent | None:
    """A goal of a program or project page: the node's goal of ``spec.indicator`` assessed for ``spec.region``."""
    view = build_node(ctx, spec.node)
    if view is None or view.node.get("level") not in GOAL_LEVELS:
        return None
    goals = view.goals.goals
    mine = goals[(goals["indicator"] == spec.indicator) & (goals["region"].fillna("KZ") == spec.region)]
    if mine.empty:
        return None
    row = mine.iloc[0]
    t = ctx.t
    filters = _goals.goal_filters(view.node, t, t(GOAL_LEVELS[view.node["level"]]))(row)
    return _goals.goal_content(row, _goals.goal_facts(row, view.goals.series),
                               _goals.goal_trajectory(row, view.goals.trajectories),
                               forecast_line(ctx, view.goals, row["goal_id"]), t, today=ctx.today, filters=filters)


def program_budget(ctx: Context, spec: ChartSpec) -> ChartContent | None:
    """The budget by project of a program page."""
    extras = build_program_extras(ctx, spec.node)
    view = build_node(ctx, spec.node)
    if extras is None or view is None:
        return None
    return _program.budget_content(extras.projects, ctx.t, today=ctx.today,
                                   node_name=str(view.node.get("name") or spec.node))


def project_milestones(ctx: Context, spec: ChartSpec) -> ChartContent | None:
    """The milestones of a project page."""
    view = build_project(ctx, spec.node)
    return _project.milestones_content(view, ctx.t, ctx.today) if view is not None else None


def project_budget(ctx: Context, spec: ChartSpec) -> ChartContent | None:
    """The budget burn of a project page."""
    view = build_project(ctx, spec.node)
    return _project.budget_burn_content(view, ctx.t, ctx.today) if view is not None else None


def regions_map(ctx: Context, spec: ChartSpec) -> ChartContent | None:
    """The choropleth of ``/regions`` (and of a program page) for the indicator, year and per capita."""
    region_map = build_region_map(ctx, spec.indicator, spec.year, spec.per_capita)
    return _regions.map_content(region_map, ctx.t) if region_map is not None else None


def ranking(ctx: Context, spec: ChartSpec) -> ChartContent | None:
    """The ranking of a region page: all regions on the indicator, ``spec.region`` highlighted."""
    region_map = build_region_map(ctx, spec.indicator, spec.year, spec.per_capita)
    if region_map is None or spec.region not in set(region_map.rows["region"]):
        return None
    return _region.ranking_content(region_map, spec.region, ctx.t)


def region_trend(ctx: Context, spec: ChartSpec) -> ChartContent | None:
    """A KPI's trend on a region page."""
    view = build_region(ctx, spec.region)
    if view is None or view.kpis is None or view.kpis.empty:
        return None
    mine = view.kpis[view.kpis["indicator"] == spec.indicator]
    if mine.empty:
        return None
    options = indicator_options(ctx)
    sources = {str(c): str(a) for c, a in zip(options["code"], options["agency_name"]) if a}
    return _region.trend_content(mine.iloc[0], ctx.t, region_name=str(view.region.get("name") or spec.region),
                                 today=view.today, source=sources.get(spec.indicator))


def demand_topics(ctx: Context, spec: ChartSpec) -> ChartContent | None:
    """Citizen requests by topic on a region page (only for viewers who see the region's requests)."""
    view = build_region(ctx, spec.region)
    if view is None:
        return None
    return _region.demand_topics_content(view, ctx.t, str(view.region.get("name") or spec.region), view.today)


def demand_monthly(ctx: Context, spec: ChartSpec) -> ChartContent | None:
    """Citizen requests by month on a region page (only for viewers who see the region's requests)."""
    view = build_region(ctx, spec.region)
    if view is None:
        return None
    return _region.demand_monthly_content(view, ctx.t, str(view.region.get("name") or spec.region), view.today)


#: One builder for every kind of :data:`services.exports.KINDS` (a test checks).
BUILDERS: dict[str, Builder] = {
    "goal": goal,
    "program_budget": program_budget,
    "project_milestones": project_milestones,
    "project_budget": project_budget,
    "map": regions_map,
    "ranking": ranking,
    "region_trend": region_trend,
    "demand_topics": demand_topics,
    "demand_monthly": demand_monthly,
}


def build_chart(ctx: Context, spec: ChartSpec) -> ChartContent | None:
    """The chart ``spec`` describes, as ``ctx``'s viewer sees it (in ``ctx``'s language, as of its day),
    or None when it does not exist for them."""
    return BUILDERS[spec.kind](ctx, spec)
