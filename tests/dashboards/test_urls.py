"""Links carry the URL state: the language (and as-of day) follow the user; the switch keeps the rest."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from dashboards import _ids, _urls


def test_href_carries_lang_and_as_of_only():
    params = {"lang": "kk", "as_of": "2025-10-01", "portfolio": "NDP-2029", "x": "1"}
    url = _urls.href("/programs/NP-HEALTH", params)
    assert url == "/programs/NP-HEALTH?lang=kk&as_of=2025-10-01"


def test_href_overrides_and_drops():
    assert _urls.href("/", {"lang": "ru"}, portfolio="NDP-2025") == "/?lang=ru&portfolio=NDP-2025"
    assert _urls.href("/", {"lang": "ru"}, lang=None) == "/"
    assert _urls.href("/", {}) == "/"


def test_same_page_keeps_every_other_parameter():
    url = _urls.same_page("/programs/NP-HEALTH", {"lang": "ru", "portfolio": "NDP-2029", "year": "2024"}, lang="kk")
    parts = urlsplit(url)
    assert parts.path == "/programs/NP-HEALTH"
    assert parse_qs(parts.query) == {"lang": ["kk"], "portfolio": ["NDP-2029"], "year": ["2024"]}


def test_repeated_parameters_use_the_first_value_and_blank_ones_are_dropped():
    assert _urls.first(["kk", "ru"]) == "kk"
    assert _urls.first("  ") is None
    assert _urls.query({"lang": ["en", "kk"], "empty": ""}) == "?lang=en"


def test_program_href_quotes_the_code():
    assert _urls.program_href("NP HEALTH/1", {"lang": "en"}) == "/programs/NP%20HEALTH%2F1?lang=en"


def test_parse_as_of():
    assert _urls.parse_as_of("2025-10-01") == dt.date(2025, 10, 1)
    assert _urls.parse_as_of(["2025-10-01"]) == dt.date(2025, 10, 1)
    assert _urls.parse_as_of("yesterday") is None
    assert _urls.parse_as_of(None) is None


def test_dom_id_matches_dash_serialisation_of_dict_ids():
    assert _ids.dom_id(_ids.alert_panel_id("stale")) == '{"key":"stale","type":"alert-panel"}'
    assert _ids.dom_id("plain") == "plain"


def test_node_and_region_links_carry_language_and_as_of():
    params = {"lang": "kk", "as_of": "2025-10-01", "indicator": "X"}
    assert _urls.project_href("NP2-RURALHEALTH-ALR-01", params) == "/projects/NP2-RURALHEALTH-ALR-01?lang=kk&as_of=2025-10-01"
    assert _urls.region_href("AST", params) == "/regions/AST?lang=kk&as_of=2025-10-01"
    assert _urls.region_href("a/b?c", {}) == "/regions/a%2Fb%3Fc"


def test_regions_href_holds_the_maps_state():
    assert _urls.regions_href({"lang": "en"}, indicator="GRP", year=2024, per_capita=True) == \
        "/regions?lang=en&indicator=GRP&year=2024&per_capita=1"
    assert _urls.regions_href({"lang": "en", "year": "2020"}, indicator="GRP", per_capita=False) == \
        "/regions?lang=en&indicator=GRP"
    assert _urls.regions_href({}) == "/regions"


def test_parse_flag_and_int():
    assert _urls.parse_flag("1") and _urls.parse_flag(["true"]) and not _urls.parse_flag("0")
    assert not _urls.parse_flag(None) and not _urls.parse_flag("yes please")
    assert _urls.parse_int("2024") == 2024 and _urls.parse_int("20x") is None and _urls.parse_int(None) is None
