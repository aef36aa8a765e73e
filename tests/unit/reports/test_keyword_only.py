"""Options are keyword-only in sna.reports: a parameter with a default is passed by name.

The rule covers every public callable a module of ``sna.reports`` exports in ``__all__``:
functions, classes (their constructors) and the public methods of those classes. A call
then reads ``geography(offences, lsoas, policy, month, name, conf=0.9)``, and an option can
be added or reordered without silently shifting another caller's arguments.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from reports_public import callables_of, public_callables


def positional_options(function: Callable) -> list[str]:
    """Parameters of ``function`` that have a default but can be given by position."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # a builtin without a signature
        return []
    return [p.name for p in signature.parameters.values()
            if p.default is not p.empty and p.kind in (p.POSITIONAL_ONLY,
                                                       p.POSITIONAL_OR_KEYWORD)]


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
    assert [label for label, f in callables_of(Record, "Record") if positional_options(f)] == [
        "Record", "Record.method"]


def test_the_rule_covers_the_report_modules():
    names = {label for label, _ in public_callables()}
    assert {"sna.reports.hate_review.geography", "sna.reports.svd.where",
            "sna.reports.objects.HateReview.from_params", "sna.reports.sections.Section.table",
            "sna.reports.findings.Finding", "sna.reports.run.run_report",
            "sna.reports.charts.figure.figure", "sna.reports.charts.figure.Figure.png",
            "sna.reports.display.table", "sna.reports.wording.strength"} <= names


def test_every_public_option_in_sna_reports_is_keyword_only():
    problems = [f"{label}: {', '.join(names)}" for label, function in public_callables()
                if (names := positional_options(function))]
    assert not problems, ("parameters with a default must be keyword-only (put them after "
                          "`*`):\n" + "\n".join(problems))
