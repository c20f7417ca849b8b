"""The experiment's health as of a day: every health check the pipeline
declares (exp_assets.checks), evaluated by the same code, on that one day's
window, as the daily run evaluates them. SRM, crossovers and pre-exposure
balance are cumulative, so as of the latest day they cover the experiment so
far; the presence checks look at that day's rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from exp_assets.checks import evaluate_checks, health_checks
from exp_assets.days import ONE_DAY, DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.warehouse.base import Warehouse

# What a reader calls each check, in the order the page lists them.
LABELS = {
    "srm": "Sample ratio (SRM)",
    "multiple_variant_rate": "Crossovers",
    "pre_exposure_balance": "Pre-exposure balance",
    "exposures_present": "Data present",
    "source_data_present": "Data present",
    "results_sanity": "Results complete",
}


@dataclass(frozen=True)
class Health:
    label: str
    artifact: str  # the asset the check belongs to
    passed: bool
    severity: str  # WARN or ERROR
    description: str


def evaluate_health(wh: Warehouse, plan: ExperimentPlan, day: dt.date) -> list[Health]:
    window = DayRange(day, day + ONE_DAY)
    found = []
    for artifact in plan.artifacts:
        if not health_checks(plan, artifact.name):
            continue
        for result in evaluate_checks(wh, plan, artifact.name, window):
            found.append(Health(LABELS.get(result.check_name, result.check_name), artifact.name,
                                result.passed, result.severity.value, result.description or ""))
    order = list(dict.fromkeys(LABELS.values()))
    return sorted(found, key=lambda h: order.index(h.label) if h.label in order else len(order))
