"""Sections of the Serious Violence Duty Strategic Needs Assessment.

Each public function takes loaded data and parameters and returns a
:class:`~sna.reports.sections.Section` whose sentences, tables and charts all come from
the library's tested statistics. The notebook ``notebooks/svd_sna.ipynb`` is
only narrative plus one call per section.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sna.io.study import StudyData
from sna.periods import monthly_counts, months_of, year_months
from sna.reports import charts
from sna.reports.findings import (
    CERTAINTY,
    Finding,
    ReportFrame,
    change_finding,
    highest_rate_finding,
    ratio_size,
)
from sna.reports.sections import NotAvailable, Section, degrades, publish_counts
from sna.reports.wording import (
    change_sentence,
    join_words,
    month_runs_text,
    month_text,
    period_text,
    seasonality_sentence,
    snap_point_name,
    strength,
    trend_sentence,
)
from sna.stats.disclosure import DisclosurePolicy, protect_published
from sna.stats.rates import group_rates, rate_ci, rates_against_total
from sna.stats.rurality import rurality_ratios
from sna.stats.trend import (
    CHANGE_RULE,
    change_between,
    change_note,
    describe_change,
    describe_seasonality,
    describe_trend,
    seasonal_model_reason,
    seasonal_trend,
    seasonality_note,
    series_variation,
    trend_note,
)
from sna.wording import (
    conf_label,
    format_count,
    format_interval,
    format_percent,
    format_rate,
    format_statistic,
)

__all__ = [
    "SvdInputs",
    "da_published",
    "data_banner",
    "data_quality",
    "day_and_time",
    "definition",
    "drivers",
    "extent_and_trend",
    "frame",
    "funnel_sentence",
    "like_for_like",
    "load_inputs",
    "local_definition_mask",
    "lsoa_counts",
    "lsoa_hidden",
    "neighbour_comparison",
    "priorities",
    "priority_mask",
    "rates_a_year",
    "sources_and_methods",
    "subarea_label",
    "svd_crimes",
    "victims_by_age",
    "where",
]
PER_1000 = 1000
POLICE_UK_SOURCE = "police.uk street-level crime (Home Office), OGL v3.0"
NO_EXTRACT = ("no force extract was given (parameter 'extract'), so figures that need offence "
              "codes, domestic-abuse flags, victim age or time of day cannot be shown")


def data_banner(uses_synthetic_data: bool, extract: str):
    """The SYNTHETIC banner when the report uses the synthetic demo extract, else nothing.

    Parameters
    ----------
    uses_synthetic_data : bool
        The report runs on the synthetic demo extract.
    extract : str
        The force extract parameter; empty: none.

    Returns
    -------
    IPython.display.HTML
        The banner, or nothing for real data.
    """
    from sna.reports.display import synthetic_banner

    if uses_synthetic_data and extract:
        return synthetic_banner(text="SYNTHETIC DEMO DATA in part: police.uk figures are real; "
                                "offence-code, domestic-abuse, victim-age and time-of-day "
                                "figures come from a synthetic force extract generated for "
                                "demonstration.")
    return None


def subarea_label(lsoas: pd.DataFrame, *, label: str = "") -> str:
    """The name of the area's sub-areas for headings: ``label`` if given, else their kind.

    Parameters
    ----------
    lsoas : pandas.DataFrame
        The study area's LSOAs with ``district_name``, ``ruc21_code`` and ``usual_residents``.
    label : str, default ""
        The name to use; empty: the sub-areas' kind.

    Returns
    -------
    str

    Examples
    --------
    >>> subarea_label(pd.DataFrame({"subarea_kind": ["ward"]}))
    'ward'
    >>> subarea_label(pd.DataFrame({"subarea_kind": ["ward"]}), label="hub area")
    'hub area'
    """
    if label:
        return label
    if "subarea_kind" in lsoas and len(lsoas):
        return str(lsoas["subarea_kind"].iloc[0])
    return "sub-area"


def like_for_like(study: StudyData, last_month: str) -> tuple[list[str], list[str]]:
    """Months of the latest year and the matching months a year earlier, both with data.

    A month is compared only when both it and the same month a year earlier
    have data, so a gap (e.g. police.uk 2024-05..2024-08) never reads as a fall.

    Parameters
    ----------
    study : StudyData
        The study area's police.uk data with geography (:func:`sna.io.study.load_study`).
    last_month : str
        Last month of the period reported, ``"YYYY-MM"``.

    Returns
    -------
    (list of str, list of str)
        The latest year's months and the same months a year earlier.
    """
    have = set(study.months)
    latest = [m for m in year_months(last_month) if m in have]
    pairs = [(str(pd.Period(m, freq="M") - 12), m) for m in latest]
    kept = [(a, b) for a, b in pairs if a in have]
    return [a for a, _ in kept], [b for _, b in kept]


def svd_crimes(study: StudyData, categories: dict[str, str]) -> pd.DataFrame:
    """Crimes in the police.uk categories that approximate the local SVD definition.

    Parameters
    ----------
    study : StudyData
        The study area's police.uk data with geography (:func:`sna.io.study.load_study`).
    categories : dict
        police.uk category -> what it covers (the ``police_uk_categories`` parameter).

    Returns
    -------
    pandas.DataFrame
        The study's crimes in ``categories``.
    """
    return study.crimes[study.crimes["crime_type"].isin(list(categories))]


def definition(categories: dict[str, str], offence_groups: dict[str, list[str]],
               *, area_name: str = "the area") -> Section:
    """The report's one definition of serious violence, stated once, with the police.uk proxy.

    Parameters
    ----------
    categories : dict
        police.uk category -> what it covers (the ``police_uk_categories`` parameter).
    offence_groups : dict
        The local definition: group heading -> the extract's offence groups.
    area_name : str, default "the area"
        The area's name as printed.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section(anchor="sec-definition", title="Definition of serious violence")
    local = [name[0].lower() + name[1:] for name in offence_groups]
    section.text(f"This assessment uses the {area_name} definition of serious violence: "
                 f"{'; '.join(local)}. Every section uses this one definition.")
    section.text("police.uk publishes only broad categories, so figures from police.uk are a "
                 f"proxy for it, marked 'police.uk proxy': they add {join_words(categories)}. "
                 "'Violence and sexual offences' also holds violence without injury, stalking "
                 "and harassment, so the proxy counts more than the local definition. Figures "
                 "from the force's own crime records use the local definition exactly; in this "
                 "demonstration those records are demo data.")
    table = pd.DataFrame({"police.uk category": list(categories),
                          "How it relates to the local definition": list(categories.values())})
    section.table(table, "police.uk categories in the proxy for serious violence (real data)")
    groups = pd.DataFrame({"Local definition": list(offence_groups),
                           "Force-extract offence groups": [", ".join(v) for v in
                                                            offence_groups.values()]})
    section.table(groups, "Offence groups used with a force extract (Home Office codes)",
                  technical=True)
    return section


def data_quality(study: StudyData, *, extract=None) -> Section:
    """Rows in, used and set aside by reason, and months with no data.

    Parameters
    ----------
    study : StudyData
        The study area's police.uk data with geography (:func:`sna.io.study.load_study`).
    extract : Accounted, optional
        The force extract as read (``inputs.extract``); None: not given.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section(results={"study": study}, anchor="sec-data-quality", title="Data quality")
    quality = study.data_quality()
    section.results["rows"] = quality
    runs = study.missing_months
    section.text(f"police.uk has no data for {month_runs_text(runs)}: those months "
                 "are shown as gaps and left out of totals and comparisons, never counted as "
                 "zero." if runs else "Every month in the period has police.uk data.")
    section.table(quality, "police.uk rows: read, used and set aside by reason", decimals=0,
                  technical=True)
    if runs:
        section.gap(f"police.uk has no data for {month_runs_text(runs)}, so year-on-year "
                    "comparisons use only the months present in both years.",
                    "Ask the force for its own monthly counts for the missing months, so that "
                    "full years can be compared.", topic="violence")
    if extract is not None:
        summary = extract.summary().rename(columns={"measure": "Measure", "rows": "Rows"})
        section.table(summary, "Force extract rows (demo data)", decimals=0, technical=True)
        section.gap("The force's own crime records (offence codes, domestic-abuse flags, "
                    "victim age, time of day) are demo data in this report.",
                    "Agree a data-sharing arrangement with the force for a yearly extract in "
                    "the documented layout, then re-run the report on it.", topic="violence")
    return section


def _monthly_frame(study: StudyData, categories: dict[str, str]) -> pd.DataFrame:
    months = pd.PeriodIndex(study.months, freq="M")
    counts = monthly_counts(months_of(svd_crimes(study, categories)), index=months,
                            missing=study.missing_months)
    return counts.rename("count").rename_axis("period").astype("Float64")


@degrades
def extent_and_trend(study: StudyData, categories: dict[str, str], last_month: str,
                     area_name: str, *, conf: float = 0.95) -> Section:
    """Counts, rates per 1,000 with ranges, the year-on-year change and the seasonal trend.

    Parameters
    ----------
    study : StudyData
        The study area's police.uk data with geography (:func:`sna.io.study.load_study`).
    categories : dict
        police.uk category -> what it covers (the ``police_uk_categories`` parameter).
    last_month : str
        Last month of the period reported, ``"YYYY-MM"``.
    area_name : str
        The area's name as printed in sentences and titles.
    conf : float, default 0.95
        Confidence level of every interval and test.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section(anchor="sec-extent", title="Extent and trend")
    crimes = svd_crimes(study, categories)
    population = float(study.lsoas["usual_residents"].sum())
    latest = year_months(last_month)
    in_year = crimes[crimes["month"].astype(str).isin(latest)]
    by_type = in_year.groupby("crime_type", observed=True).size().rename("count").reset_index()
    rates = rate_ci(by_type["count"], population, multiplier=PER_1000, conf=conf)
    table = pd.concat([by_type, rates[["value", "lower", "upper"]]], axis=1).rename(columns={
        "crime_type": "Category", "count": "Offences", "value": "Per 1,000 residents",
        "lower": "Lower limit", "upper": "Upper limit"})
    months_with_data = [m for m in latest if m in study.months]
    total = int(by_type["count"].sum())
    section.results.update(total=total, unlocated=int((~in_year["located"]).sum()))
    section.table(table, f"{area_name}: serious violence (police.uk proxy) by category, "
                         f"{period_text(months_with_data[0], months_with_data[-1])} "
                         f"({len(months_with_data)} months with data), per 1,000 residents "
                         f"(Census 2021), with {conf_label(conf)} range of likely values",
                  note=f"Total {format_count(total)} offences, including "
                       f"{format_count(section.results['unlocated'])} that police.uk published "
                       "without a "
                       "location (they are left out of the maps and area tables).",
                  decimals=2)
    a_months, b_months = like_for_like(study, last_month)
    month_text_series = pd.Series(crimes["month"].astype(str))
    if not a_months:
        section.unavailable("a year-on-year comparison: the police.uk files hold no months a "
                            "year before the latest year")
        return _short_series_tail(section, study, categories, area_name, month_text_series,
                                  last_month, conf)
    series = _monthly_frame(study, categories)
    section.results["year_on_year"] = None
    if a_months:
        comparison = change_between(series.astype(float), a_months, b_months, conf=conf)
        section.results["year_on_year"] = comparison
        period_b = f"the {len(b_months)} months with data to {month_text(last_month)}"
        period_a = "the same months a year earlier"
        subject = "Serious violence (police.uk proxy)"
        section.text(change_sentence(subject, comparison.count_a, comparison.count_b, period_a,
                                     period_b, comparison.verdict))
        section.finding(change_finding(f"Serious violence in {area_name} (police.uk proxy)",
                                       comparison.count_a, comparison.count_b, period_a,
                                       period_b, comparison.verdict, section=section.anchor,
                                       section_title=section.title, topic="violence",
                                       lead=True, ratio=comparison.rate_ratio))
        technical_subject = "Serious-violence-related offences (police.uk)"
        earlier = f"the same {len(a_months)} months a year earlier"
        section.technical(describe_change(comparison, subject=technical_subject,
                                          period_a=earlier,
                                          period_b=f"{len(b_months)} months to {last_month}"))
        section.technical(change_note(comparison, subject=technical_subject))
    else:
        section.text("No year-on-year comparison is possible: no month of the latest year has "
                     "data for the same month a year earlier.")
    chart_frame = series.rename("count").reset_index()
    section.figure(charts.monthly_counts_chart(
        chart_frame, title=f"Serious violence (police.uk proxy) by month, {area_name}, "
                           f"{period_text(study.months[0], study.months[-1])}",
        source=POLICE_UK_SOURCE))
    reason = seasonal_model_reason(series.astype(float))
    section.results["seasonal_reason"] = reason
    if reason is not None:
        section.results["seasonal_trend"] = None
        judged = (" The year-on-year change above is judged without it, allowing for the "
                  "month-to-month variation of the series." if a_months else "")
        section.text(reason + judged)
        section.technical(series_variation(series.astype(float)).note)
        return section
    trend = seasonal_trend(series.astype(float), conf=conf)
    section.results["seasonal_trend"] = trend
    section.text(trend_sentence(trend, "offences"))
    section.text(seasonality_sentence(trend, "offences", alpha=1 - conf))
    section.technical(describe_trend(trend, subject="Serious-violence-related offences"))
    section.technical(trend_note(trend))
    section.technical(describe_seasonality(trend, subject="serious-violence-related offences"))
    section.technical(seasonality_note(trend))
    for note in trend.notes:
        section.technical(note)
    return section


def lsoa_counts(study: StudyData, crimes: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """Counts per LSOA of the study area (zeros included) with population and profile.

    Parameters
    ----------
    study : StudyData
        The study area's police.uk data with geography (:func:`sna.io.study.load_study`).
    crimes : pandas.DataFrame
        The crimes counted (:func:`svd_crimes`).
    months : list of str
        The months counted, ``"YYYY-MM"``.

    Returns
    -------
    pandas.DataFrame
        One row per LSOA with ``count``, ``population`` and the LSOA's profile.
    """
    selected = crimes[crimes["month"].astype(str).isin(months) & crimes["located"]]
    counts = selected.groupby("lsoa_code").size().rename("count")
    lsoas = study.lsoas.set_index("lsoa21_code")
    out = lsoas.join(counts).reset_index()
    out["count"] = out["count"].fillna(0).astype(int)
    return out.rename(columns={"usual_residents": "population"})


def _short_series_tail(section: Section, study: StudyData, categories: dict[str, str],
                       area_name: str, month_text_series: pd.Series, last_month: str,
                       conf: float) -> Section:
    """Quarter-on-quarter comparison, the monthly chart and the reason for no seasonal model."""
    latest = year_months(last_month, months=3)
    before = year_months(str(pd.Period(last_month, freq="M") - 3), months=3)
    series = _monthly_frame(study, categories)
    if all(m in study.months for m in latest + before):
        quarter = change_between(series.astype(float), before, latest, conf=conf)
        section.results["quarter_on_quarter"] = quarter
        section.text(change_sentence("Serious violence (police.uk proxy)", quarter.count_a,
                                     quarter.count_b, period_text(before[0], before[-1]),
                                     period_text(latest[0], latest[-1]), quarter.verdict))
        section.technical(describe_change(quarter, subject="Serious-violence-related offences "
                                          "(police.uk)", period_a=f"{before[0]} to {before[-1]}",
                                          period_b=f"{latest[0]} to {latest[-1]}"))
        section.technical(change_note(quarter,
                                      subject="Serious-violence-related offences (police.uk)"))
    section.figure(charts.monthly_counts_chart(
        series.rename("count").reset_index(),
        title=f"Serious violence (police.uk proxy) by month, {area_name}, "
              f"{period_text(study.months[0], study.months[-1])}", source=POLICE_UK_SOURCE))
    reason = seasonal_model_reason(series.astype(float))
    if reason is not None:
        section.unavailable(f"a seasonal model. {reason} Changes are judged by comparing "
                            "whole periods instead, allowing for the month-to-month "
                            "variation of the series.")
    return section


def _ratio_table(section: Section, ratios: pd.DataFrame, unit: str, reference: str) -> None:
    """The table of rurality-standardised ratios (:func:`sna.stats.rurality.rurality_ratios`)."""
    section.table(ratios[["area", "observed", "expected", "value", "lower", "upper"]].rename(
        columns={"area": unit, "observed": "Offences", "expected": "Expected",
                 "value": "Offences / expected", "lower": "Lower limit",
                 "upper": "Upper limit"}),
        f"Offences against the number expected from {reference} in each rural-urban class "
        "(1 = as expected)", decimals={"Expected": 0, "Offences / expected": 2,
                                       "Lower limit": 2, "Upper limit": 2})


@degrades
def where(study: StudyData, categories: dict[str, str], last_month: str, area_name: str,
          policy: DisclosurePolicy, *, conf: float = 0.95, boundaries=None,
          subarea_name: str = "") -> Section:
    """Sub-area and rural-urban rates, neighbourhood map and funnel plot, repeat places.

    ``subarea_name`` names the sub-areas in headings (default: their kind, e.g. "ward").

    Parameters
    ----------
    study : StudyData
        The study area's police.uk data with geography (:func:`sna.io.study.load_study`).
    categories : dict
        police.uk category -> what it covers (the ``police_uk_categories`` parameter).
    last_month : str
        Last month of the period reported, ``"YYYY-MM"``.
    area_name : str
        The area's name as printed in sentences and titles.
    policy : DisclosurePolicy
        The rule for suppressing small counts in published tables and charts.
    conf : float, default 0.95
        Confidence level of every interval and test.
    boundaries : GeoDataFrame, optional
        LSOA 2021 boundaries for the map; None: no map.
    subarea_name : str, default ""
        What the sub-areas are called in headings; empty: their kind (e.g. "ward").

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    from sna.stats.rurality import rates_by_rurality

    section = Section(anchor="sec-where", title="Where: sub-areas, rurality and neighbourhoods")
    unit = subarea_label(study.lsoas, label=subarea_name)
    unit_title = unit[:1].upper() + unit[1:]
    months = [m for m in year_months(last_month) if m in study.months]
    span = period_text(months[0], months[-1])
    lsoas = lsoa_counts(study, svd_crimes(study, categories), months)
    section.results["lsoas"] = lsoas
    districts = group_rates(lsoas, "district_name", multiplier=PER_1000, conf=conf)
    benchmark = districts.attrs["benchmark"]
    districts = districts.sort_values("value", ascending=False).reset_index(drop=True)
    section.results["districts"] = districts
    shown = districts.rename(columns={"district_name": "label"})
    section.figure(charts.rates_ci_chart(
        shown[["label", "value", "lower", "upper", "comparison"]], benchmark=benchmark,
        title=f"Serious violence (police.uk proxy) per 1,000 residents by {unit}, "
              f"{area_name}, {span}",
        source=POLICE_UK_SOURCE + "; ONS Census 2021", x_title="Offences per 1,000 residents",
        conf=conf, benchmark_label=area_name))
    higher = districts.loc[districts["comparison"] == "higher", "district_name"].tolist()
    lower = districts.loc[districts["comparison"] == "lower", "district_name"].tolist()
    parts = []
    if higher:
        parts.append(f"clearly higher than across {area_name} as a whole in "
                     f"{join_words(higher)}")
    if lower:
        parts.append(f"clearly lower in {join_words(lower)}")
    section.text(f"Rates of serious violence (police.uk proxy), {span}, were "
                 + ("; ".join(parts) if parts else f"not clearly different between {unit}s")
                 + f" (area rate {format_rate(benchmark)} per 1,000 residents).")
    top = districts.iloc[0]
    section.finding(highest_rate_finding(
        f"{top['district_name']} had the highest rate of serious violence (police.uk proxy)",
        top["value"], benchmark, top["comparison"], unit="offences per 1,000 residents",
        area_name=area_name, section=section.anchor, section_title=section.title,
        topic="places"))
    section.table(districts.rename(columns={
        "district_name": unit_title, "count": "Offences", "population": "Residents",
        "value": "Per 1,000 residents", "lower": "Lower limit", "upper": "Upper limit",
        "comparison": f"Compared with {area_name}"}),
        f"Serious violence (police.uk proxy) by {unit}, {span} ({len(districts)} in "
        f"{area_name})", note="Offences with a map location only, so the total is "
        f"{format_count(int(districts['count'].sum()))}, a little below the extent table's total.",
        decimals=2)
    by_class = rates_by_rurality(
        lsoas.assign(ruc21_code=lsoas["ruc21_code"].astype(str)), ruc_column="ruc21_code",
        multiplier=PER_1000, conf=conf)
    section.results["rurality_rates"] = by_class
    section.table(by_class[["ruc_label", "count", "population", "value", "lower", "upper"]].rename(
        columns={"ruc_label": "Rural-urban class", "count": "Offences",
                 "population": "Residents", "value": "Per 1,000 residents",
                 "lower": "Lower limit", "upper": "Upper limit"}),
        f"Serious violence (police.uk proxy) per 1,000 residents by rural-urban class, {span}",
        decimals=2)
    ratios = rurality_ratios(lsoas, by="district_name", conf=conf)
    section.results["rurality_ratios"] = ratios
    more = ratios.loc[ratios["lower"] > 1, "area"].tolist()
    fewer = ratios.loc[ratios["upper"] < 1, "area"].tolist()
    section.text(f"Allowing for how rural or urban each {unit} is, "
                 + (f"{join_words(more)} still had clearly more offences than expected"
                    if more else f"no {unit} had clearly more offences than expected")
                 + (f", and {join_words(fewer)} clearly fewer." if fewer else "."))
    _ratio_table(section, ratios, unit_title, "the area's rate")
    section.technical("Rurality-standardised ratio: indirect standardisation by Rural-Urban "
                      "Classification 2021 class, the reference being the whole study area; "
                      "see sna/stats/methods_rurality.md.")
    hidden = lsoa_hidden(lsoas, policy)
    section.results["lsoa_hidden"] = hidden
    _lsoa_views(section, lsoas, policy, conf, area_name, boundaries, span, hidden,
                unit_title=unit_title)
    _repeat_locations(section, study, categories, months, policy)
    return section


def lsoa_hidden(lsoas: pd.DataFrame, policy: DisclosurePolicy) -> pd.Series:
    """LSOAs whose count is published nowhere (tables, funnel, map), across all totals shown.

    Districts, rural-urban classes and the whole area are published with their counts,
    so an LSOA suppressed alone in one of them could be worked out by subtraction from
    the LSOAs drawn; :func:`sna.stats.disclosure.protect_published` suppresses more
    until none can.

    Parameters
    ----------
    lsoas : pandas.DataFrame
        The study area's LSOAs with ``district_name``, ``ruc21_code`` and ``usual_residents``.
    policy : DisclosurePolicy
        The rule for suppressing small counts in published tables and charts.

    Returns
    -------
    pandas.Series of bool
        True for an LSOA whose count is hidden everywhere.

    Examples
    --------
    >>> df = pd.DataFrame({"district_name": ["a", "a", "a"], "ruc21_code": ["x", "x", "x"],
    ...                    "count": [2, 30, 40]})
    >>> lsoa_hidden(df, DisclosurePolicy(min_count=5)).tolist()
    [True, True, False]
    """
    frame = lsoas.reset_index(drop=True)
    sums: dict[str, list[int]] = {"area": list(range(len(frame)))}
    for column in ("district_name", "ruc21_code"):
        if column in frame:
            for key, rows in frame.groupby(frame[column].astype(str)).indices.items():
                sums[f"{column} {key}"] = list(rows)
    mask, _ = protect_published(frame["count"].to_numpy(), sums, policy)
    return pd.Series(mask, index=lsoas.index, name="hidden")


def _lsoa_views(section: Section, lsoas: pd.DataFrame, policy: DisclosurePolicy, conf: float,
                area_name: str, boundaries, span: str = "",
                hidden: pd.Series | None = None, *, unit_title: str = "Sub-area") -> None:
    from sna.stats.funnels import funnel_dispersion, funnel_limits, funnel_significance

    if hidden is None:
        hidden = lsoa_hidden(lsoas, policy)
    rates = rate_ci(lsoas["count"], lsoas["population"], multiplier=PER_1000, conf=conf)
    table = pd.concat([lsoas[["lsoa21_code", "lsoa21_name", "district_name", "count",
                              "population"]], rates[["value", "lower", "upper"]]], axis=1)
    top = table.sort_values("value", ascending=False).head(10)
    top_hidden = hidden.loc[top.index].to_numpy()
    top = publish_counts(top.reset_index(drop=True), ["count"], policy,
                         derived=["value", "lower", "upper"])
    top[["count", "value", "lower", "upper"]] = top[["count", "value", "lower", "upper"]].astype(
        "Float64").mask(pd.DataFrame({c: top_hidden for c in ("count", "value", "lower",
                                                               "upper")}).to_numpy())
    section.table(top.rename(columns={"lsoa21_name": "Neighbourhood (LSOA)",
                                      "district_name": unit_title, "count": "Offences",
                                      "population": "Residents", "value": "Per 1,000 residents",
                                      "lower": "Lower limit",
                                      "upper": "Upper limit"}).drop(columns="lsoa21_code"),
                  f"The ten neighbourhoods with the highest rates, {span} (town centres have "
                  "few residents but many visitors: see the funnel plot)", decimals=1)
    baseline = lsoas["count"].sum() / lsoas["population"].sum() * PER_1000
    dispersion = funnel_dispersion(lsoas["count"], lsoas["population"], "rate",
                                   multiplier=PER_1000, baseline=baseline)
    sig = funnel_significance(lsoas["count"], lsoas["population"], "rate",
                              multiplier=PER_1000, baseline=baseline, dispersion=dispersion)
    points = pd.DataFrame({"label": lsoas["lsoa21_name"], "denominator": lsoas["population"],
                           "value": sig["value"], "significance": sig["significance"]})
    points = publish_counts(points.assign(count=lsoas["count"].to_numpy()), ["count"], policy,
                            derived=["value"])
    points = points[~hidden.to_numpy()].dropna(subset=["value"]).drop(columns="count")
    grid = pd.Series(sorted(set(
        pd.Series(lsoas["population"]).quantile([0, .25, .5, .75, 1]).round().tolist())))
    limits = funnel_limits(pd.Series(range(int(grid.min()), int(grid.max()) + 1, 50)), "rate",
                           multiplier=PER_1000, baseline=baseline, dispersion=dispersion)
    section.results.update(funnel=sig, funnel_dispersion=dispersion)
    section.figure(charts.funnel_chart(
        points, limits[["denominator", "lower_95", "upper_95", "lower_99_8", "upper_99_8"]],
        baseline, title=f"Neighbourhood rates against population, {area_name}, {span}",
        source=POLICE_UK_SOURCE + "; ONS Census 2021", x_title="Residents (Census 2021)",
        y_title="Offences per 1,000 residents"), caption=_funnel_caption(dispersion))
    counts = sig["significance"].value_counts()
    high = int(counts.get("High (0.001)", 0))
    section.text(f"{high} of {len(lsoas)} neighbourhoods have rates well above what chance "
                 "would explain for their size, after allowing for how much neighbourhoods "
                 "usually differ from one another; most are town-centre neighbourhoods with few "
                 "residents and many visitors.")
    section.technical(funnel_sentence(sig, dispersion))
    section.technical(dispersion.method)
    if boundaries is not None:
        _map_and_hotspots(section, lsoas, rates, boundaries, policy, area_name, span, hidden)


def _funnel_caption(dispersion) -> str:
    if dispersion.adjustment == "none":
        return ("The lines show how far a neighbourhood's rate can differ from the area-wide "
                "rate by chance alone, for its number of residents.")
    return ("Neighbourhoods differ from one another about "
            f"{format_statistic(dispersion.phi, decimals=1)} times as much "
            "as chance alone would make them, so the lines allow for that usual spread; a "
            "point outside them differs by more than that.")


def funnel_sentence(significance: pd.DataFrame, dispersion) -> str:
    """How many LSOAs lie above the funnel's limits, against the limits actually drawn.

    Parameters
    ----------
    significance : pandas.DataFrame
        Each LSOA's position against the limits (:func:`sna.stats.funnels.funnel_significance`).
    dispersion : FunnelDispersion
        The over-dispersion check behind the limits (:func:`sna.stats.funnels.funnel_dispersion`).

    Returns
    -------
    str

    Examples
    --------
    >>> from sna.stats.funnels import funnel_dispersion, funnel_significance
    >>> d = funnel_dispersion([5, 9, 30, 4], [1000, 1500, 1200, 900], "rate", multiplier=1000)
    >>> sig = funnel_significance([5, 9, 30, 4], [1000, 1500, 1200, 900], "rate",
    ...                           multiplier=1000, dispersion=d)
    >>> funnel_sentence(sig, d)
    'The LSOAs vary more than chance alone would make them (about 6.8 times as much), so the limits allow for that: 0 of 4 LSOAs are above the 99.8% limit and 0 more above the 95% limit.'
    """  # noqa: E501
    counts = significance["significance"].value_counts()
    n = len(significance)
    above = (f"{counts.get('High (0.001)', 0)} of {n} LSOAs are above the 99.8% limit and "
             f"{counts.get('High (0.025)', 0)} more above the 95% limit")
    if dispersion.adjustment != "none":
        return (f"The LSOAs vary more than chance alone would make them (about "
                f"{format_statistic(dispersion.phi, decimals=1)} times as much), so the limits "
                f"allow for that: {above}.")
    return (f"{above[0].upper()}{above[1:]} (the LSOAs vary no more than chance alone would "
            "make them, so the limits are the exact Poisson ones around the area-wide rate).")


def _map_and_hotspots(section: Section, lsoas: pd.DataFrame, rates: pd.DataFrame, boundaries,
                      policy: DisclosurePolicy, area_name: str, span: str = "",
                      hidden: pd.Series | None = None) -> None:
    from sna.stats.hotspots import getis_ord_hotspots

    if hidden is None:
        hidden = lsoa_hidden(lsoas, policy)
    gdf = boundaries.merge(lsoas[["lsoa21_code", "count"]].assign(
        rate=rates["value"].to_numpy(), hidden=hidden.to_numpy()), on="lsoa21_code")
    published = publish_counts(gdf.drop(columns=["geometry", "hidden"]), ["count"], policy,
                               derived=["rate"])
    gone = published["count"].isna().to_numpy() | gdf["hidden"].to_numpy()
    gdf = gdf[["lsoa21_code", "lsoa21_name", "geometry"]].assign(
        rate=published["rate"].astype("Float64").mask(gone).to_numpy(), suppressed=gone)
    section.results["map_suppressed"] = int(gdf["suppressed"].sum())
    section.figure(charts.choropleth(
        gdf, "rate", label_col="lsoa21_name", suppressed_col="suppressed",
        title=f"Serious violence (police.uk proxy) per 1,000 residents by neighbourhood, "
              f"{area_name}, {span}",
        source=POLICE_UK_SOURCE + "; ONS boundaries (OGL)", legend_title="Per 1,000 residents"))
    hot = getis_ord_hotspots(gdf.assign(rate=rates["value"].to_numpy()), "rate")
    section.results["hotspots"] = hot
    counts = hot["hotspot"].value_counts()
    hot_n, cold_n = counts.get("hot spot", 0), counts.get("cold spot", 0)
    section.text(f"{format_count(hot_n)} neighbourhoods form hotspots (clusters of "
                 f"neighbouring areas with high rates) and {format_count(cold_n)} "
                 "form clusters with low rates.")
    summary = counts.rename_axis("Classification").reset_index(name="LSOAs")
    section.table(summary, "Getis-Ord Gi* hotspots of LSOA rates (queen contiguity, 999 "
                           "permutations, p < 0.05)", decimals=0, technical=True)


def _repeat_locations(section: Section, study: StudyData, categories: dict[str, str],
                      months: list[str], policy: DisclosurePolicy) -> None:
    crimes = svd_crimes(study, categories)
    crimes = crimes[crimes["month"].astype(str).isin(months) & crimes["located"]]
    places = (crimes.groupby(["location", "lsoa_name"]).size().rename("count")
              .sort_values(ascending=False).head(10).reset_index())
    places = publish_counts(places, ["count"], policy)
    places["location"] = [snap_point_name(loc) for loc in places["location"]]
    section.table(places.rename(columns={"location": "Map point", "lsoa_name": "Neighbourhood",
                                         "count": "Offences"}),
                  "Repeat locations: the ten police.uk map points with most offences "
                  "(police.uk moves each offence to a nearby anonymous point, not an address)",
                  note="'Unnamed point' is a police.uk map point with no street name (open "
                       "land, a car park or a path).", decimals=0)


@degrades
def drivers(study: StudyData, categories: dict[str, str], last_month: str,
            *, conf: float = 0.95) -> Section:
    """Rates by deprivation decile (IMD 2025) and the gradient.

    Parameters
    ----------
    study : StudyData
        The study area's police.uk data with geography (:func:`sna.io.study.load_study`).
    categories : dict
        police.uk category -> what it covers (the ``police_uk_categories`` parameter).
    last_month : str
        Last month of the period reported, ``"YYYY-MM"``.
    conf : float, default 0.95
        Confidence level of every interval and test.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    from sna.stats.deprivation import imd_gradient, rates_by_imd_decile

    section = Section(anchor="sec-drivers", title="Drivers: deprivation")
    months = [m for m in year_months(last_month) if m in study.months]
    lsoas = lsoa_counts(study, svd_crimes(study, categories), months)
    welsh = lsoas["imd_decile"].isna()
    if welsh.all():
        raise NotAvailable("the area's LSOAs are in Wales, and the shipped Index of Multiple "
                           "Deprivation (IMD 2025) covers England only (Wales has its own "
                           "index, WIMD, not shipped)", fix="add WIMD to use this section")
    if welsh.any():
        section.note(f"{format_count(welsh.sum())} Welsh LSOAs have no IMD 2025 (England "
                     "only) and are left out of this section.")
        lsoas = lsoas[~welsh]
    rates = rates_by_imd_decile(lsoas, conf=conf)
    gradient = imd_gradient(lsoas, conf=conf)
    section.results.update(imd_rates=rates, gradient=gradient)
    shown = rates.assign(label="Decile " + rates["imd_decile"].astype(str))
    section.figure(charts.rates_ci_chart(
        shown[["label", "value", "lower", "upper"]],
        title=f"Serious violence (police.uk proxy) per 1,000 residents by deprivation decile "
              f"(1 = most deprived), {period_text(months[0], months[-1])}",
        source=POLICE_UK_SOURCE + "; MHCLG IoD2025; ONS Census 2021",
        x_title="Offences per 1,000 residents", conf=conf))
    clear = gradient.p_value < 1 - conf
    step = abs(1 - gradient.rate_ratio) * 100
    most, least = rates.iloc[0], rates.iloc[-1]
    if clear:
        direction = "fewer" if gradient.rate_ratio < 1 else "more"
        sentence = (f"Serious violence (police.uk proxy) is concentrated in deprived "
                    f"neighbourhoods: each step from the most to the least deprived tenth has "
                    f"about {format_percent(step, decimals=0)} {direction} offences per resident "
                    f"({format_rate(most['value'])} per 1,000 residents in deprivation decile "
                    f"{int(most['imd_decile'])}, {format_rate(least['value'])} in decile "
                    f"{int(least['imd_decile'])}): a clear pattern.")
    else:
        sentence = ("Rates of serious violence (police.uk proxy) do not clearly differ "
                    "between more and less deprived neighbourhoods: no clear pattern.")
    section.text(sentence)
    section.finding(Finding(sentence, "clear pattern" if clear else "no clear pattern",
                            section.anchor, section.title,
                            size=(ratio_size(most["value"] / least["value"]) if least["value"]
                                  else 1),
                            certainty=1.0 if clear else 0.4, topic="deprivation"))
    section.technical(gradient.sentence("Serious-violence-related offence"))
    return section


def rates_a_year(by: pd.DataFrame, *, conf: float = 0.95) -> tuple[pd.DataFrame, float]:
    """Rates per 1,000 residents a year of areas with different months of data.

    Parameters
    ----------
    by : DataFrame
        ``area, count, population, months`` (months of data behind each count).
    conf : float, default 0.95

    Returns
    -------
    (DataFrame, float)
        ``by`` with ``value, lower, upper`` (:func:`sna.stats.rates.rates_against_total` on
        residents x months / 12) and ``comparison`` with the pooled rate (Fingertips
        single overlap), and the pooled rate a year.

    Examples
    --------
    >>> by = pd.DataFrame({"area": ["A", "B"], "count": [120, 120],
    ...                    "population": [10_000, 10_000], "months": [6, 12]})
    >>> table, pooled = rates_a_year(by)
    >>> table["value"].tolist(), round(pooled, 1)
    ([24.0, 12.0], 16.0)
    """
    person_years = by["population"] * by["months"] / 12
    rates = rates_against_total(pd.Series(by["count"].to_numpy()),
                                pd.Series(person_years.to_numpy(dtype=float)),
                                multiplier=PER_1000, conf=conf)
    parts = rates.iloc[:-1]
    table = by.reset_index(drop=True).assign(**{
        column: parts[column].to_numpy() for column in ("value", "lower", "upper",
                                                        "comparison")})
    return table, float(rates["value"].iloc[-1])


def neighbour_comparison(forces: dict[str, dict], last_month: str, categories: dict[str, str],
                         *, conf: float = 0.95, area_force: str | None = None) -> Section:
    """Force rates per 1,000 against the neighbours' pooled rate, crude and rurality-standardised.

    ``forces`` maps a force name to ``{"police_uk": folder, "pfa24_code": code}``. Forces
    may have different months of data, so every rate is per 1,000 residents a year
    (residents x months of data / 12 as the denominator), and the rurality-standardised
    ratios use the same person-years.

    Parameters
    ----------
    forces : dict
        Force name -> ``{"police_uk": folder, "pfa24_code": code}``.
    last_month : str
        Last month of the period reported, ``"YYYY-MM"``.
    categories : dict
        police.uk category -> what it covers (the ``police_uk_categories`` parameter).
    conf : float, default 0.95
        Confidence level of every interval and test.
    area_force : str, optional
        The area's own force, named first.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    from sna.io.study import load_study
    from sna.stats.rurality import rurality_standardised_ratio

    section = Section(anchor="sec-neighbours", title="Comparison with neighbouring forces")
    months = year_months(last_month)
    span = period_text(months[0], months[-1])
    lsoa_frames = []
    for name, spec in forces.items():
        study = load_study(spec["police_uk"], pfa24_code=spec["pfa24_code"], forces=[name],
                           first_month=months[0], last_month=months[-1])
        lsoas = lsoa_counts(study, svd_crimes(study, categories), study.months)
        lsoa_frames.append(lsoas.assign(area=name, months=len(study.months)))
    lsoas = pd.concat(lsoa_frames, ignore_index=True)
    by = lsoas.groupby("area").agg(count=("count", "sum"), population=("population", "sum"),
                                   months=("months", "first")).reset_index()
    table, pooled = rates_a_year(by, conf=conf)
    data = lsoas.assign(ruc21_code=lsoas["ruc21_code"].astype(str),
                        population=lsoas["population"] * lsoas["months"] / 12)
    ratios = rurality_standardised_ratio(data, data, ruc_column="ruc21_code", area="area",
                                         conf=conf)
    section.results.update(force_rates=table, force_ratios=ratios, pooled=pooled)
    section.figure(charts.rates_ci_chart(
        table.rename(columns={"area": "label"})[["label", "value", "lower", "upper",
                                                 "comparison"]],
        benchmark=pooled, title=f"Serious violence (police.uk proxy) per 1,000 residents a "
                                f"year, {join_words(by['area'])}, {span}",
        source=POLICE_UK_SOURCE + "; ONS Census 2021",
        x_title="Offences per 1,000 residents a year", conf=conf,
        benchmark_label=f"{len(by)} forces combined"))
    focus = area_force if area_force in set(table["area"]) else table["area"].iloc[0]
    row = table.set_index("area").loc[focus]
    ratio_row = ratios.set_index("area").loc[focus]
    verdict = {"higher": "higher", "lower": "lower"}.get(row["comparison"], "similar")
    adjusted = ("clearly higher" if ratio_row["lower"] > 1 else "clearly lower"
                if ratio_row["upper"] < 1 else "not clearly different")
    sentence = (f"{focus}'s rate of serious violence (police.uk proxy), "
                f"{format_rate(row['value'])} per 1,000 residents a year, is "
                f"{strength(verdict)} than "
                f"the {len(by)} forces' combined rate ({format_rate(pooled)}); allowing for how "
                f"rural each force area is, it is still {adjusted}.")
    section.text(sentence)
    section.finding(Finding(sentence, strength(verdict), section.anchor, section.title,
                            size=ratio_size(row["value"] / pooled),
                            certainty=CERTAINTY.get(strength(verdict), 0.4), topic="comparison"))
    section.table(table.rename(columns={"area": "Force", "count": "Offences",
                                        "population": "Residents", "months": "Months of data",
                                        "value": "Per 1,000 residents a year",
                                        "lower": "Lower limit",
                                        "upper": "Upper limit",
                                        "comparison": "Compared with the forces combined"}),
                  f"Force rates compared with the forces' combined rate, {span}",
                  note="Force totals count offences with a map location in the force area, so "
                       "they differ from the study-area totals elsewhere in this report (a "
                       "different area and no unlocated offences). Rates are a year: residents x "
                       "months of data / 12.", decimals=2)
    _ratio_table(section, ratios, "Force", "the combined rate")
    section.technical("Force rates are compared with the pooled rate by the Fingertips "
                      "single-overlap rule; the second table is the rurality-standardised "
                      "ratio (indirect standardisation by Rural-Urban Classification 2021 "
                      "class).")
    return section


SYNTHETIC_NOTE = ("Demo data: the figures in this section come from a synthetic force extract "
                  "generated from published totals; they are not real offences.")
EXTRACT_SOURCE = "SYNTHETIC demo force extract (sna demo-data)"
AGE_BANDS = {"0-15": "age6_0_15", "16-24": "age6_16_24", "25-34": "age6_25_34",
             "35-49": "age6_35_49", "50-64": "age6_50_64", "65+": "age6_65_plus"}
PRIORITIES = {
    "Possession and use of weapons": "weapon_possession",
    "Robbery (knife flag not held: all robbery)": "robbery",
    "Night-time economy violence (violence with injury, Fri/Sat 20:00-03:59)": "nte",
    "VAWG and serious sexual offences (female victims)": "vawg",
    "Domestic abuse (DA flag)": "da",
}
PRIORITY_TOPICS = {"weapon_possession": "weapons", "robbery": "robbery",
                   "nte": "night_time_economy", "vawg": "vawg", "da": "domestic_abuse"}
REAL_PRIORITY_CATEGORIES = {"weapon_possession": "Possession of weapons", "robbery": "Robbery"}
LOCAL_DEFINITION_GROUPS = ("homicide", "violence_with_injury", "rape_sexual",
                           "weapon_possession", "arson_endangering_life")
"""Force-extract offence groups of the local definition (with any offence flagged DA)."""


def priority_mask(offences: pd.DataFrame, indicator: str) -> pd.Series:
    """Rows of a force extract that count towards one SVD response-priority indicator.

    Parameters
    ----------
    offences : pandas.DataFrame
        The force extract's clean rows (:func:`sna.io.extract.read_force_extract`).
    indicator : str
        The indicator, e.g. ``"vawg"``, ``"da"``, ``"weapons"``.

    Returns
    -------
    pandas.Series of bool

    Examples
    --------
    >>> df = pd.DataFrame({"svd_group": ["robbery", "rape_sexual"], "victim_sex": ["M", "F"],
    ...                    "da_flag": [False, True], "offence_date": pd.to_datetime(
    ...                    ["2025-01-03", "2025-01-04"]), "offence_time": ["21:00", "10:00"]})
    >>> priority_mask(df, "vawg").tolist(), priority_mask(df, "da").tolist()
    ([False, True], [False, True])
    """
    if indicator == "da":
        return offences["da_flag"].astype(bool)
    if indicator == "vawg":
        return (offences["svd_group"] == "rape_sexual") & (offences["victim_sex"] == "F")
    if indicator == "nte":
        hour = pd.to_numeric(offences["offence_time"].astype(str).str[:2], errors="coerce")
        day = offences["offence_date"].dt.day_of_week
        friday_saturday_night = ((day.isin([4, 5]) & (hour >= 20)) |
                                 (day.isin([5, 6]) & (hour < 4)))
        return (offences["svd_group"] == "violence_with_injury") & friday_saturday_night
    return offences["svd_group"] == indicator


@degrades
def priorities(offences: pd.DataFrame, population: float, last_month: str,
               *, conf: float = 0.95, study: StudyData | None = None) -> Section:
    """The five SVD response priorities as indicators: latest 12 months against the previous 12.

    Where police.uk holds the same offences (robbery, weapon possession) and ``study`` is
    given, the real police.uk figure leads and the force-extract figure is marked demo.

    Parameters
    ----------
    offences : pandas.DataFrame
        The force extract's clean rows (:func:`sna.io.extract.read_force_extract`).
    population : float
        Residents of the study area (Census 2021).
    last_month : str
        Last month of the period reported, ``"YYYY-MM"``.
    conf : float, default 0.95
        Confidence level of every interval and test.
    study : StudyData, optional
        police.uk data; where it holds the same offences its figure leads.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    if offences is None:
        raise NotAvailable(NO_EXTRACT, fix="set 'extract' to the force's extract")
    section = Section(anchor="sec-priorities", title="Response priorities")
    section.note(SYNTHETIC_NOTE)
    latest, previous = year_months(last_month), year_months(
        str(pd.Period(last_month, freq="M") - 12))
    if not offences["month"].astype(str).isin(previous).any():
        raise NotAvailable(f"the force extract holds no offences in {previous[0]} to "
                           f"{previous[-1]}, so the priorities' change over the latest year "
                           "cannot be measured", fix="use an extract covering two years")
    period_a, period_b = period_text(previous[0], previous[-1]), period_text(latest[0],
                                                                             latest[-1])
    months = offences["month"].astype("period[M]")
    index = pd.period_range(months.min(), months.max(), freq="M")
    if str(index.min()) > previous[0] or str(index.max()) < latest[-1]:
        section.text(f"Not available: the comparison needs the extract's months {previous[0]} "
                     f"to {latest[-1]}, and it covers {index.min()} to {index.max()} (months "
                     "without data are not zero).")
        return section
    rows, technical = [], []
    for label, indicator in PRIORITIES.items():
        topic = PRIORITY_TOPICS[indicator]
        real = REAL_PRIORITY_CATEGORIES.get(indicator)
        a_months, b_months = like_for_like(study, last_month) if study is not None else ([], [])
        if real is not None and a_months and b_months:
            comparison = change_between(_monthly_frame(study, {real: ""}).astype(float),
                                        a_months, b_months, conf=conf)
            pa, pb = "the same months a year earlier", f"the {len(b_months)} months with data"
            rows.append({"Priority": label, "Source": "police.uk (real)",
                         "Earlier": comparison.count_a, "Later": comparison.count_b,
                         "Months compared": len(b_months),
                         "Change": strength(comparison.verdict, count_a=comparison.count_a,
                                            count_b=comparison.count_b)})
            section.text(change_sentence(f"{real} (police.uk, real)", comparison.count_a,
                                         comparison.count_b, pa, f"{pb} to "
                                         f"{month_text(last_month)}", comparison.verdict))
            section.finding(change_finding(f"{real} (police.uk, real)", comparison.count_a,
                                           comparison.count_b, pa, f"{pb} to "
                                           f"{month_text(last_month)}", comparison.verdict,
                                           section=section.anchor, section_title=section.title,
                                           topic=topic, ratio=comparison.rate_ratio))
            technical.append(describe_change(comparison, subject=f"{real} (police.uk)",
                                             period_a=f"{len(a_months)} months a year earlier",
                                             period_b=f"{len(b_months)} months to {last_month}"))
            technical.append(change_note(comparison, subject=f"{real} (police.uk)"))
        mask = priority_mask(offences, indicator).to_numpy()
        monthly = monthly_counts(months[mask], index=index).astype(float)
        comparison = change_between(monthly, previous, latest, conf=conf)
        a, b = comparison.count_a, comparison.count_b
        rows.append({"Priority": label, "Source": "force extract (demo)", "Earlier": a,
                     "Later": b, "Months compared": len(latest),
                     "Change": strength(comparison.verdict, count_a=a, count_b=b)})
        subject = f"{label} (demo data)"
        section.text(change_sentence(subject, a, b, period_a, period_b, comparison.verdict))
        section.finding(change_finding(label, a, b, period_a, period_b, comparison.verdict,
                                       section=section.anchor, section_title=section.title,
                                       topic=topic, demo=True, ratio=comparison.rate_ratio))
        technical.append(describe_change(comparison, subject=f"{label} (synthetic extract)",
                                         period_a=f"{previous[0]} to {previous[-1]}",
                                         period_b=f"{latest[0]} to {latest[-1]}"))
        technical.append(change_note(comparison, subject=f"{label} (synthetic extract)"))
    table = pd.DataFrame(rows)
    section.results["priorities"] = table
    section.table(table, f"The partnership's response priorities: offences in {period_b} "
                         f"against the year before; real police.uk figures first where they "
                         "exist", note="Where police.uk and the demo force extract both count "
                         "an offence, the real police.uk figure leads; police.uk compares only "
                         "the months it has data for in both years.")
    section.note("police.uk does not record whether a robbery involved a knife, so robbery "
                 "with a knife cannot be reported until the force's own records are used.")
    section.gap("Knife or bladed-article involvement is not in police.uk data, so the priority "
                "'reduce robbery with a knife' cannot be measured.",
                "Ask the force to include its knife-crime flag in the yearly extract.",
                topic="weapons")
    for sentence in technical:
        section.technical(sentence)
    return section


@degrades
def victims_by_age(offences: pd.DataFrame, lsoa_population: pd.DataFrame, last_month: str,
                   policy: DisclosurePolicy, *, conf: float = 0.95,
                   total_residents=None) -> Section:
    """Victims of serious violence by age band, per 1,000 residents of that age (Census 2021).

    Parameters
    ----------
    offences : pandas.DataFrame or None
        The force extract's clean rows; None: no extract.
    lsoa_population : pandas.DataFrame
        Census 2021 residents by LSOA and age (``inputs.lsoa_population``).
    last_month : str
        Last month of the period reported, ``"YYYY-MM"``.
    policy : DisclosurePolicy
        The rule for suppressing small counts in published tables and charts.
    conf : float, default 0.95
        Confidence level of every interval and test.
    total_residents : float, optional
        The study area's usual residents, for the all-ages rate; default: the sum of
        ``lsoa_population``.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    from sna.stats.rates import proportion_ci

    if offences is None:
        raise NotAvailable(NO_EXTRACT, fix="set 'extract' to the force's extract")
    section = Section(anchor="sec-who", title="Who: victims by age")
    section.note(SYNTHETIC_NOTE)
    serious = local_definition_mask(offences)
    in_year = offences[serious & offences["month"].astype(str).isin(year_months(last_month))]
    counts = in_year["victim_age_band"].value_counts().reindex(list(AGE_BANDS), fill_value=0)
    residents = [float(lsoa_population[col].sum()) for col in AGE_BANDS.values()]
    rates = rate_ci(counts.to_numpy(), residents, multiplier=PER_1000, conf=conf)
    table = pd.DataFrame({"Age band": list(AGE_BANDS), "count": counts.to_numpy(),
                          "Residents": residents}).join(rates[["value", "lower", "upper"]])
    # The sentence below prints the total and the under-25s: both are sums an attacker
    # could subtract from, so the table is protected against them too.
    hidden, withheld = protect_published(counts.to_numpy(), {
        "known": list(range(len(AGE_BANDS))), "under_25": [0, 1]}, policy)
    table = publish_counts(table, ["count"], policy, derived=["value", "lower", "upper"])
    table[["count", "value", "lower", "upper"]] = table[
        ["count", "value", "lower", "upper"]].astype("Float64").mask(
        pd.DataFrame({c: hidden for c in ("count", "value", "lower", "upper")}).to_numpy())
    age_total = sum(residents)
    note = None
    if total_residents is not None and round(total_residents) != round(age_total):
        note = (f"Residents here add up the Census 2021 age bands ({format_count(age_total)}); "
                "other "
                "tables use the Census total of usual residents "
                f"({format_count(total_residents)}). ONS "
                "adjusts each published table separately, so totals differ by a few people.")
    section.table(table.rename(columns={"count": "Victims", "value": "Per 1,000 residents",
                                        "lower": "Lower limit", "upper": "Upper limit"}),
                  f"Victims of serious violence (local definition) by age, "
                  f"{period_text(*year_months(last_month)[::11])} (demo data)", note=note,
                  decimals=2)
    known = int(counts.sum())
    under_25 = int(counts[["0-15", "16-24"]].sum())
    share = proportion_ci(under_25, known, multiplier=100, conf=conf).iloc[0]
    resident_share = (residents[0] + residents[1]) / age_total * 100
    section.results.update(age=table, under_25=share)
    if withheld["known"] or withheld["under_25"]:
        section.text(f"Fewer than {policy.min_count} victims (or a number that would reveal "
                     "a suppressed band) were recorded, so the share under 25 is not shown.")
        return section
    sentence = (f"{format_percent(share['value'])} of victims of serious violence with a "
                f"recorded age were under 25 ({format_count(under_25)} of "
                f"{format_count(known)}), while under-25s are "
                f"{format_percent(resident_share)} of residents")
    clear = share["lower"] > resident_share
    section.text(sentence + (": clearly more than their share." if clear else "."))
    section.finding(Finding(sentence + (": clearly higher than their share of residents."
                                        if clear else ": no clear difference."),
                            "clearly higher" if clear else "no clear difference",
                            section.anchor, section.title,
                            size=(ratio_size(share["value"] / resident_share) if resident_share
                                  else 0),
                            certainty=1.0 if clear else 0.4, topic="young_people", demo=True))
    interval = format_interval(share["lower"], share["upper"], conf=conf,
                               formatter=lambda v: format_percent(v, decimals=1))
    section.technical(f"Under-25 share {format_percent(share['value'], decimals=1)} ({interval}"
                      ", Wilson score interval); rates use exact "
                      "Poisson (count < 10) or Byars intervals.")
    return section


@degrades
def day_and_time(offences: pd.DataFrame, last_month: str, policy: DisclosurePolicy) -> Section:
    """Serious violence by day of week and time of day (force extract), with disclosure control.

    Parameters
    ----------
    offences : pandas.DataFrame or None
        The force extract's clean rows; None: no extract.
    last_month : str
        Last month of the period reported, ``"YYYY-MM"``.
    policy : DisclosurePolicy
        The rule for suppressing small counts in published tables and charts.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    from sna.stats.disclosure import suppress_crosstab

    if offences is None:
        raise NotAvailable(NO_EXTRACT, fix="set 'extract' to the force's extract")
    section = Section(anchor="sec-when", title="When: month, day and time")
    section.note(SYNTHETIC_NOTE)
    serious = local_definition_mask(offences)
    rows = offences[serious & offences["month"].astype(str).isin(year_months(last_month))]
    rows = rows[rows["offence_time"].notna()]
    hour = pd.to_numeric(rows["offence_time"].astype(str).str[:2], errors="coerce")
    band = pd.cut(hour, [0, 6, 12, 18, 20, 24], right=False,
                  labels=["00:00-05:59", "06:00-11:59", "12:00-17:59", "18:00-19:59",
                          "20:00-23:59"])
    day = pd.Categorical(rows["offence_date"].dt.day_name(),
                         categories=["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                     "Saturday", "Sunday"])
    table = pd.crosstab(day, band).rename_axis(index="Day", columns="Time")
    published = suppress_crosstab(table, policy).published
    section.results["day_time"] = published
    per_hour = table.div([6, 6, 6, 2, 4], axis=1)
    day_max, band_max = per_hour.stack().idxmax()
    sentence = (f"Serious violence (local definition) peaks on {day_max} "
                f"{band_max} (demo data): the busiest hours of the week.")
    section.text(sentence)
    section.finding(Finding(f"Serious violence (local definition) peaks on {day_max} "
                            f"{band_max}: a clear pattern.", "clear pattern", section.anchor,
                            section.title, size=0.5, certainty=1.0, topic="night_time_economy",
                            demo=True))
    section.table(published.rename_axis(index="Day").reset_index(),
                  f"Serious violence (local definition) by day and time, "
                  f"{period_text(*year_months(last_month)[::11])} (demo data; small counts "
                  "hidden, shown as a dash)", decimals=0)
    return section


@degrades
def da_published(published: pd.DataFrame | None, *, conf: float = 0.95,
                 published_source: str = "") -> Section:
    """The partnership's published DA-related crimes by quarter: seasonality, trend, checks.

    ``published_source`` names the publication in the chart's source line.

    Parameters
    ----------
    published : pandas.DataFrame or None
        The published quarterly series (``inputs.published_da``); None: not given.
    conf : float, default 0.95
        Confidence level of every interval and test.
    published_source : str, default ""
        The publication named in the chart's source line.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    from sna.stats.trend import financial_quarter_series, reconcile_table

    if published is None:
        raise NotAvailable("no published domestic-abuse series was given for this area "
                           "(parameter 'published_da')", fix="set 'published_da' to the "
                           "partnership's published quarterly DA-related crimes")
    section = Section(anchor="sec-da", title="Domestic abuse: the published quarterly series")
    checks = reconcile_table(published, "da_related_crimes", "published_year_total",
                             "financial_year")
    section.results["reconciliation"] = checks
    for sentence in checks["sentence"]:
        section.text(sentence)
    series = financial_quarter_series(published, "da_related_crimes")
    trend = seasonal_trend(series, conf=conf)
    section.results["trend"] = trend
    section.figure(charts.seasonal_chart(
        trend.seasonal_indices.assign(season=trend.seasonal_indices["season"].astype(str)),
        title=f"Domestic-abuse-related crimes by quarter of the financial year, "
              f"{published['financial_year'].iloc[0]} to "
              f"{published['financial_year'].iloc[-1]} (1 = average quarter)",
        source=published_source or "published by the partnership", conf=conf))
    section.text(seasonality_sentence(trend, "domestic-abuse-related crimes", alpha=1 - conf))
    section.text(trend_sentence(trend, "domestic-abuse-related crimes"))
    t = trend.trend
    section.finding(Finding(trend_sentence(trend, "domestic-abuse-related crimes (published "
                                                  "series)"),
                            strength(t.verdict), section.anchor, section.title,
                            size=ratio_size(t.rate_ratio_per_year), certainty=CERTAINTY.get(
                                strength(t.verdict), 0.4), topic="domestic_abuse"))
    section.technical(describe_seasonality(trend, subject="DA-related crimes"))
    section.technical(describe_trend(trend, subject="DA-related crimes"))
    section.technical(seasonality_note(trend))
    section.technical(trend_note(trend))
    annual = trend.annual
    section.results["annual"] = annual
    for note in trend.notes:
        section.technical(note)
    return section


@dataclass
class SvdInputs:
    """Everything the SVD report reads, loaded once from the parameters."""

    study: StudyData
    extract: object
    offences: pd.DataFrame | None
    published_da: pd.DataFrame | None
    boundaries: object
    lsoa_population: pd.DataFrame
    policy: DisclosurePolicy

    @property
    def population(self) -> float:
        """Census 2021 usual residents of the study area."""
        return float(self.lsoa_population["usual_residents"].sum())


def load_inputs(police_uk: str, force_name: str, ltla24_codes: list[str], first_month: str,
                last_month: str, extract: str, published_da: str, min_count: int,
                *, subareas: str = "auto") -> SvdInputs:
    """Load police.uk data (through the cache), the force extract, boundaries and populations.

    ``subareas`` chooses the sub-areas (:func:`sna.io.geography.subarea_columns`). An empty
    ``extract`` or ``published_da`` means the area has none: the sections that need it say
    "Not available" instead of failing.

    Parameters
    ----------
    police_uk : str
        Folder of police.uk files, relative to the project root.
    force_name : str
        Force name expected in the police.uk files; empty: not checked.
    ltla24_codes : list of str
        The area's councils (LAD 2024 codes).
    first_month : str
        First month of police.uk data, ``"YYYY-MM"``.
    last_month : str
        Last month of the period reported, ``"YYYY-MM"``.
    extract : str
        The force extract, relative to the project root; empty: none.
    published_da : str
        The published domestic-abuse series (CSV), relative to the project root; empty: none.
    min_count : int
        Smallest count published.
    subareas : str, default "auto"
        The sub-areas (:func:`sna.io.geography.subarea_columns`).

    Returns
    -------
    SvdInputs
    """
    from sna.io.extract import date_window_around, read_force_extract
    from sna.io.geography import population, read_boundaries
    from sna.io.study import load_study
    from sna.paths import repo_root

    study = load_study(police_uk, ltla24_codes=ltla24_codes,
                       forces=[force_name] if force_name else None,
                       first_month=first_month, last_month=last_month, subareas=subareas)
    accounted = read_force_extract(repo_root() / extract,
                                   study_lsoas=set(study.lsoas["lsoa21_code"]),
                                   date_window=date_window_around(first_month, last_month)) \
        if extract else None
    residents = population()
    residents = residents[residents["lsoa21_code"].isin(study.lsoas["lsoa21_code"])]
    return SvdInputs(study=study, extract=accounted,
                     offences=accounted.clean if accounted is not None else None,
                     published_da=pd.read_csv(repo_root() / published_da) if published_da
                     else None,
                     boundaries=read_boundaries(kind="lsoa21", codes=study.lsoas["lsoa21_code"]),
                     lsoa_population=residents,
                     policy=DisclosurePolicy(min_count=min_count))


def sources_and_methods(inputs: SvdInputs, *, published_source: str = "",
                        synthetic: bool = True) -> Section:
    """Data sources with licence, the files read, and the methods used (an appendix).

    Parameters
    ----------
    inputs : SvdInputs
        What the report read (:func:`load_inputs`).
    published_source : str, default ""
        The publication named in the chart's source line.
    synthetic : bool, default True
        The data are the synthetic demo: figures are labelled as demo data.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section(anchor="sec-sources", title="Sources and methods", appendix=True)
    files = ", ".join(inputs.study.files)
    if inputs.extract is None:
        extract = ("Force extract (offence codes, DA flag, victim age, time)", "not given",
                   "sections needing it are marked not available")
    elif synthetic:
        extract = ("Force extract (offence codes, DA flag, victim age, time)",
                   "SYNTHETIC demo data", "generated by sna demo-data from published aggregates")
    else:
        extract = ("Force extract (offence codes, DA flag, victim age, time)",
                   "record-level, restricted", "the force; only aggregates published")
    published = ("DA-related crimes by quarter", published_source or "published series",
                 "the partnership (published)") if inputs.published_da is not None else (
        "DA-related crimes by quarter", "not given", "section marked not available")
    sources = pd.DataFrame([
        ("police.uk street-level crime", f"{len(inputs.study.files)} monthly files: {files}",
         "Home Office, OGL v3.0"),
        ("Census 2021 usual residents, age (TS001, TS007A)", "LSOA 2021", "ONS, OGL v3.0"),
        ("Rural-Urban Classification 2021", "LSOA 2021", "ONS, OGL v3.0"),
        ("English Indices of Deprivation 2025", "LSOA 2021", "MHCLG, OGL v3.0"),
        ("LSOA 2021 boundaries (super generalised)", "ONS Open Geography",
         "ONS, OGL v3.0; contains OS data (c) Crown copyright and database right 2024"),
        ("police.uk street-level crime 2025, national aggregate (benchmarks)",
         "every force the public source holds; missing force-months are no data",
         "Home Office, OGL v3.0"),
        ("Census 2021, IMD 2025, boundaries for similar areas", "England and Wales (IMD: "
         "England only)", "ONS, MHCLG, OGL v3.0"),
        published,
        extract,
    ], columns=["Source", "Coverage", "Publisher and licence"])
    section.table(sources, "Data sources")
    methods = pd.DataFrame([
        ("Rates and intervals", "exact Poisson (count < 10) or Byars; Wilson for proportions "
                                "(as PHEindicatormethods)"),
        ("Benchmarking", "Fingertips single-overlap rule: similar when the benchmark lies "
                         "inside the interval"),
        ("Rurality", "indirect standardisation by Rural-Urban Classification 2021 class"),
        ("Change between periods", CHANGE_RULE),
        ("Seasonality and trend", "Poisson GLM with season terms and linear trend, negative "
                                  "binomial when Pearson chi-square/df > 1.5; LR F test; STL; "
                                  "fitted only when every month or quarter has been seen at "
                                  "least twice, otherwise the report says why not"),
        ("Funnel plot", "control limits at 95% and 99.8% around the area-wide rate: exact "
                        "Poisson, widened for over-dispersion by additive random effects "
                        "(Spiegelhalter 2005: 10%-winsorised z-scores, phi, tau^2) when the "
                        "LSOAs vary more than chance allows"),
        ("Rates over a period", "per 1,000 residents a year: counts divided by residents x "
                                "months of data / 12"),
        ("Hotspots", "Getis-Ord Gi* (esda), queen contiguity, 999 permutations"),
        ("Deprivation gradient", "count GLM on IMD decile with population offset, Wald test"),
        ("Similar areas", "nearest councils of England and Wales on standardised size, "
                          "density, rurality mix and IMD 2025 (Euclidean distance; "
                          "sna.stats.similar_areas)"),
        ("National benchmarks", "police.uk 2025 national aggregate, forces with all 12 months "
                                "of data; rurality-standardised ratio against the England and "
                                "Wales rate in each RUC 2021 class"),
        ("Disclosure control", f"counts below {inputs.policy.min_count} suppressed, with "
                               "secondary suppression in tables with totals"),
    ], columns=["Topic", "Method"])
    section.table(methods, "Methods")
    return section


def local_definition_mask(offences: pd.DataFrame,
                          *, groups: tuple[str, ...] = LOCAL_DEFINITION_GROUPS,
                          include_da: bool = True) -> pd.Series:
    """Rows of a force extract inside the local definition of serious violence.

    Parameters
    ----------
    offences : pandas.DataFrame
        The force extract's clean rows (:func:`sna.io.extract.read_force_extract`).
    groups : tuple of str, default LOCAL_DEFINITION_GROUPS
        The extract's offence groups inside the local definition.
    include_da : bool, default True
        Count every domestic-abuse-flagged offence too.

    Returns
    -------
    pandas.Series of bool

    Examples
    --------
    >>> df = pd.DataFrame({"svd_group": ["homicide", "robbery", "other"],
    ...                    "da_flag": [False, False, True]})
    >>> local_definition_mask(df).tolist()
    [True, False, True]
    """
    mask = offences["svd_group"].isin(list(groups))
    if include_da and "da_flag" in offences:
        mask = mask | offences["da_flag"].astype(bool)
    return mask


def frame(area_name: str, first_month: str, last_month: str,
          *, priorities: dict[str, list[str]] | None = None,
          uses_synthetic_data: bool = True) -> ReportFrame:
    """The SVD report's frame: title with area and period, priorities, real and demo sources.

    Parameters
    ----------
    area_name : str
        The area's name as printed in sentences and titles.
    first_month : str
        First month of police.uk data, ``"YYYY-MM"``.
    last_month : str
        Last month of the period reported, ``"YYYY-MM"``.
    priorities : dict, optional
        The partnership's priorities -> their topics.
    uses_synthetic_data : bool, default True
        The report runs on the synthetic demo extract.

    Returns
    -------
    ReportFrame

    Examples
    --------
    >>> f = frame("York", "2024-01", "2025-12", priorities={"Weapons": ["weapons"]})
    >>> f.title
    'Serious Violence Duty strategic needs assessment: York, January to December 2025'
    """
    latest = year_months(last_month)
    return ReportFrame(
        title=f"Serious Violence Duty strategic needs assessment: {area_name}, "
              f"{period_text(latest[0], latest[-1])}",
        area=area_name, period=f"{period_text(latest[0], latest[-1])} (police.uk data from "
                               f"{month_text(first_month)})",
        priorities=dict(priorities or {}),
        real_sources=["police.uk", "the Census 2021", "the partnership's published "
                                                      "domestic-abuse series"],
        demo_sources=["force extract (offence codes, domestic-abuse flags, victim age, time "
                      "of day)"] if uses_synthetic_data else [])
