from datetime import date

import pandas as pd
import pytest

from kpi.freshness import PUBLICATION_LAG_DAYS, Freshness, freshness


def check(today, latest=date(2025, 3, 1), frequency="M", grace=30, lag=None):
    return freshness(frequency=frequency, latest_period_start=latest, grace_days=grace, today=today,
                     publication_lag_days=lag)


def test_monthly_states_around_the_due_date():
    # latest March 2025 -> April due 30 April + 30 days = 30 May
    assert check(date(2025, 5, 30)) == Freshness("fresh", date(2025, 5, 30), 0)
    assert check(date(2025, 5, 31)) == Freshness("late", date(2025, 5, 30), 1)
    assert check(date(2025, 6, 29)) == Freshness("late", date(2025, 5, 30), 30)
    assert check(date(2025, 6, 30)) == Freshness("stale", date(2025, 5, 30), 31)


def test_yearly_and_quarterly_with_default_lags():
    yearly = check(date(2025, 6, 1), latest=date(2024, 1, 1), frequency="Y")
    assert yearly.state == "fresh" and yearly.next_due == date(2026, 4, 30)
    quarterly = check(date(2025, 6, 1), latest=date(2024, 10, 1), frequency="Q")
    assert quarterly.next_due == date(2025, 3, 31 + 0).replace(day=31) + pd.Timedelta(days=PUBLICATION_LAG_DAYS["Q"]).to_pytimedelta()
    assert quarterly.state == "late"


def test_own_publication_lag_and_zero_grace():
    result = check(date(2025, 5, 1), lag=0, grace=0)
    assert result == Freshness("stale", date(2025, 4, 30), 1)


def test_missing_periods_long_ago_are_stale():
    assert check(date(2025, 6, 1), latest=date(2021, 1, 1), frequency="Y").state == "stale"


def test_no_data():
    assert check(date(2025, 6, 1), latest=None) == Freshness("no_data", None, 0)


def test_timestamp_input_and_bad_grace():
    assert check(date(2025, 5, 1), latest=pd.Timestamp("2025-03-01")).state == "fresh"
    with pytest.raises(ValueError, match="grace"):
        check(date(2025, 5, 1), grace=-1)
