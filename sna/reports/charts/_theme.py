"""The project's accessible chart theme: palette, fonts, titles and category styles.

Colours are the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"),
which stays distinguishable under the common colour-vision deficiencies. Every
categorical encoding that carries meaning is doubled by a shape or a dash pattern
(WCAG 2.2 success criterion 1.4.1, "Use of Color"), so no chart relies on colour alone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import altair as alt

THEME_NAME = "sna"

BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
SKY_BLUE = "#56B4E9"
BLACK = "#000000"
YELLOW = "#F0E442"
GREY = "#6F777B"
LIGHT_GREY = "#B1B4B6"
TEXT = "#0B0C0C"
SECONDARY_TEXT = "#505A5F"

#: Okabe-Ito colours in the order series get them (yellow last: low contrast on white).
OKABE_ITO = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, BLACK, YELLOW)
#: Point shapes in the order series get them.
SHAPES = ("circle", "square", "diamond", "triangle-up", "triangle-down", "cross",
          "triangle-right", "triangle-left")
#: Dash patterns in the order line series get them.
DASHES = ((1, 0), (6, 3), (2, 2), (8, 3, 2, 3), (12, 4), (4, 4), (1, 3), (10, 2, 2, 2))

FONT = "Arial, Helvetica, sans-serif"
LABEL_FONT_SIZE = 12
AXIS_TITLE_FONT_SIZE = 14
TITLE_FONT_SIZE = 16
SUPPRESSED_FILL = "#BDBDBD"
NO_DATA_FILL = "#F3F2F1"

# (keywords, shape, colour): the first row with a keyword found in a category wins.
_SEMANTIC_STYLES = (
    (("not compared", "not estimable", "no data", "suppressed"), "cross", LIGHT_GREY),
    (("no significant", "not significant", "similar", "within", "no change",
      "no judgement"), "circle", GREY),
    (("worse",), "diamond", VERMILLION),
    (("better",), "square", GREEN),
    (("increase", "high", "above"), "triangle-up", VERMILLION),
    (("decrease", "low", "below"), "triangle-down", BLUE),
)
# Second style for a second category of the same direction (e.g. 95% after 99.8%).
_SECOND_STYLES = {"triangle-up": ("diamond", ORANGE), "triangle-down": ("square", SKY_BLUE)}
# Markers of the stronger of two significance levels, which gets the first style.
_STRONG = ("99.8", "0.001", "998")
_FALLBACK_STYLES = (("square", GREEN), ("diamond", ORANGE), ("cross", PURPLE),
                    ("triangle-right", SKY_BLUE), ("triangle-left", BLACK), ("wedge", ORANGE),
                    ("circle", BLUE), ("triangle-up", PURPLE), ("triangle-down", GREEN),
                    ("arrow", BLACK))
_DOMAIN_RANK = ("not compared", "worse", "increase", "high", "above", "similar",
                "no significant", "not significant", "within", "no change", "no judgement",
                "better", "decrease", "low", "below")


def theme_config() -> dict:
    """Return the Vega-Lite config of the project theme.

    Returns
    -------
    dict
        ``{"config": {...}}``: Arial, labels 12 px, axis and legend titles 14 px, chart
        titles 16 px, Okabe-Ito categories, viridis ramps, no internal ARIA (the figure
        wrapper carries the alt text).

    Examples
    --------
    >>> theme_config()["config"]["axis"]["labelFontSize"]
    12
    """
    guide = {"labelFontSize": LABEL_FONT_SIZE, "titleFontSize": AXIS_TITLE_FONT_SIZE,
             "labelColor": TEXT, "titleColor": TEXT, "titleFontWeight": "normal",
             "labelFont": FONT, "titleFont": FONT}
    return {"config": {
        "font": FONT,
        "background": "white",
        "aria": False,
        "view": {"continuousWidth": 520, "continuousHeight": 280, "stroke": None},
        "title": {"fontSize": TITLE_FONT_SIZE, "subtitleFontSize": LABEL_FONT_SIZE,
                  "anchor": "start", "color": TEXT, "subtitleColor": SECONDARY_TEXT,
                  "offset": 12, "subtitlePadding": 4, "font": FONT, "subtitleFont": FONT},
        "axis": guide | {"gridColor": "#E5E5E5", "domainColor": SECONDARY_TEXT,
                         "tickColor": SECONDARY_TEXT, "labelLimit": 220},
        "legend": guide | {"symbolSize": 80, "labelLimit": 260, "orient": "bottom",
                           "direction": "horizontal", "columns": 3},
        "header": {"labelFontSize": LABEL_FONT_SIZE + 1, "titleFontSize": AXIS_TITLE_FONT_SIZE,
                   "labelColor": TEXT, "labelFont": FONT, "titleFont": FONT},
        "range": {"category": list(OKABE_ITO), "ramp": {"scheme": "viridis"},
                  "heatmap": {"scheme": "viridis"}},
        "point": {"filled": True, "size": 60},
        "line": {"strokeWidth": 2},
    }}


@alt.theme.register(THEME_NAME, enable=False)
def _sna_theme() -> alt.theme.ThemeConfig:
    return theme_config()  # type: ignore[return-value]


def chart_title(title: str, source: str) -> alt.Title:
    """Return a left-aligned title whose subtitle is the source line.

    Parameters
    ----------
    title : str
        The chart's title (what it shows, where and when).
    source : str
        The data source; "Source: " is prefixed unless it already starts with it.

    Returns
    -------
    altair.Title

    Examples
    --------
    >>> chart_title("Monthly violence", "police.uk").subtitle
    'Source: police.uk'
    """
    source_line = source if source.lower().startswith("source") else f"Source: {source}"
    return alt.Title(text=title, subtitle=source_line)


def _semantic_style(category: str) -> tuple[str, str] | None:
    lowered = category.lower()
    for keywords, shape, colour in _SEMANTIC_STYLES:
        if any(word in lowered for word in keywords):
            return shape, colour
    return None


def _rank(category: str) -> tuple[int, int]:
    lowered = category.lower()
    rank = next((i for i, word in enumerate(_DOMAIN_RANK) if word in lowered), len(_DOMAIN_RANK))
    if rank == 0:  # "not compared" goes last
        rank = len(_DOMAIN_RANK) + 1
    strength = 0 if any(mark in lowered for mark in _STRONG) else 1
    return rank, strength


def category_styles(categories: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    """Assign each category a colour and a distinct shape, by meaning where it has one.

    Parameters
    ----------
    categories : sequence of str
        Category labels such as ``"increase"``, ``"no significant change"``,
        ``"higher"``, ``"similar"``, ``"above 99.8% limit"``. Duplicates are ignored.

    Returns
    -------
    domain, colours, shapes : list of str
        The categories ordered worse/higher first, similar next, lower after,
        unrecognised, then "not compared" last (first-seen order within each, the
        99.8%/0.001 level before the 95%/0.025 one), with their colours and shapes.
        Rises (increase, higher, high, above) are vermillion up-triangles and a second
        rise level orange diamonds; falls are blue down-triangles and sky-blue squares;
        similar / not significant grey circles. Shapes never repeat while unused ones
        remain.

    Examples
    --------
    >>> category_styles(["no significant change", "decrease", "increase"])
    (['increase', 'no significant change', 'decrease'], ['#D55E00', '#6F777B', '#0072B2'], \
['triangle-up', 'circle', 'triangle-down'])
    >>> category_styles(["Not significant", "High (0.025)", "High (0.001)"])[2]
    ['triangle-up', 'diamond', 'circle']
    """
    unique = list(dict.fromkeys(str(c) for c in categories))
    domain = sorted(unique, key=_rank)
    colours: list[str] = []
    shapes: list[str] = []
    for category in domain:
        preferred = _semantic_style(category)
        options = [] if preferred is None else [preferred]
        if preferred is not None and preferred[0] in _SECOND_STYLES:
            options.append(_SECOND_STYLES[preferred[0]])
        options += list(_FALLBACK_STYLES)
        shape, colour = next(((s, c) for s, c in options if s not in shapes), options[0])
        shapes.append(shape)
        colours.append(colour)
    return domain, colours, shapes


def series_styles(count: int) -> tuple[list[str], list[str], list[list[int]]]:
    """Return colours, shapes and dash patterns for ``count`` unordered series.

    Parameters
    ----------
    count : int
        Number of series.

    Returns
    -------
    colours, shapes, dashes : list
        Okabe-Ito colours, point shapes and stroke-dash arrays, cycling if needed.

    Examples
    --------
    >>> series_styles(2)[1]
    ['circle', 'square']
    """
    colours = [OKABE_ITO[i % len(OKABE_ITO)] for i in range(count)]
    shapes = [SHAPES[i % len(SHAPES)] for i in range(count)]
    dashes = [list(DASHES[i % len(DASHES)]) for i in range(count)]
    return colours, shapes, dashes


def with_key(chart: alt.Chart, field: str, label: str) -> alt.Chart:
    """Add a constant field (computed in Vega, not embedded) so a layer gets a legend entry.

    Parameters
    ----------
    chart : altair.Chart
        A single-view chart.
    field : str
        Name of the computed field.
    label : str
        Its value: the legend text of this layer.

    Returns
    -------
    altair.Chart

    Examples
    --------
    >>> import pandas as pd
    >>> c = with_key(alt.Chart(pd.DataFrame({"x": [1]})), "key", "Fitted trend").mark_line()
    >>> c.to_dict()["transform"]
    [{'calculate': '"Fitted trend"', 'as': 'key'}]
    """
    return chart.transform_calculate(**{field: json.dumps(label)})
