from datetime import date

import numpy as np
import pandas as pd
import pytest

from kpi.regions import gap_to_national, per_capita, rank_regions, regions_valid_in

REGIONS = pd.DataFrame(
    {
        "code": ["AST", "ALA", "EKR", "ABY"],
        "valid_from": pd.to_datetime([None, None, None, "2022-06-08"]),
        "valid_to": pd.to_datetime([None, None, None, None]),
    }
)
POPULATION = pd.DataFrame(
    {"region": ["AST", "ALA", "AST"], "year": [2023, 2023, 2022], "population": [1_350_000, 2_200_000, 1_300_000]}
)


def test_per_capita_uses_the_population_of_the_same_year():
    values = pd.DataFrame(
        {"region": ["AST", "AST", "ALA", "EKR"], "period_start": pd.to_datetime(["2023-04-01", "2022-01-01", "2023-01-01", "2023-01-01"]),
         "value": [270.0, 130.0, 440.0, 10.0]}
    )
    result = per_capita(values, POPULATION)
    assert result["per_capita"].tolist()[:3] == pytest.approx([2.0, 1.0, 2.0])
    assert np.isnan(result["per_capita"].iloc[3])  # no population for EKR
    per_100k = per_capita(values, POPULATION, per=100_000)
    assert per_100k["per_capita"].iloc[0] == pytest.approx(20.0)


def test_per_capita_refuses_an_odd_base_and_duplicate_population():
    values = pd.DataFrame({"region": ["AST"], "period_start": pd.to_datetime(["2023-01-01"]), "value": [1.0]})
    with pytest.raises(ValueError, match="per must be"):
        per_capita(values, POPULATION, per=1000)
    with pytest.raises(ValueError, match="more than one figure"):
        per_capita(values, pd.concat([POPULATION, POPULATION]))


def test_regions_valid_in_a_period():
    assert list(regions_valid_in(REGIONS, date(2021, 1, 1), "Y")["code"]) == ["AST", "ALA", "EKR"]
    assert list(regions_valid_in(REGIONS, date(2022, 1, 1), "Y")["code"]) == ["AST", "ALA", "EKR", "ABY"]
    assert "ABY" not in set(regions_valid_in(REGIONS, date(2022, 1, 1), "Q")["code"])
    assert "ABY" in set(regions_valid_in(REGIONS, date(2022, 4, 1), "Q")["code"])  # from 8 June
    ended = REGIONS.assign(valid_to=pd.to_datetime([None, None, "2022-06-07", None]))
    assert "EKR" not in set(regions_valid_in(ended, date(2023, 1, 1), "Y")["code"])


def test_ranking_respects_direction_validity_and_ties():
    values = pd.DataFrame({"region": ["AST", "ALA", "EKR", "ABY"], "value": [5.0, 7.0, 5.0, 9.0]})
    up = rank_regions(values, REGIONS, period_start=date(2021, 1, 1), frequency="Y", direction="up")
    assert list(up["region"]) == ["ALA", "AST", "EKR"]  # ABY did not exist in 2021
    assert list(up["rank"]) == [1, 2, 2]
    down = rank_regions(values, REGIONS, period_start=date(2023, 1, 1), frequency="Y", direction="down")
    assert list(zip(down["region"], down["rank"])) == [("AST", 1), ("EKR", 1), ("ALA", 3), ("ABY", 4)]


def test_ranking_with_missing_values_and_negative_values():
    values = pd.DataFrame({"region": ["AST", "ALA"], "value": [-3.0, -1.0]})
    result = rank_regions(values, REGIONS, period_start=date(2021, 1, 1), frequency="Y", direction="up")
    assert list(result["region"]) == ["ALA", "AST", "EKR"]
    assert result["rank"].iloc[2] is pd.NA


def test_ranking_by_another_column_and_no_data():
    values = pd.DataFrame({"region": ["AST", "ALA"], "per_capita": [2.0, 1.0]})
    result = rank_regions(values, REGIONS, period_start=date(2021, 1, 1), frequency="Y", direction="up", value_column="per_capita")
    assert list(result["region"][:2]) == ["AST", "ALA"]
    empty = pd.DataFrame({"region": pd.Series([], dtype=str), "value": pd.Series([], dtype=float)})
    assert rank_regions(empty, REGIONS, period_start=date(2021, 1, 1), frequency="Y", direction="up")["rank"].isna().all()


def test_gap_to_national_respects_direction():
    values = pd.DataFrame({"region": ["AST", "ALA"], "value": [12.0, 8.0]})
    up = gap_to_national(values, 10.0, direction="up")
    assert up["gap"].tolist() == [2.0, -2.0] and up["advantage"].tolist() == [2.0, -2.0]
    assert up["relative_gap"].tolist() == [0.2, -0.2]
    down = gap_to_national(values, 10.0, direction="down")
    assert down["advantage"].tolist() == [-2.0, 2.0]


def test_gap_to_a_zero_negative_or_missing_national_value():
    values = pd.DataFrame({"region": ["AST"], "value": [-3.0]})
    assert np.isnan(gap_to_national(values, 0.0, direction="up")["relative_gap"].iloc[0])
    assert gap_to_national(values, -2.0, direction="up")["relative_gap"].iloc[0] == pytest.approx(-0.5)
    assert np.isnan(gap_to_national(values, None, direction="up")["gap"].iloc[0])
