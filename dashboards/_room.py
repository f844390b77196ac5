"""The situation room's view (``/room``, docs/room.md): panels drawn by the pages' own components, the
ticker, the clock, and the one callback that redraws them when the data version changes.

The display itself (rotation, clock, polling ``/room/status``, "reconnecting", the scheduled reload)
is ``assets/room.js``: it works while the server is away, which a Dash callback cannot. When the poll
sees a new data version it sets ``ids.ROOM_SIGNAL``; :func:`refresh_room` then redraws, in place
(no page reload, no toast), the ticker and the panels whose content changed. The panels and the refresh go through
:func:`panel_view`, one function per panel kind, each built from the same services and chart
functions as the page it summarises.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from typing import Any, Callable, Mapping, Sequence

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import ALL, Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate
from flask import Flask, jsonify
from plotly.utils import PlotlyJSONEncoder

from dashboards import _ids as ids
from dashboards._chart import chart
from dashboards._components import (
    goals_table,
    kpi_grid,
    message_panel,
    stat_list,
    status_badge,
    status_summary,
)
from dashboards._ledger import checkpoint_card, status_card
from dashboards._program import program_stats
from dashboards._region import kpi_table
from dashboards._regions import map_content, map_spec
from dashboards._shell import page_context
from dashboards._urls import overview_href
from data_sources.settings import ALMATY
from kpi.status import STATUS_ORDER
from services.context import Context
from services.formatting import date_text
from services.i18n import Translator
from services.instructions import build_instructions, view_counts
from services.ledger_view import build_ledger_page, ledger_query
from services.nodes import build_node
from services.overview import build_overview
from services.programs import build_program_extras
from services.regions import build_region, build_region_map
from services.room import (
    PanelSpec,
    RoomConfig,
    StoreUnavailable,
    alert_counts,
    config_from_data,
    parse_room,
    room_alerts,
    room_status,
)

log = logging.getLogger("natije.dashboards")

#: Height of a map or chart panel's figure (px); the room's CSS scales type, not figures.
FIGURE_HEIGHT = 620
#: Rows of the instruction and ledger panels (the wall shows the worst / newest few, the page the rest).
PANEL_ROWS = 8
#: Plotly colours of the dark theme (text, grid, map background) on the room's transparent background.
DARK_FIGURE = {"font": "#e8edf3", "grid": "rgba(232,237,243,0.18)", "map": "#0d1117"}


@dataclasses.dataclass(frozen=True)
class PanelView:
    """One panel as drawn: title, optional status, body, the day its figures refer to, and ``late``:
    how many of its indicators have late or stale data (0 when the kind has none)."""

    title: str
    body: Any
    as_of: dt.date | None
    late: int = 0
    status: str | None = None
    reason: str | None = None


# --- figures on the wall -----------------------------------------------------------------------------------

def room_figure(figure: go.Figure, theme: str) -> go.Figure:
    """A page's figure for the wall: bigger type, transparent paper, light text on the dark theme.
    The data and traces are untouched (the same figure function draws both)."""
    shown = go.Figure(figure)
    shown.update_layout(font_size=18, paper_bgcolor="rgba(0,0,0,0)", height=FIGURE_HEIGHT)
    if theme == "dark":
        shown.update_layout(font_color=DARK_FIGURE["font"], plot_bgcolor="rgba(0,0,0,0)",
                            legend_font_color=DARK_FIGURE["font"])
        shown.update_xaxes(gridcolor=DARK_FIGURE["grid"], linecolor=DARK_FIGURE["grid"])
        shown.update_yaxes(gridcolor=DARK_FIGURE["grid"], linecolor=DARK_FIGURE["grid"])
        if shown.layout.map is not None and shown.layout.map.style is not None:
            # A MapLibre style of one background layer: dark, and still nothing fetched from anywhere.
            shown.update_layout(map_style={"version": 8, "sources": {}, "layers": [
                {"id": "background", "type": "background", "paint": {"background-color": DARK_FIGURE["map"]}}]})
    return shown


def without_string_ids(component: Any) -> Any:
    """``component`` with the page-level (string) ids removed from its tree: a panel may show a page's
    block twice on one wall (two programs), and ids must stay unique. Pattern ids (dicts) stay."""
    if isinstance(component, (list, tuple)):
        return [without_string_ids(child) for child in component]
    if not hasattr(component, "to_plotly_json"):
        return component
    if isinstance(getattr(component, "id", None), str):
        del component.id
    children = getattr(component, "children", None)
    if children is not None:
        component.children = without_string_ids(children)
    return component


# --- one function per panel kind -----------------------------------------------------------------------------

def _late(frame: pd.DataFrame | None) -> int:
    if frame is None or frame.empty or "freshness" not in frame:
        return 0
    late = frame[frame["freshness"].isin(["late", "stale"])]
    return int(late["indicator"].nunique()) if "indicator" in late else len(late)


def worst_first(cards: pd.DataFrame) -> pd.DataFrame:
    """Goal cards ordered worst status first (a wall shows the top of a list; that is what needs action)."""
    if cards is None or cards.empty:
        return cards
    order = cards["status"].map(lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else len(STATUS_ORDER))
    return cards.assign(_order=order).sort_values("_order", kind="stable").drop(columns="_order")


def overview_panel(ctx: Context, spec: PanelSpec, index: int, theme: str, params: Mapping[str, object]) -> PanelView | None:
    """The current portfolio's headline KPI cards with the count per status."""
    ov = build_overview(ctx)
    if ov is None:
        return None
    t = ctx.t
    cards = ov.cards
    body = [status_summary(cards["status"], t) if cards is not None and not cards.empty else None,
            kpi_grid(cards, t, params, interactive=False)]
    return PanelView(title=str(ov.portfolio.get("name") or ov.portfolio.get("code")), body=body, as_of=ov.today,
                     late=_late(cards))


def map_panel(ctx: Context, spec: PanelSpec, index: int, theme: str, params: Mapping[str, object]) -> PanelView | None:
    """The regions map of ``spec.code`` (default: the first indicator with regional data)."""
    region_map = build_region_map(ctx, spec.code)
    if region_map is None or (spec.code and str(region_map.indicator.get("code")).upper() != spec.code):
        return None
    t = ctx.t
    content = map_content(region_map, t, height=FIGURE_HEIGHT)
    content = dataclasses.replace(content, figure=room_figure(content.figure, theme))
    name = str(region_map.indicator.get("name") or region_map.indicator.get("code"))
    body = chart(content, t=t, chart_id=f"room-map-{index}", spec=map_spec(region_map, t, params),
                 description=t("regions.map_alt", indicator=name, year=region_map.year), class_name="nt-room__chart")
    return PanelView(title=name, body=body, as_of=region_map.today)


def program_panel(ctx: Context, spec: PanelSpec, index: int, theme: str, params: Mapping[str, object]) -> PanelView | None:
    """A program: its counts (goals, off track, projects, instructions) and its goals with status and reason."""
    view = build_node(ctx, spec.code or "")
    if view is None or view.node.get("level") != "program":
        return None
    t = ctx.t
    node = view.node
    body = [program_stats(view, t, build_program_extras(ctx, spec.code or "")),
            html.Div(goals_table(worst_first(view.cards), t), className="nt-card nt-card--flush")]
    return PanelView(title=str(node.get("name") or spec.code), body=body, as_of=ctx.today, late=_late(view.cards),
                     status=node.get("status"), reason=node.get("reason_text"))


def region_panel(ctx: Context, spec: PanelSpec, index: int, theme: str, params: Mapping[str, object]) -> PanelView | None:
    """A region (the akim's view): its KPIs against the nation, rank and status, and its instructions."""
    view = build_region(ctx, spec.code or "")
    if view is None:
        return None
    t = ctx.t
    counts = view.instruction_counts or {}
    stats = stat_list([(t("room.region.instructions_open"), counts.get("open", 0), ""),
                       (t("room.region.instructions_overdue"), counts.get("overdue", 0), "nt-count--bad"),
                       (t("room.region.projects"), 0 if view.projects is None else len(view.projects), "")], t)
    kpis = view.kpis
    table = kpi_table(kpis, t, params) if kpis is not None and not kpis.empty else html.P(
        t("room.region.no_kpis"), className="nt-empty")
    program = view.program or {}
    return PanelView(title=str(view.region.get("name") or spec.code), body=[stats, table], as_of=view.today,
                     late=_late(kpis), status=program.get("status"), reason=program.get("reason_text"))


def instructions_panel(ctx: Context, spec: PanelSpec, index: int, theme: str,
                       params: Mapping[str, object]) -> PanelView | None:
    """Instructions: counts, who holds the most overdue ones, and the longest overdue."""
    t = ctx.t
    counts = view_counts(ctx)
    stats = stat_list([(t("room.instructions.all"), counts["all"], ""),
                       (t("room.instructions.due_week"), counts["due_week"], "nt-count--warn"),
                       (t("room.instructions.overdue"), counts["overdue"], "nt-count--bad")], t)
    listing = build_instructions(ctx, "overdue_assignee")
    groups = listing.groups if listing.groups is not None else pd.DataFrame()
    groups = groups.sort_values(["overdue", "oldest_due"], ascending=[False, True]).head(PANEL_ROWS) \
        if not groups.empty else groups
    people = html.Table(
        [html.Thead(html.Tr([html.Th(t("room.instructions.assignee")), html.Th(t("room.instructions.overdue")),
                             html.Th(t("room.instructions.oldest"))])),
         html.Tbody([html.Tr([html.Td([html.Strong(g["name"]), html.Div(g["post"] or "", className="nt-muted")]),
                              html.Td(t.number(g["overdue"], 0), className="nt-room__num nt-count--bad"),
                              html.Td(t("room.days_overdue", days=t.number(g["days_overdue"], 0)))])
                     for _, g in groups.iterrows()])],
        className="nt-room__table",
    ) if not groups.empty else html.P(t("room.instructions.none_overdue"), className="nt-empty")
    ov = build_overview(ctx)
    oldest = ov.overdue.sort_values(["days_overdue", "code"], ascending=[False, True]).head(PANEL_ROWS) \
        if ov is not None else pd.DataFrame()
    longest = html.Ol([html.Li([html.Span(t("room.days_overdue", days=t.number(i["days_overdue"], 0)),
                                          className="nt-room__days"),
                                html.Span(str(i["text"]), className="nt-room__text"),
                                html.Span(str(i["assignee_name"] or ""), className="nt-muted")])
                       for _, i in oldest.iterrows()], className="nt-room__list") if not oldest.empty else None
    body = [stats, html.Div([html.Div([html.H3(t("room.instructions.by_assignee"), className="nt-room__subtitle"),
                                       people]),
                             html.Div([html.H3(t("room.instructions.longest"), className="nt-room__subtitle"),
                                       longest]) if longest is not None else None],
                            className="nt-room__columns")]
    return PanelView(title=t("room.instructions.title"), body=body, as_of=ctx.today)


def ledger_panel(ctx: Context, spec: PanelSpec, index: int, theme: str, params: Mapping[str, object]) -> PanelView | None:
    """The responsibility ledger: chain status, latest checkpoint, the newest entries in words."""
    t = ctx.t
    page = build_ledger_page(ctx, ledger_query())
    entries = page.entries.head(PANEL_ROWS)
    latest = html.Ol([html.Li([html.Span(f"№ {t.number(int(e['seq']), 0)}", className="nt-room__seq"),
                               html.Span(str(e["kind_name"]), className="nt-room__kind"),
                               html.Span(str(e["summary"]), className="nt-room__text"),
                               html.Span(str(e["time_text"]), className="nt-muted")])
                      for _, e in entries.iterrows()], className="nt-room__list")
    body = html.Div([html.Div([status_card(page.status, t), checkpoint_card(page.status, t)], className="nt-room__stack"),
                     html.Div([html.H3(t("room.ledger.latest"), className="nt-room__subtitle"), latest])],
                    className="nt-room__columns")
    return PanelView(title=t("room.ledger.title"), body=body, as_of=ctx.today,
                     late=1 if page.status.state == "stale" else 0, status=page.status.status)


PANEL_VIEWS: dict[str, Callable[..., PanelView | None]] = {
    "overview": overview_panel, "map": map_panel, "program": program_panel, "region": region_panel,
    "instructions": instructions_panel, "ledger": ledger_panel,
}


def panel_view(ctx: Context, spec: PanelSpec, index: int, theme: str, params: Mapping[str, object]) -> PanelView:
    """The panel ``spec`` (ids made unique for the wall); a "not found" panel when its code does not exist
    for this viewer (unknown, or outside the viewer's scope)."""
    t = ctx.t
    view = PANEL_VIEWS[spec.kind](ctx, spec, index, theme, params)
    if view is None:
        return PanelView(title=spec.token, as_of=None, body=message_panel(
            t("room.not_found.heading"), t("room.not_found", panel=spec.token),
            back_href=overview_href(params), back_label=t("notfound.back"), icon="?"))
    return dataclasses.replace(view, body=without_string_ids(view.body))


# --- the pieces of the wall ------------------------------------------------------------------------------------

def now_in_almaty() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).astimezone(ALMATY)


def clock_words(t: Translator) -> dict[str, Any]:
    """What the clock is written with in ``t``'s language: the pattern (``room.clock``), month names
    (January first) and weekday names (Monday first) from the locale's data. ``room.js`` uses the
    same words, so the clock does not depend on the browser's locale data (Chromium has none for kk)."""
    months = t.locale.months["format"]["wide"]
    days = t.locale.days["format"]["wide"]
    return {"pattern": t("room.clock"), "months": [months[m] for m in range(1, 13)],
            "weekdays": [days[d] for d in range(7)]}


def clock_text(now: dt.datetime, t: Translator) -> str:
    """``now`` (in Asia/Almaty) as the wall clock shows it, e.g. ``Saturday 28 November · 03:39:22``."""
    words = clock_words(t)
    return words["pattern"].format(weekday=words["weekdays"][now.weekday()], day=now.day,
                                   month=words["months"][now.month - 1], time=now.strftime("%H:%M:%S"))


def panel_meta(view: PanelView, t: Translator, checked: dt.datetime) -> list[Any]:
    """The panel's corner: the day its figures refer to, when the display last confirmed them current
    (``room.js`` moves this forward at every successful poll), and a badge when data is late."""
    parts: list[Any] = []
    if view.as_of is not None:
        parts.append(html.Span(t("room.as_of", date=date_text(view.as_of, t)), className="nt-room__asof"))
    parts.append(html.Time(t("room.checked", time=checked.strftime("%H:%M:%S")), className="nt-room__checked",
                           dateTime=checked.isoformat(timespec="seconds")))
    if view.late:
        parts.append(html.Span(t("room.late", count=t.number(view.late, 0)), className="nt-room__badge nt-room__badge--late"))
    parts.append(html.Span(t("room.stale"), className="nt-room__badge nt-room__badge--stale", hidden=True))
    return parts


def panel_heading(view: PanelView, t: Translator) -> list[Any]:
    """The panel's title and, when it has one, its status (the reason as hover text)."""
    return [html.H2(view.title, className="nt-room__title"),
            status_badge(view.status, t, reason=view.reason, size="lg") if view.status else None]


def alert_text(row: Mapping[str, Any], t: Translator) -> str:
    """One ticker item in words (the kind's message with the alert's fields)."""
    if row["kind"] == "overdue":
        return t("room.alert.overdue", subject=row["subject"], who=row["who"] or "–",
                 days=t.number(row["days"], 0))
    if row["kind"] == "stale":
        return t("room.alert.stale", subject=row["subject"], who=row["who"] or "–",
                 state=t(f"freshness.{row['place']}"))
    return t("room.alert.red_goal", subject=row["subject"], place=row["place"] or "–", who=row["who"] or "–")


def ticker(alerts: pd.DataFrame, counts: Mapping[str, int], t: Translator) -> list[Any]:
    """The ticker's content: the counts, then each alert (``data-key`` lets the display mark new ones)."""
    summary = html.Li([html.Strong(t("room.ticker.summary", red=t.number(counts.get("red_goal", 0), 0),
                                     overdue=t.number(counts.get("overdue", 0), 0),
                                     stale=t.number(counts.get("stale", 0), 0)))],
                      className="nt-room__alert nt-room__alert--summary")
    items = [html.Li([html.Span(t(f"room.alert_kind.{row['kind']}"), className=f"nt-room__kind nt-room__kind--{row['kind']}"),
                      html.Span(t("room.new"), className="nt-room__new"),
                      html.Span(alert_text(row, t))],
                     className=f"nt-room__alert nt-room__alert--{row['kind']}", **{"data-key": row["key"]})
             for row in alerts.to_dict("records")]
    if not items:
        items = [html.Li(t("room.ticker.none"), className="nt-room__alert")]
    return [summary, *items]


def panel_section(view: PanelView, index: int, t: Translator, checked: dt.datetime) -> html.Section:
    heading_id = f"room-panel-{index}-title"
    return html.Section(
        [html.Header([html.Div(panel_heading(view, t), id=ids.room_panel_head_id(index), className="nt-room__heading"),
                      html.Div(panel_meta(view, t, checked), id=ids.room_panel_meta_id(index), className="nt-room__meta")],
                     className="nt-room__panel-head", **{"aria-labelledby": heading_id}),
         html.Div(view.body, id=ids.room_panel_body_id(index), className="nt-room__panel-body")],
        className="nt-room__panel" + (" is-active" if index == 0 else ""),
        **{"data-index": str(index), "aria-roledescription": t("room.panel"), "aria-hidden": "false" if index == 0 else "true"},
    )


def problems_line(config: RoomConfig, t: Translator) -> html.P | None:
    """What the URL asked that the room ignored or adjusted (so a typo is seen, not guessed at)."""
    if not config.problems:
        return None
    texts = []
    for problem in config.problems:
        detail = problem.detail if isinstance(problem.detail, Mapping) else {"detail": problem.detail}
        texts.append(t(problem.code, value=problem.value, **{k: v for k, v in detail.items() if v is not None}))
    return html.P(" · ".join(texts), id=ids.ROOM_PROBLEMS, className="nt-room__problems", role="status")


def room_view(ctx: Context, config: RoomConfig, params: Mapping[str, object], *, version: int,
              now: dt.datetime | None = None) -> html.Div:
    """The whole wall for ``config``: bar (brand, panel dots, connection state, clock), panels, ticker.

    The ``data-*`` attributes are what ``assets/room.js`` needs: timings, the data version shown, the
    language and the few words it writes itself."""
    t = ctx.t
    now = now or now_in_almaty()
    views = [panel_view(ctx, spec, index, config.theme, params) for index, spec in enumerate(config.panels)]
    dots = html.Ol([html.Li(html.Button(
        html.Span(view.title, className="visually-hidden"), type="button", className="nt-room__dot",
        title=view.title, **{"data-index": str(i), "aria-current": "true" if i == 0 else "false"}))
        for i, view in enumerate(views)], className="nt-room__dots", **{"aria-label": t("room.panels")})
    bar = html.Header([
        html.Div([html.Span("н", className="nt-brand__mark", **{"aria-hidden": "true"}),
                  html.Span("natije", className="nt-brand__word")], className="nt-room__brand"),
        dots,
        html.Span(t("room.reconnecting"), id=ids.ROOM_CONNECTION, className="nt-room__connection", hidden=True,
                  role="status"),
        html.Span(t("demo.badge"), className="nt-room__demo", title=t("demo.title")) if ctx.is_demo else None,
        html.Time(clock_text(now, t), id=ids.ROOM_CLOCK, className="nt-room__clock",
                  dateTime=now.isoformat(timespec="seconds")),
    ], className="nt-room__bar")
    panels = html.Main([panel_section(view, i, t, now) for i, view in enumerate(views)], id=ids.ROOM_PANELS,
                       className="nt-room__panels", **{"aria-live": "off"})
    alerts = html.Footer(
        [html.H2(t("room.ticker.title"), className="visually-hidden"),
         html.Div(html.Ul(ticker(room_alerts(ctx), alert_counts(ctx), t), id=ids.ROOM_TICKER, className="nt-room__ticker"),
                  className="nt-room__ticker-window")],
        className="nt-room__footer", **{"aria-label": t("room.ticker.title")})
    data = {
        "data-rotate": str(config.rotate), "data-refresh": str(config.refresh), "data-reload": str(config.reload),
        "data-version": str(version),
        "data-text-stale": t("room.stale"), "data-text-checked": t("room.checked", time="{time}"),
        "data-clock": json.dumps(clock_words(t), ensure_ascii=False),
    }
    return html.Div([dcc.Store(id=ids.ROOM_CONFIG, data=config.as_data()), dcc.Store(id=ids.ROOM_SIGNAL),
                     dcc.Store(id=ids.ROOM_DIGESTS, data=[panel_digest(view) for view in views]),
                     html.Span(str(version), id=ids.ROOM_SHOWN, className="nt-room__shown", hidden=True),
                     bar, problems_line(config, t), panels, alerts],
                    id=ids.ROOM, className=f"nt-room nt-room--{config.theme}", **data)


def render(params: Mapping[str, object]) -> html.Div:
    """The room the URL describes, as of now: a wall is live, so ``?as_of=`` does not apply (the
    refresh would not keep it either)."""
    ctx = page_context({"lang": params.get("lang")})
    return room_view(ctx, parse_room(params), params, version=room_status(ctx.engine)["data_version"])


# --- live data -----------------------------------------------------------------------------------------------

@callback(
    Output({"type": ids.ROOM_PANEL_HEAD, "index": ALL}, "children"),
    Output({"type": ids.ROOM_PANEL_META, "index": ALL}, "children"),
    Output({"type": ids.ROOM_PANEL_BODY, "index": ALL}, "children"),
    Output(ids.ROOM_TICKER, "children"),
    Output(ids.ROOM_SHOWN, "children"),
    Output(ids.ROOM_DIGESTS, "data"),
    Input(ids.ROOM_SIGNAL, "data"),
    State(ids.ROOM_CONFIG, "data"),
    State(ids.ROOM_DIGESTS, "data"),
    State(ids.PAGE_LANG, "data"),
    prevent_initial_call=True,
)
def refresh_room(_signal: Any, config_data: Any, drawn: Any, lang: Any) -> tuple:
    """Redraw the wall after ``room.js`` saw a new data version (:func:`room_update`). The config
    comes back from the client, so it is validated again (the same parser as the URL); the panels
    drawn must be the ones on the page (same count), else nothing changes."""
    config = config_from_data(config_data)
    slots = dash.callback_context.outputs_list[2] if dash.callback_context.outputs_list else []
    if len(slots) != len(config.panels):
        raise PreventUpdate
    params = {"lang": lang if isinstance(lang, str) else None}
    return room_update(page_context(params), config, params, drawn if isinstance(drawn, list) else None)


def panel_digest(view: PanelView) -> str:
    """SHA-256 of what a panel draws (its heading and body as sent to the browser)."""
    text = json.dumps([view.title, view.status, view.reason, view.body], cls=PlotlyJSONEncoder, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def room_update(ctx: Context, config: RoomConfig, params: Mapping[str, object],
                drawn: Sequence[Any] | None = None) -> tuple:
    """Every panel's heading, corner and body, the ticker, the data version they show (read before
    drawing: a change meanwhile is drawn at the next poll) and the panels' digests. A panel whose
    digest equals the one ``drawn`` (what the browser has) is left as it is (``no_update``): a new
    data version usually changes a few figures, and an unchanged map or table is not drawn again."""
    version = room_status(ctx.engine)["data_version"]
    t = ctx.t
    now = now_in_almaty()
    views = [panel_view(ctx, spec, index, config.theme, params) for index, spec in enumerate(config.panels)]
    digests = [panel_digest(v) for v in views]
    before = list(drawn) if drawn is not None and len(drawn) == len(views) else [None] * len(views)
    same = [digest == old for digest, old in zip(digests, before)]
    return ([dash.no_update if keep else panel_heading(v, t) for v, keep in zip(views, same)],
            [panel_meta(v, t, now) for v in views],
            [dash.no_update if keep else v.body for v, keep in zip(views, same)],
            ticker(room_alerts(ctx), alert_counts(ctx), t), str(version), digests)


# --- what the display polls --------------------------------------------------------------------------------------

def install(server: Flask) -> None:
    """``GET /room/status``: ``{"data_version": n, "server_time": "..."}``, never cached. One indexed
    read: what every wall asks every ``refresh`` seconds. 503 ``{"error": ...}`` while the store does
    not answer, so the walls show "reconnecting" until it does."""

    @server.get("/room/status")
    def room_status_route():  # type: ignore[no-untyped-def]
        from services.runtime import runtime

        try:
            response = jsonify(room_status(runtime().engine))
        except StoreUnavailable:
            log.exception("room status: the store does not answer")
            response = jsonify({"error": "store unavailable"})
            response.status_code = 503
        response.headers["Cache-Control"] = "no-store"
        return response
