"""Shared pieces of the partner-data readers: file text, header, symbols, area codes.

One helper per concept, used by :mod:`~sna.io.partner.dfe`, :mod:`~sna.io.partner.fingertips`
and :mod:`~sna.io.partner.ons`.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import io
import re
import zlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pandas as pd

from sna.errors import SnaInputError

__all__ = [
    "area_code_changes",
    "csv_frame",
    "decode_csv",
    "duplicated_keys",
    "find_header",
    "map_area_codes",
    "mapping_sentence",
    "parse_values",
    "read_bytes",
    "same_boundary_codes",
    "split_codes",
    "split_note",
    "symbol_reason",
]

SYMBOLS: dict[str, str] = {
    "c": "suppressed to protect confidentiality (small number)",
    "x": "not available",
    "z": "not applicable",
    "low": "rounds to zero (below 0.5)",
    "u": "low reliability",
    ":": "not available",
    "..": "not available",
    "": "no value published",
}
"""Explore Education Statistics (and GSS) symbols for a value that is not published, and why."""

CODE_CHANGES_FILE = "upper_tier_changes_2023_en.csv"
"""The shipped lookup of the April 2023 upper-tier local-government changes (in
``data/raw/shipped/geography``; provenance in ``data/README.md``)."""
CHANGE_COLUMNS = ("old_code", "old_name", "new_code", "new_name", "change", "date")

AREA_CODE_PATTERN = r"^[EWSNK]\d{8}$"
HEADER_SEARCH_LINES = 20


def read_bytes(path: str | Path, what: str) -> bytes:
    """Return a file's bytes, gunzipped if needed; SnaInputError if missing, empty or corrupt.

    Parameters
    ----------
    path : str or Path
        The file (plain or gzip).
    what : str
        What the file is, for the error's fix (e.g. "a DfE CSV").

    Returns
    -------
    bytes
        The file's (decompressed) bytes.

    Examples
    --------
    >>> try:
    ...     read_bytes("no/such/file.csv", "a DfE CSV")
    ... except SnaInputError as err:
    ...     print(err.problem)
    the file does not exist
    """
    file = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SnaInputError("the file does not exist", file=file,
                            fix=f"check the path and file name of {what}") from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            raise SnaInputError("the gzip file is damaged or cut short", file=file,
                                fix=f"download {what} again") from None
    if not data.strip():
        raise SnaInputError("the file is empty", file=file, fix=f"download {what} again")
    return data


def decode_csv(data: bytes, file: str) -> str:
    r"""Decode CSV bytes as UTF-8 (BOM allowed); refuse workbooks and other encodings.

    Parameters
    ----------
    data : bytes
        The file's bytes.
    file : str
        The file's name, for error messages.

    Returns
    -------
    str
        The text, without a byte-order mark.

    Examples
    --------
    >>> decode_csv("\ufeffa,b\n".encode("utf-8"), "f.csv")
    'a,b\n'
    """
    if data[:2] == b"PK":
        raise SnaInputError("the file is an Excel workbook or a zip archive, not a CSV",
                            file=file, fix="download the CSV version of the data, or open it "
                            "in Excel and 'Save as' CSV UTF-8")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SnaInputError("the file is UTF-16 text", file=file,
                            fix="re-save it as 'CSV UTF-8 (comma delimited)'")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        row = data.count(b"\n", 0, err.start) + 1
        raise SnaInputError(f"the file is not UTF-8 (byte 0x{data[err.start]:02x})", file=file,
                            row=row, fix="re-save as UTF-8 (in Excel: 'Save as' > 'CSV UTF-8')"
                            ) from None


def find_header(lines: list[list[str]], required: Sequence[str], file: str, what: str,
                *, sheet: str | None = None, repeated_ok: Sequence[str] = (),
                unit: str = "line") -> None:
    """Check that line 1 is the header with every required column, or say what is wrong.

    Parameters
    ----------
    lines : list of list of str
        The first lines of the file (or sheet), split into cells.
    required : sequence of str
        Column names that must be present (exact, after stripping spaces).
    file, what : str
        File named in messages, and what the file should be ("a Fingertips export").
    sheet : str, optional
        Sheet name, for workbooks.
    repeated_ok : sequence of str
        Column names the published layout itself repeats (e.g. ``SNP``).
    unit : str, default "line"
        "line" for text files, "row" for worksheets.

    Raises
    ------
    SnaInputError
        The header is further down (title or notes above it), a column is missing (with the
        closest name present), or a column name appears twice.

    Examples
    --------
    >>> try:
    ...     find_header([["Title"], ["a", "b"]], ["a", "b"], "f.csv", "a test file")
    ... except SnaInputError as err:
    ...     print(err.row, err.problem)
    2 the header row is on line 2, not line 1 (the line above it looks like a title or notes)
    """
    where = f"sheet '{sheet}' of " if sheet else ""
    header = [str(c).strip() if c is not None else "" for c in (lines[0] if lines else [])]
    if all(name in header for name in required):
        seen: dict[str, int] = {}
        for position, name in enumerate(header, start=1):
            if name and name in seen and name not in repeated_ok:
                raise SnaInputError(
                    f"column '{name}' appears twice in the header (columns {seen[name]} and "
                    f"{position})", file=file, row=1, column=name,
                    fix="delete or rename one of the two columns")
            seen[name] = position
        return
    for number, line in enumerate(lines[1:HEADER_SEARCH_LINES], start=2):
        cells = [str(c).strip() if c is not None else "" for c in line]
        if all(name in cells for name in required):
            above = number - 1
            lines_text = unit if above == 1 else f"{above} {unit}s"
            looks = (f"the {unit} above it looks" if above == 1
                     else f"the {above} {unit}s above it look")
            raise SnaInputError(
                f"the header row is on {unit} {number}, not {unit} 1 ({looks} like a title "
                "or notes)", file=file, row=number,
                fix=f"delete the {lines_text} above the header in {where}the file and save "
                    "it again")
    missing = [name for name in required if name not in header]
    name = missing[0]
    others = {h.lower(): h for h in header if h and h not in required}
    close = [others[c] for c in difflib.get_close_matches(name.lower(), list(others), n=1,
                                                           cutoff=0.6)]
    hint = f"; the closest column in the file is '{close[0]}'" if close else ""
    fix = (f"rename '{close[0]}' to '{name}'" if close
           else f"check that this is {what} in its published layout (header on line 1)")
    raise SnaInputError(f"required column '{name}' is missing from {where}the header{hint}",
                        file=file, row=1, column=name, fix=fix)


def csv_frame(path: str | Path, required: Sequence[str], what: str,
              *, repeated_ok: Sequence[str] = ()) -> pd.DataFrame:
    r"""Read a published CSV as text with ``source_file`` and ``source_row`` (header = line 1).

    Blank lines (every cell empty) are dropped, not counted as rows, and their number is kept
    in ``attrs["blank_lines"]``. Every value stays text; the readers type them.

    Parameters
    ----------
    path : str or Path
        The CSV file (plain or gzip).
    required : sequence of str
        Columns the header must have.
    what : str
        What the file is, for error messages.
    repeated_ok : sequence of str, default ()
        Columns that may appear more than once in the header.

    Returns
    -------
    pandas.DataFrame
        The file's columns as text, plus ``source_file`` (str) and ``source_row`` (int,
        the line in the file).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_text("a,b\n1,c\n")
    >>> csv_frame(path, ["a", "b"], "a test file")[["a", "b", "source_row"]].values.tolist()
    [['1', 'c', 2]]
    """
    file = str(path)
    text = decode_csv(read_bytes(path, what), file)
    head = list(csv.reader(io.StringIO("\n".join(text.splitlines()[:HEADER_SEARCH_LINES]))))
    find_header(head, required, file, what, repeated_ok=repeated_ok)
    header = _unique_names([c.strip() for c in head[0]])
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False,
                          skip_blank_lines=False, header=0, names=header)
    except pd.errors.ParserError as err:
        found = re.search(r"line (\d+), saw (\d+)", str(err))
        row = int(found.group(1)) if found else None
        raise SnaInputError(f"a row has more fields than the header's {len(header)} columns",
                            file=file, row=row, fix="check for an unquoted comma in a text "
                            "field, or download the file again") from None
    raw.insert(0, "source_row", pd.RangeIndex(2, len(raw) + 2))
    raw.insert(0, "source_file", Path(file).name)
    blank = raw[header].apply(lambda col: col.str.strip() == "").all(axis=1)
    raw = raw.loc[~blank].reset_index(drop=True)
    raw.attrs["blank_lines"] = int(blank.sum())
    if raw.empty:
        raise SnaInputError("the file has a header but no data rows", file=file,
                            fix=f"download {what} again")
    return raw


def _unique_names(names: list[str]) -> list[str]:
    """Make repeated (and blank) column names unique: SNP, SNP.1, SNP.2 ..."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        name = name or "unnamed"
        if name in seen:
            seen[name] += 1
            out.append(f"{name}.{seen[name]}")
        else:
            seen[name] = 0
            out.append(name)
    return out


def parse_values(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Numbers, the symbol of each unpublished value, and a mask of unreadable values.

    Parameters
    ----------
    text : pandas.Series
        Published cells as text.

    Returns
    -------
    (values, symbol, bad)
        ``values`` Float64 (missing for a symbol), ``symbol`` the published symbol (missing
        for a number; "" for a blank cell), ``bad`` True where the text is neither.

    Examples
    --------
    >>> v, s, bad = parse_values(pd.Series(["12", "c", "", "1,200", "oops"]))
    >>> v.tolist(), s.tolist()
    ([12.0, <NA>, <NA>, 1200.0, <NA>], [<NA>, 'c', '', <NA>, <NA>])
    >>> bad.tolist()
    [False, False, False, False, True]
    """
    clean = text.astype(str).str.strip()
    lowered = clean.str.lower()
    symbol = lowered.where(lowered.isin(SYMBOLS)).astype("string")
    number = pd.to_numeric(clean.str.replace(",", "", regex=False).where(symbol.isna()),
                           errors="coerce")
    bad = symbol.isna() & number.isna()
    return number.astype("Float64"), symbol, bad


def symbol_reason(symbol: pd.Series) -> pd.Series:
    """Plain-English reason for each published symbol (missing where there is none).

    Parameters
    ----------
    symbol : pandas.Series
        Published symbols (as from :func:`parse_values`).

    Returns
    -------
    pandas.Series
        string dtype, one reason per symbol.

    Examples
    --------
    >>> symbol_reason(pd.Series(["c", None])).tolist()
    ['suppressed to protect confidentiality (small number)', <NA>]
    """
    return symbol.map(SYMBOLS).astype("string")


@cache
def area_code_changes(*, path: str | None = None) -> pd.DataFrame:
    """The April 2023 upper-tier code changes: one row per (old code, new code).

    ``change`` is "same boundary" (a county replaced by a unitary council covering exactly the
    same area: its earlier figures continue the same series) or "split" (a county divided
    between several new councils: its figures belong to none of them alone).

    Parameters
    ----------
    path : str, optional
        Another lookup with the same columns (default: the shipped one).

    Returns
    -------
    pandas.DataFrame
        ``old_code, old_name, new_code, new_name, change, date`` as text, one row per
        (old code, new code).

    Raises
    ------
    SnaInputError
        The file is missing, lacks a column, or has a change other than the two kinds.

    Examples
    --------
    >>> changes = area_code_changes()
    >>> sorted(changes["change"].unique())
    ['same boundary', 'split']
    """
    from sna.paths import raw_dir

    file = Path(path) if path else raw_dir() / "shipped" / "geography" / CODE_CHANGES_FILE
    text = decode_csv(read_bytes(file, "the April 2023 area code change lookup"), str(file))
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    missing = [c for c in CHANGE_COLUMNS if c not in frame.columns]
    if missing:
        raise SnaInputError(f"required column '{missing[0]}' is missing", file=str(file),
                            row=1, column=missing[0],
                            fix=f"the header must be: {','.join(CHANGE_COLUMNS)}")
    bad = frame.index[~frame["change"].isin(["same boundary", "split"])]
    if len(bad):
        raise SnaInputError(f"change {frame.loc[bad[0], 'change']!r} is not 'same boundary' "
                            "or 'split'", file=str(file), row=int(bad[0]) + 2, column="change",
                            fix="write 'same boundary' or 'split'")
    counted = frame.groupby("old_code")["new_code"].transform("count")
    wrong = frame.index[(frame["change"] == "same boundary") & (counted > 1)]
    if len(wrong):
        raise SnaInputError(f"{frame.loc[wrong[0], 'old_code']} is 'same boundary' but has "
                            "several new codes", file=str(file), row=int(wrong[0]) + 2,
                            column="change", fix="mark a county divided between councils "
                                                 "'split'")
    return frame[list(CHANGE_COLUMNS)]


def same_boundary_codes() -> dict[str, str]:
    """Old county code -> the unitary council's code, for changes with the same boundary.

    Returns
    -------
    dict of str to str
        Old county code -> new council code.

    Examples
    --------
    >>> same_boundary_codes()["E10000027"]
    'E06000066'
    """
    changes = area_code_changes()
    same = changes[changes["change"] == "same boundary"]
    return dict(zip(same["old_code"], same["new_code"], strict=True))


def split_codes() -> dict[str, list[str]]:
    """Old county code -> the councils it was split between (their figures cannot be copied).

    Returns
    -------
    dict of str to list of str
        Old county code -> the successor councils' codes, sorted.

    Examples
    --------
    >>> split_codes()["E10000006"]
    ['E06000063', 'E06000064']
    """
    changes = area_code_changes()
    split = changes[changes["change"] == "split"]
    return {old: sorted(group["new_code"]) for old, group in split.groupby("old_code")}


def split_note(code: str) -> str | None:
    """Why a successor of a split county has no figures of its own before the split.

    Returns ``None`` when ``code`` did not succeed a split county.

    Parameters
    ----------
    code : str
        A council's area code.

    Returns
    -------
    str or None
        The "not available: ..." sentence, or None.

    Examples
    --------
    >>> print(split_note("E06000064"))  # doctest: +NORMALIZE_WHITESPACE
    not available: published for the former Cumbria County Council (E10000006) only, which
    was split on 1 April 2023 between Westmorland and Furness Council and Cumberland Council
    (E06000063); its figures cannot be divided between them, so they are not copied to either
    >>> split_note("E06000010") is None
    True
    """
    changes = area_code_changes()
    rows = changes[(changes["change"] == "split") & (changes["new_code"] == code)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    others = changes[(changes["old_code"] == row["old_code"]) & (changes["new_code"] != code)]
    shared = " and ".join(f"{r['new_name']} ({r['new_code']})" for _, r in others.iterrows())
    when = pd.Timestamp(row["date"])
    return (f"not available: published for the former {row['old_name']} ({row['old_code']}) "
            f"only, which was split on {when.day} {when:%B %Y} between {row['new_name']} and "
            f"{shared}; "
            "its figures cannot be divided between them, so they are not copied to either")


def map_area_codes(codes: pd.Series) -> tuple[pd.Series, dict[str, int]]:
    """Replace pre-2023 county codes by the current council's code; count each replacement.

    Only counties replaced by one council with the same boundary are mapped
    (:func:`same_boundary_codes`); a county that was split keeps its own code, because its
    figures belong to no single successor.

    Parameters
    ----------
    codes : pandas.Series
        Area codes (stripped and upper-cased here).

    Returns
    -------
    (pandas.Series, dict of str to int)
        The codes with same-boundary counties replaced, and ``"old -> new"`` -> rows
        replaced.

    Examples
    --------
    >>> codes, mapped = map_area_codes(pd.Series(["E10000027", "E10000006", "E06000010"]))
    >>> codes.tolist(), mapped
    (['E06000066', 'E10000006', 'E06000010'], {'E10000027 -> E06000066': 1})
    """
    stripped = codes.astype(str).str.strip().str.upper()
    changes = same_boundary_codes()
    mapped = {}
    for old, new in changes.items():
        n = int((stripped == old).sum())
        if n:
            mapped[f"{old} -> {new}"] = n
    return stripped.replace(changes), mapped


def mapping_sentence(mapped: dict[str, int]) -> str | None:
    """A sentence saying which old area codes were mapped, for the report's notes.

    Parameters
    ----------
    mapped : dict of str to int
        ``"old -> new"`` -> rows, as from :func:`map_area_codes`.

    Returns
    -------
    str or None
        One sentence per mapping, joined; None when nothing was mapped.

    Examples
    --------
    >>> print(mapping_sentence({"E10000027 -> E06000066": 6}))  # doctest: +NORMALIZE_WHITESPACE
    6 rows for the former Somerset County Council (E10000027, before April 2023) are counted
    as Somerset Council (E06000066), which has the same boundary.
    >>> mapping_sentence({}) is None
    True
    """
    changes = area_code_changes().set_index(["old_code", "new_code"])
    sentences = []
    for pair, n in mapped.items():
        if not n:
            continue
        old, _, new = pair.partition(" -> ")
        old_name, new_name = changes.loc[(old, new), ["old_name", "new_name"]]
        verb = "rows" if n != 1 else "row"
        sentences.append(f"{n} {verb} for the former {old_name} ({old}, before April 2023) "
                         f"{'are' if n != 1 else 'is'} counted as {new_name} ({new}), which "
                         "has the same boundary.")
    return " ".join(sentences) or None


def duplicated_keys(frame: pd.DataFrame, keys: Sequence[str], valid: pd.Series) -> pd.Series:
    """True for a valid row whose key repeats that of an earlier valid row.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows.
    keys : sequence of str
        The key columns.
    valid : pandas.Series
        bool per row; only valid rows are compared.

    Returns
    -------
    pandas.Series
        bool, aligned on ``frame``'s index.

    Examples
    --------
    >>> df = pd.DataFrame({"k": ["a", "a", "b"]})
    >>> duplicated_keys(df, ["k"], pd.Series([True, True, True])).tolist()
    [False, True, False]
    """
    keyed = frame.loc[valid.to_numpy(), list(keys)]
    repeated = keyed.duplicated(keep="first")
    out = pd.Series(False, index=frame.index)
    out[repeated.index[repeated.to_numpy()]] = True
    return out
