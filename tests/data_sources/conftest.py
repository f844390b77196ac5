"""Engines for data-layer tests, on the backend the run targets (see tests/conftest.py)."""

from __future__ import annotations

from typing import Iterator

import pytest
from sqlalchemy import Engine

from data_sources import migrate
from data_sources.store import make_engine


@pytest.fixture
def empty_engine(empty_database_url: str) -> Iterator[Engine]:
    """A migrated store with nothing in it."""
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def demo_engine(database_url: str) -> Iterator[Engine]:
    """A private, writable copy of the demo store."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def readonly_demo_engine(readonly_database_url: str) -> Iterator[Engine]:
    """The session's shared demo copy; tests using it must not write."""
    engine = make_engine(readonly_database_url)
    yield engine
    engine.dispose()
