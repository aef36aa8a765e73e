"""police.uk ingest: exact row accounting on every shipped file, and actionable errors."""

import gzip
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas_reference import parse_street_csv

from fuzzing import mutate, valid_street_text
from sna.errors import SnaInputError
from sna.io.ingest import (
    CRIME_TYPES,
    POLICE_UK_COLUMNS,
    find_street_files,
    read_police_uk,
)
from sna.paths import raw_dir
from sna.periods import month_runs

SHIPPED = raw_dir() / "shipped" / "police_uk"
SHIPPED_FILES = sorted(SHIPPED.glob("*/*.csv.gz"))
CORPUS = Path(__file__).parents[2] / "corpus" / "police_uk"
M = "2025-01-north-yorkshire-street.csv"
HEADER_FIX = ("use the police.uk street file unchanged; its header is: "
              + ", ".join(POLICE_UK_COLUMNS))


def data_lines(path: Path) -> int:
    """Count data lines independently of the reader (text lines minus the header)."""
    return len(gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()) - 1


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.name)
def test_every_shipped_file_is_fully_accounted(path):
    acc = read_police_uk(path)
    assert acc.rows_in == data_lines(path)
    assert acc.rows_in == len(acc.clean) + len(acc.quarantine)
    assert set(acc.quarantine["reason"]) <= {
        "repeat of a Crime ID already counted this month (another outcome row)"}
    # Every quarantined row points at a real line of the file.
    assert acc.quarantine["source_row"].between(2, acc.rows_in + 1).all()


def test_north_yorkshire_totals_match_published_provenance():
    # shared/data/SOURCES.md: 20 months, 101,215 rows, 1,313 same-month repeat rows.
    acc = read_police_uk(SHIPPED / "north-yorkshire", forces=["North Yorkshire Police"],
                         months=("2024-01", "2025-12"))
    assert acc.rows_in == 101_215
    assert len(acc.quarantine) == 1_313
    assert len(acc.clean) == 101_215 - 1_313
    assert month_runs(acc.notes["missing_months"], fmt="%Y-%m") == ["2024-05 to 2024-08"]
    assert len(acc.notes["months"]) == 20


def test_typed_table_and_data_decisions():
    acc = read_police_uk(SHIPPED / "north-yorkshire" / "2025-01-north-yorkshire-street.csv.gz")
    df = acc.clean
    assert isinstance(df["month"].dtype, pd.PeriodDtype)
    assert list(df["crime_type"].cat.categories) == CRIME_TYPES
    assert str(df["longitude"].dtype) == "Float64"
    asb = df[df["crime_type"] == "Anti-social behaviour"]
    assert len(asb) > 0 and asb["crime_id"].isna().all()  # ASB has no Crime ID and is kept
    assert df.dropna(subset=["crime_id"]).duplicated(["month", "crime_id"]).sum() == 0
    unlocated = df[~df["located"]]
    assert len(unlocated) > 0 and unlocated["lsoa_code"].isna().all()  # kept for counts


def test_repeat_rows_keep_the_first_occurrence():
    raw = pd.read_csv(SHIPPED / "north-yorkshire" / "2025-01-north-yorkshire-street.csv.gz",
                      dtype=str, keep_default_na=False)
    repeats = raw[(raw["Crime ID"] != "") & raw.duplicated(["Crime ID"], keep="first")]
    acc = read_police_uk(SHIPPED / "north-yorkshire" / "2025-01-north-yorkshire-street.csv.gz")
    assert sorted(acc.quarantine["source_row"]) == sorted((repeats.index + 2).tolist())


def test_folder_zip_and_single_file_agree(tmp_path):
    src = SHIPPED / "cumbria"
    archive = tmp_path / "2025-01.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted(src.glob("2025-0[12]*.gz")):
            name = path.name.removesuffix(".gz")
            z.writestr(f"{name[:7]}/{name}", gzip.decompress(path.read_bytes()))
            z.writestr(f"{name[:7]}/{name.replace('street', 'outcomes')}", "Crime ID\n")
    from_zip = read_police_uk(archive)
    folder = tmp_path / "months"
    for path in sorted(src.glob("2025-0[12]*.gz")):
        (folder / path.name[:7]).mkdir(parents=True)
        (folder / path.name[:7] / path.name.removesuffix(".gz")).write_bytes(
            gzip.decompress(path.read_bytes()))
    from_folder = read_police_uk(folder)
    assert from_zip.rows_in == from_folder.rows_in == sum(
        data_lines(p) for p in src.glob("2025-0[12]*.gz"))
    assert len(find_street_files(archive)) == 2  # outcomes files are not street files


ERRORS = {
    "empty__" + M: f"empty__{M}: the file is empty. Fix: download the month again from "
                   "police.uk, or remove the file.",
    "whitespace_only__" + M: f"whitespace_only__{M}: the file is empty. Fix: download the month "
                             "again from police.uk, or remove the file.",
    "latin1__" + M: f"latin1__{M}, row 2: the file is not UTF-8 (byte 0xe9 at line 2 looks like "
                    "Latin-1/Windows-1252 text). Fix: re-save the file as UTF-8 (in Excel: Save As "
                    "> CSV UTF-8), or download it again from police.uk.",
    "missing_column__" + M: f"missing_column__{M}, row 1, column 'Context': required column "
                            f"'Context' is missing; missing: Context. Fix: {HEADER_FIX}.",
    "renamed_column__" + M: f"renamed_column__{M}, row 1, column 'LSOA code': required column "
                            "'LSOA code' is missing (found 'LSOA Code 2021': was it renamed?); "
                            f"missing: LSOA code. Fix: {HEADER_FIX}.",
    "duplicated_column__" + M: f"duplicated_column__{M}, row 1, column 'LSOA code': column "
                               "'LSOA code' appears more than once in the header. Fix: remove "
                               "the duplicated column; use the police.uk file unchanged.",
    "semicolon__" + M: f"semicolon__{M}, row 1: the file is separated by ';', not by commas. "
                       "Fix: save it as comma-separated CSV (police.uk files use commas).",
    "tab_separated__" + M: f"tab_separated__{M}, row 1: the file is separated by '\\t', not by "
                           "commas. Fix: save it as comma-separated CSV (police.uk files use "
                           "commas).",
    "month_13__2023-13-north-yorkshire-street.csv":
        "month_13__2023-13-north-yorkshire-street.csv, row 2, column 'Month': '2023-13' is not a "
        "valid month. Fix: months must be YYYY-MM with MM from 01 to 12; download the file again "
        "from police.uk.",
    "month_mismatch__" + M: f"month_mismatch__{M}, row 2, column 'Month': month 2025-02 does not "
                            "match the file name's month 2025-01. Fix: police.uk files hold one "
                            "month each; rename or re-download the file.",
    "corrupt_gzip__" + M + ".gz": f"corrupt_gzip__{M}.gz: the file is not a valid gzip file "
                                  "(truncated or corrupt). Fix: download or copy the file again.",
    "mixed_forces": f"{M}, row 2, column 'Falls within': the file holds crimes of 'North "
                    "Yorkshire Police', not of Cumbria Constabulary. Fix: remove this file from "
                    "the folder, or add its force to the forces read.",
}
PATH_ERRORS = {
    "empty.zip": "the zip archive holds no street-level files (YYYY-MM-<force>-street.csv). "
                 "Fix: download the archive with 'Include crime data' ticked, or point to the "
                 "street CSV files.",
    "outcomes_only.zip": "the zip archive holds no street-level files "
                         "(YYYY-MM-<force>-street.csv). Fix: download the archive with 'Include "
                         "crime data' ticked, or point to the street CSV files.",
    "not_a_zip.zip": "the file is not a valid zip archive. Fix: download the police.uk archive "
                     "again.",
    "no_street_files": "the folder holds no police.uk street files (named "
                       "YYYY-MM-<force>-street.csv). Fix: point to the folder of monthly "
                       "police.uk downloads.",
}
QUARANTINED = {
    "truncated__" + M: (7, "wrong number of fields on the line"),
    "nonnumeric_coords__" + M: (6, "non-numeric coordinates"),
    "lsoa_shape__" + M: (6, "malformed LSOA code (expected E01/W01 followed by 6 digits)"),
    "unknown_crime_type__" + M: (6, "unknown crime type (not one of the 14 police.uk categories)"),
    "one_coordinate__" + M: (1, "only one of longitude and latitude given"),
    "coords_out_of_range__" + M: (1, "coordinates out of range"),
    "repeated_header__" + M: (13, "repeated header line inside the file"),
}
ACCEPTED = {"bom__" + M: 6, "extra_column__" + M: 6, "header_only__" + M: 0,
            "asb_and_no_location__" + M: 2}


def test_corpus_has_at_least_twenty_cases():
    assert len(ERRORS) + len(PATH_ERRORS) + len(QUARANTINED) + len(ACCEPTED) >= 20
    assert len(list(CORPUS.iterdir())) >= 20


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_corpus_errors_are_exact_and_actionable(name):
    with pytest.raises(SnaInputError) as err:
        read_police_uk(CORPUS / name)
    assert str(err.value) == ERRORS[name]


@pytest.mark.parametrize("name", sorted(PATH_ERRORS))
def test_corpus_path_errors(name):
    with pytest.raises(SnaInputError) as err:
        read_police_uk(CORPUS / name)
    assert str(err.value) == f"{CORPUS / name}: {PATH_ERRORS[name]}"


@pytest.mark.parametrize("name", sorted(QUARANTINED))
def test_corpus_bad_rows_are_quarantined_with_reason(name):
    rows_in, reason = QUARANTINED[name]
    acc = read_police_uk(CORPUS / name)
    assert acc.rows_in == rows_in
    assert acc.quarantine["reason"].iloc[0] == reason
    assert acc.rows_in == len(acc.clean) + len(acc.quarantine)


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_corpus_tolerated_variants(name):
    acc = read_police_uk(CORPUS / name)
    assert acc.rows_in == len(acc.clean) == ACCEPTED[name]


def test_missing_path_is_actionable(tmp_path):
    with pytest.raises(SnaInputError, match="the path does not exist"):
        read_police_uk(tmp_path / "nope")


def test_explicit_force_rejects_other_force():
    with pytest.raises(SnaInputError, match="not of Cumbria Constabulary"):
        read_police_uk(SHIPPED / "north-yorkshire" / "2025-01-north-yorkshire-street.csv.gz",
                       forces=["Cumbria Constabulary"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzzed_files_raise_only_project_errors_and_keep_accounting(tmp_path_factory, data):
    raw = mutate(data, valid_street_text(8).encode(), b',"\n;\x00\xe9abc0123-', delete=True)
    path = tmp_path_factory.mktemp("fuzz") / M
    path.write_bytes(raw)
    try:
        acc = read_police_uk(path)
    except SnaInputError:
        return
    assert acc.rows_in == len(acc.clean) + len(acc.quarantine)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_the_parser(blob):
    try:
        frame, bad = parse_street_csv(blob, "fuzz.csv")
    except SnaInputError:
        return
    assert len(frame) + len(bad) >= 0


def test_shipped_cache_roundtrip(tmp_path):
    from sna.io.cache import ingest_to_cache, read_cache

    src = SHIPPED / "north-yorkshire" / (M + ".gz")
    acc, worked = ingest_to_cache(src, "ny", out_dir=tmp_path)
    back = read_cache(tmp_path / "ny")
    assert worked
    assert back.rows_in == acc.rows_in and len(back.clean) == len(acc.clean)
    pd.testing.assert_series_equal(back.clean["month"], acc.clean["month"])
    assert not list(tmp_path.glob(".ny-*"))  # no staging folder left behind


def test_cache_rebuilds_when_an_input_changes(tmp_path):
    from sna.io.cache import ingest_to_cache

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SHIPPED / "cumbria" / "2025-01-cumbria-street.csv.gz", src)
    _, first = ingest_to_cache(src, "c", out_dir=tmp_path / "out")
    _, second = ingest_to_cache(src, "c", out_dir=tmp_path / "out")
    shutil.copy(SHIPPED / "cumbria" / "2025-02-cumbria-street.csv.gz", src)
    acc, third = ingest_to_cache(src, "c", out_dir=tmp_path / "out")
    assert (first, second, third) == (True, False, True)
    assert len(acc.notes["months"]) == 2


def test_crash_during_write_leaves_previous_cache_intact(tmp_path, monkeypatch):
    from sna.io import cache

    src = SHIPPED / "cumbria" / "2025-01-cumbria-street.csv.gz"
    cache.ingest_to_cache(src, "c", out_dir=tmp_path)
    before = (tmp_path / "c" / "manifest.json").read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", boom)
    with pytest.raises(RuntimeError):
        cache.write_cache(cache.read_cache(tmp_path / "c"), tmp_path / "c", {}, 0.0)
    assert (tmp_path / "c" / "manifest.json").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".c-")]


def test_cli_ingest_reports_accounting(tmp_path, capsys):
    from sna.cli import main

    code = main(["ingest", str(SHIPPED / "cumbria"), "--name", "cumbria", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "rows in" in out and "rows quarantined" in out
    code = main(["ingest", str(tmp_path / "missing")])
    assert code == 2
    assert "the path does not exist" in capsys.readouterr().err


def test_latin1_detected_inside_zip(tmp_path):
    archive = tmp_path / "x.zip"
    text = valid_street_text(3).replace("On or near", "On or near Caf\u00e9", 1)
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"2025-01/{M}", text.encode("latin-1"))
    with pytest.raises(SnaInputError, match=r"x.zip:2025-01/.*not UTF-8"):
        read_police_uk(archive)


def test_parse_reports_line_numbers_of_malformed_lines():
    text = valid_street_text(3).splitlines()
    text.insert(2, "only,three,fields")
    frame, bad = parse_street_csv(("\n".join(text) + "\n").encode(), "f.csv")
    assert bad == [(3, "only,three,fields")]
    assert frame["source_row"].tolist() == [2, 4, 5]
