"""Small formatters that turn chart data into the sentences of alt text."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd


def fmt_number(value: float) -> str:
    """Format a number for prose: whole numbers with commas, others to 3 significant figures.

    Parameters
    ----------
    value : float

    Returns
    -------
    str
        ``"missing"`` for NaN.

    Examples
    --------
    >>> [fmt_number(v) for v in (3012, 3012.4, 12.345, 1.2345, 0.01234)]
    ['3,012', '3,012', '12.3', '1.23', '0.0123']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "missing"
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def fmt_percent(share: float) -> str:
    """Format a proportion (0 to 1) as a percentage with one decimal place.

    Examples
    --------
    >>> fmt_percent(0.1234)
    '12.3%'
    """
    if share is None or math.isnan(share):
        return "missing"
    return f"{100 * share:.1f}%"


def fmt_interval(lower: float, upper: float, fmt=fmt_number) -> str:
    """Format an interval as ``"lo to hi"``, or ``"not available"`` when a limit is missing.

    Examples
    --------
    >>> fmt_interval(1.5, 2.25)
    '1.5 to 2.25'
    """
    if any(v is None or math.isnan(v) for v in (lower, upper)):
        return "not available"
    return f"{fmt(lower)} to {fmt(upper)}"


def join_list(items: Sequence[str], limit: int = 8) -> str:
    """Join items as prose: ``"a, b and c"``, shortened to ``limit`` items plus a count.

    Examples
    --------
    >>> join_list(["a", "b", "c"])
    'a, b and c'
    >>> join_list(list("abcdef"), limit=3)
    'a, b, c and 3 more'
    """
    items = [str(i) for i in items]
    if len(items) > limit:
        return f"{', '.join(items[:limit])} and {len(items) - limit} more"
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def extreme_phrase(labels: pd.Series, values: pd.Series, fmt=fmt_number) -> str:
    """Describe the highest and lowest values, e.g. ``"highest York (12.3), lowest Selby (4)"``.

    Ties are broken by first position. Missing values are ignored.

    Examples
    --------
    >>> extreme_phrase(pd.Series(["a", "b", "c"]), pd.Series([2.0, 5.0, float("nan")]))
    'highest b (5), lowest a (2)'
    """
    present = values.dropna()
    if present.empty:
        return "no values available"
    top, bottom = present.idxmax(), present.idxmin()
    high = f"highest {labels[top]} ({fmt(values[top])})"
    if len(present) == 1:
        return high
    return f"{high}, lowest {labels[bottom]} ({fmt(values[bottom])})"


def count_noun(count: int, plural: str) -> str:
    """Return ``"1 area"`` or ``"3 areas"`` from a plural noun ending in "s".

    Examples
    --------
    >>> count_noun(1, "LSOAs"), count_noun(2, "months")
    ('1 LSOA', '2 months')
    """
    noun = plural[:-1] if count == 1 and plural.endswith("s") else plural
    return f"{count:,} {noun}"
