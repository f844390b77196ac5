"""``/officials``, one official's scorecard and ``/instructions`` (every view) in real Chromium against the
demo store, in kk, ru and en: each page entirely in its language, zero console errors and failed
requests, a screenshot in tests/artifacts/ (``officials-<lang>``, ``official-<code>-<lang>``,
``instructions-<view>-<lang>``). An overdue instruction is followed from the list to its assignee's
scorecard (their own) and to the scorecard of the official it escalated to.

Fixtures (tests/browser/conftest.py): ``app_server``, ``page_watch``, ``open_page``, ``shoot``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from services.i18n import LANGUAGES
from services.instructions import VIEWS
from tests.browser.conftest import settle
from tests.browser.test_drilldown import catalog_words

#: Words that may appear on a page in any language: the brand, the endonym of English in the switch, and
#: a proper name the demo's Russian texts keep in Kazakh (the national project «Ұлттық рухани жаңғыру»).
ALLOWED = {"natije", "english", "ұлттық", "рухани", "жаңғыру"}
#: The rows of the list's grid (the pinned instruction column lives in a container of its own).
GRID_ROWS = "#instructions-list .ag-center-cols-container .ag-row"


@pytest.fixture(scope="module")
def foreign_words() -> dict[str, set[str]]:
    """For each language, the words of the other languages' catalogs that its own catalog lacks."""
    words = {lang: catalog_words(lang) for lang in LANGUAGES}
    return {lang: set().union(*(words[o] for o in LANGUAGES if o != lang)) - words[lang] - ALLOWED
            for lang in LANGUAGES}


def assert_in_language(page, lang: str, foreign: set[str]) -> None:
    assert page.evaluate("document.documentElement.lang") == lang
    tokens = {w for w in re.findall(r"[^\W\d_]{4,}", page.inner_text("body")) if not w.isupper()}
    found = {w for w in tokens if w.lower() in foreign}
    assert not found, f"words of another language on {page.url}: {sorted(found)}"


def assert_no_overflow(page) -> None:
    """Nothing sticks out of the page sideways, and no table needs a sideways scroll at 1440 px."""
    wide = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert wide <= 1, f"the page is {wide}px wider than the window"
    tables = page.evaluate("""() => Array.from(document.querySelectorAll('.table-responsive'))
        .map(box => box.scrollWidth - box.clientWidth)""")
    assert all(extra <= 1 for extra in tables), f"tables wider than their box by {tables} px"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_officials_list_and_one_scorecard(page, page_watch, open_page, shoot, foreign_words, lang):
    open_page(page, f"/officials?lang={lang}&sort=overdue")
    rows = page.locator("#officials-page tbody tr")
    assert rows.count() >= 20
    assert page.locator("#officials-page .nt-share").count() >= 10
    assert_in_language(page, lang, foreign_words[lang])
    assert_no_overflow(page)
    shoot(page, f"officials-{lang}")
    first = page.locator("#officials-page a.nt-official__name").first
    code = first.get_attribute("href").split("/officials/")[1].split("?")[0]
    first.click()
    page.wait_for_url(re.compile(rf"/officials/{code}\?lang={lang}"))
    page.wait_for_selector("#official-page")
    settle(page)
    card = page.locator("#official-page")
    assert int(card.get_attribute("data-overdue-escalated")) > 0
    assert page.locator("#official-goals tbody tr").count() >= 1
    assert page.locator("#official-overdue-escalated .ag-row").count() >= 1
    assert_in_language(page, lang, foreign_words[lang])
    assert_no_overflow(page)
    shoot(page, f"official-{code}-{lang}")
    page_watch.assert_clean()


def test_the_search_filters_the_list_through_the_url(page, page_watch, open_page):
    open_page(page, "/officials?lang=ru")
    everyone = int(page.locator("#officials-page").get_attribute("data-total"))
    page.fill("#officials-search", "министр")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q="))
    settle(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["министр"] and query["lang"] == ["ru"]
    found = int(page.locator("#officials-page").get_attribute("data-total"))
    assert 0 < found < everyone
    posts = page.locator("#officials-page tbody tr td:first-child small.nt-muted").all_inner_texts()
    assert posts and all("министр" in post.lower() for post in posts)
    page_watch.assert_clean()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("view", VIEWS)
def test_every_view_of_the_instructions(page, page_watch, open_page, shoot, foreign_words, view, lang):
    open_page(page, f"/instructions?lang={lang}" + ("" if view == "all" else f"&view={view}"))
    assert page.locator("#instructions-page").get_attribute("data-view") == view
    current = page.locator("#instructions-views li[aria-current] a")
    assert current.count() == 1
    if view == "by_meeting":
        assert page.locator("#instructions-page .ag-row").count() >= 10
    else:
        assert page.locator(GRID_ROWS).count() >= 1
        if view.startswith("overdue_"):
            assert page.locator("#instructions-groups .ag-row").count() >= 5
    assert_in_language(page, lang, foreign_words[lang])
    assert_no_overflow(page)
    shoot(page, f"instructions-{view}-{lang}")
    page_watch.assert_clean()


def test_the_tabs_and_pages_are_links_that_keep_the_language(page, page_watch, open_page):
    open_page(page, "/instructions?lang=kk")
    page.locator("#instructions-views a", has_text=re.compile(".")).nth(2).click()
    page.wait_for_url(re.compile(r"view=overdue_assignee"))
    page.wait_for_selector("#instructions-page[data-view='overdue_assignee']")
    settle(page)
    assert parse_qs(urlsplit(page.url).query) == {"lang": ["kk"], "view": ["overdue_assignee"]}
    page.locator("#instructions-list .nt-pager a").last.click()
    page.wait_for_url(re.compile(r"page=2"))
    page.wait_for_selector("#instructions-page[data-page='2']")
    settle(page)
    assert page.locator("#instructions-page").get_attribute("data-page") == "2"
    page_watch.assert_clean()


def test_an_overdue_instruction_is_on_its_assignees_and_its_escalation_owners_scorecard(page, page_watch, open_page,
                                                                                        shoot):
    open_page(page, "/instructions?lang=en&view=overdue_assignee")
    rows = page.locator(GRID_ROWS)
    chosen = None
    for index in range(rows.count()):
        row = rows.nth(index)
        links = {cell: row.locator(f"[col-id='{cell}'] a") for cell in ("assignee", "linked", "escalation")}
        if all(link.count() for link in links.values()) and "/projects/" in links["linked"].get_attribute("href"):
            chosen = (row.get_attribute("row-id"), links["assignee"].get_attribute("href"),
                      links["escalation"].get_attribute("href"))
            break
    assert chosen, "no overdue instruction linked to a project in the list"
    code, assignee, owner = chosen
    open_page(page, assignee)
    assert code in page.locator("#official-overdue-own").inner_text()
    open_page(page, owner)
    escalated = page.locator("#official-overdue-escalated").inner_text()
    assert code in escalated
    assert int(page.locator("#official-page").get_attribute("data-overdue-escalated")) >= 1
    page_watch.assert_clean()


@pytest.mark.parametrize("path", ["/officials/NO-SUCH-OFFICIAL?lang=kk", "/instructions?lang=ru&view=%00&page=-1&assignee=%27"])
def test_unknown_officials_and_hostile_urls_are_friendly(page, page_watch, open_page, path):
    open_page(page, path)
    assert page.locator("main").count() == 1
    assert page.locator("#officials-page, #official-page, #instructions-page, .nt-message").count() >= 1
    page_watch.assert_clean()
