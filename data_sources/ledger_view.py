"""Reading the responsibility ledger for ``/ledger``: the chain's head, the entries (newest first,
filtered and paged in SQL) with each payload only where the viewer may read it, and the history of a
goal — who was accountable, from when to when, with which target — from the store's tables with the
ledger sequence numbers that recorded each row.

Who reads what. The chain is public, like a Certificate Transparency log: every viewer sees every
entry's header (``seq``, ``time``, ``kind``, ``prev``, ``hash``), so anyone can see how long the chain
is and that it is unbroken. An entry's payload and its ``actor`` are what it records, and are shown
only to a viewer who may see the rows recorded (:data:`PAYLOAD_RULES`, decided in SQL):

* ``node`` (responsibilities, targets, commentary): the node is the plan (a portfolio or program,
  visible to every role) or a project in the viewer's region (a region-scoped viewer does not read
  another region's projects);
* ``instruction`` (``instruction.*``): staff roles only — the ``public`` role and the wall display
  (``kiosk``) read the headers — and only the instructions of the viewer's region;
* ``batch`` (``batch.loaded``): roles that see the load history (``Viewer.sees_uploads``), with the
  load history's own rule for a region-scoped viewer (a batch whose values are all of its region);
* ``staff`` (``observation.corrected``, and any kind not listed): staff roles; corrections of every
  region are comparison data, but an old or new value may be a draft the public may not see;
* ``everyone`` (``approval``).

"Staff" are the roles that see draft values (``Viewer.sees_drafts``: not ``public``, not ``kiosk``).
Filters by goal or official match only payloads the viewer may read (a filter must not reveal what a
withheld payload names); the filter by kind matches headers.

The payload column holds the canonical JSON text that was hashed; its fields are read with the
database's JSON functions (SQLite ``json_extract``; PostgreSQL ``->>`` on the text cast to ``json``).
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd
from sqlalchemy import JSON, Engine, and_, cast, false, func, or_, select, true, type_coerce
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement

from data_sources.queries import localized
from data_sources.store import (
    NATION,
    Goal,
    Indicator,
    Instruction,
    LedgerEntry,
    LoadBatch,
    Node,
    Observation,
    Official,
    Region,
    Responsibility,
    Target,
    normalise_code,
)
from data_sources.viewer import Viewer

#: Which rule decides whether a viewer reads an entry's payload (see the module's docstring); a kind not
#: listed follows ``staff``.
PAYLOAD_RULES: dict[str, str] = {
    "responsibility.assigned": "node",
    "responsibility.ended": "node",
    "target.set": "node",
    "commentary.set": "node",
    "instruction.issued": "instruction",
    "instruction.status": "instruction",
    "batch.loaded": "batch",
    "observation.corrected": "staff",
    "approval": "everyone",
}
RESPONSIBILITY_KINDS = ("responsibility.assigned", "responsibility.ended")
INSTRUCTION_KINDS = ("instruction.issued", "instruction.status")
#: Payload fields naming an official (``assignee`` and ``issued_by`` of instructions).
OFFICIAL_FIELDS = ("official", "assignee", "issued_by")
#: Longest code a filter takes (longer text cannot be a code).
MAX_CODE = 64

ENTRY_COLUMNS = ("seq", "time", "actor", "kind", "payload", "prev", "hash", "readable", "node_level")


def _payload_json(engine: Engine) -> ColumnElement:
    """The payload column as JSON: PostgreSQL parses the text (``CAST(... AS json)``); SQLite's JSON
    functions read the text as it is (a CAST there would give the text numeric affinity)."""
    if engine.dialect.name == "postgresql":
        return cast(LedgerEntry.payload, JSON)
    return type_coerce(LedgerEntry.payload, JSON)


def filter_code(value: object) -> str | None:
    """Text from a filter (the URL, a form) as a code to match: printable characters only (PostgreSQL
    refuses NUL in text), upper case, at most :data:`MAX_CODE` characters; None for anything else."""
    if not isinstance(value, str):
        return None
    code = normalise_code("".join(ch for ch in value if ch.isprintable()))[:MAX_CODE]
    return code or None


class _Entries:
    """SQL over the ledger and what its payloads name. A condition on the rows a payload names is
    ``code IN (the codes that qualify)``: an uncorrelated subquery the database runs once per query
    (PostgreSQL hashes it; a correlated one would be costed per entry and trigger JIT compilation)."""

    def __init__(self, engine: Engine, viewer: Viewer) -> None:
        self.viewer = viewer
        self.payload = _payload_json(engine)

    def field(self, key: str) -> ColumnElement:
        """The text of the payload's top-level ``key`` (NULL when absent or null)."""
        return self.payload[key].as_string()

    def _mine(self):
        return select(Region.id).where(Region.code == normalise_code(self.viewer.region or "")).scalar_subquery()

    def named_instruction(self, *conditions: ColumnElement) -> ColumnElement:
        """An ``instruction.*`` entry whose instruction meets ``conditions``."""
        return and_(LedgerEntry.kind.in_(INSTRUCTION_KINDS),
                    self.field("instruction").in_(select(Instruction.code).where(*conditions)))

    def node_level(self) -> ColumnElement:
        """The level of the node the payload names (NULL when it names none)."""
        return select(Node.level).where(Node.code == self.field("node")).scalar_subquery()

    def _rule(self, rule: str) -> ColumnElement:
        viewer, national = self.viewer, self.viewer.region is None
        staff = viewer.sees_drafts
        if rule == "everyone":
            return true()
        if rule == "staff":
            return true() if staff else false()
        if rule == "node":
            if national:
                return true()
            return self.field("node").in_(select(Node.code).where(or_(Node.level.in_(("portfolio", "program")),
                                                                      Node.region_id == self._mine())))
        if rule == "instruction":
            if not staff:
                return false()
            return true() if national else self.named_instruction(Instruction.region_id == self._mine())
        if rule == "batch":
            if not (staff and viewer.sees_uploads):
                return false()
            if national:
                return true()
            written = select(Observation.id).where(Observation.batch_id == LoadBatch.id)
            return self.field("batch").in_(select(LoadBatch.code).where(
                written.where(Observation.region_id == self._mine()).exists(),
                ~written.where(Observation.region_id != self._mine()).exists()))
        raise ValueError(f"unknown payload rule {rule!r}")

    def readable(self) -> ColumnElement:
        """SQL condition: the viewer may read this entry's payload (:data:`PAYLOAD_RULES`)."""
        rules: dict[str, list[str]] = {}
        for kind, rule in PAYLOAD_RULES.items():
            rules.setdefault(rule, []).append(kind)
        listed = [and_(LedgerEntry.kind.in_(kinds), self._rule(rule)) for rule, kinds in rules.items()]
        unlisted = and_(LedgerEntry.kind.not_in(list(PAYLOAD_RULES)), self._rule("staff"))
        return or_(*listed, unlisted)

    def conditions(self, kind: str | None, node: str | None, indicator: str | None,
                   official: str | None) -> list[ColumnElement]:
        """The filters as SQL conditions; a filter on the payload also requires a readable payload."""
        conditions: list[ColumnElement] = []
        if kind is not None:
            conditions.append(LedgerEntry.kind == kind)
        node, indicator, official = filter_code(node), filter_code(indicator), filter_code(official)
        if node is not None:
            node_id = select(Node.id).where(Node.code == node).scalar_subquery()
            conditions.append(or_(self.field("node") == node, self.named_instruction(Instruction.node_id == node_id)))
        if indicator is not None:
            matches = [self.field("indicator") == indicator, self.field("goal") == indicator]
            if node is not None:  # the whole node's responsibilities are its goals' too
                matches.append(and_(LedgerEntry.kind.in_(RESPONSIBILITY_KINDS), self.field("goal").is_(None)))
            conditions.append(or_(*matches))
        if official is not None:
            official_id = select(Official.id).where(Official.code == official).scalar_subquery()
            conditions.append(or_(*(self.field(key) == official for key in OFFICIAL_FIELDS),
                                  self.named_instruction(or_(Instruction.assignee_id == official_id,
                                                             Instruction.issued_by_id == official_id))))
        if node is not None or indicator is not None or official is not None:
            conditions.append(self.readable())
        return conditions


def ledger_entries(engine: Engine, viewer: Viewer, *, kind: str | None = None, node: str | None = None,
                   indicator: str | None = None, official: str | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[pd.DataFrame, int]:
    """One page of ledger entries, newest first, and how many entries match (COUNT in SQL).

    Filters: ``kind`` (exact; an unknown kind matches nothing); ``node`` (the payload's node, or the
    node of the instruction an ``instruction.*`` entry names); ``indicator`` (the payload's
    ``indicator`` or a responsibility's ``goal``; with ``node``, also the whole node's
    responsibilities); ``official`` (``official``, ``assignee`` or ``issued_by``, or the assignee or
    issuer of the named instruction). Codes are matched case-insensitively, as bound parameters.

    Not an ``@operational`` query: the chain's headers are public. The page's headers and whether
    each payload is ``readable`` (the module's rules) come first; then the payloads (the canonical
    JSON text) and actors of the readable entries only — the others' stay in the database (None).
    ``node_level`` is the level of the node a readable payload names (for links).
    Columns: :data:`ENTRY_COLUMNS`.
    """
    entries = _Entries(engine, viewer)
    conditions = entries.conditions(kind, node, indicator, official)
    headers = (
        select(LedgerEntry.seq, LedgerEntry.time, LedgerEntry.kind, LedgerEntry.prev, LedgerEntry.hash,
               entries.readable().label("readable"))
        .where(*conditions)
        .order_by(LedgerEntry.seq.desc())
        .limit(max(0, int(limit))).offset(max(0, int(offset)))
    )
    counted = select(func.count()).select_from(LedgerEntry).where(*conditions)
    with engine.connect() as conn:
        total = int(conn.execute(counted).scalar_one())
        rows = conn.execute(headers).all()
        readable = [row.seq for row in rows if row.readable]
        bodies = {row.seq: row for row in conn.execute(
            select(LedgerEntry.seq, LedgerEntry.actor, LedgerEntry.payload, entries.node_level().label("node_level"))
            .where(LedgerEntry.seq.in_(readable)))} if readable else {}
    frame = pd.DataFrame(
        [(row.seq, row.time, getattr(bodies.get(row.seq), "actor", None), row.kind,
          getattr(bodies.get(row.seq), "payload", None), row.prev, row.hash, bool(row.readable),
          getattr(bodies.get(row.seq), "node_level", None)) for row in rows],
        columns=list(ENTRY_COLUMNS))
    return frame.astype({"seq": int, "readable": bool}), total


# --- the chain's head -----------------------------------------------------------------------------------

def chain_head(engine: Engine) -> dict:
    """The chain as stored now: ``entries`` (COUNT), the newest entry's ``head_seq``, ``head_hash`` and
    ``head_time`` (RFC 3339 text); None for each head field of an empty chain."""
    newest = select(LedgerEntry.seq, LedgerEntry.hash, LedgerEntry.time).order_by(LedgerEntry.seq.desc()).limit(1)
    with engine.connect() as conn:
        entries = int(conn.execute(select(func.count()).select_from(LedgerEntry)).scalar_one())
        head = conn.execute(newest).one_or_none()
    return {"entries": entries, "head_seq": head.seq if head else None, "head_hash": head.hash if head else None,
            "head_time": head.time if head else None}


def entry_hash_at(engine: Engine, seq: int) -> str | None:
    """The stored hash of entry ``seq`` (None when the chain has no such entry): a checkpoint of size
    ``seq`` names it as its head."""
    with engine.connect() as conn:
        return conn.execute(select(LedgerEntry.hash).where(LedgerEntry.seq == int(seq))).scalar_one_or_none()


# --- the history of a goal ------------------------------------------------------------------------------

def _visible_node(viewer: Viewer, node_code: str) -> list[ColumnElement]:
    """The node ``node_code``, when the viewer may see it: the plan, or a project of its region."""
    conditions = [Node.code == filter_code(node_code)]
    if viewer.region is not None:
        mine = select(Region.id).where(Region.code == normalise_code(viewer.region)).scalar_subquery()
        conditions.append(or_(Node.level != "project", Node.region_id == mine))
    return conditions


RESPONSIBILITY_HISTORY_COLUMNS = ("seq", "official", "name", "post", "official_kind", "role", "goal", "valid_from",
                                  "valid_to", "recorded_at")


def responsibility_history(engine: Engine, viewer: Viewer, node_code: str, indicator_code: str | None = None, *,
                           lang: str = "ru") -> pd.DataFrame:
    """Who was accountable for the node ``node_code``, from when to when (``valid_to`` None: still):
    every responsibility for the whole node (``goal`` None) and for its goals — with
    ``indicator_code``, for that goal only — oldest first, with the ledger ``seq`` that recorded it.
    Nothing for a project outside a region-scoped viewer's region.
    Columns: :data:`RESPONSIBILITY_HISTORY_COLUMNS` (``official_kind``: political | administrative)."""
    goal_indicator = aliased(Indicator, name="goal_indicator")
    statement = (
        select(Responsibility.ledger_seq, Official.code, localized(Official.name, lang), localized(Official.post, lang),
               Official.kind, Responsibility.role, goal_indicator.code, Responsibility.valid_from,
               Responsibility.valid_to, Responsibility.recorded_at)
        .join(Node, Node.id == Responsibility.node_id)
        .join(Official, Official.id == Responsibility.official_id)
        .outerjoin(Goal, Goal.id == Responsibility.goal_id)
        .outerjoin(goal_indicator, goal_indicator.id == Goal.indicator_id)
        .where(*_visible_node(viewer, node_code))
        .order_by(Responsibility.valid_from, Responsibility.goal_id.is_not(None), goal_indicator.code,
                  Responsibility.ledger_seq, Responsibility.id)
    )
    if indicator_code is not None:
        statement = statement.where(or_(Responsibility.goal_id.is_(None),
                                        goal_indicator.code == filter_code(indicator_code)))
    return _frame(engine, statement, RESPONSIBILITY_HISTORY_COLUMNS)


TARGET_HISTORY_COLUMNS = ("seq", "indicator", "region", "year", "value", "previous", "recorded_at", "recorded_by")


def target_history(engine: Engine, viewer: Viewer, node_code: str,
                   indicator_code: str | None = None) -> pd.DataFrame:
    """Every target ever recorded for the goals of ``node_code`` (with ``indicator_code``, that goal's),
    by indicator, year, region (the nation ``KZ`` first) and time recorded, with the value it replaced
    (``previous``: the prior row's value for the same goal, region and year; None for the first) and
    the ledger ``seq`` of its ``target.set`` entry. Nothing for a project outside a region-scoped
    viewer's region. Columns: :data:`TARGET_HISTORY_COLUMNS`."""
    previous = func.lag(Target.value).over(partition_by=(Target.goal_id, Target.region_id, Target.year),
                                           order_by=(Target.recorded_at, Target.id))
    statement = (
        select(Target.ledger_seq, Indicator.code, Region.code, Target.year, Target.value, previous,
               Target.recorded_at, Target.recorded_by)
        .join(Goal, Goal.id == Target.goal_id)
        .join(Node, Node.id == Goal.node_id)
        .join(Indicator, Indicator.id == Goal.indicator_id)
        .join(Region, Region.id == Target.region_id)
        .where(*_visible_node(viewer, node_code))
        .order_by(Indicator.code, Target.year, Region.code != NATION, Region.code, Target.recorded_at, Target.id)
    )
    if indicator_code is not None:
        statement = statement.where(Indicator.code == filter_code(indicator_code))
    return _frame(engine, statement, TARGET_HISTORY_COLUMNS)


def _frame(engine: Engine, statement, columns: Iterable[str]) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    return pd.DataFrame(rows, columns=list(columns))

