"""``/data`` in real Chromium, in kk, ru and en, against the demo store: the catalogue with its freshness,
the filters, the blank templates and the load history; an upload through the page's file input shows
its report and its batch in the history, whose file opens the report again.

Fixtures (tests/browser/conftest.py): the app served once per session, ``page_watch`` (console errors,
failed or offsite requests), ``open_page``, ``shoot`` (tests/artifacts/).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import english_leftovers, settle, text_without

LANGS = ("kk", "ru", "en")
GRID_ROWS = "#data-catalogue-grid .ag-center-cols-container .ag-row"
FRESHNESS_CELLS = "#data-catalogue-grid .ag-center-cols-container [col-id='freshness']"
#: Cells holding data rather than interface words (sources are URLs and English notes; file names).
DATA_CELLS = "#data-catalogue-grid .nt-data__source, #data-history .nt-history__open"


@pytest.mark.parametrize("lang", LANGS)
def test_the_catalogue_freshness_and_history_in_each_language(page, page_watch, open_page, shoot, english_words,
                                                              lang):
    open_page(page, f"/data?lang={lang}")
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("#natije-navbar a.nt-nav__link.is-current").get_attribute("href") == f"/data?lang={lang}"
    data_page = page.locator("#data-page")
    indicators = int(data_page.get_attribute("data-indicators"))
    assert indicators > 100 and data_page.get_attribute("data-can-upload") == "1"
    assert page.locator(GRID_ROWS).count() == 25  # the first page of the grid
    assert re.search(r"\d", page.locator(GRID_ROWS).first.inner_text())
    badges = page.locator("#data-catalogue .nt-summary__item")
    assert badges.count() >= 3 and page.locator(FRESHNESS_CELLS).first.inner_text().strip()
    links = page.locator(f"{GRID_ROWS} a[href^='/data/download/']")
    assert links.count() == 50 and f"lang={lang}" in links.first.get_attribute("href")
    assert page.locator("#data-templates a[href^='/data/templates/']").count() >= 2
    assert page.locator("#data-history").count() == 1 and page.locator("#data-upload").count() == 1
    shoot(page, f"data-{lang}")
    if lang != "en":
        leftovers = english_leftovers(text_without(page, DATA_CELLS), english_words)
        assert not leftovers, f"English words on the {lang} data page: {sorted(leftovers)}"
    page_watch.assert_clean()


def test_the_filters_narrow_the_catalogue(page, page_watch, open_page):
    open_page(page, "/data?lang=en")
    total = int(page.locator("#data-page").get_attribute("data-indicators"))
    page.locator("#data-freshness").click()
    page.get_by_role("option", name="Stale").click()
    page.wait_for_function(f"() => !document.getElementById('data-shown').innerText.startsWith('{total} of')")
    shown = int(page.locator("#data-shown").inner_text().split(" of ")[0])
    assert 0 < shown < total
    cells = page.locator(FRESHNESS_CELLS).all_inner_texts()
    assert cells and all("Stale" in cell for cell in cells)
    page.fill("#data-search", "no such indicator at all")
    page.press("#data-search", "Enter")
    page.wait_for_function("() => document.getElementById('data-shown').innerText.startsWith('0 of')")
    page_watch.assert_clean()


def test_an_upload_shows_its_report_and_its_batch_in_the_history(page, page_watch, open_page, shoot, tmp_path):
    open_page(page, "/data?lang=en")
    batches = int(page.locator("#data-page").get_attribute("data-batches"))
    # a download of the page, loaded back with one bad row: the values are unchanged, one row is quarantined
    download = page.request.get("/data/download/LIFE_EXPECTANCY.csv?lang=en")
    assert download.ok and download.headers["content-disposition"].startswith("attachment")
    lines = download.text().splitlines()
    assert lines[0] == "indicator,period,value,region,unit,comment"
    upload = tmp_path / "life-expectancy.csv"
    upload.write_text("\n".join([*lines[:3], "LIFE_EXPECTANCY,2025-13,75,,years,"]) + "\n", encoding="utf-8")

    page.set_input_files("#data-upload input[type=file]", str(upload))
    report = page.locator("#data-upload-result .nt-report")
    report.wait_for(timeout=30_000)
    assert report.get_attribute("data-status") == "partial"
    text = report.inner_text()
    assert "life-expectancy.csv" in text and "Loaded in part" in text
    counts = dict(zip(report.locator(".nt-stat dt").all_inner_texts(), report.locator(".nt-stat dd").all_inner_texts()))
    assert counts == {"Rows read": "3", "New": "0", "Unchanged": "2", "Corrected": "0", "Quarantined": "1"}
    problem = report.locator("tbody tr").first.inner_text()
    assert "2025-13" in problem and "period" in problem
    assert report.locator("a[href^='/data/files/']").count() == 1

    history = page.locator("#data-history tbody tr")
    assert history.count() == batches + 1
    assert "life-expectancy.csv" in history.first.inner_text() and "web:minister" in history.first.inner_text()
    page.locator("#data-upload-section").scroll_into_view_if_needed()
    shoot(page, "data-upload-en")

    history.first.locator("button.nt-history__open").click()
    modal = page.locator("#data-batch-modal")
    modal.locator(".nt-report").wait_for()
    modal.evaluate("el => Promise.all(el.getAnimations({subtree: true}).map(a => a.finished))")  # faded in
    assert "2025-13" in modal.inner_text() and "web:minister" in modal.inner_text()
    shoot(page, "data-report-en", full_page=False)
    page.locator("#data-batch-close").click()
    modal.wait_for(state="hidden")
    kept = page.request.get(report.locator("a[href^='/data/files/']").get_attribute("href"))
    assert kept.ok and kept.body() == upload.read_bytes()
    settle(page)
    page_watch.assert_clean()
