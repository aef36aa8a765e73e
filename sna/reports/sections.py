"""A report section: sentences, tables and figures built by the library, shown by a notebook.

Analysis functions return a :class:`Section`; a notebook cell only calls the
function and lets the section display itself, so no logic lives in notebooks
and every figure in a sentence comes from the same object as the table.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sna.errors import SnaInputError
from sna.stats.disclosure import DisclosurePolicy, suppress_counts

__all__ = [
    "NotAvailable",
    "Section",
    "degrades",
    "publish_counts",
]


class NotAvailable(SnaInputError):
    """A section (or part of one) cannot be produced for lack of data; says why.

    Raised by section functions when an input the section needs is absent or does not
    cover the period (no force extract, no published series, a series too short, an area
    without IMD). :func:`degrades` turns it into a "Not available: ..." note, so the
    report still renders. It is a :class:`~sna.errors.SnaInputError`, so code calling a
    section function directly gets the usual actionable error.

    Examples
    --------
    >>> str(NotAvailable("no force extract was given", fix="set 'extract'"))
    "no force extract was given. Fix: set 'extract'."
    """


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

    def text(self, sentence: str) -> None:
        """Add a paragraph (plain text, escaped)."""
        self.blocks.append(("html", f"<p>{html.escape(sentence)}</p>"))

    def note(self, sentence: str) -> None:
        """Add a small-print note (for caveats and methods)."""
        self.blocks.append(("html", f'<p class="sna-note"><em>{html.escape(sentence)}</em></p>'))

    def table(self, frame: pd.DataFrame, caption: str, note: str | None = None,
              decimals: int | dict = 1) -> None:
        """Add a published table (already aggregated and suppressed)."""
        from sna.reports.display import table

        self.blocks.append(("html", table(frame, caption, note, decimals=decimals).data))

    def figure(self, described, caption: str | None = None, table: pd.DataFrame | None = None,
               table_caption: str | None = None) -> None:
        """Add a chart (a DescribedChart from sna.reports.charts) as an accessible SVG figure."""
        from sna.reports.charts import figure_html

        self.blocks.append(("html", figure_html(described, caption=caption, table=table,
                                                table_caption=table_caption)))

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
        return "\n".join(content for _, content in self.blocks)


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
