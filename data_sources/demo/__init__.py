"""The demo dataset: real facts (data_sources/facts/kz-facts.yaml) and a deterministic synthetic
world around them, written into an empty, migrated store. See docs/demo.md.

    from data_sources.demo import build_demo
    summary = build_demo(engine, seed=2025, today=date(2025, 11, 15), actor="demo")

Same ``seed`` and ``today`` give the same content in every table (surrogate ids, load and ledger
wall-clock times and ledger hashes aside). Everything is written in one transaction; the
responsibility, target, batch and instruction records go through the ledger.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine, select

from data_sources import ledger as ledger_core
from data_sources import store
from data_sources.demo import catalog, geo, goals as goals_mod, instructions as instructions_mod, obs, people
from data_sources.demo import requests as requests_mod
from data_sources.demo import series as series_mod
from data_sources.demo import tree
from data_sources.demo._common import FACTS_REF, NEW_REGIONS, REFORM, Streams, at_ten, origin, texts
from data_sources.demo.catalog import Spec
from data_sources.store import (Agency, BudgetLine, CitizenRequest, Goal, Indicator, Instruction, Milestone, Node, Official,
                                Region, RegionPopulation, RegionPredecessor, RequestTopic, Responsibility, StoreMeta, Target)
from data_sources.writes import record_observations

__all__ = ["World", "build_demo", "prepare", "write_regions"]

SOURCE = "demo generator"
SOURCES = {"synthetic": SOURCE, "real": f"{SOURCE}: real figures from {FACTS_REF}",
           "revision": f"{SOURCE}: revision of earlier values"}


def _readiness_spec(node: tree.Node) -> Spec:
    return Spec(goals_mod.readiness_code(node.code),
                texts(f"Техникалық дайындық: {node.name['kk']}", f"Техническая готовность: {node.name['ru']}",
                      f"Technical readiness: {node.name['en']}"),
                "percent", "up", "Q", False, "none", 0, 100, 0, node.agency, 20, 30, real=False,
                source=f"synthetic (demo generator): readiness reported by the project {node.code}",
                name_origin=origin("synthetic"), project=node.code)


def _readiness_frame(node: tree.Node, today: dt.date, stop_reporting: bool) -> pd.DataFrame:
    from data_sources.periods import period_end, periods_between

    rows = []
    stall = node.stall_date()
    for start in periods_between(node.start, today, "Q"):
        end = period_end(start, "Q")
        if end >= today:
            break
        if stop_reporting and stall is not None and start > stall:
            break
        rows.append(("KZ", f"{start.year}-Q{(start.month - 1) // 3 + 1}", start, float(tree.readiness(node, end)), None))
    return pd.DataFrame(rows, columns=["region", "period", "start", "value", "real"])


@dataclass
class World:
    """Everything :func:`build_demo` writes, prepared in memory (no database)."""

    streams: Streams
    regions: list
    pop: geo.Population
    agencies: list
    nodes: list
    projects: list
    specs: dict[str, Spec]
    assembled: obs.Assembled
    stopped: list[str]
    values: goals_mod.Values
    goals: list[goals_mod.GoalDef]
    designed: Counter


def prepare(*, seed: int, today: dt.date) -> World:
    """The demo's content for ``seed`` and ``today``, in memory: nodes, indicators and their values,
    goals with their targets (and the generator's reading of their statuses)."""
    streams = Streams(seed)
    regions = geo.regions()
    pop = geo.population(regions, today)
    agencies = tree.agencies(regions)
    top = tree.portfolios_and_programs(regions, today)
    projects = tree.projects(top, regions, streams, today)
    nodes = top + projects
    node_by_code = {n.code: n for n in nodes}

    # --- indicators and their values -------------------------------------------------------------
    specs: dict[str, Spec] = {s.code: s for s in catalog.real_indicators() + catalog.synthetic_indicators()}
    last_start = today
    frames: dict[str, pd.DataFrame] = {}
    generated: dict[str, series_mod.Generated] = {}
    for code, spec in specs.items():
        if code in ("HOUSING_COMMISSIONED", "POPULATION"):
            continue
        generated[code] = series_mod.generate(spec, pop, streams, last_start)
        frames[code] = generated[code].frame
    frames["HOUSING_COMMISSIONED"] = series_mod.yearly_from_monthly(
        specs["HOUSING_COMMISSIONED"], generated["HOUSING_COMMISSIONED_MONTHLY"], 1e-3, today.year).frame
    frames["POPULATION"] = series_mod.population_series(pop).frame
    project_goal_defs, readiness_projects = goals_mod.project_goals(projects, specs, streams, today)
    rng_ready = streams("readiness")
    stopped = []
    for code in readiness_projects:
        node = node_by_code[code]
        spec = _readiness_spec(node)
        specs[spec.code] = spec
        stop = node.profile == "stalled" and rng_ready.random() < 0.5
        frames[spec.code] = _readiness_frame(node, today, stop)
        if stop:
            stopped.append(spec.code)
        if frames[spec.code].empty:
            del frames[spec.code]
    protected = {"LIFE_EXPECTANCY", "POPULATION", "HOUSING_COMMISSIONED", "HOUSING_COMMISSIONED_MONTHLY"}
    assembled = obs.assemble(frames, specs, pop, streams, today, protected)
    values = goals_mod.Values(assembled.current, specs)

    # --- goals and targets -------------------------------------------------------------------------
    rng_goals = streams("goals:resolve")
    goal_defs = goals_mod.portfolio_and_program_goals()
    territorial = goals_mod.territorial_goals([n for n in top if n.kind == "territorial_program"], streams, values)
    goal_defs += territorial
    goal_defs += project_goal_defs
    resolved = [g for g in goal_defs if g.indicator in specs and goals_mod.anchor(g, values, today)]
    goals_mod.deal_territorial([g for g in territorial if g.baseline_value is not None], streams)
    for g in resolved:
        goals_mod.finish(g, values, rng_goals, today)
    designed = Counter(goals_mod.assess(g, values, specs[g.indicator], today) for g in resolved)
    return World(streams, regions, pop, agencies, nodes, projects, specs, assembled, stopped, values, resolved, designed)


def build_demo(engine: Engine, *, seed: int, today: dt.date, actor: str) -> dict:
    """Fill an empty, migrated store with the demo data for ``today``.

    Returns the number of rows per table (``{"observations": 102873, ...}``), ``corrections`` (the
    revised observation versions) and ``details``: seed, today, batches, the stale, late and draft
    indicators, the generator's own reading of the goal statuses, the portfolios' headline goals
    and the build time."""
    timer = time.perf_counter()
    world = prepare(seed=seed, today=today)
    streams, regions, pop, agencies, nodes, projects = world.streams, world.regions, world.pop, world.agencies, world.nodes, world.projects
    specs, assembled, stopped, resolved, designed = world.specs, world.assembled, world.stopped, world.goals, world.designed

    # --- people ----------------------------------------------------------------------------------
    officials, posts = people.officials_and_posts(regions, streams, today)
    resp = _responsibilities(nodes, resolved, specs, posts, today)
    instructions = instructions_mod.build(regions, officials, posts, nodes, streams, today)
    requests = requests_mod.build(regions, nodes, streams, today)
    prepared = time.perf_counter() - timer

    with store.writing(engine) as conn:
        ids = _write_reference(conn, regions, pop, agencies, nodes, specs, officials)
        writer = ledger_core.ledger_writer(conn, actor)
        goal_ids = _write_goals(conn, writer, resolved, ids, actor)
        _write_responsibilities(conn, writer, resp, ids, goal_ids)
        _write_projects(conn, projects, ids, streams, today)
        batch_count = _write_observations(conn, writer, assembled, actor)
        _write_instructions(conn, writer, instructions, ids)
        _write_requests(conn, requests, ids)
        meta = StoreMeta.__table__
        conn.execute(meta.delete().where(meta.c.key == "demo"))
        conn.execute(meta.insert().values(key="demo", value={"seed": int(seed), "today": today.isoformat()}))
        store.bump_data_version(conn)
        counts = _counts(conn)

    statuses = {k: designed.get(k, 0) for k in (*goals_mod.SCALE, "no_data")}
    return {
        **counts,  # rows per table
        "corrections": int((assembled.versions["kind"] == "revision").sum()),
        "details": {
            "seed": int(seed), "today": today.isoformat(), "batches": batch_count,
            "stale_indicators": sorted(assembled.stale + stopped), "late_indicators": sorted(assembled.late),
            "draft_indicators": sorted(assembled.drafts), "designed_goal_statuses": statuses,
            "headline_goals": {p: [g.indicator for g in resolved if g.node == p and g.headline] for p in ("NDP-2025", "NDP-2029")},
            "seconds": {"prepare": round(prepared, 2), "total": round(time.perf_counter() - timer, 2)},
        },
    }


# ------------------------------------------------------------------------------------------ helpers

def _responsibilities(nodes, goal_defs, specs, posts, today) -> list[people.Responsibility]:
    out: list[people.Responsibility] = []
    for n in nodes:
        if n.level == "portfolio":
            post = posts["FDPM" if n.code == "NDP-2025" else "DPM-MNE"]
        elif n.kind == "territorial_program":
            post = posts[f"AKIM-{n.region}"]
        elif n.level == "program":
            post = posts[n.agency]
        elif n.region == "KZ":
            post = posts[f"PO-{n.agency}"] if f"PO-{n.agency}" in posts else posts[n.agency]
        else:
            post = posts[f"{n.region}-{people.TEMPLATE_DEPARTMENT.get(n.template.key, 'CON')}"]
        since = n.start if n.level != "project" else (n.approved or n.start)
        out += people.responsibilities(post, n.code, None, min(since, today), today)
    for g in goal_defs:  # the minister answerable for each portfolio goal
        node = next(n for n in nodes if n.code == g.node)
        if node.level != "portfolio":
            continue
        agency = specs[g.indicator].agency
        post = posts.get(agency) if agency in posts else posts["FDPM" if g.node == "NDP-2025" else "DPM-MNE"]
        out += people.responsibilities(post, g.node, g.indicator, node.start, today)
    return out


def _map(conn: Connection, table, key="code") -> dict:
    return {row[0]: row[1] for row in conn.execute(select(table.c[key], table.c.id))}


def write_regions(conn: Connection, regions: list[geo.RegionInfo], pop: geo.Population) -> dict[str, int]:
    """Write the nation and the regions (:func:`geo.regions`), the regions they were carved out of
    and their population by year (:func:`geo.population`) into an empty store; returns code -> id.
    Shared by the demo and :func:`data_sources.loaders.geography.ensure_regions`."""
    R = Region.__table__
    conn.execute(R.insert(), [{
        "code": r.code, "level": r.level, "name": r.name, "name_origin": r.name_origin, "centre": r.centre,
        "area_km2": r.area_km2, "valid_from": r.valid_from, "valid_to": None, "source": r.source} for r in regions])
    region_ids = _map(conn, R)
    conn.execute(RegionPredecessor.__table__.insert(), [
        {"region_id": region_ids[new], "predecessor_id": region_ids[pred], "since": REFORM} for new, pred in NEW_REGIONS.items()])
    rows = []
    for code, years in pop.table.items():
        for year, value in sorted(years.items()):
            real = (code, year) in pop.real
            rows.append({"region_id": region_ids[code], "year": year, "population": int(value), "synthetic": not real,
                         "source": pop.real[(code, year)] if real else "synthetic (demo generator): growth between real counts"})
    conn.execute(RegionPopulation.__table__.insert(), rows)
    return region_ids


def _write_reference(conn, regions, pop, agencies, nodes, specs, officials) -> dict:
    region_ids = write_regions(conn, regions, pop)
    A = Agency.__table__
    conn.execute(A.insert(), [{"code": a.code, "kind": a.kind, "name": a.name, "name_origin": a.name_origin,
                               "region_id": region_ids[a.region]} for a in agencies])
    agency_ids = _map(conn, A)
    N = Node.__table__
    node_ids: dict[str, int] = {}
    for level in ("portfolio", "program", "project"):
        batch = [n for n in nodes if n.level == level]
        conn.execute(N.insert(), [{
            "code": n.code, "level": n.level, "kind": n.kind, "parent_id": node_ids.get(n.parent), "name": n.name,
            "name_origin": n.name_origin, "description": n.description, "agency_id": agency_ids.get(n.agency),
            "region_id": region_ids[n.region], "start_date": n.start, "end_date": n.end, "weight": float(n.weight),
            "state": n.state, "budget_kzt": n.budget, "legal_act": n.legal_act, "synthetic": n.synthetic, "source": n.source}
            for n in batch])
        node_ids = _map(conn, N)
    I = Indicator.__table__
    conn.execute(I.insert(), [{
        "code": s.code, "name": s.name, "name_origin": s.name_origin or origin("synthetic"), "unit": s.unit, "direction": s.direction,
        "frequency": s.frequency, "regional": s.regional, "aggregation": s.aggregation, "valid_min": s.valid_min,
        "valid_max": s.valid_max, "seasonal": s.seasonal, "grace_days": int(s.grace), "publication_lag_days": int(s.lag),
        "decimals": int(s.decimals), "agency_id": agency_ids[s.agency], "synthetic": not s.real, "source": s.source}
        for s in specs.values()])
    O = Official.__table__
    conn.execute(O.insert(), [{
        "code": o.code, "name": o.name, "post": o.post, "name_origin": origin("synthetic"), "kind": o.kind,
        "agency_id": agency_ids[o.agency], "region_id": region_ids[o.region], "synthetic": True} for o in officials.values()])
    return {"region": region_ids, "agency": agency_ids, "node": node_ids, "indicator": _map(conn, I), "official": _map(conn, O)}


def _write_goals(conn, writer, goal_defs, ids, actor) -> dict:
    G = Goal.__table__
    conn.execute(G.insert(), [{
        "node_id": ids["node"][g.node], "indicator_id": ids["indicator"][g.indicator], "baseline_value": g.baseline_value,
        "baseline_period": g.baseline_period, "baseline_start": g.baseline_start, "weight": float(g.weight), "headline": g.headline}
        for g in goal_defs])
    goal_ids = {(r.node_id, r.indicator_id): r.id for r in conn.execute(select(G.c.node_id, G.c.indicator_id, G.c.id))}
    events = []
    for g in goal_defs:
        gid = goal_ids[(ids["node"][g.node], ids["indicator"][g.indicator])]
        for region, year, value, recorded, source, previous in g.targets:
            events.append((recorded, g.node, g.indicator, region, year, value, previous, source, gid))
    events.sort(key=lambda e: (e[0], e[1], e[2], e[3], e[4], e[6] is not None))
    rows = []
    for recorded, node, indicator, region, year, value, previous, source, gid in events:
        entry = writer.append("target.set", {"node": node, "indicator": indicator, "region": region, "year": year,
                                             "value": value, "previous": previous})
        rows.append({"goal_id": gid, "region_id": ids["region"][region], "year": year, "value": value,
                     "recorded_at": at_ten(recorded), "recorded_by": actor, "source": source, "ledger_seq": entry.seq})
    conn.execute(Target.__table__.insert(), rows)
    return {(g.node, g.indicator): goal_ids[(ids["node"][g.node], ids["indicator"][g.indicator])] for g in goal_defs}


def _write_responsibilities(conn, writer, resp, ids, goal_ids) -> None:
    events = []
    for i, r in enumerate(resp):
        events.append((r.valid_from, 0, i))
        if r.valid_to is not None:
            events.append((r.valid_to, 1, i))
    events.sort()
    seqs: dict[int, int] = {}
    for day, kind, i in events:
        r = resp[i]
        payload = {"node": r.node, "goal": r.goal, "official": r.official}
        if kind == 0:  # payloads as docs/ledger.md fixes them
            entry = writer.append("responsibility.assigned", {**payload, "role": "accountable", "valid_from": r.valid_from})
            seqs[i] = entry.seq
        else:
            writer.append("responsibility.ended", {**payload, "valid_to": r.valid_to})
    conn.execute(Responsibility.__table__.insert(), [{
        "node_id": ids["node"][r.node], "goal_id": goal_ids.get((r.node, r.goal)) if r.goal else None,
        "official_id": ids["official"][r.official], "role": "accountable", "valid_from": r.valid_from, "valid_to": r.valid_to,
        "recorded_at": at_ten(r.valid_from), "ledger_seq": seqs[i]} for i, r in enumerate(resp)])


def _write_projects(conn, projects, ids, streams, today) -> None:
    milestones, lines = [], []
    for p in projects:
        nid = ids["node"][p.code]
        for m in p.milestones:
            milestones.append({"node_id": nid, "seq": m.seq, "name": m.name, "weight": m.weight, "planned_date": m.planned,
                               "actual_date": m.actual})
        for line in tree.budget_lines(p, streams, today):
            lines.append({"node_id": nid, **line})
    conn.execute(Milestone.__table__.insert(), milestones)
    if lines:
        conn.execute(BudgetLine.__table__.insert(), lines)


def _write_observations(conn, writer, assembled, actor) -> int:
    count = 0
    for code, release, kind, rows in obs.batches(assembled.versions):
        frame = rows[["indicator", "region", "period", "value", "state", "comment"]].reset_index(drop=True)
        # Every demo batch is synthetic (the store holds demo data, which `natije demo --force` may
        # recreate); real figures come in their own batches and say so in their comment.
        record_observations(conn, writer, batch_code=code, source=SOURCES[kind], rows=frame, known_at=at_ten(release),
                            actor=actor, synthetic=True)
        count += 1
    return count


def _write_instructions(conn, writer, rows, ids) -> None:
    events = []
    for i, r in enumerate(rows):
        events.append((r.issued, 0, i))
        if r.done is not None:
            events.append((r.done, 1, i))
    events.sort()
    for day, kind, i in events:
        r = rows[i]
        if kind == 0:
            writer.append("instruction.issued", {
                "instruction": r.code, "issued_by": r.issued_by, "assignee": r.assignee, "node": r.node, "region": r.region,
                "issued_date": r.issued, "due_date": r.due})
        else:
            writer.append("instruction.status", {"instruction": r.code, "status": "done", "date": r.done})
    conn.execute(Instruction.__table__.insert(), [{
        "code": r.code, "meeting": r.meeting, "meeting_date": r.meeting_date, "text": r.text,
        "issued_by_id": ids["official"][r.issued_by], "assignee_id": ids["official"][r.assignee],
        "agency_id": ids["agency"][r.agency], "node_id": ids["node"][r.node] if r.node else None,
        "region_id": ids["region"][r.region], "issued_date": r.issued, "due_date": r.due, "done_date": r.done,
        "report": r.report, "synthetic": True} for r in rows])


def _write_requests(conn, req, ids) -> None:
    T = RequestTopic.__table__
    conn.execute(T.insert(), [{"code": code, "name": name, "name_origin": origin("synthetic")} for code, name, _ in requests_mod.TOPICS])
    topic_ids = _map(conn, T)
    n = len(req["received"])
    received = req["received"].astype("datetime64[D]").tolist()
    due = req["due"].astype("datetime64[D]").tolist()
    resolved = req["resolved"].astype("datetime64[D]").tolist()
    region = [ids["region"][c] for c in req["region"].tolist()]
    topic = [topic_ids[c] for c in req["topic"].tolist()]
    node = [ids["node"][c] if c is not None else None for c in req["node"].tolist()]
    channel, kind, status, votes = req["channel"].tolist(), req["kind"].tolist(), req["status"].tolist(), req["votes"].tolist()
    rows = [{"code": f"CR-{i + 1:07d}", "received_date": received[i], "region_id": region[i], "topic_id": topic[i],
             "channel": channel[i], "kind": kind[i], "status": status[i], "votes": int(votes[i]), "node_id": node[i],
             "due_date": due[i], "resolved_date": resolved[i], "synthetic": True} for i in range(n)]
    C = CitizenRequest.__table__
    for start in range(0, n, 20000):
        conn.execute(C.insert(), rows[start:start + 20000])


def _counts(conn) -> dict:
    from sqlalchemy import func

    from data_sources.store import Base

    out = {}
    for name, table in Base.metadata.tables.items():
        out[name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    return out
