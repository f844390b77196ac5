"""services.api: the data API's composition (docs/api.md) on the demo store, plus the CSV neutraliser."""

from __future__ import annotations

import csv
import io

import pytest

from data_sources import queries
from data_sources.viewer import Viewer
from services import api
from services.kpi_records import kpi_records
from services.openapi import openapi_document




@pytest.fixture
def indicator_code(ctx_for) -> str:
    """A regional indicator with national and regional values."""
    return api.indicators(ctx_for(), limit=1)["items"][0]["code"]


# --- the neutraliser (pure: no store) ----------------------------------------------------------------------

@pytest.mark.parametrize("text", ["=1+1", "+7", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"])
def test_formula_text_is_neutralised(text):
    assert api.neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["plain", "Алматы", "", "1=1", 12.5, -3, 0, None])
def test_other_cells_are_unchanged(value):
    assert api.neutralise_cell(value) == value


def test_csv_keeps_numbers_and_neutralises_text():
    text = api.to_csv([{"a": "=cmd", "b": -12.5, "c": 1e-05, "d": "-x", "e": None, "f": 3}])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["a", "b", "c", "d", "e", "f"], ["'=cmd", "-12.5", "0.00001", "'-x", "", "3"]]


def test_page_params_bounds():
    assert api.page_params() == (100, 0)
    assert api.page_params("10000", "5") == (10_000, 5)
    for limit, offset in (("0", None), ("10001", None), ("x", None), (None, "-1"), (None, "1.5")):
        with pytest.raises(api.BadRequest):
            api.page_params(limit, offset)


# --- endpoints on the demo store ------------------------------------------------------------------------------

@pytest.mark.datalayer
def test_indicators_envelope_and_items_are_the_kpi_records(ctx_for):
    ctx = ctx_for()
    records = kpi_records(ctx)["indicators"]
    first = api.indicators(ctx)
    assert set(first) == {"as_of", "items", "total", "limit", "offset"}
    assert first["as_of"] == ctx.today.isoformat()
    assert (first["total"], first["limit"], first["offset"]) == (len(records), 100, 0)
    assert first["items"] == records[:100]
    page = api.indicators(ctx, limit="7", offset="100")
    assert page["items"] == records[100:107] and page["limit"] == 7
    assert api.indicators(ctx, limit=10_000)["items"] == records
    assert api.indicators(ctx, offset=len(records))["items"] == []


@pytest.mark.datalayer
def test_one_indicator_has_metadata_and_its_records(ctx_for, indicator_code):
    body = api.indicator(ctx_for(), indicator_code.lower())
    assert body["indicator"]["code"] == indicator_code
    assert body["indicator"]["frequency"] in ("Y", "Q", "M")
    assert body["records"] and all(r["code"] == indicator_code for r in body["records"])
    with pytest.raises(api.NotFound) as error:
        api.indicator(ctx_for(), "NO_SUCH_INDICATOR")
    assert error.value.status == 404 and error.value.body()["error"]["code"] == "not_found"


@pytest.mark.datalayer
def test_observations_national_regional_all_and_bounds(ctx_for, indicator_code):
    ctx = ctx_for()
    national = api.observations(ctx, indicator_code)
    assert list(national.columns) == list(api.OBSERVATION_COLUMNS)
    assert len(national) and national["region"].isna().all()
    expected = queries.series(ctx.engine, ctx.viewer, [indicator_code])
    assert list(national["value"]) == list(expected["value"].astype(float))
    every = api.observations(ctx, indicator_code, region="all")
    assert every["region"].nunique() > 5 and every["region"].isna().any()
    one = every["region"].dropna().iloc[0]
    regional = api.observations(ctx, indicator_code, region=one.lower())
    assert (regional["region"] == one).all()
    first, last = national["period"].iloc[0], national["period"].iloc[-1]
    assert list(api.observations(ctx, indicator_code, from_=last)["period"]) == [last]
    assert list(api.observations(ctx, indicator_code, to=first)["period"]) == [first]
    page = api.observations_page(ctx, indicator_code, limit=2)
    assert page["total"] == len(national) and len(page["items"]) == min(2, len(national))
    for bad in ({"from_": "20x4"}, {"to": "yesterday"}, {"from_": last, "to": first}):
        with pytest.raises(api.BadRequest):
            api.observations(ctx, indicator_code, **bad)
    with pytest.raises(api.NotFound):
        api.observations(ctx, indicator_code, region="XXX")


@pytest.mark.datalayer
def test_as_of_reads_values_known_then(ctx_for, indicator_code):
    ctx = ctx_for()
    early = ctx_for(as_of=ctx.today.replace(year=ctx.today.year - 3))
    assert len(api.observations(early, indicator_code)) <= len(api.observations(ctx, indicator_code))
    assert api.indicators(early)["as_of"] == early.today.isoformat()


@pytest.mark.datalayer
def test_node_with_children_and_scope(ctx_for, readonly_demo_engine):
    ctx = ctx_for()
    projects = queries.projects_under(readonly_demo_engine, ctx.viewer)
    program = projects["parent"].value_counts().index[0]
    body = api.node(ctx, program)
    assert body["node"]["code"] == program and body["node"]["level"] == "program"
    assert {c["code"] for c in body["children"]} == set(projects.loc[projects["parent"] == program, "code"])
    regions = set(projects.loc[projects["parent"] == program, "region"])
    region = sorted(regions)[0]
    akim = ctx_for(viewer=Viewer("akim", region=region))
    scoped = api.node(akim, program)
    assert scoped["children"] and {c["region"] for c in scoped["children"]} == {region}
    other = projects.loc[projects["region"] != region, "code"].iloc[0]
    assert api.node(ctx, other)["node"]["code"] == other
    with pytest.raises(api.NotFound):
        api.node(akim, other)
    with pytest.raises(api.NotFound):
        api.node(ctx, "NO-SUCH-NODE")


@pytest.mark.datalayer
def test_regions_are_listed_with_predecessors(ctx_for):
    body = api.regions(ctx_for(), limit=10_000)
    codes = [r["code"] for r in body["items"]]
    assert body["total"] == len(codes) >= 17 and "KZ" not in codes and codes == sorted(codes)
    assert any(r["predecessors"] for r in body["items"])


@pytest.mark.datalayer
def test_etag_follows_params_viewer_and_data_version(ctx_for):
    ctx = ctx_for()
    tag = api.etag(ctx, "/api/v1/indicators", {"limit": "5", "offset": ""})
    assert tag == api.etag(ctx, "/api/v1/indicators", {"limit": "5"})
    assert tag != api.etag(ctx, "/api/v1/indicators", {"limit": "6"})
    assert tag != api.etag(ctx_for(viewer=Viewer("akim", region="AST")), "/api/v1/indicators", {"limit": "5"})
    assert api.last_modified(ctx) is not None


def test_openapi_document_describes_every_endpoint():
    document = openapi_document()
    assert document["openapi"].startswith("3.0")
    assert set(document["paths"]) == {"/api/v1/indicators", "/api/v1/indicators/{code}",
                                      "/api/v1/indicators/{code}/observations", "/api/v1/nodes/{code}",
                                      "/api/v1/regions"}
    schemas = document["components"]["schemas"]
    assert {"KpiRecord", "Error", "Observation"} <= set(schemas)
    record_keys = {"code", "name", "unit", "direction", "node", "region", "baseline", "target", "latest",
                   "progress", "expected_progress", "forecast", "status", "reason", "freshness"}
    assert set(schemas["KpiRecord"]["properties"]) == record_keys
