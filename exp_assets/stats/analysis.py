"""Turn a frame of per-(group, variant) moments into one results row per input row."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from .arms import Arm
from .corrections import adjust, interval_alpha
from .cuped import pooled_theta
from .difference import Difference, compare
from .inference import infer, intervals
from .contract import MOMENT_COLUMNS, STATISTIC_COLUMNS, VARIABLES
from .moments import DENOMINATOR, MAIN, Moments
from .options import AnalysisOptions
from .quantile import QuantileArm, quantile_difference
from .regression import COVARIATE_SUMS, CovariateSums, regression_difference

QUANTILE = "quantile"  # an optional column of QuantileArm: the row's arm is that quantile estimate

REQUIRED_COLUMNS = ("variant", "n", VARIABLES[MAIN].sum, VARIABLES[MAIN].squares)
_INFERENCE_COLUMNS = (
    "abs_effect",
    "abs_ci_lower",
    "abs_ci_upper",
    "rel_effect",
    "rel_ci_lower",
    "rel_ci_upper",
    "p_value",
)
_ADJUSTED_COLUMNS = (
    "p_value_adjusted",
    "abs_ci_lower_adjusted",
    "abs_ci_upper_adjusted",
    "rel_ci_lower_adjusted",
    "rel_ci_upper_adjusted",
)
_PANDAS_TYPES = {"BIGINT": "int64", "DOUBLE": "float64", "BOOLEAN": "bool"}
_DTYPES = {c: _PANDAS_TYPES[t] for c, t in STATISTIC_COLUMNS.items() if t in _PANDAS_TYPES}


def analyze(stats: pd.DataFrame, control: str, options: AnalysisOptions = AnalysisOptions()) -> pd.DataFrame:
    """Compare every non-control variant with the control of its group.

    `stats` has one row per group x variant: `variant`, `n` and the MOMENT_COLUMNS
    it carries (at least sum and sum_squares), and optionally COVARIATE_SUMS: each
    arm's CovariateSums (or None); where every arm of a group has them and CUPED is
    on, its treatment rows are adjusted for all those covariates (CUPED++). Every
    other column is a grouping key (metric included), passed through. Returns those
    keys, in input order, followed by `variant` and STATISTIC_COLUMNS; one output
    row per input row, in input order.
    """
    if not isinstance(options, AnalysisOptions):
        raise TypeError(f"options must be an AnalysisOptions, got {type(options).__name__}")
    keys = [c for c in stats.columns if c not in ("variant", "n", QUANTILE, COVARIATE_SUMS, *MOMENT_COLUMNS)]
    missing = [c for c in REQUIRED_COLUMNS if c not in stats.columns]
    if missing and len(stats):
        raise ValueError(f"stats is missing columns {missing}")
    if not len(stats):
        out = stats[keys].reset_index(drop=True)
        for column in ("variant", *STATISTIC_COLUMNS):
            out[column] = pd.Series(dtype=_DTYPES.get(column, "object"))
        return out

    group = _group_ids(stats, keys)
    variants = stats["variant"].tolist()
    if len(set(zip(group.tolist(), variants))) < len(variants):
        raise ValueError("more than one row per (group keys, variant)")
    arms = [_arm(row) for row in stats.to_dict("records")]
    sums = stats[COVARIATE_SUMS].tolist() if COVARIATE_SUMS in stats else [None] * len(stats)

    members: dict[int, list[int]] = defaultdict(list)
    for i, g in enumerate(group):
        members[g].append(i)
    rows: list[dict] = [{} for _ in variants]
    diffs: dict[int, Difference] = {}
    for idx in members.values():
        results = _analyze_group([variants[i] for i in idx], [arms[i] for i in idx], control, options,
                                 [sums[i] for i in idx])
        for i, (row, diff) in zip(idx, results):
            rows[i] = row
            if diff is not None:
                diffs[i] = diff

    _correct(stats[keys], rows, diffs, options)
    # column by column, each in its type (a statistic a row lacks is null: NaN, or None for text)
    res = pd.DataFrame({c: pd.Series([row.get(c) for row in rows], dtype=_DTYPES.get(c, object))
                        for c in STATISTIC_COLUMNS})
    return pd.concat([stats[[*keys, "variant"]].reset_index(drop=True), res], axis=1)


def _arm(row: dict) -> Arm | QuantileArm | None:
    """A row's arm: its quantile estimate (column QUANTILE), else from its moments."""
    if isinstance(row.get(QUANTILE), QuantileArm):
        return row[QUANTILE]
    moments = Moments.from_row(row)
    return None if moments is None else Arm.of(moments)


def _analyze_group(
    variants: list[str], arms: list[Arm | None], control: str, options: AnalysisOptions,
    sums: list[CovariateSums | None],
) -> list[tuple[dict, Difference | None]]:
    """Results of one group's rows (before multiple-testing corrections), with the
    Difference behind each treatment row."""
    quantile = any(isinstance(a, QuantileArm) for a in arms)
    if not quantile:
        _check_consistent(arms)
    controls = [arm for variant, arm in zip(variants, arms) if variant == control]
    ctrl = controls[0] if controls else None
    theta = pooled_theta(a for a in arms if a is not None) if options.cuped and not quantile else None
    difference = quantile_difference if quantile else (lambda c, t, m: compare(c, t, theta, m))
    results = []
    for variant, arm in zip(variants, arms):
        row = dict(
            units=arm.n if arm else 0,
            mean=_statistic(arm),
            control_mean=_statistic(ctrl),
            method=options.method,
            cuped_applied=False,
        )
        if variant == control:
            results.append((row, None))
            continue
        diff = difference(ctrl, arm, options.min_units) if controls else Difference(reason="no control units")
        if options.cuped and diff.abs_variance is not None and all(s is not None for s in sums):
            diff = _with_every_covariate(diff, sums, variants.index(control), variants.index(variant))
        inference = infer(diff, options)
        row.update({c: getattr(inference, c) for c in _INFERENCE_COLUMNS})
        row.update(
            chance_to_beat_control=inference.chance_to_beat_control,
            expected_loss=inference.expected_loss,
            reason=inference.reason,
        )
        if diff.theta is not None or diff.variance_reduction is not None:  # CUPED++ may drop the own covariate
            row.update(theta=diff.theta, variance_reduction=diff.variance_reduction, cuped_applied=True)
        results.append((row, diff))
    return results


def _with_every_covariate(diff: Difference, sums: list[CovariateSums], control: int, treatment: int) -> Difference:
    """`diff` (which passed compare's checks) adjusted for every covariate of the
    sums instead, the other arms helping estimate the pooled slopes; `diff` as it
    is when no covariate varies or the adjusted variance is 0."""
    others = [s for i, s in enumerate(sums) if i not in (control, treatment)]
    adjusted = regression_difference(sums[control], sums[treatment], others)
    return adjusted if adjusted is not None and adjusted.abs_variance > 0 else diff


def _correct(keys: pd.DataFrame, rows: list[dict], diffs: dict[int, Difference], options: AnalysisOptions) -> None:
    """Adjust p-values (and intervals) within families: the treatment rows with a
    p-value that share every grouping key except `metric`."""
    tested = [i for i in diffs if rows[i].get("p_value") is not None]
    if not tested:
        return
    family_keys = keys.iloc[tested].drop(columns=["metric"], errors="ignore")
    family = _group_ids(family_keys.reset_index(drop=True), list(family_keys.columns))
    by_family: dict[int, list[int]] = defaultdict(list)
    for i, f in zip(tested, family):
        by_family[f].append(i)
    for members in by_family.values():
        adjusted = adjust(np.array([rows[i]["p_value"] for i in members]), options.correction)
        for i, p in zip(members, adjusted):
            rows[i]["p_value_adjusted"] = float(p)
            level = interval_alpha(options.alpha, options.correction, len(members), rows[i]["p_value"], float(p))
            rows[i].update(zip(_ADJUSTED_COLUMNS[1:], intervals(diffs[i], options, level)))


def _group_ids(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    # dropna=False: a NULL dimension value is a real group, not something to discard.
    if not keys:
        return np.zeros(len(frame), dtype=int)
    return frame.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()


def _statistic(arm: Arm | QuantileArm | None) -> float | None:
    if isinstance(arm, QuantileArm):
        return arm.value
    return arm.statistic.value if arm is not None and arm.statistic is not None else None


def _check_consistent(arms: list[Arm | None]) -> None:
    kinds = {a.moments.has(DENOMINATOR) for a in arms if a is not None}
    if len(kinds) > 1:
        raise ValueError("a group mixes rows with and without denominator_sum (ratio and non-ratio)")
