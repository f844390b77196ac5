"""The OpenAPI 3.0 document of the data API (served at ``/api/openapi.json``), written as data.

Keep it in step with :mod:`services.api` and docs/api.md: a test checks that every implemented path
is described here, and schemathesis (when installed) checks responses against these schemas.
"""

from __future__ import annotations

import copy

from services.api import DEFAULT_LIMIT, MAX_LIMIT, PERIOD_REGEX

_NUMBER = {"type": "number", "nullable": True}
_TEXT = {"type": "string", "nullable": True}
_DATE = {"type": "string", "format": "date", "nullable": True}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, required: list[str] | None = None, nullable: bool = False) -> dict:
    schema = {"type": "object", "properties": properties,
              "required": list(properties) if required is None else required}
    if nullable:
        schema["nullable"] = True
    return schema


SCHEMAS: dict = {
    "Error": _object({"error": _object({"code": {"type": "string", "enum": ["bad_request", "not_found"]},
                                        "message": {"type": "string"}})}),
    "KpiRecord": _object({
        "code": {"type": "string"},
        "name": {"type": "string"},
        "unit": {"type": "string"},
        "direction": {"type": "string", "enum": ["up", "down"]},
        "node": {"type": "string"},
        "region": _TEXT,
        "baseline": _object({"value": _NUMBER, "period": _TEXT}),
        "target": _object({"value": _NUMBER, "year": {"type": "integer"}}, nullable=True),
        "latest": _object({"value": _NUMBER, "period": _TEXT}),
        "progress": _NUMBER,
        "expected_progress": _NUMBER,
        "forecast": _object({"value": _NUMBER, "low": _NUMBER, "high": _NUMBER, "probability": _NUMBER,
                             "date": _DATE}, nullable=True),
        "status": {"type": "string", "enum": ["green", "amber_green", "amber", "amber_red", "red", "achieved",
                                              "missed", "no_data"]},
        "reason": _object({"code": {"type": "string"}, "text": {"type": "string"}}),
        "freshness": _object({"state": {"type": "string"}, "next_due": _DATE}),
    }),
    "Indicator": _object({
        "code": {"type": "string"}, "name": _TEXT, "unit": {"type": "string"},
        "direction": {"type": "string", "enum": ["up", "down"]},
        "frequency": {"type": "string", "enum": ["Y", "Q", "M"]}, "regional": {"type": "boolean"},
        "aggregation": {"type": "string", "enum": ["sum", "population_weighted_mean", "none"]},
        "decimals": {"type": "integer"}, "valid_min": _NUMBER, "valid_max": _NUMBER, "agency": _TEXT,
        "agency_name": _TEXT, "synthetic": {"type": "boolean"}, "source": _TEXT,
    }),
    "IndicatorDetail": _object({"as_of": {"type": "string", "format": "date"}, "indicator": _ref("Indicator"),
                                "records": {"type": "array", "items": _ref("KpiRecord")}}),
    "Observation": _object({
        "indicator": {"type": "string"}, "period": {"type": "string"}, "value": {"type": "number"},
        "region": {**_TEXT, "description": "region code; null for the nation"}, "unit": {"type": "string"},
        "comment": _TEXT,
    }),
    "Node": _object({
        "code": {"type": "string"}, "level": {"type": "string", "enum": ["portfolio", "program", "project"]},
        "kind": _TEXT, "name": _TEXT, "parent": _TEXT, "region": _TEXT, "region_name": _TEXT, "agency": _TEXT,
        "agency_name": _TEXT, "start_date": _DATE, "end_date": _DATE, "state": _TEXT, "weight": _NUMBER,
        "budget_kzt": _NUMBER, "legal_act": _TEXT, "synthetic": {"type": "boolean", "nullable": True},
        "source": _TEXT,
    }),
    "NodeChild": _object({
        "code": {"type": "string"}, "level": {"type": "string"}, "kind": _TEXT, "name": _TEXT, "region": _TEXT,
        "region_name": _TEXT, "start_date": _DATE, "end_date": _DATE, "state": _TEXT, "budget_kzt": _NUMBER,
    }),
    "NodeDetail": _object({"as_of": {"type": "string", "format": "date"}, "node": _ref("Node"),
                           "children": {"type": "array", "items": _ref("NodeChild")}}),
    "Region": _object({
        "code": {"type": "string"}, "name": _TEXT, "level": {"type": "string"}, "valid_from": _DATE,
        "valid_to": _DATE, "centre": _TEXT, "area_km2": _NUMBER,
        "predecessors": {"type": "array", "items": _object({"code": {"type": "string"}, "name": _TEXT,
                                                             "since": _DATE})},
    }),
}


def _page(item: str) -> dict:
    return _object({"as_of": {"type": "string", "format": "date"},
                    "items": {"type": "array", "items": _ref(item)},
                    "total": {"type": "integer", "minimum": 0},
                    "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                    "offset": {"type": "integer", "minimum": 0}})


for _name in ("KpiRecord", "Observation", "Region"):
    SCHEMAS[f"{_name}Page"] = _page(_name)


def _param(name: str, where: str, schema: dict, description: str, required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required or where == "path", "schema": schema,
            "description": description}


_CODE = _param("code", "path", {"type": "string", "pattern": "^[A-Za-z0-9_.-]+$"}, "code, any case")
_COMMON = [
    _param("lang", "query", {"type": "string", "enum": ["kk", "ru", "en"]}, "language of names (default NATIJE_LANG)"),
    _param("as_of", "query", {"type": "string", "format": "date"},
           "figures as known at the end of this day (Asia/Almaty), as on the pages"),
    _param("format", "query", {"type": "string", "enum": ["json", "csv"]},
           "json (default) or csv; the Accept header is used when absent"),
]
_PAGE = [
    _param("limit", "query", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
           "items per page"),
    _param("offset", "query", {"type": "integer", "minimum": 0, "default": 0}, "items to skip"),
]
_PERIOD = {"type": "string", "pattern": PERIOD_REGEX}


def _responses(schema: str, *, not_found: bool, csv: bool = True) -> dict:
    content = {"application/json": {"schema": _ref(schema)}}
    if csv:
        content["text/csv"] = {"schema": {"type": "string"}}
    error = {"content": {"application/json": {"schema": _ref("Error")}}}
    responses = {
        "200": {"description": "OK", "headers": {
            "ETag": {"schema": {"type": "string"}}, "Last-Modified": {"schema": {"type": "string"}}},
            "content": content},
        "304": {"description": "Not modified (If-None-Match matched the ETag by weak comparison, or If-Modified-Since is not older than Last-Modified)"},
        "400": {"description": "Bad request: a malformed parameter", **error},
    }
    if not_found:
        responses["404"] = {"description": "Not found: unknown code (or outside the viewer's scope)", **error}
    return responses


def _get(summary: str, parameters: list[dict], schema: str, *, not_found: bool) -> dict:
    return {"get": {"summary": summary, "operationId": summary.split(":")[0].replace(" ", "_").lower(),
                    "parameters": parameters, "responses": _responses(schema, not_found=not_found)}}


PATHS = {
    "/api/v1/indicators": _get("List indicators: the natije kpi records", [*_PAGE, *_COMMON], "KpiRecordPage",
                               not_found=False),
    "/api/v1/indicators/{code}": _get("Get indicator: metadata and its kpi records", [_CODE, *_COMMON],
                                      "IndicatorDetail", not_found=True),
    "/api/v1/indicators/{code}/observations": _get(
        "List observations: current values of one indicator in the observations template's columns",
        [_CODE,
         _param("region", "query", {"type": "string"}, "absent: national; a region code; ALL: every region"),
         _param("from", "query", _PERIOD, "first period (2024, 2024-Q3, 2024-09 or a date), included"),
         _param("to", "query", _PERIOD, "last period, included"),
         *_PAGE, *_COMMON],
        "ObservationPage", not_found=True),
    "/api/v1/nodes/{code}": _get("Get node: a portfolio, program or project with its children",
                                 [_CODE, *_COMMON], "NodeDetail", not_found=True),
    "/api/v1/regions": _get("List regions", [*_PAGE, *_COMMON], "RegionPage", not_found=False),
}


def openapi_document() -> dict:
    """The OpenAPI 3.0.3 document (a fresh copy: callers may change it)."""
    return copy.deepcopy({
        "openapi": "3.0.3",
        "info": {"title": "natije data API", "version": "1.0.0",
                 "description": "Read-only KPI data of natije (docs/api.md). The viewer's scope applies."},
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    })
