"""Chart images drawn by kaleido in a real headless Chromium: formats, the warm browser (one start,
restart after a crash, one image at a time from many threads) and Kazakh letters in exported images.

How the Kazakh letters are checked (no OCR needed): a glyph the fonts lack is drawn as the font's
"missing glyph" box ("tofu"), and every missing glyph draws the same box. So the export of a chart
titled with one letter is drawn for each of ә ғ қ ң ө ұ ү һ і and for two code points no font has
(U+0378, U+0379, unassigned): the two unassigned ones must come out byte-identical (the control:
the method does see tofu), and each Kazakh letter's image must differ from that tofu image, from an
image with a blank title, and from every other letter's image. The same export as SVG must carry the
title as text in DejaVu Sans. Images are byte-compared: Chromium's PNG encoder is deterministic.
"""

from __future__ import annotations

import datetime as dt
import threading

import plotly.graph_objects as go
import pytest

from dashboards._theme import TEMPLATE_NAME  # noqa: F401 - registers the natije template (DejaVu Sans)
from services import chart_images, exports
from services.exports import ChartContent
from services.i18n import translator

pytestmark = pytest.mark.needs_system("chromium", "dejavu")

KAZAKH = "әғқңөұүһі"
UNASSIGNED = ("\u0378", "\u0379")
KK = translator("kk")


@pytest.fixture(scope="module")
def renderer():
    shared = chart_images.ChartRenderer()
    yield shared
    shared.close()


def small_figure() -> go.Figure:
    figure = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    figure.update_layout(template=TEMPLATE_NAME, title="Қазақстан")
    return figure


def test_png_svg_and_pdf_come_out_of_one_warm_browser(renderer):
    png = renderer.render(small_figure(), "png", width=400, height=300, scale=2)
    svg = renderer.render(small_figure(), "svg", width=400, height=300)
    pdf = renderer.render(small_figure(), "pdf", width=400, height=300)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and int.from_bytes(png[16:20], "big") == 800  # width x scale
    assert svg.lstrip().startswith(b"<svg") and "Қазақстан".encode() in svg
    assert pdf.startswith(b"%PDF")
    assert renderer.starts == 1 and renderer.running
    with pytest.raises(ValueError):
        renderer.render(small_figure(), "gif", width=400, height=300)


def test_a_crashed_browser_is_restarted_and_the_image_drawn(renderer):
    renderer.render(small_figure(), "png", width=200, height=150)
    starts = renderer.starts
    renderer._kaleido.subprocess.kill()  # Chromium dies behind the renderer's back
    renderer._kaleido.subprocess.wait(timeout=10)
    png = renderer.render(small_figure(), "png", width=200, height=150)
    assert png.startswith(b"\x89PNG") and renderer.starts == starts + 1


def test_images_are_drawn_one_at_a_time_for_many_threads(renderer):
    results: list[bytes] = []
    errors: list[BaseException] = []

    def draw(i: int) -> None:
        try:
            figure = small_figure().update_layout(title=f"Сурет {i}")
            results.append(renderer.render(figure, "svg", width=300, height=200))
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=draw, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors and len(results) == 4
    assert {i for i in range(4) for svg in results if f"Сурет {i}".encode() in svg} == {0, 1, 2, 3}


def test_exported_images_show_kazakh_letters(renderer, monkeypatch):
    monkeypatch.setattr(exports, "render_image", renderer.render)

    def export(title: str, fmt: str = "png") -> bytes:
        chart = ChartContent(small_figure(), title=title, units=None, source="ҰСБ", as_of=dt.date(2025, 11, 15),
                             filters=(("Өңір", "Астана"),))
        return exports.image_bytes(chart, fmt, KK)

    tofu = [export(code_point) for code_point in UNASSIGNED]
    assert tofu[0] == tofu[1], "the control failed: two missing glyphs should draw the same box"
    blank = export(" ")
    letters = {letter: export(letter) for letter in KAZAKH}
    for letter, png in letters.items():
        assert png.startswith(b"\x89PNG")
        assert png != tofu[0], f"{letter!r} is drawn as a missing-glyph box"
        assert png != blank, f"{letter!r} is not drawn at all"
    assert len(set(letters.values())) == len(KAZAKH), "two Kazakh letters are drawn alike"
    svg = export(f"Өмір сүру ұзақтығы {KAZAKH}", "svg").decode("utf-8")
    assert f"Өмір сүру ұзақтығы {KAZAKH}" in svg and "DejaVu Sans" in svg
