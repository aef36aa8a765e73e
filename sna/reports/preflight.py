"""``sna check PARAMS.yaml``: which inputs cover the area, which sections will degrade.

Before anything runs, it says which report sections will be skipped or degraded, and why.

:func:`check_params_file` reads a params file, resolves its area codes and looks at every
input the report would read (police.uk files, force extract, published series, boundaries,
IMD, Census, the national aggregate); it returns one :class:`Finding` per input. Missing
or partial inputs are warnings (the report still renders, with "Not available: ..." notes);
an unknown area code is an error naming the code and the closest known one.
"""

from __future__ import annotations

import re
from dataclasses import KW_ONLY, dataclass
from pathlib import Path

import pandas as pd

from sna.errors import SnaInputError
from sna.wording import format_count

__all__ = [
    "Finding",
    "check_area",
    "check_params_file",
]

OK, WARNING, MISSING = "ok", "warning", "missing"
_MONTH_FILE = re.compile(r"^(\d{4}-\d{2})-.+-street\.csv(\.gz)?$")


@dataclass(frozen=True)
class Finding:
    """One input's coverage of the area.

    Attributes
    ----------
    input : str
        The input, e.g. "police.uk files".
    status : str
        "ok", "warning" (partial) or "missing".
    message : str
        What was found.
    sections : str
        The report sections affected, and how ("" when nothing is affected).
    blocks : bool
        Without this input the report cannot run at all.
    """

    input: str
    status: str
    message: str
    _: KW_ONLY
    sections: str = ""
    blocks: bool = False

    def line(self) -> str:
        """One printable line.

        Returns
        -------
        str

        Examples
        --------
        >>> Finding("x", "missing", "none", sections="Map: skipped").line()
        'MISSING  x: none -> Map: skipped'
        """
        text = f"{self.status.upper():<8} {self.input}: {self.message}"
        return text + (f" -> {self.sections}" if self.sections else "")


def _months_in_folder(folder: Path) -> list[str]:
    if folder.is_file():
        match = _MONTH_FILE.match(folder.name)
        return [match.group(1)] if match else []
    return sorted({m.group(1) for p in folder.rglob("*") if (m := _MONTH_FILE.match(p.name))})


def _path(value: str) -> Path:
    from sna.paths import repo_root

    path = Path(value)
    return path if path.is_absolute() else repo_root() / path


def check_area(params: dict, report: str) -> list[Finding]:
    """Findings for a report's params (svd_sna, hate_crime_review or performance_report).

    Parameters
    ----------
    params : dict
        Parameters read from the params file.
    report : str
        The report (notebook stem), e.g. ``"svd_sna"``.

    Returns
    -------
    list of Finding
        One per input.

    Raises
    ------
    SnaInputError
        An unknown area code (named, with the closest suggestion).

    Examples
    --------
    >>> found = check_area({"ltla24_codes": ["E06000010"], "extract": ""}, "svd_sna")
    >>> [f.input for f in found if f.status == "missing"]
    ['force extract', 'published domestic-abuse series']
    """
    from sna.io.area import resolve_area

    area = resolve_area(params.get("ltla24_codes") or [])
    name = params.get("area_name") or area.name
    findings = [Finding("area", OK, f"{name}: councils {', '.join(area.council_names)}; "
                                    f"force area {' and '.join(area.pfa24_names)}; "
                                    f"{format_count(len(area.lsoas))} LSOAs")]
    findings += [Finding("area", WARNING, note) for note in area.notes]
    if report == "performance_report":
        return findings + _performance(params, area)
    findings.append(_boundaries(area))
    findings.append(_imd(area, report))
    if report == "svd_sna":
        findings += _police_uk(params, area)
    findings.append(_extract(params, report))
    if report == "svd_sna":
        findings.append(_published(params))
        findings += _partner(params, area)
    else:
        findings.append(_census(area))
    findings += _national(params, area, report)
    return findings


def _boundaries(area) -> Finding:
    from sna.io.geography import read_boundaries

    try:
        shapes = read_boundaries(kind="lsoa21", codes=area.lsoas)
    except SnaInputError as err:
        return Finding("LSOA boundaries", MISSING, err.problem,
                       sections="Where: the LSOA map and the Getis-Ord hotspots are skipped")
    lacking = len(area.lsoas) - len(shapes)
    if lacking:
        return Finding("LSOA boundaries", WARNING, f"{lacking} of {len(area.lsoas)} LSOAs have "
                       "no boundary", sections="Where: those LSOAs are blank on the map")
    return Finding("LSOA boundaries", OK, f"all {len(area.lsoas)} LSOAs (ONS BSC 2021)")


def _imd(area, report: str) -> Finding:
    from sna.io.geography import deprivation

    try:
        imd = set(deprivation()["lsoa21_code"])
    except SnaInputError as err:
        return Finding("IMD 2025", MISSING, err.problem, sections="Drivers: deprivation is skipped")
    lacking = [c for c in area.lsoas if c not in imd]
    affected = "Drivers: deprivation" if report == "svd_sna" else "Similar areas"
    if len(lacking) == len(area.lsoas):
        return Finding("IMD 2025", MISSING, "no LSOA of the area has an IMD (Wales has its own "
                       "index, WIMD, not shipped)", sections=f"{affected}: not available; similar "
                       "areas matched without deprivation")
    if lacking:
        return Finding("IMD 2025", WARNING, f"{len(lacking)} LSOAs (Welsh) have no IMD",
                       sections=f"{affected}: those LSOAs are left out")
    return Finding("IMD 2025", OK, f"all {len(area.lsoas)} LSOAs (England)")


def _police_uk(params: dict, area) -> list[Finding]:
    folder_name = params.get("police_uk", "")
    if not folder_name:
        shipped = [f"data/raw/shipped/police_uk/{f}" for f in area.forces]
        folder_name = next((s for s in shipped if _path(s).is_dir()), "")
    if not folder_name or not _path(folder_name).exists():
        return [Finding("police.uk files", MISSING, f"no folder of police.uk files for "
                        f"{' and '.join(area.pfa24_names)}"
                        + (f" at {folder_name}" if folder_name else ""),
                        sections="the SVD report cannot run: download the force's street files "
                        "from data.police.uk and set police_uk", blocks=True)]
    months = _months_in_folder(_path(folder_name))
    first = params.get("first_month") or (months[0] if months else "")
    last = params.get("last_month") or (months[-1] if months else "")
    wanted = pd.period_range(first, last, freq="M").astype(str).tolist() if first and last \
        else []
    have = [m for m in wanted if m in months]
    missing = [m for m in wanted if m not in months]
    out = [Finding("police.uk files", OK if not missing else WARNING,
                   f"{len(have)} of {len(wanted)} months {first} to {last} in {folder_name}"
                   + (f"; no data for {', '.join(missing)} (gaps, never zero)"
                      if missing else ""))]
    seen = pd.Series([m[5:] for m in have]).value_counts()
    if (seen.reindex([f"{k:02d}" for k in range(1, 13)], fill_value=0) < 2).any():
        out.append(Finding("police.uk series length", WARNING,
                           f"{len(have)} months with data: fewer than two of every month",
                           sections="Extent and trend: no seasonal model (it needs at least two "
                           "observations of every month); whole periods are compared"))
    previous = [str(pd.Period(m, freq="M") - 12) for m in have[-12:]]
    if not any(p in have for p in previous):
        out.append(Finding("police.uk year before", WARNING, "no months a year before the "
                           "latest year", sections="Extent and trend: year-on-year comparison not "
                           "available; the latest quarter is compared with the one before"))
    return out


def _performance(params: dict, area) -> list[Finding]:
    """The performance report's inputs: partner returns, and police.uk months of its period."""
    from sna.reports.performance import DEFAULT_PERIOD
    from sna.stats.kpi import report_period

    returns = params.get("returns") or []
    lacking = [r for r in returns if not _path(r).is_file()]
    if not returns:
        out = [Finding("partner returns", MISSING, "none given (parameter 'returns')",
                       sections="Partner returns and the partners' tiles: 'Not available: no "
                       "partner returns were supplied'; the dashboard shows police.uk indicators "
                       "only")]
    else:
        out = [Finding("partner returns", MISSING if lacking else OK,
                       f"{len(returns) - len(lacking)} of {len(returns)} files found"
                       + (f"; not found: {', '.join(lacking)}" if lacking else ""),
                       sections="the report stops until the files exist" if lacking else "")]
    if "police_uk_indicators" in params and not params["police_uk_indicators"]:
        return out
    folder_name = params.get("police_uk", "")
    if not folder_name:
        shipped = [f"data/raw/shipped/police_uk/{f}" for f in area.forces]
        folder_name = next((s for s in shipped if _path(s).is_dir()), "")
    if not folder_name or not _path(folder_name).exists():
        return out + [Finding("police.uk files", MISSING, "no folder of police.uk files for "
                              f"{' and '.join(area.pfa24_names)}",
                              sections="police.uk indicators: 'Not available'; download the "
                              "force's street files from data.police.uk and set police_uk")]
    report = report_period(period=params.get("period", DEFAULT_PERIOD), year=params.get("year", ""))
    months = set(_months_in_folder(_path(folder_name)))
    now = [m for m in report.months if m not in months]
    before = [str(pd.Period(m, freq="M") - 12) for m in report.months]
    out.append(Finding("police.uk files", WARNING if now else OK,
                       f"{len(report.months) - len(now)} of {len(report.months)} months of "
                       f"{report.label} in {folder_name}",
                       sections="police.uk tiles: the latest complete period before it is shown"
                       if now else ""))
    if not any(m in months for m in before):
        out.append(Finding("police.uk year before", WARNING, f"no months of "
                           f"{report.previous_label} in {folder_name}",
                           sections="police.uk tiles: the change on a year earlier is 'too few "
                           "to say'"))
    return out


def _extract(params: dict, report: str) -> Finding:
    value = params.get("extract", "")
    needs = ("When, Who, Response priorities: not available" if report == "svd_sna"
             else "the whole hate-crime review: it cannot run")
    blocks = report != "svd_sna"
    if not value:
        return Finding("force extract", MISSING, "none given (parameter 'extract')", sections=needs,
                       blocks=blocks)
    path = _path(value)
    if not path.is_file():
        return Finding("force extract", MISSING, f"{value} does not exist", sections=needs,
                       blocks=blocks)
    synthetic = "SYNTHETIC" in path.name
    try:
        dates = pd.to_datetime(pd.read_csv(path, usecols=["offence_date"], dtype=str)[
            "offence_date"], errors="coerce").dropna()
    except (ValueError, OSError):
        return Finding("force extract", WARNING, f"{value} could not be read here; the report's "
                       "reader will name the problem")
    first, last = dates.min().to_period("M"), dates.max().to_period("M")
    end = pd.Period(params.get("last_month") or params.get("review_year_last_month")
                    or str(last), freq="M")
    two_years = first <= end - 23
    affected = "" if two_years else (
        "Response priorities: change not available (needs the year before)" if
        report == "svd_sna" else "Totals and trend, strand shifts, seasonal pattern, "
        "multi-strand change: not available (they need the year before the review year)")
    return Finding("force extract", WARNING if synthetic or not two_years else OK,
                   f"{value}, {first} to {last}"
                   + (" (SYNTHETIC demo data, labelled so in the report)" if synthetic else ""),
                   sections=affected)


def _published(params: dict) -> Finding:
    value = params.get("published_da", "")
    if not value or not _path(value).is_file():
        return Finding("published domestic-abuse series", MISSING,
                       "none given" if not value else f"{value} does not exist",
                       sections="Domestic abuse: the published quarterly series: not available")
    return Finding("published domestic-abuse series", OK, value)


def _partner(params: dict, area) -> list[Finding]:
    """Which upper-tier councils' partner data the SVD report will use, and what is missing."""
    from sna.io.partner.areas import upper_tier_councils
    from sna.io.partner.common import split_note

    given = params.get("partner_areas") or {}
    if given:
        councils, notes = dict(given), []
        how = "given in the params file"
    else:
        councils, notes = upper_tier_councils(area.ltla24_codes, names=area.council_names)
        how = "derived from the area codes"
    names = ", ".join(f"{spec.get('name', code) if isinstance(spec, dict) else code} ({code})"
                      for code, spec in councils.items())
    findings = [Finding("partner councils", OK if councils else MISSING,
                        f"{names or 'none'} ({how})",
                        sections="" if councils else "Children and young people at risk, Health: "
                                            "not available")]
    findings += [Finding("partner councils", WARNING, note) for note in notes]
    for code, spec in councils.items():
        note = split_note(str(code))
        if note:
            name = spec.get("name", code) if isinstance(spec, dict) else code
            findings.append(Finding("partner data", WARNING, f"{name}: figures before April "
                                    f"2023 and the DfE-MoJ education and offending figures are "
                                    f"{note}", sections="Children and young people at risk: those "
                                               "parts say 'not available'"))
    return findings


def _census(area) -> Finding:
    return Finding("Census 2021 denominators", WARNING,
                   "ethnic group, religion and disability by LSOA; sexual orientation by "
                   "council only (ONS does not publish it by LSOA); no gender-identity table "
                   "is shipped", sections="Indicative rates: no transgender rate")


def _national(params: dict, area, report: str) -> list[Finding]:
    from sna.io.national_counts import force_months

    last = params.get("last_month") or params.get("review_year_last_month") or "2025-12"
    months = pd.period_range(pd.Period(last, freq="M") - 11, last, freq="M").astype(str)
    coverage = force_months()
    available = {m for ms in coverage.values() for m in ms}
    if not set(months) <= available:
        return [Finding("national police.uk aggregate", MISSING, f"covers "
                        f"{min(available)} to {max(available)} only, not the 12 months to "
                        f"{last}", sections="Similar areas and national benchmarks: rates not "
                        "available (the similar-area list is still shown)")]
    lacking = [f for f in area.forces if not set(months) <= set(coverage.get(f, []))]
    if lacking:
        return [Finding("national police.uk aggregate", MISSING, "no data for some months of "
                        + ", ".join(lacking), sections="national benchmarks: not available")]
    return [Finding("national police.uk aggregate", OK, f"the area's force has all 12 months "
                    f"to {last}" + ("" if report == "svd_sna" else
                                    " (hate crime is not in police.uk: no hate benchmark)"))]


def check_params_file(params_file: str | Path) -> tuple[str, list[Finding]]:
    """Read a params file, find its report, and check the area's inputs.

    Returns
    -------
    (str, list of Finding)
        The report (notebook) name and the findings.

    Parameters
    ----------
    params_file : str or Path
        The params YAML file.
    """
    from sna.paths import repo_root
    from sna.reports.params import read_params_yaml
    from sna.reports.run import match_notebook

    path = Path(params_file)
    params = read_params_yaml(path)
    notebooks = sorted((repo_root() / "notebooks").glob("*.ipynb"))
    report = match_notebook(path, notebooks).stem
    try:
        return report, check_area(params, report)
    except SnaInputError as err:
        raise SnaInputError(err.problem, file=str(path), column=err.column, value=err.value,
                            fix=err.fix) from None
