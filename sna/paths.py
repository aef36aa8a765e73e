"""Where the project's files live, resolved from the repository root."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = [
    "file_record",
    "file_sha256",
    "processed_dir",
    "raw_dir",
    "repo_root",
    "reports_dir",
]


def repo_root() -> Path:
    """Return the project root (the folder holding ``pyproject.toml``).

    ``SNA_ROOT`` in the environment overrides the search, for installed copies.

    Returns
    -------
    pathlib.Path

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
    """Return ``data/raw`` under the project root.

    Returns
    -------
    pathlib.Path
    """
    return repo_root() / "data" / "raw"


def processed_dir() -> Path:
    """Return ``data/processed`` under the project root.

    Returns
    -------
    pathlib.Path
    """
    return repo_root() / "data" / "processed"


def reports_dir() -> Path:
    """Return ``reports`` under the project root.

    Returns
    -------
    pathlib.Path
    """
    return repo_root() / "reports"


def file_sha256(path: str | Path) -> str:
    """Return the SHA-256 hex digest of a file, read in 1 MiB blocks.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    str
        64 hexadecimal characters.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = path.write_bytes(b"abc")
    >>> file_sha256(path)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_record(path: str | Path) -> dict:
    """SHA-256 and size in bytes of a file, as every manifest of the project records them.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    dict
        ``{"sha256": ..., "bytes": ...}``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "part.parquet"
    >>> _ = path.write_bytes(b"abc")
    >>> file_record(path)["bytes"], file_record(path)["sha256"][:8]
    (3, 'ba7816bf')
    """
    return {"sha256": file_sha256(path), "bytes": Path(path).stat().st_size}
