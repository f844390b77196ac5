"""The files of ``/data``: a Flask blueprint (registered by ``app.create_app`` like the data API).

* ``/data/download/<indicator>.csv`` and ``.xlsx`` (``?region=CODE|ALL``, ``?lang=``, ``?as_of=``): an
  indicator's values in the observations template's columns (they load back with ``natije load``);
* ``/data/templates/<name>.csv`` and ``.xlsx`` (``?lang=kk|ru|en``): a blank template with its examples;
* ``/data/files/<sha256>``: a loaded file's kept bytes, under the name it was uploaded with, for roles
  that upload (a region-scoped viewer: files of its region's batches); 404 otherwise.

Web plumbing only: the services compose and enforce the viewer's policy. The viewer comes from the
settings, never from the request.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, request
from werkzeug.http import dump_options_header

from dashboards._urls import parse_as_of
from services import api, catalogue
from services.context import Context, make_context
from services.i18n import normalise_lang

blueprint = Blueprint("natije_data_files", __name__)


def _context() -> Context:
    from services.runtime import runtime

    rt = runtime()
    lang = normalise_lang(request.args.get("lang"), rt.settings.lang)
    return make_context(rt.engine, rt.settings, lang=lang, as_of=parse_as_of(request.args.get("as_of")))


def _attachment(download: catalogue.Download) -> Response:
    """The file as an attachment (``filename*`` keeps Cyrillic names), never rendered by the browser."""
    ascii_name = download.file_name.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    disposition = dump_options_header("attachment", {"filename": ascii_name})
    disposition += f"; filename*=UTF-8''{quote(download.file_name, safe='')}"
    response = Response(download.content, status=200, content_type=download.mimetype)
    response.headers["Content-Disposition"] = disposition
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _indicator(code: str, fmt: str) -> Response:
    try:
        download = catalogue.indicator_download(_context(), code, fmt, region=request.args.get("region"))
    except api.ApiError as error:
        return Response(error.message, status=error.status, content_type="text/plain; charset=utf-8")
    return _attachment(download)


@blueprint.get("/data/download/<code>.csv")
def indicator_csv(code: str) -> Response:
    return _indicator(code, "csv")


@blueprint.get("/data/download/<code>.xlsx")
def indicator_xlsx(code: str) -> Response:
    return _indicator(code, "xlsx")


def _template(name: str, fmt: str) -> Response:
    from services.runtime import runtime

    lang = normalise_lang(request.args.get("lang"), runtime().settings.lang)
    try:
        download = catalogue.blank_template_download(name, lang, fmt)
    except KeyError:
        abort(404)
    return _attachment(download)


@blueprint.get("/data/templates/<name>.csv")
def template_csv(name: str) -> Response:
    return _template(name, "csv")


@blueprint.get("/data/templates/<name>.xlsx")
def template_xlsx(name: str) -> Response:
    return _template(name, "xlsx")


@blueprint.get("/data/files/<sha256>")
def kept_file(sha256: str) -> Response:
    download = catalogue.kept_file(_context(), sha256)
    if download is None:
        abort(404)
    return _attachment(download)


def install(server) -> None:  # noqa: ANN001 - the Flask server of the Dash app
    """Register the ``/data`` files on the app's Flask server."""
    server.register_blueprint(blueprint)
