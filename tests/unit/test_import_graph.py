"""The drawn import graph (docs/import_graph.*) is the code's, and no arrow points up a layer."""

import importlib.util
import re
from pathlib import Path

DOCS = Path(__file__).parents[2] / "docs"
FIX = "Fix: run `python docs/import_graph.py` (Graphviz's `dot` draws the SVG) and commit both files."


def _graph_module():
    spec = importlib.util.spec_from_file_location("import_graph", DOCS / "import_graph.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GRAPH = _graph_module()


def test_no_part_imports_a_higher_layer():
    assert GRAPH.upward_edges(GRAPH.import_graph()) == []


def test_upward_import_is_caught(tmp_path):
    (tmp_path / "io").mkdir()
    (tmp_path / "io" / "reader.py").write_text("from sna.reports.svd import svd_summary\n")
    (tmp_path / "stats").mkdir()
    (tmp_path / "stats" / "rates.py").write_text("from sna.io import reader\nimport numpy\n")
    edges = GRAPH.import_graph(tmp_path)
    assert dict(edges) == {("io", "reports"): 1, ("stats", "io"): 1}
    assert GRAPH.upward_edges(edges) == [("io", "reports")]


def test_committed_dot_file_is_the_code_graph():
    committed = (DOCS / "import_graph.dot").read_text(encoding="utf-8")
    assert committed == GRAPH.dot_source(GRAPH.import_graph()), FIX


def test_drawn_svg_has_exactly_the_code_edges():
    svg = (DOCS / "import_graph.svg").read_text(encoding="utf-8")
    drawn = {tuple(title.split("&#45;&gt;"))
             for title in re.findall(r"<title>([^<]*&#45;&gt;[^<]*)</title>", svg)}
    assert drawn == set(GRAPH.import_graph()), FIX


def test_architecture_page_shows_the_drawing():
    page = (DOCS / "architecture.md").read_text(encoding="utf-8")
    assert "](import_graph.svg)" in page
