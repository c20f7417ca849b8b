"""Health checks of an experiment's assets, as Dagster asset checks evaluated on
the partition window a materialization wrote (SQL in exp_assets.sql.checks,
statistics in exp_assets.stats.balance).

    settings.py    thresholds from the experiment's optional `checks:` block
    outcome.py     a check's conclusion and the shared per-day metadata helpers
    units.py       the experiment's units as of a day, as a relation
    assignment.py  srm, multiple_variant_rate
    presence.py    exposures_present, source_data_present (blocking)
    balance.py     pre_exposure_balance
    sanity.py      results_sanity
    registry.py    each check by the name an artifact declares (exp_assets.artifacts):
                   check_specs, evaluate_checks, blocking_failed
"""

from .registry import HealthCheck, blocking_failed, check_specs, evaluate_checks, health_checks
from .settings import CheckSettings, settings_of

__all__ = ["CheckSettings", "HealthCheck", "blocking_failed", "check_specs", "evaluate_checks", "health_checks", "settings_of"]
