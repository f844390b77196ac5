"""The briefing pack (docs/export.md, "Briefing pack"): one PDF for a minister's meeting, rendered by
:func:`briefing_pdf` — the one code path of ``natije briefing``, ``/briefing`` and the pages' button.

Scope: a node (default: the national portfolio the overview shows) and a region (default: the whole
country; a region-scoped viewer's own region). Every figure comes from the service its page asks,
with the viewer's scope in SQL, so the pack and the pages never disagree:

* the headline goals — the overview's KPI cards (a portfolio), the node's cards (a program or
  project: ``services.nodes``), the region page's KPIs against the nation (a portfolio with a region);
* key charts (at most :data:`MAX_CHARTS`): :class:`services.exports.ChartSpec` s rebuilt by the
  caller's ``charts`` function (``dashboards._chart_kinds.build_chart``, the export route's), drawn
  as SVG by ``services.chart_images`` — the off-track goals of the portfolio's programs, a program's
  worst goals and its budget, a project's milestones and budget burn, a region's worst KPI trends and
  its demand by topic;
* projects at risk (amber or worse: ``kpi.status``) with the program page's or region page's health;
* overdue instructions with assignee and escalation (``data_sources.accountability``; the
  overview's count for the portfolio, the node's subtree for a program or project, the region's);
* accountable officials — owners of the node, its programs (or the region's territorial program)
  and of the projects at risk, with their scorecard figures (``services.officials``);
* citizen demand by topic (a region, when it has requests: ``services.regions``);
* the ledger head hash and its last verification (``services.ledger_view``).

The HTML is a Jinja2 template (``services/templates/briefing.html``, autoescaped) printed by
WeasyPrint on A4 with ``briefing.css``: DejaVu Sans from its local file, page X of Y in the footer,
long tables repeating their header and never splitting a row. WeasyPrint fetches nothing but the
font files and the embedded ``data:`` images (:class:`LocalOnlyFetcher`).

A rendered pack is kept in the store (``data_sources.briefing_cache``) under its request key —
node, region, language, viewer, reference and as-of days and a digest of what the pack is made of
(template, stylesheet, this module, message catalogs) — for the store's stamp (data version, last
verification, ledger head): the same request for unchanged data is one indexed read.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go
from jinja2 import Environment, FileSystemLoader
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from data_sources import accountability, briefing_cache, queries
from data_sources.store import NATION
from kpi.instructions import state_window
from kpi.status import AT_RISK, OFF_TRACK, STATUS_ORDER
from services import api
from services.catalogue import unit_label
from services.chart_images import render_image
from services.context import Context
from services.exports import CODE_LENGTH, ChartContent, ChartSpec, filters_text
from services.formatting import MONEY_UNITS, date_text, format_value, is_missing, period_text, reason_only
from services.i18n import LANGUAGES, LOCALES_DIR, Translator
from services.instructions import with_states
from services.ledger_view import VERIFY_COMMAND, chain_status
from services.nodes import NodeView, build_node
from services.officials import build_officials, build_scorecard
from services.overview import build_overview
from services.programs import build_program_extras
from services.projects import build_project
from services.regions import build_region

MEDIA_TYPE = "application/pdf"
#: Query parameters of ``/briefing`` (the CLI's options have the same names).
PARAMS = ("node", "region", "lang", "as_of")
TEMPLATES = Path(__file__).with_name("templates")
TEMPLATE, STYLESHEET = "briefing.html", "briefing.css"
#: Charts drawn in a pack (each about 0.15 s with a warm browser).
MAX_CHARTS = 4
#: Width of a chart's SVG in CSS pixels (the A4 text column is about 680 px: drawn a little smaller).
CHART_WIDTH = 760
CHART_HEIGHT = 380
#: Up to this many officials, their figures come from their scorecards one by one (else from the list).
SCORECARDS_ONE_BY_ONE = 10
#: Most overdue instructions listed (the count says when there are more).
OVERDUE_LIMIT = 500
#: Where DejaVu Sans lives (Debian and Ubuntu first, then Fedora, Arch, Alpine, a local install).
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu-sans-fonts"),
             Path("/usr/share/fonts/TTF"), Path("/usr/share/fonts/dejavu"), Path("/usr/local/share/fonts"))
FONT_FILES = (("normal", "DejaVuSans.ttf"), ("bold", "DejaVuSans-Bold.ttf"))
#: Units shown as money (tenge with a scale word), as on the pages.
AT_RISK_STATUSES = OFF_TRACK | AT_RISK

ChartBuilder = Callable[[Context, ChartSpec], "ChartContent | None"]


class BriefingNotFound(LookupError):
    """The node or region does not exist, or is outside the viewer's scope (CLI exit 4, HTTP 404)."""


# --- the request ------------------------------------------------------------------------------------------

def _code(name: str, value: Any) -> str | None:
    """A code as the store writes it (upper case; letters, digits, ``_ - .``), or None when empty."""
    code = str(value).strip().upper() if value is not None else ""
    if not code:
        return None
    if len(code) > CODE_LENGTH or any(not (ch.isalnum() or ch in "_-.") for ch in code):
        raise api.BadRequest(f"{name} must be a code (letters, digits, _ - .), not {value!r}")
    return code


@dataclass(frozen=True)
class BriefingRequest:
    """The parameters of a pack as a URL or the command line gives them, validated: codes upper-cased
    (empty: not given), ``lang`` one of kk, ru, en (None: ``NATIJE_LANG``), ``as_of`` a date."""

    node: str | None = None
    region: str | None = None
    lang: str | None = None
    as_of: dt.date | None = None

    @classmethod
    def from_query(cls, args: Mapping[str, Any]) -> "BriefingRequest":
        """From query parameters (strings, or lists of one string); unknown or repeated parameters,
        bad codes, languages or dates raise :class:`services.api.BadRequest`."""
        values = api.single_values(args, PARAMS, "a briefing pack")
        return cls(node=_code("node", values.get("node")), region=_code("region", values.get("region")),
                   lang=api.parse_lang(values.get("lang") or None), as_of=api.parse_as_of(values.get("as_of") or None))


@dataclass(frozen=True)
class Briefing:
    """A rendered pack: the PDF's bytes, its file name and what it holds. ``cached``: served from the
    store; ``seconds``: how long the render took (when it was rendered)."""

    content: bytes
    file_name: str
    node: str
    region: str | None
    lang: str
    day: dt.date
    data_version: int
    pages: int
    rendered_at: dt.datetime
    cached: bool
    seconds: float
    media_type: str = MEDIA_TYPE


def file_name(node: str, region: str | None, day: dt.date, lang: str) -> str:
    """``natije_briefing_<node>_<region|KZ>_<day>_<lang>.pdf``."""
    return f"natije_briefing_{node}_{region or NATION}_{day.isoformat()}_{lang}.pdf"


def requested_scope(ctx: Context, node: str | None, region: str | None) -> tuple[str | None, str | None]:
    """(node, region) codes the pack is for: upper-cased; ``KZ`` is the whole country (None); a
    region-scoped viewer gets its region by default and :class:`BriefingNotFound` for another one."""
    node = _code("node", node)
    region = _code("region", region)
    region = None if region == NATION else region
    own = _code("region", ctx.viewer.region)
    if own is not None and own != NATION:
        if region is not None and region != own:
            raise BriefingNotFound(f"region {region} is outside this viewer's scope (region {own})")
        region = own
    return node, region


# --- what the pack is made of (the cache key) -------------------------------------------------------------

@lru_cache(maxsize=1)
def made_from() -> str:
    """SHA-256 of what a pack is made of besides data: template, stylesheet, this module, catalogs."""
    digest = hashlib.sha256()
    sources = [TEMPLATES / TEMPLATE, TEMPLATES / STYLESHEET, Path(__file__)]
    sources += [LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po" for lang in LANGUAGES
                for domain in ("messages", "reasons")]
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def request_key(ctx: Context, node: str | None, region: str | None) -> str:
    """The cache key of a pack: its parameters, the viewer, language, days and :func:`made_from`."""
    viewer = ctx.viewer
    payload = {"node": node, "region": region, "lang": ctx.lang, "today": ctx.today.isoformat(),
               "as_of": ctx.as_of.isoformat() if ctx.as_of else None,
               "viewer": [viewer.role, viewer.region, viewer.official], "made_from": made_from()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


# --- the one entry point --------------------------------------------------------------------------------

def briefing_pdf(ctx: Context, *, node: str | None = None, region: str | None = None,
                 charts: ChartBuilder) -> Briefing:
    """The briefing pack of ``node`` (None: the national portfolio) for ``region`` (None: the whole
    country) as ``ctx``'s viewer sees it, in ``ctx.lang``, as of ``ctx.today``: from the store when
    it holds this pack for the current data (about 1 ms), else rendered (seconds: docs/export.md) and kept.

    ``charts`` rebuilds a chart from its spec (``dashboards._chart_kinds.build_chart``). Raises
    :class:`BriefingNotFound` (unknown or out-of-scope node or region), :class:`services.api.BadRequest`
    (malformed codes), ``services.chart_images.RenderFailed`` (the browser cannot draw a chart)."""
    node, region = requested_scope(ctx, node, region)
    key = request_key(ctx, node, region)
    kept = briefing_cache.cached_pack(ctx.engine, key)
    if kept is not None:
        meta = kept.meta
        return Briefing(content=kept.content, file_name=kept.file_name, node=meta["node"], region=meta["region"],
                        lang=meta["lang"], day=dt.date.fromisoformat(meta["day"]), data_version=kept.stamp.data_version,
                        pages=int(meta["pages"]), rendered_at=kept.rendered_at, cached=True, seconds=0.0)
    stamp = briefing_cache.current_stamp(ctx.engine)  # before reading: a change while rendering leaves a stale row
    started = time.perf_counter()
    pack = build_pack(ctx, node=node, region=region, charts=charts, data_version=stamp.data_version)
    content, pages = pdf_bytes(pack_html(pack))
    briefing = Briefing(content=content, file_name=file_name(pack.node["code"], region, ctx.today, ctx.lang),
                        node=pack.node["code"], region=region, lang=ctx.lang, day=ctx.today,
                        data_version=stamp.data_version, pages=pages, rendered_at=pack.rendered_at, cached=False,
                        seconds=time.perf_counter() - started)
    briefing_cache.keep_pack(ctx.engine, key, stamp, file_name=briefing.file_name, content=content,
                             meta={"node": briefing.node, "region": region, "lang": ctx.lang,
                                   "day": ctx.today.isoformat(), "pages": pages, "seconds": round(briefing.seconds, 3)},
                             rendered_at=pack.rendered_at)
    return briefing


# --- the pack as data -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PackChart:
    """A chart as printed: its card's words and the SVG as a ``data:`` URL."""

    title: str
    units: str | None
    caption: tuple[str, ...]
    image: str
    kind: str


@dataclass(frozen=True)
class Pack:
    """Everything a pack prints, already in words of ``lang`` (rows are dicts of texts).

    ``node``: code, name, level, kind text, owner text, status, status word, reason (``status_of``:
    the territorial program they belong to in a region's pack, else None); ``region``:
    code and name, or None (the whole country); ``scope``: the region's name or "whole country";
    ``as_of_text``: the reference day in words; ``filters``: (label, value) pairs printed on the
    cover; ``kpis``, ``projects``, ``overdue``, ``officials``, ``demand`` (None: no section): table
    rows; ``overdue_total``: overdue instructions in scope (``overdue`` lists at most
    :data:`OVERDUE_LIMIT`; ``overdue_lead`` says how many); ``ledger``: head hash, entry and
    verification lines; ``words``: the template's fixed texts."""

    lang: str
    node: dict
    region: dict | None
    scope: str
    today: dt.date
    as_of_text: str
    rendered_at: dt.datetime
    data_version: int
    is_demo: bool
    filters: tuple[tuple[str, str], ...]
    status_counts: tuple[tuple[str, str, int], ...]
    kpis: list[dict]
    kpis_regional: bool
    charts: list[PackChart]
    projects: list[dict]
    overdue: list[dict]
    overdue_total: int
    overdue_lead: str
    officials: list[dict]
    demand: list[dict] | None
    ledger: dict
    words: dict


def build_pack(ctx: Context, *, node: str | None, region: str | None, charts: ChartBuilder,
               data_version: int) -> Pack:
    """The pack's content for ``node`` and ``region`` (codes as :func:`requested_scope` gives them)."""
    t = ctx.t
    if node is None:
        node = default_portfolio(ctx)
        if node is None:
            raise BriefingNotFound("the store holds no portfolio")
    view = build_node(ctx, node)
    if view is None:
        raise BriefingNotFound(f"no node {node} for this viewer")
    region_info, region_view = _region(ctx, region)
    level = view.node["level"]
    # the overview of a portfolio for the whole country (a region's pack shows the region page instead)
    portfolio = build_overview(ctx, view.node["code"]) if level == "portfolio" and region_view is None else None

    kpis, regional = _kpis(ctx, view, portfolio, region_view)
    projects = _projects(ctx, view, portfolio, region_view, region)
    overdue, overdue_total = _overdue(ctx, view, region)
    node_info = _node_info(ctx, view, region_view)
    return Pack(
        lang=ctx.lang, node=node_info, region=region_info,
        scope=region_info["name"] if region_info else t("briefing.scope.country"),
        today=ctx.today, as_of_text=t.date(ctx.today, "long"),
        rendered_at=dt.datetime.now(dt.timezone.utc), data_version=data_version, is_demo=ctx.is_demo,
        filters=_filters(ctx, node_info, region_info, data_version),
        status_counts=_status_counts(t, [row["status"] for row in kpis]),
        kpis=kpis, kpis_regional=regional,
        charts=_charts(ctx, view, portfolio, region_view, charts),
        projects=projects, overdue=overdue, overdue_total=overdue_total,
        overdue_lead=(t("briefing.overdue.capped", shown=t.number(len(overdue), 0), total=t.number(overdue_total, 0))
                      if overdue_total > len(overdue) else t("briefing.overdue.count", count=t.number(overdue_total, 0))),
        officials=_officials(ctx, view, portfolio, region_view, projects),
        demand=_demand(t, region_view),
        ledger=_ledger(ctx),
        words=pack_words(t),
    )


def default_portfolio(ctx: Context) -> str | None:
    """The portfolio the overview shows without ``?portfolio=`` (the newest: the first of
    ``queries.portfolios``), without computing the overview; None when there is none."""
    portfolios = queries.portfolios(ctx.engine, ctx.viewer, lang=ctx.lang)
    return None if portfolios.empty else str(portfolios.iloc[0]["code"])


def _region(ctx: Context, region: str | None) -> tuple[dict | None, Any]:
    if region is None:
        return None, None
    view = build_region(ctx, region)
    if view is None:
        raise BriefingNotFound(f"no region {region}")
    return {"code": region, "name": str(view.region["name"])}, view


# --- words and figures ----------------------------------------------------------------------------------

def figure_text(t: Translator, value: Any, unit: str | None, decimals: Any, label: str | None = None) -> str:
    """A figure as the pages print it (:func:`services.formatting.format_value`) followed by the
    unit's words (money prints its own ₸)."""
    text = format_value(None if is_missing(value) else value, t, unit=unit, decimals=decimals)
    if text == "–" or (unit and str(unit).lower() in MONEY_UNITS):
        return text
    words = label if label is not None else unit_label(unit, t)
    return f"{text}\u00a0{words}" if words else text


def person(name: Any, post: Any) -> dict:
    """An official as printed: ``name`` ("–" when nobody) and ``post`` ("" when unknown)."""
    if is_missing(name) or not name:
        return {"name": "–", "post": ""}
    return {"name": str(name), "post": "" if is_missing(post) or not post else str(post)}


def _status(t: Translator, status: Any) -> dict:
    status = status if isinstance(status, str) and status in STATUS_ORDER else "no_data"
    return {"status": status, "status_word": t(f"status.{status}")}


def _by_status(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: (STATUS_ORDER.index(row["status"]), row.get("sort", "")))


def _status_counts(t: Translator, statuses: Iterable[str]) -> tuple[tuple[str, str, int], ...]:
    counts = pd.Series(list(statuses), dtype=object).value_counts()
    return tuple((status, t(f"status.{status}"), int(counts[status])) for status in STATUS_ORDER if status in counts)


def _node_info(ctx: Context, view: NodeView, region_view: Any) -> dict:
    """The node as the cover names it, with the status block of its page: the node's own roll-up, or
    for a portfolio in a region the region's territorial program (as the region page's header)."""
    t, node = ctx.t, view.node
    kind = node.get("kind")
    kind_text = t(f"kind1.{kind}") if kind and t.has(f"kind1.{kind}") else t(f"briefing.level.{node['level']}")
    program = region_view.program if region_view is not None and node["level"] == "portfolio" else None
    head = program or node
    owner = head.get("owner_name")
    return {"code": node["code"], "name": str(node.get("name") or node["code"]), "level": node["level"],
            "kind_text": kind_text, "status_of": str(program["name"]) if program else None,
            **_status(t, head.get("status")), "reason": reason_only(head.get("reason_text"), head.get("status"), t),
            "owner": t("overview.owner", name=owner, post=head["owner_post"]) if owner and head.get("owner_post")
            else (t("overview.owner_name", name=owner) if owner else None)}


def viewer_text(ctx: Context, region_name: str | None) -> str:
    """"Minister, whole country": the viewer's role and scope."""
    t = ctx.t
    return t("briefing.viewer", role=t(f"briefing.role.{ctx.viewer.role}"),
             scope=region_name if ctx.viewer.region else t("briefing.scope.country"))


def _filters(ctx: Context, node: dict, region: dict | None, data_version: int) -> tuple[tuple[str, str], ...]:
    t = ctx.t
    own_region = region["name"] if region and ctx.viewer.region else None
    return (
        (t("briefing.filter.node"), f"{node['name']} ({node['code']})"),
        (t("filter.region"), f"{region['name']} ({region['code']})" if region else t("briefing.scope.country")),
        (t("briefing.filter.lang"), t(f"lang.{ctx.lang}")),
        (t("briefing.filter.as_of"), t.date(ctx.today, "long")),
        (t("briefing.filter.viewer"), viewer_text(ctx, own_region)),
        (t("briefing.filter.data_version"), str(data_version)),
    )


# --- sections -------------------------------------------------------------------------------------------

def _kpis(ctx: Context, view: NodeView, portfolio: Any, region_view: Any) -> tuple[list[dict], bool]:
    """Headline goals: the overview's cards, the node's cards, or the region page's KPIs (True)."""
    t = ctx.t
    if view.node["level"] == "portfolio" and region_view is not None:
        program = region_view.program or {}
        own = set()
        if program.get("code"):
            mine = build_node(ctx, program["code"])
            own = set(mine.goals.goals["indicator"]) if mine is not None else set()
        rows = []
        for _, kpi in region_view.kpis.iterrows():
            owner = (person(program.get("owner_name"), program.get("owner_post")) if kpi["indicator"] in own
                     else person(view.node.get("owner_name"), view.node.get("owner_post")))
            rows.append(_kpi_row(t, kpi, value=kpi["value"], period=kpi["period"], owner=owner,
                                 note=t("briefing.kpi.national", value=figure_text(
                                     t, kpi["national_value"], kpi["unit"], kpi["decimals"], kpi["unit_label"]))
                                 if not is_missing(kpi["national_value"]) else None))
        return rows, True
    cards = portfolio.cards if portfolio is not None else view.cards
    return [_kpi_row(t, card, value=card["latest_value"], period=card["latest_period"],
                     owner=person(card["owner_name"], card["owner_post"]), note=None)
            for _, card in cards.iterrows()], False


def _kpi_row(t: Translator, row: pd.Series, *, value: Any, period: Any, owner: dict, note: str | None) -> dict:
    target = figure_text(t, row["target_value"], row["unit"], row["decimals"], row["unit_label"])
    return {
        "name": str(row["name"]), "indicator": row["indicator"],
        "value": figure_text(t, value, row["unit"], row["decimals"], row["unit_label"]),
        "period": period_text(period, t), "note": note,
        "target": t("briefing.kpi.target", value=target, year=int(row["target_year"]))
        if not is_missing(row["target_value"]) and not is_missing(row["target_year"]) else target,
        **_status(t, row["status"]), "reason": reason_only(row["reason_text"], row["status"], t), "owner": owner,
    }


def _projects(ctx: Context, view: NodeView, portfolio: Any, region_view: Any, region: str | None) -> list[dict]:
    """Projects amber or worse, worst first, with the health their program or region page shows."""
    t, level = ctx.t, view.node["level"]
    rows: list[dict] = []
    if level == "project":
        project = build_project(ctx, view.node["code"])
        health = project.earned_value["health"] if project is not None else None
        if health is not None and health["status"] in AT_RISK_STATUSES:
            node = view.node
            parent = view.path.iloc[-2]["name"] if len(view.path) > 1 else None
            rows.append(_project_row(t, node, program=parent, region=node.get("region_name"), health=health,
                                     spi=project.earned_value["spi"], cpi=project.earned_value["cpi"]))
    elif level == "portfolio" and region_view is not None:
        for _, project in region_view.projects.iterrows():
            if project["status"] in AT_RISK_STATUSES:
                rows.append(_project_row(t, project, program=project["program_name"], region=region_view.region["name"],
                                         health=project, spi=project["spi"], cpi=project["cpi"]))
    else:
        programs = ([(code, name) for code, name in zip(portfolio.programs["code"], portfolio.programs["name"])]
                    if level == "portfolio" else [(view.node["code"], view.node["name"])])
        for code, name in programs:
            extras = build_program_extras(ctx, code)
            if extras is None:
                continue
            for _, project in extras.projects.iterrows():
                if project["status"] in AT_RISK_STATUSES and (region is None or project["region"] == region):
                    rows.append(_project_row(t, project, program=name, region=project["region_name"], health=project,
                                             spi=project["spi"], cpi=project["cpi"]))
    return _by_status(rows)


def _project_row(t: Translator, project: Mapping[str, Any], *, program: Any, region: Any, health: Mapping[str, Any],
                 spi: Any, cpi: Any) -> dict:
    return {"code": project["code"], "name": str(project["name"]), "program": "" if is_missing(program) else str(program),
            "region": "" if is_missing(region) else str(region), **_status(t, health["status"]),
            "reason": reason_only(health["reason_text"], health["status"], t),
            "owner": person(project.get("owner_name"), project.get("owner_post")),
            "end": date_text(project.get("end_date"), t),
            "spi": "–" if is_missing(spi) else t.number(float(spi), 2),
            "cpi": "–" if is_missing(cpi) else t.number(float(cpi), 2), "sort": project["code"]}


def _overdue(ctx: Context, view: NodeView, region: str | None) -> tuple[list[dict], int]:
    """Overdue instructions, most overdue first: all in scope for a portfolio (as the overview counts
    them), a program's or project's subtree otherwise; of ``region`` when given."""
    t = ctx.t
    window = state_window("overdue", ctx.today)
    filters: dict[str, Any] = {"outstanding": window.outstanding, "due_from": window.due_from,
                               "due_until": window.due_until}
    if view.node["level"] != "portfolio":
        filters["under"] = view.node["code"]
    if region is not None:
        filters["region"] = region
    total = accountability.instruction_total(ctx.engine, ctx.viewer, today=ctx.today, **filters)
    frame = with_states(ctx, accountability.instructions(ctx.engine, ctx.viewer, today=ctx.today, lang=ctx.lang,
                                                         order="due", limit=OVERDUE_LIMIT, **filters))
    rows = [{"code": row["code"], "text": "" if is_missing(row["text"]) else str(row["text"]),
             "assignee": person(row["assignee_name"], row["assignee_post"]),
             "node": "" if is_missing(row["node_name"]) else str(row["node_name"]),
             "region": "" if is_missing(row["region_name"]) else str(row["region_name"]),
             "due": date_text(row["due_date"], t), "days": t.number(int(row["days_overdue"]), 0),
             "escalated": person(row["escalation_owner_name"], row["escalation_owner_post"])}
            for _, row in frame.iterrows()]
    return rows, total


def _officials(ctx: Context, view: NodeView, portfolio: Any, region_view: Any, projects: list[dict]) -> list[dict]:
    """Who is accountable here — the node's owner; nationally its programs' owners; in a region the
    territorial program's and the owners of the projects at risk; for a program or project the owners
    of its projects at risk — each with what they hold here and their scorecard figures."""
    t = ctx.t
    held: list[tuple[str, str, str]] = [(view.node["code"], view.node["name"], view.node.get("status") or "no_data")]
    if portfolio is not None:
        held += list(zip(portfolio.programs["code"], portfolio.programs["name"], portfolio.programs["status"]))
    if region_view is not None and region_view.program:
        program = region_view.program
        held.append((program["code"], program["name"], program.get("status") or "no_data"))
    if view.node["level"] != "portfolio" or region_view is not None:  # nationally the programs' owners answer
        held += [(row["code"], row["name"], row["status"]) for row in projects]
    owners = queries.accountable(ctx.engine, ctx.viewer, list(dict.fromkeys(code for code, _, _ in held)),
                                 on=ctx.today, lang=ctx.lang).set_index("node")
    people: dict[str, dict] = {}
    for code, name, status in held:
        if code not in owners.index:
            continue
        owner = owners.loc[code]
        person = people.setdefault(owner["official"], {"code": owner["official"], "name": str(owner["name"]),
                                                       "post": "" if is_missing(owner["post"]) else str(owner["post"]),
                                                       "held": [], "statuses": []})
        if name not in person["held"]:
            person["held"].append(str(name))
            person["statuses"].append(status if status in STATUS_ORDER else "no_data")
    figures = official_figures(ctx, list(people))
    rows = []
    for code, person in people.items():
        worst = min(person["statuses"], key=STATUS_ORDER.index)
        known = figures.get(code)
        rows.append({"name": person["name"], "post": person["post"], "held": "; ".join(person["held"]),
                     **_status(t, worst),
                     "goals": t.number(int(known["goals"]), 0) if known else "–",
                     "off_track": t.percent(known["off_track_share"]) if known else "–",
                     "overdue": t.number(int(known["overdue_instructions"]), 0) if known else "–",
                     "sort": person["name"]})
    return _by_status(rows)


def official_figures(ctx: Context, codes: list[str]) -> dict[str, dict]:
    """Scorecard figures (``services.officials.FIGURE_COLUMNS``) of the officials ``codes`` the viewer
    may see: from each one's scorecard when they are few (about 0.2 s each), else from the list of
    every official (about 3 s, once per data version) — the same ``kpi.scorecard`` figures either way."""
    if len(codes) <= SCORECARDS_ONE_BY_ONE:
        cards = {code: build_scorecard(ctx, code) for code in codes}
        return {code: card.figures for code, card in cards.items() if card is not None}
    everyone = build_officials(ctx).set_index("code")
    return {code: everyone.loc[code].to_dict() for code in codes if code in everyone.index}


def _demand(t: Translator, region_view: Any) -> list[dict] | None:
    """Citizen demand by topic of the region page; None without a region or without requests."""
    if region_view is None or region_view.demand is None or region_view.demand.empty:
        return None
    return [{"topic": str(row["topic_name"]), "requests": t.number(int(row["requests"]), 0),
             "per_10k": t.number(row["per_10k"], 1),
             "growth": "–" if is_missing(row["growth"]) else ("+" if row["growth"] > 0 else "") + t.percent(row["growth"]),
             "on_time": t.percent(row["resolved_on_time_share"])}
            for _, row in region_view.demand.iterrows()]


def _ledger(ctx: Context) -> dict:
    """The ledger head and its last verification, in words that stay true in a kept pack (no ages)."""
    t = ctx.t
    chain = chain_status(ctx)
    lines = []
    if chain.verification is None:
        lines.append(t("briefing.ledger.empty") if chain.state == "empty"
                     else t("briefing.ledger.never", command=VERIFY_COMMAND))
    else:
        verification = chain.verification
        lines.append(t("briefing.ledger.verified", when=t.datetime(verification["verified_at"]),
                       result=t("briefing.ledger.ok") if verification["ok"] else t("briefing.ledger.failed"),
                       entries=t.number(int(verification["entries"] or 0), 0)))
        if chain.since_verified:
            lines.append(t("ledger.status.since", count=t.number(chain.since_verified, 0)))
    return {"head_hash": chain.head_hash or "–", "state": chain.state, "status": chain.status,
            "head": t("briefing.ledger.head", seq=t.number(chain.head_seq or 0, 0),
                      entries=t.number(chain.entries, 0)),
            "lines": lines}


# --- charts ---------------------------------------------------------------------------------------------

def chart_specs(ctx: Context, view: NodeView, portfolio: Any, region_view: Any) -> list[ChartSpec]:
    """The pack's key charts (at most :data:`MAX_CHARTS`), as the pages' and exports' specs."""
    level, code = view.node["level"], view.node["code"]
    as_of = ctx.as_of.date() if ctx.as_of else None
    spec = lambda kind, **fields: ChartSpec(kind, lang=ctx.lang, as_of=as_of, **fields)  # noqa: E731
    specs: list[ChartSpec] = []
    if level == "portfolio" and region_view is not None:
        kpis = region_view.kpis
        if not kpis.empty:
            ranked = kpis.assign(_order=kpis["status"].map(STATUS_ORDER.index)).sort_values("_order", kind="stable")
            worst = ranked[ranked["status"] != "no_data"] if (ranked["status"] != "no_data").any() else ranked
            specs += [spec("region_trend", region=region_view.region["code"], indicator=indicator)
                      for indicator in worst["indicator"].head(2)]
        if region_view.demand is not None and not region_view.demand.empty:
            specs.append(spec("demand_topics", region=region_view.region["code"]))
    elif level == "portfolio":
        for _, goal in portfolio.off_track[portfolio.off_track["node"] != code].iterrows():
            owner = build_node(ctx, goal["node"])
            mine = owner.goals.goals[owner.goals.goals["indicator"] == goal["indicator"]] if owner else pd.DataFrame()
            if not mine.empty:
                region = mine.iloc[0]["region"]
                specs.append(spec("goal", node=goal["node"], indicator=goal["indicator"],
                                  region=NATION if is_missing(region) else region))
            if len(specs) == MAX_CHARTS - 1:
                break
    else:
        goals = view.goals.goals
        if level == "project":
            specs += [spec("project_milestones", node=code), spec("project_budget", node=code)]
        if not goals.empty:
            ordered = goals.assign(_order=goals["status"].map(STATUS_ORDER.index)).sort_values(["_order", "indicator"])
            specs += [spec("goal", node=code, indicator=goal["indicator"],
                           region=NATION if is_missing(goal["region"]) else goal["region"])
                      for _, goal in ordered.head(MAX_CHARTS - len(specs) - (level == "program")).iterrows()]
        if level == "program":
            specs.append(spec("program_budget", node=code))
    return specs[:MAX_CHARTS]


def chart_svg(content: ChartContent) -> bytes:
    """The chart as the page draws it (its title is printed above it, so not in the image), as SVG of
    :data:`CHART_WIDTH` pixels."""
    figure = go.Figure(content.figure)
    top = figure.layout.margin.t if figure.layout.margin and figure.layout.margin.t is not None else 48
    height = int(figure.layout.height or CHART_HEIGHT)
    figure.update_layout(title=None, margin=dict(t=max(16, top - 36)), width=CHART_WIDTH, height=height)
    return render_image(figure, "svg", width=CHART_WIDTH, height=height)


def _charts(ctx: Context, view: NodeView, portfolio: Any, region_view: Any, charts: ChartBuilder) -> list[PackChart]:
    t = ctx.t
    printed = []
    for spec in chart_specs(ctx, view, portfolio, region_view):
        content = charts(ctx, spec)
        if content is None:
            continue
        day = content.as_of.date() if isinstance(content.as_of, dt.datetime) else content.as_of
        caption = (t("chart.filters", filters=filters_text(content.filters, t)),
                   t("chart.source", source=content.source) if content.source else t("chart.source_unknown"),
                   t("chart.as_of", date=date_text(day, t)))
        image = "data:image/svg+xml;base64," + base64.b64encode(chart_svg(content)).decode("ascii")
        printed.append(PackChart(title=content.title, units=content.units, caption=caption, image=image, kind=spec.kind))
    return printed


# --- HTML and PDF ---------------------------------------------------------------------------------------

def pack_words(t: Translator) -> dict:
    """The template's fixed texts in ``t``'s language."""
    return {
        "title": t("briefing.title"), "page": t("briefing.page", page="\x00", pages="\x01"),
        "contents": t("briefing.cover.contents"), "summary": t("briefing.cover.summary"),
        "filters": t("briefing.filters.heading"), "demo": t("briefing.cover.demo"),
        "kpis": t("briefing.section.kpis"), "kpis_regional": t("briefing.section.kpis_regional"),
        "charts": t("briefing.section.charts"), "projects": t("briefing.section.projects"),
        "overdue": t("briefing.section.overdue"), "officials": t("briefing.section.officials"),
        "demand": t("briefing.section.demand"), "integrity": t("briefing.section.integrity"),
        "no_kpis": t("briefing.empty.kpis"), "no_charts": t("briefing.empty.charts"),
        "no_projects": t("briefing.empty.projects"), "no_overdue": t("briefing.empty.overdue"),
        "no_officials": t("briefing.empty.officials"), "ledger_lead": t("briefing.ledger.lead", command=VERIFY_COMMAND),
        "ledger_hash": t("briefing.ledger.hash"), "demand_lead": t("briefing.demand.lead"),
        "col_indicator": t("col.indicator"), "col_value": t("col.latest"), "col_target": t("col.target"),
        "col_status": t("col.status"), "col_owner": t("col.owner"), "col_project": t("col.project"),
        "col_program": t("col.program"), "col_region": t("col.region"), "col_end": t("col.end"),
        "col_spi": t("col.spi"), "col_cpi": t("col.cpi"), "col_instruction": t("col.instruction"),
        "col_assignee": t("col.assignee"), "col_due": t("col.due"), "col_days": t("col.days_overdue"),
        "col_escalated": t("briefing.col.escalated_to"), "col_official": t("briefing.col.official"),
        "col_held": t("briefing.col.held"), "col_goals": t("briefing.col.goals"),
        "col_off_track": t("briefing.col.off_track"), "col_overdue": t("briefing.col.overdue"),
        "col_topic": t("briefing.col.topic"), "col_requests": t("briefing.col.requests"),
        "col_per_10k": t("briefing.col.per_10k"), "col_growth": t("briefing.col.growth"),
        "col_on_time": t("briefing.col.on_time"), "col_node": t("briefing.filter.node"),
    }


def _css_string(text: Any) -> str:
    """``text`` as a CSS string literal (for ``content:`` of the page margins)."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def page_counter_content(template: str) -> str:
    """CSS ``content`` of a page-number text in which ``\\x00`` stands for the page and ``\\x01`` for the
    number of pages: ``"Page " counter(page) " of " counter(pages)``."""
    parts = re.split("([\x00\x01])", template)
    return " ".join("counter(page)" if part == "\x00" else "counter(pages)" if part == "\x01" else _css_string(part)
                    for part in parts if part)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True,
                              lstrip_blocks=True)
    environment.filters["css_string"] = _css_string
    return environment


def font_faces() -> list[dict]:
    """``@font-face`` rules for DejaVu Sans from its local files (``file://`` URLs); empty when the
    files are not in :data:`FONT_DIRS` (then fontconfig finds the family by name, if installed)."""
    faces = []
    for weight, name in FONT_FILES:
        path = next((directory / name for directory in FONT_DIRS if (directory / name).is_file()), None)
        if path is not None:
            faces.append({"weight": weight, "url": path.resolve().as_uri()})
    return faces


def pack_html(pack: Pack) -> str:
    """The pack as an HTML document (every text escaped; the page margins' texts as CSS strings)."""
    footer = f"natije · {pack.node['name']} · {pack.scope} · {pack.as_of_text}"
    return _environment().get_template(TEMPLATE).render(
        pack=pack, words=pack.words, fonts=font_faces(), page_numbers=page_counter_content(pack.words["page"]),
        footer=_css_string(footer))


class LocalOnlyFetcher(URLFetcher):
    """WeasyPrint's fetcher limited to ``data:`` URLs and the given local files: a pack never asks the
    network (or any other file) for anything."""

    def __init__(self, allowed_files: Iterable[str]) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self.allowed_files = frozenset(allowed_files)

    def fetch(self, url: str, headers: Any = None):  # noqa: ANN201 - a URLFetcherResponse
        if not (url.startswith("data:") or url in self.allowed_files):
            raise ValueError(f"a briefing pack fetches nothing but its fonts and embedded images, not {url}")
        return super().fetch(url, headers)


def pdf_bytes(html: str) -> tuple[bytes, int]:
    """(the PDF of ``html`` printed with :data:`STYLESHEET` on A4, its number of pages)."""
    fetcher = LocalOnlyFetcher(face["url"] for face in font_faces())
    document = HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=[CSS(filename=str(TEMPLATES / STYLESHEET), url_fetcher=fetcher)])
    return document.write_pdf(), len(document.pages)
