"""Params YAML reading and validation against a notebook's ``parameters`` cell."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from sna.errors import SnaInputError
from sna.reports.params import check_params, load_params, notebook_parameters, read_params_yaml

FIXTURES = Path(__file__).parents[2] / "fixtures" / "report"
TINY = FIXTURES / "tiny.ipynb"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _notebook(path: Path, parameters_source: str | None, metadata: dict | None = None) -> Path:
    cells = [new_markdown_cell("# T")]
    if parameters_source is not None:
        cells.append(new_code_cell(parameters_source, metadata={"tags": ["parameters"]}))
    cells.append(new_code_cell("print(1)"))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    if metadata:
        nb.metadata["sna"] = metadata
    nbformat.write(nb, path)
    return path


def test_good_params_load_and_int_is_accepted_for_a_float_default():
    params = load_params(FIXTURES / "tiny_good.yaml", TINY)
    # Written out from tiny_good.yaml by hand.
    assert params == {"area": "York", "period_end": "2025-03", "count_a": 10, "count_b": 12,
                      "rate_scale": 2, "uses_synthetic_data": True}


def test_dates_stay_strings(tmp_path):
    params = load_params(_write(tmp_path / "p.yaml", "period_end: 2025-03-31\n"), TINY)
    assert params == {"period_end": "2025-03-31"}


def test_notebook_parameters_reads_the_literal_defaults():
    assert notebook_parameters(TINY) == {
        "area": "York", "period_end": "2025-03", "count_a": 10, "count_b": 12,
        "rate_scale": 1.5, "groups": ["a", "b"], "section_level": 3,
        "data_file": "tests/fixtures/report/tiny_data.csv", "uses_synthetic_data": False,
    }


def test_unknown_key_names_key_file_allowed_keys_and_suggestion(tmp_path):
    params_file = _write(tmp_path / "typo.yaml", "period_ned: '2025-03'\n")
    with pytest.raises(SnaInputError) as caught:
        load_params(params_file, TINY)
    message = str(caught.value)
    assert "'period_ned'" in message
    assert str(params_file) in message
    assert "did you mean 'period_end'?" in message
    for allowed in ("area", "count_a", "count_b", "data_file", "groups", "rate_scale"):
        assert allowed in caught.value.fix
    assert caught.value.column == "period_ned"


def test_unknown_key_far_from_any_allowed_key_has_no_suggestion(tmp_path):
    with pytest.raises(SnaInputError) as caught:
        load_params(_write(tmp_path / "p.yaml", "zzzzzz: 1\n"), TINY)
    assert "did you mean" not in str(caught.value)


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("count_b: twelve", "count_b"),        # str for int
        ("count_a: true", "count_a"),          # bool is not a whole number
        ("count_a: 1.5", "count_a"),           # float for int
        ("area: 2025", "area"),                # int for str
        ("rate_scale: '1.5'", "rate_scale"),   # str for float
        ("rate_scale: false", "rate_scale"),   # bool for float
        ("groups: a", "groups"),               # str for list
        ("groups: {a: 1}", "groups"),          # dict for list
        ("uses_synthetic_data: 1", "uses_synthetic_data"),  # int for bool
    ],
)
def test_wrong_type_names_the_key(tmp_path, line, key):
    with pytest.raises(SnaInputError) as caught:
        load_params(_write(tmp_path / "p.yaml", line + "\n"), TINY)
    assert f"'{key}'" in str(caught.value)
    assert caught.value.column == key


def test_wrong_type_for_text_suggests_quotes(tmp_path):
    with pytest.raises(SnaInputError) as caught:
        load_params(_write(tmp_path / "p.yaml", "area: 2025\n"), TINY)
    assert "quotes" in caught.value.fix


@pytest.mark.parametrize(
    ("default", "value", "ok"),
    [
        (1.5, 2, True), (1.5, 2.5, True), (1, 2, True), ("a", "b", True), (True, False, True),
        ([1], [], True), ({"a": 1}, {}, True), (None, "anything", True), (None, [1], True),
        ((1, 2), [3], True),
        (1, True, False), (1.5, True, False), (True, 1, False), ("a", 1, False), ([1], {}, False),
        ({"a": 1}, [1], False), (1, "1", False),
    ],
)
def test_type_rules(default, value, ok):
    def check():
        check_params({"x": value}, {"x": default}, file="p.yaml")

    if ok:
        check()
    else:
        with pytest.raises(SnaInputError):
            check()


def test_notebook_without_parameters_cell(tmp_path):
    notebook = _notebook(tmp_path / "nb.ipynb", None)
    with pytest.raises(SnaInputError) as caught:
        load_params(_write(tmp_path / "p.yaml", "x: 1\n"), notebook)
    assert "no cell tagged 'parameters'" in str(caught.value)
    assert str(notebook) in str(caught.value)


def test_bad_yaml_names_file_and_line(tmp_path):
    params_file = _write(tmp_path / "bad.yaml", "area: York\ncount_a: 1\n  count_b: 2\n")
    with pytest.raises(SnaInputError) as caught:
        read_params_yaml(params_file)
    # PyYAML points at line 3, where the indented key starts a nested mapping.
    assert caught.value.row == 3
    assert f"{params_file}, row 3" in str(caught.value)
    assert "not valid YAML" in str(caught.value)


def test_tab_indented_yaml_is_reported(tmp_path):
    with pytest.raises(SnaInputError) as caught:
        read_params_yaml(_write(tmp_path / "tab.yaml", "groups:\n\t- a\n"))
    assert caught.value.row == 2


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "42\n"])
def test_top_level_must_be_a_mapping(tmp_path, text):
    with pytest.raises(SnaInputError) as caught:
        read_params_yaml(_write(tmp_path / "p.yaml", text))
    assert "not a mapping" in str(caught.value)


def test_empty_file_means_all_defaults(tmp_path):
    assert load_params(_write(tmp_path / "p.yaml", "# nothing set\n"), TINY) == {}


def test_missing_params_file(tmp_path):
    with pytest.raises(SnaInputError, match="params file not found"):
        read_params_yaml(tmp_path / "nope.yaml")


def test_key_that_is_not_a_name(tmp_path):
    with pytest.raises(SnaInputError, match="not a valid name"):
        read_params_yaml(_write(tmp_path / "p.yaml", "1: a\n"))


def test_none_default_accepts_any_type(tmp_path):
    notebook = _notebook(tmp_path / "nb.ipynb", "threshold = None\n")
    assert load_params(_write(tmp_path / "p.yaml", "threshold: [1, 2]\n"), notebook) == {
        "threshold": [1, 2]}


def test_notebook_validator_is_called(tmp_path, monkeypatch):
    (tmp_path / "fixture_validator_mod.py").write_text(
        "from sna.errors import SnaInputError\n"
        "def check(params, params_file):\n"
        "    if params.get('n', 0) > 100:\n"
        "        raise SnaInputError('n is too big', fix='use n <= 100', file=str(params_file),\n"
        "                            column='n')\n"
        "    return {**params, 'checked': True}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    notebook = _notebook(tmp_path / "nb.ipynb", "n = 1\n",
                         metadata={"validator": "fixture_validator_mod:check"})
    assert load_params(_write(tmp_path / "ok.yaml", "n: 5\n"), notebook) == {"n": 5,
                                                                           "checked": True}
    with pytest.raises(SnaInputError, match="n is too big"):
        load_params(_write(tmp_path / "big.yaml", "n: 500\n"), notebook)


def test_validator_that_cannot_be_imported(tmp_path):
    notebook = _notebook(tmp_path / "nb.ipynb", "n = 1\n",
                         metadata={"validator": "no_such_module_xyz:check"})
    with pytest.raises(SnaInputError, match="cannot be imported"):
        load_params(_write(tmp_path / "p.yaml", "n: 5\n"), notebook)
