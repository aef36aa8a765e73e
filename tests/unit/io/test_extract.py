"""The force-extract reader: schema, typed output, row accounting and every error message."""

import gzip
import re
from pathlib import Path

import pandas as pd
import pytest

from sna.errors import SnaInputError
from sna.io.extract import (
    AGE_BANDS,
    DEFAULT_STRANDS,
    OFFENCE_CODE_PATTERN,
    check_strands,
    extract_columns,
    offence_codes,
    read_force_extract,
)
from sna.io.ingest import CRIME_TYPES
from sna.io.synthetic import DEMO_FILE_NAME

ROOT = Path(__file__).parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "extract"
DEMO = ROOT / "data" / "raw" / "shipped" / "synthetic" / DEMO_FILE_NAME
SVD_GROUPS = {"homicide", "violence_with_injury", "rape_sexual", "weapon_possession", "robbery",
              "arson_endangering_life", "other_violence", "other"}


def _error(path, **kwargs) -> SnaInputError:
    with pytest.raises(SnaInputError) as info:
        read_force_extract(path, **kwargs)
    return info.value


# ---------------------------------------------------------------- the offence code lookup


def test_offence_code_lookup_is_unique_well_formed_and_uses_known_categories():
    codes = offence_codes()
    assert list(codes.columns) == ["ho_offence_code", "offence_description", "police_uk_category",
                                   "svd_group"]
    assert codes["ho_offence_code"].is_unique
    assert codes["ho_offence_code"].str.fullmatch(OFFENCE_CODE_PATTERN).all()
    assert set(codes["police_uk_category"]) <= set(CRIME_TYPES)
    assert set(codes["svd_group"]) <= SVD_GROUPS
    assert (codes["offence_description"].str.len() > 3).all()


@pytest.mark.parametrize(("code", "group"), [
    ("1", "homicide"), ("2", "violence_with_injury"), ("5D", "violence_with_injury"),
    ("8N", "violence_with_injury"), ("19C", "rape_sexual"), ("10D", "weapon_possession"),
    ("34B", "robbery"), ("56A", "arson_endangering_life"), ("105A", "other_violence"),
    ("9B", "other"),
])
def test_lookup_places_codes_in_the_partnership_definition_of_serious_violence(code, group):
    codes = offence_codes().set_index("ho_offence_code")
    assert codes.loc[code, "svd_group"] == group


def test_template_has_the_documented_columns_and_reads_clean():
    template = ROOT / "data" / "force_extract_template.csv"
    header = template.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == extract_columns()
    accounted = read_force_extract(template)
    assert accounted.rows_in == 2 and len(accounted.clean) == 2


def test_schema_document_lists_every_column():
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for column in extract_columns():
        assert f"`{column}`" in text


# ---------------------------------------------------------------- typed clean rows


def test_good_file_is_typed_and_normalised():
    acc = read_force_extract(FIXTURES / "good_small.csv")
    clean = acc.clean.set_index("crime_ref")
    assert acc.rows_in == 6 and len(acc.quarantine) == 0
    assert pd.api.types.is_datetime64_any_dtype(clean["offence_date"])
    assert clean["month"].dtype == pd.PeriodDtype("M")
    assert clean["offence_time"].isna().tolist() == [False, True, False, False, False, False]
    assert clean["offence_time"].dropna().tolist() == ["22:15", "09:05", "13:40", "01:00", "23:59"]
    assert clean.loc["NYP-003", "ho_offence_code"] == "9B"  # upper-cased
    assert clean.loc["NYP-005", "ho_offence_code"] == "4/1"  # ONS dot form read as slash
    assert clean.loc["NYP-002", "offence_description"] == "Assault without injury"  # from lookup
    assert clean.loc["NYP-003", "lsoa21_code"] == "E01013337"
    assert isinstance(clean["ho_offence_code"].dtype, pd.CategoricalDtype)
    assert clean["da_flag"].tolist() == [False, True, False, False, False, True]
    assert clean.loc["NYP-003", ["hate_race", "hate_religion"]].tolist() == [True, True]
    assert clean["n_hate_strands"].tolist() == [0, 0, 2, 1, 0, 2]
    assert clean["victim_age_band"].cat.ordered
    assert list(clean["victim_age_band"].cat.categories) == list(AGE_BANDS)
    assert clean["victim_sex"].astype(object).where(clean["victim_sex"].notna(), "").tolist() \
        == ["M", "F", "M", "", "M", "X"]
    assert clean.loc["NYP-001", "svd_group"] == "violence_with_injury"
    assert clean["source_row"].tolist() == [2, 3, 4, 5, 6, 7]
    assert acc.notes["first_month"] == "2025-07" and acc.notes["last_month"] == "2025-09"


def test_gzipped_file_reads_the_same(tmp_path):
    zipped = tmp_path / "extract.csv.gz"
    zipped.write_bytes(gzip.compress((FIXTURES / "good_small.csv").read_bytes()))
    plain = read_force_extract(FIXTURES / "good_small.csv").clean.drop(columns="source_file")
    again = read_force_extract(zipped).clean.drop(columns="source_file")
    pd.testing.assert_frame_equal(plain, again)


def test_excel_csv_with_bom_and_windows_line_endings_reads_the_same(tmp_path):
    text = (FIXTURES / "good_small.csv").read_text().replace("\n", "\r\n")
    (tmp_path / "excel.csv").write_bytes(("\ufeff" + text).encode("utf-8"))
    plain = read_force_extract(FIXTURES / "good_small.csv").clean.drop(columns="source_file")
    excel = read_force_extract(tmp_path / "excel.csv").clean.drop(columns="source_file")
    pd.testing.assert_frame_equal(plain, excel)


def test_column_names_match_ignoring_case_and_spaces(tmp_path):
    text = (FIXTURES / "good_small.csv").read_text()
    header, body = text.split("\n", 1)
    messy = header.replace("crime_ref", " Crime Ref").replace("lsoa21_code", "LSOA21_CODE")
    (tmp_path / "messy.csv").write_text(messy + "\n" + body)
    assert len(read_force_extract(tmp_path / "messy.csv").clean) == 6


def test_extra_columns_are_kept_as_text_and_noted(tmp_path):
    text = (FIXTURES / "good_small.csv").read_text().splitlines()
    rows = [text[0] + ",officer_note"] + [line + ",x" for line in text[1:]]
    (tmp_path / "extra.csv").write_text("\n".join(rows) + "\n")
    acc = read_force_extract(tmp_path / "extra.csv")
    assert acc.notes["extra_columns"] == ["officer_note"]
    assert acc.clean["officer_note"].tolist() == ["x"] * 6


def test_a_smaller_strand_list_reads_a_file_with_only_those_columns(tmp_path):
    frame = pd.read_csv(FIXTURES / "good_small.csv", dtype=str, keep_default_na=False)
    frame = frame.drop(columns=[c for c in frame if c.startswith("hate_")
                                and c not in ("hate_race", "hate_religion")])
    frame.to_csv(tmp_path / "two.csv", index=False)
    acc = read_force_extract(tmp_path / "two.csv", strands=["race", "religion"])
    assert acc.clean["n_hate_strands"].tolist() == [0, 0, 2, 0, 0, 0]


# ---------------------------------------------------------------- row accounting


def test_each_bad_row_is_quarantined_with_one_reason_and_rows_add_up():
    acc = read_force_extract(FIXTURES / "bad_rows.csv", study_lsoas=["E01013335", "E01013336"])
    assert acc.rows_in == len(acc.clean) + len(acc.quarantine) == 13
    assert acc.clean["crime_ref"].tolist() == ["OK-1", "OK-2"]
    reasons = dict(zip(acc.quarantine["source_row"], acc.quarantine["reason"], strict=True))
    assert reasons == {
        3: "bad offence_date", 4: "bad offence_time", 5: "malformed ho_offence_code",
        6: "unknown ho_offence_code", 7: "malformed lsoa21_code", 8: "LSOA outside study area",
        9: "non-boolean hate_race", 10: "unknown victim_age_band", 11: "unknown victim_sex",
        12: "duplicate crime_ref", 13: "missing crime_ref",
    }
    assert set(acc.quarantine.columns[:3]) == {"source_file", "source_row", "reason"}
    assert (acc.quarantine["source_file"] == "bad_rows.csv").all()
    assert acc.notes["blank_flags_read_as_N"] == {"da_flag": 1}
    summary = acc.summary().set_index("measure")["rows"]
    assert summary["rows quarantined"] == 11


def test_without_a_study_area_the_outside_lsoa_is_kept():
    acc = read_force_extract(FIXTURES / "bad_rows.csv")
    assert "OUTSIDE" in acc.clean["crime_ref"].tolist()


def test_duplicate_keeps_the_first_valid_row(tmp_path):
    lines = (FIXTURES / "good_small.csv").read_text().splitlines()
    first_bad = lines[1].replace("2025-07-03", "2025-07-32")
    (tmp_path / "dup.csv").write_text("\n".join([lines[0], first_bad, lines[1], lines[1]]) + "\n")
    acc = read_force_extract(tmp_path / "dup.csv")
    assert acc.clean["source_row"].tolist() == [3]
    assert acc.quarantine["reason"].tolist() == ["bad offence_date", "duplicate crime_ref"]


def test_blank_lines_are_skipped_and_counted_without_shifting_rows(tmp_path):
    lines = (FIXTURES / "good_small.csv").read_text().splitlines()
    (tmp_path / "blank.csv").write_text("\n".join([lines[0], lines[1], "", lines[2]]) + "\n")
    acc = read_force_extract(tmp_path / "blank.csv")
    assert acc.notes["blank_lines_skipped"] == 1
    assert acc.clean["source_row"].tolist() == [2, 4]


def test_demo_extract_reads_with_nothing_quarantined():
    acc = read_force_extract(DEMO)
    assert acc.rows_in == len(acc.clean) + len(acc.quarantine)
    assert len(acc.quarantine) == 0
    assert acc.notes["months_without_rows"] == []
    assert (acc.notes["first_month"], acc.notes["last_month"]) == ("2020-04", "2025-12")


# ---------------------------------------------------------------- file-level errors


def test_missing_column_names_the_closest_column():
    err = _error(FIXTURES / "missing_column.csv")
    assert err.column == "lsoa21_code" and err.row == 1
    assert "missing_column.csv" in str(err)
    assert "closest column in the file is 'lsoa_code'" in str(err)
    assert "rename 'lsoa_code' to 'lsoa21_code'" in err.fix


def test_missing_strand_column_says_add_it_or_drop_the_strand(tmp_path):
    frame = pd.read_csv(FIXTURES / "good_small.csv", dtype=str, keep_default_na=False)
    frame.drop(columns=["hate_alt_subculture"]).to_csv(tmp_path / "no_alt.csv", index=False)
    err = _error(tmp_path / "no_alt.csv")
    assert err.column == "hate_alt_subculture"
    assert "drop 'alt_subculture' from strands=" in err.fix


def test_unknown_strand_column_is_an_error_naming_allowed_strands():
    err = _error(FIXTURES / "unknown_strand.csv")
    assert err.column == "hate_homelessness"
    assert "unknown_strand.csv" in str(err)
    assert "homelessness" in err.problem and ", ".join(DEFAULT_STRANDS) in err.problem
    assert "add 'homelessness' to strands=" in err.fix and "remove or rename" in err.fix


def test_strand_column_not_in_a_shorter_list_is_an_error():
    err = _error(FIXTURES / "good_small.csv", strands=["race", "religion"])
    assert err.column == "hate_sexual_orientation"


def test_empty_file():
    err = _error(FIXTURES / "empty.csv")
    assert "empty" in err.problem and err.file.endswith("empty.csv")


def test_header_without_rows():
    err = _error(FIXTURES / "header_only.csv")
    assert "no data rows" in err.problem


def test_latin1_file_says_resave_as_utf8_and_names_the_row():
    err = _error(FIXTURES / "latin1.csv")
    assert "re-save as UTF-8" in err.fix
    assert err.row == 2
    assert "0xe9" in err.problem and "Windows-1252" in err.problem


def test_utf16_and_excel_files_are_recognised(tmp_path):
    (tmp_path / "u16.csv").write_bytes((FIXTURES / "good_small.csv").read_text()
                                       .encode("utf-16"))
    assert "UTF-16" in _error(tmp_path / "u16.csv").problem
    (tmp_path / "book.csv").write_bytes(b"PK\x03\x04rest-of-a-zip")
    assert "Excel" in _error(tmp_path / "book.csv").problem


def test_missing_file():
    err = _error(FIXTURES / "no_such_file.csv")
    assert "does not exist" in err.problem


def test_duplicated_column_in_header():
    err = _error(FIXTURES / "duplicated_column.csv")
    assert err.column == "da_flag" and err.row == 1
    assert re.search(r"columns 7 and 20", err.problem)


def test_repeated_header_row_inside_the_file():
    err = _error(FIXTURES / "repeated_header.csv")
    assert err.row == 3 and "repeated" in err.problem


def test_excel_style_dates_are_a_file_level_error():
    err = _error(FIXTURES / "excel_dates.csv")
    assert err.column == "offence_date" and err.row == 2 and err.value == "03/07/2025"
    assert "YYYY-MM-DD" in err.fix


def test_row_with_too_many_fields():
    err = _error(FIXTURES / "ragged.csv")
    assert err.row == 3 and "21 fields" in err.problem


@pytest.mark.parametrize("bad", [[], ["race", "race"], ["Sexual Orientation"], [3]])
def test_bad_strand_lists(bad):
    with pytest.raises(SnaInputError) as info:
        check_strands(bad)
    assert info.value.column == "strands"
