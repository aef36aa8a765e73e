"""The project's own national ingest rebuilds the shipped national police.uk aggregate.

Reference: the shipped aggregate itself (data/raw/shipped/national/police_uk_2025), built
independently with DuckDB by the data pack from the same police.uk files. North Yorkshire
and Cumbria 2025 are shipped as monthly files, so their rows must be reproduced exactly
(Humberside is not exact: see test_national_counts.py and data/README.md).
"""

import gzip

import pandas as pd
import pytest

from sna.cli import main
from sna.errors import SnaInputError
from sna.io.national import ingest_to_parquet_dataset
from sna.io.national_counts import (
    aggregate_dataset,
    build_national_counts,
    coverage,
    national_counts,
)
from sna.paths import raw_dir

SHIPPED = raw_dir() / "shipped" / "police_uk"
FORCES = ["cumbria", "north-yorkshire"]
YEAR = ("2025-01", "2025-12")


def _files(forces=FORCES):
    return [p for force in forces for p in sorted((SHIPPED / force).glob("2025-*.csv.gz"))]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("national")
    summary = build_national_counts(_files(), out, forces=[*FORCES, "west-yorkshire"],
                                    months=YEAR)
    return out, summary


def test_rows_equal_the_shipped_aggregate_exactly(built):
    out, summary = built
    mine = national_counts(folder=out)
    ref = national_counts()
    ref = ref[ref["force"].isin(FORCES)].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, ref)
    assert summary["offences"] == int(ref["offences"].sum())
    assert summary["quarantined_other"] == {}


def test_coverage_equals_the_shipped_coverage_and_names_no_data(built):
    out, summary = built
    mine = coverage(folder=out)
    ref = coverage()
    ref = ref[ref["force"].isin([*FORCES, "west-yorkshire"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, ref)
    # West Yorkshire has no file: listed, blank, never zero, and absent from the counts.
    assert summary["no_data"] == [["west-yorkshire", f"2025-{m:02d}"] for m in range(1, 13)]
    assert mine.loc[mine["force"] == "west-yorkshire", "rows_in"].isna().all()
    assert "west-yorkshire" not in set(national_counts(folder=out)["force"])


def test_rows_in_are_offences_plus_repeats_plus_other_quarantine(tmp_path):
    """A corrupt row is quarantined, not counted, and named in the summary."""
    source = _files(["cumbria"])[0]
    lines = gzip.decompress(source.read_bytes()).decode().splitlines()
    fields = lines[5].split(",")
    fields[9] = "Violent crime"  # not a police.uk category
    lines[5] = ",".join(fields)
    copy = tmp_path / "in" / "2025-01-cumbria-street.csv"
    copy.parent.mkdir()
    copy.write_text("\n".join(lines) + "\n")
    summary = build_national_counts(copy, tmp_path / "out")
    cov = coverage(folder=tmp_path / "out")
    counted = int(national_counts(folder=tmp_path / "out")["offences"].sum())
    (reasons,) = summary["quarantined_other"].values()
    assert cov["rows_in"].sum() == counted + cov["repeat_crime_id_rows"].sum() + 1
    assert list(reasons.values()) == [1] and "crime type" in next(iter(reasons))


def test_a_dataset_without_file_hashes_is_refused(tmp_path):
    ingest_to_parquet_dataset(_files(["cumbria"])[:1], tmp_path / "ds")
    with pytest.raises(SnaInputError, match="SHA-256"):
        aggregate_dataset(tmp_path / "ds", tmp_path / "out")


def test_cli_builds_the_aggregate(tmp_path, capsys):
    code = main(["national", *map(str, _files(["cumbria"])[:2]), "--out", str(tmp_path),
                 "--forces", "cumbria", "durham"])
    printed = capsys.readouterr().out
    assert code == 0 and "2 force-months with no file" in printed
    assert set(national_counts(folder=tmp_path)["month"]) == {"2025-01", "2025-02"}
