from datetime import date

import numpy as np
import pandas as pd
import pytest

from kpi.citizen_demand import count_requests, requests_growth, requests_per_capita, resolved_on_time

REQUESTS = pd.DataFrame(
    {
        "created": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-02-03", "2025-03-01", "2025-03-02"]),
        "region": ["AST", "AST", "AST", "AST", "ALA"],
        "topic": ["roads"] * 5,
        "due_date": pd.to_datetime(["2025-02-05", "2025-02-20", "2025-03-03", "2025-04-01", "2025-04-02"]),
        "resolved_date": pd.to_datetime(["2025-02-01", None, "2025-03-10", "2025-03-05", None]),
    }
)


def test_count_requests_by_period_region_topic():
    monthly = count_requests(REQUESTS, frequency="M")
    assert list(monthly.itertuples(index=False, name=None)) == [
        (pd.Timestamp("2025-01-01"), "AST", "roads", 2),
        (pd.Timestamp("2025-02-01"), "AST", "roads", 1),
        (pd.Timestamp("2025-03-01"), "ALA", "roads", 1),
        (pd.Timestamp("2025-03-01"), "AST", "roads", 1),
    ]
    assert count_requests(REQUESTS, frequency="Q")["requests"].tolist() == [1, 4]


def test_requests_per_10000_people():
    counts = pd.DataFrame({"period_start": pd.to_datetime(["2025-01-01"]), "region": ["AST"], "topic": ["roads"], "requests": [650]})
    population = pd.DataFrame({"region": ["AST"], "year": [2025], "population": [1_300_000]})
    assert requests_per_capita(counts, population)["per_capita"].iloc[0] == pytest.approx(5.0)
    assert requests_per_capita(counts, population, per=100_000)["per_capita"].iloc[0] == pytest.approx(50.0)
    no_population = population.assign(year=2024)
    assert np.isnan(requests_per_capita(counts, no_population)["per_capita"].iloc[0])


def test_growth_over_the_previous_period_with_missing_periods():
    counts = pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-04-01", "2025-05-01"]),
            "region": ["AST"] * 4,
            "topic": ["roads"] * 4,
            "requests": [10, 15, 7, 0],
        }
    )
    result = requests_growth(counts, frequency="M")
    assert result["previous"].tolist() == [0.0, 10.0, 0.0, 7.0]  # March had no row: 0 requests
    assert np.isnan(result["growth"].iloc[0]) and np.isnan(result["growth"].iloc[2])
    assert result["growth"].iloc[1] == pytest.approx(0.5) and result["growth"].iloc[3] == -1.0


def test_growth_refuses_duplicates():
    counts = pd.DataFrame({"period_start": pd.to_datetime(["2025-01-01"] * 2), "region": ["AST"] * 2,
                           "topic": ["roads"] * 2, "requests": [1, 2]})
    with pytest.raises(ValueError, match="more than one row"):
        requests_growth(counts, frequency="M")


def test_share_resolved_by_the_due_date():
    table = resolved_on_time(REQUESTS, today=date(2025, 3, 20))
    assert table.to_dict("records") == [{"region": "AST", "topic": "roads", "due": 3, "on_time": 1, "share": pytest.approx(1 / 3)}]
    by_region = resolved_on_time(REQUESTS, today=date(2025, 6, 1), by=("region",))
    assert by_region.set_index("region")["share"].to_dict() == pytest.approx({"ALA": 0.0, "AST": 0.5})


def test_no_requests():
    empty = REQUESTS.iloc[:0]
    assert count_requests(empty, frequency="M").empty
    assert resolved_on_time(empty, today=date(2025, 6, 1)).empty
