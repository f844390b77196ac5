"""The one chart component: every chart of natije is shown through :func:`chart`.

A chart is a card (``<figure>``) around the output of a pure figure function of ``_figures.py``. It
always shows, in the user's language:

* the title and the units (the card's heading: the page's text, read by screen readers);
* the graph (its own Plotly title is kept in the figure, for exports, and hidden on screen, where
  the heading above replaces it);
* the source, the date the data is as of, and the filters in force (region, year, per capita ...).

The **export slot** (``ids.chart_exports_id(chart_id)``, class ``nt-chart__exports``) in the
heading is where PNG/SVG/PDF and CSV/XLSX exports will be added for every chart at once; it is
empty until then (no stub buttons).

The overview's KPI-card sparklines are not charts in this sense: they are decorations of a card
(no axes, no title, no units of their own — the card around them carries all that) and are
rendered directly by ``_components.kpi_card``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Sequence

import plotly.graph_objects as go
from babel.numbers import get_decimal_symbol, get_group_symbol
from dash import dcc, html

from dashboards import _ids as ids
from dashboards._components import date_text
from services.i18n import Translator

#: Plotly config of every chart: no Plotly mode bar (English tooltips, and exports come through the
#: export slot), responsive width, no scroll-zoom traps for keyboard and touch users.
GRAPH_CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False, "displaylogo": False}

Filter = tuple[str, Any]


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


def filters_text(filters: Sequence[Filter] | None, t: Translator) -> str:
    """``"Region: Astana · Year: 2024"``; "none" in words when no filter is in force."""
    parts = [f"{label}: {value}" for label, value in (filters or ()) if value not in (None, "")]
    return " · ".join(parts) if parts else t("chart.filters.none")


def _screen_copy(figure: go.Figure) -> go.Figure:
    """The figure without its own title (the card's heading shows it), top margin tightened."""
    shown = go.Figure(figure)
    top = shown.layout.margin.t if shown.layout.margin and shown.layout.margin.t is not None else 48
    shown.update_layout(title=None, margin=dict(t=max(16, top - 36)))
    return shown


def chart(figure: go.Figure, *, title: str, units: str | None, source: str | None, as_of: dt.date | str | None,
          filters: Sequence[Filter] | None, t: Translator, chart_id: str, description: str | None = None,
          notes: Iterable[Any] = (), compact: bool = False, class_name: str = "") -> html.Figure:
    """``figure`` in a card that always shows title, units, source, as-of date and filters in force.

    ``chart_id`` keys the card (``ids.chart_id``), its graph (``ids.chart_graph_id``, the target of
    click callbacks) and its export slot (``ids.chart_exports_id``). ``description`` is the graph's
    text alternative (defaults to the title); ``notes`` are extra lines under the graph (e.g. why a
    region has no value); ``compact`` uses smaller type for small multiples.
    """
    key = str(chart_id)
    title_id = f"chart-title-{key}"
    height = figure.layout.height
    graph = dcc.Graph(
        id=ids.chart_graph_id(key), figure=_screen_copy(figure), config=GRAPH_CONFIG,
        className="nt-chart__graph", style={"height": f"{int(height)}px"} if height else None,
    )
    meta = [
        html.Span(t("chart.source", source=source) if source else t("chart.source_unknown"), className="nt-chart__source"),
        html.Span(t("chart.as_of", date=date_text(as_of, t)), className="nt-chart__asof"),
        html.Span(t("chart.filters", filters=filters_text(filters, t)), className="nt-chart__filters"),
    ]
    return html.Figure(
        [
            html.Div(
                [html.Div([html.H3(title, id=title_id, className="nt-chart__title"),
                           html.Span(units, className="nt-chart__units") if units else None],
                          className="nt-chart__heading"),
                 # EXPORT SLOT: exports for every chart are added here, once, for all charts.
                 html.Div([], id=ids.chart_exports_id(key), className="nt-chart__exports")],
                className="nt-chart__head",
            ),
            html.Div(graph, className="nt-chart__body", role="img", **{"aria-label": description or title}),
            *[html.P(note, className="nt-chart__note") for note in notes if note],
            html.Figcaption(meta, className="nt-chart__meta"),
        ],
        id=ids.chart_id(key), className=" ".join(filter(None, ["nt-card nt-chart", "nt-chart--compact" if compact
                                                               else "", class_name])),
        **{"aria-labelledby": title_id},
    )
