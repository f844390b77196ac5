"""Shared fixtures of the natije test suite.

The demo store is built ONCE per test session (``natije demo --seed 7 --today 2025-11-15``,
the real CLI in a subprocess) and every test that needs a store gets its own copy, so tests
may write freely and never see each other's changes.

Fixtures (all documented again in README.md, "Tests"):

``demo_store`` (session)
    Path of the pristine demo SQLite file. Never write to it (and never open it with code
    that migrates or writes): use ``store_copy`` or ``database_url``.
``store_copy``
    Path of a fresh private copy of the demo SQLite file (WAL checkpointed first; ``-wal``
    and ``-shm`` copied too if present). Always SQLite.
``database_url``
    SQLAlchemy URL of a fresh private copy of the demo store, on the database the run
    targets: a ``store_copy`` file by default, or, when ``NATIJE_TEST_DATABASE_URL`` is set
    (the PostgreSQL stage of ``make test``), a new PostgreSQL database created with
    ``CREATE DATABASE ... TEMPLATE`` from the demo built once per session, dropped after
    the test. Writes are fine on both backends.
``empty_database_url``
    URL of a new, empty store (no tables): SQLite file path that does not exist yet, or a
    new empty PostgreSQL database. For migration, demo-build and ledger-trigger tests.
``readonly_database_url`` (session)
    URL of one demo copy shared by the whole session, for the many read-only query tests
    (saves a copy per test). Tests using it MUST NOT write. On PostgreSQL the database is
    read-only (``default_transaction_read_only``), so a writing test fails there.
``settings_env``
    ``settings_env.env(port=9000)`` -> a clean environment dict for subprocesses (every
    ``NATIJE_*`` of the caller removed, ``NATIJE_DATA_DIR`` in the test's tmp dir, the given
    settings set; keys are setting names with or without the ``NATIJE_`` prefix; ``None``
    removes one); ``settings_env.apply(...)`` sets the same in ``os.environ`` for the test;
    ``settings_env.load(...)`` -> ``load_settings()`` of that environment.
``natije_cli``
    ``natije_cli("info", "--json", env=...)`` runs the ``natije`` command in a subprocess
    and returns the ``CompletedProcess``; a non-zero exit fails the test showing the output
    (``check=False`` to inspect failures yourself).
``demo_spec`` (session)
    The seed and reference date the demo store was built with.
``empty_engine`` / ``demo_engine`` / ``readonly_demo_engine`` (the last per session)
    SQLAlchemy engines (``data_sources.store.make_engine``) on ``empty_database_url``
    (migrated), ``database_url`` and ``readonly_database_url``; disposed after use.
``harness`` (session)
    The helpers below for other conftests (``clean_environ``, ``copy_sqlite_store``,
    ``sqlite_url``, ``natije_command``, ``run_natije``, ``ROOT``, ``ARTIFACTS``), since
    conftest modules are not importable from tests.

Rules enforced here:

* Every ``NATIJE_*`` setting of the developer's shell is removed for the whole session and
  ``NATIJE_DATA_DIR`` points into a temporary directory: no test can touch a real store.
* A test marked ``datalayer`` must use ``database_url``, ``empty_database_url`` or
  ``readonly_database_url`` (directly or through another fixture): that is what makes it
  run on PostgreSQL in the second stage of ``make test``. Otherwise it errors at setup.
* ``@pytest.mark.needs_system("pdftotext")`` (or ``chromium``, ``postgresql``, ``pango``,
  ``dejavu``) skips a test, with the Debian package to install as the reason, when that
  system dependency is missing (``make test`` installs them when run as root).
"""

from __future__ import annotations

import ctypes.util
import datetime as dt
import glob
import itertools
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"

DEMO_SEED = 7
DEMO_TODAY = dt.date(2025, 11, 15)

TEST_DATABASE_ENV = "NATIJE_TEST_DATABASE_URL"
PG_URL = os.environ.get(TEST_DATABASE_ENV, "").strip() or None
DB_FIXTURES = frozenset({"database_url", "empty_database_url", "readonly_database_url"})

CLI_TIMEOUT = 1200  # seconds; the demo build is the slow one

try:  # keep property tests from flaking on a loaded 2-core CI machine
    from hypothesis import settings as _hyp_settings

    _hyp_settings.register_profile("natije", deadline=None, print_blob=True)
    _hyp_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "natije"))
except ImportError:  # pragma: no cover - hypothesis is in the [test] extras
    pass


# --------------------------------------------------------------------------------------
# system dependencies (Debian packages) -> skip with a reason when missing


def _chromium() -> bool:
    return Path("/usr/bin/chromium").exists()


def _postgresql() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))


def _pdftotext() -> bool:
    return shutil.which("pdftotext") is not None


def _pango() -> bool:
    return all(ctypes.util.find_library(lib) for lib in ("pango-1.0", "pangoft2-1.0", "harfbuzz-subset"))


def _dejavu() -> bool:
    return Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists()


SYSTEM_NEEDS = {  # name -> (check, Debian packages)
    "chromium": (_chromium, "chromium"),
    "postgresql": (_postgresql, "postgresql"),
    "pdftotext": (_pdftotext, "poppler-utils"),
    "pango": (_pango, "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"),
    "dejavu": (_dejavu, "fonts-dejavu-core"),
}


def missing_system_reason(name: str) -> str | None:
    """None when the system dependency ``name`` is present, else the skip reason."""
    try:
        check, packages = SYSTEM_NEEDS[name]
    except KeyError:
        raise pytest.UsageError(f"needs_system({name!r}): unknown; known: {', '.join(SYSTEM_NEEDS)}") from None
    if check():
        return None
    return (f"needs {name} (Debian: {packages}), which is not installed; "
            f"run `make test` as root or `apt-get install {packages}`")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "needs_system(*names): skip unless these system dependencies are installed "
        f"({', '.join(SYSTEM_NEEDS)})",
    )
    config._natije_pg_databases = 0  # type: ignore[attr-defined]


@pytest.hookimpl(trylast=True)  # after other conftests have added their markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for marker in item.iter_markers("needs_system"):
            for name in marker.args:
                reason = missing_system_reason(name)
                if reason:
                    item.add_marker(pytest.mark.skip(reason=reason))


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("datalayer") and not DB_FIXTURES & set(getattr(item, "fixturenames", ())):
        pytest.fail(
            f"{item.nodeid} is marked datalayer but uses none of the fixtures "
            f"{', '.join(sorted(DB_FIXTURES))}, so it would not run on PostgreSQL in `make test`. "
            "Take the store URL from one of them (or drop the datalayer marker).",
            pytrace=False,
        )


def pytest_report_header(config: pytest.Config) -> list[str]:
    if PG_URL:
        return [f"natije: data-layer tests on PostgreSQL {_mask(PG_URL)} (a template copy per test)"]
    return ["natije: data-layer tests on SQLite (a copy of the demo store per test); "
            f"set {TEST_DATABASE_ENV} for PostgreSQL"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # The PostgreSQL stage must really have used PostgreSQL: if data-layer tests ran but
    # not one database was created on the server, the stage proved nothing.
    if not PG_URL or exitstatus != 0:
        return
    ran_datalayer = any(item.get_closest_marker("datalayer") for item in session.items)
    if ran_datalayer and session.config._natije_pg_databases == 0:  # type: ignore[attr-defined]
        session.config._natije_pg_unused = True  # type: ignore[attr-defined]
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if getattr(config, "_natije_pg_unused", False):
        terminalreporter.write_sep("=", "natije: PostgreSQL stage proved nothing", red=True)
        terminalreporter.write_line(
            f"{TEST_DATABASE_ENV} is set and data-layer tests were selected, but no test used a "
            "PostgreSQL database (all skipped?): the run fails.", red=True)
    elif PG_URL:
        terminalreporter.write_line(
            f"natije: {config._natije_pg_databases} PostgreSQL test database(s) created and dropped")  # type: ignore[attr-defined]


def _mask(url: str) -> str:
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


# --------------------------------------------------------------------------------------
# environment and the CLI


def clean_environ(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of the environment without any NATIJE_* setting (NATIJE_TEST_* are kept)."""
    base = os.environ if base is None else base
    return {k: v for k, v in base.items() if not k.startswith("NATIJE_") or k.startswith("NATIJE_TEST_")}


def _declared_settings() -> frozenset[str]:
    from data_sources.settings import SETTINGS

    return frozenset(spec.name for spec in SETTINGS)


def setting_name(key: str) -> str:
    """``port`` / ``NATIJE_PORT`` -> ``NATIJE_PORT``; unknown names are an error (typos)."""
    name = key if key.startswith("NATIJE_") else "NATIJE_" + key.upper()
    if name not in _declared_settings():
        raise KeyError(f"{name} is not declared in data_sources.settings.SETTINGS")
    return name


def natije_command() -> list[str]:
    """The ``natije`` console script of the running venv, else ``python -m cli``."""
    script = Path(sys.executable).with_name("natije")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "cli"]


def _tail(text: str, lines: int = 60) -> str:
    return "\n".join((text or "").rstrip().splitlines()[-lines:]) or "(empty)"


def run_natije(*args: object, env: Mapping[str, str], check: bool = True,
               timeout: float = CLI_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run ``natije ARGS`` in a subprocess with exactly ``env``; fail the test on error."""
    argv = [str(a) for a in args]
    try:
        proc = subprocess.run([*natije_command(), *argv], cwd=ROOT, env=dict(env), capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"`natije {' '.join(argv)}` did not finish in {timeout:.0f} s\n"
                    f"--- stderr ---\n{_tail(exc.stderr if isinstance(exc.stderr, str) else '')}",
                    pytrace=False)
    if check and proc.returncode != 0:
        pytest.fail(
            f"`natije {' '.join(argv)}` exited {proc.returncode}\n"
            f"--- stdout ---\n{_tail(proc.stdout)}\n--- stderr ---\n{_tail(proc.stderr)}",
            pytrace=False,
        )
    return proc


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No NATIJE_* of the developer's shell leaks into tests; the data dir is temporary."""
    data_dir = tmp_path_factory.mktemp("natije-data")
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key.startswith("NATIJE_") and not key.startswith("NATIJE_TEST_"):
                mp.delenv(key)
        mp.setenv("NATIJE_DATA_DIR", str(data_dir))
        yield data_dir


class SettingsEnv:
    """Build NATIJE_* environments for subprocesses or for the test process itself."""

    def __init__(self, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.data_dir = data_dir
        self._mp = monkeypatch

    def env(self, **settings: object) -> dict[str, str]:
        env = clean_environ()
        env["NATIJE_DATA_DIR"] = str(self.data_dir)
        for key, value in settings.items():
            name = setting_name(key)
            if value is None:
                env.pop(name, None)
            else:
                env[name] = str(value)
        return env

    def apply(self, **settings: object) -> dict[str, str]:
        """Make ``os.environ`` exactly ``env(**settings)`` for NATIJE_* (undone after the test)."""
        env = self.env(**settings)
        for key in list(os.environ):
            if key.startswith("NATIJE_") and not key.startswith("NATIJE_TEST_") and key not in env:
                self._mp.delenv(key)
        for key, value in env.items():
            if key.startswith("NATIJE_"):
                self._mp.setenv(key, value)
        return env

    def load(self, **settings: object):
        from data_sources.settings import load_settings

        return load_settings(self.env(**settings))


@pytest.fixture
def settings_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SettingsEnv:
    data_dir = tmp_path / "natije-data"
    data_dir.mkdir()
    return SettingsEnv(data_dir, monkeypatch)


@pytest.fixture(scope="session")
def natije_cli():
    return run_natije


@dataclass(frozen=True)
class DemoSpec:
    seed: int
    today: dt.date

    def args(self) -> list[str]:
        return ["demo", "--seed", str(self.seed), "--today", self.today.isoformat()]


@pytest.fixture(scope="session")
def demo_spec() -> DemoSpec:
    return DemoSpec(DEMO_SEED, DEMO_TODAY)


# --------------------------------------------------------------------------------------
# SQLite: the demo store built once, copied per test


def checkpoint_sqlite(path: Path) -> None:
    """Fold the WAL into the main file so that the file alone is the whole store."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def copy_sqlite_store(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    for suffix in ("-wal", "-shm"):
        side = src.with_name(src.name + suffix)
        if side.exists():
            shutil.copyfile(side, dst.with_name(dst.name + suffix))
    return dst


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory, demo_spec: DemoSpec) -> Path:
    directory = tmp_path_factory.mktemp("demo-store")
    path = directory / "natije.sqlite3"
    env = clean_environ() | {"NATIJE_DATA_DIR": str(directory), "NATIJE_DATABASE_URL": sqlite_url(path)}
    run_natije(*demo_spec.args(), env=env)
    if not path.exists():
        pytest.fail(f"`natije {' '.join(demo_spec.args())}` succeeded but did not create {path}", pytrace=False)
    checkpoint_sqlite(path)
    return path


@pytest.fixture
def store_copy(demo_store: Path, tmp_path: Path) -> Path:
    return copy_sqlite_store(demo_store, tmp_path / "store" / "natije.sqlite3")


# --------------------------------------------------------------------------------------
# PostgreSQL: the demo built once into NATIJE_TEST_DATABASE_URL, used as a template


class PostgresServer:
    """Create and drop databases next to the one NATIJE_TEST_DATABASE_URL names.

    The demo is built into that database (the template); every test gets
    ``CREATE DATABASE <name> TEMPLATE <template>``. Needs a role with CREATEDB.
    """

    def __init__(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        self.url = make_url(url)
        self.template = self.url.database or "natije_test"
        self._names = itertools.count(1)
        self._own = re.compile(rf"^{re.escape(self.template)}_(t|e|ro)_\d+_\d+$")

    def url_for(self, database: str) -> str:
        return self.url.set(database=database).render_as_string(hide_password=False)

    def _admin(self):
        import psycopg

        return psycopg.connect(host=self.url.host or "localhost", port=self.url.port or 5432,
                               user=self.url.username, password=self.url.password,
                               dbname="postgres", autocommit=True)

    def new_name(self, kind: str) -> str:
        return f"{self.template}_{kind}_{os.getpid()}_{next(self._names)}"

    def create(self, name: str, *, from_template: bool, read_only: bool = False) -> str:
        from psycopg import sql

        with self._admin() as con:
            if from_template:
                # CREATE DATABASE ... TEMPLATE needs the template to have no other sessions.
                con.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = %s AND pid <> pg_backend_pid()", (self.template,))
                strategy = sql.SQL(" STRATEGY FILE_COPY") if con.info.server_version >= 150000 else sql.SQL("")
                con.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}{}").format(
                    sql.Identifier(name), sql.Identifier(self.template), strategy))
            else:
                con.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                    sql.Identifier(name)))
            if read_only:
                con.execute(sql.SQL("ALTER DATABASE {} SET default_transaction_read_only = on").format(
                    sql.Identifier(name)))
        return self.url_for(name)

    def drop(self, name: str) -> None:
        from psycopg import sql

        with self._admin() as con:
            con.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def drop_leftovers(self) -> None:
        """Drop databases an interrupted earlier session left behind."""
        with self._admin() as con:
            names = [row[0] for row in con.execute("SELECT datname FROM pg_database")]
        for name in names:
            if self._own.match(name):
                self.drop(name)


@pytest.fixture(scope="session")
def _postgres() -> PostgresServer:
    assert PG_URL, "only used when NATIJE_TEST_DATABASE_URL is set"
    server = PostgresServer(PG_URL)
    server.drop_leftovers()
    return server


@pytest.fixture(scope="session")
def _postgres_demo(_postgres: PostgresServer, demo_spec: DemoSpec,
                   tmp_path_factory: pytest.TempPathFactory) -> PostgresServer:
    """The demo built once into the NATIJE_TEST_DATABASE_URL database: the template."""
    env = clean_environ() | {"NATIJE_DATA_DIR": str(tmp_path_factory.mktemp("pg-demo")),
                             "NATIJE_DATABASE_URL": _postgres.url_for(_postgres.template)}
    run_natije(*demo_spec.args(), "--force", env=env)
    return _postgres


def _pg_database(request: pytest.FixtureRequest, kind: str, *, from_template: bool,
                 read_only: bool = False) -> Iterator[str]:
    server: PostgresServer = request.getfixturevalue("_postgres_demo" if from_template else "_postgres")
    name = server.new_name(kind)
    url = server.create(name, from_template=from_template, read_only=read_only)
    request.config._natije_pg_databases += 1  # type: ignore[attr-defined]
    try:
        yield url
    finally:
        server.drop(name)


# --------------------------------------------------------------------------------------
# the URLs tests use


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A private, writable copy of the demo store (SQLite file, or PostgreSQL database)."""
    if PG_URL:
        yield from _pg_database(request, "t", from_template=True)
    else:
        yield sqlite_url(request.getfixturevalue("store_copy"))


@pytest.fixture
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new store with no tables at all (not even migrated)."""
    if PG_URL:
        yield from _pg_database(request, "e", from_template=False)
    else:
        directory = tmp_path / "empty-store"
        directory.mkdir()
        yield sqlite_url(directory / "natije.sqlite3")


@pytest.fixture(scope="session")
def readonly_database_url(request: pytest.FixtureRequest,
                          tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One demo copy shared by the session. Do not write to it (PostgreSQL refuses writes)."""
    if PG_URL:
        yield from _pg_database(request, "ro", from_template=True, read_only=True)
    else:
        demo = request.getfixturevalue("demo_store")
        yield sqlite_url(copy_sqlite_store(demo, tmp_path_factory.mktemp("readonly-store") / "natije.sqlite3"))


# --------------------------------------------------------------------------------------
# engines on those URLs (data_sources.store.make_engine), disposed after use


@pytest.fixture
def empty_engine(empty_database_url: str):
    """A migrated store with nothing in it."""
    from data_sources import migrate
    from data_sources.store import make_engine

    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def demo_engine(database_url: str):
    """A private, writable copy of the demo store."""
    from data_sources.store import make_engine

    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def readonly_demo_engine(readonly_database_url: str):
    """The session's shared demo copy; tests using it must not write."""
    from data_sources.store import make_engine

    engine = make_engine(readonly_database_url)
    yield engine
    engine.dispose()


# --------------------------------------------------------------------------------------
# helpers for other conftests (tests/browser/conftest.py) without importing this module


@pytest.fixture(scope="session")
def harness():
    """The helper functions and paths above, for conftests and tests that need them."""
    import types

    return types.SimpleNamespace(
        ROOT=ROOT, ARTIFACTS=ARTIFACTS, clean_environ=clean_environ, copy_sqlite_store=copy_sqlite_store,
        sqlite_url=sqlite_url, natije_command=natije_command, run_natije=run_natije,
        missing_system_reason=missing_system_reason,
    )


@pytest.fixture(scope="session")
def demo_correction(readonly_demo_engine):
    """The newest correction of a yearly regional value in the demo store: (indicator, region, period,
    first value, corrected value, when the correction became known) — for as-of tests."""
    from sqlalchemy import select

    from data_sources.store import Indicator, Observation, Region

    first = Observation.__table__.alias("first")
    statement = (
        select(Indicator.code, Region.code, Observation.period, first.c.value, Observation.value, Observation.known_at)
        .join(Indicator, Indicator.id == Observation.indicator_id)
        .join(Region, Region.id == Observation.region_id)
        .join(first, (first.c.indicator_id == Observation.indicator_id) & (first.c.region_id == Observation.region_id)
              & (first.c.period == Observation.period) & (first.c.version == 1))
        .where(Observation.version == 2, Indicator.frequency == "Y", Indicator.regional.is_(True),
               Region.code != "KZ", first.c.value != Observation.value, first.c.state == "published",
               Observation.state == "published")
        .order_by(Observation.known_at.desc(), Indicator.code, Region.code).limit(1)
    )
    with readonly_demo_engine.connect() as conn:
        return tuple(conn.execute(statement).one())


# --------------------------------------------------------------------------------------
# a PostgreSQL server of the session's own (the source databases of `natije sync`)


@dataclass(frozen=True)
class PostgresCluster:
    """A throw-away PostgreSQL server on ``127.0.0.1:port`` with password authentication over TCP
    (scram-sha-256): superuser ``postgres`` with ``password``."""

    port: int
    password: str

    def url(self, database: str = "postgres", *, user: str = "postgres", password: str | None = None) -> str:
        """SQLAlchemy URL (psycopg 3); ``password`` defaults to the superuser's, percent-encoded."""
        from urllib.parse import quote

        secret = self.password if password is None else password
        return f"postgresql+psycopg://{quote(user, safe='')}:{quote(secret, safe='')}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres"):
        """A psycopg connection as the superuser, in autocommit mode (close it, or use ``with``)."""
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", password=self.password,
                               dbname=database, autocommit=True)


def _postgres_bin() -> Path:
    preferred = Path("/usr/lib/postgresql/15/bin")
    if (preferred / "pg_ctl").exists():
        return preferred
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: [int(n) for n in re.findall(r"\d+", p)])
    return Path(found[-1]).parent


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """Start a PostgreSQL server for the session (initdb + pg_ctl, as the ``postgres`` user when run as
    root, like ``.ci/with-postgres``), stop and delete it at the end. Independent of
    NATIJE_TEST_DATABASE_URL, so it serves both stages of ``make test``. Skips when the PostgreSQL
    server binaries are not installed."""
    import secrets
    import socket
    import tempfile

    reason = missing_system_reason("postgresql")
    if reason:
        pytest.skip(reason)
    bin_dir = _postgres_bin()
    as_root = os.geteuid() == 0
    # As root the directory must be reachable by the postgres user (pytest's tmp dirs are not).
    root = Path(tempfile.mkdtemp(prefix="natije-pg-cluster-", dir="/tmp" if as_root else None))

    def run(*argv: object) -> subprocess.CompletedProcess[str]:
        command = [str(a) for a in argv]
        return subprocess.run(["runuser", "-u", "postgres", "--", *command] if as_root else command,
                              capture_output=True, text=True, timeout=120)

    password = secrets.token_urlsafe(18)
    data, sockets, log, pwfile = root / "data", root / "sock", root / "server.log", root / "pw"
    sockets.mkdir()
    pwfile.write_text(password + "\n")
    pwfile.chmod(0o600)
    if as_root:
        shutil.chown(root, "postgres", "postgres")
        for path in (sockets, pwfile):
            shutil.chown(path, "postgres", "postgres")
    started = False
    try:
        init = run(bin_dir / "initdb", "-D", data, "-U", "postgres", "--auth-local=trust",
                   "--auth-host=scram-sha-256", f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C", "--no-sync")
        if init.returncode != 0:
            pytest.fail(f"initdb failed:\n{init.stdout}\n{init.stderr}", pytrace=False)
        for _attempt in range(5):
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            start = run(bin_dir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o",
                        f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off "
                        "-c synchronous_commit=off -c full_page_writes=off", "start")
            if start.returncode == 0:
                started = True
                break
        if not started:
            pytest.fail(f"PostgreSQL did not start:\n{log.read_text() if log.exists() else start.stderr}",
                        pytrace=False)
        yield PostgresCluster(port=port, password=password)
    finally:
        if started:
            run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "-t", "30", "stop")
        shutil.rmtree(root, ignore_errors=True)
