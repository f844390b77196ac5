"""Load reports in the user's language: the records ``natije load --json`` prints (and the /data upload
will show). The data layer reports codes and parameters; the messages come from the catalogs
(``load.problem.<code>``)."""

from __future__ import annotations

from typing import Any

from data_sources.loaders.observations import FileReport, Problem
from services.i18n import Translator


def problem_message(problem: Problem, t: Translator) -> str:
    """The catalog message of a problem's code, filled with its parameters."""
    return t(f"load.problem.{problem.code}", **dict(problem.params))


def file_record(report: FileReport, t: Translator) -> dict[str, Any]:
    """One file of the ``--json`` report (docs/import.md, "Report")."""
    return {
        "file": report.file,
        "sha256": report.sha256,
        "template": report.template,
        "status": report.status,
        "dry_run": report.dry_run,
        "batch": report.batch,
        "rows": {"read": report.rows_read, "loaded": report.loaded, "unchanged": report.unchanged,
                 "corrected": report.corrected, "quarantined": report.quarantined},
        "refused": None if report.refused is None else {
            "code": report.refused.code, "message": problem_message(report.refused, t)},
        "warnings": [{"code": code, "message": t(f"load.problem.{code}")} for code in report.warnings],
        "problems": [{"row": p.row, "column": p.column, "value": p.value, "code": p.code,
                      "message": problem_message(p, t)} for p in report.problems],
    }
