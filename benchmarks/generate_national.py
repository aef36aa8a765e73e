"""Generate a national-scale year of police.uk street files for benchmarking.

Rows are resampled from the real shipped police.uk rows
(``data/raw/shipped/police_uk/*/*.csv.gz``: North Yorkshire, Cumbria and
Humberside, 2024-2025), so text widths, blanks (anti-social behaviour rows
with no Crime ID, rows with no location) and the category mix are those of
real files. Each output file gets its own month in ``Month``, its own force in
``Falls within`` and ``Reported by``, and Crime IDs re-hashed with the force
and month (64 hex characters like police.uk's), so two rows share an ID only
when they shared one in the source month (an outcome repeat).

Files are written as police.uk names them:
``<out>/YYYY-MM/YYYY-MM-<force-slug>-street.csv`` (43 territorial forces of
England and Wales, 12 months). At ``--scale 1.0`` the year holds about 6.0
million rows (~470k a month), split between forces by the approximate
relative sizes below (illustrative shares of street-level crime and ASB
records, not official figures).

A small share of rows (``--corrupt``, default 0.1%) gets a value-level fault
that the ingest must quarantine: a malformed LSOA code, an unknown crime type
or a non-numeric coordinate.

Usage::

    .venv/bin/python benchmarks/generate_national.py --scale 1.0 --out /tmp/national
    .venv/bin/python benchmarks/generate_national.py --scale 0.05 --out /tmp/national-small
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "raw" / "shipped" / "police_uk"
ROWS_PER_YEAR = 6_000_000

# slug: (force name as in "Falls within", approximate relative size)
FORCES: dict[str, tuple[str, float]] = {
    "avon-and-somerset": ("Avon and Somerset Constabulary", 13),
    "bedfordshire": ("Bedfordshire Police", 5),
    "cambridgeshire": ("Cambridgeshire Constabulary", 7),
    "cheshire": ("Cheshire Constabulary", 8),
    "city-of-london": ("City of London Police", 0.6),
    "cleveland": ("Cleveland Police", 8),
    "cumbria": ("Cumbria Constabulary", 3.5),
    "derbyshire": ("Derbyshire Constabulary", 8),
    "devon-and-cornwall": ("Devon & Cornwall Police", 11),
    "dorset": ("Dorset Police", 4.5),
    "durham": ("Durham Constabulary", 6),
    "dyfed-powys": ("Dyfed-Powys Police", 3),
    "essex": ("Essex Police", 14),
    "gloucestershire": ("Gloucestershire Constabulary", 4.5),
    "greater-manchester": ("Greater Manchester Police", 30),
    "gwent": ("Gwent Police", 5),
    "hampshire": ("Hampshire Constabulary", 14),
    "hertfordshire": ("Hertfordshire Constabulary", 8),
    "humberside": ("Humberside Police", 8),
    "kent": ("Kent Police", 15),
    "lancashire": ("Lancashire Constabulary", 13),
    "leicestershire": ("Leicestershire Police", 8),
    "lincolnshire": ("Lincolnshire Police", 5),
    "merseyside": ("Merseyside Police", 12),
    "metropolitan": ("Metropolitan Police Service", 90),
    "norfolk": ("Norfolk Constabulary", 6),
    "north-wales": ("North Wales Police", 5),
    "north-yorkshire": ("North Yorkshire Police", 5),
    "northamptonshire": ("Northamptonshire Police", 6),
    "northumbria": ("Northumbria Police", 13),
    "nottinghamshire": ("Nottinghamshire Police", 9),
    "south-wales": ("South Wales Police", 10),
    "south-yorkshire": ("South Yorkshire Police", 13),
    "staffordshire": ("Staffordshire Police", 8),
    "suffolk": ("Suffolk Constabulary", 5),
    "surrey": ("Surrey Police", 6),
    "sussex": ("Sussex Police", 11),
    "thames-valley": ("Thames Valley Police", 15),
    "warwickshire": ("Warwickshire Police", 4),
    "west-mercia": ("West Mercia Police", 9),
    "west-midlands": ("West Midlands Police", 30),
    "west-yorkshire": ("West Yorkshire Police", 30),
    "wiltshire": ("Wiltshire Police", 4),
}
CORRUPTIONS = ("lsoa", "crime_type", "coordinate")


@functools.cache
def load_pool() -> pd.DataFrame:
    """All shipped real rows as Python strings (blanks kept as empty strings)."""
    files = sorted(SHIPPED.glob("*/*.csv.gz"))
    if not files:
        sys.exit(f"no shipped police.uk files under {SHIPPED}")
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in files]
    return pd.concat(frames, ignore_index=True).astype(object)  # object: fast row takes


def rows_per_file(scale: float, rng: np.random.Generator) -> dict[tuple[str, str], int]:
    """Rows for each (force slug, month): the force's share of the year, +-10% a month."""
    weights = np.array([w for _, w in FORCES.values()], dtype=float)
    per_month = ROWS_PER_YEAR * scale / 12 * weights / weights.sum()
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    sizes = {}
    for slug, mean in zip(FORCES, per_month, strict=True):
        for month in months:
            sizes[(slug, month)] = max(1, int(round(mean * rng.uniform(0.9, 1.1))))
    return sizes


def rehash_ids(ids: np.ndarray, slug: str, month: str) -> list[str]:
    """New 64-hex Crime IDs, the same for rows that shared an ID; blanks stay blank."""
    salt = f"|{slug}|{month}"
    return [hashlib.sha256((i + salt).encode()).hexdigest() if i else "" for i in ids]


def corrupt(frame: pd.DataFrame, rate: float, rng: np.random.Generator) -> None:
    """Give a share ``rate`` of rows one value-level fault, in place."""
    hit = np.flatnonzero(rng.random(len(frame)) < rate)
    kinds = rng.integers(0, len(CORRUPTIONS), size=len(hit))
    for row, kind in zip(hit, kinds, strict=True):
        fault = CORRUPTIONS[kind]
        if fault == "lsoa":
            frame.iat[row, frame.columns.get_loc("LSOA code")] = "E0X12345"
        elif fault == "crime_type":
            frame.iat[row, frame.columns.get_loc("Crime type")] = "Violent crime"
        else:
            frame.iat[row, frame.columns.get_loc("Longitude")] = "-1.5x"


def make_file(pool: pd.DataFrame, slug: str, month: str, n_rows: int,
              corrupt_rate: float, rng: np.random.Generator) -> pd.DataFrame:
    """One force-month of resampled rows (without replacement while the pool lasts)."""
    replace = n_rows > len(pool)
    picks = np.sort(rng.choice(len(pool), size=n_rows, replace=replace))
    frame = pool.iloc[picks].reset_index(drop=True)
    name = FORCES[slug][0]
    frame["Month"] = month
    frame["Reported by"] = name
    frame["Falls within"] = name
    frame["Crime ID"] = rehash_ids(frame["Crime ID"].to_numpy(), slug, month)
    if corrupt_rate > 0:
        corrupt(frame, corrupt_rate, rng)
    return frame


def write_street_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write like police.uk: header, comma separated, quotes only where needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")


def generate(scale: float, out: Path, seed: int, corrupt_rate: float) -> int:
    """Write the year of files; return the number of rows written."""
    rng = np.random.default_rng(seed)
    pool = load_pool()
    sizes = rows_per_file(scale, rng)
    total = 0
    for (slug, month), n_rows in sorted(sizes.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        frame = make_file(pool, slug, month, n_rows, corrupt_rate, rng)
        write_street_csv(frame, out / month / f"{month}-{slug}-street.csv")
        total += n_rows
    return total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="1.0 = ~6M rows (a national year); 0.05 = ~300k rows")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--corrupt", type=float, default=0.001,
                        help="share of rows given a value-level fault (default 0.001)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    total = generate(args.scale, args.out, args.seed, args.corrupt)
    files = len(list(args.out.glob("*/*-street.csv")))
    print(f"wrote {total:,} rows in {files} files to {args.out} "
          f"in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
