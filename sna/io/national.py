"""National-scale police.uk data: a Parquet dataset on disk, aggregated by DuckDB.

A force's year of police.uk data (~60k rows) fits easily in pandas; all 43
forces of England and Wales publish ~6 million rows a year, ~60 million over
ten years. For that scale:

* :func:`ingest_to_parquet_dataset` validates every street file with the same
  rules and row accounting as :func:`sna.io.ingest.read_police_uk`, in batches
  on a thread pool (:mod:`sna.io.batches`), and streams each file's clean and
  quarantined rows into Parquet as soon as it is checked (memory stays bounded
  by a few files and one row group a worker), with a ``manifest.json`` of
  rows in / clean / quarantined by reason, per file and in total, and the notes.
* :func:`counts_by` aggregates the clean rows with
  DuckDB (embedded, multi-threaded, out-of-core), so an analysis reads only
  the columns it needs and only the small aggregate reaches pandas.

Layout of a dataset folder::

    <out_dir>/manifest.json                 totals, notes, and one entry per street file
    <out_dir>/clean/part-NNNNN.parquet      clean rows (one part a batch of files)
    <out_dir>/quarantine/part-NNNNN.parquet quarantined rows, with source_file/_row

The clean rows hold the typed columns of :func:`sna.io.ingest.typed_street_arrow`
(``month`` as a timestamp, the first of the month; text as plain strings,
missing text as null) with ``source_file`` and ``source_row`` pointing back to
the CSV line; files are written in name order (month first), so row groups
hold one or two months and month filters skip the rest.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from sna import __version__
from sna.errors import SnaInputError
from sna.io import batches as _batches
from sna.io.batches import batch_size, input_bytes, plan_batches, run_batches
from sna.io.cache import (
    MANIFEST,
    clean_staging_leftovers,
    load_manifest,
    make_staging,
    move_into_place,
    record_problem,
)
from sna.io.ingest import MONTH_PATTERN, check_force, find_street_files

__all__ = [
    "counts_by", "dataset_notes", "dataset_problem", "duckdb_connection",
    "ingest_to_parquet_dataset", "parquet_glob", "pfa_of_force", "pfa_population", "read_manifest",
]
COMPRESSIONS = ("snappy", "zstd", "lz4", "gzip", "brotli", "none")
DATASET_FORMAT = "sna police.uk parquet dataset 1"
# Columns an aggregate can be grouped or filtered by.
GROUP_COLUMNS = ("force", "reported_by", "month", "crime_type", "lsoa_code", "lsoa_name",
                 "last_outcome", "located", "source_file")
# police.uk "Falls within" names whose police force area (ONS PFA) name is not the
# force name without " Police", " Constabulary" or " Police Service".
# DuckDB's memory for an aggregation pass; it spills to disk beyond this. Measured on
# 18M rows: the cross-month Crime ID pass took 2.5 s and 1.0 GiB unlimited, 2.1 s and
# 0.4 GiB (process) at 256 MB.
DUCKDB_MEMORY_LIMIT = "256MB"
_PFA_OF_FORCE = {"Metropolitan Police Service": "Metropolitan Police",
                 "City of London Police": "London, City of"}


# ---------------------------------------------------------------- ingest to a dataset


def _expected_months(present: Iterable[str], months: tuple[str, str] | None) -> list[str]:
    present = sorted(set(present))
    if months is None and not present:
        return []
    first, last = months if months is not None else (present[0], present[-1])
    return pd.period_range(first, last, freq="M").astype(str).tolist()


def dataset_notes(entries: list[dict], months: tuple[str, str] | None) -> dict:
    """Months covered and months with no data, overall and by force.

    Parameters
    ----------
    entries : list of dict
        Per-file manifest entries (``clean_by_force_month``, ``source``).
    months : (str, str), optional
        First and last month expected; by default the range of the data.

    Returns
    -------
    dict
        ``months``, ``missing_months`` (as :func:`sna.io.ingest.month_notes`),
        ``missing_months_by_force`` (forces with gaps only) and ``files``.

    Examples
    --------
    >>> entries = [{"source": "a", "clean_by_force_month": [["A", "2024-01", 5]]},
    ...            {"source": "b", "clean_by_force_month": [["B", "2024-03", 2]]}]
    >>> notes = dataset_notes(entries, None)
    >>> notes["missing_months"], notes["missing_months_by_force"]
    (['2024-02'], {'A': ['2024-02', '2024-03'], 'B': ['2024-01', '2024-02']})
    """
    pairs = {(force, month) for e in entries for force, month, _ in e["clean_by_force_month"]}
    present = sorted({month for _, month in pairs})
    expected = _expected_months(present, months)
    by_force = {}
    for force in sorted({force for force, _ in pairs}):
        gaps = [m for m in expected if (force, m) not in pairs]
        if gaps:
            by_force[force] = gaps
    return {
        "months": present,
        "missing_months": [m for m in expected if m not in present],
        "missing_months_by_force": by_force,
        "files": [e["source"] for e in entries],
    }


def duckdb_connection(spill_dir: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection that keeps to :data:`DUCKDB_MEMORY_LIMIT`.

    Past the limit DuckDB spills to ``spill_dir`` (created only if needed), so
    a pass over ten years of national data keeps the memory of one.

    Parameters
    ----------
    spill_dir : str or Path
        Folder DuckDB spills to when over its memory limit.

    Returns
    -------
    duckdb.DuckDBPyConnection
        The connection (insertion order not preserved).

    Examples
    --------
    >>> import tempfile
    >>> with duckdb_connection(tempfile.gettempdir()) as con:
    ...     con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
    (False,)
    """
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = {_sql_string(str(spill_dir))}")
    con.execute("SET preserve_insertion_order = false")
    return con


def _repeat_ids_across_months(folder: Path, hashes: np.ndarray) -> int:
    """Clean rows whose Crime ID is on an earlier clean row (as read_police_uk's note).

    Exact, from the 64-bit hashes of the clean Crime IDs that the batches
    computed while the rows were in memory (:func:`sna.io.batches.crime_id_hashes`):
    an ID whose hash is on no other row is on no other row. Only when some
    hashes repeat are the IDs with those hashes read back from the Parquet
    parts and compared as text (two different IDs may share a hash).
    """
    ordered = np.sort(hashes)
    repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not len(repeated):
        return 0
    glob = _sql_string(str(folder / "clean" / "*.parquet"))
    candidates = pa.table({"h": repeated})
    sql = (f"SELECT count(*) - count(DISTINCT crime_id) FROM read_parquet({glob}) "
           f"WHERE crime_id IS NOT NULL AND {_batches.ID_HASH_SQL} IN (SELECT h FROM candidates)")
    spill = folder / ".duckdb-spill"
    try:
        with duckdb_connection(spill) as con:
            con.register("candidates", candidates)
            return int(con.execute(sql).fetchone()[0])
    finally:
        shutil.rmtree(spill, ignore_errors=True)


def _manifest(entries: list[dict], options: dict, months: tuple[str, str] | None) -> dict:
    reasons: dict[str, int] = {}
    for entry in entries:
        for reason, n in entry["quarantine_reasons"].items():
            reasons[reason] = reasons.get(reason, 0) + n
    return {
        "format": DATASET_FORMAT,
        "sna_version": __version__,
        "options": options,
        "rows_in": sum(e["rows_in"] for e in entries),
        "rows_clean": sum(e["rows_clean"] for e in entries),
        "rows_quarantined": sum(e["rows_quarantined"] for e in entries),
        "quarantine_reasons": dict(sorted(reasons.items())),
        "notes": dataset_notes(entries, months),
        "files": entries,
    }



def ingest_to_parquet_dataset(
    source: str | Path | Iterable[str | Path],
    out_dir: str | Path,
    *,
    forces: Iterable[str] | None = None,
    months: tuple[str, str] | None = None,
    workers: int | None = None,
    progress: bool = False,
    repeat_ids: bool = True,
    compression: str = "snappy",
    file_hashes: bool = False,
) -> dict:
    """Validate police.uk street files into a Parquet dataset, one file at a time.

    Each file is checked with the rules of :func:`sna.io.ingest.read_police_uk`
    (same quarantine reasons, same errors), in batches of files checked in
    parallel (:mod:`sna.io.batches`), and its clean and quarantined rows are
    streamed into the batch's Parquet parts, so memory holds only the files
    in flight. Everything is written to a staging folder and
    moved into place with one rename: a failed run leaves any earlier dataset
    intact.

    Parameters
    ----------
    source : path or iterable of paths
        Street CSVs, folders of months or police.uk zip archives.
    out_dir : str or Path
        The dataset folder to write (replaced if it exists).
    forces : iterable of str, optional
        Forces allowed in ``Falls within``; a file holding another is an error.
        By default any force is accepted (national data mixes all forces).
    months : (str, str), optional
        First and last month expected (``YYYY-MM``), for the missing-month notes.
    workers : int, optional
        Batches of files checked in parallel (threads); by default one per core.
    progress : bool, default False
        Show a progress bar.
    repeat_ids : bool, default True
        Count ``repeat_crime_ids_across_months``: the batches hash their clean
        Crime IDs (64 bits, DuckDB's ``hash``), and only IDs whose hashes repeat
        are read back from the Parquet parts and compared as text; False skips
        it (the note is then None).
    compression : {"snappy", "zstd", "lz4", "gzip", "brotli", "none"}, default "snappy"
        Parquet compression. For a national year (6M rows): "snappy" ~460 MB,
        "none" ~525 MB (repeated text is dictionary-encoded anyway), "zstd"
        ~260 MB for about a fifth more ingest time.
    file_hashes : bool, default False
        Record each street file's CSV size and SHA-256 in its manifest entry
        (``csv_bytes``, ``csv_sha256``: what :func:`national_aggregate`'s
        coverage lists); hashing costs ~0.5 CPU s a GB.

    Returns
    -------
    dict
        The manifest: ``rows_in``, ``rows_clean``, ``rows_quarantined``,
        ``quarantine_reasons`` (rows by reason), ``notes`` (``months``,
        ``missing_months``, ``missing_months_by_force``, ``files``,
        ``repeat_crime_ids_across_months``), ``files`` (one entry per street
        file with its rows and Parquet paths), ``ingest_seconds``.

    Raises
    ------
    SnaInputError
        As :func:`sna.io.ingest.read_police_uk`, for the first bad file in name order.

    Examples
    --------
    >>> import tempfile
    >>> from sna.paths import raw_dir
    >>> tmp = tempfile.TemporaryDirectory()
    >>> out = Path(tmp.name) / "national"
    >>> m = ingest_to_parquet_dataset(raw_dir() / "shipped/police_uk/cumbria", out)
    >>> m["rows_in"] == m["rows_clean"] + m["rows_quarantined"], len(m["files"])
    (True, 12)
    >>> m["files"][0]["source"], m["files"][0]["clean"][:11]
    ('2025-01-cumbria-street.csv.gz', 'clean/part-')
    >>> tmp.cleanup()
    """
    started = time.perf_counter()
    if compression not in COMPRESSIONS:
        raise SnaInputError(f"unknown Parquet compression {compression!r}", column="compression",
                            value=compression, fix="use one of: " + ", ".join(COMPRESSIONS))
    files = find_street_files(source)
    allowed = set(forces) if forces is not None else None
    target = Path(out_dir)
    clean_staging_leftovers(target.parent, target.name)
    staging = make_staging(target)
    try:
        parts: dict[str, dict] = {}
        id_hashes: list[np.ndarray] | None = [] if repeat_ids else None
        entries = _ingest_files(files, staging, allowed, workers=workers, progress=progress,
                                compression=compression, parts=parts, hashes=file_hashes,
                                id_hashes=id_hashes)
        options = {"forces": sorted(allowed) if allowed else None, "months": list(months or []),
                   "file_hashes": file_hashes}
        manifest = _manifest(entries, options, months)
        manifest["notes"]["repeat_crime_ids_across_months"] = (
            _repeat_ids_across_months(staging, np.concatenate(id_hashes or [[]]).astype(
                np.uint64)) if repeat_ids else None)
        manifest["written_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        manifest["ingest_seconds"] = round(time.perf_counter() - started, 3)
        manifest["parts"] = dict(sorted(parts.items()))
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1))
        move_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _ingest_files(files: list, staging: Path, allowed: set[str] | None, *, workers: int | None,
                  progress: bool, compression: str, parts: dict[str, dict],
                  hashes: bool = False, id_hashes: list[np.ndarray] | None = None) -> list[dict]:
    """Check ``files`` in batches into ``staging``; their manifest entries, in file order.

    ``parts`` receives the record (SHA-256, bytes) of each Parquet part written;
    ``id_hashes`` (if given) each batch's hashes of its clean Crime IDs.

    Errors surface in file order, as checking the files one by one would raise them.
    """
    for folder in ("clean", "quarantine"):
        (staging / folder).mkdir()
    workers = workers or os.cpu_count() or 1
    sizes = input_bytes(files)
    batches = plan_batches(files, sizes, staging, compression=compression,
                           batch_bytes=batch_size(sum(sizes), workers), hashes=hashes,
                           id_hashes=id_hashes is not None)
    bar = None
    if progress and len(files) > 1:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(files), desc="Reading police.uk files", unit="file")
    entries: list[dict] = []
    try:
        done = bar and (lambda batch: bar.update(len(batch.files)))
        for result in run_batches(batches, workers, on_done=done):
            parts.update(result.parts)
            if id_hashes is not None and result.id_hashes is not None:
                id_hashes.append(result.id_hashes)
            for entry, first_rows in zip(result.entries, result.forces, strict=True):
                if allowed is not None:
                    check_force(first_rows, entry["source"], allowed)
                entries.append(entry)
            if result.error is not None:
                raise result.error
    finally:
        if bar is not None:
            bar.close()
        # Give Arrow's cached memory back before DuckDB's passes over the parts.
        pa.default_memory_pool().release_unused()
    return entries


def dataset_problem(dataset: str | Path, *, hashes: bool = False) -> str | None:
    """Why a dataset folder does not match its manifest (one line), or None.

    Every Parquet part the manifest records must exist with its recorded size
    (and, with ``hashes``, its SHA-256), and no unrecorded part may be present.

    Parameters
    ----------
    dataset : str or Path
        A dataset folder written by :func:`ingest_to_parquet_dataset`.
    hashes : bool, default False
        Also compare each part's SHA-256.

    Returns
    -------
    str or None
        The first problem found, or None when the folder matches.
    """
    folder = Path(dataset)
    manifest, problem = load_manifest(folder)
    if problem is not None:
        return problem
    parts = manifest.get("parts") if isinstance(manifest, dict) else None
    if not isinstance(parts, dict):
        return None  # written before parts were recorded: nothing to compare
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*.parquet")}
    for name in sorted(present - set(parts)):
        return f"{name} is not in the manifest"
    for name, record in parts.items():
        problem = record_problem(folder / name, name, record, hashes=hashes)
        if problem is not None:
            return problem
    return None


def read_manifest(dataset: str | Path, *, hashes: bool = False) -> dict:
    """The manifest of a dataset folder written by :func:`ingest_to_parquet_dataset`.

    Parameters
    ----------
    dataset : str or Path
        A dataset folder.
    hashes : bool, default False
        Also compare each part's SHA-256.

    Returns
    -------
    dict
        The parsed ``manifest.json``.

    Raises
    ------
    SnaInputError
        No manifest, or Parquet parts that do not match it (sizes; SHA-256 too
        with ``hashes``).
    """
    path = Path(dataset) / MANIFEST
    if not path.exists():
        raise SnaInputError("the folder is not a police.uk Parquet dataset (no manifest.json)",
                            file=str(dataset),
                            fix="write it with ingest_to_parquet_dataset, or check the path")
    problem = dataset_problem(dataset, hashes=hashes)
    if problem is not None:
        raise SnaInputError(f"the dataset is damaged: {problem}", file=str(dataset),
                            fix="ingest the police.uk files again (ingest_to_parquet_dataset)")
    return json.loads(path.read_text())


# ---------------------------------------------------------------- aggregation with DuckDB


def parquet_glob(dataset: str | Path) -> str:
    """The clean-row Parquet files of a dataset folder, or a glob given directly.

    Parameters
    ----------
    dataset : str or Path
        A dataset folder, or a path ending in ``.parquet`` (a glob is allowed).

    Returns
    -------
    str
        ``<dataset>/clean/*.parquet``, or ``dataset`` itself when it names Parquet files.

    Examples
    --------
    >>> parquet_glob("/data/national").endswith("clean/*.parquet")
    True
    >>> parquet_glob("/data/national/clean/2025-*.parquet")
    '/data/national/clean/2025-*.parquet'
    """
    text = str(dataset)
    if text.endswith(".parquet"):
        return text
    return str(Path(text) / "clean" / "*.parquet")


def _check_columns(columns: Iterable[str], parameter: str) -> list[str]:
    columns = [columns] if isinstance(columns, str) else list(columns)
    unknown = [c for c in columns if c not in GROUP_COLUMNS]
    if unknown:
        raise SnaInputError(f"cannot group or filter by '{unknown[0]}'", column=parameter,
                            value=unknown[0],
                            fix="use columns from: " + ", ".join(GROUP_COLUMNS))
    return columns


def _check_months(months: tuple[str, str] | None) -> None:
    if months is None:
        return
    if (len(months) != 2
            or not all(isinstance(m, str) and re.match(MONTH_PATTERN, m) for m in months)):
        raise SnaInputError(f"months must be two YYYY-MM strings, not {months!r}",
                            column="months", value=months,
                            fix="give the first and last month, e.g. ('2024-04', '2025-03')")
    if months[0] > months[1]:
        raise SnaInputError(f"the first month {months[0]} is after the last {months[1]}",
                            column="months", value=months, fix="swap the two months")


def _where_clause(where: Mapping[str, object] | None,
                  months: tuple[str, str] | None) -> tuple[str, list]:
    """SQL ``WHERE`` text with ``?`` placeholders, and its parameters."""
    _check_months(months)
    terms, params = [], []
    for column, wanted in (where or {}).items():
        _check_columns([column], "where")
        values = list(wanted) if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
        if column == "month":
            values = [pd.Period(v, freq="M").to_timestamp() for v in values]
        known = [v for v in values if v is not None]
        parts = [f'"{column}" IN ({", ".join("?" * len(known))})'] if known else []
        if len(known) < len(values):
            parts.append(f'"{column}" IS NULL')
        terms.append("(" + " OR ".join(parts) + ")")
        params.extend(known)
    if months is not None:
        terms.append("month BETWEEN ? AND ?")
        params.extend(pd.Period(m, freq="M").to_timestamp() for m in months)
    return (" WHERE " + " AND ".join(terms)) if terms else "", params


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def counts_by(
    dataset: str | Path,
    *,
    by: str | Sequence[str] = ("force", "month", "crime_type"),
    where: Mapping[str, object] | None = None,
    months: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """Count clean police.uk rows by the given columns, out of core with DuckDB.

    Parameters
    ----------
    dataset : str or Path
        A dataset folder from :func:`ingest_to_parquet_dataset`, or a glob of
        clean Parquet files.
    by : str or sequence of str, default ("force", "month", "crime_type")
        Columns to group by, from :data:`GROUP_COLUMNS`.
    where : mapping, optional
        ``{column: value or list of values}``: keep rows whose column is one of
        the values (``None`` matches missing). Months as ``"YYYY-MM"``.
    months : (str, str), optional
        Keep the months from first to last (``YYYY-MM``, inclusive).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns and ``count`` (int64), one row per combination
        present in the data, sorted by the ``by`` columns. ``month`` is a
        ``Period[M]``; missing LSOAs (unlocated rows) form their own group.
        A combination with no rows is absent, not zero.

    Raises
    ------
    SnaInputError
        An unknown column in ``by`` or ``where``; malformed ``months``; no
        Parquet files at ``dataset``.

    Examples
    --------
    >>> import tempfile
    >>> from sna.paths import raw_dir
    >>> tmp = tempfile.TemporaryDirectory()
    >>> out = Path(tmp.name) / "cumbria"
    >>> _ = ingest_to_parquet_dataset(raw_dir() / "shipped/police_uk/cumbria", out)
    >>> counts = counts_by(out, by="month", months=("2025-01", "2025-03"))
    >>> counts["month"].astype(str).tolist()
    ['2025-01', '2025-02', '2025-03']
    >>> tmp.cleanup()
    """
    columns = _check_columns(by, "by")
    if not columns:
        raise SnaInputError("give at least one column to count by", column="by", value=by,
                            fix="e.g. by=['force', 'month']")
    where_sql, params = _where_clause(where, months)
    keys = ", ".join(f'"{c}"' for c in columns)
    sql = (f"SELECT {keys}, count(*) AS count FROM read_parquet("
           f"{_sql_string(parquet_glob(dataset))}){where_sql} "
           f"GROUP BY {keys} ORDER BY {keys} NULLS LAST")
    table = _run(sql, params, dataset)
    frame = table.to_pandas()
    if "month" in frame:
        frame["month"] = pd.PeriodIndex(pd.to_datetime(frame["month"]), freq="M")
    frame["count"] = frame["count"].astype("int64")
    return frame


def _run(sql: str, params: list, dataset: str | Path) -> pa.Table:
    if Path(dataset).is_dir() and (Path(dataset) / MANIFEST).exists():
        read_manifest(dataset)  # parts as recorded, or a clear error
    try:
        with tempfile.TemporaryDirectory(prefix="sna-duckdb-") as spill, \
                duckdb_connection(spill) as con:
            return con.sql(sql, params=params).to_arrow_table()
    except duckdb.IOException:
        raise SnaInputError("no Parquet files found", file=parquet_glob(dataset),
                            fix="point to a dataset folder written by "
                                "ingest_to_parquet_dataset") from None
    except duckdb.Error as err:
        raise SnaInputError(f"the Parquet files cannot be read ({type(err).__name__})",
                            file=parquet_glob(dataset),
                            fix="ingest the police.uk files again") from None


# ---------------------------------------------------------------- rates by force area


def pfa_of_force(force: str) -> str:
    """The ONS police force area name of a police.uk force name (``Falls within``).

    Parameters
    ----------
    force : str
        A police.uk force name.

    Returns
    -------
    str
        The police force area name (``pfa24_name``).

    Examples
    --------
    >>> pfa_of_force("North Yorkshire Police"), pfa_of_force("Cumbria Constabulary")
    ('North Yorkshire', 'Cumbria')
    >>> pfa_of_force("Metropolitan Police Service")
    'Metropolitan Police'
    """
    if force in _PFA_OF_FORCE:
        return _PFA_OF_FORCE[force]
    return re.sub(r" (Police Service|Constabulary|Police)$", "", force)


def pfa_population(*, folder: str | None = None) -> pd.DataFrame:
    """Census 2021 usual residents of each police force area (sum of its LSOAs 2021).

    Parameters
    ----------
    folder : str, optional
        Folder holding the geography CSVs (the shipped copy when None).

    Returns
    -------
    pandas.DataFrame
        ``pfa24_code, pfa24_name, population``, one row per force area of
        England and Wales (43).

    Examples
    --------
    >>> pop = pfa_population()
    >>> len(pop), int(pop.loc[pop.pfa24_name == "North Yorkshire", "population"].iloc[0])
    (43, 818316)
    """
    from sna.io.geography import lsoa21_lookup, population

    residents = population(folder=folder)[["lsoa21_code", "usual_residents"]]
    areas = lsoa21_lookup(folder=folder)[["lsoa21_code", "pfa24_code", "pfa24_name"]]
    merged = areas.merge(residents, on="lsoa21_code", how="inner", validate="one_to_one")
    out = merged.groupby(["pfa24_code", "pfa24_name"], as_index=False)["usual_residents"].sum()
    out = out.rename(columns={"usual_residents": "population"})
    out.attrs["source"] = "ONS Census 2021 usual residents (21 March 2021), LSOA 2021 to PFA 2024"
    return out
