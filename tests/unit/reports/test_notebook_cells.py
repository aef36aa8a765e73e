"""The report notebooks are thin: one report object made once, then one method call a cell.

Each notebook's first code cell after ``parameters`` makes its report object from the
parameters (``review = HateReview.from_params(...)``); every later code cell is a single
call of one of that object's methods, without arguments, so the context (area, periods,
``conf``, disclosure policy, strands, synthetic flag) is stated once. Checked without
running the notebooks; tests/notebooks run them.
"""

from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path

import pytest

from sna.reports.objects import HateReview, PerformanceReport, SvdAssessment

NOTEBOOKS = Path(__file__).parents[3] / "notebooks"
REPORTS = {"hate_crime_review": ("review", HateReview),
           "svd_sna": ("assessment", SvdAssessment),
           "performance_report": ("report", PerformanceReport)}


def code_cells(name: str) -> list[str]:
    """The source of every code cell after the ``parameters`` cell."""
    cells = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    tags = [c.get("metadata", {}).get("tags", []) for c in cells]
    start = next(i for i, t in enumerate(tags) if "parameters" in t) + 1
    return ["".join(c["source"]) for c in cells[start:] if c["cell_type"] == "code"]


def test_every_report_notebook_is_checked():
    assert {p.stem for p in NOTEBOOKS.glob("*.ipynb")} == set(REPORTS)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_the_report_object_is_made_once_from_the_parameters(name):
    variable, cls = REPORTS[name]
    first, *rest = code_cells(name)
    tree = ast.parse(first)
    made = [node for node in ast.walk(tree) if isinstance(node, ast.Assign)
            and [t.id for t in node.targets if isinstance(t, ast.Name)] == [variable]]
    assert len(made) == 1, f"{name}: the first cell makes `{variable}` once"
    call = made[0].value
    assert isinstance(call, ast.Call) and ast.unparse(call.func) == f"{cls.__name__}.from_params"
    accepted = set(inspect.signature(cls.from_params).parameters)
    given = {k.arg for k in call.keywords}
    assert given <= accepted, given - accepted
    assert all(isinstance(k.value, ast.Name) and k.value.id == k.arg for k in call.keywords), (
        "each parameter is passed by its own name, as the parameters cell defines it")
    assert not any(f"{variable} =" in cell for cell in rest)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_later_cell_is_one_method_call(name):
    variable, cls = REPORTS[name]
    methods = {m for m, v in vars(cls).items() if inspect.isfunction(v) and not m.startswith("_")}
    first, *rest = code_cells(name)
    called = [node.value.func.attr for node in ast.parse(first).body
              if isinstance(node, ast.Expr)]  # the frame, shown with the object's making
    for cell in rest:
        body = ast.parse(cell).body
        assert len(body) == 1 and isinstance(body[0], ast.Expr), cell
        call = body[0].value
        assert isinstance(call, ast.Call) and not call.args and not call.keywords, cell
        assert ast.unparse(call.func.value) == variable, cell
        called.append(call.func.attr)
    assert set(called) <= methods, set(called) - methods
    assert len(called) == len(set(called)), "a section is shown once"
    shown = methods - {"from_params"}
    assert shown - set(called) == set(), f"{name} does not show {shown - set(called)}"
