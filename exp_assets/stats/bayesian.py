"""Gaussian posterior of the relative effect under a Gaussian (or flat) prior."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats as st


@dataclass(frozen=True)
class Posterior:
    mean: float
    sd: float

    def interval(self, alpha: float) -> tuple[float, float]:
        """Equal-tailed (1 - alpha) credible interval."""
        lo, hi = st.norm.ppf([alpha / 2, 1 - alpha / 2], self.mean, self.sd)
        return float(lo), float(hi)

    @property
    def chance_positive(self) -> float:
        return float(st.norm.sf(0.0, self.mean, self.sd))

    @property
    def expected_loss(self) -> float:
        """E[max(0, -effect)] = sd * phi(m / sd) - m * Phi(-m / sd)."""
        z = self.mean / self.sd
        return float(self.sd * st.norm.pdf(z) - self.mean * st.norm.cdf(-z))


def posterior(estimate: float, variance: float, prior_mean: float, prior_sd: float | None) -> Posterior:
    """Conjugate normal update of the likelihood N(estimate, variance)."""
    if prior_sd is None:
        return Posterior(estimate, math.sqrt(variance))
    precision = 1 / variance + 1 / prior_sd**2
    mean = (estimate / variance + prior_mean / prior_sd**2) / precision
    return Posterior(mean, math.sqrt(1 / precision))
