"""Writes gbstats_quantile_reference.json: GrowthBook's own event-level quantile statistic
(QuantileClusteredStatistic) and its two-sided t-test on the clustered samples that
test_quantile_stats.py analyzes, so that the tests compare the project's clustered variance
with an independent implementation, not with a transcription of the formula. Not a test
(pytest collects only test_*.py); the tests import `clustered_events` from here, so the data
are drawn by one function.

Recorded with gbstats 0.8.0 (PyPI; its newest release) on CPython 3.11.7 with the versions it
pins: pandas 1.5.3, numpy 1.26.4, scipy 1.17.1. gbstats needs pandas < 2, so it runs in a
throwaway virtualenv, never in the project's:

    uv venv -p 3.11 /dev/shm/gb && uv pip install -p /dev/shm/gb gbstats==0.8.0
    /dev/shm/gb/bin/python exp_assets_tests/gbstats_quantile_reference.py

How the project's inputs map onto gbstats' (GrowthBook's SQL returns the same per arm):

    n                             events N (gbstats' `n` is the number of events here)
    n_clusters                    units with an event (ClusterSums.n_units)
    main_sum, main_sum_squares    sum S_i, sum S_i^2: S_i = unit i's events at or below the
                                  estimate (ClusterSums.sum_s, sum_s2)
    denominator_sum(_squares)     sum N_i = N, sum N_i^2 (ClusterSums.sum_n, sum_n2)
    main_denominator_sum_product  sum S_i N_i (ClusterSums.sum_sn)
    quantile_hat                  the exact order statistic of rank ceil(q N)
    quantile_lower/_upper, n_star the exact order statistics at levels q -/+ z sqrt(q (1 - q) / N)
                                  (numpy's inverted_cdf), n_star = N: the i.i.d. interval that
                                  gbstats rescales by the clustered-to-i.i.d. variance ratio.

gbstats' `variance` is per event (the test divides it by n), so the variance of the estimate is
variance / n. The file records each arm's events, units and sum of values, which the tests
check against their own draws before comparing.
"""

from __future__ import annotations

import json
import math
from importlib.metadata import version
from pathlib import Path

import numpy as np

OUT = Path(__file__).with_suffix(".json")
Z_95 = 1.959963984540054


def clustered_events(seed: int, units: int = 1500, mean_events: float = 4.0, unit_sd: float = 0.6,
                     event_sd: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """(unit of each event, its value): units with unequal activity (1 + Poisson with a gamma
    mean) and a unit effect shared by their events (lognormal values), so events of a unit are
    correlated and the i.i.d. variance of an event quantile is too small."""
    rng = np.random.default_rng(seed)
    events = 1 + rng.poisson(rng.gamma(1.0, mean_events - 1.0, units))
    unit_effect = rng.normal(0.0, unit_sd, units)
    unit_of_event = np.repeat(np.arange(units), events)
    values = np.exp(unit_effect[unit_of_event] + rng.normal(0.0, event_sd, len(unit_of_event)))
    return unit_of_event, values


def gbstats_inputs(unit_of_event: np.ndarray, values: np.ndarray, q: float) -> dict:
    n = len(values)
    ordered = np.sort(values)
    quantile = float(ordered[math.ceil(q * n) - 1])
    spread = Z_95 * math.sqrt(q * (1 - q) / n)
    lower, upper = np.quantile(values, [q - spread, q + spread], method="inverted_cdf")
    s = np.bincount(unit_of_event, weights=values <= quantile)
    m = np.bincount(unit_of_event).astype(float)
    return {"n": n, "n_star": n, "nu": q, "quantile_hat": quantile, "quantile_lower": float(lower),
            "quantile_upper": float(upper), "n_clusters": int((m > 0).sum()),
            "main_sum": float(s.sum()), "main_sum_squares": float((s * s).sum()),
            "denominator_sum": float(m.sum()), "denominator_sum_squares": float((m * m).sum()),
            "main_denominator_sum_product": float((s * m).sum())}


def arm(seed: int, q: float, scale: float = 1.0) -> dict:
    unit_of_event, values = clustered_events(seed)
    values = values * scale
    from gbstats.models.statistics import QuantileClusteredStatistic

    inputs = gbstats_inputs(unit_of_event, values, q)
    stat = QuantileClusteredStatistic(**inputs)
    return {"seed": seed, "scale": scale, "data": {"events": len(values), "units": int(unit_of_event.max()) + 1,
                                                   "sum": float(values.sum())},
            "inputs": inputs,
            "gbstats": {"cluster_variance": float(stat.get_cluster_variance),
                        "variance_init": float(stat.variance_init), "variance": float(stat.variance),
                        "variance_of_estimate": float(stat.variance / stat.n)}}


def effect(control: dict, treatment: dict) -> dict:
    """gbstats' two-sided t-test (relative and absolute) of the two recorded statistics."""
    from gbstats.frequentist.tests import FrequentistConfig, TwoSidedTTest
    from gbstats.models.statistics import QuantileClusteredStatistic

    out = {}
    for difference in ("relative", "absolute"):
        test = TwoSidedTTest(QuantileClusteredStatistic(**control["inputs"]),
                             QuantileClusteredStatistic(**treatment["inputs"]),
                             FrequentistConfig(alpha=0.05, difference_type=difference))
        result = test.compute_result()
        assert result.error_message is None, result.error_message
        out[difference] = {"estimate": float(result.expected), "ci": [float(c) for c in result.ci],
                           "p_value": float(result.p_value), "stddev": float(result.uplift.stddev)}
    return out


def main() -> None:
    arms = {f"seed_{seed}_q_{q}": arm(seed, q, scale) for seed, q, scale in
            ((31, 0.5, 1.0), (31, 0.95, 1.0), (32, 0.95, 1.08), (33, 0.9, 1.0))}
    document = {"generator": "exp_assets_tests/gbstats_quantile_reference.py",
                "gbstats": version("gbstats"), "numpy": version("numpy"), "arms": arms,
                "effect_p95": {"control": "seed_31_q_0.95", "treatment": "seed_32_q_0.95",
                               "gbstats": effect(arms["seed_31_q_0.95"], arms["seed_32_q_0.95"])}}
    OUT.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
