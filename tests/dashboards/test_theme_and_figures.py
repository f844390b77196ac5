"""The one look (status colours, icons, template) and the pure figure functions."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dashboards import _theme
from dashboards._figures import clean_series, sparkline
from kpi import status as kpi_status

AA = 4.5


def test_every_status_of_kpi_has_a_style_in_the_same_order():
    assert tuple(_theme.STATUS) == kpi_status.STATUS_ORDER
    assert [s.rank for s in _theme.STATUS.values()] == list(range(len(_theme.STATUS)))


def test_off_track_and_at_risk_match_kpi():
    assert set(_theme.OFF_TRACK) == set(kpi_status.OFF_TRACK)
    assert set(_theme.AT_RISK) == set(kpi_status.AT_RISK)


@pytest.mark.parametrize("status", list(_theme.STATUS))
def test_status_text_passes_wcag_aa_on_its_tint_and_on_white(status):
    style = _theme.STATUS[status]
    assert _theme.contrast_ratio(style.fg, style.bg) >= AA
    assert _theme.contrast_ratio(style.fg, "#ffffff") >= AA


@pytest.mark.parametrize("state", list(_theme.FRESHNESS))
def test_freshness_text_passes_wcag_aa(state):
    style = _theme.FRESHNESS[state]
    assert _theme.contrast_ratio(style.fg, style.bg) >= AA


def test_status_is_never_colour_alone_every_icon_differs():
    icons = [s.icon for s in _theme.STATUS.values()]
    assert all(icons) and len(set(icons)) == len(icons)


def test_secondary_text_and_series_colours_pass_aa_on_white():
    assert _theme.contrast_ratio(_theme.MUTED, "#ffffff") >= AA
    assert _theme.contrast_ratio(_theme.LINE, "#ffffff") >= AA


def test_contrast_ratio_known_values():
    assert _theme.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert _theme.contrast_ratio("#777777", "#777777") == pytest.approx(1.0)


def test_unknown_status_looks_like_no_data():
    assert _theme.status_style("bogus") == _theme.STATUS["no_data"]
    assert _theme.status_style(None) == _theme.STATUS["no_data"]


def test_template_is_registered_with_dejavu_and_the_palette():
    template = pio.templates[_theme.TEMPLATE_NAME]
    assert template.layout.font.family.startswith("DejaVu Sans")
    assert list(template.layout.colorway) == list(_theme.PALETTE)


# --- figures ----------------------------------------------------------------------------------------

def test_clean_series_turns_gaps_into_none():
    assert clean_series([1, None, float("nan"), "x", "2.5"]) == [1.0, None, None, None, 2.5]
    assert clean_series(None) == []


def test_sparkline_draws_the_line_and_marks_the_last_known_point_in_the_status_colour():
    fig = sparkline([1, 2, None, 4, None], ["2020", "2021", "2022", "2023", "2024"], status="red")
    assert isinstance(fig, go.Figure)
    line, last = fig.data
    assert list(line.y) == [1, 2, None, 4, None]
    assert line.connectgaps is False
    assert list(last.x) == [3] and list(last.y) == [4]
    assert last.marker.color == _theme.STATUS["red"].accent
    assert fig.layout.template.layout.font.family.startswith("DejaVu Sans")
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.showlegend is False
    low, high = fig.layout.yaxis.range
    assert low < 1 and high > 4


def test_sparkline_of_a_flat_series_still_has_a_range():
    fig = sparkline([5, 5, 5])
    low, high = fig.layout.yaxis.range
    assert low < 5 < high


def test_sparkline_without_values_is_an_empty_figure_of_the_same_height():
    for values in ([], None, [None, math.nan]):
        fig = sparkline(values, height=40)
        assert len(fig.data) == 0
        assert fig.layout.height == 40
