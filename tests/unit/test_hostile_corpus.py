"""Issue 20: every hostile input and fault of the red-team pass, with its exact outcome.

The files are in tests/corpus/hostile/ (written by tests/corpus/make_hostile.py); faults
that are not files (a full disk, a read-only folder, a killed run, a signal) are made here.
Each case ends in a named SnaInputError (or one-line ReportFailed), or in accounting that
balances with nothing counted twice.
"""

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from sna.errors import SnaInputError
from sna.io import cache
from sna.io.extract import read_force_extract
from sna.io.ingest import ReadLimits, StreetFile, read_police_uk
from sna.reports.params import load_params

ROOT = Path(__file__).parents[2]
C = ROOT / "tests" / "corpus" / "hostile"
M = "2025-01-north-yorkshire-street.csv"
SVD = ROOT / "notebooks" / "svd_sna.ipynb"
TWICE = ("they would be counted twice. Fix: keep one copy of each month (remove the other file "
         "or folder), or pass --dedupe to read identical copies once.")
BOMB = ("refused as a possible decompression bomb. Fix: check the file is a police.uk "
        "download; for a genuinely larger file raise SNA_MAX_INPUT_BYTES or "
        "SNA_MAX_EXPANSION_RATIO.")


def message(err) -> str:
    return str(err.value).replace(str(C), "<C>")


# ---------------------------------------------------------------- police.uk inputs

STREET_ERRORS = {
    "dup_two_folders": (
        f"<C>/dup_two_folders/b/{M}: two files hold force 'north-yorkshire' for 2025-01 "
        f"(<C>/dup_two_folders/a/{M} and <C>/dup_two_folders/b/{M}); " + TWICE),
    "dup_zip_and_folder": (
        f"<C>/dup_zip_and_folder/2025-01.zip:2025-01/{M}: two files hold force 'north-yorkshire' "
        f"for 2025-01 (<C>/dup_zip_and_folder/folder/{M} and "
        f"<C>/dup_zip_and_folder/2025-01.zip:2025-01/{M}); " + TWICE),
    "dup_csv_and_gz": (
        f"<C>/dup_csv_and_gz/{M}.gz: two files hold force 'north-yorkshire' for 2025-01 "
        f"(<C>/dup_csv_and_gz/{M} and <C>/dup_csv_and_gz/{M}.gz); " + TWICE),
    "gzip_bomb": f"{M}.gz: the file expands beyond 16,777,216 bytes (20,406 bytes compressed): "
                 + BOMB,
    "zip_bomb.zip": f"zip_bomb.zip:2025-01/{M}: the file expands beyond 16,777,216 bytes "
                    "(20,388 bytes compressed): " + BOMB,
    f"dir_named_like_file/{M}": (
        f"<C>/dir_named_like_file/{M}: the folder holds no police.uk street files (named "
        "YYYY-MM-<force>-street.csv). Fix: point to the folder of monthly police.uk downloads."),
    "encrypted_member.zip": (
        f"encrypted_member.zip:2025-01/{M}: the zip member is encrypted (password-protected). "
        "Fix: download the police.uk archive again, or unzip it yourself and point to the CSV "
        "files."),
    "bad_crc_member.zip": (
        f"bad_crc_member.zip:2025-01/{M}: the zip member cannot be read (Bad CRC-32 for file "
        f"'2025-01/{M}'). Fix: download the police.uk archive again."),
    "blank_falls_within": (
        f"{M}, row 2, column 'Falls within': 'Falls within' (the force) is blank. Fix: police.uk "
        "files name the force on every row; download the file again, or fill in the force."),
    "utf16": (
        f"{M}, row 1: the file is UTF-16 text (Excel 'Unicode text'), not UTF-8. Fix: re-save "
        "it as 'CSV UTF-8 (comma delimited)', or download it again from police.uk."),
}


@pytest.mark.parametrize("name", sorted(STREET_ERRORS))
def test_street_inputs_give_named_errors(name):
    with pytest.raises(SnaInputError) as err:
        read_police_uk(C / name)
    assert message(err) == STREET_ERRORS[name]


def test_identical_copies_deduplicated_only_on_request_with_the_choice_reported():
    for case, dropped in (("dup_csv_and_gz", f"<C>/dup_csv_and_gz/{M}.gz"),
                          ("dup_zip_and_folder", f"<C>/dup_zip_and_folder/2025-01.zip:2025-01/{M}")):
        acc = read_police_uk(C / case, duplicates="dedupe")
        assert acc.rows_in == len(acc.clean) == 6  # December 4,406 -> 8,812 no more
        [choice] = acc.notes["duplicates_dropped"]
        assert choice["dropped"].replace(str(C), "<C>") == dropped
        assert len(choice["sha256"]) == 64


def test_copies_that_differ_stay_an_error_with_dedupe():
    with pytest.raises(SnaInputError) as err:
        read_police_uk(C / "dup_differ", duplicates="dedupe")
    assert message(err).endswith("they would be counted twice, and their contents differ. "
                                 "Fix: keep one of the two files (the newer download).")


def test_same_path_given_twice_is_read_once():
    acc = read_police_uk([C / "dup_two_folders" / "a", C / "dup_two_folders" / "a" / M])
    assert acc.rows_in == 6


def test_blank_lines_skipped_counted_and_rows_numbered_as_in_the_file():
    acc = read_police_uk(C / "blank_lines")
    assert acc.rows_in == len(acc.clean) + len(acc.quarantine) == 3
    assert acc.notes["blank_lines_skipped"] == 3
    assert acc.clean["source_row"].tolist() == [2, 5]
    assert acc.quarantine[["source_row", "reason"]].values.tolist() == [
        [7, "wrong number of fields on the line"]]


def test_folder_named_like_a_street_file_is_not_read_as_one():
    acc = read_police_uk(C / "dir_named_like_file")
    assert acc.notes["files"] == ["2025-02-north-yorkshire-street.csv"] and acc.rows_in == 6


def test_limits_are_configurable(monkeypatch):
    big = StreetFile(M, C / "dup_two_folders" / "a" / M)
    with pytest.raises(SnaInputError, match="the file is 1,275 bytes, more than the limit of 1,000"):
        big.read_bytes(limits=ReadLimits(max_input_bytes=1000))
    monkeypatch.setenv("SNA_MAX_EXPANSION_RATIO", "2000")
    monkeypatch.setenv("SNA_MAX_INPUT_BYTES", str(64 * 2**20))
    data = StreetFile(f"{M}.gz", C / "gzip_bomb" / f"{M}.gz").read_bytes()
    assert len(data) == 20 * 2**20  # allowed once the operator raised the limits
    monkeypatch.setenv("SNA_MAX_EXPANSION_RATIO", "lots")
    with pytest.raises(SnaInputError, match="SNA_MAX_EXPANSION_RATIO='lots' is not a number"):
        big.read_bytes()


@pytest.mark.parametrize(("months", "problem"), [
    (("2025-01", "2025-13"), "'2025-13' is not a month (YYYY-MM, month 01 to 12)"),
    (("2025-02", "2025-01"), "the first month 2025-02 is after the last 2025-01"),
    (("2025-01", "2099-01"), "the last month 2099-01 is in the future"),
])
def test_bad_month_ranges(months, problem):
    with pytest.raises(SnaInputError) as err:
        read_police_uk(C / "blank_lines", months=months)
    assert err.value.problem.startswith(problem)


def test_cli_months_2025_13_is_one_line(capsys):
    from sna.cli import main

    assert main(["ingest", str(C / "blank_lines"), "--months", "2025-01", "2025-13"]) == 2
    err = capsys.readouterr().err
    assert err == ("error: column 'months': '2025-13' is not a month (YYYY-MM, month 01 to 12). "
                   "Fix: write months as YYYY-MM, e.g. 2025-01.\n")


# ---------------------------------------------------------------- safe output paths

@pytest.mark.parametrize("name", ["", ".", "..", "../x", "/tmp/x", "a/b", "a\\b", ".hidden",
                                  "x" * 101])
def test_cache_names_must_be_plain(tmp_path, name):
    with pytest.raises(SnaInputError, match="is not a plain folder name"):
        cache.ingest_to_cache(C / "blank_lines", name, out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_ingest_dot_names_the_cache_after_the_folder(tmp_path, monkeypatch, capsys):
    from sna.cli import main

    monkeypatch.chdir(C / "blank_lines")
    assert main(["ingest", ".", "--out", str(tmp_path)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["blank_lines"]


def test_a_folder_sna_did_not_write_is_never_replaced(tmp_path):
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "thesis.docx").write_text("years of work")
    with pytest.raises(SnaInputError) as err:
        cache.ingest_to_cache(C / "blank_lines", "mine", out_dir=tmp_path)
    assert err.value.problem == ("the output folder exists and was not written by sna; it is "
                                 "left untouched")
    assert (precious / "thesis.docx").read_text() == "years of work"
    (tmp_path / "afile").write_text("x")
    with pytest.raises(SnaInputError, match="not written by sna"):
        cache.ingest_to_cache(C / "blank_lines", "afile", out_dir=tmp_path)


# ---------------------------------------------------------------- self-checking cache

def _damage(target: Path, how: str) -> None:
    path = target / "clean.parquet"
    data = bytearray(path.read_bytes())
    if how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 2]))
    elif how == "deleted":
        path.unlink()
    else:  # one bit flipped in the middle of the data pages
        data[len(data) // 2] ^= 0x10
        path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncated", "deleted", "bit flip"])
def test_damaged_cache_is_rebuilt_with_one_line(tmp_path, how):
    src = ROOT / "data/raw/shipped/police_uk/cumbria/2025-01-cumbria-street.csv.gz"
    first, _ = cache.ingest_to_cache(src, "c", out_dir=tmp_path)
    _damage(tmp_path / "c", how)
    again, worked = cache.ingest_to_cache(src, "c", out_dir=tmp_path)
    assert worked
    note = again.notes["cache_rebuilt"]
    assert note.startswith(f"cache {tmp_path / 'c'} was damaged (clean.parquet ")
    assert note.endswith("): rebuilt from the inputs") and "\n" not in note
    pd.testing.assert_frame_equal(again.clean, first.clean)
    reused, worked = cache.ingest_to_cache(src, "c", out_dir=tmp_path)
    assert not worked and "cache_rebuilt" not in reused.notes
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert set(manifest["outputs"]) == {"clean.parquet", "quarantine.parquet"}


def test_staging_left_by_a_killed_run_is_cleaned(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    left = tmp_path / f".c-staging-{dead}-abc123"
    left.mkdir()
    (left / cache.MARKER).write_text("x")
    alive = tmp_path / f".c-staging-{os.getpid()}-live"  # a concurrent run: kept
    alive.mkdir()
    (alive / cache.MARKER).write_text("x")
    foreign = tmp_path / f".c-staging-{dead}-notours"  # no marker: not ours, kept
    foreign.mkdir()
    (foreign / "file").write_text("x")
    cache.ingest_to_cache(C / "blank_lines", "c", out_dir=tmp_path)
    assert not left.exists() and alive.exists() and foreign.exists()


def test_cache_folders_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        cache.ingest_to_cache(C / "blank_lines", "c", out_dir=tmp_path)
    finally:
        os.umask(old)
    assert (tmp_path / "c").stat().st_mode & 0o777 == 0o755


@pytest.mark.parametrize(("code", "problem"), [
    (errno.ENOSPC, "the disk is full"),
    (errno.EROFS, "the output folder cannot be written (read-only or no permission)"),
])
def test_disk_full_and_read_only_output_are_one_line(tmp_path, monkeypatch, code, problem):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail)
    with pytest.raises(SnaInputError) as err:
        cache.ingest_to_cache(C / "blank_lines", "c", out_dir=tmp_path)
    assert err.value.problem == problem
    assert [p.name for p in tmp_path.iterdir()] == []  # nothing half-written left


# ---------------------------------------------------------------- force extract

EXTRACT_ERRORS = {
    "extract_newline_bomb.csv.gz": "<C>/extract_newline_bomb.csv.gz: the file expands beyond "
                                   "16,777,216 bytes (20,580 bytes compressed): " + BOMB,
    "extract_corrupt.csv.gz": "<C>/extract_corrupt.csv.gz: the file is not a valid gzip file "
                              "(truncated or corrupt). Fix: download or copy the file again.",
    "extract_utf16.csv": "<C>/extract_utf16.csv: the file is UTF-16 text (Excel 'Unicode text')."
                         " Fix: re-save it as 'CSV UTF-8 (comma delimited)'.",
    "params": "<C>/params: the path is a folder, not an extract file. Fix: give the extract's "
              "CSV file, e.g. data/raw/<force>.csv.",
}


@pytest.mark.parametrize("name", sorted(EXTRACT_ERRORS))
def test_extract_inputs_give_named_errors(name):
    with pytest.raises(SnaInputError) as err:
        read_force_extract(C / name)
    assert message(err) == EXTRACT_ERRORS[name]


def test_extract_blank_lines_are_skipped_before_rows_are_built():
    acc = read_force_extract(C / "extract_blank_lines.csv.gz")
    assert acc.rows_in == len(acc.clean) == 2
    assert acc.notes["blank_lines_skipped"] == 5_050
    assert acc.clean["source_row"].tolist() == [2, 5_053]


def test_extract_dates_outside_the_window_are_quarantined():
    acc = read_force_extract(C / "extract_dates_out_of_window.csv")
    assert acc.rows_in == 3 and len(acc.clean) == 1
    assert acc.quarantine[["source_row", "reason", "crime_ref"]].values.tolist() == [
        [3, "offence_date outside the sane window", "OLD1"],
        [4, "offence_date outside the sane window", "FUT1"]]
    wide = read_force_extract(C / "extract_dates_out_of_window.csv",
                              date_window=("1900-01-01", "2100-01-01"))
    assert len(wide.clean) == 3  # the window is configurable


def test_extract_short_row_is_not_read_as_n():
    acc = read_force_extract(C / "extract_short_row.csv")
    assert acc.quarantine[["source_row", "reason"]].values.tolist() == [
        [3, "fewer fields than the header (missing values are not read as N)"]]


# ---------------------------------------------------------------- params

PARAM_ERRORS = {
    "svd_sna_duplicate_key.yaml": "row 3: key 'min_count' is given twice (lines 1 and 3). Fix: "
                                  "keep one of the two lines; a repeated key would silently win.",
    "svd_sna_alias_bomb.yaml": "row 2: YAML aliases are not allowed (*a). Fix: write each value "
                               "out in full instead of '&name' / '*name' references.",
    "svd_sna_nested_unknown.yaml": "column 'offence_groups': offence_groups['Homicide'] should "
                                   "be a list, got str 'homicide'. Fix: write it as a list like "
                                   "the notebook's default ['homicide', 'violence_with_injury', "
                                   "'rape_sexual', 'weap....",
    "svd_sna_month_13.yaml": "column 'last_month': last_month '2025-13' is not a month (YYYY-MM, "
                             "month 01 to 12). Fix: write it as 'YYYY-MM', e.g. '2025-12'.",
    "svd_sna_reversed.yaml": "column 'first_month': first_month 2025-12 is after last_month "
                             "2024-01. Fix: give the earlier month as first_month.",
    "svd_sna_outside_data.yaml": "column 'first_month': the study period 2019-01 to 2019-12 is "
                                 "outside the police.uk data (2024-01 to 2025-12). Fix: choose "
                                 "months between 2024-01 and 2025-12.",
    "svd_sna_huge_min_count.yaml": "column 'min_count': min_count must be a whole number from 1 "
                                   "to 100, got 1000000. Fix: use 5 for tables, 10 for "
                                   "hate-crime and domestic-abuse breakdowns below "
                                   "local-authority level (above 100 every small-area cell would "
                                   "be suppressed).",
    "svd_sna_published_not_csv.yaml": "column 'published_da': published_da "
                                      "'tests/corpus/hostile/zip_bomb.zip' is not a .csv or "
                                      ".csv.gz file. Fix: give a .csv file.",
    "svd_sna_published_binary.yaml": "column 'published_da': published_da "
                                     "'tests/corpus/hostile/binary.csv' is not a CSV text file. "
                                     "Fix: give the published series as a CSV file.",
    "svd_sna_extract_folder.yaml": "column 'extract': extract 'data/raw/shipped/synthetic' is a "
                                   "folder, not a file. Fix: give the file itself.",
}


@pytest.mark.parametrize("name", sorted(PARAM_ERRORS))
def test_params_are_strict(name):
    with pytest.raises(SnaInputError) as err:
        load_params(C / "params" / name, SVD)
    assert message(err) == f"<C>/params/{name}, {PARAM_ERRORS[name]}"


def test_future_month_param(tmp_path):
    with pytest.raises(SnaInputError, match=r"last_month 2099-12 is in the future \(now "):
        load_params(C / "params" / "svd_sna_future.yaml", SVD)


def test_alias_bomb_is_refused_fast():
    started = time.perf_counter()
    with pytest.raises(SnaInputError):
        load_params(C / "params" / "svd_sna_alias_bomb.yaml", SVD)
    assert time.perf_counter() - started < 30  # generous: a load of 9**10 items never returns


def test_shipped_params_still_load():
    from sna.reports.run import match_notebook

    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    for params in sorted((ROOT / "params").glob("*.yaml")):
        assert load_params(params, match_notebook(params, notebooks))


# ---------------------------------------------------------------- signals

def test_sigterm_during_a_report_leaves_failed_run_and_one_line(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import time\ntime.sleep(120)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    (tmp_path / "nbs").mkdir()
    nbformat.write(nb, tmp_path / "nbs" / "slow.ipynb")
    (tmp_path / "slow_x.yaml").write_text("x: 2\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.Popen(
        [sys.executable, "-m", "sna.cli", "report", "slow", "--params",
         str(tmp_path / "slow_x.yaml"), "--notebooks-dir", str(tmp_path / "nbs"),
         "--reports-dir", str(tmp_path / "out")], stderr=subprocess.PIPE, text=True, env=env,
        cwd=tmp_path)
    started = time.monotonic()
    while not list((tmp_path / "out" / "slow").glob(".tmp-*/executed.ipynb")):
        assert time.monotonic() - started < 300 and run.poll() is None
        time.sleep(0.2)
    time.sleep(2)
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 128 + signal.SIGTERM
    [failed] = list((tmp_path / "out" / "slow" / "failed").iterdir())
    last = err.strip().splitlines()[-1]
    assert last == (f"Report interrupted by SIGTERM; nothing was published, the partial run is "
                    f"kept in out/slow/failed/{failed.name}")
    assert not list((tmp_path / "out" / "slow").glob(".tmp-*"))
    assert not (tmp_path / "out" / "slow" / "latest").exists()


def test_build_folder_of_a_killed_run_is_moved_to_failed(tmp_path):
    from sna.reports.run import _PID_FILE, retire_dead_builds

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    killed = tmp_path / ".tmp-20250101T000000Z"
    killed.mkdir()
    (killed / _PID_FILE).write_text(dead)
    (killed / "executed.ipynb").write_text("{}")
    running = tmp_path / ".tmp-20250101T000001Z"
    running.mkdir()
    (running / _PID_FILE).write_text(str(os.getpid()))
    assert retire_dead_builds(tmp_path) == [tmp_path / "failed" / "20250101T000000Z"]
    assert (tmp_path / "failed" / "20250101T000000Z" / "executed.ipynb").exists()
    assert running.exists() and not killed.exists()
