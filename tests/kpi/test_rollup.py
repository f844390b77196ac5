import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.rollup import RollUp, rollup, rollup_groups
from kpi.status import STATUS_ORDER

FIVE_POINT = ("red", "amber_red", "amber", "amber_green", "green")
RANK = {**{status: rank for rank, status in enumerate(FIVE_POINT)}, "missed": 0, "achieved": 4}


def children(*rows):
    return pd.DataFrame(rows, columns=["code", "status", "score", "weight", "reason_code"])


def test_weighted_score_status_and_worst_child():
    result = rollup(children(
        ("A", "green", 1.0, 1.0, "on_track"),
        ("B", "green", 0.9, 1.0, "on_track"),
        ("C", "red", 0.2, 2.0, "forecast_misses_target"),
    ))
    assert result.score == pytest.approx((1.0 + 0.9 + 2 * 0.2) / 4)
    # mean rank (4 + 4 + 0*2) / 4 = 2 (amber), capped at one step above red: amber_red
    assert result == RollUp(result.score, "amber_red", "forecast_misses_target", "C", "red", 3, 3)


def test_equal_weights_by_default_and_half_rounds_to_the_worse_step():
    frame = children(("A", "green", 1.0, None, "on_track"), ("B", "amber", 0.5, None, "forecast_uncertain"))
    assert rollup(frame).status == "amber_green"  # (4 + 2) / 2 = 3, within one step of amber
    frame = children(("A", "green", 1.0, None, "x"), ("B", "amber_green", 0.5, None, "y"))
    assert rollup(frame).status == "amber_green"  # (4 + 3) / 2 = 3.5 rounds down to 3
    assert rollup(frame.drop(columns="weight")).status == "amber_green"


def test_no_data_children_are_left_out():
    result = rollup(children(("A", "no_data", None, 1.0, "no_data"), ("B", "amber", 0.4, 1.0, "behind_trajectory")))
    assert (result.status, result.score, result.worst_code, result.n_judged, result.n_children) == ("amber", 0.4, "B", 1, 2)


def test_only_no_data():
    result = rollup(children(("A", "no_data", None, 1.0, "no_target")))
    assert result == RollUp(None, "no_data", None, None, None, 1, 0)
    assert rollup(children()) == RollUp(None, "no_data", None, None, None, 0, 0)


def test_all_achieved_or_all_missed():
    assert rollup(children(("A", "achieved", 1.1, 1.0, "achieved"), ("B", "achieved", 1.0, 1.0, "achieved"))).status == "achieved"
    assert rollup(children(("A", "missed", 0.1, 1.0, "missed"), ("B", "missed", 0.5, 2.0, "missed"))).status == "missed"
    mixed = rollup(children(("A", "achieved", 1.1, 1.0, "achieved"), ("B", "missed", 0.5, 1.0, "missed")))
    assert (mixed.status, mixed.worst_code) == ("amber_red", "B")  # mean 2, capped at missed + 1


def test_worst_child_ties_break_on_score_then_weight_then_code():
    tied = rollup(children(("B", "red", 0.3, 1.0, "b"), ("A", "red", 0.3, 1.0, "a"), ("C", "red", 0.2, 1.0, "c")))
    assert tied.worst_code == "C"
    tied = rollup(children(("B", "red", 0.3, 1.0, "b"), ("A", "red", 0.3, 1.0, "a")))
    assert tied.worst_code == "A"
    heavier = rollup(children(("B", "red", 0.3, 3.0, "b"), ("A", "red", 0.3, 1.0, "a")))
    assert heavier.worst_code == "B"


def test_negative_scores():
    result = rollup(children(("A", "red", -0.5, 1.0, "x"), ("B", "green", 0.5, 1.0, "y")))
    assert result.score == pytest.approx(0.0)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="weights"):
        rollup(children(("A", "green", 1.0, 0.0, "x")))
    with pytest.raises(ValueError, match="unknown status"):
        rollup(children(("A", "purple", 1.0, 1.0, "x")))


def test_rollup_groups_feeds_the_next_level():
    projects = children(
        ("P1", "green", 1.0, 1.0, "on_track"),
        ("P2", "red", 0.1, 1.0, "forecast_misses_target"),
        ("P3", "amber", 0.5, 1.0, "behind_trajectory"),
    ).assign(program=["NP-A", "NP-A", "NP-B"])
    programs = rollup_groups(projects, "program")
    assert list(programs["code"]) == ["NP-A", "NP-B"]
    assert list(programs["reason_code"]) == ["forecast_misses_target", "behind_trajectory"]
    portfolio = rollup(programs.assign(weight=[2.0, 1.0]))
    assert portfolio.worst_code == "NP-A"
    assert portfolio.reason_code == "forecast_misses_target"


child = st.tuples(
    st.sampled_from(STATUS_ORDER),
    st.one_of(st.none(), st.floats(min_value=-5, max_value=5)),
    st.floats(min_value=0.01, max_value=100),
)


@settings(settings.get_profile("kpi"))
@given(st.lists(child, min_size=1, max_size=12))
def test_rollup_lies_between_its_childrens_minimum_and_maximum(rows):
    frame = pd.DataFrame(
        [(f"C{i}", status, score, weight, "x") for i, (status, score, weight) in enumerate(rows)],
        columns=["code", "status", "score", "weight", "reason_code"],
    )
    result = rollup(frame)
    scores = [score for _, score, _ in rows if score is not None]
    if scores:
        assert min(scores) - 1e-9 <= result.score <= max(scores) + 1e-9
    else:
        assert result.score is None
    ranks = [RANK[status] for status, _, _ in rows if status != "no_data"]
    if ranks:
        assert min(ranks) <= RANK[result.status] <= max(ranks)
        assert result.worst_status in {status for status, _, _ in rows}
    else:
        assert result.status == "no_data"
