"""Component ids, defined once. Pages, callbacks and tests import them from here.

Plain strings for singletons; ``*_id(key)`` helpers build the pattern-matching id dicts of
repeated components (one per KPI card, alert, ...), so a callback can address them with
``{"type": ..., "key": MATCH/ALL}``.
"""

from __future__ import annotations

# --- the shell (present on every page, inside the page content) -------------------------------------
PAGE_LANG = "natije-page-lang"          # dcc.Store: the page's language (drives <html lang>)
LANG_SINK = "natije-lang-sink"          # hidden div outside the page container (clientside output)
MAIN = "main"                           # <main> landmark; the skip link targets #main
NAVBAR = "natije-navbar"
LANG_SWITCH = "natije-lang-switch"
DEMO_BADGE = "natije-demo-badge"

# --- overview ---------------------------------------------------------------------------------------
PORTFOLIO_SELECTOR = "overview-portfolio-selector"
KPI_GRID = "overview-kpi-grid"
PROGRAM_GRID = "overview-program-grid"
ALERT_STRIP = "overview-alert-strip"

# --- program ----------------------------------------------------------------------------------------
PROGRAM_PAGE = "program-page"
PROGRAM_GOALS = "program-goals"
BREADCRUMB = "natije-breadcrumb"

# --- repeated components: types of pattern-matching ids ---------------------------------------------
KPI_CARD = "kpi-card"
KPI_STATUS = "kpi-status"          # the status badge button of a card (popover target)
KPI_REASON = "kpi-reason"          # the popover with the reason
ALERT_BUTTON = "alert-button"
ALERT_PANEL = "alert-panel"
PROGRAM_TILE = "program-tile"

#: The three alert kinds of the overview's alert strip, in display order.
ALERT_KINDS = ("off_track", "overdue", "stale")


def kpi_card_id(goal_id: object) -> dict:
    return {"type": KPI_CARD, "key": str(goal_id)}


def kpi_status_id(goal_id: object) -> dict:
    return {"type": KPI_STATUS, "key": str(goal_id)}


def kpi_reason_id(goal_id: object) -> dict:
    return {"type": KPI_REASON, "key": str(goal_id)}


def alert_button_id(kind: str) -> dict:
    return {"type": ALERT_BUTTON, "key": kind}


def alert_panel_id(kind: str) -> dict:
    return {"type": ALERT_PANEL, "key": kind}


def program_tile_id(code: str) -> dict:
    return {"type": PROGRAM_TILE, "key": code}


def dom_id(component_id: dict | str) -> str:
    """The DOM ``id`` attribute Dash renders for a (pattern-matching) id, e.g. for ``aria-controls``.

    Dash serialises dict ids as JSON with sorted keys and no spaces."""
    if isinstance(component_id, str):
        return component_id
    import json

    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
