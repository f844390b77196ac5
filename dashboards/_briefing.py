"""The "Briefing pack (PDF)" button of the overview, program and region pages (docs/export.md).

:func:`briefing_button` keeps the page's node, region, language and as-of day in a ``dcc.Store``;
a click runs :func:`deliver_briefing`, which renders the pack through the code path of
``/briefing`` and ``natije briefing`` (``dashboards._briefing_route.briefing``) and delivers it by
``dcc.Download``. While it renders, the button is disabled and busy and a spinner says the pack is
being prepared (Dash's ``running``); afterwards a status line names the file, or says why there is
none. The scope comes from the client, so the service re-checks it for the viewer on the server.
"""

from __future__ import annotations

import base64
from typing import Any, Mapping

from dash import Input, Output, State, callback, dcc, html, no_update

from dashboards import _ids as ids
from dashboards._briefing_route import briefing
from dashboards._shell import page_context
from dashboards._urls import first
from services import api
from services.briefing import BriefingNotFound
from services.chart_images import RenderFailed
from services.i18n import Translator


def briefing_button(t: Translator, params: Mapping[str, object], *, node: str | None = None,
                    region: str | None = None) -> html.Div:
    """The button for the pack of ``node`` (None: the national portfolio) and ``region`` (None: the
    whole country) in the page's language and as-of day."""
    scope = {"node": node, "region": region, "lang": t.lang, "as_of": first(params.get("as_of"))}
    return html.Div([
        html.Button([html.Span("↓ ", **{"aria-hidden": "true"}), t("briefing.button")], id=ids.BRIEFING_BUTTON,
                    type="button", n_clicks=0, title=t("briefing.button.hint"),
                    className="btn btn-outline-primary btn-sm"),
        html.Span([html.Span(className="spinner-border spinner-border-sm me-1", **{"aria-hidden": "true"}),
                   t("briefing.button.busy")], id=ids.BRIEFING_SPINNER, hidden=True, className="small text-muted"),
        html.Span(id=ids.BRIEFING_STATUS, role="status", className="small text-muted", **{"aria-live": "polite"}),
        dcc.Store(id=ids.BRIEFING_SCOPE, data=scope),
        dcc.Download(id=ids.BRIEFING_DOWNLOAD),
    ], id=ids.BRIEFING, className="d-flex flex-wrap align-items-center gap-2 my-2 d-print-none")


@callback(
    Output(ids.BRIEFING_DOWNLOAD, "data"),
    Output(ids.BRIEFING_STATUS, "children"),
    Input(ids.BRIEFING_BUTTON, "n_clicks"),
    State(ids.BRIEFING_SCOPE, "data"),
    running=[(Output(ids.BRIEFING_BUTTON, "disabled"), True, False),
             (Output(ids.BRIEFING_BUTTON, "aria-busy"), "true", "false"),
             (Output(ids.BRIEFING_SPINNER, "hidden"), False, True)],
    prevent_initial_call=True,
)
def deliver_briefing(_clicks: int | None, scope: Mapping[str, Any] | None) -> tuple[Any, str]:
    """The pack of the page's scope as a download, and the status line (the file's name, or why not)."""
    scope = scope if isinstance(scope, Mapping) else {}
    ctx = page_context({"lang": scope.get("lang"), "as_of": scope.get("as_of")})
    t = ctx.t
    try:
        pack = briefing(ctx, scope.get("node"), scope.get("region"))
    except (BriefingNotFound, api.ApiError):
        return no_update, t("briefing.error.not_found")
    except RenderFailed:
        return no_update, t("briefing.error.render")
    download = {"content": base64.b64encode(pack.content).decode("ascii"), "filename": pack.file_name,
                "type": pack.media_type, "base64": True}
    return download, t("briefing.button.done", file=pack.file_name)
