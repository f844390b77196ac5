import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.progress import add_progress, meets_target, progress, value_of_target

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(
    ("latest", "baseline", "target", "direction", "expected"),
    [
        (30, 10, 50, "up", 0.5),
        (50, 10, 50, "up", 1.0),
        (60, 10, 50, "up", 1.25),
        (5, 10, 50, "up", -0.125),
        (9, 10, 8, "down", 0.5),  # lower is better
        (7, 10, 8, "down", 1.5),
        (-5, -10, 10, "up", 0.25),  # negative values
        (3, 0, 12, "up", 0.25),  # zero baseline
        (-3, 0, -12, "down", 0.25),
    ],
)
def test_progress_formula(latest, baseline, target, direction, expected):
    assert progress(latest, baseline, target, direction) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("latest", "direction", "expected"),
    [(5, "up", 1.0), (6, "up", 1.0), (4, "up", 0.0), (5, "down", 1.0), (4, "down", 1.0), (6, "down", 0.0)],
)
def test_target_equal_to_baseline_is_a_level_to_hold(latest, direction, expected):
    assert progress(latest, 5, 5, direction) == expected


def test_target_on_the_wrong_side_of_the_baseline_is_a_level_to_hold():
    assert progress(9, 10, 8, "up") == 1.0  # "at least 8", already above it
    assert progress(7, 10, 8, "up") == 0.0


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA])
def test_missing_input_gives_none(missing):
    assert progress(missing, 1, 2, "up") is None
    assert progress(1, missing, 2, "up") is None
    assert progress(1, 1, missing, "up") is None
    assert progress(1, 1, 2, None) is None


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError, match="direction"):
        progress(1, 0, 2, "sideways")


def test_meets_target():
    assert meets_target(5, 5, "up") and meets_target(5, 5, "down")
    assert meets_target(6, 5, "up") and not meets_target(6, 5, "down")


def test_value_of_target():
    assert value_of_target(30, 60) == (30.0, 60.0)
    assert value_of_target(math.nan, 60).value is None
    assert value_of_target(None, None) == (None, None)


def test_add_progress_matches_scalar_and_keeps_other_columns():
    frame = pd.DataFrame(
        {
            "code": ["A", "B", "C", "D", "E"],
            "latest": [30.0, 9.0, None, 5.0, 4.0],
            "baseline": [10.0, 10.0, 1.0, 5.0, 5.0],
            "target": [50.0, 8.0, 2.0, 5.0, 5.0],
            "direction": ["up", "down", "up", "down", "up"],
        }
    )
    result = add_progress(frame)
    assert list(result["code"]) == list(frame["code"])
    assert result["progress"].tolist()[:2] == [0.5, 0.5]
    assert math.isnan(result["progress"].iloc[2])
    assert result["progress"].tolist()[3:] == [1.0, 0.0]
    assert "progress" not in frame


def test_add_progress_empty_frame():
    empty = pd.DataFrame({"latest": [], "baseline": [], "target": [], "direction": []})
    assert add_progress(empty)["progress"].empty


def test_add_progress_refuses_unknown_direction():
    frame = pd.DataFrame({"latest": [1.0], "baseline": [0.0], "target": [2.0], "direction": ["left"]})
    with pytest.raises(ValueError, match="direction"):
        add_progress(frame)


@settings(settings.get_profile("kpi"))
@given(a=finite, b=finite, baseline=finite, target=finite, direction=st.sampled_from(["up", "down"]))
def test_progress_is_monotone_in_the_latest_value_in_the_direction(a, b, baseline, target, direction):
    worse, better = sorted((a, b)) if direction == "up" else sorted((a, b), reverse=True)
    assert progress(worse, baseline, target, direction) <= progress(better, baseline, target, direction)


@settings(settings.get_profile("kpi"))
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), finite), finite, finite, st.sampled_from(["up", "down"])
        ),
        max_size=20,
    )
)
def test_add_progress_equals_progress_row_by_row(rows):
    frame = pd.DataFrame(rows, columns=["latest", "baseline", "target", "direction"])
    vectorised = add_progress(frame)["progress"].tolist()
    scalar = [progress(*row) for row in rows]
    assert [None if math.isnan(value) else value for value in vectorised] == scalar
