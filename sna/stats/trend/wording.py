"""Sentences about change, trend and seasonality: plain words, with a separate technical note.

Each ``describe_*`` function gives the sentence a councillor reads (direction, size,
counts, whether the change is statistically significant and, in plain words, what
variation it was judged against); the matching ``*_note`` function gives the test,
p-value, interval and dispersion for the technical note or appendix. They never say
"rose" or "fell" without the verdict of the change rule
(:func:`sna.stats.trend.change.judge_change`).

Examples
--------
One worked example for every sentence of a seasonal model (twelve quarters of
DA-related crimes, financial-year quarters):

>>> from sna.stats.trend import seasonal_trend
>>> counts = pd.Series([1420, 1615, 1424, 1307, 1523, 1660, 1625, 1538,
...                     1573, 1778, 1501, 1435],
...                    index=pd.period_range("2021Q1", periods=12, freq="Q-MAR"))
>>> result = seasonal_trend(counts)
>>> describe_trend(result)
'After allowing for the seasonal pattern, DA-related crimes rose by 4.4% a year on average (95% CI 0.05% to 8.9%), a statistically significant upward trend.'
>>> trend_note(result)
'Trend: rate ratio per year 1.0438, 95% CI 1.0005 to 1.0889; t test in the negative binomial GLM (NB2), p = 0.048.'
>>> describe_seasonality(result)
'Q2 is the seasonal peak: 10.6% above the average quarter (95% CI 4.3% to 17.4%); the seasonal pattern is statistically significant.'
>>> seasonality_note(result)
'Seasonality: likelihood-ratio F test of the quarter terms, F = 6.77 on 3 and 7 df, p = 0.018.'
>>> describe_year_on_year(result.year_on_year.iloc[2])
'DA-related crimes rose 14.1% (1,424 in Q3 2020/21 to 1,625 in Q3 2021/22): this is not a statistically significant change after allowing for the usual quarter-to-quarter ups and downs of this series.'
"""  # noqa: E501

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from sna.errors import SnaInputError
from sna.stats.trend.compare import PeriodComparison
from sna.wording import (
    format_count,
    format_interval,
    format_p,
    format_percent,
    format_ratio,
    format_statistic,
)

__all__ = [
    "change_note",
    "describe_change",
    "describe_seasonality",
    "describe_trend",
    "describe_year_on_year",
    "row_comparison",
    "seasonality_note",
    "trend_note",
]

if TYPE_CHECKING:
    from sna.stats.trend.seasonal import SeasonalTrend

def _percent_1dp(value: float) -> str:
    """The trend sentences print percentages to one decimal (``4.4% a year``)."""
    return format_percent(value, decimals=1)


def _between(count_a: int, count_b: int, period_a: str | None, period_b: str | None) -> str:
    in_a = f" in {period_a}" if period_a else ""
    in_b = f" in {period_b}" if period_b else ""
    return f"{format_count(count_a)}{in_a} to {format_count(count_b)}{in_b}"


def _movement(r: PeriodComparison, subject: str, period_a: str | None,
              period_b: str | None) -> str:
    between = _between(r.count_a, r.count_b, period_a, period_b)
    rate_based = r.exposure_a != r.exposure_b
    pct = (r.rate_ratio - 1) * 100 if rate_based else r.change_pct
    direction = "rose" if r.rate_ratio > 1 else "fell" if r.rate_ratio < 1 else "were unchanged"
    size = (f" {format_percent(abs(pct), decimals=1)}"
            if r.rate_ratio != 1 and math.isfinite(pct) else "")
    what = f"The rate of {subject}" if rate_based else subject
    if rate_based and r.rate_ratio == 1:
        direction = "was unchanged"
    counts = f"{between} crimes" if rate_based else between
    return f"{what} {direction}{size} ({counts})"


def describe_change(
    result: PeriodComparison,
    *, subject: str = "DA-related crimes",
    period_a: str | None = None,
    period_b: str | None = None,
) -> str:
    """Say in one plain sentence how a count changed and whether the change is significant.

    Parameters
    ----------
    result : PeriodComparison
        From :func:`sna.stats.trend.judge_change` (or :func:`compare_periods`).
    subject : str, default "DA-related crimes"
        What was counted (plural).
    period_a, period_b : str, optional
        Names of the earlier and later period, e.g. ``"2021/22"``.

    Returns
    -------
    str
        Direction and size of the change, the counts, the verdict and, in plain
        words, what it was judged against. The test, p-value and interval are in
        :func:`change_note`.

    Examples
    --------
    >>> from sna.stats.trend import Variation, judge_change
    >>> describe_change(judge_change(6346, 6287))
    'DA-related crimes fell 0.9% (6,346 to 6,287): this is not a statistically significant change, treating the counts as varying only by chance (their variation was not checked).'
    >>> noisy = Variation(11.3, 47, 1e-9, "model")
    >>> describe_change(judge_change(1000, 878, variation=noisy), subject="Hate offences",
    ...                 period_a="2024", period_b="2025")
    'Hate offences fell 12.2% (1,000 in 2024 to 878 in 2025): this is not a statistically significant change after allowing for the usual month-to-month ups and downs of this series.'
    """  # noqa: E501
    r = result
    if r.count_a == 0 and r.count_b == 0:
        return f"There were no {subject} in either period, so no change can be tested."
    movement = _movement(r, subject, period_a, period_b)
    if r.verdict == "no significant change":
        verdict = "this is not a statistically significant change"
    else:
        verdict = f"a statistically significant {r.verdict}"
    reason = r.reason
    joiner = " " if reason.startswith("after") else ", " if reason.startswith("treating") else (
        "; ")
    tail = f"{joiner}{reason}" if reason else ""
    return f"{movement}: {verdict}{tail}."


def change_note(result: PeriodComparison, *, subject: str | None = None) -> str:
    """The technical note for :func:`describe_change`: test, p-value, rate ratio and interval.

    Parameters
    ----------
    result : PeriodComparison
        A comparison of two periods (e.g. from :func:`compare_periods`).
    subject : str, optional
        A subject put before the test's name (``"<subject>: <test>"``).

    Returns
    -------
    str
        The note.

    Examples
    --------
    >>> from sna.stats.trend import Variation, judge_change
    >>> change_note(judge_change(1000, 878, variation=Variation(11.3, 47, 1e-9, "model")))
    'Quasi-Poisson score test allowing for dispersion 11.30 (t on 47 df), p = 0.41; rate ratio 0.88, 95% CI 0.64 to 1.20. The exact Poisson test, which ignores the extra variation, would give p = 0.005.'
    >>> from sna.stats.trend import compare_periods
    >>> change_note(compare_periods(6346, 6287))
    'Exact Poisson test, p = 0.61; rate ratio 0.99, 95% CI 0.96 to 1.03.'
    """  # noqa: E501
    r = result
    if r.count_a == 0 and r.count_b == 0:
        return "No test: both counts are zero."
    ratio = format_ratio(r.rate_ratio, lower=r.rr_lower, upper=r.rr_upper, conf=r.conf)
    ratio_text = f"rate ratio {ratio}"
    test = f"{subject}: {r.test}" if subject else r.test[0].upper() + r.test[1:]
    if r.dispersion > 1:
        df = "normal" if math.isinf(r.df) else f"t on {r.df:g} df"
        test += f" allowing for dispersion {format_statistic(r.dispersion)} ({df})"
    note = f"{test}, {format_p(r.p_value, alpha=1 - r.conf)}; {ratio_text}."
    if r.dispersion > 1 and not math.isnan(r.p_value_exact):
        note += (" The exact Poisson test, which ignores the extra variation, would give "
                 f"{format_p(r.p_value_exact, alpha=1 - r.conf)}.")
    if not r.ci_agrees_with_test:
        note += " The interval and the test disagree at this level: treat it as borderline."
    return note


def describe_trend(result: SeasonalTrend, *, subject: str = "DA-related crimes") -> str:
    """Say in one plain sentence what the trend after season is.

    Parameters
    ----------
    result : SeasonalTrend
        From :func:`seasonal_trend`.
    subject : str, default "DA-related crimes"
        What was counted (plural).

    Returns
    -------
    str
        The test is in :func:`trend_note`.

    Examples
    --------
    See the worked example of :mod:`sna.stats.trend.wording`, which prints every sentence.
    """
    t = result.trend
    start = "After allowing for the seasonal pattern, "
    ci = format_interval((t.lower - 1) * 100, (t.upper - 1) * 100, conf=t.conf,
                         formatter=_percent_1dp)
    if t.verdict == "no significant change":
        return (f"{start}{subject} show no statistically significant trend (estimated change "
                f"{format_percent(t.pct_per_year, decimals=1, signed=True)} a year, {ci}).")
    direction, word = ("rose", "upward") if t.verdict == "increase" else ("fell", "downward")
    return (f"{start}{subject} {direction} by {_percent_1dp(abs(t.pct_per_year))} a year on "
            f"average ({ci}), a statistically significant {word} trend.")


def trend_note(result: SeasonalTrend) -> str:
    """The technical note for :func:`describe_trend`.

    Parameters
    ----------
    result : SeasonalTrend
        A fitted seasonal trend.

    Returns
    -------
    str
        The note: rate ratio per year with its interval, the test and p-value.

    Examples
    --------
    See the worked example of :mod:`sna.stats.trend.wording`, which prints every sentence.
    """
    t = result.trend
    ratio = format_ratio(t.rate_ratio_per_year, lower=t.lower, upper=t.upper, conf=t.conf)
    return (f"Trend: rate ratio per year {ratio}; {t.test}, "
            f"{format_p(t.p_value, alpha=1 - t.conf)}.")


def describe_seasonality(result: SeasonalTrend, *, subject: str | None = None) -> str:
    """Say in one plain sentence which season peaks, by how much, and whether seasonality is real.

    Parameters
    ----------
    result : SeasonalTrend
        From :func:`seasonal_trend`.
    subject : str, optional
        What was counted, e.g. ``"DA-related crimes"``; added after the season.

    Returns
    -------
    str
        The peak season's index as a percentage above the average season with
        its CI; the likelihood-ratio test is in :func:`seasonality_note`.

    Examples
    --------
    See the worked example of :mod:`sna.stats.trend.wording`, which prints every sentence.
    """
    indices = result.seasonal_indices
    peak = indices.loc[indices["index"].idxmax()]
    unit = "quarter" if result.periods_per_year == 4 else "month"
    of_subject = f" for {subject}" if subject else ""
    ci = format_interval((peak["lower"] - 1) * 100, (peak["upper"] - 1) * 100,
                         conf=result.conf, formatter=_percent_1dp)
    peak_text = (f"{peak['season']} is the seasonal peak{of_subject}: "
                 f"{_percent_1dp((peak['index'] - 1) * 100)} above the average {unit} ({ci})")
    if result.seasonality_test.p_value < 1 - result.conf:
        return f"{peak_text}; the seasonal pattern is statistically significant."
    return (f"{peak_text}, but the seasonal pattern is not statistically significant, so do "
            f"not read the {unit}-to-{unit} pattern as seasonal.")


def seasonality_note(result: SeasonalTrend) -> str:
    """The technical note for :func:`describe_seasonality`: the likelihood-ratio F test.

    Parameters
    ----------
    result : SeasonalTrend
        A fitted seasonal trend.

    Returns
    -------
    str
        The note: the F statistic, its degrees of freedom and p-value.

    Examples
    --------
    See the worked example of :mod:`sna.stats.trend.wording`, which prints every sentence.
    """
    lrt = result.seasonality_test
    unit = "quarter" if result.periods_per_year == 4 else "month"
    return (f"Seasonality: {lrt.test} of the {unit} terms, F = "
            f"{format_statistic(lrt.f_statistic)} on {lrt.df:g} and {lrt.df_resid:g} df, "
            f"{format_p(lrt.p_value, alpha=1 - result.conf)}.")


def describe_year_on_year(row: pd.Series | dict, *, subject: str = "DA-related crimes") -> str:
    """Say in one plain sentence how a period compares with a year before.

    Parameters
    ----------
    row : Series or dict
        A row of ``SeasonalTrend.year_on_year`` (or of ``annual``, whose
        ``compared_with``/``year`` name the periods).
    subject : str, default "DA-related crimes"
        What was counted (plural).

    Returns
    -------
    str
        :func:`describe_change` of the row (the change rule's verdict).

    Raises
    ------
    SnaInputError
        The row holds no comparison.

    Examples
    --------
    See the worked example of :mod:`sna.stats.trend.wording`, which prints every sentence.
    """
    period_a, period_b = _row_periods(row)
    return describe_change(row_comparison(row), subject=subject, period_a=period_a,
                           period_b=period_b)


def _row_periods(row: pd.Series | dict) -> tuple[str, str]:
    row = dict(row)
    return row.get("period_a", row.get("compared_with")), row.get("period_b", row.get("year"))


def row_comparison(row: pd.Series | dict) -> PeriodComparison:
    """Rebuild the :class:`PeriodComparison` of a comparison-table row.

    Parameters
    ----------
    row : pandas.Series or dict
        A row of a comparison table (columns named as :class:`PeriodComparison`'s fields).

    Returns
    -------
    PeriodComparison
        The comparison, from the row's fields.

    Raises
    ------
    SnaInputError
        The row holds no comparison (the first year, or an incomplete one).
    """
    row = dict(row)
    if pd.isna(row.get("p_value", float("nan"))):
        raise SnaInputError("this row holds no comparison (the first year, or an incomplete "
                            "one)", fix="pass a row whose p_value is not missing",
                            column="p_value")
    return PeriodComparison(**{name: row[name] for name in PeriodComparison.__dataclass_fields__
                               if name in row})
