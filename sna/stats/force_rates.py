"""Crime rates of whole force areas from a national Parquet dataset.

The counts come from :func:`sna.io.national.counts_by` (DuckDB over the Parquet
parts, out of core); the populations from :func:`sna.io.national.pfa_population`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from sna.errors import SnaInputError
from sna.io.national import counts_by, pfa_of_force, pfa_population
from sna.stats.rates import rate_ci

__all__ = ["force_rates"]


def force_rates(
    dataset: str | Path,
    *, population_by_pfa: pd.DataFrame | None = None,
    where: Mapping[str, object] | None = None,
    months: tuple[str, str] | None = None,
    multiplier: float = 100_000,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Crimes per resident population of each force area, with confidence limits.

    Parameters
    ----------
    dataset : str or Path
        A dataset folder or clean Parquet glob (see :func:`counts_by`).
    population_by_pfa : pandas.DataFrame, optional
        ``pfa24_name`` and ``population`` (e.g. :func:`pfa_population`, the
        default: Census 2021 usual residents).
    where, months
        Row filters, as :func:`counts_by` (e.g. one crime type, a year).
    multiplier : float, default 100000
        Rate per ``multiplier`` residents.
    conf : float, default 0.95
        Confidence level of the limits.

    Returns
    -------
    pandas.DataFrame
        ``force, pfa24_name, count, population, value, lower, upper,
        confidence, statistic, method``: one row per force in the data, with
        :func:`sna.stats.rates.rate_ci` limits (exact below 10, Byars above). The
        rate covers the months selected and is not annualised. A force with
        no population (e.g. British Transport Police) gets missing rates.

    Examples
    --------
    >>> import tempfile
    >>> from sna.paths import raw_dir
    >>> tmp = tempfile.TemporaryDirectory()
    >>> out = Path(tmp.name) / "cumbria"
    >>> from sna.io.national import ingest_to_parquet_dataset
    >>> _ = ingest_to_parquet_dataset(raw_dir() / "shipped/police_uk/cumbria", out)
    >>> rates = force_rates(out, where={"crime_type": "Robbery"})
    >>> rates[["force", "population", "method"]].values.tolist()
    [['Cumbria Constabulary', 499873, 'Byars']]
    >>> tmp.cleanup()
    """
    population = pfa_population() if population_by_pfa is None else population_by_pfa
    missing = [c for c in ("pfa24_name", "population") if c not in population]
    if missing:
        raise SnaInputError(f"population_by_pfa has no column '{missing[0]}'",
                            column=missing[0], fix="give columns pfa24_name and population, "
                                                   "e.g. from pfa_population()")
    counts = counts_by(dataset, by="force", where=where, months=months)
    counts["pfa24_name"] = counts["force"].map(pfa_of_force)
    table = counts.merge(population[["pfa24_name", "population"]], on="pfa24_name", how="left",
                         validate="many_to_one")
    rates = rate_ci(table["count"], table["population"].astype(float), multiplier=multiplier,
                    conf=conf)
    out = table[["force", "pfa24_name", "count", "population"]].reset_index(drop=True)
    columns = ["value", "lower", "upper", "confidence", "statistic", "method"]
    return pd.concat([out, rates[columns].reset_index(drop=True)], axis=1)
