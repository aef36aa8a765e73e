"""Performance report sections: tiles, named gaps, suppression, params and police.uk reuse."""

import html
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sna.errors import SnaInputError
from sna.reports import performance
from sna.reports.params import load_params
from sna.stats.kpi import report_period

ROOT = Path(__file__).parents[3]
PARAMS = ROOT / "params" / "performance_report_nyy_2023-24_q3.yaml"
NOTEBOOK = ROOT / "notebooks" / "performance_report.ipynb"
RETURNS = ["data/raw/shipped/published/partner_returns_nyy.csv",
           "data/raw/shipped/published/svd_intervention_targets_nyy_2023-24.csv"]
PARTNERS = ["North Yorkshire Police", "IDAS", "Foundation", "Serious Violence Duty grant"]
PRIORITIES = ["Domestic abuse", "Serious violence: alcohol, violence and the night-time economy"]


def _inputs(returns=RETURNS, partners=PARTNERS, period="Q3 2023/24", year=""):
    return performance.load_inputs("North Yorkshire and York", returns, partners, PRIORITIES,
                                   period, year, "", "", [], {}, 5, 0.95)


@pytest.fixture(scope="module")
def inputs():
    return _inputs()


def test_dashboard_tiles_show_the_figures(inputs):
    page = performance.dashboard(inputs)._repr_html_()
    tiles = re.findall(r'<div class="sna-kpi" data-measure="([^"]+)"', page)
    assert tiles[:2] == ["da_related_crimes", "idas_hub_enquiries"]
    assert "svd_bleed_kits_installed" in tiles
    hub = page.split('data-measure="idas_hub_enquiries"')[1].split('<div class="sna-kpi"')[0]
    assert "<strong>2,491</strong>" in hub and "2,356" in hub and "Recent figures" in hub
    individuals = page.split('data-measure="idas_hub_individuals"')[1]
    assert "the parts add up to 1,626" in individuals.split('<div class="sna-kpi"')[0]
    assert "no figure returned yet against the target of 29" in page


def test_sparklines_are_one_figure_not_svg_in_html(inputs):
    """The tiles' sparklines are one Figure (Vega-Lite live, PNG untrusted, SVG in the report),
    never inline SVG inside an HTML block (stripped by JupyterLab's sanitizer when untrusted)."""
    from sna.reports.charts import Figure

    section = performance.dashboard(inputs)
    html_blocks = [content for kind, content in section._parts() if kind == "html"]
    assert not any("<svg" in block for block in html_blocks)
    figure = section.sparklines
    assert isinstance(figure, Figure) and section.figures == {"sparklines": figure}
    bundle, _ = figure._repr_mimebundle_()
    assert {"application/vnd.vegalite.v5+json", "image/png"} <= set(bundle)
    assert "<svg" in figure.html() and 'aria-label="Small line charts' in figure.html()
    tiles = inputs.tiles[[isinstance(h, pd.Series) and len(h) >= 2 for h in inputs.tiles[
        "history"]]]
    assert figure.alt.count(" periods (") == len(tiles)
    hub = tiles[tiles["measure"] == "idas_hub_enquiries"].iloc[0]
    assert f"latest {hub['value']:,.0f}." in figure.alt.split(hub["label"])[1]
    data = figure.table
    assert set(data["Indicator"]) == set(tiles["label"])


def test_sparkline_data_suppresses_small_counts(inputs):
    from sna.stats.disclosure import DisclosurePolicy

    data = performance.sparkline_data(inputs.tiles, DisclosurePolicy(min_count=100))
    counts = data[data["unit"] != "percent"]["value"].dropna()
    assert ((counts == 0) | (counts >= 100)).all()
    assert data["value"].isna().any()


def test_missing_partner_is_a_named_gap(tmp_path):
    shipped = pd.read_csv(ROOT / RETURNS[0], dtype=str, keep_default_na=False)
    without = tmp_path / "without_foundation.csv"
    shipped[shipped["partner"] != "Foundation"].to_csv(without, index=False)
    inputs = _inputs(returns=[str(without)])
    dashboard = performance.dashboard(inputs)._repr_html_()
    assert "Missing returns: no figures were received from Foundation" in dashboard
    assert "Serious Violence Duty grant" in dashboard
    partners = performance.partner_sections(inputs)
    assert partners.results["gaps"] == ["Foundation", "Serious Violence Duty grant"]
    page = html.unescape(partners._repr_html_())
    assert "Not available: no return from Foundation was found" in page
    assert 'id="perf-foundation"' in page


def test_priority_without_indicators_is_named(inputs):
    page = html.unescape(performance.priority_sections(inputs)._repr_html_())
    assert ("Not available: no partner return or police.uk category in the parameters measures "
            "'Serious violence: alcohol, violence and the night-time economy'") in page
    assert "Serious violence: possession and use of weapons" in page  # from the returns


def test_small_counts_are_suppressed_in_tiles_and_tables(inputs):
    partners = performance.partner_sections(inputs)._repr_html_()
    foundation = partners.split('id="perf-foundation"')[1].split("<h3")[0]
    cells = re.findall(r'<td class="sna-num">([^<]*)</td>', foundation)
    numbers = [int(c.replace(",", "")) for c in cells if re.fullmatch(r"[\d,]+", c)]
    assert numbers and all(n == 0 or n >= 5 for n in numbers)
    # a suppressed referral type (4) is protected by a second suppression in its quarter
    assert foundation.count("–") >= 2
    table = performance.dashboard(inputs).results["summary"]
    assert (table["Count"].dropna() >= 5).all()


def test_data_quality_accounts_for_every_row(inputs):
    section = performance.data_quality(inputs)
    page = section._repr_html_()
    accounted = inputs.returns
    assert accounted.rows_in == len(accounted.clean) + len(accounted.quarantine)
    assert "The printed total" not in page or "never picks one silently" in page
    assert "3 do not match" in page


def test_annual_mode(tmp_path):
    inputs = _inputs(period="", year="2022/23")
    tiles = inputs.tiles.set_index("measure")
    assert tiles.at["da_related_crimes", "value"] == 6387
    assert tiles.at["da_related_crimes", "parts_value"] == 6287


def test_params_validated_against_notebook(tmp_path):
    params = load_params(PARAMS, NOTEBOOK)
    assert params["period"] == "Q3 2023/24" and params["year"] == ""
    base = yaml.safe_load(PARAMS.read_text())
    cases = {
        "both.yaml": ({"year": "2024/25"}, "give exactly one of 'period'"),
        "calendar.yaml": ({"period": "2023 Q3"}, "period '2023 Q3' is not a financial quarter"),
        "typo.yaml": ({"perod": "2023/24 Q3"}, "unknown parameter 'perod' (did you mean "
                                                "'period'?)"),
        "missing_return.yaml": ({"returns": ["data/nope.csv"]},
                                "return file 'data/nope.csv' does not exist"),
    }
    for name, (change, problem) in cases.items():
        path = tmp_path / name
        path.write_text(yaml.safe_dump({**base, **change}))
        with pytest.raises(SnaInputError) as err:
            load_params(path, NOTEBOOK)
        assert err.value.problem.startswith(problem), err.value.problem
    annual = tmp_path / "annual.yaml"
    annual.write_text(yaml.safe_dump({**base, "period": "", "year": "2024/25"}))
    assert load_params(annual, NOTEBOOK)["year"] == "2024/25"


def test_police_tiles_reuse_the_svd_counts():
    """police.uk tiles are the SVD assessment's monthly counts added up, nothing else."""
    from sna.io.study import load_study
    from sna.reports.svd import _monthly_frame

    study = load_study("data/raw/shipped/police_uk/north-yorkshire",
                       ltla24_codes=["E06000065", "E06000014"], forces=["North Yorkshire Police"],
                       first_month="2024-01", last_month="2025-12")
    report = report_period(period="Q3 2025/26")
    tiles, note = performance.police_tiles(study, {"Robbery": "weapons"}, report)
    counts = _monthly_frame(study, {"Robbery": ""})  # the SVD assessment's own series
    counts.index = counts.index.astype(str)
    tile = tiles.iloc[0]
    assert tile["value"] == counts[["2025-10", "2025-11", "2025-12"]].sum()
    assert tile["previous"] == counts[["2024-10", "2024-11", "2024-12"]].sum()
    assert "every month of Q3 2025/26" in note
    # the direction allows for the variation of the monthly series (the change rule)
    from sna.stats.trend import judge_change, series_variation

    monthly = counts.copy()
    monthly.index = pd.PeriodIndex(monthly.index, freq="M")
    expected = judge_change(int(tile["previous"]), int(tile["value"]),
                            variation=series_variation(monthly.astype(float)))
    assert (tile["direction"].test, tile["direction"].p_value) == (
        expected.test, pytest.approx(expected.p_value))
    assert "month" in tile["direction"].why
    gap_tiles, gap_note = performance.police_tiles(study, {"Robbery": "weapons"},
                                                   report_period(period="Q2 2024/25"))
    assert gap_note.startswith("Not available for Q2 2024/25, because")
    assert gap_tiles.iloc[0]["latest_period"] == "Q4 2023/24"  # Q1 2024/25 misses May, June


def test_tiles_in_plain_words_tests_in_the_appendix(inputs):
    dashboard = performance.dashboard(inputs)._repr_html_()
    tiles = dashboard.split('<div class="sna-kpi-grid"')[1].split("</table>")[0]
    assert "p = " not in tiles and "Poisson" not in tiles
    section = performance.sources_and_methods(inputs)
    tests = section.results["tests"].set_index("Indicator")
    perp = tests.loc["Referrals to the adult perpetrator service (Foundation +Choices)"]
    assert (perp["Test"], perp["p-value"], perp["Verdict"]) == (
        "exact Poisson test", "0.036", "decrease")
    assert "Technical appendix" in section._repr_html_()


def test_an_area_with_no_partner_returns_gets_police_uk_indicators():
    """Area, force folder and partners derive from the area codes; no returns: 'Not available'."""
    inputs = performance.load_inputs("", [], [], ["Serious violence: possession and use of "
                                                  "weapons"], "Q3 2025/26", "", "", "",
                                     ["E06000010"], {"Robbery": "Serious violence: possession "
                                                                "and use of weapons"}, 5, 0.95)
    assert inputs.area_name == "Kingston upon Hull, City of"
    assert inputs.partners == [performance.POLICE_PARTNER]
    tiles = inputs.tiles
    assert tiles["partner"].tolist() == [performance.POLICE_PARTNER]
    robbery = tiles.iloc[0]
    assert robbery["latest_period"] == "Q3 2025/26" and robbery["value"] > 0
    assert robbery["direction"].verdict == "not comparable"  # police.uk files start in 2025
    pages = {name: html.unescape(re.sub(r"<[^>]+>", "", getattr(performance, name)(
        inputs)._repr_html_())) for name in ("dashboard", "partner_sections", "data_quality",
                                               "priority_sections", "sources_and_methods")}
    for name in ("dashboard", "partner_sections"):
        assert "Not available: no partner returns were supplied" in pages[name], name
    assert "Not available: no partner returns were supplied, so there are no" in pages[
        "data_quality"]
    assert "police.uk has data for every month of Q3 2025/26" in pages["partner_sections"]
    assert "Kingston upon Hull, City of, quarterly report for Q3 2025/26" in pages["dashboard"]
    assert "none supplied" in pages["sources_and_methods"]
    assert not re.search(r"North Yorkshire|\bYork\b|NYCSP", " ".join(pages.values()))


def test_no_area_at_all_is_an_input_error():
    with pytest.raises(SnaInputError, match="no area was given"):
        performance.load_inputs("", [], [], [], "Q3 2025/26", "", "", "", [], {}, 5, 0.95)


def test_sna_check_lists_the_performance_reports_inputs():
    """`sna check` on a performance params file checks its own inputs, not the hate review's."""
    from sna.reports.preflight import check_params_file

    report, found = check_params_file(ROOT / "params" / "examples" /
                                      "performance_report_hull_2025-26_q3.yaml")
    status = {f.input: f.status for f in found}
    assert report == "performance_report"
    assert status == {"area": "ok", "partner returns": "missing", "police.uk files": "ok",
                      "police.uk year before": "warning"}
    _, found = check_params_file(PARAMS)
    status = {f.input: f.status for f in found}
    assert status["partner returns"] == "ok" and status["police.uk files"] == "warning"
