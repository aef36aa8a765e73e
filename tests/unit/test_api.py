"""The public API: every public module declares ``__all__``, and docs/api.md is its table.

After adding, removing or renaming a public function or class, list it in its module's
``__all__`` and regenerate the table with ``python tests/unit/test_api.py``.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

ROOT = Path(__file__).parents[2]
PACKAGE = ROOT / "sna"
API_DOC = ROOT / "docs" / "api.md"
HEADER = """# Public API

Generated from each module's `__all__` by `python tests/unit/test_api.py`;
`tests/unit/test_api.py` fails when this table and `__all__` disagree. Layers import
downwards only: `sna.io` (readers) <- `sna.stats` (statistics) <- `sna.reports`
(sections, charts, runner); `sna.checks`, `sna.periods`, `sna.wording`, `sna.errors` and
`sna.paths` are shared by all three.

| module | what it is for | public names |
| --- | --- | --- |
"""


def public_modules() -> list[str]:
    """Dotted names of every module whose path has no part starting with ``_``."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if any(p.startswith("_") and p != "__init__" for p in parts):
            continue
        names.append(".".join(p for p in parts if p != "__init__"))
    return names


def _defined_public(module: str) -> set[str]:
    path = ROOT / Path(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and not node.name.startswith("_")}


def api_table() -> str:
    rows = []
    for name in public_modules():
        module = importlib.import_module(name)
        exported = sorted(module.__all__)
        if not exported:
            continue
        summary = (module.__doc__ or "").strip().splitlines()[0].rstrip(".")
        names = ", ".join(f"`{n}`" for n in exported)
        rows.append(f"| `{name}` | {summary.replace('|', '/')} | {names} |\n")
    return HEADER + "".join(rows)


def test_every_public_module_declares_all_of_its_public_names():
    problems = []
    for name in public_modules():
        module = importlib.import_module(name)
        exported = getattr(module, "__all__", None)
        if exported is None:
            problems.append(f"{name} has no __all__")
            continue
        problems += [f"{name}.__all__ lists {n!r}, which it does not define"
                     for n in exported if not hasattr(module, n)]
        problems += [f"{name} defines public {n!r} but does not list it in __all__ (or rename "
                     f"it _{n})" for n in sorted(_defined_public(name) - set(exported))]
    assert not problems, problems


def test_api_table_matches_all():
    assert API_DOC.read_text(encoding="utf-8") == api_table(), (
        "docs/api.md is out of date: run `python tests/unit/test_api.py`")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(ROOT))
    API_DOC.write_text(api_table(), encoding="utf-8")
    print(f"wrote {API_DOC}")
