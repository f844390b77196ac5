"""The process's settings and engine, made once on first use (never at import)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Engine

from data_sources.settings import Settings, load_settings
from data_sources.store import make_engine


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine


@lru_cache(maxsize=1)
def runtime() -> Runtime:
    """Settings read once from ``NATIJE_*`` and one engine (pool) for this process."""
    settings = load_settings()
    return Runtime(settings, make_engine(settings.database_url))
