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


def report_modules() -> list[str]:
    """Dotted names of ``sna.reports`` and its public submodules."""
    names = ["sna.reports"]
    for info in pkgutil.walk_packages(sna.reports.__path__, "sna.reports."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


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
            for label, function in callables_of(obj, name):
                key = (defined_in, getattr(function, "__qualname__", label))
                found.setdefault(key, (f"{defined_in}.{label}", function))
    return sorted(found.values(), key=lambda item: item[0])
