"""The data API (docs/api.md) as plain composition: each endpoint of ``/api/v1`` is one function here
returning a JSON-ready dict (or, for observations, a frame of the observations template's columns).
No Flask: ``dashboards/_api.py`` parses the request, calls these and renders JSON or CSV.

Scope: every function takes the request's :class:`~services.context.Context`, whose viewer comes from
the settings (never from a request); the queries enforce it in SQL.
Errors: :class:`NotFound` (404 ``not_found``) and :class:`BadRequest` (400 ``bad_request``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from data_sources import queries
from data_sources.loaders.cells import parse_period
from data_sources.periods import label_frequency, period_end, period_start
from data_sources.store import NATION, normalise_code
from services.cache import by_data_version
from services.context import Context
from services.i18n import LANGUAGES
from services.kpi_records import UnknownCode, kpi_records

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
#: ``region=ALL``: every region (and the nation) in one list.
ALL_REGIONS = "ALL"
#: Columns of the observations template (docs/import.md): an API download loads back with ``natije load``.
OBSERVATION_COLUMNS = ("indicator", "period", "value", "region", "unit", "comment")
#: ``from`` / ``to``: the loader's period syntax (docs/import.md), exactly (also the OpenAPI pattern).
PERIOD_REGEX = (r"^[1-9][0-9]{3}(-[Qq][1-4]|-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
                r"|^(0?[1-9]|[12][0-9]|3[01])\.(0?[1-9]|1[0-2])\.[1-9][0-9]{3}$|^(0?[1-9]|1[0-2])\.[1-9][0-9]{3}$")
PERIOD_PATTERN = re.compile(PERIOD_REGEX)
#: A text cell starting with one of these is a formula to a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ApiError(Exception):
    """An error the API answers with ``{"error": {"code", "message"}}`` and ``status``."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}


class BadRequest(ApiError):
    status, code = 400, "bad_request"


class NotFound(ApiError):
    status, code = 404, "not_found"


# --- parameters -----------------------------------------------------------------------------------------

def _int_param(name: str, value: Any, default: int, low: int, high: int | None) -> int:
    if value is None:
        return default
    if not re.fullmatch(r"-?[0-9]+", str(value)):
        raise BadRequest(f"{name} must be an integer, not {value!r}")
    number = int(str(value))
    if number < low or (high is not None and number > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise BadRequest(f"{name} must be {bound}, not {number}")
    return number


def single_values(args: Mapping[str, Any], allowed: Sequence[str], what: str) -> dict[str, str]:
    """Query parameters (strings, or lists of one string) as one string each; a parameter not in
    ``allowed`` or given twice is a :class:`BadRequest` naming ``what`` takes which ones."""
    values: dict[str, str] = {}
    for key, value in args.items():
        if key not in allowed:
            raise BadRequest(f"unknown parameter {key!r}; {what} takes {', '.join(allowed)}")
        if isinstance(value, (list, tuple)):
            if len(value) != 1:
                raise BadRequest(f"{key} must be given once")
            value = value[0]
        values[key] = str(value)
    return values


def page_params(limit: Any = None, offset: Any = None) -> tuple[int, int]:
    """``(limit, offset)`` from the request's text: limit 1..10,000 (default 100), offset >= 0."""
    return _int_param("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT), _int_param("offset", offset, 0, 0, None)


def parse_as_of(value: Any) -> dt.date | None:
    """``as_of=YYYY-MM-DD`` (as on the pages); a malformed (or empty) date is a bad request here."""
    if value is None:
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(value)):
            raise ValueError(value)
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise BadRequest(f"as_of must be a date YYYY-MM-DD, not {value!r}") from None


def parse_lang(value: Any) -> str | None:
    """``lang=kk|ru|en`` (None when absent: ``NATIJE_LANG``); anything else is a bad request."""
    if value is None:
        return None
    if value not in LANGUAGES:
        raise BadRequest(f"lang must be one of {', '.join(LANGUAGES)}, not {value!r}")
    return str(value)


def parse_format(value: Any) -> str | None:
    """``format=json|csv`` (None when absent: the Accept header decides); anything else is a bad request."""
    if value is None:
        return None
    if value not in ("json", "csv"):
        raise BadRequest(f"format must be json or csv, not {value!r}")
    return str(value)


def envelope(ctx: Context, items: list, limit: int, offset: int) -> dict:
    """The list envelope: one page of ``items`` with the total and the page's bounds."""
    return {"as_of": ctx.today.isoformat(), "items": items[offset:offset + limit], "total": len(items),
            "limit": limit, "offset": offset}


def _json_value(value: Any) -> Any:
    """A JSON-ready scalar: dates as ISO text, NaN/NA as None, numpy scalars as Python ones."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    return value


def _rows(frame: pd.DataFrame) -> list[dict]:
    return [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]


# --- endpoints --------------------------------------------------------------------------------------------

@by_data_version(maxsize=32)
def _records(ctx: Context) -> list[dict]:
    return kpi_records(ctx)["indicators"]


def indicators(ctx: Context, *, limit: Any = None, offset: Any = None) -> dict:
    """``/api/v1/indicators``: the ``natije kpi`` records (services.kpi_records), paginated."""
    limit_, offset_ = page_params(limit, offset)
    return envelope(ctx, _records(ctx), limit_, offset_)


def _indicator_meta(ctx: Context, code: str) -> dict:
    frame = queries.indicators(ctx.engine, [code], lang=ctx.lang)
    if frame.empty:
        raise NotFound(f"no indicator {normalise_code(code)}")
    return _rows(frame)[0]


def indicator(ctx: Context, code: str) -> dict:
    """``/api/v1/indicators/<code>``: the indicator's metadata and its KPI records (one per goal)."""
    meta = _indicator_meta(ctx, code)
    return {"as_of": ctx.today.isoformat(), "indicator": meta,
            "records": [r for r in _records(ctx) if r["code"] == meta["code"]]}


def _period_bound(name: str, value: Any, *, end: bool) -> dt.date | None:
    if value is None:
        return None
    try:
        if not PERIOD_PATTERN.fullmatch(str(value)):
            raise ValueError(value)
        parsed = parse_period(str(value))
    except ValueError:
        raise BadRequest(f"{name} must be a period (2024, 2024-Q3, 2024-09) or a date, not {value!r}") from None
    if isinstance(parsed, dt.date):
        return parsed
    return period_end(period_start(parsed), label_frequency(parsed)) if end else period_start(parsed)


def observations(ctx: Context, code: str, *, region: str | None = None, from_: Any = None,
                 to: Any = None) -> pd.DataFrame:
    """The current values (as known at ``ctx.as_of``) of one indicator, oldest period first, in the
    observations template's columns (:data:`OBSERVATION_COLUMNS`; ``region`` empty for the nation).

    ``region``: absent: national; a region code; ``ALL``: every region and the nation.
    ``from_`` / ``to``: periods (or dates) bounding the periods returned, both included."""
    meta = _indicator_meta(ctx, code)
    start, end = _period_bound("from", from_, end=False), _period_bound("to", to, end=True)
    if start is not None and end is not None and start > end:
        raise BadRequest("from is after to")
    wanted = (region or "").strip()
    if wanted.upper() == ALL_REGIONS:
        frame = queries.regional_values(ctx.engine, ctx.viewer, [meta["code"]], as_of=ctx.as_of)
    else:
        region_code = normalise_code(wanted) if wanted else NATION
        if region_code not in set(queries.region_codes(ctx.engine)):
            raise NotFound(f"no region {region_code}")
        frame = queries.series(ctx.engine, ctx.viewer, [meta["code"]], region=region_code, as_of=ctx.as_of)
    if start is not None:
        frame = frame[frame["period_start"] >= pd.Timestamp(start)]
    if end is not None:
        frame = frame[frame["period_start"] <= pd.Timestamp(end)]
    frame = frame.sort_values(["period_start", "region"], kind="stable")
    return pd.DataFrame({
        "indicator": frame["indicator"].to_numpy(),
        "period": frame["period"].to_numpy(),
        "value": frame["value"].astype(float).to_numpy(),
        "region": [None if r == NATION else r for r in frame["region"]],
        "unit": meta["unit"],
        "comment": None,
    }, columns=list(OBSERVATION_COLUMNS))


def observations_page(ctx: Context, code: str, *, region: str | None = None, from_: Any = None, to: Any = None,
                      limit: Any = None, offset: Any = None) -> dict:
    """``/api/v1/indicators/<code>/observations`` as JSON: the envelope of observation rows."""
    limit_, offset_ = page_params(limit, offset)
    frame = observations(ctx, code, region=region, from_=from_, to=to)
    return envelope(ctx, _rows(frame), limit_, offset_)


NODE_FIELDS = ("code", "level", "kind", "name", "parent", "region", "region_name", "agency", "agency_name",
               "start_date", "end_date", "state", "weight", "budget_kzt", "legal_act", "synthetic", "source")
CHILD_FIELDS = ("code", "level", "kind", "name", "region", "region_name", "start_date", "end_date", "state",
                "budget_kzt")


def node(ctx: Context, code: str) -> dict:
    """``/api/v1/nodes/<code>``: a portfolio, program or project with its children; a project outside
    the viewer's region does not exist (404), and its children hold only the viewer's projects."""
    found = queries.node(ctx.engine, ctx.viewer, code, lang=ctx.lang)
    if found is None:
        raise NotFound(f"no node {normalise_code(code)}")
    children = queries.children(ctx.engine, ctx.viewer, found["code"], lang=ctx.lang)
    return {"as_of": ctx.today.isoformat(),
            "node": {k: _json_value(found[k]) for k in NODE_FIELDS},
            "children": _rows(children[list(CHILD_FIELDS)])}


def regions(ctx: Context, *, limit: Any = None, offset: Any = None) -> dict:
    """``/api/v1/regions``: the first-level regions with their predecessors, paginated."""
    limit_, offset_ = page_params(limit, offset)
    items: dict[str, dict] = {}
    for row in _rows(queries.regions(ctx.engine, lang=ctx.lang)):
        item = items.setdefault(row["code"], {
            "code": row["code"], "name": row["name"], "level": row["level"], "valid_from": row["valid_from"],
            "valid_to": row["valid_to"], "centre": row["centre"], "area_km2": row["area_km2"],
            "predecessors": []})
        if row["predecessor"]:
            item["predecessors"].append({"code": row["predecessor"], "name": row["predecessor_name"],
                                         "since": row["since"]})
    return envelope(ctx, list(items.values()), limit_, offset_)


# --- caching headers and CSV ---------------------------------------------------------------------------

def etag(ctx: Context, endpoint: str, params: Mapping[str, Any]) -> str:
    """A strong ETag of the data version, the viewer, the language, the reference day and the request's
    normalised parameters (sorted, empty ones dropped)."""
    normal = sorted((k, str(v)) for k, v in params.items() if v not in (None, ""))
    key = json.dumps([queries.data_version(ctx.engine), repr(ctx.viewer), ctx.lang,
                      ctx.today.isoformat(), endpoint, normal])
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def last_modified(ctx: Context) -> dt.datetime | None:
    """When the data last changed (the newest ledger entry), as an aware datetime, or None."""
    text = queries.last_change(ctx.engine)
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def neutralise_cell(value: Any) -> Any:
    """A CSV cell safe from formula injection: text starting with ``= + - @``, tab or CR gets a ``'``
    in front; numbers (and everything not text) stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_number(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value)).lower()
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return np.format_float_positional(float(value), trim="-")  # shortest round trip, never 1e-05


def to_csv(frame: pd.DataFrame | Iterable[Mapping[str, Any]], columns: Iterable[str] | None = None) -> str:
    """CSV text (comma, ``\\r\\n``, UTF-8 without BOM) with every text cell neutralised and numbers
    written as numbers (positional notation, shortest round trip)."""
    import csv
    import io

    rows = frame.to_dict("records") if isinstance(frame, pd.DataFrame) else list(frame)
    names = list(columns) if columns is not None else (
        list(frame.columns) if isinstance(frame, pd.DataFrame) else list(rows[0]) if rows else [])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise_cell(n) for n in names])
    for row in rows:
        cells = []
        for name in names:
            value = _json_value(row.get(name))
            if isinstance(value, str):
                cells.append(neutralise_cell(value))
            elif isinstance(value, (dict, list)):
                cells.append(neutralise_cell(json.dumps(value, ensure_ascii=False)))
            else:
                cells.append(_csv_number(value))
        writer.writerow(cells)
    return out.getvalue()


__all__ = ["ApiError", "BadRequest", "NotFound", "UnknownCode", "indicators", "indicator", "observations",
           "observations_page", "node", "regions", "etag", "last_modified", "neutralise_cell", "to_csv"]
