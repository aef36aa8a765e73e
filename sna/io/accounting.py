"""Row accounting: every input row is either used or quarantined with a reason.

Readers build one ``reason`` Series aligned to the rows they read (missing
where the row is fine) and call :func:`split_by_reason`. The clean and
quarantine tables are two complementary boolean selections of the same frame,
so ``rows_in == len(clean) + len(quarantine)`` holds by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = [
    "Accounted",
    "first_reason",
    "split_by_reason",
]

QUARANTINE_COLUMNS = ["source_file", "source_row", "reason"]


@dataclass(frozen=True)
class Accounted:
    """Clean rows plus quarantined rows, with the count of rows read.

    Attributes
    ----------
    clean : pandas.DataFrame
        Rows that passed every check.
    quarantine : pandas.DataFrame
        Rejected rows with ``source_file``, ``source_row`` (1-based line in the
        file; the header is line 1) and ``reason``, followed by the raw fields.
    rows_in : int
        Rows read from the inputs.
    notes : dict
        Facts about the inputs that are not row rejections (for example months
        with no data, or repeated crime IDs that were kept).
    """

    clean: pd.DataFrame
    quarantine: pd.DataFrame
    rows_in: int
    notes: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.rows_in != len(self.clean) + len(self.quarantine):
            raise AssertionError(
                f"row accounting broken: {self.rows_in} in, {len(self.clean)} clean, "
                f"{len(self.quarantine)} quarantined"
            )

    def summary(self) -> pd.DataFrame:
        """Rows in, used and quarantined by reason, as a tidy table.

        Examples
        --------
        >>> df = pd.DataFrame({"x": [1, 2, 3], "source_file": "f.csv",
        ...                    "source_row": [2, 3, 4]})
        >>> acc = split_by_reason(df, pd.Series([None, "bad x", None]))
        >>> acc.summary()["rows"].tolist()
        [3, 2, 1, 1]
        """
        rows = [("rows in", self.rows_in), ("rows used", len(self.clean))]
        rows.append(("rows quarantined", len(self.quarantine)))
        if len(self.quarantine):
            by_reason = self.quarantine["reason"].value_counts().sort_index()
            rows += [(f"quarantined: {reason}", int(n)) for reason, n in by_reason.items()]
        return pd.DataFrame(rows, columns=["measure", "rows"])


def split_by_reason(frame: pd.DataFrame, reason: pd.Series, *,
                    notes: dict | None = None) -> Accounted:
    """Split ``frame`` into clean rows and quarantined rows by ``reason``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows as read, with ``source_file`` and ``source_row`` columns.
    reason : pandas.Series
        One entry per row of ``frame`` (same length, positional): missing for a
        clean row, else the reason the row is quarantined.
    notes : dict, optional
        Passed through to :class:`Accounted`.

    Returns
    -------
    Accounted

    Examples
    --------
    >>> df = pd.DataFrame({"x": [1, -1], "source_file": "f.csv", "source_row": [2, 3]})
    >>> acc = split_by_reason(df, pd.Series([None, "x is negative"]))
    >>> len(acc.clean), len(acc.quarantine), acc.rows_in
    (1, 1, 2)
    """
    reason = pd.Series(reason.to_numpy(dtype=object), index=frame.index)
    bad = reason.notna().to_numpy()
    clean = frame.loc[~bad].reset_index(drop=True)
    quarantine = frame.loc[bad].copy()
    quarantine.insert(0, "reason", reason[bad].astype(str))
    ordered = QUARANTINE_COLUMNS + [c for c in quarantine.columns if c not in QUARANTINE_COLUMNS]
    quarantine = quarantine[ordered].reset_index(drop=True)
    return Accounted(clean=clean, quarantine=quarantine, rows_in=len(frame), notes=notes or {})


def first_reason(checks: list[tuple[pd.Series, str]], index: pd.Index) -> pd.Series:
    """Combine boolean failure masks into one reason per row (first failure wins).

    Parameters
    ----------
    checks : list of (mask, reason)
        ``mask`` is True where the row fails that check. Earlier checks take
        precedence, so each quarantined row carries exactly one reason.
    index : pandas.Index
        The index of the frame being checked.

    Returns
    -------
    pandas.Series
        object dtype: the first failing check's reason per row, None where every check passes.

    Examples
    --------
    >>> idx = pd.RangeIndex(3)
    >>> first_reason([(pd.Series([True, False, False]), "a"),
    ...               (pd.Series([True, True, False]), "b")], idx).tolist()
    ['a', 'b', None]
    """
    reason = pd.Series([None] * len(index), index=index, dtype=object)
    for mask, text in checks:
        mask = pd.Series(mask, index=index).fillna(False).astype(bool)
        reason[mask & reason.isna()] = text
    return reason
