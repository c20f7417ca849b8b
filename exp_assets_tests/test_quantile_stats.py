"""Quantiles from log-bucket histograms (exp_assets.stats.quantile), checked against
independent computations: numpy's order statistics, the bucket definition evaluated here
with the math module, bootstraps over units (numpy), the binomial distribution of ranks
(scipy), GrowthBook's gbstats (recorded outputs, gbstats_quantile_reference.py) and A/A
simulations."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats as sps

from exp_assets.stats.quantile import (
    DEFAULT_ALPHA,
    MIN_MAGNITUDE,
    ClusterSums,
    Histogram,
    QuantileEstimate,
    bucket_of,
    bucket_value,
    cdf_variance,
    event_quantile,
    quantile_effect,
    unit_quantile,
)
from exp_assets_tests.gbstats_quantile_reference import clustered_events

ALPHA = DEFAULT_ALPHA
GAMMA = (1 + ALPHA) / (1 - ALPHA)
Z = sps.norm.ppf(0.975)
REFERENCE = json.loads(Path(__file__).with_name("gbstats_quantile_reference.json").read_text())


def reference_bucket(x: float) -> tuple[int, int]:
    """The bucket definition, one value at a time with the math module."""
    if abs(x) < MIN_MAGNITUDE:
        return 0, 0
    return (1 if x > 0 else -1), math.ceil(math.log(abs(x)) / math.log(GAMMA))


def upper_edge(sign: int, index: int) -> float:
    """The largest value of a positive bucket, gamma^index (it holds (gamma^(index-1), gamma^index])."""
    assert sign == 1
    return GAMMA**index


def cluster_sums(units: np.ndarray, values: np.ndarray, edge: float) -> ClusterSums:
    """ClusterSums with S_i = unit i's events <= edge, N_i its events (numpy)."""
    s = np.bincount(units, weights=values <= edge)
    n = np.bincount(units).astype(float)
    return ClusterSums(int((n > 0).sum()), float(s.sum()), float(s @ s), float(n.sum()), float(n @ n),
                       float(s @ n))


def clustered_estimate(units, values, q, clustered=True) -> QuantileEstimate:
    """The event-level estimate with the sums the warehouse would send (events at or below the
    estimate's bucket, i.e. <= its upper edge)."""
    histogram = Histogram.from_values(values)
    sums = None
    if clustered:
        sums = cluster_sums(units, values, upper_edge(*histogram.quantile_bucket(q)))
    return event_quantile(histogram, q, sums)


# -- the sketch ----------------------------------------------------------------------------

def test_buckets_follow_the_definition():
    # value of bucket (1, k) = 2 gamma^k / (gamma + 1) = (1 - alpha) gamma^k: 0.99 for k = 0, 1.01 for k = 1
    signs, indexes = bucket_of([1.0, 1.02, -1.02, 0.0, 5e-10, -3e-10, 1e-9, 250.0])
    assert signs.tolist() == [1, 1, -1, 0, 0, 0, 1, 1]
    assert indexes.tolist() == [0, 1, 1, 0, 0, 0, math.ceil(math.log(1e-9) / math.log(GAMMA)), 277]
    assert bucket_value([1, 1, -1, 0], [0, 1, 1, 0]).tolist() == pytest.approx([0.99, 1.01, -1.01, 0.0], rel=1e-14)
    x = np.random.default_rng(3).lognormal(0, 4, 2000) * np.random.default_rng(4).choice([-1, 1], 2000)
    signs, indexes = bucket_of(x)
    assert list(zip(signs.tolist(), indexes.tolist(), strict=True)) == [reference_bucket(v) for v in x]


def test_histogram_orders_and_merges_buckets():
    """Rows in any order, a bucket repeated (days merged): counts add, buckets sorted by value."""
    h = Histogram(signs=[1, -1, 0, 1, -1, -1, 1], indexes=[3, 2, 0, -4, 7, 2, 3], counts=[2, 1, 4, 1, 3, 5, 6])
    assert h.signs.tolist() == [-1, -1, 0, 1, 1]
    assert h.indexes.tolist() == [7, 2, 0, -4, 3]
    assert h.counts.tolist() == [3, 6, 4, 1, 8]
    assert h.n == 22
    assert h.value_at_rank(np.array([1, 3, 4, 9, 10, 13, 14, 15, 22])).tolist() == pytest.approx(
        [-(1 - ALPHA) * GAMMA**7] * 2 + [-(1 - ALPHA) * GAMMA**2] * 2 + [0.0] * 2
        + [(1 - ALPHA) * GAMMA**-4] + [(1 - ALPHA) * GAMMA**3] * 2, rel=1e-14)
    # three days' histograms, their rows shuffled together, equal the histogram of all values
    x = np.random.default_rng(5).normal(0, 2, 3000)
    days = [Histogram.from_values(part) for part in np.array_split(x, 3)]
    rows = np.concatenate([np.stack([d.signs, d.indexes, d.counts]) for d in days], axis=1)
    rows = rows[:, np.random.default_rng(6).permutation(rows.shape[1])]
    merged, whole = Histogram(*rows), Histogram.from_values(x)
    for field in ("signs", "indexes", "counts"):
        assert getattr(merged, field).tolist() == getattr(whole, field).tolist()


def _datasets():
    rng = np.random.default_rng(11)
    zero_inflated = np.where(rng.random(20000) < 0.6, 0.0, rng.exponential(5.0, 20000))
    return {"lognormal": rng.lognormal(0.0, 2.0, 20000), "normal with negatives": rng.normal(0.5, 3.0, 20000),
            "zero-inflated": zero_inflated}


@pytest.mark.parametrize("name", list(_datasets()))
def test_every_sketched_order_statistic_is_within_alpha(name):
    x = _datasets()[name]
    exact = np.sort(x)
    sketch = Histogram.from_values(x).value_at_rank(np.arange(1, len(x) + 1))
    error = np.abs(sketch - exact)
    assert (error <= ALPHA * np.abs(exact) * (1 + 1e-12)).all()
    nonzero = exact != 0
    assert (error[nonzero] / np.abs(exact[nonzero])).max() > 0.99 * ALPHA  # the bound is nearly reached
    histogram = Histogram.from_values(x)
    for q in np.linspace(0.001, 0.999, 999):
        numpy_q = np.quantile(x, q, method="inverted_cdf")  # the order statistic of rank ceil(q n)
        assert abs(histogram.quantile(q) - numpy_q) <= ALPHA * abs(numpy_q) * (1 + 1e-12)
        assert histogram.quantile_bucket(q) == reference_bucket(exact[max(1, math.ceil(q * len(x))) - 1])


def test_values_below_min_magnitude_count_as_zero():
    h = Histogram.from_values([3e-10, -2e-10, 0.0, 4.0])
    assert h.quantile(0.5) == 0.0 and h.quantile(0.75) == 0.0
    assert h.quantile(1 - 1e-9) == pytest.approx(4.0, rel=ALPHA)


@pytest.mark.parametrize("field, rows, message", [
    ("signs", ([2], [0], [1]), "Histogram.signs"),
    ("indexes", ([1], [0.5], [1]), "Histogram.indexes"),
    ("indexes", ([0], [3], [1]), "zero bucket"),
    ("counts", ([1], [3], [-1]), "Histogram.counts"),
    ("counts", ([1], [3], [1.5]), "Histogram.counts"),
    ("lengths", ([1, 1], [3], [1]), "differ in length"),
])
def test_bad_histogram_rows_name_the_field(field, rows, message):
    with pytest.raises(ValueError, match=message):
        Histogram(*rows)


def test_sketch_alpha_outside_0_1_is_an_error():
    with pytest.raises(ValueError, match="the sketch's alpha must be in"):
        Histogram.from_values([1.0], alpha=1.0)


# -- unit-level quantiles --------------------------------------------------------------------

@pytest.mark.parametrize("q", [0.5, 0.9, 0.25])
def test_unit_interval_is_the_order_statistics_at_the_rank_bounds(q):
    n = 2000
    x = np.random.default_rng(12).lognormal(0.0, 1.0, n)
    est = unit_quantile(Histogram.from_values(x), q)
    spread = Z * math.sqrt(n * q * (1 - q))
    lower, upper = math.floor(n * q - spread), math.ceil(n * q + spread)
    assert (est.lower_rank, est.upper_rank) == (lower, upper)
    exact = np.sort(x)
    assert est.value == pytest.approx(np.quantile(x, q, method="inverted_cdf"), rel=ALPHA)
    assert est.ci_lower == pytest.approx(exact[lower - 1], rel=ALPHA)
    assert est.ci_upper == pytest.approx(exact[upper - 1], rel=ALPHA)
    assert est.standard_error == pytest.approx((est.ci_upper - est.ci_lower) / (2 * Z), rel=1e-12)
    # the ranks' exact coverage: X_(L) <= xi_q < X_(U) iff L <= #{X < xi_q} < U, #{X < xi_q} ~ Bin(n, q)
    coverage = sps.binom.cdf(upper - 1, n, q) - sps.binom.cdf(lower - 1, n, q)
    assert 0.95 <= coverage <= 0.96


@pytest.mark.parametrize("q", [0.5, 0.9])
def test_unit_standard_error_matches_a_bootstrap_over_units(q):
    """Averaged over 12 data sets (the bootstrap SD of one quantile is itself noisy)."""
    rng = np.random.default_rng(13)
    n, ours, bootstrap = 2000, [], []
    for _ in range(12):
        x = rng.lognormal(0.0, 1.0, n)
        ours.append(unit_quantile(Histogram.from_values(x), q).standard_error)
        rank = math.ceil(q * n) - 1
        resampled = np.partition(x[rng.integers(0, n, (2000, n))], rank, axis=1)[:, rank]
        bootstrap.append(resampled.std(ddof=1))
    assert np.mean(ours) / np.mean(bootstrap) == pytest.approx(1.0, abs=0.10)


# -- event-level quantiles -------------------------------------------------------------------

def _reference_sums(case: dict) -> ClusterSums:
    i = case["inputs"]
    return ClusterSums(i["n_clusters"], i["main_sum"], i["main_sum_squares"], i["denominator_sum"],
                       i["denominator_sum_squares"], i["main_denominator_sum_product"])


@pytest.mark.parametrize("name", list(REFERENCE["arms"]))
def test_cdf_variance_equals_gbstats_cluster_variance(name):
    case = REFERENCE["arms"][name]
    assert cdf_variance(_reference_sums(case)) == pytest.approx(case["gbstats"]["cluster_variance"], rel=1e-10)


@pytest.mark.parametrize("name", list(REFERENCE["arms"]))
def test_event_standard_error_is_close_to_gbstats(name):
    """gbstats widens the i.i.d. interval by the ratio of clustered to i.i.d. variance of F;
    we move the ranks by the clustered sd instead (Deng et al.), and read bucket values: the
    same quantity to first order, so the two agree to within 20%, not exactly."""
    case = REFERENCE["arms"][name]
    units, values = clustered_events(case["seed"])
    values = values * case["scale"]
    assert len(values) == case["data"]["events"] and units.max() + 1 == case["data"]["units"]
    assert values.sum() == pytest.approx(case["data"]["sum"], rel=1e-12)  # the same draws as recorded
    est = clustered_estimate(units, values, case["inputs"]["nu"])
    assert est.clustered
    assert est.value == pytest.approx(case["inputs"]["quantile_hat"], rel=ALPHA)
    assert est.standard_error / math.sqrt(case["gbstats"]["variance_of_estimate"]) == pytest.approx(1.0, abs=0.2)


def test_effect_equals_gbstats_t_test_for_the_same_arm_variances():
    """Given gbstats' estimates and variances, the effects are gbstats' (its t with Welch df in
    the thousands against our normal: intervals and p-values to 1e-3)."""
    record = REFERENCE["effect_p95"]
    arms = []
    for name in (record["control"], record["treatment"]):
        case = REFERENCE["arms"][name]
        arms.append(QuantileEstimate(q=0.95, n=case["inputs"]["n"], value=case["inputs"]["quantile_hat"],
                                     ci_lower=math.nan, ci_upper=math.nan,
                                     standard_error=math.sqrt(case["gbstats"]["variance_of_estimate"]),
                                     lower_rank=None, upper_rank=None, cdf_sd=math.nan, clustered=True,
                                     alpha_level=0.05))
    effect = quantile_effect(*arms)
    for kind in ("relative", "absolute"):
        gb = record["gbstats"][kind]
        prefix = "rel" if kind == "relative" else "abs"
        assert getattr(effect, f"{prefix}_effect") == pytest.approx(gb["estimate"], rel=1e-12)
        assert getattr(effect, f"{prefix}_standard_error") == pytest.approx(gb["stddev"], rel=1e-12)
        half_width = (getattr(effect, f"{prefix}_ci_upper") - getattr(effect, f"{prefix}_ci_lower")) / 2
        assert half_width == pytest.approx((gb["ci"][1] - gb["ci"][0]) / 2, rel=1e-3)
        assert getattr(effect, f"{prefix}_ci_lower") + half_width == pytest.approx(gb["estimate"], rel=1e-12)
        assert getattr(effect, f"{prefix}_p_value") == pytest.approx(gb["p_value"], abs=1e-3)


def test_cdf_variance_with_one_event_per_unit_is_the_binomial_one():
    """S_i in {0, 1}, N_i = 1: the ratio's variance is the sample variance of S over n."""
    s = (np.random.default_rng(14).random(500) < 0.3).astype(float)
    sums = ClusterSums(500, s.sum(), s @ s, 500.0, 500.0, s.sum())
    assert cdf_variance(sums) == pytest.approx(np.var(s, ddof=1) / 500, rel=1e-12)


@pytest.mark.parametrize("q", [0.95, 0.5])
def test_event_standard_error_matches_a_bootstrap_over_units(q):
    """Units (clusters) resampled with all their events; averaged over 8 data sets."""
    rng = np.random.default_rng(15)
    ours, bootstrap = [], []
    for k in range(8):
        units, values = clustered_events(1000 + k)
        ours.append(clustered_estimate(units, values, q).standard_error)
        by_unit = values[np.argsort(units, kind="stable")]
        counts = np.bincount(units)
        starts = np.cumsum(counts) - counts
        draws = []
        for _ in range(1000):
            picked = rng.integers(0, len(counts), len(counts))
            c = counts[picked]
            x = by_unit[np.repeat(starts[picked] - (np.cumsum(c) - c), c) + np.arange(c.sum())]
            rank = math.ceil(q * len(x)) - 1
            draws.append(np.partition(x, rank)[rank])
        bootstrap.append(np.std(draws, ddof=1))
    assert np.mean(ours) / np.mean(bootstrap) == pytest.approx(1.0, abs=0.10)


# -- A/A coverage ------------------------------------------------------------------------------

def _covers_zero(effect) -> tuple[bool, bool]:
    return effect.rel_ci_lower <= 0 <= effect.rel_ci_upper, effect.abs_ci_lower <= 0 <= effect.abs_ci_upper


@pytest.mark.parametrize("q", [0.5, 0.9])
def test_unit_quantile_aa_coverage(q):
    """2000 A/A runs of 1500 lognormal units per arm."""
    rng = np.random.default_rng(16 if q == 0.5 else 17)

    def run():
        control, treatment = (unit_quantile(Histogram.from_values(rng.lognormal(0, 1, 1500)), q) for _ in "ct")
        return _covers_zero(quantile_effect(control, treatment))

    relative, absolute = np.mean([run() for _ in range(2000)], axis=0)
    assert 0.93 <= relative <= 0.97
    assert 0.93 <= absolute <= 0.97


@pytest.fixture(scope="module")
def event_aa_coverage():
    """Share of 1000 A/A runs (p95 over clustered events) whose relative interval covers 0,
    with the clustered and with the i.i.d. variance of the empirical cdf."""
    covered = []
    for run in range(1000):
        arms = [clustered_events(50_000 + 2 * run + arm) for arm in (0, 1)]
        covered.append([_covers_zero(quantile_effect(*(clustered_estimate(u, v, 0.95, clustered) for u, v in arms)))[0]
                        for clustered in (True, False)])
    clustered, iid = np.mean(covered, axis=0)
    return {"clustered": clustered, "iid": iid}


def test_event_quantile_aa_coverage_with_clustered_variance(event_aa_coverage):
    assert 0.93 <= event_aa_coverage["clustered"] <= 0.97


def test_iid_variance_under_covers_clustered_events(event_aa_coverage):
    assert event_aa_coverage["iid"] < 0.88


# -- edge cases ------------------------------------------------------------------------------

def test_empty_arm_gives_nan_with_reasons():
    empty = unit_quantile(Histogram([], [], []), 0.5)
    assert math.isnan(empty.value) and math.isnan(empty.standard_error) and empty.reason == "no values"
    assert math.isnan(event_quantile(Histogram([], [], []), 0.95, None).value)
    full = unit_quantile(Histogram.from_values(np.arange(1.0, 1001.0)), 0.5)
    effect = quantile_effect(full, empty)
    for field in ("abs_effect", "abs_ci_lower", "abs_p_value", "rel_effect", "rel_ci_upper", "rel_p_value"):
        assert math.isnan(getattr(effect, field))
    assert effect.reason == "treatment: no values"


def test_single_bucket_gives_a_zero_width_interval_and_no_effect():
    one = unit_quantile(Histogram.from_values(np.full(500, 7.3)), 0.5)
    assert one.value == pytest.approx(7.3, rel=ALPHA) and one.ci_lower == one.ci_upper == one.value
    assert one.standard_error == 0.0 and "zero-width" in one.reason
    other = unit_quantile(Histogram.from_values(np.random.default_rng(18).lognormal(2, 0.5, 500)), 0.5)
    effect = quantile_effect(one, other)
    assert effect.rel_effect == pytest.approx(other.value / one.value - 1, rel=1e-12)  # the estimate is known
    assert math.isnan(effect.rel_ci_lower) and math.isnan(effect.abs_p_value)
    assert effect.reason.startswith("control: zero-width interval")


@pytest.mark.parametrize("q, n, defined", [(0.001, 1000, False), (0.999, 1000, False), (0.01, 1000, True),
                                          (0.999, 100_000, True), (0.5, 6, False), (0.5, 12, True)])
def test_q_near_0_and_1(q, n, defined):
    """The interval exists when its ranks L = floor(n q - z s) and U = ceil(n q + z s) lie in 1..n."""
    x = np.random.default_rng(19).lognormal(0, 1, n)
    est = unit_quantile(Histogram.from_values(x), q)
    spread = Z * math.sqrt(n * q * (1 - q))
    assert (math.floor(n * q - spread) >= 1 and math.ceil(n * q + spread) <= n) == defined
    assert est.value == pytest.approx(np.quantile(x, q, method="inverted_cdf"), rel=ALPHA)
    assert math.isnan(est.standard_error) != defined
    if not defined:
        assert est.reason.startswith("too few values")


def test_zero_control_quantile_has_no_relative_effect():
    rng = np.random.default_rng(20)
    x = np.concatenate([-rng.exponential(1, 490), np.zeros(20), rng.exponential(1, 490)])
    control = unit_quantile(Histogram.from_values(x), 0.5)
    assert control.value == 0.0 and control.standard_error > 0
    effect = quantile_effect(control, unit_quantile(Histogram.from_values(x + 0.5), 0.5))
    assert effect.abs_p_value > 0 and not math.isnan(effect.abs_ci_lower)
    assert math.isnan(effect.rel_effect) and "control's quantile is 0" in effect.reason


def test_event_level_falls_back_to_iid_without_usable_cluster_sums():
    units, values = clustered_events(21, units=300)
    histogram = Histogram.from_values(values)
    iid = event_quantile(histogram, 0.9, None)
    assert not iid.clustered and iid.cdf_sd == pytest.approx(math.sqrt(0.09 / len(values)), rel=1e-12)
    one_unit = event_quantile(Histogram.from_values(values[:5]), 0.5,
                              cluster_sums(np.zeros(5, dtype=int), values[:5], np.sort(values[:5])[2]))
    assert not one_unit.clustered
    with pytest.raises(ValueError, match="ClusterSums.sum_n"):
        event_quantile(histogram, 0.9, cluster_sums(units[:-1], values[:-1], np.inf))
    with pytest.raises(ValueError, match="ClusterSums.sum_s"):
        event_quantile(histogram, 0.9, cluster_sums(units, values, np.median(values)))


@pytest.mark.parametrize("q", [0.0, 1.0, -0.5])
def test_q_outside_0_1_is_an_error(q):
    with pytest.raises(ValueError, match="q must be in"):
        unit_quantile(Histogram.from_values([1.0, 2.0]), q)
