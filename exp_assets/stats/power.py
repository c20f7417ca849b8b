"""Power, minimum detectable effect (MDE) and sample size of the two-sample test
of treatment minus control, from per-arm units and per-unit variances.

The test statistic is Delta / se with se^2 = var_c / n_c + var_t / n_t, where var is
the per-unit variance of the arm statistic: a mean's sample variance, or for a
ratio metric (and for CUPED-adjusted values) the delta method's g' S g
(`unit_variance`). Against N(0, 1) (z; the default, as for planning) or Student's t
with `df` degrees of freedom (noncentral t under the alternative), two-sided or
one-sided (the alternative Delta > 0). A multiple-testing correction enters only
through `alpha`: pass the level each test is run at (e.g. alpha / m, Bonferroni).

Relative MDE: the absolute MDE over |control mean|. Sample sizes are continuous
(round up to use them); `total_units` splits them by the arms' shares.
"""

from __future__ import annotations

import math

from scipy import optimize
from scipy import stats as st

from .arms import Arm
from .moments import Moments

DEFAULT_POWER = 0.8


def standard_error(variance_control: float, n_control: float, variance_treatment: float, n_treatment: float) -> float:
    """sd of mean_t - mean_c for per-unit variances and units per arm."""
    for name, n in (("n_control", n_control), ("n_treatment", n_treatment)):
        if not n > 0:
            raise ValueError(f"{name} must be positive, got {n!r}")
    return math.sqrt(variance_control / n_control + variance_treatment / n_treatment)


def power(effect: float, std_error: float, alpha: float, *, two_sided: bool = True, df: float | None = None) -> float:
    """Chance that the test at level alpha rejects when the true difference is `effect`."""
    _check(alpha, std_error)
    shift = effect / std_error
    if df is None:
        if not two_sided:
            return float(st.norm.sf(st.norm.isf(alpha) - shift))
        critical = st.norm.isf(alpha / 2)
        return float(st.norm.sf(critical - shift) + st.norm.cdf(-critical - shift))
    if not two_sided:
        return float(st.nct.sf(st.t.isf(alpha, df), df, shift))
    critical = st.t.isf(alpha / 2, df)
    return float(st.nct.sf(critical, df, shift) + st.nct.cdf(-critical, df, shift))


def minimum_detectable_effect(std_error: float, alpha: float, target: float = DEFAULT_POWER, *,
                              two_sided: bool = True, df: float | None = None) -> float:
    """The smallest positive effect the test detects with probability `target`."""
    _check(alpha, std_error)
    _check_power(target)
    # z, one-sided: exactly (z_{1-alpha} + z_target) se; otherwise solve power(effect) = target
    guess = (st.norm.isf(alpha / (2 if two_sided else 1)) + st.norm.ppf(target)) * std_error
    if df is None and not two_sided:
        return float(guess)
    gap = lambda effect: power(effect, std_error, alpha, two_sided=two_sided, df=df) - target  # noqa: E731
    upper = guess
    while gap(upper) < 0:
        upper *= 2
    return float(optimize.brentq(gap, 0.0, upper, xtol=1e-14 * upper, rtol=1e-14))


def total_units(effect: float, variance_control: float, variance_treatment: float, alpha: float,
                target: float = DEFAULT_POWER, *, share_control: float = 0.5, share_treatment: float = 0.5,
                two_sided: bool = True) -> float:
    """Units of both arms together (n_c + n_t, split share_control : share_treatment)
    at which the z test detects `effect` with probability `target`."""
    if effect == 0:
        raise ValueError("effect must be nonzero")
    if not (share_control > 0 and share_treatment > 0):
        raise ValueError("shares must be positive")
    total = share_control + share_treatment
    # se at N units is sqrt(k / N): solve MDE(sqrt(k / N)) = |effect|; the MDE is linear in se
    k = variance_control / (share_control / total) + variance_treatment / (share_treatment / total)
    mde_per_unit_se = minimum_detectable_effect(1.0, alpha, target, two_sided=two_sided)
    return k * (mde_per_unit_se / abs(effect)) ** 2


def days_to_power(effect: float, units_now: float, units_per_day: float, variance_control: float,
                  variance_treatment: float, alpha: float, target: float = DEFAULT_POWER, *,
                  share_control: float = 0.5, share_treatment: float = 0.5, two_sided: bool = True) -> float:
    """More days, at `units_per_day` new units (both arms), until the z test detects
    `effect` with probability `target`; 0 when it already does."""
    if not units_per_day > 0:
        raise ValueError(f"units_per_day must be positive, got {units_per_day!r}")
    needed = total_units(effect, variance_control, variance_treatment, alpha, target, share_control=share_control,
                         share_treatment=share_treatment, two_sided=two_sided)
    return max(needed - units_now, 0.0) / units_per_day


def unit_variance(moments: Moments, pre_exposure: bool = False) -> float | None:
    """Per-unit variance (ddof 1) of an arm's statistic: its mean's, or a ratio's
    delta-method linearisation; with `pre_exposure`, of the same statistic over the
    pre-exposure values (the CUPED covariate), which is what a power analysis at the
    start has. None where the statistic is undefined (a ratio's denominator mean 0,
    no covariate)."""
    arm = Arm.of(moments)
    linear = arm.pre if pre_exposure else arm.statistic
    if linear is None:
        return None
    return moments.variance(linear.gradient)


def _check(alpha: float, std_error: float) -> None:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")
    if not std_error > 0:
        raise ValueError(f"std_error must be positive, got {std_error!r}")


def _check_power(target: float) -> None:
    if not 0 < target < 1:
        raise ValueError(f"target power must be in (0, 1), got {target!r}")
