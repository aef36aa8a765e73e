"""Fixtures of the notebook tests: ``render`` gives each report's single rendering of the run."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from report_renders import SharedRenders, jobs_of
from sna.reports.run import RunResult

NEEDED = pytest.StashKey[set]()


@pytest.hookimpl(trylast=True)  # after -k / -m deselection
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    config.stash[NEEDED] = jobs_of(items)


@pytest.fixture(scope="session")
def render(tmp_path_factory, request) -> Callable[[Path], RunResult]:
    """``render(params_file) -> RunResult``: each report rendered once per test run.

    For quick iterations on the checks only, ``SNA_TEST_RENDER_DIR=/some/folder`` keeps the
    renderings there across runs (delete the folder after changing notebooks or the library).
    """
    if os.environ.get("SNA_TEST_RENDER_DIR"):
        folder = Path(os.environ["SNA_TEST_RENDER_DIR"]).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        return SharedRenders(folder, request.config.stash.get(NEEDED, None))
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this run only
    folder = base / "sna-rendered-reports"
    folder.mkdir(exist_ok=True)
    return SharedRenders(folder, request.config.stash.get(NEEDED, None))
