"""National and similar-area benchmarks from the shipped police.uk 2025 aggregate.

The study area, England and Wales, and each similar council are counted the same way:
offences in the chosen police.uk crime types in the LSOAs of the area, over the same
twelve months, from the national aggregate (:mod:`sna.io.national_counts`), per 1,000
Census 2021 usual residents. An LSOA counts only when the force covering it (by its
council's police force area) has data for **every** month of the window: force-months
the source lacks are no data, never zero, so such councils are left out and listed.

The rurality-standardised ratio compares the area's count with the count expected if
each of its rural-urban classes had the national (England and Wales, covered LSOAs)
rate of that class: indirect standardisation with the national RUC reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from sna.errors import SnaInputError
from sna.stats.rates import compare_to_benchmark, rate_ci

__all__ = [
    "Benchmarks",
    "benchmark_rates",
    "national_lsoa_table",
    "window_months",
]

PER_1000 = 1000


def window_months(last_month: str, *, months: int = 12) -> list[str]:
    """The ``months`` months ending with ``last_month`` (``YYYY-MM``).

    Parameters
    ----------
    last_month : str
        The window's last month (``"YYYY-MM"``).
    months : int, default 12
        The window's length.

    Returns
    -------
    list of str
        The months, oldest first.

    Examples
    --------
    >>> window_months("2025-12", months=2)
    ['2025-11', '2025-12']
    """
    end = pd.Period(last_month, freq="M")
    return [str(end - k) for k in range(months - 1, -1, -1)]


def national_lsoa_table(crime_types, last_month: str) -> pd.DataFrame:
    """Offences per LSOA 2021 in England and Wales over the 12 months to ``last_month``.

    Parameters
    ----------
    crime_types : iterable of str
        The police.uk crime types counted.
    last_month : str
        The last month of the 12 (``"YYYY-MM"``).

    Returns
    -------
    pandas.DataFrame
        One row per LSOA: ``lsoa21_code, ltla24_code, ltla24_name, pfa24_name, force,
        covered, count, population, ruc21_code``. ``covered`` is True when the LSOA's
        force has data for all 12 months; ``count`` is missing otherwise.

    Raises
    ------
    SnaInputError
        The window is not inside the aggregate's months (2025).

    Examples
    --------
    >>> t = national_lsoa_table(["Robbery"], "2025-12")
    >>> len(t), int(t["covered"].sum()) < len(t)
    (35672, True)
    """
    return _national_lsoa_table(tuple(sorted(crime_types)), last_month).copy()


@cache
def _national_lsoa_table(crime_types: tuple[str, ...], last_month: str) -> pd.DataFrame:
    from sna.io.area import force_slug
    from sna.io.geography import lsoa21_lookup, lsoa_profile
    from sna.io.national_counts import force_months, national_counts

    months = window_months(last_month)
    coverage = force_months()
    available = sorted({m for ms in coverage.values() for m in ms})
    if not set(months) <= set(available):
        raise SnaInputError(
            f"the national police.uk aggregate covers {available[0]} to {available[-1]} only, "
            f"not the 12 months to {last_month}", column="last_month", value=last_month,
            fix="use a year inside the national aggregate for the benchmarks")
    counts = national_counts()
    chosen = counts[counts["month"].isin(months) & counts["crime_type"].isin(list(crime_types))]
    by_lsoa = chosen.dropna(subset=["lsoa21_code"]).groupby("lsoa21_code")["offences"].sum()
    lookup = lsoa21_lookup()[["lsoa21_code", "ltla24_code", "ltla24_name", "pfa24_name"]]
    table = lsoa_profile(lookup)[["lsoa21_code", "ltla24_code", "ltla24_name", "pfa24_name",
                                  "usual_residents", "ruc21_code"]]
    table = table.rename(columns={"usual_residents": "population"})
    table["ruc21_code"] = table["ruc21_code"].astype(str)
    table["force"] = table["pfa24_name"].map(force_slug)
    table["covered"] = table["force"].map(
        lambda f: set(months) <= set(coverage.get(f, []))).astype(bool)
    table["count"] = table["lsoa21_code"].map(by_lsoa).fillna(0).astype("Int64")
    table.loc[~table["covered"], "count"] = pd.NA
    return table


@dataclass(frozen=True)
class Benchmarks:
    """Rates of the study area, England and Wales and the similar councils.

    Attributes
    ----------
    rates : pandas.DataFrame
        ``label, kind, count, population, value, lower, upper, comparison`` (comparison
        with the England and Wales rate, Fingertips single-overlap rule).
    national_rate : float
        England and Wales rate per 1,000 (covered LSOAs).
    national_coverage : float
        Share of England and Wales residents in covered LSOAs.
    ratio : pandas.DataFrame
        The area's rurality-standardised ratio (``observed, expected, value, lower, upper``).
    not_covered : list of str
        Similar councils left out because their force lacks months of data.
    """

    rates: pd.DataFrame
    national_rate: float
    national_coverage: float
    ratio: pd.DataFrame
    not_covered: list[str]


def benchmark_rates(table: pd.DataFrame, area_lsoas, area_label: str, similar: pd.DataFrame,
                    *, conf: float = 0.95) -> Benchmarks:
    """The area, England and Wales and its similar councils per 1,000, with intervals.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`national_lsoa_table`.
    area_lsoas : collection of str
        The study area's LSOAs.
    area_label : str
    similar : pandas.DataFrame
        ``unit, name`` of the similar councils (:func:`sna.stats.similar_areas.similar_areas`).
    conf : float, default 0.95

    Returns
    -------
    Benchmarks
        The rates table (area, England and Wales, similar councils) and the national
        rate and coverage.

    Raises
    ------
    SnaInputError
        The study area's own force lacks months of data in the window.
    """
    from sna.stats.rurality import rurality_standardised_ratio

    covered = table[table["covered"]].assign(count=lambda d: d["count"].astype(int))
    area = table[table["lsoa21_code"].isin(set(area_lsoas))]
    if not area["covered"].all():
        forces = ", ".join(sorted(area.loc[~area["covered"], "pfa24_name"].unique()))
        raise SnaInputError(f"the national aggregate has no data for some months of {forces}",
                            fix="benchmarks need all 12 months of the area's force")
    area = area.assign(count=area["count"].astype(int))
    rows = [(area_label, "study area", int(area["count"].sum()), float(area["population"].sum())),
            ("England and Wales (forces with data)", "national", int(covered["count"].sum()),
             float(covered["population"].sum()))]
    not_covered = []
    for unit, name in similar[["unit", "name"]].itertuples(index=False):
        own = table[table["ltla24_code"] == unit]
        if not own["covered"].all():
            not_covered.append(name)
            continue
        rows.append((name, "similar council", int(own["count"].sum()),
                     float(own["population"].sum())))
    frame = pd.DataFrame(rows, columns=["label", "kind", "count", "population"])
    ci = rate_ci(frame["count"], frame["population"], multiplier=PER_1000, conf=conf)
    frame = pd.concat([frame, ci[["value", "lower", "upper"]]], axis=1)
    national = frame.loc[1, "value"]
    frame["comparison"] = compare_to_benchmark(frame["value"], frame["lower"], frame["upper"],
                                               national)["comparison"].to_numpy()
    frame.loc[1, "comparison"] = "benchmark"
    ratio = rurality_standardised_ratio(area.assign(area=area_label), covered,
                                        ruc_column="ruc21_code",
                                        area="area", conf=conf)
    share = covered["population"].sum() / table["population"].sum()
    return Benchmarks(frame, float(national), float(share), ratio, not_covered)
