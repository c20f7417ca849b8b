"""Treatment minus control: absolute and relative effects and their delta-method variances."""

from __future__ import annotations

from dataclasses import dataclass

from .arms import Arm
from .frequentist import welch_df


@dataclass(frozen=True)
class Difference:
    """Point estimates and variances of one treatment-vs-control comparison.

    Fields are None where undefined; `reason` then says why. abs_variance is None
    when no inference is possible (too few units, zero variance, ...).
    """

    abs_effect: float | None = None
    abs_variance: float | None = None
    rel_effect: float | None = None
    rel_variance: float | None = None
    df: float | None = None  # Welch-Satterthwaite, from the two arms' variances
    units: int | None = None  # n_t + n_c
    control_statistic: float | None = None  # mu_c, unadjusted
    theta: float | None = None  # CUPED coefficient used, None without CUPED
    variance_reduction: float | None = None
    reason: str | None = None


def compare(control: Arm | None, treatment: Arm | None, theta: float | None = None) -> Difference:
    """Delta = a_t - a_c with a = mu - theta * mu_pre (a = mu without CUPED), and
    r = Delta / mu_c relative to the unadjusted control statistic."""
    for name, arm in (("control", control), ("treatment", treatment)):
        if arm is None or arm.n < 2:
            return Difference(reason=f"fewer than 2 units in {name}")
        if arm.statistic is None:
            return Difference(reason=f"denominator mean is 0 in {name}")
    assert control is not None and treatment is not None and control.statistic is not None
    a_c, a_t = control.adjusted(theta), treatment.adjusted(theta)
    v_c, v_t = control.variance(a_c), treatment.variance(a_t)
    known = dict(
        abs_effect=a_t.value - a_c.value,
        units=control.n + treatment.n,
        control_statistic=control.statistic.value,
        theta=theta,
    )
    if v_c + v_t == 0:
        return Difference(**known, reason="zero variance")
    known.update(abs_variance=v_c + v_t, df=welch_df(v_t, treatment.n, v_c, control.n))
    if theta is not None:
        assert treatment.statistic is not None
        plain = control.variance(control.statistic) + treatment.variance(treatment.statistic)
        known.update(variance_reduction=1 - (v_c + v_t) / plain if plain > 0 else None)

    mu_c = control.statistic.value
    if mu_c == 0:
        return Difference(**known, reason="control mean is 0, relative effect undefined")
    # r = (a_t - a_c) / mu_c with independent arms: the treatment contributes V_t / mu_c^2,
    # the control through both a_c and mu_c (gradient -1/mu_c and -Delta/mu_c^2).
    delta = known["abs_effect"]
    control_gradient = -a_c.gradient / mu_c - delta / mu_c**2 * control.statistic.gradient
    rel_variance = v_t / mu_c**2 + control.moments.variance(control_gradient) / control.n
    return Difference(**known, rel_effect=delta / mu_c, rel_variance=rel_variance)
