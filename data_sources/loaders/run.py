"""Loading files: read, pick each sheet's template, check every row, write the good ones, all in one
transaction per file, and keep the batch (who, when, the file's name and SHA-256, the counts, the
report, its ledger entry) and the file's bytes (docs/import.md).

Counts add up for every file: ``rows_read = loaded + unchanged + corrected + quarantined``.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from sqlalchemy import Connection, Engine, func, select

from data_sources.ledger import ledger_writer
from data_sources.loaders.cells import blank, fold
from data_sources.loaders.files import Refused, Sheet, file_sha256, read_sheets
from data_sources.loaders.geography import ensure_regions
from data_sources.loaders.template import Counts, Problem, Reference, Template, WriteContext, check_rows, recognise
from data_sources.store import LoadBatch, StoredFile
from data_sources.writes import close_batch, open_batch

#: Default size limit when the caller passes none (the setting NATIJE_MAX_UPLOAD_MB overrides it).
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
#: Problems kept with a batch in the store (the full list is in the command's report).
KEPT_PROBLEMS = 1000
WARNING_CODES = ("file_no_rows",)

#: ``progress(phase, done, total)``: phase ``check`` (rows checked) or ``write`` (records written).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class FileReport:
    """What became of one file. ``rows_read = loaded + unchanged + corrected + quarantined``."""

    file: str
    sha256: str | None
    dry_run: bool
    templates: tuple[str, ...] = ()
    rows_read: int = 0
    loaded: int = 0
    unchanged: int = 0
    corrected: int = 0
    quarantined: int = 0
    refused: Problem | None = None
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    batch: str | None = None

    @property
    def status(self) -> str:
        """``refused`` (nothing loaded), ``partial`` (some rows quarantined) or ``loaded``."""
        if self.refused is not None:
            return "refused"
        return "partial" if self.quarantined else "loaded"


def templates() -> tuple[Template, ...]:
    """Every load template, in the order a workbook's sheets are loaded (what others refer to first)."""
    from data_sources.loaders import TEMPLATE_MODULES

    return tuple(module.TEMPLATE for module in TEMPLATE_MODULES())


def template_named(name: str) -> Template:
    """The template called ``name`` (any case); KeyError when there is none."""
    for template in templates():
        if template.name == name.strip().casefold():
            return template
    raise KeyError(name)


def known_headers() -> frozenset[str]:
    """Header keys of every template's columns, in every language."""
    return frozenset(k for t in templates() for k in t.header_lookup)


def _sheet_template(sheet: Sheet, catalogue: Sequence[Template]) -> Template | None:
    title = fold(sheet.name or "")
    return next((t for t in catalogue if title == t.name or title in map(fold, t.sheet_names)), None)


def plan_sheets(sheets: Sequence[Sheet], template: Template | None = None) -> list[tuple[Sheet, Template]]:
    """Which sheet is loaded with which template, in load order (docs/import.md, "XLSX workbooks").

    Sheets named after a template are loaded with it (only the named template's sheet when one is
    given); otherwise the first sheet, with the given template or the one its header is recognised as."""
    catalogue = templates()
    named = [(s, t) for s in sheets if (t := _sheet_template(s, catalogue)) is not None
             and (template is None or t is template)]
    if not named:
        first = sheets[0]
        header = _header(first)
        if header is None:
            raise Refused("file_empty")
        named = [(first, template or recognise(header, catalogue))]
    named = [(s, t) for s, t in named if _header(s) is not None]
    if not named:
        raise Refused("file_empty")
    order = {t.name: i for i, t in enumerate(catalogue)}
    return sorted(named, key=lambda st: order[st[1].name])


def _header(sheet: Sheet) -> list[Any] | None:
    """The header: the first row with a non-empty cell (None when the sheet has none)."""
    return next((row for row in sheet.rows if not all(blank(c) for c in row)), None)


def keep_file(conn: Connection, digest: str, data: bytes, files_dir: Path | None, now: dt.datetime) -> None:
    """Keep a loaded file's bytes once, by their SHA-256: in ``files_dir`` when configured (written
    atomically; several hosts may share it), else in the store."""
    if conn.execute(select(StoredFile.sha256).where(StoredFile.sha256 == digest)).first() is not None:
        return
    if files_dir is not None:
        target = files_dir / digest[:2] / digest
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(handle.name, target)
    conn.execute(StoredFile.__table__.insert().values(
        sha256=digest, size=len(data), content=None if files_dir is not None else data, stored_at=now))


def stored_file(engine: Engine, digest: str, files_dir: Path | None) -> bytes | None:
    """The bytes of a kept file, or None when it is not kept."""
    with engine.connect() as conn:
        row = conn.execute(select(StoredFile.content).where(StoredFile.sha256 == digest)).first()
    if row is None:
        return None
    if row.content is not None:
        return row.content
    path = (files_dir / digest[:2] / digest) if files_dir else None
    return path.read_bytes() if path and path.exists() else None


def _batch_code(conn: Connection, prefix: str, digest: str) -> str:
    """``<prefix>-<first 16 hex of the SHA-256>-<n>``: the n-th load of these bytes."""
    count = conn.execute(select(func.count()).select_from(LoadBatch).where(LoadBatch.file_sha256 == digest)).scalar_one()
    return f"{prefix}-{digest[:16]}-{count + 1}"


def _problem_record(p: Problem) -> dict[str, Any]:
    return {"sheet": p.sheet, "row": p.row, "column": p.column, "value": p.value, "code": p.code,
            "params": dict(p.params)}


def load_sheets(engine: Engine, sheets: Sequence[Sheet], *, name: str, digest: str, data: bytes | None,
                actor: str, dry_run: bool = False, template: Template | None = None,
                scope_region: str | None = None, files_dir: Path | None = None, source: str | None = None,
                batch_prefix: str = "FILE", now: dt.datetime | None = None,
                progress: Progress | None = None,
                after_write: Callable[[Connection], None] | None = None) -> FileReport:
    """Check and load already-read sheets in one transaction (the file loader and ``natije sync``).

    ``after_write(conn)`` runs last inside the load's transaction (``natije sync`` keeps its cursor
    there), so it is committed with the load and rolled back with a dry run."""
    now = now or dt.datetime.now(dt.timezone.utc)
    report_progress: Progress = progress or (lambda phase, done, total: None)
    try:
        plan = plan_sheets(sheets, template)
    except Refused as exc:
        return FileReport(file=name, sha256=digest, dry_run=dry_run, refused=Problem(None, None, None, exc.code, exc.params))
    total_rows = sum(max(0, len(s.rows) - 1) for s, _ in plan)
    source = source or f"file {Path(name).name} sha256 {digest}"
    names = tuple(t.name for _, t in plan)
    with engine.connect() as conn:
        conn.info["write"] = True  # SQLite: BEGIN IMMEDIATE, like store.writing
        try:
            transaction = conn.begin()
            try:
                ledger = ledger_writer(conn, actor)
                ensure_regions(conn, today=now.date())  # a store filled from files alone
                batch_code = _batch_code(conn, batch_prefix, digest)
                batch_id = open_batch(conn, batch_code=batch_code, source=source, actor=actor, known_at=now,
                                      file_name=Path(name).name, file_sha256=digest, templates=",".join(names))
                totals, problems, rows_read, quarantined, checked, written = Counts(), [], 0, 0, 0, 0
                for sheet, sheet_template in plan:
                    reference = Reference(conn, scope_region=scope_region)
                    base = checked
                    records, sheet_problems, read, bad, duplicates = check_rows(
                        sheet_template, sheet.rows, reference, sheet=sheet.name,
                        progress=lambda n, base=base: report_progress("check", base + n, total_rows))
                    checked += read
                    base_written = written
                    ctx = WriteContext(conn=conn, ledger=ledger, actor=actor, now=now, batch_id=batch_id,
                                       batch_code=batch_code, source=source,
                                       progress=lambda n, b=base_written, size=len(records): report_progress("write", b + n, b + size))
                    counts = sheet_template.write(ctx, records)
                    written += len(records)
                    report_progress("write", written, written)
                    totals = totals + counts + Counts(unchanged=duplicates)
                    problems += sheet_problems
                    rows_read += read
                    quarantined += bad
                warnings = ("file_no_rows",) if rows_read == 0 else ()
                result = close_batch(
                    conn, ledger, batch_id=batch_id, batch_code=batch_code, source=source, actor=actor,
                    rows_read=rows_read, loaded=totals.loaded, unchanged=totals.unchanged,
                    corrected=totals.corrected, quarantined=quarantined,
                    extra={"file": Path(name).name, "sha256": digest, "templates": list(names)},
                    report={"problems": [_problem_record(p) for p in problems[:KEPT_PROBLEMS]],
                            "problems_total": len(problems), "warnings": list(warnings)})
                if not dry_run and data is not None:
                    keep_file(conn, digest, data, files_dir, now)
                if after_write is not None:
                    after_write(conn)
            except Refused as exc:
                transaction.rollback()
                return FileReport(file=name, sha256=digest, dry_run=dry_run, templates=names,
                                  refused=Problem(None, None, None, exc.code, exc.params))
            except BaseException:
                transaction.rollback()
                raise
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
        finally:
            conn.info.pop("write", None)
    return FileReport(
        file=name, sha256=digest, dry_run=dry_run, templates=names, rows_read=result.rows_read,
        loaded=result.loaded, unchanged=result.unchanged, corrected=result.corrected,
        quarantined=result.quarantined, problems=tuple(problems), warnings=warnings,
        batch=None if dry_run else batch_code,
    )


def load_file(engine: Engine, path: str | Path, *, actor: str, dry_run: bool = False,
              template: str | Template | None = None, scope_region: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES, files_dir: Path | None = None, name: str | None = None,
              now: dt.datetime | None = None, progress: Progress | None = None) -> FileReport:
    """Read, check and load one CSV or XLSX file in one transaction (docs/import.md).

    ``template``: the template to use (else recognised by the sheet names, then by the columns).
    ``scope_region``: a region-scoped viewer's region; rows of other regions are quarantined.
    ``dry_run`` does everything but commit: the counts are what a real load would report, and no row,
    batch, ledger entry or file is kept. ``name``: the file's name as the user knows it (uploads)."""
    path = Path(path)
    shown = name or str(path)
    chosen = template_named(template) if isinstance(template, str) else template
    try:
        digest, data, sheets = read_sheets(path, max_bytes=max_bytes, known_headers=known_headers())
    except Refused as exc:
        digest = file_sha256(path) if exc.code != "file_too_large" else None
        return FileReport(file=shown, sha256=digest, dry_run=dry_run,
                          refused=Problem(None, None, None, exc.code, exc.params))
    return load_sheets(engine, sheets, name=shown, digest=digest, data=data, actor=actor, dry_run=dry_run,
                       template=chosen, scope_region=scope_region, files_dir=files_dir, now=now, progress=progress)


def load_files(engine: Engine, paths: Iterable[str | Path], **options: Any) -> list[FileReport]:
    """:func:`load_file` for each path, in order (each file its own transaction)."""
    return [load_file(engine, p, **options) for p in paths]


__all__ = ["FileReport", "Progress", "known_headers", "load_file", "load_files", "load_sheets", "plan_sheets",
           "stored_file", "template_named", "templates"]
