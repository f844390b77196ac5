"""Instructions (поручения) on screen: one AG Grid of instructions shared by ``/instructions``, the
program, project and region pages and the official's scorecard, and the instructions section those
pages show. Rows come from ``services.instructions.LIST_COLUMNS`` frames; the state is icon + word on
its tint (never colour alone); the names of the assignee, the issuer and the official an overdue
instruction escalates to link to ``/officials/<code>``, the linked program or project to its page.
Every word and date is formatted on the server in the page's language.
"""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import quote

import dash_ag_grid as dag
import pandas as pd
from dash import dcc, html

from dashboards._components import breadcrumb, page_header, page_section
from dashboards._data import PAGINATION_WORDS, markdown_text
from dashboards._grid import grid_locale
from dashboards._shell import page_context
from dashboards._theme import status_style
from dashboards._urls import first, href, overview_href, parse_as_of, parse_int, program_href, project_href, same_page
from services.formatting import date_text, val
from services.i18n import Translator
from services.instructions import VIEWS, InstructionFilters, InstructionListing, build_instructions, parse_view

INSTRUCTIONS_GRID = "instructions-grid"  # type of the grids' pattern-matching ids

#: How each state looks: the status style it borrows (fg/bg/accent) and its icon.
STATE_STYLES = {"overdue": ("red", "✕"), "due_soon": ("amber", "◔"), "open": ("no_data", "◷"), "done": ("green", "✓")}
STATE_RANK = {state: rank for rank, state in enumerate(STATE_STYLES)}
#: Rows per page of a grid paginated in the browser (the program, project and region lists).
BROWSER_PAGE_SIZE = 10
#: Every field a grid can show, in reading order; pages pick theirs. The instruction's own cell (always
#: there, pinned) holds its text, code, meeting and who issued it when; ``assignee`` the agency under
#: the name; ``done_report`` the report under the day it was done.
ALL_FIELDS = ("state", "due", "assignee", "linked", "escalation", "done", "done_report")
#: The fields of ``/instructions`` (one page chosen by the server: nothing to sort, everything to read).
LIST_FIELDS = ("state", "due", "assignee", "linked", "escalation", "done_report")
#: The fields of the instructions section of program, project and region pages (sorted in the grid).
PAGE_FIELDS = ("state", "due", "assignee", "linked", "escalation", "done")


def instructions_grid_id(key: str) -> dict:
    return {"type": INSTRUCTIONS_GRID, "key": key}


def official_href(code: str, params: Mapping[str, object] | None = None) -> str:
    return href(f"/officials/{quote(str(code), safe='-_.~')}", params)


def node_href(code: str, level: str | None, params: Mapping[str, object] | None = None) -> str:
    """The page of a node: its program or project page, the overview of a portfolio."""
    if level == "project":
        return project_href(code, params)
    if level == "portfolio":
        return overview_href(params, code)
    return program_href(code, params)


def person_link(code: Any, name: Any, params: Mapping[str, object]) -> str:
    """A Markdown link to the official's scorecard (the name alone when there is no code)."""
    if not code:
        return markdown_text(str(name or "–"))
    return f"[{markdown_text(str(name or code))}]({official_href(str(code), params)})"


def state_text(row: Mapping[str, Any], t: Translator) -> str:
    """The state in words: overdue by n days, due in n days (today), open, done."""
    state = str(val(row, "state", "open"))
    if state == "overdue":
        return t("instruction.overdue_days", days=t.number(int(val(row, "days_overdue", 0)), 0))
    if state == "due_soon":
        days = int(val(row, "days_left", 0))
        return t("acc.instruction.due_today") if days == 0 else t("acc.instruction.due_in", days=t.number(days, 0))
    return t(f"instruction.{state}")


def _lines(*parts: Any) -> str:
    """Markdown lines (a hard break between them) of the parts that are not empty."""
    return "  \n".join(str(part) for part in parts if part)


def instruction_rows(frame: pd.DataFrame, t: Translator, params: Mapping[str, object]) -> list[dict]:
    """Grid rows: ISO dates and ranks for sorting, ``*_text`` and Markdown (``*_md``, names and texts
    escaped) for display."""
    rows = []
    for r in frame.to_dict("records"):
        state = str(val(r, "state", "open"))
        icon = STATE_STYLES.get(state, STATE_STYLES["open"])[1]
        node, level = val(r, "node"), val(r, "node_level")
        overdue = state == "overdue"
        escalation_title = ""
        if overdue and val(r, "escalation_owner"):
            escalation_title = (t("acc.escalation.node", node=val(r, "escalation_node")) if val(r, "escalation_node")
                                else t("acc.escalation.issuer"))
        meeting = ", ".join(part for part in (str(val(r, "meeting", "") or ""),
                                              date_text(val(r, "meeting_date"), t)) if part)
        done = date_text(val(r, "done_date"), t) if val(r, "done_date") is not None else "–"
        rows.append({
            "code": str(r["code"]), "text": str(val(r, "text", "") or ""), "meeting": meeting,
            "text_md": _lines(markdown_text(str(val(r, "text", "") or "–")),
                              f"`{r['code']}` · {markdown_text(meeting)}",
                              t("acc.issued_by", name=person_link(val(r, "issued_by"), val(r, "issued_by_name"), params),
                                date=date_text(val(r, "issued_date"), t))),
            "state": state, "state_rank": STATE_RANK.get(state, 2),
            "state_text": f"{icon}\u00a0{state_text(r, t)}",
            "due": str(val(r, "due_date", ""))[:10], "due_text": date_text(val(r, "due_date"), t),
            "assignee": str(val(r, "assignee_name", "") or ""),
            "assignee_md": _lines(person_link(val(r, "assignee"), val(r, "assignee_name"), params),
                                  markdown_text(str(val(r, "agency_name", "") or ""))),
            "assignee_title": str(val(r, "assignee_post", "") or ""),
            "linked": str(val(r, "node_name", "") or ""),
            "linked_md": (f"[{markdown_text(str(val(r, 'node_name', node)))}]({node_href(str(node), level, params)})"
                          if node else "–"),
            "escalation": str(val(r, "escalation_owner_name", "") or "") if overdue else "",
            "escalation_md": (person_link(val(r, "escalation_owner"), val(r, "escalation_owner_name"), params)
                              if overdue and val(r, "escalation_owner") else "–"),
            "escalation_title": escalation_title,
            "done": str(val(r, "done_date", "") or "")[:10], "done_text": done,
            "report": str(val(r, "report", "") or ""),
            "done_report_md": _lines(done, markdown_text(str(val(r, "report", "") or ""))),
        })
    return rows


def _state_column(t: Translator) -> dict:
    conditions = []
    for state, (status, _) in STATE_STYLES.items():
        style = status_style(status)
        conditions.append({"condition": f"params.data.state === '{state}'",
                           "style": {"color": style.fg, "backgroundColor": style.bg, "fontWeight": "600"}})
    return {"headerName": t("col.state"), "field": "state_rank", "colId": "state", "minWidth": 130, "width": 150,
            "wrapText": True, "autoHeight": True,
            "valueFormatter": {"function": "params.data.state_text"},
            "filterValueGetter": {"function": "params.data.state_text"},
            "cellStyle": {"styleConditions": conditions}}


def instruction_columns(t: Translator, fields: tuple[str, ...] = ALL_FIELDS) -> list[dict]:
    """Column definitions: the instruction itself (pinned), then ``fields`` in :data:`ALL_FIELDS` order."""
    wrap = {"wrapText": True, "autoHeight": True}
    markdown = {"cellRenderer": "markdown", **wrap}

    def person(field: str, header: str, tooltip: str | None = None, width: int = 160) -> dict:
        return {"headerName": header, "field": f"{field}_md", "colId": field, "minWidth": width - 15, "width": width,
                "tooltipField": tooltip or field, "filterValueGetter": {"function": f"params.data.{field}"}, **markdown}

    available = {
        "state": _state_column(t),
        "due": {"headerName": t("col.due"), "field": "due", "minWidth": 125, "width": 140, **wrap,
                "valueFormatter": {"function": "params.data.due_text"},
                "filterValueGetter": {"function": "params.data.due_text"}},
        "assignee": person("assignee", t("col.assignee"), "assignee_title"),
        "linked": person("linked", t("acc.col.linked"), width=200),
        "escalation": person("escalation", t("acc.col.escalation"), "escalation_title"),
        "done": {"headerName": t("col.done"), "field": "done", "minWidth": 140, "width": 150, **wrap,
                 "valueFormatter": {"function": "params.data.done_text"},
                 "filterValueGetter": {"function": "params.data.done_text"}},
        "done_report": {"headerName": t("acc.col.done_report"), "field": "done_report_md", "colId": "done_report",
                        "minWidth": 130, "width": 160, "tooltipField": "report", **markdown},
    }
    columns = [{"headerName": t("col.instruction"), "field": "text_md", "colId": "text", "width": 400, "minWidth": 280,
                "pinned": "left", "tooltipField": "text", "filterValueGetter": {"function": "params.data.text"},
                **markdown}]
    return columns + [available[field] for field in ALL_FIELDS if field in fields]


def instructions_grid(frame: pd.DataFrame, t: Translator, params: Mapping[str, object], key: str, *,
                      fields: tuple[str, ...] = PAGE_FIELDS, browser_pages: bool = True) -> dag.AgGrid:
    """The grid of ``frame``'s instructions. ``browser_pages``: the whole list is given and the grid
    pages, sorts and filters it; otherwise the rows are one page the server chose (no sorting or
    filtering in the grid, which would only reorder that page)."""
    rows = instruction_rows(frame, t, params)
    locale = grid_locale(t) | {name: t(message_id) for name, message_id in PAGINATION_WORDS.items()}
    options: dict[str, Any] = {"localeText": locale, "tooltipShowDelay": 300, "enableCellTextSelection": True,
                               "animateRows": False, "domLayout": "autoHeight", "suppressCellFocus": False}
    default: dict[str, Any] = {"resizable": True, "suppressHeaderMenuButton": True, "wrapHeaderText": True,
                               "autoHeaderHeight": True}
    if browser_pages:
        options.update(pagination=len(rows) > BROWSER_PAGE_SIZE, paginationPageSize=BROWSER_PAGE_SIZE,
                       paginationPageSizeSelector=False)
        default.update(sortable=True, filter=True)
    else:
        default.update(sortable=False, filter=False)
    return dag.AgGrid(
        id=instructions_grid_id(key), rowData=rows, columnDefs=instruction_columns(t, fields), defaultColDef=default,
        getRowId="params.data.code", dashGridOptions=options, columnSize="responsiveSizeToFit",
        className="nt-grid nt-instr-grid", style={"height": None},
    )


def instructions_section(frame: pd.DataFrame | None, t: Translator, params: Mapping[str, object], section_id: str,
                         *, heading: str, empty: str, key: str, lead: Any = None, summary: bool = True,
                         fields: tuple[str, ...] = PAGE_FIELDS) -> html.Section:
    """A page's instructions (program, project, region): ``lead``, the counts by state (unless
    ``summary`` is False: the lead says them), the grid; or ``empty`` in words when there are none."""
    if frame is None or frame.empty:
        return page_section(heading, section_id, html.P(empty, className="nt-empty"), lead=lead)
    counts = frame["state"].value_counts()
    states = html.Ul([html.Li(html.Span([html.Span(STATE_STYLES[state][1], **{"aria-hidden": "true"}), " ",
                                         t(f"acc.state.{state}"), ": ", html.Strong(t.number(int(counts[state]), 0))]),
                              className=f"nt-instr-count nt-instr-count--{state}")
                      for state in STATE_STYLES if counts.get(state)],
                     className="nt-instr-counts list-unstyled", **{"aria-label": t("acc.instructions.by_state")})
    return page_section(heading, section_id, states if summary else None,
                        html.Div(instructions_grid(frame, t, params, key, fields=fields), className="nt-grid-wrap"),
                        lead=lead)


# --- /instructions --------------------------------------------------------------------------------------

INSTRUCTIONS_PAGE = "instructions-page"
VIEW_TABS = "instructions-views"
#: Query parameters of the list's filters (``services.instructions.InstructionFilters``).
FILTER_PARAMS = ("assignee", "agency", "region", "node", "meeting_date", "issued_by")
#: The longest code a filter accepts from the URL (longer ones cannot exist).
MAX_CODE_LENGTH = 64


def parse_filters(params: Mapping[str, object]) -> InstructionFilters:
    """The list's filters from the URL: codes (too long ones dropped), the meeting's day as a date."""
    codes = {}
    for name in ("assignee", "agency", "region", "node", "issued_by"):
        value = first(params.get(name))
        codes[name] = value if value is not None and len(value) <= MAX_CODE_LENGTH else None
    return InstructionFilters(meeting_date=parse_as_of(params.get("meeting_date")), **codes)


def page_number(params: Mapping[str, object]) -> int:
    return max(1, min(parse_int(params.get("page")) or 1, 1_000_000))


def view_tabs(listing: InstructionListing, t: Translator, params: Mapping[str, object]) -> html.Nav:
    """``?view=`` as links (the URL is the state), each with its count where one applies."""
    counts = {"all": "all", "due_week": "due_week", "overdue_assignee": "overdue", "overdue_agency": "overdue"}
    items = []
    for view in VIEWS:
        label: list[Any] = [t(f"acc.view.{view}")]
        if view in counts:
            label.append(html.Span(t.number(listing.counts.get(counts[view], 0), 0), className="nt-seg__count"))
        current = view == listing.view
        items.append(html.Li(dcc.Link(
            label, href=same_page("/instructions", params, view=None if view == "all" else view, page=None),
            className="nt-seg__link" + (" is-current" if current else "")),
            className="nt-seg__item", **({"aria-current": "true"} if current else {})))
    return html.Nav(html.Ul(items, className="nt-seg list-unstyled mb-0"), id=VIEW_TABS, className="nt-seg-wrap",
                    **{"aria-label": t("acc.views")})


def _filter_label(name: str, value: Any, rows: pd.DataFrame, t: Translator) -> str:
    """"<what>: <value>", the value named from the rows where they say it (an assignee's name)."""
    names = {"assignee": "assignee_name", "agency": "agency_name", "region": "region_name", "issued_by": "issued_by_name"}
    shown = date_text(value, t) if name == "meeting_date" else str(value)
    column = names.get(name)
    if column and not rows.empty and column in rows:
        code_column = {"assignee": "assignee", "agency": "agency", "region": "region", "issued_by": "issued_by"}[name]
        match = rows[rows[code_column].astype(str).str.upper() == str(value).upper()]
        if not match.empty and match.iloc[0][column]:
            shown = str(match.iloc[0][column])
    return t(f"acc.filter.{name}", value=shown)


def active_filters(listing: InstructionListing, t: Translator, params: Mapping[str, object]) -> html.Div | None:
    """The filters in force, each a link that removes it, and one that removes them all."""
    filters = listing.filters
    if not filters.active:
        return None
    chips = []
    for name in FILTER_PARAMS:
        value = getattr(filters, name)
        if value is None:
            continue
        label = _filter_label(name, value, listing.rows, t)
        chips.append(dcc.Link([label, html.Span(" ×", **{"aria-hidden": "true"})],
                              href=same_page("/instructions", params, **{name: None, "page": None}),
                              className="nt-chip", title=t("acc.filter.remove", filter=label)))
    cleared = same_page("/instructions", params, page=None, **{name: None for name in FILTER_PARAMS})
    chips.append(dcc.Link(t("acc.filter.clear"), href=cleared, className="nt-chip nt-chip--clear"))
    return html.Div([html.Span(t("acc.filter.heading"), className="nt-chips__label"), *chips], className="nt-chips")


def pager(listing: InstructionListing, t: Translator, params: Mapping[str, object]) -> html.Nav | None:
    """"<first>–<last> of <total>", previous and next page links (``?page=``)."""
    if listing.total == 0:
        return None
    first_row = (listing.page - 1) * listing.page_size + 1
    last_row = min(listing.page * listing.page_size, listing.total)
    parts: list[Any] = [html.Span(t("acc.pager.range", first=t.number(first_row, 0), last=t.number(last_row, 0),
                                    total=t.number(listing.total, 0)), className="nt-muted")]
    if listing.page > 1:
        parts.append(dcc.Link(["← ", t("acc.pager.previous")],
                              href=same_page("/instructions", params, page=listing.page - 1 if listing.page > 2 else None)))
    if listing.page < listing.pages:
        parts.append(dcc.Link([t("acc.pager.next"), " →"],
                              href=same_page("/instructions", params, page=listing.page + 1)))
    return html.Nav(parts, className="nt-pager", **{"aria-label": t("acc.pager.label")})


def _group_grid(rows: list[dict], columns: list[dict], key: str, t: Translator) -> dag.AgGrid:
    locale = grid_locale(t) | {name: t(message_id) for name, message_id in PAGINATION_WORDS.items()}
    return dag.AgGrid(
        id=instructions_grid_id(key), rowData=rows, columnDefs=columns, getRowId="params.data.key",
        defaultColDef={"sortable": True, "resizable": True, "suppressHeaderMenuButton": True, "wrapHeaderText": True,
                       "autoHeaderHeight": True},
        dashGridOptions={"localeText": locale, "tooltipShowDelay": 300, "enableCellTextSelection": True,
                         "animateRows": False, "domLayout": "autoHeight", "pagination": len(rows) > 15,
                         "paginationPageSize": 15, "paginationPageSizeSelector": False},
        columnSize="responsiveSizeToFit", className="nt-grid nt-instr-grid", style={"height": None},
    )


def overdue_groups_grid(listing: InstructionListing, t: Translator, params: Mapping[str, object]) -> Any:
    """Overdue instructions counted per assignee (names link to their scorecards) or per agency; each
    row opens the list of its overdue instructions."""
    groups, by = listing.groups, listing.view.removeprefix("overdue_")
    if groups is None or groups.empty:
        return html.P(t("acc.instructions.none_overdue"), className="nt-empty")
    rows = []
    for r in groups.to_dict("records"):
        name = markdown_text(str(val(r, "name", r["key"])))
        rows.append({
            "key": str(r["key"]),
            "name": str(val(r, "name", r["key"])),
            "name_md": (person_link(r["key"], r["name"], params) + f"  \n{markdown_text(str(val(r, 'post', '') or ''))}"
                        if by == "assignee" else name),
            "agency": str(val(r, "agency_name", "") or ""),
            "overdue": int(r["overdue"]), "days": int(val(r, "days_overdue", 0)),
            "oldest": str(r["oldest_due"])[:10], "oldest_text": date_text(r["oldest_due"], t),
            "list_md": f"[{markdown_text(t('acc.groups.show'))}]"
                       f"({same_page('/instructions', params, page=None, **{by: r['key']})})",
        })
    columns = [{"headerName": t("col.assignee") if by == "assignee" else t("acc.col.agency"), "field": "name_md",
                "colId": "name", "minWidth": 240, "flex": 3, "cellRenderer": "markdown", "wrapText": True,
                "autoHeight": True, "tooltipField": "name"}]
    if by == "assignee":
        columns.append({"headerName": t("acc.col.agency"), "field": "agency", "minWidth": 180, "flex": 2,
                        "wrapText": True, "autoHeight": True})
    columns += [
        {"headerName": t("acc.col.overdue"), "field": "overdue", "type": "numericColumn", "minWidth": 110},
        {"headerName": t("acc.col.oldest_due"), "field": "oldest", "minWidth": 130,
         "valueFormatter": {"function": "params.data.oldest_text"}},
        {"headerName": t("col.days_overdue"), "field": "days", "type": "numericColumn", "minWidth": 120},
        {"headerName": t("acc.col.list"), "field": "list_md", "minWidth": 120, "sortable": False,
         "cellRenderer": "markdown"},
    ]
    return html.Div(_group_grid(rows, columns, f"overdue-{by}", t), className="nt-grid-wrap")


def meetings_grid(listing: InstructionListing, t: Translator, params: Mapping[str, object]) -> Any:
    """Meetings, newest first: the day, the meeting (opens its instructions), who chaired it, counts."""
    groups = listing.groups
    if groups is None or groups.empty:
        return html.P(t("acc.instructions.empty"), className="nt-empty")
    rows = []
    for r in groups.to_dict("records"):
        day = str(r["meeting_date"])[:10]
        target = same_page("/instructions", params, view=None, page=None, meeting_date=day, issued_by=r["issued_by"])
        rows.append({
            "key": f"{day}|{r['issued_by']}", "meeting": str(val(r, "meeting", "") or ""),
            "meeting_md": f"[{markdown_text(str(val(r, 'meeting', '') or '–'))}]({target})",
            "date": day, "date_text": date_text(r["meeting_date"], t),
            "chair": str(val(r, "issued_by_name", "") or ""),
            "chair_md": person_link(r["issued_by"], r["issued_by_name"], params),
            "chair_title": str(val(r, "issued_by_post", "") or ""),
            **{column: int(r[column]) for column in ("instructions", "done", "outstanding", "overdue")},
        })
    columns = [
        {"headerName": t("acc.col.meeting_date"), "field": "date", "minWidth": 130,
         "valueFormatter": {"function": "params.data.date_text"}},
        {"headerName": t("acc.col.meeting"), "field": "meeting_md", "colId": "meeting", "minWidth": 260, "flex": 3,
         "cellRenderer": "markdown", "wrapText": True, "autoHeight": True, "tooltipField": "meeting"},
        {"headerName": t("acc.col.chair"), "field": "chair_md", "colId": "chair", "minWidth": 180, "flex": 2,
         "cellRenderer": "markdown", "wrapText": True, "autoHeight": True, "tooltipField": "chair_title"},
        *({"headerName": t(f"acc.col.{column}"), "field": column, "type": "numericColumn", "minWidth": 110}
          for column in ("instructions", "done", "outstanding", "overdue")),
    ]
    return html.Div(_group_grid(rows, columns, "meetings", t), className="nt-grid-wrap")


def instructions_view(listing: InstructionListing, t: Translator, params: Mapping[str, object], *,
                      today: Any = None) -> html.Div:
    """The whole ``/instructions`` page for one view of the listing."""
    crumbs = breadcrumb([(t("nav.overview"), overview_href(params)), (t("nav.instructions"), None)], t)
    lines = [t("overview.as_of", date=date_text(today, t))] if today is not None else []
    header = page_header(t("acc.instructions.title"), eyebrow=t("acc.instructions.eyebrow"), lines=lines)
    parts: list[Any] = [crumbs, header]
    if not listing.visible:
        parts.append(html.P(t("acc.instructions.hidden"), className="nt-empty"))
        return html.Div(parts, id=INSTRUCTIONS_PAGE, className="nt-page nt-page--instructions")
    parts += [view_tabs(listing, t, params), html.P(t(f"acc.view_lead.{listing.view}"), className="nt-lead")]
    if listing.view == "by_meeting":
        parts += [meetings_grid(listing, t, params), pager(listing, t, params)]
    else:
        if listing.groups is not None:
            parts.append(page_section(t(f"acc.groups.{listing.view}"), "instructions-groups",
                                      overdue_groups_grid(listing, t, params)))
        body: Any = (html.Div(instructions_grid(listing.rows, t, params, "list", fields=LIST_FIELDS,
                                                browser_pages=False),
                              className="nt-grid-wrap")
                     if not listing.rows.empty else html.P(t("acc.instructions.empty"), className="nt-empty"))
        parts.append(page_section(t("acc.instructions.list"), "instructions-list", active_filters(listing, t, params),
                                  body, pager(listing, t, params)))
    return html.Div(parts, id=INSTRUCTIONS_PAGE, className="nt-page nt-page--instructions",
                    **{"data-view": listing.view, "data-total": str(listing.total), "data-page": str(listing.page)})


def render(params: Mapping[str, object]) -> Any:
    """Query (through the service) and render ``/instructions`` for the URL's view, page and filters."""
    ctx = page_context(params)
    listing = build_instructions(ctx, parse_view(first(params.get("view"))), page_number(params),
                                 parse_filters(params))
    return instructions_view(listing, ctx.t, params, today=ctx.today)


def official_link(text: Any, code: Any, params: Mapping[str, object]) -> Any:
    """``text`` (e.g. "Accountable: <name>, <post>") as a link to official ``code``'s scorecard; the
    text alone when there is no code or no text."""
    if not text or not code:
        return text
    return dcc.Link(text, href=official_href(str(code), params), className="nt-official-link")
