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

In the pipeline the sums come from the warehouse's regression_moments table, in
long format: per arm, the sum over units of term_a * term_b for each pair of terms
(CONSTANT, OUTCOME or a covariate), one row per unordered pair. `covariate_sums`
reads them into CovariateSums, `regression_difference` turns an arm pair into the
Difference the results report (covariates without within-arm variance, or
collinear with earlier ones, are dropped first: the fit is the same).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .difference import Difference
from .frequentist import welch_df

CONSTANT = "1"  # the term whose products are the plain sums: (1, 1) is n, (1, y) is sum y
OUTCOME = "y"  # the metric's value
DUMMY_SEPARATOR = "="  # a dimension value's 0/1 dummy is the term "<dimension>=<value>" (no other term has "=")
COVARIATE_SUMS = "covariate_sums"  # the analysis frame's column of each arm's CovariateSums (or None)


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

    @classmethod
    def from_terms(cls, sums: Mapping[tuple[str, str], float], covariates: Sequence[str]) -> CovariateSums:
        """An arm's sums from {(term_a, term_b): sum of term_a * term_b} (either order;
        a missing pair sums to 0: a dimension value the arm has no unit of, or two
        values of one dimension)."""
        def total(a: str, b: str) -> float:
            if a == b and DUMMY_SEPARATOR in a:  # a dummy's square is itself
                a = CONSTANT
            return float(sums.get((a, b), sums.get((b, a), 0.0)))

        x = list(covariates)
        return cls(round(total(CONSTANT, CONSTANT)), total(CONSTANT, OUTCOME), total(OUTCOME, OUTCOME),
                   np.array([total(CONSTANT, c) for c in x]),
                   np.array([[total(a, b) for b in x] for a in x]).reshape(len(x), len(x)),
                   np.array([total(c, OUTCOME) for c in x]))

    def subset(self, keep: Sequence[int]) -> CovariateSums:
        k = np.asarray(keep, dtype=int)
        return CovariateSums(self.n, self.sum_y, self.sum_y_squares, self.sum_x[k], self.sum_x_outer[np.ix_(k, k)],
                             self.sum_x_y[k])

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


# a covariate whose within-arm variance is below this share of its raw second moment
# is constant (up to rounding); one whose residual on the kept ones is below this
# share of its variance is collinear with them
_TOLERANCE = 1e-9


def independent_covariates(arms: Sequence[CovariateSums]) -> list[int]:
    """Indices of the covariates kept, in order: each varies within arms and is not
    a linear combination of the ones kept before it (pooled within arms)."""
    scatter = sum(a.scatter_xx for a in arms)
    raw = sum(np.diag(a.sum_x_outer) for a in arms)
    kept: list[int] = []
    for j in range(len(raw)):
        if scatter[j, j] <= _TOLERANCE * raw[j]:
            continue
        if kept:
            s_kk, s_kj = scatter[np.ix_(kept, kept)], scatter[kept, j]
            if scatter[j, j] - s_kj @ np.linalg.solve(s_kk, s_kj) <= _TOLERANCE * scatter[j, j]:
                continue
        kept.append(j)
    return kept


def regression_difference(control: CovariateSums, treatment: CovariateSums,
                          others: Sequence[CovariateSums] = ()) -> Difference | None:
    """The Difference of the results for a mean metric adjusted for every covariate
    (None when no covariate varies). Its theta is the first covariate's coefficient
    (the metric's own pre-exposure value, as `covariate_sums` orders them; None if
    that one was dropped). The relative effect's variance is the delta method's on
    (mean y, mean x) of each arm, as `difference.compare` computes it for one covariate."""
    arms = [control, treatment, *others]
    kept = independent_covariates(arms)
    if not kept:
        return None
    control, treatment, *others = (a.subset(kept) for a in arms)
    adjustment = regression_adjusted_difference(control, treatment, others)
    theta = adjustment.theta
    v_c = control.adjusted_variance(theta) / control.n
    v_t = treatment.adjusted_variance(theta) / treatment.n
    mu_c, delta = control.mean_y, adjustment.effect
    # per-unit covariances (ddof 1) of the control's (y, x)
    var_y = control.scatter_yy / (control.n - 1)
    cov_xy = control.scatter_xy / (control.n - 1)
    cov_xx = control.scatter_xx / (control.n - 1)
    known = dict(
        abs_effect=delta, abs_variance=v_c + v_t, df=welch_df(v_t, treatment.n, v_c, control.n),
        units=control.n + treatment.n, control_statistic=mu_c, control_variance=var_y / control.n,
        # Cov(Delta, mean y_c) = -Cov(mean of y - theta'x, mean y) over the control
        effect_control_covariance=-(var_y - theta @ cov_xy) / control.n,
        theta=float(theta[0]) if kept[0] == 0 else None,
        variance_reduction=adjustment.variance_reduction,
    )
    if mu_c == 0:
        return Difference(**known, reason="control mean is 0, relative effect undefined")
    # r = Delta / mu_c: the control's gradient on (mean y, mean x) is (-1/mu_c - Delta/mu_c^2, theta/mu_c)
    g_y, g_x = -1 / mu_c - delta / mu_c**2, theta / mu_c
    control_part = (g_y**2 * var_y + 2 * g_y * (g_x @ cov_xy) + g_x @ cov_xx @ g_x) / control.n
    return Difference(**known, rel_effect=delta / mu_c, rel_variance=v_t / mu_c**2 + control_part)


def covariate_sums(frame: pd.DataFrame, own_covariate: Callable[[str], str]) -> dict[tuple, CovariateSums]:
    """(as_of_date, rollup, metric, variant) -> the arm's CovariateSums, from
    regression_moments rows (as_of_date, rollup, metric, variant, term_a, term_b,
    value) of one or more days: a metric's rows hold the products with OUTCOME, the
    rows without rollup and metric the products of the other terms, shared by every
    metric and rollup of the day and arm. The covariates are the metric's own
    (`own_covariate(metric)`) first, then the others in name order."""
    shared_rows = frame["metric"].isna()
    shared: dict[tuple, dict] = {}
    for (day, variant), rows in frame[shared_rows].groupby(["as_of_date", "variant"], sort=False):
        shared[day, variant] = dict(zip(zip(rows["term_a"], rows["term_b"]), rows["value"]))
    covariates = sorted({t for t in (*frame["term_a"], *frame["term_b"]) if t not in (CONSTANT, OUTCOME)})
    out = {}
    for (day, rollup, metric, variant), rows in frame[~shared_rows].groupby(
            ["as_of_date", "rollup", "metric", "variant"], sort=False):
        own = own_covariate(metric)
        terms = {**shared.get((day, variant), {}), **dict(zip(zip(rows["term_a"], rows["term_b"]), rows["value"]))}
        order = [own, *(c for c in covariates if c != own)] if own in covariates else covariates
        if terms.get((CONSTANT, CONSTANT), 0) >= 2:
            out[day, rollup, metric, variant] = CovariateSums.from_terms(terms, order)
    return out
