"""Fast tests of the pure pieces of benchmarks/report_timing.py (no kernel, no report run)."""

import importlib.util
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "report_timing.py"


@pytest.fixture(scope="module")
def timing():
    spec = importlib.util.spec_from_file_location("report_timing", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def tiny_notebook(tmp_path):
    nb = new_notebook(cells=[
        new_markdown_cell("# Tiny"),
        new_code_cell("a = 1\nb = 2\nlabel = 'x'", metadata={"tags": ["parameters"]}),
        new_code_cell("c = a + b\nc * 10"),
        new_markdown_cell("Some narrative."),
        new_code_cell("d = [c,\n     b]"),
        new_code_cell("c + 100;"),
        new_code_cell("# only a comment"),
        new_code_cell("total = sum(d)\ndict(total=total,\n     label=label)  # a comment"),
    ])
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    return nbformat.read(path, as_version=4)


def run_all(timing, sources):
    namespace = {}
    return [timing.run_cell(source, namespace) for source in sources], namespace


def test_cells_with_injected_parameters_evaluate_each_last_expression(timing, tiny_notebook):
    sources = timing.notebook_code_cells(tiny_notebook, {"b": 5, "label": "it's \"y\""})
    # parameters cell, injected cell right after it, then the five other code cells
    assert len(sources) == 7
    assert sources[0].startswith("a = 1")
    values, namespace = run_all(timing, sources)
    # by hand: a = 1, b = 5 (injected), c = 6, d = [6, 5]
    assert values == [None, None, 60, None, None, None, {"total": 11, "label": "it's \"y\""}]
    assert namespace["d"] == [6, 5]


def test_no_parameters_means_no_injected_cell(timing, tiny_notebook):
    sources = timing.notebook_code_cells(tiny_notebook, {})
    assert len(sources) == 6
    values, _ = run_all(timing, sources)
    assert values[1] == 30  # defaults: a = 1, b = 2


def test_parameter_assignments_round_trip(timing):
    params = {"name": 'North "York"\nshire', "n": 3, "conf": 0.95, "flag": True,
              "codes": ["E06000065", "E06000014"], "nested": {"a": {"b": [1, None]}}}
    namespace = {}
    exec(timing.parameter_assignments(params), namespace)
    assert {k: namespace[k] for k in params} == params


def test_semicolon_and_statement_only_cells_display_nothing(timing):
    assert timing.compile_cell("x = 1")[1] is None
    assert timing.compile_cell("1 + 1;")[1] is None
    assert timing.compile_cell("")[1] is None
    assert timing.run_cell("x = 2\nx ** 3", {}) == 8


def test_kernel_cell_times_sums_code_cells_only(timing):
    nb = new_notebook(cells=[new_markdown_cell("m"), new_code_cell("1"), new_code_cell("2"),
                             new_markdown_cell("n")],
                      metadata={"papermill": {"duration": 9.5}})
    for cell, seconds in zip(nb.cells, [0.25, 1.5, 2.0, None], strict=True):
        cell.metadata["papermill"] = {"duration": seconds}
    times = timing.kernel_cell_times(nb)
    assert times["cell_seconds"] == [1.5, 2.0]
    assert times["cells_seconds"] == pytest.approx(3.5)
    assert times["markdown_seconds"] == pytest.approx(0.25)
    assert times["papermill_duration_seconds"] == 9.5


def test_summary_matches_hand_calculation(timing):
    kernel = [{"start_seconds": s, "empty_cell_seconds": 0.01, "shutdown_seconds": d}
              for s, d in [(1.0, 0.2), (3.0, 0.1), (2.0, 0.3)]]
    report = [{"cells_seconds": c, "execute_seconds": e, "whole_seconds": w,
               "papermill_duration_seconds": e - 0.1, "cpu_seconds": 30.0, "cell_seconds": cells}
              for c, e, w, cells in [(10.0, 15.0, 21.0, [1.0, 9.0]), (12.0, 16.0, 20.0, [2.0, 10.0]),
                                     (11.0, 14.0, 19.0, [3.0, 8.0])]]
    library = [{"library_seconds": x, "cpu_seconds": 6.0, "cell_seconds": [x / 2, x / 2]}
               for x in (5.0, 6.0, 5.5)]
    summary = timing.summarise_report(kernel, report, library)
    # medians: kernel start 2, shutdown 0.2, cells 11, library 5.5, execute 15, whole 20
    assert summary["kernel_start"] == 2.0
    assert summary["kernel_shutdown"] == 0.2
    assert summary["cells_over_library"] == pytest.approx(11 / 5.5)
    assert summary["notebook_overhead"] == pytest.approx(15 - 2 - 11)
    assert summary["render_checks"] == pytest.approx(20 - 15)
    assert summary["cell_seconds_in_kernel"] == [2.0, 9.0]
    assert summary["cell_seconds_alone"] == [2.75, 2.75]


def test_cell_label_skips_comments_and_shortens(timing):
    assert timing.cell_label("# note\n\nsvd.where(a, b)") == "svd.where(a, b)"
    assert timing.cell_label("x" * 60, width=10) == "xxxxxxx..."
    assert timing.cell_label("# only") == "(empty)"
