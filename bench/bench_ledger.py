"""Speed of `natije ledger verify` on the demo store (run by `make bench`): the whole run, the chain
(entries/s) and the covered rows (rows/s) measured separately. Runs are not recorded: nothing is written.

Prints one JSON object on its last line: {"name": "ledger", "figures": [{"what", "median_ms", "p95_ms",
"n"}, ...]}; bench/run.py puts the figures into docs/performance.md.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from pathlib import Path

from timing import figure

RUNS = 9


def main() -> None:
    from data_sources.ledger_verify import verify_ledger
    from data_sources.settings import load_settings
    from data_sources.store import make_engine

    settings = load_settings()
    engine = make_engine(settings.database_url)
    with tempfile.TemporaryDirectory() as empty:  # no checkpoints: the store's own content is measured
        verify_ledger(engine, Path(empty), actor="bench", record=False)  # warm: imports, pool, page cache
        runs = [verify_ledger(engine, Path(empty), actor="bench", record=False) for _ in range(RUNS)]
    if not all(run.ok for run in runs):
        raise SystemExit(f"bench_ledger: the store does not verify: {runs[0].message}")
    entries, rows = runs[0].entries, runs[0].covered_rows
    chain = statistics.median(run.chain_seconds for run in runs)
    covered = statistics.median(run.coverage_seconds for run in runs)
    figures = [
        figure(f"ledger verify: {entries:,} entries, {rows:,} covered rows (whole run)", [r.seconds for r in runs]),
        figure(f"ledger verify, the chain: {entries:,} entries ({entries / chain:,.0f} entries/s)",
               [r.chain_seconds for r in runs]),
        figure(f"ledger verify, covered rows: {rows:,} rows ({rows / covered:,.0f} rows/s)",
               [r.coverage_seconds for r in runs]),
    ]
    print(json.dumps({"name": "ledger", "figures": figures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
