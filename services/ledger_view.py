"""``/ledger``: the chain's status (verified when, its size and head), the public key and the latest
checkpoint, the entries with a summary of each in the page's language, and the history of a goal.

Who reads which payload is decided in SQL by :mod:`data_sources.ledger_view` (its docstring); this
module only words and formats what the viewer may see. The URL is the page's state: raw values from
it go through :func:`ledger_query` first (an unknown kind is ignored, codes are cut to the longest a
code can be, the page number is clamped to the pages there are).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd
from babel.dates import format_timedelta

from data_sources import checkpoints, ledger_view, queries
from data_sources.ledger import KINDS
from data_sources.ledger_verify import latest_verification
from services.context import Context
from services.i18n import Translator

PAGE_SIZE = 50
#: Highest page number the URL may ask for (then clamped to the pages there are).
MAX_PAGE = 100_000
#: A verification older than this is shown with a warning.
STALE_AFTER = dt.timedelta(days=1)

#: The command that verifies the chain (named where it has never been verified).
VERIFY_COMMAND = "natije ledger verify"
#: Chain states, with the status of the five-point scale whose look they borrow.
CHAIN_STATES = {"verified": "green", "stale": "amber", "never": "amber", "failed": "red", "empty": "no_data"}

#: One row per entry shown. ``summary``: the entry in words (or that its details are withheld);
#: ``payload``: the canonical JSON text (None when withheld); ``node``, ``node_level``, ``indicator``,
#: ``official``, ``region``: codes a readable payload names, for links.
ENTRY_VIEW_COLUMNS = ("seq", "time", "time_text", "actor", "kind", "kind_name", "readable", "summary", "payload",
                      "prev", "hash", "node", "node_level", "indicator", "official", "region")


@dataclass(frozen=True)
class LedgerQuery:
    """The page's state, made safe: ``kind`` one of :data:`data_sources.ledger.KINDS` or None; codes
    upper-case and at most :data:`data_sources.ledger_view.MAX_CODE` characters, or None; ``page`` ≥ 1."""

    kind: str | None = None
    node: str | None = None
    indicator: str | None = None
    official: str | None = None
    page: int = 1

    @property
    def filtered(self) -> bool:
        return any((self.kind, self.node, self.indicator, self.official))


def ledger_query(kind: Any = None, node: Any = None, indicator: Any = None, official: Any = None,
                 page: Any = None) -> LedgerQuery:
    """A :class:`LedgerQuery` from raw URL values of any type (anything unusable is dropped)."""
    try:
        number = int(page) if isinstance(page, (int, str)) and not isinstance(page, bool) else 1
    except ValueError:
        number = 1
    code = ledger_view.filter_code
    return LedgerQuery(kind=kind if kind in KINDS else None, node=code(node), indicator=code(indicator),
                       official=code(official), page=max(1, min(number, MAX_PAGE)))


@dataclass(frozen=True)
class ChainStatus:
    """The chain now and at its last verification.

    ``state``: verified | stale (last verified more than :data:`STALE_AFTER` ago) | failed | never |
    empty; ``status``: its look on the five-point scale (:data:`CHAIN_STATES`); ``headline`` and
    ``lines``: the state in words. ``entries``/``head_*``: the chain as stored now; ``since_verified``:
    entries appended after the verified head. ``public_key``: the checkpoints' verifier key text and
    ``public_key_created_text`` when it was made (in words; None when unknown); ``checkpoint``:
    :func:`latest_checkpoint`."""

    state: str
    status: str
    headline: str
    lines: tuple[str, ...]
    entries: int
    head_seq: int | None
    head_hash: str | None
    verification: dict | None
    since_verified: int
    public_key: str | None
    public_key_created_text: str | None
    checkpoint: dict | None


@dataclass(frozen=True)
class GoalHistory:
    """Who was accountable for a node (with ``indicator``: for that goal), from when to when, and
    every target recorded for its goals, each with its ledger ``seq``.

    ``node``: code, name, level, region; ``indicator``: code, name, unit, decimals (None for the node
    as a whole; name None for an unknown code). ``responsibilities``: the columns of
    ``data_sources.ledger_view.RESPONSIBILITY_HISTORY_COLUMNS`` plus ``from_text``, ``to_text``
    (“now” when open) and ``scope_text`` (the whole node or the goal). ``targets``: the columns of
    ``TARGET_HISTORY_COLUMNS`` plus ``value_text``, ``previous_text``, ``recorded_text``."""

    node: dict
    indicator: dict | None
    responsibilities: pd.DataFrame
    targets: pd.DataFrame


@dataclass(frozen=True)
class LedgerPage:
    """What ``/ledger`` shows: the query (after clamping ``page``), the chain status, one page of
    entries (:data:`ENTRY_VIEW_COLUMNS`) of ``total`` matching, the goal history when the query names
    a node (``history_missing``: it names one the viewer cannot see or that does not exist), and the
    kinds with their names for the filter."""

    query: LedgerQuery
    status: ChainStatus
    entries: pd.DataFrame
    total: int
    pages: int
    page_size: int
    history: GoalHistory | None
    history_missing: bool
    kinds: tuple[tuple[str, str], ...] = field(default=())


# --- formatting payload values ------------------------------------------------------------------------

def decimal_text(value: Any, t: Translator) -> str:
    """A payload number (a decimal string such as ``"75.0"``) in the locale, with as many decimals as
    it was written with; anything else as it is; ``–`` for none."""
    if value is None:
        return "–"
    text = str(value)
    try:
        number = float(text)
    except ValueError:
        return text
    if not math.isfinite(number):
        return text
    decimals = len(text.split(".", 1)[1]) if "." in text and "e" not in text.lower() else 0
    return t.number(number, min(decimals, 6))


def date_value_text(value: Any, t: Translator) -> str:
    """A payload date (ISO text) in the locale's medium format; other text as it is."""
    if not value:
        return "–"
    try:
        return t.date(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


def entry_time(text: Any) -> dt.datetime | None:
    """An entry's ``time`` (RFC 3339 UTC with ``Z``) as an aware datetime; None when malformed."""
    try:
        return dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def _time_text(text: Any, t: Translator) -> str | None:
    moment = entry_time(text) if text else None
    return t.datetime(moment) if moment is not None else None


def _goal_text(node: Any, indicator: Any) -> str:
    return " · ".join(str(part) for part in (node, indicator) if part) or "–"


def entry_summary(kind: str, payload: Mapping[str, Any], t: Translator) -> str:
    """One entry in words in ``t``'s language, e.g. “Target set: NP-HEALTH · LIFE_EXPECTANCY · KZ ·
    2029 → 75.0 (was 74.0)”."""
    p = payload
    if kind in ("responsibility.assigned", "responsibility.ended"):
        date = date_value_text(p.get("valid_from") if kind == "responsibility.assigned" else p.get("valid_to"), t)
        message = "ledger.summary.assigned" if kind == "responsibility.assigned" else "ledger.summary.ended"
        return t(message, official=p.get("official") or "–", goal=_goal_text(p.get("node"), p.get("goal")), date=date)
    if kind == "target.set":
        params = {"goal": _goal_text(p.get("node"), p.get("indicator")), "region": p.get("region") or "–",
                  "year": p.get("year") or "–", "value": decimal_text(p.get("value"), t)}
        if p.get("previous") is None:
            return t("ledger.summary.target", **params)
        return t("ledger.summary.target_changed", previous=decimal_text(p.get("previous"), t), **params)
    if kind == "batch.loaded":
        return t("ledger.summary.batch", batch=p.get("batch") or "–", read=decimal_text(p.get("rows_read"), t),
                 loaded=decimal_text(p.get("loaded"), t), corrected=decimal_text(p.get("corrected"), t),
                 quarantined=decimal_text(p.get("quarantined"), t))
    if kind == "observation.corrected":
        return t("ledger.summary.corrected", indicator=p.get("indicator") or "–", region=p.get("region") or "–",
                 period=p.get("period") or "–", old=decimal_text(p.get("old_value"), t),
                 new=decimal_text(p.get("new_value"), t), version=p.get("version") or "–")
    if kind == "instruction.issued":
        return t("ledger.summary.instruction", instruction=p.get("instruction") or "–",
                 issued_by=p.get("issued_by") or "–", assignee=p.get("assignee") or "–",
                 due=date_value_text(p.get("due_date"), t))
    if kind == "instruction.status":
        status = str(p.get("status") or "–")
        word = t(f"ledger.instruction.{status}") if t.has(f"ledger.instruction.{status}") else status
        return t("ledger.summary.instruction_status", instruction=p.get("instruction") or "–", status=word,
                 date=date_value_text(p.get("date"), t))
    if kind == "commentary.set":
        status = p.get("status")
        params = {"official": p.get("official") or "–", "goal": _goal_text(p.get("node"), p.get("indicator"))}
        if status and t.has(f"status.{status}"):
            return t("ledger.summary.commentary_status", status=t(f"status.{status}"), **params)
        return t("ledger.summary.commentary", **params)
    if kind == "approval":
        return t("ledger.summary.approval", what=p.get("what") or "–", code=p.get("code") or "–",
                 by=p.get("by") or "–")
    return kind_name(kind, t)


def kind_name(kind: str, t: Translator) -> str:
    return t(f"ledger.kind.{kind}") if t.has(f"ledger.kind.{kind}") else kind


def entry_rows(frame: pd.DataFrame, t: Translator) -> pd.DataFrame:
    """Query entries (``data_sources.ledger_view.ENTRY_COLUMNS``) shaped as :data:`ENTRY_VIEW_COLUMNS`."""
    rows = []
    for entry in frame.to_dict("records"):
        kind, readable = str(entry["kind"]), bool(entry["readable"])
        payload: dict = {}
        if readable and entry["payload"] is not None:
            try:
                parsed = json.loads(entry["payload"])
                payload = parsed if isinstance(parsed, dict) else {}
            except ValueError:
                payload = {}
        moment = entry_time(entry["time"])
        rows.append({
            "seq": int(entry["seq"]), "time": entry["time"],
            "time_text": t.datetime(moment) if moment is not None else str(entry["time"]),
            "actor": entry["actor"] if readable else None, "kind": kind, "kind_name": kind_name(kind, t),
            "readable": readable,
            "summary": entry_summary(kind, payload, t) if readable else t("ledger.summary.withheld"),
            "payload": entry["payload"] if readable else None, "prev": entry["prev"], "hash": entry["hash"],
            "node": payload.get("node"), "node_level": entry["node_level"] if readable else None,
            "indicator": payload.get("indicator") or payload.get("goal"),
            "official": payload.get("official") or payload.get("assignee"),
            "region": payload.get("region"),
        })
    return pd.DataFrame(rows, columns=list(ENTRY_VIEW_COLUMNS))


# --- the chain's status -----------------------------------------------------------------------------------

def age_text(then: dt.datetime, now: dt.datetime, t: Translator) -> str:
    """``then`` relative to ``now`` in words of the locale (“3 hours ago”)."""
    return format_timedelta(then - now, locale=t.locale, add_direction=True, threshold=1.0)


def problem_text(code: str, t: Translator) -> str:
    """A verification problem code (``data_sources.ledger_verify.PROBLEM_CODES``) in words."""
    return t(f"ledger.problem.{code}") if t.has(f"ledger.problem.{code}") else code


def chain_status(ctx: Context, now: dt.datetime | None = None) -> ChainStatus:
    """The chain's status for ``/ledger`` at ``now`` (default: this instant)."""
    t, engine = ctx.t, ctx.engine
    now = now or dt.datetime.now(dt.timezone.utc)
    head = ledger_view.chain_head(engine)
    verification = latest_verification(engine)
    since = 0
    lines: list[str] = []
    if verification is None:
        state = "empty" if head["entries"] == 0 else "never"
        headline = (t("ledger.status.empty") if state == "empty"
                    else t("ledger.status.never", command=VERIFY_COMMAND))
    else:
        verified_at = verification["verified_at"]
        age = age_text(verified_at, now, t)
        since = max(0, head["entries"] - int(verification["entries"] or 0))
        if not verification["ok"]:
            state = "failed"
            headline = (t("ledger.status.failed_at", seq=t.number(verification["first_bad_seq"], 0))
                        if verification.get("first_bad_seq") is not None else t("ledger.status.failed"))
            if verification.get("problem"):
                lines.append(t("ledger.status.problem", problem=problem_text(verification["problem"], t)))
        else:
            state = "stale" if now - verified_at > STALE_AFTER else "verified"
            headline = t("ledger.status.stale", age=age) if state == "stale" else t("ledger.status.verified")
        lines.append(t("ledger.status.verified_when", when=t.datetime(verified_at), age=age))
        lines.append(t("ledger.status.verified_size", entries=t.number(int(verification["entries"] or 0), 0)))
        if since:
            lines.append(t("ledger.status.since", count=t.number(since, 0)))
    keys = checkpoints.stored_public_keys(engine)
    return ChainStatus(
        state=state, status=CHAIN_STATES[state], headline=headline, lines=tuple(lines), entries=head["entries"],
        head_seq=head["head_seq"], head_hash=head["head_hash"], verification=verification, since_verified=since,
        public_key=keys.get("verifier_key"), public_key_created_text=_time_text(keys.get("created_at"), t),
        checkpoint=latest_checkpoint(ctx, keys),
    )


def latest_checkpoint(ctx: Context, keys: Mapping[str, Any]) -> dict | None:
    """The latest checkpoint in ``NATIJE_CHECKPOINT_DIR`` as shown: file name, origin, size, head hash,
    ``time_text``, ``verified`` (signed by the store's current or a retired key) and ``matches`` (the
    chain's entry at the checkpoint's size has its head hash; None when the chain is that short no
    more — cut, or a checkpoint of another chain)."""
    texts = [keys.get("verifier_key"), *(retired.get("verifier_key") for retired in keys.get("retired", []))]
    checkpoint = checkpoints.latest_checkpoint(ctx.settings.checkpoint_path, [text for text in texts if text])
    if checkpoint is None:
        return None
    stored = ledger_view.entry_hash_at(ctx.engine, checkpoint.size) if checkpoint.size > 0 else None
    return {"file": checkpoint.path.name, "origin": checkpoint.origin, "size": checkpoint.size,
            "head_hash": checkpoint.head_hash, "time": checkpoint.time,
            "time_text": ctx.t.datetime(checkpoint.time) if checkpoint.time else "–",
            "verified": checkpoint.verified, "matches": None if stored is None else stored == checkpoint.head_hash}


# --- the history of a goal ----------------------------------------------------------------------------------

def goal_history(ctx: Context, node_code: str, indicator_code: str | None) -> GoalHistory | None:
    """The history of the goal (node and indicator) or of the node as a whole; None when the node does
    not exist or the viewer may not see it."""
    engine, viewer, t, lang = ctx.engine, ctx.viewer, ctx.t, ctx.lang
    node = queries.node(engine, viewer, node_code, lang=lang)
    if node is None:
        return None
    responsibilities = ledger_view.responsibility_history(engine, viewer, node["code"], indicator_code, lang=lang)
    targets = ledger_view.target_history(engine, viewer, node["code"], indicator_code)
    codes = sorted({*targets["indicator"], *([indicator_code] if indicator_code else [])})
    meta = queries.indicators(engine, codes, lang=lang).set_index("code") if codes else pd.DataFrame()
    indicator = None
    if indicator_code is not None:
        known = indicator_code in meta.index
        indicator = {"code": indicator_code, "name": meta.at[indicator_code, "name"] if known else None,
                     "unit": meta.at[indicator_code, "unit"] if known else None,
                     "decimals": int(meta.at[indicator_code, "decimals"]) if known else 1}

    def decimals(code: str) -> int:
        return int(meta.at[code, "decimals"]) if code in meta.index else 1

    responsibilities = responsibilities.assign(
        from_text=[t.date(d) for d in responsibilities["valid_from"]],
        to_text=[t.date(d) if d is not None and not pd.isna(d) else t("ledger.history.now")
                 for d in responsibilities["valid_to"]],
        scope_text=[t("ledger.history.whole_node") if g is None or pd.isna(g) else str(g)
                    for g in responsibilities["goal"]],
    )
    targets = targets.assign(
        value_text=[t.number(v, decimals(c)) for v, c in zip(targets["value"], targets["indicator"])],
        previous_text=[t.number(v, decimals(c)) if v is not None and not pd.isna(v) else "–"
                       for v, c in zip(targets["previous"], targets["indicator"])],
        recorded_text=[t.datetime(moment) for moment in targets["recorded_at"]],
    )
    return GoalHistory(
        node={"code": node["code"], "name": node["name"], "level": node["level"], "region": node["region"]},
        indicator=indicator, responsibilities=responsibilities.reset_index(drop=True),
        targets=targets.reset_index(drop=True),
    )


# --- the page ------------------------------------------------------------------------------------------------

def build_ledger_page(ctx: Context, query: LedgerQuery, *, now: dt.datetime | None = None) -> LedgerPage:
    """Everything ``/ledger`` shows for ``query`` (its page clamped to the last page there is)."""
    filters = {"kind": query.kind, "node": query.node, "indicator": query.indicator, "official": query.official}
    frame, total = ledger_view.ledger_entries(ctx.engine, ctx.viewer, limit=PAGE_SIZE,
                                              offset=(query.page - 1) * PAGE_SIZE, **filters)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if query.page > pages:
        query = LedgerQuery(**filters, page=pages)
        frame, total = ledger_view.ledger_entries(ctx.engine, ctx.viewer, limit=PAGE_SIZE,
                                                  offset=(pages - 1) * PAGE_SIZE, **filters)
    history = goal_history(ctx, query.node, query.indicator) if query.node else None
    return LedgerPage(
        query=query, status=chain_status(ctx, now), entries=entry_rows(frame, ctx.t), total=total, pages=pages,
        page_size=PAGE_SIZE, history=history, history_missing=bool(query.node) and history is None,
        kinds=tuple((kind, kind_name(kind, ctx.t)) for kind in KINDS),
    )

