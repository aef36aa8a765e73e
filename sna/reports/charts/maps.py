"""Choropleth maps of area statistics, drawn on the British National Grid.

Altair ignores a GeoDataFrame's CRS and its default projection expects degrees,
so maps are reprojected to EPSG:27700 (metres) and drawn with an identity
projection with the y axis flipped. Boundaries are simplified (20 m by default)
and snapped to a 1 m grid to keep the SVG small, and polygons are re-wound
clockwise, the order Vega's geo path expects.
"""

from __future__ import annotations

import altair as alt
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from sna.errors import SnaInputError
from sna.reports.charts._checks import DescribedChart, check_text, numeric_column, select_columns
from sna.reports.charts._describe import extreme_phrase
from sna.reports.charts._theme import (
    NO_DATA_FILL,
    SECONDARY_TEXT,
    SUPPRESSED_FILL,
    chart_title,
    with_key,
)
from sna.wording import count_noun, format_interval

__all__ = [
    "choropleth",
    "class_breaks",
    "to_bng",
]

BNG = 27700
SUPPRESSED_LABEL = "Suppressed (small numbers)"
NO_DATA_LABEL = "No data"


def to_bng(gdf: gpd.GeoDataFrame, *, simplify_m: float = 20.0) -> gpd.GeoDataFrame:
    """Reproject polygons to EPSG:27700, simplify, snap to 1 m and wind them for Vega.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons with a CRS (the shipped boundaries are EPSG:4326).
    simplify_m : float, default 20.0
        Douglas-Peucker tolerance in metres (0 for none).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy in EPSG:27700 with exterior rings clockwise
        (``shapely.ops.orient(sign=-1)``; interiors anticlockwise).

    Raises
    ------
    SnaInputError
        No CRS, or geometries that are not polygons.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> squares = gpd.GeoDataFrame(geometry=[box(-1.1, 54.0, -1.09, 54.01)], crs=4326)
    >>> out = to_bng(squares)
    >>> out.crs.to_epsg(), bool(shapely.is_ccw(out.geometry.iloc[0].exterior))
    (27700, False)
    """
    if gdf.crs is None:
        raise SnaInputError("the boundaries have no coordinate reference system (crs is None)",
                            column="geometry", fix="set it with gdf.set_crs(4326) for "
                            "longitude/latitude or gdf.set_crs(27700) for British National Grid")
    kinds = set(gdf.geom_type.dropna())
    if not kinds <= {"Polygon", "MultiPolygon"}:
        raise SnaInputError(f"choropleths need polygons, got {sorted(kinds)}", column="geometry",
                            fix="map area boundaries; never map points for crime records")
    out = gdf if gdf.crs.to_epsg() == BNG else gdf.to_crs(BNG)
    geometry = out.geometry.values
    if simplify_m:
        geometry = shapely.simplify(geometry, simplify_m, preserve_topology=True)
    geometry = shapely.orient_polygons(shapely.set_precision(geometry, 1.0), exterior_cw=True)
    return out.set_geometry(gpd.GeoSeries(geometry, index=out.index, crs=BNG))


def _fitted_height(data: gpd.GeoDataFrame, width: int) -> int:
    min_x, min_y, max_x, max_y = data.total_bounds
    aspect = (max_y - min_y) / (max_x - min_x) if max_x > min_x else 1.0
    return int(min(max(round(width * aspect), 200), 2 * width))


def _status_layer(frame: gpd.GeoDataFrame, label: str, status: str, statuses: list[str],
                  label_col: str) -> alt.Chart:
    fills = {SUPPRESSED_LABEL: SUPPRESSED_FILL, NO_DATA_LABEL: NO_DATA_FILL}
    scale = alt.Scale(domain=statuses, range=[fills[s] for s in statuses])
    layer = with_key(alt.Chart(frame[[label_col, "geometry"]]), "status", status)
    return layer.mark_geoshape(stroke=SECONDARY_TEXT, strokeWidth=0.6, strokeDash=[2, 2]).encode(
        fill=alt.Fill("status:N", scale=scale,
                      legend=alt.Legend(title=None, symbolType="square")),
        tooltip=alt.Tooltip(f"{label_col}:N"))


def class_breaks(values: pd.Series, *, classes: str = "quantile", k: int = 5) -> list[float]:
    """Class breaks for a choropleth: quantiles (equal numbers of areas) or log-spaced.

    Returns ``k + 1`` increasing breaks from the minimum to the maximum (fewer when values
    repeat). ``"log"`` spaces the breaks evenly on a log scale over the positive values
    (zeros fall in the first class).

    Parameters
    ----------
    values : pandas.Series
        The mapped values (non-numbers are ignored).
    classes : {"quantile", "log"}, default "quantile"
        Equal numbers of areas per class, or breaks evenly spaced on a log scale.
    k : int, default 5
        How many classes.

    Returns
    -------
    list of float
        The breaks, increasing (empty when there are no values).

    Examples
    --------
    >>> class_breaks(pd.Series(range(1, 101)), k=4)
    [1.0, 25.75, 50.5, 75.25, 100.0]
    >>> class_breaks(pd.Series([1, 10, 100, 1000]), classes="log", k=3)
    [1.0, 10.0, 100.0, 1000.0]
    >>> class_breaks(pd.Series([2.0, 2.0, 2.0]))
    [2.0, 2.0]
    """
    values = pd.to_numeric(values, errors="coerce").dropna().astype(float)
    if values.empty:
        return []
    if classes == "log":
        positive = values[values > 0]
        low = positive.min() if len(positive) else 1.0
        inner = np.geomspace(low, max(values.max(), low), k + 1)
        breaks = [float(values.min()), *[float(b) for b in inner[1:]]]
    elif classes == "quantile":
        breaks = [float(b) for b in np.quantile(values, np.linspace(0, 1, k + 1))]
    else:
        raise SnaInputError(f"unknown choropleth classes {classes!r}", column="classes",
                            value=classes, fix="use 'quantile' or 'log'")
    unique = sorted(set(round(b, 10) for b in breaks))
    return unique if len(unique) > 1 else [unique[0], unique[0]]


def _class_labels(breaks: list[float]) -> list[str]:
    return [format_interval(a, b) for a, b in zip(breaks[:-1], breaks[1:], strict=True)]


def _assign_classes(values: pd.Series, breaks: list[float]) -> pd.Series:
    labels = _class_labels(breaks)
    if len(labels) == 0:
        return pd.Series(pd.NA, index=values.index, dtype="object")
    position = np.searchsorted(np.asarray(breaks[1:-1]), values.to_numpy(dtype=float),
                               side="left")
    return pd.Series([labels[min(int(i), len(labels) - 1)] for i in position],
                     index=values.index, dtype="object")


def choropleth(gdf: gpd.GeoDataFrame, value_col: str, label_col: str, *, title: str,
               source: str, suppressed_col: str | None = None, legend_title: str | None = None,
               scheme: str = "viridis", simplify_m: float = 20.0, width: int = 520,
               height: int | None = None, area_noun: str = "areas",
               classes: str = "quantile", k: int = 5) -> DescribedChart:
    """Shade areas by a value, with suppressed and missing areas in their own grey categories.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        One row per area (at most 5,000): polygons, ``value_col`` and ``label_col``;
        any CRS (EPSG:4326 is reprojected to EPSG:27700). Other columns are dropped.
    value_col : str
        Numeric column to shade by (missing = no data).
    label_col : str
        Area name, for the alt text and tooltips.
    title, source : str
        Chart title and source line.
    suppressed_col : str, optional
        Boolean column: True marks areas whose value is suppressed for disclosure
        control. They are drawn grey with a dashed outline under the legend entry
        "Suppressed (small numbers)", and their values are never put in the chart.
    legend_title : str, optional
        Title of the colour legend; defaults to ``value_col``.
    scheme : str, default "viridis"
        Vega colour scheme (keep it colour-blind safe: viridis, cividis, blues).
    simplify_m : float, default 20.0
        Simplification tolerance in metres.
    width : int, default 520
        Map width in pixels.
    height : int, optional
        Map height in pixels; by default from the areas' aspect ratio (200 to
        ``2 * width``).
    area_noun : str, default "areas"
        What the areas are, for the alt text (e.g. "LSOAs").
    classes : {"quantile", "log"}, default "quantile"
        How values are grouped into colour classes (:func:`class_breaks`): quantiles give
        each class the same number of areas, so a few very high areas (town centres) do not
        paint the rest one colour; "log" spaces the breaks on a log scale. The legend shows
        each class's range.
    k : int, default 5
        Number of classes.

    Returns
    -------
    DescribedChart
        The map, and alt text with the number of areas, the highest and lowest, and
        the number suppressed and with no data.

    Raises
    ------
    SnaInputError
        Not a GeoDataFrame, no CRS, non-polygon geometry, over 5,000 rows, missing or
        non-numeric columns, blank title or source.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> gdf = gpd.GeoDataFrame({"name": ["A", "B"], "rate": [4.0, None],
    ...                         "small": [False, True]},
    ...                        geometry=[box(-1.10, 54.0, -1.09, 54.01),
    ...                                  box(-1.09, 54.0, -1.08, 54.01)], crs=4326)
    >>> choropleth(gdf, "rate", "name", title="Rates", source="police.uk",
    ...            suppressed_col="small").alt.split(": ", 1)[1]
    '2 areas, shaded by rate in 1 classes of equal numbers of areas (4.00 to 4.00); highest A (4); 1 area suppressed (grey, dashed outline).'
    """  # noqa: E501
    title, source = check_text(title, "title"), check_text(source, "source")
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise SnaInputError(f"choropleth needs a GeoDataFrame, got {type(gdf).__name__}",
                            fix="read boundaries with geopandas and merge the values onto them")
    optional = [suppressed_col] if suppressed_col else []
    table = select_columns(pd.DataFrame(gdf.drop(columns=gdf.geometry.name)),
                           [label_col, value_col, *optional], chart="choropleth")
    shapes = to_bng(gpd.GeoDataFrame(geometry=gdf.geometry.values, crs=gdf.crs),
                    simplify_m=simplify_m)
    data = gpd.GeoDataFrame(table, geometry=shapes.geometry.values, crs=BNG)
    data[label_col] = data[label_col].astype(str)
    data[value_col] = numeric_column(data, value_col)
    suppressed = (data[suppressed_col].fillna(False).astype(bool) if suppressed_col
                  else pd.Series(False, index=data.index))
    data.loc[suppressed, value_col] = float("nan")
    no_data = data[value_col].isna() & ~suppressed
    legend = legend_title or value_col
    shaded = data[~(suppressed | no_data)].copy()
    layers = []
    breaks = class_breaks(shaded[value_col], classes=classes, k=k) if len(shaded) else []
    if len(shaded):
        shaded["class"] = _assign_classes(shaded[value_col], breaks)
        labels = _class_labels(breaks)
        layers.append(alt.Chart(shaded[[label_col, value_col, "class", "geometry"]])
                      .mark_geoshape(stroke="white", strokeWidth=0.3).encode(
            color=alt.Color("class:O", scale=alt.Scale(domain=labels, scheme=scheme),
                            sort=labels, legend=alt.Legend(title=legend, symbolType="square",
                                                           columns=len(labels))),
            tooltip=[alt.Tooltip(f"{label_col}:N"), alt.Tooltip(f"{value_col}:Q")]))
    statuses = [s for s, mask in ((SUPPRESSED_LABEL, suppressed), (NO_DATA_LABEL, no_data))
                if mask.any()]
    for status, mask in ((SUPPRESSED_LABEL, suppressed), (NO_DATA_LABEL, no_data)):
        if mask.any():
            layers.append(_status_layer(data[mask], label_col, status, statuses, label_col))
    chart = alt.layer(*layers).project(type="identity", reflectY=True).properties(
        width=width, height=height or _fitted_height(data, width),
        title=chart_title(title, source))
    grouping = ("classes of equal numbers of areas" if classes == "quantile"
                else "classes evenly spaced on a log scale")
    alt_text = (f"Choropleth map titled '{title}': {count_noun(len(data), area_noun)}, shaded "
                f"by {legend} in {max(len(breaks) - 1, 0)} {grouping} "
                f"({'; '.join(_class_labels(breaks))}); "
                + extreme_phrase(data[label_col], data[value_col]))
    if suppressed.any():
        alt_text += (f"; {count_noun(int(suppressed.sum()), area_noun)} suppressed "
                     "(grey, dashed outline)")
    if no_data.any():
        alt_text += f"; {count_noun(int(no_data.sum()), area_noun)} with no data (light grey)"
    return DescribedChart(chart, alt_text + ".")
