"""A small run of benchmarks/inference_calibration.py: noise is rarely called significant."""

import importlib.util
from pathlib import Path

import pytest
from scipy import stats

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "inference_calibration.py"


@pytest.fixture(scope="module")
def calibration():
    spec = importlib.util.spec_from_file_location("inference_calibration", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check(table):
    for row in table.itertuples():
        # at most nominal: the count must not be improbably high for a 5% test (1% level)
        assert row.significant <= stats.binom.ppf(0.99, row.tests, 0.05), row
        # and the old behaviour (exact Poisson alone) fails on the same series
        assert row.exact_poisson_share > 0.2, row


def test_period_changes_are_calibrated_on_over_dispersed_noise(calibration):
    table = calibration.calibration(100, seed=7, which=("hate headline", "SVD year-on-year"))
    assert list(table["tests"]) == [100, 100]
    _check(table)


def test_annual_table_is_calibrated_on_over_dispersed_noise(calibration):
    table = calibration.calibration(12, seed=8)
    assert table.set_index("verdict").loc["annual table", "tests"] == 48
    _check(table)
