"""Numpy docstrings on every public function of sna.stats and sna.io.

The same check as sna.reports' (tests/docstring_check.py): a ``Parameters`` section naming
every parameter and, unless the function returns nothing, a ``Returns`` (or ``Yields``)
section. It runs over every function a module of sna.stats or sna.io lists in ``__all__``
(the functions the keyword-only rule covers), and over the exported functions wrapped by
``functools.cache``, which that list does not see.
"""

from __future__ import annotations

from docstring_check import problems_of
from stats_io_public import exported_cached_functions, exported_functions


def test_the_check_covers_the_public_api_of_stats_and_io():
    functions = exported_functions()
    assert len(functions) > 200
    assert {"sna.stats.rates.rate_ci", "sna.io.cache.ingest_to_cache",
            "sna.io.batches.run_batches", "sna.stats.trend.compare.compare_periods"} \
        <= set(functions)
    cached = exported_cached_functions()
    assert {"sna.io.geography.lsoa21_lookup", "sna.io.geography.rurality"} <= set(cached)
    assert not set(cached) & set(functions)


def test_the_check_finds_a_stats_style_function_without_sections():
    def rate(count, denominator, *, multiplier=1000) -> float:
        """Crude rate per ``multiplier``."""
        return count / denominator * multiplier

    assert problems_of("rate", rate) == [
        "rate: Parameters does not describe count, denominator, multiplier",
        "rate: no Returns section"]


def test_every_public_function_in_stats_and_io_has_a_numpy_docstring():
    functions = {**exported_functions(), **exported_cached_functions()}
    problems = [p for label, function in sorted(functions.items())
                for p in problems_of(label, function)]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
