"""SVD needs-assessment sections fed by partner data.

Children and young people at risk, health, who (victims and suspects), the partner data
register and the data gaps.

Each function takes loaded data (:class:`sna.io.partner.load.PartnerData`, the force extract)
and parameters and returns a :class:`~sna.reports.sections.Section`. Figures come from
:mod:`sna.stats.partner_benchmarks` (England and statistical-neighbour comparisons, trends) and
:mod:`sna.stats.rates`; small counts from the force extract are suppressed with
:mod:`sna.stats.disclosure`. A partner source that is missing is a named gap, never an error.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field

import pandas as pd

from sna.errors import SnaInputError
from sna.io.partner.common import SYMBOLS, split_note
from sna.io.partner.load import SOURCES, PartnerData
from sna.periods import monthly_counts, year_months
from sna.reports.sections import NotAvailable, Section, degrades, publish_counts
from sna.reports.svd import local_definition_mask
from sna.reports.wording import change_sentence, join_words, period_text
from sna.stats.disclosure import DisclosurePolicy, suppress_crosstab
from sna.stats.partner_benchmarks import (
    annual_trend,
    compare_with_benchmarks,
    pooled,
    with_intervals,
)
from sna.wording import format_count, format_interval, format_percent, format_rate

__all__ = [
    "AUTHORITY_TYPES",
    "FACTORS",
    "Areas",
    "derive_partner_params",
    "neighbour_codes",
    "assessment_factors",
    "looked_after_convictions",
    "persistent_absence",
    "offending_cohort",
    "children_at_risk",
    "health",
    "who",
    "check_register",
    "register_table",
    "partner_register",
    "data_gaps",
    "partner_accounting",
    "validate_params",
]

ENGLAND = "E92000001"
PER_10K = 10_000
FACTORS = {
    "Child_criminal_exploitation": "Child criminal exploitation",
    "Child_sexual_exploitation": "Child sexual exploitation",
    "Gangs": "Gangs",
    "Going_missing": "Going missing",
    "Domestic_Abuse_child": "Domestic abuse: child the subject",
    "Physical_Abuse_child_on_child": "Physical abuse: child on child",
    "Sexual_Abuse_child_on_child": "Sexual abuse: child on child",
}
"""Children's social care assessment factors reported (column -> plain name)."""
SOCIAL_CARE_GROUPS = {"CINO at 31 March": "Children in need",
                      "CPPO at 31 March": "On a child protection plan",
                      "CLA 12 months at 31 March": "Looked after (12 months or more)"}
DFE_MOJ_MEASURES = {
    ("dfe_moj_school:EverSusExcl", "Suspended"): "Ever suspended",
    ("dfe_moj_school:EverSusExcl", "Permanently excluded"): "Ever permanently excluded",
    ("dfe_moj_school:EverAP", ""): "Ever in alternative provision",
    ("dfe_moj_school:EverPAPAUO", "Persistent absence"): "Ever persistently absent",
    ("dfe_moj_social_care:EverCINCLA", "Children in need"): "Ever a child in need",
    ("dfe_moj_social_care:EverCINCLA", "Children who are looked after"): "Ever looked after",
}
CONVICTED = "Convicted or subject to youth cautions, or youth conditional cautions during the year"
CONVICTION_TOTAL = "Total ages 10 to 17 years"
NO_JUDGEMENT_NOTE = ("'Similar', 'higher' and 'lower' compare the area's value and its 95% "
                     "confidence interval with the benchmark (Fingertips single-overlap rule). No "
                     "judgement of better or worse is made where more could mean better "
                     "identification by services.")
SYNTHETIC_NOTE = ("SYNTHETIC DEMO DATA: victim and suspect figures below come from a generated "
                  "force extract; they are not real people or offences.")
AREA_KEYS = {"name", "la_number"}


@dataclass
class Areas:
    """The partnership's councils for partner data: code -> name and DfE LA number."""

    names: dict[str, str]
    _: KW_ONLY
    la_numbers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, partner_areas: dict) -> Areas:
        """Build from the params mapping ``{code: {"name": ..., "la_number": ...}}``.

        Parameters
        ----------
        partner_areas : dict
            Code -> ``{"name", "la_number"}`` (the ``partner_areas`` parameter).

        Returns
        -------
        Areas

        Examples
        --------
        >>> Areas.from_params({"E06000014": {"name": "York", "la_number": "816"}}).names
        {'E06000014': 'York'}
        """
        if not isinstance(partner_areas, dict):
            raise SnaInputError("partner_areas is not a mapping", column="partner_areas",
                                value=partner_areas,
                                fix="give each council as CODE: {name: ..., la_number: ...}, or "
                                    "{} to derive them from the area codes")
        names, numbers = {}, {}
        for code, spec in partner_areas.items():
            if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
                raise SnaInputError(f"partner_areas entry {code!r} has no name",
                                    column="partner_areas", value=code,
                                    fix=f"write {code}: {{name: <council>, la_number: <DfE LA "
                                        "number>}")
            unknown = sorted(set(spec) - AREA_KEYS)
            if unknown:
                import difflib

                close = difflib.get_close_matches(str(unknown[0]), sorted(AREA_KEYS), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise SnaInputError(f"unknown key {unknown[0]!r} in partner_areas[{code!r}]"
                                    + hint, column="partner_areas", value=unknown[0],
                                    fix="use only the keys: name, la_number")
            names[str(code)] = str(spec["name"])
            if spec.get("la_number"):
                numbers[str(code)] = str(spec["la_number"])
        return cls(names=names, la_numbers=numbers)


def _la_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["geographic_level"] == "Local authority"]


def neighbour_codes(partner: PartnerData, areas: Areas) -> dict[str, list[str]]:
    """Each council's 10 statistical neighbours as area codes (DfE April 2021 groupings).

    Parameters
    ----------
    partner : PartnerData
        The partner tables read, and the gaps (:func:`sna.io.partner.load.load_partner_data`).
    areas : Areas
        The partnership's upper-tier councils, with DfE LA numbers.

    Returns
    -------
    dict
        Council code -> its statistical neighbours' area codes.
    """
    from sna.io.partner.dfe import neighbours_of

    groupings = partner.get("statistical_neighbours")
    factors = partner.get("assessment_factors")
    if groupings is None or factors is None:
        return {code: [] for code in areas.names}
    las = _la_rows(factors).sort_values("time_period")
    number_to_code = dict(zip(las["la_number"], las["area_code"], strict=False))
    out = {}
    for code in areas.names:
        number = areas.la_numbers.get(code)
        listed = number in set(groupings["la_number"]) if number else False
        out[code] = ([number_to_code[n] for n in neighbours_of(groupings, number)
                      if n in number_to_code] if listed else [])
    return out


def _neighbour_notes(partner: PartnerData, areas: Areas) -> list[str]:
    """Why a council has no statistical neighbours (not in the April 2021 groupings)."""
    from sna.io.partner.common import area_code_changes

    groupings = partner.get("statistical_neighbours")
    if groupings is None:
        return []
    changes = area_code_changes()
    notes = []
    for code, name in areas.names.items():
        number = areas.la_numbers.get(code)
        if number in set(groupings["la_number"]):
            continue
        split = changes[(changes["change"] == "split") & (changes["new_code"] == code)]
        if len(split):
            why = (f"the DfE groupings (April 2021) predate the council and list only the "
                   f"former {split['old_name'].iloc[0]}, whose figures cannot be divided "
                   "between the councils that replaced it")
        elif number:
            why = f"LA number {number} is not in the DfE groupings (April 2021)"
        else:
            why = "no DfE LA number is given for it in partner_areas"
        notes.append(f"{name}: no comparison with statistical neighbours, because {why}.")
    return notes


def _mapping_note(notes: dict, areas: Areas) -> str | None:
    """The code-mapping sentence for the report's own councils only."""
    from sna.io.partner.common import mapping_sentence

    mapped = {pair: n for pair, n in (notes.get("area_codes_mapped") or {}).items()
              if pair.partition(" -> ")[2] in areas.names}
    return mapping_sentence(mapped)


def _split_notes(areas: Areas, what: str) -> list[str]:
    """For councils created by splitting a county: why their earlier years are missing."""
    return [f"{what} for {name} before April 2023: {note}." for code, name in
            areas.names.items() if (note := split_note(code))]


def _no_areas(section: Section, what: str) -> Section:
    section.text(f"Not available: no upper-tier council (county or unitary) of the area has "
                 f"{what} in the shipped statistics; see the Partner data register for why.")
    return section


def _benchmark_table(rows: pd.DataFrame, value: str, denominator: str, areas: Areas,
                     neighbours: dict[str, list[str]], kind: str, multiplier: float,
                     conf: float, polarity: str = "no judgement") -> pd.DataFrame:
    """One row per council: value, CI, England, neighbours pooled, comparisons."""
    out = []
    england = rows[rows["area_code"] == ENGLAND]
    eng = (float(england[value].sum()), float(england[denominator].sum())) \
        if len(england) else (float("nan"), float("nan"))
    for code, name in areas.names.items():
        own = rows[rows["area_code"] == code]
        sn = rows[rows["area_code"].isin(neighbours.get(code, []))]
        sn_count, sn_denominator, sn_areas = pooled(sn[value], sn[denominator])
        count = own[value].iloc[0] if len(own) else pd.NA
        denom = own[denominator].iloc[0] if len(own) else pd.NA
        symbol_column = f"{value}_symbol"
        symbol = own[symbol_column].iloc[0] if len(own) and symbol_column in own else pd.NA
        compared = compare_with_benchmarks(
            pd.DataFrame({"count": [count], "denominator": [denom]}), eng,
            (sn_count, sn_denominator), kind=kind, multiplier=multiplier, conf=conf,
            polarity=polarity).iloc[0]
        out.append({"Area": name, "count": count, "denominator": denom,
                    "value": compared["value"], "lower": compared["lower"],
                    "upper": compared["upper"], "England": compared["england"],
                    "vs England": compared["vs_england"],
                    "Neighbours (pooled)": compared["neighbours"],
                    "vs neighbours": compared["vs_neighbours"],
                    "Neighbours with data": f"{sn_areas} of {len(neighbours.get(code, []))}",
                    "note": SYMBOLS.get(str(symbol), "") if pd.notna(symbol) else ""})
    return pd.DataFrame(out)


COUNT_DECIMALS = {"count": 0, "denominator": 0}


def _child_population(partner: PartnerData, year: str) -> pd.DataFrame:
    cla = partner.get("children_looked_after")
    rows = cla[(cla["time_period"] == year)
               & (cla["population_type"] == "Children looked after on 31 March each year")]
    return rows[["area_code", "population_estimate"]]


def assessment_factors(partner: PartnerData, areas: Areas, *, conf: float = 0.95) -> Section:
    """Children's social care assessment factors per 10,000 children, benchmarks and trends.

    Parameters
    ----------
    partner : PartnerData
        The partner tables read, and the gaps (:func:`sna.io.partner.load.load_partner_data`).
    areas : Areas
        The partnership's upper-tier councils, with DfE LA numbers.
    conf : float, default 0.95
        Confidence level of every interval and test.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section()
    factors = partner.get("assessment_factors")
    if factors is None or partner.get("children_looked_after") is None:
        section.text("Not available, because the children's social care assessment factors or "
                     "the child population file was not supplied (see Data gaps).")
        return section
    neighbours = neighbour_codes(partner, areas)
    population_years = set(partner.get("children_looked_after")["time_period"])
    year = max(set(factors["time_period"]) & population_years)
    rows = factors[factors["time_period"] == year].merge(
        _child_population(partner, year), on="area_code", how="left")
    tables = []
    for column, label in FACTORS.items():
        table = _benchmark_table(rows, column, "population_estimate", areas, neighbours,
                                 "rate", PER_10K, conf)
        table.insert(0, "Factor", label)
        tables.append(table)
    table = pd.concat(tables, ignore_index=True)
    section.results["factors"] = table
    shown = table.rename(columns={"count": "Assessments with factor",
                                  "denominator": "Children (0-17)", "value": "Per 10,000",
                                  "lower": "Lower limit", "upper": "Upper limit",
                                  "note": "Why missing"})
    section.table(shown, f"Factors identified at the end of children's social care assessments, "
                         f"year to 31 March {year}: per 10,000 children, with likely ranges, "
                         "against "
                         "England and the statistical neighbours (pooled)",
                  decimals={"Assessments with factor": 0, "Children (0-17)": 0})
    section.note("'Higher' or 'lower' means the difference is larger than chance would explain; "
                 "no judgement of better or worse is made, because more can mean better "
                 "identification by services.")
    section.technical(NO_JUDGEMENT_NOTE)
    section.technical("An assessment can record several factors; counts are assessments "
                      "(episodes), "
                 "not children. Child population: DfE mid-year estimates of 0-17 year olds "
                 "published with the looked-after children statistics. Rates use exact (count "
                 "under 10) or Byars intervals.")
    higher = table[table["vs England"] == "higher"]
    if len(higher):
        section.text("Higher than England: " + "; ".join(
            f"{r['Factor'].lower()} in {r['Area']} ({format_rate(r['value'])} per 10,000 "
            f"against {format_rate(r['England'])})" for _, r in higher.iterrows()) + ".")
    trends = []
    for code, name in areas.names.items():
        las = _la_rows(factors)
        own = las[las["area_code"] == code].set_index("period").sort_index()
        for column, label in FACTORS.items():
            trend = annual_trend(own[column], kind="rate", conf=conf)
            if trend is None:
                continue
            trends.append({"Area": name, "Factor": label,
                           "From": f"{trend.first_year}: "
                                   f"{format_rate(own.loc[trend.first_year, column], decimals=0)}",
                           "To": f"{trend.last_year}: "
                                 f"{format_rate(own.loc[trend.last_year, column], decimals=0)}",
                           "Years": trend.years,
                           "Average change a year (%)": (trend.ratio - 1) * 100,
                           "Lower limit (%)": (trend.lower - 1) * 100,
                           "Upper limit (%)": (trend.upper - 1) * 100, "Trend": trend.verdict})
    trend_table = pd.DataFrame(trends)
    section.results["factor_trends"] = trend_table
    if len(trend_table):
        section.table(trend_table, "Trend in assessments with each factor, 2018 to "
                                   f"{year} (years with a published count)", decimals=1,
                      technical=True)
        section.technical("Trend test: quasi-Poisson regression of the yearly count on the year, "
                     "its standard error scaled up when the counts vary more than chance alone "
                     "would make them; 'rising' or 'falling' only when p < 0.05. Counts are used "
                     "without a population offset because the child population is published "
                     "only from 2021 (it changed by under 2% a year).")
    note = _mapping_note(partner.tables["assessment_factors"].notes, areas)
    if note:
        section.note(note)
    for note in _neighbour_notes(partner, areas):
        section.note(note)
    return section


def looked_after_convictions(partner: PartnerData, areas: Areas, *, conf: float = 0.95) -> Section:
    """Children looked after aged 10-17 convicted or cautioned: share, England, trend.

    Parameters
    ----------
    partner : PartnerData
        The partner tables read, and the gaps (:func:`sna.io.partner.load.load_partner_data`).
    areas : Areas
        The partnership's upper-tier councils, with DfE LA numbers.
    conf : float, default 0.95
        Confidence level of every interval and test.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section()
    frame = partner.get("cla_convictions")
    if frame is None:
        section.text("Not available, because the looked-after children outcomes file was not "
                     "supplied (see Data gaps).")
        return section
    convicted = frame[frame["breakdown"] == CONVICTED]
    total = frame[frame["breakdown"] == CONVICTION_TOTAL]
    rows = convicted[["time_period", "area_code", "children_count", "children_count_symbol"]] \
        .merge(total[["time_period", "area_code", "children_count"]].rename(
            columns={"children_count": "total"}), on=["time_period", "area_code"])
    year = rows["time_period"].max()
    latest = rows[rows["time_period"] == year]
    table = _benchmark_table(latest, "children_count", "total", areas,
                             neighbour_codes(partner, areas), "proportion", 100, conf)
    section.results["convictions"] = table
    section.table(table.rename(columns={"count": "Convicted or cautioned",
                                        "denominator": "Looked after, 10-17",
                                        "value": "%", "lower": "Lower limit",
                                        "upper": "Upper limit",
                                        "note": "Why missing"}),
                  f"Children looked after aged 10-17 convicted or given a youth caution, year to "
                  f"31 March {year} (%)",
                  decimals={"Convicted or cautioned": 0, "Looked after, 10-17": 0})
    for code, name in areas.names.items():
        own = rows[rows["area_code"] == code].sort_values("time_period")
        symbol = own["children_count_symbol"].fillna("")
        hidden = own[own["children_count"].isna() & (symbol == "c")]
        absent = own[own["children_count"].isna() & (symbol != "c")]
        if len(hidden):
            section.text(f"{name}: the number was too small to publish in {len(hidden)} of "
                         f"{len(own) - len(absent)} years ({', '.join(hidden['time_period'])}); "
                         "it is suppressed by the DfE to protect the children, not zero.")
        if len(absent):
            section.note(f"{name}: no figure for {', '.join(absent['time_period'])} ("
                         + "; ".join(sorted({SYMBOLS.get(str(v), "not published") for v in
                                             absent["children_count_symbol"].fillna("")}))
                         + (", as the council did not yet exist" if split_note(code) else "")
                         + ").")
    return section


def persistent_absence(partner: PartnerData, areas: Areas, *, conf: float = 0.95) -> Section:
    """Persistent absence of children in need, on a plan, looked after: share, benchmarks, trend.

    Parameters
    ----------
    partner : PartnerData
        The partner tables read, and the gaps (:func:`sna.io.partner.load.load_partner_data`).
    areas : Areas
        The partnership's upper-tier councils, with DfE LA numbers.
    conf : float, default 0.95
        Confidence level of every interval and test.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section()
    frame = partner.get("absence_social_care")
    if frame is None:
        section.text("Not available, because the absence file was not supplied (see Data gaps).")
        return section
    frame = frame[frame["phase_type_grouping"] == "Total"] \
        if "phase_type_grouping" in frame else frame
    year = frame["time_period"].max()
    neighbours = neighbour_codes(partner, areas)
    tables, trends = [], []
    for group, label in SOCIAL_CARE_GROUPS.items():
        rows = frame[frame["social_care_group"] == group]
        table = _benchmark_table(rows[rows["time_period"] == year], "t_pupils_pa_10_exact",
                                 "t_pupils", areas, neighbours, "proportion", 100, conf)
        table.insert(0, "Group", label)
        tables.append(table)
        for code, name in areas.names.items():
            own = rows[rows["area_code"] == code].set_index("period").sort_index()
            trend = annual_trend(own["t_pupils_pa_10_exact"], exposure=own["t_pupils"],
                                 kind="proportion",
                                 conf=conf)
            if trend is not None:
                trends.append({"Area": name, "Group": label, "From": trend.first_year,
                               "To": trend.last_year, "Years": trend.years,
                               "Average change in odds a year (%)": (trend.ratio - 1) * 100,
                               "Lower limit (%)": (trend.lower - 1) * 100,
                               "Upper limit (%)": (trend.upper - 1) * 100,
                               "Trend": trend.verdict})
    table = pd.concat(tables, ignore_index=True)
    section.results["absence"] = table
    period = frame.loc[frame["time_period"] == year, "period"].iloc[0]
    section.table(table.rename(columns={"count": "Persistently absent", "denominator": "Pupils",
                                        "value": "%", "lower": "Lower limit",
                                        "upper": "Upper limit", "note": "Why missing"}),
                  f"Pupils missing 10% or more of sessions (persistent absence), {period}, "
                  "by social-care group (%)",
                  decimals={"Persistently absent": 0, "Pupils": 0})
    trend_table = pd.DataFrame(trends)
    section.results["absence_trends"] = trend_table
    if len(trend_table):
        section.table(trend_table, "Trend in persistent absence (quasi-binomial regression on "
                                   "the year; 2019/20 not published because of the pandemic)",
                      decimals=1, technical=True)
    return section


def _cohort_sizes(partner: PartnerData) -> pd.DataFrame | None:
    cohorts = partner.get("dfe_moj_cohorts")
    if cohorts is None:
        return None
    return cohorts[cohorts["indicator"] == "Home"]


def offending_cohort(partner: PartnerData, areas: Areas, *, conf: float = 0.95) -> Section:
    """Pupils cautioned or sentenced for serious violence: school and care experiences.

    Parameters
    ----------
    partner : PartnerData
        The partner tables read, and the gaps (:func:`sna.io.partner.load.load_partner_data`).
    areas : Areas
        The partnership's upper-tier councils, with DfE LA numbers.
    conf : float, default 0.95
        Confidence level of every interval and test.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section()
    sizes = _cohort_sizes(partner)
    available = [key for key in DFE_MOJ_MEASURES if partner.has(key[0])]
    if sizes is None or not available:
        section.text("Not available, because the DfE-MoJ education and offending workbooks were "
                     "not supplied (see Data gaps).")
        return section
    sizes = sizes.set_index("area_code")
    rows = []
    missing = {name: (split_note(code) or "not in the DfE-MoJ workbooks").removeprefix(
        "not available: ") for code, name in areas.names.items() if code not in sizes.index}
    for (sheet, breakdown), label in DFE_MOJ_MEASURES.items():
        if not partner.has(sheet):
            continue
        frame = partner.get(sheet)
        frame = frame[(frame["indicator"] == "Home") & (frame["breakdown"] == breakdown)]
        england = frame[frame["area_name"] == "England"].set_index("cohort")["perc"]
        for code, name in areas.names.items():
            own = frame[frame["area_code"] == code].set_index("cohort")["perc"]
            if code not in sizes.index:
                continue
            n_sv = sizes.loc[code, "sv_offence"]
            perc = own.get("Serious Violence Offence", pd.NA)
            count = round(float(perc) * float(n_sv) / 100) if pd.notna(perc) and pd.notna(n_sv) \
                else pd.NA
            ci = with_intervals([count], [n_sv], kind="proportion", multiplier=100,
                                conf=conf).iloc[0]
            rows.append({"Area": name, "Experience": label,
                         "Serious violence cohort (%)": perc, "Lower limit": ci["lower"],
                         "Upper limit": ci["upper"], "Cohort size": n_sv,
                         "All pupils (%)": own.get("All Pupils", pd.NA),
                         "England serious violence cohort (%)":
                             england.get("Serious Violence Offence", pd.NA)})
    table = pd.DataFrame(rows)
    if table.empty:
        section.text(" ".join(f"Not available for {name}: {why}." for name, why in
                              missing.items()))
        return section
    for name, why in missing.items():
        section.note(f"Not available for {name}: {why}.")
    from sna.stats.rates import compare_to_benchmark

    table["vs England"] = compare_to_benchmark(
        table["Serious violence cohort (%)"].astype("Float64").astype(float),
        table["Lower limit"], table["Upper limit"],
        table["England serious violence cohort (%)"].astype("Float64").astype(float))[
        "comparison"].to_numpy()
    section.results["cohort"] = table
    section.table(table, "Pupils cautioned or sentenced for a serious violence offence: "
                         "school and children's social care experiences, against all pupils "
                         "and against England's serious-violence cohort", decimals=0)
    for name in areas.names.values():
        own = table[(table["Area"] == name) & (table["Experience"] == "Ever suspended")]
        if len(own) and pd.notna(own["Serious violence cohort (%)"].iloc[0]):
            r = own.iloc[0]
            section.text(f"In {name}, {format_percent(r['Serious violence cohort (%)'])} of the "
                         f"{format_count(r['Cohort size'])} pupils cautioned or sentenced for a "
                         "serious "
                         f"violence offence had been suspended from school at some point, "
                         f"against {format_percent(r['All pupils (%)'])} of all pupils.")
    section.technical("Source: DfE and MoJ 'Education, children's social care and offending' "
                 "(pupils in the key stage 4 cohorts 2012/13 to 2019/20, by the council they "
                 "lived in). Percentages are published as whole numbers; the intervals use the "
                 "count rebuilt from the rounded percentage and the cohort size (Wilson), so "
                 "they are approximate. Areas are pre-2023 councils: a county replaced in April "
                 "2023 by one council with the same boundary is counted as that council; a "
                 "county that was split between new councils is not copied to any of them.")
    return section


def children_at_risk(partner: PartnerData, partner_areas: dict, *, conf: float = 0.95) -> Section:
    """The children-and-young-people-at-risk section: all four parts, in order.

    Parameters
    ----------
    partner : PartnerData
        The partner tables read, and the gaps (:func:`sna.io.partner.load.load_partner_data`).
    partner_areas : dict
        Upper-tier council code -> ``{"name", "la_number"}`` (the ``partner_areas`` parameter, given
        or derived).
    conf : float, default 0.95
        Confidence level of every interval and test.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    areas = Areas.from_params(partner_areas)
    section = Section()
    if not areas.names:
        return _no_areas(section, "children's services, education or youth justice statistics")
    for note in _split_notes(areas, "Children's services and education figures"):
        section.note(note)
    for part, heading in ((assessment_factors, "Exploitation, gangs, going missing and abuse"),
                          (looked_after_convictions, "Looked-after children in trouble with "
                                                     "the law"),
                          (persistent_absence, "Persistent absence of children known to "
                                               "children's services"),
                          (offending_cohort, "Pupils cautioned or sentenced for serious "
                                             "violence")):
        section.blocks.append(("html", f"<h3>{heading}</h3>"))
        result = part(partner, areas, conf=conf)
        section.blocks.extend(result.blocks)
        section.results.update(result.results)
    return section


NOT_AVAILABLE_HEALTH = {
    "Hospital admissions for violence (including sexual violence)":
        "Fingertips indicator 11201 (Public Health Outcomes Framework). Add it with "
        "`sna fetch fingertips --indicator 11201` (once, with internet); the report then "
        "reads the cached copy offline.",
    "A&E attendances for assault":
        "Not published by area. Ask the ICB and the emergency departments for the "
        "Information Sharing to Tackle Violence (ISTV) data set and add it as a partner file.",
}


def _fingertips_table(frame: pd.DataFrame, areas: Areas, neighbours: dict[str, list[str]],
                      conf: float) -> tuple[pd.DataFrame, str]:
    persons = frame[(frame["sex"] == "Persons") & (frame["category_type"] == "")]
    period = sorted(persons["time_period"].unique())[-1]
    latest = persons[persons["time_period"] == period]
    england = latest[latest["area_code"] == ENGLAND]
    from sna.stats.rates import compare_to_benchmark

    rows = []
    for code, name in areas.names.items():
        own = latest[latest["area_code"] == code]
        sn = latest[latest["area_code"].isin(neighbours.get(code, []))]
        sn_count, sn_denominator, sn_areas = pooled(sn["count"], sn["denominator"])
        sn_value = sn_count / sn_denominator * PER_10K if sn_areas else float("nan")
        if own.empty:
            continue
        r = own.iloc[0]
        eng = float(england["value"].iloc[0]) if len(england) else float("nan")
        value = float(r["value"]) if pd.notna(r["value"]) else float("nan")
        low = float(r["lower_95"]) if pd.notna(r["lower_95"]) else float("nan")
        high = float(r["upper_95"]) if pd.notna(r["upper_95"]) else float("nan")
        vs = compare_to_benchmark([value, value], [low, low], [high, high], [eng, sn_value],
                                  polarity="low is good")
        rows.append({"Area": name, "Admissions": r["count"], "Children (0-14)": r["denominator"],
                     "Per 10,000": value, "Lower limit (published)": low,
                     "Upper limit (published)": high, "England": eng,
                     "vs England": vs["judgement"].iloc[0],
                     "Neighbours (pooled)": sn_value,
                     "vs neighbours": vs["judgement"].iloc[1],
                     "Neighbours with data": f"{sn_areas} of {len(neighbours.get(code, []))}",
                     "Why missing": r["missing_reason"] if pd.notna(r["missing_reason"]) else ""})
    return pd.DataFrame(rows), period


def health(partner: PartnerData, partner_areas: dict, *, conf: float = 0.95) -> Section:
    """Health: child injury admissions (Fingertips 90284) with benchmarks and trend; gaps named.

    Parameters
    ----------
    partner : PartnerData
        The partner tables read, and the gaps (:func:`sna.io.partner.load.load_partner_data`).
    partner_areas : dict
        Upper-tier council code -> ``{"name", "la_number"}`` (the ``partner_areas`` parameter, given
        or derived).
    conf : float, default 0.95
        Confidence level of every interval and test.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    areas = Areas.from_params(partner_areas)
    section = Section()
    if not areas.names:
        return _no_areas(section, "hospital statistics")
    neighbours = neighbour_codes(partner, areas)
    for source, subject in (("child_injury_admissions",
                             "Hospital admissions caused by injuries in children aged 0-14"),
                            ("violence_admissions",
                             "Hospital admissions for violence including sexual violence")):
        frame = partner.get(source)
        if frame is None:
            continue
        table, period = _fingertips_table(frame, areas, neighbours, conf)
        section.results[source] = table
        section.table(table, f"{subject}, {period}: per 10,000, with the published 95% "
                             "intervals, against England and the statistical neighbours",
                      decimals={"Admissions": 0, "Children (0-14)": 0})
        persons = frame[(frame["sex"] == "Persons") & (frame["category_type"] == "")]
        for code, name in areas.names.items():
            own = persons[persons["area_code"] == code].set_index("time_period").sort_index()
            trend = annual_trend(own["count"], exposure=own["denominator"], kind="rate", conf=conf)
            if trend is not None:
                section.results[f"{source}_trend_{code}"] = trend
                section.text(trend.sentence(f"{subject} in {name}"))
        section.note("For injury admissions a lower rate is better; 'worse' means higher than "
                     "the benchmark by more than chance would explain.")
        for note in _neighbour_notes(partner, areas):
            section.note(note)
        section.technical("Better or worse: for injury admissions a lower rate is better "
                          "(Fingertips "
                     "polarity); compared with the published 95% interval (single-overlap "
                     "rule). Neighbours pooled: their admissions over their children. Trend: "
                     "quasi-Poisson regression on the year with the child population as offset. "
                     "The published intervals are used as published; for most later years they "
                     "are not the Byars intervals of the count.")
    missing = dict(NOT_AVAILABLE_HEALTH)
    if partner.has("violence_admissions"):
        missing.pop("Hospital admissions for violence (including sexual violence)")
    section.text("Not available for this assessment: " + "; ".join(missing) + ". "
                 "Without them the assessment cannot show how much serious violence reaches "
                 "hospitals, or violence that is never reported to the police.")
    section.table(pd.DataFrame({"Indicator": list(missing), "How to add it":
                                list(missing.values())}),
                  "Health indicators not available, and how to add them", decimals=0)
    return section


# ---------------------------------------------------------------- who: victims and suspects


def _latest(offences: pd.DataFrame, last_month: str, months: int = 12) -> pd.DataFrame:
    end = pd.Period(last_month, freq="M")
    window = {str(end - k) for k in range(months)}
    return offences[offences["month"].astype(str).isin(window)]


def _serious(offences: pd.DataFrame) -> pd.DataFrame:
    """The extract's offences inside the local definition, as every section counts them.

    See :func:`sna.reports.svd.local_definition_mask`.
    """
    return offences[local_definition_mask(offences).to_numpy()]


def _crosstab(rows: pd.DataFrame, index: str, columns: str, policy: DisclosurePolicy,
              column_labels: dict[str, str]) -> pd.DataFrame:
    known = rows.dropna(subset=[index, columns])
    table = pd.crosstab(known[index], known[columns]).rename(columns=column_labels)
    table = table.reindex(index=list(rows[index].cat.categories), fill_value=0)
    published = suppress_crosstab(table, policy).published
    return published.rename_axis(index=index.replace("_", " ").capitalize()).reset_index()


@degrades
def who(offences: pd.DataFrame | None, partner: PartnerData, partner_areas: dict, last_month: str,
        policy: DisclosurePolicy, *, conf: float = 0.95) -> Section:
    """Victims by age, sex and ethnicity; suspects by age and sex; repeat victims and suspects.

    Parameters
    ----------
    offences : pandas.DataFrame or None
        The force extract's clean rows; None: no extract.
    partner : PartnerData
        The partner tables read, and the gaps (:func:`sna.io.partner.load.load_partner_data`).
    partner_areas : dict
        Upper-tier council code -> ``{"name", "la_number"}`` (the ``partner_areas`` parameter, given
        or derived).
    last_month : str
        Last month of the period reported, ``"YYYY-MM"``.
    policy : DisclosurePolicy
        The rule for suppressing small counts in published tables and charts.
    conf : float, default 0.95
        Confidence level of every interval and test.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    from sna.stats.rates import proportion_ci, rate_ci

    if offences is None:
        raise NotAvailable("no force extract was given, so victims and suspects cannot be "
                           "described", fix="set 'extract' to the force's record-level extract")
    section = Section()
    section.note(SYNTHETIC_NOTE)
    needed = {"victim_sex", "victim_ethnicity", "suspect_age_band", "suspect_sex",
              "repeat_victim", "repeat_suspect"}
    if not needed <= set(offences.columns):
        section.text("Not available, because the force extract has no victim and suspect "
                     f"columns ({', '.join(sorted(needed - set(offences.columns)))}); see Data "
                     "gaps.")
        return section
    rows = _serious(_latest(offences, last_month))
    if rows.empty:
        raise NotAvailable(f"the force extract has no serious violence offences in the 12 "
                           f"months to {last_month}", fix="check the extract's period and area")
    section.results["rows"] = len(rows)
    sexes = {"F": "Female", "M": "Male", "X": "Another"}
    if rows[["victim_age_band", "victim_sex"]].notna().all(axis=1).any():
        victims = _crosstab(rows, "victim_age_band", "victim_sex", policy, sexes)
        section.results["victims_age_sex"] = victims
        section.table(victims, "Victims of serious violence (local definition) by age and sex, "
                               "latest 12 months (SYNTHETIC extract; offences with both "
                               "recorded; suppressed cells shown as a dash)", decimals=0)
    else:
        section.unavailable("victims by age and sex: the extract records neither for these "
                            "offences")
    if rows[["suspect_age_band", "suspect_sex"]].notna().all(axis=1).any():
        suspects = _crosstab(rows, "suspect_age_band", "suspect_sex", policy, sexes)
        section.results["suspects_age_sex"] = suspects
        section.table(suspects, "Suspects of serious violence (local definition) by age and "
                                "sex, latest 12 months (SYNTHETIC extract; offences with a "
                                "suspect identified)",
                      decimals=0)
    else:
        section.unavailable("suspects by age and sex: the extract records no suspect's age "
                            "and sex for these offences")
    named = int(rows["suspect_sex"].notna().sum() | 0)
    young = int((rows["suspect_age_band"] == "10-17").sum())
    aged = int(rows["suspect_age_band"].notna().sum())
    if aged:
        share = proportion_ci(young, aged, multiplier=100, conf=conf).iloc[0]
        section.text(f"A suspect was identified for {format_count(named)} of "
                     f"{format_count(len(rows))} serious "
                     f"violence offences; {format_percent(share['value'])} of suspects with a "
                     f"recorded age were aged 10-17 (likely range "
                     f"{format_interval(share['lower'], share['upper'], formatter=format_percent)}"
                     "), the youth justice age range.")
    if rows["victim_ethnicity"].notna().any():
        _ethnicity(section, rows, partner, Areas.from_params(partner_areas), policy, conf,
                   rate_ci)
    else:
        section.unavailable("victims by ethnic group: the extract records no victim's ethnic "
                            "group for these offences")
    repeats = []
    for column, label in (("repeat_victim", "Repeat victims"),
                          ("repeat_suspect", "Repeat suspects")):
        known = rows[column].dropna()
        if known.empty:
            continue
        yes = int(known.sum())
        ci = proportion_ci(yes, max(len(known), 1), multiplier=100, conf=conf).iloc[0]
        repeats.append({"Measure": label, "count": yes, "Offences with the flag recorded":
                        len(known), "%": ci["value"], "Lower limit": ci["lower"],
                        "Upper limit": ci["upper"]})
    if repeats:
        repeat_table = publish_counts(pd.DataFrame(repeats), ["count"], policy,
                                      derived=["%", "Lower limit", "Upper limit"])
        section.results["repeats"] = repeat_table
        section.table(repeat_table.rename(columns={"count": "Offences"}),
                      "Repeat victims and repeat suspects (previous offence within 12 months), "
                      "latest 12 months, % (SYNTHETIC extract)",
                      decimals=1)
    else:
        section.unavailable("repeat victims and repeat suspects: the extract records neither "
                            "flag for these offences")
    _young_victims_change(section, offences, last_month, conf=conf)
    section.note("No England or statistical-neighbour comparison: record-level victim and "
                 "suspect data are held by each force and are not published nationally in this "
                 "form. Counts from 1 to "
                 f"{policy.min_count - 1} are suppressed, with secondary suppression where a "
                 "total would reveal them.")
    return section


def _young_victims_change(section: Section, offences: pd.DataFrame, last_month: str, *,
                          conf: float) -> None:
    """Victims aged under 25, latest 12 months against the 12 before, by the change rule.

    Months the extract does not cover are no data, never zero: without both years the
    section says the comparison is not available.
    """
    from sna.stats.trend import change_between, change_note, describe_change

    latest = year_months(last_month)
    previous = year_months(str(pd.Period(last_month, freq="M") - 12))
    months = offences["month"].astype("period[M]")
    covered = pd.period_range(months.min(), months.max(), freq="M")
    if str(covered.min()) > previous[0] or str(covered.max()) < latest[-1]:
        section.unavailable(f"a change in victims aged under 25: it needs the extract's months "
                            f"{previous[0]} to {latest[-1]}, and the extract covers "
                            f"{covered.min()} to {covered.max()} (months without data are not "
                            "zero)")
        return
    serious = _serious(offences)
    young = serious[serious["victim_age_band"].isin(["0-15", "16-24"])]
    monthly = monthly_counts(young["month"], index=covered).astype(float)
    change = change_between(monthly, previous, latest, conf=conf)
    section.results["young_victims_change"] = change
    subject = "Victims of serious violence aged under 25"
    section.text(change_sentence(subject, change.count_a, change.count_b,
                                 period_text(previous[0], previous[-1]),
                                 period_text(latest[0], latest[-1]), change.verdict))
    section.technical(describe_change(change, subject=subject,
                                      period_a=f"{previous[0]} to {previous[-1]}",
                                      period_b=f"{latest[0]} to {latest[-1]}"))
    section.technical(change_note(change, subject=subject))


def _ethnicity(section: Section, rows: pd.DataFrame, partner: PartnerData, areas: Areas,
               policy: DisclosurePolicy, conf: float, rate_ci) -> None:
    from sna.stats.rates import compare_to_benchmark

    counts = rows["victim_ethnicity"].value_counts().reindex(
        list(rows["victim_ethnicity"].cat.categories), fill_value=0)
    table = pd.DataFrame({"Ethnic group": counts.index, "count": counts.to_numpy()})
    population = partner.get("ethnic_population")
    if population is not None and areas.names:
        own = population[population["area_code"].isin(list(areas.names))]
        residents = own.groupby("broad_group", observed=True)["residents"].sum()
        table["Residents (Census 2021)"] = table["Ethnic group"].map(residents).astype(float)
        rates = rate_ci(table["count"], table["Residents (Census 2021)"], multiplier=1000,
                        conf=conf)
        overall = table["count"].sum() / table["Residents (Census 2021)"].sum() * 1000
        table["Per 1,000 residents"] = rates["value"].to_numpy()
        table["Lower limit"] = rates["lower"].to_numpy()
        table["Upper limit"] = rates["upper"].to_numpy()
        table["vs all victims' rate"] = compare_to_benchmark(
            rates["value"], rates["lower"], rates["upper"], overall)["comparison"].to_numpy()
        table = publish_counts(table, ["count"], policy,
                               derived=["Per 1,000 residents", "Lower limit", "Upper limit"])
    else:
        table = publish_counts(table, ["count"], policy)
    section.results["victims_ethnicity"] = table
    not_recorded = int(rows["victim_ethnicity"].isna().sum())
    section.table(table.rename(columns={"count": "Victims"}),
                  "Victims of serious violence (local definition) by ethnic group, latest 12 "
                  "months, per 1,000 "
                  f"residents of that group (SYNTHETIC extract; {format_count(not_recorded)} "
                  "offences with "
                  "no ethnicity recorded or no victim are left out)",
                  decimals={"Victims": 0, "Residents (Census 2021)": 0})


# ---------------------------------------------------------------- register and gaps

AUTHORITY_TYPES = {
    "police": "Police",
    "health": "Health (integrated care board)",
    "probation": "Probation",
    "youth_justice": "Youth justice",
    "education": "Education",
    "fire_and_rescue": "Fire and rescue",
    "local_authority": "Local authority, including children's services",
}
"""The specified (and relevant education) authorities of the Serious Violence Duty."""
STATUSES = ("supplied", "published data used", "not supplied")
GAP_MEANING = {
    "police": "no offence-level picture of where, when and to whom serious violence happens "
              "beyond police.uk's broad categories",
    "health": "violence that reaches hospital but not the police is not seen",
    "probation": "the adult offender cohort (risk, needs, reoffending) is not described",
    "youth_justice": "children in the youth justice system, their offences and needs are not "
                     "described beyond national DfE-MoJ statistics",
    "education": "exclusion, absence and alternative provision cannot be linked to local "
                 "violence",
    "fire_and_rescue": "deliberate fires and arson, and the fire service's contact with young "
                       "people, are not described",
    "local_authority": "exploitation and children's social care risk factors are not described",
}
REGISTER_KEYS = {"authority_type", "authority", "data", "sources", "period", "geography",
                 "status", "note"}
REGISTER_TEXT_KEYS = ("authority", "data", "period", "geography", "note")


def check_register(register: list) -> list[dict]:
    """Validate the ``partner_register`` parameter (a list of mappings).

    Parameters
    ----------
    register : list
        The ``partner_register`` parameter.

    Returns
    -------
    list of dict
        The register, checked.

    Raises
    ------
    SnaInputError
        Not a list of mappings, an unknown key, authority type or status.

    Examples
    --------
    >>> entry = {"authority_type": "police", "authority": "NYP", "status": "supplied"}
    >>> check_register([entry])[0]["status"]
    'supplied'
    """
    if not isinstance(register, list):
        raise SnaInputError("partner_register is not a list", column="partner_register",
                            fix="write one '- authority_type: ...' entry per authority")
    for number, entry in enumerate(register, start=1):
        if not isinstance(entry, dict):
            raise SnaInputError(f"partner_register entry {number} is not a mapping",
                                column="partner_register", value=entry,
                                fix="write each entry as key: value lines under '- '")
        unknown = sorted(set(entry) - REGISTER_KEYS)
        if unknown:
            raise SnaInputError(f"partner_register entry {number} has unknown key "
                                f"'{unknown[0]}'", column="partner_register", value=unknown[0],
                                fix=f"use only: {', '.join(sorted(REGISTER_KEYS))}")
        if entry.get("authority_type") not in AUTHORITY_TYPES:
            raise SnaInputError(f"partner_register entry {number} has authority_type "
                                f"{entry.get('authority_type')!r}", column="partner_register",
                                value=entry.get("authority_type"),
                                fix=f"use one of: {', '.join(AUTHORITY_TYPES)}")
        for key in REGISTER_TEXT_KEYS:
            if key in entry and not isinstance(entry[key], str | int | float):
                raise SnaInputError(f"partner_register entry {number}: {key} is not text",
                                    column="partner_register", value=entry[key],
                                    fix=f"write {key} as one line of text (in quotes if it "
                                        "holds ':' or '#')")
        sources = entry.get("sources", [])
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            raise SnaInputError(f"partner_register entry {number}: sources is not a list of "
                                "source names", column="partner_register", value=sources,
                                fix="write sources: [name, name] with names from: police_uk, "
                                    f"force_extract, {', '.join(SOURCES)}")
        if entry.get("status") not in STATUSES:
            raise SnaInputError(f"partner_register entry {number} has status "
                                f"{entry.get('status')!r}", column="partner_register",
                                value=entry.get("status"),
                                fix=f"use one of: {', '.join(STATUSES)}")
        unknown_sources = sorted(set(entry.get("sources", [])) - set(SOURCES) - {"police_uk",
                                                                              "force_extract"})
        if unknown_sources:
            raise SnaInputError(f"partner_register entry {number} names unknown source "
                                f"'{unknown_sources[0]}'", column="partner_register",
                                value=unknown_sources[0],
                                fix=f"use sources from: police_uk, force_extract, "
                                    f"{', '.join(SOURCES)}")
    return register


def register_table(register: list, partner: PartnerData) -> pd.DataFrame:
    """One row per specified authority type, with the status checked against the files read.

    A "supplied" or "published data used" entry whose named sources are all missing becomes
    "not supplied"; an authority type with no entry gets a "not supplied" row. Nothing is
    dropped.

    Parameters
    ----------
    register : list of dict
        What each specified authority supplied (the ``partner_register`` parameter, given or
        derived).
    partner : PartnerData
        The partner tables read, and the gaps (:func:`sna.io.partner.load.load_partner_data`).

    Returns
    -------
    pandas.DataFrame
        One row per specified authority.
    """
    check_register(register)
    rows = []
    for kind, label in AUTHORITY_TYPES.items():
        entries = [e for e in register if e["authority_type"] == kind] or [
            {"authority_type": kind, "authority": "-", "data": "-", "status": "not supplied",
             "note": "not listed in the parameters"}]
        for entry in entries:
            sources = list(entry.get("sources", []))
            missing = [s for s in sources if s in partner.gaps]
            status = entry["status"]
            note = entry.get("note", "")
            if status != "not supplied" and sources and len(missing) == len(sources):
                status, note = "not supplied", "file(s) missing: " + ", ".join(missing)
            elif missing:
                note = "missing: " + ", ".join(SOURCES[s]["title"] for s in missing)
            rows.append({"Specified authority": label, "Organisation": entry.get("authority", ""),
                         "Data": entry.get("data", ""), "Period": entry.get("period", ""),
                         "Geography": entry.get("geography", ""), "Status": status,
                         "Note": note, "type": kind})
    return pd.DataFrame(rows)


def partner_register(register: list, partner: PartnerData, *, notes: list[str] | None = None
                     ) -> Section:
    """The partner data register: which specified authority supplied what.

    ``notes`` (from :func:`derive_partner_params`) say which councils' partner data could not
    be derived from the area codes, and why.

    Parameters
    ----------
    register : list of dict
        What each specified authority supplied (the ``partner_register`` parameter, given or
        derived).
    partner : PartnerData
        The partner tables read, and the gaps (:func:`sna.io.partner.load.load_partner_data`).
    notes : list of str, optional
        What could not be derived for the register, shown under it.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section()
    table = register_table(register, partner)
    section.results["register"] = table
    section.table(table.drop(columns="type"),
                  "Partner data register: the Serious Violence Duty's specified authorities "
                  "and the data each provided for this assessment", decimals=0)
    counts = table.drop_duplicates("type")["Status"].value_counts()
    section.text(f"Of the {len(AUTHORITY_TYPES)} kinds of specified authority, "
                 f"{counts.get('supplied', 0)} supplied data, "
                 f"{counts.get('published data used', 0)} are represented by published data "
                 f"only, and {counts.get('not supplied', 0)} supplied none.")
    section.note("'Supplied': the organisation sent data for this assessment. 'Published data "
                 "used': only national published statistics were available. 'Not supplied': "
                 "no data; see Data gaps for what that means.")
    for note in notes or []:
        section.note(note)
    return section


# ---------------------------------------------------------------- defaults from the area

SOURCE_DATA = {
    "child_injury_admissions": "Hospital admissions for injuries to children 0-14 "
                               "(Fingertips 90284)",
    "violence_admissions": "Hospital admissions for violence including sexual violence "
                           "(Fingertips 11201)",
    "dfe_moj_school": "Suspensions, exclusions, alternative provision and absence of pupils "
                      "cautioned or sentenced for serious violence (DfE-MoJ)",
    "dfe_moj_social_care": "Children's social care history of pupils cautioned or sentenced "
                           "(DfE-MoJ)",
    "dfe_moj_cohorts": "Sizes of the DfE-MoJ offending cohorts",
    "absence_social_care": "Persistent absence of children in need, on a plan or looked after",
    "assessment_factors": "Factors at the end of children's social care assessments",
    "children_looked_after": "Looked-after children and the child population",
    "cla_convictions": "Convictions and cautions of looked-after children",
    "statistical_neighbours": "DfE statistical neighbours",
}
"""What each partner source contributes, as the register's Data column says it."""
REGISTER_SOURCES = {
    "health": ["child_injury_admissions", "violence_admissions"],
    "youth_justice": ["dfe_moj_school", "dfe_moj_social_care", "dfe_moj_cohorts"],
    "education": ["absence_social_care", "dfe_moj_school"],
    "local_authority": ["assessment_factors", "children_looked_after", "cla_convictions",
                        "statistical_neighbours"],
}
"""The partner sources that stand for each specified authority in a derived register."""
DFE_MOJ_PERIOD = "key stage 4 cohorts 2012/13 to 2019/20"


def _source_rows(partner: PartnerData, source: str, areas: Areas) -> pd.DataFrame | None:
    """The rows of a source (all sheets) for the areas' councils; None if it is a gap."""
    if source == "statistical_neighbours":
        frame = partner.get(source)
        return None if frame is None else frame[frame["la_number"].isin(
            list(areas.la_numbers.values()))]
    names = [n for n in partner.tables if n == source or n.startswith(f"{source}:")]
    frames = [partner.get(n) for n in names]
    frames = [f[f["area_code"].isin(list(areas.names))] for f in frames
              if f is not None and "area_code" in f]
    return pd.concat(frames, ignore_index=True) if frames else None


def _period(rows: pd.DataFrame, source: str) -> str:
    if source.startswith("dfe_moj"):
        return DFE_MOJ_PERIOD
    column = "period" if "period" in rows else "time_period"
    if column not in rows:
        return ""
    values = sorted(rows[column].dropna().astype(str).unique())
    return values[0] if len(values) == 1 else f"{values[0]} to {values[-1]}" if values else ""


def _source_entry(kind: str, authority: str, partner: PartnerData, areas: Areas,
                  notes: list[str]) -> dict:
    """A register entry for a specified authority represented by published sources."""
    found, periods = [], []
    why: dict[str, list[str]] = {}
    for source in REGISTER_SOURCES[kind]:
        rows = _source_rows(partner, source, areas)
        if not areas.names:
            continue
        if rows is None:
            why.setdefault(partner.gaps.get(source, "not read"), []).append(SOURCE_DATA[source])
        elif rows.empty:
            reason = "; ".join((split_note(code) or f"{name} is not in the published file")
                               .removeprefix("not available: ")
                               for code, name in areas.names.items())
            why.setdefault(reason, []).append(SOURCE_DATA[source])
        else:
            found.append(source)
            periods.append(_period(rows, source))
    entry = {"authority_type": kind, "authority": authority,
             "data": "; ".join(SOURCE_DATA[s] for s in found) or "-",
             "sources": found,
             "period": "; ".join(dict.fromkeys(p for p in periods if p)),
             "geography": "upper-tier local authority" if found else "",
             "status": "published data used" if found else "not supplied"}
    note = "; ".join([*(f"{join_words(labels)}: {reason}" for reason, labels in why.items()),
                      *(notes if not areas.names else [])])
    if note:
        entry["note"] = ("not available: " + note) if not found else ("missing: " + note)
    return entry


def derive_partner_params(partner_areas: dict, partner_register: list, area, partner:
                          PartnerData, *, area_name: str = "", force_name: str = "",
                          extract: str = "", uses_synthetic_data: bool = True,
                          first_month: str = "", last_month: str = ""
                          ) -> tuple[dict, list, list[str]]:
    """``partner_areas`` and ``partner_register`` as given, or derived from the area codes.

    Parameters
    ----------
    partner_areas : dict
        The parameter; ``{}`` derives the upper-tier councils (county or unitary, 2023+
        codes) covering the area's councils, with names and DfE LA numbers from the shipped
        DfE data (:func:`sna.io.partner.areas.upper_tier_councils`).
    partner_register : list
        The parameter; ``[]`` derives one entry for each of the seven specified authority
        types, named from the area (its force, its councils, "the Integrated Care Board(s)
        covering <area>") with a status that follows from which partner sources have rows
        for the area's councils.
    area : sna.io.area.Area
        The study area (``report_area(...)["area"]``).
    partner : PartnerData
    area_name, force_name, extract, uses_synthetic_data, first_month, last_month
        The report's parameters of those names.

    Returns
    -------
    (dict, list, list of str)
        Partner areas, register, and notes on what could not be derived (shown with the
        register).

    Examples
    --------
    >>> from sna.io.area import resolve_area
    >>> from sna.io.partner.load import load_partner_data
    >>> areas, register, notes = derive_partner_params(
    ...     {}, [], resolve_area(["E06000010"]), load_partner_data())
    >>> areas, notes
    ({'E06000010': {'name': 'Kingston upon Hull, City of', 'la_number': '810'}}, [])
    >>> [(e["authority_type"], e["status"]) for e in register][:2]
    [('police', 'published data used'), ('health', 'published data used')]
    """
    from sna.io.partner.areas import upper_tier_councils

    notes: list[str] = []
    if not partner_areas:
        partner_areas, notes = upper_tier_councils(area.ltla24_codes, names=area.council_names)
    if partner_register:
        return partner_areas, partner_register, notes
    areas = Areas.from_params(partner_areas)
    place = area_name or area.name
    councils = list(areas.names.values()) or area.council_names
    council_text = join_words(councils)
    real_extract = bool(extract) and not uses_synthetic_data
    police = {"authority_type": "police",
              "authority": force_name or f"{join_words(area.pfa24_names)} police force",
              "data": "police.uk street-level crime (published)" + (
                  " and the force's record-level extract" if real_extract else
                  "; the force's record-level extract is not yet supplied"
                  + (" (a SYNTHETIC demo extract stands in)" if extract else "")),
              "sources": ["police_uk", "force_extract"] if real_extract else ["police_uk"],
              "period": f"{first_month} to {last_month}" if first_month else "",
              "geography": "LSOA 2021",
              "status": "supplied" if real_extract else "published data used"}
    register = [
        police,
        _source_entry("health", f"the Integrated Care Board(s) covering {place}", partner,
                      areas, notes),
        {"authority_type": "probation",
         "authority": f"the Probation Service region covering {place}", "data": "-",
         "status": "not supplied"},
        _source_entry("youth_justice", f"the youth justice service(s) of {join_words(councils)}",
                      partner, areas, notes),
        _source_entry("education", f"{council_text} (education)", partner, areas, notes),
        {"authority_type": "fire_and_rescue",
         "authority": f"the fire and rescue service covering {place}", "data": "-",
         "status": "not supplied"},
        _source_entry("local_authority", f"{council_text} (children's services)", partner,
                      areas, notes),
    ]
    if any(e["authority_type"] == "youth_justice" and e["sources"] for e in register):
        youth = next(e for e in register if e["authority_type"] == "youth_justice")
        youth["data"] = ("No local data; national DfE-MoJ linked data on pupils cautioned or "
                         "sentenced used instead")
        youth["geography"] = "pre-2023 local authority"
    return partner_areas, register, notes


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def data_gaps(register: list, partner: PartnerData, partner_areas: dict,
              *, synthetic_extract: bool = True, missing_months: list[str] | None = None
              ) -> Section:
    """Every gap in the data, named, with what it means for the assessment's conclusions.

    Parameters
    ----------
    register : list of dict
        What each specified authority supplied (the ``partner_register`` parameter, given or
        derived).
    partner : PartnerData
        The partner tables read, and the gaps (:func:`sna.io.partner.load.load_partner_data`).
    partner_areas : dict
        Upper-tier council code -> ``{"name", "la_number"}`` (the ``partner_areas`` parameter, given
        or derived).
    synthetic_extract : bool, default True
        The force extract is the synthetic demo (a gap in itself).
    missing_months : list of str, optional
        police.uk months missing from the source (no data, not zero).

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section()
    gaps = []
    table = register_table(register, partner)
    for _, row in table[table["Status"] == "not supplied"].iterrows():
        gaps.append({"Gap": f"{row['Specified authority']}: no data supplied"
                            + (f" ({row['Note']})" if row["Note"] else ""),
                     "What it means": _sentence(GAP_MEANING[row["type"]])})
    for name, why in partner.gaps.items():
        if name == "violence_admissions":
            continue  # named with A&E attendances below
        gaps.append({"Gap": f"{SOURCES[name]['title']}: {why}",
                     "What it means": "The figures from this source are left out of the "
                                      "report (it did not fail)."})
    if not partner.has("violence_admissions"):
        gaps.append({"Gap": "Hospital admissions for violence (Fingertips 11201: "
                            f"{partner.gaps.get('violence_admissions', 'not read')}) and A&E "
                            "assault attendances (not published by area)",
                     "What it means": "Violence that reaches hospitals but not the police is "
                                      "not counted; see Health for how to add them."})
    areas = Areas.from_params(partner_areas)
    convictions = partner.get("cla_convictions")
    if convictions is not None:
        hidden = convictions[(convictions["breakdown"] == CONVICTED)
                             & convictions["area_code"].isin(list(areas.names))
                             & convictions["children_count"].isna()
                             & (convictions["children_count_symbol"] == "c")]
        if len(hidden):
            gaps.append({"Gap": f"Looked-after children's convictions suppressed in "
                                f"{len(hidden)} council-years",
                         "What it means": "Numbers are too small to publish; local youth "
                                          "justice data would be needed to describe them."})
    cohorts = partner.get("dfe_moj_cohorts")
    if cohorts is not None and cohorts["area_code"].isin(list(areas.names)).any():
        gaps.append({"Gap": "Education and offending data are for pupils in the 2012/13 to "
                            "2019/20 key stage 4 cohorts, by pre-2023 council",
                     "What it means": "They describe the pattern, not today's young people; "
                                      "local education and youth justice data would update "
                                      "it."})
    if synthetic_extract:
        gaps.append({"Gap": "Force extract (offence codes, DA flags, victims, suspects) not "
                            "supplied: SYNTHETIC demo data used",
                     "What it means": "Every victim, suspect, offence-code and time-of-day "
                                      "figure is illustrative only and must not be quoted; "
                                      "replace the extract with the force's own."})
    if missing_months:
        from sna.periods import month_runs

        gaps.append({"Gap": "police.uk street-level crime: no data for "
                            + ", ".join(month_runs(missing_months)),
                     "What it means": "Those months are no data, not zero; comparisons use "
                                      "only months present in both periods."})
    out = pd.DataFrame(gaps, columns=["Gap", "What it means"])
    section.results["gaps"] = out
    section.text(f"{len(out)} gaps in the data for this assessment are named below. Each "
                 "limits what the assessment can conclude; closing them is a recommendation "
                 "for the partnership's data-sharing arrangements.")
    section.table(out, "Data gaps and what they mean", decimals=0)
    return section


def partner_accounting(partner: PartnerData) -> Section:
    """Rows read, used and set aside (with reasons) for every partner file.

    Parameters
    ----------
    partner : PartnerData
        The partner tables read, and the gaps (:func:`sna.io.partner.load.load_partner_data`).

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section()
    section.table(partner.accounting(), "Partner files: rows read, used and set aside",
                  decimals=0)
    mapped = sum(n for t in partner.tables.values()
                 for n in (t.notes.get("area_codes_mapped") or {}).values())
    if mapped:
        section.note(f"{format_count(mapped)} rows published under a county code that was "
                     "replaced in "
                     "April 2023 by one council with the same boundary are counted under that "
                     "council's code; a county that was split between new councils keeps its own "
                     "code and is copied to none of them.")
    return section


def validate_params(params: dict, params_file) -> None:
    """The SVD notebook's params validator for the partner keys (notebook metadata hook).

    Checks ``partner_areas`` (area codes with a name and a 3-digit DfE LA number),
    ``partner_files`` (known sources, text paths) and ``partner_register``
    (:func:`check_register`); the top-level keys and types are checked by
    :func:`sna.reports.params.check_params` first.

    Parameters
    ----------
    params : dict
        Parameters read from the params file.
    params_file : str or Path
        The params file, named in error messages.

    Raises
    ------
    SnaInputError
        Naming the params file and the key, with a fix.

    Examples
    --------
    >>> try:
    ...     validate_params({"partner_files": {"fingertip": "x.csv"}}, "p.yaml")
    ... except SnaInputError as err:
    ...     print(err.file, err.column, err.problem)
    p.yaml partner_files unknown partner source 'fingertip'
    """
    import re

    file = str(params_file)
    try:
        for code, spec in (params.get("partner_areas") or {}).items():
            if not re.fullmatch(r"E0[689]\d{6}|E1[01]\d{6}", str(code)):
                raise SnaInputError(f"partner_areas key {code!r} is not an upper-tier local "
                                    "authority code", column="partner_areas", value=code,
                                    fix="use upper-tier council codes (county E10..., unitary "
                                        "E06..., metropolitan E08..., London E09...), or {} "
                                        "to derive them from the area codes")
            number = spec.get("la_number") if isinstance(spec, dict) else None
            if number is not None and not re.fullmatch(r"\d{3}", str(number)):
                raise SnaInputError(f"partner_areas {code}: la_number {number!r} is not a "
                                    "3-digit DfE LA number", column="partner_areas",
                                    value=number, fix="quote it, e.g. la_number: \"815\"")
        if "partner_areas" in params:
            Areas.from_params(params["partner_areas"])
        for name, path in (params.get("partner_files") or {}).items():
            if name not in SOURCES:
                raise SnaInputError(f"unknown partner source '{name}'", column="partner_files",
                                    value=name, fix=f"use one of: {', '.join(SOURCES)}")
            if not isinstance(path, str):
                raise SnaInputError(f"partner_files {name}: the path is not text",
                                    column="partner_files", value=path,
                                    fix="write the path in quotes, or \"\" for not supplied")
        if "partner_register" in params:
            check_register(params["partner_register"])
    except SnaInputError as err:
        raise SnaInputError(err.problem, fix=err.fix, file=file, column=err.column,
                            value=err.value) from None
