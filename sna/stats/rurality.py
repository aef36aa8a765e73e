"""Rates that take account of rurality: by rural-urban class and standardised for it.

A partnership often joins sparse rural districts with an urban centre, so crude rates
compare places with different rural-urban mixes. Three views (see
``sna/stats/methods_rurality.md``):

* :func:`rates_by_rurality` - the crude rate in each ONS Rural-Urban class (descriptive);
* :func:`rurality_standardised_ratio` - indirect standardisation with the class as the
  stratum: observed / expected, where expected applies a reference's class rates to the
  area's own population mix (each area against the reference; robust for small counts);
* :func:`rurality_standardised_rate` - direct standardisation to a standard class mix
  (Dobson limits; areas comparable with each other, needs people in every class).

Inputs are tidy frames with one row per area (or LSOA) and class: an area column, a
class column (``ruc21_code`` by default; 2011 codes A1..E2 work too), a count and a
population. Both ONS schemes are recognised; other class sets can be passed as
``classes``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from sna.errors import SnaInputError
from sna.stats.rates import (
    DOBSON,
    _as_float_array,
    _check_measure,
    _group_list,
    check_counts,
    dsr,
    isr,
    rate_ci,
    require_columns,
)
from sna.wording import conf_label, format_count, format_number

__all__ = [
    "rates_by_rurality",
    "ruc_scheme",
    "rurality_ratios",
    "rurality_standardised_rate",
    "rurality_standardised_ratio",
]

RUC2011 = {
    "A1": "Urban major conurbation",
    "B1": "Urban minor conurbation",
    "C1": "Urban city and town",
    "C2": "Urban city and town in a sparse setting",
    "D1": "Rural town and fringe",
    "D2": "Rural town and fringe in a sparse setting",
    "E1": "Rural village and dispersed",
    "E2": "Rural village and dispersed in a sparse setting",
}
RUC2021 = {
    "UN1": "Urban: Nearer to a major town or city",
    "UF1": "Urban: Further from a major town or city",
    "RLN1": "Larger rural: Nearer to a major town or city",
    "RLF1": "Larger rural: Further from a major town or city",
    "RSN1": "Smaller rural: Nearer to a major town or city",
    "RSF1": "Smaller rural: Further from a major town or city",
}
RUC_LABELS = RUC2011 | RUC2021
_ALL = "_all_areas"
REASON_MISSING_CLASS = "no population in class(es) {}; direct standardisation needs every class"


def ruc_scheme(codes: Iterable[str]) -> str:
    """Name the ONS Rural-Urban scheme of some class codes: "2011" or "2021".

    Parameters
    ----------
    codes : iterable of str
        Rural-Urban class codes.

    Returns
    -------
    str
        ``"2011"`` or ``"2021"``.

    Raises
    ------
    SnaInputError
        Codes outside both schemes, or codes from both schemes mixed.

    Examples
    --------
    >>> ruc_scheme(["UN1", "RSF1"]), ruc_scheme(["C1", "E2"])
    ('2021', '2011')
    """
    found = set(codes)
    unknown = sorted(found - set(RUC_LABELS), key=str)
    if unknown:
        raise SnaInputError(f"unknown rural-urban class(es) {unknown}",
                            fix=f"use ONS RUC2011 codes {list(RUC2011)} or RUC2021 codes "
                                f"{list(RUC2021)}, or pass classes= with your own class set",
                            column="ruc", value=unknown[0])
    if found & set(RUC2011) and found & set(RUC2021):
        raise SnaInputError("rural-urban classes mix the 2011 and 2021 schemes",
                            fix="join one RUC lookup: RUC2011 on LSOA 2011 codes or RUC2021 on "
                                "LSOA 2021 codes", column="ruc")
    return "2011" if found <= set(RUC2011) else "2021"


def _class_order(codes: Iterable[str], classes: Sequence[str] | None) -> list[str]:
    """Validated classes in their natural order (scheme order or as given)."""
    codes = list(codes)
    if classes is None:
        scheme = RUC2011 if ruc_scheme(codes) == "2011" else RUC2021
        return [c for c in scheme if c in set(codes)]
    unknown = sorted(set(codes) - set(classes), key=str)
    if unknown:
        raise SnaInputError(f"unknown rural-urban class(es) {unknown}",
                            fix=f"use only the classes passed in classes= ({list(classes)})",
                            column="ruc", value=unknown[0])
    return [c for c in classes if c in set(codes)]


def _by_class(data: pd.DataFrame, keys: list[str], ruc_column: str, count: str | None,
              population: str, classes: Sequence[str] | None) -> pd.DataFrame:
    """Counts (missing = 0; none if ``count`` is None) and populations by ``keys`` + class."""
    require_columns(data, [*keys, ruc_column, population] + ([count] if count else []))
    if data[ruc_column].isna().any():
        raise SnaInputError(f"{format_count(data[ruc_column].isna().sum())} rows have no "
                            "rural-urban class",
                            fix="join the RUC lookup on the matching LSOA vintage, "
                            "or drop rows with no location first", column=ruc_column)
    order = _class_order(data[ruc_column].astype(str).unique(), classes)
    frame = data[[*keys, ruc_column]].copy()
    frame[ruc_column] = frame[ruc_column].astype(str)
    frame["count"] = (np.nan_to_num(_as_float_array(data[count], count), nan=0.0)
                      if count else 0.0)
    frame["population"] = _as_float_array(data[population], population)
    if frame["population"].isna().any():
        raise SnaInputError(f"column '{population}' has missing values",
                            fix="give every row its population (0 if nobody lives there)",
                            column=population)
    check_counts(frame["count"].to_numpy(), name=count or "count")
    check_counts(frame["population"].to_numpy(), name=population)
    summed = frame.groupby([*keys, ruc_column], sort=False, dropna=False).sum().reset_index()
    empty = summed["population"] == 0
    if (empty & (summed["count"] > 0)).any():
        where = summed.loc[empty & (summed["count"] > 0)].iloc[0]
        raise SnaInputError(f"events but no population in class {where[ruc_column]}"
                            + (f" of {tuple(where[keys])}" if keys else ""),
                            fix="check the population join (LSOA vintage) for that class",
                            column=population)
    rank = {c: i for i, c in enumerate(order)}
    summed = summed.loc[~empty]
    area_order = summed.groupby(keys, sort=False).ngroup() if keys else 0
    summed = summed.assign(_area=area_order, _rank=summed[ruc_column].map(rank))
    return summed.sort_values(["_area", "_rank"], kind="stable").drop(columns=["_area", "_rank"])


def rates_by_rurality(data: pd.DataFrame, *, ruc_column: str = "ruc21_code",
                      count: str = "count", population: str = "population",
                      area: str | Sequence[str] | None = None,
                      classes: Sequence[str] | None = None, multiplier: float = 100_000,
                      conf: float = 0.95) -> pd.DataFrame:
    """Crude rate with confidence limits in each rural-urban class (the descriptive view).

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy rows (e.g. one per LSOA) with a class, a count and a population.
    ruc_column : str, default "ruc21_code"
        Class column: ONS RUC2021 (UN1 ... RSF1) or RUC2011 (A1 ... E2) codes.
    count, population : str
        Column names. Missing counts are zero; populations must be present.
    area : str or list of str, optional
        Columns to split by (e.g. "area"); rates for the whole frame if omitted.
    classes : sequence of str, optional
        An own class set (e.g. ``["Urban", "Rural"]``) instead of an ONS scheme.
    multiplier : float, default 100000
    conf : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per area and class (classes in scheme order; classes with no
        population left out): area columns, the class, ``ruc_label``, then the
        columns of :func:`sna.stats.rates.rate_ci`.

    Raises
    ------
    SnaInputError
        Missing columns, unknown or mixed classes, negative counts, missing
        populations, events in a class with no population.

    Examples
    --------
    >>> df = pd.DataFrame({"ruc21_code": ["UN1", "RSF1", "UN1"], "count": [30, 4, 20],
    ...                    "population": [10_000, 2_000, 5_000]})
    >>> out = rates_by_rurality(df)
    >>> out[["ruc21_code", "count", "value", "method"]].to_numpy().tolist()
    [['UN1', 50.0, 333.33333333333337, 'Byars'], ['RSF1', 4.0, 200.0, 'Exact']]
    """
    keys = _group_list(area)
    summed = _by_class(data, keys, ruc_column, count, population, classes).reset_index(drop=True)
    rates = rate_ci(summed["count"], summed["population"], multiplier=multiplier, conf=conf)
    out = summed[[*keys, ruc_column]].copy()
    out["ruc_label"] = out[ruc_column].map(RUC_LABELS).fillna(out[ruc_column]).astype("str")
    out[["count", "population"]] = summed[["count", "population"]]
    return out.join(rates.drop(columns=["count", "denominator"]))


def _reference_by_class(reference: pd.DataFrame, ruc_column: str, ref_count: str,
                        ref_population: str, classes: Sequence[str] | None) -> pd.DataFrame:
    table = _by_class(reference, [], ruc_column, ref_count, ref_population, classes)
    return table.rename(columns={"count": "ref_count", "population": "ref_population"})


def rurality_standardised_ratio(data: pd.DataFrame, reference: pd.DataFrame,
                                *, ruc_column: str = "ruc21_code",
                                area: str | Sequence[str] | None = "area",
                                count: str = "count", population: str = "population",
                                ref_count: str | None = None, ref_population: str | None = None,
                                classes: Sequence[str] | None = None, measure: str = "ratio",
                                refvalue: float = 1, multiplier: float = 100_000,
                                conf: float = 0.95) -> pd.DataFrame:
    """Observed / expected events, expected from a reference's rural-urban class rates.

    Indirect standardisation with the class as the stratum: expected =
    sum over classes of (reference rate in the class x the area's population in the
    class). A ratio above 1 means more events than the reference's rates would give an
    area with this rural-urban mix.

    Use it to compare each area with the reference (the force, the region, or a set of
    comparator forces) when counts are small or some classes are empty in an area. Two
    areas' ratios are each relative to their own mix, so rank areas with care; for
    comparing areas with each other use :func:`rurality_standardised_rate`.

    Parameters
    ----------
    data : pandas.DataFrame
        Rows with area, class, count and population (e.g. one per LSOA).
    reference : pandas.DataFrame
        Rows with the class and the reference's counts and populations (any number of
        rows per class; summed). It may be ``data`` itself (the areas' total).
    ruc_column : str, default "ruc21_code"
    area : str or list of str, optional, default "area"
        Columns identifying an area; None for one ratio for the whole frame.
    count, population : str
        Columns of ``data``.
    ref_count, ref_population : str, optional
        Columns of ``reference``; default ``count`` and ``population``.
    classes : sequence of str, optional
        Own class set instead of an ONS scheme.
    measure : {"ratio", "rate"}, default "ratio"
        "rate" multiplies the ratio by the reference's crude rate (column ``ref_rate``).
    refvalue : float, default 1
        Scale of the ratio (100 for a ratio x 100).
    multiplier : float, default 100000
        Rate per ``multiplier`` (measure "rate").
    conf : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per area: area columns, ``observed, expected, value, lower, upper,
        confidence, statistic, method, reason`` (``value`` is the ratio; limits exact
        for observed < 10, else Byars, divided by expected).

    Raises
    ------
    SnaInputError
        As :func:`rates_by_rurality`, or a class with people in ``data`` but none in
        ``reference``.

    Examples
    --------
    >>> df = pd.DataFrame({"area": ["York", "York", "Rural", "Rural"],
    ...                    "ruc21_code": ["UN1", "RSF1", "UN1", "RSF1"],
    ...                    "count": [90, 2, 10, 18], "population": [9_000, 1_000, 1_000, 9_000]})
    >>> out = rurality_standardised_ratio(df, reference=df)
    >>> out[["area", "observed", "expected", "value"]].round(2).to_numpy().tolist()
    [['York', 92.0, 92.0, 1.0], ['Rural', 28.0, 28.0, 1.0]]

    Both areas have the reference's rate in each class: the crude rates (920 and 280
    per 100,000) differ only because of their rural-urban mix.
    """
    _check_measure(measure)
    keys = _group_list(area)
    table = _by_class(data, keys, ruc_column, count, population, classes)
    ref = _reference_by_class(reference, ruc_column, ref_count or count,
                              ref_population or population, classes)
    absent = sorted(set(table[ruc_column]) - set(ref[ruc_column]))
    if absent:
        raise SnaInputError(f"class(es) {absent} have people in the data but none in the "
                            "reference", fix="use a reference that covers every class of the "
                            "areas (e.g. the region or a set of comparator forces)",
                            column=ruc_column, value=absent[0])
    merged = table.merge(ref, on=ruc_column, how="left")
    out = isr(merged, "count", "population", "ref_count", "ref_population", group=keys or None,
              measure="ratio", refvalue=refvalue if measure != "rate" else 1, conf=conf)
    if measure == "rate":  # the reference's crude rate over all its classes
        ref_rate = ref["ref_count"].sum() / ref["ref_population"].sum() * multiplier
        out[["value", "lower", "upper"]] *= ref_rate
        out.insert(out.columns.get_loc("value"), "ref_rate", ref_rate)
        out["statistic"] = f"indirectly standardised rate per {format_number(multiplier)}"
    out["statistic"] = out["statistic"] + " by rural-urban class"
    return out


def rurality_standardised_rate(data: pd.DataFrame, standard: pd.DataFrame,
                               *, ruc_column: str = "ruc21_code",
                               area: str | Sequence[str] | None = "area",
                               count: str = "count", population: str = "population",
                               standard_population: str | None = None,
                               classes: Sequence[str] | None = None,
                               multiplier: float = 100_000, conf: float = 0.95) -> pd.DataFrame:
    """Rate directly standardised to a standard rural-urban population mix (Dobson).

    Each area's class-specific rates are applied to one standard mix (e.g. England and
    Wales, or the force), so the resulting rates are comparable between areas. It needs
    people in every class that has weight in the standard, and enough events: the rate
    is suppressed when the area's total count is below 10, and its interval is wide when
    a heavily weighted class has few events. Otherwise use
    :func:`rurality_standardised_ratio`.

    Parameters
    ----------
    data : pandas.DataFrame
        Rows with area, class, count and population.
    standard : pandas.DataFrame
        Rows with the class and the standard population (summed by class).
    ruc_column : str, default "ruc21_code"
    area : str or list of str, optional, default "area"
    count, population : str
        Columns of ``data``.
    standard_population : str, optional
        Column of ``standard``; default ``population``.
    classes : sequence of str, optional
    multiplier : float, default 100000
    conf : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per area: area columns, ``total_count, total_population, value, lower,
        upper, confidence, statistic, method, reason``. ``reason`` explains a missing
        value ("total count < 10", or the classes where the area has nobody).

    Raises
    ------
    SnaInputError
        As :func:`rates_by_rurality`, or a class in ``data`` that the standard lacks.

    Examples
    --------
    >>> df = pd.DataFrame({"area": ["York", "York", "Rural", "Rural"],
    ...                    "ruc21_code": ["UN1", "RSF1", "UN1", "RSF1"],
    ...                    "count": [90, 2, 10, 18], "population": [9_000, 1_000, 1_000, 9_000]})
    >>> out = rurality_standardised_rate(df, standard=df)
    >>> out[["area", "total_count", "value"]].round(1).to_numpy().tolist()
    [['York', 92.0, 600.0], ['Rural', 28.0, 600.0]]
    """
    keys = _group_list(area) or [_ALL]
    frame = data.assign(**{_ALL: "all"}) if keys == [_ALL] else data
    table = _by_class(frame, keys, ruc_column, count, population, classes)
    weights = _by_class(standard, [], ruc_column, None, standard_population or population,
                        classes).rename(columns={"population": "standard"})
    absent = sorted(set(table[ruc_column]) - set(standard[ruc_column].astype(str)))
    if absent:
        raise SnaInputError(f"class(es) {absent} are not in the standard population",
                            fix="use a standard that covers every class in the data",
                            column=ruc_column, value=absent[0])
    zero_weight = sorted(set(table[ruc_column]) - set(weights[ruc_column]))
    weights = pd.concat([weights[[ruc_column, "standard"]],
                         pd.DataFrame({ruc_column: zero_weight, "standard": 0.0})])
    areas = table[keys].drop_duplicates()
    grid = (areas.merge(weights, how="cross").merge(table, on=[*keys, ruc_column], how="left")
            .fillna({"count": 0.0, "population": 0.0}))
    grid = grid.loc[(grid["population"] > 0) | (grid["standard"] > 0)]
    gaps = (grid.loc[grid["population"] == 0].groupby(keys, sort=False)[ruc_column]
            .agg(", ".join).rename("gap").reset_index())
    incomplete = grid[keys].merge(gaps, on=keys, how="left")["gap"].notna().to_numpy()
    parts = [_unstandardisable(grid.loc[incomplete], gaps, keys, multiplier, conf)]
    if not incomplete.all():
        parts.insert(0, dsr(grid.loc[~incomplete], "count", "population", "standard",
                            group=keys, multiplier=multiplier, conf=conf))
    out = areas.merge(pd.concat(parts, ignore_index=True), on=keys, how="left")
    out["statistic"] = out["statistic"] + " by rural-urban class"
    return out.drop(columns=_ALL, errors="ignore").reset_index(drop=True)


def _unstandardisable(grid: pd.DataFrame, gaps: pd.DataFrame, keys: list[str],
                      multiplier: float, conf: float) -> pd.DataFrame:
    """Rows for areas with nobody in a standard class: totals, no rate, the reason."""
    sums = grid.groupby(keys, sort=False)[["count", "population"]].sum().reset_index()
    sums = sums.rename(columns={"count": "total_count", "population": "total_population"})
    sums = sums.assign(value=np.nan, lower=np.nan, upper=np.nan,
                       confidence=conf_label(conf),
                       statistic=f"dsr per {format_number(multiplier)}", method=DOBSON)
    reasons = sums[keys].merge(gaps, on=keys, how="left")["gap"]
    sums["reason"] = [REASON_MISSING_CLASS.format(gap) for gap in reasons]
    return sums


def rurality_ratios(lsoas: pd.DataFrame, *, by: str = "district_name",
                    reference: pd.DataFrame | None = None, conf: float = 0.95,
                    ruc_column: str = "ruc21_code") -> pd.DataFrame:
    """Rurality-standardised ratio of each group of LSOAs (reference: all of them by default).

    Parameters
    ----------
    lsoas : pandas.DataFrame
        One row per LSOA with ``by``, ``ruc_column``, ``count`` and ``population``
        (e.g. a study area's :func:`sna.io.geography.lsoa_profile` with counts).
    by : str, default ``"district_name"``
        The groups compared.
    reference : pandas.DataFrame, optional
        Rows with ``ruc_column``, ``count`` and ``population``; default ``lsoas``.
    conf : float, default 0.95
    ruc_column : str, default ``"ruc21_code"``

    Returns
    -------
    pandas.DataFrame
        :func:`rurality_standardised_ratio` with ``area`` the group.

    Examples
    --------
    >>> df = pd.DataFrame({"district_name": ["a", "a", "b", "b"],
    ...                    "ruc21_code": ["UN1", "RLN1", "UN1", "RLN1"],
    ...                    "count": [20, 5, 10, 5], "population": [1000, 1000, 1000, 1000]})
    >>> rurality_ratios(df)["area"].tolist()
    ['a', 'b']
    """
    require_columns(lsoas, [by, ruc_column, "count", "population"])
    data = lsoas.rename(columns={by: "area"})
    data[ruc_column] = data[ruc_column].astype(str)
    ref = data if reference is None else reference
    return rurality_standardised_ratio(data, ref, ruc_column=ruc_column, area="area", conf=conf)
