"""Funnel plot control limits and significance labels (PHE / Fingertips methods).

Three verbs: :func:`funnel_dispersion` measures whether the units vary more than
chance allows (Spiegelhalter 2005: winsorised z-scores, over-dispersion factor phi,
random-effects variance tau^2); :func:`funnel_limits` gives the 95% and 99.8% control
limits on a grid of denominators (for drawing), adjusted for that over-dispersion when
given it; and :func:`funnel_significance` labels each point "High (0.001)",
"High (0.025)", "Low (0.025)", "Low (0.001)" or "Not significant" against the same limits.

* proportions: Wilson-score limits inverted about the baseline proportion
  (PHEindicatormethods ``sigma_adjustment``);
* ratios (observed / expected, e.g. an indirectly standardised ratio) and crude
  rates: exact Poisson limits on the expected events (``poisson_funnel``); points are
  labelled with the count limits of the observed events (exact below 10, Byars from
  10), as ``assign_funnel_significance``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats
from scipy.stats import mstats

from sna.errors import SnaInputError
from sna.stats.rates import (
    ArrayLike,
    _count_limits,
    _numeric_inputs,
    check_counts,
    check_denominators,
    check_multiplier,
)
from sna.wording import format_p, format_percent, format_rate, format_statistic

__all__ = [
    "FunnelDispersion",
    "funnel_dispersion",
    "funnel_limits",
    "funnel_significance",
]

STATISTICS = ("proportion", "ratio", "rate")
# (column suffix, two-sided confidence, one-sided tail probability in the label)
LEVELS = (("95", 0.95, "0.025"), ("99_8", 0.998, "0.001"))
NOT_SIGNIFICANT = "Not significant"
ADJUSTMENTS = ("additive", "multiplicative", "none")
WINSOR = 0.1
DISPERSION_ALPHA = 0.05


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


@dataclass(frozen=True)
class FunnelDispersion:
    """Over-dispersion of the units of a funnel plot (:func:`funnel_dispersion`).

    Attributes
    ----------
    statistic : str
        ``"proportion"``, ``"ratio"`` or ``"rate"``.
    n_units : int
        Units used (missing inputs left out).
    phi : float
        Over-dispersion factor: mean of the squared winsorised z-scores.
    p_value : float
        Upper tail of chi-square(n_units - 1) at ``n_units * phi``.
    tau2 : float
        Between-unit variance on the z-score's scale (additive random effects), >= 0.
    winsor : float
        Share winsorised at each end of the z-scores.
    adjustment : str
        ``"additive"`` (random effects, tau^2), ``"multiplicative"`` (phi) or ``"none"``
        (no evidence of over-dispersion, or not asked for): the limits used.
    baseline : float
        Centre of the funnel in output units.
    multiplier : float
    """

    statistic: str
    n_units: int
    phi: float
    p_value: float
    tau2: float
    winsor: float
    adjustment: str
    baseline: float
    multiplier: float

    @property
    def overdispersed(self) -> bool:
        """Whether phi > 1 with p < 0.05."""
        return bool(self.phi > 1 and self.p_value < DISPERSION_ALPHA)

    @property
    def method(self) -> str:
        """The limits, in words, for the line under the chart."""
        base = "Wilson" if self.statistic == "proportion" else "exact Poisson"
        check = (f"over-dispersion factor phi = {format_statistic(self.phi, decimals=1)} from "
                 f"{self.n_units} {format_percent(self.winsor * 100, decimals=0)}-winsorised "
                 f"z-scores ({format_p(self.p_value, alpha=DISPERSION_ALPHA)})")
        if self.adjustment == "additive":
            return (f"Control limits widened for over-dispersion by additive random effects "
                    f"(Spiegelhalter 2005; {check}; tau^2 = {format_rate(self.tau2)}).")
        if self.adjustment == "multiplicative":
            return (f"Control limits widened for over-dispersion by the factor sqrt(phi) "
                    f"(Spiegelhalter 2005; {check}).")
        return f"{base} control limits; {check}: no adjustment."


def _z_scale(x: np.ndarray, n: np.ndarray, statistic: str, centre: float,
             multiplier: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Each unit's value y, standard error s on the z-score's scale, and the target.

    Ratios and rates use the square-root scale (Spiegelhalter 2005, CQC):
    ``y = sqrt(O / E)``, ``s = 1 / (2 sqrt(E))``, target 1; proportions the
    plain scale: ``y = x / n``, ``s = sqrt(p0 (1 - p0) / n)``, target p0.
    """
    if statistic == "proportion":
        p0 = centre / multiplier
        return x / n, np.sqrt(p0 * (1 - p0) / n), p0
    expected = n if statistic == "ratio" else n * centre / multiplier
    return np.sqrt(x / expected), 1 / (2 * np.sqrt(expected)), 1.0


def funnel_dispersion(count: ArrayLike, denominator: ArrayLike, statistic: str, *,
                      multiplier: float = 1, baseline: float | None = None,
                      adjustment: str = "additive", winsor: float = WINSOR) -> FunnelDispersion:
    r"""Measure over-dispersion of a funnel plot's units and choose the limits' adjustment.

    Parameters
    ----------
    count, denominator : number, list, array or Series
        As :func:`funnel_significance`.
    statistic : {"proportion", "ratio", "rate"}
    multiplier : float, default 1
    baseline : float, optional
        Centre in output units (default: sum of counts / sum of denominators; 1 x
        multiplier for a ratio).
    adjustment : {"additive", "multiplicative", "none"}, default "additive"
        How limits are widened when over-dispersion is in evidence: additive random
        effects (tau^2, recommended by Spiegelhalter 2005 when units differ in size)
        or the multiplicative factor phi. Without evidence, no adjustment.
    winsor : float, default 0.1
        Share of z-scores winsorised at each end (0 to 0.25).

    Returns
    -------
    FunnelDispersion

    Raises
    ------
    SnaInputError
        As :func:`funnel_significance`; unknown ``adjustment``; ``winsor`` out of range.

    Notes
    -----
    Spiegelhalter (2005): z-scores :math:`z_i = (y_i - 	heta_0)/s_i` are winsorised
    (the lowest and highest ``winsor`` shares set to the nearest remaining value),
    :math:`\hat\phi = rac{1}{I}\sum z_{i,w}^2`, and over-dispersion is in evidence
    when :math:`I\hat\phi` exceeds the chi-square(:math:`I-1`) 95th percentile.
    Multiplicative limits are :math:`	heta_0 \pm z_p\sqrt{\hat\phi}\,s`; additive
    limits :math:`	heta_0 \pm z_p\sqrt{s^2 + \hat	au^2}` with
    :math:`\hat	au^2 = \max\{0, (I\hat\phi - (I-1)) / (\sum w_i - \sum w_i^2/\sum w_i)\}`,
    :math:`w_i = 1/s_i^2`. Ratios and rates are on the square-root scale
    (:math:`y = \sqrt{O/E}`, :math:`s = 1/(2\sqrt E)`), limits squared back.

    References
    ----------
    Spiegelhalter, D. J. (2005). Handling over-dispersion of performance indicators.
    Quality and Safety in Health Care 14(5), 347-351.

    Examples
    --------
    >>> d = funnel_dispersion([130, 80, 40, 330, 120], [100, 100, 50, 300, 150], "ratio")
    >>> d.overdispersed, d.adjustment, round(d.phi, 1)
    (True, 'additive', 4.8)
    """
    _check_statistic(statistic)
    if adjustment not in ADJUSTMENTS:
        raise SnaInputError(f"adjustment must be one of {list(ADJUSTMENTS)}, got "
                            f"{adjustment!r}", fix="use 'additive' (random effects) or "
                            "'multiplicative'", column="adjustment", value=adjustment)
    if not 0 <= winsor < 0.25:
        raise SnaInputError(f"winsor must be in [0, 0.25), got {winsor!r}",
                            fix="use 0.1 (10% at each end, as Spiegelhalter 2005)",
                            column="winsor", value=winsor)
    multiplier = check_multiplier(multiplier)
    (x, n), _ = _numeric_inputs({"count": count, "denominator": denominator})
    check_counts(x, name="count")
    check_denominators(n)
    usable = ~(np.isnan(x) | np.isnan(n))
    x, n = x[usable], n[usable]
    if baseline is None and statistic != "ratio":
        baseline = float(x.sum() / n.sum() * multiplier)
    centre = _check_baseline(baseline, statistic, multiplier)
    y, se, target = _z_scale(x, n, statistic, centre, multiplier)
    z = (y - target) / se
    units = len(z)
    winsorised = np.asarray(mstats.winsorize(z, limits=(winsor, winsor)))
    phi = float(np.mean(winsorised**2)) if units else float("nan")
    p_value = float(stats.chi2.sf(units * phi, units - 1)) if units > 1 else float("nan")
    weights = 1 / se**2
    spread = float(weights.sum() - (weights**2).sum() / weights.sum()) if units else 0.0
    tau2 = max(0.0, (units * phi - (units - 1)) / spread) if spread > 0 else 0.0
    evidence = phi > 1 and p_value < DISPERSION_ALPHA
    return FunnelDispersion(statistic, units, phi, p_value, tau2, winsor,
                            adjustment if evidence else "none", centre, multiplier)


def _adjusted_limits(n: np.ndarray, dispersion: FunnelDispersion,
                     conf: float) -> tuple[np.ndarray, np.ndarray]:
    """Limits in output units, widened by phi (multiplicative) or tau^2 (additive)."""
    d = dispersion
    y_unit = np.ones(len(n))
    _, se, target = _z_scale(y_unit, n, d.statistic, d.baseline, d.multiplier)
    spread = (np.sqrt(d.phi) * se if d.adjustment == "multiplicative"
              else np.sqrt(se**2 + d.tau2))
    z = stats.norm.ppf(0.5 + conf / 2)
    low, high = target - z * spread, target + z * spread
    if d.statistic == "proportion":
        return (np.clip(low, 0, 1) * d.multiplier, np.clip(high, 0, 1) * d.multiplier)
    return np.clip(low, 0, None) ** 2 * d.baseline, high**2 * d.baseline


def funnel_limits(denominator: ArrayLike, statistic: str, *, multiplier: float,
                  baseline: float | None = None,
                  dispersion: FunnelDispersion | None = None) -> pd.DataFrame:
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
    dispersion : FunnelDispersion, optional
        From :func:`funnel_dispersion`: when its ``adjustment`` is not ``"none"`` the
        limits are widened for over-dispersion (and its baseline is used).

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
    adjusted = dispersion is not None and dispersion.adjustment != "none"
    if adjusted:
        _check_same_funnel(dispersion, statistic, multiplier)
        baseline = None if statistic == "ratio" else dispersion.baseline
    centre = _check_baseline(baseline, statistic, multiplier)
    columns: dict[str, np.ndarray | float] = {"denominator": n, "baseline": centre}
    for suffix, conf, _ in LEVELS:
        if adjusted:
            low, high = _adjusted_limits(n, dispersion, conf)
        elif statistic == "proportion":
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
    if adjusted:
        frame["method"] = (f"{dispersion.adjustment} over-dispersion "
                           f"(phi {format_statistic(dispersion.phi)})")
    return frame


def _check_same_funnel(dispersion: FunnelDispersion, statistic: str, multiplier: float) -> None:
    if dispersion.statistic != statistic or dispersion.multiplier != multiplier:
        raise SnaInputError("the dispersion was measured for another funnel "
                            f"({dispersion.statistic}, multiplier {dispersion.multiplier:g})",
                            fix="pass the same statistic and multiplier to funnel_dispersion",
                            column="dispersion")


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
                            fix="pass the overall value (sum of counts / sum of "
                                "denominators x multiplier)", column="baseline", value=baseline)
    return float(baseline)


def funnel_significance(count: ArrayLike, denominator: ArrayLike, statistic: str, *,
                        multiplier: float = 1, baseline: float | None = None,
                        dispersion: FunnelDispersion | None = None) -> pd.DataFrame:
    """Label each point against the funnel's 95% and 99.8% control limits.

    Parameters
    ----------
    count, denominator : number, list, array or Series
        Proportion: cases and sample sizes. Ratio: observed and expected events.
        Rate: events and populations.
    statistic : {"proportion", "ratio", "rate"}
    multiplier : float, default 1
        Units of ``value`` and ``baseline`` (100 for percentages, 100000 for rates).
    baseline : float, optional
        Centre of the funnel in output units. By default (as PHE) the sum of the
        counts over the sum of the denominators of the points given (for a
        ratio: 1 x multiplier; a ratio baseline may not be set).
    dispersion : FunnelDispersion, optional
        From :func:`funnel_dispersion` on the same points: when its ``adjustment`` is
        not ``"none"``, points are labelled against the limits widened for
        over-dispersion (z-scores divided by sqrt(phi), or by sqrt(1 + tau^2 / s^2)).

    Returns
    -------
    pandas.DataFrame
        ``value, baseline, significance``; ``significance`` is one of "High (0.001)",
        "High (0.025)", "Low (0.025)", "Low (0.001)", "Not significant" (missing when an
        input is missing). "High (0.001)" means above the 99.8% limit.

    Raises
    ------
    SnaInputError
        Unknown statistic, negative counts, denominators <= 0, numerators above
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
    (x, n), index = _numeric_inputs({"count": count, "denominator": denominator})
    check_counts(x, name="count")
    check_denominators(n)
    if statistic == "proportion" and np.any(x > n):
        raise SnaInputError("numerators must be less than or equal to denominators for a "
                            "proportion", fix="check the inputs, or use statistic='rate'",
                            column="count")
    if baseline is None and statistic != "ratio":
        usable = ~(np.isnan(x) | np.isnan(n))
        baseline = float(x[usable].sum() / n[usable].sum() * multiplier)
    centre = _check_baseline(baseline, statistic, multiplier)
    if dispersion is not None and dispersion.adjustment != "none":
        _check_same_funnel(dispersion, statistic, multiplier)
        labels = _adjusted_labels(x, n, dispersion)
    elif statistic == "proportion":
        labels = _proportion_labels(x / n, n, centre / multiplier)
    else:
        expected = n if statistic == "ratio" else n * centre / multiplier
        labels = _ratio_labels(x, expected)
    labels[np.isnan(x) | np.isnan(n)] = None
    return pd.DataFrame({"value": x / n * multiplier, "baseline": centre,
                         "significance": pd.Series(labels, index=index, dtype="str")},
                        index=index)


def _adjusted_labels(x: np.ndarray, n: np.ndarray, dispersion: FunnelDispersion) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        y, se, target = _z_scale(x, n, dispersion.statistic, dispersion.baseline,
                                 dispersion.multiplier)
    spread = (np.sqrt(dispersion.phi) * se if dispersion.adjustment == "multiplicative"
              else np.sqrt(se**2 + dispersion.tau2))
    z = (y - target) / spread
    cut = {tail: stats.norm.ppf(0.5 + conf / 2) for _, conf, tail in LEVELS}
    conditions = [z > cut["0.001"], z > cut["0.025"], z < -cut["0.001"], z < -cut["0.025"]]
    order = [("high", "0.001"), ("high", "0.025"), ("low", "0.001"), ("low", "0.025")]
    return _select_labels(conditions, order)


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
