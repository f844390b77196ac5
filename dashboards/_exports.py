"""Chart exports over HTTP (docs/export.md): a Flask blueprint registered by ``app.create_app``.

``/export/chart.<png|svg|pdf|csv|xlsx>?kind=...&node=...&indicator=...&region=...&year=...&per_capita=1
&lang=...&as_of=...`` answers the chart as an attachment named by ``services.exports.file_name``
(``natije_NP-HEALTH_LIFE_EXPECTANCY_KZ_2025-11-15.png``). The query is a
:class:`services.exports.ChartSpec` (the export menu of every chart writes it): the chart is rebuilt
on the server through ``dashboards._chart_kinds`` — the services the page asks, with the viewer's
scope (from the settings, never from the request) — so nothing a client sends is drawn except those
few validated fields. 400 for a malformed spec, 404 for a chart that does not exist for the viewer
(unknown or out-of-scope codes), 503 when the browser cannot draw an image.

With ``NATIJE_EXPORT_WARM=1`` the first request a process serves starts its Chromium in the
background (``services.chart_images.warm_up``), so even its first export is warm.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from dashboards._chart_kinds import build_chart
from dashboards._downloads import _attachment
from services import api, chart_images, exports
from services.context import make_context

blueprint = Blueprint("natije_chart_exports", __name__)

TEXT_TYPE = "text/plain; charset=utf-8"


def _text(message: str, status: int) -> Response:
    response = Response(message, status=status, content_type=TEXT_TYPE)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blueprint.get("/export/chart.<fmt>")
def chart_export(fmt: str) -> Response:
    """The chart of the query's spec as ``fmt``."""
    from services.runtime import runtime

    if fmt not in exports.FORMATS:
        abort(404)
    try:
        spec = exports.ChartSpec.from_query(request.args.to_dict(flat=False))
    except api.ApiError as error:
        return _text(error.message, error.status)
    rt = runtime()
    ctx = make_context(rt.engine, rt.settings, lang=spec.lang, as_of=spec.as_of)
    content = build_chart(ctx, spec)
    if content is None:
        return _text(f"no such {spec.kind} chart for this viewer", 404)
    try:
        download = exports.chart_file(content, spec, fmt, ctx.t, day=ctx.today)
    except chart_images.RenderFailed as error:
        return _text(str(error), 503)
    return _attachment(download)


class _WarmUp:
    """Starts the process's chart browser once, at the first request, when ``NATIJE_EXPORT_WARM=1``."""

    def __init__(self) -> None:
        self.done = False

    def __call__(self) -> None:
        if self.done:
            return
        self.done = True
        from services.runtime import runtime

        if runtime().settings.export_warm:
            chart_images.warm_up()


def install(server) -> None:  # noqa: ANN001 - the Flask server of the Dash app
    """Register the export route on the app's Flask server (and the warm-up of ``NATIJE_EXPORT_WARM``)."""
    server.register_blueprint(blueprint)
    server.before_request(_WarmUp())
