"""Verification of the responsibility ledger: ``natije ledger verify`` (docs/ledger.md, "Verification").

In one read-only snapshot of the store (PostgreSQL: REPEATABLE READ; SQLite: one read transaction),
streamed with SQLAlchemy Core:

1. **the chain** — every entry's hash recomputed (SHA-256 of its canonical JSON, assembled from the
   stored columns: :func:`~data_sources.ledger.stored_entry_text`), ``seq`` contiguous from 1 and each
   ``prev`` the previous entry's hash (the first one's: ``GENESIS``);
2. **the checkpoints** — every ``*.checkpoint`` file's signature verifies with a trusted key, its
   size is at most the ledger's and the entry at ``seq = size`` carries its head hash;
3. **the covered rows** — each ``batch.loaded`` entry's ``content_hash`` recomputed from the
   observation versions of its batch, and the batch, target, responsibility and commentary rows equal
   to the entries that recorded them; rows that no entry records.

Every problem names the entry (``seq``) or checkpoint file it concerns; the one earliest in the chain
is the verdict (``problem``, ``first_bad_seq``). Each run is recorded in ``ledger_verifications``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import time as clock
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import Connection, Engine, and_, case, exists, func, or_, select
from sqlalchemy.sql import ColumnElement, FromClause

from data_sources.checkpoints import (
    PUBLIC_KEY_META,
    CheckpointError,
    VerifierKey,
    checkpoint_files,
    read_checkpoint,
    read_verifier_key_file,
)
from data_sources.ledger import GENESIS, KINDS, canonical_json, json_string, stored_entry_text, text_sha256
from data_sources.store import (
    Goal,
    GoalCommentary,
    Indicator,
    LedgerEntry,
    LedgerVerification,
    LoadBatch,
    Node,
    Observation,
    ObservationCurrent,
    Official,
    Region,
    Responsibility,
    StoreMeta,
    Target,
    writing,
)

#: Rows fetched per round trip while streaming (a server-side cursor on PostgreSQL).
STREAM_ROWS = 5000
#: Problems kept in a run's record (all are counted).
KEPT_PROBLEMS = 50

#: Problem codes (docs/ledger.md lists them with examples) and where they sort: the chain first, then
#: the checkpoints, then the covered rows.
CHAIN, CHECKPOINTS, COVERAGE = 0, 1, 2
PROBLEM_CODES = {
    "seq_gap": CHAIN,
    "hash_mismatch": CHAIN,
    "prev_mismatch": CHAIN,
    "payload_invalid": CHAIN,
    "payload_not_canonical": CHAIN,
    "unknown_kind": CHAIN,
    "checkpoint_malformed": CHECKPOINTS,
    "checkpoint_unknown_key": CHECKPOINTS,
    "checkpoint_bad_signature": CHECKPOINTS,
    "checkpoint_origin_mismatch": CHECKPOINTS,
    "checkpoint_beyond_head": CHECKPOINTS,
    "checkpoint_head_mismatch": CHECKPOINTS,
    "public_key_mismatch": CHECKPOINTS,
    "content_hash_mismatch": COVERAGE,
    "covered_row_changed": COVERAGE,
    "covered_row_missing": COVERAGE,
    "uncovered_row": COVERAGE,
    "summary_mismatch": COVERAGE,
}
#: Entry kinds that record a row, and the table holding it.
COVERING_KINDS = {
    "batch.loaded": "load_batches",
    "target.set": "targets",
    "responsibility.assigned": "responsibilities",
    "commentary.set": "goal_commentary",
}


@dataclass(frozen=True)
class Problem:
    """One thing found wrong. ``position`` orders problems along the chain (the entry concerned, a
    checkpoint's size; ``inf`` when the problem has no place in it)."""

    code: str
    message: str
    seq: int | None = None
    checkpoint: str | None = None
    position: float = math.inf

    def as_dict(self) -> dict:
        return {"code": self.code, "seq": self.seq, "checkpoint": self.checkpoint, "message": self.message}

    @property
    def order(self) -> tuple:
        return (self.position, PROBLEM_CODES[self.code])


@dataclass
class Verification:
    """The outcome of one run; :meth:`record` gives the ``ledger_verifications`` row."""

    verified_at: dt.datetime
    actor: str
    entries: int = 0
    head_seq: int | None = None
    head_hash: str | None = None
    covered_rows: int = 0
    checkpoints: int = 0
    seconds: float = 0.0
    chain_seconds: float = 0.0
    coverage_seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        """The verdict: the problem earliest in the chain (chain before checkpoints before rows)."""
        return min(self.problems, key=lambda p: p.order) if self.problems else None

    @property
    def message(self) -> str:
        """One line: what was verified, or the first problem."""
        if self.ok:
            head = f"head {self.head_seq} {self.head_hash[:16]}…" if self.head_seq else "empty"
            return (f"ledger verified: {self.entries:,} entries ({head}), {self.covered_rows:,} covered rows, "
                    f"{self.checkpoints} checkpoint{'s' if self.checkpoints != 1 else ''}")
        first = self.first
        where = (f"entry {first.seq}" if first.seq is not None and first.checkpoint is None
                 else f"checkpoint {first.checkpoint}" if first.checkpoint else "ledger")
        more = len(self.problems) - 1
        return (f"ledger NOT verified: {where}: {first.code}: {first.message}"
                + (f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""))

    def record(self) -> dict:
        """The ``ledger_verifications`` columns of this run."""
        first = self.first
        return {
            "id": self.id, "verified_at": self.verified_at, "entries": self.entries, "head_seq": self.head_seq,
            "head_hash": self.head_hash, "ok": self.ok, "problem": first.code if first else None,
            "first_bad_seq": first.seq if first else None,
            "detail": {
                "message": self.message,
                "problems": [p.as_dict() for p in sorted(self.problems, key=lambda p: p.order)[:KEPT_PROBLEMS]],
                "problem_count": len(self.problems),
                "chain_seconds": round(self.chain_seconds, 4),
                "coverage_seconds": round(self.coverage_seconds, 4),
            },
            "covered_rows": self.covered_rows, "checkpoints": self.checkpoints,
            "seconds": round(self.seconds, 4), "actor": self.actor,
        }


def _short(value: str | None) -> str:
    return "null" if value is None else f"{value[:16]}…" if len(value) > 16 else value


def _as_number(text: Any) -> float | None:
    """A payload's decimal string as a number (None when it is not one)."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def batch_content_hashes(conn: Connection) -> tuple[dict[int, str], int]:
    """The content hash of every batch's observation versions by batch id, and the number of versions.

    Streams the versions in batch order and assembles each version's canonical JSON from strings:
    the same bytes :func:`data_sources.ledger.content_hash` hashes for
    :func:`data_sources.writes.batch_versions`, without building dicts. A batch without versions is
    absent (its hash is that of ``[]``)."""
    indicators = dict(conn.execute(select(Indicator.id, Indicator.code)).all())
    regions = dict(conn.execute(select(Region.id, Region.code)).all())
    # Sort ranks: ordering by rank is ordering by code, without comparing strings per row.
    indicator_rank = {i: n for n, i in enumerate(sorted(indicators, key=indicators.get))}
    region_rank = {i: n for n, i in enumerate(sorted(regions, key=regions.get))}
    indicator_json = {i: json_string(c) for i, c in indicators.items()}
    region_json = {i: json_string(c) for i, c in regions.items()}
    strings: dict[str, str] = {}
    o = Observation.__table__
    rows = conn.execute(select(o.c.batch_id, o.c.indicator_id, o.c.region_id, o.c.period, o.c.version,
                               o.c.value, o.c.state).order_by(o.c.batch_id))
    digests: dict[int, str] = {}

    def close(batch: int, items: list[tuple[tuple, str]]) -> None:
        items.sort()
        digests[batch] = hashlib.sha256(("[" + ",".join([t for _, t in items]) + "]").encode("utf-8")).hexdigest()

    batch, items, count = None, [], 0
    for batch_id, indicator, region, period, version, value, state in rows:
        if batch_id != batch:
            if batch is not None:
                close(batch, items)
            batch, items = batch_id, []
        count += 1
        period_json = strings.get(period) or strings.setdefault(period, json_string(period))
        state_json = strings.get(state) or strings.setdefault(state, json_string(state))
        items.append(((indicator_rank[indicator], region_rank[region], period, version),
                      f'{{"indicator":{indicator_json[indicator]},"period":{period_json},'
                      f'"region":{region_json[region]},"state":{state_json},"value":"{value!r}",'
                      f'"version":"{version!r}"}}'))
    if batch is not None:
        close(batch, items)
    return digests, count


@dataclass
class _Checkpoints:
    """The checkpoint files whose signatures verified, by size: ``[(file name, head hash)]``."""

    by_size: dict[int, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    compared: set[int] = field(default_factory=set)
    files: int = 0


@dataclass
class _Chain:
    """What the chain pass keeps for the coverage pass: the payloads of covering entries by seq."""

    kinds: dict[int, str] = field(default_factory=dict)  # seq -> kind, every entry
    covering: dict[str, dict[int, dict]] = field(default_factory=lambda: {k: {} for k in COVERING_KINDS})
    ended: list[tuple[int, dict]] = field(default_factory=list)  # responsibility.ended (seq, payload)


class _Verifier:
    def __init__(self, conn: Connection, result: Verification) -> None:
        self.conn = conn
        self.result = result

    def problem(self, code: str, message: str, *, seq: int | None = None, checkpoint: str | None = None,
                position: float | None = None) -> None:
        if position is None:
            position = seq if seq is not None else math.inf
        self.result.problems.append(Problem(code, message, seq, checkpoint, position))

    # -- keys and checkpoints ------------------------------------------------------------------

    def trusted_keys(self, ledger_key: Path | None, extra: Iterable[VerifierKey]) -> list[VerifierKey]:
        """The store's current and retired keys, the key file beside ``ledger_key`` and ``extra``."""
        stored = self.conn.execute(select(StoreMeta.value).where(StoreMeta.key == PUBLIC_KEY_META)).scalar_one_or_none()
        keys: list[VerifierKey] = list(extra)
        current = None
        for position, entry in enumerate([stored or {}] + list((stored or {}).get("retired", []))):
            if not entry.get("verifier_key"):
                continue
            try:
                key = VerifierKey.parse(entry["verifier_key"])
            except CheckpointError as exc:
                self.problem("public_key_mismatch", f"the store's ledger_public_key is unreadable: {exc}")
                continue
            keys.append(key)
            if position == 0:
                current = key
        try:
            on_file = read_verifier_key_file(ledger_key) if ledger_key else None
        except CheckpointError as exc:
            self.problem("public_key_mismatch", f"the public key file beside {ledger_key} is unreadable: {exc}")
            on_file = None
        if on_file is not None:
            keys.append(on_file)
            if current is not None and current != on_file:
                self.problem("public_key_mismatch", f"the store's public key {current.text} is not the key "
                                                    f"beside the private key ({on_file.text})")
        return keys

    def load_checkpoints(self, directory: Path, keys: list[VerifierKey]) -> _Checkpoints:
        found = _Checkpoints()
        known = {(k.name, k.key_id): k for k in keys}
        for path in checkpoint_files(directory):
            found.files += 1
            try:
                parsed = read_checkpoint(path)
            except (OSError, CheckpointError) as exc:
                self.problem("checkpoint_malformed", f"{path} cannot be read as a checkpoint: {exc}",
                             checkpoint=path.name)
                continue
            signers, bad = [], []
            for name, identifier, signature in parsed.signatures:
                key = known.get((name, identifier))
                if key is not None:
                    (signers if key.verifies(parsed.text.encode("utf-8"), signature) else bad).append(name)
            if bad:
                self.problem("checkpoint_bad_signature", f"the signature of {bad[0]} on {path} does not verify "
                             "(the file was changed after signing)", checkpoint=path.name)
            elif not signers:
                names = ", ".join(sorted({s[0] for s in parsed.signatures}))
                self.problem("checkpoint_unknown_key", f"{path} is signed by no trusted key (signed by {names}; "
                             f"trusted: {', '.join(k.text for k in keys) or 'none'})", checkpoint=path.name)
            elif parsed.origin not in signers:
                self.problem("checkpoint_origin_mismatch", f"{path}: origin {parsed.origin!r} is not the name "
                             f"of the key that signed it ({signers[0]})", checkpoint=path.name)
            else:
                found.by_size[parsed.size].append((path.name, parsed.head_hash))
        return found

    def check_checkpoint(self, found: _Checkpoints, size: int, head_hash: str) -> None:
        """Compare the checkpoints of ``size`` with the stored hash of entry ``size``."""
        found.compared.add(size)
        for name, expected in found.by_size[size]:
            if expected != head_hash:
                self.problem("checkpoint_head_mismatch",
                             f"the chain up to entry {size} was rewritten: {name} signed head {_short(expected)} "
                             f"for size {size}, the ledger has {_short(head_hash)}", checkpoint=name, position=size)

    def finish_checkpoints(self, found: _Checkpoints, head_seq: int) -> None:
        for size, files in sorted(found.by_size.items()):
            if size in found.compared:
                continue
            for name, expected in files:
                if size == 0:
                    if expected != GENESIS:
                        self.problem("checkpoint_head_mismatch", f"{name} signed head {_short(expected)} for an "
                                     "empty ledger", checkpoint=name, position=0)
                elif size > head_seq:
                    self.problem("checkpoint_beyond_head",
                                 f"{name} signed {size:,} entries but the ledger ends at entry {head_seq:,}: "
                                 f"entries {head_seq + 1}–{size} were removed (the tail was cut)",
                                 checkpoint=name, position=head_seq + 1)
                else:
                    self.problem("checkpoint_head_mismatch", f"{name} signed entry {size}, which is missing",
                                 checkpoint=name, position=size)

    # -- the chain -----------------------------------------------------------------------------

    def chain(self, checkpoints: _Checkpoints) -> _Chain:
        """Stream the entries in ``seq`` order: hashes, links, payloads, the checkpoints' heads."""
        kept = _Chain()
        ledger = LedgerEntry.__table__
        rows = self.conn.execute(select(ledger.c.seq, ledger.c.time, ledger.c.actor, ledger.c.kind, ledger.c.payload,
                                        ledger.c.prev, ledger.c.hash).order_by(ledger.c.seq))
        sha256, loads = hashlib.sha256, json.loads
        covering, kinds, sizes = kept.covering, kept.kinds, checkpoints.by_size
        expected, previous, count = 1, GENESIS, 0
        for seq, time, actor, kind, payload, prev, stored in rows:
            count += 1
            linked = seq == expected
            if not linked:
                missing = f"entries {expected}–{seq - 1} are missing" if seq > expected + 1 else (
                    f"entry {expected} is missing" if seq > expected else f"entry {seq} comes before entry {expected}")
                self.problem("seq_gap", f"{missing} (sequence numbers must run 1, 2, 3, …)", seq=min(seq, expected))
            kinds[seq] = kind
            hashed = sha256(stored_entry_text(seq, time, actor, kind, payload, prev).encode("utf-8")).hexdigest() == stored
            if not hashed:
                self._explain_hash(seq, time, actor, kind, payload, prev, stored)
            elif linked and prev != previous:
                self.problem("prev_mismatch", f"prev {_short(prev)} is not the hash of entry {seq - 1} "
                             f"({_short(previous)})", seq=seq)
            elif kind not in KINDS:
                self.problem("unknown_kind", f"kind {kind!r} is not one of {', '.join(KINDS)}", seq=seq)
            try:
                body = loads(payload)
            except ValueError:
                body = None
            if not isinstance(body, dict):
                if hashed:  # else reported with the hash
                    self.problem("payload_invalid", "the payload is not a JSON object", seq=seq)
            elif kind in covering:
                covering[kind][seq] = body
            elif kind == "responsibility.ended":
                kept.ended.append((seq, body))
            if seq in sizes:
                self.check_checkpoint(checkpoints, seq, stored)
            expected, previous = seq + 1, stored
        self.result.entries = count
        self.result.head_seq = expected - 1 if count else None
        self.result.head_hash = previous if count else None
        self.finish_checkpoints(checkpoints, expected - 1)
        return kept

    def _explain_hash(self, seq: int, time: str, actor: str, kind: str, payload: str, prev: str,
                      stored: str) -> None:
        """The stored hash is not the hash of the assembled entry text: say why."""
        try:
            body = json.loads(payload)
        except ValueError:
            self.problem("payload_invalid", "the payload is not valid JSON", seq=seq)
            return
        canonical = canonical_json(body)
        recomputed = hashlib.sha256(stored_entry_text(seq, time, actor, kind, canonical, prev).encode("utf-8"))
        if canonical != payload and recomputed.hexdigest() == stored:
            self.problem("payload_not_canonical", "the stored payload text was rewritten (same content, "
                         "not the canonical text that was hashed)", seq=seq)
        else:
            self.problem("hash_mismatch", f"the stored hash {_short(stored)} is not the hash of the entry "
                         f"({_short(recomputed.hexdigest())}): the entry was changed", seq=seq)

    # -- covered rows --------------------------------------------------------------------------

    def _uncovered(self, table: str, row_id: int, ledger_seq: int | None, kind: str, chain: _Chain,
                   claimed: set[int]) -> bool:
        """Report a row whose ``ledger_seq`` is not an entry of ``kind`` (or one another row claimed)."""
        if ledger_seq is None:
            self.problem("uncovered_row", f"{table} row {row_id} is recorded by no ledger entry")
            return True
        actual = chain.kinds.get(ledger_seq)
        if actual is None:
            self.problem("uncovered_row", f"{table} row {row_id} points at entry {ledger_seq}, which does not "
                         "exist", seq=ledger_seq)
        elif actual != kind:
            self.problem("uncovered_row", f"{table} row {row_id} points at entry {ledger_seq}, a {actual} entry, "
                         f"not {kind}", seq=ledger_seq)
        elif ledger_seq in claimed:
            self.problem("uncovered_row", f"{table} row {row_id} points at entry {ledger_seq}, which already "
                         "records another row", seq=ledger_seq)
        elif ledger_seq not in chain.covering[kind]:
            return True  # the entry is there but its payload was unreadable (reported already)
        else:
            claimed.add(ledger_seq)
            return False
        return True

    def _compare(self, table: str, row_id: int, seq: int, pairs: Iterable[tuple[str, Any, Any]]) -> None:
        """Report the fields where the entry's value (first) and the row's (second) differ."""
        differing = [(name, recorded, stored) for name, recorded, stored in pairs if recorded != stored]
        if differing:
            details = "; ".join(f"{name}: entry {recorded!r}, row {stored!r}" for name, recorded, stored in differing)
            self.problem("covered_row_changed", f"{table} row {row_id} differs from the entry that recorded it "
                         f"({details})", seq=seq)

    def _missing(self, kind: str, chain: _Chain, claimed: set[int]) -> None:
        for seq in sorted(set(chain.covering[kind]) - claimed):
            self.problem("covered_row_missing", f"the {kind} entry's {COVERING_KINDS[kind]} row is gone "
                         "(no row points at it)", seq=seq)

    def batches(self, chain: _Chain) -> int:
        """Batches and their observation versions."""
        digests, observations = batch_content_hashes(self.conn)
        empty = hashlib.sha256(b"[]").hexdigest()
        b = LoadBatch.__table__
        claimed: set[int] = set()
        entries = chain.covering["batch.loaded"]
        count = 0
        for row in self.conn.execute(select(b.c.id, b.c.code, b.c.ledger_seq, b.c.content_hash, b.c.rows_read,
                                            b.c.loaded, b.c.unchanged, b.c.corrected, b.c.quarantined)
                                     .order_by(b.c.id)):
            count += 1
            if self._uncovered("load_batches", row.id, row.ledger_seq, "batch.loaded", chain, claimed):
                continue
            payload = entries[row.ledger_seq]
            computed = digests.get(row.id, empty)
            if payload.get("content_hash") != computed:
                self.problem("content_hash_mismatch", f"batch {row.code}: its observation versions hash to "
                             f"{_short(computed)}, the entry recorded {_short(payload.get('content_hash'))}: a "
                             "version was changed, added or removed", seq=row.ledger_seq)
            self._compare("load_batches", row.id, row.ledger_seq, [
                ("batch", payload.get("batch"), row.code), ("content_hash", payload.get("content_hash"), row.content_hash),
                *((name, _as_number(payload.get(name)), row._mapping[name])
                  for name in ("rows_read", "loaded", "unchanged", "corrected", "quarantined"))])
        self._missing("batch.loaded", chain, claimed)
        return count + observations

    def summary(self) -> int:
        """``observation_current``, the summary the pages read, must show every series' newest version
        (value, state) and newest published version (value), and have a row for every series. The
        database compares (index lookups on the versions' unique key); only differing rows come back,
        reported at the ``batch.loaded`` entry of the version shown (of the series' latest batch when a
        row is missing)."""
        c, o = ObservationCurrent.__table__, Observation.__table__
        shown, published = o.alias("shown"), o.alias("published")
        newest = (select(o.c.indicator_id, o.c.region_id, o.c.period, func.max(o.c.version).label("version"),
                         func.max(case((o.c.state == "published", o.c.version))).label("published_version"))
                  .group_by(o.c.indicator_id, o.c.region_id, o.c.period).subquery("newest"))

        def series(version: FromClause) -> ColumnElement[bool]:
            """The rows of ``version`` of the summary row's series (indicator, region, period)."""
            return and_(version.c.indicator_id == c.c.indicator_id, version.c.region_id == c.c.region_id,
                        version.c.period == c.c.period)

        differing = self.conn.execute(
            select(c.c.indicator_id, c.c.region_id, c.c.period, c.c.version, c.c.value, c.c.state,
                   c.c.published_version, c.c.published_value, shown.c.id.label("shown_id"),
                   shown.c.value.label("shown_value"), shown.c.state.label("shown_state"),
                   shown.c.batch_id.label("shown_batch"), published.c.value.label("published_shown_value"))
            .select_from(c)
            .outerjoin(newest, series(newest))
            .outerjoin(shown, and_(series(shown), shown.c.version == c.c.version))
            .outerjoin(published, and_(series(published), published.c.version == c.c.published_version,
                                       published.c.state == "published"))
            .where(or_(shown.c.id.is_(None), shown.c.value != c.c.value, shown.c.state != c.c.state,
                       newest.c.version != c.c.version,
                       newest.c.published_version.is_distinct_from(c.c.published_version),
                       and_(c.c.published_version.is_not(None),
                            or_(published.c.id.is_(None), published.c.value != c.c.published_value)),
                       and_(c.c.published_version.is_(None), c.c.published_value.is_not(None))))).all()
        missing = self.conn.execute(
            select(o.c.indicator_id, o.c.region_id, o.c.period, func.max(o.c.batch_id))
            .where(~exists().where(c.c.indicator_id == o.c.indicator_id, c.c.region_id == o.c.region_id,
                                   c.c.period_start == o.c.period_start, c.c.period == o.c.period))
            .group_by(o.c.indicator_id, o.c.region_id, o.c.period)).all()
        if differing or missing:
            indicators = dict(self.conn.execute(select(Indicator.id, Indicator.code)).all())
            regions = dict(self.conn.execute(select(Region.id, Region.code)).all())
            batch_seqs = dict(self.conn.execute(select(LoadBatch.id, LoadBatch.ledger_seq)).all())
        for row in differing:
            name = f"{indicators[row.indicator_id]} {regions[row.region_id]} {row.period}"
            if row.shown_id is None:
                what = f"shows version {row.version}, which does not exist"
            elif (row.shown_value, row.shown_state) != (row.value, row.state):
                what = (f"shows {row.value!r} ({row.state}) for version {row.version}, the version holds "
                        f"{row.shown_value!r} ({row.shown_state})")
            elif row.published_shown_value != row.published_value:
                what = (f"shows the published figure {row.published_value!r} (version {row.published_version}), "
                        f"the published versions hold {row.published_shown_value!r}")
            else:
                what = "is not the newest version, or not the newest published one"
            self.problem("summary_mismatch", f"observation_current {name} {what}",
                         seq=batch_seqs.get(row.shown_batch))
        for indicator, region, period, batch in missing:
            self.problem("summary_mismatch", f"observation_current has no row for {indicators[indicator]} "
                         f"{regions[region]} {period}", seq=batch_seqs.get(batch))
        return self.conn.execute(select(func.count()).select_from(c)).scalar_one()

    def targets(self, chain: _Chain) -> int:
        t = Target.__table__
        entries = chain.covering["target.set"]
        claimed: set[int] = set()
        count = 0
        statement = (select(t.c.id, t.c.ledger_seq, Node.code.label("node"), Indicator.code.label("indicator"),
                            Region.code.label("region"), t.c.year, t.c.value)
                     .join(Goal.__table__, Goal.id == t.c.goal_id).join(Node.__table__, Node.id == Goal.node_id)
                     .join(Indicator.__table__, Indicator.id == Goal.indicator_id)
                     .join(Region.__table__, Region.id == t.c.region_id).order_by(t.c.id))
        for row in self.conn.execute(statement):
            count += 1
            if self._uncovered("targets", row.id, row.ledger_seq, "target.set", chain, claimed):
                continue
            payload = entries[row.ledger_seq]
            self._compare("targets", row.id, row.ledger_seq, [
                ("node", payload.get("node"), row.node), ("indicator", payload.get("indicator"), row.indicator),
                ("region", payload.get("region"), row.region), ("year", _as_number(payload.get("year")), row.year),
                ("value", _as_number(payload.get("value")), row.value)])
        self._missing("target.set", chain, claimed)
        return count

    def responsibilities(self, chain: _Chain) -> int:
        r = Responsibility.__table__
        entries = chain.covering["responsibility.assigned"]
        claimed: set[int] = set()
        # responsibility.ended entries by (node, goal, official, valid_to): each ends one row.
        ended: dict[tuple, list[int]] = defaultdict(list)
        for seq, payload in chain.ended:
            ended[(payload.get("node"), payload.get("goal"), payload.get("official"), payload.get("valid_to"))].append(seq)
        count = 0
        statement = (select(r.c.id, r.c.ledger_seq, Node.code.label("node"), Indicator.code.label("goal"),
                            Official.code.label("official"), r.c.role, r.c.valid_from, r.c.valid_to)
                     .join(Node.__table__, Node.id == r.c.node_id).join(Official.__table__, Official.id == r.c.official_id)
                     .outerjoin(Goal.__table__, Goal.id == r.c.goal_id)
                     .outerjoin(Indicator.__table__, Indicator.id == Goal.indicator_id).order_by(r.c.id))
        for row in self.conn.execute(statement):
            count += 1
            if self._uncovered("responsibilities", row.id, row.ledger_seq, "responsibility.assigned", chain, claimed):
                continue
            payload = entries[row.ledger_seq]
            self._compare("responsibilities", row.id, row.ledger_seq, [
                ("node", payload.get("node"), row.node), ("goal", payload.get("goal"), row.goal),
                ("official", payload.get("official"), row.official), ("role", payload.get("role"), row.role),
                ("valid_from", payload.get("valid_from"), _iso(row.valid_from))])
            if row.valid_to is not None:
                key = (payload.get("node"), payload.get("goal"), payload.get("official"), _iso(row.valid_to))
                later = [seq for seq in ended.get(key, []) if seq > row.ledger_seq]
                if later:
                    ended[key].remove(later[0])
                else:
                    self.problem("covered_row_changed", f"responsibilities row {row.id} ends on {row.valid_to}, but no "
                                 "responsibility.ended entry records that end", seq=row.ledger_seq)
        for key, seqs in ended.items():
            for seq in seqs:
                self.problem("covered_row_changed", f"the responsibility.ended entry (node {key[0]}, goal {key[1]}, "
                             f"official {key[2]}, valid_to {key[3]}) ends no responsibilities row", seq=seq)
        self._missing("responsibility.assigned", chain, claimed)
        return count

    def commentary(self, chain: _Chain) -> int:
        c = GoalCommentary.__table__
        entries = chain.covering["commentary.set"]
        claimed: set[int] = set()
        count = 0
        statement = (select(c.c.id, c.c.ledger_seq, Node.code.label("node"), Indicator.code.label("indicator"),
                            Official.code.label("official"), c.c.entered_by, c.c.on_behalf, c.c.status, c.c.text,
                            c.c.recovery_due)
                     .join(Node.__table__, Node.id == c.c.node_id).join(Official.__table__, Official.id == c.c.official_id)
                     .outerjoin(Indicator.__table__, Indicator.id == c.c.indicator_id).order_by(c.c.id))
        for row in self.conn.execute(statement):
            count += 1
            if self._uncovered("goal_commentary", row.id, row.ledger_seq, "commentary.set", chain, claimed):
                continue
            payload = entries[row.ledger_seq]
            self._compare("goal_commentary", row.id, row.ledger_seq, [
                ("node", payload.get("node"), row.node), ("indicator", payload.get("indicator"), row.indicator),
                ("official", payload.get("official"), row.official),
                ("on_behalf_of", payload.get("on_behalf_of"), row.official if row.on_behalf else None),
                ("status", payload.get("status"), row.status),
                ("text_sha256", payload.get("text_sha256"), text_sha256(row.text)),
                ("recovery_action_due", payload.get("recovery_action_due"), _iso(row.recovery_due))])
        self._missing("commentary.set", chain, claimed)
        return count


def _snapshot(conn: Connection) -> None:
    """Read everything from one snapshot: PostgreSQL REPEATABLE READ, read only (SQLite's read
    transaction is a snapshot already)."""
    if conn.dialect.name == "postgresql":
        conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)


def verify_ledger(engine: Engine, checkpoint_dir: Path, *, actor: str, ledger_key: Path | None = None,
                  keys: Iterable[VerifierKey] = (), record: bool = True,
                  now: dt.datetime | None = None) -> Verification:
    """Verify the chain, the checkpoints in ``checkpoint_dir`` and the covered rows (module docstring).

    Trusted keys: the store's (current and retired), the ``.pub`` file beside ``ledger_key`` when it is
    readable, and ``keys``. With ``record`` the run is stored in ``ledger_verifications``."""
    result = Verification(verified_at=now or dt.datetime.now(dt.timezone.utc), actor=actor)
    started = clock.perf_counter()
    with engine.connect() as conn:
        _snapshot(conn)
        conn.execution_options(yield_per=STREAM_ROWS)
        with conn.begin():
            verifier = _Verifier(conn, result)
            checkpoints = verifier.load_checkpoints(Path(checkpoint_dir), verifier.trusted_keys(ledger_key, keys))
            result.checkpoints = checkpoints.files
            chained = clock.perf_counter()
            chain = verifier.chain(checkpoints)
            covered = clock.perf_counter()
            result.chain_seconds = covered - chained
            result.covered_rows = (verifier.batches(chain) + verifier.summary() + verifier.targets(chain)
                                   + verifier.responsibilities(chain) + verifier.commentary(chain))
            result.coverage_seconds = clock.perf_counter() - covered
    result.seconds = clock.perf_counter() - started
    if record:
        values = result.record()
        values.pop("id")
        with writing(engine) as conn:
            result.id = conn.execute(LedgerVerification.__table__.insert().values(**values)
                                     .returning(LedgerVerification.__table__.c.id)).scalar_one()
    return result


def latest_verification(engine: Engine) -> dict | None:
    """The newest ``ledger_verifications`` row as a dict of its columns (for /ledger), or None."""
    table = LedgerVerification.__table__
    with engine.connect() as conn:
        row = conn.execute(select(table).order_by(table.c.verified_at.desc(), table.c.id.desc()).limit(1)).first()
    return dict(row._mapping) if row else None
