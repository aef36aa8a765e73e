"""Command line: ``sna ingest``, ``national``, ``report``, ``check``, ``demo-data``, ``fetch``.

Every failure prints one line saying what went wrong and how to fix it, and
exits non-zero; no Python traceback reaches the user.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sna.errors import SnaInputError
from sna.paths import repo_root
from sna.wording import count_noun, format_count

__all__ = [
    "build_parser",
    "main",
]


def _ingest(args: argparse.Namespace) -> int:
    from sna.io.cache import check_folder_name, ingest_to_cache
    from sna.periods import month_runs

    name = check_folder_name(args.name if args.name is not None
                             else Path(args.source[0]).resolve().name.split(".")[0])
    months = tuple(args.months) if args.months else None
    accounted, worked = ingest_to_cache(args.source, name, forces=args.force or None,
                                        months=months, out_dir=args.out, progress=True,
                                        duplicates="dedupe" if args.dedupe else "error")
    where = Path(args.out or repo_root() / "data" / "processed") / name
    if accounted.notes.get("cache_rebuilt"):
        print(accounted.notes["cache_rebuilt"])
    for choice in accounted.notes.get("duplicates_dropped", []):
        print(f"identical copy read once: kept {choice['kept']}, skipped {choice['dropped']}")
    state = "ingested" if worked else "unchanged inputs, cache reused"
    print(f"{name}: {state} -> {where}")
    print(accounted.summary().to_string(index=False))
    missing = month_runs(accounted.notes.get("missing_months", []), fmt="%Y-%m")
    if missing:
        print("months with no data (not zero): " + ", ".join(missing))
    return 0


def _national(args: argparse.Namespace) -> int:
    from sna.io.national_counts import build_national_counts

    summary = build_national_counts(args.source, args.out, forces=args.forces or None,
                                    months=tuple(args.months) if args.months else None,
                                    dataset=args.dataset, progress=True)
    print(f"national aggregate written to {args.out}: {format_count(summary['offences'])} "
          "offences in "
          f"{format_count(summary['rows'])} rows from {summary['force_months']} force-months "
          f"({format_count(summary['rows_in'])} rows in, "
          f"{format_count(summary['rows_quarantined'])} quarantined)")
    if summary["no_data"]:
        print(f"{len(summary['no_data'])} force-months with no file (no data, not zero): "
              + ", ".join(f"{force} {month}" for force, month in summary["no_data"][:10])
              + (" ..." if len(summary["no_data"]) > 10 else ""))
    for source, reasons in summary["quarantined_other"].items():
        print(f"{source}: rows not counted: "
              + "; ".join(f"{n} {reason}" for reason, n in reasons.items()))
    return 0


def _report(args: argparse.Namespace) -> int:
    from sna.reports import ReportFailed, run_all, run_report

    try:
        if args.all:
            summary = run_all(Path(args.params_dir), Path(args.notebooks_dir),
                              reports_root=args.reports_dir, execution_timeout=args.timeout)
            for result in summary.succeeded:
                print(f"report written: {result.html}")
            for params_file, error in summary.failed:
                print(f"{params_file}: {error}", file=sys.stderr)
            stopped = [e for _, e in summary.failed if hasattr(e, "exit_code")]
            return stopped[0].exit_code if stopped else summary.exit_code
        if not args.name or not args.params:
            raise SnaInputError("give a report name and --params, or --all",
                                fix="e.g. sna report svd_sna --params "
                                    "params/svd_sna_<area>_<year>.yaml")
        from sna.io.cache import check_folder_name

        check_folder_name(args.name, what="report name")
        notebook = Path(args.notebooks_dir) / f"{args.name}.ipynb"
        if not notebook.exists():
            known = sorted(p.stem for p in Path(args.notebooks_dir).glob("*.ipynb"))
            raise SnaInputError(f"no notebook named '{args.name}'", file=str(notebook),
                                fix="use one of: " + ", ".join(known))
        result = run_report(notebook, Path(args.params), reports_root=args.reports_dir,
                            execution_timeout=args.timeout)
        print(f"report written: {result.html}")
        return 0
    except ReportFailed as err:
        print(str(err), file=sys.stderr)
        return getattr(err, "exit_code", 1)


def _demo_data(args: argparse.Namespace) -> int:
    from sna.io.synthetic import write_area_extract, write_demo_extract

    if args.area:
        path = write_area_extract(args.area, out_dir=Path(args.out), start=args.start, end=args.end,
                                  seed=args.seed)
    else:
        path = write_demo_extract(path=Path(args.out) / _default_demo_name(), seed=args.seed)
    print(f"SYNTHETIC demo extract written (not real data): {path}")
    return 0


def _default_demo_name() -> str:
    from sna.io.synthetic import DEMO_FILE_NAME

    return DEMO_FILE_NAME


def _check(args: argparse.Namespace) -> int:
    from sna.reports.preflight import MISSING, WARNING, check_params_file

    report, findings = check_params_file(args.params)
    print(f"{args.params}: {report}")
    for finding in findings:
        print("  " + finding.line())
    warnings = sum(f.status in (WARNING, MISSING) for f in findings)
    missing = [f.input for f in findings if f.status == MISSING]
    blocking = [f.input for f in findings if f.blocks]
    outcome = (f"The report cannot run without: {', '.join(blocking)}." if blocking else
               "The report renders; affected sections say 'Not available' and why.")
    print(f"{count_noun(warnings, 'warnings')}"
          + (f"; missing: {', '.join(missing)}" if missing else "") + f". {outcome}")
    return 1 if blocking else 0


def _fetch(args: argparse.Namespace) -> int:
    from sna.io.partner.fingertips import fetch_fingertips

    path = fetch_fingertips(args.indicator, area_type_id=args.area_type, out_dir=args.out)
    print(f"Fingertips indicators {', '.join(map(str, args.indicator))} cached: {path}")
    print("name it in the params file (partner_files) to use it in a report")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Build the ``sna`` argument parser.

    Returns
    -------
    argparse.ArgumentParser
        With one subcommand per ``sna`` command.
    """
    parser = argparse.ArgumentParser(prog="sna", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="validate police.uk files and cache them as Parquet")
    ingest.add_argument("source", nargs="+", help="street CSV files, folders of months, or zips")
    ingest.add_argument("--name", help="cache name (default: the first source's name)")
    ingest.add_argument("--force", action="append",
                        help="force name as in 'Falls within' (repeat for several)")
    ingest.add_argument("--months", nargs=2, metavar=("FIRST", "LAST"),
                        help="expected months YYYY-MM YYYY-MM, to report missing ones")
    ingest.add_argument("--out", help="output folder (default data/processed)")
    ingest.add_argument("--dedupe", action="store_true",
                        help="read identical copies of a force-month once (default: an error)")
    ingest.set_defaults(func=_ingest)

    national = sub.add_parser("national", help="build the national police.uk aggregate (force, "
                              "month, LSOA, crime type) and its coverage from street files")
    national.add_argument("source", nargs="+", help="street CSV files, folders of months, or zips")
    national.add_argument("--out", required=True,
                          help="folder for counts_lsoa_month_type.parquet and coverage.csv.gz")
    national.add_argument("--forces", nargs="+", metavar="SLUG",
                          help="forces the coverage lists, as in file names (e.g. cumbria); "
                               "default: the forces with files")
    national.add_argument("--months", nargs=2, metavar=("FIRST", "LAST"),
                          help="months the coverage lists, YYYY-MM YYYY-MM")
    national.add_argument("--dataset", help="also keep the Parquet dataset of every row here")
    national.set_defaults(func=_national)

    report = sub.add_parser("report", help="run a report notebook with a params file")
    report.add_argument("name", nargs="?", help="notebook name, e.g. svd_sna")
    report.add_argument("--params", help="params YAML file")
    report.add_argument("--all", action="store_true", help="run every params/*.yaml")
    report.add_argument("--params-dir", default=str(repo_root() / "params"))
    report.add_argument("--notebooks-dir", default=str(repo_root() / "notebooks"))
    report.add_argument("--reports-dir", default=None, help="output folder (default reports/)")
    report.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    report.set_defaults(func=_report)

    demo = sub.add_parser("demo-data", help="generate a SYNTHETIC demo force extract")
    demo.add_argument("--area", nargs="+", metavar="CODE",
                      help="council, CSP or police force area codes (default: the shipped "
                           "demo's calibration area)")
    demo.add_argument("--start", default="2024-01", help="first month (with --area)")
    demo.add_argument("--end", default="2025-12", help="last month (with --area)")
    demo.add_argument("--out", default=str(repo_root() / "data" / "raw" / "shipped" / "synthetic"))
    demo.add_argument("--seed", type=int, default=20261123)
    demo.set_defaults(func=_demo_data)

    check = sub.add_parser("check", help="preflight: which inputs cover the area and which "
                                         "sections will be skipped or degraded (exit code 1 "
                                         "when the report cannot run)")
    check.add_argument("params", help="params YAML file")
    check.set_defaults(func=_check)

    fetch = sub.add_parser("fetch", help="download published partner data once, for offline use")
    fetch.add_argument("source", choices=["fingertips"], help="where from")
    fetch.add_argument("--indicator", type=int, action="append", required=True,
                       help="Fingertips indicator ID (repeat for several), e.g. 11201")
    fetch.add_argument("--area-type", type=int, default=502,
                       help="Fingertips area type (default 502: counties and UAs from 2023)")
    fetch.add_argument("--out", default=None, help="cache folder (default data/raw/fingertips)")
    fetch.set_defaults(func=_fetch)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``sna`` command line; return the exit code.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: the command line).

    Returns
    -------
    int
        The exit code: 0 on success, 2 for bad input; ``check`` gives 1 when the report
        cannot run (an input it cannot do without is missing).
    """
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except SnaInputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # read-only output, disk full: one line, never a traceback
        from sna.io.cache import output_error

        print(f"error: {output_error(err, Path(err.filename or '.'))}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
