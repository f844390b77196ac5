"""The ledger page's view (a pure function of a ``services.ledger_view.LedgerPage``) and its one callback.

``ledger.py`` (the registered page) only passes the URL's parameters to :func:`render`. The page: the
chain's status (verified when, size, head hash) beside the public key and the latest checkpoint; when
the URL names a node (and an indicator), the history of that goal — who was accountable, from when to
when, with which target; then the entries, newest first, each a disclosure whose summary is the entry
in words and whose body holds the canonical payload and the hashes (or says that its details are
withheld from this viewer). The URL is the state: ``?kind=&node=&indicator=&official=&page=``.

The filter callback treats its inputs as hostile (any client can POST anything): values go through
``services.ledger_view.ledger_query`` like the URL's, and the page then renders from the URL, so what
the viewer may read is decided on the server by the same queries.
"""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import quote

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboards import _ids as ids
from dashboards._components import breadcrumb, page_header, page_section, table
from dashboards._grid import current_params
from dashboards._regions import dropdown_labels
from dashboards._shell import page_context
from dashboards._theme import status_style
from dashboards._urls import first, href, overview_href, program_href, project_href
from services.formatting import val
from services.i18n import Translator
from services.ledger_view import (
    VERIFY_COMMAND,
    ChainStatus,
    GoalHistory,
    LedgerPage,
    LedgerQuery,
    build_ledger_page,
    ledger_query,
)

# --- component ids of this page ------------------------------------------------------------------------
LEDGER_PAGE = "ledger-page"
LEDGER_STATUS = "ledger-status"            # the chain's status, the public key, the latest checkpoint
LEDGER_HISTORY = "ledger-history"          # the history of the goal the URL names
LEDGER_ENTRIES = "ledger-entries"          # the entries section
LEDGER_LIST = "ledger-entry-list"          # the list of entries
LEDGER_KIND = "ledger-kind"                # dcc.Dropdown: the kind (drives ?kind=)
LEDGER_NODE = "ledger-node"                # dcc.Input: a node code (?node=)
LEDGER_INDICATOR = "ledger-indicator"      # dcc.Input: an indicator code (?indicator=)
LEDGER_OFFICIAL = "ledger-official"        # dcc.Input: an official's code (?official=)
LEDGER_APPLY = "ledger-apply"              # the button that applies the typed codes
LEDGER_PAGER = "ledger-pager"

#: Characters of a hash shown in an entry's summary line (the whole hash in its body).
SHORT_HASH = 12


def entry_dom_id(seq: int) -> str:
    return f"ledger-entry-{int(seq)}"


def mono(text: Any, class_name: str = "") -> html.Code:
    """A hash, key or payload: monospace, wrapping anywhere."""
    return html.Code(str(text), className=("nt-ledger__mono " + class_name).strip())


def command(text: str) -> html.Code:
    """A command to run: monospace, never broken across lines."""
    return mono(text, "nt-ledger__command")


def with_component(t: Translator, message_id: str, name: str, component: Any) -> list[Any]:
    """The message with ``component`` where its ``{name}`` placeholder is (the words around it come
    from the catalog, in the order of the language)."""
    marker = "\x00"
    before, _, after = t(message_id, **{name: marker}).partition(marker)
    return [before, component, after]


def with_code(text: str, code: str) -> list[Any]:
    """``text`` with each occurrence of the command ``code`` set as a command."""
    parts: list[Any] = []
    for i, piece in enumerate(text.split(code)):
        parts += ([command(code)] if i else []) + [piece]
    return parts


def node_link(code: Any, level: Any, params: Mapping[str, object]) -> Any:
    """The node's page: a portfolio's overview, a program's or a project's page; the code alone when
    its level is not known (the payload is withheld or the node no longer exists)."""
    if not code:
        return "–"
    code = str(code)
    if level == "portfolio":
        return dcc.Link(code, href=overview_href(params, code))
    if level == "program":
        return dcc.Link(code, href=program_href(code, params))
    if level == "project":
        return dcc.Link(code, href=project_href(code, params))
    return code


def official_link(code: Any, params: Mapping[str, object], label: Any = None) -> Any:
    if not code:
        return "–"
    return dcc.Link(str(label or code), href=href(f"/officials/{quote(str(code), safe='-_.~')}", params))


def ledger_href(params: Mapping[str, object], **state: object) -> str:
    """``/ledger`` with ``state`` (kind, node, indicator, official, page), keeping language and as-of."""
    return href("/ledger", params, **state)


# --- the chain's status -----------------------------------------------------------------------------------

def _facts(items: list[tuple[str, Any]]) -> html.Dl:
    return html.Dl([html.Div([html.Dt(label), html.Dd(value)], className="nt-ledger__fact") for label, value in items],
                   className="nt-ledger__facts")


def _mark(ok: bool | None, yes: str, no: str, unknown: str = "") -> html.Span:
    """✓ / ✕ / ○ with its word (never colour alone)."""
    status = "green" if ok else "no_data" if ok is None else "red"
    style = status_style(status)
    word = yes if ok else unknown if ok is None else no
    return html.Span([html.Span(style.icon, **{"aria-hidden": "true"}), " ", word],
                     className="nt-status nt-status--sm", style={"color": style.fg, "backgroundColor": style.bg,
                                                                 "borderColor": style.accent})


def status_card(status: ChainStatus, t: Translator) -> html.Article:
    style = status_style(status.status)
    badge = html.Span([html.Span(style.icon, className="nt-status__icon", **{"aria-hidden": "true"}),
                       html.Span(t(f"ledger.state.{status.state}"), className="nt-status__text")],
                      className=f"nt-status nt-status--md nt-ledger__state nt-ledger__state--{status.state}",
                      style={"color": style.fg, "backgroundColor": style.bg, "borderColor": style.accent})
    facts = [(t("ledger.status.size"), t("ledger.status.entries", count=t.number(status.entries, 0))),
             (t("ledger.status.head"), [html.Div(f"№ {t.number(status.head_seq, 0)}") if status.head_seq else None,
                                        mono(status.head_hash or "–")])]
    return html.Article(
        [html.H3(t("ledger.status.heading"), className="nt-ledger__card-title"),
         html.Div([badge, html.Strong(with_code(status.headline, VERIFY_COMMAND), className="nt-ledger__headline")],
                  className="nt-ledger__state-row", role="status" if status.state == "verified" else "alert"),
         html.Ul([html.Li(line) for line in status.lines], className="nt-ledger__lines") if status.lines else None,
         _facts(facts)],
        className="nt-card nt-ledger__card nt-ledger__card--status", style={"borderTopColor": style.accent},
        **{"data-state": status.state},
    )


def key_card(status: ChainStatus, t: Translator) -> html.Article:
    if status.public_key:
        body: list[Any] = [mono(status.public_key, "nt-ledger__key"),
                           html.P(t("ledger.key.created", when=status.public_key_created_text),
                                  className="nt-muted small") if status.public_key_created_text else None,
                           html.P(t("ledger.key.lead"), className="nt-muted small mb-0")]
    else:
        body = [html.P(with_component(t, "ledger.key.none", "command", command("natije ledger keygen")),
                       className="nt-empty")]
    return html.Article([html.H3(t("ledger.key.heading"), className="nt-ledger__card-title"), *body],
                        className="nt-card nt-ledger__card nt-ledger__card--key")


def checkpoint_card(status: ChainStatus, t: Translator) -> html.Article:
    checkpoint = status.checkpoint
    if checkpoint is None:
        body: list[Any] = [html.P(with_component(t, "ledger.checkpoint.none", "command",
                                                 command("natije ledger checkpoint")), className="nt-empty")]
    else:
        body = [_facts([
            (t("ledger.checkpoint.origin"), mono(checkpoint["origin"])),
            (t("ledger.checkpoint.size"), t("ledger.status.entries", count=t.number(checkpoint["size"], 0))),
            (t("ledger.checkpoint.time"), checkpoint["time_text"]),
            (t("ledger.status.head"), mono(checkpoint["head_hash"])),
            (t("ledger.checkpoint.signature"), _mark(checkpoint["verified"], t("ledger.checkpoint.signed"),
                                                     t("ledger.checkpoint.unsigned"))),
            (t("ledger.checkpoint.chain"), _mark(checkpoint["matches"], t("ledger.checkpoint.matches"),
                                                 t("ledger.checkpoint.differs"), t("ledger.checkpoint.beyond"))),
        ]), html.P(with_component(t, "ledger.checkpoint.file", "file", mono(checkpoint["file"])),
                   className="nt-muted small mt-2 mb-0")]
    return html.Article([html.H3(t("ledger.checkpoint.heading"), className="nt-ledger__card-title"), *body],
                        className="nt-card nt-ledger__card nt-ledger__card--checkpoint")


def status_section(status: ChainStatus, t: Translator) -> html.Section:
    return page_section(t("ledger.status.section"), LEDGER_STATUS,
                        html.Div([status_card(status, t), key_card(status, t), checkpoint_card(status, t)],
                                 className="nt-ledger__cards"),
                        lead=t("ledger.status.lead"))


# --- the history of a goal -------------------------------------------------------------------------------------

def _seq(value: Any, t: Translator) -> str:
    """A ledger sequence number as ``№ 1,234`` (``–`` for a row recorded without one)."""
    return "–" if value is None or pd.isna(value) else f"№ {t.number(int(value), 0)}"


def responsibilities_table(history: GoalHistory, t: Translator, params: Mapping[str, object]) -> Any:
    frame = history.responsibilities
    if frame.empty:
        return html.P(t("ledger.history.no_owners"), className="nt-empty")
    rows = []
    for r in frame.to_dict("records"):
        kind = str(val(r, "official_kind", ""))
        who = [official_link(r["official"], params, val(r, "name", r["official"])), html.Br(),
               html.Small(" · ".join(str(x) for x in (val(r, "post"), r["official"]) if x), className="nt-muted")]
        rows.append([who, t(f"ledger.official_kind.{kind}") if t.has(f"ledger.official_kind.{kind}") else kind,
                     r["scope_text"], r["from_text"], r["to_text"], _seq(r["seq"], t)])
    return table([t("ledger.history.official"), t("ledger.history.kind"), t("ledger.history.for"),
                  t("ledger.history.from"), t("ledger.history.to"), t("ledger.col.seq")], rows,
                 caption=t("ledger.history.owners"), numeric=(5,), nowrap=(3, 4, 5))


def targets_table(history: GoalHistory, t: Translator) -> Any:
    frame = history.targets
    if frame.empty:
        return html.P(t("ledger.history.no_targets"), className="nt-empty")
    with_indicator = history.indicator is None
    headers = ([t("col.indicator")] if with_indicator else []) + [
        t("ledger.history.year"), t("col.region"), t("col.target"), t("ledger.history.previous"),
        t("ledger.history.recorded"), t("ledger.col.seq")]
    rows = [([mono(r["indicator"])] if with_indicator else []) + [
        str(r["year"]), str(r["region"]), html.Strong(r["value_text"]), r["previous_text"], r["recorded_text"],
        _seq(r["seq"], t)] for r in frame.to_dict("records")]
    offset = 1 if with_indicator else 0
    return table(headers, rows, caption=t("ledger.history.targets"), numeric=(offset, offset + 2, offset + 3,
                                                                               offset + 5),
                 nowrap=(offset + 4, offset + 5))


def history_section(page: LedgerPage, t: Translator, params: Mapping[str, object]) -> html.Section | None:
    query = page.query
    if page.history_missing:
        return page_section(t("ledger.history.heading"), LEDGER_HISTORY,
                            html.P(t("ledger.history.missing", code=query.node), className="nt-empty"))
    history = page.history
    if history is None:
        return None
    node = history.node
    title = [node_link(node["code"], node["level"], params), " · ", str(node.get("name") or "")]
    indicator = history.indicator
    if indicator is not None:
        name = indicator.get("name") or t("ledger.history.unknown_indicator")
        title += [" · ", mono(indicator["code"]), " ", str(name)]
    owners = html.Div([html.H3(t("ledger.history.owners"), className="nt-ledger__subtitle"),
                       html.Div(responsibilities_table(history, t, params), className="nt-card nt-card--flush")])
    targets = html.Div([html.H3(t("ledger.history.targets"), className="nt-ledger__subtitle"),
                        html.Div(targets_table(history, t), className="nt-card nt-card--flush")])
    return page_section(t("ledger.history.heading"), LEDGER_HISTORY,
                        html.P(title, className="nt-ledger__goal"), owners, targets,
                        lead=t("ledger.history.lead"))


# --- the entries ----------------------------------------------------------------------------------------------

def _control(label: str, control_id: str, control: Any) -> html.Div:
    return html.Div([html.Label(label, htmlFor=control_id, className="nt-control__label"), control],
                    className="nt-control")


def filter_controls(page: LedgerPage, t: Translator, params: Mapping[str, object]) -> html.Div:
    """Kind (applies at once), node, indicator and official codes (Enter or the button), and a link
    that clears every filter."""
    query = page.query
    kinds = [{"label": name, "value": kind} for kind, name in page.kinds]

    def code_input(control_id: str, value: str | None, hint: str) -> dcc.Input:
        return dcc.Input(id=control_id, type="text", value=value or "", placeholder=hint, maxLength=64,
                         autoComplete="off", spellCheck=False, debounce=True, className="form-control nt-ledger__code")

    parts = [
        _control(t("ledger.filter.kind"), LEDGER_KIND,
                 dcc.Dropdown(id=LEDGER_KIND, options=kinds, value=query.kind, clearable=True, searchable=False,
                              placeholder=t("ledger.filter.all_kinds"), labels=dropdown_labels(t),
                              className="nt-dropdown nt-ledger__kind")),
        _control(t("ledger.filter.node"), LEDGER_NODE, code_input(LEDGER_NODE, query.node, "NP-HEALTH")),
        _control(t("ledger.filter.indicator"), LEDGER_INDICATOR,
                 code_input(LEDGER_INDICATOR, query.indicator, "LIFE_EXPECTANCY")),
        _control(t("ledger.filter.official"), LEDGER_OFFICIAL,
                 code_input(LEDGER_OFFICIAL, query.official, "OF-GOV-01")),
        html.Div([html.Button(t("ledger.filter.apply"), id=LEDGER_APPLY, n_clicks=0, type="button",
                              className="btn btn-primary"),
                  dcc.Link(t("ledger.filter.clear"), href=ledger_href(params), className="nt-ledger__clear")
                  if query.filtered else None], className="nt-ledger__buttons"),
    ]
    return html.Div(parts, className="nt-card nt-controls nt-ledger__controls", role="search",
                    **{"aria-label": t("ledger.filter.label")})


def _entry_links(row: Mapping[str, Any], t: Translator, params: Mapping[str, object]) -> list[Any]:
    """The node's page, the official's page and the history of the goal an entry names."""
    node, official = val(row, "node"), val(row, "official")
    links: list[Any] = []
    if node:
        links.append(html.Span([t("ledger.entry.node"), " ", node_link(node, val(row, "node_level"), params)]))
    if official:
        links.append(html.Span([t("ledger.entry.official"), " ", official_link(official, params)]))
    if node and not str(row["kind"]).startswith("instruction."):
        links.append(dcc.Link(t("ledger.entry.history"),
                              href=ledger_href(params, node=node, indicator=val(row, "indicator"))))
    return links


def entry_item(row: Mapping[str, Any], t: Translator, params: Mapping[str, object]) -> html.Li:
    """One entry: a disclosure whose summary line is №, time, kind and the entry in words; its body
    holds the links, the actor, the canonical payload and the hashes."""
    seq, readable = int(row["seq"]), bool(row["readable"])
    summary = html.Summary([
        html.Span(f"№ {t.number(seq, 0)}", className="nt-ledger__seq"),
        html.Span(row["time_text"], className="nt-ledger__time"),
        html.Span(row["kind_name"], className=f"nt-ledger__kind nt-ledger__kind--{str(row['kind']).split('.')[0]}"),
        html.Span(row["summary"], className="nt-ledger__summary" + ("" if readable else " nt-muted")),
        html.Span(str(row["hash"])[:SHORT_HASH], className="nt-ledger__short", title=str(row["hash"]),
                  **{"aria-hidden": "true"}),
    ], className="nt-ledger__line")
    facts: list[tuple[str, Any]] = []
    if readable:
        links = _entry_links(row, t, params)
        if links:
            facts.append((t("ledger.entry.links"), html.Span(links, className="nt-ledger__links")))
        facts.append((t("ledger.entry.actor"), mono(row["actor"] or "–")))
        facts.append((t("ledger.entry.payload"),
                      html.Pre(str(row["payload"]), className="nt-ledger__mono nt-ledger__json")))
    else:
        facts.append((t("ledger.entry.payload"), html.Span(t("ledger.entry.withheld"), className="nt-muted")))
    facts += [(t("ledger.entry.kind_code"), mono(row["kind"])), (t("ledger.entry.prev"), mono(row["prev"])),
              (t("ledger.entry.hash"), mono(row["hash"]))]
    return html.Li(html.Details([summary, html.Div(_facts(facts), className="nt-ledger__body")]),
                   id=entry_dom_id(seq), className="nt-ledger__entry" + ("" if readable else " is-withheld"),
                   **{"data-seq": str(seq), "data-kind": str(row["kind"]), "data-readable": "1" if readable else "0"})


def pager(page: LedgerPage, t: Translator, params: Mapping[str, object]) -> html.Nav:
    query = page.query
    state = {"kind": query.kind, "node": query.node, "indicator": query.indicator, "official": query.official}
    items: list[Any] = []
    if query.page > 1:
        items.append(dcc.Link(["← ", t("ledger.pager.newer")],
                              href=ledger_href(params, **state, page=query.page - 1 if query.page > 2 else None)))
    items.append(html.Span(t("ledger.pager.page", page=t.number(query.page, 0), pages=t.number(page.pages, 0)),
                           className="nt-muted"))
    if query.page < page.pages:
        items.append(dcc.Link([t("ledger.pager.older"), " →"],
                              href=ledger_href(params, **state, page=query.page + 1)))
    return html.Nav(items, id=LEDGER_PAGER, className="nt-ledger__pager", **{"aria-label": t("ledger.pager.label")})


def entries_section(page: LedgerPage, t: Translator, params: Mapping[str, object]) -> html.Section:
    entries = page.entries
    first_shown = (page.query.page - 1) * page.page_size + 1
    shown = (t("ledger.entries.range", first=t.number(first_shown, 0),
               last=t.number(first_shown + len(entries) - 1, 0), total=t.number(page.total, 0))
             if len(entries) else t("ledger.entries.none"))
    body: Any = (html.Ol([entry_item(row, t, params) for row in entries.to_dict("records")], id=LEDGER_LIST,
                         className="nt-ledger__list list-unstyled")
                 if len(entries) else html.P(t("ledger.entries.empty"), className="nt-empty"))
    return page_section(t("ledger.entries.heading"), LEDGER_ENTRIES, filter_controls(page, t, params),
                        html.P(shown, className="nt-muted small mb-2", role="status"), body, pager(page, t, params),
                        lead=t("ledger.entries.lead"))


# --- the page ------------------------------------------------------------------------------------------------

def ledger_view(page: LedgerPage, t: Translator, params: Mapping[str, object]) -> html.Div:
    status = page.status
    lines = [t("ledger.lines.entries", count=t.number(status.entries, 0))]
    if status.head_seq:
        lines.append(t("ledger.lines.head", seq=t.number(status.head_seq, 0)))
    header = page_header(t("ledger.title"), eyebrow=t("ledger.eyebrow"), lines=lines)
    crumbs = breadcrumb([(t("nav.overview"), overview_href(params)), (t("nav.ledger"), None)], t)
    parts = [crumbs, header, html.P(t("ledger.lead"), className="nt-lead"), status_section(status, t),
             history_section(page, t, params), entries_section(page, t, params)]
    query = page.query
    return html.Div([part for part in parts if part is not None], id=LEDGER_PAGE, className="nt-page nt-page--ledger",
                    **{"data-total": str(page.total), "data-page": str(query.page), "data-pages": str(page.pages),
                       "data-kind": query.kind or "", "data-node": query.node or "",
                       "data-indicator": query.indicator or "", "data-state": status.state})


def url_query(params: Mapping[str, object]) -> LedgerQuery:
    """The URL's state (every value through ``services.ledger_view.ledger_query``)."""
    return ledger_query(first(params.get("kind")), first(params.get("node")), first(params.get("indicator")),
                        first(params.get("official")), first(params.get("page")))


def render(params: Mapping[str, object]) -> Any:
    """Query (through the service) and render ``/ledger`` for the URL's filters and page."""
    ctx = page_context(params)
    return ledger_view(build_ledger_page(ctx, url_query(params)), ctx.t, params)


# --- the filter callback ------------------------------------------------------------------------------------

def filter_target(kind: Any, node: Any, indicator: Any, official: Any, search: str | None) -> str | None:
    """The URL after the filters changed (first page), or None when it would not change. Values that are
    not usable (not text, an unknown kind) are dropped like the URL's."""
    params = current_params(search)
    wanted = ledger_query(kind, node, indicator, official)
    if (wanted.kind, wanted.node, wanted.indicator, wanted.official) == (
            (current := url_query(params)).kind, current.node, current.indicator, current.official):
        return None
    return ledger_href(params, kind=wanted.kind, node=wanted.node, indicator=wanted.indicator,
                       official=wanted.official)


@callback(
    Output(ids.NAV_LOCATION, "href", allow_duplicate=True),
    Input(LEDGER_KIND, "value"),
    Input(LEDGER_APPLY, "n_clicks"),
    Input(LEDGER_NODE, "n_submit"),
    Input(LEDGER_INDICATOR, "n_submit"),
    Input(LEDGER_OFFICIAL, "n_submit"),
    State(LEDGER_NODE, "value"),
    State(LEDGER_INDICATOR, "value"),
    State(LEDGER_OFFICIAL, "value"),
    State(ids.NAV_LOCATION, "search"),
    prevent_initial_call=True,
)
def apply_filters(kind: Any, _clicks: Any, _node_enter: Any, _indicator_enter: Any, _official_enter: Any,
                  node: Any, indicator: Any, official: Any, search: Any) -> str:
    """A kind chosen, or codes typed and applied (Enter or the button), set the URL; the page then
    renders from it."""
    target = filter_target(kind, node, indicator, official, search if isinstance(search, str) else None)
    return target or dash.no_update
