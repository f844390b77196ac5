"""Three languages: message catalogs (Babel .po files) and locale formatting of numbers, money, dates.

Interface strings are looked up by message id (``overview.title``) in
``services/locales/<lang>/LC_MESSAGES/<domain>.po``; domains: ``messages`` (interface) and ``reasons``
(status reasons, status and freshness names). A test fails when any id lacks a translation in any
language, or when the code asks for an id no catalog has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("kk", "ru", "en")
DOMAINS = ("messages", "reasons")
LOCALES_DIR = Path(__file__).with_name("locales")
BABEL_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_GB"}


def normalise_lang(lang: str | None, default: str = "ru") -> str:
    """``lang`` if it is one of kk, ru, en (any case), else ``default``."""
    lang = (lang or "").strip().lower()
    return lang if lang in LANGUAGES else default


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """All message ids of every domain for ``lang`` -> translated text (read once per process)."""
    messages: dict[str, str] = {}
    for domain in DOMAINS:
        path = LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
        if path.exists():
            with path.open("rb") as handle:
                for message in read_po(handle, locale=BABEL_LOCALES[lang]):
                    if message.id and message.string:
                        messages[str(message.id)] = str(message.string)
    return messages


@dataclass(frozen=True)
class Translator:
    """``t("overview.title")`` -> the text in ``lang``; ``t("x", n=3)`` formats ``{n}``.

    A missing id raises KeyError in tests' eyes (the completeness test) but renders the id itself at
    run time, so a gap never crashes a minister's page."""

    lang: str

    def __call__(self, message_id: str, **params: Any) -> str:
        text = catalog(self.lang).get(message_id) or catalog("en").get(message_id) or message_id
        return text.format(**params) if params else text

    def has(self, message_id: str) -> bool:
        return message_id in catalog(self.lang)

    # --- formatting -----------------------------------------------------------------------------
    @property
    def locale(self) -> Locale:
        return Locale.parse(BABEL_LOCALES[self.lang])

    def number(self, value: float | int | None, decimals: int = 1) -> str:
        """A number with the locale's grouping and decimal mark; an en dash for no value."""
        if value is None or value != value:  # None or NaN
            return "–"
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def percent(self, fraction: float | None, decimals: int = 0) -> str:
        """``0.734`` -> ``73 %`` / ``73%`` per locale."""
        if fraction is None or fraction != fraction:
            return "–"
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + "%"
        return format_percent(fraction, format=pattern, locale=self.locale)

    def money(self, kzt: float | None) -> str:
        """Tenge with a scale word: ``1.2 трлн ₸``, ``340.5 млрд ₸``, ``12 млн ₸``."""
        if kzt is None or kzt != kzt:
            return "–"
        for scale, message_id in ((1e12, "money.trillion"), (1e9, "money.billion"), (1e6, "money.million")):
            if abs(kzt) >= scale:
                return self("money.amount", amount=self.number(kzt / scale, 1), scale=self(message_id))
        return self("money.amount", amount=self.number(kzt, 0), scale="").replace("  ", " ")

    def date(self, value: dt.date | None, style: str = "medium") -> str:
        if value is None:
            return "–"
        return babel_format_date(value, format=style, locale=self.locale)

    def datetime(self, value: dt.datetime | None, style: str = "medium") -> str:
        if value is None:
            return "–"
        return babel_format_datetime(value, format=style, locale=self.locale, tzinfo=dt.timezone(dt.timedelta(hours=5)))


def translator(lang: str | None) -> Translator:
    return Translator(normalise_lang(lang))
