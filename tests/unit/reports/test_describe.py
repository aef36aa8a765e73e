"""Tests for the sentences in sna.stats.trend: figures from scipy written out here."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sna.errors import SnaInputError
from sna.paths import raw_dir
from sna.stats.trend import (
    Variation,
    change_between,
    change_note,
    compare_periods,
    describe_change,
    describe_seasonality,
    describe_trend,
    describe_year_on_year,
    financial_quarter_series,
    judge_change,
    seasonal_trend,
    seasonality_note,
)
from sna.wording import format_p

DA_CSV = raw_dir() / "shipped" / "published" / "da_related_crimes_quarterly.csv"


def _hand_rr_ci(a: int, b: int, conf: float = 0.95) -> tuple[float, float]:
    """Clopper-Pearson limits of b / (a + b) from beta quantiles, as rate ratios."""
    tail = (1 - conf) / 2
    low = stats.beta.ppf(tail, b, a + 1)
    high = stats.beta.ppf(1 - tail, b + 1, a)
    return low / (1 - low), high / (1 - high)


def test_not_significant_fall_sentence_and_note():
    """README case: the parts of 2022/23 sum to 6,287 (the printed 6,387 is 100 too many)."""
    p_value = stats.binomtest(6287, 6346 + 6287, 0.5).pvalue
    lower, upper = _hand_rr_ci(6346, 6287)
    assert round(p_value, 2) == 0.61
    result = compare_periods(6346, 6287)
    assert describe_change(result, period_a="2021/22", period_b="2022/23") == (
        "DA-related crimes fell 0.9% (6,346 in 2021/22 to 6,287 in 2022/23): this is not a "
        "statistically significant change.")
    assert change_note(result) == (f"Exact Poisson test, p = 0.61; rate ratio "
                                   f"{6287 / 6346:.2f}, 95% CI {lower:.2f} to {upper:.2f}.")
    # the README's old comparison with the printed total says "rose": the wrong direction
    assert "rose" in describe_change(compare_periods(6346, 6387))


def test_significant_fall_sentence():
    p_value = stats.binomtest(880, 1880, 0.5).pvalue
    lower, upper = _hand_rr_ci(1000, 880)
    assert 0.001 <= p_value < 0.01
    result = judge_change(1000, 880, variation=Variation(0.9, 40, 0.7, "hand"))
    assert describe_change(result) == (
        "DA-related crimes fell 12.0% (1,000 to 880): a statistically significant decrease; "
        "the counts vary from month to month no more than chance alone would make them, so "
        "no extra allowance is needed.")
    assert change_note(result) == (f"Exact Poisson test, p = {p_value:.3f}; rate ratio 0.88, "
                                   f"95% CI {lower:.2f} to {upper:.2f}.")


def test_significant_rise_with_p_below_0001():
    result = compare_periods(1307, 1538)
    sentence = describe_change(result, subject="crimes")
    assert stats.binomtest(1538, 1307 + 1538, 0.5).pvalue < 0.001
    assert sentence == ("crimes rose 17.7% (1,307 to 1,538): a statistically significant "
                        "increase.")
    assert change_note(result).startswith("Exact Poisson test, p < 0.001; rate ratio 1.18")


def test_edge_sentences():
    assert "no DA-related crimes in either period" in describe_change(compare_periods(0, 0))
    from_zero = compare_periods(0, 12)
    assert describe_change(from_zero).startswith(
        "DA-related crimes rose (0 to 12): a statistically significant")
    assert "infinity" in change_note(from_zero)
    assert "rate ratio infinity" not in change_note(from_zero)
    same = describe_change(compare_periods(10, 10))
    assert same.startswith("DA-related crimes were unchanged (10 to 10): this is not")
    rate = describe_change(compare_periods(100, 130, exposure_a=1000, exposure_b=1100))
    rate_change = ((130 / 1100) / (100 / 1000) - 1) * 100
    assert rate.startswith(f"The rate of DA-related crimes rose {rate_change:.1f}% (100 to 130")


def test_borderline_when_interval_and_test_disagree():
    # Unequal exposures: minimum-likelihood p < 0.05 but the central interval includes 1.
    result = compare_periods(2, 13, exposure_a=2.0, exposure_b=3.0)
    assert stats.binomtest(13, 15, 0.6).pvalue < 0.05
    assert result.rr_lower < 1
    assert "borderline" in change_note(result)
    assert "borderline" not in change_note(compare_periods(1000, 880))


def test_audit_case_over_dispersed_series_is_not_called_significant():
    """Audit: 'fell 12.2%, a statistically significant decrease (exact Poisson test,
    p = 0.010)' on a negative-binomial monthly series with Pearson chi2/df about 11."""
    rng = np.random.default_rng(12)
    index = pd.period_range("2021-01", periods=60, freq="M")
    season = 1 + 0.15 * np.sin(2 * np.pi * index.month.to_numpy() / 12)
    mean = 300 * season
    size = mean / (11 - 1)  # NB with variance about 11 x mean
    counts = pd.Series(rng.negative_binomial(size, size / (size + mean)), index=index,
                       dtype=float)
    year_a, year_b = index[36:48], index[48:]
    old = compare_periods(int(counts[year_a].sum()), int(counts[year_b].sum()))
    new = change_between(counts, year_a, year_b)
    poisson = smf.glm("y ~ C(m, Sum) + t", pd.DataFrame(
        {"y": counts.to_numpy(), "m": index.month, "t": np.arange(60) / 12}),
        family=sm.families.Poisson()).fit()
    phi = poisson.pearson_chi2 / poisson.df_resid
    assert phi > 5
    n, b = old.count_a + old.count_b, old.count_b
    hand_p = 2 * stats.t.sf(abs(b - n / 2) / np.sqrt(phi * n / 4), poisson.df_resid)
    assert new.p_value == pytest.approx(hand_p, rel=1e-8)
    assert old.verdict != "no significant change"  # the misleading verdict
    assert "a statistically significant" in describe_change(old, subject="Hate offences")
    assert new.verdict == "no significant change" and new.test == "quasi-Poisson score test"
    sentence = describe_change(new, subject="Hate offences")
    assert sentence.endswith("this is not a statistically significant change after allowing "
                             "for the usual month-to-month ups and downs of this series.")


@settings(max_examples=150, deadline=None)
@given(a=st.integers(0, 3000), b=st.integers(0, 3000),
       e_a=st.sampled_from([1.0, 2.0, 1000.0]), e_b=st.sampled_from([1.0, 3.0, 1000.0]))
def test_never_rose_or_fell_without_a_verdict(a, b, e_a, e_b):
    result = compare_periods(a, b, exposure_a=e_a, exposure_b=e_b)
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
    assert sentence.endswith("the seasonal pattern is statistically significant.")
    assert seasonality_note(da_result).endswith(f"p = {lrt.p_value:.3f}.")


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
    assert "but the seasonal pattern is not statistically significant" in season_sentence
    assert result.seasonality_test.p_value > 0.05


def test_describe_year_on_year_uses_the_rule(da_result):
    rows = da_result.year_on_year.set_index("period_b", drop=False)
    q3 = describe_year_on_year(rows.loc["Q3 2021/22"])
    assert rows.loc["Q3 2021/22", "p_value_exact"] < 0.05  # the exact test would say "rose"
    assert q3 == ("DA-related crimes rose 14.1% (1,424 in Q3 2020/21 to 1,625 in Q3 2021/22): "
                  "this is not a statistically significant change after allowing for the usual "
                  "quarter-to-quarter ups and downs of this series.")


def test_describe_year_on_year_for_year_totals(da_result):
    annual = da_result.annual.set_index("year", drop=False)
    sentence = describe_year_on_year(annual.loc["2022/23"])
    assert sentence.startswith("DA-related crimes fell 0.9% (6,346 in 2021/22 to 6,287 in "
                               "2022/23): this is not a statistically significant change")
    with pytest.raises(SnaInputError, match="no comparison"):
        describe_year_on_year(annual.loc["2020/21"])
