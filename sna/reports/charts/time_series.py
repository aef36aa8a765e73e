"""Charts of monthly series: counts, small multiples, seasonal indices and trend bands.

Months with no data are drawn as gaps in the line (never as zeros) and listed in
the alt text. Months are plotted in UTC so labels do not depend on the machine's
time zone.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from sna.errors import SnaInputError
from sna.periods import month_runs, period_label, to_months
from sna.reports.charts._checks import (
    DescribedChart,
    check_text,
    numeric_column,
    select_columns,
)
from sna.reports.charts._describe import extreme_phrase, join_list
from sna.reports.charts._theme import (
    BLACK,
    BLUE,
    GREY,
    SKY_BLUE,
    VERMILLION,
    chart_title,
    series_styles,
    with_key,
)
from sna.wording import conf_label, count_noun, format_interval, format_number

__all__ = [
    "complete_months",
    "monthly_counts_chart",
    "seasonal_chart",
    "small_multiples",
    "trend_band_chart",
]


def _month_x(title: str | None = "Month") -> alt.X:
    return alt.X("period:T", timeUnit="utcyearmonth", title=title,
                 axis=alt.Axis(format="%b %Y", labelAngle=-40, labelOverlap=True))


def complete_months(frame: pd.DataFrame, value_cols: list[str], *,
                    group_col: str | None = None) -> pd.DataFrame:
    """Give every group one row per month over the common span, missing months as NaN.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``period`` (monthly Periods), the value columns and optionally ``group_col``.
    value_cols : list of str
        Columns left missing in added months.
    group_col : str, optional
        Series or panel column.

    Returns
    -------
    pandas.DataFrame
        Sorted by group (first-seen order) then month.

    Raises
    ------
    SnaInputError
        More than one row for a month (within a group).

    Examples
    --------
    >>> f = pd.DataFrame({"period": pd.PeriodIndex(["2024-01", "2024-03"], freq="M"),
    ...                   "count": [1.0, 2.0]})
    >>> complete_months(f, ["count"])["count"].tolist()
    [1.0, nan, 2.0]
    """
    keys = ["period"] if group_col is None else [group_col, "period"]
    duplicated = frame.duplicated(keys)
    if duplicated.any():
        first = frame.loc[duplicated, keys].iloc[0].astype(str).tolist()
        raise SnaInputError(f"more than one row for {' / '.join(first)}",
                            column=group_col or "period",
                            fix="aggregate to one row per month" +
                                ("" if group_col is None else f" and {group_col}"))
    months = pd.period_range(frame["period"].min(), frame["period"].max(), freq="M")
    if group_col is None:
        grid = pd.DataFrame({"period": months})
    else:
        groups = list(dict.fromkeys(frame[group_col]))
        grid = pd.MultiIndex.from_product([groups, months], names=keys).to_frame(index=False)
    return grid.merge(frame[keys + value_cols], on=keys, how="left")


def _vega_months(months: pd.Series) -> pd.Series:
    return months.dt.strftime("%Y-%m-01")


def _series_phrase(frame: pd.DataFrame, value: str) -> str:
    labels = frame["period"].map(period_label)
    phrase = extreme_phrase(labels, frame[value].reset_index(drop=True)
                            .set_axis(labels.index))
    gaps = frame.loc[frame[value].isna(), "period"]
    if len(gaps):
        phrase += f"; months with no data: {join_list(month_runs(gaps))}"
    return phrase


def _prepare_monthly(df: pd.DataFrame, value: str, group: str | None,
                     chart: str) -> pd.DataFrame:
    optional = [] if group is None else [group]
    data = select_columns(df, ["period", value], optional, chart=chart)
    data["period"] = to_months(data["period"], "period")
    data[value] = numeric_column(data, value)
    if group is not None and group in data:
        data[group] = data[group].astype(str)
    return complete_months(data, [value], group_col=group if group in data else None)


def monthly_counts_chart(df: pd.DataFrame, *, title: str, source: str,
                         y_title: str = "Count") -> DescribedChart:
    """Line chart of monthly counts, one line per series, with gaps for months without data.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per month (and series): ``period`` (month: Period, date or "YYYY-MM"),
        ``count`` (number; missing = no data or suppressed) and optionally ``series``
        (label). Months absent from the table are treated as no data.
    title : str
        Chart title.
    source : str
        Source line shown under the title.
    y_title : str, default "Count"
        Y-axis title.

    Returns
    -------
    DescribedChart
        The chart, and alt text naming the span, the highest and lowest month of each
        series and the months with no data.

    Raises
    ------
    SnaInputError
        Record-level or over-long input, missing columns, non-numeric counts, duplicate
        months, blank title or source.

    Examples
    --------
    >>> df = pd.DataFrame({"period": ["2024-01", "2024-02", "2024-04"], "count": [5, 9, 7]})
    >>> chart, alt_text = monthly_counts_chart(df, title="Violence", source="police.uk")
    >>> alt_text
    "Line chart titled 'Violence': count by month, Jan 2024 to Apr 2024; highest Feb 2024 (9), \
lowest Jan 2024 (5); months with no data: Mar 2024."
    """
    title, source = check_text(title, "title"), check_text(source, "source")
    data = _prepare_monthly(df, "count", "series", "monthly_counts_chart")
    span = f"{period_label(data['period'].min())} to {period_label(data['period'].max())}"
    lead = f"Line chart titled '{title}': {y_title.lower()} by month, {span}"
    if "series" in data:
        names = list(dict.fromkeys(data["series"]))
        facts = "; ".join(f"{name}: {_series_phrase(part, 'count')}"
                          for name, part in data.groupby("series", sort=False))
        alt_text = f"{lead}; {len(names)} series. {facts}."
    else:
        alt_text = f"{lead}; {_series_phrase(data, 'count')}."
    data["period"] = _vega_months(data["period"])
    base = alt.Chart(data).encode(x=_month_x(), y=alt.Y("count:Q", title=y_title))
    if "series" in data:
        colours, shapes, dashes = series_styles(len(names))
        legend = alt.Legend(title=None)
        line = base.mark_line().encode(
            color=alt.Color("series:N", scale=alt.Scale(domain=names, range=colours),
                            legend=legend),
            strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=names, range=dashes),
                                      legend=legend))
        points = base.mark_point(filled=True).encode(
            color=alt.Color("series:N", scale=alt.Scale(domain=names, range=colours),
                            legend=legend),
            shape=alt.Shape("series:N", scale=alt.Scale(domain=names, range=shapes),
                            legend=legend))
    else:
        line = base.mark_line(color=BLUE)
        points = base.mark_point(filled=True, color=BLUE)
    chart = alt.layer(line, points).properties(title=chart_title(title, source))
    return DescribedChart(chart, alt_text)


def small_multiples(df: pd.DataFrame, facet_col: str, *, title: str, source: str,
                    columns: int = 3, y_title: str = "Count", independent_y: bool = False,
                    panel_width: int = 170, panel_height: int = 110) -> DescribedChart:
    """One small line chart of monthly counts per area or category, wrapped in a grid.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per panel and month: ``period`` (month), ``count`` (number; missing = no
        data) and the ``facet_col`` column (panel label).
    facet_col : str
        Column naming the panel (e.g. ``"area"`` or ``"category"``); panels keep the
        table's order.
    title, source : str
        Chart title and source line.
    columns : int, default 3
        Panels per row.
    y_title : str, default "Count"
        Y-axis title.
    independent_y : bool, default False
        Give each panel its own y scale (say so in the title if you do).
    panel_width, panel_height : int
        Size of each panel in pixels.

    Returns
    -------
    DescribedChart
        The faceted chart, and alt text with each panel's highest and lowest month and
        months with no data.

    Raises
    ------
    SnaInputError
        As for :func:`monthly_counts_chart`, and a missing ``facet_col``.

    Examples
    --------
    >>> df = pd.DataFrame({"period": ["2024-01", "2024-02"] * 2, "count": [1, 2, 3, 4],
    ...                    "area": ["York", "York", "Selby", "Selby"]})
    >>> small_multiples(df, "area", title="By area", source="police.uk").alt.split(". ")[1]
    'York: highest Feb 2024 (2), lowest Jan 2024 (1); Selby: highest Feb 2024 (4), lowest \
Jan 2024 (3).'
    """
    title, source = check_text(title, "title"), check_text(source, "source")
    data = select_columns(df, ["period", "count", facet_col], chart="small_multiples")
    data = _prepare_monthly(data, "count", facet_col, "small_multiples")
    panels = list(dict.fromkeys(data[facet_col]))
    span = f"{period_label(data['period'].min())} to {period_label(data['period'].max())}"
    facts = "; ".join(f"{name}: {_series_phrase(part, 'count')}"
                      for name, part in data.groupby(facet_col, sort=False))
    alt_text = (f"Small-multiple line charts titled '{title}': {y_title.lower()} by month, "
                f"{span}, one panel for each of {len(panels)} {facet_col} values. {facts}.")
    data["period"] = _vega_months(data["period"])
    base = alt.Chart().encode(x=_month_x(None), y=alt.Y("count:Q", title=y_title))
    layered = alt.layer(base.mark_line(color=BLUE), base.mark_point(filled=True, color=BLUE,
                                                                    size=30))
    chart = layered.properties(width=panel_width, height=panel_height).facet(
        facet=alt.Facet(f"{facet_col}:N", sort=panels, title=None), columns=columns,
        data=data).properties(title=chart_title(title, source))
    if independent_y:
        chart = chart.resolve_scale(y="independent")
    return DescribedChart(chart, alt_text)


def seasonal_chart(df: pd.DataFrame, *, title: str, source: str, reference: float | None = 1.0,
                   y_title: str = "Seasonal index", conf: float = 0.95) -> DescribedChart:
    """Dot-and-whisker chart of seasonal indices with confidence intervals.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per season, in display order: ``season`` (label, e.g. "Jan"),
        ``index`` (seasonal index), ``lower`` and ``upper`` (interval limits).
    title, source : str
        Chart title and source line.
    reference : float or None, default 1.0
        Value of "no seasonal effect" drawn as a dashed line (1 for multiplicative
        indices, 0 for additive, None for no line).
    y_title : str, default "Seasonal index"
        Y-axis title.
    conf : float, default 0.95
        Confidence level of the intervals, for the alt text.

    Returns
    -------
    DescribedChart
        The chart, and alt text with the highest and lowest season and the seasons
        whose intervals lie wholly above or below the reference.

    Raises
    ------
    SnaInputError
        Missing columns, non-numeric values, duplicate seasons, blank title or source.

    Examples
    --------
    >>> df = pd.DataFrame({"season": ["Winter", "Summer"], "index": [0.9, 1.1],
    ...                    "lower": [0.85, 1.02], "upper": [0.95, 1.2]})
    >>> seasonal_chart(df, title="Seasonality", source="police.uk").alt.split("; ")[1]
    'highest Summer (1.10, 95% CI 1.02 to 1.20), lowest Winter (0.90, 95% CI 0.85 to 0.95)'
    """
    title, source = check_text(title, "title"), check_text(source, "source")
    data = select_columns(df, ["season", "index", "lower", "upper"], chart="seasonal_chart")
    data["season"] = data["season"].astype(str)
    if data["season"].duplicated().any():
        raise SnaInputError("a season appears more than once", column="season",
                            fix="give one row per season")
    for column in ("index", "lower", "upper"):
        data[column] = numeric_column(data, column)
    alt_text = f"Dot-and-whisker chart titled '{title}': {y_title.lower()} " \
               f"with {conf_label(conf)} confidence intervals for {len(data)} seasons " \
               f"({data['season'].iloc[0]} to {data['season'].iloc[-1]}); " \
               f"{_extremes_with_ci(data, 'season', 'index', conf)}"
    if reference is not None:
        above = data.loc[data["lower"] > reference, "season"]
        below = data.loc[data["upper"] < reference, "season"]
        alt_text += (f"; intervals wholly above {format_number(reference)}: "
                     f"{join_list(above, 12) or 'none'}; wholly below: "
                     f"{join_list(below, 12) or 'none'}")
    order = data["season"].tolist()
    x = alt.X("season:N", sort=order, title=None, axis=alt.Axis(labelAngle=0))
    base = alt.Chart(data).encode(x=x)
    layers = [base.mark_rule(color=BLUE, strokeWidth=2).encode(
                  y=alt.Y("lower:Q", title=y_title, scale=alt.Scale(zero=False)), y2="upper:Q"),
              base.mark_point(filled=True, color=BLUE, size=70).encode(y="index:Q")]
    if reference is not None:
        layers.insert(0, alt.Chart().mark_rule(color=GREY, strokeDash=[4, 4]).encode(
            y=alt.datum(reference)))
    chart = alt.layer(*layers, data=data).properties(title=chart_title(title, source),
                                                     width=alt.Step(40))
    return DescribedChart(chart, alt_text + ".")


def _extremes_with_ci(data: pd.DataFrame, label: str, value: str, conf: float) -> str:
    present = data[value].dropna()
    if present.empty:
        return "no values available"
    parts = []
    for word, row in (("highest", present.idxmax()), ("lowest", present.idxmin())):
        ci = format_interval(data.at[row, "lower"], data.at[row, "upper"], conf=conf,
                             formatter=format_number)
        parts.append(f"{word} {data.at[row, label]} ({format_number(data.at[row, value])}, "
                     f"{ci})")
    return ", ".join(parts[: 1 if len(present) == 1 else 2])


def _flag_phrase(data: pd.DataFrame, conf: float) -> str:
    flagged = data[data["flagged"]]
    if flagged.empty:
        return f"no months flagged outside the {conf_label(conf)} prediction interval"
    items = []
    for _, row in flagged.iterrows():
        side = ("above" if row["observed"] > row["pi_upper"] else
                "below" if row["observed"] < row["pi_lower"] else "flagged")
        items.append(f"{period_label(row['period'])} ({format_number(row['observed'])}, {side})")
    return f"{count_noun(len(flagged), 'months')} flagged: {join_list(items, 6)}"


def trend_band_chart(df: pd.DataFrame, *, title: str, source: str, y_title: str = "Count",
                     conf: float = 0.95,
                     flag_label: str = "Outside the prediction interval") -> DescribedChart:
    """Observed monthly values against a fitted trend and its prediction band.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per month: ``period`` (month), ``observed`` (number; missing = no data),
        ``fitted`` (expected value), ``pi_lower`` and ``pi_upper`` (prediction interval)
        and optionally ``flagged`` (bool: the month is unusual).
    title, source : str
        Chart title and source line.
    y_title : str, default "Count"
        Y-axis title.
    conf : float, default 0.95
        Level of the prediction interval, for the legend and alt text.
    flag_label : str, default "Outside the prediction interval"
        Legend text of flagged months (drawn as vermillion triangles; others as
        black circles).

    Returns
    -------
    DescribedChart
        The chart, and alt text with the span, the highest observed month, the
        flagged months (above or below the band) and months with no data.

    Raises
    ------
    SnaInputError
        Missing columns, non-numeric values, duplicate months, blank title or source.

    Examples
    --------
    >>> df = pd.DataFrame({"period": ["2024-01", "2024-02", "2024-03"],
    ...                    "observed": [10, 30, 12], "fitted": [11, 12, 13],
    ...                    "pi_lower": [5, 6, 7], "pi_upper": [17, 18, 19],
    ...                    "flagged": [False, True, False]})
    >>> trend_band_chart(df, title="Trend", source="police.uk").alt.split("; ")[-1]
    '1 month flagged: Feb 2024 (30, above).'
    """
    title, source = check_text(title, "title"), check_text(source, "source")
    values = ["observed", "fitted", "pi_lower", "pi_upper"]
    data = select_columns(df, ["period", *values], ["flagged"], chart="trend_band_chart")
    data["period"] = to_months(data["period"], "period")
    for column in values:
        data[column] = numeric_column(data, column)
    if "flagged" not in data:
        data["flagged"] = False
    data["flagged"] = data["flagged"].fillna(False).astype(bool)
    data = complete_months(data, [*values, "flagged"])
    data["flagged"] = data["flagged"].fillna(False).astype(bool)
    span = f"{period_label(data['period'].min())} to {period_label(data['period'].max())}"
    alt_text = (f"Chart titled '{title}': observed {y_title.lower()} by month, {span}, "
                f"with a fitted trend and {conf_label(conf)} prediction interval; observed "
                f"{_series_phrase(data, 'observed')}; {_flag_phrase(data, conf)}.")
    data["period"] = _vega_months(data["period"])
    band_label = f"{conf_label(conf)} prediction interval"
    base = alt.Chart(data).encode(x=_month_x())
    band = with_key(base, "band", band_label).mark_area(opacity=0.35).encode(
        y=alt.Y("pi_lower:Q", title=y_title), y2="pi_upper:Q",
        fill=alt.Fill("band:N", legend=alt.Legend(title=None),
                      scale=alt.Scale(domain=[band_label], range=[SKY_BLUE])))
    line = with_key(base, "trend", "Fitted trend").mark_line().encode(
        y="fitted:Q", stroke=alt.Stroke("trend:N", legend=alt.Legend(title=None),
                                        scale=alt.Scale(domain=["Fitted trend"], range=[BLUE])))
    status = alt.Scale(domain=["Observed", flag_label], range=[BLACK, VERMILLION])
    points = base.transform_calculate(
        status=f"datum.flagged ? {json.dumps(flag_label)} : 'Observed'").mark_point(
        filled=True, size=60).encode(
        y="observed:Q", color=alt.Color("status:N", scale=status, legend=alt.Legend(title=None)),
        shape=alt.Shape("status:N", legend=alt.Legend(title=None), scale=alt.Scale(
            domain=status.domain, range=["circle", "triangle-up"])))
    chart = alt.layer(band, line, points).properties(title=chart_title(title, source))
    return DescribedChart(chart, alt_text)
