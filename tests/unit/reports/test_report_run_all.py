"""run_all: every params file with its notebook, going on after a failure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sna.errors import SnaInputError
from sna.reports import ReportFailed, run_all
from sna.reports.run import match_notebook

FIXTURES = Path(__file__).parents[2] / "fixtures" / "report"


def test_run_all_one_good_one_failing(tmp_path):
    params_dir = tmp_path / "params"
    params_dir.mkdir()
    # Sorted order puts the failing file first, so the good run shows run_all went on.
    (params_dir / "tiny_bad_2025.yaml").write_text("aera: York\n")
    shutil.copy(FIXTURES / "tiny_good.yaml", params_dir / "tiny_york_2025.yaml")
    summary = run_all(params_dir, FIXTURES, reports_root=tmp_path / "reports", progress=False)
    assert [r.report for r in summary.succeeded] == ["tiny"]
    assert [p.name for p, _ in summary.failed] == ["tiny_bad_2025.yaml"]
    assert isinstance(summary.failed[0][1], SnaInputError)
    assert "did you mean 'area'?" in str(summary.failed[0][1])
    assert not summary.ok and summary.exit_code == 1
    assert (tmp_path / "reports" / "tiny" / "latest").read_text().strip() == \
        summary.succeeded[0].run_id


def test_run_all_records_unmatched_params_files(tmp_path, monkeypatch):
    params_dir = tmp_path / "params"
    params_dir.mkdir()
    (params_dir / "unknown_report_york.yaml").write_text("area: York\n")
    summary = run_all(params_dir, FIXTURES, reports_root=tmp_path / "reports", progress=False)
    assert summary.succeeded == []
    (params_file, error), = summary.failed
    assert params_file.name == "unknown_report_york.yaml"
    assert "no report notebook matches" in str(error) and "tiny" in error.fix


def test_run_all_on_an_empty_folder_is_ok(tmp_path):
    summary = run_all(tmp_path, FIXTURES, reports_root=tmp_path / "reports")
    assert summary.ok and summary.exit_code == 0 and summary.succeeded == []


def test_run_all_catches_report_failures(tmp_path, monkeypatch):
    import sna.reports.run as run_module

    def fail(notebook, params_file, **_):
        raise ReportFailed("Report failed in cell 3 (x): boom; partial notebook: p")

    monkeypatch.setattr(run_module, "run_report", fail)
    params_dir = tmp_path / "params"
    params_dir.mkdir()
    for name in ("tiny_a.yaml", "tiny_b.yml"):
        (params_dir / name).write_text("area: York\n")
    summary = run_all(params_dir, FIXTURES)
    assert [p.name for p, _ in summary.failed] == ["tiny_a.yaml", "tiny_b.yml"]
    assert summary.exit_code == 1


@pytest.mark.parametrize(
    ("params_name", "expected"),
    [
        ("svd_sna_nyy_2025.yaml", "svd_sna"),
        ("svd_sna.yaml", "svd_sna"),
        ("svd_nyy.yaml", "svd"),
        ("hate_crime_review_york_2024.yaml", "hate_crime_review"),
    ],
)
def test_match_notebook_longest_prefix(params_name, expected):
    notebooks = [Path(f"{n}.ipynb") for n in ("svd", "svd_sna", "hate_crime_review")]
    assert match_notebook(Path(params_name), notebooks).stem == expected


def test_match_notebook_needs_an_underscore_boundary():
    with pytest.raises(SnaInputError) as caught:
        match_notebook(Path("svd_snake_2025.yaml"), [Path("svd_sna.ipynb")])
    assert "svd_sna" in caught.value.fix
