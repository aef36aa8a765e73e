"""Dot-and-whisker charts of estimates with intervals: rates, shares, shifts and funnels.

Categories that carry a verdict (higher/similar/lower, increase/decrease,
significance in a funnel) are shown by shape *and* colour, using
:func:`sna.reports.charts._theme.category_styles`.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from sna.errors import SnaInputError
from sna.reports.charts._checks import (
    DescribedChart,
    check_text,
    numeric_column,
    select_columns,
)
from sna.reports.charts._describe import join_list
from sna.reports.charts._theme import (
    BLACK,
    BLUE,
    GREY,
    category_styles,
    chart_title,
    series_styles,
    with_key,
)
from sna.wording import conf_label, format_interval, format_percent, format_rate, format_ratio

__all__ = [
    "funnel_chart",
    "rates_ci_chart",
    "shares_ci_chart",
    "shift_chart",
]

ROW_STEP = 24


def _share(share: float) -> str:
    """A share (0 to 1) in alt text: a percentage to one decimal."""
    return format_percent(share * 100, decimals=1)


def _estimate_phrase(row: pd.Series, label: str, value: str, conf: float,
                     fmt=format_rate) -> str:
    interval = format_interval(row["lower"], row["upper"], conf=conf, formatter=fmt)
    return f"{row[label]} ({fmt(row[value])}, {interval})"


def _extremes(data: pd.DataFrame, label: str, value: str, conf: float, fmt=format_rate,
              words: tuple[str, str] = ("highest", "lowest")) -> str:
    present = data[value].dropna()
    if present.empty:
        return "no values available"
    top = f"{words[0]} {_estimate_phrase(data.loc[present.idxmax()], label, value, conf, fmt)}"
    if len(present) == 1:
        return top
    low = _estimate_phrase(data.loc[present.idxmin()], label, value, conf, fmt)
    return f"{top}, {words[1]} {low}"


def _grouped_labels(data: pd.DataFrame, label: str, group: str, domain: list[str]) -> str:
    return "; ".join(f"{category}: {join_list(data.loc[data[group] == category, label], 10)}"
                     for category in domain if (data[group] == category).any())


def _category_encodings(column: str, categories: list[str]) -> dict:
    domain, colours, shapes = category_styles(categories)
    legend = alt.Legend(title=None)
    return {"color": alt.Color(f"{column}:N", scale=alt.Scale(domain=domain, range=colours),
                               legend=legend),
            "shape": alt.Shape(f"{column}:N", scale=alt.Scale(domain=domain, range=shapes),
                               legend=legend)}


def _prepare_estimates(df: pd.DataFrame, label: str, value: str, optional: list[str],
                       chart: str) -> pd.DataFrame:
    data = select_columns(df, [label, value, "lower", "upper"], optional, chart=chart)
    data[label] = data[label].astype(str)
    for column in (value, "lower", "upper"):
        data[column] = numeric_column(data, column)
    for column in optional:
        if column in data:
            data[column] = data[column].astype("str").where(data[column].notna(), "not compared")
    return data


def rates_ci_chart(df: pd.DataFrame, *, benchmark: float | None = None, title: str,
                   source: str, x_title: str = "Rate", conf: float = 0.95,
                   benchmark_label: str = "Benchmark") -> DescribedChart:
    """Horizontal dot-and-whisker chart of rates (or any estimates) with confidence intervals.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per area or group, in display order (top first): ``label``, ``value``,
        ``lower``, ``upper`` and optionally ``comparison`` (e.g. "higher", "similar",
        "lower" from ``sna.stats.rates.compare_to_benchmark``), shown by shape and colour.
    benchmark : float, optional
        Comparator value drawn as a dashed vertical line.
    title, source : str
        Chart title and source line.
    x_title : str, default "Rate"
        Axis title, e.g. "Offences per 1,000 residents".
    conf : float, default 0.95
        Confidence level of the intervals, for the alt text.
    benchmark_label : str, default "Benchmark"
        Name of the benchmark (e.g. "England").

    Returns
    -------
    DescribedChart
        The chart, and alt text with the highest and lowest estimates, the benchmark and
        the areas in each comparison category.

    Raises
    ------
    SnaInputError
        Record-level or over-long input, missing columns, non-numeric values, blank
        title or source.

    Examples
    --------
    >>> df = pd.DataFrame({"label": ["York", "Selby"], "value": [12.5, 8.0],
    ...                    "lower": [11.0, 6.5], "upper": [14.1, 9.7],
    ...                    "comparison": ["higher", "similar"]})
    >>> text = rates_ci_chart(df, benchmark=9.0, title="Rates", source="police.uk",
    ...                       benchmark_label="England").alt
    >>> text.split("; ", 1)[1]
    'highest York (12.5, 95% CI 11.0 to 14.1), lowest Selby (8.00, 95% CI 6.50 to 9.70); \
England 9.00; higher: York; similar: Selby.'
    """
    title, source = check_text(title, "title"), check_text(source, "source")
    data = _prepare_estimates(df, "label", "value", ["comparison"], "rates_ci_chart")
    alt_text = (f"Dot-and-whisker chart titled '{title}': {x_title} with {conf_label(conf)} "
                f"confidence intervals for {len(data)} groups; "
                f"{_extremes(data, 'label', 'value', conf)}")
    if benchmark is not None:
        alt_text += f"; {benchmark_label} {format_rate(benchmark)}"
    base = alt.Chart(data).encode(y=alt.Y("label:N", sort=data["label"].tolist(), title=None))
    point_encoding = {}
    if "comparison" in data:
        domain = category_styles(data["comparison"])[0]
        alt_text += "; " + _grouped_labels(data, "label", "comparison", domain)
        point_encoding = _category_encodings("comparison", data["comparison"].tolist())
    layers = [base.mark_rule(color=GREY, strokeWidth=2).encode(
                  x=alt.X("lower:Q", title=x_title, scale=alt.Scale(zero=False),
                          axis=alt.Axis(tickCount=8, labelOverlap="greedy")), x2="upper:Q"),
              base.mark_point(filled=True, size=80, color=BLUE).encode(x="value:Q",
                                                                      **point_encoding)]
    if benchmark is not None:
        layers += _benchmark_layers(benchmark, benchmark_label, vertical=True)
    chart = alt.layer(*layers).properties(
        title=chart_title(title, source), height=alt.Step(ROW_STEP))
    return DescribedChart(chart, alt_text + ".")


def _benchmark_layers(benchmark: float, label: str, *, vertical: bool) -> list[alt.Chart]:
    position = {"x": alt.datum(benchmark)} if vertical else {"y": alt.datum(benchmark)}
    rule = alt.Chart().mark_rule(color=BLACK, strokeDash=[6, 4], strokeWidth=1.5).encode(
        **position)
    text_position = ({"x": alt.datum(benchmark), "y": alt.value(-4)} if vertical else
                     {"y": alt.datum(benchmark), "x": alt.value(4)})
    text = alt.Chart().mark_text(align="left", baseline="bottom", dx=3 if vertical else 0,
                                 dy=0 if vertical else -3, fontSize=12, color=BLACK).encode(
        text=alt.datum(f"{label} {format_rate(benchmark)}"), **text_position)
    return [rule, text]


def _check_proportions(data: pd.DataFrame, columns: list[str]) -> None:
    for column in columns:
        values = data[column].dropna()
        if ((values < 0) | (values > 1)).any():
            raise SnaInputError(f"column {column!r} must hold proportions from 0 to 1",
                                column=column, value=values[(values < 0) | (values > 1)].iloc[0],
                                fix="divide percentages by 100 before charting")


def _shares_text(data: pd.DataFrame, title: str, conf: float) -> str:
    facts = []
    groups = data.groupby("period", sort=False) if "period" in data else [(None, data)]
    for period, part in groups:
        words = ("largest", "smallest")
        fact = _extremes(part, "category", "share", conf, _share, words)
        missing = part.loc[part["share"].isna(), "category"]
        if len(missing):
            fact += f"; not shown (suppressed or missing): {join_list(missing)}"
        facts.append(fact if period is None else f"{period}: {fact}")
    return (f"Dot-and-whisker chart titled '{title}': share of each of "
            f"{data['category'].nunique()} categories with {conf_label(conf)} confidence "
            f"intervals; {'; '.join(facts)}.")


def shares_ci_chart(df: pd.DataFrame, *, title: str, source: str, x_title: str = "Share",
                    conf: float = 0.95) -> DescribedChart:
    """Horizontal dot-and-whisker chart of shares (proportions) with Wilson intervals.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per category (and period), categories in display order: ``category``,
        ``share``, ``lower``, ``upper`` (proportions from 0 to 1; missing share =
        suppressed) and optionally ``period`` (e.g. "2023/24"), shown side by side with
        colour and shape.
    title, source : str
        Chart title and source line.
    x_title : str, default "Share"
        Axis title (the axis is formatted as percentages).
    conf : float, default 0.95
        Confidence level, for the alt text.

    Returns
    -------
    DescribedChart
        The chart, and alt text with the largest and smallest share (per period) and
        the categories not shown.

    Raises
    ------
    SnaInputError
        Missing columns, non-numeric values, values outside 0 to 1, blank title or source.

    Examples
    --------
    >>> df = pd.DataFrame({"category": ["Race", "Religion"], "share": [0.7, 0.1],
    ...                    "lower": [0.65, 0.07], "upper": [0.75, 0.14]})
    >>> shares_ci_chart(df, title="Strands", source="police.uk").alt.split("; ")[1]
    'largest Race (70.0%, 95% CI 65.0% to 75.0%), smallest Religion (10.0%, 95% CI 7.0% to 14.0%).'
    """
    title, source = check_text(title, "title"), check_text(source, "source")
    data = select_columns(df, ["category", "share", "lower", "upper"], ["period"],
                          chart="shares_ci_chart")
    data["category"] = data["category"].astype(str)
    for column in ("share", "lower", "upper"):
        data[column] = numeric_column(data, column)
    _check_proportions(data, ["share", "lower", "upper"])
    encoding: dict = {}
    if "period" in data:
        data["period"] = data["period"].astype(str)
        periods = list(dict.fromkeys(data["period"]))
        colours, shapes, _ = series_styles(len(periods))
        legend = alt.Legend(title=None)
        encoding = {
            "yOffset": alt.YOffset("period:N", sort=periods),
            "color": alt.Color("period:N", scale=alt.Scale(domain=periods, range=colours),
                               legend=legend),
            "shape": alt.Shape("period:N", scale=alt.Scale(domain=periods, range=shapes),
                               legend=legend)}
    categories = list(dict.fromkeys(data["category"]))
    base = alt.Chart(data).encode(y=alt.Y("category:N", sort=categories, title=None))
    axis = alt.Axis(format=".0%")
    # With a yOffset channel the step is the height of each period's sub-band.
    step = ROW_STEP if "period" not in data else max(14, ROW_STEP * 2 // 3)
    rule_encoding = {k: v for k, v in encoding.items() if k in ("yOffset", "color")}
    layers = [base.mark_rule(strokeWidth=2, color=GREY).encode(
                  x=alt.X("lower:Q", title=x_title, axis=axis, scale=alt.Scale(zero=True)),
                  x2="upper:Q", **rule_encoding),
              base.mark_point(filled=True, size=80, color=BLUE).encode(x="share:Q", **encoding)]
    chart = alt.layer(*layers).properties(title=chart_title(title, source),
                                          height=alt.Step(step))
    return DescribedChart(chart, _shares_text(data, title, conf))


def _log_domain(data: pd.DataFrame) -> tuple[float, float]:
    values = data[["rate_ratio", "lower", "upper"]].to_numpy(dtype=float).ravel()
    usable = values[np.isfinite(values) & (values > 0)]
    low = min(usable.min(initial=1.0), 1.0) / 1.15
    high = max(usable.max(initial=1.0), 1.0) * 1.15
    return low, high


def shift_chart(df: pd.DataFrame, *, title: str, source: str, conf: float = 0.95,
                x_title: str = "Rate ratio, later / earlier period (log scale)") -> DescribedChart:
    """Rate ratios with confidence intervals on a log scale, with a line at 1.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per category, in display order: ``category``, ``rate_ratio``, ``lower``,
        ``upper`` and ``verdict`` (e.g. "increase", "decrease", "no significant change"
        from ``sna.stats.trend.compare_periods``), shown by shape and colour.
    title, source : str
        Chart title and source line.
    conf : float, default 0.95
        Confidence level, for the alt text.
    x_title : str
        Axis title.

    Returns
    -------
    DescribedChart
        The chart, and alt text listing the categories under each verdict, with the
        ratio and interval of those that changed. Rows whose ratio is missing, zero or
        infinite are left out of the chart and named as "not estimable"; a lower limit
        of 0 or an infinite upper limit is drawn to the edge of the axis.

    Raises
    ------
    SnaInputError
        Missing columns, non-numeric values, blank title or source.

    Examples
    --------
    >>> df = pd.DataFrame({"category": ["Race", "Disability"], "rate_ratio": [1.5, 0.95],
    ...                    "lower": [1.2, 0.6], "upper": [1.9, 1.5],
    ...                    "verdict": ["increase", "no significant change"]})
    >>> shift_chart(df, title="Change", source="police.uk").alt.split("; ", 1)[1]
    'increase: Race (1.50, 95% CI 1.20 to 1.90); no significant change: Disability.'
    """
    title, source = check_text(title, "title"), check_text(source, "source")
    data = _prepare_estimates(df, "category", "rate_ratio", ["verdict"], "shift_chart")
    if "verdict" not in data:
        raise SnaInputError("shift_chart needs column 'verdict'", column="verdict",
                            fix="add the verdict of each comparison (from compare_periods)")
    estimable = np.isfinite(data["rate_ratio"]) & (data["rate_ratio"] > 0)
    skipped, data = data.loc[~estimable, "category"], data.loc[estimable].reset_index(drop=True)
    domain = category_styles(data["verdict"])[0]
    parts = []
    for verdict in domain:
        rows = data[data["verdict"] == verdict]
        if "no significant" in verdict or "not" in verdict:
            parts.append(f"{verdict}: {join_list(rows['category'], 12)}")
        else:
            parts.append(f"{verdict}: " + join_list(
                [f"{r['category']} "
                 f"({format_ratio(r['rate_ratio'], lower=r['lower'], upper=r['upper'], conf=conf)})"
                 for _, r in rows.iterrows()]))
    if len(skipped):
        parts.append(f"not estimable: {join_list(skipped)}")
    alt_text = (f"Dot-and-whisker chart titled '{title}': rate ratios with {conf_label(conf)} "
                f"confidence intervals on a log scale, line at 1 for no change; "
                f"{'; '.join(parts)}.")
    low, high = _log_domain(data)
    data["lower"] = data["lower"].where(data["lower"] > low, low)
    data["upper"] = data["upper"].where(data["upper"] < high, high)
    base = alt.Chart(data).encode(y=alt.Y("category:N", sort=data["category"].tolist(),
                                          title=None))
    scale = alt.Scale(type="log", domain=[low, high], nice=False)
    layers = [alt.Chart().mark_rule(color=BLACK, strokeDash=[6, 4]).encode(x=alt.datum(1)),
              base.mark_rule(color=GREY, strokeWidth=2).encode(
                  x=alt.X("lower:Q", title=x_title, scale=scale), x2="upper:Q"),
              base.mark_point(filled=True, size=80).encode(
                  x="rate_ratio:Q", **_category_encodings("verdict", data["verdict"].tolist()))]
    chart = alt.layer(*layers).properties(title=chart_title(title, source),
                                          height=alt.Step(ROW_STEP))
    return DescribedChart(chart, alt_text)


def _funnel_y_domain(points: pd.DataFrame, limits: pd.DataFrame,
                     benchmark: float) -> list[float]:
    low_n, high_n = points["denominator"].min(), points["denominator"].max()
    near = limits[(limits["denominator"] >= low_n) & (limits["denominator"] <= high_n)]
    values = pd.concat([points["value"], near[["lower_99_8", "upper_99_8"]].stack(),
                        pd.Series([benchmark])]).dropna()
    pad = 0.05 * (values.max() - values.min() or abs(benchmark) or 1.0)
    low = values.min() - pad
    if min(points["value"].min(), benchmark) >= 0:
        low = max(low, 0.0)
    return [float(low), float(values.max() + pad)]


def _funnel_log_scale(points: pd.DataFrame, domain: list[float]) -> bool:
    """A log vertical axis when every value is positive and they span over 10 times.

    On a linear axis a few very high areas (town centres with few residents) squash the
    other hundreds of points into an unreadable band; a log axis spreads them.

    Examples
    --------
    >>> _funnel_log_scale(pd.DataFrame({"value": [5.0, 20.0, 350.0]}), [0.0, 360.0])
    True
    >>> _funnel_log_scale(pd.DataFrame({"value": [0.0, 20.0, 350.0]}), [0.0, 360.0])
    False
    """
    values = points["value"].dropna()
    return bool(len(values) and values.min() > 0 and values.max() / values.min() > 10
                and domain[1] > 0)


def _limit_layers(limits: pd.DataFrame, x: alt.X, domain: list[float],
                  log_y: bool = False) -> list[alt.Chart]:
    labels = ["95% limits", "99.8% limits"]
    dash = alt.Scale(domain=labels, range=[[1, 0], [6, 3]])
    layers = []
    for column in ("lower_95", "upper_95", "lower_99_8", "upper_99_8"):
        label = labels[0] if column.endswith("95") else labels[1]
        data = limits[limits[column] > 0] if log_y else limits
        line = with_key(alt.Chart(data), "limit", label).mark_line(
            color=GREY, strokeWidth=1.5, clip=True)
        layers.append(line.encode(
            x=x, y=alt.Y(f"{column}:Q", scale=alt.Scale(domain=domain, zero=False, nice=False,
                                                        type="log" if log_y else "linear")),
            strokeDash=alt.StrokeDash("limit:N", scale=dash, legend=alt.Legend(title=None))))
    return layers


def funnel_chart(points_df: pd.DataFrame, limits_df: pd.DataFrame, benchmark: float, *,
                 title: str, source: str, x_title: str = "Population",
                 y_title: str = "Rate") -> DescribedChart:
    """Funnel plot: each area's value against its denominator, with control limits.

    Parameters
    ----------
    points_df : pandas.DataFrame
        One row per area: ``label``, ``denominator`` (> 0), ``value`` and
        ``significance`` (e.g. "High (0.001)", "Not significant" from
        ``sna.stats.funnels.funnel_significance``, or "above 99.8% limit"), shown by shape
        and colour.
    limits_df : pandas.DataFrame
        The funnel: ``denominator`` and the limits ``lower_95``, ``upper_95``,
        ``lower_99_8``, ``upper_99_8`` (solid lines for 95%, dashed for 99.8%), as
        :func:`sna.stats.funnels.funnel_limits` returns them.
    benchmark : float
        The funnel's centre line.
    title, source : str
        Chart title and source line.
    x_title, y_title : str
        Axis titles.

    Returns
    -------
    DescribedChart
        The chart, and alt text with the benchmark, the highest and lowest area and the
        areas in each significance category. The y axis spans the areas' values and the
        99.8% limits over their denominators; limits beyond it are clipped.

    Raises
    ------
    SnaInputError
        Missing columns, non-numeric values, denominators <= 0, blank title or source.

    Examples
    --------
    >>> points = pd.DataFrame({"label": ["A", "B"], "denominator": [1000, 4000],
    ...                        "value": [30.0, 9.0],
    ...                        "significance": ["above 99.8% limit", "within limits"]})
    >>> limits = pd.DataFrame({"denominator": [500, 5000], "lower_95": [2.0, 6.0],
    ...                        "upper_95": [18.0, 14.0], "lower_99_8": [0.0, 5.0],
    ...                        "upper_99_8": [22.0, 15.0]})
    >>> funnel_chart(points, limits, 10.0, title="Funnel", source="x").alt.split("; ")[-2:]
    ['above 99.8% limit: A', 'within limits: B.']
    """
    title, source = check_text(title, "title"), check_text(source, "source")
    points = select_columns(points_df, ["label", "denominator", "value", "significance"],
                            chart="funnel_chart")
    limit_columns = ["denominator", "lower_95", "upper_95", "lower_99_8", "upper_99_8"]
    limits = select_columns(limits_df, limit_columns,
                            chart="funnel_chart")
    points["label"] = points["label"].astype(str)
    points["significance"] = points["significance"].astype("str").where(
        points["significance"].notna(), "not compared")
    points["value"] = numeric_column(points, "value")
    points["denominator"] = numeric_column(points, "denominator", positive=True)
    for column in limit_columns:
        limits[column] = numeric_column(limits, column, positive=column == "denominator")
    if benchmark is None or not math.isfinite(benchmark):
        raise SnaInputError("funnel_chart needs a finite benchmark", column="benchmark",
                            value=benchmark, fix="pass the centre line value, e.g. England")
    # Drawn by value, not in the input's (lookup) order: document order is not a key.
    points = points.sort_values(["value", "denominator"], kind="stable").reset_index(drop=True)
    domain = category_styles(points["significance"])[0]
    alt_text = (f"Funnel plot titled '{title}': {y_title} against {x_title} for "
                f"{len(points)} areas, benchmark {format_rate(benchmark)} with 95% and 99.8% "
                f"control limits; highest {_extreme_label(points, 'max')}, lowest "
                f"{_extreme_label(points, 'min')}; "
                f"{_grouped_labels(points, 'label', 'significance', domain)}.")
    y_domain = _funnel_y_domain(points, limits, benchmark)
    log_y = _funnel_log_scale(points, y_domain)
    if log_y:
        y_domain = [max(y_domain[0], float(points["value"].min()) * 0.9), y_domain[1]]
        alt_text = alt_text[:-1] + "; the vertical axis is on a log scale."
    x = alt.X("denominator:Q", title=x_title,
              axis=alt.Axis(format=",.0f", tickCount=6, labelOverlap="greedy", labelFlush=True))
    y_axis = alt.Axis(tickCount=6, labelOverlap="greedy", format=",.4~g")
    y = alt.Y("value:Q", title=y_title + (" (log scale)" if log_y else ""), axis=y_axis,
              scale=alt.Scale(domain=y_domain, zero=False, nice=False,
                              type="log" if log_y else "linear"))
    size, opacity = (30, 0.6) if len(points) > 100 else (70, 0.9)
    dots = alt.Chart(points).mark_point(filled=True, size=size, opacity=opacity,
                                        clip=True).encode(
        x=x, y=y, **_category_encodings("significance", points["significance"].tolist()))
    layers = [*_limit_layers(limits, x, y_domain, log_y),
              *_benchmark_layers(benchmark, "Benchmark", vertical=False), dots]
    chart = alt.layer(*layers).properties(title=chart_title(title, source), height=320)
    return DescribedChart(chart, alt_text)


def _extreme_label(points: pd.DataFrame, which: str) -> str:
    present = points["value"].dropna()
    if present.empty:
        return "none"
    row = points.loc[present.idxmax() if which == "max" else present.idxmin()]
    return f"{row['label']} ({format_rate(row['value'])})"
