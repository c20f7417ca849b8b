"""Checks of the assignment: sample ratio mismatch of cumulative units against the
configured split (an always-valid sequential test, so that checking every day and
every window keeps its false-alarm rate), overall and within each value of every
experiment dimension (Holm-adjusted over a dimension's values), and the share of
units seen in more than one variant. Each is evaluated as of every day of the
window; the worst day is reported."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pandas as pd

from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import checks as check_sql
from exp_assets.stats.balance import (
    SRM_PRIOR_CONCENTRATION,
    SliceSrm,
    sample_ratio_mismatch,
    sample_ratio_mismatch_by_slice,
    sequential_sample_ratio_mismatch,
)
from exp_assets.warehouse.base import Warehouse, WriteReport

from .outcome import ERROR, WARN, Outcome, as_dates, by_day, worst_day
from .settings import CheckSettings
from .units import units_through


def srm_by_day(wh: Warehouse, plan: ExperimentPlan, through: dt.date,
               reads: WriteReport | None = None) -> tuple[pd.DataFrame, dict[dt.date, float]]:
    """Units first exposed per variant by each day from the start through `through`
    (a day per row), and the always-valid SRM p-value as of each day. The one SRM
    test of an experiment: the check, the results metadata and the scorecard all
    read it, and the p-value of a day is the same whichever run computes it.
    A step's `reads` report records the query."""
    variants = list(plan.experiment.variants)
    days = DayRange(plan.start, through + dt.timedelta(days=1))
    frame = wh.read(check_sql.cumulative_units(plan, days), reads)
    frame = frame.assign(exposure_date=as_dates(frame["exposure_date"]))
    # cumulative units per day x variant; a day without a row keeps the day before's count
    counts = (
        frame.groupby(["exposure_date", "variant"])["cumulative_units"].sum().unstack("variant")
        .reindex(index=days.days, columns=variants).ffill().fillna(0).astype("int64")
    )
    weights = [plan.experiment.variants[v] for v in variants]
    p_values = sequential_sample_ratio_mismatch(counts.to_numpy().tolist(), weights)
    return counts, dict(zip(days.days, p_values))


def srm_by_slice(wh: Warehouse, plan: ExperimentPlan, through: dt.date) -> dict[str, list[SliceSrm]]:
    """Per experiment dimension, the always-valid SRM test of each of its values as
    of `through` (units first exposed by each day since the start), Holm-adjusted
    over the dimension's values."""
    if not plan.dimensions:
        return {}
    variants = list(plan.experiment.variants)
    frame = wh.query(check_sql.new_units_by_slice(plan, units_through(wh, plan, through)))
    frame = frame.assign(first_exposure_date=as_dates(frame["first_exposure_date"]),
                         dimension_value=frame["dimension_value"].fillna("(null)"))
    days = DayRange(plan.start, through + dt.timedelta(days=1)).days
    weights = [plan.experiment.variants[v] for v in variants]
    if frame.empty:
        return {dimension: [] for dimension in plan.dimensions}
    # units per (dimension, value, day) x variant, every day of every slice, summed over the days so far
    new_units = frame.groupby(["dimension", "dimension_value", "first_exposure_date", "variant"])["units"].sum()
    slices = new_units.index.droplevel(["first_exposure_date", "variant"]).unique()
    grid = pd.MultiIndex.from_tuples([(*s, day) for s in slices for day in days],
                                     names=["dimension", "dimension_value", "first_exposure_date"])
    looks = (new_units.unstack("variant").reindex(index=grid, columns=variants).fillna(0)
             .groupby(level=["dimension", "dimension_value"], sort=False).cumsum().astype("int64"))
    cumulative = looks.to_numpy().reshape(len(slices), len(days), len(variants)).tolist()
    by_dimension = {dimension: {} for dimension in plan.dimensions}
    for (dimension, value), slice_looks in zip(slices, cumulative):
        by_dimension[dimension][value] = slice_looks
    return {dimension: sample_ratio_mismatch_by_slice(by_value, weights)
            for dimension, by_value in by_dimension.items()}


def srm(wh: Warehouse, plan: ExperimentPlan, window: DayRange, settings: CheckSettings) -> Outcome:
    variants = list(plan.experiment.variants)
    counts, p_values = srm_by_day(wh, plan, window.last)
    day = window.last  # the sequential p-value never rises: the window's last day is its worst
    p_value = p_values[day]
    weights = [plan.experiment.variants[v] for v in variants]
    chi_square = sample_ratio_mismatch(counts.loc[day].tolist(), weights)
    threshold = settings.srm_p_value
    slices = srm_by_slice(wh, plan, day)
    failing = {f"{d}={s.value}": s.p_value_adjusted
               for d, tested in slices.items() for s in tested if s.p_value_adjusted < threshold}
    passed = p_value >= threshold and not failing
    split = ", ".join(f"{v} {counts.loc[day, v]} units ({w:.0%} expected)" for v, w in zip(variants, weights))
    verdict = ("SAMPLE RATIO MISMATCH" if p_value < threshold else
               "SAMPLE RATIO MISMATCH IN SLICES" if failing else "no sample ratio mismatch")
    in_slices = (f" Imbalanced slices (Holm-adjusted p): "
                 f"{', '.join(f'{k} ({p:.3g})' for k, p in failing.items())}." if failing else "")
    return Outcome(
        passed, WARN,
        f"{verdict}: always-valid p = {p_value:.3g} (threshold {threshold:g}) as of {day}: {split}.{in_slices}",
        {
            "p_value": p_value,
            "test": f"sequential multinomial (Lindon & Malek 2022), Dirichlet prior {SRM_PRIOR_CONCENTRATION:g} x split",
            "chi_square": chi_square.chi_square,
            "units": chi_square.units,
            **{f"units_{v}": int(counts.loc[day, v]) for v in variants},
            "threshold": threshold,
            "days_checked": len(window.days),
            "as_of_date": day.isoformat(),
            "p_value_by_day": by_day({d: p_values[d] for d in window.days}),
            "slices_checked": sum(len(tested) for tested in slices.values()),
            "failing_slices": dg.MetadataValue.json(failing),
        },
    )


def multiple_variant_rate(wh: Warehouse, plan: ExperimentPlan, window: DayRange, settings: CheckSettings) -> Outcome:
    frame = wh.query(check_sql.crossed_and_exposed_units(plan, window, units_through(wh, plan, window.last)))
    frame = frame.assign(day=as_dates(frame["day"])).set_index("day").reindex(window.days).fillna(0)
    crossed, exposed = frame["crossed_units"].astype("int64"), frame["exposed_units"].astype("int64")
    rates = {day: float(crossed[day] / exposed[day]) if exposed[day] else 0.0 for day in window.days}
    day = worst_day(rates, lambda r: r)
    rate = rates[day]
    warn, error = settings.multiple_variant_warn_rate, settings.multiple_variant_error_rate
    passed = rate <= warn
    severity = ERROR if rate > error else WARN
    level = "ok" if passed else ("above the error rate" if rate > error else "above the warning rate")
    return Outcome(
        passed, severity,
        f"{rate:.2%} of exposed units were seen in more than one variant as of {day} "
        f"({crossed[day]} of {exposed[day]}): {level} (warn > {warn:.0%}, error > {error:.0%}).",
        {
            "rate": rate,
            "crossed_units": int(crossed[day]),
            "exposed_units": int(exposed[day]),
            "warn_rate": warn,
            "error_rate": error,
            "days_checked": len(window.days),
            "worst_day": day.isoformat(),
            "rate_by_day": by_day(rates),
        },
    )
