"""Tests for sna.stats.trend: every figure against scipy/statsmodels written out here or by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats

from sna.errors import SnaInputError
from sna.paths import raw_dir
from sna.periods import financial_quarter_index, period_label
from sna.stats.trend import (
    compare_periods,
    financial_quarter_series,
    reconcile_table,
    reconcile_totals,
    seasonal_model_reason,
    seasonal_trend,
    series_variation,
)

DA_CSV = raw_dir() / "shipped" / "published" / "da_related_crimes_quarterly.csv"
Z95 = stats.norm.ppf(0.975)


# ---------------------------------------------------------------------------
# compare_periods
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "e_a", "e_b"),
    [(1420, 1523, 1, 1), (6346, 6387, 1, 1), (100, 130, 1000, 1100), (5, 17, 2.0, 3.0),
     (0, 7, 1, 1), (12, 0, 1, 2), (3, 3, 5, 1)],
)
def test_p_value_is_binomial_test_of_the_conditional_split(a, b, e_a, e_b):
    # Given n = a + b, b ~ Binomial(n, e_b / (e_a + e_b)) when the rates are equal.
    p0 = e_b / (e_a + e_b)
    expected = stats.binomtest(b, a + b, p0, alternative="two-sided").pvalue
    assert_allclose(compare_periods(a, b, exposure_a=e_a, exposure_b=e_b).p_value, expected, rtol=1e-10)


@pytest.mark.parametrize(("a", "b", "e_a", "e_b", "conf"),
                         [(1000, 880, 1, 1, 0.95), (40, 62, 3.0, 2.0, 0.95),
                          (1420, 1523, 1, 1, 0.998)])
def test_rate_ratio_and_ci_by_hand(a, b, e_a, e_b, conf):
    # Clopper-Pearson limits of pi = b / n from beta quantiles, mapped to
    # RR = pi / (1 - pi) * e_a / e_b.
    n = a + b
    tail = (1 - conf) / 2
    pi_low = stats.beta.ppf(tail, b, n - b + 1)
    pi_high = stats.beta.ppf(1 - tail, b + 1, n - b)
    result = compare_periods(a, b, exposure_a=e_a, exposure_b=e_b, conf=conf)
    assert_allclose(result.rate_ratio, (b / e_b) / (a / e_a), rtol=1e-12)
    assert_allclose(result.rr_lower, pi_low / (1 - pi_low) * e_a / e_b, rtol=1e-7)
    assert_allclose(result.rr_upper, pi_high / (1 - pi_high) * e_a / e_b, rtol=1e-7)
    assert result.change == b - a
    assert_allclose(result.change_pct, (b - a) / a * 100)


def test_significant_fall_1000_to_880():
    result = compare_periods(1000, 880)
    hand_p = stats.binomtest(880, 1880, 0.5).pvalue
    assert hand_p < 0.05
    assert result.verdict == "decrease"
    assert result.rr_upper < 1


def test_both_counts_zero():
    result = compare_periods(0, 0)
    assert result.p_value == 1.0
    assert math.isnan(result.rate_ratio) and math.isnan(result.change_pct)
    assert result.verdict == "no significant change"


def test_first_count_zero():
    # 0 -> 7: P(all 7 in period b | n = 7) = 0.5 ** 7, doubled for two sides.
    result = compare_periods(0, 7)
    assert_allclose(result.p_value, 2 * 0.5 ** 7)
    assert result.verdict == "increase"
    assert math.isinf(result.rate_ratio) and math.isinf(result.rr_upper)
    pi_low = stats.beta.ppf(0.025, 7, 1)
    assert_allclose(result.rr_lower, pi_low / (1 - pi_low), rtol=1e-7)
    assert math.isnan(result.change_pct)


def test_second_count_zero():
    result = compare_periods(7, 0)
    assert_allclose(result.p_value, 2 * 0.5 ** 7)
    assert result.verdict == "decrease"
    assert result.rate_ratio == 0 and result.rr_lower == 0
    assert result.change_pct == -100


@pytest.mark.parametrize(
    ("kwargs", "column"),
    [({"count_a": -1, "count_b": 3}, "count_a"), ({"count_a": 2.5, "count_b": 3}, "count_a"),
     ({"count_a": 2, "count_b": float("nan")}, "count_b"), ({"count_a": 2, "count_b": None},
                                                            "count_b"),
     ({"count_a": 2, "count_b": 3, "exposure_a": 0}, "exposure_a"),
     ({"count_a": 2, "count_b": 3, "exposure_b": -5}, "exposure_b"),
     ({"count_a": 2, "count_b": 3, "exposure_b": float("nan")}, "exposure_b"),
     ({"count_a": 2, "count_b": 3, "conf": 1.0}, "conf"),
     ({"count_a": 2, "count_b": 3, "conf": 0.3}, "conf")],
)
def test_compare_periods_errors(kwargs, column):
    with pytest.raises(SnaInputError) as info:
        compare_periods(**kwargs)
    assert info.value.column == column
    assert info.value.fix


counts = st.integers(min_value=0, max_value=5000)
exposures = st.floats(min_value=0.1, max_value=1e6, allow_nan=False)
confs = st.sampled_from([0.9, 0.95, 0.99, 0.998])


@settings(max_examples=100, deadline=None)
@given(count=st.integers(min_value=1, max_value=100_000), exposure=exposures)
def test_equal_counts_equal_exposure_give_rate_ratio_one(count, exposure):
    result = compare_periods(count, count, exposure_a=exposure, exposure_b=exposure)
    assert result.rate_ratio == 1
    assert result.verdict == "no significant change"
    assert result.rr_lower < 1 < result.rr_upper


@settings(max_examples=100, deadline=None)
@given(a=counts, b=counts, e_a=exposures, e_b=exposures)
def test_p_value_symmetric_when_periods_swapped(a, b, e_a, e_b):
    forward = compare_periods(a, b, exposure_a=e_a, exposure_b=e_b)
    backward = compare_periods(b, a, exposure_a=e_b, exposure_b=e_a)
    assert_allclose(forward.p_value, backward.p_value, rtol=1e-6, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(a=counts, b=counts, e_a=exposures, e_b=exposures, conf=confs)
def test_verdict_consistent_with_p_and_conf(a, b, e_a, e_b, conf):
    result = compare_periods(a, b, exposure_a=e_a, exposure_b=e_b, conf=conf)
    significant = result.p_value < 1 - conf
    assert (result.verdict != "no significant change") == significant
    if result.verdict == "increase":
        assert result.rate_ratio > 1
    if result.verdict == "decrease":
        assert result.rate_ratio < 1
    assert 0 <= result.p_value <= 1


# ---------------------------------------------------------------------------
# reconcile_totals and the published DA table
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def da_table() -> pd.DataFrame:
    return pd.read_csv(DA_CSV)


def test_published_2022_23_total_does_not_match_its_quarters(da_table):
    year = da_table[da_table["financial_year"] == "2022/23"]
    assert year["da_related_crimes"].tolist() == [1573, 1778, 1501, 1435]
    result = reconcile_totals(year["da_related_crimes"], year["published_year_total"].iloc[0],
                              label="2022/23")
    assert result.sum_of_parts == 1573 + 1778 + 1501 + 1435 == 6287
    assert result.published_total == 6387
    assert result.difference == 100
    assert result.matches is False
    assert "6,387" in result.sentence and "6,287" in result.sentence
    assert "100 more" in result.sentence


def test_published_table_reconciled_year_by_year(da_table):
    table = reconcile_table(da_table, "da_related_crimes", "published_year_total",
                            by="financial_year")
    assert table["label"].tolist() == ["2020/21", "2021/22", "2022/23"]
    assert table["sum_of_parts"].tolist() == [1420 + 1615 + 1424 + 1307,
                                              1523 + 1660 + 1625 + 1538, 6287]
    assert table["matches"].tolist() == [True, True, False]


def test_reconcile_missing_part_and_tolerance():
    missing = reconcile_totals([10, float("nan"), 5], 15, label="x")
    assert missing.matches is None and math.isnan(missing.sum_of_parts)
    assert "cannot be checked" in missing.sentence
    assert reconcile_totals([1.2, 2.4], 4, tolerance=0.5).matches is True
    assert reconcile_totals([1.2, 2.4], 4).matches is False
    fewer = reconcile_totals([10, 20], 25)
    assert fewer.difference == -5 and "5 less" in fewer.sentence


def test_reconcile_errors():
    with pytest.raises(SnaInputError, match="parts is empty"):
        reconcile_totals([], 5)
    with pytest.raises(SnaInputError, match="published_total"):
        reconcile_totals([1, 2], float("nan"))
    frame = pd.DataFrame({"g": ["a", "a"], "n": [1, 2], "t": [3, 4]})
    with pytest.raises(SnaInputError, match="more than one total"):
        reconcile_table(frame, "n", "t", by="g")
    with pytest.raises(SnaInputError, match="'nope'"):
        reconcile_table(frame, "nope", "t", by="g")


# ---------------------------------------------------------------------------
# Financial quarters
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "quarter", "start", "end"),
    [("2020/21", "Q1", "2020-04-01", "2020-06-30"), ("2020/21", "Q2", "2020-07-01", "2020-09-30"),
     ("2020/21", "Q3", "2020-10-01", "2020-12-31"), ("2020/21", "Q4", "2021-01-01", "2021-03-31"),
     ("2022/2023", 4, "2023-01-01", "2023-03-31"), ("1999/00", "q2", "1999-07-01", "1999-09-30")],
)
def test_financial_quarter_dates(year, quarter, start, end):
    period = financial_quarter_index(year, quarter)
    assert str(period.start_time.date()) == start
    assert str(period.end_time.date()) == end


def test_financial_quarter_vectorised_and_labelled():
    index = financial_quarter_index(pd.Series(["2021/22", "2020/21"]), ["Q1", "Q4"])
    assert isinstance(index, pd.PeriodIndex)
    assert [period_label(p) for p in index] == ["Q1 2021/22", "Q4 2020/21"]
    assert period_label(pd.Period("2024-05", freq="M")) == "May 2024"


@pytest.mark.parametrize(("year", "quarter", "column"),
                         [("2020/22", "Q1", "financial_year"), ("2020", "Q1", "financial_year"),
                          ("2020/21", "Q5", "quarter"), ("2020/21", "first", "quarter")])
def test_financial_quarter_errors(year, quarter, column):
    with pytest.raises(SnaInputError) as info:
        financial_quarter_index(year, quarter)
    assert info.value.column == column


def test_financial_quarter_series_rejects_repeats():
    frame = pd.DataFrame({"financial_year": ["2020/21"] * 2, "quarter": ["Q1"] * 2, "n": [1, 2]})
    with pytest.raises(SnaInputError, match="more than once"):
        financial_quarter_series(frame, "n")
    with pytest.raises(SnaInputError, match="same length|quarters"):
        financial_quarter_index(["2020/21", "2020/21"], ["Q1"])


# ---------------------------------------------------------------------------
# Published DA series: hand-fitted statsmodels models written out here
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def da_frame(da_table) -> pd.DataFrame:
    """The published table with the hand-made model variables (t in years from Q1 2020/21)."""
    frame = da_table.copy()
    frame["y"] = frame["da_related_crimes"].astype(float)
    frame["t"] = np.arange(len(frame)) / 4
    return frame


@pytest.fixture(scope="module")
def da_result(da_table):
    series = financial_quarter_series(da_table, "da_related_crimes")
    return seasonal_trend(series)


@pytest.fixture(scope="module")
def da_hand_nb(da_frame):
    """Negative binomial (NB2) by full maximum likelihood: statsmodels' discrete model."""
    return smf.negativebinomial("y ~ C(quarter, Sum) + t", da_frame).fit(
        disp=0, method="bfgs", maxiter=2000)


@pytest.fixture(scope="module")
def da_hand_glm(da_frame, da_hand_nb):
    """GLM NB2 at the discrete model's alpha, unscaled (scale 1)."""
    family = sm.families.NegativeBinomial(alpha=da_hand_nb.params["alpha"])
    return smf.glm("y ~ C(quarter, Sum) + t", da_frame, family=family).fit()


def _pearson_scale(y, mean, alpha, df_resid):
    """Residual dispersion: sum of (y - mu)^2 / V(mu) over the residual df, V = mu + alpha mu^2."""
    y, mean = np.asarray(y, dtype=float), np.asarray(mean, dtype=float)
    return float(np.sum((y - mean) ** 2 / (mean + alpha * mean**2)) / df_resid)


def _matched_interval(mean, alpha, phi, conf=0.95, mean_variance=0.0):
    """Central interval of a count with mean mu and variance phi (mu + alpha mu^2) + mean_variance:
    negative binomial with alpha' = (variance - mu) / mu^2, Poisson if that is <= 0."""
    mean = np.asarray(mean, dtype=float)
    variance = phi * (mean + alpha * mean**2) + mean_variance
    alpha_matched = (variance - mean) / mean**2
    lower, upper = [], []
    for mu, a in zip(mean, alpha_matched, strict=True):
        dist = stats.nbinom(1 / a, 1 / (1 + a * mu)) if a > 0 else stats.poisson(mu)
        lower.append(dist.ppf((1 - conf) / 2))
        upper.append(dist.ppf(1 - (1 - conf) / 2))
    return np.array(lower), np.array(upper)


def test_da_series_is_over_dispersed_so_nb_is_used(da_result, da_frame):
    poisson = smf.glm("y ~ C(quarter, Sum) + t", da_frame, family=sm.families.Poisson()).fit()
    ratio = poisson.pearson_chi2 / poisson.df_resid
    p_value = stats.chi2.sf(poisson.pearson_chi2, poisson.df_resid)
    assert_allclose(da_result.dispersion.ratio, ratio, rtol=1e-8)
    assert_allclose(da_result.dispersion.p_value, p_value, rtol=1e-8)
    assert ratio > 1.5 and p_value < 0.05
    assert da_result.dispersion.switched_to_nb
    assert da_result.model.startswith("negative binomial")


def test_da_alpha_and_scale_match_hand(da_result, da_hand_nb, da_frame):
    alpha = da_hand_nb.params["alpha"]
    assert_allclose(da_result.nb_alpha, alpha, rtol=1e-2)
    phi = _pearson_scale(da_frame["y"], da_hand_nb.predict(da_frame), alpha, 12 - 5)
    assert_allclose(da_result.scale, phi, rtol=1e-3)
    assert phi > 1  # extra variation left beyond NB: intervals widen


def test_da_seasonal_indices_match_hand_nb(da_result, da_hand_nb, da_hand_glm, da_frame):
    names = [f"C(quarter, Sum)[S.Q{q}]" for q in (1, 2, 3)]
    effects = [da_hand_nb.params[n] for n in names]
    effects.append(-sum(effects))  # Q4 = minus the sum (sum-to-zero coding)
    cov = da_hand_glm.cov_params().loc[names, names]
    ses = [math.sqrt(cov.loc[n, n]) for n in names]
    ses.append(math.sqrt(cov.to_numpy().sum()))  # var(-sum) = 1' V 1
    phi = _pearson_scale(da_frame["y"], da_hand_nb.predict(da_frame),
                         da_hand_nb.params["alpha"], 7)
    half_width = stats.t.ppf(0.975, 7) * np.array(ses) * math.sqrt(phi)
    indices = da_result.seasonal_indices
    assert indices["season"].tolist() == ["Q1", "Q2", "Q3", "Q4"]
    assert_allclose(indices["index"], np.exp(effects), rtol=1e-4)
    assert_allclose(indices["lower"], np.exp(np.subtract(effects, half_width)), rtol=1e-3)
    assert_allclose(indices["upper"], np.exp(np.add(effects, half_width)), rtol=1e-3)


def test_da_q2_is_the_seasonal_peak(da_result, da_table):
    indices = da_result.seasonal_indices.set_index("season")
    assert indices["index"].idxmax() == "Q2"
    assert indices.loc["Q2", "lower"] > 1
    # The raw counts agree: Q2 is the largest quarter in every year.
    wide = da_table.pivot(index="financial_year", columns="quarter", values="da_related_crimes")
    assert (wide.idxmax(axis=1) == "Q2").all()


def test_da_trend_matches_hand_nb(da_result, da_hand_nb, da_hand_glm, da_frame):
    beta = da_hand_nb.params["t"]
    phi = _pearson_scale(da_frame["y"], da_hand_nb.predict(da_frame),
                         da_hand_nb.params["alpha"], 7)
    se = da_hand_glm.bse["t"] * math.sqrt(phi)
    trend = da_result.trend
    assert_allclose(trend.rate_ratio_per_year, math.exp(beta), rtol=1e-4)
    assert_allclose(trend.lower, math.exp(beta - stats.t.ppf(0.975, 7) * se), rtol=1e-3)
    assert_allclose(trend.upper, math.exp(beta + stats.t.ppf(0.975, 7) * se), rtol=1e-3)
    assert_allclose(trend.p_value, 2 * stats.t.sf(abs(beta / se), 7), rtol=1e-2)


def test_da_seasonality_lrt_matches_hand_nb(da_result, da_frame, da_hand_nb, da_hand_glm):
    alpha = da_hand_nb.params["alpha"]
    without = smf.glm("y ~ t", da_frame, family=sm.families.NegativeBinomial(alpha=alpha)).fit()
    statistic = without.deviance - da_hand_glm.deviance  # = 2 (llf1 - llf0) at fixed alpha
    assert_allclose(statistic, 2 * (da_hand_glm.llf - without.llf), rtol=1e-8)
    phi = _pearson_scale(da_frame["y"], da_hand_nb.predict(da_frame), alpha, 7)
    test = da_result.seasonality_test
    assert test.df == 3 and test.df_resid == 7
    assert_allclose(test.statistic, statistic, rtol=1e-3)
    assert_allclose(test.f_statistic, statistic / 3 / phi, rtol=1e-3)
    assert_allclose(test.p_value, stats.f.sf(statistic / 3 / phi, 3, 7), rtol=1e-2)
    assert_allclose(test.chi2_p_value, stats.chi2.sf(statistic, 3), rtol=1e-2)


def test_da_flags_and_forecast_from_hand_nb(da_result, da_hand_nb, da_hand_glm, da_frame):
    alpha = da_hand_nb.params["alpha"]
    mean = da_hand_nb.predict(da_frame)
    phi = _pearson_scale(da_frame["y"], mean, alpha, 7)
    lower, upper = _matched_interval(mean, alpha, phi)
    outside = (da_frame["y"] < lower) | (da_frame["y"] > upper)
    assert_allclose(da_result.fitted["expected"], mean, rtol=1e-4)
    assert_allclose(da_result.fitted["pi_lower"], lower, atol=1)
    assert da_result.fitted["outside"].tolist() == outside.tolist()
    future = pd.DataFrame({"quarter": ["Q1", "Q2", "Q3", "Q4"], "t": [3.0, 3.25, 3.5, 3.75]})
    forecast_mean = da_hand_nb.predict(future).to_numpy()
    forecast = da_result.forecast
    assert_allclose(forecast["expected"], forecast_mean, rtol=1e-4)
    assert forecast["period"].tolist() == [f"Q{q} 2023/24" for q in range(1, 5)]
    # Delta method: var(mu_hat) = mu^2 x' (phi V) x, V the unscaled GLM covariance.
    names = ["Intercept", *[f"C(quarter, Sum)[S.Q{q}]" for q in (1, 2, 3)], "t"]
    effect_rows = np.vstack([np.eye(3), -np.ones(3)])
    x = np.column_stack([np.ones(4), effect_rows, future["t"]])
    cov = da_hand_glm.cov_params().loc[names, names].to_numpy() * phi
    mean_variance = forecast_mean**2 * np.einsum("ij,jk,ik->i", x, cov, x)
    lower, upper = _matched_interval(forecast_mean, alpha, phi, mean_variance=mean_variance)
    assert_allclose(forecast["pi_lower"], lower, atol=1)
    assert_allclose(forecast["pi_upper"], upper, atol=1)
    t_crit = stats.t.ppf(0.975, 7)
    assert_allclose(forecast["mean_lower"],
                    forecast_mean * np.exp(-t_crit * np.sqrt(mean_variance) / forecast_mean),
                    rtol=1e-3)
    assert (forecast["pi_lower"] < forecast["mean_lower"]).all()
    assert (forecast["pi_upper"] > forecast["mean_upper"]).all()


def test_da_year_on_year_exact_p_against_binomtest(da_result, da_table):
    table = da_result.year_on_year
    assert len(table) == 8
    first = table.iloc[0]
    assert (first["period_a"], first["period_b"]) == ("Q1 2020/21", "Q1 2021/22")
    assert (first["count_a"], first["count_b"]) == (1420, 1523)
    by_hand = [stats.binomtest(b, a + b, 0.5).pvalue for a, b in
               zip(da_table["da_related_crimes"][:8], da_table["da_related_crimes"][4:],
                   strict=True)]
    assert_allclose(table["p_value_exact"], by_hand, rtol=1e-10)


def test_da_comparisons_use_the_series_dispersion_by_hand(da_result, da_frame):
    """The published verdict: quasi-Poisson score test with phi of the series' Poisson model."""
    poisson = smf.glm("y ~ C(quarter, Sum) + t", da_frame, family=sm.families.Poisson()).fit()
    phi, df = poisson.pearson_chi2 / poisson.df_resid, poisson.df_resid

    def hand_p(total_a, total_b):
        n = total_a + total_b
        score = (total_b - n / 2) / math.sqrt(phi * n / 4)
        return 2 * stats.t.sf(abs(score), df)

    q3 = da_result.year_on_year.set_index("period_b").loc["Q3 2021/22"]
    assert q3["test"] == "quasi-Poisson score test"
    assert_allclose(q3["p_value"], hand_p(1424, 1625), rtol=1e-8)
    assert q3["p_value_exact"] < 0.05 and q3["verdict"] == "no significant change"
    annual = da_result.annual.set_index("year")
    assert_allclose(annual.loc["2021/22", "p_value"], hand_p(5766, 6346), rtol=1e-8)
    assert any("within the series' usual extra variation" in n for n in da_result.notes)


def test_da_year_totals_use_the_quarters(da_result):
    annual = da_result.annual.set_index("year")
    assert annual["total"].tolist() == [5766, 6346, 6287]
    assert annual["complete"].all()
    assert_allclose(annual.loc["2021/22", "p_value_exact"],
                    stats.binomtest(6346, 5766 + 6346).pvalue)
    assert_allclose(annual.loc["2022/23", "p_value_exact"],
                    stats.binomtest(6287, 6346 + 6287).pvalue)
    assert annual.loc["2021/22", "verdict"] == "increase"
    assert annual.loc["2022/23", "verdict"] == "no significant change"


def test_da_has_stl_with_three_cycles(da_result):
    assert da_result.stl is not None
    assert_allclose(da_result.stl[["trend", "seasonal", "resid"]].sum(axis=1),
                    da_result.stl["observed"])


# ---------------------------------------------------------------------------
# Poisson path, offset, STL, gaps: synthetic series
# ---------------------------------------------------------------------------

MONTH_EFFECT = np.log([0.85, 0.9, 1.0, 1.05, 1.1, 1.15, 1.2, 1.1, 1.0, 0.95, 0.9, 0.9])
MONTH_EFFECT = MONTH_EFFECT - MONTH_EFFECT.mean()


def _monthly_counts(seed: int | None, months: int = 48, start: str = "2021-01",
                    base: float = 300.0) -> pd.Series:
    index = pd.period_range(start, periods=months, freq="M")
    years = np.arange(months) / 12
    mean = base * np.exp(0.05 * years + MONTH_EFFECT[index.month - 1])
    values = np.round(mean) if seed is None else np.random.default_rng(seed).poisson(mean)
    return pd.Series(values.astype(float), index=index)


def _hand_poisson(series: pd.Series, population: pd.Series | None = None):
    frame = pd.DataFrame({"y": series.to_numpy(), "month": series.index.month,
                          "t": (series.index.asi8 - series.index[0].ordinal) / 12})
    frame = frame[frame["y"].notna()]
    offset = None if population is None else np.log(population.to_numpy()[frame.index])
    return smf.glm("y ~ C(month, Sum) + t", frame, family=sm.families.Poisson(),
                   offset=offset).fit()


def _hand_indices(fit, per_year: int, prefix: str) -> tuple[np.ndarray, np.ndarray]:
    names = [f"{prefix}[S.{m}]" for m in range(1, per_year)]
    effects = np.append(fit.params[names].to_numpy(), -fit.params[names].sum())
    cov = fit.cov_params().loc[names, names].to_numpy()
    ses = np.append(np.sqrt(np.diag(cov)), math.sqrt(cov.sum()))
    return effects, ses


def test_poisson_monthly_matches_hand_glm():
    series = _monthly_counts(seed=3)
    result = seasonal_trend(series)
    hand = _hand_poisson(series)
    assert hand.pearson_chi2 / hand.df_resid < 1.5  # the rule keeps Poisson
    assert result.model == "Poisson GLM" and math.isnan(result.nb_alpha)
    y, mean = series.to_numpy(), hand.fittedvalues.to_numpy()
    phi = _pearson_scale(y, mean, 0.0, 48 - 13)
    assert_allclose(result.scale, phi, rtol=1e-8)
    effects, ses = _hand_indices(hand, 12, "C(month, Sum)")
    half_width = stats.t.ppf(0.975, 35) * ses * math.sqrt(phi)
    indices = result.seasonal_indices
    assert indices["season"].tolist()[:3] == ["Jan", "Feb", "Mar"]
    assert_allclose(indices["index"], np.exp(effects), rtol=1e-8)
    assert_allclose(indices["lower"], np.exp(effects - half_width), rtol=1e-8)
    se_t = hand.bse["t"] * math.sqrt(phi)
    assert_allclose(result.trend.rate_ratio_per_year, math.exp(hand.params["t"]), rtol=1e-8)
    assert_allclose(result.trend.p_value, 2 * stats.t.sf(abs(hand.params["t"] / se_t), 35),
                    rtol=1e-6)
    reduced = smf.glm("y ~ t", pd.DataFrame({"y": y, "t": np.arange(48) / 12}),
                      family=sm.families.Poisson()).fit()
    statistic = 2 * (hand.llf - reduced.llf)
    assert_allclose(result.seasonality_test.statistic, statistic, rtol=1e-8)
    assert_allclose(result.seasonality_test.p_value, stats.f.sf(statistic / 11 / phi, 11, 35),
                    rtol=1e-6)
    assert result.seasonality_test.df == 11
    lower, upper = _matched_interval(mean, 0.0, phi)
    assert result.fitted["outside"].tolist() == ((y < lower) | (y > upper)).tolist()


def test_poisson_interval_when_no_extra_variation():
    # Scale <= 1: the interval is Poisson's at the fitted mean.
    series = _monthly_counts(seed=None, base=400.0)
    result = seasonal_trend(series)
    assert result.scale < 1
    mean = result.fitted["expected"].to_numpy()
    assert_allclose(result.fitted["pi_lower"], stats.poisson.ppf(0.025, mean))
    assert_allclose(result.fitted["pi_upper"], stats.poisson.ppf(0.975, mean))


def test_known_multiplicative_seasonality_recovered():
    # Counts rounded from a known mean (no noise): indices = exp(month effect), trend 5%/yr.
    result = seasonal_trend(_monthly_counts(seed=None, base=5000.0))
    assert_allclose(result.seasonal_indices["index"], np.exp(MONTH_EFFECT), atol=2e-3)
    assert_allclose(result.trend.rate_ratio_per_year, math.exp(0.05), atol=1e-3)


def test_population_offset_matches_hand_glm():
    series = _monthly_counts(seed=11)
    population = pd.Series(np.linspace(500_000, 560_000, 48), index=series.index)
    result = seasonal_trend(series, offset=population, forecast_periods=2)
    hand = _hand_poisson(series, population)
    assert_allclose(result.trend.rate_ratio_per_year, math.exp(hand.params["t"]), rtol=1e-8)
    effects, _ = _hand_indices(hand, 12, "C(month, Sum)")
    assert_allclose(result.seasonal_indices["index"], np.exp(effects), rtol=1e-8)
    # Forecast uses the last population: mean = exp(x'beta) * population[-1].
    log_rate = (hand.params["Intercept"] + hand.params["t"] * 48 / 12
                + hand.params["C(month, Sum)[S.1]"])  # January 2025, four years on
    expected = math.exp(log_rate) * population.iloc[-1]
    assert_allclose(result.forecast["expected"].iloc[0], expected, rtol=1e-8)
    yoy = result.year_on_year.iloc[0]
    assert_allclose(yoy["p_value_exact"], stats.binomtest(
        int(series.iloc[12]), int(series.iloc[0] + series.iloc[12]),
        population.iloc[12] / (population.iloc[0] + population.iloc[12])).pvalue)


def test_stl_recovers_a_known_seasonal_pattern():
    pattern = np.array([-50, -30, 0, 20, 40, 60, 50, 30, 0, -20, -40, -70], dtype=float)
    pattern -= pattern.mean()
    noise = np.random.default_rng(5).normal(0, 1, 60)
    index = pd.period_range("2019-01", periods=60, freq="M")
    series = pd.Series(np.round(1000 + 2 * np.arange(60) + np.tile(pattern, 5) + noise),
                       index=index)
    stl = seasonal_trend(series).stl
    assert stl is not None
    middle_year = stl["seasonal"].to_numpy()[24:36]
    assert_allclose(middle_year, pattern, atol=3)


def test_stl_needs_two_full_cycles():
    index = pd.period_range("2021Q1", periods=12, freq="Q-MAR")
    series = pd.Series([100, 130, 110, 90, 105, 140, 108, 95, 112, 133, 104, 92], index=index,
                       dtype=float).drop(index[4:6])  # every quarter seen twice, with a gap
    result = seasonal_trend(series)
    assert result.stl is None and "gaps" in result.stl_message


def test_gap_months_are_excluded_not_zero():
    series = _monthly_counts(seed=8, months=36, start="2023-01")
    gap = pd.period_range("2024-05", "2024-08", freq="M")
    with_nan = series.copy()
    with_nan[gap] = np.nan
    absent = series.drop(gap)
    for counts in (with_nan, absent):
        result = seasonal_trend(counts)
        assert result.missing_periods == ["May 2024", "Jun 2024", "Jul 2024", "Aug 2024"]
        assert len(result.fitted) == 32
        assert not result.fitted.index.isin(gap).any()
        assert "not treated as zero" in result.notes[0]
        assert result.stl is None and "gaps" in result.stl_message
        hand = _hand_poisson(with_nan)
        assert_allclose(result.trend.rate_ratio_per_year, math.exp(hand.params["t"]),
                        rtol=1e-8)
        # Pairs with a gap month are not compared; 2024 is incomplete so no annual test.
        assert len(result.year_on_year) == 24 - 8
        assert "May 2025" not in result.year_on_year["period_b"].tolist()
        annual = result.annual.set_index("year")
        assert annual.loc["2024", "periods_with_data"] == 8
        assert not annual.loc["2024", "complete"]
        assert annual["verdict"].isna().all()


def test_one_observation_of_a_season_gives_a_reason_not_a_model():
    """Audit case: 20 months with May-Aug seen once gave 'Jul is the seasonal peak'."""
    series = _monthly_counts(seed=8, months=24, start="2024-01")
    series[pd.period_range("2024-05", "2024-08", freq="M")] = np.nan
    reason = seasonal_model_reason(series)
    assert reason == ("No seasonal pattern was estimated: that needs at least two of every "
                      "month, and May, Jun, Jul, Aug were seen only once in the 20 months of "
                      "data.")
    with pytest.raises(SnaInputError, match="seen only once"):
        seasonal_trend(series)
    assert seasonal_model_reason(series, min_per_season=3) is not None
    with pytest.raises(SnaInputError, match="min_per_season"):
        seasonal_model_reason(series, min_per_season=1)
    # The variation is still measured (trend-only model) and the rule still applies.
    assert "too few periods for month terms" in series_variation(series).model


def test_financial_years_for_monthly_series():
    result = seasonal_trend(_monthly_counts(seed=2, months=36, start="2021-04"),
                            year_start_month=4)
    annual = result.annual
    assert annual["year"].tolist() == ["2021/22", "2022/23", "2023/24"]
    assert annual["complete"].all()
    assert annual["compared_with"].tolist()[1:] == ["2021/22", "2022/23"]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), base=st.floats(20, 2000))
def test_seasonal_indices_have_geometric_mean_one(seed, base):
    result = seasonal_trend(_monthly_counts(seed=seed, months=36, base=base),
                            forecast_periods=0)
    assert_allclose(np.log(result.seasonal_indices["index"]).sum(), 0, atol=1e-8)
    indices = result.seasonal_indices
    assert ((indices["lower"] <= indices["index"]) & (indices["index"] <= indices["upper"])).all()
    assert result.forecast.empty


# ---------------------------------------------------------------------------
# seasonal_trend input errors
# ---------------------------------------------------------------------------


def _quarterly(values) -> pd.Series:
    return pd.Series(values, index=pd.period_range("2021Q1", periods=len(values), freq="Q-MAR"),
                     dtype=float)


@pytest.mark.parametrize(
    ("counts", "kwargs", "message"),
    [([1, 2, 3], {}, "pandas Series"),
     (pd.Series([1.0] * 12, index=pd.date_range("2020-01-01", periods=12, freq="MS")), {},
      "PeriodIndex"),
     (pd.Series([1.0] * 12, index=pd.period_range("2010", periods=12, freq="Y")), {},
      "not months or quarters"),
     (pd.Series([5.0] * 3, index=pd.PeriodIndex(["2020-01", "2020-01", "2020-02"], freq="M")),
      {}, "more than once"),
     (_quarterly([10, 20, -1, 5, 10, 20, 9, 5]), {}, "whole number"),
     (_quarterly([10, 20, 2.5, 5, 10, 20, 9, 5]), {}, "whole number"),
     (_quarterly([10, 20, 5]), {}, "Q1, Q2, Q3 were seen only once and Q4 was never seen"),
     (_quarterly([10, 20, 7, 5, 10, 20, 9, 5]), {"min_per_season": 1}, "min_per_season"),
     (_quarterly([10, 20, 7, 5, 10, 20, 9, 5]), {"min_per_season": 3}, "at least 3 of every"),
     (_quarterly([10, 20, 0, 5, 10, 20, 0, 5]), {}, "no crimes at all in Q3"),
     (_quarterly([10, 20, 7, 5, 10, 20, 9, 5]), {"conf": 95}, "conf"),
     (_quarterly([10, 20, 7, 5, 10, 20, 9, 5]), {"forecast_periods": -1}, "forecast_periods"),
     (_quarterly([10, 20, 7, 5, 10, 20, 9, 5]), {"year_start_month": 13}, "year_start_month"),
     (_quarterly([10, 20, 7, 5, 10, 20, 9, 5]), {"offset": 0}, "offset"),
     (_quarterly([10, 20, 7, 5, 10, 20, 9, 5]), {"offset": _quarterly([1, 1, 1, 0, 1, 1, 1, 1])},
      "offset"),
     (_quarterly([10, 20, 7, 5, 10, 20, 9, 5]),
      {"offset": pd.Series([1.0] * 8, index=pd.period_range("2020-01", periods=8, freq="M"))},
      "offset")],
)
def test_seasonal_trend_errors(counts, kwargs, message):
    with pytest.raises(SnaInputError, match=message) as info:
        seasonal_trend(counts, **kwargs)
    assert info.value.fix


def test_stated_minimum_dispersion_on_a_short_series():
    from sna.stats.trend import change_between, judge_change

    short = pd.Series([30.0, 42.0], index=pd.period_range("2025-01", periods=2, freq="M"))
    variation = series_variation(short, min_dispersion=4.0)
    assert math.isnan(variation.phi) and variation.overdispersed and variation.dispersion == 4.0
    result = change_between(short, short.index[:1], short.index[1:], min_dispersion=4.0)
    # by hand: score (42 - 36) / sqrt(4 * 72 / 4) on the normal (the dispersion is stated)
    assert result.p_value == pytest.approx(2 * stats.norm.sf(6 / math.sqrt(72)))
    assert judge_change(30, 42).reason.endswith("(their variation was not checked)")
    with pytest.raises(SnaInputError, match="min_dispersion"):
        series_variation(short, min_dispersion=0.5)


def test_quasi_score_test_reduces_to_the_poisson_score_test_and_wilson():
    from statsmodels.stats.proportion import proportion_confint
    from statsmodels.stats.rates import test_poisson_2indep

    from sna.stats.trend import Variation, judge_change

    result = judge_change(120, 150, exposure_a=2.0, exposure_b=3.0, variation=Variation.stated(1.0 + 1e-12))
    reference = test_poisson_2indep(150, 3.0, 120, 2.0, method="score")
    assert result.p_value == pytest.approx(reference.pvalue, rel=1e-6)
    # dispersion 3 with 40 df: Wilson on n / phi with the t quantile = statsmodels' Wilson
    # with n'' = n z^2 / (phi t^2) (Wilson depends on z^2 / n only)
    noisy = judge_change(120, 150, exposure_a=2.0, exposure_b=3.0, variation=Variation(3.0, 40, 1e-5, "hand"))
    z, t = stats.norm.ppf(0.975), stats.t.ppf(0.975, 40)
    n2 = 270 * z**2 / (3.0 * t**2)
    low, high = proportion_confint(150 / 270 * n2, n2, method="wilson")
    assert noisy.rr_lower == pytest.approx(low / (1 - low) * 2 / 3, rel=1e-9)
    assert noisy.rr_upper == pytest.approx(high / (1 - high) * 2 / 3, rel=1e-9)
    score = (150 - 270 * 0.6) / math.sqrt(3.0 * 270 * 0.6 * 0.4)
    assert noisy.p_value == pytest.approx(2 * stats.t.sf(abs(score), 40))
    assert noisy.ci_agrees_with_test


@settings(max_examples=200, deadline=None)
@given(a=st.integers(0, 2000), b=st.integers(0, 2000), phi=st.floats(1.01, 15),
       df=st.integers(5, 100), e_b=st.sampled_from([1.0, 2.0, 0.5]))
def test_quasi_test_and_interval_always_agree(a, b, phi, df, e_b):
    from sna.stats.trend import Variation, judge_change

    result = judge_change(a, b, exposure_a=1.0, exposure_b=e_b, variation=Variation(phi, df, 1e-9, "hand"))
    assert 0 <= result.p_value <= 1
    if a + b > 0 and 0 < result.rr_lower and math.isfinite(result.rr_upper):
        assert result.ci_agrees_with_test
    # never more liberal than the Poisson score test
    if a + b > 0:
        plain = judge_change(a, b, exposure_a=1.0, exposure_b=e_b, variation=Variation.stated(1.0 + 1e-12))
        assert result.p_value >= plain.p_value - 1e-12
