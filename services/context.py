"""The context of one request: who is looking, in which language, as of which day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from data_sources import queries
from data_sources.settings import ALMATY, Settings, today_in_almaty
from data_sources.viewer import Viewer
from services.i18n import Translator, normalise_lang, translator


@dataclass(frozen=True)
class Context:
    """Everything a service needs besides its own arguments.

    ``today`` is the reference date for statuses, forecasts, freshness and "overdue";
    ``as_of`` (when set) is the end of that day in Asia/Almaty: figures are shown as they were known then.
    """

    engine: Engine
    settings: Settings
    viewer: Viewer
    lang: str
    today: dt.date
    as_of: dt.datetime | None = None
    is_demo: bool = False

    @property
    def t(self) -> Translator:
        return translator(self.lang)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of ``day`` in Asia/Almaty."""
    return dt.datetime.combine(day, dt.time(23, 59, 59, 999999), tzinfo=ALMATY)


def reference_date(engine: Engine, settings: Settings) -> tuple[dt.date, bool]:
    """(reference date, store holds demo data): ``NATIJE_TODAY``, else the demo's own date while the
    store holds demo data, else today in Asia/Almaty."""
    demo = queries.store_meta(engine).get("demo")
    if settings.today is not None:
        return settings.today, bool(demo)
    if demo:
        return dt.date.fromisoformat(demo["today"]), True
    return today_in_almaty(), False


def make_context(engine: Engine, settings: Settings, *, lang: str | None = None, as_of: dt.date | None = None,
                 viewer: Viewer | None = None) -> Context:
    """A context for one request; ``lang`` falls back to ``NATIJE_LANG``."""
    today, is_demo = reference_date(engine, settings)
    return Context(
        engine=engine, settings=settings, viewer=viewer or Viewer.from_settings(settings),
        lang=normalise_lang(lang, settings.lang), today=as_of or today,
        as_of=end_of_day(as_of) if as_of else None, is_demo=is_demo,
    )
