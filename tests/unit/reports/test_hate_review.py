"""Tests for sna.reports.hate_review on a small hand-built extract whose answers are worked out here.

The extract covers Jan 2024 to Dec 2025 (review year Jan-Dec 2025) with three strands:

* race-only offences: 10 + (i % 3) a month in 2024 and 20 + (i % 3) a month in 2025;
* disability-only offences: 6 a month in 2024, 1 a month in 2025;
* one race + religion offence every month (the multi-strand offence);
* 5 offences a month with no strand (not hate crime).

In the review year, the first 3 hate offences are in district B, the next 25 in C and the
rest alternate between A's two LSOAs.
"""

from __future__ import annotations

import html
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from sna.errors import SnaInputError
from sna.io.accounting import split_by_reason
from sna.paths import raw_dir
from sna.reports import hate_review as hr
from sna.stats import strands as hs
from sna.stats.disclosure import DisclosurePolicy, leak_check_values, protected_rates
from sna.stats.strands import rolling_12_month

STRANDS = ("race", "religion", "disability")
LAST_MONTH = "2025-12"
LSOAS = ("E01013335", "E01013336", "E01013337", "E01013338")  # real NYY LSOA 2021 codes
POLICY = DisclosurePolicy(min_count=10)


def _race_per_month(i: int, review: bool) -> int:
    return (20 if review else 10) + i % 3


def hand_extract() -> pd.DataFrame:
    rows = []
    for i, month in enumerate(pd.period_range("2024-01", "2025-12", freq="M")):
        review = month.year == 2025
        kinds = ([("race",)] * _race_per_month(i, review)
                 + [("disability",)] * (1 if review else 6)
                 + [("race", "religion")] + [()] * 5)
        for kind in kinds:
            rows.append({"month": month, **{f"hate_{s}": s in kind for s in STRANDS}})
    frame = pd.DataFrame(rows)
    frame["month"] = frame["month"].astype("period[M]")
    hate = frame[[f"hate_{s}" for s in STRANDS]].any(axis=1)
    lsoa = np.full(len(frame), LSOAS[0], dtype=object)
    positions = np.flatnonzero((hate & (frame["month"].dt.year == 2025)).to_numpy())
    lsoa[positions[:3]] = LSOAS[2]
    lsoa[positions[3:28]] = LSOAS[3]
    lsoa[positions[28:][1::2]] = LSOAS[1]
    frame["lsoa21_code"] = pd.Categorical(lsoa)
    frame["n_hate_strands"] = frame[[f"hate_{s}" for s in STRANDS]].sum(axis=1)
    return frame


def hand_lsoas() -> pd.DataFrame:
    return pd.DataFrame({"lsoa21_code": list(LSOAS), "district_name": ["A", "A", "B", "C"],
                         "ruc21_code": ["UN1", "RSF1", "RSF1", "RLN1"],
                         "usual_residents": [1500, 1600, 1400, 1700]})


# Hand counts of the review year (2025, i = 12..23) and the year before (2024, i = 0..11).
RACE_ONLY_2025 = sum(20 + i % 3 for i in range(12, 24))
RACE_ONLY_2024 = sum(10 + i % 3 for i in range(12))
OFFENCES_2025 = RACE_ONLY_2025 + 12 + 12  # + disability + multi-strand
OFFENCES_2024 = RACE_ONLY_2024 + 72 + 12


def paragraphs(section) -> list[str]:
    text = section._repr_html_()
    return [html.unescape(re.sub(r"<[^>]+>", "", p))
            for p in re.findall(r"<p(?:\s[^>]*)?>(.*?)</p>", text, flags=re.S)]


def reader_paragraphs(section) -> list[str]:
    """Paragraphs for readers: outside the section's technical appendix."""
    text = re.sub(r'<details class="sna-technical">.*?</details>', "", section._repr_html_(),
                  flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", p))
            for p in re.findall(r"<p(?:\s[^>]*)?>(.*?)</p>", text, flags=re.S)]


def technical_paragraphs(section) -> list[str]:
    """Paragraphs of the section's technical appendix."""
    found = re.findall(r'<details class="sna-technical">(.*?)</details>', section._repr_html_(),
                       flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", p))
            for block in found for p in re.findall(r"<p(?:\s[^>]*)?>(.*?)</p>", block, re.S)]


def holm(p_values) -> np.ndarray:
    """Holm step-down adjustment written out (not statsmodels)."""
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p)
    m = len(p)
    adjusted = np.empty(m)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[index]))
        adjusted[index] = running
    return adjusted


@pytest.fixture(scope="module")
def offences() -> pd.DataFrame:
    return hand_extract()


@pytest.fixture(scope="module")
def totals(offences):
    return hr.totals_and_trend(offences, LAST_MONTH, "Test area", strands=STRANDS)


@pytest.fixture(scope="module")
def composition(offences):
    return hr.composition_and_shifts(offences, LAST_MONTH, "Test area", strands=STRANDS,
                                     n_permutations=199)


@pytest.fixture(scope="module")
def geography(offences):
    return hr.geography(offences, hand_lsoas(), POLICY, LAST_MONTH, "Test area",
                        strands=STRANDS)


# ---------------------------------------------------------------- periods and params


def test_review_periods_calendar_and_financial_year_ends():
    p = hr.review_periods("2025-12")
    assert (p.year, p.previous_year) == (("2025-01", "2025-12"), ("2024-01", "2024-12"))
    assert (p.quarter, p.previous_quarter) == (("2025-10", "2025-12"), ("2025-07", "2025-09"))
    assert (p.quarter_label, p.previous_quarter_label) == ("Q3 2025/26", "Q2 2025/26")
    march = hr.review_periods("2025-03")
    assert march.year == ("2024-04", "2025-03")
    assert (march.quarter, march.quarter_label) == (("2025-01", "2025-03"), "Q4 2024/25")
    # A month that is not a quarter end: the last complete quarter before it.
    assert hr.review_periods("2025-08").quarter == ("2025-04", "2025-06")


def test_review_periods_rejects_a_non_month():
    with pytest.raises(SnaInputError, match="is not a month") as err:
        hr.review_periods("December")
    assert err.value.column == "review_year_last_month"


@pytest.mark.parametrize(("params", "column"), [
    ({"review_year_last_month": "2025-13"}, "review_year_last_month"),
    ({"conf": 1.5}, "conf"),
    ({"min_count": 0}, "min_count"),
    ({"strands": ["race"], "trend_strands": ["disability"]}, "trend_strands"),
    ({"extract": "data/raw/no_such_extract.csv"}, "extract"),
])
def test_validate_params_names_the_bad_parameter(params, column):
    with pytest.raises(SnaInputError) as err:
        hr.validate_params(params)
    assert err.value.column == column
    assert err.value.fix


def test_a_review_year_without_a_year_before_it_says_not_available(offences):
    section = hr.totals_and_trend(offences, "2024-06", "Test area", strands=STRANDS)
    assert "2022-07 to 2024-06" in section.results["not_available"]
    assert "Not available:" in section._repr_html_()
    with pytest.raises(SnaInputError, match="2022-07 to 2024-06") as err:
        hr.totals_and_trend.__wrapped__(offences, "2024-06", "Test area", strands=STRANDS)
    assert err.value.column == "review_year_last_month"


def test_geography_needs_only_the_review_year(offences):
    section = hr.geography(offences, hand_lsoas(), POLICY, "2024-06", "Test area",
                           strands=STRANDS)
    assert "not_available" in section.results


# ---------------------------------------------------------------- totals and trend


def test_totals_compare_the_hand_counted_years(totals):
    comparison = totals.results["comparison"]
    assert (comparison.count_a, comparison.count_b) == (OFFENCES_2024, OFFENCES_2025)
    n = OFFENCES_2024 + OFFENCES_2025
    assert_allclose(comparison.p_value, stats.binomtest(OFFENCES_2025, n, 0.5).pvalue,
                    rtol=1e-9)


def test_totals_sentence_states_verdict_and_test(totals):
    reader = reader_paragraphs(totals)
    assert reader[0].startswith("Demo data")
    plain = next(p for p in reader if p.startswith("Hate crimes (each offence counted once)"))
    assert plain.endswith("a clear rise.") and "statistically" not in plain
    assert f"from {OFFENCES_2024:,} in January to December 2024 to {OFFENCES_2025:,}" in plain
    text = technical_paragraphs(totals)
    change = next(p for p in text if p.startswith("Hate offences (each offence counted once)"))
    assert "statistically significant increase" in change
    assert "no more than chance alone" in change  # why the exact test, in plain words
    assert "test" not in change and "p =" not in change and "p <" not in change
    assert f"{OFFENCES_2024:,} in Jan-Dec 2024 to {OFFENCES_2025:,} in Jan-Dec 2025" in change
    assert any(n.startswith("Hate offences (each offence counted once): exact Poisson test") for n in technical_paragraphs(totals))
    trend = next(p for p in text if p.startswith("After allowing for the seasonal pattern"))
    assert "statistically significant upward trend" in trend
    assert any(re.search(r"\w test in the (Poisson|negative binomial) GLM", n)
               for n in technical_paragraphs(totals))


def test_annual_table_totals_match_hand_counts(totals):
    annual = totals.results["annual"].set_index("Year")
    assert int(annual.loc["2024", "Hate offences"]) == OFFENCES_2024
    assert int(annual.loc["2025", "Hate offences"]) == OFFENCES_2025


def test_synthetic_note_can_be_switched_off(offences):
    section = hr.totals_and_trend(offences, LAST_MONTH, "Test area", strands=STRANDS,
                                  synthetic=False)
    assert not any("Demo data" in p for p in paragraphs(section))


# ---------------------------------------------------------------- composition and shifts


def test_shares_table_counts_offences_once_and_flags_per_strand(offences):
    table = hs.strand_share_table(offences, ("2025-01", "2025-12"), strands=STRANDS)
    by = table.set_index("strand")
    assert by.loc["all", "counts_what"] == "offences"
    assert by.loc["all", "count"] == OFFENCES_2025
    assert by.loc["race", "count"] == RACE_ONLY_2025 + 12
    assert by.loc["religion", "count"] == 12
    assert by.loc["disability", "count"] == 12
    flags = table.loc[table["counts_what"] == "strand flags", "count"].sum()
    assert flags == OFFENCES_2025 + 12  # each multi-strand offence adds one extra flag
    assert table.attrs["multi_strand"] == 12
    lower, upper = proportion_confint(RACE_ONLY_2025 + 12, OFFENCES_2025, method="wilson")
    assert_allclose(by.loc["race", ["share", "share_lower", "share_upper"]].astype(float),
                    [(RACE_ONLY_2025 + 12) / OFFENCES_2025, lower, upper], rtol=1e-9)


def test_shares_sentence_labels_offences_and_flags(composition):
    text = next(p for p in reader_paragraphs(composition)
                if p.startswith("In January to December 2025"))
    assert (f"{OFFENCES_2025:,} hate crimes, recorded against {OFFENCES_2025 + 12:,} strands"
            in text)
    assert "12 were recorded against two or more strands" in text
    assert any("Wilson score interval" in p for p in technical_paragraphs(composition))


def test_year_shift_verdicts_use_holm_over_the_hand_tests(composition):
    table = composition.results["year_shift"].table.set_index("strand")
    counts = {"race": (RACE_ONLY_2024 + 12, RACE_ONLY_2025 + 12), "religion": (12, 12),
              "disability": (72, 12)}
    raw = [stats.binomtest(b, a + b, 0.5).pvalue for a, b in counts.values()]
    assert_allclose(table.loc[list(counts), "p_adjusted"], holm(raw), rtol=1e-9)
    assert table.loc["disability", "verdict"] == "decrease"
    assert table.loc["religion", "verdict"] == "no significant change"


def test_shift_sentences_state_verdict_and_test(composition):
    plain = [p for p in reader_paragraphs(composition)
             if p.startswith("Disability hate crimes fell from 72")]
    assert plain and plain[0].endswith("a clear fall.")
    text = technical_paragraphs(composition)
    disability = [p for p in text if p.startswith("Disability hate crimes fell from 72")]
    religion = [p for p in text if p.startswith("Religion hate crimes stayed at 12")]
    assert disability and "statistically significant decrease" in disability[0]
    assert religion and "not statistically significant" in religion[0]
    for sentence in disability + religion:
        assert "testing 3 strands" in sentence and "Holm-adjusted" in sentence
    assert any("Disability: exact Poisson test" in n and "Holm-adjusted" in n
               for n in technical_paragraphs(composition))
    assert any("permutation test over offences" in p for p in text)
    assert any(p.startswith("Over the 12 months Jan-Dec 2025, disability hate offences")
               for p in text)


def test_rolling_trends_holm_adjusts_the_strands_tested(offences):
    table = hs.rolling_trends(offences, LAST_MONTH, strands=STRANDS)
    assert_allclose(table["p_adjusted"], holm(table["p_value"]), rtol=1e-9)
    race = table.set_index("strand").loc["race", "count_12_months"]
    assert race == RACE_ONLY_2025 + 12


def test_rolling_trend_sentence_verdicts():
    months = pd.period_range("2025-01", "2025-12", freq="M")
    falling = pd.DataFrame({"month": np.repeat(months, np.arange(30, 6, -2)),
                            "hate_disability": True})
    flat = pd.DataFrame({"month": np.repeat(months, 10), "hate_disability": True})
    down = hr.describe_rolling_trend(
        rolling_12_month(falling, strand="disability", strands=["disability"]))
    level = hr.describe_rolling_trend(
        rolling_12_month(flat, strand="disability", strands=["disability"]), p_adjusted=0.9, n_tests=10)
    assert "statistically significant decreasing trend" in down and "test" not in down
    assert "no statistically significant gradual trend" in level
    note = hr.rolling_trend_note(rolling_12_month(flat, strand="disability", strands=["disability"]),
                                 p_adjusted=0.9, n_tests=10)
    assert "t test" in note and "Holm-adjusted over 10 strands, p = 0.90" in note


# ---------------------------------------------------------------- geography


def test_geography_publishes_no_small_count(geography):
    for key in ("districts", "rurality"):
        table = geography.results[key]
        assert leak_check_values(table["count"].tolist(), POLICY.min_count) == []
    html_text = geography._repr_html_()
    cells = re.findall(r'<td class="sna-num">([^<]*)</td>', html_text)
    counts = [c for c in cells if re.fullmatch(r"[\d,]+", c)]
    assert leak_check_values(counts, POLICY.min_count) == []


def test_district_b_is_suppressed_with_its_complement(geography):
    districts = geography.results["districts"].set_index("group")
    # B has 3 offences (primary); C (25) is suppressed too, else B = total - A - C.
    assert districts.loc["B", "suppressed"] and districts.loc["C", "suppressed"]
    assert districts.loc[["B", "C"], ["count", "value", "lower", "upper"]].isna().all().all()
    assert set(districts.loc[["B", "C"], "comparison"]) == {"suppressed"}
    a_count = OFFENCES_2025 - 28
    assert districts.loc["A", "count"] == a_count
    assert districts.loc["__total__", "count"] == OFFENCES_2025
    assert_allclose(districts.loc["A", "value"], a_count / 3100 * 1000, rtol=1e-12)
    assert_allclose(districts.loc["__total__", "value"], OFFENCES_2025 / 6200 * 1000,
                    rtol=1e-12)


def test_district_sentence_compares_with_the_area(geography):
    text = next(p for p in paragraphs(geography) if p.startswith("Across Test area"))
    # A: 236 / 3,100 residents = 76.1 per 1,000, far above the area's 264 / 6,200 = 42.6.
    assert "Clearly higher than across the whole area: A" in text
    assert "2 sub-area figure(s) are hidden" in text


def test_suppressed_districts_are_not_drawn(geography):
    figure = next(h for h in (f.html() for f in geography.figures.values()) if "sub-area" in h)
    assert "not shown (hidden small counts): B and C" in html.unescape(figure)
    label = html.unescape(re.search(r'aria-label="([^"]*)"', figure).group(1))
    assert "B" not in re.findall(r"\b[A-C]\b", label.split(";", 1)[1])


def test_rurality_counts_add_to_the_hand_counts(geography):
    classes = geography.results["rurality"].set_index("group")
    rsf1 = next(g for g in classes.index if g.endswith("(RSF1)"))
    rln1 = next(g for g in classes.index if g.endswith("(RLN1)"))
    a2 = (OFFENCES_2025 - 28) // 2
    assert classes.loc[rsf1, "count"] == a2 + 3
    assert classes.loc[rln1, "count"] == 25


def test_protected_rates_one_small_group_hides_another():
    out = protected_rates(pd.Series([12, 4, 30], index=["x", "y", "z"]),
                             pd.Series([1000, 1000, 2000], index=["x", "y", "z"]),
                             DisclosurePolicy(min_count=5))
    assert out["suppressed"].tolist() == [True, True, False, False]
    assert out["count"].tolist()[2:] == [30, 46]
    lower, upper = stats.chi2.ppf([0.025, 0.975], [2 * 46, 2 * 47]) / 2  # exact, by hand
    byars_low = 46 * (1 - 1 / (9 * 46) - stats.norm.ppf(0.975) / (3 * np.sqrt(46))) ** 3
    assert_allclose(out["lower"].iloc[-1], byars_low / 4000 * 1000, rtol=1e-9)
    assert lower < out["value"].iloc[-1] * 4 < upper


# ---------------------------------------------------------------- indicative rates, multi-strand


def test_indicative_rates_use_census_groups_of_the_area(offences):
    section = hr.indicative_rates(offences, hand_lsoas(), LAST_MONTH, strands=STRANDS)
    ethnicity = pd.read_csv(raw_dir() / "shipped" / "national" / "census2021" / "ethnicity21_lsoa21_ew.csv.gz")
    ethnicity = ethnicity[ethnicity["lsoa21_code"].isin(LSOAS)]
    not_white = ethnicity.loc[ethnicity["ethnic_group"] != "White", "n"].sum()
    race = section.results["rates"].set_index("strand").loc["race"]
    assert race["count"] == RACE_ONLY_2025 + 12
    assert_allclose(race["value"], (RACE_ONLY_2025 + 12) / not_white * 1000, rtol=1e-12)
    text = " ".join(reader_paragraphs(section))
    assert "only a guide" in text and "As a guide" in text


def test_strands_without_a_shipped_denominator_are_stated_correctly(offences):
    # Census 2021 does publish sexual orientation (TS077) and gender identity (TS078) for
    # residents aged 16+: the report must not say that no Census group exists.
    data = offences.assign(hate_sexual_orientation=False, hate_transgender=False)
    section = hr.indicative_rates(data, hand_lsoas(), LAST_MONTH,
                                  strands=(*STRANDS, "sexual_orientation", "transgender"))
    text = " ".join(reader_paragraphs(section))
    assert "TS077" in text and "TS078" in text and "aged 16 and over" in text
    assert "No Census 2021 group is a denominator" not in text


def test_multi_strand_share_and_change(offences):
    section = hr.multi_strand_note(offences, LAST_MONTH, POLICY, strands=STRANDS)
    share = section.results["share"]
    lower, upper = proportion_confint(12, OFFENCES_2025, method="wilson")
    assert_allclose([share["value"], share["lower"], share["upper"]],
                    [12 / OFFENCES_2025, lower, upper], rtol=1e-9)
    comparison = section.results["comparison"]
    assert (comparison.count_a, comparison.count_b, comparison.verdict) == (
        12, 12, "no significant change")
    text = paragraphs(section)
    change = next(p for p in text if p.startswith("Multi-strand hate offences"))
    assert "not a statistically significant change" in change
    assert any(n.startswith("Multi-strand hate offences: exact Poisson test") for n in technical_paragraphs(section))
    combinations = section.results["combinations"]
    assert combinations["Race + Religion"] == 12
    assert combinations["All multi-strand offences"] == 12


def test_rare_combinations_are_grouped_and_protected():
    months = pd.PeriodIndex(["2025-01"] * 16, freq="M")
    frame = pd.DataFrame({"month": months, "hate_race": [True] * 16,
                          "hate_religion": [True] * 11 + [False] * 5,
                          "hate_disability": [False] * 11 + [True] * 3 + [False] * 2})
    out = hr.strand_combinations(frame, ("2025-01", "2025-01"), POLICY, strands=STRANDS)
    # race+religion 11 is shown; race+disability 3 goes to "Other combinations" (3): that
    # is suppressed, and so is the 11, else it would be 14 - 11.
    assert list(out.index) == ["Race + Religion", "Other combinations",
                               "All multi-strand offences"]
    assert out.isna().tolist() == [True, True, False]
    assert out.iloc[-1] == 14


# ---------------------------------------------------------------- data quality, methods


def test_data_quality_accounts_for_rows_and_hate_offences(offences):
    reasons = pd.Series([None] * len(offences), dtype=object)
    reasons.iloc[:2] = "bad offence_date"
    raw = offences.assign(source_file="x.csv", source_row=range(2, len(offences) + 2))
    accounted = split_by_reason(raw, reasons)
    section = hr.data_quality(accounted, strands=STRANDS)
    hate_in_clean = int(accounted.clean[[f"hate_{s}" for s in STRANDS]].any(axis=1).sum())
    assert section.results["hate_offences"] == hate_in_clean
    assert section.results["multi_strand"] == 24
    text = " ".join(paragraphs(section))
    assert (f"{len(offences):,} rows were read: {len(offences) - 2:,} used and 2 set aside"
            in text)


def test_methods_names_every_test_and_the_licence():
    text = html.unescape(hr.methods(policy=POLICY, n_permutations=999)._repr_html_())
    for name in ("exact conditional Poisson test", "Holm", "permutation", "Wilson",
                 "Fisher's exact test", "likelihood-ratio", "GLM", "Open Government Licence",
                 "SYNTHETIC"):
        assert name in text
    assert "SYNTHETIC" not in html.unescape(hr.methods(policy=POLICY, synthetic=False)._repr_html_())


def test_sections_raise_no_warnings(offences):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hr.seasonal_pattern(offences, LAST_MONTH, "Test area", strands=STRANDS)
        hs.rolling_trends(offences, LAST_MONTH, strands=STRANDS)


def test_seasonal_section_with_12_months_says_why_no_model(offences, monkeypatch):
    """With one year of data (anyarea) the seasonal section states its reason, never raises."""
    one_year = offences[offences["month"].dt.year == 2025]
    monkeypatch.setattr(hr, "_check_covered", lambda *args: None)  # the area's period rule
    section = hr.seasonal_pattern(one_year, LAST_MONTH, "Test area", strands=STRANDS)
    text = " ".join(paragraphs(section))
    assert section.results["seasonal_trend"] is None
    assert section.results["seasonal_reason"].startswith("No seasonal pattern was estimated")
    assert "every month was seen only once in the 12 months of data" in text  # not 12 names
    assert "seasonal peak" not in text
    assert "cannot be tested: that needs the same two quarters a year earlier" in text
    assert section.results["quarter_change"].reason  # still judged by the change rule
