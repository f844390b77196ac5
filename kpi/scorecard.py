"""Accountability scorecard: one row per official, now and at the end of the previous quarter.

Inputs (``goal`` is the opaque key of a goal, e.g. indicator and node):

- ``responsibilities``: ``official``, ``goal``, ``valid_from``, ``valid_to`` (both inclusive;
  missing ``valid_to`` = still held). A goal is held on a date inside that span.
- ``statuses``: ``goal``, ``status`` as of ``today``; ``previous_statuses`` the same as of the
  previous quarter's end (``kpi.periods.previous_quarter_end(today)``). A goal missing from a
  status frame counts as ``no_data``.
- ``instructions``: ``official`` (whom the instruction counts against: the assignee, or the
  owner it escalated to), ``due_date``, ``done_date``, and optionally ``escalated`` (True on the row
  that counts an instruction against the owner it escalated to). An instruction is overdue on a date
  when ``due_date`` is before it and it was not done by then.

Per official and date: ``goals`` held; ``share_<status>`` = goals in that status / goals held,
for every status of :data:`kpi.status.STATUS_ORDER`; ``off_track_share`` = goals in
:data:`kpi.status.OFF_TRACK` / goals held (NaN with no goals); ``overdue_instructions``; with an
``escalated`` column also ``overdue_escalated`` (of those, the escalated ones) and ``overdue_own``
(the rest).
The previous quarter's figures carry the suffix ``_previous``; the changes are
``off_track_share_change`` (now - previous, a share) and ``overdue_instructions_change``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from kpi.periods import as_date, previous_quarter_end
from kpi.status import OFF_TRACK, STATUS_ORDER


def _held_on(responsibilities: pd.DataFrame, day: date) -> pd.DataFrame:
    moment = pd.Timestamp(day)
    valid_from = pd.to_datetime(responsibilities["valid_from"])
    valid_to = pd.to_datetime(responsibilities["valid_to"])
    held = (valid_from.isna() | (valid_from <= moment)) & (valid_to.isna() | (valid_to >= moment))
    return responsibilities.loc[held, ["official", "goal"]].drop_duplicates()


def _overdue_on(instructions: pd.DataFrame, day: date) -> pd.DataFrame:
    moment = pd.Timestamp(day)
    due = pd.to_datetime(instructions["due_date"])
    done = pd.to_datetime(instructions["done_date"])
    overdue = instructions.loc[(due < moment) & (done.isna() | (done > moment))]
    counts = pd.DataFrame({"overdue_instructions": overdue.groupby("official").size()})
    if "escalated" in instructions:
        escalated = overdue["escalated"].fillna(False).astype(bool)
        counts["overdue_escalated"] = overdue.loc[escalated].groupby("official").size()
        counts["overdue_own"] = overdue.loc[~escalated].groupby("official").size()
    return counts


def _figures_on(responsibilities: pd.DataFrame, statuses: pd.DataFrame, instructions: pd.DataFrame,
                officials: pd.Index, day: date) -> pd.DataFrame:
    keyed = {"goal": object}  # empty frames come typed float: compare keys as plain objects
    held = _held_on(responsibilities, day).astype(keyed).merge(
        statuses[["goal", "status"]].astype(keyed), on="goal", how="left"
    )
    held["status"] = held["status"].fillna("no_data")
    counts = pd.crosstab(held["official"], held["status"]).reindex(index=officials, columns=list(STATUS_ORDER), fill_value=0)
    goals = counts.sum(axis=1)
    shares = counts.div(goals.where(goals > 0), axis=0).add_prefix("share_")
    overdue = _overdue_on(instructions, day).reindex(officials).fillna(0).astype(int)
    figures = shares.assign(
        goals=goals,
        off_track_share=counts[sorted(OFF_TRACK)].sum(axis=1) / goals.where(goals > 0),
        **{column: overdue[column] for column in overdue.columns},
    )
    return figures[["goals", *shares.columns, "off_track_share", *overdue.columns]]


def scorecard(
    responsibilities: pd.DataFrame,
    statuses: pd.DataFrame,
    previous_statuses: pd.DataFrame,
    instructions: pd.DataFrame,
    *,
    today: date,
) -> pd.DataFrame:
    """One row per official (``official`` column, sorted) with the figures of the module docstring."""
    today = as_date(today)
    officials = pd.Index(
        sorted(set(responsibilities["official"]) | set(instructions["official"])), name="official"
    )
    now = _figures_on(responsibilities, statuses, instructions, officials, today)
    before = _figures_on(responsibilities, previous_statuses, instructions, officials, previous_quarter_end(today))
    table = now.join(before.add_suffix("_previous")).assign(
        off_track_share_change=now["off_track_share"] - before["off_track_share"],
        overdue_instructions_change=now["overdue_instructions"] - before["overdue_instructions"],
    )
    return table.rename_axis(columns=None).reset_index()
