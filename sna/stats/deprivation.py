"""Rates by deprivation decile and a test for a deprivation gradient."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from sna.errors import SnaInputError
from sna.stats.rates import rate_ci
from sna.wording import format_p, format_percent, format_ratio

__all__ = [
    "Gradient",
    "imd_gradient",
    "rates_by_imd_decile",
]


def rates_by_imd_decile(lsoas: pd.DataFrame, *, count: str = "count",
                        population: str = "population", multiplier: float = 1000,
                        conf: float = 0.95) -> pd.DataFrame:
    """Crude rate with CI per IMD decile (1 = most deprived 10% of LSOAs in England).

    Parameters
    ----------
    lsoas : pandas.DataFrame
        One row per LSOA with ``imd_decile`` and the count and population columns.
    count : str, default "count"
        The column of counts.
    population : str, default "population"
        The column of residents.
    multiplier : float, default 1000
        Rates per this many residents.
    conf : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    pandas.DataFrame
        One row per decile present: ``imd_decile``, the summed count and population
        columns, ``value, lower, upper, method`` (:func:`sna.stats.rates.rate_ci`).

    Examples
    --------
    >>> df = pd.DataFrame({"imd_decile": [1, 1, 10], "count": [5, 5, 2],
    ...                    "population": [1000, 1000, 2000]})
    >>> rates_by_imd_decile(df)["value"].tolist()
    [5.0, 1.0]
    """
    missing = {"imd_decile", count, population} - set(lsoas.columns)
    if missing:
        raise SnaInputError(f"missing column(s): {', '.join(sorted(missing))}",
                            fix="join deprivation to the LSOAs first "
                                "(sna.io.geography.lsoa_profile)")
    by = lsoas.groupby("imd_decile")[[count, population]].sum().reset_index()
    rates = rate_ci(by[count], by[population], multiplier=multiplier, conf=conf)
    return pd.concat([by, rates[["value", "lower", "upper", "method"]]], axis=1)


@dataclass(frozen=True)
class Gradient:
    """Rate ratio per decile step (towards less deprived), from a count GLM."""

    rate_ratio: float
    lower: float
    upper: float
    p_value: float
    model: str
    dispersion: float
    conf: float

    def sentence(self, subject: str) -> str:
        """One plain-English sentence with the figures and the test."""
        change = (1 - self.rate_ratio) * 100
        direction = "fall" if self.rate_ratio < 1 else "rise"
        verdict = ("a statistically significant gradient" if self.p_value < 1 - self.conf
                   else "not a statistically significant gradient")
        p = format_p(self.p_value, alpha=1 - self.conf)
        ratio = format_ratio(self.rate_ratio, lower=self.lower, upper=self.upper, conf=self.conf,
                             decimals=3)
        return (f"{subject} rates {direction} by {format_percent(abs(change), decimals=1)} with "
                f"each step from the most to the least deprived decile (rate ratio {ratio}); "
                f"this is {verdict} "
                f"(Wald test of the decile term in a {self.model} with a population offset, "
                f"{p}).")


def imd_gradient(lsoas: pd.DataFrame, *, count: str = "count", population: str = "population",
                 conf: float = 0.95, dispersion_limit: float = 1.5) -> Gradient:
    r"""Test for a deprivation gradient: ``log E[count] = a + b * decile + log(population)``.

    Fitted on LSOAs as a Poisson GLM; when the Pearson chi-square / df exceeds
    ``dispersion_limit`` the same model is fitted as a negative binomial GLM
    (NB2, alpha estimated by maximum likelihood) and its Wald test is used.
    The rate ratio :math:`e^b` is the change per decile step.

    Parameters
    ----------
    lsoas : pandas.DataFrame
        One row per LSOA with ``imd_decile`` and the count and population columns
        (LSOAs with no population are left out).
    count : str, default "count"
        The column of counts.
    population : str, default "population"
        The column of residents (the model's offset).
    conf : float, default 0.95
        Confidence level of the rate ratio's interval.
    dispersion_limit : float, default 1.5
        Pearson dispersion above which the negative binomial model is used.

    Returns
    -------
    Gradient
        ``rate_ratio, lower, upper, p_value, model, dispersion, conf``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = np.repeat(np.arange(1, 11), 30)
    >>> df = pd.DataFrame({"imd_decile": d, "population": 1500,
    ...                    "count": rng.poisson(30 * 0.9 ** d)})
    >>> g = imd_gradient(df)
    >>> round(g.rate_ratio, 1), g.p_value < 0.001
    (0.9, True)
    """
    data = lsoas[lsoas[population] > 0]
    exog = sm.add_constant(data["imd_decile"].astype(float).to_numpy())
    y = data[count].to_numpy(dtype=float)
    offset = np.log(data[population].to_numpy(dtype=float))
    fit = sm.GLM(y, exog, family=sm.families.Poisson(), offset=offset).fit()
    dispersion = float(fit.pearson_chi2 / fit.df_resid)
    model = "Poisson GLM"
    if dispersion > dispersion_limit:
        alpha = sm.NegativeBinomial(y, exog, offset=offset).fit(disp=0).params[-1]
        fit = sm.GLM(y, exog, family=sm.families.NegativeBinomial(alpha=alpha),
                     offset=offset).fit()
        model = "negative binomial GLM"
    z = stats.norm.ppf(1 - (1 - conf) / 2)
    b, se = float(fit.params[1]), float(fit.bse[1])
    return Gradient(float(np.exp(b)), float(np.exp(b - z * se)), float(np.exp(b + z * se)),
                    float(fit.pvalues[1]), model, dispersion, conf)
