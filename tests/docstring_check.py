"""The numpy-docstring check applied to the public API of every layer.

A function's docstring has a ``Parameters`` section naming every parameter (``a, b : str``
may name two at once) and, unless it returns nothing, a ``Returns`` (or ``Yields``) section;
a class has a docstring.

Used by tests/unit/reports/test_docstrings.py and tests/unit/test_docstrings_stats_io.py.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable

SECTION = re.compile(r"^(\w[\w ]*)\n-{3,}$", re.M)


def sections(doc: str) -> dict[str, str]:
    """The numpy sections of a (dedented) docstring: heading -> body."""
    heads = list(SECTION.finditer(doc))
    return {m.group(1): doc[m.end():heads[i + 1].start() if i + 1 < len(heads) else None]
            for i, m in enumerate(heads)}


def documented_parameters(body: str) -> set[str]:
    """Parameter names of a ``Parameters`` section (``*args`` and ``a, b : t`` included)."""
    names: set[str] = set()
    for line in body.splitlines():
        if not line or line[0].isspace():
            continue
        names.update(n.strip().lstrip("*") for n in line.split(" : ")[0].split(","))
    return names


def problems_of(label: str, function: Callable) -> list[str]:
    """What ``function``'s docstring lacks, as messages."""
    doc = inspect.getdoc(function)
    if not doc:
        return [f"{label}: no docstring"]
    if inspect.isclass(function):
        return []
    found = sections(doc)
    signature = inspect.signature(function)
    params = [p.name for p in signature.parameters.values() if p.name not in ("self", "cls")]
    out = []
    missing = set(params) - documented_parameters(found.get("Parameters", ""))
    if missing:
        out.append(f"{label}: Parameters does not describe {', '.join(sorted(missing))}")
    returns = signature.return_annotation
    if returns not in (None, "None", inspect.Signature.empty) and not (
            {"Returns", "Yields"} & set(found)):
        out.append(f"{label}: no Returns section")
    return out
