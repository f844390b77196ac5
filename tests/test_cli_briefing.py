"""``natije briefing``: a PDF for the national portfolio and for one region in each of kk, ru and en,
checked with pdftotext (title, a headline goal, its status word, page X of Y, the ledger head hash,
the Kazakh letters) and turned into PNGs with pdftoppm (copied to tests/artifacts/briefing-*.png to
look at); the exit statuses of the other commands (2 usage, 4 not found or out of scope); the file
is replaced atomically.

The six packs are rendered once for the module, three commands at a time."""

from __future__ import annotations

import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from data_sources import ledger_view
from data_sources.settings import load_settings
from data_sources.store import make_engine
from data_sources.viewer import Viewer
from services.context import make_context
from services.i18n import translator
from services.overview import build_overview
from services.regions import build_region

pytestmark = pytest.mark.needs_system("chromium", "pdftotext", "pango", "dejavu")

LANGS = ("kk", "ru", "en")
REGION = "AKM"
SCOPES = {"national": (), "region": ("--region", REGION.lower())}
KAZAKH = set("әғқңөұүі")  # and һ, which the demo's texts do not use (tests/services/test_briefing.py checks it)


@pytest.fixture(scope="module")
def store(demo_store, harness, tmp_path_factory):
    directory = tmp_path_factory.mktemp("briefing-cli")
    path = harness.copy_sqlite_store(demo_store, directory / "data" / "natije.sqlite3")
    env = harness.clean_environ() | {"NATIJE_DATA_DIR": str(directory / "data"),
                                     "NATIJE_DATABASE_URL": harness.sqlite_url(path)}
    return directory, env


@pytest.fixture(scope="module")
def packs(store, natije_cli):
    """(scope, lang) -> (the written PDF, the command's output)."""
    directory, env = store
    wanted = [(scope, lang) for scope in SCOPES for lang in LANGS]

    def run(item):
        scope, lang = item
        out = directory / "packs" / f"{scope}-{lang}.pdf"
        proc = natije_cli("briefing", *SCOPES[scope], "--lang", lang, "-o", out, env=env)
        return item, (out, proc.stdout)

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(pool.map(run, wanted))


@pytest.fixture(scope="module")
def expected(store):
    """What each pack must say, from the services the pages use: (title, a goal's name, its status word)."""
    directory, env = store
    url = env["NATIJE_DATABASE_URL"]
    engine = make_engine(url)
    settings = load_settings({"NATIJE_DATABASE_URL": url, "NATIJE_DATA_DIR": env["NATIJE_DATA_DIR"]})
    words = {}
    try:
        for lang in LANGS:
            ctx = make_context(engine, settings, lang=lang, viewer=Viewer())
            t = ctx.t
            card = build_overview(ctx).cards.iloc[0]
            kpi = build_region(ctx, REGION).kpis.iloc[0]
            words["national", lang] = (t("briefing.title"), card["name"], t(f"status.{card['status']}"))
            words["region", lang] = (t("briefing.title"), kpi["name"], t(f"status.{kpi['status']}"))
        head = ledger_view.chain_head(engine)["head_hash"]
    finally:
        engine.dispose()
    return words, head


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("lang", LANGS)
def test_the_pack_is_written_and_says_what_it_must(packs, expected, scope, lang, tmp_path):
    path, output = packs[scope, lang]
    words, head = expected
    title, goal, status = words[scope, lang]
    region = REGION if scope == "region" else "KZ"
    assert path.read_bytes().startswith(b"%PDF-")
    assert f"natije_briefing_NDP-2029_{region}_2025-11-15_{lang}.pdf" in output and "rendered in" in output
    pages = pdf_pages(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    t = translator(lang)
    for what in (title, " ".join(goal.split()), status, t("briefing.page", page=1, pages=pages),
                 t("briefing.page", page=pages, pages=pages), head):
        assert what in flat, what
    if lang == "kk":
        assert KAZAKH <= set(flat)
    pictures = tmp_path / "png"
    pictures.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", str(path), str(pictures / "page")], check=True)
    made = sorted(pictures.glob("page-*.png"))
    assert len(made) == 2 and all(png.stat().st_size > 5_000 for png in made)
    artifacts = Path(__file__).resolve().parent / "artifacts"
    artifacts.mkdir(exist_ok=True)
    for number, png in enumerate(made, start=1):
        shutil.copyfile(png, artifacts / f"briefing-{scope}-{lang}-{number}.png")


def test_the_second_run_is_served_from_the_store_and_replaces_the_file(packs, store, natije_cli):
    directory, env = store
    path, _ = packs["region", "en"]
    target = directory / "again" / "pack.pdf"
    target.parent.mkdir()
    target.write_bytes(b"an older pack")
    proc = natije_cli("briefing", "--region", REGION, "--lang", "en", "-o", target, env=env)
    assert "kept in the store" in proc.stdout
    assert target.read_bytes() == path.read_bytes()
    assert [p.name for p in target.parent.iterdir()] == ["pack.pdf"]  # no temporary file left behind


@pytest.mark.parametrize("args,status,message", [
    (("--region", "XXX"), 4, "Not found: no region XXX"),
    (("--node", "NOPE"), 4, "Not found: no node NOPE"),
    (("--region", "a/b"), 2, "must be a code"),
    (("--lang", "de"), 2, "Invalid value for '--lang'"),
    (("--as-of", "15.11.2025"), 2, "as_of"),
])
def test_exit_statuses(store, natije_cli, tmp_path, args, status, message):
    _, env = store
    out = tmp_path / "x.pdf"
    proc = natije_cli("briefing", *args, "-o", out, env=env, check=False)
    assert proc.returncode == status and message in proc.stderr
    assert not out.exists()


def test_a_region_scoped_viewer_gets_no_other_region(store, natije_cli, tmp_path):
    _, env = store
    out = tmp_path / "x.pdf"
    akim = env | {"NATIJE_VIEWER_ROLE": "akim", "NATIJE_VIEWER_REGION": "AST"}
    proc = natije_cli("briefing", "--region", REGION, "-o", out, env=akim, check=False)
    assert proc.returncode == 4 and "outside this viewer's scope" in proc.stderr and not out.exists()
