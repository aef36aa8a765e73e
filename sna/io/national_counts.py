"""The shipped national police.uk aggregate (2025) and its coverage.

``data/raw/shipped/national/police_uk_2025/`` holds real police.uk street-level crime
for 2025, aggregated for every territorial force the public source held: offences by
force, month, LSOA 2021 and crime type (a Crime ID counted once a month), and one
coverage row per force-month file. Force-months the source lacks are **no data**,
never zero: :func:`force_months` says which months each force has.

:func:`build_national_counts` builds the same two files from police.uk's monthly
street files with the project's own national ingest (every check, the row
accounting and the quarantine), so the aggregate can be rebuilt and extended.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd

from sna.errors import SnaInputError
from sna.io.ingest import STREET_FILE
from sna.paths import raw_dir

__all__ = [
    "aggregate_dataset",
    "build_national_counts",
    "coverage",
    "force_months",
    "national_counts",
    "national_dir",
]

COUNTS_FILE = "counts_lsoa_month_type.parquet"
COVERAGE_FILE = "coverage.csv.gz"
SOURCE = ("police.uk street-level crime 2025 (Home Office, OGL v3.0), national aggregate "
          "of every force the public source holds")


def national_dir(*, folder: str | Path | None = None) -> Path:
    """Folder of the national aggregate (default: the shipped copy).

    Parameters
    ----------
    folder : str or Path, optional
        A folder to use instead of the shipped ``national/police_uk_2025``.

    Returns
    -------
    Path
        ``folder``, or the shipped aggregate's folder when None.
    """
    return Path(folder) if folder else raw_dir() / "shipped" / "national" / "police_uk_2025"


@cache
def _counts(path: str) -> pd.DataFrame:
    return pd.read_parquet(path)


def national_counts(*, folder: str | Path | None = None) -> pd.DataFrame:
    """Offences by ``force, month, lsoa21_code, crime_type`` (police.uk, 2025).

    Parameters
    ----------
    folder : str or Path, optional
        The aggregate's folder (the shipped copy when None).

    Returns
    -------
    pandas.DataFrame
        ``force, month, lsoa21_code, crime_type, offences``, one row per combination
        with offences.

    Examples
    --------
    >>> counts = national_counts()
    >>> int(counts["offences"].sum())
    3868905
    """
    path = national_dir(folder=folder) / COUNTS_FILE
    if not path.exists():
        raise SnaInputError("the national police.uk aggregate is missing", file=str(path),
                            fix="restore data/raw/shipped/national from git")
    return _counts(str(path))


def coverage(*, folder: str | Path | None = None) -> pd.DataFrame:
    """One row per force-month file listed by the source; ``rows_in`` is missing when absent.

    Parameters
    ----------
    folder : str or Path, optional
        The aggregate's folder (the shipped copy when None).

    Returns
    -------
    pandas.DataFrame
        ``force, month, file, rows_in, repeat_crime_id_rows, bytes, sha256``.

    Examples
    --------
    >>> cov = coverage()
    >>> int(cov["rows_in"].isna().sum())
    43
    """
    path = national_dir(folder=folder) / COVERAGE_FILE
    if not path.exists():
        raise SnaInputError("the national coverage file is missing", file=str(path),
                            fix="restore data/raw/shipped/national from git")
    return pd.read_csv(path, dtype={"force": str, "month": str})


def force_months(*, folder: str | Path | None = None) -> dict[str, list[str]]:
    """Months with data for each force in the aggregate (forces with none map to ``[]``).

    Parameters
    ----------
    folder : str or Path, optional
        The aggregate's folder (the shipped copy when None).

    Returns
    -------
    dict of str to list of str
        police.uk force slug -> its months with data (``"YYYY-MM"``, sorted).

    Examples
    --------
    >>> months = force_months()
    >>> len(months["cumbria"]), months["west-yorkshire"]
    (12, [])
    """
    cov = coverage(folder=folder)
    have = cov[cov["rows_in"].notna()]
    out = {force: [] for force in sorted(cov["force"].unique())}
    for force, group in have.groupby("force"):
        out[force] = sorted(group["month"].tolist())
    return out


# ---------------------------------------------------------------- building it from police.uk files


def _file_identity(entry: dict) -> tuple[str, str, str]:
    """``(force slug, month, CSV file name)`` of a manifest entry, from its file name."""
    base = entry["source"].split(":")[-1].rsplit("/", 1)[-1]
    match = STREET_FILE.search(base)
    if match is None:
        raise SnaInputError("the file name does not say its force and month "
                            "(YYYY-MM-<force>-street.csv)", file=entry["source"],
                            fix="keep police.uk's file names")
    return match["force"], match["month"], base.removesuffix(".gz")


def aggregate_dataset(dataset: str | Path, out_dir: str | Path, *,
                      forces: Iterable[str] | None = None,
                      months: tuple[str, str] | None = None) -> dict:
    """Write the national aggregate and its coverage from a police.uk Parquet dataset.

    The layout is that of the shipped aggregate (:func:`national_counts`,
    :func:`coverage`): ``counts_lsoa_month_type.parquet`` with offences by
    ``force`` (the file name's force, e.g. ``north-yorkshire``), ``month``
    (``YYYY-MM``), ``lsoa21_code`` (null where the row has no LSOA) and
    ``crime_type``, sorted by those; and ``coverage.csv.gz`` with one row per
    force-month: ``file, rows_in, repeat_crime_id_rows, bytes, sha256``, blank
    where no file was read (**no data**, never zero). Offences are the
    dataset's clean rows: each Crime ID counted once a month (the first row),
    anti-social behaviour rows (no Crime ID) one each; rows quarantined for
    another reason are not counted and are listed in the returned summary.

    Parameters
    ----------
    dataset : str or Path
        A folder written by :func:`sna.io.national.ingest_to_parquet_dataset`
        with ``file_hashes=True``.
    out_dir : str or Path
        Folder for the two files (created; the files are replaced only once
        both are written).
    forces : iterable of str, optional
        Force slugs the source lists (coverage rows for each, with or without
        a file); by default the forces with files.
    months : (str, str), optional
        First and last month of the coverage grid; by default the months read.

    Returns
    -------
    dict
        ``rows``, ``offences``, ``force_months`` (with a file), ``no_data``
        (force-months without), ``quarantined_other`` (file: rows by reason,
        repeats aside).

    Raises
    ------
    SnaInputError
        A dataset without file hashes, a file name without force and month.

    Examples
    --------
    >>> import tempfile
    >>> from sna.io.national import ingest_to_parquet_dataset
    >>> from sna.paths import raw_dir
    >>> tmp = Path(tempfile.mkdtemp())
    >>> files = sorted((raw_dir() / "shipped/police_uk/cumbria").glob("2025-0[1-2]*"))
    >>> _ = ingest_to_parquet_dataset(files, tmp / "ds", file_hashes=True)
    >>> summary = aggregate_dataset(tmp / "ds", tmp / "agg", forces=["cumbria", "durham"])
    >>> summary["force_months"], summary["no_data"]
    (2, [['durham', '2025-01'], ['durham', '2025-02']])
    """
    import gzip
    import io
    import os

    import pyarrow as pa
    import pyarrow.parquet as pq

    from sna.io.ingest import REASON_REPEAT, check_month_range
    from sna.io.national import counts_by, read_manifest

    check_month_range(months)
    manifest = read_manifest(dataset)
    by_file, files = {}, {}
    for entry in manifest["files"]:
        if "csv_sha256" not in entry:
            raise SnaInputError("the dataset does not record its files' SHA-256",
                                file=str(dataset),
                                fix="ingest again with ingest_to_parquet_dataset(..., "
                                    "file_hashes=True), or use build_national_counts")
        force, month, name = _file_identity(entry)
        by_file[entry["source"]] = force
        files[force, month] = (name, entry)
    counts = counts_by(dataset, by=["source_file", "month", "lsoa_code", "crime_type"]) \
        if manifest["rows_clean"] else pd.DataFrame(
            columns=["source_file", "month", "lsoa_code", "crime_type", "count"])
    table = pd.DataFrame({
        "force": counts["source_file"].astype(str).map(by_file),
        "month": counts["month"].astype(str),
        "lsoa21_code": counts["lsoa_code"].astype(object).where(counts["lsoa_code"].notna(),
                                                                 None),
        "crime_type": counts["crime_type"].astype(str),
        "offences": counts["count"].astype("int32"),
    }).sort_values(["force", "month", "lsoa21_code", "crime_type"], na_position="last",
                   kind="stable")
    schema = pa.schema([pa.field("force", pa.string(), nullable=False),
                        pa.field("month", pa.string(), nullable=False),
                        pa.field("lsoa21_code", pa.string()),
                        pa.field("crime_type", pa.string(), nullable=False),
                        pa.field("offences", pa.int32())])
    arrow = pa.Table.from_pandas(table, schema=schema, preserve_index=False)
    arrow = arrow.replace_schema_metadata(None)

    listed = sorted(set(forces) if forces is not None else {f for f, _ in files})
    present = sorted({m for _, m in files})
    first, last = months if months is not None else (present[0], present[-1]) \
        if present else (None, None)
    grid = pd.period_range(first, last, freq="M").astype(str).tolist() if first else []
    rows, no_data, other = [], [], {}
    for month in grid:
        for force in listed:
            name, entry = files.get((force, month), (f"{month}-{force}-street.csv", None))
            if entry is None:
                no_data.append([force, month])
                rows.append([force, month, name, None, None, None, None])
                continue
            reasons = dict(entry["quarantine_reasons"])
            repeats = reasons.pop(REASON_REPEAT, 0)
            if reasons:
                other[entry["source"]] = reasons
            rows.append([force, month, name, entry["rows_in"], repeats, entry["csv_bytes"],
                         entry["csv_sha256"]])
    cover = pd.DataFrame(rows, columns=["force", "month", "file", "rows_in",
                                        "repeat_crime_id_rows", "bytes", "sha256"])
    for col in ("rows_in", "repeat_crime_id_rows", "bytes"):
        cover[col] = cover[col].astype("Int64")

    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    staged = {COUNTS_FILE: target / f".{COUNTS_FILE}.part", COVERAGE_FILE: target /
              f".{COVERAGE_FILE}.part"}
    try:
        pq.write_table(arrow, staged[COUNTS_FILE], compression="zstd")
        text = io.BytesIO()
        with gzip.GzipFile(fileobj=text, mode="wb", mtime=0) as handle:
            handle.write(cover.to_csv(index=False, lineterminator="\n").encode())
        staged[COVERAGE_FILE].write_bytes(text.getvalue())
        for name, path in staged.items():
            os.replace(path, target / name)
    finally:
        for path in staged.values():
            path.unlink(missing_ok=True)
    _counts.cache_clear()
    return {"rows": arrow.num_rows, "offences": int(table["offences"].sum()),
            "force_months": len(files), "no_data": no_data, "quarantined_other": other}


def build_national_counts(source: str | Path | Iterable[str | Path], out_dir: str | Path, *,
                          forces: Iterable[str] | None = None,
                          months: tuple[str, str] | None = None,
                          dataset: str | Path | None = None, workers: int | None = None,
                          progress: bool = False) -> dict:
    """Build the national police.uk aggregate from street files, in the shipped layout.

    Runs the national ingest (:func:`sna.io.national.ingest_to_parquet_dataset`:
    every check, row accounting and quarantine, each file's SHA-256) and then
    :func:`aggregate_dataset`. This is how ``data/raw/shipped/national/
    police_uk_2025`` can be rebuilt from police.uk's monthly files.

    Parameters
    ----------
    source : path or iterable of paths
        police.uk street files, folders of months or zip archives (any forces).
    out_dir : str or Path
        Folder for ``counts_lsoa_month_type.parquet`` and ``coverage.csv.gz``.
    forces, months
        As :func:`aggregate_dataset` (the forces and months the coverage lists).
    dataset : str or Path, optional
        Where to keep the Parquet dataset of every row (default: a temporary
        folder, removed afterwards).
    workers : int, optional
        Threads for the ingest (default: one per core).
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    dict
        The summary of :func:`aggregate_dataset`, with ``rows_in`` and
        ``rows_quarantined`` of the ingest.

    Examples
    --------
    >>> import tempfile
    >>> from sna.paths import raw_dir
    >>> tmp = Path(tempfile.mkdtemp())
    >>> files = sorted((raw_dir() / "shipped/police_uk/cumbria").glob("2025-01*"))
    >>> build_national_counts(files, tmp)["offences"] == int(
    ...     national_counts()[lambda d: (d.force == "cumbria") & (d.month == "2025-01")]
    ...     ["offences"].sum())
    True
    """
    import shutil
    import tempfile

    from sna.io.national import ingest_to_parquet_dataset

    temporary = None
    if dataset is None:
        temporary = tempfile.mkdtemp(prefix="sna-national-")
        dataset = Path(temporary) / "dataset"
    try:
        manifest = ingest_to_parquet_dataset(source, dataset, months=months, workers=workers,
                                             progress=progress, repeat_ids=False,
                                             file_hashes=True)
        summary = aggregate_dataset(dataset, out_dir, forces=forces, months=months)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    return {**summary, "rows_in": manifest["rows_in"],
            "rows_quarantined": manifest["rows_quarantined"]}
