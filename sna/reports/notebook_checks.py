"""Checks on an executed report notebook: errors, stderr and tracebacks.

``exclude_input`` hides code in the reviewer's HTML but not stderr streams or warnings,
so a report that printed a warning would show it to readers. The runner
fails such a report in strict mode; tests use the same check.
"""

from __future__ import annotations

from typing import Any

import nbformat

__all__ = [
    "check_executed_notebook",
    "source_cell_number",
]

#: Tags of cells papermill adds to the source notebook.
PAPERMILL_TAGS = ("injected-parameters", "papermill-error-cell-tag")


def _is_papermill_cell(cell: Any) -> bool:
    return any(tag in cell.get("metadata", {}).get("tags", []) for tag in PAPERMILL_TAGS)


def source_cell_number(nb: nbformat.NotebookNode, index: int) -> int:
    """Return the 1-based number, in the source notebook, of cell ``index`` of an executed one.

    Cells papermill inserted (injected parameters, error markers) are not counted, so the
    number matches the notebook the author edits.

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
