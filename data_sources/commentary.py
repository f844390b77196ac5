"""The owner's word on a goal: the accountable official's commentary and recovery action
(:class:`~data_sources.store.GoalCommentary`), written through the ledger and read in the viewer's scope.

A *goal* here is a node's indicator (``indicator`` = its code) or the node as a whole (``indicator``
None). Words are append-only: the newest row of a goal is its current word, older rows are its history.
Each row is one ``commentary.set`` ledger entry whose payload is fixed by docs/ledger.md:
``node``, ``indicator``, ``official``, ``on_behalf_of`` (the official's code when someone else entered
the word for them, else null), ``status`` (the goal's status when the word was given; null when the
writer could not know it, as for loaded files), ``text_sha256`` (:func:`text_sha256`) and
``recovery_action_due``.

Visibility: a word belongs to its node's region. Words on the plan (portfolios and programs) are seen
by whoever sees the plan, words on a project by viewers whose scope holds the project's region — the
rule of ``queries.goals`` and ``queries.accountable``. :func:`commentary_by_official` lists an
official's words for their scorecard, an operational list scoped strictly by the node's region.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import pandas as pd
from sqlalchemy import Connection, Engine, and_, case, func, literal, or_, select
from sqlalchemy.sql import ColumnElement

from data_sources.ledger import LedgerWriter, text_sha256
from data_sources.queries import _frame, _in_scope, _node_visible, localized, operational
from data_sources.store import (
    Goal,
    GoalCommentary,
    Indicator,
    Node,
    Official,
    Region,
    Responsibility,
    bump_data_version,
    normalise_code,
)
from data_sources.viewer import Viewer

#: The languages a word may be written in.
LOCALES = ("kk", "ru", "en")
#: Longest commentary, and longest recovery action, per language (characters).
MAX_TEXT = 2000
MAX_ACTION = 1000

#: One word per row. ``region``: the node's region; ``text`` / ``recovery_action``: in the asked
#: language, else the first of ru, en, kk the writer used, with ``text_lang`` / ``recovery_lang``
#: naming the language shown (None without a recovery action); ``status``: the goal's status when the
#: word was given (None when unknown); ``recorded_at``: an aware UTC datetime.
COMMENTARY_COLUMNS = ("node", "indicator", "region", "official", "official_name", "official_post", "entered_by",
                      "on_behalf", "status", "text", "text_lang", "recovery_action", "recovery_lang",
                      "recovery_due", "recorded_at", "ledger_seq")
#: :func:`commentary_by_official`: the words plus the goal's names and whether the word is still current.
OFFICIAL_COMMENTARY_COLUMNS = (*COMMENTARY_COLUMNS, "node_name", "node_level", "indicator_name", "current")
#: :func:`goal_owners`: who is accountable for each goal of the nodes (``indicator`` None: the node).
GOAL_OWNER_COLUMNS = ("node", "indicator", "official", "name", "post", "kind", "region")


# --- writing ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Word:
    """One word to record. ``text`` and ``recovery_action`` map locales (kk, ru, en) to non-empty texts;
    ``entered_by`` is who typed it (the official's code, ``web:<role>``, or a loader's actor);
    ``on_behalf``: someone other than ``official`` entered it; ``recorded_at`` defaults to now."""

    node: str
    indicator: str | None
    official: str
    entered_by: str
    on_behalf: bool
    status: str | None
    text: Mapping[str, str]
    recovery_action: Mapping[str, str] | None = None
    recovery_due: dt.date | None = None
    recorded_at: dt.datetime | None = None


@dataclass(frozen=True)
class Recorded:
    """What recording a word produced: its row id, ledger entry and time."""

    id: int
    ledger_seq: int
    recorded_at: dt.datetime


def _checked_texts(texts: Mapping[str, str] | None, what: str, *, required: bool) -> dict[str, str] | None:
    if texts is None or not texts:
        if required:
            raise ValueError(f"a word needs a {what} in at least one language")
        return None
    if not set(texts) <= set(LOCALES) or not all(isinstance(v, str) and v.strip() for v in texts.values()):
        raise ValueError(f"a {what} maps {', '.join(LOCALES)} to non-empty texts, not {dict(texts)!r}")
    return {locale: texts[locale] for locale in LOCALES if locale in texts}


def record_commentary(conn: Connection, ledger: LedgerWriter, words: Sequence[Word]) -> list[Recorded]:
    """Record ``words`` in the caller's write transaction: one ``goal_commentary`` row and one
    ``commentary.set`` ledger entry (written by each word's ``entered_by``) per word, in order; then
    bump the data version once. Raises ValueError for an unknown node, official or goal, or a word
    without text (callers check the policy; this keeps the store consistent)."""
    if not words:
        return []
    node_ids = dict(conn.execute(select(Node.code, Node.id).where(Node.code.in_({w.node for w in words}))).all())
    official_ids = dict(conn.execute(select(Official.code, Official.id)
                                     .where(Official.code.in_({w.official for w in words}))).all())
    goal_pairs = {(w.node, w.indicator) for w in words if w.indicator is not None}
    goals = {(node, indicator): indicator_id for node, indicator, indicator_id in conn.execute(
        select(Node.code, Indicator.code, Indicator.id).select_from(Goal)
        .join(Node, Node.id == Goal.node_id).join(Indicator, Indicator.id == Goal.indicator_id)
        .where(Node.code.in_({node for node, _ in goal_pairs})))} if goal_pairs else {}
    now = dt.datetime.now(dt.timezone.utc)
    table = GoalCommentary.__table__
    recorded = []
    for word in words:
        if word.node not in node_ids:
            raise ValueError(f"no node has the code {word.node!r}")
        if word.official not in official_ids:
            raise ValueError(f"no official has the code {word.official!r}")
        if word.indicator is not None and (word.node, word.indicator) not in goals:
            raise ValueError(f"{word.indicator!r} is not a goal of {word.node!r}")
        text = _checked_texts(word.text, "text", required=True)
        action = _checked_texts(word.recovery_action, "recovery action", required=False)
        at = word.recorded_at or now
        entry = ledger.append("commentary.set", {
            "node": word.node, "indicator": word.indicator, "official": word.official,
            "on_behalf_of": word.official if word.on_behalf else None, "status": word.status,
            "text_sha256": text_sha256(text), "recovery_action_due": word.recovery_due,
        }, actor=word.entered_by)
        row_id = conn.execute(table.insert().values(
            node_id=node_ids[word.node],
            indicator_id=goals[(word.node, word.indicator)] if word.indicator is not None else None,
            official_id=official_ids[word.official], entered_by=word.entered_by, on_behalf=bool(word.on_behalf),
            status=word.status, text=text, recovery_action=action, recovery_due=word.recovery_due,
            recorded_at=at, ledger_seq=entry.seq,
        ).returning(table.c.id)).scalar_one()
        recorded.append(Recorded(row_id, entry.seq, at))
    bump_data_version(conn)
    return recorded


# --- reading ---------------------------------------------------------------------------------------------

def _in_language(column, lang: str) -> tuple[ColumnElement, ColumnElement]:
    """(the text of a per-locale JSON column in ``lang``, else in ru, en, kk; the language shown)."""
    order = [lang, *(locale for locale in ("ru", "en", "kk") if locale != lang)]
    return (func.coalesce(*(column[locale].as_string() for locale in order)),
            case(*((column[locale].as_string().is_not(None), literal(locale)) for locale in order), else_=None))


def _word_columns(lang: str) -> list[ColumnElement]:
    text, text_lang = _in_language(GoalCommentary.text, lang)
    action, action_lang = _in_language(GoalCommentary.recovery_action, lang)
    return [Node.code, Indicator.code, Region.code, Official.code, localized(Official.name, lang),
            localized(Official.post, lang), GoalCommentary.entered_by, GoalCommentary.on_behalf,
            GoalCommentary.status, text, text_lang, action, action_lang, GoalCommentary.recovery_due,
            GoalCommentary.recorded_at, GoalCommentary.ledger_seq]


def _joined(statement):
    return (statement.join(Node, Node.id == GoalCommentary.node_id)
            .join(Region, Region.id == Node.region_id)
            .join(Official, Official.id == GoalCommentary.official_id)
            .outerjoin(Indicator, Indicator.id == GoalCommentary.indicator_id))


def _newest_first(*partition) -> ColumnElement:
    return func.row_number().over(partition_by=partition,
                                  order_by=(GoalCommentary.recorded_at.desc(), GoalCommentary.id.desc()))


def _shaped(frame: pd.DataFrame) -> pd.DataFrame:
    """Booleans as booleans and missing texts as None on every backend."""
    frame = frame.astype({"on_behalf": bool})
    for column in ("indicator", "recovery_action", "recovery_lang", "recovery_due", "status"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def current_commentary(engine: Engine, viewer: Viewer, node_codes: Iterable[str] | None = None, *,
                       lang: str = "ru", as_of: dt.datetime | None = None) -> pd.DataFrame:
    """The current word (the newest recorded by ``as_of``) on every goal of the given nodes (all nodes
    the viewer sees when None), the nodes' own words included (``indicator`` None); goals without a word
    have no row. Columns: :data:`COMMENTARY_COLUMNS`, by node and indicator."""
    conditions: list[ColumnElement] = []
    if node_codes is not None:
        conditions.append(GoalCommentary.node_id.in_(
            select(Node.id).where(Node.code.in_([normalise_code(c) for c in node_codes]))))
    if as_of is not None:
        conditions.append(GoalCommentary.recorded_at <= as_of)
    ranked = (select(GoalCommentary.id, _newest_first(GoalCommentary.node_id, GoalCommentary.indicator_id)
                     .label("rank")).where(*conditions).subquery("ranked"))
    statement = (_joined(select(*_word_columns(lang)).select_from(GoalCommentary)
                         .join(ranked, and_(ranked.c.id == GoalCommentary.id, ranked.c.rank == 1)))
                 .where(_node_visible(viewer))
                 .order_by(Node.code, Indicator.code.is_not(None), Indicator.code))
    return _shaped(_frame(engine, statement, COMMENTARY_COLUMNS))


def commentary_history(engine: Engine, viewer: Viewer, node_code: str, indicator_code: str | None = None, *,
                       lang: str = "ru", as_of: dt.datetime | None = None, limit: int = 100) -> pd.DataFrame:
    """Every word on one goal (``indicator_code`` None: on the node as a whole), newest first (the
    first row is the current word), as recorded by ``as_of``. Columns: :data:`COMMENTARY_COLUMNS`."""
    indicator = (GoalCommentary.indicator_id.is_(None) if indicator_code is None else
                 GoalCommentary.indicator_id == select(Indicator.id).where(
                     Indicator.code == normalise_code(indicator_code)).scalar_subquery())
    statement = (_joined(select(*_word_columns(lang)).select_from(GoalCommentary))
                 .where(Node.code == normalise_code(node_code), indicator, _node_visible(viewer))
                 .order_by(GoalCommentary.recorded_at.desc(), GoalCommentary.id.desc())
                 .limit(max(0, int(limit))))
    if as_of is not None:
        statement = statement.where(GoalCommentary.recorded_at <= as_of)
    return _shaped(_frame(engine, statement, COMMENTARY_COLUMNS))


@operational
def commentary_by_official(engine: Engine, viewer: Viewer, official_code: str | None = None, *, lang: str = "ru",
                           as_of: dt.datetime | None = None) -> pd.DataFrame:
    """Each official's latest word on each goal they gave one on (only ``official_code``'s when given),
    recorded by ``as_of``, in the viewer's region scope (by the node's region); ``current``: no newer
    word on the goal exists (a successor may have spoken since). Newest first.
    Columns: :data:`OFFICIAL_COMMENTARY_COLUMNS` (``node_name``, ``indicator_name`` in ``lang``;
    ``indicator_name`` None for a node's own word)."""
    conditions: list[ColumnElement] = []
    if as_of is not None:
        conditions.append(GoalCommentary.recorded_at <= as_of)
    ranked = (select(GoalCommentary.id,
                     _newest_first(GoalCommentary.official_id, GoalCommentary.node_id,
                                   GoalCommentary.indicator_id).label("own_rank"),
                     _newest_first(GoalCommentary.node_id, GoalCommentary.indicator_id).label("goal_rank"))
              .where(*conditions).subquery("ranked"))
    statement = (_joined(select(*_word_columns(lang), localized(Node.name, lang), Node.level,
                                localized(Indicator.name, lang), ranked.c.goal_rank == 1)
                         .select_from(GoalCommentary)
                         .join(ranked, and_(ranked.c.id == GoalCommentary.id, ranked.c.own_rank == 1)))
                 .where(_in_scope(Node.region_id, viewer))
                 .order_by(GoalCommentary.recorded_at.desc(), GoalCommentary.id.desc()))
    if official_code is not None:
        statement = statement.where(Official.code == normalise_code(official_code))
    frame = _shaped(_frame(engine, statement, OFFICIAL_COMMENTARY_COLUMNS))
    frame["indicator_name"] = frame["indicator_name"].astype(object).where(frame["indicator_name"].notna(), None)
    return frame.astype({"current": bool})


def _owner_rows(conn: Connection, node_codes: Iterable[str] | None, on: dt.date, viewer: Viewer,
                lang: str) -> pd.DataFrame:
    """The owners of :func:`goal_owners`, read on ``conn`` (every node when ``node_codes`` is None)."""
    nodes = [] if node_codes is None else [Node.code.in_([normalise_code(c) for c in node_codes])]
    responsible = (
        select(Node.code, Indicator.code, Official.code, localized(Official.name, lang),
               localized(Official.post, lang), Official.kind, Region.code)
        .select_from(Responsibility)
        .join(Node, Node.id == Responsibility.node_id)
        .join(Region, Region.id == Node.region_id)
        .join(Official, Official.id == Responsibility.official_id)
        .outerjoin(Goal, Goal.id == Responsibility.goal_id)
        .outerjoin(Indicator, Indicator.id == Goal.indicator_id)
        .where(*nodes, Responsibility.valid_from <= on,
               or_(Responsibility.valid_to.is_(None), Responsibility.valid_to >= on), _node_visible(viewer))
        .order_by(Node.code, Responsibility.valid_from.desc(), Official.code)
    )
    held = pd.DataFrame(conn.execute(responsible).all(), columns=list(GOAL_OWNER_COLUMNS))
    held["indicator"] = held["indicator"].astype(object).where(held["indicator"].notna(), None)
    held = held.drop_duplicates(["node", "indicator"], keep="first")
    goals = conn.execute(select(Node.code, Indicator.code).select_from(Goal)
                         .join(Node, Node.id == Goal.node_id).join(Indicator, Indicator.id == Goal.indicator_id)
                         .where(*nodes, _node_visible(viewer))).all()
    of_node = {row["node"]: row for row in held.to_dict("records") if row["indicator"] is None}
    of_goal = {(row["node"], row["indicator"]): row for row in held.to_dict("records") if row["indicator"] is not None}
    rows = list(of_node.values())
    for node, indicator in goals:
        owner = of_goal.get((node, indicator)) or of_node.get(node)
        if owner is not None:
            rows.append({**owner, "node": node, "indicator": indicator})
    frame = pd.DataFrame(rows, columns=list(GOAL_OWNER_COLUMNS))
    frame["indicator"] = frame["indicator"].astype(object).where(frame["indicator"].notna(), None)
    order = frame.assign(_goal=frame["indicator"].fillna(""))
    return frame.loc[order.sort_values(["node", "_goal"], kind="stable").index].reset_index(drop=True)


def goal_owners(engine: Engine, viewer: Viewer, node_codes: Iterable[str], *, on: dt.date,
                lang: str = "ru") -> pd.DataFrame:
    """Who is accountable on ``on`` for each of the nodes (a row with ``indicator`` None) and for each of
    their goals: the official accountable for the goal itself, else the node's; of several in force,
    the latest to start. Nodes and goals without anyone in force have no row; projects outside the
    viewer's scope are left out. Columns: :data:`GOAL_OWNER_COLUMNS` (``region``: the node's), by node
    and indicator (the node's own row first)."""
    with engine.connect() as conn:
        return _owner_rows(conn, list(node_codes), on, viewer, lang)


def accountable_on(conn: Connection, on: dt.date) -> dict[tuple[str, str | None], str]:
    """``{(node, indicator or None): official code}`` of every node and goal on ``on``, read on ``conn``
    (a loader's transaction sees what earlier sheets of its file wrote); the rule of :func:`goal_owners`."""
    frame = _owner_rows(conn, None, on, Viewer(), "ru")
    return {(node, indicator): official
            for node, indicator, official in zip(frame["node"], frame["indicator"], frame["official"])}


def latest_words(conn: Connection, node_codes: Iterable[str]) -> dict[tuple[str, str | None], dict]:
    """The current word of every goal of the nodes, read on ``conn``: ``{(node, indicator or None):
    {"official", "on_behalf", "text", "recovery_action", "recovery_due"}}`` (texts as stored)."""
    codes = sorted({normalise_code(c) for c in node_codes})
    if not codes:
        return {}
    ranked = (select(GoalCommentary.id, _newest_first(GoalCommentary.node_id, GoalCommentary.indicator_id)
                     .label("rank"))
              .where(GoalCommentary.node_id.in_(select(Node.id).where(Node.code.in_(codes)))).subquery("ranked"))
    statement = _joined(select(Node.code, Indicator.code, Official.code, GoalCommentary.on_behalf,
                               GoalCommentary.text, GoalCommentary.recovery_action, GoalCommentary.recovery_due)
                        .select_from(GoalCommentary)
                        .join(ranked, and_(ranked.c.id == GoalCommentary.id, ranked.c.rank == 1)))
    return {(row[0], row[1]): {"official": row[2], "on_behalf": bool(row[3]), "text": row[4],
                               "recovery_action": row[5] or None, "recovery_due": row[6]}
            for row in conn.execute(statement)}


__all__ = ["COMMENTARY_COLUMNS", "GOAL_OWNER_COLUMNS", "LOCALES", "MAX_ACTION", "MAX_TEXT",
           "OFFICIAL_COMMENTARY_COLUMNS", "Recorded", "Word", "accountable_on", "commentary_by_official",
           "commentary_history", "current_commentary", "goal_owners", "latest_words", "record_commentary"]
