"""Loaders: files of the load templates (``natije load``, the /data upload) and SQL sources
(``natije sync``). See docs/import.md."""

from __future__ import annotations

import importlib
from types import ModuleType

#: Template modules in load order: what other templates refer to comes first.
TEMPLATE_ORDER = (
    "agencies",
    "officials",
    "indicators",
    "nodes",
    "targets",
    "responsibilities",
    "commentary",
    "milestones",
    "budget_lines",
    "instructions",
    "citizen_requests",
    "observations",
)


def TEMPLATE_MODULES() -> tuple[ModuleType, ...]:  # noqa: N802 - a registry, read on use, not at import
    """The template modules (``data_sources.loaders.<name>``) in :data:`TEMPLATE_ORDER`."""
    return tuple(importlib.import_module(f"data_sources.loaders.{name}") for name in TEMPLATE_ORDER)
