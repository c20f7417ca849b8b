"""CUPED with many covariates from per-arm sums, checked against statsmodels OLS on
the unit-level design, against the project's single-covariate CUPED, and by A/A
simulation."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats as sps

from exp_assets.stats import Moments
from exp_assets.stats.arms import Arm
from exp_assets.stats.cuped import pooled_theta
from exp_assets.stats.difference import compare
from exp_assets.stats.regression import CovariateSums, regression_adjusted_difference


def _arm(rng, n, shift=0.0, p=3):
    """Covariates that predict the outcome: the outcome's own pre-period value and two
    other metrics, plus noise; `shift` is the treatment effect."""
    x = rng.gamma(2.0, 1.5, size=(n, p)) + rng.normal(0, 1, size=(n, 1))
    y = 1.0 + x @ np.array([0.6, 0.5, -0.4])[:p] + rng.normal(0, 1.5, size=n) + shift
    return y, x


@pytest.mark.parametrize("arms", [2, 3])
def test_equals_statsmodels_ols_on_the_unit_level_design(arms):
    rng = np.random.default_rng(1)
    data = [_arm(rng, n, shift) for n, shift in zip((300, 450, 380), (0.0, 0.3, -0.2))][:arms]
    sums = [CovariateSums.of(y, x) for y, x in data]
    result = regression_adjusted_difference(sums[0], sums[1], sums[2:])

    y = np.concatenate([y for y, _ in data])
    x = np.vstack([x for _, x in data])
    dummies = np.zeros((len(y), arms - 1))
    start = len(data[0][0])
    for j, (yj, _) in enumerate(data[1:]):
        dummies[start:start + len(yj), j] = 1
        start += len(yj)
    design = sm.add_constant(np.column_stack([dummies, x - x.mean(0)]))
    fit = sm.OLS(y, design).fit()  # cov_type "nonrobust"
    assert result.effect == pytest.approx(fit.params[1], rel=1e-9, abs=1e-12)
    assert result.ols_variance == pytest.approx(fit.bse[1] ** 2, rel=1e-9)
    np.testing.assert_allclose(result.theta, fit.params[arms:], rtol=1e-9)


def test_the_project_convention_is_the_per_arm_variance_of_the_adjusted_values():
    rng = np.random.default_rng(2)
    (yc, xc), (yt, xt) = _arm(rng, 500), _arm(rng, 700, 0.2)
    result = regression_adjusted_difference(CovariateSums.of(yc, xc), CovariateSums.of(yt, xt))
    expected = (yc - xc @ result.theta).var(ddof=1) / 500 + (yt - xt @ result.theta).var(ddof=1) / 700
    assert result.variance == pytest.approx(expected, rel=1e-9)
    assert result.unadjusted_variance == pytest.approx(yc.var(ddof=1) / 500 + yt.var(ddof=1) / 700, rel=1e-9)
    assert result.variance_reduction == pytest.approx(1 - expected / result.unadjusted_variance, rel=1e-9)


def test_one_covariate_is_the_projects_cuped():
    rng = np.random.default_rng(3)
    (yc, xc), (yt, xt) = _arm(rng, 400, p=1), _arm(rng, 420, 0.5, p=1)
    arms = [Arm.of(_moments(y, x[:, 0])) for y, x in ((yc, xc), (yt, xt))]
    cuped = compare(arms[0], arms[1], pooled_theta(arms))
    result = regression_adjusted_difference(CovariateSums.of(yc, xc), CovariateSums.of(yt, xt))
    assert result.effect == pytest.approx(cuped.abs_effect, rel=1e-9)
    assert result.variance == pytest.approx(cuped.abs_variance, rel=1e-9)
    assert result.variance_reduction == pytest.approx(cuped.variance_reduction, rel=1e-9)


def test_collinear_covariates_and_mismatched_arms_are_named():
    rng = np.random.default_rng(4)
    (yc, xc), (yt, xt) = _arm(rng, 50), _arm(rng, 50)
    twice = lambda x: np.column_stack([x, 2 * x[:, 0]])  # noqa: E731
    with pytest.raises(ValueError, match="collinear"):
        regression_adjusted_difference(CovariateSums.of(yc, twice(xc)), CovariateSums.of(yt, twice(xt)))
    with pytest.raises(ValueError, match="same covariates"):
        regression_adjusted_difference(CovariateSums.of(yc, xc), CovariateSums.of(yt, xt[:, :2]))


def test_a_a_false_positives_and_variance_reduction_over_single_covariate_cuped():
    """4,000 A/A experiments of 2 x 300 units: the two-sided 5% test rejects in
    [4%, 6%] of them, and the many-covariate variance is below the one-covariate one
    (the outcome's own pre-period value only) on average."""
    rng = np.random.default_rng(5)
    reps, n = 4000, 300
    rejections, many, single = 0, [], []
    critical = sps.norm.isf(0.025)
    for _ in range(reps):
        (yc, xc), (yt, xt) = _arm(rng, n), _arm(rng, n)
        result = regression_adjusted_difference(CovariateSums.of(yc, xc), CovariateSums.of(yt, xt))
        one = regression_adjusted_difference(CovariateSums.of(yc, xc[:, :1]), CovariateSums.of(yt, xt[:, :1]))
        rejections += abs(result.effect) / np.sqrt(result.variance) > critical
        many.append(result.variance_reduction)
        single.append(one.variance_reduction)
    assert 0.04 <= rejections / reps <= 0.06
    assert np.mean(many) > np.mean(single) + 0.1, (np.mean(many), np.mean(single))


def _moments(y, x):
    values = np.column_stack([y, np.zeros_like(y), x, np.zeros_like(y)])
    return Moments(len(y), values.sum(0), values.T @ values, (True, False, True, False))
