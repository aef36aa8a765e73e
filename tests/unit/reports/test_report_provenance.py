"""Provenance: file hashes, data-file collection, package versions, git state."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
from datetime import UTC, datetime, timedelta, timezone
from importlib import metadata

import pytest

from sna.paths import repo_root
from sna.reports.provenance import (
    RECORDED_PACKAGES,
    build_provenance,
    collect_data_files,
    file_sha256,
    git_state,
    package_versions,
)


def test_file_sha256_matches_hashlib_over_several_blocks(tmp_path):
    data = os.urandom(3 * (1 << 20) + 17)
    (tmp_path / "big.bin").write_bytes(data)
    assert file_sha256(tmp_path / "big.bin") == hashlib.sha256(data).hexdigest()


def test_file_sha256_known_vector(tmp_path):
    (tmp_path / "abc").write_bytes(b"abc")
    # FIPS 180-2 test vector for "abc".
    assert file_sha256(tmp_path / "abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "root"
    (root / "data" / "raw" / "sub").mkdir(parents=True)
    (root / "data" / "raw" / "a.csv").write_text("a")
    (root / "data" / "raw" / "sub" / "b.csv").write_text("bb")
    (root / "data" / "raw" / "__pycache__").mkdir()
    (root / "data" / "raw" / "__pycache__" / "c.pyc").write_text("x")
    (root / "lookup.csv").write_text("ccc")
    (tmp_path / "outside.csv").write_text("o")
    return root


def test_collect_data_files_walks_values_and_folders(tree):
    params = {"area": "York", "data_dir": "data/raw", "extra": {"lookups": ["lookup.csv"]},
              "again": str(tree / "lookup.csv"), "missing": "data/none.csv", "n": 3}
    assert collect_data_files(params, root=tree) == [
        tree / "data" / "raw" / "a.csv", tree / "data" / "raw" / "sub" / "b.csv",
        tree / "lookup.csv"]


def test_collect_data_files_ignores_root_but_hashes_inputs_outside_it(tree):
    # Issue 20: an input outside the project is read as much as one inside it.
    params = {"here": ".", "empty": "", "text": "York\nSelby", "fs_root": "/"}
    assert collect_data_files(params, root=tree) == []
    outside = (tree.parent / "outside.csv").resolve()
    assert collect_data_files({"up": "../outside.csv"}, root=tree) == [outside]
    assert collect_data_files({"absolute": str(outside)}, root=tree) == [outside]


def test_build_provenance(tree):
    stamp = datetime(2025, 4, 1, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    notebook = tree / "nb.ipynb"
    notebook.write_text("{}")
    params_file = tree / "p.yaml"
    params_file.write_text("area: York\n")
    record = build_provenance({"area": "York"}, notebook, [tree / "lookup.csv",
                                                           tree.parent / "outside.csv"],
                              defaults_used={"n": 3}, params_file=params_file,
                              run_timestamp=stamp, root=tree)
    assert record["run_timestamp"] == "2025-04-01T09:30:00Z"
    assert record["notebook"] == {"path": "nb.ipynb",
                                  "sha256": hashlib.sha256(b"{}").hexdigest()}
    assert record["params_file"]["path"] == "p.yaml"
    assert record["data_files"] == [
        {"path": "lookup.csv", "bytes": 3, "sha256": hashlib.sha256(b"ccc").hexdigest()},
        {"path": (tree.parent / "outside.csv").resolve().as_posix(), "bytes": 1,
         "sha256": hashlib.sha256(b"o").hexdigest()},
    ]
    assert record["params"] == {"area": "York"} and record["defaults_used"] == {"n": 3}
    assert record["platform"] == platform.platform()
    assert record["git"] == {"commit": "unknown", "dirty": "unknown"}
    json.dumps(record)  # serialisable


def test_package_versions_match_installed_metadata():
    versions = package_versions()
    assert versions["python"] == platform.python_version()
    for name in RECORDED_PACKAGES:
        assert versions[name] == metadata.version(name)
    assert package_versions(names=["surely-not-installed-pkg"])["surely-not-installed-pkg"] == \
        "not installed"


def _head_commit_from_files(git_dir):
    head = (git_dir / "HEAD").read_text().strip()
    if not head.startswith("ref: "):
        return head
    ref = head[5:]
    loose = git_dir / ref
    if loose.exists():
        return loose.read_text().strip()
    for line in (git_dir / "packed-refs").read_text().splitlines():
        if line.endswith(" " + ref):
            return line.split()[0]
    raise AssertionError("ref not found")


def test_git_state_of_the_repository():
    git_dir = repo_root() / ".git"
    if not git_dir.is_dir():
        pytest.skip("not a plain git checkout")
    state = git_state(root=repo_root())
    assert re.fullmatch(r"[0-9a-f]{40}", state["commit"])
    # Read HEAD from .git directly: an independent route to the same commit. (A commit made
    # between the two reads would fail this; a retry then passes.)
    assert state["commit"] == _head_commit_from_files(git_dir)
    assert isinstance(state["dirty"], bool)


def test_git_state_outside_git(tmp_path):
    assert git_state(root=tmp_path) == {"commit": "unknown", "dirty": "unknown"}


def test_timestamp_defaults_to_now_utc(tree):
    (tree / "nb.ipynb").write_text("{}")
    before = datetime.now(UTC).replace(microsecond=0)
    record = build_provenance({}, tree / "nb.ipynb", [], root=tree)
    stamp = datetime.strptime(record["run_timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before <= stamp <= datetime.now(UTC)
