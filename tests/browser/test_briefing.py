"""The "Briefing pack (PDF)" button in real Chromium: on the overview it shows progress while the pack
renders (button disabled and busy, spinner shown), then delivers the PDF as a download and names the
file; the program and region pages carry it too; no console errors, no failed requests.
Screenshots: tests/artifacts/briefing-button-busy-en.png, briefing-button-done-kk.png.

Fixtures (tests/browser/conftest.py): ``app_server``, ``page_watch``, ``open_page``, ``shoot``.
"""

from __future__ import annotations

from playwright.sync_api import expect

#: Records whether the button was ever disabled and busy and the spinner ever shown (a render may be quick).
WATCH_BUSY = """() => {
  const button = document.getElementById('briefing-button');
  const spinner = document.getElementById('briefing-spinner');
  window.briefingSeen = {disabled: false, busy: false, spinner: false};
  const look = () => {
    if (button.disabled) window.briefingSeen.disabled = true;
    if (button.getAttribute('aria-busy') === 'true') window.briefingSeen.busy = true;
    if (!spinner.hidden) window.briefingSeen.spinner = true;
  };
  new MutationObserver(look).observe(button, {attributes: true});
  new MutationObserver(look).observe(spinner, {attributes: true});
}"""


def test_the_overview_button_shows_progress_and_delivers_the_pack(page, page_watch, open_page, shoot, tmp_path):
    open_page(page, "/?lang=en")
    button = page.locator("#briefing-button")
    spinner = page.locator("#briefing-spinner")
    expect(button).to_be_enabled()
    expect(button).to_contain_text("Briefing pack (PDF)")
    expect(spinner).to_be_hidden()
    page.evaluate(WATCH_BUSY)
    with page.expect_download(timeout=120_000) as pack:
        button.click()
        if page.evaluate("window.briefingSeen.spinner") or spinner.is_visible():
            shoot(page, "briefing-button-busy-en", full_page=False)
    download = pack.value
    assert download.suggested_filename == "natije_briefing_NDP-2029_KZ_2025-11-15_en.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-") and saved.stat().st_size > 50_000
    assert page.evaluate("window.briefingSeen") == {"disabled": True, "busy": True, "spinner": True}
    expect(page.locator("#briefing-status")).to_contain_text(download.suggested_filename)
    expect(button).to_be_enabled()
    expect(spinner).to_be_hidden()
    assert button.get_attribute("aria-busy") == "false"
    page_watch.assert_clean()


def test_the_program_and_region_pages_offer_the_pack_in_their_language(page, page_watch, open_page, shoot, tmp_path):
    open_page(page, "/programs/NP-HEALTH?lang=ru")
    expect(page.locator("#briefing-button")).to_contain_text("Материалы к совещанию (PDF)")
    open_page(page, "/regions/AST?lang=kk")
    button = page.locator("#briefing-button")
    expect(button).to_contain_text("Кеңес материалдары (PDF)")
    with page.expect_download(timeout=120_000) as pack:
        button.click()
    assert pack.value.suggested_filename == "natije_briefing_NDP-2029_AST_2025-11-15_kk.pdf"
    expect(page.locator("#briefing-status")).to_contain_text("Дайын")
    expect(button).to_be_enabled()
    page.locator("#briefing").scroll_into_view_if_needed()
    shoot(page, "briefing-button-done-kk", full_page=False)
    page_watch.assert_clean()
