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
PROGRAM_GOAL_CHARTS = "program-goal-charts"
BREADCRUMB = "natije-breadcrumb"

# --- navigation from callbacks (a grid row, a map region) -------------------------------------------
#: ``dcc.Location(refresh="callback-nav")`` on pages whose callbacks navigate (grid rows, map clicks).
NAV_LOCATION = "natije-nav"

# --- project ----------------------------------------------------------------------------------------
PROJECT_PAGE = "project-page"
PROJECT_EV = "project-earned-value"
PROJECT_MILESTONES = "project-milestones"
PROJECT_INSTRUCTIONS = "project-instructions"

# --- regions (the map) and one region (the akim's view) ---------------------------------------------
REGIONS_PAGE = "regions-page"
REGIONS_INDICATOR = "regions-indicator"      # dcc.Dropdown: the indicator (drives ?indicator=)
REGIONS_YEAR = "regions-year"                # dcc.Dropdown: the year (drives ?year=)
REGIONS_PER_CAPITA = "regions-per-capita"    # links: absolute | per 10,000 people (?per_capita=)
REGIONS_RANKING = "regions-ranking"          # the ranking table beside the map (links to each region)
REGIONS_MAP_KEY = "regions-map"              # chart key of the choropleth (its graph: chart_graph_id)
REGION_PAGE = "region-page"
REGION_KPIS = "region-kpis"
REGION_INSTRUCTIONS = "region-instructions"

# --- repeated components: types of pattern-matching ids ---------------------------------------------
KPI_CARD = "kpi-card"
KPI_STATUS = "kpi-status"          # the status badge button of a card (popover target)
KPI_REASON = "kpi-reason"          # the popover with the reason
ALERT_BUTTON = "alert-button"
ALERT_PANEL = "alert-panel"
PROGRAM_TILE = "program-tile"
CHART = "chart"                    # the card of dashboards._chart.chart
CHART_GRAPH = "chart-graph"        # its dcc.Graph
CHART_EXPORTS = "chart-exports"    # its export menu (PNG, SVG, PDF, CSV, XLSX)
PROJECT_GRID = "project-grid"      # a dash_ag_grid.AgGrid of projects (program page, region page)
GOAL_BLOCK = "goal-block"          # a goal's chart with its status and reason

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


def chart_id(key: object) -> dict:
    return {"type": CHART, "key": str(key)}


def chart_graph_id(key: object) -> dict:
    return {"type": CHART_GRAPH, "key": str(key)}


def chart_exports_id(key: object) -> dict:
    return {"type": CHART_EXPORTS, "key": str(key)}


def project_grid_id(key: str) -> dict:
    return {"type": PROJECT_GRID, "key": key}


def goal_block_id(goal_id: object) -> dict:
    return {"type": GOAL_BLOCK, "key": str(goal_id)}


def dom_id(component_id: dict | str) -> str:
    """The DOM ``id`` attribute Dash renders for a (pattern-matching) id, e.g. for ``aria-controls``.

    Dash serialises dict ids as JSON with sorted keys and no spaces."""
    if isinstance(component_id, str):
        return component_id
    import json

    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


# --- the situation room (/room) -----------------------------------------------------------------------
ROOM = "room"                          # the wall's root: its data-* attributes drive assets/room.js
ROOM_CONFIG = "room-config"            # dcc.Store: the room's validated config (panels, timings, theme)
ROOM_SIGNAL = "room-signal"            # dcc.Store: room.js sets it ({version, asked}) when the poll sees a new version
ROOM_PANELS = "room-panels"
ROOM_TICKER = "room-ticker"
ROOM_CLOCK = "room-clock"
ROOM_CONNECTION = "room-connection"    # "reconnecting…", shown by room.js while the server does not answer
ROOM_DIGESTS = "room-digests"          # dcc.Store: a digest per panel of what the browser shows (unchanged: not redrawn)
ROOM_SHOWN = "room-shown"              # hidden: the data version the panels show (the refresh writes it)
ROOM_PROBLEMS = "room-problems"        # what the URL asked that the room ignored or adjusted
ROOM_PANEL_HEAD = "room-panel-head"    # types of the pattern ids of each panel's parts
ROOM_PANEL_META = "room-panel-meta"
ROOM_PANEL_BODY = "room-panel-body"


def room_panel_head_id(index: int) -> dict:
    return {"type": ROOM_PANEL_HEAD, "index": index}


def room_panel_meta_id(index: int) -> dict:
    return {"type": ROOM_PANEL_META, "index": index}


def room_panel_body_id(index: int) -> dict:
    return {"type": ROOM_PANEL_BODY, "index": index}


# --- the briefing pack button (dashboards/_briefing.py) on the overview, program and region pages ----
BRIEFING = "briefing"                          # the button's wrapper
BRIEFING_BUTTON = "briefing-button"            # html.Button: disabled (with its spinner) while the pack renders
BRIEFING_SPINNER = "briefing-spinner"          # the spinner and "preparing…" text, shown while it renders
BRIEFING_SCOPE = "briefing-scope"              # dcc.Store: node, region, lang, as_of of the page
BRIEFING_STATUS = "briefing-status"            # role=status: the file delivered, or why not
BRIEFING_DOWNLOAD = "briefing-download"        # dcc.Download: delivers the PDF
