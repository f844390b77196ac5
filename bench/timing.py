"""The timing helpers of the bench scripts (``from timing import measure``: the scripts run with
bench/ on ``sys.path``). A figure is ``{"what", "median_ms", "p95_ms", "n"}``, printed as it is
made; each script prints its figures as JSON on its last line and bench/run.py puts them into
docs/performance.md."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def figure(what: str, samples: list[float]) -> dict:
    """Median and 95th percentile (nearest rank) of ``samples`` (seconds), in milliseconds."""
    ordered = sorted(samples)
    n = len(ordered)
    p95 = ordered[min(n - 1, round(0.95 * (n - 1)))]
    result = {"what": what, "median_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
              "n": n}
    print(f"{what:<66} median {result['median_ms']:>9} ms   p95 {result['p95_ms']:>9} ms   n={n}", flush=True)
    return result


def once(what: str, action: Callable[[], object]) -> dict:
    """One run of ``action`` (what happens once: a cold start, a whole command)."""
    started = time.perf_counter()
    action()
    return figure(what, [time.perf_counter() - started])


def measure(what: str, action: Callable[[], object], n: int = 20) -> dict:
    """``n`` runs of ``action`` after one unmeasured warm-up run (imports, pools, caches, the browser's tab)."""
    action()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return figure(what, samples)
