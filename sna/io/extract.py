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
import io
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from sna.errors import SnaInputError
from sna.io.accounting import Accounted, first_reason, split_by_reason
from sna.wording import format_count

__all__ = [
    "check_strands", "date_window_around", "extract_columns", "normalise_offence_code",
    "offence_codes", "read_force_extract", "strand_column",
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
PEOPLE_COLUMNS = ("victim_ethnicity", "repeat_victim", "suspect_age_band", "suspect_sex",
                  "repeat_suspect")
"""Victim and suspect columns added for the SVD "who" section (optional; blank = not held)."""
OPTIONAL_COLUMNS = ("offence_time", "offence_description", "victim_age_band", "victim_sex",
                    *PEOPLE_COLUMNS)
AGE_BANDS = ("0-15", "16-24", "25-34", "35-49", "50-64", "65+")
SUSPECT_AGE_BANDS = ("10-17", "18-24", "25-34", "35-49", "50-64", "65+")
"""Suspect age at the offence; 10-17 is the youth-justice age range."""
VICTIM_SEXES = ("F", "M", "X")
ETHNIC_GROUPS = ("Asian", "Black", "Mixed", "White", "Other")
"""The five high-level Census 2021 ethnic groups (self-defined ethnicity, 5+1 code's groups)."""
ETHNIC_TEXT = {**{g.lower(): g for g in ETHNIC_GROUPS}, "": "", "not stated": "",
               "unknown": "", "not known": "", "not recorded": ""}
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
REASON_BAD_ETHNICITY = "unknown victim_ethnicity"
REASON_BAD_SUSPECT_AGE = "unknown suspect_age_band"
REASON_BAD_SUSPECT_SEX = "unknown suspect_sex"
REASON_DUPLICATE_REF = "duplicate crime_ref"
REASON_SHORT_ROW = "fewer fields than the header (missing values are not read as N)"
REASON_DATE_WINDOW = "offence_date outside the sane window"
EARLIEST_DATE = "1990-01-01"
"""Default start of the sane window for offence dates (the end is today)."""


def strand_column(strand: str) -> str:
    """Return the extract column holding the flag for ``strand``.

    Parameters
    ----------
    strand : str
        A strand name, e.g. ``"race"``.

    Returns
    -------
    str
        ``"hate_<strand>"``.

    Examples
    --------
    >>> strand_column("sexual_orientation")
    'hate_sexual_orientation'
    """
    return f"{HATE_PREFIX}{strand}"


def extract_columns(*, strands: Sequence[str] = DEFAULT_STRANDS) -> list[str]:
    """Return the extract's columns in the documented order.

    Parameters
    ----------
    strands : sequence of str, default DEFAULT_STRANDS
        The strands the extract flags (one ``hate_<strand>`` column each).

    Returns
    -------
    list of str
        The column names.

    Examples
    --------
    >>> extract_columns(strands=["race", "disability"])[7:11]
    ['hate_race', 'hate_disability', 'victim_age_band', 'victim_sex']
    """
    return ["crime_ref", "offence_date", "offence_time", "ho_offence_code", "offence_description",
            "lsoa21_code", "da_flag", *[strand_column(s) for s in strands],
            "victim_age_band", "victim_sex", *PEOPLE_COLUMNS]


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

    Parameters
    ----------
    codes : pandas.Series
        Home Office offence codes as given.

    Returns
    -------
    pandas.Series
        The codes as text in the documented form.

    Examples
    --------
    >>> normalise_offence_code(pd.Series([" 8n", "4.1", "105a"])).tolist()
    ['8N', '4/1', '105A']
    """
    return codes.astype("str").str.strip().str.upper().str.replace(".", "/", regex=False)


def check_strands(strands: Iterable[str]) -> tuple[str, ...]:
    """Validate a list of strand names and return it as a tuple.

    Parameters
    ----------
    strands : iterable of str
        Strand names (a single string is one strand).

    Returns
    -------
    tuple of str
        The strands, in order.

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
    from sna.io.ingest import ReadLimits, bounded_gunzip

    file = str(path)
    limits = ReadLimits.from_env()
    try:
        if Path(path).is_dir():
            raise SnaInputError("the path is a folder, not an extract file", file=file,
                                fix="give the extract's CSV file, e.g. data/raw/<force>.csv")
        size = Path(path).stat().st_size
        if size > limits.max_input_bytes:
            raise SnaInputError(f"the file is {format_count(size)} bytes, more than the limit of "
                                f"{format_count(limits.max_input_bytes)}", file=file,
                                fix="check it is the extract; for a genuinely larger file "
                                    "raise SNA_MAX_INPUT_BYTES")
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SnaInputError("the file does not exist", fix="check the path and file name",
                            file=file) from None
    except OSError as err:
        raise SnaInputError(f"the file cannot be read ({err.strerror or err})", file=file,
                            fix="check the path and its permissions") from None
    if data[:2] == b"\x1f\x8b":
        data = bounded_gunzip(data, file, limits=limits)
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
    known = set(extract_columns(strands=strands))
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


def _parse(text: str, header: list[str], file: str) -> tuple[pd.DataFrame, np.ndarray, int]:
    """Rows as text with ``source_row`` the physical line each starts on.

    Returns the rows, a mask of rows with fewer fields than the header (padded with
    blanks, to be quarantined) and the number of blank lines skipped.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    width = len(header)
    rows: list[list[str]] = []
    starts: list[int] = []
    short: list[bool] = []
    blank_lines = 0
    line = 0
    try:
        next(reader)
        line = reader.line_num
        for fields in reader:
            start, line = line + 1, reader.line_num
            if not (fields and fields[0].strip()) and not any(f.strip() for f in fields):
                blank_lines += line - start + 1
                continue
            if len(fields) > width:
                raise SnaInputError(f"this row has {len(fields)} fields but the header has "
                                    f"{width} columns", file=file, row=start,
                                    fix="check for an unquoted comma in a text field (quote "
                                        "the field) or a stray separator")
            short.append(len(fields) < width)
            if len(fields) < width:
                fields = fields + [""] * (width - len(fields))
            rows.append(fields)
            starts.append(start)
    except csv.Error as err:
        raise SnaInputError(f"the file cannot be parsed as CSV ({err})", file=file,
                            row=line + 1, fix="check the quoting of text fields") from None
    columns = list(zip(*rows, strict=True)) if rows else [()] * width
    raw = pd.DataFrame({name: pd.Series(values, dtype=str)
                        for name, values in zip(header, columns, strict=True)})
    del rows, columns
    raw.insert(0, "source_row", pd.Series(starts, dtype="int64"))
    raw.insert(0, "source_file", Path(file).name)
    return raw, np.array(short, dtype=bool), blank_lines


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


def date_window_around(first_month: str, last_month: str, *, margin_years: int = 10
                       ) -> tuple[str, str]:
    """The sane window for offence dates: a study period widened by ``margin_years``.

    Parameters
    ----------
    first_month, last_month : str
        The study period's first and last month (``"YYYY-MM"``).
    margin_years : int, default 10
        Years added on each side.

    Returns
    -------
    (str, str)
        First and last allowed date, ``"YYYY-MM-DD"``.

    Examples
    --------
    >>> date_window_around("2024-01", "2025-12", margin_years=5)
    ('2019-01-01', '2030-12-31')
    """
    first = pd.Period(first_month, freq="M").start_time - pd.DateOffset(years=margin_years)
    last = pd.Period(last_month, freq="M").end_time + pd.DateOffset(years=margin_years)
    return first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d")


def _window(date_window: tuple[str, str] | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    if date_window is None:
        return pd.Timestamp(EARLIEST_DATE), pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
    try:
        first, last = (pd.Timestamp(str(d)) for d in date_window)
    except (ValueError, TypeError):
        raise SnaInputError(f"date_window {date_window!r} is not two dates", column="date_window",
                            value=date_window, fix="give ('YYYY-MM-DD', 'YYYY-MM-DD')") from None
    if first > last:
        raise SnaInputError(f"date_window starts after it ends: {date_window!r}",
                            column="date_window", value=date_window, fix="give the earlier date "
                            "first")
    return first, last


def _row_reasons(raw: pd.DataFrame, strands: tuple[str, ...],
                 study_lsoas: Iterable[str] | None, short: np.ndarray | None = None,
                 date_window: tuple[str, str] | None = None) -> tuple[pd.Series, dict]:
    ref = raw["crime_ref"].str.strip()
    date_text = raw["offence_date"].str.strip()
    date = pd.to_datetime(date_text.where(date_text.str.match(DATE_PATTERN)),
                          format="%Y-%m-%d", errors="coerce")
    first, last = _window(date_window)
    time_text = raw["offence_time"].str.strip()
    code = normalise_offence_code(raw["ho_offence_code"])
    lsoa = raw["lsoa21_code"].str.strip().str.upper()
    flag_checks, blanks = _flag_checks(raw, ["da_flag", *[strand_column(s) for s in strands]])
    checks = [
        (pd.Series(short if short is not None else False, index=raw.index), REASON_SHORT_ROW),
        (ref == "", REASON_MISSING_REF),
        (date.isna(), REASON_BAD_DATE),
        ((date < first) | (date > last), REASON_DATE_WINDOW),
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
    checks.append((~raw["victim_ethnicity"].str.strip().str.lower().isin(ETHNIC_TEXT),
                   REASON_BAD_ETHNICITY))
    suspect_age = raw["suspect_age_band"].str.strip()
    checks.append((~suspect_age.isin({*SUSPECT_AGE_BANDS, ""}), REASON_BAD_SUSPECT_AGE))
    checks.append((~raw["suspect_sex"].str.strip().str.lower().isin(SEX_TEXT),
                   REASON_BAD_SUSPECT_SEX))
    for column in ("repeat_victim", "repeat_suspect"):
        text = raw[column].str.strip().str.lower()
        checks.append((~text.isin(TRUE_TEXT | FALSE_TEXT | {""}), f"non-boolean {column}"))
    reason = first_reason(checks, raw.index)
    duplicate = reason.isna() & ref.where(reason.isna()).duplicated(keep="first")
    reason[duplicate & reason.isna()] = REASON_DUPLICATE_REF
    return reason, {"blank_flags_read_as_N": blanks,
                    "date_window": [first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d")]}


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
    ethnicity = clean["victim_ethnicity"].str.strip().str.lower().map(ETHNIC_TEXT)
    out["victim_ethnicity"] = pd.Categorical(ethnicity.where(ethnicity != ""),
                                             categories=ETHNIC_GROUPS)
    suspect_age = clean["suspect_age_band"].str.strip()
    out["suspect_age_band"] = pd.Categorical(suspect_age.where(suspect_age != ""),
                                             categories=SUSPECT_AGE_BANDS, ordered=True)
    suspect_sex = clean["suspect_sex"].str.strip().str.lower().map(SEX_TEXT)
    out["suspect_sex"] = pd.Categorical(suspect_sex.where(suspect_sex != ""),
                                        categories=VICTIM_SEXES)
    for column in ("repeat_victim", "repeat_suspect"):
        text = clean[column].str.strip().str.lower()
        out[column] = text.isin(TRUE_TEXT).astype("boolean").mask(text == "")
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
    *, strands: Sequence[str] = DEFAULT_STRANDS,
    study_lsoas: Iterable[str] | None = None,
    date_window: tuple[str, str] | None = None,
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
    date_window : (str, str), optional
        First and last plausible offence date (``YYYY-MM-DD``); rows outside are
        quarantined ("offence_date outside the sane window"). Default
        :data:`EARLIEST_DATE` to today; :func:`date_window_around` widens a study
        period by a margin.

    Returns
    -------
    Accounted
        ``clean``: ``crime_ref`` (str), ``offence_date`` (datetime64), ``month``
        (Period[M]), ``offence_time`` ("HH:MM" or missing), ``ho_offence_code``,
        ``police_uk_category``, ``svd_group``, ``lsoa21_code`` (categorical),
        ``offence_description``, ``da_flag`` and ``hate_<strand>`` (bool),
        ``n_hate_strands`` (int), ``victim_age_band`` (ordered categorical),
        ``victim_sex`` (categorical F/M/X), ``victim_ethnicity`` (categorical, five Census
        groups), ``suspect_age_band`` (ordered categorical), ``suspect_sex``,
        ``repeat_victim`` and ``repeat_suspect`` (nullable boolean: missing when not held),
        any extra columns as text,
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
    lsoa21_code, LSOA outside study area, non-boolean flag, unknown victim_age_band,
    victim_sex, victim_ethnicity, suspect_age_band or suspect_sex, non-boolean repeat_victim
    or repeat_suspect (a blank repeat flag means "not known", never "no"); then a row
    whose ``crime_ref`` repeats an earlier valid row's is
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
    raw, short, blank_lines = _parse(text, header, file)
    del text
    for column in OPTIONAL_COLUMNS:
        if column not in raw.columns:
            raw[column] = ""
    blank_line = raw[header].apply(lambda col: col.str.strip() == "").all(axis=1).to_numpy()
    raw = raw.loc[~blank_line].reset_index(drop=True)
    short = short[~blank_line]
    _check_body(raw, header, file)
    reason, notes = _row_reasons(raw, strands, study_lsoas, short, date_window)
    accounted = split_by_reason(raw, reason)
    clean = _typed(accounted.clean, strands, extra)
    notes = {"strands": list(strands), **notes, "extra_columns": extra,
             "blank_lines_skipped": blank_lines + int(blank_line.sum()), **_month_notes(clean)}
    return Accounted(clean=clean, quarantine=accounted.quarantine, rows_in=accounted.rows_in,
                     notes=notes)
