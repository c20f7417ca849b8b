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
