"""Fixtures of the dashboard tests: sample frames with exactly the columns of ``services.overview``."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.dashboards.ui_samples import sample_cards, sample_overview, sample_programs
from services.overview import Overview


@pytest.fixture
def overview() -> Overview:
    return sample_overview()


@pytest.fixture
def cards() -> pd.DataFrame:
    return sample_cards()


@pytest.fixture
def programs() -> pd.DataFrame:
    return sample_programs()
