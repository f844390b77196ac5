"""The navigation shell around every page, the request context, and page-level error handling.

``install(registry)`` (called once by ``app.create_app``) wraps each registered page's layout:

* it builds the page's :class:`~services.context.Context` from the query string (``?lang=``,
  ``?as_of=``), once per request;
* it calls the page's ``layout(**params)`` and turns any exception into a friendly error panel in
  the user's language (logged with its traceback; a minister never sees one);
* unless the page registered with ``shell=False`` (the kiosk page will), it wraps the content in the
  shell: skip link, navbar (brand, overview link, "demo data" badge, language switch that keeps the
  path and every other query parameter), ``<main>``, footer;
* it always adds the ``PAGE_LANG`` store that a clientside callback copies into ``<html lang>``, and
  the page's ``dcc.Location`` (``ids.NAV_LOCATION``, ``refresh="callback-nav"``) through which
  callbacks navigate (a grid row or a map region clicked) without reloading the app.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Callable, Mapping

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, clientside_callback, dcc, html

from dashboards import _ids as ids
from dashboards._components import message_panel
from dashboards._urls import first, href, overview_href, parse_as_of, regions_href, same_page
from services.context import Context, make_context
from services.formatting import date_text
from services.i18n import LANGUAGES, Translator, normalise_lang, translator

log = logging.getLogger("natije.dashboards")

#: Short labels of the language switch (the full endonym is the link's title).
LANG_SHORT = {"kk": "Қаз", "ru": "Рус", "en": "Eng"}


# --- the request's context ----------------------------------------------------------------------------

def default_lang() -> str:
    """``NATIJE_LANG`` (read once with the settings); ``ru`` if the settings cannot be read."""
    try:
        from services.runtime import runtime

        return runtime().settings.lang
    except Exception:  # noqa: BLE001 - a broken setting must not break the error page too
        return "ru"


def page_lang(params: Mapping[str, object]) -> str:
    """The page's language: ``?lang=`` when valid, else ``NATIJE_LANG``."""
    return normalise_lang(first(params.get("lang")), default_lang())


def page_context(params: Mapping[str, object]) -> Context:
    """The :class:`Context` of this request (``?lang=``, ``?as_of=``), made once per request."""
    from services.runtime import runtime

    key = ("natije_ctx", page_lang(params), parse_as_of(params.get("as_of")))
    cache = _request_cache()
    if cache is not None and key in cache:
        return cache[key]
    rt = runtime()
    ctx = make_context(rt.engine, rt.settings, lang=key[1], as_of=key[2])
    if cache is not None:
        cache[key] = ctx
    return ctx


def _request_cache() -> dict | None:
    try:
        import flask

        if not flask.has_request_context():
            return None
        if not hasattr(flask.g, "natije_cache"):
            flask.g.natije_cache = {}
        return flask.g.natije_cache
    except ImportError:  # pragma: no cover - flask comes with dash
        return None


# --- the shell ----------------------------------------------------------------------------------------

def language_switch(path: str, params: Mapping[str, object], lang: str, t: Translator) -> html.Nav:
    """kk | ru | en links to the same page (path and all other parameters kept), current one marked."""
    items = []
    for code in LANGUAGES:
        current = code == lang
        link_kwargs: dict[str, Any] = {"aria-current": "true"} if current else {}
        items.append(html.Li(html.A(
            LANG_SHORT[code], href=same_page(path, params, lang=code), lang=code, hrefLang=code,
            title=t(f"lang.{code}"), className="nt-lang__link" + (" is-current" if current else ""),
            **link_kwargs,
        ), className="nt-lang__item"))
    return html.Nav(html.Ul(items, className="nt-lang list-unstyled mb-0"), id=ids.LANG_SWITCH,
                    **{"aria-label": t("nav.language")})


def navbar(ctx_lang: str, t: Translator, *, path: str, params: Mapping[str, object], is_demo: bool,
           as_of: dt.date | None = None) -> html.Header:
    """The top bar: brand, overview, regions and data links, as-of and demo badges, language switch."""
    portfolio = first(params.get("portfolio"))
    badges: list[Any] = []
    if as_of is not None:
        badges.append(dcc.Link(
            [html.Span("◷ ", **{"aria-hidden": "true"}), t("nav.as_of", date=date_text(as_of, t))],
            href=same_page(path, params, as_of=None), className="nt-badge nt-badge--asof",
            title=t("nav.as_of_clear"),
        ))
    if is_demo:
        badges.append(html.Span(t("demo.badge"), id=ids.DEMO_BADGE, className="nt-badge nt-badge--demo",
                                title=t("demo.title")))
    brand = dcc.Link(
        [html.Span("н", className="nt-brand__mark", **{"aria-hidden": "true"}),
         html.Span("natije", className="nt-brand__word")],
        href=overview_href(params, portfolio), className="nt-brand", title=t("app.tagline"),
    )
    return html.Header(
        dbc.Container(
            [brand,
             html.Nav([dcc.Link(t("nav.overview"), href=overview_href(params, portfolio),
                                className="nt-nav__link" + (" is-current" if path == "/" else "")),
                       dcc.Link(t("nav.regions"), href=regions_href(params),
                                className="nt-nav__link" + (" is-current" if path.startswith("/regions") else "")),
                       dcc.Link(t("nav.officials"), href=href("/officials", params),
                                className="nt-nav__link" + (" is-current" if path.startswith("/officials") else "")),
                       dcc.Link(t("nav.instructions"), href=href("/instructions", params),
                                className="nt-nav__link" + (" is-current" if path.startswith("/instructions") else "")),
                       dcc.Link(t("nav.data"), href=href("/data", params),
                                className="nt-nav__link" + (" is-current" if path.startswith("/data") else "")),
                       dcc.Link(t("nav.ledger"), href=href("/ledger", params),
                                className="nt-nav__link" + (" is-current" if path.startswith("/ledger") else ""))],
                      className="nt-nav", **{"aria-label": t("nav.main")}),
             html.Div(badges, className="nt-badges"),
             language_switch(path, params, ctx_lang, t)],
            fluid="xxl", className="nt-navbar__inner",
        ),
        id=ids.NAVBAR, className="nt-navbar",
    )


def footer(t: Translator, today: dt.date | None, is_demo: bool) -> html.Footer:
    parts = [html.Span("natije", className="nt-footer__brand"), html.Span(t("app.tagline"))]
    if today is not None:
        parts.append(html.Span(t("footer.reference_date", date=date_text(today, t))))
    if is_demo:
        parts.append(html.Span(t("demo.title")))
    return html.Footer(dbc.Container(parts, fluid="xxl", className="nt-footer__inner"), className="nt-footer")


def shell(content: Any, *, lang: str, t: Translator, path: str, params: Mapping[str, object],
          is_demo: bool = False, today: dt.date | None = None, as_of: dt.date | None = None) -> html.Div:
    """Skip link + navbar + ``<main id="main">`` + footer around ``content``."""
    return html.Div(
        [html.A(t("app.skip_to_content"), href=f"#{ids.MAIN}", className="nt-skip visually-hidden-focusable"),
         navbar(lang, t, path=path, params=params, is_demo=is_demo, as_of=as_of),
         html.Main(content, id=ids.MAIN, className="container-xxl nt-main", tabIndex="-1"),
         footer(t, today, is_demo)],
        className="nt-shell", lang=lang,
    )


def error_panel(t: Translator, params: Mapping[str, object]) -> html.Section:
    return message_panel(t("error.heading"), t("error.text"), back_href=overview_href(params),
                         back_label=t("notfound.back"), icon="!", tone="error")


# --- wrapping the registered pages ----------------------------------------------------------------------

def current_path(page: Mapping[str, Any], path_variables: Mapping[str, object]) -> str:
    """The path being shown: the router's pathname when inside its callback, else the page's path
    (its template filled with ``path_variables``)."""
    try:
        pathname = dash.callback_context.inputs.get("_pages_location.pathname")
        if pathname:
            return str(pathname)
    except Exception:  # noqa: BLE001 - outside a callback there is no context
        pass
    template = page.get("path_template")
    if template:
        path = template
        for name, value in path_variables.items():
            path = path.replace(f"<{name}>", str(value))
        return path
    return page.get("path") or "/"


def with_shell(page: Mapping[str, Any], layout: Callable[..., Any]) -> Callable[..., Any]:
    """``layout`` wrapped: context, error panel, shell (unless ``shell=False``), ``<html lang>``."""
    template = page.get("path_template") or ""
    path_names = {part[1:-1] for part in template.split("/") if part.startswith("<") and part.endswith(">")}
    use_shell = page.get("shell", True) is not False

    def wrapped(**kwargs: Any) -> Any:
        params = {k: v for k, v in kwargs.items() if k not in path_names}
        path = current_path(page, {k: kwargs[k] for k in path_names if k in kwargs})
        lang = page_lang(params)
        t = translator(lang)
        is_demo, today, as_of = False, None, parse_as_of(params.get("as_of"))
        try:
            ctx = page_context(params)
            is_demo, today = ctx.is_demo, ctx.today
            content = layout(**kwargs)
        except Exception:  # noqa: BLE001 - the page, not the process, fails; the log keeps the traceback
            log.exception("page %s failed for %s %s", page.get("module"), path, dict(params))
            content = error_panel(t, params)
        store = dcc.Store(id=ids.PAGE_LANG, data=lang)
        nav = dcc.Location(id=ids.NAV_LOCATION, refresh="callback-nav")  # callbacks navigate through it
        if not use_shell:
            return html.Div([store, nav, content], lang=lang)
        return html.Div([store, nav, shell(content, lang=lang, t=t, path=path, params=params, is_demo=is_demo,
                                      today=today, as_of=as_of)])

    wrapped.__doc__ = layout.__doc__
    wrapped.__wrapped__ = layout  # type: ignore[attr-defined]
    return wrapped


def install(registry: Mapping[str, dict]) -> None:
    """Wrap every registered page's layout with :func:`with_shell` (once per page)."""
    for page in registry.values():
        layout = page.get("layout")
        if callable(layout) and not getattr(layout, "__wrapped__", None):
            page["layout"] = with_shell(page, layout)


#: ``<html lang>`` follows the page's language on client-side navigation too (the first paint gets it
#: from the server, see ``app.NatijeDash.interpolate_index``).
clientside_callback(
    """function(lang) {
        if (lang) { document.documentElement.setAttribute('lang', lang); }
        return window.dash_clientside.no_update;
    }""",
    Output(ids.LANG_SINK, "children"),
    Input(ids.PAGE_LANG, "data"),
)
