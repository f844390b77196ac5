"""The briefing pack over HTTP (docs/export.md, "Briefing pack"): a Flask blueprint registered by
``app.create_app`` beside the chart exports.

``/briefing?node=CODE&region=CODE&lang=kk|ru|en&as_of=YYYY-MM-DD`` (every parameter optional: the
national portfolio, the whole country, ``NATIJE_LANG``, the reference day) answers the PDF itself,
inline, named ``natije_briefing_<node>_<region|KZ>_<day>_<lang>.pdf``. It is rendered by
:func:`briefing`, the code path of ``natije briefing`` and of the pages' button, with the viewer
from the settings (never from the request), and kept in the store for the current data: the same
request again is one indexed read. 400 for malformed parameters, 404 for an unknown node or region
or one outside the viewer's scope, 503 when the browser cannot draw a chart.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, request
from werkzeug.http import dump_options_header

from services import api, chart_images
from services.briefing import Briefing, BriefingNotFound, BriefingRequest, briefing_pdf
from services.context import Context, make_context

blueprint = Blueprint("natije_briefing", __name__)

TEXT_TYPE = "text/plain; charset=utf-8"


def briefing(ctx: Context, node: str | None, region: str | None) -> Briefing:
    """:func:`services.briefing.briefing_pdf` with the charts rebuilt as the export route rebuilds them."""
    from dashboards._chart_kinds import build_chart  # the pages import this module, and the chart kinds the pages

    return briefing_pdf(ctx, node=node, region=region, charts=build_chart)


def _text(message: str, status: int) -> Response:
    response = Response(message, status=status, content_type=TEXT_TYPE)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _inline(pack: Briefing) -> Response:
    """The PDF shown by the browser (``inline``), saved under its own name."""
    disposition = dump_options_header("inline", {"filename": pack.file_name})
    disposition += f"; filename*=UTF-8''{quote(pack.file_name, safe='')}"
    response = Response(pack.content, status=200, content_type=pack.media_type)
    response.headers["Content-Disposition"] = disposition
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Natije-Briefing"] = "cached" if pack.cached else "rendered"
    return response


@blueprint.get("/briefing")
def briefing_route() -> Response:
    """The briefing pack of the query's node and region."""
    from services.runtime import runtime

    try:
        wanted = BriefingRequest.from_query(request.args.to_dict(flat=False))
    except api.ApiError as error:
        return _text(error.message, error.status)
    rt = runtime()
    ctx = make_context(rt.engine, rt.settings, lang=wanted.lang, as_of=wanted.as_of)
    try:
        pack = briefing(ctx, wanted.node, wanted.region)
    except BriefingNotFound as error:
        return _text(str(error), 404)
    except chart_images.RenderFailed as error:
        return _text(str(error), 503)
    return _inline(pack)


def install(server) -> None:  # noqa: ANN001 - the Flask server of the Dash app
    """Register ``/briefing`` on the app's Flask server."""
    server.register_blueprint(blueprint)
