"""KPI rules: period values, direction with its test, RAG status, and the Q3 2023/24 tiles
against the partnership's published tables read independently with the csv module."""

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from sna.errors import SnaInputError
from sna.io.partner_returns import read_partner_returns
from sna.reports.performance import return_tiles
from sna.stats.kpi import (
    AMBER_MARGIN,
    direction,
    months_to_periods,
    rag_status,
    report_period,
)

ROOT = Path(__file__).parents[3]
PUBLISHED = ROOT / "data" / "raw" / "shipped" / "published"


def _rows(name: str) -> list[dict]:
    with open(PUBLISHED / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def q3_tiles():
    accounted = read_partner_returns([PUBLISHED / "partner_returns_nyy.csv",
                                      PUBLISHED / "svd_intervention_targets_nyy_2023-24.csv"])
    tiles = return_tiles(accounted.clean, report_period(period="Q3 2023/24"))
    return tiles.set_index("measure")


def test_q3_2023_24_tiles_match_the_published_tables(q3_tiles):
    """Expected values come straight from the shipped published CSVs, not from sna."""
    hub = {(r["financial_year"], r["month"]): int(r["enquiries"])
           for r in _rows("idas_hub_enquiries_monthly.csv")}
    months = ("October", "November", "December")
    assert q3_tiles.at["idas_hub_enquiries", "value"] == sum(hub["2023/24", m] for m in months)
    assert q3_tiles.at["idas_hub_enquiries", "value"] == 2491  # as printed in the text
    assert q3_tiles.at["idas_hub_enquiries", "previous"] == sum(hub["2022/23", m] for m in months)
    safe = _rows("idas_safe_accommodation_q3_2023_24.csv")
    by = lambda kind: {r["category"]: int(r["value"]) for r in safe if r["measure"] == kind}  # noqa: E731
    assert q3_tiles.at["idas_helpline_enquiries", "value"] == sum(
        by("helpline_enquiries_by_month").values()) == sum(by("calls_by_caller").values())
    assert q3_tiles.at["idas_safe_accommodation_referrals", "value"] == sum(
        by("referrals_by_month").values())
    assert q3_tiles.at["idas_helpline_professional_calls", "value"] == by(
        "calls_by_caller")["professional"]
    assert q3_tiles.at["idas_helpline_professional_calls", "parts_value"] == sum(
        by("professional_calls_by_sector").values())
    items = _rows("idas_target_hardening_q3_2023_24.csv")
    assert q3_tiles.at["target_hardening_items", "value"] == sum(
        int(r["items_provided"]) for r in items)
    referrals = _rows("perpetrator_service_referrals_q3.csv")
    for column, period in (("value", "Q3 2023/24"), ("previous", "Q3 2022/23")):
        assert q3_tiles.at["perpetrator_referrals", column] == sum(
            int(r["referrals"]) for r in referrals if r["period"] == period)
    da = _rows("da_related_crimes_quarterly.csv")
    last, year_before = da[-1], da[-5]
    assert q3_tiles.at["da_related_crimes", "latest_period"] == (
        f"{last['quarter']} {last['financial_year']}")
    assert q3_tiles.at["da_related_crimes", "value"] == int(last["da_related_crimes"])
    assert q3_tiles.at["da_related_crimes", "previous"] == int(year_before["da_related_crimes"])
    assert q3_tiles.at["idas_hub_individuals", "value"] == 1627
    assert q3_tiles.at["idas_hub_individuals", "parts_value"] == 1430 + 160 + 5 + 1 + 30
    assert q3_tiles.at["idas_safe_accommodation_accommodated_share", "value"] == 32
    assert q3_tiles.at["svd_bleed_kits_installed", "target"] == 29
    assert q3_tiles.at["svd_schools_wellbeing_young_people", "target"] == 20
    assert math.isnan(q3_tiles.at["svd_bleed_kits_installed", "value"])


def _quasi_reference(counts: list[float], previous: int, current: int) -> tuple[float, float, float]:
    """phi, df and the quasi-Poisson p-value, computed straight with statsmodels' GLM.

    Second method for the change rule: a Poisson GLM of the quarterly counts with a linear
    trend and quarter dummies (treatment coding, unlike the library's effect coding: the same
    fit), phi = Pearson chi-square / residual df, then the conditional score statistic of the
    two counts divided by sqrt(phi), on t(df).
    """
    import statsmodels.api as sm

    y = np.asarray(counts, dtype=float)
    t = np.arange(len(y), dtype=float)
    quarter = np.arange(len(y)) % 4
    exog = np.column_stack([np.ones(len(y)), t] + [(quarter == q).astype(float)
                                                  for q in (1, 2, 3)])
    fit = sm.GLM(y, exog, family=sm.families.Poisson()).fit()
    phi = fit.pearson_chi2 / fit.df_resid
    n = previous + current
    score = (current - n / 2) / math.sqrt(phi * n / 4)
    return phi, fit.df_resid, float(2 * stats.t.sf(abs(score), fit.df_resid))


def test_q3_directions_use_the_change_rule(q3_tiles):
    # Perpetrator referrals: two figures only, so their variation cannot be checked: exact test.
    perp = q3_tiles.at["perpetrator_referrals", "direction"]
    exact = stats.binomtest(44, 44 + 67, 0.5).pvalue
    assert perp.test == "exact Poisson test" and perp.p_value == pytest.approx(exact)
    assert perp.verdict == "decrease" and "too short to check" in perp.why
    # DA-related crimes: 12 quarters (2020/21 Q1 to 2022/23 Q4, the latest figure), over-
    # dispersed: quasi-Poisson.
    da_rows = _rows("da_related_crimes_quarterly.csv")
    counts = [float(r["da_related_crimes"]) for r in da_rows]
    assert len(counts) == 12 and (da_rows[0]["quarter"], da_rows[-1]["quarter"]) == ("Q1", "Q4")
    phi, df, p_value = _quasi_reference(counts, int(counts[-5]), int(counts[-1]))
    da = q3_tiles.at["da_related_crimes", "direction"]
    assert phi > 1 and stats.chi2.sf(phi * df, df) < 0.05  # evidence of over-dispersion
    assert da.test == "quasi-Poisson score test"
    assert (da.dispersion, da.df) == (pytest.approx(phi), df)
    assert da.p_value == pytest.approx(p_value, rel=1e-9)
    assert da.p_value_exact == pytest.approx(stats.binomtest(1435, 1435 + 1538, 0.5).pvalue)
    assert da.verdict == "no significant change"
    assert da.why == "after allowing for the usual quarter-to-quarter ups and downs of this series"
    assert q3_tiles.at["idas_helpline_enquiries", "direction"].verdict == "not comparable"


def test_overdispersed_series_is_not_called_significant_on_noise():
    """A negative-binomial quarterly series with no real change: the exact test alone calls
    a 12% fall significant; the change rule, allowing for the series' variation, does not."""
    rng = np.random.default_rng(7)
    index = pd.period_range("2019Q1", periods=20, freq="Q-MAR")
    mean, size = 1000, 8  # variance = mean + mean^2 / size: phi about 126
    counts = pd.Series(rng.negative_binomial(size, size / (size + mean), 20).astype(float),
                       index=index)
    counts.iloc[-5], counts.iloc[-1] = 1000.0, 880.0
    phi, df, p_value = _quasi_reference(counts.tolist(), 1000, 880)
    noisy = direction(880, 1000, series=counts)
    exact = direction(880, 1000)
    assert exact.verdict == "decrease" and exact.test == "exact Poisson test"
    assert noisy.verdict == "no significant change" and noisy.test == "quasi-Poisson score test"
    assert noisy.dispersion == pytest.approx(phi) and noisy.p_value == pytest.approx(p_value)
    assert "ups and downs" in noisy.sentence(technical=False)
    # a real fall in a Poisson series (no evidence of extra variation) uses the exact test
    calm = pd.Series(rng.poisson(1400 * np.exp(-0.03 * np.arange(20))).astype(float),
                     index=index)
    before, now = int(calm.iloc[-5]), int(calm.iloc[-1])
    plain = direction(now, before, series=calm)
    assert plain.test == "exact Poisson test" and plain.verdict == "decrease"
    assert plain.p_value == pytest.approx(stats.binomtest(now, now + before, 0.5).pvalue)
    assert "no more than chance" in plain.why


def test_year_totals_are_judged_with_the_variation_of_their_quarters():
    accounted = read_partner_returns(PUBLISHED / "partner_returns_nyy.csv")
    tiles = return_tiles(accounted.clean, report_period(year="2022/23")).set_index("measure")
    da = tiles.loc["da_related_crimes", "direction"]
    rows = _rows("da_related_crimes_quarterly.csv")
    quarters = [float(r["da_related_crimes"]) for r in rows if r["financial_year"] <= "2022/23"]
    phi, df, _ = _quasi_reference(quarters, 6346, 6387)
    assert da.test == "quasi-Poisson score test" and da.dispersion == pytest.approx(phi)
    n = 6346 + 6387
    score = (6387 - n / 2) / math.sqrt(phi * n / 4)
    assert da.p_value == pytest.approx(2 * stats.t.sf(abs(score), df))


def test_direction_too_few_to_say_for_small_counts():
    assert direction(3, 5).verdict == "too few to say"
    assert direction(40, 50).verdict == "no significant change"
    assert direction(40, 50).reason == ""
    assert direction(32, 45, unit="percent").verdict == "not comparable"


def test_a_missing_figure_is_not_comparable_never_too_few():
    """Audit: a tile of 72 offences with no figure a year earlier said 'Too few to say'."""
    missing = direction(72, float("nan"))
    assert missing.verdict == "not comparable"
    assert missing.sentence(technical=False) == (
        "Not comparable: no figure for the same period a year earlier.")
    assert direction(float("nan"), 72).reason == "no figure for this period"
    assert rag_status(72.0, np.nan, "up", change=missing)[0] == "No rating"


@given(st.integers(0, 400), st.integers(0, 400))
def test_direction_agrees_with_binomial_test(current, previous):
    result = direction(current, previous)
    if current + previous == 0:
        assert result.verdict in ("no significant change", "too few to say")
        return
    p = stats.binomtest(current, current + previous, 0.5).pvalue
    if p < 0.05:
        assert result.verdict == ("increase" if current > previous else "decrease")
    else:
        assert result.verdict in ("no significant change", "too few to say")


@pytest.mark.parametrize("value,target,polarity,expected", [
    (29, 29, "up", "Green"), (30, 29, "up", "Green"), (27, 29, "up", "Amber"),
    (29 * (1 - AMBER_MARGIN), 29, "up", "Amber"), (25, 29, "up", "Red"),
    (90, 100, "down", "Green"), (110, 100, "down", "Amber"), (111, 100, "down", "Red"),
    (float("nan"), 29, "up", "No rating"),
])
def test_rag_against_target(value, target, polarity, expected):
    assert rag_status(value, target, polarity)[0] == expected


def test_rag_without_target_follows_tested_direction():
    nan = float("nan")
    assert rag_status(1000, nan, "down", change=direction(1000, 1538))[0] == "Green"
    assert rag_status(1538, nan, "down", change=direction(1538, 1000))[0] == "Red"
    assert rag_status(1538, nan, "up", change=direction(1538, 1000))[0] == "Green"
    assert rag_status(1435, nan, "down", change=direction(1435, 1440))[0] == "Amber"
    assert rag_status(3, nan, "down", change=direction(3, 5))[0] == "No rating"
    assert rag_status(44, nan, "neutral", change=direction(44, 67))[0] == "No rating"
    with pytest.raises(SnaInputError):
        rag_status(1, 2, "sideways")


def test_report_period_modes():
    # one label convention (sna.periods.period_label); the other order is read too
    assert report_period(period="2023/24 Q3").label == "Q3 2023/24"
    assert report_period(period="Q3 2023/24").previous_label == "Q3 2022/23"
    annual = report_period(year="2024/25")
    assert (annual.kind, annual.months[0], annual.months[-1]) == ("year", "2024-04", "2025-03")
    for bad in ({"period": "Q3 2023/24", "year": "2024/25"}, {}, {"period": "2024/25"},
                {"year": "2024/25 Q1"}):
        with pytest.raises(SnaInputError):
            report_period(**bad)


def test_months_to_periods_never_treats_a_missing_month_as_zero():
    months = pd.Series([10, 20, np.nan, 5, 5, 5],
                       index=["2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09"])
    out = months_to_periods(months, "quarter")
    assert math.isnan(out.iloc[0]) and out.iloc[1] == 15
    assert months_to_periods(months, "year").empty


def test_annual_mode_uses_year_totals_and_keeps_both_figures():
    accounted = read_partner_returns(PUBLISHED / "partner_returns_nyy.csv")
    tiles = return_tiles(accounted.clean, report_period(year="2022/23")).set_index("measure")
    da = tiles.loc["da_related_crimes"]
    assert (da["value"], da["parts_value"], da["previous"]) == (6387, 6287, 6346)
    assert da["direction"].verdict == "no significant change"
