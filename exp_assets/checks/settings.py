"""The thresholds of the health checks, read from the experiment's optional
`checks:` config block (defaults below when it or a field is absent)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from exp_assets.plan import ExperimentPlan


@dataclass(frozen=True)
class CheckSettings:
    srm_p_value: float = 0.001  # SRM warns below this chi-square p-value
    multiple_variant_warn_rate: float = 0.01  # crossed / exposed units above this: WARN
    multiple_variant_error_rate: float = 0.10  # ... above this: ERROR
    balance_p_value: float = 0.001  # pre-exposure covariate Welch p-value below this: WARN


def settings_of(plan: ExperimentPlan) -> CheckSettings:
    configured = getattr(plan.experiment, "checks", None)
    defaults = CheckSettings()

    def value(name: str) -> float:
        found = configured.get(name) if isinstance(configured, dict) else getattr(configured, name, None)
        return float(found) if found is not None else getattr(defaults, name)

    return CheckSettings(**{f.name: value(f.name) for f in fields(CheckSettings)})
