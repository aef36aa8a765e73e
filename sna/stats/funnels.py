"""Funnel plot control limits and significance labels (PHE / Fingertips methods).

Two verbs: :func:`funnel_limits` gives the 95% and 99.8% control limits on a grid of
denominators (for drawing), and :func:`funnel_significance` labels each point
"High (0.001)", "High (0.025)", "Low (0.025)", "Low (0.001)" or "Not significant".

* proportions: Wilson-score limits inverted about the baseline proportion
  (PHEindicatormethods ``sigma_adjustment``);
* ratios (observed / expected, e.g. an indirectly standardised ratio) and crude
  rates: exact Poisson limits on the expected events (``poisson_funnel``); points are
  labelled with the count limits of the observed events (exact below 10, Byars from
  10), as ``assign_funnel_significance``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special, stats

from sna.errors import SnaInputError
from sna.stats.rates import (
    ArrayLike,
    _count_limits,
    _numeric_inputs,
    check_counts,
    check_denominators,
    check_multiplier,
)

__all__ = [
    "funnel_limits",
    "funnel_significance",
]

STATISTICS = ("proportion", "ratio", "rate")
# (column suffix, two-sided confidence, one-sided tail probability in the label)
LEVELS = (("95", 0.95, "0.025"), ("99_8", 0.998, "0.001"))
NOT_SIGNIFICANT = "Not significant"


def _check_statistic(statistic: str) -> None:
    if statistic not in STATISTICS:
        raise SnaInputError(f"statistic must be one of {list(STATISTICS)}, got {statistic!r}",
                            fix="use 'proportion' (numerator within denominator), 'ratio' "
                                "(observed / expected) or 'rate' (crude rate of events)",
                            column="statistic", value=statistic)


def _proportion_limit(conf: float, population: np.ndarray, baseline: float,
                      side: str) -> np.ndarray:
    """Proportion whose Wilson interval at ``conf`` just reaches ``baseline`` (PHE)."""
    z2 = stats.norm.ppf(1 - (1 - conf) / 2) ** 2
    first = baseline * (population / z2 + 1)
    root = np.sqrt((-8 * baseline * (population / z2 + 1)) ** 2
                   - 64 * (1 / z2 + 1 / population) * baseline
                   * (population * (baseline * (population / z2 + 2) - 1) + z2 * (baseline - 1)))
    last = 1 / z2 + 1 / population
    sign = -1 if side == "low" else 1
    return (first + sign * root / 8) / last / population


def _ratio_limits(expected: np.ndarray, conf: float) -> tuple[np.ndarray, np.ndarray]:
    """Observed / expected at the exact Poisson control limits for ``expected`` events.

    The lower limit is the (continuous) count O with P(X <= O | E) = alpha/2, the upper
    the count with P(X >= O | E) = alpha/2, written with the regularised incomplete
    gamma function and inverted in its shape by ``scipy.special.gdtrib``.
    """
    tail = (1 - conf) / 2
    with np.errstate(invalid="ignore"):
        lower_count = np.clip(special.gdtrib(1.0, 1 - tail, expected) - 1, 0, None)
        upper_count = special.gdtrib(1.0, tail, expected)
    return lower_count / expected, upper_count / expected


def funnel_limits(denominator: ArrayLike, statistic: str, *, multiplier: float,
                  baseline: float | None = None) -> pd.DataFrame:
    r"""Control limits of a funnel plot at each denominator (for drawing).

    Parameters
    ----------
    denominator : number, list, array or Series
        Where to evaluate the limits: sample sizes (proportion), expected events
        (ratio) or populations (rate); > 0. Use e.g. ``numpy.geomspace`` for a grid.
    statistic : {"proportion", "ratio", "rate"}
    multiplier : float
        Units of the output: 100 for a percentage, 100 for a ratio x 100 (1 for a
        plain O/E ratio), 100000 for a rate per 100,000.
    baseline : float, optional
        The funnel's centre, in output units: the overall proportion or rate (sum of
        numerators / sum of denominators x multiplier). Not used for ratios, whose
        centre is 1 x multiplier.

    Returns
    -------
    pandas.DataFrame
        ``denominator, baseline, lower_95, upper_95, lower_99_8, upper_99_8,
        statistic, method``. Proportion limits are clipped to [0, multiplier].

    Raises
    ------
    SnaInputError
        Unknown statistic, denominators <= 0, a baseline missing (proportion, rate),
        given (ratio) or outside (0, multiplier) for a proportion.

    Notes
    -----
    Proportion limits solve Wilson's score interval for the observed proportion whose
    lower (upper) limit equals the baseline: PHE ``sigma_adjustment`` with
    :math:`p = 0.975, 0.999`. Ratio limits at :math:`E` expected events are
    :math:`O_L/E` and :math:`O_U/E` where :math:`P(X \le O_L \mid E) = \alpha/2` and
    :math:`P(X \ge O_U \mid E) = \alpha/2` for Poisson :math:`X` (continuous in
    :math:`O`), the curve PHE ``poisson_funnel`` traces at whole :math:`O`. A crude
    rate funnel is the ratio funnel at :math:`E = n \times` baseline / multiplier,
    scaled by the baseline.

    Examples
    --------
    >>> f = funnel_limits([10, 100, 1000], "ratio", multiplier=100)
    >>> f[["lower_95", "upper_95"]].round(1).to_numpy().tolist()
    [[38.3, 171.3], [80.4, 120.6], [93.8, 106.3]]
    """
    _check_statistic(statistic)
    multiplier = check_multiplier(multiplier)
    (n,), index = _numeric_inputs({"denominator": denominator})
    check_denominators(n)
    centre = _check_baseline(baseline, statistic, multiplier)
    columns: dict[str, np.ndarray | float] = {"denominator": n, "baseline": centre}
    for suffix, conf, _ in LEVELS:
        if statistic == "proportion":
            p = centre / multiplier
            low = np.clip(_proportion_limit(conf, n, p, "low"), 0, 1) * multiplier
            high = np.clip(_proportion_limit(conf, n, p, "high"), 0, 1) * multiplier
        else:
            expected = n if statistic == "ratio" else n * centre / multiplier
            low, high = (limit * centre for limit in _ratio_limits(expected, conf))
        columns |= {f"lower_{suffix}": low, f"upper_{suffix}": high}
    frame = pd.DataFrame(columns, index=index)
    frame["statistic"] = statistic
    frame["method"] = "Wilson" if statistic == "proportion" else "Poisson"
    return frame


def _check_baseline(baseline: float | None, statistic: str, multiplier: float) -> float:
    if statistic == "ratio":
        if baseline is not None:
            raise SnaInputError("a ratio funnel is centred on 1 x multiplier; baseline is not "
                                "used", fix="leave baseline out for statistic='ratio'",
                                column="baseline", value=baseline)
        return float(multiplier)
    upper = multiplier if statistic == "proportion" else np.inf
    if baseline is None or not 0 < baseline < upper:
        raise SnaInputError(f"baseline must be a number in (0, {upper:g}) for a "
                            f"{statistic} funnel, got {baseline!r}",
                            fix="pass the overall value (sum of numerators / sum of "
                                "denominators x multiplier)", column="baseline", value=baseline)
    return float(baseline)


def funnel_significance(numerator: ArrayLike, denominator: ArrayLike, statistic: str, *,
                        multiplier: float = 1, baseline: float | None = None) -> pd.DataFrame:
    """Label each point against the funnel's 95% and 99.8% control limits.

    Parameters
    ----------
    numerator, denominator : number, list, array or Series
        Proportion: cases and sample sizes. Ratio: observed and expected events.
        Rate: events and populations.
    statistic : {"proportion", "ratio", "rate"}
    multiplier : float, default 1
        Units of ``value`` and ``baseline`` (100 for percentages, 100000 for rates).
    baseline : float, optional
        Centre of the funnel in output units. By default (as PHE) the sum of the
        numerators over the sum of the denominators of the points given (for a
        ratio: 1 x multiplier; a ratio baseline may not be set).

    Returns
    -------
    pandas.DataFrame
        ``value, baseline, significance``; ``significance`` is one of "High (0.001)",
        "High (0.025)", "Low (0.025)", "Low (0.001)", "Not significant" (missing when an
        input is missing). "High (0.001)" means above the 99.8% limit.

    Raises
    ------
    SnaInputError
        Unknown statistic, negative numerators, denominators <= 0, numerators above
        denominators (proportion), mismatched lengths.

    Notes
    -----
    Proportions: PHE ``assign_funnel_significance`` compares ``x/n`` with the
    ``sigma_adjustment`` limits at ``n``. Ratios: high when the lower count limit of
    O over E exceeds 1, low when the upper one is below 1 (exact limits for O < 10,
    Byars from 10). Crude rates: as ratios with E = n x baseline rate.

    Examples
    --------
    >>> funnel_significance([8, 151, 159], [6.24, 106.44, 232.93], "ratio")[
    ...     "significance"].tolist()
    ['Not significant', 'High (0.001)', 'Low (0.001)']
    """
    _check_statistic(statistic)
    multiplier = check_multiplier(multiplier)
    (x, n), index = _numeric_inputs({"numerator": numerator, "denominator": denominator})
    check_counts(x, "numerator")
    check_denominators(n)
    if statistic == "proportion" and np.any(x > n):
        raise SnaInputError("numerators must be less than or equal to denominators for a "
                            "proportion", fix="check the inputs, or use statistic='rate'",
                            column="numerator")
    if baseline is None and statistic != "ratio":
        usable = ~(np.isnan(x) | np.isnan(n))
        baseline = float(x[usable].sum() / n[usable].sum() * multiplier)
    centre = _check_baseline(baseline, statistic, multiplier)
    if statistic == "proportion":
        labels = _proportion_labels(x / n, n, centre / multiplier)
    else:
        expected = n if statistic == "ratio" else n * centre / multiplier
        labels = _ratio_labels(x, expected)
    labels[np.isnan(x) | np.isnan(n)] = None
    return pd.DataFrame({"value": x / n * multiplier, "baseline": centre,
                         "significance": pd.Series(labels, index=index, dtype="str")},
                        index=index)


def _proportion_labels(proportion: np.ndarray, n: np.ndarray, baseline: float) -> np.ndarray:
    outside = {(side, tail): (proportion < _proportion_limit(conf, n, baseline, side))
               if side == "low" else (proportion > _proportion_limit(conf, n, baseline, side))
               for _, conf, tail in LEVELS for side in ("low", "high")}
    order = [("low", "0.001"), ("low", "0.025"), ("high", "0.001"), ("high", "0.025")]
    return _select_labels([outside[key] for key in order], order)


def _ratio_labels(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    bounds = {tail: _count_limits(observed, conf)[:2] for _, conf, tail in LEVELS}
    conditions = [bounds["0.001"][0] / expected > 1, bounds["0.025"][0] / expected > 1,
                  bounds["0.001"][1] / expected < 1, bounds["0.025"][1] / expected < 1]
    order = [("high", "0.001"), ("high", "0.025"), ("low", "0.001"), ("low", "0.025")]
    return _select_labels(conditions, order)


def _select_labels(conditions: list[np.ndarray], order: list[tuple[str, str]]) -> np.ndarray:
    choices = [f"{side.capitalize()} ({tail})" for side, tail in order]
    return np.select(conditions, choices, NOT_SIGNIFICANT).astype(object)
