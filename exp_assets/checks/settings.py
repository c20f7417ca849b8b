"""The thresholds of the health checks: the experiment's `checks:` config block."""

from __future__ import annotations

from exp_assets.config.schema import Checks as CheckSettings
from exp_assets.plan import ExperimentPlan


def settings_of(plan: ExperimentPlan) -> CheckSettings:
    return plan.experiment.checks
