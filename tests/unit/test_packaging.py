"""The project's set-up files agree with each other, and sensitive data cannot reach git."""

import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_and_extras_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in ("test", "lab", "bench", "lint"):  # what `make test` installs; not `fetch`
        wanted |= {_name(r) for r in project["optional-dependencies"][extra]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda == wanted
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip == ["--no-deps -e ."]
    assert env["channels"] == ["conda-forge"]


def test_readme_quick_start_has_two_commands_and_ci_runs_the_test_one():
    text = (ROOT / "README.md").read_text()
    section = re.search(r"^## Quick start$(.*?)^## ", text, re.S | re.M).group(1)
    blocks = re.findall(r"```[a-z]*\n(.*?)```", section, re.S)
    commands = [line for b in blocks for line in b.splitlines()
                if line.strip() and not line.strip().startswith("#")]
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert commands[1].strip() in [line.strip() for line in ci]


def _git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.skipif(_git("rev-parse").returncode != 0, reason="not a git checkout")
@pytest.mark.parametrize("path", [
    "data/raw/force_extract_2025.csv", "data/raw/sub/x.parquet",
    "data/processed/north-yorkshire/clean.parquet", "reports/svd_sna/latest.html",
])
def test_sensitive_and_generated_files_are_git_ignored(path):
    target = ROOT / path
    created = not target.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    if created:
        target.write_text("sensitive")
    try:
        assert _git("check-ignore", "-q", path).returncode == 0, f"{path} is not ignored"
    finally:
        if created:
            target.unlink()


@pytest.mark.skipif(_git("rev-parse").returncode != 0, reason="not a git checkout")
def test_shipped_public_data_is_not_ignored():
    for path in ["data/raw/shipped/police_uk/north-yorkshire/2025-01-north-yorkshire-street.csv.gz",
                 "data/raw/shipped/geography/ruc2021_lsoa21_ew.csv.gz"]:
        assert _git("check-ignore", "-q", path).returncode == 1


def test_notebooks_are_committed_without_outputs_and_with_kernel_and_parameters():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = json.loads(path.read_text())
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), path
        assert nb["metadata"]["kernelspec"]["name"] == "python3", path
        assert any("parameters" in c.get("metadata", {}).get("tags", []) for c in code), path


def test_shipped_data_stays_small():
    total = sum(p.stat().st_size for p in (ROOT / "data" / "raw" / "shipped").rglob("*") if p.is_file())
    assert total < 30 * 1024 * 1024


def _constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[_name(name)] = version.strip()
    return pins


def test_floors_extras_and_pinned_test_toolchain():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert data["build-system"]["requires"] == ["setuptools>=77"]  # PEP 639 license = "MIT"
    project = data["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    assert not runtime & {"jupyterlab", "polars", "pytest"}
    extras = {k: {_name(r) for r in v} for k, v in project["optional-dependencies"].items()}
    assert "jupyterlab" in extras["lab"] and "polars" in extras["bench"]
    assert {"pre-commit", "nbstripout", "detect-secrets"} <= extras["lint"]
    pins = _constraints()
    for requirement in project["optional-dependencies"]["test"]:
        if "==" in requirement:
            name, version = requirement.split("==")
            assert pins[_name(name)] == version, requirement
    assert {"pytest", "pytest-xdist"} <= {_name(r.split("==")[0])
                                          for r in project["optional-dependencies"]["test"]
                                          if "==" in r}


def test_constraints_pin_every_dependency_and_extra_that_make_installs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in ("test", "lab", "bench", "lint"):
        wanted |= {_name(r) for r in project["optional-dependencies"][extra]}
    pins = _constraints()
    assert wanted <= set(pins), sorted(wanted - set(pins))
    assert all(re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", v) for v in pins.values())


def test_pre_commit_hooks_are_local_and_ci_lints():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]  # nothing cloned from GitHub
    hooks = {hook["id"]: hook for hook in config["repos"][0]["hooks"]}
    assert {"ruff", "nbstripout", "detect-secrets"} <= set(hooks)
    assert "--keep-id" in hooks["nbstripout"]["entry"]
    assert (ROOT / ".secrets.baseline").exists()
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert ci.index("make lint") < ci.index("make test")
    makefile = (ROOT / "Makefile").read_text()
    assert "pre-commit run --all-files" in makefile and "uv pip install" in makefile.replace(
        '"$$uv" pip install', "uv pip install")
