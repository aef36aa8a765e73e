"""Report machinery: params checking, papermill runs, offline HTML and provenance.

Notebooks import only the light :mod:`sna.reports.display`; the runner's names below are
imported on first use, so ``from sna.reports import display`` does not load papermill or
nbconvert into the kernel.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "load_params": "sna.reports.params",
    "run_report": "sna.reports.run",
    "run_all": "sna.reports.run",
    "ReportFailed": "sna.reports.run",
    "RunResult": "sna.reports.run",
    "RunAllSummary": "sna.reports.run",
    "render_html": "sna.reports.html",
    "find_remote_resources": "sna.reports.html",
    "check_executed_notebook": "sna.reports.notebook_checks",
    "build_provenance": "sna.reports.provenance",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'sna.reports' has no attribute {name!r}")
