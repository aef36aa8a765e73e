"""Tests for sna.stats.rates and sna.stats.funnels against PHE/Fingertips fixtures, hand calculations
with scipy, second methods (statsmodels, algebraic identities) and properties."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import optimize, stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import confint_poisson

from sna.errors import SnaInputError
from sna.stats.funnels import funnel_limits, funnel_significance
from sna.stats.rates import (
    _byars_limits,
    compare_to_benchmark,
    dsr,
    group_rates,
    isr,
    proportion_ci,
    rate_ci,
    rates_against_total,
)

REF = Path(__file__).resolve().parents[2] / "reference"
RTOL = 1e-9
CONFS = [(0.95, "95"), (0.998, "99_8")]


def read_ref(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name)


def z_of(conf: float) -> float:
    return stats.norm.ppf(1 - (1 - conf) / 2)


# ---------------------------------------------------------------- rate_ci: PHE fixtures


@pytest.mark.parametrize(("conf", "suffix"), CONFS)
def test_rate_ci_matches_phe_rate(conf, suffix):
    cases = read_ref("phe_rate_cases.csv")
    cases = cases.dropna(subset=["count", "denominator", f"lower{suffix}"])
    assert len(cases) >= 17
    for multiplier, rows in cases.groupby("multiplier"):
        out = rate_ci(rows["count"], rows["denominator"], multiplier=multiplier, conf=conf)
        assert_allclose(out["value"], rows["value"], rtol=RTOL)
        assert_allclose(out["lower"], rows[f"lower{suffix}"], rtol=RTOL)
        assert_allclose(out["upper"], rows[f"upper{suffix}"], rtol=RTOL)
        assert out["method"].tolist() == rows["method"].tolist()
        assert (out.index == rows.index).all()


def test_rate_ci_missing_inputs_give_missing_outputs():
    cases = read_ref("phe_rate_cases.csv")
    missing = cases[cases["count"].isna() | cases["denominator"].isna()]
    assert len(missing) == 6
    out = rate_ci(missing["count"], missing["denominator"])
    assert out[["value", "lower", "upper"]].isna().all().all()
    assert out["method"].isna().all()


def test_rate_ci_edge_cases_zero_counts_and_switch():
    cases = read_ref("rate_edge_cases_computed.csv")
    for conf, suffix in CONFS:
        out = rate_ci(cases["count"], cases["denominator"], conf=conf)
        assert_allclose(out["lower"], cases[f"lower{suffix}"], rtol=RTOL, atol=0)
        assert_allclose(out["upper"], cases[f"upper{suffix}"], rtol=RTOL)
        assert out["method"].tolist() == cases["method"].tolist()
    zero = rate_ci(0, 1000)
    assert zero.loc[0, "lower"] == 0 and np.isfinite(zero.loc[0, "upper"])


def test_rate_ci_metadata_and_index():
    counts = pd.Series([3, 30], index=["Craven", "York"])
    out = rate_ci(counts, [50_000, 200_000], conf=0.998)
    assert list(out.index) == ["Craven", "York"]
    assert list(out.columns) == ["count", "denominator", "value", "lower", "upper",
                                 "confidence", "statistic", "method"]
    assert out["confidence"].unique().tolist() == ["99.8%"]
    assert out["statistic"].unique().tolist() == ["rate per 100,000"]
    assert rate_ci(5, 100, multiplier=1000)["statistic"].iloc[0] == "rate per 1,000"


# ---------------------------------------------------------------- rate_ci: hand calculations


def test_rate_ci_hand_calculation_exact_small_count():
    x, n, conf = 5, 20_000, 0.95
    lower = stats.chi2.ppf(0.025, 2 * x) / 2 / n * 1e5
    upper = stats.chi2.ppf(0.975, 2 * x + 2) / 2 / n * 1e5
    out = rate_ci(x, n, conf=conf)
    assert_allclose(out[["lower", "upper"]].iloc[0], [lower, upper], rtol=RTOL)


def test_rate_ci_hand_calculation_byars():
    x, n, conf = 50, 20_000, 0.998
    z = stats.norm.ppf(0.999)
    lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3 / n * 1e5
    upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3 / n * 1e5
    out = rate_ci(x, n, conf=conf)
    assert_allclose(out[["lower", "upper"]].iloc[0], [lower, upper], rtol=RTOL)


@pytest.mark.parametrize("count", [0, 1, 4, 9])
def test_exact_limits_agree_with_statsmodels(count):
    lower, upper = confint_poisson(count, 1000, method="exact-c", alpha=0.05)
    out = rate_ci(count, 1000, multiplier=1)
    assert_allclose(out[["lower", "upper"]].iloc[0], [lower, upper], rtol=1e-8, atol=1e-15)


@pytest.mark.parametrize("count", [1_000, 5_000, 50_000])
def test_byars_close_to_exact_at_large_counts(count):
    byars = rate_ci(count, 1e6, multiplier=1)
    exact = confint_poisson(count, 1e6, method="exact-c", alpha=0.05)
    assert byars["method"].iloc[0] == "Byars"
    assert_allclose(byars[["lower", "upper"]].iloc[0], exact, rtol=2e-5)


def test_byars_raw_limits_match_phe():
    cases = read_ref("phe_byars_wilson_cases.csv").query("method == 'Byars'")
    for _, row in cases.iterrows():
        lower, upper = _byars_limits(np.array([row["x"]]), row["confidence_pct"] / 100)
        assert_allclose(upper, row["upper"], rtol=RTOL)
        if np.isnan(row["lower"]):  # PHE blanks a negative Byars limit (x=1 at 99.8%)
            assert lower[0] < 0
        else:
            assert_allclose(lower, row["lower"], rtol=RTOL)


# ---------------------------------------------------------------- proportions


@pytest.mark.parametrize(("conf", "suffix"), CONFS)
def test_proportion_ci_matches_phe(conf, suffix):
    cases = read_ref("phe_proportion_cases.csv")
    cases = cases.dropna(subset=["numerator", "denominator", f"lower{suffix}"])
    for multiplier, rows in cases.groupby("multiplier"):
        out = proportion_ci(rows["numerator"], rows["denominator"], multiplier=multiplier, conf=conf)
        assert_allclose(out["value"], rows["value"], rtol=RTOL)
        assert_allclose(out["lower"], rows[f"lower{suffix}"], rtol=RTOL)
        assert_allclose(out["upper"], rows[f"upper{suffix}"], rtol=RTOL)
        assert set(out["method"]) == {"Wilson"}


def test_proportion_ci_wilson_cases_and_missing():
    cases = read_ref("phe_byars_wilson_cases.csv").query("method == 'Wilson'")
    assert len(cases) == 6
    for _, row in cases.iterrows():
        one = proportion_ci(row["x"], row["n"], conf=row["confidence_pct"] / 100)
        assert_allclose(one[["lower", "upper"]].iloc[0], [row["lower"], row["upper"]], rtol=RTOL)
    blank = proportion_ci([np.nan, 10, None], [100, np.nan, None])
    assert blank[["value", "lower", "upper"]].isna().all().all()
    assert blank["method"].isna().all()
    assert proportion_ci(1, 2, multiplier=100)["statistic"].iloc[0] == "percentage"
    assert proportion_ci(1, 2)["statistic"].iloc[0] == "proportion of 1"


@pytest.mark.parametrize(("x", "n"), [(0, 10), (3, 17), (990, 1000), (50, 50)])
def test_wilson_agrees_with_statsmodels(x, n):
    expected = proportion_confint(x, n, alpha=0.002, method="wilson")
    out = proportion_ci(x, n, conf=0.998)
    assert_allclose(out[["lower", "upper"]].iloc[0], expected, rtol=1e-9, atol=1e-15)


# ---------------------------------------------------------------- DSR


@pytest.mark.parametrize(("conf", "suffix"), CONFS)
@pytest.mark.parametrize("multiplier", [10_000, 100_000])
def test_dsr_matches_phe(conf, suffix, multiplier):
    inputs = read_ref("phe_dsr_inputs.csv")
    expected = read_ref("phe_dsr_results.csv").query("multiplier == @multiplier")
    out = dsr(inputs, "count", "pop", "stdpop", group="area", multiplier=multiplier, conf=conf)
    out = out.set_index("area").loc[expected["area"]]
    assert_allclose(out["total_count"], expected["total_count"], rtol=RTOL)
    assert_allclose(out["total_population"], expected["total_pop"], rtol=RTOL)
    for ours, theirs in (("value", "value"), ("lower", f"lower{suffix}"),
                         ("upper", f"upper{suffix}")):
        assert_allclose(out[ours], expected[theirs], rtol=RTOL)  # NaN == NaN for tiny
    assert out.loc["testdata_tiny", "reason"] == "total count < 10"
    assert out["reason"].drop("testdata_tiny").isna().all()
    assert set(out["statistic"]) == {f"dsr per {multiplier:,}"}
    assert set(out["method"]) == {"Dobson"}


def test_dsr_hand_calculation_two_strata():
    data = pd.DataFrame({"band": ["a", "b"], "x": [40, 25], "n": [8_000, 2_000],
                         "w": [60_000, 40_000]})
    value = (40 / 8_000 * 60_000 + 25 / 2_000 * 40_000) / 100_000
    var = (40 * (60_000 / 8_000) ** 2 + 25 * (40_000 / 2_000) ** 2) / 100_000**2
    observed, z = 65, stats.norm.ppf(0.975)
    byars_lower = observed * (1 - 1 / (9 * observed) - z / (3 * np.sqrt(observed))) ** 3
    byars_upper = (observed + 1) * (1 - 1 / (9 * (observed + 1))
                                    + z / (3 * np.sqrt(observed + 1))) ** 3
    lower = value + np.sqrt(var / observed) * (byars_lower - observed)
    upper = value + np.sqrt(var / observed) * (byars_upper - observed)
    out = dsr(data, "x", "n", "w", multiplier=1)
    assert_allclose(out[["value", "lower", "upper"]].iloc[0], [value, lower, upper], rtol=RTOL)


def test_dsr_one_stratum_equals_crude_rate():
    data = pd.DataFrame({"area": ["A", "B"], "x": [25, 400], "n": [9_000, 150_000],
                         "w": [1.0, 1.0]})
    out = dsr(data, "x", "n", "w", group="area")
    crude = rate_ci(data["x"], data["n"])
    assert_allclose(out[["value", "lower", "upper"]], crude[["value", "lower", "upper"]],
                    rtol=RTOL)


# ---------------------------------------------------------------- ISR


def isr_inputs() -> pd.DataFrame:
    inputs = read_ref("phe_dsr_inputs.csv").query("area != 'testdata_1976'")
    return inputs.merge(read_ref("phe_isr_reference_pop.csv"), on="ageband", how="left")


@pytest.mark.parametrize(("conf", "suffix"), CONFS)
def test_isr_matches_phe(conf, suffix):
    expected = read_ref("phe_isr_results.csv")
    for statistic, rows in expected.groupby("statistic"):
        scale = float(statistic.split()[-1])
        measure = "ratio" if "ratio" in statistic else "rate"
        out = isr(isr_inputs(), "count", "pop", "refcount", "refpop", group="area",
                  measure=measure, refvalue=scale, multiplier=scale, conf=conf)
        out = out.set_index("area").loc[rows["area"]]
        assert_allclose(out["observed"], rows["observed"], rtol=RTOL)
        assert_allclose(out["expected"], rows["expected"], rtol=RTOL)
        assert_allclose(out["value"], rows["value"], rtol=RTOL)
        assert_allclose(out["lower"], rows[f"lower{suffix}"], rtol=RTOL)
        assert_allclose(out["upper"], rows[f"upper{suffix}"], rtol=RTOL)
        assert out["method"].tolist() == rows["method"].tolist()
        if measure == "rate":
            assert_allclose(out["ref_rate"], rows["ref_rate"], rtol=RTOL)


def test_isr_hand_calculation_and_rate_is_ratio_times_reference_rate():
    data = pd.DataFrame({"band": ["a", "b", "c"], "x": [3, 2, 1], "n": [500, 300, 0],
                         "rx": [40, 90, 10], "rn": [10_000, 6_000, 1_000]})
    expected_events = 500 * 40 / 10_000 + 300 * 90 / 6_000 + 0
    lower = stats.chi2.ppf(0.025, 12) / 2 / expected_events
    upper = stats.chi2.ppf(0.975, 14) / 2 / expected_events
    ratio = isr(data, "x", "n", "rx", "rn")
    assert_allclose(ratio[["expected", "value", "lower", "upper"]].iloc[0],
                    [expected_events, 6 / expected_events, lower, upper], rtol=RTOL)
    assert ratio["method"].iloc[0] == "Exact"
    rate = isr(data, "x", "n", "rx", "rn", measure="rate", multiplier=1000)
    ref_rate = 140 / 17_000 * 1000
    assert_allclose(rate[["value", "lower", "upper"]].iloc[0],
                    ratio[["value", "lower", "upper"]].iloc[0] * ref_rate, rtol=RTOL)


def test_isr_zero_expected_gives_missing_with_reason():
    data = pd.DataFrame({"area": ["A", "B"], "x": [0, 4], "n": [0, 100], "rx": [5, 5],
                         "rn": [100, 100]})
    out = isr(data, "x", "n", "rx", "rn", group="area")
    assert np.isnan(out.loc[0, "value"]) and out.loc[0, "reason"] == "expected count is zero"
    assert pd.isna(out.loc[1, "reason"])


# ---------------------------------------------------------------- benchmarking


POLARITY = {"low_is_good": "low is good", "high_is_good": "high is good"}
JUDGEMENT = {"Same": "similar", "Better": "better", "Worse": "worse", "None": "not compared"}


def test_compare_to_benchmark_matches_fingertips():
    cases = read_ref("fingertips_benchmark_cases.csv").fillna({"expected": "None"})
    for _, row in cases.iterrows():
        method = row["method"].split("_")[0]
        out = compare_to_benchmark(row["value"], row["lower95"], row["upper95"],
                                   row["benchmark_value"], polarity=POLARITY[row["polarity"]],
                                   method=method, benchmark_lower=row["benchmark_lower95"],
                                   benchmark_upper=row["benchmark_upper95"])
        assert out["judgement"].iloc[0] == JUDGEMENT[row["expected"]], row.to_dict()


def test_compare_to_benchmark_no_judgement_and_missing():
    out = compare_to_benchmark([12, 8, 10, np.nan], [11, 7, 9, 1], [13, 9, 11, 2], 10)
    assert out["comparison"].tolist() == ["higher", "lower", "similar", "not compared"]
    assert out["judgement"].tolist() == ["no judgement"] * 3 + ["not compared"]
    edge = compare_to_benchmark([11, 9], [10, 8], [12, 10], 10, polarity="high is good")
    assert edge["judgement"].tolist() == ["similar", "similar"]  # limits are inclusive


# ---------------------------------------------------------------- funnels


def test_proportion_funnel_limits_match_phe():
    cases = read_ref("phe_funnel_proportion_limits.csv")
    out = funnel_limits(cases["population"], "proportion", multiplier=100,
                        baseline=80.6424478571495)
    for ours, theirs in (("lower_95", "lower_2s_0_025"), ("upper_95", "upper_2s_0_025"),
                         ("lower_99_8", "lower_3s_0_001"), ("upper_99_8", "upper_3s_0_001")):
        assert_allclose(out[ours], cases[theirs], rtol=0, atol=6e-7)  # file has 6 decimals


@pytest.mark.parametrize(("conf", "suffix"), CONFS)
def test_proportion_funnel_inverts_wilson(conf, suffix):
    # second method: at the limit proportion, the Wilson interval just reaches the baseline
    n = np.array([30.0, 500.0, 20_000.0])
    out = funnel_limits(n, "proportion", multiplier=1, baseline=0.3)
    at_lower = proportion_ci(out[f"lower_{suffix}"] * n, n, conf=conf)
    at_upper = proportion_ci(out[f"upper_{suffix}"] * n, n, conf=conf)
    assert_allclose(at_lower["upper"], 0.3, rtol=1e-9)
    assert_allclose(at_upper["lower"], 0.3, rtol=1e-9)


def test_proportion_funnel_significance_matches_phe():
    cases = read_ref("phe_funnel_proportion_significance.csv")
    out = funnel_significance(cases["numerator"], cases["denominator"], "proportion",
                              multiplier=100, baseline=80.6424478571495)
    assert out["significance"].tolist() == cases["expected_significance"].tolist()


def test_ratio_funnel_limits_match_phe():
    cases = read_ref("phe_funnel_ratio_limits.csv")
    for level, suffix in (("2s", "95"), ("3s", "99_8")):
        for side, other in (("lower", "upper"), ("upper", "lower")):
            expected_events = cases[f"{side}_{level}_exp_events"]
            out = funnel_limits(expected_events, "ratio", multiplier=100)
            # PHE's bisection stops at a relative tolerance of about 5e-5
            assert_allclose(out[f"{side}_{suffix}"], cases[f"{side}_{level}_isr"], rtol=1e-4)
            assert (out[f"{other}_{suffix}"] != out[f"{side}_{suffix}"]).all()


@pytest.mark.parametrize("observed", [1, 7, 25, 400])
def test_ratio_funnel_limits_by_root_finding(observed):
    # second method: E at which P(X <= O | E) = 0.025 (lower limit) and P(X >= O | E) = 0.025
    e_low = optimize.brentq(lambda e: stats.poisson.cdf(observed, e) - 0.025, 1e-9, 1e4,
                            xtol=1e-12)
    e_high = optimize.brentq(lambda e: stats.poisson.sf(observed - 1, e) - 0.025, 1e-9, 1e4,
                             xtol=1e-12)
    out = funnel_limits([e_low, e_high], "ratio", multiplier=1)
    assert_allclose(out["lower_95"].iloc[0], observed / e_low, rtol=1e-8)
    assert_allclose(out["upper_95"].iloc[1], observed / e_high, rtol=1e-8)


def test_rate_funnel_is_ratio_funnel_on_expected_events():
    populations = np.array([5_000.0, 80_000.0])
    rate = funnel_limits(populations, "rate", multiplier=100_000, baseline=250.0)
    ratio = funnel_limits(populations * 250 / 100_000, "ratio", multiplier=1)
    for column in ("lower_95", "upper_95", "lower_99_8", "upper_99_8"):
        assert_allclose(rate[column], ratio[column] * 250, rtol=RTOL)


def test_ratio_funnel_significance_matches_phe():
    cases = read_ref("phe_funnel_ratio_significance.csv")
    out = funnel_significance(cases["observed"], cases["expected"], "ratio")
    assert out["significance"].tolist() == cases["expected_significance"].tolist()


def test_rate_funnel_significance_equals_ratio_on_expected():
    counts, pops = np.array([5, 30, 90, 200]), np.array([10_000, 20_000, 30_000, 40_000])
    baseline = counts.sum() / pops.sum()
    rate = funnel_significance(counts, pops, "rate", multiplier=100_000)
    ratio = funnel_significance(counts, pops * baseline, "ratio")
    assert rate["significance"].tolist() == ratio["significance"].tolist()
    assert_allclose(rate["baseline"], baseline * 100_000, rtol=RTOL)
    missing = funnel_significance([5, np.nan], [10.0, 10.0], "ratio")
    assert pd.isna(missing["significance"].iloc[1])


# ---------------------------------------------------------------- properties


counts = st.integers(min_value=0, max_value=100_000)
populations = st.floats(min_value=1, max_value=1e7)


@settings(max_examples=150, deadline=None)
@given(count=counts, population=populations, conf=st.floats(min_value=0.9, max_value=0.9999))
def test_limits_bracket_the_rate(count, population, conf):
    out = rate_ci(count, population, conf=conf).iloc[0]
    assert 0 <= out["lower"] <= out["value"] <= out["upper"]


@settings(max_examples=150, deadline=None)
@given(count=counts, population=populations)
def test_wider_at_998_than_95(count, population):
    narrow = rate_ci(count, population, conf=0.95).iloc[0]
    wide = rate_ci(count, population, conf=0.998).iloc[0]
    assert wide["lower"] <= narrow["lower"] and wide["upper"] > narrow["upper"]


@settings(max_examples=100, deadline=None)
@given(count=st.integers(min_value=0, max_value=5_000), conf=st.sampled_from([0.95, 0.998]))
def test_limits_monotone_in_count(count, conf):
    out = rate_ci([count, count + 1], 10_000, conf=conf)
    assert out["lower"].iloc[1] > out["lower"].iloc[0]
    assert out["upper"].iloc[1] > out["upper"].iloc[0]


@settings(max_examples=100, deadline=None)
@given(count=counts, population=populations, factor=st.floats(min_value=1e-3, max_value=1e6))
def test_rate_scales_linearly_with_multiplier(count, population, factor):
    base = rate_ci(count, population, multiplier=1)
    scaled = rate_ci(count, population, multiplier=factor)
    assert_allclose(scaled[["value", "lower", "upper"]], base[["value", "lower", "upper"]]
                    * factor, rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=1, max_value=10**6), share=st.floats(min_value=0, max_value=1))
def test_proportion_limits_bracket_and_stay_in_unit_interval(n, share):
    out = proportion_ci(round(n * share), n).iloc[0]
    assert 0 <= out["lower"] <= out["value"] <= out["upper"] <= 1 + 1e-12


# ---------------------------------------------------------------- errors


def test_error_denominator_not_positive():
    with pytest.raises(SnaInputError, match="denominator must be greater than 0") as info:
        rate_ci([1, 2], [100, 0])
    assert info.value.column == "denominator" and "position 1" in str(info.value)


def test_error_negative_count():
    with pytest.raises(SnaInputError, match="count must be at least 0"):
        rate_ci(-1, 100)


@pytest.mark.parametrize("conf", [0.5, 95, 1.0, "0.95", True])
def test_error_bad_conf(conf):
    with pytest.raises(SnaInputError, match=r"conf must be a confidence level in \[0.9, 1\)"):
        rate_ci(1, 100, conf=conf)


def test_conf_accepts_range():
    assert rate_ci(1, 100, conf=0.9)["confidence"].iloc[0] == "90%"
    assert rate_ci(1, 100, conf=0.999)["confidence"].iloc[0] == "99.9%"


def test_error_bad_multiplier():
    with pytest.raises(SnaInputError, match="multiplier must be a positive number"):
        rate_ci(1, 100, multiplier=0)


def test_error_mismatched_lengths():
    with pytest.raises(SnaInputError, match="mismatched lengths"):
        rate_ci([1, 2, 3], [100, 200])


def test_error_non_numeric():
    with pytest.raises(SnaInputError, match="count must be numeric"):
        rate_ci(["a", "b"], 100)


def test_error_numerator_above_denominator():
    with pytest.raises(SnaInputError, match="greater than denominator"):
        proportion_ci(11, 10)


def test_error_bad_polarity():
    with pytest.raises(SnaInputError, match="polarity must be one of"):
        compare_to_benchmark(1, 0, 2, 1, polarity="low_is_good")


def test_error_bad_benchmark_method():
    with pytest.raises(SnaInputError, match="method must be one of"):
        compare_to_benchmark(1, 0, 2, 1, method="triple")


def test_error_double_needs_benchmark_limits():
    with pytest.raises(SnaInputError, match="needs the benchmark's confidence limits"):
        compare_to_benchmark(1, 0, 2, 1, method="double")


def test_error_missing_column():
    with pytest.raises(SnaInputError, match=r"column\(s\) \['deaths'\] not found"):
        dsr(pd.DataFrame({"x": [1], "n": [1], "w": [1]}), "deaths", "n", "w")


def test_error_missing_population_in_standardisation():
    data = pd.DataFrame({"x": [1, 2], "n": [10, None], "w": [1, 1]})
    with pytest.raises(SnaInputError, match="column 'n' has 1 missing values"):
        dsr(data, "x", "n", "w")


def test_error_bad_isr_measure():
    data = pd.DataFrame({"x": [1], "n": [1], "rx": [1], "rn": [1]})
    with pytest.raises(SnaInputError, match="measure must be 'ratio' or 'rate'"):
        isr(data, "x", "n", "rx", "rn", measure="smr")


def test_error_bad_funnel_statistic():
    with pytest.raises(SnaInputError, match="statistic must be one of"):
        funnel_limits([10], "percentage", multiplier=100)


def test_error_funnel_baseline():
    with pytest.raises(SnaInputError, match="baseline must be a number in"):
        funnel_limits([10], "proportion", multiplier=100, baseline=120)
    with pytest.raises(SnaInputError, match="ratio funnel is centred on 1"):
        funnel_limits([10], "ratio", multiplier=100, baseline=100)


def test_error_funnel_proportion_numerator_above_denominator():
    with pytest.raises(SnaInputError, match="numerators must be less than or equal"):
        funnel_significance([5, 12], [10, 10], "proportion")


def test_group_rates_byars_and_benchmark_by_hand():
    df = pd.DataFrame({"district_name": ["A", "B"], "count": [100, 400],
                       "population": [20_000, 40_000]})
    out = group_rates(df, "district_name").set_index("district_name")
    z = stats.norm.ppf(0.975)
    lower = 100 * (1 - 1 / 900 - z / 30) ** 3 / 20_000 * 1000
    assert out.loc["A", "lower"] == pytest.approx(lower)
    # benchmark 500 / 60,000 * 1000 = 8.33: A's CI (4.07, 6.08) is below it, B's above.
    assert out.loc["A", "comparison"] == "lower" and out.loc["B", "comparison"] == "higher"


def test_rates_against_total_by_hand():
    out = rates_against_total(pd.Series([3, 40], index=["x", "y"]),
                              pd.Series([1000, 9000], index=["x", "y"]), multiplier=1000)
    assert out["group"].tolist() == ["x", "y", "__total__"]
    assert out["value"].tolist() == pytest.approx([3.0, 40 / 9, 4.3])
    # x: 3 events, exact Poisson limits; its interval contains the total's 4.3.
    lower, upper = stats.chi2.ppf([0.025, 0.975], [6, 8]) / 2
    assert out.loc[0, ["lower", "upper"]].tolist() == pytest.approx([lower, upper])
    assert out["comparison"].tolist() == ["similar", "similar", "benchmark"]
