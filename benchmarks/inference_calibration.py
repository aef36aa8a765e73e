"""How often the reports call noise a "statistically significant" change.

Simulates monthly crime counts with **no real change**: 5 years (60 months), a
seasonal pattern, and negative-binomial extra variation (variance / mean, the
dispersion, drawn between 5 and 12 per series, as the audit found in real series).
Each series goes through the very library calls the reports make for their published
verdicts:

* ``hate headline``  -- :func:`sna.stats.trend.change_between` of the review year
  against the year before (``hate_review.totals_and_trend``);
* ``annual table``   -- every comparison of consecutive complete years in
  :func:`sna.stats.trend.seasonal_trend` ``.annual`` (the hate review's table);
* ``SVD year-on-year`` -- :func:`sna.stats.trend.change_between` of the latest 12
  months with data against the same months a year earlier, with four months missing
  a year before the end, as police.uk's gap (``svd.extent_and_trend`` with
  ``svd.like_for_like``).

For each it prints the share of verdicts that are "significant" (nominal 5%) with a
95% Wilson interval, next to the share the exact Poisson test alone (the old
behaviour) would give in the same run. The calibration holds when the share is at
most 5%, or its interval includes 5%.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/inference_calibration.py [--series 1000]``
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from sna.stats.trend import change_between, seasonal_trend

NOMINAL = 0.05
MONTHS = 60
START = "2021-01"
GAP = (43, 47)  # months 44-47 (May-Aug 2024) have no data, as police.uk North Yorkshire


def simulate(rng: np.random.Generator) -> pd.Series:
    """One monthly series with season and over-dispersion but no change in level."""
    index = pd.period_range(START, periods=MONTHS, freq="M")
    level = rng.uniform(20, 200)
    phase = rng.uniform(0, 2 * np.pi)
    season = np.exp(rng.uniform(0.05, 0.3) * np.sin(2 * np.pi * index.month.to_numpy() / 12
                                                    + phase))
    mean = level * season
    dispersion = rng.uniform(5, 12)  # variance = dispersion x mean
    size = mean / (dispersion - 1)
    return pd.Series(rng.negative_binomial(size, size / (size + mean)).astype(float),
                     index=index)


VERDICTS = ("hate headline", "annual table", "SVD year-on-year")


def _annual_verdicts(series: pd.Series) -> list[tuple[bool, bool]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        annual = seasonal_trend(series, forecast_periods=0).annual.dropna(subset=["p_value"])
    return [(v != "no significant change", p < NOMINAL)
            for v, p in zip(annual["verdict"], annual["p_value_exact"], strict=True)]


def verdicts(series: pd.Series, which: tuple[str, ...] = VERDICTS
             ) -> dict[str, list[tuple[bool, bool]]]:
    """(significant by the rule, significant by the exact test) for each published verdict."""
    index = series.index
    out: dict[str, list[tuple[bool, bool]]] = {}
    headline = change_between(series, index[36:48], index[48:])
    out["hate headline"] = [(headline.verdict != "no significant change",
                             headline.p_value_exact < NOMINAL)]
    if "annual table" in which:
        out["annual table"] = _annual_verdicts(series)
    gapped = series.copy()
    gapped.iloc[GAP[0]:GAP[1]] = np.nan
    have = set(gapped.dropna().index)
    latest = [p for p in index[48:] if p in have and p - 12 in have]
    svd = change_between(gapped, [p - 12 for p in latest], latest)
    out["SVD year-on-year"] = [(svd.verdict != "no significant change",
                                svd.p_value_exact < NOMINAL)]
    return {name: out[name] for name in which}


def calibration(n_series: int = 1000, seed: int = 20261129,
                which: tuple[str, ...] = VERDICTS) -> pd.DataFrame:
    """Share of "significant" verdicts per published verdict, rule and exact test."""
    rng = np.random.default_rng(seed)
    tallies: dict[str, list[tuple[bool, bool]]] = {}
    for _ in range(n_series):
        for name, results in verdicts(simulate(rng), which).items():
            tallies.setdefault(name, []).extend(results)
    rows = []
    for name, results in tallies.items():
        rule = np.array([r for r, _ in results])
        exact = np.array([e for _, e in results])
        low, high = proportion_confint(rule.sum(), len(rule), alpha=0.05, method="wilson")
        rows.append({"verdict": name, "tests": len(rule), "significant": int(rule.sum()),
                     "share": rule.mean(), "lower": low, "upper": high,
                     "exact_poisson_share": exact.mean(),
                     "calibrated": bool(rule.mean() <= NOMINAL or low <= NOMINAL)})
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    table = calibration(args.series, args.seed)
    seconds = time.perf_counter() - started
    print(f"{args.series} simulated monthly series (5 years, seasonal, NB dispersion 5-12, no "
          f"real change), seed {args.seed}, {seconds:.0f} s")
    print(f"{'verdict':<18}{'tests':>7}{'signif.':>9}{'share':>8}{'95% CI':>17}"
          f"{'exact Poisson':>15}{'ratio':>8}")
    for row in table.itertuples():
        ratio = row.share / row.exact_poisson_share if row.exact_poisson_share else float("nan")
        print(f"{row.verdict:<18}{row.tests:>7}{row.significant:>9}{row.share:>8.1%}"
              f"{f'{row.lower:.1%} to {row.upper:.1%}':>17}{row.exact_poisson_share:>15.1%}"
              f"{ratio:>8.2f}")
    print(f"nominal level {NOMINAL:.0%}; 'ratio' = share now / share with the exact Poisson "
          "test alone (the old behaviour), same series")
    return 0 if table["calibrated"].all() else 1


if __name__ == "__main__":
    sys.exit(main())
