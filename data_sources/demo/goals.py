"""Goals (an indicator as a goal of a node, with baseline and a yearly target trajectory).

Real goals carry the targets of the facts. Synthetic targets are derived from the generated values
so that the app shows a designed mix of statuses: every synthetic goal has a designed **fate** on
the app's scale (``green`` ... ``red`` while the deadline is ahead; ``achieved`` or ``missed`` once
its final value is known), and its final target is chosen so that the app's reading of the goal
gives that status. :func:`reading` is that reading: a mirror of kpi's forecast and status rules
(docs/kpi.md: Theil-Sen trend over the last five years, probability of meeting the target, progress
gap against the trajectory; data_sources never imports kpi). A fate the values cannot give (a
green goal on a series that got worse) becomes the nearest one they can.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np
import pandas as pd

from data_sources.demo._common import FACTS_REF, Streams, year_fraction
from data_sources.demo.catalog import S, Spec
from data_sources.periods import label_frequency, period_end

#: The app's statuses of a goal whose deadline is ahead, best first (kpi.status).
FATES = ("green", "amber_green", "amber", "amber_red", "red")
#: (status, least probability, least progress gap), best first: kpi.status.CONFIDENCE_STEPS.
STEPS = (("green", 0.80, -0.05), ("amber_green", 0.60, -0.10), ("amber", 0.40, -0.20), ("amber_red", 0.20, -0.35),
         ("red", 0.0, -math.inf))
#: Every status the reading gives, from the easiest target to the hardest.
SCALE = ("achieved",) + FATES + ("missed",)
MONTHS = {"Y": 12, "Q": 3, "M": 1}
WINDOW_YEARS = 5  # kpi.forecast.WINDOW_YEARS
LOWERED = 0.85  # a lowered target keeps this share of the remaining ambition


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
    profile: str | None = None  # "double": the target is twice the baseline (a real "doubling" goal)
    fate: str | None = None  # designed status of a synthetic target: one of FATES
    lowered: bool = False  # a failing goal gets a later, less ambitious target (a target.set with previous)
    lowerable: bool = False  # a territorial goal that would be lowered if it failed
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
    baseline_t: float | None = None  # end of the baseline period (decimal year)
    scan: Scan | None = None  # the statuses candidate synthetic targets would read


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


# ------------------------------------------------------------------------ the app's reading (kpi)

def period_time(start: dt.date, frequency: str) -> float:
    """The end of a period on kpi's calendar-month time scale (the end of 2024 is 2025.0)."""
    return start.year + (start.month - 1 + MONTHS[frequency]) / 12


@dataclass(frozen=True)
class Outlook:
    """kpi's forecast of the value at the end of the deadline year and its standard error."""

    value: float
    se: float


def _theil_sen(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    i, j = np.triu_indices(len(x), k=1)
    slope = float(np.median((y[j] - y[i]) / (x[j] - x[i])))
    return slope, float(np.median(y - slope * x))


def outlook(series: pd.DataFrame | None, spec: Spec, deadline_year: int) -> Outlook | None:
    """The forecast as kpi.forecast makes it from ``series`` (the values the app sees); None when
    the data is insufficient (fewer than 3 values or less than 12 months in the window)."""
    if series is None or series.empty:
        return None
    f, m = spec.frequency, MONTHS[spec.frequency]
    month = np.array([s.year * 12 + s.month - 1 for s in series["start"]])
    keep = month >= month[-1] - (WINDOW_YEARS * 12 - m)
    starts = [s for s, k in zip(series["start"], keep) if k]
    n = len(starts)
    if n < 3 or month[-1] - month[keep][0] + m < 12:
        return None
    origin = period_time(starts[-1], f)
    x = np.array([period_time(s, f) - origin for s in starts])
    y = series["value"].to_numpy(dtype=float)[keep]
    slope, intercept = _theil_sen(x, y)
    per_year = 12 // m
    offsets = np.zeros(0)
    if spec.seasonal and per_year > 1:
        seasons = np.array([(s.month - 1) // m for s in starts])
        if np.bincount(seasons, minlength=per_year).min() >= 2:
            residuals = y - (intercept + slope * x)
            medians = np.array([np.median(residuals[seasons == k]) for k in range(per_year)])
            offsets = medians - medians.mean()
            y = y - offsets[seasons]
            slope, intercept = _theil_sen(x, y)
    dof = max(n - 2 - max(len(offsets) - 1, 0), 1)
    scale = float(np.sqrt(np.sum((y - (intercept + slope * x)) ** 2) / dof))
    xt = deadline_year + 1.0 - origin
    value = intercept + slope * xt + (float(offsets[-1]) if len(offsets) else 0.0)
    se = scale * math.sqrt(1 + 1 / n + (xt - x.mean()) ** 2 / float(np.sum((x - x.mean()) ** 2)))
    return Outlook(float(value), float(se))


def _percent(fraction: float) -> int:
    return int(round(100 * fraction))


def _progress(latest: float, baseline: float, target: float, sign: float) -> float:
    if (target - baseline) * sign > 0:
        return (latest - baseline) / (target - baseline)
    return 1.0 if (latest - target) * sign >= 0 else 0.0


def _expected(trajectory: dict[int, float], baseline: float, baseline_t: float, on: float) -> float:
    years = sorted(trajectory)
    ends = np.array(years, dtype=float) + 1.0
    values = np.array([trajectory[y] for y in years])
    ahead = ends > baseline_t
    if not ahead.any():
        return float(values[-1])
    return float(np.interp(on, np.concatenate(([baseline_t], ends[ahead])), np.concatenate(([baseline], values[ahead]))))


def reading(trajectory: dict[int, float], *, baseline: float | None, baseline_t: float, sign: float, frequency: str,
            latest_value: float | None, latest_start: dt.date | None, forecast: Outlook | None, today: dt.date) -> str:
    """The status the app gives a goal (kpi.status.assess): ``trajectory`` {year: target} as the app
    sees it, the baseline at ``baseline_t`` (kpi time), the latest value and kpi's forecast."""
    if latest_value is None or latest_start is None:
        return "no_data"
    if not trajectory:
        return "no_data"
    year = max(trajectory)
    target = trajectory[year]
    latest_t = period_time(latest_start, frequency)
    if today > dt.date(year, 12, 31):
        if (latest_value - target) * sign >= 0:
            return "achieved"
        if latest_t >= year + 1.0 - 1e-9:
            return "missed"
    steps = []
    if forecast is not None:
        if forecast.se == 0:
            probability = 1.0 if (forecast.value - target) * sign >= 0 else 0.0
        else:
            below = NormalDist(forecast.value, forecast.se).cdf(target)
            probability = 1 - below if sign > 0 else below
        pct = _percent(probability) / 100
        steps.append(next(i for i, (_s, p, _g) in enumerate(STEPS) if pct >= p))
    if baseline is not None:
        gained = _progress(latest_value, baseline, target, sign)
        expected = _progress(_expected(trajectory, baseline, baseline_t, latest_t), baseline, target, sign)
        gap = (_percent(gained) - _percent(expected)) / 100
        steps.append(next(i for i, (_s, _p, g) in enumerate(STEPS) if gap >= g))
    return STEPS[max(steps)][0] if steps else "no_data"


def current_targets(goal: GoalDef, region: str | None = None) -> dict[int, float]:
    """The goal's trajectory {year: value} for ``region`` (default: the goal's) as the app reads it:
    the latest recorded target of each year."""
    region = region or goal.region
    rows = sorted((t for t in goal.targets if t[0] == region), key=lambda t: (t[3] or dt.date.min, t[5] is not None))
    return {year: value for _region, year, value, *_rest in rows}


def assess(goal: GoalDef, values: Values, spec: Spec, today: dt.date) -> str:
    """The status the app will show for ``goal`` (its region's values and targets, as of ``today``)."""
    series = values.get(goal.indicator, goal.region)
    if series is None or series.empty or goal.baseline_value is None:
        return "no_data"
    trajectory = current_targets(goal)
    if not trajectory:
        return "no_data"
    latest = series.iloc[-1]
    return reading(trajectory, baseline=goal.baseline_value, baseline_t=_baseline_time(goal, spec),
                   sign=1.0 if spec.direction == "up" else -1.0, frequency=spec.frequency, latest_value=float(latest["value"]),
                   latest_start=latest["start"], forecast=outlook(series, spec, max(trajectory)), today=today)


def _baseline_time(goal: GoalDef, spec: Spec) -> float:
    frequency = label_frequency(goal.baseline_period) if goal.baseline_period else spec.frequency
    return period_time(goal.baseline_start, frequency)


# ------------------------------------------------------------------------------------ targets

def anchor(goal: GoalDef, values: Values, today: dt.date) -> bool:
    """Fix the goal's baseline (and a passport's targets); for a synthetic target, scan the statuses
    that candidate targets would read (:class:`Scan`). False when there is nothing to anchor it on."""
    spec = values.specs[goal.indicator]
    f = spec.frequency
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
    goal.baseline_value = float(row["value"].iloc[0])
    goal.baseline_period = str(row["period"].iloc[0])
    goal.baseline_start = row["start"].iloc[0]
    goal.baseline_t = float(row["t"].iloc[0])
    goal.final_year = max(goal.final_year, int(np.floor(goal.baseline_t - 1e-9)) + 1)
    if goal.final is None and goal.profile != "double":
        goal.scan = Scan(goal, spec, series, today)
    return True


def finish(goal: GoalDef, values: Values, rng: np.random.Generator, today: dt.date) -> None:
    """Set the goal's targets: the real one, twice the baseline, or the one that gives its fate."""
    if goal.explicit is not None:
        return
    spec = values.specs[goal.indicator]
    if goal.final is not None:
        final = float(goal.final)
    elif goal.profile == "double":
        final = round(2 * goal.baseline_value, spec.decimals)
    else:
        final = goal.scan.pick(goal.fate or "green", rng)
    goal.targets = _trajectory(goal, spec, final, goal.baseline_t, today)
    if goal.regional_targets:
        _regional_targets(goal, spec, values, final, goal.baseline_value)
    for when, changes in goal.revisions:
        for y, value in changes.items():
            previous = next((t[2] for t in reversed(goal.targets) if t[1] == y and t[0] == goal.region), None)
            goal.targets.append([goal.region, y, float(value), when, goal.source, previous])
        if changes:
            goal.final_year = max(goal.final_year, max(changes))


def _trajectory(goal: GoalDef, spec: Spec, final: float, b_t: float, today: dt.date) -> list:
    """Target rows of the goal's own region: linear from the baseline to ``final`` (one target a
    year), or the same level every year for a ``hold`` goal. A ``lowered`` goal first had a more
    ambitious target and got ``final`` later (a target.set with ``previous``), at most 540 days after
    it was set and at least 30 days before ``today``."""
    b_value, deadline = goal.baseline_value, goal.final_year
    b_year = int(np.floor(b_t - 1e-9))
    d_t = deadline + 1.0
    first = b_value + (final - b_value) / LOWERED if goal.lowered else final

    def line(end: float) -> dict[int, float]:
        out = {}
        for y in range(b_year + 1, deadline + 1):
            share = min(max((y + 1.0 - b_t) / (d_t - b_t), 0.0), 1.0)
            out[y] = end if goal.hold or y == deadline else round(b_value + (end - b_value) * share, spec.decimals)
        return out

    rows = [[goal.region, y, float(v), goal.recorded, goal.source, None] for y, v in line(round(first, spec.decimals)).items()]
    if goal.lowered:
        when = min(goal.recorded + dt.timedelta(days=540), today - dt.timedelta(days=30))
        old = {y: v for _r, y, v, *_rest in rows}
        new = {y: v for y, v in line(final).items() if y > when.year}
        rows += [[goal.region, y, float(v), when, goal.source, old[y]] for y, v in new.items() if v != old[y]]
    return rows


class Scan:
    """The statuses the app would read for candidate final targets of a synthetic goal, from a
    little to far beyond the baseline (a harder target never reads better). ``reach``: the statuses
    some target gives; :meth:`pick` chooses a target for a fate."""

    def __init__(self, goal: GoalDef, spec: Spec, series: pd.DataFrame, today: dt.date) -> None:
        self.goal, self.spec, self.today = goal, spec, today
        self.sign = 1.0 if spec.direction == "up" else -1.0
        self.b, self.unit = goal.baseline_value, 10.0 ** -spec.decimals
        latest = series.iloc[-1]
        self.v, self.latest_start = float(latest["value"]), latest["start"]
        deadline = goal.final_year
        self.forecast = outlook(series, spec, deadline)
        self.baseline_t = _baseline_time(goal, spec)
        latest_t = period_time(self.latest_start, spec.frequency)
        self.final_known = today > dt.date(deadline, 12, 31) and latest_t >= deadline + 1.0 - 1e-9
        elapsed = (latest_t - self.baseline_t) / (deadline + 1.0 - self.baseline_t) if deadline + 1.0 > self.baseline_t else 1.0
        # the scale of a meaningful target: the improvement the values point to by the deadline
        self.scale = max(self.sign * (self.v - self.b) / max(elapsed, 0.15) if elapsed > 0 else 0.0,
                         self.sign * (self.forecast.value - self.b) if self.forecast is not None else 0.0,
                         0.04 * abs(self.b), 5 * self.unit)
        self.lo = spec.valid_min if spec.valid_min is not None else -math.inf
        self.hi = spec.valid_max if spec.valid_max is not None else math.inf
        # a target still ahead asks for more than the latest value (not one already met)
        self.least = self.unit if self.final_known else max(self.unit, self.sign * (self.v - self.b) + self.unit)
        self._scan()

    def _scan(self) -> None:
        self.lowered = self.goal.lowered
        self.points: dict[float, str] = {}
        self._add(self.scale * np.geomspace(0.02, 8.0, 60))
        for _ in range(2):  # look closer where the reading skips a status
            pairs = self._sorted()
            for (t0, s0), (t1, s1) in zip(pairs, pairs[1:]):
                if _rank(s1) - _rank(s0) > 1:
                    self._add(np.linspace(self._ambition(t0), self._ambition(t1), 12))
        self.reach = frozenset(self.points.values())

    def _ambition(self, target: float) -> float:
        return self.sign * (target - self.b)

    def _ok(self, target: float) -> bool:
        return self._ambition(target) >= self.least - 1e-9 and self.lo <= target <= self.hi

    def _add(self, ambitions) -> None:
        for a in ambitions:
            target = round(self.b + self.sign * a, self.spec.decimals)
            if target not in self.points and self._ok(target):
                self.points[target] = self.status(target)

    def _sorted(self) -> list[tuple[float, str]]:
        return sorted(self.points.items(), key=lambda p: self._ambition(p[0]))

    def status(self, final: float) -> str:
        rows = sorted(_trajectory(self.goal, self.spec, final, self.goal.baseline_t, self.today), key=lambda t: (t[3], t[5] is not None))
        return reading({y: value for _r, y, value, *_rest in rows}, baseline=self.b, baseline_t=self.baseline_t, sign=self.sign,
                       frequency=self.spec.frequency, latest_value=self.v, latest_start=self.latest_start, forecast=self.forecast,
                       today=self.today)

    def outcome(self, fate: str) -> str:
        """The status a fate stands for: achieved or missed once the final value is known."""
        if not self.final_known or fate in ("achieved", "missed"):
            return fate
        return "achieved" if FATES.index(fate) <= 1 else "missed"

    def distance(self, fate: str) -> int:
        """How many steps the nearest status the values allow is from the fate."""
        want = _rank(self.outcome(fate))
        return min((abs(_rank(s) - want) for s in self.reach if s in SCALE), default=len(SCALE))

    def pick(self, fate: str, rng: np.random.Generator) -> float:
        """A final target for ``fate`` (or the nearest status the values allow, the worse on a tie). A
        green or achieved target lies in the harder part of its band (cleared with a margin, not by a
        mile), a red or missed one a little beyond the start of its band, the others inside theirs."""
        if fate == "amber" and self.final_known:
            fate = "achieved" if rng.random() < 0.5 else "missed"
        if self.goal.lowered != self.lowered:
            self._scan()
        want = _rank(self.outcome(fate))
        pairs = [(t, s) for t, s in self._sorted() if s in SCALE]
        if not pairs:
            return float(min(max(round(self.b + self.sign * self.least, self.spec.decimals), self.lo), self.hi))
        chosen = SCALE[min({_rank(s) for _t, s in pairs}, key=lambda k: (abs(k - want), -k))]
        band = [t for t, s in pairs if s == chosen]
        a_lo, a_hi = self._ambition(band[0]), self._ambition(band[-1])
        if chosen in ("achieved", "green"):
            a = max(a_hi * float(rng.uniform(0.72, 0.97)), a_lo)
        elif chosen in ("red", "missed"):  # and at least a real improvement (a flat series is red at any target)
            a = max(a_lo * float(rng.uniform(1.03, 1.3)), self.scale * float(rng.uniform(0.6, 1.0)))
        else:
            a = a_lo + (a_hi - a_lo) * float(rng.uniform(0.2, 0.8))
        for target in (_nice(self.b + self.sign * a, self.spec.decimals, max(abs(self.b), 1e-9)),
                       round(self.b + self.sign * a, self.spec.decimals)):
            if self._ok(target) and self.status(target) == chosen:
                return float(target)
        return float(min(band, key=lambda t: abs(self._ambition(t) - a)))


def _rank(status: str) -> int:
    return SCALE.index(status) if status in SCALE else -1


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
        G("NDP-2029", "INFANT_MORTALITY", headline=True, baseline="2023", final_year=2029, fate="green", recorded=N29),
        G("NDP-2029", "UNEMPLOYMENT_RATE", headline=True, baseline="2023", final_year=2029, fate="green", recorded=N29),
        G("NDP-2029", "POVERTY_RATE", baseline="2023", final_year=2029, fate="amber", recorded=N29),
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
        G("NP-SPIRIT", "KAZAKH_LANGUAGE_PROFICIENCY", baseline="2020", final_year=2025, fate="amber_green", recorded=NP),
        G("NP-SPIRIT", "VOLUNTEER_SHARE", baseline="2020", final_year=2025, fate="green", recorded=NP),
        G("NP-TECH", "IT_EXPORT", baseline="2021", final_year=2025, final=500, source=src("it"), recorded=NP, headline=True),
        G("NP-TECH", "IT_SPECIALISTS_TRAINED", baseline="2021", final_year=2025, final=100000, source=src("it"), recorded=NP),
        G("NP-TECH", "IT_VOUCHERS", baseline="2021", final_year=2025, final=20000, source=src("it"), recorded=NP),
        G("NP-TECH", "EGOV_SHARE_ONLINE", baseline="2020", final_year=2025, fate="green", recorded=NP),
        G("NP-SME", "SME_SHARE_GDP", baseline="2020", final_year=2025, final=35, source=src("npsme"), recorded=NP, headline=True),
        G("NP-SME", "TOURISM_GDP", baseline="2020", final_year=2025, final=8.4, source=src("npsme"), recorded=NP),
        G("NP-SME", "STATE_SHARE_ECONOMY", baseline="2020", final_year=2025, final=14, source=src("npsme"), recorded=NP),
        G("NP-SME", "JOBS_CREATED", baseline="2020", final_year=2025, final=995.3, source=src("npsme"), recorded=NP),
        G("NP-SME", "PERMANENT_JOB_PLACEMENTS", baseline="2020", final_year=2025, final=1.7, source=src("npsme"), recorded=NP),
        G("NP-SME", "JOB_SEARCH_ASSISTED", baseline="2020", final_year=2025, final=3.5, source=src("npsme"), recorded=NP),
        G("NP-SME", "RURAL_POVERTY_CHANGE", baseline="2021", final_year=2025, final=-6.5, source=src("npsme"), recorded=NP),
        G("NP-REGIONS", "DRINKING_WATER_ACCESS", baseline="2020", final_year=2025, final=100, source=src("regions"), recorded=NP, headline=True),
        G("NP-REGIONS", "UTILITY_WEAR_MONOTOWNS", baseline="2021", final_year=2025, fate="green", recorded=NP),
        G("NP-REGIONS", "UTILITY_WEAR_SMALL_TOWNS", baseline="2021", final_year=2025, fate="amber", recorded=NP),
        G("NP-REGIONS", "HOUSING_COMMISSIONED", baseline="2020", final_year=2025, fate="green", recorded=NP),
        G("NP-REGIONS", "REPUBLICAN_ROADS_GOOD", baseline="2021", final_year=2025, fate="amber_green", recorded=NP),
        G("NP-REGIONS", "LOCAL_ROADS_GOOD", baseline="2021", final_year=2025, fate="green", recorded=NP),
        G("NP-GROWTH", "REAL_GDP_GROWTH", baseline="2020", final_year=2025, final=5, hold=True, source=src("growth"), recorded=NP, headline=True),
        G("NP-GROWTH", "PETROCHEM_PLANTS", baseline="2021", final_year=2025, final=5, source=src("growth"), recorded=NP),
        G("NP-GROWTH", "GDP_PER_CAPITA_USD", baseline="2020", final_year=2025, fate="green", recorded=NP),
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
        G("NP-SAFE", "CRIME_RATE_10K", baseline="2020", final_year=2025, fate="green", recorded=NP, headline=True),
        G("NP-SAFE", "ROAD_DEATHS_100K", baseline="2020", final_year=2025, fate="amber_green", recorded=NP),
        G("NP-SAFE", "EMERGENCY_RESPONSE_MIN", baseline="2020", final_year=2025, fate="green", recorded=NP),
        G("NP-SAFE", "PUBLIC_SAFETY_PERCEPTION", baseline="2020", final_year=2025, fate="amber", recorded=NP),
        # national projects from 2023
        G("NP2-SCHOOL", "KELESHEK_SCHOOLS", baseline="2023", final_year=2025, final=369, source=src("keleshek"), recorded=dt.date(2023, 1, 15),
          headline=True),
        G("NP2-SCHOOL", "KELESHEK_PLACES", baseline="2023", final_year=2025, final=740, source=src("keleshek"), recorded=dt.date(2023, 1, 15)),
        G("NP2-SCHOOL", "THREE_SHIFT_SCHOOLS", baseline="2022", final_year=2025, fate="green", recorded=dt.date(2023, 1, 15)),
        G("NP2-SCHOOL", "EMERGENCY_SCHOOLS", baseline="2022", final_year=2025, fate="amber", recorded=dt.date(2023, 1, 15)),
        G("NP2-RURALHEALTH", "RURAL_HEALTH_FACILITIES", baseline="2023", final_year=2025, final=655, source=src("ruralhealth"),
          recorded=dt.date(2024, 1, 10), headline=True),
        G("NP2-RURALHEALTH", "DISTRICT_HOSPITALS_MODERNIZED", baseline="2023", final_year=2025, final=32, source=src("ruralhealth"),
          recorded=dt.date(2024, 1, 10)),
        G("NP2-RURALHEALTH", "INFANT_MORTALITY", baseline="2023", final_year=2025, fate="green", recorded=dt.date(2024, 1, 10)),
        G("NP2-INTERNET", "FIVE_G_LARGEST_CITIES", baseline="2023", final_year=2027, fate="amber_red", recorded=dt.date(2024, 1, 10),
          headline=True),
        G("NP2-INTERNET", "FIVE_G_ADMIN_CENTRES", baseline="2023", final_year=2027, fate="amber", recorded=dt.date(2024, 1, 10)),
        G("NP2-INTERNET", "RURAL_BROADBAND", baseline="2023", final_year=2027, fate="green", recorded=dt.date(2024, 1, 10)),
        G("NP2-UTILITIES", "UTILITY_NETWORK_WEAR", baseline="2024", final_year=2029, final=40, source=src("utilities"),
          recorded=dt.date(2025, 1, 20), headline=True, regional_targets=True),
        G("NP2-UTILITIES", "HEAT_NETWORK_WEAR", baseline="2024", final_year=2029, final=40, source=src("utilities"), recorded=dt.date(2025, 1, 20)),
        G("NP2-UTILITIES", "POWER_NETWORK_WEAR", baseline="2024", final_year=2029, final=45, source=src("utilities"), recorded=dt.date(2025, 1, 20)),
        G("NP2-UTILITIES", "WATER_NETWORK_WEAR", baseline="2024", final_year=2029, final=34, source=src("utilities"), recorded=dt.date(2025, 1, 20)),
        G("NP2-UTILITIES", "WASTEWATER_NETWORK_WEAR", baseline="2024", final_year=2029, final=40, source=src("utilities"),
          recorded=dt.date(2025, 1, 20)),
        G("NP2-UTILITIES", "NEW_GENERATION_CAPACITY", baseline="2024", final_year=2029, final=6000, source=src("utilities"),
          recorded=dt.date(2025, 1, 20)),
        G("NP2-UTILITIES", "TPP_WEAR", baseline="2024", final_year=2029, fate="green", recorded=dt.date(2025, 1, 20)),
        G("NP2-COOP", "COOP_MEMBERS", baseline="2022", final_year=2027, final=1000, source=src("coop"), recorded=dt.date(2023, 3, 1), headline=True),
        G("NP2-COOP", "AGRI_COOPERATIVES", baseline="2022", final_year=2027, fate="amber_green", recorded=dt.date(2023, 3, 1)),
        G("NP2-COOP", "GRAIN_HARVEST", baseline="2022", final_year=2027, fate="green", recorded=dt.date(2023, 3, 1)),
    ]
    return goals


TDP_POOL = ["DRINKING_WATER_ACCESS_RURAL", "GAS_SUPPLY_COVERAGE", "LOCAL_ROADS_GOOD", "REGIONAL_INFRA_PROVISION", "SEWERAGE_COVERAGE",
            "STREET_LIGHTING_COVERAGE", "UNEMPLOYMENT_RATE", "HOUSING_COMMISSIONED", "EMERGENCY_HOUSING_SHARE", "PUBLIC_TRANSPORT_ON_TIME",
            "HOUSING_PER_CAPITA", "AVERAGE_WAGE"]
CITY_SKIP = {"DRINKING_WATER_ACCESS_RURAL"}


def territorial_goals(tdp_nodes: list, streams: Streams, values: Values) -> list[GoalDef]:
    """Four to six goals per territorial program from the regional pool. Akimats pick mostly
    indicators that their region is moving (improving since 2023, and a trend that keeps improving),
    and now and then one that is not; the goals' fates follow the program's condition
    (:data:`CONDITIONS`)."""
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
            start = float(base["value"].iloc[0])
            gain = sign * (float(base["value"].iloc[-1]) - start)
            floor = max(2 * 10 ** -spec.decimals, 0.004 * abs(start))
            trend = outlook(s, spec, 2029)  # and the trend the app will extrapolate goes the same way
            (moving if gain > floor and (trend is None or sign * (trend.value - start) > floor) else flat).append(code)
        k = int(rng.integers(4, 7))
        chosen = moving[:k - 1] + (flat[:1] if flat and rng.random() < 0.45 else moving[k - 1:k])
        chosen = chosen[:k]
        for i, code in enumerate(chosen):
            out.append(GoalDef(node.code, code, region=node.region, headline=i < 3, baseline="2023", final_year=2029,
                               recorded=dt.date(2024, 1, 15)))
    lowerable = streams("goals:tdp-lowered")
    for g in out:
        g.lowerable = bool(lowerable.random() < 0.3)
    return out


#: The condition of a territorial program and the fates of its goals (shares; each fate listed
#: occurs at least once): most programs deliver, a few struggle, one fails.
CONDITIONS = {
    "strong": {"green": 0.7, "amber_green": 0.3},
    "steady": {"green": 0.4, "amber_green": 0.25, "amber": 0.35},
    "strained": {"green": 0.25, "amber_green": 0.2, "amber": 0.3, "amber_red": 0.25},
    "troubled": {"green": 0.2, "amber_green": 0.15, "amber": 0.2, "amber_red": 0.2, "red": 0.25},
    "failing": {"amber_red": 0.4, "red": 0.6},
}
CONDITION_MIX = (("strong", 0.25), ("steady", 0.3), ("strained", 0.3), ("troubled", 0.1), ("failing", 0.05))


def _counts(n: int, shares: list[tuple[str, float]]) -> np.ndarray:
    """How many of ``n`` go to each share (largest remainder)."""
    raw = np.array([w * n for _, w in shares])
    counts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - counts), kind="stable")[:n - counts.sum()]:
        counts[i] += 1
    return counts


def _quota(n: int, shares: list[tuple[str, float]], rng: np.random.Generator) -> list[str]:
    """``n`` names in the given shares, in random order."""
    out = [name for (name, _), c in zip(shares, _counts(n, shares)) for _ in range(c)]
    return [out[i] for i in rng.permutation(len(out))]


def _fates_of(condition: str, n: int) -> list[str]:
    """The fates of a program's ``n`` goals in ``condition``, best first."""
    shares = list(CONDITIONS[condition].items())
    counts = _counts(n, shares)
    if n >= len(shares):  # every fate of the condition at least once
        for i in np.flatnonzero(counts == 0):
            counts[int(np.argmax(counts))] -= 1
            counts[i] += 1
    return [name for (name, _), c in zip(shares, counts) for _ in range(c)]


def _deal(goals: list[GoalDef], fates: list[str]) -> tuple[int, list[str]]:
    """The order of ``fates`` over ``goals`` that gives each goal a fate its values allow (the least
    total distance; the first such order on a tie) and that distance."""
    distance = [{f: g.scan.distance(f) for f in set(fates)} for g in goals]
    best = None
    for order in sorted(set(itertools.permutations(fates))):
        cost = sum(d[f] for d, f in zip(distance, order))
        if best is None or cost < best[0]:
            best = (cost, list(order))
    return best


def deal_territorial(goals: list[GoalDef], streams: Streams) -> None:
    """Fates of the territorial programs' goals. The programs get the conditions of CONDITION_MIX
    (by quota, at random, then swapped pairwise while that lets more goals get a fate their values
    allow: a program whose indicator is getting worse is the one in trouble, a region created in
    2022 has too short a trend to show failure); each program's goals get the condition's fates,
    dealt likewise. 30 % of the goals (``lowerable``) fated amber_red or red got a lowered target later."""
    rng = streams("goals:tdp-fates")
    programs: dict[str, list[GoalDef]] = {}
    for g in goals:
        if g.scan is not None:
            programs.setdefault(g.node, []).append(g)
    codes = [list(programs)[i] for i in rng.permutation(len(programs))]
    names = [name for name, _ in CONDITION_MIX]
    cost = {(code, c): _deal(programs[code], _fates_of(c, len(programs[code])))[0] for code in codes for c in names}
    conditions = dict(zip(codes, _quota(len(codes), list(CONDITION_MIX), rng)))
    improved = True
    while improved:
        improved = False
        for i, first in enumerate(codes):
            for second in codes[i + 1:]:
                a, b = conditions[first], conditions[second]
                if a != b and cost[first, b] + cost[second, a] < cost[first, a] + cost[second, b]:
                    conditions[first], conditions[second] = b, a
                    improved = True
    for code in codes:
        for g, fate in zip(programs[code], _deal(programs[code], _fates_of(conditions[code], len(programs[code])))[1]):
            g.fate = fate
            g.lowered = g.lowerable and fate in ("amber_red", "red")


#: Fates of a project's outcome goal by its delivery profile (tree.PROFILES); not yet started: as on track.
PROJECT_FATES = {
    "on_track": (("green", 0.4), ("amber_green", 0.25), ("amber", 0.25), ("amber_red", 0.1)),
    "over_budget": (("green", 0.35), ("amber_green", 0.3), ("amber", 0.25), ("amber_red", 0.1)),
    "late": (("amber_green", 0.2), ("amber", 0.45), ("amber_red", 0.35)),
    "late_over": (("amber_green", 0.15), ("amber", 0.4), ("amber_red", 0.45)),
    "stalled": (("amber_red", 0.4), ("red", 0.6)),
}


def project_goals(projects: list, specs: dict[str, Spec], streams: Streams, today: dt.date) -> tuple[list[GoalDef], list[str]]:
    """Goals of projects: their technical readiness (a per-project indicator) for about half of the
    started ones, or the regional outcome indicator their template moves. Returns the goals and
    the codes of projects that get a readiness indicator."""
    rng = streams("goals:projects")
    rng_fates = streams("goals:project-fates")
    out, readiness = [], []
    for p in projects:
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
                               final_year=max(p.end.year, baseline_year + 1), recorded=p.approved,
                               fate=_draw(PROJECT_FATES[p.profile if started else "on_track"], rng_fates)))
    return out, readiness


def _draw(shares: tuple, rng: np.random.Generator) -> str:
    names, weights = zip(*shares)
    return names[int(rng.choice(len(names), p=np.array(weights) / sum(weights)))]


def readiness_code(project_code: str) -> str:
    return "READINESS_" + project_code.replace("-", "_")
