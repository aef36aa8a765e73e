"""benchmarks/run_benchmark.py: every contender reads the same rows of the same files.

References: the line count of the generated files (``count_rows``: lines minus
headers) for the contenders that keep every row; the project's manifest
(rows in, clean rows) for the pandas baseline's and polars' checks.
"""

import importlib
import sys

import numpy as np
import pytest

from sna.io.national import ingest_to_parquet_dataset
from sna.paths import repo_root

sys.path.insert(0, str(repo_root() / "benchmarks"))
run_benchmark = importlib.import_module("run_benchmark")
generate_national = importlib.import_module("generate_national")


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """Two months of six forces in the generator's layout, 2% of rows with a fault."""
    out = tmp_path_factory.mktemp("national-year")
    rng = np.random.default_rng(7)
    pool = generate_national.load_pool()
    for slug in list(generate_national.FORCES)[:6]:
        for month in ("2025-01", "2025-02"):
            frame = generate_national.make_file(pool, slug, month, 400, 0.02, rng)
            generate_national.write_street_csv(frame, out / month / f"{month}-{slug}-street.csv")
    return out


@pytest.mark.parametrize("name", ["project", "pandas", "duckdb", "pyarrow", "polars",
                                  "polars_copy"])
def test_every_contender_counts_every_row(year, tmp_path, name):
    if name.startswith("polars"):
        pytest.importorskip("polars")
    rows, files, _ = run_benchmark.count_rows(year)
    assert (files, rows) == (12, 4_800)
    assert getattr(run_benchmark, f"run_{name}")(year, tmp_path) == rows


def test_polars_full_keeps_the_rows_the_ingest_keeps(year, tmp_path):
    pytest.importorskip("polars")
    manifest = ingest_to_parquet_dataset(year, tmp_path / "dataset")
    assert manifest["rows_quarantined"] > 0  # the generated faults are set aside
    assert run_benchmark.run_polars_full(year, tmp_path) == manifest["rows_clean"]
