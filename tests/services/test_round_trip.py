"""Round trip of the data API's CSV (docs/api.md, docs/import.md): every current observation exported
as the API serves it (``/api/v1/indicators/<code>/observations?region=ALL&format=csv``, one file per
indicator) loads with ``load_file`` into a store holding the same indicators, nodes and regions but no
observations, and the current values come back identical, to the last bit.

The export is the ``public`` role's (published values only: drafts are not exported to the public),
so the comparison is with the source's published values; loaded back they are published versions 1.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from data_sources import queries
from data_sources.loaders.run import load_file
from data_sources.settings import load_settings
from data_sources.store import Indicator, LoadBatch, Observation, ObservationCurrent, Region
from services import api
from services.context import make_context

pytestmark = pytest.mark.datalayer


def current_values(engine, *, published: bool) -> dict[tuple[str, str, str], float]:
    """(indicator, region, period) -> the current value (or the published one), from the summary table."""
    value = ObservationCurrent.published_value if published else ObservationCurrent.value
    with engine.connect() as conn:
        return {(indicator, region, period): figure for indicator, region, period, figure in conn.execute(
            select(Indicator.code, Region.code, ObservationCurrent.period, value)
            .join(Indicator, Indicator.id == ObservationCurrent.indicator_id)
            .join(Region, Region.id == ObservationCurrent.region_id)
            .where(value.is_not(None)))}


def test_every_current_observation_exported_as_csv_loads_back_identical(database_url, demo_engine, tmp_path):
    public = load_settings({"NATIJE_DATABASE_URL": database_url, "NATIJE_VIEWER_ROLE": "public"})
    ctx = make_context(demo_engine, public, lang="en")
    published = current_values(demo_engine, published=True)
    exported: dict[str, int] = {}
    for code in queries.indicators(demo_engine)["code"]:
        frame = api.observations(ctx, code, region=api.ALL_REGIONS)
        if not frame.empty:
            (tmp_path / f"{code}.csv").write_bytes(api.to_csv(frame, api.OBSERVATION_COLUMNS).encode("utf-8"))
            exported[code] = len(frame)
    assert sum(exported.values()) == len(published) > 0

    with demo_engine.begin() as conn:  # the target: the same plan and regions, no observation at all
        for table in (ObservationCurrent, Observation, LoadBatch):
            conn.execute(delete(table))
    assert current_values(demo_engine, published=False) == {}

    for code, rows in exported.items():
        report = load_file(demo_engine, tmp_path / f"{code}.csv", actor="round-trip")
        assert (report.status, report.rows_read, report.loaded) == ("loaded", rows, rows), (code, report.problems[:3])
    assert current_values(demo_engine, published=False) == published
    assert current_values(demo_engine, published=True) == published
