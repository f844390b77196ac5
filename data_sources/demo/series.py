"""Indicator values: a national path with noise, regions spread around it and calibrated so that the
national value is exactly the indicator's aggregation of the regions (sum, or population-weighted
mean within rounding), real points pinned, and the 2022 reform respected (before 1 July 2022 the
predecessors report the territory of the regions later carved out of them).

Every region is generated in its post-2022 borders ("own" regions) and merged into the borders
that report each period; so East Kazakhstan's series breaks in July 2022, as real statistics do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_sources.demo._common import NEW_REGIONS, REFORM_REPORTING, Streams, label, year_fraction
from data_sources.demo.catalog import SEASONS, Spec
from data_sources.demo.geo import ORDER, Population
from data_sources.periods import period_end, periods_between

OWN = list(ORDER)
IDX = {c: i for i, c in enumerate(OWN)}
PRED_IDX = {IDX[new]: IDX[pred] for new, pred in NEW_REGIONS.items()}


@dataclass
class Generated:
    """One indicator's values: ``frame`` (region, period, start, value, real: the source of a real
    figure or None) and, for derived
    indicators, the own-region float matrix before rounding."""

    frame: pd.DataFrame
    own: np.ndarray | None = None
    starts: list[dt.date] | None = None


def _times(starts: list[dt.date], frequency: str) -> tuple[np.ndarray, np.ndarray]:
    mid, end = [], []
    for s in starts:
        e = period_end(s, frequency) + dt.timedelta(days=1)
        a, b = year_fraction(s), year_fraction(e) if e.year == s.year or e.month != 1 else float(e.year)
        mid.append((a + b) / 2)
        end.append(b)
    return np.array(mid), np.array(end)


def path_values(spec: Spec, t: np.ndarray) -> np.ndarray:
    keys = sorted(spec.path)
    xs = np.array([k + (1.0 if spec.kind == "stock" else 0.5) if isinstance(k, int) else float(k) for k in keys])
    ys = np.array([spec.path[k] for k in keys], dtype=float)
    out = np.interp(t, xs, ys)
    if len(xs) > 1:
        lo, hi = t < xs[0], t > xs[-1]
        out[lo] = ys[0] + (t[lo] - xs[0]) * (ys[1] - ys[0]) / (xs[1] - xs[0])
        out[hi] = ys[-1] + (t[hi] - xs[-1]) * (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    return out


def _ar1(rng: np.random.Generator, shape: tuple, phi: float, sd: float) -> np.ndarray:
    z = rng.standard_normal(shape) * sd * np.sqrt(1 - phi ** 2)
    out = np.empty(shape)
    out[0] = rng.standard_normal(shape[1:]) * sd if len(shape) > 1 else rng.standard_normal() * sd
    for i in range(1, shape[0]):
        out[i] = phi * out[i - 1] + z[i]
    return out


def _season(spec: Spec, starts: list[dt.date]) -> np.ndarray:
    if not spec.seasonal:
        return np.ones(len(starts))
    factors = np.array(SEASONS[spec.season], dtype=float)
    factors = factors / factors.mean()
    if spec.frequency == "M":
        return np.array([factors[s.month - 1] for s in starts])
    return np.array([factors[s.month - 1:s.month + 2].mean() for s in starts])


def _fraction_of_year(frequency: str) -> float:
    return {"Y": 1.0, "Q": 0.25, "M": 1 / 12}[frequency]


def _forward(spec: Spec, v: np.ndarray) -> np.ndarray:
    if spec.transform == "logit":
        lo, hi = spec.valid_min, spec.valid_max
        p = np.clip((v - lo) / (hi - lo), 1e-6, 1 - 1e-6)
        return np.log(p / (1 - p))
    if spec.transform == "log":
        return np.log(np.maximum(v, 1e-9))
    return v


def _inverse(spec: Spec, z: np.ndarray) -> np.ndarray:
    if spec.transform == "logit":
        lo, hi = spec.valid_min, spec.valid_max
        return lo + (hi - lo) / (1 + np.exp(-z))
    if spec.transform == "log":
        return np.exp(z)
    return z


def lr_round(values: np.ndarray, total: float, decimals: int) -> np.ndarray:
    """Round non-negative ``values`` to ``decimals`` so that they add up exactly to ``total``
    (largest remainder)."""
    scale = 10 ** decimals
    target = int(round(total * scale))
    v = np.maximum(values, 0) * scale
    s = v.sum()
    if s <= 0:
        out = np.zeros_like(v)
        if target:
            out[0] = target
        return out / scale
    v = v * (target / s)
    base = np.floor(v)
    rest = int(target - base.sum())
    if rest > 0:
        order = np.argsort(-(v - base), kind="stable")
        base[order[:rest]] += 1
    elif rest < 0:
        order = np.argsort(v - base, kind="stable")
        base[order[:-rest]] -= 1
    return base / scale


def _weight_year(start: dt.date) -> int:
    return 2023 if (start.year == 2022 and start >= REFORM_REPORTING) else start.year


def own_weights(pop: Population, starts: list[dt.date]) -> np.ndarray:
    return np.array([pop.own_weights(OWN, _weight_year(s)) for s in starts])


def _merge(values: np.ndarray, starts: list[dt.date], *, how: str, weights: np.ndarray | None = None) -> np.ndarray:
    """Own-region values -> reported regions (NaN for the new regions before the reform)."""
    out = values.copy()
    for i, s in enumerate(starts):
        if s >= REFORM_REPORTING:
            continue
        for new, pred in PRED_IDX.items():
            if how == "sum":
                out[i, pred] = values[i, pred] + values[i, new]
            else:
                a, b = weights[i, pred], weights[i, new]
                if np.isnan(values[i, pred]):
                    out[i, pred] = values[i, new]
                elif np.isnan(values[i, new]):
                    out[i, pred] = values[i, pred]
                else:
                    out[i, pred] = (values[i, pred] * a + values[i, new] * b) / (a + b)
            out[i, new] = np.nan
    return out


def _calibrate(spec: Spec, g: np.ndarray, w: np.ndarray, target: np.ndarray, fixed: np.ndarray,
               active: np.ndarray, bounds: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray:
    """Find per period the shift d of the unpinned regions (transformed scale) so that the weighted
    mean of the regions equals ``target``; return the values (value scale)."""
    free = active & np.isnan(fixed)
    lo = np.full(len(target), -30.0)
    hi = np.full(len(target), 30.0)
    if spec.transform == "none":
        span = np.nanmax(np.abs(g)) + np.abs(target).max() + 10
        lo[:], hi[:] = -span, span

    def values(d: np.ndarray) -> np.ndarray:
        v = _inverse(spec, g + d[:, None])
        if bounds is not None:  # squash smoothly into (lo, hi): the pinned regions stay the extremes
            lo_, hi_ = bounds[0][:, None], bounds[1][:, None]
            has = np.isfinite(lo_) & np.isfinite(hi_)
            lo_, hi_ = np.where(has, lo_, 0.0), np.where(has, hi_, 1.0)
            centre, width = (lo_ + hi_) / 2, hi_ - lo_
            squashed = lo_ + width / (1 + np.exp(-(v - centre) / (width / 4)))
            v = np.where(has, squashed, v)
        return np.where(free, v, np.where(np.isnan(fixed), 0.0, fixed))

    wa = np.where(active, w, 0.0)
    for _ in range(70):
        mid = (lo + hi) / 2
        mean = (values(mid) * wa).sum(axis=1) / wa.sum(axis=1)
        up = mean < target
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    out = values((lo + hi) / 2)
    return np.where(active, out, np.nan)


def generate(spec: Spec, pop: Population, streams: Streams, last_start: dt.date) -> Generated:
    """All values of ``spec`` for periods starting from ``spec.first`` up to ``last_start``."""
    rng = streams(f"series:{spec.code}")
    f = spec.frequency
    starts = periods_between(spec.first, last_start, f)
    n = len(starts)
    labels = [label(s, f) for s in starts]
    t_mid, t_end = _times(starts, f)
    t = t_end if spec.kind == "stock" else t_mid
    base = path_values(spec, t)
    season = _season(spec, starts)
    if spec.kind == "flow":
        base = base * _fraction_of_year(f) * season
    elif spec.seasonal:
        base = base * season
    noise = _ar1(rng, (n,), spec.phi, spec.noise) if spec.noise else np.zeros(n)
    national = base * (1 + noise) if spec.kind in ("flow", "stock") else base + noise
    if spec.valid_min is not None:
        national = np.maximum(national, spec.valid_min)
    if spec.valid_max is not None:
        national = np.minimum(national, spec.valid_max)
    pins_nat = {p: v for (r, p), (v, _s) in spec.pins.items() if r == "KZ"}
    real_points = {(r, p) for (r, p) in spec.pins}
    for i, lab in enumerate(labels):
        if lab in pins_nat:
            national[i] = pins_nat[lab]
    if spec.cumulative:
        national = np.maximum.accumulate(np.maximum(national, 0))
    scale = 10 ** spec.decimals
    national = np.round(national * scale) / scale
    if spec.cumulative:
        national = np.maximum.accumulate(national)

    rows_region, rows_period, rows_start, rows_value, rows_real = [], [], [], [], []

    def emit(code: str, i: int, value: float) -> None:
        rows_region.append(code)
        rows_period.append(labels[i])
        rows_start.append(starts[i])
        rows_value.append(float(value))
        rows_real.append(spec.pins[(code, labels[i])][1] if (code, labels[i]) in real_points else None)

    for i in range(n):
        emit("KZ", i, national[i])
    own_matrix = None
    if spec.regional:
        w = own_weights(pop, starts)
        zero = np.array([c in spec.zero_regions for c in OWN])
        if spec.aggregation == "sum":
            prop = np.exp(rng.normal(0, spec.disp, len(OWN))) * np.array([spec.offsets.get(c, 1.0) for c in OWN])
            prop[zero] = 0.0
            drift = np.exp(rng.normal(0, spec.disp / 3, len(OWN))[None, :] * ((t - 2022.5) / 4)[:, None])
            jitter = np.exp(rng.normal(0, 0.03 if not spec.cumulative else 0.15, (n, len(OWN))))
            share = w * prop[None, :] * drift * jitter
            share = share / share.sum(axis=1, keepdims=True)
            if spec.cumulative:
                inc = np.diff(np.concatenate([[0.0], national]))
                own = np.zeros((n, len(OWN)))
                running = np.zeros(len(OWN))
                for i in range(n):
                    running = running + lr_round(inc[i] * share[i], inc[i], spec.decimals)
                    own[i] = running
                own_matrix = own
                reported = _merge(own, starts, how="sum")
            else:
                own = national[:, None] * share
                own_matrix = own
                merged = _merge(own, starts, how="sum")
                reported = np.full_like(merged, np.nan)
                for i in range(n):
                    ok = ~np.isnan(merged[i])
                    reported[i, ok] = lr_round(merged[i, ok], national[i], spec.decimals)
        else:
            off = rng.normal(0, spec.disp, len(OWN)) + np.array([spec.offsets.get(c, 0.0) for c in OWN])
            rt = rng.normal(0, spec.rtrend, len(OWN))
            eps = _ar1(rng, (n, len(OWN)), 0.5, spec.disp * (0.05 if f == "Y" else 0.08))
            z = _forward(spec, national)[:, None] + off[None, :] + rt[None, :] * (t - 2022.5)[:, None] + eps
            fixed = np.full((n, len(OWN)), np.nan)
            for (r, p), (v, _s) in spec.pins.items():
                if r != "KZ" and p in labels:
                    fixed[labels.index(p), IDX[r]] = v
            active = ~zero[None, :].repeat(n, axis=0)
            bounds = None
            if spec.pins_are_extremes:
                lo = np.full(n, -np.inf)
                hi = np.full(n, np.inf)
                for i in range(n):
                    row = fixed[i][~np.isnan(fixed[i])]
                    if len(row) >= 2:
                        lo[i], hi[i] = row.min() + 0.05, row.max() - 0.05
                bounds = (lo, hi)
            own = _calibrate(spec, z, w, national, fixed, active, bounds)
            if spec.valid_min is not None:
                own = np.where(np.isnan(own), own, np.maximum(own, spec.valid_min))
            if spec.valid_max is not None:
                own = np.where(np.isnan(own), own, np.minimum(own, spec.valid_max))
            own_matrix = own
            reported = _merge(own, starts, how="mean", weights=w)
            reported = np.round(reported * scale) / scale
        for i in range(n):
            for j, code in enumerate(OWN):
                if not np.isnan(reported[i, j]):
                    emit(code, i, reported[i, j])
    frame = pd.DataFrame({"region": rows_region, "period": rows_period, "start": rows_start,
                          "value": rows_value, "real": rows_real}, dtype=object)
    frame["value"] = frame["value"].astype(float)
    return Generated(frame=frame, own=own_matrix, starts=starts)


def yearly_from_monthly(spec: Spec, monthly: Generated, factor: float, last_year: int) -> Generated:
    """Yearly sums of a monthly sum indicator (e.g. housing: thousand m2 a month -> mn m2 a year),
    complete years only, reported in the borders of each yearly period."""
    own = monthly.own
    starts = monthly.starts
    years = sorted({s.year for s in starts if s.year <= last_year})
    rows = []
    for y in years:
        idx = [i for i, s in enumerate(starts) if s.year == y]
        if len(idx) < 12:
            continue
        total_own = own[idx].sum(axis=0) * factor
        ystart = dt.date(y, 1, 1)
        merged = _merge(total_own[None, :], [ystart], how="sum")[0]
        ok = ~np.isnan(merged)
        national = round(float(total_own.sum()), spec.decimals)
        values = lr_round(merged[ok], national, spec.decimals)
        rows.append(("KZ", str(y), ystart, national, None))
        for code, v in zip(np.array(OWN)[ok], values):
            rows.append((str(code), str(y), ystart, float(v), None))
    frame = pd.DataFrame(rows, columns=["region", "period", "start", "value", "real"])
    return Generated(frame=frame)


def population_series(pop: Population) -> Generated:
    rows = []
    for y in pop.years:
        start = dt.date(y, 1, 1)
        rows.append(("KZ", str(y), start, float(pop.table["KZ"][y]), pop.real.get(("KZ", y))))
        for code in OWN:
            if y in pop.table[code]:
                rows.append((code, str(y), start, float(pop.table[code][y]), pop.real.get((code, y))))
    return Generated(frame=pd.DataFrame(rows, columns=["region", "period", "start", "value", "real"]))
