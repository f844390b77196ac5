"""Viewer scope is enforced in SQL: a region-scoped viewer gets no operational row of another region
from any query function, whatever it asks for."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import pandas as pd
import pytest

import data_sources
from data_sources import queries
from data_sources.viewer import Viewer

pytestmark = pytest.mark.datalayer

TODAY = dt.date(2025, 11, 15)
ROOTS = ("NDP-2025", "NDP-2029")


def import_every_query_module() -> None:
    """Query functions may live in any data_sources module (decorated with ``queries.operational``):
    import them all so the registry is complete."""
    for module in pkgutil.walk_packages(data_sources.__path__, "data_sources."):
        if ".migrations" not in module.name and ".demo" not in module.name:
            importlib.import_module(module.name)


def call_everything(engine, viewer: Viewer) -> dict[str, pd.DataFrame]:
    """Every registered operational query (with only its optional arguments left out), for every
    portfolio where it takes one."""
    import_every_query_module()
    results = {}
    for name, function in queries.OPERATIONAL_QUERIES.items():
        kwargs = {"today": TODAY} if "today" in function.__code__.co_varnames else {}
        if "root_code" in function.__code__.co_varnames:
            for root in ROOTS:
                results[f"{name}({root})"] = function(engine, viewer, root_code=root, **kwargs)
        else:
            results[name] = function(engine, viewer, **kwargs)
    return results


def test_every_operational_query_is_registered_with_a_region_column(readonly_demo_engine):
    assert len(queries.OPERATIONAL_QUERIES) >= 6
    for name, frame in call_everything(readonly_demo_engine, Viewer()).items():
        assert "region" in frame.columns, name


@pytest.mark.parametrize("region", ["AST", "ABY", "TRK"])
def test_a_region_scoped_viewer_sees_only_its_region(readonly_demo_engine, region):
    national = call_everything(readonly_demo_engine, Viewer("minister"))
    scoped = call_everything(readonly_demo_engine, Viewer("akim", region=region))
    for name, frame in scoped.items():
        assert set(frame["region"]) <= {region}, f"{name} leaked {set(frame['region']) - {region}}"
        # the national viewer sees more, so the check above is not vacuous
        assert len(national[name]) >= len(frame), name
    assert any(len(set(frame["region"])) > 1 for frame in national.values())
    assert any(not frame.empty for frame in scoped.values())


def test_forged_codes_do_not_widen_scope(readonly_demo_engine):
    """A forged request can name any node: the akim still gets nothing outside the region."""
    outsider = queries.projects_under(readonly_demo_engine, Viewer("minister"), "NDP-2029")
    foreign = outsider[outsider["region"] != "AST"].iloc[0]
    akim = Viewer("akim", region="AST")
    assert queries.node(readonly_demo_engine, akim, foreign["code"]) is None
    assert queries.node(readonly_demo_engine, akim, foreign["code"].lower()) is None
    assert queries.goals(readonly_demo_engine, akim, [foreign["code"]]).empty
    assert queries.node_path(readonly_demo_engine, akim, foreign["code"])["code"].tolist() == [] or \
        foreign["code"] not in queries.node_path(readonly_demo_engine, akim, foreign["code"])["code"].tolist()
    children = queries.children(readonly_demo_engine, akim, foreign["parent"])
    assert set(children["region"]) <= {"AST"}
    assert queries.accountable(readonly_demo_engine, akim, [foreign["code"]], on=TODAY).empty


def test_public_sees_no_instructions(readonly_demo_engine):
    public = Viewer("public")
    assert queries.overdue_instructions(readonly_demo_engine, public, today=TODAY).empty
    assert queries.instruction_counts(readonly_demo_engine, public, today=TODAY).empty
    assert not queries.overdue_instructions(readonly_demo_engine, Viewer("minister"), today=TODAY).empty


def test_comparison_data_is_visible_to_every_role(readonly_demo_engine):
    """Indicator values of all regions are comparison data: the akim of AST sees Almaty's."""
    akim = queries.series(readonly_demo_engine, Viewer("akim", region="AST"), ["LIFE_EXPECTANCY"], region="ALA")
    assert not akim.empty
