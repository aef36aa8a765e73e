"""Statistical disclosure control for published counts, rates and chart data.

Domestic-abuse and hate-crime counts for small rural areas can identify
victims: a count of 2 in a hamlet's LSOA is a disclosure, and so is a cell
that can be worked out from a published row or column total. Everything a
report publishes goes through this module:

* :class:`DisclosurePolicy` holds the rule (``min_count``, ``round_to``,
  ``zeros``, ``unreliable_below``), read from the report's params.
* :func:`suppress_counts` and :func:`suppress_rates` blank small counts (and
  the rates, percentages and confidence limits made from them) in tidy tables.
* :func:`suppress_crosstab` protects a two-way (or one-way) table published
  with its totals, adding secondary suppressions until :func:`is_recoverable`
  says no suppressed cell can be solved from the published values.
* :func:`chart_frame` is the only way data gets to a chart.
* :func:`protect_published` extends secondary suppression to every total
  published with the cells, in tables, chart data and sentences.
* :func:`leak_check_values` finds small counts in a published artefact.

Suppressed values are published as missing and shown with the Government
Statistical Service symbol ``[c]`` (confidential); low-reliability values are
marked ``[u]``. Reliability is not disclosure: a count of 7 under
``min_count=5`` is published but flagged ``unreliable``, and the two flags are
separate columns.

References
----------
.. [1] NHS Digital, "Change to disclosure control methodology for HES and ECDS
   from September 2018" (suppress 1-7, round the rest to 5, totals rounded
   from unrounded values).
.. [2] ONS, "Comparison of post-tabular statistical disclosure control
   methods" (the 10-5 rule) for Census 2021.
.. [3] Analysis Function (GSS), "Symbols in tables, definitions and help",
   for ``[c]`` and ``[u]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import csgraph_from_dense, dijkstra

from sna.checks import check_whole_number, require_columns
from sna.errors import SnaInputError
from sna.stats.rates import TOTAL_GROUP, rates_against_total

__all__ = [
    "TOTAL_GROUP", "CrosstabResult", "DisclosurePolicy", "chart_frame", "is_recoverable",
    "leak_check_values", "protect_published", "protected_rates", "recoverable_cells",
    "round_counts", "suppress_counts", "suppress_crosstab", "suppress_rates",
]
SUPPRESSED_SYMBOL = "[c]"
UNRELIABLE_SYMBOL = "[u]"
CHART_MAX_ROWS = 5000
ZEROS_OPTIONS = ("show", "suppress")
DEFAULT_DERIVED_COLUMNS = ("value", "lower", "upper")
_IDENTIFIER_TOKENS = frozenset(
    {
        "id", "uuid", "urn", "crimeid", "ref", "reference", "nominal", "dob", "postcode",
        "address", "latitude", "longitude", "lat", "lon", "lng", "easting", "northing",
    }
)  # fmt: skip
_POLICE_UK_CRIME_ID = re.compile(r"[0-9a-f]{64}")
_EDGE_EPSILON = 1e-6  # breaks ties between equally cheap cycles towards fewer new suppressions


@dataclass(frozen=True)
class DisclosurePolicy:
    """The disclosure-control rule applied to every published count.

    Parameters
    ----------
    min_count : int, default 5
        Counts from 1 to ``min_count - 1`` are suppressed. Use 10 for
        domestic-abuse and hate-crime breakdowns below local-authority level.
        ``min_count=1`` suppresses nothing (national figures).
    round_to : int or None, default None
        If set, published counts (and totals, from unrounded values) are
        rounded to the nearest multiple of ``round_to`` (see
        :func:`round_counts`).
    zeros : {"show", "suppress"}, default "show"
        Whether zero counts are published or suppressed.
    unreliable_below : int, default 10
        Published counts below this are flagged ``unreliable`` (statistical
        reliability, not disclosure). 0 flags nothing.

    Raises
    ------
    SnaInputError
        If a setting is the wrong type or out of range, or if rounding would
        publish a count of at least ``min_count`` as a value below it (for
        example ``min_count=7, round_to=5`` publishes 7 as 5).

    Examples
    --------
    >>> policy = DisclosurePolicy.from_params({"min_count": 10, "round_to": 5})
    >>> policy.min_count, policy.round_to, policy.zeros
    (10, 5, 'show')
    """

    min_count: int = 5
    round_to: int | None = None
    zeros: str = "show"
    unreliable_below: int = 10

    def __post_init__(self) -> None:
        check_whole_number(self.min_count, "min_count", minimum=1)
        check_whole_number(self.unreliable_below, "unreliable_below", minimum=0)
        if self.round_to is not None:
            check_whole_number(self.round_to, "round_to", minimum=1)
        if self.zeros not in ZEROS_OPTIONS:
            raise SnaInputError(
                f"zeros must be one of {list(ZEROS_OPTIONS)}",
                fix="set zeros to 'show' or 'suppress' in the disclosure params",
                column="zeros",
                value=self.zeros,
            )
        _check_rounding_keeps_threshold(self.min_count, self.round_to)

    @classmethod
    def from_params(cls, params: Mapping | None) -> DisclosurePolicy:
        """Build a policy from a params mapping (the ``disclosure`` section).

        Parameters
        ----------
        params : mapping or None
            Keys among ``min_count``, ``round_to``, ``zeros``,
            ``unreliable_below``; missing keys take the defaults. None gives
            the default policy.

        Returns
        -------
        DisclosurePolicy

        Raises
        ------
        SnaInputError
            If ``params`` is not a mapping, has an unknown key, or a bad value.

        Examples
        --------
        >>> DisclosurePolicy.from_params({"zeros": "suppress"}).zeros
        'suppress'
        """
        if params is None:
            return cls()
        if not isinstance(params, Mapping):
            raise SnaInputError(
                "disclosure params must be a mapping of setting to value",
                fix="write the disclosure section as 'key: value' lines, e.g. 'min_count: 10'",
                value=type(params).__name__,
            )
        allowed = [f.name for f in fields(cls)]
        for key in params:
            if key not in allowed:
                raise SnaInputError(
                    f"unknown disclosure setting '{key}'",
                    fix=f"use only {allowed} (check the spelling)",
                    column=str(key),
                )
        return cls(**params)

    def footnote(self) -> str:
        """Describe the policy in one footnote for a published table or chart.

        Examples
        --------
        >>> note = DisclosurePolicy(min_count=5, round_to=5).footnote()
        >>> note.startswith("[c] Counts from 1 to 4 are suppressed")
        True
        >>> "rounded to the nearest 5" in note, "[u] Counts below 10" in note
        (True, True)
        """
        parts = []
        if self.min_count > 1:
            zeros = " and zeros" if self.zeros == "suppress" else ""
            parts.append(
                f"{SUPPRESSED_SYMBOL} Counts from 1 to {self.min_count - 1}{zeros} are suppressed, "
                "with further cells where needed so that they cannot be worked out from totals"
            )
        if self.round_to is not None and self.round_to > 1:
            parts.append(
                f"Counts are rounded to the nearest {self.round_to}; totals are rounded from "
                "unrounded values, so they may not equal the sum of the rounded cells"
            )
        if self.unreliable_below > 0:
            parts.append(
                f"{UNRELIABLE_SYMBOL} Counts below {self.unreliable_below} are statistically "
                "unreliable"
            )
        return ". ".join(parts) + "." if parts else ""


@dataclass(frozen=True)
class CrosstabResult:
    """Result of :func:`suppress_crosstab`.

    Attributes
    ----------
    published : pandas.DataFrame or pandas.Series
        The table with its margins (last row and column, or last entry, is the
        total), nullable integers, suppressed entries missing. Publish this.
    primary : pandas.DataFrame or pandas.Series
        Boolean, same labels: entries suppressed because they are small.
    secondary : pandas.DataFrame or pandas.Series
        Boolean, same labels: entries suppressed to protect primary ones.
        Do not publish ``primary``/``secondary``: which cells are primary tells
        a reader that they are small.
    note : str
        The policy footnote.
    """

    published: pd.DataFrame | pd.Series
    primary: pd.DataFrame | pd.Series
    secondary: pd.DataFrame | pd.Series
    note: str

    @property
    def suppressed(self) -> pd.DataFrame | pd.Series:
        """Boolean mask of every suppressed entry (primary or secondary)."""
        return self.primary | self.secondary


# --------------------------------------------------------------------------------------
# validation helpers


def _check_rounding_keeps_threshold(min_count: int, round_to: int | None) -> None:
    if round_to is None or min_count <= 1:
        return
    smallest_published = int(round_counts(np.array([min_count]), base=round_to)[0])
    if smallest_published < min_count:
        raise SnaInputError(
            f"rounding to {round_to} would publish a count of {min_count} as "
            f"{smallest_published}, which is below min_count {min_count}",
            fix="make min_count a multiple of round_to (e.g. min_count 10 with round_to 5) "
            "or one that rounds up",
            column="round_to",
            value=round_to,
        )


def _as_column_list(columns: str | Sequence[str] | None, what: str) -> list[str]:
    if columns is None:
        return []
    listed = [columns] if isinstance(columns, str) else list(columns)
    if what == "count_cols" and not listed:
        raise SnaInputError(
            "no count columns were given",
            fix="pass the name of at least one count column as count_cols",
            column="count_cols",
        )
    return listed


def _validated_counts(values: pd.Series, column: str) -> np.ndarray:
    """Return counts as float64 (NaN for missing) after checking they are counts."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise SnaInputError(
            "counts must be numbers",
            fix="convert the column to whole numbers first (pd.to_numeric) or check you "
            "named the count column",
            column=column,
            value=str(values.dtype),
        )
    counts = values.to_numpy(dtype="float64", na_value=np.nan)
    present = ~np.isnan(counts)
    bad_sign = present & (counts < 0)
    if bad_sign.any():
        raise SnaInputError(
            "counts cannot be negative",
            fix="check the aggregation; a count is a number of crimes or people",
            column=column,
            value=counts[bad_sign][0],
        )
    not_whole = present & ~(np.isfinite(counts) & (counts == np.floor(counts)))
    if not_whole.any():
        raise SnaInputError(
            "counts must be whole numbers",
            fix="suppress counts before computing rates or percentages from them",
            column=column,
            value=counts[not_whole][0],
        )
    return counts


# --------------------------------------------------------------------------------------
# rounding and leak checking


def round_counts(values: pd.Series | Iterable[float], *, base: int = 5) -> pd.Series | np.ndarray:
    """Round counts to the nearest multiple of ``base``, halves away from zero.

    Halves go away from zero (2.5 -> 5 with base 5; counts are never negative,
    so in practice halves go up), matching spreadsheet ``ROUND`` rather than
    numpy's round-half-to-even, so a published table can be re-derived by hand.

    Parameters
    ----------
    values : pandas.Series or array-like of numbers
        Counts; missing values stay missing.
    base : int, default 5
        The multiple to round to (a whole number of at least 1).

    Returns
    -------
    pandas.Series or numpy.ndarray
        A Series (nullable ``Int64``, same index) for a Series input, else a
        float array (NaN for missing).

    Raises
    ------
    SnaInputError
        If ``base`` is not a whole number of at least 1.

    Examples
    --------
    >>> round_counts(pd.Series([0, 2, 3, 7, 8, 12, 13, None]), base=5).tolist()
    [0, 0, 5, 5, 10, 10, 15, <NA>]
    """
    check_whole_number(base, "base", minimum=1)
    if isinstance(values, pd.Series):
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
        rounded = round_counts(numbers, base=base)
        return pd.Series(pd.array(rounded, dtype="Int64"), index=values.index, name=values.name)
    numbers = np.asarray(values, dtype="float64")
    return np.sign(numbers) * np.floor(np.abs(numbers) / base + 0.5) * base


def leak_check_values(values: Iterable[object], threshold: int) -> list:
    """Return the values that would be a disclosure if published: ``0 < v < threshold``.

    For integers this is exactly 1 to ``threshold - 1``; a non-integer in that
    range is reported too, since a suppressible field should hold whole counts.
    Missing values, booleans and text that is not a number (such as ``[c]``)
    are skipped; numeric text such as ``"3"`` or ``"1,234"`` is checked.

    Parameters
    ----------
    values : iterable
        Numbers read from a published artefact's suppressible fields.
    threshold : int
        The policy's ``min_count``.

    Returns
    -------
    list
        The offending values, in input order, as given.

    Raises
    ------
    SnaInputError
        If ``threshold`` is not a whole number of at least 1.

    Examples
    --------
    >>> leak_check_values([0, 3, "[c]", None, 12, "4", 5], threshold=5)
    [3, '4']
    """
    check_whole_number(threshold, "threshold", minimum=1)
    return [value for value in values if 0 < _as_number(value) < threshold]


def _as_number(value: object) -> float:
    """Read a number for leak checking; NaN when it is not one."""
    if isinstance(value, bool) or value is None or value is pd.NA:
        return float("nan")
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").strip())
        except ValueError:
            return float("nan")
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


# --------------------------------------------------------------------------------------
# tidy tables


def _primary_mask(counts: np.ndarray, policy: DisclosurePolicy) -> np.ndarray:
    small = (counts >= 1) & (counts < policy.min_count)
    if policy.zeros == "suppress":
        small |= counts == 0
    return small


def _published_values(
    counts: np.ndarray, suppressed: np.ndarray, policy: DisclosurePolicy
) -> np.ndarray:
    """Float array of what is published: rounded if the policy rounds, NaN if suppressed."""
    shown = counts if policy.round_to is None else round_counts(counts, base=policy.round_to)
    return np.where(suppressed, np.nan, shown)


def _complement_within_groups(
    counts: np.ndarray, suppressed: np.ndarray, keys: pd.DataFrame
) -> np.ndarray:
    """In each group with exactly one suppressed count, also suppress the smallest other.

    Positive counts are preferred to zeros: suppressing a zero next to a small
    count protects nothing.
    """
    key_cols = list(keys.columns)
    work = keys.reset_index(drop=True).assign(
        _suppressed=suppressed, _count=counts, _position=np.arange(len(counts))
    )
    n_suppressed = work.groupby(key_cols, dropna=False)["_suppressed"].transform("sum")
    candidates = work[(n_suppressed == 1) & ~work["_suppressed"] & work["_count"].notna()]
    candidates = candidates.assign(_is_zero=candidates["_count"] == 0)
    candidates = candidates.sort_values(["_is_zero", "_count", "_position"], kind="stable")
    chosen = candidates.groupby(key_cols, dropna=False, sort=False).head(1)["_position"]
    result = suppressed.copy()
    result[chosen.to_numpy()] = True
    return result


def _flag_names(count_cols: list[str]) -> dict[str, tuple[str, str]]:
    if len(count_cols) == 1:
        return {count_cols[0]: ("suppressed_disclosure", "unreliable")}
    return {c: (f"suppressed_disclosure_{c}", f"unreliable_{c}") for c in count_cols}


def suppress_counts(
    table: pd.DataFrame,
    count_cols: str | Sequence[str],
    policy: DisclosurePolicy,
    *, by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Apply primary suppression (and optional rounding) to count columns of a tidy table.

    Parameters
    ----------
    table : pandas.DataFrame
        Aggregated rows (one row per area, month, category...).
    count_cols : str or sequence of str
        The count column(s) to protect.
    policy : DisclosurePolicy
        The rule to apply.
    by : str or sequence of str, optional
        Columns defining groups published *together with the group total*
        (for example ``by="month"`` when each month's categories sit beside
        the month's total). In a group with exactly one suppressed count the
        smallest other count (positive before zero) is suppressed too, so the
        suppressed count cannot be found by subtraction. Without ``by`` no
        complementary suppression is done: publish totals of suppressed rows
        only through :func:`suppress_crosstab`.

    Returns
    -------
    pandas.DataFrame
        A copy of ``table`` whose count columns hold the published values
        (nullable ``Int64``, suppressed or missing -> NA, rounded if the policy
        rounds), plus boolean ``suppressed_disclosure`` and ``unreliable``
        columns (``suppressed_disclosure_<col>`` and ``unreliable_<col>`` when
        there are several count columns) and a ``note`` text column using the
        symbols ``[c]`` and ``[u]``. ``unreliable`` (count below
        ``unreliable_below``) is set only on published counts: flagging a
        suppressed count would narrow down its value. Flags already present in
        ``table`` are kept, so suppressing twice changes nothing.

    Raises
    ------
    SnaInputError
        If a named column is missing, or a count column does not hold
        non-negative whole numbers.

    Examples
    --------
    >>> table = pd.DataFrame({"lsoa": ["A", "B", "C", "D"], "crimes": [0, 3, 7, 40]})
    >>> out = suppress_counts(table, "crimes", DisclosurePolicy(min_count=5))
    >>> out["crimes"].tolist()
    [0, <NA>, 7, 40]
    >>> out["suppressed_disclosure"].tolist(), out["unreliable"].tolist()
    ([False, True, False, False], [True, False, True, False])
    """
    count_list = _as_column_list(count_cols, "count_cols")
    by_list = _as_column_list(by, "by")
    require_columns(table, count_list, what="count")
    require_columns(table, by_list, what="by")
    out = table.copy()
    notes = []
    for column, (flag_name, unreliable_name) in _flag_names(count_list).items():
        counts = _validated_counts(table[column], column)
        suppressed = _primary_mask(counts, policy) | _existing_flag(table, flag_name)
        if by_list:
            suppressed = _complement_within_groups(counts, suppressed, table[by_list])
        present = ~np.isnan(counts) & ~suppressed
        unreliable = present & (counts < policy.unreliable_below)
        unreliable |= _existing_flag(table, unreliable_name) & ~suppressed
        out[column] = pd.array(_published_values(counts, suppressed, policy), dtype="Int64")
        out[flag_name] = suppressed
        out[unreliable_name] = unreliable
        prefix = f"{column}: " if len(count_list) > 1 else ""
        notes.append(_row_notes(suppressed, unreliable, policy, prefix))
    out["note"] = ["; ".join(p for p in parts if p) for parts in zip(*notes, strict=True)]
    return out


def _existing_flag(table: pd.DataFrame, name: str) -> np.ndarray:
    if name not in table.columns:
        return np.zeros(len(table), dtype=bool)
    return table[name].fillna(False).to_numpy(dtype=bool)


def _row_notes(
    suppressed: np.ndarray, unreliable: np.ndarray, policy: DisclosurePolicy, prefix: str
) -> list[str]:
    suppressed_text = f"{prefix}{SUPPRESSED_SYMBOL} suppressed for disclosure control"
    unreliable_text = (
        f"{prefix}{UNRELIABLE_SYMBOL} unreliable: count below {policy.unreliable_below}"
    )
    return np.where(suppressed, suppressed_text, np.where(unreliable, unreliable_text, "")).tolist()


def _derived_columns_default(frame: pd.DataFrame) -> list[str]:
    return [c for c in DEFAULT_DERIVED_COLUMNS if c in frame.columns]


def suppress_rates(
    rates_df: pd.DataFrame,
    count_col: str,
    policy: DisclosurePolicy,
    *, derived_cols: Sequence[str] | None = None,
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Suppress a count and blank every rate, percentage or CI made from it.

    A rate published beside its denominator gives the count back
    (``count = rate * population / 100000``), so rows whose count is suppressed
    lose their derived figures too.

    Parameters
    ----------
    rates_df : pandas.DataFrame
        Tidy rates, e.g. from ``sna.stats.rates`` (``count``, ``value``, ``lower``,
        ``upper``...).
    count_col : str
        The count the rates are made from.
    policy : DisclosurePolicy
        The rule to apply.
    derived_cols : sequence of str, optional
        Columns to blank in suppressed rows; default whichever of ``value``,
        ``lower``, ``upper`` exist.
    by : str or sequence of str, optional
        As in :func:`suppress_counts`.

    Returns
    -------
    pandas.DataFrame
        As :func:`suppress_counts`, with the derived columns missing where
        ``suppressed_disclosure`` is True.

    Raises
    ------
    SnaInputError
        If a derived column is missing, or none of the default ones exist, or
        for the reasons :func:`suppress_counts` raises.

    Examples
    --------
    >>> rates = pd.DataFrame({"count": [3, 25], "value": [12.1, 101.5],
    ...                       "lower": [2.5, 65.7], "upper": [35.4, 149.8]})
    >>> out = suppress_rates(rates, "count", DisclosurePolicy(min_count=5))
    >>> out[["value", "lower", "upper"]].isna().all(axis=1).tolist()
    [True, False]
    """
    if derived_cols is None:
        derived = _derived_columns_default(rates_df)
        if not derived:
            raise SnaInputError(
                f"none of the rate columns {list(DEFAULT_DERIVED_COLUMNS)} are in the table",
                fix="name the rate, percentage and CI columns with derived_cols=[...]",
                column="derived_cols",
            )
    else:
        derived = list(derived_cols)
        require_columns(rates_df, derived, what="derived")
    out = suppress_counts(rates_df, count_col, policy, by=by)
    return _blank_rows(out, derived, out["suppressed_disclosure"].to_numpy(dtype=bool))


def _blank_rows(frame: pd.DataFrame, columns: Sequence[str], rows: np.ndarray) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = out[column].mask(rows)
    return out


# --------------------------------------------------------------------------------------
# chart data


def _identifier_like(name: object) -> bool:
    tokens = re.split(r"[^0-9a-z]+", str(name).lower())
    return any(token in _IDENTIFIER_TOKENS for token in tokens)


def _reject_record_level(df: pd.DataFrame, max_rows: int) -> None:
    if len(df) > max_rows:
        raise SnaInputError(
            f"the chart data has {len(df)} rows, more than {max_rows}, so it looks record-level",
            fix="aggregate first (e.g. df.groupby([...]).size()) and chart the counts",
            value=len(df),
        )
    for column in df.columns:
        if _identifier_like(column):
            raise SnaInputError(
                "the chart data has a column named like an identifier or a location, so it "
                "looks record-level",
                fix="aggregate first and pass only the aggregated table; drop or rename the "
                "column if it is not an identifier",
                column=str(column),
            )
        if _holds_crime_ids(df[column]):
            raise SnaInputError(
                "the chart data has a column of 64-character police.uk crime IDs, so it looks "
                "record-level",
                fix="aggregate first and pass only the aggregated table",
                column=str(column),
            )


def _holds_crime_ids(values: pd.Series) -> bool:
    if not (pd.api.types.is_string_dtype(values) or values.dtype == object):
        return False
    sample = values.dropna().astype(str).head(20)
    return bool(len(sample)) and bool(sample.str.fullmatch(_POLICE_UK_CRIME_ID).all())


def chart_frame(
    df: pd.DataFrame,
    columns: Sequence[str],
    policy: DisclosurePolicy,
    count_cols: str | Sequence[str],
    *,
    derived_cols: Sequence[str] | None = None,
    max_rows: int = CHART_MAX_ROWS,
) -> pd.DataFrame:
    """Prepare the only frame a chart may be given: selected, aggregated and suppressed.

    Altair embeds every column (and every row) of the DataFrame it is given in
    the chart specification, so the HTML carries it whether or not the chart
    draws it. Charts must therefore receive only this frame.

    Parameters
    ----------
    df : pandas.DataFrame
        Aggregated data (a GeoDataFrame for maps: include ``geometry`` in
        ``columns``).
    columns : sequence of str
        The columns the chart encodes; every other column is dropped.
    policy : DisclosurePolicy
        The rule to apply.
    count_cols : str or sequence of str
        The count columns among ``columns``; they are suppressed.
    derived_cols : sequence of str, optional
        Columns to blank in rows with a suppressed count. Default: every
        numeric column of ``columns`` that is not a count (rates,
        percentages, CIs). Pass it when a numeric column is a label (such as
        an integer year) that should stay.
    max_rows : int, default 5000
        More rows than this means record-level data (Altair's own limit).

    Returns
    -------
    pandas.DataFrame
        ``columns`` with suppressed counts and derived values missing, plus
        the boolean ``suppressed_disclosure`` and ``unreliable`` flag columns
        (draw suppressed rows as their own grey category, never as 0).

    Raises
    ------
    SnaInputError
        If the frame looks record-level (more than ``max_rows`` rows, any
        column named like an identifier or point location, such as
        ``Crime ID``, ``Latitude`` or ``postcode``, or a column of police.uk
        64-character crime IDs), a column is missing, or a
        count or derived column is not among ``columns``.

    Examples
    --------
    >>> df = pd.DataFrame({"month": ["2024-01", "2024-02"], "crimes": [2, 30],
    ...                    "rate": [1.1, 16.2], "population": [180000, 180000]})
    >>> out = chart_frame(df, ["month", "crimes", "rate"], DisclosurePolicy(), "crimes")
    >>> list(out.columns)
    ['month', 'crimes', 'rate', 'suppressed_disclosure', 'unreliable']
    >>> out["rate"].isna().tolist()
    [True, False]
    """
    _reject_record_level(df, max_rows)
    selected = list(columns)
    require_columns(df, selected, what="chart")
    count_list = _as_column_list(count_cols, "count_cols")
    _check_subset(count_list, selected, "count_cols")
    if derived_cols is None:
        derived = [c for c in selected if c not in count_list and _is_numeric_data(df[c])]
    else:
        derived = list(derived_cols)
        _check_subset(derived, selected, "derived_cols")
    out = suppress_counts(df[selected], count_list, policy)
    flags = [c for c in out.columns if c.startswith(("suppressed_disclosure", "unreliable"))]
    any_suppressed = out[[f for f in flags if f.startswith("suppressed")]].any(axis=1)
    out = _blank_rows(out, derived, any_suppressed.to_numpy(dtype=bool))
    return out[selected + [f for f in flags if f not in selected]]


def _is_numeric_data(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _check_subset(names: Sequence[str], selected: Sequence[str], what: str) -> None:
    for name in names:
        if name not in selected:
            raise SnaInputError(
                f"{what} column '{name}' is not among the chart's columns",
                fix=f"add '{name}' to columns or remove it from {what}",
                column=str(name),
            )


# --------------------------------------------------------------------------------------
# tables published with totals


def _line_constraints(shape: tuple[int, ...]) -> np.ndarray:
    """Constraint matrix of a table *with margins*, one row per published line.

    Entries are flattened row-major. For a 2-D table of shape (R+1, C+1) with
    the totals last, each row line says ``sum(cells) - row total = 0`` and each
    column line likewise (the total row and total column are lines too, so the
    grand total is tied to both). A 1-D table of n cells plus total has the
    single line ``sum(cells) - total = 0``.
    """
    if len(shape) == 1:
        line = np.ones(shape[0])
        line[-1] = -1
        return line[None, :]
    n_rows, n_cols = shape
    row_coef = np.ones(n_cols)
    row_coef[-1] = -1
    col_coef = np.ones(n_rows)
    col_coef[-1] = -1
    row_lines = np.kron(np.eye(n_rows), row_coef)
    col_lines = np.kron(col_coef, np.eye(n_cols))
    return np.vstack([row_lines, col_lines])


def _determined_entries(constraints: np.ndarray, unknown: np.ndarray) -> np.ndarray:
    """Flat boolean array: which unknown entries the published values fix exactly.

    Entry k is determined iff the unit vector e_k lies in the row space of the
    constraint matrix restricted to the unknowns, i.e. appending e_k does not
    raise its rank.
    """
    determined = np.zeros(unknown.size, dtype=bool)
    unknown_idx = np.flatnonzero(unknown)
    if unknown_idx.size == 0:
        return determined
    restricted = constraints[:, unknown_idx]
    base_rank = np.linalg.matrix_rank(restricted)
    unit_vectors = np.eye(unknown_idx.size)
    for position, entry in enumerate(unknown_idx):
        stacked = np.vstack([restricted, unit_vectors[position]])
        determined[entry] = np.linalg.matrix_rank(stacked) == base_rank
    return determined


def _cheapest_cycle_partners(
    full: np.ndarray, suppressed: np.ndarray, entry: tuple[int, int], zero_cost: float
) -> list[tuple[int, int]]:
    """Entries to suppress so that ``entry`` lies on a cycle of suppressed entries.

    The table with margins is a complete bipartite graph (row lines x column
    lines, one edge per entry). A suppressed entry is recoverable iff it is a
    bridge of the graph of suppressed entries, so we add the cheapest path
    from its column back to its row that avoids the entry itself: suppressed
    entries cost nothing, others cost their value (zeros cost ``zero_cost``).
    """
    n_rows, n_cols = full.shape
    cost = np.where(suppressed, 0.0, np.where(full > 0, full, zero_cost)) + _EDGE_EPSILON
    row, col = entry
    cost[row, col] = np.inf
    graph = np.full((n_rows + n_cols, n_rows + n_cols), np.inf)
    graph[:n_rows, n_rows:] = cost
    graph[n_rows:, :n_rows] = cost.T
    start = n_rows + col
    _, predecessors = dijkstra(
        csgraph_from_dense(graph, null_value=np.inf), indices=start, return_predecessors=True
    )
    partners = []
    node = row
    while node != start:
        previous = int(predecessors[node])
        partners.append((node, previous - n_rows) if node < n_rows else (previous, node - n_rows))
        node = previous
    return partners


def _secondary_two_way(full: np.ndarray, primary: np.ndarray) -> np.ndarray:
    constraints = _line_constraints(full.shape)
    zero_cost = float(full.sum()) + 1.0
    suppressed = primary.copy()
    for _ in range(full.size):  # each pass puts at least one recoverable entry on a cycle
        determined = _determined_entries(constraints, suppressed.ravel())
        if not determined.any():
            return suppressed
        candidates = np.flatnonzero(determined)
        entry = np.unravel_index(candidates[np.argmin(full.ravel()[candidates])], full.shape)
        for partner in _cheapest_cycle_partners(full, suppressed, entry, zero_cost):
            suppressed[partner] = True
    raise AssertionError("secondary suppression did not converge")  # pragma: no cover


def _secondary_one_way(full: np.ndarray, primary: np.ndarray) -> np.ndarray:
    constraints = _line_constraints(full.shape)
    suppressed = primary.copy()
    while _determined_entries(constraints, suppressed).any():
        is_total = np.arange(full.size) == full.size - 1
        order = np.lexsort((full, full == 0, is_total))  # cells by size, zeros, then total
        suppressed[next(i for i in order if not suppressed[i])] = True
    return suppressed


def _table_counts(table: pd.DataFrame | pd.Series, total_label: str) -> np.ndarray:
    if not isinstance(table, pd.DataFrame | pd.Series):
        raise SnaInputError(
            "the table must be a pandas DataFrame (two-way) or Series (one-way) of counts",
            fix="build it with pd.crosstab(...) or df.groupby([...]).size().unstack()",
            value=type(table).__name__,
        )
    if table.size == 0:
        raise SnaInputError(
            "the table is empty", fix="check the filter that built the table", value="0 cells"
        )
    labels = [table.index] + ([table.columns] if isinstance(table, pd.DataFrame) else [])
    if any(total_label in list(axis) for axis in labels):
        raise SnaInputError(
            f"the table already has a '{total_label}' row or column",
            fix="pass the table without margins; totals are computed from the unrounded cells",
            value=total_label,
        )
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    counts = np.column_stack(
        [_validated_counts(frame.iloc[:, j], str(frame.columns[j])) for j in range(frame.shape[1])]
    )
    if np.isnan(counts).any():
        raise SnaInputError(
            "the table has missing counts, so its totals are unknown",
            fix="fill empty combinations with 0 (e.g. pd.crosstab or unstack(fill_value=0))",
            value="NA",
        )
    return counts[:, 0] if isinstance(table, pd.Series) else counts


def _with_margins(counts: np.ndarray) -> np.ndarray:
    if counts.ndim == 1:
        return np.append(counts, counts.sum())
    with_row_totals = np.column_stack([counts, counts.sum(axis=1)])
    return np.vstack([with_row_totals, with_row_totals.sum(axis=0)])


def _labelled(values, table: pd.DataFrame | pd.Series, total_label: str):
    index = table.index.append(pd.Index([total_label]))
    if isinstance(table, pd.Series):
        return pd.Series(values, index=index, name=table.name)
    columns = table.columns.append(pd.Index([total_label]))
    return pd.DataFrame(values, index=index, columns=columns)


def suppress_crosstab(
    table: pd.DataFrame | pd.Series, policy: DisclosurePolicy, *, total_label: str = "Total"
) -> CrosstabResult:
    """Protect a table that is published with its totals: primary and secondary suppression.

    Parameters
    ----------
    table : pandas.DataFrame or pandas.Series
        Counts without margins: a DataFrame (rows x columns) for a two-way
        table, a Series for a one-way table. Row totals, column totals and the
        grand total (or the one total) are added here from the unrounded
        counts.
    policy : DisclosurePolicy
        The rule to apply.
    total_label : str, default "Total"
        Label of the margin row and column.

    Returns
    -------
    CrosstabResult
        ``published`` (the table with margins, suppressed entries missing,
        rounded if the policy rounds), boolean ``primary`` and ``secondary``
        masks with the same labels, and the footnote.

    Raises
    ------
    SnaInputError
        If ``table`` is not a DataFrame or Series, is empty, has missing,
        negative or non-whole counts, or already has a ``total_label`` margin.

    Notes
    -----
    Margins are counts too, so primary suppression applies to every entry,
    totals included: counts 1 to ``min_count - 1`` (and zeros if
    ``zeros="suppress"``).

    Secondary suppression. The table with its margins is a complete bipartite
    graph whose nodes are the lines (rows and columns, the total row and column
    included) and whose edges are the entries; the published totals are linear
    constraints, and a suppressed entry can be solved exactly from them iff it
    is a bridge of the graph formed by the suppressed entries (it lies on no
    cycle of suppressed entries). So, until no suppressed entry is recoverable
    (checked exactly by the rank test of :func:`is_recoverable`): take the
    smallest recoverable entry and suppress the cheapest path of other entries
    that closes a cycle through it (Dijkstra; cost = the entry's value,
    already-suppressed entries free, zeros only as a last resort since
    suppressing a zero beside a small count protects nothing). "Every line
    has two suppressed entries" is the special case of a cycle of four; the
    graph view also catches a cell whose lines both have two or more
    suppressions yet which links two otherwise separate blocks.

    A one-way table has one line (cells sum to the total): if exactly one entry
    is suppressed, the smallest other cell (positive before zero) is too.

    The result is locally cheap, not the minimum-loss pattern (that is an
    integer programme, as in tau-ARGUS).

    Examples
    --------
    >>> table = pd.DataFrame({"A": [20, 3, 30], "B": [12, 18, 22], "C": [15, 25, 40]},
    ...                      index=["r1", "r2", "r3"])
    >>> result = suppress_crosstab(table, DisclosurePolicy(min_count=5))
    >>> result.published
              A     B   C  Total
    r1     <NA>  <NA>  15     47
    r2     <NA>  <NA>  25     46
    r3       30    22  40     92
    Total    53    52  80    185
    >>> is_recoverable(result.published, mask=result.suppressed)
    False
    """
    counts = _table_counts(table, total_label)
    full = _with_margins(counts)
    primary = _primary_mask(full, policy)
    if full.ndim == 1:
        suppressed = _secondary_one_way(full, primary)
    else:
        suppressed = _secondary_two_way(full, primary)
    published = _labelled(_published_values(full, suppressed, policy), table, total_label)
    return CrosstabResult(
        published=published.astype("Int64"),
        primary=_labelled(primary, table, total_label),
        secondary=_labelled(suppressed & ~primary, table, total_label),
        note=policy.footnote(),
    )


def _sum_constraints(n_cells: int, sums: Sequence[Sequence[int]]) -> np.ndarray:
    constraints = np.zeros((len(sums), n_cells))
    for row, members in enumerate(sums):
        constraints[row, list(members)] = 1.0
    return constraints


def protect_published(
    cells: Sequence[int] | np.ndarray,
    sums: Mapping[str, Sequence[int]] | Sequence[Sequence[int]],
    policy: DisclosurePolicy,
) -> tuple[np.ndarray, dict | list]:
    """Secondary suppression across everything published together.

    A report publishes cells (rows of a table, points of a chart) and, elsewhere,
    totals of groups of them (a table's total, a district's count, a number in a
    sentence). Any published total is an equation an attacker can subtract from:
    a suppressed cell must not be solvable from all of them together.

    Parameters
    ----------
    cells : sequence of int
        The counts published cell by cell (before suppression).
    sums : mapping of name to positions, or sequence of positions
        Every total published anywhere in the report, as the positions of the
        cells it adds up.
    policy : DisclosurePolicy
        The rule: cells and totals from 1 to ``min_count - 1`` are suppressed
        (zeros too with ``zeros="suppress"``).

    Returns
    -------
    (numpy.ndarray, mapping or list)
        Boolean mask of the cells to suppress, and for each sum whether it must
        be withheld too (a small total is a small count wherever it is printed).

    Notes
    -----
    Withheld sums are not equations. With the published sums as rows of a
    0/1 matrix over the cells, a suppressed cell is recoverable iff its unit
    vector lies in the row space restricted to the suppressed cells (the rank
    test of :func:`is_recoverable`). Until none is: suppress the smallest
    published cell sharing a sum with the smallest recoverable cell (positive
    counts before zeros), taken from the narrowest such sum. Exact linear
    recovery only, as :func:`is_recoverable`.

    Examples
    --------
    Six age bands, the total and the under-25s (first two bands) in a sentence:

    >>> mask, withheld = protect_published([3, 40, 52, 60, 33, 12],
    ...                                    {"all": range(6), "under 25": [0, 1]},
    ...                                    DisclosurePolicy(min_count=5))
    >>> mask.tolist(), withheld
    ([True, True, False, False, False, False], {'all': False, 'under 25': False})

    Band 0-15 (3) is suppressed, and 16-24 with it: the under-25 total and the
    overall total no longer give either one.
    """
    values = np.asarray(cells, dtype=float)
    if values.ndim != 1 or np.isnan(values).any() or (values < 0).any():
        raise SnaInputError("cells must be a flat list of non-negative counts",
                            fix="pass the counts published cell by cell", column="cells")
    named = isinstance(sums, Mapping)
    groups = [sorted({int(i) for i in members})
              for members in (sums.values() if named else sums)]
    for members in groups:
        if any(i < 0 or i >= values.size for i in members):
            raise SnaInputError("a sum names a cell position outside the cells",
                                fix="give positions from 0 to len(cells) - 1", column="sums")
    totals = np.array([values[members].sum() for members in groups])
    withheld = _primary_mask(totals, policy) if totals.size else np.zeros(0, dtype=bool)
    suppressed = _primary_mask(values, policy)
    constraints = _sum_constraints(values.size, [g for g, w in zip(groups, withheld,
                                                                   strict=True) if not w])
    for _ in range(values.size + 1):
        if not constraints.size:
            break
        determined = _determined_entries(constraints, suppressed)
        if not determined.any():
            break
        worst = min(np.flatnonzero(determined), key=lambda i: values[i])
        # The narrowest published sum through the cell gives the cheapest protection.
        lines = sorted((row for row in constraints if row[worst]), key=lambda r: r.sum())
        options = next(([j for j in np.flatnonzero(row) if not suppressed[j]] for row in lines
                        if any(not suppressed[j] for j in np.flatnonzero(row))), [])
        if not options:  # pragma: no cover - a determined cell always has a free partner
            break
        suppressed[min(options, key=lambda j: (values[j] == 0, values[j]))] = True
    flags = [bool(w) for w in withheld]
    return suppressed, (dict(zip(sums.keys(), flags, strict=True)) if named else flags)


def recoverable_cells(
    published_with_margins: pd.DataFrame | pd.Series,
    *, mask: pd.DataFrame | pd.Series | np.ndarray | None = None,
) -> pd.DataFrame | pd.Series:
    """Which suppressed entries the published values determine exactly.

    Parameters
    ----------
    published_with_margins : pandas.DataFrame or pandas.Series
        A table with its margins: the last row and last column (or the last
        entry of a Series) are the totals.
    mask : DataFrame, Series or array of bool, optional
        True where an entry is suppressed. Default: the missing entries.
        Missing entries are treated as unknown either way.

    Returns
    -------
    pandas.DataFrame or pandas.Series
        Boolean, same labels: True where a suppressed entry is uniquely
        determined by the published entries through the row, column and
        grand totals.

    Raises
    ------
    SnaInputError
        If the table is not a DataFrame or Series, is smaller than one cell
        plus its total(s), or ``mask`` has a different shape.

    See Also
    --------
    is_recoverable : whether any entry is recoverable, with the method.

    Examples
    --------
    >>> published = pd.DataFrame([[None, 10, 13], [5, 6, 11], [8, 16, 24]], dtype="Int64")
    >>> recoverable_cells(published).to_numpy().tolist()[0]
    [True, False, False]
    """
    unknown = _unknown_entries(published_with_margins, mask)
    constraints = _line_constraints(unknown.shape)
    determined = _determined_entries(constraints, unknown.ravel()).reshape(unknown.shape)
    if isinstance(published_with_margins, pd.Series):
        return pd.Series(determined, index=published_with_margins.index)
    return pd.DataFrame(
        determined, index=published_with_margins.index, columns=published_with_margins.columns
    )


def is_recoverable(
    published_with_margins: pd.DataFrame | pd.Series,
    *, mask: pd.DataFrame | pd.Series | np.ndarray | None = None,
) -> bool:
    """Whether any suppressed entry can be solved exactly from the published values.

    Parameters
    ----------
    published_with_margins, mask
        As :func:`recoverable_cells`.

    Returns
    -------
    bool
        True if at least one suppressed entry is uniquely determined.

    Raises
    ------
    SnaInputError
        As :func:`recoverable_cells`.

    Notes
    -----
    The suppressed entries are unknowns ``x``; every published row, column
    and grand total gives a linear equation ``A x = b`` (published entries
    move to ``b``). Entry k is determined iff the unit vector ``e_k`` lies in
    the row space of ``A`` restricted to the unknowns, tested as
    ``rank([A; e_k]) == rank(A)`` with :func:`numpy.linalg.matrix_rank`. The
    matrices hold only 0 and +-1 and have at most a few hundred entries, so
    the SVD rank is exact here. Only the pattern of suppression matters, not
    the published values, so rounded values are handled the same way.

    Out of scope: interval (bounds) disclosure. Counts are non-negative, so a
    suppressed entry can sometimes be pinned to a narrow range, or exactly
    (e.g. two suppressed cells that must sum to 0), by its bounds; this check
    does not look for that, only for exact linear recovery.

    Examples
    --------
    A cell alone in its row is the row total minus the published cells:

    >>> alone = pd.DataFrame([[None, 10, 13], [5, 6, 11], [8, 16, 24]], dtype="Int64")
    >>> is_recoverable(alone)
    True

    Four cells forming a rectangle are not:

    >>> rectangle = pd.DataFrame([[None, None, 13], [None, None, 11], [8, 16, 24]],
    ...                          dtype="Int64")
    >>> is_recoverable(rectangle)
    False
    """
    return bool(np.asarray(recoverable_cells(published_with_margins, mask=mask)).any())


def _unknown_entries(published: pd.DataFrame | pd.Series, mask) -> np.ndarray:
    if not isinstance(published, pd.DataFrame | pd.Series):
        raise SnaInputError(
            "the published table must be a pandas DataFrame or Series with its margins",
            fix="pass CrosstabResult.published (or a table whose last row/column are totals)",
            value=type(published).__name__,
        )
    if min(published.shape) < 2:
        raise SnaInputError(
            "the published table is too small to hold cells and their totals",
            fix="include the total row and column (or the total entry of a one-way table)",
            value=published.shape,
        )
    unknown = published.isna().to_numpy()
    if mask is not None:
        mask_values = np.asarray(mask, dtype=bool)
        if mask_values.shape != unknown.shape:
            raise SnaInputError(
                "the mask has a different shape from the published table",
                fix="pass the mask returned with the table (CrosstabResult.suppressed)",
                column="mask",
                value=mask_values.shape,
            )
        unknown = unknown | mask_values
    return unknown


def protected_rates(counts: pd.Series, populations: pd.Series, policy: DisclosurePolicy,
                    *, conf: float = 0.95, multiplier: float = 1000) -> pd.DataFrame:
    """Rates per 1,000 with CIs for groups published with their total, disclosure-controlled.

    The groups and their total form a one-way table, so :func:`suppress_crosstab`
    suppresses small counts and, where one alone would be recoverable from the total,
    another. Rates, limits and the comparison of suppressed groups are blanked too.

    Parameters
    ----------
    counts, populations : pandas.Series
        Indexed by group label.
    policy : DisclosurePolicy
    conf : float, default 0.95
    multiplier : float, default 1000
        Rates per 1,000.

    Returns
    -------
    pandas.DataFrame
        ``group, count, population, value, lower, upper, comparison, suppressed``; the
        last row is the total (``group`` :data:`TOTAL_GROUP`), the benchmark of the
        comparison (:func:`sna.stats.rates.rates_against_total`, Fingertips single overlap).

    Examples
    --------
    >>> out = protected_rates(pd.Series([3, 40, 60], index=["a", "b", "c"]),
    ...                       pd.Series([1000, 9000, 9000], index=["a", "b", "c"]),
    ...                       DisclosurePolicy(min_count=10))
    >>> out["count"].tolist()
    [<NA>, <NA>, 60, 103]
    >>> out["value"].isna().tolist()
    [True, True, False, False]
    """
    protected = suppress_crosstab(counts.astype("int64"), policy, total_label=TOTAL_GROUP)
    rates = rates_against_total(counts, populations, multiplier=multiplier, conf=conf,
                                total_label=TOTAL_GROUP)
    hidden = protected.suppressed.to_numpy(dtype=bool)
    out = pd.DataFrame({"group": rates["group"], "count": protected.published.array,
                        "population": rates["denominator"]})
    for column in ("value", "lower", "upper"):
        out[column] = rates[column].where(~hidden)
    out["comparison"] = np.where(hidden, "suppressed", rates["comparison"].to_numpy())
    out.loc[out.index[-1], "comparison"] = "benchmark"
    out["suppressed"] = hidden
    return out
