"""Offline reviewer HTML: template, table of contents, determinism, remote-resource check."""

from __future__ import annotations

import uuid
from html.parser import HTMLParser

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from sna.reports.html import (
    decorate_page,
    export_html,
    find_remote_resources,
    prepare_notebook,
    provenance_html,
    render_html,
    toc_html,
    unique_heading_ids,
)


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.nav_hrefs, self._nav = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._nav += tag == "nav"
        if "id" in attrs:
            self.ids.append(attrs["id"])
        href = attrs.get("href") or ""
        if tag == "a" and href.startswith("#"):
            self.hrefs.append(href[1:])
            if self._nav:
                self.nav_hrefs.append(href[1:])

    def handle_endtag(self, tag):
        self._nav -= tag == "nav"


def _anchors(page):
    parser = _Anchors()
    parser.feed(page)
    return parser


def _executed_notebook():
    code = new_code_cell("secret_source_marker = 1\nprint('printed')", id=uuid.uuid4().hex[:8],
                         metadata={"papermill": {"start_time": "2025-01-01T00:00:00"},
                                   "execution": {"iopub.execute_input": "2025-01-01"}},
                         execution_count=3)
    code.outputs = [new_output("stream", name="stdout", text="printed\n")]
    from_output = new_code_cell("heading()", execution_count=4)
    from_output.outputs = [new_output("execute_result", data={"text/markdown": "## From output"},
                                      execution_count=4)]
    nb = new_notebook(cells=[
        new_markdown_cell("# Report title\n\nIntro."),
        new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        new_code_cell("x = 2", id=uuid.uuid4().hex[:8],
                      metadata={"tags": ["injected-parameters"]}),
        new_markdown_cell("## Rates & ratios (per 1,000)"),
        code,
        new_markdown_cell("## Notes\n### Detail"),
        new_markdown_cell("## Notes"),
        from_output,
    ])
    nb.metadata.update({"papermill": {"start_time": str(uuid.uuid4()), "duration": 1.5},
                        "kernelspec": {"name": "python3", "display_name": "Python 3",
                                       "language": "python"},
                        "widgets": {"x": 1}})
    return nb


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    nbformat.write(_executed_notebook(), folder / "nb.ipynb")
    return render_html(folder / "nb.ipynb", folder / "nb.html", title="Report title",
                       run_stamp="Run at 2025-04-01 09:30:00 UTC",
                       provenance={"params": {"area": "<York>"}, "packages": {"pandas": "3"}}
                       ).read_text()


def test_every_local_link_has_a_target(page):
    anchors = _anchors(page)
    assert [h for h in anchors.hrefs if h not in anchors.ids] == []
    assert len(anchors.ids) == len(set(anchors.ids)), "duplicate ids"


def test_toc_lists_headings_from_markdown_and_outputs(page):
    toc = page[page.index('<nav class="sna-toc"'):page.index("</nav>")]
    for text in ("Rates &amp; ratios (per 1,000)", "Notes", "Detail", "From output",
                 "Provenance"):
        assert f">{text}</a>" in toc
    assert toc.count(">Notes</a>") == 2
    assert len(set(_anchors(toc + "</nav>").nav_hrefs)) == 6  # the two Notes differ
    assert ">Report title</a>" not in toc  # the title is not listed under itself


def test_code_prompts_and_run_metadata_are_not_shown(page):
    body = page[page.index("<main>"):]
    assert "secret_source_marker" not in page
    assert "printed" in body
    for text in ("In&nbsp;[", "Out[", "2025-01-01", "start_time", "iopub"):
        assert text not in body
    assert "<title>Report title</title>" in page


def test_page_is_offline(page):
    assert find_remote_resources(page) == []
    assert 'src="http' not in page and 'href="http' not in page
    assert "<script" not in page[page.index("<main>"):]


def test_stock_lab_template_is_not_offline_but_ours_is():
    # Control: the check finds the CDN scripts nbconvert's own lab template loads.
    from nbconvert import HTMLExporter

    nb = new_notebook(cells=[new_markdown_cell("# T")])
    stock, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert any("cdnjs" in hit for hit in find_remote_resources(stock))
    assert find_remote_resources(export_html(nb, "T")) == []


def test_provenance_values_are_escaped(page):
    assert "&lt;York&gt;" in page and "<York>" not in page


def test_rendering_is_deterministic_despite_random_ids_and_timings(tmp_path):
    pages = []
    for name in ("a", "b"):
        nbformat.write(_executed_notebook(), tmp_path / f"{name}.ipynb")
        render_html(tmp_path / f"{name}.ipynb", tmp_path / f"{name}.html", title="T",
                    synthetic=True, run_stamp="same")
        pages.append((tmp_path / f"{name}.html").read_bytes())
    assert pages[0] == pages[1]


@pytest.mark.parametrize(
    ("snippet", "remote"),
    [
        ('<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>', True),
        ("<script src='http://x.org/a.js'></script>", True),
        ('<script src="//cdn.example/a.js"></script>', True),
        ('<link rel="stylesheet" href="https://fonts.example/css">', True),
        ('<img alt="map" src="https://tiles.example/1.png">', True),
        ("<style>@import url('https://fonts.example/x.css');</style>", True),
        ('<div style="background: url(https://x.example/bg.png)"></div>', True),
        ('<script>loadScript("https://cdn.example/vega.js")</script>', True),
        ('<a href="https://data.police.uk/data/">police.uk</a>', False),
        ('<img alt="chart" src="data:image/png;base64,AAAA">', False),
        ('<script>var x = 1;</script>', False),
        ('<link rel="stylesheet" href="local.css">', False),
    ],
)
def test_find_remote_resources(snippet, remote):
    assert bool(find_remote_resources(f"<html><body>{snippet}</body></html>")) is remote


def test_unique_heading_ids_fixes_anchor_links():
    page = ('<h2 id="A">A<a class="anchor-link" href="#A">¶</a></h2>'
            '<h3 id="A">A<a class="anchor-link" href="#A">¶</a></h3>')
    assert unique_heading_ids(page) == (
        '<h2 id="A">A<a class="anchor-link" href="#A">¶</a></h2>'
        '<h3 id="A-2">A<a class="anchor-link" href="#A-2">¶</a></h3>')


def test_toc_skips_h4_and_headings_without_ids():
    page = '<h1 id="T">T</h1><h2>No id</h2><h4 id="deep">Deep</h4><h3 id="s">Sub</h3>'
    assert "<ul><li class=\"sna-toc-h3\"><a href=\"#s\">Sub</a></li></ul>" in toc_html(page)


def test_header_goes_after_main_when_there_is_no_h1():
    out = decorate_page("<main><h2 id=\"a\">a</h2></main>", synthetic=False,
                        run_stamp="Run at\nnoon", provenance=None)
    assert out.startswith('<main>\n<p class="sna-run-stamp">Run at noon</p>\n<nav')


def test_prepare_notebook_strips_and_numbers_without_mutating():
    nb = _executed_notebook()
    nb.cells.insert(0, new_markdown_cell("error", metadata={"tags": ["papermill-error-cell-tag"]}))
    before = nbformat.writes(nb)
    clean = prepare_notebook(nb, "T")
    assert nbformat.writes(nb) == before
    assert dict(clean.metadata) == {"title": "T", "kernelspec": nb.metadata.kernelspec}
    # Kept: title md, rates md, printing code, notes md, notes md, output heading code.
    assert [c.cell_type for c in clean.cells] == ["markdown", "markdown", "code", "markdown",
                                                  "markdown", "code"]
    assert [c.id for c in clean.cells] == [f"cell-{i}" for i in range(1, 7)]
    assert all(c.metadata == {} for c in clean.cells)
    assert all(c.execution_count is None for c in clean.cells if c.cell_type == "code")
    assert clean.cells[5].outputs[0].execution_count is None


def test_provenance_html_lists_files_and_git():
    section = provenance_html({
        "params": {"area": "York"}, "defaults_used": {"n": 3},
        "notebook": {"path": "notebooks/x.ipynb", "sha256": "ab" * 32},
        "data_files": [{"path": "data/a.csv", "bytes": 12345, "sha256": "cd" * 32}],
        "git": {"commit": "f" * 40, "dirty": True}, "packages": {"pandas": "3.1.1"},
        "run_timestamp": "2025-04-01T09:30:00Z"})
    assert "<td><code>data/a.csv</code></td><td class=\"sna-num\">12,345</td>" in section
    assert "<td>3</td><td>notebook default</td>" in section
    assert "f" * 40 in section and "2025-04-01" not in section
