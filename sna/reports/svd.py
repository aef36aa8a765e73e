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
from sna.reports.sections import Section, publish_counts
from sna.stats.disclosure import DisclosurePolicy
from sna.stats.rates import compare_to_benchmark, rate_ci
from sna.stats.trend import (
    CHANGE_RULE,
    change_between,
    change_note,
    describe_change,
    describe_seasonality,
    describe_trend,
    format_p,
    seasonal_model_reason,
    seasonal_trend,
    seasonality_note,
    series_variation,
    trend_note,
)

__all__ = [
    "SvdInputs",
    "da_published",
    "data_quality",
    "day_and_time",
    "definition",
    "district_rates",
    "drivers",
    "extent_and_trend",
    "funnel_sentence",
    "like_for_like",
    "load_inputs",
    "lsoa_counts",
    "neighbour_comparison",
    "priorities",
    "priority_mask",
    "rates_a_year",
    "rurality_ratios",
    "sources_and_methods",
    "svd_crimes",
    "victims_by_age",
    "where",
]

PER_1000 = 1000
POLICE_UK_SOURCE = "police.uk street-level crime (Home Office), OGL v3.0"


def like_for_like(study: StudyData, last_month: str) -> tuple[list[str], list[str]]:
    """Months of the latest year and the matching months a year earlier, both with data.

    A month is compared only when both it and the same month a year earlier
    have data, so a gap (e.g. police.uk 2024-05..2024-08) never reads as a fall.
    """
    have = set(study.months)
    latest = [m for m in year_months(last_month) if m in have]
    pairs = [(str(pd.Period(m, freq="M") - 12), m) for m in latest]
    kept = [(a, b) for a, b in pairs if a in have]
    return [a for a, _ in kept], [b for _, b in kept]


def svd_crimes(study: StudyData, categories: dict[str, str]) -> pd.DataFrame:
    """Crimes in the police.uk categories that approximate the local SVD definition."""
    return study.crimes[study.crimes["crime_type"].isin(list(categories))]


def definition(categories: dict[str, str], offence_groups: dict[str, list[str]]) -> Section:
    """The serious-violence definition used, with the approximation stated."""
    section = Section()
    table = pd.DataFrame({"police.uk category": list(categories),
                          "How it relates to the local definition": list(categories.values())})
    section.table(table, "police.uk categories used for serious violence (real data)")
    groups = pd.DataFrame({"Local definition": list(offence_groups),
                           "Force-extract offence groups": [", ".join(v) for v in
                                                            offence_groups.values()]})
    section.table(groups, "Offence groups used with a force extract (Home Office codes)")
    section.note("police.uk publishes broad categories only: 'Violence and sexual offences' "
                 "includes violence without injury, stalking and harassment, so police.uk counts "
                 "over-state serious violence; the force-extract sections use offence codes.")
    return section


def data_quality(study: StudyData, extract=None) -> Section:
    """Rows in, used and quarantined by reason, and months with no data."""
    section = Section(results={"study": study})
    section.table(study.data_quality(), "police.uk rows: read, used and quarantined by reason",
                  decimals=0)
    section.text(study.missing_month_text())
    if extract is not None:
        summary = extract.summary().rename(columns={"measure": "Measure", "rows": "Rows"})
        section.table(summary, "Force extract rows (SYNTHETIC demo data)", decimals=0)
    return section


def _monthly_frame(study: StudyData, categories: dict[str, str]) -> pd.DataFrame:
    months = pd.PeriodIndex(study.months, freq="M")
    counts = monthly_counts(months_of(svd_crimes(study, categories)), index=months,
                            missing=study.missing_months)
    return counts.rename("count").rename_axis("period").astype("Float64")


def extent_and_trend(study: StudyData, categories: dict[str, str], last_month: str,
                     area_name: str, conf: float = 0.95) -> Section:
    """Counts, rates per 1,000 with CIs, year-on-year verdicts and the seasonal trend."""
    section = Section()
    crimes = svd_crimes(study, categories)
    population = float(study.lsoas["usual_residents"].sum())
    latest = year_months(last_month)
    in_year = crimes[crimes["month"].astype(str).isin(latest)]
    by_type = in_year.groupby("crime_type", observed=True).size().rename("count").reset_index()
    rates = rate_ci(by_type["count"], population, multiplier=PER_1000, conf=conf)
    table = pd.concat([by_type, rates[["value", "lower", "upper"]]], axis=1).rename(columns={
        "crime_type": "Category", "count": "Offences", "value": "Per 1,000",
        "lower": "Lower CI", "upper": "Upper CI"})
    months_with_data = sum(m in study.months for m in latest)
    section.table(table, f"{area_name}: offences in the {months_with_data} months with data "
                         f"to {last_month}, per 1,000 residents (Census 2021), "
                         f"{conf:.0%} CI", decimals=2)
    a_months, b_months = like_for_like(study, last_month)
    series = _monthly_frame(study, categories)
    section.results["year_on_year"] = None
    if a_months:
        comparison = change_between(series.astype(float), a_months, b_months, conf=conf)
        section.results["year_on_year"] = comparison
        subject = "Serious-violence-related offences (police.uk)"
        section.text(describe_change(comparison, subject,
                                     f"the same {len(a_months)} months a year earlier",
                                     f"{len(b_months)} months to {last_month}"))
        section.note(change_note(comparison, subject))
    else:
        section.text("No year-on-year comparison is possible: no month of the latest year has "
                     "data for the same month a year earlier.")
    chart_frame = series.rename("count").reset_index()
    section.figure(charts.monthly_counts_chart(
        chart_frame, title=f"Monthly serious-violence-related offences, {area_name}",
        source=POLICE_UK_SOURCE))
    reason = seasonal_model_reason(series.astype(float))
    section.results["seasonal_reason"] = reason
    if reason is not None:
        section.results["seasonal_trend"] = None
        judged = (" The year-on-year change above is judged without it, allowing for the "
                  "month-to-month variation of the series." if a_months else "")
        section.text(reason + judged)
        section.note(series_variation(series.astype(float)).note)
        return section
    trend = seasonal_trend(series.astype(float), conf=conf)
    section.results["seasonal_trend"] = trend
    section.text(describe_trend(trend, "Serious-violence-related offences"))
    section.note(trend_note(trend))
    section.text(describe_seasonality(trend, "serious-violence-related offences"))
    section.note(seasonality_note(trend))
    for note in trend.notes:
        section.note(note)
    return section


def lsoa_counts(study: StudyData, crimes: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """Counts per LSOA of the study area (zeros included) with population and profile."""
    selected = crimes[crimes["month"].astype(str).isin(months) & crimes["located"]]
    counts = selected.groupby("lsoa_code").size().rename("count")
    lsoas = study.lsoas.set_index("lsoa21_code")
    out = lsoas.join(counts).reset_index()
    out["count"] = out["count"].fillna(0).astype(int)
    return out.rename(columns={"usual_residents": "population"})


def district_rates(lsoas: pd.DataFrame, conf: float = 0.95) -> pd.DataFrame:
    """Rate per 1,000 with CI by district, compared with the whole area (Fingertips single overlap).

    Examples
    --------
    >>> df = pd.DataFrame({"district_name": ["a", "b"], "count": [10, 200],
    ...                    "population": [10_000, 20_000]})
    >>> district_rates(df)[["district_name", "comparison"]].values.tolist()
    [['b', 'higher'], ['a', 'lower']]
    """
    by = lsoas.groupby("district_name")[["count", "population"]].sum().reset_index()
    rates = rate_ci(by["count"], by["population"], multiplier=PER_1000, conf=conf)
    overall = by["count"].sum() / by["population"].sum() * PER_1000
    compared = compare_to_benchmark(rates["value"], rates["lower"], rates["upper"], overall)
    out = pd.concat([by, rates[["value", "lower", "upper"]]], axis=1)
    out["comparison"] = compared["comparison"].to_numpy()
    out.attrs["benchmark"] = overall
    return out.sort_values("value", ascending=False).reset_index(drop=True)


def rurality_ratios(lsoas: pd.DataFrame, reference: pd.DataFrame | None = None,
                    conf: float = 0.95) -> pd.DataFrame:
    """Rurality-standardised ratio by district (reference: the whole study area by default)."""
    from sna.stats.rurality import rurality_standardised_ratio

    data = lsoas.rename(columns={"ruc_code": "ruc21_code", "district_name": "area"})
    data["ruc21_code"] = data["ruc21_code"].astype(str)
    ref = data if reference is None else reference
    return rurality_standardised_ratio(data, ref, "ruc21_code", area="area", conf=conf)


def where(study: StudyData, categories: dict[str, str], last_month: str, area_name: str,
          policy: DisclosurePolicy, conf: float = 0.95, boundaries=None) -> Section:
    """District rates, rurality, LSOA map, top LSOAs, funnel plot, hotspots, repeat locations."""
    from sna.stats.rurality import rates_by_rurality

    section = Section()
    months = [m for m in year_months(last_month) if m in study.months]
    lsoas = lsoa_counts(study, svd_crimes(study, categories), months)
    section.results["lsoas"] = lsoas
    districts = district_rates(lsoas, conf)
    section.results["districts"] = districts
    benchmark = districts.attrs["benchmark"]
    shown = districts.rename(columns={"district_name": "label"})
    section.figure(charts.rates_ci_chart(
        shown[["label", "value", "lower", "upper", "comparison"]], benchmark=benchmark,
        title=f"Serious-violence-related offences per 1,000 residents by district, {area_name}",
        source=POLICE_UK_SOURCE + "; ONS Census 2021", x_title="Offences per 1,000 residents",
        conf=conf, benchmark_label=area_name))
    section.table(districts.rename(columns={
        "district_name": "District", "count": "Offences", "population": "Residents",
        "value": "Per 1,000", "lower": "Lower CI", "upper": "Upper CI",
        "comparison": f"Compared with {area_name}"}),
        "Rates by district (the seven Community Safety Hub areas and York)", decimals=2)
    by_class = rates_by_rurality(
        lsoas.assign(ruc21_code=lsoas["ruc_code"].astype(str)), "ruc21_code",
        multiplier=PER_1000, conf=conf)
    section.results["rurality_rates"] = by_class
    section.table(by_class, "Rates per 1,000 by Rural-Urban Classification 2021", decimals=2)
    ratios = rurality_ratios(lsoas, conf=conf)
    section.results["rurality_ratios"] = ratios
    section.table(ratios[["area", "observed", "expected", "value", "lower", "upper"]].rename(
        columns={"area": "District", "observed": "Observed", "expected": "Expected",
                 "value": "Ratio", "lower": "Lower CI", "upper": "Upper CI"}),
        "Rurality-standardised ratio by district (observed / expected from the area's "
        "rates in each rural-urban class)", decimals=2)
    section.note("A ratio above 1 means more offences than the area-wide rate in each "
                 "rural-urban class would give a district with this rural-urban mix "
                 "(indirect standardisation; see sna/stats/methods_rurality.md).")
    _lsoa_views(section, lsoas, policy, conf, area_name, boundaries)
    _repeat_locations(section, study, categories, months, policy)
    return section


def _lsoa_views(section: Section, lsoas: pd.DataFrame, policy: DisclosurePolicy, conf: float,
                area_name: str, boundaries) -> None:
    from sna.stats.funnels import funnel_dispersion, funnel_limits, funnel_significance

    rates = rate_ci(lsoas["count"], lsoas["population"], multiplier=PER_1000, conf=conf)
    table = pd.concat([lsoas[["lsoa21_code", "lsoa21_name", "district_name", "count",
                              "population"]], rates[["value", "lower", "upper"]]], axis=1)
    top = table.sort_values("value", ascending=False).head(10)
    top = publish_counts(top.reset_index(drop=True), ["count"], policy, ["value", "lower", "upper"])
    section.table(top.rename(columns={"lsoa21_name": "LSOA", "district_name": "District",
                                      "count": "Offences", "population": "Residents",
                                      "value": "Per 1,000", "lower": "Lower CI",
                                      "upper": "Upper CI"}).drop(columns="lsoa21_code"),
                  "The ten LSOAs with the highest rates (town centres often have few "
                  "residents: see the funnel plot)", decimals=1)
    baseline = lsoas["count"].sum() / lsoas["population"].sum() * PER_1000
    dispersion = funnel_dispersion(lsoas["count"], lsoas["population"], "rate",
                                   multiplier=PER_1000, baseline=baseline)
    sig = funnel_significance(lsoas["count"], lsoas["population"], "rate",
                              multiplier=PER_1000, baseline=baseline, dispersion=dispersion)
    points = pd.DataFrame({"label": lsoas["lsoa21_name"], "denominator": lsoas["population"],
                           "value": sig["value"], "significance": sig["significance"]})
    points = publish_counts(points.assign(count=lsoas["count"].to_numpy()), ["count"], policy,
                            ["value"]).dropna(subset=["value"]).drop(columns="count")
    grid = pd.Series(sorted(set(
        pd.Series(lsoas["population"]).quantile([0, .25, .5, .75, 1]).round().tolist())))
    limits = funnel_limits(pd.Series(range(int(grid.min()), int(grid.max()) + 1, 50)), "rate",
                           multiplier=PER_1000, baseline=baseline, dispersion=dispersion)
    limits = limits.rename(columns={"lower_95": "lower95", "upper_95": "upper95",
                                    "lower_99_8": "lower998", "upper_99_8": "upper998"})
    section.results.update(funnel=sig, funnel_dispersion=dispersion)
    section.figure(charts.funnel_chart(
        points, limits[["denominator", "lower95", "upper95", "lower998", "upper998"]],
        baseline, title=f"Funnel plot of LSOA rates per 1,000, {area_name}",
        source=POLICE_UK_SOURCE + "; ONS Census 2021", x_title="Residents (Census 2021)",
        y_title="Offences per 1,000 residents"), caption=dispersion.method)
    section.text(funnel_sentence(sig, dispersion))
    if boundaries is not None:
        _map_and_hotspots(section, lsoas, rates, boundaries, policy, area_name)


def funnel_sentence(significance: pd.DataFrame, dispersion) -> str:
    """How many LSOAs lie above the funnel's limits, against the limits actually drawn.

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
                f"{dispersion.phi:.1f} times as much), so the limits allow for that: {above}.")
    return (f"{above[0].upper()}{above[1:]} (the LSOAs vary no more than chance alone would "
            "make them, so the limits are the exact Poisson ones around the area-wide rate).")


def _map_and_hotspots(section: Section, lsoas: pd.DataFrame, rates: pd.DataFrame, boundaries,
                      policy: DisclosurePolicy, area_name: str) -> None:
    from sna.stats.hotspots import getis_ord_hotspots

    gdf = boundaries.merge(lsoas[["lsoa21_code", "count"]].assign(rate=rates["value"].to_numpy()),
                           on="lsoa21_code")
    published = publish_counts(gdf.drop(columns="geometry"), ["count"], policy, ["rate"])
    gdf = gdf[["lsoa21_code", "lsoa21_name", "geometry"]].assign(
        rate=published["rate"].to_numpy(), suppressed=published["count"].isna().to_numpy())
    section.results["map_suppressed"] = int(gdf["suppressed"].sum())
    section.figure(charts.choropleth(
        gdf, "rate", label_col="lsoa21_name", suppressed_col="suppressed",
        title=f"Serious-violence-related offences per 1,000 residents by LSOA, {area_name}",
        source=POLICE_UK_SOURCE + "; ONS boundaries (OGL)", legend_title="Per 1,000"))
    hot = getis_ord_hotspots(gdf.assign(rate=rates["value"].to_numpy()), "rate")
    section.results["hotspots"] = hot
    summary = hot["hotspot"].value_counts().rename_axis("Classification").reset_index(
        name="LSOAs")
    section.table(summary, "Getis-Ord Gi* hotspots of LSOA rates (queen contiguity, 999 "
                           "permutations, p < 0.05)", decimals=0)


def _repeat_locations(section: Section, study: StudyData, categories: dict[str, str],
                      months: list[str], policy: DisclosurePolicy) -> None:
    crimes = svd_crimes(study, categories)
    crimes = crimes[crimes["month"].astype(str).isin(months) & crimes["located"]]
    places = (crimes.groupby(["location", "lsoa_name"]).size().rename("count")
              .sort_values(ascending=False).head(10).reset_index())
    places = publish_counts(places, ["count"], policy)
    section.table(places.rename(columns={"location": "Snap point", "lsoa_name": "LSOA",
                                         "count": "Offences"}),
                  "Repeat locations: the ten police.uk snap points with most offences "
                  "(anonymised 'on or near' points, not addresses)", decimals=0)


def drivers(study: StudyData, categories: dict[str, str], last_month: str,
            conf: float = 0.95) -> Section:
    """Rates by IMD 2025 decile and a test for a deprivation gradient."""
    from sna.stats.deprivation import imd_gradient, rates_by_imd_decile

    section = Section()
    months = [m for m in year_months(last_month) if m in study.months]
    lsoas = lsoa_counts(study, svd_crimes(study, categories), months)
    rates = rates_by_imd_decile(lsoas, conf=conf)
    gradient = imd_gradient(lsoas, conf=conf)
    section.results.update(imd_rates=rates, gradient=gradient)
    shown = rates.assign(label="Decile " + rates["imd_decile"].astype(str))
    section.figure(charts.rates_ci_chart(
        shown[["label", "value", "lower", "upper"]],
        title="Serious-violence-related offences per 1,000 residents by IMD 2025 decile "
              "(1 = most deprived)", source=POLICE_UK_SOURCE + "; MHCLG IoD2025; ONS Census 2021",
        x_title="Offences per 1,000 residents", conf=conf))
    section.text(gradient.sentence("Serious-violence-related offence"))
    return section


def rates_a_year(by: pd.DataFrame, conf: float = 0.95) -> tuple[pd.DataFrame, float]:
    """Rates per 1,000 residents a year of areas with different months of data.

    Parameters
    ----------
    by : DataFrame
        ``area, count, population, months`` (months of data behind each count).
    conf : float, default 0.95

    Returns
    -------
    (DataFrame, float)
        ``by`` with ``value, lower, upper`` (:func:`sna.stats.rates.rate_ci` on
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
    rates = rate_ci(by["count"], person_years, multiplier=PER_1000, conf=conf)
    pooled = float(by["count"].sum() / person_years.sum() * PER_1000)
    compared = compare_to_benchmark(rates["value"], rates["lower"], rates["upper"], pooled)
    table = pd.concat([by.reset_index(drop=True),
                       rates[["value", "lower", "upper"]].reset_index(drop=True)], axis=1)
    return table.assign(comparison=compared["comparison"].to_numpy()), pooled


def neighbour_comparison(forces: dict[str, dict], last_month: str, categories: dict[str, str],
                         conf: float = 0.95) -> Section:
    """Force rates per 1,000 against the neighbours' pooled rate, crude and rurality-standardised.

    ``forces`` maps a force name to ``{"police_uk": folder, "pfa24_code": code}``. Forces
    may have different months of data, so every rate is per 1,000 residents a year
    (residents x months of data / 12 as the denominator), and the rurality-standardised
    ratios use the same person-years.
    """
    from sna.io.study import load_study
    from sna.stats.rurality import rurality_standardised_ratio

    section = Section()
    months = year_months(last_month)
    lsoa_frames = []
    for name, spec in forces.items():
        study = load_study(spec["police_uk"], pfa24_code=spec["pfa24_code"], forces=[name],
                           first_month=months[0], last_month=months[-1])
        lsoas = lsoa_counts(study, svd_crimes(study, categories), study.months)
        lsoa_frames.append(lsoas.assign(area=name, months=len(study.months)))
    lsoas = pd.concat(lsoa_frames, ignore_index=True)
    by = lsoas.groupby("area").agg(count=("count", "sum"), population=("population", "sum"),
                                   months=("months", "first")).reset_index()
    table, pooled = rates_a_year(by, conf)
    data = lsoas.assign(ruc21_code=lsoas["ruc_code"].astype(str),
                        population=lsoas["population"] * lsoas["months"] / 12)
    ratios = rurality_standardised_ratio(data, data, "ruc21_code", area="area", conf=conf)
    section.results.update(force_rates=table, force_ratios=ratios, pooled=pooled)
    section.figure(charts.rates_ci_chart(
        table.rename(columns={"area": "label"})[["label", "value", "lower", "upper",
                                                 "comparison"]],
        benchmark=pooled, title=f"Serious-violence-related offences per 1,000 residents a "
                                f"year, {months[0]} to {months[-1]}",
        source=POLICE_UK_SOURCE + "; ONS Census 2021",
        x_title="Offences per 1,000 residents a year", conf=conf,
        benchmark_label="Three forces pooled"))
    section.table(table.rename(columns={"area": "Force", "count": "Offences",
                                        "population": "Residents", "months": "Months of data",
                                        "value": "Per 1,000 a year", "lower": "Lower CI",
                                        "upper": "Upper CI", "comparison": "vs pooled rate"}),
                  "Force rates compared with the three forces' pooled rate (Fingertips "
                  "single-overlap rule)", decimals=2)
    section.table(ratios[["area", "observed", "expected", "value", "lower", "upper"]].rename(
        columns={"area": "Force", "observed": "Observed", "expected": "Expected",
                 "value": "Ratio", "lower": "Lower CI", "upper": "Upper CI"}),
        "Rurality-standardised ratio: observed / expected from the pooled rate in each "
        "rural-urban class", decimals=2)
    return section


SYNTHETIC_NOTE = ("SYNTHETIC DEMO DATA: force-extract figures below are generated from published "
                  "aggregates for demonstration; they are not real offences.")
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


def priority_mask(offences: pd.DataFrame, indicator: str) -> pd.Series:
    """Rows of a force extract that count towards one SVD response-priority indicator.

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


def priorities(offences: pd.DataFrame, population: float, last_month: str,
               conf: float = 0.95) -> Section:
    """The five SVD response priorities as indicators: latest 12 months against the previous 12."""
    section = Section()
    section.note(SYNTHETIC_NOTE)
    latest, previous = year_months(last_month), year_months(
        str(pd.Period(last_month, freq="M") - 12))
    months = offences["month"].astype("period[M]")
    index = pd.period_range(months.min(), months.max(), freq="M")
    if str(index.min()) > previous[0] or str(index.max()) < latest[-1]:
        section.text(f"Not available: the comparison needs the extract's months {previous[0]} "
                     f"to {latest[-1]}, and it covers {index.min()} to {index.max()} (months "
                     "without data are not zero).")
        return section
    rows, sentences = [], []
    for label, indicator in PRIORITIES.items():
        mask = priority_mask(offences, indicator).to_numpy()
        monthly = (pd.Series(mask.astype(float), index=months.to_numpy()).groupby(level=0).sum()
                   .reindex(index, fill_value=0.0))
        comparison = change_between(monthly, previous, latest, conf=conf)
        a, b = comparison.count_a, comparison.count_b
        rate = rate_ci(b, population, multiplier=PER_1000, conf=conf).iloc[0]
        rows.append({"Priority": label, "Previous 12 months": a, "Latest 12 months": b,
                     "Per 1,000": rate["value"], "Lower CI": rate["lower"],
                     "Upper CI": rate["upper"], "Change": comparison.verdict,
                     "p": format_p(comparison.p_value), "Test": comparison.test})
        sentences.append((describe_change(comparison, label, f"{previous[0]} to {previous[-1]}",
                                          f"{latest[0]} to {latest[-1]}"),
                          change_note(comparison, label)))
    table = pd.DataFrame(rows)
    section.results["priorities"] = table
    section.table(table, "SVD response priorities (SYNTHETIC extract): latest 12 months per "
                         "1,000 residents, and change (each tested allowing for its own "
                         "month-to-month variation)", decimals=2)
    for sentence, note in sentences:
        section.text(sentence)
        section.note(note)
    return section


def victims_by_age(offences: pd.DataFrame, lsoa_population: pd.DataFrame, last_month: str,
                   policy: DisclosurePolicy, conf: float = 0.95) -> Section:
    """Victims of serious violence by age band, per 1,000 residents of that age (Census 2021)."""
    from sna.stats.rates import proportion_ci

    section = Section()
    section.note(SYNTHETIC_NOTE)
    serious = offences["svd_group"].isin(["homicide", "violence_with_injury", "rape_sexual",
                                          "robbery", "arson_endangering_life"])
    in_year = offences[serious & offences["month"].astype(str).isin(year_months(last_month))]
    counts = in_year["victim_age_band"].value_counts().reindex(list(AGE_BANDS), fill_value=0)
    residents = [float(lsoa_population[col].sum()) for col in AGE_BANDS.values()]
    rates = rate_ci(counts.to_numpy(), residents, multiplier=PER_1000, conf=conf)
    table = pd.DataFrame({"Age band": list(AGE_BANDS), "count": counts.to_numpy(),
                          "Residents": residents}).join(rates[["value", "lower", "upper"]])
    table = publish_counts(table, ["count"], policy, ["value", "lower", "upper"])
    section.table(table.rename(columns={"count": "Victims", "value": "Per 1,000",
                                        "lower": "Lower CI", "upper": "Upper CI"}),
                  "Victims of serious violence by age, latest 12 months (SYNTHETIC extract)",
                  decimals=2)
    known = int(counts.sum())
    under_25 = int(counts[["0-15", "16-24"]].sum())
    share = proportion_ci(under_25, known, multiplier=100, conf=conf).iloc[0]
    section.results.update(age=table, under_25=share)
    section.text(f"{under_25:,} of {known:,} victims with a recorded age were under 25 "
                 f"({share['value']:.1f}%, {conf:.0%} CI {share['lower']:.1f}% to "
                 f"{share['upper']:.1f}%, Wilson score interval); under-25s are "
                 f"{residents[0] + residents[1]:,.0f} of {sum(residents):,.0f} residents.")
    return section


def day_and_time(offences: pd.DataFrame, last_month: str, policy: DisclosurePolicy) -> Section:
    """Serious violence by day of week and time of day (force extract), with disclosure control."""
    from sna.stats.disclosure import suppress_crosstab

    section = Section()
    section.note(SYNTHETIC_NOTE)
    serious = offences["svd_group"].isin(["homicide", "violence_with_injury", "robbery"])
    rows = offences[serious & offences["month"].astype(str).isin(year_months(last_month))]
    rows = rows[rows["offence_time"].notna()]
    hour = pd.to_numeric(rows["offence_time"].astype(str).str[:2], errors="coerce")
    band = pd.cut(hour, [0, 6, 12, 18, 20, 24], right=False,
                  labels=["00-05", "06-11", "12-17", "18-19", "20-23"])
    day = pd.Categorical(rows["offence_date"].dt.day_name().str[:3],
                         categories=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
    table = pd.crosstab(day, band).rename_axis(index="Day", columns="Time")
    published = suppress_crosstab(table, policy).published
    section.results["day_time"] = published
    section.table(published.rename_axis(index="Day").reset_index(),
                  "Violence with injury, homicide and robbery by day and time, latest 12 months "
                  "(SYNTHETIC extract; suppressed cells shown as a dash)", decimals=0)
    return section


def da_published(published: pd.DataFrame, conf: float = 0.95) -> Section:
    """The partnership's published DA-related crimes by quarter: seasonality, trend, checks."""
    from sna.stats.trend import financial_quarter_series, reconcile_table

    section = Section()
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
        title="Seasonal index of DA-related crimes by financial-year quarter (1 = average)",
        source="North Yorkshire CSP report to scrutiny, September 2023 (table 3.6)", conf=conf))
    section.text(describe_seasonality(trend, "DA-related crimes"))
    section.note(seasonality_note(trend))
    section.text(describe_trend(trend, "DA-related crimes"))
    section.note(trend_note(trend))
    annual = trend.annual
    section.results["annual"] = annual
    for note in trend.notes:
        section.note(note)
    return section


@dataclass
class SvdInputs:
    """Everything the SVD report reads, loaded once from the parameters."""

    study: StudyData
    extract: object
    offences: pd.DataFrame
    published_da: pd.DataFrame
    boundaries: object
    lsoa_population: pd.DataFrame
    policy: DisclosurePolicy

    @property
    def population(self) -> float:
        """Census 2021 usual residents of the study area."""
        return float(self.lsoa_population["usual_residents"].sum())


def load_inputs(police_uk: str, force_name: str, ltla24_codes: list[str], first_month: str,
                last_month: str, extract: str, published_da: str, min_count: int) -> SvdInputs:
    """Load police.uk data (through the cache), the force extract, boundaries and populations."""
    from sna.io.extract import read_force_extract
    from sna.io.geography import population, read_boundaries
    from sna.io.study import load_study
    from sna.paths import repo_root

    study = load_study(police_uk, ltla24_codes=ltla24_codes, forces=[force_name],
                       first_month=first_month, last_month=last_month)
    accounted = read_force_extract(repo_root() / extract,
                                   study_lsoas=set(study.lsoas["lsoa21_code"]))
    residents = population()
    residents = residents[residents["lsoa21_code"].isin(study.lsoas["lsoa21_code"])]
    return SvdInputs(study=study, extract=accounted, offences=accounted.clean,
                     published_da=pd.read_csv(repo_root() / published_da),
                     boundaries=read_boundaries("lsoa21"), lsoa_population=residents,
                     policy=DisclosurePolicy(min_count=min_count))


def sources_and_methods(inputs: SvdInputs) -> Section:
    """Data sources with licence, the files read, and the methods used."""
    section = Section()
    files = ", ".join(inputs.study.files)
    sources = pd.DataFrame([
        ("police.uk street-level crime", f"{len(inputs.study.files)} monthly files: {files}",
         "Home Office, OGL v3.0"),
        ("Census 2021 usual residents, age (TS001, TS007A)", "LSOA 2021", "ONS, OGL v3.0"),
        ("Rural-Urban Classification 2021", "LSOA 2021", "ONS, OGL v3.0"),
        ("English Indices of Deprivation 2025", "LSOA 2021", "MHCLG, OGL v3.0"),
        ("LSOA 2021 boundaries (super generalised)", "ONS Open Geography",
         "ONS, OGL v3.0; contains OS data (c) Crown copyright and database right 2024"),
        ("DA-related crimes by quarter", "NYCSP report to scrutiny, Sept 2023, table 3.6",
         "North Yorkshire CSP (published)"),
        ("Force extract (offence codes, DA flag, victim age, time)", "SYNTHETIC demo data",
         "generated by sna demo-data from published aggregates"),
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
        ("Disclosure control", f"counts below {inputs.policy.min_count} suppressed, with "
                               "secondary suppression in tables with totals"),
    ], columns=["Topic", "Method"])
    section.table(methods, "Methods")
    return section
