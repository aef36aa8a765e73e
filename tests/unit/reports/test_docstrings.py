"""Numpy docstrings on every public function, method and class of sna.reports.

A function's docstring has a ``Parameters`` section naming every parameter (``a, b : str``
may name two at once) and, unless it returns nothing, a ``Returns`` section; a class has a
docstring. Runnable examples are checked where they exist: the doctests run with the suite.
The check itself (``problems_of``) is shared with sna.stats and sna.io: tests/docstring_check.py.
"""

from __future__ import annotations

from docstring_check import problems_of
from reports_public import public_callables


def test_the_check_reads_numpy_sections():
    def good(a, b, *args, c=1, **options) -> int:
        """Summary.

        Parameters
        ----------
        a, b : int
            Two numbers.
        *args
            More.
        c : int, default 1
        **options
            Options.

        Returns
        -------
        int
        """

    def bad(a, b) -> int:
        """Summary.

        Parameters
        ----------
        a : int
        """

    assert problems_of("good", good) == []
    assert problems_of("bad", bad) == ["bad: Parameters does not describe b",
                                       "bad: no Returns section"]


def test_every_public_callable_in_sna_reports_has_a_numpy_docstring():
    problems = [p for label, function in public_callables() for p in problems_of(label,
                                                                                  function)]
    assert not problems, "\n".join(problems)
