"""Report sections about the study area itself: what it is, similar areas, national benchmarks.

Shared by both reports. Every figure comes from the shipped national data
(:mod:`sna.io.area`, :mod:`sna.stats.similar_areas`, :mod:`sna.stats.benchmarks`).
"""

from __future__ import annotations

import pandas as pd

from sna.errors import SnaInputError
from sna.reports import charts
from sna.reports.sections import NotAvailable, Section, degrades
from sna.wording import (
    conf_label,
    count_noun,
    format_count,
    format_interval,
    format_percent,
    format_rate,
    format_ratio,
)

__all__ = [
    "adjacent_forces_section",
    "area_summary",
    "national_benchmarks",
    "report_area",
    "similar_areas_section",
]

NATIONAL_SOURCE = ("police.uk street-level crime 2025, national aggregate (Home Office, OGL "
                   "v3.0); ONS Census 2021")


def area_summary(codes, *, area_name: str = "", subarea_kind: str = "") -> Section:
    """Who the report is about: councils, police force area, LSOAs, residents, caveats.

    Parameters
    ----------
    codes : sequence of str
        The area's council (LAD 2024) codes.
    area_name : str, default ""
        The area's name; empty: the councils' names.
    subarea_kind : str, default ""
        What the area's sub-areas are (e.g. "ward"), named in the summary.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.

    Examples
    --------
    >>> s = area_summary(["E06000010"])
    >>> s.results["area"].council_names
    ['Kingston upon Hull, City of']
    """
    from sna.io.area import resolve_area
    from sna.io.geography import population

    area = resolve_area(codes)
    name = area_name or area.name
    residents = population()
    residents = int(residents.loc[residents["lsoa21_code"].isin(set(area.lsoas)),
                                  "usual_residents"].sum())
    section = Section(results={"area": area, "residents": residents})
    councils = area.councils.rename(columns={
        "ltla24_code": "Code", "ltla24_name": "Council (LAD 2024)",
        "pfa24_name": "Police force area", "n_lsoa": "LSOAs",
        "csp24_names": "Community Safety Partnership(s)"}).drop(columns="pfa24_code")
    forces = " and ".join(area.pfa24_names)
    force_areas = "police force area" + ("s" if len(area.pfa24_names) > 1 else "")
    section.text(f"This report covers {name}: {count_noun(len(area.ltla24_codes), 'councils')} "
                 f"({', '.join(area.council_names)}) in the {forces} {force_areas}, "
                 f"{format_count(len(area.lsoas))} LSOAs and {format_count(residents)} residents "
                 "(Census 2021)."
                 + (f" Figures are broken down by {subarea_kind}." if subarea_kind else ""))
    section.table(councils, f"The councils of {name}", decimals=0)
    for note in area.notes:
        section.note(note)
    return section


@degrades
def similar_areas_section(codes, *, area_name: str = "", k: int = 10,
                          method: str = "euclidean") -> Section:
    """The councils most like the study area (statistical neighbours), with distances.

    Parameters
    ----------
    codes : sequence of str
        The area's council (LAD 2024) codes.
    area_name : str, default ""
        The area's name; empty: the councils' names.
    k : int, default 10
        How many similar councils to compare with.
    method : str, default "euclidean"
        The distance of :func:`sna.stats.similar_areas.similar_areas`.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    from sna.io.area import resolve_area
    from sna.stats.similar_areas import FEATURE_LABELS, similar_areas

    area = resolve_area(codes)
    name = area_name or area.name
    found = similar_areas(area.lsoas, exclude=area.ltla24_codes, k=k, method=method)
    section = Section(results={"similar": found})
    shown = found.neighbours.copy()
    table = pd.DataFrame({"Rank": shown["rank"], "Council": shown["name"],
                          "Code": shown["unit"], "Distance": shown["distance"],
                          "Residents": shown["population"],
                          "Residents per km²": shown["density"]})
    for feature in found.features[2:]:
        table[FEATURE_LABELS[feature]] = shown[feature] * (100 if "share" in feature else 1)
    target = found.target
    own = {"Rank": 0, "Council": f"{name} (this area)", "Code": "",
           "Distance": 0.0, "Residents": target["population"],
           "Residents per km²": target["density"]}
    for feature in found.features[2:]:
        own[FEATURE_LABELS[feature]] = target[feature] * (100 if "share" in feature else 1)
    table = pd.concat([pd.DataFrame([own]), table], ignore_index=True)
    table = table.rename(columns={c: c.replace("Share of residents", "Share").replace(
        "Share", "% of residents") for c in table.columns if c.startswith("Share")})
    section.text(f"The {len(shown)} councils most similar to {name} in size, density"
                 + (", rurality and deprivation" if "imd_score" in found.features
                    else " and rurality")
                 + f" are, nearest first: {', '.join(shown['name'])}.")
    section.table(table, f"Similar areas: the councils nearest to {name} "
                         f"(smaller distance = more similar)",
                  decimals={"Distance": 2, "Residents": 0, "Residents per km²": 0})
    section.note(found.note)
    return section


@degrades
def national_benchmarks(codes, categories, last_month: str, *, area_name: str = "", k: int = 10,
                        method: str = "euclidean", what: str = "Serious-violence-related "
                        "offences", conf: float = 0.95) -> Section:
    """The area's rate against England and Wales and its similar councils.

    Also its rurality-standardised ratio with the national rural-urban reference.

    Parameters
    ----------
    codes : sequence of str
        The area's council (LAD 2024) codes.
    categories : dict
        police.uk category -> what it covers.
    last_month : str
        Last month of the benchmark year, ``"YYYY-MM"``.
    area_name : str, default ""
        The area's name; empty: the councils' names.
    k : int, default 10
        How many similar councils to compare with.
    method : str, default "euclidean"
        The distance of :func:`sna.stats.similar_areas.similar_areas`.
    what : str, default 'Serious-violence-related offences'
        What is counted, named in the sentences and titles.
    conf : float, default 0.95
        Confidence level of every interval and test.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    from sna.io.area import resolve_area
    from sna.stats.benchmarks import benchmark_rates, national_lsoa_table
    from sna.stats.similar_areas import similar_areas

    area = resolve_area(codes)
    name = area_name or area.name
    try:
        table = national_lsoa_table(list(categories), last_month)
    except SnaInputError as err:
        raise NotAvailable(err.problem, fix=err.fix) from None
    found = similar_areas(area.lsoas, exclude=area.ltla24_codes, k=k, method=method)
    try:
        bench = benchmark_rates(table, area.lsoas, name, found.neighbours, conf=conf)
    except SnaInputError as err:
        raise NotAvailable(err.problem, fix=err.fix) from None
    section = Section(results={"benchmarks": bench, "similar": found})
    rates = bench.rates
    section.figure(charts.rates_ci_chart(
        rates.loc[rates["kind"] != "national",
                  ["label", "value", "lower", "upper", "comparison"]],
        benchmark=bench.national_rate,
        title=f"{what} per 1,000 residents, 12 months to {last_month}: {name}, "
              "similar councils and England and Wales",
        source=NATIONAL_SOURCE, x_title="Offences per 1,000 residents", conf=conf,
        benchmark_label="England and Wales"))
    section.table(rates.rename(columns={
        "label": "Area", "kind": "Kind", "count": "Offences", "population": "Residents",
        "value": "Per 1,000", "lower": "Lower limit", "upper": "Upper limit",
        "comparison": "Compared with England and Wales"}),
        f"{what} per 1,000 residents, 12 months to {last_month} (police.uk national "
        f"aggregate), with {conf_label(conf)} range of likely values",
        decimals={"Offences": 0, "Residents": 0, "Per 1,000": 2, "Lower limit": 2,
                  "Upper limit": 2})
    own = rates.iloc[0]
    section.text(f"{name} recorded {format_rate(own['value'])} {what.lower()} per 1,000 "
                 f"residents (likely range {format_interval(own['lower'], own['upper'])}) "
                 f"against {format_rate(bench.national_rate)} in England and Wales: "
                 f"{own['comparison']} "
                 "(the England and Wales rate lies "
                 + ("inside" if own["comparison"] == "similar" else "outside")
                 + " the area's interval).")
    ratio = bench.ratio.iloc[0]
    likely = format_interval(ratio["lower"], ratio["upper"], formatter=format_ratio)
    section.text(f"Allowing for rurality, {name} recorded {format_ratio(ratio['value'])} times "
                 f"the offences expected if each of its rural-urban classes had the England and "
                 f"Wales rate of that class (likely range {likely}; "
                 f"{format_count(ratio['observed'])} observed, "
                 f"{format_count(ratio['expected'])} expected).")
    section.table(bench.ratio[["observed", "expected", "value", "lower", "upper"]].rename(
        columns={"observed": "Observed", "expected": "Expected", "value": "Ratio",
                 "lower": "Lower limit", "upper": "Upper limit"}),
        "Offences against those expected at the England and Wales rate of each rural-urban "
        "class (Rural-Urban Classification 2021)", decimals=2)
    section.note(f"England and Wales here means the LSOAs whose force has police.uk data for "
                 f"all 12 months: {format_percent(bench.national_coverage * 100)} of residents. "
                 "Force-months the "
                 "source lacks (Metropolitan, West Midlands, West Yorkshire and Greater "
                 "Manchester all year; some months of Avon and Somerset and Thames Valley) are "
                 "no data, never zero, and are left out.")
    if bench.not_covered:
        section.unavailable("rates for similar councils whose force has no police.uk data for "
                            "some months: " + ", ".join(bench.not_covered))
    return section


@degrades
def adjacent_forces_section(codes, categories, last_month: str, *, forces=(),
                            conf: float = 0.95) -> Section:
    """The area's force(s) against adjacent forces: crude and rurality-standardised rates.

    ``forces`` lists police force area codes to compare; empty means the area's own
    force(s) and every force area sharing a border with them.

    Parameters
    ----------
    codes : sequence of str
        The area's council (LAD 2024) codes.
    categories : dict
        police.uk category -> what it covers.
    last_month : str
        Last month of the comparison, ``"YYYY-MM"``.
    forces : sequence of str, default ()
        Police force area codes to compare; empty: the area's force(s) and every force area
        sharing a border with them.
    conf : float, default 0.95
        Confidence level of every interval and test.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    from sna.io.area import adjacent_forces, resolve_area
    from sna.stats.benchmarks import national_lsoa_table
    from sna.stats.rates import group_rates
    from sna.stats.rurality import rurality_standardised_ratio

    area = resolve_area(codes)
    chosen = list(forces) or sorted(set(area.pfa24_codes) | set(
        adjacent_forces(area.pfa24_codes)))
    try:
        table = national_lsoa_table(list(categories), last_month)
    except SnaInputError as err:
        raise NotAvailable(err.problem, fix=err.fix) from None
    from sna.io.geography import lsoa21_lookup

    codes_of = lsoa21_lookup()[["lsoa21_code", "pfa24_code"]]
    unknown = sorted(set(chosen) - set(codes_of["pfa24_code"]))
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], sorted(set(codes_of["pfa24_code"])), n=1)
        raise SnaInputError(f"unknown police force area code '{unknown[0]}'"
                            + (f" (did you mean {close[0]}?)" if close else ""),
                            column="neighbour_forces", value=unknown[0],
                            fix="list PFA 2024 codes (E23..., W15...), or leave neighbour_forces "
                                "empty for the forces sharing a border")
    table = table.merge(codes_of, on="lsoa21_code")
    table = table[table["pfa24_code"].isin(chosen)]
    missing = sorted(table.loc[~table["covered"], "pfa24_name"].unique())
    data = table[table["covered"]].assign(count=lambda d: d["count"].astype(int),
                                          area=lambda d: d["pfa24_name"])
    section = Section()
    if data.empty:
        raise NotAvailable("no adjacent force has police.uk data for all 12 months")
    out = group_rates(data, "area", multiplier=1000, conf=conf)
    pooled = out.attrs["benchmark"]
    ratios = rurality_standardised_ratio(data, data, ruc_column="ruc21_code", area="area",
                                         conf=conf)
    section.results.update(force_rates=out, force_ratios=ratios, pooled=pooled)
    label = f"{len(out)} forces pooled"
    section.figure(charts.rates_ci_chart(
        out.rename(columns={"area": "label"})[["label", "value", "lower", "upper",
                                               "comparison"]],
        benchmark=pooled, title=f"Offences per 1,000 residents by force area, 12 months to "
                                f"{last_month}", source=NATIONAL_SOURCE,
        x_title="Offences per 1,000 residents", conf=conf, benchmark_label=label))
    section.table(out.rename(columns={"area": "Force area", "count": "Offences",
                                      "population": "Residents", "value": "Per 1,000",
                                      "lower": "Lower limit", "upper": "Upper limit",
                                      "comparison": f"vs {label}"}),
                  f"Force areas compared with the {label} rate (higher or lower only where the "
                  "likely range excludes it)", decimals=2)
    section.table(ratios[["area", "observed", "expected", "value", "lower", "upper"]].rename(
        columns={"area": "Force area", "observed": "Observed", "expected": "Expected",
                 "value": "Ratio", "lower": "Lower limit", "upper": "Upper limit"}),
        f"Allowing for rurality: offences against those expected from the {label} rate in "
        "each rural-urban class", decimals=2)
    if missing:
        section.unavailable("force areas with police.uk months missing in the source (no "
                            "data, not zero): " + ", ".join(missing))
    return section


def report_area(ltla24_codes, *, area_name: str = "", police_uk: str = "",
                require_police_uk: bool = True) -> dict:
    """The area parameters with defaults derived from the area codes.

    Parameters
    ----------
    ltla24_codes : list of str
        Council (LAD 2024), CSP or police force area codes (:func:`sna.io.area.resolve_area`).
    area_name : str, optional
        Default: the councils' names.
    police_uk : str, optional
        Folder of police.uk files. Default: ``data/raw/shipped/police_uk/<force>`` when the
        area lies in one force area and that folder exists; otherwise (if
        ``require_police_uk``) an error saying where to put the force's downloads.
    require_police_uk : bool, default True

    Returns
    -------
    dict
        ``area_name, ltla24_codes, police_uk, area`` (the :class:`~sna.io.area.Area`).

    Examples
    --------
    >>> p = report_area(["E06000063"])
    >>> p["area_name"], p["police_uk"], p["ltla24_codes"]
    ('Cumberland', 'data/raw/shipped/police_uk/cumbria', ['E06000063'])
    """
    from sna.io.area import resolve_area
    from sna.paths import repo_root

    area = resolve_area(ltla24_codes)
    if not police_uk:
        if len(area.forces) == 1 and (repo_root() / "data/raw/shipped/police_uk"
                                      / area.forces[0]).is_dir():
            police_uk = f"data/raw/shipped/police_uk/{area.forces[0]}"
        elif require_police_uk:
            raise SnaInputError(
                f"no police.uk files are shipped for {' and '.join(area.pfa24_names)}",
                column="police_uk", fix="download the force's monthly street files from "
                "data.police.uk into data/raw/police_uk/<force>/ and set police_uk to that "
                "folder")
    return {"area_name": area_name or area.name, "ltla24_codes": area.ltla24_codes,
            "police_uk": police_uk, "area": area}
