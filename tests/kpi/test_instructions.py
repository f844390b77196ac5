from datetime import date

import numpy as np
import pandas as pd
import pytest

from kpi.instructions import DUE_SOON_DAYS, INSTRUCTION_STATES, DueWindow, instruction_states, state_window

TODAY = date(2025, 11, 15)


def frame(rows):
    return pd.DataFrame(rows, columns=["code", "due_date", "done_date"])


def test_the_worked_example_of_the_docs():
    states = instruction_states(frame([
        ("late", date(2025, 11, 10), None),
        ("soon", date(2025, 11, 21), None),
        ("later", date(2025, 11, 22), None),
        ("done_after_today", date(2025, 11, 10), date(2025, 11, 16)),
        ("done", date(2025, 11, 1), date(2025, 10, 30)),
        ("today", date(2025, 11, 15), None),
    ]), today=TODAY).set_index("code")
    assert states["state"].to_dict() == {"late": "overdue", "soon": "due_soon", "later": "open",
                                         "done_after_today": "overdue", "done": "done", "today": "due_soon"}
    assert states.loc["late", "days_overdue"] == 5 and states.loc["done_after_today", "days_overdue"] == 5
    assert states.loc["soon", "days_left"] == 6 and states.loc["today", "days_left"] == 0
    assert states.loc["later", "days_left"] == 7
    assert np.isnan(states.loc["late", "days_left"]) and np.isnan(states.loc["done", "days_left"])
    assert states.loc["done", "days_overdue"] == 0 and states["days_overdue"].dtype.kind == "i"


def test_done_on_time_or_late_is_done_whatever_the_due_date():
    states = instruction_states(frame([("a", date(2025, 1, 1), date(2025, 3, 1)),
                                       ("b", date(2026, 1, 1), date(2025, 11, 15))]), today=TODAY)
    assert list(states["state"]) == ["done", "done"]


def test_windows_select_exactly_their_state():
    """Every due date and done date around today: the window of a state holds the rows of that state."""
    days = [date.fromordinal(TODAY.toordinal() + offset) for offset in range(-10, 12)]
    rows = [(f"{due}-{done}", due, done) for due in days for done in (None, *days)]
    states = instruction_states(frame(rows), today=TODAY)
    for state in INSTRUCTION_STATES:
        window = state_window(state, TODAY)
        done = pd.to_datetime(states["done_date"])
        outstanding = done.isna() | (done > pd.Timestamp(TODAY))
        due = pd.to_datetime(states["due_date"])
        selected = (outstanding == window.outstanding)
        if window.due_from is not None:
            selected &= due >= pd.Timestamp(window.due_from)
        if window.due_until is not None:
            selected &= due <= pd.Timestamp(window.due_until)
        assert (states.loc[selected, "state"] == state).all(), state
        assert selected.sum() == (states["state"] == state).sum(), state


def test_due_soon_is_the_seven_days_from_today():
    assert DUE_SOON_DAYS == 7
    assert state_window("due_soon", TODAY) == DueWindow(True, date(2025, 11, 15), date(2025, 11, 21))
    assert state_window("overdue", TODAY) == DueWindow(True, None, date(2025, 11, 14))
    assert state_window("open", TODAY) == DueWindow(True, date(2025, 11, 22), None)
    assert state_window("done", TODAY) == DueWindow(False, None, None)


def test_unknown_state_is_refused():
    with pytest.raises(ValueError, match="state must be one of"):
        state_window("late", TODAY)


def test_no_instructions():
    states = instruction_states(frame([]), today=TODAY)
    assert states.empty and {"state", "days_overdue", "days_left"} <= set(states.columns)
