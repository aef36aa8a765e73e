"""Tests for sna.stats.rurality: hand calculations, second methods (sna.stats.rates on hand-built
strata, algebraic identities) and every error message."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats

from sna.errors import SnaInputError
from sna.paths import raw_dir
from sna.stats.rates import dsr, isr, rate_ci
from sna.stats.rurality import (
    RUC2011,
    RUC2021,
    rates_by_rurality,
    ruc_scheme,
    rurality_standardised_rate,
    rurality_standardised_ratio,
)

RTOL = 1e-9


def lsoa_frame() -> pd.DataFrame:
    """LSOA-level rows for three areas, hand built (urban York, rural Craven, mixed)."""
    return pd.DataFrame({
        "area": ["York"] * 4 + ["Craven"] * 4 + ["Mixed"] * 3,
        "ruc21_code": ["UN1", "UN1", "UF1", "RSN1",
                       "UF1", "RLF1", "RSF1", "RSF1",
                       "UN1", "RLF1", "RSF1"],
        "count": [40, 35, 12, 3, 6, 5, 2, 1, 20, 4, 2],
        "population": [15_000, 14_000, 6_000, 2_000, 4_000, 6_000, 3_000, 2_500,
                       8_000, 3_000, 2_000],
    })


# ---------------------------------------------------------------- scheme


def test_ruc_scheme_recognises_shipped_lookups():
    geography = raw_dir() / "shipped" / "geography"
    ruc21 = pd.read_csv(geography / "ruc2021_lsoa21_ew.csv.gz", usecols=["ruc21_code"])
    ruc11 = pd.read_csv(geography / "ruc2011_lsoa11_ew.csv.gz", usecols=["RUC11CD"])
    assert ruc_scheme(ruc21["ruc21_code"].unique()) == "2021"
    assert ruc_scheme(ruc11["RUC11CD"].unique()) == "2011"
    assert set(ruc21["ruc21_code"]) == set(RUC2021)
    assert set(ruc11["RUC11CD"]) == set(RUC2011)


# ---------------------------------------------------------------- crude by class


def test_rates_by_rurality_sums_rows_then_rate_ci():
    data = lsoa_frame()
    out = rates_by_rurality(data, area="area")
    york_un1 = out.query("area == 'York' and ruc21_code == 'UN1'").iloc[0]
    assert york_un1["count"] == 75 and york_un1["population"] == 29_000
    z = stats.norm.ppf(0.975)
    lower = 75 * (1 - 1 / (9 * 75) - z / (3 * np.sqrt(75))) ** 3 / 29_000 * 1e5
    assert_allclose(york_un1["lower"], lower, rtol=RTOL)
    assert york_un1["ruc_label"] == "Urban: Nearer to a major town or city"
    craven = out.query("area == 'Craven'")
    assert craven["ruc21_code"].tolist() == ["UF1", "RLF1", "RSF1"]  # scheme order
    assert craven["method"].tolist() == ["Exact", "Exact", "Exact"]
    assert out["area"].unique().tolist() == ["York", "Craven", "Mixed"]  # input order


def test_rates_by_rurality_whole_frame_and_2011_scheme():
    data = pd.DataFrame({"RUC11CD": ["E2", "C1", "E2"], "count": [3, 50, 4],
                         "population": [1_000, 20_000, 1_500]})
    out = rates_by_rurality(data, ruc_column="RUC11CD")
    assert out["RUC11CD"].tolist() == ["C1", "E2"]
    expected = rate_ci([50, 7], [20_000, 2_500])
    assert_allclose(out[["value", "lower", "upper"]], expected[["value", "lower", "upper"]],
                    rtol=RTOL)
    assert out["ruc_label"].tolist() == [RUC2011["C1"], RUC2011["E2"]]


def test_rates_by_rurality_own_classes_and_empty_cells():
    data = pd.DataFrame({"area": ["A", "A", "B", "B"], "broad": ["Urban", "Rural"] * 2,
                         "count": [10, None, 5, 0], "population": [1_000, 500, 800, 0]})
    out = rates_by_rurality(data, ruc_column="broad", area="area", classes=["Urban", "Rural"])
    assert out[["area", "broad"]].to_numpy().tolist() == [["A", "Urban"], ["A", "Rural"],
                                                          ["B", "Urban"]]
    assert out.loc[1, "count"] == 0  # a missing count is zero events
    assert out["ruc_label"].tolist() == ["Urban", "Rural", "Urban"]


# ---------------------------------------------------------------- indirect (ratio)


def test_ratio_hand_calculation():
    data = lsoa_frame()
    reference = pd.DataFrame({"ruc21_code": ["UN1", "UF1", "RLF1", "RSN1", "RSF1"],
                              "events": [500, 90, 40, 20, 30],
                              "people": [200_000, 50_000, 40_000, 20_000, 30_000]})
    out = rurality_standardised_ratio(data, reference, ref_count="events",
                                      ref_population="people")
    craven = out.set_index("area").loc["Craven"]
    expected_events = 4_000 * 90 / 50_000 + 6_000 * 40 / 40_000 + 5_500 * 30 / 30_000
    assert_allclose(craven["expected"], expected_events, rtol=RTOL)
    assert craven["observed"] == 14
    lower = 14 * (1 - 1 / 126 - stats.norm.ppf(0.975) / (3 * np.sqrt(14))) ** 3
    assert_allclose(craven["value"], 14 / expected_events, rtol=RTOL)
    assert_allclose(craven["lower"], lower / expected_events, rtol=RTOL)
    assert craven["method"] == "Byars"
    assert craven["statistic"] == "indirectly standardised ratio x 1 by rural-urban class"


def test_ratio_with_one_class_is_ratio_of_crude_rates():
    data = pd.DataFrame({"area": ["A", "B"], "ruc21_code": ["UN1", "UN1"], "count": [7, 130],
                         "population": [4_000, 52_000]})
    reference = pd.DataFrame({"ruc21_code": ["UN1"], "count": [900], "population": [300_000]})
    out = rurality_standardised_ratio(data, reference)
    crude = data["count"] / data["population"]
    assert_allclose(out["value"], crude / (900 / 300_000), rtol=RTOL)
    limits = rate_ci(data["count"], data["population"], multiplier=1)
    assert_allclose(out["upper"], limits["upper"] / (900 / 300_000), rtol=RTOL)
    assert out["method"].tolist() == ["Exact", "Byars"]


def test_ratio_equals_isr_on_hand_joined_strata():
    data = lsoa_frame()
    out = rurality_standardised_ratio(data, reference=data, refvalue=100, conf=0.998)
    strata = data.groupby(["area", "ruc21_code"], sort=False)[["count", "population"]].sum()
    reference = data.groupby("ruc21_code")[["count", "population"]].sum().add_prefix("ref_")
    joined = strata.reset_index().merge(reference.reset_index(), on="ruc21_code")
    second = isr(joined, "count", "population", "ref_count", "ref_population", group="area",
                 refvalue=100, conf=0.998)
    assert_allclose(out[["observed", "expected", "value", "lower", "upper"]],
                    second[["observed", "expected", "value", "lower", "upper"]], rtol=RTOL)


def test_ratio_against_own_total_balances():
    # with the areas' own total as reference, expected events add up to observed events
    data = lsoa_frame()
    out = rurality_standardised_ratio(data, reference=data)
    assert_allclose(out["expected"].sum(), out["observed"].sum(), rtol=RTOL)
    overall = rurality_standardised_ratio(data, reference=data, area=None)
    assert len(overall) == 1
    assert_allclose(overall["value"].iloc[0], 1.0, rtol=RTOL)


def test_ratio_rate_measure_uses_reference_crude_rate():
    data = lsoa_frame()
    ratio = rurality_standardised_ratio(data, reference=data)
    rate = rurality_standardised_ratio(data, reference=data, measure="rate")
    crude_reference = data["count"].sum() / data["population"].sum() * 100_000
    assert_allclose(rate["value"], ratio["value"] * crude_reference, rtol=RTOL)
    assert_allclose(rate["ref_rate"], crude_reference, rtol=RTOL)


@settings(max_examples=60, deadline=None)
@given(counts=st.lists(st.integers(0, 500), min_size=4, max_size=4),
       factor=st.floats(min_value=0.1, max_value=10))
def test_ratio_scales_inversely_with_reference_rates(counts, factor):
    data = pd.DataFrame({"area": ["A", "A", "B", "B"], "ruc21_code": ["UN1", "RSF1"] * 2,
                         "count": counts, "population": [5_000, 1_000, 2_000, 4_000]})
    reference = pd.DataFrame({"ruc21_code": ["UN1", "RSF1"], "count": [300.0, 40.0],
                              "population": [100_000, 20_000]})
    base = rurality_standardised_ratio(data, reference)
    scaled = rurality_standardised_ratio(data, reference.assign(count=reference["count"] * factor))
    assert_allclose(scaled["value"], base["value"] / factor, rtol=1e-9)
    assert (base["lower"] <= base["value"]).all() and (base["value"] <= base["upper"]).all()


# ---------------------------------------------------------------- direct (rate)


def test_rate_missing_class_gives_reason_not_a_rate():
    data = lsoa_frame().query("area != 'Mixed'")
    standard = pd.DataFrame({"ruc21_code": ["UN1", "UF1", "RLF1", "RSN1", "RSF1"],
                             "population": [0, 50_000, 40_000, 20_000, 30_000]})
    out = rurality_standardised_rate(data, standard).set_index("area")
    assert out.index.tolist() == ["York", "Craven"]
    assert out.loc["York", "reason"].startswith("no population in class(es) RLF1, RSF1;")
    assert out.loc["Craven", "reason"].startswith("no population in class(es) RSN1;")
    assert out[["value", "lower", "upper"]].isna().all().all()
    assert out["total_count"].tolist() == [90, 14]  # as PHE, zero-weight strata count in O


def test_rate_hand_calculation_complete_area():
    data = pd.DataFrame({"area": ["A", "A", "B", "B"], "ruc21_code": ["UN1", "RSF1"] * 2,
                         "count": [60, 15, 9, 30], "population": [20_000, 3_000, 2_000, 8_000]})
    standard = pd.DataFrame({"ruc21_code": ["UN1", "RSF1"], "population": [70_000, 30_000]})
    out = rurality_standardised_rate(data, standard, conf=0.998).set_index("area")
    value_a = (60 / 20_000 * 70_000 + 15 / 3_000 * 30_000) / 100_000 * 1e5
    assert_allclose(out.loc["A", "value"], value_a, rtol=RTOL)
    grid = data.merge(standard.rename(columns={"population": "std"}), on="ruc21_code")
    second = dsr(grid, "count", "population", "std", group="area", conf=0.998)
    assert_allclose(out[["value", "lower", "upper"]], second[["value", "lower", "upper"]],
                    rtol=RTOL)
    assert out["statistic"].iloc[0] == "dsr per 100,000 by rural-urban class"


def test_rate_one_class_equals_crude_rate_and_small_totals_suppressed():
    data = pd.DataFrame({"area": ["A", "B"], "ruc21_code": ["RLN1", "RLN1"], "count": [45, 6],
                         "population": [30_000, 5_000]})
    standard = pd.DataFrame({"ruc21_code": ["RLN1"], "population": [1.0]})
    out = rurality_standardised_rate(data, standard)
    crude = rate_ci(45, 30_000)
    assert_allclose(out.loc[0, ["value", "lower", "upper"]].astype(float),
                    crude.loc[0, ["value", "lower", "upper"]].astype(float), rtol=RTOL)
    assert np.isnan(out.loc[1, "value"]) and out.loc[1, "reason"] == "total count < 10"
    whole = rurality_standardised_rate(data, standard, area=None)
    assert_allclose(whole["value"], 51 / 35_000 * 1e5, rtol=RTOL)


# ---------------------------------------------------------------- errors


def test_error_unknown_ruc_class():
    data = lsoa_frame().assign(ruc21_code=lambda f: f["ruc21_code"].replace("RSF1", "RSX9"))
    with pytest.raises(SnaInputError, match=r"unknown rural-urban class\(es\) \['RSX9'\]"):
        rates_by_rurality(data, area="area")


def test_error_unknown_class_in_own_class_set():
    data = pd.DataFrame({"broad": ["Urban", "Town"], "count": [1, 2], "population": [10, 20]})
    with pytest.raises(SnaInputError, match=r"use only the classes passed in classes="):
        rates_by_rurality(data, ruc_column="broad", classes=["Urban", "Rural"])


def test_error_mixed_schemes():
    data = pd.DataFrame({"ruc": ["UN1", "C1"], "count": [1, 2], "population": [10, 20]})
    with pytest.raises(SnaInputError, match="mix the 2011 and 2021 schemes"):
        rates_by_rurality(data, ruc_column="ruc")


def test_error_rows_without_class():
    data = lsoa_frame().assign(ruc21_code=lambda f: f["ruc21_code"].where(f.index != 2))
    with pytest.raises(SnaInputError, match="1 rows have no rural-urban class"):
        rates_by_rurality(data)


def test_error_missing_population():
    data = lsoa_frame().assign(population=lambda f: f["population"].where(f.index != 0))
    with pytest.raises(SnaInputError, match="column 'population' has missing values"):
        rates_by_rurality(data)


def test_error_events_without_population():
    data = pd.DataFrame({"area": ["A"], "ruc21_code": ["UN1"], "count": [3], "population": [0]})
    with pytest.raises(SnaInputError, match=r"events but no population in class UN1 of \('A',\)"):
        rurality_standardised_ratio(data, data.assign(population=100))


def test_error_class_missing_from_reference():
    data = lsoa_frame()
    reference = data.query("ruc21_code != 'RSF1'")
    with pytest.raises(SnaInputError, match=r"\['RSF1'\] have people in the data but none"):
        rurality_standardised_ratio(data, reference)


def test_error_class_missing_from_standard():
    data = lsoa_frame()
    standard = pd.DataFrame({"ruc21_code": ["UN1"], "population": [1]})
    with pytest.raises(SnaInputError, match="are not in the standard population"):
        rurality_standardised_rate(data, standard)


def test_error_missing_column_in_rurality_frame():
    with pytest.raises(SnaInputError, match=r"column\(s\) \['ruc21_code'\] not found"):
        rates_by_rurality(lsoa_frame().rename(columns={"ruc21_code": "ruc"}))


def test_error_negative_count_in_rurality_frame():
    data = lsoa_frame().assign(count=lambda f: f["count"] - 5)
    with pytest.raises(SnaInputError, match="count must be at least 0"):
        rates_by_rurality(data)
