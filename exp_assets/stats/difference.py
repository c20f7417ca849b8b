"""Treatment minus control: absolute and relative effects and their delta-method variances."""

from __future__ import annotations

from dataclasses import dataclass

from .arms import Arm
from .frequentist import welch_df


@dataclass(frozen=True)
class Difference:
    """Point estimates and variances of one treatment-vs-control comparison.

    Fields are None where undefined; `reason` then says why. abs_variance is None
    when no inference is possible (too few units, an arm without variance, ...).
    """

    abs_effect: float | None = None
    abs_variance: float | None = None
    rel_effect: float | None = None
    rel_variance: float | None = None
    df: float | None = None  # Welch-Satterthwaite, from the two arms' variances
    units: int | None = None  # n_t + n_c
    control_statistic: float | None = None  # mu_c, unadjusted
    control_variance: float | None = None  # Var(mu_c)
    effect_control_covariance: float | None = None  # Cov(Delta, mu_c), through the control arm
    theta: float | None = None  # CUPED coefficient used, None without CUPED
    variance_reduction: float | None = None
    reason: str | None = None


def compare(control: Arm | None, treatment: Arm | None, theta: float | None = None,
            min_units: int = 2) -> Difference:
    """Delta = a_t - a_c with a = mu - theta * mu_pre (a = mu without CUPED), and
    r = Delta / mu_c relative to the unadjusted control statistic.

    No inference (abs_variance None, with a reason) when an arm has fewer than
    `min_units` informative units, or when either arm's statistic does not vary:
    an arm without variance would be treated as known exactly (a proportion with no
    conversions, a ratio from one buyer), and tests then reject far too often."""
    for name, arm in (("control", control), ("treatment", treatment)):
        if arm is None or arm.n < 2:
            return Difference(reason=f"fewer than 2 units in {name}")
        if arm.statistic is None:
            return Difference(reason=f"denominator mean is 0 in {name}")
        if arm.informative_units < min_units:
            which = "units with a nonzero denominator" if arm.moments.denominator_units is not None else "units"
            return Difference(reason=f"fewer than {min_units} {which} in {name} ({arm.informative_units})")
    assert control is not None and treatment is not None and control.statistic is not None
    assert treatment.statistic is not None
    a_c, a_t = control.adjusted(theta), treatment.adjusted(theta)
    v_c, v_t = control.variance(a_c), treatment.variance(a_t)
    plain_c, plain_t = control.variance(control.statistic), treatment.variance(treatment.statistic)
    known = dict(
        abs_effect=a_t.value - a_c.value,
        units=control.n + treatment.n,
        control_statistic=control.statistic.value,
        theta=theta,
    )
    for name, plain, adjusted in (("control", plain_c, v_c), ("treatment", plain_t, v_t)):
        if plain == 0 or adjusted == 0:
            return Difference(**known, reason=f"zero variance in {name}")
    known.update(abs_variance=v_c + v_t, df=welch_df(v_t, treatment.n, v_c, control.n))
    if theta is not None:
        plain = plain_c + plain_t
        known.update(variance_reduction=1 - (v_c + v_t) / plain if plain > 0 else None)

    mu_c = control.statistic.value
    # Cov(Delta, mu_c) = -Cov(a_c, mu_c): the treatment arm is independent of mu_c
    covariance = -control.moments.covariance(a_c.gradient, control.statistic.gradient) / control.n
    known.update(control_variance=plain_c, effect_control_covariance=covariance)
    if mu_c == 0:
        return Difference(**known, reason="control mean is 0, relative effect undefined")
    # r = (a_t - a_c) / mu_c with independent arms: the treatment contributes V_t / mu_c^2,
    # the control through both a_c and mu_c (gradient -1/mu_c and -Delta/mu_c^2).
    delta = known["abs_effect"]
    control_gradient = -a_c.gradient / mu_c - delta / mu_c**2 * control.statistic.gradient
    rel_variance = v_t / mu_c**2 + control.moments.variance(control_gradient) / control.n
    return Difference(**known, rel_effect=delta / mu_c, rel_variance=rel_variance)
