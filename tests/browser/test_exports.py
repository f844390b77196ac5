"""The export menu of every chart in real Chromium: present on each chart of the program page, opened
with the keyboard, closed with Escape, and a PNG and a CSV really downloaded from it; no console
errors, no failed requests. Screenshot: tests/artifacts/export-menu-en.png.

Fixtures (tests/browser/conftest.py): ``app_server``, ``page_watch``, ``open_page``, ``shoot``.
"""

from __future__ import annotations

from pathlib import Path

FORMATS = ["PNG", "SVG", "PDF", "CSV", "XLSX"]


def test_every_chart_offers_the_five_formats_and_downloads_work(page, page_watch, open_page, shoot, tmp_path):
    open_page(page, "/programs/NP-HEALTH?lang=en")
    charts = page.locator("figure.nt-chart")
    count = charts.count()
    assert count >= 10
    assert page.locator("figure.nt-chart details.nt-export").count() == count
    for i in range(count):
        formats = charts.nth(i).locator(".nt-export__format").all_text_contents()
        assert formats == FORMATS, f"chart {i}: {formats}"

    menu = page.locator("details.nt-export").first
    toggle = menu.locator("summary")
    toggle.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("open") is not None
    png_link = menu.locator("a.nt-export__link").first
    assert png_link.is_visible() and png_link.get_attribute("download") == ""
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('nt-export__link')")
    menu.scroll_into_view_if_needed()
    shoot(page, "export-menu-en", full_page=False)
    page.keyboard.press("Escape")
    assert menu.get_attribute("open") is None
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"

    toggle.click()
    with page.expect_download() as png_download:
        png_link.click()
    png = png_download.value
    assert png.suggested_filename.startswith("natije_NP-HEALTH_") and png.suggested_filename.endswith("_2025-11-15.png")
    saved = Path(tmp_path / png.suggested_filename)
    png.save_as(saved)
    assert saved.read_bytes().startswith(b"\x89PNG")
    assert menu.get_attribute("open") is None  # choosing a format closes the menu

    toggle.click()
    with page.expect_download() as csv_download:
        menu.locator("a.nt-export__link", has_text="CSV").click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    assert page.url.endswith("/programs/NP-HEALTH?lang=en")  # a download, not a navigation
    page_watch.assert_clean()
