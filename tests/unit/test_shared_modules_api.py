"""The shared modules follow the layers' API rules: options by keyword, numpy docstrings.

``sna.checks``, ``sna.periods``, ``sna.wording``, ``sna.paths`` and ``sna.errors`` sit below
io, stats and reports (docs/architecture.md); ``sna.cli`` is the entry point. The rules
checked for ``sna.stats``/``sna.io`` (tests/unit/test_keyword_only_stats_io.py,
tests/unit/test_docstrings_stats_io.py) and ``sna.reports`` hold here.
"""

from __future__ import annotations

from test_keyword_only_stats_io import positional_options

import sna.checks
import sna.cli
import sna.errors
import sna.paths
import sna.periods
import sna.wording
from docstring_check import problems_of
from stats_io_public import exported_cached_functions, exported_functions

SHARED = (sna.checks, sna.errors, sna.paths, sna.periods, sna.wording, sna.cli)

#: Functions left out of the keyword-only rule, each with its reason.
POSITIONAL_ALLOWED = {
    "sna.cli.main": "argv is the command line itself (data, not an option), as in every CLI",
}


def shared_functions() -> dict[str, object]:
    """Every function the shared modules export in ``__all__`` (cached ones too)."""
    return {**exported_functions(SHARED), **exported_cached_functions(SHARED)}


def test_the_rules_cover_the_shared_modules():
    functions = shared_functions()
    assert {"sna.checks.check_count", "sna.periods.year_months", "sna.wording.format_ratio",
            "sna.paths.file_record", "sna.cli.main"} <= set(functions)
    assert set(POSITIONAL_ALLOWED) <= set(functions)


def test_every_option_in_the_shared_modules_is_keyword_only():
    problems = {name: options for name, function in shared_functions().items()
                if name not in POSITIONAL_ALLOWED and (options := positional_options(function))}
    assert not problems, f"options with a default must be keyword-only: {problems}"


def test_every_shared_function_has_a_numpy_docstring():
    problems = [p for name, function in shared_functions().items()
                for p in problems_of(name, function)]
    assert not problems, "\n".join(problems)
