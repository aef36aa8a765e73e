"""Months, quarters, financial years and their labels: the one place periods are built.

Every layer uses these helpers (readers list the months a file covers, statistics
count by month and label quarters, sections pick the review year), so the module
sits at the top level beside :mod:`sna.errors` and imports nothing else from ``sna``
but :mod:`sna.checks`. Seasons of a series (month or quarter of the year) are here too.

UK financial years run April to March; their quarters are pandas ``"Q-MAR"``
periods (``period.quarter`` is the financial quarter, ``period.qyear`` the year
the financial year ends in).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from sna.checks import require_columns
from sna.errors import SnaInputError

__all__ = [
    "financial_quarter",
    "financial_quarter_index",
    "financial_quarter_series",
    "financial_year_label",
    "month_range",
    "month_runs",
    "monthly_counts",
    "months_of",
    "period_label",
    "period_months",
    "periods_per_year",
    "rows_in_period",
    "season_name",
    "season_number",
    "to_months",
    "year_label",
    "year_months",
]

_FINANCIAL_YEAR = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2}|\d{4})\s*$")


# ---------------------------------------------------------------- months


def month_range(first: str | pd.Period, last: str | pd.Period, *, name: str = "period"
                ) -> pd.PeriodIndex:
    """Return every month from ``first`` to ``last`` inclusive.

    Parameters
    ----------
    first, last : str or pandas.Period
        Months (``"YYYY-MM"``).
    name : str
        Parameter name for error messages.

    Returns
    -------
    pandas.PeriodIndex
        Monthly, not empty.

    Raises
    ------
    SnaInputError
        A value that is not a month, or ``last`` before ``first``.

    Examples
    --------
    >>> month_range("2024-11", "2025-01").strftime("%Y-%m").tolist()
    ['2024-11', '2024-12', '2025-01']
    """
    try:
        months = pd.period_range(pd.Period(first, freq="M"), pd.Period(last, freq="M"), freq="M")
    except (ValueError, TypeError) as err:
        raise SnaInputError(f"{name} ({first!r}, {last!r}) are not months: {err}",
                            fix="give months as 'YYYY-MM'", column=name,
                            value=(first, last)) from None
    if len(months) == 0:
        raise SnaInputError(f"{name} ends ({last}) before it starts ({first})",
                            fix="give the first month before the last", column=name,
                            value=(first, last))
    return months


def year_months(last_month: str | pd.Period, *, months: int = 12) -> list[str]:
    """The ``months`` months ending with ``last_month``, as ``"YYYY-MM"`` text.

    Parameters
    ----------
    last_month : str or pandas.Period
        The last month, ``"YYYY-MM"``.
    months : int, default 12
        How many months.

    Returns
    -------
    list of str
        Oldest first.

    Examples
    --------
    >>> year_months("2025-12", months=3)
    ['2025-10', '2025-11', '2025-12']
    """
    end = pd.Period(last_month, freq="M")
    return [str(end - k) for k in range(months - 1, -1, -1)]


def to_months(values: pd.Series, column: str, *, allow_missing: bool = False) -> pd.Series:
    """Parse a column of months (Period, Timestamp or "YYYY-MM" text) to monthly Periods.

    Parameters
    ----------
    values : pandas.Series
        Months as ``Period``, datetime or ISO 8601 text ("2024-01", "2024-01-01").
    column : str
        Column name, for messages.
    allow_missing : bool, default False
        Keep missing values as ``NaT`` instead of raising.

    Returns
    -------
    pandas.Series of Period[M]

    Raises
    ------
    SnaInputError
        A value is not a month, or (unless ``allow_missing``) is missing.

    Examples
    --------
    >>> to_months(pd.Series(["2024-01", "2024-02-01"]), "period").astype(str).tolist()
    ['2024-01', '2024-02']
    """
    if isinstance(values.dtype, pd.PeriodDtype):
        months = values.dt.asfreq("M")
    else:
        try:
            stamps = pd.to_datetime(values if pd.api.types.is_datetime64_any_dtype(values)
                                    else values.astype("string"), format="ISO8601")
        except (ValueError, TypeError) as error:
            raise SnaInputError(f"column {column!r} holds a value that is not a month",
                                column=column, fix="give months as YYYY-MM text, dates or "
                                "monthly pandas Periods") from error
        months = stamps.dt.tz_localize(None).dt.to_period("M") if stamps.dt.tz else \
            stamps.dt.to_period("M")
    if not allow_missing and months.isna().any():
        raise SnaInputError(f"column {column!r} has a missing month", column=column,
                            fix="drop rows without a month before charting")
    return months


def months_of(frame: pd.DataFrame) -> pd.Series:
    """Return the month of each row, from ``month`` or else ``offence_date``.

    Parsed by :func:`to_months`; a row without a date keeps ``NaT``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows with a ``month`` or an ``offence_date`` column.

    Returns
    -------
    pandas.Series
        Monthly periods, aligned with ``frame``.

    Raises
    ------
    SnaInputError
        The table has neither column, or a value is not a month.

    Examples
    --------
    >>> months_of(pd.DataFrame({"offence_date": ["2025-01-31", "2025-02-01"]})).astype(str).tolist()
    ['2025-01', '2025-02']
    """
    for column in ("month", "offence_date"):
        if column in frame.columns:
            return to_months(frame[column], column, allow_missing=True)
    raise SnaInputError("the table has neither 'month' nor 'offence_date'", column="month",
                        fix="pass the clean table from read_force_extract or read_police_uk")


def rows_in_period(frame: pd.DataFrame, period: object) -> pd.DataFrame:
    """Return the rows of ``frame`` whose month (:func:`months_of`) is in ``period``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows with a ``month`` or an ``offence_date`` column.
    period : object
        What :func:`period_months` accepts (a year, a quarter, a pair of months...).

    Returns
    -------
    pandas.DataFrame
        The rows in the period.

    Examples
    --------
    >>> df = pd.DataFrame({"month": pd.PeriodIndex(["2025-01", "2025-04"], freq="M")})
    >>> len(rows_in_period(df, ("2025-01", "2025-03")))
    1
    """
    return frame[months_of(frame).isin(period_months(period)).to_numpy()]


def period_months(period: object, *, name: str = "period") -> pd.PeriodIndex:
    """Return the months of a period given as a tuple, a Period or a PeriodIndex.

    Parameters
    ----------
    period : tuple of two months, str, pandas.Period or pandas.PeriodIndex
        ``("2025-07", "2025-09")`` (first and last month, inclusive); a string or
        Period of any frequency (``"2025-07"``, ``pd.Period("2025Q3", "Q")``); or a
        PeriodIndex (its months).
    name : str
        Parameter name for error messages.

    Returns
    -------
    pandas.PeriodIndex
        Monthly, sorted, not empty.

    Raises
    ------
    SnaInputError
        Not a period, or a period with no months.

    Examples
    --------
    >>> period_months(("2025-07", "2025-09")).strftime("%Y-%m").tolist()
    ['2025-07', '2025-08', '2025-09']
    >>> len(period_months(pd.Period("2024", "Y")))
    12
    """
    try:
        if isinstance(period, tuple | list) and len(period) == 2:
            first, last = (pd.Period(p, freq="M") for p in period)
            months = pd.period_range(first, last, freq="M")
        elif isinstance(period, pd.PeriodIndex):
            months = pd.PeriodIndex(sorted({m for p in period for m in period_months(p)}),
                                    freq="M")
        else:
            span = period if isinstance(period, pd.Period) else pd.Period(period)
            months = pd.period_range(span.start_time, span.end_time, freq="M")
    except (ValueError, TypeError) as err:
        raise SnaInputError(f"{name} {period!r} is not a period ({err})", column=name,
                            value=period, fix="give ('YYYY-MM', 'YYYY-MM') first and last "
                                              "month, or a pandas Period") from None
    if len(months) == 0:
        raise SnaInputError(f"{name} {period!r} has no months (last before first?)",
                            fix="give the first month before the last", column=name,
                            value=period)
    return months


def monthly_counts(months: pd.Series, *, index: pd.PeriodIndex | None = None,
                   missing: Iterable[str | pd.Period] = ()) -> pd.Series:
    """Count rows per month over every month of ``index``; months with no data are NA.

    Parameters
    ----------
    months : pandas.Series of Period[M]
        The month of each row counted (e.g. :func:`months_of` of the selected rows).
    index : pandas.PeriodIndex, optional
        The months to report; by default every month from the first to the last of
        ``months``. A month in ``index`` with no row counts 0.
    missing : iterable of months
        Months with no data at all: counted as missing (NA), never zero, and added to
        the index.

    Returns
    -------
    pandas.Series
        ``int64`` counts indexed by month, or ``Int64`` with NA when ``missing`` is given.

    Examples
    --------
    >>> rows = pd.Series(pd.PeriodIndex(["2025-01", "2025-03", "2025-03"], freq="M"))
    >>> monthly_counts(rows).tolist()
    [1, 0, 2]
    >>> monthly_counts(rows, missing=["2025-04"]).tolist()
    [1, 0, 2, <NA>]
    """
    months = pd.Series(months).astype("period[M]")
    gaps = pd.PeriodIndex([pd.Period(m, freq="M") for m in missing], freq="M")
    if index is None:
        if months.empty and gaps.empty:
            return pd.Series([], index=pd.PeriodIndex([], freq="M"), dtype="int64")
        known = pd.PeriodIndex(months.dropna().to_numpy(), freq="M").append(gaps)
        index = pd.period_range(known.min(), known.max(), freq="M")
    index = pd.PeriodIndex(index, freq="M").union(gaps)
    counts = pd.Series(np.ones(len(months), dtype="int64"), index=months.to_numpy())
    counts = counts.groupby(level=0).sum().reindex(index, fill_value=0).astype("int64")
    if len(gaps):
        counts = counts.astype("Int64")
        counts[counts.index.isin(gaps)] = pd.NA
    return counts


def month_runs(months: Iterable[str | pd.Period], *, fmt: str = "%b %Y") -> list[str]:
    """Collapse months into runs of consecutive months.

    Parameters
    ----------
    months : iterable of monthly Periods or ``"YYYY-MM"`` text
    fmt : str, default ``"%b %Y"``
        strftime format of each month (``"%Y-%m"`` for ``"2024-05"``).

    Returns
    -------
    list of str
        ``"May 2024 to Aug 2024"`` for a run, ``"Jan 2025"`` for a single month.

    Examples
    --------
    >>> month_runs(["2024-05", "2024-06", "2024-07", "2025-01"])
    ['May 2024 to Jul 2024', 'Jan 2025']
    >>> month_runs(["2024-05", "2024-06", "2025-02"], fmt="%Y-%m")
    ['2024-05 to 2024-06', '2025-02']
    """
    ordered = sorted({pd.Period(m, freq="M") for m in months})
    runs: list[list[pd.Period]] = []
    for month in ordered:
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return [r[0].strftime(fmt) if len(r) == 1
            else f"{r[0].strftime(fmt)} to {r[-1].strftime(fmt)}" for r in runs]


# ---------------------------------------------------------------- financial years and quarters


def _financial_year_start(financial_year: object) -> int:
    match = _FINANCIAL_YEAR.match(str(financial_year))
    start = int(match.group(1)) if match else None
    if match is None or int(match.group(2)) % 100 != (start + 1) % 100:
        raise SnaInputError(f"financial year {financial_year!r} is not of the form '2020/21'",
                            fix="write the financial year as YYYY/YY, e.g. '2020/21'",
                            column="financial_year", value=financial_year)
    return start


def _quarter_number(quarter: object) -> int:
    text = str(quarter).strip().upper().removeprefix("Q")
    if text not in {"1", "2", "3", "4"}:
        raise SnaInputError(f"quarter {quarter!r} is not one of Q1, Q2, Q3, Q4",
                            fix="write the quarter as Q1 (Apr-Jun) to Q4 (Jan-Mar), or 1 to 4",
                            column="quarter", value=quarter)
    return int(text)


def financial_quarter_index(
    financial_year: str | Iterable[str], quarter: str | int | Iterable[str | int]
) -> pd.Period | pd.PeriodIndex:
    """Turn a financial year and quarter into a pandas quarterly Period.

    UK financial years run April to March; Q1 is April-June and Q4 is
    January-March. The result has frequency ``"Q-MAR"`` (quarters of a year
    ending in March), so ``period.quarter`` is the financial quarter and
    ``period.qyear`` the year the financial year ends in.

    Parameters
    ----------
    financial_year : str or iterable of str
        ``"2020/21"`` (or ``"2020/2021"``).
    quarter : str, int or iterable of them
        ``"Q1"`` .. ``"Q4"`` or 1 .. 4.

    Returns
    -------
    Period or PeriodIndex
        A Period for scalar input, a PeriodIndex for array-like input.

    Raises
    ------
    SnaInputError
        A year not of the form ``YYYY/YY`` or a quarter not in {Q1, Q2, Q3, Q4}.

    Examples
    --------
    >>> p = financial_quarter_index("2020/21", "Q1")
    >>> p, str(p.start_time.date()), str(p.end_time.date())
    (Period('2021Q1', 'Q-MAR'), '2020-04-01', '2020-06-30')
    >>> list(financial_quarter_index(["2020/21", "2020/21"], ["Q4", 2]).strftime("%Y-%m"))
    ['2021-03', '2020-09']
    """
    if isinstance(financial_year, str) and isinstance(quarter, str | int):
        start = _financial_year_start(financial_year)
        return pd.Period(year=start + 1, quarter=_quarter_number(quarter), freq="Q-MAR")
    years = pd.Series(financial_year).reset_index(drop=True)
    quarters = pd.Series(quarter).reset_index(drop=True)
    if len(years) != len(quarters):
        raise SnaInputError(f"{len(years)} financial years but {len(quarters)} quarters",
                            fix="pass one quarter for each financial year",
                            column="quarter")
    periods = [pd.Period(year=_financial_year_start(y) + 1, quarter=_quarter_number(q),
                         freq="Q-MAR") for y, q in zip(years, quarters, strict=True)]
    return pd.PeriodIndex(periods, freq="Q-MAR")


def financial_quarter(financial_year: str | int, quarter: int | str) -> tuple[str, str]:
    """Return the first and last month of a financial-year quarter (April start).

    Parameters
    ----------
    financial_year : str or int
        ``"2025/26"``, or its first year ``2025``.
    quarter : int or str
        1 .. 4 (or ``"Q1"`` .. ``"Q4"``); 1 is April-June.

    Returns
    -------
    tuple of str
        First and last month, ``"YYYY-MM"``.

    Raises
    ------
    SnaInputError
        A year or a quarter that is not one.

    Examples
    --------
    >>> financial_quarter("2025/26", 2), financial_quarter(2025, 4)
    (('2025-07', '2025-09'), ('2026-01', '2026-03'))
    """
    if re.fullmatch(r"\s*\d{4}\s*", str(financial_year)):
        financial_year = financial_year_label(int(financial_year) + 1)
    span = financial_quarter_index(str(financial_year), quarter)
    return str(span.asfreq("M", "start")), str(span.asfreq("M", "end"))


def financial_year_label(end_year: int) -> str:
    """Label the financial year ending in March of ``end_year``.

    Parameters
    ----------
    end_year : int
        The calendar year in which the financial year ends.

    Returns
    -------
    str
        ``"2024/25"`` style.

    Examples
    --------
    >>> financial_year_label(2026)
    '2025/26'
    """
    return f"{end_year - 1}/{end_year % 100:02d}"


def _is_fiscal_quarter(period: pd.Period) -> bool:
    return isinstance(period.freq, pd.offsets.QuarterEnd) and period.freq.startingMonth != 12


def year_label(period: pd.Period, *, year_start_month: int = 1) -> str:
    """Label the year a month or quarter belongs to.

    Parameters
    ----------
    period : pandas.Period
        Monthly or quarterly.
    year_start_month : int, default 1
        For months: the first month of the year (4 for financial years). Quarters
        carry their own year (``"Q-MAR"`` quarters are financial).

    Returns
    -------
    str
        ``"2025"`` or ``"2024/25"``.

    Examples
    --------
    >>> (year_label(pd.Period("2025-02", "M"), year_start_month=4),
    ...  year_label(pd.Period("2025-02", "M")))
    ('2024/25', '2025')
    """
    if isinstance(period.freq, pd.offsets.QuarterEnd):
        return (financial_year_label(period.qyear) if _is_fiscal_quarter(period)
                else str(period.qyear))
    if year_start_month == 1:
        return str(period.year)
    start = period.year if period.month >= year_start_month else period.year - 1
    return financial_year_label(start + 1)


def period_label(period: pd.Period | pd.PeriodIndex) -> str:
    """Label a month, a quarter or a run of months for tables and sentences.

    Parameters
    ----------
    period : pandas.Period or pandas.PeriodIndex
        A monthly or quarterly Period, or a PeriodIndex of months.

    Returns
    -------
    str
        ``"Apr 2021"`` for a month, ``"Q1 2021/22"`` for a financial quarter
        (``"Q-MAR"``), ``"Q1 2021"`` for a calendar quarter, ``"Jul-Sep 2025"`` or
        ``"Nov 2024-Jan 2025"`` for a run of months.

    Examples
    --------
    >>> period_label(financial_quarter_index("2021/22", "Q1"))
    'Q1 2021/22'
    >>> period_label(pd.Period("2024-05", freq="M")), period_label(pd.Period("2024Q3", freq="Q"))
    ('May 2024', 'Q3 2024')
    >>> period_label(period_months(("2024-11", "2025-01")))
    'Nov 2024-Jan 2025'
    """
    if isinstance(period, pd.PeriodIndex):
        first, last = period.min(), period.max()
        if first == last:
            return period_label(first)
        if first.year == last.year:
            return f"{first.strftime('%b')}-{last.strftime('%b %Y')}"
        return f"{first.strftime('%b %Y')}-{last.strftime('%b %Y')}"
    if isinstance(period.freq, pd.offsets.QuarterEnd):
        return f"Q{period.quarter} {year_label(period)}"
    return period.strftime("%b %Y")


# ---------------------------------------------------------------- seasons and quarterly series


def financial_quarter_series(
    frame: pd.DataFrame,
    count_column: str,
    *,
    year_column: str = "financial_year",
    quarter_column: str = "quarter",
) -> pd.Series:
    """Make a quarterly count Series with a ``Q-MAR`` PeriodIndex from a table.

    Parameters
    ----------
    frame : DataFrame
        One row per financial quarter.
    count_column, year_column, quarter_column : str
        Columns holding the count, the financial year (``"2020/21"``) and the
        quarter (``"Q1"``).

    Returns
    -------
    Series
        Counts indexed by financial quarter, sorted, named ``count_column``.

    Raises
    ------
    SnaInputError
        A column is absent or a quarter appears twice.

    Examples
    --------
    >>> t = pd.DataFrame({"financial_year": ["2020/21", "2020/21"], "quarter": ["Q2", "Q1"],
    ...                   "n": [5, 4]})
    >>> financial_quarter_series(t, "n").to_dict()
    {Period('2021Q1', 'Q-MAR'): 4, Period('2021Q2', 'Q-MAR'): 5}
    """
    require_columns(frame, (count_column, year_column, quarter_column))
    index = financial_quarter_index(frame[year_column], frame[quarter_column])
    if index.has_duplicates:
        repeated = sorted({period_label(p) for p in index[index.duplicated()]})
        raise SnaInputError(f"quarters appear more than once: {repeated}",
                            fix="aggregate to one row per financial quarter first",
                            column=quarter_column, value=repeated)
    series = pd.Series(frame[count_column].to_numpy(), index=index, name=count_column)
    return series.sort_index()


def periods_per_year(index: pd.PeriodIndex) -> int:
    """Return 12 for a monthly PeriodIndex, 4 for a quarterly one.

    Parameters
    ----------
    index : pandas.PeriodIndex
        Monthly or quarterly.

    Returns
    -------
    int

    Raises
    ------
    SnaInputError
        Any other frequency.

    Examples
    --------
    >>> periods_per_year(pd.period_range("2021Q1", periods=4, freq="Q-MAR"))
    4
    """
    freq = index.freq
    if isinstance(freq, pd.offsets.MonthEnd) and freq.n == 1:
        return 12
    if isinstance(freq, pd.offsets.QuarterEnd) and freq.n == 1:
        return 4
    raise SnaInputError(f"the series' periods are {index.freqstr!r}, not months or quarters",
                        fix="aggregate to a monthly ('M') or quarterly ('Q', 'Q-MAR') PeriodIndex",
                        column="index", value=index.freqstr)


def season_number(period: pd.Period) -> int:
    """Return the season of a period: its quarter (1-4) or its month (1-12).

    Parameters
    ----------
    period : pandas.Period
        Monthly or quarterly.

    Returns
    -------
    int

    Examples
    --------
    >>> season_number(pd.Period("2025-07", "M")), season_number(pd.Period("2025Q2", "Q-MAR"))
    (7, 2)
    """
    return period.quarter if isinstance(period.freq, pd.offsets.QuarterEnd) else period.month


def season_name(number: int, periods_per_year: int) -> str:
    """Name a season: ``"Q2"`` for quarters, ``"Jul"`` for months.

    Parameters
    ----------
    number : int
        The season (:func:`season_number`).
    periods_per_year : int
        12 or 4.

    Returns
    -------
    str

    Examples
    --------
    >>> season_name(2, 4), season_name(7, 12)
    ('Q2', 'Jul')
    """
    return f"Q{number}" if periods_per_year == 4 else calendar.month_abbr[number]
