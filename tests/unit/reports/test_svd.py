"""SVD report statistics checked against hand calculations and a second method."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from sna.periods import year_months
from sna.reports.svd import like_for_like, priority_mask
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


def test_like_for_like_skips_months_without_data():
    class S:
        months = [m for m in year_months("2025-12", months=24)
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


# ---------------------------------------------------------------- audit cases on the shipped data

SHIPPED = dict(police_uk="data/raw/shipped/police_uk/north-yorkshire",
               ltla24_codes=["E06000065", "E06000014"], first_month="2024-01",
               last_month="2025-12")
SVD_CATEGORIES = {"Violence and sexual offences": "", "Robbery": "",
                  "Possession of weapons": ""}


@pytest.fixture(scope="module")
def shipped_study():
    from sna.io.study import load_study
    from sna.paths import repo_root

    spec = dict(SHIPPED, police_uk=str(repo_root() / SHIPPED["police_uk"]))
    return load_study(spec.pop("police_uk"), forces=["North Yorkshire Police"], **spec)


def _paragraphs(section):
    import html
    import re
    return [html.unescape(re.sub(r"<[^>]+>", "", p))
            for p in re.findall(r"<p(?:\s[^>]*)?>(.*?)</p>", section._repr_html_(), re.S)]


def test_funnel_sentence_counts_lsoas_against_adjusted_limits(shipped_study):
    """Audit: '75 of 500 LSOAs are above the 99.8% control limit' against plain Poisson limits
    when the LSOAs' winsorised over-dispersion factor is about 11."""
    from sna.reports.svd import lsoa_counts, svd_crimes, where
    from sna.stats.disclosure import DisclosurePolicy
    from sna.stats.funnels import funnel_dispersion, funnel_significance

    section = where(shipped_study, SVD_CATEGORIES, "2025-12", "Test area",
                    DisclosurePolicy(min_count=5))
    d = section.results["funnel_dispersion"]
    lsoas = lsoa_counts(shipped_study, svd_crimes(shipped_study, SVD_CATEGORIES),
                        [m for m in year_months("2025-12") if m in shipped_study.months])
    assert d.phi > 5 and d.overdispersed and d.adjustment == "additive"
    plain = funnel_significance(lsoas["count"], lsoas["population"], "rate", multiplier=1000)
    adjusted = section.results["funnel"]["significance"].value_counts()
    plain_high = int((plain["significance"] == "High (0.001)").sum())
    assert adjusted.get("High (0.001)", 0) < plain_high / 3  # the old count was inflated
    sentence = next(p for p in _paragraphs(section) if "LSOAs are above the 99.8% limit" in p)
    assert f"about {d.phi:.1f} times as much" in sentence
    assert f"{adjusted.get('High (0.001)', 0)} of {len(lsoas)} LSOAs" in sentence
    assert d.phi == pytest.approx(funnel_dispersion(lsoas["count"], lsoas["population"],
                                                    "rate", multiplier=1000).phi)
    assert "phi = " in section._repr_html_()  # method and phi under the chart


def test_police_uk_seasonal_section_says_why_no_model(shipped_study):
    """Audit: 20 months (May-Aug seen once) gave 'Jul is the seasonal peak ...'."""
    from sna.reports.svd import extent_and_trend

    section = extent_and_trend(shipped_study, SVD_CATEGORIES, "2025-12", "Test area")
    assert section.results["seasonal_trend"] is None
    text = " ".join(_paragraphs(section))
    assert "No seasonal pattern was estimated" in text and "seasonal peak" not in text
    comparison = section.results["year_on_year"]
    assert comparison.reason  # the year-on-year verdict says what it allowed for


def test_neighbour_rates_are_a_year_whatever_the_months_of_data():
    """Audit: neighbour-force rates were not scaled by months of data."""
    from sna.reports.svd import rates_a_year
    from sna.stats.rates import rate_ci

    by = pd.DataFrame({"area": ["A", "B"], "count": [120, 240],
                       "population": [10_000, 20_000], "months": [6, 12]})
    table, pooled = rates_a_year(by)
    # by hand: A 120 in half a year of 10,000 residents = 24 a year per 1,000; B 12
    assert table["value"].tolist() == pytest.approx([24.0, 12.0])
    assert pooled == pytest.approx(360 / (5_000 + 20_000) * 1000)
    hand = rate_ci([120, 240], [5_000, 20_000], multiplier=1000)
    assert table["lower"].tolist() == pytest.approx(hand["lower"].tolist())
    assert table["comparison"].tolist() == ["higher", "lower"]
    # unscaled, the two forces looked the same (12 per 1,000): the old, wrong comparison
    assert (by["count"] / by["population"] * 1000).tolist() == [12.0, 12.0]


def test_where_names_the_sub_areas_by_their_kind_everywhere(shipped_study):
    """Audit: a report broken down by ward called its wards 'districts' in the rurality
    sentence and in two tables' columns."""
    import re

    from sna.reports.svd import where
    from sna.stats.disclosure import DisclosurePolicy

    section = where(shipped_study, SVD_CATEGORIES, "2025-12", "Test area",
                    DisclosurePolicy(min_count=5), subarea_name="locality")
    page = section._repr_html_()
    assert not re.search(r"\bdistricts?\b", page, re.I)
    assert "Allowing for how rural or urban each locality is" in " ".join(_paragraphs(section))
    assert page.count('<th scope="col">Locality</th>') == 3  # rates, ratios, top ten
