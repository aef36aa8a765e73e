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

An analyst can explore a section: its tables, figures and intermediate results are
attributes (``section.table_1``, ``section.figure_1``, ``section.year_on_year``...), listed by
tab completion and by ``repr(section)``, each with the table's or figure's caption as its
docstring (``section.table_1?`` in IPython) and its type as the return annotation.
``section.results[...]`` keeps working.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import keyword
import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from sna.errors import SnaInputError
from sna.reports.findings import FINDINGS_MIME, Finding
from sna.stats.disclosure import DisclosurePolicy, suppress_counts

__all__ = ["NotAvailable", "Section", "SectionResults", "anchor_id", "degrades",
           "publish_counts"]

TECHNICAL_SUMMARY = "Technical appendix: methods, tests and model checks for this section"


class SectionResults(dict):
    """The ``results`` of a :class:`Section`: a dict whose keys also become attributes."""

    def __init__(self, owner: Section, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._owner = owner

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self._owner._refresh()

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._owner._refresh()

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Update as :meth:`dict.update` does, then refresh the section's attributes.

        Parameters
        ----------
        *args
            As :meth:`dict.update`.
        **kwargs
            As :meth:`dict.update`.
        """
        super().update(*args, **kwargs)
        self._owner._refresh()

    def __reduce__(self):
        return dict, (dict(self),)


def _first_line(text: str, limit: int = 90) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


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

    Parameters
    ----------
    function : callable
        A section function.

    Returns
    -------
    callable
        The function, returning a "Not available" section instead of raising :class:`NotAvailable`.

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


class Section:
    """Blocks to show, in order, plus the tables, figures and results behind them.

    Parameters
    ----------
    blocks : list of (kind, content), optional
        Initial blocks: ``("html", str)`` or ``("figure", Figure)``.
    results : dict, optional
        Intermediate results (statistics, tidy tables) kept for analysts and tests.
    anchor, title : str, optional
        The section's anchor id and title (findings link to them).
    findings : list of Finding, optional
        Key findings and data gaps (see :meth:`finding`, :meth:`gap`).
    appendix : bool, default False
        Show the whole section inside the technical-appendix ``<details>`` block.

    Attributes
    ----------
    results : dict
        As given and added to; each key that is a valid name is also an attribute.
    tables : dict of str to pandas.DataFrame
        The published tables by name (``table_1``, ... unless named).
    figures : dict of str to Figure
        The figures by name (``figure_1``, ... unless named).

    Notes
    -----
    Displayed in a notebook, a section emits its HTML blocks and, between them, each figure
    as its own output (Vega-Lite in JupyterLab, PNG where untrusted, inline SVG in the HTML
    report; see :class:`sna.reports.charts.Figure`). ``_repr_html_`` gives the whole
    section as the report shows it.

    Examples
    --------
    >>> s = Section(results={"total": 42})
    >>> s.text("Violence rose.")
    >>> s.table(pd.DataFrame({"area": ["York"], "count": [1200]}), "Offences by area",
    ...         name="by_area")
    >>> "<p>Violence rose.</p>" in s._repr_html_()
    True
    >>> s.by_area["count"].tolist(), s.total
    ([1200], 42)
    >>> type(s).by_area.__doc__
    'Table: Offences by area'
    >>> [n for n in dir(s) if n in ("by_area", "total")]
    ['by_area', 'total']
    """

    def __init__(self, *, blocks: list[tuple[str, Any]] | None = None,
                 results: dict[str, Any] | None = None, anchor: str = "", title: str = "",
                 findings: list[Finding] | None = None, appendix: bool = False) -> None:
        self.blocks: list[tuple[str, Any]] = list(blocks or [])
        self.anchor, self.title, self.appendix = anchor, title, appendix
        self.findings: list[Finding] = list(findings or [])
        self.tables: dict[str, pd.DataFrame] = {}
        self.figures: dict[str, Any] = {}
        self._docs: dict[str, str] = {}
        self.results = SectionResults(self, results or {})
        self._refresh()

    # ------------------------------------------------------------------ building
    def text(self, sentence: str) -> None:
        """Add a paragraph for readers (plain text, escaped).

        Parameters
        ----------
        sentence : str
            One plain-English sentence.
        """
        self.blocks.append(("html", f"<p>{html.escape(sentence)}</p>"))

    def note(self, sentence: str) -> None:
        """Add a small-print note for readers (caveats in plain words).

        Parameters
        ----------
        sentence : str
            One plain-English sentence.
        """
        self.blocks.append(("html", f'<p class="sna-note"><em>{html.escape(sentence)}</em></p>'))

    def technical(self, sentence: str) -> None:
        """Add a paragraph to the section's technical appendix (tests, models, p-values).

        Parameters
        ----------
        sentence : str
            One plain-English sentence.
        """
        self.blocks.append(("technical", f"<p>{html.escape(sentence)}</p>"))

    def table(self, frame: pd.DataFrame, caption: str, *, note: str | None = None,
              decimals: int | dict = 1, technical: bool = False, name: str | None = None,
              **options: Any) -> None:
        """Add a published table (already aggregated and suppressed).

        ``technical=True`` puts it in the section's technical appendix; ``name`` (default
        ``table_<n>``) makes it the attribute ``section.<name>``; other keyword options go to
        :func:`sna.reports.display.table`.

        Parameters
        ----------
        frame : pandas.DataFrame
            The table, already aggregated and suppressed.
        caption : str
            The table's caption.
        note : str, optional
            A note under the table (e.g. the suppression rule).
        decimals : int or dict, default 1
            Decimals of numbers, or column -> decimals.
        technical : bool, default False
            Put the table in the section's technical appendix.
        name : str, optional
            Attribute name for the item (``section.<name>``); default ``table_<n>`` /
            ``figure_<n>``.
        **options
            Other options of :func:`sna.reports.display.table`.
        """
        from sna.reports.display import table

        self.blocks.append(("technical" if technical else "html",
                            table(frame, caption, note=note, decimals=decimals, **options).data))
        self._register(self.tables, name or f"table_{len(self.tables) + 1}", frame,
                       f"Table: {caption}")

    def figure(self, described, *, caption: str | None = None,
               table: pd.DataFrame | None = None, table_caption: str | None = None,
               name: str | None = None) -> None:
        """Add a chart (a DescribedChart from sna.reports.charts) as an accessible figure.

        ``name`` (default ``figure_<n>``) makes the :class:`~sna.reports.charts.Figure` the
        attribute ``section.<name>`` (its ``.chart`` is the Altair chart).

        Parameters
        ----------
        described : DescribedChart
            A chart with its title, alt text and data (:mod:`sna.reports.charts`).
        caption : str, optional
            The figure's caption; default: the chart's title.
        table : pandas.DataFrame, optional
            The chart's data as a table under the figure (already suppressed).
        table_caption : str, optional
            The table's caption.
        name : str, optional
            Attribute name for the item (``section.<name>``); default ``table_<n>`` /
            ``figure_<n>``.
        """
        from sna.reports.charts import Figure

        if isinstance(described, Figure):
            figure = dataclasses.replace(
                described, caption=described.caption if caption is None else caption,
                table=described.table if table is None else table,
                table_caption=described.table_caption if table_caption is None else table_caption)
        else:
            figure = Figure(described, None, caption=caption, table=table,
                            table_caption=table_caption)
        self.blocks.append(("figure", figure))
        self._register(self.figures, name or f"figure_{len(self.figures) + 1}", figure,
                       f"Figure: {figure.title or figure.alt}")

    def finding(self, finding: Finding) -> None:
        """Record a key finding (it links to this section's anchor).

        Parameters
        ----------
        finding : Finding
            A key finding (:mod:`sna.reports.findings`).
        """
        if self.anchor and not finding.section:
            finding = Finding(**{**finding.to_dict(), "section": self.anchor,
                                 "section_title": self.title})
        self.findings.append(finding)

    def gap(self, sentence: str, action: str, *, topic: str = "") -> None:
        """Record a data gap: what is missing and what would close it (a recommendation).

        Parameters
        ----------
        sentence : str
            What is missing, in plain words.
        action : str
            What would close the gap (a recommendation).
        topic : str, default ""
            The priority topic the gap affects.
        """
        self.findings.append(Finding(sentence, "data gap", self.anchor, self.title,
                                     topic=topic, kind="gap", action=action))

    def unavailable(self, reason: str) -> None:
        """Add a "Not available: <reason>" note (a part of the section that cannot be shown).

        Parameters
        ----------
        reason : str
            Why it is not available, in plain words.
        """
        self.blocks.append(("html", '<p class="sna-unavailable"><strong>Not available:</strong> '
                                    f"{html.escape(reason)}</p>"))

    @classmethod
    def not_available(cls, reason: str) -> Section:
        """A section holding only a "Not available: <reason>" note.

        Parameters
        ----------
        reason : str
            Why it is not available, in plain words.

        Returns
        -------
        Section
            Displays itself in a notebook; ``results`` holds the figures behind its sentences.

        Examples
        --------
        >>> page = Section.not_available("no extract")._repr_html_()
        >>> "Not available:</strong> no extract" in page
        True
        """
        section = cls(results={"not_available": reason})
        section.unavailable(reason)
        return section

    def _register(self, where: dict[str, Any], name: str, value: Any, doc: str) -> None:
        if not name.isidentifier() or keyword.iskeyword(name) or name in _SECTION_NAMES:
            raise ValueError(f"section attribute name {name!r} is not a free Python name")
        where[name] = value
        self._docs[name] = doc
        self._refresh()

    # ----------------------------------------------------------------- exploring
    def _attributes(self) -> dict[str, tuple[Any, str]]:
        """Name -> (value, docstring) of every table, figure and result reachable by name."""
        named: dict[str, tuple[Any, str]] = {}
        for key, value in getattr(self, "results", {}).items():
            if (isinstance(key, str) and key.isidentifier() and not keyword.iskeyword(key)
                    and key not in _SECTION_NAMES):
                about = _first_line((type(value).__doc__ or "").strip().split("\n")[0], 70)
                named[key] = (value, f"Result {key!r}: {type(value).__name__}"
                                     + (f" ({about})" if about else "")
                                     + f"; also section.results[{key!r}]")
        for where in (getattr(self, "tables", {}), getattr(self, "figures", {})):
            for key, value in where.items():
                named[key] = (value, self._docs[key])
        return named

    def _refresh(self) -> None:
        """Give this section a class whose properties are its current tables, figures, results.

        Real properties (with docstrings and return annotations) are what IPython's tab
        completion, ``?`` and Jedi show; each section gets its own small subclass.
        """
        if not hasattr(self, "tables"):
            return
        namespace: dict[str, Any] = {"__module__": __name__, "__doc__": Section.__doc__,
                                     "__qualname__": "Section"}
        for name, (value, doc) in self._attributes().items():
            def getter(section: Section, _name: str = name) -> Any:
                return section._attributes()[_name][0]
            getter.__annotations__ = {"return": type(value)}
            getter.__doc__ = doc
            namespace[name] = property(getter, doc=doc)
        self.__class__ = type("Section", (Section,), namespace)

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: a result added without SectionResults.__setitem__
        results = self.__dict__.get("results")
        if results is not None and name in results and name not in _SECTION_NAMES:
            return results[name]
        raise AttributeError(f"section has no table, figure or result named {name!r}")

    def __reduce__(self):
        state = {"blocks": self.blocks, "tables": self.tables, "figures": self.figures,
                 "_docs": self._docs, "results": dict(self.results), "anchor": self.anchor,
                 "title": self.title, "findings": self.findings, "appendix": self.appendix}
        return _restore_section, (state,)

    def __repr__(self) -> str:
        lines = [f"Section with {len(self.tables)} table(s), {len(self.figures)} figure(s), "
                 f"{len(self.results)} result(s); explore as attributes:"]
        for name, (value, doc) in self._attributes().items():
            lines.append(f"  .{name}: {type(value).__name__}  {_first_line(doc)}")
        return "\n".join(lines)

    # ------------------------------------------------------------------- showing
    def _block_html(self, kind: str, content: Any) -> str:
        return content.html() if kind == "figure" else content

    def _parts(self) -> list[tuple[str, Any]]:
        """("html", str) and ("figure", Figure) parts in display order (appendix last)."""
        reader = [(k, c) for k, c in self.blocks if k != "technical"]
        technical = [(k, c) for k, c in self.blocks if k == "technical"]
        if self.appendix:
            technical, reader = reader + technical, []
        parts: list[tuple[str, Any]] = [
            ("html", f'<span class="sna-anchor" id="{html.escape(self.anchor)}"></span>')
        ] if self.anchor else []
        parts += [("figure" if k == "figure" else "html", c) for k, c in reader]
        if technical:
            parts.append(("html", f'<details class="sna-technical"><summary>{TECHNICAL_SUMMARY}'
                                  "</summary>" + "\n".join(self._block_html(k, c)
                                                           for k, c in technical)
                                  + "</details>"))
        return parts

    def _block_html(self, kind: str, content: Any) -> str:
        return content.html() if kind == "figure" else content

    def _repr_html_(self) -> str:
        """The section as the report shows it (figures as inline SVG)."""
        return "\n".join(self._block_html(kind, content) for kind, content in self._parts())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        bundle: dict[str, Any] = {"text/html": self._repr_html_()}
        if self.findings:
            bundle[FINDINGS_MIME] = [finding.to_dict() for finding in self.findings]
        return bundle

    def _ipython_display_(self) -> None:
        """Show the HTML parts, with each figure as its own output (see Notes).

        The section's findings travel with its last HTML output.
        """
        from IPython.display import display

        outputs: list[Any] = []
        pending: list[str] = []
        for kind, content in self._parts():
            if kind == "figure":
                if pending:
                    outputs.append({"text/html": "\n".join(pending)})
                    pending = []
                outputs.append(content)
            else:
                pending.append(content)
        if pending or not outputs or self.findings:
            outputs.append({"text/html": "\n".join(pending)})
        if self.findings:
            outputs[-1][FINDINGS_MIME] = [finding.to_dict() for finding in self.findings]
        for output in outputs:
            if isinstance(output, dict):
                display(output, raw=True)
            else:
                display(output)


def anchor_id(title: str) -> str:
    """A stable anchor id for a section title.

    Parameters
    ----------
    title : str
        A section title.

    Returns
    -------
    str
        An HTML id made from the title.

    Examples
    --------
    >>> anchor_id("Where: districts, rurality and neighbourhoods")
    'sec-where-districts-rurality-and-neighbourhoods'
    """
    return "sec-" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


_SECTION_NAMES = frozenset(name for name in dir(Section) if not name.startswith("__")) | {
    "blocks", "results", "tables", "figures", "anchor", "title", "findings", "appendix"}


def _restore_section(state: dict[str, Any]) -> Section:
    section = Section.__new__(Section)
    section.blocks, section.tables = state["blocks"], state["tables"]
    section.figures, section._docs = state["figures"], state["_docs"]
    section.anchor, section.title = state["anchor"], state["title"]
    section.findings, section.appendix = state["findings"], state["appendix"]
    section.results = SectionResults(section, state["results"])
    section._refresh()
    return section


def publish_counts(frame: pd.DataFrame, count_cols: list[str], policy: DisclosurePolicy,
                   *, derived: list[str] | None = None) -> pd.DataFrame:
    """Suppress small counts (and what is derived from them) for a published table.

    The flag columns added by :func:`sna.stats.disclosure.suppress_counts` are dropped
    from the returned table; suppressed cells show as missing (rendered as a dash).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to publish.
    count_cols : list of str
        Columns of counts to suppress.
    policy : DisclosurePolicy
        The rule for suppressing small counts in published tables and charts.
    derived : list of str, optional
        Columns derived from the counts (rates, limits), hidden with them.

    Returns
    -------
    pandas.DataFrame
        The table with suppressed counts (and their derived values) missing.

    Examples
    --------
    >>> df = pd.DataFrame({"area": ["a", "b"], "count": [3, 40], "rate": [0.1, 1.2]})
    >>> out = publish_counts(df, ["count"], DisclosurePolicy(min_count=5), derived=["rate"])
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
