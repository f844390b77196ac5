import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi.project_health import HEALTH_REASON_PARAMS, HEALTH_STEPS, MILESTONE_STATES, milestone_states, project_health
from kpi.status import STATUS_ORDER


def test_steps_are_ordered_best_to_worst_and_end_at_minus_infinity():
    assert [step.status for step in HEALTH_STEPS] == ["green", "amber_green", "amber", "amber_red", "red"]
    for better, worse in zip(HEALTH_STEPS, HEALTH_STEPS[1:]):
        assert better.min_spi > worse.min_spi and better.min_cpi > worse.min_cpi
    assert HEALTH_STEPS[-1].min_spi == HEALTH_STEPS[-1].min_cpi == -math.inf


@pytest.mark.parametrize("spi, status, code", [
    (1.10, "green", "on_schedule"),
    (0.95, "green", "on_schedule"),
    (0.949, "green", "on_schedule"),  # shown as 0.95
    (0.944, "amber_green", "behind_schedule"),
    (0.90, "amber_green", "behind_schedule"),
    (0.85, "amber", "behind_schedule"),
    (0.70, "amber_red", "behind_schedule"),
    (0.69, "red", "behind_schedule"),
    (0.0, "red", "behind_schedule"),
])
def test_schedule_health_thresholds(spi, status, code):
    health = project_health(spi, None)
    assert (health.schedule.status, health.schedule.reason_code) == (status, code)
    assert health.schedule.reason_params == {"spi": round(spi, 2), "spi_pct": round(100 * spi)}


def test_worked_example():
    # docs/kpi.md: SPI 1/3, CPI 100/240 -> red schedule (33% of the planned work), red budget (42%)
    health = project_health(1 / 3, 100 / 240)
    assert health.schedule.reason_params == {"spi": 0.33, "spi_pct": 33}
    assert health.budget.reason_params == {"cpi": 0.42, "cpi_pct": 42}
    assert (health.status, health.reason_code) == ("red", "behind_schedule")  # a tie: the schedule gives the reason
    mixed = project_health(1.0, 0.85)
    assert (mixed.schedule.status, mixed.budget.status) == ("green", "amber")
    assert (mixed.status, mixed.reason_code, mixed.reason_params) == ("amber", "over_budget", {"cpi": 0.85, "cpi_pct": 85})


def test_missing_signals():
    nothing = project_health(None, float("nan"))
    assert (nothing.status, nothing.reason_code) == ("no_data", "no_schedule_data")
    assert (nothing.budget.status, nothing.budget.reason_code) == ("no_data", "no_cost_data")
    only_budget = project_health(None, 1.2)
    assert (only_budget.status, only_budget.reason_code) == ("green", "within_budget")


def test_every_reason_code_has_its_params():
    codes = {project_health(s, c).schedule.reason_code for s in (None, 0.5, 1.0) for c in (None,)} | \
        {project_health(None, c).budget.reason_code for c in (None, 0.5, 1.0)}
    assert codes == set(HEALTH_REASON_PARAMS)
    for spi in (None, 0.5, 1.0):
        signal = project_health(spi, None).schedule
        assert tuple(signal.reason_params) == HEALTH_REASON_PARAMS[signal.reason_code]


@given(st.one_of(st.none(), st.floats(0, 5)), st.one_of(st.none(), st.floats(0, 5)))
def test_the_project_is_the_worse_signal(spi, cpi):
    health = project_health(spi, cpi)
    judged = [s.status for s in (health.schedule, health.budget) if s.status != "no_data"]
    expected = min(judged, key=STATUS_ORDER.index) if judged else "no_data"
    assert health.status == expected


TODAY = date(2024, 7, 15)


def test_milestone_states():
    stones = pd.DataFrame({
        "planned_date": pd.to_datetime(["2024-03-31", "2024-04-30", "2024-06-30", "2024-07-01", "2024-09-30"]),
        "actual_date": pd.to_datetime(["2024-03-20", "2024-05-10", None, "2024-08-01", None]),
    })
    result = milestone_states(stones, today=TODAY)
    assert list(result["state"]) == ["done_on_time", "done_late", "overdue", "overdue", "upcoming"]
    # done after today: not done yet on today, overdue since 1 July
    assert list(result["days_late"]) == [0, 10, 15, 14, 0]
    assert set(result["state"]) <= set(MILESTONE_STATES)


def test_milestone_states_of_nothing():
    empty = pd.DataFrame({"planned_date": pd.to_datetime([]), "actual_date": pd.to_datetime([])})
    assert milestone_states(empty, today=TODAY).empty
