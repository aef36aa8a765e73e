"""Change between two periods: the exact conditional Poisson test.

:func:`compare_periods` is the exact test for two Poisson counts; a report never
calls it directly for a published verdict but goes through
:func:`sna.stats.trend.change.judge_change`, which uses it only when the series shows
no extra variation.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from scipy import stats

from sna.checks import check_conf, check_count
from sna.errors import SnaInputError

__all__ = [
    "PeriodComparison",
    "compare_periods",
]

TEST_NAME = "exact Poisson test"

@dataclass(frozen=True)
class PeriodComparison:
    """Result of :func:`compare_periods`.

    Attributes
    ----------
    count_a, count_b : int
        Counts in the earlier (a) and later (b) period.
    exposure_a, exposure_b : float
        Exposures (population, days, or 1) of each period.
    change : int
        ``count_b - count_a``.
    change_pct : float
        Percentage change in count (NaN when ``count_a`` is 0).
    rate_ratio, rr_lower, rr_upper : float
        Rate ratio (b over a, per unit exposure) and its exact conditional CI.
    p_value : float
        Two-sided p-value of the exact conditional test.
    conf : float
        Confidence level of the interval; ``1 - conf`` is the test's alpha.
    verdict : str
        ``"increase"``, ``"decrease"`` or ``"no significant change"``.
    test : str
        Name of the test, for sentences.
    dispersion, df : float
        Dispersion the test allowed for (1: none) and the df of its estimate
        (``inf``: known or not used); see :func:`sna.stats.trend.judge_change`.
    reason : str
        Why this test, in plain words (filled in by :func:`~sna.stats.trend.judge_change`).
    p_value_exact : float
        The exact conditional Poisson test's p-value, for reference.
    """

    count_a: int
    count_b: int
    exposure_a: float
    exposure_b: float
    change: int
    change_pct: float
    rate_ratio: float
    rr_lower: float
    rr_upper: float
    p_value: float
    conf: float
    verdict: str
    test: str = TEST_NAME
    dispersion: float = 1.0
    df: float = math.inf
    reason: str = ""
    p_value_exact: float = math.nan

    def to_dict(self) -> dict:
        """Return the fields as a plain dict (for tables)."""
        return asdict(self)

    @property
    def ci_agrees_with_test(self) -> bool:
        """Whether the interval excludes 1 exactly when the test is significant.

        The p-value (binomial "minimum likelihood" two-sided test) and the
        Clopper-Pearson interval are not exact duals when the exposures
        differ, so in rare borderline cases one says "significant" and the
        other does not. :func:`describe_change` then says so.
        """
        if math.isnan(self.rate_ratio):
            return True
        excludes_one = self.rr_lower > 1 or self.rr_upper < 1
        return excludes_one == (self.verdict != "no significant change")


def compare_periods(
    count_a: int,
    count_b: int,
    *, exposure_a: float = 1,
    exposure_b: float = 1,
    conf: float = 0.95,
) -> PeriodComparison:
    r"""Compare two Poisson counts with the exact conditional test.

    Conditional on the total :math:`n = a + b`, the later count is
    :math:`b \sim \mathrm{Binomial}(n, \pi_0)` under no change, with
    :math:`\pi_0 = e_b / (e_a + e_b)`. The two-sided p-value is
    ``scipy.stats.binomtest(b, n, pi_0)`` (the same as statsmodels
    ``test_poisson_2indep(method="exact-cond")``); the rate-ratio interval maps the
    Clopper-Pearson interval :math:`(\pi_L, \pi_U)` of :math:`b/n` (beta quantiles) to
    :math:`RR = \frac{\pi}{1-\pi}\frac{e_a}{e_b}`.

    Parameters
    ----------
    count_a, count_b : int
        Counts in the earlier and the later period (>= 0).
    exposure_a, exposure_b : float, default 1
        Exposure of each period (population, or number of days); > 0.
    conf : float, default 0.95
        Confidence level, in [0.9, 1); the test's alpha is ``1 - conf``.

    Returns
    -------
    PeriodComparison
        With ``p_value = 1`` and NaN ratio when both counts are 0, and an
        infinite ratio (upper limit) when only ``count_a`` is 0.

    Raises
    ------
    SnaInputError
        Negative or non-integer counts, non-positive exposures, conf out of range.

    See Also
    --------
    describe_change : the sentence for a report.

    Examples
    --------
    >>> r = compare_periods(6346, 6387)
    >>> r.verdict, round(r.change_pct, 1), round(r.p_value, 2)
    ('no significant change', 0.6, 0.72)
    """
    a = check_count(count_a, name="count_a")
    b = check_count(count_b, name="count_b")
    for name, e in (("exposure_a", exposure_a), ("exposure_b", exposure_b)):
        if not e > 0:
            raise SnaInputError(f"{name} must be greater than zero, got {e!r}",
                                fix="pass a positive population or period length",
                                column=name, value=e)
    check_conf(conf)
    n = a + b
    change_pct = (b - a) / a * 100 if a > 0 else float("nan")
    if n == 0:
        return PeriodComparison(a, b, exposure_a, exposure_b, 0, change_pct, float("nan"),
                                float("nan"), float("nan"), 1.0, conf, "no significant change",
                                p_value_exact=1.0)
    p_value = float(stats.binomtest(b, n, exposure_b / (exposure_a + exposure_b)).pvalue)
    tail = (1 - conf) / 2  # Clopper-Pearson limits of b / n as beta quantiles
    ci_low = float(stats.beta.ppf(tail, b, a + 1)) if b > 0 else 0.0
    ci_high = float(stats.beta.ppf(1 - tail, b + 1, a)) if a > 0 else 1.0
    scale = exposure_a / exposure_b
    rr = (b / exposure_b) / (a / exposure_a) if a > 0 else float("inf")
    lower = ci_low / (1 - ci_low) * scale if ci_low < 1 else float("inf")
    upper = ci_high / (1 - ci_high) * scale if ci_high < 1 else float("inf")
    significant = p_value < 1 - conf
    verdict = "no significant change"
    if significant:
        verdict = "increase" if rr > 1 else "decrease"
    return PeriodComparison(a, b, exposure_a, exposure_b, b - a, change_pct, rr, lower, upper,
                            min(p_value, 1.0), conf, verdict, p_value_exact=min(p_value, 1.0))
