"""A sparkline: a small line of an indicator's recent periods, for a dashboard tile.

Periods are text labels (``2023/24 Q3``, ``2023/24``) in time order; a missing or
suppressed value is a gap, never a zero, and the alt text names it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from sna.reports.charts._checks import DescribedChart, check_text, ensure_aggregated
from sna.reports.charts._describe import fmt_number, join_list
from sna.reports.charts._theme import BLUE

__all__ = [
    "sparkline_chart",
]


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
    >>> h = pd.Series([2178.0, 2356.0, 2491.0], index=["2021/22 Q3", "2022/23 Q3", "2023/24 Q3"])
    >>> sparkline_chart(h, title="IDAS hub enquiries").alt
    'Sparkline of IDAS hub enquiries over 3 periods, 2021/22 Q3 to 2023/24 Q3: lowest 2,178 (2021/22 Q3), highest 2,491 (2023/24 Q3), latest 2,491.'
    """  # noqa: E501
    title = check_text(title, "title")
    frame = pd.DataFrame({"period": [str(p) for p in history.index],
                          "value": pd.to_numeric(history, errors="coerce").to_numpy(dtype=float)})
    ensure_aggregated(frame)
    suffix = "%" if unit == "percent" else ""
    known = frame.dropna(subset=["value"])
    span = f"{frame['period'].iloc[0]} to {frame['period'].iloc[-1]}" if len(frame) else "none"
    if known.empty:
        facts = "no figures to draw"
    else:
        low, high = known.loc[known["value"].idxmin()], known.loc[known["value"].idxmax()]
        facts = (f"lowest {fmt_number(low['value'])}{suffix} ({low['period']}), highest "
                 f"{fmt_number(high['value'])}{suffix} ({high['period']}), latest "
                 + (f"{fmt_number(frame['value'].iloc[-1])}{suffix}"
                    if pd.notna(frame["value"].iloc[-1]) else "not shown"))
    gaps = frame.loc[frame["value"].isna(), "period"].tolist()
    gap_text = f"; no figure or suppressed: {join_list(gaps)}" if gaps else ""
    alt_text = (f"Sparkline of {title} over {len(frame)} period"
                f"{'s' if len(frame) != 1 else ''}, {span}: {facts}{gap_text}.")
    order = frame["period"].tolist()
    base = alt.Chart(frame).encode(
        x=alt.X("period:O", sort=order, axis=None),
        y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)))
    chart = alt.layer(base.mark_line(color=BLUE, strokeWidth=2),
                      base.mark_point(filled=True, color=BLUE, size=30)).properties(
        width=180, height=44)
    return DescribedChart(chart, alt_text)
