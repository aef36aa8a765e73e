"""Where the project's files live, resolved from the repository root."""

from __future__ import annotations

import os
from pathlib import Path


def repo_root() -> Path:
    """Return the project root (the folder holding ``pyproject.toml``).

    ``SNA_ROOT`` in the environment overrides the search, for installed copies.

    Examples
    --------
    >>> (repo_root() / "pyproject.toml").exists()
    True
    """
    env = os.environ.get("SNA_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parent
    for candidate in (here, *here.parents):
        if (candidate / "pyproject.toml").exists():
            return candidate
    return Path.cwd().resolve()


def raw_dir() -> Path:
    """Return ``data/raw`` under the project root."""
    return repo_root() / "data" / "raw"


def processed_dir() -> Path:
    """Return ``data/processed`` under the project root."""
    return repo_root() / "data" / "processed"


def reports_dir() -> Path:
    """Return ``reports`` under the project root."""
    return repo_root() / "reports"
