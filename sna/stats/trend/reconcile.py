"""Printed totals against the sum of their printed parts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

import pandas as pd

from sna.checks import require_columns
from sna.errors import SnaInputError
from sna.wording import format_number

__all__ = [
    "Reconciliation",
    "reconcile_table",
    "reconcile_totals",
]


@dataclass(frozen=True)
class Reconciliation:
    """Result of :func:`reconcile_totals`.

    Attributes
    ----------
    label : str
        What the total is (e.g. ``"2022/23"``).
    sum_of_parts : float
        Sum of the parts (NaN when any part is missing).
    published_total : float
        The total as printed by the source.
    difference : float
        ``published_total - sum_of_parts``.
    matches : bool or None
        Whether they agree within ``tolerance``; None when a part is missing.
    sentence : str
        The finding, in words.
    """

    label: str
    sum_of_parts: float
    published_total: float
    difference: float
    matches: bool | None
    sentence: str

    def to_dict(self) -> dict:
        """Return the fields as a plain dict (for tables)."""
        return asdict(self)


def reconcile_totals(
    parts: Iterable[float],
    published_total: float,
    *, label: str = "total",
    tolerance: float = 0,
) -> Reconciliation:
    """Check a printed total against the sum of its printed parts.

    When a source prints both parts and a total, a report must not silently
    use one of them: this says whether they agree and by how much.

    Parameters
    ----------
    parts : iterable of float
        The printed parts (e.g. four quarterly counts). NaN marks a missing part.
    published_total : float
        The printed total.
    label : str, default "total"
        Name of the total, used in the sentence.
    tolerance : float, default 0
        Largest absolute difference still counted as a match (use e.g. 0.5
        for parts that were rounded).

    Returns
    -------
    Reconciliation

    Raises
    ------
    SnaInputError
        ``parts`` empty or not numeric, ``published_total`` missing.

    Examples
    --------
    >>> r = reconcile_totals([1573, 1778, 1501, 1435], 6387, label="2022/23")
    >>> r.sum_of_parts, r.difference, r.matches
    (6287.0, 100.0, False)
    >>> r.sentence
    'The printed 2022/23 total (6,387) is 100 more than the sum of its parts (6,287).'
    """
    values = pd.to_numeric(pd.Series(list(parts), dtype=object), errors="coerce")
    if values.empty:
        raise SnaInputError("parts is empty", fix="pass the printed parts of the total",
                            column="parts")
    total = pd.to_numeric(pd.Series([published_total], dtype=object), errors="coerce").iloc[0]
    if pd.isna(total):
        raise SnaInputError(f"published_total is missing or not a number: {published_total!r}",
                            fix="pass the total as printed", column="published_total",
                            value=published_total)
    n_missing = int(values.isna().sum())
    if n_missing:
        sentence = (f"The printed {label} total ({format_number(total)}) cannot be checked: "
                    f"{n_missing} of its {len(values)} parts are missing.")
        return Reconciliation(label, float("nan"), float(total), float("nan"), None, sentence)
    parts_sum = float(values.sum())
    difference = float(total) - parts_sum
    matches = abs(difference) <= tolerance
    if matches:
        sentence = (f"The printed {label} total ({format_number(total)}) matches the sum of its "
                    f"parts ({format_number(parts_sum)}).")
    else:
        more_less = "more" if difference > 0 else "less"
        sentence = (f"The printed {label} total ({format_number(total)}) is "
                    f"{format_number(abs(difference))} {more_less} than the sum of its parts "
                    f"({format_number(parts_sum)}).")
    return Reconciliation(label, parts_sum, float(total), difference, matches, sentence)


def reconcile_table(
    frame: pd.DataFrame,
    part_column: str,
    total_column: str,
    by: str,
    *, tolerance: float = 0,
) -> pd.DataFrame:
    """Reconcile a long table's printed totals with the sum of its parts, per group.

    Parameters
    ----------
    frame : DataFrame
        One row per part, the printed total repeated on each row of a group.
    part_column, total_column, by : str
        Column of the parts, of the printed total, and of the group (e.g. year).
    tolerance : float, default 0
        As in :func:`reconcile_totals`.

    Returns
    -------
    DataFrame
        One row per group: the fields of :class:`Reconciliation`.

    Raises
    ------
    SnaInputError
        A column is absent, or a group prints more than one total.

    Examples
    --------
    >>> t = pd.DataFrame({"fy": ["a", "a", "b", "b"], "n": [1, 2, 3, 4], "total": [3, 3, 8, 8]})
    >>> reconcile_table(t, "n", "total", by="fy")[["label", "difference", "matches"]]
      label  difference  matches
    0     a         0.0     True
    1     b         1.0    False
    """
    require_columns(frame, (part_column, total_column, by))
    rows = []
    for label, group in frame.groupby(by, sort=True):
        totals = group[total_column].dropna().unique()
        if len(totals) > 1:
            raise SnaInputError(f"group {label!r} prints more than one total: {list(totals)}",
                                fix="give one printed total per group", column=total_column,
                                value=list(totals))
        total = totals[0] if len(totals) else float("nan")
        rows.append(reconcile_totals(group[part_column], total, label=str(label),
                                     tolerance=tolerance).to_dict())
    return pd.DataFrame(rows)
