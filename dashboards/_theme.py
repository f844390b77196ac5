"""The one look of natije: fonts, palette, status colours and the Plotly template.

* Font: "DejaVu Sans" first — it has every Kazakh letter (ә ғ қ ң ө ұ ү һ і); Liberation does not.
* Palette: Okabe–Ito (safe for the common colour-vision deficiencies), ordered for contrast.
* Status: never colour alone — every status has an icon and a name (the name comes from the reasons
  catalog, ``status.<status>``); the text colour on its tint passes WCAG AA (4.5:1), a test checks.
* One Plotly template, registered as ``pio.templates["natije"]``; every figure function uses it.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import plotly.io as pio

FONT_FAMILY = '"DejaVu Sans", "Noto Sans", "Segoe UI", Arial, sans-serif'
FONT_FAMILY_PLOTLY = "DejaVu Sans, Noto Sans, Arial, sans-serif"

#: Okabe–Ito, the dark ones first so a single series is legible on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")

TEXT = "#1b1f24"
MUTED = "#4f5966"       # secondary text: 7.0:1 on white
GRID = "#e3e7ed"
SURFACE = "#ffffff"
PAGE = "#f4f6f9"
LINE = "#0b4f8a"        # the neutral series colour (sparklines): 8.4:1 on white


@dataclass(frozen=True)
class StatusStyle:
    """How one status looks: ``icon`` (a DejaVu Sans glyph), ``fg`` text on ``bg`` tint (AA),
    ``accent`` for borders and chart markers, ``rank`` (0 = worst, for sorting)."""

    icon: str
    fg: str
    bg: str
    accent: str
    rank: int


#: Status values of kpi/status (and of programs), worst first as in ``kpi.status.STATUS_ORDER``.
#: Icons: the shape differs for every status.
STATUS: dict[str, StatusStyle] = {
    "missed":      StatusStyle("✖", "#6e1530", "#f6e0e7", "#8e1f40", 0),
    "red":         StatusStyle("✕", "#8f1218", "#fde3e3", "#c8262d", 1),
    "amber_red":   StatusStyle("▼", "#873600", "#ffe7d6", "#d9600a", 2),
    "amber":       StatusStyle("●", "#6a4600", "#fff1c9", "#c98a00", 3),
    "amber_green": StatusStyle("▲", "#3f5a00", "#eef5d8", "#7a9a1a", 4),
    "green":       StatusStyle("✓", "#0b5a33", "#e2f4e9", "#1e8a52", 5),
    "achieved":    StatusStyle("★", "#0a4a87", "#e0edfb", "#1769b8", 6),
    "no_data":     StatusStyle("○", "#424b57", "#eceff3", "#8a94a3", 7),
}
STATUSES = tuple(STATUS)
#: Statuses that count as "off track" and "at risk" in summaries.
OFF_TRACK = ("missed", "red", "amber_red")
AT_RISK = ("amber",)


def status_style(status: str | None) -> StatusStyle:
    """The style of ``status``; unknown or missing statuses look like ``no_data``."""
    return STATUS.get(status or "no_data", STATUS["no_data"])


@dataclass(frozen=True)
class FreshnessStyle:
    icon: str
    fg: str
    bg: str


#: Freshness of an indicator's data; ``fresh`` shows nothing on cards.
FRESHNESS: dict[str, FreshnessStyle] = {
    "fresh": FreshnessStyle("✓", "#0b5a33", "#e2f4e9"),
    "late":  FreshnessStyle("◷", "#6a4600", "#fff1c9"),
    "stale": FreshnessStyle("⚠", "#8f1218", "#fde3e3"),
}


# --- WCAG contrast ----------------------------------------------------------------------------------

def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio (1..21) of two ``#rrggbb`` colours; AA for normal text needs 4.5."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


# --- the Plotly template ----------------------------------------------------------------------------

TEMPLATE_NAME = "natije"


def _template() -> go.layout.Template:
    axis = dict(gridcolor=GRID, linecolor=GRID, zerolinecolor=GRID, ticks="", automargin=True,
                title=dict(font=dict(size=13, color=MUTED)), tickfont=dict(size=12, color=MUTED))
    return go.layout.Template(
        layout=go.Layout(
            font=dict(family=FONT_FAMILY_PLOTLY, size=14, color=TEXT),
            title=dict(font=dict(size=17, color=TEXT), x=0, xanchor="left"),
            colorway=list(PALETTE),
            paper_bgcolor=SURFACE,
            plot_bgcolor=SURFACE,
            xaxis=axis,
            yaxis=axis,
            hoverlabel=dict(font=dict(family=FONT_FAMILY_PLOTLY, size=13)),
            legend=dict(font=dict(size=12), orientation="h", y=-0.2),
            margin=dict(l=48, r=16, t=48, b=40),
        )
    )


pio.templates[TEMPLATE_NAME] = _template()
