"""The layer rules of DESIGN.md ("Layers"), enforced by an AST scan of every first-party module.

    app.py         assembles; nothing imports it
    dashboards/    layout + callbacks; no SQLAlchemy/database driver, no SQL
    services/      composition: query (data_sources), then compute (kpi); no SQL of its own
    kpi/           pure computations: no Dash, Plotly, SQLAlchemy, database, other layers
    data_sources/  the only place touching a database or file; no Dash, pages, services

kpi/ and data_sources/ never import each other. Imports are resolved (relative ones too);
``importlib.import_module("x")`` and ``__import__("x")`` with a literal count as imports, and
so do imports under ``if TYPE_CHECKING:`` (a type-level dependency is still a dependency).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kpi", "data_sources", "services", "dashboards")
SKIP_DIRS = {".venv", "venv", ".git", "__pycache__", "build", "dist", "node_modules", ".pytest_cache"}

DASH = ("dash", "dash_*")  # dash, dash_bootstrap_components, dash_ag_grid, dash_bootstrap_templates ...
PLOTLY = ("plotly", "kaleido")
DATABASE = ("sqlalchemy", "alembic", "psycopg", "psycopg2", "psycopg_pool", "sqlite3", "pymysql", "duckdb")
WEB = ("flask", "flask_*", "werkzeug")

# Entry points may import app inside a function to serve it (like gunicorn's "app:server").
APP_IMPORT_ALLOWED_IN_FUNCTIONS = {"cli.py", "bench/bench_services.py"}


@dataclass(frozen=True)
class Rule:
    scope: str  # package directory the rule applies to
    forbidden: tuple[str, ...]  # top-level module names; "x_*" matches a prefix
    why: str


RULES = (
    Rule("kpi", DASH + PLOTLY + DATABASE + WEB + ("data_sources", "services", "dashboards", "app"),
         "kpi/ is pure computation on DataFrames: no Dash, Plotly, web or database code, and it "
         "imports no other layer (services/ composes kpi with data_sources)"),
    Rule("data_sources", DASH + ("kpi", "dashboards", "services", "app"),
         "data_sources/ is the store, loaders and queries: no Dash, no pages, no services, and it "
         "never imports kpi/ (they meet only in services/)"),
    Rule("dashboards", DATABASE,
         "dashboards/ never touches the database: ask services/ (which asks data_sources/)"),
    Rule("services", DASH + ("dashboards", "app"),
         "services/ is called by the pages, the API and the CLI; it must not depend on Dash or pages"),
)

# SQL lives in data_sources/ only.
SQL_FREE = ("dashboards", "services", "kpi")
SQL_PATTERNS = [
    re.compile(r"\bSELECT\b[^;]{1,300}?\bFROM\b"),
    re.compile(r"\bINSERT\s+INTO\b"),
    re.compile(r"\bUPDATE\b\s+\S+\s+\bSET\b"),
    re.compile(r"\bDELETE\s+FROM\b"),
    re.compile(r"\b(CREATE|ALTER|DROP)\s+(TABLE|INDEX|VIEW|TRIGGER)\b"),
    re.compile(r"(?i)\bselect\s+(\*|[\w.\"]+(\s*,\s*[\w.\"]+)+)\s+from\s+\w+"),
    re.compile(r"(?i)\binsert\s+into\s+\w+\s*(\(|values\b|select\b)"),
    re.compile(r"(?i)\bupdate\s+\w+\s+set\s+\w+\s*="),
    re.compile(r"(?i)\bdelete\s+from\s+\w+\s+where\b"),
]
DB_CALLS = {"execute", "executemany", "executescript", "exec_driver_sql", "read_sql", "read_sql_query",
            "read_sql_table", "to_sql"}


@dataclass(frozen=True)
class Import:
    module: str  # absolute dotted name
    line: int
    in_function: bool


def first_party_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if not SKIP_DIRS.intersection(rel.parts):
            files.append(path)
    return sorted(files)


def module_name(rel: Path) -> tuple[str, bool]:
    """'data_sources/store.py' -> ('data_sources.store', False); __init__ -> (package, True)."""
    parts = list(rel.with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _resolve(node: ast.ImportFrom, rel: Path) -> str:
    if not node.level:
        return node.module or ""
    name, is_package = module_name(rel)
    package = name.split(".") if is_package else name.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
    return ".".join(base + ([node.module] if node.module else []))


def collect_imports(tree: ast.AST, rel: Path) -> list[Import]:
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(Import(alias.name, node.lineno, in_function))
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(node, rel)
            if module:
                found.append(Import(module, node.lineno, in_function))
            if node.module is None:  # from . import x: x may be a module
                for alias in node.names:
                    found.append(Import(f"{module}.{alias.name}".lstrip("."), node.lineno, in_function))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in {"import_module", "__import__"} and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                found.append(Import(node.args[0].value, node.lineno, in_function))
        inner = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(tree, False)
    return found


def matches(module: str, patterns: tuple[str, ...]) -> str | None:
    top = module.split(".")[0]
    for pattern in patterns:
        if (pattern.endswith("*") and top.startswith(pattern[:-1])) or top == pattern:
            return pattern
    return None


def layer_of(rel: Path) -> str | None:
    return rel.parts[0] if len(rel.parts) > 1 and rel.parts[0] in PACKAGES else None


def import_violations(rel: Path, source: str) -> list[str]:
    tree = ast.parse(source, filename=str(rel))
    imports = collect_imports(tree, rel)
    problems = []
    layer = layer_of(rel)
    for rule in RULES:
        if layer != rule.scope:
            continue
        for imp in imports:
            if matches(imp.module, rule.forbidden):
                problems.append(f"{rel}:{imp.line}: imports {imp.module} -- {rule.why}")
    if rel.as_posix() != "app.py":
        for imp in imports:
            if imp.module.split(".")[0] == "app" and not (
                    imp.in_function and rel.as_posix() in APP_IMPORT_ALLOWED_IN_FUNCTIONS):
                problems.append(f"{rel}:{imp.line}: imports app -- nothing imports app.py: it only assembles "
                                "the Dash app (importing it twice in one process loses the callbacks); "
                                "tests run it as a subprocess")
    return problems


def sql_violations(rel: Path, source: str) -> list[str]:
    if layer_of(rel) not in SQL_FREE:
        return []
    tree = ast.parse(source, filename=str(rel))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for pattern in SQL_PATTERNS:
                match = pattern.search(node.value)
                if match:
                    snippet = " ".join(match.group(0).split())[:60]
                    problems.append(f"{rel}:{node.lineno}: SQL text {snippet!r} -- SQL lives in data_sources/ "
                                    "query functions only")
                    break
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DB_CALLS:
            problems.append(f"{rel}:{node.lineno}: calls .{node.func.attr}(...) -- database access belongs in "
                            "data_sources/")
    return problems


def scan(check) -> list[str]:
    problems = []
    for path in first_party_files():
        rel = path.relative_to(ROOT)
        try:
            source = path.read_text(encoding="utf-8")
            problems += check(rel, source)
        except SyntaxError as exc:
            problems.append(f"{rel}:{exc.lineno}: cannot parse ({exc.msg})")
    return problems


# --------------------------------------------------------------------------------------
# the rules on the real code


def test_packages_are_where_the_scan_looks():
    missing = [p for p in PACKAGES if not (ROOT / p / "__init__.py").exists()]
    assert not missing, f"packages without __init__.py (the scan would miss them): {missing}"
    scanned = {layer_of(p.relative_to(ROOT)) for p in first_party_files()}
    assert set(PACKAGES) <= scanned


@pytest.mark.parametrize("rule", RULES, ids=[r.scope for r in RULES])
def test_layer_imports(rule: Rule):
    problems = [p for p in scan(import_violations) if p.startswith(rule.scope + "/") and "imports app --" not in p]
    assert not problems, f"{len(problems)} forbidden import(s) in {rule.scope}/:\n" + "\n".join(problems)


def test_nothing_imports_app():
    problems = [p for p in scan(import_violations) if "imports app --" in p]
    assert not problems, "\n".join(problems)


def test_no_sql_outside_data_sources():
    problems = scan(sql_violations)
    assert not problems, f"{len(problems)} SQL use(s) outside data_sources/:\n" + "\n".join(problems)


# --------------------------------------------------------------------------------------
# the scanner itself catches what it should (so a green run means something)


@pytest.mark.parametrize("path, source", [
    ("kpi/x.py", "import sqlalchemy"),
    ("kpi/x.py", "from sqlalchemy.orm import Session"),
    ("kpi/x.py", "import plotly.graph_objects as go"),
    ("kpi/x.py", "from dash import html"),
    ("kpi/x.py", "import dash_bootstrap_components as dbc"),
    ("kpi/x.py", "from data_sources import queries"),
    ("kpi/sub/x.py", "from ...data_sources import queries"),
    ("kpi/x.py", "def f():\n    import importlib\n    importlib.import_module('sqlalchemy')"),
    ("kpi/x.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from data_sources.store import X"),
    ("data_sources/x.py", "from kpi.status import assess"),
    ("data_sources/loaders/x.py", "from ...kpi import status"),
    ("data_sources/x.py", "import dash"),
    ("data_sources/x.py", "from services import overview"),
    ("dashboards/x.py", "import sqlalchemy as sa"),
    ("dashboards/x.py", "import sqlite3"),
    ("services/x.py", "from dashboards import _ids"),
    ("services/x.py", "import app"),
    ("tests/kpi/test_x.py", "import app"),
    ("cli.py", "import app"),
    ("dashboards/x.py", "from app import server"),
])
def test_scanner_catches_forbidden_import(path: str, source: str):
    assert import_violations(Path(path), source), f"not caught: {path}: {source!r}"


@pytest.mark.parametrize("path, source", [
    ("kpi/x.py", "import pandas as pd\nimport numpy as np\nfrom kpi.status import assess\nfrom . import periods"),
    ("data_sources/x.py", "import sqlalchemy as sa\nfrom data_sources.store import X\nfrom .store import Y"),
    ("dashboards/overview.py", "from dash import html\nfrom services import overview\nfrom ._ids import IDS"),
    ("services/x.py", "from data_sources import queries\nfrom kpi import status\nfrom sqlalchemy import Engine"),
    ("cli.py", "import click\ndef run():\n    import app\n    app.run()"),
    ("tests/kpi/test_x.py", "import pytest\nfrom kpi import status"),
])
def test_scanner_allows_permitted_import(path: str, source: str):
    assert not import_violations(Path(path), source)


@pytest.mark.parametrize("source", [
    "Q = 'SELECT value FROM observations WHERE id = 1'",
    "Q = '''\n  SELECT o.value\n  FROM observations o\n'''",
    "Q = f'INSERT INTO observations VALUES ({x})'",
    "Q = 'UPDATE projects SET status = 1'",
    "Q = 'DELETE FROM ledger'",
    "Q = 'select * from projects'",
    "Q = 'select code, name from programs'",
    "conn.execute(q)",
    "pd.read_sql(q, engine)",
])
def test_scanner_catches_sql(source: str):
    assert sql_violations(Path("dashboards/x.py"), source), f"not caught: {source!r}"


@pytest.mark.parametrize("source", [
    "LABEL = 'Select a portfolio from the list'",
    pytest.param("LABEL = 'Выберите программу из списка'", id="russian-label"),
    "HELP = 'Update the settings, then reload'",
    "HELP = 'Select regions from the map to compare them'",
])
def test_scanner_allows_interface_text(source: str):
    assert not sql_violations(Path("dashboards/x.py"), source)
