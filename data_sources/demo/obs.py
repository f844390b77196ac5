"""Observation versions of the demo, grouped into load batches by release date.

* A period's value is released on a calendar day (the 5th, 15th or 25th of a month) on or before
  it is due (period end + the indicator's publication lag; population: 1 January + lag), at 10:00
  Asia/Almaty; only values released by ``today`` exist.
* Stale indicators stop reporting early (their next value is overdue beyond the grace period); a
  few are *late* (overdue, still within grace).
* Some indicators' latest values are drafts.
* Revisions: a later batch changes some earlier values (a new version known later); aggregates
  are revised with their regions so the national value stays consistent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_sources.demo._common import Streams
from data_sources.demo.catalog import Spec
from data_sources.demo.geo import Population
from data_sources.periods import period_end

RELEASE_DAYS = (5, 15, 25)


def due_date(spec: Spec, start: dt.date) -> dt.date:
    if spec.code == "POPULATION":
        return start + dt.timedelta(days=spec.lag)
    return period_end(start, spec.frequency) + dt.timedelta(days=spec.lag)


def release_date(spec: Spec, start: dt.date) -> dt.date:
    """The last release day (5th, 15th or 25th) on or before the due date, but after the period."""
    due = due_date(spec, start)
    first = start + dt.timedelta(days=spec.lag) if spec.code == "POPULATION" else period_end(start, spec.frequency) + dt.timedelta(days=1)
    candidates = [dt.date(due.year, due.month, d) for d in RELEASE_DAYS if d <= due.day]
    if not candidates:
        prev = dt.date(due.year, due.month, 1) - dt.timedelta(days=1)
        candidates = [dt.date(prev.year, prev.month, 25)]
    rel = max(candidates)
    return rel if rel >= first else due


@dataclass
class Assembled:
    versions: pd.DataFrame  # indicator, region, period, start, value, state, comment, release, kind (synthetic|real|revision)
    current: pd.DataFrame  # indicator, region, period, start, value, state (the latest version of each)
    stale: list[str]
    late: list[str]
    drafts: list[str]
    corrected_pairs: int


def assemble(frames: dict[str, pd.DataFrame], specs: dict[str, Spec], pop: Population, streams: Streams, today: dt.date,
             protected: set[str]) -> Assembled:
    rng = streams("observations")
    parts = []
    for code, frame in frames.items():
        spec = specs[code]
        f = frame.copy()
        starts = sorted(set(f["start"]))
        rel = {s: release_date(spec, s) for s in starts}
        due = {s: due_date(spec, s) for s in starts}
        f["release"] = f["start"].map(rel)
        f["due"] = f["start"].map(due)
        f = f[f["release"] <= today]
        f["indicator"] = code
        parts.append(f)
    data = pd.concat(parts, ignore_index=True)
    data["state"] = "published"
    data["comment"] = [f"real figure: {src}" if src else None for src in data["real"]]
    data["real"] = data["real"].notna()

    # --- stale and late indicators ---------------------------------------------------------------
    eligible = sorted(c for c in frames if c not in protected and not c.startswith("READINESS_")
                      and not any(True for _ in specs[c].pins))
    order = [eligible[i] for i in rng.permutation(len(eligible))]
    base = [c for c in frames if not c.startswith("READINESS_")]
    n_stale = max(1, int(round(0.07 * len(base))))
    stale, late, drop_keys = [], [], []
    for code in order:
        if len(stale) >= n_stale:
            break
        spec = specs[code]
        starts = sorted(set(data.loc[data["indicator"] == code, "start"]))
        if len(starts) < 4:
            continue
        m = 1
        while m < len(starts) - 2 and due_date(spec, starts[-m]) + dt.timedelta(days=spec.grace + 10) >= today:
            m += 1
        m += int(rng.integers(0, 3 if spec.frequency == "M" else 2))
        drop_keys += [(code, s) for s in starts[-m:]]
        stale.append(code)
    for code in order:
        if len(late) >= max(1, int(round(0.03 * len(base)))):
            break
        if code in stale:
            continue
        spec = specs[code]
        starts = sorted(set(data.loc[data["indicator"] == code, "start"]))
        if len(starts) < 4:
            continue
        gone = today - due_date(spec, starts[-1])
        if dt.timedelta(days=0) <= gone <= dt.timedelta(days=spec.grace - 3):
            drop_keys.append((code, starts[-1]))
            late.append(code)
    if drop_keys:
        drop = pd.DataFrame(drop_keys, columns=["indicator", "start"]).assign(_drop=True)
        data = data.merge(drop, on=["indicator", "start"], how="left")
        data = data[data["_drop"].isna()].drop(columns="_drop")

    # --- drafts: the latest period of some indicators ---------------------------------------------
    drafts = []
    candidates = sorted(c for c in frames if c not in stale and c not in late and c not in protected)
    for code in [candidates[i] for i in rng.permutation(len(candidates))]:
        if len(drafts) >= int(round(0.1 * len(frames))):
            break
        if code.startswith("READINESS_") and sum(d.startswith("READINESS_") for d in drafts) >= int(round(0.05 * len(frames))):
            continue
        sub = data[data["indicator"] == code]
        if sub.empty:
            continue
        last = sub["start"].max()
        mask = (data["indicator"] == code) & (data["start"] == last)
        if data.loc[mask, "real"].any():
            continue
        data.loc[mask, "state"] = "draft"
        drafts.append(code)

    data["kind"] = np.where(data["real"], "real", "synthetic")
    versions = [data]

    # --- revisions --------------------------------------------------------------------------------
    revisions = []
    latest_start = data.groupby("indicator")["start"].transform("max")
    pool = data[(data["release"] <= today - dt.timedelta(days=75)) & (data["start"] < latest_start)]
    pairs = pool.groupby(["indicator", "start"], sort=True).agg(real=("real", "any")).reset_index()
    pairs = pairs[~pairs["real"]]
    pairs = pairs[~pairs["indicator"].isin(protected)]
    pairs = pairs[[not specs[c].cumulative for c in pairs["indicator"]]]
    chosen = pairs[rng.random(len(pairs)) < 0.045]
    grouped = {key: g for key, g in data.groupby(["indicator", "start"], sort=False)}
    for row in chosen.itertuples(index=False):
        spec = specs[row.indicator]
        g = grouped[(row.indicator, row.start)]
        release = g["release"].iloc[0]
        when = release + dt.timedelta(days=int(rng.integers(30, 420)))
        when = dt.date(when.year, when.month, 25) if when.day <= 25 else (
            dt.date(when.year + (when.month == 12), when.month % 12 + 1, 25))
        if when >= today:
            continue
        new = _revise(spec, g, rng, pop)
        if new is None or new.empty:
            continue
        new = new.assign(release=when, kind="revision", state="published",
                         comment="revised: updated source data (annual revision)")
        revisions.append(new)
    corrected_pairs = len(revisions)
    if revisions:
        versions.append(pd.concat(revisions, ignore_index=True))
    all_versions = pd.concat(versions, ignore_index=True)
    all_versions = all_versions[["indicator", "region", "period", "start", "value", "state", "comment", "release", "kind"]]
    current = (all_versions.sort_values(["release"], kind="stable")
               .drop_duplicates(["indicator", "region", "period"], keep="last")
               [["indicator", "region", "period", "start", "value", "state"]])
    return Assembled(all_versions, current.reset_index(drop=True), stale, late, drafts, corrected_pairs)


def _revise(spec: Spec, g: pd.DataFrame, rng: np.random.Generator, pop: Population) -> pd.DataFrame | None:
    """New values for some rows of one (indicator, period), keeping the national value the
    aggregation of the regions."""
    unit = 10 ** -spec.decimals
    nat = g[g["region"] == "KZ"]
    regs = g[g["region"] != "KZ"]
    out = []
    if regs.empty or not spec.regional:
        old = float(nat["value"].iloc[0])
        change = old * float(rng.uniform(0.005, 0.03)) * (1 if rng.random() < 0.5 else -1)
        if abs(change) < unit:
            change = unit * (1 if change >= 0 else -1)
        new = round(old + change, spec.decimals)
        if spec.valid_min is not None and new < spec.valid_min or spec.valid_max is not None and new > spec.valid_max:
            return None
        return nat.assign(value=new)[["indicator", "region", "period", "start", "value"]]
    k = int(rng.integers(1, min(4, len(regs)) + 1))
    picked = regs.iloc[rng.permutation(len(regs))[:k]]
    deltas = {}
    for r in picked.itertuples(index=False):
        old = float(r.value)
        if spec.aggregation == "sum":
            change = old * float(rng.uniform(0.01, 0.05)) * (1 if rng.random() < 0.6 else -1)
        else:
            change = max(abs(old) * float(rng.uniform(0.003, 0.015)), unit) * (1 if rng.random() < 0.5 else -1)
        if abs(change) < unit:
            change = unit if change >= 0 else -unit
        new = round(old + change, spec.decimals)
        if (spec.valid_min is not None and new < spec.valid_min) or (spec.valid_max is not None and new > spec.valid_max):
            continue
        if new == old:
            continue
        deltas[r.region] = new - old
        out.append((r.region, new))
    if not out:
        return None
    base = g.iloc[0]
    rows = [{"indicator": base["indicator"], "region": region, "period": base["period"], "start": base["start"], "value": value}
            for region, value in out]
    old_nat = float(nat["value"].iloc[0])
    if spec.aggregation == "sum":
        new_nat = round(old_nat + sum(deltas.values()), spec.decimals)
    elif spec.aggregation == "population_weighted_mean":
        codes = list(regs["region"])
        w = pop.weights(codes, base["start"])
        weights = dict(zip(codes, w))
        new_nat = round(old_nat + sum(weights[r] * d for r, d in deltas.items()) / float(w.sum()), spec.decimals)
    else:
        new_nat = old_nat
    if new_nat != old_nat:
        rows.append({"indicator": base["indicator"], "region": "KZ", "period": base["period"], "start": base["start"], "value": new_nat})
    return pd.DataFrame(rows)


def batches(versions: pd.DataFrame) -> list[tuple[str, dt.date, str, pd.DataFrame]]:
    """(code, release date, kind, rows) in the order they are loaded."""
    out = []
    kind_order = {"synthetic": 0, "real": 1, "revision": 2}
    keys = versions[["release", "kind"]].drop_duplicates()
    keys = keys.assign(o=keys["kind"].map(kind_order)).sort_values(["release", "o"])
    grouped = {key: g for key, g in versions.groupby(["release", "kind"], sort=False)}
    seq: dict[dt.date, int] = {}
    for release, kind in keys[["release", "kind"]].itertuples(index=False):
        seq[release] = seq.get(release, 0) + 1
        code = f"DEMO-{release.isoformat()}-{seq[release]:03d}"
        rows = grouped[(release, kind)].sort_values(["indicator", "region", "start"], kind="stable")
        out.append((code, release, kind, rows))
    return out
