"""Query functions: the only way pages, the API, the CLI and exports read the store.

Every function takes the :class:`~data_sources.viewer.Viewer` and enforces its scope in SQL; it
pushes filtering and aggregation down to the database and returns a small DataFrame whose columns
its docstring fixes. Names come back in the requested locale (falling back to ru, then en).

Operational queries (rows that belong to a region or the nation) are registered in
:data:`OPERATIONAL_QUERIES` and return a ``region`` column; a test calls each of them as a
region-scoped viewer and checks that no row of another region comes back.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable

import pandas as pd
from sqlalchemy import Engine, and_, func, literal, or_, select
from sqlalchemy.sql import ColumnElement

from data_sources.store import (
    NATION,
    Agency,
    CitizenRequest,
    Goal,
    Indicator,
    Instruction,
    LedgerEntry,
    Milestone,
    Node,
    Observation,
    ObservationCurrent,
    Official,
    Region,
    Responsibility,
    StoreMeta,
    Target,
    normalise_code,
)
from data_sources.viewer import Viewer

OPERATIONAL_QUERIES: dict[str, Callable[..., pd.DataFrame]] = {}


def operational(function: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """Register a query whose rows belong to regions (it must return a ``region`` column)."""
    OPERATIONAL_QUERIES[function.__name__] = function
    return function


def localized(column, lang: str) -> ColumnElement:
    """The text of a per-locale JSON column in ``lang``, falling back to ru, then en."""
    return func.coalesce(column[lang].as_string(), column["ru"].as_string(), column["en"].as_string())


def _frame(engine: Engine, statement, columns: Iterable[str]) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    return pd.DataFrame(rows, columns=list(columns))


def _in_scope(region_id_column, viewer: Viewer) -> ColumnElement:
    """SQL condition: the row's region is visible to the viewer (always true for a national viewer)."""
    if viewer.region is None:
        return literal(True)
    return region_id_column.in_(select(Region.id).where(Region.code == normalise_code(viewer.region)))


def _published_only(viewer: Viewer) -> bool:
    return not viewer.sees_drafts


# --- the store itself -------------------------------------------------------------------------------

def store_meta(engine: Engine) -> dict[str, dict]:
    """All ``store_meta`` rows as ``{key: value}`` (data version, demo marker, ledger head lock)."""
    with engine.connect() as conn:
        return {row.key: row.value for row in conn.execute(select(StoreMeta.key, StoreMeta.value))}


def data_version(engine: Engine) -> int:
    """The data version counter: changes whenever data changes (one indexed row; cheap to poll)."""
    with engine.connect() as conn:
        value = conn.execute(select(StoreMeta.value).where(StoreMeta.key == "data_version")).scalar_one_or_none()
    return int(value["version"]) if value else 0


def table_counts(engine: Engine) -> dict[str, int]:
    """Row counts of the entity tables named in ``natije info`` (COUNT in SQL, nothing loaded)."""
    levels = select(Node.level, func.count()).group_by(Node.level)
    with engine.connect() as conn:
        by_level = dict(conn.execute(levels).all())
        count = lambda model: conn.execute(select(func.count()).select_from(model)).scalar_one()  # noqa: E731
        return {
            "portfolios": by_level.get("portfolio", 0),
            "programs": by_level.get("program", 0),
            "projects": by_level.get("project", 0),
            "indicators": count(Indicator),
            "observations": count(Observation),
            "officials": count(Official),
            "instructions": count(Instruction),
            "citizen_requests": count(CitizenRequest),
            "ledger_entries": count(LedgerEntry),
        }


def latest_observation_period(engine: Engine) -> str | None:
    """The label of the most recent period any observation covers (None for an empty store)."""
    statement = select(ObservationCurrent.period).order_by(ObservationCurrent.period_start.desc()).limit(1)
    with engine.connect() as conn:
        return conn.execute(statement).scalar_one_or_none()


def region_codes(engine: Engine) -> list[str]:
    """Codes of every region in the store, the nation (``KZ``) included."""
    with engine.connect() as conn:
        return list(conn.execute(select(Region.code).order_by(Region.code)).scalars())


# --- plan structure ----------------------------------------------------------------------------------

NODE_COLUMNS = ("code", "level", "kind", "name", "parent", "region", "region_name", "agency", "agency_name",
                "start_date", "end_date", "state", "weight", "budget_kzt", "legal_act", "synthetic", "source")


def _node_select(lang: str):
    parent = Node.__table__.alias("parent")
    return (
        select(Node.code, Node.level, Node.kind, localized(Node.name, lang), parent.c.code, Region.code,
               localized(Region.name, lang), Agency.code, localized(Agency.name, lang), Node.start_date,
               Node.end_date, Node.state, Node.weight, Node.budget_kzt, Node.legal_act, Node.synthetic,
               Node.source)
        .join(Region, Region.id == Node.region_id)
        .outerjoin(parent, parent.c.id == Node.parent_id)
        .outerjoin(Agency, Agency.id == Node.agency_id)
    )


def _node_visible(viewer: Viewer) -> ColumnElement:
    """Portfolios and programs are the plan, visible to all; projects are operational rows."""
    return or_(Node.level != "project", _in_scope(Node.region_id, viewer))


def portfolios(engine: Engine, viewer: Viewer, *, lang: str = "ru") -> pd.DataFrame:
    """Portfolios, newest first. Columns: :data:`NODE_COLUMNS`."""
    statement = _node_select(lang).where(Node.level == "portfolio").order_by(Node.end_date.desc(), Node.code)
    return _frame(engine, statement, NODE_COLUMNS)


def node(engine: Engine, viewer: Viewer, code: str, *, lang: str = "ru") -> dict | None:
    """One node by code (case-insensitive) with :data:`NODE_COLUMNS`, or None when it does not exist
    or is a project outside the viewer's region."""
    statement = _node_select(lang).where(Node.code == normalise_code(code), _node_visible(viewer))
    frame = _frame(engine, statement, NODE_COLUMNS)
    return None if frame.empty else frame.iloc[0].to_dict()


def node_path(engine: Engine, viewer: Viewer, code: str, *, lang: str = "ru") -> pd.DataFrame:
    """The chain from the portfolio down to ``code`` (for breadcrumbs). Columns: code, level, name."""
    tree = Node.__table__
    up = select(tree.c.id, tree.c.parent_id, literal(0).label("depth")).where(
        tree.c.code == normalise_code(code)).cte("up", recursive=True)
    up = up.union_all(select(tree.c.id, tree.c.parent_id, (up.c.depth + 1).label("depth"))
                      .join(up, tree.c.id == up.c.parent_id))
    statement = (select(Node.code, Node.level, localized(Node.name, lang))
                 .join(up, up.c.id == Node.id).where(_node_visible(viewer)).order_by(up.c.depth.desc()))
    return _frame(engine, statement, ("code", "level", "name"))


def children(engine: Engine, viewer: Viewer, parent_code: str, *, lang: str = "ru") -> pd.DataFrame:
    """Direct children of a node, by code; projects limited to the viewer's region.
    Columns: :data:`NODE_COLUMNS`."""
    parent = select(Node.id).where(Node.code == normalise_code(parent_code)).scalar_subquery()
    statement = _node_select(lang).where(Node.parent_id == parent, _node_visible(viewer)).order_by(Node.code)
    return _frame(engine, statement, NODE_COLUMNS)


def subtree(engine: Engine, viewer: Viewer, root_code: str, *, lang: str = "ru") -> pd.DataFrame:
    """``root_code`` and every node below it that the viewer may see, parents before children.
    Columns: :data:`NODE_COLUMNS` plus ``depth`` (0 for the root)."""
    tree = Node.__table__
    down = select(tree.c.id, literal(0).label("depth")).where(
        tree.c.code == normalise_code(root_code)).cte("subtree", recursive=True)
    down = down.union_all(select(tree.c.id, (down.c.depth + 1).label("depth")).join(down, tree.c.parent_id == down.c.id))
    statement = (_node_select(lang).add_columns(down.c.depth).join(down, down.c.id == Node.id)
                 .where(_node_visible(viewer)).order_by(down.c.depth, Node.code))
    return _frame(engine, statement, (*NODE_COLUMNS, "depth"))


@operational
def projects_under(engine: Engine, viewer: Viewer, root_code: str = "NDP-2029", *, lang: str = "ru") -> pd.DataFrame:
    """Every project in the subtree of ``root_code`` visible to the viewer, with its program.
    Columns: :data:`NODE_COLUMNS` (``parent`` is the program)."""
    tree = Node.__table__
    down = select(tree.c.id).where(tree.c.code == normalise_code(root_code)).cte("down", recursive=True)
    down = down.union_all(select(tree.c.id).join(down, tree.c.parent_id == down.c.id))
    statement = (_node_select(lang).where(Node.id.in_(select(down.c.id)), Node.level == "project",
                                          _in_scope(Node.region_id, viewer)).order_by(Node.code))
    return _frame(engine, statement, NODE_COLUMNS)


@operational
def project_counts(engine: Engine, viewer: Viewer, root_code: str = "NDP-2029") -> pd.DataFrame:
    """Projects per program under a portfolio, by state, visible to the viewer (aggregated in SQL).
    Columns: program, region, state, projects."""
    program = Node.__table__.alias("program")
    statement = (
        select(program.c.code, Region.code, Node.state, func.count())
        .join(program, program.c.id == Node.parent_id)
        .join(Region, Region.id == Node.region_id)
        .where(Node.level == "project",
               program.c.parent_id == select(Node.__table__.c.id).where(
                   Node.__table__.c.code == normalise_code(root_code)).scalar_subquery(),
               _in_scope(Node.region_id, viewer))
        .group_by(program.c.code, Region.code, Node.state)
    )
    return _frame(engine, statement, ("program", "region", "state", "projects"))


# --- goals, targets, values --------------------------------------------------------------------------

GOAL_COLUMNS = ("goal_id", "node", "node_region", "indicator", "name", "unit", "direction", "frequency", "seasonal",
                "grace_days", "publication_lag_days", "decimals", "regional", "aggregation", "baseline_value",
                "baseline_period", "baseline_start", "weight", "headline", "agency", "agency_name", "source",
                "synthetic")


def goals(engine: Engine, viewer: Viewer, node_codes: Iterable[str], *, lang: str = "ru",
          headline_only: bool = False) -> pd.DataFrame:
    """Goals (indicator + baseline) of the given nodes; ``node_region`` is the node's region (``KZ`` for
    national nodes). Columns: :data:`GOAL_COLUMNS`."""
    codes = [normalise_code(c) for c in node_codes]
    statement = (
        select(Goal.id, Node.code, Region.code, Indicator.code, localized(Indicator.name, lang), Indicator.unit,
               Indicator.direction, Indicator.frequency, Indicator.seasonal, Indicator.grace_days,
               Indicator.publication_lag_days, Indicator.decimals, Indicator.regional, Indicator.aggregation,
               Goal.baseline_value, Goal.baseline_period, Goal.baseline_start, Goal.weight, Goal.headline,
               Agency.code, localized(Agency.name, lang), Indicator.source, Indicator.synthetic)
        .join(Node, Node.id == Goal.node_id)
        .join(Region, Region.id == Node.region_id)
        .join(Indicator, Indicator.id == Goal.indicator_id)
        .outerjoin(Agency, Agency.id == Indicator.agency_id)
        .where(Node.code.in_(codes), _node_visible(viewer))
        .order_by(Node.code, Goal.headline.desc(), Indicator.code)
    )
    if headline_only:
        statement = statement.where(Goal.headline.is_(True))
    return _frame(engine, statement, GOAL_COLUMNS)


def targets(engine: Engine, viewer: Viewer, goal_ids: Iterable[int], *, region: str = NATION,
            as_of: dt.datetime | None = None) -> pd.DataFrame:
    """The current yearly targets of goals for a region (``KZ``: national), as recorded by ``as_of``.
    Columns: goal_id, year, value."""
    ids = [int(i) for i in goal_ids]
    ranked = (
        select(Target.goal_id, Target.year, Target.value,
               func.row_number().over(partition_by=(Target.goal_id, Target.year),
                                      order_by=Target.recorded_at.desc()).label("rank"))
        .join(Region, Region.id == Target.region_id)
        .where(Target.goal_id.in_(ids), Region.code == normalise_code(region))
    )
    if as_of is not None:
        ranked = ranked.where(Target.recorded_at <= as_of)
    ranked = ranked.subquery()
    statement = (select(ranked.c.goal_id, ranked.c.year, ranked.c.value)
                 .where(ranked.c.rank == 1).order_by(ranked.c.goal_id, ranked.c.year))
    return _frame(engine, statement, ("goal_id", "year", "value"))


SERIES_COLUMNS = ("indicator", "region", "period", "period_start", "value", "state", "version")


def series(engine: Engine, viewer: Viewer, indicator_codes: Iterable[str], *, region: str = NATION,
           since: dt.date | None = None, as_of: dt.datetime | None = None) -> pd.DataFrame:
    """Values of indicators for one region (``KZ``: national), oldest first.

    Without ``as_of``: the current version from the summary table. With ``as_of``: the latest version
    known at that instant. The ``public`` role (and the kiosk) gets published values only.
    Columns: :data:`SERIES_COLUMNS` (``period_start`` as datetime64).
    """
    codes = [normalise_code(c) for c in indicator_codes]
    region_id = select(Region.id).where(Region.code == normalise_code(region)).scalar_subquery()
    published_only = _published_only(viewer)
    if as_of is None:
        value = ObservationCurrent.published_value if published_only else ObservationCurrent.value
        version = ObservationCurrent.published_version if published_only else ObservationCurrent.version
        state = literal("published") if published_only else ObservationCurrent.state
        statement = (
            select(Indicator.code, literal(normalise_code(region)), ObservationCurrent.period,
                   ObservationCurrent.period_start, value, state, version)
            .join(Indicator, Indicator.id == ObservationCurrent.indicator_id)
            .where(Indicator.code.in_(codes), ObservationCurrent.region_id == region_id, value.is_not(None))
        )
        if since is not None:
            statement = statement.where(ObservationCurrent.period_start >= since)
        statement = statement.order_by(Indicator.code, ObservationCurrent.period_start)
    else:
        conditions = [Observation.region_id == region_id, Observation.known_at <= as_of,
                      Observation.indicator_id.in_(select(Indicator.id).where(Indicator.code.in_(codes)))]
        if published_only:
            conditions.append(Observation.state == "published")
        if since is not None:
            conditions.append(Observation.period_start >= since)
        ranked = select(
            Observation.indicator_id, Observation.period, Observation.period_start, Observation.value,
            Observation.state, Observation.version,
            func.row_number().over(partition_by=(Observation.indicator_id, Observation.period_start),
                                   order_by=Observation.version.desc()).label("rank"),
        ).where(and_(*conditions)).subquery()
        statement = (
            select(Indicator.code, literal(normalise_code(region)), ranked.c.period, ranked.c.period_start,
                   ranked.c.value, ranked.c.state, ranked.c.version)
            .join(Indicator, Indicator.id == ranked.c.indicator_id)
            .where(ranked.c.rank == 1).order_by(Indicator.code, ranked.c.period_start)
        )
    frame = _frame(engine, statement, SERIES_COLUMNS)
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    return frame


# --- people ------------------------------------------------------------------------------------------

ACCOUNTABLE_COLUMNS = ("node", "official", "name", "post", "kind", "region", "valid_from")


def accountable(engine: Engine, viewer: Viewer, node_codes: Iterable[str] = (), *, on: dt.date | None = None,
                lang: str = "ru") -> pd.DataFrame:
    """Who is accountable for each node on ``on`` (default: today); node-level responsibilities only.
    Owners of the plan (portfolios, programs) are public; project owners follow the project's scope.
    Columns: :data:`ACCOUNTABLE_COLUMNS` (``region`` is the official's region)."""
    on = on or dt.date.today()
    codes = [normalise_code(c) for c in node_codes]
    statement = (
        select(Node.code, Official.code, localized(Official.name, lang), localized(Official.post, lang),
               Official.kind, Region.code, Responsibility.valid_from)
        .join(Node, Node.id == Responsibility.node_id)
        .join(Official, Official.id == Responsibility.official_id)
        .join(Region, Region.id == Official.region_id)
        .where(Responsibility.goal_id.is_(None), Responsibility.valid_from <= on,
               or_(Responsibility.valid_to.is_(None), Responsibility.valid_to >= on),
               _node_visible(viewer))
        .order_by(Node.code, Responsibility.valid_from.desc())
    )
    if codes:
        statement = statement.where(Node.code.in_(codes))
    frame = _frame(engine, statement, ACCOUNTABLE_COLUMNS)
    return frame.drop_duplicates("node", keep="first").reset_index(drop=True)


INSTRUCTION_COLUMNS = ("code", "text", "meeting", "meeting_date", "issued_by", "assignee", "assignee_name",
                       "assignee_post", "node", "region", "issued_date", "due_date", "done_date")


@operational
def overdue_instructions(engine: Engine, viewer: Viewer, *, today: dt.date | None = None, lang: str = "ru",
                         node_codes: Iterable[str] = (), limit: int = 200) -> pd.DataFrame:
    """Instructions not done whose due date has passed on ``today``, most overdue first, in the
    viewer's scope (none for roles that do not see instructions). Columns: :data:`INSTRUCTION_COLUMNS`."""
    if not viewer.sees_instructions:
        return pd.DataFrame(columns=list(INSTRUCTION_COLUMNS))
    today = today or dt.date.today()
    issuer = Official.__table__.alias("issuer")
    node_table = Node.__table__.alias("linked")
    statement = (
        select(Instruction.code, localized(Instruction.text, lang), localized(Instruction.meeting, lang),
               Instruction.meeting_date, issuer.c.code, Official.code, localized(Official.name, lang),
               localized(Official.post, lang), node_table.c.code, Region.code, Instruction.issued_date,
               Instruction.due_date, Instruction.done_date)
        .join(Official, Official.id == Instruction.assignee_id)
        .join(issuer, issuer.c.id == Instruction.issued_by_id)
        .join(Region, Region.id == Instruction.region_id)
        .outerjoin(node_table, node_table.c.id == Instruction.node_id)
        .where(Instruction.done_date.is_(None), Instruction.due_date < today,
               Instruction.issued_date <= today, _in_scope(Instruction.region_id, viewer))
        .order_by(Instruction.due_date, Instruction.code)
        .limit(limit)
    )
    codes = [normalise_code(c) for c in node_codes]
    if codes:
        statement = statement.where(node_table.c.code.in_(codes))
    return _frame(engine, statement, INSTRUCTION_COLUMNS)


@operational
def instruction_counts(engine: Engine, viewer: Viewer, *, today: dt.date | None = None) -> pd.DataFrame:
    """Instructions issued by ``today`` per region: total, done, open, overdue (COUNTs in SQL).
    Columns: region, total, done, open, overdue."""
    if not viewer.sees_instructions:
        return pd.DataFrame(columns=["region", "total", "done", "open", "overdue"])
    today = today or dt.date.today()
    done = and_(Instruction.done_date.is_not(None), Instruction.done_date <= today)
    overdue = and_(~done, Instruction.due_date < today)
    statement = (
        select(Region.code, func.count(), func.sum(func.cast(done, Instruction.id.type)),
               func.sum(func.cast(~done, Instruction.id.type)), func.sum(func.cast(overdue, Instruction.id.type)))
        .join(Region, Region.id == Instruction.region_id)
        .where(Instruction.issued_date <= today, _in_scope(Instruction.region_id, viewer))
        .group_by(Region.code).order_by(Region.code)
    )
    return _frame(engine, statement, ("region", "total", "done", "open", "overdue"))


@operational
def milestone_summary(engine: Engine, viewer: Viewer, *, today: dt.date | None = None,
                      root_code: str = "NDP-2029") -> pd.DataFrame:
    """Per project under ``root_code``: milestones due by today and how many of those are done.
    Columns: project, region, due, done_on_time, late."""
    today = today or dt.date.today()
    tree = Node.__table__
    down = select(tree.c.id).where(tree.c.code == normalise_code(root_code)).cte("down_ms", recursive=True)
    down = down.union_all(select(tree.c.id).join(down, tree.c.parent_id == down.c.id))
    on_time = and_(Milestone.actual_date.is_not(None), Milestone.actual_date <= Milestone.planned_date)
    statement = (
        select(Node.code, Region.code, func.count(),
               func.sum(func.cast(on_time, Milestone.id.type)),
               func.sum(func.cast(or_(Milestone.actual_date.is_(None), Milestone.actual_date > Milestone.planned_date),
                                  Milestone.id.type)))
        .join(Node, Node.id == Milestone.node_id)
        .join(Region, Region.id == Node.region_id)
        .where(Milestone.planned_date <= today, Node.id.in_(select(down.c.id)), _in_scope(Node.region_id, viewer))
        .group_by(Node.code, Region.code).order_by(Node.code)
    )
    return _frame(engine, statement, ("project", "region", "due", "done_on_time", "late"))


@operational
def citizen_request_counts(engine: Engine, viewer: Viewer, *, since: dt.date | None = None,
                           until: dt.date | None = None) -> pd.DataFrame:
    """Citizen requests received in [since, until] per region: total and resolved by the due date.
    Columns: region, received, resolved_on_time."""
    if not viewer.sees_requests:
        return pd.DataFrame(columns=["region", "received", "resolved_on_time"])
    on_time = and_(CitizenRequest.resolved_date.is_not(None), CitizenRequest.resolved_date <= CitizenRequest.due_date)
    statement = (
        select(Region.code, func.count(), func.sum(func.cast(on_time, CitizenRequest.id.type)))
        .join(Region, Region.id == CitizenRequest.region_id)
        .where(_in_scope(CitizenRequest.region_id, viewer))
        .group_by(Region.code).order_by(Region.code)
    )
    if since is not None:
        statement = statement.where(CitizenRequest.received_date >= since)
    if until is not None:
        statement = statement.where(CitizenRequest.received_date <= until)
    return _frame(engine, statement, ("region", "received", "resolved_on_time"))
