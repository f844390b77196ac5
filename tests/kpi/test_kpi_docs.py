"""docs/kpi.md states what the code does: thresholds, reason codes, public names, worked examples."""

import inspect
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import kpi

DOC = (Path(__file__).resolve().parents[2] / "docs" / "kpi.md").read_text(encoding="utf-8")


def table_rows(first_cell_pattern):
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in DOC.splitlines()
        if re.match(rf"^\|\s*{first_cell_pattern}\s*\|", line)
    ]


def test_threshold_table_matches_the_steps():
    rows = [row for row in table_rows(r"\d") if len(row) == 4 and row[1] in kpi.STATUS_ORDER]
    documented = [(status, float(probability), float(gap.replace("-inf", "-Infinity"))) for _, status, probability, gap in rows]
    assert documented == [(step.status, step.min_probability, step.min_progress_gap) for step in kpi.CONFIDENCE_STEPS]


def test_reason_table_matches_the_code():
    rows = {row[0].strip("`"): row[2] for row in table_rows("`[a-z_]+`") if row[0].strip("`") in kpi.REASON_PARAMS}
    assert set(rows) == set(kpi.REASON_PARAMS)
    for code, params in kpi.REASON_PARAMS.items():
        assert re.findall(r"`(\w+)`", rows[code]) == list(params), code


def test_every_public_function_is_documented():
    functions = [name for name in kpi.__all__ if inspect.isfunction(getattr(kpi, name))]
    assert [name for name in functions if f"{name}(" not in DOC] == []


def test_forecast_and_status_worked_example():
    series = pd.DataFrame({"period_start": pd.to_datetime([f"{year}-01-01" for year in range(2019, 2025)]),
                           "value": [69.0, 70.0, 71.0, 71.5, 73.0, 73.5]})
    result = kpi.forecast(series, frequency="Y", seasonal=False, target_value=75.0, target_date=date(2025, 12, 31),
                          direction="up", today=date(2025, 6, 1))
    assert (result.slope_per_year, result.value, result.n_points) == (0.9375, 74.6875, 5)
    assert (round(result.low, 2), round(result.high, 2), round(result.probability, 2)) == (74.16, 75.22, 0.22)
    trajectory = pd.DataFrame({"year": [2023, 2025], "value": [72.0, 75.0]})
    assert kpi.expected_value(trajectory, 70.0, date(2020, 12, 31), date(2022, 6, 30)) == pytest.approx(71.0)
    expected = kpi.expected_progress(trajectory, 70.0, date(2020, 12, 31), date(2024, 12, 31), target=75.0, direction="up")
    progress = kpi.progress(73.5, 70.0, 75.0, "up")
    assert (progress, expected) == (pytest.approx(0.7), pytest.approx(0.7))
    assessment = kpi.assess(target=75.0, direction="up", deadline=date(2025, 12, 31), today=date(2025, 6, 1),
                            latest_value=73.5, latest_period_start=date(2024, 1, 1), frequency="Y",
                            progress=progress, expected_progress=expected, forecast=result)
    assert (assessment.status, assessment.reason_code) == ("amber_red", "forecast_misses_target")
    assert assessment.reason_params["probability_pct"] == 22


def test_rollup_worked_example():
    children = pd.DataFrame({"code": ["A", "B", "C"], "status": ["green", "green", "red"], "score": [1.0, 0.9, 0.2],
                             "weight": [1.0, 1.0, 2.0], "reason_code": ["on_track", "on_track", "forecast_misses_target"]})
    result = kpi.rollup(children)
    assert (result.score, result.status, result.worst_code) == (pytest.approx(0.575), "amber_red", "C")


def test_freshness_worked_example():
    late = kpi.freshness(frequency="M", latest_period_start=date(2025, 3, 1), grace_days=30, today=date(2025, 6, 10),
                         publication_lag_days=30)
    assert (late.state, late.next_due, late.days_overdue) == ("late", date(2025, 5, 30), 11)
    yearly = kpi.freshness(frequency="Y", latest_period_start=date(2024, 1, 1), grace_days=60, today=date(2025, 6, 10))
    assert yearly.next_due == date(2026, 4, 30)
