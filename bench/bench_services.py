"""Timings of the composition layer and the page layouts on the demo store (run by `make bench`).

Prints one JSON object on its last line: {"name": "services", "figures": [{"what", "median_ms",
"p95_ms", "n"}, ...]}; bench/run.py puts the figures into docs/performance.md.
"""

from __future__ import annotations

import json

from timing import measure


def main() -> None:
    from data_sources import admin, queries
    from services.context import make_context
    from services.kpi_records import kpi_records
    from services.nodes import build_node
    from services.overview import build_overview
    from services.runtime import runtime

    rt = runtime()
    ctx = make_context(rt.engine, rt.settings, lang="ru")
    figures = [
        measure("queries.data_version (the live-refresh poll)", lambda: queries.data_version(rt.engine), n=200),
        measure("queries.series: one indicator, national", lambda: queries.series(rt.engine, ctx.viewer,
                                                                                  ["LIFE_EXPECTANCY"]), n=100),
        measure("build_overview NDP-2029, computed (10 cards, 25 programs)",
                lambda: build_overview.__wrapped__(ctx, "NDP-2029")),
        measure("build_overview NDP-2025, computed (9 cards, 10 programs)",
                lambda: build_overview.__wrapped__(ctx, "NDP-2025")),
        measure("build_overview, same data version (cached)", lambda: build_overview(ctx, "NDP-2029"), n=100),
        measure("build_node NP-HEALTH, computed (program page data)", lambda: build_node.__wrapped__(ctx, "NP-HEALTH")),
        measure("kpi_records: every goal of both portfolios", lambda: kpi_records(ctx), n=5),
        measure("admin.content_hash (natije info)", lambda: admin.content_hash(rt.engine), n=3),
    ]
    import app  # registers the pages once, as the server does
    from dashboards import overview, program, room

    client = app.server.test_client()
    figures.append(measure("GET /room/status (what every wall polls)", lambda: client.get("/room/status"), n=100))
    with app.server.test_request_context("/"):
        figures.append(measure("page layout /room, all six panel kinds (data cached)",
                               lambda: room.layout(lang="ru", panels="overview,map:LIFE_EXPECTANCY,program:NP-HEALTH,"
                                                                     "region:AST,instructions,ledger")))
        figures.append(measure("page layout / (data cached; components and figures)", lambda: overview.layout(lang="ru")))
        figures.append(measure("page layout /programs/NP-HEALTH (data cached)",
                               lambda: program.layout(code="NP-HEALTH", lang="ru")))
    print(json.dumps({"name": "services", "figures": figures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
