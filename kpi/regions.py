"""Regional comparison: per-capita values, ranking of the regions valid in a period, gap to the nation.

- per capita = value / population * ``per`` (``per`` = 10,000 or 100,000 people), with the
  region's population of the same calendar year as the period; none (NaN) without it.
- ranking: only regions whose validity (``valid_from`` .. ``valid_to``, both inclusive, a
  missing ``valid_to`` open-ended) overlaps the period; rank 1 is the best in the indicator's
  direction (highest for ``up``, lowest for ``down``); ties share the best rank ("min");
  regions without a value are listed with no rank.
- gap to the national value: ``gap = value - national``;
  ``advantage = gap`` for ``up`` and ``-gap`` for ``down`` (positive = better than the nation);
  ``relative_gap = gap / |national|`` (NaN when the national value is 0 or missing).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from kpi._values import float_or_none
from kpi.periods import Frequency, as_date, period_end
from kpi.progress import DIRECTION_SIGN, Direction, check_direction

PER_CAPITA_BASES: tuple[int, ...] = (10_000, 100_000)


def per_capita(
    values: pd.DataFrame, population: pd.DataFrame, *, per: int = 10_000, value_column: str = "value"
) -> pd.DataFrame:
    """``values`` (``region``, ``period_start``, ``value_column``) with ``population`` and ``per_capita``.

    ``population`` has ``region``, ``year``, ``population`` (people). Units of ``per_capita``:
    the value's units per ``per`` people.
    """
    if per not in PER_CAPITA_BASES:
        raise ValueError(f"per must be one of {PER_CAPITA_BASES}, not {per!r}")
    years = pd.to_datetime(values["period_start"]).dt.year
    lookup = population.set_index(["region", "year"])["population"]
    if lookup.index.duplicated().any():
        raise ValueError("population has more than one figure for a region and year")
    people = lookup.reindex(pd.MultiIndex.from_arrays([values["region"], years])).to_numpy(dtype=float, na_value=np.nan)
    amounts = pd.to_numeric(values[value_column]).to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.where(people > 0, amounts / people * per, np.nan)
    return values.assign(population=people, per_capita=rates)


def regions_valid_in(regions: pd.DataFrame, period_start: date, frequency: Frequency) -> pd.DataFrame:
    """The rows of ``regions`` (``code``, ``valid_from``, ``valid_to``) valid at some time in the period."""
    first, last = pd.Timestamp(as_date(period_start)), pd.Timestamp(period_end(period_start, frequency))
    valid_from = pd.to_datetime(regions["valid_from"])
    valid_to = pd.to_datetime(regions["valid_to"])
    overlaps = (valid_from.isna() | (valid_from <= last)) & (valid_to.isna() | (valid_to >= first))
    return regions.loc[overlaps]


def rank_regions(
    values: pd.DataFrame,
    regions: pd.DataFrame,
    *,
    period_start: date,
    frequency: Frequency,
    direction: Direction,
    value_column: str = "value",
) -> pd.DataFrame:
    """Rank the regions valid in the period by ``value_column`` of ``values`` (``region``, one period).

    Returns ``region``, the value column and ``rank`` (nullable Int64), best first, unranked last.
    """
    check_direction(direction)
    valid = regions_valid_in(regions, period_start, frequency)["code"].rename("region")
    ranked = pd.merge(valid.to_frame(), values[["region", value_column]], on="region", how="left")
    if ranked["region"].duplicated().any():
        raise ValueError("values have more than one row for a region")
    scores = pd.to_numeric(ranked[value_column]).astype(float)
    rank = scores.rank(method="min", ascending=direction == "down").astype("Int64")
    return ranked.assign(rank=rank).sort_values(["rank", "region"], na_position="last").reset_index(drop=True)


def gap_to_national(
    values: pd.DataFrame, national: float | None, *, direction: Direction, value_column: str = "value"
) -> pd.DataFrame:
    """``values`` with ``gap``, ``advantage`` and ``relative_gap`` to the ``national`` value (see module)."""
    check_direction(direction)
    nation = float_or_none(national)
    amounts = pd.to_numeric(values[value_column]).to_numpy(dtype=float, na_value=np.nan)
    gap = amounts - (np.nan if nation is None else nation)
    relative = gap / abs(nation) if nation else np.full(len(values), np.nan)
    return values.assign(gap=gap, advantage=gap * DIRECTION_SIGN[direction], relative_gap=relative)
