"""OHID Fingertips indicator exports: read offline, and fetch with ``fingertips_py``.

A Fingertips export (the "Export data" CSV of the website, or the API's ``all_data/csv``
that ``fingertips_py.get_data_by_indicator_ids`` returns) has one row per indicator, area,
sex, age, category and period in the official column layout ``Indicator ID, Indicator Name,
Parent Code, Parent Name, Area Code, Area Name, Area Type, Sex, Age, Category Type, Category,
Time period, Value, Lower CI 95.0 limit, Upper CI 95.0 limit, Lower CI 99.8 limit, Upper CI
99.8 limit, Count, Denominator, Value note, ...``. :func:`read_fingertips_export` reads it with
row accounting; a value Fingertips did not publish stays missing (never zero) with its
``Value note`` as the reason. :func:`fetch_fingertips` (``sna fetch fingertips``) downloads an
export once and caches it under ``data/raw/fingertips/`` with a provenance record, so reports
run offline afterwards.
"""

from __future__ import annotations

import gzip
import io
import json
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
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
from sna.paths import file_sha256, raw_dir

__all__ = [
    "fetch_fingertips",
    "fingertips_cache_path",
    "read_fingertips_export",
]

WHAT = "a Fingertips export"
REQUIRED = ("Indicator ID", "Indicator Name", "Area Code", "Area Name", "Area Type", "Sex",
            "Age", "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit",
            "Upper CI 95.0 limit", "Count", "Denominator", "Value note")
OPTIONAL = {"Lower CI 99.8 limit": "lower_99_8", "Upper CI 99.8 limit": "upper_99_8"}
NUMBERS = {"Value": "value", "Lower CI 95.0 limit": "lower_95", "Upper CI 95.0 limit": "upper_95",
           **OPTIONAL, "Count": "count", "Denominator": "denominator"}
COLUMN_OF = {name: column for column, name in NUMBERS.items()}
KEY = ["indicator_id", "area_code", "sex", "age", "category_type", "category", "time_period"]
FIGURES = ["value", "lower_95", "upper_95", "count", "denominator"]
FINGERTIPS_API = "https://fingertips.phe.org.uk/api/"
UTLA_AREA_TYPE = 502
"""Fingertips area type "Counties & UAs (from Apr 2023)"."""

REASON_INDICATOR = "Indicator ID is not a whole number"
REASON_NOT_REQUESTED = "indicator not requested"
REASON_AREA = "malformed Area Code"
REASON_REPEAT = "repeat of an earlier row with the same figures (same indicator, area, sex, " \
                "age, category and period)"


def read_fingertips_export(path: str | Path, *, indicator_ids: Sequence[int] | None = None
                           ) -> Accounted:
    r"""Read a Fingertips export with row accounting.

    Parameters
    ----------
    path : str or Path
        CSV (optionally gzipped) in the official Fingertips column layout.
    indicator_ids : sequence of int, optional
        Keep only these indicators; rows of others are set aside as "indicator not
        requested".

    Returns
    -------
    Accounted
        ``clean``: ``indicator_id`` (int), ``indicator_name``, ``area_code`` (E10000023, the
        pre-2023 North Yorkshire county, becomes E06000065), ``area_name``, ``area_type``,
        ``sex``, ``age``, ``category_type``, ``category`` (blank for the whole population),
        ``time_period``, ``value``, ``lower_95``, ``upper_95`` (and ``lower_99_8``,
        ``upper_99_8`` when present), ``count``, ``denominator`` (Float64; missing when not
        published), ``value_note``, ``missing_reason`` (the value note, or "no value
        published", where ``value`` is missing), ``source_file``, ``source_row``.
        ``quarantine``: rows set aside with one reason: bad Indicator ID, indicator not
        requested, malformed Area Code, unreadable number in a column, repeat of an earlier
        row with the same figures. ``notes``: ``area_codes_mapped``, ``area_code_note``,
        ``indicators`` (ID -> name), ``periods``.

    Raises
    ------
    SnaInputError
        File problems (missing, empty, damaged, workbook, not UTF-8, header not on line 1,
        missing column), or two rows for the same indicator, area, sex, age, category and
        period with different figures (the message names both rows).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> cols = ",".join(REQUIRED)
    >>> row = ("90284,Injuries,E06000014,York,UA,Persons,<15 yrs,,,2023/24,79.4,65.2,95.7,"
    ...        "110,13856,")
    >>> gap = "90284,Injuries,E06000014,York,UA,Persons,<15 yrs,,,2022/23,,,,,,Not presented"
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "f.csv"
    >>> _ = path.write_text("\n".join([cols, row, gap, row]) + "\n")
    >>> acc = read_fingertips_export(path)
    >>> acc.clean[["time_period", "value", "missing_reason"]].values.tolist()
    [['2023/24', 79.4, <NA>], ['2022/23', <NA>, 'Not presented']]
    >>> acc.quarantine["source_row"].tolist()
    [4]
    """
    file = str(path)
    raw = csv_frame(path, REQUIRED, WHAT)
    indicator = pd.to_numeric(raw["Indicator ID"].str.strip(), errors="coerce")
    codes, mapped = map_area_codes(raw["Area Code"])
    checks = [(indicator.isna() | (indicator % 1 != 0), REASON_INDICATOR)]
    if indicator_ids is not None:
        wanted = {int(i) for i in indicator_ids}
        checks.append((~indicator.isin(wanted), REASON_NOT_REQUESTED))
    checks.append((~codes.str.fullmatch(AREA_CODE_PATTERN), REASON_AREA))
    frame = pd.DataFrame({
        "indicator_id": indicator.fillna(-1).astype("int64"),
        "indicator_name": raw["Indicator Name"].str.strip(), "area_code": codes,
        "area_name": raw["Area Name"].str.strip(), "area_type": raw["Area Type"].str.strip(),
        "sex": raw["Sex"].str.strip(), "age": raw["Age"].str.strip(),
        "category_type": raw["Category Type"].str.strip(),
        "category": raw["Category"].str.strip(), "time_period": raw["Time period"].str.strip()})
    for column, name in NUMBERS.items():
        if column not in raw.columns:
            continue
        values, _, bad = parse_values(raw[column])
        frame[name] = values
        checks.append((bad, f"unreadable number in '{column}'"))
    note = raw["Value note"].str.strip()
    frame["value_note"] = note.where(note != "").astype("string")
    frame["missing_reason"] = frame["value_note"].fillna("no value published").where(
        frame["value"].isna()).astype("string")
    frame["source_file"] = raw["source_file"]
    frame["source_row"] = raw["source_row"]
    reason = first_reason(checks, raw.index)
    repeat = duplicated_keys(frame, KEY, reason.isna())
    _check_conflicts(frame, repeat, reason.isna(), file)
    reason[repeat & reason.isna()] = REASON_REPEAT
    accounted = split_by_reason(frame, reason)
    clean = accounted.clean
    notes = {"area_codes_mapped": mapped, "area_code_note": mapping_sentence(mapped),
             "indicators": dict(zip(clean["indicator_id"], clean["indicator_name"],
                                    strict=True)),
             "periods": sorted(clean["time_period"].unique().tolist()),
             "blank_lines_skipped": raw.attrs.get("blank_lines", 0), "file": Path(file).name}
    return Accounted(clean=clean, quarantine=accounted.quarantine, rows_in=accounted.rows_in,
                     notes=notes)


def _check_conflicts(frame: pd.DataFrame, repeat: pd.Series, valid: pd.Series,
                     file: str) -> None:
    """Raise when a repeated key carries different figures from its first row."""
    if not repeat.any():
        return
    kept = frame.loc[valid.to_numpy() & ~repeat.to_numpy()]
    first = kept.drop_duplicates(KEY).set_index(KEY)
    for _, row in frame.loc[repeat.to_numpy()].iterrows():
        original = first.loc[tuple(row[KEY])]
        for figure in FIGURES:
            a, b = original[figure], row[figure]
            if (pd.isna(a) != pd.isna(b)) or (not pd.isna(a) and abs(float(a) - float(b)) > 1e-9):
                raise SnaInputError(
                    f"two rows give different figures for {row['area_name']} "
                    f"({row['area_code']}), {row['sex']}, {row['age']}, {row['time_period']}: "
                    f"{COLUMN_OF[figure]} {a} in row {original['source_row']} and {b} here",
                    file=file, row=int(row["source_row"]), column=COLUMN_OF[figure],
                    fix="keep one export per indicator and area type (an older and a newer "
                        "download may have been pasted together); download it again")


def fingertips_cache_path(indicator_ids: Sequence[int], *, area_type_id: int = UTLA_AREA_TYPE,
                          out_dir: str | Path | None = None) -> Path:
    """Where :func:`fetch_fingertips` caches an export.

    Parameters
    ----------
    indicator_ids : sequence of int
        Fingertips indicator IDs (order does not matter).
    area_type_id : int, default UTLA_AREA_TYPE
        Fingertips area type.
    out_dir : str or Path, optional
        The cache folder (``data/raw/fingertips`` when None).

    Returns
    -------
    Path
        ``<out_dir>/fingertips_<ids>_area_type_<id>.csv.gz``.

    Examples
    --------
    >>> fingertips_cache_path([11201, 90284], out_dir="x").as_posix()
    'x/fingertips_11201-90284_area_type_502.csv.gz'
    """
    folder = Path(out_dir) if out_dir is not None else raw_dir() / "fingertips"
    ids = "-".join(str(int(i)) for i in sorted(indicator_ids))
    return folder / f"fingertips_{ids}_area_type_{int(area_type_id)}.csv.gz"


def fetch_fingertips(indicator_ids: Sequence[int], *, area_type_id: int = UTLA_AREA_TYPE,
                     out_dir: str | Path | None = None, client=None) -> Path:
    """Download Fingertips indicators with ``fingertips_py`` and cache them with provenance.

    Parameters
    ----------
    indicator_ids : sequence of int
        Fingertips indicator IDs, e.g. ``[11201]`` (hospital admissions for violence
        including sexual violence) or ``[90284]`` (injury admissions of children aged 0-14).
    area_type_id : int, default 502
        Fingertips area type; 502 is upper-tier local authorities from April 2023.
    out_dir : str or Path, optional
        Cache folder; default ``data/raw/fingertips`` (git-ignored).
    client : module, optional
        Object with ``get_data_by_indicator_ids`` (default: the ``fingertips_py`` package);
        tests pass a stand-in.

    Returns
    -------
    Path
        The cached ``.csv.gz``; beside it ``<name>.provenance.json`` records the API, the
        indicator IDs, area type, time of download (UTC), rows, SHA-256 and the
        ``fingertips_py`` version. The file is checked with :func:`read_fingertips_export`
        before it replaces an earlier copy, so a bad download never overwrites a good one.

    Raises
    ------
    SnaInputError
        No indicator IDs, ``fingertips_py`` not installed, the API could not be reached, or
        the download is empty or not in the Fingertips layout.
    """
    ids = [int(i) for i in indicator_ids]
    if not ids:
        raise SnaInputError("no indicator IDs given", column="indicator",
                            fix="give at least one Fingertips indicator ID, e.g. "
                                "--indicator 11201")
    version = "stand-in"
    if client is None:
        try:
            from importlib.metadata import version as _version

            import fingertips_py as client
            version = _version("fingertips_py")
        except ImportError:
            raise SnaInputError("the fingertips_py package is not installed",
                                fix="pip install fingertips_py (or download the CSV from "
                                    "fingertips.phe.org.uk and read it with "
                                    "read_fingertips_export)") from None
    try:
        data = client.get_data_by_indicator_ids(ids, area_type_id)
    except Exception as err:  # network errors come in many types from requests/urllib
        raise SnaInputError(f"could not download indicators {ids} from Fingertips ({err})",
                            fix="check the internet connection and the indicator IDs, or "
                                "download the CSV from fingertips.phe.org.uk by hand and put "
                                "it in data/raw/fingertips/") from None
    if not isinstance(data, pd.DataFrame) or data.empty:
        raise SnaInputError(f"Fingertips returned no rows for indicators {ids} and area type "
                            f"{area_type_id}", column="indicator", value=ids,
                            fix="check the indicator IDs and the area type on "
                                "fingertips.phe.org.uk (area type 502 = counties and UAs)")
    target = fingertips_cache_path(ids, area_type_id=area_type_id, out_dir=out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = data.to_csv(index=False, lineterminator="\n")
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        staged = Path(tmp) / target.name
        buffer = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as gz:
            gz.write(text.encode("utf-8"))
        staged.write_bytes(buffer.getvalue())
        accounted = read_fingertips_export(staged, indicator_ids=ids)
        provenance = {
            "source": "OHID Fingertips API (fingertips_py.get_data_by_indicator_ids)",
            "api": FINGERTIPS_API, "indicator_ids": ids, "area_type_id": int(area_type_id),
            "retrieved_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "rows": accounted.rows_in, "rows_used": len(accounted.clean),
            "sha256": file_sha256(staged), "fingertips_py_version": version,
            "licence": "Open Government Licence v3.0"}
        staged.replace(target)
    Path(str(target).removesuffix(".csv.gz") + ".provenance.json").write_text(
        json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
    return target
