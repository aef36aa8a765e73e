"""DfE and MoJ "Education, children's social care and offending" local authority workbooks.

The dashboard release (``2023_03_16_OFFSEN_SchoolExp.xlsx``, ``..._CSCExp.xlsx``,
``2023_03_16_OFSEN_Demographics.xlsx``) has one sheet per measure. The sheets read here are
long tables with a header on row 1: ``LA`` (area *name*, pre-2023 local authorities, so
"North Yorkshire" is the former county), ``indicator`` (``Home``: the LA the pupil lived in;
``School``: the LA of the school), ``perc`` (a whole-number percentage; a blank cell is a value
the departments did not publish, usually to protect small numbers), ``group`` (the cohort:
``All Pupils``, ``Any Offence``, ``Serious Violence Offence``) and a breakdown column (e.g.
``Absence``: "Suspended", "Permanently excluded"). ``info_table`` gives the size of each
cohort as text such as ``"1370 (4%)"``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sna.errors import SnaInputError
from sna.io.accounting import Accounted, first_reason, split_by_reason
from sna.io.partner.common import (
    duplicated_keys,
    find_header,
    mapping_sentence,
    same_boundary_codes,
)

__all__ = [
    "area_codes_by_name",
    "count_from_text",
    "read_dfe_moj_cohorts",
    "read_dfe_moj_sheet",
]

WHAT = "a DfE-MoJ education, children's social care and offending workbook"
COHORTS = ("All Pupils", "Any Offence", "Serious Violence Offence")
INDICATORS = ("Home", "School")
SHEET_REQUIRED = ("LA", "indicator", "perc", "group")
INFO_REQUIRED = ("LA", "indicator", "all", "offenders_perc", "sv_perc")
COUNT_TEXT = r"^\s*(\d+)\s*\((\d+)%\)\s*$"

REASON_NO_AREA = "blank LA"
REASON_INDICATOR = "indicator is not Home or School"
REASON_COHORT = "group is not one of the three cohorts (All Pupils, Any Offence, Serious " \
                "Violence Offence)"
REASON_PERC = "perc is not a percentage from 0 to 100"
REASON_REPEAT = "repeat of an earlier row for the same area, indicator, cohort and breakdown"
REASON_COUNT = "cohort size is not written as 'N (P%)'"


def _open_sheet(path: str | Path, sheet: str) -> list[tuple]:
    """All rows of one sheet as tuples of cell values."""
    import openpyxl

    file = str(path)
    if not Path(path).exists():
        raise SnaInputError("the file does not exist", file=file,
                            fix=f"check the path and file name of {WHAT}")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise SnaInputError("the file is not an Excel .xlsx workbook (or it is damaged)",
                            file=file, fix="download the workbook again from the DfE "
                            "repository or dashboard; do not convert it to CSV") from None
    try:
        if sheet not in book.sheetnames:
            close = [s for s in book.sheetnames if s.lower() == sheet.lower()]
            hint = f" (there is '{close[0]}': check the spelling)" if close else ""
            raise SnaInputError(
                f"the workbook has no sheet '{sheet}'{hint}; its sheets are: "
                f"{', '.join(book.sheetnames)}", file=file, column=sheet,
                fix="use the 2023_03_16 DfE-MoJ workbook that holds this sheet (school "
                    "experiences: EverSusExcl, EverAP, EverPAPAUO; children's social care: "
                    "EverCINCLA; demographics: info_table, Gender)")
        return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()


def _sheet_frame(path: str | Path, sheet: str, required: Sequence[str]) -> pd.DataFrame:
    file = str(path)
    rows = _open_sheet(path, sheet)
    if not any(any(c is not None and str(c).strip() for c in r) for r in rows):
        raise SnaInputError(f"sheet '{sheet}' is empty", file=file, column=sheet,
                            fix=f"download {WHAT} again")
    find_header([list(r) for r in rows[:20]], required, file, WHAT, sheet=sheet, unit="row")
    header = [str(c).strip() if c is not None else f"column_{i}" for i, c in enumerate(rows[0])]
    numbered = [(number, row) for number, row in enumerate(rows[1:], start=2)
                if any(c is not None and str(c).strip() for c in row)]
    if not numbered:
        raise SnaInputError(f"sheet '{sheet}' has a header but no rows", file=file, column=sheet,
                            fix=f"download {WHAT} again")
    width = len(header)
    frame = pd.DataFrame([(list(r) + [None] * width)[:width] for _, r in numbered],
                         columns=header)
    frame.insert(0, "source_row", [number for number, _ in numbered])
    frame.insert(0, "source_file", f"{Path(file).name}[{sheet}]")
    return frame


def _text(values: pd.Series) -> pd.Series:
    return values.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v))
                      else str(v).strip())


def area_codes_by_name(names: pd.Series, lookup: dict[str, str] | None) -> tuple[pd.Series, dict]:
    """Area codes for area names through ``lookup`` (name -> code), current codes first.

    The DfE-MoJ workbooks name areas (pre-2023 authorities). A name the lookup gives as a
    pre-2023 county code replaced by one council with the same boundary (e.g. E10000023 ->
    E06000065) gets the council's code (:func:`~sna.io.partner.common.same_boundary_codes`);
    a county that was split keeps its own code; names not in the lookup get no code. Returns
    the codes and the count of each code mapping.

    Parameters
    ----------
    names : pandas.Series
        Area names as written in the workbook.
    lookup : dict of str to str or None
        Area name -> code (matched ignoring case and surrounding spaces); None or empty
        gives no codes.

    Returns
    -------
    (pandas.Series, dict of str to int)
        string codes (missing where not found), and ``"old -> new"`` -> names mapped.

    Examples
    --------
    >>> codes, mapped = area_codes_by_name(pd.Series(["North Yorkshire", "Poole"]),
    ...                                    {"North Yorkshire": "E10000023"})
    >>> codes.tolist(), mapped
    (['E06000065', <NA>], {'E10000023 -> E06000065': 1})
    """
    if not lookup:
        return pd.Series(pd.NA, index=names.index, dtype="string"), {}
    normalised = {str(k).strip().lower(): v for k, v in lookup.items()}
    codes = names.str.strip().str.lower().map(normalised).astype("string")
    changes = same_boundary_codes()
    mapped = {f"{old} -> {new}": int((codes == old).sum())
              for old, new in changes.items() if (codes == old).any()}
    return codes.replace(changes), mapped


def read_dfe_moj_sheet(path: str | Path, sheet: str,
                       *, name_to_code: dict[str, str] | None = None) -> Accounted:
    r"""Read one long sheet of a DfE-MoJ workbook (cohort percentages) with row accounting.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` workbook.
    sheet : str
        A sheet with columns ``LA, indicator, perc, group`` and optionally one breakdown
        column (``EverSusExcl``, ``EverAP``, ``EverPAPAUO``, ``EverCINCLA``, ``Gender`` ...).
    name_to_code : dict, optional
        Area name -> area code (e.g. from a DfE CSV's ``la_name``/``new_la_code``), to add
        ``area_code``.

    Returns
    -------
    Accounted
        ``clean``: ``area_name``, ``area_code`` (missing when the name is not in
        ``name_to_code``; E10000023 becomes E06000065), ``indicator``, ``cohort``,
        ``breakdown`` ("" when the sheet has none), ``perc`` (Float64, missing when not
        published), ``missing_reason``, ``source_file`` ("file[sheet]"), ``source_row``.
        ``quarantine``: rows with a blank LA, an unknown indicator or cohort, a percentage
        outside 0-100 or not a number, or repeating an earlier row. ``notes``: the breakdown
        column, ``area_codes_mapped``, ``area_code_note``, ``unpublished`` (count of blank
        cells).

    Raises
    ------
    SnaInputError
        Missing file, not an xlsx workbook, no such sheet (the message lists the sheets),
        header not on row 1, a required column missing, an empty sheet.

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl
    >>> book = openpyxl.Workbook(); ws = book.active; ws.title = "EverAP"
    >>> for r in [("LA", "indicator", "perc", "group"),
    ...           ("York", "Home", 66, "Serious Violence Offence"),
    ...           ("York", "Home", None, "All Pupils")]:
    ...     ws.append(r)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "w.xlsx"; book.save(path)
    >>> read_dfe_moj_sheet(path, "EverAP").clean[["cohort", "perc"]].values.tolist()
    [['Serious Violence Offence', 66.0], ['All Pupils', <NA>]]
    """
    raw = _sheet_frame(path, sheet, SHEET_REQUIRED)
    extra = [c for c in raw.columns
             if c not in (*SHEET_REQUIRED, "source_file", "source_row")]
    breakdown_column = extra[0] if extra else None
    area = _text(raw["LA"])
    indicator = _text(raw["indicator"])
    cohort = _text(raw["group"])
    breakdown = _text(raw[breakdown_column]) if breakdown_column else pd.Series("", raw.index)
    perc_text = _text(raw["perc"])
    perc = pd.to_numeric(perc_text, errors="coerce")
    checks = [(area == "", REASON_NO_AREA), (~indicator.isin(INDICATORS), REASON_INDICATOR),
              (~cohort.isin(COHORTS), REASON_COHORT),
              ((perc_text != "") & (perc.isna() | (perc < 0) | (perc > 100)), REASON_PERC)]
    reason = first_reason(checks, raw.index)
    keyed = pd.DataFrame({"a": area.str.lower(), "i": indicator, "c": cohort, "b": breakdown})
    repeat = duplicated_keys(keyed, ["a", "i", "c", "b"], reason.isna())
    reason[repeat & reason.isna()] = REASON_REPEAT
    codes, mapped = area_codes_by_name(area, name_to_code)
    frame = pd.DataFrame({"area_name": area, "area_code": codes, "indicator": indicator,
                          "cohort": cohort, "breakdown": breakdown,
                          "perc": perc.astype("Float64")})
    frame["missing_reason"] = pd.Series(
        "not published (blank cell: suppressed or too few pupils)", index=raw.index,
        dtype="string").where(perc_text == "")
    frame["source_file"] = raw["source_file"]
    frame["source_row"] = raw["source_row"]
    accounted = split_by_reason(frame, reason)
    notes = {"sheet": sheet, "breakdown_column": breakdown_column, "area_codes_mapped": mapped,
             "area_code_note": mapping_sentence(mapped),
             "unpublished": int((accounted.clean["perc"].isna()).sum())}
    return Accounted(clean=accounted.clean, quarantine=accounted.quarantine,
                     rows_in=accounted.rows_in, notes=notes)


def read_dfe_moj_cohorts(path: str | Path, *, name_to_code: dict[str, str] | None = None,
                         sheet: str = "info_table") -> Accounted:
    r"""Read the cohort sizes (``info_table`` of the demographics workbook).

    Parameters
    ----------
    path : str or Path
        The demographics workbook (``.xlsx``).
    name_to_code : dict of str to str, optional
        Area name -> code, for ``area_code`` (see :func:`area_codes_by_name`).
    sheet : str, default "info_table"
        The sheet to read.

    Returns
    -------
    Accounted
        ``clean``: ``area_name``, ``area_code``, ``indicator``, ``all_pupils`` (int),
        ``any_offence`` and ``sv_offence`` (pupils cautioned or sentenced for any offence / a
        serious violence offence; missing when not published), ``source_file``,
        ``source_row``. ``quarantine``: blank LA, unknown indicator, a count not written
        ``"N (P%)"``, repeats.

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl
    >>> book = openpyxl.Workbook(); ws = book.active; ws.title = "info_table"
    >>> ws.append(("LA", "indicator", "all", "offenders_perc", "sv_perc"))
    >>> ws.append(("York", "Home", 10055, "477 (5%)", "76 (1%)"))
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "d.xlsx"; book.save(path)
    >>> read_dfe_moj_cohorts(path).clean[["all_pupils", "sv_offence"]].values.tolist()
    [[10055, 76]]
    """
    raw = _sheet_frame(path, sheet, INFO_REQUIRED)
    area = _text(raw["LA"])
    indicator = _text(raw["indicator"])
    all_text = _text(raw["all"])
    all_pupils = pd.to_numeric(all_text, errors="coerce")
    parsed = {}
    bad_count = pd.Series(False, index=raw.index)
    for column, name in (("offenders_perc", "any_offence"), ("sv_perc", "sv_offence")):
        text = _text(raw[column])
        number = text.str.extract(COUNT_TEXT)[0]
        bad_count |= (text != "") & number.isna()
        parsed[name] = pd.to_numeric(number, errors="coerce").astype("Int64")
    checks = [(area == "", REASON_NO_AREA), (~indicator.isin(INDICATORS), REASON_INDICATOR),
              (all_pupils.isna() | (all_pupils < 0), "'all' is not a number of pupils"),
              (bad_count, REASON_COUNT)]
    reason = first_reason(checks, raw.index)
    keyed = pd.DataFrame({"a": area.str.lower(), "i": indicator})
    repeat = duplicated_keys(keyed, ["a", "i"], reason.isna())
    reason[repeat & reason.isna()] = "repeat of an earlier row for the same area and indicator"
    codes, mapped = area_codes_by_name(area, name_to_code)
    frame = pd.DataFrame({"area_name": area, "area_code": codes, "indicator": indicator,
                          "all_pupils": all_pupils.fillna(-1).astype("int64"), **parsed,
                          "source_file": raw["source_file"], "source_row": raw["source_row"]})
    accounted = split_by_reason(frame, reason)
    return Accounted(clean=accounted.clean, quarantine=accounted.quarantine,
                     rows_in=accounted.rows_in,
                     notes={"area_codes_mapped": mapped,
                            "area_code_note": mapping_sentence(mapped)})


def count_from_text(text: str) -> int | None:
    """The number in a DfE-MoJ cohort cell such as ``"1370 (4%)"``.

    Parameters
    ----------
    text : str
        A cell's text.

    Returns
    -------
    int or None
        The count, or None when the text is not ``"N (P%)"``.

    Examples
    --------
    >>> count_from_text("1370 (4%)"), count_from_text("")
    (1370, None)
    """
    found = re.match(COUNT_TEXT, text or "")
    return int(found.group(1)) if found else None
