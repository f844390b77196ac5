"""``/ledger`` in real Chromium, in kk, ru and en, against the demo store: the chain's status, the newest
entries (one opened to its canonical payload and hashes), the filter by kind through the dropdown and
the filter by goal through the code fields, with the goal's history; zero console errors.

Fixtures (tests/browser/conftest.py): the app served once per session, ``page_watch`` (console errors,
failed or offsite requests), ``open_page``, ``shoot`` (tests/artifacts/ledger-<lang>.png,
ledger-goal-<lang>.png).
"""

from __future__ import annotations

import pytest

from services.i18n import translator
from tests.browser.conftest import english_leftovers, settle, text_without

LANGS = ("kk", "ru", "en")
ENTRIES = "#ledger-entry-list > li.nt-ledger__entry"
#: Data rather than interface words: codes, hashes, keys, payloads (canonical JSON keys are English).
DATA_CELLS = "#ledger-page .nt-ledger__mono, #ledger-page .nt-ledger__summary"


@pytest.mark.parametrize("lang", LANGS)
def test_the_chain_and_the_newest_entries_in_each_language(page, page_watch, open_page, shoot, english_words, lang):
    t = translator(lang)
    open_page(page, f"/ledger?lang={lang}")
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("#natije-navbar a.nt-nav__link.is-current").get_attribute("href") == f"/ledger?lang={lang}"
    ledger = page.locator("#ledger-page")
    total = int(ledger.get_attribute("data-total"))
    assert total > 5000 and ledger.get_attribute("data-state") in ("never", "verified", "stale")
    assert page.locator(ENTRIES).count() == 50
    assert page.locator(ENTRIES).first.get_attribute("data-seq") == str(total)
    status = page.locator("#ledger-status")
    assert t("ledger.status.heading") in status.inner_text() and t("ledger.key.heading") in status.inner_text()

    first = page.locator(ENTRIES).first
    first.locator("summary").click()
    payload = first.locator("pre.nt-ledger__json")
    payload.wait_for()
    assert payload.inner_text().startswith("{\"") and first.locator("code.nt-ledger__mono").count() >= 3
    assert payload.bounding_box()["width"] < page.viewport_size["width"]  # long payloads wrap, never overflow
    shoot(page, f"ledger-{lang}")
    if lang != "en":
        leftovers = english_leftovers(text_without(page, DATA_CELLS), english_words)
        assert not leftovers, f"English words on the {lang} ledger page: {sorted(leftovers)}"
    page_watch.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_filter_by_kind_then_by_goal_shows_its_history(page, page_watch, open_page, shoot, lang):
    t = translator(lang)
    open_page(page, f"/ledger?lang={lang}")
    page.locator("#ledger-kind").click()
    page.get_by_role("option", name=t("ledger.kind.target.set"), exact=True).click()
    page.wait_for_url(f"**/ledger?lang={lang}&kind=target.set")
    settle(page)
    page.wait_for_function("() => document.getElementById('ledger-page')?.dataset.kind === 'target.set'")
    kinds = set(page.locator(ENTRIES).evaluate_all("items => items.map(i => i.dataset.kind)"))
    assert kinds == {"target.set"}

    page.get_by_role("link", name=t("ledger.filter.clear")).click()  # every kind again, then a goal typed in
    page.wait_for_url(f"**/ledger?lang={lang}")
    settle(page)
    page.fill("#ledger-node", "ndp-2025")
    page.fill("#ledger-indicator", "new_schools_built")
    page.press("#ledger-indicator", "Enter")
    page.wait_for_url(f"**/ledger?lang={lang}&node=NDP-2025&indicator=NEW_SCHOOLS_BUILT")
    settle(page)
    history = page.locator("#ledger-history")
    history.wait_for()
    assert t("ledger.history.owners") in history.inner_text() and t("ledger.history.now") in history.inner_text()
    owners = history.locator("table").first.locator("tbody tr")
    assert owners.count() == 3 and history.locator("a[href^='/officials/OF-']").count() == 3
    assert history.locator("table").nth(1).locator("tbody tr").count() >= 8
    kinds = set(page.locator(ENTRIES).evaluate_all("items => items.map(i => i.dataset.kind)"))
    assert kinds <= {"target.set", "responsibility.assigned", "responsibility.ended"} and len(kinds) == 3
    shoot(page, f"ledger-goal-{lang}")
    page_watch.assert_clean()


def test_a_goal_link_in_an_entry_opens_its_history(page, page_watch, open_page):
    open_page(page, "/ledger?lang=en&kind=responsibility.assigned")
    first = page.locator(ENTRIES).first
    first.locator("summary").click()
    link = first.get_by_role("link", name="History of this goal")
    target = link.get_attribute("href")
    assert target.startswith("/ledger?lang=en&node=")
    link.click()
    settle(page)
    page.locator("#ledger-history").wait_for()
    assert page.locator("#ledger-page").get_attribute("data-node") in target
    page_watch.assert_clean()
