"""Hate-crime strand statistics against hand calculations and scipy/statsmodels references."""

import itertools
import math
from unittest import mock

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from sna.errors import SnaInputError
from sna.io.census import read_census_tables
from sna.paths import raw_dir
from sna.periods import financial_quarter, period_label, period_months
from sna.stats.strands import (
    census_denominators,
    describe_composition,
    describe_recurring_change,
    describe_strand_shift,
    holm_adjust,
    indicative_rates,
    recurring_change,
    recurring_change_note,
    rolling_12_month,
    strand_counts,
    strand_monthly_counts,
    strand_shift,
    strand_shift_note,
    strands_long,
)

STRANDS = ["race", "religion", "sexual_orientation", "disability", "transgender"]


def offences_from(spec: list[tuple[str, set[str]]], strands=STRANDS) -> pd.DataFrame:
    """One row per (month, strands flagged); an empty set is a non-hate offence."""
    frame = pd.DataFrame({"month": pd.PeriodIndex([m for m, _ in spec], freq="M")})
    for strand in strands:
        frame[f"hate_{strand}"] = [strand in flagged for _, flagged in spec]
    return frame


# Period A = Jan-Mar 2025: 6 hate offences (one race+religion) and a non-hate offence.
# Period B = Apr-Jun 2025: 8 hate offences (one sexual orientation+transgender).
HAND = offences_from(
    [("2025-01", {"race"}), ("2025-01", {"race"}), ("2025-02", {"race", "religion"}),
     ("2025-02", {"sexual_orientation"}), ("2025-03", {"disability"}), ("2025-03", {"race"}),
     ("2025-03", set()),
     ("2025-04", {"race"}), ("2025-04", {"race"}), ("2025-05", {"sexual_orientation"}),
     ("2025-05", {"sexual_orientation"}), ("2025-05", {"sexual_orientation", "transgender"}),
     ("2025-06", {"race"}), ("2025-06", {"race"}), ("2025-06", {"disability"})])
HAND_A = {"race": 4, "religion": 1, "sexual_orientation": 1, "disability": 1, "transgender": 0}
HAND_B = {"race": 4, "religion": 0, "sexual_orientation": 3, "disability": 1, "transgender": 1}
Q_A, Q_B = ("2025-01", "2025-03"), ("2025-04", "2025-06")


def holm_by_hand(p_values):
    """Holm step-down: sort, multiply the i-th smallest by (m - i), running max, cap at 1."""
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p)
    m = len(p)
    adjusted_sorted = np.maximum.accumulate([min(1.0, (m - i) * p[j]) for i, j in
                                             enumerate(order)])
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    return adjusted


# ---------------------------------------------------------------- counts


def test_strand_counts_labels_flags_and_offences_separately():
    counts = strand_counts(HAND[HAND["month"] <= pd.Period("2025-03", "M")], strands=STRANDS)
    flags = counts[counts["counts_what"] == "strand flags"].set_index("strand")["count"]
    assert flags.to_dict() == HAND_A
    offences = counts[counts["counts_what"] == "offences"]
    assert offences["strand"].tolist() == ["all"] and offences["count"].tolist() == [6]
    assert flags.sum() == 7 > 6  # the race+religion offence is one offence, two flags
    shares = counts.set_index("strand")["share_of_offences"]
    assert shares["race"] == pytest.approx(4 / 6) and math.isnan(shares["all"])
    assert counts["strand_label"].iloc[2] == "Sexual orientation"


def test_strand_counts_by_month():
    counts = strand_counts(HAND, strands=STRANDS, by="month")
    may = counts[counts["month"] == pd.Period("2025-05", "M")].set_index("strand")["count"]
    assert may["sexual_orientation"] == 3 and may["transgender"] == 1 and may["all"] == 3
    assert set(counts["month"].astype(str)) == {f"2025-0{m}" for m in range(1, 7)}


def test_strands_long_has_one_row_per_flag():
    long = strands_long(HAND, strands=STRANDS)
    assert len(long) == 7 + 9
    assert long["strand"].value_counts()["race"] == 8
    assert "hate_race" not in long.columns
    assert list(long["strand"].cat.categories) == STRANDS


def test_monthly_counts_fill_months_without_hate_with_zero():
    frame = offences_from([("2025-01", {"race"}), ("2025-03", set()), ("2025-04", {"race"})])
    assert strand_monthly_counts(frame, strands=STRANDS).tolist() == [1, 0, 0, 1]
    assert strand_monthly_counts(frame, strand="religion", strands=STRANDS).tolist() == [0, 0, 0, 0]


# ---------------------------------------------------------------- strand shift: hand example


def test_strand_shift_hand_example_counts_shares_and_wilson_limits():
    shift = strand_shift(HAND, Q_A, Q_B, strands=STRANDS, n_permutations=199)
    table = shift.table.set_index("strand")
    assert table["count_a"].to_dict() == HAND_A and table["count_b"].to_dict() == HAND_B
    assert (table["offences_a"] == 6).all() and (table["offences_b"] == 8).all()
    for strand in STRANDS:
        for period, n, counts in (("a", 6, HAND_A), ("b", 8, HAND_B)):
            low, high = proportion_confint(counts[strand], n, alpha=0.05, method="wilson")
            assert table.loc[strand, f"share_{period}"] == pytest.approx(counts[strand] / n)
            assert table.loc[strand, f"share_{period}_lower"] == pytest.approx(low, abs=1e-12)
            assert table.loc[strand, f"share_{period}_upper"] == pytest.approx(high)
    assert shift.label_a == "Jan-Mar 2025" and shift.label_b == "Apr-Jun 2025"
    assert (shift.total.count_a, shift.total.count_b) == (6, 8)


def test_strand_shift_hand_example_exact_test_and_holm():
    shift = strand_shift(HAND, Q_A, Q_B, strands=STRANDS, n_permutations=199)
    table = shift.table.set_index("strand")
    # equal-length periods: b ~ Binomial(a + b, 1/2) under no change
    expected_p = [stats.binomtest(HAND_B[s], HAND_A[s] + HAND_B[s], 0.5).pvalue
                  if HAND_A[s] + HAND_B[s] else 1.0 for s in STRANDS]
    assert table["p_value"].tolist() == pytest.approx(expected_p)
    assert table.loc["sexual_orientation", "p_value"] == pytest.approx(0.625)  # 2 * 5/16
    assert table["p_adjusted"].tolist() == pytest.approx(holm_by_hand(expected_p))
    with mock.patch("gc.collect"):
        reference = multipletests(expected_p, method="holm")[1]
    assert table["p_adjusted"].tolist() == pytest.approx(reference)
    assert (table["verdict"] == "no significant change").all()
    assert (table["n_tests"] == 5).all() and (table["adjustment"] == "Holm").all()
    so = table.loc["sexual_orientation"]
    assert (so["change"], so["change_pct"], so["rate_ratio"]) == (2, 200.0, 3.0)
    ci = stats.binomtest(3, 4).proportion_ci(confidence_level=0.95, method="exact")
    assert so["rr_lower"] == pytest.approx(ci.low / (1 - ci.low))
    assert so["rr_upper"] == pytest.approx(ci.high / (1 - ci.high))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=12))
def test_holm_matches_statsmodels_multipletests(p_values):
    with mock.patch("gc.collect"):  # statsmodels' holm calls gc.collect(): slow, no effect
        reference = multipletests(p_values, method="holm")[1]
        adjusted = holm_adjust(p_values)
    assert adjusted == pytest.approx(reference)
    assert adjusted == pytest.approx(holm_by_hand(p_values))


def test_verdict_uses_the_holm_adjusted_p_value():
    # race 100 -> 150 is significant alone (p ~ 0.002) and after Holm over 5 strands;
    # disability 30 -> 15 has p ~ 0.036, significant alone but not after adjustment.
    spec = ([("2025-01", {"race"})] * 100 + [("2025-02", {"race"})] * 150
            + [("2025-01", {"disability"})] * 30 + [("2025-02", {"disability"})] * 15
            + [("2025-01", {"religion"})] * 10 + [("2025-02", {"religion"})] * 10)
    shift = strand_shift(offences_from(spec), "2025-01", "2025-02", strands=STRANDS, n_permutations=199)
    table = shift.table.set_index("strand")
    p_race = stats.binomtest(150, 250, 0.5).pvalue
    p_dis = stats.binomtest(15, 45, 0.5).pvalue
    assert p_race < 0.05 / 5 and 0.05 / 4 < p_dis < 0.05
    assert table.loc["race", "verdict"] == "increase"
    assert table.loc["disability", "p_value"] == pytest.approx(p_dis)
    assert table.loc["disability", "verdict"] == "no significant change"
    assert table.loc["disability", "p_adjusted"] == pytest.approx(min(1, 4 * p_dis))


def test_unequal_periods_compare_monthly_rates():
    spec = [("2025-01", {"race"})] * 30 + [("2025-02", {"race"})] * 30 + \
        [("2025-03", {"race"})] * 30
    shift = strand_shift(offences_from(spec), ("2025-01", "2025-02"), "2025-03", strands=STRANDS,
                         n_permutations=99)
    race = shift.table.set_index("strand").loc["race"]
    assert race["rate_ratio"] == pytest.approx(1.0)  # 30/month in both
    assert race["p_value"] == pytest.approx(stats.binomtest(30, 90, 1 / 3).pvalue, rel=1e-6)
    assert "monthly rates" in describe_strand_shift(race)


# ---------------------------------------------------------------- composition test


def _chi2(table: np.ndarray) -> float:
    return stats.chi2_contingency(table, correction=False).statistic


def _pearson_by_hand(table: np.ndarray) -> float:
    expected = np.outer(table.sum(1), table.sum(0)) / table.sum()
    return float(((table - expected) ** 2 / expected).sum())


def test_composition_statistic_and_residuals_match_scipy_and_hand_formula():
    comp = strand_shift(HAND, Q_A, Q_B, strands=STRANDS, n_permutations=199).composition
    table = np.array([[HAND_A[s], HAND_B[s]] for s in STRANDS])  # every strand has a flag
    assert comp.statistic == pytest.approx(_chi2(table))
    assert comp.df == 4
    assert comp.p_value_chi2_flags == pytest.approx(stats.chi2_contingency(
        table, correction=False).pvalue)
    n, rows, cols = table.sum(), table.sum(axis=1), table.sum(axis=0)
    expected = np.outer(rows, cols) / n
    hand = (table[:, 1] - expected[:, 1]) / np.sqrt(
        expected[:, 1] * (1 - rows / n) * (1 - cols[1] / n))
    assert comp.residuals["std_residual_b"].to_numpy() == pytest.approx(hand)
    assert (comp.n_offences_a, comp.n_offences_b, comp.n_multi_strand) == (6, 8, 2)


def test_permutation_p_value_matches_exact_enumeration_over_offences():
    hate = HAND[HAND.filter(like="hate_").any(axis=1)].reset_index(drop=True)
    flags = hate.filter(like="hate_").to_numpy()
    in_b = (hate["month"] >= pd.Period("2025-04", "M")).to_numpy()
    table = np.column_stack([flags[~in_b].sum(0), flags[in_b].sum(0)])
    observed = _chi2(table)
    assert _pearson_by_hand(table) == pytest.approx(observed)
    stats_all = []
    for chosen in itertools.combinations(range(len(hate)), int(in_b.sum())):
        labels = np.zeros(len(hate), dtype=bool)
        labels[list(chosen)] = True
        stats_all.append(_pearson_by_hand(np.column_stack([flags[~labels].sum(0),
                                                           flags[labels].sum(0)])))
    exact = np.mean(np.array(stats_all) >= observed - 1e-9)
    comp = strand_shift(HAND, Q_A, Q_B, strands=STRANDS, n_permutations=20000).composition
    assert comp.p_value == pytest.approx(exact, abs=0.015)


def test_composition_finds_the_strand_that_drives_a_change():
    spec = ([("2025-01", {"race"})] * 80 + [("2025-01", {"sexual_orientation"})] * 20
            + [("2025-02", {"race"})] * 80 + [("2025-02", {"sexual_orientation"})] * 60)
    comp = strand_shift(offences_from(spec), "2025-01", "2025-02", strands=STRANDS).composition
    assert comp.verdict == "strand mix changed" and comp.p_value < 0.001
    assert comp.p_value_chi2_flags < 0.005  # single-strand offences: chi-square applies
    assert set(comp.drivers) == {"sexual_orientation", "race"}
    assert comp.drivers[0] in {"sexual_orientation", "race"}
    text = describe_composition(comp)
    assert "sexual orientation (more than expected)" in text and "p < 0.001" in text


def test_composition_not_testable_with_one_strand():
    spec = [("2025-01", {"race"})] * 5 + [("2025-02", {"race"})] * 5
    comp = strand_shift(offences_from(spec), "2025-01", "2025-02", strands=STRANDS).composition
    assert comp.verdict == "not testable" and math.isnan(comp.p_value)
    assert "could not be tested" in describe_composition(comp)


# ---------------------------------------------------------------- properties

offence = st.tuples(st.booleans(), st.lists(st.booleans(), min_size=4, max_size=4))


@settings(max_examples=30, deadline=None)
@given(st.lists(offence, min_size=1, max_size=40), st.randoms(use_true_random=False))
def test_properties_of_strand_shift(rows, random):
    strands = STRANDS[:4]
    spec = [("2025-02" if later else "2025-01", {s for s, f in zip(strands, flags, strict=True)
                                                  if f}) for later, flags in rows]
    spec += [("2025-01", set()), ("2025-02", set())]  # both months are in the data
    frame = offences_from(spec, strands)
    shift = strand_shift(frame, "2025-01", "2025-02", strands=strands, n_permutations=49)
    table = shift.table
    for period in ("a", "b"):
        share = table[f"share_{period}"].dropna()
        assert ((share >= 0) & (share <= 1)).all()
        lower, upper = table[f"share_{period}_lower"].dropna(), table[f"share_{period}_upper"]
        assert (lower <= share + 1e-12).all() and (share <= upper.dropna() + 1e-12).all()
    assert (table["p_adjusted"] >= table["p_value"] - 1e-12).all()
    counts = strand_counts(frame, strands=strands)
    flags = counts.loc[counts["counts_what"] == "strand flags", "count"].sum()
    assert flags >= counts.loc[counts["counts_what"] == "offences", "count"].item()
    assert len(strands_long(frame, strands=strands)) == flags
    # permuting the offences (rows) changes nothing
    order = list(range(len(frame)))
    random.shuffle(order)
    again = strand_shift(frame.iloc[order].reset_index(drop=True), "2025-01", "2025-02",
                         strands=strands, n_permutations=49)
    pd.testing.assert_frame_equal(table, again.table)
    assert again.composition.p_value == shift.composition.p_value or (
        math.isnan(again.composition.p_value) and math.isnan(shift.composition.p_value))


# ---------------------------------------------------------------- sentences


def _row(**changes):
    row = {"strand_label": "Sexual orientation", "count_a": 150, "count_b": 185,
           "change_pct": 100 * 35 / 150, "months_a": 3, "months_b": 3,
           "period_a": "Jul-Sep 2025", "period_b": "Oct-Dec 2025",
           "verdict": "no significant change", "n_tests": 10, "test": "exact Poisson test",
           "p_adjusted": 0.3149}
    return {**row, **changes}


def test_describe_strand_shift_sentences():
    assert describe_strand_shift(_row()) == (
        "Sexual orientation hate crimes rose from 150 (Jul-Sep 2025) to 185 (Oct-Dec 2025) "
        "(+23%); this is not statistically significant after allowing for testing 10 "
        "strands (exact Poisson test, Holm-adjusted p = 0.31).")
    noisy = describe_strand_shift(_row(reason="after allowing for the usual month-to-month "
                                              "ups and downs of this series"))
    assert ("after allowing for the usual month-to-month ups and downs of this series and for "
            "testing 10 strands (") in noisy
    significant = describe_strand_shift(_row(verdict="increase", p_adjusted=0.0004))
    assert "this is a statistically significant increase" in significant
    note = strand_shift_note(_row(verdict="increase", p_value=0.0001, p_adjusted=0.0004))
    assert note == ("Sexual orientation: exact Poisson test, p < 0.001, Holm-adjusted "
                    "p < 0.001.")
    fell = describe_strand_shift(_row(count_a=20, count_b=12, change_pct=-40.0,
                                      verdict="decrease", p_adjusted=0.0072))
    assert "fell from 20 (Jul-Sep 2025) to 12 (Oct-Dec 2025) (-40%)" in fell
    assert "significant decrease" in fell and "p = 0.007" in fell
    assert "rose from 0 (Jul-Sep 2025) to 3 (Oct-Dec 2025);" in describe_strand_shift(
        _row(count_a=0, count_b=3, change_pct=float("nan")))
    assert "stayed at 4" in describe_strand_shift(_row(count_a=4, count_b=4, change_pct=0.0))


# ---------------------------------------------------------------- recurring change


def _quarters(a0, b0, a1, b1) -> pd.Series:
    months = [f"{y}-0{m}" for y in (2024, 2025) for m in range(1, 7)]
    values = [a0 / 3] * 3 + [b0 / 3] * 3 + [a1 / 3] * 3 + [b1 / 3] * 3
    return pd.Series(np.round(values).astype(int), index=pd.PeriodIndex(months, freq="M"))


@pytest.mark.filterwarnings("ignore::RuntimeWarning",
                            "ignore::statsmodels.tools.sm_exceptions.PerfectSeparationWarning")
def test_recurring_change_against_glm_and_hypergeometric_by_hand():
    a0, b0, a1, b1 = 240, 300, 255, 360  # quarterly totals (each divisible by 3)
    result = recurring_change(_quarters(a0, b0, a1, b1), ("2025-04", "2025-06"))
    # point estimate: the interaction of a saturated Poisson log-linear model
    design = np.array([[1, 0, 0, 0], [1, 0, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]], dtype=float)
    fit = sm.GLM(np.array([a0, b0, a1, b1]), design, family=sm.families.Poisson()).fit()
    assert result.ratio_of_ratios == pytest.approx(math.exp(fit.params[3]))
    assert result.ratio_of_ratios == pytest.approx((b1 / a1) / (b0 / a0))
    # exact conditional test: a0 given all margins is hypergeometric
    total, row0, col0 = a0 + b0 + a1 + b1, a0 + b0, a0 + a1
    pmf = stats.hypergeom(total, col0, row0)
    support = np.arange(max(0, row0 + col0 - total), min(row0, col0) + 1)
    probabilities = pmf.pmf(support)
    observed = pmf.pmf(a0)
    hand_p = probabilities[probabilities <= observed * (1 + 1e-7)].sum()
    assert result.p_value == pytest.approx(hand_p, rel=1e-6)
    assert result.p_value == pytest.approx(fit.pvalues[3], abs=0.05)  # Wald agrees roughly
    # exact interval: the tail probability at each limit is alpha / 2
    nc = stats.nchypergeom_fisher
    assert nc.sf(a0 - 1, total, col0, row0, result.lower) == pytest.approx(0.025, abs=1e-6)
    assert nc.cdf(a0, total, col0, row0, result.upper) == pytest.approx(0.025, abs=1e-6)
    assert result.this_year.count_a == a1 and result.last_year.count_b == b0
    assert (result.label_a, result.label_b_last_year) == ("Jan-Mar 2025", "Apr-Jun 2024")


def test_recurring_change_verdicts_and_sentence():
    same = recurring_change(_quarters(270, 330, 270, 336), ("2025-04", "2025-06"))
    assert same.verdict == "in line with the same change a year earlier"
    assert same.this_year.verdict == "increase"  # a real rise, but the usual one
    bigger = recurring_change(_quarters(300, 300, 300, 600), ("2025-04", "2025-06"))
    assert bigger.verdict == "larger than the same change a year earlier"
    text = describe_recurring_change(bigger, what="Disability hate crime")
    assert text.startswith("Disability hate crime rose from 300 (Jan-Mar 2025) to 600")
    assert "it did not change" in text and "p <" not in text
    assert "p < 0.001" in recurring_change_note(bigger)


def test_recurring_change_allows_for_month_to_month_variation():
    """Audit case: Fisher's exact test on quarters of an over-dispersed monthly series."""
    months = pd.PeriodIndex([f"{y}-0{m}" for y in (2024, 2025) for m in range(1, 7)], freq="M")
    counts = pd.Series([60, 110, 100, 150, 80, 130, 95, 60, 115, 120, 200, 135], index=months)
    result = recurring_change(counts, ("2025-04", "2025-06"))
    a0, b0, a1, b1 = 270, 360, 270, 455
    assert stats.fisher_exact([[a0, b0], [a1, b1]]).pvalue < 0.05  # the old verdict
    assert result.p_value_exact == pytest.approx(stats.fisher_exact([[a0, b0], [a1, b1]]).pvalue)
    # by hand: phi from one mean per quarter, Pearson X2 / phi on F(1, 8)
    means = np.repeat([a0 / 3, b0 / 3, a1 / 3, b1 / 3], 3)
    phi = float(((counts.to_numpy() - means) ** 2 / means).sum() / 8)
    chi2 = stats.chi2_contingency([[a0, b0], [a1, b1]], correction=False).statistic
    assert result.dispersion == pytest.approx(phi)
    assert result.p_value == pytest.approx(stats.f.sf(chi2 / phi, 1, 8))
    assert result.verdict == "in line with the same change a year earlier"
    assert result.test == "quasi-Poisson score test"
    assert "ups and downs" in describe_recurring_change(result)


def test_recurring_change_needs_every_month():
    counts = _quarters(270, 330, 270, 336).drop(pd.Period("2024-02", "M"))
    with pytest.raises(SnaInputError, match="2024-02"):
        recurring_change(counts, ("2025-04", "2025-06"))


# ---------------------------------------------------------------- rolling 12 months


def test_rolling_trend_is_the_poisson_mle_with_statsmodels_standard_errors():
    counts = np.array([14, 9, 12, 10, 8, 11, 7, 9, 6, 8, 5, 6])
    months = pd.period_range("2025-01", "2025-12", freq="M")
    frame = pd.DataFrame({"month": np.repeat(months, counts), "hate_disability": True})
    trend = rolling_12_month(frame, strand="disability", strands=["disability"])
    slope = math.log(trend.rr_per_month)
    t = np.arange(12)
    mu = counts.sum() / np.exp(slope * t).sum() * np.exp(slope * t)
    assert (t * counts).sum() == pytest.approx((t * mu).sum(), rel=1e-8)  # score equation
    reference = sm.Poisson(counts, sm.add_constant(t.astype(float))).fit(disp=0)
    assert slope == pytest.approx(reference.params[1], rel=1e-6)
    dispersion = ((counts - mu) ** 2 / mu).sum() / 10
    assert trend.dispersion == pytest.approx(dispersion, rel=1e-6)
    se = reference.bse[1] * math.sqrt(max(1.0, dispersion))
    t_crit = stats.t.ppf(0.975, 10)  # dispersion estimated on 10 df: t, not normal
    assert trend.rr_per_month_lower == pytest.approx(math.exp(slope - t_crit * se), rel=1e-5)
    assert trend.rr_per_year_upper == pytest.approx(math.exp(12 * (slope + t_crit * se)),
                                                    rel=1e-5)
    assert trend.p_value == pytest.approx(2 * stats.t.sf(abs(slope) / se, 10), rel=1e-5)
    assert trend.p_value > 2 * stats.norm.sf(abs(slope) / se)  # the old z test was too small
    assert trend.verdict == "decreasing"
    assert trend.monthly["rolling_12_month"].iloc[-1] == counts.sum()
    assert trend.monthly["rolling_12_month"].iloc[:11].isna().all()


def test_rolling_trend_flat_series_and_window_end():
    months = pd.period_range("2024-01", "2025-12", freq="M")
    frame = pd.DataFrame({"month": np.repeat(months, 10), "hate_race": True})
    trend = rolling_12_month(frame, strands=["race"], last_month="2024-12")
    assert (trend.first_month, trend.last_month) == ("2024-01", "2024-12")
    assert trend.rr_per_month == pytest.approx(1.0) and trend.verdict == "no significant trend"
    assert trend.strand == "all"
    with pytest.raises(SnaInputError, match="12 months"):
        rolling_12_month(frame, strands=["race"], last_month="2024-06")


# ---------------------------------------------------------------- indicative rates


def test_indicative_rates_exact_and_byars_limits_by_hand():
    counts = pd.DataFrame({"strand": ["religion", "race", "sexual_orientation"],
                           "count": [5, 40, 12]})
    census = pd.DataFrame({"strand": ["race", "religion"], "population": [20_000.0, 8_000.0],
                           "population_definition": ["x", "y"]})
    out = indicative_rates(counts, census).set_index("strand")
    per = 1000
    # count 5 < 10: exact Poisson limits as gamma quantiles
    assert out.loc["religion", "value"] == pytest.approx(5 / 8000 * per)
    assert out.loc["religion", "lower"] == pytest.approx(stats.gamma.ppf(0.025, 5) / 8000 * per)
    assert out.loc["religion", "upper"] == pytest.approx(stats.gamma.ppf(0.975, 6) / 8000 * per)
    # count 40 >= 10: Byars
    z, x = stats.norm.ppf(0.975), 40
    byars_low = x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    byars_high = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3
    assert out.loc["race", "lower"] == pytest.approx(byars_low / 20_000 * per)
    assert out.loc["race", "upper"] == pytest.approx(byars_high / 20_000 * per)
    assert math.isnan(out.loc["sexual_orientation", "value"])
    assert out.loc["sexual_orientation", "note"] == "no Census 2021 denominator for this strand"
    assert out.loc["race", "note"].startswith("indicative")
    two_years = indicative_rates(counts, census, years=2).set_index("strand")
    assert two_years.loc["race", "value"] == pytest.approx(out.loc["race", "value"] / 2)


def test_census_denominators_are_the_sums_of_the_named_groups():
    root = raw_dir() / "shipped" / "national" / "census2021"
    lookup = pd.read_csv(root.parent.parent / "geography" / "lsoa21_ward24_ltla24_ew.csv.gz")
    nyy = set(lookup.loc[lookup["ltla24_code"].isin(["E06000065", "E06000014"]), "lsoa21_code"])
    ethnicity = pd.read_csv(root / "ethnicity21_lsoa21_ew.csv.gz")
    ethnicity = ethnicity[ethnicity["lsoa21_code"].isin(nyy)]
    minority = ethnicity[ethnicity["ethnic_group"].isin([
        "Asian, Asian British or Asian Welsh",
        "Black, Black British, Black Welsh, Caribbean or African",
        "Mixed or Multiple ethnic groups", "Other ethnic group"])]["n"].sum()
    religion = pd.read_csv(root / "religion21_lsoa21_ew.csv.gz")
    religion = religion[religion["lsoa21_code"].isin(nyy)]
    non_christian = religion[~religion["religion"].isin(
        ["Christian", "No religion", "Not answered"])]["n"].sum()
    disability = pd.read_csv(root / "disability21_lsoa21_ew.csv.gz")
    disability = disability[disability["lsoa21_code"].isin(nyy)]
    disabled = disability.loc[disability["disability"].str.startswith("Disabled"), "n"].sum()
    d = census_denominators(read_census_tables(), lsoas=sorted(nyy), councils=lookup).set_index(
        "strand")["population"]
    assert d["race"] == minority and d["religion"] == non_christian
    assert d["disability"] == disabled
    assert 810_000 < d["all"] < 830_000  # North Yorkshire + York, Census 2021
    orientation = pd.read_csv(root / "sexualorientation21_ltla24_ew.csv.gz")
    orientation = orientation[orientation["ltla24_code"].isin(["E06000065", "E06000014"])
                              & ~orientation["sexual_orientation"].isin(
                                  ["Straight or Heterosexual", "Not answered"])]
    assert d["sexual_orientation"] == orientation["n"].sum()
    one = census_denominators(read_census_tables(), lsoas=["E01013335"]).set_index(
        "strand")["population"]
    assert one["all"] == 1627


# ---------------------------------------------------------------- periods and errors


def test_periods_and_labels():
    assert financial_quarter("2025/26", 3) == ("2025-10", "2025-12")
    assert financial_quarter(2024, 4) == ("2025-01", "2025-03")
    assert len(period_months(pd.Period("2025Q3", "Q"))) == 3
    assert period_months("2025-07").strftime("%Y-%m").tolist() == ["2025-07"]
    index = pd.period_range("2025-01", "2025-02", freq="M")
    assert period_months(index).equals(index)
    assert period_label(period_months(("2025-07", "2025-09"))) == "Jul-Sep 2025"


@pytest.mark.parametrize(("period_a", "period_b", "column"), [
    (("2025-01", "2025-03"), ("2025-03", "2025-05"), "period_b"),  # overlap
    (("2024-10", "2024-12"), ("2025-01", "2025-03"), "period_a"),  # before the data
    (("2025-01", "2025-03"), ("2025-04", "2025-07"), "period_b"),  # after the data
    ("not a month", ("2025-04", "2025-06"), "period_a"),
    (("2025-03", "2025-01"), ("2025-04", "2025-06"), "period_a"),  # last before first
])
def test_strand_shift_period_errors(period_a, period_b, column):
    with pytest.raises(SnaInputError) as info:
        strand_shift(HAND, period_a, period_b, strands=STRANDS)
    assert info.value.column == column


def test_input_errors_name_the_column():
    with pytest.raises(SnaInputError) as info:
        strand_counts(HAND.drop(columns="hate_religion"), strands=STRANDS)
    assert info.value.column == "hate_religion"
    with pytest.raises(SnaInputError) as info:
        strand_counts(HAND.assign(hate_race="Y"), strands=STRANDS)
    assert "not boolean" in info.value.problem
    with pytest.raises(SnaInputError) as info:
        strand_monthly_counts(HAND, strand="homeless", strands=STRANDS)
    assert info.value.column == "strand"
    with pytest.raises(SnaInputError):
        financial_quarter("2025/26", 5)
    with pytest.raises(SnaInputError):
        indicative_rates(pd.DataFrame({"strand": ["race"]}),
                         census_denominators(read_census_tables()))
