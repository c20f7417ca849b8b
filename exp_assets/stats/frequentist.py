"""Welch's t-test on sufficient statistics, absolute and relative (delta method)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats as st

from .sufficient import SampleStats


@dataclass(frozen=True)
class Effect:
    """Treatment-vs-control result. `reason` says why some numbers are None."""

    abs_effect: float | None = None
    abs_ci_lower: float | None = None
    abs_ci_upper: float | None = None
    rel_effect: float | None = None
    rel_ci_lower: float | None = None
    rel_ci_upper: float | None = None
    p_value: float | None = None
    df: float | None = None
    reason: str | None = None


def welch_test(control: SampleStats, treatment: SampleStats, alpha: float = 0.05) -> Effect:
    """Two-sided Welch t-test of treatment - control, with (1 - alpha) CIs."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    for name, arm in (("control", control), ("treatment", treatment)):
        if arm.n < 2:
            return Effect(reason=f"fewer than 2 units in {name}")

    m_c, m_t = control.mean, treatment.mean
    v_c, v_t = control.variance, treatment.variance
    abs_effect = float(m_t - m_c)
    se2_c, se2_t = v_c / control.n, v_t / treatment.n
    se2 = se2_c + se2_t
    if se2 == 0:
        return Effect(abs_effect=abs_effect, reason="zero variance")

    # Welch-Satterthwaite, written with weights summing to 1 so it cannot under/overflow.
    w_c, w_t = se2_c / se2, se2_t / se2
    df = 1.0 / (w_c**2 / (control.n - 1) + w_t**2 / (treatment.n - 1))
    se = math.sqrt(se2)
    q = float(st.t.ppf(1 - alpha / 2, df))
    p_value = float(2 * st.t.sf(abs(abs_effect) / se, df))
    absolute = dict(
        abs_effect=abs_effect,
        abs_ci_lower=abs_effect - q * se,
        abs_ci_upper=abs_effect + q * se,
        p_value=p_value,
        df=float(df),
    )
    if m_c == 0:
        return Effect(**absolute, reason="control mean is 0, relative effect undefined")

    # Delta method for mean_t / mean_c, arms independent; reuses the Welch df.
    rel_effect = m_t / m_c - 1
    rel_se = math.sqrt(v_t / (treatment.n * m_c**2) + m_t**2 * v_c / (control.n * m_c**4))
    return Effect(
        **absolute,
        rel_effect=float(rel_effect),
        rel_ci_lower=float(rel_effect - q * rel_se),
        rel_ci_upper=float(rel_effect + q * rel_se),
    )
