"""URLs are the state: build links that carry the language (and the as-of day) from page to page.

Dash passes a page's query string to its ``layout(**params)``; these helpers turn those params back
into hrefs. Pure functions, no Dash.
"""

from __future__ import annotations

import datetime as dt
from typing import Mapping
from urllib.parse import quote, urlencode

#: Query parameters that follow the user from page to page (the rest belong to one page).
CARRIED = ("lang", "as_of")


def first(value: object) -> str | None:
    """A query value as one string: Dash gives a list when a parameter repeats (take the first)."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def query(params: Mapping[str, object]) -> str:
    """``?a=1&b=2`` from ``params`` (None and empty values left out), or ``""``."""
    pairs = [(k, first(v)) for k, v in params.items()]
    pairs = [(k, v) for k, v in pairs if v is not None]
    return "?" + urlencode(pairs, safe="-_.~") if pairs else ""


def href(path: str, params: Mapping[str, object] | None = None, *, carry: tuple[str, ...] = CARRIED,
         **overrides: object) -> str:
    """``path`` plus the carried parameters of the current page, then ``overrides`` (None drops one).

    >>> href("/programs/NP-HEALTH", {"lang": "kk", "portfolio": "NDP-2029"})
    '/programs/NP-HEALTH?lang=kk'
    """
    params = params or {}
    kept: dict[str, object] = {k: params[k] for k in carry if first(params.get(k)) is not None}
    for key, value in overrides.items():
        if value is None:
            kept.pop(key, None)
        else:
            kept[key] = value
    return path + query(kept)


def same_page(path: str, params: Mapping[str, object] | None = None, **overrides: object) -> str:
    """The current page (``path`` with all its parameters) with ``overrides``: the language switch."""
    merged: dict[str, object] = dict(params or {})
    for key, value in overrides.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return path + query(merged)


def program_href(code: str, params: Mapping[str, object] | None = None) -> str:
    return href(f"/programs/{quote(str(code), safe='-_.~')}", params)


def project_href(code: str, params: Mapping[str, object] | None = None) -> str:
    return href(f"/projects/{quote(str(code), safe='-_.~')}", params)


def region_href(code: str, params: Mapping[str, object] | None = None) -> str:
    return href(f"/regions/{quote(str(code), safe='-_.~')}", params)


def regions_href(params: Mapping[str, object] | None = None, *, indicator: object = None, year: object = None,
                 per_capita: bool | None = None) -> str:
    """``/regions`` with the map's state (``?indicator=&year=&per_capita=1``), keeping lang and as_of.

    >>> regions_href({"lang": "en"}, indicator="GRP_PC", year=2024, per_capita=True)
    '/regions?lang=en&indicator=GRP_PC&year=2024&per_capita=1'
    """
    return href("/regions", params, indicator=indicator, year=year, per_capita=1 if per_capita else None)


def parse_flag(value: object) -> bool:
    """``?per_capita=1`` (also true/yes/on) as True; anything else as False."""
    return (first(value) or "").lower() in ("1", "true", "yes", "on")


def parse_int(value: object) -> int | None:
    """``?year=2024`` as 2024; anything that is not a whole number as None."""
    text = first(value)
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def overview_href(params: Mapping[str, object] | None = None, portfolio: str | None = None) -> str:
    return href("/", params, portfolio=portfolio)


def parse_as_of(value: object) -> dt.date | None:
    """``?as_of=YYYY-MM-DD`` as a date; anything else (missing, malformed) as None."""
    text = first(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
