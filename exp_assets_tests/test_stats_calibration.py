"""A/A calibration of what the results publish, through the statistics API on
sufficient statistics of simulated unit data: the false-positive rate of every
metric type at small and large n, the always-valid guarantee of sequential tests
over 20 daily looks, coverage of the relative interval, agreement of every
verdict with every interval shown, and the SRM test read daily and over windows.

Seeded, so each number below is fixed; 4,000 simulated experiments per fixed-horizon
case put the Monte-Carlo standard error of a 5% rate at 0.34 points.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from exp_assets.stats import AnalysisOptions, analyze
from exp_assets.stats.balance import sample_ratio_mismatch, sequential_sample_ratio_mismatch

ALPHA = 0.05
REPS = 4000
CHUNK = 500  # experiments simulated at a time (bounds memory at large n)


# --- unit-level data of one arm, `reps` experiments at a time -------------------------


def revenue(rng, reps, n, lift=1.0):
    """Lognormal spend with 1% of units spending 10x as much: heavy tailed. (With rarer,
    larger outliers, 0.5% at 50x, the t-test turns conservative, 3-3.7% at n = 300 to
    1,000: what winsorization is for.)"""
    y = rng.lognormal(0.0, 1.2, (reps, n))
    return {"y": lift * y * np.where(rng.random((reps, n)) < 0.01, 10.0, 1.0)}


def rare_proportion(rng, reps, n, lift=1.0):
    return {"y": (rng.random((reps, n)) < 0.03 * lift).astype(float)}


def revenue_per_order(rng, reps, n, lift=1.0):
    """Ratio: orders per unit mostly 0 (Poisson 0.5), revenue = orders x an order value."""
    d = rng.poisson(0.5, (reps, n)).astype(float)
    return {"y": lift * d * rng.lognormal(3.0, 0.8, (reps, n)), "d": d}


def cuped_revenue(rng, reps, n, lift=1.0):
    """Skewed spend predicted by the unit's pre-exposure spend x."""
    x = rng.gamma(2.0, 5.0, (reps, n))
    return {"y": lift * (0.8 * x + rng.lognormal(1.0, 0.9, (reps, n))), "x": x}


def cuped_ratio(rng, reps, n, lift=1.0):
    """Ratio with CUPED: pre-period orders and revenue predict the in-experiment ones."""
    xd = rng.poisson(1.0, (reps, n)).astype(float)
    x = xd * rng.lognormal(3.0, 0.5, (reps, n))
    d = rng.poisson(0.3 + 0.3 * xd)
    return {"y": lift * d * rng.lognormal(3.0, 0.6, (reps, n)) + 0.1 * x * (d > 0), "d": d.astype(float),
            "x": x, "xd": xd}


NAMES = {"y": "", "d": "denominator_", "x": "covariate_", "xd": "covariate_denominator_"}
PRODUCTS = {("y", "d"): "main_denominator", ("y", "x"): "main_covariate", ("y", "xd"): "main_covariate_denominator",
            ("d", "x"): "denominator_covariate", ("d", "xd"): "denominator_covariate_denominator",
            ("x", "xd"): "covariate_covariate_denominator"}


def moments(arrays: dict, upto: int | None = None) -> dict:
    """The contract's columns for each experiment (row) from unit arrays, over the
    first `upto` units (all by default); written from the README's contract."""
    a = {k: v[:, :upto] for k, v in arrays.items()}
    out = {"n": np.full(len(a["y"]), a["y"].shape[1])}
    for k, v in a.items():
        out[f"{NAMES[k]}sum"] = v.sum(1)
        out[f"{NAMES[k]}sum_squares"] = (v * v).sum(1)
    for (p, q), name in PRODUCTS.items():
        if p in a and q in a:
            out[f"{name}_sum_product"] = (a[p] * a[q]).sum(1)
    if "d" in a:
        out["denominator_units"] = np.count_nonzero(a["d"], axis=1)
    return out


def simulate(make, n, arms=("control", "treatment"), lifts=None, reps=REPS, seed=0, looks=(None,)):
    """A frame of `reps` experiments x looks x arms of moments (`experiment`, `look`
    as grouping keys); a look k holds each arm's first k units."""
    rng = np.random.default_rng(seed)
    lifts = lifts or {}
    parts = []
    for start in range(0, reps, CHUNK):
        size = min(CHUNK, reps - start)
        data = {arm: make(rng, size, n, lifts.get(arm, 1.0)) for arm in arms}
        for look in looks:
            for arm in arms:
                part = pd.DataFrame(moments(data[arm], look))
                part.insert(0, "variant", arm)
                part.insert(0, "look", look or n)
                part.insert(0, "experiment", np.arange(start, start + size))
                parts.append(part)
    return pd.concat(parts, ignore_index=True)


def treated(out: pd.DataFrame) -> pd.DataFrame:
    return out[out["variant"] != "control"]


def excludes_zero(lower: pd.Series, upper: pd.Series) -> pd.Series:
    return (lower > 0) | (upper < 0)


def assert_verdicts_agree_with_intervals(out: pd.DataFrame, adjusted: bool = False, bounded_share: float = 0.99):
    """On every tested row the verdict and each interval shown agree; the relative
    interval is bounded on at least `bounded_share` of them (Fieller's is unbounded
    when the control mean is not distinguishable from 0: at small n, wide levels)."""
    rows = treated(out)
    rows = rows[rows["p_value"].notna()]
    suffix, p = ("_adjusted", rows["p_value_adjusted"]) if adjusted else ("", rows["p_value"])
    significant = p < ALPHA
    assert (significant == excludes_zero(rows[f"abs_ci_lower{suffix}"], rows[f"abs_ci_upper{suffix}"])).all()
    bounded = rows[f"rel_ci_lower{suffix}"].notna()
    assert bounded.mean() >= bounded_share
    agree = significant[bounded] == excludes_zero(rows.loc[bounded, f"rel_ci_lower{suffix}"],
                                                  rows.loc[bounded, f"rel_ci_upper{suffix}"])
    assert agree.all()


# --- fixed horizon -----------------------------------------------------------------

FIXED = {
    "revenue small": (revenue, 300), "revenue large": (revenue, 2000),
    "rare proportion small": (rare_proportion, 1000), "rare proportion large": (rare_proportion, 10000),
    "ratio small": (revenue_per_order, 200), "ratio large": (revenue_per_order, 2000),
    "cuped small": (cuped_revenue, 200), "cuped large": (cuped_revenue, 2000),
    "cuped ratio small": (cuped_ratio, 200), "cuped ratio large": (cuped_ratio, 1500),
}


@pytest.mark.parametrize("case", list(FIXED))
def test_aa_false_positives_and_relative_coverage_at_alpha(case):
    make, n = FIXED[case]
    out = analyze(simulate(make, n, seed=len(case)), "control")
    rows = treated(out)
    tested = rows[rows["p_value"].notna()]
    assert len(tested) >= 0.98 * REPS  # few rows lack a test (e.g. an arm without a conversion)
    false_positives = (tested["p_value"] < ALPHA).mean()
    assert 0.04 <= false_positives <= 0.06, false_positives
    # the true relative effect is 0: the interval covers it as often as the test accepts
    covered = ~excludes_zero(tested["rel_ci_lower"], tested["rel_ci_upper"])
    assert 0.94 <= covered.mean() <= 0.96
    assert_verdicts_agree_with_intervals(out)
    if "cuped" in case:
        assert tested["cuped_applied"].all() and (tested["variance_reduction"] > 0).mean() > 0.9


def test_aa_three_arms_each_treatment_at_alpha():
    out = analyze(simulate(revenue, 1000, arms=("control", "a", "b"), seed=3), "control")
    for arm in ("a", "b"):
        rows = out[out["variant"] == arm]
        assert 0.04 <= (rows["p_value"] < ALPHA).mean() <= 0.06
    assert_verdicts_agree_with_intervals(out)


@pytest.mark.parametrize("make, n", [(revenue, 2000), (revenue_per_order, 1500), (cuped_revenue, 1000)])
def test_relative_interval_covers_a_planted_lift(make, n):
    """Treatment's every value x 1.1: the true relative effect is exactly +10%."""
    out = analyze(simulate(make, n, lifts={"treatment": 1.1}, seed=n), "control")
    rows = treated(out)
    covered = (rows["rel_ci_lower"] <= 0.1) & (0.1 <= rows["rel_ci_upper"])
    assert 0.94 <= covered.mean() <= 0.96, covered.mean()


def test_delta_relative_intervals_agree_with_their_own_p_values():
    frame = simulate(revenue, 300, seed=11, reps=2000)
    delta = analyze(frame, "control", AnalysisOptions(relative_interval="delta"))
    assert_verdicts_agree_with_intervals(delta)
    # and on heavy tails at small n the delta method's test is the one that over-rejects
    fieller = analyze(frame, "control")
    assert (treated(delta)["p_value"] < ALPHA).mean() > (treated(fieller)["p_value"] < ALPHA).mean()


@pytest.mark.parametrize("correction", ["bonferroni", "holm", "bh"])
def test_adjusted_intervals_agree_with_adjusted_p_values(correction):
    """Several metrics per experiment, some with a real effect: every correction's
    adjusted interval excludes 0 exactly when its adjusted p-value is below alpha."""
    parts = []
    for metric, (make, n, lift) in {"revenue": (revenue, 800, 1.15), "orders": (revenue_per_order, 800, 1.0),
                                    "spend": (cuped_revenue, 400, 1.05)}.items():
        parts.append(simulate(make, n, lifts={"treatment": lift}, reps=400, seed=len(metric)).assign(metric=metric))
    frame = pd.concat(parts, ignore_index=True)
    out = analyze(frame, "control", AnalysisOptions(correction=correction))
    rows = treated(out)
    assert rows["rel_ci_lower_adjusted"].notna().mean() > 0.99
    assert 0.1 < (rows["p_value_adjusted"] < ALPHA).mean() < 0.9  # both verdicts occur
    assert_verdicts_agree_with_intervals(out, adjusted=True)


# --- sequential --------------------------------------------------------------------

LOOKS = 20


@pytest.mark.parametrize("make, per_day, arms", [
    (revenue, 50, ("control", "treatment")),
    (revenue_per_order, 15, ("control", "treatment")),
    (cuped_ratio, 15, ("control", "a", "b")),
    (rare_proportion, 100, ("control", "treatment")),
])
def test_sequential_any_time_false_positives_over_20_daily_looks(make, per_day, arms):
    """Each look adds a day of units; an experiment is a false positive if any look of
    any treatment ever has p < alpha. Ratios at small n included (day 0: 15 units)."""
    looks = tuple(per_day * (day + 1) for day in range(LOOKS))
    frame = simulate(make, per_day * LOOKS, arms=arms, reps=600, seed=per_day, looks=looks)
    out = analyze(frame, "control", AnalysisOptions(sequential=True))
    rows = treated(out)
    assert rows["p_value"].notna().mean() > 0.5
    ever = rows.groupby(["experiment", "variant"])["p_value"].min().lt(ALPHA).groupby("experiment").any()
    assert ever.mean() <= ALPHA, ever.mean()
    assert_verdicts_agree_with_intervals(out, bounded_share=0.8)


# --- sample ratio mismatch ---------------------------------------------------------


def daily_assignments(rng, days, per_day, weights, reps):
    """Cumulative units per arm by day, arrivals Poisson(per_day) a day, split by weights."""
    new = rng.multinomial(rng.poisson(per_day, (reps, days)), weights)
    return new.cumsum(axis=1)  # reps x days x arms


def test_sequential_srm_is_the_dirichlet_multinomial_bayes_factor():
    """p = min over looks of 1 / BF, BF = DirichletMultinomial(x; 100 w) / Multinomial(x; w),
    both from scipy."""
    weights = np.array([0.5, 0.25, 0.25])
    counts = [[0, 0, 0], [40, 25, 30], [400, 190, 230], [4100, 1900, 2150], [40000, 18800, 20000]]
    expected, running = [], 1.0
    for x in counts:
        x = np.array(x)
        if x.sum() == 0:
            log_bf = 0.0
        else:
            log_bf = (sps.dirichlet_multinomial.logpmf(x, 100 * weights, x.sum())
                      - sps.multinomial.logpmf(x, x.sum(), weights))
        running = min(running, float(np.exp(min(-log_bf, 0.0))))
        expected.append(running)
    got = sequential_sample_ratio_mismatch(counts, weights)
    np.testing.assert_allclose(got, expected, rtol=1e-9)
    assert got[-1] < 1e-3 and got[1] > 0.5  # a 6% shortfall of one arm in 79,000 units is found


def test_srm_read_daily_and_over_windows_keeps_its_false_alarm_rate():
    """Balanced data, 30 days, read every day (and so over any window of days): the
    sequential test alarms in at most alpha of experiments; the fixed chi-square read
    the same way (the old worst-day-of-window check) alarms far more often."""
    rng = np.random.default_rng(30)
    reps, days = 1000, 30
    for weights in ([0.5, 0.5], [0.5, 0.25, 0.25]):
        cumulative = daily_assignments(rng, days, 300, weights, reps)
        sequential_p = np.array([sequential_sample_ratio_mismatch(c, weights) for c in cumulative])
        # non-increasing: a window's worst day is its last, and any run that covers a day reports the same
        assert (np.diff(sequential_p, axis=1) <= 0).all()
        assert (sequential_p.min(axis=1) < ALPHA).mean() <= ALPHA
        for window in (3, 7):  # a check over each window of days, as incremental runs do
            windows_alarm = np.zeros(reps, dtype=bool)
            for end in range(window, days + 1):
                windows_alarm |= sequential_p[:, end - 1] < ALPHA
            assert windows_alarm.mean() <= ALPHA
        chi_square = np.array([[sample_ratio_mismatch(day, weights).p_value for day in c] for c in cumulative[:200]])
        assert (chi_square.min(axis=1) < ALPHA).mean() > 2 * ALPHA


def test_srm_finds_a_real_mismatch():
    rng = np.random.default_rng(5)
    cumulative = daily_assignments(rng, 30, 1000, [0.52, 0.48], 200)
    p = np.array([sequential_sample_ratio_mismatch(c, [0.5, 0.5])[-1] for c in cumulative])
    assert (p < 0.001).mean() > 0.95
