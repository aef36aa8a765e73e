"""Checks on an executed report notebook: errors, stderr and tracebacks.

``exclude_input`` hides code in the reviewer's HTML but not stderr streams or warnings,
so a report that printed a warning would show it to readers. The runner
fails such a report in strict mode; tests use the same check.

The second half reads what a rendered page publishes (tables, sentences, chart geometry)
for the leak checks: :func:`geometry_problems` and :func:`differencing_attack`.
"""

from __future__ import annotations

import html
import re
from typing import Any

import nbformat

__all__ = [
    "check_executed_notebook", "differencing_attack", "geometry_problems", "page_sentences",
    "page_svgs", "page_tables", "published_number", "source_cell_number",
]
#: Tags of cells papermill adds to the source notebook.
PAPERMILL_TAGS = ("injected-parameters", "papermill-error-cell-tag")


def _is_papermill_cell(cell: Any) -> bool:
    return any(tag in cell.get("metadata", {}).get("tags", []) for tag in PAPERMILL_TAGS)


def source_cell_number(nb: nbformat.NotebookNode, index: int) -> int:
    """Return the 1-based number, in the source notebook, of cell ``index`` of an executed one.

    Cells papermill inserted (injected parameters, error markers) are not counted, so the
    number matches the notebook the author edits.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed report notebook.
    index : int
        0-based index of the cell in the executed notebook.

    Returns
    -------
    int

    Examples
    --------
    >>> from nbformat.v4 import new_notebook, new_code_cell
    >>> injected = new_code_cell("x = 2", metadata={"tags": ["injected-parameters"]})
    >>> nb = new_notebook(cells=[new_code_cell("x = 1"), injected, new_code_cell("y = x")])
    >>> source_cell_number(nb, 2)
    2
    """
    return 1 + sum(1 for cell in nb.cells[:index] if not _is_papermill_cell(cell))


def _first_line(text: str, limit: int = 160) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    line = lines[0] if lines else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _output_problems(output: Any) -> list[str]:
    kind = output.get("output_type")
    if kind == "error":
        return [f"error output {output.get('ename')}: {_first_line(output.get('evalue', ''))}"]
    if kind == "stream" and output.get("name") == "stderr":
        return [f"stderr output: {_first_line(output.get('text', ''))}"]
    texts = [output.get("text", "")] if kind == "stream" else [
        value for value in output.get("data", {}).values() if isinstance(value, str)]
    if any("Traceback (most recent call last)" in text for text in texts):
        return ["output contains a Python traceback"]
    return []


def check_executed_notebook(nb: nbformat.NotebookNode | str) -> list[str]:
    r"""List problems in an executed notebook that must not reach a reviewer's report.

    Parameters
    ----------
    nb : NotebookNode or str or Path
        The executed notebook, or its path.

    Returns
    -------
    list of str
        One line per problem: ``"cell N: error output ..."``, ``"cell N: stderr output: ..."``
        or ``"cell N: output contains a Python traceback"``, with ``N`` the 1-based cell
        number in the source notebook. Empty when the notebook is clean.

    Examples
    --------
    >>> from nbformat.v4 import new_notebook, new_code_cell, new_output
    >>> cell = new_code_cell("import warnings; warnings.warn('old')")
    >>> cell.outputs = [new_output("stream", name="stderr", text="UserWarning: old\n")]
    >>> check_executed_notebook(new_notebook(cells=[new_code_cell("1"), cell]))
    ['cell 2: stderr output: UserWarning: old']
    """
    if not isinstance(nb, nbformat.NotebookNode):
        nb = nbformat.read(nb, as_version=4)
    problems = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            number = source_cell_number(nb, index)
            problems += [f"cell {number}: {problem}" for problem in _output_problems(output)]
    return problems


# ---------------------------------------------------------------- leaks on the rendered page
#
# A page publishes numbers in three places: tables, sentences and chart geometry (an
# inline SVG's mark positions can be read back through its axes). The helpers below read
# all three from a rendered report so that tests can run a differencing attack on it
# (issue 20): subtract every published total from the cells shown and see whether any
# suppressed count falls out.

_SUPPRESSED_TEXT = {"[c]", "[x]", "–", "-", "—", ""}
_TAGS = re.compile(r"<[^>]+>")
_TRANSLATE_NUMBERS = re.compile(r'transform="translate\(([-\d.e]+),\s*([-\d.e]+)\)"')
_PATH_NUMBERS = re.compile(r'\sd="([^"]*)"')
_DECIMALS = re.compile(r"\d+\.(\d+)")


def _plain(fragment: str) -> str:
    return html.unescape(_TAGS.sub("", fragment)).strip()


def page_tables(page: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """Every ``<table>`` of a page as ``(caption, header, rows)`` of plain text.

    Parameters
    ----------
    page : str
        The report's HTML page.

    Returns
    -------
    list of (str, list of str, list of list of str)

    Examples
    --------
    >>> page_tables("<table><caption>T</caption><thead><tr><th>a</th><th>b</th></tr>"
    ...             "</thead><tbody><tr><th>x</th><td>[c]</td></tr></tbody></table>")
    [('T', ['a', 'b'], [['x', '[c]']])]
    """
    tables = []
    for table in re.findall(r"<table.*?</table>", page, re.S):
        caption = re.search(r"<caption[^>]*>(.*?)</caption>", table, re.S)
        head = re.search(r"<thead>(.*?)</thead>", table, re.S)
        header = [_plain(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", head.group(1), re.S)] \
            if head else []
        body = re.search(r"<tbody>(.*?)</tbody>", table, re.S)
        rows = [[_plain(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
                for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1) if body else "",
                                      re.S)]
        tables.append((_plain(caption.group(1)) if caption else "", header, rows))
    return tables


def page_sentences(page: str) -> list[str]:
    """The plain text of every paragraph and list item outside tables and charts.

    Parameters
    ----------
    page : str
        The report's HTML page.

    Returns
    -------
    list of str
    """
    body = re.sub(r"<(table|svg|script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return [" ".join(_plain(p).split())
            for p in re.findall(r"<(?:p|li)\b[^>]*>(.*?)</(?:p|li)>", body, re.S)]


def page_svgs(page: str) -> list[str]:
    """Every top-level inline ``<svg>`` of a page (charts), nested ``<svg>`` kept inside.

    Parameters
    ----------
    page : str
        The report's HTML page.

    Returns
    -------
    list of str

    Examples
    --------
    >>> [len(s) for s in page_svgs("<p><svg><svg></svg></svg></p><svg></svg>")]
    [22, 11]
    """
    svgs, depth, start = [], 0, 0
    for tag in re.finditer(r"<(/?)svg\b[^>]*>", page):
        if tag.group(1):
            depth -= 1
            if depth == 0:
                svgs.append(page[start:tag.end()])
        else:
            if depth == 0:
                start = tag.start()
            depth += 1
    return svgs


def geometry_problems(page: str, *, position_decimals: int = 0,
                      path_decimals: int = 1) -> list[str]:
    """Chart geometry published with more precision than an axis can show.

    Mark positions (``translate``) may have ``position_decimals`` decimals, path data
    ``path_decimals``; more would let a reader invert the axes exactly.

    Parameters
    ----------
    page : str
        The report's HTML page.
    position_decimals : int, default 0
        Decimals allowed in mark positions.
    path_decimals : int, default 1
        Decimals allowed in path data.

    Returns
    -------
    list of str
        One message per finding; empty when none.

    Examples
    --------
    >>> geometry_problems('<svg><path transform="translate(12.3456,7)"/></svg>')
    ['chart 1: mark position translate(12.3456,7) finer than 0 decimal(s)']
    """
    problems = []
    for number, svg in enumerate(page_svgs(page), start=1):
        for x, y in _TRANSLATE_NUMBERS.findall(svg):
            if any(len(d) > position_decimals for v in (x, y) for d in _DECIMALS.findall(v)):
                problems.append(f"chart {number}: mark position translate({x},{y}) finer than "
                                f"{position_decimals} decimal(s)")
                break
        for data in _PATH_NUMBERS.findall(svg):
            if any(len(d) > path_decimals for d in _DECIMALS.findall(data)):
                problems.append(f"chart {number}: path data finer than {path_decimals} "
                                "decimal(s)")
                break
    return problems


def published_number(text: str) -> float | None:
    """A table cell or figure as a number (None when suppressed or not a number).

    Parameters
    ----------
    text : str
        The cell's text.

    Returns
    -------
    float or None

    Examples
    --------
    >>> published_number("1,234"), published_number("[c]"), published_number("12.5%")
    (1234.0, None, 12.5)
    """
    cleaned = text.strip().replace(",", "").rstrip("%")
    if cleaned in _SUPPRESSED_TEXT:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None


def differencing_attack(cells: list[float | None], sums: list[tuple[list[int], float]]
                        ) -> dict[int, float]:
    """Solve every unknown cell that the published sums determine exactly.

    Parameters
    ----------
    cells : list of float or None
        The cells as published (None where suppressed).
    sums : list of (positions, total)
        Each published total and the cells it adds up, wherever it was printed.

    Returns
    -------
    dict
        ``{position: value}`` for each suppressed cell an attacker recovers by linear
        algebra from the published cells and totals (empty when none).

    Examples
    --------
    >>> differencing_attack([None, 40, 52], [([0, 1, 2], 95)])
    {0: 3.0}
    >>> differencing_attack([None, None, 52], [([0, 1, 2], 95)])
    {}
    """
    import numpy as np

    unknown = [i for i, value in enumerate(cells) if value is None]
    if not unknown or not sums:
        return {}
    rows, rhs = [], []
    for members, total in sums:
        known = sum(cells[i] for i in members if cells[i] is not None)
        rows.append([1.0 if i in set(members) else 0.0 for i in unknown])
        rhs.append(total - known)
    a, b = np.array(rows), np.array(rhs)
    rank = np.linalg.matrix_rank(a)
    solution = np.linalg.lstsq(a, b, rcond=None)[0]
    found = {}
    for k, position in enumerate(unknown):
        unit = np.zeros(len(unknown))
        unit[k] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found[position] = float(round(solution[k], 6))
    return found
