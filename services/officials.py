"""Officials' scorecards for ``/officials`` and ``/officials/<code>``: what each official is (and was)
accountable for, how those goals stand, and the instructions that count against them.

Goals are assessed by :func:`services.goals.assess_goals` only: on ``ctx.today`` for the goals held now,
and the same assessment as of the end of the previous calendar quarter (``ctx`` with ``today`` and
``as_of`` moved there) for the change since then. The figures per official come from
:func:`kpi.scorecard.scorecard`; who holds which goal, and whom an overdue instruction escalates to,
from :mod:`data_sources.accountability`.

Portfolio and program goals are political (their owners are political servants), project goals
administrative (:data:`GOAL_KINDS`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from data_sources import accountability, queries
from kpi.periods import previous_quarter_end
from kpi.scorecard import scorecard
from kpi.status import STATUS_ORDER
from services.cache import by_data_version
from services.catalogue import unit_label
from services.commentary import commentary_for_official, current_commentary
from services.context import Context, end_of_day
from services.goals import ASSESSED_COLUMNS, assess_goals
from services.instructions import overdue_for

#: Whose kind of goal a node's goal is, by the node's level.
GOAL_KINDS = {"portfolio": "political", "program": "political", "project": "administrative"}
SHARE_COLUMNS = tuple(f"share_{status}" for status in STATUS_ORDER)
#: Figures of an official (from ``kpi.scorecard``): now, at the previous quarter's end, the change.
FIGURE_COLUMNS = (
    "goals", *SHARE_COLUMNS, "off_track_share", "overdue_instructions", "overdue_escalated", "overdue_own",
    "goals_previous", "off_track_share_previous", "overdue_instructions_previous", "off_track_share_change",
    "overdue_instructions_change",
)
#: One row per official on ``/officials``: who they are, nodes held now, their figures.
LIST_COLUMNS = (*accountability.OFFICIAL_COLUMNS, "nodes", *FIGURE_COLUMNS)
#: One row per goal held: where it sits, since / until when, political or administrative, and its
#: assessment (status, reason, latest value and target) now — for goals held before, as known when
#: the official handed it over — plus ``previous_status`` at the previous quarter's end.
HELD_COLUMNS = (
    "node", "node_level", "node_name", "goal_id", "indicator", "name", "for_goal", "valid_from", "valid_to",
    "goal_kind", "status", "reason_text", "previous_status", "latest_value", "latest_period", "target_value",
    "target_year", "unit", "unit_label", "decimals", "progress",
)
#: Nodes held now without a goal of the official's own (a portfolio whose goals are each a minister's).
NODE_COLUMNS = ("node", "node_level", "node_name", "valid_from", "goal_kind")


@dataclass(frozen=True)
class Scorecard:
    """What ``/officials/<code>`` shows.

    ``official``: :data:`accountability.OFFICIAL_COLUMNS`; ``figures``: :data:`FIGURE_COLUMNS`;
    ``goals`` (held now) and ``before`` (held earlier, newest first): :data:`HELD_COLUMNS`;
    ``nodes``: :data:`NODE_COLUMNS`; ``own_overdue`` / ``escalated_overdue``: the overdue instructions
    counting against the official (``services.instructions.LIST_COLUMNS``); ``words``: the current word
    (``services.commentary.WORD_COLUMNS``) on each goal and node held now, by whoever gave it;
    ``recovery``: the official's own current words with a recovery action — ``{"actions", "overdue"}``
    (due before ``ctx.today``); ``previous_quarter_end``: the date of the ``_previous`` figures."""

    official: dict
    figures: dict
    goals: pd.DataFrame
    before: pd.DataFrame
    nodes: pd.DataFrame
    own_overdue: pd.DataFrame
    escalated_overdue: pd.DataFrame
    words: pd.DataFrame
    recovery: dict
    previous_quarter_end: dt.date


def at_day(ctx: Context, day: dt.date) -> Context:
    """``ctx`` moved to ``day``: statuses on that day, as the data were known at its end."""
    return dataclasses.replace(ctx, today=day, as_of=end_of_day(day))


def held_on(holdings: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """The holdings rows valid on ``day`` (``valid_from <= day <= valid_to``, open end = still held)."""
    valid_from, valid_to = pd.to_datetime(holdings["valid_from"]), pd.to_datetime(holdings["valid_to"])
    moment = pd.Timestamp(day)
    return holdings[(valid_from <= moment) & (valid_to.isna() | (valid_to >= moment))]


def _assessed(ctx: Context, holdings: pd.DataFrame) -> pd.DataFrame:
    """The goals of ``holdings`` assessed in ``ctx``, indexed by ``goal_id`` (:data:`ASSESSED_COLUMNS`)."""
    wanted = holdings[holdings["goal_id"].notna()]
    if wanted.empty:
        return pd.DataFrame(columns=list(ASSESSED_COLUMNS)).set_index("goal_id")
    goals = queries.goals(ctx.engine, ctx.viewer, wanted["node"].unique(), lang=ctx.lang)
    goals = goals[goals["goal_id"].isin(set(wanted["goal_id"].astype(int)))].reset_index(drop=True)
    return assess_goals(ctx, goals).goals.set_index("goal_id")


def _statuses(assessed: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"goal": assessed.index.astype(int), "status": assessed["status"].to_numpy()})


def _duties(duties: pd.DataFrame) -> pd.DataFrame:
    """Instruction rows per official they count against (``kpi.scorecard``): the assignee's own, and
    the escalation owner's (``escalated``)."""
    own = duties.assign(official=duties["assignee"], escalated=False)
    escalated = duties[duties["escalation_owner"].notna()].assign(official=lambda f: f["escalation_owner"],
                                                                 escalated=True)
    return pd.concat([own, escalated], ignore_index=True)[["official", "due_date", "done_date", "escalated"]]


def _figures(ctx: Context, holdings: pd.DataFrame, now: pd.DataFrame, before: pd.DataFrame,
             duties: pd.DataFrame) -> pd.DataFrame:
    """``kpi.scorecard`` of the officials in ``holdings`` and ``duties``, indexed by official code."""
    held = holdings[holdings["goal_id"].notna()]
    responsibilities = pd.DataFrame({"official": held["official"], "goal": held["goal_id"].astype(int),
                                     "valid_from": pd.to_datetime(held["valid_from"]),
                                     "valid_to": pd.to_datetime(held["valid_to"])})
    table = scorecard(responsibilities, _statuses(now), _statuses(before), _duties(duties), today=ctx.today)
    return table.set_index("official")


def _zero_figures() -> dict:
    return {column: (0 if column.startswith(("goals", "overdue")) else float("nan")) for column in FIGURE_COLUMNS}


#: The language the list's figures are computed in: they hold no words, so every language shares them.
FIGURES_LANG = "en"


@by_data_version()
def _everyone(ctx: Context) -> pd.DataFrame:
    """:data:`FIGURE_COLUMNS` and ``nodes`` (held now) of every official the viewer may see with a
    responsibility or an instruction counting against them, indexed by official code."""
    engine, viewer, today = ctx.engine, ctx.viewer, ctx.today
    holdings = accountability.holdings(engine, viewer, lang=ctx.lang)
    quarter_end = previous_quarter_end(today)
    current = held_on(holdings, today)
    now = _assessed(ctx, current)
    before = _assessed(at_day(ctx, quarter_end), held_on(holdings, quarter_end))
    duties = accountability.instruction_duties(engine, viewer, today=today, since=quarter_end)
    figures = _figures(ctx, holdings, now, before, duties).reindex(columns=list(FIGURE_COLUMNS))
    return figures.assign(nodes=current.groupby("official")["node"].nunique())


def build_officials(ctx: Context) -> pd.DataFrame:
    """Every official the viewer may see with their figures (:data:`LIST_COLUMNS`), political servants
    first, then by name. The figures are computed once for every language (:data:`FIGURES_LANG`)."""
    people = accountability.officials(ctx.engine, ctx.viewer, lang=ctx.lang)
    figures = _everyone(dataclasses.replace(ctx, lang=FIGURES_LANG)).reindex(people["code"])
    counts = [column for column, value in _zero_figures().items() if value == 0] + ["nodes"]
    figures = figures.fillna({column: 0 for column in counts}).astype({column: int for column in counts})
    table = people.assign(**{column: figures[column].to_numpy() for column in ("nodes", *FIGURE_COLUMNS)})
    return table[list(LIST_COLUMNS)].reset_index(drop=True)


def search_officials(officials: pd.DataFrame, text: str | None = None, *, kind: str | None = None,
                     region: str | None = None) -> pd.DataFrame:
    """The rows of :func:`build_officials` whose name, post, code or agency contains ``text`` (any case),
    of ``kind`` (political | administrative) and of ``region`` (a code), each when given."""
    mask = pd.Series(True, index=officials.index)
    words = (text or "").casefold().split()
    if words:
        haystack = (officials["name"].fillna("") + " " + officials["post"].fillna("") + " " + officials["code"]
                    + " " + officials["agency_name"].fillna("")).str.casefold()
        for word in words:
            mask &= haystack.str.contains(word, regex=False)
    if kind:
        mask &= officials["kind"] == kind
    if region:
        mask &= officials["region"] == region.strip().upper()
    return officials[mask].reset_index(drop=True)


def _held_frame(ctx: Context, rows: pd.DataFrame, assessed: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Holdings rows with goals, with their assessment and the previous quarter's status (:data:`HELD_COLUMNS`)."""
    rows = rows[rows["goal_id"].notna()]
    if rows.empty:
        return pd.DataFrame(columns=list(HELD_COLUMNS))
    ids = rows["goal_id"].astype(int)
    pick = lambda frame, column: [frame.at[i, column] if i in frame.index else None for i in ids]  # noqa: E731
    frame = rows.assign(
        goal_id=ids, name=rows["goal_name"], goal_kind=rows["node_level"].map(GOAL_KINDS),
        **{column: pick(assessed, column) for column in ("status", "reason_text", "latest_value", "latest_period",
                                                         "target_value", "target_year", "unit", "decimals",
                                                         "progress")},
        previous_status=pick(previous, "status"),
    )
    frame["status"] = frame["status"].fillna("no_data")
    frame["unit_label"] = [unit_label(unit, ctx.t) if isinstance(unit, str) else "" for unit in frame["unit"]]
    return frame[list(HELD_COLUMNS)].reset_index(drop=True)


def _at_handover(ctx: Context, before: pd.DataFrame) -> pd.DataFrame:
    """The goals held before, each assessed as known at the end of the day it was handed over."""
    frames = [_held_frame(ctx, rows, _assessed(at_day(ctx, day), rows), pd.DataFrame(columns=["status"]))
              for day, rows in before[before["goal_id"].notna()].groupby("valid_to")]
    if not frames:
        return pd.DataFrame(columns=list(HELD_COLUMNS))
    return (pd.concat(frames, ignore_index=True).sort_values(["valid_to", "node", "indicator"],
                                                              ascending=[False, True, True])
            .reset_index(drop=True))


def _by_status(goals: pd.DataFrame) -> pd.DataFrame:
    """Worst status first, then by node and indicator."""
    if goals.empty:
        return goals
    order = goals["status"].map(STATUS_ORDER.index)
    return (goals.assign(_order=order).sort_values(["_order", "node", "indicator"]).drop(columns="_order")
            .reset_index(drop=True))


@by_data_version()
def build_scorecard(ctx: Context, code: str) -> Scorecard | None:
    """The scorecard of official ``code`` (case-insensitive), or None when there is no such official
    or the viewer may not see them."""
    engine, viewer, today = ctx.engine, ctx.viewer, ctx.today
    people = accountability.officials(engine, viewer, codes=[code], lang=ctx.lang)
    if people.empty:
        return None
    official = people.iloc[0].to_dict()
    holdings = accountability.holdings(engine, viewer, officials=[official["code"]], lang=ctx.lang)
    quarter_end = previous_quarter_end(today)
    current, at_quarter_end = held_on(holdings, today), held_on(holdings, quarter_end)
    now = _assessed(ctx, current)
    previous = _assessed(at_day(ctx, quarter_end), pd.concat([current, at_quarter_end]))
    duties = accountability.instruction_duties(engine, viewer, today=today, since=quarter_end,
                                               officials=[official["code"]])
    table = _figures(ctx, holdings, now, previous, duties)
    figures = _zero_figures()
    if official["code"] in table.index:
        figures.update({column: table.at[official["code"], column] for column in FIGURE_COLUMNS
                        if column in table.columns})
    own, escalated = overdue_for(ctx, official["code"])
    ended = holdings[pd.to_datetime(holdings["valid_to"]) < pd.Timestamp(today)]
    nodes = current[current["goal_id"].isna()].assign(goal_kind=lambda f: f["node_level"].map(GOAL_KINDS))
    goals = _by_status(_held_frame(ctx, current, now, previous))
    return Scorecard(
        official=official, figures=figures, goals=goals, before=_at_handover(ctx, ended),
        nodes=nodes[list(NODE_COLUMNS)].reset_index(drop=True),
        own_overdue=own, escalated_overdue=escalated,
        words=current_commentary(ctx, pd.concat([goals[["node", "indicator"]],
                                                 nodes[["node"]].assign(indicator=None)], ignore_index=True)),
        recovery=_recovery(commentary_for_official(ctx, official["code"])), previous_quarter_end=quarter_end,
    )


def _recovery(words: pd.DataFrame) -> dict:
    """How many of the official's current words carry a recovery action, and how many of those are overdue."""
    acting = words[words["current"].astype(bool) & words["recovery_action"].notna()]
    return {"actions": int(len(acting)), "overdue": int(acting["overdue"].astype(bool).sum())}


#: Orders of the officials list: political servants first then by name, most off track first, most
#: overdue instructions first.
SORTS = ("name", "off_track", "overdue")


def sort_officials(officials: pd.DataFrame, sort: str = "name") -> pd.DataFrame:
    """The rows of :func:`build_officials` in the order ``sort`` (:data:`SORTS`; unknown: ``name``)."""
    if sort == "off_track":
        keys, ascending = ["off_track_share", "goals", "name"], [False, False, True]
    elif sort == "overdue":
        keys, ascending = ["overdue_instructions", "overdue_own", "name"], [False, False, True]
    else:
        keys, ascending = ["kind", "name", "code"], [False, True, True]
    return officials.sort_values(keys, ascending=ascending, na_position="last", kind="stable").reset_index(drop=True)
