"""The targets template: a node's goal (an indicator) and its target for a year, nationally or for one
region, with the goal's baseline, weight and headline flag (docs/import.md, "targets").

The goal (node, indicator) is created when it is missing. Targets keep their history: a new or
changed target adds a row (``recorded_at`` = the load's time, ``recorded_by`` = the actor) recorded in
the ledger as ``target.set`` with the value it replaces; the current target of (goal, region, year) is
the latest recorded one. A row is *loaded* when its target is new, *unchanged* when the target and
the goal columns it gives equal the store, *corrected* otherwise. Goal columns left empty keep the
goal's value; rows of one goal in a file must agree on the goal columns they give
(``goal_conflict``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from data_sources.loaders.cells import blank, parse_period, text
from data_sources.loaders.observations import PERIOD_FORMATS
from data_sources.loaders.reference_rows import code_ids, sheet_memory
from data_sources.loaders.template import Column, Counts, Reference, Row, Template, WriteContext, same_value
from data_sources.periods import period_label, period_start
from data_sources.store import Goal, Indicator, Node, Region, Target

FIRST_YEAR, LAST_YEAR = 1990, 2100
#: The goal's columns (an empty cell keeps the stored value).
GOAL_COLUMNS = ("baseline_value", "baseline_period", "weight", "headline")

COLUMNS = (
    Column("node", "код программы/проекта", "бағдарлама/жоба коды", required=True,
           help="code of the portfolio, program or project"),
    Column("indicator", "показатель", "көрсеткіш", required=True, help="indicator code"),
    Column("region", "регион", "өңір", help="region code or name in kk/ru/en; empty = national (KZ)"),
    Column("year", "год", "жыл", required=True, help="the target's year"),
    Column("target", "целевое значение", "нысаналы мән", required=True, help="the target, in the indicator's unit"),
    Column("baseline_value", "базовое значение", "базалық мән", help="the goal's baseline value; empty = unchanged"),
    Column("baseline_period", "базовый период", "базалық кезең",
           help=f"the period of the baseline ({PERIOD_FORMATS}); empty = unchanged"),
    Column("weight", "вес", "салмағы", help="the goal's weight in its node's roll-up (>= 0); empty = unchanged (new: 1)"),
    Column("headline", "ключевой", "негізгі", help="yes for a headline goal (a KPI card); empty = unchanged (new: no)"),
)

ROW_CODES = ("node_unknown", "indicator_unknown", "value_out_of_range", "period_invalid", "goal_conflict")


def _in_range(row: Row, column: str, value: float | None, meta: Any) -> float | None:
    if value is None or meta is None:
        return value
    low, high = meta.valid_min, meta.valid_max
    if (low is not None and value < low) or (high is not None and value > high):
        row.problem(column, "value_out_of_range", value=text(row.raw(column)),
                    min="–" if low is None else f"{low:g}", max="–" if high is None else f"{high:g}")
        return None
    return value


def _baseline_period(row: Row, meta: Any) -> str | None:
    cell = row.raw("baseline_period")
    if blank(cell):
        return None
    try:
        parsed = parse_period(cell)
    except ValueError:
        row.problem("baseline_period", "period_invalid", value=text(cell), formats=PERIOD_FORMATS)
        return None
    if isinstance(parsed, dt.date):
        return period_label(parsed, meta.frequency) if meta is not None else None
    return parsed


def _goal_fields(row: Row, reference: Reference, node: str, indicator: str, fields: dict[str, Any]) -> None:
    """Remember the goal columns this row gives; ``goal_conflict`` when an earlier row gave others."""
    seen = sheet_memory(reference, "goals").setdefault((node, indicator), {})
    for column, value in fields.items():
        if column in seen and not same_value(seen[column][0], value):
            row.problem(column, "goal_conflict", rows=seen[column][1])
            return
    for column, value in fields.items():
        seen.setdefault(column, (value, row.line))


def parse(row: Row, reference: Reference) -> dict[str, Any] | None:
    """One row -> ``{node, indicator, region, year, target, goal}`` (``goal``: the goal columns given)."""
    node = row.code("node", required=True)
    row.known("node", reference.nodes, node, "node_unknown")
    indicator = row.code("indicator", required=True)
    row.known("indicator", reference.indicators, indicator, "indicator_unknown")
    meta = reference.indicators.get(indicator) if indicator else None
    region = row.region("region", reference)
    year = row.integer("year", required=True)
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        row.problem("year", "number_invalid", value=row.text("year"))
    target = _in_range(row, "target", row.number("target", required=True), meta)
    candidates = {
        "baseline_value": _in_range(row, "baseline_value", row.number("baseline_value"), meta),
        "baseline_period": _baseline_period(row, meta),
        "weight": row.number("weight", minimum=0),
        "headline": row.boolean("headline", default=False) if row.present("headline") else None,
    }
    goal = {column: value for column, value in candidates.items() if value is not None}
    if row.problems:
        return None
    _goal_fields(row, reference, node, indicator, goal)
    if row.problems:
        return None
    return {"node": node, "indicator": indicator, "region": region, "year": year, "target": target, "goal": goal}


def _goal_values(fields: dict[str, Any]) -> dict[str, Any]:
    """Goal columns as stored (``baseline_start`` follows ``baseline_period``)."""
    values = dict(fields)
    if "baseline_period" in values:
        values["baseline_start"] = period_start(values["baseline_period"])
    return values


def _write_goals(ctx: WriteContext, records: list[dict[str, Any]], nodes: dict[str, int],
                 indicators: dict[str, int]) -> tuple[dict[tuple[str, str], int], set[int]]:
    """Create missing goals and update changed goal columns. Returns (node, indicator) -> goal id and the
    positions of the records whose goal columns changed a stored goal."""
    table = Goal.__table__
    wanted = {(r["node"], r["indicator"]) for r in records}
    node_ids = sorted({nodes[n] for n, _ in wanted})
    stored = {}
    for start in range(0, len(node_ids), 500):
        for found in ctx.conn.execute(select(table).where(table.c.node_id.in_(node_ids[start:start + 500]))):
            stored[(found.node_id, found.indicator_id)] = found._mapping
    fields: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        fields.setdefault((record["node"], record["indicator"]), {}).update(record["goal"])
    changing: set[int] = set()
    for position, record in enumerate(records):
        before = stored.get((nodes[record["node"]], indicators[record["indicator"]]))
        if before is not None and any(not same_value(before[k], v) for k, v in _goal_values(record["goal"]).items()):
            changing.add(position)
    for key in sorted(wanted):
        values = _goal_values(fields[key])
        ids = (nodes[key[0]], indicators[key[1]])
        before = stored.get(ids)
        if before is None:
            ctx.conn.execute(table.insert().values(node_id=ids[0], indicator_id=ids[1], **{
                "weight": 1.0, "headline": False, **values}))
            continue
        changed = {k: v for k, v in values.items() if not same_value(before[k], v)}
        if changed:
            ctx.conn.execute(table.update().where(table.c.id == before["id"]).values(**changed))
    goal_ids = {(n, i): gid for n, i, gid in ctx.conn.execute(
        select(Node.code, Indicator.code, table.c.id).join(Node, Node.id == table.c.node_id)
        .join(Indicator, Indicator.id == table.c.indicator_id).where(table.c.node_id.in_(node_ids)))}
    return goal_ids, changing


def _current_targets(ctx: WriteContext, goal_ids: list[int]) -> dict[tuple[int, int, int], float]:
    """(goal id, region id, year) -> the current target: the latest recorded (then the latest written)."""
    current: dict[tuple[int, int, int], float] = {}
    table = Target.__table__
    for start in range(0, len(goal_ids), 500):
        for found in ctx.conn.execute(
                select(table.c.goal_id, table.c.region_id, table.c.year, table.c.value)
                .where(table.c.goal_id.in_(goal_ids[start:start + 500]))
                .order_by(table.c.recorded_at, table.c.id)):
            current[(found.goal_id, found.region_id, found.year)] = found.value
    return current


def write(ctx: WriteContext, records: list[dict[str, Any]]) -> Counts:
    nodes = code_ids(ctx.conn, Node, {r["node"] for r in records})
    indicators = code_ids(ctx.conn, Indicator, {r["indicator"] for r in records})
    regions = code_ids(ctx.conn, Region)
    goal_ids, changing = _write_goals(ctx, records, nodes, indicators)
    current = _current_targets(ctx, sorted(set(goal_ids.values())))
    inserts = []
    loaded = unchanged = corrected = 0
    for position, record in enumerate(records):
        goal = goal_ids[(record["node"], record["indicator"])]
        key = (goal, regions[record["region"]], record["year"])
        previous = current.get(key)
        if previous is not None and same_value(previous, record["target"]):
            if position in changing:
                corrected += 1
            else:
                unchanged += 1
            continue
        entry = ctx.ledger.append("target.set", {
            "node": record["node"], "indicator": record["indicator"], "region": record["region"],
            "year": record["year"], "value": record["target"], "previous": previous}, actor=ctx.actor)
        inserts.append({"goal_id": key[0], "region_id": key[1], "year": key[2], "value": record["target"],
                        "recorded_at": ctx.now, "recorded_by": ctx.actor, "source": ctx.source,
                        "ledger_seq": entry.seq})
        current[key] = record["target"]
        if previous is None:
            loaded += 1
        else:
            corrected += 1
    if inserts:
        ctx.conn.execute(Target.__table__.insert(), inserts)
    ctx.progress(len(records))
    return Counts(loaded=loaded, unchanged=unchanged, corrected=corrected)


TEMPLATE = Template(
    name="targets",
    title="Goals and their targets",
    columns=COLUMNS,
    key=("node", "indicator", "region", "year"),
    parse=parse,
    write=write,
    row_codes=ROW_CODES,
    sheet_names=("цели", "целевые значения", "нысаналы мәндер", "мақсаттар"),
    example=(("NP-HEALTH", "INFANT_MORTALITY", "", "2029", "7,5", "8,4", "2023", "1", "yes"),
             ("NP-HEALTH", "INFANT_MORTALITY", "Астана", "2029", "6", "", "", "", "")),
)
