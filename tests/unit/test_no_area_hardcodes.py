"""No area is special: no North Yorkshire word, code or file name in the package's code or
the notebooks (docstrings and comments are documentation and may use examples)."""

import ast
import io
import json
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).parents[2]
WORDS = re.compile(
    r"north[ -]?yorkshire|\byork\b|harrogate|scarborough|craven|hambleton|richmondshire|"
    r"ryedale|selby|nycsp|\bnyy\b|_nyy|nyp-|community safety hub|E06000065|E06000014|"
    r"E23000009|E22000372|E22000371|E0700016[3-9]", re.I)


# Known exceptions, each with its reason (to be removed, not added to).
ALLOWED: dict[str, str] = {}
NOTEBOOK_PARAMETER_CELLS_ALLOWED: set[str] = set()
NOTEBOOKS = ("svd_sna.ipynb", "hate_crime_review.ipynb", "performance_report.ipynb")


def _code_without_docs(source: str) -> str:
    """The source with docstrings and comments removed."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(
                    getattr(body[0], "value", None), ast.Constant) and isinstance(
                    body[0].value.value, str):
                docstrings.add((body[0].lineno, body[0].end_lineno))
    kept = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            continue
        if token.type == tokenize.STRING and any(a <= token.start[0] <= b
                                                 for a, b in docstrings):
            continue
        kept.append(token.string)
    return " ".join(kept)


def test_the_word_list_finds_what_it_should():
    assert WORDS.search("North Yorkshire and York") and WORDS.search("x_nyy.csv")
    assert not WORDS.search("Yorkshire and the Humber, Cumberland")
    assert _code_without_docs('"""York"""\nx = 1  # York\n').strip() == "x = 1"


def test_package_code_names_no_particular_area():
    found = []
    for path in sorted((ROOT / "sna").rglob("*.py")):
        if str(path.relative_to(ROOT)) in ALLOWED:
            continue
        code = _code_without_docs(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in WORDS.finditer(code)]
    assert not found, found


def test_notebooks_name_no_particular_area():
    found = []
    for path in (ROOT / "notebooks" / name for name in NOTEBOOKS):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if (path.name in NOTEBOOK_PARAMETER_CELLS_ALLOWED
                    and "parameters" in cell.get("metadata", {}).get("tags", [])):
                continue
            text = "".join(cell["source"])
            found += [f"{path.name}: {m.group(0)}" for m in WORDS.finditer(text)]
    assert not found, found
