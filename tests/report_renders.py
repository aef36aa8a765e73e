"""Render each report once per test run, shared by every notebook test and every xdist worker.

Used by the ``render`` fixture of tests/notebooks/conftest.py.

The reports to test are discovered from ``params/*.yaml`` and ``params/examples/*.yaml`` (each
params file is run with the notebook whose stem prefixes its name, as ``sna report --all``
does), so a new notebook or params file is tested without editing this file. A rendering is a
*job*: a params file and a copy name (``"first"``, or ``"second"`` for the reproducibility
test's independent second rendering).

Rendering is done by the session fixture :func:`render`. Under pytest-xdist every worker is a
separate process, so the rendered reports live in a folder shared by the workers of this run
(``tmp_path_factory.getbasetemp().parent`` on a worker) and each report is guarded by a file
lock: the first worker to need a report renders it and writes a small JSON record; the others
read the record. A worker that finds a report being rendered by another renders a job nobody
has started yet instead of waiting (slowest first), so on two workers the renderings share the
two cores whichever tests each worker was given. This does not rely on ``xdist_group`` (which pytest 9 with ``--dist loadgroup``
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
# The rendering the reproducibility test compares with a second, independent one.
REPRODUCED = "svd_sna"


def report_params() -> list[Path]:
    """Every params file in ``params/``, in name order (one report run each)."""
    folder = ROOT / "params"
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def example_params() -> list[Path]:
    """Every params file in ``params/examples/`` (the reports of other areas), in name order."""
    folder = ROOT / "params" / "examples"
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def report_notebook(params_file: Path) -> Path:
    """The notebook that ``params_file`` runs with."""
    return match_notebook(params_file, sorted((ROOT / "notebooks").glob("*.ipynb")))


def reproduced_params() -> Path:
    """The params file whose report the reproducibility test renders twice."""
    return next(p for p in report_params() if report_notebook(p).stem == REPRODUCED)


def render_jobs() -> list[tuple[Path, str]]:
    """Every rendering a full test run needs, SVD reports first (they take longest)."""
    jobs = [(p, "first") for p in [*report_params(), *example_params()]]
    jobs.append((reproduced_params(), "second"))
    return sorted(jobs, key=lambda job: report_notebook(job[0]).stem != REPRODUCED)


def jobs_of(items: list[pytest.Item]) -> set[tuple[Path, str]]:
    """The renderings the selected tests ``items`` use (so a worker renders nothing unused).

    A test using the ``render`` fixture needs the params file it is parametrised with, the
    jobs its ``renders`` mark names, or else (it loops over the reports itself) every report
    in ``params/``.
    """
    needed: set[tuple[Path, str]] = set()
    for item in items:
        if "render" not in getattr(item, "fixturenames", ()):
            continue
        mark = item.get_closest_marker("renders")
        params = getattr(getattr(item, "callspec", None), "params", {})
        files = [v for v in params.values() if isinstance(v, Path)]
        if mark is not None:
            needed.update(mark.args)
        elif files:
            needed.update((f, "first") for f in files)
        else:
            needed.update((p, "first") for p in report_params())
    return needed


def _load(record: Path) -> RunResult:
    data = json.loads(record.read_text(encoding="utf-8"))
    if "error" in data:
        pytest.fail(f"rendering {record.stem} failed (in another worker): {data['error']}")
    paths = {f.name for f in dataclasses.fields(RunResult) if f.type in ("Path", Path)}
    return RunResult(**{k: Path(v) if k in paths else v for k, v in data.items()})


class SharedRenders:
    """Render reports at most once per test run, across xdist workers (see module docstring)."""

    def __init__(self, folder: Path, needed: set[tuple[Path, str]] | None = None) -> None:
        self.folder = folder
        self.needed = needed  # the jobs the selected tests use; None: every job

    def _jobs(self) -> list[tuple[Path, str]]:
        return [job for job in render_jobs() if self.needed is None or job in self.needed]

    def _name(self, params_file: Path, copy: str) -> str:
        return params_file.stem if copy == "first" else f"{params_file.stem}.{copy}"

    def _record(self, params_file: Path, copy: str) -> Path:
        return self.folder / f"{self._name(params_file, copy)}.json"

    def _lock(self, params_file: Path, copy: str) -> FileLock:
        return FileLock(str(self.folder / f"{self._name(params_file, copy)}.lock"))

    def _render_locked(self, params_file: Path, copy: str) -> None:
        record = self._record(params_file, copy)
        if record.exists():
            return
        try:
            result = run_report(report_notebook(params_file), params_file,
                                reports_root=self.folder / self._name(params_file, copy),
                                run_id=copy, progress=False)
        except Exception as err:
            record.write_text(json.dumps({"error": str(err)}), encoding="utf-8")
            raise
        record.write_text(json.dumps(dataclasses.asdict(result), default=str), encoding="utf-8")

    def _render_another(self, busy: tuple[Path, str]) -> bool:
        for job in self._jobs():
            if job == busy or self._record(*job).exists():
                continue
            lock = self._lock(*job)
            try:
                lock.acquire(timeout=0)
            except Timeout:
                continue
            try:
                self._render_locked(*job)
            except Exception:  # noqa: BLE001 - recorded; the tests of that report fail
                pass
            finally:
                lock.release()
            return True
        return False

    def __call__(self, params_file: Path, copy: str = "first") -> RunResult:
        """Return the (single) rendering ``copy`` of ``params_file`` in this test run."""
        params_file = Path(params_file)
        record = self._record(params_file, copy)
        while not record.exists():
            lock = self._lock(params_file, copy)
            try:
                lock.acquire(timeout=0)
            except Timeout:
                if not self._render_another((params_file, copy)):
                    with lock:
                        pass
                continue
            try:
                self._render_locked(params_file, copy)
            finally:
                lock.release()
        return _load(record)
