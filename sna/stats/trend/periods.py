"""Periods of a count series: financial-year quarters, labels and seasons."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable

import pandas as pd

from sna.errors import SnaInputError

_FINANCIAL_YEAR = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2}|\d{4})\s*$")


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


def financial_quarter_series(
    frame: pd.DataFrame,
    count_column: str,
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
    for column in (count_column, year_column, quarter_column):
        if column not in frame.columns:
            raise SnaInputError(f"column {column!r} is not in the table",
                                fix=f"use one of {list(frame.columns)}", column=column)
    index = financial_quarter_index(frame[year_column], frame[quarter_column])
    if index.has_duplicates:
        repeated = sorted({period_label(p) for p in index[index.duplicated()]})
        raise SnaInputError(f"quarters appear more than once: {repeated}",
                            fix="aggregate to one row per financial quarter first",
                            column=quarter_column, value=repeated)
    series = pd.Series(frame[count_column].to_numpy(), index=index, name=count_column)
    return series.sort_index()


def _periods_per_year(index: pd.PeriodIndex) -> int:
    freq = index.freq
    if isinstance(freq, pd.offsets.MonthEnd) and freq.n == 1:
        return 12
    if isinstance(freq, pd.offsets.QuarterEnd) and freq.n == 1:
        return 4
    raise SnaInputError(f"the series' periods are {index.freqstr!r}, not months or quarters",
                        fix="aggregate to a monthly ('M') or quarterly ('Q', 'Q-MAR') PeriodIndex",
                        column="index", value=index.freqstr)


def _is_fiscal_quarter(period: pd.Period) -> bool:
    return isinstance(period.freq, pd.offsets.QuarterEnd) and period.freq.startingMonth != 12


def _fiscal_label(end_year: int) -> str:
    return f"{end_year - 1}/{end_year % 100:02d}"


def period_label(period: pd.Period | pd.PeriodIndex) -> str:
    """Label a month, a quarter or a run of months for tables and sentences.

    The one period label of the project (strand tables, reviews, seasonal tables).

    Parameters
    ----------
    period : Period or PeriodIndex
        A monthly or quarterly Period, or a PeriodIndex of months (a run of months).

    Returns
    -------
    str
        ``"Apr 2021"`` for a month, ``"Q1 2021/22"`` for a financial quarter
        (``"Q-MAR"``), ``"Q1 2021"`` for a calendar quarter, and for a run of months
        ``"Jul-Sep 2025"`` or ``"Nov 2024-Jan 2025"`` (first to last month).

    Examples
    --------
    >>> period_label(financial_quarter_index("2021/22", "Q1"))
    'Q1 2021/22'
    >>> period_label(pd.Period("2024-05", freq="M")), period_label(pd.Period("2024Q3", freq="Q"))
    ('May 2024', 'Q3 2024')
    >>> period_label(pd.period_range("2024-11", "2025-01", freq="M"))
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
        year = _fiscal_label(period.qyear) if _is_fiscal_quarter(period) else str(period.qyear)
        return f"Q{period.quarter} {year}"
    return period.strftime("%b %Y")


def _season_number(period: pd.Period) -> int:
    return period.quarter if isinstance(period.freq, pd.offsets.QuarterEnd) else period.month


def _season_name(number: int, periods_per_year: int) -> str:
    return f"Q{number}" if periods_per_year == 4 else calendar.month_abbr[number]


def _year_label(period: pd.Period, year_start_month: int) -> str:
    if isinstance(period.freq, pd.offsets.QuarterEnd):
        return _fiscal_label(period.qyear) if _is_fiscal_quarter(period) else str(period.qyear)
    if year_start_month == 1:
        return str(period.year)
    start = period.year if period.month >= year_start_month else period.year - 1
    return _fiscal_label(start + 1)
