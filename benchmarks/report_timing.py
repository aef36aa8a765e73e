"""Time each report from the cache against its library calls alone, and kernel start-up.

A report notebook is thin: each code cell calls one library function whose value is
the cell's last expression. So running the report through papermill should cost
little more than the calls themselves plus starting a kernel. Three things are
measured, each in a fresh Python process, ``--repeats`` times round-robin:

* ``kernel``  -- jupyter_client starts a ``python3`` kernel (with the runner's
  ``--IPKernelApp.log_level=CRITICAL``) and waits until it is ready, runs an empty
  cell, and shuts it down gracefully, as nbclient does (start, empty cell and
  shutdown timed separately). Independent of the report.
* ``report``  -- :func:`sna.reports.run.run_report` into a temporary ``reports_root``
  (after one warm-up run per report that fills the Parquet cache in data/processed).
  Its wall time is split into papermill execute (timed around the runner's
  ``_execute``; papermill's own notebook ``duration`` is recorded too), the code
  cells' durations recorded by papermill in ``metadata.papermill.duration``, and the
  rest (HTML rendering, provenance, strict checks, promotion).
* ``library`` -- in a plain Python process (no kernel, no papermill), with the
  working directory the project root, the notebook's code cells run in order with
  the report's parameters injected after the ``parameters`` cell, as papermill does;
  each cell's last expression is evaluated and formatted as the kernel's display hook
  would (:func:`IPython.core.formatters.format_display_data`, every format), so the
  cost of building HTML and SVG counts. Library imports are included (the first
  cell imports the library, as in the kernel); creating IPython's shell is not (the
  kernel has one before the first cell).

Medians are reported per report, with the ratio cells-in-kernel / library-alone and
the notebook overhead ``papermill execute - kernel start - cells`` in seconds (it
includes the kernel shutdown and papermill's writes of the notebook after each cell).
CPU seconds (user + system of the process and the children it waited for, kernel
included) are recorded too: they are the figure least disturbed by other work on a
shared machine, whose load average is recorded before and after.

Usage::

    .venv/bin/python benchmarks/report_timing.py --repeats 3

Results are printed and written to ``benchmarks/out/report_timing.json``.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import CodeType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
REPORTS = {
    "svd_sna": ("notebooks/svd_sna.ipynb", "params/svd_sna_nyy_2025.yaml"),
    "hate_crime_review": ("notebooks/hate_crime_review.ipynb",
                          "params/hate_crime_review_nyy_2025.yaml"),
}
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


# ---------------------------------------------------------------- notebook as plain Python


def parameter_assignments(params: dict[str, Any]) -> str:
    """Python source assigning each parameter, like papermill's injected-parameters cell.

    >>> parameter_assignments({"area": "York", "min_count": 5})
    "area = 'York'\\nmin_count = 5"
    """
    return "\n".join(f"{name} = {value!r}" for name, value in params.items())


def notebook_code_cells(nb: Any, params: dict[str, Any]) -> list[str]:
    """Sources of the code cells in run order, with ``params`` assigned after the parameters cell.

    As papermill does, the parameters cell keeps its defaults and a new cell assigning
    ``params`` follows it (none when ``params`` is empty).
    """
    sources = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        sources.append(cell.source)
        if "parameters" in cell.metadata.get("tags", []) and params:
            sources.append(parameter_assignments(params))
    return sources


def compile_cell(source: str, name: str = "<cell>") -> tuple[CodeType, CodeType | None]:
    """Compile a cell into its statements and its last expression (``None`` if there is none).

    A last expression followed by ``;`` is not displayed by IPython, so it stays a statement.
    """
    tree = ast.parse(source, filename=name)
    shown = (bool(tree.body) and isinstance(tree.body[-1], ast.Expr)
             and not source.rstrip().endswith(";"))
    body = ast.Module(tree.body[:-1] if shown else tree.body, type_ignores=[])
    statements = compile(body, name, "exec")
    if not shown:
        return statements, None
    return statements, compile(ast.Expression(tree.body[-1].value), name, "eval")


def run_cell(source: str, namespace: dict[str, Any], name: str = "<cell>") -> Any:
    """Execute a cell in ``namespace`` and return the value of its last expression (or None)."""
    statements, last_expression = compile_cell(source, name)
    exec(statements, namespace)
    return None if last_expression is None else eval(last_expression, namespace)


def report_cells(name: str) -> list[str]:
    """The code cells of report ``name`` with its params file's parameters injected."""
    import nbformat

    from sna.reports.params import load_params, notebook_parameters

    notebook, params_file = (ROOT / p for p in REPORTS[name])
    params = load_params(params_file, notebook)
    declared = notebook_parameters(notebook)
    injected = {k: v for k, v in params.items() if k in declared}
    return notebook_code_cells(nbformat.read(notebook, as_version=4), injected)


# ---------------------------------------------------------------- children


def child_kernel() -> dict:
    """Start a python3 kernel as nbclient does, run an empty cell, shut it down; time each."""
    from jupyter_client import KernelManager

    started = time.perf_counter()
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(extra_arguments=KERNEL_ARGUMENTS, cwd=str(ROOT))
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    ready = time.perf_counter()
    reply = client.execute_interactive("", timeout=60, output_hook=lambda message: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"empty cell failed: {reply['content']}")
    ran = time.perf_counter()
    try:
        manager.shutdown_kernel(now=False)
    finally:
        manager.cleanup_resources()
        client.stop_channels()
    stopped = time.perf_counter()
    return {"start_seconds": ready - started, "empty_cell_seconds": ran - ready,
            "shutdown_seconds": stopped - ran}


def kernel_cell_times(executed: Any) -> dict:
    """Cell durations papermill recorded in an executed notebook.

    Returns the code cells' durations in order (the injected-parameters cell included),
    their sum, the markdown cells' sum (papermill saves the notebook around each cell,
    markdown too) and papermill's whole-notebook duration.
    """
    code, markdown = [], 0.0
    for cell in executed.cells:
        seconds = cell.metadata.get("papermill", {}).get("duration") or 0.0
        if cell.cell_type == "code":
            code.append(seconds)
        else:
            markdown += seconds
    return {"cell_seconds": code, "cells_seconds": sum(code), "markdown_seconds": markdown,
            "papermill_duration_seconds": executed.metadata["papermill"]["duration"]}


def child_report(name: str) -> dict:
    """Run report ``name`` with ``run_report`` into a temporary folder; time it and its parts."""
    import nbformat

    import sna.reports.run as runner

    execute, timing = runner._execute, {}

    def timed_execute(*args: Any, **kwargs: Any) -> None:
        clock = time.perf_counter()
        try:
            execute(*args, **kwargs)
        finally:
            timing["execute_seconds"] = time.perf_counter() - clock

    runner._execute = timed_execute
    notebook, params_file = (ROOT / p for p in REPORTS[name])
    reports_root = Path(tempfile.mkdtemp(prefix="report-timing-"))
    try:
        clock = time.perf_counter()
        result = runner.run_report(notebook, params_file, reports_root=reports_root,
                                   progress=False)
        whole = time.perf_counter() - clock
        cells = kernel_cell_times(nbformat.read(result.executed_notebook, as_version=4))
    finally:
        shutil.rmtree(reports_root, ignore_errors=True)
    return {"whole_seconds": whole, "execute_seconds": timing["execute_seconds"], **cells}


def child_library(cells_file: Path) -> dict:
    """Run the cells in ``cells_file`` (JSON list of sources) as plain Python, timing each."""
    from IPython.core.formatters import format_display_data
    from IPython.core.interactiveshell import InteractiveShell

    InteractiveShell.instance()  # the kernel's shell exists before its first cell runs
    sources = json.loads(cells_file.read_text(encoding="utf-8"))
    sys.path.insert(0, "")  # as in the kernel: the working directory is importable
    namespace: dict[str, Any] = {"__name__": "__main__"}
    run, formatted, mime_types = [], [], []
    for number, source in enumerate(sources, start=1):
        clock = time.perf_counter()
        value = run_cell(source, namespace, f"<cell {number}>")
        middle = time.perf_counter()
        data, _ = format_display_data(value) if value is not None else ({}, {})
        run.append(middle - clock)
        formatted.append(time.perf_counter() - middle)
        mime_types.append(sorted(data))
    total = [a + b for a, b in zip(run, formatted, strict=True)]
    return {"cell_seconds": total, "cell_run_seconds": run, "cell_format_seconds": formatted,
            "cell_mime_types": mime_types, "library_seconds": sum(total)}


CHILDREN = ("kernel", "report", "library")


def child(kind: str, report: str | None, cells_file: Path | None) -> None:
    """Run one measurement in this process and print it as one JSON line."""
    os.chdir(ROOT)
    if kind == "kernel":
        result = child_kernel()
    elif kind == "report":
        result = child_report(report)
    else:
        result = child_library(cells_file)
    print(json.dumps(result))


# ---------------------------------------------------------------- parent side


def measure(kind: str, *options: str) -> dict:
    """Run one child in a fresh process; add its wall time and CPU time (children included)."""
    command = [sys.executable, __file__, "--child", kind, *options]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} {' '.join(options)} failed:\n{err.decode()[-4000:]}")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["process_seconds"] = seconds
    if err.strip():
        result["stderr_tail"] = err.decode()[-2000:]
    return result


def measure_with_cpu(kind: str, *options: str) -> dict:
    """:func:`measure` plus CPU seconds (user + system) of the child and what it waited for."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = measure(kind, *options)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["cpu_seconds"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


def median_of(runs: list[dict], key: str) -> float:
    """Median of ``key`` over ``runs``."""
    return statistics.median(run[key] for run in runs)


def median_per_cell(runs: list[dict]) -> list[float]:
    """Median per cell of ``cell_seconds`` over ``runs`` (all runs have the same cells)."""
    return [statistics.median(cells) for cells in zip(*(r["cell_seconds"] for r in runs),
                                                      strict=True)]


def summarise_report(kernel_runs: list[dict], report_runs: list[dict],
                     library_runs: list[dict]) -> dict:
    """Median figures of one report and the derived ratio and overhead.

    ``render_checks`` is the whole run minus papermill execute; ``cells_over_library``
    is cells-in-kernel / library-alone; ``notebook_overhead`` is papermill execute minus
    kernel start minus cells (all medians, in seconds).
    """
    kernel_start = median_of(kernel_runs, "start_seconds")
    cells = median_of(report_runs, "cells_seconds")
    library = median_of(library_runs, "library_seconds")
    execute = median_of(report_runs, "execute_seconds")
    whole = median_of(report_runs, "whole_seconds")
    return {
        "kernel_start": kernel_start,
        "kernel_empty_cell": median_of(kernel_runs, "empty_cell_seconds"),
        "kernel_shutdown": median_of(kernel_runs, "shutdown_seconds"),
        "cells_in_kernel": cells,
        "library_alone": library,
        "papermill_execute": execute,
        "papermill_duration": median_of(report_runs, "papermill_duration_seconds"),
        "render_checks": whole - execute,
        "whole_run": whole,
        "cells_over_library": cells / library,
        "notebook_overhead": execute - kernel_start - cells,
        "whole_run_cpu": median_of(report_runs, "cpu_seconds"),
        "library_process_cpu": median_of(library_runs, "cpu_seconds"),
        "cell_seconds_in_kernel": median_per_cell(report_runs),
        "cell_seconds_alone": median_per_cell(library_runs),
    }


def cell_label(source: str, width: int = 48) -> str:
    """First non-comment line of a cell, shortened to ``width`` characters."""
    lines = [line.strip() for line in source.splitlines()
             if line.strip() and not line.strip().startswith("#")]
    text = lines[0] if lines else "(empty)"
    return text if len(text) <= width else text[:width - 3] + "..."


def format_report(name: str, summary: dict, cells: list[str], repeats: int) -> str:
    """A table of one report's median figures, then its cells side by side."""
    rows = [("kernel start", "kernel_start"), ("kernel shutdown", "kernel_shutdown"),
            ("notebook cells (in kernel)", "cells_in_kernel"),
            ("library calls alone", "library_alone"),
            ("papermill execute total", "papermill_execute"),
            ("render + checks", "render_checks"), ("whole run", "whole_run")]
    lines = [f"{name} (median of {repeats})"]
    lines += [f"  {label:<40} {summary[key]:>8.2f} s" for label, key in rows]
    lines.append(f"  {'cells in kernel / library alone':<40} {summary['cells_over_library']:>8.2f}")
    lines.append(f"  {'notebook overhead (execute-start-cells)':<40} "
                 f"{summary['notebook_overhead']:>8.2f} s")
    lines.append(f"  {'CPU s: whole run / library process':<40} {summary['whole_run_cpu']:>8.1f}"
                 f" / {summary['library_process_cpu']:.1f}")
    lines.append(f"  {'cell':<52} {'kernel s':>8} {'alone s':>8}")
    for source, kernel, alone in zip(cells, summary["cell_seconds_in_kernel"],
                                     summary["cell_seconds_alone"], strict=True):
        lines.append(f"  {cell_label(source):<52} {kernel:>8.2f} {alone:>8.2f}")
    return "\n".join(lines)


def versions() -> dict:
    """Versions of Python and the packages on the report path."""
    from importlib.metadata import PackageNotFoundError, version

    packages = ("ipykernel", "ipython", "jupyter_client", "nbclient", "papermill", "nbconvert",
                "nbformat", "pandas", "altair", "vl-convert-python", "pyarrow", "sna")
    found = {"python": platform.python_version()}
    for package in packages:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def load() -> list[float]:
    """The 1, 5 and 15 minute load averages, rounded."""
    return [round(x, 2) for x in os.getloadavg()]


def write_cells_files(reports: list[str], folder: Path) -> dict[str, Path]:
    """Write each report's injected code cells as JSON for the library child."""
    files = {}
    for name in reports:
        files[name] = folder / f"{name}.json"
        files[name].write_text(json.dumps(report_cells(name)), encoding="utf-8")
    return files


def run_all(reports: list[str], repeats: int, cells_files: dict[str, Path]) -> dict:
    """Warm up each report once, then measure kernel, report and library round-robin."""
    runs: dict[str, Any] = {"warmup": {}, "kernel": [],
                            "report": {n: [] for n in reports}, "library": {n: [] for n in reports}}
    for name in reports:
        runs["warmup"][name] = measure_with_cpu("report", "--report", name)
        print(f"warm-up {name:<18} {runs['warmup'][name]['whole_seconds']:6.2f} s "
              f"load {load()[0]:.2f}", flush=True)
    for repeat in range(1, repeats + 1):
        kernel = measure_with_cpu("kernel")
        runs["kernel"].append(kernel)
        print(f"repeat {repeat} kernel start {kernel['start_seconds']:.2f} s shutdown "
              f"{kernel['shutdown_seconds']:.2f} s load {load()[0]:.2f}", flush=True)
        for name in reports:
            report = measure_with_cpu("report", "--report", name)
            library = measure_with_cpu("library", "--cells", str(cells_files[name]))
            runs["report"][name].append(report)
            runs["library"][name].append(library)
            print(f"repeat {repeat} {name:<18} whole {report['whole_seconds']:6.2f} s cells "
                  f"{report['cells_seconds']:6.2f} s alone {library['library_seconds']:6.2f} s "
                  f"load {load()[0]:.2f}", flush=True)
    return runs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3,
                        help="measured runs of each kind (medians are reported); default 3")
    parser.add_argument("--report", nargs="*", choices=list(REPORTS), default=list(REPORTS),
                        help="reports to time (default: all)")
    parser.add_argument("--out", type=Path, default=OUT / "report_timing.json",
                        help="JSON file for all figures")
    parser.add_argument("--child", choices=CHILDREN, help=argparse.SUPPRESS)
    parser.add_argument("--cells", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.report[0] if args.report else None, args.cells)
        return
    load_before = load()
    scratch = Path(tempfile.mkdtemp(prefix="report-timing-cells-"))
    try:
        cells_files = write_cells_files(args.report, scratch)
        cells = {n: json.loads(cells_files[n].read_text(encoding="utf-8")) for n in args.report}
        runs = run_all(args.report, args.repeats, cells_files)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    summary = {n: summarise_report(runs["kernel"], runs["report"][n], runs["library"][n])
               for n in args.report}
    result = {
        "command": " ".join([".venv/bin/python", "benchmarks/report_timing.py",
                             *(argv if argv is not None else sys.argv[1:])]),
        "repeats": args.repeats,
        "machine": {"cpus": os.cpu_count(), "load_before": load_before, "load_after": load(),
                    "platform": platform.platform()},
        "versions": versions(),
        "summary": summary,
        "cells": cells,
        "runs": runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    print(f"{os.cpu_count()} CPUs, load {load_before} before, {result['machine']['load_after']} "
          f"after")
    for name in args.report:
        print(format_report(name, summary[name], cells[name], args.repeats))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
