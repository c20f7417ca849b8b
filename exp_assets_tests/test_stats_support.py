"""Helpers for the stats tests (no tests here): moment rows built from unit-level arrays,
written from the input contract, not from the package's code."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

NAMES = {"y": "", "d": "denominator_", "x": "covariate_", "xd": "covariate_denominator_"}
PRODUCTS = {
    ("y", "d"): "main_denominator_sum_product",
    ("y", "x"): "main_covariate_sum_product",
    ("y", "xd"): "main_covariate_denominator_sum_product",
    ("d", "x"): "denominator_covariate_sum_product",
    ("d", "xd"): "denominator_covariate_denominator_sum_product",
    ("x", "xd"): "covariate_covariate_denominator_sum_product",
}


def moment_row(variant: str, y, d=None, x=None, xd=None, **keys) -> dict:
    """One input row (keys, variant, n, moments) from an arm's unit-level arrays."""
    arrays = {k: np.asarray(v, dtype=float) for k, v in dict(y=y, d=d, x=x, xd=xd).items() if v is not None}
    row = {**keys, "variant": variant, "n": len(arrays["y"])}
    for name, values in arrays.items():
        row[f"{NAMES[name]}sum"] = float(values.sum())
        row[f"{NAMES[name]}sum_squares"] = float((values * values).sum())
    for (a, b), column in PRODUCTS.items():
        if a in arrays and b in arrays:
            row[column] = float((arrays[a] * arrays[b]).sum())
    return row


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def close(actual, expected, rtol=1e-9):
    """Assert a real, finite number equal to expected within rtol."""
    assert actual is not None and not pd.isna(actual), f"expected {expected}, got {actual}"
    assert actual == pytest.approx(expected, rel=rtol, abs=1e-15)


def welch_var(a, b):
    """Variance of mean(a) - mean(b), arms independent."""
    return np.var(a, ddof=1) / len(a) + np.var(b, ddof=1) / len(b)


def welch_df(a, b):
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    return (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))


def fieller_reference(t_lin, c_lin, s_lin, delta, mu_c, q):
    """Fieller's interval for delta / mu_c found by root-finding on its pivot (no
    closed form): the r where (delta - r mu_c)^2 = q^2 Var(delta - r mu_c), with
    Var(delta - r mu_c) = var(t_lin) / n_t + var(c_lin + r s_lin) / n_c from the
    per-unit linearisations of the treatment estimate (t_lin), the control estimate
    (c_lin) and the control statistic mu_c (s_lin)."""
    from scipy.optimize import brentq

    t_lin, c_lin, s_lin = (np.asarray(a, dtype=float) for a in (t_lin, c_lin, s_lin))

    def excess(r):
        variance = np.var(t_lin, ddof=1) / len(t_lin) + np.var(c_lin + r * s_lin, ddof=1) / len(c_lin)
        return (delta - r * mu_c) ** 2 - q**2 * variance

    centre = delta / mu_c
    bounds = []
    for direction in (-1, 1):
        step = 1e-3 + abs(centre)
        while excess(centre + direction * step) < 0:
            step *= 2
            assert step < 1e12, "unbounded Fieller interval"
        bounds.append(brentq(excess, *sorted((centre, centre + direction * step)), xtol=1e-14, rtol=1e-13))
    return tuple(bounds)


def close_pair(actual, expected, rtol=1e-9):
    close(actual[0], expected[0], rtol)
    close(actual[1], expected[1], rtol)
