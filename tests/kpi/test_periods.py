from datetime import date, datetime

import pandas as pd
import pytest

from kpi.periods import (
    add_months,
    as_date,
    decimal_year,
    period_containing,
    period_end,
    period_label,
    period_starts,
    previous_quarter_end,
    shift_period,
)


def test_as_date_drops_time():
    assert as_date(pd.Timestamp("2024-07-01 13:00")) == date(2024, 7, 1)
    assert as_date(datetime(2024, 7, 1, 9)) == date(2024, 7, 1)
    assert as_date(date(2024, 7, 1)) == date(2024, 7, 1)


def test_add_months_clips_day():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 3, 15), -15) == date(2022, 12, 15)


@pytest.mark.parametrize(
    ("start", "frequency", "end", "label"),
    [
        (date(2024, 1, 1), "Y", date(2024, 12, 31), "2024"),
        (date(2024, 7, 1), "Q", date(2024, 9, 30), "2024-Q3"),
        (date(2024, 2, 1), "M", date(2024, 2, 29), "2024-02"),
        (pd.Timestamp("2023-10-01"), "Q", date(2023, 12, 31), "2023-Q4"),
    ],
)
def test_period_end_and_label(start, frequency, end, label):
    assert period_end(start, frequency) == end
    assert period_label(start, frequency) == label


def test_period_containing_and_shift():
    assert period_containing(date(2024, 8, 17), "Q") == date(2024, 7, 1)
    assert period_containing(date(2024, 8, 17), "Y") == date(2024, 1, 1)
    assert period_containing(date(2024, 8, 17), "M") == date(2024, 8, 1)
    assert shift_period(date(2024, 10, 1), "Q", 1) == date(2025, 1, 1)
    assert shift_period(date(2024, 1, 1), "M", -1) == date(2023, 12, 1)


def test_period_starts_is_vectorised_period_containing():
    days = pd.Series(pd.to_datetime(["2024-08-17", "2024-01-01", "2023-12-31"]))
    for frequency in ("Y", "Q", "M"):
        got = [timestamp.date() for timestamp in period_starts(days, frequency)]
        assert got == [period_containing(day, frequency) for day in days]


def test_previous_quarter_end():
    assert previous_quarter_end(date(2025, 5, 20)) == date(2025, 3, 31)
    assert previous_quarter_end(date(2025, 1, 1)) == date(2024, 12, 31)


def test_unknown_frequency_is_refused():
    with pytest.raises(ValueError, match="frequency"):
        period_end(date(2024, 1, 1), "W")


def test_decimal_year_is_a_calendar_month_scale():
    assert decimal_year(date(2024, 12, 31)) == 2025.0
    assert decimal_year(date(2024, 6, 30)) == 2024.5
    assert decimal_year(date(2024, 2, 29)) == pytest.approx(2024 + 2 / 12)
    assert decimal_year(pd.Timestamp("2025-01-31 18:00")) == pytest.approx(2025 + 1 / 12)
