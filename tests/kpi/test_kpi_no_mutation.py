"""No public function of kpi mutates its input: deep-copy the inputs, call, compare."""

import copy
import inspect
from datetime import date

import pandas as pd
import pytest

import kpi

TODAY = date(2025, 5, 20)
SERIES = pd.DataFrame({"period_start": pd.date_range("2020-01-01", periods=30, freq="MS"), "value": [float(v % 7) for v in range(30)]})
TRAJECTORY = pd.DataFrame({"year": [2023, 2025], "value": [60.0, 70.0]})
PROGRESS_FRAME = pd.DataFrame({"latest": [30.0, None], "baseline": [10.0, 1.0], "target": [50.0, 2.0], "direction": ["up", "down"]})
CHILDREN = pd.DataFrame(
    {"code": ["A", "B", "C"], "status": ["green", "red", "no_data"], "score": [1.0, 0.2, None],
     "weight": [1.0, None, 2.0], "reason_code": ["on_track", "missed", None], "parent": ["P", "P", "Q"]}
)
MILESTONES = pd.DataFrame(
    {"weight": [1.0, None], "planned_date": pd.to_datetime(["2024-03-31", "2024-06-30"]),
     "actual_date": pd.to_datetime(["2024-04-15", None])}
)
BUDGET = pd.DataFrame({"period_start": pd.to_datetime(["2024-01-01", "2024-07-01"]), "planned": [100.0, 50.0], "spent": [80.0, None]})
VALUES = pd.DataFrame({"region": ["AST", "ALA"], "period_start": pd.to_datetime(["2023-01-01"] * 2), "value": [10.0, None]})
POPULATION = pd.DataFrame({"region": ["AST", "ALA"], "year": [2023, 2023], "population": [1_000_000, 2_000_000]})
REGIONS = pd.DataFrame({"code": ["AST", "ALA"], "valid_from": pd.to_datetime([None, None]), "valid_to": pd.to_datetime([None, None])})
RESPONSIBILITIES = pd.DataFrame(
    {"official": ["O1", "O2"], "goal": ["G1", "G2"], "valid_from": pd.to_datetime(["2024-01-01", "2025-04-10"]),
     "valid_to": pd.to_datetime([None, None])}
)
STATUSES = pd.DataFrame({"goal": ["G1", "G2"], "status": ["green", "red"]})
INSTRUCTIONS = pd.DataFrame({"official": ["O1"], "due_date": pd.to_datetime(["2025-03-01"]), "done_date": pd.to_datetime([None])})
REQUESTS = pd.DataFrame(
    {"created": pd.to_datetime(["2025-01-05", "2025-02-03"]), "region": ["AST", "AST"], "topic": ["roads", "roads"],
     "due_date": pd.to_datetime(["2025-02-05", "2025-03-03"]), "resolved_date": pd.to_datetime(["2025-02-01", None])}
)
COUNTS = pd.DataFrame({"period_start": pd.to_datetime(["2025-01-01", "2025-02-01"]), "region": ["AST", "AST"],
                       "topic": ["roads", "roads"], "requests": [2, 3]})
FORECAST = kpi.Forecast("ok", 74.0, 73.0, 75.0, 0.3, date(2025, 12, 31), 0.5, 5)
FORECAST_KW = {"frequency": "M", "seasonal": True, "target_date": date(2025, 12, 31), "today": TODAY}

CALLS = {
    "progress": ((30.0, 10.0, 50.0, "up"), {}),
    "value_of_target": ((30.0, 60.0), {}),
    "meets_target": ((30.0, 60.0, "down"), {}),
    "add_progress": ((PROGRESS_FRAME,), {}),
    "expected_value": ((TRAJECTORY, 50.0, date(2021, 12, 31), TODAY), {}),
    "expected_progress": ((TRAJECTORY, 50.0, date(2021, 12, 31), TODAY), {"target": 70.0, "direction": "up"}),
    "forecast": ((SERIES,), {**FORECAST_KW, "target_value": 5.0, "direction": "up"}),
    "fitted_line": ((SERIES,), FORECAST_KW),
    "assess": ((), {"target": 75.0, "direction": "up", "deadline": date(2025, 12, 31), "today": TODAY,
                    "latest_value": 72.0, "latest_period_start": date(2024, 1, 1), "frequency": "Y",
                    "progress": 0.4, "expected_progress": 0.6, "forecast": FORECAST}),
    "status_for": ((0.5, -0.1), {}),
    "rollup": ((CHILDREN,), {}),
    "rollup_groups": ((CHILDREN, "parent"), {}),
    "freshness": ((), {"frequency": "Q", "latest_period_start": date(2024, 10, 1), "grace_days": 30, "today": TODAY}),
    "earned_value": ((MILESTONES, BUDGET), {"start": date(2024, 1, 1), "end": date(2024, 12, 31), "today": TODAY}),
    "project_health": ((0.8, 1.1), {}),
    "milestone_states": ((MILESTONES,), {"today": TODAY}),
    "per_capita": ((VALUES, POPULATION), {"per": 100_000}),
    "regions_valid_in": ((REGIONS, date(2023, 1, 1), "Y"), {}),
    "rank_regions": ((VALUES, REGIONS), {"period_start": date(2023, 1, 1), "frequency": "Y", "direction": "down"}),
    "gap_to_national": ((VALUES, 8.0), {"direction": "up"}),
    "scorecard": ((RESPONSIBILITIES, STATUSES, STATUSES, INSTRUCTIONS), {"today": TODAY}),
    "instruction_states": ((INSTRUCTIONS,), {"today": TODAY}),
    "state_window": (("due_soon", TODAY), {}),
    "count_requests": ((REQUESTS,), {"frequency": "M"}),
    "requests_per_capita": ((COUNTS, POPULATION), {}),
    "requests_growth": ((COUNTS,), {"frequency": "M"}),
    "resolved_on_time": ((REQUESTS,), {"today": TODAY}),
    "as_date": ((pd.Timestamp("2024-07-01"),), {}),
    "decimal_year": ((date(2024, 7, 1),), {}),
    "period_containing": ((date(2024, 8, 17), "Q"), {}),
    "period_end": ((date(2024, 7, 1), "Q"), {}),
    "period_label": ((date(2024, 7, 1), "Q"), {}),
    "period_starts": ((REQUESTS["created"],), {"frequency": "Q"}),
    "previous_quarter_end": ((TODAY,), {}),
    "shift_period": ((date(2024, 7, 1), "M", 3), {}),
    "add_months": ((date(2024, 1, 31), 1), {}),
    "check_direction": (("down",), {}),
    "check_frequency": (("Q",), {}),
}


def assert_unchanged(before, after):
    if isinstance(before, pd.DataFrame):
        pd.testing.assert_frame_equal(after, before, check_exact=True)
    elif isinstance(before, pd.Series):
        pd.testing.assert_series_equal(after, before, check_exact=True)
    elif isinstance(before, (tuple, list)):
        assert len(before) == len(after)
        for item_before, item_after in zip(before, after):
            assert_unchanged(item_before, item_after)
    elif isinstance(before, dict):
        assert before.keys() == after.keys()
        for key in before:
            assert_unchanged(before[key], after[key])
    else:
        assert before == after


def test_every_public_function_is_checked():
    functions = {name for name in kpi.__all__ if inspect.isfunction(getattr(kpi, name))}
    assert functions == set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_function_does_not_mutate_its_input(name):
    args, kwargs = CALLS[name]
    saved = copy.deepcopy((args, kwargs))
    getattr(kpi, name)(*args, **kwargs)
    assert_unchanged(saved, (args, kwargs))
