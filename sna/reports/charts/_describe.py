"""Small phrases that turn chart data into the sentences of alt text.

Numbers are printed by :mod:`sna.wording`; this module only joins them into phrases.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sna.wording import format_number


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


def extreme_phrase(labels: pd.Series, values: pd.Series, fmt=format_number) -> str:
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
