"""The public callables of ``sna.reports``: what its API rules (keyword-only options, numpy
docstrings) are checked over.

Used by tests/unit/reports/test_keyword_only.py and tests/unit/reports/test_docstrings.py.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator

import sna.reports

# Modules owned by another helper this session (fmt12: the formatters and the charts); their
# signatures and docstrings move with that work. Each entry says why; remove it when the
# module follows the rules.
NOT_YET: dict[str, str] = {
    "sna.reports.charts": "charts are fmt12's this session (shared formatting work)",
    "sna.reports.display": "display is fmt12's this session (shared formatting work)",
    "sna.reports.wording": "wording is fmt12's this session (one formatter per concept)",
}


def report_modules() -> list[str]:
    """Dotted names of ``sna.reports`` and its public submodules."""
    names = ["sna.reports"]
    for info in pkgutil.walk_packages(sna.reports.__path__, "sna.reports."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def owned_elsewhere(module: str) -> bool:
    """True for a module listed in :data:`NOT_YET` (or inside one)."""
    return any(module == m or module.startswith(m + ".") for m in NOT_YET)


def callables_of(obj: object, name: str) -> Iterator[tuple[str, Callable]]:
    """``obj`` itself and, for a class, its public methods (static and class methods too)."""
    yield name, obj
    if inspect.isclass(obj):
        for attr, value in vars(obj).items():
            if attr.startswith("_"):
                continue
            if isinstance(value, staticmethod | classmethod):
                value = value.__func__
            if inspect.isfunction(value):
                yield f"{name}.{attr}", value


def public_callables() -> list[tuple[str, Callable]]:
    """Every public callable exported by ``sna.reports.*``, once, by its defining module."""
    found: dict[tuple[str, str], tuple[str, Callable]] = {}
    for module_name in report_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            defined_in = getattr(obj, "__module__", "") or ""
            if not callable(obj) or not defined_in.startswith("sna.reports"):
                continue  # constants, and names re-exported from the layers below
            if owned_elsewhere(defined_in) or owned_elsewhere(module_name):
                continue
            for label, function in callables_of(obj, name):
                key = (defined_in, getattr(function, "__qualname__", label))
                found.setdefault(key, (f"{defined_in}.{label}", function))
    return sorted(found.values(), key=lambda item: item[0])
