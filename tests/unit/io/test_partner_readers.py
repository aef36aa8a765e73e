"""Partner-data readers: the bad-input corpus with exact messages, shipped-file accounting,
symbols kept as missing-with-reason, the E10000023 mapping, and byte fuzzing."""

import csv
import gzip
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import mutate
from sna.errors import SnaInputError
from sna.io.partner.dfe import read_ees_csv, read_statistical_neighbours
from sna.io.partner.dfe_moj import read_dfe_moj_cohorts, read_dfe_moj_sheet
from sna.io.partner.fingertips import fetch_fingertips, read_fingertips_export
from sna.io.partner.load import SOURCES, load_partner_data
from sna.io.partner.ons import read_ethnic_population
from sna.paths import raw_dir

CORPUS = Path(__file__).parents[2] / "corpus" / "partner"
SHIPPED = raw_dir() / "shipped" / "partner"
NAMES = {"North Yorkshire": "E10000023", "York": "E06000014"}
NY_NOTE = ("rows for the former North Yorkshire County Council (E10000023, before April 2023) "
           "are counted as North Yorkshire Council (E06000065), which has the same boundary.")


def read(name):
    path = CORPUS / name
    if name.startswith("ees"):
        return read_ees_csv(path, ["Gangs", "Going_missing"])
    if name.startswith("fingertips"):
        return read_fingertips_export(path, indicator_ids=[90284])
    return read_dfe_moj_sheet(path, "EverSusExcl", name_to_code=NAMES)


ERRORS = {
    "ees_moved_header.csv": "ees_moved_header.csv, row 3: the header row is on line 3, not line 1 "
    "(the 2 lines above it look like a title or notes). Fix: delete the 2 lines above the header "
    "in the file and save it again.",
    "ees_renamed_column.csv": "ees_renamed_column.csv, row 1, column 'Gangs': required column "
    "'Gangs' is missing from the header; the closest column in the file is 'gangs_count'. Fix: "
    "rename 'gangs_count' to 'Gangs'.",
    "ees_latin1.csv": "ees_latin1.csv, row 2: the file is not UTF-8 (byte 0xe9). Fix: re-save as "
    "UTF-8 (in Excel: 'Save as' > 'CSV UTF-8').",
    "ees_saved_as_workbook.csv": "ees_saved_as_workbook.csv: the file is an Excel workbook or a "
    "zip archive, not a CSV. Fix: download the CSV version of the data, or open it in Excel and "
    "'Save as' CSV UTF-8.",
    "fingertips_moved_header.csv": "fingertips_moved_header.csv, row 2: the header row is on line "
    "2, not line 1 (the line above it looks like a title or notes). Fix: delete the line above "
    "the header in the file and save it again.",
    "fingertips_renamed_column.csv": "fingertips_renamed_column.csv, row 1, column 'Lower CI 95.0 "
    "limit': required column 'Lower CI 95.0 limit' is missing from the header; the closest "
    "column in the file is 'Lower CI 95 limit'. Fix: rename 'Lower CI 95 limit' to 'Lower CI "
    "95.0 limit'.",
    "fingertips_conflicting_duplicate.csv": "fingertips_conflicting_duplicate.csv, row 4, column "
    "'Value': two rows give different figures for York (E06000014), Persons, <15 yrs, 2023/24: "
    "Value 82.79021 in row 2 and 99.9 here. Fix: keep one export per indicator and area type (an "
    "older and a newer download may have been pasted together); download it again.",
    "dfe_moj_wrong_sheet.xlsx": "dfe_moj_wrong_sheet.xlsx, column 'EverSusExcl': the workbook has "
    "no sheet 'EverSusExcl'; its sheets are: EverSusExclusions. Fix: use the 2023_03_16 DfE-MoJ "
    "workbook that holds this sheet (school experiences: EverSusExcl, EverAP, EverPAPAUO; "
    "children's social care: EverCINCLA; demographics: info_table, Gender).",
    "dfe_moj_moved_header.xlsx": "dfe_moj_moved_header.xlsx, row 3: the header row is on row 3, "
    "not row 1 (the 2 rows above it look like a title or notes). Fix: delete the 2 rows above "
    "the header in sheet 'EverSusExcl' of the file and save it again.",
    "dfe_moj_csv_renamed.xlsx": "dfe_moj_csv_renamed.xlsx: the file is not an Excel .xlsx "
    "workbook (or it is damaged). Fix: download the workbook again from the DfE repository or "
    "dashboard; do not convert it to CSV.",
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_corpus_errors_are_exact(name):
    with pytest.raises(SnaInputError) as caught:
        read(name)
    assert str(caught.value).replace(str(CORPUS) + "/", "") == ERRORS[name]


SET_ASIDE = {
    "ees_duplicated_area.csv": (3, [(4, "repeat of an earlier row for the same period, area and "
                                        "breakdown")]),
    "ees_unreadable_value.csv": (2, [(2, "unreadable value in Gangs (not a number or a published "
                                         "symbol c, x, z, low, u)")]),
    "fingertips_duplicated_area.csv": (3, [(4, "repeat of an earlier row with the same figures "
                                               "(same indicator, area, sex, age, category and "
                                               "period)")]),
    "fingertips_unreadable_value.csv": (3, [(2, "unreadable number in 'Count'")]),
    "dfe_moj_duplicated_area.xlsx": (19, [(20, "repeat of an earlier row for the same area, "
                                               "indicator, cohort and breakdown")]),
    "dfe_moj_bad_percentage.xlsx": (18, [(2, "perc is not a percentage from 0 to 100")]),
}


@pytest.mark.parametrize("name", sorted(SET_ASIDE))
def test_corpus_rows_set_aside_with_reason(name):
    acc = read(name)
    rows_in, expected = SET_ASIDE[name]
    assert acc.rows_in == rows_in == len(acc.clean) + len(acc.quarantine)
    assert [tuple(r) for r in acc.quarantine[["source_row", "reason"]].values] == expected


def test_ees_symbols_are_missing_with_reason_never_zero():
    acc = read("ees_suppression_symbols.csv")
    assert acc.clean["Gangs"].isna().all()
    assert acc.clean["Gangs_symbol"].tolist() == ["c", "x", "z", "low", "u"]
    assert acc.notes["symbols"]["Gangs"] == {"c": 1, "x": 1, "z": 1, "low": 1, "u": 1}


def test_e10000023_is_mapped_and_said():
    for name in ("ees_e10000023.csv", "fingertips_e10000023.csv"):
        acc = read(name)
        assert "E10000023" not in set(acc.clean["area_code"])
        assert acc.notes["area_codes_mapped"] == {"E10000023 -> E06000065": 1}
        assert acc.notes["area_code_note"] == "1 " + NY_NOTE.replace("rows", "row", 1).replace(
            "are counted", "is counted")
    ees = read("ees_e10000023.csv").clean
    assert ees.loc[ees["time_period"] == "2022", "area_code_as_published"].tolist() == ["E10000023"]
    moj = read("dfe_moj_suppressed.xlsx")
    assert moj.notes["area_code_note"] == "6 " + NY_NOTE
    assert set(moj.clean.loc[moj.clean["area_name"] == "North Yorkshire", "area_code"]) == {
        "E06000065"}


def test_unpublished_values_keep_their_reason():
    tips = read("fingertips_suppressed.csv").clean
    row = tips[tips["time_period"] == "2022/23"].iloc[0]
    assert pd.isna(row["value"]) and pd.isna(row["count"])
    assert row["missing_reason"] == ("Value suppressed for disclosure control due to small "
                                     "count")
    moj = read("dfe_moj_suppressed.xlsx").clean
    york = moj[moj["area_name"] == "York"]
    assert york["perc"].isna().all()
    assert set(york["missing_reason"]) == {
        "not published (blank cell: suppressed or too few pupils)"}


def _data_lines(path):
    """Non-blank data lines of a shipped CSV, counted with the csv module (independent)."""
    text = gzip.decompress(path.read_bytes()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    return sum(1 for r in rows if any(c.strip() for c in r))


def _sheet_rows(path, sheet):
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [r for r in book[sheet].iter_rows(values_only=True)][1:]
    book.close()
    return sum(1 for r in rows if any(c is not None and str(c).strip() for c in r))


def test_every_shipped_partner_file_accounts_for_every_row():
    data = load_partner_data()
    shipped = {p.name for p in SHIPPED.iterdir()}
    read_files = set()
    for name, acc in data.tables.items():
        source = name.split(":")[0]
        path = SHIPPED / Path(SOURCES[source]["default"]).name
        read_files.add(path.name)
        assert acc.rows_in == len(acc.clean) + len(acc.quarantine), name
        expected = (_sheet_rows(path, name.split(":")[1]) if ":" in name
                    else _sheet_rows(path, "info_table") if path.suffix == ".xlsx"
                    else _data_lines(path))
        assert acc.rows_in == expected, name
    assert shipped == read_files, "a shipped partner file is not read by the default report"
    assert set(data.gaps) == {"violence_admissions"}


def test_missing_partner_file_is_a_gap_not_an_error(tmp_path):
    data = load_partner_data(files={"assessment_factors": "nowhere.csv", "cla_convictions": ""},
                             root=tmp_path)
    assert data.gaps["assessment_factors"] == "file not found: nowhere.csv"
    assert data.gaps["cla_convictions"] == "not supplied (no file given)"
    with pytest.raises(SnaInputError, match="unknown partner source 'absense'"):
        load_partner_data(files={"absense": "x.csv"})


def test_statistical_neighbours_and_ethnic_population():
    sn = read_statistical_neighbours(SHIPPED / "New_Statistical_Neighbour_Groupings_April_2021.csv.gz")
    ny = sn.clean.set_index("la_number").loc["815"]
    assert ny["neighbours"][:3] == ["895", "811", "937"] and len(ny["neighbours"]) == 10
    assert sn.quarantine["reason"].tolist() == [
        "not a local authority row (LA num is not a 3-digit number)"]
    eth = read_ethnic_population(SHIPPED / "ons-ethnic-population-la.csv.gz").clean
    raw = pd.read_csv(SHIPPED / "ons-ethnic-population-la.csv.gz")
    york = raw[raw.iloc[:, 0] == "E06000014"]
    assert eth.loc[eth["area_code"] == "E06000014", "residents"].sum() == york["Observation"].sum()


def test_dfe_moj_cohort_sizes_from_text():
    acc = read_dfe_moj_cohorts(SHIPPED / "2023_03_16_OFSEN_Demographics.xlsx", name_to_code=NAMES)
    ny = acc.clean[(acc.clean["area_name"] == "North Yorkshire")
                   & (acc.clean["indicator"] == "Home")].iloc[0]
    assert (ny["all_pupils"], ny["any_offence"], ny["sv_offence"]) == (34357, 1370, 214)
    assert ny["area_code"] == "E06000065"


class _StandIn:
    def __init__(self, frame):
        self.frame = frame

    def get_data_by_indicator_ids(self, ids, area_type):
        return self.frame


def test_fetch_fingertips_caches_with_provenance_offline(tmp_path):
    frame = pd.read_csv(CORPUS / "fingertips_duplicated_area.csv", dtype=str)
    path = fetch_fingertips([90284], out_dir=tmp_path, client=_StandIn(frame))
    assert path.name == "fingertips_90284_area_type_502.csv.gz"
    provenance = (tmp_path / "fingertips_90284_area_type_502.provenance.json").read_text()
    assert '"rows": 3' in provenance and '"rows_used": 2' in provenance
    assert len(read_fingertips_export(path).clean) == 2
    with pytest.raises(SnaInputError, match="Fingertips returned no rows"):
        fetch_fingertips([90284], out_dir=tmp_path, client=_StandIn(pd.DataFrame()))
    before = path.read_bytes()
    with pytest.raises(SnaInputError, match="required column"):
        fetch_fingertips([90284], out_dir=tmp_path,
                         client=_StandIn(frame.drop(columns=["Value note"])))
    assert path.read_bytes() == before, "a bad download replaced a good cached copy"


# ---------------------------------------------------------------- fuzzing

EES_TEXT = (CORPUS / "ees_duplicated_area.csv").read_bytes()
TIPS_TEXT = (CORPUS / "fingertips_duplicated_area.csv").read_bytes()
ALPHABET = b",\n\"cxz0123456789.E:- ab\xe9"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_fuzzed_partner_csvs_raise_only_project_errors(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    for name, raw, reader in (("e.csv", EES_TEXT, lambda p: read_ees_csv(p, ["Gangs"])),
                              ("f.csv", TIPS_TEXT, read_fingertips_export)):
        path = folder / name
        path.write_bytes(mutate(data, raw, ALPHABET, delete=True))
        try:
            acc = reader(path)
        except SnaInputError:
            continue
        assert acc.rows_in == len(acc.clean) + len(acc.quarantine)


CELLS = st.one_of(st.none(), st.integers(-5, 120), st.floats(allow_nan=False, width=16),
                  st.sampled_from(["York", "Home", "School", "All Pupils", "c", "", "82%",
                                   "Serious Violence Offence", "North Yorkshire"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(CELLS, CELLS, CELLS, CELLS, CELLS), max_size=6), st.booleans())
def test_fuzzed_dfe_moj_sheets_raise_only_project_errors(tmp_path_factory, rows, title):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "EverAP"
    if title:
        sheet.append(("A title",))
    sheet.append(("LA", "indicator", "perc", "group", "Absence"))
    for row in rows:
        sheet.append(row)
    path = tmp_path_factory.mktemp("xlsx") / "w.xlsx"
    book.save(path)
    try:
        acc = read_dfe_moj_sheet(path, "EverAP", name_to_code=NAMES)
    except SnaInputError:
        return
    assert acc.rows_in == len(acc.clean) + len(acc.quarantine)
    assert acc.clean["perc"].dropna().between(0, 100).all()
