"""The queries of ``/data``: the indicator catalogue (latest period per indicator, aggregated in SQL),
the accountable official per indicator, and the load history with its scope: roles that upload see it,
a region-scoped viewer sees only batches of its region, ``public`` and ``kiosk`` see nothing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, select

from data_sources import queries
from data_sources.loaders.run import load_file
from data_sources.store import Indicator, Observation, ObservationCurrent
from data_sources.viewer import Viewer

pytestmark = pytest.mark.datalayer

TODAY = dt.date(2025, 11, 15)
MINISTER, PUBLIC, KIOSK = Viewer("minister"), Viewer("public"), Viewer("kiosk")
AKIM_AST, AKIM_ALA = Viewer("akim", region="AST"), Viewer("akim", region="ALA")
UTC = dt.timezone.utc


# --- the catalogue --------------------------------------------------------------------------------------

def test_the_catalogue_has_one_row_per_indicator_with_the_newest_period_of_any_region(readonly_demo_engine):
    frame = queries.indicator_catalogue(readonly_demo_engine, MINISTER, lang="en")
    assert list(frame.columns) == list(queries.CATALOGUE_COLUMNS)
    with readonly_demo_engine.connect() as conn:
        assert len(frame) == conn.execute(select(func.count()).select_from(Indicator)).scalar_one()
        newest = dict(conn.execute(
            select(Indicator.code, func.max(ObservationCurrent.period_start))
            .join(ObservationCurrent, ObservationCurrent.indicator_id == Indicator.id).group_by(Indicator.code)).all())
    assert frame["code"].is_unique and list(frame["code"]) == sorted(frame["code"])
    by_code = frame.set_index("code")
    for code, start in newest.items():
        assert by_code.loc[code, "last_period_start"] == start, code
    without = frame[~frame["code"].isin(list(newest))]
    assert not without.empty and without["last_period"].isna().all() and without["last_known_at"].isna().all()
    row = by_code.loc["LIFE_EXPECTANCY"]
    assert row["name"] and row["agency"] and row["frequency"] == "Y"
    assert isinstance(row["last_known_at"], dt.datetime) and row["last_known_at"].tzinfo is not None


def test_the_known_at_is_that_of_the_newest_value_of_the_last_period(readonly_demo_engine):
    frame = queries.indicator_catalogue(readonly_demo_engine, MINISTER).set_index("code")
    code = "UNEMPLOYMENT_RATE"
    with readonly_demo_engine.connect() as conn:
        known = conn.execute(
            select(func.max(ObservationCurrent.known_at))
            .join(Indicator, Indicator.id == ObservationCurrent.indicator_id)
            .where(Indicator.code == code, ObservationCurrent.period_start == frame.loc[code, "last_period_start"])
        ).scalar_one()
    assert frame.loc[code, "last_known_at"] == known


def test_public_counts_published_values_only(readonly_demo_engine):
    internal = queries.indicator_catalogue(readonly_demo_engine, MINISTER).set_index("code")
    public = queries.indicator_catalogue(readonly_demo_engine, PUBLIC).set_index("code")
    assert list(public.index) == list(internal.index)  # the metadata is for everyone
    newer = [c for c in internal.index if pd.notna(internal.loc[c, "last_period_start"])
             and (pd.isna(public.loc[c, "last_period_start"])
                  or public.loc[c, "last_period_start"] < internal.loc[c, "last_period_start"])]
    assert newer, "the demo has drafts newer than the published values"
    code = newer[0]
    with readonly_demo_engine.connect() as conn:
        published = conn.execute(
            select(func.max(Observation.period_start)).join(Indicator, Indicator.id == Observation.indicator_id)
            .where(Indicator.code == code, Observation.state == "published")).scalar_one()
    assert public.loc[code, "last_period_start"] == published
    assert queries.indicator_catalogue(readonly_demo_engine, KIOSK).equals(queries.indicator_catalogue(
        readonly_demo_engine, PUBLIC))


def test_as_of_shows_what_was_known_then(readonly_demo_engine):
    moment = dt.datetime(2024, 6, 30, 23, 59, tzinfo=UTC)
    then = queries.indicator_catalogue(readonly_demo_engine, MINISTER, as_of=moment)
    known = then["last_known_at"].dropna()
    assert not known.empty and (known <= moment).all()
    now = queries.indicator_catalogue(readonly_demo_engine, MINISTER).set_index("code")
    later = then.dropna(subset=["last_period_start"]).set_index("code")["last_period_start"]
    assert all(start <= now.loc[code, "last_period_start"] for code, start in later.items())
    assert then["last_period"].isna().sum() > now["last_period"].isna().sum()


def test_a_region_scoped_viewer_gets_the_same_catalogue(readonly_demo_engine):
    """Indicator values of every region are comparison data: the catalogue is not operational."""
    assert queries.indicator_catalogue(readonly_demo_engine, AKIM_AST).equals(
        queries.indicator_catalogue(readonly_demo_engine, MINISTER))


# --- the accountable official per indicator -----------------------------------------------------------------

def test_the_official_of_the_top_most_goal_is_accountable_for_an_indicator(readonly_demo_engine):
    owners = queries.indicator_owners(readonly_demo_engine, MINISTER, on=TODAY, lang="en")
    assert list(owners.columns) == list(queries.INDICATOR_OWNER_COLUMNS)
    assert owners["indicator"].is_unique and (owners["nodes"] >= 1).all()
    by_indicator = owners.set_index("indicator")
    # a portfolio goal and a program goal: the portfolio's official
    assert by_indicator.loc["DRINKING_WATER_ACCESS", "node_level"] == "portfolio"
    assert by_indicator.loc["DRINKING_WATER_ACCESS", "nodes"] == 2
    # a program goal and project goals: the program's official (the node's responsibility)
    node_owner = queries.accountable(readonly_demo_engine, MINISTER, ["NP2-COOP"], on=TODAY).iloc[0]["official"]
    assert tuple(by_indicator.loc["AGRI_COOPERATIVES", ["node", "official"]]) == ("NP2-COOP", node_owner)


def test_the_goals_own_responsibility_comes_before_its_nodes_and_follows_the_date(readonly_demo_engine):
    """REAL_GDP_GROWTH of NDP-2025 has its own official (the minister of economy until 31 Aug 2023,
    then a deputy prime minister) besides the portfolio's."""
    def owner(on: dt.date) -> str:
        owners = queries.indicator_owners(readonly_demo_engine, MINISTER, on=on).set_index("indicator")
        return owners.loc["REAL_GDP_GROWTH", "official"]

    portfolio_owner = queries.accountable(readonly_demo_engine, MINISTER, ["NDP-2025"], on=TODAY).iloc[0]["official"]
    assert owner(TODAY) == "OF-GOV-04" != portfolio_owner
    assert owner(dt.date(2023, 1, 1)) == "OF-MNE-01"


def test_owners_follow_the_viewers_scope_and_the_date(readonly_demo_engine):
    national = queries.indicator_owners(readonly_demo_engine, MINISTER, on=TODAY).set_index("indicator")
    akim = queries.indicator_owners(readonly_demo_engine, AKIM_AST, on=TODAY).set_index("indicator")
    hidden = national[(national["node_level"] == "project") & (national["node"].str.contains("-TRK-"))]
    assert not hidden.empty
    assert not set(hidden.index) & set(akim.index)  # another region's projects name nobody to the akim
    assert set(akim.index) < set(national.index)
    assert queries.indicator_owners(readonly_demo_engine, MINISTER, on=dt.date(1990, 1, 1)).empty


# --- the load history -------------------------------------------------------------------------------------

def _load(engine, tmp_path, name: str, text: str, when: dt.datetime, **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = load_file(engine, path, actor=options.pop("actor", "analyst-1"), now=when, **options)
    assert report.refused is None, report.refused
    return report


@pytest.fixture
def two_loads(demo_engine, tmp_path):
    """A file of Astana's values (loaded second) and a national file (first)."""
    national = _load(demo_engine, tmp_path, "national.csv",
                     "indicator,period,value\nLIFE_EXPECTANCY,2025,75.3\nLIFE_EXPECTANCY,2025-13,1\n",
                     dt.datetime(2025, 11, 10, 9, tzinfo=UTC))
    astana = _load(demo_engine, tmp_path, "астана.csv",
                   "indicator,period,value,region\nUNEMPLOYMENT_RATE,2025-Q3,4.3,AST\n",
                   dt.datetime(2025, 11, 12, 9, tzinfo=UTC), scope_region="AST", actor="OF-AKIM-AST-01")
    return demo_engine, national, astana


def test_the_history_lists_loaded_files_newest_first_without_the_demo_batches(two_loads):
    engine, national, astana = two_loads
    history = queries.load_history(engine, MINISTER)
    assert list(history.columns) == list(queries.LOAD_HISTORY_COLUMNS)
    assert list(history["code"]) == [astana.batch, national.batch]
    first = history.iloc[0]
    assert first["file_name"] == "астана.csv" and first["actor"] == "OF-AKIM-AST-01" and first["region"] == "AST"
    assert first["templates"] == "observations" and bool(first["stored"]) and not first["synthetic"]
    assert len(first["file_sha256"]) == 64
    second = history.iloc[1]
    assert second["region"] == "KZ" and (second["rows_read"], second["loaded"], second["quarantined"]) == (2, 1, 1)
    assert second["report"]["problems"][0]["code"] == "period_invalid"
    assert queries.load_history_total(engine, MINISTER) == 2


def test_the_demo_batches_come_with_the_option_and_pages_are_cut_in_sql(two_loads):
    engine, national, astana = two_loads
    total = queries.load_history_total(engine, MINISTER, include_synthetic=True)
    assert total > 2
    everything = queries.load_history(engine, MINISTER, include_synthetic=True, limit=total)
    assert len(everything) == total and everything["synthetic"].sum() == total - 2
    assert everything["loaded_at"].is_monotonic_decreasing
    page = queries.load_history(engine, MINISTER, include_synthetic=True, limit=5, offset=3)
    assert list(page["code"]) == list(everything["code"].iloc[3:8])
    before = queries.load_history(engine, MINISTER, as_of=dt.datetime(2025, 11, 11, tzinfo=UTC))
    assert list(before["code"]) == [national.batch]


def test_a_region_scoped_viewer_sees_only_batches_of_its_region(two_loads):
    engine, national, astana = two_loads
    assert list(queries.load_history(engine, AKIM_AST)["code"]) == [astana.batch]
    assert queries.load_history_total(engine, AKIM_AST) == 1
    assert queries.load_history(engine, AKIM_ALA).empty and queries.load_history_total(engine, AKIM_ALA) == 0
    assert queries.load_batch(engine, AKIM_AST, code=national.batch) is None  # a forged code: nothing
    assert queries.load_batch(engine, AKIM_AST, sha256=national.sha256) is None
    assert queries.load_batch(engine, AKIM_AST, code=astana.batch)["file_name"] == "астана.csv"


@pytest.mark.parametrize("viewer", [PUBLIC, KIOSK])
def test_public_and_kiosk_see_no_history(two_loads, viewer):
    engine, national, _ = two_loads
    assert not viewer.sees_uploads
    assert queries.load_history(engine, viewer, include_synthetic=True).empty
    assert queries.load_history_total(engine, viewer, include_synthetic=True) == 0
    assert queries.load_batch(engine, viewer, code=national.batch) is None


def test_one_batch_by_code_or_by_the_files_hash(two_loads):
    engine, national, _ = two_loads
    by_code = queries.load_batch(engine, MINISTER, code=national.batch)
    by_hash = queries.load_batch(engine, MINISTER, sha256=national.sha256.upper())
    assert by_code["code"] == by_hash["code"] == national.batch and by_code["stored"] is True
    assert queries.load_batch(engine, MINISTER, code="NOPE") is None
    assert queries.load_batch(engine, MINISTER) is None  # neither code nor hash
    everything = queries.load_history(engine, MINISTER, include_synthetic=True, limit=10)
    demo = everything[everything["synthetic"]].iloc[0]
    assert queries.load_batch(engine, MINISTER, code=demo["code"])["synthetic"]  # lookups include the demo's


@pytest.mark.parametrize("role", ["minister", "akim", "analyst", "project_manager", "kiosk", "public"])
def test_the_history_is_for_the_roles_that_upload(two_loads, role):
    engine, national, _ = two_loads
    sees = role not in ("kiosk", "public")
    assert Viewer(role).sees_uploads is sees
    assert (queries.load_history_total(engine, Viewer(role)) == 2) is sees
