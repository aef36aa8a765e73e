"""check_executed_notebook: error outputs, stderr and tracebacks, with source cell numbers."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from sna.reports import check_executed_notebook
from sna.reports.notebook_checks import source_cell_number


def _cell(*outputs, tags=()):
    cell = new_code_cell("x", metadata={"tags": list(tags)} if tags else {})
    cell.outputs = list(outputs)
    return cell


def test_clean_notebook_has_no_problems():
    nb = new_notebook(cells=[
        new_markdown_cell("# T"),
        _cell(new_output("stream", name="stdout", text="hello\n")),
        _cell(new_output("execute_result", data={"text/html": "<b>1</b>"}, execution_count=1)),
    ])
    assert check_executed_notebook(nb) == []


def test_each_kind_of_problem_is_listed_with_its_source_cell():
    injected = _cell(tags=["injected-parameters"])
    nb = new_notebook(cells=[
        new_markdown_cell("# T"),                                        # cell 1
        _cell(tags=["parameters"]),                                      # cell 2
        injected,                                                        # not counted
        _cell(new_output("stream", name="stderr", text="\nWarn: x\nmore\n")),  # cell 3
        _cell(new_output("error", ename="KeyError", evalue="'area'", traceback=[])),  # cell 4
        _cell(new_output("stream", name="stdout",
                         text="Traceback (most recent call last):\n  File ...")),  # cell 5
        _cell(new_output("display_data", data={
            "text/plain": "Traceback (most recent call last):"})),    # cell 6
    ])
    assert check_executed_notebook(nb) == [
        "cell 3: stderr output: Warn: x",
        "cell 4: error output KeyError: 'area'",
        "cell 5: output contains a Python traceback",
        "cell 6: output contains a Python traceback",
    ]


def test_papermill_error_marker_cells_are_not_counted():
    def marker():
        return new_markdown_cell("An Exception was encountered",
                                 metadata={"tags": ["papermill-error-cell-tag"]})

    nb = new_notebook(cells=[marker(), new_markdown_cell("# T"), marker(), _cell()])
    assert source_cell_number(nb, 3) == 2


def test_reads_a_path(tmp_path):
    import nbformat

    nb = new_notebook(cells=[_cell(new_output("stream", name="stderr", text="oops"))])
    nbformat.write(nb, tmp_path / "x.ipynb")
    assert check_executed_notebook(str(tmp_path / "x.ipynb")) == ["cell 1: stderr output: oops"]
