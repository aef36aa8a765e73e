"""Tests for sna.stats.disclosure.

Expected values are worked out by hand in the comments (suppression patterns,
totals, rounding), or by an independent method: ``Decimal`` ROUND_HALF_UP for
rounding and graph connectivity (scipy.sparse.csgraph) for recoverability --
a suppressed entry of a table with margins is solvable exactly iff it lies on
no cycle of suppressed entries in the bipartite row/column graph.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal

import altair as alt
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from sna.errors import SnaInputError
from sna.stats.disclosure import (
    CHART_MAX_ROWS,
    DisclosurePolicy,
    chart_frame,
    is_recoverable,
    leak_check_values,
    recoverable_cells,
    round_counts,
    suppress_counts,
    suppress_crosstab,
    suppress_rates,
)

NA = pd.NA
FIVE = DisclosurePolicy(min_count=5)


def cells(mask: pd.DataFrame | pd.Series) -> set:
    """Labels of the True entries of a boolean mask."""
    if isinstance(mask, pd.Series):
        return set(mask.index[mask.to_numpy()])
    stacked = mask.stack()
    return set(stacked.index[stacked.to_numpy()])


# --------------------------------------------------------------------------------------
# policy


def test_policy_defaults_and_from_params():
    assert DisclosurePolicy() == DisclosurePolicy(5, None, "show", 10)
    assert DisclosurePolicy.from_params(None) == DisclosurePolicy()
    policy = DisclosurePolicy.from_params(
        {"min_count": 10, "round_to": 5, "zeros": "suppress", "unreliable_below": 20}
    )
    assert (policy.min_count, policy.round_to, policy.zeros, policy.unreliable_below) == (
        10, 5, "suppress", 20,
    )  # fmt: skip


def test_policy_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DisclosurePolicy().min_count = 1


@pytest.mark.parametrize(
    ("min_count", "round_to"),
    [(8, 5), (10, 5), (5, 5), (3, 5), (10, 10), (1, 10), (5, 1)],
)
def test_policy_accepts_rounding_that_keeps_counts_at_or_above_threshold(min_count, round_to):
    # 8 -> 10 (the HES rule: 1-7 suppressed, others to nearest 5); 3 -> 5; 10 -> 10
    DisclosurePolicy(min_count=min_count, round_to=round_to)


def test_footnote_names_threshold_rounding_and_reliability():
    note = DisclosurePolicy(min_count=10, round_to=5, zeros="suppress").footnote()
    assert "[c] Counts from 1 to 9 and zeros are suppressed" in note
    assert "rounded to the nearest 5" in note
    assert "[u] Counts below 10" in note
    assert DisclosurePolicy(min_count=1, unreliable_below=0).footnote() == ""


# --------------------------------------------------------------------------------------
# rounding and leak check


def test_round_counts_hand_values_base_5():
    values = [0, 1, 2, 2.5, 3, 7, 7.5, 8, 12, 12.5, 13, 17, 18, 22.5]
    expected = [0, 0, 0, 5, 5, 5, 10, 10, 10, 15, 15, 15, 20, 25]
    assert round_counts(values, base=5).tolist() == expected


def test_round_counts_halves_away_from_zero_not_to_even():
    # numpy rounds half to even (25 -> 20 at base 10); we round halves away from zero.
    assert round_counts([5, 15, 25, -25], base=10).tolist() == [10, 20, 30, -30]
    assert (np.round(np.array([25]) / 10) * 10).tolist() == [20.0]


def test_round_counts_series_keeps_index_and_missing():
    out = round_counts(pd.Series([3, None, 8], index=["a", "b", "c"], name="n"), base=5)
    assert out.dtype == "Int64" and out.name == "n"
    assert out.index.tolist() == ["a", "b", "c"]
    assert out.tolist() == [5, NA, 10]
    assert np.isnan(round_counts([np.nan], base=5)[0])


def test_leak_check_values_hand_cases():
    values = [0, 1, 4, 5, 9, 10, 4.5, 0.5, "3", "1,204", "[c]", None, np.nan, NA, True, -2]
    assert leak_check_values(values, threshold=5) == [1, 4, 4.5, 0.5, "3"]
    assert leak_check_values(values, threshold=10) == [1, 4, 5, 9, 4.5, 0.5, "3"]
    assert leak_check_values([1, 2], threshold=1) == []


# --------------------------------------------------------------------------------------
# tidy tables


def test_suppress_counts_primary_unreliable_and_note():
    table = pd.DataFrame({"lsoa": list("ABCDEFGH"), "crimes": [0, 1, 4, 5, 7, 9, 10, 40]})
    out = suppress_counts(table, "crimes", FIVE)
    assert out["crimes"].dtype == "Int64"
    assert out["crimes"].tolist() == [0, NA, NA, 5, 7, 9, 10, 40]
    assert out["suppressed_disclosure"].tolist() == [0, 1, 1, 0, 0, 0, 0, 0]
    # unreliable = published and below 10; never set on a suppressed count
    assert out["unreliable"].tolist() == [1, 0, 0, 1, 1, 1, 0, 0]
    assert out["note"].tolist()[:3] == [
        "[u] unreliable: count below 10",
        "[c] suppressed for disclosure control",
        "[c] suppressed for disclosure control",
    ]
    assert out["note"].iloc[-1] == ""
    assert table["crimes"].tolist() == [0, 1, 4, 5, 7, 9, 10, 40]  # input untouched


def test_seven_is_unreliable_not_suppressed():
    out = suppress_counts(pd.DataFrame({"n": [7]}), "n", FIVE)
    assert out["n"].tolist() == [7]
    assert out["suppressed_disclosure"].tolist() == [False]
    assert out["unreliable"].tolist() == [True]


def test_zeros_suppressed_when_policy_says_so():
    table = pd.DataFrame({"n": [0, 2, 12]})
    shown = suppress_counts(table, "n", FIVE)
    hidden = suppress_counts(table, "n", DisclosurePolicy(min_count=5, zeros="suppress"))
    assert shown["n"].tolist() == [0, NA, 12]
    assert hidden["n"].tolist() == [NA, NA, 12]
    assert hidden["suppressed_disclosure"].tolist() == [True, True, False]


def test_suppress_counts_rounds_published_counts():
    table = pd.DataFrame({"n": [3, 7, 8, 12, 13, 0]})
    out = suppress_counts(table, "n", DisclosurePolicy(min_count=5, round_to=5))
    # 3 suppressed; 7 -> 5, 8 -> 10, 12 -> 10, 13 -> 15, 0 -> 0; flags from unrounded counts
    assert out["n"].tolist() == [NA, 5, 10, 10, 15, 0]
    assert out["unreliable"].tolist() == [False, True, True, False, False, True]


def test_missing_count_gives_missing_output_without_flags():
    out = suppress_counts(pd.DataFrame({"n": [None, 20]}, dtype="Float64"), "n", FIVE)
    assert out["n"].tolist() == [NA, 20]
    assert out["suppressed_disclosure"].tolist() == [False, False]
    assert out["unreliable"].tolist() == [False, False]


def test_several_count_columns_get_their_own_flags():
    table = pd.DataFrame({"area": ["X", "Y"], "racial": [3, 30], "religious": [8, 1]})
    out = suppress_counts(table, ["racial", "religious"], FIVE)
    assert out["racial"].tolist() == [NA, 30]
    assert out["religious"].tolist() == [8, NA]
    assert out["suppressed_disclosure_racial"].tolist() == [True, False]
    assert out["suppressed_disclosure_religious"].tolist() == [False, True]
    assert out["unreliable_religious"].tolist() == [True, False]
    assert "suppressed_disclosure" not in out.columns
    assert out["note"].tolist() == [
        "racial: [c] suppressed for disclosure control; "
        "religious: [u] unreliable: count below 10",
        "religious: [c] suppressed for disclosure control",
    ]


def test_by_groups_get_a_complementary_suppression():
    table = pd.DataFrame(
        {
            "month": ["a"] * 3 + ["b"] * 2 + ["c"] * 3 + ["d"] * 3,
            "n": [3, 10, 8, 20, 30, 2, 0, 15, 1, 2, 30],
        }
    )
    out = suppress_counts(table, "n", FIVE, by="month")
    # a: 3 alone -> smallest other (8); b: nothing small; c: 2 alone -> 15, a positive
    # count before the 0; d: already two suppressed, nothing added.
    assert out["n"].tolist() == [NA, 10, NA, 20, 30, NA, 0, NA, NA, NA, 30]
    without_by = suppress_counts(table, "n", FIVE)
    assert without_by["n"].isna().sum() == 4


def test_suppress_counts_twice_changes_nothing():
    table = pd.DataFrame({"g": ["a", "a", "a"], "n": [3, 10, 8]})
    policy = DisclosurePolicy(min_count=5, round_to=5)
    once = suppress_counts(table, "n", policy, by="g")
    twice = suppress_counts(once, "n", policy, by="g")
    pd.testing.assert_frame_equal(once, twice)


def test_suppress_rates_blanks_value_and_limits():
    rates = pd.DataFrame(
        {
            "area": ["A", "B", "C"],
            "count": [3, 25, 8],
            "population": [1500, 2000, 1800],
            "value": [200.0, 1250.0, 444.4],
            "lower": [41.2, 808.9, 191.9],
            "upper": [584.5, 1845.2, 875.6],
        }
    )
    out = suppress_rates(rates, "count", FIVE)
    assert out[["count", "value", "lower", "upper"]].iloc[0].isna().all()
    assert out["value"].tolist()[1:] == [1250.0, 444.4]
    assert out["suppressed_disclosure"].tolist() == [True, False, False]
    assert out["unreliable"].tolist() == [False, False, True]
    assert out["population"].tolist() == [1500, 2000, 1800]


def test_suppress_rates_named_derived_columns():
    table = pd.DataFrame({"n": [2, 40], "pct": [4.8, 95.2], "label": ["x", "y"]})
    out = suppress_rates(table, "n", FIVE, derived_cols=["pct"])
    assert out["pct"].isna().tolist() == [True, False]
    assert out["label"].tolist() == ["x", "y"]


@settings(max_examples=100, deadline=None)
@given(
    counts=st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=1, max_size=30),
    min_count=st.sampled_from([3, 5, 10]),
)
def test_property_suppress_counts_publishes_no_small_count(counts, min_count):
    policy = DisclosurePolicy(min_count=min_count)
    out = suppress_counts(pd.DataFrame({"n": counts}), "n", policy)
    assert leak_check_values(out["n"].dropna().tolist(), min_count) == []
    assert not (out["suppressed_disclosure"] & out["unreliable"]).any()
    expected_suppressed = [1 <= c < min_count for c in counts]
    assert out["suppressed_disclosure"].tolist() == expected_suppressed


# --------------------------------------------------------------------------------------
# tables with totals


def _with_totals(table: pd.DataFrame) -> pd.DataFrame:
    """The unsuppressed table with row, column and grand totals (pandas sums)."""
    with_rows = table.assign(Total=table.sum(axis=1))
    return pd.concat([with_rows, with_rows.sum().to_frame("Total").T])


def test_crosstab_3x3_one_small_cell_hand_worked():
    table = pd.DataFrame(
        {"A": [20, 3, 30], "B": [12, 18, 22], "C": [15, 25, 40]}, index=["r1", "r2", "r3"]
    )
    result = suppress_crosstab(table, FIVE)
    # Only r2/A (3) is small. It needs a cycle of suppressed cells through it; the cheapest
    # closing path from column A back to row r2 (by hand, all 3-cell paths):
    #   r1A+r1B+r2B = 20+12+18 = 50   <- cheapest
    #   r1A+r1C+r2C = 20+15+25 = 60;  r3A+r3B+r2B = 30+22+18 = 70;  r3A+r3C+r2C = 95
    #   via totals (e.g. r1A + r1 total 47 + r2 total 46) > 100
    assert cells(result.primary) == {("r2", "A")}
    assert cells(result.secondary) == {("r1", "A"), ("r1", "B"), ("r2", "B")}
    expected = pd.DataFrame(
        {
            "A": [NA, NA, 30, 53],
            "B": [NA, NA, 22, 52],
            "C": [15, 25, 40, 80],
            "Total": [47, 46, 92, 185],
        },
        index=["r1", "r2", "r3", "Total"],
        dtype="Int64",
    )
    pd.testing.assert_frame_equal(result.published, expected)
    assert not is_recoverable(result.published, mask=result.suppressed)
    # primary suppression alone would not be enough: r2/A = 46 - 18 - 25
    assert is_recoverable(_with_totals(table), mask=result.primary)


def test_crosstab_two_per_line_is_not_enough():
    # Small cells: rectangle rows 0-1 x cols 0-1, rectangle rows 2-3 x cols 2-3, and (1, 2).
    # Every row and column with a small cell has at least two, yet (1, 2) is solvable:
    #   x12 = T_r1 - x13 - (x10 + x11), and x10 + x11 = T_c0 + T_c1 - x20 - x21 - x30 - x31
    #   - (x00 + x01), with x00 + x01 = T_r0 - x02 - x03: all published.
    table = pd.DataFrame(
        [[2, 3, 30, 40], [4, 1, 2, 35], [50, 45, 3, 4], [60, 6, 2, 1]],
        index=["r0", "r1", "r2", "r3"],
        columns=["c0", "c1", "c2", "c3"],
    )
    result = suppress_crosstab(table, FIVE)
    assert len(cells(result.primary)) == 9
    assert cells(recoverable_cells(_with_totals(table), mask=result.primary)) == {("r1", "c2")}
    # Closing a cycle through (r1, c2) needs one cell joining the two blocks:
    # r0c2 30, r0c3 40, r1c3 35, r2c0 50, r2c1 45, r3c0 60, r3c1 6 -> r3c1 (6), giving the
    # cycle r1-c2-r3-c1-r1 through the suppressed r3c2 and r1c1.
    assert cells(result.secondary) == {("r3", "c1")}
    assert not is_recoverable(result.published, mask=result.suppressed)


def test_crosstab_margins_are_primary_suppressed_when_small():
    table = pd.DataFrame({"x": [1, 20], "y": [2, 30]}, index=["hamlet", "town"])
    result = suppress_crosstab(table, FIVE)
    # hamlet row total is 3: a small count too. Column x (21) and y (32) need partners:
    # the cheapest closing path pairs the hamlet cells with the town cells.
    assert ("hamlet", "Total") in cells(result.primary)
    assert leak_check_values(result.published.stack().dropna().tolist(), 5) == []
    assert not is_recoverable(result.published, mask=result.suppressed)


def test_crosstab_zeros_shown_or_suppressed():
    table = pd.DataFrame([[0, 10], [10, 10]], index=["a", "b"], columns=["p", "q"])
    shown = suppress_crosstab(table, FIVE)
    assert not shown.suppressed.to_numpy().any()
    assert shown.published.loc["a", "p"] == 0
    hidden = suppress_crosstab(table, DisclosurePolicy(min_count=5, zeros="suppress"))
    # a/p (0) primary; closing paths: b/p + b/q + a/q = 30, via totals >= 40.
    assert cells(hidden.primary) == {("a", "p")}
    assert cells(hidden.secondary) == {("a", "q"), ("b", "p"), ("b", "q")}
    assert hidden.published["Total"].tolist() == [10, 20, 30]


def test_crosstab_totals_rounded_from_unrounded_values():
    table = pd.DataFrame([[6, 7], [8, 9]], index=["a", "b"], columns=["p", "q"])
    result = suppress_crosstab(table, DisclosurePolicy(min_count=5, round_to=5))
    # cells 6, 7, 8, 9 -> 5, 5, 10, 10; row totals 13 -> 15, 17 -> 15;
    # column totals 14 -> 15, 16 -> 15; grand total 30 -> 30.
    expected = pd.DataFrame(
        [[5, 5, 15], [10, 10, 15], [15, 15, 30]],
        index=["a", "b", "Total"],
        columns=["p", "q", "Total"],
        dtype="Int64",
    )
    pd.testing.assert_frame_equal(result.published, expected)


def test_one_way_table_with_total_hand_worked():
    counts = pd.Series([12, 3, 20, 8], index=["asian", "black", "mixed", "white"], name="n")
    result = suppress_crosstab(counts, FIVE)
    # 3 alone with the published total 43 would be 43 - 12 - 20 - 8: suppress the next
    # smallest (8) too.
    assert result.published.tolist() == [12, NA, 20, NA, 43]
    assert result.published.index[-1] == "Total"
    assert cells(result.primary) == {"black"}
    assert cells(result.secondary) == {"white"}
    assert not is_recoverable(result.published, mask=result.suppressed)


def test_one_way_prefers_positive_partner_over_zero():
    result = suppress_crosstab(pd.Series([12, 3, 0, 20]), FIVE)
    assert result.published.tolist() == [NA, NA, 0, 20, 35]


def test_one_way_two_small_cells_need_no_partner():
    result = suppress_crosstab(pd.Series([2, 3, 30]), FIVE)
    assert result.published.tolist() == [NA, NA, 30, 35]
    assert not result.secondary.any()


def test_one_way_small_total_suppresses_everything_small():
    result = suppress_crosstab(pd.Series([1, 2]), FIVE)
    assert result.published.isna().all()


# --------------------------------------------------------------------------------------
# is_recoverable


def _margins(cells_: list[list[float | None]]) -> pd.DataFrame:
    """Hand-written table whose last row and column are totals (None = suppressed)."""
    return pd.DataFrame(cells_, dtype="Int64")


def test_is_recoverable_cell_alone_in_row():
    # x + 10 = 13 (row total published): x = 3.
    published = _margins([[None, 10, 13], [5, 6, 11], [8, 16, 24]])
    assert is_recoverable(published)
    assert recoverable_cells(published).to_numpy().sum() == 1


def test_is_recoverable_cell_alone_in_row_while_its_column_has_two():
    # Row 0 has one suppressed cell and its total published: solvable although the
    # column of that cell has two suppressed cells.
    published = _margins([[None, 10, 3, 13], [None, None, 4, 11], [5, None, 2, 24], [8, 16, 9, 48]])
    # The four suppressed cells form a path r0-c0-r1-c1-r2 with no cycle: all solvable
    # (x00 = 13 - 10 - 3, then x10 from column 0, x11 from row 1, x21 from column 1).
    determined = recoverable_cells(published)
    assert cells(determined) == {(0, 0), (1, 0), (1, 1), (2, 1)}
    assert is_recoverable(published)


def test_is_not_recoverable_rectangle():
    published = _margins([[None, None, 13], [None, None, 11], [8, 16, 24]])
    assert not is_recoverable(published)


def test_is_recoverable_explicit_mask_and_suppressed_totals():
    published = _margins([[3, 10, 13], [5, 6, 11], [8, 16, 24]])
    mask = np.zeros((3, 3), dtype=bool)
    mask[0, 0] = True
    assert is_recoverable(published, mask=mask)
    # Hide the cell with its row and column totals: still solvable, by hand
    #   column-0 total = 24 - 16 = 8, cell = 8 - 5 = 3, row-0 total = 3 + 10 = 13.
    mask[0, 2] = mask[2, 0] = True
    assert recoverable_cells(published, mask=mask).to_numpy().tolist() == [
        [True, False, True],
        [False, False, False],
        [True, False, False],
    ]
    # Hide the grand total as well: four unknowns tied by
    #   x + 10 = R,  x + 5 = C,  C + 16 = G,  R + 11 = G  -> one free parameter, none solvable.
    mask[2, 2] = True
    assert not is_recoverable(published, mask=mask)


def test_is_recoverable_one_way():
    assert is_recoverable(pd.Series([None, 5, 8], dtype="Int64"))
    assert not is_recoverable(pd.Series([None, None, 5, 8], dtype="Int64"))
    # one cell and the total suppressed: x = T - 5, two unknowns, one equation
    assert not is_recoverable(pd.Series([None, 5, None], dtype="Int64"))


# --------------------------------------------------------------------------------------
# property tests


def _graph_determined(unknown: np.ndarray) -> np.ndarray:
    """Second method: an unknown entry is solvable iff it is a bridge of the bipartite graph
    (row lines + column lines, one edge per unknown entry)."""
    if unknown.ndim == 1:
        return unknown & (unknown.sum() == 1)
    n_rows, n_cols = unknown.shape
    rows, cols = np.nonzero(unknown)
    determined = np.zeros_like(unknown)
    for k, (r, c) in enumerate(zip(rows, cols, strict=True)):
        keep = np.arange(rows.size) != k
        graph = coo_matrix(
            (np.ones(keep.sum()), (rows[keep], n_rows + cols[keep])),
            shape=(n_rows + n_cols, n_rows + n_cols),
        )
        _, labels = connected_components(graph, directed=False)
        determined[r, c] = labels[r] != labels[n_rows + c]
    return determined


@settings(max_examples=200, deadline=None)
@given(
    shape=st.one_of(
        st.tuples(st.integers(2, 7)),
        st.tuples(st.integers(2, 7), st.integers(2, 7)),
    ),
    data=st.data(),
)
def test_property_is_recoverable_matches_graph_bridges(shape, data):
    size = int(np.prod(shape))
    density = data.draw(st.sampled_from([0.15, 0.3, 0.5]))
    flags = data.draw(st.lists(st.floats(0, 1), min_size=size, max_size=size))
    unknown = (np.array(flags) < density).reshape(shape)
    published = pd.DataFrame(np.ones(shape)) if len(shape) == 2 else pd.Series(np.ones(shape))
    determined = recoverable_cells(published, mask=unknown).to_numpy()
    np.testing.assert_array_equal(determined, _graph_determined(unknown))


small_or_any = st.one_of(st.integers(0, 6), st.integers(0, 40))
policies = st.sampled_from(
    [
        DisclosurePolicy(min_count=3),
        DisclosurePolicy(min_count=5),
        DisclosurePolicy(min_count=10),
        DisclosurePolicy(min_count=5, zeros="suppress"),
        DisclosurePolicy(min_count=5, round_to=5),
        DisclosurePolicy(min_count=8, round_to=5),
        DisclosurePolicy(min_count=10, round_to=5, zeros="suppress"),
    ]
)


@st.composite
def tables(draw):
    n_rows = draw(st.integers(1, 6))
    if draw(st.booleans()):
        return pd.Series(draw(st.lists(small_or_any, min_size=n_rows, max_size=n_rows)))
    n_cols = draw(st.integers(1, 6))
    values = draw(st.lists(small_or_any, min_size=n_rows * n_cols, max_size=n_rows * n_cols))
    return pd.DataFrame(np.reshape(values, (n_rows, n_cols)))


def _hand_margins(table: pd.DataFrame | pd.Series) -> np.ndarray:
    if isinstance(table, pd.Series):
        return np.array([*table.tolist(), table.sum()], dtype=float)
    with_rows = table.assign(Total=table.sum(axis=1))
    return np.vstack([with_rows.to_numpy(), with_rows.sum(axis=0).to_numpy()]).astype(float)


def _half_up(value: float, base: int | None) -> float:
    if base is None:
        return value
    return float(Decimal(value / base).quantize(Decimal(1), rounding=ROUND_HALF_UP) * base)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), policy=policies)
def test_property_crosstab_protects_every_table(table, policy):
    result = suppress_crosstab(table, policy)
    published = result.published.to_numpy(dtype=float, na_value=np.nan)
    suppressed = result.suppressed.to_numpy()
    truth = _hand_margins(table)
    # no small count published, margins included
    assert leak_check_values(published[~np.isnan(published)].tolist(), policy.min_count) == []
    # no suppressed entry solvable from the published ones (exact linear algebra) ...
    assert not is_recoverable(result.published, mask=result.suppressed)
    # ... nor by the independent graph criterion
    assert not _graph_determined(suppressed).any()
    # primary = exactly the small entries (and zeros when suppressed), computed by hand
    small = (truth >= 1) & (truth < policy.min_count)
    if policy.zeros == "suppress":
        small |= truth == 0
    np.testing.assert_array_equal(result.primary.to_numpy(), small)
    assert not (result.primary.to_numpy() & result.secondary.to_numpy()).any()
    # suppressed exactly where missing; others are the true values rounded half up
    np.testing.assert_array_equal(np.isnan(published), suppressed)
    expected = np.vectorize(lambda v: _half_up(v, policy.round_to))(truth)
    np.testing.assert_array_equal(published[~suppressed], expected[~suppressed])


# --------------------------------------------------------------------------------------
# chart data


def _monthly() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": ["2024-01", "2024-02", "2024-03"],
            "year": [2024, 2024, 2024],
            "crimes": [2, 31, 9],
            "rate": [1.1, 17.2, 5.0],
            "population": [180_123, 180_123, 180_123],
        }
    )


def test_chart_frame_drops_unlisted_columns_and_they_do_not_reach_the_spec():
    out = chart_frame(_monthly(), ["month", "crimes", "rate"], FIVE, "crimes")
    assert list(out.columns) == ["month", "crimes", "rate", "suppressed_disclosure", "unreliable"]
    spec = alt.Chart(out).mark_line().encode(x="month", y="crimes").to_json()
    assert "population" not in spec and "180123" not in spec
    assert '"crimes": 2' not in spec  # the suppressed count is not in the chart data


def test_chart_frame_blanks_rates_of_suppressed_counts():
    out = chart_frame(_monthly(), ["month", "crimes", "rate"], FIVE, "crimes")
    assert out["crimes"].tolist() == [NA, 31, 9]
    assert out["rate"].isna().tolist() == [True, False, False]
    assert out["month"].tolist() == ["2024-01", "2024-02", "2024-03"]
    assert out["unreliable"].tolist() == [False, False, True]


def test_chart_frame_default_blanks_numeric_labels_unless_derived_cols_given():
    default = chart_frame(_monthly(), ["year", "crimes", "rate"], FIVE, "crimes")
    assert default["year"].isna().tolist() == [True, False, False]
    named = chart_frame(
        _monthly(), ["year", "crimes", "rate"], FIVE, "crimes", derived_cols=["rate"]
    )
    assert named["year"].tolist() == [2024, 2024, 2024]
    assert named["rate"].isna().tolist() == [True, False, False]


@pytest.mark.parametrize("column", ["Crime ID", "crime_id", "Latitude", "Longitude", "postcode"])
def test_chart_frame_rejects_identifier_columns_even_unselected(column):
    df = _monthly().assign(**{column: ["x", "y", "z"]})
    with pytest.raises(SnaInputError, match="named like an identifier") as err:
        chart_frame(df, ["month", "crimes"], FIVE, "crimes")
    assert err.value.column == column


def test_chart_frame_rejects_police_uk_crime_id_values():
    df = _monthly().assign(ref=["a" * 64, "b" * 64, "0123456789abcdef" * 4]).rename(
        columns={"ref": "code"}
    )
    with pytest.raises(SnaInputError, match="64-character police.uk crime IDs"):
        chart_frame(df, ["month", "crimes"], FIVE, "crimes")


def test_chart_frame_rejects_more_rows_than_the_limit():
    df = pd.DataFrame({"lsoa": [f"E0{i:07d}" for i in range(CHART_MAX_ROWS + 1)], "n": 20})
    with pytest.raises(SnaInputError, match="5001 rows, more than 5000"):
        chart_frame(df, ["lsoa", "n"], FIVE, "n")
    assert len(chart_frame(df.iloc[:CHART_MAX_ROWS], ["lsoa", "n"], FIVE, "n")) == 5000


# --------------------------------------------------------------------------------------
# every error message


_COUNTS = pd.DataFrame({"n": [1, 2], "g": ["a", "b"]})


@pytest.mark.parametrize(
    ("call", "message", "column"),
    [
        (lambda: DisclosurePolicy(min_count=0), "min_count must be a whole number", "min_count"),
        (lambda: DisclosurePolicy(min_count="5"), "min_count must be a whole number", "min_count"),
        (lambda: DisclosurePolicy(min_count=True), "min_count must be a whole number", "min_count"),
        (lambda: DisclosurePolicy(min_count=5.0), "min_count must be a whole number", "min_count"),
        (lambda: DisclosurePolicy(round_to=0), "round_to must be a whole number", "round_to"),
        (
            lambda: DisclosurePolicy(unreliable_below=-1),
            "unreliable_below must be a whole number",
            "unreliable_below",
        ),
        (lambda: DisclosurePolicy(zeros="hide"), "zeros must be one of", "zeros"),
        (
            lambda: DisclosurePolicy(min_count=7, round_to=5),
            "would publish a count of 7 as 5",
            "round_to",
        ),
        (
            lambda: DisclosurePolicy(min_count=3, round_to=10),
            "would publish a count of 3 as 0",
            "round_to",
        ),
        (
            lambda: DisclosurePolicy.from_params({"min_cuont": 10}),
            "unknown disclosure setting 'min_cuont'",
            "min_cuont",
        ),
        (lambda: DisclosurePolicy.from_params([10]), "must be a mapping", None),
        (lambda: round_counts([1], base=0), "base must be a whole number", "base"),
        (lambda: leak_check_values([1], threshold=0), "threshold must be a whole number", "threshold"),
        (lambda: suppress_counts(_COUNTS, "x", FIVE), r"count column\(s\) \['x'\] not found", "x"),
        (lambda: suppress_counts(_COUNTS, [], FIVE), "no count columns were given", "count_cols"),
        (lambda: suppress_counts(_COUNTS, "n", FIVE, by="h"), r"by column\(s\) \['h'\] not found", "h"),
        (lambda: suppress_counts(_COUNTS, "g", FIVE), "counts must be numbers", "g"),
        (
            lambda: suppress_counts(pd.DataFrame({"n": [True]}), "n", FIVE),
            "counts must be numbers",
            "n",
        ),
        (
            lambda: suppress_counts(pd.DataFrame({"n": [3, -1]}), "n", FIVE),
            "counts cannot be negative",
            "n",
        ),
        (
            lambda: suppress_counts(pd.DataFrame({"n": [2.5]}), "n", FIVE),
            "counts must be whole numbers",
            "n",
        ),
        (
            lambda: suppress_counts(pd.DataFrame({"n": [np.inf]}), "n", FIVE),
            "counts must be whole numbers",
            "n",
        ),
        (
            lambda: suppress_rates(_COUNTS, "n", FIVE),
            "none of the rate columns",
            "derived_cols",
        ),
        (
            lambda: suppress_rates(_COUNTS, "n", FIVE, derived_cols=["pct"]),
            r"derived column\(s\) \['pct'\] not found",
            "pct",
        ),
        (lambda: suppress_crosstab([[1, 2]], FIVE), "must be a pandas DataFrame", None),
        (lambda: suppress_crosstab(pd.DataFrame(), FIVE), "the table is empty", None),
        (
            lambda: suppress_crosstab(pd.DataFrame({"Total": [1]}), FIVE),
            "already has a 'Total' row or column",
            None,
        ),
        (
            lambda: suppress_crosstab(pd.Series([1.0, None]), FIVE),
            "has missing counts",
            None,
        ),
        (
            lambda: suppress_crosstab(pd.DataFrame({"a": [1, -2]}), FIVE),
            "counts cannot be negative",
            "a",
        ),
        (lambda: is_recoverable([[1, 2]]), "must be a pandas DataFrame or Series", None),
        (lambda: is_recoverable(pd.Series([1])), "too small to hold cells", None),
        (lambda: is_recoverable(pd.DataFrame([[1, 2]])), "too small to hold cells", None),
        (
            lambda: is_recoverable(pd.DataFrame(np.ones((3, 3))), mask=np.zeros((2, 2), bool)),
            "mask has a different shape",
            "mask",
        ),
        (
            lambda: chart_frame(_monthly(), ["month", "cases"], FIVE, "crimes"),
            r"chart column\(s\) \['cases'\] not found",
            "cases",
        ),
        (
            lambda: chart_frame(_monthly(), ["month", "rate"], FIVE, "crimes"),
            "count_cols column 'crimes' is not among the chart's columns",
            "crimes",
        ),
        (
            lambda: chart_frame(
                _monthly(), ["month", "crimes"], FIVE, "crimes", derived_cols=["rate"]
            ),
            "derived_cols column 'rate' is not among the chart's columns",
            "rate",
        ),
    ],
)
def test_every_error_message(call, message, column):
    with pytest.raises(SnaInputError, match=message) as err:
        call()
    assert err.value.column == column
    assert err.value.fix  # every error says how to fix it
