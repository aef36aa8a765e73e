"""Change between periods, seasonal trend and printed totals of crime counts.

One concern a module:

* :mod:`~sna.stats.trend.change` -- the one rule for a published verdict on a change
  (:func:`judge_change`, :func:`change_between`, :func:`judge_interaction`), allowing
  for the variation the series shows (:func:`series_variation`), and whether a
  seasonal model can be fitted at all (:func:`seasonal_model_reason`);
* :mod:`~sna.stats.trend.compare` -- the exact conditional Poisson test (:func:`compare_periods`);
* :mod:`~sna.stats.trend.seasonal` -- the seasonal model (:func:`seasonal_trend`);
* :mod:`~sna.stats.trend.model` -- series checks and the GLM fits the others share;
* :mod:`~sna.stats.trend.reconcile` -- printed totals against the sum of their parts;
* :mod:`~sna.stats.trend.wording` -- plain sentences and their technical notes.

Every public name is importable from ``sna.stats.trend``.
"""

from sna.periods import financial_quarter_index, financial_quarter_series, period_label
from sna.stats.trend.change import (
    CHANGE_RULE,
    MIN_PER_SEASON,
    QUASI_TEST,
    InteractionJudgement,
    Variation,
    change_between,
    judge_change,
    judge_interaction,
    seasonal_model_reason,
    series_variation,
    window_variation,
)
from sna.stats.trend.compare import TEST_NAME, PeriodComparison, compare_periods
from sna.stats.trend.model import (
    DISPERSION_ALPHA,
    DISPERSION_RATIO_LIMIT,
    DISPERSION_RULE,
    DispersionCheck,
)
from sna.stats.trend.reconcile import Reconciliation, reconcile_table, reconcile_totals
from sna.stats.trend.seasonal import (
    LikelihoodRatioTest,
    SeasonalTrend,
    TrendEstimate,
    seasonal_trend,
)
from sna.stats.trend.wording import (
    change_note,
    describe_change,
    describe_seasonality,
    describe_trend,
    describe_year_on_year,
    row_comparison,
    seasonality_note,
    trend_note,
)

__all__ = [
    "CHANGE_RULE", "DISPERSION_ALPHA", "DISPERSION_RATIO_LIMIT", "DISPERSION_RULE",
    "MIN_PER_SEASON", "QUASI_TEST", "TEST_NAME", "DispersionCheck", "InteractionJudgement",
    "LikelihoodRatioTest", "PeriodComparison", "Reconciliation", "SeasonalTrend",
    "TrendEstimate", "Variation", "change_between", "change_note", "compare_periods",
    "describe_change", "describe_seasonality", "describe_trend", "describe_year_on_year",
    "financial_quarter_index", "financial_quarter_series",
    "judge_change", "judge_interaction", "period_label", "reconcile_table", "reconcile_totals",
    "row_comparison", "seasonal_model_reason", "seasonal_trend", "series_variation",
    "seasonality_note", "trend_note", "window_variation",
]
