"""Chart exports (docs/export.md): every chart as a PNG, SVG or PDF image and the data behind it as
CSV or XLSX, rebuilt on the server from a small validated description, never from a figure a client
sends.

* :class:`ChartSpec`: what a chart is — its ``kind`` and the few fields that kind needs (node,
  indicator, region, year, per capita), the language and the as-of day. The pages make one for every
  chart; the export links carry it in their query string (:meth:`ChartSpec.query`) and the export
  route reads it back (:meth:`ChartSpec.from_query`; anything else is a :class:`services.api.BadRequest`).
* :class:`ChartContent`: a chart as its page builds it — the figure, the words its card shows (title,
  units, source, as-of date, filters in force) and ``data``, the frame the figure was drawn from.
* :func:`chart_file`: a chart as a file (a :class:`services.catalogue.Download` named by
  :func:`file_name`): images by :mod:`services.chart_images` with title, units, filters, source and
  as-of date drawn above the chart (:func:`export_figure`); data by :func:`services.api.to_csv` or
  :func:`services.catalogue.xlsx_bytes` (with a sheet describing the chart), both formula-safe.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from services import api, catalogue
from services.chart_images import IMAGE_FORMATS, render_image
from services.i18n import LANGUAGES, Translator

DATA_FORMATS = ("csv", "xlsx")
FORMATS = (*IMAGE_FORMATS, *DATA_FORMATS)
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
               "csv": catalogue.CSV_TYPE, "xlsx": catalogue.XLSX_TYPE}

#: The query parameters of a chart, in the order links write them.
FIELDS = ("kind", "node", "indicator", "region", "year", "per_capita", "lang", "as_of")
CODE_FIELDS = ("node", "indicator", "region")
#: Every kind of chart: (fields it needs, fields it may have) besides ``lang`` and ``as_of``.
KINDS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "goal": (("node", "indicator", "region"), ()),           # a goal of a program or project (its region)
    "program_budget": (("node",), ()),                       # a program's budget by project
    "project_milestones": (("node",), ()),                   # a project's milestones (Gantt)
    "project_budget": (("node",), ()),                       # a project's budget burn
    "map": (("indicator",), ("year", "per_capita")),         # the choropleth of /regions
    "ranking": (("indicator", "region", "year"), ("per_capita",)),  # the regions ranked, one highlighted
    "region_trend": (("region", "indicator"), ()),           # a region's KPI over time
    "demand_topics": (("region",), ()),                      # citizen requests by topic
    "demand_monthly": (("region",), ()),                     # citizen requests by month
}
#: The word naming a kind in file names (a goal is named by node, indicator and region alone).
KIND_WORDS = {"goal": "", "program_budget": "budget", "project_milestones": "milestones",
              "project_budget": "budget", "map": "map", "ranking": "ranking", "region_trend": "trend",
              "demand_topics": "demand-topics", "demand_monthly": "demand-monthly"}
YEARS = (1, 9999)  # what a date can hold: any year a page can show
CODE_LENGTH = 64

#: Image geometry: CSS pixels wide, the chart at least this tall, PNG drawn at twice the pixels.
EXPORT_WIDTH = 1200
MIN_CHART_HEIGHT = 360
PNG_SCALE = 2
#: The header drawn above the chart: title and subtitle line heights, characters per line.
TITLE_SIZE, TITLE_LINE, TITLE_CHARS = 22, 30, 90
SUBTITLE_SIZE, SUBTITLE_LINE, SUBTITLE_CHARS = 14, 20, 140
HEADER_PAD = 24


def _code(name: str, value: Any) -> str:
    """A code as the store writes it: upper case; letters, digits, ``_ - .``; at most 64 characters."""
    code = str(value).strip().upper()
    if not code or len(code) > CODE_LENGTH or any(not (ch.isalnum() or ch in "_-.") for ch in code):
        raise api.BadRequest(f"{name} must be a code (letters, digits, _ - .), not {value!r}")
    return code


def _year(value: Any) -> int | None:
    if value is None:
        return None
    if not re.fullmatch(r"[0-9]{1,4}", str(value)):
        raise api.BadRequest(f"year must be a year (up to four digits), not {value!r}")
    return int(str(value))


def _flag(value: Any) -> bool:
    if value is None:
        return False
    if value not in ("0", "1"):
        raise api.BadRequest(f"per_capita must be 0 or 1, not {value!r}")
    return value == "1"


@dataclass(frozen=True)
class ChartSpec:
    """One chart, as the server rebuilds it: ``kind`` (a key of :data:`KINDS`) and the fields that kind
    needs; ``lang`` (None: ``NATIJE_LANG``) and ``as_of`` (None: the reference day) as on the page.
    Codes are upper-cased; an incomplete or malformed spec raises :class:`services.api.BadRequest`."""

    kind: str
    node: str | None = None
    indicator: str | None = None
    region: str | None = None
    year: int | None = None
    per_capita: bool = False
    lang: str | None = None
    as_of: dt.date | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise api.BadRequest(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        for name in CODE_FIELDS:
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _code(name, value))
        if self.year is not None and (isinstance(self.year, bool) or not isinstance(self.year, int)
                                      or not YEARS[0] <= self.year <= YEARS[1]):
            raise api.BadRequest(f"year must be between {YEARS[0]} and {YEARS[1]}, not {self.year!r}")
        if self.lang is not None and self.lang not in LANGUAGES:
            raise api.BadRequest(f"lang must be one of {', '.join(LANGUAGES)}, not {self.lang!r}")
        if self.as_of is not None and (isinstance(self.as_of, dt.datetime) or not isinstance(self.as_of, dt.date)):
            raise api.BadRequest(f"as_of must be a date, not {self.as_of!r}")
        required, optional = KINDS[self.kind]
        given = {name for name in ("node", "indicator", "region", "year") if getattr(self, name) is not None}
        given |= {"per_capita"} if self.per_capita else set()
        missing = [name for name in required if name not in given]
        if missing:
            raise api.BadRequest(f"a {self.kind} chart needs {', '.join(missing)}")
        extra = sorted(given - set(required) - set(optional))
        if extra:
            raise api.BadRequest(f"a {self.kind} chart takes no {', '.join(extra)}")

    def query(self) -> dict[str, str]:
        """The spec as query parameters (in :data:`FIELDS` order, unset ones left out)."""
        values = {"kind": self.kind, "node": self.node, "indicator": self.indicator, "region": self.region,
                  "year": None if self.year is None else str(self.year), "per_capita": "1" if self.per_capita else None,
                  "lang": self.lang, "as_of": self.as_of.isoformat() if self.as_of else None}
        return {name: values[name] for name in FIELDS if values[name] is not None}

    @classmethod
    def from_query(cls, args: Mapping[str, Any]) -> "ChartSpec":
        """The spec of an export link's query (values as strings, or lists of one string): unknown or
        repeated parameters, bad codes, years, flags, languages or dates are a :class:`BadRequest`."""
        values = api.single_values(args, FIELDS, "a chart")
        if "kind" not in values:
            raise api.BadRequest(f"kind is required: one of {', '.join(KINDS)}")
        return cls(kind=values["kind"], node=values.get("node"), indicator=values.get("indicator"),
                   region=values.get("region"), year=_year(values.get("year")), per_capita=_flag(values.get("per_capita")),
                   lang=api.parse_lang(values.get("lang")), as_of=api.parse_as_of(values.get("as_of")))


Filter = tuple[str, Any]


@dataclass(frozen=True, eq=False)
class ChartContent:
    """A chart as its page builds it: ``figure`` (from a pure function of ``dashboards._figures``),
    the words of its card (``title``, ``units``, ``source``, ``as_of``, ``filters`` in force: label,
    value) and ``data``: the frame the figure was drawn from, one row per point, bar or region, values
    as drawn (in ``units``)."""

    figure: go.Figure
    title: str
    units: str | None
    source: str | None
    as_of: dt.date | None
    filters: tuple[Filter, ...] = ()
    data: pd.DataFrame = field(default_factory=pd.DataFrame)


def filters_text(filters: Sequence[Filter] | None, t: Translator) -> str:
    """``"Region: Astana · Year: 2024"``; "none" in words when no filter is in force."""
    parts = [f"{label}: {value}" for label, value in (filters or ()) if value not in (None, "")]
    return " · ".join(parts) if parts else t("chart.filters.none")


def _day(value: Any) -> dt.date | None:
    """A date from a date, a datetime or a Timestamp (None for anything else, NaT included)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):  # a Timestamp too
        return value.date()
    return value if isinstance(value, dt.date) else None


def file_name(spec: ChartSpec, day: dt.date, fmt: str) -> str:
    """``natije_<node>_<indicator>_<region>_<year>_<per-capita>_<kind>_<day>.<fmt>`` with the parts the
    spec has, e.g. ``natije_NP-HEALTH_LIFE_EXPECTANCY_KZ_2025-11-15.png``; ``day`` is the as-of day."""
    parts = ["natije", spec.node, spec.indicator, spec.region, str(spec.year) if spec.year else None,
             "per-capita" if spec.per_capita else None, KIND_WORDS[spec.kind], day.isoformat()]
    return "_".join(part for part in parts if part) + f".{fmt}"


# --- images -----------------------------------------------------------------------------------------------

def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False) or [""]


def _plotly_text(line: str) -> str:
    """A line of plain text for Plotly's title (which reads a few HTML tags and entities): escaped."""
    return html.escape(line, quote=False)


def header_lines(content: ChartContent, t: Translator) -> tuple[list[str], list[str]]:
    """(title lines, subtitle lines) of an exported image: the title with its units; the filters in
    force; the source and the as-of date — plain text, wrapped to fit the image's width."""
    title = f"{content.title}, {content.units}" if content.units else content.title
    source = t("chart.source", source=content.source) if content.source else t("chart.source_unknown")
    as_of = t("chart.as_of", date=t.date(_day(content.as_of)))
    subtitle = (_lines(t("chart.filters", filters=filters_text(content.filters, t)), SUBTITLE_CHARS)
                + _lines(f"{source} · {as_of}", SUBTITLE_CHARS))
    return _lines(title, TITLE_CHARS), subtitle


def export_figure(content: ChartContent, t: Translator) -> go.Figure:
    """The chart's figure with its header drawn in: the title and units (bold), then the filters in
    force, the source and the as-of date; the chart keeps its own height (at least
    :data:`MIN_CHART_HEIGHT`) below the header. Text is escaped (names are data, not markup)."""
    title_lines, subtitle_lines = header_lines(content, t)
    header = HEADER_PAD + TITLE_LINE * len(title_lines) + SUBTITLE_LINE * len(subtitle_lines) + 12
    figure = go.Figure(content.figure)
    layout = figure.layout
    top = layout.margin.t if layout.margin and layout.margin.t is not None else 48
    height = max(int(layout.height or 0), MIN_CHART_HEIGHT)
    figure.update_layout(  # the header replaces the figure's own title (about 36 px of its top margin)
        width=EXPORT_WIDTH, height=height + header,
        margin=dict(t=max(16, top - 36) + header),
        title=dict(
            text="<br>".join(f"<b>{_plotly_text(line)}</b>" for line in title_lines),
            font=dict(size=TITLE_SIZE), x=0, xref="container", xanchor="left", y=1, yref="container",
            yanchor="top", pad=dict(l=HEADER_PAD, t=HEADER_PAD), automargin=False,
            subtitle=dict(text="<br>".join(_plotly_text(line) for line in subtitle_lines),
                          font=dict(size=SUBTITLE_SIZE)),
        ),
    )
    return figure


def image_bytes(content: ChartContent, fmt: str, t: Translator) -> bytes:
    """The chart as a PNG (at :data:`PNG_SCALE`), SVG or PDF with its header (:func:`export_figure`)."""
    figure = export_figure(content, t)
    return render_image(figure, fmt, width=int(figure.layout.width), height=int(figure.layout.height),
                        scale=PNG_SCALE if fmt == "png" else 1)


# --- data -------------------------------------------------------------------------------------------------

def _cell(value: Any) -> Any:
    """A data cell as plain Python: dates (a midnight timestamp too) as ISO dates, NaN as None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):  # a Timestamp too
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def data_table(content: ChartContent) -> tuple[list[str], list[list[Any]]]:
    """(columns, rows) of the data behind the chart: the figure's frame, then ``unit`` (the chart's
    units, in the language) and ``as_of`` (the day the data is as of) on every row."""
    frame = content.data if content.data is not None else pd.DataFrame()
    columns = [str(c) for c in frame.columns] + ["unit", "as_of"]
    day = _day(content.as_of)
    tail = [content.units or None, day.isoformat() if day else None]
    rows = [[_cell(v) for v in row] + tail for row in frame.itertuples(index=False, name=None)]
    return columns, rows


def about_rows(content: ChartContent, spec: ChartSpec, t: Translator) -> list[list[Any]]:
    """The XLSX sheet describing the chart: title, units, filters, source, as-of date, the chart's spec."""
    day = _day(content.as_of)
    return [
        [t("export.about.field"), t("export.about.value")],
        [t("export.about.title"), content.title],
        [t("export.about.units"), content.units or ""],
        [t("export.about.filters"), filters_text(content.filters, t)],
        [t("export.about.source"), content.source or t("chart.source_unknown")],
        [t("export.about.as_of"), day.isoformat() if day else ""],
        [t("export.about.chart"), "&".join(f"{k}={v}" for k, v in spec.query().items())],
    ]


def data_bytes(content: ChartContent, spec: ChartSpec, fmt: str, t: Translator) -> bytes:
    """The data behind the chart as CSV (comma, UTF-8, :func:`services.api.to_csv`) or XLSX (the data,
    then a sheet about the chart; :func:`services.catalogue.xlsx_bytes`); every text cell neutralised."""
    columns, rows = data_table(content)
    if fmt == "csv":
        return api.to_csv([dict(zip(columns, row)) for row in rows], columns).encode("utf-8")
    if fmt == "xlsx":
        return catalogue.xlsx_bytes([(t("export.sheet.data"), [columns, *rows]),
                                     (t("export.sheet.about"), about_rows(content, spec, t))])
    raise ValueError(f"format must be one of {', '.join(DATA_FORMATS)}, not {fmt!r}")


def chart_file(content: ChartContent, spec: ChartSpec, fmt: str, t: Translator, *, day: dt.date) -> catalogue.Download:
    """The chart as a file of ``fmt`` (:data:`FORMATS`) named by :func:`file_name` for the as-of ``day``.
    Images raise :class:`services.chart_images.RenderFailed` when the browser fails."""
    if fmt not in FORMATS:
        raise api.BadRequest(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    content_bytes = image_bytes(content, fmt, t) if fmt in IMAGE_FORMATS else data_bytes(content, spec, fmt, t)
    return catalogue.Download(file_name(spec, day, fmt), content_bytes, MEDIA_TYPES[fmt])


__all__ = ["ChartContent", "ChartSpec", "DATA_FORMATS", "FORMATS", "KINDS", "MEDIA_TYPES", "about_rows", "chart_file",
           "data_bytes", "data_table", "export_figure", "file_name", "filters_text", "header_lines", "image_bytes"]
