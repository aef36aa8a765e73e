"""Load a study area's police.uk data, with geography and full row accounting.

This is the one call a report makes to get its crimes: read (through the
Parquet cache), attach geography, and account for every row across both
stages (ingest and study-area assignment).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sna.io.cache import ingest_to_cache
from sna.io.geography import attach_geography, lsoa_profile, study_area_lsoas
from sna.paths import repo_root
from sna.periods import month_runs

__all__ = [
    "StudyData",
    "load_study",
]


@dataclass(frozen=True)
class StudyData:
    """Crimes of a study area and how every input row was used.

    Attributes
    ----------
    crimes : pandas.DataFrame
        Clean rows inside the study area (or with no location), with
        district, council, rurality and deprivation columns.
    quarantine : pandas.DataFrame
        Every row not used, from both stages, with ``stage`` and ``reason``.
    rows_in : int
        Rows read from the files.
    lsoas : pandas.DataFrame
        The study area's LSOAs with rurality, population and IMD.
    months : list of str
        Months with data.
    missing_months : list of str
        Months in the period with no data (never zero).
    files : list of str
        Files read.
    subarea_kind : str
        What the sub-areas in ``district_name`` are ("council", "ward", ...).
    """

    crimes: pd.DataFrame
    quarantine: pd.DataFrame
    rows_in: int
    lsoas: pd.DataFrame
    months: list[str]
    missing_months: list[str]
    files: list[str] = field(default_factory=list)
    subarea_kind: str = "sub-area"

    def __post_init__(self) -> None:
        if self.rows_in != len(self.crimes) + len(self.quarantine):
            raise AssertionError("study row accounting broken")

    def data_quality(self) -> pd.DataFrame:
        """Rows in, used and quarantined by stage and reason (the report's table)."""
        rows = [("Rows read from police.uk files", self.rows_in),
                ("Rows used", len(self.crimes)),
                ("  of which with no location (counted, not mapped)",
                 int((~self.crimes["located"]).sum())),
                ("Rows quarantined", len(self.quarantine))]
        grouped = self.quarantine.groupby(["stage", "reason"], observed=True).size()
        rows += [(f"  {stage}: {reason}", int(n)) for (stage, reason), n in grouped.items()]
        return pd.DataFrame(rows, columns=["Measure", "Rows"])

    def missing_month_text(self) -> str:
        """A sentence listing months with no data, or saying there are none."""
        runs = month_runs(self.missing_months, fmt="%Y-%m")
        if not runs:
            return "Every month in the period has data."
        return ("No data for " + ", ".join(runs) + ": these months are shown as gaps and "
                "left out of totals and models, never counted as zero.")


def load_study(
    police_uk: str | Path,
    *,
    ltla24_codes: list[str] | None = None,
    pfa24_code: str | None = None,
    forces: list[str] | None = None,
    first_month: str | None = None,
    last_month: str | None = None,
    cache_name: str | None = None,
    cache_dir: str | Path | None = None,
    subareas: str = "auto",
) -> StudyData:
    """Read police.uk files for a study area, through the Parquet cache.

    Parameters
    ----------
    police_uk : path
        Folder, zip or file of police.uk street files (relative paths are
        taken from the project root).
    ltla24_codes, pfa24_code
        The study area: its councils (LAD 2024 codes) or its police force area.
    forces : list of str, optional
        Force names expected in the files.
    first_month, last_month : str, optional
        The study period (``YYYY-MM``); rows outside it are quarantined as
        "outside the study period".
    cache_name : str, optional
        Name of the cache folder under ``data/processed``.
    subareas : str, default "auto"
        The sub-areas figures are broken down by (:func:`sna.io.geography.subarea_columns`).
    cache_dir : str or Path, optional
        Where the cache folder is kept (``data/processed`` when None).

    Returns
    -------
    StudyData
        The study area's crimes, the rows set aside (``quarantine``), rows read, the
        area's LSOAs, the months with and without data, the files and the sub-area kind.

    Examples
    --------
    >>> s = load_study("data/raw/shipped/police_uk/north-yorkshire",
    ...                ltla24_codes=["E06000065", "E06000014"],
    ...                first_month="2025-01", last_month="2025-12")
    >>> s.rows_in == len(s.crimes) + len(s.quarantine)
    True
    """
    source = Path(police_uk)
    if not source.is_absolute():
        source = repo_root() / source
    months = (first_month, last_month) if first_month and last_month else None
    name = cache_name or source.name.split(".")[0]
    ingested, _ = ingest_to_cache(source, name, forces=forces, out_dir=cache_dir)
    area = study_area_lsoas(ltla24_codes=tuple(ltla24_codes) if ltla24_codes else None,
                            pfa24_code=pfa24_code, subareas=subareas)
    clean = ingested.clean
    in_period = pd.Series(True, index=clean.index)
    if months:
        period = pd.period_range(first_month, last_month, freq="M")
        in_period = clean["month"].isin(period)
    placed = attach_geography(clean[in_period], area)
    outside_period = clean[~in_period].assign(reason="outside the study period")
    quarantine = pd.concat([
        ingested.quarantine.assign(stage="ingest"),
        outside_period.assign(stage="study period"),
        placed.quarantine.assign(stage="study area"),
    ], ignore_index=True)
    expected = (pd.period_range(first_month, last_month, freq="M").astype(str).tolist()
                if months else ingested.notes.get("months", []))
    have = set(clean["month"].astype(str))
    return StudyData(
        crimes=placed.clean,
        quarantine=quarantine[["stage", "reason", "source_file", "source_row"]],
        rows_in=ingested.rows_in,
        lsoas=lsoa_profile(area),
        months=[m for m in expected if m in have],
        missing_months=[m for m in expected if m not in have],
        files=ingested.notes.get("files", []),
        subarea_kind=area.attrs.get("subarea_kind", "sub-area"),
    )
