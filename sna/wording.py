"""Numbers in words: the one formatter for each kind of figure a report or a sentence prints.

Every layer prints figures (readers name file sizes and row counts, statistics write
their sentences and technical notes, reports fill tables and alt text), so the module
sits at the top level beside :mod:`sna.periods` and imports nothing from the layers.
One function per concept, one output per concept:

===================  ========================================  ==========================
concept              function                                  prints
===================  ========================================  ==========================
count                :func:`format_count`                      ``1,234``
rate, any figure     :func:`format_rate`                       ``24.8``, ``0.62``, ``0.047``
figure of any kind   :func:`format_number`                     a count if whole, else a rate
percentage           :func:`format_percent`                    ``41%``, ``6.4%``, ``+12%``
ratio with interval  :func:`format_ratio`                      ``0.88, 95% CI 0.64 to 1.20``
interval             :func:`format_interval`                   ``95% CI 2.1 to 3.4``
p-value              :func:`format_p`                          ``p = 0.031``, ``p < 0.001``
test statistic       :func:`format_statistic`                  ``11.30``
confidence level     :func:`conf_label`                        ``95%``, ``99.8%``
missing value        :data:`MISSING`                           ``–``
===================  ========================================  ==========================

Rules a reader relies on, each written once here:

- a p-value below ``alpha`` never prints as ``alpha`` or above (0.0496 is "0.0496", not
  "0.05" beside "significant");
- a ratio whose interval excludes 1 never prints a limit of "1.00";
- a non-zero rate or percentage never prints as 0, and a share below 100% never as 100%;
- counts have thousands separators and no decimals; rates have decimals by size.

Examples
--------
>>> format_count(21164.0), format_rate(24.781), format_percent(41.06), format_p(0.0496)
('21,164', '24.8', '41%', 'p = 0.0496')
>>> format_interval(2.13, 3.4, conf=0.95), format_ratio(0.878, lower=0.642, upper=1.2, conf=0.95)
('95% CI 2.13 to 3.40', '0.88, 95% CI 0.64 to 1.20')
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

__all__ = [
    "MISSING",
    "conf_label",
    "count_noun",
    "format_count",
    "format_interval",
    "format_number",
    "format_p",
    "format_percent",
    "format_rate",
    "format_ratio",
    "format_statistic",
    "is_missing",
]

MISSING = "–"
"""The mark printed for a missing value (an en dash), in tables and sentences alike."""

_MAX_DECIMALS = 6


def is_missing(value: object) -> bool:
    """Whether a value is missing: None, NaN, ``pd.NA`` or ``NaT``.

    Parameters
    ----------
    value : object
        Anything.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(0), is_missing("York")
    (True, True, False, False)
    """
    return value is None or bool(pd.api.types.is_scalar(value) and pd.isna(value))


def _fixed(value: float, decimals: int, signed: bool = False) -> str:
    if math.isinf(value):
        return ("-" if value < 0 else "+" if signed else "") + "infinity"
    text = f"{value:{'+' if signed else ''},.{decimals}f}"
    if float(text.replace(",", "")) == 0:  # never "-0.0"
        text = text.replace("-", "" if not signed else "+")
    return text


def _keep_apart(value: float, decimals: int, *edges: float) -> int:
    """More decimals until rounding moves ``value`` onto none of ``edges`` it is not on."""
    while decimals < _MAX_DECIMALS and any(
            value != edge and round(value, decimals) == edge for edge in edges):
        decimals += 1
    return decimals


def _below_smallest(value: float) -> str:
    """A non-zero value too small for the decimals sna prints: ``"< 0.000001"``."""
    smallest = _fixed(10.0 ** -_MAX_DECIMALS, _MAX_DECIMALS)
    return f"> -{smallest}" if value < 0 else f"< {smallest}"


def format_count(value: object, *, na: str = MISSING) -> str:
    """A count: a whole number with thousands separators, never decimals.

    Parameters
    ----------
    value : number
        The count (a float holding a whole number is fine; halves round away from zero).
    na : str, default :data:`MISSING`
        Printed for a missing value.

    Returns
    -------
    str

    Examples
    --------
    >>> format_count(1234), format_count(818316.0), format_count(2.5), format_count(None)
    ('1,234', '818,316', '3', '–')
    """
    if is_missing(value):
        return na
    number = float(value)
    if math.isinf(number):
        return _fixed(number, 0)
    return f"{int(math.copysign(math.floor(abs(number) + 0.5), number)):,}"


def count_noun(count: int, plural: str) -> str:
    """A count with its noun: ``"1 council"``, ``"3 councils"``, from the plural ending in "s".

    Parameters
    ----------
    count : int
        How many.
    plural : str
        The noun's plural, ending in "s" (``"councils"``, ``"LSOAs"``); a plural that
        does not end in "s" is printed as given.

    Returns
    -------
    str
        The count as :func:`format_count` prints it, then the noun, singular for 1.

    Examples
    --------
    >>> count_noun(1, "councils"), count_noun(1_200, "LSOAs"), count_noun(0, "months")
    ('1 council', '1,200 LSOAs', '0 months')
    """
    noun = plural[:-1] if count == 1 and plural.endswith("s") else plural
    return f"{format_count(count)} {noun}"


def _rate_decimals(value: float) -> int:
    size = abs(value)
    decimals = 1 if size >= 10 else 2 if size >= 0.1 or size == 0 else 3
    return _keep_apart(value, decimals, 0.0)


def format_rate(value: object, *, decimals: int | None = None, na: str = MISSING) -> str:
    """A rate (or any figure that is not a count) with decimals by size, as a reader expects.

    One decimal from 10 (``24.8``, ``357.1``), two from 0.1 (``0.62``), three below
    (``0.047``); a non-zero rate is never printed as zero (more decimals are added).

    Parameters
    ----------
    value : number
    decimals : int, optional
        Fixed decimals instead of the rule (for a column printed alike).
    na : str, default :data:`MISSING`

    Returns
    -------
    str

    Examples
    --------
    >>> format_rate(24.781), format_rate(0.6234), format_rate(0.047), format_rate(1234.56)
    ('24.8', '0.62', '0.047', '1,234.6')
    >>> format_rate(0.00042), format_rate(2.5, decimals=0), format_rate(float("nan"))
    ('0.0004', '2', '–')
    """
    if is_missing(value):
        return na
    number = float(value)
    if decimals is None:
        decimals = _rate_decimals(number)
        if number != 0 and round(number, decimals) == 0:
            return _below_smallest(number)
    return _fixed(number, decimals)


def format_number(value: object, *, na: str = MISSING) -> str:
    """A figure whose kind the caller does not know: a count if whole, otherwise a rate.

    Parameters
    ----------
    value : object
        A number.
    na : str, default :data:`MISSING`
        Text for a missing value.

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(6287), format_number(6287.0), format_number(2.25), format_number(None)
    ('6,287', '6,287', '2.25', '–')
    """
    if is_missing(value):
        return na
    number = float(value)
    if math.isfinite(number) and number.is_integer():
        return format_count(number)
    return format_rate(number)


def format_percent(value: object, *, decimals: int | None = None, signed: bool = False,
                   na: str = MISSING) -> str:
    """A percentage (the value is already x100) with a per cent sign.

    Whole per cents by default (``41%``), one decimal below 10 (``6.4%``); with
    ``decimals`` fixed. A non-zero value never prints as ``0%`` and a value below 100
    never as ``100%`` (decimals are added until it does not).

    Parameters
    ----------
    value : number
        The percentage, e.g. ``41.06`` for 41%.
    decimals : int, optional
        Fixed decimals instead of the rule.
    signed : bool, default False
        Print ``+`` before a rise (for a change); zero is ``0%``.
    na : str, default :data:`MISSING`

    Returns
    -------
    str

    Examples
    --------
    >>> format_percent(41.06), format_percent(6.44), format_percent(0.04), format_percent(99.7)
    ('41%', '6.4%', '0.04%', '99.7%')
    >>> format_percent(4.38, decimals=1), format_percent(111.1, signed=True)
    ('4.4%', '+111%')
    """
    if is_missing(value):
        return na
    number = float(value)
    if decimals is None:
        decimals = 0 if abs(number) >= 10 or number == 0 else 1
    decimals = _keep_apart(number, decimals, 0.0, 100.0, -100.0)
    if number != 0 and round(number, decimals) == 0:
        return _below_smallest(number) + "%"
    text = _fixed(number, decimals, signed=signed and number != 0)
    return f"{text}%"


def conf_label(conf: float) -> str:
    """A confidence level as a percentage: ``"95%"``, ``"99.8%"`` (the one label in sna).

    Parameters
    ----------
    conf : float
        The confidence level, e.g. 0.95.

    Returns
    -------
    str

    Examples
    --------
    >>> conf_label(0.95), conf_label(0.998)
    ('95%', '99.8%')
    """
    return f"{round(conf * 100, 6):g}%"


def format_interval(lower: object, upper: object, *, conf: float | None = None,
                    formatter: Callable[[float], str] | None = None,
                    na: str = "not available") -> str:
    """An interval, one style everywhere: ``"95% CI 2.1 to 3.4"`` (``"2.1 to 3.4"`` without conf).

    Parameters
    ----------
    lower, upper : number
        The limits.
    conf : float, optional
        Confidence level; printed before the limits as ``"95% CI"``.
    formatter : callable, optional
        How each limit is printed (e.g. ``functools.partial(format_percent, decimals=1)``).
        By default each limit is a rate (:func:`format_rate`), printed as it would be alone.
    na : str, default "not available"
        Printed (after the label) when a limit is missing.

    Returns
    -------
    str

    Examples
    --------
    >>> format_interval(2.134, 12.53), format_interval(0.5, 1.25, conf=0.9)
    ('2.13 to 12.5', '90% CI 0.50 to 1.25')
    >>> format_interval(1.5, float("nan"), conf=0.95)
    '95% CI not available'
    """
    label = f"{conf_label(conf)} CI " if conf is not None else ""
    if is_missing(lower) or is_missing(upper):
        return f"{label}{na}"
    formatter = format_rate if formatter is None else formatter
    return f"{label}{formatter(float(lower))} to {formatter(float(upper))}"


def format_ratio(ratio: object, *, lower: object = None, upper: object = None,
                 conf: float | None = None, decimals: int = 2) -> str:
    """A ratio (rate ratio, standardised ratio), with its interval when limits are given.

    Two decimals, with more when rounding would put a limit that excludes 1 on 1 (an
    interval of 1.0004 to 1.09 is "1.0004 to 1.0900", never "1.00 to 1.09" beside
    "significant"). A ratio that cannot be estimated (a zero denominator) prints as
    "not estimable" with its interval.

    Parameters
    ----------
    ratio : number
    lower, upper : number, optional
        The interval's limits.
    conf : float, optional
        Confidence level of the interval (``"95% CI"``).
    decimals : int, default 2
        Decimals at least.

    Returns
    -------
    str

    Examples
    --------
    >>> format_ratio(0.878), format_ratio(0.878, lower=0.642, upper=1.2, conf=0.95)
    ('0.88', '0.88, 95% CI 0.64 to 1.20')
    >>> format_ratio(1.0438, lower=1.0005, upper=1.0889, conf=0.95)
    '1.0438, 95% CI 1.0005 to 1.0889'
    >>> format_ratio(float("inf"), lower=3.2, upper=float("inf"), conf=0.95)
    'not estimable, 95% CI 3.20 to infinity'
    """
    if is_missing(ratio):
        return MISSING
    if not is_missing(lower) and 1 < float(lower) < math.inf:
        decimals = _keep_apart(float(lower), decimals, 1.0)
    if not is_missing(upper) and float(upper) < 1:
        decimals = _keep_apart(float(upper), decimals, 1.0)
    number = float(ratio)
    text = _fixed(number, decimals) if math.isfinite(number) else "not estimable"
    if is_missing(lower) and is_missing(upper):
        return text
    interval = format_interval(lower, upper, conf=conf,
                               formatter=lambda v: _fixed(v, decimals))
    return f"{text}, {interval}"


def format_p(p_value: float, *, alpha: float = 0.05, with_equals: bool = True) -> str:
    """A p-value: the project's one p-value formatter.

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
        0.1 or 2 decimals above, with more decimals if rounding would cross ``alpha``;
        :data:`MISSING` for a missing p-value.

    Examples
    --------
    >>> format_p(0.7213), format_p(0.0042), format_p(0.0004), format_p(0.04996)
    ('p = 0.72', 'p = 0.004', 'p < 0.001', 'p = 0.04996')
    >>> format_p(0.0496), format_p(0.0496, with_equals=False), format_p(0.0002, with_equals=False)
    ('p = 0.0496', '0.0496', '< 0.001')
    """
    if is_missing(p_value):
        return MISSING
    p_value = float(p_value)
    if p_value < 0.001:
        return "p < 0.001" if with_equals else "< 0.001"
    decimals = 2 if p_value >= 0.1 else 3
    while decimals < _MAX_DECIMALS and (p_value < alpha) != (round(p_value, decimals) < alpha):
        decimals += 1
    shown = round(p_value, decimals)
    if (p_value < alpha) != (shown < alpha):  # closer to alpha than 10^-6: cut towards p
        scaled = p_value * 10 ** decimals
        shown = (math.floor(scaled) if p_value < alpha else math.ceil(scaled)) / 10 ** decimals
    text = f"{shown:.{decimals}f}"
    return f"p = {text}" if with_equals else text


def format_statistic(value: object, *, decimals: int = 2, na: str = MISSING) -> str:
    """A test statistic or model parameter in a technical note (F, dispersion, alpha).

    Fixed decimals (two by default), so a column of statistics lines up; degrees of
    freedom and other counts are :func:`format_count`.

    Parameters
    ----------
    value : object
        The statistic.
    decimals : int, default 2
        Decimal places.
    na : str, default :data:`MISSING`
        Text for a missing value.

    Returns
    -------
    str

    Examples
    --------
    >>> format_statistic(11.3), format_statistic(6.7712), format_statistic(0.0213, decimals=3)
    ('11.30', '6.77', '0.021')
    """
    if is_missing(value):
        return na
    return _fixed(float(value), decimals)
