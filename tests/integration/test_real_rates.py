"""Real-data check: violence and sexual offences per 1,000 by old district and by RUC 2021
class over the 20 shipped North Yorkshire months, computed a second way straight from the raw
police.uk files and the ONS lookups with plain pandas and scipy."""

import glob

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sna.io.study import load_study
from sna.paths import raw_dir
from sna.stats.rates import rate_ci
from sna.stats.rurality import rates_by_rurality, rurality_standardised_ratio

SHIPPED = raw_dir() / "shipped"
VSO = "Violence and sexual offences"
NYY_LTLA24 = ("E06000065", "E06000014")
OLD_DISTRICTS = "data/raw/shipped/geography/lsoa11_lsoa21_ltla22_nyy.csv.gz"


@pytest.fixture(scope="module")
def independent():
    """Counts per LSOA from the raw files: one row per (month, Crime ID), ASB excluded."""
    files = sorted(glob.glob(str(SHIPPED / "police_uk/north-yorkshire/*.csv.gz")))
    raw = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files])
    vso = raw[raw["Crime type"] == VSO].drop_duplicates(["Month", "Crime ID"])
    counts = vso[vso["LSOA code"] != ""].groupby("LSOA code").size()
    lookup = pd.read_csv(SHIPPED / "geography/lsoa21_ward24_ltla24_ew.csv.gz", dtype=str)
    lookup = lookup[lookup["ltla24_code"].isin(NYY_LTLA24)]
    old = pd.read_csv(SHIPPED / "geography/lsoa11_lsoa21_ltla22_nyy.csv.gz", dtype=str)
    old = old.drop_duplicates("lsoa21_code").set_index("lsoa21_code")["ltla22_name"]
    pop = pd.read_csv(SHIPPED / "geography/census2021_lsoa21_ew.csv.gz").set_index(
        "lsoa21_code")["usual_residents"]
    ruc = pd.read_csv(SHIPPED / "geography/ruc2021_lsoa21_ew.csv.gz").set_index(
        "lsoa21_code")["ruc21_code"]
    table = pd.DataFrame({"lsoa": lookup["lsoa21_code"].to_numpy()})
    table["district"] = table["lsoa"].map(old)
    table["ruc"] = table["lsoa"].map(ruc)
    table["population"] = table["lsoa"].map(pop)
    table["count"] = table["lsoa"].map(counts).fillna(0).astype(int)
    return table


@pytest.fixture(scope="module")
def pipeline():
    study = load_study(SHIPPED / "police_uk/north-yorkshire", ltla24_codes=list(NYY_LTLA24),
                       subareas=OLD_DISTRICTS, forces=["North Yorkshire Police"])
    crimes = study.crimes[(study.crimes["crime_type"] == VSO) & study.crimes["located"]]
    counts = crimes.groupby("lsoa_code").size()
    lsoas = study.lsoas.assign(count=study.lsoas["lsoa21_code"].map(counts).fillna(0))
    return lsoas.rename(columns={"usual_residents": "population"})


Z95 = stats.norm.ppf(0.975)


def byars(count, population, z=Z95):
    lower = count * (1 - 1 / (9 * count) - z / (3 * np.sqrt(count))) ** 3
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * np.sqrt(count + 1))) ** 3
    return lower / population * 1000, upper / population * 1000


def test_district_rates_agree_with_independent_counts(independent, pipeline):
    ours = pipeline.groupby("district_name")[["count", "population"]].sum()
    theirs = independent.groupby("district")[["count", "population"]].sum()
    pd.testing.assert_frame_equal(ours.astype(float), theirs.astype(float), check_names=False)
    rates = rate_ci(ours["count"], ours["population"], multiplier=1000)
    lower, upper = byars(theirs["count"], theirs["population"])
    np.testing.assert_allclose(rates["lower"], lower, rtol=1e-12)
    np.testing.assert_allclose(rates["upper"], upper, rtol=1e-12)
    assert len(ours) == 8 and (rates["value"] > 0).all()


def test_ruc_class_rates_agree(independent, pipeline):
    ours = rates_by_rurality(pipeline.assign(ruc21_code=pipeline["ruc21_code"].astype(str)),
                             ruc_column="ruc21_code", multiplier=1000).set_index("ruc21_code")
    theirs = independent.groupby("ruc")[["count", "population"]].sum()
    for code, row in theirs.iterrows():
        assert ours.loc[code, "value"] == pytest.approx(row["count"] / row["population"] * 1000)


def test_rurality_standardised_ratio_by_district_by_hand(independent, pipeline):
    data = pipeline.rename(columns={"district_name": "area"}).assign(
        ruc21_code=pipeline["ruc21_code"].astype(str))
    ours = rurality_standardised_ratio(data, data, ruc_column="ruc21_code", area="area").set_index("area")
    class_rate = independent.groupby("ruc")["count"].sum() / independent.groupby("ruc")[
        "population"].sum()
    by = independent.groupby(["district", "ruc"])[["count", "population"]].sum().reset_index()
    by["expected"] = by["population"] * by["ruc"].map(class_rate)
    hand = by.groupby("district")[["count", "expected"]].sum()
    np.testing.assert_allclose(ours.loc[hand.index, "expected"], hand["expected"], rtol=1e-10)
    np.testing.assert_allclose(ours.loc[hand.index, "value"], hand["count"] / hand["expected"],
                               rtol=1e-10)
    # The expected events over all districts equal the observed (internal reference).
    assert ours["expected"].sum() == pytest.approx(ours["observed"].sum())
