"""The owner's word on every goal: who may give it, the rules it follows, what pages and scorecards read,
and the demo's words (data_sources/commentary.py stores them; docs/ledger.md fixes their ledger entries).

A goal is a node's indicator (``indicator`` = its code) or the node as a whole (``indicator`` None).

Who may give the word (:func:`rights`) — roles that enter data (``upload`` in
``data_sources.viewer.ROLE_POLICY``; never the public or the kiosk), on the reference date, never in an
as-of view of the past:

* the viewer acting as the goal's accountable official (``Viewer.official`` equals the owner by the
  responsibilities in force: the official accountable for the goal itself, else the node's);
* an analyst (:data:`ON_BEHALF_ROLES`) on the owner's behalf, for goals of nodes in the analyst's
  region scope; the word is recorded in the owner's name with ``on_behalf`` set and the analyst as
  ``entered_by``. A minister or akim who is not the owner cannot speak for another official.

Rules (:func:`submit_commentary`): a text in at least one of kk, ru, en, each at most
:data:`MAX_TEXT` characters; when the goal is amber or worse (:data:`NEEDS_RECOVERY`: ``kpi.status``'s
``AT_RISK`` and ``OFF_TRACK``) a recovery action (at most :data:`MAX_ACTION` characters per language)
with a due date; a due date is never before the reference date and never without an action. The
status recorded with the word is assessed on the server (``services.goals.assess_goals``, rolled up
for a node), never taken from the client.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import pandas as pd

from data_sources import commentary as store_commentary
from data_sources import queries
from data_sources.commentary import (COMMENTARY_COLUMNS, LOCALES, MAX_ACTION, MAX_TEXT, OFFICIAL_COMMENTARY_COLUMNS,
                                     Word)
from data_sources.ledger import ledger_writer
from data_sources.settings import ALMATY
from data_sources.store import normalise_code, writing
from data_sources.viewer import Viewer
from kpi.rollup import rollup
from kpi.status import AT_RISK, OFF_TRACK
from services.context import Context
from services.goals import assess_goals, roll_up_goals
from services.i18n import Translator, translator

#: Statuses that need a recovery action with a due date: amber or worse.
NEEDS_RECOVERY = AT_RISK | OFF_TRACK
#: Roles that may give the word on the owner's behalf (recorded as such).
ON_BEHALF_ROLES = frozenset({"analyst"})
#: The last day a recovery action may be due (a typo guard).
LATEST_DUE = dt.date(2100, 12, 31)

#: :func:`current_commentary` and :func:`goal_history`: ``data_sources.commentary.COMMENTARY_COLUMNS``
#: plus ``recorded_on`` (the day in Asia/Almaty) and ``overdue`` (a recovery action due before the
#: reference date).
WORD_COLUMNS = (*COMMENTARY_COLUMNS, "recorded_on", "overdue")
#: :func:`commentary_for_official`: ``OFFICIAL_COMMENTARY_COLUMNS`` plus ``recorded_on`` and ``overdue``.
OFFICIAL_WORD_COLUMNS = (*OFFICIAL_COMMENTARY_COLUMNS, "recorded_on", "overdue")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def needs_recovery_action(status: Any) -> bool:
    """Whether a goal of this status needs a recovery action with a due date (amber or worse)."""
    return status in NEEDS_RECOVERY


def goal_key(node: str, indicator: str | None) -> tuple[str, str | None]:
    """The key words and rights are looked up by: (node code, indicator code or None)."""
    return (str(node), None if indicator is None or (isinstance(indicator, float) and pd.isna(indicator))
            else str(indicator))


# --- reading -----------------------------------------------------------------------------------------------

def _dated(ctx: Context, words: pd.DataFrame) -> pd.DataFrame:
    recorded_on = [pd.Timestamp(at).tz_convert(ALMATY).date() for at in words["recorded_at"]]
    overdue = [due is not None and due < ctx.today for due in words["recovery_due"]]
    return words.assign(recorded_on=pd.Series(recorded_on, index=words.index, dtype=object),
                        overdue=pd.Series(overdue, index=words.index, dtype=bool))


def current_commentary(ctx: Context, goals: pd.DataFrame) -> pd.DataFrame:
    """The current word (as known at ``ctx.as_of``) on each goal of ``goals``: a frame with a ``node``
    column and, optionally, ``indicator`` (a missing or None indicator means the node as a whole, and
    without the column every row does). Goals without a word have no row. Columns: :data:`WORD_COLUMNS`
    (``text`` and ``recovery_action`` in ``ctx.lang`` where the writer gave it, see ``text_lang``)."""
    if goals is None or goals.empty:
        return pd.DataFrame(columns=list(WORD_COLUMNS))
    indicators = goals["indicator"] if "indicator" in goals else pd.Series(None, index=goals.index, dtype=object)
    wanted = {goal_key(node, indicator) for node, indicator in zip(goals["node"], indicators)}
    words = store_commentary.current_commentary(ctx.engine, ctx.viewer, sorted({node for node, _ in wanted}),
                                                lang=ctx.lang, as_of=ctx.as_of)
    mine = [goal_key(node, indicator) in wanted for node, indicator in zip(words["node"], words["indicator"])]
    return _dated(ctx, words[pd.Series(mine, index=words.index, dtype=bool)].reset_index(drop=True))


def goal_history(ctx: Context, node: str, indicator: str | None = None) -> pd.DataFrame:
    """Every word on one goal, newest first (as known at ``ctx.as_of``). Columns: :data:`WORD_COLUMNS`."""
    return _dated(ctx, store_commentary.commentary_history(ctx.engine, ctx.viewer, node, indicator, lang=ctx.lang,
                                                           as_of=ctx.as_of))


def commentary_for_official(ctx: Context, official_code: str) -> pd.DataFrame:
    """The official's latest word on each goal they spoke on, newest first, in the viewer's region scope,
    as known at ``ctx.as_of`` — for their scorecard. Columns: :data:`OFFICIAL_WORD_COLUMNS`: who, the
    goal (``node``, ``node_name``, ``node_level``, ``indicator``, ``indicator_name``), the word
    (``text``, ``recovery_action``, ``recovery_due``, ``overdue``), the status when it was given,
    ``on_behalf`` and ``entered_by``, ``recorded_at`` / ``recorded_on``, and ``current`` (no newer word
    on the goal since)."""
    return _dated(ctx, store_commentary.commentary_by_official(ctx.engine, ctx.viewer, official_code,
                                                               lang=ctx.lang, as_of=ctx.as_of))


# --- who may give the word --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Right:
    """Whether the viewer may give the word on a goal: ``on_behalf`` when the viewer is not the owner;
    the owner's code, name and post (None when nobody is accountable)."""

    allowed: bool
    on_behalf: bool = False
    owner: str | None = None
    owner_name: str | None = None
    owner_post: str | None = None


def may_give_words(ctx: Context) -> bool:
    """Whether the viewer may give any word at all: a role that enters data, acting as an official or
    an analyst, on the reference date (not in an as-of view of the past)."""
    viewer = ctx.viewer
    return (viewer.sees_uploads and ctx.as_of is None
            and (viewer.official is not None or viewer.role in ON_BEHALF_ROLES))


def _right(viewer: Viewer, owner: Mapping[str, Any], allowed_at_all: bool) -> Right:
    who = {"owner": owner["official"], "owner_name": owner["name"], "owner_post": owner["post"]}
    if not allowed_at_all:
        return Right(False, **who)
    if viewer.official is not None and normalise_code(viewer.official) == owner["official"]:
        return Right(True, **who)
    in_scope = viewer.region is None or normalise_code(viewer.region) == owner["region"]
    if viewer.role in ON_BEHALF_ROLES and in_scope:
        return Right(True, on_behalf=True, **who)
    return Right(False, **who)


def rights(ctx: Context, node_codes: Iterable[str]) -> dict[tuple[str, str | None], Right]:
    """``{(node, indicator or None): Right}`` for the nodes and every goal of theirs that has an
    accountable official on ``ctx.today`` (the rule in the module docstring)."""
    codes = sorted({normalise_code(c) for c in node_codes})
    if not codes:
        return {}
    owners = store_commentary.goal_owners(ctx.engine, ctx.viewer, codes, on=ctx.today, lang=ctx.lang)
    allowed_at_all = may_give_words(ctx)
    return {goal_key(row["node"], row["indicator"]): _right(ctx.viewer, row, allowed_at_all)
            for _, row in owners.iterrows()}


def goal_status(ctx: Context, node: str, indicator: str | None) -> str | None:
    """The goal's status on ``ctx.today`` as the pages assess it (a node: the roll-up of its goals);
    None when the viewer sees no such goal."""
    code = normalise_code(node)
    goals = queries.goals(ctx.engine, ctx.viewer, [code], lang=ctx.lang)
    if indicator is None:
        if goals.empty:
            return "no_data" if queries.node(ctx.engine, ctx.viewer, code, lang=ctx.lang) is not None else None
        return roll_up_goals(ctx, assess_goals(ctx, goals).goals)["status"]
    mine = goals[goals["indicator"] == normalise_code(indicator)]
    return None if mine.empty else str(assess_goals(ctx, mine).goals.iloc[0]["status"])


# --- giving the word -----------------------------------------------------------------------------------------

class CommentaryRefused(Exception):
    """A word that is not recorded: ``code`` names the reason (catalog ``commentary.error.<code>``),
    ``params`` fill its message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _clean(value: Any, limit: int) -> str | None:
    """A text as typed: control characters (carriage returns too; not line feeds and tabs) removed,
    trimmed; None when empty. Anything but a string (or None) is refused."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise CommentaryRefused("invalid")
    text = _CONTROL.sub("", value).strip()
    if len(text) > limit:
        raise CommentaryRefused("text_too_long", max=limit)
    return text or None


def _texts(value: Any, limit: int) -> dict[str, str]:
    """Per-locale texts from what a client sent: a mapping of kk/ru/en to strings."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not set(value) <= set(LOCALES):
        raise CommentaryRefused("invalid")
    cleaned = {locale: _clean(value.get(locale), limit) for locale in LOCALES}
    return {locale: text for locale, text in cleaned.items() if text}


def _due(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        raise CommentaryRefused("due_invalid")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) > 10:
        raise CommentaryRefused("due_invalid")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommentaryRefused("due_invalid") from None


def _code(value: Any, *, optional: bool = False) -> str | None:
    if optional and (value is None or value == ""):
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise CommentaryRefused("goal_unknown")
    code = normalise_code(value)
    if any(not (ch.isalnum() or ch in "_-.") for ch in code):
        raise CommentaryRefused("goal_unknown")
    return code


def entered_by(viewer: Viewer) -> str:
    """Who typed a word in the web app: the viewer's official, else ``web:<role>``."""
    return viewer.official or f"web:{viewer.role}"


def submit_commentary(ctx: Context, node: Any, indicator: Any, *, text: Any, recovery_action: Any = None,
                      recovery_due: Any = None) -> dict:
    """Record the viewer's word on a goal and return it as the goal's current word (a row of
    :data:`WORD_COLUMNS` as a dict). Every input is treated as hostile: codes, per-locale texts
    (mappings of kk/ru/en to strings) and the due date (ISO ``YYYY-MM-DD``) are checked here, the right
    and the status are decided on the server. Raises :class:`CommentaryRefused` (nothing recorded)."""
    if not may_give_words(ctx):
        raise CommentaryRefused("not_allowed")
    node_code, indicator_code = _code(node), _code(indicator, optional=True)
    words, actions = _texts(text, MAX_TEXT), _texts(recovery_action, MAX_ACTION)
    due = _due(recovery_due)
    status = goal_status(ctx, node_code, indicator_code)
    if status is None:
        raise CommentaryRefused("goal_unknown")
    right = rights(ctx, [node_code]).get((node_code, indicator_code))
    if right is None or not right.allowed:
        raise CommentaryRefused("not_allowed")
    if not words:
        raise CommentaryRefused("text_missing")
    if needs_recovery_action(status) and (not actions or due is None):
        raise CommentaryRefused("recovery_required", status=ctx.t(f"status.{status}"))
    if actions and due is None:
        raise CommentaryRefused("due_required")
    if due is not None and not actions:
        raise CommentaryRefused("due_without_action")
    if due is not None and not ctx.today <= due <= LATEST_DUE:
        raise CommentaryRefused("due_past", today=ctx.t.date(ctx.today))
    word = Word(node=node_code, indicator=indicator_code, official=str(right.owner), entered_by=entered_by(ctx.viewer),
                on_behalf=right.on_behalf, status=status, text=words, recovery_action=actions or None,
                recovery_due=due)
    save_words(ctx, [word])
    current = current_commentary(ctx, pd.DataFrame({"node": [node_code], "indicator": [indicator_code]}))
    return current.iloc[0].to_dict()


def save_words(ctx: Context, words: list[Word]) -> None:
    """Record words in one write transaction (``data_sources.commentary.record_commentary``)."""
    with writing(ctx.engine) as conn:
        store_commentary.record_commentary(conn, ledger_writer(conn, ctx.settings.actor), words)


# --- the demo's words ----------------------------------------------------------------------------------------

#: The demo's words: causes and recovery actions, picked per goal (``commentary.demo.cause.<n>``,
#: ``commentary.demo.action.<n>``); how many words an analyst enters for the owner (out of ten); which
#: share of goals on track get a word (one in ``DEMO_GREEN_EVERY``).
DEMO_VARIANTS = 4
DEMO_ON_BEHALF_OF_TEN = 3
DEMO_GREEN_EVERY = 3
DEMO_ANALYST = "web:analyst"


def _pick(*parts: Any) -> int:
    """A stable number for a goal (the same in every run, unlike ``hash``)."""
    return int(hashlib.sha256("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:12], 16)


def _month_end(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _figure(t: Translator, value: Any, unit: str, decimals: int) -> str:
    """A value with its unit's word in the language (``70.8 %``); "–" when there is none."""
    if value is None or pd.isna(value):
        return "–"
    number = t.number(float(value), decimals)
    return f"{number} {t(f'unit.{unit}')}" if t.has(f"unit.{unit}") else number


def _closing_date(t: Translator, day: dt.date) -> str:
    """A date that ends a sentence: the locale's long date without a closing period of its own (Russian
    "2026 г." would otherwise end in two)."""
    return t.date(day, "long").rstrip(".")


def _goal_texts(goal: Mapping[str, Any], names: Mapping[str, str], due: dt.date | None, pick: int) -> tuple[dict, dict]:
    """(commentary, recovery action or {}) of one assessed goal in kk, ru, en, from its reason."""
    code, params = goal["reason_code"], goal["reason_params"] or {}
    text, action = {}, {}
    for lang in LOCALES:
        t = translator(lang)
        unit, decimals = goal["unit"], int(goal["decimals"])
        values = {key: _figure(t, params[key], unit, decimals)
                  for key in ("forecast", "target", "final_value") if params.get(key) is not None}
        year = params["deadline"][:4] if params.get("deadline") else str(goal["target_year"])
        shown = {"name": names[lang], "year": year, "target": values.get("target", "–"),
                 "forecast": values.get("forecast", "–"), "final": values.get("final_value", "–"),
                 "latest": _figure(t, goal["latest_value"], unit, decimals),
                 "progress": t.percent(params.get("progress_pct", 0) / 100),
                 "expected": t.percent(params.get("expected_progress_pct", 0) / 100)}
        sentence = t(f"commentary.demo.{code}", **shown)
        if needs_recovery_action(goal["status"]):
            sentence += " " + t(f"commentary.demo.cause.{pick % DEMO_VARIANTS + 1}")
            action[lang] = t(f"commentary.demo.action.{pick // DEMO_VARIANTS % DEMO_VARIANTS + 1}",
                             due=_closing_date(t, due))
        text[lang] = sentence
    return text, action


def _node_texts(status: str, weak: int, total: int, names: Mapping[str, str], due: dt.date | None,
                pick: int) -> tuple[dict, dict]:
    """(commentary, recovery action or {}) on a node as a whole, in kk, ru, en."""
    text, action = {}, {}
    for lang in LOCALES:
        t = translator(lang)
        if needs_recovery_action(status):
            text[lang] = (t("commentary.demo.node", weak=t.number(weak, 0), total=t.number(total, 0), name=names[lang])
                          + " " + t(f"commentary.demo.cause.{pick % DEMO_VARIANTS + 1}"))
            action[lang] = t(f"commentary.demo.action.{pick // DEMO_VARIANTS % DEMO_VARIANTS + 1}",
                             due=_closing_date(t, due))
        else:
            text[lang] = t("commentary.demo.node_on_track")
    return text, action


def seed_demo_commentary(ctx: Context) -> int:
    """Give the demo's goals their owners' words, as of ``ctx.today``: every goal amber or worse, and every
    node with a goal amber or worse, gets a commentary from its reason (a node: from its weakest goal)
    and, when amber or worse, a recovery action due at the end of a month one to four months ahead; one
    goal or node in three of the others gets a commentary; about three in ten words are entered by an
    analyst on the owner's behalf; each is dated one to six days before ``ctx.today``. Goals and nodes
    nobody is accountable for get none. Deterministic (the same store gives the same words). Returns how
    many words were recorded."""
    engine, viewer = ctx.engine, ctx.viewer
    codes = sorted({code for root in queries.portfolios(engine, viewer)["code"]
                    for code in queries.subtree(engine, viewer, root)["code"]})
    goals = queries.goals(engine, viewer, codes, lang="en")
    names = {lang: dict(zip(zip(frame["node"], frame["indicator"]), frame["name"]))
             for lang, frame in (("en", goals), *((lang, queries.goals(engine, viewer, codes, lang=lang))
                                                 for lang in ("kk", "ru")))}
    assessed = assess_goals(ctx, goals).goals
    owners = store_commentary.goal_owners(engine, viewer, codes, on=ctx.today)
    owner_of = {goal_key(node, indicator): official
                for node, indicator, official in zip(owners["node"], owners["indicator"], owners["official"])}
    words: list[Word] = []

    def add(node: str, indicator: str | None, status: str, texts: tuple[dict, dict], due: dt.date | None,
            pick: int) -> None:
        owner = owner_of.get((node, indicator))
        if owner is None:
            return
        on_behalf = pick % 10 < DEMO_ON_BEHALF_OF_TEN
        day = ctx.today - dt.timedelta(days=1 + pick % 6)
        at = dt.datetime.combine(day, dt.time(9), tzinfo=ALMATY) + dt.timedelta(minutes=pick % 480)
        text, action = texts
        words.append(Word(node=node, indicator=indicator, official=owner,
                          entered_by=DEMO_ANALYST if on_behalf else owner, on_behalf=on_behalf, status=status,
                          text=text, recovery_action=action or None, recovery_due=due if action else None,
                          recorded_at=at))

    goals_by_id = {str(goal["goal_id"]): goal for goal in assessed.to_dict("records")}
    for goal in goals_by_id.values():
        status, pick = goal["status"], _pick(goal["node"], goal["indicator"])
        if status == "no_data" or (not needs_recovery_action(status) and pick % DEMO_GREEN_EVERY):
            continue
        due = _month_end(ctx.today, 1 + pick % 4)
        labels = {lang: names[lang][(goal["node"], goal["indicator"])] for lang in LOCALES}
        add(goal["node"], goal["indicator"], status, _goal_texts(goal, labels, due, pick), due, pick)

    children = assessed[["node", "status", "progress", "weight", "reason_code"]].assign(
        code=assessed["goal_id"].astype(str)).rename(columns={"progress": "score"})
    for code, mine in children.groupby("node", sort=True):
        pick = _pick(code)
        weak = int(mine["status"].isin(NEEDS_RECOVERY).sum())
        if not weak and pick % DEMO_GREEN_EVERY:  # a node with no goal amber or worse is not amber or worse
            continue
        roll = rollup(mine)
        if roll.status == "no_data":
            continue
        worst = goals_by_id[roll.worst_code]
        labels = {lang: names[lang][(worst["node"], worst["indicator"])] for lang in LOCALES}
        due = _month_end(ctx.today, 1 + pick % 4)
        add(code, None, roll.status, _node_texts(roll.status, weak, roll.n_judged, labels, due, pick), due, pick)
    save_words(ctx, words)
    return len(words)


__all__ = ["LATEST_DUE", "MAX_ACTION", "MAX_TEXT", "NEEDS_RECOVERY", "OFFICIAL_WORD_COLUMNS", "ON_BEHALF_ROLES",
           "WORD_COLUMNS", "CommentaryRefused", "Right", "commentary_for_official", "current_commentary",
           "entered_by", "goal_history", "goal_key", "goal_status", "may_give_words", "needs_recovery_action", "rights",
           "save_words", "seed_demo_commentary", "submit_commentary"]
