"""Seeded A/A simulations analysed with the stats package alone: the false-positive rate
of the t-test and of CUPED stays at alpha, and sequential testing survives peeking."""

from __future__ import annotations

import numpy as np
import pandas as pd

from exp_assets.stats import AnalysisOptions, analyze

EXPERIMENTS, UNITS = 600, 300


def aa_frame(seed: int, experiments: int, units: int, looks: tuple[int, ...] = (1,)) -> pd.DataFrame:
    """A/A experiments with a skewed outcome y and a covariate x correlated with it.
    With several looks, each look's row holds the first fraction of the units."""
    rng = np.random.default_rng(seed)
    z = rng.gamma(2.0, 1.0, (experiments, 2, units))
    x = z + rng.normal(0, 0.5, z.shape)
    y = 3.0 + 2.0 * z + rng.normal(0, 1.5, z.shape)
    columns = {}
    for look in looks:
        k = units * look // max(looks)
        yy, xx = y[..., :k], x[..., :k]
        columns[look] = {
            "n": np.full((experiments, 2), k),
            "sum": yy.sum(-1),
            "sum_squares": (yy * yy).sum(-1),
            "covariate_sum": xx.sum(-1),
            "covariate_sum_squares": (xx * xx).sum(-1),
            "main_covariate_sum_product": (yy * xx).sum(-1),
        }
    parts = []
    for look, cols in columns.items():
        part = pd.DataFrame({c: v.ravel() for c, v in cols.items()})
        part.insert(0, "variant", np.tile(["control", "treatment"], experiments))
        part.insert(0, "look", look)
        part.insert(0, "experiment", np.repeat(np.arange(experiments), 2))
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def rejection_rate(out: pd.DataFrame) -> float:
    treated = out[out["variant"] == "treatment"]
    assert treated["reason"].isna().all()
    return float((treated["p_value"] < 0.05).mean())


def test_aa_false_positive_rate_t_test_and_cuped():
    df = aa_frame(seed=2024, experiments=EXPERIMENTS, units=UNITS).drop(columns="look")
    plain = analyze(df, "control", AnalysisOptions(cuped=False))
    cuped = analyze(df, "control")
    assert not plain["cuped_applied"].any()
    assert cuped.loc[cuped["variant"] == "treatment", "cuped_applied"].all()
    # CUPED does reduce the variance here (corr(x, y) is about 0.75 ...)
    assert cuped["variance_reduction"].median() > 0.4
    # ... without inflating the false-positive rate.
    assert 0.03 <= rejection_rate(plain) <= 0.07
    assert 0.03 <= rejection_rate(cuped) <= 0.07


def test_aa_peeking_sequential_stays_below_alpha_where_t_does_not():
    looks = tuple(range(1, 11))
    df = aa_frame(seed=7, experiments=400, units=400, looks=looks)
    ever = {}
    for name, options in (("t", AnalysisOptions(cuped=False)), ("seq", AnalysisOptions(cuped=False, sequential=True))):
        out = analyze(df, "control", options)
        treated = out[out["variant"] == "treatment"]
        ever[name] = float(treated.groupby("experiment")["p_value"].min().lt(0.05).mean())
    assert ever["t"] > 0.1  # peeking ten times inflates the fixed-horizon test ...
    assert ever["seq"] <= 0.05  # ... but not the always-valid one
