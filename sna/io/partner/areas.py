"""The upper-tier councils whose partner data describe a study area.

Children's services, education and public-health statistics are published for upper-tier
local authorities (counties and unitary councils, England only). :func:`upper_tier_councils`
derives them from the area's councils (LAD 2024): a unitary, metropolitan or London council is
its own upper tier; a district council's is its county council, from the shipped lookup
``geography/ltla24_county24_en.csv.gz`` (every district of England in 2024, checked against
the counties' Census 2021 residents, see ``data/README.md``). Names and DfE LA numbers
(``old_la_code``) come from the shipped DfE children-looked-after CSV, where every English
upper-tier council appears under its 2023+ code. A Welsh council has no DfE statistics: it is
returned as a note saying so, never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import pandas as pd

__all__ = ["dfe_councils", "district_counties", "upper_tier_councils"]

UNITARY_PREFIXES = ("E06", "E08", "E09")
DFE_FILE = "data/raw/shipped/partner/cla_number_and_rate_per_10k_children.csv.gz"
COUNTY_FILE = "ltla24_county24_en.csv.gz"


@cache
def district_counties() -> dict[str, str]:
    """District council (LAD 2024, ``E07``) -> its county council's code (``E10``).

    Returns
    -------
    dict of str to str
        District code -> county code, from the shipped lookup.

    Examples
    --------
    >>> district_counties()["E07000136"]
    'E10000019'
    """
    from sna.paths import raw_dir

    path = raw_dir() / "shipped" / "geography" / COUNTY_FILE
    frame = pd.read_csv(path, dtype=str)
    return dict(zip(frame["ltla24_code"], frame["county_code"], strict=True))


@cache
def dfe_councils(*, path: str | None = None) -> pd.DataFrame:
    """Every English upper-tier council in the DfE file: code, name and LA number (latest year).

    Parameters
    ----------
    path : str, optional
        A DfE Explore Education Statistics CSV with ``new_la_code``, ``la_name`` and
        ``old_la_code`` (default: the shipped children-looked-after file).

    Returns
    -------
    pandas.DataFrame
        ``code, name, la_number`` (all text), one row per council, sorted by code.

    Examples
    --------
    >>> councils = dfe_councils().set_index("code")
    >>> councils.loc["E06000010", ["name", "la_number"]].tolist()
    ['Kingston upon Hull, City of', '810']
    """
    from sna.io.partner.common import csv_frame
    from sna.paths import repo_root

    file = path or str(repo_root() / DFE_FILE)
    raw = csv_frame(file, ["time_period", "geographic_level", "new_la_code", "la_name",
                           "old_la_code"], "a DfE Explore Education Statistics CSV")
    las = raw[raw["geographic_level"].str.strip() == "Local authority"]
    las = las.assign(code=las["new_la_code"].str.strip(), name=las["la_name"].str.strip(),
                     la_number=las["old_la_code"].str.strip())
    latest = las.sort_values("time_period").drop_duplicates("code", keep="last")
    return latest[["code", "name", "la_number"]].sort_values("code").reset_index(drop=True)


def upper_tier_councils(ltla24_codes: Sequence[str], *, names: Sequence[str] = ()
                        ) -> tuple[dict[str, dict[str, str]], list[str]]:
    """The upper-tier councils covering an area's councils, and what could not be derived.

    Parameters
    ----------
    ltla24_codes : sequence of str
        The area's councils (LAD 2024 codes).
    names : sequence of str, optional
        Their names, for the notes (default: the codes).

    Returns
    -------
    (dict, list of str)
        ``{code: {"name": ..., "la_number": ...}}`` in the form of the ``partner_areas``
        parameter, and plain-English notes for councils without a derived upper tier.

    Examples
    --------
    >>> areas, notes = upper_tier_councils(["E06000063", "E06000064"])
    >>> {code: spec["la_number"] for code, spec in areas.items()}, notes
    ({'E06000063': '942', 'E06000064': '943'}, [])
    >>> upper_tier_councils(["E07000136"], names=["Boston"])[0]
    {'E10000019': {'name': 'Lincolnshire', 'la_number': '925'}}
    """
    known = dfe_councils().set_index("code")
    names = list(names) or list(ltla24_codes)
    areas: dict[str, dict[str, str]] = {}
    notes: list[str] = []
    for code, name in zip(ltla24_codes, names, strict=True):
        if code.startswith("W"):
            notes.append(f"{name} ({code}) is a Welsh council: the DfE and OHID statistics used "
                         "for children's services, education and health cover England only.")
        elif not code.startswith(UNITARY_PREFIXES):
            county = district_counties().get(code)
            if county is None or county not in known.index:
                notes.append(f"{name} ({code}) is a district council whose county council "
                             "is not in the shipped lookup; the analyst can name it in the "
                             "report's parameters.")
                continue
            county_name = str(known.loc[county, "name"])
            areas[county] = {"name": county_name, "la_number": str(known.loc[county,
                                                                              "la_number"])}
            notes.append(f"{name} ({code}) is a district council: children's services, "
                         f"education and health figures are published for {county_name} "
                         f"({county}), the county council covering it, so they describe a "
                         "larger area than this one.")
        elif code not in known.index:
            notes.append(f"{name} ({code}) is not in the DfE statistics shipped "
                         f"({DFE_FILE.rsplit('/', 1)[-1]}).")
        else:
            areas[code] = {"name": str(known.loc[code, "name"]),
                           "la_number": str(known.loc[code, "la_number"])}
    return areas, notes
