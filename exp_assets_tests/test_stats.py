"""exp_assets.stats core: Welch t-tests through `analyze`, checked against statsmodels and
scipy on unit-level data; frame plumbing, options and edge cases."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW, ttest_ind

from exp_assets.stats import MOMENT_COLUMNS, RESULT_COLUMNS, STATISTIC_COLUMNS, AnalysisOptions, Moments, analyze
from exp_assets.stats.inference import UNBOUNDED
from exp_assets_tests.test_stats_support import close, close_pair, fieller_reference, frame, moment_row

FLOAT_COLUMNS = [c for c, sql_type in STATISTIC_COLUMNS.items() if sql_type == "DOUBLE"]
TREATMENT_STATS = [c for c in FLOAT_COLUMNS if c not in ("mean", "control_mean")]


def delta_rel_ci(x_t, x_c, df, alpha):
    """Relative effect and CI by the delta method (Var(m_t/m_c) to first order), straight from the raw arrays."""
    m_t, m_c = x_t.mean(), x_c.mean()
    var_rel = np.var(x_t, ddof=1) / (len(x_t) * m_c**2) + m_t**2 * np.var(x_c, ddof=1) / (len(x_c) * m_c**4)
    half = sps.t.ppf(1 - alpha / 2, df) * math.sqrt(var_rel)
    return m_t / m_c - 1, m_t / m_c - 1 - half, m_t / m_c - 1 + half


def samples():
    rng = np.random.default_rng(7)
    return {
        "normal": (rng.normal(10.0, 2.0, 40), rng.normal(10.8, 3.5, 55)),
        "skewed_small": (rng.exponential(3.0, 6), rng.exponential(4.0, 9)),
        "negative_mean": (rng.normal(-5.0, 1.0, 30), rng.normal(-4.2, 0.5, 25)),
        "proportion": (rng.binomial(1, 0.30, 500).astype(float), rng.binomial(1, 0.36, 480).astype(float)),
    }


def pair(x_c, x_t, options=AnalysisOptions(), **keys):
    out = analyze(frame(moment_row("control", x_c, **keys), moment_row("t", x_t, **keys)), "control", options)
    return SimpleNamespace(**out.iloc[1].to_dict())


# --- Welch ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(samples()))
@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_welch_matches_statsmodels_and_scipy(name, alpha):
    x_c, x_t = samples()[name]
    r = pair(x_c, x_t, AnalysisOptions(alpha=alpha, min_units=2))
    q = sps.t.ppf(1 - alpha / 2, ttest_ind(x_t, x_c, usevar="unequal")[2])
    # Fieller's relative interval is bounded iff the control mean is significant at q
    bounded = x_c.mean() ** 2 > q**2 * np.var(x_c, ddof=1) / len(x_c)
    assert r.reason == (None if bounded else UNBOUNDED) and r.method == "welch_t" and not r.cuped_applied

    t_sm, p_sm, df_sm = ttest_ind(x_t, x_c, usevar="unequal")
    lo_sm, hi_sm = CompareMeans(DescrStatsW(x_t), DescrStatsW(x_c)).tconfint_diff(alpha=alpha, usevar="unequal")
    close(r.abs_effect, x_t.mean() - x_c.mean())
    close(r.p_value, p_sm)
    close(r.p_value, sps.ttest_ind(x_t, x_c, equal_var=False).pvalue)
    close(r.abs_ci_lower, lo_sm)
    close(r.abs_ci_upper, hi_sm)
    close(r.abs_effect / ((r.abs_ci_upper - r.abs_ci_lower) / (2 * sps.t.ppf(1 - alpha / 2, df_sm))), t_sm)
    rel, rel_lo, rel_hi = delta_rel_ci(x_t, x_c, df_sm, alpha)
    close(r.rel_effect, rel)
    if bounded:
        close_pair((r.rel_ci_lower, r.rel_ci_upper),
                   fieller_reference(x_t, x_c, x_c, x_t.mean() - x_c.mean(), x_c.mean(), q))
    else:
        assert pd.isna(r.rel_ci_lower) and pd.isna(r.rel_ci_upper)
    # relative_interval: delta, the delta method's interval and the test on the relative effect
    d = pair(x_c, x_t, AnalysisOptions(alpha=alpha, min_units=2, relative_interval="delta"))
    close(d.rel_ci_lower, rel_lo)
    close(d.rel_ci_upper, rel_hi)
    close(d.p_value, 2 * sps.t.sf(abs(rel) / ((rel_hi - rel) / q), df_sm))
    close_pair((d.abs_ci_lower, d.abs_ci_upper), sorted((rel_lo * x_c.mean(), rel_hi * x_c.mean())))
    close(r.mean, x_t.mean())
    close(r.control_mean, x_c.mean())
    assert r.p_value_adjusted == r.p_value
    assert r.abs_ci_lower_adjusted == r.abs_ci_lower
    assert r.rel_ci_upper_adjusted == r.rel_ci_upper or not bounded
    for c in ("chance_to_beat_control", "expected_loss", "variance_reduction", "theta"):
        assert pd.isna(getattr(r, c)), c


def test_welch_proportion_is_significant_and_sensible():
    rng = np.random.default_rng(3)
    x_c = rng.binomial(1, 0.20, 5000).astype(float)
    x_t = rng.binomial(1, 0.25, 5000).astype(float)
    r = pair(x_c, x_t)
    assert r.p_value < 1e-4
    assert 0 < r.abs_ci_lower < r.abs_effect < r.abs_ci_upper
    assert 0 < r.rel_ci_lower < r.rel_effect < r.rel_ci_upper
    close(r.p_value, sps.ttest_ind(x_t, x_c, equal_var=False).pvalue)


def test_welch_wider_ci_for_smaller_alpha():
    x_c, x_t = samples()["normal"]
    narrow, wide = pair(x_c, x_t, AnalysisOptions(alpha=0.2)), pair(x_c, x_t, AnalysisOptions(alpha=0.01))
    assert wide.abs_ci_lower < narrow.abs_ci_lower < narrow.abs_ci_upper < wide.abs_ci_upper
    assert narrow.p_value == wide.p_value


def test_zero_variance_in_one_arm_is_not_tested():
    """An arm without variance would be taken as known exactly (Welch's df collapses
    onto the other arm, and tests reject far too often): no inference, as gbstats."""
    x_c = np.array([2.0] * 12)
    x_t = np.array([1.0, 3.0, 4.0, 2.5, 3.5] * 3)
    for control, treatment, arm in ((x_c, x_t, "control"), (x_t, x_c, "treatment")):
        r = pair(control, treatment)
        assert r.reason == f"zero variance in {arm}"
        close(r.abs_effect, treatment.mean() - control.mean())
        assert all(pd.isna(getattr(r, c)) for c in ("p_value", "abs_ci_lower", "rel_ci_upper", "p_value_adjusted"))
    # a proportion without conversions in one arm
    r = pair(np.zeros(500), (np.arange(500) % 50 == 0).astype(float))
    assert r.reason == "zero variance in control" and pd.isna(r.p_value)


def test_arms_below_the_minimum_units_are_not_tested():
    rng = np.random.default_rng(5)
    x_c, x_t = rng.normal(5, 1, 9), rng.normal(5, 1, 30)
    assert pair(x_c, x_t).reason == "fewer than 10 units in control (9)"
    assert pair(x_c, x_t, AnalysisOptions(min_units=9)).reason is None
    assert pair(x_t, x_c, AnalysisOptions(min_units=20)).reason == "fewer than 20 units in treatment (9)"
    # ratios count units with a nonzero denominator, where the rows say how many
    d_c, d_t = (np.arange(40) % 4 == 0) * 2.0, np.ones(40)
    rows = [moment_row("control", d_c * 3.0 + rng.normal(0, 0.1, 40) * d_c, d=d_c, denominator_units=10),
            moment_row("t", rng.normal(3, 1, 40), d=d_t, denominator_units=40)]
    out = analyze(frame(*rows), "control", AnalysisOptions(min_units=11))
    assert out.loc[1, "reason"] == "fewer than 11 units with a nonzero denominator in control (10)"
    assert analyze(frame(*rows), "control", AnalysisOptions(min_units=10)).loc[1, "reason"] is None
    with pytest.raises(ValueError, match="min_units"):
        AnalysisOptions(min_units=1)


# --- analyze over a frame ------------------------------------------------------


def _experiment_frame():
    """Two dates x two metrics x (control, a, b), plus the raw arrays behind each row."""
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
                rows.append(moment_row(variant, x, as_of_date=date, metric=metric))
    return frame(*rows), raw


def test_analyze_frame_matches_statsmodels_every_treatment_vs_its_control():
    df, raw = _experiment_frame()
    out = analyze(df, "control")
    assert list(out.columns) == ["as_of_date", "metric", "variant", *STATISTIC_COLUMNS]
    assert len(out) == 12
    assert out[["as_of_date", "metric", "variant"]].equals(df[["as_of_date", "metric", "variant"]])
    assert out["units"].dtype == np.int64 and (out["units"] == df["n"]).all()
    assert all(out[c].dtype == np.float64 for c in FLOAT_COLUMNS)
    assert out["cuped_applied"].dtype == bool and not out["cuped_applied"].any()
    assert (out["method"] == "welch_t").all()
    assert out["reason"].map(lambda v: v is None).all()

    for row in out.itertuples(index=False):
        x = raw[(row.as_of_date, row.metric, row.variant)]
        x_c = raw[(row.as_of_date, row.metric, "control")]
        close(row.mean, x.mean())
        close(row.control_mean, x_c.mean())
        if row.variant == "control":
            assert all(pd.isna(getattr(row, c)) for c in TREATMENT_STATS)
            continue
        _, p_sm, df_sm = ttest_ind(x, x_c, usevar="unequal")
        lo_sm, hi_sm = CompareMeans(DescrStatsW(x), DescrStatsW(x_c)).tconfint_diff(usevar="unequal")
        close(row.p_value, p_sm)
        close(row.abs_ci_lower, lo_sm)
        close(row.abs_ci_upper, hi_sm)
        q = sps.t.ppf(0.975, df_sm)
        close_pair((row.rel_ci_lower, row.rel_ci_upper), fieller_reference(x, x_c, x_c, x.mean() - x_c.mean(), x_c.mean(), q))


def test_analyze_row_order_and_groups_do_not_mix():
    df, raw = _experiment_frame()
    shuffled = df.sample(frac=1.0, random_state=0).reset_index(drop=True)
    out = analyze(shuffled, "control")
    assert out[["as_of_date", "metric", "variant"]].equals(shuffled[["as_of_date", "metric", "variant"]])
    for row in out[out["variant"] != "control"].itertuples(index=False):
        x_c = raw[(row.as_of_date, row.metric, "control")]
        close(row.control_mean, x_c.mean())
        x = raw[(row.as_of_date, row.metric, row.variant)]
        close(row.p_value, sps.ttest_ind(x, x_c, equal_var=False).pvalue)


def test_old_four_column_frame_still_works():
    x_c, x_t = samples()["normal"]
    df = pd.DataFrame(
        {
            "metric": ["m", "m"],
            "variant": ["control", "t"],
            "n": [len(x_c), len(x_t)],
            "sum": [x_c.sum(), x_t.sum()],
            "sum_squares": [(x_c**2).sum(), (x_t**2).sum()],
        }
    )
    out = analyze(df, "control")
    close(out.loc[1, "p_value"], sps.ttest_ind(x_t, x_c, equal_var=False).pvalue)


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
    out = analyze(df, "control")
    assert list(out.columns) == ["metric", "dimension_value", "variant", *STATISTIC_COLUMNS]
    assert out.loc[1, "reason"] is None
    close(out.loc[1, "abs_effect"], 30 / 12 - 20 / 10)
    for i in (2, 3, 4):
        assert out.loc[i, "reason"] == "no control units"
        assert out.loc[i, "units"] == df.loc[i, "n"]
        close(out.loc[i, "mean"], df.loc[i, "sum"] / df.loc[i, "n"])
        assert all(pd.isna(out.loc[i, c]) for c in ["control_mean", *TREATMENT_STATS])
    assert out["dimension_value"].isna().tolist() == [False, False, True, False, False]


def test_edge_cases_give_reasons_and_no_fake_numbers():
    df = pd.DataFrame(
        {
            "metric": ["tiny", "tiny", "flat", "flat", "zero", "zero", "empty", "empty", "null_n", "null_n"],
            "variant": ["control", "a"] * 5,
            "n": [1, 10, 4, 4, 3, 3, 5, 0, None, 4],
            "sum": [1.0, 10.0, 8.0, 12.0, 0.0, 3.0, 10.0, None, None, 4.0],
            "sum_squares": [1.0, 20.0, 16.0, 36.0, 2.0, 5.0, 30.0, None, None, 6.0],
        }
    )
    out = analyze(df, "control", AnalysisOptions(min_units=2)).set_index(["metric", "variant"])
    assert out.loc[("tiny", "a"), "reason"] == "fewer than 2 units in control"
    assert all(pd.isna(out.loc[("tiny", "a"), c]) for c in TREATMENT_STATS)
    assert out.loc[("flat", "a"), "reason"] == "zero variance in control"
    assert out.loc[("flat", "a"), "abs_effect"] == 1.0
    assert all(pd.isna(out.loc[("flat", "a"), c]) for c in TREATMENT_STATS if c != "abs_effect")
    zero = out.loc[("zero", "a")]
    assert zero.reason == "control mean is 0, relative effect undefined"
    assert zero.abs_effect == 1.0 and not pd.isna(zero.p_value) and not pd.isna(zero.abs_ci_lower)
    assert pd.isna(zero.rel_effect) and pd.isna(zero.rel_ci_lower) and pd.isna(zero.rel_ci_upper_adjusted)
    assert out.loc[("empty", "a"), "units"] == 0 and pd.isna(out.loc[("empty", "a"), "mean"])
    assert out.loc[("empty", "a"), "reason"] == "fewer than 2 units in treatment"
    assert out.loc[("null_n", "control"), "units"] == 0
    assert out.loc[("null_n", "a"), "reason"] == "fewer than 2 units in control"
    assert out.loc[("tiny", "control"), "reason"] is None
    assert out.loc[("tiny", "control"), "mean"] == 1.0


@pytest.mark.parametrize("value", [0.1, 3.7, 123.456, 1e6 + 0.3])
@pytest.mark.parametrize("n", [2, 5, 1000, 100_000])
def test_constant_data_is_zero_variance_despite_rounding(value, n):
    # A constant non-representable value leaves float residue in sum_squares - sum**2/n;
    # Python's sequential sum makes it as large as a naive warehouse SUM would.
    x = [value] * n
    row = {"n": n, "sum": float(sum(x)), "sum_squares": float(sum(v * v for v in x))}
    assert Moments.from_row(row).variance(np.array([1.0, 0, 0, 0])) == 0.0
    other = {**row, "sum": row["sum"] * 3, "sum_squares": row["sum_squares"] * 9}
    out = analyze(pd.DataFrame([{**row, "variant": "control"}, {**other, "variant": "t"}]), "control",
                  AnalysisOptions(min_units=2))
    assert out.loc[1, "reason"] == "zero variance in control"
    assert pd.isna(out.loc[1, "p_value"])
    close(out.loc[1, "abs_effect"], 2 * value)


def test_moments_match_numpy():
    rng = np.random.default_rng(5)
    y, d, x = rng.normal(3, 2, 50), rng.poisson(4, 50) + 1.0, rng.normal(1, 1, 50)
    m = Moments.from_row(moment_row("v", y, d=d, x=x))
    assert m.n == 50 and m.present == (True, True, True, False)
    np.testing.assert_allclose(m.mean[:3], [y.mean(), d.mean(), x.mean()], rtol=1e-12)
    g, h = np.array([0.5, -2.0, 1.0, 0.0]), np.array([0.0, 1.0, 3.0, 0.0])
    u, w = 0.5 * y - 2 * d + x, d + 3 * x
    close(m.variance(g), np.var(u, ddof=1))
    close(m.covariance(g, h), np.cov(u, w, ddof=1)[0, 1])
    with pytest.raises(ValueError, match="do not carry"):
        m.variance(np.array([0.0, 0.0, 0.0, 1.0]))
    with pytest.raises(AttributeError):
        m.n = 3  # type: ignore[misc]
    with pytest.raises(ValueError):
        m.sums[0] = 1.0
    assert Moments.from_row({"n": 3, "sum": 3.0, "sum_squares": 2.0}).variance(np.eye(4)[0]) == 0.0


def test_missing_moment_of_a_present_variable_is_an_error():
    row = moment_row("v", [1.0, 2.0, 4.0], d=[1.0, 1.0, 2.0])
    del row["main_denominator_sum_product"]
    with pytest.raises(ValueError, match="main_denominator_sum_product"):
        Moments.from_row(row)
    with pytest.raises(ValueError, match="NULL sum"):
        Moments.from_row({"n": 3, "sum": None, "sum_squares": 1.0})


def test_mixed_ratio_and_plain_rows_in_one_group_are_rejected():
    df = frame(moment_row("control", [1.0, 2.0, 3.0], d=[1.0, 1.0, 1.0]), moment_row("t", [1.0, 2.0, 5.0]))
    with pytest.raises(ValueError, match="ratio"):
        analyze(df, "control")


def test_analyze_rejects_duplicate_variant_rows_and_missing_columns():
    df = frame(moment_row("control", [1.0, 2.0], metric="m"), moment_row("control", [1.0, 3.0], metric="m"))
    with pytest.raises(ValueError, match="more than one row"):
        analyze(df, "control")
    with pytest.raises(ValueError, match="sum_squares"):
        analyze(df.drop(columns=["sum_squares"]), "control")


def test_analyze_empty_input():
    df = pd.DataFrame(columns=["as_of_date", "metric", "variant", "n", *MOMENT_COLUMNS])
    out = analyze(df, "control")
    assert out.empty
    assert list(out.columns) == ["as_of_date", "metric", "variant", *STATISTIC_COLUMNS]
    assert out["units"].dtype == np.int64 and out["p_value"].dtype == np.float64
    bare = analyze(pd.DataFrame(), "control")
    assert bare.empty and list(bare.columns) == ["variant", *STATISTIC_COLUMNS]


def test_public_constants():
    assert len(MOMENT_COLUMNS) == 15 and len(set(MOMENT_COLUMNS)) == 15
    assert MOMENT_COLUMNS[-1] == "denominator_units"
    assert MOMENT_COLUMNS[:4] == ("sum", "sum_squares", "denominator_sum", "denominator_sum_squares")
    assert list(RESULT_COLUMNS)[:4] == ["as_of_date", "rollup", "metric", "variant"]
    assert list(RESULT_COLUMNS)[-1] == "reason" and set(STATISTIC_COLUMNS) < set(RESULT_COLUMNS)


# --- options -------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value",
    [
        ("alpha", 0.0),
        ("alpha", 1.0),
        ("alpha", float("nan")),
        ("alpha", "0.05"),
        ("engine", "bayes"),
        ("sequential", 1),
        ("sequential_tuning", 0.0),
        ("sequential_tuning", float("inf")),
        ("correction", "fdr"),
        ("prior_mean", float("inf")),
        ("prior_stddev", 0.0),
        ("prior_stddev", -1.0),
        ("cuped", "yes"),
    ],
)
def test_options_validation_names_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        AnalysisOptions(**{field: value})


def test_options_sequential_is_frequentist_only_and_options_are_frozen():
    with pytest.raises(ValueError, match="sequential"):
        AnalysisOptions(engine="bayesian", sequential=True)
    options = AnalysisOptions()
    with pytest.raises(AttributeError):
        options.alpha = 0.1  # type: ignore[misc]
    assert options == AnalysisOptions(alpha=0.05, engine="frequentist", sequential=False,
                                      sequential_tuning=5000.0, correction="none", prior_mean=0.0,
                                      prior_stddev=None, cuped=True)


def test_analyze_rejects_a_bare_alpha_for_options():
    x_c, x_t = samples()["normal"]
    with pytest.raises(TypeError, match="AnalysisOptions"):
        analyze(frame(moment_row("control", x_c), moment_row("t", x_t)), "control", 0.05)  # type: ignore[arg-type]
