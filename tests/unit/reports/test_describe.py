"""Tests for the sentences in sna.stats.trend: figures from scipy written out here."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sna.errors import SnaInputError
from sna.paths import raw_dir
from sna.stats.trend import (
    compare_periods,
    describe_change,
    describe_seasonality,
    describe_trend,
    describe_year_on_year,
    financial_quarter_series,
    format_p,
    seasonal_trend,
)

DA_CSV = raw_dir() / "shipped" / "published" / "da_related_crimes_quarterly.csv"


def _hand_rr_ci(a: int, b: int, conf: float = 0.95) -> tuple[float, float]:
    """Clopper-Pearson limits of b / (a + b) from beta quantiles, as rate ratios."""
    tail = (1 - conf) / 2
    low = stats.beta.ppf(tail, b, a + 1)
    high = stats.beta.ppf(1 - tail, b + 1, a)
    return low / (1 - low), high / (1 - high)


def test_not_significant_rise_sentence():
    p_value = stats.binomtest(6387, 6346 + 6387, 0.5).pvalue
    lower, upper = _hand_rr_ci(6346, 6387)
    assert round(p_value, 2) == 0.72
    expected = ("DA-related crimes rose 0.6% (6,346 in 2021/22 to 6,387 in 2022/23); this is not "
                f"a statistically significant change (rate ratio {6387 / 6346:.2f}, 95% CI "
                f"{lower:.2f} to {upper:.2f}; exact Poisson test, p = 0.72).")
    assert describe_change(compare_periods(6346, 6387), period_a="2021/22",
                           period_b="2022/23") == expected


def test_significant_fall_sentence():
    p_value = stats.binomtest(880, 1880, 0.5).pvalue
    lower, upper = _hand_rr_ci(1000, 880)
    assert 0.001 <= p_value < 0.01
    expected = ("DA-related crimes fell 12.0% (1,000 to 880), a statistically significant "
                f"decrease (rate ratio 0.88, 95% CI {lower:.2f} to {upper:.2f}; exact Poisson "
                f"test, p = {p_value:.3f}).")
    assert describe_change(compare_periods(1000, 880)) == expected


def test_significant_rise_with_p_below_0001():
    sentence = describe_change(compare_periods(1307, 1538), subject="crimes")
    assert stats.binomtest(1538, 1307 + 1538, 0.5).pvalue < 0.001
    assert sentence.startswith("crimes rose 17.7% (1,307 to 1,538), a statistically "
                               "significant increase (rate ratio 1.18")
    assert sentence.endswith("exact Poisson test, p < 0.001).")


def test_edge_sentences():
    assert "no DA-related crimes in either period" in describe_change(compare_periods(0, 0))
    from_zero = describe_change(compare_periods(0, 12))
    assert from_zero.startswith("DA-related crimes rose (0 to 12), a statistically significant")
    assert "infinity" in from_zero and "rate ratio infinity" not in from_zero
    same = describe_change(compare_periods(10, 10))
    assert same.startswith("DA-related crimes were unchanged (10 to 10); this is not")
    rate = describe_change(compare_periods(100, 130, 1000, 1100))
    rate_change = ((130 / 1100) / (100 / 1000) - 1) * 100
    assert rate.startswith(f"The rate of DA-related crimes rose {rate_change:.1f}% (100 to 130")


def test_borderline_when_interval_and_test_disagree():
    # Unequal exposures: minimum-likelihood p < 0.05 but the central interval includes 1.
    result = compare_periods(2, 13, 2.0, 3.0)
    assert stats.binomtest(13, 15, 0.6).pvalue < 0.05
    assert result.rr_lower < 1
    assert "borderline" in describe_change(result)
    assert "borderline" not in describe_change(compare_periods(1000, 880))


@settings(max_examples=150, deadline=None)
@given(a=st.integers(0, 3000), b=st.integers(0, 3000),
       e_a=st.sampled_from([1.0, 2.0, 1000.0]), e_b=st.sampled_from([1.0, 3.0, 1000.0]))
def test_never_rose_or_fell_without_a_verdict(a, b, e_a, e_b):
    result = compare_periods(a, b, e_a, e_b)
    sentence = describe_change(result)
    if re.search(r"\b(rose|fell)\b", sentence):
        assert "statistically significant" in sentence
    if result.verdict == "no significant change":
        assert "not a statistically significant change" in sentence or a + b == 0
    else:
        assert f"statistically significant {result.verdict}" in sentence


@pytest.mark.parametrize(("p_value", "text"),
                         [(0.7213, "p = 0.72"), (0.1, "p = 0.10"), (0.0312, "p = 0.031"),
                          (0.0042, "p = 0.004"), (0.00099, "p < 0.001"),
                          (0.0496, "p = 0.0496"), (0.04996, "p = 0.04996"), (1.0, "p = 1.00")])
def test_format_p(p_value, text):
    assert format_p(p_value) == text


@pytest.fixture(scope="module")
def da_result():
    series = financial_quarter_series(pd.read_csv(DA_CSV), "da_related_crimes")
    return seasonal_trend(series)


def test_describe_seasonality_on_published_series(da_result):
    q2 = da_result.seasonal_indices.set_index("season").loc["Q2"]
    sentence = describe_seasonality(da_result)
    assert sentence.startswith(
        f"Q2 is the seasonal peak: {(q2['index'] - 1) * 100:.1f}% above the average quarter "
        f"(95% CI {(q2['lower'] - 1) * 100:.1f}% to {(q2['upper'] - 1) * 100:.1f}%)")
    lrt = da_result.seasonality_test  # its p-value is checked against scipy in test_trend
    assert 0.01 <= lrt.p_value < 0.05
    assert sentence.endswith("seasonality is statistically significant "
                             f"(likelihood-ratio F test, p = {lrt.p_value:.3f}).")


def test_describe_trend_on_published_series(da_result):
    trend = da_result.trend
    sentence = describe_trend(da_result)
    assert trend.p_value < 0.05 and trend.rate_ratio_per_year > 1
    assert f"rose by {(trend.rate_ratio_per_year - 1) * 100:.1f}% a year" in sentence
    assert "statistically significant upward trend" in sentence


def test_not_significant_trend_and_seasonality():
    # Flat series with a tiny wobble: neither seasonal nor trending.
    index = pd.period_range("2021Q1", periods=12, freq="Q-MAR")
    flat = pd.Series([100, 101, 99, 100, 102, 98, 100, 101, 99, 100, 101, 99], index=index,
                     dtype=float)
    result = seasonal_trend(flat)
    trend_sentence = describe_trend(result, subject="thefts")
    assert "thefts show no statistically significant trend" in trend_sentence
    assert not re.search(r"\b(rose|fell)\b", trend_sentence)
    season_sentence = describe_seasonality(result, subject="thefts")
    assert "but seasonality is not statistically significant" in season_sentence
    assert result.seasonality_test.p_value > 0.05


def test_describe_year_on_year_gives_both_verdicts(da_result):
    rows = da_result.year_on_year.set_index("period_b", drop=False)
    q3 = describe_year_on_year(rows.loc["Q3 2021/22"])
    assert q3.startswith("DA-related crimes rose 14.1% (1,424 in Q3 2020/21 to 1,625 in "
                         "Q3 2021/22), a statistically significant increase")
    p_extra = rows.loc["Q3 2021/22", "p_value_extra_variation"]
    assert q3.endswith("but allowing for the usual extra-Poisson variation of this series the "
                       f"change is not statistically significant (p = {p_extra:.3f}).")
    q4 = describe_year_on_year(rows.loc["Q4 2021/22"])
    assert "extra-Poisson" not in q4  # both tests agree: an increase
    assert q4 == describe_change(compare_periods(1307, 1538), period_a="Q4 2020/21",
                                 period_b="Q4 2021/22")


def test_describe_year_on_year_for_year_totals(da_result):
    annual = da_result.annual.set_index("year", drop=False)
    sentence = describe_year_on_year(annual.loc["2022/23"])
    assert sentence.startswith("DA-related crimes fell 0.9% (6,346 in 2021/22 to 6,287 in "
                               "2022/23); this is not a statistically significant change")
    with pytest.raises(SnaInputError, match="no comparison"):
        describe_year_on_year(annual.loc["2020/21"])
