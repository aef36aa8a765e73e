"""Figures render right in JupyterLab, untrusted viewers and the report; sections are explorable."""

import base64
import pickle

import altair as alt
import IPython.display
import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from sna.errors import SnaInputError
from sna.reports.charts import FIGURE_MIMETYPE, Figure, figure, figure_html
from sna.reports.charts.figure import VEGALITE_MIMETYPE
from sna.reports.html import export_html, prepare_notebook, report_figure
from sna.reports.run import section_headings
from sna.reports.sections import Section


@pytest.fixture(scope="module")
def chart():
    frame = pd.DataFrame({"month": ["2025-01", "2025-02", "2025-03"], "count": [12, 15, 11]})
    return alt.Chart(frame, title="Offences by month").mark_line(point=True).encode(
        x="month:O", y="count:Q")


@pytest.fixture(scope="module")
def bundle(chart):
    return Figure(chart, alt="Line chart of offences by month: 12, 15 and 11.")._repr_mimebundle_()


def test_figure_bundle_has_vegalite_png_report_figure_and_no_html(bundle):
    data, metadata = bundle
    # text/html (rank 50) would win over Vega-Lite in JupyterLab and is sanitised (SVG
    # stripped) when the notebook is untrusted, so the bundle must not carry it.
    assert "text/html" not in data and "image/svg+xml" not in data
    assert set(data) == {VEGALITE_MIMETYPE, "image/png", FIGURE_MIMETYPE, "text/plain"}
    assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert metadata["image/png"]["width"] > 100 and metadata["image/png"]["height"] > 50
    assert data["text/plain"] == ("Figure: Offences by month. Line chart of offences by month: "
                                  "12, 15 and 11.")


def test_live_rendering_has_a_tooltip_on_every_mark_and_a_jupyterlab_schema(bundle):
    spec = bundle[0][VEGALITE_MIMETYPE]
    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"
    assert spec["config"]["mark"]["tooltip"] == {"content": "encoding"}
    assert spec["config"]["axis"]["labelFontSize"] == 12  # the project theme is applied
    assert [row["count"] for row in next(iter(spec["datasets"].values()))] == [12, 15, 11]


def test_report_rendering_is_the_offline_figure(chart, bundle):
    alt_text = "Line chart of offences by month: 12, 15 and 11."
    assert bundle[0][FIGURE_MIMETYPE] == figure_html(chart, alt=alt_text)
    assert figure(chart, alt=alt_text).html() == figure_html(chart, alt=alt_text)


def test_figure_checks_alt_and_table(chart):
    with pytest.raises(SnaInputError, match="alt"):
        Figure(chart, alt=" ")
    with pytest.raises(SnaInputError, match="Crime ID"):
        Figure(chart, alt="A chart.", table=pd.DataFrame({"Crime ID": ["ab12"],
                                                          "Month": ["2024-01"]}))


def test_prepare_notebook_keeps_only_the_report_figure(bundle):
    data, metadata = bundle
    as_saved = {k: base64.b64encode(v).decode() if isinstance(v, bytes) else v
                for k, v in data.items()}  # how ipykernel writes the PNG into the notebook
    output = new_output("display_data", data=as_saved, metadata=metadata)
    nb = new_notebook(cells=[new_markdown_cell("# T"), new_code_cell("f", outputs=[output])])
    page = export_html(prepare_notebook(nb, "T"), "T")
    assert page.count("<svg") == 1 and 'aria-label="Line chart of offences' in page
    assert '"$schema"' not in page and '"datasets"' not in page
    assert as_saved["image/png"][:200] not in page
    other = new_output("display_data", data={"text/plain": "x"})
    report_figure(other)
    assert dict(other.data) == {"text/plain": "x"}


def test_section_displays_html_blocks_and_each_figure_as_its_own_output(chart, monkeypatch):
    section = Section()
    section.text("Offences rose.")
    section.table(pd.DataFrame({"month": ["2025-01"], "count": [12]}), "Offences", name="monthly")
    section.figure(Figure(chart, alt="A line chart."))
    section.note("Source: police.uk.")
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append(obj))
    section._ipython_display_()
    assert [type(obj).__name__ for obj in shown] == ["dict", "Figure", "dict"]
    first, last = shown[0]["text/html"], shown[2]["text/html"]
    assert "Offences rose." in first and "<caption>Offences</caption>" in first
    assert "<svg" not in first and "Source: police.uk." in last
    # _repr_html_ is the section as the report shows it, figure included
    page = section._repr_html_()
    assert page.index("Offences rose.") < page.index("<svg") < page.index("Source: police.uk.")


def test_section_tables_figures_and_results_are_typed_documented_attributes(chart):
    section = Section(results={"total": 42})
    section.table(pd.DataFrame({"area": ["York"], "count": [1200]}), "Offences by area")
    section.figure(Figure(chart, alt="A line chart."), name="monthly_chart")
    section.results["comparison"] = pd.Series([1.0])
    section.results["not a name"] = 1
    names = {"table_1", "monthly_chart", "total", "comparison"}
    assert names <= set(dir(section))
    assert section.table_1["count"].tolist() == [1200]
    assert isinstance(section.monthly_chart, Figure) and section.monthly_chart.chart is chart
    assert section.total == 42 and section.comparison.tolist() == [1.0]
    assert section.results["total"] == 42 and section.results["not a name"] == 1
    cls = type(section)
    assert cls.table_1.__doc__ == "Table: Offences by area"
    assert cls.monthly_chart.__doc__ == "Figure: Offences by month"
    assert cls.table_1.fget.__annotations__["return"] is pd.DataFrame
    assert cls.comparison.fget.__annotations__["return"] is pd.Series
    assert "section.results['comparison']" in cls.comparison.__doc__
    assert isinstance(section, Section)
    assert ".table_1: DataFrame  Table: Offences by area" in repr(section)
    with pytest.raises(AttributeError, match="no table, figure or result named 'missing'"):
        _ = section.missing
    with pytest.raises(ValueError, match="not a free Python name"):
        section.table(pd.DataFrame({"a": [1]}), "x", name="results")
    copy = pickle.loads(pickle.dumps(section))
    assert copy.table_1.equals(section.table_1) and copy.total == 42


def test_progress_names_the_section_of_each_cell():
    cells = [new_code_cell("p = 1"), new_markdown_cell("# Report\n\nIntro"),
             new_code_cell("load()"), new_markdown_cell("## Extent and trend"),
             new_code_cell("extent()"), new_code_cell("more()")]
    assert section_headings(cells) == ["", "Report", "Report", "Extent and trend",
                                       "Extent and trend", "Extent and trend"]
    assert section_headings(nbformat.v4.new_notebook().cells) == []


def test_tab_completion_and_help_show_a_sections_attributes(chart):
    jedi = pytest.importorskip("jedi")  # what IPython and JupyterLab complete with
    from IPython.core.interactiveshell import InteractiveShell

    section = Section(results={"year_on_year": 3})
    section.table(pd.DataFrame({"a": [1]}), "Offences by month")
    section.figure(Figure(chart, alt="A line chart."))
    names = {c.name for c in jedi.Interpreter("section.", [{"section": section}]).complete()}
    assert {"table_1", "figure_1", "year_on_year", "results"} <= names
    shell = InteractiveShell.instance()
    shell.user_ns["section"] = section
    assert shell.object_inspect("section.table_1")["docstring"] == "Table: Offences by month"
