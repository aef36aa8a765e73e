"""sna.wording: one formatter per kind of figure, and no other formatter in the package."""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sna.wording import (
    MISSING,
    conf_label,
    count_noun,
    format_count,
    format_interval,
    format_number,
    format_p,
    format_percent,
    format_rate,
    format_ratio,
    format_statistic,
)

PACKAGE = Path(__file__).parents[2] / "sna"
FORMATTING_MODULE = PACKAGE / "wording.py"

ALPHAS = st.sampled_from([0.1, 0.05, 0.01, 0.002])
PROBABILITIES = st.floats(min_value=0, max_value=1, allow_nan=False)


def _number(text: str) -> float:
    return float(text.replace(",", "").removesuffix("%"))


# ---------------------------------------------------------------- p-values


@given(PROBABILITIES, ALPHAS)
def test_a_p_value_never_rounds_across_alpha(p_value, alpha):
    text = format_p(p_value, alpha=alpha, with_equals=False)
    shown = 0.0 if text == "< 0.001" else float(text)
    assert (shown < alpha) == (p_value < alpha), (p_value, alpha, text)


@given(PROBABILITIES)
def test_p_value_text_is_p_equals_or_below_one_in_a_thousand(p_value):
    text = format_p(p_value)
    if p_value < 0.001:
        assert text == "p < 0.001"
    else:
        assert re.fullmatch(r"p = [01]\.\d{2,6}", text), text
        assert abs(float(text[4:]) - p_value) <= 0.005 + 1e-12


@pytest.mark.parametrize(("p_value", "text"), [
    (0.0496, "p = 0.0496"), (0.04999999, "p = 0.049999"), (0.05, "p = 0.050"),
    (0.3149, "p = 0.31"), (0.0002, "p < 0.001"), (None, MISSING),
])
def test_p_value_examples(p_value, text):
    assert format_p(p_value) == text


# ---------------------------------------------------------------- counts


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_a_count_round_trips_through_its_text(count):
    text = format_count(count)
    assert re.fullmatch(r"-?\d{1,3}(,\d{3})*", text), text
    assert int(text.replace(",", "")) == count
    assert format_count(float(count)) == text


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_a_count_is_the_nearest_whole_number(value):
    assert abs(int(format_count(value).replace(",", "")) - value) <= 0.5


@given(st.integers(min_value=0, max_value=10**7), st.sampled_from(["councils", "LSOAs"]))
def test_a_count_noun_is_singular_for_one_only(count, plural):
    text = count_noun(count, plural)
    assert text == f"{format_count(count)} {plural[:-1] if count == 1 else plural}"


def test_missing_values_print_the_one_mark():
    for formatter in (format_count, format_rate, format_number, format_percent,
                      format_statistic):
        assert formatter(None) == MISSING and formatter(float("nan")) == MISSING
    assert format_ratio(float("nan")) == MISSING


# ---------------------------------------------------------------- rates


@given(st.floats(min_value=1e-9, max_value=1e9, allow_nan=False))
def test_rate_decimals_go_by_size_and_a_rate_is_never_zero(rate):
    text = format_rate(rate)
    decimals = len(text.split(".")[1]) if "." in text else 0
    if rate >= 10:
        assert decimals == 1
    elif rate >= 0.1:
        assert decimals == 2
    else:
        assert decimals >= 3
    if rate < 10 ** -6:
        assert text == "< 0.000001"
        return
    assert _number(text) > 0
    assert abs(_number(text) - rate) <= 0.5 * 10 ** -decimals + 1e-9
    assert format_rate(-rate) == "-" + text


def test_rate_and_number_examples():
    assert [format_rate(v) for v in (24.781, 0.6234, 0.047, 357.14, 0.0)] == \
        ["24.8", "0.62", "0.047", "357.1", "0.00"]
    assert format_rate(1234.5, decimals=0) == "1,234"  # half to even, as Python rounds
    assert [format_number(v) for v in (6287, 6287.0, 2.25, 1e6)] == \
        ["6,287", "6,287", "2.25", "1,000,000"]


# ---------------------------------------------------------------- percentages


@given(st.floats(min_value=-1000, max_value=1000, allow_nan=False),
       st.sampled_from([None, 0, 1]))
def test_a_percentage_is_never_zero_or_all_unless_it_is(value, decimals):
    text = format_percent(value, decimals=decimals)
    assert text.endswith("%")
    if text.startswith(("<", ">")):
        assert 0 < abs(value) < 1e-6
        return
    if value != 0:
        assert _number(text) != 0, text
    if abs(value) != 100:
        assert abs(_number(text)) != 100, text


@pytest.mark.parametrize(("value", "kwargs", "text"), [
    (41.06, {}, "41%"), (6.44, {}, "6.4%"), (0.04, {}, "0.04%"), (99.7, {}, "99.7%"),
    (4.38, {"decimals": 1}, "4.4%"), (111.1, {"signed": True}, "+111%"),
    (-50, {"signed": True}, "-50%"), (0, {"signed": True}, "0%"),
])
def test_percentage_examples(value, kwargs, text):
    assert format_percent(value, **kwargs) == text


# ---------------------------------------------------------------- ratios and intervals


@given(st.floats(min_value=0.01, max_value=100), st.floats(min_value=1e-7, max_value=1))
def test_an_interval_that_excludes_one_never_prints_one(ratio, gap):
    above = format_ratio(ratio, lower=1 + gap, upper=1 + gap + 1, conf=0.95)
    below = format_ratio(ratio, lower=0.5, upper=1 - gap, conf=0.95)
    lower_above = above.split(" CI ")[1].split(" to ")[0]
    upper_below = below.split(" to ")[-1]
    assert _number(lower_above) > 1 or gap < 1e-6, above
    assert _number(upper_below) < 1 or gap < 1e-6, below


def test_ratio_and_interval_have_one_style():
    assert format_ratio(0.878, lower=0.642, upper=1.2, conf=0.95) == "0.88, 95% CI 0.64 to 1.20"
    assert format_ratio(1.0438, lower=1.0005, upper=1.0889, conf=0.95) == "1.0438, 95% CI 1.0005 to 1.0889"
    assert format_ratio(math.inf, lower=3.2, upper=math.inf, conf=0.95) == \
        "not estimable, 95% CI 3.20 to infinity"
    assert format_interval(2.134, 12.53, conf=0.998) == "99.8% CI 2.13 to 12.5"
    assert format_interval(1.0, None, conf=0.95) == "95% CI not available"
    assert conf_label(0.95) == "95%" and conf_label(0.998) == "99.8%" and conf_label(0.9) == "90%"


LIMITS = st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=1e6))


@given(LIMITS, LIMITS, st.sampled_from([0.9, 0.95, 0.99, 0.998]))
def test_interval_text_shape(a, b, conf):
    lower, upper = sorted((a, b))
    text = format_interval(lower, upper, conf=conf)
    assert re.fullmatch(r"\d+(\.\d+)?% CI [\d,]+\.\d+ to [\d,]+\.\d+", text), text


def test_statistics_have_fixed_decimals():
    assert format_statistic(11.3) == "11.30" and format_statistic(6.7712) == "6.77"
    assert format_statistic(0.0213, decimals=3) == "0.021"


# ---------------------------------------------------------------- the rule


FORMATTER_NAME = re.compile(r"^_?(fmt|format)(_|$)|_fmt(_|$)")
NUMBER_SPEC = re.compile(r"^[<>^=]?[+\- ]?#?0?\d*[,_]?(\.\d+)?[eEfFgGn%]?$")
ALLOWED_FUNCTIONS = {
    # a table cell holds text, booleans and numbers; it hands numbers to sna.wording
    ("reports/display.py", "format_cell"),
}
ALLOWED_SPECS = {
    # SVG path coordinates rounded to shrink the page: geometry for a browser, not a figure
    ("reports/charts/figure.py", ".1f"),
}


def _spec_text(spec: ast.JoinedStr) -> str | None:
    parts = [v.value for v in spec.values if isinstance(v, ast.Constant)]
    return "".join(parts) if len(parts) == len(spec.values) else None


def _is_number_spec(spec: str) -> bool:
    """``,`` ``.1f`` ``+.0f`` ``.0%`` ``.3g``: a number's printed form (dates, padding are not)."""
    if not NUMBER_SPEC.fullmatch(spec):
        return False
    return "," in spec or "." in spec or spec.endswith(("%", "f", "F", "e", "E"))


def formatter_problems() -> list[str]:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == FORMATTING_MODULE:
            continue
        where = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.FunctionDef | ast.Lambda) and
                    FORMATTER_NAME.search(getattr(node, "name", "")) and
                    (where, node.name) not in ALLOWED_FUNCTIONS):
                problems.append(f"{where}:{node.lineno} defines {node.name}(): use sna.wording")
            if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
                spec = _spec_text(node.format_spec)
                if spec is not None and _is_number_spec(spec) and \
                        (where, spec) not in ALLOWED_SPECS:
                    problems.append(f"{where}:{node.lineno} formats a number with "
                                    f"':{spec}': use sna.wording")
    return problems


def test_the_rule_finds_a_formatter():
    source = 'def _fmt_value(x):\n    return f"{x:,.1f} and {x:.0%} and {x:g} on {d:%Y-%m}"\n'
    tree = ast.parse(source)
    specs = [_spec_text(n.format_spec) for n in ast.walk(tree)
             if isinstance(n, ast.FormattedValue) and n.format_spec is not None]
    assert [s for s in specs if _is_number_spec(s)] == [",.1f", ".0%"]
    assert FORMATTER_NAME.search("_fmt_value") and FORMATTER_NAME.search("fmt_number")
    assert not FORMATTER_NAME.search("information")


def test_no_other_module_formats_numbers():
    problems = formatter_problems()
    assert not problems, "\n".join(problems)
