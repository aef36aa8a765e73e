"""The notebook-facing report objects: thin facades over the section functions.

Each method must call exactly one section function, with arguments its signature accepts,
pass the report's context (``conf``, the synthetic flag, the strands, the policy, the area)
and return what the function returns, unchanged. The section functions themselves are tested
in their own files; the rendered notebooks (tests/notebooks) run the objects end to end.
"""

from __future__ import annotations

import inspect
from types import SimpleNamespace

import pandas as pd
import pytest

from sna.reports import area_sections, hate_review, performance, svd, svd_partners
from sna.reports.hate_review import HateReviewInputs
from sna.reports.objects import HateReview, PerformanceReport, SvdAssessment
from sna.reports.svd import SvdInputs
from sna.stats.disclosure import DisclosurePolicy

MODULES = (area_sections, hate_review, performance, svd, svd_partners)
POLICY = DisclosurePolicy(min_count=7)
CONF = 0.9  # not the default, so a method that drops conf is caught
STRANDS = ("race", "religion")

# method -> the section function it shows (module.function)
HATE_METHODS = {
    "frame": "hate_review.frame",
    "area_summary": "area_sections.area_summary",
    "totals_and_trend": "hate_review.totals_and_trend",
    "composition_and_shifts": "hate_review.composition_and_shifts",
    "seasonal_pattern": "hate_review.seasonal_pattern",
    "geography": "hate_review.geography",
    "indicative_rates": "hate_review.indicative_rates",
    "similar_areas": "area_sections.similar_areas_section",
    "multi_strand_note": "hate_review.multi_strand_note",
    "data_quality": "hate_review.data_quality",
    "methods": "hate_review.methods",
}
SVD_METHODS = {
    "frame": "svd.frame",
    "area_summary": "area_sections.area_summary",
    "definition": "svd.definition",
    "extent_and_trend": "svd.extent_and_trend",
    "where": "svd.where",
    "day_and_time": "svd.day_and_time",
    "victims_by_age": "svd.victims_by_age",
    "who": "svd_partners.who",
    "drivers": "svd.drivers",
    "children_at_risk": "svd_partners.children_at_risk",
    "health": "svd_partners.health",
    "similar_areas": "area_sections.similar_areas_section",
    "national_benchmarks": "area_sections.national_benchmarks",
    "adjacent_forces": "area_sections.adjacent_forces_section",
    "response_priorities": "svd.priorities",
    "da_published": "svd.da_published",
    "partner_register": "svd_partners.partner_register",
    "data_gaps": "svd_partners.data_gaps",
    "data_quality": "svd.data_quality",
    "partner_accounting": "svd_partners.partner_accounting",
    "sources_and_methods": "svd.sources_and_methods",
}
PERFORMANCE_METHODS = {name: f"performance.{name}" for name in (
    "frame", "dashboard", "partner_sections", "priority_sections", "data_quality",
    "sources_and_methods")}


@pytest.fixture
def calls(monkeypatch):
    """Replace every public function of the section modules by a recorder."""
    recorded: list[tuple[str, inspect.BoundArguments, object]] = []

    def recorder(label, original):
        def record(*args, **kwargs):
            result = object()
            # binding fails when the facade passes arguments the function does not take
            recorded.append((label, inspect.signature(original).bind(*args, **kwargs), result))
            return result
        return record

    for module in MODULES:
        short = module.__name__.rsplit(".", 1)[-1]
        for name in module.__all__:
            original = getattr(module, name)
            if inspect.isfunction(original):
                monkeypatch.setattr(module, name, recorder(f"{short}.{name}", original))
    return recorded


def _public_methods(cls) -> list[str]:
    return sorted(name for name, value in vars(cls).items()
                  if not name.startswith("_") and inspect.isfunction(value))


def _hate_review() -> HateReview:
    lsoas = pd.DataFrame({"lsoa21_code": ["E01000001"], "subarea_kind": ["ward"]})
    inputs = HateReviewInputs(accounted="accounted", offences="offences", lsoas=lsoas,
                              policy=POLICY, strands=STRANDS, extract_file="x.csv")
    return HateReview(area_name="Testshire", ltla24_codes=("E06000001",), inputs=inputs,
                      last_month="2025-12", conf=CONF, trend_strands=("religion",),
                      subarea_name="Wards", similar_k=4, similar_method="mahalanobis",
                      synthetic=False)


def _svd_assessment() -> SvdAssessment:
    study = SimpleNamespace(subarea_kind="ward", missing_months=["2025-03"],
                            lsoas=pd.DataFrame({"usual_residents": [1000, 2000]}))
    inputs = SvdInputs(study=study, extract="extract", offences="offences",
                       published_da="published", boundaries="boundaries",
                       lsoa_population=pd.DataFrame({"usual_residents": [1500, 1500]}),
                       policy=POLICY)
    return SvdAssessment(
        area_name="Testshire", ltla24_codes=("E06000001",), area="area", inputs=inputs,
        partner="partner", partner_areas={"E06000001": {}}, register=["entry"],
        partner_notes=["note"], categories={"Robbery": "robbery"},
        offence_groups={"Homicide": ["homicide"]}, priorities={"Weapons": ["weapons"]},
        first_month="2024-01", last_month="2025-12", neighbour_forces=("cumbria",),
        neighbour_last_month="2025-11", similar_k=4, similar_method="mahalanobis", conf=CONF,
        published_da_source="the partnership", subarea_name="Wards", synthetic=False)


CONTEXT = {  # parameter name -> what the report's context passes for it
    "conf": CONF, "synthetic": False, "uses_synthetic_data": False, "synthetic_extract": False,
    "strands": STRANDS, "policy": POLICY, "area_name": "Testshire", "last_month": "2025-12",
    "subarea_name": "Wards", "k": 4, "method": "mahalanobis", "codes": ("E06000001",),
    "trend_strands": ("religion",), "published_source": "the partnership",
    "published_da_source": "the partnership",
}


@pytest.mark.parametrize(("make", "cls", "expected"), [
    (_hate_review, HateReview, HATE_METHODS),
    (_svd_assessment, SvdAssessment, SVD_METHODS),
])
def test_each_method_shows_one_section_with_the_reports_context(calls, make, cls, expected):
    report = make()
    assert sorted(expected) == [m for m in _public_methods(cls) if m != "from_params"]
    for method, function in expected.items():
        calls.clear()
        result = getattr(report, method)()
        assert [label for label, _, _ in calls] == [function], method
        _, bound, returned = calls[0]
        assert result is returned, f"{method} must return what {function} returns"
        for name, value in bound.arguments.items():
            if name == "last_month" and function.startswith("area_sections"):
                continue  # the national comparison's own month (checked below)
            if name in CONTEXT:
                assert value == CONTEXT[name], (method, name, value)
        passed = set(bound.arguments)
        options = {p.name for p in bound.signature.parameters.values()
                   if p.default is not p.empty}
        dropped = {"conf", "synthetic", "strands", "uses_synthetic_data"} & options - passed
        assert not dropped, f"{method} leaves {dropped} at the function's default"


def test_svd_methods_pass_the_loaded_inputs(calls):
    report = _svd_assessment()
    report.victims_by_age()
    assert calls[-1][1].arguments["total_residents"] == 3000.0  # the study's residents
    report.response_priorities()
    assert calls[-1][1].arguments["population"] == 3000.0  # inputs.population
    report.national_benchmarks()
    assert calls[-1][1].arguments["last_month"] == "2025-11"  # neighbour_last_month
    report.adjacent_forces()
    assert calls[-1][1].arguments["forces"] == ("cumbria",)
    report.data_gaps()
    assert calls[-1][1].arguments["missing_months"] == ["2025-03"]
    report.area_summary()
    assert calls[-1][1].arguments["subarea_kind"] == "Wards"  # the name given, else the kind


def test_performance_methods_show_their_section_of_the_inputs(calls):
    inputs = SimpleNamespace(conf=CONF)
    report = PerformanceReport(inputs=inputs)
    assert sorted(PERFORMANCE_METHODS) == [m for m in _public_methods(PerformanceReport)
                                           if m != "from_params"]
    for method, function in PERFORMANCE_METHODS.items():
        calls.clear()
        result = getattr(report, method)()
        assert [(label, dict(bound.arguments)) for label, bound, _ in calls] == [
            (function, {"inputs": inputs})]
        assert result is calls[0][2]


def test_from_params_loads_once_with_the_notebooks_parameters(calls, monkeypatch):
    monkeypatch.setattr(area_sections, "report_area", lambda codes, **kw: {
        "area_name": kw["area_name"] or "Derived", "ltla24_codes": list(codes),
        "police_uk": kw.get("police_uk") or "data/x", "area": "area"})
    review = HateReview.from_params(ltla24_codes=["E06000001"], extract="x.csv",
                                    review_year_last_month="2025-06", conf=CONF,
                                    strands=STRANDS, min_count=7, uses_synthetic_data=False)
    label, bound, returned = calls[-1]
    assert label == "hate_review.load_inputs"
    assert bound.arguments["strands"] == STRANDS and bound.arguments["min_count"] == 7
    assert review.inputs is returned and review.area_name == "Derived"
    assert (review.last_month, review.conf, review.synthetic) == ("2025-06", CONF, False)
    assert review.ltla24_codes == ("E06000001",)


def test_the_objects_are_frozen():
    review = _hate_review()
    with pytest.raises(AttributeError):
        review.conf = 0.99
    assert review.periods.year == ("2025-01", "2025-12")
    assert review.policy is POLICY and review.strands == STRANDS
