"""The data catalogue ``/data`` composed: every indicator with its freshness and accountable official,
the load history with each batch's report, uploads, blank templates and downloads.

* :func:`catalogue`: one row per indicator (:data:`CATALOGUE_ROW_COLUMNS`), names in ``ctx.lang``,
  freshness by :func:`kpi.freshness.freshness` on ``ctx.today`` (the newest period of any region).
* :func:`history` / :func:`batch_report`: the load batches newest first, for roles that upload
  (``Viewer.sees_uploads``); a batch's report rendered by :func:`services.loads.file_record`.
* :func:`upload`: an uploaded file written to a temporary file and loaded by
  :func:`data_sources.loaders.run.load_file` for the viewer (its region as the load's scope).
* :func:`blank_template`: a template's header in one language with its example rows, as CSV or XLSX
  (with a second sheet describing the columns); it loads back with ``natije load``.
* :func:`indicator_download`: an indicator's values as CSV or XLSX in the observations template's
  columns (:data:`services.api.OBSERVATION_COLUMNS`), formula-safe, loading back with ``natije load``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from data_sources import queries
from data_sources.loaders.run import FileReport, load_file, stored_file, template_named, templates
from data_sources.loaders.template import Problem, Template
from data_sources.settings import ALMATY
from data_sources.store import normalise_code
from data_sources.viewer import Viewer
from kpi.freshness import freshness
from services import api
from services.cache import by_data_version
from services.context import Context
from services.i18n import Translator, translator
from services.loads import file_record

#: One row per indicator: what the catalogue grid shows.
CATALOGUE_ROW_COLUMNS = (
    "code", "name", "unit", "unit_label", "frequency", "frequency_name", "agency", "agency_name", "source",
    "regional", "synthetic", "last_period", "last_period_start", "last_known_at", "last_known_text",
    "freshness", "freshness_name", "next_due", "next_due_text", "days_overdue",
    "owner", "owner_name", "owner_post", "owner_node", "owner_nodes",
)
#: Batches per page of the load history.
HISTORY_PAGE = 20
#: File types the upload takes (the loader reads CSV/TSV/TXT as delimited text and XLSX/XLSM as workbooks).
UPLOAD_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
DOWNLOAD_FORMATS = ("csv", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")


class UploadNotAllowed(PermissionError):
    """The viewer's role may not upload (``kiosk``, ``public``)."""


@dataclass(frozen=True)
class Download:
    """A file to send: the name the browser saves it as, its bytes, its media type."""

    file_name: str
    content: bytes
    mimetype: str


# --- the catalogue ----------------------------------------------------------------------------------------

def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    return str(value)


def _day(value: Any) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _instant(value: Any) -> dt.datetime | None:
    """An aware datetime from a frame cell (a Timestamp, a datetime), None for NaT / None."""
    if value is None or value is pd.NaT or not isinstance(value, dt.datetime):
        return None
    return value.to_pydatetime() if isinstance(value, pd.Timestamp) else value


def unit_label(unit: str | None, t: Translator) -> str:
    """The unit's words (``unit.<code>``), or the code itself when the catalogs lack it."""
    return t(f"unit.{unit}") if unit and t.has(f"unit.{unit}") else str(unit or "")


@by_data_version()
def catalogue(ctx: Context) -> pd.DataFrame:
    """Every indicator, by code, with its owner agency, source, frequency, the newest period with a value
    (any region; ``public``: published values), when it became known, its freshness on ``ctx.today``
    and its accountable official (``queries.indicator_owners``: the official of its top-most goal).
    Columns: :data:`CATALOGUE_ROW_COLUMNS`."""
    t = ctx.t
    indicators = queries.indicator_catalogue(ctx.engine, ctx.viewer, lang=ctx.lang, as_of=ctx.as_of)
    owners = queries.indicator_owners(ctx.engine, ctx.viewer, on=ctx.today, lang=ctx.lang).set_index("indicator")
    rows = []
    for row in indicators.to_dict("records"):
        start = _day(row["last_period_start"])
        fresh = freshness(frequency=row["frequency"], latest_period_start=start, grace_days=int(row["grace_days"]),
                          today=ctx.today, publication_lag_days=int(row["publication_lag_days"]))
        known_at = _instant(row["last_known_at"])
        owner = owners.loc[row["code"]] if row["code"] in owners.index else None
        rows.append({
            "code": row["code"], "name": _text(row["name"]) or row["code"], "unit": row["unit"],
            "unit_label": unit_label(row["unit"], t), "frequency": row["frequency"],
            "frequency_name": t(f"data.frequency.{row['frequency']}"), "agency": _text(row["agency"]),
            "agency_name": _text(row["agency_name"]), "source": _text(row["source"]),
            "regional": bool(row["regional"]), "synthetic": bool(row["synthetic"]),
            "last_period": _text(row["last_period"]), "last_period_start": start, "last_known_at": known_at,
            "last_known_text": t.date(known_at.astimezone(ALMATY).date()) if known_at else None,
            "freshness": fresh.state, "freshness_name": t(f"freshness.{fresh.state}"), "next_due": fresh.next_due,
            "next_due_text": t.date(fresh.next_due) if fresh.next_due else None, "days_overdue": fresh.days_overdue,
            "owner": owner["official"] if owner is not None else None,
            "owner_name": owner["name"] if owner is not None else None,
            "owner_post": owner["post"] if owner is not None else None,
            "owner_node": owner["node"] if owner is not None else None,
            "owner_nodes": int(owner["nodes"]) if owner is not None else 0,
        })
    return pd.DataFrame(rows, columns=list(CATALOGUE_ROW_COLUMNS))


# --- the load history -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class History:
    """One page of the load history: ``batches`` (records of :func:`batch_record`), the ``total`` number
    of batches, the page's bounds, and whether the demo generator's batches are included."""

    batches: list[dict]
    total: int
    limit: int
    offset: int
    include_demo: bool


def template_title(name: str, t: Translator) -> str:
    """A template's title in the language (``data.template.<name>``), else its own English title."""
    if t.has(f"data.template.{name}"):
        return t(f"data.template.{name}")
    try:
        return template_named(name).title
    except KeyError:
        return name


def batch_record(row: Mapping[str, Any], t: Translator) -> dict:
    """A load batch (a row of ``queries.load_history``) as the history shows it."""
    report = row.get("report") or {}
    names = [name for name in str(row.get("templates") or "").split(",") if name]
    loaded_at = _instant(row.get("loaded_at"))
    return {
        "code": row["code"], "region": row.get("region"), "loaded_at": loaded_at,
        "loaded_text": t.datetime(loaded_at, "short") if loaded_at else "–",
        "actor": row.get("actor"), "file": _text(row.get("file_name")), "source": _text(row.get("source")),
        "sha256": _text(row.get("file_sha256")), "templates": names,
        "template_titles": [template_title(name, t) for name in names],
        "rows": {key: int(row.get(column) or 0) for key, column in (
            ("read", "rows_read"), ("loaded", "loaded"), ("unchanged", "unchanged"), ("corrected", "corrected"),
            ("quarantined", "quarantined"))},
        "status": "partial" if int(row.get("quarantined") or 0) else "loaded",
        "problems_total": int(report.get("problems_total") or 0),
        "stored": bool(row.get("stored")), "synthetic": bool(row.get("synthetic")),
    }


def history(ctx: Context, *, page: int = 1, include_demo: bool = False, limit: int = HISTORY_PAGE) -> History:
    """Page ``page`` (from 1) of the load history as ``ctx.viewer`` may see it (empty for roles that do
    not upload), newest first; the demo generator's batches only with ``include_demo``."""
    limit = max(1, int(limit))
    offset = (max(1, int(page)) - 1) * limit
    frame = queries.load_history(ctx.engine, ctx.viewer, limit=limit, offset=offset,
                                 include_synthetic=include_demo, as_of=ctx.as_of)
    total = queries.load_history_total(ctx.engine, ctx.viewer, include_synthetic=include_demo, as_of=ctx.as_of)
    return History([batch_record(row, ctx.t) for row in frame.to_dict("records")], total, limit, offset,
                   include_demo)


def _problem(record: Mapping[str, Any]) -> Problem:
    params = record.get("params") if isinstance(record.get("params"), Mapping) else {}
    return Problem(record.get("row"), record.get("column"), record.get("value"), str(record.get("code") or ""),
                   {str(k): str(v) for k, v in params.items()}, record.get("sheet"))


def batch_report(ctx: Context, code: str) -> dict | None:
    """The report of the batch ``code`` in ``ctx.lang``: :func:`services.loads.file_record` of what the
    batch kept (its problems: the first ``KEPT_PROBLEMS``; ``problems_total`` counts them all) plus
    when, who and whether the file is kept. None when the viewer may not see the batch."""
    if not isinstance(code, str) or not code.strip() or len(code) > 64:
        return None
    row = queries.load_batch(ctx.engine, ctx.viewer, code=code)
    if row is None:
        return None
    record = batch_record(row, ctx.t)
    report = row.get("report") or {}
    rows = record["rows"]
    kept = FileReport(
        file=record["file"] or record["source"] or record["code"], sha256=record["sha256"], dry_run=False,
        templates=tuple(record["templates"]), rows_read=rows["read"], loaded=rows["loaded"],
        unchanged=rows["unchanged"], corrected=rows["corrected"], quarantined=rows["quarantined"],
        problems=tuple(_problem(p) for p in report.get("problems") or () if isinstance(p, Mapping)),
        warnings=tuple(str(w) for w in report.get("warnings") or ()), batch=record["code"],
    )
    return {**file_record(kept, ctx.t), "loaded_text": record["loaded_text"], "actor": record["actor"],
            "stored": record["stored"], "problems_total": max(record["problems_total"], len(kept.problems)),
            "template_titles": record["template_titles"]}


@dataclass(frozen=True)
class DataPage:
    """What ``/data`` shows: the catalogue (:data:`CATALOGUE_ROW_COLUMNS`), the load history and the upload
    (None / False for roles that do not upload), the blank templates, the upload size limit."""

    catalogue: pd.DataFrame
    history: History | None
    can_upload: bool
    templates: list[dict]
    max_upload_mb: int
    today: dt.date
    is_demo: bool


def build_data_page(ctx: Context, *, history_page: int = 1, include_demo: bool = False) -> DataPage:
    """Everything ``/data`` shows for ``ctx.viewer`` (the history and the upload only for roles that upload)."""
    can_upload = ctx.viewer.sees_uploads
    return DataPage(
        catalogue=catalogue(ctx),
        history=history(ctx, page=history_page, include_demo=include_demo) if can_upload else None,
        can_upload=can_upload, templates=template_options(ctx.t), max_upload_mb=ctx.settings.max_upload_mb,
        today=ctx.today, is_demo=ctx.is_demo,
    )


def refused_record(file_name: Any, code: str, t: Translator, *, dry_run: bool = False, **params: Any) -> dict:
    """The report of an upload refused before loading (``code``: a ``load.problem`` file code)."""
    problem = Problem(None, None, None, code, {k: str(v) for k, v in params.items()})
    return file_record(FileReport(file=safe_file_name(file_name), sha256=None, dry_run=dry_run, refused=problem), t)


# --- the upload -------------------------------------------------------------------------------------------

def upload_actor(viewer: Viewer) -> str:
    """Who the batch and the ledger record for a web upload: the viewer's official, else ``web:<role>``."""
    return viewer.official or f"web:{viewer.role}"


def safe_file_name(name: Any) -> str:
    """An uploaded file's name as shown and kept: its last path part, without control characters,
    at most 120 characters; ``upload`` when nothing is left."""
    text = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = re.sub(r"[\x00-\x1f\x7f]", "", text).strip()
    if len(text) > 120:
        stem, dot, suffix = text.rpartition(".")
        text = (stem[:110] + dot + suffix[:9]) if dot and len(suffix) <= 9 else text[:120]
    return text or "upload"


def upload(ctx: Context, file_name: Any, data: bytes, *, dry_run: bool, template: str | None = None) -> dict:
    """Load an uploaded file for ``ctx.viewer`` (``dry_run``: check only, keep nothing) and return its
    report (:func:`services.loads.file_record`, in ``ctx.lang``). The file is written to a temporary
    file named by this function (never by the client); rows outside a region-scoped viewer's region are
    quarantined; the size limit is ``NATIJE_MAX_UPLOAD_MB``. Raises :class:`UploadNotAllowed` for roles
    that do not upload and KeyError for an unknown ``template``."""
    if not ctx.viewer.sees_uploads:
        raise UploadNotAllowed(ctx.viewer.role)
    chosen = template_named(template) if template else None
    name = safe_file_name(file_name)
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="natije-upload-") as directory:
        path = Path(directory) / ("upload" + (suffix if suffix in UPLOAD_SUFFIXES else ".bin"))
        path.write_bytes(data)
        report = load_file(ctx.engine, path, actor=upload_actor(ctx.viewer), dry_run=bool(dry_run),
                           template=chosen, scope_region=ctx.viewer.region, max_bytes=ctx.settings.max_upload_bytes,
                           files_dir=ctx.settings.files_dir, name=name)
    return file_record(report, ctx.t)


# --- spreadsheets -----------------------------------------------------------------------------------------

def _xlsx_cell(value: Any) -> Any:
    """A cell for openpyxl: numbers stay numbers; text is neutralised like the CSV (a leading ``= + - @``
    gets a ``'``), so no cell is ever a formula."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bool, int, float)):  # numpy scalars
        value = value.item()
    if isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    return api.neutralise_cell(str(value))


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]]) -> bytes:
    """An XLSX workbook of ``(sheet title, rows)`` (write-only openpyxl; every cell through :func:`_xlsx_cell`)."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for row in rows:
            sheet.append([_xlsx_cell(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- blank templates --------------------------------------------------------------------------------------

def template_options(t: Translator) -> list[dict]:
    """Every load template in load order: ``name`` and ``title`` in the language."""
    return [{"name": template.name, "title": template_title(template.name, t)} for template in templates()]


def column_help(template: Template, key: str, t: Translator) -> str:
    """A column's description (``data.column.<template>.<key>``), else the template's own English help."""
    message_id = f"data.column.{template.name}.{key}"
    if t.has(message_id):
        return t(message_id)
    return next((c.help for c in template.columns if c.key == key), "")


def blank_template(template: Template | str, lang: str, fmt: str) -> bytes:
    """A blank copy of ``template``: the header in ``lang`` and the template's example rows.

    CSV: UTF-8 with a byte-order mark and ``;`` between cells (what Excel opens as columns in kk/ru
    locales; the loader reads both). XLSX: the sheet named after the template, then a sheet describing
    each column (header in every language, required, what it holds). Raises KeyError for an unknown
    template, ValueError for another format."""
    chosen = template_named(template) if isinstance(template, str) else template
    t = translator(lang)
    header = [column.header(t.lang) for column in chosen.columns]
    examples = [list(row) + [None] * (len(header) - len(row)) for row in chosen.example]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        for row in [header, *examples]:
            writer.writerow(["" if cell is None else api.neutralise_cell(str(cell)) for cell in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        described = [[t("data.templates.help.column"), t("data.templates.help.headers"),
                      t("data.templates.help.required"), t("data.templates.help.description")]]
        for column in chosen.columns:
            described.append([column.header(t.lang), " / ".join(column.headers),
                              t("data.templates.help.yes") if column.required else t("data.templates.help.no"),
                              column_help(chosen, column.key, t)])
        return xlsx_bytes([(chosen.name, [header, *examples]), (t("data.templates.help.sheet"), described)])
    raise ValueError(f"format must be one of {', '.join(DOWNLOAD_FORMATS)}, not {fmt!r}")


def blank_template_download(name: str, lang: str, fmt: str) -> Download:
    """:func:`blank_template` as a file named ``<template>-<lang>.<fmt>``; KeyError for an unknown template."""
    template = template_named(name)
    t = translator(lang)
    mimetype = CSV_TYPE if fmt == "csv" else XLSX_TYPE
    return Download(f"{template.name}-{t.lang}.{fmt}", blank_template(template, t.lang, fmt), mimetype)


# --- downloads --------------------------------------------------------------------------------------------

def indicator_download(ctx: Context, code: str, fmt: str, *, region: str | None = None) -> Download:
    """An indicator's current values (as known at ``ctx.as_of``; ``public``: published) for ``region``
    (absent: national; a code; ``ALL``: every region and the nation) in the observations template's
    columns: CSV by :func:`services.api.to_csv`, or XLSX (sheet ``observations``), both formula-safe and
    loading back with ``natije load``. Raises ``api.NotFound`` / ``api.BadRequest``."""
    if fmt not in DOWNLOAD_FORMATS:
        raise api.BadRequest(f"format must be one of {', '.join(DOWNLOAD_FORMATS)}, not {fmt!r}")
    frame = api.observations(ctx, code, region=region)
    wanted = normalise_code(region) if region and region.strip() else None
    suffix = f"-{re.sub(r'[^A-Z0-9_-]', '', wanted)}" if wanted else ""
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", normalise_code(code)) + suffix
    columns = list(api.OBSERVATION_COLUMNS)
    if fmt == "csv":
        return Download(f"{stem}.csv", api.to_csv(frame, columns).encode("utf-8"), CSV_TYPE)
    rows = [columns, *frame[columns].itertuples(index=False, name=None)]
    return Download(f"{stem}.xlsx", xlsx_bytes([("observations", rows)]), XLSX_TYPE)


def kept_file(ctx: Context, sha256: Any) -> Download | None:
    """The bytes of a loaded file kept by its SHA-256, named as it was uploaded, when ``ctx.viewer`` may
    see a batch of it (roles that upload; a region-scoped viewer: batches of its region); else None."""
    digest = str(sha256 or "").strip().lower()
    if not SHA256_PATTERN.fullmatch(digest) or not ctx.viewer.sees_uploads:
        return None
    batch = queries.load_batch(ctx.engine, ctx.viewer, sha256=digest)
    if batch is None:
        return None
    content = stored_file(ctx.engine, digest, ctx.settings.files_dir)
    if content is None:
        return None
    return Download(safe_file_name(batch.get("file_name") or digest), content, "application/octet-stream")


__all__ = ["CATALOGUE_ROW_COLUMNS", "DataPage", "Download", "History", "UploadNotAllowed", "batch_record",
           "batch_report", "blank_template", "blank_template_download", "build_data_page", "catalogue", "history",
           "indicator_download", "kept_file", "refused_record", "safe_file_name", "template_options",
           "template_title", "upload", "upload_actor", "xlsx_bytes"]
