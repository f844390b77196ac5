"""The overview `/` and a program page in real Chromium, in kk, ru and en, against the demo store.

Fixtures (tests/browser/conftest.py): the app served once per session (``natije run`` on a demo copy),
``page_watch`` (console errors, failed/offsite requests), ``open_page``, ``shoot`` (tests/artifacts/).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import english_leftovers, settle

LANGS = ("kk", "ru", "en")
KPI_CARDS = "#overview-kpi-grid .nt-kpi"
PROGRAM_TILES = "#overview-program-grid a.nt-tile"
ALERT_BUTTONS = "#overview-alert-strip button.nt-alert"


def _open_alerts_one_by_one(page) -> list[str]:
    """Click each alert count; return the visible text of the page with each list open."""
    texts = []
    buttons = page.locator(ALERT_BUTTONS)
    for i in range(buttons.count()):
        button = buttons.nth(i)
        button.click()
        panel_id = button.get_attribute("aria-controls")
        panel = page.locator(f"[id='{panel_id}']")
        panel.wait_for(state="visible")
        assert button.get_attribute("aria-expanded") == "true"
        texts.append(page.inner_text("body"))
    return texts


@pytest.mark.parametrize("lang", LANGS)
def test_overview_in_each_language(page, page_watch, open_page, shoot, english_words, lang):
    open_page(page, f"/?lang={lang}")
    assert page.evaluate("document.documentElement.lang") == lang

    cards = page.locator(KPI_CARDS)
    assert cards.count() >= 8
    first = cards.first
    assert re.search(r"\d", first.locator(".nt-kpi__number").inner_text())
    assert first.locator(".nt-status").first.inner_text().strip()  # status with its name, not colour alone
    assert first.locator(".nt-kpi__owner-name").inner_text().strip()
    assert page.locator(f"{KPI_CARDS} .js-plotly-plot").count() >= 1  # sparklines rendered

    assert page.locator(PROGRAM_TILES).count() >= 5
    assert page.locator(ALERT_BUTTONS).count() == 3
    shoot(page, f"overview-{lang}")

    texts = [page.inner_text("body")] + _open_alerts_one_by_one(page)
    shoot(page, f"overview-{lang}-alerts")
    if lang != "en":
        leftovers = set().union(*(english_leftovers(text, english_words) for text in texts))
        assert not leftovers, f"English words on the {lang} page: {sorted(leftovers)}"
    page_watch.assert_clean()


def test_an_alert_count_opens_its_list_and_a_second_click_closes_it(page, page_watch, open_page):
    open_page(page, "/?lang=en")
    buttons = page.locator(ALERT_BUTTONS)
    counts = [int(re.sub(r"\D", "", buttons.nth(i).locator(".nt-alert__count").inner_text()) or 0)
              for i in range(3)]
    index = next(i for i, n in enumerate(counts) if n > 0)
    button = buttons.nth(index)
    panel = page.locator(f"[id='{button.get_attribute('aria-controls')}']")
    button.focus()
    page.keyboard.press("Enter")  # keyboard-operable
    panel.wait_for(state="visible")
    assert panel.locator("tbody tr").count() >= 1
    button.click()
    panel.wait_for(state="hidden")
    assert button.get_attribute("aria-expanded") == "false"
    page_watch.assert_clean()


def test_a_status_badge_shows_the_reason_on_hover_and_on_click(page, page_watch, open_page):
    open_page(page, "/?lang=ru")
    badge = page.locator(f"{KPI_CARDS} button.nt-status").first
    assert ":" in (badge.get_attribute("title") or "")  # "<status>: <reason>" on hover
    badge.click()
    popover = page.locator(".popover")
    popover.wait_for(state="visible")
    assert popover.inner_text().strip()
    page_watch.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_clicking_a_program_opens_its_page_with_name_and_figures(page, page_watch, open_page, shoot,
                                                                  english_words, lang):
    open_page(page, f"/?lang={lang}")
    tile = page.locator(PROGRAM_TILES).first
    name = tile.locator(".nt-tile__name").inner_text().strip()
    code = tile.get_attribute("href").split("/programs/")[1].split("?")[0]
    tile.click()
    page.wait_for_url(re.compile(rf"/programs/{re.escape(code)}\?lang={lang}$"))
    settle(page)
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("h1.nt-title").inner_text().strip() == name
    assert page.locator("#natije-breadcrumb a").count() >= 1  # back to the portfolio
    rows = page.locator("#program-goals tbody tr")
    assert rows.count() >= 1
    assert re.search(r"\d", rows.first.inner_text())  # real figures
    assert rows.first.locator(".nt-status").inner_text().strip()  # status with its name
    shoot(page, f"program-{lang}")
    if lang != "en":
        leftovers = english_leftovers(page.inner_text("body"), english_words)
        assert not leftovers, f"English words on the {lang} program page: {sorted(leftovers)}"
    page_watch.assert_clean()


def test_the_language_switch_keeps_the_page(page, page_watch, open_page):
    open_page(page, "/?lang=en")
    href = page.locator(PROGRAM_TILES).first.get_attribute("href")
    open_page(page, href)
    page.locator("#natije-lang-switch a[lang='kk']").click()
    page.wait_for_url(re.compile(r"/programs/[^?]+\?lang=kk$"))
    settle(page)
    assert page.evaluate("document.documentElement.lang") == "kk"
    assert page.locator("#program-goals").count() == 1
    page_watch.assert_clean()


@pytest.mark.parametrize("path,lang,heading", [
    ("/programs/NOPE", "kk", "Бағдарлама табылмады"),
    ("/?portfolio=NOPE", "ru", "Портфель не найден"),
    ("/no/such/page", "en", "Page not found"),
])
def test_unknown_codes_and_paths_are_friendly_not_found_pages(page, page_watch, open_page, shoot, path, lang, heading):
    sep = "&" if "?" in path else "?"
    open_page(page, f"{path}{sep}lang={lang}")
    assert page.locator("h1").first.inner_text().strip() == heading
    back = page.locator(".nt-message a.btn")
    assert back.get_attribute("href").startswith("/?lang=" + lang)
    assert "Traceback" not in page.inner_text("body")
    shoot(page, f"notfound-{lang}")
    page_watch.assert_clean()
