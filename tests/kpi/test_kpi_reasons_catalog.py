"""Every status, reason and freshness state kpi can produce has a sentence in kk, ru and en."""

import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from kpi.freshness import FRESHNESS_STATES
from kpi.status import REASON_PARAMS, STATUS_ORDER

LOCALES = Path(__file__).resolve().parents[2] / "services" / "locales"
LANGUAGES = ("kk", "ru", "en")
EXPECTED_IDS = (
    {f"reason.{code}" for code in REASON_PARAMS}
    | {f"status.{status}" for status in STATUS_ORDER}
    | {f"freshness.{state}" for state in FRESHNESS_STATES}
)


def load(lang):
    with (LOCALES / lang / "LC_MESSAGES" / "reasons.po").open("rb") as handle:
        return {message.id: message.string for message in read_po(handle, locale=lang) if message.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_id_is_translated_and_nothing_else_is_there(lang):
    catalog = load(lang)
    assert set(catalog) == EXPECTED_IDS
    assert [message_id for message_id, text in catalog.items() if not text.strip()] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_templates_use_only_the_params_the_code_provides(lang):
    for code, params in REASON_PARAMS.items():
        template = load(lang)[f"reason.{code}"]
        fields = {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}
        assert fields <= set(params), (lang, code, fields - set(params))
        template.format(**{param: 1 for param in params})


def test_every_language_shows_the_same_figures():
    catalogs = {lang: load(lang) for lang in LANGUAGES}
    for code in REASON_PARAMS:
        fields = {
            lang: {field for _, field, _, _ in string.Formatter().parse(catalogs[lang][f"reason.{code}"]) if field}
            for lang in LANGUAGES
        }
        assert fields["kk"] == fields["ru"] == fields["en"], code


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_kazakh_and_russian_are_in_cyrillic(lang):
    for message_id, text in load(lang).items():
        prose = re.sub(r"\{\w+\}", "", text)
        assert not re.search(r"[A-Za-z]", prose), (lang, message_id)
    if lang == "kk":
        assert any(re.search("[әғқңөұүһі]", text) for text in load(lang).values())
