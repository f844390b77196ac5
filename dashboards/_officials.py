"""The officials' pages (pure functions of ``services.officials`` results) and their data gathering.

``/officials``: a searchable list (``?q=`` words of the name, post, code or agency; ``?kind=`` political |
administrative; ``?sort=`` name | off_track | overdue; ``?page=``), one row per official: kind, agency,
region, goals held, the share of those goals by status (a bar, with the words beside it), the change
of the off-track share since the previous quarter, overdue instructions (own and escalated).

``/officials/<code>``: one official's scorecard: the figures now and at the previous quarter's end, the
goals held now with their status and reason (political: portfolio and program goals; administrative:
project goals), the nodes held as a whole, the overdue instructions (their own, and those escalated to
them), and the goals held before with their status when handed over.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Mapping

import pandas as pd
from dash import dcc, html

from dashboards._commentary import word_view
from dashboards._components import (
    breadcrumb,
    message_panel,
    page_header,
    page_section,
    stat_list,
    status_badge,
    status_summary,
    table,
)
from dashboards._instructions import PAGE_FIELDS, instructions_grid, node_href, official_href
from dashboards._shell import page_context
from dashboards._theme import STATUS, status_style
from dashboards._urls import first, href, overview_href, parse_int, region_href, same_page
from services.formatting import date_text, format_value, reason_only, status_name, unit_text, val
from services.i18n import Translator
from services.officials import SORTS, Scorecard, build_officials, build_scorecard, search_officials, sort_officials

OFFICIALS_PAGE = "officials-page"
OFFICIAL_PAGE = "official-page"
OFFICIALS_SEARCH = "officials-search"
#: Officials per page of the list.
LIST_PAGE_SIZE = 40
#: The longest search text taken from the URL.
MAX_QUERY_LENGTH = 100
KINDS = ("political", "administrative")


def officials_href(params: Mapping[str, object] | None = None) -> str:
    return href("/officials", params)


# --- pieces ---------------------------------------------------------------------------------------------

def share_bar(row: Mapping[str, Any], t: Translator) -> html.Div:
    """The goals held by status as one bar of segments (worst first), each with its icon; the words
    (status and share) are the bar's label and each segment's title, never colour alone."""
    parts, words = [], []
    for status in STATUS:
        share = val(row, f"share_{status}")
        if share is None or share <= 0:
            continue
        style = status_style(status)
        label = f"{status_name(status, t)}: {t.percent(float(share))}"
        words.append(label)
        parts.append(html.Span(style.icon if share >= 0.12 else "", className="nt-share__part", title=label,
                               style={"flexGrow": f"{float(share):.4f}", "backgroundColor": style.bg,
                                      "color": style.fg, "borderColor": style.accent}))
    if not parts:
        return html.Div(t("acc.no_goals"), className="nt-muted small")
    text = "; ".join(words)
    return html.Div([html.Div(parts, className="nt-share", role="img", **{"aria-label": text}),
                     html.Div(text, className="visually-hidden")], className="nt-share-wrap", title=text)


def change_text(change: Any, t: Translator) -> str:
    """A change of a share in percentage points, signed ("+12 pp", "−5 pp", "±0 pp"); – when unknown."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return "–"
    points = round(float(change) * 100)
    sign = "+" if points > 0 else "−" if points < 0 else "±"
    return t("acc.points", value=f"{sign}{t.number(abs(points), 0)}")


def count_change_text(change: Any, t: Translator) -> str:
    """A change of a count, signed ("+2", "−1", "±0")."""
    number = int(change or 0)
    return ("+" if number > 0 else "−" if number < 0 else "±") + t.number(abs(number), 0)


def kind_text(kind: Any, t: Translator) -> str:
    return t(f"acc.kind.{kind}") if kind in KINDS else "–"


# --- /officials -----------------------------------------------------------------------------------------

def search_form(params: Mapping[str, object], t: Translator, query: str | None) -> html.Form:
    """A plain GET form: the search words become ``?q=`` (language, as-of day, kind and order kept)."""
    kept = [dcc.Input(type="hidden", name=name, value=first(params.get(name)))
            for name in ("lang", "as_of", "kind", "sort") if first(params.get(name))]
    return html.Form([
        html.Label(t("acc.officials.search"), htmlFor=OFFICIALS_SEARCH, className="nt-control__label"),
        html.Div([dcc.Input(id=OFFICIALS_SEARCH, type="search", name="q", value=query or "", debounce=True,
                            placeholder=t("acc.officials.search_hint"), className="form-control nt-search",
                            maxLength=MAX_QUERY_LENGTH, autoComplete="off"),
                  html.Button(t("acc.officials.search_button"), type="submit", className="btn btn-primary")],
                 className="nt-search-row"),
        *kept,
    ], action="/officials", method="GET", role="search", className="nt-officials__search")


def segmented(options: list[tuple[str, str, bool]], label: str) -> html.Nav:
    items = [html.Li(dcc.Link(text, href=target, className="nt-seg__link" + (" is-current" if current else "")),
                     className="nt-seg__item", **({"aria-current": "true"} if current else {}))
             for text, target, current in options]
    return html.Nav(html.Ul(items, className="nt-seg list-unstyled mb-0"), className="nt-seg-wrap",
                    **{"aria-label": label})


def list_controls(params: Mapping[str, object], t: Translator, kind: str | None, sort: str) -> html.Div:
    kinds = [(t("acc.kind.all"), same_page("/officials", params, kind=None, page=None), kind is None)]
    kinds += [(t(f"acc.kinds.{k}"), same_page("/officials", params, kind=k, page=None), kind == k) for k in KINDS]
    sorts = [(t(f"acc.sort.{s}"), same_page("/officials", params, sort=None if s == "name" else s, page=None),
              sort == s) for s in SORTS]
    return html.Div([segmented(kinds, t("acc.officials.kind_filter")), segmented(sorts, t("acc.officials.sort"))],
                    className="nt-officials__controls")


def official_cell(row: Mapping[str, Any], t: Translator, params: Mapping[str, object]) -> list[Any]:
    """The name (a link to the scorecard), the post, the code and whether a political or administrative servant."""
    return [dcc.Link(str(val(row, "name", row["code"])), href=official_href(row["code"], params),
                     className="nt-official__name"),
            html.Br(), html.Small(str(val(row, "post", "") or ""), className="nt-muted"),
            html.Br(), html.Small(f"{row['code']} · {kind_text(val(row, 'kind'), t)}", className="nt-code")]


def overdue_cell(row: Mapping[str, Any], t: Translator) -> list[Any]:
    total = int(val(row, "overdue_instructions", 0))
    parts: list[Any] = [html.Strong(t.number(total, 0), className="nt-count--bad" if total else None)]
    if total:
        parts += [html.Br(), html.Small(t("acc.overdue.split", own=t.number(int(val(row, "overdue_own", 0)), 0),
                                          escalated=t.number(int(val(row, "overdue_escalated", 0)), 0)),
                                        className="nt-muted")]
    return parts


def officials_table(frame: pd.DataFrame, t: Translator, params: Mapping[str, object]) -> Any:
    rows = []
    for row in frame.to_dict("records"):
        region = str(val(row, "region", ""))
        where = (dcc.Link(str(val(row, "region_name", region)), href=region_href(region, params))
                 if region and region != "KZ" else str(val(row, "region_name", "") or "–"))
        goals = int(val(row, "goals", 0))
        off_track = val(row, "off_track_share")
        rows.append([
            official_cell(row, t, params), str(val(row, "agency_name", "") or "–"),
            where,
            html.Strong(t.number(goals, 0), title=t("acc.nodes_count", count=t.number(int(val(row, "nodes", 0)), 0))),
            [share_bar(row, t),
             html.Small(t("acc.off_track_share", share=t.percent(float(off_track))) if off_track is not None else "",
                        className="nt-muted")],
            change_text(val(row, "off_track_share_change"), t),
            overdue_cell(row, t),
        ])
    headers = [t("acc.col.official"), t("acc.col.agency"), t("col.region"), t("acc.col.goals"), t("acc.col.share"),
               t("acc.col.change"), t("acc.col.overdue")]
    return html.Div(table(headers, rows, caption=t("acc.officials.title"), numeric=(3, 5, 6)),
                    className="nt-card nt-card--flush nt-officials__table")


def list_pager(total: int, page: int, t: Translator, params: Mapping[str, object]) -> html.Nav | None:
    pages = max(1, math.ceil(total / LIST_PAGE_SIZE))
    if total == 0:
        return None
    first_row, last_row = (page - 1) * LIST_PAGE_SIZE + 1, min(page * LIST_PAGE_SIZE, total)
    parts: list[Any] = [html.Span(t("acc.pager.range", first=t.number(first_row, 0), last=t.number(last_row, 0),
                                    total=t.number(total, 0)), className="nt-muted")]
    if page > 1:
        parts.append(dcc.Link(["← ", t("acc.pager.previous")],
                              href=same_page("/officials", params, page=page - 1 if page > 2 else None)))
    if page < pages:
        parts.append(dcc.Link([t("acc.pager.next"), " →"], href=same_page("/officials", params, page=page + 1)))
    return html.Nav(parts, className="nt-pager", **{"aria-label": t("acc.pager.label")})


def officials_view(frame: pd.DataFrame, t: Translator, params: Mapping[str, object], *, total: int,
                   query: str | None, kind: str | None, sort: str, page: int, today: dt.date | None) -> html.Div:
    """``/officials``: ``frame`` is the page of officials to show (``services.officials.LIST_COLUMNS``)
    out of ``total`` matching the search."""
    crumbs = breadcrumb([(t("nav.overview"), overview_href(params)), (t("nav.officials"), None)], t)
    lines = [t("acc.officials.count", count=t.number(total, 0))]
    if today is not None:
        lines.append(t("overview.as_of", date=date_text(today, t)))
    parts: list[Any] = [crumbs, page_header(t("acc.officials.title"), eyebrow=t("acc.officials.eyebrow"), lines=lines),
                        html.P(t("acc.officials.lead"), className="nt-lead"),
                        html.Div([search_form(params, t, query), list_controls(params, t, kind, sort)],
                                 className="nt-card nt-officials__tools")]
    if frame.empty:
        parts.append(html.P(t("acc.officials.none"), className="nt-empty"))
    else:
        parts += [officials_table(frame, t, params), list_pager(total, page, t, params)]
    return html.Div(parts, id=OFFICIALS_PAGE, className="nt-page nt-page--officials",
                    **{"data-total": str(total), "data-page": str(page)})


def render_list(params: Mapping[str, object]) -> Any:
    """Query (through the service) and render ``/officials`` for the URL's search, kind, order and page."""
    ctx = page_context(params)
    query = (first(params.get("q")) or "")[:MAX_QUERY_LENGTH] or None
    kind = first(params.get("kind"))
    kind = kind if kind in KINDS else None
    sort = first(params.get("sort"))
    sort = sort if sort in SORTS else "name"
    found = sort_officials(search_officials(build_officials(ctx), query, kind=kind), sort)
    pages = max(1, math.ceil(len(found) / LIST_PAGE_SIZE))
    page = min(max(1, parse_int(params.get("page")) or 1), pages)
    shown = found.iloc[(page - 1) * LIST_PAGE_SIZE: page * LIST_PAGE_SIZE]
    return officials_view(shown, ctx.t, params, total=len(found), query=query, kind=kind, sort=sort, page=page,
                          today=ctx.today)


# --- /officials/<code> ------------------------------------------------------------------------------------

def scorecard_stats(card: Scorecard, t: Translator) -> html.Div:
    """Two rows of figures: the goals (held, off track, its change since the previous quarter's end),
    then the instructions and recovery actions (overdue own and escalated, the change, the actions)."""
    figures = card.figures
    off_track = val(figures, "off_track_share")
    goals: list[tuple[str, Any, str]] = [
        (t("acc.stat.goals"), int(val(figures, "goals", 0)), ""),
        (t("acc.stat.off_track"), t.percent(float(off_track)) if off_track is not None else "–", ""),
        (t("acc.stat.change", date=date_text(card.previous_quarter_end, t)),
         change_text(val(figures, "off_track_share_change"), t), ""),
    ]
    duties: list[tuple[str, Any, str]] = [
        (t("acc.stat.overdue_own"), int(val(figures, "overdue_own", 0)), "nt-count--bad"),
        (t("acc.stat.overdue_escalated"), int(val(figures, "overdue_escalated", 0)), "nt-count--bad"),
        (t("acc.stat.overdue_change", date=date_text(card.previous_quarter_end, t)),
         count_change_text(val(figures, "overdue_instructions_change"), t), ""),
        (t("acc.stat.recovery"), card.recovery["actions"], ""),
        (t("acc.stat.recovery_overdue"), card.recovery["overdue"], "nt-count--bad"),
    ]
    return html.Div([stat_list(goals, t, "nt-official__stats"), stat_list(duties, t, "nt-official__stats")],
                    className="nt-official__figures")


def words_by_goal(words: pd.DataFrame) -> dict:
    """The current words by (node, indicator or None)."""
    return {(row["node"], row["indicator"] if isinstance(row["indicator"], str) else None): row
            for row in words.to_dict("records")}


def _goal_cell(row: Mapping[str, Any], t: Translator, params: Mapping[str, object], *,
               since: bool = False) -> list[Any]:
    cell: list[Any] = [html.Span(str(val(row, "name", row["indicator"]))), html.Br(),
                       html.Small(str(val(row, "indicator", "")), className="nt-code")]
    if since:
        cell += [html.Br(), html.Small(t("acc.held_since", date=date_text(val(row, "valid_from"), t)),
                                       className="nt-muted")]
    return cell


def _where_cell(row: Mapping[str, Any], t: Translator, params: Mapping[str, object]) -> list[Any]:
    node, level = str(row["node"]), val(row, "node_level")
    return [dcc.Link(str(val(row, "node_name", node)), href=node_href(node, level, params)), html.Br(),
            html.Small(t(f"acc.goal_kind.{val(row, 'goal_kind', 'political')}"), className="nt-muted")]


def _value_cell(row: Mapping[str, Any], t: Translator) -> list[Any]:
    unit, decimals = val(row, "unit"), val(row, "decimals", 1)
    latest, target = val(row, "latest_value"), val(row, "target_value")
    unit_label = unit_text(row) if unit else ""
    shown = format_value(latest, t, unit=unit, decimals=decimals) if latest is not None else "–"
    goal = (t("kpi.of_target", target=format_value(target, t, unit=unit, decimals=decimals),
              year=val(row, "target_year", "–")) if target is not None else t("kpi.no_target"))
    return [html.Strong(shown), html.Span(f" {unit_label}" if unit_label and latest is not None else "",
                                          className="nt-muted"), html.Br(), html.Small(goal, className="nt-muted")]


def _status_cell(row: Mapping[str, Any], t: Translator) -> list[Any]:
    status, reason = val(row, "status", "no_data"), val(row, "reason_text")
    return [status_badge(status, t, reason=reason, size="sm"),
            html.Div(reason_only(reason, status, t), className="nt-reason small")]


def held_goals_table(goals: pd.DataFrame, t: Translator, params: Mapping[str, object], *,
                     previous_date: dt.date, words: Mapping[tuple, Any], today: dt.date | None) -> Any:
    """Goals held now: goal (held since), where (political or administrative), value vs target, status
    with its reason and the status at the previous quarter's end, the owner's word (commentary,
    recovery action)."""
    rows = []
    for row in goals.to_dict("records"):
        previous = val(row, "previous_status")
        word = word_view(words.get((row["node"], row["indicator"])), t, status=val(row, "status"), today=today)
        then = [html.Div([html.Small(t("acc.col.previous_status", date=date_text(previous_date, t)) + ": ",
                                     className="nt-muted"),
                          status_badge(previous, t, size="sm")], className="nt-official__then")] if previous else []
        rows.append([_goal_cell(row, t, params, since=True), _where_cell(row, t, params), _value_cell(row, t),
                     _status_cell(row, t) + then, word])
    headers = [t("col.goal"), t("acc.col.node"), t("col.latest"), t("col.status"), t("acc.col.word")]
    return html.Div(table(headers, rows, caption=t("acc.goals.now")), className="nt-card nt-card--flush nt-official__goals")


def before_goals_table(goals: pd.DataFrame, t: Translator, params: Mapping[str, object]) -> Any:
    """Goals held before: goal, where, from – to, the status when handed over with its reason."""
    rows = [[_goal_cell(row, t, params), _where_cell(row, t, params),
             t("acc.span", start=date_text(val(row, "valid_from"), t), end=date_text(val(row, "valid_to"), t)),
             _status_cell(row, t)] for row in goals.to_dict("records")]
    headers = [t("col.goal"), t("acc.col.node"), t("acc.col.held"), t("acc.col.status_at_handover")]
    return html.Div(table(headers, rows, caption=t("acc.goals.before"), nowrap=(2,)), className="nt-card nt-card--flush")


def nodes_list(nodes: pd.DataFrame, t: Translator, params: Mapping[str, object], words: Mapping[tuple, Any]) -> Any:
    """Nodes held as a whole, each with the owner's word on it when there is one."""
    items = []
    for row in nodes.to_dict("records"):
        word = words.get((row["node"], None))
        items.append(html.Li([
            dcc.Link(str(val(row, "node_name", row["node"])), href=node_href(row["node"], row["node_level"], params)),
            html.Span(" · " + t("acc.held_since", date=date_text(val(row, "valid_from"), t)), className="nt-muted"),
            word_view(word, t, status=val(word, "status"), today=None, variant="compact") if word is not None else None,
        ]))
    return html.Ul(items, className="nt-officials__nodes")


def scorecard_view(card: Scorecard | None, t: Translator, params: Mapping[str, object], code: str, *,
                   today: dt.date | None = None) -> Any:
    """The scorecard page; a not-found panel when ``card`` is None (unknown or out of scope)."""
    if card is None:
        return message_panel(t("acc.notfound.heading"), t("acc.notfound.text", code=code),
                             back_href=officials_href(params), back_label=t("acc.notfound.back"), icon="?")
    official = card.official
    name = str(official.get("name") or official["code"])
    crumbs = breadcrumb([(t("nav.overview"), overview_href(params)), (t("nav.officials"), officials_href(params)),
                         (name, None)], t)
    lines: list[Any] = [str(official.get("post") or "")]
    if official.get("agency_name"):
        lines.append(str(official["agency_name"]))
    region = official.get("region")
    if region and region != "KZ":
        lines.append(html.Span([t("program.region_label"), " ",
                                dcc.Link(str(official.get("region_name") or region), href=region_href(region, params))]))
    if today is not None:
        lines.append(t("overview.as_of", date=date_text(today, t)))
    statuses = list(card.goals["status"])
    header = page_header(name, eyebrow=[kind_text(official.get("kind"), t),
                                        html.Span(f" · {official['code']}", className="nt-code")],
                         lines=lines, aside=html.Div([share_bar(card.figures, t), status_summary(statuses, t)],
                                                     className="nt-officials__aside") if statuses else None)
    sections: list[Any] = [crumbs, header, scorecard_stats(card, t)]
    goals, words = card.goals, words_by_goal(card.words)
    sections.append(page_section(
        t("acc.goals.now"), "official-goals",
        held_goals_table(goals, t, params, previous_date=card.previous_quarter_end, words=words, today=today)
        if not goals.empty
        else html.P(t("acc.goals.none"), className="nt-empty"),
        lead=t("acc.goals.lead") if not goals.empty else None))
    if not card.nodes.empty:
        sections.append(page_section(t("acc.nodes.heading"), "official-nodes", nodes_list(card.nodes, t, params, words),
                                     lead=t("acc.nodes.lead")))
    for key, frame, fields in (("own", card.own_overdue, PAGE_FIELDS),
                               ("escalated", card.escalated_overdue, ("state", "due", "assignee", "linked"))):
        sections.append(page_section(
            t(f"acc.overdue.{key}"), f"official-overdue-{key}",
            html.Div(instructions_grid(frame, t, params, f"official-{key}", fields=fields), className="nt-grid-wrap")
            if not frame.empty else html.P(t(f"acc.overdue.{key}_none"), className="nt-empty"),
            lead=t(f"acc.overdue.{key}_lead") if not frame.empty else None))
    if not card.before.empty:
        sections.append(page_section(t("acc.goals.before"), "official-before",
                                     before_goals_table(card.before, t, params), lead=t("acc.goals.before_lead")))
    return html.Div(sections, id=OFFICIAL_PAGE, className="nt-page nt-page--official",
                    **{"data-official": str(official["code"]), "data-goals": str(int(val(card.figures, "goals", 0))),
                       "data-overdue-own": str(int(val(card.figures, "overdue_own", 0))),
                       "data-overdue-escalated": str(int(val(card.figures, "overdue_escalated", 0)))})


def render_scorecard(code: str, params: Mapping[str, object]) -> Any:
    """Query (through the service) and render the scorecard of official ``code``."""
    ctx = page_context(params)
    card = build_scorecard(ctx, code) if code and len(code) <= 64 else None
    return scorecard_view(card, ctx.t, params, code, today=ctx.today)
