"""Check police.uk street files in batches, each batch into its own Parquet parts.

:func:`sna.io.national.ingest_to_parquet_dataset` splits the street files (in name
order, so months stay together) into batches of at most :data:`BATCH_BYTES`
of CSV text, and at least four batches a worker so that the workers finish
together. :func:`ingest_batch` checks a batch's files one after another with
the Arrow engine of :mod:`sna.io.ingest` and streams their clean and quarantined
rows into one Parquet part each, in row groups of about
:data:`ROW_GROUP_ROWS` rows. Batches run on a thread pool: Arrow parses,
computes and writes without holding Python's interpreter lock, and each
thread owns its part files, so no table is shared or copied.

Worker processes were measured as an alternative (benchmarks/RESULTS.md): on
a national year they were no faster than threads (6.9 s against 7.0 s for
the batches), cost ~150 MB more memory (each process imports the libraries)
and would need every script to guard its code with ``if __name__ ==
"__main__":``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sna.errors import SnaInputError
from sna.io.ingest import CheckedFile, StreetFile, check_street_file
from sna.paths import file_record

__all__ = [
    "Batch",
    "BatchResult",
    "PartFile",
    "batch_size",
    "column_compression",
    "crime_id_hashes",
    "file_entry",
    "ingest_batch",
    "input_bytes",
    "month_counts",
    "plan_batches",
    "run_batches",
]

BATCH_BYTES = 48 * 2**20  # CSV text per batch at most (~220k police.uk rows)
BATCHES_PER_WORKER = 4  # at least, when the files allow it
ROW_GROUP_ROWS = 100_000  # rows buffered before a Parquet row group is written
# Parquet dictionary encoding pays for repeated text only; IDs and numbers skip it.
_NO_DICTIONARY = {"crime_id", "longitude", "latitude", "source_row"}
# Random 64-hex Crime IDs barely compress with fast codecs (1.6% with snappy) but
# take a fifth of the writing time; they are stored uncompressed with those.
_FAST_CODECS = {"snappy", "lz4"}
# Min/max statistics only where they let DuckDB skip row groups: parts hold files in name
# order (month first), so month, force and source file ranges are narrow; every row group
# holds all crime types and LSOAs from E01 to W01, so their statistics would never skip one.
_STATISTICS = ["month", "force", "source_file"]
# The 64-bit key of a Crime ID (DuckDB SQL), for the count of IDs repeated across months.
ID_HASH_SQL = "hash(crime_id)"
# One in-memory DuckDB database (one thread a query) for the batches' hashing: a new
# database costs ~25 ms, a cursor on this one next to nothing.
_HASHING: dict[int, duckdb.DuckDBPyConnection] = {}
_HASHING_LOCK = threading.Lock()


class PartFile:
    """One Parquet part file, opened at the first rows, written in large row groups.

    police.uk files hold ~3,000-12,000 rows; every Parquet row group has a
    fixed cost, so tables are buffered and written ~:data:`ROW_GROUP_ROWS`
    rows at a time.

    Examples
    --------
    >>> import tempfile
    >>> part = PartFile(Path(tempfile.mkdtemp()) / "part-00000.parquet")
    >>> part.add(pa.table({"a": [1, 2]})), part.add(pa.table({"a": [3]}))
    ('part-00000.parquet', 'part-00000.parquet')
    >>> part.close()
    >>> pq.read_table(part.path)["a"].to_pylist()
    [1, 2, 3]
    """

    def __init__(self, path: Path, *, compression: str = "snappy") -> None:
        self.path = path
        self.compression = compression
        self._writer: pq.ParquetWriter | None = None
        self._buffer: list[pa.Table] = []
        self._buffered = 0

    def add(self, table: pa.Table) -> str | None:
        """Queue ``table``'s rows; return the part's file name (None for no rows)."""
        if table.num_rows == 0:
            return None
        if self._writer is None:
            names = table.schema.names
            self._writer = pq.ParquetWriter(
                self.path, table.schema, compression=column_compression(names, self.compression),
                store_schema=False,
                use_dictionary=[c for c in names if c not in _NO_DICTIONARY],
                write_statistics=[c for c in names if c in _STATISTICS])
        self._buffer.append(table)
        self._buffered += table.num_rows
        if self._buffered >= ROW_GROUP_ROWS:
            self._flush()
        return self.path.name

    def _flush(self) -> None:
        if self._buffer:
            # One dictionary per column keeps Parquet's dictionary pages (and files) small.
            rows = pa.concat_tables(self._buffer).unify_dictionaries()
            self._writer.write_table(rows, row_group_size=len(rows))
            self._buffer, self._buffered = [], 0

    def close(self) -> None:
        """Write what is buffered and close the file (nothing is written for no rows)."""
        if self._writer is not None:
            self._flush()
            self._writer.close()


def column_compression(columns: Sequence[str], compression: str) -> dict[str, str]:
    """Parquet compression of each column (Crime IDs uncompressed with fast codecs).

    Parameters
    ----------
    columns : sequence of str
        The table's column names.
    compression : str
        The Parquet codec asked for (e.g. ``"snappy"``, ``"zstd"``).

    Returns
    -------
    dict of str to str
        Column name -> codec (``"none"`` for ``crime_id`` with a fast codec).

    Examples
    --------
    >>> column_compression(["crime_id", "location"], "snappy")
    {'crime_id': 'none', 'location': 'snappy'}
    >>> column_compression(["crime_id"], "zstd")
    {'crime_id': 'zstd'}
    """
    return {c: "none" if c == "crime_id" and compression in _FAST_CODECS else compression
            for c in columns}


def month_counts(clean: pa.Table) -> list[list]:
    """Clean rows by force and month: ``[[force, "YYYY-MM", rows], ...]``.

    Parameters
    ----------
    clean : pyarrow.Table
        Typed clean rows with a dictionary ``force`` and a timestamp ``month``.

    Returns
    -------
    list of list
        ``[force, "YYYY-MM", rows]`` per force and month, in the force's dictionary
        order, then by month.

    Examples
    --------
    >>> t = pa.table({"force": pa.array(["A", "B", "A"]).dictionary_encode(),
    ...               "month": pa.array([0, 0, 0], pa.timestamp("ms"))})
    >>> month_counts(t)
    [['A', '1970-01', 2], ['B', '1970-01', 1]]
    """
    if clean.num_rows == 0:
        return []
    force = clean["force"].combine_chunks()
    months = clean["month"].combine_chunks()
    key = (force.indices.to_numpy().astype(np.int64) << 32) + pc.cast(
        months, pa.int64()).to_numpy() // 86_400_000  # days since 1970
    values, counts = np.unique(key, return_counts=True)
    names = force.dictionary.to_pylist()
    days = pa.array((values & 0xFFFFFFFF) * 86_400_000, pa.timestamp("ms"))
    labels = pc.strftime(days, format="%Y-%m").to_pylist()
    return [[names[int(v >> 32)], m, int(n)] for v, m, n in zip(values, labels, counts,
                                                                 strict=True)]


def file_entry(checked: CheckedFile, clean_part: str | None,
               quarantine_part: str | None) -> dict:
    """The manifest entry of one checked street file.

    Parameters
    ----------
    checked : CheckedFile
        The checked file.
    clean_part, quarantine_part : str or None
        The part files its clean and quarantined rows went to (None when none).

    Returns
    -------
    dict
        ``source``, ``rows_in``, ``rows_clean``, ``rows_quarantined``,
        ``quarantine_reasons``, ``clean_by_force_month`` (:func:`month_counts`),
        ``clean`` and ``quarantine`` part paths, and ``csv_bytes``/``csv_sha256`` with hashes.
    """
    reasons = pc.value_counts(checked.quarantine["reason"]).to_pylist()
    csv = {f"csv_{k}": v for k, v in (checked.csv or {}).items()}  # with hashes only
    return {
        "source": checked.name,
        "rows_in": checked.rows_in,
        "rows_clean": checked.clean.num_rows,
        "rows_quarantined": checked.quarantine.num_rows,
        "quarantine_reasons": {r["values"]: r["counts"] for r in reasons},
        "clean_by_force_month": month_counts(checked.clean),
        "clean": clean_part and f"clean/{clean_part}",
        "quarantine": quarantine_part and f"quarantine/{quarantine_part}",
        **csv,
    }


def crime_id_hashes(tables: Sequence[pa.Table]) -> np.ndarray:
    """DuckDB's 64-bit ``hash()`` of every Crime ID given in ``tables`` (missing ones left out).

    The key is :data:`ID_HASH_SQL`, which the exact comparison uses too.

    The batches hash their clean Crime IDs while the rows are in memory, so
    the repeats across months are found from 8 bytes a row instead of a second
    pass over the Parquet files (:func:`sna.io.national.ingest_to_parquet_dataset`);
    rows whose hashes repeat are then compared as text.

    Parameters
    ----------
    tables : sequence of pyarrow.Table
        Tables with a ``crime_id`` column.

    Returns
    -------
    numpy.ndarray
        uint64 hashes, one per non-missing Crime ID.

    Examples
    --------
    >>> h = crime_id_hashes([pa.table({"crime_id": ["a", None]}), pa.table({"crime_id": ["a"]})])
    >>> len(h), bool(h[0] == h[1])
    (2, True)
    """
    ids = [t["crime_id"] for t in tables if t.num_rows]
    if not ids:
        return np.empty(0, dtype=np.uint64)
    table = pa.table({"crime_id": pa.chunked_array(
        [chunk for column in ids for chunk in column.chunks], pa.string())})
    with _hashing_cursor() as con:
        con.register("ids", table)
        return con.execute(f"SELECT {ID_HASH_SQL} AS h FROM ids WHERE crime_id IS NOT NULL"
                           ).fetchnumpy()["h"].astype(np.uint64, copy=False)


def _hashing_cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on this process's hashing database (made at first use, again after a fork)."""
    with _HASHING_LOCK:
        pid = os.getpid()
        if pid not in _HASHING:
            _HASHING.clear()
            _HASHING[pid] = duckdb.connect(config={"threads": 1})
        return _HASHING[pid].cursor()


@dataclass(frozen=True)
class Batch:
    """Street files checked together and written to one clean and one quarantine part.

    ``hashes``: record each file's CSV size and SHA-256; ``id_hashes``: return
    the 64-bit hashes of the clean Crime IDs (:func:`crime_id_hashes`).
    """

    number: int
    files: tuple[StreetFile, ...]
    folder: str
    _: KW_ONLY
    compression: str = "snappy"
    hashes: bool = False
    id_hashes: bool = False


@dataclass(kw_only=True)
class BatchResult:
    """What a batch returns: per-file entries and forces, and the error that stopped it.

    ``entries`` and ``forces`` cover the files checked before ``error`` (if
    any), so the caller can raise errors in file order.
    """

    entries: list[dict] = field(default_factory=list)
    forces: list[dict[str, int]] = field(default_factory=list)
    error: SnaInputError | None = None
    parts: dict[str, dict] = field(default_factory=dict)
    id_hashes: np.ndarray | None = None


def ingest_batch(batch: Batch) -> BatchResult:
    """Check a batch's files in order, writing their rows to the batch's two parts.

    A file-level problem (:class:`~sna.errors.SnaInputError`) stops the batch
    and is returned, not raised, with the entries of the files before it.
    The parts written are recorded (``"clean/part-NNNNN.parquet"``: SHA-256 and
    bytes) in the batch's thread, so hashing overlaps the other batches' work.

    Parameters
    ----------
    batch : Batch
        The files, part folder and options of one batch.

    Returns
    -------
    BatchResult
        The per-file entries and forces, the parts written, the Crime ID hashes
        (with ``id_hashes``) and the error that stopped the batch, if any.
    """
    name = f"part-{batch.number:05d}.parquet"
    clean = PartFile(Path(batch.folder) / "clean" / name, compression=batch.compression)
    quarantine = PartFile(Path(batch.folder) / "quarantine" / name,
                          compression=batch.compression)
    result = BatchResult()
    ids: list[pa.Table] = []
    try:
        for file in batch.files:
            checked = check_street_file(file, hashes=batch.hashes)
            result.entries.append(file_entry(checked, clean.add(checked.clean),
                                             quarantine.add(checked.quarantine)))
            result.forces.append(checked.forces)
            if batch.id_hashes:
                ids.append(checked.clean.select(["crime_id"]))
    except SnaInputError as err:
        result.error = err
    finally:
        clean.close()
        quarantine.close()
    if batch.id_hashes and result.error is None:
        result.id_hashes = crime_id_hashes(ids)
    for part in (clean, quarantine):
        if part.path.exists():
            result.parts[f"{part.path.parent.name}/{part.path.name}"] = file_record(part.path)
    return result


def input_bytes(files: Sequence[StreetFile]) -> list[int]:
    """Approximate CSV text size of each street file (gzip counted at 6 times its size).

    Zip members' sizes come from their archive's directory, read once an archive.

    Parameters
    ----------
    files : sequence of StreetFile
        The street files (plain, gzip or zip members).

    Returns
    -------
    list of int
        Approximate CSV bytes per file, in order.

    Examples
    --------
    >>> from sna.paths import raw_dir
    >>> path = raw_dir() / "shipped/police_uk/cumbria/2025-01-cumbria-street.csv.gz"
    >>> input_bytes([StreetFile(path.name, path)])[0] > path.stat().st_size
    True
    """
    import zipfile

    members: dict[Path, dict[str, int]] = {}
    for archive in {f.path for f in files if f.member is not None}:
        with zipfile.ZipFile(archive) as opened:
            members[archive] = {i.filename: i.file_size for i in opened.infolist()}
    sizes = []
    for file in files:
        if file.member is not None:
            sizes.append(members[file.path][file.member])
        else:
            size = file.path.stat().st_size
            sizes.append(size * 6 if file.path.suffix == ".gz" else size)
    return sizes


def batch_size(total_bytes: int, workers: int) -> int:
    """CSV bytes per batch: :data:`BATCH_BYTES` at most, and four batches a worker at least.

    Parameters
    ----------
    total_bytes : int
        CSV bytes of all the files.
    workers : int
        Worker threads.

    Returns
    -------
    int
        Bytes per batch (at least 1).

    Examples
    --------
    >>> batch_size(1000 * 2**20, 2) == BATCH_BYTES, batch_size(80 * 2**20, 2) == 10 * 2**20
    (True, True)
    """
    return max(1, min(BATCH_BYTES, -(-total_bytes // (BATCHES_PER_WORKER * max(1, workers)))))


def plan_batches(files: Sequence[StreetFile], sizes: Sequence[int], folder: str | Path, *,
                 compression: str = "snappy", batch_bytes: int | None = None,
                 hashes: bool = False, id_hashes: bool = False) -> list[Batch]:
    """Split files, in order, into runs of about ``batch_bytes`` of CSV text.

    A run ends before the file that would take it over ``batch_bytes``
    (default :data:`BATCH_BYTES`); a bigger file is a batch on its own.

    Parameters
    ----------
    files : sequence of StreetFile
        The street files, in order.
    sizes : sequence of int
        Their CSV sizes (:func:`input_bytes`).
    folder : str or Path
        The folder the batches write their parts into.
    compression : str, default "snappy"
        Parquet codec of the parts.
    batch_bytes : int, optional
        Target CSV bytes per batch (:data:`BATCH_BYTES` when None).
    hashes : bool, default False
        Record each file's CSV size and SHA-256.
    id_hashes : bool, default False
        Return the clean Crime IDs' hashes.

    Returns
    -------
    list of Batch
        Numbered from 0, in file order.

    Examples
    --------
    >>> files = [StreetFile(f"f{i}", Path(f"f{i}")) for i in range(5)]
    >>> [len(b.files) for b in plan_batches(files, [4, 4, 4, 1, 9], "out", batch_bytes=8)]
    [2, 2, 1]
    """
    batch_bytes = BATCH_BYTES if batch_bytes is None else batch_bytes
    batches, current, size = [], [], 0
    for file, nbytes in zip(files, sizes, strict=True):
        if current and size + nbytes > batch_bytes:
            batches.append(current)
            current, size = [], 0
        current.append(file)
        size += nbytes
    if current:
        batches.append(current)
    return [Batch(i, tuple(b), str(folder), compression=compression, hashes=hashes,
                  id_hashes=id_hashes) for i, b in enumerate(batches)]


def run_batches(batches: list[Batch], workers: int, *,
                on_done: Callable[[Batch], None] | None = None) -> Iterator[BatchResult]:
    """Run :func:`ingest_batch` on each batch, yielding results in batch order.

    With ``workers > 1`` and more than one batch, batches run on a thread
    pool; otherwise one after another. When the caller stops early (e.g. to
    raise a batch's error), batches not yet started are dropped.

    Parameters
    ----------
    batches : list of Batch
        The batches to run.
    workers : int
        Threads (1 runs them one after another).
    on_done : callable, optional
        Called with each batch after its result is yielded.

    Yields
    ------
    BatchResult
        Each batch's result, in batch order.
    """
    parallel = workers > 1 and len(batches) > 1
    pool = ThreadPoolExecutor(min(workers, len(batches))) if parallel else None
    try:
        results = pool.map(ingest_batch, batches) if pool else map(ingest_batch, batches)
        for batch, result in zip(batches, results, strict=True):
            yield result
            if on_done:
                on_done(batch)
    finally:
        if pool:
            pool.shutdown(wait=True, cancel_futures=True)
