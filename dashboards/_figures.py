"""Pure figure functions: data in, ``go.Figure`` out, always on the one natije template.

No Dash, no store, no translation lookups here: the callers pass numbers and already-translated
labels, so every figure can be unit-tested and exported the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboards._theme import LINE, MUTED, TEMPLATE_NAME, TEXT, status_style


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


# --- shared pieces of the charts --------------------------------------------------------------------

#: Series colours (Okabe–Ito, distinguishable with the common colour-vision deficiencies); every
#: series also differs by line dash or marker shape, so no chart relies on colour alone.
FACT = "#0072B2"          # facts: blue, solid line, filled circles
PLAN = "#4f5966"          # plan / target trajectory: dark grey, dashed, open circles
FORECAST = "#D55E00"      # forecast: vermillion, dotted
TARGET = "#1b1f24"        # the target at the deadline: a black star
HIGHLIGHT = "#D55E00"     # the region of the page among the others
NO_VALUE = "#d5dae1"      # a region without a value (hatched in the legend text, noted in the hover)
#: Sequential blues for the choropleth: light = worse, dark = better (lightness carries the order).
MAP_SCALE = [[0.0, "#e8f1fa"], [0.25, "#b9d4ec"], [0.5, "#6fa8d6"], [0.75, "#2f78b7"], [1.0, "#0b3d75"]]
#: Kazakhstan's extent (the choropleth's default view).
KZ_CENTER = {"lat": 48.6, "lon": 66.9}
KZ_ZOOM = 3.4

Formatter = Callable[[float], str]


def _plain(value: float) -> str:
    return f"{value:,.1f}"


def title_with_units(title: str, units: str | None) -> str:
    """``"Rural health facilities built, units"`` — every figure's own title names its units."""
    return f"{title}, {units}" if units else title


def period_end(start: dt.date, frequency: str | None) -> dt.date:
    """The last day of the period (Y, Q, M) that starts on ``start``; charts place a period's value there."""
    months = {"Y": 12, "Q": 3, "M": 1}.get(str(frequency or "Y").upper()[:1], 12)
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return dt.date(year, month, 1) - dt.timedelta(days=1)


def _as_date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _base_layout(fig: go.Figure, *, title: str, units: str | None, height: int, separators: str) -> None:
    fig.update_layout(
        template=TEMPLATE_NAME, height=height, separators=separators,
        title=dict(text=title_with_units(title, units), x=0, xref="paper"),
        margin=dict(l=56, r=24, t=56, b=48), hovermode="closest",
        legend=dict(orientation="h", x=0, xanchor="left", y=-0.14, yanchor="top"),
    )


def _year_axis(fig: go.Figure) -> None:
    """A date x axis labelled by year, each label centred on its year (a point at 31 Dec sits at the
    end of its year's span, where it belongs)."""
    fig.update_xaxes(type="date", dtick="M12", tickformat="%Y", ticklabelmode="period", showgrid=True)


def _today_line(fig: go.Figure, today: dt.date | None, label: str | None) -> None:
    if today is None:
        return
    fig.add_vline(x=today.isoformat(), line=dict(color=MUTED, width=1.5, dash="dot"))
    if label:
        fig.add_annotation(x=today.isoformat(), y=1, yref="paper", yanchor="bottom", text=label, showarrow=False,
                           font=dict(size=11, color=MUTED), xanchor="left", xshift=3)


# --- a goal: facts, target trajectory, forecast with its interval, the target, today ------------------

@dataclass(frozen=True)
class GoalLabels:
    """Translated legend and hover words of :func:`goal_chart`."""

    facts: str = "Facts"
    trajectory: str = "Target trajectory"
    forecast: str = "Forecast"
    interval: str = "80 % interval"
    target: str = "Target"
    today: str = "Today"


def goal_chart(facts: pd.DataFrame, trajectory: pd.DataFrame, forecast: pd.DataFrame, *, title: str,
               units: str | None = None, frequency: str = "Y", target: tuple[dt.date, float] | None = None,
               today: dt.date | None = None, labels: GoalLabels = GoalLabels(), fmt: Formatter = _plain,
               period_text: Callable[[str], str] = str, separators: str = ".,", height: int = 340) -> go.Figure:
    """One goal on a date axis, every value placed at the END of its period (a year's value at 31 Dec):

    * ``facts`` (``period_start``, ``value``, optional ``period`` label): blue solid line, filled dots;
    * ``trajectory`` (``date``, ``value``): the target path from the baseline through the yearly
      targets, grey dashed with open circles;
    * ``forecast`` (``period_start``, ``value``, ``low``, ``high``: ``services.goals.forecast_line``):
      vermillion dotted line with its 80 % interval as a band;
    * ``target`` ``(deadline, value)``: a black star at the deadline;
    * ``today``: a dotted vertical line (the reference / as-of date).

    ``fmt`` formats values for the hover text (the locale's digits); ``period_text`` names periods.
    """
    fig = go.Figure()
    facts = facts if facts is not None else pd.DataFrame(columns=["period_start", "value"])
    if forecast is not None and not forecast.empty:
        xs = [period_end(_as_date(s), frequency) for s in forecast["period_start"]]
        fig.add_trace(go.Scatter(
            x=xs + xs[::-1], y=list(forecast["high"]) + list(forecast["low"])[::-1], fill="toself", mode="lines",
            fillcolor="rgba(213,94,0,0.16)", line=dict(width=0), hoverinfo="skip", name=labels.interval,
            legendgroup="forecast",
        ))
        fig.add_trace(go.Scatter(
            x=xs, y=list(forecast["value"]), mode="lines+markers", name=labels.forecast, legendgroup="forecast",
            line=dict(color=FORECAST, width=2.5, dash="dot"), marker=dict(size=6, symbol="diamond", color=FORECAST),
            customdata=[[fmt(v), fmt(lo), fmt(hi)] for v, lo, hi in
                        zip(forecast["value"], forecast["low"], forecast["high"])],
            hovertemplate=f"{labels.forecast}: %{{customdata[0]}} (%{{customdata[1]}} – %{{customdata[2]}})"
                          "<extra></extra>",
        ))
    if trajectory is not None and not trajectory.empty:
        fig.add_trace(go.Scatter(
            x=[_as_date(d) for d in trajectory["date"]], y=list(trajectory["value"]), mode="lines+markers",
            name=labels.trajectory, line=dict(color=PLAN, width=2, dash="dash"),
            marker=dict(size=7, symbol="circle-open", color=PLAN, line=dict(width=2)),
            customdata=[[fmt(v)] for v in trajectory["value"]],
            hovertemplate=f"{labels.trajectory}: %{{customdata[0]}}<br>%{{x|%d.%m.%Y}}<extra></extra>",
        ))
    if not facts.empty:
        starts = [_as_date(s) for s in facts["period_start"]]
        names = list(facts["period"]) if "period" in facts else [s.isoformat() for s in starts]
        fig.add_trace(go.Scatter(
            x=[period_end(s, frequency) for s in starts], y=list(facts["value"]), mode="lines+markers",
            name=labels.facts, line=dict(color=FACT, width=3), marker=dict(size=7, color=FACT),
            customdata=[[period_text(str(p)), fmt(v)] for p, v in zip(names, facts["value"])],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        ))
    if target is not None and target[0] is not None and target[1] is not None:
        fig.add_trace(go.Scatter(
            x=[_as_date(target[0])], y=[float(target[1])], mode="markers", name=labels.target,
            marker=dict(size=17, symbol="star", color=TARGET, line=dict(color="#ffffff", width=1)),
            customdata=[[fmt(float(target[1]))]],
            hovertemplate=f"{labels.target}: %{{customdata[0]}}<br>%{{x|%d.%m.%Y}}<extra></extra>",
        ))
    _base_layout(fig, title=title, units=units, height=height, separators=separators)
    _year_axis(fig)
    fig.update_yaxes(title_text=units or None, rangemode="normal")
    _today_line(fig, today, labels.today)
    return fig


# --- a project: milestones (Gantt-like) and budget burn ---------------------------------------------

#: Colours and bar patterns of a milestone's actual phase, by ``services.projects`` milestone state.
MILESTONE_STATES = {
    "done_on_time": ("#009E73", ""),      # bluish green, solid
    "done_late": ("#D55E00", "/"),        # vermillion, hatched
    "overdue": ("#8f1218", "x"),          # dark red, cross-hatched (still running past its date)
    "upcoming": ("#56B4E9", ""),          # sky blue (not started or running, on time)
}


@dataclass(frozen=True)
class MilestoneLabels:
    planned: str = "Planned"
    actual: str = "Actual"
    today: str = "Today"
    states: tuple[tuple[str, str], ...] = ()   # (state, translated name) for the hover


def milestone_timeline(milestones: pd.DataFrame, *, start: dt.date | None, today: dt.date | None, title: str,
                       labels: MilestoneLabels = MilestoneLabels(), date_text: Callable[[dt.date], str] = str,
                       height: int | None = None) -> go.Figure:
    """Milestones as a Gantt chart: one row per milestone (in ``seq`` order, top to bottom), each with

    * its planned phase: from the previous milestone's planned date (the first from ``start``) to its
      own planned date — a grey bar;
    * its actual phase: from the previous milestone's actual date to its own actual date; while an
      overdue milestone is not done, from where its phase was planned to begin up to ``today``.

    Actual phases are one trace per state, so the legend names each state by colour *and* pattern:
    done on time (green, solid), done late (vermillion, hatched), overdue (dark red, cross-hatched).
    ``milestones``: ``services.projects.MILESTONE_COLUMNS``.
    """
    fig = go.Figure()
    rows = milestones.sort_values("seq") if milestones is not None and not milestones.empty else pd.DataFrame()
    names = {state: name for state, name in labels.states}
    day = 86_400_000
    ys: list[str] = []
    planned_x: list[float | None] = []
    planned_base: list[str | None] = []
    planned_hover: list[str] = []
    actual: dict[str, tuple[list, list, list]] = {state: ([], [], []) for state in MILESTONE_STATES}
    prev_planned = prev_actual = start
    for _, m in rows.iterrows():
        ys.append(f"{int(m['seq'])}. {_short(str(m['name']), 38)}")
        planned, done = _as_date(m["planned_date"]), _as_date(m["actual_date"])
        begin = prev_planned or planned
        planned_base.append(begin.isoformat() if begin else None)
        planned_x.append(((planned - begin).days + 1) * day if planned and begin else None)
        planned_hover.append(f"{m['name']}<br>{labels.planned}: {date_text(planned) if planned else '–'}")
        state = str(m["state"]) if str(m["state"]) in MILESTONE_STATES else "upcoming"
        if done is not None:
            a_begin, end = prev_actual or begin, done
        elif state == "overdue" and today is not None:
            a_begin, end = max(d for d in (prev_actual, begin) if d is not None) if (prev_actual or begin) else None, today
        else:
            a_begin = end = None
        late = int(m["days_late"]) if m["days_late"] is not None and not pd.isna(m["days_late"]) else 0
        for key, (xs, bases, hovers) in actual.items():
            if key == state and a_begin is not None and end is not None:
                xs.append(max((end - a_begin).days + 1, 1) * day)
                bases.append(a_begin.isoformat())
                hovers.append(f"{m['name']}<br>{labels.actual}: {date_text(done) if done else '–'}"
                              f"<br>{names.get(state, state)}" + (f" (+{late})" if late > 0 else ""))
            else:
                xs.append(None)
                bases.append(None)
                hovers.append("")
        prev_planned = planned or prev_planned
        prev_actual = done or prev_actual
    if ys:
        fig.add_trace(go.Bar(
            y=ys, x=planned_x, base=planned_base, orientation="h", name=labels.planned,
            marker=dict(color="#c4cbd4", line=dict(color=PLAN, width=1)), offsetgroup="planned",
            hovertext=planned_hover, hovertemplate="%{hovertext}<extra></extra>",
        ))
        for state, (xs, bases, hovers) in actual.items():
            if all(x is None for x in xs):
                continue
            colour, pattern = MILESTONE_STATES[state]
            fig.add_trace(go.Bar(
                y=ys, x=xs, base=bases, orientation="h", name=names.get(state, labels.actual),
                offsetgroup="actual", legendgroup=state,
                marker=dict(color=colour, line=dict(color=colour, width=1),
                            pattern=dict(shape=pattern, fgcolor="#ffffff", fillmode="overlay", size=7, solidity=0.3)),
                hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>",
            ))
    fig.update_layout(
        template=TEMPLATE_NAME, barmode="group", bargap=0.3, bargroupgap=0.08,
        height=height or max(240, 120 + 36 * len(ys)), title=dict(text=title, x=0, xref="paper"),
        margin=dict(l=16, r=24, t=56, b=40), showlegend=True,
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom"),
    )
    fig.update_xaxes(type="date", showgrid=True, tickformat="%m.%Y")
    fig.update_yaxes(autorange="reversed", type="category", showgrid=False, ticks="")
    _today_line(fig, today, labels.today)
    return fig


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def short_middle(text: str, limit: int) -> str:
    """``text`` cut in the middle to ``limit`` characters: names that differ only at the end (the
    region of "Modernisation of a district hospital in Aktobe Region") stay distinguishable."""
    if len(text) <= limit:
        return text
    head = max(8, limit // 3)
    tail = limit - head - 1
    return text[:head].rstrip() + "…" + text[-tail:].lstrip()


@dataclass(frozen=True)
class BudgetLabels:
    planned: str = "Planned (cumulative)"
    spent: str = "Spent (cumulative)"
    today: str = "Today"
    total: str = "Budget at completion"


def budget_burn(budget: pd.DataFrame, *, title: str, units: str, scale: float = 1.0, today: dt.date | None = None,
                total: float | None = None, labels: BudgetLabels = BudgetLabels(), fmt: Formatter = _plain,
                period_text: Callable[[str], str] = str, separators: str = ".,", height: int = 320) -> go.Figure:
    """Cumulative planned vs cumulative spent by month (``services.projects.BUDGET_COLUMNS``), each at
    its month's end, in tenge divided by ``scale`` (``units`` names the result, e.g. "bn ₸"). Spent:
    blue solid line over a light area (until ``today``); planned: dark grey dashed line drawn on top
    (both stay visible where they coincide); ``total`` (the budget at completion, in tenge): a dotted
    line with its label."""
    fig = go.Figure()
    if budget is not None and not budget.empty:
        rows = budget.sort_values("period_start")
        starts = [_as_date(s) for s in rows["period_start"]]
        ends = [period_end(s, "M") for s in starts]
        months = [period_text(f"{s.year}-{s.month:02d}") for s in starts]
        planned = [v / scale for v in rows["cumulative_planned_kzt"]]
        spent_rows = [(e, v / scale, m) for s, e, v, m in zip(starts, ends, rows["cumulative_spent_kzt"], months)
                      if (today is None or s <= today) and v is not None and not pd.isna(v)]
        if spent_rows:
            fig.add_trace(go.Scatter(
                x=[r[0] for r in spent_rows], y=[r[1] for r in spent_rows], mode="lines+markers", name=labels.spent,
                line=dict(color=FACT, width=3), marker=dict(size=5, color=FACT), fill="tozeroy",
                fillcolor="rgba(0,114,178,0.10)",
                customdata=[[r[2], fmt(r[1])] for r in spent_rows],
                hovertemplate=f"%{{customdata[0]}}<br>{labels.spent}: %{{customdata[1]}}<extra></extra>",
            ))
        fig.add_trace(go.Scatter(
            x=ends, y=planned, mode="lines", name=labels.planned, line=dict(color=PLAN, width=2.5, dash="dash"),
            customdata=[[m, fmt(v)] for m, v in zip(months, planned)],
            hovertemplate=f"%{{customdata[0]}}<br>{labels.planned}: %{{customdata[1]}}<extra></extra>",
        ))
    _base_layout(fig, title=title, units=units, height=height, separators=separators)
    fig.update_xaxes(type="date", showgrid=True, tickformat="%m.%Y")
    fig.update_yaxes(title_text=units, rangemode="tozero")
    if total is not None and not pd.isna(total):
        fig.add_hline(y=total / scale, line=dict(color=TARGET, width=1.2, dash="dot"))
        fig.add_annotation(x=0, xref="paper", xanchor="left", y=total / scale, yanchor="bottom", showarrow=False,
                           text=f"{labels.total} {fmt(total / scale)}".strip(), font=dict(size=11, color=MUTED))
    _today_line(fig, today, labels.today)
    return fig


# --- regions: the choropleth, the ranking, a KPI's trend -----------------------------------------------

def region_choropleth(rows: pd.DataFrame, geojson: dict, *, title: str, units: str | None, direction: str = "up",
                      fmt: Formatter = _plain, rank_text: Callable[[object], str] = str, no_value: str = "–",
                      separators: str = ".,", height: int = 500) -> go.Figure:
    """The regions coloured by ``value`` (``services.regions.MAP_ROW_COLUMNS``) on the boundaries of
    ``geojson`` (feature id = region code), offline (``go.Choroplethmap``, ``map_style="white-bg"``:
    no tiles, no CDN). Darker is better in the indicator's ``direction``; regions without a value are
    drawn in light grey, their hover gives the ``note`` (or ``no_value``). Hover: name, value, rank
    (``rank_text(rank)``, e.g. "3 of 20"). Every region is a location of one of the two traces. The
    colour bar has no title of its own (the units are in the figure's title and the chart's heading),
    so it stays narrow and the whole country fits beside it."""
    fig = go.Figure()
    feature_ids = {str(f.get("id")) for f in (geojson or {}).get("features", [])}
    frame = rows[rows["region"].astype(str).isin(feature_ids)] if rows is not None and not rows.empty else pd.DataFrame(
        columns=["region", "name", "value", "rank", "note"])
    known = frame[frame["value"].notna()]
    missing = frame[frame["value"].isna()]
    if not known.empty:
        scale = MAP_SCALE if direction != "down" else [[1 - s, c] for s, c in reversed(MAP_SCALE)]
        fig.add_trace(go.Choroplethmap(
            geojson=geojson, featureidkey="id", locations=list(known["region"]), z=list(known["value"]),
            colorscale=scale, marker=dict(line=dict(color="#ffffff", width=1.2), opacity=0.95),
            customdata=[[n, fmt(v), rank_text(r)] for n, v, r in zip(known["name"], known["value"], known["rank"])],
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            colorbar=dict(thickness=14, len=0.75, x=1.0, xpad=4, outlinewidth=0, tickfont=dict(size=11)),
            name="",
        ))
    if not missing.empty:
        fig.add_trace(go.Choroplethmap(
            geojson=geojson, featureidkey="id", locations=list(missing["region"]), z=[0] * len(missing),
            colorscale=[[0, NO_VALUE], [1, NO_VALUE]], showscale=False,
            marker=dict(line=dict(color="#ffffff", width=1.2), opacity=0.95),
            customdata=[[n, (note if isinstance(note, str) and note else no_value)]
                        for n, note in zip(missing["name"], missing["note"])],
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>", name="",
        ))
    fig.update_layout(
        template=TEMPLATE_NAME, height=height, separators=separators, title=dict(text=title_with_units(title, units)),
        map=dict(style="white-bg", center=KZ_CENTER, zoom=KZ_ZOOM), margin=dict(l=0, r=0, t=48, b=0),
        dragmode=False,
    )
    return fig


def ranking_bar(rows: pd.DataFrame, *, title: str, units: str | None, national: float | None = None,
                national_label: str = "", highlight: str | None = None, fmt: Formatter = _plain,
                separators: str = ".,", height: int | None = None) -> go.Figure:
    """The regions ranked (``rank`` 1 at the top) as horizontal bars with their values printed; the
    ``highlight`` region in vermillion with a bold label, the others blue; the national value a dashed
    line. Regions without a value are left out (the table beside says why)."""
    fig = go.Figure()
    frame = rows[rows["value"].notna()].sort_values("rank") if rows is not None and not rows.empty else pd.DataFrame(
        columns=["region", "name", "value", "rank"])
    names = [f"<b>{n}</b>" if r == highlight else str(n) for n, r in zip(frame["name"], frame["region"])]
    fig.add_trace(go.Bar(
        y=names, x=list(frame["value"]), orientation="h", name="",
        marker=dict(color=[HIGHLIGHT if r == highlight else FACT for r in frame["region"]]),
        text=[fmt(v) for v in frame["value"]], textposition="outside", cliponaxis=False,
        customdata=[[n, fmt(v), int(k)] for n, v, k in zip(frame["name"], frame["value"], frame["rank"])],
        hovertemplate="%{customdata[2]}. %{customdata[0]}: %{customdata[1]}<extra></extra>",
    ))
    if national is not None and not (isinstance(national, float) and math.isnan(national)):
        fig.add_vline(x=national, line=dict(color=TARGET, width=1.5, dash="dash"))
        fig.add_annotation(x=national, y=1, yref="paper", yanchor="bottom", showarrow=False,
                           text=f"{national_label} {fmt(national)}".strip(), font=dict(size=11, color=TEXT))
    _base_layout(fig, title=title, units=units, height=height or max(240, 70 + 24 * len(frame)), separators=separators)
    fig.update_layout(showlegend=False, margin=dict(l=16, r=56, t=64, b=32), bargap=0.25)
    fig.update_yaxes(autorange="reversed", type="category", showgrid=False)
    fig.update_xaxes(title_text=units or None, rangemode="tozero")
    return fig


def kpi_trend(periods: Sequence[object], values: Sequence[object] | None, *, title: str, units: str | None,
              status: str | None = None, target: float | None = None, target_label: str = "",
              national: Sequence[object] | None = None, national_label: str = "", fmt: Formatter = _plain,
              period_text: Callable[[str], str] = str, separators: str = ".,", height: int = 190) -> go.Figure:
    """A region's KPI over time, small: the series (its last point in the status colour), the
    national series for comparison when given (grey dashed), the target as a dotted line. Periods are
    labels (``2024``, ``2024-Q3``, ``2024-07``), shown in order as categories."""
    ys = clean_series(values)
    labels = [str(p) for p in periods][: len(ys)]
    ys = ys[: len(labels)]
    shown = [period_text(p) for p in labels]
    fig = go.Figure()
    if national is not None:
        ns = clean_series(national)[: len(labels)]
        if any(v is not None for v in ns):
            fig.add_trace(go.Scatter(
                x=labels, y=ns, mode="lines", name=national_label, line=dict(color=PLAN, width=1.5, dash="dash"),
                customdata=[[s, fmt(v) if v is not None else "–"] for s, v in zip(shown, ns)],
                hovertemplate=f"{national_label} · %{{customdata[0]}}: %{{customdata[1]}}<extra></extra>",
            ))
    if any(v is not None for v in ys):
        fig.add_trace(go.Scatter(
            x=labels, y=ys, mode="lines+markers", name=title, line=dict(color=FACT, width=2.5),
            marker=dict(size=5, color=FACT), connectgaps=False,
            customdata=[[s, fmt(v) if v is not None else "–"] for s, v in zip(shown, ys)],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        ))
        last = max(i for i, v in enumerate(ys) if v is not None)
        fig.add_trace(go.Scatter(
            x=[labels[last]], y=[ys[last]], mode="markers+text", text=[fmt(ys[last])], textposition="top center",
            textfont=dict(size=12, color=TEXT), hoverinfo="skip", name="",
            marker=dict(size=10, color=status_style(status).accent, line=dict(color="#ffffff", width=1.5)),
        ))
    if target is not None and not (isinstance(target, float) and math.isnan(target)):
        fig.add_hline(y=float(target), line=dict(color=TARGET, width=1.2, dash="dot"))
        fig.add_annotation(x=1, xref="paper", xanchor="right", y=float(target), yanchor="bottom", showarrow=False,
                           text=f"{target_label} {fmt(float(target))}".strip(), font=dict(size=11, color=MUTED))
    known = [v for v in ys if v is not None] + ([float(target)] if target is not None and not (
        isinstance(target, float) and math.isnan(target)) else [])
    _base_layout(fig, title=title, units=units, height=height, separators=separators)
    fig.update_layout(showlegend=False, margin=dict(l=44, r=12, t=36, b=28))
    if known:
        low, high = min(known), max(known)
        pad = (high - low) * 0.18 or (abs(high) * 0.05 or 1.0)
        fig.update_yaxes(range=[low - pad * 0.6, high + pad * 1.2])
    fig.update_xaxes(type="category", showgrid=False, tickangle=0, nticks=6)
    fig.update_yaxes(nticks=4)
    return fig


# --- citizen demand ---------------------------------------------------------------------------------

def demand_by_topic(demand: pd.DataFrame, *, title: str, units: str, growth_label: str = "",
                    fmt: Formatter = _plain, percent: Callable[[float], str] = lambda v: f"{v:+.0%}",
                    separators: str = ".,", height: int | None = None) -> go.Figure:
    """Requests per 10,000 people by topic (``services.regions.DEMAND_COLUMNS``), largest on top, the
    year-on-year growth printed after each bar (▲ rising, ▼ falling: shape, not colour)."""
    frame = demand.sort_values("per_10k", ascending=False) if demand is not None and not demand.empty else \
        pd.DataFrame(columns=["topic_name", "per_10k", "requests", "growth"])
    texts = []
    for value, growth in zip(frame["per_10k"], frame["growth"]):
        g = None if growth is None or (isinstance(growth, float) and math.isnan(growth)) else float(growth)
        arrow = "" if g is None else ("▲ " if g > 0 else "▼ " if g < 0 else "")
        texts.append(fmt(value) + ("" if g is None else f"  {arrow}{percent(g)}"))
    fig = go.Figure(go.Bar(
        y=[_short(str(n), 34) for n in frame["topic_name"]], x=list(frame["per_10k"]), orientation="h",
        marker=dict(color=FACT), text=texts, textposition="outside", cliponaxis=False, name="",
        customdata=[[str(n), fmt(v), int(r) if r is not None and not pd.isna(r) else 0, t]
                    for n, v, r, t in zip(frame["topic_name"], frame["per_10k"], frame["requests"], texts)],
        hovertemplate="%{customdata[0]}: %{customdata[1]} (%{customdata[2]})<extra></extra>",
    ))
    _base_layout(fig, title=title, units=units, height=height or max(240, 70 + 30 * len(frame)), separators=separators)
    fig.update_layout(showlegend=False, margin=dict(l=16, r=110, t=56, b=36), bargap=0.3)
    fig.update_yaxes(autorange="reversed", type="category", showgrid=False)
    fig.update_xaxes(title_text=units, rangemode="tozero")
    return fig


def demand_trend(monthly: pd.DataFrame, *, title: str, units: str, fmt: Formatter = _plain,
                 period_text: Callable[[str], str] = str, separators: str = ".,", height: int = 280) -> go.Figure:
    """Requests per month (``month``, ``requests``) as columns, each at its month, the year on the axis."""
    frame = monthly.sort_values("month") if monthly is not None and not monthly.empty else pd.DataFrame(
        columns=["month", "requests"])
    months = [_as_date(m) for m in frame["month"]]
    fig = go.Figure(go.Bar(
        x=[dt.date(m.year, m.month, 15) for m in months], y=list(frame["requests"]), name="",
        marker=dict(color=FACT),
        customdata=[[period_text(f"{m.year}-{m.month:02d}"), fmt(v)] for m, v in zip(months, frame["requests"])],
        hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
    ))
    _base_layout(fig, title=title, units=units, height=height, separators=separators)
    fig.update_layout(showlegend=False, bargap=0.15)
    fig.update_xaxes(type="date", dtick="M3", tickformat="%m.%Y", showgrid=False)
    fig.update_yaxes(title_text=units, rangemode="tozero")
    return fig


def budget_by_project(names: Sequence[str], planned: Sequence[float], spent: Sequence[float | None] | None, *,
                      title: str, units: str, planned_label: str = "Planned", spent_label: str = "Spent",
                      fmt: Formatter = _plain, separators: str = ".,", height: int | None = None) -> go.Figure:
    """Each project's budget (already scaled to ``units``) as a grey outlined bar, what it has spent
    as a blue bar beside it (when ``spent`` is given); the largest budget on top."""
    order = sorted(range(len(names)), key=lambda i: -(planned[i] or 0))
    ys = [short_middle(str(names[i]), 52) for i in order]
    seen: dict[str, int] = {}
    for k, y in enumerate(ys):  # one bar per project even when two names read the same
        seen[y] = seen.get(y, 0) + 1
        if seen[y] > 1:
            ys[k] = f"{y} ({seen[y]})"
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=ys, x=[planned[i] for i in order], orientation="h", name=planned_label,
        marker=dict(color="#c4cbd4", line=dict(color=PLAN, width=1)),
        customdata=[[str(names[i]), fmt(planned[i])] for i in order],
        hovertemplate=f"%{{customdata[0]}}<br>{planned_label}: %{{customdata[1]}}<extra></extra>",
    ))
    if spent is not None:
        fig.add_trace(go.Bar(
            y=ys, x=[spent[i] for i in order], orientation="h", name=spent_label, marker=dict(color=FACT),
            customdata=[[str(names[i]), fmt(spent[i]) if spent[i] is not None else "–"] for i in order],
            hovertemplate=f"%{{customdata[0]}}<br>{spent_label}: %{{customdata[1]}}<extra></extra>",
        ))
    _base_layout(fig, title=title, units=units, separators=separators,
                 height=height or max(240, 90 + (34 if spent is not None else 22) * len(ys)))
    fig.update_layout(barmode="group", bargap=0.25, margin=dict(l=16, r=24, t=56, b=40),
                      legend=dict(orientation="h", x=1, xanchor="right", y=1.0, yanchor="bottom"))
    fig.update_yaxes(autorange="reversed", type="category", showgrid=False)
    fig.update_xaxes(title_text=units, rangemode="tozero")
    return fig
