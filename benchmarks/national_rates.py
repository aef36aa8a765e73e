"""Time national analyses from the Parquet dataset: every CSP's rates and similar areas.

Two tasks, each in a fresh Python process (imports included), median of ``--repeats``,
with the peak resident memory of the process (``ru_maxrss``: DuckDB's threads and
buffers are in the same process):

* ``one_year`` -- "all CSPs' rates with intervals and similar-area benchmarks for one
  year": offences by LSOA over the year (:func:`sna.io.national.counts_by`, DuckDB over
  the Parquet parts), summed to each of the 301 Community Safety Partnerships and 318
  councils of England and Wales, rates per 1,000 Census 2021 residents with exact/Byars
  intervals (:func:`sna.stats.rates.rate_ci`); each CSP's ten most similar councils
  (:func:`sna.stats.similar_areas.profile_units` and ``nearest_units``: the method of
  ``similar_areas``, all CSPs and councils profiled at once) and
  each similar council's rate compared with the CSP's
  (:func:`sna.stats.rates.compare_to_benchmark`).
* ``ten_years`` -- the same for each of ten national years (60 million rows): the
  similar councils are found once (they do not depend on the year), the counts and
  rates ten times.

The data: police.uk street files of a generated national year
(``benchmarks/generate_national.py``) ingested by the project
(:func:`sna.io.national.ingest_to_parquet_dataset`, not timed here). The generator
resamples three real forces' rows, so its LSOA codes are those three forces'; to give
every CSP offences, ``--prepare`` rewrites the clean rows with each (force, LSOA) pair
moved to an LSOA of that force's own area (a fixed pseudo-random mapping), and writes
ten years by repeating the year with the months moved on a year at a time. Crime IDs,
text and coordinates are kept, so the files are as wide as real ones.

Usage::

    .venv/bin/python benchmarks/generate_national.py --scale 1.0 --out /dev/shm/nat
    .venv/bin/python benchmarks/national_rates.py --prepare /dev/shm/nat --work /dev/shm/rates
    .venv/bin/python benchmarks/national_rates.py --work /dev/shm/rates --repeats 3

Results are printed and written to ``benchmarks/out/national_rates.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
TASKS = ("one_year", "ten_years")
FIRST_YEAR = 2025
YEARS = 10
PER_1000 = 1000


# ---------------------------------------------------------------- preparing the datasets


def prepare(data: Path, work: Path) -> None:
    """Ingest ``data`` with the project, then write the one-year and ten-year datasets."""
    import duckdb
    import numpy as np
    import pandas as pd

    from sna.io.geography import lsoa21_lookup
    from sna.io.national import ingest_to_parquet_dataset, pfa_of_force

    started = time.perf_counter()
    ingested = work / "ingested"
    manifest = ingest_to_parquet_dataset(data, ingested)
    print(f"ingested {manifest['rows_in']:,} rows in {time.perf_counter() - started:.1f} s")
    glob = str(ingested / "clean" / "*.parquet")
    with duckdb.connect() as con:
        pairs = con.sql(f"SELECT DISTINCT force, lsoa_code FROM read_parquet('{glob}') "
                        "WHERE lsoa_code IS NOT NULL").df()
        lookup = lsoa21_lookup()
        by_pfa = {name: np.sort(group["lsoa21_code"].to_numpy())
                  for name, group in lookup.groupby("pfa24_name")}
        rng = np.random.default_rng(20261129)
        moved = []
        for force, group in pairs.groupby("force"):
            targets = by_pfa[pfa_of_force(str(force))]
            moved.append(group.assign(new_lsoa=targets[rng.integers(0, len(targets),
                                                                    len(group))]))
        mapping = pd.concat(moved, ignore_index=True)
        con.register("mapping", mapping)
        for name, years in (("one_year", 1), ("ten_years", YEARS)):
            folder = work / name / "clean"
            folder.mkdir(parents=True, exist_ok=True)
            for shift in range(years):
                con.sql(f"""
                    COPY (SELECT c.* REPLACE (
                              c.month + INTERVAL ({shift}) YEAR AS month,
                              coalesce(m.new_lsoa, c.lsoa_code) AS lsoa_code)
                          FROM read_parquet('{glob}') c
                          LEFT JOIN mapping m ON c.force = m.force AND c.lsoa_code = m.lsoa_code
                          ORDER BY c.month)
                    TO '{folder / f"part-{shift:05d}.parquet"}'
                    (FORMAT parquet, ROW_GROUP_SIZE 100000)""")
    print(f"prepared {work} in {time.perf_counter() - started:.1f} s")


# ---------------------------------------------------------------- the tasks (child side)


def _areas():
    """LSOAs with their council, CSP and residents; CSP and council profiles.

    Both profiles come from one read of the LSOA boundaries (for land areas):
    ``profile_units`` by council is what ``council_profiles`` computes.
    """
    from sna.io.geography import lsoa21_lookup, lsoa_area_km2, lsoa_profile
    from sna.stats.similar_areas import profile_units

    lookup = lsoa21_lookup()[["lsoa21_code", "ltla24_code", "csp24_code"]]
    profile = lsoa_profile(lookup).merge(lsoa_area_km2(), on="lsoa21_code", how="left")
    csps = profile_units(profile.rename(columns={"csp24_code": "unit"}))
    councils = profile_units(profile.rename(columns={"ltla24_code": "unit"}))
    return profile, csps, councils


def _similar_councils(profile, csps, councils, k: int = 10):
    """Each CSP's ``k`` nearest councils, as :func:`sna.stats.similar_areas.similar_areas`."""
    import pandas as pd

    from sna.stats.similar_areas import FEATURES, nearest_units

    own = profile.groupby("csp24_code")["ltla24_code"].unique()
    english = councils[councils["imd_score"].notna()]
    rows = []
    for csp, target in csps.iterrows():
        welsh = pd.isna(target["imd_score"])
        features = [f for f in FEATURES if f != "imd_score"] if welsh else list(FEATURES)
        pool = (councils if welsh else english).drop(index=own[csp], errors="ignore")
        near = nearest_units(target, pool, k=k, features=features)
        rows.append(pd.DataFrame({"csp24_code": csp, "ltla24_code": near.index,
                                  "rank": near["rank"].to_numpy()}))
    return pd.concat(rows, ignore_index=True)


def _rates_for(dataset: Path, months: tuple[str, str], profile, similar):
    """CSP and council rates with intervals, and each similar council against its CSP."""
    import pandas as pd

    from sna.io.national import counts_by
    from sna.stats.rates import compare_to_benchmark, rate_ci

    counts = counts_by(dataset, by="lsoa_code", months=months)
    by_lsoa = profile[["lsoa21_code", "ltla24_code", "csp24_code", "usual_residents"]].merge(
        counts.rename(columns={"lsoa_code": "lsoa21_code"}), on="lsoa21_code", how="left")
    by_lsoa["count"] = by_lsoa["count"].fillna(0)
    out = {}
    for unit in ("csp24_code", "ltla24_code"):
        sums = by_lsoa.groupby(unit)[["count", "usual_residents"]].sum()
        ci = rate_ci(sums["count"], sums["usual_residents"], multiplier=PER_1000)
        out[unit] = ci.set_index(sums.index)
    csp, council = out["csp24_code"], out["ltla24_code"]
    pairs = similar.join(council[["value", "lower", "upper"]], on="ltla24_code").join(
        csp["value"].rename("csp_value"), on="csp24_code")
    compared = compare_to_benchmark(pairs["value"], pairs["lower"], pairs["upper"],
                                    pairs["csp_value"])
    pairs["comparison"] = compared["comparison"].to_numpy()
    return pd.Series({"csps": len(csp), "councils": len(council),
                      "offences": int(by_lsoa["count"].sum()),
                      "similar_pairs": len(pairs),
                      "higher": int((pairs["comparison"] == "higher").sum())})


def run_task(name: str, work: Path) -> dict:
    """Run one task; return what it found (to check the work was done)."""
    profile, csps, councils = _areas()
    similar = _similar_councils(profile, csps, councils)
    years = 1 if name == "one_year" else YEARS
    found = [_rates_for(work / name, (f"{FIRST_YEAR + y}-01", f"{FIRST_YEAR + y}-12"),
                        profile, similar) for y in range(years)]
    return {"years": years, "csps": int(found[0]["csps"]),
            "similar_pairs": int(found[0]["similar_pairs"]),
            "offences": sum(int(f["offences"]) for f in found)}


def child(name: str, work: Path) -> None:
    import resource

    started = time.perf_counter()
    found = run_task(name, work)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"work_seconds": time.perf_counter() - started, "found": found,
                      "cpu_seconds": usage.ru_utime + usage.ru_stime,
                      "ru_maxrss_mib": usage.ru_maxrss / 1024}))


# ---------------------------------------------------------------- measuring (parent side)


def measure(name: str, work: Path) -> dict:
    command = [sys.executable, __file__, "--child", name, "--work", str(work)]
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{proc.stderr}")
    inner = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"process_seconds": round(seconds, 3), "work_seconds": round(inner["work_seconds"], 3),
            "cpu_seconds": round(inner["cpu_seconds"], 3),
            "peak_rss_mib": round(inner["ru_maxrss_mib"], 1), "found": inner["found"]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True,
                        help="folder of the prepared datasets (one_year/, ten_years/)")
    parser.add_argument("--prepare", type=Path, metavar="DATA",
                        help="ingest this folder of street files into --work, then stop")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=TASKS, default=list(TASKS))
    parser.add_argument("--out", type=Path, default=OUT / "national_rates.json")
    parser.add_argument("--child", choices=TASKS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.work.resolve())
        return
    if args.prepare is not None:
        prepare(args.prepare.resolve(), args.work.resolve())
        # Time in a separate run: children forked from this process (which held the prepared
        # data) would report its peak memory as theirs (ru_maxrss carries over the fork).
        print("now time the tasks: the same command without --prepare")
        return
    if args.repeats < 1:
        return
    load_before = os.getloadavg()
    runs: dict[str, list[dict]] = {name: [] for name in args.only}
    for repeat in range(args.repeats):
        for name in args.only:
            result = measure(name, args.work.resolve())
            runs[name].append(result)
            print(f"repeat {repeat + 1} {name:<10} {result['process_seconds']:6.2f} s "
                  f"{result['cpu_seconds']:6.1f} CPU s {result['peak_rss_mib']:7.0f} MiB "
                  f"load {os.getloadavg()[0]:.2f}",
                  flush=True)
    summary = {name: {"process_seconds_median": statistics.median(
                          r["process_seconds"] for r in results),
                      "work_seconds_median": statistics.median(r["work_seconds"] for r in results),
                      "cpu_seconds_median": statistics.median(r["cpu_seconds"] for r in results),
                      "peak_rss_mib_median": statistics.median(r["peak_rss_mib"] for r in results),
                      "found": results[0]["found"], "runs": results}
               for name, results in runs.items()}
    result = {"command": " ".join(["benchmarks/national_rates.py",
                                   *(argv if argv is not None else sys.argv[1:])]),
              "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                          "load_before": [round(x, 2) for x in load_before],
                          "load_after": [round(x, 2) for x in os.getloadavg()]},
              "summary": summary,
              "under_10_s": {n: s["process_seconds_median"] < 10 for n, s in summary.items()}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    for name, s in summary.items():
        print(f"{name:<10} {s['process_seconds_median']:6.2f} s "
              f"(work {s['work_seconds_median']:.2f} s, CPU {s['cpu_seconds_median']:.1f} s), "
              f"peak {s['peak_rss_mib_median']:,.0f} MiB: {s['found']}")
    print(f"load {result['machine']['load_before']} before, {result['machine']['load_after']} "
          f"after; written to {args.out}")


if __name__ == "__main__":
    main()
