"""Pure figure functions: data in, ``go.Figure`` out, always on the one natije template.

No Dash, no store, no translation lookups here: the callers pass numbers and already-translated
labels, so every figure can be unit-tested and exported the same way.
"""

from __future__ import annotations

import math
from typing import Sequence

import plotly.graph_objects as go

from dashboards._theme import LINE, TEMPLATE_NAME, status_style


def clean_series(values: Sequence[object] | None) -> list[float | None]:
    """``values`` as floats with None for missing (None, NaN, non-numbers)."""
    out: list[float | None] = []
    for value in list(values) if values is not None else []:
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            out.append(None)
            continue
        out.append(None if math.isnan(number) else number)
    return out


def sparkline(values: Sequence[object] | None, periods: Sequence[object] | None = None, *,
              status: str | None = None, height: int = 56) -> go.Figure:
    """A trend sparkline: the series as a line, its last known point marked in the status colour.

    ``values`` may hold gaps (None/NaN: the line breaks there); ``periods`` label the points (used in
    hover text only). Axes, legend and margins are off: the figure is meant to be shown with
    ``config={"staticPlot": True, "displayModeBar": False}``. Fewer than one known value gives an
    empty figure of the same size (the card shows no trend).
    """
    ys = clean_series(values)
    labels = [str(p) for p in periods] if periods is not None else [str(i) for i in range(len(ys))]
    labels = (labels + [""] * len(ys))[: len(ys)]
    xs = list(range(len(ys)))
    fig = go.Figure()
    known = [i for i, y in enumerate(ys) if y is not None]
    if known:
        accent = status_style(status).accent
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", line=dict(color=LINE, width=2.5, shape="linear"),
            connectgaps=False, hoverinfo="skip", name="",
        ))
        last = known[-1]
        fig.add_trace(go.Scatter(
            x=[xs[last]], y=[ys[last]], mode="markers",
            marker=dict(color=accent, size=9, line=dict(color="#ffffff", width=1.5)),
            text=[labels[last]], hoverinfo="skip", name="",
        ))
        low, high = min(y for y in ys if y is not None), max(y for y in ys if y is not None)
        pad = (high - low) * 0.15 or (abs(high) * 0.05 or 1.0)
        y_range = [low - pad, high + pad]
    else:
        y_range = [0, 1]
    fig.update_layout(
        template=TEMPLATE_NAME,
        height=height,
        margin=dict(l=4, r=8, t=4, b=4),
        showlegend=False,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        xaxis=dict(visible=False, range=[-0.5, max(len(xs) - 0.5, 0.5)], fixedrange=True),
        yaxis=dict(visible=False, range=y_range, fixedrange=True),
    )
    return fig
