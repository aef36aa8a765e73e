"""A report section: sentences, tables and figures built by the library, shown by a notebook.

Analysis functions return a :class:`Section`; a notebook cell only calls the
function and lets the section display itself, so no logic lives in notebooks
and every figure in a sentence comes from the same object as the table.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sna.stats.disclosure import DisclosurePolicy, suppress_counts

__all__ = [
    "Section",
    "publish_counts",
]


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

    def _repr_html_(self) -> str:
        return "\n".join(content for _, content in self.blocks)


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
