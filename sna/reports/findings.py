"""Key findings, the executive summary and recommendations, generated from sections' results.

A section (:class:`sna.reports.sections.Section`) records :class:`Finding` objects beside its
tables: one plain-English sentence each, with the evidence phrase of
:mod:`sna.reports.wording` ("clear rise", "no clear change", "too few to say"), the section
it links to, the priority topic it bears on and three scores. A notebook shows the
sections as usual; each section's output carries its findings under the
:data:`FINDINGS_MIME` type (not shown in the page), and a report's frame
(:class:`ReportFrame`: title, area, period, the partnership's priorities, which sources are
real and which demo) under :data:`FRAME_MIME`. :func:`sna.reports.html.render_html`
collects them and puts the summary at the top and the recommendations at the end.

Ranking rule
------------
Findings are ranked by ``score = size x certainty x harm`` (each 0 to 1), with demo
(synthetic) findings halved so that a real figure always leads a made-up one of equal
weight, and the report's headline finding (``lead=True``) first:

- **size**: how big the change or difference is, ``|log ratio| / log 2`` capped at 1 (a
  doubling or halving scores 1, +10% scores 0.14; :func:`ratio_size`);
- **certainty**: from the evidence phrase: 1 for a clear rise, fall or difference, 0.4 for
  no clear change, 0.1 for too few to say (:data:`CERTAINTY`);
- **harm**: how serious the offences are, from :data:`HARM` (homicide 1, rape and serious
  sexual offences 0.9, violence with injury and domestic abuse 0.8, weapons and robbery 0.7,
  all violence 0.7, hate crime 0.6).

The summary shows the top findings, at least :data:`MIN_FINDINGS` when that many exist and
never more than :data:`MAX_FINDINGS`.

Examples
--------
>>> f = change_finding("Robberies", 216, 456, "2024", "2025", "increase",
...                    section="priorities", section_title="Response priorities",
...                    topic="robbery")
>>> f.sentence, f.strength, round(f.score, 3)
('Robberies rose from 216 in 2024 to 456 in 2025 (+111%): a clear rise.', 'clear rise', 0.7)
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import KW_ONLY, asdict, dataclass, field

from sna.reports.wording import GLOSSARY, change_sentence, strength
from sna.wording import format_rate

__all__ = [
    "CERTAINTY",
    "FINDINGS_MIME",
    "FRAME_MIME",
    "Finding",
    "HARM",
    "MAX_FINDINGS",
    "MIN_FINDINGS",
    "ReportFrame",
    "change_finding",
    "highest_rate_finding",
    "findings_from_json",
    "glossary_html",
    "rank",
    "ratio_size",
    "recommendations",
    "recommendations_html",
    "summary_html",
]

FINDINGS_MIME = "application/vnd.sna.findings+json"
FRAME_MIME = "application/vnd.sna.report+json"
MIN_FINDINGS = 5
MAX_FINDINGS = 8

HARM = {
    "homicide": 1.0,
    "sexual": 0.9,
    "vawg": 0.9,
    "violence_with_injury": 0.8,
    "domestic_abuse": 0.8,
    "young_people": 0.8,
    "weapons": 0.7,
    "robbery": 0.7,
    "night_time_economy": 0.7,
    "violence": 0.7,
    "places": 0.7,
    "deprivation": 0.6,
    "comparison": 0.6,
    "hate": 0.6,
    "time": 0.5,
}
"""Harm weight of a finding's topic (0 to 1); unknown topics weigh 0.5."""

CERTAINTY = {
    "clear rise": 1.0,
    "clear fall": 1.0,
    "clearly higher": 1.0,
    "clearly lower": 1.0,
    "clear pattern": 1.0,
    "no clear change": 0.4,
    "no clear difference": 0.4,
    "no clear pattern": 0.4,
    "too few to say": 0.1,
}
"""Certainty weight of an evidence phrase."""


def ratio_size(ratio: float) -> float:
    """Size score of a ratio (later/earlier, or area/benchmark): ``|log ratio| / log 2``, at most 1.

    Parameters
    ----------
    ratio : float
        A rate ratio or ratio of two figures.

    Returns
    -------
    float
        0 to 1: how large the change is, for ranking.

    Examples
    --------
    >>> ratio_size(2.0), ratio_size(0.5), round(ratio_size(1.1), 2), ratio_size(float("nan"))
    (1.0, 1.0, 0.14, 0.0)
    """
    if ratio is None or not math.isfinite(ratio) or ratio <= 0:
        return 1.0 if ratio is not None and (ratio == math.inf or ratio == 0) else 0.0
    return min(1.0, abs(math.log(ratio)) / math.log(2))


@dataclass(frozen=True)
class Finding:
    """One key finding (or one data gap) in plain English.

    Attributes
    ----------
    sentence : str
        One plain-English sentence, ending with its evidence phrase.
    strength : str
        The evidence phrase ("clear rise", "no clear change", "too few to say", ...).
    section : str
        Id of the section's anchor (the summary links to ``#<section>``).
    section_title : str
        The section's title, for the link text.
    size, certainty : float
        0 to 1 (see the module's ranking rule).
    topic : str
        What the finding is about (a key of :data:`HARM`); the partnership's priorities
        list the topics they cover.
    demo : bool
        The figures come from synthetic demo data.
    kind : str
        ``"finding"``, or ``"gap"`` for a data gap the recommendations name.
    lead : bool
        The report's headline finding, shown first.
    action : str
        For a gap: what would close it.
    """

    sentence: str
    strength: str
    section: str
    section_title: str
    _: KW_ONLY
    size: float = 0.0
    certainty: float = 0.0
    topic: str = ""
    demo: bool = False
    kind: str = "finding"
    lead: bool = False
    action: str = ""

    @property
    def harm(self) -> float:
        """Harm weight of the topic (:data:`HARM`)."""
        return HARM.get(self.topic, 0.5)

    @property
    def score(self) -> float:
        """``size x certainty x harm``, halved for demo data."""
        return self.size * self.certainty * self.harm * (0.5 if self.demo else 1.0)

    def to_dict(self) -> dict:
        """Plain dict (JSON-ready).

        Returns
        -------
        dict
            The finding's fields (JSON-serialisable).
        """
        return asdict(self)


def change_finding(subject: str, count_a: int, count_b: int, period_a: str, period_b: str,
                   verdict: str, *, section: str, section_title: str, topic: str,
                   demo: bool = False, lead: bool = False, ratio: float | None = None
                   ) -> Finding:
    """A finding about a change between two periods, from a test's verdict and the counts.

    ``ratio`` (a rate ratio) gives the size; by default the ratio of the counts.

    Parameters
    ----------
    subject : str
        What changed, e.g. "Robberies".
    count_a : int
        The count of the earlier period.
    count_b : int
        The count of the later period.
    period_a : str
        The earlier period, as printed.
    period_b : str
        The later period, as printed.
    verdict : str
        The change rule's verdict (:func:`sna.stats.trend.judge_change`).
    section : str
        Id of the section's anchor (the summary links to ``#<section>``).
    section_title : str
        The section's title, for the link text.
    topic : str
        The priority topic the finding informs.
    demo : bool, default False
        The finding rests on synthetic demo data.
    lead : bool, default False
        Put the finding first in the summary.
    ratio : float, optional
        The rate ratio; default: ``count_b / count_a``.

    Returns
    -------
    Finding

    Examples
    --------
    >>> f = change_finding("Hate crimes", 3, 1, "2024", "2025", "no significant change",
    ...                    section="s", section_title="S", topic="hate")
    >>> f.strength, f.certainty
    ('too few to say', 0.1)
    """
    phrase = strength(verdict, count_a=count_a, count_b=count_b)
    if ratio is None:
        ratio = (count_b / count_a) if count_a else (math.inf if count_b else 1.0)
    return Finding(change_sentence(subject, count_a, count_b, period_a, period_b, verdict),
                   phrase, section, section_title, size=ratio_size(ratio),
                   certainty=CERTAINTY.get(phrase, 0.4), topic=topic, demo=demo, kind="finding",
                   lead=lead)


def highest_rate_finding(lead: str, value: float, benchmark: float, comparison: str, *,
                         unit: str, area_name: str, section: str, section_title: str,
                         topic: str, demo: bool = False) -> Finding:
    """A finding about the group with the highest rate, against the whole area's rate.

    ``comparison`` is the group's verdict against the area ("higher", "lower" or anything
    else for "similar"), as :func:`sna.stats.rates.rates_against_total` gives it.

    Parameters
    ----------
    lead : str
        The start of the sentence, naming the group with the highest rate.
    value : float
        The group's rate.
    benchmark : float
        The whole area's rate.
    comparison : str
        The group's verdict against the area ("higher", "lower", else similar).
    unit : str
        The rate's unit, e.g. "per 1,000 residents".
    area_name : str
        The area, as named in the sentence.
    section : str
        Id of the section's anchor (the summary links to ``#<section>``).
    section_title : str
        The section's title, for the link text.
    topic : str
        The priority topic the finding informs.
    demo : bool, default False
        The finding rests on synthetic demo data.

    Returns
    -------
    Finding

    Examples
    --------
    >>> f = highest_rate_finding("Ward A had the highest rate", 4.0, 2.0, "higher",
    ...                          unit="per 1,000 residents", area_name="the area",
    ...                          section="s", section_title="S", topic="places")
    >>> f.sentence.split(": ", 1)[1]
    '4.00 per 1,000 residents against 2.00 across the area: clearly higher.'
    """
    phrase = strength({"higher": "higher", "lower": "lower"}.get(comparison, "similar"))
    return Finding(f"{lead}: {format_rate(value)} {unit} against {format_rate(benchmark)} "
                   f"across {area_name}: {phrase}.", phrase, section, section_title,
                   size=ratio_size(value / benchmark), certainty=CERTAINTY.get(phrase, 0.4),
                   topic=topic, demo=demo)


def rank(findings: Iterable[Finding], *, limit: int = MAX_FINDINGS) -> list[Finding]:
    """The findings to show, best first: the lead, then by score; gaps are left out.

    Where a demo finding and a real one share a topic and a section (the same indicator
    from demo and from real data), the real one is kept and the demo one dropped: the real
    figure leads.

    Parameters
    ----------
    findings : iterable of Finding
        Findings of every section.
    limit : int, default MAX_FINDINGS
        How many to keep.

    Returns
    -------
    list of Finding
        The strongest findings first (lead findings before the rest).

    Examples
    --------
    >>> a = Finding("A.", "clear rise", "s", "S", size=1.0, certainty=1.0, topic="violence")
    >>> b = Finding("B.", "no clear change", "s", "S", size=0.1, certainty=0.4,
    ...             topic="violence", lead=True)
    >>> [f.sentence for f in rank([a, b])]
    ['B.', 'A.']
    """
    findings = [f for f in findings if f.kind == "finding"]
    real = {(f.topic, f.section) for f in findings if not f.demo}
    kept = [f for f in findings if not (f.demo and (f.topic, f.section) in real)]
    return sorted(kept, key=lambda f: (not f.lead, -f.score))[:limit]


@dataclass
class ReportFrame:
    """What a report is about: title, area, period, priorities and which data are real.

    Displayed in a notebook it shows nothing but a short "About this report" paragraph; its
    :data:`FRAME_MIME` payload tells the renderer the title, the banner and the priorities.

    Attributes
    ----------
    title : str
        The full title, with area and period.
    area, period : str
        In words.
    priorities : mapping of str to list of str
        The partnership's priorities, each with the finding topics it bears on.
    real_sources, demo_sources : list of str
        Which sources are real and which are synthetic demo data.
    definition : str
        The report's one definition of its subject (e.g. serious violence), stated once.
    summary : bool
        Put a summary of key findings, and the glossary, into the page (False for a
        report that is itself a summary, such as the performance dashboard).
    """

    title: str
    area: str
    period: str
    _: KW_ONLY
    priorities: Mapping[str, Sequence[str]] = field(default_factory=dict)
    real_sources: list[str] = field(default_factory=list)
    demo_sources: list[str] = field(default_factory=list)
    definition: str = ""
    summary: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.priorities, Mapping):  # pairs, as serialised (keeps order)
            self.priorities = {str(name): list(topics) for name, topics in self.priorities}

    def to_dict(self) -> dict:
        """Plain dict (JSON-ready); priorities as ``[name, topics]`` pairs to keep their order.

        Returns
        -------
        dict
            The frame's fields (JSON-serialisable).
        """
        return {"title": self.title, "area": self.area, "period": self.period,
                "priorities": [[k, list(v)] for k, v in self.priorities.items()],
                "real_sources": list(self.real_sources),
                "demo_sources": list(self.demo_sources), "definition": self.definition,
                "summary": self.summary}

    def banner(self) -> str | None:
        """The page-top banner: none for real data, and never "all made up" when part is real.

        Returns
        -------
        str or None
            The banner's text naming the demo data, or None when every source is real.

        Examples
        --------
        >>> ReportFrame("T", "A", "P", real_sources=["police.uk"],
        ...             demo_sources=["force extract"]).banner()[:40]
        'DEMO DATA IN PART: figures from police.u'
        >>> ReportFrame("T", "A", "P", real_sources=["police.uk"]).banner() is None
        True
        """
        if not self.demo_sources:
            return None
        demo = " and ".join(self.demo_sources)
        if not self.real_sources:
            return (f"DEMO DATA: every figure from the {demo} is made up for demonstration and "
                    "must not be used for decisions.")
        real = " and ".join(self.real_sources)
        return (f"DEMO DATA IN PART: figures from {real} are real. Figures from the {demo} "
                "are made up for demonstration, are marked 'demo' wherever they appear and "
                "must not be used for decisions.")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        parts = []
        if self.real_sources:
            parts.append(f"Real data: {', '.join(self.real_sources)}.")
        if self.demo_sources:
            parts.append(f"Demo data (made up, marked 'demo'): {', '.join(self.demo_sources)}.")
        text = html.escape(" ".join(parts))
        return {"text/html": f'<p class="sna-about">{text}</p>' if text else "",
                FRAME_MIME: self.to_dict()}


def _link(finding: Finding) -> str:
    return (f' <a class="sna-finding-link" href="#{html.escape(finding.section)}">'
            f"See: {html.escape(finding.section_title)}</a>")


def _badge(phrase: str) -> str:
    css = phrase.replace(" ", "-")
    return (f'<span class="sna-evidence sna-evidence-{html.escape(css)}">'
            f"{html.escape(phrase)}</span>")


def summary_html(frame: ReportFrame | None, findings: Sequence[Finding]) -> str:
    """The executive summary: what the report covers and its ranked key findings.

    Parameters
    ----------
    frame : ReportFrame or None
        What the report is about; None: no frame was displayed.
    findings : sequence of Finding
        The report's key findings and data gaps.

    Returns
    -------
    str
        The summary as an HTML ``<section>``.

    Examples
    --------
    >>> f = Finding("Robberies rose: a clear rise.", "clear rise", "prio", "Priorities",
    ...             size=1, certainty=1, topic="robbery")
    >>> page = summary_html(ReportFrame("T", "York", "2025"), [f])
    >>> 'id="summary"' in page and 'href="#prio"' in page
    True
    """
    shown = rank(findings)
    items = "".join(
        f"<li>{_badge(f.strength)} {html.escape(f.sentence)}"
        f"{' <em>(demo data)</em>' if f.demo else ''}{_link(f)}</li>" for f in shown)
    intro = []
    if frame is not None:
        intro.append(f"<p>This report covers {html.escape(frame.area)}, "
                     f"{html.escape(frame.period)}. The key findings below are ranked by how "
                     "large the change or difference is, how sure the evidence is and how "
                     "serious the harm is; each links to its section.</p>")
    if not shown:
        items = "<li>No finding could be drawn from the data available.</li>"
    more = ('<p>What the partnership could do about them is under '
            '<a href="#recommendations">Recommendations</a>; the words that must stay are '
            'explained in the <a href="#glossary">Glossary</a>.</p>'
            if frame is not None and frame.priorities else
            '<p>The words that must stay are explained in the '
            '<a href="#glossary">Glossary</a>.</p>')
    return ('<section class="sna-summary" aria-labelledby="summary">'
            '<h2 id="summary">Summary and key findings</h2>' + "".join(intro)
            + f'<ol class="sna-findings">{items}</ol>{more}</section>')


_ACTION = {
    "clear rise": "Keep this at the centre of the action plan and find out what lies behind "
                  "the rise (more offences, or more of them reported and recorded) before "
                  "choosing actions.",
    "clearly higher": "Target the action plan's work here first, and check with partners what "
                      "lies behind the higher rate.",
    "clear fall": "Continue what is in place and keep monitoring: one year's fall is not yet "
                  "a lasting trend.",
    "clearly lower": "Keep monitoring; no extra action is indicated by this figure alone.",
    "no clear change": "Keep monitoring it every quarter; the figures do not yet show a change "
                       "either way.",
    "no clear difference": "Keep monitoring it; the figures show no clear difference.",
    "too few to say": "Do not read a trend into it yet; pool more months or areas before "
                      "deciding.",
    "clear pattern": "Plan services and patrols around this pattern, and check that it holds "
                     "in the force's own records.",
    "no clear pattern": "No action is indicated by this figure alone.",
}


def recommendations(frame: ReportFrame, findings: Sequence[Finding]
                    ) -> list[tuple[str, list[tuple[Finding, str]]]]:
    """Map findings to the partnership's priorities, each with a plain, non-overstated action.

    Returns one ``(priority, [(finding, action), ...])`` per priority in the frame's order,
    plus ``("Data gaps to close", ...)`` when any gap was recorded. A priority no finding
    bears on gets an empty list (the page then says that no figure measures it).

    Parameters
    ----------
    frame : ReportFrame
        What the report is about: title, area, period, priorities, real and demo sources.
    findings : sequence of Finding
        The report's key findings and data gaps.

    Returns
    -------
    list of (str, list of (Finding, str))
        Each priority with its findings and the action each suggests.

    Examples
    --------
    >>> frame = ReportFrame("T", "A", "P", priorities={"Weapons": ["weapons", "robbery"],
    ...                                                "Awareness": ["perception"]})
    >>> f = Finding("Robberies rose: a clear rise.", "clear rise", "p", "P", size=1, certainty=1,
    ...             topic="robbery")
    >>> [(name, len(items)) for name, items in recommendations(frame, [f])]
    [('Weapons', 1), ('Awareness', 0)]
    """
    out = []
    ordered = rank(findings, limit=len(findings))
    for name, topics in frame.priorities.items():
        bearing = [f for f in ordered if f.topic in set(topics)][:4]
        out.append((name, [(f, _ACTION.get(f.strength, _ACTION["no clear change"]))
                           for f in bearing]))
    gaps = [f for f in findings if f.kind == "gap"]
    if gaps:
        out.append(("Data gaps to close", [(f, f.action) for f in gaps]))
    return out


def recommendations_html(frame: ReportFrame, findings: Sequence[Finding]) -> str:
    """The Recommendations section: one block per priority, then the data gaps.

    Parameters
    ----------
    frame : ReportFrame
        What the report is about: title, area, period, priorities, real and demo sources.
    findings : sequence of Finding
        The report's key findings and data gaps.

    Returns
    -------
    str
        The recommendations as an HTML ``<section>``.

    Examples
    --------
    >>> frame = ReportFrame("T", "A", "P", priorities={"Weapons": ["weapons"]})
    >>> page = recommendations_html(frame, [])
    >>> 'id="recommendations"' in page and "No figure in this report" in page
    True
    """
    blocks = ['<section class="sna-recommendations" aria-labelledby="recommendations">',
              '<h2 id="recommendations">Recommendations</h2>',
              "<p>Each of the partnership's priorities below lists the findings that bear on "
              "it and what they suggest. They are prompts for the strategy and its action "
              "plan, not conclusions: the figures show what happened, not why. Findings from "
              "demo data must be re-run on real data before any use.</p>"]
    for name, items in recommendations(frame, findings):
        blocks.append(f"<h3>{html.escape(name)}</h3>")
        if not items:
            blocks.append("<p>No figure in this report measures this priority directly. "
                          "Agree with partners an indicator and the data to report it, so "
                          "that progress can be monitored.</p>")
            continue
        rows = []
        for finding, action in items:
            demo = " <em>(demo data)</em>" if finding.demo else ""
            rows.append(f"<li>{html.escape(finding.sentence)}{demo} "
                        f"{html.escape(action)}{_link(finding)}</li>")
        blocks.append(f"<ul>{''.join(rows)}</ul>")
    blocks.append("</section>")
    return "\n".join(blocks)


def glossary_html(*, terms: Mapping[str, str] = GLOSSARY) -> str:
    """The glossary of the few terms reader text keeps.

    Parameters
    ----------
    terms : mapping, default GLOSSARY
        Term -> plain-English meaning.

    Returns
    -------
    str
        The glossary as an HTML ``<section>``.

    Examples
    --------
    >>> 'id="glossary"' in glossary_html(terms={"Rate": "per 1,000 residents."})
    True
    """
    rows = "".join(f"<dt>{html.escape(term)}</dt><dd>{html.escape(text)}</dd>"
                   for term, text in terms.items())
    return ('<section class="sna-glossary" aria-labelledby="glossary">'
            '<h2 id="glossary">Glossary</h2>'
            f'<dl>{rows}</dl></section>')


def findings_from_json(payload: str | list) -> list[Finding]:
    """Findings back from a notebook output's :data:`FINDINGS_MIME` payload.

    Parameters
    ----------
    payload : str or list
        JSON text, or the list it decodes to, of :meth:`Finding.to_dict` records.

    Returns
    -------
    list of Finding

    Examples
    --------
    >>> f = Finding("A.", "clear rise", "s", "S", size=1.0, certainty=1.0, topic="violence")
    >>> findings_from_json(json.dumps([f.to_dict()])) == [f]
    True
    """
    items = json.loads(payload) if isinstance(payload, str) else payload
    names = set(Finding.__dataclass_fields__)
    return [Finding(**{k: v for k, v in item.items() if k in names}) for item in items]
