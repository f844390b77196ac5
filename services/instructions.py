"""Instructions (поручения) for ``/instructions``, the official's scorecard and the program, project and
region pages: query the store (filtered and paginated in SQL), then each row's state on ``ctx.today``
(``kpi.instructions``: done, overdue, due soon, open).

Views of ``/instructions`` (:data:`VIEWS`): ``all`` (newest first), ``due_week`` (not done and due in the
seven days from ``ctx.today``: the ``due_soon`` state), ``overdue_assignee`` and ``overdue_agency``
(overdue ones counted per assignee or per agency, and listed in that order), ``by_meeting`` (meetings
with their instructions counted). Who an overdue instruction escalates to: ``data_sources.accountability``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, fields

import pandas as pd

from data_sources import accountability
from kpi.instructions import INSTRUCTION_STATES, instruction_states, state_window
from services.cache import by_data_version
from services.context import Context

VIEWS = ("all", "due_week", "overdue_assignee", "overdue_agency", "by_meeting")
#: Rows per page of ``/instructions``.
PAGE_SIZE = 50
#: At most this many instructions of one program, project, region or official are listed on its page.
PAGE_LIST_LIMIT = 500
#: One row per instruction: the query's columns plus ``state``, ``days_overdue``, ``days_left``.
LIST_COLUMNS = (*accountability.INSTRUCTION_COLUMNS, "state", "days_overdue", "days_left")
#: The overdue groups of ``overdue_assignee`` / ``overdue_agency``, plus ``days_overdue`` of the oldest.
GROUP_COLUMNS = (*accountability.OVERDUE_GROUP_COLUMNS, "days_overdue")


@dataclass(frozen=True)
class InstructionFilters:
    """Filters of the ``all`` list, as given in the URL (codes; ``meeting_date``: a meeting's day,
    ``issued_by``: who chaired it). Unknown codes simply match nothing."""

    assignee: str | None = None
    agency: str | None = None
    region: str | None = None
    node: str | None = None
    meeting_date: dt.date | None = None
    issued_by: str | None = None

    def as_query(self) -> dict:
        """The filters as :func:`accountability.instructions` keywords (``node`` covers its subtree)."""
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        values["under"] = values.pop("node")
        return values

    @property
    def active(self) -> bool:
        return any(getattr(self, field.name) is not None for field in fields(self))


@dataclass(frozen=True)
class InstructionListing:
    """One page of a view.

    ``rows``: :data:`LIST_COLUMNS` (empty for ``by_meeting``); ``total``: rows (``by_meeting``:
    meetings) the view pages through; ``page`` (from 1, clamped to ``pages``), ``pages``, ``page_size``;
    ``groups``: :data:`GROUP_COLUMNS` for the overdue views, :data:`accountability.MEETING_COLUMNS`
    for ``by_meeting``, else None; ``counts``: instructions in the whole scope — ``all``, ``due_week``,
    ``overdue`` — for the tabs; ``visible``: False for roles that do not see instructions."""

    view: str
    rows: pd.DataFrame
    total: int
    page: int
    pages: int
    page_size: int
    groups: pd.DataFrame | None
    counts: dict
    filters: InstructionFilters
    visible: bool


def with_states(ctx: Context, frame: pd.DataFrame) -> pd.DataFrame:
    """Instruction rows with their state on ``ctx.today`` (:data:`LIST_COLUMNS`)."""
    if frame.empty:
        return pd.DataFrame(columns=list(LIST_COLUMNS))
    return instruction_states(frame, today=ctx.today)[list(LIST_COLUMNS)].reset_index(drop=True)


def worst_first(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows overdue first (most overdue first), then due soon, open (soonest first), done (latest first)."""
    if frame.empty:
        return frame
    rank = frame["state"].map(INSTRUCTION_STATES.index)
    due = pd.to_datetime(frame["due_date"]).map(pd.Timestamp.toordinal)
    done = pd.to_datetime(frame["done_date"]).map(lambda day: -day.toordinal() if pd.notna(day) else 0)
    key = due.where(frame["state"] != "done", done)
    return (frame.assign(_rank=rank, _key=key).sort_values(["_rank", "_key", "code"])
            .drop(columns=["_rank", "_key"]).reset_index(drop=True))


def _window(state: str, today: dt.date) -> dict:
    window = state_window(state, today)
    return {"outstanding": window.outstanding, "due_from": window.due_from, "due_until": window.due_until}


def parse_view(value: object) -> str:
    """A view of :data:`VIEWS`; anything else is ``all``."""
    return value if isinstance(value, str) and value in VIEWS else "all"


@by_data_version()
def view_counts(ctx: Context) -> dict:
    """Instructions in the viewer's scope issued by ``ctx.today``: ``all``, ``due_week``, ``overdue``."""
    engine, viewer, today = ctx.engine, ctx.viewer, ctx.today
    return {
        "all": accountability.instruction_total(engine, viewer, today=today),
        "due_week": accountability.instruction_total(engine, viewer, today=today, **_window("due_soon", today)),
        "overdue": accountability.instruction_total(engine, viewer, today=today, **_window("overdue", today)),
    }


def _pages(total: int, page: int, page_size: int) -> tuple[int, int]:
    pages = max(1, math.ceil(total / page_size))
    return min(max(1, page), pages), pages


@by_data_version()
def build_instructions(ctx: Context, view: str = "all", page: int = 1,
                       filters: InstructionFilters = InstructionFilters()) -> InstructionListing:
    """Page ``page`` of ``view`` (:data:`VIEWS`; unknown views are ``all``) with ``filters`` applied to
    the lists (the meeting view lists meetings, unfiltered)."""
    engine, viewer, today, lang = ctx.engine, ctx.viewer, ctx.today, ctx.lang
    view = parse_view(view)
    counts = view_counts(ctx)
    groups = None
    if view == "by_meeting":
        total = accountability.meeting_total(engine, viewer, today=today)
        page, pages = _pages(total, page, PAGE_SIZE)
        groups = accountability.meetings(engine, viewer, today=today, lang=lang, limit=PAGE_SIZE,
                                         offset=(page - 1) * PAGE_SIZE)
        rows = with_states(ctx, pd.DataFrame())
    else:
        query = filters.as_query()
        order = "issued"
        if view == "due_week":
            query, order = {**query, **_window("due_soon", today)}, "due"
        elif view in ("overdue_assignee", "overdue_agency"):
            by = view.removeprefix("overdue_")
            query, order = {**query, **_window("overdue", today)}, by
            groups = accountability.overdue_groups(engine, viewer, today=today, by=by, lang=lang)
            groups = groups.assign(days_overdue=[(today - due).days for due in groups["oldest_due"]])
        total = accountability.instruction_total(engine, viewer, today=today, **query)
        page, pages = _pages(total, page, PAGE_SIZE)
        rows = with_states(ctx, accountability.instructions(engine, viewer, today=today, lang=lang, order=order,
                                                            limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                                                            **query))
    return InstructionListing(view=view, rows=rows, total=total, page=page, pages=pages, page_size=PAGE_SIZE,
                              groups=groups, counts=counts, filters=filters, visible=viewer.sees_instructions)


@by_data_version()
def node_instructions(ctx: Context, code: str) -> pd.DataFrame:
    """Instructions linked to node ``code`` or to any node below it (a program's and its projects'),
    worst first (:func:`worst_first`); :data:`LIST_COLUMNS`."""
    frame = accountability.instructions(ctx.engine, ctx.viewer, today=ctx.today, lang=ctx.lang, under=code,
                                        order="due", limit=PAGE_LIST_LIMIT)
    return worst_first(with_states(ctx, frame))


@by_data_version()
def region_instructions(ctx: Context, region: str) -> pd.DataFrame:
    """Instructions of region ``region`` (its akimat's, and the Government's to its akim), worst first;
    :data:`LIST_COLUMNS` (none outside the viewer's scope)."""
    frame = accountability.instructions(ctx.engine, ctx.viewer, today=ctx.today, lang=ctx.lang, region=region,
                                        order="due", limit=PAGE_LIST_LIMIT)
    return worst_first(with_states(ctx, frame))


def overdue_for(ctx: Context, official: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The instructions overdue on ``ctx.today`` that count against ``official``: (their own as the
    assignee, those escalated to them), most overdue first; :data:`LIST_COLUMNS` each."""
    overdue = _window("overdue", ctx.today)
    own, escalated = (
        accountability.instructions(ctx.engine, ctx.viewer, today=ctx.today, lang=ctx.lang, order="due",
                                    limit=PAGE_LIST_LIMIT, **{role: official}, **overdue)
        for role in ("assignee", "escalated_to"))
    return with_states(ctx, own), with_states(ctx, escalated)
