"""Regions: the choropleth with its ranking, and the akim's view of one region."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from data_sources import queries
from data_sources.geometry import region_geojson
from data_sources.store import NATION, normalise_code
from kpi.citizen_demand import requests_growth, requests_per_capita
from kpi.periods import add_months, period_end, period_label
from kpi.project_health import milestone_states
from kpi.regions import gap_to_national, per_capita as per_capita_values, rank_regions, regions_valid_in
from kpi.status import STATUS_ORDER
from services.cache import by_data_version
from services.context import Context
from services.goals import AssessedGoals, assess_goals, roll_up_goals
from services.overview import SPARK_PERIODS
from services.projects import health_fields, project_earned_value

#: Count indicators (aggregation ``sum``) that are not shown per capita: the population itself.
NOT_PER_CAPITA = frozenset({"POPULATION"})
#: People per which per-capita values are shown.
PER_CAPITA_BASE = 10_000

#: Regional indicators a map can show (the selector). ``per_capita_available``: a count indicator
#: (aggregation ``sum``) that can be shown per 10,000 people.
INDICATOR_OPTION_COLUMNS = ("code", "name", "unit", "unit_label", "direction", "frequency", "per_capita_available")
#: One row per region of the map's period: every region that existed then and every feature of the
#: geometry. ``value`` is the shown figure (per 10,000 people when per capita), ``raw_value`` the stored one,
#: ``rank`` 1 = best in the indicator's direction (None without a value), ``gap`` = value − national value
#: (positive = better than the nation, in the indicator's direction: the sign is flipped for lower-is-better
#: indicators; None for a count shown absolute, whose national value is the total), ``note`` a sentence in the viewer's
#: language when the region has no value (e.g. "Abai Region was part of East Kazakhstan Region until
#: 8 June 2022; its values are counted there."), else None.
MAP_ROW_COLUMNS = ("region", "name", "value", "raw_value", "period", "population", "rank", "gap", "note")


@dataclass(frozen=True)
class RegionMap:
    """What ``/regions`` shows for ``?indicator=&year=&per_capita=``.

    ``indicator``: the chosen option's row as a dict (INDICATOR_OPTION_COLUMNS) plus ``source`` and
    ``agency_name`` (and, for formatting: ``decimals``, ``aggregation``, ``period`` — the label of the
    period shown, ``value_unit_label`` and ``value_decimals`` — of the shown value, per capita or not);
    ``years``: years with regional data, newest first; ``year``: the year shown;
    ``per_capita``: whether values are per 10,000 people; ``national``: the national value for the
    same period (or None); ``rows``: MAP_ROW_COLUMNS sorted by rank; ``geojson``: the region
    boundaries (feature id = region code) with no feature for a region that did not exist then —
    its territory is drawn as part of the region it was carved out of (East Kazakhstan includes Abai
    before 8 June 2022), as the values of the time count it.
    """

    options: pd.DataFrame
    indicator: dict
    years: list[int]
    year: int
    per_capita: bool
    national: float | None
    rows: pd.DataFrame
    geojson: dict
    today: dt.date


@by_data_version()
def build_region_map(ctx: Context, indicator: str | None = None, year: int | None = None,
                     per_capita: bool = False) -> RegionMap | None:
    """The map for an indicator (default: the first headline regional indicator), a year (default:
    the latest with data) and per capita (ignored for indicators that are not counts). None for an
    unknown indicator code.

    Monthly and quarterly indicators show the latest period of the year with regional values (as known
    at ``ctx.as_of``). Per capita: value / population x 10,000 (``kpi.regions.per_capita``) with the
    population of the period's year (1 January) — for a period in the borders after the 2022 reform
    before the first count in those borders (the second half of 2022), the new region and the region it
    left use that first count (1 January 2023). Ranking and gap: ``kpi.regions``."""
    engine, viewer, t = ctx.engine, ctx.viewer, ctx.t
    options = indicator_options(ctx)
    if options.empty:
        return None
    code = normalise_code(indicator) if indicator else str(options.iloc[0]["code"])
    chosen = options[options["code"] == code]
    if chosen.empty:
        return None
    option = chosen.iloc[0].to_dict()
    per_capita = bool(per_capita) and bool(option["per_capita_available"])
    years = [y for y in queries.regional_years(engine, viewer, code, as_of=ctx.as_of) if y <= ctx.today.year]
    try:  # a year from a URL may be anything
        shown_year = int(year) if year is not None else None
    except (TypeError, ValueError):
        shown_year = None
    if shown_year is None:
        shown_year = years[0] if years else ctx.today.year

    values = queries.regional_values(engine, viewer, [code], year=shown_year, as_of=ctx.as_of)
    values = values[values["period_start"] <= pd.Timestamp(ctx.today)]
    regional = values[values["region"] != NATION]
    frequency = option["frequency"] if not regional.empty else "Y"
    start = (regional["period_start"].max().date() if not regional.empty else dt.date(shown_year, 1, 1))
    label = period_label(start, frequency)
    shown = values[values["period_start"] == pd.Timestamp(start)][["region", "period_start", "value"]]

    all_regions = queries.regions(engine, lang=ctx.lang)
    units = all_regions.drop_duplicates("code").reset_index(drop=True)
    population = _population_in_borders(queries.population(engine), all_regions, start)
    figures = per_capita_values(shown, population, per=PER_CAPITA_BASE).rename(columns={"value": "raw_value"})
    figures = figures.assign(value=figures["per_capita"] if per_capita else figures["raw_value"])
    nation = figures[figures["region"] == NATION]
    national = float(nation["value"].iloc[0]) if not nation.empty and pd.notna(nation["value"].iloc[0]) else None

    figures = figures[figures["region"] != NATION]
    ranked = rank_regions(figures, units, period_start=start, frequency=frequency, direction=option["direction"])
    ranked = gap_to_national(ranked, national, direction=option["direction"])
    valid = set(regions_valid_in(units, start, frequency)["code"])
    comparable = per_capita or option["aggregation"] != "sum"  # a region's count against the national total: no gap
    by_code = figures.set_index("region")
    rank_of = ranked.set_index("region")
    people = population.set_index("region")["population"]
    rows = []
    for _, unit in units.iterrows():
        region = unit["code"]
        raw = by_code["raw_value"].get(region) if region in by_code.index else None
        value = by_code["value"].get(region) if region in by_code.index else None
        rank = rank_of["rank"].get(region) if region in rank_of.index else None
        has_value = value is not None and pd.notna(value)
        rows.append({
            "region": region, "name": unit["name"],
            "value": float(value) if has_value else None,
            "raw_value": float(raw) if raw is not None and pd.notna(raw) else None,
            "period": label,
            "population": _int_or_none(people.get(region)),
            "rank": int(rank) if rank is not None and pd.notna(rank) else None,
            "gap": float(rank_of["advantage"].get(region)) if comparable and has_value and region in rank_of.index
            and pd.notna(rank_of["advantage"].get(region)) else None,
            "note": None if has_value else _note(ctx, unit, all_regions, start, frequency, label),
            "_valid": region in valid,
        })
    rows.sort(key=lambda row: (row["rank"] is None, row["rank"] or 0, not row["_valid"], row["region"]))
    table = pd.DataFrame(rows, columns=list(MAP_ROW_COLUMNS))
    for column in ("rank", "population", "note"):  # None, not NaN, where there is none
        table[column] = pd.Series([row[column] for row in rows], dtype=object)

    successors = all_regions[all_regions["predecessor"].notna() & ~all_regions["code"].isin(valid)]
    absorb = successors.groupby("predecessor")["code"].apply(list).to_dict()
    unit_label = t(f"unit.{option['unit']}")
    return RegionMap(
        options=options[list(INDICATOR_OPTION_COLUMNS)],
        indicator={**{key: option[key] for key in INDICATOR_OPTION_COLUMNS}, "source": option["source"],
                   "agency_name": option["agency_name"], "decimals": int(option["decimals"]),
                   "aggregation": option["aggregation"], "period": label,
                   "value_unit_label": t("region.per_capita_unit", unit=unit_label) if per_capita else unit_label,
                   "value_decimals": 2 if per_capita else int(option["decimals"])},
        years=years,
        year=shown_year,
        per_capita=per_capita,
        national=national,
        rows=table,
        geojson=region_geojson(sorted(valid), absorb=absorb),
        today=ctx.today,
    )


def indicator_options(ctx: Context) -> pd.DataFrame:
    """The map's selector: regional indicators with regional values (:data:`INDICATOR_OPTION_COLUMNS`)
    plus source, agency_name, decimals, aggregation and headline."""
    options = queries.indicator_options(ctx.engine, lang=ctx.lang)
    return options.assign(
        unit_label=[ctx.t(f"unit.{unit}") for unit in options["unit"]],
        per_capita_available=(options["aggregation"] == "sum") & ~options["code"].isin(NOT_PER_CAPITA),
    )


def _int_or_none(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _population_in_borders(population: pd.DataFrame, regions: pd.DataFrame, start: dt.date) -> pd.DataFrame:
    """Population (region, year, population) to divide the values of the period starting ``start`` by:
    1 January of its year; a region formed by ``start`` without a count that year (and the region it
    left) takes its first count in the new borders."""
    year = start.year
    counts = {(row.region, int(row.year)): row.population for row in population.itertuples()}
    chosen = {region: people for (region, y), people in counts.items() if y == year}
    for unit in regions[regions["predecessor"].notna()].itertuples():
        formed = unit.valid_from is not None and not pd.isna(unit.valid_from) and unit.valid_from <= start
        if not formed or unit.code in chosen:
            continue
        later = sorted(y for (region, y) in counts if region == unit.code and y > year)
        if later:
            chosen[unit.code] = counts[(unit.code, later[0])]
            if (unit.predecessor, later[0]) in counts:
                chosen[unit.predecessor] = counts[(unit.predecessor, later[0])]
    return pd.DataFrame({"region": list(chosen), "year": year, "population": list(chosen.values())},
                        columns=["region", "year", "population"])


def _note(ctx: Context, unit: pd.Series, regions: pd.DataFrame, start: dt.date, frequency: str, label: str) -> str:
    """Why a region has no value for the period (in ``ctx.lang``)."""
    t = ctx.t
    before = regions[(regions["code"] == unit["code"]) & regions["predecessor"].notna()]
    formed = unit["valid_from"]
    if not before.empty and formed is not None and not pd.isna(formed):
        predecessor = ", ".join(before["predecessor_name"])
        params = {"region": unit["name"], "predecessor": predecessor, "date": t.date(formed, "long"), "period": label}
        if period_end(start, frequency) < formed:
            return t("region.note.not_formed", **params)
        if start < formed:
            return t("region.note.old_borders", **params)
    return t("region.note.no_value", period=label)


#: The region's KPIs against the nation: one row per regional indicator that is a goal of the region's
#: territorial program or a headline of the national plan.
REGION_KPI_COLUMNS = ("indicator", "name", "unit", "unit_label", "decimals", "direction", "period", "value",
                      "national_value", "gap", "rank", "of_regions", "status", "reason_text", "target_value",
                      "target_year", "spark_periods", "spark_values")
#: The region's projects with their health.
REGION_PROJECT_COLUMNS = ("code", "name", "program", "program_name", "state", "status", "reason_text",
                          "spi", "cpi", "execution_to_date", "milestones_overdue", "owner_name", "owner_post",
                          "end_date")
#: Citizen demand in the region: requests per 10,000 people by topic over the last 12 months, growth
#: against the 12 months before, share resolved by the due date.
DEMAND_COLUMNS = ("topic", "topic_name", "requests", "per_10k", "growth", "resolved_on_time_share")


@dataclass(frozen=True)
class RegionView:
    """What ``/regions/<code>`` shows (the akim's view).

    ``region``: code, name, level, valid_from, valid_to, centre, area_km2, population (latest year up
    to today) and population_year, predecessor (code) and predecessor_name, since (the reform date);
    ``program``: the territorial program's code, name, status, reason_text, score, owner (the akim's
    official code), owner_name, owner_post — or None;
    ``kpis``: REGION_KPI_COLUMNS; ``projects``: REGION_PROJECT_COLUMNS (all projects in the region);
    ``instruction_counts``: ``{"total", "done", "open", "overdue"}``; ``demand``: DEMAND_COLUMNS; ``demand_monthly``: month, requests
    (last 24 months) for a trend chart.
    """

    region: dict
    program: dict | None
    kpis: pd.DataFrame
    projects: pd.DataFrame
    instruction_counts: dict
    demand: pd.DataFrame
    demand_monthly: pd.DataFrame
    today: dt.date


@by_data_version()
def build_region(ctx: Context, code: str) -> RegionView | None:
    """The region ``code`` (case-insensitive); None when unknown. A region-scoped viewer sees its own
    region's operational rows only: another region's page shows comparison data (KPIs) and no projects,
    instructions or requests.

    KPIs: the regional goals of the territorial program and the regional headline goals of the national
    plan in force (the newest portfolio started by ``ctx.today``), assessed for the region (its values
    and targets; one row per indicator, the program's goal first); rank among the regions valid in the
    period of the region's latest value; ``gap`` = value − national value, signed so that positive is
    better than the nation (``kpi.regions.gap_to_national``'s advantage; None for counts, whose national
    value is the total of the regions). Projects: health from SPI and
    CPI (:func:`services.projects.project_earned_value`), worst first. Demand: the last 12 months up to
    ``ctx.today`` against the 12 before, counted in SQL; ``demand_monthly``: the last 24 complete months."""
    engine, viewer, lang, today = ctx.engine, ctx.viewer, ctx.lang, ctx.today
    all_regions = queries.regions(engine, lang=lang)
    code = normalise_code(code)
    mine = all_regions[all_regions["code"] == code]
    if mine.empty:
        return None
    unit = mine.iloc[0]
    people = queries.population(engine, region=code)
    people = people[people["year"] <= today.year]
    region = {
        "code": code, "name": unit["name"], "level": unit["level"], "valid_from": unit["valid_from"],
        "valid_to": unit["valid_to"], "centre": unit["centre"],
        "area_km2": float(unit["area_km2"]) if pd.notna(unit["area_km2"]) else None,
        "population": int(people["population"].iloc[-1]) if not people.empty else None,
        "population_year": int(people["year"].iloc[-1]) if not people.empty else None,
        "predecessor": ", ".join(mine["predecessor"].dropna()) or None,
        "predecessor_name": ", ".join(mine["predecessor_name"].dropna()) or None,
        "since": mine["since"].dropna().iloc[0] if mine["since"].notna().any() else None,
    }
    program, kpis = _program_and_kpis(ctx, code, all_regions)
    in_scope = viewer.region is None or normalise_code(viewer.region) == code
    counts = queries.instruction_counts(engine, viewer, today=today, region=code) if in_scope else None
    counts = counts.iloc[0] if counts is not None and not counts.empty else None
    demand, monthly = _demand(ctx, code, region["population"]) if in_scope else _no_demand()
    return RegionView(
        region=region,
        program=program,
        kpis=kpis,
        projects=_projects(ctx, code) if in_scope else pd.DataFrame(columns=list(REGION_PROJECT_COLUMNS)),
        instruction_counts={key: int(counts[key]) if counts is not None else 0
                            for key in ("total", "done", "open", "overdue")},
        demand=demand,
        demand_monthly=monthly,
        today=today,
    )


def _plan_in_force(ctx: Context) -> str | None:
    portfolios = queries.portfolios(ctx.engine, ctx.viewer, lang=ctx.lang)
    started = portfolios[[start is None or start <= ctx.today for start in portfolios["start_date"]]]
    chosen = started if not started.empty else portfolios
    return None if chosen.empty else str(chosen.iloc[0]["code"])


def _program_and_kpis(ctx: Context, code: str, all_regions: pd.DataFrame) -> tuple[dict | None, pd.DataFrame]:
    engine, viewer, lang = ctx.engine, ctx.viewer, ctx.lang
    programs = queries.region_programs(engine, viewer, code, lang=lang)
    territorial = programs[programs["kind"] == "territorial_program"]
    program = (territorial if not territorial.empty else programs).head(1)
    program_code = program["code"].iloc[0] if not program.empty else None
    plan = _plan_in_force(ctx)
    goals = queries.goals(engine, viewer, [c for c in (program_code, plan) if c], lang=lang)
    own = goals[goals["node"] == program_code]
    national = goals[(goals["node"] == plan) & goals["headline"].astype(bool) & goals["regional"].astype(bool)]
    # the program's goals as its page assesses them; the plan's headline goals for this region (its
    # values, its baseline value, its targets where set)
    assessed = _together(assess_goals(ctx, own), assess_goals(ctx, national, region=code))
    program_goals = assessed.goals[assessed.goals["node"] == program_code]
    info = None
    if program_code is not None:
        row = program.iloc[0]
        owners = queries.accountable(engine, viewer, [program_code], on=ctx.today, lang=lang)
        owner = owners.iloc[0] if not owners.empty else None
        info = {"code": program_code, "name": row["name"], **roll_up_goals(ctx, program_goals),
                "owner": owner["official"] if owner is not None else None,
                "owner_name": owner["name"] if owner is not None else None,
                "owner_post": owner["post"] if owner is not None else None}
    kpi_goals = assessed.goals[assessed.goals["region"] == code]
    kpi_goals = kpi_goals[kpi_goals["indicator"].isin(set(own[own["regional"].astype(bool)]["indicator"])
                                                      | set(national["indicator"]))]
    kpi_goals = kpi_goals.drop_duplicates("indicator", keep="first")  # the program's goal first
    sums = set(goals.loc[goals["aggregation"] == "sum", "indicator"])
    return info, _kpi_rows(ctx, code, kpi_goals, assessed.series, all_regions, sums)


def _together(*parts: AssessedGoals) -> AssessedGoals:
    def joined(name: str) -> pd.DataFrame:
        frames = [getattr(part, name) for part in parts if not getattr(part, name).empty]
        return pd.concat(frames, ignore_index=True) if frames else getattr(parts[0], name)

    return AssessedGoals(joined("goals"), joined("series"), joined("trajectories"))


def _kpi_rows(ctx: Context, code: str, goals: pd.DataFrame, series: pd.DataFrame, all_regions: pd.DataFrame,
              sums: set[str]) -> pd.DataFrame:
    if goals.empty:
        return pd.DataFrame(columns=list(REGION_KPI_COLUMNS))
    starts = [s for s in goals["latest_period_start"] if s is not None and not pd.isna(s)]
    values = (queries.regional_values(ctx.engine, ctx.viewer, goals["indicator"].unique(), period_starts=starts,
                                      as_of=ctx.as_of) if starts else pd.DataFrame(columns=list(queries.SERIES_COLUMNS)))
    units = all_regions.drop_duplicates("code").reset_index(drop=True)
    rows = []
    for _, goal in goals.iterrows():
        start = goal["latest_period_start"]
        national = rank = of_regions = gap = None
        if start is not None and not pd.isna(start):
            here = values[(values["indicator"] == goal["indicator"]) & (values["period_start"] == pd.Timestamp(start))]
            nation = here[here["region"] == NATION]
            national = float(nation["value"].iloc[0]) if not nation.empty else None
            ranked = rank_regions(here[here["region"] != NATION], units, period_start=start,
                                  frequency=goal["frequency"], direction=goal["direction"])
            ranked = gap_to_national(ranked, national, direction=goal["direction"]).set_index("region")
            if code in ranked.index and pd.notna(ranked.loc[code, "rank"]):
                rank = int(ranked.loc[code, "rank"])
                comparable = goal["indicator"] not in sums and pd.notna(ranked.loc[code, "advantage"])
                gap = float(ranked.loc[code, "advantage"]) if comparable else None
            of_regions = int(ranked["rank"].notna().sum())
        history = series[(series["indicator"] == goal["indicator"]) & (series["region"] == code)]
        history = history.tail(SPARK_PERIODS[goal["frequency"]])
        rows.append({
            "indicator": goal["indicator"], "name": goal["name"], "unit": goal["unit"],
            "unit_label": ctx.t(f"unit.{goal['unit']}"), "decimals": int(goal["decimals"]),
            "direction": goal["direction"], "period": goal["latest_period"], "value": goal["latest_value"],
            "national_value": national, "gap": gap, "rank": rank, "of_regions": of_regions,
            "status": goal["status"], "reason_text": goal["reason_text"], "target_value": goal["target_value"],
            "target_year": goal["target_year"], "spark_periods": list(history["period_start"]),
            "spark_values": list(history["value"]),
        })
    return pd.DataFrame(rows, columns=list(REGION_KPI_COLUMNS))


def _projects(ctx: Context, code: str) -> pd.DataFrame:
    engine, viewer, lang, today = ctx.engine, ctx.viewer, ctx.lang, ctx.today
    projects = queries.projects_in_region(engine, viewer, code, lang=lang)
    if projects.empty:
        return pd.DataFrame(columns=list(REGION_PROJECT_COLUMNS))
    stones = queries.milestones(engine, viewer, region=code, today=today, lang=lang)
    lines = queries.budget_lines(engine, viewer, region=code, today=today)
    owners = queries.accountable(engine, viewer, projects["code"], on=today, lang=lang).set_index("node")
    overdue = (milestone_states(stones, today=today).query("state == 'overdue'").groupby("project").size()
               if not stones.empty else pd.Series(dtype=int))
    stones_of = dict(tuple(stones.groupby("project")))
    lines_of = dict(tuple(lines.groupby("project")))
    empty_stones, empty_lines = stones.iloc[0:0], lines.iloc[0:0]
    rows = []
    for _, project in projects.iterrows():
        mine = stones_of.get(project["code"], empty_stones)
        value, health = project_earned_value(project.to_dict(), mine, lines_of.get(project["code"], empty_lines), today)
        overall = health_fields(ctx, health)["health"]
        owner = owners.loc[project["code"]] if project["code"] in owners.index else None
        rows.append({
            "code": project["code"], "name": project["name"], "program": project["parent"],
            "program_name": project["parent_name"], "state": project["state"], "status": overall["status"],
            "reason_text": overall["reason_text"], "spi": value["spi"], "cpi": value["cpi"],
            "execution_to_date": value["execution_to_date"],
            "milestones_overdue": int(overdue.get(project["code"], 0)),
            "owner_name": owner["name"] if owner is not None else None,
            "owner_post": owner["post"] if owner is not None else None,
            "end_date": project["end_date"],
        })
    frame = pd.DataFrame(rows, columns=list(REGION_PROJECT_COLUMNS))
    order = frame["status"].map(STATUS_ORDER.index)
    return frame.assign(_order=order).sort_values(["_order", "code"]).drop(columns="_order").reset_index(drop=True)


def _no_demand() -> tuple[pd.DataFrame, pd.DataFrame]:
    return (pd.DataFrame(columns=list(DEMAND_COLUMNS)),
            pd.DataFrame({"month": pd.Series(dtype="datetime64[ns]"), "requests": pd.Series(dtype=int)}))


def _demand(ctx: Context, code: str, people: int | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Requests by topic over the last 12 months (per 10,000 people, growth against the 12 months
    before, share resolved on time) and per month over the last 24 complete months."""
    engine, viewer, lang, today = ctx.engine, ctx.viewer, ctx.lang, ctx.today
    if not viewer.sees_requests:
        return _no_demand()
    year_ago = add_months(today, -12)
    since = year_ago + dt.timedelta(days=1)
    before = add_months(today, -24) + dt.timedelta(days=1)
    current = queries.citizen_demand_counts(engine, viewer, code, since, today, today=today, lang=lang)
    previous = queries.citizen_demand_counts(engine, viewer, code, before, year_ago, today=today, lang=lang)
    names = {**previous.set_index("topic")["topic_name"].to_dict(), **current.set_index("topic")["topic_name"].to_dict()}
    topics = sorted(names)
    now = current.set_index("topic").reindex(topics)
    requests = now["requests"].fillna(0).astype(int)
    # both windows as two consecutive 12-month periods, every topic in both (zeros count: a fall to zero)
    first, second = pd.Timestamp(before), pd.Timestamp(before) + pd.DateOffset(months=12)
    earlier = previous.set_index("topic")["requests"].reindex(topics, fill_value=0)
    counts = pd.DataFrame({"period_start": [first] * len(topics) + [second] * len(topics), "region": code,
                           "topic": topics * 2, "requests": [*earlier.astype(int), *requests]})
    grown = requests_growth(counts, frequency="Y")
    grown = grown[grown["period_start"] == second].set_index("topic")
    population = pd.DataFrame({"region": [code], "year": [today.year], "population": [people]})
    rates = requests_per_capita(pd.DataFrame({"period_start": pd.Timestamp(today), "region": code, "topic": topics,
                                              "requests": requests.to_numpy()}), population, per=PER_CAPITA_BASE)
    due = now["due"].fillna(0).to_numpy(dtype=float)
    on_time = now["on_time"].fillna(0).to_numpy(dtype=float)
    demand = pd.DataFrame({
        "topic": topics, "topic_name": [names[topic] for topic in topics], "requests": requests.to_numpy(),
        "per_10k": rates["per_capita"].to_numpy(),
        "growth": grown["growth"].reindex(topics).to_numpy(dtype=float),
        "resolved_on_time_share": [o / d if d else float("nan") for o, d in zip(on_time, due)],
    }, columns=list(DEMAND_COLUMNS))
    demand = demand.sort_values(["requests", "topic"], ascending=[False, True]).reset_index(drop=True)

    this_month = today.replace(day=1)
    first_month = add_months(this_month, -24)
    monthly = queries.citizen_requests_monthly(engine, viewer, code, first_month, this_month - dt.timedelta(days=1))
    months = pd.date_range(first_month, periods=24, freq="MS")
    trend = (monthly.set_index("month")["requests"].reindex(months, fill_value=0).rename_axis("month").reset_index())
    return demand, trend.astype({"requests": int})
