"""``/briefing`` (dashboards/_briefing_route.py) through a Flask test client on a private copy of the
demo store, as ``tests/dashboards/test_exports.py`` tests the export route: the PDF inline with its
file name, kept in the store for the next request, 400 for malformed parameters, 404 for unknown or
out-of-scope codes. And the pages' button: its callback delivers the same PDF."""

from __future__ import annotations

import base64
import types

import pytest
from dash import dcc, html
from flask import Flask

from dashboards import _briefing, _briefing_route
from dashboards import _ids as ids
from data_sources.settings import load_settings
from data_sources.store import make_engine
from services.i18n import translator
from tests.dashboards.ui_samples import find

pytestmark = pytest.mark.needs_system("chromium", "pango", "dejavu")

NAME = "natije_briefing_NDP-2029_AST_2025-11-15_en.pdf"


@pytest.fixture(scope="module")
def store(demo_store, harness, tmp_path_factory):
    directory = tmp_path_factory.mktemp("briefing-route")
    path = harness.copy_sqlite_store(demo_store, directory / "natije.sqlite3")
    url = harness.sqlite_url(path)
    engine = make_engine(url)
    yield types.SimpleNamespace(engine=engine, url=url, directory=directory)
    engine.dispose()


@pytest.fixture(scope="module")
def client_for(store):
    """``client_for(role, region)`` -> a Flask test client of ``/briefing`` for that viewer."""
    with pytest.MonkeyPatch.context() as patch:
        def make(role="minister", region=None):
            values = {"NATIJE_DATABASE_URL": store.url, "NATIJE_DATA_DIR": str(store.directory),
                      "NATIJE_VIEWER_ROLE": role}
            if region:
                values["NATIJE_VIEWER_REGION"] = region
            runtime = types.SimpleNamespace(settings=load_settings(values), engine=store.engine)
            patch.setattr("services.runtime.runtime", lambda: runtime)
            server = Flask(__name__)
            _briefing_route.install(server)
            return server.test_client()
        yield make


@pytest.fixture(scope="module")
def first(client_for):
    """The first request for Astana's pack in English (rendered)."""
    return client_for().get("/briefing?region=ast&lang=en")


def test_the_pack_is_answered_inline_with_its_name(first):
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data.startswith(b"%PDF-")
    disposition = first.headers["Content-Disposition"]
    assert disposition.startswith("inline;") and f'filename={NAME}' in disposition.replace('"', "")
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    assert first.headers["X-Natije-Briefing"] == "rendered"


def test_the_same_request_again_is_served_from_the_store(first, client_for):
    again = client_for().get("/briefing?region=AST&lang=en&node=")
    assert again.status_code == 200 and again.headers["X-Natije-Briefing"] == "cached"
    assert again.data == first.data


@pytest.mark.parametrize("query,message", [
    ("region=AST&page=2", "unknown parameter"),
    ("region=AST&region=ALA", "given once"),
    ("node=..%2Fetc", "must be a code"),
    ("lang=de", "lang"),
    ("as_of=yesterday", "as_of"),
])
def test_malformed_parameters_are_400(client_for, query, message):
    response = client_for().get(f"/briefing?{query}")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert response.mimetype == "text/plain"


@pytest.mark.parametrize("query", ["node=NOPE", "region=XXX", "node=NP-HEALTH-ALR-01"])
def test_unknown_or_out_of_scope_codes_are_404(client_for, query):
    response = client_for(role="akim", region="AST").get(f"/briefing?{query}")
    assert response.status_code == 404


def test_another_region_is_out_of_an_akims_scope(client_for):
    response = client_for(role="akim", region="AST").get("/briefing?region=ALA")
    assert response.status_code == 404 and "outside this viewer's scope" in response.get_data(as_text=True)


def test_the_button_delivers_the_pack_of_the_page(first, client_for):
    client_for()  # the runtime of the module's store, for the callback's page context
    t = translator("en")
    button = _briefing.briefing_button(t, {"as_of": None}, region="AST")
    assert find(button, id_=ids.BRIEFING_BUTTON)[0].children[1] == t("briefing.button")
    store = find(button, type_=dcc.Store)[0]
    assert store.data == {"node": None, "region": "AST", "lang": "en", "as_of": None}
    assert find(button, id_=ids.BRIEFING_SPINNER)[0].hidden is True
    download, status = _briefing.deliver_briefing(1, store.data)
    assert download["filename"] == NAME and download["type"] == "application/pdf" and download["base64"]
    assert base64.b64decode(download["content"]) == first.data  # the same code path, the same kept pack
    assert status == t("briefing.button.done", file=NAME)
    _, refused = _briefing.deliver_briefing(1, {"region": "XXX", "lang": "en"})
    assert refused == t("briefing.error.not_found")
    assert isinstance(find(button, id_=ids.BRIEFING_STATUS)[0], html.Span)
