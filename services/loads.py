"""Load reports in the user's language: the records ``natije load --json`` prints (and the /data upload
will show). The data layer reports codes and parameters; the messages come from the catalogs
(``load.problem.<code>``)."""

from __future__ import annotations

from typing import Any

from data_sources.loaders.run import FileReport
from data_sources.loaders.sync import SyncReport
from data_sources.loaders.template import Problem
from services.i18n import Translator


def problem_message(problem: Problem, t: Translator) -> str:
    """The catalog message of a problem's code, filled with its parameters."""
    return t(f"load.problem.{problem.code}", **dict(problem.params))


def file_record(report: FileReport, t: Translator) -> dict[str, Any]:
    """One file of the ``--json`` report (docs/import.md, "Report")."""
    return {
        "file": report.file,
        "sha256": report.sha256,
        "templates": list(report.templates),
        "status": report.status,
        "dry_run": report.dry_run,
        "batch": report.batch,
        "rows": {"read": report.rows_read, "loaded": report.loaded, "unchanged": report.unchanged,
                 "corrected": report.corrected, "quarantined": report.quarantined},
        "refused": None if report.refused is None else {
            "code": report.refused.code, "message": problem_message(report.refused, t)},
        "warnings": [{"code": code, "message": t(f"load.problem.{code}")} for code in report.warnings],
        "problems": [{"sheet": p.sheet, "row": p.row, "column": p.column, "value": p.value, "code": p.code,
                      "message": problem_message(p, t)} for p in report.problems],
    }


class ProgressReporter:
    """``progress(phase, done, total)`` for :func:`data_sources.loaders.run.load_file`, shown on stderr:
    a bar redrawn in place on a terminal, else one line per step (at most two a second, and the last
    of each phase), e.g. ``file.csv: rows written 15,000 / 200,000``."""

    def __init__(self, file: str, t: Translator, *, interactive: bool, stream: Any = None,
                 clock: Any = None) -> None:
        import sys
        import time

        self.file, self.t, self.interactive = str(file), t, interactive
        self.stream = stream or sys.stderr
        self.clock = clock or time.monotonic
        self._last = (None, -1.0)

    def __call__(self, phase: str, done: int, total: int) -> None:
        last_phase, last_time = self._last
        now = self.clock()
        if phase == last_phase and done < total and now - last_time < 0.5:
            return
        self._last = (phase, now)
        label = self.t(f"load.progress.{phase}")
        counts = f"{self.t.number(done, 0)} / {self.t.number(total, 0)}"
        if self.interactive:
            width = 30
            filled = int(width * done / total) if total else width
            self.stream.write(f"\r{self.file}: {label} [{'#' * filled}{'.' * (width - filled)}] {counts}\033[K")
        else:
            self.stream.write(f"{self.file}: {label} {counts}\n")
        self.stream.flush()

    def finish(self) -> None:
        """End the bar's line (a terminal) so the report starts on a fresh one."""
        if self.interactive and self._last[0] is not None:
            self.stream.write("\n")
            self.stream.flush()


def source_record(report: SyncReport, t: Translator) -> dict[str, Any]:
    """One source of ``natije sync --json`` (docs/import.md, "SQL sources"): the fields of
    :func:`file_record` with ``source`` (its name) instead of ``file``, and its ``cursor``."""
    record = file_record(report.load, t)
    del record["file"]
    cursor = None if report.incremental is None else {
        "column": report.incremental.column, "kind": report.incremental.kind,
        "before": report.cursor_before, "after": report.cursor_after}
    return {"source": report.load.file, **record, "cursor": cursor}


def report_lines(record: dict[str, Any], t: Translator, *, name: str,
                 refused_message: str = "load.refused_line") -> list[str]:
    """The text report of one file or source record (:func:`file_record`, :func:`source_record`): a line
    of counts (or the refusal, with the catalog message ``refused_message``), then its warnings and each
    quarantined row's problem."""
    if record["refused"]:
        return [t(refused_message, file=name, source=name, message=record["refused"]["message"])]
    rows = record["rows"]
    lines = [t("load.summary", file=name, read=rows["read"], loaded=rows["loaded"], unchanged=rows["unchanged"],
               corrected=rows["corrected"], quarantined=rows["quarantined"])]
    lines += [f"  {warning['message']}" for warning in record["warnings"]]
    for p in record["problems"]:
        where = f"[{p['sheet']}] " if p["sheet"] else ""
        lines.append("  " + where + t("load.problem_line", row=p["row"], column=p["column"] or "–",
                                      value=p["value"] if p["value"] is not None else "", message=p["message"]))
    return lines
