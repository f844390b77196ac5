"""``/regions/<code>``: the akim's view of one region (a pure function of a ``services.regions.RegionView``).

The region's KPIs against the national value with its rank among the regions (each a link to the
map of that indicator), the region's place in the ranking of its first KPI, the trend of each KPI,
its territorial program and akim, its projects and their health (the projects grid: a click opens
the project), its instructions, and citizen demand by topic and by month.
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
    breadcrumb,
    message_panel,
    owner_line,
    page_header,
    page_section,
    period_labels,
    stat_list,
    status_badge,
    table,
)
from dashboards._figures import demand_by_topic, demand_trend, kpi_trend, ranking_bar
from dashboards._grid import REGION_GRID_FIELDS, projects_grid
from dashboards._instructions import instructions_section, official_link
from dashboards._regions import map_decimals, map_filters, map_units
from dashboards._shell import page_context
from dashboards._urls import overview_href, program_href, regions_href
from services.exports import ChartContent
from services.formatting import finite, as_int, date_text, format_value, period_text, reason_only, val
from services.i18n import Translator
from services.instructions import region_instructions
from services.regions import build_region, build_region_map, indicator_options

#: How many KPI trends the page draws (small multiples).
TREND_LIMIT = 9


def _units(row: Any, t: Translator) -> str:
    unit = val(row, "unit")
    if unit and str(unit).lower() in ("kzt", "tenge", "₸"):
        return "₸"
    return str(val(row, "unit_label") or (t(f"unit.{unit}") if unit and t.has(f"unit.{unit}") else unit or ""))


def gap_cell(gap: Any, t: Translator, decimals: Any) -> Any:
    """The gap to the national value: ▲ better / ▼ worse (in the indicator's direction), in words too."""
    number = finite(gap)
    if number is None:
        return "–"
    word = t("regions.better") if number > 0 else t("regions.worse") if number < 0 else t("regions.same")
    arrow = "▲" if number > 0 else "▼" if number < 0 else "="
    return html.Span([html.Span(arrow, **{"aria-hidden": "true"}), " ", format_value(abs(number), t, decimals=decimals),
                      html.Span(f" {word}", className="visually-hidden")],
                     className=f"nt-gap nt-gap--{'up' if number > 0 else 'down' if number < 0 else 'same'}", title=word)


def kpi_table(kpis: pd.DataFrame, t: Translator, params: Mapping[str, object], word: Any = None) -> Any:
    """Indicator (with a link to its map), the region's value and period, the national value, the
    gap, the rank among the regions, status with reason (and ``word(row)``, the owner's word, when
    given), target."""
    rows = []
    for _, r in kpis.iterrows():
        decimals = val(r, "decimals", 1)
        unit = val(r, "unit")
        units = _units(r, t)
        value = val(r, "value")
        name = [html.Span(str(val(r, "name", val(r, "indicator", "")))), html.Br(),
                dcc.Link([html.Span("▦ ", **{"aria-hidden": "true"}), t("region.on_map")],
                         href=regions_href(params, indicator=val(r, "indicator")), className="small")]
        value_cell = [html.Strong(format_value(value, t, unit=unit, decimals=decimals)),
                      html.Span(f" {units}" if units and value is not None and units != "₸" else "", className="nt-muted"),
                      html.Br(), html.Small(period_text(val(r, "period"), t) if val(r, "period") else "", className="nt-muted")]
        rank, total = finite(val(r, "rank")), as_int(val(r, "of_regions"))
        status = val(r, "status")
        status_cell: list[Any] = []
        if status:
            status_cell = [status_badge(status, t, reason=val(r, "reason_text"), size="sm"),
                           html.Div(reason_only(val(r, "reason_text"), status, t), className="nt-reason small"),
                           word(r) if word is not None else None]
        target = val(r, "target_value")
        rows.append([
            name, value_cell, format_value(val(r, "national_value"), t, unit=unit, decimals=decimals),
            gap_cell(val(r, "gap"), t, decimals),
            t("regions.rank_of", rank=int(rank), total=total) if rank is not None else "–",
            status_cell or "–",
            [html.Span(format_value(target, t, unit=unit, decimals=decimals)), html.Br(),
             html.Small(str(as_int(val(r, "target_year"), 0) or ""), className="nt-muted")] if target is not None else "–",
        ])
    return table([t("col.indicator"), t("col.region_value"), t("col.national"), t("col.gap"), t("col.rank"),
                  t("col.status"), t("col.target")], rows, caption=t("region.kpis.heading"), numeric=(1, 2, 3),
                 nowrap=(4,))


def trend_content(row: Any, t: Translator, *, region_name: str, today: dt.date | None,
                  source: str | None) -> ChartContent:
    """A KPI's trend in the region (``_figures.kpi_trend``, small) from a ``REGION_KPI_COLUMNS`` row;
    data: ``period``, ``value``, and the ``target`` (its year's) on every row."""
    name = str(val(row, "name", val(row, "indicator", "")))
    units = _units(row, t)
    periods = period_labels(val(row, "spark_periods", []))
    values = val(row, "spark_values", [])
    values = list(values) if values is not None else []
    target = finite(val(row, "target_value"))
    figure = kpi_trend(
        periods, values, title=name, units=units, status=val(row, "status"),
        target=target, target_label=t("chart.goal.target", year=as_int(val(row, "target_year"), 0) or "–"),
        fmt=number_formatter(t, val(row, "decimals", 1)), period_text=lambda label: period_text(label, t),
        separators=plotly_separators(t),
    )
    count = min(len(periods), len(values))
    data = pd.DataFrame({"period": [str(p) for p in periods[:count]], "value": values[:count], "target": target},
                        columns=["period", "value", "target"])
    return ChartContent(figure, title=name, units=units, source=source, as_of=today,
                        filters=((t("filter.region"), region_name),), data=data)


def trend_charts(kpis: pd.DataFrame, t: Translator, *, region_name: str, today: dt.date | None,
                 sources: Mapping[str, str] | None = None, region: str, params: Mapping[str, object] | None = None
                 ) -> html.Div:
    """Each KPI's trend (:func:`trend_content`) as a small chart through the chart component;
    ``sources``: indicator code -> the agency that publishes it; ``region``: the region's code."""
    cards = []
    for _, r in kpis.head(TREND_LIMIT).iterrows():
        name = str(val(r, "name", val(r, "indicator", "")))
        indicator = str(val(r, "indicator"))
        content = trend_content(r, t, region_name=region_name, today=today, source=(sources or {}).get(indicator))
        cards.append(chart(content, t=t, chart_id=f"trend-{indicator}", compact=True,
                           spec=chart_spec("region_trend", params, t, region=region, indicator=indicator),
                           description=t("region.trend_alt", indicator=name, region=region_name)))
    return html.Div(cards, className="nt-trend-grid")


def ranking_content(region_map: Any, code: str, t: Translator) -> ChartContent | None:
    """All regions ranked on one indicator (``_figures.ranking_bar``), region ``code`` highlighted;
    data: ``rank``, ``region``, ``name``, ``value`` of the regions with a value, and the ``national``
    value on every row. None without rows."""
    if region_map is None or region_map.rows is None or region_map.rows.empty:
        return None
    indicator = region_map.indicator
    name = str(indicator.get("name") or indicator.get("code"))
    units = map_units(region_map, t)
    national = finite(region_map.national)
    figure = ranking_bar(region_map.rows, title=name, units=units, national=national,
                         national_label=t("chart.national"), highlight=code,
                         fmt=number_formatter(t, map_decimals(region_map)), separators=plotly_separators(t))
    shown = region_map.rows[region_map.rows["value"].notna()].sort_values("rank")
    data = shown[["rank", "region", "name", "value"]].assign(national=national).reset_index(drop=True)
    return ChartContent(figure, title=name, units=units, source=indicator.get("agency_name") or indicator.get("source"),
                        as_of=region_map.today, filters=tuple(map_filters(region_map, t)), data=data)


def ranking_block(region_map: Any, code: str, t: Translator, params: Mapping[str, object],
                  region_name: str) -> Any:
    """The region's place among all regions on one indicator: the ranking bar, this region highlighted."""
    content = ranking_content(region_map, code, t)
    if content is None:
        return None
    indicator = region_map.indicator
    link = dcc.Link(t("region.open_map"), href=regions_href(params, indicator=indicator.get("code"),
                                                             year=region_map.year))
    spec = chart_spec("ranking", params, t, indicator=indicator.get("code"), region=code, year=int(region_map.year),
                      per_capita=bool(region_map.per_capita))
    return html.Div([
        chart(content, t=t, chart_id="region-ranking", spec=spec,
              description=t("region.ranking_alt", region=region_name, indicator=content.title)),
        html.P(link, className="mt-2"),
    ])


def _header(view: Any, t: Translator, params: Mapping[str, object], words: Any = None) -> html.Header:
    region = view.region
    program = view.program or {}
    lines: list[Any] = []
    lines.append(official_link(owner_line(program.get("owner_name"), program.get("owner_post"), t), program.get("owner"),
                               params))
    if region.get("centre") and region.get("centre") != region.get("name"):
        lines.append(t("region.centre", centre=region["centre"]))
    if region.get("population") is not None and not pd.isna(region.get("population")):
        lines.append(t("region.population", population=t.number(float(region["population"]), 0),
                       year=region.get("population_year") or ""))
    if region.get("predecessor_name"):
        lines.append(t("region.formed_from", name=region["predecessor_name"],
                       date=date_text(region.get("since") or region.get("valid_from"), t)))
    lines.append(t("overview.as_of", date=date_text(view.today, t)))
    aside = None
    if program.get("code"):
        aside = html.Div([
            html.Div(t("region.program"), className="nt-eyebrow"),
            dcc.Link(str(program.get("name") or program["code"]), href=program_href(program["code"], params),
                     className="nt-header-status__program"),
            html.Div(status_badge(program.get("status"), t, reason=program.get("reason_text"), size="lg"),
                     className="mt-2"),
            html.P(reason_only(program.get("reason_text"), program.get("status"), t),
                   className="nt-header-status__reason") if program.get("reason_text") else None,
            words.slot(program["code"], None, t, status=program.get("status"), variant="compact", writable=False)
            if words is not None else None,
        ], className="nt-header-status")
    return page_header(str(region.get("name") or region.get("code")),
                       eyebrow=[t("region.eyebrow"), html.Span(f" · {region.get('code')}", className="nt-code")],
                       lines=lines, aside=aside)


def region_view(view: Any, t: Translator, params: Mapping[str, object], code: str, *,
                ranking: Any = None, sources: Mapping[str, str] | None = None, words: Any = None,
                instructions: pd.DataFrame | None = None) -> Any:
    """The akim's view of the region; a not-found panel when ``view`` is None. ``ranking``: the
    ``RegionMap`` of its first ranked KPI; ``sources``: indicator code -> publishing agency; ``words``:
    the owners' words on the territorial program and its goals (``dashboards._commentary.PageWords``),
    shown beside their statuses (entered on the program's page); ``instructions``: the region's
    (``services.instructions.LIST_COLUMNS``)."""
    if view is None:
        return message_panel(t("notfound.region_heading"), t("notfound.region", code=code),
                             back_href=regions_href(params), back_label=t("regions.back"), icon="?")
    region = view.region
    name = str(region.get("name") or code)
    today = view.today
    kpis, projects = view.kpis, view.projects
    counts = view.instruction_counts or {}
    statuses = list(kpis["status"].dropna()) if kpis is not None and not kpis.empty else []
    demand = view.demand
    requests = int(demand["requests"].sum()) if demand is not None and not demand.empty else None
    stat_items: list[tuple[str, Any, str]] = [
        (t("region.kpis"), 0 if kpis is None else len(kpis), ""),
        (t("program.off_track"), sum(s in ("missed", "red", "amber_red") for s in statuses), "nt-count--bad"),
        (t("program.projects"), 0 if projects is None else len(projects), ""),
        (t("region.instructions_open"), as_int(counts.get("open")), ""),
        (t("program.instructions_overdue"), as_int(counts.get("overdue")), "nt-count--bad"),
    ]
    if requests is not None:
        stat_items.append((t("region.requests_year"), requests, ""))
    sections: list[Any] = [
        breadcrumb([(t("nav.overview"), overview_href(params)), (t("nav.regions"), regions_href(params)), (name, None)], t),
        _header(view, t, params, words), briefing_button(t, params, region=str(region.get("code", code))),
        stat_list(stat_items, t),
    ]
    if kpis is not None and not kpis.empty:
        sections.append(page_section(t("region.kpis.heading"), ids.REGION_KPIS,
                                     html.Div(kpi_table(kpis, t, params, word=(
                                         lambda r: words.slot(view.program["code"], r["indicator"], t, status=r["status"],
                                                              variant="compact", writable=False, quiet=True))
                                         if words is not None and view.program else None),
                                         className="nt-card nt-card--flush"),
                                     lead=t("region.kpis.lead")))
        block = ranking_block(ranking, str(region.get("code", code)), t, params, name)
        if block is not None:
            sections.append(page_section(t("region.ranking.heading"), "region-ranking-section", block))
        sections.append(page_section(t("region.trends.heading"), "region-trends",
                                     trend_charts(kpis, t, region_name=name, today=today, sources=sources,
                                                  region=str(region.get("code", code)), params=params)))
    else:
        sections.append(page_section(t("region.kpis.heading"), ids.REGION_KPIS,
                                     html.P(t("region.kpis.empty"), className="nt-empty")))
    grid = projects_grid(projects, t, "region", REGION_GRID_FIELDS)
    sections.append(page_section(t("region.projects.heading"), "region-projects",
                                 html.Div(grid, className="nt-grid-wrap") if grid is not None
                                 else html.P(t("region.projects.empty"), className="nt-empty"),
                                 lead=t("program.projects.lead") if grid is not None else None))
    instr_lead = t("region.instructions.counts", total=as_int(counts.get("total")), done=as_int(counts.get("done")),
                   open=as_int(counts.get("open")), overdue=as_int(counts.get("overdue")))
    sections.append(instructions_section(instructions, t, params, ids.REGION_INSTRUCTIONS,
                                         heading=t("region.instructions.heading"), empty=t("acc.instructions.empty"),
                                         key="region", lead=instr_lead, summary=False))
    sections.append(page_section(t("region.demand.heading"), "region-demand",
                                 *demand_charts(view, t, name, today, params), lead=t("region.demand.lead")))
    return html.Div(sections, id=ids.REGION_PAGE, className="nt-page nt-page--region",
                    **{"data-region": str(region.get("code", code))})


def demand_topics_content(view: Any, t: Translator, region_name: str, today: dt.date | None) -> ChartContent | None:
    """Citizen requests by topic per 10,000 people with their growth (``_figures.demand_by_topic``);
    data: ``services.regions.DEMAND_COLUMNS``, most requested first. None without requests."""
    demand = view.demand
    if demand is None or demand.empty:
        return None
    units = t("regions.per_10k")
    figure = demand_by_topic(demand, title=t("region.demand.topics"), units=units, fmt=number_formatter(t, 1),
                             percent=lambda v: _signed_percent(v, t), separators=plotly_separators(t))
    data = demand.sort_values("per_10k", ascending=False).reset_index(drop=True)
    return ChartContent(figure, title=t("region.demand.topics"), units=units, source=t("source.requests"), as_of=today,
                        filters=((t("filter.region"), region_name), (t("filter.period"), t("filter.last_12_months"))),
                        data=data)


def demand_monthly_content(view: Any, t: Translator, region_name: str, today: dt.date | None) -> ChartContent | None:
    """Citizen requests by month, the last 24 months (``_figures.demand_trend``); data: ``month``,
    ``requests``. None without requests."""
    monthly = view.demand_monthly
    if monthly is None or monthly.empty:
        return None
    units = t("region.demand.requests_unit")
    figure = demand_trend(monthly, title=t("region.demand.monthly"), units=units, fmt=number_formatter(t, 0), height=380,
                          period_text=lambda label: period_text(label, t), separators=plotly_separators(t))
    data = monthly.sort_values("month")[["month", "requests"]].reset_index(drop=True)
    return ChartContent(figure, title=t("region.demand.monthly"), units=units, source=t("source.requests"), as_of=today,
                        filters=((t("filter.region"), region_name), (t("filter.period"), t("filter.last_24_months"))),
                        data=data)


def demand_charts(view: Any, t: Translator, region_name: str, today: dt.date | None,
                  params: Mapping[str, object] | None = None) -> list[Any]:
    """Citizen requests by topic and by month (:func:`demand_topics_content`,
    :func:`demand_monthly_content`) through the chart component."""
    code = str(view.region.get("code"))
    out: list[Any] = []
    topics = demand_topics_content(view, t, region_name, today)
    if topics is not None:
        out.append(chart(topics, t=t, chart_id="region-demand-topics",
                         spec=chart_spec("demand_topics", params, t, region=code),
                         description=t("region.demand.topics_alt", region=region_name)))
    monthly = demand_monthly_content(view, t, region_name, today)
    if monthly is not None:
        out.append(chart(monthly, t=t, chart_id="region-demand-monthly",
                         spec=chart_spec("demand_monthly", params, t, region=code),
                         description=t("region.demand.monthly_alt", region=region_name)))
    if not out:
        out.append(html.P(t("region.demand.empty"), className="nt-empty"))
    return [html.Div(out, className="nt-demand-row")]


def _signed_percent(value: float, t: Translator) -> str:
    text = t.percent(abs(value))
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def render(code: str, params: Mapping[str, object]) -> Any:
    """Query (through the services) and render the region ``code`` for the URL's parameters."""
    ctx = page_context(params)
    view = build_region(ctx, code)
    ranking = None
    if view is not None and view.kpis is not None and not view.kpis.empty:
        ranked = view.kpis[view.kpis["rank"].notna()]
        if not ranked.empty:
            ranking = build_region_map(ctx, str(ranked.iloc[0]["indicator"]))
    sources = None
    if view is not None and view.kpis is not None and not view.kpis.empty:
        options = indicator_options(ctx)
        sources = {str(c): str(a) for c, a in zip(options["code"], options["agency_name"]) if a}
    words = None
    if view is not None and view.program:
        program_goals = pd.DataFrame({"node": view.program["code"], "indicator": list(view.kpis["indicator"])})
        words = page_words(ctx, program_goals, [view.program["code"]])
    instructions = region_instructions(ctx, view.region["code"]) if view is not None else None
    return region_view(view, ctx.t, params, code, ranking=ranking, sources=sources, words=words,
                       instructions=instructions)
