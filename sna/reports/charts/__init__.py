"""Accessible, offline charts and maps for the reports.

Every chart function takes only an aggregated, disclosure-controlled table with
documented columns, keeps just the columns it draws (Altair embeds every column it
is given), and returns a :class:`DescribedChart` ``(chart, alt)``: the Altair
chart and a generated alt text stating what it shows and its key facts. Show it in
a report with :func:`figure`: a :class:`Figure` shows the interactive Vega-Lite chart in
JupyterLab, a PNG where scripts or trust are missing, and in the HTML report inline SVG (no
JavaScript, no network) with the alt text, a caption and an optional data table.

Examples
--------
>>> import pandas as pd
>>> from sna.reports import charts
>>> counts = pd.DataFrame({"period": ["2024-01", "2024-02"], "count": [10, 12]})
>>> described = charts.monthly_counts_chart(counts, title="Violence", source="police.uk")
>>> html = charts.figure_html(described)
>>> html.count("<svg"), 'aria-label="Line chart' in html
(1, True)
"""

from sna.reports.charts._checks import DescribedChart, ensure_aggregated
from sna.reports.charts._theme import THEME_NAME, category_styles, chart_title, theme_config
from sna.reports.charts.figure import (
    FIGURE_MIMETYPE,
    Figure,
    chart_png,
    chart_spec,
    chart_svg,
    figure,
    figure_html,
    interactive_spec,
    table_html,
)
from sna.reports.charts.intervals import funnel_chart, rates_ci_chart, shares_ci_chart, shift_chart
from sna.reports.charts.maps import choropleth, to_bng
from sna.reports.charts.sparkline import sparkline_chart, sparkline_panels
from sna.reports.charts.time_series import (
    monthly_counts_chart,
    seasonal_chart,
    small_multiples,
    trend_band_chart,
)

__all__ = [
    "FIGURE_MIMETYPE",
    "THEME_NAME",
    "DescribedChart",
    "Figure",
    "category_styles",
    "chart_png",
    "chart_spec",
    "chart_svg",
    "chart_title",
    "choropleth",
    "ensure_aggregated",
    "figure",
    "figure_html",
    "funnel_chart",
    "interactive_spec",
    "monthly_counts_chart",
    "rates_ci_chart",
    "seasonal_chart",
    "shares_ci_chart",
    "shift_chart",
    "small_multiples",
    "sparkline_chart",
    "sparkline_panels",
    "table_html",
    "theme_config",
    "to_bng",
    "trend_band_chart",
]
