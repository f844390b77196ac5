from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.earned_value import earned_value

START, END = date(2024, 1, 1), date(2024, 12, 31)


def milestones(*rows):
    frame = pd.DataFrame(rows, columns=["weight", "planned_date", "actual_date"])
    return frame.astype({"weight": float}).assign(
        planned_date=pd.to_datetime(frame["planned_date"]), actual_date=pd.to_datetime(frame["actual_date"])
    )


def budget(*rows):
    frame = pd.DataFrame(rows, columns=["period_start", "planned", "spent"])
    return frame.assign(period_start=pd.to_datetime(frame["period_start"])).astype({"planned": float, "spent": float})


MILESTONES = milestones(
    (1.0, "2024-03-31", "2024-04-15"),
    (2.0, "2024-06-30", None),
    (1.0, "2024-09-30", None),
    (1.0, "2024-12-31", None),
)
BUDGET = budget(("2024-01-01", 100, 90), ("2024-04-01", 200, 150), ("2024-07-01", 100, 0), ("2024-10-01", 100, 0))


def test_worked_example():
    result = earned_value(MILESTONES, BUDGET, start=START, end=END, today=date(2024, 7, 15))
    assert result.bac == 500.0
    assert result.pv == pytest.approx(300.0)  # 3 of 5 weight due
    assert result.ev == pytest.approx(100.0)  # 1 of 5 done
    assert result.ac == 240.0
    assert result.spi == pytest.approx(1 / 3)
    assert result.cpi == pytest.approx(100 / 240)
    assert result.eac == pytest.approx(1200.0)
    assert result.forecast_finish == date(2026, 12, 31)  # 365 days / (1/3) = 1095 days after the start
    assert result.time_elapsed == pytest.approx(196 / 365)
    assert result.spent_share == pytest.approx(0.48)
    assert result.planned_to_date == 400.0
    assert result.execution_to_date == pytest.approx(0.6)


def test_no_milestones():
    result = earned_value(milestones(), BUDGET, start=START, end=END, today=date(2024, 7, 15))
    assert (result.pv, result.ev, result.spi, result.cpi, result.eac, result.forecast_finish) == (None,) * 6
    assert result.ac == 240.0 and result.bac == 500.0


def test_no_spending():
    result = earned_value(MILESTONES, budget(("2024-01-01", 500, 0)), start=START, end=END, today=date(2024, 7, 15))
    assert result.ac == 0.0
    assert (result.cpi, result.eac) == (None, None)
    assert result.spi == pytest.approx(1 / 3)


def test_no_budget_lines():
    result = earned_value(MILESTONES, budget(), start=START, end=END, today=date(2024, 7, 15))
    assert (result.bac, result.ac, result.planned_to_date) == (0.0, 0.0, 0.0)
    assert (result.spent_share, result.execution_to_date, result.cpi) == (None, None, None)
    assert result.spi == pytest.approx(1 / 3)  # schedule performance needs no money


def test_nothing_due_yet():
    result = earned_value(MILESTONES, BUDGET, start=START, end=END, today=date(2024, 2, 1))
    assert result.pv == 0.0 and result.spi is None and result.forecast_finish is None


def test_all_done_finishes_on_the_last_actual_date():
    done = milestones((1.0, "2024-03-31", "2024-03-20"), (1.0, "2024-12-31", "2025-02-10"))
    result = earned_value(done, BUDGET, start=START, end=END, today=date(2025, 3, 1))
    assert result.forecast_finish == date(2025, 2, 10)
    assert result.ev == result.bac and result.time_elapsed == 1.0


def test_deadline_passed_with_work_remaining_finishes_no_earlier_than_today():
    late = milestones((1.0, "2024-03-31", "2024-03-20"), (9.0, "2024-06-30", "2024-08-01"), (1.0, "2024-12-31", None))
    result = earned_value(late, BUDGET, start=START, end=END, today=date(2025, 3, 1))
    assert result.spi == pytest.approx(10 / 11)
    assert result.forecast_finish == date(2025, 3, 1)


def test_completion_after_today_is_not_counted_and_missing_weights_default_to_one():
    frame = milestones((None, "2024-03-31", "2024-05-01"), (None, "2024-06-30", None))
    result = earned_value(frame, BUDGET, start=START, end=END, today=date(2024, 4, 15))
    assert result.ev == 0.0 and result.pv == pytest.approx(250.0)
    assert result.spi == 0.0 and result.forecast_finish is None


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="end after"):
        earned_value(MILESTONES, BUDGET, start=END, end=START, today=END)
    with pytest.raises(ValueError, match="weights"):
        earned_value(milestones((-1.0, "2024-03-31", None)), BUDGET, start=START, end=END, today=END)
    with pytest.raises(ValueError, match="budget"):
        earned_value(MILESTONES, budget(("2024-01-01", -5, 0)), start=START, end=END, today=END)


day = st.dates(min_value=date(2023, 6, 1), max_value=date(2025, 6, 1))
milestone = st.tuples(st.floats(min_value=0, max_value=1e3), day, st.one_of(st.none(), day))
line = st.tuples(day, st.floats(min_value=0, max_value=1e9), st.floats(min_value=0, max_value=1e9))


@settings(settings.get_profile("kpi"))
@given(st.lists(milestone, max_size=10), st.lists(line, max_size=10), day)
def test_ev_never_exceeds_the_budget_at_completion(milestone_rows, budget_rows, today):
    result = earned_value(milestones(*milestone_rows), budget(*budget_rows), start=START, end=END, today=today)
    if result.ev is not None:
        assert 0.0 <= result.ev <= result.bac
        assert 0.0 <= result.pv <= result.bac
    assert 0.0 <= result.time_elapsed <= 1.0
