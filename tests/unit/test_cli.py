"""The `sna` command line: one clear line and a non-zero exit on failure."""

import shutil
from pathlib import Path

from sna.cli import main

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "report"


def test_report_all_reports_failures_with_exit_code(tmp_path, capsys):
    params = tmp_path / "params"
    notebooks = tmp_path / "notebooks"
    params.mkdir()
    notebooks.mkdir()
    shutil.copy(FIXTURES / "tiny.ipynb", notebooks / "tiny.ipynb")
    (params / "tiny_typo.yaml").write_text("titel: x\n")
    code = main(["report", "--all", "--params-dir", str(params), "--notebooks-dir",
                 str(notebooks), "--reports-dir", str(tmp_path / "reports")])
    err = capsys.readouterr().err
    assert code == 1
    assert "tiny_typo.yaml" in err and "unknown parameter 'titel'" in err
    assert "Traceback" not in err


def test_report_unknown_notebook_is_a_clear_error(tmp_path, capsys):
    code = main(["report", "nope", "--params", str(tmp_path / "x.yaml"), "--notebooks-dir",
                 str(ROOT / "notebooks")])
    assert code == 2
    assert "no notebook named 'nope'" in capsys.readouterr().err
