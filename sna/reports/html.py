"""Render an executed report notebook as one offline, code-free HTML page for reviewers.

nbconvert's ``lab`` template loads require.js, MathJax and Mermaid from a CDN; the
project template ``templates/sna`` empties those blocks. Code is hidden
with ``exclude_input``. After export the page gets, in order: an optional demo-data
banner, the title, one run-stamp line, a table of contents built from the h1-h3
headings, the summary and key findings, the notebook content, the recommendations and
glossary, and a Provenance section. The summary, recommendations, banner wording and
title come from the report frame and findings the notebook's sections output
(:mod:`sna.reports.findings`).
Everything except the run-stamp line is a function of the notebook's outputs and the
provenance record, so two runs on the same inputs differ only on that line.
"""

from __future__ import annotations

import copy
import html
import json
import re
from pathlib import Path
from typing import Any

import nbformat

from sna.reports import findings as fnd
from sna.reports.notebook_checks import PAPERMILL_TAGS
from sna.wording import format_count

__all__ = [
    "FIGURE_MIMETYPE",
    "add_summary",
    "collect_findings",
    "decorate_page",
    "export_html",
    "find_remote_resources",
    "prepare_notebook",
    "provenance_html",
    "render_html",
    "report_figure",
    "retitle",
    "synthetic_banner_html",
    "toc_html",
    "unique_heading_ids",
]

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "sna"
RUN_STAMP_CLASS = "sna-run-stamp"
#: Mimetype under which a :class:`sna.reports.charts.Figure` output carries the report's
#: offline ``<figure>``; :func:`report_figure` turns it into the page's ``text/html``.
FIGURE_MIMETYPE = "application/vnd.sna.figure+html"

_HEADING = re.compile(r'<h([1-3])\s+id="([^"]*)"([^>]*)>(.*?)</h\1>', re.DOTALL)
_ANCHOR_LINK = re.compile(r'<a class="anchor-link" href="#[^"]*">.*?</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_REMOTE_PATTERNS = (
    re.compile(r"<(?:script|img|iframe|audio|video|source|embed)\b[^>]*\ssrc\s*=\s*[\"']?"
               r"(?:https?:)?//", re.IGNORECASE),
    re.compile(r"<link\b[^>]*\shref\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE),
    re.compile(r"@import\s+(?:url\()?\s*[\"']?(?:https?:)?//", re.IGNORECASE),
    re.compile(r"url\(\s*[\"']?(?:https?:)?//", re.IGNORECASE),
)
_SCRIPT_BODY = re.compile(r"<script\b[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)


def find_remote_resources(page: str) -> list[str]:
    """List the places where an HTML page would load something from the network.

    Scripts, images, frames and media with a remote ``src``, ``<link>`` with a remote
    ``href`` (style sheets, fonts), CSS ``@import``/``url()`` of remote files, and any
    ``http(s)://`` address inside a ``<script>`` (a script that loads code at run time).
    Ordinary hyperlinks (``<a href="https://...">``) are allowed.

    Parameters
    ----------
    page : str
        The report's HTML page.

    Returns
    -------
    list of str
        Each offending tag or address; empty when the page is offline.

    Examples
    --------
    >>> find_remote_resources('<a href="https://data.police.uk">source</a>')
    []
    >>> find_remote_resources('<script src="https://cdn.example/x.js"></script>')
    ['<script src="https://cdn.example/x.js"></script>']
    """
    found = []
    for pattern in _REMOTE_PATTERNS:
        found += [page[m.start(): m.start() + 80].split("\n")[0] for m in pattern.finditer(page)]
    for match in _SCRIPT_BODY.finditer(page):
        if re.search(r"https?://", match.group(1)):
            found.append(match.group(0)[:80].split("\n")[0])
    return found


def report_figure(output: nbformat.NotebookNode) -> None:
    """Keep only the offline ``<figure>`` of a :class:`sna.reports.charts.Figure` output.

    A figure's output carries the Vega-Lite spec (with the chart's data), a PNG and the
    report's inline-SVG figure under :data:`sna.reports.charts.FIGURE_MIMETYPE`; the page
    shows the last, as ``text/html``, and never embeds the spec or the PNG. Other outputs are
    left alone.

    Parameters
    ----------
    output : nbformat.NotebookNode
        One output of a code cell; changed in place.

    Examples
    --------
    >>> from nbformat.v4 import new_output
    >>> out = new_output("display_data", data={"application/vnd.sna.figure+html": "<figure/>",
    ...                                        "image/png": "iVBORw0K", "text/plain": "Figure"})
    >>> report_figure(out)
    >>> dict(out.data), dict(out.metadata)
    ({'text/html': '<figure/>'}, {})
    """
    data = output.get("data", {})
    if FIGURE_MIMETYPE in data:
        output.data = nbformat.NotebookNode({"text/html": data[FIGURE_MIMETYPE]})
        output.metadata = nbformat.NotebookNode()


def collect_findings(nb: nbformat.NotebookNode
                     ) -> tuple[fnd.ReportFrame | None, list[fnd.Finding]]:
    """The report frame and every finding the notebook's outputs carry, in order.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed report notebook.

    Returns
    -------
    (ReportFrame or None, list of Finding)

    Examples
    --------
    >>> from nbformat.v4 import new_notebook, new_code_cell, new_output
    >>> f = fnd.Finding("A.", "clear rise", "s", "S", size=1.0, certainty=1.0,
    ...                 topic="violence")
    >>> cell = new_code_cell("x", outputs=[new_output("display_data", data={
    ...     fnd.FINDINGS_MIME: [f.to_dict()], "text/html": "<p>x</p>"})])
    >>> collect_findings(new_notebook(cells=[cell]))[1] == [f]
    True
    """
    frame, found = None, []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if fnd.FRAME_MIME in data:
                payload = data[fnd.FRAME_MIME]
                payload = json.loads(payload) if isinstance(payload, str) else dict(payload)
                frame = fnd.ReportFrame(**payload)
            if fnd.FINDINGS_MIME in data:
                found += fnd.findings_from_json(data[fnd.FINDINGS_MIME])
    return frame, found


def prepare_notebook(nb: nbformat.NotebookNode, title: str) -> nbformat.NotebookNode:
    """Return a copy of an executed notebook with everything run-dependent removed.

    Keeps only the title, kernelspec and language in the notebook metadata and only the
    tags in cell metadata (papermill timing, kernel ids and execution times go), numbers
    the cell ids ``cell-1, cell-2, ...`` (papermill's injected cell has a random id), drops
    papermill's error-marker cells, clears execution counts, drops code cells without
    outputs (their code is hidden anyway) and keeps only the report rendering of each figure
    (:func:`report_figure`).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed report notebook.
    title : str
        The report's title.

    Returns
    -------
    nbformat.NotebookNode
        A new notebook; ``nb`` is unchanged.

    Examples
    --------
    >>> from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell
    >>> nb = new_notebook(cells=[new_markdown_cell("# T"), new_code_cell("x = 1")])
    >>> nb.metadata["papermill"] = {"start_time": "2025-01-01T00:00:00"}
    >>> clean = prepare_notebook(nb, "T")
    >>> dict(clean.metadata), [c.id for c in clean.cells]
    ({'title': 'T'}, ['cell-1'])
    """
    nb = copy.deepcopy(nb)
    kept = {key: nb.metadata[key] for key in ("kernelspec", "language_info") if key in nb.metadata}
    nb.metadata = nbformat.NotebookNode({"title": title, **kept})
    cells = []
    for cell in nb.cells:
        tags = list(cell.metadata.get("tags", []))
        if any(tag in PAPERMILL_TAGS[1:] for tag in tags):
            continue
        if cell.cell_type == "code" and not cell.outputs:
            continue
        cell.metadata = nbformat.NotebookNode({"tags": tags} if tags else {})
        if cell.cell_type == "code":
            cell.execution_count = None
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.execution_count = None
                report_figure(output)
        cell.id = f"cell-{len(cells) + 1}"
        cells.append(cell)
    nb.cells = cells
    return nb


def export_html(nb: nbformat.NotebookNode, title: str) -> str:
    """Export a (prepared) notebook with the project template: no code, no prompts, light theme.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook prepared by :func:`prepare_notebook`.
    title : str
        The report's title.

    Returns
    -------
    str
        The HTML page.

    Examples
    --------
    >>> from nbformat.v4 import new_notebook, new_markdown_cell
    >>> page = export_html(new_notebook(cells=[new_markdown_cell("# Hello")]), "Hello")
    >>> "<title>Hello</title>" in page and find_remote_resources(page) == []
    True
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        theme="light",
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def _heading_text(inner: str) -> str:
    return html.unescape(_TAG.sub("", _ANCHOR_LINK.sub("", inner))).strip()


def unique_heading_ids(page: str) -> str:
    """Make repeated h1-h3 ids unique (``x``, ``x-2``, ...), fixing their anchor links too.

    Parameters
    ----------
    page : str
        The report's HTML page.

    Returns
    -------
    str

    Examples
    --------
    >>> unique_heading_ids('<h2 id="A">A</h2><h2 id="A">A</h2>')
    '<h2 id="A">A</h2><h2 id="A-2">A</h2>'
    """
    seen: dict[str, int] = {}

    def rename(match: re.Match) -> str:
        level, anchor, attrs, inner = match.groups()
        seen[anchor] = seen.get(anchor, 0) + 1
        if seen[anchor] == 1:
            return match.group(0)
        new = f"{anchor}-{seen[anchor]}"
        inner = inner.replace(f'href="#{anchor}"', f'href="#{new}"')
        return f'<h{level} id="{new}"{attrs}>{inner}</h{level}>'

    return _HEADING.sub(rename, page)


def toc_html(page: str, *, skip_first_h1: bool = True) -> str:
    """Build a ``<nav>`` table of contents linking to every h1-h3 heading that has an id.

    Parameters
    ----------
    page : str
        The report's HTML page.
    skip_first_h1 : bool, default True
        Leave out the page's first h1 (the title).

    Returns
    -------
    str
        An HTML ``<nav>``.

    Examples
    --------
    >>> page = ('<h1 id="T">T</h1>'
    ...         '<h2 id="Counts">Counts<a class="anchor-link" href="#Counts">¶</a></h2>')
    >>> toc_html(page).split("<ul>")[1]
    '<li class="sna-toc-h2"><a href="#Counts">Counts</a></li></ul></nav>'
    """
    items = []
    title_skipped = not skip_first_h1
    for match in _HEADING.finditer(page):
        level, anchor, _, inner = match.groups()
        if level == "1" and not title_skipped:
            title_skipped = True
            continue
        items.append(f'<li class="sna-toc-h{level}"><a href="#{anchor}">'
                     f"{html.escape(_heading_text(inner))}</a></li>")
    return ('<nav class="sna-toc" aria-label="Contents"><p><strong>Contents</strong></p>'
            f"<ul>{''.join(items)}</ul></nav>")


def provenance_html(provenance: dict[str, Any]) -> str:
    """Render a provenance record (without its run timestamp) as a Provenance section.

    Parameters
    ----------
    provenance : dict
        The run's provenance record (:func:`sna.reports.provenance.build_provenance`).

    Returns
    -------
    str
        An HTML ``<section>``.

    Examples
    --------
    >>> section = provenance_html({"params": {"area": "York"}, "packages": {"pandas": "3.1"}})
    >>> 'id="provenance"' in section and "<td>York</td>" in section
    True
    """
    def rows(pairs) -> str:
        return "".join(f'<tr><th scope="row">{html.escape(str(k))}</th><td>{v}</td></tr>'
                       for k, v in pairs)

    def code(value: Any) -> str:
        return f"<code>{html.escape(str(value))}</code>"

    def plain(value: Any) -> str:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return html.escape(text)

    params = [(k, plain(v), "params file") for k, v in provenance.get("params", {}).items()]
    params += [(k, plain(v), "notebook default")
               for k, v in provenance.get("defaults_used", {}).items()]
    notebook = provenance.get("notebook") or {}
    params_file = provenance.get("params_file") or {}
    git = provenance.get("git") or {}
    run = [("notebook", code(notebook.get("path", ""))),
           ("notebook sha256", code(notebook.get("sha256", ""))),
           ("params file", code(params_file.get("path", ""))),
           ("params file sha256", code(params_file.get("sha256", ""))),
           ("git commit", code(git.get("commit", "unknown"))),
           ("uncommitted changes", plain(git.get("dirty", "unknown"))),
           ("platform", plain(provenance.get("platform", "")))]
    files = "".join(f"<tr><td>{code(f['path'])}</td>"
                    f"<td class=\"sna-num\">{format_count(f['bytes'])}</td>"
                    f"<td>{code(f['sha256'])}</td></tr>"
                    for f in provenance.get("data_files", []))
    return "\n".join([
        '<section class="sna-provenance" aria-labelledby="provenance">',
        '<h2 id="provenance">Provenance</h2>',
        "<p>How this report was made: the inputs and code versions behind every figure.</p>",
        "<table><caption>Parameters</caption><thead><tr><th scope=\"col\">parameter</th>"
        "<th scope=\"col\">value</th><th scope=\"col\">set by</th></tr></thead><tbody>"
        + "".join(f'<tr><th scope="row">{html.escape(k)}</th><td>{v}</td><td>{source}</td></tr>'
                  for k, v, source in params) + "</tbody></table>",
        f"<table><caption>Notebook, code and platform</caption><tbody>{rows(run)}</tbody></table>",
        "<table><caption>Input data files</caption><thead><tr><th scope=\"col\">file</th>"
        "<th scope=\"col\">bytes</th><th scope=\"col\">sha256</th></tr></thead>"
        f"<tbody>{files}</tbody></table>",
        f"<table><caption>Package versions</caption><tbody>"
        f"{rows((k, plain(v)) for k, v in provenance.get('packages', {}).items())}"
        "</tbody></table>",
        "</section>",
    ])


def synthetic_banner_html(*, text: str | None = None) -> str:
    """Return the page-top banner shown when a report runs on synthetic data.

    ``text`` (from :meth:`sna.reports.findings.ReportFrame.banner`) says which figures are
    demo data; without it the generic all-synthetic wording is used.

    Parameters
    ----------
    text : str, optional
        Which figures are demo data; default: the generic all-synthetic wording.

    Returns
    -------
    str
        An HTML ``<div>``.

    Examples
    --------
    >>> "SYNTHETIC DEMO DATA" in synthetic_banner_html()
    True
    """
    from sna.reports.display import SYNTHETIC_TEXT

    return (f'<div class="sna-synthetic-banner" role="note"><strong>'
            f"{html.escape(text or SYNTHETIC_TEXT)}</strong></div>")


def retitle(page: str, title: str) -> str:
    """Replace the page's ``<title>`` and first h1 text with ``title`` (area and period).

    Parameters
    ----------
    page : str
        The report's HTML page.
    title : str
        The report's title.

    Returns
    -------
    str

    Examples
    --------
    >>> retitle('<title>X</title><h1 id="X">X<a class="anchor-link" href="#X">¶</a></h1>',
    ...         "SNA, York, 2025")
    '<title>SNA, York, 2025</title><h1 id="X">SNA, York, 2025</h1>'
    """
    page = re.sub(r"<title>.*?</title>", f"<title>{html.escape(title)}</title>", page,
                  count=1, flags=re.DOTALL)
    return re.sub(r'(<h1\s+id="[^"]*"[^>]*>).*?(</h1>)',
                  lambda m: f"{m.group(1)}{html.escape(title)}{m.group(2)}", page, count=1,
                  flags=re.DOTALL)


def add_summary(page: str, frame: fnd.ReportFrame | None, found: list[fnd.Finding]) -> str:
    """Put the summary after the intro and the recommendations and glossary at the end.

    The summary goes before the first h2 of the notebook content; the recommendations (when
    the frame holds priorities) and the glossary go before ``</main>``.

    Parameters
    ----------
    page : str
        The report's HTML page.
    frame : ReportFrame or None
        What the report is about (:func:`collect_findings`).
    found : list of Finding
        The notebook's findings, in order.

    Returns
    -------
    str
        The page with the summary, recommendations and glossary.

    Examples
    --------
    >>> page = '<main><h1 id="T">T</h1><p>Intro</p><h2 id="A">A</h2></main>'
    >>> out = add_summary(page, None, [])
    >>> at = [out.index(x) for x in ("Intro", 'id="summary"', 'id="A"', 'id="glossary"')]
    >>> at == sorted(at)
    True
    """
    summary = fnd.summary_html(frame, found)
    first_h2 = re.search(r"<h2[\s>]", page)
    cell_start = page.rfind('<div class="jp-Cell', 0, first_h2.start()) if first_h2 else -1
    at = cell_start if cell_start >= 0 else (first_h2.start() if first_h2 else -1)
    if at >= 0:
        page = page[:at] + summary + "\n" + page[at:]
    else:
        page = page.replace("</main>", summary + "\n</main>", 1)
    tail = ""
    if frame is not None and frame.priorities:
        tail += fnd.recommendations_html(frame, found) + "\n"
    tail += fnd.glossary_html() + "\n"
    return page.replace("</main>", tail + "</main>", 1)


def decorate_page(page: str, *, synthetic: bool, run_stamp: str | None,
                  provenance: dict[str, Any] | None, banner: str | None = None) -> str:
    r"""Add banner, run stamp, table of contents and provenance to an exported page.

    Parameters
    ----------
    page : str
        The report's HTML page.
    synthetic : bool
        The report uses synthetic demo data: add the banner.
    run_stamp : str or None
        The run's id and time, shown under the title.
    provenance : dict or None
        The run's provenance record (:func:`sna.reports.provenance.build_provenance`).
    banner : str, optional
        The banner's text (:meth:`ReportFrame.banner`); default: the generic wording.

    Returns
    -------
    str
        The decorated page.

    Examples
    --------
    >>> page = '<main><h1 id="T">T</h1><h2 id="A">A</h2></main>'
    >>> out = decorate_page(page, synthetic=True, run_stamp="Run at noon", provenance=None)
    >>> out.index("sna-synthetic-banner") < out.index("<h1") < out.index("Run at noon")
    True
    """
    if provenance is not None:
        page = page.replace("</main>", provenance_html(provenance) + "\n</main>", 1)
    page = unique_heading_ids(page)
    header = [toc_html(page)]
    if run_stamp is not None:
        stamp = " ".join(str(run_stamp).split())
        header.insert(0, f'<p class="{RUN_STAMP_CLASS}">{html.escape(stamp)}</p>')
    header_html = "\n" + "\n".join(header) + "\n"
    first_h1 = re.search(r"</h1>", page)
    if first_h1 is not None:
        page = page[: first_h1.end()] + header_html + page[first_h1.end():]
    else:
        page = page.replace("<main>", "<main>" + header_html, 1)
    if synthetic:
        page = page.replace("<main>", "<main>\n" + synthetic_banner_html(text=banner), 1)
    return page


def render_html(
    executed_notebook: str | Path,
    output_html: str | Path,
    *,
    title: str,
    synthetic: bool = False,
    run_stamp: str | None = None,
    provenance: dict[str, Any] | None = None,
) -> Path:
    r"""Render an executed notebook as an offline reviewer page without code.

    Parameters
    ----------
    executed_notebook : str or Path
        The notebook papermill executed.
    output_html : str or Path
        Where to write the page (UTF-8, ``\n`` line ends).
    title : str
        The page ``<title>``.
    synthetic : bool, default False
        Put a "SYNTHETIC DEMO DATA" banner (``role="note"``) at the top.
    run_stamp : str, optional
        One line such as ``"Run at 2025-04-01 09:30:00 UTC"``, placed under the title; the
        only run-dependent text on the page.
    provenance : dict, optional
        Record from :func:`sna.reports.provenance.build_provenance`, shown as a final
        Provenance section (its ``run_timestamp`` is not shown).

    Returns
    -------
    Path
        ``output_html``.

    Examples
    --------
    >>> import tempfile, pathlib, nbformat
    >>> from nbformat.v4 import new_notebook, new_markdown_cell
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> notebook = new_notebook(cells=[new_markdown_cell("# Hi\n## Part")])
    >>> nbformat.write(notebook, folder / "x.ipynb")
    >>> page = render_html(folder / "x.ipynb", folder / "x.html", title="Hi").read_text()
    >>> '<a href="#Part">Part</a>' in page
    True
    """
    nb = nbformat.read(Path(executed_notebook), as_version=4)
    frame, found = collect_findings(nb)
    if frame is not None and frame.title:
        title = frame.title
    nb = prepare_notebook(nb, title)
    page = export_html(nb, title)
    if frame is not None:
        page = retitle(page, title)
    if found or (frame is not None and frame.summary):
        page = add_summary(page, frame, found)
    banner = frame.banner() if frame is not None else None
    page = decorate_page(page, synthetic=synthetic or banner is not None, run_stamp=run_stamp,
                         provenance=provenance, banner=banner)
    output = Path(output_html)
    output.write_text(page, encoding="utf-8", newline="\n")
    return output
