"""Draw the package's import graph by layer: ``python docs/import_graph.py``.

Writes ``docs/import_graph.dot`` (always) and ``docs/import_graph.svg`` (when Graphviz's
``dot`` is on the PATH). Nodes are the layers' parts (shared modules, ``sna.io`` and its
``partner`` readers, ``sna.stats`` and its ``trend`` package, ``sna.reports`` and its
``charts``, the command line); an edge ``a -> b`` says that some module of part *a*
imports part *b* (:func:`import_graph` counts how many). ``tests/unit/test_import_graph.py``
recomputes the graph from the code and fails when either file is out of date or an edge
points up a layer.

Examples
--------
>>> graph = import_graph()
>>> ("reports", "stats") in graph and ("stats", "reports") not in graph
True
"""

from __future__ import annotations

import ast
import shutil
import subprocess
from collections import Counter
from pathlib import Path

DOCS = Path(__file__).parent
PACKAGE = DOCS.parent / "sna"

#: Each part of the package, its layer (lower imports nothing higher) and its label.
PARTS: dict[str, tuple[int, str]] = {
    "shared": (0, "shared: checks, errors, paths, periods, ..."),
    "io": (1, "sna.io: readers, caches, geography, national data"),
    "io.partner": (1, "sna.io.partner: partner-data readers"),
    "stats": (2, "sna.stats: rates, funnels, rurality, disclosure, ..."),
    "stats.trend": (2, "sna.stats.trend: seasonal trend package"),
    "reports": (3, "sna.reports: sections, reports, runner"),
    "reports.charts": (3, "sna.reports.charts: Altair charts"),
    "cli": (4, "sna.cli: command line"),
}
LAYER_NAMES = {0: "shared", 1: "io layer", 2: "stats layer", 3: "reports layer", 4: "entry point"}


def part_of(module: str) -> str | None:
    """The part of the package a dotted module name belongs to (``None`` outside ``sna``).

    Examples
    --------
    >>> part_of("sna.stats.trend.model"), part_of("sna.periods"), part_of("pandas")
    ('stats.trend', 'shared', None)
    """
    pieces = module.split(".")
    if pieces[0] != "sna":
        return None
    if len(pieces) == 1:
        return "shared"
    if pieces[1] == "cli":
        return "cli"
    if pieces[1] not in ("io", "stats", "reports"):
        return "shared"
    nested = ".".join(pieces[1:3])
    return nested if nested in PARTS else pieces[1]


def imported_names(path: Path) -> set[str]:
    """Dotted names a module imports (``from a import b`` gives ``a.b``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def import_graph(package: Path = PACKAGE) -> Counter[tuple[str, str]]:
    """Count, for each pair of parts, the modules of the first that import the second.

    A ``from sna.io import geography`` counts once for the importing module, however many
    names it takes. Imports inside a part are not edges.
    """
    edges: Counter[tuple[str, str]] = Counter()
    for path in sorted(package.rglob("*.py")):
        module = ".".join(("sna", *path.relative_to(package).with_suffix("").parts))
        source = part_of(module.removesuffix(".__init__"))
        for target in {part_of(name) for name in imported_names(path)} - {None, source}:
            edges[(source, target)] += 1
    return edges


def upward_edges(edges: Counter[tuple[str, str]]) -> list[tuple[str, str]]:
    """Edges from a lower layer to a higher one (there must be none)."""
    return [(a, b) for a, b in edges if PARTS[a][0] < PARTS[b][0]]


def dot_source(edges: Counter[tuple[str, str]]) -> str:
    """Graphviz source: one cluster per layer, arrows pointing down to what is imported.

    Examples
    --------
    >>> from collections import Counter
    >>> print(dot_source(Counter({("stats", "io"): 5})).splitlines()[-2])
      "stats" -> "io";
    """
    lines = ["digraph sna_layers {", '  rankdir="TB";', '  node [shape=box, fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10];']
    for layer in sorted({rank for rank, _ in PARTS.values()}, reverse=True):
        lines.append(f'  subgraph cluster_{layer} {{ label="{LAYER_NAMES[layer]}"; rank=same;')
        for part, (rank, label) in PARTS.items():
            if rank == layer:
                lines.append(f'    "{part}" [label="{label}"];')
        lines.append("  }")
    for source, target in sorted(edges):
        lines.append(f'  "{source}" -> "{target}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Write the ``.dot`` file and, with Graphviz installed, the drawn ``.svg``."""
    edges = import_graph()
    if upward := upward_edges(edges):
        raise SystemExit(f"upward imports: {upward}")
    dot = dot_source(edges)
    (DOCS / "import_graph.dot").write_text(dot, encoding="utf-8")
    if shutil.which("dot"):
        svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True,
                             check=True).stdout
        (DOCS / "import_graph.svg").write_text(svg, encoding="utf-8")
    print(f"{len(edges)} edges, none upward")


if __name__ == "__main__":
    main()
