"""An arm's statistic as a smooth function of its means, linearised (delta method).

The arm statistic mu is the mean of y, or the ratio mean(y) / mean(d) for ratio
metrics; its pre-exposure counterpart mu_pre is the mean of x, or mean(x) / mean(xd).
Each is kept as a value and its gradient over the four means, so that one routine,
`Moments.variance(gradient) / n`, gives the variance of every statistic built from
them: means, ratios, CUPED-adjusted differences and relative effects alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .moments import COVARIATE, COVARIATE_DENOMINATOR, DENOMINATOR, MAIN, Moments


@dataclass(frozen=True, eq=False)
class Linear:
    """A smooth function of an arm's means to first order: value and gradient."""

    value: float
    gradient: np.ndarray

    def minus(self, other: Linear, factor: float) -> Linear:
        """self - factor * other."""
        return Linear(self.value - factor * other.value, self.gradient - factor * other.gradient)


def mean_or_ratio(moments: Moments, numerator: int, denominator: int) -> Linear | None:
    """mean(numerator) / mean(denominator) when the rows carry the denominator, else
    mean(numerator); None when the denominator's mean is 0."""
    mean = moments.mean
    gradient = np.zeros(4)
    if not moments.has(denominator):
        gradient[numerator] = 1.0
        return Linear(float(mean[numerator]), gradient)
    if mean[denominator] == 0:
        return None
    ratio = mean[numerator] / mean[denominator]
    gradient[numerator] = 1.0 / mean[denominator]
    gradient[denominator] = -ratio / mean[denominator]
    return Linear(float(ratio), gradient)


@dataclass(frozen=True, eq=False)
class Arm:
    """One variant within one group: its moments, statistic mu and covariate mu_pre."""

    moments: Moments
    statistic: Linear | None  # None: ratio metric whose denominator mean is 0
    pre: Linear | None  # None: no covariate (or its denominator mean is 0)

    @classmethod
    def of(cls, moments: Moments) -> Arm:
        pre = None
        if moments.has(COVARIATE):
            pre = mean_or_ratio(moments, COVARIATE, COVARIATE_DENOMINATOR)
        return cls(moments, mean_or_ratio(moments, MAIN, DENOMINATOR), pre)

    @property
    def n(self) -> int:
        return self.moments.n

    @property
    def informative_units(self) -> int:
        """Units that inform the statistic: all of them for a mean, those with a
        nonzero denominator for a ratio (where the rows say)."""
        known = self.moments.denominator_units
        return self.n if known is None else known

    def adjusted(self, theta: float | None) -> Linear:
        """mu - theta * mu_pre (just mu without CUPED)."""
        assert self.statistic is not None
        if theta is None:
            return self.statistic
        assert self.pre is not None
        return self.statistic.minus(self.pre, theta)

    def variance(self, linear: Linear) -> float:
        """Delta-method variance of a statistic of this arm's means."""
        return self.moments.variance(linear.gradient) / self.n
