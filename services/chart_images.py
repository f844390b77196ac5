"""Static images of Plotly figures (PNG, SVG, PDF) drawn by kaleido in one headless Chromium per process.

The browser is started on the first image (or ahead of it by :func:`warm_up`, see
``NATIJE_EXPORT_WARM``) and kept running: a cold start costs about 2 s, a warm image about 0.15 s
(``bench/bench_export.py``). Images are drawn one at a time (a lock: kaleido's page has one tab);
a browser that fails or hangs is closed and started again, and the image tried once more.
A process forked after the start (a pre-loading web server) starts a browser of its own.

Offline: kaleido's page loads plotly.js from the plotly package and MathJax is off, so no image
ever asks the network for anything. Kazakh letters come out right because the natije template
writes in DejaVu Sans (``dashboards._theme``; Debian ``fonts-dejavu-core``).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import os
import threading
from functools import lru_cache
from typing import Any

IMAGE_FORMATS = ("png", "svg", "pdf")
#: Seconds to start the browser, and to draw one image (kaleido's own limit; ours waits 5 s more).
START_TIMEOUT = 60.0
RENDER_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0

log = logging.getLogger(__name__)


class RenderFailed(RuntimeError):
    """The browser could not draw the image, even after a restart."""


class ChartRenderer:
    """A kaleido browser on an event loop of its own thread, shared by every request of the process."""

    def __init__(self, *, render_timeout: float = RENDER_TIMEOUT, start_timeout: float = START_TIMEOUT) -> None:
        self._lock = threading.Lock()
        self._render_timeout = render_timeout
        self._start_timeout = start_timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._pid: int | None = None
        #: How many browsers this renderer has started (1 while all goes well).
        self.starts = 0

    @property
    def running(self) -> bool:
        return self._kaleido is not None and self._pid == os.getpid()

    def start(self) -> None:
        """Start the browser now, if it is not running (a no-op when it is)."""
        with self._lock:
            self._ensure_started()

    def close(self) -> None:
        """Close the browser (the next image starts a new one)."""
        with self._lock:
            self._stop()

    def render(self, figure: Any, fmt: str, *, width: int, height: int, scale: float = 1.0) -> bytes:
        """``figure`` (a ``go.Figure`` or its dict) as ``fmt`` (png, svg, pdf) of ``width`` x ``height``
        CSS pixels (PNG: times ``scale``). Raises :class:`RenderFailed` when the browser fails twice."""
        if fmt not in IMAGE_FORMATS:
            raise ValueError(f"format must be one of {', '.join(IMAGE_FORMATS)}, not {fmt!r}")
        options = {"format": fmt, "width": int(width), "height": int(height), "scale": float(scale)}
        with self._lock:
            try:
                return self._render_once(figure, options)
            except Exception as error:  # noqa: BLE001 - any failure: a fresh browser, once
                log.warning("chart image failed, restarting the browser: %s", error)
                self._stop()
            try:
                return self._render_once(figure, options)
            except Exception as error:  # noqa: BLE001
                self._stop()
                raise RenderFailed(f"the browser could not draw the image: {error}") from error

    # --- the browser's life (called with the lock held) -----------------------------------------------

    def _render_once(self, figure: Any, options: dict) -> bytes:
        self._ensure_started()
        future = asyncio.run_coroutine_threadsafe(self._kaleido.calc_fig(figure, opts=options), self._loop)
        try:
            return future.result(self._render_timeout + 5)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    def _ensure_started(self) -> None:
        if self._pid is not None and self._pid != os.getpid():  # forked: the parent's browser is not ours
            self._loop = self._thread = self._kaleido = None
            self._pid = None
        if self._kaleido is not None:
            return
        import kaleido

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="natije-chart-renderer", daemon=True)
        thread.start()

        async def open_browser() -> Any:
            browser = kaleido.Kaleido(n=1, timeout=self._render_timeout, mathjax=False)
            await browser.open()
            return browser

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(self._start_timeout)
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(STOP_TIMEOUT)
            if not thread.is_alive():
                loop.close()
            raise
        self._loop, self._thread, self._pid = loop, thread, os.getpid()
        self.starts += 1

    def _stop(self) -> None:
        loop, thread, browser = self._loop, self._thread, self._kaleido
        self._loop = self._thread = self._kaleido = None
        if loop is None or self._pid != os.getpid():
            self._pid = None
            return
        self._pid = None
        try:
            asyncio.run_coroutine_threadsafe(browser.close(), loop).result(STOP_TIMEOUT)
        except Exception as error:  # noqa: BLE001 - a dead or hung browser: make sure it is gone
            log.info("closing the chart browser: %s", error)
            process = getattr(browser, "subprocess", None)
            if process is not None and process.poll() is None:
                process.kill()
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(STOP_TIMEOUT)
            if not thread.is_alive():
                loop.close()


@lru_cache(maxsize=1)
def renderer() -> ChartRenderer:
    """The process's renderer (made on first use, closed at exit)."""
    shared = ChartRenderer()
    atexit.register(shared.close)
    return shared


def render_image(figure: Any, fmt: str, *, width: int, height: int, scale: float = 1.0) -> bytes:
    """:meth:`ChartRenderer.render` on the process's renderer."""
    return renderer().render(figure, fmt, width=width, height=height, scale=scale)


def warm_up() -> threading.Thread:
    """Start the process's browser in the background (the first export is then warm too)."""
    def start() -> None:
        try:
            renderer().start()
        except Exception as error:  # noqa: BLE001 - the first export will try again and report it
            log.warning("could not start the chart browser ahead of time: %s", error)

    thread = threading.Thread(target=start, name="natije-chart-warm-up", daemon=True)
    thread.start()
    return thread
