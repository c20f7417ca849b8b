"""Welch's t: Welch-Satterthwaite degrees of freedom, t intervals and two-sided p-values."""

from __future__ import annotations

import math

from scipy import stats as st


def welch_df(var_treatment: float, n_treatment: int, var_control: float, n_control: int) -> float:
    """(V_t + V_c)^2 / (V_t^2 / (n_t - 1) + V_c^2 / (n_c - 1)) for the variances V of two
    arm estimates, written with weights summing to 1 so that it cannot under/overflow."""
    total = var_treatment + var_control
    w_t, w_c = var_treatment / total, var_control / total
    return 1.0 / (w_t**2 / (n_treatment - 1) + w_c**2 / (n_control - 1))


def t_interval(estimate: float, variance: float, df: float, alpha: float) -> tuple[float, float]:
    half = float(st.t.ppf(1 - alpha / 2, df)) * math.sqrt(variance)
    return estimate - half, estimate + half


def t_p_value(estimate: float, variance: float, df: float) -> float:
    return float(2 * st.t.sf(abs(estimate) / math.sqrt(variance), df))
