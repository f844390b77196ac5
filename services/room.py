"""The situation room (``/room``): a wall display configured entirely by its URL.

``parse_room(params)`` turns the query string into a :class:`RoomConfig` (panels, timings, theme) and
the problems found in it, so a mistyped URL still shows a room and says what it ignored. The panels
themselves are drawn by ``dashboards._room`` from the same services and chart functions as the pages;
``room_alerts`` is the ticker; ``room_status`` is what the display polls every ``refresh`` seconds.

URL parameters (documented in ``docs/room.md``; the numbers are declared once in :data:`ROOM_NUMBERS`)::

    panels=overview,map:LIFE_EXPECTANCY,program:NP-HEALTH,region:AST,instructions,ledger
    rotate=30  refresh=60  reload=21600  theme=dark|light  lang=kk|ru|en
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from data_sources import queries
from data_sources.store import normalise_code
from services.context import Context
from services.overview import build_overview

#: Panel kinds; those in :data:`CODED_KINDS` need ``kind:CODE``, ``map`` takes an optional indicator.
PANEL_KINDS = ("overview", "map", "program", "region", "instructions", "ledger")
CODED_KINDS = ("program", "region")
#: More panels than this would never all be seen: a wall shows one at a time.
MAX_PANELS = 12
THEMES = ("dark", "light")
DEFAULT_PANELS = "overview,instructions"

#: Ticker items: one row per alert, worst kind first (red goals, overdue instructions, stale data).
ALERT_COLUMNS = ("kind", "key", "subject", "place", "who", "days")
ALERT_KINDS = ("red_goal", "overdue", "stale")
#: At most this many items of each kind run in the ticker (the counts say how many there are).
ALERTS_PER_KIND = 10


@dataclass(frozen=True)
class RoomNumber:
    """A whole-seconds URL parameter: its default and the range it is clamped to."""

    name: str
    default: int
    low: int
    high: int
    help: str


ROOM_NUMBERS: tuple[RoomNumber, ...] = (
    RoomNumber("rotate", 30, 2, 3600, "Seconds each panel stays on screen before the next one."),
    RoomNumber("refresh", 60, 2, 3600, "Seconds between two checks of the data version; new data appears "
                                       "within this time, unchanged data costs one indexed read."),
    RoomNumber("reload", 21600, 60, 604800, "Seconds between two full page reloads (keeps browser memory "
                                            "bounded); a reload waits until the server answers."),
)


@dataclass(frozen=True)
class PanelSpec:
    """One panel: ``kind`` of :data:`PANEL_KINDS` and its code (indicator, program or region), if any."""

    kind: str
    code: str | None = None

    @property
    def token(self) -> str:
        """The panel as written in the URL (``map:LIFE_EXPECTANCY``)."""
        return f"{self.kind}:{self.code}" if self.code else self.kind


@dataclass(frozen=True)
class RoomProblem:
    """Something in the URL that was ignored or adjusted: a catalog message id and its parameters."""

    code: str
    value: str
    detail: Any = None


@dataclass(frozen=True)
class RoomConfig:
    """A room as its URL describes it, after validation."""

    panels: tuple[PanelSpec, ...]
    rotate: int
    refresh: int
    reload: int
    theme: str
    problems: tuple[RoomProblem, ...] = ()

    def as_data(self) -> dict:
        """The config as JSON-able data (kept by the page for its refresh callback)."""
        return {"panels": [p.token for p in self.panels], "rotate": self.rotate, "refresh": self.refresh,
                "reload": self.reload, "theme": self.theme}


def _first(value: Any) -> str | None:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return None if value is None else str(value)


def parse_panel(token: str) -> PanelSpec | RoomProblem:
    """``kind`` or ``kind:CODE`` -> a :class:`PanelSpec`, or the problem with it."""
    kind, _, code = token.strip().partition(":")
    kind, code = kind.strip().lower(), code.strip()
    if kind not in PANEL_KINDS:
        return RoomProblem("room.problem.unknown_panel", token.strip(), ", ".join(PANEL_KINDS))
    if kind in CODED_KINDS and not code:
        return RoomProblem("room.problem.needs_code", token.strip(), kind)
    if code and kind not in CODED_KINDS + ("map",):
        return RoomProblem("room.problem.no_code", token.strip(), kind)
    if code and (len(code) > 64 or not all(ch.isalnum() or ch in "-_." for ch in code)):
        return RoomProblem("room.problem.bad_code", token.strip())
    return PanelSpec(kind, normalise_code(code) if code else None)


def parse_panels(value: Any) -> tuple[tuple[PanelSpec, ...], tuple[RoomProblem, ...]]:
    """The ``panels`` parameter: comma-separated, duplicates dropped, at most :data:`MAX_PANELS`;
    the defaults when nothing valid is left."""
    text = _first(value)
    tokens = [tok for tok in (text if text is not None else DEFAULT_PANELS).split(",") if tok.strip()]
    panels: list[PanelSpec] = []
    problems: list[RoomProblem] = []
    for token in tokens:
        parsed = parse_panel(token)
        if isinstance(parsed, RoomProblem):
            problems.append(parsed)
        elif parsed not in panels:
            panels.append(parsed)
    if len(panels) > MAX_PANELS:
        problems.append(RoomProblem("room.problem.too_many", str(len(panels)), MAX_PANELS))
        panels = panels[:MAX_PANELS]
    if not panels:
        panels = [p for p in (parse_panel(tok) for tok in DEFAULT_PANELS.split(",")) if isinstance(p, PanelSpec)]
    return tuple(panels), tuple(problems)


def parse_number(spec: RoomNumber, value: Any) -> tuple[int, RoomProblem | None]:
    """Whole seconds within ``[spec.low, spec.high]``: out-of-range values are clamped, others ignored."""
    text = _first(value)
    if text is None or not text.strip():
        return spec.default, None
    try:
        number = int(text.strip())
    except ValueError:
        return spec.default, RoomProblem("room.problem.not_number", text, spec.name)
    clamped = min(max(number, spec.low), spec.high)
    if clamped != number:
        return clamped, RoomProblem("room.problem.clamped", text, {"name": spec.name, "used": clamped})
    return number, None


def parse_room(params: Mapping[str, Any]) -> RoomConfig:
    """The :class:`RoomConfig` of a URL's query parameters (never raises; problems are listed)."""
    panels, problems = parse_panels(params.get("panels"))
    found = list(problems)
    numbers = {}
    for spec in ROOM_NUMBERS:
        numbers[spec.name], problem = parse_number(spec, params.get(spec.name))
        if problem is not None:
            found.append(problem)
    theme = (_first(params.get("theme")) or "dark").strip().lower()
    if theme not in THEMES:
        found.append(RoomProblem("room.problem.unknown_theme", theme))
        theme = "dark"
    return RoomConfig(panels=panels, theme=theme, problems=tuple(found), **numbers)


def config_from_data(data: Any) -> RoomConfig:
    """A :class:`RoomConfig` from what a client sent back (re-validated: any client can send anything)."""
    data = data if isinstance(data, Mapping) else {}
    panels = data.get("panels")
    text = ",".join(str(p) for p in panels[:MAX_PANELS * 2]) if isinstance(panels, list) else None
    params = {name: data.get(name) for name in ("rotate", "refresh", "reload", "theme")}
    return parse_room({**{k: (None if v is None else str(v)) for k, v in params.items()}, "panels": text})


# --- what the display polls ------------------------------------------------------------------------------

class StoreUnavailable(RuntimeError):
    """The store did not answer the poll (down, unreachable, not migrated)."""


def room_status(engine: Engine, now: dt.datetime | None = None) -> dict:
    """The poll's answer: ``data_version`` (one indexed read) and the server's time (ISO, UTC).
    Raises :class:`StoreUnavailable` when the store does not answer."""
    now = now or dt.datetime.now(dt.timezone.utc)
    try:
        version = queries.data_version(engine)
    except SQLAlchemyError as error:
        raise StoreUnavailable(str(error)) from error
    return {"data_version": version, "server_time": now.isoformat(timespec="seconds")}


# --- the ticker ------------------------------------------------------------------------------------------

def room_alerts(ctx: Context) -> pd.DataFrame:
    """The ticker's alerts (:data:`ALERT_COLUMNS`), from the overview of the current portfolio (the same
    lists as its alert strip, so the wall and the minister's page agree): red goals, then overdue
    instructions (longest overdue first), then indicators whose data is late or stale; at most
    :data:`ALERTS_PER_KIND` of each. ``key`` identifies an alert across refreshes (the display marks
    the ones it has not seen before)."""
    ov = build_overview(ctx)
    if ov is None:
        return pd.DataFrame(columns=list(ALERT_COLUMNS))
    red = ov.off_track[ov.off_track["status"] == "red"].head(ALERTS_PER_KIND)
    overdue = ov.overdue.sort_values(["days_overdue", "code"], ascending=[False, True]).head(ALERTS_PER_KIND)
    stale = ov.stale.head(ALERTS_PER_KIND)
    rows = (
        [{"kind": "red_goal", "key": f"goal:{g['node']}:{g['indicator']}", "subject": g["name"],
          "place": g["node_name"], "who": g["owner_name"], "days": None} for _, g in red.iterrows()]
        + [{"kind": "overdue", "key": f"instruction:{i['code']}", "subject": i["text"], "place": i["meeting"],
            "who": i["assignee_name"], "days": int(i["days_overdue"])} for _, i in overdue.iterrows()]
        + [{"kind": "stale", "key": f"stale:{s['indicator']}", "subject": s["name"], "place": s["freshness"],
            "who": s["agency_name"], "days": None} for _, s in stale.iterrows()]
    )
    return pd.DataFrame(rows, columns=list(ALERT_COLUMNS))


def alert_counts(ctx: Context) -> dict[str, int]:
    """How many alerts of each kind there are in all (the ticker shows the first few of each)."""
    ov = build_overview(ctx)
    if ov is None:
        return {kind: 0 for kind in ALERT_KINDS}
    return {"red_goal": int((ov.off_track["status"] == "red").sum()), "overdue": len(ov.overdue),
            "stale": len(ov.stale)}
