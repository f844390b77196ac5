"""Browser tests: the app served ONCE per session, real Chromium through pytest-playwright.

Everything under tests/browser/ is marked ``browser`` (deselect with ``-m "not browser"``)
and is skipped, with the reason, when /usr/bin/chromium is missing.

Fixtures:

``app_server`` (session)
    ``natije run`` in a subprocess on a free 127.0.0.1 port, serving its own copy of the
    demo store (``NATIJE_DATA_DIR`` in a temporary directory). Yields an ``AppServer``:
    ``.url`` (``http://127.0.0.1:PORT``), ``.store``, ``.stderr_tail()``. Startup waits for
    HTTP 200 on ``/`` (60 s) and fails showing the server's stderr. A failing browser test's
    report includes the tail of the server's stderr.
``own_app_server``
    The same, for one test: its own store copy (write to it with ``natije load``) and process
    (``.stop()``, then ``.start()`` again on the same port and store, to test recovery).
``base_url`` (session)
    ``app_server.url``, so ``page.goto("/?lang=kk")`` works.
``page_watch``
    Records, for every page of the test's browser context: console errors, uncaught page
    errors, failed requests, responses with status >= 400 and any request leaving
    127.0.0.1 (natije must work offline). ``page_watch.assert_clean()`` fails listing them;
    ``page_watch.problems()`` returns them.
``open_page``
    ``open_page(page, "/?lang=en")`` navigates, waits for the network to go idle and for
    Dash to finish its callbacks; returns the page.
``english_words`` (module)
    The English catalogs' words (:func:`english_ui_words`): ``english_leftovers(text, english_words)``
    finds those left on a kk or ru page.
``shoot``
    ``shoot(page, "overview-kk")`` saves a full-page PNG to tests/artifacts/overview-kk.png
    (gitignored) and returns its path. Look at them.

Helpers the test modules import from here: ``settle(page)`` (after a click: network idle and Dash
idle), ``text_without(page, selector)`` (visible text minus data cells), ``english_leftovers``,
``serve_demo_copy`` (a server of a test's own, with extra ``NATIJE_*`` settings).

Chromium runs from /usr/bin/chromium (``playwright install`` is neither needed nor
possible offline) with the flags that work as root in a container.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_DIR = Path(__file__).resolve().parent
ARTIFACTS = BROWSER_DIR.parent / "artifacts"
STARTUP_TIMEOUT = 60.0
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            # tests/conftest.py turns this into a skip with the reason when Chromium is missing
            item.add_marker(pytest.mark.needs_system("chromium"))


# --------------------------------------------------------------------------------------
# the app server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class AppServer:
    url: str
    port: int
    store: Path
    workdir: Path
    env: dict = field(repr=False)
    command: list = field(repr=False)
    cwd: Path = field(repr=False, default=Path("."))
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Start ``natije run`` (again: same port, same store, logs appended) and wait until it serves."""
        with open(self.stdout_path, "ab") as out, open(self.stderr_path, "ab") as err:
            self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL,
                                            stdout=out, stderr=err, start_new_session=True)
        _wait_until_serving(self, timeout)

    def stop(self) -> None:
        """Stop the server and anything it spawned."""
        if self.process is not None:
            _stop(self.process)

    @property
    def stderr_path(self) -> Path:
        return self.workdir / "server.stderr"

    @property
    def stdout_path(self) -> Path:
        return self.workdir / "server.stdout"

    def stderr_tail(self, lines: int = 80) -> str:
        try:
            text = self.stderr_path.read_text(errors="replace")
        except OSError:
            return "(no stderr file)"
        return "\n".join(text.rstrip().splitlines()[-lines:]) or "(empty)"

    def stdout_tail(self, lines: int = 30) -> str:
        try:
            text = self.stdout_path.read_text(errors="replace")
        except OSError:
            return "(no stdout file)"
        return "\n".join(text.rstrip().splitlines()[-lines:]) or "(empty)"


def _wait_until_serving(server: AppServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        code = server.process.poll()
        if code is not None:
            pytest.fail(f"`natije run` exited with code {code} before serving {server.url}/\n"
                        f"--- stdout ---\n{server.stdout_tail()}\n--- stderr ---\n{server.stderr_tail()}",
                        pytrace=False)
        try:
            with urllib.request.urlopen(server.url + "/", timeout=10) as response:
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
            last = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
        time.sleep(0.2)
    pytest.fail(f"`natije run` did not answer 200 on {server.url}/ within {timeout:.0f} s (last: {last})\n"
                f"--- stdout ---\n{server.stdout_tail()}\n--- stderr ---\n{server.stderr_tail()}",
                pytrace=False)


def _stop(process: subprocess.Popen) -> None:
    """Stop the server and anything it spawned (its own process group, started by us)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


def serve_demo_copy(demo_store: Path, harness, workdir: Path, **settings: str) -> AppServer:
    """``natije run`` on a free port serving its own copy of the demo store (in ``workdir``), started;
    ``settings``: more ``NATIJE_*`` variables (e.g. ``NATIJE_VIEWER_OFFICIAL="OF-MOH-01"``)."""
    data_dir = workdir / "data"
    data_dir.mkdir()
    store = harness.copy_sqlite_store(demo_store, data_dir / "natije.sqlite3")
    port = _free_port()
    env = harness.clean_environ() | {
        "NATIJE_DATA_DIR": str(data_dir),
        "NATIJE_DATABASE_URL": harness.sqlite_url(store),
        "NATIJE_HOST": "127.0.0.1",
        "NATIJE_PORT": str(port),
        "PYTHONUNBUFFERED": "1",
        **settings,
    }
    server = AppServer(url=f"http://127.0.0.1:{port}", port=port, store=store, workdir=workdir, env=env,
                       command=[*harness.natije_command(), "run"], cwd=harness.ROOT)
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture(scope="session")
def app_server(demo_store: Path, harness, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    server = serve_demo_copy(demo_store, harness, tmp_path_factory.mktemp("app-server"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def own_app_server(demo_store: Path, harness, tmp_path: Path) -> Iterator[AppServer]:
    """A server of the test's own (a store copy it may write, a process it may stop and start)."""
    server = serve_demo_copy(demo_store, harness, tmp_path)
    try:
        yield server
    finally:
        server.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.failed and BROWSER_DIR in Path(item.path).resolve().parents:
        funcargs = getattr(item, "funcargs", {})
        server = funcargs.get("own_app_server") or funcargs.get("app_server")  # every test using a page has one
        if isinstance(server, AppServer):
            report.sections.append(("natije server stderr (tail)", server.stderr_tail()))
    return report


# --------------------------------------------------------------------------------------
# pytest-playwright configuration


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": list(CHROMIUM_ARGS)}


@pytest.fixture(scope="session")
def base_url(app_server: AppServer) -> str:
    return app_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {"viewport": {"width": 1440, "height": 900}, **browser_context_args}


# --------------------------------------------------------------------------------------
# watching pages, opening pages, screenshots


@dataclass
class PageWatch:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def problems(self, ignore: tuple[str, ...] = ()) -> list[str]:
        """Everything recorded, as lines; ``ignore`` = regexes of lines to leave out."""
        lines = ([f"console error: {x}" for x in self.console_errors]
                 + [f"page error: {x}" for x in self.page_errors]
                 + [f"failed request: {x}" for x in self.failed_requests]
                 + [f"HTTP error: {x}" for x in self.bad_responses]
                 + [f"external request: {x}" for x in self.external_requests])
        return [line for line in lines if not any(re.search(p, line) for p in ignore)]

    def assert_clean(self, ignore: tuple[str, ...] = ()) -> None:
        problems = self.problems(ignore)
        assert not problems, f"{len(problems)} browser problem(s):\n" + "\n".join(problems)

    def clear(self) -> None:
        for name in ("console_errors", "page_errors", "failed_requests", "bad_responses", "external_requests"):
            getattr(self, name).clear()


@pytest.fixture
def page_watch(context) -> PageWatch:
    watch = PageWatch()

    def on_console(msg) -> None:
        if msg.type == "error":
            loc = msg.location or {}
            where = f" ({loc.get('url', '')}:{loc.get('lineNumber', '')})" if loc.get("url") else ""
            watch.console_errors.append(f"{msg.text}{where}")

    def on_weberror(error) -> None:
        watch.page_errors.append(str(getattr(error, "error", error)))

    def on_request(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            watch.external_requests.append(f"{request.method} {request.url}")

    def on_requestfailed(request) -> None:
        watch.failed_requests.append(f"{request.method} {request.url}: {request.failure}")

    def on_response(response) -> None:
        if response.status >= 400:
            watch.bad_responses.append(f"{response.status} {response.request.method} {response.url}")

    context.on("console", on_console)
    context.on("weberror", on_weberror)
    context.on("request", on_request)
    context.on("requestfailed", on_requestfailed)
    context.on("response", on_response)
    return watch


DASH_IDLE_JS = """() => {
  const root = document.getElementById('react-entry-point');
  return !!root && root.children.length > 0
      && !document.querySelector('[data-dash-is-loading="true"]')
      && !document.querySelector('._dash-loading');
}"""


def settle(page) -> None:
    """Wait until a navigation the test caused (a click) has finished loading and Dash is idle.
    (Navigating again instead would abort the page's own requests.)"""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(DASH_IDLE_JS)
    page.wait_for_load_state("networkidle")


def text_without(page, selector: str) -> str:
    """The page's visible text without the elements matching ``selector`` (data cells rather than
    interface words); longer cells first, so a payload goes before the codes it contains."""
    text = page.inner_text("body")
    cells = [cell for cell in page.locator(selector).all_inner_texts() if cell.strip()]  # hidden ones: ""
    for cell in sorted(cells, key=len, reverse=True):
        text = text.replace(cell, " ")
    return text


#: Latin words that may appear on any page: the brand and the endonym of English in the switch's title.
ALLOWED_LATIN = {"natije", "english"}


def english_ui_words() -> set[str]:
    """Words (4+ letters) of the English catalogs' texts: none may show on a kk or ru page."""
    from babel.messages.pofile import read_po

    from services.i18n import DOMAINS, LOCALES_DIR

    words: set[str] = set()
    for domain in DOMAINS:
        path = LOCALES_DIR / "en" / "LC_MESSAGES" / f"{domain}.po"
        with path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and isinstance(message.string, str):
                    text = re.sub(r"\{[^}]*\}", " ", message.string)
                    words |= {w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)}
    return words - ALLOWED_LATIN


def english_leftovers(visible_text: str, words: set[str]) -> set[str]:
    """English UI words in ``visible_text``; all-capital tokens (codes like NP-HEALTH) are not words."""
    tokens = {w for w in re.findall(r"[A-Za-z]{4,}", visible_text) if not w.isupper()}
    return {w for w in tokens if w.lower() in words}


@pytest.fixture(scope="module")
def english_words() -> set[str]:
    """:func:`english_ui_words`, checked to be a real list."""
    words = english_ui_words()
    assert {"overview", "programs"} <= words
    return words


@pytest.fixture
def open_page():
    def _open(page, path: str, timeout: float = 30_000):
        page.goto(path, wait_until="networkidle", timeout=timeout)
        page.wait_for_function(DASH_IDLE_JS, timeout=timeout)
        page.wait_for_load_state("networkidle", timeout=timeout)
        return page

    return _open


@pytest.fixture
def shoot():
    def _shoot(page, name: str, *, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "screenshot"
        path = ARTIFACTS / f"{safe}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return _shoot
