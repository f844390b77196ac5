"""The overview page's view (a pure function of a ``services.overview.Overview``) and its callback.

``overview.py`` (the registered page) only parses the URL and calls :func:`render`.
"""

from __future__ import annotations

from typing import Any, Mapping

import dash
import pandas as pd
from dash import ALL, Input, Output, State, callback, dcc, html

from dashboards import _ids as ids
from dashboards._briefing import briefing_button
from dashboards._commentary import page_words
from dashboards._components import (
    alert_strip,
    kpi_grid,
    message_panel,
    next_alert_states,
    off_track_table,
    overdue_table,
    page_header,
    program_grid,
    stale_table,
    status_summary,
)
from dashboards._shell import page_context
from dashboards._urls import first, overview_href
from services.formatting import date_text, val
from services.i18n import Translator
from services.overview import Overview, build_overview


def portfolio_selector(portfolios: pd.DataFrame, current: str, t: Translator,
                       params: Mapping[str, object]) -> html.Nav | None:
    """Links (not a form) to each portfolio: ``?portfolio=CODE`` keeping the language; keyboard-plain."""
    if portfolios is None or len(portfolios) < 2:
        return None
    items = []
    for _, row in portfolios.iterrows():
        code = str(row["code"])
        is_current = code.upper() == current.upper()
        kwargs: dict[str, Any] = {"aria-current": "page"} if is_current else {}
        items.append(html.Li(
            dcc.Link(val(row, "name", code), href=overview_href(params, code),
                     className="nt-seg__link" + (" is-current" if is_current else ""), title=code),
            className="nt-seg__item", **kwargs,
        ))
    return html.Nav(html.Ul(items, className="nt-seg list-unstyled mb-0"), id=ids.PORTFOLIO_SELECTOR,
                    className="nt-seg-wrap", **{"aria-label": t("overview.portfolio_selector")})


def _section(title: str, section_id: str, children: Any, *, aside: Any = None) -> html.Section:
    heading_id = f"{section_id}-heading"
    return html.Section(
        [html.Div([html.H2(title, id=heading_id, className="nt-section__title"),
                   html.Div(aside, className="nt-section__aside") if aside is not None else None],
                  className="nt-section__head"),
         children],
        className="nt-section", **{"aria-labelledby": heading_id},
    )


def overview_view(ov: Overview | None, t: Translator, params: Mapping[str, object], words: Any = None) -> Any:
    """The whole page for ``ov``; a not-found panel when ``ov`` is None (unknown ``?portfolio=``).
    ``words``: the owners' words on the headline goals (``dashboards._commentary.PageWords``), or None."""
    requested = first(params.get("portfolio"))
    if ov is None:
        return message_panel(
            t("notfound.portfolio_heading"), t("notfound.portfolio", code=requested or "–"),
            back_href=overview_href(params, None), back_label=t("notfound.back"), icon="?",
        )
    p = ov.portfolio
    code = str(p.get("code", ""))
    lines = []
    if p.get("owner_name"):
        lines.append(t("overview.owner", name=p["owner_name"], post=p["owner_post"]) if p.get("owner_post")
                     else t("overview.owner_name", name=p["owner_name"]))
    if p.get("start_date") or p.get("end_date"):
        lines.append(t("overview.period", start=date_text(p.get("start_date"), t), end=date_text(p.get("end_date"), t)))
    lines.append(t("overview.as_of", date=date_text(ov.today, t)))
    header = page_header(str(p.get("name", code)), eyebrow=t("overview.eyebrow"), lines=lines)
    selector = portfolio_selector(ov.portfolios, code, t, params)

    alerts = alert_strip({
        "off_track": (len(ov.off_track), off_track_table(ov.off_track, t, params, code)),
        "overdue": (len(ov.overdue), overdue_table(ov.overdue, t)),
        "stale": (len(ov.stale), stale_table(ov.stale, t)),
    }, t)
    cards = ov.cards
    word = (lambda row: words.slot(row["node"], row["indicator"], t, status=row["status"], name=row["name"],
                                   variant="compact")) if words is not None else None
    kpis = _section(t("overview.kpis.heading"), "kpis", kpi_grid(cards, t, params, word),
                    aside=status_summary(cards["status"], t) if cards is not None and not cards.empty else None)
    programs = _section(t("overview.programs.heading"), "programs", program_grid(ov.programs, t, params),
                        aside=status_summary(ov.programs["status"], t)
                        if ov.programs is not None and not ov.programs.empty else None)
    return html.Div([selector, header, briefing_button(t, params, node=code), alerts, kpis, programs],
                    className="nt-page nt-page--overview",
                    **{"data-portfolio": code, "data-version": str(ov.data_version)})


def render(params: Mapping[str, object]) -> Any:
    """Query (through the service) and render the overview for the URL's parameters."""
    ctx = page_context(params)
    ov = build_overview(ctx, first(params.get("portfolio")))
    return overview_view(ov, ctx.t, params, page_words(ctx, ov.cards) if ov is not None else None)


@callback(
    Output({"type": ids.ALERT_PANEL, "key": ALL}, "is_open"),
    Output({"type": ids.ALERT_BUTTON, "key": ALL}, "aria-expanded"),
    Input({"type": ids.ALERT_BUTTON, "key": ALL}, "n_clicks"),
    State({"type": ids.ALERT_PANEL, "key": ALL}, "is_open"),
    State({"type": ids.ALERT_PANEL, "key": ALL}, "id"),
    prevent_initial_call=True,
)
def toggle_alert_panels(_clicks: list[int | None], open_states: list[bool | None],
                        panel_ids: list[dict]) -> tuple[list[bool], list[str]]:
    """A click on an alert count opens its list (and closes the others); a second click closes it."""
    triggered = dash.ctx.triggered_id
    kind = triggered.get("key") if isinstance(triggered, Mapping) else None
    kinds = [pid.get("key") for pid in panel_ids]
    states = next_alert_states(kind, kinds, open_states)
    return states, ["true" if s else "false" for s in states]
