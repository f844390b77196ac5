"""Chart exports without a browser: the chart spec validated (from pages and from query strings),
file names, the image header, the data behind a chart as formula-safe CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest

from services import api, exports
from services.exports import ChartContent, ChartSpec
from services.i18n import translator

EN, KK = translator("en"), translator("kk")
DAY = dt.date(2025, 11, 15)

VALID = {
    "goal": dict(node="np-health", indicator="life_expectancy", region="kz"),
    "program_budget": dict(node="NP-HEALTH"),
    "project_milestones": dict(node="NP2-RURALHEALTH-ALR-01"),
    "project_budget": dict(node="NP2-RURALHEALTH-ALR-01"),
    "map": dict(indicator="BIRTHS", year=2024, per_capita=True),
    "ranking": dict(indicator="AVERAGE_WAGE", region="AST", year=2025),
    "region_trend": dict(region="AST", indicator="AVERAGE_WAGE"),
    "demand_topics": dict(region="AST"),
    "demand_monthly": dict(region="AST"),
}


# --- the spec -------------------------------------------------------------------------------------------

def test_every_kind_has_a_valid_example_and_its_query_round_trips():
    assert set(VALID) == set(exports.KINDS)
    for kind, fields in VALID.items():
        spec = ChartSpec(kind, lang="kk", as_of=DAY, **fields)
        query = spec.query()
        assert list(query) == [f for f in exports.FIELDS if f in query]
        assert ChartSpec.from_query(query) == spec
        assert ChartSpec.from_query({k: [v] for k, v in query.items()}) == spec  # Flask's to_dict(flat=False)


def test_codes_are_upper_cased_and_optional_fields_stay_optional():
    spec = ChartSpec("goal", node=" np-health ", indicator="life_expectancy", region="kz")
    assert (spec.node, spec.indicator, spec.region) == ("NP-HEALTH", "LIFE_EXPECTANCY", "KZ")
    assert ChartSpec("map", indicator="BIRTHS").query() == {"kind": "map", "indicator": "BIRTHS"}
    assert ChartSpec("goal", node="НП-1", indicator="X", region="KZ").node == "НП-1"  # codes may be Cyrillic


@pytest.mark.parametrize("kind,fields,message", [
    ("chart", {}, "kind must be one of"),
    ("goal", dict(node="NP-HEALTH", indicator="LIFE_EXPECTANCY"), "needs region"),
    ("goal", dict(node="NP-HEALTH", indicator="X", region="KZ", year=2024), "takes no year"),
    ("demand_topics", dict(region="AST", per_capita=True), "takes no per_capita"),
    ("ranking", dict(indicator="X", region="AST"), "needs year"),
    ("map", dict(indicator="../../etc/passwd"), "must be a code"),
    ("map", dict(indicator="A B"), "must be a code"),
    ("map", dict(indicator="<script>"), "must be a code"),
    ("map", dict(indicator=""), "must be a code"),
    ("map", dict(indicator="X" * 65), "must be a code"),
    ("map", dict(indicator="X", year=0), "year must be between"),
    ("map", dict(indicator="X", year=10000), "year must be between"),
    ("map", dict(indicator="X", year=True), "year must be between"),
    ("map", dict(indicator="X", year="2024"), "year must be between"),
])
def test_an_incomplete_or_malformed_spec_is_a_bad_request(kind, fields, message):
    with pytest.raises(api.BadRequest, match=message):
        ChartSpec(kind, **fields)


def test_language_and_as_of_are_checked():
    with pytest.raises(api.BadRequest, match="lang"):
        ChartSpec("demand_topics", region="AST", lang="de")
    with pytest.raises(api.BadRequest, match="as_of"):
        ChartSpec("demand_topics", region="AST", as_of=dt.datetime(2025, 1, 1))


@pytest.mark.parametrize("query,message", [
    ({}, "kind is required"),
    ({"kind": "map", "indicator": "X", "figure": "{}"}, "unknown parameter 'figure'"),
    ({"kind": "map", "indicator": ["X", "Y"]}, "indicator must be given once"),
    ({"kind": "map", "indicator": "X", "year": "2024.0"}, "year must be a year"),
    ({"kind": "map", "indicator": "X", "year": "-1"}, "year must be a year"),
    ({"kind": "map", "indicator": "X", "year": "20245"}, "year must be a year"),
    ({"kind": "map", "indicator": "X", "year": "0"}, "year must be between"),
    ({"kind": "map", "indicator": "X", "per_capita": "yes"}, "per_capita must be 0 or 1"),
    ({"kind": "map", "indicator": "X", "lang": "xx"}, "lang must be one of"),
    ({"kind": "map", "indicator": "X", "as_of": "15.11.2025"}, "as_of must be a date"),
    ({"kind": "map", "indicator": "X", "node": "NP-HEALTH"}, "takes no node"),
])
def test_a_query_that_is_not_a_spec_is_a_bad_request(query, message):
    with pytest.raises(api.BadRequest, match=message):
        ChartSpec.from_query(query)


def test_per_capita_zero_is_the_default_and_is_left_out_of_links():
    spec = ChartSpec.from_query({"kind": "map", "indicator": "BIRTHS", "per_capita": "0"})
    assert spec.per_capita is False and "per_capita" not in spec.query()


# --- file names -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind,fmt,name", [
    ("goal", "png", "natije_NP-HEALTH_LIFE_EXPECTANCY_KZ_2025-11-15.png"),
    ("program_budget", "xlsx", "natije_NP-HEALTH_budget_2025-11-15.xlsx"),
    ("project_milestones", "pdf", "natije_NP2-RURALHEALTH-ALR-01_milestones_2025-11-15.pdf"),
    ("map", "svg", "natije_BIRTHS_2024_per-capita_map_2025-11-15.svg"),
    ("ranking", "csv", "natije_AVERAGE_WAGE_AST_2025_ranking_2025-11-15.csv"),
    ("region_trend", "png", "natije_AVERAGE_WAGE_AST_trend_2025-11-15.png"),
    ("demand_monthly", "csv", "natije_AST_demand-monthly_2025-11-15.csv"),
])
def test_the_file_name_says_what_the_chart_is(kind, fmt, name):
    assert exports.file_name(ChartSpec(kind, lang="kk", **VALID[kind]), DAY, fmt) == name


# --- the image header -----------------------------------------------------------------------------------

def content(**overrides) -> ChartContent:
    figure = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    figure.update_layout(height=200, title="own title", margin=dict(t=56))
    fields = dict(figure=figure, title="Өмір сүру ұзақтығы", units="жыл", source="ҰСБ", as_of=DAY,
                  filters=(("Өңір", "Астана"), ("Жыл", 2024)),
                  data=pd.DataFrame({"period": ["2023", "2024"], "value": [74.1, float("nan")],
                                     "date": [pd.Timestamp(2023, 12, 31), dt.date(2024, 12, 31)]}))
    return ChartContent(**(fields | overrides))


def test_the_image_carries_title_units_filters_source_and_as_of_date():
    figure = exports.export_figure(content(), KK)
    assert figure.layout.title.text == "<b>Өмір сүру ұзақтығы, жыл</b>"
    subtitle = figure.layout.title.subtitle.text
    assert "Сүзгілер: Өңір: Астана · Жыл: 2024" in subtitle
    assert "Дереккөз: ҰСБ" in subtitle and "2025" in subtitle and "бойынша" in subtitle
    assert figure.layout.width == exports.EXPORT_WIDTH
    assert figure.layout.height > exports.MIN_CHART_HEIGHT  # a small chart is drawn taller, below its header
    assert figure.layout.margin.t > 56 - 36
    assert content().figure.layout.title.text == "own title"  # the page's figure is not touched


def test_names_in_the_image_are_text_not_markup_and_long_titles_wrap():
    long_title = "Доля населения, " * 12
    figure = exports.export_figure(content(title='<a href="http://x">x</a> & co', source=None, filters=()), EN)
    assert figure.layout.title.text == "<b>&lt;a href=\"http://x\"&gt;x&lt;/a&gt; &amp; co, жыл</b>"
    assert "Source: not stated" in figure.layout.title.subtitle.text
    assert "Filters: none" in figure.layout.title.subtitle.text
    titles, _ = exports.header_lines(content(title=long_title), KK)
    assert len(titles) > 1 and all(len(line) <= exports.TITLE_CHARS for line in titles)


# --- the data behind a chart ----------------------------------------------------------------------------

def test_the_data_carries_units_and_as_of_on_every_row_with_plain_dates():
    columns, rows = exports.data_table(content())
    assert columns == ["period", "value", "date", "unit", "as_of"]
    assert rows == [["2023", 74.1, "2023-12-31", "жыл", "2025-11-15"], ["2024", None, "2024-12-31", "жыл", "2025-11-15"]]


def test_csv_and_xlsx_are_formula_safe():
    spec = ChartSpec("demand_topics", region="AST", lang="en")
    hostile = content(title="=HYPERLINK(\"http://evil\")", units="@SUM(A1)", source="+cmd",
                      filters=(("-Region", "=1+1"),),
                      data=pd.DataFrame({"name": ["=1+1", "@A1", "+2", "-3", "\tx", "Астана"], "value": [-1.5, 2, 3, 4, 5, 6]}))
    rows = list(csv.reader(io.StringIO(exports.data_bytes(hostile, spec, "csv", EN).decode("utf-8"))))
    assert rows[0] == ["name", "value", "unit", "as_of"]
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'@A1", "'+2", "'-3", "'\tx", "Астана"]
    assert rows[1][1] == "-1.5" and rows[1][2] == "'@SUM(A1)"  # numbers stay numbers; text never a formula
    workbook = openpyxl.load_workbook(io.BytesIO(exports.data_bytes(hostile, spec, "xlsx", EN)))
    assert workbook.sheetnames == [EN("export.sheet.data"), EN("export.sheet.about")]
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.value for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@\t\r"]
    data = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert data[1] == ("'=1+1", -1.5, "'@SUM(A1)", "2025-11-15")
    about = dict(workbook.worksheets[1].iter_rows(values_only=True))
    assert about[EN("export.about.title")] == "'=HYPERLINK(\"http://evil\")"
    assert about[EN("export.about.chart")] == "kind=demand_topics&region=AST&lang=en"


def test_a_chart_file_is_named_and_typed_and_unknown_formats_are_refused():
    spec = ChartSpec("region_trend", region="AST", indicator="AVERAGE_WAGE", lang="kk")
    download = exports.chart_file(content(), spec, "csv", KK, day=DAY)
    assert download.file_name == "natije_AVERAGE_WAGE_AST_trend_2025-11-15.csv"
    assert download.mimetype == "text/csv; charset=utf-8" and download.content.startswith(b"period,value")
    xlsx = exports.chart_file(content(), spec, "xlsx", KK, day=DAY)
    assert xlsx.content[:2] == b"PK" and xlsx.mimetype.endswith("spreadsheetml.sheet")
    with pytest.raises(api.BadRequest):
        exports.chart_file(content(), spec, "gif", KK, day=DAY)
