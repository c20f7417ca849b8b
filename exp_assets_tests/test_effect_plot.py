"""The text forest plot of the results metadata."""

import math

import pandas as pd

from exp_assets.effect_plot import WIDTH, forest_plot


def test_an_estimate_beyond_every_finite_bound_stays_on_the_axis():
    """A Fieller interval can be unbounded (infinite ends) beside a finite estimate
    outside every finite bound: the axis reaches the estimate (the demo once crashed here)."""
    rows = pd.DataFrame({
        "metric": ["a", "b"], "variant": ["treatment"] * 2, "rel_effect": [0.05, 0.9],
        "rel_ci_lower": [0.01, -math.inf], "rel_ci_upper": [0.09, math.inf],
    })
    lines = forest_plot(rows, "control").splitlines()
    assert len(lines) == 3 and lines[0].rstrip().endswith("+90.0%")
    bar = lines[2][len("b / treatment  "):][:WIDTH]
    assert bar.endswith("●") and "━" not in bar  # no interval to draw
    assert lines[2].endswith("+90.00% [-inf%, +inf%]")
