"""Power, MDE and sample size, checked against statsmodels' power module and by
simulation (the rejection rate at the computed sample size)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats as sps
from statsmodels.stats.power import NormalIndPower, TTestIndPower

from exp_assets.stats import Moments
from exp_assets.stats.power import (
    days_to_power,
    minimum_detectable_effect,
    power,
    standard_error,
    total_units,
    unit_variance,
)

SIGMA = 2.5


@pytest.mark.parametrize("two_sided", [True, False])
@pytest.mark.parametrize("n_c, n_t, effect, alpha", [(400, 400, 0.4, 0.05), (1000, 600, 0.25, 0.01), (50, 80, 1.3, 0.1)])
def test_power_equals_statsmodels(n_c, n_t, effect, alpha, two_sided):
    se = standard_error(SIGMA**2, n_c, SIGMA**2, n_t)
    alternative = "two-sided" if two_sided else "larger"
    kwargs = dict(effect_size=effect / SIGMA, nobs1=n_c, alpha=alpha, ratio=n_t / n_c, alternative=alternative)
    assert power(effect, se, alpha, two_sided=two_sided) == pytest.approx(NormalIndPower().power(**kwargs), rel=1e-10)
    t_power = power(effect, se, alpha, two_sided=two_sided, df=n_c + n_t - 2)
    assert t_power == pytest.approx(TTestIndPower().power(**kwargs), rel=1e-9)


@pytest.mark.parametrize("two_sided", [True, False])
def test_mde_and_sample_size_equal_statsmodels(two_sided):
    alpha, n_c, ratio = 0.05 / 3, 800, 0.5  # a Bonferroni level for three tests, a 2:1 split
    alternative = "two-sided" if two_sided else "larger"
    se = standard_error(SIGMA**2, n_c, SIGMA**2, n_c * ratio)
    # statsmodels' solver stops early (1e-8 to 1e-5); its power at our MDE is the target to 1e-10
    for test, df in ((NormalIndPower(), None), (TTestIndPower(), n_c * (1 + ratio) - 2)):
        mde = minimum_detectable_effect(se, alpha, two_sided=two_sided, df=df)
        d = test.solve_power(nobs1=n_c, alpha=alpha, power=0.8, ratio=ratio, alternative=alternative)
        assert mde == pytest.approx(d * SIGMA, rel=1e-4)
        at_mde = test.power(effect_size=mde / SIGMA, nobs1=n_c, alpha=alpha, ratio=ratio, alternative=alternative)
        assert at_mde == pytest.approx(0.8, abs=1e-10)

    effect = 0.3
    n1 = NormalIndPower().solve_power(effect_size=effect / SIGMA, alpha=alpha, power=0.8, ratio=ratio,
                                      alternative=alternative)
    n = total_units(effect, SIGMA**2, SIGMA**2, alpha, share_control=2, share_treatment=1, two_sided=two_sided)
    assert n == pytest.approx(n1 * (1 + ratio), rel=1e-6)
    at_n = NormalIndPower().power(effect_size=effect / SIGMA, nobs1=n * 2 / 3, alpha=alpha, ratio=ratio,
                                  alternative=alternative)
    assert at_n == pytest.approx(0.8, abs=1e-10)


def test_days_to_power_at_the_current_accrual():
    alpha, effect, var = 0.05, 0.2, 4.0
    needed = total_units(effect, var, var, alpha)
    # closed form of the two-sided z test, ignoring the far tail (it is < 1e-5 here)
    assert needed == pytest.approx(4 * var * (sps.norm.isf(alpha / 2) + sps.norm.ppf(0.8)) ** 2 / effect**2, rel=1e-4)
    assert days_to_power(effect, needed - 300, 100, var, var, alpha) == pytest.approx(3.0)
    assert days_to_power(effect, needed + 1, 100, var, var, alpha) == 0.0
    with pytest.raises(ValueError, match="units_per_day"):
        days_to_power(effect, 10, 0, var, var, alpha)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="alpha"):
        power(1.0, 1.0, 1.5)
    with pytest.raises(ValueError, match="std_error"):
        minimum_detectable_effect(0.0, 0.05)
    with pytest.raises(ValueError, match="n_treatment"):
        standard_error(1, 10, 1, 0)


def test_the_simulated_rejection_rate_at_the_computed_sample_size_is_the_target():
    """Skewed (exponential) unit values, a 1:2 split, one-sided z at 0.025: at the
    computed total the Welch z test rejects in 80% +- 2 points of 4,000 experiments."""
    rng = np.random.default_rng(20)
    alpha, mean_c, lift = 0.025, 3.0, 0.08
    effect = mean_c * lift
    n = math.ceil(total_units(effect, mean_c**2, (mean_c + effect) ** 2, alpha, share_control=1, share_treatment=2,
                              two_sided=False))
    n_c, n_t = round(n / 3), n - round(n / 3)
    reps = 4000
    c = rng.exponential(mean_c, size=(reps, n_c))
    t = rng.exponential(mean_c + effect, size=(reps, n_t))
    z = (t.mean(1) - c.mean(1)) / np.sqrt(c.var(1, ddof=1) / n_c + t.var(1, ddof=1) / n_t)
    rate = float(np.mean(z > sps.norm.isf(alpha)))
    assert abs(rate - 0.8) <= 0.02, (n, rate)


def test_ratio_metric_power_by_the_delta_method_matches_simulation():
    """Revenue per order (a ratio of two per-unit sums): its per-unit delta-method
    variance from moments, the sample size from it, and the simulated two-sided
    rejection rate of the delta-method z test at that size."""
    rng = np.random.default_rng(7)

    def units(size, lift):
        orders = rng.poisson(1.5, size=size) + 1
        revenue = orders * rng.gamma(2.0, 10.0 * (1 + lift), size=size)
        return revenue, orders

    y, d = units(200_000, 0.0)
    moments = Moments(len(y), [y.sum(), d.sum(), 0, 0], _products(y, d), (True, True, False, False))
    ratio = y.mean() / d.mean()
    linear = (y - ratio * d) / d.mean()
    assert unit_variance(moments) == pytest.approx(linear.var(ddof=1), rel=1e-9)

    lift = 0.05
    # the treatment's revenue per order is (1 + lift) times the control's: its variance (1 + lift)^2 times
    n = math.ceil(total_units(ratio * lift, unit_variance(moments), unit_variance(moments) * (1 + lift) ** 2, 0.05))
    reps, half = 3000, n // 2
    rejections = 0
    for _ in range(reps):
        yc, dc = units(half, 0.0)
        yt, dt = units(n - half, lift)
        rc, rt = yc.sum() / dc.sum(), yt.sum() / dt.sum()
        vc = ((yc - rc * dc) / dc.mean()).var(ddof=1) / half
        vt = ((yt - rt * dt) / dt.mean()).var(ddof=1) / (n - half)
        rejections += abs(rt - rc) / math.sqrt(vc + vt) > sps.norm.isf(0.025)
    assert abs(rejections / reps - 0.8) <= 0.02, (n, rejections / reps)


def _products(y, d):
    products = np.zeros((4, 4))
    products[:2, :2] = [[y @ y, y @ d], [d @ y, d @ d]]
    return products


def test_power_at_the_start_reads_the_pre_exposure_values():
    """Before any post-exposure data, the covariate (each unit's pre-period value) gives
    the variance: a mean's, and a ratio's by the delta method."""
    rng = np.random.default_rng(3)
    y, d = rng.gamma(2.0, 3.0, 5000), rng.poisson(2.0, 5000) + 1.0
    x, xd = rng.gamma(2.0, 3.0, 5000), rng.poisson(2.0, 5000) + 1.0
    values = np.column_stack([y, d, x, xd])
    ratio = Moments(5000, values.sum(0), values.T @ values, (True, True, True, True))
    pre_ratio = x.mean() / xd.mean()
    assert unit_variance(ratio, pre_exposure=True) == pytest.approx(
        ((x - pre_ratio * xd) / xd.mean()).var(ddof=1), rel=1e-9)
    mean_only = values[:, [0, 2]]
    products = np.zeros((4, 4))
    products[np.ix_([0, 2], [0, 2])] = mean_only.T @ mean_only
    mean = Moments(5000, [y.sum(), 0, x.sum(), 0], products, (True, False, True, False))
    assert unit_variance(mean, pre_exposure=True) == pytest.approx(x.var(ddof=1), rel=1e-9)
    assert unit_variance(Moments(5000, [y.sum(), 0, 0, 0], np.diag([y @ y, 0, 0, 0]),
                                 (True, False, False, False)), pre_exposure=True) is None


def test_before_outcomes_can_be_tested_the_goals_power_comes_from_pre_exposure_values():
    """On an experiment's first day a goal whose outcomes do not vary yet has no test;
    its MDE then comes from the units' pre-exposure values (the CUPED covariate), as
    statsmodels' power analysis of those values gives it."""
    import pandas as pd

    from exp_assets.config import parse_config
    from exp_assets.plan import ExperimentPlan
    from exp_assets.recommendation import PRE_EXPOSURE, decide
    from exp_assets_tests import fixtures

    text = fixtures.config_text(Path("w.duckdb"), metrics=["revenue"], cuped_days=7,
                                stats="    goal_metrics: [revenue]\n    minimum_detectable_effect: 0.1")
    config = parse_config(text)
    plan = ExperimentPlan(config, config.experiments[0])
    rng = np.random.default_rng(5)
    rows = []
    for variant in ("control", "treatment"):
        x = rng.gamma(2.0, 10.0, 400)  # pre-exposure revenue; no revenue since exposure yet
        rows.append({"metric": "revenue", "variant": variant, "dimension": "overall", "n": 400, "sum": 0.0,
                     "sum_squares": 0.0, "covariate_sum": x.sum(), "covariate_sum_squares": x @ x,
                     "main_covariate_sum_product": 0.0, "var": x.var(ddof=1), "mean": x.mean()})
    moments = pd.DataFrame(rows)
    (decision,) = decide(plan, moments.drop(columns=["var", "mean"]), fixtures.START, [])
    (goal,) = decision.goals
    assert goal.basis == PRE_EXPOSURE
    level = decision.recommendation.goal_level
    sd = np.sqrt((rows[0]["var"] + rows[1]["var"]) / 2)  # statsmodels' effect size is in pooled sds
    effect = NormalIndPower().solve_power(nobs1=400, alpha=level, power=goal.test_power, ratio=1.0,
                                          alternative="larger")
    se_ratio = np.sqrt(rows[0]["var"] / 400 + rows[1]["var"] / 400) / (sd * np.sqrt(2 / 400))
    assert goal.mde == pytest.approx(effect * sd * se_ratio / rows[0]["mean"], rel=1e-5)  # a numeric solve
