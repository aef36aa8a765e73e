"""Time the two Quick-start commands from a fresh clone: cold `make report`, then `make test`.

What is measured, in one run, on this machine:

1. ``git clone`` of the repository into an empty folder (no ``.venv``, no ``reports/``);
2. ``make report`` there: creates ``.venv`` (uv if on the PATH, else venv + pip-installed uv),
   installs the project with the tested versions in ``constraints.txt`` and renders every
   report in ``params/`` (target: under 3 minutes on the 2-core machine when otherwise idle);
3. ``make test`` there: installs the test, lab, bench and lint extras into the same ``.venv`` and
   runs the whole suite (target: under 6 minutes).

By default the package caches are empty too (``UV_CACHE_DIR`` and ``PIP_CACHE_DIR`` point into
the scratch folder), as on a fresh machine; ``--warm-cache`` keeps the user's caches. The load
average is sampled every 2 seconds during each step (mean and maximum printed) because other
work on the machine slows every step: the targets apply to an idle machine, so report the load
alongside the times. The CPU seconds the step's processes used (user + system, from
``getrusage``) are printed too: they change little with load, and CPU seconds / CPUs is a
floor for the wall time on an idle machine. ``--pip`` hides uv (the pip fallback) for comparison.

Usage::

    python benchmarks/setup_timing.py                      # clone HEAD of this checkout
    python benchmarks/setup_timing.py --steps report       # only the cold `make report`
    python benchmarks/setup_timing.py --split              # set-up and rendering apart
    python benchmarks/setup_timing.py --json out.json      # also write the numbers
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"report": 180.0, "test": 360.0}
# `make setup` is the set-up half of a cold `make report`; timed apart with --split.


class LoadSampler:
    """Sample the 1-minute load average in a background thread."""

    def __init__(self, every: float = 2.0) -> None:
        self.every = every
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self._stop.wait(self.every)

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, float]:
        values = self.samples or [os.getloadavg()[0]]
        return {"load_mean": round(sum(values) / len(values), 2), "load_max": round(max(values), 2)}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> dict:
    """Run ``command`` with its output teed to ``log``; return seconds, exit code and load."""
    print(f"$ {' '.join(command)}   (in {cwd}, log {log})", flush=True)
    load_before = round(os.getloadavg()[0], 2)
    cpu_before = _children_cpu()
    start = time.perf_counter()
    with LoadSampler() as load, open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        for line in process.stdout:
            out.write(line)
            if line.startswith(("==>", "report written", "Installed", "Resolved", "Prepared",
                                "=====", "FAILED", "ERROR")) or " passed" in line:
                print("   " + line.rstrip()[:160], flush=True)
        code = process.wait()
    return {"seconds": round(time.perf_counter() - start, 1), "exit_code": code,
            "cpu_seconds": round(_children_cpu() - cpu_before, 1),
            "load_before": load_before, **load.summary()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(ROOT), help="repository to clone (default: this)")
    parser.add_argument("--scratch", default=None, help="folder for the clone (default: temp)")
    parser.add_argument("--steps", nargs="+", default=["report", "test"],
                        choices=["report", "test"])
    parser.add_argument("--warm-cache", action="store_true",
                        help="keep the user's uv/pip caches (default: empty caches)")
    parser.add_argument("--pip", action="store_true", help="hide uv from the PATH")
    parser.add_argument("--split", action="store_true",
                        help="run `make setup` before `make report`, to time set-up and "
                             "rendering apart (the cold `make report` is their sum)")
    parser.add_argument("--keep", action="store_true", help="keep the clone afterwards")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)

    scratch = Path(args.scratch or tempfile.mkdtemp(prefix="sna-setup-timing-"))
    scratch.mkdir(parents=True, exist_ok=True)
    clone = scratch / "sna"
    if clone.exists():
        shutil.rmtree(clone)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    if not args.warm_cache:
        env["UV_CACHE_DIR"] = str(scratch / "uv-cache")
        env["PIP_CACHE_DIR"] = str(scratch / "pip-cache")
    if args.pip:
        env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep)
                                      if not (Path(p) / "uv").exists())
    uv = shutil.which("uv", path=env["PATH"])
    results = {"machine": {"cpus": os.cpu_count(), "load_at_start": os.getloadavg(),
                           "python": sys.version.split()[0], "uv_on_path": uv,
                           "empty_caches": not args.warm_cache},
               "steps": {}}
    print(f"cpus {os.cpu_count()}, load average {os.getloadavg()}, uv on PATH: {uv or 'no'}, "
          f"caches {'warm' if args.warm_cache else 'empty'}")
    subprocess.run(["git", "clone", "--quiet", args.repo, str(clone)], check=True)
    try:
        steps = (["setup"] if args.split and "report" in args.steps else []) + args.steps
        for step in steps:
            results["steps"][step] = timed(["make", step], clone, env, scratch / f"{step}.log")
        if "setup" in results["steps"]:
            setup, report = results["steps"]["setup"], results["steps"]["report"]
            results["steps"]["report (cold: setup + report)"] = {
                "seconds": round(setup["seconds"] + report["seconds"], 1),
                "exit_code": setup["exit_code"] or report["exit_code"],
                "cpu_seconds": round(setup["cpu_seconds"] + report["cpu_seconds"], 1),
                "load_mean": round((setup["load_mean"] * setup["seconds"] + report["load_mean"]
                                    * report["seconds"]) / max(setup["seconds"]
                                                               + report["seconds"], 1e-9), 2),
                "load_max": max(setup["load_max"], report["load_max"])}
    finally:
        if not args.keep:
            shutil.rmtree(clone, ignore_errors=True)
            for cache in ("uv-cache", "pip-cache"):
                shutil.rmtree(scratch / cache, ignore_errors=True)

    print(f"\n{'step':<36} seconds  target  seconds/target  exit  cpu-s  load mean/max (cpus "
          f"{os.cpu_count()})")
    for step, row in results["steps"].items():
        split = "setup" in results["steps"]
        target = {"test": TARGETS["test"], "report (cold: setup + report)": TARGETS["report"],
                  "report": None if split else TARGETS["report"]}.get(step)
        ratio = f"{row['seconds'] / target:>15.2f}" if target else f"{'':>15}"
        print(f"make {step:<31} {row['seconds']:>8.1f} {target or '':>7} {ratio} "
              f"{row['exit_code']:>5} {row.get('cpu_seconds', 0):>6.0f}  "
              f"{row['load_mean']:.1f}/{row['load_max']:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if all(r["exit_code"] == 0 for r in results["steps"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
