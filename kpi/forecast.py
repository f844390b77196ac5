"""Forecast to the deadline: a robust linear trend with a prediction interval.

Method. Time ``x`` is in years on the calendar-month scale of :func:`kpi.periods.decimal_year`. Each observation is placed at the END of its period, like a yearly
target, so the forecast at ``target_date`` is the value of the period that ends then.

1. Window: observations with ``period_start <= today`` and a value, within the last
   ``WINDOW_YEARS`` years of the latest one (5 yearly, 20 quarterly or 60 monthly points).
2. Enough data: at least ``MIN_POINTS`` observations covering at least ``MIN_COVERED_MONTHS``
   months (first period's start to last period's end). Otherwise ``state="insufficient_data"``
   and every figure is None: never a made-up number.
3. Seasonality (``seasonal`` and frequency Q or M, when every quarter/month of the year occurs
   at least ``MIN_CYCLES`` times): fit a first trend, take the median residual of each
   quarter/month, centre these offsets to sum to zero, subtract them and refit.
4. Theil-Sen trend: slope ``b`` = median of the pairwise slopes ``(y_j - y_i) / (x_j - x_i)``;
   intercept ``a`` = median of ``y - b*x``.
5. Forecast ``value = a + b*x_t (+ the seasonal offset of the target's period)``.
6. Spread: ``s = sqrt(sum(residual^2) / dof)``, dof = n - 2 (- the seasonal offsets estimated),
   widened with the horizon as in a regression prediction interval:
   ``se = s * sqrt(1 + 1/n + (x_t - mean(x))^2 / sum((x - mean(x))^2))``.
7. 80% interval ``value -/+ 1.2816 * se``; probability of meeting the target from the normal
   approximation: ``P(Y >= target)`` (up) or ``P(Y <= target)`` (down), ``Y ~ N(value, se)``;
   with ``se == 0`` it is 1.0 or 0.0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import NormalDist
from typing import Literal

import numpy as np
import pandas as pd

from kpi._values import float_or_none
from kpi.periods import (
    MONTHS_PER_PERIOD,
    Frequency,
    as_date,
    check_frequency,
    decimal_year,
    period_containing,
    period_end,
    shift_period,
)
from kpi.progress import Direction, check_direction, meets_target

WINDOW_YEARS = 5
MIN_POINTS = 3
MIN_COVERED_MONTHS = 12
MIN_CYCLES = 2
INTERVAL_COVERAGE = 0.80

_Z = NormalDist().inv_cdf(0.5 + INTERVAL_COVERAGE / 2)

ForecastState = Literal["ok", "insufficient_data"]


@dataclass(frozen=True)
class Forecast:
    """The forecast of the indicator's value at ``date`` (the target date); figures None unless ok.

    ``value``, ``low``, ``high`` in indicator units (``low``/``high``: the 80% prediction
    interval), ``probability`` of meeting the target in [0, 1] (None without a target),
    ``slope_per_year`` in indicator units per year, ``n_points`` observations in the window.
    """

    state: ForecastState
    value: float | None
    low: float | None
    high: float | None
    probability: float | None
    date: date
    slope_per_year: float | None
    n_points: int


@dataclass(frozen=True)
class _Trend:
    origin: float  # time (in years) of x = 0: the end of the latest period
    slope: float
    intercept: float
    seasonal_offsets: tuple[float, ...]  # by quarter/month of the year; empty when not seasonal
    scale: float
    x_mean: float
    x_spread: float  # sum of squared deviations of x
    n_points: int
    latest_period: date

    def predict(self, day: date, frequency: Frequency) -> tuple[float, float]:
        """The forecast value and its standard error at ``day``."""
        x = decimal_year(day) - self.origin
        value = self.intercept + self.slope * x
        if self.seasonal_offsets:
            value += self.seasonal_offsets[_season(period_containing(day, frequency), frequency)]
        se = self.scale * np.sqrt(1 + 1 / self.n_points + (x - self.x_mean) ** 2 / self.x_spread)
        return float(value), float(se)


def _season(period_start: date, frequency: Frequency) -> int:
    return (period_start.month - 1) // MONTHS_PER_PERIOD[frequency]


def _theil_sen(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    i, j = np.triu_indices(len(x), k=1)
    slope = float(np.median((y[j] - y[i]) / (x[j] - x[i])))
    return slope, float(np.median(y - slope * x))


def _window(series: pd.DataFrame, frequency: Frequency, today: date) -> pd.DataFrame:
    frame = series.loc[series["value"].notna(), ["period_start", "value"]]
    starts = pd.to_datetime(frame["period_start"]).dt.date
    frame = frame.assign(period_start=starts).loc[starts <= today]
    if frame["period_start"].duplicated().any():
        raise ValueError("the series has more than one value for a period")
    if frame.empty:
        return frame
    latest = frame["period_start"].max()
    earliest = shift_period(latest, frequency, 1 - WINDOW_YEARS * 12 // MONTHS_PER_PERIOD[frequency])
    return frame.loc[frame["period_start"] >= earliest].sort_values("period_start")


def _fit(series: pd.DataFrame, frequency: Frequency, seasonal: bool, today: date) -> tuple[_Trend | None, int]:
    """The fitted trend (None when data is insufficient) and the number of points in the window."""
    check_frequency(frequency)
    window = _window(series, frequency, today)
    n = len(window)
    if n < MIN_POINTS:
        return None, n
    starts = list(window["period_start"])
    first, latest = starts[0], starts[-1]
    covered = (latest.year - first.year) * 12 + latest.month - first.month + MONTHS_PER_PERIOD[frequency]
    if covered < MIN_COVERED_MONTHS:
        return None, n
    origin = decimal_year(period_end(latest, frequency))
    x = np.array([decimal_year(period_end(s, frequency)) - origin for s in starts])
    y = window["value"].to_numpy(dtype=float)
    slope, intercept = _theil_sen(x, y)
    offsets: tuple[float, ...] = ()
    seasons_per_year = 12 // MONTHS_PER_PERIOD[frequency]
    seasons = np.array([_season(s, frequency) for s in starts])
    counts = np.bincount(seasons, minlength=seasons_per_year)
    if seasonal and seasons_per_year > 1 and counts.min() >= MIN_CYCLES:
        residuals = y - (intercept + slope * x)
        medians = np.array([np.median(residuals[seasons == k]) for k in range(seasons_per_year)])
        offsets = tuple(float(v) for v in medians - medians.mean())
        y = y - np.array(offsets)[seasons]
        slope, intercept = _theil_sen(x, y)
    dof = max(n - 2 - max(len(offsets) - 1, 0), 1)
    residuals = y - (intercept + slope * x)
    trend = _Trend(
        origin=origin,
        slope=slope,
        intercept=intercept,
        seasonal_offsets=offsets,
        scale=float(np.sqrt(np.sum(residuals**2) / dof)),
        x_mean=float(x.mean()),
        x_spread=float(np.sum((x - x.mean()) ** 2)),
        n_points=n,
        latest_period=latest,
    )
    return trend, n


def _probability(value: float, se: float, target: float, direction: Direction) -> float:
    if se == 0:
        return 1.0 if meets_target(value, target, direction) else 0.0
    below = NormalDist(value, se).cdf(target)
    return float(1 - below if direction == "up" else below)


def forecast(
    series: pd.DataFrame,
    *,
    frequency: Frequency,
    seasonal: bool,
    target_value: float | None,
    target_date: date,
    direction: Direction,
    today: date,
) -> Forecast:
    """Forecast the value at ``target_date`` from ``series`` (columns ``period_start``, ``value``).

    One row per period; rows after ``today`` are ignored. Method: see the module docstring.
    """
    check_direction(direction)
    target_date, today = as_date(target_date), as_date(today)
    trend, n_points = _fit(series, frequency, seasonal, today)
    if trend is None:
        return Forecast("insufficient_data", None, None, None, None, target_date, None, n_points)
    value, se = trend.predict(target_date, frequency)
    target = float_or_none(target_value)
    return Forecast(
        state="ok",
        value=value,
        low=value - _Z * se,
        high=value + _Z * se,
        probability=None if target is None else _probability(value, se, target, direction),
        date=target_date,
        slope_per_year=trend.slope,
        n_points=n_points,
    )


def fitted_line(
    series: pd.DataFrame,
    *,
    frequency: Frequency,
    seasonal: bool,
    target_date: date,
    today: date,
) -> pd.DataFrame:
    """The forecast line for a chart: one row per period from the latest observed one to the target's.

    Columns ``period_start`` (datetime64), ``value``, ``low``, ``high`` (the 80% interval): the
    fitted trend at each period's end (at ``target_date`` for the last row, so that row equals
    :func:`forecast`'s figures). It is the model's line and need not pass through the last fact.
    Empty when the data is insufficient or the target's period precedes the latest observation.
    """
    target_date, today = as_date(target_date), as_date(today)
    trend, _ = _fit(series, frequency, seasonal, today)
    rows = []
    if trend is not None:
        last_period = period_containing(target_date, frequency)
        period = trend.latest_period
        while period <= last_period:
            value, se = trend.predict(min(period_end(period, frequency), target_date), frequency)
            rows.append((pd.Timestamp(period), value, value - _Z * se, value + _Z * se))
            period = shift_period(period, frequency, 1)
    line = pd.DataFrame(rows, columns=["period_start", "value", "low", "high"])
    return line.astype({"period_start": "datetime64[ns]", "value": float, "low": float, "high": float})
