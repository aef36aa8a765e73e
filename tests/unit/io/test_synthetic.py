"""The SYNTHETIC demo extract: reproducible, and calibrated to the published figures it claims."""

import gzip
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sna.errors import SnaInputError
from sna.io.extract import DEFAULT_STRANDS, read_force_extract
from sna.io.synthetic import (
    DEMO_FILE_NAME,
    EFFECT_DISABILITY_END,
    EFFECT_SEXUAL_ORIENTATION,
    generate_force_extract,
    write_demo_extract,
)
from sna.stats.strands import strand_counts, strand_shift

ROOT = Path(__file__).parents[3]
SHIPPED = ROOT / "data" / "raw" / "shipped"
DEMO = SHIPPED / "synthetic" / DEMO_FILE_NAME
PRE_EFFECT = pd.Period("2024-12", "M")  # the built-in effects start in 2025-01


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return read_force_extract(DEMO).clean


@pytest.fixture(scope="module")
def hate(demo) -> pd.DataFrame:
    return demo[demo["n_hate_strands"] > 0]


def _financial_year(months: pd.Series) -> pd.Series:
    start = months.dt.year - (months.dt.month < 4)
    return start.astype(str) + "/" + (start + 1).astype(str).str[2:]


def _police_uk() -> pd.DataFrame:
    files = sorted((SHIPPED / "police_uk" / "north-yorkshire").glob("*.csv.gz"))
    return pd.concat([pd.read_csv(f, usecols=["Month", "Crime type"]) for f in files])


# ---------------------------------------------------------------- reproducible and labelled


def test_same_seed_same_rows_other_seed_other_rows():
    one = generate_force_extract(seed=7, start="2025-01", end="2025-02")
    two = generate_force_extract(seed=7, start="2025-01", end="2025-02")
    other = generate_force_extract(seed=8, start="2025-01", end="2025-02")
    pd.testing.assert_frame_equal(one, two)
    assert not one.equals(other)


def test_written_file_is_byte_identical_and_matches_the_shipped_demo(tmp_path):
    first = write_demo_extract(path=tmp_path / "a_SYNTHETIC.csv.gz")
    second = write_demo_extract(path=tmp_path / "b_SYNTHETIC.csv.gz")
    assert first.read_bytes() == second.read_bytes()
    assert gzip.decompress(first.read_bytes()) == gzip.decompress(DEMO.read_bytes())


def test_demo_file_is_named_synthetic_small_and_documented():
    assert "SYNTHETIC" in DEMO.name
    assert DEMO.stat().st_size < 4_000_000
    readme = (DEMO.parent / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme and "never" in readme.lower()
    assert f"+{(EFFECT_SEXUAL_ORIENTATION - 1) * 100:.0f}%" in readme
    assert f"x{EFFECT_DISABILITY_END:.2f}" in readme


def test_writer_refuses_a_name_without_synthetic(tmp_path):
    with pytest.raises(SnaInputError) as info:
        write_demo_extract(path=tmp_path / "force_extract.csv.gz")
    assert info.value.column == "path"


def test_every_crime_ref_says_synthetic_and_is_unique(demo):
    assert demo["crime_ref"].str.fullmatch(r"SYN\d{7}").all() and demo["crime_ref"].is_unique


def test_generator_input_errors():
    with pytest.raises(SnaInputError):
        generate_force_extract(start="2025-06", end="2025-01")
    with pytest.raises(SnaInputError):
        generate_force_extract(lsoas=pd.DataFrame({"lsoa21_code": ["E01013335"]}))


# ---------------------------------------------------------------- places


def test_offences_sit_on_the_real_study_lsoas_weighted_by_population(demo):
    lookup = pd.read_csv(SHIPPED / "geography" / "lsoa21_ward24_ltla24_ew.csv.gz")
    nyy = lookup.loc[lookup["ltla24_code"].isin(["E06000065", "E06000014"]), "lsoa21_code"]
    assert len(nyy) == 500
    assert set(demo["lsoa21_code"].astype(str)) <= set(nyy)
    census = pd.read_csv(SHIPPED / "geography" / "census2021_lsoa21_ew.csv.gz",
                         usecols=["lsoa21_code", "usual_residents"]).set_index("lsoa21_code")
    da = demo.loc[demo["da_flag"], "lsoa21_code"].astype(str).value_counts()
    population = census.loc[nyy, "usual_residents"]
    rho = stats.spearmanr(da.reindex(nyy, fill_value=0), population).statistic
    assert rho > 0.2


# ---------------------------------------------------------------- hate crime calibration


def test_annual_hate_total_is_about_1150(hate):
    years = hate.groupby(_financial_year(hate["offence_date"])).size()
    full = years.loc[["2021/22", "2022/23", "2023/24"]]  # complete and before the effects
    tolerance = 4 * math.sqrt(1150)  # Poisson: 4 standard deviations
    assert (full - 1150).abs().max() < tolerance
    assert full.mean() == pytest.approx(1150, rel=0.05)


def test_strand_shares_before_the_effects_match_the_targets(hate):
    counts = strand_counts(hate[hate["month"] <= PRE_EFFECT])
    share = counts.set_index("strand")["share_of_offences"]
    assert share["race"] == pytest.approx(0.70, abs=0.03)
    assert share["sexual_orientation"] == pytest.approx(0.16, abs=0.02)
    assert share["religion"] == pytest.approx(0.07, abs=0.015)
    assert share["disability"] == pytest.approx(0.07, abs=0.015)
    assert share["transgender"] == pytest.approx(0.03, abs=0.01)
    local = ["misogyny", "sex_worker", "asylum_migrant", "gypsy_traveller", "alt_subculture"]
    assert 0.02 <= share[local].sum() <= 0.08
    multi = (hate["n_hate_strands"] > 1).mean()
    assert 0.05 <= multi <= 0.08
    assert hate["n_hate_strands"].max() == 2


def test_summer_peak_and_spring_rise(hate):
    before = hate[hate["month"] <= PRE_EFFECT]
    monthly = before.groupby("month").size()
    calendar = monthly.groupby(monthly.index.month).mean()
    summer = calendar.loc[[6, 7, 8]].mean() / calendar.drop([6, 7, 8]).mean()
    assert 1.05 < summer < 1.35
    spring = calendar.loc[[4, 5, 6]].mean() / calendar.loc[[1, 2, 3]].mean()
    assert 1.05 < spring < 1.40


def test_built_in_effects_are_found_by_strand_shift(hate):
    shift = strand_shift(hate, ("2024-01", "2024-12"), ("2025-01", "2025-12"),
                         n_permutations=999)
    table = shift.table.set_index("strand")
    assert table.loc["sexual_orientation", "verdict"] == "increase"
    assert table.loc["disability", "rate_ratio"] < 1
    assert shift.composition.verdict == "strand mix changed"
    assert "sexual_orientation" in shift.composition.drivers


def test_hate_offences_use_aggravated_codes_for_race_and_religion(hate):
    aggravated = {"9B", "105B", "8M", "8P", "58J"}
    race_only = hate[hate["hate_race"] & (hate["n_hate_strands"] == 1)]
    assert race_only["ho_offence_code"].astype(str).isin(aggravated).mean() > 0.8
    so_only = hate[hate["hate_sexual_orientation"] & (hate["n_hate_strands"] == 1)]
    assert not so_only["ho_offence_code"].astype(str).isin(aggravated).any()
    assert (hate.loc[hate["hate_misogyny"] & (hate["n_hate_strands"] == 1), "victim_sex"]
            == "F").all()


# ---------------------------------------------------------------- domestic abuse calibration


def test_da_quarters_match_the_published_figures(demo):
    published = pd.read_csv(SHIPPED / "published" / "da_related_crimes_quarterly.csv")
    da = demo[demo["da_flag"]]
    month = da["offence_date"]
    quarter = "Q" + (((month.dt.month - 4) % 12) // 3 + 1).astype(str)
    generated = da.groupby([_financial_year(month), quarter]).size()
    for row in published.itertuples():
        count = generated[(row.financial_year, row.quarter)]
        assert abs(count - row.da_related_crimes) < 4 * math.sqrt(row.da_related_crimes)
    years = generated.groupby(level=0).sum()
    for year, total in published.groupby("financial_year")["da_related_crimes"].sum().items():
        assert years[year] == pytest.approx(total, rel=0.03)
    latest = published[published["financial_year"] == "2022/23"].set_index("quarter")
    for quarter_name, value in latest["da_related_crimes"].items():  # extension years
        assert abs(generated[("2024/25", quarter_name)] - value) < 4 * math.sqrt(value)


def test_da_victims_are_mostly_women_aged_25_to_49(demo):
    victims = demo[demo["da_flag"]]
    assert 0.70 < (victims["victim_sex"] == "F").mean() < 0.85
    share = victims["victim_age_band"].value_counts(normalize=True)
    assert share[["25-34", "35-49"]].sum() > 0.55


# ---------------------------------------------------------------- serious violence calibration


def test_weapons_and_robbery_match_police_uk_volumes(demo):
    police = _police_uk()
    months = police["Month"].unique()
    located = demo[demo["month"].astype(str).isin(months)]
    for crime_type, tolerance in (("Possession of weapons", 0.3), ("Robbery", 0.35)):
        published = police[police["Crime type"] == crime_type].groupby("Month").size().mean()
        ours = (located["police_uk_category"] == crime_type).sum() / len(months)
        assert ours == pytest.approx(published, rel=tolerance)
    violence = police[police["Crime type"] == "Violence and sexual offences"]
    ours = (located["police_uk_category"] == "Violence and sexual offences").sum() / len(months)
    assert 0.3 * len(violence) / len(months) < ours < len(violence) / len(months)


def test_serious_violence_groups_are_all_present(demo):
    groups = set(demo["svd_group"].astype(str))
    assert {"homicide", "violence_with_injury", "rape_sexual", "weapon_possession", "robbery",
            "arson_endangering_life"} <= groups
    homicides_a_year = (demo["svd_group"] == "homicide").sum() / (69 / 12)
    assert 2 < homicides_a_year < 15


def test_violence_peaks_at_night_and_at_weekends(demo):
    violence = demo[~demo["da_flag"] & (demo["svd_group"] == "violence_with_injury")]
    hour = violence["offence_time"].str.slice(0, 2).astype(int)
    night = ((hour >= 20) | (hour < 4)).mean()
    assert night > 0.40  # 8 of 24 hours
    weekend = violence["offence_date"].dt.day_of_week.isin([4, 5, 6]).mean()
    assert weekend > 3 / 7 + 0.03


def test_victims_of_sexual_offences_fit_the_offence_code(demo):
    child_codes = ["19D", "19E", "19G", "19H", "20B", "17B"]
    children = demo[demo["ho_offence_code"].astype(str).isin(child_codes)]
    assert (children["victim_age_band"] == "0-15").all()
    adult_rape = demo[demo["ho_offence_code"].astype(str).isin(["19C", "19F"])]
    assert (adult_rape["victim_age_band"] != "0-15").all()
    assert (demo.loc[demo["ho_offence_code"] == "19C", "victim_sex"] == "F").all()
    weapons = demo[demo["svd_group"] == "weapon_possession"]
    assert weapons["victim_sex"].isna().all() and weapons["victim_age_band"].isna().all()


def test_strand_columns_are_the_default_strands(demo):
    assert [c for c in demo.columns if c.startswith("hate_")] == [
        f"hate_{s}" for s in DEFAULT_STRANDS]
    assert np.all(demo.loc[demo["da_flag"], "n_hate_strands"] == 0)


# ---------------------------------------------------------------- other areas


def _national_monthly(ltla_codes, force, crime_type):
    """Offences a month of one crime type in an area, from the raw parquet (its own force)."""
    lookup = pd.read_csv(SHIPPED / "geography" / "lsoa21_ward24_ltla24_ew.csv.gz")
    lsoas = set(lookup.loc[lookup["ltla24_code"].isin(ltla_codes), "lsoa21_code"])
    counts = pd.read_parquet(SHIPPED / "national" / "police_uk_2025" /
                             "counts_lsoa_month_type.parquet")
    rows = counts[(counts["force"] == force) & counts["lsoa21_code"].isin(lsoas)]
    return rows.loc[rows["crime_type"] == crime_type, "offences"].sum() / rows["month"].nunique()


@pytest.mark.parametrize(("code", "force", "file"), [
    ("E06000010", "humberside",
     "SYNTHETIC_force_extract_kingston-upon-hull-city-of_2024-01_"  # pragma: allowlist secret
     "2025-12.csv.gz"),
    ("E06000063", "cumbria", "SYNTHETIC_force_extract_cumberland_2024-01_2025-12.csv.gz")])
def test_another_areas_serious_violence_follows_its_own_police_uk_volumes(code, force, file):
    from sna.io.synthetic import sv_factors

    factors = sv_factors([code])
    ny = ["E06000065", "E06000014"]
    for crime_type in ("Robbery", "Possession of weapons", "Violence and sexual offences"):
        expected = (_national_monthly([code], force, crime_type)
                    / _national_monthly(ny, "north-yorkshire", crime_type))
        assert factors[crime_type] == pytest.approx(expected, rel=1e-9)
    extract = read_force_extract(SHIPPED / "synthetic" / file).clean
    in_2025 = extract[extract["month"].astype(str) >= "2025-01"]
    sv = in_2025[~in_2025["da_flag"] & (in_2025["n_hate_strands"] == 0)]
    ours = (sv["police_uk_category"] == "Robbery").sum() / 12
    # the calibration area's robbery means (2025 level, after the doubling) times the factor
    from sna.io.synthetic import sv_monthly_means

    means = sv_monthly_means(pd.period_range("2025-01", "2025-12", freq="M"), factors=factors)
    expected = means[["34A", "34B"]].to_numpy().sum() / 12
    assert ours == pytest.approx(expected, rel=0.35)
    assert expected == pytest.approx(_national_monthly([code], force, "Robbery"), rel=0.35)
    assert extract["victim_ethnicity"].notna().mean() > 0.5  # people columns present


def test_shipped_example_extracts_are_what_the_generator_makes(tmp_path):
    from sna.io.synthetic import write_area_extract

    made = write_area_extract("E06000064", out_dir=tmp_path, start="2025-01", end="2025-12")
    shipped = SHIPPED / "synthetic" / made.name
    assert gzip.decompress(made.read_bytes()) == gzip.decompress(shipped.read_bytes())


def test_an_area_whose_force_has_no_police_uk_data_falls_back_to_residents():
    from sna.io.synthetic import sv_factors

    factors = sv_factors(["E08000025"], residents_ratio=1.4)  # West Midlands: not in the source
    assert set(factors.values()) == {1.4}
