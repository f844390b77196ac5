"""Query functions of accountability: officials, what they are accountable for, instructions (поручения)
with the owner each one escalates to.

Every function takes the :class:`~data_sources.viewer.Viewer` and enforces its scope in SQL, like
:mod:`data_sources.queries`: officials belong to their region (``KZ``: national), instructions to
theirs; a region-scoped viewer sees only its region's, and roles that do not see instructions (the
public) get none. Lists are filtered, ordered and paginated in SQL.

**Who holds a goal.** A responsibility for one goal of a node names that goal's official; a
responsibility for a whole node covers each of the node's goals that has no responsibility of its own
recorded (a portfolio's goals are each a minister's; the portfolio as a whole is a Deputy Prime
Minister's). A node without goals still shows as held (``goal_id`` None).

**Escalation.** An instruction counts against its assignee; when it is overdue it also counts against
the owner it escalates to: the official accountable (on ``today``) for the **parent** of the node it is
linked to — for an instruction linked to a project, the program's owner; linked to a program, the
portfolio's owner. When that official is the assignee (a minister given an instruction on a project of
their own program), it goes one level further up (the grandparent's owner). An instruction linked to
no node, or to a portfolio, or whose ancestors have no other owner, escalates to the official who
issued it, unless the issuer is the assignee: then it escalates to nobody. ``escalation_node`` names
the node whose owner it escalated to (None when it went to the issuer).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

import pandas as pd
from sqlalchemy import Engine, and_, case, false, func, literal, or_, select
from sqlalchemy.sql import ColumnElement

from data_sources.queries import _frame, _in_scope, _node_visible, localized, operational
from data_sources.store import (
    NATION,
    Agency,
    Goal,
    Indicator,
    Instruction,
    Node,
    Official,
    Region,
    Responsibility,
    normalise_code,
)
from data_sources.viewer import Viewer

#: What a code can be made of (codes are ASCII, but a lookup may come with any letters): no control
#: characters, which PostgreSQL refuses in text.
CODE_TEXT = re.compile(r"[\w.~-]{1,128}")


def _code_in(column, codes: Iterable[str]) -> ColumnElement:
    """SQL condition: ``column`` is one of ``codes`` (case-insensitive); false for text no code can be."""
    valid = [normalise_code(code) for code in codes if isinstance(code, str) and CODE_TEXT.fullmatch(code.strip())]
    return column.in_(valid) if valid else false()


# --- officials ---------------------------------------------------------------------------------------

OFFICIAL_COLUMNS = ("code", "name", "post", "kind", "agency", "agency_name", "region", "region_name")


@operational
def officials(engine: Engine, viewer: Viewer, *, codes: Iterable[str] | None = None,
              lang: str = "ru") -> pd.DataFrame:
    """Officials the viewer may see (a region-scoped viewer: its region's), political first, then by
    name; only ``codes`` when given. Columns: :data:`OFFICIAL_COLUMNS` (``region``: the official's)."""
    name = localized(Official.name, lang)
    statement = (
        select(Official.code, name, localized(Official.post, lang), Official.kind, Agency.code,
               localized(Agency.name, lang), Region.code, localized(Region.name, lang))
        .join(Region, Region.id == Official.region_id)
        .outerjoin(Agency, Agency.id == Official.agency_id)
        .where(_in_scope(Official.region_id, viewer))
        .order_by(Official.kind.desc(), name, Official.code)
    )
    if codes is not None:
        statement = statement.where(_code_in(Official.code, codes))
    return _frame(engine, statement, OFFICIAL_COLUMNS)


HOLDING_COLUMNS = ("official", "region", "node", "node_level", "node_name", "node_region", "goal_id", "indicator",
                   "goal_name", "for_goal", "valid_from", "valid_to")


@operational
def holdings(engine: Engine, viewer: Viewer, *, officials: Iterable[str] | None = None,
             lang: str = "ru") -> pd.DataFrame:
    """What officials the viewer may see are (and were) accountable for: one row per responsibility and
    goal it covers (see the module docstring), with the span it was held (``valid_to`` None: still
    held); only ``officials``' when given. Projects outside a region-scoped viewer's region are left
    out. A responsibility for a node none of whose goals it covers (a node without goals, or a portfolio
    whose goals each have their own official) has one row with ``goal_id`` None.
    Columns: :data:`HOLDING_COLUMNS` (``region``: the official's; ``for_goal``: a responsibility for that
    one goal), by official, node, indicator and start."""
    own_goal = Responsibility.__table__.alias("own_goal")
    goal_has_its_own = select(own_goal.c.id).where(own_goal.c.goal_id == Goal.id).exists()
    covered = or_(Goal.id == Responsibility.goal_id,
                  and_(Responsibility.goal_id.is_(None), Goal.node_id == Responsibility.node_id, ~goal_has_its_own))
    node_region = Region.__table__.alias("node_region")
    statement = (
        select(Official.code, Region.code, Node.code, Node.level, localized(Node.name, lang), node_region.c.code,
               Goal.id, Indicator.code, localized(Indicator.name, lang), Responsibility.goal_id.is_not(None),
               Responsibility.valid_from, Responsibility.valid_to)
        .select_from(Responsibility)
        .join(Official, Official.id == Responsibility.official_id)
        .join(Region, Region.id == Official.region_id)
        .join(Node, Node.id == Responsibility.node_id)
        .join(node_region, node_region.c.id == Node.region_id)
        .outerjoin(Goal, and_(Goal.node_id == Node.id, covered))
        .outerjoin(Indicator, Indicator.id == Goal.indicator_id)
        .where(_in_scope(Official.region_id, viewer), _node_visible(viewer))
        .order_by(Official.code, Node.code, Indicator.code, Responsibility.valid_from)
    )
    if officials is not None:
        statement = statement.where(_code_in(Official.code, officials))
    return _frame(engine, statement, HOLDING_COLUMNS).astype({"for_goal": bool})


# --- instructions ------------------------------------------------------------------------------------

INSTRUCTION_COLUMNS = (
    "code", "text", "meeting", "meeting_date", "issued_by", "issued_by_name", "assignee", "assignee_name",
    "assignee_post", "agency", "agency_name", "node", "node_level", "node_name", "region", "region_name",
    "issued_date", "due_date", "done_date", "report", "escalation_owner", "escalation_owner_name",
    "escalation_owner_post", "escalation_node",
)

#: Orders of instruction lists (:func:`instructions` says each one).
ORDERS = ("issued", "due", "assignee", "agency", "meeting")


def _current_owners(today: dt.date):
    """Subquery (node_id, official_id): who is accountable for each whole node on ``today`` (the latest
    to start wins, as in :func:`data_sources.queries.accountable`)."""
    ranked = (
        select(Responsibility.node_id, Responsibility.official_id,
               func.row_number().over(partition_by=Responsibility.node_id,
                                      order_by=(Responsibility.valid_from.desc(), Responsibility.id.desc()))
               .label("rank"))
        .where(Responsibility.goal_id.is_(None), Responsibility.valid_from <= today,
               or_(Responsibility.valid_to.is_(None), Responsibility.valid_to >= today))
        .subquery("ranked_owners")
    )
    return select(ranked.c.node_id, ranked.c.official_id).where(ranked.c.rank == 1).subquery("owners")


def _escalated(today: dt.date):
    """Subquery (id, escalation_id, escalation_node): every instruction with the official its overdue
    state escalates to (module docstring) and the node whose owner that is."""
    linked, parent, grand = (Node.__table__.alias(name) for name in ("linked", "parent_node", "grand_node"))
    owners = _current_owners(today)
    parent_owner, grand_owner = owners.alias("parent_owner"), owners.alias("grand_owner")
    assignee = Instruction.assignee_id
    to_parent = and_(parent_owner.c.official_id.is_not(None), parent_owner.c.official_id != assignee)
    to_grand = and_(grand_owner.c.official_id.is_not(None), grand_owner.c.official_id != assignee)
    to_issuer = Instruction.issued_by_id != assignee
    return (
        select(Instruction.id.label("id"),
               case((to_parent, parent_owner.c.official_id), (to_grand, grand_owner.c.official_id),
                    (to_issuer, Instruction.issued_by_id), else_=None).label("escalation_id"),
               case((to_parent, parent.c.code), (to_grand, grand.c.code), else_=None).label("escalation_node"))
        .select_from(Instruction)
        .outerjoin(linked, linked.c.id == Instruction.node_id)
        .outerjoin(parent, parent.c.id == linked.c.parent_id)
        .outerjoin(grand, grand.c.id == parent.c.parent_id)
        .outerjoin(parent_owner, parent_owner.c.node_id == parent.c.id)
        .outerjoin(grand_owner, grand_owner.c.node_id == grand.c.id)
        .subquery("escalated")
    )


def _tables():
    return {name: Official.__table__.alias(name) for name in ("assignee", "issuer", "owner")}


def _instruction_conditions(viewer: Viewer, today: dt.date, people: dict, linked, *,
                            outstanding: bool | None, due_from: dt.date | None, due_until: dt.date | None,
                            assignee: str | None, escalated_to: str | None, agency: str | None,
                            region: str | None, node: str | None, under: str | None,
                            meeting_date: dt.date | None, issued_by: str | None) -> list[ColumnElement]:
    done_by_today = and_(Instruction.done_date.is_not(None), Instruction.done_date <= today)
    conditions: list[ColumnElement] = [Instruction.issued_date <= today, _in_scope(Instruction.region_id, viewer)]
    if outstanding is not None:
        conditions.append(~done_by_today if outstanding else done_by_today)
    if due_from is not None:
        conditions.append(Instruction.due_date >= due_from)
    if due_until is not None:
        conditions.append(Instruction.due_date <= due_until)
    for value, column in ((assignee, people["assignee"].c.code), (escalated_to, people["owner"].c.code),
                          (agency, Agency.code), (region, Region.code), (node, linked.c.code),
                          (issued_by, people["issuer"].c.code)):
        if value is not None:
            conditions.append(_code_in(column, [value]))
    if under is not None:
        tree = Node.__table__
        down = select(tree.c.id).where(_code_in(tree.c.code, [under])).cte("under", recursive=True)
        down = down.union_all(select(tree.c.id).join(down, tree.c.parent_id == down.c.id))
        conditions.append(Instruction.node_id.in_(select(down.c.id)))
    if meeting_date is not None:
        conditions.append(Instruction.meeting_date == meeting_date)
    return conditions


def _instruction_from(escalated, people: dict, linked):
    """Instructions joined with their people, agency, region, linked node and escalation."""
    return (
        select(Instruction.id)
        .join(people["assignee"], people["assignee"].c.id == Instruction.assignee_id)
        .join(people["issuer"], people["issuer"].c.id == Instruction.issued_by_id)
        .join(Region, Region.id == Instruction.region_id)
        .join(escalated, escalated.c.id == Instruction.id)
        .outerjoin(people["owner"], people["owner"].c.id == escalated.c.escalation_id)
        .outerjoin(Agency, Agency.id == Instruction.agency_id)
        .outerjoin(linked, linked.c.id == Instruction.node_id)
    )


def _no_instructions() -> pd.DataFrame:
    return pd.DataFrame(columns=list(INSTRUCTION_COLUMNS))


@operational
def instructions(engine: Engine, viewer: Viewer, *, today: dt.date | None = None, lang: str = "ru",
                 outstanding: bool | None = None, due_from: dt.date | None = None, due_until: dt.date | None = None,
                 assignee: str | None = None, escalated_to: str | None = None, agency: str | None = None,
                 region: str | None = None, node: str | None = None, under: str | None = None,
                 meeting_date: dt.date | None = None, issued_by: str | None = None, order: str = "issued",
                 limit: int = 50, offset: int = 0) -> pd.DataFrame:
    """Instructions issued by ``today`` in the viewer's scope (none for roles that do not see them), one
    page (``limit``/``offset``), filtered in SQL:

    ``outstanding`` True: not done by ``today``, False: done by then; ``due_from``/``due_until``: due in
    that span (inclusive); ``assignee``, ``escalated_to`` (its escalation owner), ``issued_by``:
    officials' codes; ``agency``, ``region``: codes; ``node``: linked to that node, ``under``: to that
    node or any below it; ``meeting_date``: issued at a meeting on that day.

    ``order``: ``issued`` (newest first), ``due`` (soonest first), ``assignee`` / ``agency`` (by name,
    then soonest due), ``meeting`` (newest meeting first). ``done_date`` as known on ``today`` (done
    later: None); the escalation owner as of ``today`` (module docstring).
    Columns: :data:`INSTRUCTION_COLUMNS` (``region``: the instruction's)."""
    if not viewer.sees_instructions:
        return _no_instructions()
    today = today or dt.date.today()
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    people, linked = _tables(), Node.__table__.alias("linked")
    escalated = _escalated(today)
    conditions = _instruction_conditions(
        viewer, today, people, linked, outstanding=outstanding, due_from=due_from, due_until=due_until,
        assignee=assignee, escalated_to=escalated_to, agency=agency, region=region, node=node, under=under,
        meeting_date=meeting_date, issued_by=issued_by)
    assignee_name = localized(people["assignee"].c.name, lang)
    agency_name = localized(Agency.name, lang)
    orders = {
        "issued": (Instruction.issued_date.desc(), Instruction.code.desc()),
        "due": (Instruction.due_date, Instruction.code),
        "assignee": (assignee_name, people["assignee"].c.code, Instruction.due_date, Instruction.code),
        "agency": (agency_name, Agency.code, Instruction.due_date, Instruction.code),
        "meeting": (Instruction.meeting_date.desc(), people["issuer"].c.code, Instruction.code),
    }
    done_by_today = case((Instruction.done_date <= today, Instruction.done_date), else_=None)
    report = case((Instruction.done_date <= today, Instruction.report), else_=None)
    statement = (
        _instruction_from(escalated, people, linked)
        .with_only_columns(
            Instruction.code, localized(Instruction.text, lang), localized(Instruction.meeting, lang),
            Instruction.meeting_date, people["issuer"].c.code, localized(people["issuer"].c.name, lang),
            people["assignee"].c.code, assignee_name, localized(people["assignee"].c.post, lang), Agency.code,
            agency_name, linked.c.code, linked.c.level, localized(linked.c.name, lang), Region.code,
            localized(Region.name, lang), Instruction.issued_date, Instruction.due_date, done_by_today,
            report, people["owner"].c.code, localized(people["owner"].c.name, lang),
            localized(people["owner"].c.post, lang), escalated.c.escalation_node,
        )
        .where(*conditions)
        .order_by(*orders[order])
        .limit(max(0, int(limit))).offset(max(0, int(offset)))
    )
    frame = _frame(engine, statement, INSTRUCTION_COLUMNS)
    frame["report"] = [(value.get(lang) or value.get("ru") or value.get("en")) if isinstance(value, dict) else None
                       for value in frame["report"]]
    return frame


def instruction_total(engine: Engine, viewer: Viewer, *, today: dt.date | None = None,
                      outstanding: bool | None = None, due_from: dt.date | None = None,
                      due_until: dt.date | None = None, assignee: str | None = None, escalated_to: str | None = None,
                      agency: str | None = None, region: str | None = None, node: str | None = None,
                      under: str | None = None, meeting_date: dt.date | None = None,
                      issued_by: str | None = None) -> int:
    """How many instructions :func:`instructions` pages through with the same filters (COUNT in SQL);
    0 for roles that do not see instructions."""
    if not viewer.sees_instructions:
        return 0
    today = today or dt.date.today()
    people, linked = _tables(), Node.__table__.alias("linked")
    escalated = _escalated(today)
    conditions = _instruction_conditions(
        viewer, today, people, linked, outstanding=outstanding, due_from=due_from, due_until=due_until,
        assignee=assignee, escalated_to=escalated_to, agency=agency, region=region, node=node, under=under,
        meeting_date=meeting_date, issued_by=issued_by)
    statement = _instruction_from(escalated, people, linked).with_only_columns(func.count()).where(*conditions)
    with engine.connect() as conn:
        return int(conn.execute(statement).scalar_one())


DUTY_COLUMNS = ("code", "assignee", "escalation_owner", "region", "due_date", "done_date")


@operational
def instruction_duties(engine: Engine, viewer: Viewer, *, today: dt.date | None = None,
                       since: dt.date | None = None, officials: Iterable[str] | None = None) -> pd.DataFrame:
    """Instructions that can be overdue on ``today`` or on ``since`` (default: ``today``): issued by
    ``today``, due before ``today`` and not done by ``since``, with whom they count against — the
    assignee and the escalation owner (as of ``today``; module docstring) — for scorecards; only those
    counting against one of ``officials`` when given. ``done_date`` as known on ``today``.
    Columns: :data:`DUTY_COLUMNS` (``region``: the instruction's), by code."""
    if not viewer.sees_instructions:
        return pd.DataFrame(columns=list(DUTY_COLUMNS))
    today = today or dt.date.today()
    since = min(since or today, today)
    people, linked = _tables(), Node.__table__.alias("linked")
    escalated = _escalated(today)
    statement = (
        _instruction_from(escalated, people, linked)
        .with_only_columns(Instruction.code, people["assignee"].c.code, people["owner"].c.code, Region.code,
                           Instruction.due_date,
                           case((Instruction.done_date <= today, Instruction.done_date), else_=None))
        .where(Instruction.issued_date <= today, Instruction.due_date < today,
               or_(Instruction.done_date.is_(None), Instruction.done_date > since),
               _in_scope(Instruction.region_id, viewer))
        .order_by(Instruction.code)
    )
    if officials is not None:
        codes = list(officials)
        statement = statement.where(or_(_code_in(people["assignee"].c.code, codes),
                                        _code_in(people["owner"].c.code, codes)))
    return _frame(engine, statement, DUTY_COLUMNS)


# --- instructions grouped: overdue by assignee or agency, by meeting ---------------------------------

OVERDUE_GROUP_COLUMNS = ("key", "name", "post", "agency_name", "region", "overdue", "oldest_due")
#: What overdue instructions can be grouped by.
OVERDUE_GROUPS = ("assignee", "agency")


def _one_region() -> ColumnElement:
    """A group's region: the one region all its instructions share, else the nation."""
    low, high = func.min(Region.code), func.max(Region.code)
    return case((low == high, low), else_=literal(NATION))


def _overdue_on(viewer: Viewer, today: dt.date) -> list[ColumnElement]:
    return [Instruction.issued_date <= today, Instruction.due_date < today,
            or_(Instruction.done_date.is_(None), Instruction.done_date > today),
            _in_scope(Instruction.region_id, viewer)]


@operational
def overdue_groups(engine: Engine, viewer: Viewer, *, today: dt.date | None = None, by: str = "assignee",
                   lang: str = "ru", limit: int = 200, offset: int = 0) -> pd.DataFrame:
    """Instructions overdue on ``today`` (due before it, not done by it) counted per assignee or per
    agency (``by``) in SQL, most first; none for roles that do not see instructions. ``key``: the
    official's or the agency's code; ``post`` and ``agency_name``: the official's (None for agencies);
    ``region``: the one region of all the group's instructions, else ``KZ``; ``oldest_due``: the
    earliest due date among them. Columns: :data:`OVERDUE_GROUP_COLUMNS`."""
    if not viewer.sees_instructions:
        return pd.DataFrame(columns=list(OVERDUE_GROUP_COLUMNS))
    if by not in OVERDUE_GROUPS:
        raise ValueError(f"by must be one of {', '.join(OVERDUE_GROUPS)}, not {by!r}")
    today = today or dt.date.today()
    count, oldest = func.count(Instruction.id), func.min(Instruction.due_date)
    if by == "assignee":
        assignee, agency = Official.__table__.alias("assignee"), Agency.__table__.alias("official_agency")
        statement = (
            select(assignee.c.code, localized(assignee.c.name, lang), localized(assignee.c.post, lang),
                   localized(agency.c.name, lang), _one_region(), count, oldest)
            .select_from(Instruction)
            .join(assignee, assignee.c.id == Instruction.assignee_id)
            .outerjoin(agency, agency.c.id == assignee.c.agency_id)
            .group_by(assignee.c.id, agency.c.id)  # names and posts depend on these keys
            .order_by(count.desc(), oldest, assignee.c.code)
        )
    else:
        statement = (
            select(Agency.code, localized(Agency.name, lang), literal(None), literal(None), _one_region(), count,
                   oldest)
            .select_from(Instruction)
            .join(Agency, Agency.id == Instruction.agency_id)
            .group_by(Agency.id)
            .order_by(count.desc(), oldest, Agency.code)
        )
    statement = (statement.join(Region, Region.id == Instruction.region_id).where(*_overdue_on(viewer, today))
                 .limit(max(0, int(limit))).offset(max(0, int(offset))))
    return _frame(engine, statement, OVERDUE_GROUP_COLUMNS).astype({"overdue": int})


MEETING_COLUMNS = ("meeting_date", "issued_by", "issued_by_name", "issued_by_post", "meeting", "region",
                   "instructions", "done", "outstanding", "overdue")


def _meeting_select(viewer: Viewer, today: dt.date, lang: str):
    """Instructions issued by ``today`` grouped by meeting: the day and the official who chaired it
    (the issuer), with counts computed in SQL."""
    issuer = Official.__table__.alias("issuer")
    done = and_(Instruction.done_date.is_not(None), Instruction.done_date <= today)
    overdue = and_(~done, Instruction.due_date < today)
    return (
        select(Instruction.meeting_date, issuer.c.code, localized(issuer.c.name, lang),
               localized(issuer.c.post, lang), func.min(localized(Instruction.meeting, lang)), _one_region(),
               func.count(Instruction.id), func.sum(case((done, 1), else_=0)), func.sum(case((done, 0), else_=1)),
               func.sum(case((overdue, 1), else_=0)))
        .select_from(Instruction)
        .join(issuer, issuer.c.id == Instruction.issued_by_id)
        .join(Region, Region.id == Instruction.region_id)
        .where(Instruction.issued_date <= today, _in_scope(Instruction.region_id, viewer))
        .group_by(Instruction.meeting_date, issuer.c.id)  # the issuer's name and post depend on its key
    ), issuer


@operational
def meetings(engine: Engine, viewer: Viewer, *, today: dt.date | None = None, lang: str = "ru",
             limit: int = 50, offset: int = 0) -> pd.DataFrame:
    """Meetings (a day and the official who chaired it, i.e. issued its instructions), newest first, one
    page, with their instructions counted in SQL as of ``today``: ``instructions``, ``done`` (by
    ``today``), ``outstanding``, ``overdue`` (due before ``today``, not done); ``meeting``: its name
    (the first, should one chair hold two meetings on one day); ``region``: the one region of its
    instructions the viewer may see, else ``KZ``. None for roles that do not see instructions.
    Columns: :data:`MEETING_COLUMNS`."""
    if not viewer.sees_instructions:
        return pd.DataFrame(columns=list(MEETING_COLUMNS))
    today = today or dt.date.today()
    statement, issuer = _meeting_select(viewer, today, lang)
    statement = (statement.order_by(Instruction.meeting_date.desc(), issuer.c.code)
                 .limit(max(0, int(limit))).offset(max(0, int(offset))))
    frame = _frame(engine, statement, MEETING_COLUMNS)
    return frame.astype({column: int for column in ("instructions", "done", "outstanding", "overdue")})


def meeting_total(engine: Engine, viewer: Viewer, *, today: dt.date | None = None) -> int:
    """How many meetings :func:`meetings` pages through (COUNT in SQL); 0 without instructions."""
    if not viewer.sees_instructions:
        return 0
    today = today or dt.date.today()
    grouped = _meeting_select(viewer, today, "ru")[0].subquery("grouped_meetings")
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(grouped)).scalar_one())
