"""GrowthBook's always-valid confidence sequences (Waudby-Smith et al. 2023, the
normal-mixture sequence with the mixing parameter tuned by N*).

Checked against gbstats: growthbook/growthbook packages/stats/gbstats/power/
midexperimentpower.py calls `sequential_rho(alpha, N*)` and
`sequential_interval_halfwidth(s2, n_total, rho, alpha)` with s2 = n * Var(estimate);
a port of those helpers in the code index documents them as eq. 161
(rho = sqrt((-2 ln a + ln(-2 ln a + 1)) / N*)) and eq. 9 (halfwidth = sqrt(s2) *
sqrt(2 (n rho^2 + 1) ln(sqrt(n rho^2 + 1) / a) / (n rho)^2)), with the always-valid
p-value min(1, 1 / e-value) of eq. 155. We use exactly these.

rho is fixed once from the analysis alpha and N*: the sequence is then one object whose
levels are nested, the p-value is the smallest level at which it excludes 0 (closed
form below, no root finding needed), and an interval at another level (Bonferroni's
alpha / m) excludes 0 exactly when the correspondingly adjusted p-value is below alpha.
"""

from __future__ import annotations

import math


def rho(alpha: float, tuning: float) -> float:
    log_alpha = math.log(alpha)
    return math.sqrt((-2 * log_alpha + math.log(-2 * log_alpha + 1)) / tuning)


def halfwidth(variance: float, n: int, alpha: float, rho: float) -> float:
    """Half-width at level alpha for an estimate with variance `variance` from n units."""
    return math.sqrt(variance) * multiplier(n, alpha, rho)


def multiplier(n: int, alpha: float, rho: float) -> float:
    """Half-width per standard error (the sequence's critical value at level alpha):
    sqrt(n) * sqrt(2 (n rho^2 + 1) ln(sqrt(n rho^2 + 1) / alpha) / (n rho)^2)."""
    spread = n * rho**2 + 1
    return math.sqrt(n) * math.sqrt(2 * spread * math.log(math.sqrt(spread) / alpha) / (n * rho) ** 2)


def p_value(estimate: float, variance: float, n: int, rho: float) -> float:
    """The smallest alpha at which the sequence excludes 0: halfwidth(alpha) = |estimate|
    solved for alpha, i.e. sqrt(n rho^2 + 1) * exp(-estimate^2 n rho^2 / (2 Var (n rho^2 + 1))),
    capped at 1 (at no level <= 1 does the sequence exclude 0)."""
    spread = n * rho**2 + 1
    log_p = 0.5 * math.log(spread) - estimate**2 * n * rho**2 / (2 * variance * spread)
    return math.exp(min(log_p, 0.0))
