"""Small shared helpers for the scalar inputs of kpi: missing values and plain floats."""

from __future__ import annotations

import math


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas' missing markers (NA, NaT)."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pd.NA and NaT compare unequal to themselves
    except TypeError:  # pd.NA raises on bool()
        return True


def float_or_none(value: object) -> float | None:
    """A plain Python float, or None when the value is missing or not finite."""
    if is_missing(value):
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None
