"""Balance tests of an experiment's arms from group-level counts and sums:
sample ratio mismatch (chi-square goodness of fit of units per arm against the
configured split) and Welch's t on pre-exposure covariate means."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as st

from .frequentist import t_p_value, welch_df


@dataclass(frozen=True)
class SrmTest:
    chi_square: float
    p_value: float
    units: int


def sample_ratio_mismatch(units: Sequence[float], weights: Sequence[float]) -> SrmTest:
    """Chi-square goodness of fit of `units` per arm against `weights` (any positive
    scale; normalised here). No units at all is no evidence of a mismatch: p = 1."""
    observed = np.asarray(units, dtype=float)
    share = np.asarray(weights, dtype=float)
    if observed.shape != share.shape or len(observed) < 2:
        raise ValueError(f"need one weight per arm and at least two arms, got {len(observed)} and {len(share)}")
    total = float(observed.sum())
    if total <= 0:
        return SrmTest(0.0, 1.0, 0)
    result = st.chisquare(observed, share / share.sum() * total)
    return SrmTest(float(result.statistic), float(result.pvalue), int(round(total)))


@dataclass(frozen=True)
class ArmSums:
    """n, sum and sum of squares of a unit-level value in one arm."""

    n: int
    sum: float
    sum_squares: float

    @property
    def mean(self) -> float:
        return self.sum / self.n if self.n else math.nan

    @property
    def variance(self) -> float:
        """Sample variance (n - 1); clipped at 0 against rounding."""
        if self.n < 2:
            return math.nan
        return max((self.sum_squares - self.sum**2 / self.n) / (self.n - 1), 0.0)


def welch_mean_difference_p_value(treatment: ArmSums, control: ArmSums) -> float:
    """Two-sided Welch p-value of mean(treatment) = mean(control). NaN when an arm
    has fewer than 2 units; when neither arm varies, 1 if the means are equal, else 0."""
    if treatment.n < 2 or control.n < 2:
        return math.nan
    v_t, v_c = treatment.variance / treatment.n, control.variance / control.n
    difference = treatment.mean - control.mean
    if v_t + v_c <= 0:
        return 1.0 if math.isclose(difference, 0.0, abs_tol=1e-12) else 0.0
    return t_p_value(difference, v_t + v_c, welch_df(v_t, treatment.n, v_c, control.n))


__all__ = ["ArmSums", "SrmTest", "sample_ratio_mismatch", "welch_mean_difference_p_value"]
