"""Welch's t: Welch-Satterthwaite degrees of freedom and two-sided p-values."""

from __future__ import annotations

import math

from scipy.special import stdtr, stdtrit


def welch_df(var_treatment: float, n_treatment: int, var_control: float, n_control: int) -> float:
    """(V_t + V_c)^2 / (V_t^2 / (n_t - 1) + V_c^2 / (n_c - 1)) for the variances V of two
    arm estimates, written with weights summing to 1 so that it cannot under/overflow."""
    total = var_treatment + var_control
    w_t, w_c = var_treatment / total, var_control / total
    return 1.0 / (w_t**2 / (n_treatment - 1) + w_c**2 / (n_control - 1))


# scipy.special's Student t functions are what scipy.stats.t calls underneath,
# without its per-call argument checking (most of an analysis' time otherwise).
def t_p_value(estimate: float, variance: float, df: float) -> float:
    return float(2 * stdtr(df, -abs(estimate) / math.sqrt(variance)))


def t_quantile(probability: float, df: float) -> float:
    return float(stdtrit(df, probability))
