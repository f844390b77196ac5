"""`make bench`: timings that matter for natije, on this machine, printed and saved.

1. `natije demo --seed 7 --today 2025-11-15` into a fresh SQLite store (the embedded default);
2. `natije info --json` on it;
3. `natije run` on a free 127.0.0.1 port: time to first 200 on `/`, then N requests each of
   `/`, `/_dash-layout` and `/_dash-dependencies` (median, p95, max);
4. every `bench/bench_*.py` script, run with NATIJE_DATABASE_URL / NATIJE_DATA_DIR pointing at
   that store (its output is shown as is; a non-zero exit fails `make bench`).

Results go to bench/results/<UTC time>.json (gitignored) and the table of docs/performance.md (its
``## `` sections, written by `make soak`, are kept). Options: --requests N, --keep (keep the temporary
store and print its path), --skip-server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PERFORMANCE = ROOT / "docs" / "performance.md"
SEED, TODAY = 7, "2025-11-15"


def natije() -> list[str]:
    script = Path(sys.executable).with_name("natije")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli"]


def clean_env(data_dir: Path, store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NATIJE_")}
    env.update(NATIJE_DATA_DIR=str(data_dir), NATIJE_DATABASE_URL=f"sqlite:///{store}", PYTHONUNBUFFERED="1")
    return env


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"bench: `{' '.join(cmd)}` exited {proc.returncode}")
    return elapsed, proc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, int]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, 0


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"median_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2), "n": len(ordered)}


def bench_server(env: dict[str, str], workdir: Path, requests: int) -> dict:
    port = free_port()
    env = env | {"NATIJE_HOST": "127.0.0.1", "NATIJE_PORT": str(port)}
    base = f"http://127.0.0.1:{port}"
    with open(workdir / "server.log", "wb") as log:
        proc = subprocess.Popen([*natije(), "run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    started = time.perf_counter()
    try:
        while True:
            if proc.poll() is not None:
                raise SystemExit("bench: `natije run` exited early:\n"
                                 + (workdir / "server.log").read_text(errors="replace")[-4000:])
            if time.perf_counter() - started > 60:
                raise SystemExit("bench: `natije run` did not answer 200 on / within 60 s")
            try:
                if get(base + "/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        result: dict = {"first_200_s": round(time.perf_counter() - started, 2)}
        for path in ("/", "/_dash-layout", "/_dash-dependencies"):
            samples, size = [], 0
            for _ in range(requests):
                t0 = time.perf_counter()
                status, size = get(base + path)
                samples.append(time.perf_counter() - t0)
                if status != 200:
                    raise SystemExit(f"bench: GET {path} answered {status}")
            result[path] = summary(samples) | {"bytes": size}
        return result
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def performance_markdown(results: dict) -> str:
    """docs/performance.md from one run's results (every figure measured, none typed in)."""
    lines = [
        "# Performance",
        "",
        f"Measured by `make bench` ({results['time']}, Python {results['python']}, {results['cpus']} cores) on the",
        f"demo store (`natije demo --seed {SEED} --today {TODAY}`). Tests never assert speed; these figures do.",
        "",
        "| what | figure |",
        "|---|---|",
        f"| `natije demo` (build the demo store, SQLite) | {results['demo_build_s']} s, {results['store_mb']} MB |",
        f"| `natije info --json` (counts and content hash) | {results['info_json_s']} s |",
    ]
    server = results.get("server")
    if server:
        lines.append(f"| `natije run`: first 200 on `/` after start | {server['first_200_s']} s |")
        for path in ("/", "/_dash-layout", "/_dash-dependencies"):
            r = server[path]
            lines.append(f"| GET `{path}` | median {r['median_ms']} ms, p95 {r['p95_ms']} ms (n={r['n']}) |")
    for name, script in results.get("scripts", {}).items():
        for figure in script.get("figures", []):
            lines.append(f"| {figure['what']} (`bench/{name}`) | median {figure['median_ms']} ms, "
                         f"p95 {figure['p95_ms']} ms (n={figure['n']}) |")
    lines += ["", "Counts of the measured store: " + ", ".join(f"{k} {v:,}" for k, v in (results.get("counts") or {}).items()),
              ""]
    return "\n".join(lines) + kept_sections()


def kept_sections() -> str:
    """The ``## `` sections other runs wrote into docs/performance.md (``make soak``'s), kept as they are."""
    if not PERFORMANCE.exists():
        return ""
    text = PERFORMANCE.read_text(encoding="utf-8")
    _, marker, rest = text.partition("\n## ")
    return ("\n## " + rest.rstrip() + "\n") if marker else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--skip-server", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="natije-bench-"))
    store = workdir / "natije.sqlite3"
    env = clean_env(workdir, store)
    results: dict = {"time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                     "python": sys.version.split()[0], "cpus": os.cpu_count()}
    failed = False
    try:
        seconds, _ = timed([*natije(), "demo", "--seed", str(SEED), "--today", TODAY], env)
        results["demo_build_s"] = round(seconds, 2)
        results["store_mb"] = round(store.stat().st_size / 1e6, 1)
        print(f"natije demo (seed {SEED}, today {TODAY}): {seconds:.1f} s, {results['store_mb']} MB")

        seconds, proc = timed([*natije(), "info", "--json"], env)
        results["info_json_s"] = round(seconds, 2)
        results["counts"] = json.loads(proc.stdout).get("counts")
        print(f"natije info --json: {seconds:.2f} s  counts: {results['counts']}")

        if not args.skip_server:
            results["server"] = bench_server(env, workdir, args.requests)
            print(f"natije run: first 200 on / after {results['server']['first_200_s']} s")
            for path in ("/", "/_dash-layout", "/_dash-dependencies"):
                r = results["server"][path]
                print(f"  GET {path:<22} median {r['median_ms']:>8} ms  p95 {r['p95_ms']:>8} ms  "
                      f"max {r['max_ms']:>8} ms  ({r['bytes']} bytes, n={r['n']})")

        scripts = sorted((ROOT / "bench").glob("bench_*.py"))
        results["scripts"] = {}
        for script in scripts:
            print(f"\n--- {script.relative_to(ROOT)} ---", flush=True)
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
            code = proc.returncode
            lines = proc.stdout.rstrip().splitlines()
            print("\n".join(line for line in lines if not line.startswith("{")), flush=True)
            figures = json.loads(lines[-1]).get("figures", []) if lines and lines[-1].startswith("{") else []
            results["scripts"][script.name] = {"exit": code, "seconds": round(time.perf_counter() - t0, 2),
                                               "figures": figures}
            if code != 0:
                print(f"bench: {script.name} exited {code}", file=sys.stderr)
                failed = True
    finally:
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / (dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + ".json")
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nresults: {out.relative_to(ROOT)}")
        if not failed and "demo_build_s" in results:
            PERFORMANCE.write_text(performance_markdown(results), encoding="utf-8")
            print(f"figures written to {PERFORMANCE.relative_to(ROOT)}")
        if args.keep:
            print(f"store kept: {store}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
