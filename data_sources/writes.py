"""The one write path for indicator values: a load batch of observations.

Used by the demo generator and every loader, so versions, the summary table, the data version and
the ledger are kept the same way whoever writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import pandas as pd
from sqlalchemy import Connection, bindparam, select

from data_sources.ledger import LedgerWriter, content_hash
from data_sources.periods import period_start
from data_sources.store import (
    Indicator,
    LoadBatch,
    Observation,
    ObservationCurrent,
    Region,
    bump_data_version,
)

#: Two values closer than this (relative) are the same figure.
SAME_VALUE_TOLERANCE = 1e-9
#: Rows per INSERT statement (and per progress report).
WRITE_CHUNK = 5000


@dataclass(frozen=True)
class BatchResult:
    """Counts of one batch: ``rows_read = loaded + unchanged + corrected + quarantined``."""

    batch: str
    rows_read: int
    loaded: int
    unchanged: int
    corrected: int
    quarantined: int
    content_hash: str
    ledger_seq: int


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= SAME_VALUE_TOLERANCE * max(1.0, abs(a), abs(b))


def open_batch(conn: Connection, *, batch_code: str, source: str, actor: str, known_at: dt.datetime,
               synthetic: bool = False, file_name: str | None = None, file_sha256: str | None = None,
               templates: str | None = None) -> int:
    """Insert a load batch (its counts are filled by :func:`close_batch`) and return its id."""
    return conn.execute(
        LoadBatch.__table__.insert().values(
            code=batch_code, source=source, actor=actor, loaded_at=known_at, synthetic=synthetic,
            file_name=file_name, file_sha256=file_sha256, templates=templates,
        ).returning(LoadBatch.__table__.c.id)
    ).scalar_one()


@dataclass(frozen=True)
class ObservationCounts:
    """What :func:`write_observations` did with the rows it was given."""

    loaded: int
    unchanged: int
    corrected: int


def write_observations(
    conn: Connection,
    ledger: LedgerWriter,
    *,
    batch_id: int,
    batch_code: str,
    rows: pd.DataFrame,
    known_at: dt.datetime,
    actor: str,
    synthetic: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ObservationCounts:
    """Write good rows (columns ``indicator``, ``region``, ``period``, ``value``, optional ``state`` and
    ``comment``) as versions of batch ``batch_id``, in the caller's write transaction.

    Each row is new (version 1: *loaded*), equal to the current version (*unchanged*: nothing is
    written) or different (*corrected*: version + 1, recorded as ``observation.corrected``).
    ``progress`` is called with the number of rows written so far, chunk by chunk."""
    indicators = dict(conn.execute(select(Indicator.code, Indicator.id)).all())
    regions = dict(conn.execute(select(Region.code, Region.id)).all())
    frame = rows.copy()
    if "state" not in frame:
        frame["state"] = "published"
    if "comment" not in frame:
        frame["comment"] = None
    # A missing comment is NULL on every backend (pandas may hold it as NaN, which PostgreSQL would
    # store as the text 'NaN').
    frame["comment"] = frame["comment"].astype(object).where(frame["comment"].notna(), None)
    frame["indicator_id"] = frame["indicator"].map(indicators)
    frame["region_id"] = frame["region"].map(regions)
    if frame["indicator_id"].isna().any() or frame["region_id"].isna().any():
        raise ValueError("write_observations takes validated rows: unknown indicator or region code")
    frame["period_start"] = frame["period"].map(period_start)

    current_table = ObservationCurrent.__table__
    current: dict[tuple[int, int, dt.date], tuple[float, int, str]] = {}
    ids = sorted({int(i) for i in frame["indicator_id"]})
    # Only the batch's period range: a batch of one month must not read the indicators' whole history.
    first, last = (min(frame["period_start"]), max(frame["period_start"])) if len(frame) else (None, None)
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start:chunk_start + 500]
        for r in conn.execute(
            select(current_table.c.indicator_id, current_table.c.region_id, current_table.c.period_start,
                   current_table.c.value, current_table.c.version, current_table.c.state)
            .where(current_table.c.indicator_id.in_(chunk))
            .where(current_table.c.period_start.between(first, last))
        ):
            current[(r.indicator_id, r.region_id, r.period_start)] = (r.value, r.version, r.state)

    inserts: list[dict] = []
    new_current: list[dict] = []
    changed_current: list[dict] = []
    corrections: list[dict] = []
    unchanged = 0
    for row in frame.itertuples(index=False):
        key = (int(row.indicator_id), int(row.region_id), row.period_start)
        value = float(row.value)
        before = current.get(key)
        if before is not None and _same(before[0], value) and before[2] == row.state:
            unchanged += 1
            continue
        version = 1 if before is None else before[1] + 1
        inserts.append({
            "indicator_id": key[0], "region_id": key[1], "period": row.period, "period_start": key[2],
            "version": version, "value": value, "state": row.state, "known_at": known_at,
            "batch_id": batch_id, "comment": row.comment, "synthetic": synthetic,
        })
        summary = {
            "k_indicator": key[0], "k_region": key[1], "k_period_start": key[2], "period": row.period,
            "value": value, "version": version, "state": row.state, "known_at": known_at,
            "published_value": value if row.state == "published" else None,
            "published_version": version if row.state == "published" else None,
        }
        if before is None:
            new_current.append(summary)
        else:
            changed_current.append(summary)
            corrections.append({
                "indicator": row.indicator, "region": row.region, "period": row.period,
                "old_value": before[0], "new_value": value, "version": version, "batch": batch_code,
            })
        current[key] = (value, version, row.state)

    written = 0
    for start in range(0, len(inserts), WRITE_CHUNK):
        conn.execute(Observation.__table__.insert(), inserts[start:start + WRITE_CHUNK])
        written += len(inserts[start:start + WRITE_CHUNK])
        if progress is not None:
            progress(written)
    for start in range(0, len(new_current), WRITE_CHUNK):
        conn.execute(current_table.insert(), [
            {"indicator_id": r["k_indicator"], "region_id": r["k_region"], "period_start": r["k_period_start"],
             **{k: r[k] for k in ("period", "value", "version", "state", "known_at",
                                  "published_value", "published_version")}}
            for r in new_current[start:start + WRITE_CHUNK]
        ])
    if changed_current:
        published = [r for r in changed_current if r["state"] == "published"]
        drafts = [r for r in changed_current if r["state"] != "published"]
        key_match = ((current_table.c.indicator_id == bindparam("k_indicator"))
                     & (current_table.c.region_id == bindparam("k_region"))
                     & (current_table.c.period_start == bindparam("k_period_start")))
        if published:
            conn.execute(current_table.update().where(key_match).values(
                value=bindparam("value"), version=bindparam("version"), state=bindparam("state"),
                known_at=bindparam("known_at"), published_value=bindparam("published_value"),
                published_version=bindparam("published_version")), published)
        if drafts:  # a draft correction leaves the published figure as it was
            conn.execute(current_table.update().where(key_match).values(
                value=bindparam("value"), version=bindparam("version"), state=bindparam("state"),
                known_at=bindparam("known_at")),
                [{k: v for k, v in r.items() if not k.startswith("published_")} for r in drafts])
    ledger.append_many("observation.corrected", corrections, actor=actor)
    return ObservationCounts(loaded=len(new_current), unchanged=unchanged, corrected=len(corrections))


def batch_versions(conn: Connection, batch_id: int) -> list[dict]:
    """The observation versions a batch inserted, as its content hash covers them (docs/ledger.md)."""
    o = Observation.__table__
    versions = [
        {"indicator": r.indicator, "region": r.region, "period": r.period, "version": r.version,
         "value": r.value, "state": r.state}
        for r in conn.execute(
            select(Indicator.code.label("indicator"), Region.code.label("region"), o.c.period, o.c.version,
                   o.c.value, o.c.state)
            .join(Indicator, Indicator.id == o.c.indicator_id).join(Region, Region.id == o.c.region_id)
            .where(o.c.batch_id == batch_id))
    ]
    # Sorted here, not in SQL: PostgreSQL's collation would order codes differently from SQLite's.
    return sorted(versions, key=lambda r: (r["indicator"], r["region"], r["period"], r["version"]))


def close_batch(conn: Connection, ledger: LedgerWriter, *, batch_id: int, batch_code: str, source: str,
                actor: str, rows_read: int, loaded: int, unchanged: int, corrected: int, quarantined: int,
                extra: dict | None = None, report: dict | None = None) -> BatchResult:
    """Fill a batch's counts and content hash, append its ``batch.loaded`` entry (with ``extra``
    fields, e.g. the file's name and SHA-256) and bump the data version."""
    if rows_read != loaded + unchanged + corrected + quarantined:
        raise ValueError(f"counts do not add up: {rows_read} != {loaded}+{unchanged}+{corrected}+{quarantined}")
    digest = content_hash(batch_versions(conn, batch_id))
    counts = {"rows_read": rows_read, "loaded": loaded, "unchanged": unchanged, "corrected": corrected,
              "quarantined": quarantined}
    entry = ledger.append("batch.loaded", {"batch": batch_code, "source": source, "content_hash": digest,
                                           **counts, **(extra or {})}, actor=actor)
    conn.execute(LoadBatch.__table__.update().where(LoadBatch.__table__.c.id == batch_id).values(
        content_hash=digest, ledger_seq=entry.seq, report=report, **counts))
    bump_data_version(conn)
    return BatchResult(batch=batch_code, content_hash=digest, ledger_seq=entry.seq, **counts)


def record_observations(
    conn: Connection,
    ledger: LedgerWriter,
    *,
    batch_code: str,
    source: str,
    rows: pd.DataFrame,
    known_at: dt.datetime,
    actor: str,
    quarantined: int = 0,
    synthetic: bool = False,
) -> BatchResult:
    """One batch of good rows, opened, written and closed (:func:`open_batch`,
    :func:`write_observations`, :func:`close_batch`) in the caller's write transaction. The batch is
    recorded as ``batch.loaded`` with the content hash of the versions it inserted."""
    batch_id = open_batch(conn, batch_code=batch_code, source=source, actor=actor, known_at=known_at,
                          synthetic=synthetic)
    counts = write_observations(conn, ledger, batch_id=batch_id, batch_code=batch_code, rows=rows,
                                known_at=known_at, actor=actor, synthetic=synthetic)
    return close_batch(conn, ledger, batch_id=batch_id, batch_code=batch_code, source=source, actor=actor,
                       rows_read=len(rows) + quarantined, loaded=counts.loaded, unchanged=counts.unchanged,
                       corrected=counts.corrected, quarantined=quarantined)
