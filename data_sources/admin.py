"""Administration of the store: create or upgrade it, recreate it for the demo, fingerprint its content."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import Engine, MetaData, Table, func, inspect, select, text

from data_sources import migrate
from data_sources.ledger import canonical_json
from data_sources.store import Base, Goal, Indicator, LoadBatch, Node, StoreMeta

#: Columns that differ between two builds of the same content: surrogate ids, load/record time stamps,
#: ledger times, hashes and links into the ledger.
VOLATILE_COLUMNS = {"id", "loaded_at", "recorded_at", "ledger_seq", "known_at", "stored_at"}
VOLATILE_LEDGER_COLUMNS = {"time", "hash", "prev"}
#: Records of checks run on the store and rendered copies of its content (briefing packs), not its
#: content: left out of the content hash.
NOT_CONTENT_TABLES = {"ledger_verifications", "briefing_cache"}


def mask_url(url: str) -> str:
    """The database URL with any password replaced by ``***``."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def is_empty(engine: Engine) -> bool:
    """True when the store has no schema yet or holds no plan (no nodes and no indicators)."""
    if not inspect(engine).has_table("nodes"):
        return True
    with engine.connect() as conn:
        nodes = conn.execute(select(func.count()).select_from(Node)).scalar_one()
        indicators = conn.execute(select(func.count()).select_from(Indicator)).scalar_one()
    return nodes == 0 and indicators == 0


def holds_only_demo(engine: Engine) -> bool:
    """True when the store is marked as demo and every load batch is synthetic (nothing real loaded)."""
    if not inspect(engine).has_table("store_meta"):
        return True
    with engine.connect() as conn:
        demo = conn.execute(select(StoreMeta.value).where(StoreMeta.key == "demo")).scalar_one_or_none()
        real_batches = conn.execute(
            select(func.count()).select_from(LoadBatch).where(LoadBatch.synthetic.is_(False))).scalar_one()
    return bool(demo) and real_batches == 0


def recreate(engine: Engine) -> None:
    """Drop every table (the ledger with them, never row by row) and build the schema anew.

    SQLite: the file is removed. PostgreSQL: the ``public`` schema is dropped and recreated."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        engine.dispose()
        if url.database and url.database != ":memory:":
            for suffix in ("", "-wal", "-shm"):
                Path(url.database + suffix).unlink(missing_ok=True)
    else:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    migrate.upgrade(engine)


def content_hash(engine: Engine) -> str:
    """SHA-256 over every table's rows, leaving out surrogate ids, load time stamps and ledger times and
    hashes; foreign keys are replaced by the referenced row's code, so two builds of the same content
    give the same hash whatever ids the database handed out."""
    metadata = MetaData()
    metadata.reflect(engine)
    natural = _natural_keys(engine)
    digest = hashlib.sha256()
    for table in Base.metadata.sorted_tables:
        if table.name in NOT_CONTENT_TABLES:
            continue
        reflected: Table = metadata.tables[table.name]
        skip = VOLATILE_LEDGER_COLUMNS if table.name == "ledger" else VOLATILE_COLUMNS
        columns = [c for c in table.columns if c.name not in skip]
        foreign = {c.name: next(iter(c.foreign_keys)).column.table.name for c in columns if c.foreign_keys}
        rows = []
        with engine.connect() as conn:
            for row in conn.execute(select(*[reflected.c[c.name] for c in columns])):
                values = []
                for column, value in zip(columns, row):
                    if column.name in foreign and value is not None:
                        value = natural[foreign[column.name]][value]
                    values.append(value if isinstance(value, (str, int, float, bool, type(None), dict, list))
                                  else str(value))
                rows.append(canonical_json(values))
        rows.sort()
        digest.update(table.name.encode())
        for line in rows:
            digest.update(line.encode("utf-8"))
            digest.update(b"\n")
    return digest.hexdigest()


def _natural_keys(engine: Engine) -> dict[str, dict[int, str]]:
    """id -> natural key for every table that foreign keys point at."""
    keys: dict[str, dict[int, str]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if "code" in table.c and "id" in table.c:
                keys[table.name] = dict(conn.execute(select(table.c.id, table.c.code)).all())
        goal_keys = select(Goal.id, Node.code, Indicator.code).join(Node, Node.id == Goal.node_id).join(
            Indicator, Indicator.id == Goal.indicator_id)
        keys["goals"] = {gid: f"{node}/{indicator}" for gid, node, indicator in conn.execute(goal_keys)}
    return keys
