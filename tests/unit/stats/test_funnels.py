"""Funnel-plot over-dispersion (Spiegelhalter 2005) against hand calculations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from sna.errors import SnaInputError
from sna.stats.funnels import funnel_dispersion, funnel_limits, funnel_significance

RNG = np.random.default_rng(20261129)
POPULATION = RNG.integers(800, 3000, 40).astype(float)
RATE = 0.02  # events a resident
# gamma-Poisson counts: between-unit variation well beyond Poisson
COUNTS = RNG.poisson(POPULATION * RATE * RNG.gamma(4, 1 / 4, 40)).astype(float)


def _hand_winsorised_phi(z: list[float], share: float) -> float:
    """Winsorise by hand: replace the k lowest / highest by the (k+1)-th from each end."""
    ordered = sorted(z)
    k = math.floor(share * len(z))
    low, high = ordered[k], ordered[len(z) - 1 - k]
    return sum(min(max(v, low), high) ** 2 for v in z) / len(z)


def test_rate_phi_and_tau2_by_hand():
    baseline = COUNTS.sum() / POPULATION.sum() * 1000
    d = funnel_dispersion(COUNTS, POPULATION, "rate", multiplier=1000)
    expected = POPULATION * baseline / 1000
    z = [2 * (math.sqrt(o) - math.sqrt(e)) for o, e in zip(COUNTS, expected, strict=True)]
    phi = _hand_winsorised_phi(z, 0.1)
    assert d.phi == pytest.approx(phi, rel=1e-12)
    assert d.baseline == pytest.approx(baseline)
    w = [4 * e for e in expected]  # 1 / s^2 with s = 1 / (2 sqrt(E)) on the sqrt(O/E) scale
    tau2 = (40 * phi - 39) / (sum(w) - sum(v * v for v in w) / sum(w))
    assert d.tau2 == pytest.approx(tau2, rel=1e-10)
    assert d.p_value == pytest.approx(stats.chi2.sf(40 * phi, 39))
    assert d.overdispersed and d.adjustment == "additive"
    assert "phi = " in d.method and "Spiegelhalter 2005" in d.method


def test_adjusted_limits_by_hand_and_labels_agree_with_limits():
    for adjustment in ("additive", "multiplicative"):
        d = funnel_dispersion(COUNTS, POPULATION, "rate", multiplier=1000,
                              adjustment=adjustment)
        limits = funnel_limits(POPULATION, "rate", multiplier=1000, dispersion=d)
        e = POPULATION * d.baseline / 1000
        s = 1 / (2 * np.sqrt(e))
        spread = np.sqrt(d.phi) * s if adjustment == "multiplicative" else np.sqrt(s**2 + d.tau2)
        z998 = stats.norm.ppf(0.999)
        assert_allclose(limits["upper_99_8"], (1 + z998 * spread) ** 2 * d.baseline)
        assert_allclose(limits["lower_99_8"],
                        np.clip(1 - z998 * spread, 0, None) ** 2 * d.baseline)
        labels = funnel_significance(COUNTS, POPULATION, "rate", multiplier=1000,
                                     dispersion=d)
        value = labels["value"].to_numpy()
        high = (labels["significance"] == "High (0.001)").to_numpy()
        assert (high == (value > limits["upper_99_8"].to_numpy())).all()
        low = labels["significance"].str.startswith("Low").to_numpy()
        assert (low == (value < limits["lower_95"].to_numpy())).all()


def test_adjusted_limits_are_wider_and_flag_fewer_units():
    plain = funnel_significance(COUNTS, POPULATION, "rate", multiplier=1000)
    d = funnel_dispersion(COUNTS, POPULATION, "rate", multiplier=1000)
    adjusted = funnel_significance(COUNTS, POPULATION, "rate", multiplier=1000, dispersion=d)
    outside = (plain["significance"] != "Not significant").sum()
    assert (adjusted["significance"] != "Not significant").sum() < outside


def test_poisson_units_show_no_over_dispersion_and_keep_exact_limits():
    counts = np.random.default_rng(3).poisson(POPULATION * RATE).astype(float)
    d = funnel_dispersion(counts, POPULATION, "rate", multiplier=1000)
    assert 0.5 < d.phi < 1.5
    assert d.adjustment == "none" and "no adjustment" in d.method
    with_d = funnel_limits(POPULATION, "rate", multiplier=1000, baseline=d.baseline,
                           dispersion=d)
    plain = funnel_limits(POPULATION, "rate", multiplier=1000, baseline=d.baseline)
    assert_allclose(with_d["upper_99_8"], plain["upper_99_8"])


def test_proportion_dispersion_by_hand():
    n = np.array([50, 80, 120, 200, 60, 90, 150, 40, 70, 110], dtype=float)
    x = np.array([10, 30, 20, 90, 5, 40, 30, 20, 10, 50], dtype=float)
    d = funnel_dispersion(x, n, "proportion", multiplier=100, winsor=0)
    p0 = x.sum() / n.sum()
    z = (x / n - p0) / np.sqrt(p0 * (1 - p0) / n)
    assert d.phi == pytest.approx(float(np.mean(z**2)))
    limits = funnel_limits([100.0], "proportion", multiplier=100, dispersion=d)
    w = n / (p0 * (1 - p0))
    tau2 = max(0, (10 * d.phi - 9) / (w.sum() - (w**2).sum() / w.sum()))
    assert d.tau2 == pytest.approx(tau2)
    half = stats.norm.ppf(0.975) * math.sqrt(p0 * (1 - p0) / 100 + tau2)
    assert limits["upper_95"].iloc[0] == pytest.approx((p0 + half) * 100)


@pytest.mark.parametrize(("kwargs", "column"), [({"adjustment": "both"}, "adjustment"),
                                                ({"winsor": 0.3}, "winsor")])
def test_funnel_dispersion_errors(kwargs, column):
    with pytest.raises(SnaInputError) as info:
        funnel_dispersion(COUNTS, POPULATION, "rate", multiplier=1000, **kwargs)
    assert info.value.column == column


def test_dispersion_of_another_funnel_is_refused():
    d = funnel_dispersion(COUNTS, POPULATION, "rate", multiplier=1000)
    with pytest.raises(SnaInputError, match="another funnel"):
        funnel_limits(POPULATION, "rate", multiplier=100, baseline=1.0, dispersion=d)
