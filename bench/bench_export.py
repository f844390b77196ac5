"""Timings of chart exports on the demo store (run by `make bench`; needs /usr/bin/chromium).

The cold export (the process's first image: Chromium starts), then warm exports: PNG of a goal chart
(n=20 after a warm-up), of the ranking and of the map (maplibre draws in software WebGL: slower),
SVG and PDF, CSV and XLSX, and the whole route (spec parsed, chart rebuilt, image drawn).
Prints one JSON object on its last line: {"name": "export", "figures": [{"what", "median_ms",
"p95_ms", "n"}, ...]}; bench/run.py puts the figures into docs/performance.md.

    NATIJE_DATABASE_URL=sqlite:////tmp/w/bench/natije.sqlite3 NATIJE_DATA_DIR=/tmp/w/bench \\
        .venv/bin/python bench/bench_export.py
"""

from __future__ import annotations

import json
import time
from typing import Callable

from timing import figure, measure

GOAL = {"kind": "goal", "node": "NP-HEALTH", "indicator": "LIFE_EXPECTANCY", "region": "KZ", "lang": "kk"}
RANKING = {"kind": "ranking", "indicator": "AVERAGE_WAGE", "region": "AST", "year": "2025", "lang": "ru"}
MAP = {"kind": "map", "indicator": "LIFE_EXPECTANCY", "year": "2024", "lang": "kk"}


def main() -> None:
    from flask import Flask

    from dashboards import _exports
    from dashboards._chart_kinds import build_chart
    from services.context import make_context
    from services.exports import ChartSpec, chart_file
    from services.runtime import runtime

    rt = runtime()

    def content_of(query: dict):
        spec = ChartSpec.from_query(query)
        ctx = make_context(rt.engine, rt.settings, lang=spec.lang)
        return spec, ctx, build_chart(ctx, spec)

    goal_spec, ctx, goal = content_of(GOAL)
    ranking_spec, ranking_ctx, ranking = content_of(RANKING)
    map_spec, map_ctx, regions_map = content_of(MAP)

    def export(spec, context, content, fmt: str) -> Callable[[], object]:
        return lambda: chart_file(content, spec, fmt, context.t, day=context.today)

    started = time.perf_counter()
    export(goal_spec, ctx, goal, "png")()
    figures = [figure("cold PNG export: the process's first image (Chromium starts)", [time.perf_counter() - started])]
    figures += [
        measure("warm PNG export, goal chart (1200 px wide, scale 2)", export(goal_spec, ctx, goal, "png"), n=20),
        measure("warm PNG export, ranking of 20 regions", export(ranking_spec, ranking_ctx, ranking, "png"), n=20),
        measure("warm PNG export, map (maplibre, software WebGL)", export(map_spec, map_ctx, regions_map, "png"), n=10),
        measure("warm SVG export, goal chart", export(goal_spec, ctx, goal, "svg"), n=10),
        measure("warm PDF export, goal chart", export(goal_spec, ctx, goal, "pdf"), n=10),
        measure("CSV export, goal chart", export(goal_spec, ctx, goal, "csv"), n=20),
        measure("XLSX export, goal chart", export(goal_spec, ctx, goal, "xlsx"), n=20),
    ]
    server = Flask(__name__)
    _exports.install(server)
    client = server.test_client()
    query = "&".join(f"{key}={value}" for key, value in GOAL.items())

    def route() -> None:
        response = client.get(f"/export/chart.png?{query}")
        assert response.status_code == 200, response.get_data(as_text=True)

    figures.append(measure("GET /export/chart.png goal chart (data cached, warm)", route, n=20))
    print(json.dumps({"name": "export", "figures": figures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
