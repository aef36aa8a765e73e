"""Executed report notebooks, opened untrusted in a real JupyterLab, draw every chart.

Each report's ``executed.ipynb`` (the test run's single rendering, see conftest.py) is served
by a JupyterLab server with empty Jupyter data, config and settings folders (so nothing has
signed the notebook: it is untrusted) and opened in headless Chromium over the DevTools
protocol (tests/browser.py). The test counts the figure outputs JupyterLab drew (a Vega-Lite
canvas, or the PNG) against the figures in the notebook, checks JupyterLab reports the notebook
as not trusted, and saves a screenshot (under ``$SNA_SCREENSHOT_DIR`` when set, else the test's
temporary folder).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbformat.sign import NotebookNotary

from browser import CHROMIUM, Browser
from report_renders import report_notebook, report_params
from sna.reports.html import FIGURE_MIMETYPE

PARAMS = report_params()
pytestmark = [
    pytest.mark.notebook,
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed "
                                                "(.ci/run installs Debian's chromium)"),
]

# State of the notebook panel on show (hidden tabs are left out).
DRAWN = """(() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return null;
  const big = el => el && el.getBoundingClientRect().width > 50;
  const vega = [...panel.querySelectorAll('.jp-RenderedVegaLite')];
  const images = [...panel.querySelectorAll('.jp-RenderedImage img')];
  const titled = [...document.querySelectorAll('[title*="code cells trusted"]')];
  return {
    title: (panel.querySelector('.jp-Notebook') ? panel.title?.label : null)
           || document.title,
    cells: panel.querySelectorAll('.jp-Notebook .jp-Cell').length,
    vega: vega.filter(e => big(e.querySelector('canvas, svg'))).length,
    png: images.filter(i => i.complete && i.naturalWidth > 50).length,
    errors: vega.filter(e => /error/i.test(e.textContent)).length,
    trust: titled.map(e => e.getAttribute('title')),
  };
})()"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory, render):
    """A JupyterLab server over the executed notebooks; yields (url, served folder, data dir)."""
    pytest.importorskip("jupyterlab", reason="JupyterLab (the `lab` extra) is not installed")
    home = tmp_path_factory.mktemp("jupyterlab")
    served = home / "notebooks"
    served.mkdir()
    for params in PARAMS:
        shutil.copyfile(render(params).executed_notebook, served / f"{params.stem}.ipynb")
    settings = home / "settings"
    _write_json(settings / "@jupyterlab/notebook-extension/tracker.jupyterlab-settings",
                {"windowingMode": "none"})  # attach every cell, so every chart is drawn
    _write_json(settings / "@jupyterlab/apputils-extension/notification.jupyterlab-settings",
                {"fetchNews": "false", "checkForUpdates": False})
    env = {**os.environ, "JUPYTER_DATA_DIR": str(home / "data"),
           "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "run"),
           "JUPYTERLAB_SETTINGS_DIR": str(settings),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
         f"--ServerApp.root_dir={served}", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.extension_manager=readonly", "--allow-root"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(home / "server.log", "wb"))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a loaded 2-core machine needs minutes
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    log = (home / "server.log").read_text(errors="replace")[-2000:]
                    pytest.fail(f"JupyterLab did not start (exit {server.poll()}): {log}")
                time.sleep(0.3)
        yield url, served, home / "data"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_executed_notebooks_show_every_chart_untrusted_in_jupyterlab(lab, tmp_path):
    # One test for every report, so one JupyterLab server and one Chromium serve them all
    # (parametrised tests could land on two xdist workers and start two of each).
    url, served, data_dir = lab
    shots = Path(os.environ.get("SNA_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with Browser() as browser:
        for params in PARAMS:
            _check_notebook(browser, url, served / f"{params.stem}.ipynb",
                            report_notebook(params).stem, data_dir, shots)


def _check_notebook(browser: Browser, url: str, path: Path, report: str, data_dir: Path,
                    shots: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert not NotebookNotary(data_dir=str(data_dir)).check_signature(nb), "notebook is trusted"
    outputs = [output for cell in nb.cells for output in cell.get("outputs", [])]
    figures = sum(FIGURE_MIMETYPE in output.get("data", {}) for output in outputs)
    # JupyterLab's sanitiser strips <svg> from untrusted text/html: a chart must be a Figure
    # output, never inline SVG in an HTML output.
    inline_svg = sum("<svg" in str(output.get("data", {}).get("text/html", ""))
                     for output in outputs)
    assert inline_svg == 0, f"{path.stem}: {inline_svg} HTML outputs hold inline SVG charts"
    assert figures >= 1, f"{path.stem}: no figure outputs in the notebook"
    browser.open(f"{url}/lab/workspaces/{path.stem}/tree/{path.name}?reset")
    done = (f"(() => {{ const s = {DRAWN}; return s && s.cells >= {len(nb.cells)} "
            f"&& s.vega + s.png >= {figures} ? s : null; }})()")
    state = browser.wait_for(done, timeout=180) or browser.evaluate(DRAWN)
    browser.evaluate("document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) "
                     ":is(.jp-RenderedVegaLite, .jp-RenderedImage)')"
                     "?.scrollIntoView({block: 'start'})")
    time.sleep(0.5)
    shot = browser.screenshot(shots / f"jupyterlab-{path.stem}.png")
    assert state, f"{path.stem}: the notebook did not open; screenshot {shot}"
    assert state["cells"] >= len(nb.cells), state
    assert state["vega"] + state["png"] >= figures, (
        f"{path.stem}: JupyterLab drew {state} of {figures} figures; screenshot {shot}")
    assert state["errors"] == 0, state
    assert any(text.startswith("Notebook not trusted") for text in state["trust"]), state
    assert shot.stat().st_size > 50_000
