"""The terminal / markdown scorecard: the interval it shows is the one its verdict uses."""

from __future__ import annotations

import pandas as pd

from exp_assets.plan import ExperimentPlan
from exp_assets.scorecard import scorecard_rows, scorecard_text
from exp_assets_tests import fixtures


def _results(**treatment) -> pd.DataFrame:
    base = dict(as_of_date="2026-01-08", dimension="overall", units=500, mean=1.0, control_mean=1.0,
                chance_to_beat_control=None, cuped_applied=False, variance_reduction=None, reason=None)
    rows = [dict(base, metric="revenue", variant="control"), dict(base, metric="revenue", variant="treatment", **treatment)]
    return pd.DataFrame(rows)


def test_a_corrected_row_shows_the_adjusted_interval_beside_the_adjusted_verdict(tmp_path):
    config = fixtures.make_config(tmp_path / "wh.duckdb", stats="    correction: holm")
    plan = ExperimentPlan(config, config.experiments[0])
    results = _results(rel_effect=0.29, rel_ci_lower=0.0002, rel_ci_upper=0.5799, p_value=0.049,
                       p_value_adjusted=0.147, rel_ci_lower_adjusted=-0.08, rel_ci_upper_adjusted=0.66, abs_effect=0.29)
    _, header, rows = scorecard_rows(plan, results)
    cells = dict(zip(header, rows[0]))
    assert cells["lift CI"] == "[-8.00%, +66.00%]" and cells["verdict"] == "not significant"
    assert "p-values and CIs adjusted" in scorecard_text(plan, results, 0.5)
    assert "Sample ratio: ok (always-valid SRM p = 0.5, threshold 0.001)" in scorecard_text(plan, results, 0.5)


ROLES = """    goal_metrics: [revenue]
    guardrails: [{metric: views, margin: 0.05}]
    minimum_detectable_effect: 0.05"""


def _moments_and_results(rng, day="2026-01-05"):
    """Unit data of two metrics and two arms as the moments and results rows a day holds."""
    arms = {"control": dict(revenue=(10.0, 5.0), views=(20.0, 4.0)),
            "treatment": dict(revenue=(11.0, 5.0), views=(20.0, 4.0))}
    moments, results, units = [], [], {}
    for variant, metrics in arms.items():
        for metric, (mean, sd) in metrics.items():
            y = rng.normal(mean, sd, size=1000)
            units[variant, metric] = y
            moments.append(dict(as_of_date=day, rollup="cumulative", metric=metric, dimension="overall",
                                dimension_value="all", variant=variant, n=len(y), sum=y.sum(), sum_squares=y @ y))
            results.append(dict(as_of_date=day, dimension="overall", metric=metric, variant=variant, units=len(y),
                                mean=y.mean(), control_mean=None, rel_effect=None, rel_ci_lower_adjusted=None,
                                rel_ci_upper_adjusted=None, p_value_adjusted=None, chance_to_beat_control=None,
                                cuped_applied=False, variance_reduction=None, reason=None, abs_effect=None))
    return pd.DataFrame(moments), pd.DataFrame(results), units


def test_the_scorecard_shows_roles_the_recommendation_and_the_goals_power(tmp_path):
    import math

    import numpy as np
    from scipy import stats as sps

    config = fixtures.make_config(tmp_path / "wh.duckdb", metrics=["revenue", "views"], stats=ROLES)
    plan = ExperimentPlan(config, config.experiments[0])
    moments, results, units = _moments_and_results(np.random.default_rng(1))
    text = scorecard_text(plan, results, 0.5, moments)

    # by hand: revenue +10% with se ~2.3% clears the one-sided 5% test; views ~0% with se ~0.9% is above -5%
    yc, yt = units["control", "revenue"], units["treatment", "revenue"]
    rel = yt.mean() / yc.mean() - 1
    rel_se = math.sqrt(yt.var(ddof=1) / 1000 / yc.mean() ** 2 + yt.mean() ** 2 * yc.var(ddof=1) / 1000 / yc.mean() ** 4)
    assert rel - 1.65 * rel_se > 0
    vc, vt = units["control", "views"], units["treatment", "views"]
    v_rel = vt.mean() / vc.mean() - 1
    assert v_rel - 1.65 * math.sqrt(vt.var(ddof=1) / 1000 + vc.var(ddof=1) / 1000) / vc.mean() > -0.05
    assert "Recommendation: ship: goal significantly better: revenue; every guardrail non-inferior" in text

    # MDE at one goal's one-sided 5% with power 1 - 0.2 / 2 (one guardrail), relative to the control mean
    se = math.sqrt(yc.var(ddof=1) / 1000 + yt.var(ddof=1) / 1000)
    mde = (sps.norm.isf(0.05) + sps.norm.ppf(0.9)) * se / yc.mean()
    # days to that power for +5% at 2,000 units over the 3 days since the start (a 50/50 split)
    needed = (sps.norm.isf(0.05) + sps.norm.ppf(0.9)) ** 2 * 2 * (yc.var(ddof=1) + yt.var(ddof=1)) \
        / (0.05 * yc.mean()) ** 2
    days = math.ceil((needed - 2000) / (2000 / 3))
    assert f"Power: revenue / treatment: MDE {mde:.1%} now at 2,000 units" in text
    power_now = sps.norm.cdf(0.05 * yc.mean() / se - sps.norm.isf(0.05))
    assert f"power for a +5% lift: {power_now:.0%} now, 90% in {days} more days at the current rate" in text

    _, header, rows = scorecard_rows(plan, results)
    assert [dict(zip(header, r))["role"] for r in rows] == ["goal", "guardrail (−5%)"]


def test_a_sample_ratio_mismatch_means_investigate_and_no_goals_no_recommendation(tmp_path):
    import numpy as np

    config = fixtures.make_config(tmp_path / "wh.duckdb", metrics=["revenue", "views"], stats=ROLES)
    plan = ExperimentPlan(config, config.experiments[0])
    moments, results, _ = _moments_and_results(np.random.default_rng(2))
    assert "Recommendation: investigate: failed health check: srm" in scorecard_text(plan, results, 1e-6, moments)
    plain = fixtures.make_config(tmp_path / "wh.duckdb", metrics=["revenue", "views"])
    plan = ExperimentPlan(plain, plain.experiments[0])
    assert "Recommendation" not in scorecard_text(plan, results, 0.5, moments)
