"""National scale: the Arrow ingest engine, the Parquet dataset and DuckDB aggregates.

References: the pandas implementation of the police.uk rules in
tests/unit/io/pandas_reference.py (parse_street_csv, check_month_and_force,
row_reasons, typed_street_table: the engine the project shipped first) is the
second method for the Arrow engine; Python's ``re`` and ``pandas.to_numeric`` for its vectorised checks;
pandas group-bys of the in-memory reader for the DuckDB aggregates; the
Poisson limits written out with scipy.stats for the rates; ONS's published
Census 2021 total for England and Wales for the force-area populations.
"""

import csv
import importlib
import io
import json
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from pandas_reference import reference_read
from scipy import stats

from fuzzing import mutate, valid_street_text
from sna.errors import SnaInputError
from sna.io import ingest
from sna.io.accounting import Accounted
from sna.io.ingest import CRIME_TYPES, LSOA_PATTERN, POLICE_UK_COLUMNS, read_police_uk
from sna.io.national import (
    counts_by,
    dataset_notes,
    ingest_to_parquet_dataset,
    parquet_glob,
    pfa_of_force,
    pfa_population,
    read_manifest,
)
from sna.paths import raw_dir, repo_root
from sna.stats.force_rates import force_rates

SHIPPED = raw_dir() / "shipped" / "police_uk"
CORPUS = Path(__file__).parents[2] / "corpus" / "police_uk"
NY = "North Yorkshire Police"
M = "2025-01-north-yorkshire-street.csv"
sys.path.insert(0, str(repo_root() / "benchmarks"))
generate_national = importlib.import_module("generate_national")


# ---------------------------------------------------------------- the pandas reference


def assert_same(fast: Accounted, slow: Accounted) -> None:
    pd.testing.assert_frame_equal(fast.clean, slow.clean)
    pd.testing.assert_frame_equal(fast.quarantine, slow.quarantine)
    assert fast.rows_in == slow.rows_in
    assert fast.notes == slow.notes


def outcome(read, path, **kwargs):
    try:
        return read(path, **kwargs)
    except SnaInputError as err:
        return str(err)


# ---------------------------------------------------------------- Arrow engine = pandas rules


def test_shipped_folders_identical_to_pandas_reference():
    src = [SHIPPED / "cumbria" / f"2025-0{m}-cumbria-street.csv.gz" for m in (1, 2, 3)]
    assert_same(read_police_uk(src), reference_read(src))


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*")), ids=lambda p: p.name)
def test_corpus_identical_to_pandas_reference(path):
    fast, slow = outcome(read_police_uk, path), outcome(reference_read, path)
    if isinstance(fast, str) or isinstance(slow, str):
        assert fast == slow
    else:
        assert_same(fast, slow)


NUMBERS = st.one_of(
    st.sampled_from(["", "0", "0.0", "-1.5", "181", "-91", "nan", "inf", " 1.5", "+.5", "1.",
                     ".", "1e3", "0x10", "1_0", "\u0663", "-0", "1e400"]),
    st.floats(allow_nan=True).map(repr), st.text("0123456789.-+eE nNaIiFf", max_size=7))
LSOAS = st.one_of(
    st.sampled_from(["", "E01000001", "W01000001", "E0100000", "E01000001\n", "e01000001",
                     "E01\u0663\u0663\u0663\u0663\u0663\u0663\u0663", " E01000001"]),
    st.text("EW0123456789 \n", max_size=10))
TYPES = st.one_of(st.sampled_from(CRIME_TYPES + ["", "burglary", "Burglary ", "Month"]),
                  st.text(max_size=4))
ROWS = st.lists(st.tuples(st.sampled_from(["2025-01", "2025-01", "Month"]),
                          st.sampled_from(["", "a", "b", "Crime ID"]),
                          NUMBERS, NUMBERS, LSOAS, TYPES), min_size=1, max_size=10)


def write_rows(path: Path, rows) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(POLICE_UK_COLUMNS)
    for month, crime_id, lon, lat, lsoa, crime_type in rows:
        force = NY if month != "Month" else "Falls within"
        writer.writerow([crime_id, month, NY, force, lon, lat, "On or near X", lsoa, "n",
                         crime_type, "", ""])
    path.write_text(buffer.getvalue(), encoding="utf-8")


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(ROWS)
def test_random_rows_identical_to_pandas_reference(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("rows") / M
    write_rows(path, rows)
    fast = outcome(read_police_uk, path, forces=[NY])
    slow = outcome(reference_read, path, forces=[NY])
    if isinstance(fast, str) or isinstance(slow, str):
        assert fast == slow
    else:
        assert_same(fast, slow)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_mutated_bytes_identical_to_pandas_reference(tmp_path_factory, data):
    raw = mutate(data, valid_street_text(8).encode(), b',"\n;\x00\xe9a0-.e \r')
    path = tmp_path_factory.mktemp("bytes") / M
    path.write_bytes(raw)
    fast, slow = outcome(read_police_uk, path), outcome(reference_read, path)
    if isinstance(fast, str) or isinstance(slow, str):
        assert fast == slow
    else:
        assert_same(fast, slow)


def test_first_force_ignores_a_leading_repeated_header(tmp_path):
    # The force of a folder comes from the first *data* row, not a repeated header line.
    path = tmp_path / M
    write_rows(path, [("Month", "", "", "", "", "Burglary"), ("2025-01", "a", "", "", "",
                                                              "Burglary")])
    acc = read_police_uk(path)
    assert acc.quarantine["reason"].tolist() == [ingest.REASON_HEADER]
    assert acc.clean["force"].tolist() == [NY]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(LSOAS, st.text(max_size=10)), max_size=20))
def test_matches_is_python_re_match(values):
    expected = [re.match(LSOA_PATTERN, v) is not None for v in values]
    assert ingest.matches(pa.array(values, pa.string()), LSOA_PATTERN).tolist() == expected


def _correctly_rounded(text: str, pandas_value: float) -> float:
    """pandas' number, or Python's correctly rounded one where pandas is one unit off.

    pandas' parser rounds some exponent forms wrongly ('+3E30' -> 3.0000000000000003e30,
    one unit in the last place); Arrow and Python's float() round correctly.
    """
    try:
        exact = float(text)
    except ValueError:
        return pandas_value
    one_ulp = np.isfinite(exact) and abs(exact - pandas_value) <= np.spacing(abs(exact))
    return exact if one_ulp else pandas_value


@settings(max_examples=200, deadline=None)
@given(st.lists(NUMBERS, max_size=20))
@example(["+3E30", "3e30", "-1.5"])
def test_coordinate_is_pandas_to_numeric(values):
    by_pandas = pd.to_numeric(pd.Series(values, dtype=object).replace("", np.nan),
                              errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    expected = [_correctly_rounded(t, v) for t, v in zip(values, by_pandas, strict=True)]
    assert_allclose(ingest.coordinate(pa.array(values, pa.string())), expected, rtol=0)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["2025-01", "2025-02", "Month"]),
                          st.sampled_from(["", "a", "b", "c"])), max_size=25))
def test_repeats_within_month_is_pandas_duplicated(pairs):
    frame = pd.DataFrame(pairs, columns=["Month", "Crime ID"], dtype=object)
    expected = ((frame["Crime ID"] != "") & frame.duplicated(keep="first")).tolist()
    got = ingest.repeats_within_month(pa.array(frame["Month"].tolist(), pa.string()),
                                      pa.array(frame["Crime ID"].tolist(), pa.string()))
    assert got.tolist() == expected


def test_threaded_parse_still_numbers_malformed_lines():
    text = valid_street_text(4).encode().splitlines()
    text.insert(3, b"only,three,fields")
    rows, bad = ingest.read_street_arrow(b"\n".join(text) + b"\n", "f.csv", use_threads=True)
    assert bad == [(4, "only,three,fields")]
    assert rows["source_row"].to_pylist() == [2, 3, 5, 6]


# ---------------------------------------------------------------- the generator


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    out = tmp_path_factory.mktemp("national")
    generate_national.main(["--scale", "0.002", "--out", str(out), "--corrupt", "0.01"])
    return out


def test_generator_writes_police_uk_files_of_every_force_and_month(national):
    files = sorted(national.glob("*/*-street.csv"))
    assert len(files) == 43 * 12
    path = national / "2025-03" / "2025-03-metropolitan-street.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(frame.columns) == POLICE_UK_COLUMNS
    assert set(frame["Month"]) == {"2025-03"}
    assert set(frame["Falls within"]) == set(frame["Reported by"]) == {
        "Metropolitan Police Service"}
    ids = frame.loc[frame["Crime ID"] != "", "Crime ID"]
    assert ids.str.fullmatch(r"[0-9a-f]{64}").all()
    sizes = {p.name: p.read_bytes().count(b"\n") - 1 for p in files}
    assert sizes["2025-03-metropolitan-street.csv"] > 10 * sizes[
        "2025-03-city-of-london-street.csv"]


def test_generator_is_seeded():
    pool = generate_national.load_pool()

    def draw(seed):
        rng = np.random.default_rng(seed)
        sizes = generate_national.rows_per_file(0.01, rng)
        return sizes, generate_national.make_file(pool, "kent", "2025-07", 200, 0.05, rng)

    (sizes_a, a), (sizes_b, b), (_, c) = draw(7), draw(7), draw(8)
    assert sizes_a == sizes_b
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


# ---------------------------------------------------------------- the Parquet dataset


@pytest.fixture(scope="module")
def dataset(national, tmp_path_factory):
    out = tmp_path_factory.mktemp("ds") / "national"
    return out, ingest_to_parquet_dataset(national, out, months=("2025-01", "2025-12"))


@pytest.fixture(scope="module")
def in_memory(national):
    forces = [name for name, _ in generate_national.FORCES.values()]
    return read_police_uk(national, forces=forces, months=("2025-01", "2025-12"))


def data_lines(folder: Path) -> int:
    return sum(len(p.read_text().splitlines()) - 1 for p in folder.glob("*/*-street.csv"))


def test_dataset_accounting_matches_the_in_memory_reader(national, dataset, in_memory):
    out, manifest = dataset
    assert manifest["rows_in"] == data_lines(national) == in_memory.rows_in
    assert manifest["rows_clean"] + manifest["rows_quarantined"] == manifest["rows_in"]
    assert manifest["rows_quarantined"] > 0
    expected = in_memory.quarantine["reason"].value_counts().to_dict()
    assert manifest["quarantine_reasons"] == expected
    clean = pq.read_table(out / "clean")
    quarantine = pq.read_table(out / "quarantine")
    assert clean.num_rows == manifest["rows_clean"] == len(in_memory.clean)
    assert quarantine.num_rows == manifest["rows_quarantined"]
    for key in ("months", "missing_months", "files", "repeat_crime_ids_across_months"):
        assert manifest["notes"][key] == in_memory.notes[key]
    assert manifest == read_manifest(out)
    per_file = {e["source"]: e for e in manifest["files"]}
    assert len(per_file) == 43 * 12
    assert all(e["rows_in"] == e["rows_clean"] + e["rows_quarantined"] for e in per_file.values())


def test_dataset_rows_are_the_in_memory_rows(dataset, in_memory):
    out, _ = dataset
    stored = pq.read_table(out / "clean").to_pandas()
    stored = stored.sort_values(["source_file", "source_row"]).reset_index(drop=True)
    ref = in_memory.clean.sort_values(["source_file", "source_row"]).reset_index(drop=True)
    assert stored["month"].dt.to_period("M").tolist() == ref["month"].tolist()
    for col in ("crime_id", "lsoa_code", "location", "force", "crime_type", "source_file"):
        assert stored[col].fillna("<NA>").astype(str).tolist() == \
            ref[col].astype(object).fillna("<NA>").astype(str).tolist()
    assert_allclose(stored["longitude"].to_numpy(float, na_value=np.nan),
                    ref["longitude"].to_numpy(float, na_value=np.nan))
    quarantined = pq.read_table(out / "quarantine").to_pandas()
    pd.testing.assert_frame_equal(
        quarantined.sort_values(["source_file", "source_row"]).reset_index(drop=True),
        in_memory.quarantine.sort_values(["source_file", "source_row"]).reset_index(drop=True))


def test_dataset_notes_missing_months_by_force(national, tmp_path):
    src = tmp_path / "src"
    for name in ("2025-01/2025-01-kent-street.csv", "2025-03/2025-03-kent-street.csv",
                 "2025-02/2025-02-dorset-street.csv"):
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(national / name, src / name)
    manifest = ingest_to_parquet_dataset(src, tmp_path / "ds", repeat_ids=False)
    notes = manifest["notes"]
    assert notes["months"] == ["2025-01", "2025-02", "2025-03"]
    assert notes["missing_months"] == []
    assert notes["missing_months_by_force"] == {"Dorset Police": ["2025-01", "2025-03"],
                                                "Kent Police": ["2025-02"]}
    assert notes["repeat_crime_ids_across_months"] is None


def test_repeat_ids_across_months_equal_the_in_memory_note(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    write_rows(src / M, [("2025-01", "a", "", "", "", "Burglary"),
                         ("2025-01", "b", "", "", "", "Burglary")])
    write_rows(src / M.replace("2025-01", "2025-02"),
               [("2025-02", "a", "", "", "", "Burglary"), ("2025-02", "a", "", "", "", "Drugs"),
                ("2025-02", "c", "", "", "", "Burglary"), ("2025-02", "b", "", "", "", "Drugs")])
    manifest = ingest_to_parquet_dataset(src, tmp_path / "ds")
    assert manifest["notes"]["repeat_crime_ids_across_months"] == 2
    assert read_police_uk(src).notes["repeat_crime_ids_across_months"] == 2


def test_repeat_ids_on_shipped_north_yorkshire(tmp_path):
    src = SHIPPED / "north-yorkshire"
    manifest = ingest_to_parquet_dataset(src, tmp_path / "ny")
    expected = reference_read(src).notes["repeat_crime_ids_across_months"]
    assert manifest["notes"]["repeat_crime_ids_across_months"] == expected > 0


def test_dataset_notes_example_by_hand():
    entries = [{"source": "a", "clean_by_force_month": [["A", "2024-01", 3]]}]
    notes = dataset_notes(entries, ("2023-12", "2024-02"))
    assert notes["missing_months"] == ["2023-12", "2024-02"]
    assert notes["missing_months_by_force"] == {"A": ["2023-12", "2024-02"]}


def test_bad_file_stops_the_run_and_keeps_the_previous_dataset(national, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(national / "2025-01", src / "2025-01")
    out = tmp_path / "ds"
    ingest_to_parquet_dataset(src, out, repeat_ids=False)
    before = (out / "manifest.json").read_bytes()
    shutil.copy(CORPUS / "month_mismatch__2025-01-north-yorkshire-street.csv",
                src / "2025-01" / M)
    with pytest.raises(SnaInputError, match="does not match the file name's month"):
        ingest_to_parquet_dataset(src, out)
    assert (out / "manifest.json").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".ds")] == []


def test_explicit_forces_are_enforced(national):
    with pytest.raises(SnaInputError, match="not of Kent Police"):
        ingest_to_parquet_dataset(national / "2025-01", national.parent / "never",
                                  forces=["Kent Police"])
    assert not (national.parent / "never").exists()


def test_unknown_compression_is_actionable(tmp_path):
    with pytest.raises(SnaInputError, match="unknown Parquet compression 'zip'"):
        ingest_to_parquet_dataset(SHIPPED / "cumbria", tmp_path / "x", compression="zip")


def test_zstd_dataset_reads_the_same(tmp_path):
    src = SHIPPED / "cumbria" / "2025-01-cumbria-street.csv.gz"
    ingest_to_parquet_dataset(src, tmp_path / "a", repeat_ids=False)
    ingest_to_parquet_dataset(src, tmp_path / "b", repeat_ids=False, compression="zstd")
    pd.testing.assert_frame_equal(counts_by(tmp_path / "a", by=["lsoa_code", "crime_type"]),
                                  counts_by(tmp_path / "b", by=["lsoa_code", "crime_type"]))


def test_read_manifest_of_a_plain_folder_is_actionable(tmp_path):
    with pytest.raises(SnaInputError, match="not a police.uk Parquet dataset"):
        read_manifest(tmp_path)


# ---------------------------------------------------------------- DuckDB aggregates = pandas


def pandas_counts(clean: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    out = clean.groupby(by, dropna=False, observed=True).size().rename("count").reset_index()
    for col in by:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(str)
    return out.sort_values(by).reset_index(drop=True)


def normalised(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    for col in by:
        if col != "month":
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
            frame[col] = frame[col].map(lambda v: "<NA>" if v is None else str(v))
    return frame.sort_values(by).reset_index(drop=True)


@pytest.mark.parametrize("by", [["force", "month", "crime_type"], ["lsoa_code", "month",
                                                                   "crime_type"],
                                ["month"], ["located", "force"]])
def test_counts_by_equals_pandas_groupby(dataset, in_memory, by):
    out, _ = dataset
    got = normalised(counts_by(out, by=by), by)
    expected = normalised(pandas_counts(in_memory.clean, by), by)
    assert got["count"].dtype == np.int64
    pd.testing.assert_frame_equal(got[by + ["count"]], expected[by + ["count"]],
                                  check_dtype=False)


def test_counts_by_filters_equal_pandas(dataset, in_memory):
    out, _ = dataset
    got = counts_by(out, by=["force"], where={"crime_type": ["Robbery", "Drugs"]},
                    months=("2025-04", "2025-06"))
    clean = in_memory.clean
    keep = (clean["crime_type"].isin(["Robbery", "Drugs"])
            & clean["month"].between(pd.Period("2025-04", "M"), pd.Period("2025-06", "M")))
    expected = clean[keep].groupby("force", observed=True).size()
    assert dict(zip(got["force"], got["count"], strict=True)) == expected.to_dict()


def test_counts_by_missing_lsoa_and_month_filter(dataset, in_memory):
    out, _ = dataset
    got = counts_by(out, by="force", where={"lsoa_code": None, "month": "2025-02"})
    clean = in_memory.clean
    expected = clean[clean["lsoa_code"].isna() & (clean["month"] == pd.Period("2025-02", "M"))]
    assert got["count"].sum() == len(expected) > 0


@pytest.mark.parametrize("kwargs, message", [
    ({"by": ["crime_id"]}, "cannot group or filter by 'crime_id'"),
    ({"by": []}, "give at least one column"),
    ({"where": {"nope": 1}}, "cannot group or filter by 'nope'"),
    ({"months": ("2025-13", "2025-14")}, "months must be two YYYY-MM strings"),
    ({"months": ("2025-05", "2025-01")}, "is after the last"),
])
def test_counts_by_errors_are_actionable(dataset, kwargs, message):
    out, _ = dataset
    with pytest.raises(SnaInputError, match=message):
        counts_by(out, **kwargs)


def test_counts_by_without_parquet_is_actionable(tmp_path):
    with pytest.raises(SnaInputError, match="no Parquet files found"):
        counts_by(tmp_path, by="force")


def test_parquet_glob_accepts_a_folder_or_a_glob(dataset):
    out, manifest = dataset
    assert counts_by(parquet_glob(out), by="force")["count"].sum() == manifest["rows_clean"]


# ---------------------------------------------------------------- rates by force area


def test_pfa_population_sums_lsoas_and_matches_published_total():
    pop = pfa_population()
    assert len(pop) == 43 and pop["pfa24_code"].is_unique
    # Second method: the raw ONS files, joined without sna.io.geography.
    geo = raw_dir() / "shipped" / "geography"
    lsoa = pd.read_csv(geo / "lsoa21_ward24_ltla24_ew.csv.gz", dtype=str)
    pfa = pd.read_csv(geo / "ltla24_csp24_pfa24_ew.csv.gz", dtype=str).drop_duplicates(
        "ltla24_code")
    census = pd.read_csv(geo / "census2021_lsoa21_ew.csv.gz",
                         usecols=["lsoa21_code", "usual_residents"])
    joined = lsoa.merge(pfa, on="ltla24_code").merge(census, on="lsoa21_code")
    expected = joined.groupby("pfa24_code")["usual_residents"].sum()
    assert pop.set_index("pfa24_code")["population"].to_dict() == expected.to_dict()
    # ONS: 59,597,542 usual residents in England and Wales on Census Day 2021; LSOA
    # figures carry disclosure-control noise, so their sum differs by a few dozen.
    assert pop["population"].sum() == pytest.approx(59_597_542, rel=1e-5)


def test_every_generated_force_has_a_force_area():
    names = set(pfa_population()["pfa24_name"])
    forces = [name for name, _ in generate_national.FORCES.values()]
    assert {pfa_of_force(f) for f in forces} == names


def byars_by_hand(x: int, z: float) -> tuple[float, float]:
    lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    return lower, upper


def test_force_rates_by_hand(dataset, in_memory):
    out, _ = dataset
    rates = force_rates(out, months=("2025-01", "2025-06")).set_index("force")
    pop = pfa_population().set_index("pfa24_name")["population"]
    clean = in_memory.clean
    first_half = clean[clean["month"] <= pd.Period("2025-06", "M")]
    z = stats.norm.ppf(0.975)
    for force, x in first_half.groupby("force", observed=True).size().items():
        n = pop[pfa_of_force(force)]
        row = rates.loc[force]
        assert row["count"] == x and row["population"] == n
        if x >= 10:
            lower, upper = byars_by_hand(x, z)
        else:
            lower = stats.chi2.ppf(0.025, 2 * x) / 2 if x > 0 else 0.0
            upper = stats.chi2.ppf(0.975, 2 * x + 2) / 2
        assert_allclose([row["value"], row["lower"], row["upper"]],
                        np.array([x, lower, upper]) / n * 100_000, rtol=1e-9)


def test_force_rates_missing_population_gives_missing_rate(dataset):
    out, _ = dataset
    population = pfa_population()
    population = population[population["pfa24_name"] != "Kent"]
    rates = force_rates(out, population_by_pfa=population).set_index("force")
    assert np.isnan(rates.loc["Kent Police", "value"])
    assert rates.drop(index="Kent Police")["value"].notna().all()
    with pytest.raises(SnaInputError, match="no column 'population'"):
        force_rates(out, population_by_pfa=population.drop(columns="population"))


def test_manifest_is_json_with_per_file_parts(dataset):
    out, manifest = dataset
    entry = manifest["files"][0]
    assert entry["clean"].startswith("clean/part-") and (out / entry["clean"]).exists()
    assert json.loads((out / "manifest.json").read_text())["format"] == manifest["format"]
