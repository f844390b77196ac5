"""Contexts for service tests on the session's shared, read-only demo store."""

from __future__ import annotations

import pytest

from data_sources.settings import load_settings
from services.context import make_context


@pytest.fixture
def ctx_for(readonly_demo_engine, readonly_database_url):
    """``ctx_for(lang="en", viewer=None, as_of=None)`` -> a services Context on the shared demo store."""
    def make(lang="en", viewer=None, as_of=None):
        settings = load_settings({"NATIJE_DATABASE_URL": readonly_database_url})
        return make_context(readonly_demo_engine, settings, lang=lang, viewer=viewer, as_of=as_of)
    return make
