"""Report objects and machinery: params checking, papermill runs, offline HTML and provenance.

A report notebook makes one report object (:class:`HateReview`, :class:`SvdAssessment`,
:class:`PerformanceReport`, from :mod:`sna.reports.objects`) from its parameters and calls one
method per section. Every name below is imported on first use, so ``from sna.reports import
HateReview`` does not load papermill or nbconvert into the kernel.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "HateReview": "sna.reports.objects",
    "SvdAssessment": "sna.reports.objects",
    "PerformanceReport": "sna.reports.objects",
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
