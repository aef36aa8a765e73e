"""Both reports for areas other than the default one, from shipped data only.

Each params file under params/examples/ is rendered once (papermill, as `sna report`
does) and the HTML is checked for the area's own name and councils, a similar-area
table, no text about the default area, and "Not available" notes where data are lacking.
"""

import html
import re

import pytest
import yaml

from report_renders import example_params
from sna.io.area import resolve_area
from sna.paths import repo_root

ROOT = repo_root()
# The SVD assessment and hate-crime review examples (the performance report's are checked by
# test_performance_examples.py).
EXAMPLES = [p for p in example_params() if p.stem.startswith(("svd_sna", "hate_crime_review"))]
# Text that would betray the default area's hard-coded wording (names of its councils,
# hubs and partnership). Data rows naming a neighbouring force or a similar council of that
# name are allowed, so tables and charts are removed before this check.
DEFAULT_AREA = re.compile(r"North Yorkshire|\bYork\b|Community Safety Hub|NYCSP|Harrogate|"
                          r"Scarborough|Craven|Hambleton|Richmondshire|Ryedale|Selby|"
                          r"three forces|seven", re.I)

pytestmark = pytest.mark.notebook


def _prose(page: str) -> str:
    body = page[page.index("<body"):]
    for tag in ("table", "figure", "svg", "script", "style", "nav"):
        body = re.sub(rf"<{tag}\b.*?</{tag}>", " ", body, flags=re.S)
    body = re.sub(r'<section id="provenance".*?</section>', " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def rendered(request, render):
    """(report name, params, page) of one example, rendered once per test run (shared)."""
    params_file = request.param
    result = render(params_file)
    params = yaml.safe_load(params_file.read_text())
    return result.report, params, result.html.read_text(encoding="utf-8")


def test_there_are_three_other_areas_with_both_reports():
    areas = {p.stem.split("_", 2)[-1] for p in EXAMPLES if p.stem.startswith("svd_sna")}
    hate = {p.stem.split("_", 3)[-1] for p in EXAMPLES if p.stem.startswith("hate")}
    assert len(areas) >= 3 and areas == hate


def test_report_names_its_own_area_and_councils(rendered):
    _, params, page = rendered
    area = resolve_area(params["ltla24_codes"])
    name = params.get("area_name") or area.name
    text = html.unescape(page)
    councils = len(area.council_names)
    assert f"This report covers {name}: {councils} council{'s' if councils > 1 else ''} (" in text
    for council in area.council_names:
        assert council in text
    assert "Traceback" not in page


def test_report_has_a_similar_area_table(rendered):
    _, _, page = rendered
    table = re.search(r"<table.*?Similar areas: the councils nearest to.*?</table>", page, re.S)
    assert table, "no similar-area table"
    rows = re.findall(r"<tr>", table.group(0))
    assert len(rows) >= 11  # header + this area + 10 councils
    assert "Distance" in table.group(0)


def _data_names(params) -> list[str]:
    """Names the data can legitimately print: similar councils and neighbouring forces."""
    from sna.io.area import adjacent_forces
    from sna.io.geography import lsoa21_lookup
    from sna.reports.area_sections import similar_areas_section

    area = resolve_area(params["ltla24_codes"])
    similar = similar_areas_section(params["ltla24_codes"]).results["similar"].neighbours
    forces = lsoa21_lookup().drop_duplicates("pfa24_code").set_index("pfa24_code")["pfa24_name"]
    return similar["name"].tolist() + forces.reindex(adjacent_forces(area.pfa24_codes)).tolist()


def test_report_has_no_text_about_the_default_area(rendered):
    name, params, page = rendered
    prose = _prose(page)
    for name in sorted(_data_names(params), key=len, reverse=True):
        prose = prose.replace(name, " ")
    found = DEFAULT_AREA.findall(prose)
    assert not found, found


def test_missing_inputs_say_not_available(rendered):
    name, params, page = rendered
    text = html.unescape(page)
    assert "SYNTHETIC" in text
    if name == "svd_sna":
        assert "Not available: no published domestic-abuse series" in re.sub(r"<[^>]+>", "", text)
        assert "Not available:" in text and "a seasonal model" in text
        assert "per 1,000 residents" in text and "in England and Wales" in text
