"""Pre-exposure balance: are the arms alike before the experiment touched them?
Welch's t of each CUPED covariate's mean, every treatment against control, over
the units first exposed through the window's last day."""

from __future__ import annotations

import math

import dagster as dg

from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import checks as check_sql
from exp_assets.stats.balance import ArmSums, welch_mean_difference_p_value
from exp_assets.warehouse.base import Warehouse

from .outcome import WARN, Outcome
from .settings import CheckSettings


def pre_exposure_balance(source: str):
    def evaluate(wh: Warehouse, plan: ExperimentPlan, window: DayRange, settings: CheckSettings) -> Outcome:
        through = window.last
        frame = wh.query(check_sql.covariate_sums(plan, source, through))
        rows = {r["variant"]: r for r in frame.to_dict("records")}
        control = plan.experiment.control

        def arm(variant: str, metric: str) -> ArmSums:
            r = rows.get(variant)
            if r is None:
                return ArmSums(0, 0.0, 0.0)
            return ArmSums(int(r["n"]), float(r[check_sql.covariate_sum_column(metric)] or 0.0),
                           float(r[check_sql.covariate_sum_squares_column(metric)] or 0.0))

        p_values: dict[str, dict[str, float]] = {}
        means: dict[tuple[str, str], tuple[float, float]] = {}
        for metric in (m.name for m in plan.covariate_metrics_of(source)):
            base = arm(control, metric)
            for variant in plan.experiment.treatments:
                treated = arm(variant, metric)
                p = welch_mean_difference_p_value(treated, base)
                if not math.isnan(p):
                    p_values.setdefault(metric, {})[variant] = p
                    means[metric, variant] = (treated.mean, base.mean)
        tested = [(p, metric, variant) for metric, by_variant in p_values.items() for variant, p in by_variant.items()]
        threshold = settings.balance_p_value
        units = {v: int(rows[v]["n"]) if v in rows else 0 for v in plan.experiment.variants}
        common = {
            "threshold": threshold,
            "tests": len(tested),
            "units": sum(units.values()),
            **{f"units_{v}": n for v, n in units.items()},
            "as_of_date": through.isoformat(),
            "p_values": dg.MetadataValue.json(p_values),
        }
        if not tested:
            return Outcome(True, WARN, f"No covariate of {source!r} could be tested as of {through} "
                                       f"(an arm has fewer than 2 units).",
                           {"min_p_value": 1.0, "metric": "", "variant": "", **common})
        p, metric, variant = min(tested)
        treated_mean, control_mean = means[metric, variant]
        passed = p >= threshold
        verdict = "balanced" if passed else "PRE-EXPOSURE IMBALANCE"
        return Outcome(
            passed, WARN,
            f"{verdict}: lowest Welch p = {p:.3g} (threshold {threshold:g}) for the pre-exposure {metric} of "
            f"{variant} vs {control} ({treated_mean:.4g} vs {control_mean:.4g}) over {len(tested)} tests, "
            f"units first exposed through {through}.",
            {"min_p_value": p, "metric": metric, "variant": variant,
             "treatment_mean": treated_mean, "control_mean": control_mean, **common},
        )

    return evaluate
