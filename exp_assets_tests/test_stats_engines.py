"""Sequential confidence sequences, the Bayesian engine, multiple-testing corrections and
multi-arm experiments, checked against GrowthBook's gbstats (recorded outputs), formulas
evaluated independently here, scipy and statsmodels."""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import integrate
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW, ttest_ind

from exp_assets.stats import AnalysisOptions, analyze
from exp_assets_tests.test_stats_support import (
    close,
    close_pair,
    fieller_reference,
    frame,
    moment_row,
    welch_df,
    welch_var,
)


def rows_of(out):
    return [SimpleNamespace(**r) for r in out.to_dict("records")]


def two_arms(seed=21, n_c=900, n_t=1100, lift=0.0, loc=20.0):
    rng = np.random.default_rng(seed)
    return rng.normal(loc, 6.0, n_c), rng.normal(loc + lift, 7.0, n_t)


def rel_variance(x_t, x_c):
    m_t, m_c = x_t.mean(), x_c.mean()
    return np.var(x_t, ddof=1) / (len(x_t) * m_c**2) + m_t**2 * np.var(x_c, ddof=1) / (len(x_c) * m_c**4)


# GrowthBook's sequential test (gbstats 0.8.0) on the samples below, recorded by
# gbstats_sequential_reference.py: an independent implementation of the same sequences.
GBSTATS = {c["name"]: c for c in json.loads(
    Path(__file__).with_name("gbstats_sequential_reference.json").read_text())["cases"]}


def gbstats(name: str, x_c, x_t) -> dict:
    """The recorded gbstats results of case `name`, once its inputs are checked to be these samples."""
    case = GBSTATS[name]
    for arm, x in (("control", x_c), ("treatment", x_t)):
        recorded = case[arm]
        assert recorded["n"] == len(x), name
        close(recorded["sum"], x.sum(), rtol=1e-12)
        close(recorded["sum_squares"], (x * x).sum(), rtol=1e-12)
    return case["gbstats"]


# --- sequential ----------------------------------------------------------------


@pytest.mark.parametrize("tuning", [5000.0, 300.0])
def test_sequential_intervals_equal_gbstats(tuning):
    x_c, x_t = two_arms(lift=0.8)
    gb = gbstats(f"lift_0.8_tuning_{tuning:.0f}", x_c, x_t)
    options = AnalysisOptions(sequential=True, sequential_tuning=tuning)
    r = rows_of(analyze(frame(moment_row("control", x_c), moment_row("t", x_t)), "control", options))[1]
    absolute, relative = gb["absolute"], gb["relative"]
    assert r.method == "sequential_t"
    close(r.abs_effect, absolute["estimate"])
    close_pair((r.abs_ci_lower, r.abs_ci_upper), absolute["ci"])
    close(r.p_value, absolute["p_value"])
    # Fieller's relative interval with the sequence's critical value (gbstats' half-width per SE)
    k = (absolute["ci"][1] - absolute["estimate"]) / absolute["stddev"]
    close_pair((r.rel_ci_lower, r.rel_ci_upper),
               fieller_reference(x_t, x_c, x_c, x_t.mean() - x_c.mean(), x_c.mean(), k))
    d = rows_of(analyze(frame(moment_row("control", x_c), moment_row("t", x_t)), "control",
                        AnalysisOptions(sequential=True, sequential_tuning=tuning, relative_interval="delta")))[1]
    close(d.rel_effect, relative["estimate"])
    close_pair((d.rel_ci_lower, d.rel_ci_upper), relative["ci"])
    # always-valid intervals are wider than the fixed-horizon ones
    t_half = sps.t.ppf(0.975, welch_df(x_t, x_c)) * math.sqrt(welch_var(x_t, x_c))
    assert r.abs_ci_upper - r.abs_effect > t_half


def test_sequential_p_value_equals_gbstats():
    x_c, x_t = two_arms(lift=1.5)
    gb = gbstats("lift_1.5", x_c, x_t)["absolute"]
    r = rows_of(analyze(frame(moment_row("control", x_c), moment_row("t", x_t)), "control",
                        AnalysisOptions(sequential=True)))[1]
    assert 1e-12 < r.p_value < 0.05
    close(r.p_value, gb["p_value"])
    close_pair((r.abs_ci_lower, r.abs_ci_upper), gb["ci"])
    # excludes 0 at the 0.05 level, consistently with the p-value
    assert r.abs_ci_lower > 0
    # sequential p-values are larger than the fixed-horizon ones
    assert r.p_value > sps.ttest_ind(x_t, x_c, equal_var=False).pvalue


def test_sequential_p_value_is_one_when_the_sequence_never_excludes_zero():
    x_c, x_t = two_arms(lift=0.05)
    gb = gbstats("lift_0.05", x_c, x_t)["absolute"]
    r = rows_of(analyze(frame(moment_row("control", x_c), moment_row("t", x_t)), "control",
                        AnalysisOptions(sequential=True)))[1]
    assert gb["p_value"] == 1.0 and r.p_value == 1.0
    close_pair((r.abs_ci_lower, r.abs_ci_upper), gb["ci"])
    assert r.abs_ci_lower < 0 < r.abs_ci_upper


# --- Bayesian ------------------------------------------------------------------


def test_bayesian_flat_prior_is_the_likelihood():
    x_c, x_t = two_arms(lift=0.5)
    r = rows_of(analyze(frame(moment_row("control", x_c), moment_row("t", x_t)), "control",
                        AnalysisOptions(engine="bayesian", alpha=0.1)))[1]
    rel, sd = x_t.mean() / x_c.mean() - 1, math.sqrt(rel_variance(x_t, x_c))
    assert r.method == "bayesian_gaussian"
    close(r.rel_effect, rel)
    close(r.rel_ci_lower, sps.norm.ppf(0.05, rel, sd))
    close(r.rel_ci_upper, sps.norm.ppf(0.95, rel, sd))
    close(r.chance_to_beat_control, sps.norm.sf(0, rel, sd))
    loss = integrate.quad(lambda v: -v * sps.norm.pdf(v, rel, sd), -np.inf, 0, epsabs=1e-14, epsrel=1e-12)[0]
    close(r.expected_loss, loss, rtol=1e-7)
    mu_c = x_c.mean()
    close(r.abs_effect, rel * mu_c)
    close(r.abs_ci_lower, sps.norm.ppf(0.05, rel, sd) * mu_c)
    close(r.abs_ci_upper, sps.norm.ppf(0.95, rel, sd) * mu_c)
    for c in ("p_value", "p_value_adjusted", "abs_ci_lower_adjusted", "rel_ci_upper_adjusted"):
        assert pd.isna(getattr(r, c)), c


@pytest.mark.parametrize("prior_mean, prior_sd", [(0.0, 0.01), (0.05, 0.02), (-0.1, 1.0)])
def test_bayesian_proper_prior_is_the_conjugate_normal(prior_mean, prior_sd):
    x_c, x_t = two_arms(seed=3, lift=0.6)
    options = AnalysisOptions(engine="bayesian", prior_mean=prior_mean, prior_stddev=prior_sd)
    r = rows_of(analyze(frame(moment_row("control", x_c), moment_row("t", x_t)), "control", options))[1]
    rel, var = x_t.mean() / x_c.mean() - 1, rel_variance(x_t, x_c)
    post_var = 1 / (1 / var + 1 / prior_sd**2)
    post_mean = post_var * (rel / var + prior_mean / prior_sd**2)
    sd = math.sqrt(post_var)
    close(r.rel_effect, post_mean)
    close(r.rel_ci_lower, sps.norm.ppf(0.025, post_mean, sd))
    close(r.rel_ci_upper, sps.norm.ppf(0.975, post_mean, sd))
    close(r.chance_to_beat_control, sps.norm.sf(0, post_mean, sd))
    loss = integrate.quad(lambda v: -v * sps.norm.pdf(v, post_mean, sd), -np.inf, 0, epsabs=1e-15, epsrel=1e-12)[0]
    close(r.expected_loss, loss, rtol=1e-7)
    close(r.abs_effect, post_mean * x_c.mean())
    if prior_sd < 0.05:  # a tight prior pulls the estimate towards its mean
        assert abs(r.rel_effect - prior_mean) < abs(rel - prior_mean)


def test_bayesian_negative_control_mean_keeps_abs_interval_ordered():
    x_c, x_t = two_arms(seed=4, lift=0.4, loc=-10.0)
    r = rows_of(analyze(frame(moment_row("control", x_c), moment_row("t", x_t)), "control",
                        AnalysisOptions(engine="bayesian")))[1]
    assert r.abs_ci_lower < r.abs_effect < r.abs_ci_upper
    close(r.abs_effect, x_t.mean() - x_c.mean())


def test_bayesian_edge_cases():
    df = frame(moment_row("control", [-1.0, 1.0, 0.0], metric="zero"), moment_row("t", [1.0, 2.0, 4.0], metric="zero"),
               moment_row("control", [2.0, 2.0], metric="flat"), moment_row("t", [3.0, 3.0], metric="flat"))
    out = analyze(df, "control", AnalysisOptions(engine="bayesian", min_units=2)).set_index(["metric", "variant"])
    assert out.loc[("zero", "t"), "reason"] == "control mean is 0, relative effect undefined"
    assert out.loc[("flat", "t"), "reason"] == "zero variance in control"
    for metric in ("zero", "flat"):
        assert pd.isna(out.loc[(metric, "t"), "chance_to_beat_control"])
        assert pd.isna(out.loc[(metric, "t"), "rel_effect"])


# --- multiple testing ----------------------------------------------------------


def correction_data():
    """2 days x 3 metrics x (control, a, b); one day's family has 6 comparisons."""
    rng = np.random.default_rng(9)
    rows, raw = [], {}
    for day in ("d1", "d2"):
        for k, metric in enumerate(("m1", "m2", "m3")):
            for variant, lift in (("control", 0.0), ("a", 0.15 * k), ("b", 0.3 - 0.1 * k)):
                x = rng.normal(5.0 + lift, 1.0, 200 + 10 * k)
                raw[(day, metric, variant)] = x
                rows.append(moment_row(variant, x, as_of_date=day, metric=metric))
    return frame(*rows), raw


@pytest.mark.parametrize("correction, method", [("bonferroni", "bonferroni"), ("holm", "holm"), ("bh", "fdr_bh")])
def test_corrections_match_statsmodels_within_each_day(correction, method):
    df, raw = correction_data()
    out = analyze(df, "control", AnalysisOptions(correction=correction))
    treated = out[out["variant"] != "control"]
    assert len(treated) == 12
    for day, fam in treated.groupby("as_of_date"):
        p = [sps.ttest_ind(raw[(day, m, v)], raw[(day, m, "control")], equal_var=False).pvalue
             for m, v in zip(fam["metric"], fam["variant"])]
        np.testing.assert_allclose(fam["p_value"], p, rtol=1e-9)
        np.testing.assert_allclose(fam["p_value_adjusted"], multipletests(p, method=method)[1], rtol=1e-9)
        if correction == "bonferroni":
            for row in fam.itertuples(index=False):
                x, x_c = raw[(day, row.metric, row.variant)], raw[(day, row.metric, "control")]
                lo, hi = CompareMeans(DescrStatsW(x), DescrStatsW(x_c)).tconfint_diff(alpha=0.05 / 6, usevar="unequal")
                close(row.abs_ci_lower_adjusted, lo)
                close(row.abs_ci_upper_adjusted, hi)
                _, _, df_sm = ttest_ind(x, x_c, usevar="unequal")
                q = sps.t.ppf(1 - 0.05 / 12, df_sm)
                close_pair((row.rel_ci_lower_adjusted, row.rel_ci_upper_adjusted),
                           fieller_reference(x, x_c, x_c, x.mean() - x_c.mean(), x_c.mean(), q))
                assert row.abs_ci_lower_adjusted < row.abs_ci_lower
        else:  # backed out of the adjusted p-value: the interval at level alpha * p / p_adjusted
            for row in fam.itertuples(index=False):
                x, x_c = raw[(day, row.metric, row.variant)], raw[(day, row.metric, "control")]
                level = 0.05 * row.p_value / row.p_value_adjusted
                lo, hi = CompareMeans(DescrStatsW(x), DescrStatsW(x_c)).tconfint_diff(alpha=level, usevar="unequal")
                close(row.abs_ci_lower_adjusted, lo)
                close(row.abs_ci_upper_adjusted, hi)
                significant = row.p_value_adjusted < 0.05
                assert significant == (not lo <= 0 <= hi)
                assert significant == (not row.rel_ci_lower_adjusted <= 0 <= row.rel_ci_upper_adjusted)
    assert out.loc[out["variant"] == "control", "p_value_adjusted"].isna().all()


def test_correction_families_skip_rows_without_p_value_and_keep_dimensions_apart():
    rng = np.random.default_rng(2)
    rows = []
    for dim in ("US", "FR"):
        for metric in ("m1", "m2", "m3"):
            for variant in ("control", "a"):
                x = np.full(30, 2.0) if metric == "m3" else rng.normal(1.0, 1.0, 40)
                rows.append(moment_row(variant, x, dimension_value=dim, metric=metric))
    out = analyze(frame(*rows), "control", AnalysisOptions(correction="bonferroni"))
    treated = out[out["variant"] == "a"]
    flat = treated[treated["metric"] == "m3"]
    assert (flat["reason"] == "zero variance in control").all() and flat["p_value_adjusted"].isna().all()
    tested = treated[treated["metric"] != "m3"]
    np.testing.assert_allclose(tested["p_value_adjusted"], np.minimum(1, 2 * tested["p_value"]), rtol=1e-12)


def test_sequential_bonferroni_interval_is_the_sequence_at_alpha_over_m():
    df, raw = correction_data()
    out = analyze(df, "control", AnalysisOptions(sequential=True, correction="bonferroni"))
    row = out[(out["as_of_date"] == "d1") & (out["metric"] == "m2") & (out["variant"] == "a")].iloc[0]
    x, x_c = raw[("d1", "m2", "a")], raw[("d1", "m2", "control")]
    # gbstats' sequence tuned at the analysis alpha (0.05), read at 0.05 / 6
    gb = gbstats("bonferroni_d1_m2_a", x_c, x)["absolute"]
    close_pair((row.abs_ci_lower_adjusted, row.abs_ci_upper_adjusted), gb["ci"])
    close(row.p_value_adjusted, min(1.0, 6 * row.p_value))


# --- more than two variants ----------------------------------------------------


def test_three_variants_each_against_the_control():
    rng = np.random.default_rng(12)
    data = {"b": rng.normal(3.3, 1.0, 150), "control": rng.normal(3.0, 1.2, 160), "a": rng.normal(2.8, 0.9, 170)}
    out = analyze(frame(*(moment_row(v, x, metric="m") for v, x in data.items())), "control")
    assert out["variant"].tolist() == ["b", "control", "a"]
    for row in rows_of(out):
        close(row.control_mean, data["control"].mean())
        if row.variant == "control":
            continue
        x, x_c = data[row.variant], data["control"]
        lo, hi = CompareMeans(DescrStatsW(x), DescrStatsW(x_c)).tconfint_diff(usevar="unequal")
        close(row.abs_ci_lower, lo)
        close(row.abs_ci_upper, hi)
        close(row.p_value, sps.ttest_ind(x, x_c, equal_var=False).pvalue)
