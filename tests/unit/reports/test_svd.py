"""SVD report statistics checked against hand calculations and a second method."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from sna.periods import year_months
from sna.reports.svd import district_rates, like_for_like, priority_mask
from sna.stats.deprivation import imd_gradient, rates_by_imd_decile
from sna.stats.hotspots import getis_ord_hotspots


def test_imd_gradient_matches_a_hand_fitted_poisson_glm():
    rng = np.random.default_rng(7)
    decile = np.repeat(np.arange(1, 11), 20)
    population = rng.integers(1200, 2000, decile.size)
    df = pd.DataFrame({"imd_decile": decile, "population": population,
                       "count": rng.poisson(population / 1000 * 20 * 0.92 ** decile)})
    g = imd_gradient(df)
    fit = smf.glm("count ~ imd_decile", df, offset=np.log(df["population"]),
                  family=__import__("statsmodels.api").api.families.Poisson()).fit()
    assert g.model == "Poisson GLM"
    assert g.rate_ratio == pytest.approx(np.exp(fit.params["imd_decile"]), rel=1e-9)
    z = stats.norm.ppf(0.975)
    assert g.lower == pytest.approx(np.exp(fit.params["imd_decile"] - z * fit.bse["imd_decile"]))
    assert g.p_value == pytest.approx(fit.pvalues["imd_decile"], rel=1e-6)
    assert "statistically significant gradient" in g.sentence("Violence")


def test_imd_gradient_switches_to_negative_binomial_when_overdispersed():
    rng = np.random.default_rng(3)
    decile = np.repeat(np.arange(1, 11), 30)
    mean = 20 * 0.9 ** decile
    counts = rng.negative_binomial(2, 2 / (2 + mean))
    g = imd_gradient(pd.DataFrame({"imd_decile": decile, "population": 1000, "count": counts}))
    assert g.model == "negative binomial GLM" and g.dispersion > 1.5


def test_rates_by_decile_hand_values():
    df = pd.DataFrame({"imd_decile": [1, 1, 2], "count": [30, 20, 4],
                       "population": [10_000, 15_000, 8_000]})
    out = rates_by_imd_decile(df)
    # decile 1: 50 / 25,000 * 1000 = 2.0 with Byars; decile 2: 4 / 8,000 exact Poisson.
    assert out["value"].tolist() == [2.0, 0.5]
    assert out.loc[1, "upper"] == pytest.approx(stats.chi2.ppf(0.975, 10) / 2 / 8000 * 1000)


def test_district_rates_byars_and_benchmark_by_hand():
    df = pd.DataFrame({"district_name": ["A", "B"], "count": [100, 400],
                       "population": [20_000, 40_000]})
    out = district_rates(df).set_index("district_name")
    z = stats.norm.ppf(0.975)
    lower = 100 * (1 - 1 / 900 - z / 30) ** 3 / 20_000 * 1000
    assert out.loc["A", "lower"] == pytest.approx(lower)
    # benchmark 500 / 60,000 * 1000 = 8.33: A's CI (4.07, 6.08) is below it, B's above.
    assert out.loc["A", "comparison"] == "lower" and out.loc["B", "comparison"] == "higher"


def test_like_for_like_skips_months_without_data():
    class S:
        months = [m for m in year_months("2025-12", 24)
                  if m not in ("2024-05", "2024-06", "2024-07", "2024-08")]

    a, b = like_for_like(S, "2025-12")
    assert len(a) == len(b) == 8
    assert "2025-05" not in b and "2024-05" not in a
    assert all((pd.Period(y, "M") - pd.Period(x, "M")).n == 12 for x, y in zip(a, b, strict=True))


def test_priority_masks_by_hand():
    df = pd.DataFrame({
        "svd_group": ["violence_with_injury"] * 4 + ["rape_sexual", "rape_sexual"],
        "offence_date": pd.to_datetime(["2025-01-03", "2025-01-04", "2025-01-05", "2025-01-06",
                                        "2025-01-06", "2025-01-06"]),  # Fri, Sat, Sun, Mon
        "offence_time": ["21:00", "02:30", "03:10", "23:00", "12:00", "12:00"],
        "victim_sex": ["M", "M", "F", "M", "F", "M"], "da_flag": [False] * 6})
    assert priority_mask(df, "nte").tolist() == [True, True, True, False, False, False]
    assert priority_mask(df, "vawg").tolist() == [False] * 4 + [True, False]


def test_gi_star_z_matches_the_textbook_formula():
    import geopandas as gpd
    from shapely.geometry import box

    cells = [box(x, y, x + 1, y + 1) for y in range(4) for x in range(4)]
    values = np.array([9, 8, 1, 1, 7, 9, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1], dtype=float)
    out = getis_ord_hotspots(gpd.GeoDataFrame({"v": values}, geometry=cells, crs=27700), "v")
    n, mean, s = len(values), values.mean(), values.std()
    for i, cell in enumerate(cells):
        neighbours = [j for j, other in enumerate(cells) if cell.touches(other) or i == j]
        w = len(neighbours)  # binary weights including the cell itself (Gi*)
        z = (values[neighbours].sum() - mean * w) / (s * np.sqrt((n * w - w**2) / (n - 1)))
        assert out["z"].iloc[i] == pytest.approx(z, rel=1e-9)
    assert out["hotspot"].iloc[0] == "hot spot"
