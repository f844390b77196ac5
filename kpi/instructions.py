"""Where an instruction (поручение) stands on the reference date ``today``, and which due dates make
each state (so a list of one state can be selected by its due dates alone).

An instruction has a ``due_date`` and a ``done_date`` (missing while not done; a done date after
``today`` counts as not done yet, for as-of views). On ``today``, worst first:

- ``overdue``: not done by ``today`` and ``due_date < today``;
- ``due_soon``: not done and ``today <= due_date <= today + (DUE_SOON_DAYS - 1)`` (the seven days
  from ``today``: "due this week");
- ``open``: not done and due later;
- ``done``: ``done_date <= today``.

``days_overdue = (today - due_date).days`` when overdue, else 0; ``days_left = (due_date - today).days``
when due soon or open, else missing. Example (today 2025-11-15): due 2025-11-10, not done -> overdue,
5 days; due 2025-11-21 -> due soon, 6 days left; due 2025-11-22 -> open; done 2025-11-16 -> not done
yet, so by its due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from kpi.periods import as_date

#: Days from ``today`` (today included) within which an outstanding instruction is due soon.
DUE_SOON_DAYS = 7

#: Every state, worst first.
INSTRUCTION_STATES: tuple[str, ...] = ("overdue", "due_soon", "open", "done")


@dataclass(frozen=True)
class DueWindow:
    """The instructions of one state: ``outstanding`` (not done by ``today``) or done, due in
    ``due_from .. due_until`` (inclusive; None = unbounded)."""

    outstanding: bool
    due_from: date | None
    due_until: date | None


def state_window(state: str, today: date) -> DueWindow:
    """The due dates of ``state`` on ``today`` (see the module docstring); ValueError for an unknown state."""
    today = as_date(today)
    soon_end = today + timedelta(days=DUE_SOON_DAYS - 1)
    windows = {
        "overdue": DueWindow(True, None, today - timedelta(days=1)),
        "due_soon": DueWindow(True, today, soon_end),
        "open": DueWindow(True, soon_end + timedelta(days=1), None),
        "done": DueWindow(False, None, None),
    }
    if state not in windows:
        raise ValueError(f"state must be one of {', '.join(INSTRUCTION_STATES)}, not {state!r}")
    return windows[state]


def instruction_states(instructions: pd.DataFrame, *, today: date) -> pd.DataFrame:
    """A copy of ``instructions`` (``due_date``, ``done_date``) with ``state``, ``days_overdue`` (int)
    and ``days_left`` (float, NaN unless due soon or open) on ``today``."""
    moment = pd.Timestamp(as_date(today))
    due = pd.to_datetime(instructions["due_date"])
    done = pd.to_datetime(instructions["done_date"])
    is_done = done.notna() & (done <= moment)
    days = (due - moment).dt.days
    overdue = ~is_done & (due < moment)
    soon = ~is_done & ~overdue & (days < DUE_SOON_DAYS)
    state = pd.Series("open", index=instructions.index, dtype=object)
    state[soon] = "due_soon"
    state[overdue] = "overdue"
    state[is_done] = "done"
    return instructions.assign(
        state=state,
        days_overdue=(-days).where(overdue, 0).fillna(0).astype(int),
        days_left=days.where(~is_done & ~overdue).astype(float),
    )
