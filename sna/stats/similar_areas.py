"""Statistical neighbours: the councils most like a study area, from national data.

In the spirit of CIPFA's nearest-neighbour model, each council (LAD 2024, the unit a
Community Safety Partnership almost always covers) in England and Wales is described by
a few published characteristics that drive recorded crime, and the study area's
"similar areas" are the councils nearest to it once every characteristic is put on the
same scale. The method (see also ``sna/stats/methods_similar_areas.md``):

1. **Characteristics** (all from the shipped national data, LSOA 2021 summed to the unit):

   * ``log_population``: log of Census 2021 usual residents;
   * ``log_density``: log of residents per km² (land area from the ONS super-generalised
     LSOA 2021 boundaries, clipped to the coastline);
   * ``rural_share``: share of residents in LSOAs the ONS Rural-Urban Classification 2021
     calls rural (RLN1, RLF1, RSN1, RSF1);
   * ``smaller_rural_share``: share in the smaller rural classes (RSN1, RSF1);
   * ``further_share``: share in the classes "further from a major town or city"
     (UF1, RLF1, RSF1);
   * ``imd_score``: population-weighted mean IMD 2025 score (England only).

2. **Standardise** each characteristic to mean 0 and standard deviation 1 over the
   candidate councils (so no unit of measurement dominates).
3. **Distance** from the study area to each candidate: Euclidean on the standardised
   values (default) or Mahalanobis (which also discounts characteristics that move
   together, such as the three rurality shares).
4. The ``k`` nearest candidates are the similar areas; the study area's own councils
   are never candidates.

Wales has no IMD in the shipped data: when the study area includes Welsh LSOAs the IMD
characteristic is dropped (and all councils of England and Wales are candidates);
otherwise candidates are English councils only, because IMD is not defined elsewhere.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from sna.errors import SnaInputError

__all__ = [
    "SimilarAreas",
    "council_profiles",
    "nearest_units",
    "profile_units",
    "similar_areas",
]

FEATURES = ("log_population", "log_density", "rural_share", "smaller_rural_share",
            "further_share", "imd_score")
FEATURE_LABELS = {
    "log_population": "Residents (Census 2021)",
    "log_density": "Residents per km²",
    "rural_share": "Share of residents in rural LSOAs",
    "smaller_rural_share": "Share in smaller rural LSOAs",
    "further_share": "Share further from a major town or city",
    "imd_score": "Mean IMD 2025 score",
}
RURAL = ("RLN1", "RLF1", "RSN1", "RSF1")
SMALLER_RURAL = ("RSN1", "RSF1")
FURTHER = ("UF1", "RLF1", "RSF1")
METHODS = ("euclidean", "mahalanobis")


def profile_units(lsoas: pd.DataFrame, *, unit: str = "unit") -> pd.DataFrame:
    """The characteristics of areas made of LSOAs.

    Parameters
    ----------
    lsoas : pandas.DataFrame
        One row per LSOA: ``unit`` (the area it belongs to), ``usual_residents``,
        ``area_km2``, ``ruc21_code`` (RUC 2021) and ``imd_score`` (missing in Wales).
    unit : str, default "unit"

    Returns
    -------
    pandas.DataFrame
        Indexed by ``unit``: ``population, area_km2, density`` and :data:`FEATURES`
        (``imd_score`` is missing where any LSOA of the unit has no IMD).

    Examples
    --------
    >>> df = pd.DataFrame({"unit": ["a", "a"], "usual_residents": [1000, 3000],
    ...                    "area_km2": [10.0, 0.5], "ruc21_code": ["RSF1", "UN1"],
    ...                    "imd_score": [10.0, 30.0]})
    >>> row = profile_units(df).loc["a"]
    >>> float(row["rural_share"]), float(row["imd_score"]), round(float(row["density"]), 1)
    (0.25, 25.0, 381.0)
    """
    data = lsoas.assign(ruc=lsoas["ruc21_code"].astype(str))
    pop = data["usual_residents"].astype(float)
    parts = pd.DataFrame({
        unit: data[unit],
        "population": pop,
        "area_km2": data["area_km2"].astype(float),
        "rural": pop.where(data["ruc"].isin(RURAL), 0.0),
        "smaller": pop.where(data["ruc"].isin(SMALLER_RURAL), 0.0),
        "further": pop.where(data["ruc"].isin(FURTHER), 0.0),
        "imd_weighted": pop * data["imd_score"].astype(float),
        "imd_missing": data["imd_score"].isna().astype(int),
    })
    sums = parts.groupby(unit).sum()
    out = pd.DataFrame(index=sums.index)
    out["population"] = sums["population"]
    out["area_km2"] = sums["area_km2"]
    out["density"] = sums["population"] / sums["area_km2"]
    out["log_population"] = np.log(sums["population"])
    out["log_density"] = np.log(out["density"])
    out["rural_share"] = sums["rural"] / sums["population"]
    out["smaller_rural_share"] = sums["smaller"] / sums["population"]
    out["further_share"] = sums["further"] / sums["population"]
    out["imd_score"] = (sums["imd_weighted"] / sums["population"]).where(
        sums["imd_missing"] == 0)
    return out


@dataclass(frozen=True)
class SimilarAreas:
    """The study area's nearest councils and how they were found.

    Attributes
    ----------
    neighbours : pandas.DataFrame
        ``rank, unit, name, distance`` and the characteristics, nearest first.
    target : pandas.Series
        The study area's characteristics.
    features : tuple of str
        Characteristics used.
    method : str
        "euclidean" or "mahalanobis".
    candidates : int
        Number of councils compared.
    note : str
        Plain-English account of the method, for the report.
    """

    neighbours: pd.DataFrame
    target: pd.Series
    features: tuple[str, ...]
    method: str
    candidates: int
    note: str


def nearest_units(target: pd.Series, candidates: pd.DataFrame, *, k: int = 10,
                  method: str = "euclidean", features=FEATURES) -> pd.DataFrame:
    """Rank candidate units by their distance from a target on standardised characteristics.

    Parameters
    ----------
    target : pandas.Series
        The study area's characteristics (at least ``features``).
    candidates : pandas.DataFrame
        One row per candidate unit, with ``features``.
    k : int, default 10
    method : {"euclidean", "mahalanobis"}
    features : sequence of str

    Returns
    -------
    pandas.DataFrame
        The ``k`` nearest rows of ``candidates`` with ``distance`` and ``rank``.

    Examples
    --------
    >>> cands = pd.DataFrame({"x": [0.0, 1.0, 2.0, 10.0], "y": [0.0, 0.0, 0.0, 0.0]},
    ...                      index=list("abcd"))
    >>> nearest_units(pd.Series({"x": 0.9, "y": 0.0}), cands, k=2, features=["x"]).index.tolist()
    ['b', 'a']
    """
    if method not in METHODS:
        raise SnaInputError(f"unknown distance method {method!r}", column="method",
                            value=method, fix="use 'euclidean' or 'mahalanobis'")
    if k < 1:
        raise SnaInputError(f"k must be at least 1, got {k}", column="k", value=k,
                            fix="ask for 1 or more similar areas (10 is usual)")
    features = list(features)
    # numpy rather than pandas arithmetic (same results, a fifth of the time: the national
    # benchmark ranks councils for all 301 CSPs); missing values are skipped as pandas does.
    values = candidates[features].to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a characteristic missing everywhere
        mean, sd = np.nanmean(values, axis=0), np.nanstd(values, axis=0)
    sd[sd == 0] = 1.0
    z = (values - mean) / sd
    zt = (target[features].to_numpy(dtype=float) - mean) / sd
    diff = z - zt
    if method == "euclidean":
        distance = np.sqrt((diff ** 2).sum(axis=1))
    else:
        inverse = np.linalg.pinv(np.cov(z, rowvar=False))
        distance = np.sqrt(np.einsum("ij,jk,ik->i", diff, inverse, diff))
    order = np.argsort(distance, kind="stable")[:k]
    out = candidates.iloc[order].assign(distance=distance[order])
    return out.assign(rank=np.arange(1, len(out) + 1))


@cache
def council_profiles() -> pd.DataFrame:
    """The characteristics of every council (LAD 2024) of England and Wales (318 rows).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``ltla24_code``: the columns of :func:`profile_units`
        (``population, area_km2, density`` and the features) and ``name``.

    Examples
    --------
    >>> p = council_profiles()
    >>> len(p), int(p["imd_score"].isna().sum())
    (318, 22)
    """
    from sna.io.geography import lsoa21_lookup, lsoa_area_km2, lsoa_profile

    lookup = lsoa21_lookup()
    profile = lsoa_profile(lookup[["lsoa21_code", "ltla24_code"]]).merge(
        lsoa_area_km2(), on="lsoa21_code", how="left")
    units = profile_units(profile.rename(columns={"ltla24_code": "unit"}))
    names = lookup.drop_duplicates("ltla24_code").set_index("ltla24_code")["ltla24_name"]
    return units.assign(name=names.reindex(units.index).to_numpy()).rename_axis("ltla24_code")


def similar_areas(lsoa_codes, *, exclude=(), k: int = 10, method: str = "euclidean"
                  ) -> SimilarAreas:
    """The ``k`` councils of England and Wales most similar to a study area.

    Parameters
    ----------
    lsoa_codes : collection of str
        The study area's LSOAs 2021.
    exclude : collection of str
        Council codes never to list (the study area's own councils).
    k : int, default 10
    method : {"euclidean", "mahalanobis"}

    Returns
    -------
    SimilarAreas

    Examples
    --------
    >>> from sna.io.area import resolve_area
    >>> area = resolve_area("E06000063")
    >>> found = similar_areas(area.lsoas, exclude=area.ltla24_codes, k=3)
    >>> len(found.neighbours), found.candidates
    (3, 295)
    """
    from sna.io.geography import lsoa_area_km2, lsoa_profile

    codes = pd.DataFrame({"lsoa21_code": sorted(set(lsoa_codes))})
    if codes.empty:
        raise SnaInputError("the study area has no LSOAs", column="lsoa_codes",
                            fix="check the area codes")
    profile = lsoa_profile(codes).merge(lsoa_area_km2(), on="lsoa21_code", how="left")
    target = profile_units(profile.assign(unit="study area")).loc["study area"]
    councils = council_profiles()
    candidates = councils.drop(index=[c for c in exclude if c in councils.index])
    welsh = bool(pd.isna(target["imd_score"]))
    if welsh:
        features = tuple(f for f in FEATURES if f != "imd_score")
        scope = "all councils of England and Wales (Wales has no IMD in the shipped data, " \
                "so deprivation is left out)"
    else:
        features = FEATURES
        candidates = candidates[candidates["imd_score"].notna()]
        scope = "English councils (IMD 2025 covers England only)"
    nearest = nearest_units(target, candidates, k=k, method=method, features=features)
    table = nearest.reset_index().rename(columns={"ltla24_code": "unit"})
    note = (f"Similar areas: the {len(table)} councils nearest to the study area among "
            f"{len(candidates)} {scope}, on {len(features)} characteristics "
            f"({', '.join(_in_sentence(FEATURE_LABELS[f]) for f in features)}), each put on "
            f"a common scale (mean 0, standard deviation 1) over the candidates; "
            f"{'Euclidean' if method == 'euclidean' else 'Mahalanobis'} distance. "
            "In the spirit of CIPFA's nearest-neighbour model; not CIPFA's own list.")
    return SimilarAreas(table[["rank", "unit", "name", "distance", "population", "density",
                               *features]],
                        target, tuple(features), method, len(candidates), note)


def _in_sentence(label: str) -> str:
    """A column label inside a sentence: first letter lower-cased, acronyms kept (``IMD``)."""
    return label[:1].lower() + label[1:]
