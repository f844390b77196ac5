"""The geography every load needs: a store that has no regions yet (one filled from template files
alone, not from the demo generator) gets the nation ``KZ`` and Kazakhstan's 20 regions first
(docs/import.md, "Regions in an empty store")."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, select

from data_sources.demo import geo, write_regions
from data_sources.settings import today_in_almaty
from data_sources.store import Region


def ensure_regions(conn: Connection, *, today: dt.date | None = None) -> int:
    """When the ``regions`` table is empty, insert the nation and the 20 regions (names in kk/ru/en,
    centres, area, the regions they were carved out of, population by year up to ``today``'s year,
    default today in Asia/Almaty) exactly as the demo does, in the caller's transaction. Returns the
    number of regions inserted (21), or 0 when the store already has regions."""
    if conn.execute(select(Region.id).limit(1)).first() is not None:
        return 0
    regions = geo.regions()
    write_regions(conn, regions, geo.population(regions, today or today_in_almaty()))
    return len(regions)


__all__ = ["ensure_regions"]
