"""Citizen demand: requests per capita, their growth, and the share resolved on time.

- per capita = requests / population * ``per`` (``per`` = 10,000 by default, or 100,000), the
  region's population of the same calendar year as the period (NaN without it).
- growth = (requests - previous) / previous, where previous is the count of the same region
  and topic in the period immediately before (a period with no row counts 0 requests); NaN when
  previous is 0. Only periods present in the counts get a row: pass zeros to see falls to zero.
- resolved on time: among requests whose due date is before ``today`` (they can be judged), the
  share with ``resolved_date <= due_date``. Requests still within their due date are left out.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from kpi.periods import MONTHS_PER_PERIOD, Frequency, as_date, check_frequency, period_starts
from kpi.regions import per_capita

DEMAND_GROUP_COLUMNS: tuple[str, ...] = ("region", "topic")


def requests_per_capita(counts: pd.DataFrame, population: pd.DataFrame, *, per: int = 10_000) -> pd.DataFrame:
    """``counts`` (``period_start``, ``region``, ``topic``, ``requests``) with ``population`` and ``per_capita``.

    ``population``: ``region``, ``year``, ``population``. ``per_capita`` is requests per ``per`` people.
    """
    return per_capita(counts, population, per=per, value_column="requests")


def count_requests(requests: pd.DataFrame, *, frequency: Frequency) -> pd.DataFrame:
    """Requests (``created``, ``region``, ``topic``) counted by period of ``frequency``, region and topic.

    Columns ``period_start`` (datetime64), ``region``, ``topic``, ``requests``.
    """
    periods = period_starts(requests["created"], frequency)
    counted = requests.assign(period_start=periods).groupby(["period_start", *DEMAND_GROUP_COLUMNS]).size()
    return counted.rename("requests").reset_index()


def requests_growth(counts: pd.DataFrame, *, frequency: Frequency) -> pd.DataFrame:
    """``counts`` with ``previous`` (requests in the period before) and ``growth`` (a fraction)."""
    check_frequency(frequency)
    keys = ["period_start", *DEMAND_GROUP_COLUMNS]
    if counts.duplicated(keys).any():
        raise ValueError("counts have more than one row for a period, region and topic")
    starts = pd.to_datetime(counts["period_start"])
    earlier = counts[[*DEMAND_GROUP_COLUMNS, "requests"]].assign(
        period_start=starts + pd.DateOffset(months=MONTHS_PER_PERIOD[frequency])
    ).rename(columns={"requests": "previous"})
    joined = counts.assign(period_start=starts).merge(earlier, on=keys, how="left")
    previous = joined["previous"].fillna(0).to_numpy(dtype=float)
    current = pd.to_numeric(joined["requests"]).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(previous > 0, (current - previous) / previous, np.nan)
    return counts.assign(previous=previous, growth=growth)


def resolved_on_time(requests: pd.DataFrame, *, today: date, by: tuple[str, ...] = DEMAND_GROUP_COLUMNS) -> pd.DataFrame:
    """Per group of ``by``: ``due`` (requests past their due date), ``on_time`` and ``share`` = on_time / due.

    ``requests`` has ``due_date``, ``resolved_date`` (missing: not resolved) and the ``by`` columns.
    """
    moment = pd.Timestamp(as_date(today))
    due_date = pd.to_datetime(requests["due_date"])
    resolved = pd.to_datetime(requests["resolved_date"])
    past_due = due_date < moment
    on_time = resolved <= due_date  # an unresolved request (NaT) is not on time
    judged = requests.loc[past_due, list(by)].assign(on_time=on_time[past_due].astype(int))
    table = judged.groupby(list(by)).agg(due=("on_time", "size"), on_time=("on_time", "sum")).reset_index()
    return table.assign(share=table["on_time"] / table["due"])
