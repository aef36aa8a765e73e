"""Similar areas and national benchmarks, checked against an independent computation.

References: the shipped national files read directly with pandas, geopandas and DuckDB
(not through sna's readers), scipy.spatial.distance for the distances, and the
indirect-standardisation formula written out by hand.
"""

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.spatial.distance import cdist

from sna.paths import raw_dir
from sna.reports.area_sections import national_benchmarks, similar_areas_section
from sna.stats.similar_areas import nearest_units, profile_units

SHIPPED = raw_dir() / "shipped"
NYY = ["E06000065", "E06000014"]
SVD = ["Violence and sexual offences", "Possession of weapons", "Robbery"]
RURAL = {"RLN1", "RLF1", "RSN1", "RSF1"}


@pytest.fixture(scope="module")
def lsoas():
    """One row per LSOA 2021 with council, force, residents, area, RUC and IMD score."""
    lookup = pd.read_csv(SHIPPED / "geography/lsoa21_ward24_ltla24_ew.csv.gz", dtype=str)
    csp = pd.read_csv(SHIPPED / "geography/ltla24_csp24_pfa24_ew.csv.gz", dtype=str)
    pfa = csp.drop_duplicates("ltla24_code").set_index("ltla24_code")["pfa24_name"]
    pop = pd.read_csv(SHIPPED / "geography/census2021_lsoa21_ew.csv.gz").set_index(
        "lsoa21_code")["usual_residents"]
    ruc = pd.read_csv(SHIPPED / "geography/ruc2021_lsoa21_ew.csv.gz").set_index(
        "lsoa21_code")["ruc21_code"]
    imd = pd.read_csv(SHIPPED / "national/imd2025_england_lsoa21.csv.gz").set_index(
        "lsoa21_code")["imd_score"]
    shapes = gpd.read_file(f"/vsigzip/{SHIPPED / 'national/boundaries/lsoa21_bsc_ew.geojson.gz'}")
    area = pd.Series(shapes.to_crs(27700).area.to_numpy() / 1e6, index=shapes["lsoa21_code"])
    out = lookup[["lsoa21_code", "ltla24_code", "ltla24_name"]].copy()
    out["pfa"] = out["ltla24_code"].map(pfa)
    for name, series in (("pop", pop), ("ruc", ruc), ("imd", imd), ("km2", area)):
        out[name] = out["lsoa21_code"].map(series)
    return out


def _features(frame):
    pop = frame["pop"]
    return pd.Series({
        "log_population": np.log(pop.sum()),
        "log_density": np.log(pop.sum() / frame["km2"].sum()),
        "rural_share": pop[frame["ruc"].isin(RURAL)].sum() / pop.sum(),
        "smaller_rural_share": pop[frame["ruc"].isin({"RSN1", "RSF1"})].sum() / pop.sum(),
        "further_share": pop[frame["ruc"].isin({"UF1", "RLF1", "RSF1"})].sum() / pop.sum(),
        "imd_score": (pop * frame["imd"]).sum() / pop.sum() if frame["imd"].notna().all()
        else np.nan})


@pytest.fixture(scope="module")
def independent_neighbours(lsoas):
    councils = lsoas.groupby("ltla24_code").apply(_features, include_groups=False)
    target = _features(lsoas[lsoas["ltla24_code"].isin(NYY)])
    pool = councils.drop(index=NYY).dropna()
    z = (pool - pool.mean()) / pool.std(ddof=0)
    zt = (target - pool.mean()) / pool.std(ddof=0)
    distance = cdist(zt.to_numpy()[None, :], z.to_numpy())[0]
    return pd.Series(distance, index=pool.index).sort_values().head(10)


def test_profile_units_hand_calculation():
    df = pd.DataFrame({"unit": ["a", "a", "b"], "usual_residents": [100, 300, 50],
                       "area_km2": [10.0, 2.0, 1.0], "ruc21_code": ["RSF1", "UN1", "RLN1"],
                       "imd_score": [20.0, 40.0, None]})
    out = profile_units(df)
    assert out.loc["a", "density"] == pytest.approx(400 / 12)
    assert out.loc["a", "rural_share"] == 0.25 and out.loc["a", "further_share"] == 0.25
    assert out.loc["a", "imd_score"] == pytest.approx(35.0)
    assert np.isnan(out.loc["b", "imd_score"]) and out.loc["b", "rural_share"] == 1.0


def test_mahalanobis_matches_scipy():
    rng = np.random.default_rng(1)
    cands = pd.DataFrame(rng.normal(size=(40, 3)), columns=list("xyz"))
    cands["y"] += cands["x"]
    target = pd.Series({"x": 0.3, "y": -0.2, "z": 0.1})
    got = nearest_units(target, cands, k=40, method="mahalanobis", features=list("xyz"))
    z = (cands - cands.mean()) / cands.std(ddof=0)
    zt = (target - cands.mean()) / cands.std(ddof=0)
    vi = np.linalg.inv(np.cov(z.to_numpy(), rowvar=False))
    ref = cdist(zt.to_numpy()[None, :], z.to_numpy(), "mahalanobis", VI=vi)[0]
    assert_allclose(got.sort_index()["distance"], ref, rtol=1e-9)


def test_north_yorkshire_similar_areas_match_the_independent_list(independent_neighbours):
    section = similar_areas_section(NYY, area_name="the test area")
    found = section.results["similar"].neighbours
    assert found["unit"].tolist() == independent_neighbours.index.tolist()
    assert_allclose(found["distance"], independent_neighbours.to_numpy(), rtol=1e-6)


def test_similar_areas_table_and_note_read_as_written():
    """Audit: the table said '% of residents of residents in rural LSOAs' and the note
    '... share of residents in rural lsoas, ..., mean imd 2025 score'."""
    section = similar_areas_section(NYY, area_name="the test area")
    page = section._repr_html_()
    assert "of residents of residents" not in page
    for column in ("% of residents in rural LSOAs", "% of residents in smaller rural LSOAs",
                   "% of residents further from a major town or city"):
        assert f">{column}</th>" in page
    note = section.results["similar"].note
    assert "residents in rural LSOAs" in note and "mean IMD 2025 score" in note
    assert "lsoas" not in note and "imd" not in note


@pytest.fixture(scope="module")
def counts_2025(lsoas):
    """Offences per LSOA in 2025, SVD categories, straight from the Parquet with DuckDB."""
    path = SHIPPED / "national/police_uk_2025/counts_lsoa_month_type.parquet"
    counts = duckdb.sql(
        f"SELECT lsoa21_code, sum(offences) AS n FROM read_parquet('{path}') "
        f"WHERE crime_type IN ('Violence and sexual offences', 'Possession of weapons', "
        f"'Robbery') AND lsoa21_code IS NOT NULL GROUP BY lsoa21_code").df()
    coverage = pd.read_csv(SHIPPED / "national/police_uk_2025/coverage.csv.gz")
    full = coverage[coverage["rows_in"].notna()].groupby("force").size()
    full = set(full[full == 12].index)
    slug = lsoas["pfa"].str.lower().str.replace("&", "and").str.replace(r"[^a-z]+", "-",
                                                                      regex=True)
    slug = slug.replace({"metropolitan-police": "metropolitan",
                         "london-city-of": "city-of-london"})
    out = lsoas.assign(n=lsoas["lsoa21_code"].map(counts.set_index("lsoa21_code")["n"])
                       .fillna(0), covered=slug.isin(full))
    return out


def test_north_yorkshire_national_benchmarks_match_the_independent_computation(
        counts_2025, independent_neighbours):
    section = national_benchmarks(NYY, SVD, "2025-12", area_name="the test area")
    bench = section.results["benchmarks"]
    rates = bench.rates.set_index("label")
    covered = counts_2025[counts_2025["covered"]]
    national = covered["n"].sum() / covered["pop"].sum() * 1000
    assert bench.national_rate == pytest.approx(national, rel=1e-12)
    own = counts_2025[counts_2025["ltla24_code"].isin(NYY)]
    assert rates.loc["the test area", "count"] == own["n"].sum() == 21_213
    for code in independent_neighbours.index:
        council = counts_2025[counts_2025["ltla24_code"] == code]
        name = council["ltla24_name"].iloc[0]
        if council["covered"].all():
            assert rates.loc[name, "value"] == pytest.approx(
                council["n"].sum() / council["pop"].sum() * 1000, rel=1e-12)
        else:
            assert name in bench.not_covered and name not in rates.index
    by_class = covered.groupby("ruc")[["n", "pop"]].sum()
    own_pop = own.groupby("ruc")["pop"].sum()
    expected = (own_pop * by_class["n"] / by_class["pop"]).sum()
    assert bench.ratio["expected"].iloc[0] == pytest.approx(expected, rel=1e-9)
    assert bench.ratio["value"].iloc[0] == pytest.approx(own["n"].sum() / expected, rel=1e-9)
    text = section._repr_html_()
    assert f"{national:.1f} in England and Wales" in text
