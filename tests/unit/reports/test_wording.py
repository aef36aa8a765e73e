"""The wording module and the findings: one p-value formatter, plain sentences, ranking."""

import pandas as pd
import pytest

import sna.wording as numbers
from sna.reports import findings, wording
from sna.stats import strands, trend


def test_one_p_formatter_everywhere_and_never_rounds_across_alpha():
    assert strands.format_p is numbers.format_p  # the statistics use the shared formatter
    assert not hasattr(trend, "format_p") and not hasattr(wording, "format_p")
    assert not hasattr(strands, "_format_p")
    assert numbers.format_p(0.0496) == "p = 0.0496"  # was "p = 0.05" beside "significant"
    assert numbers.format_p(0.0504) == "p = 0.050"
    assert numbers.format_p(0.3149) == "p = 0.31"
    assert numbers.format_p(0.0002, with_equals=False) == "< 0.001"


def test_strand_shift_sentence_uses_the_shared_formatter():
    row = {"strand_label": "Race", "count_a": 150, "count_b": 185, "change_pct": 23.3,
           "months_a": 3, "months_b": 3, "period_a": "a", "period_b": "b",
           "verdict": "increase", "n_tests": 10, "test": "exact Poisson test",
           "p_adjusted": 0.0496}
    assert "Holm-adjusted p = 0.0496" in strands.describe_strand_shift(pd.Series(row))


@pytest.mark.parametrize(("a", "b", "text"), [
    (1, 2, ""), (9, 100, ""), (10, 20, "+100%"), (216, 456, "+111%"), (6346, 6387, "+1%"),
    (100, 100, "0%"), (100, 50, "-50%"), (None, 5, ""),
])
def test_no_percentage_change_on_small_counts(a, b, text):
    assert wording.percent_change_text(a, b) == text


def test_percentage_minimum_is_a_parameter():
    assert wording.percent_change_text(5, 10, min_count=5) == "+100%"
    assert wording.MIN_COUNT_FOR_PERCENT == 10


@pytest.mark.parametrize(("verdict", "a", "b", "phrase"), [
    ("increase", 216, 456, "clear rise"), ("decrease", 1000, 880, "clear fall"),
    ("no significant change", 458, 448, "no clear change"),
    ("no significant change", 3, 1, "too few to say"),
    ("no significant change", 3, 12, "no clear change"),
    ("higher", None, None, "clearly higher"), ("similar", 2, 3, "too few to say"),
])
def test_evidence_phrases(verdict, a, b, phrase):
    assert wording.strength(verdict, count_a=a, count_b=b) == phrase


def test_change_sentence_never_overstates_small_counts():
    sentence = wording.change_sentence("Hate crimes", 1, 2, "2024", "2025", "increase")
    assert "%" not in sentence and sentence.endswith("a clear rise.")
    flat = wording.change_sentence("Robberies", 3, 1, "2024", "2025", "no significant change")
    assert flat.endswith("too few to say.")


def test_counts_and_rates_formatting():
    assert numbers.format_count(21164.0) == "21,164"
    assert numbers.format_rate(24.781) == "24.8" and numbers.format_rate(0.47) == "0.47"
    assert wording.period_text("2025-01", "2025-12") == "January to December 2025"
    assert wording.month_runs_text(["2024-05", "2024-06", "2025-01"]) == \
        "May to June 2024 and January 2025"


def test_bare_snap_points_are_named():
    assert wording.snap_point_name("On or near") == "Unnamed point (no street name published)"
    assert wording.snap_point_name("On or near Low Ousegate") == "On or near Low Ousegate"


def test_ranking_rule_size_certainty_harm_and_real_before_demo():
    def finding(sentence, strength, size, certainty, topic, **kw):
        return findings.Finding(sentence, strength, "s", "S", size=size, certainty=certainty, topic=topic, **kw)

    big_clear = finding("A", "clear rise", 1.0, 1.0, "robbery")            # 0.7
    homicide = finding("B", "clear rise", 0.5, 1.0, "homicide")            # 0.5
    unclear = finding("C", "no clear change", 1.0, 0.4, "robbery")          # 0.28
    demo = finding("D", "clear rise", 1.0, 1.0, "vawg", demo=True)         # 0.45
    lead = finding("E", "no clear change", 0.0, 0.4, "violence", lead=True)
    gap = findings.Finding("G", "data gap", "s", "S", kind="gap")
    ranked = findings.rank([unclear, demo, homicide, big_clear, lead, gap])
    assert [f.sentence for f in ranked] == ["E", "A", "B", "D", "C"]
    assert big_clear.score == pytest.approx(1.0 * 1.0 * 0.7)
    assert len(findings.rank([big_clear] * 12)) == findings.MAX_FINDINGS


def test_real_figure_leads_a_demo_figure_of_the_same_indicator():
    real = findings.Finding("Robbery (police.uk)", "clear rise", "prio", "P", size=0.8, certainty=1.0, topic="robbery")
    demo = findings.Finding("Robbery (demo)", "clear rise", "prio", "P", size=1.0, certainty=1.0, topic="robbery",
                            demo=True)
    assert [f.sentence for f in findings.rank([demo, real])] == ["Robbery (police.uk)"]


def test_recommendations_follow_the_priorities_and_name_the_gaps():
    frame = findings.ReportFrame("T", "Area", "2025", priorities={
        "Weapons": ["weapons", "robbery"], "Awareness": ["perception"]})
    rise = findings.Finding("Robbery rose: a clear rise.", "clear rise", "p", "P", size=1, certainty=1,
                            topic="robbery")
    gap = findings.Finding("No knife flag.", "data gap", "p", "P", kind="gap",
                           action="Ask the force for it.")
    page = findings.recommendations_html(frame, [rise, gap])
    assert page.index("<h3>Weapons</h3>") < page.index("<h3>Awareness</h3>") < \
        page.index("<h3>Data gaps to close</h3>")
    assert "find out what lies behind the rise" in page
    assert "No figure in this report measures this priority directly" in page
    assert "Ask the force for it." in page
    # order survives the JSON round trip through the notebook output
    again = findings.ReportFrame(**frame.to_dict())
    assert list(again.priorities) == ["Weapons", "Awareness"]


def test_banner_never_calls_real_figures_made_up():
    part = findings.ReportFrame("T", "A", "P", real_sources=["police.uk"],
                                demo_sources=["force extract"]).banner()
    assert "police.uk are real" in part and "every figure" not in part
    assert "every figure" in findings.ReportFrame("T", "A", "P",
                                                  demo_sources=["extract"]).banner()
