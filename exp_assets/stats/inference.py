"""From a Difference to what a results row reports, for the chosen engine.

A frequentist row's p-value and its intervals come from one test, so that the
verdict and every interval shown agree: an interval at level alpha excludes 0
exactly when p < alpha. With `relative_interval: fieller` the test is the one on
the absolute effect (Welch's t or the confidence sequence), and the relative
interval is Fieller's set {r : |Delta - r mu_c| <= k sd(Delta - r mu_c)} for the
same critical value k, which contains r = 0 exactly when |Delta| <= k sd(Delta).
With `delta` the test is on the relative effect with its delta-method variance,
and the absolute interval is the relative one times mu_c.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import sequential
from .bayesian import posterior
from .difference import Difference
from .frequentist import t_p_value, t_quantile
from .options import AnalysisOptions

UNBOUNDED = "relative interval unbounded: the control mean is within its own margin of error of 0"


@dataclass(frozen=True)
class Inference:
    abs_effect: float | None = None
    abs_ci_lower: float | None = None
    abs_ci_upper: float | None = None
    rel_effect: float | None = None
    rel_ci_lower: float | None = None
    rel_ci_upper: float | None = None
    p_value: float | None = None
    chance_to_beat_control: float | None = None
    expected_loss: float | None = None
    reason: str | None = None


def infer(diff: Difference, options: AnalysisOptions) -> Inference:
    if diff.abs_variance is None:
        return Inference(abs_effect=diff.abs_effect, reason=diff.reason)
    if options.engine == "bayesian":
        return _bayesian(diff, options)
    abs_lo, abs_hi, rel_lo, rel_hi = intervals(diff, options, options.alpha)
    reason = diff.reason
    if reason is None and diff.rel_effect is not None and rel_lo is None:
        reason = UNBOUNDED
    return Inference(
        abs_effect=diff.abs_effect,
        abs_ci_lower=abs_lo,
        abs_ci_upper=abs_hi,
        rel_effect=diff.rel_effect,
        rel_ci_lower=rel_lo,
        rel_ci_upper=rel_hi,
        p_value=p_value(diff, options),
        reason=reason,
    )


def _tested(diff: Difference, options: AnalysisOptions) -> tuple[float, float]:
    """(estimate, variance) of the effect the test is on."""
    if options.relative_interval == "delta" and diff.rel_effect is not None:
        return diff.rel_effect, diff.rel_variance
    return diff.abs_effect, diff.abs_variance


def p_value(diff: Difference, options: AnalysisOptions) -> float:
    estimate, variance = _tested(diff, options)
    if options.sequential:
        rho = sequential.rho(options.alpha, options.sequential_tuning)
        return sequential.p_value(estimate, variance, diff.units, rho)
    return t_p_value(estimate, variance, diff.df)


def critical_value(diff: Difference, options: AnalysisOptions, alpha: float) -> float:
    """Half-width per standard error at level alpha: Student's t with Welch's df, or
    the confidence sequence's (rho fixed by the analysis alpha, see sequential.py)."""
    if options.sequential:
        rho = sequential.rho(options.alpha, options.sequential_tuning)
        return sequential.multiplier(diff.units, alpha, rho)
    return t_quantile(1 - alpha / 2, diff.df)


def intervals(diff: Difference, options: AnalysisOptions, alpha: float) -> tuple[float | None, ...]:
    """Frequentist (abs_lo, abs_hi, rel_lo, rel_hi) at level alpha; relative bounds
    are None where the relative effect is undefined or its interval unbounded."""
    k = critical_value(diff, options, alpha)
    estimate, variance = _tested(diff, options)
    lo, hi = estimate - k * math.sqrt(variance), estimate + k * math.sqrt(variance)
    if diff.rel_effect is None:
        return lo, hi, None, None
    if options.relative_interval == "delta":
        abs_lo, abs_hi = sorted((lo * diff.control_statistic, hi * diff.control_statistic))
        return abs_lo, abs_hi, lo, hi
    return (lo, hi, *fieller(diff.abs_effect, diff.control_statistic, diff.abs_variance, diff.control_variance,
                             diff.effect_control_covariance, k))


def fieller(a: float, b: float, var_a: float, var_b: float, cov_ab: float, k: float) -> tuple[float | None, float | None]:
    """Fieller's interval for a / b (Fieller 1954): the r with (a - r b)^2 <= k^2 Var(a - r b),
    i.e. r^2 (b^2 - k^2 var_b) - 2 r (a b - k^2 cov_ab) + (a^2 - k^2 var_a) <= 0.
    (None, None) when that set is unbounded (b is not distinguishable from 0 at k)."""
    quadratic = b * b - k * k * var_b
    if quadratic <= 0:
        return None, None
    linear = a * b - k * k * cov_ab
    constant = a * a - k * k * var_a
    # r = a / b is always inside, so the discriminant is >= 0 up to rounding
    root = math.sqrt(max(linear * linear - quadratic * constant, 0.0))
    return (linear - root) / quadratic, (linear + root) / quadratic


def _bayesian(diff: Difference, options: AnalysisOptions) -> Inference:
    """Prior and posterior live on the relative effect; absolute = relative * mu_c."""
    if diff.rel_variance is None:
        return Inference(reason=diff.reason)
    if diff.rel_variance == 0:
        return Inference(reason="zero variance")
    post = posterior(diff.rel_effect, diff.rel_variance, options.prior_mean, options.prior_stddev)
    rel_lo, rel_hi = post.interval(options.alpha)
    mu_c = diff.control_statistic
    abs_lo, abs_hi = sorted((rel_lo * mu_c, rel_hi * mu_c))
    return Inference(
        abs_effect=post.mean * mu_c,
        abs_ci_lower=abs_lo,
        abs_ci_upper=abs_hi,
        rel_effect=post.mean,
        rel_ci_lower=rel_lo,
        rel_ci_upper=rel_hi,
        chance_to_beat_control=post.chance_positive,
        expected_loss=post.expected_loss,
    )
