"""sna.checks: one rule per check, and params validation uses the same rule as the methods."""

from __future__ import annotations

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from sna.checks import (
    CONF_RANGE,
    check_conf,
    check_count,
    check_counts,
    check_denominators,
    check_multiplier,
    check_whole_number,
    require_columns,
)
from sna.errors import SnaInputError
from sna.reports.hate_review import validate_params
from sna.reports.params import load_params
from sna.stats.funnels import funnel_limits
from sna.stats.rates import rate_ci
from sna.stats.trend import compare_periods, seasonal_trend


@pytest.mark.parametrize("conf", [0.9, 0.95, 0.99, 0.998, 0.999])
def test_conf_in_range_is_accepted_everywhere(conf):
    assert check_conf(conf) == conf
    assert rate_ci(3, 100, conf=conf, multiplier=100)["value"].iloc[0] == pytest.approx(3.0)
    assert compare_periods(10, 20, conf=conf).conf == conf
    assert validate_params({"conf": conf})["conf"] == conf


@pytest.mark.parametrize("conf", [0.8, 0.5, 0.3, 1.0, 95, "0.95", True, None])
def test_conf_out_of_range_fails_in_validation_and_in_every_method(conf):
    """The bug this module fixes: 0.8 passed params validation, then rate_ci failed."""
    calls = [lambda: check_conf(conf), lambda: rate_ci(3, 100, conf=conf),
             lambda: compare_periods(10, 20, conf=conf),
             lambda: validate_params({"conf": conf}),
             lambda: seasonal_trend(pd.Series([5.0] * 24, index=pd.period_range(
                 "2023-01", periods=24, freq="M")), conf=conf)]
    for call in calls:
        with pytest.raises(SnaInputError) as info:
            call()
        assert info.value.column == "conf"
    assert CONF_RANGE == (0.9, 1.0)


def test_params_file_with_a_conf_the_methods_reject_fails_at_load(tmp_path):
    notebook = tmp_path / "n.ipynb"
    cell = new_code_cell("conf = 0.95\n", metadata={"tags": ["parameters"]})
    nb = new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, notebook)
    params = tmp_path / "p.yaml"
    params.write_text("conf: 0.8\n")
    with pytest.raises(SnaInputError) as info:
        load_params(params, notebook)
    assert info.value.column == "conf" and info.value.file == str(params)
    params.write_text("conf: 0.99\n")
    assert load_params(params, notebook) == {"conf": 0.99}


def test_funnel_limits_use_the_same_multiplier_and_denominator_checks():
    with pytest.raises(SnaInputError, match="multiplier must be a positive number"):
        funnel_limits([100], "rate", multiplier=0)
    with pytest.raises(SnaInputError, match="denominator must be greater than 0"):
        check_denominators(np.array([10.0, 0.0]))


def test_small_checks():
    assert check_multiplier(100) == 100
    assert check_whole_number(np.int64(3), "k", minimum=1) == 3
    for bad in (0, 2.0, True, "3"):
        with pytest.raises(SnaInputError, match="k must be a whole number of at least 1"):
            check_whole_number(bad, "k", minimum=1)
    assert check_count(4.0, name="a") == 4
    for bad, text in ((None, "a is missing"), (float("nan"), "a is missing"),
                      (-1, "a must be a whole number >= 0"), (2.5, "a must be a whole number")):
        with pytest.raises(SnaInputError, match=text):
            check_count(bad, name="a")
    check_counts(np.array([0.0, np.nan]))
    with pytest.raises(SnaInputError, match="found -1 at position 1"):
        check_counts(np.array([0.0, -1.0]))
    with pytest.raises(SnaInputError, match=r"by column\(s\) \['b'\] not found") as info:
        require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], what="by")
    assert info.value.column == "b"
