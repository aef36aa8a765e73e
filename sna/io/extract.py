"""Read a force's record-level crime extract (one row per offence) with row accounting.

The extract is what a police force sends a Community Safety Partnership for the
Serious Violence Duty needs assessment and the hate-crime review: one row per
recorded offence with its Home Office offence code, LSOA 2021, a domestic-abuse
flag and one yes/no column per hate-crime strand. The schema is documented in
``data/README.md (force-extract schema)`` and a template is ``data/force_extract_template.csv``.

:func:`read_force_extract` raises :class:`~sna.errors.SnaInputError` for problems
with the whole file (encoding, missing or unknown columns, empty file) and
quarantines single bad rows with one reason each, so that
``rows_in == len(clean) + len(quarantine)``.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import io
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from sna.errors import SnaInputError
from sna.io.accounting import Accounted, first_reason, split_by_reason

__all__ = [
    "check_strands",
    "extract_columns",
    "normalise_offence_code",
    "offence_codes",
    "read_force_extract",
    "strand_column",
]

DEFAULT_STRANDS: tuple[str, ...] = (
    "race", "religion", "sexual_orientation", "disability", "transgender",
    "misogyny", "sex_worker", "asylum_migrant", "gypsy_traveller", "alt_subculture",
)
"""The five nationally monitored strands, then five that some partnerships record locally."""

STRAND_LABELS: dict[str, str] = {
    "race": "Race", "religion": "Religion", "sexual_orientation": "Sexual orientation",
    "disability": "Disability", "transgender": "Transgender", "misogyny": "Misogyny",
    "sex_worker": "Sex worker", "asylum_migrant": "Asylum seeker / migrant",
    "gypsy_traveller": "Gypsy / Traveller", "alt_subculture": "Alternative subculture",
}
"""Plain-English names of the strands, for tables and sentences."""

HATE_PREFIX = "hate_"
REQUIRED_COLUMNS = ("crime_ref", "offence_date", "ho_offence_code", "lsoa21_code", "da_flag")
OPTIONAL_COLUMNS = ("offence_time", "offence_description", "victim_age_band", "victim_sex")
AGE_BANDS = ("0-15", "16-24", "25-34", "35-49", "50-64", "65+")
VICTIM_SEXES = ("F", "M", "X")
TRUE_TEXT = frozenset({"y", "yes", "true", "t", "1"})
FALSE_TEXT = frozenset({"n", "no", "false", "f", "0"})
SEX_TEXT = {"f": "F", "female": "F", "m": "M", "male": "M", "x": "X", "": "", "u": "",
            "unknown": "", "not known": "", "not recorded": ""}

OFFENCE_CODE_PATTERN = r"^\d{1,3}[A-Z]?(/\d{1,2})?$"
LSOA_PATTERN = r"^[EW]01\d{6}$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
TIME_PATTERN = r"^([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"
EXCEL_DATE_PATTERN = r"^\d{1,2}/\d{1,2}/\d{2,4}( .*)?$"

REASON_MISSING_REF = "missing crime_ref"
REASON_BAD_DATE = "bad offence_date"
REASON_BAD_TIME = "bad offence_time"
REASON_MALFORMED_CODE = "malformed ho_offence_code"
REASON_UNKNOWN_CODE = "unknown ho_offence_code"
REASON_MALFORMED_LSOA = "malformed lsoa21_code"
REASON_OUTSIDE_STUDY = "LSOA outside study area"
REASON_BAD_AGE = "unknown victim_age_band"
REASON_BAD_SEX = "unknown victim_sex"
REASON_DUPLICATE_REF = "duplicate crime_ref"


def strand_column(strand: str) -> str:
    """Return the extract column holding the flag for ``strand``.

    Examples
    --------
    >>> strand_column("sexual_orientation")
    'hate_sexual_orientation'
    """
    return f"{HATE_PREFIX}{strand}"


def extract_columns(strands: Sequence[str] = DEFAULT_STRANDS) -> list[str]:
    """Return the extract's columns in the documented order.

    Examples
    --------
    >>> extract_columns(["race", "disability"])[-4:]
    ['hate_race', 'hate_disability', 'victim_age_band', 'victim_sex']
    """
    return ["crime_ref", "offence_date", "offence_time", "ho_offence_code", "offence_description",
            "lsoa21_code", "da_flag", *[strand_column(s) for s in strands],
            "victim_age_band", "victim_sex"]


@lru_cache(maxsize=1)
def _offence_code_table() -> pd.DataFrame:
    text = resources.files("sna.io").joinpath("offence_codes.csv").read_text(encoding="utf-8")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def offence_codes() -> pd.DataFrame:
    """Return the Home Office offence code lookup shipped with the package.

    Returns
    -------
    pandas.DataFrame
        ``ho_offence_code, offence_description, police_uk_category, svd_group``: a
        subset of the Home Office Counting Rules classifications relevant to serious
        violence, domestic abuse and hate crime (see ``data/README.md (force-extract schema)``).

    Examples
    --------
    >>> codes = offence_codes().set_index("ho_offence_code")
    >>> codes.loc["8N", "offence_description"], codes.loc["56A", "svd_group"]
    ('Assault with injury', 'arson_endangering_life')
    """
    return _offence_code_table().copy()


def normalise_offence_code(codes: pd.Series) -> pd.Series:
    """Put Home Office offence codes in the documented form.

    Upper-case, surrounding spaces removed, and a dot between class and sub-class
    read as a slash (ONS tables write ``4.1`` for the Counting Rules' ``4/1``).

    Examples
    --------
    >>> normalise_offence_code(pd.Series([" 8n", "4.1", "105a"])).tolist()
    ['8N', '4/1', '105A']
    """
    return codes.astype("str").str.strip().str.upper().str.replace(".", "/", regex=False)


def check_strands(strands: Iterable[str]) -> tuple[str, ...]:
    """Validate a list of strand names and return it as a tuple.

    Raises
    ------
    SnaInputError
        Empty list, a repeated strand, or a name that is not lower-case snake case.

    Examples
    --------
    >>> check_strands(["race", "disability"])
    ('race', 'disability')
    """
    if isinstance(strands, str):
        strands = [strands]
    strands = tuple(strands)
    if not strands:
        raise SnaInputError("strands is empty", fix="list at least one strand, e.g. ['race']",
                            column="strands")
    for strand in strands:
        if not isinstance(strand, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", strand):
            raise SnaInputError(f"strand name {strand!r} is not lower-case snake case",
                                fix="name strands like 'sexual_orientation' (the column is "
                                    "hate_<strand>)", column="strands", value=strand)
    repeated = sorted({s for s in strands if strands.count(s) > 1})
    if repeated:
        raise SnaInputError(f"strands lists {repeated} more than once",
                            fix="list each strand once", column="strands", value=repeated)
    return strands


# ---------------------------------------------------------------- file-level checks


def _decode(data: bytes, file: str) -> str:
    if data[:2] == b"PK":
        raise SnaInputError("the file is an Excel workbook or a zip archive, not a CSV",
                            fix="open it in Excel and 'Save as' CSV UTF-8", file=file)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SnaInputError("the file is UTF-16 text (Excel 'Unicode text')",
                            fix="re-save it as 'CSV UTF-8 (comma delimited)'", file=file)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        row = data.count(b"\n", 0, err.start) + 1
        byte = data[err.start:err.start + 1]
        try:
            data.decode("cp1252")
            guess = "Windows-1252 (cp1252)"
        except UnicodeDecodeError:
            guess = "Latin-1 (ISO-8859-1)"
        char = byte.decode("latin-1")
        raise SnaInputError(
            f"the file is not UTF-8: byte 0x{byte.hex()} (probably {char!r}) looks like "
            f"{guess} text", fix="re-save as UTF-8 (in Excel: 'Save as' > 'CSV UTF-8')",
            file=file, row=row) from None


def _read_text(path: str | Path) -> str:
    file = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SnaInputError("the file does not exist", fix="check the path and file name",
                            file=file) from None
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    text = _decode(data, file)
    if not text.strip():
        raise SnaInputError("the file is empty", fix="export the extract again; it should "
                            "have a header row and one row per offence", file=file)
    return text


def _normalise_name(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _header(text: str, file: str) -> list[str]:
    header = [_normalise_name(c) for c in next(csv.reader(io.StringIO(text)))]
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name in seen:
            raise SnaInputError(
                f"column '{name}' appears twice in the header (columns {seen[name]} and "
                f"{position})", fix="delete or rename one of the two columns", file=file,
                row=1, column=name)
        seen[name] = position
    return header


def _check_columns(header: list[str], strands: tuple[str, ...], file: str) -> list[str]:
    """Raise for unknown strand columns and missing columns; return extra columns."""
    allowed = {strand_column(s) for s in strands}
    for name in header:
        if name.startswith(HATE_PREFIX) and name not in allowed:
            raise SnaInputError(
                f"column '{name}' is a hate-strand column but strand "
                f"'{name[len(HATE_PREFIX):]}' is not in strands (allowed: {', '.join(strands)})",
                fix=f"add '{name[len(HATE_PREFIX):]}' to strands= if it is a strand the force "
                    "records, otherwise remove or rename the column",
                file=file, row=1, column=name)
    known = set(extract_columns(strands))
    extra = [c for c in header if c not in known]
    required = [*REQUIRED_COLUMNS, *[strand_column(s) for s in strands]]
    for name in required:
        if name not in header:
            close = difflib.get_close_matches(name, extra, n=1, cutoff=0.6)
            hint = f"; the closest column in the file is '{close[0]}'" if close else ""
            fix = (f"rename '{close[0]}' to '{name}'" if close else
                   f"add a '{name}' column (see data/README.md (force-extract schema))")
            if name.startswith(HATE_PREFIX) and not close:
                fix += f", or drop '{name[len(HATE_PREFIX):]}' from strands="
            raise SnaInputError(f"required column '{name}' is missing{hint}", fix=fix,
                                file=file, row=1, column=name)
    return extra


def _parse(text: str, header: list[str], file: str) -> pd.DataFrame:
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                          na_filter=False, skip_blank_lines=False, header=0, names=header)
    except pd.errors.ParserError as err:
        found = re.search(r"line (\d+), saw (\d+)", str(err))
        row = int(found.group(1)) if found else None
        saw = f" has {found.group(2)} fields" if found else " cannot be parsed"
        raise SnaInputError(f"this row{saw} but the header has {len(header)} columns",
                            fix="check for an unquoted comma in a text field (quote the "
                                "field) or a stray separator", file=file, row=row) from None
    raw = raw.fillna("").astype(str)
    raw.insert(0, "source_row", pd.RangeIndex(2, len(raw) + 2))
    raw.insert(0, "source_file", Path(file).name)
    return raw


def _check_body(raw: pd.DataFrame, header: list[str], file: str) -> None:
    if raw.empty:
        raise SnaInputError("the file has a header but no data rows",
                            fix="export the extract again with the offences for the period",
                            file=file)
    repeated = pd.Series(True, index=raw.index)
    for column in header:
        repeated &= raw[column].str.strip().str.lower().str.replace(" ", "_") == column
    if repeated.any():
        row = int(raw.loc[repeated, "source_row"].iloc[0])
        raise SnaInputError("the header row is repeated inside the file (two extracts pasted "
                            "together?)", fix="delete the repeated header line", file=file,
                            row=row)
    dates = raw["offence_date"].str.strip()
    excel = dates.str.match(EXCEL_DATE_PATTERN)
    if excel.mean() > 0.5:
        row = int(raw.loc[excel, "source_row"].iloc[0])
        raise SnaInputError(
            "offence_date is written as DD/MM/YYYY (as Excel shows dates)",
            fix="format the column as YYYY-MM-DD before saving (Excel: Format Cells > "
                "Custom > yyyy-mm-dd)", file=file, row=row, column="offence_date",
            value=dates[excel].iloc[0])


# ---------------------------------------------------------------- row-level checks


def _flag_checks(raw: pd.DataFrame, flag_columns: list[str]) -> tuple[list, dict]:
    checks, blanks = [], {}
    for column in flag_columns:
        text = raw[column].str.strip().str.lower()
        blank = int((text == "").sum())
        if blank:
            blanks[column] = blank
        bad = ~text.isin(TRUE_TEXT | FALSE_TEXT | {""})
        checks.append((bad, f"non-boolean {column}"))
    return checks, blanks


def _row_reasons(raw: pd.DataFrame, strands: tuple[str, ...],
                 study_lsoas: Iterable[str] | None) -> tuple[pd.Series, dict]:
    ref = raw["crime_ref"].str.strip()
    date_text = raw["offence_date"].str.strip()
    date = pd.to_datetime(date_text.where(date_text.str.match(DATE_PATTERN)),
                          format="%Y-%m-%d", errors="coerce")
    time_text = raw["offence_time"].str.strip()
    code = normalise_offence_code(raw["ho_offence_code"])
    lsoa = raw["lsoa21_code"].str.strip().str.upper()
    flag_checks, blanks = _flag_checks(raw, ["da_flag", *[strand_column(s) for s in strands]])
    checks = [
        (ref == "", REASON_MISSING_REF),
        (date.isna(), REASON_BAD_DATE),
        ((time_text != "") & ~time_text.str.match(TIME_PATTERN), REASON_BAD_TIME),
        (~code.str.match(OFFENCE_CODE_PATTERN), REASON_MALFORMED_CODE),
        (~code.isin(_offence_code_table()["ho_offence_code"]), REASON_UNKNOWN_CODE),
        (~lsoa.str.match(LSOA_PATTERN), REASON_MALFORMED_LSOA),
    ]
    if study_lsoas is not None:
        study = {str(c).strip().upper() for c in study_lsoas}
        checks.append((~lsoa.isin(study), REASON_OUTSIDE_STUDY))
    checks += flag_checks
    age = raw["victim_age_band"].str.strip()
    checks.append((~age.isin({*AGE_BANDS, ""}), REASON_BAD_AGE))
    sex = raw["victim_sex"].str.strip().str.lower()
    checks.append((~sex.isin(SEX_TEXT), REASON_BAD_SEX))
    reason = first_reason(checks, raw.index)
    duplicate = reason.isna() & ref.where(reason.isna()).duplicated(keep="first")
    reason[duplicate & reason.isna()] = REASON_DUPLICATE_REF
    return reason, {"blank_flags_read_as_N": blanks}


# ---------------------------------------------------------------- typing the clean rows


def _typed(clean: pd.DataFrame, strands: tuple[str, ...], extra: list[str]) -> pd.DataFrame:
    codes = _offence_code_table().set_index("ho_offence_code")
    out = pd.DataFrame(index=clean.index)
    out["crime_ref"] = clean["crime_ref"].str.strip()
    out["offence_date"] = pd.to_datetime(clean["offence_date"].str.strip(), format="%Y-%m-%d")
    out["month"] = out["offence_date"].dt.to_period("M")
    time = clean["offence_time"].str.strip()
    hhmm = time.str.replace(r"^(\d):", r"0\1:", regex=True).str.slice(0, 5)
    out["offence_time"] = hhmm.where(time != "")
    code = normalise_offence_code(clean["ho_offence_code"])
    out["ho_offence_code"] = pd.Categorical(code, categories=codes.index)
    given = clean["offence_description"].str.strip()
    out["offence_description"] = given.where(given != "", code.map(codes["offence_description"]))
    for column in ("police_uk_category", "svd_group"):
        out[column] = code.map(codes[column]).astype("category")
    lsoa = clean["lsoa21_code"].str.strip().str.upper()
    out["lsoa21_code"] = pd.Categorical(lsoa, categories=sorted(lsoa.unique()))
    for column in ["da_flag", *[strand_column(s) for s in strands]]:
        out[column] = clean[column].str.strip().str.lower().isin(TRUE_TEXT)
    out["n_hate_strands"] = out[[strand_column(s) for s in strands]].sum(axis=1).astype("int64")
    age = clean["victim_age_band"].str.strip()
    out["victim_age_band"] = pd.Categorical(age.where(age != ""), categories=AGE_BANDS,
                                            ordered=True)
    sex = clean["victim_sex"].str.strip().str.lower().map(SEX_TEXT)
    out["victim_sex"] = pd.Categorical(sex.where(sex != ""), categories=VICTIM_SEXES)
    for column in extra:
        out[column] = clean[column]
    out["source_file"] = clean["source_file"]
    out["source_row"] = clean["source_row"]
    return out.reset_index(drop=True)


def _month_notes(clean: pd.DataFrame) -> dict:
    if clean.empty:
        return {"first_month": None, "last_month": None, "months_without_rows": []}
    months = pd.period_range(clean["month"].min(), clean["month"].max(), freq="M")
    empty = months.difference(pd.PeriodIndex(clean["month"].unique()))
    return {"first_month": str(months[0]), "last_month": str(months[-1]),
            "months_without_rows": [str(m) for m in empty]}


def read_force_extract(
    path: str | Path,
    strands: Sequence[str] = DEFAULT_STRANDS,
    study_lsoas: Iterable[str] | None = None,
) -> Accounted:
    r"""Read a force's record-level extract: typed clean rows and a quarantine.

    Parameters
    ----------
    path : str or Path
        CSV file (UTF-8, optionally gzipped), one row per offence; schema in
        ``data/README.md (force-extract schema)``.
    strands : sequence of str, default :data:`DEFAULT_STRANDS`
        Hate-crime strands the force records. Each needs a ``hate_<strand>``
        column; a ``hate_*`` column for a strand not listed is an error.
    study_lsoas : iterable of str, optional
        LSOA 2021 codes of the study area; rows elsewhere are quarantined.

    Returns
    -------
    Accounted
        ``clean``: ``crime_ref`` (str), ``offence_date`` (datetime64), ``month``
        (Period[M]), ``offence_time`` ("HH:MM" or missing), ``ho_offence_code``,
        ``police_uk_category``, ``svd_group``, ``lsoa21_code`` (categorical),
        ``offence_description``, ``da_flag`` and ``hate_<strand>`` (bool),
        ``n_hate_strands`` (int), ``victim_age_band`` (ordered categorical),
        ``victim_sex`` (categorical F/M/X), any extra columns as text,
        ``source_file`` (file name), ``source_row``. ``quarantine``: the raw text of each rejected
        row with ``source_file``, ``source_row`` and one ``reason``. ``notes``:
        strands, blank flags read as N, extra columns, blank lines skipped, first and
        last month and months without rows.

    Raises
    ------
    SnaInputError
        Missing file, empty file, not UTF-8 (says "re-save as UTF-8"), Excel or UTF-16
        file, repeated column or repeated header row, missing column (names the
        closest column present), ``hate_*`` column for an unlisted strand, dates in
        DD/MM/YYYY, a row with too many fields.

    Notes
    -----
    Column names are matched ignoring case and surrounding spaces, with spaces and
    hyphens read as underscores. Flags accept Y/N, Yes/No, True/False, T/F and 1/0 in
    any case; a blank flag is read as N and counted in ``notes``. A row is
    quarantined with the first of these reasons that applies: missing crime_ref, bad
    offence_date, bad offence_time, malformed or unknown ho_offence_code, malformed
    lsoa21_code, LSOA outside study area, non-boolean flag, unknown victim_age_band
    or victim_sex; then a row whose ``crime_ref`` repeats an earlier valid row's is
    quarantined as a duplicate (the first valid one is kept). ``source_row`` is the
    line number, the header being line 1 (fields with embedded line breaks shift it).

    Examples
    --------
    >>> import tempfile
    >>> rows = ("crime_ref,offence_date,ho_offence_code,lsoa21_code,da_flag,hate_race\n"
    ...         "A1,2025-07-01,8N,E01011000,N,Y\nA1,2025-07-02,8N,E01011000,N,N\n"
    ...         "A2,2025-13-01,8N,E01011000,N,N\n")
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    ...     _ = f.write(rows)
    >>> acc = read_force_extract(f.name, strands=["race"])
    >>> acc.rows_in, len(acc.clean), acc.quarantine["reason"].tolist()
    (3, 1, ['duplicate crime_ref', 'bad offence_date'])
    >>> Path(f.name).unlink()
    """
    strands = check_strands(strands)
    file = str(path)
    text = _read_text(path)
    header = _header(text, file)
    extra = _check_columns(header, strands, file)
    raw = _parse(text, header, file)
    for column in OPTIONAL_COLUMNS:
        if column not in raw.columns:
            raw[column] = ""
    blank_line = raw[header].apply(lambda col: col.str.strip() == "").all(axis=1)
    raw = raw.loc[~blank_line].reset_index(drop=True)
    _check_body(raw, header, file)
    reason, notes = _row_reasons(raw, strands, study_lsoas)
    accounted = split_by_reason(raw, reason)
    clean = _typed(accounted.clean, strands, extra)
    notes = {"strands": list(strands), **notes, "extra_columns": extra,
             "blank_lines_skipped": int(blank_line.sum()), **_month_notes(clean)}
    return Accounted(clean=clean, quarantine=accounted.quarantine, rows_in=accounted.rows_in,
                     notes=notes)
