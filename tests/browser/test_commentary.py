"""The owner's word in real Chromium: a program page in kk, ru and en shows the accountable official's
commentary and recovery action beside an amber or red goal; the viewer acting as the owner
(``NATIJE_VIEWER_OFFICIAL``) gives a new word through the form and sees it in place. No console errors,
no failed requests; screenshots tests/artifacts/commentary-<lang>.png, commentary-dialog-en.png (the form
filled in) and commentary-form-en.png (the new word in place).

The server here is this module's own (``natije run`` on a copy of the session's demo store, acting as
the health minister), so the session's shared server keeps the default viewer."""

from __future__ import annotations

from typing import Iterator

import pytest

from services.i18n import translator
from tests.browser.conftest import AppServer, serve_demo_copy, settle

PROGRAM, OWNER = "NP-HEALTH", "OF-MOH-01"  # the demo's health program and its minister
WEAK_GOAL = ".nt-goal--red, .nt-goal--amber_red, .nt-goal--amber, .nt-goal--missed"


@pytest.fixture(scope="module")
def owner_server(demo_store, harness, tmp_path_factory) -> Iterator[AppServer]:
    """``natije run`` with the viewer acting as the owner of NP-HEALTH, on its own demo copy."""
    server = serve_demo_copy(demo_store, harness, tmp_path_factory.mktemp("owner-server"),
                             NATIJE_VIEWER_OFFICIAL=OWNER)
    try:
        yield server
    finally:
        server.stop()


def open_program(page, server: AppServer, lang: str):
    page.goto(f"{server.url}/programs/{PROGRAM}?lang={lang}", wait_until="networkidle")
    settle(page)
    return page.locator(WEAK_GOAL).first


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_owners_word_stands_beside_an_amber_or_red_goal(page, page_watch, owner_server, harness, lang):
    t = translator(lang)
    goal = open_program(page, owner_server, lang)
    word = goal.locator(".nt-goal__aside .nt-word")
    assert word.locator(".nt-word__label").inner_text().strip() == t("commentary.heading")
    assert word.locator(".nt-word__text").get_attribute("lang") == lang
    assert len(word.locator(".nt-word__text").inner_text().strip()) > 40
    recovery = word.locator(".nt-word__recovery")
    assert recovery.locator(".nt-word__recovery-label").inner_text().strip() == t("commentary.recovery")
    assert t("commentary.due", date="").strip() in recovery.inner_text()
    assert goal.locator(".nt-word__give").inner_text().strip().endswith(t("commentary.give"))
    header = page.locator(".nt-header-status .nt-word")
    assert header.count() == 1 and header.locator(".nt-word__text").inner_text().strip()
    goal.scroll_into_view_if_needed()
    harness.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(harness.ARTIFACTS / f"commentary-{lang}.png"))
    page_watch.assert_clean()


def test_the_owner_gives_a_new_word_through_the_form_and_sees_it(page, page_watch, owner_server, harness):
    t = translator("en")
    goal = open_program(page, owner_server, "en")
    goal.locator(".nt-word__give").click()
    dialog = page.locator(".modal.show")
    dialog.wait_for()
    assert t("commentary.form.needs_recovery") in dialog.inner_text()
    dialog.locator("textarea").nth(2).fill("Hiring has caught up in the north; the south is still short of staff.")
    dialog.locator("textarea").nth(5).fill("Mobile teams for the southern districts, reviewed monthly.")
    dialog.locator("input[type='date']").fill("2026-02-27")
    page.screenshot(path=str(harness.ARTIFACTS / "commentary-dialog-en.png"))
    dialog.locator("button.btn-primary").click()
    error = dialog.locator(".nt-word-form__error")
    assert error.count() == 0 or not error.is_visible()
    dialog.wait_for(state="hidden")
    word = goal.locator(".nt-word")
    word.locator(".nt-word__text", has_text="Hiring has caught up in the north").wait_for()
    assert "Mobile teams for the southern districts" in word.inner_text()
    assert t("commentary.saved") in goal.inner_text()
    assert "27 Feb 2026" in word.locator(".nt-word__due").inner_text()
    goal.scroll_into_view_if_needed()
    page.screenshot(path=str(harness.ARTIFACTS / "commentary-form-en.png"))

    # a refusal keeps the dialog open and says why: amber or worse needs its recovery action
    goal.locator(".nt-word__give").click()
    dialog.wait_for()
    dialog.locator("textarea").nth(5).fill("")
    dialog.locator("button.btn-primary").click()
    dialog.locator(".nt-word-form__error").wait_for()
    assert "give a recovery action" in dialog.locator(".nt-word-form__error").inner_text()

    # the word stays after a reload (it is in the store, not only on the page)
    page.reload(wait_until="networkidle")
    settle(page)
    assert "Hiring has caught up in the north" in page.locator(WEAK_GOAL).first.locator(".nt-word").inner_text()
    page_watch.assert_clean()
