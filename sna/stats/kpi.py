"""Key performance indicators: period totals, direction of change and RAG status.

The partnership's performance report shows one *tile* per indicator: the latest value,
the same period a year earlier, the direction of change with an honest test, the target
and a red/amber/green (RAG) status. The rules are fixed here, once, and printed in the
report's methods section:

* :data:`DIRECTION_RULE`: how a change is tested (the library's one change rule,
  :func:`sna.stats.trend.judge_change`: a quasi-Poisson test when the indicator's own series
  varies more than chance would, the exact Poisson test otherwise), when the report says
  "too few to say" and when "not comparable".
* :data:`RAG_RULE`: how a status is given, against a target where one is set, else by
  the tested direction and the measure's polarity.

Values come from :func:`period_values`, which uses a total as returned, or builds it
from its months, quarters or breakdown parts, and says which; a printed total that
disagrees with its parts keeps both figures (``value`` and ``parts_value``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sna.errors import SnaInputError
from sna.io.partner_returns import (
    TOTAL_BREAKDOWN,
    fy_label,
    measures,
    months_of,
    parse_period,
)
from sna.periods import period_label
from sna.stats.trend import CHANGE_RULE, Variation, judge_change, series_variation
from sna.wording import format_count, format_number, format_p, format_percent

__all__ = [
    "DIRECTION_RULE",
    "Direction",
    "RAG_RULE",
    "ReportPeriod",
    "direction",
    "indicator_variation",
    "kpi_tiles",
    "label_of",
    "months_to_periods",
    "period_values",
    "rag_status",
    "report_period",
]

AMBER_MARGIN = 0.10
"""Share of a target within which a missed target is Amber rather than Red."""

UNTESTED = ("too few to say", "not comparable", "unclear")
"""Verdicts of a change that was not (or could not be) judged: no RAG status from them."""

WIDE_RATIO = (0.5, 2.0)
"""A non-significant change whose interval spans both halving and doubling is 'too few to say'."""

DIRECTION_RULE = (
    "Each value is compared with the same period a year earlier by the partnership's one rule "
    "for a change: " + CHANGE_RULE + " For an indicator, the series is its own quarterly "
    "figures up to the latest period (police.uk indicators: their monthly counts); a year "
    "total is judged with the variation of its quarters. With fewer than three figures the "
    "variation cannot be checked and the exact test is used, and the sentence says so. "
    "'Not comparable' means there is no figure for the period or for the same period last "
    "year, or the figure is a percentage whose denominator is not returned. 'Too few to say' "
    "means the change is not significant and its interval runs from less than half to more "
    "than double, so the data cannot tell a real change from chance."
)

RAG_RULE = (
    f"With a target: Green when the target is met (at or above it when higher is better, at "
    f"or below it when lower is better); Amber when it is missed by no more than "
    f"{format_percent(AMBER_MARGIN * 100)} of the target; Red otherwise. Without a target: "
    "Green for a "
    "statistically significant change in the better direction, Red for one in the worse "
    "direction, Amber for no significant change. No rating when no figure is returned, when "
    "the change is 'too few to say' or 'not comparable', or when no direction is better "
    "(demand and activity measures)."
)

RAG_ORDER = ["Red", "Amber", "Green", "No rating"]


# ---------------------------------------------------------------- report periods


@dataclass(frozen=True)
class ReportPeriod:
    """The period a report covers: a financial quarter (quarterly mode) or year (annual mode).

    Attributes
    ----------
    kind : {"quarter", "year"}
    label : str
        ``Q3 2023/24`` (:func:`sna.periods.period_label`) or ``2024/25``.
    period : pandas.Period
        ``Q-MAR`` or ``Y-MAR``.
    """

    kind: str
    label: str
    period: pd.Period

    @property
    def previous(self) -> pd.Period:
        """The same period a year earlier."""
        return self.period - (4 if self.kind == "quarter" else 1)

    @property
    def previous_label(self) -> str:
        """Label of the same period a year earlier."""
        return label_of(self.previous)

    @property
    def months(self) -> list[str]:
        """The months (``YYYY-MM``) the period covers."""
        return months_of(parse_period(self.label))

    @property
    def financial_year(self) -> str:
        """The financial year the period is in."""
        return fy_label(self.period.asfreq("Y-MAR"))

    @property
    def mode(self) -> str:
        """``"quarterly"`` or ``"annual"``, for sentences."""
        return "quarterly" if self.kind == "quarter" else "annual"


def label_of(period: pd.Period) -> str:
    """Label a ``Q-MAR`` or ``Y-MAR`` period.

    Parameters
    ----------
    period : pandas.Period
        A financial quarter (``Q-MAR``) or year (``Y-MAR``).

    Returns
    -------
    str
        ``"Qn YYYY/YY"`` or ``"YYYY/YY"``.

    Examples
    --------
    >>> label_of(pd.Period("2024Q3", freq="Q-MAR")), label_of(pd.Period("2025", freq="Y-MAR"))
    ('Q3 2023/24', '2024/25')
    """
    return period_label(period) if period.freqstr.startswith("Q") else fy_label(period)


def report_period(*, period: str | None = None, year: str | None = None) -> ReportPeriod:
    """The report's period from its parameters: exactly one of ``period`` or ``year``.

    Parameters
    ----------
    period : str, optional
        A financial quarter, ``Q3 2023/24`` (quarterly mode; ``2023/24 Q3`` is read too).
    year : str, optional
        A financial year, ``2024/25`` (annual mode).

    Returns
    -------
    ReportPeriod

    Raises
    ------
    SnaInputError
        Neither or both given, or a value that is not a financial quarter / year.

    Examples
    --------
    >>> r = report_period(period="Q3 2023/24")
    >>> r.kind, r.previous_label, r.months
    ('quarter', 'Q3 2022/23', ['2023-10', '2023-11', '2023-12'])
    >>> report_period(year="2024/25").previous_label
    '2023/24'
    """
    period = (period or "").strip()
    year = (year or "").strip()
    if bool(period) == bool(year):
        raise SnaInputError(
            "give exactly one of 'period' (a quarter, quarterly mode) or 'year' (a financial "
            f"year, annual mode); got period={period!r}, year={year!r}", column="period",
            fix="set period: \"Q3 2023/24\" and year: \"\", or year: \"2024/25\" and period: "
                "\"\"")
    column, text, kind = ("period", period, "quarter") if period else ("year", year, "year")
    try:
        parsed = parse_period(text)
    except SnaInputError:
        parsed = None
    if parsed is None or parsed.kind != kind:
        example = "Q3 2023/24" if kind == "quarter" else "2024/25"
        raise SnaInputError(f"{column} {text!r} is not a financial {kind}", column=column,
                            value=text, fix=f"write it as {example}")
    return ReportPeriod(kind, parsed.label, parsed.period)


# ---------------------------------------------------------------- values per period


def _value_frame(rows: list[dict]) -> pd.DataFrame:
    columns = ["key", "period", "value", "how", "parts_value", "parts_how", "target"]
    return pd.DataFrame(rows, columns=columns)


def period_values(clean: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Each indicator's total per quarter (or financial year), and where it came from.

    An indicator is one ``(partner, service, measure)``. A period's value is, in order:
    the ``all`` row returned for it; else the sum of its months (quarters) or of its four
    quarters (years), when the measure adds up over time and none is missing; else the
    sum of a breakdown's parts, when the measure adds up over its breakdown. When a
    returned total and the sum of its parts disagree, both are kept: ``value`` is the
    total as returned and ``parts_value`` the sum of the parts.

    Parameters
    ----------
    clean : pandas.DataFrame
        Clean rows of :func:`sna.io.partner_returns.read_partner_returns`.
    kind : {"quarter", "year"}

    Returns
    -------
    pandas.DataFrame
        ``key`` (partner, service, measure), ``period`` (``Q-MAR`` or ``Y-MAR``
        Period), ``value``, ``how``, ``parts_value``, ``parts_how``, ``target``.

    Examples
    --------
    >>> rows = pd.DataFrame({"partner": "P", "service": "S", "measure": "idas_hub_enquiries",
    ...     "breakdown": "all", "dimension": "", "period_kind": "month",
    ...     "period": ["2023-10", "2023-11", "2023-12"], "value": [867.0, 887.0, 737.0],
    ...     "target": float("nan")})
    >>> period_values(rows, "quarter")[["value", "how"]].values.tolist()
    [[2491.0, 'sum of the three months (no total returned)']]
    """
    if kind not in ("quarter", "year"):
        raise SnaInputError(f"kind must be 'quarter' or 'year', got {kind!r}", column="kind",
                            fix="use 'quarter' or 'year'")
    catalogue = measures().set_index("measure")
    rows: list[dict] = []
    for key, group in clean.groupby(["partner", "service", "measure"], sort=False):
        info = catalogue.loc[key[2]]
        quarters = _level_values(group, "quarter", info, {})
        values = quarters if kind == "quarter" else _level_values(group, "year", info, quarters)
        for period, entry in sorted(values.items()):
            rows.append({"key": key, "period": period, **entry})
    return _value_frame(rows)


def _parts_by_breakdown(at: pd.DataFrame) -> tuple[float, str] | None:
    parts = at[(at["breakdown"] != TOTAL_BREAKDOWN) & at["value"].notna()]
    if parts.empty:
        return None
    dimension = parts["dimension"].iloc[0]
    return float(parts.loc[parts["dimension"] == dimension, "value"].sum()), \
        f"sum of the {dimension} breakdown"


def _level_values(group: pd.DataFrame, kind: str, info: pd.Series,
                  quarters: dict) -> dict[pd.Period, dict]:
    freq = "Q-MAR" if kind == "quarter" else "Y-MAR"
    at_kind = group[group["period_kind"] == kind].copy()
    at_kind["p"] = [parse_period(p).period for p in at_kind["period"]]
    periods = set(at_kind["p"])
    months = group[(group["period_kind"] == "month") & (group["breakdown"] == TOTAL_BREAKDOWN)
                   & group["value"].notna()]
    month_values = {pd.Period(p, freq="M"): v for p, v in zip(months["period"], months["value"],
                                                             strict=True)}
    if kind == "quarter":
        periods |= {p.asfreq(freq) for p in month_values}
    else:
        periods |= {p.asfreq(freq) for p in quarters}
    out: dict[pd.Period, dict] = {}
    for period in sorted(periods):
        at = at_kind.loc[(at_kind["p"] == period).to_numpy(dtype=bool)]
        total = at[at["breakdown"] == TOTAL_BREAKDOWN]
        target = total["target"].dropna()
        entry = {"value": np.nan, "how": "", "parts_value": np.nan, "parts_how": "",
                 "target": float(target.iloc[0]) if len(target) else np.nan}
        parts = []
        if info["sums_over_time"]:
            if kind == "quarter":
                inside = [m for m in pd.period_range(period.start_time, period.end_time, freq="M")]
                if all(m in month_values for m in inside):
                    parts.append((float(sum(month_values[m] for m in inside)),
                                  "sum of the three months"))
            else:
                inside = [q for q in pd.period_range(period.start_time, period.end_time,
                                                     freq="Q-MAR")]
                known = [quarters.get(q, {}).get("value", np.nan) for q in inside]
                if len(inside) == 4 and not any(pd.isna(v) for v in known):
                    parts.append((float(sum(known)), "sum of the four quarters"))
        if info["sums_over_breakdown"] and (by_parts := _parts_by_breakdown(at)):
            parts.append(by_parts)
        returned = total["value"].dropna()
        if len(returned):
            entry.update(value=float(returned.iloc[0]), how="as returned")
            differing = [p for p in parts if p[0] != entry["value"]]
            if differing:
                entry.update(parts_value=differing[0][0], parts_how=differing[0][1])
        elif parts:
            entry.update(value=parts[0][0], how=parts[0][1] + " (no total returned)")
        if pd.isna(entry["value"]) and pd.isna(entry["target"]):
            continue
        out[period] = entry
    return out


# ---------------------------------------------------------------- direction and RAG


@dataclass(frozen=True)
class Direction:
    """The tested direction of a change from the same period a year earlier.

    Attributes
    ----------
    verdict : str
        ``"increase"``, ``"decrease"``, ``"no significant change"``, ``"too few to say"``,
        ``"not comparable"`` (no figure to compare, or a percentage without its denominator)
        or ``"unclear"`` (a printed total and its parts disagree and give different verdicts).
    change_pct : float
        Percentage change (NaN when not computed).
    rate_ratio, lower, upper : float
        Rate ratio and its interval from the test used (NaN when not computed).
    p_value : float
        p-value of the test the verdict rests on (NaN when not computed).
    test : str
        The test, in words (``"exact Poisson test"`` or ``"quasi-Poisson score test"``).
    reason : str
        Why the verdict is "too few to say", "not comparable" or "unclear" (empty otherwise).
    why : str
        Why this test, in plain words (from :class:`sna.stats.trend.Variation`).
    dispersion, df : float
        Dispersion the test allowed for (1: none) and the residual df of its estimate.
    p_value_exact : float
        The exact Poisson test's p-value, for reference in the technical appendix.
    """

    verdict: str
    change_pct: float
    rate_ratio: float
    lower: float
    upper: float
    p_value: float
    test: str
    reason: str = ""
    why: str = ""
    dispersion: float = math.nan
    df: float = math.nan
    p_value_exact: float = math.nan

    def sentence(self, technical: bool = True) -> str:
        """The direction in plain words and why this test; the test and p too if ``technical``.

        Examples
        --------
        >>> direction(2491, 2356).sentence()
        'Up 5.7% on a year earlier: not a statistically significant change (exact Poisson test, p = 0.054), treating the counts as varying only by chance (their variation was not checked).'
        >>> direction(2491, 2356).sentence(technical=False)
        'Up 5.7% on a year earlier: not a statistically significant change, treating the counts as varying only by chance (their variation was not checked).'
        """  # noqa: E501
        if self.verdict in UNTESTED:
            return f"{self.verdict.capitalize()}: {self.reason}."
        way = "Up" if self.change_pct > 0 else "Down" if self.change_pct < 0 else "Unchanged"
        size = f" {format_percent(abs(self.change_pct), decimals=1)}" if self.change_pct else ""
        what = ("not a statistically significant change" if self.verdict ==
                "no significant change" else f"a statistically significant {self.verdict}")
        test = f" ({self.test}, {format_p(self.p_value)})" if technical else ""
        why = f", {self.why}" if self.why else ""
        return f"{way}{size} on a year earlier: {what}{test}{why}."


_NOT_TESTED = dict(change_pct=math.nan, rate_ratio=math.nan, lower=math.nan, upper=math.nan,
                   p_value=math.nan, test="not tested")


def indicator_variation(series: pd.Series | None) -> Variation | None:
    """The variation of an indicator's own count series, measured by the change rule's model.

    Parameters
    ----------
    series : pandas.Series or None
        Counts with a monthly or quarterly (``Q-MAR``) PeriodIndex, up to the period
        judged; NaN = no figure.

    Returns
    -------
    Variation or None
        :func:`sna.stats.trend.series_variation` of the series; None when there is no
        series or its values are not whole numbers (then the variation is "not checked").

    Examples
    --------
    >>> q = pd.period_range("2021Q1", periods=12, freq="Q-MAR")
    >>> v = indicator_variation(pd.Series([100, 160, 90, 150, 170, 80, 140, 95, 165, 85, 120,
    ...                                    150], index=q, dtype=float))
    >>> v.unit, v.overdispersed
    ('quarter', True)
    >>> print(indicator_variation(pd.Series([1.5], index=q[:1])))
    None
    """
    if series is None or not isinstance(series.index, pd.PeriodIndex):
        return None
    values = pd.to_numeric(series, errors="coerce").astype(float)
    known = values.dropna()
    if known.empty or (known < 0).any() or not np.array_equal(known, np.floor(known)):
        return None
    try:
        return series_variation(values)
    except SnaInputError:
        return None


def direction(current: float, previous: float, *, unit: str = "count",
              series: pd.Series | None = None, variation: Variation | None = None,
              conf: float = 0.95) -> Direction:
    """Test the change from the same period a year earlier, or say there is too little to tell.

    The verdict comes from the library's one change rule
    (:func:`sna.stats.trend.judge_change`): a quasi-Poisson score test when the indicator's
    own series shows over-dispersion, the exact Poisson test otherwise; the
    :attr:`Direction.why` says which, in plain words.

    Parameters
    ----------
    current, previous : float
        This period's and the same period last year's value (NaN when not returned).
    unit : {"count", "people", "percent"}, default "count"
        Percentages without their denominators are not tested.
    series : pandas.Series, optional
        The indicator's own count series (monthly or quarterly PeriodIndex) whose variation
        the test allows for (:func:`indicator_variation`); ignored when ``variation`` is given.
    variation : sna.stats.trend.Variation, optional
        The variation to allow for, if already measured.
    conf : float, default 0.95

    Returns
    -------
    Direction

    Examples
    --------
    >>> direction(0, 9).verdict, direction(3, 5).verdict, direction(50, float("nan")).verdict
    ('decrease', 'too few to say', 'not comparable')
    >>> direction(32, 40, unit="percent").reason
    'a percentage without its denominator cannot be tested'
    >>> from sna.stats.trend import Variation
    >>> noisy = direction(1435, 1538, variation=Variation(6.0, 20, 1e-6, "m", "quarter"))
    >>> noisy.verdict, noisy.test, noisy.why
    ('no significant change', 'quasi-Poisson score test', 'after allowing for the usual quarter-to-quarter ups and downs of this series')
    """  # noqa: E501
    if pd.isna(current) or pd.isna(previous):
        return Direction("not comparable", **_NOT_TESTED,
                         reason="no figure for the same period a year earlier"
                         if pd.isna(previous) else "no figure for this period")
    if unit == "percent":
        return Direction("not comparable", **_NOT_TESTED,
                         reason="a percentage without its denominator cannot be tested")
    if variation is None:
        variation = indicator_variation(series)
    judged = judge_change(int(previous), int(current), variation=variation, conf=conf)
    extra = dict(why=judged.reason, dispersion=float(judged.dispersion), df=float(judged.df),
                 p_value_exact=float(judged.p_value_exact))
    if judged.verdict == "no significant change" and judged.rr_lower < WIDE_RATIO[0] \
            and judged.rr_upper > WIDE_RATIO[1]:
        return Direction("too few to say", judged.change_pct, judged.rate_ratio,
                         judged.rr_lower, judged.rr_upper, judged.p_value, judged.test,
                         reason=f"the counts ({format_count(previous)} and "
                                f"{format_count(current)}) are too small to tell a real "
                                "change from chance", **extra)
    return Direction(judged.verdict, judged.change_pct, judged.rate_ratio, judged.rr_lower,
                     judged.rr_upper, judged.p_value, judged.test, **extra)


def rag_status(value: float, target: float, polarity: str,
               *, change: Direction | None = None) -> tuple[str, str]:
    """Red, Amber, Green or No rating by :data:`RAG_RULE`, with the reason.

    Parameters
    ----------
    value, target : float
        The latest value and its target (NaN when none).
    polarity : {"up", "down", "neutral"}
        Whether higher is better, lower is better, or neither.
    change : Direction, optional
        The tested change, used when there is no target.

    Returns
    -------
    (status, reason)

    Examples
    --------
    >>> rag_status(27, 29, "up")
    ('Amber', 'missed the target of 29 by 2 (6.9%)')
    >>> rag_status(1435, float("nan"), "down", change=direction(1435, 1538))[0]
    'Amber'
    >>> rag_status(1000, float("nan"), "down", change=direction(1000, 1538))[0]
    'Green'
    >>> rag_status(float("nan"), 20, "up")
    ('No rating', 'no figure returned yet against the target of 20')
    """
    if polarity not in ("up", "down", "neutral"):
        raise SnaInputError(f"polarity {polarity!r} is not one of up, down, neutral",
                            column="polarity", fix="use up, down or neutral")
    if pd.isna(value):
        return ("No rating", f"no figure returned yet against the target of {format_number(target)}"
                if not pd.isna(target) else "no figure returned")
    if not pd.isna(target):
        lower_is_better = polarity == "down"
        met = value <= target if lower_is_better else value >= target
        if met:
            return "Green", f"met the target of {format_number(target)}"
        short = abs(value - target)
        share = short / target if target else math.inf
        status = "Amber" if share <= AMBER_MARGIN else "Red"
        return status, (f"missed the target of {format_number(target)} by {format_number(short)} "
                        f"({format_percent(share * 100, decimals=1)})")
    if polarity == "neutral":
        return "No rating", "no target, and neither a rise nor a fall is better"
    if change is None or change.verdict in UNTESTED:
        return "No rating", "no target, and the change cannot be tested"
    if change.verdict == "no significant change":
        return "Amber", "no target; no statistically significant change"
    better = (change.verdict == "increase") == (polarity == "up")
    return ("Green", "no target; a significant change in the better direction") if better \
        else ("Red", "no target; a significant change in the worse direction")


# ---------------------------------------------------------------- tiles


TILE_COLUMNS = ["key", "label", "partner", "service", "measure", "priority", "unit", "polarity",
                "period", "latest_period", "latest_is_report_period", "value", "how",
                "parts_value", "parts_how", "previous_period", "previous", "target",
                "direction", "rag", "rag_reason", "history"]


def _pick(values: pd.DataFrame, report: ReportPeriod) -> pd.Series | None:
    at = values[values["period"] == report.period]
    if len(at) and not pd.isna(at["value"].iloc[0]):
        return at.iloc[0]
    earlier = values[(values["period"] < report.period) & values["value"].notna()]
    if len(earlier):
        return earlier.iloc[-1]
    return at.iloc[0] if len(at) else None


def _up_to(series: pd.Series, latest: pd.Period) -> pd.Series:
    """The part of a series up to the end of ``latest`` (later figures do not judge it)."""
    index = pd.PeriodIndex(series.index)
    keep = np.asarray(index.to_timestamp(how="end") <= latest.end_time, dtype=bool)
    return pd.Series(series.to_numpy()[keep], index=index[keep])


def kpi_tiles(values: pd.DataFrame, info: pd.DataFrame, report: ReportPeriod,
              *, conf: float = 0.95, history: int = 8,
              series: dict | None = None) -> pd.DataFrame:
    """One row per indicator tile: latest value, a year earlier, direction, target and RAG.

    Parameters
    ----------
    values : pandas.DataFrame
        From :func:`period_values` at ``report.kind`` (or built the same way).
    info : pandas.DataFrame
        One row per ``key`` with ``label, partner, service, measure, priority, unit,
        polarity``.
    report : ReportPeriod
    conf : float, default 0.95
    history : int, default 8
        Periods of history kept for the sparkline.
    series : dict, optional
        ``key`` -> count series (monthly or quarterly PeriodIndex) whose variation the
        direction's test allows for (:func:`direction`), e.g. police.uk monthly counts or an
        indicator's quarters for its year totals. Default: an indicator's own quarterly
        values (quarterly tiles); none for year totals (their variation is then not checked).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TILE_COLUMNS`. ``latest_period`` is the report period, or the
        latest earlier period with a figure (``latest_is_report_period`` False) when the
        return for the report period has none; ``direction`` is a :class:`Direction`;
        ``history`` a Series of values by period label, up to the latest period.

    Examples
    --------
    >>> vals = pd.DataFrame({"key": [("P", "S", "m")] * 2, "period": [
    ...     pd.Period("2023Q3", freq="Q-MAR"), pd.Period("2024Q3", freq="Q-MAR")],
    ...     "value": [2356.0, 2491.0], "how": "as returned", "parts_value": float("nan"),
    ...     "parts_how": "", "target": float("nan")})
    >>> info = pd.DataFrame({"key": [("P", "S", "m")], "label": ["Hub"], "partner": ["P"],
    ...     "service": ["S"], "measure": ["m"], "priority": ["DA"], "unit": ["count"],
    ...     "polarity": ["neutral"]})
    >>> tile = kpi_tiles(vals, info, report_period(period="Q3 2023/24")).iloc[0]
    >>> float(tile["value"]), float(tile["previous"]), tile["direction"].verdict, tile["rag"]
    (2491.0, 2356.0, 'no significant change', 'No rating')
    """
    rows = []
    for _, meta in info.iterrows():
        mine = values[values["key"] == meta["key"]].sort_values("period")
        chosen = _pick(mine, report)
        base = {c: meta[c] for c in ("key", "label", "partner", "service", "measure",
                                     "priority", "unit", "polarity")}
        if chosen is None:
            rows.append({**base, "period": report.label, "latest_period": "",
                         "latest_is_report_period": False, "value": np.nan, "how": "",
                         "parts_value": np.nan, "parts_how": "", "previous_period": "",
                         "previous": np.nan, "target": np.nan,
                         "direction": Direction("not comparable", **_NOT_TESTED,
                                                reason="no figure for this period"),
                         "rag": "No rating", "rag_reason": "no figure returned",
                         "history": pd.Series(dtype=float)})
            continue
        latest = chosen["period"]
        step = 4 if latest.freqstr.startswith("Q") else 1
        before = mine[mine["period"] == latest - step]
        previous = float(before["value"].iloc[0]) if len(before) else np.nan
        previous = np.nan if pd.isna(previous) else previous
        own = (series or {}).get(meta["key"])
        if own is None and step == 4:
            own = mine.set_index("period")["value"]
        variation = None
        if own is not None and len(own) and meta["unit"] != "percent":
            variation = indicator_variation(_up_to(own, latest))
        change = direction(chosen["value"], previous, unit=meta["unit"], variation=variation,
                           conf=conf)
        if not pd.isna(chosen["parts_value"]) and not pd.isna(previous):
            other = direction(chosen["parts_value"], previous, unit=meta["unit"],
                              variation=variation, conf=conf)
            if other.verdict != change.verdict:
                change = Direction("unclear", **_NOT_TESTED,
                                   reason=f"the returned total gives '{change.verdict}' but "
                                          f"the {chosen['parts_how']} gives "
                                          f"'{other.verdict}'")
        status, reason = rag_status(chosen["value"], chosen["target"], meta["polarity"],
                                    change=change)
        shown = mine[mine["period"] <= latest].tail(history)
        rows.append({**base, "period": report.label, "latest_period": label_of(latest),
                     "latest_is_report_period": latest == report.period,
                     "value": float(chosen["value"]), "how": chosen["how"],
                     "parts_value": float(chosen["parts_value"]), "parts_how": chosen["parts_how"],
                     "previous_period": label_of(latest - step), "previous": previous,
                     "target": float(chosen["target"]), "direction": change, "rag": status,
                     "rag_reason": reason,
                     "history": pd.Series(shown["value"].to_numpy(),
                                          index=[label_of(p) for p in shown["period"]])})
    return pd.DataFrame(rows, columns=TILE_COLUMNS)


def months_to_periods(monthly: pd.Series, kind: str) -> pd.Series:
    """Add monthly counts up to quarters or financial years; a period missing a month is NaN.

    Parameters
    ----------
    monthly : pandas.Series
        Counts indexed by ``YYYY-MM`` text or monthly Periods; missing (NA) = no data.
    kind : {"quarter", "year"}

    Returns
    -------
    pandas.Series
        Indexed by ``Q-MAR`` or ``Y-MAR`` Period; NaN where any month of the period has no
        data (never treated as zero), and only periods with every month listed.

    Examples
    --------
    >>> m = pd.Series([1, 2, 3, None], index=["2024-01", "2024-02", "2024-03", "2024-04"])
    >>> months_to_periods(m, "quarter").tolist()
    [6.0]
    """
    freq = "Q-MAR" if kind == "quarter" else "Y-MAR"
    index = pd.PeriodIndex([pd.Period(str(p), freq="M") for p in monthly.index], freq="M")
    values = pd.Series(pd.to_numeric(monthly, errors="coerce").to_numpy(dtype=float),
                       index=index)
    groups = values.groupby(index.asfreq(freq))
    size = 3 if kind == "quarter" else 12
    totals = groups.apply(lambda s: s.sum() if len(s) == size and s.notna().all() else np.nan)
    complete = groups.size() == size
    return totals[complete.to_numpy()].astype(float)
