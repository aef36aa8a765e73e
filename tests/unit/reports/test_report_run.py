"""End-to-end runs of the tiny fixture notebook: promotion, failure, HTML and reproducibility.

Three real papermill executions happen once per module (two good runs and one failing
run into the same reports folder); the tests then inspect what they left behind.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

import nbformat
import pytest

from sna.errors import SnaInputError
from sna.reports import ReportFailed, check_executed_notebook, run_report
from sna.reports import run as run_module
from sna.reports.html import find_remote_resources, render_html
from sna.reports.provenance import RECORDED_PACKAGES

FIXTURES = Path(__file__).parents[2] / "fixtures" / "report"
TINY = FIXTURES / "tiny.ipynb"
GOOD = FIXTURES / "tiny_good.yaml"
FAILING = FIXTURES / "tiny_failing.yaml"
RUN_FILES = {"report.html", "executed.ipynb", "params.yaml", "provenance.json"}
FIXED_GIT = {"commit": "0" * 40, "dirty": False}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two good runs, then a failing one, into one reports folder."""
    root = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as patch:
        # The lead may commit while these tests run; a fixed git state keeps the two good
        # runs comparable. git_state itself is tested in test_report_provenance.py.
        patch.setattr("sna.reports.provenance.git_state", lambda root=None: dict(FIXED_GIT))
        first = run_report(TINY, GOOD, reports_root=root, run_id="first", progress=False)
        second = run_report(TINY, GOOD, reports_root=root, progress=False)
        before_failure = _snapshot(root / "tiny")
        with pytest.raises(ReportFailed) as failure:
            run_report(TINY, FAILING, reports_root=root, progress=False)
    return {"root": root, "first": first, "second": second, "before": before_failure,
            "failure": failure.value}


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.local_hrefs: list[str] = []
        self.nav_hrefs: list[str] = []
        self._in_nav = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self._in_nav += 1
        if "id" in attrs:
            self.ids.append(attrs["id"])
        href = attrs.get("href") or ""
        if tag == "a" and href.startswith("#"):
            self.local_hrefs.append(href[1:])
            if self._in_nav:
                self.nav_hrefs.append(href[1:])

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_nav -= 1


def _anchors(page: str) -> _Anchors:
    parser = _Anchors()
    parser.feed(page)
    return parser


def _without_stamp(page: str) -> list[str]:
    return [line for line in page.splitlines() if "sna-run-stamp" not in line]


# --- promotion -----------------------------------------------------------------------------

def test_run_folder_holds_the_four_files(runs):
    first = runs["first"]
    assert first.run_dir == runs["root"] / "tiny" / "first"
    assert {p.name for p in first.run_dir.iterdir()} == RUN_FILES
    assert first.params_file.read_bytes() == GOOD.read_bytes()
    assert first.synthetic is True
    assert first.seconds > 0


def test_default_run_id_is_a_sortable_utc_timestamp(runs):
    assert re.fullmatch(r"\d{8}T\d{6}Z(-\d+)?", runs["second"].run_id)


def test_latest_points_at_the_newest_good_run(runs):
    report_dir = runs["root"] / "tiny"
    second = runs["second"]
    assert (report_dir / "latest").read_text() == second.run_id + "\n"
    assert (report_dir / "latest.html").read_bytes() == second.html.read_bytes()


def test_no_temporary_folders_are_left(runs):
    assert not list((runs["root"] / "tiny").glob(".tmp-*"))
    assert not list((runs["root"] / "tiny").glob(".*.partial"))


def test_executed_notebook_is_clean(runs):
    assert check_executed_notebook(runs["first"].executed_notebook) == []


def test_provenance_json(runs):
    record = json.loads(runs["first"].provenance.read_text())
    data = FIXTURES / "tiny_data.csv"
    assert record["data_files"] == [{
        "path": "tests/fixtures/report/tiny_data.csv",
        "bytes": data.stat().st_size,
        "sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
    }]
    assert record["notebook"] == {"path": "tests/fixtures/report/tiny.ipynb",
                                  "sha256": hashlib.sha256(TINY.read_bytes()).hexdigest()}
    assert record["params_file"]["sha256"] == hashlib.sha256(GOOD.read_bytes()).hexdigest()
    assert record["params"]["count_b"] == 12
    assert record["defaults_used"] == {"groups": ["a", "b"], "section_level": 3,
                                       "data_file": "tests/fixtures/report/tiny_data.csv"}
    for name in RECORDED_PACKAGES:
        assert record["packages"][name] == metadata.version(name)
    assert record["git"] == FIXED_GIT
    assert record["run_id"] == "first"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["run_timestamp"])


# --- HTML ----------------------------------------------------------------------------------

def test_html_title_and_toc_with_working_anchors(runs):
    page = runs["first"].html.read_text()
    assert "<title>Tiny fixture report</title>" in page
    anchors = _anchors(page)
    assert anchors.nav_hrefs, "no table of contents"
    missing = [href for href in anchors.local_hrefs if href not in anchors.ids]
    assert missing == []
    # The fixture's h2/h3 headings, in order, then the appended Provenance section.
    toc = re.search(r'<nav class="sna-toc".*?</nav>', page, re.DOTALL).group(0)
    texts = re.findall(r'<a href="#[^"]+">([^<]+)</a>', toc)
    assert texts == ["Counts by group", "Change between periods", "Scaled value", "Provenance"]
    assert page.index("<h1") < page.index('<nav class="sna-toc"')


def test_html_is_offline(runs):
    page = runs["first"].html.read_text()
    assert 'src="http' not in page
    assert 'href="http' not in page
    assert find_remote_resources(page) == []


def test_html_hides_code_and_tracebacks(runs):
    page = runs["first"].html.read_text()
    assert "zq7x-hidden-source" not in page  # a comment in a code cell
    assert "display.heading(" not in page
    assert "from sna.reports import display" not in page
    assert "Traceback" not in page
    body = page[page.index("<main>"):]
    assert "In&nbsp;[" not in body and "Out[" not in body


def test_html_has_outputs(runs):
    page = runs["first"].html.read_text()
    # tiny_data.csv holds 1234, a blank and 56; the table shows separators and a dash.
    assert '<td class="sna-num">1,234</td>' in page
    assert '<td class="sna-num">–</td>' in page
    assert "Change: +2 (10 to 12)" in page  # count_a 10 (default), count_b 12 (params file)
    # rate_scale 2 (params file) x count_b 12 = 24.0
    assert "<strong>24.0</strong>" in page


def test_html_has_synthetic_banner_first(runs):
    page = runs["first"].html.read_text()
    banner = page.index('class="sna-synthetic-banner" role="note"')
    assert "SYNTHETIC DEMO DATA" in page
    assert banner < page.index("<h1")


def test_html_without_synthetic_flag_has_no_banner(runs, tmp_path):
    page = render_html(runs["first"].executed_notebook, tmp_path / "r.html", title="T",
                       synthetic=False).read_text()
    assert "SYNTHETIC DEMO DATA" not in page
    assert 'role="note"' not in page


def test_html_provenance_section(runs):
    page = runs["first"].html.read_text()
    section = page[page.index('<section class="sna-provenance"'):]
    for name in RECORDED_PACKAGES:
        assert f"<th scope=\"row\">{name}</th><td>{metadata.version(name)}</td>" in section
    data_hash = hashlib.sha256((FIXTURES / "tiny_data.csv").read_bytes()).hexdigest()
    assert data_hash in section
    assert "<th scope=\"row\">count_b</th><td>12</td><td>params file</td>" in section
    assert "<th scope=\"row\">groups</th><td>[&quot;a&quot;, &quot;b&quot;]</td>" in section


def test_html_has_exactly_one_run_dependent_line(runs):
    page = runs["first"].html.read_text()
    stamp_lines = [line for line in page.splitlines() if "sna-run-stamp" in line
                   and "<p" in line]
    assert len(stamp_lines) == 1
    assert "first" in stamp_lines[0]
    record = json.loads(runs["first"].provenance.read_text())
    timestamp = record["run_timestamp"].replace("T", " ").rstrip("Z")
    assert timestamp in stamp_lines[0]
    assert page.count(timestamp) == 1
    body = page[page.index("<main>"):]
    for leaked in ("start_time", "end_time", "duration", "kernel_id", "injected-parameters"):
        assert leaked not in body


def test_two_runs_give_the_same_html_apart_from_the_stamp(runs):
    first = runs["first"].html.read_text()
    second = runs["second"].html.read_text()
    assert first != second  # the stamps differ...
    assert _without_stamp(first) == _without_stamp(second)  # ...and nothing else


def test_two_runs_give_the_same_provenance_apart_from_time_and_id(runs):
    first = json.loads(runs["first"].provenance.read_text())
    second = json.loads(runs["second"].provenance.read_text())
    for record in (first, second):
        del record["run_timestamp"], record["run_id"]
    assert first == second


# --- failure -------------------------------------------------------------------------------

def test_failure_message_is_one_line_naming_cell_and_function(runs):
    message = str(runs["failure"])
    source = nbformat.read(TINY, as_version=4)
    failing_cell = 1 + [cell.id for cell in source.cells].index("scaled-heading")
    assert "\n" not in message
    assert message.startswith(
        f"Report failed in cell {failing_cell} (sna.reports.display.heading): SnaInputError: ")
    assert "heading level must be 1 to 6, got 9" in message
    assert runs["failure"].cell == failing_cell
    assert isinstance(runs["failure"], Exception)


def test_failure_keeps_the_partial_notebook(runs):
    partial = runs["failure"].partial_notebook
    assert partial.parent.parent == runs["root"] / "tiny" / "failed"
    assert partial.exists()
    assert f"partial notebook: {partial.as_posix()}" in str(runs["failure"])
    problems = check_executed_notebook(partial)
    assert any("error output SnaInputError" in p for p in problems)
    assert (partial.parent / "params.yaml").read_bytes() == FAILING.read_bytes()


def test_failure_leaves_the_last_good_report_untouched(runs):
    after = {name: data for name, data in _snapshot(runs["root"] / "tiny").items()
             if not name.startswith("failed/")}
    assert after == runs["before"]
    assert not list((runs["root"] / "tiny").glob(".tmp-*"))


# --- failure paths without a kernel --------------------------------------------------------

def test_bad_params_raise_before_anything_is_written(tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text("count_c: 1\n")
    with pytest.raises(SnaInputError, match="did you mean"):
        run_report(TINY, params, reports_root=tmp_path / "reports", progress=False)
    assert not (tmp_path / "reports").exists()


def _fake_execute(outputs):
    def execute(notebook, output, parameters, **_):
        nb = nbformat.read(notebook, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
        nb.cells[4].outputs = outputs
        nbformat.write(nb, output)
    return execute


def test_strict_mode_fails_on_stderr_and_keeps_last_good(tmp_path, monkeypatch):
    root = tmp_path / "reports"
    monkeypatch.setattr(run_module, "_execute", _fake_execute([]))
    good = run_report(TINY, GOOD, reports_root=root, run_id="good", progress=False)
    before = _snapshot(root / "tiny")
    stderr = nbformat.v4.new_output("stream", name="stderr", text="FutureWarning: old API\n")
    monkeypatch.setattr(run_module, "_execute", _fake_execute([stderr]))
    with pytest.raises(ReportFailed) as caught:
        run_report(TINY, GOOD, reports_root=root, run_id="warned", progress=False)
    message = str(caught.value)
    assert message.startswith("Report failed in strict mode, cell 5: stderr output: "
                              "FutureWarning: old API")
    assert "\n" not in message
    assert caught.value.cell == 5
    assert (root / "tiny" / "failed" / "warned" / "executed.ipynb").exists()
    assert (root / "tiny" / "failed" / "warned" / "report.html").exists()
    after = {name: data for name, data in _snapshot(root / "tiny").items()
             if not name.startswith("failed/")}
    assert after == before
    assert (root / "tiny" / "latest").read_text() == "good\n"
    assert good.run_dir.exists()


def test_non_strict_mode_keeps_stderr_in_the_page(tmp_path, monkeypatch):
    stderr = nbformat.v4.new_output("stream", name="stderr", text="UserWarning: shown\n")
    monkeypatch.setattr(run_module, "_execute", _fake_execute([stderr]))
    result = run_report(TINY, GOOD, reports_root=tmp_path, strict=False, progress=False)
    assert "UserWarning: shown" in result.html.read_text()


def test_any_exception_becomes_a_one_line_report_failed(tmp_path, monkeypatch):
    def broken(*_, **__):
        raise RuntimeError("kernel died\nbadly")

    monkeypatch.setattr(run_module, "_execute", broken)
    with pytest.raises(ReportFailed) as caught:
        run_report(TINY, GOOD, reports_root=tmp_path, run_id="boom", progress=False)
    assert str(caught.value) == ("Report failed: RuntimeError: kernel died badly; "
                                 "partial notebook: none was written")
    assert isinstance(caught.value.__cause__, RuntimeError)
    assert (tmp_path / "tiny" / "failed" / "boom" / "params.yaml").exists()
    assert not (tmp_path / "tiny" / "latest").exists()


def test_run_id_must_be_new_and_plain(tmp_path, monkeypatch):
    monkeypatch.setattr(run_module, "_execute", _fake_execute([]))
    run_report(TINY, GOOD, reports_root=tmp_path, run_id="once", progress=False)
    for bad in ("once", "../escape", "", "failed", "latest", ".hidden"):
        with pytest.raises(SnaInputError, match="run id"):
            run_report(TINY, GOOD, reports_root=tmp_path, run_id=bad, progress=False)


def test_new_run_id_does_not_reuse_a_folder(tmp_path):
    from datetime import UTC, datetime

    now = datetime(2025, 4, 1, 9, 30, 5, tzinfo=UTC)
    (tmp_path / "20250401T093005Z").mkdir()
    (tmp_path / "failed" / "20250401T093005Z-2").mkdir(parents=True)
    assert run_module.new_run_id(tmp_path, now) == "20250401T093005Z-3"
    assert sorted(["20250401T093005Z-3", "20250401T093005Z", "20250401T093006Z"]) == [
        "20250401T093005Z", "20250401T093005Z-3", "20250401T093006Z"]


def test_notebook_title_sources(tmp_path):
    assert run_module.notebook_title(TINY) == "Tiny fixture report"
    nb = nbformat.read(TINY, as_version=4)
    nb.metadata["title"] = "From metadata"
    nbformat.write(nb, tmp_path / "a.ipynb")
    assert run_module.notebook_title(tmp_path / "a.ipynb") == "From metadata"
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "untitled_report.ipynb")
    assert run_module.notebook_title(tmp_path / "untitled_report.ipynb") == "untitled_report"


def test_synthetic_flag_from_notebook_metadata(tmp_path, monkeypatch):
    monkeypatch.setattr(run_module, "_execute", _fake_execute([]))
    nb = nbformat.read(TINY, as_version=4)
    nb.metadata["sna"] = {"synthetic": True}
    nbformat.write(nb, tmp_path / "demo.ipynb")
    params = tmp_path / "demo_york.yaml"
    params.write_text("area: York\n")
    result = run_report(tmp_path / "demo.ipynb", params, reports_root=tmp_path / "r",
                        progress=False)
    assert result.synthetic is True
    assert 'class="sna-synthetic-banner" role="note"' in result.html.read_text()
    plain = tmp_path / "plain_york.yaml"
    plain.write_text("area: York\n")
    result = run_report(TINY, plain, reports_root=tmp_path / "r", progress=False)
    assert result.synthetic is False
    assert "SYNTHETIC DEMO DATA" not in result.html.read_text()


def test_interrupt_propagates_and_keeps_the_partial_run(tmp_path, monkeypatch):
    def interrupted(*_, **__):
        raise KeyboardInterrupt

    monkeypatch.setattr(run_module, "_execute", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_report(TINY, GOOD, reports_root=tmp_path, run_id="stopped", progress=False)
    assert (tmp_path / "tiny" / "failed" / "stopped" / "params.yaml").exists()
    assert not (tmp_path / "tiny" / ".tmp-stopped").exists()


def test_sigterm_reported_as_another_error_is_still_an_interruption(tmp_path, monkeypatch):
    """nbclient may turn the stop into DeadKernelError (CI, stop 22): still 'interrupted'."""
    import os
    import signal

    def stopped_then_kernel_died(*_, **__):
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)
        except BaseException:
            raise RuntimeError("DeadKernelError: Kernel died") from None

    monkeypatch.setattr(run_module, "_execute", stopped_then_kernel_died)
    with pytest.raises(run_module.ReportInterrupted) as caught:
        run_report(TINY, GOOD, reports_root=tmp_path, run_id="term", progress=False)
    assert caught.value.exit_code == 128 + signal.SIGTERM
    assert str(caught.value).startswith("Report interrupted by SIGTERM; nothing was published")
    assert (tmp_path / "tiny" / "failed" / "term" / "params.yaml").exists()


_ASYNCIO_SIGTERM_RUN = """
import asyncio, os, signal, sys
from pathlib import Path
import nbformat
from sna.reports import run as run_module

def execute_in_a_loop(notebook, output, parameters, **_):
    async def main():
        async def listener():
            os.kill(os.getpid(), signal.SIGTERM)
            await asyncio.sleep(0)
        task = asyncio.ensure_future(listener())
        await asyncio.sleep(0.5)
        return task
    asyncio.run(main())
    nb = nbformat.read(notebook, as_version=4)
    nbformat.write(nb, output)

run_module._execute = execute_in_a_loop
try:
    run_module.run_report(sys.argv[1], sys.argv[2], reports_root=sys.argv[3], run_id="term",
                          progress=False)
    print("finished")
except run_module.ReportInterrupted as err:
    print("interrupted", err.exit_code)
"""


def test_sigterm_inside_an_asyncio_task_stops_the_run(tmp_path):
    """A signal landing in a background task (nbclient's loop) must not be kept in the task.

    Run in a child process: a ``KeyboardInterrupt`` leaving one of asyncio's C tasks upsets
    CPython 3.11's recursion counter for the rest of that process (as Ctrl-C does), which a
    command that stops anyway does not mind but a test worker would.
    """
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(run_module.__file__).parents[2])}
    done = subprocess.run([sys.executable, "-c", _ASYNCIO_SIGTERM_RUN, str(TINY), str(GOOD),
                           str(tmp_path)], capture_output=True, text=True, env=env, timeout=120)
    assert done.stdout.split() == ["interrupted", str(128 + signal.SIGTERM)], done.stderr
    assert not (tmp_path / "tiny" / "latest").exists()
