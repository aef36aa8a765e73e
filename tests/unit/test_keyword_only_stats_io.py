"""Options are keyword-only: in sna.stats and sna.io a parameter with a default is named at the call.

``rate_ci(count, denominator, *, multiplier=100_000, conf=0.95)``: a call reads
``rate_ci(12, 3400, multiplier=1000)``, never ``rate_ci(12, 3400, 1000)``, so adding or
reordering an option never silently changes what an existing call means.
"""

from __future__ import annotations

import inspect

from stats_io_public import exported_cached_functions, exported_functions

#: Modules left out of the rule, each with the reason (none left).
LEFT_OUT: dict[str, str] = {}


def positional_options(function) -> list[str]:
    """Parameters with a default that a caller could still pass by position."""
    return [p.name for p in inspect.signature(function).parameters.values()
            if p.default is not p.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def test_the_rule_sees_a_positional_option():
    def rate(count, denominator, multiplier=1000, *, conf=0.95):
        return count, denominator, multiplier, conf

    def keyword_rate(count, denominator, *, multiplier=1000, conf=0.95):
        return count, denominator, multiplier, conf

    assert positional_options(rate) == ["multiplier"]
    assert positional_options(keyword_rate) == []


def test_the_rule_covers_the_public_api():
    functions = exported_functions(left_out=LEFT_OUT)
    assert "sna.stats.rates.rate_ci" in functions and "sna.io.geography.read_boundaries" in \
        functions and "sna.stats.trend.compare.compare_periods" in functions
    assert len(functions) > 150
    assert "sna.io.geography.rurality" in exported_cached_functions()  # functools.cache too


def test_every_public_option_in_stats_and_io_is_keyword_only():
    functions = {**exported_functions(left_out=LEFT_OUT), **exported_cached_functions()}
    problems = {name: options for name, function in functions.items()
                if (options := positional_options(function))}
    assert not problems, (
        "options with a default must be keyword-only (put `*,` before the first one) and "
        f"callers must name them: {problems}")
