"""A study area from its codes: councils, CSPs, police force, LSOAs and a default name.

A report's area is a parameter: a list of ONS codes of local authorities (LAD 2024,
``E06``/``E07``/``E08``/``E09``/``W06``), Community Safety Partnerships (CSP 2024,
``E22``/``W22``) or police force areas (PFA 2024, ``E23``/``W15``). :func:`resolve_area`
turns them, through the shipped ONS lookups (LSOA 2021 -> ward 2024 -> LAD 2024 -> CSP
2024 -> PFA 2024), into the councils, force(s), LSOAs and a default area name; an unknown
code is an error naming the code and the closest known code or name.

Where the ONS lookup gives a council several CSPs (some 2023 unitaries, e.g. a county
council whose former districts keep their own CSP rows), no LSOA lookup to those CSPs
is shipped, so the area is the whole council: :attr:`Area.notes` says so.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import pandas as pd

from sna.errors import SnaInputError

__all__ = [
    "Area",
    "adjacent_forces",
    "force_slug",
    "resolve_area",
]

_CODE = re.compile(r"^[EW]\d{8}$")
LAD_PREFIXES = ("E06", "E07", "E08", "E09", "W06")
CSP_PREFIXES = ("E22", "W22")
PFA_PREFIXES = ("E23", "W15")
# police.uk file names ("<month>-<force>-street.csv") of the force areas whose name does not
# give it by lower-casing and hyphenating.
_FORCE_SLUGS = {"Metropolitan Police": "metropolitan", "London, City of": "city-of-london",
                "Devon & Cornwall": "devon-and-cornwall"}


def force_slug(pfa24_name: str) -> str:
    """The police.uk file name of a force, from its ONS police force area name.

    Parameters
    ----------
    pfa24_name : str
        The ONS police force area name.

    Returns
    -------
    str
        The force's slug in police.uk file names.

    Examples
    --------
    >>> force_slug("Devon & Cornwall"), force_slug("Avon and Somerset")
    ('devon-and-cornwall', 'avon-and-somerset')
    """
    if pfa24_name in _FORCE_SLUGS:
        return _FORCE_SLUGS[pfa24_name]
    return re.sub(r"[^a-z]+", "-", pfa24_name.lower()).strip("-")


@dataclass(frozen=True)
class Area:
    """A study area resolved from its codes.

    Attributes
    ----------
    codes : tuple of str
        The codes as given.
    name : str
        Default name: the councils' names joined ("Cumberland and Westmorland and Furness").
    councils : pandas.DataFrame
        ``ltla24_code, ltla24_name, pfa24_code, pfa24_name, n_lsoa, csp24_names``.
    lsoas : tuple of str
        LSOA 2021 codes of the area.
    notes : list of str
        Plain-English caveats (councils holding several CSPs, Welsh LSOAs without IMD).
    """

    codes: tuple[str, ...]
    name: str
    councils: pd.DataFrame
    lsoas: tuple[str, ...]
    notes: list[str] = field(default_factory=list)

    @property
    def ltla24_codes(self) -> list[str]:
        """The area's councils (LAD 2024 codes)."""
        return self.councils["ltla24_code"].tolist()

    @property
    def council_names(self) -> list[str]:
        """The area's councils by name."""
        return self.councils["ltla24_name"].tolist()

    @property
    def pfa24_codes(self) -> list[str]:
        """The police force area(s) the area lies in."""
        return sorted(self.councils["pfa24_code"].unique().tolist())

    @property
    def pfa24_names(self) -> list[str]:
        """The police force area name(s)."""
        return sorted(self.councils["pfa24_name"].unique().tolist())

    @property
    def forces(self) -> list[str]:
        """police.uk force file names (e.g. ``cumbria``) of the area's force area(s)."""
        return [force_slug(n) for n in self.pfa24_names]

    @property
    def welsh(self) -> bool:
        """True if any council is in Wales (no IMD in the shipped data)."""
        return any(code.startswith("W") for code in self.ltla24_codes)


def _suggest(code: str, lookup: pd.DataFrame) -> str:
    choices = {}
    for kind in ("ltla24", "csp24", "pfa24"):
        for c, n in lookup[[f"{kind}_code", f"{kind}_name"]].drop_duplicates().itertuples(
                index=False):
            choices[c] = f"{c} ({n})"
            choices.setdefault(n.lower(), f"{c} ({n})")
    close = difflib.get_close_matches(code.lower() if not _CODE.match(code) else code,
                                      list(choices), n=1, cutoff=0.5)
    return choices[close[0]] if close else ""


def resolve_area(codes, *, folder: str | None = None) -> Area:
    """Resolve LAD, CSP or PFA codes (or exact council names) to a study area.

    Parameters
    ----------
    codes : str or sequence of str
        ONS codes; a council, CSP or force-area name (any case) is accepted too.
    folder : str, optional
        Folder of the geography lookups (default: the shipped copy).

    Returns
    -------
    Area

    Raises
    ------
    SnaInputError
        An empty list, or an unknown code: the message names it and suggests the closest
        known code or name (``difflib``).

    Examples
    --------
    >>> area = resolve_area(["E23000002"])
    >>> area.name, area.forces, len(area.lsoas)
    ('Cumberland and Westmorland and Furness', ['cumbria'], 319)
    >>> resolve_area("E06000010").council_names
    ['Kingston upon Hull, City of']
    """
    from sna.io.geography import _read, lsoa21_lookup

    given = [codes] if isinstance(codes, str) else list(codes)
    given = [str(c).strip() for c in given if str(c).strip()]
    if not given:
        raise SnaInputError("no area codes given", column="ltla24_codes",
                            fix="list the council (LAD 2024), CSP or police force area codes, "
                                "e.g. [E06000063]")
    lookup = _read("ltla24_csp24_pfa24_ew.csv.gz", folder, dtype=str)
    by_name = {}
    for kind in ("ltla24", "csp24", "pfa24"):
        for c, n in lookup[[f"{kind}_code", f"{kind}_name"]].drop_duplicates().itertuples(
                index=False):
            by_name.setdefault(n.lower(), c)
    councils: list[str] = []
    for code in given:
        code = code if _CODE.match(code) else by_name.get(code.lower(), code)
        if code.startswith(LAD_PREFIXES) and code in set(lookup["ltla24_code"]):
            matched = [code]
        elif code.startswith(CSP_PREFIXES):
            matched = lookup.loc[lookup["csp24_code"] == code, "ltla24_code"].tolist()
        elif code.startswith(PFA_PREFIXES):
            matched = lookup.loc[lookup["pfa24_code"] == code, "ltla24_code"].tolist()
        else:
            matched = []
        if not matched:
            hint = _suggest(code, lookup)
            raise SnaInputError(
                f"unknown area code '{code}'" + (f" (did you mean {hint}?)" if hint else ""),
                column="ltla24_codes", value=code,
                fix="use ONS codes of councils (LAD 2024, e.g. E06000063), Community Safety "
                    "Partnerships (CSP 2024, E22...) or police force areas (E23...)")
        councils += [m for m in dict.fromkeys(matched) if m not in councils]
    rows = lookup[lookup["ltla24_code"].isin(councils)]
    csps = rows.groupby("ltla24_code")["csp24_name"].agg(lambda s: "; ".join(sorted(set(s))))
    lsoa = lsoa21_lookup(folder=folder)
    lsoa = lsoa[lsoa["ltla24_code"].isin(councils)]
    table = rows.drop_duplicates("ltla24_code").set_index("ltla24_code").loc[councils]
    table = table.reset_index()[["ltla24_code", "ltla24_name", "pfa24_code", "pfa24_name"]]
    table["n_lsoa"] = table["ltla24_code"].map(lsoa["ltla24_code"].value_counts()).fillna(0) \
        .astype(int)
    table["csp24_names"] = table["ltla24_code"].map(csps)
    notes = []
    for _, row in table.iterrows():
        n_csp = int((rows["ltla24_code"] == row["ltla24_code"]).sum())
        if n_csp > 1:
            notes.append(f"{row['ltla24_name']} holds {n_csp} Community Safety Partnerships in "
                         f"the ONS lookup ({row['csp24_names']}); no LSOA lookup to them is "
                         "shipped, so the whole council is used.")
    if any(c.startswith("W") for c in councils):
        notes.append("Wales has no Index of Multiple Deprivation in the shipped data (the "
                     "English IMD 2025 covers England only; Wales has its own index, WIMD): "
                     "deprivation figures cover English LSOAs only.")
    names = table["ltla24_name"].tolist()
    name = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return Area(codes=tuple(given), name=name, councils=table,
                lsoas=tuple(sorted(lsoa["lsoa21_code"])), notes=notes)


def adjacent_forces(pfa24_codes, *, folder: str | None = None) -> list[str]:
    """Police force areas sharing a border with the given ones (from the shipped boundaries).

    Parameters
    ----------
    pfa24_codes : iterable of str
        Police force area codes.
    folder : str, optional
        Folder holding the boundaries (the shipped copy when None).

    Returns
    -------
    list of str
        The neighbouring force areas' codes, sorted, the given ones left out.

    Examples
    --------
    >>> adjacent_forces(["E23000002"])
    ['E23000003', 'E23000007', 'E23000008', 'E23000009']
    """
    from sna.io.geography import read_boundaries

    pfa = read_boundaries(kind="pfa20", folder=folder)
    own = pfa[pfa["pfa20_code"].isin(list(pfa24_codes))]
    if own.empty:
        return []
    touching = pfa[pfa.geometry.intersects(own.buffer(200).union_all())]
    return sorted(set(touching["pfa20_code"]) - set(pfa24_codes))
