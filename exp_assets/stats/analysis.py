"""Turn a frame of per-(group, variant) sufficient statistics into test results."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .frequentist import Effect, welch_test
from .sufficient import SampleStats

INPUT_COLUMNS = ("variant", "n", "sum", "sum_squares")
_EFFECT_COLUMNS = (
    "abs_effect",
    "abs_ci_lower",
    "abs_ci_upper",
    "rel_effect",
    "rel_ci_lower",
    "rel_ci_upper",
    "p_value",
)
_FLOAT_COLUMNS = ("mean", "control_mean", *_EFFECT_COLUMNS, "p_value_adjusted")
RESULT_COLUMNS = (
    "variant",
    "units",
    "mean",
    "control_mean",
    *_EFFECT_COLUMNS,
    "p_value_adjusted",
    "method",
    "cuped_applied",
    "reason",
)
METHOD = "welch_t"


def analyze(stats: pd.DataFrame, control: str, alpha: float = 0.05) -> pd.DataFrame:
    """Compare every non-control variant with the control of its group.

    Every column other than variant/n/sum/sum_squares (metric included) is a
    grouping key and is carried through unchanged. One output row per input row.
    """
    keys = [c for c in stats.columns if c not in INPUT_COLUMNS]
    missing = [c for c in INPUT_COLUMNS if c not in stats.columns]
    if missing and len(stats):
        raise ValueError(f"stats is missing columns {missing}")

    if not len(stats):
        out = stats[keys].reset_index(drop=True)
        for col in RESULT_COLUMNS:
            dtype = {"units": "int64", "cuped_applied": "bool"}.get(
                col, "float64" if col in _FLOAT_COLUMNS else "object"
            )
            out[col] = pd.Series(dtype=dtype)
        return out

    # dropna=False: a NULL dimension value is a real group, not something to discard.
    group = (
        stats.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()
        if keys
        else np.zeros(len(stats), dtype=int)
    )
    variant = stats["variant"].to_numpy()
    if pd.DataFrame({"g": group, "v": variant}).duplicated().any():
        raise ValueError("more than one row per (group keys, variant)")

    # SQL SUM over zero rows is NULL: treat missing counts and sums as 0.
    arms = [
        SampleStats(int(n), float(s), float(ss))
        for n, s, ss in stats[["n", "sum", "sum_squares"]].fillna(0).itertuples(index=False)
    ]
    controls = {g: arm for g, v, arm in zip(group, variant, arms) if v == control}

    rows = []
    for g, v, arm in zip(group, variant, arms):
        ctrl = controls.get(g)
        if v == control:
            effect = Effect()
        elif ctrl is None:
            effect = Effect(reason="no control units")
        else:
            effect = welch_test(ctrl, arm, alpha)
        rows.append(
            {
                "units": arm.n,
                "mean": arm.mean if arm.n else None,
                "control_mean": ctrl.mean if ctrl is not None and ctrl.n else None,
                **{c: getattr(effect, c) for c in _EFFECT_COLUMNS},
                # Multiple-testing correction is applied downstream; identity for now.
                "p_value_adjusted": effect.p_value,
                "method": METHOD,
                "cuped_applied": False,
                "reason": effect.reason,
            }
        )

    res = pd.DataFrame(rows, columns=list(RESULT_COLUMNS[1:])).astype(
        {"units": "int64", "cuped_applied": "bool", **dict.fromkeys(_FLOAT_COLUMNS, "float64")}
    )
    return pd.concat([stats[[*keys, "variant"]].reset_index(drop=True), res], axis=1)
