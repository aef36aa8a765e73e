"""Seasonal pattern, trend, year-on-year change and unusual periods of a count series.

:func:`seasonal_trend` fits the series' own model (Poisson, or negative binomial
when over-dispersed, with season terms and a linear trend) only when every season
has been seen at least twice (:func:`sna.stats.trend.change.seasonal_model_reason`);
its year-on-year and annual comparisons are judged by the one change rule,
:func:`sna.stats.trend.change.judge_change`, with the model's own dispersion.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.tsa.seasonal import STL

from sna.checks import check_conf, check_whole_number
from sna.errors import SnaInputError
from sna.periods import period_label, season_name, year_label
from sna.stats.trend.change import (
    MIN_PER_SEASON,
    Variation,
    judge_change,
    seasonal_model_reason,
)
from sna.stats.trend.compare import PeriodComparison
from sna.stats.trend.model import (
    DispersionCheck,
    _complete_series,
    _design,
    _dispersion_check,
    _exposure_series,
    _glm,
    _nb_alpha,
)
from sna.wording import count_noun, format_count, format_p, format_rate, format_statistic

__all__ = [
    "LikelihoodRatioTest",
    "SeasonalTrend",
    "TrendEstimate",
    "seasonal_trend",
]


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
        :class:`PeriodComparison` from the change rule
        (:func:`sna.stats.trend.change.judge_change` with ``variation``): a
        quasi-Poisson score test when the series is over-dispersed, else the
        exact Poisson test; ``p_value_exact`` keeps the exact test's p.
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
    variation : Variation
        The series' extra variation (Poisson model's Pearson dispersion) used by the
        change rule for ``year_on_year`` and ``annual``.
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
    variation: Variation | None = None

    @property
    def flagged(self) -> pd.DataFrame:
        """Periods whose count is outside the model's prediction interval."""
        return self.fitted[self.fitted["outside"]]


def _stl_frame(counts: pd.Series, per_year: int, missing: list[str]) -> tuple:
    if missing:
        return None, (f"No STL decomposition: STL needs a series without gaps and "
                      f"{_have(len(missing), 'periods')} no data ({', '.join(missing)}).")
    if len(counts) < 2 * per_year:
        return None, (f"No STL decomposition: it needs at least two full cycles "
                      f"({2 * per_year} periods) and the series has {len(counts)}.")
    fit = STL(counts.to_numpy(), period=per_year).fit()
    frame = pd.DataFrame({"observed": fit.observed, "trend": fit.trend,
                          "seasonal": fit.seasonal, "resid": fit.resid}, index=counts.index)
    return frame, (f"STL decomposition (statsmodels STL, period {per_year}, seasonal smoother "
                   "7, not robust) of the counts.")


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
        "season": [season_name(n, per_year) for n in range(1, per_year + 1)],
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


def _comparison_row(label_a: str, label_b: str, comparison: PeriodComparison) -> dict:
    row = {"period_a": label_a, "period_b": label_b}
    row.update(comparison.to_dict())
    return row


def _comparison_columns() -> list[str]:
    return ["period_a", "period_b", *PeriodComparison.__dataclass_fields__]


def _year_on_year(counts: pd.Series, exposure: pd.Series, per_year: int, variation: Variation,
                  conf: float) -> pd.DataFrame:
    rows = []
    for period in counts.index[per_year:]:
        before = period - per_year
        pair = counts[[before, period]]
        weights = exposure[[before, period]]
        if pair.isna().any() or weights.isna().any():
            continue
        comparison = judge_change(pair.iloc[0], pair.iloc[1], exposure_a=weights.iloc[0],
                                  exposure_b=weights.iloc[1],
                                  variation=variation, conf=conf)
        rows.append(_comparison_row(period_label(before), period_label(period), comparison))
    return pd.DataFrame(rows, columns=_comparison_columns())


def _annual(counts: pd.Series, exposure: pd.Series, per_year: int, year_start_month: int,
            variation: Variation, conf: float) -> pd.DataFrame:
    """Totals per year; consecutive complete years compared by the change rule."""
    years = pd.Series([year_label(p, year_start_month=year_start_month) for p in counts.index],
                      index=counts.index)
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
        comparison = judge_change(pair["total"].iloc[0], pair["total"].iloc[1],
                                  exposure_a=pair["exposure"].iloc[0],
                                  exposure_b=pair["exposure"].iloc[1],
                                  variation=variation, conf=conf)
        rows.append(_comparison_row(pair["year"].iloc[0], pair["year"].iloc[1], comparison))
    comparisons = pd.DataFrame(rows, columns=_comparison_columns())
    return totals.merge(comparisons, how="left", left_on="year", right_on="period_b").drop(
        columns=["period_b"]).rename(columns={"period_a": "compared_with"})


def _check_series_fits(counts: pd.Series, min_per_season: int) -> None:
    reason = seasonal_model_reason(counts, min_per_season=min_per_season)
    if reason is not None:
        raise SnaInputError(reason.rstrip("."), fix="use a longer series, or quarters instead "
                            "of months; check first with seasonal_model_reason()",
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
        notes.append(f"{_have(len(missing), 'periods')} no data and "
                     f"{'was' if len(missing) == 1 else 'were'} left out of the model and "
                     f"comparisons (not treated as zero): {', '.join(missing)}.")
    if no_exposure:
        notes.append(f"{_have(len(no_exposure), 'periods')} a count but no offset and "
                     f"{'was' if len(no_exposure) == 1 else 'were'} left out: "
                     f"{', '.join(no_exposure)}.")
    return notes


def _have(count: int, plural: str) -> str:
    """``"1 period has"`` or ``"3 periods have"``."""
    return f"{count_noun(count, plural)} {'has' if count == 1 else 'have'}"


def seasonal_trend(
    counts: pd.Series,
    *,
    offset: pd.Series | float | None = None,
    conf: float = 0.95,
    forecast_periods: int = 4,
    year_start_month: int | None = None,
    min_per_season: int = MIN_PER_SEASON,
    min_dispersion: float = 1.0,
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
    min_per_season : int, default 2
        Observations needed of every season (>= 2; may be raised, not lowered).
        With fewer, a season's index would be one period's count against the trend
        line, so the model is not fitted (see :func:`seasonal_model_reason`).
    min_dispersion : float, default 1
        A stated minimum dispersion for the year-on-year and annual comparisons.

    Returns
    -------
    SeasonalTrend

    Raises
    ------
    SnaInputError
        Not a Series with a monthly or quarterly PeriodIndex; negative or
        fractional counts; duplicated periods; a season seen fewer than
        ``min_per_season`` times or with no crimes, or too few periods (the
        message is :func:`seasonal_model_reason`); bad ``offset``, ``conf`` or
        options. Reports check :func:`seasonal_model_reason` first and say why
        no model was fitted.

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
    _check_series_fits(used, min_per_season)
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
    unit = "month" if per_year == 12 else "quarter"
    variation = Variation(dispersion.ratio, dispersion.df_resid, dispersion.p_value,
                          f"Poisson GLM with {unit} terms and a linear trend", unit,
                          min_dispersion)
    year_on_year = _year_on_year(full, exposure, per_year, variation, conf)
    notes = _missing_note(missing, no_exposure) + _model_notes(
        dispersion, alpha_nb, converged, results, year_on_year, conf, variation)
    return SeasonalTrend(
        counts=full, periods_per_year=per_year, missing_periods=missing, stl=stl,
        stl_message=stl_message, model=model, nb_alpha=alpha_nb, dispersion=dispersion,
        seasonal_indices=_seasonal_indices(results, per_year, conf),
        trend=_trend_estimate(results, conf, model), seasonality_test=lrt,
        year_on_year=year_on_year,
        annual=_annual(full, exposure, per_year, year_start_month or 1, variation, conf),
        fitted=_fitted_frame(used, np.asarray(results.fittedvalues), alpha_nb, results.scale,
                             conf),
        forecast=_forecast_frame(results, full.index[-1], forecast_periods, origin, per_year,
                                 float(np.log(exposure.dropna().iloc[-1])), alpha_nb, conf),
        scale=float(results.scale), conf=conf, notes=notes, variation=variation)


def _model_notes(dispersion: DispersionCheck, alpha_nb: float, converged: bool, results,
                 year_on_year: pd.DataFrame, conf: float, variation: Variation) -> list[str]:
    check = (f"Over-dispersion check: Pearson chi-square / df = "
             f"{format_statistic(dispersion.ratio)} ({format_p(dispersion.p_value)}), ")
    if dispersion.switched_to_nb:
        notes = [check + "so a negative binomial model was used (NB2 alpha = "
                 f"{format_rate(alpha_nb)})."]
    else:
        notes = [check + "so the Poisson model was kept."]
    notes.append(f"Intervals and tests allow for the residual dispersion of that model "
                 f"(Pearson chi-square / df = {format_statistic(results.scale)}, t and F tests on "
                 f"{results.df_resid:g} residual df).")
    if not converged:
        notes.append("The estimate of the negative binomial alpha did not converge: treat the "
                     "intervals with caution.")
    n_comparisons = len(year_on_year)
    if n_comparisons > 1:
        notes.append(f"{n_comparisons} year-on-year comparisons were tested at the "
                     f"{1 - conf:g} level: about "
                     f"{format_rate(n_comparisons * (1 - conf), decimals=1)} of them would "
                     "be 'significant' by chance alone if nothing had changed.")
    notes.append(variation.note)
    differ = ((year_on_year["verdict"] == "no significant change")
              & (year_on_year["p_value_exact"] < 1 - conf))
    if differ.any():
        notes.append(f"{format_count(differ.sum())} of the year-on-year changes the exact "
                     "Poisson test would call significant are within the series' usual extra "
                     "variation: "
                     + ", ".join(f"{a} to {b}" for a, b in zip(
                         year_on_year.loc[differ, "period_a"], year_on_year.loc[differ, "period_b"],
                         strict=True)) + ".")
    return notes
