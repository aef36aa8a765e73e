"""Options are keyword-only in sna.reports: a parameter with a default is passed by name.

The rule covers every public callable a module of ``sna.reports`` exports in ``__all__``:
functions, classes (their constructors) and the public methods of those classes. A call
then reads ``geography(offences, lsoas, policy, month, name, conf=0.9)``, and an option can
be added or reordered without silently shifting another caller's arguments.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator

import pytest

import sna.reports

# Modules owned by another helper this session (fmt12: the formatters and the charts); their
# signatures move with that work. Each entry says why; remove it when the module follows
# the rule.
NOT_YET: dict[str, str] = {
    "sna.reports.charts": "charts are fmt12's this session (shared formatting work)",
    "sna.reports.display": "display is fmt12's this session (shared formatting work)",
    "sna.reports.wording": "wording is fmt12's this session (one formatter per concept)",
}


def _modules() -> list[str]:
    names = ["sna.reports"]
    for info in pkgutil.walk_packages(sna.reports.__path__, "sna.reports."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def _owned_elsewhere(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in NOT_YET)


def _callables(obj: object, name: str) -> Iterator[tuple[str, Callable]]:
    yield name, obj
    if inspect.isclass(obj):
        for attr, value in vars(obj).items():
            if attr.startswith("_"):
                continue
            if isinstance(value, staticmethod | classmethod):
                value = value.__func__
            if inspect.isfunction(value):
                yield f"{name}.{attr}", value


def positional_options(function: Callable) -> list[str]:
    """Parameters of ``function`` that have a default but can be given by position."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # a builtin without a signature
        return []
    return [p.name for p in signature.parameters.values()
            if p.default is not p.empty and p.kind in (p.POSITIONAL_ONLY,
                                                       p.POSITIONAL_OR_KEYWORD)]


def public_callables() -> list[tuple[str, Callable]]:
    """Every public callable exported by ``sna.reports.*``, once, by its defining module."""
    found: dict[tuple[str, str], tuple[str, Callable]] = {}
    for module_name in _modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            defined_in = getattr(obj, "__module__", "") or ""
            if not callable(obj) or not defined_in.startswith("sna.reports"):
                continue  # constants, and names re-exported from the layers below
            if _owned_elsewhere(defined_in) or _owned_elsewhere(module_name):
                continue
            for label, function in _callables(obj, name):
                key = (defined_in, getattr(function, "__qualname__", label))
                found.setdefault(key, (f"{defined_in}.{label}", function))
    return sorted(found.values(), key=lambda item: item[0])


def test_the_rule_finds_positional_options():
    def bad(a, b=1, *, c=2):
        """A function breaking the rule."""

    def good(a, *, b=1):
        """A function following it."""

    class Record:
        def __init__(self, x, y=0):
            self.x, self.y = x, y

        def method(self, z, w=None):
            """A method breaking the rule."""

    assert positional_options(bad) == ["b"]
    assert positional_options(good) == []
    assert positional_options(Record) == ["y"]
    assert [label for label, f in _callables(Record, "Record") if positional_options(f)] == [
        "Record", "Record.method"]


def test_the_rule_covers_the_report_modules():
    names = {label for label, _ in public_callables()}
    assert {"sna.reports.hate_review.geography", "sna.reports.svd.where",
            "sna.reports.objects.HateReview.from_params", "sna.reports.sections.Section.table",
            "sna.reports.run.run_report"} <= names
    assert not any(label.startswith(tuple(NOT_YET)) for label in names)


@pytest.mark.parametrize("module", sorted(NOT_YET))
def test_every_exemption_names_a_module_that_exists(module):
    importlib.import_module(module)


def test_every_public_option_in_sna_reports_is_keyword_only():
    problems = [f"{label}: {', '.join(names)}" for label, function in public_callables()
                if (names := positional_options(function))]
    assert not problems, ("parameters with a default must be keyword-only (put them after "
                          "`*`):\n" + "\n".join(problems))
