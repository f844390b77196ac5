"""Goal assessment details that live in services (not kpi)."""

from __future__ import annotations

import datetime as dt

from kpi.forecast import Forecast
from services.goals import within_valid_range


def test_forecasts_stay_within_the_indicators_valid_range():
    outlook = Forecast("ok", 209.0, 180.0, 238.0, 0.99, dt.date(2026, 12, 31), 40.0, 8)
    clipped = within_valid_range(outlook, 0.0, 100.0)
    assert (clipped.value, clipped.low, clipped.high, clipped.probability) == (100.0, 100.0, 100.0, 0.99)
    assert within_valid_range(outlook, None, None) == outlook
    assert within_valid_range(Forecast("insufficient_data", None, None, None, None, dt.date(2026, 12, 31), None, 1),
                              0.0, 100.0).value is None
