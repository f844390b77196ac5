"""Three languages, complete: every interface string has kk, ru and en text, and the code asks only for
ids the catalogs have.

* every msgid of any catalog (``messages.po`` and ``reasons.po``) has a non-empty msgstr in kk, ru, en;
* every ``t("id")`` / ``ctx.t("id")`` / ``self.t("id")`` with a literal id in dashboards/, services/,
  app.py and cli.py (AST scan) exists in the catalogs; an f-string id (``t(f"status.{s}")``) needs at
  least one id with its literal prefix;
* the ``{placeholders}`` of each message are the same in every language;
* the kk and ru texts are really Kazakh and Russian: no English words left in them, and the Kazakh
  catalog uses the Kazakh letters.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from services.i18n import BABEL_LOCALES, DOMAINS, LANGUAGES, LOCALES_DIR, translator

ROOT = Path(__file__).resolve().parents[2]
SCANNED = [ROOT / "dashboards", ROOT / "services", ROOT / "app.py", ROOT / "cli.py"]
KAZAKH_LETTERS = set("әғқңөұүі")  # and һ, which only loanwords use
#: English words allowed in kk/ru texts (names of languages, brands, units written the same everywhere).
LATIN_ALLOWED = {"English", "natije"}
#: Message ids whose text is deliberately the same in every language.
SAME_EVERYWHERE = re.compile(r"^(lang\.|money\.amount$|unit\.(percent|kzt)$|period\.year$)")


def load(lang: str, domain: str) -> dict[str, str]:
    path = LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=BABEL_LOCALES[lang])
    return {str(m.id): (m.string if isinstance(m.string, str) else "") for m in catalog if m.id}


CATALOGS = {(lang, domain): load(lang, domain) for lang in LANGUAGES for domain in DOMAINS}
ALL_IDS = {lang: set().union(*(CATALOGS[lang, d] for d in DOMAINS)) for lang in LANGUAGES}


def text(lang: str, message_id: str) -> str:
    for domain in DOMAINS:
        if message_id in CATALOGS[lang, domain]:
            return CATALOGS[lang, domain][message_id]
    raise KeyError(message_id)


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_interface_catalog_exists_in_every_language():
    for lang in LANGUAGES:
        assert CATALOGS[lang, "messages"], f"services/locales/{lang}/LC_MESSAGES/messages.po is missing or empty"


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_has_a_translation_in_every_language(domain):
    ids = set().union(*(CATALOGS[lang, domain] for lang in LANGUAGES))
    missing = [f"{lang}: {mid}" for mid in sorted(ids) for lang in LANGUAGES
               if not CATALOGS[lang, domain].get(mid, "").strip()]
    assert not missing, f"{len(missing)} message(s) without text in {domain}.po:\n" + "\n".join(missing)


def test_placeholders_match_across_languages():
    wrong = []
    for mid in sorted(ALL_IDS["en"] | ALL_IDS["ru"] | ALL_IDS["kk"]):
        found = {lang: fields(text(lang, mid)) for lang in LANGUAGES if mid in ALL_IDS[lang]}
        if len({frozenset(v) for v in found.values()}) > 1:
            wrong.append(f"{mid}: {found}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_every_template_formats():
    for lang in LANGUAGES:
        for mid in ALL_IDS[lang]:
            template = text(lang, mid)
            template.format(**{name: "x" for name in fields(template)})  # no stray braces


# --- ids used in the code -----------------------------------------------------------------------------

def _python_files() -> list[Path]:
    files: list[Path] = []
    for path in SCANNED:
        if path.is_dir():
            files += [p for p in path.rglob("*.py") if "__pycache__" not in p.parts]
        elif path.exists():
            files.append(path)
    return files


def _is_translation_call(node: ast.Call) -> bool:
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "t") or (isinstance(func, ast.Attribute) and func.attr == "t")


def used_ids() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(literal ids, f-string prefixes) -> where they are used."""
    literal: dict[str, list[str]] = {}
    prefixes: dict[str, list[str]] = {}
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _is_translation_call(node) and node.args):
                continue
            arg, where = node.args[0], f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                literal.setdefault(arg.value, []).append(where)
            elif isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
                prefixes.setdefault(str(arg.values[0].value), []).append(where)
    return literal, prefixes


def test_the_scan_finds_the_interface():
    literal, prefixes = used_ids()
    assert len(literal) > 50 and "status." in prefixes


def test_every_literal_id_used_in_the_code_is_in_the_catalogs():
    literal, _ = used_ids()
    missing = [f"{mid} (used at {', '.join(where)}; missing in {', '.join(l for l in LANGUAGES if mid not in ALL_IDS[l])})"
               for mid, where in sorted(literal.items()) if any(mid not in ALL_IDS[lang] for lang in LANGUAGES)]
    assert not missing, "ids not in the catalogs:\n" + "\n".join(missing)


def test_every_fstring_id_family_has_messages():
    _, prefixes = used_ids()
    missing = [f"{prefix}* (used at {', '.join(where)})" for prefix, where in sorted(prefixes.items())
               if not all(any(mid.startswith(prefix) for mid in ALL_IDS[lang]) for lang in LANGUAGES)]
    assert not missing, "no message of these families:\n" + "\n".join(missing)


def test_status_and_freshness_names_exist_for_every_state_the_pages_show():
    from dashboards._theme import FRESHNESS, STATUS

    needed = [f"status.{s}" for s in STATUS] + [f"freshness.{s}" for s in FRESHNESS]
    missing = [f"{lang}: {mid}" for mid in needed for lang in LANGUAGES if mid not in ALL_IDS[lang]]
    assert not missing


def test_money_is_formatted_with_catalog_words():
    for lang in LANGUAGES:
        t = translator(lang)
        for amount in (3.4e12, 5.6e9, 7.8e6, 1234):
            shown = t.money(amount)
            assert "money." not in shown and "₸" in shown and "  " not in shown


# --- real Kazakh, real Russian --------------------------------------------------------------------------

def _latin_words(value: str) -> set[str]:
    value = re.sub(r"\{[^}]*\}", " ", value)
    return {w for w in re.findall(r"[A-Za-z]{4,}", value)} - LATIN_ALLOWED


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_english_left_in_kazakh_and_russian_texts(lang):
    leftovers = {mid: sorted(_latin_words(text(lang, mid))) for mid in ALL_IDS[lang]
                 if _latin_words(text(lang, mid))}
    assert not leftovers, f"English words in the {lang} catalog: {leftovers}"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_translations_are_not_copies_of_english(lang):
    copied = sorted(mid for mid in ALL_IDS[lang] & ALL_IDS["en"]
                    if not SAME_EVERYWHERE.match(mid) and re.search("[A-Za-z]{3,}", text("en", mid))
                    and text(lang, mid) == text("en", mid))
    assert not copied, f"{lang} texts identical to English: {copied}"


def test_kazakh_is_kazakh_not_russian():
    messages = CATALOGS["kk", "messages"]
    used = set("".join(messages.values()).lower())
    assert KAZAKH_LETTERS <= used, f"Kazakh letters never used: {sorted(KAZAKH_LETTERS - used)}"
    same_as_ru = [mid for mid, value in messages.items() if re.search("[а-яА-Я]{5,}", value)
                  and value == CATALOGS["ru", "messages"].get(mid)]
    assert len(same_as_ru) <= 3, f"kk texts identical to Russian: {same_as_ru}"


def test_every_unit_kind_and_state_in_the_demo_has_a_label(readonly_database_url):
    """The demo's vocabulary (indicator units, program kinds, project states) is in the catalogs."""
    from sqlalchemy import create_engine, select

    from data_sources.store import Indicator, Node

    engine = create_engine(readonly_database_url)
    try:
        with engine.connect() as conn:
            units = set(conn.execute(select(Indicator.unit).distinct()).scalars())
            kinds = set(conn.execute(select(Node.kind).where(Node.level == "program").distinct()).scalars())
            states = set(conn.execute(select(Node.state).distinct()).scalars())
    finally:
        engine.dispose()
    needed = ([f"unit.{u}" for u in units] + [f"kind.{k}" for k in kinds if k] + [f"kind1.{k}" for k in kinds if k]
              + [f"state.{s}" for s in states])
    missing = sorted(f"{lang}: {mid}" for mid in needed for lang in LANGUAGES if mid not in ALL_IDS[lang])
    assert not missing, "demo vocabulary without a label:\n" + "\n".join(missing)
