"""The read-only data API (docs/api.md): a Flask blueprint at ``/api/v1/...`` and ``/api/openapi.json``.

Web plumbing only: parse the request, call :mod:`services.api` (which composes the queries, the
viewer's scope enforced in SQL), render JSON or CSV, add ETag / Last-Modified and answer 304 to
conditional requests (If-None-Match with weak comparison, lists and ``*``; If-Modified-Since). The
viewer comes from the settings (``NATIJE_VIEWER_*``), never from a request header.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Callable

from flask import Blueprint, Response, request
from werkzeug.http import unquote_etag

from services import api
from services.context import Context, make_context
from services.openapi import openapi_document

blueprint = Blueprint("natije_api", __name__)

CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json"


def _context() -> Context:
    from services.runtime import runtime

    rt = runtime()
    return make_context(rt.engine, rt.settings, lang=api.parse_lang(request.args.get("lang")),
                        as_of=api.parse_as_of(request.args.get("as_of")))


def _wants_csv() -> bool:
    fmt = api.parse_format(request.args.get("format"))
    if fmt:
        return fmt == "csv"
    best = request.accept_mimetypes.best_match([JSON_TYPE, "text/csv"], default=JSON_TYPE)
    return best == "text/csv" and request.accept_mimetypes["text/csv"] > request.accept_mimetypes[JSON_TYPE]


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, allow_nan=False), status=status,
                    mimetype=JSON_TYPE)


def _error(error: api.ApiError) -> Response:
    return _json(error.body(), error.status)


def _not_modified(tag: str, modified: dt.datetime | None) -> bool:
    """Whether a conditional GET gets 304 (RFC 9110 §13.2.2): If-None-Match, when sent, decides alone —
    ``*``, or a list of entity tags compared weakly (``W/"x"`` matches ``"x"``, §8.8.3.2); else
    If-Modified-Since, when a valid HTTP date, at or after Last-Modified (whole seconds)."""
    if "If-None-Match" in request.headers:
        return request.if_none_match.contains_weak(unquote_etag(tag)[0])
    since = request.if_modified_since
    return since is not None and modified is not None and modified.replace(microsecond=0) <= since


def _serve(endpoint: str, render: Callable[[Context, bool], tuple[str, str]]) -> Response:
    """Answer one GET: errors as JSON, 304 without a body when the client's copy is current
    (:func:`_not_modified`), else the body with Last-Modified; ETag, Cache-Control and Vary either way."""
    try:
        as_csv = _wants_csv()
        ctx = _context()
        params = {k: v for k, v in request.args.items() if k != "format"} | {"format": "csv" if as_csv else "json"}
        tag = api.etag(ctx, request.path, params)
        modified = api.last_modified(ctx)
        if _not_modified(tag, modified):
            response = Response(status=304)
        else:
            text, mimetype = render(ctx, as_csv)
            response = Response(text, status=200, content_type=mimetype)
    except api.ApiError as error:
        return _error(error)
    response.headers["ETag"] = tag
    if modified is not None:
        response.last_modified = modified
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Vary"] = "Accept"
    return response


def _list_csv(items: list[dict]) -> str:
    return api.to_csv(items)


def _render(body: dict, as_csv: bool, csv_items: Callable[[dict], list[dict]] | None = None) -> tuple[str, str]:
    if as_csv:
        items = csv_items(body) if csv_items else body.get("items", [])
        return _list_csv(items), CSV_TYPE
    return json.dumps(body, ensure_ascii=False, allow_nan=False), JSON_TYPE


@blueprint.get("/api/v1/indicators")
def indicators() -> Response:
    args = request.args
    return _serve("indicators", lambda ctx, as_csv: _render(
        api.indicators(ctx, limit=args.get("limit"), offset=args.get("offset")), as_csv))


@blueprint.get("/api/v1/indicators/<code>")
def indicator(code: str) -> Response:
    return _serve("indicator", lambda ctx, as_csv: _render(
        api.indicator(ctx, code), as_csv, lambda body: body["records"]))


@blueprint.get("/api/v1/indicators/<code>/observations")
def observations(code: str) -> Response:
    args = request.args

    def render(ctx: Context, as_csv: bool) -> tuple[str, str]:
        kwargs = dict(region=args.get("region"), from_=args.get("from"), to=args.get("to"))
        if as_csv:
            frame = api.observations(ctx, code, **kwargs)
            if args.get("limit") or args.get("offset"):
                limit, offset = api.page_params(args.get("limit"), args.get("offset"))
                frame = frame.iloc[offset:offset + limit]
            return api.to_csv(frame, api.OBSERVATION_COLUMNS), CSV_TYPE
        return _render(api.observations_page(ctx, code, **kwargs, limit=args.get("limit"),
                                             offset=args.get("offset")), False)

    return _serve(f"observations:{code}", render)


@blueprint.get("/api/v1/nodes/<code>")
def node(code: str) -> Response:
    return _serve("node", lambda ctx, as_csv: _render(api.node(ctx, code), as_csv, lambda body: body["children"]))


@blueprint.get("/api/v1/regions")
def regions() -> Response:
    args = request.args
    return _serve("regions", lambda ctx, as_csv: _render(
        api.regions(ctx, limit=args.get("limit"), offset=args.get("offset")), as_csv))


@blueprint.get("/api/openapi.json")
def openapi() -> Response:
    return _json(openapi_document())


@blueprint.route("/api/v1/", defaults={"rest": ""})
@blueprint.route("/api/v1/<path:rest>")
def unknown(rest: str) -> Response:
    return _error(api.NotFound(f"no endpoint /api/v1/{rest}"))


def install(server) -> None:  # noqa: ANN001 - the Flask server of the Dash app
    """Register the API on the app's Flask server, with JSON errors for 404/405 under ``/api/``."""
    server.register_blueprint(blueprint)
