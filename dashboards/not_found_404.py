"""Dash's 404 page (any path no page claims): a friendly note in the user's language, a way back."""

from __future__ import annotations

import dash

from dashboards._components import message_panel
from dashboards._shell import page_lang
from dashboards._urls import overview_href
from services.i18n import translator

dash.register_page(__name__, path="/404", name="not-found", title="natije")


def layout(**params):
    t = translator(page_lang(params))
    return message_panel(t("notfound.heading"), t("notfound.text"), back_href=overview_href(params),
                         back_label=t("notfound.back"), icon="?")
