"""Change between periods and seasonal trend of crime counts.

Every sentence a report writes about a rise or fall comes from
:func:`compare_periods` (two periods) or :func:`seasonal_trend` (a series),
and is worded by :func:`describe_change`, :func:`describe_trend`,
:func:`describe_seasonality` or :func:`describe_year_on_year`, which never
say "rose" or "fell" without the test's verdict. :func:`reconcile_totals`
checks a source's printed totals against the sum of its parts.
"""

from __future__ import annotations

import calendar
import math
import warnings
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize, stats
from statsmodels.stats import rates as sm_rates
from statsmodels.tsa.seasonal import STL

from sna.checks import check_conf, check_count, check_whole_number, require_columns
from sna.errors import SnaInputError
from sna.periods import financial_quarter_index, period_label, year_label

__all__ = [
    "DispersionCheck",
    "LikelihoodRatioTest",
    "PeriodComparison",
    "Reconciliation",
    "SeasonalTrend",
    "TrendEstimate",
    "compare_periods",
    "describe_change",
    "describe_seasonality",
    "describe_trend",
    "describe_year_on_year",
    "financial_quarter_series",
    "format_p",
    "reconcile_table",
    "reconcile_totals",
    "seasonal_trend",
]

TEST_NAME = "exact Poisson test"

DISPERSION_RATIO_LIMIT = 1.5
DISPERSION_ALPHA = 0.05
_LOG_ALPHA_BOUNDS = (math.log(1e-8), math.log(100.0))
DISPERSION_RULE = (
    "negative binomial (NB2, dispersion alpha by maximum likelihood) replaces Poisson when the "
    f"Poisson model's Pearson chi-square / residual df > {DISPERSION_RATIO_LIMIT} and the Pearson "
    f"chi-square test of dispersion gives p < {DISPERSION_ALPHA}"
)


# ---------------------------------------------------------------------------
# Two periods: exact conditional Poisson test
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodComparison:
    """Result of :func:`compare_periods`.

    Attributes
    ----------
    count_a, count_b : int
        Counts in the earlier (a) and later (b) period.
    exposure_a, exposure_b : float
        Exposures (population, days, or 1) of each period.
    change : int
        ``count_b - count_a``.
    change_pct : float
        Percentage change in count (NaN when ``count_a`` is 0).
    rate_ratio, rr_lower, rr_upper : float
        Rate ratio (b over a, per unit exposure) and its exact conditional CI.
    p_value : float
        Two-sided p-value of the exact conditional test.
    conf : float
        Confidence level of the interval; ``1 - conf`` is the test's alpha.
    verdict : str
        ``"increase"``, ``"decrease"`` or ``"no significant change"``.
    test : str
        Name of the test, for sentences.
    """

    count_a: int
    count_b: int
    exposure_a: float
    exposure_b: float
    change: int
    change_pct: float
    rate_ratio: float
    rr_lower: float
    rr_upper: float
    p_value: float
    conf: float
    verdict: str
    test: str = TEST_NAME

    def to_dict(self) -> dict:
        """Return the fields as a plain dict (for tables)."""
        return asdict(self)

    @property
    def ci_agrees_with_test(self) -> bool:
        """Whether the interval excludes 1 exactly when the test is significant.

        The p-value (binomial "minimum likelihood" two-sided test) and the
        Clopper-Pearson interval are not exact duals when the exposures
        differ, so in rare borderline cases one says "significant" and the
        other does not. :func:`describe_change` then says so.
        """
        if math.isnan(self.rate_ratio):
            return True
        excludes_one = self.rr_lower > 1 or self.rr_upper < 1
        return excludes_one == (self.verdict != "no significant change")


def compare_periods(
    count_a: int,
    count_b: int,
    exposure_a: float = 1,
    exposure_b: float = 1,
    conf: float = 0.95,
) -> PeriodComparison:
    r"""Compare two Poisson counts with the exact conditional test.

    Conditional on the total :math:`n = a + b`, the later count is
    :math:`b \sim \mathrm{Binomial}(n, \pi_0)` under no change, with
    :math:`\pi_0 = e_b / (e_a + e_b)`. The two-sided p-value is that of
    statsmodels ``test_poisson_2indep(method="exact-cond")`` (the same as
    ``scipy.stats.binomtest(b, n, pi_0)``); the rate-ratio interval maps the
    Clopper-Pearson interval :math:`(\pi_L, \pi_U)` of :math:`b/n` to
    :math:`RR = \frac{\pi}{1-\pi}\frac{e_a}{e_b}`.

    Parameters
    ----------
    count_a, count_b : int
        Counts in the earlier and the later period (>= 0).
    exposure_a, exposure_b : float, default 1
        Exposure of each period (population, or number of days); > 0.
    conf : float, default 0.95
        Confidence level, in [0.9, 1); the test's alpha is ``1 - conf``.

    Returns
    -------
    PeriodComparison
        With ``p_value = 1`` and NaN ratio when both counts are 0, and an
        infinite ratio (upper limit) when only ``count_a`` is 0.

    Raises
    ------
    SnaInputError
        Negative or non-integer counts, non-positive exposures, conf out of range.

    See Also
    --------
    describe_change : the sentence for a report.

    Examples
    --------
    >>> r = compare_periods(6346, 6387)
    >>> r.verdict, round(r.change_pct, 1), round(r.p_value, 2)
    ('no significant change', 0.6, 0.72)
    """
    a = check_count(count_a, "count_a")
    b = check_count(count_b, "count_b")
    for name, e in (("exposure_a", exposure_a), ("exposure_b", exposure_b)):
        if not e > 0:
            raise SnaInputError(f"{name} must be greater than zero, got {e!r}",
                                fix="pass a positive population or period length",
                                column=name, value=e)
    check_conf(conf)
    n = a + b
    change_pct = (b - a) / a * 100 if a > 0 else float("nan")
    if n == 0:
        return PeriodComparison(a, b, exposure_a, exposure_b, 0, change_pct, float("nan"),
                                float("nan"), float("nan"), 1.0, conf, "no significant change")
    with np.errstate(divide="ignore"):
        test = sm_rates.test_poisson_2indep(b, exposure_b, a, exposure_a, method="exact-cond")
    p_value = float(test.pvalue)
    ci = stats.binomtest(b, n).proportion_ci(confidence_level=conf, method="exact")
    scale = exposure_a / exposure_b
    rr = (b / exposure_b) / (a / exposure_a) if a > 0 else float("inf")
    lower = ci.low / (1 - ci.low) * scale if ci.low < 1 else float("inf")
    upper = ci.high / (1 - ci.high) * scale if ci.high < 1 else float("inf")
    significant = p_value < 1 - conf
    verdict = "no significant change"
    if significant:
        verdict = "increase" if rr > 1 else "decrease"
    return PeriodComparison(a, b, exposure_a, exposure_b, b - a, change_pct, rr, lower, upper,
                            min(p_value, 1.0), conf, verdict)


# ---------------------------------------------------------------------------
# Printed totals against the sum of their parts
# ---------------------------------------------------------------------------


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
    label: str = "total",
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
        sentence = (f"The printed {label} total ({_fmt_number(total)}) cannot be checked: "
                    f"{n_missing} of its {len(values)} parts are missing.")
        return Reconciliation(label, float("nan"), float(total), float("nan"), None, sentence)
    parts_sum = float(values.sum())
    difference = float(total) - parts_sum
    matches = abs(difference) <= tolerance
    if matches:
        sentence = (f"The printed {label} total ({_fmt_number(total)}) matches the sum of its "
                    f"parts ({_fmt_number(parts_sum)}).")
    else:
        more_less = "more" if difference > 0 else "less"
        sentence = (f"The printed {label} total ({_fmt_number(total)}) is "
                    f"{_fmt_number(abs(difference))} {more_less} than the sum of its parts "
                    f"({_fmt_number(parts_sum)}).")
    return Reconciliation(label, parts_sum, float(total), difference, matches, sentence)


def reconcile_table(
    frame: pd.DataFrame,
    part_column: str,
    total_column: str,
    by: str,
    tolerance: float = 0,
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


# ---------------------------------------------------------------------------
# Quarterly series and seasons (periods and their labels: sna.periods)
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Series validation
# ---------------------------------------------------------------------------


def _complete_series(counts: pd.Series) -> tuple[pd.Series, int]:
    """Validate counts and reindex them onto every period from first to last."""
    if not isinstance(counts, pd.Series):
        raise SnaInputError(f"counts must be a pandas Series, got {type(counts).__name__}",
                            fix="pass a Series of counts indexed by month or quarter",
                            column="counts")
    if not isinstance(counts.index, pd.PeriodIndex):
        raise SnaInputError("counts must have a PeriodIndex",
                            fix="convert with counts.index = counts.index.to_period('M') "
                                "(or 'Q-MAR' for financial quarters)", column="index")
    per_year = _periods_per_year(counts.index)
    if counts.empty:
        raise SnaInputError("counts is empty", fix="pass at least two years of counts",
                            column="counts")
    if counts.index.has_duplicates:
        repeated = sorted({period_label(p) for p in counts.index[counts.index.duplicated()]})
        raise SnaInputError(f"periods appear more than once: {repeated}",
                            fix="aggregate to one count per period first", column="index",
                            value=repeated)
    values = pd.to_numeric(counts, errors="coerce").astype(float)
    bad = counts.notna() & (values.isna() | (values < 0) | (values != np.floor(values)))
    if bad.any():
        first = counts[bad].index[0]
        raise SnaInputError(f"count for {period_label(first)} is {counts[bad].iloc[0]!r}, "
                            "not a whole number >= 0", fix="counts must be whole numbers; "
                            "use NaN for a period with no data", column="counts",
                            value=counts[bad].iloc[0])
    full_index = pd.period_range(counts.index.min(), counts.index.max(), freq=counts.index.freq)
    return values.sort_index().reindex(full_index), per_year


def _exposure_series(offset: pd.Series | float | None, index: pd.PeriodIndex) -> pd.Series:
    if offset is None:
        return pd.Series(1.0, index=index)
    if not isinstance(offset, pd.Series):
        if not (isinstance(offset, int | float) and offset > 0):
            raise SnaInputError(f"offset must be a positive number or a Series, got {offset!r}",
                                fix="pass the population of each period as a Series with the "
                                    "same PeriodIndex as the counts", column="offset",
                                value=offset)
        return pd.Series(float(offset), index=index)
    if not (isinstance(offset.index, pd.PeriodIndex) and offset.index.freq == index.freq):
        raise SnaInputError("offset's index is not a PeriodIndex of the counts' frequency "
                            f"({index.freqstr})", fix="index the populations by the same "
                            "periods as the counts", column="offset")
    exposure = pd.to_numeric(offset, errors="coerce").astype(float)
    exposure = exposure[~exposure.index.duplicated()].reindex(index)
    if (exposure <= 0).any():
        raise SnaInputError("offset has values <= 0",
                            fix="pass the population (not its log) of each period; all > 0",
                            column="offset", value=float(exposure[exposure <= 0].iloc[0]))
    return exposure


# ---------------------------------------------------------------------------
# Seasonal trend
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DispersionCheck:
    """The over-dispersion check that chooses Poisson or negative binomial.

    Attributes
    ----------
    pearson_chi2, df_resid, ratio : float
        Pearson chi-square of the Poisson model, its residual df, and their ratio.
    p_value : float
        Upper tail of chi-square(df_resid) at ``pearson_chi2``.
    switched_to_nb : bool
        Whether the rule fired.
    rule : str
        The rule, in words.
    """

    pearson_chi2: float
    df_resid: float
    ratio: float
    p_value: float
    switched_to_nb: bool
    rule: str = DISPERSION_RULE


@dataclass(frozen=True)
class TrendEstimate:
    """Linear trend on the log scale: rate ratio per year, after season."""

    rate_ratio_per_year: float
    lower: float
    upper: float
    p_value: float
    conf: float
    test: str

    @property
    def pct_per_year(self) -> float:
        """Percentage change per year, ``(rate_ratio_per_year - 1) * 100``."""
        return (self.rate_ratio_per_year - 1) * 100

    @property
    def verdict(self) -> str:
        """``"increase"``, ``"decrease"`` or ``"no significant change"``."""
        if not self.p_value < 1 - self.conf:
            return "no significant change"
        return "increase" if self.rate_ratio_per_year > 1 else "decrease"


@dataclass(frozen=True)
class LikelihoodRatioTest:
    """Likelihood-ratio test of the model with season terms against one without.

    Attributes
    ----------
    statistic : float
        Likelihood-ratio statistic: the drop in deviance when the season
        terms are added (NB: both models at the full model's alpha).
    df : int
        Number of season terms tested (seasons - 1).
    scale : float
        Residual dispersion (Pearson chi-square / df) of the full model.
    df_resid : float
        Residual df of the full model.
    f_statistic : float
        ``statistic / df / scale``.
    p_value : float
        From F(df, df_resid): the test's verdict, allowing for residual
        dispersion and few periods.
    chi2_p_value : float
        From chi-square(df), ignoring residual dispersion; for reference only
        (too small when there are few periods or extra variation).
    test : str
        Name, for sentences.
    """

    statistic: float
    df: int
    scale: float
    df_resid: float
    f_statistic: float
    p_value: float
    chi2_p_value: float
    test: str = "likelihood-ratio F test"


@dataclass(frozen=True)
class SeasonalTrend:
    """Result of :func:`seasonal_trend`.

    Attributes
    ----------
    counts : Series
        The counts on every period from first to last; NaN where there is no data.
    periods_per_year : int
        12 (months) or 4 (quarters).
    missing_periods : list of str
        Labels of periods with no data (NaN or absent), left out of the model.
    stl : DataFrame or None
        STL decomposition (columns observed, trend, seasonal, resid), or None.
    stl_message : str
        How the STL was made, or why it was not.
    model : str
        ``"Poisson GLM"`` or ``"negative binomial GLM (NB2)"``.
    nb_alpha : float
        NB2 dispersion (variance = mu + alpha mu^2); NaN for Poisson.
    dispersion : DispersionCheck
        The check that chose the model.
    seasonal_indices : DataFrame
        season, index, lower, upper, p_value: rate ratio of each season
        against the average season (geometric mean of the indices is 1).
    trend : TrendEstimate
        Rate ratio per year with CI and Wald p-value.
    seasonality_test : LikelihoodRatioTest
        Season terms against none.
    year_on_year : DataFrame
        Each period against the same period a year before: the fields of
        :func:`compare_periods` (exact Poisson test), plus
        ``p_value_extra_variation`` and ``verdict_extra_variation``, a Wald
        test of the log rate ratio whose variance allows for the model's
        extra-Poisson variation (``var(log T) = phi (T + alpha sum y_i^2) / T^2``,
        phi floored at 1). Where the two verdicts differ, the change is within
        the series' usual quarter-to-quarter (or month-to-month) variation.
    annual : DataFrame
        Year totals (complete years only compared) against the year before,
        with the same columns.
    fitted : DataFrame
        observed, expected, pi_lower, pi_upper, outside per period with data.
    forecast : DataFrame
        expected with CI of the mean and prediction interval, per future period.
    scale : float
        Residual dispersion (Pearson chi-square / df) of the model, used to
        widen every interval and test.
    conf : float
        Confidence level of every interval and test.
    notes : list of str
        What was done to the data and why.
    """

    counts: pd.Series
    periods_per_year: int
    missing_periods: list[str]
    stl: pd.DataFrame | None
    stl_message: str
    model: str
    nb_alpha: float
    dispersion: DispersionCheck
    seasonal_indices: pd.DataFrame
    trend: TrendEstimate
    seasonality_test: LikelihoodRatioTest
    year_on_year: pd.DataFrame
    annual: pd.DataFrame
    fitted: pd.DataFrame
    forecast: pd.DataFrame
    scale: float
    conf: float
    notes: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> pd.DataFrame:
        """Periods whose count is outside the model's prediction interval."""
        return self.fitted[self.fitted["outside"]]


def _stl_frame(counts: pd.Series, per_year: int, missing: list[str]) -> tuple:
    if missing:
        return None, (f"No STL decomposition: STL needs a series without gaps and "
                      f"{len(missing)} period(s) have no data ({', '.join(missing)}).")
    if len(counts) < 2 * per_year:
        return None, (f"No STL decomposition: it needs at least two full cycles "
                      f"({2 * per_year} periods) and the series has {len(counts)}.")
    fit = STL(counts.to_numpy(), period=per_year).fit()
    frame = pd.DataFrame({"observed": fit.observed, "trend": fit.trend,
                          "seasonal": fit.seasonal, "resid": fit.resid}, index=counts.index)
    return frame, (f"STL decomposition (statsmodels STL, period {per_year}, seasonal smoother "
                   "7, not robust) of the counts.")


def _design(periods: pd.PeriodIndex, origin: int, per_year: int, seasons: bool) -> np.ndarray:
    """Intercept, years since the first period, and effect-coded seasons."""
    years = (periods.asi8 - origin) / per_year
    columns = [np.ones(len(periods)), years]
    if seasons:
        season = np.array([_season_number(p) for p in periods])
        for number in range(1, per_year):
            columns.append((season == number).astype(float) - (season == per_year))
    return np.column_stack(columns)


def _glm(y: np.ndarray, exog: np.ndarray, log_offset: np.ndarray, alpha: float | None,
         scaled: bool = False):
    """Poisson (alpha None) or NB2 GLM; ``scaled`` estimates the Pearson scale, with t tests."""
    family = sm.families.Poisson() if alpha is None else sm.families.NegativeBinomial(alpha=alpha)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = sm.GLM(y, exog, family=family, offset=log_offset)
        return model.fit(scale="X2", use_t=True) if scaled else model.fit()


def _nb_alpha(y: np.ndarray, exog: np.ndarray, log_offset: np.ndarray) -> tuple[float, bool]:
    """Maximum-likelihood NB2 alpha: maximise the GLM's profile log-likelihood over log(alpha)."""
    def negative_llf(log_alpha: float) -> float:
        return -_glm(y, exog, log_offset, math.exp(log_alpha)).llf

    found = optimize.minimize_scalar(negative_llf, bounds=_LOG_ALPHA_BOUNDS, method="bounded",
                                     options={"xatol": 1e-7})
    return math.exp(found.x), bool(found.success)


def _dispersion_check(poisson_results) -> DispersionCheck:
    chi2 = float(poisson_results.pearson_chi2)
    df = float(poisson_results.df_resid)
    ratio = chi2 / df
    p_value = float(stats.chi2.sf(chi2, df))
    fired = ratio > DISPERSION_RATIO_LIMIT and p_value < DISPERSION_ALPHA
    return DispersionCheck(chi2, df, ratio, p_value, fired)


def _seasonality_test(full, reduced, n_terms: int) -> LikelihoodRatioTest:
    statistic = max(float(reduced.deviance - full.deviance), 0.0)
    scale, df_resid = float(full.scale), float(full.df_resid)
    f_statistic = statistic / n_terms / scale
    return LikelihoodRatioTest(statistic, n_terms, scale, df_resid, f_statistic,
                               float(stats.f.sf(f_statistic, n_terms, df_resid)),
                               float(stats.chi2.sf(statistic, n_terms)))


def _seasonal_indices(results, per_year: int, conf: float) -> pd.DataFrame:
    """Exponentiate each season's effect (effect coding: last = minus the sum of the others)."""
    contrast = np.vstack([np.eye(per_year - 1), -np.ones(per_year - 1)])
    beta = np.asarray(results.params)[2:]
    cov = np.asarray(results.cov_params())[2:, 2:]
    effect = contrast @ beta
    se = np.sqrt(np.diag(contrast @ cov @ contrast.T))
    t_crit = stats.t.ppf(0.5 + conf / 2, results.df_resid)
    return pd.DataFrame({
        "season": [_season_name(n, per_year) for n in range(1, per_year + 1)],
        "index": np.exp(effect), "lower": np.exp(effect - t_crit * se),
        "upper": np.exp(effect + t_crit * se),
        "p_value": 2 * stats.t.sf(np.abs(effect / se), results.df_resid),
    })


def _trend_estimate(results, conf: float, model: str) -> TrendEstimate:
    beta = float(results.params[1])
    se = float(results.bse[1])
    t_crit = stats.t.ppf(0.5 + conf / 2, results.df_resid)
    p_value = float(2 * stats.t.sf(abs(beta / se), results.df_resid))
    return TrendEstimate(math.exp(beta), math.exp(beta - t_crit * se),
                         math.exp(beta + t_crit * se), p_value, conf,
                         f"t test in the {model}")


def _count_interval(mean: np.ndarray, alpha_nb: float, scale: float, conf: float,
                    mean_variance: np.ndarray | float = 0.0) -> tuple:
    """Central interval of a new count at ``mean`` with variance ``scale V(mean) + mean_variance``.

    ``V(mu) = mu + alpha mu^2`` (alpha 0 for Poisson); ``mean_variance`` adds
    the uncertainty of the estimated mean (forecasts). A negative binomial
    with that variance is used; a Poisson when the variance is <= the mean.
    """
    mean = np.asarray(mean, dtype=float)
    alpha = 0.0 if math.isnan(alpha_nb) else alpha_nb
    variance = scale * (mean + alpha * mean**2) + mean_variance
    matched = np.maximum((variance - mean) / mean**2, 0.0)
    size = 1 / np.where(matched > 0, matched, np.nan)
    bounds = []
    for q in ((1 - conf) / 2, 0.5 + conf / 2):
        nb_bound = stats.nbinom.ppf(q, size, size / (size + mean))
        bounds.append(np.where(matched > 0, nb_bound, stats.poisson.ppf(q, mean)))
    return tuple(bounds)


def _fitted_frame(observed: pd.Series, expected: np.ndarray, alpha_nb: float, scale: float,
                  conf: float) -> pd.DataFrame:
    lower, upper = _count_interval(expected, alpha_nb, scale, conf)
    frame = pd.DataFrame({"period": [period_label(p) for p in observed.index],
                          "observed": observed.to_numpy(), "expected": expected,
                          "pi_lower": lower, "pi_upper": upper}, index=observed.index)
    frame["outside"] = (frame["observed"] < frame["pi_lower"]) | (
        frame["observed"] > frame["pi_upper"])
    return frame


def _forecast_frame(results, last: pd.Period, horizon: int, origin: int, per_year: int,
                    log_exposure: float, alpha_nb: float, conf: float) -> pd.DataFrame:
    future = pd.period_range(last + 1, periods=horizon, freq=last.freq)
    exog = _design(future, origin, per_year, seasons=True)
    prediction = results.get_prediction(exog, offset=np.full(horizon, log_exposure))
    summary = prediction.summary_frame(alpha=1 - conf)
    lower, upper = _count_interval(summary["mean"].to_numpy(), alpha_nb, results.scale, conf,
                                   summary["mean_se"].to_numpy() ** 2)
    return pd.DataFrame({"period": [period_label(p) for p in future],
                         "expected": summary["mean"].to_numpy(),
                         "mean_lower": summary["mean_ci_lower"].to_numpy(),
                         "mean_upper": summary["mean_ci_upper"].to_numpy(),
                         "pi_lower": lower, "pi_upper": upper}, index=future)


@dataclass(frozen=True)
class _Variation:
    """What the model says about variation beyond Poisson, for the comparison tables."""

    scale: float
    alpha: float
    conf: float


def _extra_variation_p(parts_a: np.ndarray, parts_b: np.ndarray, exposure_a: float,
                       exposure_b: float, variation: _Variation) -> float:
    """Two-sided Wald p of log(rate b / rate a) with the model's extra-Poisson variance.

    Each total ``T = sum(y_i)`` gets ``var(log T) = phi (T + alpha sum(y_i^2)) / T^2``
    (counts as plug-in means, ``phi`` floored at 1), so the test is never
    more liberal than Poisson.
    """
    total_a, total_b = float(np.sum(parts_a)), float(np.sum(parts_b))
    if total_a == 0 or total_b == 0:
        return float("nan")
    phi = max(variation.scale, 1.0)
    alpha = 0.0 if math.isnan(variation.alpha) else variation.alpha
    variance = sum(phi * (total + alpha * float(np.sum(np.square(parts)))) / total**2
                   for total, parts in ((total_a, parts_a), (total_b, parts_b)))
    log_ratio = math.log(total_b / exposure_b) - math.log(total_a / exposure_a)
    return float(2 * stats.norm.sf(abs(log_ratio) / math.sqrt(variance)))


def _comparison_row(label_a: str, label_b: str, comparison: PeriodComparison,
                    extra_p: float) -> dict:
    row = {"period_a": label_a, "period_b": label_b}
    row.update(comparison.to_dict())
    verdict = "no significant change"
    if extra_p < 1 - comparison.conf:
        verdict = "increase" if comparison.rate_ratio > 1 else "decrease"
    row.update(p_value_extra_variation=extra_p, verdict_extra_variation=verdict)
    return row


def _comparison_columns() -> list[str]:
    return ["period_a", "period_b", *PeriodComparison.__dataclass_fields__,
            "p_value_extra_variation", "verdict_extra_variation"]


def _year_on_year(counts: pd.Series, exposure: pd.Series, per_year: int,
                  variation: _Variation) -> pd.DataFrame:
    rows = []
    for period in counts.index[per_year:]:
        before = period - per_year
        pair = counts[[before, period]]
        weights = exposure[[before, period]]
        if pair.isna().any() or weights.isna().any():
            continue
        comparison = compare_periods(pair.iloc[0], pair.iloc[1], weights.iloc[0],
                                     weights.iloc[1], variation.conf)
        extra_p = _extra_variation_p(pair.to_numpy()[:1], pair.to_numpy()[1:], weights.iloc[0],
                                     weights.iloc[1], variation)
        rows.append(_comparison_row(period_label(before), period_label(period), comparison,
                                    extra_p))
    return pd.DataFrame(rows, columns=_comparison_columns())


def _annual(counts: pd.Series, exposure: pd.Series, per_year: int, year_start_month: int,
            variation: _Variation) -> pd.DataFrame:
    """Totals per year; consecutive complete years compared with compare_periods."""
    years = pd.Series([year_label(p, year_start_month) for p in counts.index], index=counts.index)
    usable = counts.notna() & exposure.notna()
    table = pd.DataFrame({"year": years, "count": counts.where(usable),
                          "exposure": exposure.where(usable), "has_data": usable})
    totals = table.groupby("year", sort=False).agg(
        periods_with_data=("has_data", "sum"), total=("count", "sum"),
        exposure=("exposure", "sum")).reset_index()
    totals["complete"] = totals["periods_with_data"] == per_year
    rows = []
    for previous, current in zip(totals.index[:-1], totals.index[1:], strict=True):
        pair = totals.loc[[previous, current]]
        if not pair["complete"].all():
            continue
        comparison = compare_periods(pair["total"].iloc[0], pair["total"].iloc[1],
                                     pair["exposure"].iloc[0], pair["exposure"].iloc[1],
                                     variation.conf)
        parts = [table.loc[table["year"] == year, "count"].to_numpy() for year in pair["year"]]
        extra_p = _extra_variation_p(parts[0], parts[1], pair["exposure"].iloc[0],
                                     pair["exposure"].iloc[1], variation)
        rows.append(_comparison_row(pair["year"].iloc[0], pair["year"].iloc[1], comparison,
                                    extra_p))
    comparisons = pd.DataFrame(rows, columns=_comparison_columns())
    return totals.merge(comparisons, how="left", left_on="year", right_on="period_b").drop(
        columns=["period_b"]).rename(columns={"period_a": "compared_with"})


def _check_series_fits(used: pd.Series, per_year: int) -> None:
    present = {_season_number(p) for p in used.index}
    absent = [_season_name(n, per_year) for n in range(1, per_year + 1) if n not in present]
    if absent or len(used) < per_year + 2:
        raise SnaInputError(
            f"the series has {len(used)} periods with data"
            + (f" and none for {', '.join(absent)}" if absent else "")
            + f"; a seasonal model needs every season and at least {per_year + 2} periods",
            fix="use a longer series, or quarters instead of months", column="counts")
    totals = used.groupby([_season_number(p) for p in used.index]).sum()
    if (totals == 0).any():
        zero = [_season_name(n, per_year) for n in totals.index[totals == 0]]
        raise SnaInputError(f"no crimes at all in {', '.join(zero)}, so its seasonal index "
                            "cannot be estimated",
                            fix="use a longer series, or quarters instead of months",
                            column="counts")


def _check_options(conf: float, forecast_periods: int, year_start_month: int | None) -> None:
    check_conf(conf)
    check_whole_number(forecast_periods, "forecast_periods", minimum=0)
    if year_start_month is not None and year_start_month not in range(1, 13):
        raise SnaInputError(f"year_start_month must be 1 to 12, got {year_start_month!r}",
                            fix="use 1 for calendar years or 4 for financial years",
                            column="year_start_month", value=year_start_month)


def _missing_note(missing: list[str], no_exposure: list[str]) -> list[str]:
    notes = []
    if missing:
        notes.append(f"{len(missing)} period(s) have no data and were left out of the model "
                     f"and comparisons (not treated as zero): {', '.join(missing)}.")
    if no_exposure:
        notes.append(f"{len(no_exposure)} period(s) have a count but no offset and were left "
                     f"out: {', '.join(no_exposure)}.")
    return notes


def seasonal_trend(
    counts: pd.Series,
    *,
    offset: pd.Series | float | None = None,
    conf: float = 0.95,
    forecast_periods: int = 4,
    year_start_month: int | None = None,
) -> SeasonalTrend:
    r"""Seasonal pattern, trend, year-on-year change and unusual periods of a count series.

    A log-linear count model with effect-coded season terms and a linear
    trend in years is fitted to the periods with data:

    .. math:: \log \mu_t = \log E_t + \beta_0 + \beta_1 \, \mathrm{years}_t + s_{m(t)},
              \qquad \textstyle\sum_m s_m = 0

    where :math:`E_t` is the optional exposure (``offset``). The seasonal
    index of season :math:`m` is :math:`\exp(s_m)`, the rate in that season
    relative to the average season (the geometric mean of the indices is 1;
    its CI uses the covariance of the effect-coded coefficients). The trend is
    :math:`\exp(\beta_1)`, the rate ratio per year.

    Over-dispersion rule: a Poisson GLM is fitted first; the model switches
    to a negative binomial GLM (NB2, variance :math:`V(\mu) = \mu + \alpha\mu^2`,
    :math:`\alpha` by maximum likelihood: the GLM's profile log-likelihood
    maximised over :math:`\log\alpha` with scipy) when Pearson
    :math:`\chi^2/\mathrm{df} > 1.5` **and** the Pearson :math:`\chi^2` test of
    dispersion gives :math:`p < 0.05`.

    Small-sample honesty: every interval and test then also allows for the
    residual dispersion :math:`\phi` (Pearson :math:`\chi^2/\mathrm{df}` of the
    chosen model; statsmodels ``fit(scale="X2")``), with t and F
    distributions on the residual df. Without it, a 12-quarter series with
    real extra variation gets "significant" seasonality or trend 14-20% of
    the time at the 5% level (the dispersion test often misses it on 7 df,
    and alpha's ML estimate is biased low); with it, about 3-7% (simulations
    of 12-quarter and 24- and 48-month series).

    Parameters
    ----------
    counts : Series
        Counts with a monthly (``"M"``) or quarterly (``"Q"``, ``"Q-MAR"`` for
        financial quarters; see :func:`financial_quarter_index`) PeriodIndex.
        NaN, or a period absent from the index, means "no data": such periods
        are left out of every fit and comparison (never treated as zero) and
        listed in ``missing_periods``.
    offset : Series or float, optional
        Exposure per period (e.g. population; the model uses its log), with
        the counts' PeriodIndex. For monthly counts, ``counts.index.days_in_month``
        (as a Series) makes February's shortness part of the exposure rather
        than of the season. A forecast uses the last known exposure.
    conf : float, default 0.95
        Level of every interval; tests use alpha ``1 - conf``.
    forecast_periods : int, default 4
        Number of periods to forecast after the last one.
    year_start_month : {1, ..., 12}, optional
        For monthly series, the month a year starts in for the annual table
        (default 1, calendar years; 4 gives financial years). Quarterly
        series use the years of their own frequency (``Q-MAR``: financial).

    Returns
    -------
    SeasonalTrend

    Raises
    ------
    SnaInputError
        Not a Series with a monthly or quarterly PeriodIndex; negative or
        fractional counts; duplicated periods; too few periods or a season
        with no data or no crimes; bad ``offset``, ``conf`` or options.

    Notes
    -----
    STL (statsmodels ``STL``, period 12 or 4 from the index) is given only for
    a gap-free series of at least two full cycles. The seasonality test is a
    likelihood-ratio test of the model against one without season terms
    (same family and :math:`\alpha`): :math:`LR = D_0 - D_1` (drop in
    deviance) on :math:`k = ` ``periods_per_year - 1`` df, judged as
    :math:`F = LR / (k\phi)` on :math:`(k, \mathrm{df}_{resid})` df; the
    unscaled chi-square p is kept for reference. The trend and the seasonal
    indices use t tests and t intervals with standard errors scaled by
    :math:`\sqrt\phi`.
    A period is flagged when its count lies outside the central ``conf``
    interval of a count distribution at its fitted mean with variance
    :math:`\phi V(\mu)` (negative binomial with that variance, or Poisson
    when it is not above the mean); parameter uncertainty is not added, and
    the period is part of the fit, so flags are conservative (in simulations
    of ordinary series 0-2% of periods were flagged at 95%). Forecast
    prediction intervals are made the same way with the variance of the
    estimated mean added (delta method, ``mean_se**2``), so they contain the
    CI of the mean, given separately.

    References
    ----------
    Cleveland, R. B. et al. (1990). STL: A seasonal-trend decomposition
    procedure based on loess. Journal of Official Statistics 6(1), 3-73.

    Examples
    --------
    >>> counts = pd.Series([1420, 1615, 1424, 1307, 1523, 1660, 1625, 1538,
    ...                     1573, 1778, 1501, 1435],
    ...                    index=pd.period_range("2021Q1", periods=12, freq="Q-MAR"))
    >>> result = seasonal_trend(counts)
    >>> result.model, result.dispersion.switched_to_nb
    ('negative binomial GLM (NB2)', True)
    >>> peak = result.seasonal_indices.iloc[1]
    >>> str(peak["season"]), round(float(peak["index"]), 3)
    ('Q2', 1.106)
    """
    _check_options(conf, forecast_periods, year_start_month)
    full, per_year = _complete_series(counts)
    exposure = _exposure_series(offset, full.index)
    missing = [period_label(p) for p in full.index[full.isna()]]
    no_exposure = [period_label(p) for p in full.index[full.notna() & exposure.isna()]]
    used = full[full.notna() & exposure.notna()]
    _check_series_fits(used, per_year)
    origin = int(full.index[0].ordinal)
    y = used.to_numpy()
    log_offset = np.log(exposure[used.index].to_numpy())
    full_exog = _design(used.index, origin, per_year, seasons=True)
    dispersion = _dispersion_check(_glm(y, full_exog, log_offset, None))
    alpha_nb, converged = (_nb_alpha(y, full_exog, log_offset)
                           if dispersion.switched_to_nb else (float("nan"), True))
    model = "negative binomial GLM (NB2)" if dispersion.switched_to_nb else "Poisson GLM"
    glm_alpha = None if math.isnan(alpha_nb) else alpha_nb
    results = _glm(y, full_exog, log_offset, glm_alpha, scaled=True)
    reduced = _glm(y, full_exog[:, :2], log_offset, glm_alpha, scaled=True)
    lrt = _seasonality_test(results, reduced, per_year - 1)
    stl, stl_message = _stl_frame(full, per_year, missing)
    variation = _Variation(float(results.scale), alpha_nb, conf)
    year_on_year = _year_on_year(full, exposure, per_year, variation)
    notes = _missing_note(missing, no_exposure) + _model_notes(
        dispersion, alpha_nb, converged, results, year_on_year, conf)
    return SeasonalTrend(
        counts=full, periods_per_year=per_year, missing_periods=missing, stl=stl,
        stl_message=stl_message, model=model, nb_alpha=alpha_nb, dispersion=dispersion,
        seasonal_indices=_seasonal_indices(results, per_year, conf),
        trend=_trend_estimate(results, conf, model), seasonality_test=lrt,
        year_on_year=year_on_year,
        annual=_annual(full, exposure, per_year, year_start_month or 1, variation),
        fitted=_fitted_frame(used, np.asarray(results.fittedvalues), alpha_nb, results.scale,
                             conf),
        forecast=_forecast_frame(results, full.index[-1], forecast_periods, origin, per_year,
                                 float(np.log(exposure.dropna().iloc[-1])), alpha_nb, conf),
        scale=float(results.scale), conf=conf, notes=notes)


def _model_notes(dispersion: DispersionCheck, alpha_nb: float, converged: bool, results,
                 year_on_year: pd.DataFrame, conf: float) -> list[str]:
    check = (f"Over-dispersion check: Pearson chi-square / df = {dispersion.ratio:.2f} "
             f"(p {_fmt_p(dispersion.p_value, with_equals=False)}), ")
    if dispersion.switched_to_nb:
        notes = [check + f"so a negative binomial model was used (NB2 alpha = {alpha_nb:.3g})."]
    else:
        notes = [check + "so the Poisson model was kept."]
    notes.append(f"Intervals and tests allow for the residual dispersion of that model "
                 f"(Pearson chi-square / df = {results.scale:.2f}, t and F tests on "
                 f"{results.df_resid:g} residual df).")
    if not converged:
        notes.append("The estimate of the negative binomial alpha did not converge: treat the "
                     "intervals with caution.")
    n_comparisons = len(year_on_year)
    if n_comparisons > 1:
        notes.append(f"{n_comparisons} year-on-year comparisons were tested at the "
                     f"{1 - conf:g} level: about {n_comparisons * (1 - conf):.1f} of them would "
                     "be 'significant' by chance alone if nothing had changed.")
    differ = ((year_on_year["verdict"] != "no significant change")
              & (year_on_year["verdict_extra_variation"] == "no significant change"))
    if differ.any():
        notes.append(f"{int(differ.sum())} of the year-on-year changes called significant by "
                     "the exact Poisson test are within the series' usual extra-Poisson "
                     "variation (verdict_extra_variation): "
                     + ", ".join(f"{a} to {b}" for a, b in zip(
                         year_on_year.loc[differ, "period_a"], year_on_year.loc[differ, "period_b"],
                         strict=True)) + ".")
    return notes


# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------


def _fmt_number(value: float) -> str:
    """Whole numbers with thousands separators; others to one decimal."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _fmt_p(p_value: float, alpha: float = 0.05, with_equals: bool = True) -> str:
    """``p < 0.001``, else 2 decimals (3 below 0.1), never rounding across ``alpha``."""
    if p_value < 0.001:
        return "p < 0.001" if with_equals else "< 0.001"
    decimals = 2 if p_value >= 0.1 else 3
    while decimals < 6 and (p_value < alpha) != (round(p_value, decimals) < alpha):
        decimals += 1
    text = f"{p_value:.{decimals}f}"
    return f"p = {text}" if with_equals else f"= {text}"


def format_p(p_value: float, alpha: float = 0.05, with_equals: bool = True) -> str:
    """Format a p-value: the project's one p-value formatter (see :mod:`sna.reports.wording`).

    Parameters
    ----------
    p_value : float
        The p-value.
    alpha : float, default 0.05
        Significance level: the rounding never moves p across it, so a p-value of
        0.0496 is never printed "0.05" beside "significant".
    with_equals : bool, default True
        ``"p = 0.72"``; with False just ``"0.72"`` (or ``"< 0.001"``), for a table column.

    Returns
    -------
    str
        ``"p < 0.001"`` below 0.001; otherwise ``"p = "`` and 3 decimals below
        0.1 or 2 decimals above, with more decimals if rounding would cross ``alpha``.

    Examples
    --------
    >>> format_p(0.7213), format_p(0.0042), format_p(0.0004), format_p(0.04996)
    ('p = 0.72', 'p = 0.004', 'p < 0.001', 'p = 0.04996')
    >>> format_p(0.0496), format_p(0.0496, with_equals=False), format_p(0.0002, with_equals=False)
    ('p = 0.0496', '0.0496', '< 0.001')
    """
    text = _fmt_p(p_value, alpha, with_equals)
    return text if with_equals else text.removeprefix("= ")


def _fmt_ratio_ci(ratio: float, lower: float, upper: float) -> tuple[str, str, str]:
    """Ratio and CI to 2 decimals, more if rounding would hide that the CI excludes 1."""
    decimals = 2
    while decimals < 5 and ((lower > 1 and round(lower, decimals) <= 1)
                            or (upper < 1 and round(upper, decimals) >= 1)):
        decimals += 1

    def text(value: float) -> str:
        return "infinity" if math.isinf(value) else f"{value:.{decimals}f}"

    return text(ratio), text(lower), text(upper)


def _conf_label(conf: float) -> str:
    return f"{conf * 100:g}% CI"


def _between(count_a: int, count_b: int, period_a: str | None, period_b: str | None) -> str:
    in_a = f" in {period_a}" if period_a else ""
    in_b = f" in {period_b}" if period_b else ""
    return f"{_fmt_number(count_a)}{in_a} to {_fmt_number(count_b)}{in_b}"


def describe_change(
    result: PeriodComparison,
    subject: str = "DA-related crimes",
    period_a: str | None = None,
    period_b: str | None = None,
) -> str:
    """Say in one sentence how a count changed and whether the change is significant.

    Parameters
    ----------
    result : PeriodComparison
        From :func:`compare_periods`.
    subject : str, default "DA-related crimes"
        What was counted (plural).
    period_a, period_b : str, optional
        Names of the earlier and later period, e.g. ``"2021/22"``.

    Returns
    -------
    str
        Direction and size of the change, the counts, the verdict, the rate
        ratio with its CI, and the test with its p-value. With unequal
        exposures the change described is that of the rate.

    Examples
    --------
    >>> describe_change(compare_periods(6346, 6387))
    'DA-related crimes rose 0.6% (6,346 to 6,387); this is not a statistically significant change (rate ratio 1.01, 95% CI 0.97 to 1.04; exact Poisson test, p = 0.72).'
    >>> describe_change(compare_periods(1000, 880), period_a="2021", period_b="2022")
    'DA-related crimes fell 12.0% (1,000 in 2021 to 880 in 2022), a statistically significant decrease (rate ratio 0.88, 95% CI 0.80 to 0.96; exact Poisson test, p = 0.006).'
    """  # noqa: E501
    r = result
    between = _between(r.count_a, r.count_b, period_a, period_b)
    if r.count_a == 0 and r.count_b == 0:
        return f"There were no {subject} in either period, so no change can be tested."
    rate_based = r.exposure_a != r.exposure_b
    pct = (r.rate_ratio - 1) * 100 if rate_based else r.change_pct
    direction = "rose" if r.rate_ratio > 1 else "fell" if r.rate_ratio < 1 else "were unchanged"
    size = f" {abs(pct):.1f}%" if r.rate_ratio != 1 and math.isfinite(pct) else ""
    what = f"The rate of {subject}" if rate_based else subject
    if rate_based and r.rate_ratio == 1:
        direction = "was unchanged"
    counts = f"{between} crimes" if rate_based else between
    ratio, lower, upper = _fmt_ratio_ci(r.rate_ratio, r.rr_lower, r.rr_upper)
    ratio_text = (f"rate ratio {ratio}, {_conf_label(r.conf)} {lower} to {upper}"
                  if math.isfinite(r.rate_ratio) else
                  f"{_conf_label(r.conf)} for the rate ratio {lower} to {upper}")
    evidence = f"{ratio_text}; {r.test}, {_fmt_p(r.p_value, 1 - r.conf)}"
    if r.verdict == "no significant change":
        verdict = f"; this is not a statistically significant change ({evidence})"
    else:
        verdict = f", a statistically significant {r.verdict} ({evidence})"
    caveat = "" if r.ci_agrees_with_test else (
        "; the interval and the test disagree at this level, so treat it as borderline")
    return f"{what} {direction}{size} ({counts}){verdict}{caveat}."


def describe_trend(result: SeasonalTrend, subject: str = "DA-related crimes") -> str:
    """Say in one sentence what the trend after season is, with its test.

    Parameters
    ----------
    result : SeasonalTrend
        From :func:`seasonal_trend`.
    subject : str, default "DA-related crimes"
        What was counted (plural).

    Returns
    -------
    str

    Examples
    --------
    >>> counts = pd.Series([1420, 1615, 1424, 1307, 1523, 1660, 1625, 1538,
    ...                     1573, 1778, 1501, 1435],
    ...                    index=pd.period_range("2021Q1", periods=12, freq="Q-MAR"))
    >>> describe_trend(seasonal_trend(counts))
    'After allowing for the seasonal pattern, DA-related crimes rose by 4.4% a year on average, a statistically significant upward trend (rate ratio per year 1.0438, 95% CI 1.0005 to 1.0889; t test in the negative binomial GLM (NB2), p = 0.048).'
    """  # noqa: E501
    t = result.trend
    ratio, lower, upper = _fmt_ratio_ci(t.rate_ratio_per_year, t.lower, t.upper)
    evidence = (f"rate ratio per year {ratio}, {_conf_label(t.conf)} {lower} to {upper}; "
                f"{t.test}, {_fmt_p(t.p_value, 1 - t.conf)}")
    start = "After allowing for the seasonal pattern, "
    if t.verdict == "no significant change":
        return (f"{start}{subject} show no statistically significant trend (estimated change "
                f"{t.pct_per_year:+.1f}% a year; {evidence}).")
    direction, word = ("rose", "upward") if t.verdict == "increase" else ("fell", "downward")
    return (f"{start}{subject} {direction} by {abs(t.pct_per_year):.1f}% a year on average, "
            f"a statistically significant {word} trend ({evidence}).")


def describe_seasonality(result: SeasonalTrend, subject: str | None = None) -> str:
    """Say in one sentence which season peaks, by how much, and whether seasonality is real.

    Parameters
    ----------
    result : SeasonalTrend
        From :func:`seasonal_trend`.
    subject : str, optional
        What was counted, e.g. ``"DA-related crimes"``; added after the season.

    Returns
    -------
    str
        The peak season's index as a percentage above the average season,
        with its CI, and the likelihood-ratio test of seasonality.

    Examples
    --------
    >>> counts = pd.Series([1420, 1615, 1424, 1307, 1523, 1660, 1625, 1538,
    ...                     1573, 1778, 1501, 1435],
    ...                    index=pd.period_range("2021Q1", periods=12, freq="Q-MAR"))
    >>> describe_seasonality(seasonal_trend(counts))
    'Q2 is the seasonal peak: 10.6% above the average quarter (95% CI 4.3% to 17.4%); seasonality is statistically significant (likelihood-ratio F test, p = 0.018).'
    """  # noqa: E501
    indices = result.seasonal_indices
    peak = indices.loc[indices["index"].idxmax()]
    unit = "quarter" if result.periods_per_year == 4 else "month"
    lrt = result.seasonality_test
    alpha = 1 - result.conf
    test = f"{lrt.test}, {_fmt_p(lrt.p_value, alpha)}"
    of_subject = f" for {subject}" if subject else ""
    peak_text = (f"{peak['season']} is the seasonal peak{of_subject}: "
                 f"{(peak['index'] - 1) * 100:.1f}% above the average {unit} "
                 f"({_conf_label(result.conf)} {(peak['lower'] - 1) * 100:.1f}% to "
                 f"{(peak['upper'] - 1) * 100:.1f}%)")
    if lrt.p_value < alpha:
        return f"{peak_text}; seasonality is statistically significant ({test})."
    return (f"{peak_text}, but seasonality is not statistically significant ({test}), so "
            f"do not read the {unit}-to-{unit} pattern as seasonal.")


def describe_year_on_year(row: pd.Series | dict, subject: str = "DA-related crimes") -> str:
    """Say in one sentence how a period compares with a year before, with both verdicts.

    Parameters
    ----------
    row : Series or dict
        A row of ``SeasonalTrend.year_on_year`` (or of ``annual`` with
        ``period_a``/``period_b`` given as ``compared_with``/``year``).
    subject : str, default "DA-related crimes"
        What was counted (plural).

    Returns
    -------
    str
        :func:`describe_change` for the exact Poisson test, plus a clause when
        the test allowing for the series' extra-Poisson variation disagrees.

    Examples
    --------
    >>> counts = pd.Series([1420, 1615, 1424, 1307, 1523, 1660, 1625, 1538,
    ...                     1573, 1778, 1501, 1435],
    ...                    index=pd.period_range("2021Q1", periods=12, freq="Q-MAR"))
    >>> describe_year_on_year(seasonal_trend(counts).year_on_year.iloc[2])
    'DA-related crimes rose 14.1% (1,424 in Q3 2020/21 to 1,625 in Q3 2021/22), a statistically significant increase (rate ratio 1.14, 95% CI 1.06 to 1.23; exact Poisson test, p < 0.001); but allowing for the usual extra-Poisson variation of this series the change is not statistically significant (p = 0.066).'
    """  # noqa: E501
    row = dict(row)
    if pd.isna(row.get("p_value", float("nan"))):
        raise SnaInputError("this row holds no comparison (the first year, or an incomplete "
                            "one)", fix="pass a row whose p_value is not missing",
                            column="p_value")
    period_a = row.get("period_a", row.get("compared_with"))
    period_b = row.get("period_b", row.get("year"))
    comparison = PeriodComparison(**{name: row[name]
                                     for name in PeriodComparison.__dataclass_fields__})
    sentence = describe_change(comparison, subject, period_a, period_b)
    extra_verdict = row.get("verdict_extra_variation", comparison.verdict)
    if extra_verdict == comparison.verdict:
        return sentence
    extra_p = _fmt_p(row["p_value_extra_variation"], 1 - comparison.conf)
    if extra_verdict == "no significant change":
        clause = ("; but allowing for the usual extra-Poisson variation of this series the "
                  f"change is not statistically significant ({extra_p})")
    else:
        clause = ("; allowing for the usual extra-Poisson variation of this series it is a "
                  f"statistically significant {extra_verdict} ({extra_p})")
    return sentence[:-1] + clause + "."
