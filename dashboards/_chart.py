"""The one chart component: every chart of natije is shown through :func:`chart`.

A chart is a card (``<figure>``) around a :class:`services.exports.ChartContent` — the output of a
pure figure function of ``_figures.py`` with the words of its card and the data it was drawn from,
built by the page (one function per kind of chart, which the exports call too). It always shows,
in the user's language:

* the title and the units (the card's heading: the page's text, read by screen readers);
* the graph (its own Plotly title is kept in the figure, and hidden on screen, where the heading
  above replaces it);
* the source, the date the data is as of, and the filters in force (region, year, per capita ...);
* the export menu (``ids.chart_exports_id(chart_id)``, class ``nt-chart__exports``): PNG, SVG and
  PDF images and the data as CSV and XLSX, plain download links to ``/export/chart.<format>`` with
  the chart's :class:`services.exports.ChartSpec` in the query (``dashboards/_exports.py`` rebuilds
  the chart from it; docs/export.md). A ``<details>`` menu: keyboard and screen readers need no script.

The overview's KPI-card sparklines are not charts in this sense: they are decorations of a card
(no axes, no title, no units of their own — the card around them carries all that) and are
rendered directly by ``_components.kpi_card``.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import plotly.graph_objects as go
from babel.numbers import get_decimal_symbol, get_group_symbol
from dash import dcc, html

from dashboards import _ids as ids
from dashboards._urls import parse_as_of, query
from services.exports import FORMATS, ChartContent, ChartSpec, filters_text
from services.formatting import date_text
from services.i18n import Translator

#: Plotly config of every chart: no Plotly mode bar (English tooltips, and exports come through the
#: export slot), responsive width, no scroll-zoom traps for keyboard and touch users.
GRAPH_CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False, "displaylogo": False}

#: The export route (``dashboards/_exports.py``) and what each format's link says beside its name.
EXPORT_PATH = "/export/chart"
EXPORT_WORDS = {"png": "chart.export.png", "svg": "chart.export.svg", "pdf": "chart.export.pdf",
                "csv": "chart.export.csv", "xlsx": "chart.export.xlsx"}


def plotly_separators(t: Translator) -> str:
    """Plotly's ``layout.separators`` for the locale: decimal mark then thousands separator
    (``".,"`` in English, ``", "`` with a no-break space in Russian and Kazakh)."""
    return get_decimal_symbol(t.locale) + get_group_symbol(t.locale)


def number_formatter(t: Translator, decimals: Any = 1):
    """``value -> text`` in the locale with ``decimals`` places (for hover texts of figures)."""
    try:
        places = max(0, min(int(decimals), 4))
    except (TypeError, ValueError):
        places = 1
    return lambda value: t.number(value, places)


def chart_spec(kind: str, params: Mapping[str, object] | None, t: Translator, **fields: Any) -> ChartSpec:
    """The :class:`ChartSpec` of a chart of ``kind`` on a page: ``fields`` (node, indicator, region,
    year, per_capita as the kind needs), the page's language and its ``?as_of=`` day (from ``params``)."""
    return ChartSpec(kind, lang=t.lang, as_of=parse_as_of((params or {}).get("as_of")), **fields)


def export_href(spec: ChartSpec, fmt: str) -> str:
    """``/export/chart.png?kind=goal&node=...``: the link that downloads the chart as ``fmt``."""
    return f"{EXPORT_PATH}.{fmt}" + query(spec.query())


def export_menu(spec: ChartSpec, title: str, t: Translator) -> html.Details:
    """"Export ▾": a disclosure (``<details>``) with a download link per format (PNG, SVG, PDF, CSV,
    XLSX), each named for screen readers with the chart's title."""
    links = [html.Li(html.A([html.Span(fmt.upper(), className="nt-export__format"), " ",
                             html.Span(t(EXPORT_WORDS[fmt]), className="nt-export__what")],
                            href=export_href(spec, fmt), download="", className="nt-export__link",
                            **{"aria-label": t("chart.export.link", format=fmt.upper(), what=t(EXPORT_WORDS[fmt]),
                                               title=title)}))
             for fmt in FORMATS]
    return html.Details(
        [html.Summary([t("chart.export"), html.Span(" ▾", **{"aria-hidden": "true"})], className="nt-export__toggle",
                      title=t("chart.export.hint")),
         html.Ul(links, className="nt-export__menu list-unstyled")],
        className="nt-export",
    )


def _screen_copy(figure: go.Figure) -> go.Figure:
    """The figure without its own title (the card's heading shows it), top margin tightened."""
    shown = go.Figure(figure)
    top = shown.layout.margin.t if shown.layout.margin and shown.layout.margin.t is not None else 48
    shown.update_layout(title=None, margin=dict(t=max(16, top - 36)))
    return shown


def chart(content: ChartContent, *, t: Translator, chart_id: str, spec: ChartSpec, description: str | None = None,
          notes: Iterable[Any] = (), compact: bool = False, class_name: str = "") -> html.Figure:
    """``content`` in a card that always shows title, units, source, as-of date, filters in force and
    the export menu of ``spec`` (the description the export route rebuilds this chart from).

    ``chart_id`` keys the card (``ids.chart_id``), its graph (``ids.chart_graph_id``, the target of
    click callbacks) and its export slot (``ids.chart_exports_id``). ``description`` is the graph's
    text alternative (defaults to the title); ``notes`` are extra lines under the graph (e.g. why a
    region has no value); ``compact`` uses smaller type for small multiples.
    """
    key = str(chart_id)
    title_id = f"chart-title-{key}"
    figure, title, units = content.figure, content.title, content.units
    height = figure.layout.height
    graph = dcc.Graph(
        id=ids.chart_graph_id(key), figure=_screen_copy(figure), config=GRAPH_CONFIG,
        className="nt-chart__graph", style={"height": f"{int(height)}px"} if height else None,
    )
    meta = [
        html.Span(t("chart.source", source=content.source) if content.source else t("chart.source_unknown"),
                  className="nt-chart__source"),
        html.Span(t("chart.as_of", date=date_text(content.as_of, t)), className="nt-chart__asof"),
        html.Span(t("chart.filters", filters=filters_text(content.filters, t)), className="nt-chart__filters"),
    ]
    return html.Figure(
        [
            html.Div(
                [html.Div([html.H3(title, id=title_id, className="nt-chart__title"),
                           html.Span(units, className="nt-chart__units") if units else None],
                          className="nt-chart__heading"),
                 html.Div(export_menu(spec, title, t), id=ids.chart_exports_id(key),
                          className="nt-chart__exports")],
                className="nt-chart__head",
            ),
            html.Div(graph, className="nt-chart__body", role="img", **{"aria-label": description or title}),
            *[html.P(note, className="nt-chart__note") for note in notes if note],
            html.Figcaption(meta, className="nt-chart__meta"),
        ],
        id=ids.chart_id(key), className=" ".join(filter(None, ["nt-card nt-chart", "nt-chart--compact" if compact
                                                               else "", class_name])),
        **{"aria-labelledby": title_id, "data-chart-kind": spec.kind},
    )
