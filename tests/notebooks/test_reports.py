"""Run each report notebook through papermill on the shipped data and check the HTML.

Each params file in params/ is rendered once per test run (the ``render`` fixture in
conftest.py, shared by every test and xdist worker); every check reads that rendering, and the
reproducibility test renders one report a second time.
"""

import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

from report_renders import report_notebook, report_params, reproduced_params
from sna.paths import repo_root
from sna.stats.disclosure import leak_check_values

ROOT = repo_root()
# Headings each report must have, by notebook. The reports themselves are discovered from
# params/ (see conftest.py): a new params file is tested as soon as it exists, and a new
# notebook needs its headings here.
SECTIONS = {
    "svd_sna": [
        "Summary and key findings", "Definition of serious violence", "Extent and trend",
        "Where: sub-areas, rurality",
        "When: month, day and time", "Who: victims by age", "Drivers: deprivation",
        "The area", "Similar areas and national benchmarks",
        "Comparison with neighbouring forces", "Response priorities",
        "Domestic abuse: the published quarterly series", "Data quality",
        "Sources and methods", "Recommendations", "Glossary", "Provenance",
        "Who: victims and suspects by age, sex and ethnicity",
        "Victims of serious violence (local definition) by age and sex",
        "Suspects of serious violence (local definition) by age and sex",
        "Victims of serious violence (local definition) by ethnic group", "Repeat victims and repeat suspects",
        "Children and young people at risk", "Factors identified at the end of children",
        "Children looked after aged 10-17 convicted", "Pupils missing 10% or more of sessions",
        "Pupils cautioned or sentenced for a serious violence offence", "Health",
        "Hospital admissions caused by injuries in children aged 0-14",
        "Health indicators not available, and how to add them", "Partner data register",
        "Data gaps", "Data gaps and what they mean", "Partner files: rows read, used and set aside"],
    "hate_crime_review": [
        "Summary and key findings", "Totals and trend", "Strand composition and shifts",
        "Seasonal pattern", "Geography", "Indicative rates", "Similar areas", "Multi-strand",
        "Data quality", "Methods"],
    "performance_report": [
        "Key performance indicators", "Partner returns", "Priorities", "Data quality",
        "Sources and methods", "sna-kpi", "RAG"],
}
PARAMS = report_params()
# Table columns that hold counts of offences or people, which must never show 1..min_count-1.
SUPPRESSIBLE = re.compile(r"^(Offences|Victims|Hate offences|Strand flags|count|n|"
                          r"Count a year earlier)$", re.I)

pytestmark = pytest.mark.notebook


@pytest.fixture(scope="module", params=PARAMS, ids=[p.stem for p in PARAMS])
def rendered(request, render):
    """(report name, RunResult, page) of one params file, rendered once per test run."""
    result = render(request.param)
    return result.report, result, result.html.read_text(encoding="utf-8")


def _params_of(name: str) -> Path:
    return next(p for p in PARAMS if report_notebook(p).stem == name)


def _text(fragment: str) -> str:
    return re.sub(r"<[^>]+>", "", fragment).strip()


def table_cells(page: str) -> list[tuple[str, str]]:
    """(column header, cell text) for every body cell of every <table> in the page."""
    pairs = []
    for table in re.findall(r"<table.*?</table>", page, re.S):
        head = re.search(r"<thead>(.*?)</thead>", table, re.S)
        headers = [_text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", head.group(1), re.S)] \
            if head else []
        body = re.search(r"<tbody>(.*?)</tbody>", table, re.S)
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1) if body else "", re.S):
            cells = [_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            offset = len(headers) - len(cells)
            for i, text in enumerate(cells):
                j = i + offset
                pairs.append((headers[j] if 0 <= j < len(headers) else "", text))
    return pairs


def test_every_report_notebook_has_params_and_expected_sections():
    notebooks = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert notebooks <= {report_notebook(p).stem for p in PARAMS}, "a notebook has no params file"
    assert notebooks <= set(SECTIONS), "add the new report's headings to SECTIONS"


def test_report_has_every_section(rendered):
    name, _, page = rendered
    for section in SECTIONS[name]:
        assert section in page, f"{name}: section '{section}' missing"


def test_report_has_no_traceback_stderr_or_remote_resources(rendered):
    name, result, page = rendered
    assert "Traceback" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", page, re.I)
    assert "cdn" not in page.lower() or "cdnjs" not in page.lower()
    executed = json.loads(result.executed_notebook.read_text())
    for cell in executed["cells"]:
        for output in cell.get("outputs", []):
            assert output.get("name") != "stderr", f"{name}: stderr output {output}"
            assert output.get("output_type") != "error"


def test_report_toc_anchors_resolve(rendered):
    _, _, page = rendered
    nav = re.search(r"<nav.*?</nav>", page, re.S)
    assert nav, "no table of contents"
    targets = re.findall(r'href="#([^"]+)"', nav.group(0))
    assert len(targets) >= 5
    for target in targets:
        assert f'id="{target}"' in page, f"TOC link #{target} has no anchor"


def test_finding_links_name_their_section_as_the_contents_do(rendered):
    """Audit: a finding said 'See: Geography: districts and rurality' under a heading and
    contents entry 'Geography: sub-areas and rurality'."""
    _, _, page = rendered
    nav = re.search(r"<nav.*?</nav>", page, re.S)
    contents = {html.unescape(_text(label)) for label in re.findall(r"<a[^>]*>(.*?)</a>",
                                                                      nav.group(0), re.S)}
    for target, label in re.findall(r'class="sna-finding-link" href="#([^"]+)">See: (.*?)</a>',
                                    page, re.S):
        assert html.unescape(label) in contents, (target, label)
        assert f'id="{target}"' in page


def test_every_figure_has_alt_text_and_caption(rendered):
    name, _, page = rendered
    figures = re.findall(r"<figure.*?</figure>", page, re.S)
    # the performance report draws every indicator's sparkline in one figure
    assert len(figures) >= (1 if name == "performance_report" else 3)
    for figure in figures:
        assert re.search(r'aria-label="[^"]{20,}"', figure)
        assert "<figcaption" in figure
        assert "<svg" in figure


def test_synthetic_banner_provenance_and_versions(rendered):
    name, result, page = rendered
    params = yaml.safe_load(result.params_file.read_text())
    if params.get("uses_synthetic_data"):
        banner = re.search(r'<div class="sna-synthetic-banner".*?</div>', page, re.S)
        assert banner and "DEMO DATA" in banner.group(0)
    provenance = json.loads(result.provenance.read_text())
    assert "pandas" in json.dumps(provenance)
    for package in ("pandas", "statsmodels", "papermill", "nbconvert"):
        assert package in page


def test_no_small_count_leaks_in_published_tables(rendered):
    name, result, page = rendered
    params = yaml.safe_load(result.params_file.read_text())
    threshold = int(params.get("min_count", 5))
    cells = table_cells(page)
    counted = [text for header, text in cells if SUPPRESSIBLE.match(header)]
    assert counted, f"{name}: no count columns found to check"
    leaks = leak_check_values([t.replace(",", "") for t in counted], threshold)
    assert leaks == [], f"{name}: small counts published: {leaks}"


# Reader text must not carry tests, models, p-values or code names: they belong in the
# technical appendices (<details class="sna-technical">), the provenance and the methods.
BANNED_JARGON = [
    r"\bp\s*[=<>]", r"p-value", r"poisson", r"negative binomial", r"\bNB2\b", r"\bGLM\b",
    r"pearson", r"chi-square", r"chi square", r"likelihood", r"\bwald\b", r"\bholm\b",
    r"getis", r"gi\*", r"contiguity", r"permutation", r"byars", r"wilson", r"clopper",
    r"dispersion", r"quasi", r"rate ratio", r"standardis", r"\bSTL\b", r"\balpha\b",
    r"verdict", r"significan", r"\bCI\b", r"\bCIs\b", r"\bdf\b", r"fingertips",
    r"control limit", r"prediction interval", r"\bz[- ]score", r"\bt test", r"\bF test",
    r"(?-i:\bINDICATIVE\b)", r"\bquarantin", r"\bsna\b",
]
CODE_IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b|`|\.py\b|\w+\(\)")
_READER_TAGS = re.compile(r"<(p|li|caption|figcaption|dt|dd|h[1-4]|th)\b[^>]*>(.*?)</\1>", re.S)


def reader_paragraphs(page: str) -> list[str]:
    """Text of every reader paragraph, caption, list item and heading outside the appendices."""
    body = page[page.index("<main"):]
    for pattern in (r'<details class="sna-technical">.*?</details>', r"<svg.*?</svg>",
                    r'<section class="sna-provenance".*?</section>', r"<style.*?</style>",
                    r"<script.*?</script>", r'<a class="anchor-link".*?</a>'):
        body = re.sub(pattern, " ", body, flags=re.S)
    return [" ".join(_text(inner).split()) for _, inner in _READER_TAGS.findall(body)]


READER_REPORTS = ("svd_sna", "hate_crime_review")  # issue 16: two layers of language


def test_reader_text_has_no_jargon_outside_the_technical_appendices(rendered):
    name, _, page = rendered
    if name not in READER_REPORTS:
        pytest.skip("the summary, findings and jargon rules cover the SVD and hate reports")
    paragraphs = reader_paragraphs(page)
    assert len(paragraphs) > 50, f"{name}: too few reader paragraphs found"
    found = []
    for text in paragraphs:
        found += [(term, text[:120]) for term in BANNED_JARGON if re.search(term, text, re.I)]
        found += [(m.group(0), text[:120]) for m in CODE_IDENTIFIER.finditer(text)]
    assert found == [], f"{name}: jargon in reader text: {found[:10]}"
    # ... and the appendices do hold the technical detail, one click away
    assert page.count('<details class="sna-technical">') >= 4
    assert re.search(r'<details class="sna-technical">.*?p [=<]', page, re.S)


def test_report_opens_with_summary_and_ranked_findings(rendered):
    name, _, page = rendered
    if name not in READER_REPORTS:
        pytest.skip("the summary, findings and jargon rules cover the SVD and hate reports")
    summary = re.search(r'<section class="sna-summary".*?</section>', page, re.S)
    assert summary, f"{name}: no summary"
    assert page.index("sna-summary") < page.index('id="sec-')
    findings = re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    assert 5 <= len(findings) <= 8, f"{name}: {len(findings)} findings"
    phrases = ("clear rise", "clear fall", "no clear change", "too few to say", "clearly higher",
               "clearly lower", "no clear difference", "clear pattern", "no clear pattern")
    for item in findings:
        assert any(p in item for p in phrases), item
        target = re.search(r'href="#([^"]+)"', item).group(1)
        assert f'id="{target}"' in page, f"finding links to missing #{target}"
    title = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert "North Yorkshire and York" in title and "2025" in title


def test_svd_report_ends_with_recommendations_by_priority(rendered):
    name, result, page = rendered
    if name != "svd_sna":
        pytest.skip("recommendations belong to the SVD report")
    params = yaml.safe_load(result.params_file.read_text())
    recommendations = re.search(r'<section class="sna-recommendations".*?</section>', page,
                                re.S).group(0)
    headings = re.findall(r"<h3>(.*?)</h3>", recommendations)
    assert headings[:len(params["priorities"])] == list(params["priorities"])
    assert "Data gaps to close" in headings
    assert page.index('<section class="sna-recommendations"') > page.index('id="sec-sources"')


def test_no_chart_data_is_embedded(rendered):
    _, _, page = rendered
    assert '"$schema"' not in page and "vega-embed" not in page.lower()
    assert '"datasets"' not in page


@pytest.mark.renders((reproduced_params(), "first"), (reproduced_params(), "second"))
def test_same_inputs_give_identical_html_apart_from_run_stamp(render):
    params = reproduced_params()
    first = render(params).html.read_text().splitlines()
    second = render(params, "second").html.read_text().splitlines()
    differing = [(x, y) for x, y in zip(first, second, strict=True) if x != y]
    assert len(differing) <= 1, differing[:3]
    assert all("sna-run-stamp" in x for x, _ in differing)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed "
                                              "(.ci/run installs Debian's chromium)")
def test_report_renders_offline_in_a_real_browser(rendered, tmp_path):
    _, result, page = rendered
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
             f"--user-data-dir={tempfile.mkdtemp()}", "--enable-logging=stderr", "--v=0"]
    url = result.html.as_uri()
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", url], capture_output=True, text=True,
                         timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console[:5]
    assert dom.stdout.count("<svg") == page.count("<svg")
    shot = tmp_path / "page.png"
    subprocess.run([CHROMIUM, *flags, f"--screenshot={shot}", "--window-size=1200,3000", url],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000


def _study_of(params: dict):
    """The study data exactly as the SVD notebook loads it (same sub-areas)."""
    from sna.io.study import load_study

    return load_study(params["police_uk"], ltla24_codes=params["ltla24_codes"],
                      forces=[params["force_name"]], first_month=params["first_month"],
                      last_month=params["last_month"], subareas=params.get("subareas", "auto"))


def test_differencing_attack_recovers_no_suppressed_value(rendered):
    """Issue 20: tables, chart geometry and sentences together give away no suppressed count."""
    from differencing import sentence_attack, svd_lsoa_attack, table_attacks

    from sna.reports.notebook_checks import geometry_problems

    name, _, page = rendered
    params = yaml.safe_load(rendered[1].params_file.read_text())
    assert geometry_problems(page) == []
    assert table_attacks(page) == {}
    if name != "svd_sna":
        return
    lsoas = _study_of(params).lsoas  # public: residents and sub-area of each LSOA
    found = svd_lsoa_attack(page, lsoas, params["min_count"])
    assert found.pop("_drawn") > 0.9 * len(lsoas)  # the attack read the real funnel
    found.pop("_attributed")
    assert found == {}
    assert sentence_attack(
        page, "Victims of serious violence (local definition) by age,", "Victims",
        r"were under 25 \(([\d,]+) of ([\d,]+)\)",
        [[0, 1], list(range(6))]) == {}


def test_worst_case_attacker_knowing_every_drawn_lsoa_learns_nothing(rendered):
    """Even knowing the exact count of every LSOA drawn, the district, rural-urban and
    area totals on the page determine no LSOA left out of the charts."""
    from sna.periods import year_months
    from sna.reports.notebook_checks import differencing_attack, page_svgs
    from sna.reports.svd import lsoa_counts, lsoa_hidden, svd_crimes
    from sna.stats.disclosure import DisclosurePolicy

    name, _, page = rendered
    if name != "svd_sna":
        pytest.skip("LSOA views are in the SVD report")
    params = yaml.safe_load(rendered[1].params_file.read_text())
    study = _study_of(params)
    categories = params.get("police_uk_categories") or {
        "Violence and sexual offences": "", "Possession of weapons": "", "Robbery": ""}
    months = [m for m in year_months(params["last_month"]) if m in study.months]
    lsoas = lsoa_counts(study, svd_crimes(study, categories), months).reset_index(drop=True)
    hidden = lsoa_hidden(lsoas, DisclosurePolicy(min_count=params["min_count"]))
    [funnel] = [s for s in page_svgs(page) if "Neighbourhood rates against population" in s]
    drawn = len(re.findall(r"<path[^>]*transform", re.search(
        r'class="mark-symbol role-mark[^"]*"[^>]*>(.*?)</g>', funnel, re.S).group(1)))
    assert drawn == int((~hidden).sum())  # the page draws exactly the protected set
    counts = lsoas["count"].astype(float).tolist()
    cells = [None if h else c for c, h in zip(counts, hidden, strict=True)]
    sums = [(list(range(len(lsoas))), sum(counts))]
    for column in ("district_name", "ruc21_code"):
        for rows in lsoas.groupby(lsoas[column].astype(str)).indices.values():
            sums.append((list(rows), sum(counts[i] for i in rows)))
    assert hidden.any()  # there is something to protect
    assert differencing_attack(cells, sums) == {}
    # Without the secondary suppression the same attacker recovers the small counts.
    primary = [None if 0 < c < params["min_count"] else c for c in counts]
    assert differencing_attack(primary, sums)


def test_default_area_similar_areas_and_national_rate_match_an_independent_count(rendered):
    """The SVD report's similar-area list is the library's (itself checked against scipy in
    tests/unit/stats/test_similar_areas.py) and its England and Wales rate equals a count
    made here straight from the national Parquet file with DuckDB."""
    import duckdb
    import pandas as pd

    from sna.paths import raw_dir
    from sna.reports.area_sections import similar_areas_section

    name, result, page = rendered
    if name != "svd_sna":
        pytest.skip("the national benchmark is in the SVD report")
    params = yaml.safe_load(result.params_file.read_text())
    found = similar_areas_section(params["ltla24_codes"]).results["similar"].neighbours
    table = re.search(r"<table.*?Similar areas: the councils nearest to.*?</table>", page, re.S)
    shown = [text for header, text in table_cells(table.group(0)) if header == "Council"]
    assert shown[1:] == found["name"].tolist()
    national = raw_dir() / "shipped" / "national"
    counts = duckdb.sql(
        f"SELECT lsoa21_code, sum(offences) AS n FROM read_parquet("
        f"'{national / 'police_uk_2025/counts_lsoa_month_type.parquet'}') WHERE crime_type IN "
        "('Violence and sexual offences', 'Possession of weapons', 'Robbery') "
        "GROUP BY lsoa21_code").df().set_index("lsoa21_code")["n"]
    coverage = pd.read_csv(national / "police_uk_2025/coverage.csv.gz")
    months = coverage[coverage["rows_in"].notna()].groupby("force").size()
    shipped = raw_dir() / "shipped" / "geography"
    lookup = pd.read_csv(shipped / "lsoa21_ward24_ltla24_ew.csv.gz", dtype=str)
    force = pd.read_csv(shipped / "ltla24_csp24_pfa24_ew.csv.gz", dtype=str).drop_duplicates(
        "ltla24_code").set_index("ltla24_code")["pfa24_name"]
    slug = lookup["ltla24_code"].map(force).str.lower().str.replace("&", "and").str.replace(
        r"[^a-z]+", "-", regex=True).replace({"metropolitan-police": "metropolitan",
                                               "london-city-of": "city-of-london"})
    covered = lookup[slug.map(months).fillna(0).eq(12).to_numpy()]
    pop = pd.read_csv(shipped / "census2021_lsoa21_ew.csv.gz").set_index(
        "lsoa21_code")["usual_residents"]
    rate = (covered["lsoa21_code"].map(counts).fillna(0).sum()
            / covered["lsoa21_code"].map(pop).sum() * 1000)
    assert f"against {rate:.1f} in England and Wales" in html.unescape(page)


def test_performance_report_figures_match_the_published_tables(rendered):
    """Q3 2023/24 tiles against the shipped published CSVs, read here with the csv module."""
    import csv

    name, _, page = rendered
    if name != "performance_report":
        pytest.skip("performance report only")
    published = ROOT / "data" / "raw" / "shipped" / "published"

    def rows(file):
        with open(published / file, newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def tile(measure):
        return page.split(f'data-measure="{measure}"')[1].split('<div class="sna-kpi"')[0]

    hub = rows("idas_hub_enquiries_monthly.csv")
    q3 = [int(r["enquiries"]) for r in hub if r["financial_year"] == "2023/24"]
    before = [int(r["enquiries"]) for r in hub if r["financial_year"] == "2022/23"]
    assert f"<strong>{sum(q3):,}</strong>" in tile("idas_hub_enquiries")
    assert f"{sum(before):,}" in tile("idas_hub_enquiries")
    referrals = rows("perpetrator_service_referrals_q3.csv")
    now = sum(int(r["referrals"]) for r in referrals if r["period"] == "Q3 2023/24")
    then = sum(int(r["referrals"]) for r in referrals if r["period"] == "Q3 2022/23")
    assert f"<strong>{now:,}</strong>" in tile("perpetrator_referrals")
    assert f"{then:,}" in tile("perpetrator_referrals")
    items = sum(int(r["items_provided"]) for r in rows("idas_target_hardening_q3_2023_24.csv"))
    assert f"<strong>{items:,}</strong>" in tile("target_hardening_items")
    safe = rows("idas_safe_accommodation_q3_2023_24.csv")
    calls = sum(int(r["value"]) for r in safe if r["measure"] == "calls_by_caller")
    assert f"<strong>{calls:,}</strong>" in tile("idas_helpline_enquiries")
    da = rows("da_related_crimes_quarterly.csv")
    assert f"<strong>{int(da[-1]['da_related_crimes']):,}</strong>" in tile("da_related_crimes")
    assert "6,387" in page and "6,287" in page
    assert "the parts add up to 1,626" in tile("idas_hub_individuals")
    assert "target of 29" in tile("svd_bleed_kits_installed")
