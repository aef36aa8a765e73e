"""Seasons of a count series and quarterly series from tables.

Periods themselves, their labels and financial quarters live in :mod:`sna.periods`.
"""

from __future__ import annotations

import calendar

import pandas as pd

from sna.checks import require_columns
from sna.errors import SnaInputError
from sna.periods import financial_quarter_index, period_label

__all__ = [
    "financial_quarter_series",
]


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
    require_columns(frame, (count_column, year_column, quarter_column))
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


def _season_number(period: pd.Period) -> int:
    return period.quarter if isinstance(period.freq, pd.offsets.QuarterEnd) else period.month


def _season_name(number: int, periods_per_year: int) -> str:
    return f"Q{number}" if periods_per_year == 4 else calendar.month_abbr[number]
