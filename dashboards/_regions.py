"""``/regions``: the choropleth of a regional indicator with the ranking table beside it.

The URL is the state: ``?indicator=&year=&per_capita=1`` (with ``lang`` and ``as_of``). The controls
do not hold state of their own: choosing an indicator or a year sets the URL (the page's
``dcc.Location``), the per-capita switch is a pair of links, and the page is rendered from the URL,
so reloading or sending the link reproduces the view. A click on a region of any map (this page, the
program page) opens ``/regions/<code>``; the ranking table links every region too (the keyboard way).

The view is a pure function of a ``services.regions.RegionMap``; :func:`render` asks the service.
"""

from __future__ import annotations

from typing import Any, Mapping

import dash
import pandas as pd
from dash import ALL, Input, Output, State, callback, dcc, html

from dashboards import _ids as ids
from dashboards._chart import chart, chart_spec, number_formatter, plotly_separators
from dashboards._components import breadcrumb, message_panel, page_header, page_section, table
from dashboards._figures import region_choropleth
from dashboards._grid import current_params
from dashboards._shell import page_context
from dashboards._urls import first, overview_href, parse_flag, parse_int, region_href, regions_href
from services.exports import ChartContent, ChartSpec
from services.formatting import finite, date_text, format_value, period_text, val
from services.i18n import Translator
from services.regions import MAP_ROW_COLUMNS, build_region_map


def map_units(region_map: Any, t: Translator) -> str:
    """The unit of the shown values (the service's ``value_unit_label``: per 10,000 people when per capita)."""
    indicator = region_map.indicator
    if indicator.get("value_unit_label"):
        return str(indicator["value_unit_label"])
    if region_map.per_capita:
        return t("regions.per_10k")
    return str(indicator.get("unit_label") or indicator.get("unit") or "")


def map_decimals(region_map: Any) -> int:
    """Decimals of the shown values (the service's ``value_decimals``)."""
    indicator = region_map.indicator
    value = indicator.get("value_decimals", indicator.get("decimals"))
    return int(value) if value is not None else (2 if region_map.per_capita else 1)


def map_filters(region_map: Any, t: Translator) -> list[tuple[str, Any]]:
    """The filters in force on a map: the year, absolute or per capita."""
    return [(t("filter.year"), region_map.year),
            (t("filter.values"), t("regions.per_capita") if region_map.per_capita else t("regions.absolute"))]


def rank_text(rank: Any, total: int, t: Translator) -> str:
    number = finite(rank)
    return t("regions.rank_of", rank=int(number), total=total) if number is not None else t("regions.no_rank")


def map_content(region_map: Any, t: Translator, *, height: int = 470) -> ChartContent:
    """The choropleth of ``region_map`` (``_figures.region_choropleth``) with its card's words; data:
    the map's rows (``services.regions.MAP_ROW_COLUMNS``), ranked first."""
    indicator = region_map.indicator
    rows = region_map.rows
    ranked = int(rows["rank"].notna().sum()) if rows is not None and not rows.empty else 0
    units = map_units(region_map, t)
    decimals = map_decimals(region_map)
    name = str(indicator.get("name") or indicator.get("code", ""))
    figure = region_choropleth(
        rows, region_map.geojson, title=name, units=units, direction=str(indicator.get("direction") or "up"),
        fmt=number_formatter(t, decimals), rank_text=lambda rank: rank_text(rank, ranked, t),
        no_value=t("regions.no_value"), separators=plotly_separators(t), height=height,
    )
    data = rows[list(MAP_ROW_COLUMNS)].reset_index(drop=True) if rows is not None else pd.DataFrame(
        columns=list(MAP_ROW_COLUMNS))
    return ChartContent(figure, title=name, units=units, source=indicator.get("agency_name") or indicator.get("source"),
                        as_of=region_map.today, filters=tuple(map_filters(region_map, t)), data=data)


def map_spec(region_map: Any, t: Translator, params: Mapping[str, object] | None) -> ChartSpec:
    """The export spec of the map of ``region_map`` (indicator, year, per capita as shown)."""
    return chart_spec("map", params, t, indicator=region_map.indicator.get("code"), year=int(region_map.year),
                      per_capita=bool(region_map.per_capita))


def map_block(region_map: Any, t: Translator, params: Mapping[str, object], *, chart_id: str = ids.REGIONS_MAP_KEY,
              height: int = 470) -> html.Figure:
    """The choropleth of ``region_map`` through the chart component (title, units, source, as-of,
    filters, exports); a click on a region opens its page."""
    indicator = region_map.indicator
    name = str(indicator.get("name") or indicator.get("code", ""))
    notes = [t("regions.darker_better"), t("regions.click_hint")]
    return chart(map_content(region_map, t, height=height), t=t, chart_id=chart_id,
                 spec=map_spec(region_map, t, params),
                 description=t("regions.map_alt", indicator=name, year=region_map.year), notes=notes)


def ranking_table(region_map: Any, t: Translator, params: Mapping[str, object]) -> html.Div:
    """Rank, region (a link to its page), value, gap to the national value (▲ better, ▼ worse in the
    indicator's direction), population; regions without a value last, with the reason."""
    rows = region_map.rows
    units = map_units(region_map, t)
    decimals = map_decimals(region_map)
    body = []
    for _, r in rows.iterrows():
        value = finite(val(r, "value"))
        gap = finite(val(r, "gap"))
        if gap is None:
            gap_cell: Any = "–"
        else:
            word = t("regions.better") if gap > 0 else t("regions.worse") if gap < 0 else t("regions.same")
            arrow = "▲" if gap > 0 else "▼" if gap < 0 else "="
            gap_cell = html.Span([html.Span(arrow, **{"aria-hidden": "true"}), " ",
                                  format_value(abs(gap), t, decimals=decimals),
                                  html.Span(f" {word}", className="visually-hidden")],
                                 className=f"nt-gap nt-gap--{'up' if gap > 0 else 'down' if gap < 0 else 'same'}",
                                 title=word)
        code = str(val(r, "region", ""))
        link = dcc.Link(str(val(r, "name", code)), href=region_href(code, params), className="nt-rank__link")
        note = val(r, "note")
        rank = finite(val(r, "rank"))
        body.append([
            str(int(rank)) if rank is not None else "–",
            [link, html.Div(note, className="nt-reason small")] if note else link,
            format_value(value, t, decimals=decimals) if value is not None else "–",
            gap_cell,
        ])
    national = finite(region_map.national)
    caption = t("regions.ranking.caption", indicator=region_map.indicator.get("name", ""), year=region_map.year)
    head = [t("col.rank"), t("col.region"), t("col.value_in", units=units) if units else t("col.value"),
            t("col.gap")]
    parts: list[Any] = [
        html.H3(t("regions.ranking.heading"), className="nt-subtitle"),
        html.P(t("regions.national", value=format_value(national, t, decimals=decimals), units=units)
               if national is not None else t("regions.national_none"), className="nt-muted small mb-2"),
        html.Div(table(head, body, caption=caption, numeric=(0, 2, 3)), className="nt-ranking__scroll"),
        html.P(t("regions.gap_note"), className="nt-muted small mt-2 mb-0"),
    ]
    return html.Div(parts, id=ids.REGIONS_RANKING, className="nt-card nt-ranking")


def dropdown_labels(t: Translator) -> dict[str, str]:
    """The words of a Dash 4 dropdown (search box, no match, clear) in the page's language."""
    return {"search": t("dropdown.search"), "no_options_found": t("dropdown.no_options"),
            "clear_search": t("dropdown.clear_search"), "clear_selection": t("dropdown.clear")}


def controls(region_map: Any, t: Translator, params: Mapping[str, object]) -> html.Div:
    """Indicator and year (dropdowns that set the URL), absolute / per capita (two links)."""
    indicator = region_map.indicator
    options = [{"label": str(row["name"]), "value": str(row["code"])} for _, row in region_map.options.iterrows()]
    years = [{"label": str(year), "value": int(year)} for year in region_map.years]
    code = str(indicator.get("code"))
    per_capita_ok = bool(indicator.get("per_capita_available"))
    seg = []
    for flag, label in ((False, t("regions.absolute")), (True, t("regions.per_capita"))):
        current = bool(region_map.per_capita) == flag
        kwargs: dict[str, Any] = {"aria-current": "true"} if current else {}
        if flag and not per_capita_ok:
            seg.append(html.Li(html.Span(label, className="nt-seg__link is-disabled", title=t("regions.per_capita_na"),
                                         **{"aria-disabled": "true"}), className="nt-seg__item"))
            continue
        seg.append(html.Li(dcc.Link(label, href=regions_href(params, indicator=code, year=region_map.year,
                                                             per_capita=flag),
                                    className="nt-seg__link" + (" is-current" if current else "")),
                           className="nt-seg__item", **kwargs))
    return html.Div(
        [html.Div([html.Label(t("regions.indicator"), htmlFor=ids.REGIONS_INDICATOR, className="nt-control__label",
                              id=f"{ids.REGIONS_INDICATOR}-label"),
                   dcc.Dropdown(id=ids.REGIONS_INDICATOR, options=options, value=code, clearable=False,
                                searchable=True, labels=dropdown_labels(t), className="nt-dropdown")],
                  className="nt-control nt-control--wide"),
         html.Div([html.Label(t("regions.year"), htmlFor=ids.REGIONS_YEAR, className="nt-control__label",
                              id=f"{ids.REGIONS_YEAR}-label"),
                   dcc.Dropdown(id=ids.REGIONS_YEAR, options=years, value=int(region_map.year), clearable=False,
                                searchable=False, labels=dropdown_labels(t), className="nt-dropdown")],
                  className="nt-control"),
         html.Div([html.Span(t("regions.values"), className="nt-control__label", id=f"{ids.REGIONS_PER_CAPITA}-label"),
                   html.Ul(seg, className="nt-seg list-unstyled mb-0", id=ids.REGIONS_PER_CAPITA,
                           **{"aria-labelledby": f"{ids.REGIONS_PER_CAPITA}-label"})],
                  className="nt-control")],
        className="nt-card nt-controls", role="group", **{"aria-label": t("regions.controls")},
    )


def regions_view(region_map: Any, t: Translator, params: Mapping[str, object]) -> Any:
    """The whole ``/regions`` page for ``region_map``; a not-found panel for an unknown indicator."""
    if region_map is None:
        return message_panel(t("notfound.indicator_heading"),
                             t("notfound.indicator", code=first(params.get("indicator")) or "–"),
                             back_href=regions_href(params), back_label=t("regions.back"), icon="?")
    indicator = region_map.indicator
    name = str(indicator.get("name") or indicator.get("code"))
    period = indicator.get("period") or region_map.year
    lines = [t("regions.lines.period", period=period_text(period, t)),
             t("overview.as_of", date=date_text(region_map.today, t))]
    if indicator.get("agency_name"):
        lines.insert(1, t("program.agency", agency=indicator["agency_name"]))
    header = page_header(name, eyebrow=t("regions.eyebrow"), lines=lines)
    crumbs = breadcrumb([(t("nav.overview"), overview_href(params)), (t("nav.regions"), None)], t)
    body = html.Div([html.Div(map_block(region_map, t, params), className="nt-map-col"),
                     html.Div(ranking_table(region_map, t, params), className="nt-rank-col")],
                    className="nt-map-row")
    rows = region_map.rows
    shown = int(rows["value"].notna().sum()) if rows is not None and not rows.empty else 0
    return html.Div(
        [crumbs, header, controls(region_map, t, params),
         page_section(t("regions.section", indicator=name), "regions-body", body)],
        id=ids.REGIONS_PAGE, className="nt-page nt-page--regions",
        **{"data-indicator": str(indicator.get("code")), "data-year": str(region_map.year),
           "data-per-capita": "1" if region_map.per_capita else "0", "data-regions": str(len(rows)),
           "data-with-value": str(shown)},
    )


def render(params: Mapping[str, object]) -> Any:
    """Query (through the service) and render the map for the URL's ``indicator``, ``year``, ``per_capita``."""
    ctx = page_context(params)
    region_map = build_region_map(ctx, first(params.get("indicator")), parse_int(params.get("year")),
                                  parse_flag(params.get("per_capita")))
    return regions_view(region_map, ctx.t, params)


# --- callbacks: the controls set the URL; a click on a region opens it --------------------------------

def regions_target(indicator: Any, year: Any, triggered: str | None, search: str | None) -> str | None:
    """The URL after choosing ``indicator`` or ``year``: a new indicator starts at its latest year;
    per capita and the carried parameters stay. None when nothing changes."""
    params = current_params(search)
    current_indicator, current_year = params.get("indicator"), parse_int(params.get("year"))
    per_capita = parse_flag(params.get("per_capita"))
    if triggered == ids.REGIONS_INDICATOR:
        if not indicator or str(indicator) == current_indicator:
            return None
        return regions_href(params, indicator=str(indicator), per_capita=per_capita)
    if triggered == ids.REGIONS_YEAR:
        year = parse_int(year)
        if year is None or year == current_year:
            return None
        return regions_href(params, indicator=indicator or current_indicator, year=year, per_capita=per_capita)
    return None


@callback(
    Output(ids.NAV_LOCATION, "href", allow_duplicate=True),
    Input(ids.REGIONS_INDICATOR, "value"),
    Input(ids.REGIONS_YEAR, "value"),
    State(ids.NAV_LOCATION, "search"),
    prevent_initial_call=True,
)
def choose_map(indicator: Any, year: Any, search: str | None) -> str:
    """A new indicator or year changes the URL; the page then renders from it."""
    target = regions_target(indicator, year, dash.ctx.triggered_id, search)
    return target or dash.no_update


def clicked_region(click: Mapping[str, Any] | None) -> str | None:
    """The region code of a click on a choropleth (``clickData.points[0].location``), else None."""
    points = (click or {}).get("points") or []
    location = points[0].get("location") if points and isinstance(points[0], Mapping) else None
    return str(location) if isinstance(location, str) and location.isalnum() else None


@callback(
    Output(ids.NAV_LOCATION, "href", allow_duplicate=True),
    Input({"type": ids.CHART_GRAPH, "key": ALL}, "clickData"),
    State(ids.NAV_LOCATION, "search"),
    prevent_initial_call=True,
)
def open_clicked_region(clicks: list, search: str | None) -> str:
    """A click on a region of any map opens ``/regions/<code>`` (other charts' clicks do nothing)."""
    triggered = dash.ctx.triggered_id
    if not isinstance(triggered, Mapping):
        return dash.no_update
    graph_ids = [item["id"] for item in dash.ctx.inputs_list[0]]
    index = graph_ids.index(triggered) if triggered in graph_ids else -1
    code = clicked_region(clicks[index]) if 0 <= index < len(clicks or []) else None
    return region_href(code, current_params(search)) if code else dash.no_update
