"""kpi is pure: standard library, numpy and pandas only; no clock; no data layer, web or SQL."""

import ast
import sys
from pathlib import Path

import pytest

KPI_DIR = Path(__file__).resolve().parents[2] / "kpi"
ALLOWED_THIRD_PARTY = {"numpy", "pandas", "kpi"}
FORBIDDEN = {"dash", "sqlalchemy", "plotly", "data_sources", "services", "dashboards", "app", "cli"}
MODULES = sorted(KPI_DIR.glob("*.py"))


def imported_roots(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_only_stdlib_numpy_pandas(path):
    roots = set(imported_roots(ast.parse(path.read_text(encoding="utf-8"))))
    assert not roots & FORBIDDEN
    assert roots <= ALLOWED_THIRD_PARTY | set(sys.stdlib_module_names)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_never_reads_the_clock(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"today", "now", "utcnow"}
    ]
    assert calls == []


def test_every_module_has_a_mirrored_test():
    tests = {path.name for path in Path(__file__).parent.glob("test_*.py")}
    public = [path for path in MODULES if path.name != "__init__.py"]
    missing = [path.name for path in public if f"test_{path.stem.lstrip('_')}.py" not in tests]
    assert missing == []


def test_every_public_name_is_exported_from_the_package():
    import importlib
    import inspect

    import kpi

    defined = set()
    for path in MODULES:
        if path.name.startswith("_"):
            continue
        module = importlib.import_module(f"kpi.{path.stem}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            targets = []
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                targets = [node.name]
            elif isinstance(node, ast.Assign):
                targets = [target.id for target in node.targets if isinstance(target, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                targets = [node.target.id]
            defined |= {name for name in targets if not name.startswith("_") and hasattr(module, name)}
    assert defined - set(kpi.__all__) == set()
    assert all(not inspect.ismodule(getattr(kpi, name)) for name in kpi.__all__)
