"""The program page's view (a pure function of a ``services.nodes.NodeView`` and what ``render``
adds from the other services) and its data gathering.

``program.py`` (the registered page) only parses the URL and calls :func:`render`.
The view reads: ``view.node`` (``queries.NODE_COLUMNS`` + owner, owner_name, owner_post, status,
reason_text), ``view.path`` (code, level, name), ``view.goals`` (``AssessedGoals``: goals, series,
trajectories), ``view.cards`` (``CARD_COLUMNS``, the goals table), ``view.children`` (projects:
``services.nodes.CHILD_COLUMNS``) and ``view.overdue_instructions`` (``queries.INSTRUCTION_COLUMNS``).

The page: breadcrumb (portfolio -> program), the accountable political servant, counts, the goals
at a glance, each goal's chart with its status and reason, the regional picture of a regional goal
(the choropleth, with a link to ``/regions`` for every regional goal), the projects grid (a click
opens the project), the budget by project, the instructions on it and its projects.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

import pandas as pd
from dash import dcc, html

from dashboards import _ids as ids
from dashboards._briefing import briefing_button
from dashboards._chart import chart, chart_spec, number_formatter, plotly_separators
from dashboards._commentary import page_words
from dashboards._components import (
    goals_table,
    message_panel,
    node_breadcrumb,
    owner_line,
    page_header,
    page_section,
    stat_list,
    status_badge,
    status_summary,
)
from dashboards._figures import budget_by_project
from dashboards._goals import forecasts_for, goal_blocks, goal_filters
from dashboards._instructions import instructions_section, official_link
from dashboards._grid import PROGRAM_GRID_FIELDS, projects_grid
from dashboards._regions import map_block
from dashboards._shell import page_context
from dashboards._theme import AT_RISK, OFF_TRACK
from dashboards._urls import overview_href, region_href, regions_href
from services.exports import ChartContent
from services.formatting import date_text, reason_only
from services.goals import forecast_line
from services.i18n import Translator
from services.instructions import node_instructions
from services.nodes import build_node
from services.programs import build_program_extras
from services.regions import build_region_map


def program_stats(view: Any, t: Translator, extras: Any = None) -> html.Dl:
    """Goals, off track, at risk, projects (off track among them when their health is known), and the
    instructions linked to the program or its projects (all, overdue) when the services give them;
    else the program's own overdue instructions."""
    goals = view.goals.goals if view.goals is not None else pd.DataFrame()
    statuses = list(goals["status"]) if not goals.empty else []
    projects = extras.projects if extras is not None else view.children
    items: list[tuple[str, Any, str]] = [
        (t("program.goals"), len(goals), ""),
        (t("program.off_track"), sum(s in OFF_TRACK for s in statuses), "nt-count--bad"),
        (t("program.at_risk"), sum(s in AT_RISK for s in statuses), "nt-count--warn"),
        (t("program.projects"), 0 if projects is None else len(projects), ""),
    ]
    if projects is not None and "status" in projects:
        items.append((t("program.projects_off_track"), int(projects["status"].isin(OFF_TRACK).sum()), "nt-count--bad"))
    counts = extras.instructions if extras is not None else None
    if counts:
        items.append((t("program.instructions"), int(counts.get("total", 0)), ""))
        items.append((t("program.instructions_overdue"), int(counts.get("overdue", 0)), "nt-count--bad"))
    else:
        overdue = view.overdue_instructions
        items.append((t("program.instructions_overdue"), 0 if overdue is None else len(overdue), "nt-count--bad"))
    return stat_list(items, t)


def _header(view: Any, t: Translator, code: str, today: dt.date | None, params: Mapping[str, object],
            words: Any = None) -> html.Header:
    node = view.node
    lines: list[Any] = [official_link(owner_line(node.get("owner_name"), node.get("owner_post"), t), node.get("owner"),
                                      params)]
    if node.get("agency_name"):
        lines.append(t("program.agency", agency=node["agency_name"]))
    if node.get("region_name") and node.get("region") not in (None, "KZ"):
        lines.append(html.Span([t("program.region_label"), " ",
                                dcc.Link(node["region_name"], href=region_href(node["region"], params))]))
    if node.get("start_date") or node.get("end_date"):
        lines.append(t("overview.period", start=date_text(node.get("start_date"), t),
                       end=date_text(node.get("end_date"), t)))
    if today is not None:
        lines.append(t("overview.as_of", date=date_text(today, t)))
    kind = node.get("kind")
    eyebrow = t(f"kind1.{kind}") if kind and t.has(f"kind1.{kind}") else t("kind1.other")
    goals = view.goals.goals if view.goals is not None else pd.DataFrame()
    statuses = list(goals["status"]) if not goals.empty else []
    return page_header(str(node.get("name") or code),
                       eyebrow=[eyebrow, html.Span(f" · {node.get('code', code)}", className="nt-code")],
                       lines=lines, aside=html.Div([
                           status_badge(node.get("status"), t, reason=node.get("reason_text"), size="lg"),
                           html.P(reason_only(node.get("reason_text"), node.get("status"), t),
                                  className="nt-header-status__reason") if node.get("reason_text") else None,
                           status_summary(statuses, t) if statuses else None,
                           words.slot(node.get("code", code), None, t, status=node.get("status"),
                                      name=node.get("name")) if words is not None else None,
                       ], className="nt-header-status"))


def regional_links(goals: pd.DataFrame, options: pd.DataFrame | None, t: Translator,
                   params: Mapping[str, object]) -> html.Ul | None:
    """"On the map" links to ``/regions?indicator=`` for every goal whose indicator the map can show."""
    if goals is None or goals.empty or options is None or options.empty:
        return None
    codes = set(options["code"])
    seen, items = set(), []
    for _, goal in goals.iterrows():
        code = goal["indicator"]
        if code in codes and code not in seen:
            seen.add(code)
            items.append(html.Li(dcc.Link([html.Span("▦ ", **{"aria-hidden": "true"}), str(goal["name"])],
                                          href=regions_href(params, indicator=code))))
    return html.Ul(items, className="nt-maplinks list-unstyled") if items else None


def budget_content(children: pd.DataFrame, t: Translator, *, today: dt.date | None, node_name: str) -> ChartContent | None:
    """Budget plan vs spent by project (``_figures.budget_by_project``; spent when the service gives
    ``spent_kzt``) in the largest budget's scale; None when no project has a budget. Data: ``project``,
    ``name``, ``planned``, ``spent`` (in the chart's units), largest budget first."""
    if children is None or children.empty or "budget_kzt" not in children:
        return None
    frame = children[children["budget_kzt"].notna()]
    if frame.empty:
        return None
    largest = float(frame["budget_kzt"].max())
    scale, scale_word = next(((s, w) for s, w in ((1e12, "money.trillion"), (1e9, "money.billion"),
                                                  (1e6, "money.million")) if largest >= s), (1.0, None))
    units = f"{t(scale_word)} ₸" if scale_word else "₸"
    has_spent = "spent_kzt" in frame
    data = pd.DataFrame({
        "project": list(frame["code"]), "name": list(frame["name"]), "planned": [v / scale for v in frame["budget_kzt"]],
        "spent": [None if pd.isna(v) else v / scale for v in frame["spent_kzt"]] if has_spent else None,
    }).sort_values("planned", ascending=False, kind="stable").reset_index(drop=True)
    figure = budget_by_project(
        list(data["name"]), list(data["planned"]), list(data["spent"]) if has_spent else None,
        title=t("program.budget.chart"), units=units, planned_label=t("chart.budget.planned_total"),
        spent_label=t("chart.budget.spent_total"), fmt=number_formatter(t, 1), separators=plotly_separators(t),
    )
    return ChartContent(figure, title=t("program.budget.chart"), units=units, source=t("source.budget"), as_of=today,
                        filters=((t("filter.program"), node_name),),
                        data=data if has_spent else data.drop(columns="spent"))


def budget_section(children: pd.DataFrame, t: Translator, *, today: dt.date | None, node_name: str, code: str,
                   params: Mapping[str, object] | None = None) -> Any:
    """The budget lead (total, spent) and :func:`budget_content` through the chart component; None when
    no project has a budget."""
    content = budget_content(children, t, today=today, node_name=node_name)
    if content is None:
        return None
    frame = children[children["budget_kzt"].notna()]
    spent = frame["spent_kzt"] if "spent_kzt" in frame else None
    total = t.money(float(frame["budget_kzt"].sum()))
    lead = t("program.budget.total", total=total, projects=len(frame))
    if spent is not None and spent.notna().any():
        lead += " · " + t("program.budget.spent", spent=t.money(float(spent.fillna(0).sum())))
    return html.Div([html.P(lead, className="nt-lead"),
                     chart(content, t=t, chart_id="program-budget", spec=chart_spec("program_budget", params, t, node=code))])


def program_view(view: Any, t: Translator, params: Mapping[str, object], code: str,
                 today: dt.date | None = None, *, forecasts: Mapping[Any, pd.DataFrame] | None = None,
                 region_map: Any = None, extras: Any = None, words: Any = None,
                 instructions: pd.DataFrame | None = None) -> Any:
    """The program page for ``view``; a not-found panel when ``view`` is None or not a program.

    ``forecasts``: forecast lines by goal id; ``region_map``: a ``RegionMap`` of one of its regional
    goals (or None); ``extras``: a ``services.programs.ProgramExtras`` (the projects with their health,
    replacing ``view.children`` in the grid; the instruction counts), or None; ``words``: the owners'
    words (``dashboards._commentary.PageWords``) beside the program's and each goal's status, or None;
    ``instructions``: those on the program and its projects (``services.instructions.LIST_COLUMNS``)."""
    if view is None or view.node.get("level") != "program":
        return message_panel(t("notfound.program_heading"), t("notfound.program", code=code),
                             back_href=overview_href(params), back_label=t("notfound.back"), icon="?")
    node = view.node
    projects = extras.projects if extras is not None else view.children
    sections: list[Any] = [node_breadcrumb(view, t, params), _header(view, t, code, today, params, words),
                           briefing_button(t, params, node=str(node.get("code", code))), program_stats(view, t, extras)]
    cards = view.cards
    sections.append(page_section(t("program.goals.heading"), "program-goals-section",
                                 html.Div(goals_table(cards, t), className="nt-card nt-card--flush")))
    sections.append(page_section(
        t("program.charts.heading"), "program-charts",
        goal_blocks(view.goals, forecasts or {}, t, today=today, filters=goal_filters(node, t, t("filter.program")),
                    empty_text=t("program.goals.empty"), params=params,
                    words=(lambda goal: words.slot(goal["node"], goal["indicator"], t, status=goal["status"],
                                                   name=goal["name"])) if words is not None else None),
        lead=t("program.charts.lead"),
    ))
    if region_map is not None:
        links = regional_links(view.goals.goals, region_map.options, t, params)
        sections.append(page_section(t("program.map.heading"), "program-map",
                                     html.Div([map_block(region_map, t, params, chart_id="program-map", height=420),
                                               html.Div([html.H3(t("program.map.more"), className="nt-subtitle"), links],
                                                        className="nt-card nt-maplinks-card") if links else None],
                                              className="nt-map-row")))
    grid = projects_grid(projects, t, "program", PROGRAM_GRID_FIELDS)
    sections.append(page_section(
        t("program.projects.heading"), "program-projects",
        html.Div(grid, className="nt-grid-wrap") if grid is not None
        else html.P(t("program.projects.empty"), className="nt-empty"),
        lead=t("program.projects.lead") if grid is not None else None,
    ))
    budget = budget_section(projects, t, today=today, node_name=str(node.get("name", code)),
                            code=str(node.get("code", code)), params=params)
    if budget is not None:
        sections.append(page_section(t("program.budget.heading"), "program-budget", budget))
    sections.append(instructions_section(instructions, t, params, "program-instructions",
                                         heading=t("program.instructions"), empty=t("acc.instructions.empty"),
                                         key="program", lead=t("acc.instructions.program_lead")))
    return html.Div(sections, className="nt-page nt-page--program", id=ids.PROGRAM_PAGE,
                    **{"data-program": str(node.get("code", code))})


def regional_map_for(ctx: Any, goals: pd.DataFrame) -> Any:
    """The map of the program's first regional goal (through ``services.regions``), or None."""
    if goals is None or goals.empty:
        return None
    first_map = build_region_map(ctx)
    if first_map is None:
        return None
    codes = set(first_map.options["code"])
    regional = [code for code in goals["indicator"] if code in codes]
    if not regional:
        return None
    return first_map if first_map.indicator.get("code") == regional[0] else build_region_map(ctx, regional[0])


def render(code: str, params: Mapping[str, object]) -> Any:
    """Query (through the services) and render the program ``code`` for the URL's parameters."""
    ctx = page_context(params)
    view = build_node(ctx, code)
    if view is None or view.node.get("level") != "program":
        return program_view(None, ctx.t, params, code, today=ctx.today)
    return program_view(view, ctx.t, params, code, today=ctx.today,
                        forecasts=forecasts_for(ctx, view.goals, forecast_line),
                        region_map=regional_map_for(ctx, view.goals.goals),
                        extras=build_program_extras(ctx, code), instructions=node_instructions(ctx, code),
                        words=page_words(ctx, view.goals.goals, [view.node["code"]]))
