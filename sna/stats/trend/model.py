"""The count models every trend and change test shares: series checks, design, GLM fits.

A series is a count Series with a monthly or quarterly PeriodIndex. The model is a
log-linear GLM with an intercept, a linear trend in years and (when asked)
effect-coded season terms, fitted by statsmodels; over-dispersion is measured by
the Pearson chi-square of its Poisson fit.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize, stats

from sna.errors import SnaInputError
from sna.periods import period_label, periods_per_year, season_number

__all__ = [
    "DispersionCheck",
]

DISPERSION_RATIO_LIMIT = 1.5
DISPERSION_ALPHA = 0.05
_LOG_ALPHA_BOUNDS = (math.log(1e-8), math.log(100.0))
DISPERSION_RULE = (
    "negative binomial (NB2, dispersion alpha by maximum likelihood) replaces Poisson when the "
    f"Poisson model's Pearson chi-square / residual df > {DISPERSION_RATIO_LIMIT} and the Pearson "
    f"chi-square test of dispersion gives p < {DISPERSION_ALPHA}"
)


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
    per_year = periods_per_year(counts.index)
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


def _design(periods: pd.PeriodIndex, origin: int, per_year: int, seasons: bool) -> np.ndarray:
    """Intercept, years since the first period, and effect-coded seasons."""
    years = (periods.asi8 - origin) / per_year
    columns = [np.ones(len(periods)), years]
    if seasons:
        season = np.array([season_number(p) for p in periods])
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
