"""Weighted roll-up of children (projects -> program -> portfolio) into their parent.

Input: one row per child with ``code``, ``status``, ``score`` (a progress-like number or
missing), ``weight`` (missing or absent column: 1.0; must be > 0) and ``reason_code``.

- **score** = sum(weight * score) / sum(weight) over the children with a score; None if none.
- **status**: children whose status is ``no_data`` are left out. If all the others are
  ``achieved`` the parent is ``achieved``; if all are ``missed``, ``missed``. Otherwise each
  child's status is ranked on the five-point scale (red or missed 0, amber_red 1, amber 2,
  amber_green 3, green or achieved 4); the parent's rank is the weighted mean rank rounded to the
  nearest step (a half rounds down, to the worse step), but never more than one step above the
  worst child's rank. No judged child: ``no_data``.
- **worst child**: the judged child first in :data:`kpi.status.STATUS_ORDER` (worst first),
  then with the lowest score, then the largest weight, then the smallest code. Its code, status
  and reason code are reported; the parent's ``reason_code`` is its worst child's, so a roll-up
  row feeds the next level unchanged.

Both the score and the status rank lie between the children's minimum and maximum.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from kpi.status import CONFIDENCE_STEPS, STATUS_ORDER

_SCALE: tuple[str, ...] = tuple(step.status for step in reversed(CONFIDENCE_STEPS))  # red .. green
_RANK: dict[str, int] = {**{status: rank for rank, status in enumerate(_SCALE)}, "missed": 0, "achieved": len(_SCALE) - 1}


@dataclass(frozen=True)
class RollUp:
    """The parent's figures: weighted score, status, its reason (the worst child's) and the worst child."""

    score: float | None
    status: str
    reason_code: str | None
    worst_code: str | None
    worst_status: str | None
    n_children: int
    n_judged: int


def _weights(children: pd.DataFrame) -> pd.Series:
    if "weight" not in children:
        return pd.Series(1.0, index=children.index)
    weights = pd.to_numeric(children["weight"]).astype(float).fillna(1.0)
    if (weights <= 0).any():
        raise ValueError("child weights must be greater than zero")
    return weights


def _parent_status(statuses: pd.Series, weights: pd.Series) -> str:
    if (statuses == "achieved").all():
        return "achieved"
    if (statuses == "missed").all():
        return "missed"
    ranks = statuses.map(_RANK).to_numpy(dtype=float)
    mean_rank = float(np.average(ranks, weights=weights.to_numpy()))
    return _SCALE[min(math.ceil(mean_rank - 0.5), int(ranks.min()) + 1)]


def rollup(children: pd.DataFrame) -> RollUp:
    """Roll the children up into their parent; rule in the module docstring."""
    unknown = set(children["status"]) - set(STATUS_ORDER)
    if unknown:
        raise ValueError(f"unknown status {sorted(unknown)[0]!r}")
    weights = _weights(children)
    scores = pd.to_numeric(children["score"]).astype(float)
    scored = scores.notna()
    score = float(np.average(scores[scored], weights=weights[scored])) if scored.any() else None
    judged = children["status"] != "no_data"
    if not judged.any():
        return RollUp(score, "no_data", None, None, None, len(children), 0)
    ordered = children.loc[judged].assign(
        _order=children["status"].map(STATUS_ORDER.index),
        _score=scores.fillna(np.inf),
        _weight=-weights,
    ).sort_values(["_order", "_score", "_weight", "code"])
    worst = ordered.iloc[0]
    reason = None if pd.isna(worst["reason_code"]) else str(worst["reason_code"])
    return RollUp(
        score=score,
        status=_parent_status(children.loc[judged, "status"], weights[judged]),
        reason_code=reason,
        worst_code=str(worst["code"]),
        worst_status=str(worst["status"]),
        n_children=len(children),
        n_judged=int(judged.sum()),
    )


def rollup_groups(children: pd.DataFrame, parent_column: str) -> pd.DataFrame:
    """:func:`rollup` for each value of ``parent_column``: one row per parent.

    Columns ``code`` (the parent) and the fields of :class:`RollUp`; with the parents' own
    weights merged in, the result is the ``children`` input of the next level.
    """
    rows = [
        {"code": parent, **asdict(rollup(group))}
        for parent, group in children.groupby(parent_column, sort=True)
    ]
    columns = ["code", *RollUp.__dataclass_fields__]
    return pd.DataFrame(rows, columns=columns)
