import math

import numpy as np
import pandas as pd
import pytest

from kpi._values import float_or_none, is_missing


@pytest.mark.parametrize("value", [None, math.nan, np.nan, pd.NA, pd.NaT])
def test_missing_markers(value):
    assert is_missing(value)
    assert float_or_none(value) is None


@pytest.mark.parametrize("value", [0, 0.0, -3.5, np.float64(2.0), 7])
def test_numbers_are_not_missing(value):
    assert not is_missing(value)
    assert float_or_none(value) == float(value)
    assert type(float_or_none(value)) is float


def test_infinite_is_not_a_figure():
    assert float_or_none(math.inf) is None
