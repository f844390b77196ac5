"""The budget at completion of a project whose budget lines stop at the last complete month (no store)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from services.projects import with_unplanned_remainder


def test_unplanned_remainder():
    lines = pd.DataFrame({"period_start": pd.to_datetime(["2025-01-01", "2025-02-01"]), "planned": [10.0, 20.0],
                          "spent": [9.0, 25.0]})
    padded = with_unplanned_remainder(lines, 100.0, dt.date(2026, 1, 31), dt.date(2025, 3, 10))
    assert padded["planned"].sum() == 100.0 and padded["spent"].sum() == 34.0
    assert padded["period_start"].iloc[-1] == pd.Timestamp("2026-01-31")
    past_end = with_unplanned_remainder(lines, 100.0, dt.date(2025, 1, 31), dt.date(2025, 3, 10))
    assert past_end["period_start"].iloc[-1] == pd.Timestamp("2025-03-11")  # still after today
    assert with_unplanned_remainder(lines, 30.0, dt.date(2026, 1, 31), dt.date(2025, 3, 10)) is lines
    assert with_unplanned_remainder(lines, None, dt.date(2026, 1, 31), dt.date(2025, 3, 10)) is lines
