"""The performance report for areas other than the default one, from shipped data only.

Each ``params/examples/performance_report_*.yaml`` is rendered once per test run (the shared
``render`` fixture, as `sna report` does). The HTML must name the area's own name, show its
police.uk indicators, say "Not available: no partner returns were supplied ..." for the partner
sections (no partner returns are shipped for these areas), and hold no text about the default
area.
"""

import html
import re

import pytest
import yaml
from test_examples import DEFAULT_AREA, _prose

from report_renders import example_params
from sna.io.area import resolve_area

EXAMPLES = [p for p in example_params() if p.stem.startswith("performance_report")]

pytestmark = pytest.mark.notebook


def test_there_is_a_performance_example_for_another_area():
    assert EXAMPLES
    for path in EXAMPLES:
        assert "nyy" not in path.stem


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def rendered(request, render):
    """(params, page) of one example, rendered once per test run (shared)."""
    result = render(request.param)
    assert result.report == "performance_report"
    params = yaml.safe_load(request.param.read_text())
    return params, result.html.read_text(encoding="utf-8")


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_report_names_its_own_area(rendered):
    params, page = rendered
    name = params.get("area_name") or resolve_area(params["ltla24_codes"]).name
    period = params["period"]
    assert f"{name}, quarterly report for {period}:" in _text(page)
    assert "Traceback" not in page


def test_title_names_the_area_and_period_and_the_dashboard_is_the_summary(rendered):
    """Audit: the page's title and heading said 'Community Safety Partnership performance
    report' with no area or period."""
    params, page = rendered
    name = params.get("area_name") or resolve_area(params["ltla24_codes"]).name
    expected = f"Community Safety Partnership performance report: {name}, {params['period']} ("
    title = html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))
    heading = _text(re.search(r"<h1\b.*?</h1>", page, re.S).group(0)).strip()
    assert title.startswith(expected) and heading == title
    assert "Real data: police.uk." in _text(page)
    assert 'id="summary"' not in page and 'id="glossary"' not in page


def test_police_uk_indicators_and_no_partner_returns(rendered):
    params, page = rendered
    text = _text(page)
    assert "Not available: no partner returns were supplied" in text
    assert "Not available: no partner returns were supplied, so there are no partner-return" \
        in text
    assert 'data-measure="Robbery"' in page and 'data-measure="Possession of weapons"' in page
    assert f"police.uk has data for every month of {params['period']}" in text
    assert "Recent figures of 2 indicators" in text  # the police.uk sparklines (a figure)
    assert re.search(r'<figure class="sna-figure".*?aria-label="Small line charts', page, re.S)


def test_report_has_no_text_about_the_default_area(rendered):
    _, page = rendered
    found = DEFAULT_AREA.findall(_prose(page))
    assert not found, found
