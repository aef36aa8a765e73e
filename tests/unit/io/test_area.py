"""Resolving a study area from ONS codes (reference: the shipped ONS lookup read directly)."""

import pandas as pd
import pytest

from sna.errors import SnaInputError
from sna.io.area import adjacent_forces, force_slug, resolve_area
from sna.io.geography import study_area_lsoas, subarea_columns
from sna.paths import raw_dir

GEO = raw_dir() / "shipped" / "geography"


@pytest.fixture(scope="module")
def lookups():
    lsoa = pd.read_csv(GEO / "lsoa21_ward24_ltla24_ew.csv.gz", dtype=str)
    csp = pd.read_csv(GEO / "ltla24_csp24_pfa24_ew.csv.gz", dtype=str)
    return lsoa, csp


@pytest.mark.parametrize("codes", [["E23000002"], ["E06000063", "E06000064"],
                                   ["E22000031", "E22000032"], ["cumberland", "E06000064"]])
def test_force_csp_council_codes_and_names_resolve_to_the_same_area(codes, lookups):
    lsoa, _ = lookups
    area = resolve_area(codes)
    assert area.ltla24_codes == ["E06000063", "E06000064"]
    assert area.name == "Cumberland and Westmorland and Furness"
    assert area.forces == ["cumbria"] and area.pfa24_names == ["Cumbria"]
    expected = sorted(lsoa.loc[lsoa["ltla24_code"].isin(area.ltla24_codes), "lsoa21_code"])
    assert list(area.lsoas) == expected and len(expected) == 319
    assert any("holds 3 Community Safety Partnerships" in n for n in area.notes)


def test_unknown_code_is_named_with_the_closest_known_code():
    with pytest.raises(SnaInputError) as err:
        resolve_area(["E06000010", "E0600001O"])
    assert "'E0600001O'" in err.value.problem and "did you mean" in err.value.problem
    with pytest.raises(SnaInputError, match="did you mean E06000010 .Kingston"):
        resolve_area("Kingston upon Hul, City of")
    with pytest.raises(SnaInputError, match="no area codes"):
        resolve_area([])


def test_welsh_area_says_it_has_no_imd():
    area = resolve_area("W06000015")
    assert area.welsh and any("Wales has no Index of Multiple Deprivation" in n
                              for n in area.notes)


def test_force_slugs_match_the_national_coverage_file(lookups):
    from sna.io.national_counts import force_months

    _, csp = lookups
    slugs = {force_slug(n) for n in csp["pfa24_name"].unique()}
    listed = set(force_months())
    assert listed <= slugs and slugs - listed == {"greater-manchester"}


def test_adjacent_forces_share_a_border():
    assert adjacent_forces(["E23000012"]) == ["E23000009", "E23000011", "E23000019",
                                              "E23000020"]


def test_subareas_default_to_councils_or_wards_and_a_lookup_can_be_named(tmp_path):
    two = study_area_lsoas(ltla24_codes=("E06000063", "E06000064"))
    assert set(two["district_name"]) == {"Cumberland", "Westmorland and Furness"}
    assert set(two["subarea_kind"]) == {"council"}
    one = study_area_lsoas(ltla24_codes=("E06000010",))
    assert (one["district_code"] == one["ward24_code"]).all()
    lookup = pd.DataFrame({"lsoa21_code": one["lsoa21_code"],
                           "subarea_code": ["N"] * 100 + ["S"] * (len(one) - 100),
                           "subarea_name": ["North"] * 100 + ["South"] * (len(one) - 100)})
    path = tmp_path / "hubs.csv"
    lookup.to_csv(path, index=False)
    hubs, kind = subarea_columns(one, subareas=str(path))
    assert kind == "sub-area" and hubs["district_name"].value_counts()["North"] == 100
    with pytest.raises(SnaInputError, match="does not cover 1 of"):
        lookup.iloc[1:].to_csv(path, index=False)
        subarea_columns(one, subareas=str(path))


def test_crimes_elsewhere_in_the_force_area_are_not_called_force_border_offences():
    """Audit: for Westmorland and Furness (half of Cumbria's force area) 22,561 Cumberland
    offences were set aside as 'LSOA outside the study area (force-border offence)'."""
    from sna.io.geography import OUTSIDE_STUDY_AREA, attach_geography, lsoa21_lookup

    lookup = lsoa21_lookup()
    westmorland = lookup.loc[lookup["ltla24_code"] == "E06000064", "lsoa21_code"].head(2)
    cumberland = lookup.loc[lookup["ltla24_code"] == "E06000063", "lsoa21_code"].head(3)
    crimes = pd.DataFrame({"lsoa_code": [*westmorland, *cumberland, None]})
    result = attach_geography(crimes, study_area_lsoas(ltla24_codes=("E06000064",)))
    assert len(result.clean) == 3 and result.rows_in == 6  # two inside, one without a location
    assert result.quarantine["reason"].tolist() == [OUTSIDE_STUDY_AREA] * 3
    assert "force-border" not in OUTSIDE_STUDY_AREA
    assert "elsewhere in the force area" in OUTSIDE_STUDY_AREA
