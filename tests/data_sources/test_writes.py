"""The observation write path: versions, corrections, counts that add up, loading twice, as-of reads."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select

from data_sources import ledger, queries
from data_sources.store import Indicator, LedgerEntry, LoadBatch, Observation, Region, writing
from data_sources.viewer import Viewer
from data_sources.writes import record_observations

pytestmark = pytest.mark.datalayer

UTC = dt.timezone.utc


def seed_minimal(engine) -> None:
    with writing(engine) as conn:
        conn.execute(Region.__table__.insert(), [
            {"code": "KZ", "level": "country", "name": {"en": "Kazakhstan"}, "name_origin": {}, "centre": {}},
            {"code": "AST", "level": "city", "name": {"en": "Astana"}, "name_origin": {}, "centre": {}},
        ])
        conn.execute(Indicator.__table__.insert(), [{
            "code": "LIFE_EXPECTANCY", "name": {"en": "Life expectancy"}, "name_origin": {}, "unit": "years",
            "direction": "up", "frequency": "Y", "regional": True, "aggregation": "population_weighted_mean",
        }])


def load(engine, rows, code, known_at, quarantined=0):
    with writing(engine) as conn:
        return record_observations(conn, ledger.ledger_writer(conn, "tester"), batch_code=code, source="test",
                                   rows=pd.DataFrame(rows), known_at=known_at, actor="tester",
                                   quarantined=quarantined)


FIRST = [
    {"indicator": "LIFE_EXPECTANCY", "region": "KZ", "period": "2022", "value": 74.44},
    {"indicator": "LIFE_EXPECTANCY", "region": "KZ", "period": "2023", "value": 75.09},
    {"indicator": "LIFE_EXPECTANCY", "region": "AST", "period": "2023", "value": 76.1},
]


def test_first_load_counts_add_up_and_are_ledgered(empty_engine):
    seed_minimal(empty_engine)
    result = load(empty_engine, FIRST, "B1", dt.datetime(2024, 6, 1, tzinfo=UTC), quarantined=2)
    assert (result.rows_read, result.loaded, result.unchanged, result.corrected, result.quarantined) == (5, 3, 0, 0, 2)
    assert result.rows_read == result.loaded + result.unchanged + result.corrected + result.quarantined
    with empty_engine.connect() as conn:
        entry = conn.execute(select(LedgerEntry.__table__).where(LedgerEntry.seq == result.ledger_seq)).one()
        batch = conn.execute(select(LoadBatch.__table__).where(LoadBatch.code == "B1")).one()
    assert entry.kind == "batch.loaded" and result.content_hash in entry.payload
    assert batch.content_hash == result.content_hash and batch.loaded == 3 and batch.quarantined == 2


def test_content_hash_covers_exactly_the_inserted_versions(empty_engine):
    seed_minimal(empty_engine)
    result = load(empty_engine, FIRST, "B1", dt.datetime(2024, 6, 1, tzinfo=UTC))
    expected = ledger.content_hash(sorted(
        ({"indicator": r["indicator"], "region": r["region"], "period": r["period"], "version": 1,
          "value": r["value"], "state": "published"} for r in FIRST),
        key=lambda r: (r["indicator"], r["region"], r["period"], r["version"])))
    assert result.content_hash == expected


def test_loading_the_same_rows_twice_changes_nothing(empty_engine):
    seed_minimal(empty_engine)
    load(empty_engine, FIRST, "B1", dt.datetime(2024, 6, 1, tzinfo=UTC))
    version_before = queries.data_version(empty_engine)
    again = load(empty_engine, FIRST, "B2", dt.datetime(2024, 7, 1, tzinfo=UTC))
    assert (again.loaded, again.unchanged, again.corrected) == (0, 3, 0)
    with empty_engine.connect() as conn:
        assert len(conn.execute(select(Observation.id)).all()) == 3
    assert queries.data_version(empty_engine) == version_before + 1  # the batch itself is recorded


def test_a_new_value_is_a_correction_and_as_of_shows_what_was_known(empty_engine):
    seed_minimal(empty_engine)
    load(empty_engine, FIRST, "B1", dt.datetime(2024, 6, 1, tzinfo=UTC))
    fix = [{"indicator": "LIFE_EXPECTANCY", "region": "KZ", "period": "2023", "value": 75.2}]
    result = load(empty_engine, fix, "B2", dt.datetime(2024, 9, 1, tzinfo=UTC))
    assert (result.loaded, result.unchanged, result.corrected) == (0, 0, 1)
    viewer = Viewer()
    now = queries.series(empty_engine, viewer, ["life_expectancy"])
    assert now.set_index("period")["value"].to_dict() == {"2022": 74.44, "2023": 75.2}
    assert now.set_index("period")["version"]["2023"] == 2
    before = queries.series(empty_engine, viewer, ["LIFE_EXPECTANCY"], as_of=dt.datetime(2024, 8, 1, tzinfo=UTC))
    assert before.set_index("period")["value"].to_dict() == {"2022": 74.44, "2023": 75.09}
    nothing = queries.series(empty_engine, viewer, ["LIFE_EXPECTANCY"], as_of=dt.datetime(2024, 1, 1, tzinfo=UTC))
    assert nothing.empty
    with empty_engine.connect() as conn:
        kinds = [k for (k,) in conn.execute(select(LedgerEntry.kind).order_by(LedgerEntry.seq))]
    assert kinds == ["batch.loaded", "observation.corrected", "batch.loaded"]


def test_public_sees_the_last_published_value_not_a_draft(empty_engine):
    seed_minimal(empty_engine)
    load(empty_engine, FIRST, "B1", dt.datetime(2024, 6, 1, tzinfo=UTC))
    draft = [{"indicator": "LIFE_EXPECTANCY", "region": "KZ", "period": "2023", "value": 75.5, "state": "draft"},
             {"indicator": "LIFE_EXPECTANCY", "region": "KZ", "period": "2024", "value": 75.44, "state": "draft"}]
    load(empty_engine, draft, "B2", dt.datetime(2025, 3, 1, tzinfo=UTC))
    minister = queries.series(empty_engine, Viewer("minister"), ["LIFE_EXPECTANCY"]).set_index("period")
    public = queries.series(empty_engine, Viewer("public"), ["LIFE_EXPECTANCY"]).set_index("period")
    assert minister["value"].to_dict() == {"2022": 74.44, "2023": 75.5, "2024": 75.44}
    assert public["value"].to_dict() == {"2022": 74.44, "2023": 75.09}
    public_then = queries.series(empty_engine, Viewer("public"), ["LIFE_EXPECTANCY"],
                                 as_of=dt.datetime(2025, 12, 1, tzinfo=UTC)).set_index("period")
    assert public_then["value"].to_dict() == {"2022": 74.44, "2023": 75.09}


def test_unknown_codes_are_refused_not_guessed(empty_engine):
    seed_minimal(empty_engine)
    with pytest.raises(ValueError, match="unknown indicator or region"):
        load(empty_engine, [{"indicator": "NOPE", "region": "KZ", "period": "2023", "value": 1.0}], "B1",
             dt.datetime(2024, 6, 1, tzinfo=UTC))
