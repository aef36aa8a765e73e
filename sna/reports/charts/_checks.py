"""Guards that keep record-level data out of charts, and the chart-plus-alt-text type."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import altair as alt
import pandas as pd

from sna.errors import SnaInputError
from sna.wording import format_count

MAX_CHART_ROWS = 5000

# Column names (lower case, non-alphanumerics removed) that identify a record or a person.
_IDENTIFIER_NAMES = frozenset({
    "id", "uuid", "urn", "crimeid", "crimeref", "crimereference", "crimenumber", "crimeno",
    "recordid", "occurrenceid", "occurrenceref", "incidentid", "incidentref", "incidentnumber",
    "personid", "victimid", "offenderid", "suspectid", "nominalid", "caseid", "casereference",
    "latitude", "longitude", "lat", "lon", "lng", "easting", "northing", "postcode",
})
_HASH_ID = re.compile(r"^[0-9a-f]{64}$")


class DescribedChart(NamedTuple):
    """A chart and the alt text that describes it.

    Every chart function in :mod:`sna.reports.charts` returns one. It unpacks as a pair
    (``chart, alt_text = monthly_counts_chart(...)``) and can be passed straight
    to :func:`sna.reports.charts.figure`.

    Attributes
    ----------
    chart : altair.TopLevelMixin
        The Altair chart (data already aggregated and reduced to the encoded columns).
    alt : str
        A generated description of what the chart shows and its key facts.
    """

    chart: alt.TopLevelMixin
    alt: str


def _normalised(name: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def _hash_id_column(frame: pd.DataFrame) -> object | None:
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_string_dtype(values) or values.dtype == object:
            sample = values.dropna().astype(str).head(20)
            if len(sample) and sample.str.fullmatch(_HASH_ID).all():
                return column
    return None


def ensure_aggregated(df: pd.DataFrame, *, max_rows: int = MAX_CHART_ROWS) -> pd.DataFrame:
    """Refuse frames that look record-level before they reach a chart.

    Altair embeds every row and column of the frame it is given in the chart
    specification, and raises ``MaxRowsError`` above 5,000 rows. Charts must get
    aggregated, disclosure-controlled tables.

    Parameters
    ----------
    df : pandas.DataFrame
        The frame a chart is about to be given.
    max_rows : int, default 5000
        Most rows allowed.

    Returns
    -------
    pandas.DataFrame
        ``df`` itself, unchanged, when it passes.

    Raises
    ------
    SnaInputError
        More than ``max_rows`` rows; a column named like a record or person
        identifier or a point location (``Crime ID``, ``id``, ``Latitude``,
        ``postcode``...); or a text column holding 64-character hexadecimal
        police.uk crime IDs.

    Examples
    --------
    >>> import pandas as pd
    >>> ensure_aggregated(pd.DataFrame({"month": ["2024-01"], "count": [3]})).shape
    (1, 2)
    >>> ensure_aggregated(pd.DataFrame({"Crime ID": ["a"], "count": [1]}))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sna.errors.SnaInputError: column 'Crime ID': ...
    """
    if not isinstance(df, pd.DataFrame):
        raise SnaInputError(f"charts need a pandas DataFrame, got {type(df).__name__}",
                            fix="pass the aggregated table as a DataFrame")
    if len(df) > max_rows:
        raise SnaInputError(
            f"the chart data has {format_count(len(df))} rows, more than the "
            f"{format_count(max_rows)} allowed",
            fix="aggregate first (e.g. counts by month and area) and chart the aggregated, "
                "suppressed table, never record-level data", value=len(df))
    for column in df.columns:
        if _normalised(column) in _IDENTIFIER_NAMES:
            raise SnaInputError(
                f"column {column!r} looks like a record identifier or point location, so the "
                "frame looks record-level", column=str(column),
                fix="aggregate first and drop identifier and location columns before charting")
    hashed = _hash_id_column(df)
    if hashed is not None:
        raise SnaInputError(
            f"column {hashed!r} holds 64-character police.uk crime IDs", column=str(hashed),
            fix="aggregate first and drop identifier columns before charting")
    return df


def select_columns(df: pd.DataFrame, required: Sequence[str],
                   optional: Sequence[str] = (), *, chart: str) -> pd.DataFrame:
    """Check a frame and return a copy holding only the columns a chart encodes.

    Parameters
    ----------
    df : pandas.DataFrame
        Aggregated input.
    required, optional : sequence of str
        Columns that must be present, and columns used when present.
    chart : str
        Name of the calling chart function, for messages.

    Returns
    -------
    pandas.DataFrame
        A copy with the required and present optional columns, in that order,
        and a fresh RangeIndex.

    Raises
    ------
    SnaInputError
        From :func:`ensure_aggregated`, an empty frame, or a missing column.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": [1], "b": [2], "secret": [3]})
    >>> select_columns(frame, ["a"], ["b", "c"], chart="demo").columns.tolist()
    ['a', 'b']
    """
    ensure_aggregated(df)
    if df.empty:
        raise SnaInputError(f"{chart} was given an empty table", fix="check the filter that "
                            "produced it; there is nothing to chart")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise SnaInputError(
            f"{chart} needs column(s) {missing}; the table has {list(map(str, df.columns))}",
            column=missing[0], fix=f"rename or add the columns {list(required)}")
    keep = list(required) + [c for c in optional if c in df.columns]
    return df.loc[:, keep].reset_index(drop=True).copy()


def numeric_column(frame: pd.DataFrame, column: str, *, positive: bool = False) -> pd.Series:
    """Return ``frame[column]`` as float64 (missing as NaN), or raise if it is not numeric.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    column : str
        Column to convert.
    positive : bool, default False
        Also require every present value to be > 0 (for log scales and funnels).

    Returns
    -------
    pandas.Series of float64

    Raises
    ------
    SnaInputError
        The column holds text, or a value <= 0 when ``positive``.

    Examples
    --------
    >>> import pandas as pd
    >>> numeric_column(pd.DataFrame({"n": pd.array([1, None], dtype="Int64")}), "n").tolist()
    [1.0, nan]
    """
    values = frame[column]
    if not (pd.api.types.is_numeric_dtype(values) or values.isna().all()):
        raise SnaInputError(f"column {column!r} must be numeric, got {values.dtype}",
                            column=column, fix="convert the column to numbers; use missing "
                            "values (NaN) for suppressed or unavailable cells")
    out = values.astype("float64")
    if positive and (out <= 0).any():
        bad = out[out <= 0].iloc[0]
        raise SnaInputError(f"column {column!r} must be greater than zero, found {bad}",
                            column=column, value=bad,
                            fix="drop rows with zero or negative values before charting")
    return out


def check_text(value: object, name: str) -> str:
    """Return ``value`` stripped, or raise if it is not a non-empty string.

    Parameters
    ----------
    value : object
        A title, source or alt text.
    name : str
        Parameter name for the message.

    Returns
    -------
    str

    Raises
    ------
    SnaInputError
        ``value`` is not a string or is blank.

    Examples
    --------
    >>> check_text("  Monthly counts ", "title")
    'Monthly counts'
    """
    if not isinstance(value, str) or not value.strip():
        raise SnaInputError(f"{name} must be a non-empty string, got {value!r}", column=name,
                            value=value, fix=f"pass {name}='...' describing the chart")
    return value.strip()
