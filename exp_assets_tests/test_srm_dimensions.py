"""SRM per dimension value: the sequential SRM test per slice, Holm-adjusted over slices."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from exp_assets.stats.balance import sample_ratio_mismatch_by_slice, sequential_sample_ratio_mismatch

SPLIT = (0.5, 0.5)


def _looks(rng, units_per_day, days, split=SPLIT):
    return np.cumsum(rng.multinomial(units_per_day, split, size=days), axis=0)


def test_each_slice_is_the_sequential_test_adjusted_by_holm():
    rng = np.random.default_rng(1)
    slices = {"US": _looks(rng, 400, 10), "DE": _looks(rng, 150, 10, (0.56, 0.44)), "FR": _looks(rng, 80, 10)}
    out = sample_ratio_mismatch_by_slice(slices, SPLIT)
    raw = [sequential_sample_ratio_mismatch(looks, SPLIT)[-1] for looks in slices.values()]
    assert [s.value for s in out] == ["US", "DE", "FR"]
    assert [s.p_value for s in out] == pytest.approx(raw, rel=1e-12)
    assert [s.p_value_adjusted for s in out] == pytest.approx(multipletests(raw, method="holm")[1], rel=1e-12)
    assert sample_ratio_mismatch_by_slice({}, SPLIT) == []


def test_an_imbalance_hidden_overall_shows_in_its_slices():
    """Android loses treatment units and iOS control units: overall the split holds."""
    rng = np.random.default_rng(2)
    slices = {"android": _looks(rng, 500, 14, (0.55, 0.45)), "ios": _looks(rng, 500, 14, (0.45, 0.55))}
    overall = slices["android"] + slices["ios"]
    assert sequential_sample_ratio_mismatch(overall, SPLIT)[-1] > 0.05
    assert all(s.p_value_adjusted < 0.001 for s in sample_ratio_mismatch_by_slice(slices, SPLIT))


def test_a_a_false_alarms_over_all_slices_stay_at_most_the_nominal_rate():
    """1,000 A/A experiments, 6 slices of different sizes, read every day for 14 days:
    the share of experiments with any slice below 0.05 at any look is at most 5%."""
    rng = np.random.default_rng(3)
    sizes = (600, 300, 150, 80, 40, 20)
    alarms = 0
    for _ in range(1000):
        slices = {i: _looks(rng, size, 14) for i, size in enumerate(sizes)}
        # any look: each slice's sequential p-value never rises, so the last look's is its minimum
        alarms += any(s.p_value_adjusted < 0.05 for s in sample_ratio_mismatch_by_slice(slices, SPLIT))
    assert alarms / 1000 <= 0.05
