from datetime import date

import pandas as pd
import pytest

from kpi.trajectory import expected_progress, expected_value

TRAJECTORY = pd.DataFrame({"year": [2023, 2025], "value": [60.0, 70.0]})
BASELINE_DATE = date(2021, 12, 31)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2020, 6, 1), 50.0),  # before the baseline: the baseline
        (date(2021, 12, 31), 50.0),
        (date(2022, 12, 31), 55.0),  # halfway to the 2023 target
        (date(2023, 6, 30), 57.5),  # months count as twelfths of a year
        (date(2023, 12, 31), 60.0),  # a yearly target applies on 31 December
        (date(2025, 12, 31), 70.0),
        (date(2030, 1, 1), 70.0),  # after the last target year: the final target
    ],
)
def test_linear_between_baseline_and_yearly_targets(on, expected):
    assert expected_value(TRAJECTORY, 50.0, BASELINE_DATE, on) == pytest.approx(expected)


def test_leap_years_do_not_bend_the_line():
    trajectory = pd.DataFrame({"year": [2025], "value": [75.0]})
    assert expected_value(trajectory, 70.0, date(2020, 12, 31), date(2024, 12, 31)) == pytest.approx(74.0)


def test_order_of_rows_does_not_matter():
    shuffled = TRAJECTORY.iloc[::-1]
    on = date(2024, 12, 31)
    assert expected_value(shuffled, 50.0, BASELINE_DATE, on) == expected_value(TRAJECTORY, 50.0, BASELINE_DATE, on)


def test_targets_before_the_baseline_are_ignored():
    trajectory = pd.DataFrame({"year": [2020, 2023], "value": [40.0, 60.0]})
    assert expected_value(trajectory, 50.0, BASELINE_DATE, date(2022, 12, 31)) == pytest.approx(55.0)


def test_all_targets_before_the_baseline_give_the_final_target():
    trajectory = pd.DataFrame({"year": [2019, 2020], "value": [40.0, 45.0]})
    assert expected_value(trajectory, 50.0, BASELINE_DATE, date(2022, 6, 1)) == 45.0


def test_no_data():
    empty = pd.DataFrame({"year": [], "value": []})
    assert expected_value(empty, 50.0, BASELINE_DATE, date(2023, 1, 1)) is None
    assert expected_value(TRAJECTORY, None, BASELINE_DATE, date(2023, 1, 1)) is None
    only_gaps = pd.DataFrame({"year": [2023], "value": [None]})
    assert expected_value(only_gaps, 50.0, BASELINE_DATE, date(2023, 1, 1)) is None


def test_duplicate_year_is_refused():
    trajectory = pd.DataFrame({"year": [2023, 2023], "value": [60.0, 61.0]})
    with pytest.raises(ValueError, match="more than one target"):
        expected_value(trajectory, 50.0, BASELINE_DATE, date(2023, 1, 1))


def test_timestamps_are_accepted():
    on = pd.Timestamp("2022-12-31")
    assert expected_value(TRAJECTORY, 50.0, pd.Timestamp(BASELINE_DATE), on) == pytest.approx(55.0)


def test_expected_progress_lower_is_better_and_negative_values():
    trajectory = pd.DataFrame({"year": [2023], "value": [-20.0]})
    value = expected_progress(trajectory, -10.0, BASELINE_DATE, date(2022, 12, 31), target=-20.0, direction="down")
    assert value == pytest.approx(0.5)


def test_expected_progress_zero_baseline_and_target_equal_to_baseline():
    trajectory = pd.DataFrame({"year": [2023], "value": [10.0]})
    assert expected_progress(trajectory, 0.0, BASELINE_DATE, date(2022, 12, 31), target=10.0, direction="up") == pytest.approx(0.5)
    flat = pd.DataFrame({"year": [2024], "value": [5.0]})
    assert expected_progress(flat, 5.0, date(2022, 12, 31), date(2023, 6, 1), target=5.0, direction="up") == 1.0


def test_expected_progress_missing():
    assert expected_progress(TRAJECTORY, None, BASELINE_DATE, date(2023, 1, 1), target=70.0, direction="up") is None
    assert expected_progress(TRAJECTORY, 50.0, BASELINE_DATE, date(2023, 1, 1), target=None, direction="up") is None
