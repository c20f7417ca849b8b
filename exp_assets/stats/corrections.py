"""Multiple-testing corrections over one family of p-values (statsmodels)."""

from __future__ import annotations

import numpy as np
from statsmodels.stats.multitest import multipletests

_STATSMODELS = {"bonferroni": "bonferroni", "holm": "holm", "bh": "fdr_bh"}


def adjust(p_values: np.ndarray, correction: str) -> np.ndarray:
    p_values = np.asarray(p_values, dtype=float)
    if correction == "none" or not len(p_values):
        return p_values
    return multipletests(p_values, method=_STATSMODELS[correction])[1]


def interval_alpha(alpha: float, correction: str, family_size: int) -> float | None:
    """The level of the simultaneous intervals matching a correction; None when the
    correction (Holm, Benjamini-Hochberg) defines no such intervals."""
    if correction == "none":
        return alpha
    if correction == "bonferroni":
        return alpha / family_size
    return None
