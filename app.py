"""natije — assemble the Dash app: pages, shell, locally served Bootstrap. Nothing imports this module.

    gunicorn app:server          # production
    natije run                   # cli.py calls app.run(host, port)

Offline by design: Bootstrap's CSS/JS come from the ``xstatic-bootstrap`` package through the
``/vendor/bootstrap/<path>`` route, Plotly and Dash's own bundles are served locally, and the
Plotly version check is off. No CDN anywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import dash
import xstatic.pkg.bootstrap as xstatic_bootstrap
from dash import Dash, html
from flask import abort, has_request_context, request, send_from_directory

ROOT = Path(__file__).resolve().parent
PAGES = ROOT / "dashboards"
ASSETS = ROOT / "assets"
BOOTSTRAP_DIR = Path(xstatic_bootstrap.BASE_DIR)
BOOTSTRAP_ROUTE = "/vendor/bootstrap/"
BOOTSTRAP_CSS = BOOTSTRAP_ROUTE + "css/bootstrap.min.css"

# Dash reads DASH_* defaults from the environment: never call Plotly's version server.
os.environ.setdefault("DASH_DISABLE_VERSION_CHECK", "true")


class NatijeDash(Dash):
    """Dash with ``<html lang>`` and the loading text in the request's language, and no version check."""

    def interpolate_index(self, **kwargs):  # type: ignore[override]
        from dashboards._shell import page_lang
        from services.i18n import translator

        params = dict(request.args) if has_request_context() else {}
        lang = page_lang(params)
        text = super().interpolate_index(**kwargs)
        text = text.replace("<html>", f'<html lang="{lang}">', 1)
        return text.replace("Loading...", translator(lang)("app.loading"), 1)

    def run(self, *args, **kwargs):  # type: ignore[override]
        kwargs.setdefault("dev_tools_disable_version_check", True)
        return super().run(*args, **kwargs)


def _serve_bootstrap(filename: str):
    """Files of the xstatic-bootstrap package (css/, js/), cached for a day."""
    if not filename.endswith((".css", ".js", ".map")):
        abort(404)
    return send_from_directory(BOOTSTRAP_DIR, filename, max_age=86400)


def create_app() -> Dash:
    """The natije Dash app: pages from ``dashboards/`` wrapped in the shell, Bootstrap served locally."""
    app = NatijeDash(
        __name__,
        use_pages=True,
        pages_folder=str(PAGES),
        assets_folder=str(ASSETS),
        external_stylesheets=[BOOTSTRAP_CSS],
        title="natije",
        update_title=None,  # no English "Updating..." in the tab title
        suppress_callback_exceptions=True,  # page components exist only on their page
        serve_locally=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.server.add_url_rule(BOOTSTRAP_ROUTE + "<path:filename>", "vendor_bootstrap", _serve_bootstrap)

    from dashboards import _api, _briefing_route, _downloads, _exports, _ids, _room, _shell

    _api.install(app.server)  # the data API: /api/v1/..., /api/openapi.json (docs/api.md)
    _downloads.install(app.server)  # the files of /data: downloads, blank templates, kept files
    _exports.install(app.server)  # every chart's PNG, SVG, PDF, CSV, XLSX: /export/chart.<format> (docs/export.md)
    _briefing_route.install(app.server)  # the briefing pack PDF: /briefing?node=&region=&lang= (docs/export.md)
    _room.install(app.server)  # what every situation-room wall polls: /room/status (docs/room.md)
    _shell.install(dash.page_registry)
    app.layout = html.Div([dash.page_container, html.Div(id=_ids.LANG_SINK, hidden=True)])
    return app


def run(host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> None:
    """Serve with the development server (``natije run``); production uses ``gunicorn app:server``."""
    app.run(host=host, port=port, debug=debug, dev_tools_disable_version_check=True)


app = create_app()
server = app.server

if __name__ == "__main__":
    from services.runtime import runtime

    settings = runtime().settings
    run(settings.host, settings.port)
