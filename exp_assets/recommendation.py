"""An experiment's recommendation per treatment arm and the power of its goal metrics,
from the latest day's overall cumulative moments (the `rollup_moments` rows the
results were computed from) and the experiment's metric roles.

Each metric's test is the relative effect with its delta-method standard error, as
the results compute them (CUPED-adjusted where the results are): Student's t with
Welch's df for the fixed-horizon test, the confidence sequence's critical value for
sequential experiments (its two-sided sequence at level 2a for a one-sided a), and
for Bayesian experiments the Gaussian posterior of the lift (a one-sided test at a
is then "P(lift beyond the threshold) >= 1 - a"). `stats.decision` combines them.

Power is that of the fixed-horizon z test at the rule's levels: a goal's one-sided
test at alpha / S with per-test power 1 - 0.2 / (G + 1), so that the decision
(a goal better and G guardrails non-inferior) has 80% power. MDEs are relative to
the control mean. A funnel named as a role matches no results row (its rows are
per step) and stays untested.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd
from scipy import stats as st

from exp_assets.plan import ExperimentPlan
from exp_assets.stats import sequential
from exp_assets.stats.arms import Arm
from exp_assets.stats.bayesian import posterior
from exp_assets.stats.cuped import pooled_theta
from exp_assets.stats.decision import GUARDRAIL, MetricEvidence, Recommendation, design_levels, recommend
from exp_assets.stats.difference import Difference, compare
from exp_assets.stats.moments import Moments
from exp_assets.stats.power import days_to_power, minimum_detectable_effect, power, unit_variance

DECISION_POWER = 0.8

# The decisions table: column -> SQL type, and what each column means.
DECISION_COLUMNS = {
    "as_of_date": "DATE", "variant": "VARCHAR", "recommendation": "VARCHAR", "reason": "VARCHAR",
    "goal_metric": "VARCHAR", "units": "BIGINT", "mde": "DOUBLE", "target_effect": "DOUBLE", "power": "DOUBLE",
    "days_to_power": "DOUBLE", "test_power": "DOUBLE", "power_from": "VARCHAR",
}
OUTCOMES, PRE_EXPOSURE = "outcomes", "pre-exposure values"


@dataclass(frozen=True)
class GoalPower:
    metric: str
    variant: str
    units: int  # control + treatment units so far
    mde: float | None  # relative lift detectable now with the per-test power
    target: float | None  # the experiment's minimum_detectable_effect
    power: float | None  # chance the goal's test detects `target` now
    days_to_power: float | None  # more days at the current accrual until power reaches the per-test power
    test_power: float  # the per-test power that gives the decision 80%
    # the variance the power is computed from: the goal's values since exposure, or, before
    # those can be tested (the first days), the units' pre-exposure values (CUPED's covariate)
    basis: str = OUTCOMES


@dataclass(frozen=True)
class ArmDecision:
    variant: str
    recommendation: Recommendation
    goals: list[GoalPower]


def decide(plan: ExperimentPlan, moments: pd.DataFrame, latest: dt.date | None,
           failed_checks: list[str]) -> list[ArmDecision]:
    """One decision per treatment arm; [] when the experiment names no goal metric or
    has no moments yet."""
    e = plan.experiment
    if not e.goal_metrics or latest is None or moments.empty:
        return []
    rows = moments[moments["dimension"] == "overall"] if "dimension" in moments else moments
    arms = {(r["metric"], r["variant"]): Moments.from_row(r) for r in rows.to_dict("records")}
    finished = e.end_date is not None and latest >= e.end_date
    days = (latest - plan.start).days + 1
    goal_level, test_power = design_levels(len(e.goal_metrics), len(e.guardrails), e.alpha, DECISION_POWER,
                                           treatments=len(e.treatments))
    out = []
    for variant in e.treatments:
        evidence, goals = [], []
        for metric in plan.result_metrics:
            role = e.role(metric.name)
            diff, per_unit = _difference(plan, arms, metric.name, variant)
            evidence.append(_evidence(plan, metric.name, role, metric.higher_is_better, diff))
            if role == "goal":
                if per_unit is None:  # nothing to test yet: plan with the pre-exposure values
                    per_unit = _pre_exposure(plan, arms, metric.name, variant)
                goals.append(_power(plan, metric.name, variant, diff, per_unit, goal_level, test_power, days))
        for missing in set(e.goal_metrics) - {m.name for m in plan.result_metrics}:
            evidence.append(MetricEvidence(missing, "goal", None, None))
        action = recommend(evidence, e.alpha, treatments=len(e.treatments), failed_checks=failed_checks,
                           finished=finished)
        out.append(ArmDecision(variant, action, goals))
    return out


def srm_failures(plan: ExperimentPlan, srm_p_value: float | None) -> list[str]:
    """A sample ratio mismatch (the `srm` check's threshold) as a failed health check."""
    return ["srm"] if srm_p_value is not None and srm_p_value < plan.experiment.checks.srm_p_value else []


def decision_rows(plan: ExperimentPlan, moments: pd.DataFrame, day: dt.date, failed_checks: list[str]) -> list[dict]:
    """The decisions table's rows of `day` (DECISION_COLUMNS): `decide` per treatment,
    with its first goal's power."""
    rows = []
    for d in decide(plan, moments, day, failed_checks):
        goal = d.goals[0] if d.goals else None
        rows.append({
            "as_of_date": day, "variant": d.variant, "recommendation": d.recommendation.action,
            "reason": d.recommendation.reason, "goal_metric": goal.metric if goal else plan.experiment.goal_metrics[0],
            "units": goal.units if goal else None, "mde": goal.mde if goal else None,
            "target_effect": plan.experiment.minimum_detectable_effect, "power": goal.power if goal else None,
            "days_to_power": goal.days_to_power if goal else None, "test_power": goal.test_power if goal else None,
            "power_from": goal.basis if goal else None,
        })
    return rows


def _difference(plan: ExperimentPlan, arms: dict, metric: str, variant: str):
    """The results' Difference of one metric and arm, and the per-unit variances
    (control, treatment) of the adjusted statistic; (Difference, None) without a test."""
    e = plan.experiment
    group = {v: arms.get((metric, v)) for v in e.variants}
    built = {v: Arm.of(m) for v, m in group.items() if m is not None}
    theta = pooled_theta(built.values()) if e.cuped.enabled else None
    diff = compare(built.get(e.control), built.get(variant), theta, e.min_units_per_arm)
    if diff.abs_variance is None:
        return diff, None
    control, treatment = built[e.control], built[variant]
    per_unit = tuple(arm.moments.variance(arm.adjusted(theta).gradient) for arm in (control, treatment))
    return diff, (control.n, treatment.n, *per_unit)


def _evidence(plan: ExperimentPlan, metric: str, role: str, higher_is_better: bool, diff: Difference) -> MetricEvidence:
    e = plan.experiment
    margin = e.margin(metric) if role == GUARDRAIL else None
    if diff.rel_variance is None or diff.rel_variance <= 0:
        return MetricEvidence(metric, role, None, None, higher_is_better, margin)
    estimate, se = diff.rel_effect, math.sqrt(diff.rel_variance)
    if e.engine == "bayesian":
        post = posterior(estimate, diff.rel_variance, e.prior.mean, e.prior.stddev)
        return MetricEvidence(metric, role, post.mean, post.sd, higher_is_better, margin)
    if e.sequential:
        rho = sequential.rho(e.alpha, e.sequential_tuning)
        critical = lambda level: sequential.multiplier(diff.units, min(2 * level, 0.999), rho)  # noqa: E731
    else:
        critical = lambda level: float(st.t.isf(level, diff.df))  # noqa: E731
    return MetricEvidence(metric, role, estimate, se, higher_is_better, margin, critical)


def _pre_exposure(plan: ExperimentPlan, arms: dict, metric: str, variant: str):
    """(n_c, n_t, var_c, var_t, control statistic) of the goal over the units'
    pre-exposure values (the CUPED covariate): what a power analysis has before the
    values since exposure can be tested. None without a covariate or variance."""
    control, treatment = arms.get((metric, plan.experiment.control)), arms.get((metric, variant))
    if control is None or treatment is None or min(control.n, treatment.n) < 2:
        return None
    variances = [unit_variance(m, pre_exposure=True) for m in (control, treatment)]
    pre = Arm.of(control).pre
    if pre is None or not pre.value or not all(v is not None and v > 0 for v in variances):
        return None
    return control.n, treatment.n, *variances, pre.value


def _power(plan: ExperimentPlan, metric: str, variant: str, diff: Difference, per_unit, level: float,
           test_power: float, days: int) -> GoalPower:
    """The goal's MDE now, its power for the target effect and the days until that
    power, from `per_unit`: (n_c, n_t, var_c, var_t) of the values since exposure
    (scaled by the results' control mean), or with a fifth entry, the pre-exposure
    control statistic, of the pre-exposure values."""
    e = plan.experiment
    target = e.minimum_detectable_effect
    basis = PRE_EXPOSURE if per_unit is not None and len(per_unit) == 5 else OUTCOMES
    control_statistic = per_unit[4] if basis == PRE_EXPOSURE else diff.control_statistic
    if per_unit is None or not control_statistic:
        return GoalPower(metric, variant, diff.units or 0, None, target, None, None, test_power)
    n_c, n_t, var_c, var_t = per_unit[:4]
    scale = abs(control_statistic)
    se = math.sqrt(var_c / n_c + var_t / n_t)
    mde = minimum_detectable_effect(se, level, test_power, two_sided=False) / scale
    if target is None:
        return GoalPower(metric, variant, n_c + n_t, mde, None, None, None, test_power, basis)
    shares = dict(share_control=e.variants[e.control], share_treatment=e.variants[variant], two_sided=False)
    return GoalPower(
        metric, variant, n_c + n_t, mde, target,
        power(target * scale, se, level, two_sided=False),
        days_to_power(target * scale, n_c + n_t, (n_c + n_t) / days, var_c, var_t, level, test_power, **shares),
        test_power, basis,
    )
