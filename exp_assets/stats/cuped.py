"""CUPED: the regression coefficient theta of the arm statistic on its pre-exposure twin."""

from __future__ import annotations

from collections.abc import Iterable

from .arms import Arm


def pooled_theta(arms: Iterable[Arm]) -> float | None:
    """Within-arm pooled slope of mu's linearisation on mu_pre's, over every arm of a group.

    theta = sum_arms (n - 1) Cov(l, l_pre) / sum_arms (n - 1) Var(l_pre), where l and
    l_pre are the per-unit linearisations of mu and mu_pre. For plain means this is
    exactly the OLS coefficient of x in y ~ variant dummies + x. None (no adjustment)
    when an arm with units has no usable covariate or the pooled covariate variance is 0.
    """
    scatter = spread = 0.0
    for arm in arms:
        if arm.statistic is None:
            continue  # no statistic to adjust; it is not compared either
        if arm.pre is None:
            return None
        if arm.n < 2:
            continue
        scatter += (arm.n - 1) * arm.moments.covariance(arm.statistic.gradient, arm.pre.gradient)
        spread += (arm.n - 1) * arm.moments.variance(arm.pre.gradient)
    return scatter / spread if spread > 0 else None
