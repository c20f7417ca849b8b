"""Quantiles from mergeable log-bucket histograms, with intervals.

The sketch (DDSketch: Masson, Rim & Lee, VLDB 2019), for a relative accuracy alpha
(DEFAULT_ALPHA = 0.01) and gamma = (1 + alpha) / (1 - alpha):

    bucket of x   sign = 0 (the zero bucket) if |x| < MIN_MAGNITUDE, else 1 for x > 0 and -1 for
                  x < 0; index = ceil(ln|x| / ln gamma), 0 for the zero bucket. Bucket (1, i)
                  holds the x in (gamma^(i-1), gamma^i], bucket (-1, i) their negatives.
    its value     sign * 2 * gamma^index / (gamma + 1) (0 for the zero bucket). Every x in the
                  bucket is within relative error alpha of it: |value - x| <= alpha |x|, with
                  equality at the bucket's upper end (and in the limit at its lower end).
                  Values with |x| < MIN_MAGNITUDE count as 0.
    histogram     the count of values per (sign, index). Histograms merge by adding counts
                  bucket by bucket (GROUP BY sign, index, SUM(count)): days and shards combine
                  exactly, whatever the order.
    bucket order  the order of the buckets' values: negatives by descending index, then the zero
                  bucket, then positives by ascending index. x <= y implies bucket(x) <= bucket(y),
                  so the bucket holding the r-th smallest value is found from cumulative counts.
    X_(r)         the value of the bucket holding the r-th smallest of the n values (1 <= r <= n).
    quantile q    X_(ceil(q n)), the lower convention (numpy's method="inverted_cdf"), rank at
                  least 1, q n in double precision. It is within relative error alpha of the
                  exact order statistic of the same rank (up to rounding when a value lies on a
                  bucket's edge; values below MIN_MAGNITUDE in magnitude within MIN_MAGNITUDE
                  absolute).

Unit-level quantile (the q-quantile of the units' values: median revenue per user): the
histogram holds the arm's n unit values. Rank interval (Deng, Knoblich & Yu, "Applying the
Delta Method in Metric Analytics", KDD 2018, quantile metrics; distribution-free, the binomial
rank count in its normal approximation):

    sigma_F = sqrt(q (1 - q) / n)          the standard deviation of the empirical cdf at Q
    L = floor(n (q - z sigma_F)),  U = ceil(n (q + z sigma_F)),  z = Phi^-1(1 - alpha_level / 2)
    interval [X_(L), X_(U)];  standard error (X_(U) - X_(L)) / (2 z), used for the effects.

Event-level quantile (the q-quantile over all N events of an arm: p95 page-load time), events
clustered by unit (the same paper's non-i.i.d. case; GrowthBook's QuantileClusteredStatistic,
Yao, Li & Lu 2024): the histogram holds the N events; the empirical cdf at the estimate,
F = sum_i S_i / sum_i N_i, is a ratio of unit sums, where N_i is unit i's events and S_i those
of its events whose bucket is at or below the estimate's in the bucket order (bucket value <=
the estimate). Over the n units, with r = sum S / sum N, mean_N = sum N / n and the sample
(co)variances (ddof 1) s_SS, s_NN, s_SN of S_i and N_i, the delta method gives

    sigma_F^2 = (s_SS - 2 r s_SN + r^2 s_NN) / (n mean_N^2)

from the ClusterSums (n_units, sum S, sum S^2, sum N = N, sum N^2, sum S N); the ranks and the
interval are then as above with N events. With fewer than 2 units (or no ClusterSums) the
clustering cannot be estimated and sigma_F^2 falls back to the i.i.d. q (1 - q) / N. (Whether
n_units counts units without events hardly matters: they add 0 to every sum, and change
sigma_F^2 only by the factor n / (n - 1).)

Effects of a treatment arm t against a control c (independent arms; normal approximation):

    absolute   Q_t - Q_c,       variance se_t^2 + se_c^2
    relative   Q_t / Q_c - 1,   variance se_t^2 / Q_c^2 + Q_t^2 se_c^2 / Q_c^4 (delta method)
    each with the two-sided p-value 2 Phi(-|effect| / se) and the interval effect -/+ z se.

Nothing raises for small data: numbers that cannot be computed are NaN and `reason` says why.
An arm without values has no estimate. Its interval is undefined (NaN, and so are the effects)
when L < 1 or U > n (too few values for this q: q near 0 or 1 needs more of them). A zero-width
interval (L and U in one bucket: all values in one bucket, or an interval narrower than the
sketch's resolution) gives a standard error of 0, and the effects are then NaN: the sketch
cannot tell how uncertain the estimate is. The interval's ends are bucket values, so the
standard error is known to within about alpha (|X_(L)| + |X_(U)|) / (2 z): when intervals are
only a few buckets wide (large arms), a smaller alpha keeps them informative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as st

from .arms import Arm
from .decision import normal_critical
from .difference import Difference
from .moments import Moments

DEFAULT_ALPHA = 0.01  # the sketch's relative accuracy
MIN_MAGNITUDE = 1e-9  # values smaller in magnitude go to the zero bucket


def log_gamma(alpha: float = DEFAULT_ALPHA) -> float:
    """ln gamma = ln((1 + alpha) / (1 - alpha))."""
    if not 0 < alpha < 1:
        raise ValueError(f"the sketch's alpha must be in (0, 1), got {alpha!r}")
    return math.log1p(alpha) - math.log1p(-alpha)


def bucket_of(values, alpha: float = DEFAULT_ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """(signs, indexes) of each value's bucket, as integer arrays."""
    x = np.asarray(values, dtype=float)
    if not np.isfinite(x).all():
        raise ValueError("bucket_of: values must be finite")
    magnitude = np.abs(x)
    signs = np.where(magnitude < MIN_MAGNITUDE, 0, np.sign(x)).astype(np.int64)
    with np.errstate(divide="ignore"):
        indexes = np.ceil(np.log(np.where(signs == 0, 1.0, magnitude)) / log_gamma(alpha))
    return signs, indexes.astype(np.int64)


def bucket_value(signs, indexes, alpha: float = DEFAULT_ALPHA) -> np.ndarray:
    """Each bucket's value, sign * 2 * gamma^index / (gamma + 1)."""
    log_gamma(alpha)
    gamma = (1 + alpha) / (1 - alpha)
    return np.asarray(signs) * 2 * gamma ** np.asarray(indexes, dtype=float) / (gamma + 1)


@dataclass(frozen=True, eq=False)
class Histogram:
    """Counts per bucket of one arm's values.

    Built from the warehouse's rows in any order; a bucket may repeat (its counts add, which
    is how histograms merge). Kept merged and in the bucket order. Invalid rows raise
    ValueError naming the field."""

    signs: np.ndarray
    indexes: np.ndarray
    counts: np.ndarray
    alpha: float = DEFAULT_ALPHA

    def __post_init__(self) -> None:
        log_gamma(self.alpha)
        signs, indexes, counts = (np.asarray(getattr(self, f), dtype=float).ravel()
                                  for f in ("signs", "indexes", "counts"))
        if not len(signs) == len(indexes) == len(counts):
            raise ValueError(f"Histogram: signs, indexes and counts differ in length "
                             f"({len(signs)}, {len(indexes)}, {len(counts)})")
        if not np.isin(signs, (-1, 0, 1)).all():
            raise ValueError("Histogram.signs: each must be -1, 0 or 1")
        if not (np.isfinite(indexes).all() and (indexes == np.round(indexes)).all()):
            raise ValueError("Histogram.indexes: each must be an integer")
        if ((signs == 0) & (indexes != 0)).any():
            raise ValueError("Histogram.indexes: the zero bucket (sign 0) has index 0")
        if not (np.isfinite(counts).all() and (counts >= 0).all() and (counts == np.round(counts)).all()):
            raise ValueError("Histogram.counts: each must be a non-negative integer")
        signs, indexes, counts = signs.astype(np.int64), indexes.astype(np.int64), counts.astype(np.int64)
        order = np.lexsort((signs * indexes, signs))  # (sign, sign * index) ascending: the bucket order
        signs, indexes, counts = signs[order], indexes[order], counts[order]
        starts = np.ones(len(order), dtype=bool)  # the first row of each bucket
        starts[1:] = (signs[1:] != signs[:-1]) | (indexes[1:] != indexes[:-1])
        first = np.flatnonzero(starts)
        merged = np.add.reduceat(counts, first) if len(first) else counts
        kept = merged > 0
        for name, value in (("signs", signs[first][kept]), ("indexes", indexes[first][kept]),
                            ("counts", merged[kept])):
            value.flags.writeable = False
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_cumulative", np.cumsum(self.counts))

    @classmethod
    def from_values(cls, values, alpha: float = DEFAULT_ALPHA) -> Histogram:
        signs, indexes = bucket_of(values, alpha)
        return cls(signs, indexes, np.ones(len(signs), dtype=np.int64), alpha)

    @property
    def n(self) -> int:
        """The number of values counted."""
        return int(self._cumulative[-1]) if len(self.counts) else 0

    def _position(self, rank) -> np.ndarray:
        ranks = np.asarray(rank)
        if (ranks < 1).any() or (ranks > self.n).any():
            raise ValueError(f"ranks must be within 1..{self.n}, got {rank!r}")
        return np.searchsorted(self._cumulative, ranks)

    def bucket_at_rank(self, rank: int) -> tuple[int, int]:
        """(sign, index) of the bucket holding the rank-th smallest value."""
        i = int(self._position(rank))
        return int(self.signs[i]), int(self.indexes[i])

    def value_at_rank(self, rank):
        """X_(rank): the value of the bucket holding the rank-th smallest value (1-based;
        an array of ranks gives an array)."""
        i = self._position(rank)
        value = bucket_value(self.signs[i], self.indexes[i], self.alpha)
        return float(value) if np.ndim(value) == 0 else value

    def at_or_below(self, rank: int) -> int:
        """Values whose bucket is at or below the bucket of rank `rank`: S summed over units."""
        return int(self._cumulative[self._position(rank)])

    def quantile(self, q: float) -> float:
        """X_(ceil(q n)) (lower convention); NaN without values."""
        return self.value_at_rank(estimate_rank(q, self.n)) if self.n else math.nan

    def quantile_bucket(self, q: float) -> tuple[int, int]:
        """(sign, index) of the bucket of the q-quantile's estimate: S_i counts a unit's events
        at or below it."""
        return self.bucket_at_rank(estimate_rank(q, self.n))


def estimate_rank(q: float, n: int) -> int:
    """ceil(q n), at least 1: the rank of the q-quantile's estimate."""
    _check_level(q)
    return max(1, math.ceil(q * n))


@dataclass(frozen=True)
class ClusterSums:
    """Sums over an arm's units for the event-level variance: N_i is unit i's events, S_i those
    of its events at or below the estimate's bucket (see the module docstring)."""

    n_units: int  # units with at least one event
    sum_s: float
    sum_s2: float
    sum_n: float  # = the events in the histogram
    sum_n2: float
    sum_sn: float


def cdf_variance(sums: ClusterSums) -> float:
    """sigma_F^2, the delta-method variance of sum S / sum N over units; NaN with fewer than
    2 units or no events (the clustering cannot be estimated)."""
    if sums.n_units < 2 or sums.sum_n <= 0:
        return math.nan
    products = np.zeros((4, 4))
    products[:2, :2] = [[sums.sum_s2, sums.sum_sn], [sums.sum_sn, sums.sum_n2]]
    moments = Moments(sums.n_units, np.array([sums.sum_s, sums.sum_n, 0.0, 0.0]), products,
                      (True, True, False, False))
    arm = Arm.of(moments)
    return arm.variance(arm.statistic)


@dataclass(frozen=True)
class QuantileEstimate:
    """One arm's q-quantile, its rank interval and standard error (NaN where undefined)."""

    q: float
    n: int  # values in the histogram: units (unit-level) or events (event-level)
    value: float  # X_(ceil(q n))
    ci_lower: float  # X_(L)
    ci_upper: float  # X_(U)
    standard_error: float  # (X_(U) - X_(L)) / (2 z)
    lower_rank: int | None  # L
    upper_rank: int | None  # U
    cdf_sd: float  # sigma_F, the standard deviation of the empirical cdf at the estimate
    clustered: bool  # sigma_F from the cluster sums (False: i.i.d.)
    alpha_level: float  # the interval's level is 1 - alpha_level
    reason: str | None = None


def unit_quantile(histogram: Histogram, q: float, alpha_level: float = 0.05) -> QuantileEstimate:
    """The q-quantile of the units' values, from the histogram of the arm's unit values."""
    _check_level(q)
    n = histogram.n
    return _rank_interval(histogram, q, math.sqrt(q * (1 - q) / n) if n else math.nan, False, alpha_level)


def event_quantile(histogram: Histogram, q: float, sums: ClusterSums | None,
                   alpha_level: float = 0.05) -> QuantileEstimate:
    """The q-quantile over the arm's events, from the histogram of its events and the cluster
    sums of its units (None: treat events as independent)."""
    _check_level(q)
    n = histogram.n
    variance = math.nan
    if sums is not None and n:
        _check_sums(sums, histogram, q)
        variance = cdf_variance(sums)
    clustered = not math.isnan(variance)
    if not clustered and n:
        variance = q * (1 - q) / n
    return _rank_interval(histogram, q, math.sqrt(variance), clustered, alpha_level)


def _rank_interval(histogram: Histogram, q: float, cdf_sd: float, clustered: bool,
                   alpha_level: float) -> QuantileEstimate:
    _check_level(alpha_level, "alpha_level")
    n = histogram.n
    known = dict(q=q, n=n, cdf_sd=cdf_sd, clustered=clustered, alpha_level=alpha_level)
    nan = dict(ci_lower=math.nan, ci_upper=math.nan, standard_error=math.nan, lower_rank=None, upper_rank=None)
    if n == 0:
        return QuantileEstimate(value=math.nan, **known, **nan, reason="no values")
    value = histogram.quantile(q)
    z = normal_critical(alpha_level / 2)
    lower, upper = math.floor(n * (q - z * cdf_sd)), math.ceil(n * (q + z * cdf_sd))
    if lower < 1 or upper > n:
        return QuantileEstimate(value=value, **known, **nan,
                                reason=f"too few values for the interval of the {q} quantile: "
                                       f"ranks {lower}..{upper} outside 1..{n}")
    lo, hi = histogram.value_at_rank(lower), histogram.value_at_rank(upper)
    reason = "zero-width interval: its ranks fall in one bucket" if lo == hi else None
    return QuantileEstimate(value=value, ci_lower=lo, ci_upper=hi, standard_error=(hi - lo) / (2 * z),
                            lower_rank=lower, upper_rank=upper, **known, reason=reason)


@dataclass(frozen=True)
class QuantileEffect:
    """Treatment vs control for one quantile (NaN where undefined; `reason` then says why)."""

    control: float  # Q_c
    treatment: float  # Q_t
    abs_effect: float  # Q_t - Q_c
    abs_standard_error: float
    abs_ci_lower: float
    abs_ci_upper: float
    abs_p_value: float
    rel_effect: float  # Q_t / Q_c - 1
    rel_standard_error: float
    rel_ci_lower: float
    rel_ci_upper: float
    rel_p_value: float
    reason: str | None = None


def quantile_effect(control: QuantileEstimate, treatment: QuantileEstimate,
                    alpha_level: float = 0.05) -> QuantileEffect:
    """Absolute and relative effects with p-values and (1 - alpha_level) intervals."""
    _check_level(alpha_level, "alpha_level")
    q_c, q_t = control.value, treatment.value
    unknown = [f"{name}: {arm.reason}" for name, arm in (("control", control), ("treatment", treatment))
               if not arm.standard_error > 0]
    se_c, se_t = (math.nan, math.nan) if unknown else (control.standard_error, treatment.standard_error)
    abs_se = math.sqrt(se_t**2 + se_c**2)
    if q_c == 0:
        unknown.append("the control's quantile is 0: no relative effect")
        rel_effect = rel_se = math.nan
    else:
        rel_effect = q_t / q_c - 1
        rel_se = math.sqrt(se_t**2 / q_c**2 + q_t**2 * se_c**2 / q_c**4)
    z = normal_critical(alpha_level / 2)
    return QuantileEffect(q_c, q_t, q_t - q_c, abs_se, *_test(q_t - q_c, abs_se, z),
                          rel_effect, rel_se, *_test(rel_effect, rel_se, z),
                          reason="; ".join(unknown) or None)


def _test(effect: float, se: float, z: float) -> tuple[float, float, float]:
    """(interval lower, upper, two-sided p-value); NaN without a positive standard error."""
    if not se > 0:
        return math.nan, math.nan, math.nan
    return effect - z * se, effect + z * se, float(2 * st.norm.sf(abs(effect) / se))


def _check_level(value: float, name: str = "q") -> None:
    if not 0 < value < 1:
        raise ValueError(f"{name} must be in (0, 1), got {value!r}")


def _check_sums(sums: ClusterSums, histogram: Histogram, q: float) -> None:
    """The sums must describe the histogram's events and the estimate's bucket."""
    if sums.sum_n != histogram.n:
        raise ValueError(f"ClusterSums.sum_n ({sums.sum_n}) differs from the histogram's events ({histogram.n})")
    below = histogram.at_or_below(estimate_rank(q, histogram.n))
    if sums.sum_s != below:
        raise ValueError(f"ClusterSums.sum_s ({sums.sum_s}) differs from the histogram's events at or below "
                         f"the {q} quantile's bucket ({below})")


@dataclass(frozen=True)
class QuantileArm:
    """An arm of a quantile metric in the results: its estimate and its units."""

    estimate: QuantileEstimate
    n: int  # units: the arm's eligible units (unit-level) or those with events (event-level)

    @property
    def value(self) -> float | None:
        return None if math.isnan(self.estimate.value) else self.estimate.value


def quantile_difference(control: QuantileArm | None, treatment: QuantileArm | None, min_units: int = 2) -> Difference:
    """Treatment minus control quantile as a Difference (what every engine's inference
    reads, as stats.difference.compare gives for means): the variances are the arms'
    squared standard errors (independent arms, normal: df infinite), the relative
    effect's by the delta method as in quantile_effect."""
    for name, arm in (("control", control), ("treatment", treatment)):
        if arm is None or arm.value is None:
            return Difference(reason=f"no values in {name}")
        if arm.n < min_units:
            return Difference(reason=f"fewer than {min_units} units in {name} ({arm.n})")
    q_c, q_t = control.value, treatment.value
    known = dict(abs_effect=q_t - q_c, units=control.n + treatment.n, control_statistic=q_c)
    for name, arm in (("control", control), ("treatment", treatment)):
        if not arm.estimate.standard_error > 0:
            return Difference(**known, reason=f"{name}: {arm.estimate.reason or 'no interval'}")
    v_c, v_t = control.estimate.standard_error ** 2, treatment.estimate.standard_error ** 2
    known.update(abs_variance=v_c + v_t, df=math.inf, control_variance=v_c, effect_control_covariance=-v_c)
    if q_c == 0:
        return Difference(**known, reason="control quantile is 0, relative effect undefined")
    return Difference(**known, rel_effect=q_t / q_c - 1, rel_variance=v_t / q_c**2 + q_t**2 * v_c / q_c**4)
