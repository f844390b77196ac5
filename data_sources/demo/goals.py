"""Goals (an indicator as a goal of a node, with baseline and a yearly target trajectory).

Real goals carry the targets of the facts. Synthetic targets are derived from the generated series
so that the demo shows a designed mix of statuses: with the trend of the values since the baseline
extrapolated to the deadline, a goal's target is set so that the trend reaches a chosen fraction
``f`` of the way from baseline to target — on track (f 1.05-1.35), at risk (0.72-0.88) or off track
(0.3-0.55).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_sources.demo._common import FACTS_REF, Streams, year_fraction
from data_sources.demo.catalog import S, Spec
from data_sources.periods import period_end

PROFILE_F = {"on_track": (1.05, 1.35), "at_risk": (0.72, 0.88), "off_track": (0.3, 0.55)}
SYNTH_MIX = (("on_track", 0.55), ("at_risk", 0.33), ("off_track", 0.12))


@dataclass
class GoalDef:
    node: str
    indicator: str
    region: str = "KZ"  # the region whose values the goal is about (the node's region)
    headline: bool = False
    weight: float = 1.0
    baseline: str | None = None  # baseline period label
    final_year: int | None = None
    final: float | None = None  # real target
    hold: bool = False  # the same level every year ("at least 5 % a year")
    profile: str | None = None  # for synthetic targets
    source: str = "synthetic (demo generator)"
    recorded: dt.date | None = None
    regional_targets: bool = False
    regional_recorded: dt.date | None = None
    revisions: list = field(default_factory=list)  # (date, {year: value}) applied later
    explicit: dict | None = None  # {year: value} trajectory given outright (project passports)
    explicit_baseline: tuple | None = None  # (period, start, value)
    # resolved
    baseline_value: float | None = None
    baseline_period: str | None = None
    baseline_start: dt.date | None = None
    targets: list = field(default_factory=list)  # (region, year, value, recorded date, source, previous)


def end_time(start: dt.date, frequency: str) -> float:
    e = period_end(start, frequency) + dt.timedelta(days=1)
    return float(e.year) if (e.month, e.day) == (1, 1) else year_fraction(e)


class Values:
    """Current values per (indicator, region): sorted frames with period, start, value, t (end time)."""

    def __init__(self, frame: pd.DataFrame, specs: dict[str, Spec]) -> None:
        self.specs = specs
        self.series: dict[tuple[str, str], pd.DataFrame] = {}
        for (ind, reg), g in frame.groupby(["indicator", "region"], sort=False):
            g = g.sort_values("start")
            f = specs[ind].frequency
            g = g.assign(t=[end_time(s, f) for s in g["start"]])
            self.series[(ind, reg)] = g[["period", "start", "value", "t"]].reset_index(drop=True)

    def get(self, indicator: str, region: str) -> pd.DataFrame | None:
        return self.series.get((indicator, region))


def _baseline_label(year: int, frequency: str) -> str:
    return {"Y": f"{year}", "Q": f"{year}-Q4", "M": f"{year}-12"}[frequency]


def _nice(value: float, decimals: int, scale: float) -> float:
    """Round a synthetic target to a figure a ministry would write down."""
    if scale >= 1000:
        step = 10 ** max(int(np.floor(np.log10(scale))) - 2, 0)
        return float(round(value / step) * step)
    return round(value, max(decimals, 0))


def resolve(goal: GoalDef, values: Values, rng: np.random.Generator, today: dt.date) -> bool:
    """Fill baseline and targets of ``goal``; False when there is nothing to anchor it on."""
    spec = values.specs[goal.indicator]
    f = spec.frequency
    sign = 1.0 if spec.direction == "up" else -1.0
    if goal.explicit is not None:  # a project passport: baseline 0 before the start, planned readiness by year
        goal.baseline_period, goal.baseline_start, goal.baseline_value = goal.explicit_baseline
        for y, value in sorted(goal.explicit.items()):
            goal.targets.append([goal.region, y, float(value), goal.recorded, goal.source, None])
        return True
    series = values.get(goal.indicator, goal.region)
    if series is None or series.empty:
        return False
    label = goal.baseline
    if label and len(label) == 4 and f != "Y":
        label = _baseline_label(int(label), f)
    row = series[series["period"] == label] if label else series.iloc[0:0]
    if row.empty:
        after = series[series["start"] >= _start_of(label, f)] if label else series
        row = after.iloc[[0]] if not after.empty else series.iloc[[-1]]  # not yet published: the latest value
    b_value = float(row["value"].iloc[0])
    b_t = float(row["t"].iloc[0])
    goal.baseline_value = b_value
    goal.baseline_period = str(row["period"].iloc[0])
    goal.baseline_start = row["start"].iloc[0]
    b_year = int(np.floor(b_t - 1e-9))
    deadline = max(goal.final_year, b_year + 1)
    goal.final_year = deadline
    d_t = deadline + 1.0
    scale = max(abs(b_value), 1e-9)
    if goal.final is not None:
        final = float(goal.final)
    elif goal.profile == "double":
        final = round(2 * b_value, spec.decimals)
    else:
        final = _synthetic_final(goal, spec, series, b_value, b_t, d_t, sign, scale, rng)
    for y in range(b_year + 1, deadline + 1):
        if goal.hold:
            value = final
        else:
            share = (y + 1.0 - b_t) / (d_t - b_t)
            value = b_value + (final - b_value) * min(max(share, 0.0), 1.0)
        value = final if y == deadline else round(value, spec.decimals)
        goal.targets.append([goal.region, y, float(value), goal.recorded, goal.source, None])
    if goal.regional_targets:
        _regional_targets(goal, spec, values, final, b_value)
    for when, changes in goal.revisions:
        if when == "lower":  # a failing goal gets a later, less ambitious target for the remaining years
            if goal.profile != "off_track":
                continue
            when = min(goal.recorded + dt.timedelta(days=540), today - dt.timedelta(days=30))
            changes = {}
            for region, y, value, *_rest in list(goal.targets):
                if region == goal.region and y > when.year:
                    changes[y] = round(b_value + (value - b_value) * 0.85, spec.decimals)
        for y, value in changes.items():
            previous = next((t[2] for t in reversed(goal.targets) if t[1] == y and t[0] == goal.region), None)
            goal.targets.append([goal.region, y, float(value), when, goal.source, previous])
        if changes:
            goal.final_year = max(goal.final_year, max(changes))
    return True


PROFILE_RATIO = {"on_track": (1.03, 1.3), "at_risk": (0.78, 0.92), "off_track": (0.3, 0.62)}


def _synthetic_final(goal, spec, series, b_value, b_t, d_t, sign, scale, rng) -> float:
    """A synthetic target for the goal's designed profile.

    With the latest known value ``v`` at time ``t`` (a share ``e`` of the way from baseline to
    deadline), the target is set so that the progress ``(v - b) / (target - b)`` is ``r`` times the
    expected progress ``e``: ``target = b + (v - b) / (r e)``. A goal whose values did not improve
    since the baseline is off track by construction (its target asks for a real improvement).
    """
    latest = series.iloc[-1]
    v, t = float(latest["value"]), float(latest["t"])
    e = (t - b_t) / (d_t - b_t) if d_t > b_t else 1.0
    window = series[series["t"] >= b_t - 4.0]
    slope = 0.0
    if len(window) >= 2 and window["t"].max() > window["t"].min():
        slope = float(np.polyfit(window["t"].to_numpy(), window["value"].to_numpy(), 1)[0])
    floor = max(2 * 10 ** -spec.decimals, 0.004 * scale)
    improvement = sign * (v - b_value)
    if e > 0.02 and improvement > floor:
        lo, hi = PROFILE_RATIO[goal.profile or "on_track"]
        final = b_value + (v - b_value) / (float(rng.uniform(lo, hi)) * e)
    elif e <= 0.02 and sign * slope > 0:  # nothing known since the baseline: extrapolate the trend
        lo, hi = PROFILE_F[goal.profile or "on_track"]
        final = b_value + slope * (d_t - b_t) / float(rng.uniform(lo, hi))
    else:
        goal.profile = "off_track"
        final = b_value + sign * max(abs(slope) * (d_t - b_t) * 1.3, 0.04 * scale, 5 * 10 ** -spec.decimals)
    if spec.valid_max is not None and spec.unit == "percent":
        final = min(final, spec.valid_max)
    if spec.valid_min is not None:
        final = max(final, spec.valid_min)
    final = _nice(final, spec.decimals, scale)
    if abs(final - b_value) < 10 ** -spec.decimals:
        final = b_value + sign * 10 ** -spec.decimals
    return final


def _start_of(label: str | None, frequency: str) -> dt.date:
    from data_sources.periods import period_start

    return period_start(label) if label else dt.date(2019, 1, 1)


def _regional_targets(goal: GoalDef, spec: Spec, values: Values, final: float, b_value: float) -> None:
    """Regional trajectories: each region closes the national gap, the laggards a bit faster. For
    goals whose baseline predates the 2022 reform the regional targets were set after it (on the
    2023 values of the 20 regions)."""
    gap = final - b_value
    national_years = sorted({t[1] for t in goal.targets})
    reference = goal.baseline_period
    recorded = goal.recorded
    if goal.baseline_start is not None and goal.baseline_start < dt.date(2022, 7, 1):
        reference = {"Y": "2023", "Q": "2023-Q4", "M": "2023-12"}[spec.frequency]
        recorded = goal.regional_recorded or dt.date(2023, 6, 1)
    nat = values.get(goal.indicator, "KZ")
    nat_ref = nat[nat["period"] == reference]
    if nat_ref.empty:
        return
    nat_ref_value = float(nat_ref["value"].iloc[0])
    remaining = final - nat_ref_value
    from data_sources.demo.geo import ORDER

    for region in ORDER:
        s = values.get(goal.indicator, region)
        if s is None:
            continue
        ref = s[s["period"] == reference]
        if ref.empty:
            continue
        r0 = float(ref["value"].iloc[0])
        r_t = float(ref["t"].iloc[0])
        factor = float(np.clip(1 + (nat_ref_value - r0) / (abs(gap) * 3 + 1e-9), 0.6, 1.6))
        r_final = r0 + remaining * factor if remaining * gap > 0 else r0 + gap * 0.2
        if spec.valid_max is not None:
            r_final = min(r_final, spec.valid_max)
        r_final = round(r_final, spec.decimals)
        d_t = goal.final_year + 1.0
        for y in national_years:
            if y + 1.0 <= r_t:
                continue
            share = (y + 1.0 - r_t) / (d_t - r_t)
            value = r_final if y == goal.final_year else round(r0 + (r_final - r0) * share, spec.decimals)
            goal.targets.append([region, y, float(value), recorded, goal.source, None])


def assess(goal: GoalDef, values: Values, spec: Spec, today: dt.date) -> str:
    """The generator's own reading of a goal's status (used only to report the designed mix):
    progress = (latest - baseline) / (target - baseline) against the trajectory at the latest
    value's period end; a passed deadline with a final value is achieved or missed."""
    s = values.get(goal.indicator, goal.region)
    if s is None or s.empty or goal.baseline_value is None:
        return "no_data"
    latest = s.iloc[-1]
    current = {}
    for region, year, value, _rec, _src, _prev in goal.targets:
        if region == goal.region:
            current[year] = value
    if not current:
        return "no_data"
    deadline = max(current)
    final = current[deadline]
    sign = 1 if spec.direction == "up" else -1
    final_rows = s[s["t"] <= deadline + 1.0 + 1e-9]
    if today > dt.date(deadline, 12, 31) and not final_rows.empty and abs(final_rows["t"].iloc[-1] - (deadline + 1.0)) < 0.01:
        return "achieved" if sign * (final_rows["value"].iloc[-1] - final) >= -1e-9 else "missed"
    b, t0 = goal.baseline_value, end_time(goal.baseline_start, spec.frequency)
    if abs(final - b) < 1e-12:
        return "on_track" if sign * (latest["value"] - final) >= 0 else "off_track"
    # expected value on the trajectory at the latest period end (linear between yearly targets)
    xs = [t0] + [y + 1.0 for y in sorted(current)]
    ys = [b] + [current[y] for y in sorted(current)]
    expected = float(np.interp(latest["t"], xs, ys))
    progress = (latest["value"] - b) / (final - b)
    expected_progress = (expected - b) / (final - b)
    if expected_progress <= 0:
        return "on_track" if progress >= 0 else "off_track"
    ratio = progress / expected_progress
    if ratio >= 0.95:
        return "on_track"
    if ratio >= 0.75:
        return "at_risk"
    return "off_track"


def _synthetic_profiles(n: int, rng: np.random.Generator) -> list[str]:
    names = [p for p, _ in SYNTH_MIX]
    counts = [int(round(w * n)) for _, w in SYNTH_MIX]
    counts[0] += n - sum(counts)
    out = [p for p, c in zip(names, counts) for _ in range(c)]
    return [out[i] for i in rng.permutation(n)]


def portfolio_and_program_goals() -> list[GoalDef]:
    """The goals of the portfolios and national projects: real targets from the facts (``final``)
    and synthetic ones (``final`` None) for the indicators the facts give no target for."""
    A = dt.date(2021, 3, 15)   # national priorities decree to 2025 (March 2021)
    NP = dt.date(2021, 10, 12)  # national projects approved by the Government
    N29 = dt.date(2024, 2, 7)   # NDP-2029 adopted (date not verified: demo choice)
    src = lambda k: f"{S[k]} (via {FACTS_REF})"  # noqa: E731
    G = GoalDef
    goals = [
        # NDP-2025 -- headline cards
        G("NDP-2025", "LIFE_EXPECTANCY", headline=True, baseline="2019", final_year=2025, final=75, source=src("le"), recorded=A, weight=2),
        G("NDP-2025", "REAL_GDP_GROWTH", headline=True, baseline="2019", final_year=2025, final=5, hold=True, source=src("growth"), recorded=A),
        G("NDP-2025", "SME_SHARE_GDP", headline=True, baseline="2019", final_year=2025, final=35, source=src("sme"), recorded=A),
        G("NDP-2025", "IT_EXPORT", headline=True, baseline="2021", final_year=2025, final=500, source=src("it"), recorded=dt.date(2021, 9, 2)),
        G("NDP-2025", "PRESCHOOL_COVERAGE_2_6", headline=True, baseline="2019", final_year=2025, final=95, source=src("preschool"), recorded=A),
        G("NDP-2025", "NEW_SCHOOLS_BUILT", headline=True, baseline="2020", final_year=2025, final=800, source=src("schools"), recorded=A,
          revisions=[(dt.date(2022, 8, 15), {2022: 400, 2023: 600, 2024: 800, 2025: 1000})]),
        G("NDP-2025", "DRINKING_WATER_ACCESS", headline=True, baseline="2019", final_year=2025, final=100, source=src("water2020"), recorded=A,
          regional_targets=True, regional_recorded=dt.date(2023, 3, 1)),
        G("NDP-2025", "HEALTH_EXPENDITURE_GDP", headline=True, baseline="2019", final_year=2025, final=5, source=src("health"), recorded=A),
        G("NDP-2025", "STATE_SHARE_ECONOMY", headline=True, baseline="2019", final_year=2025, final=14, source=src("npsme"), recorded=A),
        G("NDP-2025", "MSW_RECYCLING_SHARE", baseline="2020", final_year=2025, final=34, source=src("green"), recorded=A),
        G("NDP-2025", "PRESCHOOL_COVERAGE_3_6", baseline="2019", final_year=2025, final=100, source=src("preschool"), recorded=A),
        # NDP-2029
        G("NDP-2029", "LIFE_EXPECTANCY", headline=True, baseline="2024", final_year=2029, final=77, source=src("le"), recorded=N29, weight=2,
          regional_targets=True),
        G("NDP-2029", "NOMINAL_GDP_USD", headline=True, baseline="2023", final_year=2029, final=450, source=src("gdp"), recorded=N29, weight=2),
        G("NDP-2029", "REAL_GDP_GROWTH", headline=True, baseline="2023", final_year=2029, final=6, hold=True, source=src("growth"), recorded=N29),
        G("NDP-2029", "MEDIUM_BUSINESS_SHARE", headline=True, baseline="2024", final_year=2029, final=15, source=src("medium"), recorded=N29),
        G("NDP-2029", "DIGITAL_ECONOMY_SHARE", headline=True, baseline="2023", final_year=2029, final=None, source=src("digital"),
          recorded=N29, profile="double"),
        G("NDP-2029", "REGIONAL_INFRA_PROVISION", headline=True, baseline="2024", final_year=2028, final=70, source=src("infra"),
          recorded=dt.date(2025, 6, 1), regional_targets=True),
        G("NDP-2029", "UTILITY_NETWORK_WEAR", headline=True, baseline="2024", final_year=2029, final=40, source=src("utilities"), recorded=N29),
        G("NDP-2029", "IT_EXPORT", headline=True, baseline="2024", final_year=2026, final=1000, source=src("it"), recorded=N29),
        G("NDP-2029", "INFANT_MORTALITY", headline=True, baseline="2023", final_year=2029, profile="on_track", recorded=N29),
        G("NDP-2029", "UNEMPLOYMENT_RATE", headline=True, baseline="2023", final_year=2029, profile="on_track", recorded=N29),
        G("NDP-2029", "POVERTY_RATE", baseline="2023", final_year=2029, profile="at_risk", recorded=N29),
        G("NDP-2029", "NEW_GENERATION_CAPACITY", baseline="2023", final_year=2029, final=6000, source=src("utilities"), recorded=N29),
        # 2021 national projects
        G("NP-HEALTH", "LIFE_EXPECTANCY", baseline="2019", final_year=2025, final=75, source=src("health"), recorded=NP, headline=True),
        G("NP-HEALTH", "HEALTHCARE_SATISFACTION", baseline="2020", final_year=2025, final=80, source=src("health"), recorded=NP),
        G("NP-HEALTH", "DOCTORS_SALARY_RATIO", baseline="2020", final_year=2023, final=2.5, source=src("health"), recorded=NP),
        G("NP-HEALTH", "HEALTH_EXPENDITURE_GDP", baseline="2020", final_year=2025, final=5, source=src("health"), recorded=NP),
        G("NP-HEALTH", "SMOKING_PREVALENCE", baseline="2020", final_year=2025, final=19, source=src("health"), recorded=NP),
        G("NP-HEALTH", "HEALTHY_LIFESTYLE_SHARE", baseline="2020", final_year=2025, final=45, source=src("health"), recorded=NP),
        G("NP-HEALTH", "SPORT_PARTICIPATION", baseline="2020", final_year=2025, final=50, source=src("health"), recorded=NP),
        G("NP-HEALTH", "SPORT_INFRASTRUCTURE", baseline="2020", final_year=2025, final=53, source=src("health"), recorded=NP),
        G("NP-HEALTH", "DISABLED_SPORT_PARTICIPATION", baseline="2020", final_year=2025, final=14, source=src("health"), recorded=NP),
        G("NP-HEALTH", "CHILD_REHAB_CENTRES", baseline="2021", final_year=2025, final=8, source=src("health"), recorded=NP),
        G("NP-EDU", "PRESCHOOL_COVERAGE_2_6", baseline="2020", final_year=2025, final=95, source=src("preschool"), recorded=NP, headline=True),
        G("NP-EDU", "PRESCHOOL_COVERAGE_3_6", baseline="2020", final_year=2025, final=100, source=src("preschool"), recorded=NP),
        G("NP-EDU", "STUDENT_PLACES_NEW_SCHOOLS", baseline="2021", final_year=2025, final=840000, source=src("edu"),
          recorded=dt.date(2022, 8, 26)),
        G("NP-EDU", "NEW_SCHOOLS_BUILT", baseline="2020", final_year=2025, final=800, source=src("schools"), recorded=NP,
          revisions=[(dt.date(2022, 8, 15), {2022: 400, 2023: 600, 2024: 800, 2025: 1000})]),
        G("NP-SPIRIT", "TUGAN_ZHER_INVESTMENT", baseline="2021", final_year=2025, final=7, source=src("spirit"), recorded=NP, headline=True),
        G("NP-SPIRIT", "KAZAKH_LANGUAGE_PROFICIENCY", baseline="2020", final_year=2025, profile="at_risk", recorded=NP),
        G("NP-SPIRIT", "VOLUNTEER_SHARE", baseline="2020", final_year=2025, profile="on_track", recorded=NP),
        G("NP-TECH", "IT_EXPORT", baseline="2021", final_year=2025, final=500, source=src("it"), recorded=NP, headline=True),
        G("NP-TECH", "IT_SPECIALISTS_TRAINED", baseline="2021", final_year=2025, final=100000, source=src("it"), recorded=NP),
        G("NP-TECH", "IT_VOUCHERS", baseline="2021", final_year=2025, final=20000, source=src("it"), recorded=NP),
        G("NP-TECH", "EGOV_SHARE_ONLINE", baseline="2020", final_year=2025, profile="on_track", recorded=NP),
        G("NP-SME", "SME_SHARE_GDP", baseline="2020", final_year=2025, final=35, source=src("npsme"), recorded=NP, headline=True),
        G("NP-SME", "TOURISM_GDP", baseline="2020", final_year=2025, final=8.4, source=src("npsme"), recorded=NP),
        G("NP-SME", "STATE_SHARE_ECONOMY", baseline="2020", final_year=2025, final=14, source=src("npsme"), recorded=NP),
        G("NP-SME", "JOBS_CREATED", baseline="2020", final_year=2025, final=995.3, source=src("npsme"), recorded=NP),
        G("NP-SME", "PERMANENT_JOB_PLACEMENTS", baseline="2020", final_year=2025, final=1.7, source=src("npsme"), recorded=NP),
        G("NP-SME", "JOB_SEARCH_ASSISTED", baseline="2020", final_year=2025, final=3.5, source=src("npsme"), recorded=NP),
        G("NP-SME", "RURAL_POVERTY_CHANGE", baseline="2021", final_year=2025, final=-6.5, source=src("npsme"), recorded=NP),
        G("NP-REGIONS", "DRINKING_WATER_ACCESS", baseline="2020", final_year=2025, final=100, source=src("regions"), recorded=NP, headline=True),
        G("NP-REGIONS", "UTILITY_WEAR_MONOTOWNS", baseline="2021", final_year=2025, profile="on_track", recorded=NP),
        G("NP-REGIONS", "UTILITY_WEAR_SMALL_TOWNS", baseline="2021", final_year=2025, profile="off_track", recorded=NP),
        G("NP-REGIONS", "HOUSING_COMMISSIONED", baseline="2020", final_year=2025, profile="on_track", recorded=NP),
        G("NP-REGIONS", "REPUBLICAN_ROADS_GOOD", baseline="2021", final_year=2025, profile="at_risk", recorded=NP),
        G("NP-REGIONS", "LOCAL_ROADS_GOOD", baseline="2021", final_year=2025, profile="on_track", recorded=NP),
        G("NP-GROWTH", "REAL_GDP_GROWTH", baseline="2020", final_year=2025, final=5, hold=True, source=src("growth"), recorded=NP, headline=True),
        G("NP-GROWTH", "PETROCHEM_PLANTS", baseline="2021", final_year=2025, final=5, source=src("growth"), recorded=NP),
        G("NP-GROWTH", "GDP_PER_CAPITA_USD", baseline="2020", final_year=2025, profile="on_track", recorded=NP),
        G("NP-GREEN", "INDUSTRIAL_EMISSIONS_CHANGE", baseline="2021", final_year=2025, final=-20, source=src("green"), recorded=NP, headline=True),
        G("NP-GREEN", "WASTE_SORTING_CONTAINERS", baseline="2021", final_year=2025, final=8000, source=src("green"), recorded=NP),
        G("NP-GREEN", "MSW_RECYCLING_SHARE", baseline="2020", final_year=2025, final=34, source=src("green"), recorded=NP),
        G("NP-GREEN", "IRRIGATION_LOSS_REDUCTION", baseline="2021", final_year=2025, final=4, source=src("green"), recorded=NP),
        G("NP-GREEN", "IRRIGATED_LAND_INCREASE", baseline="2021", final_year=2025, final=600, source=src("green"), recorded=NP),
        G("NP-GREEN", "NEW_RESERVOIRS", baseline="2021", final_year=2025, final=9, source=src("green"), recorded=NP),
        G("NP-GREEN", "TREES_PLANTED", baseline="2021", final_year=2025, final=2000, source=src("green"), recorded=NP,
          revisions=[(dt.date(2025, 1, 23), {2025: 1500, 2026: 1750, 2027: 2000})]),
        G("NP-AGRO", "AGRI_PRODUCTIVITY_INDEX", baseline="2020", final_year=2025, final=2.5, source=src("agro"), recorded=NP, headline=True),
        G("NP-AGRO", "AGRI_EXPORT_INDEX", baseline="2020", final_year=2025, final=2, source=src("agro"), recorded=NP),
        G("NP-AGRO", "AGRI_PROCESSED_EXPORT_SHARE", baseline="2020", final_year=2025, final=70, source=src("agro"), recorded=NP),
        G("NP-AGRO", "FOOD_SELF_SUFFICIENCY", baseline="2020", final_year=2025, final=100, source=src("agro"), recorded=NP),
        G("NP-AGRO", "RURAL_STABLE_INCOME", baseline="2021", final_year=2025, final=1, source=src("agro"), recorded=NP),
        G("NP-AGRO", "AGRO_ECOSYSTEMS", baseline="2021", final_year=2025, final=7, source=src("agro"), recorded=NP),
        G("NP-AGRO", "ECOSYSTEM_FARMS", baseline="2021", final_year=2025, final=350, source=src("agro"), recorded=NP),
        G("NP-SAFE", "CRIME_RATE_10K", baseline="2020", final_year=2025, profile="on_track", recorded=NP, headline=True),
        G("NP-SAFE", "ROAD_DEATHS_100K", baseline="2020", final_year=2025, profile="at_risk", recorded=NP),
        G("NP-SAFE", "EMERGENCY_RESPONSE_MIN", baseline="2020", final_year=2025, profile="on_track", recorded=NP),
        G("NP-SAFE", "PUBLIC_SAFETY_PERCEPTION", baseline="2020", final_year=2025, profile="off_track", recorded=NP),
        # national projects from 2023
        G("NP2-SCHOOL", "KELESHEK_SCHOOLS", baseline="2023", final_year=2025, final=369, source=src("keleshek"), recorded=dt.date(2023, 1, 15),
          headline=True),
        G("NP2-SCHOOL", "KELESHEK_PLACES", baseline="2023", final_year=2025, final=740, source=src("keleshek"), recorded=dt.date(2023, 1, 15)),
        G("NP2-SCHOOL", "THREE_SHIFT_SCHOOLS", baseline="2022", final_year=2025, profile="on_track", recorded=dt.date(2023, 1, 15)),
        G("NP2-SCHOOL", "EMERGENCY_SCHOOLS", baseline="2022", final_year=2025, profile="at_risk", recorded=dt.date(2023, 1, 15)),
        G("NP2-RURALHEALTH", "RURAL_HEALTH_FACILITIES", baseline="2023", final_year=2025, final=655, source=src("ruralhealth"),
          recorded=dt.date(2024, 1, 10), headline=True),
        G("NP2-RURALHEALTH", "DISTRICT_HOSPITALS_MODERNIZED", baseline="2023", final_year=2025, final=32, source=src("ruralhealth"),
          recorded=dt.date(2024, 1, 10)),
        G("NP2-RURALHEALTH", "INFANT_MORTALITY", baseline="2023", final_year=2025, profile="on_track", recorded=dt.date(2024, 1, 10)),
        G("NP2-INTERNET", "FIVE_G_LARGEST_CITIES", baseline="2023", final_year=2027, profile="off_track", recorded=dt.date(2024, 1, 10),
          headline=True),
        G("NP2-INTERNET", "FIVE_G_ADMIN_CENTRES", baseline="2023", final_year=2027, profile="at_risk", recorded=dt.date(2024, 1, 10)),
        G("NP2-INTERNET", "RURAL_BROADBAND", baseline="2023", final_year=2027, profile="on_track", recorded=dt.date(2024, 1, 10)),
        G("NP2-UTILITIES", "UTILITY_NETWORK_WEAR", baseline="2024", final_year=2029, final=40, source=src("utilities"),
          recorded=dt.date(2025, 1, 20), headline=True, regional_targets=True),
        G("NP2-UTILITIES", "HEAT_NETWORK_WEAR", baseline="2024", final_year=2029, final=40, source=src("utilities"), recorded=dt.date(2025, 1, 20)),
        G("NP2-UTILITIES", "POWER_NETWORK_WEAR", baseline="2024", final_year=2029, final=45, source=src("utilities"), recorded=dt.date(2025, 1, 20)),
        G("NP2-UTILITIES", "WATER_NETWORK_WEAR", baseline="2024", final_year=2029, final=34, source=src("utilities"), recorded=dt.date(2025, 1, 20)),
        G("NP2-UTILITIES", "WASTEWATER_NETWORK_WEAR", baseline="2024", final_year=2029, final=40, source=src("utilities"),
          recorded=dt.date(2025, 1, 20)),
        G("NP2-UTILITIES", "NEW_GENERATION_CAPACITY", baseline="2024", final_year=2029, final=6000, source=src("utilities"),
          recorded=dt.date(2025, 1, 20)),
        G("NP2-UTILITIES", "TPP_WEAR", baseline="2024", final_year=2029, profile="on_track", recorded=dt.date(2025, 1, 20)),
        G("NP2-COOP", "COOP_MEMBERS", baseline="2022", final_year=2027, final=1000, source=src("coop"), recorded=dt.date(2023, 3, 1), headline=True),
        G("NP2-COOP", "AGRI_COOPERATIVES", baseline="2022", final_year=2027, profile="at_risk", recorded=dt.date(2023, 3, 1)),
        G("NP2-COOP", "GRAIN_HARVEST", baseline="2022", final_year=2027, profile="on_track", recorded=dt.date(2023, 3, 1)),
    ]
    return goals


TDP_POOL = ["DRINKING_WATER_ACCESS_RURAL", "GAS_SUPPLY_COVERAGE", "LOCAL_ROADS_GOOD", "REGIONAL_INFRA_PROVISION", "SEWERAGE_COVERAGE",
            "STREET_LIGHTING_COVERAGE", "UNEMPLOYMENT_RATE", "HOUSING_COMMISSIONED", "EMERGENCY_HOUSING_SHARE", "PUBLIC_TRANSPORT_ON_TIME",
            "HOUSING_PER_CAPITA", "AVERAGE_WAGE"]
CITY_SKIP = {"DRINKING_WATER_ACCESS_RURAL"}


def territorial_goals(tdp_nodes: list, streams: Streams, values: Values) -> list[GoalDef]:
    """Four to six goals per territorial program from the regional pool. Akimats pick mostly
    indicators that their region is moving (an improving trend since 2023), and now and then one
    that is not (those come out off track)."""
    rng = streams("goals:tdp")
    out = []
    for node in tdp_nodes:
        pool = [c for c in TDP_POOL if not (node.region in ("ALA", "AST", "SHY") and c in CITY_SKIP)]
        moving, flat = [], []
        for code in [pool[int(i)] for i in rng.permutation(len(pool))]:
            s = values.get(code, node.region)
            if s is None or s.empty:
                continue
            spec = values.specs[code]
            base = s[s["start"] >= dt.date(2023, 1, 1)]
            if len(base) < 2:
                flat.append(code)
                continue
            sign = 1 if spec.direction == "up" else -1
            gain = sign * (float(base["value"].iloc[-1]) - float(base["value"].iloc[0]))
            floor = max(2 * 10 ** -spec.decimals, 0.004 * abs(float(base["value"].iloc[0])))
            (moving if gain > floor else flat).append(code)
        k = int(rng.integers(4, 7))
        chosen = moving[:k - 1] + (flat[:1] if flat and rng.random() < 0.45 else moving[k - 1:k])
        chosen = chosen[:k]
        for i, code in enumerate(chosen):
            out.append(GoalDef(node.code, code, region=node.region, headline=i < 3, baseline="2023", final_year=2029,
                               recorded=dt.date(2024, 1, 15)))
    profiles = _synthetic_profiles(len(out), rng)
    for g, p in zip(out, profiles):
        g.profile = p
        if rng.random() < 0.3:  # off-track ones among these get a later, lowered target (history of changes)
            g.revisions = [("lower", {})]
    return out


def project_goals(projects: list, specs: dict[str, Spec], streams: Streams, today: dt.date) -> tuple[list[GoalDef], list[str]]:
    """Goals of projects: their technical readiness (a per-project indicator) for about half of the
    started ones, or the regional outcome indicator their template moves. Returns the goals and
    the codes of projects that get a readiness indicator."""
    rng = streams("goals:projects")
    out, readiness = [], []
    for p in projects:
        prof = {"on_track": "on_track", "over_budget": "on_track", "late": "at_risk", "late_over": "at_risk", "stalled": "off_track"}[p.profile]
        outcome = p.template.outcome if p.template else None
        started = p.start <= today
        baseline_year = p.start.year - 1
        if started and (outcome is None or rng.random() < 0.55):
            code = readiness_code(p.code)
            readiness.append(p.code)
            q_start = dt.date(p.start.year, 3 * ((p.start.month - 1) // 3) + 1, 1)
            before = q_start - dt.timedelta(days=1)
            b_start = dt.date(before.year, 3 * ((before.month - 1) // 3) + 1, 1)
            plan = {y: 100.0 if y >= p.end.year else round(p.planned_progress(dt.date(y, 12, 31)) * 100, 0)
                    for y in range(p.start.year, p.end.year + 1)}
            out.append(GoalDef(p.code, code, region="KZ", headline=True, final_year=p.end.year, final=100.0,
                               recorded=p.approved, source="synthetic (demo generator): project passport", explicit=plan,
                               explicit_baseline=(f"{b_start.year}-Q{(b_start.month - 1) // 3 + 1}", b_start, 0.0)))
        elif outcome is not None and p.region != "KZ" and rng.random() < 0.85:
            out.append(GoalDef(p.code, outcome, region=p.region, headline=True, baseline=_baseline_label(baseline_year, specs[outcome].frequency),
                               final_year=max(p.end.year, baseline_year + 1), profile=prof if started else "on_track", recorded=p.approved))
    return out, readiness


def readiness_code(project_code: str) -> str:
    return "READINESS_" + project_code.replace("-", "_")
