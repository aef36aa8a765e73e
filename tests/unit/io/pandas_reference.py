"""The pandas statement of the police.uk street-file rules: the reference for the Arrow engine.

``sna.io.ingest`` checks street files with Arrow (:func:`sna.io.ingest.check_street_file`,
vectorised, most checks once per distinct value). The functions here state the same rules
row by row in pandas, as the project first shipped them; the tests read files both ways
and require identical clean tables, quarantined rows, reasons, errors and notes
(tests/unit/io/test_national.py, tests/unit/io/test_ingest.py). They live with the tests
because nothing in the library uses them.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from sna.errors import SnaInputError
from sna.io.accounting import Accounted, first_reason, split_by_reason
from sna.io.ingest import (
    COLUMN_NAMES,
    CRIME_TYPES,
    LSOA_PATTERN,
    MONTH_PATTERN,
    POLICE_UK_COLUMNS,
    REASON_CRIME_TYPE,
    REASON_HEADER,
    REASON_LSOA,
    REASON_MALFORMED,
    REASON_NON_NUMERIC,
    REASON_ONE_COORDINATE,
    REASON_OUT_OF_RANGE,
    REASON_REPEAT,
    STREET_FILE,
    StreetFile,
    find_street_files,
    month_notes,
    read_street_arrow,
)


def _strings(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    return values.cast(pa.string()) if pa.types.is_dictionary(values.type) else values


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
    table, bad = read_street_arrow(data, name)
    frame = pa.table({c: _strings(table[c]) for c in POLICE_UK_COLUMNS}).to_pandas()
    frame["source_file"] = name
    frame["source_row"] = table["source_row"].to_numpy()
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
    blank = body["Falls within"].str.strip() == ""
    if blank.any():
        raise SnaInputError("'Falls within' (the force) is blank", file=name,
                            row=int(body.loc[blank, "source_row"].iloc[0]),
                            column="Falls within", fix="police.uk files name the force "
                            "on every row; download the file again, or fill in the force")
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
        (frame["Month"] == "Month", REASON_HEADER),
        (~frame["Crime type"].isin(CRIME_TYPES), REASON_CRIME_TYPE),
        ((lsoa != "") & ~lsoa.str.match(LSOA_PATTERN), REASON_LSOA),
        ((has_lon & lon.isna()) | (has_lat & lat.isna()), REASON_NON_NUMERIC),
        (has_lon != has_lat, REASON_ONE_COORDINATE),
        ((lon.abs() > 180) | (lat.abs() > 90), REASON_OUT_OF_RANGE),
        (repeat, REASON_REPEAT),
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


def read_one(file: StreetFile, forces: set[str] | None) -> tuple[pd.DataFrame, pd.Series]:
    """One file's rows as strings and one reason per row (missing where the row is fine)."""
    frame, bad = parse_street_csv(file.read_bytes(), file.name)
    check_month_and_force(frame, file.name, forces)
    reasons = row_reasons(frame)
    if bad:
        malformed = pd.DataFrame({c: "" for c in POLICE_UK_COLUMNS}, index=range(len(bad)))
        malformed["Location"] = [text[:200] for _, text in bad]
        malformed["source_file"] = file.name
        malformed["source_row"] = [n for n, _ in bad]
        frame = pd.concat([frame, malformed], ignore_index=True)
        wrong = pd.Series([REASON_MALFORMED] * len(bad), dtype=object)
        reasons = pd.concat([reasons, wrong], ignore_index=True)
    return frame, reasons


def iter_read(files: list[StreetFile], forces: set[str] | None) -> Iterator[tuple[pd.DataFrame, pd.Series]]:
    """Yield ``(rows, reasons)`` for each street file, one after another.

    With ``forces=None`` every file must hold the force of the first file read.
    """
    for file in files:
        if forces is None:
            forces = first_force(file)
        yield read_one(file, forces)


def first_force(file: StreetFile) -> set[str] | None:
    """The force named on the first data row of ``file`` (None for a file with no rows)."""
    frame, _ = parse_street_csv(file.read_bytes(), file.name)
    named = frame.loc[frame["Falls within"] != "Month", "Falls within"]
    return {named.iloc[0]} if len(named) else None


def reference_read(source, forces=None, months=None) -> Accounted:
    """read_police_uk as first written: the pandas functions, one file after another."""
    files = find_street_files(source)
    allowed = set(forces) if forces is not None else None
    frames, reasons = zip(*iter_read(files, allowed), strict=True)
    accounted = split_by_reason(pd.concat(frames, ignore_index=True),
                                pd.concat(reasons, ignore_index=True))
    clean = typed_street_table(accounted.clean)
    notes = month_notes(clean, files, months)
    with_id = clean.dropna(subset=["crime_id"])
    notes["repeat_crime_ids_across_months"] = int(with_id.duplicated("crime_id").sum())
    blank = sum(blank_records(file.read_bytes()) for file in files)
    if blank:
        notes["blank_lines_skipped"] = blank
    return Accounted(clean, accounted.quarantine, accounted.rows_in, notes)


def blank_records(data: bytes) -> int:
    r"""Blank lines of a CSV file by the documented rule, written as a plain loop.

    A line ends at a line feed outside double quotes; it is blank when it holds nothing or
    only a carriage return; the empty "line" after a final line feed does not count. (Python's
    csv module also ends lines at a lone carriage return, which police.uk files never hold.)
    """
    lines, current, quoted = [], [], False
    for byte in data:
        if byte == 34:
            quoted = not quoted
        if byte == 10 and not quoted:
            lines.append(bytes(current))
            current = []
        else:
            current.append(byte)
    if current:
        lines.append(bytes(current))
    return sum(1 for line in lines if line in (b"", b"\r"))
