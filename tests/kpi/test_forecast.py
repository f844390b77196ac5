from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.forecast import fitted_line, forecast


def yearly(values, first_year=2019):
    starts = pd.to_datetime([f"{first_year + i}-01-01" for i in range(len(values))])
    return pd.DataFrame({"period_start": starts, "value": values})


def monthly(values, first="2020-01-01"):
    return pd.DataFrame({"period_start": pd.date_range(first, periods=len(values), freq="MS"), "value": values})


def run(series, frequency="Y", seasonal=False, target=75.0, deadline=date(2025, 12, 31), direction="up", today=date(2025, 6, 1)):
    return forecast(series, frequency=frequency, seasonal=seasonal, target_value=target,
                    target_date=deadline, direction=direction, today=today)


def test_straight_line_is_extrapolated_exactly():
    result = run(yearly([70.0, 71.0, 72.0, 73.0, 74.0, 75.0]), target=75.5)
    assert result.state == "ok"
    assert result.value == pytest.approx(76.0)
    assert result.slope_per_year == pytest.approx(1.0)
    assert result.low == pytest.approx(result.value) and result.high == pytest.approx(result.value)
    assert result.probability == 1.0
    assert result.date == date(2025, 12, 31)
    assert result.n_points == 5  # the 5-year window: 2020-2024


@pytest.mark.parametrize("values", [[], [71.0], [71.0, 72.0]])
def test_too_little_data_is_a_state_not_a_number(values):
    result = run(yearly(values))
    assert result.state == "insufficient_data"
    assert (result.value, result.low, result.high, result.probability, result.slope_per_year) == (None,) * 5
    assert result.n_points == len(values)
    assert result.date == date(2025, 12, 31)


def test_three_months_do_not_cover_a_year():
    assert run(monthly([1.0, 2.0, 3.0], first="2025-01-01"), frequency="M").state == "insufficient_data"
    assert run(monthly(np.arange(12.0), first="2024-05-01"), frequency="M").state == "ok"


def test_values_after_today_and_missing_values_are_ignored():
    series = yearly([70.0, None, 72.0, 73.0, 74.0, 90.0])  # 2024 is after today
    result = run(series, today=date(2023, 12, 31))
    assert result.n_points == 4  # 2019, 2021, 2022, 2023
    assert result.slope_per_year == pytest.approx(1.0)


def test_missing_periods_use_real_time():
    series = yearly([70.0, 71.0, 72.0]).iloc[[0, 2]]  # 2019 and 2021 only
    series = pd.concat([series, yearly([73.0], first_year=2022)])
    result = run(series)
    assert result.slope_per_year == pytest.approx(1.0)


def test_lower_is_better_and_negative_values():
    series = yearly([-1.0, -2.0, -3.0, -4.0, -5.0, -6.0])
    met = run(series, target=-6.5, direction="down")
    assert met.value == pytest.approx(-7.0)
    assert met.probability == 1.0
    assert run(series, target=-7.5, direction="down").probability == 0.0


def test_probability_from_the_normal_approximation():
    result = run(yearly([70.0, 71.5, 71.0, 73.0, 72.5, 74.5]), target=None)
    assert result.probability is None
    at_forecast = run(yearly([70.0, 71.5, 71.0, 73.0, 72.5, 74.5]), target=result.value)
    assert at_forecast.probability == pytest.approx(0.5)
    assert result.low < result.value < result.high


def test_interval_widens_with_the_horizon():
    series = yearly([70.0, 71.5, 71.0, 73.0, 72.5, 74.5])
    near, far = run(series, deadline=date(2025, 12, 31)), run(series, deadline=date(2029, 12, 31))
    assert far.high - far.low > near.high - near.low


def test_one_outlier_does_not_move_the_trend():
    clean = run(yearly([70.0, 71.0, 72.0, 73.0, 74.0, 75.0]))
    spiked = run(yearly([70.0, 71.0, 72.0, 95.0, 74.0, 75.0]))
    assert spiked.slope_per_year == pytest.approx(clean.slope_per_year, rel=1e-3)


def seasonal_series(months=60):
    starts = pd.date_range("2020-01-01", periods=months, freq="MS")
    noise = np.random.default_rng(7).normal(0.0, 0.3, months)
    values = 100 + np.arange(months) / 6 + 8 * np.sin(2 * np.pi * starts.month / 12) + noise
    return pd.DataFrame({"period_start": starts, "value": values})


def test_seasonality_is_removed_when_asked_and_possible():
    series = seasonal_series()
    truth = 100 + 71 / 6  # December 2025: month index 71, sin(2*pi) = 0
    plain = run(series, frequency="M", target=truth, today=date(2025, 1, 15))
    adjusted = run(series, frequency="M", seasonal=True, target=truth, today=date(2025, 1, 15))
    assert abs(adjusted.value - truth) < 0.5
    assert adjusted.high - adjusted.low < (plain.high - plain.low) / 3


def test_seasonal_with_too_few_cycles_falls_back_to_the_plain_trend():
    series = seasonal_series(months=18)
    plain = run(series, frequency="M", today=date(2025, 1, 15))
    assert run(series, frequency="M", seasonal=True, today=date(2025, 1, 15)) == plain


def test_seasonal_flag_is_ignored_for_yearly_data():
    series = yearly([70.0, 71.5, 71.0, 73.0, 72.5, 74.5])
    assert run(series, seasonal=True) == run(series)


def test_quarterly_series():
    starts = pd.date_range("2021-01-01", periods=16, freq="QS")
    series = pd.DataFrame({"period_start": starts, "value": np.arange(16.0)})  # +4 a year
    result = run(series, frequency="Q", target=20.0, deadline=date(2025, 12, 31), today=date(2025, 2, 1))
    assert result.slope_per_year == pytest.approx(4.0, rel=1e-2)
    assert result.value == pytest.approx(19.0, abs=0.05)


def test_deadline_already_passed_still_gives_the_fitted_value():
    result = run(yearly([70.0, 71.0, 72.0, 73.0, 74.0, 75.0]), deadline=date(2022, 12, 31))
    assert result.state == "ok"
    assert result.value == pytest.approx(73.0)


def test_duplicate_periods_are_refused():
    series = pd.concat([yearly([70.0, 71.0, 72.0]), yearly([70.5])])
    with pytest.raises(ValueError, match="more than one value"):
        run(series)


def test_fitted_line_runs_from_the_latest_period_to_the_target():
    series = yearly([70.0, 71.5, 71.0, 73.0, 72.5, 74.5])
    line = fitted_line(series, frequency="Y", seasonal=False, target_date=date(2027, 12, 31), today=date(2025, 6, 1))
    assert list(line.columns) == ["period_start", "value", "low", "high"]
    assert [stamp.year for stamp in line["period_start"]] == [2024, 2025, 2026, 2027]
    result = run(series, deadline=date(2027, 12, 31))
    last = line.iloc[-1]
    assert (last["value"], last["low"], last["high"]) == pytest.approx((result.value, result.low, result.high))
    assert (line["low"] <= line["value"]).all() and (line["value"] <= line["high"]).all()


def test_fitted_line_empty_when_insufficient_or_deadline_before_the_data():
    kwargs = {"frequency": "Y", "seasonal": False, "today": date(2025, 6, 1)}
    assert fitted_line(yearly([70.0]), target_date=date(2027, 12, 31), **kwargs).empty
    assert fitted_line(yearly([70.0, 71.0, 72.0, 73.0]), target_date=date(2020, 12, 31), **kwargs).empty


def test_fitted_line_monthly_seasonal_ends_at_the_forecast():
    series = seasonal_series()
    line = fitted_line(series, frequency="M", seasonal=True, target_date=date(2025, 12, 31), today=date(2025, 1, 15))
    result = run(series, frequency="M", seasonal=True, today=date(2025, 1, 15))
    assert len(line) == 13  # December 2024 .. December 2025
    assert line["value"].iloc[-1] == pytest.approx(result.value)


values_strategy = st.lists(st.floats(min_value=-1e4, max_value=1e4, allow_nan=False), min_size=0, max_size=12)


@settings(settings.get_profile("kpi"))
@given(values=values_strategy, target=st.floats(min_value=-1e4, max_value=1e4), direction=st.sampled_from(["up", "down"]))
def test_forecast_figures_are_consistent(values, target, direction):
    result = run(monthly(values, first="2024-01-01"), frequency="M", target=target, direction=direction)
    if result.state == "insufficient_data":
        assert result.value is None and result.probability is None
        return
    assert result.low <= result.value <= result.high
    assert 0.0 <= result.probability <= 1.0
