"""Progress toward a target.

    progress = (latest - baseline) / (target - baseline)

A fraction of the distance from the baseline to the target: 0.0 at the baseline, 1.0 when the
target is reached, above 1.0 beyond it, negative when the indicator moved away from the target.
The same formula serves both directions, because for a lower-is-better indicator the target lies
below the baseline.

A target that does not lie beyond the baseline in the indicator's direction (equal to the
baseline: a level to hold; or on the wrong side of it) cannot be approached: progress is then
1.0 when the latest value meets the target in the direction and 0.0 otherwise.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from kpi._values import float_or_none

Direction = Literal["up", "down"]

DIRECTION_SIGN: dict[str, int] = {"up": 1, "down": -1}


def check_direction(direction: str) -> None:
    """Raise ValueError unless ``direction`` is ``"up"`` or ``"down"``."""
    if direction not in DIRECTION_SIGN:
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")


def meets_target(value: float, target: float, direction: Direction) -> bool:
    """``value >= target`` for a higher-is-better indicator, ``value <= target`` for lower-is-better."""
    check_direction(direction)
    return (value - target) * DIRECTION_SIGN[direction] >= 0


def progress(
    latest: float | None, baseline: float | None, target: float | None, direction: Direction | None
) -> float | None:
    """Fraction of the way from ``baseline`` to ``target`` (1.0 = reached); None if an input is missing.

    Formula and the level-to-hold rule: see the module docstring. Unitless.
    """
    latest, baseline, target = float_or_none(latest), float_or_none(baseline), float_or_none(target)
    if latest is None or baseline is None or target is None or direction is None:
        return None
    check_direction(direction)
    if (target - baseline) * DIRECTION_SIGN[direction] > 0:
        return (latest - baseline) / (target - baseline)
    return 1.0 if meets_target(latest, target, direction) else 0.0


class ValueOfTarget(NamedTuple):
    """The two figures of a "30 of 60" card; None where missing."""

    value: float | None
    target: float | None


def value_of_target(latest: float | None, target: float | None) -> ValueOfTarget:
    """The latest value and the target as plain floats, for a "30 of 60" card."""
    return ValueOfTarget(float_or_none(latest), float_or_none(target))


def add_progress(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with a float column ``progress`` (NaN where an input is missing).

    Vectorised :func:`progress` over the columns ``latest``, ``baseline``, ``target`` and
    ``direction``; the same formula and rule, row by row (non-finite numbers count as missing).
    """
    latest, baseline, target = (
        pd.to_numeric(frame[column]).to_numpy(dtype=float, na_value=np.nan)
        for column in ("latest", "baseline", "target")
    )
    direction = frame["direction"]
    unknown = direction.notna() & ~direction.isin(list(DIRECTION_SIGN))
    if unknown.any():
        raise ValueError(f"direction must be 'up' or 'down', not {direction[unknown].iloc[0]!r}")
    sign = direction.map(DIRECTION_SIGN).to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        approachable = (target - baseline) * sign > 0
        meets = (latest - target) * sign >= 0
        values = np.where(approachable, (latest - baseline) / (target - baseline), np.where(meets, 1.0, 0.0))
    missing = ~(np.isfinite(latest) & np.isfinite(baseline) & np.isfinite(target) & np.isfinite(sign))
    return frame.assign(progress=np.where(missing, np.nan, values))
