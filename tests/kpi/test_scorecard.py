from datetime import date

import numpy as np
import pandas as pd
import pytest

from kpi.scorecard import scorecard
from kpi.status import STATUS_ORDER

TODAY = date(2025, 5, 20)  # previous quarter ended 2025-03-31


def frame(columns, rows, dates=()):
    result = pd.DataFrame(rows, columns=columns)
    return result.assign(**{column: pd.to_datetime(result[column]) for column in dates})


RESPONSIBILITIES = frame(
    ["official", "goal", "valid_from", "valid_to"],
    [
        ("O1", "G1", "2024-01-01", None),
        ("O1", "G2", "2024-01-01", None),
        ("O2", "G3", "2024-01-01", "2025-04-01"),  # handed over after the quarter's end
        ("O1", "G4", "2025-04-15", None),  # taken on this quarter
    ],
    dates=("valid_from", "valid_to"),
)
STATUSES = pd.DataFrame({"goal": ["G1", "G2", "G3", "G4"], "status": ["green", "red", "amber", "missed"]})
PREVIOUS = pd.DataFrame({"goal": ["G1", "G2", "G3"], "status": ["green", "amber", "amber"]})
INSTRUCTIONS = frame(
    ["official", "due_date", "done_date"],
    [
        ("O1", "2025-03-01", None),  # overdue now and at the quarter's end
        ("O2", "2025-05-01", "2025-05-10"),  # done late: overdue between 1 and 10 May only
        ("O3", "2025-06-01", None),  # not yet due
        ("O1", "2025-02-01", "2025-04-20"),  # overdue at the quarter's end, done since
    ],
    dates=("due_date", "done_date"),
)


def test_scorecard_now_and_previous_quarter():
    table = scorecard(RESPONSIBILITIES, STATUSES, PREVIOUS, INSTRUCTIONS, today=TODAY).set_index("official")
    assert list(table.index) == ["O1", "O2", "O3"]
    o1 = table.loc["O1"]
    assert o1["goals"] == 3 and o1["goals_previous"] == 2
    assert (o1["share_green"], o1["share_red"], o1["share_missed"]) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert o1["off_track_share"] == pytest.approx(2 / 3) and o1["off_track_share_previous"] == 0.0
    assert o1["off_track_share_change"] == pytest.approx(2 / 3)
    assert (o1["overdue_instructions"], o1["overdue_instructions_previous"], o1["overdue_instructions_change"]) == (1, 2, -1)
    o2 = table.loc["O2"]
    assert o2["goals"] == 0 and np.isnan(o2["off_track_share"]) and o2["share_amber_previous"] == 1.0
    assert table.loc["O3", "overdue_instructions"] == 0


def test_shares_cover_every_status_and_sum_to_one():
    table = scorecard(RESPONSIBILITIES, STATUSES, PREVIOUS, INSTRUCTIONS, today=TODAY)
    shares = [f"share_{status}" for status in STATUS_ORDER]
    assert set(shares) <= set(table.columns)
    assert table.loc[table["goals"] > 0, shares].sum(axis=1).tolist() == pytest.approx([1.0])


def test_goal_without_a_status_counts_as_no_data():
    statuses = STATUSES[STATUSES["goal"] != "G2"]
    table = scorecard(RESPONSIBILITIES, statuses, PREVIOUS, INSTRUCTIONS, today=TODAY).set_index("official")
    assert table.loc["O1", "share_no_data"] == pytest.approx(1 / 3)


def test_no_data():
    empty_resp = frame(["official", "goal", "valid_from", "valid_to"], [], dates=("valid_from", "valid_to"))
    empty_instr = frame(["official", "due_date", "done_date"], [], dates=("due_date", "done_date"))
    empty_status = pd.DataFrame({"goal": [], "status": []})
    assert scorecard(empty_resp, empty_status, empty_status, empty_instr, today=TODAY).empty


def test_escalated_rows_are_counted_apart_from_the_assignees_own():
    """One overdue instruction counts against its assignee (own) and the owner it escalated to."""
    rows = frame(["official", "due_date", "done_date", "escalated"], [
        ("O1", "2025-05-01", None, False),
        ("O2", "2025-05-01", None, True),   # the same instruction, escalated to O2
        ("O2", "2025-03-15", None, False),  # O2's own, overdue now and at the quarter's end
        ("O1", "2025-06-01", None, False),  # not yet due
    ], dates=("due_date", "done_date"))
    table = scorecard(RESPONSIBILITIES, STATUSES, PREVIOUS, rows, today=TODAY).set_index("official")
    assert table.loc["O1", ["overdue_instructions", "overdue_own", "overdue_escalated"]].tolist() == [1, 1, 0]
    assert table.loc["O2", ["overdue_instructions", "overdue_own", "overdue_escalated"]].tolist() == [2, 1, 1]
    assert table.loc["O2", ["overdue_own_previous", "overdue_escalated_previous"]].tolist() == [1, 0]
    plain = scorecard(RESPONSIBILITIES, STATUSES, PREVIOUS, INSTRUCTIONS, today=TODAY)
    assert "overdue_escalated" not in plain.columns
