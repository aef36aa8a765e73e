"""Census 2021 topic tables shipped with the project: the denominators of strand rates.

Ethnic group, religion and disability have one row per LSOA 2021 and category:
``lsoa21_code``, the category column (``ethnic_group``, ``religion`` or ``disability``),
``n`` residents and, for ethnic group, ``total_residents``. Sexual orientation is
published by council only: ``ltla24_code, sexual_orientation, n`` (residents aged 16+).
England and Wales; provenance in ``data/README.md``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from sna.errors import SnaInputError
from sna.paths import raw_dir

__all__ = ["CENSUS_FILES", "SEXUAL_ORIENTATION_FILE", "census_dir_default", "read_census_tables"]

CENSUS_FILES = {
    "ethnic_group": "ethnicity21_lsoa21_ew.csv.gz",
    "religion": "religion21_lsoa21_ew.csv.gz",
    "disability": "disability21_lsoa21_ew.csv.gz",
}
"""The shipped file of each Census 2021 topic by LSOA (TS021, TS030, TS038)."""
SEXUAL_ORIENTATION_FILE = "sexualorientation21_ltla24_ew.csv.gz"
"""Census 2021 TS077 by council (LTLA 2024), read when present."""


def census_dir_default() -> Path:
    """The shipped national Census 2021 folder (England and Wales).

    Returns
    -------
    Path
        ``data/raw/shipped/national/census2021``.
    """
    return raw_dir() / "shipped" / "national" / "census2021"


@cache
def _read(path: str) -> pd.DataFrame:
    return pd.read_csv(path)


def read_census_tables(*, census_dir: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Read the Census 2021 topic tables (read once a session; do not modify them).

    Parameters
    ----------
    census_dir : str or Path, optional
        Folder of the files (default :func:`census_dir_default`).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``ethnic_group``, ``religion`` and ``disability`` (by LSOA 2021) and, when its
        file is in the folder, ``sexual_orientation`` (by council).

    Raises
    ------
    SnaInputError
        A topic file is missing.

    Examples
    --------
    >>> tables = read_census_tables()
    >>> sorted(tables), "lsoa21_code" in tables["religion"]
    (['disability', 'ethnic_group', 'religion', 'sexual_orientation'], True)
    """
    folder = Path(census_dir) if census_dir is not None else census_dir_default()
    tables = {}
    for topic, name in CENSUS_FILES.items():
        path = folder / name
        if not path.exists():
            raise SnaInputError(f"the Census 2021 {topic} table is missing", file=str(path),
                                fix="restore data/raw/shipped/national/census2021 from git, "
                                    "or give census_dir the folder holding " + name)
        tables[topic] = _read(str(path))
    orientation = folder / SEXUAL_ORIENTATION_FILE
    if orientation.exists():
        tables["sexual_orientation"] = _read(str(orientation))
    return tables
