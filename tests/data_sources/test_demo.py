"""The demo dataset, checked on the store the test session builds once (tests/conftest.py:
``natije demo --seed 7 --today 2025-11-15``, which calls ``data_sources.demo.build_demo``), read
through ``readonly_database_url``: a SQLite copy, or a read-only PostgreSQL database in the
PostgreSQL stage of ``make test``. These tests only read.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from sqlalchemy import func, select

from data_sources import ledger, store
from data_sources.periods import period_end, period_start
from data_sources.store import (CitizenRequest, Goal, Indicator, Instruction, LedgerEntry, LoadBatch, Node, Observation, Official,
                                Region, RegionPopulation, Responsibility, StoreMeta, Target)

pytestmark = pytest.mark.datalayer

TODAY = dt.date(2025, 11, 15)  # tests/conftest.py DEMO_TODAY (seed 7)
LIFE_EXPECTANCY = {"2019": 73.18, "2020": 71.4, "2021": 70.2, "2022": 74.44, "2023": 75.09, "2024": 75.44}
REGIONS = {"KZ", "ABY", "AKM", "AKT", "ALR", "ATY", "EKR", "JMB", "JTS", "KGD", "KST", "KZY", "MNG", "NKR", "PVD", "TRK", "ULY",
           "WKR", "ALA", "AST", "SHY"}


@pytest.fixture(scope="module")
def engine(readonly_database_url):
    engine = store.make_engine(readonly_database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def demo(engine):
    """The engine and the demo's marker (seed, today) from store_meta."""
    with engine.connect() as conn:
        meta = dict(conn.execute(select(StoreMeta.key, StoreMeta.value)).all())
    assert meta.get("demo", {}).get("today") == TODAY.isoformat(), "the session demo store is not the one these tests expect"
    return engine, meta


def _count(conn, table, *where) -> int:
    query = select(func.count()).select_from(table)
    for clause in where:
        query = query.where(clause)
    return conn.execute(query).scalar_one()


def _observations(conn) -> pd.DataFrame:
    """Current values (the latest version) with codes."""
    o, i, r = Observation.__table__, Indicator.__table__, Region.__table__
    rows = conn.execute(
        select(i.c.code.label("indicator"), r.c.code.label("region"), o.c.period, o.c.period_start, o.c.version, o.c.value,
               o.c.known_at, i.c.aggregation, i.c.decimals, i.c.valid_min, i.c.valid_max)
        .join(i, i.c.id == o.c.indicator_id).join(r, r.c.id == o.c.region_id)
    ).all()
    frame = pd.DataFrame(rows, columns=["indicator", "region", "period", "period_start", "version", "value", "known_at",
                                        "aggregation", "decimals", "valid_min", "valid_max"])
    return frame


@pytest.fixture(scope="module")
def current(demo):
    engine, _ = demo
    with engine.connect() as conn:
        frame = _observations(conn)
    return frame.sort_values("version").drop_duplicates(["indicator", "region", "period"], keep="last")


def test_minimum_counts(demo):
    engine, _ = demo
    with engine.connect() as conn:
        n = Node.__table__
        assert _count(conn, n, n.c.level == "portfolio") >= 2
        assert _count(conn, n, n.c.level == "program") >= 14
        assert _count(conn, n, n.c.level == "project") >= 300
        assert _count(conn, Indicator.__table__) >= 120
        assert _count(conn, Official.__table__) >= 60
        assert _count(conn, Instruction.__table__) >= 400
        assert _count(conn, CitizenRequest.__table__) >= 100_000
        assert _count(conn, Observation.__table__) >= 100_000
        codes = set(conn.execute(select(n.c.code).where(n.c.level != "project")).scalars())
    assert {"NDP-2025", "NDP-2029", "NP-HEALTH", "NP-SAFE", "NP2-SCHOOL", "NP2-COOP", "TDP-AST", "TDP-ULY"} <= codes


def test_store_meta_marks_the_demo(demo):
    _, meta = demo
    assert meta["demo"] == {"seed": 7, "today": "2025-11-15"}
    assert meta["data_version"]["version"] >= 1


def test_life_expectancy_is_the_real_series(current):
    le = current[(current["indicator"] == "LIFE_EXPECTANCY")]
    national = dict(zip(le.loc[le["region"] == "KZ", "period"], le.loc[le["region"] == "KZ", "value"]))
    for year, value in LIFE_EXPECTANCY.items():
        assert national[year] == pytest.approx(value, abs=1e-9)
    for year, high, low in (("2023", 78.28, 72.41), ("2024", 78.78, 72.48)):
        regions = le[(le["period"] == year) & (le["region"] != "KZ")].set_index("region")["value"]
        assert regions["ALA"] == pytest.approx(high) and regions.max() == pytest.approx(high)
        assert regions["ULY"] == pytest.approx(low) and regions.min() == pytest.approx(low)


def test_new_regions_only_after_the_reform(current):
    new = current[current["region"].isin(["ABY", "JTS", "ULY"])]
    assert not new.empty
    assert (pd.to_datetime(new["period_start"]).dt.date >= dt.date(2022, 7, 1)).all()
    # ... and before the reform their predecessors cover them
    before = current[(current["indicator"] == "BIRTHS") & (current["period"] == "2021-05")]
    assert {"EKR", "ALR", "KGD"} <= set(before["region"]) and not {"ABY", "JTS", "ULY"} & set(before["region"])


def test_region_codes_and_population(demo):
    engine, _ = demo
    with engine.connect() as conn:
        r = Region.__table__
        codes = set(conn.execute(select(r.c.code)).scalars())
        assert codes == REGIONS
        p = RegionPopulation.__table__
        rows = conn.execute(select(r.c.code, p.c.year, p.c.population, p.c.synthetic).join(r, r.c.id == p.c.region_id)).all()
    pop = {(c, y): (v, s) for c, y, v, s in rows}
    assert pop[("AST", 2023)] == (1354435, False)
    assert ("ABY", 2022) not in pop and ("ABY", 2023) in pop
    for year in range(2019, 2026):
        regions = sum(v for (c, y), (v, _s) in pop.items() if y == year and c != "KZ")
        assert pop[("KZ", year)][0] == regions
    assert pop[("KZ", 2025)][0] == 20286084


def test_every_observation_region_is_valid(current):
    assert set(current["region"]) <= REGIONS


def test_values_within_valid_ranges(current):
    low = current["valid_min"].notna() & (current["value"] < current["valid_min"])
    high = current["valid_max"].notna() & (current["value"] > current["valid_max"])
    assert not (low | high).any(), current[low | high].head()


def test_national_is_the_aggregation_of_the_regions(demo, current):
    sums = current[current["aggregation"] == "sum"]
    regional = sums[sums["region"] != "KZ"].groupby(["indicator", "period"])["value"].sum()
    national = sums[sums["region"] == "KZ"].set_index(["indicator", "period"])["value"]
    joined = pd.concat([national.rename("national"), regional.rename("regions")], axis=1).dropna()
    assert len(joined) > 1000
    assert (joined["national"] - joined["regions"]).abs().max() < 1e-6
    assert joined.loc[("BIRTHS", "2024-03"), "national"] == joined.loc[("BIRTHS", "2024-03"), "regions"]
    # a population-weighted mean agrees within rounding
    engine, _ = demo
    with engine.connect() as conn:
        r, p = Region.__table__, RegionPopulation.__table__
        pop = dict(((c, y), v) for c, y, v in conn.execute(select(r.c.code, p.c.year, p.c.population).join(r, r.c.id == p.c.region_id)))
    le = current[(current["indicator"] == "LIFE_EXPECTANCY") & (current["period"] == "2024")]
    regions = le[le["region"] != "KZ"]
    weights = regions["region"].map(lambda c: pop[(c, 2024)])
    mean = float((regions["value"] * weights).sum() / weights.sum())
    assert mean == pytest.approx(75.44, abs=0.01)


def test_corrections_are_known_later(demo):
    engine, _ = demo
    o = Observation.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(o.c.indicator_id, o.c.region_id, o.c.period, o.c.version, o.c.value, o.c.known_at)
                            .where(o.c.version <= 2)).all()
    frame = pd.DataFrame(rows, columns=["indicator_id", "region_id", "period", "version", "value", "known_at"])
    keys = ["indicator_id", "region_id", "period"]
    v1, v2 = frame[frame["version"] == 1], frame[frame["version"] == 2]
    assert len(v2) > 0
    both = v2.merge(v1, on=keys, suffixes=("_new", "_old"), how="inner")
    assert len(both) == len(v2)
    assert (both["known_at_new"] > both["known_at_old"]).all()
    assert (both["value_new"] != both["value_old"]).any()


def test_some_latest_values_are_drafts_and_some_indicators_stale(demo):
    """5-10 % of the indicators are stale: their next value was due (period end + publication
    lag) more than the grace period ago."""
    engine, _ = demo
    o, i = Observation.__table__, Indicator.__table__
    with engine.connect() as conn:
        assert _count(conn, o, o.c.state == "draft") > 0
        rows = conn.execute(select(i.c.code, i.c.frequency, i.c.publication_lag_days, i.c.grace_days, func.max(o.c.period_start))
                            .join(o, o.c.indicator_id == i.c.id).group_by(i.c.code, i.c.frequency, i.c.publication_lag_days,
                                                                          i.c.grace_days)).all()
    stale = []
    for code, frequency, lag, grace, last in rows:
        if code.startswith("READINESS_") or code == "POPULATION":
            continue
        following = period_end(last, frequency) + dt.timedelta(days=1)
        due = period_end(following, frequency) + dt.timedelta(days=lag)
        if due + dt.timedelta(days=grace) < TODAY:
            stale.append(code)
    indicators = len([r for r in rows if not r[0].startswith("READINESS_")])
    assert 0.05 <= len(stale) / indicators <= 0.10, stale


def test_goals_headlines_and_targets(demo):
    engine, _ = demo
    g, n, t = Goal.__table__, Node.__table__, Target.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(n.c.code, n.c.level, g.c.headline, g.c.id).join(n, n.c.id == g.c.node_id)).all()
        targets = _count(conn, t)
        unledgered = _count(conn, t, t.c.ledger_seq.is_(None))
        projects = _count(conn, n, n.c.level == "project")
    frame = pd.DataFrame(rows, columns=["node", "level", "headline", "id"])
    headlines = frame[frame["level"] == "portfolio"].groupby("node")["headline"].sum()
    assert headlines["NDP-2025"] >= 8 and headlines["NDP-2029"] >= 8
    per_program = frame[frame["level"] == "program"].groupby("node").size()
    assert len(per_program) >= 14 and per_program.min() >= 3
    assert frame[frame["level"] == "project"]["node"].nunique() >= 0.5 * projects
    assert targets > 1000 and unledgered == 0


def test_target_rows_match_their_ledger_entries(demo):
    engine, _ = demo
    g, n, i, r, t, lg = Goal.__table__, Node.__table__, Indicator.__table__, Region.__table__, Target.__table__, LedgerEntry.__table__
    with engine.connect() as conn:
        rows = conn.execute(
            select(n.c.code, i.c.code, r.c.code, t.c.year, t.c.value, lg.c.kind, lg.c.payload)
            .select_from(t.join(g, g.c.id == t.c.goal_id).join(n, n.c.id == g.c.node_id).join(i, i.c.id == g.c.indicator_id)
                         .join(r, r.c.id == t.c.region_id).join(lg, lg.c.seq == t.c.ledger_seq))
            .where(n.c.code == "NDP-2029")).all()
    assert rows
    for node, indicator, region, year, value, kind, payload in rows:
        body = json.loads(payload)
        assert kind == "target.set"
        assert (body["node"], body["indicator"], body["region"], body["year"], body["value"]) == (
            node, indicator, region, repr(year), repr(value))


def test_every_node_has_an_accountable_official_with_history(demo):
    engine, _ = demo
    n, rs, o = Node.__table__, Responsibility.__table__, Official.__table__
    with engine.connect() as conn:
        nodes = _count(conn, n)
        covered = conn.execute(select(func.count(func.distinct(rs.c.node_id)))).scalar_one()
        ended = _count(conn, rs, rs.c.valid_to.is_not(None))
        unledgered = _count(conn, rs, rs.c.ledger_seq.is_(None))
        kinds = dict(conn.execute(select(n.c.level, func.count(func.distinct(o.c.kind)))
                                  .select_from(rs.join(n, n.c.id == rs.c.node_id).join(o, o.c.id == rs.c.official_id))
                                  .group_by(n.c.level)).all())
        political = set(conn.execute(select(o.c.kind).select_from(rs.join(n, n.c.id == rs.c.node_id).join(o, o.c.id == rs.c.official_id))
                                     .where(n.c.level != "project")).scalars())
    assert covered == nodes
    assert ended > 0 and unledgered == 0
    assert political == {"political"} and kinds["project"] >= 1


def test_instructions_mix(demo):
    engine, _ = demo
    ins = Instruction.__table__
    with engine.connect() as conn:
        total = _count(conn, ins)
        overdue = _count(conn, ins, ins.c.done_date.is_(None), ins.c.due_date < TODAY)
        late = _count(conn, ins, ins.c.done_date > ins.c.due_date)
        open_ahead = _count(conn, ins, ins.c.done_date.is_(None), ins.c.due_date >= TODAY)
    assert 0.08 <= overdue / total <= 0.22
    assert late > 0 and open_ahead > 0


def test_ledger_has_the_demo_kinds_and_an_unbroken_chain(demo):
    engine, _ = demo
    lg = LedgerEntry.__table__
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(lg).order_by(lg.c.seq))]
    kinds = {r["kind"] for r in rows}
    assert {"responsibility.assigned", "responsibility.ended", "target.set", "batch.loaded", "observation.corrected",
            "instruction.issued", "instruction.status"} <= kinds
    previous = ledger.GENESIS
    for expected_seq, row in enumerate(rows, start=1):
        assert row["seq"] == expected_seq
        assert row["prev"] == previous
        assert ledger.entry_hash(ledger.stored_entry(row)) == row["hash"]
        previous = row["hash"]


def test_batches_hash_what_they_inserted(demo):
    engine, _ = demo
    b, o, i, r = LoadBatch.__table__, Observation.__table__, Indicator.__table__, Region.__table__
    with engine.connect() as conn:
        batch = conn.execute(select(b).where(b.c.code.like("DEMO-2024-%")).order_by(b.c.code).limit(1)).one()
        rows = conn.execute(select(i.c.code, r.c.code, o.c.period, o.c.version, o.c.value, o.c.state)
                            .join(i, i.c.id == o.c.indicator_id).join(r, r.c.id == o.c.region_id)
                            .where(o.c.batch_id == batch.id)).all()
    content = sorted(({"indicator": a, "region": c, "period": p, "version": v, "value": x, "state": s} for a, c, p, v, x, s in rows),
                     key=lambda d: (d["indicator"], d["region"], d["period"], d["version"]))
    assert ledger.content_hash(content) == batch.content_hash
    assert batch.ledger_seq is not None and batch.synthetic in (True, False)


def test_as_of_before_a_correction_shows_the_old_value(demo):
    engine, _ = demo
    o = Observation.__table__
    with engine.connect() as conn:
        v2 = conn.execute(select(o).where(o.c.version == 2).order_by(o.c.id).limit(1)).one()
        v1 = conn.execute(select(o).where(o.c.indicator_id == v2.indicator_id, o.c.region_id == v2.region_id,
                                          o.c.period == v2.period, o.c.version == 1)).one()
        as_of = v2.known_at - dt.timedelta(days=1)
        known = conn.execute(select(o.c.value).where(o.c.indicator_id == v2.indicator_id, o.c.region_id == v2.region_id,
                                                     o.c.period == v2.period, o.c.known_at <= as_of)
                             .order_by(o.c.version.desc()).limit(1)).scalar_one()
    assert known == v1.value != v2.value


def test_citizen_requests_shape(demo):
    engine, _ = demo
    c = CitizenRequest.__table__
    with engine.connect() as conn:
        kinds = dict(conn.execute(select(c.c.kind, func.count()).group_by(c.c.kind)).all())
        first = conn.execute(select(func.min(c.c.received_date), func.max(c.c.received_date))).one()
        early_due = _count(conn, c, c.c.due_date <= c.c.received_date)
        proposals_votes = conn.execute(select(func.sum(c.c.votes)).where(c.c.kind == "proposal")).scalar_one()
        others_votes = conn.execute(select(func.sum(c.c.votes)).where(c.c.kind != "proposal")).scalar_one()
        late = _count(conn, c, c.c.resolved_date > c.c.due_date)
        codes = conn.execute(select(c.c.code).order_by(c.c.id).limit(1)).scalar_one()
    total = sum(kinds.values())
    assert kinds["application"] / total == pytest.approx(0.75, abs=0.02)
    assert first[0] >= dt.date(2023, 1, 1) and first[1] < TODAY
    assert early_due == 0 and proposals_votes > 0 and others_votes == 0
    assert 0.05 < late / total < 0.2
    assert codes == "CR-0000001"


def test_periods_are_labels_of_their_start(current):
    sample = current.drop_duplicates(["period"]).head(200)
    for label, start in zip(sample["period"], sample["period_start"]):
        assert period_start(label) == start


def test_responsibility_rows_match_their_ledger_entries(demo):
    engine, _ = demo
    rs, n, o, g, i, lg = (Responsibility.__table__, Node.__table__, Official.__table__, Goal.__table__, Indicator.__table__,
                          LedgerEntry.__table__)
    with engine.connect() as conn:
        rows = conn.execute(
            select(n.c.code, o.c.code, i.c.code, rs.c.valid_from, rs.c.valid_to, lg.c.kind, lg.c.payload)
            .select_from(rs.join(n, n.c.id == rs.c.node_id).join(o, o.c.id == rs.c.official_id)
                         .outerjoin(g, g.c.id == rs.c.goal_id).outerjoin(i, i.c.id == g.c.indicator_id)
                         .join(lg, lg.c.seq == rs.c.ledger_seq))).all()
        ended = [json.loads(p) for p in conn.execute(select(lg.c.payload).where(lg.c.kind == "responsibility.ended")).scalars()]
    assert rows and any(goal is not None for _n, _o, goal, *_ in rows)
    for node, official, goal, valid_from, valid_to, kind, payload in rows:
        body = json.loads(payload)
        assert kind == "responsibility.assigned"
        assert (body["node"], body["official"], body["goal"], body["role"], body["valid_from"]) == (
            node, official, goal, "accountable", valid_from.isoformat())
    ends = {(e["node"], e["official"], e["goal"], e["valid_to"]) for e in ended}
    assert ends == {(node, official, goal, valid_to.isoformat()) for node, official, goal, _f, valid_to, _k, _p in rows
                    if valid_to is not None}


def test_instructions_are_in_the_ledger(demo):
    engine, _ = demo
    ins, lg = Instruction.__table__, LedgerEntry.__table__
    with engine.connect() as conn:
        codes = set(conn.execute(select(ins.c.code)).scalars())
        done = {c: d.isoformat() for c, d in conn.execute(select(ins.c.code, ins.c.done_date).where(ins.c.done_date.is_not(None)))}
        issued = [json.loads(p) for p in conn.execute(select(lg.c.payload).where(lg.c.kind == "instruction.issued")).scalars()]
        status = [json.loads(p) for p in conn.execute(select(lg.c.payload).where(lg.c.kind == "instruction.status")).scalars()]
    assert {e["instruction"] for e in issued} == codes
    assert {e["instruction"]: e["date"] for e in status} == done


# --- the status mix: what kpi reads from the demo ---------------------------------------------------

def test_the_generators_reading_is_kpis(demo):
    """The generator picks synthetic targets with its own mirror of kpi's forecast and status rules
    (data_sources never imports kpi): for every goal of the session's demo it reads what kpi reads."""
    from data_sources.demo import goals as goals_mod
    from data_sources.demo import prepare
    from data_sources.periods import label_frequency
    from kpi.forecast import forecast
    from kpi.periods import period_end as kpi_period_end
    from kpi.progress import progress
    from kpi.status import assess
    from kpi.trajectory import expected_progress

    _, meta = demo
    world = prepare(seed=meta["demo"]["seed"], today=TODAY)
    differ = []
    for goal in world.goals:
        spec = world.specs[goal.indicator]
        series = world.values.get(goal.indicator, goal.region)
        trajectory = pd.DataFrame(sorted(goals_mod.current_targets(goal).items()), columns=["year", "value"])
        if series is None or series.empty or trajectory.empty:
            continue
        target, deadline = float(trajectory["value"].iloc[-1]), dt.date(int(trajectory["year"].iloc[-1]), 12, 31)
        latest = series.iloc[-1]
        baseline_end = kpi_period_end(goal.baseline_start, label_frequency(goal.baseline_period))
        outlook = forecast(pd.DataFrame({"period_start": pd.to_datetime(series["start"]), "value": series["value"]}),
                           frequency=spec.frequency, seasonal=spec.seasonal, target_value=target, target_date=deadline,
                           direction=spec.direction, today=TODAY)
        status = assess(target=target, direction=spec.direction, deadline=deadline, today=TODAY,
                        latest_value=float(latest["value"]), latest_period_start=latest["start"], frequency=spec.frequency,
                        progress=progress(float(latest["value"]), goal.baseline_value, target, spec.direction),
                        expected_progress=expected_progress(trajectory, goal.baseline_value, baseline_end,
                                                            kpi_period_end(latest["start"], spec.frequency), target=target,
                                                            direction=spec.direction),
                        forecast=outlook).status
        if status != goals_mod.assess(goal, world.values, spec, TODAY):
            differ.append((goal.node, goal.indicator, status))
    assert not differ


@pytest.fixture(scope="module")
def assessed(engine, readonly_database_url):
    """Every goal of both portfolios as the app assesses it, with the node's level; and the overviews."""
    from data_sources import queries
    from data_sources.settings import load_settings
    from services.context import make_context
    from services.goals import assess_goals
    from services.overview import build_overview

    ctx = make_context(engine, load_settings({"NATIJE_DATABASE_URL": readonly_database_url}), lang="en")
    frames, grids = [], {}
    for root in ("NDP-2029", "NDP-2025"):
        nodes = queries.subtree(engine, ctx.viewer, root)
        for level in ("program", "project"):
            goals = assess_goals(ctx, queries.goals(engine, ctx.viewer, nodes.loc[nodes["level"] == level, "code"])).goals
            frames.append(goals.assign(portfolio=root, level=level))
        grids[root] = build_overview(ctx, root).programs
    return pd.concat(frames, ignore_index=True), grids


def test_program_grid_shows_a_spread(assessed):
    """Most programs green, amber/green or amber; a few amber/red or red; no status for more than half."""
    _, grids = assessed
    for root, grid in grids.items():
        counts = grid["status"].value_counts()
        n = len(grid)
        assert counts.max() <= 0.5 * n, (root, counts.to_dict())
        assert counts.reindex(["green", "amber_green", "amber"]).fillna(0).sum() >= 0.5 * n, (root, counts.to_dict())
        assert 1 <= counts.reindex(["amber_red", "red"]).fillna(0).sum() <= 0.4 * n, (root, counts.to_dict())


def test_goal_status_mix(assessed):
    """Program goals whose deadline is ahead: mostly green or amber/green, some amber, some amber/red
    or red (the real targets add their own misses); passed deadlines mostly achieved."""
    goals, _ = assessed
    programs = goals[goals["level"] == "program"]
    ahead = programs.loc[~programs["status"].isin(["achieved", "missed", "no_data"]), "status"].value_counts(normalize=True)
    assert 0.45 <= ahead.reindex(["green", "amber_green"]).sum() <= 0.75, ahead.to_dict()
    assert 0.08 <= ahead.get("amber", 0) <= 0.3, ahead.to_dict()
    assert 0.08 <= ahead.reindex(["amber_red", "red"]).fillna(0).sum() <= 0.3, ahead.to_dict()
    passed = goals["status"].value_counts()
    assert passed.get("achieved", 0) > 3 * passed.get("missed", 0) > 0
