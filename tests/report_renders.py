"""Render each report once per test run, shared by every notebook test and every xdist worker.

Used by the ``render`` fixture of tests/notebooks/conftest.py.

The reports to test are discovered from ``params/*.yaml`` (each params file is run with the
notebook whose stem prefixes its name, as ``sna report --all`` does), so a new notebook or
params file is tested without editing this file.

Rendering is done by the session fixture :func:`render`. Under pytest-xdist every worker is a
separate process, so the rendered reports live in a folder shared by the workers of this run
(``tmp_path_factory.getbasetemp().parent`` on a worker) and each report is guarded by a file
lock: the first worker to need a report renders it and writes a small JSON record; the others
read the record. A worker that finds a report being rendered by another renders a report
nobody has started yet instead of waiting, so on two workers the two reports render in
parallel. This does not rely on ``xdist_group`` (which pytest 9 with ``--dist loadgroup``
does not honour), and works the same without xdist.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from sna.paths import repo_root
from sna.reports.run import RunResult, match_notebook, run_report

ROOT = repo_root()


def report_params() -> list[Path]:
    """Every params file in ``params/``, in name order (one report run each)."""
    folder = ROOT / "params"
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def report_notebook(params_file: Path) -> Path:
    """The notebook that ``params_file`` runs with."""
    return match_notebook(params_file, sorted((ROOT / "notebooks").glob("*.ipynb")))


def _load(record: Path) -> RunResult:
    data = json.loads(record.read_text(encoding="utf-8"))
    if "error" in data:
        pytest.fail(f"rendering {record.stem} failed (in another worker): {data['error']}")
    paths = {f.name for f in dataclasses.fields(RunResult) if f.type in ("Path", Path)}
    return RunResult(**{k: Path(v) if k in paths else v for k, v in data.items()})


class SharedRenders:
    """Render reports at most once per test run, across xdist workers (see module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _record(self, params_file: Path) -> Path:
        return self.folder / f"{params_file.stem}.json"

    def _lock(self, params_file: Path) -> FileLock:
        return FileLock(str(self.folder / f"{params_file.stem}.lock"))

    def _render_locked(self, params_file: Path) -> None:
        record = self._record(params_file)
        if record.exists():
            return
        try:
            result = run_report(report_notebook(params_file), params_file,
                                reports_root=self.folder / params_file.stem, run_id="first",
                                progress=False)
        except Exception as err:
            record.write_text(json.dumps({"error": str(err)}), encoding="utf-8")
            raise
        record.write_text(json.dumps(dataclasses.asdict(result), default=str), encoding="utf-8")

    def _render_another(self, busy: Path) -> bool:
        for other in report_params():
            if other == busy or self._record(other).exists():
                continue
            lock = self._lock(other)
            try:
                lock.acquire(timeout=0)
            except Timeout:
                continue
            try:
                self._render_locked(other)
            except Exception:  # noqa: BLE001 - recorded; the tests of that report fail
                pass
            finally:
                lock.release()
            return True
        return False

    def __call__(self, params_file: Path) -> RunResult:
        """Return the (single) rendering of ``params_file`` in this test run."""
        params_file = Path(params_file)
        record = self._record(params_file)
        while not record.exists():
            lock = self._lock(params_file)
            try:
                lock.acquire(timeout=0)
            except Timeout:
                if not self._render_another(params_file):
                    with lock:
                        pass
                continue
            try:
                self._render_locked(params_file)
            finally:
                lock.release()
        return _load(record)
