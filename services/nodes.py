"""A node's page (portfolio, program or project): the node, its breadcrumb, owner, goals and children."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_sources import queries
from services.cache import by_data_version
from services.context import Context
from services.goals import AssessedGoals, assess_goals, roll_up_goals
from services.overview import goal_cards, with_days_overdue

#: Columns of :attr:`NodeView.children`.
CHILD_COLUMNS = ("code", "name", "level", "region", "region_name", "state", "start_date", "end_date",
                 "budget_kzt", "owner_name", "owner_post")


@dataclass(frozen=True)
class NodeView:
    """What a node page shows.

    ``node``: :data:`queries.NODE_COLUMNS` plus ``owner``, ``owner_name``, ``owner_post`` and the
    roll-up of its goals: ``status``, ``reason_text`` (the worst goal's), ``score``;
    ``path``: the breadcrumb (code, level, name) from the portfolio down to the node;
    ``goals``: assessed goals (:data:`services.goals.ASSESSED_COLUMNS`) with their series and targets;
    ``cards``: the goals as KPI cards (:data:`services.overview.CARD_COLUMNS`), headline goals first;
    ``children``: :data:`CHILD_COLUMNS` (projects of a program, programs of a portfolio);
    ``overdue_instructions``: overdue instructions linked to the node (scope applies), with ``days_overdue``.
    """

    node: dict
    path: pd.DataFrame
    goals: AssessedGoals
    cards: pd.DataFrame
    children: pd.DataFrame
    overdue_instructions: pd.DataFrame


@by_data_version()
def build_node(ctx: Context, code: str) -> NodeView | None:
    """The view of node ``code`` (case-insensitive), or None when it does not exist for this viewer."""
    engine, viewer, lang = ctx.engine, ctx.viewer, ctx.lang
    node = queries.node(engine, viewer, code, lang=lang)
    if node is None:
        return None
    children = queries.children(engine, viewer, node["code"], lang=lang)
    owners = queries.accountable(engine, viewer, [node["code"], *children["code"]], on=ctx.today,
                                 lang=lang).set_index("node")
    own = owners.loc[node["code"]] if node["code"] in owners.index else None
    node.update(owner=own["official"] if own is not None else None,
                owner_name=own["name"] if own is not None else None,
                owner_post=own["post"] if own is not None else None)
    goals = queries.goals(engine, viewer, [node["code"]], lang=lang)
    children = children.assign(
        owner_name=[owners.loc[c, "name"] if c in owners.index else None for c in children["code"]],
        owner_post=[owners.loc[c, "post"] if c in owners.index else None for c in children["code"]],
    )
    assessed = assess_goals(ctx, goals)
    node.update(roll_up_goals(ctx, assessed.goals))
    return NodeView(
        node=node,
        path=queries.node_path(engine, viewer, node["code"], lang=lang),
        goals=assessed,
        cards=goal_cards(ctx, assessed.goals, assessed.series, owners),
        children=children[list(CHILD_COLUMNS)].reset_index(drop=True),
        overdue_instructions=with_days_overdue(ctx, queries.overdue_instructions(
            engine, viewer, today=ctx.today, lang=lang, node_codes=[node["code"]])),
    )
