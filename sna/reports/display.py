"""Thin display helpers for report notebooks: accessible tables, markdown, banners.

Every helper returns an IPython display object whose HTML is deterministic (no random
ids, no timestamps), so two runs of a report on the same inputs give the same page.

Examples
--------
>>> import pandas as pd
>>> out = table(pd.DataFrame({"area": ["York"], "offences": [1234]}), caption="Offences")
>>> "<caption>Offences</caption>" in out.data and "1,234" in out.data
True
"""

from __future__ import annotations

import html
import numbers
import textwrap
from collections.abc import Mapping
from typing import Any

import pandas as pd
from IPython.display import HTML, Markdown

from sna.checks import is_number
from sna.errors import SnaInputError
from sna.wording import MISSING, format_count, format_rate, is_missing

__all__ = ["format_cell", "heading", "markdown", "synthetic_banner", "table"]

SYNTHETIC_TEXT = ("SYNTHETIC DEMO DATA: the figures marked as demo in this report are made up "
                  "for demonstration and must not be used for decisions.")


def format_cell(value: Any, *, na: str = MISSING, decimals: int = 1) -> str:
    """One table value as text: counts with separators, other numbers to fixed decimals.

    Numbers are printed by :mod:`sna.wording` (:func:`~sna.wording.format_count`,
    :func:`~sna.wording.format_rate` with the column's decimals); a missing value is ``na``.

    Parameters
    ----------
    value : object
        A scalar from a DataFrame.
    na : str, default :data:`sna.wording.MISSING`
        Text shown for a missing value (e.g. ``"suppressed"`` for disclosure-controlled
        tables).
    decimals : int, default 1
        Decimal places for non-integer numbers.

    Returns
    -------
    str
        Plain text (not yet HTML-escaped).

    Examples
    --------
    >>> format_cell(1234567), format_cell(1234.5678, decimals=2), format_cell(None)
    ('1,234,567', '1,234.57', '–')
    >>> format_cell(float("nan"), na="suppressed"), format_cell(True), format_cell("York")
    ('suppressed', 'True', 'York')
    """
    if is_missing(value):
        return na
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return format_count(value)
    if isinstance(value, numbers.Real):
        return format_rate(value, decimals=decimals)
    return str(value)


def _label(value: Any) -> str:
    if isinstance(value, tuple):
        return " / ".join(str(part) for part in value)
    return str(value)


def _has_default_index(frame: pd.DataFrame) -> bool:
    index = frame.index
    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1


def _whole_columns(frame: pd.DataFrame) -> set:
    """Numeric columns whose every value is a whole number (counts): shown without decimals."""
    whole = set()
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            continue
        values = pd.to_numeric(series, errors="coerce").dropna()
        if pd.api.types.is_integer_dtype(series) or (
                len(values) and (values.astype(float) % 1 == 0).all()):
            whole.add(column)
    return whole


def _numeric_columns(frame: pd.DataFrame) -> dict:
    return {column: pd.api.types.is_numeric_dtype(frame[column])
            and not pd.api.types.is_bool_dtype(frame[column]) for column in frame.columns}


def _body_rows(frame: pd.DataFrame, show_index: bool, na: str,
               decimals: int | Mapping[str, int]) -> list[str]:
    numeric = _numeric_columns(frame)
    whole = _whole_columns(frame)
    rows = []
    for label, values in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        cells = [f'<th scope="row">{html.escape(_label(label))}</th>'] if show_index else []
        for column, value in zip(frame.columns, values, strict=True):
            named = isinstance(decimals, Mapping) and column in decimals
            places = decimals.get(column, 1) if isinstance(decimals, Mapping) else decimals
            if column in whole and not named:
                places = 0
            text = html.escape(format_cell(value, na=na, decimals=places))
            css = ' class="sna-num"' if numeric[column] or is_number(value) else ""
            cells.append(f"<td{css}>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return rows


def table(
    frame: pd.DataFrame,
    caption: str,
    *,
    note: str | None = None,
    na: str = MISSING,
    decimals: int | Mapping[str, int] = 1,
    index: bool | None = None,
) -> HTML:
    r"""Render a DataFrame as an accessible HTML ``<table>`` with a ``<caption>``.

    Parameters
    ----------
    frame : DataFrame
        Already aggregated (and disclosure-controlled) table to show.
    caption : str
        Table caption, read out by screen readers before the table.
    note : str, optional
        A footnote under the table (e.g. how suppression was applied).
    na : str, default :data:`sna.wording.MISSING`
        Text for missing values; use ``"suppressed"`` for suppressed cells.
    decimals : int or mapping of column to int, default 1
        Decimal places for non-integer numbers, for all or per column. Numeric columns
        whose values are all whole numbers (counts, residents) are shown without decimals
        unless the mapping names them. Numbers and their headers are right-aligned, text
        left-aligned.
    index : bool, optional
        Show the index as row headers; by default only when it is not a plain 0..n-1 range.

    Returns
    -------
    IPython.display.HTML

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"strand": ["race", "religion"], "count": [1520, None]})
    >>> page = table(frame, caption="Hate crimes", na="suppressed").data
    >>> print(page.replace("<tr>", "\n<tr>"))
    <table class="sna-table"><caption>Hate crimes</caption><thead>
    <tr><th scope="col">strand</th><th scope="col" class="sna-num">count</th></tr></thead><tbody>
    <tr><td>race</td><td class="sna-num">1,520</td></tr>
    <tr><td>religion</td><td class="sna-num">suppressed</td></tr></tbody></table>
    """
    show_index = not _has_default_index(frame) if index is None else index
    headers = []
    if show_index:
        name = _label(frame.index.name) if frame.index.name is not None else ""
        headers.append(f'<th scope="col">{html.escape(name)}</th>')
    numeric = _numeric_columns(frame)
    num_class = ' class="sna-num"'
    headers += [f'<th scope="col"{num_class if numeric[c] else ""}>'
                f"{html.escape(_label(c))}</th>" for c in frame.columns]
    parts = [
        '<table class="sna-table">',
        f"<caption>{html.escape(caption)}</caption>",
        "<thead><tr>" + "".join(headers) + "</tr></thead>",
        "<tbody>" + "".join(_body_rows(frame, show_index, na, decimals)) + "</tbody>",
        "</table>",
    ]
    if note:
        parts.append(f'<p class="sna-table-note">{html.escape(note)}</p>')
    return HTML("".join(parts))


def markdown(text: str) -> Markdown:
    r"""Show markdown text (dedented); headings in it get anchors and join the contents.

    Parameters
    ----------
    text : str
        Markdown, indented as in the notebook's source.

    Returns
    -------
    IPython.display.Markdown

    Examples
    --------
    >>> markdown('''
    ...     ## Findings
    ...     Offences rose.
    ... ''').data
    '## Findings\nOffences rose.'
    """
    return Markdown(textwrap.dedent(text).strip())


def heading(text: str, *, level: int = 2) -> Markdown:
    """Show a markdown heading of ``level`` 1-6 (built from data, e.g. an area name).

    Parameters
    ----------
    text : str
        The heading's words (markdown).
    level : int, default 2
        1 for the title, 2 for sections, 3 for subsections.

    Returns
    -------
    IPython.display.Markdown

    Raises
    ------
    SnaInputError
        ``level`` is not a whole number from 1 to 6.

    Examples
    --------
    >>> heading("York", level=3).data
    '### York'
    """
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 6:
        raise SnaInputError(f"heading level must be 1 to 6, got {level!r}", column="level",
                            value=level, fix="use 1 for the title, 2 for sections and 3 for "
                                             "subsections")
    return Markdown(f"{'#' * level} {text}")


def synthetic_banner(*, text: str = SYNTHETIC_TEXT) -> HTML:
    """Show a prominent banner (``role="note"``) warning that the data are synthetic.

    Parameters
    ----------
    text : str, default :data:`SYNTHETIC_TEXT`
        The warning (escaped).

    Returns
    -------
    IPython.display.HTML

    Examples
    --------
    >>> 'role="note"' in synthetic_banner().data
    True
    """
    return HTML(f'<div class="sna-synthetic-banner" role="note"><strong>'
                f"{html.escape(text)}</strong></div>")
