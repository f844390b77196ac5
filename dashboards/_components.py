"""Cards, badges, tables and the alert strip: small pure functions from frame rows to Dash components.

Every function takes the already-computed data (a row of a services frame, or a frame) and the
translator ``t``; none queries the store or computes a KPI. Status is never shown by colour alone:
:func:`status_badge` always carries an icon and the status name (``status.<status>`` in the reasons
catalog), and the reason sits in the badge's ``title`` (hover) and in a popover (click / keyboard).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Iterable, Mapping, Sequence

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import _ids as ids
from dashboards._figures import clean_series, sparkline
from dashboards._theme import FRESHNESS, STATUS, status_style
from dashboards._urls import overview_href, program_href, project_href
from services.formatting import (
    Row,
    as_int,
    date_text,
    format_value,
    period_text,
    reason_only,
    status_name,
    status_title,
    unit_text,
    val,
)
from services.i18n import Translator

SPARK_CONFIG = {"displayModeBar": False, "staticPlot": True, "responsive": True}


# --- badges -----------------------------------------------------------------------------------------

def status_badge(status: str | None, t: Translator, *, reason: str | None = None, component_id: Any = None,
                 interactive: bool = False, size: str = "md") -> html.Span | html.Button:
    """The status as icon + name on its tint (never colour alone).

    ``reason`` becomes the hover title; ``interactive`` renders a ``<button>`` (keyboard-reachable,
    the target of a reason popover) instead of a ``<span>``."""
    status = status if status in STATUS else "no_data"
    style = status_style(status)
    name = status_name(status, t)
    title = status_title(status, reason, t)
    children = [html.Span(style.icon, className="nt-status__icon", **{"aria-hidden": "true"}),
                html.Span(name, className="nt-status__text")]
    css = {"color": style.fg, "backgroundColor": style.bg, "borderColor": style.accent}
    class_name = f"nt-status nt-status--{status} nt-status--{size}"
    if interactive:
        button_kwargs: dict[str, Any] = {"id": component_id} if component_id is not None else {}
        return html.Button(children, className=class_name + " nt-status--button", style=css, title=title,
                           type="button", **{"aria-haspopup": "dialog"}, **button_kwargs)
    span_kwargs: dict[str, Any] = {"id": component_id} if component_id is not None else {}
    return html.Span(children, className=class_name, style=css, title=title, **span_kwargs)


def freshness_badge(freshness: str | None, t: Translator, *, next_due: Any = None) -> html.Span | None:
    """A badge for late or stale data (None for fresh or unknown freshness)."""
    if freshness not in ("late", "stale"):
        return None
    style = FRESHNESS[freshness]
    name = t(f"freshness.{freshness}")
    title = t("kpi.expected_by", date=date_text(next_due, t)) if next_due is not None else name
    return html.Span(
        [html.Span(style.icon, className="nt-status__icon", **{"aria-hidden": "true"}),
         html.Span(name, className="nt-status__text")],
        className=f"nt-status nt-status--sm nt-fresh nt-fresh--{freshness}",
        style={"color": style.fg, "backgroundColor": style.bg, "borderColor": style.fg}, title=title,
    )


def status_summary(statuses: Iterable[str | None], t: Translator) -> html.Ul:
    """Counts per status (worst first) as a row of small badges: the one-line executive summary."""
    counts: dict[str, int] = {}
    for status in statuses:
        key = status if status in STATUS else "no_data"
        counts[key] = counts.get(key, 0) + 1
    items = []
    for status in STATUS:  # worst first
        if counts.get(status):
            style = status_style(status)
            items.append(html.Li(
                [html.Span(style.icon, className="nt-status__icon", **{"aria-hidden": "true"}),
                 html.Span(str(counts[status]), className="nt-summary__count"),
                 html.Span(status_name(status, t), className="nt-status__text")],
                className="nt-status nt-status--sm nt-summary__item",
                style={"color": style.fg, "backgroundColor": style.bg, "borderColor": style.accent},
            ))
    return html.Ul(items, className="nt-summary list-unstyled", **{"aria-label": t("overview.summary")})


# --- KPI cards --------------------------------------------------------------------------------------

def _progress_bar(progress: Any, expected: Any, status: str, t: Translator) -> html.Div | None:
    """The way from baseline to target: a filled bar and a tick where the trajectory expects it."""
    if progress is None:
        return None
    try:
        done = float(progress)
    except (TypeError, ValueError):
        return None
    if math.isnan(done):
        return None
    done += 0.0  # no "-0 %"
    shown = max(0.0, min(done, 1.0))
    expected_f = None
    try:
        expected_f = float(expected) if expected is not None else None
    except (TypeError, ValueError):
        expected_f = None
    if expected_f is not None and math.isnan(expected_f):
        expected_f = None
    label = (t("kpi.progress_expected", progress=t.percent(done), expected=t.percent(expected_f))
             if expected_f is not None else t("kpi.progress", progress=t.percent(done)))
    children: list[Any] = [html.Div(className="nt-progress__fill",
                                    style={"width": f"{shown * 100:.1f}%",
                                           "backgroundColor": status_style(status).accent})]
    if expected_f is not None:
        children.append(html.Div(className="nt-progress__expected",
                                 style={"left": f"{max(0.0, min(expected_f, 1.0)) * 100:.1f}%"}))
    return html.Div(
        [html.Div(children, className="nt-progress__track", role="progressbar", title=label,
                  **{"aria-label": label, "aria-valuemin": "0", "aria-valuemax": "100",
                     "aria-valuenow": f"{shown * 100:.0f}"}),
         html.Span(t.percent(done), className="nt-progress__value", **{"aria-hidden": "true"})],
        className="nt-progress",
    )


def period_labels(periods: Sequence[Any] | None) -> list[str]:
    """Period labels (``2024``, ``2024-Q3``, ``2024-07``) for a series' periods, given as labels or as
    period start dates (the frequency is read from the spacing of the dates)."""
    items = list(periods) if periods is not None else []
    starts: list[dt.date | None] = []
    for item in items:
        if isinstance(item, str):
            starts.append(None)
        elif isinstance(item, pd.Timestamp):
            starts.append(None if pd.isna(item) else item.date())
        elif isinstance(item, dt.datetime):
            starts.append(item.date())
        elif isinstance(item, dt.date):
            starts.append(item)
        else:
            starts.append(None)
    known = [d for d in starts if d is not None]
    gaps = sorted((b.year - a.year) * 12 + b.month - a.month for a, b in zip(known, known[1:]))
    step = gaps[len(gaps) // 2] if gaps else 12
    out = []
    for item, start in zip(items, starts):
        if start is None:
            out.append(str(item))
        elif step >= 12:
            out.append(f"{start.year}")
        elif step >= 3:
            out.append(f"{start.year}-Q{(start.month - 1) // 3 + 1}")
        else:
            out.append(f"{start.year}-{start.month:02d}")
    return out


def trend_label(row: Row, t: Translator) -> str:
    """Words for the sparkline (its accessible name): periods and values at both ends."""
    periods = period_labels(val(row, "spark_periods", []))
    values = clean_series(val(row, "spark_values", []))
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if not known:
        return t("kpi.no_trend")
    (i0, v0), (i1, v1) = known[0], known[-1]
    label = lambda i: period_text(periods[i], t) if i < len(periods) else "–"  # noqa: E731
    decimals = val(row, "decimals", 1)
    unit = val(row, "unit")
    return t("kpi.trend", first=label(i0), last=label(i1), start=format_value(v0, t, unit=unit, decimals=decimals),
             end=format_value(v1, t, unit=unit, decimals=decimals))


def _reason_popover(row: Row, t: Translator, goal_key: str) -> dbc.Popover:
    status = val(row, "status", "no_data")
    reason = reason_only(val(row, "reason_text"), status, t) or t("kpi.no_reason")
    body: list[Any] = [html.P(reason, className="mb-2")]
    forecast = val(row, "forecast_value")
    if forecast is not None:
        line = t("kpi.forecast", year=val(row, "target_year", "–"),
                 value=format_value(forecast, t, unit=val(row, "unit"), decimals=val(row, "decimals", 1)))
        probability = val(row, "forecast_probability")
        if probability is not None:
            line += " · " + t("kpi.probability", probability=t.percent(float(probability)))
        body.append(html.P(line, className="mb-2 nt-muted"))
    source = val(row, "source")
    if source:
        body.append(html.P(t("kpi.source", source=source), className="mb-0 nt-muted small"))
    return dbc.Popover(
        [dbc.PopoverHeader(status_name(status, t)), dbc.PopoverBody(body)],
        id=ids.kpi_reason_id(goal_key), target=ids.dom_id(ids.kpi_status_id(goal_key)), trigger="legacy",
        placement="bottom", class_name="nt-popover",
    )


def kpi_card(row: Row, t: Translator, params: Mapping[str, object] | None = None, word: Any = None, *,
             interactive: bool = True) -> html.Article:
    """One headline goal: name, the value vs its target ("30 of 60"), status with reason, the owner's
    ``word`` under it (a ``dashboards._commentary`` slot, when given), trend, the accountable official,
    the period the value is for, and a freshness badge when late/stale.

    ``row`` has the columns of ``services.overview.CARD_COLUMNS``. ``interactive=False`` (the wall of
    ``/room``, which nobody clicks and which redraws for days) leaves out the reason popover and the
    sparkline graph: the status keeps its reason as hover text."""
    goal_key = str(val(row, "goal_id", val(row, "indicator", "goal")))
    status = val(row, "status", "no_data")
    unit = val(row, "unit")
    decimals = val(row, "decimals", 1)
    latest = val(row, "latest_value")
    target = val(row, "target_value")
    unit_label = unit_text(row)
    name = str(val(row, "name", val(row, "indicator", "")))
    value_text = format_value(latest, t, unit=unit, decimals=decimals) if latest is not None else "–"
    target_text = format_value(target, t, unit=unit, decimals=decimals) if target is not None else None
    title_id = f"kpi-title-{goal_key}"

    if target_text is not None:
        target_line = t("kpi.of_target", target=target_text, year=val(row, "target_year", "–"))
        summary = t("kpi.value_of_target", value=value_text, target=target_text)
    else:
        target_line = t("kpi.no_target")
        summary = value_text
    figure_block: Any
    if not interactive:
        figure_block = None
    elif any(v is not None for v in clean_series(val(row, "spark_values", []))):
        figure_block = html.Div(
            dcc.Graph(figure=sparkline(val(row, "spark_values", []), period_labels(val(row, "spark_periods")),
                                       status=status),
                      config=SPARK_CONFIG, className="nt-spark__graph", style={"height": "56px"},
                      id={"type": "kpi-spark", "key": goal_key}),
            className="nt-spark", role="img", **{"aria-label": trend_label(row, t)},
        )
    else:
        figure_block = html.Div(t("kpi.no_trend"), className="nt-spark nt-spark--empty nt-muted small")

    latest_period = val(row, "latest_period")
    meta: list[Any] = [html.Span(t("kpi.as_of", period=period_text(latest_period, t)) if latest_period
                                 else t("kpi.no_value"), className="nt-kpi__period")]
    fresh = freshness_badge(val(row, "freshness"), t, next_due=val(row, "next_due"))

    owner_name = val(row, "owner_name")
    owner = html.Div(
        [html.Span(owner_name, className="nt-kpi__owner-name"),
         html.Span(val(row, "owner_post", ""), className="nt-kpi__owner-post")] if owner_name
        else [html.Span(t("kpi.no_owner"), className="nt-muted")],
        className="nt-kpi__owner", title=t("kpi.accountable"),
    )
    style = status_style(status)
    return html.Article(
        [
            html.H3(name, id=title_id, className="nt-kpi__name", title=name),
            html.Div(
                [html.Span(value_text, className="nt-kpi__number"),
                 html.Span(unit_label, className="nt-kpi__unit") if unit_label and latest is not None else None,
                 html.Span(summary, className="visually-hidden")],
                className="nt-kpi__value",
            ),
            html.Div(target_line, className="nt-kpi__target", **{"aria-hidden": "true"}),
            html.Div([status_badge(status, t, reason=val(row, "reason_text"), interactive=interactive,
                                   component_id=ids.kpi_status_id(goal_key)), fresh],
                     className="nt-kpi__status"),
            word,
            _progress_bar(val(row, "progress"), val(row, "expected_progress"), status, t),
            figure_block,
            html.Div(meta, className="nt-kpi__meta"),
            owner,
            _reason_popover(row, t, goal_key) if interactive else None,
        ],
        id=ids.kpi_card_id(goal_key), className=f"nt-card nt-kpi nt-kpi--{status}",
        style={"borderTopColor": style.accent}, **{"aria-labelledby": title_id},
    )


def kpi_grid(cards: pd.DataFrame, t: Translator, params: Mapping[str, object] | None = None,
             word: Any = None, *, interactive: bool = True) -> html.Div:
    """All headline cards in a responsive grid (4 across on a wide screen), or an empty-state note;
    ``word(row)`` gives each card's owner's word when given; ``interactive``: see :func:`kpi_card`."""
    if cards is None or cards.empty:
        return html.Div(html.P(t("overview.kpis.empty"), className="nt-empty"), id=ids.KPI_GRID)
    return html.Div([kpi_card(row, t, params, word(row) if word is not None else None, interactive=interactive)
                     for _, row in cards.iterrows()],
                    id=ids.KPI_GRID, className="nt-kpi-grid")


# --- programs ---------------------------------------------------------------------------------------

def _counts(items: Sequence[tuple[str, Any, str]]) -> html.Dl:
    return html.Dl(
        [html.Div([html.Dt(label), html.Dd(str(as_int(value)), className=css)], className="nt-counts__item")
         for label, value, css in items],
        className="nt-counts",
    )


def program_tile(row: Row, t: Translator, params: Mapping[str, object] | None = None) -> dcc.Link:
    """A program in the status grid: name, accountable official, status with reason, counts; the whole
    tile links to ``/programs/<code>`` keeping the language. ``row``: ``PROGRAM_COLUMNS``."""
    code = str(val(row, "code", ""))
    status = val(row, "status", "no_data")
    style = status_style(status)
    off_track = as_int(val(row, "off_track"))
    at_risk = as_int(val(row, "at_risk"))
    owner_name = val(row, "owner_name")
    return dcc.Link(
        [
            html.Div(
                [html.H3(val(row, "name", code), className="nt-tile__name"),
                 status_badge(status, t, reason=val(row, "reason_text"), size="sm")],
                className="nt-tile__head",
            ),
            html.Div(
                [html.Span(owner_name, className="nt-tile__owner-name"),
                 html.Span(val(row, "owner_post", ""), className="nt-tile__owner-post")] if owner_name
                else [html.Span(t("kpi.no_owner"), className="nt-muted")],
                className="nt-tile__owner",
            ),
            _counts([
                (t("program.goals"), val(row, "goals"), ""),
                (t("program.off_track"), off_track, "nt-count--bad" if off_track else ""),
                (t("program.at_risk"), at_risk, "nt-count--warn" if at_risk else ""),
                (t("program.projects"), val(row, "projects"), ""),
            ]),
        ],
        href=program_href(code, params), id=ids.program_tile_id(code),
        className=f"nt-card nt-tile nt-tile--{status}", style={"borderLeftColor": style.accent},
        title=t("program.open", name=val(row, "name", code)),
    )


#: Program kinds in the order their groups are shown; other kinds follow under "kind.other".
KIND_ORDER = ("national_project", "state_program", "territorial_program")


def program_grid(programs: pd.DataFrame, t: Translator, params: Mapping[str, object] | None = None) -> html.Div:
    """The status grid of all programs, grouped by kind (national projects, territorial programs, ...)."""
    if programs is None or programs.empty:
        return html.Div(html.P(t("overview.programs.empty"), className="nt-empty"), id=ids.PROGRAM_GRID)
    kinds = programs["kind"].fillna("other") if "kind" in programs else pd.Series("other", index=programs.index)
    order = [k for k in KIND_ORDER if (kinds == k).any()] + sorted(set(kinds) - set(KIND_ORDER))
    groups = []
    for kind in order:
        subset = programs[kinds == kind]
        heading_id = f"program-group-{kind}"
        heading = t(f"kind.{kind}") if t.has(f"kind.{kind}") else t("kind.other")
        groups.append(html.Section(
            [html.H3([heading, html.Span(f" · {len(subset)}", className="nt-muted")], id=heading_id,
                     className="nt-group__title"),
             html.Div([program_tile(row, t, params) for _, row in subset.iterrows()], className="nt-tile-grid")],
            className="nt-group", **{"aria-labelledby": heading_id},
        ))
    return html.Div(groups, id=ids.PROGRAM_GRID)


# --- tables -----------------------------------------------------------------------------------------

def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, caption: str | None = None,
          numeric: Iterable[int] = (), nowrap: Iterable[int] = ()) -> dbc.Table:
    """A plain, printable table: ``headers`` (th scope=col) and ``rows`` of cells (components or text);
    columns in ``numeric`` are right-aligned, columns in ``nowrap`` (dates) never wrap."""
    numeric, nowrap = set(numeric), set(nowrap)

    def css(i: int, numeric_class: str) -> str | None:
        classes = ([numeric_class] if i in numeric else []) + (["text-nowrap"] if i in nowrap else [])
        return " ".join(classes) or None

    head = html.Thead(html.Tr([html.Th(h, scope="col", className=css(i, "text-end")) for i, h in enumerate(headers)]))
    body = html.Tbody([html.Tr([html.Td(cell, className=css(i, "text-end nt-num")) for i, cell in enumerate(row)])
                       for row in rows])
    parts = ([html.Caption(caption, className="visually-hidden")] if caption else []) + [head, body]
    return dbc.Table(parts, class_name="nt-table align-middle", hover=True, responsive=True, size="sm")


def _name_with_code(name: Any, code: Any) -> list[Any]:
    return [html.Span(str(name or code or "–")), html.Br(), html.Small(str(code or ""), className="nt-code")]


def off_track_table(frame: pd.DataFrame, t: Translator, params: Mapping[str, object] | None = None,
                    portfolio_code: str | None = None) -> dbc.Table:
    """Goals off track: goal, where it sits (a link to its program), status, reason, accountable."""
    rows = []
    for _, r in frame.iterrows():
        node, node_name = val(r, "node"), val(r, "node_name", val(r, "node"))
        where: Any = (dcc.Link(node_name, href=program_href(node, params)) if node and node != portfolio_code
                      else node_name)
        rows.append([_name_with_code(val(r, "name"), val(r, "indicator")), where,
                     status_badge(val(r, "status"), t, size="sm"),
                     reason_only(val(r, "reason_text"), val(r, "status"), t) or "–",
                     val(r, "owner_name", "–")])
    return table([t("col.goal"), t("col.node"), t("col.status"), t("col.reason"), t("col.owner")], rows,
                 caption=t("alerts.off_track"))


def overdue_table(frame: pd.DataFrame, t: Translator) -> dbc.Table:
    """Overdue instructions, most overdue first: what, who, due, days overdue."""
    rows = []
    for _, r in frame.iterrows():
        who = [html.Span(val(r, "assignee_name", "–")), html.Br(),
               html.Small(val(r, "assignee_post", ""), className="nt-muted")]
        what = [html.Span(val(r, "text", "–"), className="nt-clamp"), html.Br(),
                html.Small(" · ".join(str(x) for x in (val(r, "code"), val(r, "meeting")) if x), className="nt-code")]
        rows.append([what, who, date_text(val(r, "due_date"), t), t.number(as_int(val(r, "days_overdue")), 0)])
    return table([t("col.instruction"), t("col.assignee"), t("col.due"), t("col.days_overdue")], rows,
                 caption=t("alerts.overdue"), numeric=(3,), nowrap=(2,))


def stale_table(frame: pd.DataFrame, t: Translator) -> dbc.Table:
    """Indicators whose data is late or stale: latest period, when the next was expected, the source."""
    rows = []
    for _, r in frame.iterrows():
        rows.append([_name_with_code(val(r, "name"), val(r, "indicator")), val(r, "agency_name", "–"),
                     period_text(val(r, "latest_period"), t) if val(r, "latest_period") else "–",
                     date_text(val(r, "next_due"), t),
                     freshness_badge(val(r, "freshness"), t) or status_name("no_data", t)])
    return table([t("col.indicator"), t("col.agency"), t("col.latest_period"), t("col.next_due"),
                  t("col.freshness")], rows, caption=t("alerts.stale"), nowrap=(3,))


def goals_table(frame: pd.DataFrame, t: Translator) -> html.Div:
    """A program's goals: indicator, latest value (period), target (year), progress, status + reason,
    accountable. ``frame``: ``CARD_COLUMNS``."""
    if frame is None or frame.empty:
        return html.Div(html.P(t("program.goals.empty"), className="nt-empty"), id=ids.PROGRAM_GOALS)
    rows = []
    for _, r in frame.iterrows():
        unit, decimals = val(r, "unit"), val(r, "decimals", 1)
        unit_label = unit_text(r)
        latest = val(r, "latest_value")
        value = [html.Strong(format_value(latest, t, unit=unit, decimals=decimals) if latest is not None else "–"),
                 html.Span(f" {unit_label}" if unit_label and latest is not None else "", className="nt-muted"),
                 html.Br(), html.Small(period_text(val(r, "latest_period"), t) if val(r, "latest_period") else "",
                                       className="nt-muted")]
        target = val(r, "target_value")
        target_cell = [html.Span(format_value(target, t, unit=unit, decimals=decimals) if target is not None else "–"),
                       html.Br(), html.Small(str(val(r, "target_year", "")), className="nt-muted")]
        progress = val(r, "progress")
        status_cell = [status_badge(val(r, "status"), t, reason=val(r, "reason_text"), size="sm"),
                       html.Div(reason_only(val(r, "reason_text"), val(r, "status"), t), className="nt-reason small")]
        fresh = freshness_badge(val(r, "freshness"), t, next_due=val(r, "next_due"))
        if fresh is not None:
            status_cell.append(fresh)
        owner = [html.Span(val(r, "owner_name", "–")), html.Br(),
                 html.Small(val(r, "owner_post", ""), className="nt-muted")]
        rows.append([_name_with_code(val(r, "name"), val(r, "indicator")), value, target_cell,
                     t.percent(float(progress)) if progress is not None else "–", status_cell, owner])
    return html.Div(
        table([t("col.indicator"), t("col.latest"), t("col.target"), t("col.progress"), t("col.status"),
               t("col.owner")], rows, caption=t("program.goals.heading"), numeric=(1, 2, 3)),
        id=ids.PROGRAM_GOALS,
    )


# --- the alert strip --------------------------------------------------------------------------------

ALERT_ICONS = {"off_track": "✕", "overdue": "◷", "stale": "⚠"}


def alert_strip(lists: Mapping[str, tuple[int, Any]], t: Translator) -> html.Section:
    """The alert strip: one button per kind (off-track goals, overdue instructions, stale data) showing
    its count; each opens a collapsible panel below with the list of its items.

    ``lists``: kind -> (count, the component listing the items, e.g. :func:`off_track_table`)."""
    buttons, panels = [], []
    for kind in ids.ALERT_KINDS:
        count, listing = lists.get(kind, (0, None))
        count = as_int(count)
        label = t(f"alerts.{kind}")
        panel_id = ids.alert_panel_id(kind)
        state = "nt-alert--clear" if count == 0 else f"nt-alert--{kind}"
        buttons.append(html.Button(
            [html.Span("✓" if count == 0 else ALERT_ICONS[kind], className="nt-alert__icon",
                       **{"aria-hidden": "true"}),
             html.Span(t.number(count, 0), className="nt-alert__count"),
             html.Span(label, className="nt-alert__label"),
             html.Span("▾", className="nt-alert__chevron", **{"aria-hidden": "true"})],
            id=ids.alert_button_id(kind), n_clicks=0, type="button", className=f"nt-alert {state}",
            title=t("alerts.show"), **{"aria-expanded": "false", "aria-controls": ids.dom_id(panel_id)},
        ))
        body = listing if count and listing is not None else html.P(t("alerts.none"), className="nt-empty mb-0")
        panels.append(dbc.Collapse(
            html.Div([html.H3(label, className="nt-panel__title"), html.Div(body, className="nt-panel__body")],
                     className="nt-card nt-panel", role="region", **{"aria-label": label}),
            id=panel_id, is_open=False,
        ))
    return html.Section(
        [html.H2(t("overview.alerts.heading"), id="alerts-heading", className="visually-hidden"),
         html.Div(buttons, className="nt-alerts"), html.Div(panels, className="nt-alert-panels")],
        id=ids.ALERT_STRIP, className="nt-alert-strip", **{"aria-labelledby": "alerts-heading"},
    )


def next_alert_states(triggered: str | None, kinds: Sequence[str], open_states: Sequence[bool | None]) -> list[bool]:
    """Which alert panels are open after a click on ``triggered``: it toggles, the others close
    (one list at a time keeps the page readable). Unknown ``triggered``: nothing changes."""
    if triggered not in kinds:
        return [bool(s) for s in open_states]
    return [(not bool(s)) if kind == triggered else False for kind, s in zip(kinds, open_states)]


# --- page furniture ---------------------------------------------------------------------------------

def breadcrumb(items: Sequence[tuple[str, str | None]], t: Translator) -> html.Nav:
    """``[(label, href or None), ...]`` as an accessible breadcrumb; the last item is the current page."""
    lis = []
    for i, (label, href) in enumerate(items):
        last = i == len(items) - 1
        content: Any = label if last or not href else dcc.Link(label, href=href)
        kwargs = {"aria-current": "page"} if last else {}
        lis.append(html.Li(content, className="breadcrumb-item" + (" active" if last else ""), **kwargs))
    return html.Nav(html.Ol(lis, className="breadcrumb mb-0"), id=ids.BREADCRUMB, className="nt-breadcrumb",
                    **{"aria-label": t("nav.breadcrumb")})


def page_header(title: str, *, eyebrow: Any = None, lines: Sequence[Any] = (), aside: Any = None) -> html.Header:
    """A page's title block: small ``eyebrow`` above, the H1, muted ``lines`` below, ``aside`` right."""
    return html.Header(
        [html.Div([html.Div(eyebrow, className="nt-eyebrow") if eyebrow else None,
                   html.H1(title, className="nt-title"),
                   html.Div([html.Span(line, className="nt-header__line") for line in lines if line],
                            className="nt-header__lines")], className="nt-header__main"),
         html.Div(aside, className="nt-header__aside") if aside is not None else None],
        className="nt-header",
    )


def message_panel(heading: str, text: str, *, back_href: str, back_label: str, icon: str = "?",
                  tone: str = "info") -> html.Section:
    """A friendly full-width message (not found, error) with one way back; never a traceback."""
    kwargs: dict[str, Any] = {"role": "alert"} if tone == "error" else {}
    return html.Section(
        [html.Div(icon, className=f"nt-message__icon nt-message__icon--{tone}", **{"aria-hidden": "true"}),
         html.H1(heading, className="nt-title"),
         html.P(text, className="nt-message__text"),
         dcc.Link(["← ", back_label], href=back_href, className="btn btn-primary btn-lg")],
        className=f"nt-card nt-message nt-message--{tone}", **kwargs,
    )


def page_section(title: str, section_id: str, *children: Any, aside: Any = None, lead: Any = None) -> html.Section:
    """A titled section of a page (``<section aria-labelledby>``), with an optional ``aside`` beside
    the heading and a ``lead`` sentence under it."""
    heading_id = f"{section_id}-heading"
    return html.Section(
        [html.Div([html.H2(title, id=heading_id, className="nt-section__title"),
                   html.Div(aside, className="nt-section__aside") if aside is not None else None],
                  className="nt-section__head"),
         html.P(lead, className="nt-lead") if lead else None,
         *children],
        id=section_id, className="nt-section", **{"aria-labelledby": heading_id},
    )


def stat_list(items: Sequence[tuple[str, Any, str]], t: Translator, class_name: str = "") -> html.Dl:
    """Headline counts as a row of tiles: ``(label, number or text, css class when non-zero)``."""
    tiles = []
    for label, value, css in items:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            shown, highlight = t.number(value, 0), bool(value)
        else:
            shown, highlight = str(value), False
        tiles.append(html.Div([html.Dt(label), html.Dd(shown, className=css if (css and highlight) else None)],
                              className="nt-stat"))
    return html.Dl(tiles, className=f"nt-stats {class_name}".strip())


def owner_line(name: Any, post: Any, t: Translator, message_id: str = "overview.owner") -> str | None:
    """"Accountable: <name>, <post>" (or the name alone); None when nobody is recorded."""
    if not name:
        return None
    return t(message_id, name=name, post=post) if post else t("overview.owner_name", name=name)


def node_breadcrumb(view: Any, t: Translator, params: Mapping[str, object] | None = None) -> html.Nav:
    """Portfolio -> program -> project from a node view's ``path`` (code, level, name): every level
    links to its page (the portfolio to its overview), the last one is the current page."""
    items: list[tuple[str, str | None]] = []
    path = getattr(view, "path", None)
    hrefs = {"portfolio": lambda code: overview_href(params, code), "program": lambda code: program_href(code, params),
             "project": lambda code: project_href(code, params)}
    if path is not None and not path.empty:
        for _, row in path.iterrows():
            level, code = val(row, "level"), str(val(row, "code", ""))
            items.append((str(val(row, "name", code)), hrefs.get(level, hrefs["program"])(code)))
    if not items:
        items = [(t("nav.overview"), overview_href(params)), (str(view.node.get("name", "")), None)]
    items[-1] = (items[-1][0], None)
    return breadcrumb(items, t)
