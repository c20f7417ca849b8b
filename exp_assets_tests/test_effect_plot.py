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
