"""``/room`` in real Chromium against a server of the test's own: the panels rotate, a value loaded
through the loader appears within ``refresh`` seconds without a reload, and the wall heals itself
when the server is stopped and started again. Screenshots: tests/artifacts/room-*.png."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

REFRESH = 4  # seconds between polls in these tests
#: While the server is away the browser logs the refused polls; nothing else may fail.
OUTAGE = (r"/room/status", r"ERR_CONNECTION_REFUSED", r"Failed to load resource")

ROOM_TEXT_JS = "() => document.getElementById('room').textContent"
SHOWS_JS = "(value) => document.getElementById('room').textContent.includes(value)"
CONNECTION_SHOWN_JS = "() => !document.getElementById('room-connection').hidden"
CONNECTION_HIDDEN_JS = "() => document.getElementById('room-connection').hidden"
CHECKED_JS = "() => document.querySelector('.nt-room__checked').getAttribute('datetime')"


def load_life_expectancy(server, natije_cli, tmp_path: Path, value: str) -> None:
    """Correct the national life expectancy of 2024 through ``natije load`` (the demo has 75.44)."""
    path = tmp_path / f"life-{value}.csv"
    path.write_text(f"indicator;period;value\nLIFE_EXPECTANCY;2024;{value}\n", encoding="utf-8")
    natije_cli("load", path, env=server.env)


def active_panels(page, seconds: float) -> list[str]:
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen.append(page.get_attribute("#room", "data-active"))
        page.wait_for_timeout(250)
    return seen


def test_the_wall_rotates_refreshes_live_and_heals_itself(own_app_server, page, page_watch, natije_cli, tmp_path,
                                                          shoot):
    url = (f"{own_app_server.url}/room?panels=overview,instructions,ledger&rotate=2&refresh={REFRESH}"
           f"&theme=dark&lang=en")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector("#room .nt-room__panel.is-active")
    page.wait_for_function("() => document.querySelector('.nt-room__checked').textContent.length > 0")
    shoot(page, "room-overview-en", full_page=False)
    page.evaluate("() => { window.__natijeSamePage = true; }")

    # 1. the panels rotate every 2 s, in order, and come round again
    seen = active_panels(page, 7.5)
    changes = [b for a, b in zip(seen, seen[1:]) if a != b]
    assert set(seen) == {"0", "1", "2"}, seen
    assert len(changes) >= 3 and all(int(b) == (int(a) + 1) % 3 for a, b in zip(changes, changes[1:])), changes

    # 2. a value loaded while the page is open appears within `refresh` seconds, without a reload
    assert not page.evaluate(SHOWS_JS, "76.91")
    load_life_expectancy(own_app_server, natije_cli, tmp_path, "76.91")
    loaded = time.monotonic()
    page.wait_for_function(SHOWS_JS, arg="76.91", timeout=(REFRESH + 6) * 1000)
    appeared = time.monotonic() - loaded
    assert page.evaluate("() => window.__natijeSamePage === true")  # no reload happened
    assert appeared < REFRESH + 6, appeared
    assert page_watch.problems() == []

    # 3. the server goes away: "reconnecting", the panels keep rotating, the clock keeps ticking
    own_app_server.stop()
    page.wait_for_function(CONNECTION_SHOWN_JS, timeout=(REFRESH + 6) * 1000)
    clock = page.text_content("#room-clock")
    during = active_panels(page, 3)
    assert len(set(during)) > 1 and page.text_content("#room-clock") != clock
    shoot(page, "room-reconnecting-en", full_page=False)
    page.wait_for_function("() => !document.querySelector('.nt-room__badge--stale').hidden",
                           timeout=(3 * REFRESH + 6) * 1000)  # not answered for 2 × refresh: stale

    # 4. it comes back: the wall recovers by itself and shows what changed meanwhile
    load_life_expectancy(own_app_server, natije_cli, tmp_path, "77.02")  # the loader works on the store alone
    own_app_server.start()
    page.wait_for_function(CONNECTION_HIDDEN_JS, timeout=30_000)
    page.wait_for_function(SHOWS_JS, arg="77.02", timeout=(REFRESH + 10) * 1000)
    page.wait_for_function("() => document.querySelector('.nt-room__badge--stale').hidden")
    assert page.evaluate("() => window.__natijeSamePage === true")
    shoot(page, "room-recovered-en", full_page=False)

    outage_only = page_watch.problems(ignore=OUTAGE)
    assert outage_only == [], outage_only
    assert page_watch.failed_requests, "the outage was not seen by the browser"


@pytest.mark.parametrize("lang, theme", [("kk", "dark"), ("ru", "light")])
def test_every_panel_kind_on_the_wall(app_server, page, page_watch, open_page, shoot, lang, theme):
    panels = "overview,map:LIFE_EXPECTANCY,program:NP-HEALTH,region:AST,instructions,ledger"
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_page(page, f"/room?panels={panels}&rotate=3600&lang={lang}&theme={theme}")
    assert page.get_attribute("html", "lang") == lang
    assert page.locator("#room .nt-room__panel").count() == 6
    assert page.locator(".nt-navbar").count() == 0  # no navigation shell on the wall
    for index in range(6):
        if index:
            page.keyboard.press("ArrowRight")
        page.wait_for_function("(i) => document.getElementById('room').getAttribute('data-active') === String(i)",
                               arg=str(index))
        page.wait_for_timeout(700)  # the cross-fade
        shoot(page, f"room-{lang}-{theme}-{index}", full_page=False)
    page.wait_for_selector(".nt-room__panel .js-plotly-plot .choroplethmap, .nt-room__panel .js-plotly-plot",
                           state="attached")
    page_watch.assert_clean()
