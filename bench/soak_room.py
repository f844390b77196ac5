"""`make soak`: the situation room left running, its browser memory measured (not part of `make test`).

1. `natije demo --seed 7 --today 2025-11-15` into a temporary SQLite store, `natije run` on a free port;
2. Chromium (the Debian one, headless, 1920 × 1080) opens
   `/room?panels=<all six kinds>&rotate=2&refresh=5&reload=604800` (fast rotation and polling; the
   scheduled reload is pushed past the run, so what is measured is the page itself, not the reload);
3. every `--load-every` seconds `natije load` corrects one national figure, so every panel and the
   ticker are redrawn again and again (the realistic source of leaks); the time from the end of each
   load to the wall showing its data version is recorded;
4. every `--sample-every` seconds, through the DevTools protocol: a full garbage collection
   (`HeapProfiler.collectGarbage`), then `Performance.getMetrics` (JSHeapUsedSize, Nodes,
   JSEventListeners) and `Runtime.getHeapUsage`.

The first `--warmup` seconds are excluded from the trend. The figures (first / last / max heap after
warm-up, least-squares slope in MB per hour, DOM nodes, redraws seen, console errors) are printed and
written to the "Situation room soak" section of docs/performance.md (kept by `make bench`).

    .venv/bin/python bench/soak_room.py --minutes 12
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERFORMANCE = ROOT / "docs" / "performance.md"
SECTION = "## Situation room soak"
PANELS = "overview,map:LIFE_EXPECTANCY,program:NP-HEALTH,region:AST,instructions,ledger"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def natije() -> list[str]:
    script = Path(sys.executable).with_name("natije")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"soak: {url} did not answer within {timeout:.0f} s")


def slope_mb_per_hour(samples: list[dict]) -> float:
    """Least-squares slope of the heap (MB) against time (hours)."""
    xs = [s["t"] / 3600 for s in samples]
    ys = [s["heap_mb"] for s in samples]
    if len(xs) < 2:
        return 0.0
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / den if den else 0.0


def section(result: dict) -> str:
    s = result
    return "\n".join([
        SECTION,
        "",
        f"Measured by `make soak` ({s['time']}, {s['cpus']} cores, Chromium {s['chromium']}): `/room` with all six "
        f"panel kinds, `rotate=2`, `refresh=5`, for {s['minutes']} minutes; `natije load` corrected a national figure "
        f"every {s['load_every']} s, so the wall drew {s['redraws']} new data versions (the panels whose "
        f"content changed redrawn each time). JS heap after a forced garbage collection, sampled every "
        f"{s['sample_every']} s through the DevTools protocol; the first {s['warmup']} s are warm-up.",
        "",
        "| what | figure |",
        "|---|---|",
        f"| JS heap used, first sample after warm-up | {s['heap_first_mb']} MB |",
        f"| JS heap used, last sample | {s['heap_last_mb']} MB |",
        f"| JS heap used, max after warm-up | {s['heap_max_mb']} MB |",
        f"| heap trend after warm-up (least squares) | {s['slope_mb_per_hour']:+} MB per hour |",
        f"| DOM nodes, first / last | {s['nodes_first']:,} / {s['nodes_last']:,} |",
        f"| JS event listeners, first / last | {s['listeners_first']:,} / {s['listeners_last']:,} |",
        f"| panel rotations / data versions drawn | {s['rotations']:,} / {s['redraws']:,} |",
        f"| from the end of a `natije load` to the wall showing it (refresh=5) | median {s['live_median_s']} s, "
        f"max {s['live_max_s']} s |",
        f"| console errors, failed requests | {s['console_errors']}, {s['failed_requests']} |",
        "",
        "The scheduled full reload (`reload`, default 6 hours) bounds whatever slow growth remains.",
        "",
    ])


def write_section(text: str) -> None:
    """Replace the soak section of docs/performance.md (or append it)."""
    current = PERFORMANCE.read_text(encoding="utf-8") if PERFORMANCE.exists() else "# Performance\n"
    if SECTION in current:
        head, _, rest = current.partition(SECTION)
        tail = rest.split("\n## ", 1)
        current = head.rstrip() + "\n\n" + text + (("\n## " + tail[1]) if len(tail) > 1 else "")
    else:
        current = current.rstrip() + "\n\n" + text
    PERFORMANCE.write_text(current.rstrip() + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=12.0)
    parser.add_argument("--sample-every", type=float, default=30.0)
    parser.add_argument("--load-every", type=float, default=23.0,
                        help="seconds between loads (not a multiple of refresh=5: the latency samples every phase)")
    parser.add_argument("--warmup", type=float, default=60.0)
    parser.add_argument("--panels", default=PANELS, help="the room's panels (default: all six kinds)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="natije-soak-"))
    store = workdir / "natije.sqlite3"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NATIJE_")}
    env.update(NATIJE_DATA_DIR=str(workdir), NATIJE_DATABASE_URL=f"sqlite:///{store}", NATIJE_PORT=str(port),
               NATIJE_HOST="127.0.0.1", PYTHONUNBUFFERED="1")
    server = None
    try:
        subprocess.run([*natije(), "demo", "--seed", "7", "--today", "2025-11-15"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        with open(workdir / "server.log", "wb") as log:
            server = subprocess.Popen([*natije(), "run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/room/status", 60)

        console_errors: list[str] = []
        failed: list[str] = []
        samples: list[dict] = []
        latencies: list[float] = []  # seconds from a load's end to the wall showing its data version
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.on("requestfailed", lambda r: failed.append(r.url))
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            page.goto(f"{base}/room?panels={args.panels}&rotate=2&refresh=5&reload=604800&lang=ru", wait_until="networkidle")
            page.evaluate("""() => { window.__rotations = 0; new MutationObserver(() => window.__rotations++)
                .observe(document.getElementById('room'), {attributes: true, attributeFilter: ['data-active']}); }""")
            started = time.monotonic()
            end = started + args.minutes * 60
            next_sample, next_load, value = started, started + args.load_every, 0
            first_version = page.text_content("#room-shown")
            versions = {first_version}
            while time.monotonic() < end:
                now = time.monotonic()
                if now >= next_load:
                    value += 1
                    csv = workdir / "load.csv"
                    csv.write_text(f"indicator;period;value\nLIFE_EXPECTANCY;2024;{75 + value % 97 / 100:.2f}\n",
                                   encoding="utf-8")
                    shown = page.text_content("#room-shown")
                    subprocess.run([*natije(), "load", str(csv)], cwd=ROOT, env=env, check=True, capture_output=True)
                    loaded = time.monotonic()
                    page.wait_for_function("(v) => document.getElementById('room-shown').textContent !== v",
                                           arg=shown, timeout=60_000)
                    latencies.append(time.monotonic() - loaded)
                    next_load += args.load_every
                if now >= next_sample:
                    cdp.send("HeapProfiler.collectGarbage")
                    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
                    sample = {"t": round(now - started, 1), "heap_mb": round(metrics["JSHeapUsedSize"] / 1e6, 2),
                              "total_mb": round(metrics["JSHeapTotalSize"] / 1e6, 2), "nodes": int(metrics["Nodes"]),
                              "listeners": int(metrics["JSEventListeners"])}
                    samples.append(sample)
                    print(json.dumps(sample), flush=True)
                    next_sample += args.sample_every
                versions.add(page.text_content("#room-shown"))
                page.wait_for_timeout(1000)
            rotations = page.evaluate("() => window.__rotations")
            chromium = browser.version
            browser.close()

        after = [s for s in samples if s["t"] >= args.warmup] or samples
        result = {
            "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "cpus": os.cpu_count(),
            "chromium": chromium, "minutes": args.minutes, "load_every": int(args.load_every),
            "sample_every": int(args.sample_every), "warmup": int(args.warmup),
            "heap_first_mb": after[0]["heap_mb"], "heap_last_mb": after[-1]["heap_mb"],
            "heap_max_mb": max(s["heap_mb"] for s in after), "slope_mb_per_hour": round(slope_mb_per_hour(after), 2),
            "nodes_first": after[0]["nodes"], "nodes_last": after[-1]["nodes"],
            "listeners_first": after[0]["listeners"], "listeners_last": after[-1]["listeners"],
            "rotations": rotations, "redraws": len(versions) - 1,
            "live_median_s": round(statistics.median(latencies), 2) if latencies else None,
            "live_max_s": round(max(latencies), 2) if latencies else None, "console_errors": len(console_errors),
            "failed_requests": len(failed), "samples": samples,
        }
        print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=2))
        if not args.no_write:
            write_section(section(result))
            print(f"written to {PERFORMANCE.relative_to(ROOT)}")
        return 0
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, 15)
            server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
