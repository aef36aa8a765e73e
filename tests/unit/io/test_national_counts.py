"""The shipped national police.uk 2025 aggregate against the project's own ingest.

Reference: the project's reader (sna.io.ingest.read_police_uk, which counts a Crime ID
once a month, keeping the first row) run on the shipped monthly files of three forces;
the aggregate was built independently (DuckDB) by the data pack.
"""

from functools import cache

import pandas as pd
import pytest

from sna.io.ingest import read_police_uk
from sna.io.national_counts import coverage, force_months, national_counts
from sna.paths import raw_dir

KEYS = ["month", "lsoa21_code", "crime_type"]


@cache
def _own_counts(force: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    files = sorted((raw_dir() / "shipped" / "police_uk" / force).glob("2025-*.csv.gz"))
    assert len(files) == 12
    accounted = read_police_uk(files)
    clean = accounted.clean.assign(month=accounted.clean["month"].astype(str),
                                   lsoa21_code=accounted.clean["lsoa_code"].astype(object))
    counts = clean.groupby(KEYS, dropna=False, observed=True).size().rename("offences")
    return counts.reset_index(), accounted.clean


def _aggregate(force: str) -> pd.DataFrame:
    agg = national_counts()
    return agg[agg["force"] == force].drop(columns="force").reset_index(drop=True)


@pytest.mark.parametrize("force", ["north-yorkshire", "cumbria"])
def test_own_ingest_reproduces_the_aggregate_rows_exactly(force):
    own, _ = _own_counts(force)
    ref = _aggregate(force)
    merged = own.merge(ref, on=KEYS, how="outer", suffixes=("_own", "_ref"), indicator=True)
    assert (merged["_merge"] == "both").all()
    assert (merged["offences_own"] == merged["offences_ref"]).all()
    assert len(own) == len(ref)


def test_humberside_rows_equal_except_where_a_repeat_crime_id_changes_lsoa():
    """Humberside repeats 1,136 Crime IDs within a month at *different* LSOAs; which of
    the rows the aggregate kept is not recorded, so those cells can differ. Everything
    else is exact: every other cell, every month x crime type, and the force total."""
    force = "humberside"
    own, _ = _own_counts(force)
    ref = _aggregate(force)
    files = sorted((raw_dir() / "shipped" / "police_uk" / force).glob("2025-*.csv.gz"))
    raw = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files])
    ids = raw[raw["Crime ID"] != ""]
    conflicting = ids[ids.groupby(["Month", "Crime ID"])["LSOA code"].transform("nunique") > 1]
    assert conflicting.groupby(["Month", "Crime ID"]).ngroups == 1136
    touched = {(m, lsoa or None, t) for m, lsoa, t in
               conflicting[["Month", "LSOA code", "Crime type"]].itertuples(index=False)}
    merged = own.merge(ref, on=KEYS, how="outer", suffixes=("_own", "_ref")).fillna(
        {"offences_own": 0, "offences_ref": 0})
    key = [(m, None if pd.isna(lsoa) else lsoa, t)
           for m, lsoa, t in merged[KEYS].itertuples(index=False)]
    is_touched = pd.Series([k in touched for k in key], index=merged.index)
    differs = merged["offences_own"] != merged["offences_ref"]
    assert differs.sum() > 0 and not (differs & ~is_touched).any()
    by_type = merged.groupby(["month", "crime_type"])[["offences_own", "offences_ref"]].sum()
    assert (by_type["offences_own"] == by_type["offences_ref"]).all()
    assert merged["offences_own"].sum() == merged["offences_ref"].sum() == 94_124


@pytest.mark.parametrize("force", ["north-yorkshire", "cumbria", "humberside"])
def test_coverage_rows_in_and_repeats_match_the_files(force):
    own, clean = _own_counts(force)
    cov = coverage()
    cov = cov[cov["force"] == force]
    files = sorted((raw_dir() / "shipped" / "police_uk" / force).glob("2025-*.csv.gz"))
    rows_in = sum(len(pd.read_csv(f, dtype=str)) for f in files)
    assert cov["rows_in"].sum() == rows_in
    assert rows_in - cov["repeat_crime_id_rows"].sum() == own["offences"].sum() == len(clean)


def test_missing_force_months_are_absent_never_zero():
    months = force_months()
    assert months["metropolitan"] == months["west-midlands"] == months["west-yorkshire"] == []
    assert len(months["avon-and-somerset"]) == 6 and "2025-07" not in months["thames-valley"]
    agg = national_counts()
    present = set(map(tuple, agg[["force", "month"]].drop_duplicates().to_numpy()))
    assert present == {(f, m) for f, ms in months.items() for m in ms}
    assert (agg["offences"] > 0).all()
