"""Report machinery: params checking, papermill runs, offline HTML and provenance.

Notebooks import only the light :mod:`sna.report.display`; the runner's names below are
imported on first use, so ``from sna.report import display`` does not load papermill or
nbconvert into the kernel.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "load_params": "sna.report.params",
    "run_report": "sna.report.run",
    "run_all": "sna.report.run",
    "ReportFailed": "sna.report.run",
    "RunResult": "sna.report.run",
    "RunAllSummary": "sna.report.run",
    "render_html": "sna.report.html",
    "find_remote_resources": "sna.report.html",
    "check_executed_notebook": "sna.report.checks",
    "build_provenance": "sna.report.provenance",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'sna.report' has no attribute {name!r}")
