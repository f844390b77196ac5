"""The owner's word beside a status: the accountable official's commentary, dated and signed, the
"on behalf" marker, the recovery action with its due date (and an overdue mark), and — for those
allowed to give it — an entry form in a dialog.

Pages gather the words and the viewer's rights once (:func:`page_words`) and ask the result for one
slot per goal (:meth:`PageWords.slot`). A slot with the form has pattern-matching ids keyed by the goal
(:func:`slot_key`: ``"<node>~<indicator>"``, ``"<node>~"`` for the node as a whole), so one callback
(:func:`commentary_action`) serves every card of every page. Any client can POST anything to it: the
key, the texts and the date are checked by ``services.commentary.submit_commentary``, which also
decides the viewer's right and the goal's status on the server.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import MATCH, Input, Output, State, callback, dcc, html

from dashboards import _ids as ids
from dashboards._components import status_badge
from dashboards._grid import current_params
from dashboards._shell import page_context
from services import commentary as commentary_service
from services.formatting import date_text, status_name, val
from services.i18n import Translator

# --- component ids (pattern-matching types; ``key`` is the goal's slot key) ----------------------------
COMMENTARY = "commentary"                     # the slot around a goal's word
COMMENTARY_WORD = "commentary-word"           # the word itself (re-rendered after a save)
COMMENTARY_OPEN = "commentary-open"           # the button that opens the form
COMMENTARY_MODAL = "commentary-modal"         # the dialog with the form
COMMENTARY_FIELD = "commentary-field"         # a field of the form (``field``: one of FIELDS)
COMMENTARY_SAVE = "commentary-save"
COMMENTARY_CANCEL = "commentary-cancel"
COMMENTARY_FEEDBACK = "commentary-feedback"   # the form's error line
COMMENTARY_VARIANT = "commentary-variant"     # dcc.Store: how the slot shows the word ("full" | "compact")

LOCALES = ("kk", "ru", "en")
#: The form's fields: the commentary and the recovery action per language, the due date.
FIELDS = (*(f"text_{locale}" for locale in LOCALES), *(f"recovery_{locale}" for locale in LOCALES), "due")
VARIANTS = ("full", "compact")
KEY_SEPARATOR = "~"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def slot_key(node: str, indicator: str | None) -> str:
    """The key of a goal's slot: ``"NP-HEALTH~INFANT_MORTALITY"``; ``"NP-HEALTH~"`` for the node."""
    return f"{node}{KEY_SEPARATOR}{indicator or ''}"


def parse_slot_key(key: Any) -> tuple[str, str | None] | None:
    """(node, indicator or None) of a slot key; None when ``key`` is not one."""
    if not isinstance(key, str) or key.count(KEY_SEPARATOR) != 1 or len(key) > 130:
        return None
    node, indicator = key.split(KEY_SEPARATOR)
    return (node, indicator or None) if node else None


def field_id(key: str, name: str) -> dict:
    return {"type": COMMENTARY_FIELD, "key": key, "field": name}


def _typed(kind: str, key: str) -> dict:
    return {"type": kind, "key": key}


# --- the word ----------------------------------------------------------------------------------------------

def word_view(word: Mapping[str, Any] | None, t: Translator, *, status: str | None, today: dt.date | None,
              variant: str = "full") -> html.Div:
    """The current word on a goal (a row of ``services.commentary.WORD_COLUMNS``, or None) beside a goal
    of ``status``: the text in the page's language (marked when written in another), date and who, the
    "on behalf" marker, the status when it was given (when different), the recovery action with its due
    date and an overdue mark; a warning when the goal is amber or worse and no recovery action is
    recorded. ``variant="compact"`` (cards, table cells) clamps the text and leaves out the signature."""
    compact = variant == "compact"
    needs_action = commentary_service.needs_recovery_action(status)
    if word is None:
        state = "missing" if needs_action else "none"
        return html.Div(html.P(t("commentary.none"), className="nt-word__none"),
                        className=f"nt-word nt-word--{state} nt-word--{variant}")
    text, text_lang = str(val(word, "text", "")), val(word, "text_lang")
    head: list[Any] = [html.Span(t("commentary.heading"), className="nt-word__label"), " · ",
                       html.Time(date_text(val(word, "recorded_on"), t),
                                 dateTime=str(val(word, "recorded_on", "")), className="nt-word__date")]
    if text_lang and text_lang != t.lang:
        head += [" · ", html.Span(t(f"commentary.written_in.{text_lang}"), className="nt-word__lang")]
    parts: list[Any] = [html.Div(head, className="nt-word__head"),
                        html.Blockquote(text, lang=text_lang or None, title=text if compact else None,
                                        className="nt-word__text" + (" nt-clamp-3" if compact else ""))]
    who: list[Any] = []
    if not compact:
        post = val(word, "official_post")
        who.append(html.Span(["— ", html.Span(val(word, "official_name", ""), className="nt-word__name"),
                              f", {post}" if post else ""], className="nt-word__signature"))
    if val(word, "on_behalf"):
        who.append(html.Span(t("commentary.on_behalf"), className="nt-word__behalf"))
    then = val(word, "status")
    if then and status and then != status and not compact:
        who.append(html.Span(t("commentary.status_then", status=status_name(then, t)), className="nt-word__then"))
    if who:
        parts.append(html.Div(who, className="nt-word__who"))
    action, due = val(word, "recovery_action"), val(word, "recovery_due")
    if action:
        overdue = needs_action and due is not None and today is not None and due < today
        line: list[Any] = [html.Strong(t("commentary.recovery"), className="nt-word__recovery-label")]
        if not compact:
            line += [": ", html.Span(str(action), lang=val(word, "recovery_lang") or None)]
        if due is not None:
            line += [" · ", html.Span(t("commentary.due", date=date_text(due, t)), className="nt-word__due")]
        if overdue:
            line += [" ", html.Span([html.Span("⚠ ", **{"aria-hidden": "true"}), t("commentary.overdue")],
                                    className="nt-word__overdue")]
        parts.append(html.Div(line, className="nt-word__recovery", title=str(action) if compact else None))
    elif needs_action:
        parts.append(html.Div([html.Span("⚠ ", **{"aria-hidden": "true"}), t("commentary.no_recovery")],
                              className="nt-word__missing"))
    flagged = " nt-word--flagged" if needs_action and not action else ""
    return html.Div(parts, className=f"nt-word nt-word--{variant}{flagged}")


# --- the form ----------------------------------------------------------------------------------------------

def _textarea(key: str, name: str, label: str, limit: int) -> html.Div:
    component_id = field_id(key, name)
    return html.Div([html.Label(label, htmlFor=ids.dom_id(component_id), className="form-label nt-word-form__label"),
                     dbc.Textarea(id=component_id, maxLength=limit, rows=2, className="nt-word-form__text")],
                    className="nt-word-form__field")


def entry_form(key: str, right: commentary_service.Right, t: Translator, *, status: str | None, name: str,
               today: dt.date | None) -> list[Any]:
    """The button that opens the form and the dialog with it (commentary and recovery action in kk, ru,
    en, the due date), for a viewer with the ``right`` to give the word on the goal of ``key``."""
    title_id = "commentary-title-" + _UNSAFE.sub("-", key)
    owner = ", ".join(str(x) for x in (right.owner_name, right.owner_post) if x)
    needs_action = commentary_service.needs_recovery_action(status)
    body: list[Any] = [html.P(t("commentary.form.owner", name=owner), className="nt-word-form__owner")]
    if right.on_behalf:
        body.append(dbc.Alert(t("commentary.form.on_behalf", name=right.owner_name or "–"), color="warning",
                              class_name="nt-word-form__behalf py-2"))
    body.append(html.Div([html.Span(t("commentary.form.status_now"), className="nt-word-form__label me-2"),
                          status_badge(status, t, size="sm")], className="nt-word-form__status"))
    if needs_action:
        body.append(html.P(t("commentary.form.needs_recovery"), className="nt-word-form__needs"))
    body.append(html.P(t("commentary.form.hint", max=t.number(commentary_service.MAX_TEXT, 0)),
                       className="nt-muted small"))
    body += [_textarea(key, f"text_{locale}", t(f"commentary.form.text.{locale}"), commentary_service.MAX_TEXT)
             for locale in LOCALES]
    body += [_textarea(key, f"recovery_{locale}", t(f"commentary.form.recovery.{locale}"),
                       commentary_service.MAX_ACTION) for locale in LOCALES]
    due_id = field_id(key, "due")
    body.append(html.Div([html.Label(t("commentary.form.due"), htmlFor=ids.dom_id(due_id),
                                     className="form-label nt-word-form__label"),
                          dbc.Input(id=due_id, type="date", min=today.isoformat() if today else None,
                                    className="nt-word-form__due")], className="nt-word-form__field"))
    body.append(html.Div(id=_typed(COMMENTARY_FEEDBACK, key), className="nt-word-form__feedback", role="alert"))
    label = t("commentary.give_on_behalf") if right.on_behalf else t("commentary.give")
    return [
        html.Button([html.Span("✎ ", **{"aria-hidden": "true"}), label], id=_typed(COMMENTARY_OPEN, key), n_clicks=0,
                    type="button", className="btn btn-outline-primary btn-sm nt-word__give",
                    **{"aria-haspopup": "dialog"}),
        dbc.Modal([
            dbc.ModalHeader(dbc.ModalTitle(t("commentary.form.title", name=name), id=title_id)),
            dbc.ModalBody(body),
            dbc.ModalFooter([
                html.Button(t("commentary.form.cancel"), id=_typed(COMMENTARY_CANCEL, key), n_clicks=0, type="button",
                            className="btn btn-outline-secondary"),
                html.Button(t("commentary.form.save"), id=_typed(COMMENTARY_SAVE, key), n_clicks=0, type="button",
                            className="btn btn-primary"),
            ]),
        ], id=_typed(COMMENTARY_MODAL, key), is_open=False, size="lg", scrollable=True, labelledby=title_id),
    ]


# --- what a page gathers -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageWords:
    """The current words on a page's goals and the viewer's rights, by (node, indicator or None)."""

    words: Mapping[tuple[str, str | None], Mapping[str, Any]]
    rights: Mapping[tuple[str, str | None], commentary_service.Right] = field(default_factory=dict)
    today: dt.date | None = None

    def slot(self, node: Any, indicator: Any, t: Translator, *, status: str | None, name: Any = "",
             variant: str = "full", writable: bool = True, quiet: bool = False) -> html.Div | None:
        """The word on one goal beside its status, with the entry form when the viewer may give it (and
        ``writable``: one form per goal on a page). ``quiet``: None instead of "no word yet" when the goal
        has no word and no form (a table of goals of which only some are the node's)."""
        goal = commentary_service.goal_key(node, indicator)
        right = self.rights.get(goal) if writable else None
        if quiet and goal not in self.words and (right is None or not right.allowed):
            return None
        word = word_view(self.words.get(goal), t, status=status, today=self.today, variant=variant)
        if right is None or not right.allowed:
            return html.Div(word, className="nt-word-slot")
        key = slot_key(*goal)
        return html.Div(
            [html.Div(word, id=_typed(COMMENTARY_WORD, key)),
             dcc.Store(id=_typed(COMMENTARY_VARIANT, key), data=variant),
             *entry_form(key, right, t, status=status, name=str(name or goal[1] or goal[0]), today=self.today)],
            id=_typed(COMMENTARY, key), className="nt-word-slot",
        )


def page_words(ctx: Any, goals: pd.DataFrame | None, node_codes: Iterable[str] = ()) -> PageWords:
    """The words on ``goals`` (a frame with ``node`` and ``indicator``) and on the nodes ``node_codes``
    as wholes, and the viewer's rights on them (none for viewers who may give no word)."""
    pairs = [] if goals is None or goals.empty else list(zip(goals["node"], goals["indicator"]))
    nodes = list(dict.fromkeys(node_codes))
    wanted = pd.DataFrame({"node": [node for node, _ in pairs] + nodes,
                           "indicator": [indicator for _, indicator in pairs] + [None] * len(nodes)})
    words = commentary_service.current_commentary(ctx, wanted)
    by_goal = {commentary_service.goal_key(row["node"], row["indicator"]): row for row in words.to_dict("records")}
    involved = {p[0] for p in pairs} | set(nodes)
    rights = commentary_service.rights(ctx, involved) if commentary_service.may_give_words(ctx) else {}
    return PageWords(by_goal, rights, ctx.today)


# --- the callback ------------------------------------------------------------------------------------------

def _texts(values: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    return {locale: values.get(f"{prefix}_{locale}") for locale in LOCALES}


def handle_commentary(ctx: Any, key: Any, trigger: str | None, values: Mapping[str, Any], variant: Any,
                      ) -> tuple[Any, Any, Any]:
    """(the word's new content, whether the dialog is open, the form's error line) after ``trigger``
    (``open``, ``cancel`` or ``save``) on the slot ``key``, for ``ctx.viewer``. A save goes through
    ``services.commentary.submit_commentary`` (right, status and rules decided there); a refusal keeps
    the dialog open with its reason; nothing the client sent is trusted."""
    t = ctx.t
    if trigger == "open":
        return dash.no_update, True, ""
    if trigger == "cancel":
        return dash.no_update, False, ""
    goal = parse_slot_key(key)
    if trigger != "save" or goal is None:
        return dash.no_update, dash.no_update, dash.no_update
    try:
        word = commentary_service.submit_commentary(ctx, goal[0], goal[1], text=_texts(values, "text"),
                                                    recovery_action=_texts(values, "recovery"),
                                                    recovery_due=values.get("due"))
    except commentary_service.CommentaryRefused as refused:
        return dash.no_update, True, html.P(t(f"commentary.error.{refused.code}", **refused.params),
                                            className="nt-word-form__error")
    status = commentary_service.goal_status(ctx, goal[0], goal[1])
    shown = word_view(word, t, status=status, today=ctx.today, variant=variant if variant in VARIANTS else "full")
    return [shown, html.P(t("commentary.saved"), className="nt-word__saved", role="status")], False, ""


@callback(
    Output({"type": COMMENTARY_WORD, "key": MATCH}, "children"),
    Output({"type": COMMENTARY_MODAL, "key": MATCH}, "is_open"),
    Output({"type": COMMENTARY_FEEDBACK, "key": MATCH}, "children"),
    Input({"type": COMMENTARY_OPEN, "key": MATCH}, "n_clicks"),
    Input({"type": COMMENTARY_CANCEL, "key": MATCH}, "n_clicks"),
    Input({"type": COMMENTARY_SAVE, "key": MATCH}, "n_clicks"),
    *(State({"type": COMMENTARY_FIELD, "key": MATCH, "field": name}, "value") for name in FIELDS),
    State({"type": COMMENTARY_VARIANT, "key": MATCH}, "data"),
    State(ids.NAV_LOCATION, "search"),
    prevent_initial_call=True,
)
def commentary_action(_open: Any, _cancel: Any, _save: Any, *states: Any) -> tuple[Any, Any, Any]:
    """The form's buttons: open and cancel show and hide the dialog; save records the word (checked on
    the server) and shows it in place of the old one."""
    *values, variant, location = states
    triggered = dash.ctx.triggered_id
    fired = dash.ctx.triggered[0].get("value") if dash.ctx.triggered else None
    if not isinstance(triggered, Mapping) or not fired:
        return dash.no_update, dash.no_update, dash.no_update
    trigger = {COMMENTARY_OPEN: "open", COMMENTARY_CANCEL: "cancel", COMMENTARY_SAVE: "save"}.get(triggered.get("type"))
    params = current_params(location if isinstance(location, str) else None)
    return handle_commentary(page_context(params), triggered.get("key"), trigger, dict(zip(FIELDS, values)), variant)
