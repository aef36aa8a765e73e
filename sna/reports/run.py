"""Run a report notebook with papermill and promote its outputs only on success.

A run of ``notebooks/<report>.ipynb`` with ``params/<report>_<area>_<period>.yaml`` is
built in ``reports/<report>/.tmp-<run-id>/`` and, when every step succeeded, renamed to
``reports/<report>/<run-id>/`` holding ``report.html``, ``executed.ipynb``,
``params.yaml`` and ``provenance.json``. Then ``reports/<report>/latest.html`` (a copy
of the page) and ``reports/<report>/latest`` (a text file naming the run id) are replaced;
both are plain files, so this works on Windows too.

A failed run changes none of that: its folder moves to ``reports/<report>/failed/<run-id>/``
(with papermill's partial notebook) and :class:`ReportFailed` is raised with a one-line
message naming the cell.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat

from sna.errors import SnaInputError
from sna.paths import repo_root, reports_dir
from sna.reports.html import find_remote_resources, render_html
from sna.reports.notebook_checks import (
    check_executed_notebook,
    geometry_problems,
    source_cell_number,
)
from sna.reports.params import NOT_LITERAL, load_params, notebook_metadata, notebook_parameters
from sna.reports.provenance import build_provenance, collect_data_files

__all__ = [
    "ReportFailed",
    "ReportInterrupted",
    "RunAllSummary",
    "RunResult",
    "execution_failure",
    "match_notebook",
    "new_run_id",
    "notebook_title",
    "retire_dead_builds",
    "run_all",
    "run_report",
    "section_headings",
    "update_latest",
]
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_FRAME = re.compile(r"File\s+\"?([^\s\",]+?\.py)\"?(?::\d+|, line \d+),\s+in\s+([\w<>.]+)")
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_RESERVED_NAMES = {"failed", "latest", "latest.html"}
# Seconds to wait for a cell's last outputs after it finished (nbclient's default is 4 s).
# Figure outputs carry a Vega-Lite spec and a PNG each; on a busy machine their messages can
# arrive later than 4 s, which papermill turns into a failed run.
IOPUB_TIMEOUT = 60


class ReportFailed(Exception):
    """A report run failed; the message is one line naming the cell and the partial notebook.

    Attributes
    ----------
    cell : int or None
        1-based number of the failing cell in the source notebook, if known.
    partial_notebook : Path or None
        The kept partial notebook under ``reports/<report>/failed/<run-id>/``.
    """

    def __init__(self, message: str, *, cell: int | None = None,
                 partial_notebook: Path | None = None) -> None:
        super().__init__(" ".join(message.split()))
        self.cell = cell
        self.partial_notebook = partial_notebook


class ReportInterrupted(ReportFailed, KeyboardInterrupt):
    """The run was stopped by SIGTERM or SIGINT; its folder was kept under ``failed/``.

    A :class:`ReportFailed` (one line, for the command line) that is also a
    ``KeyboardInterrupt``, so code stopping on Ctrl-C still stops. ``exit_code`` is the
    shell's convention for the signal (128 + its number).
    """

    def __init__(self, message: str, *, signum: int, partial_notebook: Path | None = None
                 ) -> None:
        super().__init__(message, partial_notebook=partial_notebook)
        self.signum = signum
        self.exit_code = 128 + signum


class _Stopped(KeyboardInterrupt):
    """Raised inside a run by the signal handler.

    A ``KeyboardInterrupt``, not only a ``BaseException``: asyncio re-raises
    ``KeyboardInterrupt`` out of the event loop when a signal lands inside one of its tasks,
    where any other exception would be kept in the task (nbclient runs the notebook in an
    asyncio loop, so a plain ``BaseException`` could leave the run going after SIGTERM).
    """


@contextmanager
def _signals_stop_the_run():
    """Turn SIGTERM and SIGINT into :class:`_Stopped` while a run is being built.

    Only in the main thread (Python delivers signals there); elsewhere nothing changes.
    Yields a list that receives each signal's number: when the signal lands inside an
    asyncio task, nbclient may report the stop as another error (e.g. ``DeadKernelError``
    once it has shut the kernel down), so the caller checks the list, not the exception.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def stop(signum, frame):
        received.append(signum)
        raise _Stopped(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield received
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@dataclass(frozen=True)
class RunResult:
    """Where a successful run put its outputs."""

    report: str
    run_id: str
    run_dir: Path
    html: Path
    executed_notebook: Path
    params_file: Path
    provenance: Path
    synthetic: bool
    seconds: float


@dataclass(kw_only=True)
class RunAllSummary:
    """Outcome of :func:`run_all`.

    ``succeeded`` holds the runs that succeeded, ``failed`` a ``(params file, error)`` pair
    for each run that failed (``str(error)`` is the one-line message).
    """

    succeeded: list[RunResult] = field(default_factory=list)
    failed: list[tuple[Path, ReportFailed | SnaInputError]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no report failed."""
        return not self.failed

    @property
    def exit_code(self) -> int:
        """0 when every report succeeded, else 1 (for the command line)."""
        return 0 if self.ok else 1


def _shown(path: Path) -> str:
    path = Path(path).resolve()
    for base in (Path.cwd().resolve(), repo_root()):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.as_posix()


def notebook_title(notebook: str | Path) -> str:
    """Return a notebook's title: ``metadata.title``, else its first ``# `` heading, else its stem.

    Parameters
    ----------
    notebook : str or Path
        The report notebook.

    Returns
    -------
    str

    Examples
    --------
    >>> notebook_title(repo_root() / "tests/fixtures/report/tiny.ipynb")
    'Tiny fixture report'
    """
    nb = nbformat.read(Path(notebook), as_version=4)
    if nb.metadata.get("title"):
        return str(nb.metadata["title"])
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return Path(notebook).stem


def new_run_id(report_dir: Path, now: datetime) -> str:
    """Return a sortable UTC run id (``YYYYMMDDTHHMMSSZ``) not yet used in ``report_dir``.

    Parameters
    ----------
    report_dir : Path
        The report's folder under ``reports/`` (one sub-folder per run).
    now : datetime
        The run's start (UTC).

    Returns
    -------
    str

    Examples
    --------
    >>> import tempfile
    >>> new_run_id(Path(tempfile.mkdtemp()), datetime(2025, 4, 1, 9, 30, tzinfo=UTC))
    '20250401T093000Z'
    """
    base = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    run_id, n = base, 1
    while any(p.exists() for p in _run_paths(report_dir, run_id)):
        n += 1
        run_id = f"{base}-{n}"
    return run_id


def _run_paths(report_dir: Path, run_id: str) -> tuple[Path, Path, Path]:
    return (report_dir / run_id, report_dir / f".tmp-{run_id}", report_dir / "failed" / run_id)


def _replace_file(target: Path, write) -> None:
    partial = target.with_name(f".{target.name}.partial")
    write(partial)
    os.replace(partial, target)


def update_latest(report_dir: Path, run_id: str) -> None:
    """Point ``report_dir/latest`` at ``run_id`` and copy its page to ``latest.html``.

    Both files are replaced atomically (write beside, then ``os.replace``).

    Parameters
    ----------
    report_dir : Path
        The report's folder under ``reports/`` (one sub-folder per run).
    run_id : str
        The run that succeeded.
    """
    source = report_dir / run_id / "report.html"
    _replace_file(report_dir / "latest.html", lambda p: shutil.copyfile(source, p))
    _replace_file(report_dir / "latest",
                  lambda p: p.write_text(run_id + "\n", encoding="utf-8", newline="\n"))


def _failing_function(traceback: list[str]) -> str | None:
    package = Path(__file__).resolve().parents[1]
    for line in traceback:
        for path, function in _FRAME.findall(_ANSI.sub("", line)):
            resolved = Path(path).resolve()
            if resolved.is_relative_to(package):
                module = ".".join(resolved.relative_to(package.parent).with_suffix("").parts)
                return f"{module}.{function}"
    return None


def _error_cell(executed: Path) -> int | None:
    try:
        nb = nbformat.read(executed, as_version=4)
    except (OSError, ValueError):
        return None
    for index, cell in enumerate(nb.cells):
        if any(out.get("output_type") == "error" for out in cell.get("outputs", [])):
            return source_cell_number(nb, index)
    return None


def execution_failure(err: Any, partial: Path) -> ReportFailed:
    """Turn a papermill ``PapermillExecutionError`` into a one-line :class:`ReportFailed`.

    Parameters
    ----------
    err : PapermillExecutionError
        The error papermill raised.
    partial : Path
        The partial executed notebook, kept for inspection.

    Returns
    -------
    ReportFailed
    """
    cell = _error_cell(partial)
    function = _failing_function(err.traceback or [])
    where = f"cell {cell}" if cell is not None else f"cell {err.cell_index + 1}"
    if function is None:
        source = [line.strip() for line in (err.source or "").splitlines()
                  if line.strip() and not line.strip().startswith("#")]
        function = source[0][:60] if source else None
    detail = f" ({function})" if function else ""
    evalue = " ".join(str(err.evalue).split())
    return ReportFailed(f"Report failed in {where}{detail}: {err.ename}: {evalue}; "
                        f"partial notebook: {_shown(partial)}", cell=cell, partial_notebook=partial)


def section_headings(cells: list[Any]) -> list[str]:
    """Return, for each cell, the text of the last markdown heading at or before it.

    Parameters
    ----------
    cells : list
        The notebook's cells.

    Returns
    -------
    list of str
        One heading per cell (empty before the first heading).

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell
    >>> section_headings([new_code_cell("x = 1"), new_markdown_cell("## Where"),
    ...                   new_code_cell("where()")])
    ['', 'Where', 'Where']
    """
    current, out = "", []
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for line in str(cell.get("source", "")).splitlines():
                if line.startswith("#"):
                    current = line.lstrip("#").strip()
                    break
        out.append(current)
    return out


def _section_engine(report: str) -> str:
    """Register (once) and name a papermill engine whose progress bar names the section."""
    from papermill.engines import NBClientEngine, papermill_engines

    class SectionProgressEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            by_cell = {id(cell): heading
                       for cell, heading in zip(nb_man.nb.cells, section_headings(nb_man.nb.cells),
                                                strict=True)}

            def describe(cell, escape_str=None):
                return f"{report} | {by_cell.get(id(cell)) or 'set-up'}"[:70]

            nb_man.get_cell_description = describe
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    name = f"sna-sections-{report}"
    papermill_engines.register(name, SectionProgressEngine)
    return name


def _execute(notebook: Path, output: Path, parameters: dict[str, Any], *,
             execution_timeout: int, start_timeout: int, progress: bool) -> None:
    import papermill

    engine = {"engine_name": _section_engine(notebook.stem)} if progress else {}
    papermill.execute_notebook(
        str(notebook), str(output), parameters=parameters, kernel_name="python3",
        cwd=str(repo_root()), progress_bar=progress, log_output=False,
        execution_timeout=execution_timeout, start_timeout=start_timeout, **_kernel_options(),
        iopub_timeout=IOPUB_TIMEOUT, **engine,
    )


def _kernel_options() -> dict[str, Any]:
    """Keep the kernel process's own log off stderr.

    ipykernel logs a warning about unencrypted local TCP at every start, and jupyter_client
    interrupts the kernel before shutting it down, which ipykernel sometimes logs as an error
    ("KeyboardInterrupt caught in kernel"). Neither concerns the report; cell output
    (warnings included) is captured in the notebook and checked by
    :func:`sna.reports.notebook_checks.check_executed_notebook`.
    """
    return {"extra_arguments": ["--IPKernelApp.log_level=CRITICAL"]}


@dataclass(frozen=True)
class _Plan:
    notebook: Path
    params_file: Path
    params: dict[str, Any]
    notebook_params: dict[str, Any]
    defaults_used: dict[str, Any]
    report_dir: Path
    run_id: str
    started: datetime
    synthetic: bool


def _plan(notebook: Path, params_file: Path, reports_root: Path | None,
          run_id: str | None) -> _Plan:
    params = load_params(params_file, notebook)
    declared = notebook_parameters(notebook)
    report_dir = Path(reports_root or reports_dir()).resolve() / notebook.stem
    started = datetime.now(UTC)
    if run_id is None:
        run_id = new_run_id(report_dir, started)
    elif (not _RUN_ID.match(run_id) or run_id in _RESERVED_NAMES
          or any(p.exists() for p in _run_paths(report_dir, run_id))):
        raise SnaInputError(f"run id {run_id!r} is not a new, plain folder name", column="run_id",
                            fix="use letters, digits, '.', '_' or '-' and a run id not used before")
    synthetic = (params.get("uses_synthetic_data") is True
                 or notebook_metadata(notebook).get("synthetic") is True)
    notebook_params = {k: v for k, v in params.items() if k in declared}
    defaults_used = {k: v for k, v in declared.items()
                     if k not in params and v is not NOT_LITERAL}
    return _Plan(notebook, params_file, params, notebook_params, defaults_used, report_dir,
                 run_id, started, synthetic)


def _strict_problems(executed: Path, page: Path) -> list[str]:
    problems = check_executed_notebook(executed)
    text = page.read_text(encoding="utf-8")
    remote = find_remote_resources(text)
    if remote:
        problems.append(f"the page would load remote resources: {remote[0]}")
    problems += [f"the page's {problem}" for problem in geometry_problems(text)]
    return problems


_PID_FILE = ".sna-run-pid"


def retire_dead_builds(report_dir: Path) -> list[Path]:
    """Move ``.tmp-<run-id>/`` folders of runs that died (``kill -9``) to ``failed/<run-id>/``.

    A build folder records its process id; one whose process no longer runs can never be
    promoted, so it is kept for inspection under ``failed/`` like any failed run. Folders
    of runs still going (a concurrent run) are left alone. Returns the folders moved.

    Parameters
    ----------
    report_dir : Path
        The report's folder under ``reports/`` (one sub-folder per run).

    Returns
    -------
    list of Path
        The folders moved.

    Examples
    --------
    >>> import tempfile
    >>> retire_dead_builds(Path(tempfile.mkdtemp()))
    []
    """
    from sna.io.cache import _pid_alive

    moved = []
    if not report_dir.is_dir():
        return moved
    for build in report_dir.glob(".tmp-*"):
        try:
            pid = int((build / _PID_FILE).read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            continue
        if _pid_alive(pid):
            continue
        target = report_dir / "failed" / build.name[len(".tmp-"):]
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(build, target)
        moved.append(target)
    return moved


def _build(plan: _Plan, build_dir: Path, *, strict: bool, execution_timeout: int,
           start_timeout: int, progress: bool, failed_dir: Path) -> None:
    shutil.copyfile(plan.params_file, build_dir / "params.yaml")
    executed = build_dir / "executed.ipynb"
    _execute(plan.notebook, executed, plan.notebook_params, execution_timeout=execution_timeout,
             start_timeout=start_timeout, progress=progress)
    data_files = collect_data_files({**plan.defaults_used, **plan.params})
    provenance = build_provenance(plan.params, plan.notebook, data_files,
                                  defaults_used=plan.defaults_used, params_file=plan.params_file,
                                  run_timestamp=plan.started)
    provenance["run_id"] = plan.run_id
    (build_dir / "provenance.json").write_text(
        json.dumps(provenance, indent=2, ensure_ascii=False, default=str) + "\n",
        encoding="utf-8", newline="\n")
    stamp = f"Run at {plan.started:%Y-%m-%d %H:%M:%S} UTC (run {plan.run_id})"
    page = render_html(executed, build_dir / "report.html", title=notebook_title(plan.notebook),
                       synthetic=plan.synthetic, run_stamp=stamp, provenance=provenance)
    problems = _strict_problems(executed, page) if strict else []
    if problems:
        cell = re.match(r"cell (\d+)", problems[0])
        raise ReportFailed(f"Report failed in strict mode, {problems[0]} "
                           f"({len(problems)} problem(s) in all); partial notebook: "
                           f"{_shown(failed_dir / 'executed.ipynb')}",
                           cell=int(cell.group(1)) if cell else None,
                           partial_notebook=failed_dir / "executed.ipynb")


def run_report(
    notebook: str | Path,
    params_file: str | Path,
    *,
    reports_root: str | Path | None = None,
    run_id: str | None = None,
    execution_timeout: int = 1800,
    start_timeout: int = 120,
    progress: bool = True,
    strict: bool = True,
) -> RunResult:
    """Validate params, execute the notebook, render the page and promote it on success.

    Parameters
    ----------
    notebook : str or Path
        The report notebook (its stem names the report).
    params_file : str or Path
        Params YAML, validated with :func:`sna.reports.params.load_params` before anything runs.
    reports_root : str or Path, optional
        Folder holding ``<report>/`` folders (default ``reports/`` under the project root).
    run_id : str, optional
        Name of the run folder (default: the UTC start time, ``YYYYMMDDTHHMMSSZ``).
    execution_timeout, start_timeout : int
        Seconds allowed per cell and for the kernel to start.
    progress : bool, default True
        Say which report is starting, and show papermill's progress bar naming the section
        (the notebook's latest heading) being executed (on stderr).
    strict : bool, default True
        Also fail when a cell wrote to stderr (warnings), an output holds a traceback, or the
        page would load anything from the network.

    Returns
    -------
    RunResult

    Raises
    ------
    SnaInputError
        Bad params (nothing is run or written).
    ReportFailed
        Execution, rendering or a strict check failed; the message is one line naming the
        cell and the partial notebook kept under ``<report>/failed/<run-id>/``. The last good
        report and ``latest`` are untouched.
    """
    clock = time.perf_counter()
    plan = _plan(Path(notebook).resolve(), Path(params_file), Path(reports_root).resolve()
                 if reports_root is not None else None, run_id)
    final_dir, build_dir, failed_dir = _run_paths(plan.report_dir, plan.run_id)
    retire_dead_builds(plan.report_dir)
    if progress:
        print(f"{plan.notebook.stem}: running {_shown(plan.notebook)} with "
              f"{_shown(plan.params_file)} (run {plan.run_id})", file=sys.stderr, flush=True)
    try:
        build_dir.mkdir(parents=True)
        (build_dir / _PID_FILE).write_text(f"{os.getpid()}\n", encoding="utf-8")
    except OSError as err:
        from sna.io.cache import output_error

        raise output_error(err, plan.report_dir) from None
    received: list[int] = []
    try:
        with _signals_stop_the_run() as received:
            _build(plan, build_dir, strict=strict, execution_timeout=execution_timeout,
                   start_timeout=start_timeout, progress=progress, failed_dir=failed_dir)
            (build_dir / _PID_FILE).unlink(missing_ok=True)
            os.replace(build_dir, final_dir)
            update_latest(plan.report_dir, plan.run_id)
    except BaseException as err:
        if build_dir.exists():
            (build_dir / _PID_FILE).unlink(missing_ok=True)
            failed_dir.parent.mkdir(parents=True, exist_ok=True)
            os.replace(build_dir, failed_dir)
        partial = failed_dir / "executed.ipynb"
        if received or isinstance(err, KeyboardInterrupt):
            signum = received[0] if received else signal.SIGINT  # the handler records each
            name = signal.Signals(signum).name
            raise ReportInterrupted(
                f"Report interrupted by {name}; nothing was published, the partial run is "
                f"kept in {_shown(failed_dir)}", signum=signum,
                partial_notebook=partial if partial.exists() else None) from None
        if isinstance(err, ReportFailed) or not isinstance(err, Exception):
            raise
        if isinstance(err, OSError):
            from sna.io.cache import output_error

            raise ReportFailed(f"Report failed: {output_error(err, plan.report_dir)}; "
                               f"partial run kept in {_shown(failed_dir)}") from None
        if _is_execution_error(err):
            raise execution_failure(err, partial) from None
        kept = _shown(partial) if partial.exists() else "none was written"
        raise ReportFailed(f"Report failed: {type(err).__name__}: {err}; partial notebook: {kept}",
                           partial_notebook=partial if partial.exists() else None) from err
    return RunResult(plan.notebook.stem, plan.run_id, final_dir, final_dir / "report.html",
                     final_dir / "executed.ipynb", final_dir / "params.yaml",
                     final_dir / "provenance.json", plan.synthetic, time.perf_counter() - clock)


def _is_execution_error(err: BaseException) -> bool:
    return type(err).__name__ == "PapermillExecutionError" and hasattr(err, "cell_index")


def match_notebook(params_file: Path, notebooks: list[Path]) -> Path:
    """Return the notebook whose stem is the longest prefix of the params file's stem.

    ``svd_sna_nyy_2025.yaml`` matches ``svd_sna.ipynb`` (the stem, or the stem followed by
    ``_``).

    Parameters
    ----------
    params_file : Path
        A params file, e.g. ``svd_sna_nyy_2025.yaml``.
    notebooks : list of Path
        The report notebooks.

    Returns
    -------
    Path

    Examples
    --------
    >>> match_notebook(Path("svd_sna_nyy_2025.yaml"),
    ...                [Path("svd.ipynb"), Path("svd_sna.ipynb"), Path("hate_crime_review.ipynb")])
    PosixPath('svd_sna.ipynb')
    """
    stem = params_file.stem
    matches = [nb for nb in notebooks if stem == nb.stem or stem.startswith(nb.stem + "_")]
    if not matches:
        names = ", ".join(sorted(nb.stem for nb in notebooks)) or "none found"
        raise SnaInputError("no report notebook matches this params file", file=str(params_file),
                            fix=f"name it <report>_<area>_<period>.yaml where <report> is one of: "
                                f"{names}")
    return max(matches, key=lambda nb: len(nb.stem))


def run_all(
    params_dir: str | Path,
    notebooks_dir: str | Path,
    *,
    reports_root: str | Path | None = None,
    **run_options: Any,
) -> RunAllSummary:
    """Run every ``<report>_*.yaml`` in ``params_dir`` with its notebook, going on after failures.

    Parameters
    ----------
    params_dir : str or Path
        Folder of params files (``*.yaml``, ``*.yml``), run in name order.
    notebooks_dir : str or Path
        Folder of report notebooks; each params file runs with the notebook whose stem is the
        longest prefix of its own stem (see :func:`match_notebook`).
    reports_root : str or Path, optional
        As in :func:`run_report`.
    **run_options
        Passed on to :func:`run_report` (``execution_timeout``, ``progress``, ``strict``...).

    Returns
    -------
    RunAllSummary
        ``succeeded`` and ``failed`` runs; ``exit_code`` is 1 if any failed.
    """
    notebooks = sorted(Path(notebooks_dir).glob("*.ipynb"))
    params_files = sorted([*Path(params_dir).glob("*.yaml"), *Path(params_dir).glob("*.yml")])
    summary = RunAllSummary()
    for params_file in params_files:
        try:
            notebook = match_notebook(params_file, notebooks)
            summary.succeeded.append(run_report(notebook, params_file, reports_root=reports_root,
                                                **run_options))
        except (ReportFailed, SnaInputError) as err:
            summary.failed.append((params_file, err))
            if isinstance(err, ReportInterrupted):
                break  # stopped by the operator: run no further reports
    return summary
