"""April 2023 area code changes (same boundary vs split) and the upper-tier councils of an area."""

import pandas as pd
import pytest

from sna.errors import SnaInputError
from sna.io.partner.areas import dfe_councils, upper_tier_councils
from sna.io.partner.common import (
    area_code_changes,
    map_area_codes,
    mapping_sentence,
    same_boundary_codes,
    split_codes,
    split_note,
)
from sna.io.partner.dfe import read_ees_csv
from sna.io.partner.load import SOURCES
from sna.paths import repo_root

C3 = repo_root() / SOURCES["assessment_factors"]["default"]


def test_the_lookup_holds_the_three_april_2023_changes():
    changes = area_code_changes()
    assert len(changes) == 4
    assert same_boundary_codes() == {"E10000023": "E06000065", "E10000027": "E06000066"}
    assert split_codes() == {"E10000006": ["E06000063", "E06000064"]}
    assert set(changes["date"]) == {"2023-04-01"}


def test_same_boundary_counties_are_mapped_and_a_split_county_is_not():
    codes, mapped = map_area_codes(pd.Series(["E10000023", "e10000027 ", "E10000006",
                                              "E06000063", "E06000010"]))
    assert codes.tolist() == ["E06000065", "E06000066", "E10000006", "E06000063",
                              "E06000010"]
    assert mapped == {"E10000023 -> E06000065": 1, "E10000027 -> E06000066": 1}
    sentence = mapping_sentence(mapped)
    assert "1 row for the former North Yorkshire County Council (E10000023" in sentence
    assert "is counted as Somerset Council (E06000066), which has the same boundary" in sentence


@pytest.mark.parametrize(("code", "other"), [("E06000063", "Westmorland and Furness"),
                                             ("E06000064", "Cumberland")])
def test_successors_of_the_split_county_get_a_not_available_reason(code, other):
    note = split_note(code)
    assert note.startswith("not available: published for the former Cumbria County Council "
                           "(E10000006) only")
    assert f"{other} Council" in note and "not copied" in note
    assert split_note("E06000065") is None and split_note("E06000010") is None


def test_shipped_dfe_rows_of_the_split_county_are_never_copied_to_its_successors():
    clean = read_ees_csv(C3, SOURCES["assessment_factors"]["measures"]).clean
    las = clean[clean["geographic_level"] == "Local authority"]
    for successor in ("E06000063", "E06000064"):
        years = sorted(las.loc[las["area_code"] == successor, "time_period"])
        assert years == ["2024", "2025"]  # published for the new councils only
    cumbria = las[las["area_code"] == "E10000006"]
    assert sorted(cumbria["time_period"]) == ["2018", "2019", "2020", "2021", "2022", "2023"]
    somerset = las[las["area_code"] == "E06000066"].sort_values("time_period")
    assert somerset["time_period"].tolist() == [str(y) for y in range(2018, 2026)]
    assert set(somerset.loc[somerset["time_period"] < "2024", "area_code_as_published"]) == {
        "E10000027"}


def test_a_bad_lookup_is_an_error_naming_the_row(tmp_path):
    path = tmp_path / "changes.csv"
    path.write_text("old_code,old_name,new_code,new_name,change,date\n"
                    "E10000006,Cumbria,E06000063,Cumberland,same boundary,2023-04-01\n"
                    "E10000006,Cumbria,E06000064,Westmorland and Furness,same boundary,"
                    "2023-04-01\n")
    with pytest.raises(SnaInputError, match="several new codes") as caught:
        area_code_changes(path=str(path))
    assert caught.value.row == 2 and "split" in caught.value.fix
    path.write_text("old_code,old_name,new_code,new_name,change,date\n"
                    "E10000006,Cumbria,E06000063,Cumberland,merged,2023-04-01\n")
    with pytest.raises(SnaInputError, match="'merged' is not"):
        area_code_changes(path=str(path))
    path.write_text("old_code,new_code\nE1,E0\n")
    with pytest.raises(SnaInputError, match="'old_name' is missing"):
        area_code_changes(path=str(path))


def test_upper_tier_councils_come_from_the_dfe_file():
    councils = dfe_councils().set_index("code")
    assert councils.loc["E06000065", "la_number"] == "815"
    assert councils.loc["E06000063", "name"] == "Cumberland"
    areas, notes = upper_tier_councils(["E06000010", "E06000064"])
    assert areas == {"E06000010": {"name": "Kingston upon Hull, City of", "la_number": "810"},
                     "E06000064": {"name": "Westmorland and Furness", "la_number": "943"}}
    assert notes == []


def test_districts_get_their_county_and_welsh_councils_are_named_never_guessed():
    areas, notes = upper_tier_councils(["E07000136", "E07000137", "W06000015"],
                                       names=["Boston", "East Lindsey", "Cardiff"])
    assert areas == {"E10000019": {"name": "Lincolnshire", "la_number": "925"}}
    assert "Boston (E07000136) is a district council" in notes[0]
    assert "published for Lincolnshire (E10000019)" in notes[0] and "larger area" in notes[0]
    assert "Cardiff (W06000015) is a Welsh council" in notes[2]
    assert "England only" in notes[2]


def test_the_district_to_county_lookup_covers_every_district_and_sums_to_the_counties():
    """Each county's districts hold its Census 2021 residents (two independent ONS tables)."""
    root = repo_root() / "data" / "raw" / "shipped"
    lookup = pd.read_csv(root / "geography" / "ltla24_county24_en.csv.gz", dtype=str)
    councils = pd.read_csv(root / "geography" / "ltla24_csp24_pfa24_ew.csv.gz", dtype=str)
    districts = set(councils.loc[councils["ltla24_code"].str.startswith("E07"), "ltla24_code"])
    assert set(lookup["ltla24_code"]) == districts and lookup["ltla24_code"].is_unique
    lsoas = pd.read_csv(root / "geography" / "lsoa21_ward24_ltla24_ew.csv.gz",
                        usecols=["lsoa21_code", "ltla24_code"])
    census = pd.read_csv(root / "geography" / "census2021_lsoa21_ew.csv.gz",
                         usecols=["lsoa21_code", "usual_residents"])
    residents = lsoas.merge(census).groupby("ltla24_code")["usual_residents"].sum()
    summed = lookup.assign(n=lookup["ltla24_code"].map(residents)).groupby("county_code")["n"].sum()
    ethnic = pd.read_csv(root / "partner" / "ons-ethnic-population-la.csv.gz")
    published = ethnic.groupby(ethnic.columns[0])[ethnic.columns[-1]].sum()
    assert len(summed) == 21
    for county, n in summed.items():
        assert abs(n - published[county]) / published[county] < 0.005, county
