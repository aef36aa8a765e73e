"""A report section: sentences, tables and figures built by the library, shown by a notebook.

Analysis functions return a :class:`Section`; a notebook cell only calls the
function and lets the section display itself, so no logic lives in notebooks
and every figure in a sentence comes from the same object as the table.

Two layers of language: :meth:`Section.text`, :meth:`Section.table` and
:meth:`Section.figure` are for readers (plain English); :meth:`Section.technical` and
``table(..., technical=True)`` go to the section's technical appendix, a ``<details>``
block one click away at the end of the section (tests, models, p-values). A section
also records its key findings and data gaps (:mod:`sna.reports.findings`), which the
renderer gathers into the report's summary and recommendations.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sna.errors import SnaInputError
from sna.reports.findings import FINDINGS_MIME, Finding
from sna.stats.disclosure import DisclosurePolicy, suppress_counts

__all__ = [
    "NotAvailable",
    "Section",
    "degrades",
    "anchor_id",
    "publish_counts",
]

TECHNICAL_SUMMARY = "Technical appendix: methods, tests and model checks for this section"


class NotAvailable(SnaInputError):
    """A section (or part of one) cannot be produced for lack of data; says why.

    :func:`degrades` turns it into a "Not available: ..." note, so the report still
    renders. It is a :class:`~sna.errors.SnaInputError`, so code calling a section
    function directly gets the usual actionable error.

    Examples
    --------
    >>> str(NotAvailable("no force extract was given", fix="set 'extract'"))
    "no force extract was given. Fix: set 'extract'."
    """


def degrades(function: Callable[..., Section]) -> Callable[..., Section]:
    """Let a section function answer "Not available: ..." instead of failing for lack of data.

    Only :class:`NotAvailable` is caught; any other error still stops the report.

    Examples
    --------
    >>> @degrades
    ... def needs_extract(extract):
    ...     if extract is None:
    ...         raise NotAvailable("no force extract was given", fix="set 'extract'")
    ...     return Section()
    >>> needs_extract(None).results["not_available"]
    'no force extract was given'
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs) -> Section:
        try:
            return function(*args, **kwargs)
        except NotAvailable as err:
            return Section.not_available(err.problem)

    return wrapper


@dataclass
class Section:
    """Blocks to show, in order, plus the result objects behind them.

    Examples
    --------
    >>> s = Section()
    >>> s.text("Violence rose.")
    >>> "<p>Violence rose.</p>" in s._repr_html_()
    True
    """

    blocks: list[tuple[str, Any]] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)
    anchor: str = ""
    title: str = ""
    findings: list[Finding] = field(default_factory=list)
    appendix: bool = False

    def text(self, sentence: str) -> None:
        """Add a paragraph for readers (plain text, escaped)."""
        self.blocks.append(("html", f"<p>{html.escape(sentence)}</p>"))

    def note(self, sentence: str) -> None:
        """Add a small-print note for readers (caveats in plain words)."""
        self.blocks.append(("html", f'<p class="sna-note"><em>{html.escape(sentence)}</em></p>'))

    def technical(self, sentence: str) -> None:
        """Add a paragraph to the section's technical appendix (tests, models, p-values)."""
        self.blocks.append(("technical", f"<p>{html.escape(sentence)}</p>"))

    def table(self, frame: pd.DataFrame, caption: str, note: str | None = None,
              decimals: int | dict = 1, technical: bool = False, **options: Any) -> None:
        """Add a published table (already aggregated and suppressed).

        ``technical=True`` puts it in the section's technical appendix; other keyword
        options go to :func:`sna.reports.display.table`.
        """
        from sna.reports.display import table

        self.blocks.append(("technical" if technical else "html",
                            table(frame, caption, note, decimals=decimals, **options).data))

    def figure(self, described, caption: str | None = None, table: pd.DataFrame | None = None,
               table_caption: str | None = None) -> None:
        """Add a chart (a DescribedChart from sna.reports.charts) as an accessible SVG figure."""
        from sna.reports.charts import figure_html

        self.blocks.append(("html", figure_html(described, caption=caption, table=table,
                                                table_caption=table_caption)))

    def finding(self, finding: Finding) -> None:
        """Record a key finding (it links to this section's anchor)."""
        if self.anchor and not finding.section:
            finding = Finding(**{**finding.to_dict(), "section": self.anchor,
                                 "section_title": self.title})
        self.findings.append(finding)

    def gap(self, sentence: str, action: str, topic: str = "") -> None:
        """Record a data gap: what is missing and what would close it (a recommendation)."""
        self.findings.append(Finding(sentence, "data gap", self.anchor, self.title,
                                     topic=topic, kind="gap", action=action))

    def unavailable(self, reason: str) -> None:
        """Add a "Not available: <reason>" note (a part of the section that cannot be shown)."""
        self.blocks.append(("html", '<p class="sna-unavailable"><strong>Not available:</strong> '
                                    f"{html.escape(reason)}</p>"))

    @classmethod
    def not_available(cls, reason: str) -> Section:
        """A section holding only a "Not available: <reason>" note.

        Examples
        --------
        >>> page = Section.not_available("no extract")._repr_html_()
        >>> "Not available:</strong> no extract" in page
        True
        """
        section = cls(results={"not_available": reason})
        section.unavailable(reason)
        return section

    def _repr_html_(self) -> str:
        reader = [content for kind, content in self.blocks if kind != "technical"]
        technical = [content for kind, content in self.blocks if kind == "technical"]
        parts = [f'<span class="sna-anchor" id="{html.escape(self.anchor)}"></span>'] \
            if self.anchor else []
        if self.appendix:
            technical, reader = reader + technical, []
        parts += reader
        if technical:
            parts.append(f'<details class="sna-technical"><summary>{TECHNICAL_SUMMARY}'
                         "</summary>" + "\n".join(technical) + "</details>")
        return "\n".join(parts)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle: dict[str, Any] = {"text/html": self._repr_html_()}
        if self.findings:
            bundle[FINDINGS_MIME] = [finding.to_dict() for finding in self.findings]
        return bundle


def anchor_id(title: str) -> str:
    """A stable anchor id for a section title.

    Examples
    --------
    >>> anchor_id("Where: districts, rurality and neighbourhoods")
    'sec-where-districts-rurality-and-neighbourhoods'
    """
    return "sec-" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def publish_counts(frame: pd.DataFrame, count_cols: list[str], policy: DisclosurePolicy,
                   derived: list[str] | None = None) -> pd.DataFrame:
    """Suppress small counts (and what is derived from them) for a published table.

    The flag columns added by :func:`sna.stats.disclosure.suppress_counts` are dropped
    from the returned table; suppressed cells show as missing (rendered as a dash).

    Examples
    --------
    >>> df = pd.DataFrame({"area": ["a", "b"], "count": [3, 40], "rate": [0.1, 1.2]})
    >>> out = publish_counts(df, ["count"], DisclosurePolicy(min_count=5), ["rate"])
    >>> out["count"].isna().tolist(), out["rate"].isna().tolist()
    ([True, False], [True, False])
    """
    published = suppress_counts(frame, count_cols, policy)
    flags = [c for c in published.columns if c not in frame.columns]
    hidden = published[flags].filter(like="suppress").any(axis=1)
    out = published.drop(columns=flags)
    for column in derived or []:
        out[column] = out[column].astype("Float64").mask(hidden.to_numpy())
    return out
