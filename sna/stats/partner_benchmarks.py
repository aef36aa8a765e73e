"""Benchmarks for published area statistics: England, statistical neighbours, and trends.

Fingertips-style comparison of an area's rate or proportion with England and with its
statistical neighbours pooled (:func:`sna.stats.rates.compare_to_benchmark`, single-overlap
rule), and the average yearly change of an annual series with a test that allows for the
year-to-year variation the data actually show (quasi-Poisson or quasi-binomial regression).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sna.errors import SnaInputError
from sna.stats.rates import compare_to_benchmark, proportion_ci, rate_ci
from sna.wording import format_interval, format_percent, format_statistic

__all__ = [
    "pooled",
    "with_intervals",
    "compare_with_benchmarks",
    "AnnualTrend",
    "annual_trend",
]

ROLES = ("area", "neighbours", "england")


def pooled(counts: pd.Series, denominators: pd.Series) -> tuple[float, float, int]:
    """Sum of counts and denominators over the areas where both are published.

    Parameters
    ----------
    counts, denominators : pandas.Series
        Per-area counts and denominators (missing where unpublished), aligned by position.

    Returns
    -------
    (count, denominator, areas)
        ``areas`` is the number of areas with both values; the sums are missing when none.

    Examples
    --------
    >>> pooled(pd.Series([3.0, None, 5.0]), pd.Series([100.0, 200.0, 300.0]))
    (8.0, 400.0, 2)
    """
    both = counts.notna().to_numpy() & denominators.notna().to_numpy()
    if not both.any():
        return float("nan"), float("nan"), 0
    return (float(np.asarray(counts, dtype=float)[both].sum()),
            float(np.asarray(denominators, dtype=float)[both].sum()), int(both.sum()))


def with_intervals(count, denominator, *, kind: str = "rate", multiplier: float = 10_000,
                   conf: float = 0.95) -> pd.DataFrame:
    """Value and confidence limits: Byars/exact for a rate, Wilson for a proportion.

    Missing counts (unpublished) give missing values, never zeros.

    Parameters
    ----------
    count, denominator : array-like
        Counts and denominators (missing counts allowed).
    kind : str, default "rate"
        ``"rate"`` (:func:`~sna.stats.rates.rate_ci`) or ``"proportion"``
        (:func:`~sna.stats.rates.proportion_ci`).
    multiplier : float, default 10_000
        Per this many of the denominator.
    conf : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`~sna.stats.rates.rate_ci` or
        :func:`~sna.stats.rates.proportion_ci` (``count, denominator, value, lower,
        upper, ...``), one row per input.

    Examples
    --------
    >>> with_intervals([50, None], [10_000, 10_000])["value"].tolist()
    [50.0, nan]
    """
    count = pd.Series(count, dtype="Float64").astype(float)
    denominator = pd.Series(denominator, dtype="Float64").astype(float)
    if kind == "rate":
        return rate_ci(count, denominator, multiplier=multiplier, conf=conf)
    if kind == "proportion":
        return proportion_ci(count, denominator, multiplier=multiplier, conf=conf)
    raise SnaInputError(f"kind must be 'rate' or 'proportion', got {kind!r}", column="kind",
                        value=kind, fix="use 'rate' for events per population, 'proportion' "
                                        "for people with a characteristic out of a group")


def compare_with_benchmarks(area: pd.DataFrame, england: tuple[float, float],
                            neighbours: tuple[float, float], *, kind: str = "rate",
                            multiplier: float = 10_000, conf: float = 0.95,
                            polarity: str = "no judgement") -> pd.DataFrame:
    """An area's value with its interval, compared with England and its neighbours pooled.

    Parameters
    ----------
    area : DataFrame
        ``count`` and ``denominator`` (one or more rows; missing count = not published).
    england, neighbours : (count, denominator)
        The benchmarks' totals (neighbours pooled over those with published figures).
    kind, multiplier, conf : as :func:`with_intervals`.
    polarity : str
        As :func:`sna.stats.rates.compare_to_benchmark`; "no judgement" where more can mean
        better identification (e.g. children's services assessment factors).

    Returns
    -------
    DataFrame
        ``value, lower, upper, england, vs_england, neighbours, vs_neighbours`` aligned to
        ``area`` ("similar", "higher", "lower" or "not compared" when a figure is missing).

    Examples
    --------
    >>> area = pd.DataFrame({"count": [180], "denominator": [115_721]})
    >>> out = compare_with_benchmarks(area, (16_250, 12_183_016), (1_500, 1_000_000))
    >>> out[["vs_england", "vs_neighbours"]].values.tolist()
    [['higher', 'similar']]
    """
    values = with_intervals(area["count"], area["denominator"], kind=kind, multiplier=multiplier,
                            conf=conf)
    out = pd.DataFrame({"value": values["value"].to_numpy(), "lower": values["lower"].to_numpy(),
                        "upper": values["upper"].to_numpy()}, index=area.index)
    for name, (count, denominator) in (("england", england), ("neighbours", neighbours)):
        benchmark = (count / denominator * multiplier
                     if denominator and not np.isnan(denominator) else float("nan"))
        out[name] = benchmark
        out[f"vs_{name}"] = compare_to_benchmark(out["value"], out["lower"], out["upper"],
                                                 benchmark, polarity=polarity)["comparison"]
    return out


@dataclass(frozen=True)
class AnnualTrend:
    """Average yearly change of an annual series, from a quasi-likelihood regression.

    Attributes
    ----------
    first_year, last_year : str
        Labels of the first and last years used.
    years : int
        Years with a published value.
    ratio, lower, upper : float
        Average yearly rate ratio (or odds ratio for proportions) and its confidence limits.
    p_value : float
        Two-sided Wald test of no trend, with the standard error scaled by the Pearson
        dispersion (never below 1).
    dispersion : float
        Pearson chi-square / degrees of freedom.
    method : str
        The test, in words.
    """

    first_year: str
    last_year: str
    years: int
    ratio: float
    lower: float
    upper: float
    p_value: float
    dispersion: float
    method: str
    conf: float = 0.95

    @property
    def verdict(self) -> str:
        """'rising', 'falling' or 'no clear change' (at the chosen confidence level)."""
        if self.p_value < 1 - self.conf:
            return "rising" if self.ratio > 1 else "falling"
        return "no clear change"

    def sentence(self, subject: str) -> str:
        """A plain-English sentence about the trend.

        Examples
        --------
        >>> t = AnnualTrend("2018", "2025", 8, 0.95, 0.91, 0.99, 0.01, 1.4, "quasi-Poisson")
        >>> t.sentence("Gang-related assessments")[:60]
        'Gang-related assessments fell between 2018 and 2025, on aver'
        """
        change = abs(self.ratio - 1) * 100
        if self.verdict == "no clear change":
            likely = format_interval((self.lower - 1) * 100, (self.upper - 1) * 100,
                                     formatter=_signed)
            return (f"{subject} showed no clear change between {self.first_year} and "
                    f"{self.last_year} (average change {_signed((self.ratio - 1) * 100)} a "
                    f"year, likely range {likely}).")
        verb = "rose" if self.verdict == "rising" else "fell"
        ends = sorted([abs(self.lower - 1) * 100, abs(self.upper - 1) * 100])
        return (f"{subject} {verb} between {self.first_year} and {self.last_year}, on average "
                f"by {format_percent(change, decimals=1)} a year (likely range "
                f"{format_interval(*ends, formatter=_percent_1dp)} a year).")


def _percent_1dp(value: float) -> str:
    return format_percent(value, decimals=1)


def _signed(value: float) -> str:
    return format_percent(value, decimals=1, signed=True)


def _year_number(label: str) -> float:
    return float(str(label)[:4])


def annual_trend(counts: pd.Series, *, exposure: pd.Series | None = None, kind: str = "rate",
                 conf: float = 0.95) -> AnnualTrend | None:
    """Average yearly change with a test that allows for extra year-to-year variation.

    Parameters
    ----------
    counts : Series
        Events (kind "rate") or people with the characteristic (kind "proportion"), indexed by
        year label ("2021", "2021/22"); missing values (unpublished years) are left out.
    exposure : Series, optional
        Population (rate) or group size (proportion) for the same years; for a rate it may be
        omitted (counts compared as they are).
    kind : {"rate", "proportion"}
        Poisson family with a log-population offset, or binomial family.
    conf : float

    Returns
    -------
    AnnualTrend or None
        None when fewer than three years have a published value.

    Notes
    -----
    A generalised linear model of the count on the year (log link for rates, logit for
    proportions) fitted with statsmodels; the standard error is multiplied by the square root
    of the Pearson dispersion when that is above 1 (quasi-Poisson / quasi-binomial), so a
    series that varies more than chance alone would make is not over-read.

    Examples
    --------
    >>> years = [str(y) for y in range(2018, 2026)]
    >>> t = annual_trend(pd.Series([100, 110, 121, 133, 146, 161, 177, 195], index=years))
    >>> round(t.ratio, 3), t.verdict
    (1.1, 'rising')
    """
    import statsmodels.api as sm

    data = pd.DataFrame({"count": pd.Series(counts, dtype="Float64").astype(float)})
    data["exposure"] = (pd.Series(exposure, dtype="Float64").astype(float).reindex(data.index)
                        if exposure is not None else 1.0)
    data = data.dropna()
    data = data[data["exposure"] > 0]
    if len(data) < 3:
        return None
    x = np.array([_year_number(i) for i in data.index])
    design = sm.add_constant(x - x.min())
    if kind == "rate":
        model = sm.GLM(data["count"].to_numpy(), design, family=sm.families.Poisson(),
                       offset=np.log(data["exposure"].to_numpy()))
        method = "quasi-Poisson regression on the year"
    elif kind == "proportion":
        share = (data["count"] / data["exposure"]).to_numpy()
        model = sm.GLM(share, design, family=sm.families.Binomial(),
                       var_weights=data["exposure"].to_numpy())
        method = "quasi-binomial regression on the year"
    else:
        raise SnaInputError(f"kind must be 'rate' or 'proportion', got {kind!r}", column="kind",
                            value=kind, fix="use 'rate' or 'proportion'")
    fitted = model.fit()
    df_resid = max(len(data) - 2, 1)
    dispersion = float(fitted.pearson_chi2 / df_resid)
    scale = max(dispersion, 1.0)
    from scipy import stats

    slope = float(fitted.params[1])
    se = float(fitted.bse[1]) * np.sqrt(scale)
    z = stats.norm.ppf(0.5 + conf / 2)
    p = float(2 * stats.norm.sf(abs(slope / se))) if se > 0 else float("nan")
    return AnnualTrend(first_year=str(data.index[0]), last_year=str(data.index[-1]),
                       years=len(data), ratio=float(np.exp(slope)),
                       lower=float(np.exp(slope - z * se)), upper=float(np.exp(slope + z * se)),
                       p_value=p, dispersion=dispersion,
                       method=f"{method} (standard error scaled by the Pearson dispersion "
                              f"{format_statistic(dispersion)} when above 1)", conf=conf)
