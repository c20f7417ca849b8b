"""CUPED, ratio metrics and ratio + CUPED through `analyze`, checked against statsmodels
OLS (classical and HC2) and against independent numpy linearisations of the unit data."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as sps
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW, ttest_ind

from exp_assets.stats import AnalysisOptions, Moments, analyze
from exp_assets.stats.arms import Arm
from exp_assets_tests.test_stats_support import (
    close,
    close_pair,
    fieller_reference,
    frame,
    moment_row,
    welch_df,
    welch_var,
)

ALPHA = 0.05


def rows_of(out):
    return [SimpleNamespace(**r) for r in out.to_dict("records")]


def delta_mode(df):
    """The treatment row of `df` analysed with relative_interval: delta."""
    return rows_of(analyze(df, "control", AnalysisOptions(relative_interval="delta")))[-1]


# --- CUPED ---------------------------------------------------------------------


def cuped_data(seed=1, n_c=400, n_t=420, lift=0.3):
    rng = np.random.default_rng(seed)
    x_c, x_t = rng.gamma(3.0, 2.0, n_c), rng.gamma(3.0, 2.0, n_t)
    y_c = 2.0 + 0.8 * x_c + rng.normal(0, 2.0, n_c)
    y_t = 2.0 + lift + 0.8 * x_t + rng.normal(0, 2.5, n_t)
    return y_c, x_c, y_t, x_t


def test_cuped_matches_ols_and_hc2():
    y_c, x_c, y_t, x_t = cuped_data()
    df_in = frame(moment_row("control", y_c, x=x_c), moment_row("t", y_t, x=x_t))
    out = analyze(df_in, "control")
    control, r = rows_of(out)

    y = np.concatenate([y_c, y_t])
    x = np.concatenate([x_c, x_t])
    treat = np.r_[np.zeros(len(y_c)), np.ones(len(y_t))]
    full = sm.OLS(y, np.column_stack([np.ones_like(y), treat, x - x.mean()])).fit()
    theta = full.params[2]
    assert r.cuped_applied and not control.cuped_applied
    close(r.theta, theta)
    close(r.abs_effect, full.params[1])
    assert pd.isna(control.theta) and pd.isna(control.abs_effect)

    # SE: HC2 of the regression of the adjusted outcome on the treatment dummy is Welch's SE.
    adjusted = y - theta * x
    hc2 = sm.OLS(adjusted, np.column_stack([np.ones_like(y), treat])).fit(cov_type="HC2")
    a_t, a_c = adjusted[treat == 1], adjusted[treat == 0]
    _, p_sm, df = ttest_ind(a_t, a_c, usevar="unequal")
    se = (r.abs_ci_upper - r.abs_ci_lower) / (2 * sps.t.ppf(1 - ALPHA / 2, df))
    close(se, hc2.bse[1])
    assert se == pytest.approx(full.bse[1], rel=0.05)
    close(r.p_value, p_sm)
    lo, hi = CompareMeans(DescrStatsW(a_t), DescrStatsW(a_c)).tconfint_diff(alpha=ALPHA, usevar="unequal")
    close(r.abs_ci_lower, lo)
    close(r.abs_ci_upper, hi)

    # Variance reduction against the unadjusted Welch SE.
    se_plain = np.sqrt(welch_var(y_t, y_c))
    close(r.variance_reduction, 1 - se**2 / se_plain**2)
    assert 0.3 < r.variance_reduction < 1

    # Relative effect: Delta over the unadjusted control mean; the control's per-unit
    # linearisation goes through both its adjusted mean and its plain mean.
    mu_c = y_c.mean()
    delta = full.params[1]
    lin_c = -(a_c - a_c.mean()) / mu_c - delta / mu_c**2 * (y_c - mu_c)
    var_rel = np.var(a_t, ddof=1) / (len(a_t) * mu_c**2) + np.var(lin_c, ddof=1) / len(lin_c)
    q = sps.t.ppf(1 - ALPHA / 2, df)
    close(r.rel_effect, delta / mu_c)
    close_pair((r.rel_ci_lower, r.rel_ci_upper), fieller_reference(a_t, a_c, y_c, delta, mu_c, q))
    d = delta_mode(df_in)
    close(d.rel_ci_lower, delta / mu_c - q * np.sqrt(var_rel))
    close(d.rel_ci_upper, delta / mu_c + q * np.sqrt(var_rel))
    close(d.p_value, 2 * sps.t.sf(abs(delta / mu_c) / np.sqrt(var_rel), df))
    close(r.mean, y_t.mean())  # the arm statistic is reported unadjusted
    close(r.control_mean, mu_c)


def test_cuped_theta_is_pooled_over_three_arms():
    rng = np.random.default_rng(4)
    data = {}
    for v, lift in (("control", 0.0), ("a", 0.5), ("b", -0.4)):
        x = rng.normal(10, 3, 300)
        data[v] = (5 + lift + 0.6 * x + rng.normal(0, 1.5, 300), x)
    out = analyze(frame(*(moment_row(v, y, x=x) for v, (y, x) in data.items())), "control")
    y = np.concatenate([data[v][0] for v in data])
    x = np.concatenate([data[v][1] for v in data])
    is_a = np.repeat([0.0, 1.0, 0.0], 300)
    is_b = np.repeat([0.0, 0.0, 1.0], 300)
    fit = sm.OLS(y, np.column_stack([np.ones_like(y), is_a, is_b, x - x.mean()])).fit()
    _, a, b = rows_of(out)
    close(a.theta, fit.params[3])
    close(b.theta, fit.params[3])
    close(a.abs_effect, fit.params[1])
    close(b.abs_effect, fit.params[2])
    # each comparison is Welch on the adjusted values of its two arms only
    adj = {v: data[v][0] - fit.params[3] * data[v][1] for v in data}
    close(a.p_value, sps.ttest_ind(adj["a"], adj["control"], equal_var=False).pvalue)
    close(b.p_value, sps.ttest_ind(adj["b"], adj["control"], equal_var=False).pvalue)


def test_cuped_falls_back_when_the_covariate_is_constant():
    y_c, _, y_t, _ = cuped_data(seed=2)
    df = frame(moment_row("control", y_c, x=np.full(len(y_c), 0.7)), moment_row("t", y_t, x=np.full(len(y_t), 0.7)))
    r = rows_of(analyze(df, "control"))[1]
    assert not r.cuped_applied and pd.isna(r.theta) and pd.isna(r.variance_reduction)
    close(r.abs_effect, y_t.mean() - y_c.mean())
    close(r.p_value, sps.ttest_ind(y_t, y_c, equal_var=False).pvalue)


def test_cuped_off_or_covariate_missing_in_an_arm_gives_plain_welch():
    y_c, x_c, y_t, x_t = cuped_data(seed=3)
    expected = sps.ttest_ind(y_t, y_c, equal_var=False).pvalue
    both = frame(moment_row("control", y_c, x=x_c), moment_row("t", y_t, x=x_t))
    r = rows_of(analyze(both, "control", AnalysisOptions(cuped=False)))[1]
    assert not r.cuped_applied and pd.isna(r.theta)
    close(r.p_value, expected)
    one = frame(moment_row("control", y_c, x=x_c), moment_row("t", y_t))
    r = rows_of(analyze(one, "control"))[1]
    assert not r.cuped_applied
    close(r.p_value, expected)


# --- ratio metrics -------------------------------------------------------------


def ratio_data(seed=5, n_c=350, n_t=380):
    rng = np.random.default_rng(seed)
    d_c, d_t = rng.poisson(3.0, n_c) + 1.0, rng.poisson(3.2, n_t) + 1.0
    m_c = d_c * rng.gamma(2.0, 10.0, n_c)
    m_t = d_t * rng.gamma(2.0, 11.0, n_t)
    return m_c, d_c, m_t, d_t


def linearised(m, d):
    """l_i = (m_i - R d_i) / mean(d): the per-unit influence of the ratio R = sum m / sum d."""
    ratio = m.sum() / d.sum()
    return (m - ratio * d) / d.mean(), ratio


def test_ratio_arm_variance_is_the_variance_of_linearised_values():
    m, d, _, _ = ratio_data()
    arm = Arm.of(Moments.from_row(moment_row("v", m, d=d)))
    lin, ratio = linearised(m, d)
    close(arm.statistic.value, ratio)
    close(arm.variance(arm.statistic), np.var(lin, ddof=1) / len(m))
    # ... which is the delta method's Var(M/D) = var_m/mu_d^2 + var_d mu_m^2/mu_d^4 - 2 cov mu_m/mu_d^3, / n
    cov = np.cov(m, d, ddof=1)
    mu_m, mu_d = m.mean(), d.mean()
    delta_method = cov[0, 0] / mu_d**2 + cov[1, 1] * mu_m**2 / mu_d**4 - 2 * cov[0, 1] * mu_m / mu_d**3
    close(arm.variance(arm.statistic), delta_method / len(m))


def test_ratio_effect_ci_and_p():
    m_c, d_c, m_t, d_t = ratio_data()
    df_in = frame(moment_row("control", m_c, d=d_c), moment_row("t", m_t, d=d_t))
    out = analyze(df_in, "control")
    control, r = rows_of(out)
    lin_c, r_c = linearised(m_c, d_c)
    lin_t, r_t = linearised(m_t, d_t)
    close(control.mean, r_c)
    close(r.mean, r_t)
    close(r.abs_effect, r_t - r_c)
    # Welch on the linearised values shifted to their ratios is the delta-method test.
    _, p_sm, df = ttest_ind(lin_t + r_t, lin_c + r_c, usevar="unequal")
    lo, hi = CompareMeans(DescrStatsW(lin_t + r_t), DescrStatsW(lin_c + r_c)).tconfint_diff(usevar="unequal")
    close(r.p_value, p_sm)
    close(r.abs_ci_lower, lo)
    close(r.abs_ci_upper, hi)
    var_rel = np.var(lin_t, ddof=1) / (len(lin_t) * r_c**2) + r_t**2 * np.var(lin_c, ddof=1) / (len(lin_c) * r_c**4)
    q = sps.t.ppf(0.975, df)
    close(r.rel_effect, r_t / r_c - 1)
    close_pair((r.rel_ci_lower, r.rel_ci_upper), fieller_reference(lin_t, lin_c, lin_c, r_t - r_c, r_c, q))
    d = delta_mode(df_in)
    close(d.rel_ci_lower, r_t / r_c - 1 - q * np.sqrt(var_rel))
    close(d.rel_ci_upper, r_t / r_c - 1 + q * np.sqrt(var_rel))
    assert not r.cuped_applied


def test_ratio_with_zero_denominator_mean():
    m_c, d_c, _, _ = ratio_data()
    zeros = np.zeros(20)
    out = analyze(frame(moment_row("control", m_c, d=d_c), moment_row("t", zeros, d=zeros)), "control")
    _, r = rows_of(out)
    assert r.reason == "denominator mean is 0 in treatment"
    assert r.units == 20 and pd.isna(r.mean)
    assert all(pd.isna(getattr(r, c)) for c in ("abs_effect", "abs_ci_lower", "rel_effect", "p_value"))
    out = analyze(frame(moment_row("control", zeros, d=zeros), moment_row("t", m_c, d=d_c)), "control")
    control, r = rows_of(out)
    assert r.reason == "denominator mean is 0 in control" and pd.isna(r.control_mean)
    assert pd.isna(control.mean)


# --- ratio + CUPED -------------------------------------------------------------


def test_ratio_with_cuped_matches_numpy_linearisation():
    rng = np.random.default_rng(8)
    arms = {}
    for v, n, lift in (("control", 300, 1.0), ("t", 320, 1.08)):
        xd = rng.poisson(3.0, n) + 1.0
        x = xd * rng.gamma(2.0, 10.0, n)
        d = np.maximum(1.0, xd + rng.poisson(1.0, n) - 1)
        m = lift * (0.5 * x / xd * d + d * rng.gamma(2.0, 5.0, n))
        arms[v] = (m, d, x, xd)
    df_in = frame(*(moment_row(v, m, d=d, x=x, xd=xd) for v, (m, d, x, xd) in arms.items()))
    out = analyze(df_in, "control")
    _, r = rows_of(out)

    lin = {v: linearised(m, d) for v, (m, d, x, xd) in arms.items()}
    pre = {v: linearised(x, xd) for v, (m, d, x, xd) in arms.items()}
    theta = sum((lin[v][0] * pre[v][0]).sum() for v in arms) / sum((pre[v][0] ** 2).sum() for v in arms)
    adjusted = {v: lin[v][1] - theta * pre[v][1] for v in arms}
    adj_lin = {v: lin[v][0] - theta * pre[v][0] for v in arms}
    assert r.cuped_applied
    close(r.theta, theta)
    close(r.abs_effect, adjusted["t"] - adjusted["control"])
    a_t, a_c = adj_lin["t"] + adjusted["t"], adj_lin["control"] + adjusted["control"]
    _, p_sm, df = ttest_ind(a_t, a_c, usevar="unequal")
    lo, hi = CompareMeans(DescrStatsW(a_t), DescrStatsW(a_c)).tconfint_diff(usevar="unequal")
    close(r.p_value, p_sm)
    close(r.abs_ci_lower, lo)
    close(r.abs_ci_upper, hi)
    plain = np.var(lin["t"][0], ddof=1) / len(a_t) + np.var(lin["control"][0], ddof=1) / len(a_c)
    close(r.variance_reduction, 1 - welch_var(a_t, a_c) / plain)
    assert r.variance_reduction > 0.1
    assert welch_df(a_t, a_c) == pytest.approx(df)

    r_c = lin["control"][1]
    delta = adjusted["t"] - adjusted["control"]
    lin_rel_c = -adj_lin["control"] / r_c - delta / r_c**2 * lin["control"][0]
    var_rel = np.var(adj_lin["t"], ddof=1) / (len(a_t) * r_c**2) + np.var(lin_rel_c, ddof=1) / len(a_c)
    q = sps.t.ppf(0.975, df)
    close(r.rel_effect, delta / r_c)
    close_pair((r.rel_ci_lower, r.rel_ci_upper),
               fieller_reference(adj_lin["t"], adj_lin["control"], lin["control"][0], delta, r_c, q))
    d = delta_mode(df_in)
    close(d.rel_ci_lower, delta / r_c - q * np.sqrt(var_rel))
    close(d.rel_ci_upper, delta / r_c + q * np.sqrt(var_rel))


def test_exact_relations_are_zero_variance_not_rounding_noise():
    rng = np.random.default_rng(1)
    d_c, d_t = rng.poisson(3, 1000) + 1.0, rng.poisson(3, 1200) + 1.0
    out = analyze(frame(moment_row("control", 0.1 * d_c, d=d_c), moment_row("t", 0.3 * d_t, d=d_t)), "control")
    r = rows_of(out)[1]
    assert r.reason == "zero variance in control" and pd.isna(r.p_value)
    close(r.abs_effect, 0.2)
    # a covariate that explains y exactly leaves nothing to test either
    x_c, x_t = rng.normal(size=500), rng.normal(size=500)
    out = analyze(frame(moment_row("control", 0.7 * x_c + 1.1, x=x_c), moment_row("t", 0.7 * x_t + 1.3, x=x_t)), "control")
    r = rows_of(out)[1]
    assert r.reason == "zero variance in control" and pd.isna(r.p_value) and pd.isna(r.abs_ci_lower)
    close(r.theta, 0.7)
    close(r.abs_effect, 0.2)
