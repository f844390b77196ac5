"""docs/import.md documents every template (its columns in three languages), every reason code and
every refusal; every code has a message in each language (datasette's "every setting is documented")."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_sources.loaders.files import FILE_CODES
from data_sources.loaders.run import WARNING_CODES, templates
from data_sources.loaders.sync import SYNC_CODES
from data_sources.loaders.template import COMMON_ROW_CODES
from services.i18n import translator

DOC = (Path(__file__).resolve().parents[2] / "docs" / "import.md").read_text(encoding="utf-8")


def all_codes() -> list[str]:
    codes = list(COMMON_ROW_CODES) + list(FILE_CODES) + list(WARNING_CODES) + list(SYNC_CODES)
    for template in templates():
        codes += template.row_codes
    return sorted(set(codes))


@pytest.mark.parametrize("template", templates(), ids=lambda t: t.name)
def test_every_template_and_its_columns_are_documented(template):
    assert f"### `{template.name}`" in DOC, f"docs/import.md has no section ### `{template.name}`"
    section = DOC.split(f"### `{template.name}`", 1)[1].split("\n### ", 1)[0]
    for column in template.columns:
        for header in column.headers:
            assert f"`{header}`" in section, f"{template.name}: header `{header}` is not in its section"


@pytest.mark.parametrize("code", all_codes())
def test_every_reason_code_is_documented_with_a_message_in_each_language(code):
    assert f"`{code}`" in DOC, f"reason code `{code}` is not in docs/import.md"
    for lang in ("kk", "ru", "en"):
        message = translator(lang)(f"load.problem.{code}")
        assert message and not message.startswith("load.problem."), (lang, code)
