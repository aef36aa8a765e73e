"""The package's three layers import downwards only: io <- stats <- reports."""

from pathlib import Path

from test_import_graph import GRAPH

PACKAGE = Path(__file__).parents[2] / "sna"
RANK = {"io": 0, "stats": 1, "reports": 2}


def test_no_module_imports_a_higher_layer():
    upward = []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or parts[0] not in RANK:
            continue
        for module in GRAPH.imported_names(path):
            pieces = module.split(".")
            if pieces[0] == "sna" and len(pieces) > 1 and RANK.get(pieces[1], -1) > RANK[parts[0]]:
                upward.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert not upward, upward


def test_low_layers_exist_and_top_level_holds_only_shared_modules():
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert top == ["__init__", "checks", "cli", "errors", "paths", "periods", "wording"]
    assert all((PACKAGE / layer / "__init__.py").exists() for layer in RANK)
