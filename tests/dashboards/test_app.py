"""app.py assembles an offline app: Bootstrap from the local package, <html lang> per request, the pages.

The app is built in a subprocess (Dash keeps global page and callback registries: one app per process).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, os
import dash, app
client = app.server.test_client()
out = {}
r = client.get("/vendor/bootstrap/css/bootstrap.min.css")
out["css"] = [r.status_code, r.mimetype, len(r.data)]
out["css_js"] = client.get("/vendor/bootstrap/js/bootstrap.bundle.min.js").status_code
out["escape"] = client.get("/vendor/bootstrap/../../../../etc/passwd").status_code
out["not_asset"] = client.get("/vendor/bootstrap/LICENSE").status_code
for lang in ("kk", "ru", "en", "xx"):
    out["index_" + lang] = client.get("/?lang=" + lang).get_data(as_text=True)
out["index_program"] = client.get("/programs/NP-HEALTH?lang=kk").get_data(as_text=True)
out["layout"] = client.get("/_dash-layout").status_code
r = client.get("/room/status")
out["room_status"] = [r.status_code, r.headers.get("Cache-Control"), r.get_json()]
out["room_html"] = client.get("/room?lang=kk").get_data(as_text=True)
out["pages"] = sorted(p.get("path_template") or p["path"] for p in dash.page_registry.values())
out["wrapped"] = all(getattr(p["layout"], "__wrapped__", None) for p in dash.page_registry.values())
out["title"] = app.app.title
out["update_title"] = app.app.config.update_title
out["server_is_app_server"] = app.server is app.app.server
out["run"] = callable(app.run)
out["version_check_off"] = os.environ.get("DASH_DISABLE_VERSION_CHECK")
print("JSON" + json.dumps(out))
"""


@pytest.fixture(scope="module")
def probe() -> dict:
    proc = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = [x for x in proc.stdout.splitlines() if x.startswith("JSON")][-1]
    return json.loads(line[4:])


def test_bootstrap_is_served_from_the_local_package(probe):
    status, mimetype, size = probe["css"]
    assert status == 200 and mimetype == "text/css" and size > 100_000
    assert probe["css_js"] == 200
    assert probe["escape"] == 404 and probe["not_asset"] == 404


def test_no_cdn_anywhere_in_the_page(probe):
    index = probe["index_en"]
    assert '/vendor/bootstrap/css/bootstrap.min.css' in index
    assert "/assets/natije.css" in index
    external = re.findall(r'(?:src|href)="(https?:)?//[^"]+"', index)
    assert not external, external


@pytest.mark.parametrize("lang,loading", [("kk", "Жүктелуде"), ("ru", "Загрузка"), ("en", "Loading")])
def test_html_lang_and_loading_text_follow_the_url(probe, lang, loading):
    index = probe[f"index_{lang}"]
    assert f'<html lang="{lang}">' in index
    assert loading in index


def test_unknown_lang_falls_back_to_natije_lang(probe):
    assert '<html lang="ru">' in probe["index_xx"]  # NATIJE_LANG defaults to ru


def test_deep_links_are_served_with_the_language(probe):
    assert '<html lang="kk">' in probe["index_program"]


def test_pages_are_registered_and_wrapped_in_the_shell(probe):
    assert probe["pages"] == ["/", "/404", "/data", "/instructions", "/ledger", "/officials", "/officials/<code>",
                              "/programs/<code>", "/projects/<code>", "/regions", "/regions/<code>", "/room"]
    assert probe["wrapped"] is True
    assert probe["layout"] == 200


def test_the_room_has_its_poll_and_no_shell(probe):
    # the probe's store is empty (no tables): the wall is told to wait, not given a 500 page
    assert probe["room_status"] == [503, "no-store", {"error": "store unavailable"}]
    assert '<html lang="kk">' in probe["room_html"]


def test_app_basics(probe):
    assert probe["title"] == "natije"
    assert probe["update_title"] is None  # no English "Updating..." in the tab
    assert probe["server_is_app_server"] and probe["run"]
    assert probe["version_check_off"] == "true"
