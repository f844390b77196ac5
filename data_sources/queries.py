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
from sqlalchemy import Engine, and_, case, extract, func, literal, or_, select
from sqlalchemy.sql import ColumnElement

from data_sources.store import (
    NATION,
    Agency,
    BudgetLine,
    CitizenRequest,
    Goal,
    Indicator,
    Instruction,
    LedgerEntry,
    LoadBatch,
    Milestone,
    Node,
    Observation,
    ObservationCurrent,
    Official,
    Region,
    RegionPopulation,
    RegionPredecessor,
    RequestTopic,
    Responsibility,
    StoreMeta,
    StoredFile,
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
                "grace_days", "publication_lag_days", "decimals", "regional", "aggregation", "valid_min", "valid_max",
                "baseline_value",
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
               Indicator.valid_min, Indicator.valid_max, Goal.baseline_value, Goal.baseline_period, Goal.baseline_start, Goal.weight, Goal.headline,
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


def _instruction_select(lang: str, done_date: ColumnElement, viewer: Viewer):
    """The instruction columns (:data:`INSTRUCTION_COLUMNS`) with their joins, in the viewer's scope;
    ``done_date`` is the column to report as the done date (as known on a day, for as-of views)."""
    issuer = Official.__table__.alias("issuer")
    linked = Node.__table__.alias("linked")
    statement = (
        select(Instruction.code, localized(Instruction.text, lang), localized(Instruction.meeting, lang),
               Instruction.meeting_date, issuer.c.code, Official.code, localized(Official.name, lang),
               localized(Official.post, lang), linked.c.code, Region.code, Instruction.issued_date,
               Instruction.due_date, done_date)
        .join(Official, Official.id == Instruction.assignee_id)
        .join(issuer, issuer.c.id == Instruction.issued_by_id)
        .join(Region, Region.id == Instruction.region_id)
        .outerjoin(linked, linked.c.id == Instruction.node_id)
        .where(_in_scope(Instruction.region_id, viewer))
    )
    return statement, linked


@operational
def overdue_instructions(engine: Engine, viewer: Viewer, *, today: dt.date | None = None, lang: str = "ru",
                         node_codes: Iterable[str] = (), region: str | None = None, limit: int = 200) -> pd.DataFrame:
    """Instructions not done by ``today`` whose due date has passed on ``today``, most overdue first,
    in the viewer's scope (none for roles that do not see instructions); only ``region``'s when given.
    An instruction done after ``today`` was still open then (as-of views). Columns: :data:`INSTRUCTION_COLUMNS`."""
    if not viewer.sees_instructions:
        return pd.DataFrame(columns=list(INSTRUCTION_COLUMNS))
    today = today or dt.date.today()
    statement, node_table = _instruction_select(lang, Instruction.done_date, viewer)
    statement = (
        statement
        .where(or_(Instruction.done_date.is_(None), Instruction.done_date > today), Instruction.due_date < today,
               Instruction.issued_date <= today)
        .order_by(Instruction.due_date, Instruction.code)
        .limit(limit)
    )
    codes = [normalise_code(c) for c in node_codes]
    if codes:
        statement = statement.where(node_table.c.code.in_(codes))
    if region is not None:
        statement = statement.where(Region.code == normalise_code(region))
    frame = _frame(engine, statement, INSTRUCTION_COLUMNS)
    return frame.assign(done_date=None)  # not done as of ``today``


@operational
def instruction_counts(engine: Engine, viewer: Viewer, *, today: dt.date | None = None,
                       region: str | None = None) -> pd.DataFrame:
    """Instructions issued by ``today`` per region (only ``region``'s when given): total, done, open,
    overdue (COUNTs in SQL). Columns: region, total, done, open, overdue."""
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
    if region is not None:
        statement = statement.where(Region.code == normalise_code(region))
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


# --- regions: the units, their validity and predecessors, population ----------------------------------

REGION_COLUMNS = ("code", "name", "level", "valid_from", "valid_to", "centre", "area_km2", "predecessor",
                  "predecessor_name", "since")


def regions(engine: Engine, *, lang: str = "ru") -> pd.DataFrame:
    """The first-level regions (the nation ``KZ`` left out) with their validity and predecessors:
    one row per region and predecessor (a region carved out of another on ``since`` names it as
    ``predecessor``; a region without one has one row with ``predecessor`` None), by code.
    Columns: :data:`REGION_COLUMNS` (``centre``: the administrative centre's name)."""
    before = Region.__table__.alias("before")
    statement = (
        select(Region.code, localized(Region.name, lang), Region.level, Region.valid_from, Region.valid_to,
               localized(Region.centre, lang), Region.area_km2, before.c.code, localized(before.c.name, lang),
               RegionPredecessor.since)
        .outerjoin(RegionPredecessor, RegionPredecessor.region_id == Region.id)
        .outerjoin(before, before.c.id == RegionPredecessor.predecessor_id)
        .where(Region.level != "country")
        .order_by(Region.code, before.c.code)
    )
    return _frame(engine, statement, REGION_COLUMNS)


def population(engine: Engine, year: int | None = None, *, region: str | None = None) -> pd.DataFrame:
    """Resident population on 1 January (``KZ``: the nation), for one year or every year, for one
    region or all. Columns: region, year, population (people), synthetic."""
    statement = (select(Region.code, RegionPopulation.year, RegionPopulation.population, RegionPopulation.synthetic)
                 .join(Region, Region.id == RegionPopulation.region_id)
                 .order_by(Region.code, RegionPopulation.year))
    if year is not None:
        statement = statement.where(RegionPopulation.year == int(year))
    if region is not None:
        statement = statement.where(Region.code == normalise_code(region))
    return _frame(engine, statement, ("region", "year", "population", "synthetic"))


# --- regional comparison: indicators that have regional values, and those values ---------------------

INDICATOR_OPTION_QUERY_COLUMNS = ("code", "name", "unit", "direction", "frequency", "aggregation", "decimals",
                                  "headline", "source", "agency_name")


def indicator_options(engine: Engine, *, lang: str = "ru") -> pd.DataFrame:
    """Regional indicators that have values for at least one region: headline goals of the portfolios
    first (the newest portfolio's, in the plan's order), then the others by name.
    Columns: :data:`INDICATOR_OPTION_QUERY_COLUMNS` (``headline``: a headline goal of a portfolio)."""
    headline_goals = (
        select(Goal.indicator_id,
               func.row_number().over(order_by=(Node.end_date.desc(), Node.code, Goal.id)).label("position"))
        .join(Node, Node.id == Goal.node_id)
        .where(Node.level == "portfolio", Goal.headline.is_(True))
        .subquery()
    )
    first = (select(headline_goals.c.indicator_id, func.min(headline_goals.c.position).label("position"))
             .group_by(headline_goals.c.indicator_id).subquery())
    nation = select(Region.id).where(Region.code == NATION).scalar_subquery()
    has_regional_values = (select(ObservationCurrent.indicator_id)
                           .where(ObservationCurrent.indicator_id == Indicator.id,
                                  ObservationCurrent.region_id != nation).exists())
    name = localized(Indicator.name, lang)
    statement = (
        select(Indicator.code, name, Indicator.unit, Indicator.direction, Indicator.frequency, Indicator.aggregation,
               Indicator.decimals, first.c.position.is_not(None), Indicator.source, localized(Agency.name, lang))
        .outerjoin(first, first.c.indicator_id == Indicator.id)
        .outerjoin(Agency, Agency.id == Indicator.agency_id)
        .where(Indicator.regional.is_(True), has_regional_values)
        .order_by(first.c.position.is_(None), first.c.position, name, Indicator.code)
    )
    frame = _frame(engine, statement, INDICATOR_OPTION_QUERY_COLUMNS)
    return frame.astype({"headline": bool, "decimals": int})


def regional_values(engine: Engine, viewer: Viewer, indicator_codes: Iterable[str] | str, *, year: int | None = None,
                    period_starts: Iterable[dt.date] | None = None, as_of: dt.datetime | None = None) -> pd.DataFrame:
    """Values of indicators for every region and the nation (``KZ``) — comparison data every role sees
    (the ``public`` role: published values only) — in the periods starting in ``year`` and/or on one of
    ``period_starts``, as known at ``as_of`` (default: the current version). Oldest period first.
    Columns: :data:`SERIES_COLUMNS` (``period_start`` as datetime64)."""
    codes = [normalise_code(indicator_codes)] if isinstance(indicator_codes, str) else \
        [normalise_code(c) for c in indicator_codes]
    starts = None if period_starts is None else sorted({pd.Timestamp(s).date() for s in period_starts})
    published_only = _published_only(viewer)

    def periods(column) -> list[ColumnElement]:
        conditions = []
        if year is not None:
            conditions.append(column.between(dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)))
        if starts is not None:
            conditions.append(column.in_(starts))
        return conditions

    if as_of is None:
        value = ObservationCurrent.published_value if published_only else ObservationCurrent.value
        version = ObservationCurrent.published_version if published_only else ObservationCurrent.version
        state = literal("published") if published_only else ObservationCurrent.state
        statement = (
            select(Indicator.code, Region.code, ObservationCurrent.period, ObservationCurrent.period_start, value,
                   state, version)
            .join(Indicator, Indicator.id == ObservationCurrent.indicator_id)
            .join(Region, Region.id == ObservationCurrent.region_id)
            .where(Indicator.code.in_(codes), value.is_not(None), *periods(ObservationCurrent.period_start))
            .order_by(Indicator.code, ObservationCurrent.period_start, Region.code)
        )
    else:
        conditions = [Observation.known_at <= as_of, *periods(Observation.period_start),
                      Observation.indicator_id.in_(select(Indicator.id).where(Indicator.code.in_(codes)))]
        if published_only:
            conditions.append(Observation.state == "published")
        ranked = select(
            Observation.indicator_id, Observation.region_id, Observation.period, Observation.period_start,
            Observation.value, Observation.state, Observation.version,
            func.row_number().over(partition_by=(Observation.indicator_id, Observation.region_id,
                                                 Observation.period_start),
                                   order_by=Observation.version.desc()).label("rank"),
        ).where(and_(*conditions)).subquery()
        statement = (
            select(Indicator.code, Region.code, ranked.c.period, ranked.c.period_start, ranked.c.value,
                   ranked.c.state, ranked.c.version)
            .join(Indicator, Indicator.id == ranked.c.indicator_id)
            .join(Region, Region.id == ranked.c.region_id)
            .where(ranked.c.rank == 1).order_by(Indicator.code, ranked.c.period_start, Region.code)
        )
    frame = _frame(engine, statement, SERIES_COLUMNS)
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    return frame


def regional_years(engine: Engine, viewer: Viewer, indicator_code: str, *,
                   as_of: dt.datetime | None = None) -> list[int]:
    """Years in which ``indicator_code`` has a value for at least one region (the nation aside), as
    known at ``as_of`` (``public``: published values), newest first."""
    code = normalise_code(indicator_code)
    nation = select(Region.id).where(Region.code == NATION).scalar_subquery()
    indicator_id = select(Indicator.id).where(Indicator.code == code).scalar_subquery()
    if as_of is None:
        value = ObservationCurrent.published_value if _published_only(viewer) else ObservationCurrent.value
        year = extract("year", ObservationCurrent.period_start)
        statement = (select(year).distinct()
                     .where(ObservationCurrent.indicator_id == indicator_id, ObservationCurrent.region_id != nation,
                            value.is_not(None)))
    else:
        year = extract("year", Observation.period_start)
        statement = (select(year).distinct()
                     .where(Observation.indicator_id == indicator_id, Observation.region_id != nation,
                            Observation.known_at <= as_of))
        if _published_only(viewer):
            statement = statement.where(Observation.state == "published")
    with engine.connect() as conn:
        return sorted({int(y) for y in conn.execute(statement).scalars()}, reverse=True)


def region_programs(engine: Engine, viewer: Viewer, region: str, *, lang: str = "ru") -> pd.DataFrame:
    """Programs that belong to ``region`` (its territorial program), by code; the plan is visible to
    every viewer. Columns: :data:`NODE_COLUMNS`."""
    statement = (_node_select(lang)
                 .where(Node.level == "program", Region.code == normalise_code(region))
                 .order_by(Node.code))
    return _frame(engine, statement, NODE_COLUMNS)


# --- projects: the region's projects, milestones, budget lines, linked instructions ------------------

PROJECT_COLUMNS = (*NODE_COLUMNS, "parent_name")


@operational
def projects_in_region(engine: Engine, viewer: Viewer, region: str | None = None, *,
                       lang: str = "ru") -> pd.DataFrame:
    """Projects of ``region`` (every project in the viewer's scope when None), by code, with their
    program's name. Columns: :data:`PROJECT_COLUMNS` (``parent`` is the program)."""
    parent = Node.__table__.alias("program")
    statement = (_node_select(lang).add_columns(localized(parent.c.name, lang))
                 .outerjoin(parent, parent.c.id == Node.parent_id)
                 .where(Node.level == "project", _in_scope(Node.region_id, viewer))
                 .order_by(Node.code))
    if region is not None:
        statement = statement.where(Region.code == normalise_code(region))
    return _frame(engine, statement, PROJECT_COLUMNS)


def _project_filter(project_code: str | None, region: str | None) -> list[ColumnElement]:
    conditions = [Node.level == "project"]
    if project_code is not None:
        conditions.append(Node.code == normalise_code(project_code))
    if region is not None:
        conditions.append(Region.code == normalise_code(region))
    return conditions


MILESTONE_QUERY_COLUMNS = ("project", "region", "seq", "name", "weight", "planned_date", "actual_date")


@operational
def milestones(engine: Engine, viewer: Viewer, project_code: str | None = None, *, region: str | None = None,
               today: dt.date | None = None, lang: str = "ru") -> pd.DataFrame:
    """Milestones of one project (or of every project of ``region``, or of every project in scope),
    by project and sequence. ``actual_date`` as known on ``today``: a milestone done later is not done
    yet (None). Columns: :data:`MILESTONE_QUERY_COLUMNS` (``region``: the project's)."""
    today = today or dt.date.today()
    actual = case((Milestone.actual_date <= today, Milestone.actual_date), else_=None)
    statement = (
        select(Node.code, Region.code, Milestone.seq, localized(Milestone.name, lang), Milestone.weight,
               Milestone.planned_date, actual)
        .join(Node, Node.id == Milestone.node_id)
        .join(Region, Region.id == Node.region_id)
        .where(_in_scope(Node.region_id, viewer), *_project_filter(project_code, region))
        .order_by(Node.code, Milestone.seq)
    )
    return _frame(engine, statement, MILESTONE_QUERY_COLUMNS)


BUDGET_LINE_COLUMNS = ("project", "region", "period_start", "planned_kzt", "allocated_kzt", "spent_kzt")


@operational
def budget_lines(engine: Engine, viewer: Viewer, project_code: str | None = None, *, region: str | None = None,
                 today: dt.date | None = None) -> pd.DataFrame:
    """Monthly budget lines (tenge) of one project (or of every project of ``region``, or in scope), by
    project and month. Months starting after ``today`` keep their plan; their allocation and spending
    were not known yet (None). Columns: :data:`BUDGET_LINE_COLUMNS`."""
    today = today or dt.date.today()
    known = BudgetLine.period_start <= today
    statement = (
        select(Node.code, Region.code, BudgetLine.period_start, BudgetLine.planned_kzt,
               case((known, BudgetLine.allocated_kzt), else_=None), case((known, BudgetLine.spent_kzt), else_=None))
        .join(Node, Node.id == BudgetLine.node_id)
        .join(Region, Region.id == Node.region_id)
        .where(_in_scope(Node.region_id, viewer), *_project_filter(project_code, region))
        .order_by(Node.code, BudgetLine.period_start)
    )
    return _frame(engine, statement, BUDGET_LINE_COLUMNS)


@operational
def node_instructions(engine: Engine, viewer: Viewer, node_code: str | None = None, *, region: str | None = None,
                      today: dt.date | None = None, lang: str = "ru", limit: int = 500) -> pd.DataFrame:
    """Instructions issued by ``today`` and linked to ``node_code`` (every instruction of ``region``, or
    in scope, when None), newest first; none for roles that do not see instructions. ``done_date`` as
    known on ``today`` (done later: None). Columns: :data:`INSTRUCTION_COLUMNS`."""
    if not viewer.sees_instructions:
        return pd.DataFrame(columns=list(INSTRUCTION_COLUMNS))
    today = today or dt.date.today()
    done_by_today = case((Instruction.done_date <= today, Instruction.done_date), else_=None)
    statement, node_table = _instruction_select(lang, done_by_today, viewer)
    statement = (
        statement
        .where(Instruction.issued_date <= today)
        .order_by(Instruction.issued_date.desc(), Instruction.code.desc())
        .limit(limit)
    )
    if node_code is not None:
        statement = statement.where(node_table.c.code == normalise_code(node_code))
    if region is not None:
        statement = statement.where(Region.code == normalise_code(region))
    return _frame(engine, statement, INSTRUCTION_COLUMNS)


# --- citizen demand, aggregated in SQL ----------------------------------------------------------------

DEMAND_COUNT_COLUMNS = ("region", "topic", "topic_name", "requests", "due", "on_time")


def _requests_window(region: str | None, since: dt.date | None, until: dt.date | None) -> list[ColumnElement]:
    conditions = []
    if region is not None:
        conditions.append(Region.code == normalise_code(region))
    if since is not None:
        conditions.append(CitizenRequest.received_date >= since)
    if until is not None:
        conditions.append(CitizenRequest.received_date <= until)
    return conditions


@operational
def citizen_demand_counts(engine: Engine, viewer: Viewer, region: str | None = None, since: dt.date | None = None,
                          until: dt.date | None = None, *, today: dt.date | None = None,
                          lang: str = "ru") -> pd.DataFrame:
    """Citizen requests received in [since, until] (both inclusive, open when None) per region and
    topic, counted in SQL: ``requests``; ``due``: those whose due date is before ``today`` (they can be
    judged); ``on_time``: of those, resolved by the due date (the rule of
    ``kpi.citizen_demand.resolved_on_time``). Columns: :data:`DEMAND_COUNT_COLUMNS`."""
    if not viewer.sees_requests:
        return pd.DataFrame(columns=list(DEMAND_COUNT_COLUMNS))
    today = today or dt.date.today()
    judged = CitizenRequest.due_date < today
    on_time = and_(judged, CitizenRequest.resolved_date.is_not(None),
                   CitizenRequest.resolved_date <= CitizenRequest.due_date)
    statement = (
        select(Region.code, RequestTopic.code, localized(RequestTopic.name, lang), func.count(),
               func.sum(case((judged, 1), else_=0)), func.sum(case((on_time, 1), else_=0)))
        .join(Region, Region.id == CitizenRequest.region_id)
        .join(RequestTopic, RequestTopic.id == CitizenRequest.topic_id)
        .where(_in_scope(CitizenRequest.region_id, viewer), *_requests_window(region, since, until))
        .group_by(Region.code, RequestTopic.id, RequestTopic.code)  # the name depends on the topic's key
        .order_by(Region.code, RequestTopic.code)
    )
    frame = _frame(engine, statement, DEMAND_COUNT_COLUMNS)
    return frame.astype({"requests": int, "due": int, "on_time": int})


@operational
def citizen_requests_monthly(engine: Engine, viewer: Viewer, region: str | None = None,
                             since: dt.date | None = None, until: dt.date | None = None) -> pd.DataFrame:
    """Citizen requests received in [since, until] per region and calendar month (GROUP BY in SQL),
    oldest first; months without requests have no row. Columns: region, month (datetime64, the first
    day), requests."""
    if not viewer.sees_requests:
        return pd.DataFrame({"region": pd.Series(dtype=object), "month": pd.Series(dtype="datetime64[ns]"),
                             "requests": pd.Series(dtype=int)})
    year = extract("year", CitizenRequest.received_date)
    month = extract("month", CitizenRequest.received_date)
    statement = (
        select(Region.code, year, month, func.count())
        .join(Region, Region.id == CitizenRequest.region_id)
        .where(_in_scope(CitizenRequest.region_id, viewer), *_requests_window(region, since, until))
        .group_by(Region.code, year, month)
        .order_by(Region.code, year, month)
    )
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    return pd.DataFrame({
        "region": pd.Series([row[0] for row in rows], dtype=object),
        "month": pd.to_datetime([dt.date(int(row[1]), int(row[2]), 1) for row in rows]),
        "requests": pd.Series([int(row[3]) for row in rows], dtype=int),
    })


# --- the data API: indicator metadata and the time of the last change ---------------------------------

INDICATOR_COLUMNS = ("code", "name", "unit", "direction", "frequency", "regional", "aggregation", "decimals",
                     "valid_min", "valid_max", "agency", "agency_name", "synthetic", "source")


def indicators(engine: Engine, codes: Iterable[str] | None = None, *, lang: str = "ru") -> pd.DataFrame:
    """Indicator metadata (plan data every role sees), by code; all indicators or those of ``codes``.
    Columns: :data:`INDICATOR_COLUMNS`."""
    statement = (
        select(Indicator.code, localized(Indicator.name, lang), Indicator.unit, Indicator.direction,
               Indicator.frequency, Indicator.regional, Indicator.aggregation, Indicator.decimals,
               Indicator.valid_min, Indicator.valid_max, Agency.code, localized(Agency.name, lang),
               Indicator.synthetic, Indicator.source)
        .outerjoin(Agency, Agency.id == Indicator.agency_id)
        .order_by(Indicator.code)
    )
    if codes is not None:
        statement = statement.where(Indicator.code.in_([normalise_code(c) for c in codes]))
    return _frame(engine, statement, INDICATOR_COLUMNS)


def last_change(engine: Engine) -> str | None:
    """The time (ISO 8601 text) of the newest ledger entry: when the data last changed (None if never)."""
    statement = select(LedgerEntry.time).order_by(LedgerEntry.seq.desc()).limit(1)
    with engine.connect() as conn:
        return conn.execute(statement).scalar_one_or_none()


# --- the data catalogue (/data): every indicator with its latest period, its accountable official -----

CATALOGUE_COLUMNS = ("code", "name", "unit", "frequency", "regional", "decimals", "grace_days",
                     "publication_lag_days", "agency", "agency_name", "source", "synthetic", "last_period",
                     "last_period_start", "last_known_at")


def _latest_periods(viewer: Viewer, as_of: dt.datetime | None):
    """Subquery (indicator_id, last_period, last_period_start, last_known_at): per indicator, the newest
    period with a value in any region and when its newest value there became known (GROUP BY in SQL).
    The ``public`` role counts published values only; with ``as_of``, values known by then."""
    published_only = _published_only(viewer)
    if as_of is None:
        current = ObservationCurrent
        value = current.published_value if published_only else current.value
        latest = (select(current.indicator_id, func.max(current.period_start).label("start"))
                  .where(value.is_not(None)).group_by(current.indicator_id).subquery("latest"))
        at_latest = [current.indicator_id == latest.c.indicator_id, current.period_start == latest.c.start,
                     value.is_not(None)]
        if not published_only:
            return (select(current.indicator_id, func.max(current.period).label("last_period"),
                           latest.c.start.label("last_period_start"), func.max(current.known_at).label("last_known_at"))
                    .join(latest, and_(*at_latest)).group_by(current.indicator_id, latest.c.start).subquery("last"))
        # the published version's own known_at lives in the observations, not in the summary
        published = (select(current.indicator_id, func.max(current.period).label("last_period"),
                            latest.c.start.label("last_period_start"),
                            func.max(Observation.known_at).label("last_known_at"))
                     .join(latest, and_(*at_latest))
                     .join(Observation, and_(Observation.indicator_id == current.indicator_id,
                                             Observation.region_id == current.region_id,
                                             Observation.period_start == current.period_start,
                                             Observation.version == current.published_version))
                     .group_by(current.indicator_id, latest.c.start))
        return published.subquery("last")
    known = [Observation.known_at <= as_of] + ([Observation.state == "published"] if published_only else [])
    latest = (select(Observation.indicator_id, func.max(Observation.period_start).label("start"))
              .where(*known).group_by(Observation.indicator_id).subquery("latest"))
    return (select(Observation.indicator_id, func.max(Observation.period).label("last_period"),
                   latest.c.start.label("last_period_start"), func.max(Observation.known_at).label("last_known_at"))
            .join(latest, and_(Observation.indicator_id == latest.c.indicator_id,
                               Observation.period_start == latest.c.start))
            .where(*known).group_by(Observation.indicator_id, latest.c.start).subquery("last"))


def indicator_catalogue(engine: Engine, viewer: Viewer, *, lang: str = "ru",
                        as_of: dt.datetime | None = None) -> pd.DataFrame:
    """Every indicator (plan data every role sees), one row each, by code, with its owner agency and the
    newest period that has a value in any region (``last_period`` label, ``last_period_start``) and
    when that period's newest value became known (``last_known_at``); None for an indicator without
    values. The ``public`` role (and the kiosk) count published values only; with ``as_of``, the values
    known at that instant. Columns: :data:`CATALOGUE_COLUMNS`."""
    last = _latest_periods(viewer, as_of)
    statement = (
        select(Indicator.code, localized(Indicator.name, lang), Indicator.unit, Indicator.frequency,
               Indicator.regional, Indicator.decimals, Indicator.grace_days, Indicator.publication_lag_days,
               Agency.code, localized(Agency.name, lang), Indicator.source, Indicator.synthetic,
               last.c.last_period, last.c.last_period_start, last.c.last_known_at)
        .outerjoin(Agency, Agency.id == Indicator.agency_id)
        .outerjoin(last, last.c.indicator_id == Indicator.id)
        .order_by(Indicator.code)
    )
    return _frame(engine, statement, CATALOGUE_COLUMNS)


INDICATOR_OWNER_COLUMNS = ("indicator", "node", "node_level", "official", "name", "post", "region", "nodes")

#: Which goal of an indicator names its accountable official: the top-most level first.
LEVEL_ORDER = {"portfolio": 0, "program": 1, "project": 2}


def indicator_owners(engine: Engine, viewer: Viewer, *, on: dt.date | None = None,
                     lang: str = "ru") -> pd.DataFrame:
    """The accountable official of every indicator that is a goal of some node, on ``on`` (default: today).

    One indicator may be a goal of several nodes; its official is the one accountable for its top-most
    goal: a portfolio before a program before a project, a national node before a regional one, then by
    node code; for that node, the responsibility for the goal itself before the one for the whole node,
    then the latest to start. Projects outside a region-scoped viewer's region are not considered.
    ``nodes``: how many nodes (visible to the viewer) have the indicator as a goal. Indicators without
    a current responsibility have no row. Columns: :data:`INDICATOR_OWNER_COLUMNS` (``region``: the
    official's region), by indicator code."""
    on = on or dt.date.today()
    node_region = Region.__table__.alias("node_region")
    official_region = Region.__table__.alias("official_region")
    level = case(LEVEL_ORDER, value=Node.level, else_=len(LEVEL_ORDER))
    national = case((node_region.c.code == NATION, 0), else_=1)
    for_goal = case((Responsibility.goal_id.is_(None), 1), else_=0)
    ranked = (
        select(Indicator.code.label("indicator"), Node.code.label("node"), Node.level.label("node_level"),
               Official.code.label("official"), localized(Official.name, lang).label("name"),
               localized(Official.post, lang).label("post"), official_region.c.code.label("region"),
               func.row_number().over(partition_by=Goal.indicator_id,
                                      order_by=(level, national, Node.code, for_goal,
                                                Responsibility.valid_from.desc(), Official.code)).label("rank"))
        .select_from(Goal)
        .join(Indicator, Indicator.id == Goal.indicator_id)
        .join(Node, Node.id == Goal.node_id)
        .join(node_region, node_region.c.id == Node.region_id)
        .join(Responsibility, and_(Responsibility.node_id == Goal.node_id,
                                   or_(Responsibility.goal_id == Goal.id, Responsibility.goal_id.is_(None))))
        .join(Official, Official.id == Responsibility.official_id)
        .join(official_region, official_region.c.id == Official.region_id)
        .where(Responsibility.valid_from <= on,
               or_(Responsibility.valid_to.is_(None), Responsibility.valid_to >= on),
               _node_visible(viewer))
        .subquery("ranked")
    )
    nodes = (select(Goal.indicator_id, func.count(func.distinct(Goal.node_id)).label("nodes"))
             .join(Node, Node.id == Goal.node_id).where(_node_visible(viewer))
             .group_by(Goal.indicator_id).subquery("goal_nodes"))
    statement = (
        select(ranked.c.indicator, ranked.c.node, ranked.c.node_level, ranked.c.official, ranked.c.name,
               ranked.c.post, ranked.c.region, nodes.c.nodes)
        .join(Indicator, Indicator.code == ranked.c.indicator)
        .join(nodes, nodes.c.indicator_id == Indicator.id)
        .where(ranked.c.rank == 1)
        .order_by(ranked.c.indicator)
    )
    frame = _frame(engine, statement, INDICATOR_OWNER_COLUMNS)
    return frame.astype({"nodes": int})


# --- the load history (/data): batches of loaded files, for roles that upload --------------------------

LOAD_HISTORY_COLUMNS = ("code", "region", "loaded_at", "actor", "file_name", "file_sha256", "templates",
                        "rows_read", "loaded", "unchanged", "corrected", "quarantined", "report", "synthetic",
                        "source", "stored")


def _batch_visible(viewer: Viewer, include_synthetic: bool, as_of: dt.datetime | None) -> list[ColumnElement]:
    """SQL conditions of the batches the viewer sees (the caller checks ``viewer.sees_uploads``).

    A region-scoped viewer sees a batch only when it wrote values of the viewer's region and of no other
    region (another region's file names and counts stay hidden; batches that wrote no value are national)."""
    conditions: list[ColumnElement] = []
    if not include_synthetic:
        conditions.append(LoadBatch.synthetic.is_(False))
    if as_of is not None:
        conditions.append(LoadBatch.loaded_at <= as_of)
    if viewer.region is not None:
        mine = select(Region.id).where(Region.code == normalise_code(viewer.region)).scalar_subquery()
        written = select(Observation.id).where(Observation.batch_id == LoadBatch.id)
        conditions += [written.where(Observation.region_id == mine).exists(),
                       ~written.where(Observation.region_id != mine).exists()]
    return conditions


def _batch_region(viewer: Viewer) -> ColumnElement:
    """The region a batch's values belong to: the one region all its values are of, else ``KZ``
    (values of several regions, national values, or none)."""
    if viewer.region is not None:
        return literal(normalise_code(viewer.region))
    def extreme(aggregate) -> ColumnElement:  # noqa: ANN001 - func.min / func.max
        return (select(aggregate(Region.code)).join(Observation, Observation.region_id == Region.id)
                .where(Observation.batch_id == LoadBatch.id).scalar_subquery())

    lowest, highest = extreme(func.min), extreme(func.max)
    return case((lowest == highest, lowest), else_=literal(NATION))


def _batch_select(viewer: Viewer, conditions: list[ColumnElement]):
    return (
        select(LoadBatch.code, _batch_region(viewer), LoadBatch.loaded_at, LoadBatch.actor, LoadBatch.file_name,
               LoadBatch.file_sha256, LoadBatch.templates, LoadBatch.rows_read, LoadBatch.loaded,
               LoadBatch.unchanged, LoadBatch.corrected, LoadBatch.quarantined, LoadBatch.report,
               LoadBatch.synthetic, LoadBatch.source, StoredFile.sha256.is_not(None))
        .outerjoin(StoredFile, StoredFile.sha256 == LoadBatch.file_sha256)
        .where(*conditions)
        .order_by(LoadBatch.loaded_at.desc(), LoadBatch.id.desc())
    )


def _no_batches() -> pd.DataFrame:
    return pd.DataFrame(columns=list(LOAD_HISTORY_COLUMNS))


@operational
def load_history(engine: Engine, viewer: Viewer, *, limit: int = 50, offset: int = 0,
                 include_synthetic: bool = False, as_of: dt.datetime | None = None) -> pd.DataFrame:
    """Load batches, newest first, one page (``limit``/``offset`` in SQL), for roles that upload (none
    for ``kiosk`` and ``public``); the demo generator's synthetic batches only with
    ``include_synthetic``; with ``as_of``, the batches loaded by then. A region-scoped viewer sees the
    batches whose values are all of its region. ``stored``: the file's bytes are kept.
    Columns: :data:`LOAD_HISTORY_COLUMNS` (``report``: the kept problems as codes and params)."""
    if not viewer.sees_uploads:
        return _no_batches()
    statement = (_batch_select(viewer, _batch_visible(viewer, include_synthetic, as_of))
                 .limit(max(0, int(limit))).offset(max(0, int(offset))))
    frame = _frame(engine, statement, LOAD_HISTORY_COLUMNS)
    return frame.astype({"stored": bool, "synthetic": bool})


def load_history_total(engine: Engine, viewer: Viewer, *, include_synthetic: bool = False,
                       as_of: dt.datetime | None = None) -> int:
    """How many batches :func:`load_history` pages through (COUNT in SQL); 0 for roles that do not upload."""
    if not viewer.sees_uploads:
        return 0
    statement = select(func.count()).select_from(LoadBatch).where(*_batch_visible(viewer, include_synthetic, as_of))
    with engine.connect() as conn:
        return int(conn.execute(statement).scalar_one())


def load_batch(engine: Engine, viewer: Viewer, *, code: str | None = None,
               sha256: str | None = None) -> dict | None:
    """The batch called ``code``, or the newest batch of the file with this SHA-256, as the viewer may
    see it (synthetic batches included), with :data:`LOAD_HISTORY_COLUMNS`; None when there is none or
    the viewer may not see it."""
    if not viewer.sees_uploads or (code is None) == (sha256 is None):
        return None
    condition = (LoadBatch.code == str(code).strip() if code is not None
                 else LoadBatch.file_sha256 == str(sha256).strip().lower())
    statement = _batch_select(viewer, [*_batch_visible(viewer, True, None), condition]).limit(1)
    frame = _frame(engine, statement, LOAD_HISTORY_COLUMNS)
    return None if frame.empty else {**frame.iloc[0].to_dict(), "stored": bool(frame.iloc[0]["stored"])}
