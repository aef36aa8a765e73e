"""The rest of the bad-input corpus (params files, statistics inputs), with exact messages, and
hypothesis fuzzing of the force-extract and params readers."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import mutate
from sna.errors import SnaInputError
from sna.io.extract import read_force_extract
from sna.reports.params import load_params
from sna.stats.rates import rate_ci

ROOT = Path(__file__).parents[3]
PARAMS = ROOT / "tests" / "corpus" / "params"
NOTEBOOK = ROOT / "notebooks" / "svd_sna.ipynb"
DECLARED = ("area_name, conf, extract, first_month, force_name, last_month, ltla24_codes, "
            "min_count, neighbour_forces, neighbour_last_month, offence_groups, partner_areas, "
            "partner_files, partner_register, police_uk, "
            "police_uk_categories, priorities, published_da, published_da_source, similar_k, "
            "similar_method, subarea_name, subareas, uses_synthetic_data")

PARAM_CASES = {
    "svd_sna_typo.yaml": "column 'last_monht': unknown parameter 'last_monht' (did you mean "
                         "'last_month'?). Fix: use only the parameters the notebook declares: "
                         f"{DECLARED}.",
    "svd_sna_wrong_type.yaml": "column 'min_count': parameter 'min_count' should be a whole "
                               "number like the notebook's default 5, got str 'five'. Fix: write "
                               "min_count as a whole number.",
    "svd_sna_bad_yaml.yaml": "row 2: the file is not valid YAML (expected ',' or ']', but got "
                             "'<stream end>'). Fix: write one 'key: value' per line, indent with "
                             "spaces (no tabs) and quote text containing ':' or '#'.",
}


@pytest.mark.parametrize("name", sorted(PARAM_CASES))
def test_params_corpus(name):
    with pytest.raises(SnaInputError) as err:
        load_params(PARAMS / name, NOTEBOOK)
    assert str(err.value).split(".yaml, ", 1)[1] == PARAM_CASES[name]


def test_population_of_zero_and_negative_count():
    with pytest.raises(SnaInputError) as err:
        rate_ci(5, 0)
    assert str(err.value) == (
        "column 'denominator': denominator must be greater than 0; found 0 at position 0 (1 such "
        "values). Fix: denominator must be a positive population: drop areas with no population "
        "or correct the figure.")
    with pytest.raises(SnaInputError) as err:
        rate_ci(-1, 100)
    assert str(err.value) == (
        "column 'count': count must be at least 0; found -1 at position 0 (1 such values). Fix: "
        "count is a number of events: correct or drop negative values.")


TEMPLATE = (ROOT / "data" / "force_extract_template.csv").read_bytes()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzzed_extracts_raise_only_project_errors(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fx") / "extract.csv"
    path.write_bytes(mutate(data, TEMPLATE, b',"\n;\x00\xe9YN0123-/ '))
    try:
        acc = read_force_extract(path)
    except SnaInputError:
        return
    assert acc.rows_in == len(acc.clean) + len(acc.quarantine)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_fuzzed_params_raise_only_project_errors(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("pf") / "p.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_params(path, NOTEBOOK)
    except SnaInputError:
        pass
