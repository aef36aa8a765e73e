"""Sparklines: small lines of indicators' recent periods, for a dashboard.

:func:`sparkline_chart` draws one indicator; :func:`sparkline_panels` draws every
indicator of a dashboard as one figure of small panels (one chart object, shown like every
other chart: Vega-Lite in JupyterLab, PNG in untrusted notebooks, inline SVG in the HTML
report; see :class:`sna.reports.charts.Figure`). Periods are text labels (``Q3 2023/24``,
``2023/24``) in time order; a missing or suppressed value is a gap, never a zero, and the
alt text names it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from sna.reports.charts._checks import DescribedChart, check_text, ensure_aggregated
from sna.reports.charts._describe import join_list
from sna.reports.charts._theme import BLUE
from sna.wording import count_noun, format_number, format_percent

__all__ = [
    "sparkline_chart",
    "sparkline_panels",
]


def _wrap(text: str, width: int = 34) -> str:
    """Break a panel title into lines of at most ``width`` characters, joined by ``|``.

    Examples
    --------
    >>> _wrap("Referrals to the adult perpetrator service (Foundation +Choices)")
    'Referrals to the adult perpetrator|service (Foundation +Choices)'
    """
    import textwrap

    return "|".join(textwrap.wrap(str(text).replace("|", "/"), width)) or " "


def _value_text(value: float, unit: str) -> str:
    """An indicator's value in alt text and tooltips: a percentage or a figure."""
    return format_percent(value) if unit == "percent" else format_number(value)


def _facts(frame: pd.DataFrame, unit: str) -> str:
    """Lowest, highest and latest value of one line, and its gaps, in words."""
    known = frame.dropna(subset=["value"])
    if known.empty:
        facts = "no figures to draw"
    else:
        low, high = known.loc[known["value"].idxmin()], known.loc[known["value"].idxmax()]
        facts = (f"lowest {_value_text(low['value'], unit)} ({low['period']}), highest "
                 f"{_value_text(high['value'], unit)} ({high['period']}), latest "
                 + (_value_text(frame["value"].iloc[-1], unit)
                    if pd.notna(frame["value"].iloc[-1]) else "not shown"))
    gaps = frame.loc[frame["value"].isna(), "period"].tolist()
    return facts + (f"; no figure or suppressed: {join_list(gaps)}" if gaps else "")


def sparkline_chart(history: pd.Series, *, title: str, unit: str = "count") -> DescribedChart:
    """Sparkline of an indicator's values by period, with alt text stating its facts.

    Parameters
    ----------
    history : pandas.Series
        Values indexed by period label, oldest first; NaN = no figure or suppressed.
    title : str
        What the line shows (used in the alt text; the tile shows the caption).
    unit : {"count", "people", "percent"}, default "count"

    Returns
    -------
    DescribedChart

    Examples
    --------
    >>> h = pd.Series([2178.0, 2356.0, 2491.0], index=["Q3 2021/22", "Q3 2022/23", "Q3 2023/24"])
    >>> sparkline_chart(h, title="IDAS hub enquiries").alt
    'Sparkline of IDAS hub enquiries over 3 periods, Q3 2021/22 to Q3 2023/24: lowest 2,178 (Q3 2021/22), highest 2,491 (Q3 2023/24), latest 2,491.'
    """  # noqa: E501
    title = check_text(title, "title")
    frame = pd.DataFrame({"period": [str(p) for p in history.index],
                          "value": pd.to_numeric(history, errors="coerce").to_numpy(dtype=float)})
    ensure_aggregated(frame)
    span = f"{frame['period'].iloc[0]} to {frame['period'].iloc[-1]}" if len(frame) else "none"
    alt_text = (f"Sparkline of {title} over {count_noun(len(frame), 'periods')}, {span}: "
                f"{_facts(frame, unit)}.")
    order = frame["period"].tolist()
    base = alt.Chart(frame).encode(
        x=alt.X("period:O", sort=order, axis=None),
        y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)))
    chart = alt.layer(base.mark_line(color=BLUE, strokeWidth=2),
                      base.mark_point(filled=True, color=BLUE, size=30)).properties(
        width=180, height=44)
    return DescribedChart(chart, alt_text)


def sparkline_panels(histories: pd.DataFrame, *, title: str, source: str,
                     columns: int = 3) -> DescribedChart:
    """Every indicator's recent periods as small panels of one figure, with alt text.

    Parameters
    ----------
    histories : pandas.DataFrame
        One row per indicator and period, oldest first within an indicator: ``indicator``
        (panel title, in display order), ``period`` (label), ``value`` (NaN = no figure or
        suppressed) and ``unit`` (``count``, ``people`` or ``percent``).
    title, source : str
        Chart title and source line.
    columns : int, default 3
        Panels per row.

    Returns
    -------
    DescribedChart
        Each panel has its own scales (indicators differ in size and unit; the title says
        so); the alt text gives each indicator's lowest, highest and latest figure and gaps.

    Raises
    ------
    SnaInputError
        Missing columns, a record-level frame, or a blank title or source.

    Examples
    --------
    >>> h = pd.DataFrame({"indicator": ["Hub enquiries"] * 2 + ["Referrals"] * 2,
    ...                   "period": ["Q3 2022/23", "Q3 2023/24"] * 2,
    ...                   "value": [2356.0, 2491.0, 67.0, float("nan")], "unit": "count"})
    >>> print(sparkline_panels(h, title="Recent figures", source="partner returns").alt)
    Small line charts titled 'Recent figures', one for each of 2 indicators, each on its own scale. Hub enquiries, 2 periods (Q3 2022/23 to Q3 2023/24): lowest 2,356 (Q3 2022/23), highest 2,491 (Q3 2023/24), latest 2,491. Referrals, 2 periods (Q3 2022/23 to Q3 2023/24): lowest 67 (Q3 2022/23), highest 67 (Q3 2022/23), latest not shown; no figure or suppressed: Q3 2023/24.
    """  # noqa: E501
    from sna.reports.charts._checks import select_columns
    from sna.reports.charts._theme import chart_title

    title, source = check_text(title, "title"), check_text(source, "source")
    data = select_columns(histories, ["indicator", "period", "value", "unit"],
                          chart="sparkline_panels")
    data["period"] = data["period"].astype(str)
    data["value"] = pd.to_numeric(data["value"], errors="coerce").astype(float)
    ensure_aggregated(data)
    panels = list(dict.fromkeys(data["indicator"]))
    parts = []
    for name in panels:
        frame = data[data["indicator"] == name].reset_index(drop=True)
        parts.append(f"{name}, {count_noun(len(frame), 'periods')} "
                     f"({frame['period'].iloc[0]} to {frame['period'].iloc[-1]}): "
                     f"{_facts(frame, frame['unit'].iloc[0])}.")
    alt_text = (f"Small line charts titled '{title}', one for each of "
                f"{count_noun(len(panels), 'indicators')}, each on its own scale. "
                + " ".join(parts))
    data["panel"] = data["indicator"].map({name: _wrap(name) for name in panels})
    data["shown"] = [_value_text(v, u) if pd.notna(v) else
                     "no figure or suppressed" for v, u in zip(data["value"], data["unit"],
                                                              strict=True)]
    base = alt.Chart().encode(
        x=alt.X("period:O", sort=None, title=None,
                axis=alt.Axis(labelAngle=-40, labelFontSize=10, labelOverlap=True)),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False),
                axis=alt.Axis(tickCount=3, labelFontSize=10)),
        tooltip=[alt.Tooltip("indicator:N", title="Indicator"),
                 alt.Tooltip("period:N", title="Period"),
                 alt.Tooltip("shown:N", title="Figure")])
    layered = alt.layer(base.mark_line(color=BLUE, strokeWidth=2),
                        base.mark_point(filled=True, color=BLUE, size=30)).properties(
        width=200, height=70)
    chart = layered.facet(
        facet=alt.Facet("panel:N", sort=[_wrap(name) for name in panels], title=None,
                        header=alt.Header(labelExpr="split(datum.value, '|')", labelLimit=0,
                                          labelFontSize=11, labelFontWeight="bold",
                                          labelAnchor="start", labelAlign="left")),
        columns=columns, data=data[["panel", "indicator", "period", "value", "shown"]]
    ).resolve_scale(x="independent", y="independent").properties(
        title=chart_title(title, source))
    return DescribedChart(chart, alt_text)
