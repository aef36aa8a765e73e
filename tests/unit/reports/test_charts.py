"""Tests for sna.reports.charts: accessible offline figures, the chart catalogue and the guards."""

from __future__ import annotations

import html
import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box, shape

from sna.errors import SnaInputError
from sna.reports import charts
from sna.reports.charts._theme import category_styles, theme_config

SOURCE = "police.uk street-level crime, North Yorkshire Police"
SECRET = "SECRET-ROW-VALUE"  # pragma: allowlist secret

# ----------------------------------------------------------------------------- fixtures


def monthly_frame() -> pd.DataFrame:
    months = pd.period_range("2024-01", "2025-12", freq="M")
    counts = 2400 + 10 * np.arange(len(months))
    counts[18] = 3012  # Jul 2025, the maximum
    frame = pd.DataFrame({"period": months.astype(str), "count": counts.astype(float)})
    gap = frame["period"].isin(["2024-05", "2024-06", "2024-07", "2024-08"])
    return frame[~gap].assign(extra=SECRET)  # gap months absent from the table


def seasonal_frame() -> pd.DataFrame:
    seasons = ["Winter", "Spring", "Summer", "Autumn"]  # not alphabetical
    index = np.array([0.9, 1.0, 1.15, 0.95])
    return pd.DataFrame({"season": seasons, "index": index, "lower": index - 0.04,
                         "upper": index + 0.04, "extra": SECRET})


def trend_frame() -> pd.DataFrame:
    months = pd.period_range("2024-01", "2024-12", freq="M")
    fitted = np.linspace(100, 122, len(months))
    observed = fitted + np.array([3, -4, 2, 40, -1, 0, 5, -6, 1, 2, -3, 4])
    frame = pd.DataFrame({"period": months, "observed": observed, "fitted": fitted,
                          "pi_lower": fitted - 20, "pi_upper": fitted + 20})
    frame["flagged"] = frame["observed"] > frame["pi_upper"]
    return frame.assign(extra=SECRET)


def rates_frame() -> pd.DataFrame:
    return pd.DataFrame({"label": ["York", "Selby", "Craven"], "value": [12.5, 8.0, 9.1],
                         "lower": [11.0, 6.5, 7.9], "upper": [14.1, 9.7, 10.4],
                         "comparison": ["higher", "similar", "lower"], "extra": SECRET})


def shares_frame() -> pd.DataFrame:
    return pd.DataFrame({"category": ["Race", "Religion", "Disability"] * 2,
                         "share": [0.6, 0.1, 0.3, 0.55, np.nan, 0.35],
                         "lower": [0.55, 0.07, 0.26, 0.5, np.nan, 0.3],
                         "upper": [0.65, 0.14, 0.34, 0.6, np.nan, 0.4],
                         "period": ["2023/24"] * 3 + ["2024/25"] * 3, "extra": SECRET})


def shift_frame() -> pd.DataFrame:
    return pd.DataFrame({"category": ["Race", "Disability", "Religion"],
                         "rate_ratio": [1.5, 0.95, 0.6], "lower": [1.2, 0.6, 0.4],
                         "upper": [1.9, 1.5, 0.9],
                         "verdict": ["increase", "no significant change", "decrease"],
                         "extra": SECRET})


def funnel_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    points = pd.DataFrame({"label": ["A", "B", "C"], "denominator": [1000, 4000, 9000],
                           "value": [30.0, 9.0, 10.5],
                           "significance": ["above 99.8% limit", "within limits",
                                            "within limits"], "extra": SECRET})
    n = np.linspace(500, 10000, 20)
    spread = 100 / np.sqrt(n)
    limits = pd.DataFrame({"denominator": n, "lower_95": 10 - 1.96 * spread,
                           "upper_95": 10 + 1.96 * spread, "lower_99_8": 10 - 3.09 * spread,
                           "upper_99_8": 10 + 3.09 * spread, "extra": SECRET})
    return points, limits


def small_multiples_frame() -> pd.DataFrame:
    months = pd.period_range("2024-01", "2024-06", freq="M").astype(str)
    parts = [pd.DataFrame({"period": months, "count": base + np.arange(6.0), "area": area})
             for area, base in (("York", 50.0), ("Selby", 20.0), ("Craven", 5.0))]
    return pd.concat(parts, ignore_index=True).assign(extra=SECRET)


def squares_4326(values=(4.0, 123.456), suppressed=(False, True)) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Square A", "Square B"], "rate": list(values), "small": list(suppressed),
         "extra": SECRET},
        geometry=[box(-1.10, 54.00, -1.09, 54.01), box(-1.09, 54.00, -1.08, 54.01)],
        crs="EPSG:4326")


def build_all() -> dict[str, charts.DescribedChart]:
    points, limits = funnel_frames()
    return {
        "monthly": charts.monthly_counts_chart(monthly_frame(), title="Monthly violence",
                                               source=SOURCE),
        "small_multiples": charts.small_multiples(small_multiples_frame(), "area",
                                                  title="Violence by area", source=SOURCE),
        "seasonal": charts.seasonal_chart(seasonal_frame(), title="Seasonal pattern",
                                          source=SOURCE),
        "trend": charts.trend_band_chart(trend_frame(), title="Trend and band", source=SOURCE),
        "rates": charts.rates_ci_chart(rates_frame(), benchmark=9.5, title="Rates by district",
                                       source=SOURCE, benchmark_label="North Yorkshire"),
        "shares": charts.shares_ci_chart(shares_frame(), title="Strand shares", source=SOURCE),
        "shift": charts.shift_chart(shift_frame(), title="Change by strand", source=SOURCE),
        "funnel": charts.funnel_chart(points, limits, 10.0, title="Funnel of rates",
                                      source=SOURCE),
        "choropleth": charts.choropleth(squares_4326(), "rate", "name", title="Map of rates",
                                        source=SOURCE, suppressed_col="small"),
    }


TITLES = {"monthly": "Monthly violence", "small_multiples": "Violence by area",
          "seasonal": "Seasonal pattern", "trend": "Trend and band",
          "rates": "Rates by district", "shares": "Strand shares", "shift": "Change by strand",
          "funnel": "Funnel of rates", "choropleth": "Map of rates"}

# Columns each chart may embed (the input columns it encodes; "type" and "geometry" are
# the GeoJSON feature keys Altair writes for a GeoDataFrame).
ALLOWED = {
    "monthly": {"period", "count", "series"},
    "small_multiples": {"period", "count", "area"},
    "seasonal": {"season", "index", "lower", "upper"},
    "trend": {"period", "observed", "fitted", "pi_lower", "pi_upper", "flagged"},
    "rates": {"label", "value", "lower", "upper", "comparison"},
    "shares": {"category", "share", "lower", "upper", "period"},
    "shift": {"category", "rate_ratio", "lower", "upper", "verdict"},
    "funnel": {"label", "denominator", "value", "significance", "lower_95", "upper_95",
               "lower_99_8", "upper_99_8"},
    "choropleth": {"name", "rate", "class", "type", "geometry"},
}


@pytest.fixture(scope="module")
def built() -> dict[str, charts.DescribedChart]:
    return build_all()


@pytest.fixture(scope="module")
def rendered(built) -> dict[str, str]:
    return {name: charts.figure_html(described) for name, described in built.items()}


def aria_label(figure: str) -> str:
    match = re.search(r'role="img" aria-label="([^"]*)"', figure)
    assert match, "no role=img element with an aria-label"
    return html.unescape(match.group(1))


def dataset_rows(described: charts.DescribedChart) -> list[dict]:
    spec = charts.chart_spec(described.chart)
    # Rule and text layers drawn from constants carry an empty row ({}); skip those.
    return [row for rows in spec.get("datasets", {}).values() for row in rows if row]


# ----------------------------------------------------------------------------- every chart


@pytest.mark.parametrize("name", list(TITLES))
def test_chart_renders_with_title_source_and_alt(name, built, rendered):
    figure = rendered[name]
    assert figure.startswith('<figure class="sna-figure"')
    assert figure.count("<svg") == 1
    assert f"<figcaption>{TITLES[name]}</figcaption>" in figure
    assert f">{TITLES[name]}</text>" in figure  # drawn in the SVG too
    assert f"Source: {SOURCE}" in figure
    assert aria_label(figure) == built[name].alt
    assert built[name].alt.strip() and TITLES[name] in built[name].alt


@pytest.mark.parametrize("name", list(TITLES))
def test_chart_embeds_only_encoded_columns(name, built, rendered):
    rows = dataset_rows(built[name])
    assert rows, "the chart has no inline data"
    assert set().union(*(row.keys() for row in rows)) <= ALLOWED[name]
    assert SECRET not in json.dumps(charts.chart_spec(built[name].chart))
    assert SECRET not in rendered[name]


@pytest.mark.parametrize("name", list(TITLES))
def test_figure_html_is_offline_and_has_no_data_json(name, rendered):
    figure = rendered[name]
    assert not re.search(r'(src|href)\s*=\s*["\']?https?:', figure)
    assert "<script" not in figure and "<style" not in figure
    assert '"datasets"' not in figure and '{"' not in figure
    assert 'style="max-width:100%;height:auto"' in figure and "viewBox=" in figure


def test_figure_html_is_deterministic(built):
    first = charts.figure_html(build_all()["choropleth"])
    second = charts.figure_html(build_all()["choropleth"])
    assert first == second
    assert charts.figure_html(built["monthly"]) == charts.figure_html(build_all()["monthly"])


def test_svg_ids_are_namespaced_per_chart(rendered, built):
    # vl-convert numbers ids from 0 (gradient_0, clip1) in every render; inline SVGs share
    # one id space, so each chart's ids must carry their own prefix.
    funnel = built["funnel"]
    pages = {**rendered, "funnel 2": charts.figure_html(charts.DescribedChart(
        funnel.chart.properties(title="Another funnel"), funnel.alt))}
    ids = {name: re.findall(r'\bid="([^"]+)"', page) for name, page in pages.items()}
    ids = {name: found for name, found in ids.items() if found}
    assert len(ids) >= 2 and "funnel" in ids
    seen: set[str] = set()
    for name, found in ids.items():
        assert all(i.startswith("sna-") for i in found)
        assert not seen & set(found)
        seen |= set(found)
        for ref in re.findall(r"url\(#([^)]+)\)", pages[name]):
            assert ref in found


@pytest.mark.parametrize("name", [n for n in TITLES if n != "choropleth"])
def test_six_thousand_rows_are_refused(name):
    big = pd.DataFrame({"period": ["2024-01"] * 6000, "count": 1.0, "area": "A",
                        "season": "x", "index": 1.0, "lower": 0.0, "upper": 1.0,
                        "observed": 1.0, "fitted": 1.0, "pi_lower": 0.0, "pi_upper": 2.0,
                        "label": "A", "value": 1.0, "category": "c", "share": 0.5,
                        "rate_ratio": 1.0, "verdict": "increase", "denominator": 1.0,
                        "significance": "within", "lower_95": 0.0, "upper_95": 1.0,
                        "lower_99_8": 0.0, "upper_99_8": 1.0})
    calls = {
        "monthly": lambda: charts.monthly_counts_chart(big, title="t", source="s"),
        "small_multiples": lambda: charts.small_multiples(big, "area", title="t", source="s"),
        "seasonal": lambda: charts.seasonal_chart(big, title="t", source="s"),
        "trend": lambda: charts.trend_band_chart(big, title="t", source="s"),
        "rates": lambda: charts.rates_ci_chart(big, title="t", source="s"),
        "shares": lambda: charts.shares_ci_chart(big, title="t", source="s"),
        "shift": lambda: charts.shift_chart(big, title="t", source="s"),
        "funnel": lambda: charts.funnel_chart(big, big.head(5), 1.0, title="t", source="s"),
    }
    with pytest.raises(SnaInputError, match="6,000 rows"):
        calls[name]()


def test_six_thousand_areas_are_refused_by_choropleth():
    big = gpd.GeoDataFrame({"name": ["a"] * 6000, "rate": 1.0},
                           geometry=[box(0, 0, 1, 1)] * 6000, crs=27700)
    with pytest.raises(SnaInputError, match="6,000 rows"):
        charts.choropleth(big, "rate", "name", title="t", source="s")


@pytest.mark.parametrize("bad", [None, "", "   "])
def test_title_and_source_are_required(bad):
    with pytest.raises(SnaInputError, match="title"):
        charts.monthly_counts_chart(monthly_frame(), title=bad, source=SOURCE)
    with pytest.raises(SnaInputError, match="source"):
        charts.rates_ci_chart(rates_frame(), title="t", source=bad)


def test_missing_column_is_named():
    with pytest.raises(SnaInputError) as caught:
        charts.seasonal_chart(seasonal_frame().drop(columns="upper"), title="t", source="s")
    assert caught.value.column == "upper"


# ----------------------------------------------------------------------------- figure()


def test_figure_requires_alt(built):
    chart = built["monthly"].chart
    for bad in (None, "", "  "):
        with pytest.raises(SnaInputError, match="alt"):
            charts.figure_html(chart, alt=bad)
    with pytest.raises(SnaInputError, match="alt"):
        charts.figure(chart, alt="")


def test_figure_escapes_text_and_returns_html_object(built):
    chart = built["rates"].chart
    out = charts.figure(chart, alt='Rates "quoted" & <tagged>', caption="A < B & C")
    assert out.data.startswith('<figure class="sna-figure"')
    assert 'aria-label="Rates &quot;quoted&quot; &amp; &lt;tagged&gt;"' in out.data
    assert "<figcaption>A &lt; B &amp; C</figcaption>" in out.data
    assert aria_label(out.data) == 'Rates "quoted" & <tagged>'


def test_figure_data_table_is_a_real_captioned_table(built):
    table = pd.DataFrame({"district": ["York", "Selby & Ainsty"], "rate": [12.5, np.nan]})
    out = charts.figure_html(built["rates"], table=table, table_caption="Rates <2025>")
    details = out[out.index("<details>"):]
    assert details.startswith("<details><summary>Data table</summary>")
    assert re.search(r"<table[^>]*><caption>Rates &lt;2025&gt;</caption>", details)
    assert '<th scope="col">district</th>' in details and "Selby &amp; Ainsty" in details
    assert '<td class="sna-num">[x]</td>' in details  # missing cell, GSS shorthand
    # the table sits outside the role="img" element, so screen readers can reach it
    assert out.index("</div>") < out.index("<details>")


def test_figure_refuses_a_record_level_table(built):
    records = pd.DataFrame({"Crime ID": ["ab12"], "Month": ["2024-01"]})
    with pytest.raises(SnaInputError, match="Crime ID"):
        charts.figure_html(built["rates"], table=records)


# ----------------------------------------------------------------------------- guard


def test_ensure_aggregated_row_limit():
    assert len(charts.ensure_aggregated(pd.DataFrame({"n": range(5000)}))) == 5000
    with pytest.raises(SnaInputError, match="5,001 rows"):
        charts.ensure_aggregated(pd.DataFrame({"n": range(5001)}))


@pytest.mark.parametrize("column", ["Crime ID", "crime_id", "id", "Latitude", "URN",
                                    "victim_id"])
def test_ensure_aggregated_refuses_identifier_columns(column):
    with pytest.raises(SnaInputError) as caught:
        charts.ensure_aggregated(pd.DataFrame({column: ["x"], "count": [1]}))
    assert caught.value.column == column


def test_ensure_aggregated_refuses_police_uk_crime_ids_under_any_name():
    crime_id = "7d5ebfa3b6a7ec9ef9b7ad82a29e43e0e8c5d5d6c8c17f0a06e3bce3e8a0b2f1"
    with pytest.raises(SnaInputError, match="crime IDs"):
        charts.ensure_aggregated(pd.DataFrame({"ref": [crime_id], "count": [1]}))


def test_ensure_aggregated_accepts_area_codes():
    frame = pd.DataFrame({"lsoa21_code": ["E01011229"], "category": ["Race"], "count": [3]})
    assert charts.ensure_aggregated(frame) is frame


# ----------------------------------------------------------------------------- theme


def test_theme_font_sizes_and_palette():
    config = theme_config()["config"]
    assert config["axis"]["labelFontSize"] >= 12
    assert config["legend"]["labelFontSize"] >= 12
    assert 14 <= config["axis"]["titleFontSize"] <= 16
    assert 14 <= config["title"]["fontSize"] <= 16
    # Okabe & Ito (2008) colour-universal-design palette
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
                 "#CC79A7", "#000000"}
    assert set(config["range"]["category"]) == okabe_ito


def test_rendered_text_is_at_least_12px(rendered):
    sizes = [float(s) for fig in rendered.values()
             for s in re.findall(r'font-size="([\d.]+)px"', fig)]
    assert sizes and min(sizes) >= 12


def test_category_styles_never_rely_on_colour_alone():
    labels = ["above 95% limit", "above 99.8% limit", "within limits", "below 95% limit",
              "below 99.8% limit", "not compared", "other"]
    domain, colours, shapes = category_styles(labels)
    assert domain == ["above 99.8% limit", "above 95% limit", "within limits",
                      "below 99.8% limit", "below 95% limit", "other", "not compared"]
    assert len(set(shapes)) == len(labels)
    assert shapes[:5] == ["triangle-up", "diamond", "circle", "triangle-down", "square"]
    verdicts = dict(zip(*category_styles(["decrease", "no significant change", "increase"])[::2],
                        strict=True))
    assert verdicts == {"increase": "triangle-up", "no significant change": "circle",
                        "decrease": "triangle-down"}


# ----------------------------------------------------------------------------- time series


def test_monthly_gaps_are_missing_not_zero_and_listed(built):
    rows = dataset_rows(built["monthly"])
    by_month = {row["period"][:7]: row["count"] for row in rows}
    assert len(by_month) == 24  # Jan 2024 to Dec 2025, gap months restored
    assert [by_month[m] for m in ("2024-05", "2024-06", "2024-07", "2024-08")] == [None] * 4
    assert "months with no data: May 2024 to Aug 2024" in built["monthly"].alt


def test_monthly_gap_breaks_the_line(rendered):
    line_paths = re.findall(r'<path[^>]*d="(M[^"]*)"[^>]*stroke="#0072B2"', rendered["monthly"])
    assert any(path.count("M") == 2 for path in line_paths)


def test_monthly_alt_text_states_span_and_maximum(built):
    frame = monthly_frame()
    top = frame.loc[frame["count"].idxmax()]
    assert f"{int(top['count']):,}" == "3,012"
    assert "Jan 2024 to Dec 2025" in built["monthly"].alt
    assert "highest Jul 2025 (3,012)" in built["monthly"].alt


def test_monthly_series_get_colour_shape_and_dash():
    frame = pd.concat([monthly_frame().assign(series="Violence"),
                       monthly_frame().assign(series="Robbery", count=5.0)])
    described = charts.monthly_counts_chart(frame, title="Two", source=SOURCE)
    spec = json.dumps(charts.chart_spec(described.chart))
    assert '"strokeDash"' in spec and '"shape"' in spec
    assert "Violence: highest Jul 2025 (3,012)" in described.alt
    assert "Robbery" in charts.figure_html(described)


def test_monthly_duplicate_months_are_refused():
    frame = pd.DataFrame({"period": ["2024-01", "2024-01"], "count": [1, 2]})
    with pytest.raises(SnaInputError, match="more than one row"):
        charts.monthly_counts_chart(frame, title="t", source="s")


def test_monthly_text_counts_are_refused():
    frame = pd.DataFrame({"period": ["2024-01"], "count": ["12"]})
    with pytest.raises(SnaInputError, match="numeric"):
        charts.monthly_counts_chart(frame, title="t", source="s")


def test_small_multiples_facets_in_table_order(built):
    spec = charts.chart_spec(built["small_multiples"].chart)
    assert spec["facet"]["sort"] == ["York", "Selby", "Craven"]
    assert spec["columns"] == 3
    assert "York: highest Jun 2024 (55)" in built["small_multiples"].alt


def test_seasonal_order_is_preserved(built, rendered):
    spec = json.dumps(charts.chart_spec(built["seasonal"].chart))
    assert '"sort": ["Winter", "Spring", "Summer", "Autumn"]' in spec
    labels = re.findall(r">(Winter|Spring|Summer|Autumn)</text>", rendered["seasonal"])
    assert labels == ["Winter", "Spring", "Summer", "Autumn"]
    assert "highest Summer (1.15, 95% CI 1.11 to 1.19)" in built["seasonal"].alt
    assert "wholly above 1: Summer" in built["seasonal"].alt


def test_trend_band_flags_use_a_different_shape(built, rendered):
    spec = json.dumps(charts.chart_spec(built["trend"].chart))
    assert '"range": ["circle", "triangle-up"]' in spec
    assert "Outside the prediction interval" in rendered["trend"]
    assert "1 month flagged: Apr 2024 (146, above)" in built["trend"].alt


# ----------------------------------------------------------------------------- intervals


def test_rates_chart_benchmark_and_comparisons(built, rendered):
    alt_text = built["rates"].alt
    assert "highest York (12.5, 95% CI 11.0 to 14.1)" in alt_text
    assert "North Yorkshire 9.5" in alt_text and "North Yorkshire 9.5" in rendered["rates"]
    assert "higher: York; similar: Selby; lower: Craven" in alt_text


def test_shares_must_be_proportions():
    frame = shares_frame().assign(share=lambda f: f["share"] * 100)
    with pytest.raises(SnaInputError, match="proportions"):
        charts.shares_ci_chart(frame, title="t", source="s")


def test_shares_alt_text_and_suppressed(built):
    alt_text = built["shares"].alt
    assert "2023/24: largest Race (60.0%, 95% CI 55.0% to 65.0%)" in alt_text
    assert "not shown (suppressed or missing): Religion" in alt_text


def test_shift_chart_log_scale_with_reference_at_one(built):
    spec = charts.chart_spec(built["shift"].chart)
    text = json.dumps(spec)
    assert '"type": "log"' in text
    assert {"datum": 1} in [layer["encoding"].get("x") for layer in spec["layer"]]
    assert "increase: Race (1.50, 95% CI 1.20 to 1.90)" in built["shift"].alt


def test_shift_chart_leaves_out_ratios_that_cannot_be_logged():
    frame = shift_frame()
    frame.loc[2, ["rate_ratio", "lower", "upper"]] = [0.0, 0.0, 0.5]
    frame.loc[1, "upper"] = np.inf
    described = charts.shift_chart(frame, title="t", source="s")
    assert "not estimable: Religion" in described.alt
    rows = dataset_rows(described)
    assert [row["category"] for row in rows] == ["Race", "Disability"]
    assert all(np.isfinite(row["upper"]) for row in rows)
    charts.figure_html(described)


def test_funnel_significance_by_shape_and_limits(built, rendered):
    spec = json.dumps(charts.chart_spec(built["funnel"].chart))
    assert '"95% limits"' in spec and '"99.8% limits"' in spec
    assert "above 99.8% limit: A" in built["funnel"].alt
    assert "above 99.8% limit" in rendered["funnel"]


def test_funnel_accepts_funnel_limits_names_and_phe_labels():
    points, limits = funnel_frames()
    points["significance"] = ["High (0.001)", "High (0.025)", "Not significant"]
    described = charts.funnel_chart(points, limits, 10.0, title="t", source="s")
    spec = charts.chart_spec(described.chart)
    shapes = [layer["encoding"]["shape"]["scale"] for layer in spec["layer"]
              if "shape" in layer.get("encoding", {})][0]
    assert shapes == {"domain": ["High (0.001)", "High (0.025)", "Not significant"],
                      "range": ["triangle-up", "diamond", "circle"]}
    assert "High (0.001): A; High (0.025): B; Not significant: C" in described.alt
    charts.figure_html(described)


def test_funnel_refuses_zero_denominators():
    points, limits = funnel_frames()
    points.loc[0, "denominator"] = 0
    with pytest.raises(SnaInputError, match="greater than zero"):
        charts.funnel_chart(points, limits, 10.0, title="t", source="s")


# ----------------------------------------------------------------------------- maps


def _rings(geometry: dict) -> list[list[list[float]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else \
        [geometry["coordinates"]]
    return [polygon[0] for polygon in polygons]


def _shoelace(ring: list[list[float]]) -> float:
    """Signed area by the shoelace formula: positive = anticlockwise."""
    return 0.5 * sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring[:-1], ring[1:], strict=True))


def test_choropleth_reprojects_to_national_grid_with_identity_projection(built):
    spec = charts.chart_spec(built["choropleth"].chart)
    assert spec["projection"] == {"type": "identity", "reflectY": True}
    features = [row for row in dataset_rows(built["choropleth"]) if "geometry" in row]
    coords = np.array([xy for f in features for ring in _rings(f["geometry"]) for xy in ring])
    # (-1.1 to -1.08 E, 54.00 to 54.01 N) lies near E 459,000-461,000, N 456,000-458,000
    assert coords[:, 0].min() > 450_000 and coords[:, 0].max() < 470_000
    assert coords[:, 1].min() > 450_000 and coords[:, 1].max() < 465_000
    assert np.all(coords == np.round(coords))  # snapped to whole metres
    for feature in features:
        for ring in _rings(feature["geometry"]):
            assert _shoelace(ring) < 0  # exterior rings clockwise (Vega's winding)


def test_to_bng_matches_the_ordnance_survey_worked_example():
    # OS "A guide to coordinate systems in Great Britain", transverse Mercator worked
    # example: OSGB36 lat 52°39'27.2531"N, lon 1°43'4.5177"E -> E 651409.903, N 313177.270.
    lat = 52 + 39 / 60 + 27.2531 / 3600
    lon = 1 + 43 / 60 + 4.5177 / 3600
    tiny = gpd.GeoDataFrame(geometry=[box(lon, lat, lon + 1e-4, lat + 1e-4)], crs="EPSG:4277")
    corner = charts.to_bng(tiny, simplify_m=0).geometry.iloc[0].exterior.coords
    nearest = min(corner, key=lambda xy: (xy[0] - 651409.903) ** 2 + (xy[1] - 313177.27) ** 2)
    assert nearest == pytest.approx((651410.0, 313177.0), abs=1.0)  # 1 m grid


def test_choropleth_suppressed_area_is_grey_and_in_legend(built, rendered):
    spec_text = json.dumps(charts.chart_spec(built["choropleth"].chart))
    assert "123.456" not in spec_text  # the suppressed value never reaches the chart
    figure = rendered["choropleth"]
    assert ">Suppressed (small numbers)</text>" in figure
    assert 'fill="#BDBDBD"' in figure or 'fill="#bdbdbd"' in figure
    assert "1 area suppressed" in built["choropleth"].alt
    assert "highest Square A (4)" in built["choropleth"].alt


def test_choropleth_missing_value_is_no_data_not_zero():
    gdf = squares_4326(values=(4.0, np.nan), suppressed=(False, False))
    described = charts.choropleth(gdf, "rate", "name", title="t", source="s")
    figure = charts.figure_html(described)
    assert ">No data</text>" in figure and "Suppressed" not in figure
    assert "1 area with no data" in described.alt


def test_choropleth_without_crs_is_refused():
    gdf = squares_4326().set_crs(None, allow_override=True)
    with pytest.raises(SnaInputError, match="crs is None"):
        charts.choropleth(gdf, "rate", "name", title="t", source="s")


def test_choropleth_refuses_points():
    points = gpd.GeoDataFrame({"name": ["a"], "rate": [1.0]},
                              geometry=[shapely.Point(-1.1, 54.0)], crs=4326)
    with pytest.raises(SnaInputError, match="polygons"):
        charts.choropleth(points, "rate", "name", title="t", source="s")


def test_north_yorkshire_lsoa_map_is_small_enough():
    from sna.io.geography import read_boundaries, study_area_lsoas

    codes = study_area_lsoas(ltla24_codes=("E06000065", "E06000014"))["lsoa21_code"]
    lsoas = read_boundaries(kind="lsoa21", codes=codes)
    assert len(lsoas) == 500 and lsoas.crs.to_epsg() == 27700
    lsoas["rate"] = np.arange(500) / 10
    lsoas["small"] = np.arange(500) % 50 == 0
    described = charts.choropleth(lsoas, "rate", "lsoa21_name", title="NYY LSOAs",
                                  source=SOURCE, suppressed_col="small", area_noun="LSOAs")
    figure = charts.figure_html(described)
    svg = figure[figure.index("<svg"):figure.index("</svg>") + 6]
    assert len(svg.encode("utf-8")) < 1_500_000
    assert svg.count("<path") > 500
    assert "500 LSOAs, shaded" in described.alt and "10 LSOAs suppressed" in described.alt
    assert shape(dataset_rows(described)[0]["geometry"]).is_valid


def test_choropleth_uses_quantile_classes_with_breaks_in_the_legend():
    from sna.reports.charts.maps import class_breaks

    gdf = squares_4326()
    described = charts.choropleth(gdf, "rate", "name", title="Map", source="x")
    spec = described.chart.to_dict()
    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["type"] == "ordinal" and "to" in colour["scale"]["domain"][0]
    assert "classes of equal numbers of areas" in described.alt
    # a skewed set of rates: quantile classes keep equal numbers of areas in each class
    skewed = pd.Series([1.0] * 40 + [2.0] * 40 + [300.0] * 20)
    breaks = class_breaks(skewed, k=4)
    assert breaks[0] == 1.0 and breaks[-1] == 300.0 and len(breaks) >= 3
    assert class_breaks(pd.Series([1.0, 10.0, 1000.0]), classes="log", k=3) == [1.0, 10.0, 100.0,
                                                                         1000.0]
