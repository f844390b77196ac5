"""Rendered briefing packs kept in the store (table ``briefing_cache``), so every web worker and host
shares them and a second request for unchanged data costs one indexed read instead of a render.

A pack is kept under its request key (computed by ``services.briefing``: node, region, language,
viewer, days, what the pack is made from) with the store's :class:`Stamp` at the time it was
rendered. :func:`cached_pack` serves a pack only while that stamp is still the store's: one SELECT
by the unique key that compares the row's stamp with the current one in scalar subqueries (the
``data_version`` row of ``store_meta``, the newest ``ledger_verifications`` id, the ledger head),
all read through primary keys. :func:`keep_pack` replaces the key's row and prunes every row whose
stamp is older, so the table holds the packs of the current data only.

Writing a pack never bumps the data version (it is not data) and the content hash leaves the table
out (``admin.NOT_CONTENT_TABLES``). The cache is best effort: a store that cannot be written (a
read-only replica) or has no table yet (not migrated) serves every request by rendering.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from data_sources.store import BriefingPack, LedgerEntry, LedgerVerification, StoreMeta, writing

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stamp:
    """What a pack's figures and integrity lines depend on besides its parameters: the store's data
    version, the newest verification run's id and the ledger head's sequence number (0 when none)."""

    data_version: int
    verification_id: int
    ledger_seq: int


@dataclass(frozen=True)
class CachedPack:
    file_name: str
    content: bytes
    meta: dict
    rendered_at: dt.datetime
    stamp: Stamp


def _current_columns():
    """Scalar subqueries of the store's current stamp (each read through a primary key)."""
    version = (select(StoreMeta.value["version"].as_integer()).where(StoreMeta.key == "data_version")
               .scalar_subquery())
    verification = select(func.max(LedgerVerification.id)).scalar_subquery()
    head = select(func.max(LedgerEntry.seq)).scalar_subquery()
    return func.coalesce(version, 0), func.coalesce(verification, 0), func.coalesce(head, 0)


def current_stamp(engine: Engine) -> Stamp:
    """The store's stamp now (one SELECT)."""
    with engine.connect() as conn:
        version, verification, head = conn.execute(select(*_current_columns())).one()
    return Stamp(int(version), int(verification), int(head))


def cached_pack(engine: Engine, request_key: str) -> CachedPack | None:
    """The pack kept under ``request_key`` when its stamp is the store's current one, else None (also
    when the table cannot be read: the caller renders)."""
    version, verification, head = _current_columns()
    table = BriefingPack.__table__
    statement = select(table.c.file_name, table.c.content, table.c.meta, table.c.rendered_at, table.c.data_version,
                       table.c.verification_id, table.c.ledger_seq).where(
        table.c.request_key == request_key, table.c.data_version == version,
        table.c.verification_id == verification, table.c.ledger_seq == head)
    try:
        with engine.connect() as conn:
            row = conn.execute(statement).first()
    except SQLAlchemyError as error:
        log.warning("briefing cache not readable, rendering instead: %s", error)
        return None
    if row is None:
        return None
    return CachedPack(file_name=row.file_name, content=bytes(row.content), meta=dict(row.meta or {}),
                      rendered_at=row.rendered_at, stamp=Stamp(row.data_version, row.verification_id, row.ledger_seq))


def keep_pack(engine: Engine, request_key: str, stamp: Stamp, *, file_name: str, content: bytes, meta: dict,
              rendered_at: dt.datetime) -> bool:
    """Keep a pack rendered at ``stamp`` under ``request_key``: its previous row and every row with an
    older stamp go, in the same transaction. False when the store could not be written (logged; the
    pack is simply not kept) or another worker kept the same key at the same moment."""
    table = BriefingPack.__table__
    older = or_(table.c.data_version < stamp.data_version, table.c.verification_id < stamp.verification_id,
                table.c.ledger_seq < stamp.ledger_seq)
    try:
        with writing(engine) as conn:
            conn.execute(delete(table).where(or_(table.c.request_key == request_key, older)))
            conn.execute(insert(table).values(
                request_key=request_key, data_version=stamp.data_version, verification_id=stamp.verification_id,
                ledger_seq=stamp.ledger_seq, file_name=file_name, content=content, meta=meta,
                rendered_at=rendered_at))
    except IntegrityError:
        return False  # kept by a concurrent request a moment ago
    except SQLAlchemyError as error:
        log.warning("briefing pack not kept in the store: %s", error)
        return False
    return True


def kept_packs(engine: Engine) -> int:
    """How many packs the store keeps (for tests and ``natije info``-like checks)."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(BriefingPack)).scalar_one())
