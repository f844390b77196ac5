"""Timings of the briefing pack on the demo store (run by `make bench`; needs /usr/bin/chromium).

The national pack (English) cold — the process's first: services compute, Chromium starts, the
pack is rendered and kept — then again from the store (the same request for unchanged data); the
render alone with the process's services warm (what a web worker pays after the pages were seen);
Astana's pack (Kazakh) cold for its region and warm; ``GET /briefing`` answered from the store; and
the whole ``natije briefing`` command for a region, rendered and kept. Prints one JSON object on
its last line: {"name": "briefing", "figures": [{"what", "median_ms", "p95_ms", "n"}, ...]};
bench/run.py puts the figures into docs/performance.md.

    NATIJE_DATABASE_URL=sqlite:////tmp/w/bench/natije.sqlite3 NATIJE_DATA_DIR=/tmp/w/bench \\
        .venv/bin/python bench/bench_briefing.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

from timing import measure, once

ROOT = Path(__file__).resolve().parents[1]


def command(*args: str) -> Callable[[], object]:
    """``natije ARGS`` as a subprocess (the settings of this process)."""
    script = Path(sys.executable).with_name("natije")
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "cli"]

    def run() -> None:
        proc = subprocess.run([*argv, *args], cwd=ROOT, env=dict(os.environ), capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"natije {' '.join(args)} exited {proc.returncode}: {proc.stderr[-2000:]}")

    return run


def main() -> None:
    from flask import Flask

    from dashboards import _briefing_route
    from dashboards._chart_kinds import build_chart
    from data_sources import migrate
    from services.briefing import briefing_pdf, build_pack, pack_html, pdf_bytes
    from services.context import make_context
    from services.runtime import runtime

    rt = runtime()
    migrate.upgrade(rt.engine)
    english, kazakh = (make_context(rt.engine, rt.settings, lang=lang) for lang in ("en", "kk"))

    def render(ctx, region=None) -> Callable[[], object]:  # the pack rendered, never from the store
        return lambda: pdf_bytes(pack_html(build_pack(ctx, node=None, region=region, charts=build_chart,
                                                      data_version=0)))

    figures = [
        once("national pack, cold (first in the process: services, Chromium, render)",
             lambda: briefing_pdf(english, charts=build_chart)),
        measure("national pack again, unchanged data (from the store)",
                lambda: briefing_pdf(english, charts=build_chart), n=20),
        measure("national pack (en, 22 pages) rendered, services warm", render(english), n=5),
        once("Astana pack (kk), first for the region", lambda: briefing_pdf(kazakh, region="AST", charts=build_chart)),
        measure("Astana pack (kk) rendered, services warm", render(kazakh, "AST"), n=5),
    ]
    server = Flask(__name__)
    _briefing_route.install(server)
    client = server.test_client()

    def route() -> None:
        response = client.get("/briefing?region=AST&lang=kk")
        assert response.status_code == 200 and response.headers["X-Natije-Briefing"] == "cached"

    figures.append(measure("GET /briefing?region=AST (from the store)", route, n=20))
    with tempfile.TemporaryDirectory() as directory:
        out = str(Path(directory) / "pack.pdf")
        figures.append(once("natije briefing --region ALA, whole command, rendered",
                            command("briefing", "--region", "ALA", "--lang", "ru", "-o", out)))
        figures.append(measure("natije briefing --region ALA, whole command, from the store",
                               command("briefing", "--region", "ALA", "--lang", "ru", "-o", out), n=3))
    print(json.dumps({"name": "briefing", "figures": figures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
