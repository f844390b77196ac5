"""Several writers never fork the chain: 8 processes, each with its own engine, append 500 entries each,
one transaction per entry (like real writes), to a copy of the demo store. The result is one unbroken
chain of 4,000 new entries that the verifier accepts, each writer's entries in its own order."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data_sources.ledger_verify import verify_ledger
from data_sources.store import LedgerEntry

pytestmark = pytest.mark.datalayer

ROOT = Path(__file__).resolve().parents[2]

WRITERS = 8
ENTRIES_EACH = 500

WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from data_sources.ledger import ledger_writer
    from data_sources.store import make_engine, writing

    url, actor, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    engine = make_engine(url)
    with engine.connect():  # connect (and import) before the start, so that all writers contend
        pass
    while not go.exists():
        time.sleep(0.005)
    for n in range(count):
        with writing(engine) as conn:
            ledger_writer(conn, actor).append("approval", {"what": "concurrency", "code": actor, "by": actor, "n": n})
    engine.dispose()
""")


def test_eight_concurrent_writers_leave_one_unbroken_chain(demo_engine, database_url, tmp_path):
    with demo_engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(LedgerEntry)).scalar_one()
    go = tmp_path / "go"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, database_url, f"writer-{i}", str(ENTRIES_EACH), str(go)],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for i in range(WRITERS)]
    time.sleep(1.5)  # let them import and connect
    started = time.perf_counter()
    go.touch()
    failures = []
    for process in writers:
        _, stderr = process.communicate(timeout=120)
        if process.returncode != 0:
            failures.append(stderr[-2000:])
    elapsed = time.perf_counter() - started
    assert not failures, "\n---\n".join(failures)

    result = verify_ledger(demo_engine, tmp_path / "checkpoints", actor="test", record=False)
    assert result.ok, result.message
    assert result.entries == result.head_seq == before + WRITERS * ENTRIES_EACH

    table = LedgerEntry.__table__
    with demo_engine.connect() as conn:
        new = conn.execute(select(table.c.actor, table.c.payload).where(table.c.seq > before)
                           .order_by(table.c.seq)).all()
    by_writer: dict[str, list[int]] = {}
    for actor, payload in new:
        by_writer.setdefault(actor, []).append(int(json.loads(payload)["n"]))
    assert sorted(by_writer) == [f"writer-{i}" for i in range(WRITERS)]
    assert all(numbers == list(range(ENTRIES_EACH)) for numbers in by_writer.values())
    # they really ran at the same time: some other writer's entry lies between a writer's first and last
    first_actor = new[0][0]
    last_of_first = max(i for i, (actor, _) in enumerate(new) if actor == first_actor)
    assert any(actor != first_actor for actor, _ in new[:last_of_first])
    print(f"{WRITERS} writers x {ENTRIES_EACH} entries on {demo_engine.dialect.name}: {elapsed:.1f} s")
