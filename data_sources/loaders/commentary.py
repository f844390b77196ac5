"""The commentary template: the accountable official's word on a goal (a node's indicator, or the node as
a whole) and, where needed, a recovery action with its due date (docs/import.md, "commentary").

Keyed by (node, indicator). Words are append-only: a row whose word differs from the goal's current
one adds a new word (*loaded* when the goal had none, *corrected* otherwise), recorded in the ledger
as ``commentary.set`` through :func:`data_sources.commentary.record_commentary`; a row equal to the
current word is *unchanged*. ``entered_by`` is the load's actor; ``on_behalf`` says the official did
not enter it themselves. The goal's status cannot be known here (statuses are computed by the
services from kpi/, which the loaders never import): loaded words carry no status (null in the
store and in the ledger), and the pages flag a goal amber or worse whose current word has no recovery
action.

The official must be accountable for the goal on the reference day (the demo's own day while the
store holds demo data, else today in Asia/Almaty): the official accountable for the goal itself, else
the node's. Rows take the node's region for the uploader's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from data_sources.commentary import MAX_ACTION, MAX_TEXT, Word, accountable_on, latest_words, record_commentary
from data_sources.loaders.reference_rows import in_scope, sheet_memory
from data_sources.loaders.template import Column, Counts, Reference, Row, Template, WriteContext
from data_sources.settings import today_in_almaty
from data_sources.store import StoreMeta


def _texts_columns(what: str, ru: str, kk: str, meaning: str) -> tuple[Column, ...]:
    return tuple(Column(f"{what}_{locale}", f"{ru}_{locale}", f"{kk}_{locale}", help=f"{meaning} in {label}")
                 for locale, label in (("kk", "Kazakh"), ("ru", "Russian"), ("en", "English")))


COLUMNS = (
    Column("node", "код программы/проекта", "бағдарлама/жоба коды", required=True,
           help="code of the portfolio, program or project"),
    Column("indicator", "показатель", "көрсеткіш",
           help="an indicator that is a goal of the node; empty = the node as a whole"),
    Column("official", "должностное лицо", "лауазымды тұлға", required=True,
           help="code of the accountable official in whose name the word is given"),
    *_texts_columns("text", "текст", "мәтін", "the commentary"),
    *_texts_columns("recovery_action", "меры по исправлению", "түзету шаралары", "the recovery action"),
    Column("recovery_due", "срок мер", "шаралар мерзімі", help="the recovery action's due date"),
    Column("on_behalf", "от имени", "атынан",
           help="yes when someone else (an analyst) enters the official's word; empty = no"),
)

ROW_CODES = ("node_unknown", "goal_unknown", "official_unknown", "names_missing", "text_too_long",
             "commentary_not_accountable", "recovery_due_missing", "recovery_action_missing", "recovery_due_past")


def reference_day(reference: Reference) -> dt.date:
    """The day the load is judged on: the demo's own day while the store holds demo data, else today
    in Asia/Almaty (read once per sheet)."""
    memory = sheet_memory(reference, "commentary")
    if "day" not in memory:
        demo = reference.conn.execute(select(StoreMeta.value).where(StoreMeta.key == "demo")).scalar_one_or_none()
        memory["day"] = dt.date.fromisoformat(demo["today"]) if demo else today_in_almaty()
    return memory["day"]


def _owners(reference: Reference) -> dict[tuple[str, str | None], str]:
    memory = sheet_memory(reference, "commentary")
    if "owners" not in memory:
        memory["owners"] = accountable_on(reference.conn, reference_day(reference))
    return memory["owners"]


def _texts(row: Row, what: str, limit: int, *, required: bool) -> dict[str, str] | None:
    texts = row.texts(what, required=required)
    if texts is None:
        return None
    for locale, value in texts.items():
        if len(value) > limit:
            row.problem(f"{what}_{locale}", "text_too_long", max=limit)
            return None
    return texts


def parse(row: Row, reference: Reference) -> dict[str, Any] | None:
    """One row -> ``{node, indicator, official, text, recovery_action, recovery_due, on_behalf}`` (texts as
    ``{locale: text}``, the recovery action None when the row gives none)."""
    node = row.code("node", required=True)
    known_node = row.known("node", reference.nodes, node, "node_unknown")
    indicator = row.code("indicator")
    if known_node and indicator is not None and (node, indicator) not in reference.goals:
        row.problem("indicator", "goal_unknown", value=indicator, node=node)
    official = row.code("official", required=True)
    known_official = row.known("official", reference.officials, official, "official_unknown")
    text = _texts(row, "text", MAX_TEXT, required=True)
    action = _texts(row, "recovery_action", MAX_ACTION, required=False)
    due = row.date("recovery_due")
    on_behalf = row.boolean("on_behalf", default=False)
    if action and due is None and not row.present("recovery_due"):
        row.problem("recovery_due", "recovery_due_missing", "")
    if due is not None and not action:
        row.problem("recovery_due", "recovery_action_missing", value=due.isoformat())
    if due is not None and due < reference_day(reference):
        row.problem("recovery_due", "recovery_due_past", value=due.isoformat(),
                    date=reference_day(reference).isoformat())
    if known_node:
        in_scope(row, reference, "node", reference.nodes[node].region)
    if row.problems:
        return None
    owner = _owners(reference).get((node, indicator))
    if known_official and owner != official:
        row.problem("official", "commentary_not_accountable", value=official,
                    date=reference_day(reference).isoformat(), owner=owner or "–")
        return None
    return {"node": node, "indicator": indicator, "official": official, "text": text,
            "recovery_action": action or None, "recovery_due": due, "on_behalf": bool(on_behalf)}


def _same_word(stored: dict[str, Any], record: dict[str, Any]) -> bool:
    return all(stored[key] == record[key]
               for key in ("official", "on_behalf", "text", "recovery_action", "recovery_due"))


def write(ctx: WriteContext, records: list[dict[str, Any]]) -> Counts:
    current = latest_words(ctx.conn, {r["node"] for r in records})
    words, loaded, unchanged, corrected = [], 0, 0, 0
    for record in records:
        before = current.get((record["node"], record["indicator"]))
        if before is not None and _same_word(before, record):
            unchanged += 1
            continue
        words.append(Word(node=record["node"], indicator=record["indicator"], official=record["official"],
                          entered_by=ctx.actor, on_behalf=record["on_behalf"], status=None, text=record["text"],
                          recovery_action=record["recovery_action"], recovery_due=record["recovery_due"],
                          recorded_at=ctx.now))
        loaded, corrected = (loaded + 1, corrected) if before is None else (loaded, corrected + 1)
    record_commentary(ctx.conn, ctx.ledger, words)
    ctx.progress(len(records))
    return Counts(loaded=loaded, unchanged=unchanged, corrected=corrected)


TEMPLATE = Template(
    name="commentary",
    title="The owner's word: commentary and recovery actions",
    columns=COLUMNS,
    key=("node", "indicator"),
    parse=parse,
    write=write,
    row_codes=ROW_CODES,
    sheet_names=("комментарии", "слово ответственного", "түсініктемелер", "жауаптының сөзі"),
    example=(("NP-HEALTH", "INFANT_MORTALITY", "MH-MIN", "", "Снижение идёт медленнее плана из-за кадров в сёлах.", "",
              "", "Целевой набор врачей в сельские больницы, отчёт Правительству.", "", "2026-03-31", "no"),
             ("NP-HEALTH", "", "MH-MIN", "", "Программа в целом идёт по плану.", "", "", "", "", "", "")),
)

__all__ = ["COLUMNS", "ROW_CODES", "TEMPLATE", "reference_day"]
