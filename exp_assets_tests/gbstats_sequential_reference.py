"""Writes gbstats_sequential_reference.json: GrowthBook's own always-valid (sequential)
t-test on the samples test_stats_engines.py analyzes, so that the tests compare the
project's confidence sequences with an independent implementation, not with a
transcription of the formula. Not a test (pytest collects only test_*.py).

Recorded with gbstats 0.8.0 (PyPI; its newest release) on CPython 3.11.7 with the
versions it pins: pandas 1.5.3, numpy 1.26.4, scipy 1.17.1. gbstats needs pandas < 2,
so it runs in a throwaway virtualenv, never in the project's:

    python3.11 -m venv /tmp/gbstats && /tmp/gbstats/bin/pip install gbstats==0.8.0
    /tmp/gbstats/bin/python exp_assets_tests/gbstats_sequential_reference.py

The samples are drawn here exactly as the tests draw them (same generator, seeds and
order); the file records each arm's n, sum and sum of squares, which the tests check
against their own draws before comparing results.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import numpy as np
from gbstats.frequentist.tests import SequentialConfig, SequentialTwoSidedTTest
from gbstats.models.statistics import SampleMeanStatistic

OUT = Path(__file__).with_suffix(".json")


def two_arms(seed=21, n_c=900, n_t=1100, lift=0.0, loc=20.0):
    """As test_stats_engines.two_arms."""
    rng = np.random.default_rng(seed)
    return rng.normal(loc, 6.0, n_c), rng.normal(loc + lift, 7.0, n_t)


def correction_arms(day="d1", metric="m2", variant="a"):
    """As test_stats_engines.correction_data: the control and one treatment of one family."""
    rng = np.random.default_rng(9)
    raw = {}
    for d in ("d1", "d2"):
        for k, m in enumerate(("m1", "m2", "m3")):
            for v, lift in (("control", 0.0), ("a", 0.15 * k), ("b", 0.3 - 0.1 * k)):
                raw[(d, m, v)] = rng.normal(5.0 + lift, 1.0, 200 + 10 * k)
    return raw[(day, metric, "control")], raw[(day, metric, variant)]


def moments(x) -> dict:
    return {"n": len(x), "sum": float(x.sum()), "sum_squares": float((x * x).sum())}


def statistic(m: dict) -> SampleMeanStatistic:
    return SampleMeanStatistic(n=m["n"], sum=m["sum"], sum_squares=m["sum_squares"])


class _RhoOf(SequentialTwoSidedTTest):
    """gbstats' sequence with rho taken from another level: the project fixes rho at the
    analysis alpha and reads the same sequence at alpha / m for Bonferroni."""

    def __init__(self, stat_a, stat_b, config, rho):
        super().__init__(stat_a, stat_b, config)
        self._rho = rho

    @property
    def rho(self) -> float:
        return self._rho


def sequential(control: dict, treatment: dict, tuning: float, alpha: float = 0.05,
               rho_alpha: float = 0.05) -> dict:
    out = {}
    for difference in ("absolute", "relative"):
        a, b = statistic(control), statistic(treatment)
        config = SequentialConfig(alpha=alpha, sequential_tuning_parameter=tuning, difference_type=difference)
        test = SequentialTwoSidedTTest(a, b, config)
        if rho_alpha != alpha:
            rho = SequentialTwoSidedTTest(a, b, SequentialConfig(alpha=rho_alpha, sequential_tuning_parameter=tuning,
                                                                 difference_type=difference)).rho
            test = _RhoOf(a, b, config, rho)
        result = test.compute_result()
        assert result.error_message is None, result.error_message
        out[difference] = {"estimate": float(result.expected), "ci": [float(c) for c in result.ci],
                           "p_value": float(result.p_value), "stddev": float(result.uplift.stddev)}
    return out


def case(name: str, control, treatment, tuning: float = 5000.0, **levels) -> dict:
    c, t = moments(control), moments(treatment)
    return {"name": name, "tuning": tuning, **levels, "control": c, "treatment": t,
            "gbstats": sequential(c, t, tuning, **levels)}


def main() -> None:
    cases = [
        case("lift_0.8_tuning_5000", *two_arms(lift=0.8), tuning=5000.0),
        case("lift_0.8_tuning_300", *two_arms(lift=0.8), tuning=300.0),
        case("lift_1.5", *two_arms(lift=1.5)),
        case("lift_0.05", *two_arms(lift=0.05)),
        case("bonferroni_d1_m2_a", *correction_arms(), alpha=0.05 / 6, rho_alpha=0.05),
    ]
    document = {"generator": "exp_assets_tests/gbstats_sequential_reference.py",
                "gbstats": version("gbstats"), "numpy": version("numpy"), "cases": cases}
    OUT.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
