"""Read and check commissioned-service returns in the partnership's one long layout.

A *partner return* is what a commissioned service (or a partner agency) sends the
partnership each quarter: one row per figure, in the columns of :data:`COLUMNS`
(``partner, service, measure, breakdown, period, value, unit, target, polarity,
source``). The layout, the measure catalogue (``sna/io/partner_measures.csv``) and the
templates (``data/partner_return_template.csv`` and ``.xlsx``) are documented in
``data/README.md`` (partner-return format).

:func:`read_partner_returns` reads CSV or XLSX returns, raises
:class:`~sna.errors.SnaInputError` for problems with a whole file (missing columns, no
sheet named ``return``, empty file, not UTF-8) and sets single bad rows aside with one
reason each, so ``rows_in == len(clean) + len(quarantine)``. It also checks that
breakdowns add up to their totals, months to their quarter and quarters to their
financial year, and *reports* every mismatch (both figures, never one silently picked)
in ``notes["reconciliation"]``. :func:`check_partner_return` returns every problem as
an exact message naming file, row, column and the fix.

:func:`convert_published` turns the partnership's published tables
(``data/raw/shipped/published/``) into this layout; the result is shipped as
``data/raw/shipped/published/partner_returns_nyy.csv``. The partner and publication names
of that conversion are arguments (the shipped call is in the folder's README), so nothing here
names an area.

Periods follow the library's one convention (:func:`sna.periods.period_label`): a financial
quarter is written ``Q3 2023/24``; ``2023/24 Q3`` is accepted as input too.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from sna.errors import SnaInputError
from sna.io.accounting import Accounted, split_by_reason
from sna.io.extract import _decode, _normalise_name
from sna.periods import financial_year_label, period_label
from sna.wording import format_number

__all__ = [
    "COLUMNS",
    "Period",
    "SHEET_NAME",
    "check_partner_return",
    "convert_published",
    "fy_label",
    "measures",
    "months_of",
    "no_returns",
    "parse_period",
    "read_partner_returns",
    "reconcile",
    "reconciliation_messages",
    "template_frame",
    "write_template_csv",
    "write_template_xlsx",
]

COLUMNS: tuple[str, ...] = ("partner", "service", "measure", "breakdown", "period", "value",
                            "unit", "target", "polarity", "source")
"""The columns of a partner return, in template order."""

REQUIRED_COLUMNS: tuple[str, ...] = ("partner", "service", "measure", "breakdown", "period",
                                     "value", "unit")
OPTIONAL_COLUMNS: tuple[str, ...] = ("target", "polarity", "source")
SHEET_NAME = "return"
"""The worksheet of an XLSX return that holds the rows."""

UNITS: dict[str, str] = {"count": "a count of events or items (whole number)",
                         "people": "a number of people (whole number)",
                         "percent": "a percentage from 0 to 100"}
POLARITIES: dict[str, str] = {"up": "higher is better", "down": "lower is better",
                              "neutral": "no direction is better (demand or context)"}
TOTAL_BREAKDOWN = "all"

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})/(\d{2})\s+Q([1-4])$")
_QUARTER_FIRST = re.compile(r"^Q([1-4])\s+(\d{4})/(\d{2})$")
_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
_BREAKDOWN = re.compile(r"^([^:]+?)\s*:\s*(\S.*)$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")

PERIOD_FIX = ("write a month as YYYY-MM (2023-10), a financial quarter as Qn YYYY/YY "
              "(Q3 2023/24; 2023/24 Q3 is read too) or a financial year as YYYY/YY (2023/24)")
KEY = ["partner", "service", "measure", "breakdown", "period"]


# ---------------------------------------------------------------- measures and periods


@lru_cache(maxsize=1)
def _measure_table() -> pd.DataFrame:
    with resources.files("sna.io").joinpath("partner_measures.csv").open(encoding="utf-8") as f:
        table = pd.read_csv(f, dtype=str, keep_default_na=False)
    for column in ("sums_over_time", "sums_over_breakdown"):
        table[column] = table[column].eq("yes")
    return table


def measures() -> pd.DataFrame:
    """Return the catalogue of measures a return may report.

    Returns
    -------
    pandas.DataFrame
        One row per measure: ``measure`` (the code used in returns), ``label``, ``unit``,
        default ``polarity``, partnership ``priority``, whether months add up to quarters
        (``sums_over_time``) and parts of a breakdown to its total
        (``sums_over_breakdown``), and a ``description``.

    Examples
    --------
    >>> table = measures()
    >>> table.set_index("measure").loc["da_related_crimes", ["unit", "polarity"]].tolist()
    ['count', 'down']
    """
    return _measure_table().copy()


@dataclass(frozen=True)
class Period:
    """A reporting period of a return: a month, a financial quarter or a financial year.

    Attributes
    ----------
    kind : {"month", "quarter", "year"}
    label : str
        Canonical text: ``2023-10``, ``Q3 2023/24`` (:func:`sna.periods.period_label`) or
        ``2023/24``.
    period : pandas.Period
        Frequency ``M``, ``Q-MAR`` or ``Y-MAR`` (financial years end in March).
    """

    kind: str
    label: str
    period: pd.Period

    @property
    def financial_year(self) -> str:
        """The financial year the period falls in, e.g. ``'2023/24'``."""
        return fy_label(self.period.asfreq("Y-MAR"))


def fy_label(year: pd.Period) -> str:
    """Label a ``Y-MAR`` period as a financial year.

    Parameters
    ----------
    year : pandas.Period
        A financial year (coerced to ``Y-MAR``).

    Returns
    -------
    str
        ``"YYYY/YY"``.

    Examples
    --------
    >>> fy_label(pd.Period("2024", freq="Y-MAR"))
    '2023/24'
    """
    return financial_year_label(pd.Period(year, freq="Y-MAR").year)


def parse_period(text: object) -> Period:
    """Parse a period of a return.

    Parameters
    ----------
    text : str
        ``YYYY-MM`` (a month), ``Qn YYYY/YY`` or ``YYYY/YY Qn`` (a financial quarter, Q1 =
        April-June; labelled ``Qn YYYY/YY`` as everywhere in the library) or ``YYYY/YY`` (a
        financial year, April-March).

    Returns
    -------
    Period

    Raises
    ------
    SnaInputError
        Anything else (a calendar quarter such as ``2023 Q3``, a month name, a year whose
        two halves do not follow on).

    Examples
    --------
    >>> p = parse_period("2023/24 Q3")
    >>> p.kind, p.label, str(p.period.start_time.date())
    ('quarter', 'Q3 2023/24', '2023-10-01')
    >>> parse_period("2023-10").financial_year, parse_period("2023/24").label
    ('2023/24', '2023/24')
    """
    value = " ".join(str(text).split())
    if match := _MONTH.match(value):
        return Period("month", value, pd.Period(value, freq="M"))
    first = _QUARTER_FIRST.match(value)
    match = _QUARTER.match(value)
    if first or match:
        start, end, q = ((first.group(2), first.group(3), first.group(1)) if first
                         else (match.group(1), match.group(2), match.group(3)))
        if (int(start) + 1) % 100 == int(end):
            quarter = pd.Period(year=int(start) + 1, quarter=int(q), freq="Q-MAR")
            return Period("quarter", period_label(quarter), quarter)
    elif (match := _YEAR.match(value)) and (int(match.group(1)) + 1) % 100 == int(match.group(2)):
        year = pd.Period(year=int(match.group(1)) + 1, freq="Y-MAR")
        return Period("year", fy_label(year), year)
    raise SnaInputError(
        f"period '{value}' is not a month (YYYY-MM), a financial quarter (Qn YYYY/YY) or a "
        "financial year (YYYY/YY)", fix=PERIOD_FIX, column="period", value=text)


def months_of(period: Period) -> list[str]:
    """The months (``YYYY-MM``) a period covers.

    Parameters
    ----------
    period : Period
        A parsed return period (:func:`parse_period`).

    Returns
    -------
    list of str
        The months in order.

    Examples
    --------
    >>> months_of(parse_period("Q3 2023/24"))
    ['2023-10', '2023-11', '2023-12']
    """
    start = period.period.start_time.to_period("M")
    end = period.period.end_time.to_period("M")
    return [str(p) for p in pd.period_range(start, end, freq="M")]


# ---------------------------------------------------------------- file reading


def _read_csv_rows(path: Path, file: str) -> tuple[list[str], list[list[str]]]:
    data = path.read_bytes()
    text = _decode(data, file)
    if not text.strip():
        raise SnaInputError("the file is empty", file=file,
                            fix="start from data/partner_return_template.csv: a header row "
                                "and one row per figure")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as err:
        raise SnaInputError(f"the file cannot be read as CSV ({err})", file=file,
                            fix="save it again as 'CSV UTF-8 (comma delimited)'") from None
    return rows[0], rows[1:]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")
    return str(value)


def _read_xlsx_rows(path: Path, file: str, sheet: str) -> tuple[list[str], list[list[str]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises several types for a damaged file
        raise SnaInputError(f"the workbook cannot be opened ({type(err).__name__})", file=file,
                            fix="save it again from Excel as .xlsx, or save the return as CSV "
                                "UTF-8") from None
    try:
        if sheet not in book.sheetnames:
            raise SnaInputError(
                f"the workbook has no sheet named '{sheet}' (its sheets: "
                f"{', '.join(book.sheetnames)})", file=file,
                fix=f"put the rows on a sheet named '{sheet}' as in "
                    "data/partner_return_template.xlsx")
        rows = [[_cell_text(v) for v in row] for row in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()
    if not rows or not any(c.strip() for row in rows for c in row):
        raise SnaInputError(f"the sheet '{sheet}' is empty", file=file,
                            fix="start from data/partner_return_template.xlsx: a header row "
                                "and one row per figure")
    return rows[0], rows[1:]


def _header(names: list[str], file: str) -> list[str]:
    header = [_normalise_name(str(c)) for c in names]
    while header and header[-1] == "":
        header.pop()
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name and name in seen:
            raise SnaInputError(
                f"column '{name}' appears twice in the header (columns {seen[name]} and "
                f"{position})", fix="delete or rename one of the two columns", file=file,
                row=1, column=name)
        seen[name] = position
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        extra = [c for c in header if c not in COLUMNS]
        close = difflib.get_close_matches(missing[0], extra, n=1, cutoff=0.6)
        hint = f"; the closest column in the file is '{close[0]}'" if close else ""
        names_text = ", ".join(f"'{c}'" for c in missing)
        raise SnaInputError(
            f"required column{'s' if len(missing) > 1 else ''} {names_text} "
            f"{'are' if len(missing) > 1 else 'is'} missing{hint}", file=file, row=1,
            column=missing[0],
            fix=(f"rename '{close[0]}' to '{missing[0]}'" if close else
                 "use the header of data/partner_return_template.csv: " + ",".join(COLUMNS)))
    return header


def _raw_frame(path: str | Path, sheet: str) -> tuple[pd.DataFrame, list[str]]:
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise SnaInputError("the file does not exist", file=file,
                            fix="check the path in the params file's 'returns' list")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        head, body = _read_xlsx_rows(path, file, sheet)
    else:
        head, body = _read_csv_rows(path, file)
    header = _header(head, file)
    while body and not any(str(c).strip() for c in body[-1]):
        body = body[:-1]  # trailing empty lines (and formatted empty rows of a workbook)
    rows = []
    for number, row in enumerate(body, start=2):
        cells = [str(c) for c in row]
        if any(c.strip() for c in cells[len(header):]):
            raise SnaInputError(
                f"this row has {len(cells)} cells but the header has {len(header)} columns",
                file=file, row=number,
                fix="check for an unquoted comma in a text field (quote the field)")
        cells = (cells + [""] * len(header))[:len(header)]
        rows.append(cells)
    raw = pd.DataFrame(rows, columns=header, dtype=object).fillna("")
    for column in OPTIONAL_COLUMNS:
        if column not in raw.columns:
            raw[column] = ""
    extra = [c for c in header if c and c not in COLUMNS]
    raw = raw[list(COLUMNS)].astype(str).apply(lambda s: s.str.strip())
    raw.insert(0, "source_row", range(2, len(raw) + 2))
    raw.insert(0, "source_file", path.name)
    if raw.empty:
        raise SnaInputError("the return has a header but no rows", file=file,
                            fix="add one row per figure below the header")
    return raw, extra


# ---------------------------------------------------------------- row checks


@dataclass(frozen=True)
class _Problem:
    column: str
    problem: str
    fix: str


def _number(text: str) -> float | None:
    cleaned = text.replace(",", "").strip()
    return float(cleaned) if _NUMBER.match(cleaned) else None


def _row_problem(row: dict, catalogue: pd.DataFrame) -> _Problem | None:
    if not any(row[c] for c in COLUMNS):
        return _Problem("partner", "blank row", "delete the empty row")
    for column in ("partner", "service"):
        if not row[column]:
            return _Problem(column, f"{column} is blank",
                            f"write the {column}'s name on every row")
    if row["measure"] not in catalogue.index:
        close = difflib.get_close_matches(row["measure"], list(catalogue.index), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return _Problem("measure", f"unknown measure '{row['measure']}'{hint}",
                        "use a measure code listed in data/README.md (partner-return format), "
                        "or add the measure to the catalogue")
    info = catalogue.loc[row["measure"]]
    breakdown = row["breakdown"]
    if breakdown.lower() != TOTAL_BREAKDOWN and not _BREAKDOWN.match(breakdown):
        return _Problem("breakdown", f"breakdown '{breakdown}' is not 'all' or "
                                     "'dimension: category'",
                        "write 'all' for the total, or e.g. 'sex: female' for a part")
    try:
        parse_period(row["period"])
    except SnaInputError as err:
        return _Problem("period", err.problem, err.fix)
    unit = row["unit"].lower()
    if unit not in UNITS:
        return _Problem("unit", f"unit '{row['unit']}' is not one of {', '.join(UNITS)}",
                        f"use the measure's unit, '{info['unit']}'")
    if unit != info["unit"]:
        return _Problem("unit", f"unit '{row['unit']}' does not match the unit of measure "
                                f"'{row['measure']}' ('{info['unit']}')",
                        f"use '{info['unit']}', or the measure that counts {UNITS[unit]}")
    if row["target"] and _number(row["target"]) is None:
        return _Problem("target", f"target '{row['target']}' is not a number",
                        "write the target as a plain number, or leave it blank")
    if not row["value"]:
        if row["target"]:
            return None
        return _Problem("value", "value is blank",
                        "write the figure (0 if there were none); leave it blank only on a "
                        "row that sets a target not yet reported against")
    value = _number(row["value"])
    if value is None:
        return _Problem("value", f"value '{row['value']}' is not a number",
                        "write the figure as a plain number (no text, '%' sign or "
                        "'<5'); 0 if there were none")
    if unit in ("count", "people") and (value < 0 or not value.is_integer()):
        return _Problem("value", f"value {row['value']} is not a whole number of 0 or more "
                                 f"(unit '{unit}')", "correct the figure")
    if unit == "percent" and not 0 <= value <= 100:
        return _Problem("value", f"value {row['value']} is not a percentage from 0 to 100",
                        "write the percentage as a number from 0 to 100, without '%'")
    if row["polarity"] and row["polarity"].lower() not in POLARITIES:
        return _Problem("polarity", f"polarity '{row['polarity']}' is not one of "
                                    f"{', '.join(POLARITIES)}",
                        "write up (higher is better), down (lower is better) or neutral, "
                        "or leave it blank for the measure's default")
    return None


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical breakdown and period text for rows that passed the single-row checks."""
    out = frame.copy()
    breakdown = out["breakdown"].map(lambda b: TOTAL_BREAKDOWN if b.lower() == TOTAL_BREAKDOWN
                                     else ": ".join(_BREAKDOWN.match(b).groups()))
    out["breakdown"] = breakdown
    out["period"] = out["period"].map(lambda p: parse_period(p).label)
    return out


def _duplicate_problems(raw: pd.DataFrame, ok: pd.Series) -> dict[int, _Problem]:
    """Rows repeating an earlier row's key (same value), or conflicting with it (both out)."""
    problems: dict[int, _Problem] = {}
    canon = _canonical(raw[ok])
    for _, group in canon.groupby(KEY, sort=False):
        if len(group) < 2:
            continue
        values = group["value"].map(lambda v: _number(v) if v else None)
        files = group["source_file"].tolist()
        several = len(set(files)) > 1
        rows = [f"{f} row {r}" if several else f"row {r}"
                for f, r in zip(files, group["source_row"], strict=True)]
        if values.nunique(dropna=False) == 1:
            first = f"row {group['source_row'].iloc[0]}"
            for index in group.index[1:]:
                where = first if raw.at[index, "source_file"] == files[0] else rows[0]
                problems[index] = _Problem(
                    "period", f"repeat of {where} (same partner, service, measure, "
                              "breakdown, period and value)", "delete the repeated row")
        else:
            shown = ", ".join(group["value"].map(lambda v: v or "blank"))
            for index in group.index:
                problems[index] = _Problem(
                    "value", f"conflicting values for the same partner, service, measure, "
                             f"breakdown and period ({', '.join(rows)}: {shown})",
                    "keep one row with the correct figure; neither is used until then")
    return problems


def _check_rows(raw: pd.DataFrame) -> tuple[pd.Series, dict[int, _Problem]]:
    catalogue = _measure_table().set_index("measure")
    problems: dict[int, _Problem] = {}
    for index, row in raw[list(COLUMNS)].iterrows():
        problem = _row_problem(row.to_dict(), catalogue)
        if problem is not None:
            problems[index] = problem
    ok = pd.Series([i not in problems for i in raw.index], index=raw.index)
    problems.update(_duplicate_problems(raw, ok))
    reason = pd.Series([problems[i].problem if i in problems else None for i in raw.index],
                       index=raw.index, dtype=object)
    return reason, problems


def _typed(clean: pd.DataFrame) -> pd.DataFrame:
    catalogue = _measure_table().set_index("measure")
    out = _canonical(clean)
    periods = clean["period"].map(parse_period)
    out["period_kind"] = [p.kind for p in periods]
    out["financial_year"] = [p.financial_year for p in periods]
    split = out["breakdown"].str.split(": ", n=1)
    out["dimension"] = split.map(lambda s: "" if s[0] == TOTAL_BREAKDOWN else s[0])
    out["category"] = split.map(lambda s: "" if s[0] == TOTAL_BREAKDOWN else s[1])
    out["value"] = pd.to_numeric(clean["value"].str.replace(",", ""), errors="coerce")
    out["target"] = pd.to_numeric(clean["target"].str.replace(",", ""), errors="coerce")
    out["unit"] = clean["unit"].str.lower()
    default = out["measure"].map(catalogue["polarity"])
    out["polarity"] = clean["polarity"].str.lower().where(clean["polarity"] != "", default)
    out["label"] = out["measure"].map(catalogue["label"])
    out["priority"] = out["measure"].map(catalogue["priority"])
    return out.reset_index(drop=True)


# ---------------------------------------------------------------- reconciliation


def _mismatch(parts_sum: float, total: float) -> tuple[float, str]:
    difference = total - parts_sum
    more_less = "more" if difference > 0 else "less"
    return difference, f"{format_number(abs(difference))} {more_less} than the sum of its parts"


def reconcile(clean: pd.DataFrame) -> pd.DataFrame:
    """Check every printed total of a return against the sum of its printed parts.

    Three kinds of total are checked, each only for measures that add up that way (see
    :func:`measures`): the parts of a breakdown against the ``all`` row of the same
    period; the three months of a quarter against the quarter; the four quarters of a
    financial year against the year. A mismatch is reported with both figures and never
    resolved by picking one.

    Parameters
    ----------
    clean : pandas.DataFrame
        The clean rows of :func:`read_partner_returns`.

    Returns
    -------
    pandas.DataFrame
        One row per total checked: ``partner, service, measure, period, check`` (what the
        parts are), ``parts``, ``sum_of_parts``, ``published_total``, ``difference``,
        ``matches``, ``sentence``, ``rows`` (where the figures are).

    Examples
    --------
    >>> rows = pd.DataFrame({"partner": "P", "service": "S", "measure": "m",
    ...     "period": ["2022/23 Q1", "2022/23 Q2", "2022/23 Q3", "2022/23 Q4", "2022/23"],
    ...     "period_kind": ["quarter"] * 4 + ["year"], "breakdown": "all", "dimension": "",
    ...     "value": [1573, 1778, 1501, 1435, 6387], "sums_over_time": True,
    ...     "sums_over_breakdown": True, "source_file": "r.csv", "source_row": [2, 3, 4, 5, 6]})
    >>> reconcile(rows)["sentence"].iloc[0]
    'P, S, m, 2022/23: the printed total (6,387) is 100 more than the sum of its parts, the four quarters (6,287).'
    """  # noqa: E501
    catalogue = _measure_table().set_index("measure")
    frame = clean.copy()
    for flag in ("sums_over_time", "sums_over_breakdown"):
        if flag not in frame.columns:
            frame[flag] = frame["measure"].map(catalogue[flag]).fillna(False).astype(bool)
    frame = frame[frame["value"].notna()]
    found = []

    def add(total_row: pd.Series, parts: pd.DataFrame, what: str) -> None:
        parts_sum = float(parts["value"].sum())
        total = float(total_row["value"])
        difference, gap = _mismatch(parts_sum, total)
        matches = difference == 0
        head = (f"{total_row['partner']}, {total_row['service']}, {total_row['measure']}, "
                f"{total_row['period']}")
        sentence = (f"{head}: the printed total ({format_number(total)}) matches the sum of its "
                    f"parts, {what} ({format_number(parts_sum)})." if matches else
                    f"{head}: the printed total ({format_number(total)}) is {gap}, {what} "
                    f"({format_number(parts_sum)}).")
        rows = [int(r) for r in [total_row["source_row"], *parts["source_row"]]]
        found.append({"partner": total_row["partner"], "service": total_row["service"],
                      "measure": total_row["measure"], "period": total_row["period"],
                      "check": what, "parts": len(parts), "sum_of_parts": parts_sum,
                      "published_total": total, "difference": difference,
                      "matches": matches, "sentence": sentence,
                      "source_file": total_row["source_file"],
                      "rows": f"{min(rows)}-{max(rows)}" if len(rows) > 1 else str(rows[0])})

    for _, group in frame.groupby(["partner", "service", "measure"], sort=False):
        totals = group[group["breakdown"] == TOTAL_BREAKDOWN]
        if group["sums_over_breakdown"].iloc[0]:
            for _, total in totals.iterrows():
                same = group[(group["period"] == total["period"]) & (group["dimension"] != "")]
                for dimension, parts in same.groupby("dimension", sort=False):
                    add(total, parts, f"the {dimension} breakdown")
        if group["sums_over_time"].iloc[0]:
            months = totals[totals["period_kind"] == "month"]
            quarters = totals[totals["period_kind"] == "quarter"]
            for _, total in quarters.iterrows():
                covered = [str(m) for m in pd.period_range(
                    pd.Period(_quarter_start(total["period"]), freq="M"), periods=3, freq="M")]
                parts = months[months["period"].isin(covered)]
                if len(parts) == 3:
                    add(total, parts, "the three months")
            for _, total in totals[totals["period_kind"] == "year"].iterrows():
                in_year = [parse_period(q).financial_year == total["period"]
                           for q in quarters["period"]]
                parts = quarters[pd.Series(in_year, index=quarters.index, dtype=bool)]
                if len(parts) == 4:
                    add(total, parts, "the four quarters")
    columns = ["partner", "service", "measure", "period", "check", "parts", "sum_of_parts",
               "published_total", "difference", "matches", "sentence", "source_file", "rows"]
    return pd.DataFrame(found, columns=columns)


def _quarter_start(label: str) -> str:
    return str(parse_period(label).period.start_time.to_period("M"))


# ---------------------------------------------------------------- public readers


def read_partner_returns(paths: str | Path | Sequence[str | Path], *,
                         sheet: str = SHEET_NAME) -> Accounted:
    """Read one or more partner returns (CSV or XLSX) with row accounting and checks.

    Parameters
    ----------
    paths : path or list of paths
        Returns in the layout of :data:`COLUMNS`. Relative paths are taken as given (the
        report passes absolute paths). Rows from all files are checked together, so the
        same figure sent in two files is caught as a repeat or a conflict.
    sheet : str, default "return"
        The worksheet of an XLSX return holding the rows.

    Returns
    -------
    Accounted
        ``clean``: one row per usable figure, with canonical ``breakdown`` and ``period``
        text, ``period_kind`` (month, quarter, year), ``financial_year``, ``dimension``
        and ``category`` (from ``dimension: category``), numeric ``value`` (missing on a
        row that sets a target not yet reported against) and ``target``, ``polarity``
        (the measure's default where blank), ``label`` and ``priority``.
        ``quarantine``: rows set aside, one reason each. ``notes``: ``files``,
        ``extra_columns``, ``messages`` (one exact message per row set aside) and
        ``reconciliation`` (see :func:`reconcile`).

    Raises
    ------
    SnaInputError
        A file that is missing, empty, not UTF-8, an XLSX without the sheet, a header
        missing a required column or repeating one, a row with more cells than the header.

    Examples
    --------
    >>> from sna.paths import repo_root
    >>> acc = read_partner_returns(repo_root() / "data/partner_return_template.csv")
    >>> acc.rows_in == len(acc.clean) + len(acc.quarantine)
    True
    """
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    if not paths:
        raise SnaInputError("no partner returns were given", column="returns",
                            fix="list at least one return file under 'returns' in the params")
    frames, extra = [], {}
    for path in paths:
        raw, extra_columns = _raw_frame(path, sheet)
        frames.append(raw)
        if extra_columns:
            extra[Path(path).name] = extra_columns
    raw = pd.concat(frames, ignore_index=True)
    reason, problems = _check_rows(raw)
    accounted = split_by_reason(raw, reason)
    messages = [str(SnaInputError(problems[i].problem, fix=problems[i].fix,
                                  file=raw.at[i, "source_file"], row=int(raw.at[i, "source_row"]),
                                  column=problems[i].column))
                for i in raw.index if i in problems]
    clean = _typed(accounted.clean) if len(accounted.clean) else _typed_empty()
    notes = {"files": [Path(p).name for p in paths], "extra_columns": extra,
             "messages": messages, "reconciliation": reconcile(clean)}
    return Accounted(clean=clean, quarantine=accounted.quarantine, rows_in=accounted.rows_in,
                     notes=notes)


def no_returns() -> Accounted:
    """The result of reading no partner returns: no rows, nothing set aside, nothing to check.

    For a report whose area has no partner returns (its sections say so) rather than an error.

    Returns
    -------
    Accounted
        Empty ``clean`` and ``quarantine``, ``rows_in`` 0, and notes with no files,
        messages or extra columns and an empty reconciliation table.

    Examples
    --------
    >>> acc = no_returns()
    >>> acc.rows_in, len(acc.clean), acc.notes["files"], len(acc.notes["reconciliation"])
    (0, 0, [], 0)
    """
    clean = _typed_empty()
    quarantine = pd.DataFrame(columns=["source_file", "source_row", "reason", *COLUMNS])
    return Accounted(clean=clean, quarantine=quarantine, rows_in=0,
                     notes={"files": [], "extra_columns": {}, "messages": [],
                            "reconciliation": reconcile(clean)})


def _typed_empty() -> pd.DataFrame:
    columns = ["source_file", "source_row", *COLUMNS, "period_kind", "financial_year",
               "dimension", "category", "label", "priority"]
    frame = pd.DataFrame(columns=columns)
    frame["value"] = frame["value"].astype(float)
    frame["target"] = frame["target"].astype(float)
    return frame


def reconciliation_messages(reconciliation: pd.DataFrame) -> list[str]:
    """Exact messages for the totals that do not match the sum of their parts.

    Parameters
    ----------
    reconciliation : pandas.DataFrame
        The table of :func:`reconcile` (``source_file, rows, matches, sentence``).

    Returns
    -------
    list of str
        One message per total that does not match, naming file, rows and fix.

    Examples
    --------
    >>> table = pd.DataFrame({"source_file": ["r.csv"], "rows": ["2-6"], "matches": [False],
    ...                       "sentence": ["P, S, m, 2022/23: the printed total (6,387) is "
    ...                                    "100 more than the sum of its parts, the four "
    ...                                    "quarters (6,287)."]})
    >>> reconciliation_messages(table)[0].startswith("r.csv, rows 2-6, column 'value': P, S")
    True
    """
    out = []
    for _, row in reconciliation[~reconciliation["matches"].astype(bool)].iterrows():
        out.append(f"{row['source_file']}, rows {row['rows']}, column 'value': "
                   f"{row['sentence'].rstrip('.')}. Fix: correct the total or the part that is "
                   "wrong; until then the report shows both figures and uses neither silently.")
    return out


def check_partner_return(paths: str | Path | Iterable[str | Path], *,
                         sheet: str = SHEET_NAME) -> list[str]:
    """Every problem in one or more returns, as exact messages (empty when all is well).

    Parameters
    ----------
    paths : path or list of paths
        As for :func:`read_partner_returns`.
    sheet : str, default "return"
        As for :func:`read_partner_returns`.

    Returns
    -------
    list of str
        A problem with a whole file stops the check and is the one message; otherwise one
        message per row set aside, then one per total that does not match its parts.

    Examples
    --------
    >>> from sna.paths import repo_root
    >>> check_partner_return(repo_root() / "data/partner_return_template.csv")
    []
    """
    try:
        accounted = read_partner_returns(list(paths) if not isinstance(paths, str | Path)
                                         else paths, sheet=sheet)
    except SnaInputError as err:
        return [str(err)]
    return [*accounted.notes["messages"],
            *reconciliation_messages(accounted.notes["reconciliation"])]


# ---------------------------------------------------------------- templates


TEMPLATE_ROWS: list[dict[str, str]] = [
    {"partner": "IDAS", "service": "Community-based support (hub)",
     "measure": "idas_hub_enquiries", "breakdown": "all", "period": "2024-10", "value": "850",
     "unit": "count", "target": "", "polarity": "", "source": "IDAS case system, monthly"},
    {"partner": "IDAS", "service": "Community-based support (hub)",
     "measure": "idas_hub_enquiries", "breakdown": "all", "period": "Q3 2024/25",
     "value": "2500", "unit": "count", "target": "", "polarity": "",
     "source": "IDAS case system, quarter"},
    {"partner": "IDAS", "service": "Community-based support (hub)",
     "measure": "idas_hub_individuals", "breakdown": "sex: female", "period": "Q3 2024/25",
     "value": "1400", "unit": "people", "target": "", "polarity": "",
     "source": "IDAS case system"},
    {"partner": "Serious Violence Duty grant", "service": "Emergency bleed-control kits",
     "measure": "svd_bleed_kits_installed", "breakdown": "all", "period": "2024/25",
     "value": "", "unit": "count", "target": "29", "polarity": "up",
     "source": "target set by the partnership; figure not yet reported"},
]
"""Example rows of the templates (they pass every check)."""


def template_frame() -> pd.DataFrame:
    """The template's example rows as a table in the return layout.

    Returns
    -------
    pandas.DataFrame
        The example rows, columns :data:`COLUMNS` (``partner, service, measure, breakdown,
        period, value, unit, target, polarity, source``).

    Examples
    --------
    >>> list(template_frame().columns) == list(COLUMNS)
    True
    """
    return pd.DataFrame(TEMPLATE_ROWS, columns=list(COLUMNS))


def write_template_csv(path: str | Path) -> Path:
    """Write the CSV template (header and example rows, UTF-8).

    Parameters
    ----------
    path : str or Path
        The CSV file to write.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> out = write_template_csv(Path(tempfile.mkdtemp()) / "t.csv")
    >>> out.read_text().splitlines()[0]
    'partner,service,measure,breakdown,period,value,unit,target,polarity,source'
    """
    path = Path(path)
    template_frame().to_csv(path, index=False, lineterminator="\n")
    return path


def write_template_xlsx(path: str | Path) -> Path:
    """Write the XLSX template: sheet ``return`` (to fill in) and ``guide`` and ``measures``.

    Every cell of the ``return`` sheet is formatted as text, so Excel does not turn
    ``2023-10`` into a date or ``2023/24`` into a fraction.

    Parameters
    ----------
    path : str or Path
        The workbook to write.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> out = write_template_xlsx(Path(tempfile.mkdtemp()) / "t.xlsx")
    >>> check_partner_return(out)
    []
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in TEMPLATE_ROWS:
        sheet.append([row[c] for c in COLUMNS])
    for column_cells in sheet.iter_cols(min_row=1, max_row=500, max_col=len(COLUMNS)):
        for cell in column_cells:
            cell.number_format = "@"
        sheet.column_dimensions[column_cells[0].column_letter].width = 24
    catalogue = _measure_table()
    book.create_sheet("measures")
    listing = book["measures"]
    listing.append(["measure", "label", "unit", "polarity", "priority", "description"])
    for _, row in catalogue.iterrows():
        listing.append([row["measure"], row["label"], row["unit"], row["polarity"],
                        row["priority"], row["description"]])
    rules = [
        ("units", DataValidation(type="list", formula1='"' + ",".join(UNITS) + '"',
                                 allow_blank=True), "G2:G500"),
        ("polarity", DataValidation(type="list", formula1='"' + ",".join(POLARITIES) + '"',
                                    allow_blank=True), "I2:I500"),
        ("measure", DataValidation(type="list",
                                   formula1=f"measures!$A$2:$A${len(catalogue) + 1}",
                                   allow_blank=False), "C2:C500"),
    ]
    for _, rule, cells in rules:
        sheet.add_data_validation(rule)
        rule.add(cells)
    guide = book.create_sheet("guide")
    for line in GUIDE_LINES:
        guide.append([line])
    guide.column_dimensions["A"].width = 110
    book.save(path)
    return path


GUIDE_LINES = [
    "How to fill in a partner return (one row per figure, on the sheet 'return')",
    "partner: your organisation (e.g. IDAS). service: the commissioned service.",
    "measure: a code from the sheet 'measures' (it fixes the unit and what the figure means).",
    "breakdown: 'all' for the total, or 'dimension: category' for a part (e.g. 'sex: female').",
    "period: a month YYYY-MM (2024-10), a financial quarter Qn YYYY/YY (Q3 2024/25) or a "
    "financial year YYYY/YY (2024/25).",
    "value: the figure as a plain number; 0 if there were none. Leave it blank only on a row "
    "that sets a target you have not yet reported against.",
    "unit: count, people or percent (as listed for the measure). target: optional number.",
    "polarity: optional; up = higher is better, down = lower is better, neutral = neither.",
    "source: where the figure comes from (system, report, page).",
    "Send both the total and its parts if you have them: the partnership checks that they add "
    "up and reports any difference rather than choosing one.",
]


# ---------------------------------------------------------------- the published tables


PARTNER_IDAS = "IDAS"
PARTNER_FOUNDATION = "Foundation"
SERVICE_DA = "Police-recorded crime (as published by the partnership)"
SERVICE_HUB = "Community-based support (hub)"
SERVICE_SAFE = "Safe accommodation"
SERVICE_TH = "Target hardening"
SERVICE_PERP = "+Choices (adult perpetrators of domestic abuse)"
_MONTHS = {name: number for number, name in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)}


def _fy_month(month_name: str, financial_year: str) -> str:
    number = _MONTHS[month_name.strip().capitalize()]
    start = int(financial_year[:4])
    return f"{start if number >= 4 else start + 1}-{number:02d}"


def _month_text(text: str) -> str:
    name, year = text.split()
    return f"{int(year):04d}-{_MONTHS[name.capitalize()]:02d}"


def _row(partner: str, service: str, measure: str, breakdown: str, period: str, value,
         source: str, target: str = "") -> dict[str, str]:
    catalogue = _measure_table().set_index("measure")
    text = "" if value is None or value == "" else _csv_value(value)
    return {"partner": partner, "service": service, "measure": measure,
            "breakdown": breakdown, "period": parse_period(period).label, "value": text,
            "unit": catalogue.at[measure, "unit"], "target": target, "polarity": "",
            "source": source}


def _csv_value(value) -> str:
    """A value as written into the return's CSV: data for a program, not a sentence.

    No thousands separators and no rounding, so :mod:`sna.wording` does not apply.
    """
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def convert_published(folder: str | Path, *, police_partner: str,
                      sources: dict[str, str]) -> pd.DataFrame:
    """Convert the partnership's published tables into the partner-return layout.

    Parameters
    ----------
    folder : path
        ``data/raw/shipped/published`` (the CSVs transcribed from the partnership's
        reports, see its README): DA-related crimes by quarter with the printed year
        totals, IDAS hub enquiries by month, the safe-accommodation, target-hardening and
        perpetrator-service tables of Q3 2023/24, and the figures printed only in the
        text of that return (``idas_q3_2023_24_text_figures.csv``).
    police_partner : str
        The partner named on the police-recorded rows (the area's force).
    sources : dict
        The publication each table was transcribed from, for the ``source`` column:
        keys ``da`` (the DA-related crime table), ``idas`` and ``foundation`` (the
        services' returns). The shipped call (with the partnership's names) is in
        ``data/raw/shipped/published/README.md``.

    Returns
    -------
    pandas.DataFrame
        One row per published figure in the columns of :data:`COLUMNS`, as text, exactly
        as printed (nothing corrected; mismatching totals are kept for the checks to
        report).

    Examples
    --------
    >>> from sna.paths import repo_root
    >>> rows = convert_published(repo_root() / "data/raw/shipped/published",
    ...                          police_partner="Police", sources=dict.fromkeys(
    ...                              ("da", "idas", "foundation"), "published report"))
    >>> rows.query("measure == 'da_related_crimes' and period == '2022/23'")["value"].tolist()
    ['6387']
    """
    folder = Path(folder)
    missing = sorted({"da", "idas", "foundation"} - set(sources))
    if missing:
        raise SnaInputError(f"sources has no entry for {', '.join(missing)}", column="sources",
                            fix="name the publication of each table: da, idas and foundation")

    def read(name: str) -> pd.DataFrame:
        path = folder / name
        if not path.is_file():
            raise SnaInputError("a published table is missing", file=str(path),
                                fix="restore it from the project's data/raw/shipped/published")
        return pd.read_csv(path, dtype=str, keep_default_na=False)

    rows: list[dict[str, str]] = []
    da = read("da_related_crimes_quarterly.csv")
    for _, r in da.iterrows():
        rows.append(_row(police_partner, SERVICE_DA, "da_related_crimes", "all",
                         f"{r['financial_year']} {r['quarter']}", r["da_related_crimes"],
                         sources["da"]))
    for year, group in da.groupby("financial_year", sort=False):
        rows.append(_row(police_partner, SERVICE_DA, "da_related_crimes", "all", year,
                         group["published_year_total"].iloc[0],
                         sources["da"] + " (year total as printed)"))
    hub = read("idas_hub_enquiries_monthly.csv")
    for _, r in hub.iterrows():
        rows.append(_row(PARTNER_IDAS, SERVICE_HUB, "idas_hub_enquiries", "all",
                         _fy_month(r["month"], r["financial_year"]), r["enquiries"],
                         sources["idas"]))
    text = read("idas_q3_2023_24_text_figures.csv")
    services = {m: SERVICE_HUB if m.startswith("idas_hub") else SERVICE_SAFE
                for m in text["measure"]}
    for _, r in text.iterrows():
        rows.append(_row(PARTNER_IDAS, services[r["measure"]], r["measure"], r["breakdown"],
                         r["period"], r["value"],
                         sources["idas"] + f" (text: \"{r['printed_as']}\")"))
    safe = read("idas_safe_accommodation_q3_2023_24.csv")
    quarter = "Q3 2023/24"
    for _, r in safe.iterrows():
        kind, category, value = r["measure"], r["category"], r["value"]
        if kind == "helpline_enquiries_by_month":
            rows.append(_row(PARTNER_IDAS, SERVICE_SAFE, "idas_helpline_enquiries", "all",
                             _month_text(category), value, sources["idas"]))
        elif kind == "calls_by_caller":
            rows.append(_row(PARTNER_IDAS, SERVICE_SAFE, "idas_helpline_enquiries",
                             f"caller: {category}", quarter, value, sources["idas"]))
            if category == "professional":
                rows.append(_row(PARTNER_IDAS, SERVICE_SAFE, "idas_helpline_professional_calls",
                                 "all", quarter, value, sources["idas"]))
        elif kind == "professional_calls_by_sector":
            rows.append(_row(PARTNER_IDAS, SERVICE_SAFE, "idas_helpline_professional_calls",
                             f"sector: {category}", quarter, value, sources["idas"]))
        elif kind == "referrals_by_month":
            rows.append(_row(PARTNER_IDAS, SERVICE_SAFE, "idas_safe_accommodation_referrals",
                             "all", _month_text(category), value, sources["idas"]))
        else:
            raise SnaInputError(f"unknown measure '{kind}' in the published table",
                                file=str(folder / "idas_safe_accommodation_q3_2023_24.csv"),
                                column="measure", fix="extend convert_published for it")
    hardening = read("idas_target_hardening_q3_2023_24.csv")
    for _, r in hardening.iterrows():
        rows.append(_row(PARTNER_IDAS, SERVICE_TH, "target_hardening_items",
                         f"item: {r['item']}", quarter, r["items_provided"],
                         sources["idas"]))
        rows.append(_row(PARTNER_IDAS, SERVICE_TH, "target_hardening_individuals",
                         f"item: {r['item']}", quarter, r["individuals_provided_to"],
                         sources["idas"]))
    perpetrators = read("perpetrator_service_referrals_q3.csv")
    for _, r in perpetrators.iterrows():
        rows.append(_row(PARTNER_FOUNDATION, SERVICE_PERP, "perpetrator_referrals",
                         f"referral type: {r['referral_type']}", parse_period(r["period"]).label,
                         r["referrals"], sources["foundation"]))
    return pd.DataFrame(rows, columns=list(COLUMNS))
