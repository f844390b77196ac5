"""The projects grid (``dash_ag_grid.AgGrid``): sort, filter, and a click (or Enter) opens the project.

Used by the program page (its projects) and the region page (the region's projects). Rows are built
from a services frame (``services.nodes.CHILD_COLUMNS`` or ``services.regions.REGION_PROJECT_COLUMNS``);
only the columns the frame has are shown. Status is text with its icon (never colour alone), on the
status tint. Every visible word of the grid (filter menus, "no rows") comes from the catalogs.

Navigation: :func:`navigate_to_project` is the one callback for every projects grid on a page (row
click: ``cellClicked``; keyboard: Enter on a focused row, forwarded as ``eventData`` by
``assets/dashAgGridFunctions.js``); it sets the page's ``dcc.Location`` (``ids.NAV_LOCATION``, added
by the shell) to
``/projects/<code>`` keeping the language and as-of day of the current URL.
"""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import parse_qs

import dash
import dash_ag_grid as dag
import pandas as pd
from dash import ALL, Input, Output, State, callback

from dashboards import _ids as ids
from dashboards._theme import STATUS, status_style
from dashboards._urls import project_href
from services.formatting import date_text, finite, status_name, val
from services.i18n import Translator

#: Rows beyond which the grid stops growing and scrolls.
AUTO_HEIGHT_ROWS = 30
GRID_HEIGHT_PX = 560

#: AG Grid locale keys -> catalog ids (the words a user can see in the grid's menus and overlays).
GRID_WORDS = {
    "noRowsToShow": "grid.no_rows", "filterOoo": "grid.filter", "searchOoo": "grid.search",
    "contains": "grid.contains", "notContains": "grid.not_contains", "equals": "grid.equals",
    "notEqual": "grid.not_equal", "startsWith": "grid.starts_with", "endsWith": "grid.ends_with",
    "blank": "grid.blank", "notBlank": "grid.not_blank", "lessThan": "grid.less_than",
    "greaterThan": "grid.greater_than", "lessThanOrEqual": "grid.less_than_or_equal",
    "greaterThanOrEqual": "grid.greater_than_or_equal", "inRange": "grid.in_range",
    "inRangeStart": "grid.range_from", "inRangeEnd": "grid.range_to", "andCondition": "grid.and",
    "orCondition": "grid.or", "applyFilter": "grid.apply", "resetFilter": "grid.reset", "clearFilter": "grid.clear",
    "cancelFilter": "grid.cancel", "selectAll": "grid.select_all", "blanks": "grid.blanks",
    "noMatches": "grid.no_matches", "loadingOoo": "grid.loading",
    # words screen readers say
    "ariaFilterInput": "grid.aria_filter_input", "ariaFilterMenuOpen": "grid.aria_filter_menu",
    "firstPage": "grid.first_page", "lastPage": "grid.last_page", "nextPage": "grid.next_page",
    "previousPage": "grid.previous_page", "ariaPageSizeSelectorLabel": "grid.page_size",
    "pageSizeSelectorLabel": "grid.page_size",
}


def grid_locale(t: Translator) -> dict[str, str]:
    return {key: t(message_id) for key, message_id in GRID_WORDS.items()}


def _status_text(status: Any, t: Translator) -> str:
    status = status if status in STATUS else "no_data"
    return f"{status_style(status).icon}\u00a0{status_name(status, t)}"  # icon and word stay together


def project_rows(frame: pd.DataFrame, t: Translator) -> list[dict]:
    """Grid rows: raw numbers for sorting, ``*_text`` for display and filtering, ``*_rank`` for
    sorting statuses worst first."""
    rows = []
    for _, r in frame.iterrows():
        row: dict[str, Any] = {"code": str(val(r, "code", "")), "name": str(val(r, "name", val(r, "code", "")))}
        if "region_name" in frame or "region" in frame:
            row["region"] = str(val(r, "region_name", val(r, "region", "")) or "")
        if "program_name" in frame or "program" in frame:
            row["program"] = str(val(r, "program_name", val(r, "program", "")) or "")
        if "state" in frame:
            state = val(r, "state")
            row["state"] = t(f"state.{state}") if state and t.has(f"state.{state}") else str(state or "–")
        for key in ("status", "schedule_health", "budget_health"):
            if key in frame:
                status = val(r, key, "no_data")
                status = status if status in STATUS else "no_data"
                row[key] = status
                row[f"{key}_text"] = _status_text(status, t)
                row[f"{key}_rank"] = STATUS[status].rank
        for key, reason in (("reason_text", "status_reason"), ("schedule_reason", "schedule_health_reason"),
                            ("budget_reason", "budget_health_reason")):
            if key in frame:
                row[reason] = str(val(r, key, "") or "")
        for key in ("spi", "cpi", "execution_to_date"):
            if key in frame:
                row[key] = finite(val(r, key))
                row[f"{key}_text"] = ("–" if row[key] is None else t.percent(row[key]) if key == "execution_to_date"
                                      else t.number(row[key], 2))
        if "milestones_overdue" in frame:
            row["milestones_overdue"] = finite(val(r, "milestones_overdue"))
        if "owner_name" in frame:
            row["owner"] = str(val(r, "owner_name", "") or "–")
            row["owner_post"] = str(val(r, "owner_post", "") or "")
        if "end_date" in frame:
            end = val(r, "end_date")
            row["end"] = str(end)[:10] if end is not None else None
            row["end_text"] = date_text(end, t)
        rows.append(row)
    return rows


def _status_column(key: str, header: str) -> dict:
    conditions = [{"condition": f"params.data.{key} === '{status}'",
                   "style": {"color": style.fg, "backgroundColor": style.bg, "fontWeight": "600"}}
                  for status, style in STATUS.items()]
    return {  # sorted worst first by rank, shown and filtered as icon + word, the reason on hover
        "headerName": header, "field": f"{key}_rank", "colId": key, "minWidth": 140, "flex": 1,
        "wrapText": True, "autoHeight": True, "tooltipField": f"{key}_reason",
        "valueFormatter": {"function": f"params.data.{key}_text"},
        "filter": "agTextColumnFilter", "filterValueGetter": {"function": f"params.data.{key}_text"},
        "cellStyle": {"styleConditions": conditions},
    }


def _ratio_column(key: str, header: str) -> dict:
    """A numeric column: sorted and filtered by the number, shown as the locale's text (``<key>_text``,
    formatted on the server: the browser's own locale data may lack Kazakh)."""
    return {
        "headerName": header, "field": key, "type": "numericColumn", "filter": "agNumberColumnFilter", "minWidth": 90,
        "valueFormatter": {"function": f"params.data.{key}_text"},
    }


#: The columns a grid shows (besides the project's name), in reading order; a field the rows lack is skipped.
PROGRAM_GRID_FIELDS = ("region", "status", "schedule_health", "budget_health", "spi", "cpi", "state", "owner")
REGION_GRID_FIELDS = ("program", "status", "spi", "cpi", "execution_to_date", "milestones_overdue", "state", "owner")


def project_columns(rows: list[dict], t: Translator, fields: tuple[str, ...] | None = None) -> list[dict]:
    """Column definitions for the fields the rows have (only ``fields`` when given), in reading order."""
    present = set().union(*(row.keys() for row in rows)) if rows else {"code", "name"}
    if fields is not None:
        present &= {"code", "name", *fields}
    columns: list[dict] = [{
        "headerName": t("col.project"), "field": "name", "minWidth": 220, "flex": 3, "pinned": "left",
        "tooltipField": "name", "cellClass": "nt-grid__link", "wrapText": True, "autoHeight": True,
    }]
    if "program" in present:
        columns.append({"headerName": t("col.program"), "field": "program", "minWidth": 170, "flex": 2,
                        "wrapText": True, "autoHeight": True})
    if "region" in present:
        columns.append({"headerName": t("col.region"), "field": "region", "minWidth": 160, "flex": 1,
                        "wrapText": True, "autoHeight": True})
    for key, header in (("status", t("col.status")), ("schedule_health", t("col.schedule")),
                        ("budget_health", t("col.budget"))):
        if key in present:
            columns.append(_status_column(key, header))
    for key, header in (("spi", t("col.spi")), ("cpi", t("col.cpi"))):
        if key in present:
            columns.append(_ratio_column(key, header))
    if "execution_to_date" in present:
        columns.append(_ratio_column("execution_to_date", t("col.execution")))
    if "milestones_overdue" in present:
        columns.append({"headerName": t("col.milestones_overdue"), "field": "milestones_overdue",
                        "type": "numericColumn", "filter": "agNumberColumnFilter", "minWidth": 110})
    if "state" in present:
        columns.append({"headerName": t("col.state"), "field": "state", "minWidth": 150, "wrapText": True,
                        "autoHeight": True})
    if "owner" in present:
        columns.append({"headerName": t("col.owner"), "field": "owner", "minWidth": 150, "flex": 2,
                        "tooltipField": "owner_post", "wrapText": True, "autoHeight": True})
    if "end" in present:
        columns.append({"headerName": t("col.end"), "field": "end", "minWidth": 120,
                        "valueFormatter": {"function": "params.data.end_text"}, "filter": False})
    return columns


def projects_grid(frame: pd.DataFrame | None, t: Translator, key: str,
                  fields: tuple[str, ...] | None = None) -> dag.AgGrid | None:
    """The grid of ``frame``'s projects (None for no projects: the caller says so in words), showing
    ``fields`` (default: every field the frame has)."""
    if frame is None or frame.empty:
        return None
    rows = project_rows(frame, t)
    many = len(rows) > AUTO_HEIGHT_ROWS
    options: dict[str, Any] = {
        "localeText": grid_locale(t), "tooltipShowDelay": 300, "enableCellTextSelection": True,
        "suppressCellFocus": False, "rowHeight": 48, "animateRows": False,
        "domLayout": "normal" if many else "autoHeight",
    }
    return dag.AgGrid(
        id=ids.project_grid_id(key), rowData=rows, columnDefs=project_columns(rows, t, fields),
        defaultColDef={"sortable": True, "filter": True, "floatingFilter": True, "resizable": True,
                       "suppressHeaderMenuButton": True, "wrapHeaderText": True, "autoHeaderHeight": True},
        getRowId="params.data.code", dashGridOptions=options, columnSize="responsiveSizeToFit",
        eventListeners={"cellKeyDown": ["natijeOpenRowOnEnter(params, setEventData)"]},
        className="nt-grid", style={"height": f"{GRID_HEIGHT_PX}px"} if many else {"height": None},
    )


def current_params(search: str | None) -> dict[str, str]:
    """The query string of the current URL (``?lang=kk&as_of=...``) as params."""
    parsed = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    return {key: values[0] for key, values in parsed.items() if values}


def project_target(clicked: Mapping[str, Any] | None, event: Mapping[str, Any] | None, triggered_prop: str | None,
                   search: str | None) -> str | None:
    """Where a click (``cellClicked``: its ``rowId``) or Enter (``eventData``: ``data.code``) goes."""
    code = None
    if triggered_prop == "cellClicked" and clicked:
        code = clicked.get("rowId")
    elif triggered_prop == "eventData" and event:
        data = event.get("data") or {}
        code = data.get("code") if isinstance(data, Mapping) else None
    if not code or not isinstance(code, str):
        return None
    return project_href(code, current_params(search))


@callback(
    Output(ids.NAV_LOCATION, "href", allow_duplicate=True),
    Input({"type": ids.PROJECT_GRID, "key": ALL}, "cellClicked"),
    Input({"type": ids.PROJECT_GRID, "key": ALL}, "eventData"),
    State(ids.NAV_LOCATION, "search"),
    prevent_initial_call=True,
)
def navigate_to_project(clicked: list, events: list, search: str | None) -> str:
    """A row clicked (or Enter on it) in any projects grid opens ``/projects/<code>``."""
    triggered = dash.ctx.triggered_id
    prop = (dash.ctx.triggered[0]["prop_id"].rsplit(".", 1)[-1] if dash.ctx.triggered else None)
    if not isinstance(triggered, Mapping):
        return dash.no_update
    grid_ids = [item["id"] for item in dash.ctx.inputs_list[0]]
    try:
        index = grid_ids.index(triggered)
    except ValueError:
        return dash.no_update
    target = project_target((clicked or [None])[index] if index < len(clicked or []) else None,
                            (events or [None])[index] if index < len(events or []) else None, prop, search)
    return target or dash.no_update
