"""Sections of the partnership's performance report: the KPI dashboard, partners, priorities.

The same notebook (``notebooks/performance_report.ipynb``) makes the quarterly report to
scrutiny (``period: Q3 2023/24``) and the annual-review KPI dashboard (``year: 2024/25``),
for any area: the area is its council, CSP or force-area codes (``ltla24_codes``), from which
the area name and the police.uk folder are derived when not given; the partner returns and the
partners expected to send them are parameters. An area with no partner returns gets the
police.uk indicators and "Not available" notes for the partner sections.
Figures come from the partner returns listed in the params (read and checked by
:mod:`sna.io.partner_returns`) and from police.uk, counted by the same functions as the
Serious Violence Duty assessment (:func:`sna.reports.svd.svd_crimes`,
:func:`sna.io.study.monthly_counts`). Direction and RAG rules are those of
:mod:`sna.stats.kpi`. Small counts are suppressed in tiles, tables and chart data.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sna.checks import check_conf
from sna.errors import SnaInputError
from sna.io.accounting import Accounted
from sna.io.partner_returns import measures, no_returns, read_partner_returns
from sna.reports import charts
from sna.reports.findings import ReportFrame
from sna.reports.sections import Section
from sna.reports.wording import period_text
from sna.stats.disclosure import DisclosurePolicy, suppress_counts
from sna.stats.kpi import (
    DIRECTION_RULE,
    RAG_RULE,
    ReportPeriod,
    kpi_tiles,
    months_to_periods,
    period_values,
    report_period,
)
from sna.stats.trend import QUASI_TEST
from sna.wording import conf_label, count_noun, format_number, format_p, format_percent

__all__ = [
    "PerformanceInputs",
    "change_tests",
    "dashboard",
    "data_quality",
    "frame",
    "load_inputs",
    "partner_sections",
    "police_tiles",
    "priority_sections",
    "return_tiles",
    "sources_and_methods",
    "sparkline_data",
    "validate_params",
]

POLICE_PARTNER = "police.uk (Home Office)"
POLICE_SOURCE = "police.uk street-level crime (Home Office), OGL v3.0"
RAG_COLOURS = {"Red": "#b2182b", "Amber": "#b35806", "Green": "#1b7837", "No rating": "#595959"}
COUNT_UNITS = ("count", "people")
HISTORY = 8
NO_RETURNS = ("no partner returns were supplied (the parameter 'returns' lists no files), so "
              "this report shows the police.uk indicators only. To add a partner's figures, "
              "ask it for a return in the partner-return format "
              "(data/partner_return_template.xlsx, described in data/README.md) and list the "
              "file under 'returns'.")
"""The "Not available" reason of the partner sections of an area with no partner returns."""
DEFAULT_PERIOD = "Q3 2023/24"
"""The notebook's default ``period``; an annual params file sets ``period: ""``."""


# ---------------------------------------------------------------- params


def validate_params(params: dict[str, Any], params_file: Path) -> dict[str, Any]:
    """Check the performance report's parameter values (the notebook's validator).

    Names and types are checked first by :func:`sna.reports.params.load_params`; this checks
    values: exactly one of ``period`` (a financial quarter) and ``year`` (a financial
    year) after the notebook's defaults (``period`` defaults to :data:`DEFAULT_PERIOD`, so an
    annual params file writes ``period: ""``), return files that exist, lists of partner and
    priority names, ``min_count`` >= 1 and ``conf`` (:func:`sna.checks.check_conf`).

    Parameters
    ----------
    params : dict
        Parameters read from the params file (names and types already checked).
    params_file : Path
        The params file, named in error messages.

    Returns
    -------
    dict
        ``params`` unchanged.

    Examples
    --------
    >>> validate_params({"period": "Q3 2023/24", "year": ""}, Path("p.yaml"))["period"]
    'Q3 2023/24'
    >>> try:
    ...     validate_params({"period": "2023 Q3"}, Path("p.yaml"))
    ... except SnaInputError as err:
    ...     print(err.problem)
    period '2023 Q3' is not a financial quarter
    """
    from sna.paths import repo_root

    file = str(params_file)
    try:
        report_period(period=params.get("period", DEFAULT_PERIOD), year=params.get("year", ""))
    except SnaInputError as err:
        raise SnaInputError(err.problem, fix=err.fix, file=file, column=err.column,
                            value=err.value) from None
    for path in params.get("returns", []):
        if not isinstance(path, str) or not (repo_root() / path).is_file():
            raise SnaInputError(f"return file {path!r} does not exist", file=file,
                                column="returns", value=path,
                                fix="list paths relative to the project root, e.g. "
                                    "data/partner_returns/2024-25_q3.csv, or none for "
                                    "police.uk indicators only")
    for key in ("partners", "priorities"):
        values = params.get(key, [])
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise SnaInputError(f"'{key}' must be a list of names", file=file, column=key,
                                fix=f"write {key} as a list of text items")
    if "min_count" in params and params["min_count"] < 1:
        raise SnaInputError("min_count must be 1 or more", file=file, column="min_count",
                            value=params["min_count"], fix="use e.g. 5")
    if "conf" in params:
        check_conf(params["conf"], file=file)
    return params


# ---------------------------------------------------------------- inputs


@dataclass
class PerformanceInputs:
    """Everything the performance report shows, loaded once from the parameters."""

    area_name: str
    report: ReportPeriod
    returns: Accounted
    partners: list[str]
    priorities: list[str]
    tiles: pd.DataFrame
    policy: DisclosurePolicy
    conf: float
    _: KW_ONLY
    police_note: str = ""
    police_study: Any = None
    return_files: list[str] = field(default_factory=list)


def _info(clean: pd.DataFrame) -> pd.DataFrame:
    order = {m: i for i, m in enumerate(measures()["measure"])}
    info = clean.drop_duplicates(["partner", "service", "measure"]).copy()
    info["key"] = list(zip(info["partner"], info["service"], info["measure"], strict=True))
    info["order"] = info["measure"].map(order)
    info = info.sort_values("order", kind="stable")
    return info[["key", "label", "partner", "service", "measure", "priority", "unit",
                 "polarity"]].reset_index(drop=True)


def police_tiles(study, categories: dict[str, str], report: ReportPeriod,
                 *, conf: float = 0.95) -> tuple[pd.DataFrame, str]:
    """Tiles for police.uk categories, counted as in the SVD assessment.

    Parameters
    ----------
    study : sna.io.study.StudyData
        police.uk data of the area (months with no data are never zero).
    categories : dict
        police.uk crime type -> the partnership priority it informs.
    report : ReportPeriod
    conf : float

    Returns
    -------
    (tiles, note)
        Tiles as :func:`sna.stats.kpi.kpi_tiles` (polarity "down": the SVD strategy aims
        to reduce these), and a sentence on which months have police.uk data.
    """
    from sna.periods import monthly_counts, months_of
    from sna.reports.svd import svd_crimes

    rows, info, series = [], [], {}
    months = pd.PeriodIndex(study.months, freq="M")
    for category, priority in categories.items():
        monthly = monthly_counts(months_of(svd_crimes(study, {category: ""})), index=months,
                                 missing=study.missing_months)
        key = (POLICE_PARTNER, "Recorded crime", category)
        if len(monthly):
            series[key] = pd.Series(pd.to_numeric(monthly, errors="coerce").to_numpy(
                dtype=float), index=pd.PeriodIndex(
                [pd.Period(str(p), freq="M") for p in monthly.index], freq="M"))
        totals = months_to_periods(monthly, report.kind) if len(monthly) else pd.Series(
            dtype=float)
        for period, value in totals.items():
            if pd.isna(value):
                continue
            rows.append({"key": key, "period": period, "value": float(value),
                         "how": "police.uk months added up", "parts_value": np.nan,
                         "parts_how": "", "target": np.nan})
        info.append({"key": key, "label": f"{category} (police.uk)", "partner": POLICE_PARTNER,
                     "service": "Recorded crime", "measure": category, "priority": priority,
                     "unit": "count", "polarity": "down"})
    values = pd.DataFrame(rows, columns=["key", "period", "value", "how", "parts_value",
                                         "parts_how", "target"])
    tiles = kpi_tiles(values, pd.DataFrame(info), report, conf=conf, history=HISTORY,
                      series=series)
    tiles = tiles.assign(source=POLICE_SOURCE)
    have = [m for m in report.months if m in set(study.months)]
    if len(have) == len(report.months):
        note = (f"police.uk has data for every month of {report.label}; counts are those of "
                "the Serious Violence Duty assessment (same categories and counting rules).")
    else:
        missing = [m for m in report.months if m not in set(study.months)]
        note = (f"Not available for {report.label}, because the police.uk files read have no "
                f"data for {len(missing)} of its {len(report.months)} months "
                f"({missing[0]} to {missing[-1]}); a period with a missing month is never "
                "added up as if the month were zero. The tiles show the latest complete period "
                "before it, if any.")
    return tiles, note


def return_tiles(clean: pd.DataFrame, report: ReportPeriod, *, conf: float = 0.95) -> pd.DataFrame:
    """Tiles of the partner-return indicators for the report period.

    In quarterly mode an indicator returned only for whole financial years (such as a
    grant-funded intervention's output against its annual target) gets the tile of the
    financial year the quarter is in. Indicators with neither a figure nor a target (for
    example shares by outcome, which have no single total) are left to the partner sections.

    Parameters
    ----------
    clean : pandas.DataFrame
        The returns' clean rows (:func:`sna.io.partner_returns.read_partner_returns`).
    report : ReportPeriod
        The report period (:func:`sna.stats.kpi.report_period`).
    conf : float, default 0.95
        Confidence level of every interval and test.

    Returns
    -------
    pandas.DataFrame
        One tile per indicator of the returns.
    """
    info = _info(clean)
    values = period_values(clean, report.kind)
    quarters = values if report.kind == "quarter" else period_values(clean, "quarter")
    # a year total is judged with the variation of its indicator's quarters
    series = {key: group.set_index("period")["value"]
              for key, group in quarters.groupby("key", sort=False)}
    tiles = kpi_tiles(values, info, report, conf=conf, history=HISTORY, series=series)
    if report.kind == "quarter":
        whole_year = ~info["key"].isin(set(values["key"]))
        if whole_year.any():
            year = report_period(year=report.financial_year)
            yearly = kpi_tiles(period_values(clean, "year"), info[whole_year], year, conf=conf,
                               history=HISTORY)
            tiles = pd.concat([tiles[~tiles["key"].isin(set(yearly["key"]))], yearly],
                              ignore_index=True)
            order = {key: i for i, key in enumerate(info["key"])}
            tiles = tiles.sort_values("key", key=lambda k: k.map(order), kind="stable")
    tiles = tiles.assign(source="partner return")
    return tiles[tiles["latest_period"].ne("") | tiles["target"].notna()].reset_index(drop=True)


def load_inputs(area_name: str, returns: list[str], partners: list[str], priorities: list[str],
                period: str, year: str, police_uk: str, force_name: str,
                ltla24_codes: list[str], police_uk_indicators: dict[str, str], min_count: int,
                conf: float) -> PerformanceInputs:
    """Read the returns and police.uk data and build every tile, once.

    Parameters
    ----------
    area_name : str
        The area's name; empty: derived from ``ltla24_codes`` (the councils' names).
    returns : list of str
        Partner-return files (paths from the project root); empty: the area has none, and
        the partner sections say "Not available".
    partners : list of str
        Partners expected to return figures (one without rows is a named gap); empty: the
        partners found in the returns.
    priorities : list of str
        The partnership's priorities (one without an indicator is named).
    period, year : str
        The report period: a financial quarter (quarterly mode) or year (annual mode).
    police_uk : str
        Folder of the area's police.uk files; empty: the shipped folder of the area's force,
        if any (else the police.uk indicators are "Not available").
    force_name : str
        Force name expected in the police.uk files; empty: not checked.
    ltla24_codes : list of str
        Council, CSP or police force area codes of the area (:func:`sna.io.area.resolve_area`).
    police_uk_indicators : dict
        police.uk crime type -> the priority it informs.
    min_count : int
    conf : float

    Returns
    -------
    PerformanceInputs
    """
    from sna.paths import repo_root

    report = report_period(period=period, year=year)
    police_note, study, codes = "", None, list(ltla24_codes or [])
    if codes:
        from sna.reports.area_sections import report_area

        area = report_area(codes, area_name=area_name, police_uk=police_uk, require_police_uk=False)
        area_name, police_uk, codes = area["area_name"], area["police_uk"], area["ltla24_codes"]
    elif not area_name:
        raise SnaInputError("no area was given", column="ltla24_codes",
                            fix="set ltla24_codes to the area's council, CSP or force-area codes "
                                "(e.g. [E06000010]), or area_name")
    accounted = read_partner_returns([repo_root() / p for p in returns]) if returns \
        else no_returns()
    tiles = return_tiles(accounted.clean, report, conf=conf)
    if police_uk_indicators and police_uk:
        from sna.io.study import load_study

        step = 3 if report.kind == "quarter" else 12
        first = pd.Period(report.months[0], freq="M") - step * HISTORY
        study = load_study(police_uk, ltla24_codes=codes or None,
                           forces=[force_name] if force_name else None,
                           first_month=str(first), last_month=report.months[-1])
        police, police_note = police_tiles(study, police_uk_indicators, report, conf=conf)
        tiles = pd.concat([tiles, police], ignore_index=True)
    elif police_uk_indicators:
        police_note = ("Not available: no police.uk files are shipped for this area's police "
                       "force, so its police.uk indicators cannot be shown. Download the "
                       "force's monthly street-level files from data.police.uk and set "
                       "police_uk to their folder.")
    if not partners:
        partners = list(dict.fromkeys(accounted.clean["partner"]))
        if police_uk_indicators:
            partners.append(POLICE_PARTNER)
    return PerformanceInputs(area_name=area_name, report=report, returns=accounted,
                             partners=list(partners), priorities=list(priorities), tiles=tiles,
                             policy=DisclosurePolicy(min_count=min_count), conf=conf,
                             police_note=police_note, police_study=study,
                             return_files=[Path(p).name for p in returns])


# ---------------------------------------------------------------- formatting


def _slug(text: str) -> str:
    return "perf-" + re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


def _heading(section: Section, text: str, level: int = 3) -> None:
    section.blocks.append(("html", f'<h{level} id="{_slug(text)}">{html.escape(text)}</h{level}>'))


def _suppress(values: pd.Series, policy: DisclosurePolicy) -> pd.Series:
    """Counts from 1 to min_count - 1 become NA (missing stays missing)."""
    frame = pd.DataFrame({"n": pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)})
    present = frame["n"].notna().to_numpy()
    out = pd.Series(np.nan, index=values.index)
    if present.any():
        published = suppress_counts(frame[present], ["n"], policy)
        out[present] = published["n"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return out


def _hidden(value: float, unit: str, policy: DisclosurePolicy) -> bool:
    return unit in COUNT_UNITS and not pd.isna(value) and 0 < value < policy.min_count


def _tile_value(value: float, unit: str) -> str:
    """A tile's figure: a percentage to one decimal, otherwise a count or other figure."""
    return format_percent(value, decimals=1) if unit == "percent" else format_number(value)


def _shown_value(value: float, unit: str, policy: DisclosurePolicy) -> str:
    if pd.isna(value):
        return "no figure"
    if _hidden(value, unit, policy):
        return f"[c] fewer than {policy.min_count}"
    return _tile_value(value, unit)


def _tile_html(tile: pd.Series, policy: DisclosurePolicy) -> str:
    unit = tile["unit"]
    esc = html.escape
    latest = tile["latest_period"] or tile["period"]
    if tile["latest_period"] and not tile["latest_is_report_period"]:
        when = f"latest figure: {latest} (none returned for {tile['period']})"
    else:
        when = latest
    value_text = _shown_value(tile["value"], unit, policy)
    lines = [f'<p class="sna-kpi-value" style="font-size:1.6em;margin:0.2em 0">'
             f"<strong>{esc(value_text)}</strong> <small>{esc(when)}</small></p>"]
    if not pd.isna(tile["parts_value"]):
        lines.append(f"<p><em>Check: the parts add up to "
                     f"{esc(_shown_value(tile['parts_value'], unit, policy))} "
                     f"({esc(tile['parts_how'])}), not the total returned; both are shown and "
                     "neither is picked.</em></p>")
    elif tile["how"] and tile["how"] not in ("as returned", "police.uk months added up"):
        lines.append(f"<p><small>{esc(tile['how'].capitalize())}.</small></p>")
    if tile["previous_period"]:
        lines.append(f"<p>Same period last year ({esc(tile['previous_period'])}): "
                     f"{esc(_shown_value(tile['previous'], unit, policy))}</p>")
    change = tile["direction"]
    hidden = _hidden(tile["value"], unit, policy) or _hidden(tile["previous"], unit, policy)
    change_text = ("Change not shown: a figure is suppressed." if hidden
                   else change.sentence(technical=False))
    lines.append(f"<p>Direction: {esc(change_text)}</p>")
    target = "none set" if pd.isna(tile["target"]) else _tile_value(tile["target"], unit)
    lines.append(f"<p>Target: {esc(target)}</p>")
    colour = RAG_COLOURS[tile["rag"]]
    lines.append(f'<p><strong style="color:{colour}">RAG: {esc(tile["rag"])}</strong> '
                 f"({esc(tile['rag_reason'])})</p>")
    history = tile["history"]
    if isinstance(history, pd.Series) and len(history) >= 2:
        lines.append(f"<p><small>Recent figures: panel '{esc(tile['label'])}' of the chart "
                     "under the tiles.</small></p>")
    head = (f'<p class="sna-kpi-title" style="margin:0"><strong>{esc(tile["label"])}</strong>'
            f"<br><small>{esc(tile['partner'])}: {esc(tile['service'])}</small></p>")
    return (f'<div class="sna-kpi" data-measure="{esc(str(tile["measure"]), quote=True)}" '
            f'style="border:1px solid #bbb;border-left:8px solid {colour};padding:0.6em;'
            f'break-inside:avoid">' + head + "".join(lines) + "</div>")


def sparkline_data(tiles: pd.DataFrame, policy: DisclosurePolicy) -> pd.DataFrame:
    """The tiles' recent figures for the sparkline chart, small counts suppressed.

    Parameters
    ----------
    tiles : pandas.DataFrame
        Tiles of :func:`sna.stats.kpi.kpi_tiles` (their ``history``).
    policy : DisclosurePolicy

    Returns
    -------
    pandas.DataFrame
        ``indicator, period, value, unit`` for every tile with at least two periods of
        history; counts from 1 to ``min_count - 1`` are NaN (suppressed), like missing figures.
    """
    frames = []
    for _, tile in tiles.iterrows():
        history = tile["history"]
        if not isinstance(history, pd.Series) or len(history) < 2:
            continue
        shown = history if tile["unit"] not in COUNT_UNITS else _suppress(history, policy)
        frames.append(pd.DataFrame({"indicator": tile["label"],
                                    "period": [str(p) for p in history.index],
                                    "value": pd.to_numeric(shown, errors="coerce").to_numpy(
                                        dtype=float),
                                    "unit": tile["unit"]}))
    if not frames:
        return pd.DataFrame(columns=["indicator", "period", "value", "unit"])
    return pd.concat(frames, ignore_index=True)


def _chart_source(tiles: pd.DataFrame) -> str:
    sources = list(dict.fromkeys(tiles["source"])) if "source" in tiles else []
    return "; ".join("partner returns" if s == "partner return" else s for s in sources) \
        or "partner returns"


def _summary_table(tiles: pd.DataFrame, policy: DisclosurePolicy) -> pd.DataFrame:
    counts = tiles["unit"].isin(COUNT_UNITS)
    number = _suppress(tiles["value"].where(counts), policy)
    before = _suppress(tiles["previous"].where(counts), policy)
    hidden = [(_hidden(v, u, policy) or _hidden(p, u, policy))
              for v, p, u in zip(tiles["value"], tiles["previous"], tiles["unit"], strict=True)]
    return pd.DataFrame({
        "Indicator": tiles["label"],
        "Partner": tiles["partner"],
        "Latest period": tiles["latest_period"].replace("", "none"),
        "Count": number.astype("Float64").round(0).astype("Int64"),
        "Share (%)": tiles["value"].where(~counts),
        "Count a year earlier": before.astype("Float64").round(0).astype("Int64"),
        "Change": ["suppressed" if h else d.verdict
                   for h, d in zip(hidden, tiles["direction"], strict=True)],
        "Target": tiles["target"],
        "RAG": tiles["rag"],
    }).reset_index(drop=True)


def _named_gaps(inputs: PerformanceInputs) -> list[str]:
    present = set(inputs.returns.clean["partner"])
    return [p for p in inputs.partners if p not in present and p != POLICE_PARTNER]


# ---------------------------------------------------------------- sections


def frame(inputs: PerformanceInputs) -> ReportFrame:
    """The report's frame: its title with area and period, and the sources it reads.

    The dashboard is the report's summary, so the page gets no separate summary of
    findings (``ReportFrame.summary`` is False).

    Parameters
    ----------
    inputs : PerformanceInputs
        What the report shows (:func:`load_inputs`).

    Returns
    -------
    ReportFrame

    Examples
    --------
    >>> inputs = load_inputs("Testshire", [], [], [], "Q3 2025/26", "", "", "", [], {}, 5, 0.95)
    >>> made = frame(inputs)
    >>> made.title.startswith("Community Safety Partnership performance report: Testshire")
    True
    >>> made.period, made.summary
    ('Q3 2025/26 (October to December 2025)', False)
    """
    report = inputs.report
    months = report.months
    when = (f"{report.label} ({period_text(months[0], months[-1])})" if report.kind == "quarter"
            else f"financial year {report.label} ({period_text(months[0], months[-1])})")
    sources = ["police.uk"] if inputs.police_study is not None else []
    if inputs.return_files:
        sources.append("the partners' returns")
    return ReportFrame(
        title=f"Community Safety Partnership performance report: {inputs.area_name}, {when}",
        area=inputs.area_name, period=when, real_sources=sources, summary=False)


def dashboard(inputs: PerformanceInputs) -> Section:
    """The KPI dashboard: one tile per indicator, a summary table and the named gaps.

    Parameters
    ----------
    inputs : PerformanceInputs
        Everything the report shows, loaded once (:func:`load_inputs`).

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section(results={"tiles": inputs.tiles})
    report = inputs.report
    counts = inputs.tiles["rag"].value_counts().reindex(
        ["Green", "Amber", "Red", "No rating"], fill_value=0)
    section.text(f"{inputs.area_name}, {report.mode} report for {report.label}: "
                 f"{len(inputs.tiles)} indicators; {counts['Green']} Green, {counts['Amber']} "
                 f"Amber, {counts['Red']} Red and {counts['No rating']} with no rating.")
    if not inputs.return_files:
        section.unavailable(NO_RETURNS)
    gaps = _named_gaps(inputs)
    if gaps:
        section.text("Missing returns: no figures were received from " + ", ".join(gaps) +
                     " (expected partners named in the parameters); their indicators are "
                     "not on this dashboard.")
    tiles_html = "".join(_tile_html(t, inputs.policy) for _, t in inputs.tiles.iterrows())
    section.blocks.append(("html", '<div class="sna-kpi-grid" style="display:grid;'
                                   'grid-template-columns:repeat(auto-fill,minmax(280px,1fr));'
                                   f'gap:0.8em">{tiles_html}</div>'))
    histories = sparkline_data(inputs.tiles, inputs.policy)
    if len(histories):
        shown = histories["indicator"].nunique()
        described = charts.sparkline_panels(
            histories, title=f"Recent figures of {count_noun(shown, 'indicators')}, "
                             f"to {report.label} (each panel on its own scale)",
            source=_chart_source(inputs.tiles))
        table = histories.rename(columns={"indicator": "Indicator", "period": "Period",
                                          "value": "Figure"}).drop(columns="unit")
        section.figure(described, caption="Recent figures of each indicator: the latest "
                                          f"periods with a figure, up to {HISTORY} (gaps: no "
                                          "figure, or a small count suppressed)",
                       table=table, table_caption="Recent figures of each indicator",
                       name="sparklines")
    table = _summary_table(inputs.tiles, inputs.policy)
    section.results["summary"] = table
    section.table(table, f"Key performance indicators, {report.label} (latest figure where none "
                         "was returned for the period)",
                  note=inputs.policy.footnote(), decimals=1)
    section.note("How the direction is tested: " + DIRECTION_RULE)
    section.note("How the RAG status is set: " + RAG_RULE)
    return section


def _period_rows(clean: pd.DataFrame, report: ReportPeriod, tiles: pd.DataFrame,
                 key: tuple) -> pd.DataFrame:
    """Rows of one indicator in its latest period (and its months), for the partner tables."""
    mine = clean[(clean["partner"] == key[0]) & (clean["service"] == key[1])
                 & (clean["measure"] == key[2])]
    tile = tiles[tiles["key"] == key]
    latest = tile["latest_period"].iloc[0] if len(tile) and tile["latest_period"].iloc[0] \
        else report.label
    from sna.io.partner_returns import months_of, parse_period

    covered = set(months_of(parse_period(latest))) | {latest}
    return mine[mine["period"].isin(covered)]


def partner_sections(inputs: PerformanceInputs) -> Section:
    """One part per partner (in the params' order): its services' figures, checks and gaps.

    Parameters
    ----------
    inputs : PerformanceInputs
        Everything the report shows, loaded once (:func:`load_inputs`).

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section()
    clean = inputs.returns.clean
    reconciliation = inputs.returns.notes["reconciliation"]
    if not inputs.return_files:
        section.unavailable(NO_RETURNS)
        section.results["not_available"] = NO_RETURNS
    listed = list(inputs.partners)
    extra = [p for p in dict.fromkeys(clean["partner"]) if p not in listed]
    for partner in listed + extra:
        _heading(section, partner)
        rows = clean[clean["partner"] == partner]
        if partner == POLICE_PARTNER:
            section.text(inputs.police_note or "No police.uk indicators are listed.")
            continue
        if rows.empty and not inputs.return_files:
            section.unavailable(f"no return from {partner}: no partner returns were supplied.")
            section.results.setdefault("gaps", []).append(partner)
            continue
        if rows.empty:
            section.text(f"Not available: no return from {partner} was found in the files "
                         f"listed ({', '.join(inputs.return_files)}). This is a gap in the "
                         f"{inputs.report.label} report; ask {partner} for its return in the "
                         "partner-return format (data/partner_return_template.xlsx).")
            section.results.setdefault("gaps", []).append(partner)
            continue
        if extra and partner in extra:
            section.note(f"{partner} sent a return but is not in the parameters' list of "
                         "partners; it is shown here so nothing is lost.")
        for service, in_service in rows.groupby("service", sort=False):
            section.blocks.append(("html", f"<h4>{html.escape(service)}</h4>"))
            keys = list(dict.fromkeys(zip(in_service["partner"], in_service["service"],
                                          in_service["measure"], strict=True)))
            parts = [_period_rows(clean, inputs.report, inputs.tiles, key) for key in keys]
            table = pd.concat(parts, ignore_index=True) if parts else in_service.iloc[:0]
            if table.empty:
                section.text(f"No figures for {inputs.report.label}.")
                continue
            section.table(_partner_table(table, inputs.policy),
                          f"{partner}, {service}: figures returned for the latest period",
                          note=inputs.policy.footnote(), decimals=1)
            checks = reconciliation[(reconciliation["partner"] == partner)
                                    & (reconciliation["service"] == service)]
            for sentence in checks["sentence"]:
                section.text(sentence.split(": ", 1)[1].capitalize()
                             if ": " in sentence else sentence)
            for _, tile in inputs.tiles[inputs.tiles["key"].isin(keys)].iterrows():
                if _hidden(tile["value"], tile["unit"], inputs.policy) or _hidden(
                        tile["previous"], tile["unit"], inputs.policy):
                    continue
                if tile["previous_period"] and not pd.isna(tile["previous"]):
                    section.text(f"{tile['label']}: "
                                 f"{tile['direction'].sentence(technical=False)}")
    return section


def _partner_table(rows: pd.DataFrame, policy: DisclosurePolicy) -> pd.DataFrame:
    counts = rows["unit"].isin(COUNT_UNITS)
    frame = pd.DataFrame({"measure": rows["label"], "breakdown": rows["breakdown"],
                          "period": rows["period"],
                          "n": rows["value"].where(counts).fillna(0).astype(int),
                          "missing": rows["value"].isna() | ~counts})
    published = suppress_counts(frame[~frame["missing"]], ["n"], policy, by=["measure", "period"])
    number = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    number[~frame["missing"]] = published["n"].to_numpy()
    return pd.DataFrame({
        "Measure": rows["label"].to_numpy(),
        "Breakdown": rows["breakdown"].replace({"all": "total"}).to_numpy(),
        "Period": rows["period"].to_numpy(),
        "Count": pd.array(number.to_numpy(), dtype="Int64"),
        "Share (%)": rows["value"].where(~counts).to_numpy(),
        "Target": rows["target"].to_numpy(),
    })


def priority_sections(inputs: PerformanceInputs) -> Section:
    """One part per partnership priority: its indicators with RAG, or a named gap.

    Parameters
    ----------
    inputs : PerformanceInputs
        Everything the report shows, loaded once (:func:`load_inputs`).

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section()
    tiles = inputs.tiles
    listed = list(inputs.priorities)
    extra = [p for p in dict.fromkeys(tiles["priority"]) if p not in listed]
    for priority in listed + extra:
        _heading(section, priority)
        mine = tiles[tiles["priority"] == priority]
        if mine.empty:
            section.text(f"Not available: no partner return or police.uk category in the "
                         f"parameters measures '{priority}' yet, so it has no indicator in "
                         "this report.")
            continue
        table = _summary_table(mine, inputs.policy).drop(columns=["Partner"])
        section.table(table, f"{priority}: indicators, {inputs.report.label}",
                      note=inputs.policy.footnote(), decimals=1)
        rated = mine["rag"].value_counts()
        section.text(f"{count_noun(len(mine), 'indicators')}: "
                     + ", ".join(f"{n} {status}" for status, n in rated.items()) + ".")
    return section


def data_quality(inputs: PerformanceInputs) -> Section:
    """Rows read, used and set aside (with reasons) for the returns; checks of totals.

    Parameters
    ----------
    inputs : PerformanceInputs
        Everything the report shows, loaded once (:func:`load_inputs`).

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section()
    if not inputs.return_files:
        section.unavailable("no partner returns were supplied, so there are no partner-return "
                            "rows to account for.")
        return _police_quality(section, inputs)
    summary = inputs.returns.summary().rename(columns={"measure": "Measure", "rows": "Rows"})
    section.table(summary, "Partner-return rows: read, used and set aside by reason",
                  decimals=0)
    messages = inputs.returns.notes["messages"]
    if messages:
        section.text(f"{len(messages)} row(s) were set aside; each is listed with its fix:")
        for message in messages[:20]:
            section.note(message)
    else:
        section.text("Every row of the returns passed the checks.")
    checks = inputs.returns.notes["reconciliation"]
    if len(checks):
        mismatched = checks[~checks["matches"].astype(bool)]
        section.text(f"{len(checks)} printed totals were checked against the sum of their "
                     f"parts; {len(mismatched)} do not match. Where they differ, the report "
                     "shows both figures and never picks one silently.")
        shown = checks[["partner", "measure", "period", "check", "sum_of_parts",
                        "published_total", "difference"]].rename(columns={
            "partner": "Partner", "measure": "Measure", "period": "Period", "check": "Parts",
            "sum_of_parts": "Sum of parts", "published_total": "Total as printed",
            "difference": "Difference"})
        section.table(shown, "Printed totals against the sum of their parts", decimals=0)
    return _police_quality(section, inputs)


def _police_quality(section: Section, inputs: PerformanceInputs) -> Section:
    if inputs.police_study is not None:
        section.table(inputs.police_study.data_quality(),
                      "police.uk rows: read, used and quarantined by reason", decimals=0)
        section.text(inputs.police_study.missing_month_text())
    return section


def sources_and_methods(inputs: PerformanceInputs) -> Section:
    """Sources, the KPI rules, disclosure control and the return format.

    Parameters
    ----------
    inputs : PerformanceInputs
        Everything the report shows, loaded once (:func:`load_inputs`).

    Returns
    -------
    Section
        Displays itself in a notebook; ``results`` holds the figures behind its sentences.
    """
    section = Section()
    files = ", ".join(inputs.return_files) or "none supplied"
    rows = [("Partner returns", files, "commissioned services and partners, in the "
                                      "partner-return format (data/README.md)")]
    if inputs.police_study is not None:
        rows.append(("police.uk street-level crime", "monthly files of the area's force",
                     "Home Office, OGL v3.0"))
    sources = pd.DataFrame(rows, columns=["Source", "Files", "Publisher"])
    section.table(sources, "Sources")
    methods = pd.DataFrame([
        ("Period values", "a total as returned; else months added up to a quarter, or "
                          "quarters to a year, when none is missing; else the parts of a "
                          "breakdown added up (said on the tile)"),
        ("Direction", DIRECTION_RULE),
        ("RAG status", RAG_RULE),
        ("Totals against parts", "every printed total is checked against its parts; a "
                                 "difference is reported with both figures"),
        ("Disclosure control", inputs.policy.footnote()),
        ("Return format", "data/README.md (partner-return format); templates "
                          "data/partner_return_template.csv and .xlsx"),
    ], columns=["Topic", "Method"])
    section.table(methods, "Methods")
    tests = change_tests(inputs.tiles, inputs.policy)
    section.results["tests"] = tests
    if len(tests):
        section.table(tests, "Technical appendix: tests of change against the same period a "
                             f"year earlier ({conf_label(inputs.conf)} confidence)", decimals=3)
    return section


def change_tests(tiles: pd.DataFrame, policy: DisclosurePolicy) -> pd.DataFrame:
    """The test behind each tile's direction (rate ratio, interval, test, p-value).

    Tiles with a suppressed figure are left out (a ratio would reveal the small count), as
    are tiles with nothing to compare. The test is the one change rule's
    (:func:`sna.stats.trend.judge_change`): the dispersion allowed for, its degrees of
    freedom, why this test, and the exact Poisson test's p-value for reference.

    Parameters
    ----------
    tiles : pandas.DataFrame
        One row per indicator (:func:`sna.stats.kpi.kpi_tiles`).
    policy : DisclosurePolicy
        The rule for suppressing small counts in published tables and charts.

    Returns
    -------
    pandas.DataFrame
        One row per indicator tested: the change, its test and p-value.
    """
    rows = []
    for _, tile in tiles.iterrows():
        change = tile["direction"]
        if math.isnan(change.p_value) or _hidden(tile["value"], tile["unit"], policy) or \
                _hidden(tile["previous"], tile["unit"], policy):
            continue
        quasi = change.test == QUASI_TEST
        rows.append({"Indicator": tile["label"],
                     "Compared": f"{tile['latest_period']} with {tile['previous_period']}",
                     "Rate ratio": change.rate_ratio, "Lower (CI)": change.lower,
                     "Upper (CI)": change.upper, "Test": change.test,
                     "Dispersion (phi)": change.dispersion if quasi else 1.0,
                     "Residual df": change.df if quasi else np.nan,
                     "p-value": format_p(change.p_value, with_equals=False),
                     "p-value, exact test": format_p(change.p_value_exact, with_equals=False),
                     "Why this test": change.why, "Verdict": change.verdict})
    return pd.DataFrame(rows, columns=CHANGE_TEST_COLUMNS)


CHANGE_TEST_COLUMNS = ["Indicator", "Compared", "Rate ratio", "Lower (CI)", "Upper (CI)", "Test",
                       "Dispersion (phi)", "Residual df", "p-value", "p-value, exact test",
                       "Why this test", "Verdict"]
