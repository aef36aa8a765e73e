"""Time the project's police.uk ingest against pandas, DuckDB, polars and pyarrow.

Every contender reads the same street CSVs, in a fresh Python process, and
ends with the standard aggregation (rows by LSOA x month x crime type):

* ``project``  -- :func:`sna.io.national.ingest_to_parquet_dataset` (every check,
  row accounting, clean + quarantine Parquet per file, manifest) then
  :func:`sna.io.national.counts_by` (DuckDB over the Parquet files).
* ``pandas``   -- ``pd.read_csv`` (C engine) per file, concatenated, with the
  ingest's row checks (header, month pattern and the file name's month, repeated
  header lines, crime type, LSOA pattern, coordinates, one row per Crime ID a
  month), rows counted by reason, Crime IDs repeated across months counted, and
  ``groupby().size()`` (no line numbers, no Parquet, no quarantine table).
* ``duckdb``   -- ``read_csv`` of all files + ``GROUP BY`` (no checks).
* ``polars``   -- lazy ``scan_csv`` of all files + ``group_by().len()`` (no checks).
* ``pyarrow``  -- ``pyarrow.csv.read_csv`` per file + ``Table.group_by`` (no checks).
* ``polars_copy`` -- the floor of any ingest that keeps the rows: polars' lazy scan of all
  12 columns as text written straight to one Parquet file (snappy, no statistics), then the
  group-by from that file; no checks, no typing, no accounting, no line numbers.
* ``polars_full`` -- polars doing most of the project's work in one lazy query: all
  columns, the checks of ``pandas``, numeric coordinates, clean rows written to
  Parquet, then the group-by (no quarantine table, no line numbers, no per-file
  errors). It shows what the work itself costs in the fastest engine here.

Each run is timed from process start to exit ("process", what a user waits
for, imports included), inside the process ("work", without interpreter
start-up) and in CPU seconds (user + system, all threads, from ``wait4``:
the measure least disturbed by other work on a shared machine). Peak memory
is the largest resident set of the process tree, polled from ``/proc`` every
10 ms, cross-checked with ``ru_maxrss`` from ``wait4``. Contenders run
round-robin, ``--repeats`` times, and the median is reported; the load average
is recorded because other work on the machine slows every contender.

Usage (one command: ``--generate 1.0`` writes the national year first if the
folder holds no street files)::

    .venv/bin/python benchmarks/run_benchmark.py --generate 1.0 --data /tmp/national --repeats 3

Results are printed and written to ``benchmarks/out/results.json``.
"""

from __future__ import annotations

import argparse
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

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
CONTENDERS = ("project", "pandas", "duckdb", "polars", "pyarrow", "polars_copy", "polars_full")
GROUP = ["LSOA code", "Month", "Crime type"]


# ---------------------------------------------------------------- contenders (child side)


def run_project(data: Path, scratch: Path) -> int:
    from sna.io.national import counts_by, ingest_to_parquet_dataset

    manifest = ingest_to_parquet_dataset(data, scratch / "dataset")
    counts = counts_by(scratch / "dataset", by=["lsoa_code", "month", "crime_type"])
    assert counts["count"].sum() == manifest["rows_clean"]
    return manifest["rows_in"]


def run_pandas(data: Path, scratch: Path) -> int:
    """The project's row checks written in plain pandas (vectorised over all rows at once).

    The same checks as the ingest, in the same order of precedence: header, month
    (pattern, and the file name's month), repeated header lines, crime type, LSOA
    code, coordinates (non-numeric, only one given, out of range), Crime IDs repeated
    within a file's month; rows set aside are counted by reason (rows in = clean +
    set aside), and Crime IDs repeated across months are counted. It keeps no line
    numbers, writes nothing and does not quarantine malformed lines (the C engine
    raises on a line with too many fields).
    """
    import numpy as np
    import pandas as pd

    from sna.io.ingest import (
        CRIME_TYPES,
        LSOA_PATTERN,
        MONTH_PATTERN,
        POLICE_UK_COLUMNS,
        ROW_REASONS,
        STREET_FILE,
    )

    frames = []
    for number, path in enumerate(sorted(data.rglob("*-street.csv"))):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, engine="c")
        if list(frame.columns) != POLICE_UK_COLUMNS:
            raise ValueError(f"{path}: unexpected header")
        month = frame["Month"]
        body = month != "Month"
        if not (month.eq(STREET_FILE.search(path.name)["month"]) | ~body).all():
            raise ValueError(f"{path}: a month that is not the file name's")
        frame["file"] = np.int16(number)
        frames.append(frame)
    rows = pd.concat(frames, ignore_index=True)
    header = rows["Month"] == "Month"
    if not rows.loc[~header, "Month"].str.match(MONTH_PATTERN).all():
        raise ValueError("invalid month")
    lsoa, crime_id = rows["LSOA code"], rows["Crime ID"]
    lon = pd.to_numeric(rows["Longitude"], errors="coerce")  # blank: NaN
    lat = pd.to_numeric(rows["Latitude"], errors="coerce")
    has_lon, has_lat = rows["Longitude"] != "", rows["Latitude"] != ""
    checks = [
        header,
        ~rows["Crime type"].isin(CRIME_TYPES),
        (lsoa != "") & ~lsoa.str.match(LSOA_PATTERN),
        (has_lon & lon.isna()) | (has_lat & lat.isna()),
        has_lon != has_lat,
        (lon.abs() > 180) | (lat.abs() > 90),
        (crime_id != "") & rows.duplicated(["file", "Month", "Crime ID"]),
    ]
    reason = pd.Series(np.select(checks, range(1, len(checks) + 1), 0), index=rows.index)
    set_aside = reason.value_counts().drop(0, errors="ignore")
    clean = rows[reason == 0]
    assert len(clean) + int(set_aside.sum()) == len(rows)
    assert set(set_aside.index) <= set(range(1, len(ROW_REASONS) + 1))
    ids = clean["Crime ID"]
    repeats_across_months = int(ids[ids != ""].duplicated().sum())
    counts = clean.groupby(GROUP).size()
    assert counts.sum() == len(clean) and repeats_across_months >= 0
    return len(rows)


def run_duckdb(data: Path, scratch: Path) -> int:
    import duckdb

    glob = str(data / "*" / "*-street.csv")
    keys = ", ".join(f'"{c}"' for c in GROUP)
    with duckdb.connect() as con:
        counts = con.sql(f"SELECT {keys}, count(*) AS n FROM read_csv('{glob}', header=true, "
                         f"all_varchar=true) GROUP BY {keys}").to_arrow_table()
    return int(counts["n"].to_numpy().sum())


def run_polars(data: Path, scratch: Path) -> int:
    import polars as pl

    from sna.io.ingest import POLICE_UK_COLUMNS

    scan = pl.scan_csv(str(data / "*" / "*-street.csv"),
                       schema={c: pl.String for c in POLICE_UK_COLUMNS})
    counts = scan.group_by(GROUP).len().collect()
    return int(counts["len"].sum())


def run_pyarrow(data: Path, scratch: Path) -> int:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from sna.io.ingest import POLICE_UK_COLUMNS

    types = {c: pa.string() for c in POLICE_UK_COLUMNS}
    tables = [pacsv.read_csv(p, convert_options=pacsv.ConvertOptions(column_types=types))
              for p in sorted(data.rglob("*-street.csv"))]
    table = pa.concat_tables(tables)
    counts = table.group_by(GROUP).aggregate([([], "count_all")])
    return int(counts["count_all"].to_numpy().sum())


def run_polars_copy(data: Path, scratch: Path) -> int:
    import polars as pl

    from sna.io.ingest import POLICE_UK_COLUMNS

    scan = pl.scan_csv(str(data / "*" / "*-street.csv"),
                       schema={c: pl.String for c in POLICE_UK_COLUMNS})
    scan.sink_parquet(scratch / "rows.parquet", compression="snappy", statistics=False)
    counts = pl.scan_parquet(scratch / "rows.parquet").group_by(GROUP).len().collect()
    return int(counts["len"].sum())


def run_polars_full(data: Path, scratch: Path) -> int:
    import polars as pl

    from sna.io.ingest import CRIME_TYPES, LSOA_PATTERN, MONTH_PATTERN, POLICE_UK_COLUMNS

    scan = pl.scan_csv(str(data / "*" / "*-street.csv"), empty_string_is_null=False,
                       schema={c: pl.String for c in POLICE_UK_COLUMNS},
                       include_file_paths="source_file")
    crime_id, lsoa = pl.col("Crime ID"), pl.col("LSOA code")
    lon = pl.col("Longitude").cast(pl.Float64, strict=False)
    lat = pl.col("Latitude").cast(pl.Float64, strict=False)
    repeat = (crime_id != "") & ~crime_id.is_first_distinct().over("source_file", "Month")
    bad = (~pl.col("Month").str.contains(MONTH_PATTERN)
           | ~pl.col("Crime type").is_in(CRIME_TYPES)
           | ((lsoa != "") & ~lsoa.str.contains(LSOA_PATTERN))
           | ((pl.col("Longitude") != "") & lon.is_null()) | repeat)
    clean = scan.filter(~bad).with_columns(
        longitude=lon, latitude=lat, month=pl.col("Month").str.to_date("%Y-%m"),
        crime_id=pl.when(crime_id == "").then(None).otherwise(crime_id))
    clean.sink_parquet(scratch / "clean.parquet")
    counts = pl.scan_parquet(scratch / "clean.parquet").group_by(GROUP).len().collect()
    return int(counts["len"].sum())  # clean rows (counting rows in would need another pass)


def child(name: str, data: Path, scratch_dir: Path | None) -> None:
    """Run one contender in this process and print its work time as JSON."""
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix=f"bench-{name}-", dir=scratch_dir))
    try:
        rows = globals()[f"run_{name}"](data, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(json.dumps({"work_seconds": time.perf_counter() - started, "rows": rows}))


# ---------------------------------------------------------------- measuring (parent side)


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, from /proc."""
    total, stack, page = 0, [pid], os.sysconf("SC_PAGE_SIZE")
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * page
            with open(f"/proc/{current}/task/{current}/children") as handle:
                stack.extend(int(c) for c in handle.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def measure(name: str, data: Path, scratch: Path | None) -> dict:
    """Run one contender in a fresh process: wall time, peak RSS and its own work time."""
    command = [sys.executable, __file__, "--child", name, "--data", str(data)]
    if scratch is not None:
        command += ["--scratch", str(scratch)]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_rss_bytes(proc.pid))
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{name} failed:\n{err}")
    inner = json.loads(out.strip().splitlines()[-1])
    return {"process_seconds": seconds, "work_seconds": inner["work_seconds"],
            "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "rows": inner["rows"], "peak_rss_mib": peak / 2**20,
            "ru_maxrss_mib": usage.ru_maxrss / 1024}


def count_rows(data: Path) -> tuple[int, int, int]:
    """Data rows (lines minus headers), files and bytes; also warms the page cache."""
    rows = files = size = 0
    for path in sorted(data.rglob("*-street.csv")):
        blob = path.read_bytes()
        rows += blob.count(b"\n") - 1
        files += 1
        size += len(blob)
    return rows, files, size


def summarise(runs: dict[str, list[dict]], rows: int) -> dict:
    summary = {}
    for name, results in runs.items():
        process = statistics.median(r["process_seconds"] for r in results)
        work = statistics.median(r["work_seconds"] for r in results)
        summary[name] = {
            "process_seconds_median": round(process, 3),
            "work_seconds_median": round(work, 3),
            "cpu_seconds_median": round(statistics.median(r["cpu_seconds"] for r in results), 3),
            "rows_per_second": round(rows / process),
            "peak_rss_mib_median": round(statistics.median(r["peak_rss_mib"] for r in results), 1),
            "ru_maxrss_mib_median": round(
                statistics.median(r["ru_maxrss_mib"] for r in results), 1),
            "runs": results,
        }
    return summary


def ratios(summary: dict) -> dict:
    """Project time and memory relative to each other contender (below 1: project better)."""
    ours = summary["project"]
    out = {}
    for name, other in summary.items():
        if name == "project":
            continue
        out[f"project/{name}"] = {
            "process_time": round(ours["process_seconds_median"]
                                  / other["process_seconds_median"], 2),
            "work_time": round(ours["work_seconds_median"] / other["work_seconds_median"], 2),
            "cpu_time": round(ours["cpu_seconds_median"] / other["cpu_seconds_median"], 2),
            "peak_rss": round(ours["peak_rss_mib_median"] / other["peak_rss_mib_median"], 2),
        }
    return out


def versions() -> dict:
    import duckdb
    import pandas
    import polars
    import pyarrow

    return {"python": platform.python_version(), "pandas": pandas.__version__,
            "pyarrow": pyarrow.__version__, "duckdb": duckdb.__version__,
            "polars": polars.__version__}


def report(result: dict) -> str:
    lines = [f"{result['rows']:,} rows in {result['files']} files "
             f"({result['bytes'] / 2**20:,.0f} MiB), {result['repeats']} repeats, "
             f"{result['machine']['cpus']} CPUs, load {result['machine']['load_before']} before, "
             f"{result['machine']['load_after']} after",
             f"{'contender':<11} {'process s':>9} {'work s':>7} {'CPU s':>6} {'rows/s':>11} "
             f"{'peak MiB':>9}"]
    for name, s in result["summary"].items():
        lines.append(f"{name:<11} {s['process_seconds_median']:>9.2f} "
                     f"{s['work_seconds_median']:>7.2f} {s['cpu_seconds_median']:>6.1f} "
                     f"{s['rows_per_second']:>11,} {s['peak_rss_mib_median']:>9.0f}")
    for pair, r in result["ratios"].items():
        lines.append(f"{pair:<19} time x{r['process_time']} (work x{r['work_time']}, "
                     f"CPU x{r['cpu_time']}), peak memory x{r['peak_rss']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder of street CSVs")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=CONTENDERS, default=list(CONTENDERS))
    parser.add_argument("--out", type=Path, default=OUT / "results.json")
    parser.add_argument("--scratch", type=Path, default=None,
                        help="folder for the contenders' output (default: the system temp "
                             "folder); e.g. /dev/shm to keep disk writes out of the timing")
    parser.add_argument("--generate", type=float, metavar="SCALE", default=None,
                        help="first write a national year at this scale into --data "
                             "(benchmarks/generate_national.py), unless it already holds files")
    parser.add_argument("--child", choices=CONTENDERS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.data.resolve(), args.scratch)
        return
    data = args.data.resolve()
    if args.generate is not None and not any(data.glob("*/*-street.csv")):
        from generate_national import main as generate_national

        generate_national(["--scale", str(args.generate), "--out", str(data)])
    rows, files, size = count_rows(data)
    load_before = os.getloadavg()
    runs: dict[str, list[dict]] = {name: [] for name in args.only}
    for repeat in range(args.repeats):
        for name in args.only:
            result = measure(name, data, args.scratch)
            if result["rows"] not in (rows, None) and name in ("project", "pandas", "polars_copy"):
                raise RuntimeError(f"{name} read {result['rows']} rows, expected {rows}")
            runs[name].append(result)
            print(f"repeat {repeat + 1} {name:<11} {result['process_seconds']:6.2f} s "
                  f"{result['cpu_seconds']:6.1f} CPU s {result['peak_rss_mib']:7.0f} MiB "
                  f"load {os.getloadavg()[0]:.2f}", flush=True)
    summary = summarise(runs, rows)
    result = {
        "command": " ".join([".venv/bin/python", "benchmarks/run_benchmark.py",
                             *(argv if argv is not None else sys.argv[1:])]),
        "rows": rows, "files": files, "bytes": size, "repeats": args.repeats,
        "scratch": str(args.scratch or tempfile.gettempdir()),
        "machine": {"cpus": os.cpu_count(), "load_before": [round(x, 2) for x in load_before],
                    "load_after": [round(x, 2) for x in os.getloadavg()],
                    "platform": platform.platform()},
        "versions": versions(),
        "summary": summary,
        "ratios": ratios(summary) if "project" in summary else {},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    print(report(result))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
