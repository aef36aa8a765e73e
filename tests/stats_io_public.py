"""The public functions of ``sna.stats`` and ``sna.io``: what their API rules (keyword-only
options, numpy docstrings) are checked over.

Used by tests/unit/test_keyword_only_stats_io.py and tests/unit/test_docstrings_stats_io.py.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Collection

import sna.io
import sna.stats


def stats_io_modules(packages=(sna.stats, sna.io)) -> list[str]:
    """Dotted names of the packages (or plain modules) and every module under them."""
    names = []
    for package in packages:
        names.append(package.__name__)
        if hasattr(package, "__path__"):
            names += [info.name for info in pkgutil.walk_packages(package.__path__,
                                                                  package.__name__ + ".")]
    return names


def exported_functions(packages=(sna.stats, sna.io), *,
                       left_out: Collection[str] = ()) -> dict[str, object]:
    """Every function a module of the packages lists in ``__all__``, by its defining name.

    Modules named in ``left_out`` are skipped, and so are functions defined in them.
    """
    found: dict[str, object] = {}
    for name in stats_io_modules(packages):
        if name in left_out:
            continue
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", []):
            obj = getattr(module, attr)
            if inspect.isfunction(obj) and obj.__module__ not in left_out:
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


def exported_cached_functions(packages=(sna.stats, sna.io)) -> dict[str, object]:
    """Exported functions wrapped by ``functools.cache`` (not functions to ``inspect``).

    :func:`exported_functions` does not see them; their docstrings and signatures are the
    wrapped function's.
    """
    found: dict[str, object] = {}
    for name in stats_io_modules(packages):
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", []):
            obj = getattr(module, attr)
            inner = getattr(obj, "__wrapped__", None)
            if not inspect.isfunction(obj) and inspect.isfunction(inner):
                found[f"{inner.__module__}.{inner.__qualname__}"] = obj
    return found
