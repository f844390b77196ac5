"""The program page's view (a pure function of a ``services.nodes.NodeView``).

``program.py`` (the registered page) only parses the URL and calls :func:`render`.
The view reads: ``view.node`` (``queries.NODE_COLUMNS`` + owner, owner_name, owner_post),
``view.path`` (code, level, name), ``view.goals.goals`` (``services.goals.ASSESSED_COLUMNS``),
``view.goals.series`` (``queries.SERIES_COLUMNS``), ``view.children`` (``services.nodes.CHILD_COLUMNS``)
and ``view.overdue_instructions`` (``queries.INSTRUCTION_COLUMNS``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

import pandas as pd
from dash import html

from dashboards import _ids as ids
from dashboards._components import (
    breadcrumb,
    date_text,
    goals_table,
    kpi_grid,
    message_panel,
    overdue_table,
    page_header,
    reason_only,
    status_badge,
    status_summary,
    table,
    val,
)
from dashboards._shell import page_context
from dashboards._theme import AT_RISK, OFF_TRACK
from dashboards._urls import overview_href, program_href
from services.i18n import Translator
from services.nodes import build_node

#: How many goals get a full KPI card above the table.
CARD_LIMIT = 8
#: How many projects the page lists (the drill-down issue brings the full grid).
PROJECT_LIMIT = 25


def _crumbs(view: Any, t: Translator, params: Mapping[str, object]) -> list[tuple[str, str | None]]:
    items: list[tuple[str, str | None]] = []
    path = getattr(view, "path", None)
    if path is not None and not path.empty:
        for _, row in path.iterrows():
            level, code = val(row, "level"), str(val(row, "code", ""))
            href = overview_href(params, code) if level == "portfolio" else program_href(code, params)
            items.append((str(val(row, "name", code)), href))
    if not items:
        items = [(t("nav.overview"), overview_href(params)), (str(view.node.get("name", "")), None)]
    items[-1] = (items[-1][0], None)
    return items


def _stats(items: list[tuple[str, int, str]], t: Translator) -> html.Dl:
    return html.Dl(
        [html.Div([html.Dt(label), html.Dd(t.number(number, 0), className=css if number else None)],
                  className="nt-stat") for label, number, css in items],
        className="nt-stats",
    )


def projects_table(children: pd.DataFrame, t: Translator) -> Any:
    """The program's projects (first :data:`PROJECT_LIMIT`): name, region, state, accountable, end date."""
    if children is None or children.empty:
        return html.P(t("program.projects.empty"), className="nt-empty")
    shown = children.head(PROJECT_LIMIT)
    rows = [[[html.Span(val(r, "name", "–")), html.Br(), html.Small(val(r, "code", ""), className="nt-code")],
             val(r, "region_name", "–"),
             t(f"state.{val(r, 'state')}") if t.has(f"state.{val(r, 'state')}") else val(r, "state", "–"),
             [html.Span(val(r, "owner_name", "–")), html.Br(), html.Small(val(r, "owner_post", ""), className="nt-muted")],
             date_text(val(r, "end_date"), t)] for _, r in shown.iterrows()]
    parts: list[Any] = [table([t("col.project"), t("col.region"), t("col.state"), t("col.owner"), t("col.end")], rows,
                              caption=t("program.projects.heading"), nowrap=(2, 4))]
    if len(children) > len(shown):
        parts.append(html.P(t("alerts.more", shown=len(shown), total=len(children)), className="nt-muted small mt-2"))
    return html.Div(parts)


def _section(title: str, section_id: str, *children: Any) -> html.Section:
    return html.Section([html.H2(title, id=f"{section_id}-heading", className="nt-section__title mb-3"), *children],
                        className="nt-section", **{"aria-labelledby": f"{section_id}-heading"})


def program_view(view: Any, t: Translator, params: Mapping[str, object], code: str,
                 today: dt.date | None = None) -> Any:
    """The program page for ``view``; a not-found panel when ``view`` is None or not a program."""
    if view is None or view.node.get("level") != "program":
        return message_panel(t("notfound.program_heading"), t("notfound.program", code=code),
                             back_href=overview_href(params), back_label=t("notfound.back"), icon="?")
    node = view.node
    lines = []
    if node.get("owner_name"):
        lines.append(t("overview.owner", name=node["owner_name"], post=node["owner_post"]) if node.get("owner_post")
                     else t("overview.owner_name", name=node["owner_name"]))
    if node.get("agency_name"):
        lines.append(t("program.agency", agency=node["agency_name"]))
    if node.get("region_name") and node.get("region") not in (None, "KZ"):
        lines.append(t("program.region", region=node["region_name"]))
    if node.get("start_date") or node.get("end_date"):
        lines.append(t("overview.period", start=date_text(node.get("start_date"), t),
                       end=date_text(node.get("end_date"), t)))
    if today is not None:
        lines.append(t("overview.as_of", date=date_text(today, t)))
    kind = node.get("kind")
    eyebrow = t(f"kind1.{kind}") if kind and t.has(f"kind1.{kind}") else t("kind1.other")
    goals = view.goals.goals if view.goals is not None else pd.DataFrame()
    statuses = list(goals["status"]) if not goals.empty else []
    header = page_header(str(node.get("name") or code),
                         eyebrow=[eyebrow, html.Span(f" · {node.get('code', code)}", className="nt-code")],
                         lines=lines, aside=html.Div([
                             status_badge(node.get("status"), t, reason=node.get("reason_text")),
                             html.P(reason_only(node.get("reason_text"), node.get("status"), t),
                                    className="nt-muted small mt-2 mb-2") if node.get("reason_text") else None,
                             status_summary(statuses, t) if statuses else None,
                         ], className="nt-header-status"))
    overdue = view.overdue_instructions
    stats = _stats([
        (t("program.goals"), len(goals), ""),
        (t("program.off_track"), sum(s in OFF_TRACK for s in statuses), "nt-count--bad"),
        (t("program.at_risk"), sum(s in AT_RISK for s in statuses), "nt-count--warn"),
        (t("program.projects"), 0 if view.children is None else len(view.children), ""),
        (t("program.instructions_overdue"), 0 if overdue is None else len(overdue), "nt-count--bad"),
    ], t)
    cards = view.cards
    sections: list[Any] = [breadcrumb(_crumbs(view, t, params), t), header, stats]
    if not cards.empty:
        sections.append(_section(t("program.cards.heading"), "program-cards", kpi_grid(cards.head(CARD_LIMIT), t, params)))
    sections.append(_section(t("program.goals.heading"), "program-goals",
                             html.Div(goals_table(cards, t), className="nt-card nt-card--flush")))
    if overdue is not None and not overdue.empty:
        sections.append(_section(t("alerts.overdue"), "program-overdue",
                                 html.Div(overdue_table(overdue, t), className="nt-card nt-card--flush")))
    sections.append(_section(t("program.projects.heading"), "program-projects",
                             html.Div(projects_table(view.children, t), className="nt-card nt-card--flush")))
    return html.Div(sections, className="nt-page nt-page--program", id=ids.PROGRAM_PAGE,
                    **{"data-program": str(node.get("code", code))})


def render(code: str, params: Mapping[str, object]) -> Any:
    """Query (through the service) and render the program ``code`` for the URL's parameters."""
    ctx = page_context(params)
    return program_view(build_node(ctx, code), ctx.t, params, code, today=ctx.today)
