"""Read police.uk street-level crime files into one typed, accounted table.

police.uk publishes one CSV a force a month (``YYYY-MM-<force>-street.csv``),
inside monthly zip archives or folders of months. :func:`read_police_uk`
accepts any of these (and gzipped CSVs), validates them and returns an
:class:`~sna.accounting.Accounted`: the clean rows, the quarantined rows with
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
"""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from sna.accounting import Accounted, first_reason, split_by_reason
from sna.errors import SnaInputError

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


@dataclass(frozen=True)
class StreetFile:
    """One street-level CSV: its display name and a way to read its bytes."""

    name: str
    path: Path
    member: str | None = None

    def read_bytes(self) -> bytes:
        """Return the file's raw bytes (decompressing gzip or reading a zip member)."""
        if self.member is not None:
            with zipfile.ZipFile(self.path) as archive:
                return archive.read(self.member)
        data = self.path.read_bytes()
        if self.path.suffix == ".gz":
            import gzip
            import zlib

            try:
                return gzip.decompress(data)
            except (OSError, EOFError, zlib.error):
                raise SnaInputError("the file is not a valid gzip file (truncated or corrupt)",
                                    file=self.name, fix="download or copy the file again") from None
        return data


def find_street_files(source: str | Path | Iterable[str | Path]) -> list[StreetFile]:
    """List the police.uk street files in a file, folder or zip archive (or several).

    Parameters
    ----------
    source : path or iterable of paths
        A ``*-street.csv`` (or ``.csv.gz``) file, a folder searched recursively,
        or a police.uk zip archive.

    Returns
    -------
    list of StreetFile, sorted by name.

    Raises
    ------
    SnaInputError
        A path that does not exist, or a zip or folder with no street files.

    Examples
    --------
    >>> from sna.paths import raw_dir
    >>> files = find_street_files(raw_dir() / "shipped/police_uk/north-yorkshire")
    >>> len(files), files[0].name
    (20, '2024-01-north-yorkshire-street.csv.gz')
    """
    if isinstance(source, (str, Path)):
        sources = [Path(source)]
    else:
        sources = [Path(s) for s in source]
    found: list[StreetFile] = []
    for path in sources:
        found.extend(_street_files_in(path))
    return sorted(found, key=lambda f: f.name)


def _street_files_in(path: Path) -> list[StreetFile]:
    if not path.exists():
        raise SnaInputError("the path does not exist", file=str(path),
                            fix="check the path, or run from the project folder")
    if path.is_dir():
        files = [StreetFile(p.name, p) for p in path.rglob("*") if STREET_FILE.search(p.name)]
        for archive in path.rglob("*.zip"):
            files.extend(_street_files_in(archive))
        if not files:
            raise SnaInputError("the folder holds no police.uk street files "
                                "(named YYYY-MM-<force>-street.csv)", file=str(path),
                                fix="point to the folder of monthly police.uk downloads")
        return files
    if path.suffix == ".zip":
        return _street_files_in_zip(path)
    return [StreetFile(path.name, path)]


def _street_files_in_zip(path: Path) -> list[StreetFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if STREET_FILE.search(m.split("/")[-1])]
    except zipfile.BadZipFile:
        raise SnaInputError("the file is not a valid zip archive", file=str(path),
                            fix="download the police.uk archive again") from None
    if not members:
        raise SnaInputError("the zip archive holds no street-level files "
                            "(YYYY-MM-<force>-street.csv)", file=str(path),
                            fix="download the archive with 'Include crime data' ticked, "
                                "or point to the street CSV files")
    return [StreetFile(f"{path.name}:{m}", path, m) for m in members]


def decode_utf8(data: bytes, name: str) -> bytes:
    r"""Return ``data`` without a UTF-8 byte-order mark, or raise if it is not UTF-8.

    Examples
    --------
    >>> decode_utf8(b"\xef\xbb\xbfa,b\n", "f.csv")
    b'a,b\n'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
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


def parse_street_csv(data: bytes, name: str) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    r"""Parse one street CSV's bytes into strings, keeping malformed lines aside.

    Returns the rows as a DataFrame of strings (with ``source_file`` and
    ``source_row``, the 1-based line number) and a list of
    ``(line, text)`` for lines with the wrong number of fields.

    Examples
    --------
    >>> text = ",".join(POLICE_UK_COLUMNS) + "\n" + ",2024-01" + ",x" * 10 + "\nbad\n"
    >>> rows, bad = parse_street_csv(text.encode(), "f.csv")
    >>> len(rows), bad
    (1, [(3, 'bad')])
    """
    if not data.strip():
        raise SnaInputError("the file is empty", file=name,
                            fix="download the month again from police.uk, or remove the file")
    data = decode_utf8(data, name)
    header = next(iter(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")), "")
    import csv

    columns = next(csv.reader([header]))
    check_header(columns, name)
    bad: list[tuple[int, str]] = []

    def keep_aside(row: pacsv.InvalidRow) -> str:
        bad.append((row.number, row.text))
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(use_threads=False, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(invalid_row_handler=keep_aside),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in columns}, strings_can_be_null=False,
                include_columns=POLICE_UK_COLUMNS),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError) as err:
        line = re.search(r"[Rr]ow #(\d+)", str(err))
        raise SnaInputError(f"the file cannot be parsed as CSV ({str(err).splitlines()[0]})",
                            file=name, row=int(line[1]) if line else None,
                            fix="check the file is an unchanged police.uk street CSV") from None
    frame = table.to_pandas()
    bad_lines = {n for n, _ in bad}
    lines = np.arange(2, 2 + len(frame) + len(bad), dtype=np.int64)
    if bad_lines:
        lines = lines[~np.isin(lines, list(bad_lines))]
    frame["source_file"] = name
    frame["source_row"] = lines[: len(frame)]
    return frame, bad


def check_month_and_force(frame: pd.DataFrame, name: str, forces: set[str] | None) -> None:
    """Raise for an invalid month, a month that is not the file's, or a foreign force.

    A month like ``2023-13`` or a file from another force mixed into a folder is
    a problem with the file, not with one row, so it stops the run with the
    file, row and column named.
    """
    body = frame[frame["Month"] != "Month"]
    bad_month = ~body["Month"].str.match(MONTH_PATTERN)
    if bad_month.any():
        first = body[bad_month].iloc[0]
        raise SnaInputError(f"'{first['Month']}' is not a valid month", file=name,
                            row=int(first["source_row"]), column="Month", value=first["Month"],
                            fix="months must be YYYY-MM with MM from 01 to 12; download the "
                                "file again from police.uk")
    match = STREET_FILE.search(name)
    if match:
        other = body["Month"] != match["month"]
        if other.any():
            first = body[other].iloc[0]
            raise SnaInputError(
                f"month {first['Month']} does not match the file name's month {match['month']}",
                file=name, row=int(first["source_row"]), column="Month", value=first["Month"],
                fix="police.uk files hold one month each; rename or re-download the file")
    if forces is not None:
        foreign = ~body["Falls within"].isin(forces)
        if foreign.any():
            first = body[foreign].iloc[0]
            raise SnaInputError(
                f"the file holds crimes of '{first['Falls within']}', not of "
                f"{' or '.join(sorted(forces))}", file=name, row=int(first["source_row"]),
                column="Falls within", value=first["Falls within"],
                fix="remove this file from the folder, or add its force to the forces read")


def row_reasons(frame: pd.DataFrame) -> pd.Series:
    """Return one quarantine reason per row (missing where the row is fine)."""
    lsoa = frame["LSOA code"]
    lon = pd.to_numeric(frame["Longitude"].replace("", np.nan), errors="coerce")
    lat = pd.to_numeric(frame["Latitude"].replace("", np.nan), errors="coerce")
    has_lon = frame["Longitude"] != ""
    has_lat = frame["Latitude"] != ""
    with_id = frame["Crime ID"] != ""
    repeat = with_id & frame.duplicated(["Month", "Crime ID"], keep="first")
    checks = [
        (frame["Month"] == "Month", "repeated header line inside the file"),
        (~frame["Crime type"].isin(CRIME_TYPES),
         "unknown crime type (not one of the 14 police.uk categories)"),
        ((lsoa != "") & ~lsoa.str.match(LSOA_PATTERN),
         "malformed LSOA code (expected E01/W01 followed by 6 digits)"),
        ((has_lon & lon.isna()) | (has_lat & lat.isna()), "non-numeric coordinates"),
        (has_lon != has_lat, "only one of longitude and latitude given"),
        ((lon.abs() > 180) | (lat.abs() > 90), "coordinates out of range"),
        (repeat, "repeat of a Crime ID already counted this month (another outcome row)"),
    ]
    return first_reason(checks, frame.index)


def typed_street_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn validated string rows into the typed police.uk table.

    Columns: ``crime_id`` (NA for anti-social behaviour), ``month``
    (``Period[M]``), ``force`` and ``crime_type`` (categorical), ``longitude``
    and ``latitude`` (nullable floats), ``lsoa_code`` (NA when no location),
    ``located`` (bool), plus the text columns and ``source_file``/``source_row``.
    """
    out = frame.rename(columns=COLUMN_NAMES)
    for col in ("crime_id", "lsoa_code", "lsoa_name", "location", "context", "last_outcome"):
        out[col] = out[col].replace("", pd.NA)
    out["month"] = pd.PeriodIndex(out["month"], freq="M")
    out["longitude"] = pd.to_numeric(out["longitude"].replace("", pd.NA)).astype("Float64")
    out["latitude"] = pd.to_numeric(out["latitude"].replace("", pd.NA)).astype("Float64")
    zero = (out["longitude"] == 0) & (out["latitude"] == 0)
    out.loc[zero.fillna(False), ["longitude", "latitude"]] = pd.NA
    out["located"] = out["lsoa_code"].notna()
    out["crime_type"] = pd.Categorical(out["crime_type"], categories=CRIME_TYPES)
    for col in ("force", "reported_by", "source_file"):
        out[col] = out[col].astype("category")
    out["source_row"] = out["source_row"].astype("int64")
    return out


def _read_one(file: StreetFile, forces: set[str] | None) -> tuple[pd.DataFrame, pd.Series]:
    frame, bad = parse_street_csv(file.read_bytes(), file.name)
    check_month_and_force(frame, file.name, forces)
    reasons = row_reasons(frame)
    if bad:
        malformed = pd.DataFrame({c: "" for c in POLICE_UK_COLUMNS}, index=range(len(bad)))
        malformed["Location"] = [text[:200] for _, text in bad]
        malformed["source_file"] = file.name
        malformed["source_row"] = [n for n, _ in bad]
        frame = pd.concat([frame, malformed], ignore_index=True)
        wrong = pd.Series(["wrong number of fields on the line"] * len(bad), dtype=object)
        reasons = pd.concat([reasons, wrong], ignore_index=True)
    return frame, reasons


def iter_read(files: list[StreetFile], forces: set[str] | None,
              progress: bool = False) -> Iterator[tuple[pd.DataFrame, pd.Series]]:
    """Yield ``(rows, reasons)`` for each street file, with an optional progress bar.

    With ``forces=None`` every file must hold the force of the first file read.
    """
    if progress and len(files) > 1:
        from tqdm.auto import tqdm

        files = tqdm(files, desc="Reading police.uk files", unit="file")
    for file in files:
        if forces is None:
            forces = first_force(file)
        yield _read_one(file, forces)


def first_force(file: StreetFile) -> set[str] | None:
    """The force named on the first data row of ``file`` (None for a file with no rows)."""
    frame, _ = parse_street_csv(file.read_bytes(), file.name)
    named = frame.loc[frame["Falls within"] != "Month", "Falls within"]
    return {named.iloc[0]} if len(named) else None


def read_police_uk(
    source: str | Path | Iterable[str | Path],
    *,
    forces: Iterable[str] | None = None,
    months: tuple[str, str] | None = None,
    progress: bool = False,
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

    Returns
    -------
    Accounted
        ``clean``: the typed table (see :func:`typed_street_table`);
        ``quarantine``: rejected rows with ``source_file``, ``source_row`` and
        ``reason``; ``notes``: ``missing_months``, ``files``, ``months``,
        ``repeat_crime_ids_across_months``.

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
    files = find_street_files(source)
    allowed = set(forces) if forces is not None else None
    frames, reasons = [], []
    for frame, reason in iter_read(files, allowed, progress=progress):
        frames.append(frame)
        reasons.append(reason)
    rows = pd.concat(frames, ignore_index=True)
    reason = pd.concat(reasons, ignore_index=True)
    accounted = split_by_reason(rows, reason)
    clean = typed_street_table(accounted.clean)
    notes = month_notes(clean, files, months)
    with_id = clean.dropna(subset=["crime_id"])
    notes["repeat_crime_ids_across_months"] = int(with_id.duplicated("crime_id").sum())
    return Accounted(clean, accounted.quarantine, accounted.rows_in, notes)


def month_notes(clean: pd.DataFrame, files: list[StreetFile],
                months: tuple[str, str] | None) -> dict:
    """Months covered, months with no data (never zero), and the files read.

    Examples
    --------
    >>> df = pd.DataFrame({"month": pd.PeriodIndex(["2024-01", "2024-03"], freq="M")})
    >>> month_notes(df, [], None)["missing_months"]
    ['2024-02']
    """
    present = sorted(set(clean["month"].astype(str)))
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


def missing_month_runs(missing: list[str]) -> list[str]:
    """Collapse a list of missing months into readable runs.

    Examples
    --------
    >>> missing_month_runs(["2024-05", "2024-06", "2024-07", "2024-08", "2025-02"])
    ['2024-05 to 2024-08', '2025-02']
    """
    if not missing:
        return []
    periods = pd.PeriodIndex(missing, freq="M").sort_values()
    runs, start, prev = [], periods[0], periods[0]
    for p in periods[1:]:
        if p != prev + 1:
            runs.append((start, prev))
            start = p
        prev = p
    runs.append((start, prev))
    return [str(a) if a == b else f"{a} to {b}" for a, b in runs]
