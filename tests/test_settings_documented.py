"""Every setting is declared once (data_sources.settings.SETTINGS) and documented, with its
default and help, in docs/settings.md and in the README table; nothing reads an undeclared
NATIJE_* variable; the documented literal defaults are the real ones.

docs/settings.md is kept by hand: when this test fails, copy the row it prints.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from data_sources.settings import SETTINGS, Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "settings.md"
README = ROOT / "README.md"
# Where application code lives (tests and the CI scripts use NATIJE_TEST_* harness variables).
CODE = ["app.py", "cli.py", "dashboards", "data_sources", "kpi", "services", "bench", "assets"]
NAME = re.compile(r"\bNATIJE_[A-Z0-9]+(?:_[A-Z0-9]+)*\b")
ROW = re.compile(r"^\|\s*`(NATIJE_(?!TEST_)[A-Z0-9_]+)`\s*\|")  # NATIJE_TEST_*: harness, not settings


def expected_row(spec) -> str:
    default = spec.default if " " in spec.default else f"`{spec.default}`"
    return f"| `{spec.name}` | {default} | {spec.help} |"


def setting_rows(path: Path) -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line.strip())
        if match:
            rows[match.group(1)] = line.strip()
    return rows


def code_files() -> list[Path]:
    files: list[Path] = []
    for entry in CODE:
        path = ROOT / entry
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += [p for p in path.rglob("*") if p.suffix in {".py", ".js"} and "__pycache__" not in p.parts]
    return sorted(files)


def test_settings_are_declared_once():
    names = [spec.name for spec in SETTINGS]
    assert len(names) == len(set(names)), f"declared twice: {sorted(n for n in names if names.count(n) > 1)}"
    for spec in SETTINGS:
        assert NAME.fullmatch(spec.name), f"{spec.name!r} is not a NATIJE_UPPER_CASE name"
        assert spec.default.strip() and spec.help.strip(), f"{spec.name}: default and help must not be empty"


@pytest.mark.parametrize("document", [DOC, README], ids=["docs/settings.md", "README.md"])
def test_every_setting_is_documented_with_default_and_help(document: Path):
    assert document.exists(), f"{document.relative_to(ROOT)} is missing"
    rows = setting_rows(document)
    problems = []
    for spec in SETTINGS:
        row = rows.get(spec.name)
        if row is None:
            problems.append(f"{spec.name}: no table row; add:\n    {expected_row(spec)}")
        elif spec.default not in row or spec.help not in row:
            problems.append(f"{spec.name}: row does not show the declared default and help; expected:\n"
                            f"    {expected_row(spec)}\n  found:\n    {row}")
    declared = {spec.name for spec in SETTINGS}
    for name in sorted(set(rows) - declared):
        problems.append(f"{name}: documented but not declared in data_sources.settings.SETTINGS (stale row?)")
    assert not problems, f"{document.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_readme_table_is_the_docs_table():
    doc, readme = setting_rows(DOC), setting_rows(README)
    differing = sorted(name for name in set(doc) | set(readme) if doc.get(name) != readme.get(name))
    assert not differing, ("README.md and docs/settings.md must have the same settings rows; differing: "
                           + ", ".join(differing))


def test_code_reads_only_declared_settings():
    declared = {spec.name for spec in SETTINGS}
    undeclared = []
    for path in code_files():
        for lineno, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for name in NAME.findall(line):
                if name not in declared:
                    undeclared.append(f"{path.relative_to(ROOT)}:{lineno}: {name}")
    assert not undeclared, ("NATIJE_* names used in the code but not declared in "
                            "data_sources.settings.SETTINGS (declare and document them):\n" + "\n".join(undeclared))


def test_documented_literal_defaults_are_the_real_defaults():
    settings = load_settings({})
    checked = 0
    for spec in SETTINGS:
        attribute = spec.name.removeprefix("NATIJE_").lower()
        literal = not re.search(r"[\s<(]", spec.default)
        if literal and attribute in Settings.__dataclass_fields__:
            value = getattr(settings, attribute)
            assert str(value) == spec.default, (
                f"{spec.name}: documented default {spec.default!r}, but load_settings({{}}) gives {value!r}")
            checked += 1
    assert checked >= 4, "expected to check the literal defaults (host, port, lang, seed, role)"
