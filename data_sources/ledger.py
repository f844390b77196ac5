"""The responsibility ledger core: an append-only, hash-chained record (docs/ledger.md).

An entry is ``{"seq", "time", "actor", "kind", "payload", "prev"}``:

* ``seq`` counts from 1; ``prev`` is the previous entry's hash (genesis: 64 zeros);
* ``time`` is RFC 3339 UTC with microseconds and ``Z``;
* ``payload`` is an object whose numbers are decimal strings (``repr`` of the int or float), dates
  ISO strings;
* the entry's hash is the lowercase hex SHA-256 of
  ``json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` as UTF-8 — RFC 8785
  canonical JSON, since every key is ASCII and every payload number is a string.

Appends happen in the transaction of the change they record, under a lock on the chain head
(SQLite: the writer's ``BEGIN IMMEDIATE``; PostgreSQL: ``SELECT ... FOR UPDATE`` on the head row),
and ``prev`` is unique, so concurrent writers cannot fork the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from json.encoder import encode_basestring as json_string  # the string form json.dumps(ensure_ascii=False) writes
from typing import Any, Iterable, Mapping

from sqlalchemy import Connection, select

from data_sources.store import LedgerEntry, StoreMeta

GENESIS = "0" * 64

KINDS = (
    "responsibility.assigned",
    "responsibility.ended",
    "target.set",
    "batch.loaded",
    "observation.corrected",
    "instruction.issued",
    "instruction.status",
    "commentary.set",
    "approval",
)


def canonical_value(value: Any) -> Any:
    """Payload values made canonical: numbers -> decimal strings, dates -> ISO, containers recursed."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): canonical_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical_value(v) for v in value]
    raise TypeError(f"ledger payloads hold strings, numbers, dates, lists and objects, not {type(value).__name__}")


def canonical_json(obj: Any) -> str:
    """The one serialisation that is hashed (RFC 8785 for ASCII keys and string numbers)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def rfc3339(moment: dt.datetime) -> str:
    """``2025-11-15T08:30:00.000000Z`` (UTC, microseconds)."""
    if moment.tzinfo is None:
        raise ValueError("ledger times must be timezone-aware")
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(entry: Mapping[str, Any]) -> str:
    """SHA-256 (lowercase hex) of the canonical JSON of a whole entry."""
    return hashlib.sha256(canonical_json(entry).encode("utf-8")).hexdigest()


def content_hash(rows: Iterable[Mapping[str, Any]]) -> str:
    """SHA-256 of the canonical JSON list of rows (each made canonical), in the given order.

    Used for ``batch.loaded``: the rows are the observation versions the batch inserted, as
    ``{"indicator", "region", "period", "version", "value", "state"}`` sorted by
    (indicator, region, period, version)."""
    return hashlib.sha256(canonical_json([canonical_value(r) for r in rows]).encode("utf-8")).hexdigest()


def text_sha256(text: Mapping[str, Any]) -> str:
    """``text_sha256`` of a ``commentary.set`` payload: SHA-256 (lowercase hex) of the canonical JSON of
    the per-locale text object as stored."""
    return hashlib.sha256(canonical_json(dict(text)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Appended:
    """What an append produced: the entry's sequence number and hash."""

    seq: int
    hash: str


class LedgerWriter:
    """Appends entries within one write transaction, holding the chain-head lock.

    Build it with :func:`ledger_writer` inside ``store.writing(engine)``; the head is read once under
    the lock and then carried forward, so many appends in one transaction cost one query each.
    """

    def __init__(self, conn: Connection, actor: str) -> None:
        self._conn = conn
        self._actor = actor
        meta = StoreMeta.__table__
        # The lock: PostgreSQL row lock on the head row; SQLite already holds the write lock.
        conn.execute(select(meta.c.value).where(meta.c.key == "ledger_head").with_for_update()).one_or_none()
        ledger = LedgerEntry.__table__
        head = conn.execute(select(ledger.c.seq, ledger.c.hash).order_by(ledger.c.seq.desc()).limit(1)).one_or_none()
        self._seq, self._hash = (head.seq, head.hash) if head else (0, GENESIS)

    def append(self, kind: str, payload: Mapping[str, Any], *, at: dt.datetime | None = None,
               actor: str | None = None) -> Appended:
        """Append one entry recording ``kind`` with ``payload``; returns its seq and hash."""
        if kind not in KINDS:
            raise ValueError(f"unknown ledger kind {kind!r}")
        body = canonical_value(dict(payload))
        entry = {
            "seq": self._seq + 1,
            "time": rfc3339(at or dt.datetime.now(dt.timezone.utc)),
            "actor": actor or self._actor,
            "kind": kind,
            "payload": body,
            "prev": self._hash,
        }
        digest = entry_hash(entry)
        self._conn.execute(
            LedgerEntry.__table__.insert().values(
                seq=entry["seq"], time=entry["time"], actor=entry["actor"], kind=kind,
                payload=canonical_json(body), prev=entry["prev"], hash=digest,
            )
        )
        self._seq, self._hash = entry["seq"], digest
        return Appended(self._seq, digest)

    def append_many(self, kind: str, payloads: Iterable[Mapping[str, Any]], *, at: dt.datetime | None = None,
                    actor: str | None = None) -> list[Appended]:
        """Append one entry per payload, chained in order, in one multi-row INSERT (the same entries
        :meth:`append` would write one by one)."""
        if kind not in KINDS:
            raise ValueError(f"unknown ledger kind {kind!r}")
        time = rfc3339(at or dt.datetime.now(dt.timezone.utc))
        rows, appended = [], []
        for payload in payloads:
            body = canonical_value(dict(payload))
            entry = {"seq": self._seq + 1, "time": time, "actor": actor or self._actor, "kind": kind,
                     "payload": body, "prev": self._hash}
            digest = entry_hash(entry)
            rows.append({**entry, "payload": canonical_json(body), "hash": digest})
            self._seq, self._hash = entry["seq"], digest
            appended.append(Appended(self._seq, digest))
        for start in range(0, len(rows), 5000):
            self._conn.execute(LedgerEntry.__table__.insert(), rows[start:start + 5000])
        return appended

    @property
    def head(self) -> Appended:
        return Appended(self._seq, self._hash)


def ledger_writer(conn: Connection, actor: str) -> LedgerWriter:
    """A writer for the caller's write transaction (see ``store.writing``)."""
    return LedgerWriter(conn, actor)


def stored_entry_text(seq: int, time: str, actor: str, kind: str, payload: str, prev: str) -> str:
    """The canonical JSON of a stored entry assembled from its columns, without a JSON round trip.

    Keys in sorted order (actor, kind, payload, prev, seq, time); ``payload`` is the stored canonical
    text as is. Equal to ``canonical_json(stored_entry(row))`` whenever the stored payload is canonical
    (it always is as written by :class:`LedgerWriter`; a verifier treats any difference as tampering)."""
    return ('{"actor":' + json_string(actor) + ',"kind":' + json_string(kind) + ',"payload":' + payload
            + ',"prev":' + json_string(prev) + ',"seq":' + str(seq) + ',"time":' + json_string(time) + '}')


def stored_entry(row: Mapping[str, Any]) -> dict[str, Any]:
    """Rebuild the hashed entry from a stored ledger row (for verification)."""
    return {
        "seq": row["seq"], "time": row["time"], "actor": row["actor"], "kind": row["kind"],
        "payload": json.loads(row["payload"]), "prev": row["prev"],
    }
