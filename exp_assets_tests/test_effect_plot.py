"""The text forest plot of the UI's results metadata."""

from __future__ import annotations

import pandas as pd

from exp_assets.effect_plot import forest_plot


def test_a_row_without_a_bounded_interval_is_plotted_and_said_so():
    rows = pd.DataFrame({
        "metric": ["revenue", "purchased", "orders"], "variant": ["t", "t", "t"],
        "rel_effect": [0.05, 3.0, None], "rel_ci_lower": [-0.02, None, None], "rel_ci_upper": [0.12, None, None],
        "reason": [None, "relative interval unbounded: ...", "zero variance in control"],
    })
    lines = forest_plot(rows, "control").splitlines()
    assert lines[0].strip().startswith("-300.0%") and lines[0].endswith("+300.0%")  # the axis reaches the estimate
    assert "+5.00% [-2.00%, +12.00%]" in lines[1] and "━" in lines[1]
    assert "+300.00% (interval unbounded)" in lines[2] and lines[2].count("●") == 1
    assert "n/a (zero variance in control)" in lines[3] and "●" not in lines[3]


def test_days_since_exposure_rows_say_their_k_and_a_wide_interval_does_not_set_the_axis():
    """Issue 17: the days-since-exposure plot never said which k a row was, and
    one late k's interval stretched the axis to ±581%."""
    rows = pd.DataFrame({
        "metric": ["revenue", "revenue"], "variant": ["t", "t"], "days_since_exposure": [0, 7],
        "rel_effect": [0.05, 0.3], "rel_ci_lower": [-0.02, -2.1], "rel_ci_upper": [0.12, 5.81], "reason": [None, None],
    })
    lines = forest_plot(rows, "control").splitlines()
    assert lines[0].strip().startswith("-100.0%") and lines[0].endswith("+100.0%")
    assert lines[1].startswith("revenue / t, k = 0 ") and lines[2].startswith("revenue / t, k = 7 ")
    assert "◀" in lines[2] and "▶" in lines[2] and "+30.00% [-210.00%, +581.00%]" in lines[2]  # the numbers stay exact
    assert "◀" not in lines[1] and "▶" not in lines[1]
