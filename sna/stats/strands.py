"""Hate-crime strands: counts, shifts between periods, seasonal context, indicative rates.

One offence can be recorded against more than one strand (for example race and
religion), so two different counts exist and are always labelled:

* **offences** — hate offences, each counted once;
* **strand flags** — offences flagged with a strand; summed over strands these
  can exceed the number of offences.

A strand's *share* is the proportion of hate offences flagged with it, so shares
can sum to more than 100%.

Every function takes the clean table of :func:`sna.io.extract.read_force_extract`
(or any frame with ``month`` or ``offence_date`` and boolean ``hate_<strand>``
columns). Periods are given as ``(first_month, last_month)`` strings such as
``("2025-07", "2025-09")``, a :class:`pandas.Period` of any frequency (e.g.
``pd.Period("2025Q3", "Q")``), or a monthly :class:`pandas.PeriodIndex`;
:func:`sna.periods.financial_quarter` gives the months of a financial-year quarter.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.contingency_tables import Table
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from sna.errors import SnaInputError
from sna.io.extract import DEFAULT_STRANDS, STRAND_LABELS, check_strands, strand_column
from sna.periods import monthly_counts, months_of, period_label, period_months, rows_in_period
from sna.stats.rates import proportion_ci, rate_ci
from sna.stats.trend import (
    PeriodComparison,
    Variation,
    judge_change,
    judge_interaction,
    series_variation,
    window_variation,
)
from sna.wording import (
    format_count,
    format_number,
    format_p,
    format_percent,
    format_ratio,
    format_statistic,
)

__all__ = [
    "CompositionTest",
    "RecurringChange",
    "RollingTrend",
    "StrandShift",
    "census_denominators",
    "describe_composition",
    "describe_recurring_change",
    "describe_strand_shift",
    "holm_adjust",
    "indicative_rates",
    "recurring_change",
    "recurring_change_note",
    "rolling_12_month",
    "rolling_trends",
    "strand_counts",
    "strand_label",
    "strand_monthly_counts",
    "strand_share_table",
    "strand_shift",
    "strand_shift_note",
    "strands_long",
]

OFFENCES = "offences"
FLAGS = "strand flags"
ALL = "all"
ALL_LABEL = "All hate crime"
PERMUTATION_SEED = 20261123
ADJUSTMENT = "Holm"


def strand_label(strand: str) -> str:
    """Return the plain-English name of a strand.

    Parameters
    ----------
    strand : str
        A strand name (``"race"``, ``"sexual_orientation"``, ...) or ``"all"``.

    Returns
    -------
    str
        Its label; an unknown strand is capitalised with underscores as spaces.

    Examples
    --------
    >>> strand_label("sexual_orientation"), strand_label("all"), strand_label("homeless")
    ('Sexual orientation', 'All hate crime', 'Homeless')
    """
    if strand == ALL:
        return ALL_LABEL
    return STRAND_LABELS.get(strand, strand.replace("_", " ").capitalize())


# ---------------------------------------------------------------- inputs and periods


def _check_offences(offences: pd.DataFrame, strands: Sequence[str]) -> tuple[str, ...]:
    strands = check_strands(strands)
    missing = [strand_column(s) for s in strands if strand_column(s) not in offences.columns]
    if missing:
        raise SnaInputError(f"offences has no column(s) {missing}",
                            fix="pass the clean table from read_force_extract, or drop those "
                                "strands from strands=", column=missing[0])
    for column in map(strand_column, strands):
        if not pd.api.types.is_bool_dtype(offences[column]):
            raise SnaInputError(f"column '{column}' is not boolean", column=column,
                                fix="pass the clean table from read_force_extract (flags typed "
                                    "as True/False)")
    if "month" not in offences.columns and "offence_date" not in offences.columns:
        raise SnaInputError("offences has neither 'month' nor 'offence_date'", column="month",
                            fix="pass the clean table from read_force_extract")
    return strands


def _flag_matrix(offences: pd.DataFrame, strands: Sequence[str]) -> np.ndarray:
    return offences[[strand_column(s) for s in strands]].to_numpy(dtype=bool)


def _check_within_data(months: pd.PeriodIndex, data_months: pd.Series, name: str) -> None:
    first, last = data_months.min(), data_months.max()
    if months.min() < first or months.max() > last:
        raise SnaInputError(f"{name} ({period_label(months)}) is not within the data's months "
                            f"({first} to {last})", column=name, value=str(months.min()),
                            fix="choose months the extract covers; months outside it are "
                                "'no data', not zero")


# ---------------------------------------------------------------- counts


def strands_long(offences: pd.DataFrame, *, strands: Sequence[str] = DEFAULT_STRANDS
                 ) -> pd.DataFrame:
    """One row per offence and strand flagged (long format).

    Parameters
    ----------
    offences : pandas.DataFrame
        Clean extract rows with boolean ``hate_<strand>`` columns.
    strands : sequence of str
        Strands to unpivot.

    Returns
    -------
    pandas.DataFrame
        The offence's columns other than the ``hate_*`` flags, plus ``strand``
        (ordered categorical in the order of ``strands``). An offence flagged with
        two strands gives two rows; one with none gives no row.

    Examples
    --------
    >>> df = pd.DataFrame({"crime_ref": ["a", "b"], "month": pd.period_range("2025-01", periods=2,
    ...                    freq="M"), "hate_race": [True, True], "hate_religion": [True, False]})
    >>> strands_long(df, strands=["race", "religion"])[["crime_ref", "strand"]].values.tolist()
    [['a', 'race'], ['a', 'religion'], ['b', 'race']]
    """
    strands = _check_offences(offences, strands)
    rows, which = np.nonzero(_flag_matrix(offences, strands))
    flag_columns = [strand_column(s) for s in strands]
    out = offences.drop(columns=flag_columns).iloc[rows].reset_index(drop=True)
    out["strand"] = pd.Categorical(np.asarray(strands, dtype=object)[which], categories=strands,
                                   ordered=True)
    return out


def strand_counts(offences: pd.DataFrame, *, strands: Sequence[str] = DEFAULT_STRANDS,
                  by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Strand flags per strand, and hate offences counted once, as labelled rows.

    Parameters
    ----------
    offences : pandas.DataFrame
        Clean extract rows (hate and other offences; only hate offences count).
    strands : sequence of str
    by : str or list of str, optional
        Columns to count within (e.g. ``"month"`` or ``"lsoa21_code"``); groups with
        no hate offence are absent.

    Returns
    -------
    pandas.DataFrame
        ``[by...], strand, strand_label, counts_what, count, share_of_offences``: one
        row per strand with ``counts_what = "strand flags"`` and ``share_of_offences``
        = flags / hate offences, then one row ``strand = "all"`` with
        ``counts_what = "offences"`` (each hate offence once; share missing). The
        flag rows can sum to more than the offences row.

    Examples
    --------
    >>> df = pd.DataFrame({"month": pd.period_range("2025-01", periods=3, freq="M"),
    ...                    "hate_race": [True, True, False],
    ...                    "hate_religion": [True, False, False]})
    >>> counts = strand_counts(df, strands=["race", "religion"])
    >>> counts[["strand", "counts_what", "count"]].values.tolist()
    [['race', 'strand flags', 2], ['religion', 'strand flags', 1], ['all', 'offences', 2]]
    """
    strands = _check_offences(offences, strands)
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    flags = _flag_matrix(offences, strands)
    hate = flags.any(axis=1)
    counts = pd.DataFrame(flags[hate].astype("int64"), columns=list(strands))
    counts[ALL] = 1
    for key in keys:
        counts[key] = offences.loc[hate, key].to_numpy()
    if keys:
        counts = counts.groupby(keys, observed=True, sort=True).sum().reset_index()
    else:
        counts = counts.sum().to_frame().T
    long = counts.melt(id_vars=keys, value_vars=[*strands, ALL], var_name="strand",
                       value_name="count")
    long["counts_what"] = np.where(long["strand"] == ALL, OFFENCES, FLAGS)
    totals = long.loc[long["strand"] == ALL, [*keys, "count"]].rename(columns={"count": "total"})
    long = long.merge(totals, on=keys, how="left") if keys else long.assign(
        total=int(hate.sum()))
    long["share_of_offences"] = np.where(long["strand"] == ALL, np.nan,
                                         long["count"] / long["total"].where(long["total"] > 0))
    long["strand_label"] = long["strand"].map(strand_label)
    order = {s: i for i, s in enumerate([*strands, ALL])}
    long = long.sort_values([*keys, "strand"], key=lambda c: c.map(order) if c.name == "strand"
                            else c, kind="stable")
    columns = [*keys, "strand", "strand_label", "counts_what", "count", "share_of_offences"]
    return long[columns].astype({"count": "int64"}).reset_index(drop=True)


def strand_monthly_counts(offences: pd.DataFrame, *, strand: str | None = None,
                          strands: Sequence[str] = DEFAULT_STRANDS,
                          last_month: str | pd.Period | None = None) -> pd.Series:
    """Hate offences (``strand=None``) or one strand's flags per month, zeros filled.

    The months run from the first to the last month of ``offences`` (all rows, not
    only hate offences), so a month with offences but no hate crime counts 0; with
    ``last_month``, they stop there.

    Parameters
    ----------
    offences : pandas.DataFrame
        Offences with a ``month`` column and a ``hate_<strand>`` bool column per strand.
    strand : str, optional
        Count this strand's flags (None counts offences with any strand flagged).
    strands : sequence of str, default DEFAULT_STRANDS
        The strands recorded.
    last_month : str or pandas.Period, optional
        Stop at this month (the data's last month when None).

    Returns
    -------
    pandas.Series
        int counts indexed by monthly Period, named ``strand`` (or ``"all"``).

    Examples
    --------
    >>> df = pd.DataFrame({"month": pd.PeriodIndex(["2025-01", "2025-03"], freq="M"),
    ...                    "hate_race": [True, False]})
    >>> strand_monthly_counts(df, strands=["race"]).tolist()
    [1, 0, 0]
    >>> strand_monthly_counts(df, strands=["race"], last_month="2025-02").tolist()
    [1, 0]
    """
    strands = _check_offences(offences, strands)
    if strand is not None and strand not in strands:
        raise SnaInputError(f"strand {strand!r} is not one of strands ({', '.join(strands)})",
                            fix="pick a listed strand, or strand=None for all hate offences",
                            column="strand", value=strand)
    months = months_of(offences)
    flags = _flag_matrix(offences, strands)
    hit = flags.any(axis=1) if strand is None else flags[:, strands.index(strand)]
    index = pd.period_range(months.min(), months.max(), freq="M")
    counts = monthly_counts(months[hit], index=index).rename(strand or ALL)
    if last_month is not None:
        counts = counts[counts.index <= pd.Period(last_month, freq="M")]
    return counts


def strand_share_table(offences: pd.DataFrame, period: tuple[str, str],
                       *, strands: Sequence[str] = DEFAULT_STRANDS,
                       conf: float = 0.95) -> pd.DataFrame:
    """Strand flags in a period with their share of hate offences (Wilson intervals).

    Parameters
    ----------
    offences : pandas.DataFrame
        Clean extract rows with ``month`` and boolean ``hate_<strand>`` columns.
    period : tuple of str
        First and last month.
    strands : sequence of str
    conf : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per strand (``counts_what = "strand flags"``) with ``count``,
        ``share``, ``share_lower``, ``share_upper`` (proportions of hate offences), then
        one row ``strand = "all"`` (``counts_what = "offences"``: each hate offence
        once; share missing). ``attrs["multi_strand"]`` is the number of hate offences
        with two or more strands.

    Examples
    --------
    >>> df = pd.DataFrame({"month": pd.PeriodIndex(["2025-01"] * 3, freq="M"),
    ...                    "hate_race": [True, True, False],
    ...                    "hate_religion": [True, False, False]})
    >>> t = strand_share_table(df, ("2025-01", "2025-01"), strands=["race", "religion"])
    >>> t[["strand", "counts_what", "count"]].values.tolist()
    [['race', 'strand flags', 2], ['religion', 'strand flags', 1], ['all', 'offences', 2]]
    >>> t["share"].tolist()[:2], t.attrs["multi_strand"]
    ([1.0, 0.5], 1)
    """
    rows = rows_in_period(offences, period)
    counts = strand_counts(rows, strands=strands)
    total = int(counts.loc[counts["strand"] == ALL, "count"].iloc[0])
    flags = counts["counts_what"] == FLAGS
    share = pd.DataFrame(np.nan, index=counts.index, columns=["value", "lower", "upper"])
    if total > 0:
        share.loc[flags] = proportion_ci(counts.loc[flags, "count"], total,
                                         conf=conf)[["value", "lower", "upper"]].to_numpy()
    out = counts[["strand", "strand_label", "counts_what", "count"]].copy()
    out[["share", "share_lower", "share_upper"]] = share.to_numpy()
    flag_sum = rows[[strand_column(s) for s in strands]].sum(axis=1)
    out.attrs["multi_strand"] = int((flag_sum > 1).sum())
    return out


# ---------------------------------------------------------------- strand shift


@dataclass(frozen=True)
class CompositionTest:
    """Did the strand mix change between two periods? (see :func:`strand_shift`).

    Attributes
    ----------
    statistic : float
        Pearson chi-square of the strand x period table of strand flags.
    df : int
        Its degrees of freedom (strands with a flag - 1).
    p_value : float
        Permutation p-value: period labels shuffled over offences (each offence keeps
        all its flags), ``(1 + #{X2_perm >= X2_obs}) / (n_permutations + 1)``.
    p_value_chi2_flags : float
        The asymptotic chi-square p-value that treats flags as independent; shown for
        reference only (multi-strand offences break that assumption).
    n_permutations, seed : int
    n_offences_a, n_offences_b, n_multi_strand : int
        Hate offences in each period, and those with two or more strands.
    residuals : pandas.DataFrame
        ``strand, strand_label, flags_a, flags_b, expected_b, std_residual_b``:
        adjusted standardised residuals of the later period (positive = a larger
        part of the mix than expected under no change).
    drivers : tuple of str
        Strands with |residual| above the normal critical value, largest first.
    conf : float
    verdict : str
        ``"strand mix changed"``, ``"no significant change in strand mix"`` or
        ``"not testable"``.
    method : str
    """

    statistic: float
    df: int
    p_value: float
    p_value_chi2_flags: float
    n_permutations: int
    seed: int
    n_offences_a: int
    n_offences_b: int
    n_multi_strand: int
    residuals: pd.DataFrame
    drivers: tuple[str, ...]
    conf: float
    verdict: str
    method: str = ("chi-square on strand flags, permutation p-value over offences "
                   "(multi-strand offences keep all their flags)")


@dataclass(frozen=True)
class StrandShift:
    """Result of :func:`strand_shift`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per strand (see :func:`strand_shift`).
    composition : CompositionTest
        The overall test that the strand mix changed.
    total : PeriodComparison
        Hate offences (each once) in the two periods, per month, judged by the change
        rule with the variation of the monthly hate-offence series.
    label_a, label_b : str
        Period labels such as ``"Jul-Sep 2025"``.
    """

    table: pd.DataFrame
    composition: CompositionTest
    total: PeriodComparison
    label_a: str
    label_b: str


def _pearson_chi2(flags_b: np.ndarray, row_totals: np.ndarray) -> np.ndarray:
    """Pearson X2 of strand x (a, b) tables; ``flags_b`` is (..., strands)."""
    flags_a = row_totals - flags_b
    total = row_totals.sum()
    col_b = flags_b.sum(axis=-1, keepdims=True)
    expected_b = row_totals * col_b / total
    expected_a = row_totals * (total - col_b) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = (flags_b - expected_b) ** 2 / expected_b + (flags_a - expected_a) ** 2 / expected_a
    return np.nansum(terms, axis=-1)


def _permutation_p(flags: np.ndarray, in_b: np.ndarray, observed: float, n_permutations: int,
                   seed: int) -> float:
    rng = np.random.default_rng(seed)
    row_totals = flags.sum(axis=0).astype(float)
    as_float = flags.astype(float)
    at_least, done = 0, 0
    while done < n_permutations:
        size = min(1000, n_permutations - done)
        labels = rng.permuted(np.tile(in_b, (size, 1)), axis=1)
        statistic = _pearson_chi2(labels.astype(float) @ as_float, row_totals)
        at_least += int((statistic >= observed - 1e-9 * max(observed, 1)).sum())
        done += size
    return (1 + at_least) / (n_permutations + 1)


def _composition_test(flags: np.ndarray, in_b: np.ndarray, strands: tuple[str, ...],
                      conf: float, n_permutations: int, seed: int) -> CompositionTest:
    hate = flags.any(axis=1)
    flags, in_b = flags[hate], in_b[hate]
    canonical = np.lexsort((*flags.T, in_b))  # row order must not change the p-value
    flags, in_b = flags[canonical], in_b[canonical]
    used = flags.sum(axis=0) > 0
    table = np.column_stack([flags[~in_b].sum(axis=0), flags[in_b].sum(axis=0)])[used]
    names = [s for s, u in zip(strands, used, strict=True) if u]
    counts = dict(n_offences_a=int((~in_b).sum()), n_offences_b=int(in_b.sum()),
                  n_multi_strand=int((flags.sum(axis=1) > 1).sum()))
    if len(names) < 2 or min(counts["n_offences_a"], counts["n_offences_b"]) == 0:
        empty = pd.DataFrame(columns=["strand", "strand_label", "flags_a", "flags_b",
                                      "expected_b", "std_residual_b"])
        return CompositionTest(math.nan, 0, math.nan, math.nan, n_permutations, seed,
                               residuals=empty, drivers=(), conf=conf, verdict="not testable",
                               **counts)
    observed = float(_pearson_chi2(table[:, 1].astype(float), table.sum(axis=1).astype(float)))
    p_value = _permutation_p(flags[:, used], in_b, observed, n_permutations, seed)
    chi2 = stats.chi2_contingency(table, correction=False)
    resid = Table(table, shift_zeros=False).standardized_resids[:, 1]
    residuals = pd.DataFrame({"strand": names, "strand_label": [strand_label(s) for s in names],
                              "flags_a": table[:, 0], "flags_b": table[:, 1],
                              "expected_b": chi2.expected_freq[:, 1], "std_residual_b": resid})
    critical = stats.norm.ppf(1 - (1 - conf) / 2)
    big = residuals.loc[residuals["std_residual_b"].abs() > critical]
    drivers = tuple(big.loc[big["std_residual_b"].abs().sort_values(ascending=False).index,
                            "strand"])
    verdict = ("strand mix changed" if p_value < 1 - conf
               else "no significant change in strand mix")
    return CompositionTest(observed, len(names) - 1, p_value, float(chi2.pvalue),
                           n_permutations, seed, residuals=residuals, drivers=drivers,
                           conf=conf, verdict=verdict, **counts)


def holm_adjust(p_values: Sequence[float]) -> np.ndarray:
    """Holm step-down adjusted p-values, as statsmodels' ``multipletests(method="holm")``.

    The one place sna adjusts for multiple tests: :func:`strand_shift` over the strands
    and :func:`rolling_trends` over the strands tested. The step-down is written out
    (sorted p-values times ``n, n-1, ..., 1``, running maximum, capped at 1) because
    statsmodels' Holm branch calls ``gc.collect()`` on every call, which costs 0.1-0.5 s
    in a process holding a report's data; the tests check it against statsmodels.

    Parameters
    ----------
    p_values : sequence of float
        Unadjusted p-values.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, in the same order.

    Examples
    --------
    >>> holm_adjust([0.01, 0.04, 0.03]).round(2).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=float)
    if p.size == 0:
        return p
    order = np.argsort(p, kind="stable")
    stepped = np.maximum.accumulate(p[order] * np.arange(p.size, 0, -1))
    adjusted = np.empty_like(p)
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted


def _shift_rows(counts_a: np.ndarray, counts_b: np.ndarray, totals: tuple[int, int],
                months: tuple[int, int], conf: float,
                variations: Sequence[Variation]) -> pd.DataFrame:
    comparisons = [judge_change(a, b, exposure_a=months[0], exposure_b=months[1], variation=v,
                                conf=conf).to_dict()
                   for a, b, v in zip(counts_a, counts_b, variations, strict=True)]
    rows = pd.DataFrame(comparisons).drop(columns=["exposure_a", "exposure_b", "verdict"])
    for suffix, counts, total in (("a", counts_a, totals[0]), ("b", counts_b, totals[1])):
        share = proportion_ci(counts, max(total, 1), conf=conf)
        rows[f"offences_{suffix}"] = total
        for column in ("value", "lower", "upper"):  # no hate offences: shares missing
            name = f"share_{suffix}" + ("" if column == "value" else f"_{column}")
            rows[name] = share[column].to_numpy() if total > 0 else np.nan
    return rows


def _monthly_matrix(flags: np.ndarray, data_months: pd.Series) -> pd.DataFrame:
    """Strand flags (columns) and hate offences (last column) per month, zeros filled."""
    index = pd.period_range(data_months.min(), data_months.max(), freq="M")
    values = np.column_stack([flags, flags.any(axis=1)]).astype("int64")
    frame = pd.DataFrame(values, index=data_months.to_numpy()).groupby(level=0).sum()
    return frame.reindex(index, fill_value=0).astype(float)


def strand_shift(
    offences: pd.DataFrame,
    period_a: object,
    period_b: object,
    *, strands: Sequence[str] = DEFAULT_STRANDS,
    conf: float = 0.95,
    n_permutations: int = 9999,
    seed: int = PERMUTATION_SEED,
    min_dispersion: float = 1.0,
) -> StrandShift:
    r"""Compare each strand between two periods, and test whether the mix changed.

    Parameters
    ----------
    offences : pandas.DataFrame
        Clean extract rows (``month`` or ``offence_date``, boolean ``hate_<strand>``).
    period_a, period_b : tuple, str, pandas.Period or PeriodIndex
        The earlier and later period (see :func:`sna.periods.period_months`), e.g.
        ``financial_quarter("2025/26", 2)``; they must not overlap and must lie within
        the months of ``offences``. Periods of different length are compared per month.
    strands : sequence of str
        The family of strands tested; the Holm adjustment is over all of them.
    conf : float, default 0.95
        Confidence level of intervals; ``1 - conf`` is the significance level.
    n_permutations : int, default 9999
        Permutations for the composition test.
    seed : int
        Seed of the permutation test (results are reproducible).
    min_dispersion : float, default 1
        A stated minimum dispersion for the per-strand and total tests.

    Returns
    -------
    StrandShift
        ``table``: one row per strand with ``strand, strand_label, period_a,
        period_b, months_a, months_b, offences_a, offences_b`` (hate offences, each
        once), ``count_a, count_b`` (strand flags), ``share_a`` and ``share_b`` (of
        hate offences) with Wilson limits ``share_*_lower/upper``, ``change,
        change_pct, rate_ratio, rr_lower, rr_upper, p_value`` (the change rule,
        :func:`sna.stats.trend.judge_change`, with the variation of the strand's own
        monthly series), ``p_adjusted`` (Holm over the strands), ``n_tests, adjustment,
        verdict`` (from ``p_adjusted``), ``test, conf, dispersion, df, reason,
        p_value_exact``. Also ``composition`` (:class:`CompositionTest`) and ``total``.

    Notes
    -----
    The per-strand test compares flag counts :math:`a, b` with months
    :math:`m_a, m_b` as exposures: conditional on :math:`a + b`,
    :math:`b \sim \mathrm{Bin}(a + b, m_b / (m_a + m_b))` (exact test) when the
    strand's monthly series shows no over-dispersion, else the quasi-Poisson score
    test with its dispersion (:func:`sna.stats.trend.series_variation` over all the
    months of ``offences``). The rate-ratio interval is not adjusted for
    multiplicity; the verdict uses the Holm-adjusted p-value.

    The composition test uses the Pearson chi-square of the strand x period table
    of flags. Because an offence with two strands adds two flags, flags are not
    independent and the chi-square distribution does not apply exactly (nor when
    expected counts are small), so the p-value comes from permuting the period
    labels over *offences*, each offence keeping all its flags; the asymptotic
    p-value is reported alongside for reference. Strands with no flag in either
    period are left out of this test.

    Examples
    --------
    >>> months = pd.PeriodIndex(["2025-01"] * 30 + ["2025-02"] * 60, freq="M")
    >>> df = pd.DataFrame({"month": months, "hate_race": [True] * 90,
    ...                    "hate_religion": [False] * 90})
    >>> shift = strand_shift(df, "2025-01", "2025-02", strands=["race", "religion"])
    >>> shift.table[["strand", "count_a", "count_b", "verdict"]].values.tolist()[0]
    ['race', 30, 60, 'increase']
    """
    strands = _check_offences(offences, strands)
    months_a = period_months(period_a, name="period_a")
    months_b = period_months(period_b, name="period_b")
    if months_a.intersection(months_b).size:
        raise SnaInputError("period_a and period_b overlap", column="period_b",
                            fix="choose two periods with no month in common")
    data_months = months_of(offences)
    _check_within_data(months_a, data_months, "period_a")
    _check_within_data(months_b, data_months, "period_b")
    in_a, in_b = data_months.isin(months_a).to_numpy(), data_months.isin(months_b).to_numpy()
    flags = _flag_matrix(offences, strands)
    totals = int(flags[in_a].any(axis=1).sum()), int(flags[in_b].any(axis=1).sum())
    monthly = _monthly_matrix(flags, data_months)
    variations = [series_variation(monthly[k], min_dispersion=min_dispersion)
                  for k in monthly.columns]
    table = _shift_rows(flags[in_a].sum(axis=0), flags[in_b].sum(axis=0), totals,
                        (len(months_a), len(months_b)), conf, variations[:-1])
    table["p_adjusted"] = holm_adjust(table["p_value"])
    significant = table["p_adjusted"] < 1 - conf
    table["verdict"] = np.where(~significant, "no significant change",
                                np.where(table["rate_ratio"] > 1, "increase", "decrease"))
    label_a, label_b = period_label(months_a), period_label(months_b)
    table = table.assign(strand=list(strands), strand_label=[strand_label(s) for s in strands],
                         period_a=label_a, period_b=label_b, months_a=len(months_a),
                         months_b=len(months_b), n_tests=len(strands), adjustment=ADJUSTMENT)
    columns = ["strand", "strand_label", "period_a", "period_b", "months_a", "months_b",
               "offences_a", "offences_b", "count_a", "count_b", "share_a", "share_a_lower",
               "share_a_upper", "share_b", "share_b_lower", "share_b_upper", "change",
               "change_pct", "rate_ratio", "rr_lower", "rr_upper", "p_value", "p_adjusted",
               "n_tests", "adjustment", "verdict", "test", "conf", "dispersion", "df", "reason",
               "p_value_exact"]
    hate = flags.any(axis=1) & (in_a | in_b)
    composition = _composition_test(flags[hate], in_b[hate], strands, conf, n_permutations,
                                    seed)
    total = judge_change(totals[0], totals[1], exposure_a=len(months_a), exposure_b=len(months_b),
                         variation=variations[-1], conf=conf)
    return StrandShift(table[columns], composition, total, label_a, label_b)


def _change_percent(change_pct: float) -> str:
    """A change between two counts in the strand sentences: whole per cents, signed."""
    return format_percent(change_pct, decimals=0, signed=True)


def describe_strand_shift(row: pd.Series | dict) -> str:
    """One plain-English sentence for a row of :func:`strand_shift`'s table.

    The test and p-values are in :func:`strand_shift_note`.

    Parameters
    ----------
    row : pandas.Series or dict
        One row of ``strand_shift(...).table``.

    Returns
    -------
    str
        The sentence.

    Examples
    --------
    >>> row = {"strand_label": "Sexual orientation", "count_a": 150, "count_b": 185,
    ...        "change_pct": 23.33, "months_a": 3, "months_b": 3, "period_a": "Jul-Sep 2025",
    ...        "period_b": "Oct-Dec 2025", "verdict": "no significant change",
    ...        "n_tests": 10, "test": "exact Poisson test", "p_adjusted": 0.3149,
    ...        "reason": "after allowing for the usual month-to-month ups and downs"}
    >>> describe_strand_shift(row)  # doctest: +NORMALIZE_WHITESPACE
    'Sexual orientation hate crimes rose from 150 (Jul-Sep 2025) to 185 (Oct-Dec 2025)
    (+23%); this is not statistically significant after allowing for the usual
    month-to-month ups and downs and for testing 10 strands (exact Poisson test,
    Holm-adjusted p = 0.31).'
    """
    a, b = int(row["count_a"]), int(row["count_b"])
    where_a, where_b = f"({row['period_a']})", f"({row['period_b']})"
    if a == b:
        movement = f"stayed at {format_count(a)} {where_a} and {format_count(b)} {where_b}"
    else:
        verb = "rose" if b > a else "fell"
        pct = f" ({_change_percent(row['change_pct'])})" if a > 0 else ""
        movement = (f"{verb} from {format_count(a)} {where_a} to {format_count(b)} "
                    f"{where_b}{pct}")
    per_month = ("; the periods differ in length, so monthly rates are compared"
                 if row["months_a"] != row["months_b"] else "")
    if row["verdict"] == "no significant change":
        judgement = "this is not statistically significant"
    else:
        judgement = f"this is a statistically significant {row['verdict']}"
    reason = str(row.get("reason") or "")
    allowing = (f"{reason} and for testing" if reason.startswith("after allowing")
                else "after allowing for testing")
    adjusted = f"Holm-adjusted {format_p(float(row['p_adjusted']))}"
    return (f"{row['strand_label']} hate crimes {movement}{per_month}; {judgement} "
            f"{allowing} {format_count(row['n_tests'])} strands ({row['test']}, {adjusted}).")


def strand_shift_note(row: pd.Series | dict) -> str:
    """The technical note for :func:`describe_strand_shift`: test, dispersion, p-values.

    Parameters
    ----------
    row : pandas.Series or dict
        One row of ``strand_shift(...).table`` (``strand_label, test, p_value,
        p_adjusted``, and ``dispersion, df`` if known).

    Returns
    -------
    str
        The note.

    Examples
    --------
    >>> strand_shift_note({"strand_label": "Race", "test": "quasi-Poisson score test",
    ...                    "dispersion": 2.5, "df": 21.0, "p_value": 0.04, "p_adjusted": 0.2})
    'Race: quasi-Poisson score test allowing for dispersion 2.50 (t on 21 df), p = 0.040, Holm-adjusted p = 0.20.'
    """  # noqa: E501
    dispersion = float(row.get("dispersion", 1.0))
    allowing = ""
    if dispersion > 1:
        df = float(row.get("df", math.inf))
        allowing = (f" allowing for dispersion {format_statistic(dispersion)} "
                    f"({'normal' if math.isinf(df) else f't on {df:g} df'})")
    return (f"{row['strand_label']}: {row['test']}{allowing}, {format_p(float(row['p_value']))}"
            f", Holm-adjusted {format_p(float(row['p_adjusted']))}.")


def describe_composition(composition: CompositionTest) -> str:
    """One plain-English sentence for the composition test of :func:`strand_shift`.

    Parameters
    ----------
    composition : CompositionTest
        ``strand_shift(...).composition``.

    Returns
    -------
    str
        The sentence.

    Examples
    --------
    >>> months = pd.PeriodIndex(["2025-01"] * 40 + ["2025-02"] * 40, freq="M")
    >>> df = pd.DataFrame({"month": months, "hate_race": [True] * 80,
    ...                    "hate_disability": [False] * 40 + [True] * 40})
    >>> shift = strand_shift(df, "2025-01", "2025-02", strands=["race", "disability"],
    ...                      n_permutations=199)
    >>> describe_composition(shift.composition)  # doctest: +ELLIPSIS
    'The mix of strands changed (permutation test over offences, p = 0.005); driven by ...'
    """
    if composition.verdict == "not testable":
        return ("The mix of strands could not be tested (fewer than two strands recorded, or "
                "no hate offences in one period).")
    test = f"permutation test over offences, {format_p(composition.p_value)}"
    if composition.verdict == "no significant change in strand mix":
        return f"The mix of strands did not change significantly ({test})."
    residuals = composition.residuals.set_index("strand")["std_residual_b"]
    drivers = ", ".join(f"{strand_label(s).lower()} ({'more' if residuals[s] > 0 else 'less'} "
                        "than expected)" for s in composition.drivers)
    return f"The mix of strands changed ({test}); driven by {drivers or 'no single strand'}."


# ---------------------------------------------------------------- seasonal context


@dataclass(frozen=True)
class RecurringChange:
    """Result of :func:`recurring_change`.

    Attributes
    ----------
    label_a, label_b, label_a_last_year, label_b_last_year : str
    this_year, last_year : PeriodComparison
        The change from the earlier to the later quarter, this year and a year before.
    ratio_of_ratios : float
        ``this_year.rate_ratio / last_year.rate_ratio`` (the sample odds ratio of the
        2 x 2 table; equal to the Poisson GLM interaction).
    lower, upper : float
        Exact conditional confidence interval of that ratio.
    p_value : float
        By the change rule (:func:`sna.stats.trend.judge_interaction`): Fisher's exact
        test on the 2 x 2 table of counts when the monthly series shows no
        over-dispersion, else the quasi-Poisson score (Pearson chi-square / phi) F test.
    conf : float
    verdict : str
        ``"larger than the same change a year earlier"``, ``"smaller than the same
        change a year earlier"`` or ``"in line with the same change a year earlier"``.
    test : str
    reason : str
        What variation the verdict allows for, in plain words.
    dispersion : float
    p_value_exact : float
        Fisher's exact test, for reference.
    """

    label_a: str
    label_b: str
    label_a_last_year: str
    label_b_last_year: str
    this_year: PeriodComparison
    last_year: PeriodComparison
    ratio_of_ratios: float
    lower: float
    upper: float
    p_value: float
    conf: float
    verdict: str
    test: str = "Fisher's exact test on the 2 x 2 table of counts"
    reason: str = ""
    dispersion: float = 1.0
    p_value_exact: float = math.nan


def _window_counts(monthly: pd.Series, months: pd.PeriodIndex) -> int:
    missing = months.difference(monthly.index)
    if missing.size:
        raise SnaInputError(f"monthly_counts has no value for {', '.join(map(str, missing))}",
                            fix="give counts for the quarter, the quarter before, and the same "
                                "two quarters a year earlier (missing months are not zero)",
                            column="monthly_counts", value=str(missing[0]))
    values = monthly.loc[months]
    if values.isna().any():
        raise SnaInputError("monthly_counts is missing for a month the test needs",
                            fix="fill in the count (0 if none) or choose another quarter",
                            column="monthly_counts")
    return int(values.sum())


def recurring_change(monthly_counts: pd.Series, quarter_b: object,
                     *, conf: float = 0.95, min_dispersion: float = 1.0) -> RecurringChange:
    r"""Test whether a quarter-on-quarter change differs from the same change a year earlier.

    The partnership's question: "there has been a rise compared to the previous
    quarter, however this is a recurring annual trend". The change from quarter
    :math:`a` (the months just before ``quarter_b``) to :math:`b` this year is
    compared with the change between the same quarters a year earlier.

    Parameters
    ----------
    monthly_counts : pandas.Series
        Counts indexed by monthly PeriodIndex (e.g. :func:`strand_monthly_counts`).
    quarter_b : tuple, str or pandas.Period
        The later quarter (any run of months, see :func:`sna.periods.period_months`); the earlier
        one is the same number of months immediately before it.
    conf : float, default 0.95
    min_dispersion : float, default 1
        A stated minimum dispersion.

    Returns
    -------
    RecurringChange

    Notes
    -----
    With counts :math:`a_0, b_0` a year earlier and :math:`a_1, b_1` now, the ratio
    of rate ratios :math:`(b_1/a_1)/(b_0/a_0)` is the odds ratio of the 2 x 2 table
    and the interaction term of a Poisson log-linear model of the four counts.
    Conditional on the margins the table is hypergeometric, which gives Fisher's
    exact test and an exact interval (``scipy.stats.contingency.odds_ratio``,
    conditional), consistent with the exact conditional test of
    :func:`sna.stats.trend.compare_periods`. When the months within the four quarters
    vary more than Poisson counts would (:func:`sna.stats.trend.window_variation`) the
    change rule judges it by the Pearson chi-square divided by the dispersion
    instead (:func:`sna.stats.trend.judge_interaction`).

    Examples
    --------
    >>> index = pd.PeriodIndex([f"{y}-0{m}" for y in (2024, 2025) for m in range(1, 7)],
    ...                        freq="M")
    >>> counts = pd.Series([100, 100, 100, 120, 120, 120, 100, 100, 100, 121, 119, 125],
    ...                    index=index)
    >>> r = recurring_change(counts, ("2025-04", "2025-06"))
    >>> r.verdict, round(r.ratio_of_ratios, 3)
    ('in line with the same change a year earlier', 1.014)
    """
    if not isinstance(monthly_counts.index, pd.PeriodIndex):
        raise SnaInputError("monthly_counts must be indexed by month (PeriodIndex)",
                            fix="use sna.stats.strands.strand_monthly_counts(offences)",
                            column="monthly_counts")
    months_b = period_months(quarter_b, name="quarter_b")
    months_a = months_b - len(months_b)
    windows = [months_a - 12, months_b - 12, months_a, months_b]
    a0, b0, a1, b1 = (_window_counts(monthly_counts, w) for w in windows)
    variation = window_variation(monthly_counts.astype(float), windows,
                                 min_dispersion=min_dispersion)
    judged = judge_interaction(a0, b0, a1, b1, variation=variation, conf=conf)
    verdict = ("in line with" if judged.verdict == "in line" else judged.verdict + " than")
    labels = [period_label(w) for w in windows]
    return RecurringChange(labels[2], labels[3], labels[0], labels[1],
                           judge_change(a1, b1, variation=variation, conf=conf),
                           judge_change(a0, b0, variation=variation, conf=conf),
                           judged.ratio, judged.lower, judged.upper, judged.p_value, conf,
                           f"{verdict} the same change a year earlier", judged.test,
                           judged.reason, judged.dispersion, judged.p_value_exact)


def describe_recurring_change(result: RecurringChange, *, what: str = "Hate crime") -> str:
    """One plain-English sentence for :func:`recurring_change`.

    Parameters
    ----------
    result : RecurringChange
        The result of :func:`recurring_change`.
    what : str, default "Hate crime"
        The subject of the sentence.

    Returns
    -------
    str
        The sentence.

    Examples
    --------
    >>> counts = pd.Series([90] * 3 + [110] * 3 + [90] * 3 + [112] * 3, index=pd.PeriodIndex(
    ...     [f"2024-0{m}" for m in range(1, 7)] + [f"2025-0{m}" for m in range(1, 7)], freq="M"))
    >>> print(describe_recurring_change(recurring_change(counts, ("2025-04", "2025-06"))))
    ... # doctest: +NORMALIZE_WHITESPACE
    Hate crime rose from 270 (Jan-Mar 2025) to 336 (Apr-Jun 2025) (+24%); between the same
    quarters a year earlier it rose by 22%, so the change is in line with the same change a
    year earlier.
    """
    now, before = result.this_year, result.last_year

    def _move(c: PeriodComparison) -> str:
        return "did not change" if c.change == 0 else (
            f"{'rose' if c.change > 0 else 'fell'} by "
            f"{format_percent(abs(c.change_pct), decimals=0)}")

    verb = "rose" if now.change > 0 else "fell" if now.change < 0 else "stayed"
    pct = f" ({_change_percent(now.change_pct)})" if now.count_a > 0 and now.change else ""
    reason = f", {result.reason}" if result.reason.startswith("after") else ""
    return (f"{what} {verb} from {format_count(now.count_a)} ({result.label_a}) to "
            f"{format_count(now.count_b)} "
            f"({result.label_b}){pct}; between the same quarters a year earlier it "
            f"{_move(before)}, so the change is {result.verdict}{reason}.")


def recurring_change_note(result: RecurringChange) -> str:
    """The technical note for :func:`describe_recurring_change`.

    Parameters
    ----------
    result : RecurringChange
        The result of :func:`recurring_change`.

    Returns
    -------
    str
        The note: ratio of rate ratios with its interval, the test and p-value.

    Examples
    --------
    >>> counts = pd.Series([90] * 3 + [110] * 3 + [90] * 3 + [112] * 3, index=pd.PeriodIndex(
    ...     [f"2024-0{m}" for m in range(1, 7)] + [f"2025-0{m}" for m in range(1, 7)], freq="M"))
    >>> recurring_change_note(recurring_change(counts, ("2025-04", "2025-06")))
    "Ratio of the two rate ratios 1.02, 95% CI 0.81 to 1.29; Fisher's exact test on the 2 x 2 table of counts, p = 0.91."
    """  # noqa: E501
    allowing = (f" allowing for dispersion {format_statistic(result.dispersion)}"
                if result.dispersion > 1 else "")
    ratio = format_ratio(result.ratio_of_ratios, lower=result.lower, upper=result.upper,
                         conf=result.conf)
    return (f"Ratio of the two rate ratios {ratio}; {result.test}{allowing}, "
            f"{format_p(result.p_value, alpha=1 - result.conf)}.")


# ---------------------------------------------------------------- gradual trend


@dataclass(frozen=True)
class RollingTrend:
    """Result of :func:`rolling_12_month`.

    Attributes
    ----------
    strand : str
        The strand, or ``"all"`` for hate offences counted once.
    monthly : pandas.DataFrame
        ``month, count, rolling_12_month`` (sum of the 12 months to that month;
        missing until 12 months are available) for every month of the data.
    first_month, last_month : str
        The 12 months the trend is fitted to.
    rr_per_month, rr_per_month_lower, rr_per_month_upper : float
        Multiplicative change a month with its confidence interval.
    rr_per_year, rr_per_year_lower, rr_per_year_upper : float
        The same over 12 months (the monthly values to the power 12).
    p_value : float
        Two-sided t test of the month term on the residual df (the dispersion is
        estimated from the same 12 months, so t, not normal).
    dispersion : float
        Pearson chi-square / residual df; when above 1 the standard error is scaled
        up by its square root (quasi-Poisson).
    df : float
        Residual degrees of freedom (10 for 12 months).
    conf : float
    verdict : str
        ``"increasing"``, ``"decreasing"`` or ``"no significant trend"``.
    method : str
    """

    strand: str
    monthly: pd.DataFrame
    first_month: str
    last_month: str
    rr_per_month: float
    rr_per_month_lower: float
    rr_per_month_upper: float
    rr_per_year: float
    rr_per_year_lower: float
    rr_per_year_upper: float
    p_value: float
    dispersion: float
    conf: float
    verdict: str
    method: str = ("Poisson GLM (log link) with a linear month term; quasi-Poisson if "
                   "overdispersed; t test on the residual df")
    df: float = 10.0


def _poisson_trend(counts: np.ndarray, conf: float) -> tuple[float, float, float, float, float]:
    """Slope, its (dispersion-scaled) standard error, t p-value, dispersion and residual df."""
    x = sm.add_constant(np.arange(len(counts), dtype=float))
    with warnings.catch_warnings():  # a flat series "perfectly predicts": harmless here
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        fit = sm.GLM(counts, x, family=sm.families.Poisson()).fit()
    dispersion = float(fit.pearson_chi2 / fit.df_resid)
    scale = math.sqrt(max(dispersion, 1.0))
    slope, se = float(fit.params[1]), float(fit.bse[1]) * scale
    df = float(fit.df_resid)
    p_value = float(2 * stats.t.sf(abs(slope / se), df))
    return slope, se, p_value, dispersion, df


def rolling_12_month(offences: pd.DataFrame, *, strand: str | None = None,
                     last_month: str | pd.Period | None = None, conf: float = 0.95,
                     strands: Sequence[str] = DEFAULT_STRANDS) -> RollingTrend:
    r"""Monthly counts of a strand and a trend test over the last 12 months.

    Answers "has there been a gradual decrease in disability hate crime over the last
    12 months?" with a rate ratio per month (and per year) and a p-value.

    Parameters
    ----------
    offences : pandas.DataFrame
        Clean extract rows.
    strand : str, optional
        A strand, or ``None`` for all hate offences (each once).
    last_month : str or pandas.Period, optional
        Last month of the 12 (default: the last month of the data).
    conf : float, default 0.95
    strands : sequence of str

    Returns
    -------
    RollingTrend

    Notes
    -----
    :math:`\log E[y_t] = \beta_0 + \beta_1 t` for months :math:`t = 0..11`, fitted by
    maximum likelihood. The rate ratio a month is :math:`e^{\beta_1}`, a year
    :math:`e^{12\beta_1}`; intervals are :math:`e^{(\beta_1 \pm t_{10}\,se)k}`. With
    Pearson dispersion :math:`\phi > 1` the standard error is multiplied by
    :math:`\sqrt{\phi}` (quasi-Poisson); it is never shrunk. Because :math:`\phi` is
    estimated from the same 12 months, the test and interval use the t distribution on
    the 10 residual df, as :func:`sna.stats.trend.seasonal_trend` does.

    Examples
    --------
    >>> months = pd.period_range("2025-01", "2025-12", freq="M")
    >>> df = pd.DataFrame({"month": np.repeat(months, [20, 19, 18, 17, 16, 15, 14, 13, 12,
    ...                                                  11, 10, 9]), "hate_disability": True})
    >>> trend = rolling_12_month(df, strand="disability", strands=["disability"])
    >>> trend.verdict, round(trend.rr_per_month, 3)
    ('decreasing', 0.933)
    """
    counts = strand_monthly_counts(offences, strand=strand, strands=strands)
    last = counts.index.max() if last_month is None else pd.Period(last_month, freq="M")
    window = pd.period_range(last - 11, last, freq="M")
    if window.min() < counts.index.min() or last > counts.index.max():
        raise SnaInputError(f"the 12 months to {last} are not all in the data ({counts.index.min()}"
                            f" to {counts.index.max()})", column="end", value=str(last),
                            fix="choose an end month with 11 months of data before it")
    slope, se, p_value, dispersion, df = _poisson_trend(counts.loc[window].to_numpy(float),
                                                        conf)
    crit = stats.t.ppf(1 - (1 - conf) / 2, df)
    limits = {k: (math.exp(k * slope), math.exp(k * (slope - crit * se)),
                  math.exp(k * (slope + crit * se))) for k in (1, 12)}
    verdict = "no significant trend"
    if p_value < 1 - conf:
        verdict = "increasing" if slope > 0 else "decreasing"
    monthly = pd.DataFrame({"month": counts.index, "count": counts.to_numpy(),
                            "rolling_12_month": counts.rolling(12).sum().to_numpy()})
    return RollingTrend(strand or ALL, monthly, str(window[0]), str(window[-1]), *limits[1],
                        *limits[12], p_value, dispersion, conf, verdict, df=df)


def rolling_trends(offences: pd.DataFrame, last_month: str,
                   *, strands: Sequence[str] = DEFAULT_STRANDS, conf: float = 0.95
                   ) -> pd.DataFrame:
    """Gradual 12-month trend of every strand, Holm-adjusted over the strands tested.

    Strands with no flag in the 12 months are not tested (``verdict`` "no offences").

    Parameters
    ----------
    offences : pandas.DataFrame
        Offences with ``month`` and a ``hate_<strand>`` flag per strand.
    last_month : str
        The last month of the 12 (``"YYYY-MM"``).
    strands : sequence of str, default DEFAULT_STRANDS
        The strands to test.
    conf : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    pandas.DataFrame
        ``strand, strand_label, count_12_months, rr_per_year, lower, upper, p_value,
        p_adjusted, verdict, trend`` (the :class:`RollingTrend`).
    """
    rows = []
    for strand in strands:
        monthly = strand_monthly_counts(offences, strand=strand, strands=strands,
                                        last_month=last_month)
        if monthly.iloc[-12:].sum() == 0:
            rows.append({"strand": strand, "count_12_months": 0, "trend": None})
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-zero months: log(0) terms
            trend = rolling_12_month(offences, strand=strand, last_month=last_month, conf=conf,
                                     strands=strands)
        rows.append({"strand": strand, "count_12_months": int(monthly.iloc[-12:].sum()),
                     "rr_per_year": trend.rr_per_year, "lower": trend.rr_per_year_lower,
                     "upper": trend.rr_per_year_upper, "p_value": trend.p_value,
                     "trend": trend})
    table = pd.DataFrame(rows)
    tested = table["trend"].notna()
    table["p_adjusted"] = np.nan
    if tested.any():
        table.loc[tested, "p_adjusted"] = holm_adjust(table.loc[tested, "p_value"])
    up = table["rr_per_year"] > 1
    table["verdict"] = np.select(
        [~tested, table["p_adjusted"] >= 1 - conf, up], ["no offences", "no significant trend",
                                                         "increasing"], "decreasing")
    table.insert(1, "strand_label", table["strand"].map(strand_label))
    return table


# ---------------------------------------------------------------- indicative rates


CENSUS_GROUPS = {
    "race": ("ethnic_group", None,
             "residents of an ethnic group other than White (Census 2021 TS021)"),
    "religion": ("religion", ("Buddhist", "Hindu", "Jewish", "Muslim", "Sikh", "Other religion"),
                 "residents of a religion other than Christian (Census 2021 TS030)"),
    "disability": ("disability", ("Disabled under the Equality Act",),
                   "residents disabled under the Equality Act (Census 2021 TS038)"),
}
SEXUAL_ORIENTATION_GROUPS = ("Gay or Lesbian", "Bisexual", "All other sexual orientations")


def census_denominators(tables: dict[str, pd.DataFrame], *, lsoas: Sequence[str] | None = None,
                        councils: pd.DataFrame | None = None) -> pd.DataFrame:
    """Census 2021 resident populations that strand rates are indicatively per.

    Sums the named groups of the tables it is given; it reads no file.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Census 2021 topic tables (:func:`sna.io.census.read_census_tables`):
        ``ethnic_group``, ``religion`` and ``disability`` by LSOA 2021
        (``lsoa21_code``, the topic column, ``n``; ethnic group also
        ``total_residents``) and, optionally, ``sexual_orientation`` by council
        (``ltla24_code, sexual_orientation, n``).
    lsoas : sequence of str, optional
        LSOA 2021 codes to sum over (default: every LSOA in the tables).
    councils : pandas.DataFrame, optional
        ``lsoa21_code, ltla24_code`` of every LSOA (e.g.
        :func:`sna.io.geography.lsoa21_lookup`): needed to tell whether ``lsoas`` make
        up whole councils, for the sexual-orientation denominator.

    Returns
    -------
    pandas.DataFrame
        ``strand, population, population_definition`` for race (ethnic group other
        than White), religion (non-Christian religions), disability (Equality Act
        disabled), ``all`` (all usual residents) and, where the LSOAs make up whole
        councils, sexual orientation (residents aged 16+ who are gay or lesbian,
        bisexual or another minority orientation; ONS publishes this question by MSOA
        and council only, not by LSOA). Census 2021 has no gender-identity table in the
        shipped data, so there is no transgender denominator.

    Examples
    --------
    >>> lsoa = ["E01000001", "E01000001"]
    >>> tables = {
    ...     "ethnic_group": pd.DataFrame({"lsoa21_code": lsoa, "ethnic_group": ["White", "Other"],
    ...                                   "n": [90, 10], "total_residents": [100, 100]}),
    ...     "religion": pd.DataFrame({"lsoa21_code": lsoa, "religion": ["Christian", "Hindu"],
    ...                               "n": [60, 5]}),
    ...     "disability": pd.DataFrame({"lsoa21_code": lsoa, "n": [80, 20], "disability": [
    ...         "Not disabled under the Equality Act", "Disabled under the Equality Act"]})}
    >>> census_denominators(tables)["population"].tolist()
    [10.0, 100.0, 5.0, 20.0]
    """
    rows = []
    wanted = None if lsoas is None else set(map(str, lsoas))
    for strand, (column, groups, definition) in CENSUS_GROUPS.items():
        if column not in tables:
            raise SnaInputError(f"no Census 2021 {column} table was given", column=column,
                                fix="pass the tables of sna.io.census.read_census_tables()")
        table = tables[column]
        if wanted is not None:
            table = table[table["lsoa21_code"].isin(wanted)]
        chosen = table[column] != "White" if groups is None else table[column].isin(groups)
        rows.append((strand, float(table.loc[chosen, "n"].sum()), definition))
        if strand == "race":
            everyone = table.drop_duplicates("lsoa21_code")["total_residents"].sum()
            rows.append((ALL, float(everyone), "all usual residents (Census 2021 TS021 total)"))
    orientation = tables.get("sexual_orientation")
    chosen_councils = None
    if orientation is not None and wanted is None:
        chosen_councils = orientation["ltla24_code"].unique().tolist()
    elif orientation is not None and councils is not None:
        members = councils.groupby("ltla24_code")["lsoa21_code"].agg(set)
        whole = [code for code, lsoa_set in members.items() if lsoa_set <= wanted]
        if whole and set().union(*members[whole]) == wanted:
            chosen_councils = whole
    if chosen_councils is not None:
        table = orientation[orientation["ltla24_code"].isin(chosen_councils)]
        n = table.loc[table["sexual_orientation"].isin(SEXUAL_ORIENTATION_GROUPS), "n"].sum()
        rows.append(("sexual_orientation", float(n),
                     "residents aged 16+ who are gay or lesbian, bisexual or of another "
                     "minority sexual orientation (Census 2021 TS077, by council)"))
    return pd.DataFrame(rows, columns=["strand", "population", "population_definition"])


def indicative_rates(strand_counts: pd.DataFrame, census: pd.DataFrame,
                     *, multiplier: float = 1000,
                     years: float = 1.0, conf: float = 0.95) -> pd.DataFrame:
    """Indicative strand rates per 1,000 residents of the related Census group.

    Parameters
    ----------
    strand_counts : pandas.DataFrame
        ``strand`` and ``count`` columns, e.g. :func:`strand_counts` (flag rows per
        strand and the ``"all"`` offences row).
    census : pandas.DataFrame
        ``strand, population, population_definition`` (:func:`census_denominators`).
    multiplier : float, default 1000
        Rate per this many residents.
    years : float, default 1.0
        Length of the counting period in years; rates are per year.
    conf : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        ``strand, strand_label, count, population, population_definition, value,
        lower, upper, confidence, statistic, method, note``; strands with no Census
        denominator get missing rates and a note saying so.

    Notes
    -----
    *Indicative* only: a hate crime's victim need not belong to the group (hostility
    is what is recorded), and the denominators are Census 2021 residents, not the
    population at the time or visitors. Limits are those of
    :func:`sna.stats.rates.rate_ci` (exact Poisson below 10, Byars from 10).

    Examples
    --------
    >>> counts = pd.DataFrame({"strand": ["race", "transgender"], "count": [40, 5]})
    >>> census = pd.DataFrame({"strand": ["race"], "population": [20000.0],
    ...                        "population_definition": ["ethnic minority residents"]})
    >>> out = indicative_rates(counts, census)
    >>> out["value"].round(2).tolist()[0], out["note"].iloc[1]
    (2.0, 'no Census 2021 denominator for this strand')
    """
    for column in ("strand", "count"):
        if column not in strand_counts.columns:
            raise SnaInputError(f"strand_counts has no '{column}' column", column=column,
                                fix="pass the output of strand_counts()")
    if not years > 0:
        raise SnaInputError(f"years must be > 0, got {years!r}", column="years", value=years,
                            fix="give the counting period's length in years, e.g. 0.25")
    merged = strand_counts[["strand", "count"]].merge(census, on="strand", how="left")
    rates = rate_ci(merged["count"], merged["population"] * years, multiplier=multiplier, conf=conf)
    out = pd.concat([merged[["strand"]], rates.drop(columns=["denominator"]),
                     merged[["population", "population_definition"]]], axis=1)
    out.insert(1, "strand_label", out["strand"].map(strand_label))
    out["statistic"] = (f"indicative rate per {format_number(multiplier)} residents in the group"
                        + (" a year" if years == 1 else f" a year (over {years:g} years)"))
    out["note"] = np.where(out["population"].isna(), "no Census 2021 denominator for this strand",
                           "indicative: the victim need not belong to the group; Census 2021 "
                           "residents")
    columns = ["strand", "strand_label", "count", "population", "population_definition",
               "value", "lower", "upper", "confidence", "statistic", "method", "note"]
    return out[columns]
