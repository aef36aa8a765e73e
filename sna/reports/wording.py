"""The one place report sentences are made: changes, evidence phrases, periods, trend and season.

Two layers of language (issue 16): *reader text* is plain English a councillor follows
(counts, rates per 1,000 residents, "clear rise", "no clear change", "too few to say");
*technical text* (tests, models, p-values) goes to each section's technical appendix.
Numbers themselves (counts, rates, percentages, intervals, p-values) are printed by
:mod:`sna.wording`, one function per kind of figure, which every layer shares; the rules
about sentences are written once here:

- :func:`percent_change_text` never prints a percentage change on a base count below
  :data:`MIN_COUNT_FOR_PERCENT` (1 -> 2 is not "+100%").
- :func:`strength` turns a test's verdict and the counts into the evidence phrase every
  finding carries.

Examples
--------
>>> percent_change_text(1, 2), percent_change_text(216, 456)
('', '+111%')
>>> (strength("increase", count_a=216, count_b=456),
...  strength("no significant change", count_a=3, count_b=5))
('clear rise', 'too few to say')
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import pandas as pd

from sna.checks import is_number
from sna.wording import format_count, format_percent, is_missing

__all__ = [
    "EVIDENCE",
    "GLOSSARY",
    "MIN_COUNT_FOR_PERCENT",
    "change_sentence",
    "is_whole",
    "join_words",
    "month_runs_text",
    "month_text",
    "percent_change_text",
    "period_text",
    "seasonality_sentence",
    "snap_point_name",
    "strength",
    "trend_sentence",
]

MIN_COUNT_FOR_PERCENT = 10
"""No percentage change is printed when the earlier count is below this."""

EVIDENCE = {
    "increase": "clear rise",
    "decrease": "clear fall",
    "no significant change": "no clear change",
    "too few": "too few to say",
    "higher": "clearly higher",
    "lower": "clearly lower",
    "similar": "no clear difference",
}
"""Verdicts of the library's tests and comparisons -> the plain evidence phrase."""

GLOSSARY = {
    "Serious violence": "the offences in the partnership's local definition, stated once at "
                        "the top of the report.",
    "Proxy": "a figure that stands in for one we cannot measure directly: police.uk "
             "categories are broader than the local definition of serious violence.",
    "Rate per 1,000 residents": "offences for every 1,000 people living in the area (Census "
                                "2021), so that places of different size can be compared.",
    "Range of likely values": "the interval (95% confidence interval) within which the true "
                              "rate most probably lies; small numbers give wide ranges.",
    "Clear rise / clear fall": "a change larger than the usual ups and downs of the figures "
                               "would produce by chance.",
    "No clear change": "the figures moved, but not by more than chance alone could explain.",
    "Too few to say": "the numbers are too small to tell a real change from chance.",
    "Neighbourhood (LSOA)": "a small census area of about 1,500 residents (Lower layer Super "
                            "Output Area).",
    "Hotspot": "a cluster of neighbouring areas that all have high rates.",
    "Funnel plot": "a chart of each neighbourhood's rate against its population; points "
                   "outside the funnel are higher or lower than chance would explain.",
    "Rural-urban class": "the Office for National Statistics' grouping of areas from urban "
                         "to smaller rural (Rural-Urban Classification 2021).",
    "Deprivation decile": "one tenth of England's neighbourhoods ranked by the Index of "
                          "Multiple Deprivation 2025; decile 1 is the most deprived.",
    "Demo data": "figures generated from published totals to show how the report works; "
                 "they describe no real offence and must not be used for decisions.",
    "Suppressed": "a small count hidden (shown as a dash or [c]) so that no person can be "
                  "identified.",
    "Strand": "the kind of hostility a hate crime is recorded against (race, religion, "
              "sexual orientation, disability, transgender identity and others).",
}
"""The few terms reader text keeps, with a plain explanation (rendered as the glossary)."""

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def percent_change_text(count_a, count_b, *, min_count: int = MIN_COUNT_FOR_PERCENT) -> str:
    """Signed percentage change from ``count_a`` to ``count_b``, or ``""`` on small counts.

    Nothing is printed when the earlier count is below ``min_count`` (default 10): a
    change from 1 to 2 is not "+100%".

    Parameters
    ----------
    count_a, count_b : int
        Counts in the earlier and the later period.
    min_count : int, default 10
        Below this earlier count no percentage is printed.

    Returns
    -------
    str
        ``"+111%"``, ``"0%"``, ``"-12%"``, or ``""``.

    Examples
    --------
    >>> percent_change_text(216, 456), percent_change_text(6346, 6387)
    ('+111%', '+1%')
    >>> percent_change_text(1, 2), percent_change_text(9, 30), percent_change_text(40, 40)
    ('', '', '0%')
    """
    if is_missing(count_a) or is_missing(count_b) or float(count_a) < min_count:
        return ""
    pct = (float(count_b) - float(count_a)) / float(count_a) * 100
    return format_percent(pct, decimals=0, signed=True)


def strength(verdict: str, *, count_a=None, count_b=None,
             min_count: int = MIN_COUNT_FOR_PERCENT) -> str:
    """The evidence phrase for a finding: "clear rise", "no clear change", "too few to say"...

    A test's verdict is translated through :data:`EVIDENCE`; when there is no clear change
    and both counts are below ``min_count`` the phrase is "too few to say" (a small count
    cannot show a change either way).

    Parameters
    ----------
    verdict : str
        The verdict of the test the section relies on (a key of :data:`EVIDENCE`).
    count_a, count_b : int, optional
        The two counts compared, when there are counts.
    min_count : int, default 10
        Below this, both counts are too few to show a change.

    Returns
    -------
    str
        The evidence phrase.

    Examples
    --------
    >>> (strength("decrease", count_a=1000, count_b=880),
    ...  strength("no significant change", count_a=458, count_b=448))
    ('clear fall', 'no clear change')
    >>> strength("higher"), strength("similar", count_a=4, count_b=6)
    ('clearly higher', 'too few to say')
    """
    phrase = EVIDENCE.get(verdict, verdict)
    small = (count_a is not None and count_b is not None
             and max(float(count_a), float(count_b)) < min_count)
    if phrase in ("no clear change", "no clear difference") and small:
        return EVIDENCE["too few"]
    return phrase


def month_text(month: str) -> str:
    """``"2025-12"`` -> ``"December 2025"``.

    Parameters
    ----------
    month : str
        ``"YYYY-MM"`` (or anything :class:`pandas.Period` reads as a month).

    Returns
    -------
    str

    Examples
    --------
    >>> month_text("2025-12")
    'December 2025'
    """
    period = pd.Period(str(month), freq="M")
    return f"{_MONTHS[period.month - 1]} {period.year}"


def period_text(first_month: str, last_month: str) -> str:
    """A span of months in words: ``"January to December 2025"``, ``"May 2024 to April 2025"``.

    Parameters
    ----------
    first_month, last_month : str
        The first and last months, ``"YYYY-MM"``.

    Returns
    -------
    str

    Examples
    --------
    >>> period_text("2025-01", "2025-12"), period_text("2024-05", "2025-04")
    ('January to December 2025', 'May 2024 to April 2025')
    >>> period_text("2025-03", "2025-03")
    'March 2025'
    """
    first, last = pd.Period(str(first_month), freq="M"), pd.Period(str(last_month), freq="M")
    if first == last:
        return month_text(str(last))
    if first.year == last.year:
        return f"{_MONTHS[first.month - 1]} to {month_text(str(last))}"
    return f"{month_text(str(first))} to {month_text(str(last))}"


def join_words(items: Iterable[str], *, conjunction: str = "and") -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``.

    Parameters
    ----------
    items : iterable of str
        The words, in order.
    conjunction : str, default "and"
        The word before the last item (e.g. ``"or"``).

    Returns
    -------
    str

    Examples
    --------
    >>> join_words(["York"]), join_words(["York", "Selby", "Craven"])
    ('York', 'York, Selby and Craven')
    """
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def change_sentence(subject: str, count_a, count_b, period_a: str, period_b: str,
                    verdict: str, *, min_count: int = MIN_COUNT_FOR_PERCENT) -> str:
    """One plain-English sentence for a change between two periods, with its evidence phrase.

    Parameters
    ----------
    subject : str
        What was counted, plural, starting with a capital (``"Robberies"``).
    count_a, count_b : int
        Counts in the earlier and the later period.
    period_a, period_b : str
        The periods in words.
    verdict : str
        The verdict of the test the section relies on (``"increase"``, ``"decrease"``
        or ``"no significant change"``).
    min_count : int, default 10
        Below this earlier count no percentage is printed.

    Returns
    -------
    str

    Examples
    --------
    >>> change_sentence("Robberies", 216, 456, "2024", "2025", "increase")
    'Robberies rose from 216 in 2024 to 456 in 2025 (+111%): a clear rise.'
    >>> change_sentence("Hate crimes against sex workers", 3, 1, "2024", "2025",
    ...                 "no significant change")
    'Hate crimes against sex workers fell from 3 in 2024 to 1 in 2025: too few to say.'
    """
    pct = percent_change_text(count_a, count_b, min_count=min_count)
    pct = f" ({pct})" if pct else ""
    phrase = strength(verdict, count_a=count_a, count_b=count_b, min_count=min_count)
    article = "a " if phrase.startswith("clear ") else ""
    if format_count(count_a) == format_count(count_b):
        movement = f"stayed at {format_count(count_b)} in {period_a} and in {period_b}"
    else:
        verb = "rose" if float(count_b) > float(count_a) else "fell"
        movement = (f"{verb} from {format_count(count_a)} in {period_a} to "
                    f"{format_count(count_b)} in {period_b}{pct}")
    return f"{subject} {movement}: {article}{phrase}."


_BARE_SNAP = re.compile(r"^\s*on or near\s*$", re.IGNORECASE)


def snap_point_name(location, *, area: str | None = None) -> str:
    """A police.uk snap point's name for a table; a bare "On or near" says it has no name.

    police.uk moves every offence to an anonymous map point; points that are not on a
    named street (parks, car parks without a name, open land) come through as a bare
    "On or near".

    Parameters
    ----------
    location : str
        police.uk's ``Location`` text.
    area : str, optional
        Where the point is (e.g. its LSOA's name), used for an unnamed point.

    Returns
    -------
    str

    Examples
    --------
    >>> (snap_point_name("On or near Low Ousegate"),
    ...  snap_point_name("On or near", area="York 013I"))
    ('On or near Low Ousegate', 'Unnamed point in York 013I')
    >>> snap_point_name("On or near ")
    'Unnamed point (no street name published)'
    """
    if is_missing(location) or _BARE_SNAP.match(str(location)):
        return f"Unnamed point in {area}" if area else "Unnamed point (no street name published)"
    return str(location)


def is_whole(value) -> bool:
    """Whether a number is a whole number (for showing counts without decimals).

    Parameters
    ----------
    value : object
        Anything; only finite whole numbers (not booleans) are whole.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_whole(3.0), is_whole(2.5), is_whole(True)
    (True, False, False)
    """
    return is_number(value) and math.isfinite(float(value)) and float(value).is_integer()


def trend_sentence(trend, subject: str) -> str:
    """Plain sentence for the trend after season of a seasonal model (``SeasonalTrend``).

    Parameters
    ----------
    trend : SeasonalTrend
        The fitted model (:func:`sna.stats.trend.seasonal_trend`).
    subject : str
        What was counted, plural (``"offences"``).

    Returns
    -------
    str

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> t = NS(trend=NS(verdict="increase", pct_per_year=4.38))
    >>> trend_sentence(t, "domestic abuse crimes")
    'Allowing for the usual seasonal pattern, domestic abuse crimes rose by about 4% a year: a clear rise.'
    >>> trend_sentence(NS(trend=NS(verdict="no significant change", pct_per_year=0.5)), "offences")
    'Allowing for the usual seasonal pattern, offences show no clear upward or downward trend.'
    """  # noqa: E501
    t = trend.trend
    if t.verdict == "no significant change":
        return (f"Allowing for the usual seasonal pattern, {subject} show no clear upward or "
                "downward trend.")
    verb, phrase = ("rose", "a clear rise") if t.verdict == "increase" else ("fell",
                                                                           "a clear fall")
    return (f"Allowing for the usual seasonal pattern, {subject} {verb} by about "
            f"{format_percent(abs(t.pct_per_year), decimals=0)} a year: {phrase}.")


def seasonality_sentence(trend, subject: str, *, alpha: float = 0.05) -> str:
    """Plain sentence for the seasonal peak of a seasonal model, and whether to plan on it.

    Parameters
    ----------
    trend : SeasonalTrend
        The fitted model (:func:`sna.stats.trend.seasonal_trend`).
    subject : str
        What was counted, plural (``"offences"``).
    alpha : float, default 0.05
        Significance level of the seasonality test (1 - ``conf``).

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> idx = pd.DataFrame({"season": ["Jan", "Jul"], "index": [0.9, 1.147]})
    >>> t = NS(seasonal_indices=idx, periods_per_year=12, seasonality_test=NS(p_value=0.14))
    >>> seasonality_sentence(t, "offences")
    'July had the most offences (15% above an average month), but the pattern is not clear enough to plan on.'
    """  # noqa: E501
    indices = trend.seasonal_indices
    peak = indices.loc[indices["index"].idxmax()]
    unit = "quarter" if trend.periods_per_year == 4 else "month"
    season = str(peak["season"])
    names = {name[:3]: name for name in _MONTHS}
    season = names.get(season, season) if unit == "month" else f"Quarter {season[-1]}" \
        if season.startswith("Q") else season
    above = f"{format_percent((peak['index'] - 1) * 100, decimals=0)} above an average {unit}"
    if trend.seasonality_test.p_value < alpha:
        return (f"{season} is the regular seasonal peak for {subject} ({above}): a clear "
                "pattern.")
    return (f"{season} had the most {subject} ({above}), but the pattern is not clear enough "
            "to plan on.")


def month_runs_text(months: Iterable[str]) -> str:
    """Months in words, runs of consecutive months joined: ``"May to August 2024 and June 2025"``.

    Parameters
    ----------
    months : iterable of str
        Months, ``"YYYY-MM"``, in any order.

    Returns
    -------
    str
        The runs in words (``""`` for no months).

    Examples
    --------
    >>> month_runs_text(["2024-05", "2024-06", "2024-07", "2024-08", "2025-06"])
    'May to August 2024 and June 2025'
    >>> month_runs_text([])
    ''
    """
    periods = sorted(pd.Period(str(m), freq="M") for m in months)
    runs: list[list[pd.Period]] = []
    for period in periods:
        if runs and period - runs[-1][-1] == 1 * period.freq:
            runs[-1].append(period)
        else:
            runs.append([period])
    return join_words(period_text(str(run[0]), str(run[-1])) for run in runs)
