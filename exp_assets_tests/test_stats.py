"""exp_assets.stats checked against independent implementations (statsmodels, scipy, numpy)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW, ttest_ind

from exp_assets.stats import RESULT_COLUMNS, Effect, SampleStats, analyze, welch_test

RTOL = 1e-9


def suff(x) -> SampleStats:
    x = np.asarray(x, dtype=float)
    return SampleStats(n=len(x), sum=float(x.sum()), sum_squares=float((x**2).sum()))


def delta_rel_ci(x_t, x_c, df, alpha):
    """Relative effect and CI by the delta method, straight from the raw arrays."""
    m_t, m_c = x_t.mean(), x_c.mean()
    v_t, v_c = np.var(x_t, ddof=1), np.var(x_c, ddof=1)
    var_rel = v_t / (len(x_t) * m_c**2) + m_t**2 * v_c / (len(x_c) * m_c**4)
    rel = m_t / m_c - 1
    half = sps.t.ppf(1 - alpha / 2, df) * math.sqrt(var_rel)
    return rel, rel - half, rel + half


def samples():
    rng = np.random.default_rng(7)
    return {
        "normal": (rng.normal(10.0, 2.0, 40), rng.normal(10.8, 3.5, 55)),
        "skewed_small": (rng.exponential(3.0, 6), rng.exponential(4.0, 9)),
        "negative_mean": (rng.normal(-5.0, 1.0, 30), rng.normal(-4.2, 0.5, 25)),
        "proportion": (
            rng.binomial(1, 0.30, 500).astype(float),
            rng.binomial(1, 0.36, 480).astype(float),
        ),
    }


def assert_close(actual, expected, rtol=RTOL):
    assert actual is not None
    assert actual == pytest.approx(expected, rel=rtol, abs=1e-15)


# --- SampleStats ---------------------------------------------------------------


def test_sample_stats_mean_and_variance():
    x = np.random.default_rng(1).normal(3.0, 2.0, 17)
    s = suff(x)
    assert_close(s.mean, x.mean())
    assert_close(s.variance, np.var(x, ddof=1))


def test_sample_stats_variance_rounding_clipped_to_zero():
    # A constant non-representable value leaves float residue in sum_squares - sum**2/n.
    for value in (0.1, 3.7, 123.456, 1e6 + 0.3):
        for n in (2, 5, 1000, 100_000):
            x = np.full(n, value)
            s = SampleStats(n, float(sum(x)), float(sum(x * x)))
            assert s.variance == 0.0
    # Never negative even with inconsistent inputs.
    assert SampleStats(3, 3.0, 2.0).variance == 0.0


def test_sample_stats_undefined_cases_raise():
    with pytest.raises(ValueError):
        SampleStats(0, 0.0, 0.0).mean
    with pytest.raises(ValueError):
        SampleStats(1, 2.0, 4.0).variance
    with pytest.raises(ValueError):
        SampleStats(-1, 0.0, 0.0)
    assert SampleStats(1, 2.0, 4.0).mean == 2.0


def test_sample_stats_is_frozen():
    s = SampleStats(2, 1.0, 1.0)
    with pytest.raises(AttributeError):
        s.n = 3  # type: ignore[misc]


# --- welch_test ----------------------------------------------------------------


@pytest.mark.parametrize("name", list(samples()))
@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_welch_matches_statsmodels_and_scipy(name, alpha):
    x_c, x_t = samples()[name]
    e = welch_test(suff(x_c), suff(x_t), alpha=alpha)
    assert e.reason is None

    t_sm, p_sm, df_sm = ttest_ind(x_t, x_c, usevar="unequal")
    lo_sm, hi_sm = CompareMeans(DescrStatsW(x_t), DescrStatsW(x_c)).tconfint_diff(
        alpha=alpha, usevar="unequal"
    )
    p_sp = sps.ttest_ind(x_t, x_c, equal_var=False).pvalue

    assert_close(e.abs_effect, x_t.mean() - x_c.mean())
    assert_close(e.df, df_sm)
    assert_close(e.p_value, p_sm)
    assert_close(e.p_value, p_sp)
    assert_close(e.abs_ci_lower, lo_sm)
    assert_close(e.abs_ci_upper, hi_sm)
    # The t statistic is implied by effect / se, with se recovered from the CI width.
    se = (e.abs_ci_upper - e.abs_ci_lower) / (2 * sps.t.ppf(1 - alpha / 2, e.df))
    assert_close(e.abs_effect / se, t_sm)

    rel, rel_lo, rel_hi = delta_rel_ci(x_t, x_c, df_sm, alpha)
    assert_close(e.rel_effect, rel)
    assert_close(e.rel_ci_lower, rel_lo)
    assert_close(e.rel_ci_upper, rel_hi)


def test_welch_proportion_is_significant_and_sensible():
    # Sanity beyond agreement: a clear lift on a large 0/1 sample.
    rng = np.random.default_rng(3)
    x_c = rng.binomial(1, 0.20, 5000).astype(float)
    x_t = rng.binomial(1, 0.25, 5000).astype(float)
    e = welch_test(suff(x_c), suff(x_t))
    assert e.p_value < 1e-4
    assert 0 < e.abs_ci_lower < e.abs_effect < e.abs_ci_upper
    assert 0 < e.rel_ci_lower < e.rel_effect < e.rel_ci_upper
    assert_close(e.p_value, sps.ttest_ind(x_t, x_c, equal_var=False).pvalue)


def test_welch_returns_plain_floats():
    x_c, x_t = samples()["normal"]
    e = welch_test(suff(x_c), suff(x_t))
    for field in ("abs_effect", "abs_ci_lower", "abs_ci_upper", "rel_effect",
                  "rel_ci_lower", "rel_ci_upper", "p_value", "df"):
        assert type(getattr(e, field)) is float, field


def test_welch_wider_ci_for_smaller_alpha():
    x_c, x_t = samples()["normal"]
    narrow = welch_test(suff(x_c), suff(x_t), alpha=0.2)
    wide = welch_test(suff(x_c), suff(x_t), alpha=0.01)
    assert wide.abs_ci_lower < narrow.abs_ci_lower < narrow.abs_ci_upper < wide.abs_ci_upper
    assert narrow.p_value == wide.p_value


@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.1, 1.5])
def test_welch_rejects_bad_alpha(alpha):
    with pytest.raises(ValueError):
        welch_test(suff([1, 2, 3]), suff([2, 3, 4]), alpha=alpha)


ALL_NONE = Effect().__dict__.keys() - {"reason"}


@pytest.mark.parametrize(
    "control, treatment, reason",
    [
        (SampleStats(0, 0.0, 0.0), suff([1.0, 2.0, 3.0]), "fewer than 2 units in control"),
        (SampleStats(1, 2.0, 4.0), suff([1.0, 2.0, 3.0]), "fewer than 2 units in control"),
        (suff([1.0, 2.0, 3.0]), SampleStats(0, 0.0, 0.0), "fewer than 2 units in treatment"),
        (suff([1.0, 2.0, 3.0]), SampleStats(1, 5.0, 25.0), "fewer than 2 units in treatment"),
        (SampleStats(0, 0.0, 0.0), SampleStats(0, 0.0, 0.0), "fewer than 2 units in control"),
    ],
)
def test_welch_too_few_units(control, treatment, reason):
    e = welch_test(control, treatment)
    assert e.reason == reason
    for field in ALL_NONE:
        assert getattr(e, field) is None, field


def test_welch_zero_variance_both_arms():
    e = welch_test(suff([0.1] * 5), suff([0.3] * 7))
    assert e.reason == "zero variance"
    assert_close(e.abs_effect, 0.3 - 0.1)
    for field in ALL_NONE - {"abs_effect"}:
        assert getattr(e, field) is None, field


def test_welch_zero_variance_in_one_arm_only_is_computed():
    x_c = np.array([2.0, 2.0, 2.0, 2.0])
    x_t = np.array([1.0, 3.0, 4.0, 2.5, 3.5])
    e = welch_test(suff(x_c), suff(x_t))
    assert e.reason is None
    t_sm, p_sm, df_sm = ttest_ind(x_t, x_c, usevar="unequal")
    assert_close(e.df, len(x_t) - 1)  # all the variance comes from treatment
    assert_close(e.df, df_sm)
    assert_close(e.p_value, p_sm)


def test_welch_control_mean_zero():
    x_c = np.array([-1.0, 1.0, -2.0, 2.0, 0.0])
    x_t = np.array([0.5, 1.5, 2.0, -0.5, 1.0, 0.8])
    e = welch_test(suff(x_c), suff(x_t))
    assert e.reason == "control mean is 0, relative effect undefined"
    _, p_sm, df_sm = ttest_ind(x_t, x_c, usevar="unequal")
    lo_sm, hi_sm = CompareMeans(DescrStatsW(x_t), DescrStatsW(x_c)).tconfint_diff(usevar="unequal")
    assert_close(e.abs_effect, x_t.mean())
    assert_close(e.abs_ci_lower, lo_sm)
    assert_close(e.abs_ci_upper, hi_sm)
    assert_close(e.p_value, p_sm)
    assert_close(e.df, df_sm)
    assert e.rel_effect is None and e.rel_ci_lower is None and e.rel_ci_upper is None


def test_welch_zero_proportions_report_zero_variance():
    e = welch_test(suff(np.zeros(100)), suff(np.zeros(100)))
    assert e.reason == "zero variance"
    assert e.abs_effect == 0.0
    assert e.p_value is None


# --- analyze -------------------------------------------------------------------


def _experiment_frame():
    """Two metrics x (control, a, b) x two dates, plus the raw arrays behind each row."""
    rng = np.random.default_rng(11)
    rows, raw = [], {}
    for date in ("2024-05-01", "2024-05-02"):
        for metric in ("revenue", "converted"):
            for variant, shift in (("control", 0.0), ("a", 0.4), ("b", -0.2)):
                if metric == "revenue":
                    x = rng.gamma(2.0, 5.0 + shift, rng.integers(30, 60))
                else:
                    x = rng.binomial(1, 0.3 + shift / 10, rng.integers(200, 300)).astype(float)
                raw[(date, metric, variant)] = x
                s = suff(x)
                rows.append(
                    {"as_of_date": date, "metric": metric, "variant": variant,
                     "n": s.n, "sum": s.sum, "sum_squares": s.sum_squares}
                )
    return pd.DataFrame(rows), raw


def test_analyze_matches_welch_and_statsmodels():
    df, raw = _experiment_frame()
    out = analyze(df, control="control", alpha=0.05)

    assert list(out.columns) == ["as_of_date", "metric", *RESULT_COLUMNS]
    assert len(out) == len(df) == 12
    assert out[["as_of_date", "metric", "variant"]].equals(df[["as_of_date", "metric", "variant"]])
    assert out["units"].dtype == np.int64
    assert (out["units"] == df["n"]).all()
    assert (out["method"] == "welch_t").all()
    assert not out["cuped_applied"].any()

    for row in out.itertuples(index=False):
        x = raw[(row.as_of_date, row.metric, row.variant)]
        x_c = raw[(row.as_of_date, row.metric, "control")]
        assert_close(row.mean, x.mean())
        assert_close(row.control_mean, x_c.mean())
        assert row.reason is None
        if row.variant == "control":
            assert all(pd.isna(getattr(row, c)) for c in
                       ("abs_effect", "abs_ci_lower", "rel_effect", "p_value", "p_value_adjusted"))
            continue
        e = welch_test(suff(x_c), suff(x), alpha=0.05)
        for c in ("abs_effect", "abs_ci_lower", "abs_ci_upper", "rel_effect",
                  "rel_ci_lower", "rel_ci_upper", "p_value"):
            assert getattr(row, c) == getattr(e, c), c
        assert row.p_value_adjusted == row.p_value
        _, p_sm, df_sm = ttest_ind(x, x_c, usevar="unequal")
        lo_sm, hi_sm = CompareMeans(DescrStatsW(x), DescrStatsW(x_c)).tconfint_diff(usevar="unequal")
        assert_close(row.p_value, p_sm)
        assert_close(row.abs_ci_lower, lo_sm)
        assert_close(row.abs_ci_upper, hi_sm)
        rel, rel_lo, rel_hi = delta_rel_ci(x, x_c, df_sm, 0.05)
        assert_close(row.rel_ci_lower, rel_lo)
        assert_close(row.rel_ci_upper, rel_hi)


def test_analyze_row_order_and_groups_do_not_mix():
    # Shuffled input: each treatment must still be matched to its own group's control.
    df, raw = _experiment_frame()
    shuffled = df.sample(frac=1.0, random_state=0).reset_index(drop=True)
    out = analyze(shuffled, control="control")
    assert out[["as_of_date", "metric", "variant"]].equals(
        shuffled[["as_of_date", "metric", "variant"]]
    )
    for row in out[out["variant"] != "control"].itertuples(index=False):
        x_c = raw[(row.as_of_date, row.metric, "control")]
        assert_close(row.control_mean, x_c.mean())
        assert_close(row.p_value, sps.ttest_ind(raw[(row.as_of_date, row.metric, row.variant)],
                                                x_c, equal_var=False).pvalue)


def test_analyze_group_without_control():
    df = pd.DataFrame(
        {
            "metric": ["m", "m", "m", "orphan", "orphan"],
            "dimension_value": ["x", "x", None, "x", "x"],
            "variant": ["control", "a", "a", "a", "b"],
            "n": [10, 12, 8, 5, 6],
            "sum": [20.0, 30.0, 16.0, 10.0, 9.0],
            "sum_squares": [50.0, 90.0, 40.0, 30.0, 20.0],
        }
    )
    out = analyze(df, control="control")
    assert list(out.columns) == ["metric", "dimension_value", *RESULT_COLUMNS]
    # Rows 0/1 form a proper comparison; the NULL-dimension group and "orphan" have no control.
    assert out.loc[1, "reason"] is None
    assert_close(out.loc[1, "abs_effect"], 30 / 12 - 20 / 10)
    for i in (2, 3, 4):
        assert out.loc[i, "reason"] == "no control units"
        assert out.loc[i, "units"] == df.loc[i, "n"]
        assert_close(out.loc[i, "mean"], df.loc[i, "sum"] / df.loc[i, "n"])
        for c in ("control_mean", "abs_effect", "abs_ci_lower", "abs_ci_upper", "rel_effect",
                  "rel_ci_lower", "rel_ci_upper", "p_value", "p_value_adjusted"):
            assert pd.isna(out.loc[i, c]), c
    assert out["dimension_value"].isna().tolist() == [False, False, True, False, False]


def test_analyze_edge_case_reasons_propagate():
    df = pd.DataFrame(
        {
            "metric": ["tiny", "tiny", "flat", "flat", "zero", "zero"],
            "variant": ["control", "a"] * 3,
            "n": [1, 10, 4, 4, 3, 3],
            "sum": [1.0, 10.0, 8.0, 12.0, 0.0, 3.0],
            "sum_squares": [1.0, 20.0, 16.0, 36.0, 2.0, 5.0],
        }
    )
    out = analyze(df, control="control").set_index(["metric", "variant"])
    assert out.loc[("tiny", "a"), "reason"] == "fewer than 2 units in control"
    assert pd.isna(out.loc[("tiny", "a"), "abs_effect"])
    assert out.loc[("flat", "a"), "reason"] == "zero variance"
    assert out.loc[("flat", "a"), "abs_effect"] == 1.0
    assert pd.isna(out.loc[("flat", "a"), "p_value"])
    assert out.loc[("zero", "a"), "reason"] == "control mean is 0, relative effect undefined"
    assert out.loc[("zero", "a"), "abs_effect"] == 1.0
    assert not pd.isna(out.loc[("zero", "a"), "p_value"])
    assert pd.isna(out.loc[("zero", "a"), "rel_effect"])
    assert out.loc[("tiny", "control"), "reason"] is None


def test_analyze_zero_unit_arm_with_null_sums():
    # SQL SUM over no rows is NULL; the arm still gets a row with 0 units and no mean.
    df = pd.DataFrame(
        {"metric": ["m", "m"], "variant": ["control", "a"], "n": [5, 0],
         "sum": [10.0, None], "sum_squares": [30.0, None]}
    )
    out = analyze(df, control="control")
    assert out["units"].tolist() == [5, 0]
    assert pd.isna(out.loc[1, "mean"])
    assert out.loc[1, "reason"] == "fewer than 2 units in treatment"


def test_analyze_rejects_duplicate_variant_rows():
    df = pd.DataFrame(
        {"metric": ["m", "m"], "variant": ["control", "control"], "n": [5, 6],
         "sum": [1.0, 2.0], "sum_squares": [1.0, 2.0]}
    )
    with pytest.raises(ValueError, match="more than one row"):
        analyze(df, control="control")


def test_analyze_empty_input():
    df = pd.DataFrame(columns=["as_of_date", "metric", "variant", "n", "sum", "sum_squares"])
    out = analyze(df, control="control")
    assert out.empty
    assert list(out.columns) == ["as_of_date", "metric", *RESULT_COLUMNS]
    assert out["units"].dtype == np.int64
    assert out["p_value"].dtype == np.float64

    bare = analyze(pd.DataFrame(), control="control")
    assert bare.empty and list(bare.columns) == list(RESULT_COLUMNS)
