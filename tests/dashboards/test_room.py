"""``/room``: the wall's view from the demo store (every panel kind, every language, hostile URLs, a
region-scoped viewer), the refresh, the clock and the wall's figures."""

from __future__ import annotations

import datetime as dt
import json

import dash
import plotly.graph_objects as go
import pytest
from dash import html

from dashboards import _ids as ids
from dashboards import _room
from dashboards._room import clock_text, room_figure, room_update, room_view, without_string_ids
from data_sources import queries
from data_sources.settings import ALMATY, load_settings
from services.context import make_context
from services.i18n import translator
from services.room import parse_room
from tests.dashboards.ui_samples import find, text_of, walk

ALL_PANELS = "overview,map:LIFE_EXPECTANCY,program:NP-HEALTH,region:AST,instructions,ledger"
NOW = dt.datetime(2025, 11, 15, 9, 5, 7, tzinfo=ALMATY)


def string_ids(tree) -> list[str]:
    return [node.id for node in walk(tree) if isinstance(getattr(node, "id", None), str)]


def panels_of(tree) -> list:
    return find(tree, cls="nt-room__panel")


@pytest.fixture
def context(readonly_demo_engine, readonly_database_url):
    def make(lang="en", **settings):
        env = {"NATIJE_DATABASE_URL": readonly_database_url, **settings}
        return make_context(readonly_demo_engine, load_settings(env), lang=lang)
    return make


def wall(ctx, params):
    config = parse_room(params)
    return room_view(ctx, config, params, version=queries.data_version(ctx.engine), now=NOW)


@pytest.mark.datalayer
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_panel_kind_draws_from_the_demo_store(context, lang):
    ctx = context(lang)
    t = translator(lang)
    tree = wall(ctx, {"panels": ALL_PANELS, "lang": lang})
    panels = panels_of(tree)
    assert len(panels) == 6
    assert [p.className.split() for p in panels][0] == ["nt-room__panel", "is-active"]
    text = text_of(tree)
    assert t("room.not_found.heading") not in text
    for message_id in ("room.instructions.title", "room.ledger.title", "room.ticker.title"):
        assert t(message_id) in text
    assert find(tree, cls="nt-kpi") and find(tree, cls="nt-chart") and find(tree, cls="nt-ledger__card")
    ids_on_wall = string_ids(tree)
    assert len(ids_on_wall) == len(set(ids_on_wall))  # the pages' blocks lose their page ids on the wall
    assert {ids.ROOM, ids.ROOM_TICKER, ids.ROOM_CLOCK, ids.ROOM_SIGNAL, ids.ROOM_SHOWN, ids.ROOM_DIGESTS} <= set(ids_on_wall)
    props = tree.to_plotly_json()["props"]
    assert (props["data-rotate"], props["data-refresh"], props["data-reload"]) == ("30", "60", "21600")
    assert props["data-version"] == str(queries.data_version(ctx.engine))
    assert json.loads(props["data-clock"])["months"][10]  # November in the page's language
    alerts = [li for li in find(tree, cls="nt-room__alert") if getattr(li, "data-key", None)]
    assert alerts and len({getattr(li, "data-key") for li in alerts}) == len(alerts)
    json.dumps(tree.to_plotly_json(), default=str)


@pytest.mark.datalayer
def test_a_panel_that_does_not_exist_says_so(context):
    t = translator("ru")
    tree = wall(context("ru"), {"panels": "program:NOPE,region:XX,map:NOPE,ledger", "lang": "ru"})
    assert len(panels_of(tree)) == 4
    text = text_of(tree)
    for token in ("program:NOPE", "region:XX", "map:NOPE"):
        assert t("room.not_found", panel=token) in text


@pytest.mark.datalayer
def test_a_region_scoped_viewer_sees_its_own_scope_only(context):
    """An akim of Astana sees other regions' goals (comparison data) but not their projects or
    instructions: the panels go through the same scoped services as the pages."""
    from services.instructions import view_counts
    from services.regions import build_region

    akim = context("en", NATIJE_VIEWER_ROLE="akim", NATIJE_VIEWER_REGION="AST")
    national = context("en")
    assert build_region(akim, "AKM").projects.empty and not build_region(national, "AKM").projects.empty

    def stats(ctx, panel):
        tree = wall(ctx, {"panels": panel})
        return [text_of(dd) for dd in walk(find(tree, cls="nt-room__panel")[0]) if isinstance(dd, html.Dd)]

    assert stats(akim, "region:AKM") == ["0", "0", "0"]
    assert stats(national, "region:AKM")[2] != "0"
    own, everyone = view_counts(akim), view_counts(national)
    assert stats(akim, "instructions")[0] == str(own["all"]) and own["all"] < everyone["all"]


@pytest.mark.datalayer
def test_the_url_problems_are_shown_in_the_language(context):
    t = translator("kk")
    tree = wall(context("kk"), {"panels": "weather,ledger", "rotate": "0", "theme": "neon", "lang": "kk"})
    line = find(tree, id_=ids.ROOM_PROBLEMS)
    assert line and t("room.problem.unknown_theme", value="neon") in text_of(line[0])
    assert "weather" in text_of(line[0]) and "rotate=0" in text_of(line[0])
    assert tree.className == "nt-room nt-room--dark"


HOSTILE = ["\x00' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "A" * 3000, "%", ["x", "y"], ""]


@pytest.mark.datalayer
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_urls_still_draw_a_room(context, value):
    params = {"panels": value, "rotate": value, "refresh": value, "reload": value, "theme": value, "lang": value}
    tree = wall(context("en"), params)
    assert 1 <= len(panels_of(tree)) and tree.id == ids.ROOM
    json.dumps(tree.to_plotly_json(), default=str)


@pytest.mark.datalayer
def test_the_refresh_redraws_what_changed_and_names_the_version(context):
    ctx = context("ru")
    config = parse_room({"panels": ALL_PANELS})
    heads, metas, bodies, ticker, version, digests = room_update(ctx, config, {"lang": "ru"})
    assert len(heads) == len(metas) == len(bodies) == len(digests) == len(config.panels)
    assert version == str(queries.data_version(ctx.engine))
    assert any(getattr(li, "data-key", None) for li in ticker)
    first = wall(ctx, {"panels": ALL_PANELS, "lang": "ru"})
    assert [text_of(b) for b in bodies][2] == text_of(find(first, id_=ids.room_panel_body_id(2))[0])
    # what the browser already shows (the page's digests) is not sent again; the corners always are
    on_page = find(first, id_=ids.ROOM_DIGESTS)[0].data
    assert on_page == digests
    heads, metas, bodies, _, _, _ = room_update(ctx, config, {"lang": "ru"}, on_page)
    assert all(b is dash.no_update for b in bodies) and all(h is dash.no_update for h in heads)
    assert all(m is not dash.no_update for m in metas)
    changed = [*on_page[:3], "something else", *on_page[4:]]
    _, _, bodies, _, _, _ = room_update(ctx, config, {"lang": "ru"}, changed)
    assert [b is dash.no_update for b in bodies] == [True, True, True, False, True, True]
    _, _, bodies, _, _, _ = room_update(ctx, config, {"lang": "ru"}, ["x"])  # a client's nonsense: redraw all
    assert not any(b is dash.no_update for b in bodies)


def test_the_refresh_callback_refuses_a_config_that_is_not_the_page(monkeypatch):
    from dash.exceptions import PreventUpdate

    class Outputs:
        outputs_list = [[], [], [{"id": ids.room_panel_body_id(0)}], {}, {}, {}]

    monkeypatch.setattr(_room.dash, "callback_context", Outputs())
    with pytest.raises(PreventUpdate):
        _room.refresh_room({"version": 9}, {"panels": ["overview", "ledger"]}, None, "en")


@pytest.mark.parametrize("lang, expected", [
    ("en", "Saturday 15 November · 09:05:07"),
    ("ru", "суббота, 15 ноября · 09:05:07"),
    ("kk", "15 қараша, сенбі · 09:05:07"),
])
def test_the_clock_speaks_the_page_language(lang, expected):
    assert clock_text(NOW, translator(lang)) == expected


def test_wall_figures_keep_their_data_and_fetch_nothing():
    figure = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]), layout=dict(height=300, font_size=12))
    dark = room_figure(figure, "dark")
    assert dark.data[0].y == (3, 4) and figure.layout.font.size == 12  # a copy; the page's figure untouched
    assert dark.layout.font.size == 18 and dark.layout.font.color == _room.DARK_FIGURE["font"]
    assert room_figure(figure, "light").layout.font.color is None
    world = go.Figure(go.Choroplethmap(locations=["AST"], z=[1], geojson={"type": "FeatureCollection", "features": []}),
                      layout=dict(map=dict(style="white-bg")))
    style = room_figure(world, "dark").layout.map.style
    assert style["sources"] == {} and "http" not in json.dumps(style)


def test_page_ids_are_removed_but_pattern_ids_stay():
    tree = html.Div([html.Span("a", id="page-id"), html.Span("b", id={"type": "kpi-card", "key": 1})], id="outer")
    cleaned = without_string_ids(tree)
    assert string_ids(cleaned) == [] and find(cleaned, id_={"type": "kpi-card", "key": 1})


@pytest.mark.datalayer
def test_the_wall_is_live_whatever_as_of_says(monkeypatch, context):
    seen = []

    def page_context(params):
        seen.append(dict(params))
        return context("en")

    monkeypatch.setattr(_room, "page_context", page_context)
    _room.render({"panels": "ledger", "as_of": "2020-01-01", "lang": "en"})
    assert seen == [{"lang": "en"}]
