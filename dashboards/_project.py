"""The project page's view (a pure function of a ``services.projects.ProjectView``).

``project.py`` (the registered page) only parses the URL and calls :func:`render`.
The page: breadcrumb portfolio -> program -> project; the responsible administrative servant, the
region (a link to the akim's view) and the program (a link); status with its reason; earned value
(BAC, PV, EV, AC, SPI, CPI, EAC, forecast finish) with schedule and budget health; the milestones
on a Gantt-like timeline (planned vs actual) and as a table; budget burn vs plan; the project's
indicators (each goal's chart with its status and reason); its instructions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

import pandas as pd
from dash import dcc, html

from dashboards import _ids as ids
from dashboards._chart import chart, chart_spec, number_formatter, plotly_separators
from dashboards._commentary import page_words
from dashboards._components import (
    message_panel,
    node_breadcrumb,
    owner_line,
    page_header,
    page_section,
    stat_list,
    status_badge,
    table,
)
from dashboards._figures import BudgetLabels, MilestoneLabels, budget_burn, milestone_timeline
from dashboards._goals import forecasts_for, goal_blocks, goal_filters
from dashboards._instructions import instructions_section, official_link
from dashboards._shell import page_context
from dashboards._urls import overview_href, program_href, region_href
from services.exports import ChartContent
from services.formatting import as_int, date_text, period_text, reason_only, val
from services.goals import forecast_line
from services.i18n import Translator
from services.instructions import node_instructions
from services.projects import build_project

MILESTONE_ICONS = {"done_on_time": "✓", "done_late": "◐", "overdue": "✕", "upcoming": "○"}
MILESTONE_CSS = {"done_on_time": "green", "done_late": "amber", "overdue": "red", "upcoming": "no_data"}


def money_scale(largest: float, t: Translator) -> tuple[float, str]:
    """The scale a chart of tenge uses for ``largest`` (1e12, 1e9, 1e6 or 1) and its units ("bn ₸")."""
    for scale, word in ((1e12, "money.trillion"), (1e9, "money.billion"), (1e6, "money.million")):
        if abs(largest) >= scale:
            return scale, f"{t(word)} ₸"
    return 1.0, "₸"


def _ratio(value: Any, t: Translator) -> str:
    try:
        return t.number(float(value), 2) if value is not None and not pd.isna(value) else "–"
    except (TypeError, ValueError):
        return "–"


def health_badges(ev: Mapping[str, Any], t: Translator) -> html.Div:
    """Schedule and budget health: a status badge each (icon + word) with its reason written out."""
    items = []
    for key, label in (("schedule_health", t("project.schedule_health")), ("budget_health", t("project.budget_health"))):
        health = ev.get(key) or {}
        if isinstance(health, str):
            health = {"status": health}
        status, reason = health.get("status", "no_data"), health.get("reason_text") or health.get("reason")
        items.append(html.Div([
            html.Div(label, className="nt-health__label"),
            status_badge(status, t, reason=reason),
            html.P(reason_only(reason, status, t), className="nt-health__reason") if reason else None,
        ], className="nt-health nt-card"))
    return html.Div(items, className="nt-health-row")


def earned_value_stats(ev: Mapping[str, Any], t: Translator) -> html.Dl:
    """The earned-value figures in words and the locale's numbers (money with its scale word)."""
    def money(key: str) -> str:
        value = ev.get(key)
        return t.money(float(value)) if value is not None and not pd.isna(value) else "–"

    time_elapsed, spent_share = ev.get("time_elapsed"), ev.get("spent_share")
    return stat_list(class_name="nt-stats--money", t=t, items=[
        (t("ev.bac"), money("bac"), ""),
        (t("ev.pv"), money("pv"), ""),
        (t("ev.ev"), money("ev"), ""),
        (t("ev.ac"), money("ac"), ""),
        (t("ev.spi"), _ratio(ev.get("spi"), t), ""),
        (t("ev.cpi"), _ratio(ev.get("cpi"), t), ""),
        (t("ev.eac"), money("eac"), ""),
        (t("ev.forecast_finish"), date_text(ev.get("forecast_finish"), t) if ev.get("forecast_finish") else "–", ""),
        (t("ev.time_vs_spent"), f"{t.percent(time_elapsed) if time_elapsed is not None else '–'} / "
                                f"{t.percent(spent_share) if spent_share is not None else '–'}", ""),
    ])


def milestones_table(milestones: pd.DataFrame, t: Translator) -> Any:
    """Every milestone: planned, actual, state (icon + words, days late)."""
    rows = []
    for _, m in milestones.sort_values("seq").iterrows():
        state = str(val(m, "state", "upcoming"))
        late = as_int(val(m, "days_late"))
        words = t(f"milestone.{state}") if t.has(f"milestone.{state}") else state
        if late > 0:
            words += " · " + t("milestone.days_late", days=t.number(late, 0))
        css = MILESTONE_CSS.get(state, "no_data")
        rows.append([str(as_int(val(m, "seq"))), str(val(m, "name", "–")), date_text(val(m, "planned_date"), t),
                     date_text(val(m, "actual_date"), t) if val(m, "actual_date") is not None else "–",
                     html.Span([html.Span(MILESTONE_ICONS.get(state, "•"), **{"aria-hidden": "true"}), " ", words],
                               className=f"nt-ms nt-ms--{css}")])
    return table(["#", t("col.milestone"), t("col.planned"), t("col.actual"), t("col.state")], rows,
                 caption=t("project.milestones.heading"), numeric=(0,), nowrap=(2, 3))


#: The data behind the milestones chart (``services.projects.MILESTONE_COLUMNS`` it draws).
MILESTONE_DATA_COLUMNS = ("seq", "name", "planned_date", "actual_date", "state", "days_late")
#: The data behind the budget burn chart: each month's running totals, in the chart's units.
BURN_DATA_COLUMNS = ("month", "planned", "spent")


def milestones_content(view: Any, t: Translator, today: dt.date | None) -> ChartContent | None:
    """The project's milestones on a Gantt-like timeline (``_figures.milestone_timeline``: planned vs
    actual phases); None without milestones."""
    milestones = view.milestones
    if milestones is None or milestones.empty:
        return None
    node = view.node.node
    states = tuple((s, t(f"milestone.{s}")) for s in MILESTONE_ICONS)
    figure = milestone_timeline(
        milestones, start=node.get("start_date"), today=today, title=t("project.milestones.chart"),
        labels=MilestoneLabels(planned=t("chart.milestones.planned"), actual=t("chart.milestones.actual"),
                               today=t("chart.today"), states=states),
        date_text=lambda d: date_text(d, t),
    )
    data = milestones.sort_values("seq")[list(MILESTONE_DATA_COLUMNS)].reset_index(drop=True)
    return ChartContent(figure, title=t("project.milestones.chart"), units=t("chart.units.dates"),
                        source=t("source.project_office"), as_of=today,
                        filters=((t("filter.project"), str(node.get("name") or node.get("code"))),), data=data)


def budget_burn_content(view: Any, t: Translator, today: dt.date | None) -> ChartContent | None:
    """The project's cumulative spending against its plan (``_figures.budget_burn``) in the scale of
    the largest figure; None without budget lines."""
    budget, ev = view.budget, view.earned_value or {}
    if budget is None or budget.empty:
        return None
    node = view.node.node
    largest = float(max(budget["cumulative_planned_kzt"].max(), budget["cumulative_spent_kzt"].max(),
                        ev.get("bac") or 0.0))
    scale, units = money_scale(largest, t)
    figure = budget_burn(
        budget, title=t("project.budget.chart"), units=units, scale=scale, today=today, total=ev.get("bac"),
        labels=BudgetLabels(planned=t("chart.budget.planned"), spent=t("chart.budget.spent"), today=t("chart.today"),
                            total=t("ev.bac")),
        fmt=number_formatter(t, 2), period_text=lambda label: period_text(label, t), separators=plotly_separators(t),
    )
    rows = budget.sort_values("period_start")
    data = pd.DataFrame({"month": list(rows["period_start"]), "planned": list(rows["cumulative_planned_kzt"] / scale),
                         "spent": list(rows["cumulative_spent_kzt"] / scale)}, columns=list(BURN_DATA_COLUMNS))
    return ChartContent(figure, title=t("project.budget.chart"), units=units, source=t("source.budget"), as_of=today,
                        filters=((t("filter.project"), str(node.get("name") or node.get("code"))),), data=data)


def _header(view: Any, t: Translator, params: Mapping[str, object], today: dt.date | None, code: str,
            words: Any = None) -> html.Header:
    node = view.node.node
    lines: list[Any] = [official_link(owner_line(node.get("owner_name"), node.get("owner_post"), t, "project.responsible"),
                                      node.get("owner"), params)]
    if node.get("region") and node.get("region") != "KZ":
        lines.append(html.Span([t("program.region_label"), " ",
                                dcc.Link(node.get("region_name") or node["region"],
                                         href=region_href(node["region"], params), id="project-region-link")]))
    path = view.node.path
    program = path[path["level"] == "program"] if path is not None and not path.empty else pd.DataFrame()
    if not program.empty:
        row = program.iloc[0]
        lines.append(html.Span([t("project.program_label"), " ",
                                dcc.Link(str(row["name"]), href=program_href(str(row["code"]), params))]))
    if node.get("start_date") or node.get("end_date"):
        lines.append(t("overview.period", start=date_text(node.get("start_date"), t),
                       end=date_text(node.get("end_date"), t)))
    state = node.get("state")
    if state:
        lines.append(t("project.state", state=t(f"state.{state}") if t.has(f"state.{state}") else state))
    if node.get("budget_kzt") is not None and not pd.isna(node.get("budget_kzt")):
        lines.append(t("project.budget", budget=t.money(float(node["budget_kzt"]))))
    if today is not None:
        lines.append(t("overview.as_of", date=date_text(today, t)))
    return page_header(str(node.get("name") or code),
                       eyebrow=[t("project.eyebrow"), html.Span(f" · {node.get('code', code)}", className="nt-code")],
                       lines=lines, aside=html.Div(
                           [_labelled_status(t("project.delivery"), view.earned_value.get("health") or {}, t),
                            _labelled_status(t("project.indicators"), {"status": node.get("status"),
                                                                       "reason_text": node.get("reason_text")}, t),
                            words.slot(node.get("code", code), None, t, status=node.get("status"),
                                       name=node.get("name")) if words is not None else None],
                           className="nt-header-status"))


def _labelled_status(label: str, health: Mapping[str, Any], t: Translator) -> html.Div:
    status, reason = health.get("status") or "no_data", health.get("reason_text")
    return html.Div([html.Div(label, className="nt-eyebrow"), status_badge(status, t, reason=reason, size="lg"),
                     html.P(reason_only(reason, status, t), className="nt-header-status__reason") if reason else None],
                    className="nt-header-status__item")


def project_view(view: Any, t: Translator, params: Mapping[str, object], code: str, today: dt.date | None = None,
                 *, forecasts: Mapping[Any, pd.DataFrame] | None = None, words: Any = None,
                 instructions: pd.DataFrame | None = None) -> Any:
    """The project page for ``view`` (a ``ProjectView``); a not-found panel when ``view`` is None.
    ``words``: the owners' words (``dashboards._commentary.PageWords``) beside the project's and each
    goal's status, or None; ``instructions``: those on the project (``services.instructions.LIST_COLUMNS``)."""
    if view is None:
        return message_panel(t("notfound.project_heading"), t("notfound.project", code=code),
                             back_href=overview_href(params), back_label=t("notfound.back"), icon="?")
    node = view.node.node
    ev = view.earned_value or {}
    sections: list[Any] = [node_breadcrumb(view.node, t, params), _header(view, t, params, today, code, words)]
    sections.append(page_section(t("project.ev.heading"), ids.PROJECT_EV, earned_value_stats(ev, t),
                                 health_badges(ev, t), lead=t("project.ev.lead")))

    milestones = view.milestones
    timeline = milestones_content(view, t, today)
    if timeline is not None:
        body: Any = [chart(timeline, t=t, chart_id="project-milestones",
                           spec=chart_spec("project_milestones", params, t, node=node.get("code", code)),
                           description=t("project.milestones.alt", count=len(milestones))),
                     html.Div(milestones_table(milestones, t), className="nt-card nt-card--flush mt-3")]
    else:
        body = [html.P(t("project.milestones.empty"), className="nt-empty")]
    sections.append(page_section(t("project.milestones.heading"), ids.PROJECT_MILESTONES, *body))

    budget = view.budget
    burn_content = budget_burn_content(view, t, today)
    if burn_content is not None:
        burn: Any = chart(burn_content, t=t, chart_id="project-budget",
                          spec=chart_spec("project_budget", params, t, node=node.get("code", code)),
                          description=t("project.budget.alt", spent=t.money(float(budget["cumulative_spent_kzt"].max())),
                                        planned=t.money(float(budget["cumulative_planned_kzt"].max()))))
    else:
        burn = html.P(t("project.budget.empty"), className="nt-empty")
    sections.append(page_section(t("project.budget.heading"), "project-budget-section", burn))

    goals = view.node.goals
    sections.append(page_section(
        t("project.goals.heading"), "project-goals",
        goal_blocks(goals, forecasts or {}, t, today=today, filters=goal_filters(node, t, t("filter.project")),
                    empty_text=t("project.goals.empty"), params=params,
                    words=(lambda goal: words.slot(goal["node"], goal["indicator"], t, status=goal["status"],
                                                   name=goal["name"])) if words is not None else None),
    ))
    sections.append(instructions_section(instructions, t, params, ids.PROJECT_INSTRUCTIONS,
                                         heading=t("project.instructions.heading"),
                                         empty=t("project.instructions.empty"), key="project"))
    return html.Div(sections, id=ids.PROJECT_PAGE, className="nt-page nt-page--project",
                    **{"data-project": str(node.get("code", code)), "data-region": str(node.get("region") or "")})


def render(code: str, params: Mapping[str, object]) -> Any:
    """Query (through the services) and render the project ``code`` for the URL's parameters."""
    ctx = page_context(params)
    view = build_project(ctx, code)
    forecasts = forecasts_for(ctx, view.node.goals, forecast_line) if view is not None else {}
    words = page_words(ctx, view.node.goals.goals, [view.node.node["code"]]) if view is not None else None
    instructions = node_instructions(ctx, view.node.node["code"]) if view is not None else None
    return project_view(view, ctx.t, params, code, today=ctx.today, forecasts=forecasts, words=words,
                        instructions=instructions)
