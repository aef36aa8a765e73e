"""Batches of street files checked in parallel give the same dataset as one by one."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sna.errors import SnaInputError
from sna.io import batches, national
from sna.io.ingest import StreetFile
from sna.paths import raw_dir

SHIPPED = raw_dir() / "shipped" / "police_uk"
CORPUS = Path(__file__).parents[2] / "corpus" / "police_uk"
VOLATILE = ("written_at", "ingest_seconds")


@pytest.fixture
def on_workers(monkeypatch):
    """Split even the small shipped data into many batches."""
    monkeypatch.setattr(batches, "BATCH_BYTES", 400_000)


def parts_as_frame(folder: Path) -> pd.DataFrame:
    frame = pq.read_table(folder).to_pandas()
    return frame.sort_values(["source_file", "source_row"]).reset_index(drop=True)


def without_parts(manifest: dict) -> dict:
    """The manifest without timings and part names (which depend on the batching)."""
    out = {k: v for k, v in manifest.items() if k not in VOLATILE}
    out["files"] = [{k: v for k, v in e.items() if k not in ("clean", "quarantine")}
                    for e in manifest["files"]]
    return out


def test_parallel_batches_write_the_same_dataset_as_one_by_one(tmp_path, on_workers):
    sources = [SHIPPED / "north-yorkshire", SHIPPED / "cumbria", SHIPPED / "humberside"]
    pooled = national.ingest_to_parquet_dataset(sources, tmp_path / "pooled", workers=2)
    single = national.ingest_to_parquet_dataset(sources, tmp_path / "single", workers=1)
    assert without_parts(pooled) == without_parts(single)
    parts = {e["clean"] for e in pooled["files"]}
    assert len(parts) > 2  # several batches really ran
    assert all((tmp_path / "pooled" / p).exists() for p in parts)
    for folder in ("clean", "quarantine"):
        pd.testing.assert_frame_equal(parts_as_frame(tmp_path / "pooled" / folder),
                                      parts_as_frame(tmp_path / "single" / folder))


def test_worker_errors_surface_in_file_order(tmp_path, on_workers):
    src = tmp_path / "src"
    shutil.copytree(SHIPPED / "cumbria", src)
    # A file-level error late in the run, and another force's file earlier on.
    (src / "2025-11-cumbria-street.csv.gz").unlink()  # one file a force-month
    shutil.copy(CORPUS / "month_mismatch__2025-01-north-yorkshire-street.csv",
                src / "2025-11-cumbria-street.csv")
    shutil.copy(SHIPPED / "north-yorkshire" / "2025-03-north-yorkshire-street.csv.gz", src)
    with pytest.raises(SnaInputError, match="not of Cumbria Constabulary") as err:
        national.ingest_to_parquet_dataset(src, tmp_path / "ds", workers=2,
                                           forces=["Cumbria Constabulary"])
    assert err.value.file == "2025-03-north-yorkshire-street.csv.gz"
    with pytest.raises(SnaInputError, match="does not match the file name's month") as err:
        national.ingest_to_parquet_dataset(src, tmp_path / "ds", workers=2)
    assert (err.value.file, err.value.row, err.value.column) == (
        "2025-11-cumbria-street.csv", 2, "Month")
    assert not (tmp_path / "ds").exists()
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".ds")] == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 50), max_size=30), st.integers(1, 60))
def test_plan_batches_keeps_every_file_once_in_order(sizes, limit):
    files = [StreetFile(f"f{i:03d}", Path(f"f{i:03d}")) for i in range(len(sizes))]
    planned = batches.plan_batches(files, sizes, "out", batch_bytes=limit)
    assert [f for b in planned for f in b.files] == files
    assert [b.number for b in planned] == list(range(len(planned)))
    size = dict(zip(files, sizes, strict=True))
    for b in planned:
        total = sum(size[f] for f in b.files)
        assert total <= limit or len(b.files) == 1
    for first, second in zip(planned, planned[1:], strict=False):
        # a run ends only when the next file would take it over the limit
        assert sum(size[f] for f in first.files) + size[second.files[0]] > limit


def test_errors_pickle_with_their_fields():
    import pickle

    err = SnaInputError("bad month", fix="re-download", file="a.csv", row=3, column="Month",
                        value="2023-13")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is SnaInputError and str(back) == str(err)
    assert (back.file, back.row, back.column, back.value) == ("a.csv", 3, "Month", "2023-13")


def test_batch_size_balances_the_workers_and_caps_the_batches():
    assert batches.batch_size(0, 2) == 1
    assert batches.batch_size(800, 2) == 100  # 8 batches for 2 workers
    assert batches.batch_size(801, 2) == 101
    assert batches.batch_size(10**12, 2) == batches.BATCH_BYTES


def test_crime_ids_are_stored_uncompressed_only_with_fast_codecs(tmp_path):
    src = SHIPPED / "cumbria" / "2025-01-cumbria-street.csv.gz"
    for codec, expected in (("snappy", "UNCOMPRESSED"), ("zstd", "ZSTD")):
        national.ingest_to_parquet_dataset(src, tmp_path / codec, repeat_ids=False,
                                           compression=codec)
        meta = pq.ParquetFile(next((tmp_path / codec / "clean").glob("*.parquet"))).metadata
        names = [meta.schema.column(i).name for i in range(meta.num_columns)]
        codecs = {n: meta.row_group(0).column(i).compression for i, n in enumerate(names)}
        assert codecs.pop("crime_id") == expected
        assert set(codecs.values()) == {codec.upper()}


def test_duckdb_passes_keep_to_the_memory_limit_and_leave_no_spill(tmp_path, monkeypatch):
    src = SHIPPED / "north-yorkshire"
    expected = national.ingest_to_parquet_dataset(src, tmp_path / "a")
    monkeypatch.setattr(national, "DUCKDB_MEMORY_LIMIT", "16MB")
    with national.duckdb_connection(tmp_path / "spill") as con:
        # 16 MB = 15.26 MiB, as DuckDB reports it
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "15.2 MiB"
    limited = national.ingest_to_parquet_dataset(src, tmp_path / "b")
    assert limited["notes"]["repeat_crime_ids_across_months"] == \
        expected["notes"]["repeat_crime_ids_across_months"] > 0
    pd.testing.assert_frame_equal(national.counts_by(tmp_path / "a", by=["lsoa_code", "month"]),
                                  national.counts_by(tmp_path / "b", by=["lsoa_code", "month"]))
    assert not any(p.name.startswith(".duckdb") for p in (tmp_path / "b").iterdir())


def test_zip_members_are_sized_from_the_archive_and_ingest_like_files(tmp_path):
    import gzip
    import zipfile

    texts = {name: gzip.decompress((SHIPPED / "cumbria" / (name + ".gz")).read_bytes())
             for name in ("2025-01-cumbria-street.csv", "2025-02-cumbria-street.csv")}
    archive = tmp_path / "police.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for name, text in texts.items():
            out.writestr(f"{name[:7]}/{name}", text)
    plain = tmp_path / "2025-03-cumbria-street.csv"
    plain.write_bytes(b"x" * 1234)
    files = [StreetFile("a", archive, member=f"{n[:7]}/{n}") for n in texts] + [
        StreetFile(plain.name, plain)]
    assert batches.input_bytes(files) == [*(len(t) for t in texts.values()), 1234]
    from_zip = national.ingest_to_parquet_dataset(archive, tmp_path / "z", repeat_ids=False)
    folder = tmp_path / "folder"
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_bytes(text)
    from_folder = national.ingest_to_parquet_dataset(folder, tmp_path / "f", repeat_ids=False)
    assert [e["rows_in"] for e in from_zip["files"]] == [e["rows_in"] for e in from_folder["files"]]
    assert from_zip["quarantine_reasons"] == from_folder["quarantine_reasons"]


def test_repeat_ids_are_counted_exactly_when_hashes_collide(tmp_path, monkeypatch):
    src = SHIPPED / "north-yorkshire"
    expected = national.ingest_to_parquet_dataset(src, tmp_path / "a")
    # Four hash values for ~100k IDs: nearly every ID shares its hash with others.
    monkeypatch.setattr(batches, "ID_HASH_SQL", "hash(crime_id) & 3::UBIGINT")
    ids = pq.read_table(tmp_path / "a" / "clean", columns=["crime_id"])["crime_id"]
    keys = batches.crime_id_hashes([pa.table({"crime_id": ids})])
    assert set(keys.tolist()) == {0, 1, 2, 3} and len(keys) == len(ids) - ids.null_count
    collided = national.ingest_to_parquet_dataset(src, tmp_path / "b")
    assert collided["notes"]["repeat_crime_ids_across_months"] == \
        expected["notes"]["repeat_crime_ids_across_months"] > 0


def test_crime_id_hashes_cover_given_ids_only_and_repeat_with_the_id():
    tables = [pa.table({"crime_id": pa.array(["x", None, "y"])}),
              pa.table({"crime_id": pa.array([], pa.string())}),
              pa.table({"crime_id": pa.array(["x"])})]
    found = batches.crime_id_hashes(tables)
    assert found.dtype == np.uint64 and len(found) == 3
    assert found[0] == found[2] != found[1]
    assert len(batches.crime_id_hashes([])) == 0
