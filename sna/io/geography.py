"""Geography: LSOA lookups, rurality, population, deprivation and boundaries.

Everything is keyed on LSOA 2021 codes (what police.uk publishes), with the
2011 vintage available through the ONS best-fit lookup. Lookups are read from
the shipped public data in ``data/raw/shipped/geography`` (ONS, OGL v3.0);
pass ``folder=`` to read another copy.

The chain is LSOA 2021 -> ward 2024 -> local authority 2024 (council) ->
Community Safety Partnership -> police force area, plus, for North Yorkshire,
the pre-2023 district (LAD 2022), which is the area of each Community Safety
Hub (Craven, Hambleton, Harrogate, Richmondshire, Ryedale, Scarborough, Selby)
and York.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from sna.errors import SnaInputError
from sna.io.accounting import Accounted, split_by_reason
from sna.paths import raw_dir

__all__ = [
    "attach_geography",
    "deprivation",
    "geography_dir",
    "lsoa21_lookup",
    "lsoa_profile",
    "mid_year_population_lsoa11",
    "population",
    "read_boundaries",
    "rurality",
    "study_area_lsoas",
]

RUC21_ORDER = ["UN1", "UF1", "RLN1", "RLF1", "RSN1", "RSF1"]
RUC21_LABELS = {
    "UN1": "Urban: nearer to a major town or city",
    "UF1": "Urban: further from a major town or city",
    "RLN1": "Larger rural: nearer to a major town or city",
    "RLF1": "Larger rural: further from a major town or city",
    "RSN1": "Smaller rural: nearer to a major town or city",
    "RSF1": "Smaller rural: further from a major town or city",
}
RUC11_ORDER = ["A1", "B1", "C1", "C2", "D1", "D2", "E1", "E2"]
NYY_LTLA24 = ("E06000065", "E06000014")
SOURCE_NOTE = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Source: Office for National Statistics; MHCLG (IoD2025)."
)


def geography_dir(folder: str | Path | None = None) -> Path:
    """Return the folder holding the geography CSVs (shipped copy by default)."""
    return Path(folder) if folder is not None else raw_dir() / "shipped" / "geography"


def _read(name: str, folder: str | Path | None = None, **kwargs) -> pd.DataFrame:
    path = geography_dir(folder) / name
    if not path.exists():
        raise SnaInputError("a geography lookup file is missing", file=str(path),
                            fix="restore data/raw/shipped from git, or pass folder= to "
                                "a folder holding the ONS lookups")
    return pd.read_csv(path, **kwargs)


@cache
def lsoa21_lookup(folder: str | None = None) -> pd.DataFrame:
    """LSOA 2021 -> ward, council (LAD 2024), CSP, police force area, and old district.

    Returns
    -------
    pandas.DataFrame
        One row per LSOA 2021 in England and Wales: ``lsoa21_code,
        lsoa21_name, ward24_code, ward24_name, ltla24_code, ltla24_name,
        csp24_code, csp24_name, pfa24_code, pfa24_name, district_code,
        district_name``. ``district`` is the pre-2023 district (LAD 2022)
        where the shipped lookup has it (North Yorkshire and York) and the
        LAD 2024 elsewhere.

    Examples
    --------
    >>> lk = lsoa21_lookup()
    >>> lk.loc[lk.lsoa21_code == "E01013335", ["district_name", "pfa24_name"]].iloc[0].tolist()
    ['York', 'North Yorkshire']
    """
    lsoa = _read("lsoa21_ward24_ltla24_ew.csv.gz", folder, dtype=str)
    csp = _read("ltla24_csp24_pfa24_ew.csv.gz", folder, dtype=str)
    # A LAD can map to several CSP rows in the ONS lookup (merged unitaries): keep the first.
    csp = csp.drop_duplicates("ltla24_code").drop(columns="ltla24_name")
    out = lsoa.merge(csp, on="ltla24_code", how="left")
    old = _read("lsoa11_lsoa21_ltla22_nyy.csv.gz", folder, dtype=str)
    old = old.drop_duplicates("lsoa21_code")[["lsoa21_code", "ltla22_code", "ltla22_name"]]
    out = out.merge(old, on="lsoa21_code", how="left")
    out["district_code"] = out["ltla22_code"].fillna(out["ltla24_code"])
    out["district_name"] = out["ltla22_name"].fillna(out["ltla24_name"])
    return out.drop(columns=["ltla22_code", "ltla22_name"])


def study_area_lsoas(*, ltla24_codes: tuple[str, ...] | None = None,
                     pfa24_code: str | None = None, folder: str | None = None) -> pd.DataFrame:
    """The LSOAs of a study area, given its councils (LAD 2024) or its police force area.

    Examples
    --------
    >>> len(study_area_lsoas(ltla24_codes=NYY_LTLA24))
    500
    """
    lk = lsoa21_lookup(folder)
    if (ltla24_codes is None) == (pfa24_code is None):
        raise SnaInputError("give exactly one of ltla24_codes and pfa24_code",
                            fix="name the study area by its councils or by its force area")
    if ltla24_codes is not None:
        unknown = sorted(set(ltla24_codes) - set(lk["ltla24_code"]))
        key, selected = "ltla24_codes", lk["ltla24_code"].isin(ltla24_codes)
    else:
        unknown = [] if pfa24_code in set(lk["pfa24_code"]) else [pfa24_code]
        key, selected = "pfa24_code", lk["pfa24_code"] == pfa24_code
    if unknown:
        raise SnaInputError(f"unknown area code(s): {', '.join(map(str, unknown))}", column=key,
                            value=unknown, fix="use ONS codes such as E06000065 (LAD 2024) or "
                                               "E23000010 (police force area)")
    return lk[selected].reset_index(drop=True)


@cache
def rurality(vintage: int = 2021, folder: str | None = None) -> pd.DataFrame:
    """Rural-Urban Classification of LSOAs (2021 scheme on LSOA 2021, 2011 on LSOA 2011).

    Returns columns ``lsoa_code, ruc_code, ruc_name, urban_rural`` with
    ``ruc_code`` an ordered categorical (urban to most rural).

    Examples
    --------
    >>> r = rurality(2021)
    >>> r.ruc_code.cat.categories.tolist()[:2]
    ['UN1', 'UF1']
    """
    if vintage == 2021:
        df = _read("ruc2021_lsoa21_ew.csv.gz", folder, dtype=str)
        df = df.rename(columns={"lsoa21_code": "lsoa_code", "ruc21_code": "ruc_code",
                                "classification": "ruc_name", "ruc": "urban_rural"})
        order = RUC21_ORDER
    elif vintage == 2011:
        df = _read("ruc2011_lsoa11_ew.csv.gz", folder, dtype=str)
        df = df.rename(columns={"LSOA11CD": "lsoa_code", "RUC11CD": "ruc_code",
                                "RUC11": "ruc_name"}).drop(columns="LSOA11NM")
        df["urban_rural"] = df["ruc_code"].str[0].map(
            lambda c: "Urban" if c in "ABC" else "Rural")
        order = RUC11_ORDER
    else:
        raise SnaInputError(f"no Rural-Urban Classification for {vintage}", column="vintage",
                            value=vintage, fix="use 2021 (LSOA 2021) or 2011 (LSOA 2011)")
    df["ruc_code"] = pd.Categorical(df["ruc_code"], categories=order, ordered=True)
    return df[["lsoa_code", "ruc_code", "ruc_name", "urban_rural"]]


@cache
def population(folder: str | None = None) -> pd.DataFrame:
    """Census 2021 usual residents by LSOA 2021, with age groups (census day 21 March 2021).

    Examples
    --------
    >>> int(population().set_index("lsoa21_code").loc["E01013335", "usual_residents"]) > 0
    True
    """
    df = _read("census2021_lsoa21_ew.csv.gz", folder)
    df.attrs["source"] = "ONS Census 2021 (TS001, TS007A), usual residents, 21 March 2021"
    return df


@cache
def mid_year_population_lsoa11(folder: str | None = None) -> pd.DataFrame:
    """ONS mid-2020 population estimates by LSOA 2011 (North Yorkshire and York only)."""
    df = _read("lsoa11_mid2020_syoa_persons_nyy.csv.gz", folder)
    df = df[["lsoa11_code", "lsoa11_name", "total_population"]]
    df.attrs["source"] = "ONS small area population estimates, mid-2020 (LSOA 2011)"
    return df


@cache
def deprivation(folder: str | None = None) -> pd.DataFrame:
    """English Indices of Deprivation 2025 by LSOA 2021 (decile 1 = most deprived).

    Examples
    --------
    >>> sorted(deprivation()["imd_decile"].unique().tolist())[:3]
    [1, 2, 3]
    """
    df = _read("imd2025_england_lsoa21_nyy.csv.gz", folder)
    out = df[["lsoa21_code", "IMD_decile", "IMD_rank", "IMD_score"]].rename(
        columns={"IMD_decile": "imd_decile", "IMD_rank": "imd_rank", "IMD_score": "imd_score"})
    out["imd_decile"] = out["imd_decile"].astype(int)
    return out


def lsoa_profile(lsoas: pd.DataFrame) -> pd.DataFrame:
    """Join rurality (2021), Census 2021 population and IMD 2025 to a table of LSOAs.

    Parameters
    ----------
    lsoas : pandas.DataFrame
        Needs ``lsoa21_code`` (e.g. from :func:`study_area_lsoas`).

    Examples
    --------
    >>> prof = lsoa_profile(study_area_lsoas(ltla24_codes=NYY_LTLA24))
    >>> int(prof.usual_residents.sum())
    818316
    """
    ruc = rurality(2021).rename(columns={"lsoa_code": "lsoa21_code"})
    pop = population()[["lsoa21_code", "usual_residents", "age_under_25", "age6_0_15",
                        "age6_16_24"]]
    out = lsoas.merge(ruc, on="lsoa21_code", how="left").merge(pop, on="lsoa21_code", how="left")
    return out.merge(deprivation(), on="lsoa21_code", how="left")


def attach_geography(crimes: pd.DataFrame, area_lsoas: pd.DataFrame,
                     lsoa_column: str = "lsoa_code") -> Accounted:
    """Give each crime its district, council, rurality and deprivation; quarantine the rest.

    Crimes with no location (``lsoa_code`` missing) are kept, with missing
    geography. Crimes whose LSOA is not in ``area_lsoas`` (force-border
    offences, or codes with no lookup entry) are quarantined with that reason.

    Returns
    -------
    Accounted
        ``clean`` has the crime columns plus ``district_name, ltla24_name,
        ruc_code, urban_rural, imd_decile``.
    """
    profile = lsoa_profile(area_lsoas)
    keep = ["lsoa21_code", "district_code", "district_name", "ltla24_code", "ltla24_name",
            "ruc_code", "urban_rural", "imd_decile"]
    merged = crimes.merge(profile[keep], left_on=lsoa_column, right_on="lsoa21_code",
                          how="left", validate="many_to_one").drop(columns="lsoa21_code")
    known = set(lsoa21_lookup()["lsoa21_code"])
    has_lsoa = merged[lsoa_column].notna()
    outside = has_lsoa & merged["district_code"].isna()
    no_lookup = outside & ~merged[lsoa_column].isin(known)
    reason = pd.Series([None] * len(merged), dtype=object)
    reason[outside.to_numpy()] = "LSOA outside the study area (force-border offence)"
    reason[no_lookup.to_numpy()] = "LSOA code has no entry in the ONS lookup"
    if "source_file" not in merged:
        merged["source_file"], merged["source_row"] = "", range(2, len(merged) + 2)
    return split_by_reason(merged, reason)


def read_boundaries(kind: str = "lsoa21", folder: str | Path | None = None):
    """Read shipped boundaries with pyogrio, reprojected to British National Grid (EPSG:27700).

    Parameters
    ----------
    kind : {"lsoa21", "lsoa11", "ltla19", "ltla24", "pfa20"}

    Examples
    --------
    >>> gdf = read_boundaries("ltla19")
    >>> gdf.crs.to_epsg(), len(gdf)
    (27700, 8)
    """
    import geopandas as gpd

    names = {"lsoa21": "lsoa21_bsc_nyy", "lsoa11": "lsoa11_bsc_nyy", "ltla19": "ltla19_nyy",
             "ltla24": "ltla24_nyy", "pfa20": "pfa20_north_yorkshire_and_neighbours"}
    if kind not in names:
        raise SnaInputError(f"unknown boundary set '{kind}'", column="kind", value=kind,
                            fix="use one of " + ", ".join(names))
    base = Path(folder) if folder else raw_dir() / "shipped" / "boundaries"
    path = base / f"{names[kind]}.geojson.gz"
    gdf = gpd.read_file(f"/vsigzip/{path}", engine="pyogrio")
    if gdf.crs is None:
        raise SnaInputError("the boundary file has no CRS", file=str(path),
                            fix="export it again with its coordinate reference system")
    return gdf.to_crs(27700)
