"""What made a report: parameters, notebook and data hashes, package versions, git commit.

The runner writes this record as ``provenance.json`` beside each report and the renderer
shows it at the end of the HTML, so a reviewer can tell exactly which inputs and code
produced the figures.
"""

from __future__ import annotations

import platform
import subprocess
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from sna.paths import file_sha256, repo_root

__all__ = [
    "build_provenance",
    "collect_data_files",
    "git_state",
    "package_versions",
]

#: Distributions whose versions every report records (python is added separately).
RECORDED_PACKAGES = (
    "sna", "pandas", "numpy", "scipy", "statsmodels", "altair", "vl-convert-python",
    "geopandas", "papermill", "nbconvert", "pyarrow",
)

_SKIPPED_DIRS = {".git", "__pycache__", ".ipynb_checkpoints"}
MAX_FILES_PER_FOLDER = 5000
"""Most files hashed from one folder named in the params."""



def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _files_under(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
        return
    for child in sorted(path.rglob("*")):
        if child.is_file() and not _SKIPPED_DIRS.intersection(child.relative_to(path).parts):
            yield child


def collect_data_files(params: dict[str, Any], *, root: str | Path | None = None) -> list[Path]:
    """Return the existing files that params values point to, wherever they live.

    Every string value (also inside lists and dicts) is read as a path, relative to
    ``root`` unless absolute. If it names an existing file that file is collected; if it
    names a folder (other than ``root`` itself, the filesystem root or the home folder)
    every file in it is, up to :data:`MAX_FILES_PER_FOLDER`. Inputs outside the project
    are hashed too: they were read as much as those inside it.

    Parameters
    ----------
    params : dict
        Validated report parameters.
    root : str or Path, optional
        The project root (default :func:`sna.paths.repo_root`) for relative paths.

    Returns
    -------
    list of Path
        Absolute, resolved, sorted and without duplicates.

    Examples
    --------
    >>> files = collect_data_files({"data_file": "tests/fixtures/report/tiny_data.csv",
    ...                             "area": "York"})
    >>> [f.name for f in files]
    ['tiny_data.csv']
    """
    base = Path(root if root is not None else repo_root()).resolve()
    too_wide = {base, Path(base.anchor), Path.home().resolve()}
    found: set[Path] = set()
    for text in _strings(params):
        if not text.strip() or "\n" in text or "\0" in text or len(text) > 1000:
            continue
        candidate = Path(text)
        try:
            candidate = (candidate if candidate.is_absolute() else base / candidate).resolve()
            if candidate in too_wide or not candidate.exists():
                continue
        except (OSError, RuntimeError):
            continue
        for number, file in enumerate(_files_under(candidate)):
            if number >= MAX_FILES_PER_FOLDER:
                break
            found.add(file)
    return sorted(found)


def _display_path(path: Path, base: Path) -> str:
    path = Path(path).resolve()
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else path.as_posix()


def package_versions(*, names: Iterable[str] = RECORDED_PACKAGES) -> dict[str, str]:
    """Return ``{"python": ..., name: version}``; "not installed" for a missing package.

    Parameters
    ----------
    names : iterable of str, default RECORDED_PACKAGES
        Distribution names.

    Returns
    -------
    dict
        Name -> version (``"not installed"`` when missing).

    Examples
    --------
    >>> versions = package_versions(names=["pandas", "no-such-package-xyz"])
    >>> sorted(versions), versions["no-such-package-xyz"]
    (['no-such-package-xyz', 'pandas', 'python'], 'not installed')
    """
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_state(*, root: str | Path | None = None) -> dict[str, Any]:
    """Return the git commit of ``root`` and whether its work tree has changes.

    Outside a git work tree (or without git) both are ``"unknown"``. Only read-only git
    commands are used (``--no-optional-locks`` keeps ``status`` from touching the index).

    Parameters
    ----------
    root : str or Path, optional
        The repository; default: the project root.

    Returns
    -------
    dict
        ``commit`` and ``dirty`` (``"unknown"`` when ``root`` is not a git checkout).

    Examples
    --------
    >>> import tempfile
    >>> git_state(root=tempfile.mkdtemp())
    {'commit': 'unknown', 'dirty': 'unknown'}
    """
    base = str(root if root is not None else repo_root())

    def git(*args: str) -> str:
        return subprocess.run(["git", "--no-optional-locks", "-C", base, *args],
                              capture_output=True, text=True, check=True, timeout=30).stdout

    try:
        commit = git("rev-parse", "HEAD").strip()
        dirty = bool(git("status", "--porcelain").strip())
    except (OSError, subprocess.SubprocessError):
        return {"commit": "unknown", "dirty": "unknown"}
    return {"commit": commit, "dirty": dirty}


def build_provenance(
    params: dict[str, Any],
    notebook: str | Path,
    data_files: Iterable[str | Path],
    *,
    defaults_used: dict[str, Any] | None = None,
    params_file: str | Path | None = None,
    run_timestamp: datetime | None = None,
    root: str | Path | None = None,
) -> dict[str, Any]:
    """Build the provenance record of one report run.

    Parameters
    ----------
    params : dict
        The validated parameters from the params file.
    notebook : str or Path
        The source notebook.
    data_files : iterable of path
        Input files to hash (see :func:`collect_data_files`).
    defaults_used : dict, optional
        The notebook's defaults for the parameters the file did not set (they ran too).
    params_file : str or Path, optional
        The params YAML, recorded with its hash.
    run_timestamp : datetime, optional
        When the run started (default now, UTC).
    root : str or Path, optional
        Project root: paths inside it are recorded relative to it (default
        :func:`sna.paths.repo_root`).

    Returns
    -------
    dict
        JSON-serialisable: ``run_timestamp``, ``notebook`` (path, sha256), ``params_file``,
        ``params``, ``defaults_used``, ``data_files`` (path, bytes, sha256 each),
        ``packages``, ``git`` (commit, dirty) and ``platform``.

    Examples
    --------
    >>> from sna.paths import file_sha256, repo_root
    >>> fixtures = repo_root() / "tests/fixtures/report"
    >>> record = build_provenance({"area": "York"}, fixtures / "tiny.ipynb",
    ...                           [fixtures / "tiny_data.csv"])
    >>> record["data_files"][0]["path"], record["data_files"][0]["bytes"]
    ('tests/fixtures/report/tiny_data.csv', 27)
    >>> "pandas" in record["packages"]
    True
    """
    base = Path(root if root is not None else repo_root()).resolve()
    stamp = run_timestamp or datetime.now(UTC)
    record: dict[str, Any] = {
        "run_timestamp": stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "notebook": {"path": _display_path(Path(notebook), base),
                     "sha256": file_sha256(notebook)},
        "params_file": None,
        "params": params,
        "defaults_used": dict(defaults_used or {}),
        "data_files": [
            {"path": _display_path(Path(f), base), "bytes": Path(f).stat().st_size,
             "sha256": file_sha256(f)}
            for f in data_files
        ],
        "packages": package_versions(),
        "git": git_state(root=base),
        "platform": platform.platform(),
    }
    if params_file is not None:
        record["params_file"] = {"path": _display_path(Path(params_file), base),
                                 "sha256": file_sha256(params_file)}
    return record
