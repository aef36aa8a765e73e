"""The shipped national police.uk aggregate (2025) and its coverage.

``data/raw/shipped/national/police_uk_2025/`` holds real police.uk street-level crime
for 2025, aggregated for every territorial force the public source held: offences by
force, month, LSOA 2021 and crime type (a Crime ID counted once a month), and one
coverage row per force-month file. Force-months the source lacks are **no data**,
never zero: :func:`force_months` says which months each force has.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from sna.errors import SnaInputError
from sna.paths import raw_dir

__all__ = [
    "coverage",
    "force_months",
    "national_counts",
    "national_dir",
]

COUNTS_FILE = "counts_lsoa_month_type.parquet"
COVERAGE_FILE = "coverage.csv.gz"
SOURCE = ("police.uk street-level crime 2025 (Home Office, OGL v3.0), national aggregate "
          "of every force the public source holds")


def national_dir(folder: str | Path | None = None) -> Path:
    """Folder of the national aggregate (default: the shipped copy)."""
    return Path(folder) if folder else raw_dir() / "shipped" / "national" / "police_uk_2025"


@cache
def _counts(path: str) -> pd.DataFrame:
    return pd.read_parquet(path)


def national_counts(folder: str | Path | None = None) -> pd.DataFrame:
    """Offences by ``force, month, lsoa21_code, crime_type`` (police.uk, 2025).

    Examples
    --------
    >>> counts = national_counts()
    >>> int(counts["offences"].sum())
    3868905
    """
    path = national_dir(folder) / COUNTS_FILE
    if not path.exists():
        raise SnaInputError("the national police.uk aggregate is missing", file=str(path),
                            fix="restore data/raw/shipped/national from git")
    return _counts(str(path))


def coverage(folder: str | Path | None = None) -> pd.DataFrame:
    """One row per force-month file listed by the source; ``rows_in`` is missing when absent.

    Examples
    --------
    >>> cov = coverage()
    >>> int(cov["rows_in"].isna().sum())
    43
    """
    path = national_dir(folder) / COVERAGE_FILE
    if not path.exists():
        raise SnaInputError("the national coverage file is missing", file=str(path),
                            fix="restore data/raw/shipped/national from git")
    return pd.read_csv(path, dtype={"force": str, "month": str})


def force_months(folder: str | Path | None = None) -> dict[str, list[str]]:
    """Months with data for each force in the aggregate (forces with none map to ``[]``).

    Examples
    --------
    >>> months = force_months()
    >>> len(months["cumbria"]), months["west-yorkshire"]
    (12, [])
    """
    cov = coverage(folder)
    have = cov[cov["rows_in"].notna()]
    out = {force: [] for force in sorted(cov["force"].unique())}
    for force, group in have.groupby("force"):
        out[force] = sorted(group["month"].tolist())
    return out
