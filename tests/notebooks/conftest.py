"""Fixtures of the notebook tests: ``render`` gives each report's single rendering of the run."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from report_renders import SharedRenders

from sna.reports.run import RunResult


@pytest.fixture(scope="session")
def render(tmp_path_factory) -> Callable[[Path], RunResult]:
    """``render(params_file) -> RunResult``: each report rendered once per test run."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this run only
    folder = base / "sna-rendered-reports"
    folder.mkdir(exist_ok=True)
    return SharedRenders(folder)
