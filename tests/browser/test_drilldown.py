"""Drill-down in real Chromium against the demo store: overview -> program -> project -> region, the
regions map (all 20 regions, indicator and per-capita switches, clicks), URLs that reproduce a view in
a fresh browser (``as_of`` too: before a correction the old value), each language entirely, friendly
not-found pages. Every page: no console errors, no failed requests; a screenshot in tests/artifacts/.

Fixtures (tests/browser/conftest.py): ``app_server`` (``natije run`` on a demo copy, once per session),
``page_watch``, ``open_page``, ``shoot``; pytest-playwright's ``browser``, ``context``, ``page``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest

from services.i18n import DOMAINS, LANGUAGES, LOCALES_DIR
from tests.browser.conftest import settle

PROGRAM_TILES = "#overview-program-grid a.nt-tile"
GRID = ".nt-grid:not(.nt-instr-grid)"  # the projects grid (a page may also show its instructions' grid)
MAP_GRAPH = "#regions-page .nt-map-col .js-plotly-plot"
RANKING_ROWS = "#regions-ranking tbody tr"
#: Words that may appear on a page in any language: the brand, the endonym of English in the switch.
ALLOWED = {"natije", "english"}

#: The figures of the page's charts as the browser holds them (``gd.data``): what each chart draws.
FIGURES_JS = """() => Array.from(document.querySelectorAll('.nt-chart .js-plotly-plot')).map(gd => ({
    chart: gd.closest('.nt-chart').id,
    traces: (gd.data || []).map(t => ({name: t.name || '', type: t.type,
        x: t.x ? Array.from(t.x).map(String) : null, y: t.y ? Array.from(t.y).map(String) : null,
        z: t.z ? Array.from(t.z).map(String) : null, locations: t.locations ? Array.from(t.locations) : null}))}))"""


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def breadcrumb(page) -> list[str]:
    return [item.strip() for item in page.locator("#natije-breadcrumb li").all_inner_texts()]


def figures(page) -> list[dict]:
    return page.evaluate(FIGURES_JS)


def map_locations(page) -> list[str]:
    return page.locator(MAP_GRAPH).evaluate("gd => gd.data.flatMap(t => Array.from(t.locations || []))")


def map_values(page) -> dict[str, float]:
    return page.locator(MAP_GRAPH).evaluate(
        "gd => Object.fromEntries(gd.data.length ? Array.from(gd.data[0].locations).map((l, i) => [l, gd.data[0].z[i]]) : [])")


def ranking(page) -> list[str]:
    return [" | ".join(cell.strip() for cell in row.split("\t")) for row in page.locator(RANKING_ROWS).all_inner_texts()]


# --- the drill-down ---------------------------------------------------------------------------------

def test_drill_down_from_the_overview_to_a_program_a_project_and_its_region(page, page_watch, open_page, shoot):
    open_page(page, "/?lang=en")
    portfolio = page.locator("h1.nt-title").inner_text().strip()
    tile = page.locator(PROGRAM_TILES).first
    program_name = tile.locator(".nt-tile__name").inner_text().strip()
    program = tile.get_attribute("href").split("/programs/")[1].split("?")[0]

    # 1. the program
    tile.click()
    page.wait_for_url(re.compile(rf"/programs/{re.escape(program)}\?lang=en$"))
    settle(page)
    assert page.locator("h1.nt-title").inner_text().strip() == program_name
    assert breadcrumb(page) == [portfolio, program_name]
    assert page.locator("#natije-breadcrumb a").first.get_attribute("href").startswith("/?lang=en&portfolio=")
    assert re.search(r"\d", page.locator("#program-goals tbody tr").first.inner_text())
    goals = page.locator(".nt-goal")
    assert goals.count() >= 1 and goals.first.locator(".nt-status").first.inner_text().strip()
    assert goals.first.locator(".nt-goal__reason").inner_text().strip()
    chart_names = [t["name"] for t in figures(page)[0]["traces"]]
    assert "Actual" in chart_names and "Target trajectory" in chart_names
    assert page.locator(f"{GRID} .ag-row").count() >= 1
    shoot(page, "drilldown-1-program-en")

    # 2. one of its projects, in a region (a click on its row in the grid)
    region_cells = page.locator(f"{GRID} .ag-center-cols-container [col-id='region']")
    index = next(i for i in range(region_cells.count())
                 if "Kazakhstan" not in region_cells.nth(i).inner_text())
    row_index = region_cells.nth(index).locator("xpath=..").get_attribute("row-index")
    name_cell = page.locator(f"{GRID} .ag-pinned-left-cols-container [row-index='{row_index}'] [col-id='name']")
    project_name = name_cell.inner_text().strip()
    region_name = region_cells.nth(index).inner_text().strip()
    name_cell.click()
    page.wait_for_url(re.compile(r"/projects/[^?]+\?lang=en$"))
    settle(page)
    project = urlsplit(page.url).path.split("/projects/")[1]
    assert page.locator("#project-page").get_attribute("data-project") == project
    assert page.locator("h1.nt-title").inner_text().strip() == project_name
    assert breadcrumb(page) == [portfolio, program_name, project_name]
    crumb_links = page.locator("#natije-breadcrumb a")
    assert crumb_links.nth(1).get_attribute("href") == f"/programs/{program}?lang=en"
    ev = page.locator("#project-earned-value .nt-stat dd").all_inner_texts()
    assert len(ev) >= 8 and any(re.search(r"\d", text) for text in ev)
    assert page.locator("#project-earned-value .nt-health .nt-status").count() == 2
    region_link = page.locator("#project-region-link")
    assert region_link.inner_text().strip() == region_name
    shoot(page, "drilldown-2-project-en")

    # 3. the project's region
    region = region_link.get_attribute("href").split("/regions/")[1].split("?")[0]
    region_link.click()
    page.wait_for_url(re.compile(rf"/regions/{region}\?lang=en$"))
    settle(page)
    assert page.locator("#region-page").get_attribute("data-region") == region
    assert page.locator("h1.nt-title").inner_text().strip() == region_name
    assert breadcrumb(page) == ["Overview", "Regions", region_name]
    kpis = page.locator("#region-kpis tbody tr")
    assert kpis.count() >= 1 and re.search(r"\d+ of \d+", kpis.first.inner_text())
    assert page.locator(f"{GRID} .ag-row").count() >= 1  # its projects
    # its projects, this one among them (the grid draws its cells when it scrolls into view)
    page.locator(GRID).scroll_into_view_if_needed()
    page.locator(f"{GRID} .ag-cell[col-id='name']", has_text=project_name).first.wait_for(timeout=10_000)
    shoot(page, "drilldown-3-region-en")
    page_watch.assert_clean()


def test_enter_on_a_focused_grid_row_opens_the_project(page, page_watch, open_page):
    open_page(page, "/programs/NP2-RURALHEALTH?lang=ru")
    cell = page.locator(f"{GRID} .ag-pinned-left-cols-container [row-index='0'] [col-id='name']")
    cell.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/projects/NP2-RURALHEALTH-[^?]+\?lang=ru$"))
    settle(page)
    assert page.locator("#project-page").count() == 1
    page_watch.assert_clean()


# --- the regions map ----------------------------------------------------------------------------------

def _choose_indicator(page, code: str, search: str) -> None:
    page.locator("#regions-indicator").click()
    page.locator(".dash-dropdown-search, input[type='search']").first.fill(search)
    page.locator(f"label.dash-dropdown-option:has(input[value='{code}'])").click()


def test_regions_map_shows_every_region_and_the_controls_change_map_ranking_and_url(page, page_watch, open_page,
                                                                                     shoot):
    open_page(page, "/regions?lang=en")
    assert page.locator("#regions-page").get_attribute("data-regions") == "20"
    locations = map_locations(page)
    assert len(locations) == 20 and len(set(locations)) == 20
    assert page.locator(MAP_GRAPH).evaluate("gd => gd.data[0].geojson.features.length") == 20
    assert page.locator(RANKING_ROWS).count() == 20
    first_values, first_ranking = map_values(page), ranking(page)
    shoot(page, "regions-en")

    # another indicator: a count, which can be shown per capita
    _choose_indicator(page, "WATER_SUPPLY_ACCIDENTS", "accidents")
    page.wait_for_url(re.compile(r"indicator=WATER_SUPPLY_ACCIDENTS"))
    settle(page)
    assert page.locator("#regions-page").get_attribute("data-indicator") == "WATER_SUPPLY_ACCIDENTS"
    absolute_values, absolute_ranking = map_values(page), ranking(page)
    assert absolute_values != first_values and absolute_ranking != first_ranking
    assert len(map_locations(page)) == 20

    # per capita: a link, so the URL says it
    page.locator("#regions-per-capita a", has_text="Per 10,000 people").click()
    page.wait_for_url(re.compile(r"per_capita=1"))
    settle(page)
    assert page.locator("#regions-page").get_attribute("data-per-capita") == "1"
    per_capita_values = map_values(page)
    assert per_capita_values.keys() == absolute_values.keys() and per_capita_values != absolute_values
    assert ranking(page) != absolute_ranking
    assert "per 10,000 people" in page.locator(".nt-chart__units").first.inner_text()
    query = query_of(page.url)
    assert query["indicator"] == ["WATER_SUPPLY_ACCIDENTS"] and query["per_capita"] == ["1"] and query["lang"] == ["en"]
    shoot(page, "regions-per-capita-en")

    # a year from the dropdown
    page.locator("#regions-year").click()
    other_year = page.locator("label.dash-dropdown-option:not([aria-selected='true'])").first
    year = other_year.locator("input").get_attribute("value")
    other_year.click()
    page.wait_for_url(re.compile(rf"year={year}"))
    settle(page)
    assert page.locator("#regions-page").get_attribute("data-year") == year
    assert query_of(page.url)["per_capita"] == ["1"]
    page_watch.assert_clean()


def test_clicking_a_region_on_the_map_or_in_the_ranking_opens_it(page, page_watch, open_page):
    open_page(page, "/regions?lang=kk")
    graph = page.locator(MAP_GRAPH)
    graph.scroll_into_view_if_needed()
    box = graph.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.5)
    page.wait_for_timeout(300)
    page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.5)
    page.wait_for_url(re.compile(r"/regions/[A-Z]{3}\?lang=kk$"))
    settle(page)
    assert page.locator("#region-page").count() == 1

    open_page(page, "/regions?lang=kk")
    link = page.locator("#regions-ranking a.nt-rank__link").nth(2)
    code = link.get_attribute("href").split("/regions/")[1].split("?")[0]
    name = link.inner_text().strip()
    link.click()
    page.wait_for_url(re.compile(rf"/regions/{code}\?lang=kk$"))
    settle(page)
    assert page.locator("h1.nt-title").inner_text().strip() == name
    page_watch.assert_clean()


# --- the URL is the state ----------------------------------------------------------------------------

def _state(page) -> dict:
    """What a URL must reproduce: the page's own markers, the controls, the charts' data, the text."""
    main = page.locator("#main")
    return {
        "markers": page.evaluate("""() => Array.from(document.querySelectorAll('[data-indicator],[data-year],'
            + '[data-per-capita],[data-program],[data-project],[data-region]')).filter(e => e.closest('#main'))
            .map(e => [e.id, e.dataset.indicator, e.dataset.year, e.dataset.perCapita, e.dataset.program,
                       e.dataset.project, e.dataset.region])"""),
        "controls": [text.strip() for text in page.locator(".dash-dropdown-value").all_inner_texts()],
        "figures": figures(page),
        "text": main.inner_text(),
        "lang": page.evaluate("document.documentElement.lang"),
    }


def _correction(store) -> dict:
    """The newest correction of an annual regional value in the demo store: the old and the new value."""
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        row = con.execute("""
            SELECT i.code, r.code, o2.period, o1.value, o2.value, o1.known_at, o2.known_at, i.decimals
            FROM observations o2
            JOIN observations o1 ON o1.indicator_id = o2.indicator_id AND o1.region_id = o2.region_id
                 AND o1.period = o2.period AND o1.version = o2.version - 1
            JOIN indicators i ON i.id = o2.indicator_id JOIN regions r ON r.id = o2.region_id
            WHERE o2.version = 2 AND r.code != 'KZ' AND i.frequency = 'Y' AND i.regional = 1
              AND round(o1.value, i.decimals) != round(o2.value, i.decimals)
              AND o1.state = 'published' AND o2.state = 'published'
              AND NOT EXISTS (SELECT 1 FROM observations o3 WHERE o3.indicator_id = o2.indicator_id
                              AND o3.region_id = o2.region_id AND o3.period = o2.period AND o3.version > 2)
            ORDER BY o2.known_at DESC LIMIT 1""").fetchone()
    finally:
        con.close()
    assert row, "the demo store has no correction of an annual regional value"
    code, region, period, old, new, old_known, new_known, decimals = row
    return {"indicator": code, "region": region, "year": int(period), "old": old, "new": new,
            "before": new_known[:10], "decimals": decimals, "old_known": old_known[:10]}


def _day_before(day: str) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


def test_urls_reproduce_the_view_in_a_fresh_browser(browser, page, page_watch, open_page, app_server, shoot,
                                                    browser_context_args):
    # arrive at a view by interaction, then send its URL to a fresh browser
    open_page(page, "/regions?lang=ru")
    _choose_indicator(page, "WATER_SUPPLY_ACCIDENTS", "авари")
    page.wait_for_url(re.compile(r"indicator=WATER_SUPPLY_ACCIDENTS"))
    settle(page)
    page.locator("#regions-per-capita a").nth(1).click()
    page.wait_for_url(re.compile(r"per_capita=1"))
    settle(page)
    interactive_url, interactive_state = page.url, _state(page)

    fix = _correction(app_server.store)
    as_of = _day_before(fix["before"])
    urls = [
        "/regions?lang=kk&indicator=UNEMPLOYMENT_RATE&year=2024",
        f"/regions?lang=en&indicator={fix['indicator']}&year={fix['year']}&as_of={as_of}",
        "/programs/NP2-RURALHEALTH?lang=ru&as_of=2025-06-30",
        "/projects/NP2-RURALHEALTH-ALR-01?lang=en&as_of=2025-03-01",
        "/regions/AST?lang=kk&as_of=2025-01-31",
    ]
    first: dict[str, dict] = {}
    for url in urls:
        open_page(page, url)
        first[url] = _state(page)
        if "as_of=" in url:
            assert page.locator(".nt-badge--asof").count() == 1  # the visible "as of" note
    page_watch.assert_clean()

    fresh = browser.new_context(**{**browser_context_args, "base_url": app_server.url})
    try:
        other = fresh.new_page()
        other.goto(interactive_url, wait_until="networkidle")
        settle(other)
        assert _state(other) == interactive_state
        for url in urls:
            other.goto(url, wait_until="networkidle")
            settle(other)
            assert _state(other) == first[url], url
        # as of the day before the correction, the old value; today, the corrected one
        other.goto(f"/regions?lang=en&indicator={fix['indicator']}&year={fix['year']}&as_of={as_of}",
                   wait_until="networkidle")
        settle(other)
        old_values = other.locator(MAP_GRAPH).evaluate(
            "(gd, code) => gd.data.map(t => Array.from(t.locations).includes(code) && t.z ? "
            "t.z[Array.from(t.locations).indexOf(code)] : null).find(v => v !== null)", fix["region"])
        shoot(other, "regions-as-of-before-correction-en")
        other.goto(f"/regions?lang=en&indicator={fix['indicator']}&year={fix['year']}", wait_until="networkidle")
        settle(other)
        new_values = other.locator(MAP_GRAPH).evaluate(
            "(gd, code) => gd.data.map(t => Array.from(t.locations).includes(code) && t.z ? "
            "t.z[Array.from(t.locations).indexOf(code)] : null).find(v => v !== null)", fix["region"])
    finally:
        fresh.close()
    assert old_values == pytest.approx(fix["old"]) and new_values == pytest.approx(fix["new"])


# --- every page in its language --------------------------------------------------------------------------

def catalog_words(lang: str) -> set[str]:
    from babel.messages.pofile import read_po

    words: set[str] = set()
    for domain in DOMAINS:
        with (LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
            for message in read_po(handle):
                if message.id and isinstance(message.string, str):
                    text = re.sub(r"\{[^}]*\}", " ", message.string)
                    words |= {w.lower() for w in re.findall(r"[^\W\d_]{4,}", text)}
    return words


@pytest.fixture(scope="module")
def foreign_words() -> dict[str, set[str]]:
    """For each language, the words of the other languages' catalogs that its own catalog lacks."""
    words = {lang: catalog_words(lang) for lang in LANGUAGES}
    foreign = {lang: set().union(*(words[o] for o in LANGUAGES if o != lang)) - words[lang] - ALLOWED
               for lang in LANGUAGES}
    assert {"regions", "регионы"} <= foreign["kk"] and {"regions", "өңірлер"} <= foreign["ru"]  # the lists are real
    assert {"регионы", "өңірлер"} <= foreign["en"]
    return foreign


def leftovers(text: str, foreign: set[str]) -> set[str]:
    tokens = {w for w in re.findall(r"[^\W\d_]{4,}", text) if not w.isupper()}
    return {w for w in tokens if w.lower() in foreign}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_akims_view_of_astana_is_entirely_in_its_language(page, page_watch, open_page, shoot, foreign_words,
                                                              lang):
    open_page(page, f"/regions/AST?lang={lang}")
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("#region-kpis tbody tr").count() >= 3
    assert page.locator(".nt-chart").count() >= 4
    text = page.inner_text("body")
    # the charts' own words (legends, axis titles, hover texts) are part of the page too
    chart_words = json.dumps(page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .map(gd => [gd.layout && gd.layout.title && gd.layout.title.text,
                    (gd.data || []).map(t => [t.name, t.text, t.hovertemplate, t.customdata])])"""),
                             ensure_ascii=False)
    found = leftovers(text, foreign_words[lang]) | leftovers(chart_words, foreign_words[lang])
    assert not found, f"words of another language on the {lang} page: {sorted(found)}"
    shoot(page, f"region-AST-{lang}")
    page_watch.assert_clean()


@pytest.mark.parametrize("path,lang", [
    ("/programs/NP2-RURALHEALTH", "kk"), ("/projects/NP2-RURALHEALTH-ALR-01", "ru"), ("/regions", "kk"),
    ("/projects/NP2-RURALHEALTH-ALR-01", "kk"), ("/programs/TDP-AST", "en"),
])
def test_the_other_pages_are_in_their_language(page, page_watch, open_page, shoot, foreign_words, path, lang):
    open_page(page, f"{path}?lang={lang}")
    found = leftovers(page.inner_text("body"), foreign_words[lang])
    assert not found, f"words of another language on {path}?lang={lang}: {sorted(found)}"
    shoot(page, f"{path.strip('/').replace('/', '-')}-{lang}")
    page_watch.assert_clean()


@pytest.mark.parametrize("path,lang,heading", [
    ("/programs/NOPE", "en", "Program not found"),
    ("/projects/NOPE", "kk", "Жоба табылмады"),
    ("/regions/NOPE", "ru", "Регион не найден"),
    ("/regions?indicator=NOPE", "en", "Indicator not found"),
])
def test_unknown_codes_are_friendly_not_found_pages_with_a_way_back(page, page_watch, open_page, shoot, path, lang,
                                                                    heading):
    sep = "&" if "?" in path else "?"
    open_page(page, f"{path}{sep}lang={lang}")
    assert page.locator("h1").first.inner_text().strip() == heading
    back = page.locator(".nt-message a.btn")
    assert back.count() == 1 and f"lang={lang}" in back.get_attribute("href")
    assert "Traceback" not in page.inner_text("body")
    shoot(page, f"notfound-{path.strip('/').split('?')[0].replace('/', '-')}-{lang}")
    page_watch.assert_clean()
