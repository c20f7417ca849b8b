"""Multiple-testing corrections over one family of p-values (statsmodels)."""

from __future__ import annotations

import numpy as np
from statsmodels.stats.multitest import multipletests

_STATSMODELS = {"bonferroni": "bonferroni", "bh": "fdr_bh"}


def adjust(p_values: np.ndarray, correction: str) -> np.ndarray:
    p_values = np.asarray(p_values, dtype=float)
    if correction == "none" or not len(p_values):
        return p_values
    if correction == "holm":
        return _holm(p_values)
    return multipletests(p_values, method=_STATSMODELS[correction])[1]


def _holm(p_values: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment, as statsmodels' multipletests(method="holm")
    computes it (tested against it), without the gc.collect() statsmodels runs
    on every Holm call (0.1 s each: minutes over a results backfill)."""
    order = np.argsort(p_values)
    stepped = np.maximum.accumulate(p_values[order] * np.arange(len(p_values), 0, -1))
    adjusted = np.empty_like(p_values)
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted


def interval_alpha(alpha: float, correction: str, family_size: int, p_value: float, adjusted: float) -> float:
    """The level of a row's adjusted interval, which excludes 0 exactly when its
    adjusted p-value is below alpha. Bonferroni: alpha / m, its simultaneous
    intervals. Holm and Benjamini-Hochberg define no intervals of their own; like
    GrowthBook, we back one out of the adjusted p-value: the interval at level
    alpha * p / p_adjusted (an interval at level a excludes 0 iff p < a, and
    p < alpha * p / p_adjusted iff p_adjusted < alpha)."""
    if correction == "none":
        return alpha
    if correction == "bonferroni" or adjusted <= 0:
        return alpha / family_size
    return alpha * p_value / adjusted
