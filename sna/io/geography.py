"""Geography: LSOA lookups, rurality, population, deprivation and boundaries.

Everything is keyed on LSOA 2021 codes (what police.uk publishes), with the
2011 vintage available through the ONS best-fit lookup. Lookups are read from
the shipped public data in ``data/raw/shipped/geography`` (ONS, OGL v3.0);
pass ``folder=`` to read another copy.

The chain is LSOA 2021 -> ward 2024 -> local authority 2024 (council) ->
Community Safety Partnership -> police force area, for every LSOA in England
and Wales. A study area's *sub-areas* (the units its report breaks figures down
by) are its councils, its wards, or the units of a lookup file the params name
(for example the pre-2023 districts of a council that merged in 2023): see
:func:`subarea_columns`.

National reference data (IMD 2025 for England, Census 2021 for England and
Wales, boundaries) is read from ``data/raw/shipped/national``.
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
    "lsoa_area_km2",
    "lsoa_profile",
    "national_dir",
    "population",
    "read_boundaries",
    "read_subarea_lookup",
    "rurality",
    "study_area_lsoas",
    "subarea_columns",
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
SUBAREA_KINDS = ("auto", "councils", "wards")
SOURCE_NOTE = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Source: Office for National Statistics; MHCLG (IoD2025)."
)


def national_dir() -> Path:
    """Return the folder of the shipped national reference data.

    Returns
    -------
    Path
        ``data/raw/shipped/national`` in the project.
    """
    return raw_dir() / "shipped" / "national"


def geography_dir(*, folder: str | Path | None = None) -> Path:
    """Return the folder holding the geography CSVs (shipped copy by default).

    Parameters
    ----------
    folder : str or Path, optional
        A folder to use instead of the shipped ``data/raw/shipped/geography``.

    Returns
    -------
    Path
        ``folder``, or the shipped geography folder when None.
    """
    return Path(folder) if folder is not None else raw_dir() / "shipped" / "geography"


def _read(name: str, folder: str | Path | None = None, **kwargs) -> pd.DataFrame:
    path = geography_dir(folder=folder) / name
    if not path.exists():
        raise SnaInputError("a geography lookup file is missing", file=str(path),
                            fix="restore data/raw/shipped from git, or pass folder= to "
                                "a folder holding the ONS lookups")
    return pd.read_csv(path, **kwargs)


@cache
def lsoa21_lookup(*, folder: str | None = None) -> pd.DataFrame:
    """LSOA 2021 -> ward, council (LAD 2024), CSP and police force area.

    Parameters
    ----------
    folder : str, optional
        Folder holding the lookup CSVs (the shipped copy when None).

    Returns
    -------
    pandas.DataFrame
        One row per LSOA 2021 in England and Wales: ``lsoa21_code,
        lsoa21_name, ward24_code, ward24_name, ltla24_code, ltla24_name,
        csp24_code, csp24_name, pfa24_code, pfa24_name``. A council that
        holds several CSPs in the ONS lookup (some merged unitaries) takes
        the first; :mod:`sna.io.area` says so for such areas.

    Examples
    --------
    >>> lk = lsoa21_lookup()
    >>> len(lk), int(lk["pfa24_code"].isna().sum())
    (35672, 0)
    """
    lsoa = _read("lsoa21_ward24_ltla24_ew.csv.gz", folder, dtype=str)
    csp = _read("ltla24_csp24_pfa24_ew.csv.gz", folder, dtype=str)
    csp = csp.drop_duplicates("ltla24_code").drop(columns="ltla24_name")
    return lsoa.merge(csp, on="ltla24_code", how="left")


def read_subarea_lookup(path: str | Path) -> pd.DataFrame:
    """Read a sub-area lookup: LSOA 2021 -> a sub-area code and name.

    The file (CSV, optionally gzipped) needs ``lsoa21_code`` and either
    ``subarea_code, subarea_name`` or ``ltla22_code, ltla22_name`` (the ONS
    LSOA 2021 -> LAD 2022 layout, which gives pre-2023 districts). An LSOA
    listed twice keeps its first row.

    Parameters
    ----------
    path : str or Path
        The lookup file; a relative path is taken from the project root.

    Returns
    -------
    pandas.DataFrame
        ``lsoa21_code, district_code, district_name``.
    """
    from sna.paths import repo_root

    file = Path(path)
    if not file.is_absolute():
        file = repo_root() / file
    if not file.is_file():
        raise SnaInputError("the sub-area lookup file is missing", file=str(file),
                            fix="check the path in 'subareas', or use 'councils' or 'wards'")
    table = pd.read_csv(file, dtype=str)
    for prefix in ("subarea", "ltla22"):
        if {"lsoa21_code", f"{prefix}_code", f"{prefix}_name"} <= set(table.columns):
            out = table.drop_duplicates("lsoa21_code")[
                ["lsoa21_code", f"{prefix}_code", f"{prefix}_name"]]
            return out.set_axis(["lsoa21_code", "district_code", "district_name"], axis=1)
    raise SnaInputError("the sub-area lookup has no sub-area columns", file=str(file),
                        column=", ".join(table.columns[:6]),
                        fix="give columns lsoa21_code, subarea_code, subarea_name")


def subarea_columns(lsoas: pd.DataFrame, *, subareas: str = "auto") -> tuple[pd.DataFrame, str]:
    """Give each LSOA of a study area its sub-area (``district_code, district_name``).

    Parameters
    ----------
    lsoas : pandas.DataFrame
        Rows of :func:`lsoa21_lookup` for the study area.
    subareas : str, default "auto"
        ``"councils"`` (LAD 2024), ``"wards"`` (ward 2024), a path to a lookup file
        (:func:`read_subarea_lookup`), or ``"auto"``: councils when the area has more
        than one, else wards.

    Returns
    -------
    (pandas.DataFrame, str)
        The LSOAs with ``district_code, district_name, subarea_kind`` and the kind of
        sub-area ("council", "ward" or "sub-area").

    Examples
    --------
    >>> lk = lsoa21_lookup()
    >>> one = lk[lk.ltla24_code == "E06000010"]
    >>> subarea_columns(one)[1], subarea_columns(one, subareas="councils")[1]
    ('ward', 'council')
    """
    kind = subareas
    if kind == "auto":
        kind = "councils" if lsoas["ltla24_code"].nunique() > 1 else "wards"
    out = lsoas.drop(columns=["district_code", "district_name"], errors="ignore")
    if kind == "councils":
        out = out.assign(district_code=out["ltla24_code"], district_name=out["ltla24_name"],
                         subarea_kind="council")
        return out, "council"
    if kind == "wards":
        out = out.assign(district_code=out["ward24_code"], district_name=out["ward24_name"],
                         subarea_kind="ward")
        return out, "ward"
    lookup = read_subarea_lookup(kind)
    out = out.merge(lookup, on="lsoa21_code", how="left")
    missing = out["district_code"].isna()
    if missing.any():
        raise SnaInputError(
            f"the sub-area lookup does not cover {int(missing.sum())} of the area's LSOAs "
            f"(e.g. {out.loc[missing, 'lsoa21_code'].iloc[0]})", file=str(kind),
            fix="use a lookup covering every LSOA of the area, or subareas: councils/wards")
    return out.assign(subarea_kind="sub-area"), "sub-area"


def study_area_lsoas(*, ltla24_codes: tuple[str, ...] | None = None,
                     pfa24_code: str | None = None, folder: str | None = None,
                     subareas: str = "auto") -> pd.DataFrame:
    """The LSOAs of a study area, given its councils (LAD 2024) or its police force area.

    Each LSOA gets its sub-area in ``district_code, district_name`` (see
    :func:`subarea_columns`; ``attrs["subarea_kind"]`` names the kind).

    Parameters
    ----------
    ltla24_codes : tuple of str, optional
        The study area's councils (LAD 2024 codes).
    pfa24_code : str, optional
        The study area's police force area code (give exactly one of the two).
    folder : str, optional
        Folder holding the lookup CSVs (the shipped copy when None).
    subareas : str, default "auto"
        The sub-area kind, as for :func:`subarea_columns`.

    Returns
    -------
    pandas.DataFrame
        The :func:`lsoa21_lookup` rows of the area with ``district_code,
        district_name, subarea_kind``, one row per LSOA.

    Examples
    --------
    >>> len(study_area_lsoas(ltla24_codes=("E06000063", "E06000064")))
    319
    """
    lk = lsoa21_lookup(folder=folder)
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
                            value=unknown, fix="use ONS codes such as E06000063 (LAD 2024) or "
                                               "E23000010 (police force area)")
    out, kind = subarea_columns(lk[selected].reset_index(drop=True), subareas=subareas)
    out.attrs["subarea_kind"] = kind
    return out


@cache
def rurality(*, vintage: int = 2021, folder: str | None = None) -> pd.DataFrame:
    """Rural-Urban Classification of LSOAs (2021 scheme on LSOA 2021, 2011 on LSOA 2011).

    Returns columns ``lsoa21_code, ruc21_code, ruc_name, urban_rural`` (2021), or
    ``lsoa11_code, ruc11_code, ruc_name, urban_rural`` (2011), with the code an ordered
    categorical (urban to most rural).

    Parameters
    ----------
    vintage : int, default 2021
        2021 or 2011.
    folder : str, optional
        Folder holding the lookup CSVs (the shipped copy when None).

    Returns
    -------
    pandas.DataFrame
        One row per LSOA, with the columns above.

    Examples
    --------
    >>> r = rurality(vintage=2021)
    >>> r.ruc21_code.cat.categories.tolist()[:2]
    ['UN1', 'UF1']
    """
    if vintage == 2021:
        df = _read("ruc2021_lsoa21_ew.csv.gz", folder, dtype=str)
        df = df.rename(columns={"classification": "ruc_name", "ruc": "urban_rural"})
        order, lsoa, code = RUC21_ORDER, "lsoa21_code", "ruc21_code"
    elif vintage == 2011:
        df = _read("ruc2011_lsoa11_ew.csv.gz", folder, dtype=str)
        df = df.rename(columns={"LSOA11CD": "lsoa11_code", "RUC11CD": "ruc11_code",
                                "RUC11": "ruc_name"}).drop(columns="LSOA11NM")
        df["urban_rural"] = df["ruc11_code"].str[0].map(
            lambda c: "Urban" if c in "ABC" else "Rural")
        order, lsoa, code = RUC11_ORDER, "lsoa11_code", "ruc11_code"
    else:
        raise SnaInputError(f"no Rural-Urban Classification for {vintage}", column="vintage",
                            value=vintage, fix="use 2021 (LSOA 2021) or 2011 (LSOA 2011)")
    df[code] = pd.Categorical(df[code], categories=order, ordered=True)
    return df[[lsoa, code, "ruc_name", "urban_rural"]]


@cache
def population(*, folder: str | None = None) -> pd.DataFrame:
    """Census 2021 usual residents by LSOA 2021, with age groups (census day 21 March 2021).

    Parameters
    ----------
    folder : str, optional
        Folder holding the Census CSV (the shipped copy when None).

    Returns
    -------
    pandas.DataFrame
        One row per LSOA 2021: ``lsoa21_code, lsoa21_name, usual_residents``,
        household/communal and sex counts, five-year (``age_0_4`` ...) and six-band
        (``age6_0_15`` ...) age groups, and ``age_under_25``.

    Examples
    --------
    >>> int(population().set_index("lsoa21_code").loc["E01013335", "usual_residents"]) > 0
    True
    """
    df = _read("census2021_lsoa21_ew.csv.gz", folder)
    df.attrs["source"] = "ONS Census 2021 (TS001, TS007A), usual residents, 21 March 2021"
    return df


@cache
def deprivation(*, folder: str | None = None) -> pd.DataFrame:
    """English Indices of Deprivation 2025 by LSOA 2021 (decile 1 = most deprived).

    Every English LSOA 2021 (33,755). Wales is not covered: it has its own index
    (WIMD), which is not shipped, so Welsh LSOAs have no IMD here.

    Parameters
    ----------
    folder : str, optional
        Folder holding the IMD CSV (the shipped national folder when None).

    Returns
    -------
    pandas.DataFrame
        ``lsoa21_code, imd_decile, imd_rank, imd_score``, one row per English LSOA.

    Examples
    --------
    >>> imd = deprivation()
    >>> len(imd), sorted(imd["imd_decile"].unique().tolist())[:3]
    (33755, [1, 2, 3])
    """
    path = Path(folder) / "imd2025_england_lsoa21.csv.gz" if folder else \
        national_dir() / "imd2025_england_lsoa21.csv.gz"
    if not path.exists():
        raise SnaInputError("the IMD 2025 file is missing", file=str(path),
                            fix="restore data/raw/shipped/national from git")
    out = pd.read_csv(path, usecols=["lsoa21_code", "imd_decile", "imd_rank", "imd_score"])
    out["imd_decile"] = out["imd_decile"].astype(int)
    return out


def lsoa_profile(lsoas: pd.DataFrame) -> pd.DataFrame:
    """Join rurality (2021), Census 2021 population and IMD 2025 to a table of LSOAs.

    Parameters
    ----------
    lsoas : pandas.DataFrame
        Needs ``lsoa21_code`` (e.g. from :func:`study_area_lsoas`).

    Returns
    -------
    pandas.DataFrame
        ``lsoas`` (left join) with ``ruc21_code, ruc_name, urban_rural``,
        ``usual_residents, age_under_25, age6_0_15, age6_16_24`` and
        ``imd_decile, imd_rank, imd_score`` (missing where not matched).

    Examples
    --------
    >>> prof = lsoa_profile(study_area_lsoas(ltla24_codes=("E06000010",)))
    >>> int(prof.usual_residents.sum()), int(prof.imd_decile.isna().sum())
    (267006, 0)
    """
    ruc = rurality(vintage=2021)
    pop = population()[["lsoa21_code", "usual_residents", "age_under_25", "age6_0_15",
                        "age6_16_24"]]
    out = lsoas.merge(ruc, on="lsoa21_code", how="left").merge(pop, on="lsoa21_code", how="left")
    return out.merge(deprivation(), on="lsoa21_code", how="left")


OUTSIDE_STUDY_AREA = ("LSOA outside the study area (elsewhere in the force area, or across "
                      "its border)")
"""Quarantine reason of a crime located outside the study area. A force's police.uk files
cover its whole area, so for a partnership smaller than its force most of them are this."""


def attach_geography(crimes: pd.DataFrame, area_lsoas: pd.DataFrame,
                     *, lsoa_column: str = "lsoa_code") -> Accounted:
    """Give each crime its district, council, rurality and deprivation; quarantine the rest.

    Crimes with no location (``lsoa_code`` missing) are kept, with missing
    geography. Crimes whose LSOA is not in ``area_lsoas`` (:data:`OUTSIDE_STUDY_AREA`:
    elsewhere in the force area when the study area is smaller than it, or across the
    force's border) or has no lookup entry are quarantined with that reason.

    Parameters
    ----------
    crimes : pandas.DataFrame
        Crimes with an LSOA code column.
    area_lsoas : pandas.DataFrame
        The study area's LSOAs (:func:`study_area_lsoas`).
    lsoa_column : str, default "lsoa_code"
        The crimes' LSOA code column.

    Returns
    -------
    Accounted
        ``clean`` has the crime columns plus ``district_name, ltla24_name,
        ruc21_code, urban_rural, imd_decile``.
    """
    profile = lsoa_profile(area_lsoas)
    keep = ["lsoa21_code", "district_code", "district_name", "ltla24_code", "ltla24_name",
            "ruc21_code", "urban_rural", "imd_decile"]
    merged = crimes.merge(profile[keep], left_on=lsoa_column, right_on="lsoa21_code",
                          how="left", validate="many_to_one").drop(columns="lsoa21_code")
    known = set(lsoa21_lookup()["lsoa21_code"])
    has_lsoa = merged[lsoa_column].notna()
    outside = has_lsoa & merged["district_code"].isna()
    no_lookup = outside & ~merged[lsoa_column].isin(known)
    reason = pd.Series([None] * len(merged), dtype=object)
    reason[outside.to_numpy()] = OUTSIDE_STUDY_AREA
    reason[no_lookup.to_numpy()] = "LSOA code has no entry in the ONS lookup"
    if "source_file" not in merged:
        merged["source_file"], merged["source_row"] = "", range(2, len(merged) + 2)
    return split_by_reason(merged, reason)


BOUNDARY_FILES = {"lsoa21": ("lsoa21_bsc_ew", "lsoa21_code"),
                  "ltla24": ("ltla24_ew", "ltla24_code"),
                  "pfa20": ("pfa20_ew", "pfa20_code")}


def read_boundaries(*, kind: str = "lsoa21", codes=None, folder: str | Path | None = None):
    """Read shipped England and Wales boundaries, reprojected to British National Grid.

    Parameters
    ----------
    kind : {"lsoa21", "ltla24", "pfa20"}
        LSOA 2021 (super generalised), LAD 2024 or police force areas (generalised).
    codes : collection of str, optional
        Keep only these features (by ``lsoa21_code``, ``ltla24_code`` or ``pfa20_code``).
    folder : path, optional
        Folder of the GeoJSON files (default ``data/raw/shipped/national/boundaries``).

    Examples
    --------
    >>> gdf = read_boundaries(kind="ltla24", codes=["E06000063", "E06000064"])
    >>> gdf.crs.to_epsg(), len(gdf)
    (27700, 2)
    """
    if kind not in BOUNDARY_FILES:
        raise SnaInputError(f"unknown boundary set '{kind}'", column="kind", value=kind,
                            fix="use one of " + ", ".join(BOUNDARY_FILES))
    name, key = BOUNDARY_FILES[kind]
    base = Path(folder) if folder else national_dir() / "boundaries"
    path = base / f"{name}.geojson.gz"
    if not path.exists():
        raise SnaInputError("a boundary file is missing", file=str(path),
                            fix="restore data/raw/shipped/national/boundaries from git")
    gdf = _read_geojson(str(path))
    if gdf.crs is None:
        raise SnaInputError("the boundary file has no CRS", file=str(path),
                            fix="export it again with its coordinate reference system")
    if codes is not None:
        gdf = gdf[gdf[key].isin(set(codes))].reset_index(drop=True)
    return gdf.to_crs(27700)


@cache
def _read_geojson(path: str):
    import geopandas as gpd

    return gpd.read_file(f"/vsigzip/{path}", engine="pyogrio")


@cache
def lsoa_area_km2() -> pd.DataFrame:
    """Land area of every LSOA 2021 in km², from the shipped super-generalised boundaries.

    Measured in British National Grid (EPSG:27700). The boundaries are clipped to the
    coastline and generalised, so areas are approximate (good for density bands).

    Returns
    -------
    pandas.DataFrame
        ``lsoa21_code, area_km2``, one row per LSOA 2021 in England and Wales.

    Examples
    --------
    >>> area = lsoa_area_km2()
    >>> len(area), bool((area["area_km2"] > 0).all())
    (35672, True)
    """
    gdf = read_boundaries(kind="lsoa21")
    return pd.DataFrame({"lsoa21_code": gdf["lsoa21_code"].to_numpy(),
                         "area_km2": gdf.geometry.area.to_numpy() / 1e6})
