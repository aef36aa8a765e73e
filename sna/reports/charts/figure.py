"""Accessible figures: one chart object, three renderings.

A :class:`Figure` (what :func:`figure` returns and what report sections hold) displays as

- **in a live kernel (JupyterLab)**: the Altair chart itself, as Vega-Lite
  (``application/vnd.vegalite.v5+json``, the version JupyterLab 4 renders), with a tooltip
  on every mark;
- **in a saved or executed notebook opened untrusted** (``reports/*/executed.ipynb``, a
  colleague's notebook, GitHub, VS Code): JupyterLab's Vega renderer is "safe" and draws it
  without trust; every other front end gets the ``image/png`` in the same output (PNG renders
  untrusted; ``text/html`` with inline SVG is stripped by JupyterLab's sanitizer, so the
  bundle carries none), and ``text/plain`` holds the alt text;
- **in the HTML report**: the offline, JavaScript-free ``<figure>`` below, carried in the
  bundle under :data:`FIGURE_MIMETYPE` and swapped in for the other renderings by
  :func:`sna.reports.html.prepare_notebook` before nbconvert runs.

The report figure is rendered to SVG by vl-convert and wrapped in a ``<figure>`` whose image
has the alt text as its ``aria-label``, a visible ``<figcaption>`` and, optionally, a
``<details>`` block holding the (aggregated, suppressed) data as a real ``<table>``. The
SVG holds drawn marks only, never the chart's data JSON.
"""

from __future__ import annotations

import hashlib
import html
import re
import struct
from dataclasses import KW_ONLY, dataclass
from typing import Any

import altair
import pandas as pd
import vl_convert

from sna.errors import SnaInputError
from sna.reports.charts._checks import DescribedChart, check_text, ensure_aggregated
from sna.reports.charts._theme import THEME_NAME
from sna.reports.display import table as display_table
from sna.reports.html import FIGURE_MIMETYPE

__all__ = [
    "Figure",
    "VEGALITE_MIMETYPE",
    "chart_png",
    "chart_spec",
    "chart_svg",
    "figure",
    "figure_html",
    "interactive_spec",
    "round_geometry",
    "table_html",
]
LOCALE = "en-GB"
#: The Vega-Lite mimetype JupyterLab 4 renders (its renderer takes v3 to v5 specs).
VEGALITE_MIMETYPE = "application/vnd.vegalite.v5+json"
_VEGALITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
_ID = re.compile(r'\bid="([^"]+)"')
_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")


def _vl_version() -> str:
    major, minor = altair.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"{major}.{minor}"


def chart_spec(chart: altair.TopLevelMixin) -> dict:
    """Return the chart's Vega-Lite specification with the project theme applied.

    Parameters
    ----------
    chart : altair chart
        Any top-level Altair chart.

    Returns
    -------
    dict

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> spec = chart_spec(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q"))
    >>> spec["config"]["axis"]["labelFontSize"]
    12
    """
    with altair.theme.enable(THEME_NAME):
        return chart.to_dict()


def _namespace_ids(svg: str) -> str:
    """Renumber SVG ids (``clip1``, ``gradient_3``) and prefix them with a content hash.

    vl-convert numbers ids from a counter that keeps running between renders in one
    process, so the same chart gets different ids each time, and two inline SVGs in
    one page can clash. Ids are renumbered in order of appearance, then prefixed with
    a hash of the renumbered SVG: unique per chart, yet deterministic.
    """
    ids = list(dict.fromkeys(_ID.findall(svg)))
    if not ids:
        return svg
    canonical = {old: f"i{number}" for number, old in enumerate(ids)}
    pattern = re.compile(r'(\bid="|url\(#|href="#)(' + "|".join(map(re.escape, ids))
                         + r')(?=[")])')
    placeholder = "\x00"
    marked = pattern.sub(lambda m: f"{m.group(1)}{placeholder}{canonical[m.group(2)]}", svg)
    prefix = "sna-" + hashlib.sha256(marked.encode("utf-8")).hexdigest()[:12] + "-"
    return marked.replace(placeholder, prefix)


def _responsive_root(svg: str) -> str:
    match = _SVG_OPEN.search(svg)
    if match is None:
        raise SnaInputError("vl-convert returned no <svg> element",
                            fix="check the chart renders with chart.to_dict()")
    attributes = match.group(1)
    extra = ' aria-hidden="true" focusable="false" style="max-width:100%;height:auto"'
    if "viewBox" not in attributes:
        width = re.search(r'\bwidth="([\d.]+)"', attributes)
        height = re.search(r'\bheight="([\d.]+)"', attributes)
        if width and height:
            extra += f' viewBox="0 0 {width.group(1)} {height.group(1)}"'
    return f"{svg[:match.start()]}<svg{attributes}{extra}>{svg[match.end():]}"


def chart_svg(chart: altair.TopLevelMixin) -> str:
    """Render a chart to an inline-ready SVG string (themed, en-GB, ids namespaced).

    Parameters
    ----------
    chart : altair chart

    Returns
    -------
    str
        ``<svg ...>`` hidden from assistive technology (the figure wrapper carries the
        alt text), scaling down to its container, with ids unique to this chart.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> svg = chart_svg(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q"))
    >>> svg.startswith("<svg") and 'style="max-width:100%;height:auto"' in svg
    True
    """
    return _spec_svg(chart_spec(chart))


def _spec_svg(spec: dict) -> str:
    svg = vl_convert.vegalite_to_svg(spec, vl_version=_vl_version(), format_locale=LOCALE,
                                     time_format_locale=LOCALE, allowed_base_urls=[])
    return _responsive_root(_namespace_ids(round_geometry(svg)))


_TRANSLATE = re.compile(r'transform="translate\(([-\d.e]+),\s*([-\d.e]+)\)"')
_PATH_DATA = re.compile(r'\sd="([^"]*)"')
_NUMBER = re.compile(r"-?\d+\.\d+(?:e-?\d+)?")


def round_geometry(svg: str) -> str:
    """Round mark positions to whole pixels and path data to a tenth of a pixel.

    A chart can show a position to a pixel; the full-precision coordinates Vega writes
    would let a reader invert the axes and recover the exact values behind each mark
    (issue 20), so no more precision than the axis shows is published.

    Parameters
    ----------
    svg : str
        The SVG text Vega wrote.

    Returns
    -------
    str
        The same SVG with whole-pixel positions and path data to 0.1 pixel.

    Examples
    --------
    >>> round_geometry('<path transform="translate(12.3456,7.5)" d="M2.6458,0L1.25,3"/>')
    '<path transform="translate(12,8)" d="M2.6,0L1.2,3"/>'
    """
    def whole(match: re.Match) -> str:
        x, y = (round(float(v)) for v in match.groups())
        return f'transform="translate({x},{y})"'

    def tenth(match: re.Match) -> str:
        return ' d="' + _NUMBER.sub(lambda n: f"{float(n.group()):.1f}".rstrip("0").rstrip("."),
                                    match.group(1)) + '"'

    return _PATH_DATA.sub(tenth, _TRANSLATE.sub(whole, svg))


def _spec_title(spec: dict) -> str:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(map(str, title))
    return str(title) if title else ""


def table_html(table: pd.DataFrame, caption: str, *, na_rep: str = "[x]") -> str:
    """Render an aggregated table as an HTML ``<table>`` with a ``<caption>``.

    The chart's data table is drawn as every report table is
    (:func:`sna.reports.display.table`, two decimals), with its own mark for missing cells.

    Parameters
    ----------
    table : pandas.DataFrame
        The aggregated, disclosure-controlled data behind a chart.
    caption : str
        The table's caption.
    na_rep : str, default "[x]"
        Shown for missing cells (the GSS shorthand for "not available"; fill
        suppressed cells with "[c]" beforehand to mark them as confidential).

    Returns
    -------
    str

    Raises
    ------
    SnaInputError
        The table is not a DataFrame or looks record-level (see ``ensure_aggregated``).

    Examples
    --------
    >>> import pandas as pd
    >>> out = table_html(pd.DataFrame({"area": ["A & B"], "count": [1200.0]}), "Counts")
    >>> "<caption>Counts</caption>" in out, "A &amp; B" in out, "1,200" in out
    (True, True, True)
    """
    ensure_aggregated(table)
    return display_table(table, caption, na=na_rep, decimals=2, index=False).data


def figure_html(chart: altair.TopLevelMixin | DescribedChart, *, alt: str | None = None,
                caption: str | None = None, table: pd.DataFrame | None = None,
                table_caption: str | None = None, table_na_rep: str = "[x]") -> str:
    """Return the HTML of an accessible, offline figure (see :func:`figure`).

    Parameters
    ----------
    chart : altair chart or DescribedChart
        The chart; a :class:`DescribedChart` also supplies the alt text.
    alt : str, optional
        Alt text. Required unless ``chart`` is a :class:`DescribedChart`; overrides its text.
    caption : str, optional
        Visible caption; defaults to the chart's title.
    table : pandas.DataFrame, optional
        Aggregated, suppressed data shown in a collapsed "Data table" section.
    table_caption : str, optional
        Caption of the table; defaults to "Data for: <caption>".
    table_na_rep : str, default "[x]"
        Text for missing table cells.

    Returns
    -------
    str
        ``<figure class="sna-figure"><div role="img" aria-label="ALT"><svg ...></div>
        <figcaption>...</figcaption>[<details>...</details>]</figure>``. The same
        input always gives the same string.

    Raises
    ------
    SnaInputError
        Missing or blank ``alt``; a record-level ``table``.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> chart = alt.Chart(pd.DataFrame({"x": [1]}), title="One point").mark_point().encode(
    ...     x="x:Q")
    >>> out = figure_html(chart, alt="A single point at x = 1.")
    >>> 'aria-label="A single point at x = 1."' in out, "<figcaption>One point<" in out
    (True, True)
    """
    if isinstance(chart, DescribedChart):
        chart, alt = chart.chart, (alt if alt is not None else chart.alt)
    alt_text = check_text(alt, "alt")
    spec = chart_spec(chart)
    caption_text = caption if caption is not None else _spec_title(spec)
    parts = ['<figure class="sna-figure" style="margin:1.5em 0">',
             f'<div role="img" aria-label="{html.escape(alt_text, quote=True)}">',
             _spec_svg(spec), "</div>"]
    if caption_text:
        parts.append(f"<figcaption>{html.escape(caption_text)}</figcaption>")
    if table is not None:
        label = table_caption or f"Data for: {caption_text or alt_text}"
        parts += ["<details><summary>Data table</summary>",
                  table_html(table, label, na_rep=table_na_rep), "</details>"]
    parts.append("</figure>")
    return "\n".join(parts)


def interactive_spec(chart: altair.TopLevelMixin) -> dict:
    """Return the themed spec for live display: a tooltip on every mark, Vega-Lite v5 schema.

    Marks without their own ``tooltip`` encoding show the values of their encoded fields
    (``config.mark.tooltip``). The ``$schema`` names Vega-Lite 5, the version JupyterLab 4
    bundles; the charts use no Vega-Lite 6 features.

    Parameters
    ----------
    chart : altair.TopLevelMixin
        The chart.

    Returns
    -------
    dict
        The Vega-Lite spec with the project's theme and tooltips.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> spec = interactive_spec(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q"))
    >>> spec["config"]["mark"]["tooltip"], spec["$schema"].endswith("v5.json")
    ({'content': 'encoding'}, True)
    """
    spec = chart_spec(chart)
    config = spec.setdefault("config", {})
    config["mark"] = {**config.get("mark", {}), "tooltip": {"content": "encoding"}}
    spec["$schema"] = _VEGALITE_SCHEMA
    return spec


def chart_png(chart: altair.TopLevelMixin, *, scale: float = 2.0) -> bytes:
    """Render a chart to PNG (themed, en-GB), ``scale`` pixels per CSS pixel.

    Parameters
    ----------
    chart : altair.TopLevelMixin
        The chart.
    scale : float, default 2.0
        Pixels per CSS pixel.

    Returns
    -------
    bytes
        The PNG file's bytes.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> png = chart_png(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q"))
    >>> png[1:4]
    b'PNG'
    """
    return _spec_png(chart_spec(chart), scale)


def _spec_png(spec: dict, scale: float) -> bytes:
    return vl_convert.vegalite_to_png(spec, vl_version=_vl_version(), scale=scale,
                                      format_locale=LOCALE, time_format_locale=LOCALE,
                                      allowed_base_urls=[])


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


@dataclass(frozen=True, eq=False)
class Figure:
    """A chart with its alt text, caption and data table, shown right wherever it is displayed.

    One object, three renderings (see the module docstring): Vega-Lite with tooltips in a
    live kernel, a PNG beside it for untrusted and non-JupyterLab viewers, and the offline
    inline-SVG ``<figure>`` (:meth:`html`) in the HTML report.

    Attributes
    ----------
    chart : altair.TopLevelMixin
        The Altair chart (aggregated, suppressed data only); explore or restyle it freely.
    alt : str
        The alt text.
    caption : str or None
        Visible caption (None: the chart's title).
    table : pandas.DataFrame or None
        The aggregated, suppressed data shown under the figure.
    table_caption : str or None
        Caption of that table.
    table_na_rep : str
        Text for missing table cells.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> chart = alt.Chart(pd.DataFrame({"x": [1]}), title="One").mark_point().encode(x="x:Q")
    >>> fig = Figure(chart, alt="A single point at x = 1.")
    >>> bundle, metadata = fig._repr_mimebundle_()
    >>> sorted(bundle)  # doctest: +NORMALIZE_WHITESPACE
    ['application/vnd.sna.figure+html', 'application/vnd.vegalite.v5+json', 'image/png',
     'text/plain']
    >>> bundle["text/plain"]
    'Figure: One. A single point at x = 1.'
    """

    chart: altair.TopLevelMixin
    alt: str
    _: KW_ONLY
    caption: str | None = None
    table: pd.DataFrame | None = None
    table_caption: str | None = None
    table_na_rep: str = "[x]"

    def __post_init__(self) -> None:
        if isinstance(self.chart, DescribedChart):
            described = self.chart
            object.__setattr__(self, "chart", described.chart)
            if self.alt is None:
                object.__setattr__(self, "alt", described.alt)
        object.__setattr__(self, "alt", check_text(self.alt, "alt"))
        if self.table is not None:
            ensure_aggregated(self.table)

    @property
    def title(self) -> str:
        """The caption, else the chart's title."""
        return self.caption if self.caption is not None else _spec_title(chart_spec(self.chart))

    def html(self) -> str:
        """The report's offline ``<figure>`` (inline SVG, alt text, caption, data table).

        Returns
        -------
        str
            The ``<figure>`` element, as :func:`figure_html` makes it.
        """
        return figure_html(self.chart, alt=self.alt, caption=self.caption, table=self.table,
                           table_caption=self.table_caption, table_na_rep=self.table_na_rep)

    @property
    def data(self) -> str:
        """The report ``<figure>`` HTML (as ``IPython.display.HTML(...).data``)."""
        return self.html()

    def spec(self) -> dict:
        """The Vega-Lite spec shown in JupyterLab (tooltips on every mark).

        Returns
        -------
        dict
            As :func:`interactive_spec` returns it.
        """
        return interactive_spec(self.chart)

    def png(self, *, scale: float = 1.0) -> bytes:
        """The chart as PNG (``scale`` pixels per CSS pixel).

        In the notebook bundle the PNG is only the fallback for viewers without Vega, at
        scale 1 (a scale-2 PNG is about three times the bytes in every executed notebook).

        Parameters
        ----------
        scale : float, default 1.0
            Pixels per CSS pixel.

        Returns
        -------
        bytes
            The PNG file's bytes.
        """
        return chart_png(self.chart, scale=scale)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None
                          ) -> tuple[dict[str, Any], dict[str, Any]]:
        png = self.png()
        width, height = _png_size(png)
        title = self.title
        text = f"Figure: {title}. {self.alt}" if title else f"Figure: {self.alt}"
        bundle = {VEGALITE_MIMETYPE: self.spec(), "image/png": png, FIGURE_MIMETYPE: self.html(),
                  "text/plain": text}
        metadata = {"image/png": {"width": width, "height": height}}
        return bundle, metadata


def figure(chart: altair.TopLevelMixin | DescribedChart, *, alt: str | None = None,
           caption: str | None = None, table: pd.DataFrame | None = None,
           table_caption: str | None = None, table_na_rep: str = "[x]") -> Figure:
    """Display a chart as an accessible figure in a notebook, in JupyterLab and in the report.

    Use this (not Altair's renderers) in report notebooks: it shows the interactive chart in
    JupyterLab, a PNG where scripts or trust are missing, and the offline SVG ``<figure>`` in
    the HTML report (see :class:`Figure`).

    Parameters
    ----------
    chart, alt, caption, table, table_caption, table_na_rep
        As for :func:`figure_html`.

    Returns
    -------
    Figure

    Raises
    ------
    SnaInputError
        Missing or blank ``alt``; a record-level ``table``.

    See Also
    --------
    figure_html : the report figure as a string.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    >>> figure(chart, alt="A single point.").html().startswith('<figure class="sna-figure"')
    True
    """
    return Figure(chart, alt, caption=caption, table=table, table_caption=table_caption,
                  table_na_rep=table_na_rep)
