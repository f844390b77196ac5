"""The responsibilities template: which official is accountable for a node, or for one goal of it,
from when until when (docs/import.md, "responsibilities"). Identified by (node, indicator, official,
valid_from). A new one is *loaded* and recorded as ``responsibility.assigned`` (plus
``responsibility.ended`` when it already has an end); an open one given an end is *corrected*
(``valid_to`` set, ``responsibility.ended``); one that has ended never changes again
(``responsibility_ended``): history is not rewritten. Rows take the node's region for the uploader's
scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from data_sources.loaders.reference_rows import code_ids, in_scope, not_before
from data_sources.loaders.template import Column, Counts, Reference, Row, Template, WriteContext
from data_sources.store import Goal, Indicator, Node, Official, Responsibility

#: Accepted spellings (any case) of the role (one role so far).
ROLES = {"accountable": "accountable", "ответственный": "accountable", "жауапты": "accountable"}

COLUMNS = (
    Column("node", "код программы/проекта", "бағдарлама/жоба коды", required=True,
           help="code of the portfolio, program or project"),
    Column("indicator", "показатель", "көрсеткіш",
           help="an indicator that is a goal of the node (must exist); empty = the whole node"),
    Column("official", "должностное лицо", "лауазымды тұлға", required=True, help="code of the official"),
    Column("valid_from", "действует с", "басталуы", required=True, help="first day of the responsibility"),
    Column("valid_to", "действует по", "аяқталуы", help="last day (not before valid_from); empty = open-ended"),
    Column("role", "роль", "рөлі", help="accountable (the default)"),
)

ROW_CODES = ("node_unknown", "goal_unknown", "official_unknown", "date_too_early", "responsibility_ended")


def _stored_end(reference: Reference, node: str, indicator: str | None, official: str,
                valid_from: Any) -> tuple[bool, Any]:
    """(whether the responsibility is in the store, its ``valid_to``)."""
    goal = (select(Goal.id).join(Indicator, Indicator.id == Goal.indicator_id)
            .where(Goal.node_id == Responsibility.node_id, Indicator.code == indicator).scalar_subquery())
    found = reference.conn.execute(
        select(Responsibility.valid_to)
        .join(Node, Node.id == Responsibility.node_id).join(Official, Official.id == Responsibility.official_id)
        .where(Node.code == node, Official.code == official, Responsibility.valid_from == valid_from,
               Responsibility.goal_id.is_(None) if indicator is None else Responsibility.goal_id == goal)
    ).first()
    return (found is not None, found.valid_to if found is not None else None)


def parse(row: Row, reference: Reference) -> dict[str, Any] | None:
    """One row -> ``{node, indicator, official, valid_from, valid_to, role}``."""
    node = row.code("node", required=True)
    known_node = row.known("node", reference.nodes, node, "node_unknown")
    indicator = row.code("indicator")
    if known_node and indicator is not None and (node, indicator) not in reference.goals:
        row.problem("indicator", "goal_unknown", value=indicator, node=node)
    official = row.code("official", required=True)
    row.known("official", reference.officials, official, "official_unknown")
    valid_from, valid_to = row.date("valid_from", required=True), row.date("valid_to")
    not_before(row, "valid_to", valid_to, "valid_from", valid_from)
    role = row.choice("role", ROLES, default="accountable")
    if known_node:
        in_scope(row, reference, "node", reference.nodes[node].region)
    if row.problems:
        return None
    stored, ended = _stored_end(reference, node, indicator, official, valid_from)
    if stored and ended is not None and ended != valid_to:
        row.problem("valid_to", "responsibility_ended", value=row.text("valid_to") or "", valid_to=ended.isoformat())
        return None
    return {"node": node, "indicator": indicator, "official": official, "valid_from": valid_from,
            "valid_to": valid_to, "role": role}


def write(ctx: WriteContext, records: list[dict[str, Any]]) -> Counts:
    nodes = code_ids(ctx.conn, Node, {r["node"] for r in records})
    officials = code_ids(ctx.conn, Official, {r["official"] for r in records})
    node_ids = sorted(set(nodes.values()))
    goals: dict[tuple[int, str], int] = {}
    stored: dict[tuple, Any] = {}
    table = Responsibility.__table__
    for start in range(0, len(node_ids), 500):
        chunk = node_ids[start:start + 500]
        goals.update({(n, code): gid for n, code, gid in ctx.conn.execute(
            select(Goal.node_id, Indicator.code, Goal.id).join(Indicator, Indicator.id == Goal.indicator_id)
            .where(Goal.node_id.in_(chunk)))})
        for found in ctx.conn.execute(select(table.c.id, table.c.node_id, table.c.goal_id, table.c.official_id,
                                             table.c.valid_from, table.c.valid_to).where(table.c.node_id.in_(chunk))):
            stored[(found.node_id, found.goal_id, found.official_id, found.valid_from)] = found
    inserts = []
    loaded = unchanged = corrected = 0
    for record in records:
        node_id, official_id = nodes[record["node"]], officials[record["official"]]
        goal_id = goals[(node_id, record["indicator"])] if record["indicator"] else None
        who = {"node": record["node"], "goal": record["indicator"], "official": record["official"]}
        before = stored.get((node_id, goal_id, official_id, record["valid_from"]))
        if before is None:
            entry = ctx.ledger.append("responsibility.assigned", {
                **who, "role": record["role"], "valid_from": record["valid_from"]}, actor=ctx.actor)
            if record["valid_to"] is not None:
                ctx.ledger.append("responsibility.ended", {**who, "valid_to": record["valid_to"]}, actor=ctx.actor)
            inserts.append({"node_id": node_id, "goal_id": goal_id, "official_id": official_id,
                            "role": record["role"], "valid_from": record["valid_from"],
                            "valid_to": record["valid_to"], "recorded_at": ctx.now, "ledger_seq": entry.seq})
            loaded += 1
        elif before.valid_to == record["valid_to"] or record["valid_to"] is None:
            unchanged += 1
        else:  # an open responsibility ends (parse refused changing an ended one)
            ctx.conn.execute(table.update().where(table.c.id == before.id).values(valid_to=record["valid_to"]))
            ctx.ledger.append("responsibility.ended", {**who, "valid_to": record["valid_to"]}, actor=ctx.actor)
            corrected += 1
    if inserts:
        ctx.conn.execute(table.insert(), inserts)
    ctx.progress(len(records))
    return Counts(loaded=loaded, unchanged=unchanged, corrected=corrected)


TEMPLATE = Template(
    name="responsibilities",
    title="Responsibilities: who is accountable for what",
    columns=COLUMNS,
    key=("node", "indicator", "official", "valid_from"),
    parse=parse,
    write=write,
    row_codes=ROW_CODES,
    sheet_names=("ответственность", "ответственные", "жауапкершілік", "жауаптылар"),
    example=(("NP-HEALTH", "", "MH-MIN", "2024-01-01", "", "accountable"),
             ("NP-HEALTH", "INFANT_MORTALITY", "MH-MIN", "01.01.2024", "", "")),
)
