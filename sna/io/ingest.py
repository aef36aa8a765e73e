"""Read police.uk street-level crime files into one typed, accounted table.

police.uk publishes one CSV a force a month (``YYYY-MM-<force>-street.csv``),
inside monthly zip archives or folders of months. :func:`read_police_uk`
accepts any of these (and gzipped CSVs), validates them and returns an
:class:`~sna.io.accounting.Accounted`: the clean rows, the quarantined rows with
one reason each, and notes such as months with no data.

Decisions (documented in the README's data section):

* Anti-social behaviour rows have no Crime ID; they are not duplicates.
* The same Crime ID can appear on several rows of one month (police.uk repeats
  a crime with another outcome). Each Crime ID is counted **once per month**:
  the first row is used, later rows are quarantined as repeats.
* Rows with no location (blank LSOA and coordinates) are **kept** for counts
  with ``located = False``; they cannot be mapped or given a district.
* A month with no file is "no data" (listed in ``notes["missing_months"]``),
  never zero.

Speed: files are parsed and checked in Arrow (:func:`check_street_file`), with
low-cardinality columns read as dictionaries so that most checks run once per
distinct value, on a thread pool across files (Arrow releases Python's GIL).
The same rules stated row by row in pandas (the engine the project shipped
first) are kept with the tests, in ``tests/unit/io/pandas_reference.py``, as the
second method: the tests require both to give identical tables, reasons and errors.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import KW_ONLY, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from sna.errors import SnaInputError
from sna.io.accounting import Accounted
from sna.wording import format_count

__all__ = [
    "CheckedFile", "ReadLimits", "StreetFile", "bounded_gunzip", "check_force", "check_header",
    "check_month", "check_month_range", "check_street_file", "clean_frame", "coordinate",
    "decode_utf8", "find_street_files", "first_row_of_each_force", "iter_checked", "matches",
    "month_notes", "physical_lines", "quarantine_arrow", "read_police_uk", "read_street_arrow",
    "repeats_within_month", "street_reason_codes", "typed_street_arrow", "unique_force_months",
]
POLICE_UK_COLUMNS = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
    "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]
COLUMN_NAMES = {
    "Crime ID": "crime_id", "Month": "month", "Reported by": "reported_by",
    "Falls within": "force", "Longitude": "longitude", "Latitude": "latitude",
    "Location": "location", "LSOA code": "lsoa_code", "LSOA name": "lsoa_name",
    "Crime type": "crime_type", "Last outcome category": "last_outcome", "Context": "context",
}
CRIME_TYPES = [
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs",
    "Other crime", "Other theft", "Possession of weapons", "Public order", "Robbery",
    "Shoplifting", "Theft from the person", "Vehicle crime", "Violence and sexual offences",
]
STREET_FILE = re.compile(r"(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+)-street\.csv(\.gz)?$")
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
LSOA_PATTERN = r"^[EW]0\d{7}$"
# Decimal numbers that Arrow's parser and pandas.to_numeric read identically.
PLAIN_DECIMAL = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"

REASON_HEADER = "repeated header line inside the file"
REASON_CRIME_TYPE = "unknown crime type (not one of the 14 police.uk categories)"
REASON_LSOA = "malformed LSOA code (expected E01/W01 followed by 6 digits)"
REASON_NON_NUMERIC = "non-numeric coordinates"
REASON_ONE_COORDINATE = "only one of longitude and latitude given"
REASON_OUT_OF_RANGE = "coordinates out of range"
REASON_REPEAT = "repeat of a Crime ID already counted this month (another outcome row)"
REASON_MALFORMED = "wrong number of fields on the line"
# Row checks in order of precedence (the first failing check gives the reason).
ROW_REASONS = [REASON_HEADER, REASON_CRIME_TYPE, REASON_LSOA, REASON_NON_NUMERIC,
               REASON_ONE_COORDINATE, REASON_OUT_OF_RANGE, REASON_REPEAT]
# Read as Arrow dictionaries: their checks run once per distinct value.
DICTIONARY_COLUMNS = ("Month", "Reported by", "Falls within", "Location", "LSOA code",
                      "LSOA name", "Crime type", "Last outcome category", "Context")
TEXT_COLUMNS = ("crime_id", "location", "lsoa_code", "lsoa_name", "last_outcome", "context")
TYPED_COLUMNS = [*COLUMN_NAMES.values(), "source_file", "source_row", "located"]
QUARANTINE_COLUMNS = ["source_file", "source_row", "reason", *POLICE_UK_COLUMNS]


@dataclass(frozen=True, kw_only=True)
class ReadLimits:
    """Bounds on what one input file may cost to read (against zip and gzip bombs).

    Parameters
    ----------
    max_input_bytes : int
        Largest file (or zip member, or decompressed gzip) read, in bytes.
    max_expansion_ratio : float
        Largest ratio of decompressed to compressed size for a gzip file or zip
        member above :attr:`ratio_floor_bytes` decompressed (police.uk CSVs
        compress about 5-10 times; a bomb, thousands of times).
    ratio_floor_bytes : int
        Decompressed sizes up to this are never refused for their ratio.

    The defaults can be set with the environment variables
    ``SNA_MAX_INPUT_BYTES`` and ``SNA_MAX_EXPANSION_RATIO``.

    Examples
    --------
    >>> ReadLimits(max_input_bytes=100).allowed_output(10)
    100
    """

    max_input_bytes: int = 2 * 2**30
    max_expansion_ratio: float = 100.0
    ratio_floor_bytes: int = 16 * 2**20

    @classmethod
    def from_env(cls) -> ReadLimits:
        """The default limits, overridden by ``SNA_MAX_INPUT_BYTES``/``SNA_MAX_EXPANSION_RATIO``."""
        import os

        kwargs: dict = {}
        for name, key, kind in (("SNA_MAX_INPUT_BYTES", "max_input_bytes", int),
                                ("SNA_MAX_EXPANSION_RATIO", "max_expansion_ratio", float)):
            text = os.environ.get(name)
            if text:
                try:
                    kwargs[key] = kind(text)
                except ValueError:
                    raise SnaInputError(f"{name}={text!r} is not a number", column=name,
                                        fix=f"set {name} to a positive number, or unset it"
                                        ) from None
                if kwargs[key] <= 0:
                    raise SnaInputError(f"{name} must be positive, got {text!r}", column=name,
                                        fix=f"set {name} to a positive number, or unset it")
        return cls(**kwargs)

    def allowed_output(self, compressed: int) -> int:
        """Most bytes a file of ``compressed`` bytes may decompress to."""
        by_ratio = max(self.ratio_floor_bytes, int(compressed * self.max_expansion_ratio))
        return min(self.max_input_bytes, by_ratio)


def _too_big(name: str, compressed: int, limits: ReadLimits) -> SnaInputError:
    return SnaInputError(
        f"the file expands beyond {format_count(limits.allowed_output(compressed))} bytes "
        f"({format_count(compressed)} bytes compressed): refused as a possible decompression bomb",
        file=name, fix="check the file is a police.uk download; for a genuinely larger "
                       "file raise SNA_MAX_INPUT_BYTES or SNA_MAX_EXPANSION_RATIO")


def bounded_gunzip(data: bytes, name: str, *, limits: ReadLimits | None = None) -> bytes:
    r"""Decompress gzip ``data`` (all members), refusing output beyond ``limits``.

    Parameters
    ----------
    data : bytes
        The gzip-compressed bytes.
    name : str
        The file's name, for error messages.
    limits : ReadLimits, optional
        Size bounds (``ReadLimits.from_env()`` when None).

    Returns
    -------
    bytes
        The decompressed bytes.

    Raises
    ------
    SnaInputError
        Corrupt or truncated gzip, or output beyond the limits.

    Examples
    --------
    >>> import gzip
    >>> bounded_gunzip(gzip.compress(b"a,b\n"), "f.csv.gz")
    b'a,b\n'
    """
    import zlib

    limits = limits or ReadLimits.from_env()
    allowed = limits.allowed_output(len(data))
    out, pending = [], data
    size = 0
    try:
        while pending:
            inflater = zlib.decompressobj(wbits=31)
            chunk = inflater.decompress(pending, allowed - size + 1)
            while True:
                size += len(chunk)
                out.append(chunk)
                if size > allowed:
                    raise _too_big(name, len(data), limits)
                if not inflater.unconsumed_tail:
                    break
                chunk = inflater.decompress(inflater.unconsumed_tail, allowed - size + 1)
            if not inflater.eof:
                raise zlib.error("truncated")
            pending = inflater.unused_data.lstrip(b"\0")
    except zlib.error:
        raise SnaInputError("the file is not a valid gzip file (truncated or corrupt)",
                            file=name, fix="download or copy the file again") from None
    return b"".join(out)


def _read_member(archive: zipfile.ZipFile, member: str, name: str, limits: ReadLimits) -> bytes:
    info = archive.getinfo(member)
    if info.flag_bits & 0x1:
        raise SnaInputError("the zip member is encrypted (password-protected)", file=name,
                            fix="download the police.uk archive again, or unzip it yourself "
                                "and point to the CSV files")
    allowed = limits.allowed_output(info.compress_size)
    if info.file_size > allowed:
        raise _too_big(name, info.compress_size, limits)
    try:
        with archive.open(info) as handle:
            data = handle.read(allowed + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as err:
        raise SnaInputError(f"the zip member cannot be read ({' '.join(str(err).split())})",
                            file=name, fix="download the police.uk archive again") from None
    if len(data) > allowed:
        raise _too_big(name, info.compress_size, limits)
    return data


@dataclass(frozen=True)
class StreetFile:
    """One street-level CSV: its display name and a way to read its bytes."""

    name: str
    path: Path
    _: KW_ONLY
    member: str | None = None

    def read_bytes(self, *, limits: ReadLimits | None = None) -> bytes:
        """Return the file's raw bytes (decompressing gzip or reading a zip member).

        Sizes are bounded by ``limits`` (default :meth:`ReadLimits.from_env`).

        Raises
        ------
        SnaInputError
            An unreadable, encrypted or corrupt file or member, or one beyond the limits.
        """
        limits = limits or ReadLimits.from_env()
        try:
            if self.member is not None:
                with zipfile.ZipFile(self.path) as archive:
                    return _read_member(archive, self.member, self.name, limits)
            size = self.path.stat().st_size
            if size > limits.max_input_bytes:
                raise SnaInputError(
                    f"the file is {format_count(size)} bytes, more than the limit of "
                    f"{format_count(limits.max_input_bytes)}", file=self.name,
                    fix="check it is a police.uk street file; for a genuinely larger file "
                        "raise SNA_MAX_INPUT_BYTES")
            data = self.path.read_bytes()
        except zipfile.BadZipFile:
            raise SnaInputError("the file is not a valid zip archive", file=str(self.path),
                                fix="download the police.uk archive again") from None
        except OSError as err:
            raise SnaInputError(f"the file cannot be read ({err.strerror or err})",
                                file=self.name, fix="check the path and its permissions"
                                ) from None
        if self.path.suffix == ".gz":
            return bounded_gunzip(data, self.name, limits=limits)
        return data

    @property
    def identity(self) -> tuple[str, str] | None:
        """``(month, force slug)`` from the file name (None if the name does not say).

        Examples
        --------
        >>> StreetFile("a.zip:2025-01/2025-01-cumbria-street.csv", Path("a.zip"),
        ...            member="2025-01/2025-01-cumbria-street.csv").identity
        ('2025-01', 'cumbria')
        """
        match = STREET_FILE.search(Path(self.member or self.path.name).name)
        return (match["month"], match["force"]) if match else None

    def sha256(self, *, limits: ReadLimits | None = None) -> str:
        """SHA-256 of the decompressed CSV text (what is counted, whatever the wrapping)."""
        import hashlib

        return hashlib.sha256(self.read_bytes(limits=limits)).hexdigest()


DUPLICATES_OPTIONS = ("error", "dedupe")


def find_street_files(source: str | Path | Iterable[str | Path], *,
                      duplicates: str = "error", dropped: list[dict] | None = None
                      ) -> list[StreetFile]:
    """List the police.uk street files in a file, folder or zip archive (or several).

    One force-month comes from one file: two files of the same month and force
    (in two folders, a zip and a folder, ``.csv`` and ``.csv.gz``) would be
    counted twice, so they are an error naming both, unless ``duplicates`` is
    ``"dedupe"``: then copies with identical CSV text are read once (the first
    in name order is kept, and each choice is appended to ``dropped``), and
    copies that differ are still an error. The same path given twice is read once.

    Parameters
    ----------
    source : path or iterable of paths
        A ``*-street.csv`` (or ``.csv.gz``) file, a folder searched recursively,
        or a police.uk zip archive.
    duplicates : {"error", "dedupe"}, default "error"
        What to do with two files of the same month and force.
    dropped : list, optional
        Receives ``{"kept", "dropped", "sha256"}`` for each copy left out.

    Returns
    -------
    list of StreetFile, sorted by name.

    Raises
    ------
    SnaInputError
        A path that does not exist, a zip or folder with no street files, or
        two files of one force-month.

    Examples
    --------
    >>> from sna.paths import raw_dir
    >>> files = find_street_files(raw_dir() / "shipped/police_uk/north-yorkshire")
    >>> len(files), files[0].name
    (20, '2024-01-north-yorkshire-street.csv.gz')
    """
    if duplicates not in DUPLICATES_OPTIONS:
        raise SnaInputError(f"duplicates={duplicates!r} is not an option", column="duplicates",
                            fix="use 'error' (the default) or 'dedupe'")
    if isinstance(source, (str, Path)):
        sources = [Path(source)]
    else:
        sources = [Path(s) for s in source]
    found: dict[tuple[Path, str | None], StreetFile] = {}
    for path in sources:
        for file in _street_files_in(path):
            found.setdefault((file.path.resolve(), file.member), file)
    files = sorted(found.values(), key=lambda f: (f.name, str(f.path)))
    return unique_force_months(files, duplicates=duplicates, dropped=dropped)


def _where(file: StreetFile) -> str:
    return f"{file.path}:{file.member}" if file.member else str(file.path)


def unique_force_months(files: list[StreetFile], *, duplicates: str = "error",
                        dropped: list[dict] | None = None) -> list[StreetFile]:
    """Keep one file per (month, force); see :func:`find_street_files`.

    Parameters
    ----------
    files : list of StreetFile
        The street files found.
    duplicates : str, default "error"
        ``"error"`` raises for a (month, force) held by two files; ``"dedupe"``
        keeps the first of identical copies (and still raises if they differ).
    dropped : list of dict, optional
        When given, each copy left out is appended as ``{"kept", "dropped", "sha256"}``.

    Returns
    -------
    list of StreetFile
        The files kept, in their original order.

    Examples
    --------
    >>> a = StreetFile("2025-01-x-street.csv", Path("a/2025-01-x-street.csv"))
    >>> b = StreetFile("2025-01-x-street.csv.gz", Path("b/2025-01-x-street.csv.gz"))
    >>> try:
    ...     unique_force_months([a, b])
    ... except SnaInputError as err:
    ...     print(err.problem)
    two files hold force 'x' for 2025-01 (a/2025-01-x-street.csv and b/2025-01-x-street.csv.gz); \
they would be counted twice
    """
    first: dict[tuple[str, str], StreetFile] = {}
    kept: list[StreetFile] = []
    for file in files:
        key = file.identity
        if key is None or key not in first:
            if key is not None:
                first[key] = file
            kept.append(file)
            continue
        earlier = first[key]
        problem = (f"two files hold force '{key[1]}' for {key[0]} ({_where(earlier)} and "
                   f"{_where(file)}); they would be counted twice")
        if duplicates == "dedupe":
            digest = earlier.sha256()
            if file.sha256() == digest:
                if dropped is not None:
                    dropped.append({"kept": _where(earlier), "dropped": _where(file),
                                    "sha256": digest})
                continue
            raise SnaInputError(problem + ", and their contents differ", file=_where(file),
                                fix="keep one of the two files (the newer download)")
        raise SnaInputError(problem, file=_where(file),
                            fix="keep one copy of each month (remove the other file or folder), "
                                "or pass --dedupe to read identical copies once")
    return kept


def _street_files_in(path: Path) -> list[StreetFile]:
    if not path.exists():
        raise SnaInputError("the path does not exist", file=str(path),
                            fix="check the path, or run from the project folder")
    if path.is_dir():
        files = [StreetFile(p.name, p) for p in path.rglob("*")
                 if STREET_FILE.search(p.name) and p.is_file()]
        for archive in (p for p in path.rglob("*.zip") if p.is_file()):
            files.extend(_street_files_in(archive))
        if not files:
            raise SnaInputError("the folder holds no police.uk street files "
                                "(named YYYY-MM-<force>-street.csv)", file=str(path),
                                fix="point to the folder of monthly police.uk downloads")
        return files
    if path.suffix == ".zip":
        return _street_files_in_zip(path)
    if not path.is_file():
        raise SnaInputError("the path is not a regular file or folder", file=str(path),
                            fix="point to street CSV files, folders of months or zips")
    return [StreetFile(path.name, path)]


def _street_files_in_zip(path: Path) -> list[StreetFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m.filename for m in archive.infolist()
                       if STREET_FILE.search(m.filename.split("/")[-1]) and not m.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError):
        raise SnaInputError("the file is not a valid zip archive", file=str(path),
                            fix="download the police.uk archive again") from None
    if not members:
        raise SnaInputError("the zip archive holds no street-level files "
                            "(YYYY-MM-<force>-street.csv)", file=str(path),
                            fix="download the archive with 'Include crime data' ticked, "
                                "or point to the street CSV files")
    return [StreetFile(f"{path.name}:{m}", path, member=m) for m in members]


def decode_utf8(data: bytes, name: str) -> bytes:
    r"""Return ``data`` without a UTF-8 byte-order mark, or raise if it is not UTF-8.

    Parameters
    ----------
    data : bytes
        The file's bytes.
    name : str
        The file's name, for error messages.

    Returns
    -------
    bytes
        ``data`` without a leading byte-order mark.

    Examples
    --------
    >>> decode_utf8(b"\xef\xbb\xbfa,b\n", "f.csv")
    b'a,b\n'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SnaInputError("the file is UTF-16 text (Excel 'Unicode text'), not UTF-8",
                            file=name, row=1, fix="re-save it as 'CSV UTF-8 (comma delimited)', "
                                                  "or download it again from police.uk")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise SnaInputError(
            f"the file is not UTF-8 (byte 0x{data[err.start]:02x} at line {line} looks like "
            "Latin-1/Windows-1252 text)", file=name, row=line,
            fix="re-save the file as UTF-8 (in Excel: Save As > CSV UTF-8), or download it "
                "again from police.uk") from None
    return data


def check_header(columns: list[str], name: str) -> None:
    """Raise if the police.uk columns are missing or renamed.

    Parameters
    ----------
    columns : list of str
        The header's column names.
    name : str
        The file's name, for error messages.

    Examples
    --------
    >>> check_header(POLICE_UK_COLUMNS, "f.csv") is None
    True
    """
    if len(columns) == 1 and any(sep in columns[0] for sep in (";", "\t", "|")):
        sep = next(s for s in (";", "\t", "|") if s in columns[0])
        raise SnaInputError(f"the file is separated by {sep!r}, not by commas", file=name, row=1,
                            fix="save it as comma-separated CSV (police.uk files use commas)")
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise SnaInputError(f"column '{repeated[0]}' appears more than once in the header",
                            file=name, row=1, column=repeated[0],
                            fix="remove the duplicated column; use the police.uk file unchanged")
    missing = [c for c in POLICE_UK_COLUMNS if c not in columns]
    if not missing:
        return
    column = missing[0]
    extra = [c for c in columns if c not in POLICE_UK_COLUMNS]
    close = difflib.get_close_matches(column, extra, n=1, cutoff=0.6)
    hint = f" (found '{close[0]}': was it renamed?)" if close else ""
    raise SnaInputError(
        f"required column '{column}' is missing{hint}; missing: {', '.join(missing)}",
        file=name, row=1, column=column,
        fix="use the police.uk street file unchanged; its header is: "
            + ", ".join(POLICE_UK_COLUMNS))


def _parse_csv(data: bytes, columns: list[str], use_threads: bool, *,
               ignore_empty_lines: bool = True) -> tuple[pa.Table, list[tuple[int, str]]]:
    """Arrow's parse of ``data``, and ``(line, text)`` of each line with the wrong number of fields.

    A file is parsed first without an invalid-row handler (the handler slows every
    line a little); only when that parse fails is it parsed again with the
    handler, which keeps malformed lines aside or raises the same error.
    """
    bad: list[tuple[int, str]] = []

    def keep_aside(row: pacsv.InvalidRow) -> str:
        bad.append((row.number, row.text))
        return "skip"

    types = {c: pa.string() for c in columns}
    types.update({c: pa.dictionary(pa.int32(), pa.string()) for c in DICTIONARY_COLUMNS})

    def parse(handler: Callable[[pacsv.InvalidRow], str] | None) -> pa.Table:
        return pacsv.read_csv(
            pa.BufferReader(data),
            # One block for the whole file (no chunks to join), at least 1 MiB.
            read_options=pacsv.ReadOptions(use_threads=use_threads,
                                           block_size=min(max(len(data) + 1, 1 << 20), 1 << 30)),
            parse_options=pacsv.ParseOptions(invalid_row_handler=handler,
                                             ignore_empty_lines=ignore_empty_lines),
            # UTF-8 is checked by the caller (ASCII, or decoded in full).
            convert_options=pacsv.ConvertOptions(
                column_types=types, strings_can_be_null=False,
                include_columns=POLICE_UK_COLUMNS, check_utf8=False),
        )

    try:
        return parse(None), bad
    except pa.ArrowInvalid:
        return parse(keep_aside), bad


def read_street_arrow(data: bytes, name: str, *, use_threads: bool = False
                      ) -> tuple[pa.Table, list[tuple[int, str]]]:
    r"""Parse one street CSV's bytes into an Arrow table, keeping malformed lines aside.

    Parameters
    ----------
    data : bytes
        The file's bytes (UTF-8, with or without a byte-order mark).
    name : str
        The file's name, for messages.
    use_threads : bool, default False
        Let Arrow parse blocks of this one file in parallel (useful for one
        big file; when files are read in parallel, leave it off).

    Returns
    -------
    (pyarrow.Table, list of (int, str))
        The 12 police.uk columns as strings (blanks are empty strings; the
        :data:`DICTIONARY_COLUMNS` dictionary-encoded) plus ``source_row``,
        the 1-based line number; and ``(line, text)`` for each line with the
        wrong number of fields.

    Raises
    ------
    SnaInputError
        An empty file, a file that is not UTF-8, a header that is not
        police.uk's, a file that cannot be parsed as CSV.

    Examples
    --------
    >>> text = ",".join(POLICE_UK_COLUMNS) + "\n" + ",2024-01" + ",x" * 10 + "\nbad\n"
    >>> rows, bad = read_street_arrow(text.encode(), "f.csv")
    >>> rows.num_rows, rows["source_row"].to_pylist(), bad
    (1, [2], [(3, 'bad')])
    """
    if not data or data.isspace():  # as `not data.strip()`, without copying the file
        raise SnaInputError("the file is empty", file=name,
                            fix="download the month again from police.uk, or remove the file")
    if not data.isascii():  # ASCII is valid UTF-8: only other bytes need the full decode
        data = decode_utf8(data, name)
    header = next(iter(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")), "")
    columns = next(csv.reader([header]))
    check_header(columns, name)
    if not use_threads:
        # Blank lines kept as rows of empty fields: with none (no blank Month), Arrow's
        # record numbers are the file's lines, without scanning the bytes for blank lines.
        parsed = _parse_without_blank_lines(data, columns)
        if parsed is not None:
            return parsed
    # Parallel parsing does not number lines: a file with bad lines is parsed again alone.
    for threads in (True, False) if use_threads else (False,):
        try:
            table, bad = _parse_csv(data, columns, threads)
        except (pa.ArrowInvalid, pa.ArrowKeyError) as err:
            if threads:
                continue
            raise _csv_error(err, name) from None
        if not bad:
            break
    bad.sort()
    lines = np.arange(2, 2 + table.num_rows + len(bad), dtype=np.int64)
    if bad:
        lines = lines[~np.isin(lines, [n for n, _ in bad])]
    physical, blank_lines = physical_lines(data)
    if physical is not None:  # Arrow skipped blank lines: number lines as in the file
        lines = physical[np.minimum(lines, len(physical)) - 1]
        bad = [(int(physical[min(n, len(physical)) - 1]), text) for n, text in bad]
    table = table.unify_dictionaries().combine_chunks()
    table = table.append_column("source_row", pa.array(lines[: table.num_rows]))
    if blank_lines:
        table = table.replace_schema_metadata({b"sna.blank_lines": str(blank_lines).encode()})
    return table, bad


def _csv_error(err: Exception, name: str) -> SnaInputError:
    line = re.search(r"[Rr]ow #(\d+)", str(err))
    return SnaInputError(
        f"the file cannot be parsed as CSV ({str(err).splitlines()[0]})",
        file=name, row=int(line[1]) if line else None,
        fix="check the file is an unchanged police.uk street CSV")


def _parse_without_blank_lines(data: bytes, columns: list[str]
                               ) -> tuple[pa.Table, list[tuple[int, str]]] | None:
    """One single-threaded parse numbering rows as lines, or None for a file with blank lines.

    With ``ignore_empty_lines=False`` Arrow keeps a blank line as a row of empty
    fields and numbers records as lines. A blank line therefore shows as a blank
    ``Month``; when no ``Month`` is blank the table and line numbers are those of
    :func:`read_street_arrow`'s general path (which skips blank lines and maps
    records to lines with :func:`physical_lines`) without scanning the bytes.
    """
    try:
        table, bad = _parse_csv(data, columns, False, ignore_empty_lines=False)
    except (pa.ArrowInvalid, pa.ArrowKeyError):
        return None  # the general path raises the error
    month = table["Month"]
    if any(pc.any(pc.equal(chunk.dictionary, "")).as_py() for chunk in month.chunks):
        return None
    bad.sort()
    lines = np.arange(2, 2 + table.num_rows + len(bad), dtype=np.int64)
    if bad:
        lines = lines[~np.isin(lines, [n for n, _ in bad])]
    table = table.unify_dictionaries().combine_chunks()
    return table.append_column("source_row", pa.array(lines[: table.num_rows])), bad


def physical_lines(data: bytes) -> tuple[np.ndarray | None, int]:
    r"""Line numbers in the file of its non-blank records, and how many blank lines it has.

    Arrow's CSV reader skips blank lines and numbers the other records
    consecutively; this maps those numbers back to the line each record starts on.
    Line breaks inside quoted fields do not end a record. ``(None, 0)`` when no
    line is blank (the common case, checked without copying the file).

    Parameters
    ----------
    data : bytes
        The CSV text as bytes, header included.

    Returns
    -------
    (numpy.ndarray or None, int)
        The 1-based line number of each non-blank record (None when no line is
        blank), and the number of blank lines.

    Examples
    --------
    >>> physical_lines(b"h\n\na\r\n\r\nb\n")
    (array([1, 3, 5]), 2)
    >>> physical_lines(b'h\n"x\n\ny"\n')
    (None, 0)
    >>> physical_lines(b"h\na\n")
    (None, 0)
    """
    if not (data.startswith((b"\n", b"\r\n")) or b"\n\n" in data or b"\n\r\n" in data):
        return None, 0
    raw = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(raw == 10)
    separators = newlines
    if b'"' in data:  # a newline inside quotes (odd number of quotes before it) is text
        quotes = np.cumsum(raw == 34)
        separators = newlines[quotes[newlines] % 2 == 0]
    starts = np.concatenate([[0], separators + 1])
    ends = np.concatenate([separators, [len(raw)]])
    length = ends - starts
    blank = (length == 0) | ((length == 1) & (raw[np.minimum(starts, len(raw) - 1)] == 13))
    if blank[-1] and starts[-1] == len(raw):
        blank, starts = blank[:-1], starts[:-1]  # the "line" after the final newline
    if not blank.any():
        return None, 0
    lines = np.searchsorted(newlines, starts[~blank]) + 1
    return lines.astype(np.int64), int(blank.sum())


# ---------------------------------------------------------------- Arrow engine


def _array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous Arrow array."""
    if isinstance(values, pa.ChunkedArray):
        return values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()
    return values


def _bool(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A numpy boolean array from an Arrow mask (missing counts as False)."""
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def _dictionary(values: pa.Array | pa.ChunkedArray) -> pa.DictionaryArray:
    values = _array(values)
    return values if pa.types.is_dictionary(values.type) else values.dictionary_encode()


def _strings(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    values = _array(values)
    return values.cast(pa.string()) if pa.types.is_dictionary(values.type) else values


def _per_value(values: pa.Array | pa.ChunkedArray,
               test: Callable[[pa.Array], np.ndarray]) -> np.ndarray:
    """``test`` (Arrow strings -> numpy booleans) for every row, run once per distinct value."""
    values = _dictionary(values)
    return test(values.dictionary)[values.indices.to_numpy(zero_copy_only=False)]


def matches(values: pa.Array, pattern: str) -> np.ndarray:
    r"""Where ``values`` match ``pattern`` exactly as :meth:`pandas.Series.str.match` would.

    RE2 (in Arrow) does the bulk of the work; values it rejects are checked
    again with Python's ``re``, whose ``\d`` and ``$`` accept a little more
    (Unicode digits, a trailing newline).

    Parameters
    ----------
    values : pyarrow.Array
        Text values.
    pattern : str
        A regular expression, anchored at the start as ``re.match`` anchors it.

    Returns
    -------
    numpy.ndarray
        One bool per value.

    Examples
    --------
    >>> matches(pa.array(["E01000001", "E01000001\n", "E0100001"]), LSOA_PATTERN).tolist()
    [True, True, False]
    """
    found = _bool(pc.match_substring_regex(values, pattern))
    misses = np.flatnonzero(~found)
    if len(misses):
        compiled = re.compile(pattern)
        texts = values.take(pa.array(misses)).to_pylist()
        found[misses] = [compiled.match(text) is not None for text in texts]
    return found


def _blank_to_null(values: pa.Array, given: pa.BooleanArray | None = None) -> pa.Array:
    """Strings with the empty ones made missing (sharing ``values``' buffers when possible)."""
    given = pc.not_equal(values, "") if given is None else given
    if values.null_count == 0 and given.offset == 0 and given.null_count == 0:
        _, offsets, data = values.buffers()
        return pa.Array.from_buffers(values.type, len(values),
                                     [given.buffers()[1], offsets, data], offset=values.offset)
    return pc.if_else(given, values, pa.scalar(None, values.type))


def _parse_floats(values: pa.Array, parse: np.ndarray) -> pa.Array | None:
    """Arrow's parse of ``values`` where ``parse`` (null elsewhere), or None if it fails.

    When a text cannot be parsed, Arrow names it: its rows are set aside for
    pandas and the parse is retried, a few times (bad texts are few and repeat).
    """
    for _ in range(4):
        try:
            return pc.cast(_blank_to_null(values, pa.array(parse)), pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
            named = re.search(r"Failed to parse string: '(.*)' as a scalar", str(err), re.S)
            same = _bool(pc.equal(values, named[1])) & parse if named else parse & False
            if not same.any():
                return None
            parse = parse & ~same
    return None


def coordinate(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Parse coordinate text to floats, NaN where blank or not a number.

    Arrow parses plain decimals; any other text (rare) goes to
    :func:`pandas.to_numeric`, so the result is always that of
    ``pd.to_numeric(values.replace("", nan), errors="coerce")``, correctly rounded (pandas'
    own parser is one unit in the last place off for a few exponent forms, e.g. ``+3E30``).

    Parameters
    ----------
    values : pyarrow.Array or pyarrow.ChunkedArray
        Coordinate text.

    Returns
    -------
    numpy.ndarray
        Floats, NaN where blank or not a number.

    Examples
    --------
    >>> coordinate(pa.array(["-1.5", "", "x", " 2"])).tolist()
    [-1.5, nan, nan, 2.0]
    """
    return _coordinate(_strings(values))[0]


def _coordinate(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Floats as :func:`coordinate`, and where the text is not blank."""
    given = _bool(pc.not_equal(values, ""))
    parsed = _parse_floats(values, given)
    if parsed is None:  # many different bad texts: plain decimals to Arrow, the rest to pandas
        plain = given & _bool(pc.match_substring_regex(values, PLAIN_DECIMAL))
        parsed = _parse_floats(values, plain)
        if parsed is None:
            plain = given & False
            parsed = pa.nulls(len(values), pa.float64())
    result = np.array(parsed.to_numpy(zero_copy_only=False), dtype=float)  # writable
    other = given & ~np.asarray(parsed.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    if other.any():
        text = values.filter(pa.array(other)).to_pandas()
        result[other] = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float,
                                                                      na_value=np.nan)
    return result, given


def repeats_within_month(month: pa.Array, crime_id: pa.Array) -> np.ndarray:
    """True for a row whose (Month, Crime ID) is on an earlier row; blank IDs never repeat.

    Parameters
    ----------
    month : pyarrow.Array
        The ``Month`` text of each row.
    crime_id : pyarrow.Array
        The ``Crime ID`` text of each row.

    Returns
    -------
    numpy.ndarray
        One bool per row.

    Examples
    --------
    >>> m, ids = pa.array(["2024-01"] * 3 + ["2024-02"]), pa.array(["a", "a", "", "a"])
    >>> repeats_within_month(m, ids).tolist()
    [False, True, False, False]
    """
    month = _dictionary(month)
    ids = _array(crime_id).dictionary_encode()
    codes = ids.indices.to_numpy().astype(np.int64)
    if len(month.dictionary) > 1:
        key = month.indices.to_numpy().astype(np.int64) * len(ids.dictionary) + codes
        codes = _array(pa.array(key).dictionary_encode()).indices.to_numpy().astype(np.int64)
    # Codes number the values in order of first appearance, so a row is the first of
    # its value exactly when its code exceeds every code before it.
    seen = np.maximum.accumulate(np.concatenate([[-1], codes[:-1]]))
    blank = np.flatnonzero(_bool(pc.equal(ids.dictionary, "")))
    return (ids.indices.to_numpy() != (blank[0] if len(blank) else -1)) & (codes <= seen)


def _is_header(values: pa.Array) -> np.ndarray:
    return _bool(pc.equal(values, "Month"))


def _unknown_crime_type(values: pa.Array) -> np.ndarray:
    return ~_bool(pc.is_in(values, value_set=pa.array(CRIME_TYPES)))


def _malformed_lsoa(values: pa.Array) -> np.ndarray:
    return _bool(pc.not_equal(values, "")) & ~matches(values, LSOA_PATTERN)


def street_reason_codes(rows: pa.Table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check every row of one file: reason codes and the parsed coordinates.

    The checks, in order of precedence (the first failing check gives the
    reason, :data:`ROW_REASONS`): a repeated header line; a crime type outside
    :data:`CRIME_TYPES`; a non-blank LSOA code not matching :data:`LSOA_PATTERN`;
    a non-numeric coordinate; only one of longitude and latitude; a longitude
    beyond 180 or a latitude beyond 90 degrees; a Crime ID already on an earlier
    row of the same month (blank IDs, anti-social behaviour, never repeat).

    Parameters
    ----------
    rows : pyarrow.Table
        One file's rows as read (police.uk columns as text).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        ``codes``: 0 for a clean row, ``k`` for ``ROW_REASONS[k - 1]``;
        longitudes and latitudes (NaN where blank or not a number).
    """
    lon, has_lon = _coordinate(_strings(rows["Longitude"]))
    lat, has_lat = _coordinate(_strings(rows["Latitude"]))
    with np.errstate(invalid="ignore"):
        out_of_range = (np.abs(lon) > 180) | (np.abs(lat) > 90)
    checks = [
        _per_value(rows["Month"], _is_header),
        _per_value(rows["Crime type"], _unknown_crime_type),
        _per_value(rows["LSOA code"], _malformed_lsoa),
        (has_lon & np.isnan(lon)) | (has_lat & np.isnan(lat)),
        has_lon != has_lat,
        out_of_range,
        repeats_within_month(rows["Month"], rows["Crime ID"]),
    ]
    codes = np.zeros(rows.num_rows, dtype=np.int8)
    for code, failed in enumerate(checks, start=1):
        codes[failed & (codes == 0)] = code
    return codes, lon, lat


def _raise_at_first(rows: pa.Table, failed: np.ndarray, name: str, problem: Callable[[str], str],
                    fix: str) -> None:
    if failed.any():
        at = int(np.flatnonzero(failed)[0])
        value = rows["Month"][at].as_py()
        raise SnaInputError(problem(value), file=name, row=int(rows["source_row"][at].as_py()),
                            column="Month", value=value, fix=fix)


def check_month(rows: pa.Table, name: str) -> None:
    """Raise for an invalid month, or a month that is not the file name's.

    On the Arrow table of :func:`read_street_arrow`, repeated header lines
    aside; the first offending row is named.

    Parameters
    ----------
    rows : pyarrow.Table
        One file's rows as read, with ``source_row``.
    name : str
        The file's name (its month is taken from it), for error messages.
    """
    body = ~_per_value(rows["Month"], _is_header)
    invalid = body & ~_per_value(rows["Month"], lambda v: matches(v, MONTH_PATTERN))
    _raise_at_first(rows, invalid, name, lambda value: f"'{value}' is not a valid month",
                    "months must be YYYY-MM with MM from 01 to 12; download the file again "
                    "from police.uk")
    named = STREET_FILE.search(name)
    if named:
        other = body & ~_per_value(rows["Month"], lambda v: _bool(pc.equal(v, named["month"])))
        _raise_at_first(
            rows, other, name,
            lambda value: f"month {value} does not match the file name's month {named['month']}",
            "police.uk files hold one month each; rename or re-download the file")


def first_row_of_each_force(rows: pa.Table) -> dict[str, int]:
    """Each force in ``Falls within`` with the line it first appears on (header repeats aside).

    Parameters
    ----------
    rows : pyarrow.Table
        One file's rows with ``Month``, ``Falls within`` and ``source_row``.

    Returns
    -------
    dict of str to int
        Force name -> line of its first row, in order of first appearance.

    Examples
    --------
    >>> rows = pa.table({"Month": ["2024-01"] * 3, "Falls within": ["A", "B", "A"],
    ...                  "source_row": [2, 3, 4]})
    >>> first_row_of_each_force(rows)
    {'A': 2, 'B': 3}
    """
    body = ~_per_value(rows["Month"], _is_header)
    forces = _dictionary(rows["Falls within"])
    codes = forces.indices.to_numpy()[body]
    _, first = np.unique(codes, return_index=True)
    names = forces.dictionary.to_pylist()
    lines = rows["source_row"].to_numpy()[body]
    return {names[codes[i]]: int(lines[i]) for i in sorted(first)}


def _blank_force(name: str, row: int) -> SnaInputError:
    return SnaInputError("'Falls within' (the force) is blank", file=name, row=row,
                         column="Falls within", fix="police.uk files name the force on every "
                         "row; download the file again, or fill in the force")


def check_force(first_rows: dict[str, int], name: str, forces: set[str]) -> None:
    """Raise for the first row (``first_rows``) of a force not in ``forces``.

    A blank force is an error of its own.

    Parameters
    ----------
    first_rows : dict of str to int
        Force -> first line, from :func:`first_row_of_each_force`.
    name : str
        The file's name, for error messages.
    forces : set of str
        The forces allowed.
    """
    blank = [row for force, row in first_rows.items() if not force.strip()]
    if blank:
        raise _blank_force(name, min(blank))
    foreign = {force: row for force, row in first_rows.items() if force not in forces}
    if foreign:
        force, row = min(foreign.items(), key=lambda item: item[1])
        raise SnaInputError(
            f"the file holds crimes of '{force}', not of {' or '.join(sorted(forces))}",
            file=name, row=row, column="Falls within", value=force,
            fix="remove this file from the folder, or add its force to the forces read")


def _blank_dictionary_to_null(values: pa.Array | pa.ChunkedArray) -> pa.DictionaryArray:
    values = _dictionary(values)
    indices = values.indices.to_numpy()
    blank = _bool(pc.equal(values.dictionary, ""))[indices]
    if not blank.any():
        return values
    return pa.DictionaryArray.from_arrays(pa.array(indices, mask=blank), values.dictionary)


def typed_street_arrow(rows: pa.Table, lon: np.ndarray, lat: np.ndarray, name: str) -> pa.Table:
    """Turn checked rows into the typed police.uk table, in Arrow.

    Columns (:data:`TYPED_COLUMNS`): ``crime_id`` (null for anti-social
    behaviour), ``month`` (a millisecond timestamp, the first of the month),
    ``force``, ``reported_by`` and ``crime_type`` (dictionaries), ``longitude``
    and ``latitude`` (null when blank, or both 0), the text columns (null when
    blank), ``source_file``, ``source_row`` and ``located`` (an LSOA code given).

    Parameters
    ----------
    rows : pyarrow.Table
        The clean rows as read (police.uk columns as text, with ``source_row``).
    lon, lat : numpy.ndarray
        Their parsed longitudes and latitudes (NaN where blank).
    name : str
        The file's name, stored in ``source_file``.

    Returns
    -------
    pyarrow.Table
        The typed table with the columns above.
    """
    out = {COLUMN_NAMES[raw]: rows[raw] for raw in POLICE_UK_COLUMNS}
    out["crime_id"] = _blank_to_null(_strings(out["crime_id"]))
    for col in TEXT_COLUMNS[1:]:
        out[col] = _blank_dictionary_to_null(out[col])
    month = _dictionary(out["month"])
    # Unused dictionary entries (a repeated header's "Month") become null.
    months = pc.strptime(month.dictionary, format="%Y-%m", unit="ms", error_is_null=True)
    out["month"] = months.take(month.indices)
    unset = (lon == 0) & (lat == 0)
    out["longitude"] = pa.array(lon, mask=np.isnan(lon) | unset)
    out["latitude"] = pa.array(lat, mask=np.isnan(lat) | unset)
    out["force"], out["reported_by"] = _dictionary(out["force"]), _dictionary(out["reported_by"])
    crime_type = _dictionary(out["crime_type"])
    types = pa.array(CRIME_TYPES)
    out["crime_type"] = pa.DictionaryArray.from_arrays(
        pc.index_in(crime_type.dictionary, value_set=types).take(crime_type.indices), types)
    out["source_file"] = pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(rows.num_rows, dtype=np.int32)), pa.array([name]))
    out["source_row"] = rows["source_row"]
    out["located"] = pc.is_valid(out["lsoa_code"])
    return pa.table({col: out[col] for col in TYPED_COLUMNS})


def quarantine_arrow(rows: pa.Table, codes: np.ndarray, bad: list[tuple[int, str]],
                     name: str) -> pa.Table:
    """Quarantined rows as read (``QUARANTINE_COLUMNS``), then the malformed lines.

    Parameters
    ----------
    rows : pyarrow.Table
        One file's rows as read, with ``source_row``.
    codes : numpy.ndarray
        Reason codes per row from :func:`street_reason_codes` (0 for clean).
    bad : list of (int, str)
        Malformed lines: line number and text (kept in ``Location``, cut to 200 characters).
    name : str
        The file's name, stored in ``source_file``.

    Returns
    -------
    pyarrow.Table
        ``source_file``, ``source_row``, ``reason`` and the police.uk columns as text.
    """
    failed = codes > 0
    if not bad and not failed.any():
        return _EMPTY_QUARANTINE
    kept = rows.filter(pa.array(failed))
    reasons = pa.array(ROW_REASONS).take(pa.array(codes[failed].astype(np.int64) - 1))
    blank = pa.array([""] * len(bad), pa.string())
    columns = {
        "source_file": pa.array([name] * (kept.num_rows + len(bad)), pa.string()),
        "source_row": pa.concat_arrays([_array(kept["source_row"]),
                                        pa.array([n for n, _ in bad], pa.int64())]),
        "reason": pa.concat_arrays([reasons, pa.array([REASON_MALFORMED] * len(bad),
                                                      pa.string())]),
    }
    for col in POLICE_UK_COLUMNS:
        extra = pa.array([text[:200] for _, text in bad], pa.string()) if col == "Location" \
            else blank
        columns[col] = pa.concat_arrays([_strings(kept[col]), extra])
    return pa.table(columns)


_EMPTY_QUARANTINE = pa.table({c: pa.array([], pa.int64() if c == "source_row" else pa.string())
                              for c in QUARANTINE_COLUMNS})


@dataclass(frozen=True)
class CheckedFile:
    """One street file, checked: typed clean rows, quarantined rows, and facts about it.

    Attributes
    ----------
    name : str
        The file's display name.
    clean : pyarrow.Table
        Typed clean rows (see :func:`typed_street_arrow`).
    quarantine : pyarrow.Table
        Quarantined rows as read, with ``source_file``, ``source_row``, ``reason``.
    rows_in : int
        Lines read (header aside): ``clean.num_rows + quarantine.num_rows``.
    forces : dict
        Each force in ``Falls within`` and the line it first appears on.
    blank_lines : int
        Blank lines skipped (not rows).
    csv : dict or None
        With ``hashes``: ``{"bytes", "sha256"}`` of the CSV text as read
        (decompressed), to check a download against; otherwise None.
    """

    name: str
    clean: pa.Table
    quarantine: pa.Table
    rows_in: int
    forces: dict[str, int]
    _: KW_ONLY
    blank_lines: int = 0
    csv: dict | None = None


def check_street_file(file: StreetFile, *, use_threads: bool = False,
                      hashes: bool = False) -> CheckedFile:
    """Read and check one street file in Arrow (the force check is left to the caller).

    With ``hashes`` the CSV text's size and SHA-256 are recorded (``CheckedFile.csv``).

    Parameters
    ----------
    file : StreetFile
        The street file to read.
    use_threads : bool, default False
        Let Arrow's CSV reader use several threads.
    hashes : bool, default False
        Record the CSV text's size and SHA-256.

    Returns
    -------
    CheckedFile
        The typed clean rows, quarantined rows and facts about the file.

    Raises
    ------
    SnaInputError
        The file-level errors of :func:`read_street_arrow` and
        :func:`check_month`.

    Examples
    --------
    >>> from sna.paths import raw_dir
    >>> path = raw_dir() / "shipped/police_uk/cumbria/2025-01-cumbria-street.csv.gz"
    >>> checked = check_street_file(StreetFile(path.name, path))
    >>> checked.rows_in == checked.clean.num_rows + checked.quarantine.num_rows
    True
    """
    data = file.read_bytes()
    csv_record = None
    if hashes:
        import hashlib

        csv_record = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    rows, bad = read_street_arrow(data, file.name, use_threads=use_threads)
    del data
    check_month(rows, file.name)
    codes, lon, lat = street_reason_codes(rows)
    keep = codes == 0
    if keep.all():
        clean = typed_street_arrow(rows, lon, lat, file.name)
    else:
        clean = typed_street_arrow(rows.filter(pa.array(keep)), lon[keep], lat[keep], file.name)
    blank_lines = int((rows.schema.metadata or {}).get(b"sna.blank_lines", 0))
    return CheckedFile(file.name, clean, quarantine_arrow(rows, codes, bad, file.name),
                       rows.num_rows + len(bad), first_row_of_each_force(rows),
                       blank_lines=blank_lines, csv=csv_record)


def iter_checked(files: list[StreetFile], forces: set[str] | None, *,
                 check_forces: bool = True, workers: int | None = None,
                 progress: bool = False,
                 then: Callable[[CheckedFile], object] | None = None) -> Iterator:
    """Check ``files`` on a thread pool, yielding results in file order.

    Arrow parses and checks without holding Python's GIL, so threads use
    every core without copying data between processes. Errors surface in
    file order, as reading the files one by one would raise them.

    Parameters
    ----------
    files : list of StreetFile
    forces : set of str or None
        Allowed forces. With None (and ``check_forces``) every file must hold
        the force on the first data row of the first file with rows.
    check_forces : bool, default True
        False accepts any force (national data).
    workers : int, optional
        Threads (default: one per core).
    progress : bool, default False
        Show a progress bar.
    then : callable, optional
        Run on each :class:`CheckedFile` in its worker thread (e.g. to write
        it out); its result is yielded with the file, as ``(checked, result)``.

    Yields
    ------
    CheckedFile or (CheckedFile, object)
        Each file's result in file order; with ``then``, paired with its result.
    """
    workers = max(1, min(workers or pa.cpu_count(), len(files)))
    use_threads = len(files) == 1

    def task(file: StreetFile):
        checked = check_street_file(file, use_threads=use_threads)
        return checked if then is None else (checked, then(checked))

    pool = ThreadPoolExecutor(workers)
    try:
        results = pool.map(task, files)
        if progress and len(files) > 1:
            from tqdm.auto import tqdm

            results = tqdm(results, total=len(files), desc="Reading police.uk files", unit="file")
        for result in results:
            checked = result if then is None else result[0]
            if check_forces and forces is None and checked.forces:
                named = [f for f in checked.forces if f.strip()]
                forces = {named[0]} if named else set()
            if check_forces and forces is not None:
                check_force(checked.forces, checked.name, forces)
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def clean_frame(tables: list[pa.Table]) -> pd.DataFrame:
    """Arrow tables of :func:`typed_street_arrow` as one pandas table.

    ``month`` becomes a ``Period[M]``, coordinates nullable floats (``Float64``),
    ``force``, ``reported_by``, ``source_file`` and ``crime_type`` categoricals,
    the other text columns strings with missing values.

    Parameters
    ----------
    tables : list of pyarrow.Table
        Typed tables from :func:`typed_street_arrow`.

    Returns
    -------
    pandas.DataFrame
        The rows of all tables, with the columns of :data:`TYPED_COLUMNS`.
    """
    table = pa.concat_tables(tables)
    for col in TEXT_COLUMNS:
        table = table.set_column(table.schema.get_field_index(col), col,
                                 pc.cast(table[col], pa.string()))
    frame = table.to_pandas(types_mapper={pa.float64(): pd.Float64Dtype()}.get)
    frame["month"] = frame["month"].dt.to_period("M")
    for col in ("force", "reported_by", "source_file"):
        values = frame[col].cat.remove_unused_categories()
        frame[col] = values.cat.set_categories(pd.Index(sorted(values.cat.categories), dtype=str))
    return frame


def read_police_uk(
    source: str | Path | Iterable[str | Path],
    *,
    forces: Iterable[str] | None = None,
    months: tuple[str, str] | None = None,
    progress: bool = False,
    workers: int | None = None,
    duplicates: str = "error",
) -> Accounted:
    """Read police.uk street-level files into one typed, accounted table.

    Parameters
    ----------
    source : path or iterable of paths
        A street CSV (``.csv`` or ``.csv.gz``), a folder of months, or a
        police.uk zip archive; or several of these.
    forces : iterable of str, optional
        Force names as in ``Falls within`` (e.g. ``"North Yorkshire Police"``).
        A file holding another force is an error. By default every file must
        be from the same force as the first file read.
    months : (str, str), optional
        First and last month expected (``YYYY-MM``). Months in this range
        with no file are reported as missing; by default the range spanned by
        the files is used.
    progress : bool, default False
        Show a progress bar when reading several files.
    workers : int, optional
        Files read in parallel (threads); by default one per core.
    duplicates : {"error", "dedupe"}, default "error"
        Two files of one force-month are an error; "dedupe" reads identical
        copies once and lists each choice in ``notes["duplicates_dropped"]``
        (see :func:`find_street_files`).

    Returns
    -------
    Accounted
        ``clean``: the typed table (see :func:`clean_frame`);
        ``quarantine``: rejected rows with ``source_file``, ``source_row`` and
        ``reason``; ``notes``: ``missing_months``, ``files``, ``months``,
        ``repeat_crime_ids_across_months`` (and ``duplicates_dropped`` when any were).

    Raises
    ------
    SnaInputError
        Missing or renamed columns, an invalid month, a month that is not the
        file's, a file from another force, an empty file, a file that is not
        UTF-8, a zip without street files.

    Examples
    --------
    >>> from sna.paths import raw_dir
    >>> acc = read_police_uk(raw_dir() / "shipped/police_uk/north-yorkshire/"
    ...                      "2024-01-north-yorkshire-street.csv.gz")
    >>> acc.rows_in == len(acc.clean) + len(acc.quarantine)
    True
    """
    check_month_range(months)
    dropped: list[dict] = []
    files = find_street_files(source, duplicates=duplicates, dropped=dropped)
    allowed = set(forces) if forces is not None else None
    clean, quarantine, rows_in, blank_lines = [], [], 0, 0
    for checked in iter_checked(files, allowed, workers=workers, progress=progress):
        clean.append(checked.clean)
        quarantine.append(checked.quarantine)
        rows_in += checked.rows_in
        blank_lines += checked.blank_lines
    frame = clean_frame(clean)
    notes = month_notes(frame, files, months)
    with_id = frame["crime_id"].dropna()
    notes["repeat_crime_ids_across_months"] = int(with_id.duplicated().sum())
    if dropped:
        notes["duplicates_dropped"] = dropped
    if blank_lines:
        notes["blank_lines_skipped"] = blank_lines
    rejected = pa.concat_tables(quarantine).to_pandas()[QUARANTINE_COLUMNS]
    return Accounted(frame, rejected, rows_in, notes)


def check_month_range(months: tuple[str, str] | None, *, column: str = "months") -> None:
    """Raise unless ``months`` is None or two real months, in order, not in the future.

    Parameters
    ----------
    months : tuple of (str, str) or None
        First and last month, ``"YYYY-MM"``.
    column : str, default "months"
        The option's name, for error messages.

    Examples
    --------
    >>> check_month_range(("2024-01", "2025-12"))
    >>> try:
    ...     check_month_range(("2025-01", "2025-13"))
    ... except SnaInputError as err:
    ...     print(err.problem)
    '2025-13' is not a month (YYYY-MM, month 01 to 12)
    """
    if months is None:
        return
    months = tuple(months)
    if len(months) != 2:
        raise SnaInputError(f"months must be two months (first and last), not {list(months)!r}",
                            column=column, value=months, fix="give e.g. 2024-01 2025-12")
    for month in months:
        if not isinstance(month, str) or not re.match(MONTH_PATTERN, month):
            raise SnaInputError(f"{month!r} is not a month (YYYY-MM, month 01 to 12)",
                                column=column, value=month,
                                fix="write months as YYYY-MM, e.g. 2025-01")
    if months[0] > months[1]:
        raise SnaInputError(f"the first month {months[0]} is after the last {months[1]}",
                            column=column, value=months, fix="give the earlier month first")
    now = pd.Timestamp.now(tz="UTC").strftime("%Y-%m")
    if months[1] > now:
        raise SnaInputError(f"the last month {months[1]} is in the future (now {now})",
                            column=column, value=months[1],
                            fix="give months that have been published")


def month_notes(clean: pd.DataFrame, files: list[StreetFile],
                months: tuple[str, str] | None) -> dict:
    """Months covered, months with no data (never zero), and the files read.

    Parameters
    ----------
    clean : pandas.DataFrame
        Clean rows with a ``month`` Period column.
    files : list of StreetFile
        The files read.
    months : tuple of (str, str) or None
        The requested first and last month (the data's own range when None).

    Returns
    -------
    dict
        ``months`` (present, sorted), ``missing_months`` (in range, absent) and
        ``files`` (names), all lists of str.

    Examples
    --------
    >>> df = pd.DataFrame({"month": pd.PeriodIndex(["2024-01", "2024-03"], freq="M")})
    >>> month_notes(df, [], None)["missing_months"]
    ['2024-02']
    """
    present = sorted({str(month) for month in clean["month"].unique()})
    if months is not None:
        first, last = months
    elif present:
        first, last = present[0], present[-1]
    else:
        return {"months": [], "missing_months": [], "files": [f.name for f in files]}
    expected = pd.period_range(first, last, freq="M").astype(str).tolist()
    return {
        "months": present,
        "missing_months": [m for m in expected if m not in present],
        "files": [f.name for f in files],
    }
