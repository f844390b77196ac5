"""Timings of `natije load` on a copy of the demo store (run by `make bench`).

A generated 100,000-row observations CSV (monthly regional indicators, future months, `;` separated,
decimal commas) is loaded four ways, each the whole command: a dry run, the first load (every row new), the
same file again (every row unchanged), and the same figures with new values (every row a correction).
Prints one JSON object on its last line like bench_services.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 100_000


def natije() -> list[str]:
    script = Path(sys.executable).with_name("natije")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli"]


def observations_csv(path: Path, indicators: list[str], regions: list[str], shift: float) -> int:
    """ROWS rows: each (indicator, region) gets consecutive future months from 2040-01."""
    lines = ["indicator;period;region;value"]
    pairs = [(i, r) for i in indicators for r in regions]
    months = -(-ROWS // len(pairs))
    for k, (indicator, region) in enumerate(pairs):
        for m in range(months):
            if len(lines) > ROWS:
                break
            value = f"{(k % 97) + m * 0.5 + shift:.1f}".replace(".", ",")
            lines.append(f"{indicator};{2040 + m // 12}-{m % 12 + 1:02d};{region};{value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def main() -> None:
    from sqlalchemy import select

    from data_sources.store import Indicator, Region, make_engine

    source = os.environ["NATIJE_DATABASE_URL"]
    if not source.startswith("sqlite:///"):
        print("bench_loader: SQLite stores only (it copies the store)")
        print(json.dumps({"name": "loader", "figures": []}))
        return
    workdir = Path(tempfile.mkdtemp(prefix="natije-bench-load-"))
    try:
        store = workdir / "natije.sqlite3"
        shutil.copy(source.removeprefix("sqlite:///"), store)
        env = {**os.environ, "NATIJE_DATABASE_URL": f"sqlite:///{store}", "NATIJE_ACTOR": "bench"}
        engine = make_engine(env["NATIJE_DATABASE_URL"])
        with engine.connect() as conn:
            # Counts whose valid range starts at 0 and reaches 100,000 or more: generated values fit.
            indicators = list(conn.execute(select(Indicator.code).where(
                Indicator.frequency == "M", Indicator.regional.is_(True), Indicator.valid_min == 0,
                Indicator.valid_max >= 100_000).order_by(Indicator.code)).scalars())
            regions = list(conn.execute(select(Region.code).where(Region.level != "country")).scalars())
        engine.dispose()
        first, second = workdir / "observations.csv", workdir / "corrections.csv"
        rows = observations_csv(first, indicators, regions, 0.0)
        observations_csv(second, indicators, regions, 1.0)
        figures = []
        for what, args in [("dry run (every row new, rolled back)", ["--dry-run", first]), ("new rows", [first]),
                           ("same file again: unchanged", [first]), ("every row a correction", [second])]:
            started = time.perf_counter()
            proc = subprocess.run([*natije(), "load", "--json", *map(str, args)], env=env, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            counts = json.loads(proc.stdout)["files"][0]["rows"] if proc.stdout.startswith("{") else {}
            label = f"natije load, {rows:,}-row CSV: {what}"
            print(f"{label:<58} {seconds:>6.1f} s   exit {proc.returncode}   {counts}", flush=True)
            if proc.returncode != 0:
                print(proc.stderr[-2000:], file=sys.stderr)
                sys.exit(1)
            figures.append({"what": label, "median_ms": round(seconds * 1000, 1), "p95_ms": round(seconds * 1000, 1),
                            "n": 1})
        print(json.dumps({"name": "loader", "figures": figures}, ensure_ascii=False))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
