"""Argument checks shared by every layer: one function per rule, one message per rule.

A parameter is checked by the same function when a params file is validated and
when the statistic runs, so a value that passes validation never fails half-way
through a notebook. Every check raises :class:`~sna.errors.SnaInputError` naming
the argument (``column``), the value and how to fix it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import numpy as np
import pandas as pd

from sna.errors import SnaInputError

__all__ = [
    "CONF_RANGE",
    "check_conf",
    "check_count",
    "check_counts",
    "check_denominators",
    "check_multiplier",
    "check_whole_number",
    "is_number",
    "require_columns",
]

CONF_RANGE = (0.9, 1.0)
"""Confidence levels every method accepts: ``0.9 <= conf < 1`` (as PHEindicatormethods)."""


def is_number(value: object) -> bool:
    """Whether ``value`` is a real number (an int, float or numpy real, not a bool).

    The one test of "is this a number" in sna (checks, table cells, wording).

    Parameters
    ----------
    value : object
        Anything.

    Returns
    -------
    bool
        True for an int, float or numpy real that is not a bool.

    Examples
    --------
    >>> is_number(0.95), is_number(np.int64(3)), is_number(True), is_number("0.95")
    (True, True, False, False)
    """
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_conf(conf: object, *, file: str | None = None) -> float:
    """Check a confidence level and return it as a float.

    Every interval and test in sna accepts ``0.9 <= conf < 1`` (:data:`CONF_RANGE`,
    the range of PHEindicatormethods); the params validators use this same check.

    Parameters
    ----------
    conf : float
        Confidence level as a fraction (0.95, 0.998).
    file : str, optional
        The params file the value came from, named in the error.

    Returns
    -------
    float

    Raises
    ------
    SnaInputError
        Not a number, or outside ``[0.9, 1)`` (e.g. 95 for 95%, or 0.8).

    Examples
    --------
    >>> check_conf(0.998)
    0.998
    >>> try:
    ...     check_conf(0.8)
    ... except SnaInputError as err:
    ...     print(err.problem)
    conf must be a confidence level in [0.9, 1), got 0.8
    """
    low, high = CONF_RANGE
    if not is_number(conf) or not low <= conf < high:
        raise SnaInputError(f"conf must be a confidence level in [{low:g}, {high:g}), got {conf!r}",
                            fix="use a fraction such as 0.95 or 0.998 (not 95 or 99.8)",
                            column="conf", value=conf, file=file)
    return float(conf)


def check_multiplier(multiplier: object, *, name: str = "multiplier") -> float:
    """Check a rate's multiplier (100 for a percentage, 100000 per 100,000).

    Parameters
    ----------
    multiplier : object
        The multiplier given.
    name : str, default "multiplier"
        The argument's name, for the message.

    Returns
    -------
    float or int
        The multiplier, unchanged.

    Examples
    --------
    >>> check_multiplier(1000)
    1000
    """
    if not is_number(multiplier) or not multiplier > 0:
        raise SnaInputError(f"{name} must be a positive number, got {multiplier!r}",
                            fix="use e.g. 100000 for a rate per 100,000 or 100 for a percentage",
                            column=name, value=multiplier)
    return multiplier


def check_whole_number(value: object, name: str, *, minimum: int = 0) -> int:
    """Check a whole-number setting (an ``int``, not a float or a bool) of at least ``minimum``.

    Parameters
    ----------
    value : object
        The setting given.
    name : str
        The setting's name, for the message.
    minimum : int, default 0
        The smallest allowed value.

    Returns
    -------
    int

    Examples
    --------
    >>> check_whole_number(10, "min_count", minimum=1)
    10
    >>> try:
    ...     check_whole_number(5.0, "min_count", minimum=1)
    ... except SnaInputError as err:
    ...     print(err.problem)
    min_count must be a whole number of at least 1
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise SnaInputError(f"{name} must be a whole number of at least {minimum}",
                            fix=f"set {name} to an integer such as {max(minimum, 5)}",
                            column=name, value=value)
    return int(value)


def check_count(value: object, *, name: str = "count") -> int:
    """Check one count of events (a whole number >= 0, possibly stored as a float).

    Parameters
    ----------
    value : object
        The count given (an int, or a whole float).
    name : str, default "count"
        The argument's name, for the message.

    Returns
    -------
    int

    Examples
    --------
    >>> check_count(12.0, name="count_a")
    12
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise SnaInputError(f"{name} is missing", fix=f"give {name} as a whole number >= 0",
                            column=name, value=value)
    if not is_number(value) or value < 0 or int(value) != value:
        raise SnaInputError(f"{name} must be a whole number >= 0, got {value!r}",
                            fix="check the counts passed in", column=name, value=value)
    return int(value)


def _check_values(values: np.ndarray, name: str, *, minimum: float, strict: bool,
                  fix: str) -> None:
    bad = values <= minimum if strict else values < minimum
    if np.any(bad):
        position = int(np.flatnonzero(bad)[0])
        relation = "greater than" if strict else "at least"
        raise SnaInputError(f"{name} must be {relation} {minimum:g}; found {values[position]:g} "
                            f"at position {position} ({int(bad.sum())} such values)",
                            fix=fix, column=name, value=float(values[position]))


def check_counts(values: np.ndarray, *, name: str = "count") -> None:
    """Check an array of counts: none negative (missing values pass).

    Parameters
    ----------
    values : numpy.ndarray
        The counts, as floats (missing values pass).
    name : str, default "count"
        The column's name, for the message.

    Examples
    --------
    >>> check_counts(np.array([0.0, 3.0, np.nan]))
    """
    _check_values(values, name, minimum=0, strict=False,
                  fix=f"{name} is a number of events: correct or drop negative values")


def check_denominators(values: np.ndarray, *, name: str = "denominator") -> None:
    """Check an array of denominators: all greater than zero (missing values pass).

    Parameters
    ----------
    values : numpy.ndarray
        The denominators, as floats (missing values pass).
    name : str, default "denominator"
        The column's name, for the message.

    Examples
    --------
    >>> check_denominators(np.array([100.0, 2500.0]))
    """
    _check_values(values, name, minimum=0, strict=True,
                  fix=f"{name} must be a positive population: drop areas with no population "
                      "or correct the figure")


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, what: str = "") -> None:
    """Check that a table has the named columns.

    Parameters
    ----------
    frame : pandas.DataFrame
    columns : iterable of str
    what : str, optional
        What the columns are for (``"count"``, ``"by"``), to start the message.

    Raises
    ------
    SnaInputError
        Naming the absent columns and listing the table's columns.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"count": [1]}), ["count"])
    >>> try:
    ...     require_columns(pd.DataFrame({"count": [1]}), ["count", "population"], what="rate")
    ... except SnaInputError as err:
    ...     print(err.problem)
    rate column(s) ['population'] not found in the data
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        label = f"{what} column(s)" if what else "column(s)"
        raise SnaInputError(f"{label} {missing} not found in the data",
                            fix=f"pass the names of existing columns (have: {list(frame.columns)})",
                            column=str(missing[0]))
