"""Sections of the annual hate-crime review.

Each public section function takes the force extract's clean rows (from
:func:`sna.io.extract.read_force_extract`) and parameters, and returns a
:class:`~sna.reports.sections.Section` whose sentences, tables and charts all come from the
library's tested statistics (:mod:`sna.stats.strands`, :mod:`sna.stats.trend`,
:mod:`sna.stats.rates`, :mod:`sna.stats.disclosure`). The notebook
``notebooks/hate_crime_review.ipynb`` is only headings plus one call per section.

Two counts are kept apart everywhere, as in :mod:`sna.stats.strands`: **hate offences**
(each offence once) and **strand flags** (an offence recorded against two strands
counts once under each). Strand shares are shares of hate offences, so they can sum
to more than 100%.

The review year is the 12 months ending ``last_month``; it is compared with the 12
months before, and the last complete financial-year quarter with the quarter before it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sna.checks import check_conf
from sna.errors import SnaInputError
from sna.io.accounting import Accounted
from sna.io.census import read_census_tables
from sna.io.extract import DEFAULT_STRANDS, strand_column
from sna.io.geography import RUC21_LABELS, RUC21_ORDER, lsoa21_lookup
from sna.periods import months_of, period_label, period_months, rows_in_period
from sna.reports import charts
from sna.reports.findings import (
    ReportFrame,
    change_finding,
    highest_rate_finding,
)
from sna.reports.sections import NotAvailable, Section, degrades
from sna.reports.wording import (
    MIN_COUNT_FOR_PERCENT,
    change_sentence,
    join_words,
    month_runs_text,
    month_text,
    percent_change_text,
    period_text,
    seasonality_sentence,
    strength,
    trend_sentence,
)
from sna.stats import strands as hs
from sna.stats.disclosure import (
    SUPPRESSED_SYMBOL,
    TOTAL_GROUP,
    DisclosurePolicy,
    protected_rates,
    suppress_crosstab,
)
from sna.stats.rates import proportion_ci
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
    format_p,
    format_percent,
    format_rate,
    format_ratio,
    format_statistic,
)

PER_1000 = 1000
SYNTHETIC_NOTE = ("Demo data: the hate-crime figures in this section come from a synthetic force "
                  "extract generated from published totals; they are not real offences.")
SYNTHETIC_SOURCE = "Demo force extract (synthetic, generated from published totals)"
EXTRACT_SOURCE = "Force crime extract (restricted)"
CENSUS_SOURCE = "ONS Census 2021, OGL v3.0"
OGL_ATTRIBUTION = ("Contains public sector information licensed under the Open Government "
                   "Licence v3.0. Source: Office for National Statistics.")
HATE_OFFENCES = "Hate offences (each offence counted once)"


# ---------------------------------------------------------------- periods and inputs


@dataclass(frozen=True)
class ReviewPeriods:
    """The periods a review compares (see :func:`review_periods`).

    Attributes
    ----------
    year, previous_year : tuple of str
        First and last month of the review year and of the 12 months before it.
    quarter, previous_quarter : tuple of str
        The last complete financial-year quarter ending by the review year's last
        month, and the quarter before it.
    year_label, previous_year_label, quarter_label, previous_quarter_label : str
        Labels such as ``"Jan-Dec 2025"`` and ``"Q3 2025/26"``.
    """

    year: tuple[str, str]
    previous_year: tuple[str, str]
    quarter: tuple[str, str]
    previous_quarter: tuple[str, str]
    year_label: str
    previous_year_label: str
    quarter_label: str
    previous_quarter_label: str


def review_periods(last_month: str) -> ReviewPeriods:
    """Return the review year, the year before, and the last two financial quarters.

    Parameters
    ----------
    last_month : str
        Last month of the review year, ``"YYYY-MM"``.

    Returns
    -------
    ReviewPeriods

    Raises
    ------
    SnaInputError
        ``last_month`` is not a month.

    Examples
    --------
    >>> p = review_periods("2025-12")
    >>> p.year, p.previous_year, p.quarter, p.previous_quarter
    (('2025-01', '2025-12'), ('2024-01', '2024-12'), ('2025-10', '2025-12'), ('2025-07', '2025-09'))
    >>> p.year_label, p.quarter_label, p.previous_quarter_label
    ('Jan-Dec 2025', 'Q3 2025/26', 'Q2 2025/26')
    >>> review_periods("2025-11").quarter
    ('2025-07', '2025-09')
    """
    try:
        if not re.fullmatch(r"\d{4}-\d{2}", str(last_month)):
            raise ValueError(last_month)
        end = pd.Period(str(last_month), freq="M")
    except (ValueError, TypeError):
        raise SnaInputError(f"review_year_last_month {last_month!r} is not a month",
                            fix="write it as 'YYYY-MM', e.g. '2025-12'",
                            column="review_year_last_month", value=last_month) from None
    quarter_end = end - (end.month % 3)

    def span(last: pd.Period, months: int) -> tuple[str, str]:
        return str(last - (months - 1)), str(last)

    year, previous = span(end, 12), span(end - 12, 12)
    quarter, previous_quarter = span(quarter_end, 3), span(quarter_end - 3, 3)
    return ReviewPeriods(
        year, previous, quarter, previous_quarter,
        period_label(period_months(year)), period_label(period_months(previous)),
        period_label(quarter_end.asfreq("Q-MAR")),
        period_label((quarter_end - 3).asfreq("Q-MAR")))


@dataclass(frozen=True)
class HateReviewInputs:
    """What :func:`load_inputs` reads: the extract, the study area and the rule for tables.

    Attributes
    ----------
    accounted : Accounted
        The extract's clean rows, quarantine and notes.
    offences : pandas.DataFrame
        ``accounted.clean``: every offence of the extract in the study area.
    lsoas : pandas.DataFrame
        The study area's LSOAs with ``district_name``, ``ruc21_code`` and
        ``usual_residents`` (:func:`sna.io.geography.lsoa_profile`).
    policy : DisclosurePolicy
    strands : tuple of str
    extract_file : str
        The extract's file name.
    """

    accounted: Accounted
    offences: pd.DataFrame
    lsoas: pd.DataFrame
    policy: DisclosurePolicy
    strands: tuple[str, ...]
    extract_file: str


def load_inputs(extract: str, ltla24_codes: Sequence[str],
                *, strands: Sequence[str] = DEFAULT_STRANDS, min_count: int = 10,
                subareas: str = "auto") -> HateReviewInputs:
    """Read the force extract for the study area, with the area's LSOA profile.

    Parameters
    ----------
    extract : str
        The extract file, relative to the project root (or absolute).
    ltla24_codes : sequence of str
        The study area's councils (LAD 2024 codes).
    strands : sequence of str
        Strands the force records (one ``hate_<strand>`` column each).
    min_count : int, default 10
        Smallest count published in breakdowns below the whole area.
    subareas : str, default "auto"
        The sub-areas (:func:`sna.io.geography.subarea_columns`).

    Returns
    -------
    HateReviewInputs
        Rows whose LSOA is outside the area are quarantined by the reader.
    """
    from sna.io.extract import read_force_extract
    from sna.io.geography import lsoa_profile, study_area_lsoas
    from sna.paths import repo_root

    path = Path(extract)
    if not path.is_absolute():
        path = repo_root() / path
    lsoas = lsoa_profile(study_area_lsoas(ltla24_codes=tuple(ltla24_codes), subareas=subareas))
    accounted = read_force_extract(path, strands=strands,
                                   study_lsoas=set(lsoas["lsoa21_code"]))
    return HateReviewInputs(accounted, accounted.clean, lsoas,
                            DisclosurePolicy(min_count=min_count),
                            tuple(accounted.notes["strands"]), path.name)


def validate_params(params: dict, *, params_file: Path | None = None) -> dict:
    """Check the review's parameter values before the notebook runs (the notebook's validator).

    Parameters
    ----------
    params : dict
        Parameters read from the params file (keys and types already checked).
    params_file : Path, optional
        The file, named in error messages.

    Returns
    -------
    dict
        ``params`` unchanged.

    Raises
    ------
    SnaInputError
        A review month that is not ``YYYY-MM``, ``min_count`` below 1, ``conf`` outside
        [0.9, 1) (:func:`sna.checks.check_conf`, the check every method uses), an unknown
        strand (or a ``trend_strands`` entry not in ``strands``),
        a missing extract file.

    Examples
    --------
    >>> validate_params({"review_year_last_month": "2025-12", "conf": 0.95})["conf"]
    0.95
    >>> try:
    ...     validate_params({"review_year_last_month": "Dec 2025x"})
    ... except SnaInputError as err:
    ...     print(err.problem)
    review_year_last_month 'Dec 2025x' is not a month
    """
    from sna.io.extract import check_strands
    from sna.paths import repo_root

    file = None if params_file is None else str(params_file)
    if "review_year_last_month" in params:
        review_periods(params["review_year_last_month"])
    if "min_count" in params:
        DisclosurePolicy(min_count=params["min_count"])
    check_conf(params.get("conf", 0.95), file=file)
    strands = check_strands(params.get("strands", DEFAULT_STRANDS))
    unknown = [s for s in params.get("trend_strands", []) if s not in strands]
    if unknown:
        raise SnaInputError(f"trend_strands has {unknown[0]!r}, which is not in strands",
                            file=file, column="trend_strands", value=unknown[0],
                            fix=f"use strands from: {', '.join(strands)}")
    if "extract" in params:
        path = Path(params["extract"])
        path = path if path.is_absolute() else repo_root() / path
        if not path.is_file():
            raise SnaInputError("the extract file does not exist", file=file, column="extract",
                                value=params["extract"], fix="give the extract's path relative "
                                "to the project root, e.g. data/raw/<force>_extract.csv")
    return params


def data_banner(uses_synthetic_data: bool):
    """The note that opens the report when it runs on real force data (the frame does the rest).

    Parameters
    ----------
    uses_synthetic_data : bool
        The report runs on the synthetic demo extract.

    Returns
    -------
    IPython.display.HTML
        The note, or nothing for synthetic data.

    Examples
    --------
    >>> "restricted" in data_banner(False).data, data_banner(True).data
    (True, '')
    """
    from IPython.display import HTML

    if uses_synthetic_data:
        return HTML("")
    return HTML('<p class="sna-note"><em>Record-level force data (restricted): only '
                "aggregated, disclosure-controlled figures are shown.</em></p>")


def _start(synthetic: bool, anchor: str = "", title: str = "") -> Section:
    section = Section(anchor=anchor, title=title)
    if synthetic:
        section.note(SYNTHETIC_NOTE)
    return section


def _source(synthetic: bool) -> str:
    return SYNTHETIC_SOURCE if synthetic else EXTRACT_SOURCE


def _subheading(section: Section, text: str) -> None:
    section.blocks.append(("html", f"<h3>{html.escape(text)}</h3>"))


def _hate(offences: pd.DataFrame, strands: Sequence[str]) -> pd.Series:
    return offences[[strand_column(s) for s in strands]].any(axis=1)


def _check_covered(offences: pd.DataFrame, periods: ReviewPeriods,
                   previous: bool = True) -> None:
    """Raise NotAvailable (an SnaInputError) unless the extract covers the months needed.

    The review year and, if ``previous``, the year before it too.
    """
    months = months_of(offences)
    first, last = months.min(), months.max()
    need_first = pd.Period(periods.previous_year[0] if previous else periods.year[0], freq="M")
    need_last = pd.Period(periods.year[1], freq="M")
    if need_first < first or need_last > last:
        raise NotAvailable(
            f"the review needs the months {need_first} to {need_last} but the extract covers "
            f"{first} to {last}", column="review_year_last_month", value=str(need_last),
            fix="choose a review_year_last_month with 23 months of extract before it"
                if previous else "choose a review_year_last_month inside the extract")


def _with_symbol(frame: pd.DataFrame, hidden: pd.Series | np.ndarray,
                 columns: Sequence[str]) -> pd.DataFrame:
    """Show suppressed cells as the GSS symbol [c] (the results keep them missing)."""
    out = frame.copy()
    mask = np.asarray(hidden, dtype=bool)
    for column in columns:
        values = out[column].astype(object)
        values[mask] = SUPPRESSED_SYMBOL
        out[column] = values
    return out


# ---------------------------------------------------------------- data quality


def data_quality(accounted: Accounted, *, strands: Sequence[str] = DEFAULT_STRANDS,
                 synthetic: bool = True) -> Section:
    """Extract rows read, used and set aside by reason, and the hate offences found.

    Parameters
    ----------
    accounted : Accounted
        The extract's clean rows, quarantine and notes (``inputs.accounted``).
    strands : sequence of str, default every strand
        Strands the force records (one ``hate_<strand>`` column each).
    synthetic : bool, default True
        The data are the synthetic demo: figures are labelled as demo data.

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.

    Examples
    --------
    >>> from sna.io.accounting import split_by_reason
    >>> rows = pd.DataFrame({"month": pd.PeriodIndex(["2025-01", "2025-02"], freq="M"),
    ...                      "hate_race": [True, False], "source_file": "x.csv",
    ...                      "source_row": [2, 3]})
    >>> section = data_quality(split_by_reason(rows, pd.Series([None, None])),
    ...                        strands=["race"])
    >>> section.results["hate_offences"], section.results["multi_strand"]
    (1, 0)
    """
    section = _start(synthetic, "sec-data-quality", "Data quality")
    summary = accounted.summary().rename(columns={"measure": "Measure", "rows": "Rows"})
    section.table(summary, "Force extract rows: read, used and set aside by reason",
                  decimals=0, technical=True)
    clean = accounted.clean
    flags = clean[[strand_column(s) for s in strands]]
    hate = int(flags.any(axis=1).sum())
    multi = int((flags.sum(axis=1) > 1).sum())
    section.results.update(summary=summary, hate_offences=hate, multi_strand=multi)
    section.text(f"{format_count(accounted.rows_in)} rows were read: {format_count(len(clean))} "
                 "used and "
                 f"{format_count(len(accounted.quarantine))} set aside with a reason (see the "
                 "technical "
                 f"appendix). Of the rows used, {format_count(hate)} are hate offences (recorded "
                 "against at "
                 f"least one of the {len(strands)} strands), {format_count(multi)} of them "
                 "against two or "
                 "more.")
    notes = accounted.notes
    if notes.get("first_month"):
        gaps = notes.get("months_without_rows") or []
        gap_text = (f"; months with no rows (no data, not zero): {month_runs_text(gaps)}"
                    if gaps else "; every month in between has rows")
        section.text(f"The extract runs from {month_text(notes['first_month'])} to "
                     f"{month_text(notes['last_month'])}{gap_text}.")
    blanks = notes.get("blank_flags_read_as_N") or {}
    if blanks:
        listed = ", ".join(f"{column} ({format_count(n)})" for column, n in blanks.items())
        section.technical(f"Blank flags were read as 'N' (not flagged): {listed}.")
    return section


def _seasonal(offences: pd.DataFrame, last_month: str, strands: Sequence[str], conf: float):
    """Monthly hate offences and their seasonal model, or the reason no model was fitted."""
    monthly = hs.strand_monthly_counts(offences, strand=None, strands=strands,
                                       last_month=last_month)
    reason = seasonal_model_reason(monthly.astype(float))
    if reason is not None:
        return monthly, None, reason
    year_start = (pd.Period(last_month, freq="M") + 1).month
    return monthly, seasonal_trend(monthly.astype(float), conf=conf,
                                   year_start_month=year_start), None


def _change_sentence(section: Section, comparison, subject: str, period_a: str,
                     period_b: str) -> None:
    """The reader's sentence of a change (the change rule's verdict) and its technical notes."""
    section.text(change_sentence(subject, comparison.count_a, comparison.count_b, period_a,
                                 period_b, comparison.verdict))
    section.technical(describe_change(comparison, subject=subject, period_a=period_a,
                                      period_b=period_b))
    section.technical(change_note(comparison, subject=subject))


def _annual_table(trend) -> pd.DataFrame:
    annual = trend.annual
    table = pd.DataFrame({
        "Year": annual["year"], "Months with data": annual["periods_with_data"],
        "Hate offences": annual["total"].astype("Int64"),
        "Compared with": annual["compared_with"], "Change (%)": annual["change_pct"],
        "Rate ratio": annual["rate_ratio"], "Lower CI": annual["rr_lower"],
        "Upper CI": annual["rr_upper"],
        "p": [None if pd.isna(p) else format_p(p, with_equals=False)
              for p in annual["p_value"]],
        "Test": annual["test"], "Verdict": annual["verdict"]})
    return table


@degrades
def totals_and_trend(offences: pd.DataFrame, last_month: str, area_name: str,
                     *, conf: float = 0.95, strands: Sequence[str] = DEFAULT_STRANDS,
                     synthetic: bool = True) -> Section:
    """Hate offences in the review year against the year before, by month, and the trend.

    Parameters
    ----------
    offences : pandas.DataFrame
        Clean extract rows (all offences; hate offences are those with a strand flag).
    last_month : str
        Last month of the review year (``"YYYY-MM"``).
    area_name : str
    conf : float, default 0.95
    strands : sequence of str
    synthetic : bool, default True
        Open with the synthetic-data note and name the synthetic source.

    Returns
    -------
    Section
        ``results``: ``periods``, ``comparison`` (:class:`~sna.stats.trend.PeriodComparison`,
        judged by the change rule), ``monthly`` (Series), ``seasonal_trend`` and
        ``annual`` (table), both None when no seasonal model could be fitted.
    """
    section = _start(synthetic, "sec-totals", "Totals and trend")
    periods = review_periods(last_month)
    _check_covered(offences, periods)
    monthly, trend, reason = _seasonal(offences, last_month, strands, conf)
    comparison = change_between(monthly.astype(float), period_months(periods.previous_year),
                                period_months(periods.year), conf=conf)
    section.results.update(periods=periods, comparison=comparison, monthly=monthly,
                           seasonal_trend=trend)
    count_a, count_b = comparison.count_a, comparison.count_b
    year_a, year_b = period_text(*periods.previous_year), period_text(*periods.year)
    section.text(change_sentence("Hate crimes (each offence counted once)", count_a, count_b,
                                 year_a, year_b, comparison.verdict))
    section.finding(change_finding(f"Hate crimes in {area_name}", count_a, count_b, year_a,
                                   year_b, comparison.verdict, section=section.anchor,
                                   section_title=section.title, topic="hate", demo=synthetic,
                                   lead=True, ratio=comparison.rate_ratio))
    section.technical(describe_change(comparison, subject=HATE_OFFENCES,
                                      period_a=periods.previous_year_label,
                                      period_b=periods.year_label))
    section.technical(change_note(comparison, subject=HATE_OFFENCES))
    chart_data = pd.DataFrame({"period": monthly.index.astype(str), "count": monthly.to_numpy()})
    section.figure(charts.monthly_counts_chart(
        chart_data, title=f"Hate crimes per month, {area_name}, "
                          f"{period_text(str(monthly.index[0]), str(monthly.index[-1]))}",
        source=_source(synthetic), y_title="Hate offences"))
    if trend is None:
        section.text(reason + " The change between years above is judged without it.")
        section.technical(series_variation(monthly.astype(float)).note)
        section.results["annual"] = None
        return section
    section.text(trend_sentence(trend, "hate crimes"))
    section.technical(describe_trend(trend, subject="hate offences"))
    section.technical(trend_note(trend))
    annual = _annual_table(trend)
    section.results["annual"] = annual
    section.table(_annual_reader_table(annual),
                  f"Hate crimes by year ending {pd.Period(last_month, 'M'):%B}, each year "
                  "against the one before (complete years only)",
                  note="No percentage is shown where the earlier year had fewer than "
                       f"{MIN_COUNT_FOR_PERCENT} offences.")
    section.table(annual, "Hate offences by year, each year against the one before (the change "
                          "rule: allowing for the series' month-to-month variation when it is "
                          "larger than chance; p-values not adjusted for the number of years)",
                  decimals={"Change (%)": 1, "Rate ratio": 2, "Lower CI": 2, "Upper CI": 2},
                  technical=True)
    for note in trend.notes:
        if "year-on-year comparisons" not in note:  # month-on-month table not published here
            section.technical(note)
    return section


# ---------------------------------------------------------------- seasonal pattern


def _quarter_block(section: Section, monthly: pd.Series, periods: ReviewPeriods,
                   conf: float) -> None:
    """The last quarter against the one before, and whether that change recurs each year."""
    quarter = period_months(periods.quarter)
    if (quarter - 15).min() < monthly.index.min():  # no same two quarters a year earlier
        change = change_between(monthly.astype(float), quarter - 3, quarter, conf=conf)
        section.results.update(quarter_change=change, recurring=None)
        _change_sentence(section, change, "Hate offences", periods.previous_quarter_label,
                         periods.quarter_label)
        section.text("Whether this change recurs every year cannot be tested: that needs the "
                     "same two quarters a year earlier, and the data start in "
                     f"{monthly.index.min():%B %Y}.")
        return
    recurring = hs.recurring_change(monthly, periods.quarter, conf=conf)
    section.results.update(quarter_change=recurring.this_year, recurring=recurring)
    _change_sentence(section, recurring.this_year, "Hate crimes",
                     f"{periods.previous_quarter_label} "
                     f"({period_text(*periods.previous_quarter)})",
                     f"{periods.quarter_label} ({period_text(*periods.quarter)})")
    if recurring.verdict.startswith("in line"):
        section.text("That change is in line with the change between the same quarters a year "
                     "earlier: the usual seasonal swing, not a new development.")
    else:
        section.text(f"That change is clearly {recurring.verdict.split(' than')[0]} than the "
                     "change between the same quarters a year earlier, so it is more than the "
                     "usual seasonal swing.")
    section.technical(hs.describe_recurring_change(recurring, what="Hate offences"))
    section.technical(hs.recurring_change_note(recurring))


@degrades
def seasonal_pattern(offences: pd.DataFrame, last_month: str, area_name: str,
                     *, conf: float = 0.95, strands: Sequence[str] = DEFAULT_STRANDS,
                     synthetic: bool = True) -> Section:
    """Seasonal indices of hate offences and the "recurring annual trend" question.

    The last financial quarter's change from the quarter before is compared with the
    change between the same two quarters a year earlier
    (:func:`sna.stats.strands.recurring_change`, by the change rule). When a month has
    been seen fewer than twice no seasonal model is fitted and the section says why.

    Returns
    -------
    Section
        ``results``: ``seasonal_trend`` (None when no model was fitted),
        ``seasonal_reason`` (why not, or None), ``quarter_change``
        (:class:`~sna.stats.trend.PeriodComparison`), ``recurring``
        (:class:`~sna.stats.strands.RecurringChange`).

    Parameters
    ----------
    offences : pandas.DataFrame
        The force extract's clean rows (:func:`sna.io.extract.read_force_extract`).
    last_month : str
        Last month of the review year, ``"YYYY-MM"``.
    area_name : str
        The area's name as printed in sentences and titles.
    conf : float, default 0.95
        Confidence level of every interval and test.
    strands : sequence of str, default every strand
        Strands the force records (one ``hate_<strand>`` column each).
    synthetic : bool, default True
        The data are the synthetic demo: figures are labelled as demo data.
    """
    section = _start(synthetic, "sec-seasonal", "Seasonal pattern")
    periods = review_periods(last_month)
    _check_covered(offences, periods)
    monthly, trend, reason = _seasonal(offences, last_month, strands, conf)
    if trend is None:
        section.text(reason)
    else:
        section.figure(charts.seasonal_chart(
            trend.seasonal_indices[["season", "index", "lower", "upper"]],
            title=f"Hate crimes by month of the year, {area_name}, "
                  f"{period_text(str(monthly.index[0]), str(monthly.index[-1]))} (1 = average "
                  "month)", source=_source(synthetic), conf=conf))
        section.text(seasonality_sentence(trend, "hate crimes", alpha=1 - conf))
        section.technical(describe_seasonality(trend, subject="hate offences"))
        section.technical(seasonality_note(trend))
    section.results.update(seasonal_trend=trend, seasonal_reason=reason)
    _quarter_block(section, monthly, periods, conf)
    if trend is None:
        return section
    flagged = trend.flagged
    if flagged.empty:
        section.technical(f"No month's count lies outside the model's {conf_label(conf)} "
                          "prediction "
                          "interval.")
    else:
        months = ", ".join(f"{p:%b %Y}" for p in flagged.index)
        section.technical(f"{len(flagged)} month(s) lie outside the model's {conf_label(conf)} "
                          f"prediction interval: {months}; about "
                          f"{format_rate((1 - conf) * len(trend.fitted), decimals=1)} would be "
                          "expected by chance "
                          "alone.")
    return section


def _percent_1dp(value: float) -> str:
    return format_percent(value, decimals=1)


def _signed_percent_1dp(value: float) -> str:
    return format_percent(value, decimals=1, signed=True)


def _share_ci(row, conf: float, value: str = "share", lower: str = "share_lower",
              upper: str = "share_upper") -> str:
    """A share (0 to 1) and its interval in a technical note: ``41.2% (95% CI 38.0% to 44.5%``."""
    interval = format_interval(row[lower] * 100, row[upper] * 100, conf=conf,
                               formatter=_percent_1dp)
    return f"{_percent_1dp(row[value] * 100)} ({interval}"


def _shares_block(section: Section, offences: pd.DataFrame, periods: ReviewPeriods,
                  strands: Sequence[str], conf: float) -> None:
    table = hs.strand_share_table(offences, periods.year, strands=strands, conf=conf)
    section.results["shares"] = table
    total = int(table["count"].iloc[-1])
    flags = int(table["count"].iloc[:-1].sum())
    multi = table.attrs["multi_strand"]
    top = table.iloc[:-1].sort_values("count", ascending=False).iloc[0]
    section.text(
        f"In {period_text(*periods.year)} there were {format_count(total)} hate crimes, recorded "
        "against "
        f"{format_count(flags)} strands in all: {format_count(multi)} were recorded against two "
        "or more strands, so "
        f"the strand counts below add up to more than the number of crimes and the shares to "
        f"more than 100%. {top['strand_label']} was the most common strand, recorded on "
        f"{format_percent(top['share'] * 100)} of hate crimes.")
    section.technical(f"{top['strand_label']} share {_share_ci(top, conf)}, Wilson score "
                      "interval).")
    shown = pd.DataFrame({
        "Strand": list(table["strand_label"].iloc[:-1]) + [HATE_OFFENCES],
        "Counts": table["counts_what"], "Number": table["count"],
        "Share of hate offences (%)": table["share"] * 100,
        "Lower limit (%)": table["share_lower"] * 100,
        "Upper limit (%)": table["share_upper"] * 100})
    section.table(shown, f"Hate crimes by strand, {period_text(*periods.year)}: number "
                         f"recorded against each strand and share of hate crimes, with "
                         f"{conf_label(conf)} range of likely values",
                  note="A strand's number is the crimes recorded against it; the last row counts "
                       "each hate crime once.")


def _shift_table(shift: hs.StrandShift) -> pd.DataFrame:
    t = shift.table
    return pd.DataFrame({
        "Strand": t["strand_label"], f"{shift.label_a} (flags)": t["count_a"],
        f"{shift.label_b} (flags)": t["count_b"], f"Share {shift.label_a} (%)": t["share_a"] * 100,
        f"Share {shift.label_b} (%)": t["share_b"] * 100, "Rate ratio": t["rate_ratio"],
        "Lower CI": t["rr_lower"], "Upper CI": t["rr_upper"],
        "p (Holm)": [format_p(p, with_equals=False) for p in t["p_adjusted"]],
        "Verdict": t["verdict"]})


def _shift_block(section: Section, shift: hs.StrandShift, heading: str, key: str,
                 synthetic: bool, area_name: str) -> None:
    section.results[key] = shift
    _subheading(section, heading)
    total = shift.total
    section.text(change_sentence("Hate crimes (each counted once)", total.count_a, total.count_b,
                                 shift.label_a, shift.label_b, total.verdict))
    mix_changed = shift.composition.verdict not in ("no significant change in strand mix",
                                                    "not testable")
    section.text("The mix of strands changed clearly between the two periods."
                 if mix_changed else "The mix of strands did not change clearly.")
    section.technical(describe_change(shift.total, subject=HATE_OFFENCES, period_a=shift.label_a,
                                      period_b=shift.label_b))
    section.technical(hs.describe_composition(shift.composition))
    section.technical(change_note(shift.total, subject=HATE_OFFENCES))
    table = shift.table
    ordered = pd.concat([table[table["verdict"] != "no significant change"],
                         table[table["verdict"] == "no significant change"]])
    for _, row in ordered.iterrows():
        sentence = change_sentence(f"{row['strand_label']} hate crimes", row["count_a"],
                                   row["count_b"], shift.label_a, shift.label_b,
                                   row["verdict"])
        if row["verdict"] != "no significant change":
            section.text(sentence)
        if key == "year_shift":
            section.finding(change_finding(
                f"{row['strand_label']} hate crimes", int(row["count_a"]), int(row["count_b"]),
                shift.label_a, shift.label_b, row["verdict"], section=section.anchor,
                section_title=section.title, topic="hate", demo=synthetic,
                ratio=float(row["rate_ratio"])))
        section.technical(hs.describe_strand_shift(row))
        section.technical(hs.strand_shift_note(row))
    if (table["verdict"] == "no significant change").all():
        section.text("No strand changed clearly once the number of strands compared is allowed "
                     "for.")
    chart_data = pd.DataFrame({"category": table["strand_label"], "rate_ratio":
                               table["rate_ratio"], "lower": table["rr_lower"],
                               "upper": table["rr_upper"], "verdict": table["verdict"]})
    section.figure(charts.shift_chart(
        chart_data, title=f"Change in hate crimes by strand, {shift.label_a} to "
                          f"{shift.label_b}, {area_name}", source=_source(synthetic),
        conf=shift.composition.conf),
        caption=f"How many times as many crimes of each strand were recorded in "
                f"{shift.label_b} as in {shift.label_a} (1 = no change), with the range of "
                "likely values.")
    section.table(_shift_reader_table(shift), f"Hate crimes by strand, {shift.label_b} against "
                                              f"{shift.label_a}",
                  note=f"No percentage is shown where the earlier count was below "
                       f"{MIN_COUNT_FOR_PERCENT}.")
    section.table(_shift_table(shift), f"Strand flags, {shift.label_b} against {shift.label_a} "
                                       "(each strand tested allowing for its own "
                                       "month-to-month variation, Holm-adjusted)",
                  decimals={f"Share {shift.label_a} (%)": 1, f"Share {shift.label_b} (%)": 1,
                            "Rate ratio": 2, "Lower CI": 2, "Upper CI": 2}, technical=True)


def _shares_chart(section: Section, shift: hs.StrandShift, area_name: str,
                  synthetic: bool) -> None:
    t = shift.table
    frames = [pd.DataFrame({"category": t["strand_label"], "share": t[f"share_{s}"],
                            "lower": t[f"share_{s}_lower"], "upper": t[f"share_{s}_upper"],
                            "period": label})
              for s, label in (("a", shift.label_a), ("b", shift.label_b))]
    section.figure(charts.shares_ci_chart(
        pd.concat(frames, ignore_index=True),
        title=f"Share of hate crimes recorded against each strand, {area_name}, "
              f"{shift.label_a} and {shift.label_b}",
        source=_source(synthetic), x_title="Share of hate offences",
        conf=shift.composition.conf))


def describe_rolling_trend(trend: hs.RollingTrend, *, p_adjusted: float | None = None,
                           n_tests: int = 1) -> str:
    """One plain sentence on a strand's gradual trend over 12 months (:func:`~sna.stats.strands.rolling_12_month`).

    The test is in :func:`rolling_trend_note`.

    Parameters
    ----------
    trend : RollingTrend
    p_adjusted : float, optional
        Holm-adjusted p-value over ``n_tests`` strands; the verdict then uses it.
    n_tests : int, default 1

    Returns
    -------
    str
        One sentence for the technical appendix.

    Examples
    --------
    >>> months = pd.period_range("2025-01", "2025-12", freq="M")
    >>> df = pd.DataFrame({"month": np.repeat(months, [20, 19, 18, 17, 16, 15, 14, 13, 12,
    ...                                                  11, 10, 9]), "hate_disability": True})
    >>> t = hs.rolling_12_month(df, strand="disability", strands=["disability"])
    >>> describe_rolling_trend(t)
    'Over the 12 months Jan-Dec 2025, disability hate offences fell gradually, by 56.7% a year (95% CI 21.3% to 76.2%), a statistically significant decreasing trend.'
    """  # noqa: E501
    p_value = trend.p_value if p_adjusted is None else p_adjusted
    what = ("hate offences" if trend.strand == hs.ALL
            else f"{hs.strand_label(trend.strand).lower()} hate offences")
    span = period_label(period_months((trend.first_month, trend.last_month)))
    pct = (trend.rr_per_year - 1) * 100
    lower, upper = (trend.rr_per_year_lower - 1) * 100, (trend.rr_per_year_upper - 1) * 100
    adjusted = (f" after allowing for testing {n_tests} strands" if p_adjusted is not None
                else "")
    if p_value < 1 - trend.conf:
        verb, word = ("rose", "increasing") if pct > 0 else ("fell", "decreasing")
        low, high = sorted((abs(lower), abs(upper)))
        ci = format_interval(low, high, conf=trend.conf, formatter=_percent_1dp)
        return (f"Over the 12 months {span}, {what} {verb} gradually, by "
                f"{_percent_1dp(abs(pct))} a year ({ci}), a statistically "
                f"significant {word} trend{adjusted}.")
    ci = format_interval(lower, upper, conf=trend.conf, formatter=_signed_percent_1dp)
    return (f"Over the 12 months {span}, {what} show no statistically significant gradual "
            f"trend (estimated change {_signed_percent_1dp(pct)} a year, {ci}).")


def rolling_trend_note(trend: hs.RollingTrend, *, p_adjusted: float | None = None,
                       n_tests: int = 1) -> str:
    """The technical note for :func:`describe_rolling_trend`: model, dispersion, t test.

    Parameters
    ----------
    trend : RollingTrend
        A strand's 12-month trend (:func:`sna.stats.strands.rolling_trends`).
    p_adjusted : float, optional
        The Holm-adjusted p-value over the strands tested; default: the trend's own.
    n_tests : int, default 1
        How many strands were tested (named in the adjustment note).

    Returns
    -------
    str
        The model, test and adjustment, for the technical appendix.
    """
    what = hs.strand_label(trend.strand)
    quasi = "quasi-Poisson" if trend.dispersion > 1 else "Poisson"
    ratio = format_ratio(trend.rr_per_year, lower=trend.rr_per_year_lower,
                         upper=trend.rr_per_year_upper,
                         conf=trend.conf)
    note = (f"{what}: rate ratio per year {ratio}; t test in a {quasi} GLM with a linear month "
            f"term (dispersion {format_statistic(trend.dispersion)}, "
            f"{trend.df:g} df), {format_p(trend.p_value)}")
    if p_adjusted is not None:
        note += f"; Holm-adjusted over {n_tests} strands, {format_p(p_adjusted)}"
    return note + "."


def _rolling_block(section: Section, offences: pd.DataFrame, last_month: str,
                   strands: Sequence[str], trend_strands: Sequence[str], conf: float,
                   area_name: str, synthetic: bool) -> None:
    table = hs.rolling_trends(offences, last_month, strands=strands, conf=conf)
    section.results["rolling"] = table
    tested = int(table["trend"].notna().sum())
    clear = table[table["verdict"].isin(["increasing", "decreasing"])]
    if len(clear):
        for _, row in clear.iterrows():
            section.text(f"Over the last 12 months {row['strand_label'].lower()} hate crimes "
                         f"were {row['verdict']} month by month: a clear "
                         f"{'rise' if row['verdict'] == 'increasing' else 'fall'}.")
    else:
        watched = [hs.strand_label(s).lower() for s in trend_strands]
        section.text("No strand shows a clear gradual rise or fall over the last 12 months"
                     + (f" (including {join_words(watched)}, which the partnership watches)."
                        if watched else "."))
    for _, row in table.iterrows():
        if row["trend"] is not None and (row["strand"] in trend_strands
                                         or row["verdict"] != "no significant trend"):
            section.technical(describe_rolling_trend(row["trend"], p_adjusted=row["p_adjusted"],
                                                     n_tests=tested))
            section.technical(rolling_trend_note(row["trend"], p_adjusted=row["p_adjusted"],
                                                 n_tests=tested))
    shown = table.drop(columns=["strand", "trend"]).rename(columns={
        "strand_label": "Strand", "count_12_months": "Flags in 12 months",
        "rr_per_year": "Rate ratio per year", "lower": "Lower CI", "upper": "Upper CI",
        "p_value": "p", "p_adjusted": "p (Holm)", "verdict": "Verdict"})
    for column in ("p", "p (Holm)"):
        shown[column] = [None if pd.isna(p) else format_p(p, with_equals=False)
                         for p in shown[column]]
    section.table(shown, "Gradual trend over the last 12 months by strand (quasi-Poisson GLM "
                         "with a linear month term, t test; Holm-adjusted over the strands "
                         "tested)", decimals=2,
                  technical=True)
    frames = []
    for row in table.itertuples():
        monthly = hs.strand_monthly_counts(offences, strand=row.strand, strands=strands,
                                           last_month=last_month)
        rolling = monthly.rolling(12).sum().dropna()
        frames.append(pd.DataFrame({"period": rolling.index.astype(str),
                                    "count": rolling.to_numpy(), "strand": row.strand_label}))
    section.figure(charts.small_multiples(
        pd.concat(frames, ignore_index=True), "strand",
        title=f"Hate crimes in the 12 months to each month, by strand, {area_name} (each panel "
              "has its own scale)", source=_source(synthetic), y_title="Crimes in 12 months",
        independent_y=True))


@degrades
def composition_and_shifts(offences: pd.DataFrame, last_month: str, area_name: str,
                           *, conf: float = 0.95, strands: Sequence[str] = DEFAULT_STRANDS,
                           trend_strands: Sequence[str] = ("disability",),
                           synthetic: bool = True, n_permutations: int = 9999) -> Section:
    """Strand counts and shares, strand shifts (year and quarter) and 12-month strand trends.

    Parameters
    ----------
    offences : pandas.DataFrame
        Clean extract rows.
    last_month : str
        Last month of the review year.
    area_name : str
    conf : float, default 0.95
    strands : sequence of str
        The family of strands (Holm adjustment is over all of them).
    trend_strands : sequence of str, default ("disability",)
        Strands whose 12-month trend is always described (others only when significant).
    synthetic : bool, default True
    n_permutations : int, default 9999
        Permutations of the strand-mix test.

    Returns
    -------
    Section
        ``results``: ``shares`` (:func:`sna.stats.strands.strand_share_table`), ``year_shift`` and
        ``quarter_shift`` (:class:`~sna.stats.strands.StrandShift`), ``rolling``
        (:func:`sna.stats.strands.rolling_trends`).
    """
    section = _start(synthetic, "sec-strands", "Strand composition and shifts")
    periods = review_periods(last_month)
    _check_covered(offences, periods)
    _shares_block(section, offences, periods, strands, conf)
    year = hs.strand_shift(offences, periods.previous_year, periods.year, strands=strands,
                           conf=conf,
                           n_permutations=n_permutations)
    _shares_chart(section, year, area_name, synthetic)
    _shift_block(section, year, f"{periods.year_label} against {periods.previous_year_label}",
                 "year_shift", synthetic, area_name)
    quarter = hs.strand_shift(offences, periods.previous_quarter, periods.quarter, strands=strands,
                              conf=conf, n_permutations=n_permutations)
    _shift_block(section, quarter, f"{periods.quarter_label} against "
                                   f"{periods.previous_quarter_label}",
                 "quarter_shift", synthetic, area_name)
    _subheading(section, "Gradual change over the last 12 months")
    _rolling_block(section, offences, last_month, strands, trend_strands, conf, area_name,
                   synthetic)
    return section


# ---------------------------------------------------------------- geography


def lsoa_hate_counts(offences: pd.DataFrame, lsoas: pd.DataFrame, period: tuple[str, str],
                     *, strands: Sequence[str] = DEFAULT_STRANDS) -> pd.DataFrame:
    """Hate offences (each once) per LSOA of the study area in a period, zeros included.

    Returns
    -------
    pandas.DataFrame
        ``lsoas`` with ``count`` (hate offences) and ``population`` (``usual_residents``).

    Parameters
    ----------
    offences : pandas.DataFrame
        The force extract's clean rows (:func:`sna.io.extract.read_force_extract`).
    lsoas : pandas.DataFrame
        The study area's LSOAs with ``district_name``, ``ruc21_code`` and ``usual_residents``.
    period : tuple of str
        First and last month, ``"YYYY-MM"``.
    strands : sequence of str, default every strand
        Strands the force records (one ``hate_<strand>`` column each).

    Examples
    --------
    >>> lsoas = pd.DataFrame({"lsoa21_code": ["E01000001", "E01000002"],
    ...                       "usual_residents": [1500, 1600]})
    >>> df = pd.DataFrame({"month": pd.PeriodIndex(["2025-01"] * 2, freq="M"),
    ...                    "lsoa21_code": ["E01000001"] * 2, "hate_race": [True, False]})
    >>> lsoa_hate_counts(df, lsoas, ("2025-01", "2025-12"), strands=["race"])["count"].tolist()
    [1, 0]
    """
    rows = rows_in_period(offences, period)
    rows = rows[_hate(rows, strands).to_numpy()]
    counts = rows["lsoa21_code"].astype(str).value_counts()
    out = lsoas.copy()
    out["count"] = out["lsoa21_code"].astype(str).map(counts).fillna(0).astype("int64")
    out["population"] = out["usual_residents"]
    return out


def _rates_sentence(rates: pd.DataFrame, what: str, area_name: str, year_label: str,
                    conf: float, policy: DisclosurePolicy) -> str:
    parts = rates.iloc[:-1]
    shown = parts[~parts["suppressed"]]
    total = rates.iloc[-1]
    text = (f"Across {area_name} there were {format_rate(total['value'])} hate crimes per "
            f"1,000 residents in {year_label}.")
    if len(shown):
        high, low = shown.loc[shown["value"].idxmax()], shown.loc[shown["value"].idxmin()]
        text += (f" By {what}, rates ranged from {format_rate(low['value'])} ({low['group']}) "
                 f"to {format_rate(high['value'])} ({high['group']}).")
        found = [f"clearly {direction} than across the whole area: {join_words(names)}"
                 for direction in ("higher", "lower")
                 if (names := shown.loc[shown["comparison"] == direction, "group"].tolist())]
        if found:
            joined = "; ".join(found)
            text += f" {joined[0].upper()}{joined[1:]}; the others show no clear difference."
        else:
            text += f" No {what}'s rate is clearly different from the whole area's."
    hidden = int(parts["suppressed"].sum())
    if hidden:
        text += (f" {hidden} {what} figure(s) are hidden ({SUPPRESSED_SYMBOL}): counts below "
                 f"{policy.min_count}, and others where needed so that none can be worked out "
                 "from the total.")
    return text


def _rates_view(section: Section, rates: pd.DataFrame, what: str, area_name: str,
                periods: ReviewPeriods, conf: float, policy: DisclosurePolicy,
                synthetic: bool) -> None:
    year = period_text(*periods.year)
    section.text(_rates_sentence(rates, what, area_name, year, conf, policy))
    shown_parts = rates.iloc[:-1][~rates.iloc[:-1]["suppressed"]]
    benchmark = float(rates["value"].iloc[-1])
    if len(shown_parts) and benchmark > 0:
        high = shown_parts.loc[shown_parts["value"].idxmax()]
        section.finding(highest_rate_finding(
            f"{high['group']} had the highest hate-crime rate by {what}", high["value"],
            benchmark, high["comparison"], unit="per 1,000 residents", area_name=area_name,
            section=section.anchor, section_title=section.title, topic="hate",
            demo=synthetic))
    labelled = rates.assign(group=rates["group"].replace({TOTAL_GROUP: f"All of {area_name}"}))
    shown = labelled[~labelled["suppressed"]]
    chart_data = shown.iloc[:-1].rename(columns={"group": "label"})[
        ["label", "value", "lower", "upper", "comparison"]]
    hidden = labelled.loc[labelled["suppressed"], "group"].tolist()
    caption = f"Hate crimes per 1,000 residents by {what}, {year}" + (
        f"; not shown (hidden small counts): {join_words(hidden)}" if hidden else "")
    section.figure(charts.rates_ci_chart(
        chart_data, benchmark=benchmark,
        title=f"Hate crimes per 1,000 residents by {what}, {area_name}, {year}",
        source=f"{_source(synthetic)}; {CENSUS_SOURCE}", x_title="Hate crimes per 1,000 "
        "residents", conf=conf, benchmark_label=area_name), caption=caption)
    table = labelled.drop(columns=["suppressed"]).rename(columns={
        "group": what.capitalize(), "count": "Hate offences", "population": "Residents",
        "value": "Per 1,000 residents", "lower": "Lower limit", "upper": "Upper limit",
        "comparison": f"Compared with {area_name}"})
    table = _with_symbol(table, labelled["suppressed"], ["Hate offences", "Per 1,000 residents",
                                                         "Lower limit", "Upper limit"])
    section.table(table, f"Hate crimes per 1,000 residents (Census 2021) by {what}, {year}, "
                         f"with {conf_label(conf)} range of likely values", note=policy.footnote(),
                  decimals={"Residents": 0, "Per 1,000 residents": 2, "Lower limit": 2,
                            "Upper limit": 2})


@degrades
def geography(offences: pd.DataFrame, lsoas: pd.DataFrame, policy: DisclosurePolicy,
              last_month: str, area_name: str, *, conf: float = 0.95,
              strands: Sequence[str] = DEFAULT_STRANDS, synthetic: bool = True,
              subarea_name: str = "") -> Section:
    """Hate offence rates by sub-area and by rural-urban class, disclosure-controlled.

    Parameters
    ----------
    offences : pandas.DataFrame
        Clean extract rows of the study area.
    lsoas : pandas.DataFrame
        The area's LSOAs: ``lsoa21_code, district_name, ruc21_code, usual_residents``.
    policy : DisclosurePolicy
        Applied to every table and to the chart data (suppressed groups are not drawn).
    last_month, area_name, conf, strands, synthetic
        As for :func:`totals_and_trend`.
    subarea_name : str, default ""
        What the sub-areas are called in headings; empty: their kind (e.g. "ward").

    Returns
    -------
    Section
        ``results``: ``districts`` and ``rurality`` (:func:`sna.stats.disclosure.protected_rates`).

    Notes
    -----
    Strands are not broken down by district: a district's strand flags minus its
    offences would give its number of multi-strand offences, a small count that
    suppression of the cells cannot protect.
    """
    section = _start(synthetic, "sec-geography", "Geography: sub-areas and rurality")
    periods = review_periods(last_month)
    _check_covered(offences, periods, previous=False)
    by_lsoa = lsoa_hate_counts(offences, lsoas, periods.year, strands=strands)
    districts = by_lsoa.groupby("district_name")[["count", "population"]].sum()
    district_rates = protected_rates(districts["count"], districts["population"], policy, conf=conf)
    section.results["districts"] = district_rates
    unit = subarea_name or (str(lsoas["subarea_kind"].iloc[0]) if "subarea_kind" in lsoas
                            else "sub-area")
    _subheading(section, f"By {unit}")
    _rates_view(section, district_rates, unit, area_name, periods, conf, policy,
                synthetic)
    by_lsoa["ruc"] = by_lsoa["ruc21_code"].astype(str)
    classes = by_lsoa.groupby("ruc")[["count", "population"]].sum()
    classes = classes.reindex([c for c in RUC21_ORDER if c in classes.index])
    classes.index = [f"{RUC21_LABELS[c]} ({c})" for c in classes.index]
    class_rates = protected_rates(classes["count"], classes["population"], policy, conf=conf)
    section.results["rurality"] = class_rates
    _subheading(section, "Rural-urban classification (ONS RUC 2021)")
    _rates_view(section, class_rates, "rural-urban class", area_name, periods, conf, policy,
                synthetic)
    return section


# ---------------------------------------------------------------- indicative rates


CENSUS_NOT_USED = {
    "sexual_orientation": "Census 2021 counts sexual orientation for residents aged 16 and over "
                          "(table TS077, published for middle-layer areas and councils, not "
                          "for the small areas used here); it is not among the shipped "
                          "denominators for this report",
    "transgender": "Census 2021 counts gender identity for residents aged 16 and over (table "
                   "TS078); it is not shipped with this toolkit",
    "misogyny": "Census 2021 counts women and girls (table TS008), but misogyny is aimed at a "
                "whole sex, so a rate per woman would add little; none is shown",
    "asylum_migrant": "Census 2021 counts residents born outside the UK (table TS004), not "
                      "asylum seekers; it is not shipped with this toolkit",
    "gypsy_traveller": "Census 2021 counts the Gypsy or Irish Traveller and Roma ethnic groups "
                       "only in its detailed ethnic-group table (TS022), which is not shipped",
    "sex_worker": "Census 2021 has no group for sex workers",
    "alt_subculture": "Census 2021 has no group for alternative subcultures",
}
"""Why a strand has no indicative rate: the correct statement, one a strand."""


@degrades
def indicative_rates(offences: pd.DataFrame, lsoas: pd.DataFrame, last_month: str,
                     *, conf: float = 0.95, strands: Sequence[str] = DEFAULT_STRANDS,
                     synthetic: bool = True, census_dir: str | Path | None = None) -> Section:
    """INDICATIVE strand rates per 1,000 residents of the related Census 2021 group.

    Uses :func:`sna.stats.strands.indicative_rates` with
    :func:`sna.stats.strands.census_denominators` (of the tables
    :func:`sna.io.census.read_census_tables` reads) over the area's LSOAs; strands without a
    Census group are listed with the reason (:data:`CENSUS_NOT_USED`), not rated.

    Returns
    -------
    Section
        ``results``: ``rates`` (the table of :func:`sna.stats.strands.indicative_rates`).

    Parameters
    ----------
    offences : pandas.DataFrame
        The force extract's clean rows (:func:`sna.io.extract.read_force_extract`).
    lsoas : pandas.DataFrame
        The study area's LSOAs with ``district_name``, ``ruc21_code`` and ``usual_residents``.
    last_month : str
        Last month of the period reported, ``"YYYY-MM"``.
    conf : float, default 0.95
        Confidence level of every interval and test.
    strands : sequence of str, default every strand
        Strands the force records (one ``hate_<strand>`` column each).
    synthetic : bool, default True
        The data are the synthetic demo: figures are labelled as demo data.
    census_dir : str or Path, optional
        Folder of the Census 2021 tables; default: the shipped ones.
    """
    section = _start(synthetic, "sec-indicative", "Indicative rates per resident group")
    periods = review_periods(last_month)
    _check_covered(offences, periods, previous=False)
    year = period_text(*periods.year)
    counts = hs.strand_counts(rows_in_period(offences, periods.year), strands=strands)
    census = hs.census_denominators(read_census_tables(census_dir=census_dir),
                                    lsoas=lsoas["lsoa21_code"],
                                    councils=lsoa21_lookup()[["lsoa21_code", "ltla24_code"]])
    rates = hs.indicative_rates(counts, census, multiplier=PER_1000, conf=conf)
    section.results["rates"] = rates
    rated = rates[rates["population"].notna()]
    overall = rated[rated["strand"] == hs.ALL]
    section.text("These rates are only a guide: the victim of a hate crime need not belong to "
                 "the group the hostility was aimed at, and the residents counted are those of "
                 "the Census 2021, not the population in the review year or visitors.")
    for _, row in rated[rated["strand"] != hs.ALL].iterrows():
        text = (f"As a guide, there were {format_rate(row['value'])} "
                f"{row['strand_label'].lower()} hate crimes per 1,000 "
                f"{_plain_group(row['population_definition'])} in {year}")
        if len(overall):
            text += (f", against {format_rate(overall['value'].iloc[0])} hate crimes of any "
                     "strand per 1,000 of all residents")
        section.text(text + ".")
        section.technical(f"{row['strand_label']}: {format_rate(row['value'])} per 1,000 "
                          f"{row['population_definition']} "
                          f"({format_interval(row['lower'], row['upper'], conf=conf)}; exact "
                          "Poisson below 10, Byars).")
    table = rated.rename(columns={
        "strand_label": "Strand", "count": "Offences (flags)", "population": "Residents in group",
        "population_definition": "Group (Census 2021)", "value": "Rate per 1,000 (a guide)",
        "lower": "Lower limit", "upper": "Upper limit"})[
        ["Strand", "Offences (flags)", "Residents in group", "Group (Census 2021)",
         "Rate per 1,000 (a guide)", "Lower limit", "Upper limit"]].reset_index(drop=True)
    table["Offences (flags)"] = table["Offences (flags)"].astype("int64")
    total_note = ""
    if len(overall):
        total_note = ("The 'all residents' figure "
                      f"({format_count(overall['population'].iloc[0])}) is "
                      "the total of the Census ethnic-group table; other tables of this report "
                      "use the Census total of usual residents, which ONS adjusts separately, "
                      "so the two differ by a few people.")
    section.table(table, f"Hate crimes per 1,000 residents of the related group, {year} (a "
                         f"guide only), with {conf_label(conf)} range of likely values",
                  note=total_note or None,
                  decimals={"Residents in group": 0, "Rate per 1,000 (a guide)": 2,
                            "Lower limit": 2, "Upper limit": 2})
    unrated = rates.loc[rates["population"].isna(), ["strand", "strand_label"]]
    if len(unrated):
        reasons = [f"{label}: "
                   f"{CENSUS_NOT_USED.get(strand, 'no matching Census 2021 group is used')}"
                   for strand, label in unrated.itertuples(index=False)]
        section.note("No rate is shown for these strands. " + "; ".join(reasons) + ".")
    return section


def strand_combinations(offences: pd.DataFrame, period: tuple[str, str],
                        policy: DisclosurePolicy, *, strands: Sequence[str] = DEFAULT_STRANDS
                        ) -> pd.Series:
    """Multi-strand hate offences by combination of strands, with their total, protected.

    Combinations with fewer than ``policy.min_count`` offences are grouped as "Other
    combinations"; the one-way table with its total then goes through
    :func:`sna.stats.disclosure.suppress_crosstab`.

    Parameters
    ----------
    offences : pandas.DataFrame
        The force extract's clean rows (:func:`sna.io.extract.read_force_extract`).
    period : tuple of str
        First and last month, ``"YYYY-MM"``.
    policy : DisclosurePolicy
        The rule for suppressing small counts in published tables and charts.
    strands : sequence of str, default every strand
        Strands the force records (one ``hate_<strand>`` column each).

    Returns
    -------
    pandas.Series
        Offences by combination, ending with the total; suppressed cells missing.

    Examples
    --------
    >>> df = pd.DataFrame({"month": pd.PeriodIndex(["2025-01"] * 14, freq="M"),
    ...                    "hate_race": [True] * 14, "hate_religion": [True] * 12 + [False] * 2,
    ...                    "hate_disability": [False] * 12 + [True, False]})
    >>> strand_combinations(df, ("2025-01", "2025-01"), DisclosurePolicy(min_count=10),
    ...                     strands=["race", "religion", "disability"]).tolist()
    [<NA>, <NA>, 13]

    The one other combination (1 offence) is suppressed, and so is the larger one, which
    could otherwise be worked out from the published total.
    """
    rows = rows_in_period(offences, period)
    flags = rows[[strand_column(s) for s in strands]].to_numpy(dtype=bool)
    multi = flags[flags.sum(axis=1) > 1]
    labels = pd.Series([" + ".join(hs.strand_label(s) for s, f in zip(strands, row, strict=True)
                                   if f) for row in multi], dtype=object)
    counts = labels.value_counts()
    large = counts[counts >= policy.min_count]
    table = pd.concat([large, pd.Series({"Other combinations": int(counts.sum() - large.sum())})])
    return suppress_crosstab(table.astype("int64"), policy,
                             total_label="All multi-strand offences").published


def _monthly_multi_strand(offences: pd.DataFrame, last_month: str,
                          strands: Sequence[str]) -> pd.Series:
    """Hate offences with two or more strands per month (zeros filled), to the last month."""
    months = months_of(offences)
    multi = offences[[strand_column(s) for s in strands]].sum(axis=1).to_numpy() > 1
    index = pd.period_range(months.min(), pd.Period(last_month, freq="M"), freq="M")
    counts = pd.Series(multi.astype(float), index=months.to_numpy()).groupby(level=0).sum()
    return counts.reindex(index, fill_value=0.0)


@degrades
def multi_strand_note(offences: pd.DataFrame, last_month: str, policy: DisclosurePolicy,
                      *, conf: float = 0.95, strands: Sequence[str] = DEFAULT_STRANDS,
                      synthetic: bool = True) -> Section:
    """How many hate offences carry two or more strands, and which combinations.

    Returns
    -------
    Section
        ``results``: ``share`` (Wilson interval row), ``combinations``, ``comparison``
        (multi-strand offences against the year before, by the change rule).

    Parameters
    ----------
    offences : pandas.DataFrame
        The force extract's clean rows (:func:`sna.io.extract.read_force_extract`).
    last_month : str
        Last month of the review year, ``"YYYY-MM"``.
    policy : DisclosurePolicy
        The rule for suppressing small counts in published tables and charts.
    conf : float, default 0.95
        Confidence level of every interval and test.
    strands : sequence of str, default every strand
        Strands the force records (one ``hate_<strand>`` column each).
    synthetic : bool, default True
        The data are the synthetic demo: figures are labelled as demo data.
    """
    section = _start(synthetic, "sec-multi", "Multi-strand offences")
    periods = review_periods(last_month)
    _check_covered(offences, periods)
    table = hs.strand_share_table(offences, periods.year, strands=strands, conf=conf)
    total, multi = int(table["count"].iloc[-1]), table.attrs["multi_strand"]
    flags = int(table["count"].iloc[:-1].sum())
    share = proportion_ci(multi, total, conf=conf).iloc[0] if total else None
    comparison = change_between(_monthly_multi_strand(offences, last_month, strands),
                                period_months(periods.previous_year),
                                period_months(periods.year), conf=conf)
    section.results.update(share=share, comparison=comparison)
    year_a, year_b = period_text(*periods.previous_year), period_text(*periods.year)
    if share is not None:
        section.text(f"{format_count(multi)} of the {format_count(total)} hate crimes in {year_b} "
                     f"({format_percent(share['value'] * 100)}) were recorded against two or "
                     f"more strands, giving {format_count(flags)} strand records in all. Strand "
                     "tables "
                     "count strand records, so their strand counts add up to more than the "
                     "crimes; totals of crimes always count each crime once.")
        section.technical(f"Multi-strand share {_share_ci(share, conf, 'value', 'lower', 'upper')}"
                          ", Wilson score interval).")
    section.text(change_sentence("Multi-strand hate crimes", comparison.count_a,
                                 comparison.count_b, year_a, year_b, comparison.verdict))
    section.technical(describe_change(comparison, subject="Multi-strand hate offences",
                                      period_a=periods.previous_year_label,
                                      period_b=periods.year_label))
    section.technical(change_note(comparison, subject="Multi-strand hate offences"))
    combinations = strand_combinations(offences, periods.year, policy, strands=strands)
    section.results["combinations"] = combinations
    shown = combinations.rename_axis("Strands recorded").rename("Offences").reset_index()
    shown["Offences"] = shown["Offences"].astype(object).where(shown["Offences"].notna(),
                                                               SUPPRESSED_SYMBOL)
    section.table(shown, f"Multi-strand hate crimes by combination, {year_b}",
                  note=policy.footnote() + f" Combinations with fewer than {policy.min_count} "
                  "offences are grouped as 'Other combinations'.", decimals=0)
    return section


# ---------------------------------------------------------------- methods and sources


def disclosure_statement(policy: DisclosurePolicy) -> str:
    """What the review suppresses, as it actually does (the methods table's entry).

    Breakdowns below the whole area (districts, LSOAs, strand combinations) are
    protected by ``policy``; the whole area's totals by strand and by period are published
    as counted, however small, as the force's own annual figures are.

    Parameters
    ----------
    policy : DisclosurePolicy
        The rule for suppressing small counts in published tables and charts.

    Returns
    -------
    str

    Examples
    --------
    >>> text = disclosure_statement(DisclosurePolicy(min_count=10))
    >>> text.startswith("Whole-area counts (by strand and by period) are published in full")
    True
    """
    return ("Whole-area counts (by strand and by period) are published in full, as the force "
            "publishes its own annual figures; breakdowns below the whole area (districts, "
            "LSOAs, strand combinations) follow this rule: "
            + policy.footnote())


def methods(*, policy: DisclosurePolicy | None = None, synthetic: bool = True,
            n_permutations: int = 9999, strands: Sequence[str] = DEFAULT_STRANDS) -> Section:
    """Tests and methods used, data sources with licences, and the synthetic-data statement.

    Parameters
    ----------
    policy : DisclosurePolicy, optional
        The rule for breakdowns below the whole area; default ``min_count=10``.
    synthetic : bool, default True
        The data are the synthetic demo: figures are labelled as demo data.
    n_permutations : int, default 9999
        Shuffles of the permutation test of the strand mix.
    strands : sequence of str, default every strand
        Strands the force records (one ``hate_<strand>`` column each).

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.

    Examples
    --------
    >>> s = methods(policy=DisclosurePolicy(min_count=10))
    >>> "Holm" in s._repr_html_(), "Open Government Licence" in s._repr_html_()
    (True, True)
    """
    policy = policy or DisclosurePolicy(min_count=10)
    section = Section(anchor="sec-methods", title="Methods and sources", appendix=True)
    tests = pd.DataFrame([
        ("When a change is called significant (the rule for every period-on-period "
         "sentence)", CHANGE_RULE),
        ("Hate offences, one period against another", "the rule above on the monthly series of "
         "hate offences; rate ratio with its interval"),
        ("Each strand, one period against another", f"the rule above on each strand's own "
         f"monthly series; verdicts use Holm-adjusted p-values over the {len(strands)} strands"),
        ("Strand mix (composition)", f"Pearson chi-square of the strand x period table of "
         f"strand flags, p-value by permutation ({format_count(n_permutations)} shuffles of the "
         "period over "
         "offences, each keeping all its strands); asymptotic chi-square p for reference only"),
        ("Shares of hate offences", "Wilson score intervals"),
        ("Seasonality and trend", "count GLM (Poisson, or negative binomial when "
         "over-dispersed) with month terms and a linear trend, fitted only when every month has "
         "been seen at least twice: a likelihood-ratio F test of the month terms for "
         "seasonality and a t test of the trend term, in the technical notes"),
        ("'Recurring annual trend'", "ratio of quarter-on-quarter rate ratios, this year and a "
         "year earlier: Fisher's exact test on the 2 x 2 table of counts, or, when the months "
         "within the quarters vary more than chance, the Pearson chi-square divided by that "
         "dispersion (F test)"),
        ("Gradual 12-month change", "Poisson GLM with a linear month term (quasi-Poisson when "
         "over-dispersed), t test on the 10 residual df; Holm adjustment over strands"),
        ("Rates per 1,000 residents", "exact Poisson limits below 10 offences, Byars from 10; "
         "compared with the area rate by the Fingertips single-overlap rule"),
        ("Indicative rates", "per 1,000 Census 2021 residents of the related group; the "
         "victim need not belong to the group"),
        ("Disclosure control", disclosure_statement(policy)),
    ], columns=["Question", "Method"])
    section.table(tests, "Methods and tests")
    extract = ("SYNTHETIC force extract", "generated by sna demo-data from published "
               "aggregates; not real offences") if synthetic else (
        "Force crime extract", "record-level, restricted; only aggregates published")
    sources = pd.DataFrame([
        (extract[0], "one row per offence with hate-strand flags", extract[1]),
        ("LSOA 2021 to ward, council, CSP and police force area; sub-area lookup if given",
         "ONS Open Geography", "ONS, OGL v3.0"),
        ("Rural-Urban Classification 2021", "LSOA 2021", "ONS, OGL v3.0"),
        ("Census 2021 usual residents (TS001)", "LSOA 2021", "ONS, OGL v3.0"),
        ("Census 2021 ethnic group (TS021), religion (TS030), disability (TS038)",
         "LSOA 2021, England and Wales", "ONS, OGL v3.0"),
        ("Census 2021 sexual orientation (TS077), residents aged 16+",
         "published by MSOA and council only; summed over the area's councils",
         "ONS, OGL v3.0"),
    ], columns=["Source", "Coverage", "Publisher and licence"])
    section.table(sources, "Data sources")
    section.note(OGL_ATTRIBUTION)
    if synthetic:
        section.note("SYNTHETIC DEMO DATA: the force extract used in this report was generated "
                     "from published aggregates for demonstration. No figure in it describes "
                     "real victims or offences, and none should be quoted or used for decisions.")
    return section


__all__ = [
    "CENSUS_NOT_USED", "HateReviewInputs", "ReviewPeriods", "composition_and_shifts",
    "data_banner", "data_quality", "frame",
    "describe_rolling_trend", "disclosure_statement", "geography", "indicative_rates",
    "load_inputs", "lsoa_hate_counts", "methods", "multi_strand_note",
    "review_periods", "rolling_trend_note", "seasonal_pattern",
    "strand_combinations", "totals_and_trend", "validate_params",
]


def frame(area_name: str, last_month: str, *, uses_synthetic_data: bool = True) -> ReportFrame:
    """The review's frame: title with area and period, and which data are real or demo.

    Parameters
    ----------
    area_name : str
        The area's name as printed in sentences and titles.
    last_month : str
        Last month of the review year, ``"YYYY-MM"``.
    uses_synthetic_data : bool, default True
        The report runs on the synthetic demo extract.

    Returns
    -------
    ReportFrame

    Examples
    --------
    >>> frame("York", "2025-12").title
    'Annual hate-crime review: York, January to December 2025'
    """
    periods = review_periods(last_month)
    span = period_text(*periods.year)
    extract = "force extract (hate-crime records and their strands)"
    return ReportFrame(
        title=f"Annual hate-crime review: {area_name}, {span}", area=area_name,
        period=f"{span}, compared with {period_text(*periods.previous_year)}",
        real_sources=["the Census 2021"] if uses_synthetic_data else
        ["the force's crime records", "the Census 2021"],
        demo_sources=[extract] if uses_synthetic_data else [])


def _annual_reader_table(annual: pd.DataFrame) -> pd.DataFrame:
    """The annual table for readers: counts, the change where the base is large enough, evidence."""
    previous = annual["Hate offences"].shift(1)
    change = [percent_change_text(a, b) if not pd.isna(p) else ""
              for a, b, p in zip(previous, annual["Hate offences"], annual["p"], strict=True)]
    evidence = [strength(v, count_a=a, count_b=b) if not pd.isna(p) else ""
                for v, a, b, p in zip(annual["Verdict"], previous, annual["Hate offences"],
                                      annual["p"], strict=True)]
    return pd.DataFrame({"Year": annual["Year"], "Months with data": annual["Months with data"],
                         "Hate offences": annual["Hate offences"],
                         "Change on the year before": change, "Evidence": evidence})


def _shift_reader_table(shift: hs.StrandShift) -> pd.DataFrame:
    t = shift.table
    return pd.DataFrame({
        "Strand": t["strand_label"], shift.label_a: t["count_a"], shift.label_b: t["count_b"],
        "Change": [percent_change_text(a, b) for a, b in zip(t["count_a"], t["count_b"],
                                                             strict=True)],
        "Evidence": [strength(v, count_a=a, count_b=b)
                     for v, a, b in zip(t["verdict"], t["count_a"], t["count_b"], strict=True)]})


def _plain_group(definition: str) -> str:
    """A Census group description without its table code: "residents of ... (Census 2021 TS021)"."""
    return re.sub(r"\s*\(Census 2021[^)]*\)", "", str(definition))
