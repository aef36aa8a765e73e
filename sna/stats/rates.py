"""Rates, proportions and standardised rates with confidence intervals.

The methods are those of PHEindicatormethods (UKHSA/OHID), the R package behind
Fingertips, so a figure here matches the one a public-health analyst would get:

* counts: exact Poisson limits for counts below 10, Byars' approximation from 10;
* proportions: Wilson score;
* directly standardised rates: Dobson's method, suppressed when the total count < 10;
* indirectly standardised ratios and rates: count limits of the observed total / expected.

Every function takes numbers, lists, arrays or Series (or a tidy DataFrame) and
returns a tidy DataFrame whose rows carry ``value, lower, upper`` and the metadata
``confidence``, ``statistic`` and ``method``. Missing inputs give missing outputs;
impossible inputs raise :class:`~sna.errors.SnaInputError`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from sna.checks import (
    check_conf,
    check_counts,
    check_denominators,
    check_multiplier,
    require_columns,
)
from sna.errors import SnaInputError
from sna.wording import conf_label, format_count, format_number

__all__ = [
    "TOTAL_GROUP",
    "compare_to_benchmark",
    "dsr",
    "group_rates",
    "isr",
    "proportion_ci",
    "rate_ci",
    "rates_against_total",
]

ArrayLike = float | Sequence[float] | np.ndarray | pd.Series

SMALL_COUNT = 10  # below this: exact Poisson limits, and DSRs are suppressed
EXACT, BYARS, WILSON, DOBSON = "Exact", "Byars", "Wilson", "Dobson"
REASON_SMALL_TOTAL = "total count < 10"
REASON_NO_EXPECTED = "expected count is zero"
TOTAL_GROUP = "__total__"  # label of the total row of rates_against_total
POLARITIES = ("no judgement", "low is good", "high is good")
BENCHMARK_METHODS = ("single", "double")

# ---------------------------------------------------------------- input checks


def _as_float_array(values: ArrayLike, name: str) -> np.ndarray:
    """Convert a scalar, list, array or Series to a 1-d float array (missing -> NaN)."""
    series = values if isinstance(values, pd.Series) else pd.Series(
        np.atleast_1d(np.asarray(values, dtype=object)).ravel())
    try:
        numeric = pd.to_numeric(series, errors="raise")
    except (TypeError, ValueError) as exc:
        raise SnaInputError(f"{name} must be numeric ({exc})",
                            fix=f"pass numbers (or blanks for missing) as {name}",
                            column=name) from None
    return numeric.to_numpy(dtype=float, na_value=np.nan)


def _numeric_inputs(named: dict[str, ArrayLike]) -> tuple[list[np.ndarray], pd.Index]:
    """Convert inputs to float arrays of one length (length-1 inputs are broadcast).

    Returns the arrays and the index of the first Series input of that length.
    """
    arrays = {name: _as_float_array(values, name) for name, values in named.items()}
    length = max(len(a) for a in arrays.values())
    wrong = {name: len(a) for name, a in arrays.items() if len(a) not in (1, length)}
    if wrong:
        sizes = ", ".join(f"{name}: {len(a)}" for name, a in arrays.items())
        raise SnaInputError(f"inputs have mismatched lengths ({sizes})",
                            fix="pass one value per row for each input, or a single value "
                                "to use for every row", column=next(iter(wrong)))
    index = next((v.index for v in named.values()
                  if isinstance(v, pd.Series) and len(v) == length), pd.RangeIndex(length))
    return [np.broadcast_to(a, length).astype(float) for a in arrays.values()], index


def _check_measure(measure: str) -> None:
    if measure not in ("ratio", "rate"):
        raise SnaInputError(f"measure must be 'ratio' or 'rate', got {measure!r}",
                            fix="use measure='ratio' (observed / expected) or measure='rate' "
                                "(the ratio times the reference's crude rate)",
                            column="measure", value=measure)


def _group_list(group: str | Sequence[str] | None) -> list[str]:
    if group is None:
        return []
    return [group] if isinstance(group, str) else list(group)


# ---------------------------------------------------------------- labels


# ---------------------------------------------------------------- count limits


def _z(conf: float) -> float:
    return float(stats.norm.ppf(1 - (1 - conf) / 2))


def _exact_limits(count: np.ndarray, conf: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson limits: chi-square quantiles / 2 (lower 0 for a zero count)."""
    alpha = 1 - conf
    with np.errstate(invalid="ignore"):
        lower = np.where(count == 0, 0.0, stats.chi2.ppf(alpha / 2, 2 * count) / 2)
        upper = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return lower, upper


def _byars_limits(count: np.ndarray, conf: float) -> tuple[np.ndarray, np.ndarray]:
    """Byars' approximation to the Poisson limits (Breslow and Day 1987)."""
    z = _z(conf)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = count * (1 - 1 / (9 * count) - z / (3 * np.sqrt(count))) ** 3
        upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * np.sqrt(count + 1))) ** 3
    return lower, upper


def _count_limits(count: np.ndarray, conf: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Limits of a Poisson count: exact below 10, Byars from 10; method per count."""
    exact = count < SMALL_COUNT
    exact_lower, exact_upper = _exact_limits(count, conf)
    byars_lower, byars_upper = _byars_limits(count, conf)
    lower = np.where(exact, exact_lower, byars_lower)
    upper = np.where(exact, exact_upper, byars_upper)
    method = np.where(exact, EXACT, BYARS).astype(object)
    method[np.isnan(count)] = None
    return lower, upper, method


def _ci_frame(columns: dict[str, np.ndarray], index: pd.Index, conf: float, statistic: str,
              method: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(columns, index=index)
    frame["confidence"] = conf_label(conf)
    frame["statistic"] = statistic
    frame["method"] = pd.Series(method, index=index, dtype="str")
    return frame


# ---------------------------------------------------------------- crude rates, proportions


def rate_ci(count: ArrayLike, denominator: ArrayLike, *, multiplier: float = 100_000,
            conf: float = 0.95) -> pd.DataFrame:
    r"""Crude rate with exact (count < 10) or Byars (count >= 10) confidence limits.

    Parameters
    ----------
    count : number, list, array or Series
        Numbers of events (>= 0; non-integers allowed). Missing -> missing output.
    denominator : number, list, array or Series
        Populations (> 0). A single value is used for every count.
    multiplier : float, default 100000
        Rate per ``multiplier`` people.
    conf : float, default 0.95
        Confidence level in [0.9, 1), e.g. 0.95 or 0.998.

    Returns
    -------
    pandas.DataFrame
        ``count, denominator, value, lower, upper, confidence, statistic, method``; one
        row per input, indexed like the first Series input. ``method`` is ``"Exact"`` or
        ``"Byars"`` (missing when an input is missing).

    Raises
    ------
    SnaInputError
        Negative counts, denominators <= 0, mismatched lengths, conf outside [0.9, 1).

    See Also
    --------
    proportion_ci, dsr, isr

    Notes
    -----
    As PHEindicatormethods ``phe_rate``. With :math:`x` events, :math:`n` people and
    :math:`z = \Phi^{-1}(1 - \alpha/2)`, the count limits are, for :math:`x < 10`,
    :math:`\chi^2_{\alpha/2,\,2x}/2` and :math:`\chi^2_{1-\alpha/2,\,2x+2}/2` (lower 0
    when :math:`x = 0`), and for :math:`x \ge 10` (Byars)
    :math:`x(1 - \frac{1}{9x} - \frac{z}{3\sqrt{x}})^3` and
    :math:`(x+1)(1 - \frac{1}{9(x+1)} + \frac{z}{3\sqrt{x+1}})^3`. The rate and its
    limits are these divided by :math:`n` and times ``multiplier``. A count above the
    denominator is allowed (events, not people).

    References
    ----------
    Breslow NE, Day NE. Statistical methods in cancer research, vol. II. IARC; 1987.

    Examples
    --------
    >>> r = rate_ci([0, 9, 250], 615_000)
    >>> r[["value", "lower", "upper"]].round(3).to_numpy().tolist()
    [[0.0, 0.0, 0.6], [1.463, 0.669, 2.778], [40.65, 35.767, 46.014]]
    >>> r["method"].tolist(), r["statistic"].iloc[0]
    (['Exact', 'Exact', 'Byars'], 'rate per 100,000')
    """
    conf = check_conf(conf)
    multiplier = check_multiplier(multiplier)
    (x, n), index = _numeric_inputs({"count": count, "denominator": denominator})
    check_counts(x)
    check_denominators(n)
    lower, upper, method = _count_limits(x, conf)
    method[np.isnan(n)] = None
    scale = multiplier / n
    columns = {"count": x, "denominator": n, "value": x * scale, "lower": lower * scale,
               "upper": upper * scale}
    return _ci_frame(columns, index, conf, f"rate per {format_number(multiplier)}", method)


def proportion_ci(count: ArrayLike, denominator: ArrayLike, *, multiplier: float = 1,
                  conf: float = 0.95) -> pd.DataFrame:
    r"""Proportion with Wilson score confidence limits.

    Parameters
    ----------
    count : number, list, array or Series
        Cases meeting the condition, 0 <= count <= denominator.
    denominator : number, list, array or Series
        Cases in the sample (> 0).
    multiplier : float, default 1
        1 for a proportion, 100 for a percentage.
    conf : float, default 0.95
        Confidence level in [0.9, 1).

    Returns
    -------
    pandas.DataFrame
        ``count, denominator, value, lower, upper, confidence, statistic, method``.

    Raises
    ------
    SnaInputError
        Negative counts, denominators <= 0, count > denominator, bad conf,
        mismatched lengths.

    Notes
    -----
    As PHEindicatormethods ``phe_proportion`` (Wilson 1927; Newcombe and Altman 2000):
    :math:`\frac{2x + z^2 \mp z\sqrt{z^2 + 4x(1 - x/n)}}{2(n + z^2)}`.

    Examples
    --------
    >>> p = proportion_ci(65, 100, multiplier=100)
    >>> p[["value", "lower", "upper"]].round(2).to_numpy().tolist()
    [[65.0, 55.25, 73.64]]
    >>> p["statistic"].iloc[0]
    'percentage'
    """
    conf = check_conf(conf)
    multiplier = check_multiplier(multiplier)
    (x, n), index = _numeric_inputs({"count": count, "denominator": denominator})
    check_counts(x, name="count")
    check_denominators(n)
    if np.any(x > n):
        position = int(np.flatnonzero(x > n)[0])
        raise SnaInputError(f"count ({x[position]:g}) is greater than denominator "
                            f"({n[position]:g}) at position {position}",
                            fix="a proportion needs count <= denominator; for events per "
                                "population (which can exceed it) use rate_ci",
                            column="count", value=float(x[position]))
    z = _z(conf)
    with np.errstate(invalid="ignore"):
        spread = z * np.sqrt(z**2 + 4 * x * (1 - x / n))
    lower = np.where(x == 0, 0.0, (2 * x + z**2 - spread) / (2 * (n + z**2)))
    upper = np.where(x == n, 1.0, (2 * x + z**2 + spread) / (2 * (n + z**2)))  # exact ends
    method = np.where(np.isnan(x) | np.isnan(n), None, WILSON).astype(object)
    statistic = ("percentage" if multiplier == 100
                 else f"proportion of {format_number(multiplier)}")
    columns = {"count": x, "denominator": n, "value": x / n * multiplier,
               "lower": lower * multiplier, "upper": upper * multiplier}
    return _ci_frame(columns, index, conf, statistic, method)


# ---------------------------------------------------------------- standardised rates


def _standardisation_inputs(data: pd.DataFrame, columns: dict[str, str],
                            group: list[str]) -> pd.DataFrame:
    """Numeric copies of the named columns plus the group columns; counts NA -> 0."""
    require_columns(data, [*columns.values(), *group])
    work = data[group].copy() if group else pd.DataFrame(index=data.index)
    for role, column in columns.items():
        values = _as_float_array(data[column], column)
        if role == "count":
            values = np.nan_to_num(values, nan=0.0)
        elif np.any(np.isnan(values)):
            missing = format_count(np.isnan(values).sum())
            raise SnaInputError(f"column '{column}' has {missing} missing "
                                "values", fix="fill in every stratum's population (a stratum "
                                "with no events needs count 0, not a missing population)",
                                column=column)
        work[role] = values
    return work


def _sum_by_group(work: pd.DataFrame, group: list[str]) -> pd.DataFrame:
    if not group:
        return work.sum(numeric_only=True).to_frame().T
    return work.groupby(group, sort=False, dropna=False).sum(numeric_only=True).reset_index()


def dsr(data: pd.DataFrame, count: str, population: str, standard: str,
        *, group: str | Sequence[str] | None = None, multiplier: float = 100_000,
        conf: float = 0.95) -> pd.DataFrame:
    r"""Directly standardised rate with Dobson confidence limits.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per stratum (e.g. age band, rural-urban class) per group.
    count, population, standard : str
        Columns of events (missing = 0, as PHE), the group's population in the
        stratum (> 0) and the standard population of the stratum (>= 0).
    group : str or list of str, optional
        Columns identifying each rate (e.g. ``"area"``); one rate overall if omitted.
    multiplier : float, default 100000
    conf : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per group: group columns, ``total_count, total_population, value,
        lower, upper, confidence, statistic, method, reason``. ``value`` and the limits
        are missing with ``reason`` ``"total count < 10"`` when the total count is
        below 10 (PHE: such DSRs are unreliable).

    Raises
    ------
    SnaInputError
        Missing columns, negative counts or standard populations, populations
        missing or <= 0, bad conf.

    Notes
    -----
    As PHEindicatormethods ``phe_dsr``. With stratum counts :math:`x_i`, populations
    :math:`n_i` and standard weights :math:`w_i`, :math:`O = \sum x_i`,
    :math:`DSR = \sum w_i x_i / n_i / \sum w_i` and
    :math:`var = \sum x_i (w_i / n_i)^2 / (\sum w_i)^2`; the limits are
    :math:`DSR + \sqrt{var / O}\,(O_{L,U} - O)` with :math:`O_{L,U}` Byars' limits of
    :math:`O` (Dobson et al., Stat Med 1991;10:457-62).

    Examples
    --------
    >>> df = pd.DataFrame({"band": ["young", "old"], "count": [30, 20],
    ...                    "pop": [10_000, 5_000], "std": [6_000, 4_000]})
    >>> out = dsr(df, "count", "pop", "std")
    >>> float(out["value"].iloc[0]), out["method"].iloc[0]
    (340.0, 'Dobson')
    """
    conf = check_conf(conf)
    multiplier = check_multiplier(multiplier)
    keys = _group_list(group)
    work = _standardisation_inputs(
        data, {"count": count, "population": population, "standard": standard}, keys)
    check_counts(work["count"].to_numpy(), name=count)
    check_denominators(work["population"].to_numpy(), name=population)
    check_counts(work["standard"].to_numpy(), name=standard)
    ratio = work["standard"] / work["population"]
    work["weighted"] = work["count"] * ratio
    work["squared"] = work["count"] * ratio**2
    sums = _sum_by_group(work, keys)
    observed = sums["count"].to_numpy()
    value = sums["weighted"].to_numpy() / sums["standard"].to_numpy()
    variance = sums["squared"].to_numpy() / sums["standard"].to_numpy() ** 2
    byars_lower, byars_upper = _byars_limits(observed, conf)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.sqrt(variance / observed)
    small = observed < SMALL_COUNT
    columns = {"total_count": observed, "total_population": sums["population"].to_numpy()}
    for name, estimate in (("value", value), ("lower", value + scale * (byars_lower - observed)),
                           ("upper", value + scale * (byars_upper - observed))):
        columns[name] = np.where(small, np.nan, estimate * multiplier)
    out = sums[keys].join(_ci_frame(columns, sums.index, conf,
                                    f"dsr per {format_number(multiplier)}",
                                    np.full(len(sums), DOBSON, dtype=object)))
    out["reason"] = pd.Series(np.where(small, REASON_SMALL_TOTAL, None), dtype="str")
    return out


def isr(data: pd.DataFrame, count: str, population: str, ref_count: str, ref_population: str,
        *, group: str | Sequence[str] | None = None, measure: str = "ratio", refvalue: float = 1,
        multiplier: float = 100_000, conf: float = 0.95) -> pd.DataFrame:
    r"""Indirectly standardised ratio (or rate) with exact/Byars limits.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per stratum per group, with the reference counts and populations of
        the stratum alongside (join the reference on the stratum first).
    count, population : str
        Observed events (missing = 0) and the group's population in the stratum (>= 0).
    ref_count, ref_population : str
        Reference events (>= 0) and population (> 0) in the stratum.
    group : str or list of str, optional
        Columns identifying each ratio; one overall if omitted.
    measure : {"ratio", "rate"}, default "ratio"
        ``"ratio"``: O/E x ``refvalue``. ``"rate"``: O/E x the reference crude rate
        (``sum(ref_count) / sum(ref_population) x multiplier`` over the group's rows, as
        PHE), in column ``ref_rate``.
    refvalue : float, default 1
        Scale of the ratio (1, or 100 for an SMR-style ratio x 100).
    multiplier : float, default 100000
        Rate per ``multiplier`` (``measure="rate"`` only).
    conf : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per group: group columns, ``observed, expected, [ref_rate,] value,
        lower, upper, confidence, statistic, method, reason`` (reason
        ``"expected count is zero"`` when the group has no population).

    Raises
    ------
    SnaInputError
        Missing columns, negative counts or populations, reference populations <= 0,
        bad measure or conf.

    Notes
    -----
    As PHEindicatormethods ``calculate_ISRatio`` / ``calculate_ISRate``:
    :math:`E = \sum_i n_i\, x^{ref}_i / n^{ref}_i`, :math:`O = \sum_i x_i`, ratio
    :math:`O/E`, limits the count limits of :math:`O` (exact if :math:`O < 10`, else
    Byars) divided by :math:`E`.

    Examples
    --------
    >>> df = pd.DataFrame({"band": ["a", "b"], "obs": [12, 30], "pop": [1000, 2000],
    ...                    "ref_obs": [100, 100], "ref_pop": [10_000, 5_000]})
    >>> out = isr(df, "obs", "pop", "ref_obs", "ref_pop")
    >>> out[["observed", "expected", "value"]].round(3).to_numpy().tolist()
    [[42.0, 50.0, 0.84]]
    """
    conf = check_conf(conf)
    _check_measure(measure)
    scale = check_multiplier(refvalue if measure == "ratio" else multiplier,
                              name="refvalue" if measure == "ratio" else "multiplier")
    keys = _group_list(group)
    work = _standardisation_inputs(data, {"count": count, "population": population,
                                          "ref_count": ref_count,
                                          "ref_population": ref_population}, keys)
    check_counts(work["count"].to_numpy(), name=count)
    check_counts(work["population"].to_numpy(), name=population)
    check_counts(work["ref_count"].to_numpy(), name=ref_count)
    check_denominators(work["ref_population"].to_numpy(), name=ref_population)
    work["expected"] = work["population"] * work["ref_count"] / work["ref_population"]
    sums = _sum_by_group(work, keys)
    observed, expected = sums["count"].to_numpy(), sums["expected"].to_numpy()
    lower, upper, method = _count_limits(observed, conf)
    factor = np.full(len(sums), float(scale))
    columns = {"observed": observed, "expected": expected}
    if measure == "rate":
        factor = sums["ref_count"].to_numpy() / sums["ref_population"].to_numpy() * scale
        columns["ref_rate"] = factor
    with np.errstate(divide="ignore", invalid="ignore"):
        per_expected = np.where(expected > 0, factor / expected, np.nan)
    columns |= {"value": observed * per_expected, "lower": lower * per_expected,
                "upper": upper * per_expected}
    statistic = (f"indirectly standardised ratio x {format_number(scale)}" if measure == "ratio"
                 else f"indirectly standardised rate per {format_number(scale)}")
    out = sums[keys].join(_ci_frame(columns, sums.index, conf, statistic, method))
    out["reason"] = pd.Series(np.where(expected > 0, None, REASON_NO_EXPECTED), dtype="str")
    return out


# ---------------------------------------------------------------- benchmarking


def compare_to_benchmark(value: ArrayLike, lower: ArrayLike, upper: ArrayLike,
                         benchmark: ArrayLike, *, polarity: str = "no judgement",
                         method: str = "single", benchmark_lower: ArrayLike | None = None,
                         benchmark_upper: ArrayLike | None = None) -> pd.DataFrame:
    """Compare values with a benchmark as Fingertips does (overlapping intervals).

    Parameters
    ----------
    value, lower, upper : number, list, array or Series
        The areas' values and confidence limits.
    benchmark : number, list, array or Series
        The comparator's value (e.g. England, the region, the force).
    polarity : {"no judgement", "low is good", "high is good"}, default "no judgement"
        Whether a higher value is good news. Use "no judgement" where a rise is
        ambiguous, e.g. hate-crime reporting (more reports can mean more confidence
        to report).
    method : {"single", "double"}, default "single"
        "single": similar when the benchmark value lies inside the area's interval.
        "double": similar when the area's interval and the benchmark's overlap.
    benchmark_lower, benchmark_upper : number, list, array or Series, optional
        The benchmark's limits; required for ``method="double"``.

    Returns
    -------
    pandas.DataFrame
        ``comparison`` in {"higher", "lower", "similar", "not compared"} and
        ``judgement`` in {"better", "worse", "similar", "not compared"}, or
        "no judgement" for every compared row under that polarity. Rows with any
        missing value or limit are "not compared".

    Raises
    ------
    SnaInputError
        Unknown polarity or method, missing benchmark limits for "double",
        mismatched lengths.

    Notes
    -----
    Fingertips ``SingleOverlappingCIsForOneCILevelComparer`` (similar when
    ``lower <= benchmark <= upper``) and ``DoubleOverlappingCIsComparer`` (similar when
    the lower of the two values' upper limit reaches the other's lower limit); otherwise
    the direction is that of ``value`` against ``benchmark``, turned into better/worse by
    the polarity. Intervals are inclusive at both ends.

    Examples
    --------
    >>> compare_to_benchmark([3.3, 2.5, 3.05], [3.2, 2.2, 2.7], [3.5, 2.8, 3.1], 3.0,
    ...                      polarity="low is good")["judgement"].tolist()
    ['worse', 'better', 'similar']
    """
    if polarity not in POLARITIES:
        raise SnaInputError(f"polarity must be one of {list(POLARITIES)}, got {polarity!r}",
                            fix="use 'no judgement' unless a higher value is clearly good or "
                                "bad news", column="polarity", value=polarity)
    if method not in BENCHMARK_METHODS:
        raise SnaInputError(f"method must be one of {list(BENCHMARK_METHODS)}, got {method!r}",
                            fix="use 'single' (benchmark value inside the area's interval) or "
                                "'double' (the two intervals overlap)",
                            column="method", value=method)
    if method == "double" and (benchmark_lower is None or benchmark_upper is None):
        raise SnaInputError("method 'double' needs the benchmark's confidence limits",
                            fix="pass benchmark_lower and benchmark_upper, or use "
                                "method='single'", column="benchmark_lower")
    inputs = {"value": value, "lower": lower, "upper": upper, "benchmark": benchmark}
    if method == "double":
        inputs |= {"benchmark_lower": benchmark_lower, "benchmark_upper": benchmark_upper}
    arrays, index = _numeric_inputs(inputs)
    named = dict(zip(inputs, arrays, strict=True))
    v, lo, hi, b = named["value"], named["lower"], named["upper"], named["benchmark"]
    compared = ~np.any(np.isnan(np.vstack(arrays)), axis=0)
    if method == "single":
        similar = (lo <= b) & (b <= hi)
    else:
        b_lo, b_hi = named["benchmark_lower"], named["benchmark_upper"]
        similar = np.where(v < b, b_lo <= hi, lo <= b_hi)
    comparison = np.select([~compared, similar, v < b], ["not compared", "similar", "lower"],
                           "higher")
    good = {"low is good": "lower", "high is good": "higher"}.get(polarity)
    if good is None:
        judgement = np.where(compared, "no judgement", "not compared")
    else:
        judgement = np.select([np.isin(comparison, ["not compared", "similar"]),
                               comparison == good], [comparison, "better"], "worse")
    return pd.DataFrame({"comparison": comparison, "judgement": judgement}, index=index,
                        dtype="str")


# ---------------------------------------------------------------- groups against their total


def rates_against_total(counts: pd.Series, denominators: pd.Series, *, multiplier: float,
                        conf: float = 0.95, total_label: str = TOTAL_GROUP) -> pd.DataFrame:
    """Rates of groups and of their total, each group compared with the total.

    The one place sna compares parts with their whole: sub-area rates, rates by
    rural-urban class, force areas against the forces pooled.

    Parameters
    ----------
    counts, denominators : pandas.Series
        Indexed by group label (denominators: residents, or person-years).
    multiplier : float
        E.g. 1000 for a rate per 1,000.
    conf : float, default 0.95
    total_label : str, default :data:`TOTAL_GROUP`
        Label of the total row.

    Returns
    -------
    pandas.DataFrame
        ``group, count, denominator, value, lower, upper, comparison`` (:func:`rate_ci`
        limits; :func:`compare_to_benchmark`, single overlap, against the total's rate);
        the last row is the total, with ``comparison = "benchmark"``.

    Examples
    --------
    >>> out = rates_against_total(pd.Series([10, 200], index=["a", "b"]),
    ...                           pd.Series([10_000, 20_000], index=["a", "b"]), multiplier=1000)
    >>> out[["group", "value", "comparison"]].values.tolist()
    [['a', 1.0, 'lower'], ['b', 10.0, 'higher'], ['__total__', 7.0, 'benchmark']]
    """
    count = pd.concat([counts, pd.Series({total_label: counts.sum()})]).astype(float)
    denominator = pd.concat([denominators, pd.Series({total_label: denominators.sum()})])
    rates = rate_ci(count.to_numpy(), denominator.to_numpy(dtype=float), multiplier=multiplier,
                    conf=conf)
    benchmark = float(rates["value"].iloc[-1])
    compared = compare_to_benchmark(rates["value"], rates["lower"], rates["upper"], benchmark)
    out = pd.DataFrame({"group": count.index.astype(str), "count": count.to_numpy(),
                        "denominator": denominator.to_numpy(dtype=float)})
    for column in ("value", "lower", "upper"):
        out[column] = rates[column].to_numpy(dtype=float)
    out["comparison"] = compared["comparison"].to_numpy()
    out.loc[out.index[-1], "comparison"] = "benchmark"
    return out


def group_rates(data: pd.DataFrame, by: str, *, count: str = "count",
                denominator: str = "population", multiplier: float = 1000,
                conf: float = 0.95) -> pd.DataFrame:
    """Rate with CI of each group's summed count, compared with the whole table's rate.

    Parameters
    ----------
    data : pandas.DataFrame
        Rows to sum (e.g. one per LSOA).
    by : str
        The group column (e.g. ``"district_name"``).
    count, denominator : str
        Columns summed within each group.
    multiplier : float, default 1000
    conf : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        ``<by>, <count>, <denominator>, value, lower, upper, comparison`` (single overlap
        against the whole, :func:`rates_against_total`), one row a group in the order of
        the group labels; ``attrs["benchmark"]`` is the whole table's rate.

    Examples
    --------
    >>> df = pd.DataFrame({"district_name": ["a", "b"], "count": [10, 200],
    ...                    "population": [10_000, 20_000]})
    >>> group_rates(df, "district_name")[["district_name", "comparison"]].values.tolist()
    [['a', 'lower'], ['b', 'higher']]
    """
    require_columns(data, [by, count, denominator])
    summed = data.groupby(by)[[count, denominator]].sum()
    table = rates_against_total(summed[count], summed[denominator], multiplier=multiplier,
                                conf=conf)
    out = summed.reset_index()
    for column in ("value", "lower", "upper", "comparison"):
        out[column] = table[column].iloc[:-1].to_numpy()
    out.attrs["benchmark"] = float(table["value"].iloc[-1])
    return out
