"""ONS Census 2021 population by ethnic group and upper-tier local authority."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sna.io.accounting import Accounted, first_reason, split_by_reason
from sna.io.partner.common import (
    AREA_CODE_PATTERN,
    csv_frame,
    duplicated_keys,
    map_area_codes,
    parse_values,
)

__all__ = [
    "broad_ethnic_group",
    "read_ethnic_population",
]

ETHNIC_CODE = "2023 Upper tier local authorities Code"
ETHNIC_NAME = "2023 Upper tier local authorities"
ETHNIC_GROUP = "Ethnic group (20 categories)"
ETHNIC_GROUP_CODE = "Ethnic group (20 categories) Code"
ETHNIC_REQUIRED = (ETHNIC_CODE, ETHNIC_NAME, ETHNIC_GROUP_CODE, ETHNIC_GROUP, "Observation")
BROAD_GROUPS = {"Asian": "Asian", "Black": "Black", "Mixed": "Mixed", "White": "White",
                "Other": "Other"}
"""The five high-level Census 2021 ethnic groups, keyed by the first word of the category."""


def broad_ethnic_group(category: pd.Series) -> pd.Series:
    """The high-level group (Asian, Black, Mixed, White, Other) of a 20-category label.

    Parameters
    ----------
    category : pandas.Series
        Census 2021 ethnic group labels (20 categories).

    Returns
    -------
    pandas.Series
        string dtype: the broad group, missing for a label outside the five groups.

    Examples
    --------
    >>> broad_ethnic_group(pd.Series(["White: English, Welsh, Scottish", "Other ethnic group: Arab",
    ...                               "Does not apply"])).tolist()
    ['White', 'Other', <NA>]
    """
    first = category.astype(str).str.strip().str.split(r"[\s,:]", n=1, regex=True).str[0]
    return first.map(BROAD_GROUPS).astype("string")


def read_ethnic_population(path: str | Path) -> Accounted:
    r"""Read ONS Census 2021 usual residents by ethnic group (20 categories) and upper-tier LA.

    Parameters
    ----------
    path : str or Path
        The ONS CSV (plain or gzip).

    Returns
    -------
    Accounted
        ``clean``: ``area_code``, ``area_name``, ``ethnic_group`` (20 categories),
        ``broad_group`` (Asian, Black, Mixed, White, Other), ``residents`` (Float64),
        ``source_file``, ``source_row``. ``quarantine``: the "Does not apply" rows (code -8,
        always 0), malformed area codes, unreadable counts, repeats.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "e.csv"
    >>> _ = path.write_text(",".join(ETHNIC_REQUIRED) + "\nE06000014,York,13,White: Irish,"
    ...                     "1000\nE06000014,York,-8,Does not apply,0\n")
    >>> acc = read_ethnic_population(path)
    >>> acc.clean["broad_group"].tolist(), acc.quarantine["reason"].tolist()
    (['White'], ['category "Does not apply" (not a population group)'])
    """
    raw = csv_frame(path, ETHNIC_REQUIRED, "the ONS population by ethnic group CSV")
    codes, mapped = map_area_codes(raw[ETHNIC_CODE])
    residents, _, bad = parse_values(raw["Observation"])
    group = raw[ETHNIC_GROUP].str.strip()
    checks = [(raw[ETHNIC_GROUP_CODE].str.strip() == "-8",
               'category "Does not apply" (not a population group)'),
              (~codes.str.fullmatch(AREA_CODE_PATTERN), "malformed area code"),
              (bad | residents.isna(), "unreadable Observation (not a number)")]
    reason = first_reason(checks, raw.index)
    frame = pd.DataFrame({"area_code": codes, "area_name": raw[ETHNIC_NAME].str.strip(),
                          "ethnic_group": group, "broad_group": broad_ethnic_group(group),
                          "residents": residents, "source_file": raw["source_file"],
                          "source_row": raw["source_row"]})
    repeat = duplicated_keys(frame, ["area_code", "ethnic_group"], reason.isna())
    reason[repeat & reason.isna()] = "repeat of an earlier row for the same area and group"
    return split_by_reason(frame, reason, notes={"area_codes_mapped": mapped})
