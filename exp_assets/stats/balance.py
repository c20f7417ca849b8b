"""Balance tests of an experiment's arms from group-level counts and sums:
sample ratio mismatch (chi-square goodness of fit of units per arm against the
configured split, its always-valid sequential form, and that form per value of a
dimension) and Welch's t on pre-exposure covariate means."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as st
from scipy.special import gammaln, xlogy

from .corrections import adjust
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


# Dirichlet prior of the sequential SRM test: alpha_0 = concentration * expected shares,
# Lindon & Malek's (2022) choice (and savvi's default), most powerful against
# deviations of a few percent of the split once there are thousands of units.
SRM_PRIOR_CONCENTRATION = 100.0


def sequential_sample_ratio_mismatch(
    cumulative_units: Sequence[Sequence[float]], weights: Sequence[float],
    concentration: float = SRM_PRIOR_CONCENTRATION,
) -> list[float]:
    """Always-valid SRM p-values (Lindon & Malek, "Anytime-valid inference for
    multinomial count data", NeurIPS 2022), one per look.

    `cumulative_units[t]` are the units per arm first exposed by look t (days in
    order, from the experiment's start). Under the configured split the Bayes factor
    of a Dirichlet(concentration * shares) mixture against the multinomial is a
    nonnegative martingale in the units, so by Ville's inequality the chance that
    1 / BF ever falls below alpha, at any look or set of looks, is at most alpha:
    p_t = min(1, min over looks s <= t of 1 / BF_s) may be read every day and over
    any window of days without inflating false alarms. It never rises, so a window's
    worst day is its last day and every run that covers a day reports the same value.
    """
    share = np.asarray(weights, dtype=float)
    share = share / share.sum()
    prior = concentration * share
    p_value, out = 1.0, []
    for counts in cumulative_units:
        x = np.asarray(counts, dtype=float)
        if x.shape != share.shape or len(x) < 2:
            raise ValueError(f"need one count per arm and at least two arms, got {len(x)} and {len(share)}")
        # log BF = log DirichletMultinomial(x; prior) - log Multinomial(x; share); the
        # multinomial coefficients cancel.
        log_mixture = (gammaln(prior.sum()) - gammaln(prior.sum() + x.sum())
                       + float(np.sum(gammaln(prior + x) - gammaln(prior))))
        log_bf = log_mixture - float(np.sum(xlogy(x, share)))
        p_value = min(p_value, math.exp(min(-log_bf, 0.0)))
        out.append(p_value)
    return out


@dataclass(frozen=True)
class SliceSrm:
    """The sequential SRM test of one dimension value, and its p-value adjusted for
    the number of slices tested."""

    value: object
    p_value: float
    p_value_adjusted: float


def sample_ratio_mismatch_by_slice(
    cumulative_units: Mapping[object, Sequence[Sequence[float]]], weights: Sequence[float],
    concentration: float = SRM_PRIOR_CONCENTRATION,
) -> list[SliceSrm]:
    """Dimensional imbalance (Eppo): the always-valid SRM test within each value of a
    dimension, its units per arm by look in `cumulative_units[value]`, as of the last
    look; Holm-adjusted over the slices (Holm's step-down controls the chance of any
    false alarm among them at alpha, like Bonferroni, and rejects at least as much).
    An imbalance in one slice can hide in the overall test when other slices offset it."""
    tested = [(value, sequential_sample_ratio_mismatch(looks, weights, concentration)[-1])
              for value, looks in cumulative_units.items() if len(looks)]
    if not tested:
        return []
    adjusted = adjust(np.array([p for _, p in tested]), "holm")
    return [SliceSrm(value, p, float(q)) for (value, p), q in zip(tested, adjusted)]


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


__all__ = ["ArmSums", "SliceSrm", "SrmTest", "sample_ratio_mismatch", "sample_ratio_mismatch_by_slice",
           "sequential_sample_ratio_mismatch", "welch_mean_difference_p_value"]
