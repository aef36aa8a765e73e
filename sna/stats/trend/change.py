r"""The one rule for calling a change significant: allow for the variation the data show.

Every published verdict on a rise or fall between two periods comes from
:func:`judge_change` (two totals) or :func:`judge_interaction` (a change against the
same change a year earlier). Both take the :class:`Variation` of the series the
totals come from, measured by :func:`series_variation` on the series' own model:

* when the series shows **no evidence of over-dispersion** (its counts vary from
  period to period no more than Poisson counts would), the exact tests are used:
  the exact conditional Poisson test (:func:`sna.stats.trend.compare.compare_periods`)
  and Fisher's exact test;
* when it **does** (Pearson chi-square test of the model, p < 0.05), or a minimum
  dispersion above 1 is stated, the same comparisons are judged by quasi-Poisson
  score tests: the Pearson (score) statistic is divided by the dispersion
  :math:`\phi` and referred to a t (F) distribution on the model's residual df.

:data:`CHANGE_RULE` says this once, for the methods section of a report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import contingency

from sna.checks import check_conf, check_count
from sna.errors import SnaInputError
from sna.periods import period_label, season_name, season_number
from sna.stats.trend.compare import PeriodComparison, compare_periods
from sna.stats.trend.model import (
    DISPERSION_ALPHA,
    _complete_series,
    _design,
    _dispersion_check,
    _exposure_series,
    _glm,
)
from sna.wording import format_p, format_statistic

__all__ = [
    "InteractionJudgement",
    "Variation",
    "change_between",
    "check_min_per_season",
    "judge_change",
    "judge_interaction",
    "seasonal_model_reason",
    "series_variation",
    "window_variation",
]

MIN_PER_SEASON = 2
QUASI_TEST = "quasi-Poisson score test"
CHANGE_RULE = (
    "A rise or fall is called statistically significant only by a test that allows for the "
    "variation the series itself shows. The series' own model (a Poisson GLM with a linear "
    "trend, and month or quarter terms when every season is seen at least twice) measures its "
    "extra variation: the Pearson chi-square divided by the residual degrees of freedom "
    f"(dispersion phi). When the chi-square test of that model gives p < {DISPERSION_ALPHA} "
    "(or a minimum dispersion above 1 is stated), changes are judged by quasi-Poisson score "
    "tests (the score statistic divided by phi, on a t or F distribution with the model's "
    "residual df; Wilson-type intervals for the rate ratio); otherwise by the exact "
    "conditional Poisson test (two periods) or Fisher's exact test (a change against the "
    "same change a year earlier)."
)


@dataclass(frozen=True)
class Variation:
    """How much a count series varies beyond Poisson, from its own model.

    Attributes
    ----------
    phi : float
        Pearson chi-square / residual df of the series' Poisson model (NaN when it
        could not be estimated).
    df : float
        Residual degrees of freedom of that model (``inf`` for a stated dispersion).
    p_value : float
        Upper tail of chi-square(df) at the Pearson chi-square: the test of
        over-dispersion (NaN when not estimated).
    model : str
        The model, in words.
    unit : str
        ``"month"`` or ``"quarter"``: the period of the series, for sentences.
    min_dispersion : float
        A stated minimum dispersion (1 = none); above 1, the quasi-Poisson tests are
        always used with at least this dispersion.

    Examples
    --------
    >>> Variation.stated(4.0).dispersion, Variation.stated(4.0).overdispersed
    (4.0, True)
    >>> Variation(phi=1.2, df=20, p_value=0.24, model="m").overdispersed
    False
    """

    phi: float
    df: float
    p_value: float
    model: str
    unit: str = "month"
    min_dispersion: float = 1.0

    @classmethod
    def stated(cls, dispersion: float, unit: str = "month") -> Variation:
        """A dispersion given by the analyst (not estimated): used as it is, normal tests."""
        if not (isinstance(dispersion, int | float) and dispersion >= 1):
            raise SnaInputError(f"a stated dispersion must be a number >= 1, got "
                                f"{dispersion!r}", fix="use 1 for Poisson, or e.g. 2",
                                column="min_dispersion", value=dispersion)
        return cls(float("nan"), math.inf, float("nan"), "stated minimum dispersion", unit,
                   float(dispersion))

    @property
    def evidence(self) -> bool:
        """Whether the series' own model shows over-dispersion (phi > 1, p < 0.05)."""
        return bool(self.phi > 1 and self.p_value < DISPERSION_ALPHA)

    @property
    def overdispersed(self) -> bool:
        """Whether the quasi-Poisson tests are used (evidence, or a stated minimum > 1)."""
        return self.evidence or self.min_dispersion > 1

    @property
    def dispersion(self) -> float:
        """The dispersion the tests use: 1, or max(phi if evidence, min_dispersion)."""
        return max(self.phi if self.evidence else 1.0, self.min_dispersion)

    @property
    def reason(self) -> str:
        """Why the test was chosen, in plain words."""
        unit = self.unit
        if self.overdispersed:
            return f"after allowing for the usual {unit}-to-{unit} ups and downs of this series"
        if math.isnan(self.phi):
            return ("treating the counts as varying only by chance (the series is too short to "
                    f"check its {unit}-to-{unit} variation)")
        return (f"the counts vary from {unit} to {unit} no more than chance alone would make "
                "them, so no extra allowance is needed")

    @property
    def note(self) -> str:
        """The technical note: the model, phi, its test, and the test used."""
        if math.isnan(self.phi) and self.min_dispersion > 1:
            return (f"Changes judged by {QUASI_TEST}s with a stated minimum dispersion of "
                    f"{self.min_dispersion:g} (normal reference distribution).")
        if math.isnan(self.phi):
            return (f"Extra variation could not be estimated ({self.model}); changes judged by "
                    "exact tests.")
        check = (f"Extra variation from the series' own model ({self.model}): Pearson "
                 f"chi-square / df = {format_statistic(self.phi)} on {self.df:g} df "
                 f"({format_p(self.p_value, alpha=DISPERSION_ALPHA)}). ")
        if self.overdispersed:
            return check + (f"Changes judged by {QUASI_TEST}s with dispersion "
                            f"{format_statistic(self.dispersion)} and t/F reference "
                            "distributions on "
                            f"{self.df:g} df.")
        return check + "No evidence of over-dispersion: changes judged by exact tests."


def seasonal_model_reason(counts: pd.Series, *, min_per_season: int = MIN_PER_SEASON) -> str | None:
    """Why a seasonal model cannot be fitted to a series, in plain words (None if it can).

    A season's index estimated from one observation is that one period's count
    against the trend line, so every season (month or quarter) must be seen at
    least ``min_per_season`` times, with some crimes in it.

    Parameters
    ----------
    counts : Series
        Counts with a monthly or quarterly PeriodIndex (NaN = no data).
    min_per_season : int, default 2
        Observations needed of every season; may be raised, not lowered below 2.

    Returns
    -------
    str or None

    Raises
    ------
    SnaInputError
        ``min_per_season`` below 2, or a malformed series.

    Examples
    --------
    >>> c = pd.Series(10.0, index=pd.period_range("2024-01", "2025-08", freq="M"))
    >>> print(seasonal_model_reason(c))
    No seasonal pattern was estimated: that needs at least two of every month, and Sep, Oct, Nov, Dec were seen only once in the 20 months of data.
    >>> print(seasonal_model_reason(c.iloc[-12:]))
    No seasonal pattern was estimated: that needs at least two of every month, and every month was seen only once in the 12 months of data.
    >>> seasonal_model_reason(c.iloc[:-8].reindex(pd.period_range("2023-01", "2024-12", freq="M"), fill_value=3.0)) is None
    True
    """  # noqa: E501
    min_per_season = check_min_per_season(min_per_season)
    full, per_year = _complete_series(counts)
    used = full.dropna()
    unit = "month" if per_year == 12 else "quarter"
    seen = pd.Series([season_number(p) for p in used.index]).value_counts()
    short = [n for n in range(1, per_year + 1) if seen.get(n, 0) < min_per_season]
    need = "two" if min_per_season == 2 else str(min_per_season)
    if short:
        groups = {}
        for n in short:
            times = int(seen.get(n, 0))
            groups.setdefault(times, []).append(season_name(n, per_year))
        parts = [_seen(names, times, every=len(names) == per_year, unit=unit)
                 for times, names in sorted(groups.items(), reverse=True)]
        return (f"No seasonal pattern was estimated: that needs at least {need} of every "
                f"{unit}, and {' and '.join(parts)} in the {len(used)} {unit}s of data.")
    totals = used.groupby([season_number(p) for p in used.index]).sum()
    if (totals == 0).any():
        zero = ", ".join(season_name(n, per_year) for n in totals.index[totals == 0])
        return (f"No seasonal pattern was estimated: there were no crimes at all in {zero}, so "
                "its seasonal index cannot be estimated.")
    if len(used) < per_year + 2:
        return (f"No seasonal pattern was estimated: it needs at least {per_year + 2} "
                f"{unit}s with data and the series has {len(used)}.")
    return None


def _seen(names: list[str], times: int, *, every: bool, unit: str) -> str:
    """``"Sep, Oct were seen only once"``, ``"Q4 was never seen"``, ``"every month was ..."``."""
    subject = f"every {unit}" if every else ", ".join(names)
    verb = "was" if every or len(names) == 1 else "were"
    how = "never seen" if times == 0 else "seen only once" if times == 1 else f"seen {times} times"
    return f"{subject} {verb} {how}"


def check_min_per_season(min_per_season: int) -> int:
    """Check the minimum observations of every season: a whole number >= 2.

    Parameters
    ----------
    min_per_season : int
        The minimum observations of every season.

    Returns
    -------
    int
        ``min_per_season`` as an int.
    """
    if not (isinstance(min_per_season, int | np.integer) and min_per_season >= MIN_PER_SEASON):
        raise SnaInputError(f"min_per_season must be a whole number >= {MIN_PER_SEASON}, got "
                            f"{min_per_season!r}", fix="seasonal models need at least two "
                            "observations of every season; raise it, never lower it",
                            column="min_per_season", value=min_per_season)
    return int(min_per_season)


def series_variation(counts: pd.Series, *, offset: pd.Series | float | None = None,
                     min_per_season: int = MIN_PER_SEASON,
                     min_dispersion: float = 1.0) -> Variation:
    r"""Measure a count series' variation beyond Poisson with its own model.

    Fits a Poisson GLM (statsmodels) with an intercept and a linear trend, plus
    effect-coded season terms when every season is seen at least ``min_per_season``
    times (:func:`seasonal_model_reason`); otherwise the seasonal pattern stays in
    the residuals and :math:`\phi` is, if anything, too large (cautious).

    Parameters
    ----------
    counts : Series
        Counts with a monthly or quarterly PeriodIndex; NaN (or an absent period)
        is "no data", left out.
    offset : Series or float, optional
        Exposure per period, as :func:`sna.stats.trend.seasonal_trend`.
    min_per_season : int, default 2
    min_dispersion : float, default 1
        A stated minimum dispersion; above 1 the quasi-Poisson tests are always used.

    Returns
    -------
    Variation
        ``phi`` NaN (exact tests) when fewer than 3 periods have data or there are no
        crimes at all.

    Notes
    -----
    :math:`\phi = X^2/\mathrm{df}` with :math:`X^2 = \sum (y_t-\hat\mu_t)^2/\hat\mu_t`;
    over-dispersion is in evidence when :math:`P(\chi^2_{df} \ge X^2) < 0.05` and
    :math:`\phi > 1`.

    Examples
    --------
    >>> idx = pd.period_range("2021-01", periods=36, freq="M")
    >>> flat = pd.Series([20, 22, 19, 21, 20, 18] * 6, index=idx)
    >>> v = series_variation(flat)
    >>> v.overdispersed, v.df
    (False, 23.0)
    >>> rng = np.random.default_rng(1)
    >>> swings = pd.Series(rng.negative_binomial(3, 3 / 33, 36), index=idx)  # mean 30
    >>> v = series_variation(swings)
    >>> v.overdispersed, round(v.phi, 1)
    (True, 5.1)
    """
    if not (isinstance(min_dispersion, int | float) and min_dispersion >= 1):
        raise SnaInputError(f"min_dispersion must be a number >= 1, got {min_dispersion!r}",
                            fix="use 1 (no minimum) or e.g. 2", column="min_dispersion",
                            value=min_dispersion)
    seasonal = seasonal_model_reason(counts, min_per_season=min_per_season) is None
    full, per_year = _complete_series(counts)
    unit = "month" if per_year == 12 else "quarter"
    exposure = _exposure_series(offset, full.index)
    used = full[full.notna() & exposure.notna()]
    n_params = 2 + (per_year - 1 if seasonal else 0)
    model = ("Poisson GLM with a linear trend and " + unit + " terms" if seasonal
             else "Poisson GLM with a linear trend; too few periods for " + unit + " terms")
    if len(used) <= n_params or used.sum() == 0:
        return Variation(float("nan"), math.inf, float("nan"),
                         f"{len(used)} {unit}s with data", unit, float(min_dispersion))
    exog = _design(used.index, int(full.index[0].ordinal), per_year, seasons=seasonal)
    check = _dispersion_check(_glm(used.to_numpy(), exog,
                                   np.log(exposure[used.index].to_numpy()), None))
    return Variation(check.ratio, check.df_resid, check.p_value, model, unit,
                     float(min_dispersion))


def window_variation(counts: pd.Series, windows: list[pd.PeriodIndex],
                     *, min_dispersion: float = 1.0) -> Variation:
    """Measure the variation of the periods within each window (one mean per window).

    For comparisons of a few short windows (e.g. two quarters this year and the same
    two a year earlier) when the series is too short for its own seasonal model:
    the model gives every window its own mean, so the changes being tested do not
    inflate the dispersion; what is left is the usual period-to-period variation.

    Parameters
    ----------
    counts : Series
        Counts with a monthly or quarterly PeriodIndex covering every window.
    windows : list of PeriodIndex
        The windows (non-overlapping).
    min_dispersion : float, default 1

    Returns
    -------
    Variation

    Examples
    --------
    >>> idx = pd.period_range("2025-01", periods=6, freq="M")
    >>> v = window_variation(pd.Series([10, 30, 12, 40, 9, 35], index=idx), [idx[:3], idx[3:]])
    >>> v.df, v.overdispersed
    (4.0, True)
    """
    full, per_year = _complete_series(counts)
    unit = "month" if per_year == 12 else "quarter"
    rows = [(p, k) for k, window in enumerate(windows) for p in window]
    y = np.array([full.get(p, np.nan) for p, _ in rows], dtype=float)
    if np.isnan(y).any() or len(rows) <= len(windows) or y.sum() == 0:
        return Variation(float("nan"), math.inf, float("nan"),
                         "too few periods within the windows", unit, float(min_dispersion))
    exog = np.zeros((len(rows), len(windows)))
    exog[np.arange(len(rows)), [k for _, k in rows]] = 1.0
    if (exog.T @ y == 0).any():
        keep = (exog @ (exog.T @ y)) > 0  # a window with no crimes fits exactly: drop it
        y, exog = y[keep], exog[keep][:, (exog.T @ y) > 0]
    check = _dispersion_check(_glm(y, exog, np.zeros(len(y)), None))
    return Variation(check.ratio, check.df_resid, check.p_value,
                     f"Poisson GLM with one mean for each of {len(windows)} periods compared",
                     unit, float(min_dispersion))


def _wilson_bounds(share: float, n_eff: float, crit: float) -> tuple[float, float]:
    """Wilson score interval of a proportion with effective size ``n_eff`` and critical value."""
    c2 = crit**2 / n_eff
    centre = (share + c2 / 2) / (1 + c2)
    half = crit / (1 + c2) * math.sqrt(share * (1 - share) / n_eff + crit**2 / (4 * n_eff**2))
    return max(centre - half, 0.0), min(centre + half, 1.0)


def _to_ratio(share: float, scale: float) -> float:
    return share / (1 - share) * scale if share < 1 else float("inf")


def judge_change(count_a: int, count_b: int, *, exposure_a: float = 1, exposure_b: float = 1,
                 variation: Variation | None = None,
                 conf: float = 0.95) -> PeriodComparison:
    r"""Judge a change between two periods, allowing for the variation the series shows.

    The one rule every published "rose/fell significantly" goes through.

    Parameters
    ----------
    count_a, count_b : int
        Totals of the earlier and the later period.
    exposure_a, exposure_b : float, default 1
        Their exposures (number of months, population x time).
    variation : Variation, optional
        From :func:`series_variation` on the series the totals come from (or
        :meth:`Variation.stated`). None means unknown: exact test, and the reason
        says the variation was not checked.
    conf : float, default 0.95

    Returns
    -------
    PeriodComparison
        With ``test``, ``dispersion``, ``df``, ``reason`` and ``p_value_exact`` (the
        exact Poisson test's p, for reference) filled in.

    Notes
    -----
    Conditional on :math:`n = a + b`, under no change :math:`b` has mean
    :math:`n\pi_0`, :math:`\pi_0 = e_b/(e_a+e_b)`, and with over-dispersion variance
    :math:`\phi n \pi_0(1-\pi_0)`. The quasi-Poisson score statistic
    :math:`T = (b - n\pi_0)/\sqrt{\phi n\pi_0(1-\pi_0)}` is referred to
    :math:`t_{df}` (df of :math:`\phi`'s estimate). Its dual interval for
    :math:`\pi = b/n` is Wilson's with :math:`n/\phi` observations and the t
    quantile, mapped to the rate ratio :math:`\frac{\pi}{1-\pi}\frac{e_a}{e_b}`; the
    test and interval therefore always agree. With :math:`\phi = 1` and infinite df
    this is the Poisson score test (statsmodels ``test_poisson_2indep``,
    ``method="score"``).

    Examples
    --------
    >>> exact = judge_change(1000, 878)
    >>> exact.verdict, exact.test
    ('decrease', 'exact Poisson test')
    >>> noisy = judge_change(1000, 878, variation=Variation(11.3, 47, 1e-9, "model"))
    >>> noisy.verdict, noisy.test, round(noisy.p_value, 2)
    ('no significant change', 'quasi-Poisson score test', 0.41)
    """
    exact = compare_periods(count_a, count_b, exposure_a=exposure_a, exposure_b=exposure_b,
                            conf=conf)
    variation = variation if variation is not None else Variation(
        float("nan"), math.inf, float("nan"), "not measured")
    reason = variation.reason
    if variation.phi != variation.phi and variation.model == "not measured":
        reason = "treating the counts as varying only by chance (their variation was not checked)"
    if not variation.overdispersed:
        return replace(exact, reason=reason, p_value_exact=exact.p_value)
    a, b = check_count(count_a, name="count_a"), check_count(count_b, name="count_b")
    phi, df = variation.dispersion, variation.df
    n = a + b
    pi0 = exposure_b / (exposure_a + exposure_b)
    crit = float(stats.t.ppf(0.5 + conf / 2, df))
    common = dict(test=QUASI_TEST, dispersion=phi, df=df, reason=reason,
                  p_value_exact=exact.p_value)
    if n == 0:
        return replace(exact, **common)
    score = (b - n * pi0) / math.sqrt(phi * n * pi0 * (1 - pi0))
    p_value = float(2 * stats.t.sf(abs(score), df))
    scale = exposure_a / exposure_b
    low, high = _wilson_bounds(b / n, n / phi, crit)
    verdict = "no significant change"
    if p_value < 1 - conf:
        verdict = "increase" if b / n > pi0 else "decrease"
    return replace(exact, rr_lower=_to_ratio(low, scale), rr_upper=_to_ratio(high, scale),
                   p_value=p_value, verdict=verdict, **common)


def _window_total(counts: pd.Series, months: pd.PeriodIndex, name: str) -> int:
    missing = months.difference(counts.dropna().index)
    if missing.size:
        raise SnaInputError(f"{name} includes {period_label(missing[0])}, which has no data",
                            fix="compare only periods with data (no data is not zero)",
                            column=name, value=str(missing[0]))
    return int(counts.loc[months].sum())


def change_between(counts: pd.Series, period_a, period_b, *, conf: float = 0.95,
                   min_per_season: int = MIN_PER_SEASON, min_dispersion: float = 1.0
                   ) -> PeriodComparison:
    """Judge the change between two sets of periods of a series, by the series' own variation.

    Parameters
    ----------
    counts : Series
        Counts with a monthly or quarterly PeriodIndex (NaN = no data): the whole
        series, whose variation is measured by :func:`series_variation`.
    period_a, period_b : sequence of Period or str
        The periods summed for the earlier and the later total (e.g. the 12 months of
        each year); they are weighted by their number of periods.
    conf, min_per_season, min_dispersion
        As :func:`judge_change` and :func:`series_variation`.

    Returns
    -------
    PeriodComparison

    Raises
    ------
    SnaInputError
        A period without data in either set, or an empty set.

    Examples
    --------
    >>> idx = pd.period_range("2021-01", periods=36, freq="M")
    >>> c = pd.Series(np.random.default_rng(1).negative_binomial(3, 3 / 33, 36), index=idx)
    >>> r = change_between(c, idx[12:24], idx[24:])
    >>> r.test, r.verdict
    ('quasi-Poisson score test', 'no significant change')
    """
    full, _ = _complete_series(counts)
    windows = []
    for name, period in (("period_a", period_a), ("period_b", period_b)):
        index = pd.PeriodIndex([pd.Period(p, freq=full.index.freq) for p in period])
        if index.empty:
            raise SnaInputError(f"{name} has no periods", fix="give at least one period",
                                column=name)
        windows.append(index)
    totals = [_window_total(full, w, n) for w, n in zip(windows, ("period_a", "period_b"),
                                                          strict=True)]
    variation = series_variation(full, min_per_season=min_per_season,
                                 min_dispersion=min_dispersion)
    return judge_change(totals[0], totals[1], exposure_a=len(windows[0]),
                        exposure_b=len(windows[1]),
                        variation=variation, conf=conf)


@dataclass(frozen=True)
class InteractionJudgement:
    """Result of :func:`judge_interaction`: this change against the same change a year earlier.

    Attributes
    ----------
    ratio, lower, upper : float
        Ratio of the two rate ratios with its interval.
    p_value : float
    verdict : str
        ``"larger"``, ``"smaller"`` or ``"in line"``.
    test, reason : str
    dispersion, df : float
    p_value_exact : float
        Fisher's exact test, for reference.
    """

    ratio: float
    lower: float
    upper: float
    p_value: float
    verdict: str
    test: str
    reason: str
    dispersion: float
    df: float
    p_value_exact: float


FISHER_TEST = "Fisher's exact test on the 2 x 2 table of counts"


def judge_interaction(a0: int, b0: int, a1: int, b1: int, *, variation: Variation | None = None,
                      conf: float = 0.95) -> InteractionJudgement:
    r"""Judge whether a change (a1 to b1) differs from the same change a year earlier (a0 to b0).

    Parameters
    ----------
    a0, b0, a1, b1 : int
        Counts: earlier and later period a year before, and now.
    variation : Variation, optional
        Of the series (:func:`series_variation`).
    conf : float, default 0.95

    Returns
    -------
    InteractionJudgement

    Notes
    -----
    The ratio of rate ratios :math:`(b_1/a_1)/(b_0/a_0)` is the odds ratio of the
    2 x 2 table. Without over-dispersion: Fisher's exact test and the exact
    conditional interval (scipy). With it: the Pearson chi-square of the table (the
    score test of no interaction in a Poisson log-linear model) divided by
    :math:`\phi`, referred to :math:`F(1, df)`, and a Wald interval
    :math:`\exp(\log OR \pm t_{df}\sqrt{\phi\sum 1/n_{ij}})`.

    Examples
    --------
    >>> judge_interaction(270, 330, 270, 336).verdict
    'in line'
    >>> r = judge_interaction(100, 100, 100, 160, variation=Variation(9.0, 40, 1e-6, "m"))
    >>> r.verdict, r.test
    ('in line', 'quasi-Poisson score test')
    """
    check_conf(conf)
    counts = [check_count(v, name=name) for v, name in ((a0, "a0"), (b0, "b0"), (a1, "a1"),
                                                     (b1, "b1"))]
    table = np.array(counts).reshape(2, 2)
    exact_p = float(stats.fisher_exact(table).pvalue)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = float(np.float64(counts[3] * counts[0]) / np.float64(counts[2] * counts[1]))
    variation = variation if variation is not None else Variation(
        float("nan"), math.inf, float("nan"), "not measured")

    def verdict_of(p: float) -> str:
        return "in line" if not p < 1 - conf else ("larger" if ratio > 1 else "smaller")

    if not variation.overdispersed:
        interval = contingency.odds_ratio(table, kind="conditional").confidence_interval(conf)
        return InteractionJudgement(ratio, float(interval.low), float(interval.high), exact_p,
                                    verdict_of(exact_p), FISHER_TEST, variation.reason, 1.0,
                                    math.inf, exact_p)
    phi, df = variation.dispersion, variation.df
    p_value = 1.0
    if table.sum(axis=0).all() and table.sum(axis=1).all():
        chi2 = float(stats.chi2_contingency(table, correction=False).statistic)
        p_value = float(stats.f.sf(chi2 / phi, 1, df))
    cells = table + (0.5 if min(counts) == 0 else 0.0)  # Haldane's 0.5 for a zero cell
    log_or = math.log(cells[1, 1] * cells[0, 0] / (cells[1, 0] * cells[0, 1]))
    se = math.sqrt(phi * float((1 / cells).sum()))
    crit = float(stats.t.ppf(0.5 + conf / 2, df))
    return InteractionJudgement(ratio, math.exp(log_or - crit * se),
                                math.exp(log_or + crit * se), p_value,
                                verdict_of(p_value), QUASI_TEST, variation.reason, phi, df,
                                exact_p)
