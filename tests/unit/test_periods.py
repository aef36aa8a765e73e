"""sna.periods: months, financial quarters and labels, checked against values written by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sna.errors import SnaInputError
from sna.periods import (
    financial_quarter,
    financial_quarter_index,
    financial_year_label,
    month_range,
    month_runs,
    monthly_counts,
    months_of,
    period_label,
    period_months,
    year_label,
    year_months,
)


def test_month_range_and_errors():
    assert month_range("2024-12", "2025-02").strftime("%Y-%m").tolist() == [
        "2024-12", "2025-01", "2025-02"]
    for first, last in (("2025-03", "2025-01"), ("2025-13", "2025-01")):
        with pytest.raises(SnaInputError) as info:
            month_range(first, last, name="window")
        assert info.value.column == "window"


def test_year_months_and_months_of():
    assert year_months("2025-02", months=3) == ["2024-12", "2025-01", "2025-02"]
    frame = pd.DataFrame({"offence_date": ["2025-03-01", "2025-02-28"]})
    assert months_of(frame).astype(str).tolist() == ["2025-03", "2025-02"]
    with pytest.raises(SnaInputError):
        months_of(pd.DataFrame({"x": [1]}))


def test_monthly_counts_fills_zeros_and_keeps_missing_months_missing():
    rows = pd.Series(pd.PeriodIndex(["2025-01", "2025-01", "2025-04"], freq="M"))
    counts = monthly_counts(rows)
    # By hand: Jan 2, Feb 0, Mar 0, Apr 1.
    assert counts.to_dict() == {pd.Period("2025-01", "M"): 2, pd.Period("2025-02", "M"): 0,
                                pd.Period("2025-03", "M"): 0, pd.Period("2025-04", "M"): 1}
    gaps = monthly_counts(rows, index=pd.period_range("2025-01", "2025-04", freq="M"),
                          missing=["2025-02", "2025-06"])
    assert gaps.astype(object).where(gaps.notna(), None).tolist() == [2, None, 0, 1, None]
    assert monthly_counts(pd.Series([], dtype="period[M]")).empty


@given(st.lists(st.integers(0, 30), min_size=1, max_size=40))
def test_monthly_counts_total_is_the_number_of_rows(offsets):
    rows = pd.Series([pd.Period("2023-01", "M") + k for k in offsets])
    counts = monthly_counts(rows)
    assert counts.sum() == len(offsets)
    assert len(counts) == max(offsets) - min(offsets) + 1


def test_month_runs_in_both_formats():
    months = ["2024-06", "2024-05", "2024-07", "2025-01"]
    assert month_runs(months) == ["May 2024 to Jul 2024", "Jan 2025"]
    assert month_runs(months, fmt="%Y-%m") == ["2024-05 to 2024-07", "2025-01"]
    assert month_runs([]) == []


def test_financial_quarter_forms_agree():
    for year, quarter, months in (("2025/26", 1, ("2025-04", "2025-06")),
                                  (2025, "Q4", ("2026-01", "2026-03")),
                                  ("2024", 3, ("2024-10", "2024-12"))):
        assert financial_quarter(year, quarter) == months
    period = financial_quarter_index("2025/26", 2)
    assert (str(period.asfreq("M", "start")), str(period.asfreq("M", "end"))) == financial_quarter(
        "2025/26", 2)
    with pytest.raises(SnaInputError):
        financial_quarter("2025/27", 1)


def test_one_label_for_months_quarters_and_runs():
    assert period_label(pd.Period("2025-07", "M")) == "Jul 2025"
    assert period_label(pd.PeriodIndex(["2025-07"], freq="M")) == "Jul 2025"
    assert period_label(period_months(("2025-07", "2025-09"))) == "Jul-Sep 2025"
    assert period_label(financial_quarter_index("2025/26", 2)) == "Q2 2025/26"
    assert period_label(pd.Period("2025-07", "M").asfreq("Q-MAR")) == "Q2 2025/26"
    assert financial_year_label(2000) == "1999/00"
    assert year_label(pd.Period("2025-03", "M"), year_start_month=4) == "2024/25"
    assert year_label(pd.Period("2025-04", "M"), year_start_month=4) == "2025/26"
