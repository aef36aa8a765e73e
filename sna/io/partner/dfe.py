"""DfE Explore Education Statistics CSVs, and the DfE statistical neighbour groupings.

Explore Education Statistics (EES) publishes one CSV per table in a fixed layout:
``time_period, time_identifier, geographic_level, country_code, country_name, region_code,
region_name, old_la_code, new_la_code, la_name``, then filter columns (``category``,
``social_care_group`` ...) and indicator columns. Unpublished values are symbols: ``c``
suppressed (small number), ``x`` not available, ``z`` not applicable, ``low`` below 0.5, ``u``
low reliability. :func:`read_ees_csv` reads them as missing, keeps the symbol in
``<indicator>_symbol`` and never turns them into zeros.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sna.errors import SnaInputError
from sna.io.accounting import Accounted, first_reason, split_by_reason
from sna.io.partner.common import (
    AREA_CODE_PATTERN,
    csv_frame,
    duplicated_keys,
    map_area_codes,
    mapping_sentence,
    parse_values,
)

__all__ = [
    "neighbours_of",
    "read_ees_csv",
    "read_statistical_neighbours",
]

WHAT = "a DfE Explore Education Statistics CSV"
EES_REQUIRED = ("time_period", "geographic_level", "country_code")
EES_ID_COLUMNS = ("time_period", "time_identifier", "geographic_level", "country_code",
                  "country_name", "region_code", "region_name", "old_la_code", "new_la_code",
                  "la_name")
LEVEL_CODE = {"National": "country_code", "Regional": "region_code",
              "Local authority": "new_la_code"}
LEVEL_NAME = {"National": "country_name", "Regional": "region_name",
              "Local authority": "la_name"}

REASON_PERIOD = "time_period is not a year (YYYY) or academic year (YYYYYY)"
REASON_LEVEL = "geographic_level is not National, Regional or Local authority"
REASON_AREA = "malformed area code"
REASON_DUPLICATE = "repeat of an earlier row for the same period, area and breakdown"


def _period_label(period: pd.Series) -> pd.Series:
    """'2025' -> '2025'; '202425' -> '2024/25'."""
    text = period.astype(str).str.strip()
    return text.where(text.str.len() != 6, text.str[:4] + "/" + text.str[4:])


def read_ees_csv(path: str | Path, measures: Sequence[str]) -> Accounted:
    r"""Read an Explore Education Statistics CSV with row accounting.

    Parameters
    ----------
    path : str or Path
        The CSV (optionally gzipped) as downloaded from explore-education-statistics.service.gov.uk.
    measures : sequence of str
        The indicator columns to type as numbers (each must be present). Other columns that
        are not EES identifiers are kept as text filters (the row's breakdown).

    Returns
    -------
    Accounted
        ``clean``: ``time_period`` (text as published), ``period`` ("2024/25" for academic
        years), ``geographic_level``, ``area_code`` (the row's country, region or LA code; a
        pre-2023 county code replaced by one council with the same boundary becomes that
        council's, e.g. E10000023 -> E06000065; a split county keeps its code), ``area_name``,
        ``area_code_as_published``, ``la_number`` (``old_la_code``), the filter columns,
        each measure as Float64 (missing
        where a symbol was published) and ``<measure>_symbol`` (the symbol, "" for a blank
        cell, missing for a number), then ``source_file`` and ``source_row``. ``quarantine``:
        rows set aside with one reason (bad period, unknown level, malformed area code,
        unreadable value in a measure, repeat of an earlier row for the same period, area and
        breakdown). ``notes``: ``area_codes_mapped`` and its ``area_code_note`` sentence,
        ``symbols`` (count of each symbol per measure).

    Raises
    ------
    SnaInputError
        Missing, empty or damaged file; a workbook instead of a CSV; not UTF-8; header not on
        line 1; a required or requested column missing; a column named twice.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = ("time_period,time_identifier,geographic_level,country_code,country_name,"
    ...         "new_la_code,la_name,old_la_code,Gangs\n"
    ...         "2022,Reporting year,Local authority,E92000001,England,E10000023,"
    ...         "North Yorkshire,815,46\n"
    ...         "2025,Reporting year,Local authority,E92000001,England,E06000014,York,816,c\n")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "c3.csv"
    >>> _ = path.write_text(text)
    >>> acc = read_ees_csv(path, ["Gangs"])
    >>> acc.clean[["area_code", "Gangs", "Gangs_symbol"]].values.tolist()
    [['E06000065', 46.0, <NA>], ['E06000014', <NA>, 'c']]
    """
    file = str(path)
    measures = list(measures)
    raw = csv_frame(path, [*EES_REQUIRED, *measures], WHAT)
    for column in EES_ID_COLUMNS:
        if column not in raw.columns:
            raw[column] = ""
    level = raw["geographic_level"].str.strip()
    known_level = level.isin(list(LEVEL_CODE))
    code_text = pd.Series("", index=raw.index)
    name_text = pd.Series("", index=raw.index)
    for name, column in LEVEL_CODE.items():
        code_text = code_text.mask(level == name, raw[column])
        name_text = name_text.mask(level == name, raw[LEVEL_NAME[name]])
    codes, mapped = map_area_codes(code_text)
    period = raw["time_period"].str.strip()
    checks = [(~period.str.fullmatch(r"\d{4}|\d{6}"), REASON_PERIOD),
              (~known_level, REASON_LEVEL),
              (~codes.str.fullmatch(AREA_CODE_PATTERN), REASON_AREA)]
    typed, symbols = {}, {}
    for measure in measures:
        values, symbol, bad = parse_values(raw[measure])
        typed[measure], typed[f"{measure}_symbol"] = values, symbol
        counts = symbol[symbol.notna()].value_counts()
        if len(counts):
            symbols[measure] = {str(k): int(v) for k, v in counts.items()}
        checks.append((bad, f"unreadable value in {measure} (not a number or a published "
                            "symbol c, x, z, low, u)"))
    filters = [c for c in raw.columns
               if c not in (*EES_ID_COLUMNS, *measures, "source_file", "source_row")]
    reason = first_reason(checks, raw.index)
    keyed = raw.assign(_period=period, _level=level, _code=codes)
    duplicate = duplicated_keys(keyed, ["_period", "_level", "_code", *filters], reason.isna())
    reason[duplicate & reason.isna()] = REASON_DUPLICATE
    frame = pd.DataFrame({"time_period": period, "period": _period_label(period),
                          "geographic_level": level, "area_code": codes,
                          "area_code_as_published": code_text.str.strip(),
                          "area_name": name_text.str.strip(),
                          "la_number": raw["old_la_code"].str.strip()})
    for column in filters:
        frame[column] = raw[column].str.strip()
    for column, values in typed.items():
        frame[column] = values
    frame["source_file"] = raw["source_file"]
    frame["source_row"] = raw["source_row"]
    accounted = split_by_reason(frame, reason)
    raw_rejected = raw.loc[reason.notna().to_numpy()].drop(columns=["source_file", "source_row"])
    quarantine = accounted.quarantine[["source_file", "source_row", "reason"]].join(
        raw_rejected.reset_index(drop=True))
    notes = {"area_codes_mapped": mapped, "area_code_note": mapping_sentence(mapped),
             "symbols": symbols, "file": Path(file).name,
             "blank_lines_skipped": raw.attrs.get("blank_lines", 0)}
    return Accounted(clean=accounted.clean, quarantine=quarantine, rows_in=accounted.rows_in,
                     notes=notes)


SN_REQUIRED = ("LA num", "LA Name", "SN1")


def read_statistical_neighbours(path: str | Path) -> Accounted:
    r"""Read the DfE children's services statistical neighbour groupings (April 2021).

    Parameters
    ----------
    path : str or Path
        ``New_Statistical_Neighbour_Groupings_April_2021.csv`` (optionally gzipped): one row
        per local authority with ``LA num, LA Name, ..., SN1, SNP, SN2, SNP, ... SN10, SNP``
        (neighbours as LA numbers, nearest first, each followed by its closeness band).

    Returns
    -------
    Accounted
        ``clean``: ``la_number``, ``la_name``, ``neighbours`` (list of LA numbers, nearest
        first), ``closeness`` (list of bands), ``source_file``, ``source_row``.
        ``quarantine``: rows with a non-numeric LA number, or repeating an earlier LA.

    Raises
    ------
    SnaInputError
        File problems as :func:`read_ees_csv`; no ``SN1`` column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sn.csv"
    >>> _ = path.write_text("LA num,LA Name,SN1,SNP,SN2,SNP\n816,York,937,Very Close,896,Close\n")
    >>> read_statistical_neighbours(path).clean["neighbours"].tolist()
    [['937', '896']]
    """
    raw = csv_frame(path, SN_REQUIRED, "the DfE statistical neighbour groupings CSV",
                    repeated_ok=["SNP"])
    header = list(raw.columns)
    sn_columns = [c for c in header if c.startswith("SN") and c[2:].isdigit()]
    positions = {c: header.index(c) for c in sn_columns}
    number = raw["LA num"].str.strip()
    neighbours, closeness = [], []
    for _, row in raw.iterrows():
        codes, bands = [], []
        for column in sn_columns:
            value = str(row.iloc[positions[column]]).strip()
            band = str(row.iloc[positions[column] + 1]).strip() \
                if positions[column] + 1 < len(header) else ""
            if value:
                codes.append(value)
                bands.append(band)
        neighbours.append(codes)
        closeness.append(bands)
    reason = first_reason([(~number.str.fullmatch(r"\d{3}"),
                            "not a local authority row (LA num is not a 3-digit number)")],
                          raw.index)
    duplicate = duplicated_keys(raw.assign(_n=number), ["_n"], reason.isna())
    reason[duplicate & reason.isna()] = "repeat of an earlier row for the same LA"
    frame = pd.DataFrame({"la_number": number, "la_name": raw["LA Name"].str.strip(),
                          "neighbours": neighbours, "closeness": closeness,
                          "source_file": raw["source_file"], "source_row": raw["source_row"]})
    return split_by_reason(frame, reason,
                           notes={"blank_lines_skipped": raw.attrs.get("blank_lines", 0)})


def neighbours_of(groupings: pd.DataFrame, la_number: str, *, n: int = 10) -> list[str]:
    """The ``n`` nearest statistical neighbours (LA numbers) of one LA.

    Parameters
    ----------
    groupings : pandas.DataFrame
        Statistical neighbour groupings with ``la_number`` and ``neighbours`` (a list,
        nearest first).
    la_number : str
        The DfE LA number (e.g. ``"810"``).
    n : int, default 10
        How many neighbours.

    Returns
    -------
    list of str
        The neighbours' LA numbers, nearest first.

    Raises
    ------
    SnaInputError
        The LA number is not in the groupings.

    Examples
    --------
    >>> df = pd.DataFrame({"la_number": ["816"], "neighbours": [["937", "896"]]})
    >>> neighbours_of(df, "816", n=1)
    ['937']
    """
    found = groupings.loc[groupings["la_number"] == str(la_number), "neighbours"]
    if found.empty:
        raise SnaInputError(f"LA number {la_number} is not in the statistical neighbour groupings",
                            fix="use the 3-digit DfE LA number (the old_la_code column of "
                                "the DfE files, e.g. 810)", column="la_number", value=la_number)
    return list(found.iloc[0])[:n]
