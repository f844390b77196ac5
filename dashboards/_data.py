"""``/data``: the data catalogue, the upload, the blank templates and the load history.

The view is a pure function of a ``services.catalogue.DataPage``; :func:`render` asks the service.
The URL is the state of the history (``?history=<page>``, ``?demo_batches=1`` to include the demo
generator's batches); the catalogue's filters narrow the grid's rows through :func:`filter_grid`.

Every callback treats its inputs as hostile (any client can POST anything to Dash): values are checked
against what the page offered, and the viewer's policy is enforced again on the server (the upload and
the reports refuse roles that do not upload, whatever the page showed).
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, Mapping, Sequence
from urllib.parse import quote

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, callback, dcc, html

from dashboards import _ids as ids
from dashboards._components import breadcrumb, page_header, page_section, stat_list, table
from dashboards._grid import current_params, grid_locale
from dashboards._regions import dropdown_labels
from dashboards._shell import page_context
from dashboards._theme import FRESHNESS, STATUS, status_style
from dashboards._urls import href, overview_href, parse_flag, parse_int, same_page
from services import catalogue as catalogue_service
from services.formatting import period_text, val
from services.i18n import Translator

# --- component ids of this page ------------------------------------------------------------------------
DATA_PAGE = "data-page"
DATA_GRID = "data-catalogue-grid"         # dash_ag_grid.AgGrid of the indicators
DATA_SEARCH = "data-search"               # text: code or name contains
DATA_AGENCY = "data-agency"               # dcc.Dropdown: owner agency
DATA_FREQUENCY = "data-frequency"         # dcc.Dropdown: Y / Q / M
DATA_FRESHNESS = "data-freshness"         # dcc.Dropdown: fresh / late / stale / no_data
DATA_SHOWN = "data-shown"                 # "n of N indicators shown"
DATA_UPLOAD = "data-upload"               # dcc.Upload
DATA_DRY_RUN = "data-dry-run"             # dbc.Switch: check only
DATA_TEMPLATE = "data-template"           # dcc.Dropdown: auto or a template
DATA_UPLOAD_RESULT = "data-upload-result"  # the report of the last upload
DATA_HISTORY = "data-history"             # the load history table and its pager
DATA_TEMPLATES = "data-templates"         # the blank templates
DATA_BATCH = "data-batch"                 # type of the pattern-matching "open the report" buttons
DATA_BATCH_MODAL = "data-batch-modal"
DATA_BATCH_REPORT = "data-batch-report"
DATA_BATCH_CLOSE = "data-batch-close"

AUTO_TEMPLATE = "auto"
FRESHNESS_ORDER = ("stale", "late", "no_data", "fresh")
FREQUENCIES = ("Y", "Q", "M")
GRID_PAGE_SIZE = 25
#: Problems listed in a report on the page (``natije load --json`` lists them all; a batch keeps 1,000).
PROBLEMS_SHOWN = 200
#: AG Grid's pagination words, besides those of ``dashboards._grid.GRID_WORDS``.
PAGINATION_WORDS = {"page": "data.grid.page", "of": "data.grid.of", "to": "data.grid.to", "more": "data.grid.more"}
MAX_SEARCH = 100


def batch_button_id(code: str) -> dict:
    return {"type": DATA_BATCH, "key": str(code)}


# --- the catalogue ------------------------------------------------------------------------------------

def _freshness_style(state: str) -> tuple[str, str, str]:
    """(icon, text colour, tint) of a freshness state; no data looks like the status ``no_data``."""
    if state in FRESHNESS:
        style = FRESHNESS[state]
        return style.icon, style.fg, style.bg
    style = STATUS["no_data"]
    return style.icon, style.fg, style.bg


def markdown_text(text: str) -> str:
    """``text`` with every character Markdown could read as markup escaped (names are data, not markup)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~&])", r"\\\1", text)


def download_links(code: str, params: Mapping[str, object]) -> str:
    """Markdown links to the indicator's CSV and XLSX (carrying the language and the as-of day)."""
    path = f"/data/download/{quote(str(code), safe='-_.~')}"
    return f"[CSV]({href(path + '.csv', params)}) · [XLSX]({href(path + '.xlsx', params)})"


def catalogue_rows(frame: pd.DataFrame, t: Translator, params: Mapping[str, object]) -> list[dict]:
    """Grid rows of the catalogue frame (``services.catalogue.CATALOGUE_ROW_COLUMNS``): raw values for
    sorting, ``*_text`` for display (formatted on the server: the browser may lack Kazakh locale data)."""
    rows = []
    for r in frame.to_dict("records"):
        state = str(val(r, "freshness", "no_data"))
        icon = _freshness_style(state)[0]
        start, known, due = val(r, "last_period_start"), val(r, "last_known_at"), val(r, "next_due")
        rows.append({
            "code": str(r["code"]), "name": str(val(r, "name", r["code"])),
            "name_md": f"{markdown_text(str(val(r, 'name', r['code'])))}  \n`{r['code']}`",
            "agency": str(val(r, "agency", "") or ""), "agency_name": str(val(r, "agency_name", "") or "–"),
            "frequency": str(val(r, "frequency", "")), "frequency_name": str(val(r, "frequency_name", "")),
            "unit": str(val(r, "unit_label", "") or ""),
            "last_period": str(start)[:10] if start is not None else "",
            "last_period_text": period_text(val(r, "last_period"), t) if val(r, "last_period") else "–",
            "last_known": known.isoformat() if known is not None else "",
            "last_known_text": str(val(r, "last_known_text", "–") or "–"),
            "freshness": state, "freshness_rank": FRESHNESS_ORDER.index(state) if state in FRESHNESS_ORDER else 2,
            "freshness_text": f"{icon}\u00a0{val(r, 'freshness_name', state)}",
            "freshness_title": (t("data.catalogue.expected_by", date=val(r, "next_due_text"))
                                if due is not None else str(val(r, "freshness_name", ""))),
            "owner": str(val(r, "owner_name", "") or "–"),
            "owner_title": " · ".join(str(x) for x in (val(r, "owner_post"), val(r, "owner_node")) if x),
            "source": str(val(r, "source", "") or "–"),
            "downloads": download_links(str(r["code"]), params),
        })
    return rows


def catalogue_columns(t: Translator) -> list[dict]:
    """Column definitions of the catalogue grid, in reading order."""
    conditions = []
    for state in FRESHNESS_ORDER:
        _, fg, bg = _freshness_style(state)
        conditions.append({"condition": f"params.data.freshness === '{state}'",
                           "style": {"color": fg, "backgroundColor": bg, "fontWeight": "600"}})
    wrap = {"wrapText": True, "autoHeight": True}
    return [
        {"headerName": t("col.indicator"), "field": "name_md", "colId": "name", "minWidth": 250, "flex": 3,
         "pinned": "left", "tooltipField": "name", "cellRenderer": "markdown", "cellClass": "nt-data__name", **wrap},
        {"headerName": t("col.agency"), "field": "agency_name", "minWidth": 150, "flex": 2,
         "tooltipField": "agency_name", **wrap},
        {"headerName": t("data.col.frequency"), "field": "frequency_name", "minWidth": 150, **wrap},
        {"headerName": t("col.latest_period"), "field": "last_period", "minWidth": 125,
         "valueFormatter": {"function": "params.data.last_period_text"}, **wrap},
        {"headerName": t("data.col.known_at"), "field": "last_known", "minWidth": 105,
         "valueFormatter": {"function": "params.data.last_known_text"}, **wrap},
        {"headerName": t("col.freshness"), "field": "freshness_rank", "colId": "freshness", "minWidth": 140,
         "valueFormatter": {"function": "params.data.freshness_text"}, "tooltipField": "freshness_title",
         "cellStyle": {"styleConditions": conditions}, **wrap},
        {"headerName": t("col.owner"), "field": "owner", "minWidth": 150, "flex": 2, "tooltipField": "owner_title",
         **wrap},
        {"headerName": t("data.col.source"), "field": "source", "minWidth": 115, "flex": 1, "tooltipField": "source",
         "cellClass": "nt-data__source"},
        {"headerName": t("data.col.download"), "field": "downloads", "minWidth": 125, "sortable": False,
         "cellRenderer": "markdown"},
    ]


def catalogue_grid(rows: list[dict], t: Translator) -> dag.AgGrid:
    locale = grid_locale(t) | {key: t(message_id) for key, message_id in PAGINATION_WORDS.items()}
    return dag.AgGrid(
        id=DATA_GRID, rowData=rows, columnDefs=catalogue_columns(t),
        defaultColDef={"sortable": True, "resizable": True, "suppressHeaderMenuButton": True,
                       "wrapHeaderText": True, "autoHeaderHeight": True},
        getRowId="params.data.code", columnSize="responsiveSizeToFit", className="nt-grid nt-data__grid",
        dashGridOptions={"localeText": locale, "tooltipShowDelay": 300, "enableCellTextSelection": True,
                         "animateRows": False, "domLayout": "autoHeight", "pagination": True,
                         "paginationPageSize": GRID_PAGE_SIZE, "paginationPageSizeSelector": False},
        style={"height": None},
    )


def filter_catalogue(frame: pd.DataFrame, *, agency: Any = None, frequency: Any = None, freshness: Any = None,
                     search: Any = None) -> pd.DataFrame:
    """The catalogue rows matching the filters. A filter value that is not one the page could offer
    (not text, or not a value of the frame) is ignored; ``search`` (code or name contains, any case) is
    cut to :data:`MAX_SEARCH` characters."""
    shown = frame
    for column, value in (("agency", agency), ("frequency", frequency), ("freshness", freshness)):
        if isinstance(value, str) and value in set(frame[column].dropna()):
            shown = shown[shown[column] == value]
    if isinstance(search, str) and search.strip():
        needle = search.strip()[:MAX_SEARCH].casefold()
        matches = (shown["code"].str.casefold().str.contains(needle, regex=False)
                   | shown["name"].astype(str).str.casefold().str.contains(needle, regex=False))
        shown = shown[matches]
    return shown


def shown_text(shown: int, total: int, t: Translator) -> str:
    return t("data.catalogue.shown", shown=t.number(shown, 0), total=t.number(total, 0))


def freshness_summary(frame: pd.DataFrame, t: Translator) -> html.Ul:
    """Indicators per freshness state (stale first) as small badges."""
    counts = frame["freshness"].value_counts() if not frame.empty else pd.Series(dtype=int)
    items = []
    for state in FRESHNESS_ORDER:
        if counts.get(state):
            icon, fg, bg = _freshness_style(state)
            items.append(html.Li(
                [html.Span(icon, className="nt-status__icon", **{"aria-hidden": "true"}),
                 html.Span(t.number(int(counts[state]), 0), className="nt-summary__count"),
                 html.Span(t(f"freshness.{state}"), className="nt-status__text")],
                className="nt-status nt-status--sm nt-summary__item",
                style={"color": fg, "backgroundColor": bg, "borderColor": fg}))
    return html.Ul(items, className="nt-summary list-unstyled", **{"aria-label": t("data.catalogue.summary")})


def _control(label: str, control_id: str, control: Any, wide: bool = False) -> html.Div:
    return html.Div([html.Label(label, htmlFor=control_id, className="nt-control__label"), control],
                    className="nt-control" + (" nt-control--wide" if wide else ""))


def catalogue_controls(frame: pd.DataFrame, t: Translator) -> html.Div:
    """Search, agency, frequency and freshness filters (they narrow the grid's rows)."""
    agencies = (frame[["agency", "agency_name"]].dropna(subset=["agency"]).drop_duplicates("agency")
                .sort_values("agency_name", key=lambda s: s.astype(str).str.casefold()))
    agency_options = [{"label": str(val(r, "agency_name", r["agency"])), "value": str(r["agency"])}
                      for r in agencies.to_dict("records")]
    frequency_options = [{"label": t(f"data.frequency.{f}"), "value": f} for f in FREQUENCIES
                         if f in set(frame["frequency"])]
    freshness_options = [{"label": t(f"freshness.{s}"), "value": s} for s in FRESHNESS_ORDER
                         if s in set(frame["freshness"])]
    labels = dropdown_labels(t)

    def dropdown(control_id: str, options: list[dict]) -> dcc.Dropdown:
        return dcc.Dropdown(id=control_id, options=options, value=None, clearable=True, searchable=len(options) > 8,
                            placeholder=t("data.filter.all"), labels=labels, className="nt-dropdown")

    return html.Div(
        [_control(t("data.filter.search"), DATA_SEARCH,
                  dcc.Input(id=DATA_SEARCH, type="search", debounce=True, maxLength=MAX_SEARCH,
                            placeholder=t("data.filter.search_hint"), className="nt-search"), wide=True),
         _control(t("col.agency"), DATA_AGENCY, dropdown(DATA_AGENCY, agency_options), wide=True),
         _control(t("data.col.frequency"), DATA_FREQUENCY, dropdown(DATA_FREQUENCY, frequency_options)),
         _control(t("col.freshness"), DATA_FRESHNESS, dropdown(DATA_FRESHNESS, freshness_options))],
        className="nt-card nt-controls", role="search", **{"aria-label": t("data.filter.label")},
    )


def catalogue_section(view: catalogue_service.DataPage, t: Translator, params: Mapping[str, object]) -> html.Section:
    frame = view.catalogue
    rows = catalogue_rows(frame, t, params)
    return page_section(
        t("data.catalogue.heading"), "data-catalogue",
        catalogue_controls(frame, t),
        html.P(shown_text(len(rows), len(rows), t), id=DATA_SHOWN, className="nt-muted small mb-2",
               role="status"),
        html.Div(catalogue_grid(rows, t), className="nt-grid-wrap"),
        aside=freshness_summary(frame, t), lead=t("data.catalogue.lead"),
    )


# --- reports (an upload's, a batch's) ---------------------------------------------------------------------

REPORT_STATUS = {"loaded": "green", "partial": "amber", "refused": "red"}


def report_status(status: str, t: Translator) -> html.Span:
    """``loaded`` / ``partial`` / ``refused`` as icon + word on its tint."""
    style = status_style(REPORT_STATUS.get(status, "no_data"))
    word = t(f"data.status.{status}") if status in REPORT_STATUS else status
    return html.Span([html.Span(style.icon, className="nt-status__icon", **{"aria-hidden": "true"}),
                      html.Span(word, className="nt-status__text")],
                     className=f"nt-status nt-status--sm nt-report__status nt-report__status--{status}",
                     style={"color": style.fg, "backgroundColor": style.bg, "borderColor": style.accent})


#: Characters of a cell's value shown in a report (the whole value on hover).
VALUE_SHOWN = 40


def value_cell(value: Any) -> Any:
    """A problem's cell value as code, cut to :data:`VALUE_SHOWN` characters (the whole on hover)."""
    if value in (None, ""):
        return "–"
    text = str(value)
    shown = text if len(text) <= VALUE_SHOWN else text[:VALUE_SHOWN - 1] + "…"
    return html.Code(shown, title=text if shown != text else None)


def problems_table(problems: Sequence[Mapping[str, Any]], total: int, t: Translator) -> html.Div:
    """Row, column, value and the message of each problem (the first :data:`PROBLEMS_SHOWN`)."""
    shown = list(problems)[:PROBLEMS_SHOWN]
    with_sheets = any(p.get("sheet") for p in shown)
    headers = ([t("data.report.sheet")] if with_sheets else []) + [
        t("data.report.row"), t("data.report.column"), t("data.report.value"), t("data.report.message")]
    rows = [([str(p.get("sheet") or "–")] if with_sheets else []) + [
        str(p["row"]) if p.get("row") is not None else "–", str(p.get("column") or "–"),
        value_cell(p.get("value")), str(p.get("message") or "")]
        for p in shown]
    parts: list[Any] = [html.H4(t("data.report.problems", count=t.number(max(total, len(problems)), 0)),
                                className="nt-report__subtitle"),
                        html.Div(table(headers, rows, caption=t("data.report.problems_caption"),
                                       numeric=(1,) if with_sheets else (0,)), className="nt-report__problems")]
    if max(total, len(problems)) > len(shown):
        parts.append(html.P(t("data.report.more_problems", shown=t.number(len(shown), 0),
                              total=t.number(max(total, len(problems)), 0)), className="nt-muted small"))
    return html.Div(parts)


def report_view(record: Mapping[str, Any], t: Translator, params: Mapping[str, object]) -> html.Div:
    """A load report (``services.loads.file_record``, plus ``loaded_text``/``actor``/``stored`` for a
    kept batch): status, counts, the refusal or the problems, the kept file to download."""
    rows = record.get("rows") or {}
    status = str(record.get("status") or "loaded")
    titles = record.get("template_titles") or [catalogue_service.template_title(name, t)
                                                for name in record.get("templates") or ()]
    meta = [line for line in (
        t("data.report.batch", batch=record["batch"]) if record.get("batch") else None,
        t("data.report.when_who", when=record["loaded_text"], actor=record.get("actor") or "–")
        if record.get("loaded_text") else None,
        t("data.report.templates", templates=", ".join(titles)) if titles else None) if line]
    parts: list[Any] = [
        html.Div([html.H3(str(record.get("file") or "–"), className="nt-report__file"), report_status(status, t)],
                 className="nt-report__head"),
        html.P(" · ".join(meta), className="nt-muted small mb-2") if meta else None,
    ]
    if record.get("dry_run"):
        parts.append(html.P(t("data.report.dry_run"), className="nt-report__note"))
    refused = record.get("refused")
    if refused:
        parts.append(html.P([html.Strong(t("data.report.refused")), " ", str(refused.get("message") or "")],
                            className="nt-report__refused", role="alert"))
    else:
        parts.append(stat_list([
            (t("data.rows.read"), int(rows.get("read") or 0), ""),
            (t("data.rows.loaded"), int(rows.get("loaded") or 0), ""),
            (t("data.rows.unchanged"), int(rows.get("unchanged") or 0), ""),
            (t("data.rows.corrected"), int(rows.get("corrected") or 0), "nt-count--warn"),
            (t("data.rows.quarantined"), int(rows.get("quarantined") or 0), "nt-count--bad"),
        ], t, "nt-report__counts"))
    warnings = record.get("warnings") or []
    if warnings:
        parts.append(html.Ul([html.Li(str(w.get("message") or w.get("code"))) for w in warnings],
                             className="nt-report__warnings"))
    problems = record.get("problems") or []
    if problems:
        parts.append(problems_table(problems, int(record.get("problems_total") or len(problems)), t))
    elif not refused:
        parts.append(html.P(t("data.report.no_problems"), className="nt-muted"))
    sha = record.get("sha256")
    if record.get("stored") and sha:
        parts.append(html.A(["⤓ ", t("data.report.raw_file")], href=href(f"/data/files/{quote(str(sha))}", params),
                            download=str(record.get("file") or sha), className="btn btn-outline-primary btn-sm"))
    return html.Div(parts, className="nt-report", **{"data-status": status})


# --- the upload and the blank templates -----------------------------------------------------------------

def upload_section(view: catalogue_service.DataPage, t: Translator) -> html.Section:
    """Drop or choose a file; check only (dry run); the template (recognised by default)."""
    template_options = [{"label": t("data.upload.template_auto"), "value": AUTO_TEMPLATE}] + [
        {"label": item["title"], "value": item["name"]} for item in view.templates]
    limit = t("data.upload.limit", formats="CSV, XLSX", size=t.number(view.max_upload_mb, 0))
    return page_section(
        t("data.upload.heading"), "data-upload-section",
        html.Div([
            dcc.Upload(id=DATA_UPLOAD, multiple=False, accept=",".join(catalogue_service.UPLOAD_SUFFIXES),
                       max_size=view.max_upload_mb * 1024 * 1024, className="nt-upload",
                       className_active="nt-upload is-active", className_reject="nt-upload is-rejected",
                       children=html.Div([html.Span("⇪", className="nt-upload__icon", **{"aria-hidden": "true"}),
                                          html.Span(t("data.upload.drop"), className="nt-upload__text"),
                                          html.Span(limit, className="nt-upload__limit")])),
            html.Div([
                dbc.Switch(id=DATA_DRY_RUN, label=t("data.upload.dry_run"), value=False,
                           class_name="nt-upload__switch"),
                _control(t("data.upload.template"), DATA_TEMPLATE,
                         dcc.Dropdown(id=DATA_TEMPLATE, options=template_options, value=AUTO_TEMPLATE,
                                      clearable=False, searchable=False, labels=dropdown_labels(t),
                                      className="nt-dropdown")),
            ], className="nt-upload__options"),
            dcc.Loading(html.Div(id=DATA_UPLOAD_RESULT, className="nt-upload__result", **{"aria-live": "polite"}),
                        type="default"),
        ], className="nt-card nt-upload-card"),
        lead=t("data.upload.lead"),
    )


def templates_section(view: catalogue_service.DataPage, t: Translator, params: Mapping[str, object]) -> html.Section:
    """A blank copy of every template, header in the page's language, as CSV and XLSX."""
    items = []
    for item in view.templates:
        path = f"/data/templates/{quote(item['name'], safe='-_.~')}"
        links = [html.A(fmt.upper(), href=f"{path}.{fmt}?lang={t.lang}", download=f"{item['name']}-{t.lang}.{fmt}",
                        className="btn btn-outline-primary btn-sm",
                        title=t("data.templates.download", template=item["title"], format=fmt.upper()))
                 for fmt in catalogue_service.DOWNLOAD_FORMATS]
        items.append(html.Li([html.Span(item["title"], className="nt-templates__title"),
                              html.Span(links, className="nt-templates__links")], className="nt-templates__item"))
    return page_section(t("data.templates.heading"), DATA_TEMPLATES,
                        html.Ul(items, className="nt-card nt-templates list-unstyled"), lead=t("data.templates.lead"))


# --- the load history -------------------------------------------------------------------------------------

def history_view(history: catalogue_service.History, t: Translator, params: Mapping[str, object]) -> html.Div:
    """The batches of one page, newest first (a file opens its report), the pager and the demo switch."""
    toggle = dcc.Link(t("data.history.hide_demo") if history.include_demo else t("data.history.show_demo"),
                      href=same_page("/data", params, demo_batches=None if history.include_demo else 1, history=None),
                      className="nt-history__toggle")
    if not history.batches:
        return html.Div([html.P(t("data.history.empty"), className="nt-empty"), toggle],
                        **{"data-total": str(history.total)})
    body = []
    for batch in history.batches:
        rows = batch["rows"]
        name = (batch["file"] or (t("data.history.demo_batch") if batch["synthetic"] else batch["source"])
                or batch["code"])
        opener = html.Button(name, id=batch_button_id(batch["code"]), n_clicks=0, type="button",
                             className="btn btn-link p-0 nt-history__open", title=f"{name}: {t('data.history.open')}")
        body.append([batch["loaded_text"], opener, batch["actor"] or "–",
                     ", ".join(batch["template_titles"]) or "–",
                     *(t.number(rows[key], 0) for key in ("read", "loaded", "unchanged", "corrected", "quarantined")),
                     report_status(batch["status"], t)])
    headers = [t("data.history.when"), t("data.history.file"), t("data.history.who"), t("data.history.templates"),
               t("data.rows.read"), t("data.rows.loaded"), t("data.rows.unchanged"), t("data.rows.corrected"),
               t("data.rows.quarantined"), t("col.status")]
    page = history.offset // history.limit + 1
    last = history.offset + len(history.batches)
    pager: list[Any] = [html.Span(t("data.history.range", first=t.number(history.offset + 1, 0),
                                    last=t.number(last, 0), total=t.number(history.total, 0)), className="nt-muted")]
    if page > 1:
        newer = same_page("/data", params, history=page - 1 if page > 2 else None)
        pager.append(dcc.Link(["← ", t("data.history.newer")], href=newer))
    if last < history.total:
        pager.append(dcc.Link([t("data.history.older"), " →"], href=same_page("/data", params, history=page + 1)))
    pager.append(toggle)
    return html.Div([html.Div(table(headers, body, caption=t("data.history.heading"), numeric=(4, 5, 6, 7, 8),
                                    nowrap=(0,)), className="nt-history__table"),
                     html.Div(pager, className="nt-history__pager")],
                    **{"data-total": str(history.total)})


def history_section(view: catalogue_service.DataPage, t: Translator, params: Mapping[str, object]) -> html.Section:
    modal = dbc.Modal([
        dbc.ModalHeader(dbc.ModalTitle(t("data.report.heading")), close_button=False),
        dbc.ModalBody(html.Div(id=DATA_BATCH_REPORT)),
        dbc.ModalFooter(html.Button(t("data.report.close"), id=DATA_BATCH_CLOSE, n_clicks=0, type="button",
                                    className="btn btn-primary")),
    ], id=DATA_BATCH_MODAL, is_open=False, size="xl", scrollable=True)
    return page_section(t("data.history.heading"), "data-history-section",
                        html.Div(history_view(view.history, t, params), id=DATA_HISTORY,
                                 className="nt-card nt-history"),
                        modal, lead=t("data.history.lead"))


# --- the page -------------------------------------------------------------------------------------------

def data_view(view: catalogue_service.DataPage, t: Translator, params: Mapping[str, object]) -> html.Div:
    """The whole ``/data`` page; the upload and the history only for roles that upload."""
    frame = view.catalogue
    late = int(frame["freshness"].isin(["late", "stale"]).sum()) if not frame.empty else 0
    header = page_header(t("data.title"), eyebrow=t("data.eyebrow"), lines=[
        t("data.lines.indicators", count=t.number(len(frame), 0)),
        t("data.lines.late", count=t.number(late, 0)),
        t("overview.as_of", date=t.date(view.today)),
    ])
    crumbs = breadcrumb([(t("nav.overview"), overview_href(params)), (t("nav.data"), None)], t)
    parts: list[Any] = [crumbs, header, catalogue_section(view, t, params)]
    if view.can_upload:
        parts.append(html.Div([html.Div(upload_section(view, t), className="nt-data__upload"),
                               html.Div(templates_section(view, t, params), className="nt-data__templates")],
                              className="nt-data__row"))
        parts.append(history_section(view, t, params))
    else:
        parts.append(templates_section(view, t, params))
    return html.Div(parts, id=DATA_PAGE, className="nt-page nt-page--data",
                    **{"data-indicators": str(len(frame)), "data-can-upload": "1" if view.can_upload else "0",
                       "data-batches": str(view.history.total) if view.history is not None else "0"})


def history_page(params: Mapping[str, object]) -> int:
    return max(1, min(parse_int(params.get("history")) or 1, 100_000))


def render(params: Mapping[str, object]) -> Any:
    """Query (through the service) and render ``/data`` for the URL's ``history`` page and demo switch."""
    ctx = page_context(params)
    view = catalogue_service.build_data_page(ctx, history_page=history_page(params),
                                             include_demo=parse_flag(params.get("demo_batches")))
    return data_view(view, ctx.t, params)


# --- callbacks ----------------------------------------------------------------------------------------

@callback(
    Output(DATA_GRID, "rowData"),
    Output(DATA_SHOWN, "children"),
    Input(DATA_SEARCH, "value"),
    Input(DATA_AGENCY, "value"),
    Input(DATA_FREQUENCY, "value"),
    Input(DATA_FRESHNESS, "value"),
    State(ids.NAV_LOCATION, "search"),
    prevent_initial_call=True,
)
def filter_grid(search: Any, agency: Any, frequency: Any, freshness: Any, location: Any) -> tuple[list[dict], str]:
    """The filters narrow the grid to the matching indicators (unknown values are ignored)."""
    params = current_params(location if isinstance(location, str) else None)
    ctx = page_context(params)
    frame = catalogue_service.catalogue(ctx)
    shown = filter_catalogue(frame, agency=agency, frequency=frequency, freshness=freshness, search=search)
    return catalogue_rows(shown, ctx.t, params), shown_text(len(shown), len(frame), ctx.t)


def decode_upload(contents: Any, max_bytes: int) -> tuple[bytes | None, str | None, dict]:
    """``(bytes, None, {})`` of a ``dcc.Upload`` data URL (``data:<type>;base64,<data>``), else
    ``(None, refusal code, params)``: not a base64 data URL (``file_unreadable``), larger than
    ``max_bytes`` (``file_too_large``, judged before decoding)."""
    if not isinstance(contents, str) or not contents.startswith("data:") or "," not in contents:
        return None, "file_unreadable", {}
    head, payload = contents.split(",", 1)
    if not head.endswith(";base64"):
        return None, "file_unreadable", {}
    size = len(payload) * 3 // 4
    if size > max_bytes + 3:
        return None, "file_too_large", {"size_mb": f"{size / 1024 / 1024:.1f}",
                                        "limit_mb": f"{max_bytes / 1024 / 1024:g}"}
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return None, "file_unreadable", {}
    return data, None, {}


def handle_upload(ctx: Any, contents: Any, filename: Any, dry_run: Any, template: Any,
                  params: Mapping[str, object]) -> tuple[Any, Any]:
    """(the report panel, the refreshed history or ``no_update``) of one upload, for ``ctx.viewer``.

    Refused without loading: a role that does not upload; a dry-run switch that is not a boolean; a
    template the page did not offer; contents that are not a base64 data URL or are too large."""
    t = ctx.t
    if not ctx.viewer.sees_uploads:
        return html.P(t("data.upload.not_allowed"), className="nt-report__refused", role="alert"), dash.no_update
    offered = (None, AUTO_TEMPLATE, *(item["name"] for item in catalogue_service.template_options(t)))
    valid = (dry_run is None or isinstance(dry_run, bool)) and isinstance(template, (str, type(None))) \
        and template in offered and (filename is None or isinstance(filename, str))
    if not valid:
        return html.P(t("data.upload.invalid"), className="nt-report__refused", role="alert"), dash.no_update
    data, code, refusal = decode_upload(contents, ctx.settings.max_upload_bytes)
    if data is None:
        record = catalogue_service.refused_record(filename, code, t, dry_run=bool(dry_run), **refusal)
        return report_view(record, t, params), dash.no_update
    record = catalogue_service.upload(ctx, filename, data, dry_run=bool(dry_run),
                                      template=None if template in (None, AUTO_TEMPLATE) else template)
    refreshed, kept = dash.no_update, None
    if record.get("batch"):  # loaded for real: the history gains the batch (as the viewer may see it)
        kept = catalogue_service.batch_report(ctx, record["batch"])
        refreshed = history_view(catalogue_service.history(
            ctx, page=history_page(params), include_demo=parse_flag(params.get("demo_batches"))), t, params)
    return report_view({**record, "stored": bool(kept and kept["stored"])}, t, params), refreshed


@callback(
    Output(DATA_UPLOAD_RESULT, "children"),
    Output(DATA_HISTORY, "children"),
    Output(DATA_UPLOAD, "contents"),
    Input(DATA_UPLOAD, "contents"),
    State(DATA_UPLOAD, "filename"),
    State(DATA_DRY_RUN, "value"),
    State(DATA_TEMPLATE, "value"),
    State(ids.NAV_LOCATION, "search"),
    prevent_initial_call=True,
)
def upload_file(contents: Any, filename: Any, dry_run: Any, template: Any, location: Any) -> tuple[Any, Any, None]:
    """An uploaded file is loaded (or only checked) and its report shown; the history gains its batch.
    The upload's contents are cleared, so choosing the same file again loads it again."""
    if contents is None:
        return dash.no_update, dash.no_update, dash.no_update
    params = current_params(location if isinstance(location, str) else None)
    result, refreshed = handle_upload(page_context(params), contents, filename, dry_run, template, params)
    return result, refreshed, None


def batch_panel(ctx: Any, code: Any, params: Mapping[str, object]) -> Any:
    """The report of the batch ``code`` for ``ctx.viewer``; a "not found" line when it may not see it."""
    record = catalogue_service.batch_report(ctx, code) if isinstance(code, str) else None
    if record is None:
        return html.P(ctx.t("data.report.not_found"), className="nt-empty")
    return report_view(record, ctx.t, params)


@callback(
    Output(DATA_BATCH_MODAL, "is_open"),
    Output(DATA_BATCH_REPORT, "children"),
    Input({"type": DATA_BATCH, "key": ALL}, "n_clicks"),
    Input(DATA_BATCH_CLOSE, "n_clicks"),
    State(ids.NAV_LOCATION, "search"),
    prevent_initial_call=True,
)
def show_batch(clicks: Any, _close: Any, location: Any) -> tuple[Any, Any]:
    """A file of the history opens its batch's report in a dialog; the close button closes it."""
    triggered = dash.ctx.triggered_id
    if triggered == DATA_BATCH_CLOSE:
        return False, dash.no_update
    fired = dash.ctx.triggered[0].get("value") if dash.ctx.triggered else None
    if not isinstance(triggered, Mapping) or not fired:
        return dash.no_update, dash.no_update
    params = current_params(location if isinstance(location, str) else None)
    return True, batch_panel(page_context(params), triggered.get("key"), params)
