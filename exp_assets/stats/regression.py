"""CUPED with many covariates (Eppo's CUPED++, Statsig's CURE): the regression-adjusted
difference in means, from group-level sums per arm only.

Each arm gives n, sum y, sum y^2, sum x (a vector of p covariates: pre-exposure values
of any metrics, exposure-dimension dummies, ...), sum x x' and sum x y. The slope theta
is pooled within arms, as single-covariate CUPED pools it:

    theta = (sum_arms S_xx)^-1 (sum_arms S_xy),   S_xx = sum x x' - sum x sum x' / n, ...

and the adjusted difference is (mean y_t - mean y_c) - theta' (mean x_t - mean x_c): the
coefficient of the treatment dummy in the OLS fit y ~ 1 + treatment + x (equivalently
with centered covariates) on the unit-level data.

Two variances of that difference are reported:
- `variance`, the project's CUPED convention (Deng et al. 2013, as `difference.py`
  computes single-covariate CUPED): theta is taken as known and each arm contributes
  the sample variance (ddof 1) of its adjusted values y - theta' x over its n. It does
  not assume equal variances across arms; the results table uses it.
- `ols_variance`, the classical (homoskedastic, nonrobust) OLS variance of the
  treatment coefficient: sigma^2 = RSS / (N - 2 - p) times the (treatment, treatment)
  entry of (X'X)^-1, equal to statsmodels' OLS `bse ** 2` with cov_type "nonrobust".
  (A heteroskedasticity-consistent variance needs fourth moments of x: not a sum the
  warehouse returns.)

`variance_reduction` is 1 - variance / (the unadjusted difference's variance).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class CovariateSums:
    """One arm's sums over its units of y, y^2, the covariate vector x, x x' and x y."""

    n: int
    sum_y: float
    sum_y_squares: float
    sum_x: np.ndarray  # (p,)
    sum_x_outer: np.ndarray  # (p, p)
    sum_x_y: np.ndarray  # (p,)

    def __post_init__(self) -> None:
        if self.n < 2:
            raise ValueError(f"an arm needs n >= 2, got {self.n}")
        p = len(np.atleast_1d(self.sum_x))
        for name, shape in (("sum_x", (p,)), ("sum_x_outer", (p, p)), ("sum_x_y", (p,))):
            value = np.array(np.atleast_1d(getattr(self, name)), dtype=float)
            if value.shape != shape:
                raise ValueError(f"{name} must have shape {shape}, got {value.shape}")
            object.__setattr__(self, name, value)

    @classmethod
    def of(cls, y: np.ndarray, x: np.ndarray) -> CovariateSums:
        """The sums of unit-level values (for tests and small data): y (n,), x (n, p)."""
        y, x = np.asarray(y, dtype=float), np.asarray(x, dtype=float).reshape(len(y), -1)
        return cls(len(y), float(y.sum()), float(y @ y), x.sum(0), x.T @ x, x.T @ y)

    @property
    def mean_y(self) -> float:
        return self.sum_y / self.n

    @property
    def mean_x(self) -> np.ndarray:
        return self.sum_x / self.n

    @property
    def scatter_xx(self) -> np.ndarray:
        return self.sum_x_outer - np.outer(self.sum_x, self.sum_x) / self.n

    @property
    def scatter_xy(self) -> np.ndarray:
        return self.sum_x_y - self.sum_x * self.sum_y / self.n

    @property
    def scatter_yy(self) -> float:
        return self.sum_y_squares - self.sum_y**2 / self.n

    def adjusted_variance(self, theta: np.ndarray) -> float:
        """Sample variance (ddof 1) of y - theta' x, clipped at 0 against rounding."""
        scatter = self.scatter_yy - 2 * theta @ self.scatter_xy + theta @ self.scatter_xx @ theta
        return max(float(scatter) / (self.n - 1), 0.0)


@dataclass(frozen=True)
class RegressionAdjustment:
    effect: float  # adjusted mean_t - mean_c
    variance: float  # the project's CUPED convention (module docstring)
    ols_variance: float  # classical OLS variance of the treatment coefficient
    unadjusted_effect: float
    unadjusted_variance: float
    theta: np.ndarray

    @property
    def variance_reduction(self) -> float:
        return 1 - self.variance / self.unadjusted_variance


def pooled_slopes(arms: Sequence[CovariateSums]) -> np.ndarray:
    """theta of y on x pooled within arms; ValueError when the covariates are collinear."""
    scatter_xx = sum(a.scatter_xx for a in arms)
    scatter_xy = sum(a.scatter_xy for a in arms)
    if np.linalg.matrix_rank(scatter_xx) < len(scatter_xy):
        raise ValueError("the covariates are collinear within arms (drop one, e.g. a dimension's last dummy)")
    return np.linalg.solve(scatter_xx, scatter_xy)


def regression_adjusted_difference(control: CovariateSums, treatment: CovariateSums,
                                   others: Sequence[CovariateSums] = ()) -> RegressionAdjustment:
    """Treatment minus control, adjusted for the covariates; `others` (further arms of
    the experiment) only help estimate the pooled slope, as in `cuped.pooled_theta`."""
    arms = [control, treatment, *others]
    if len({len(a.sum_x) for a in arms}) > 1:
        raise ValueError("every arm needs the same covariates")
    theta = pooled_slopes(arms)
    raw = treatment.mean_y - control.mean_y
    effect = raw - float(theta @ (treatment.mean_x - control.mean_x))
    variance = control.adjusted_variance(theta) / control.n + treatment.adjusted_variance(theta) / treatment.n
    unadjusted = sum(arm.scatter_yy / (arm.n - 1) / arm.n for arm in (control, treatment))

    # classical OLS of y ~ arm dummies + x over `arms`: RSS = within-arm scatter of y
    # less what the pooled slope explains; Var(coefficient) = sigma^2 * [(1/n_t + 1/n_c)
    # + d' S_xx^-1 d] with d the difference of the arms' covariate means
    scatter_xx = sum(a.scatter_xx for a in arms)
    scatter_xy = sum(a.scatter_xy for a in arms)
    rss = sum(a.scatter_yy for a in arms) - float(theta @ scatter_xy)
    units = sum(a.n for a in arms)
    sigma2 = rss / (units - len(arms) - len(theta))
    d = treatment.mean_x - control.mean_x
    ols_variance = sigma2 * (1 / treatment.n + 1 / control.n + float(d @ np.linalg.solve(scatter_xx, d)))
    return RegressionAdjustment(effect, variance, ols_variance, raw, unadjusted, theta)
