"""The health checks an artifact declares by name (exp_assets.artifacts), as
Dagster asset check specs, and their evaluation for the partition window a
materialization wrote."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Collection
from dataclasses import dataclass

import dagster as dg

from exp_assets.days import DayRange
from exp_assets.artifacts import Artifact
from exp_assets.plan import ExperimentPlan
from exp_assets.warehouse.base import Warehouse

from .assignment import multiple_variant_rate, srm
from .balance import pre_exposure_balance
from .outcome import ERROR, Outcome
from .presence import exposures_present, source_data_present
from .sanity import results_sanity
from .settings import CheckSettings, settings_of

Evaluate = Callable[[Warehouse, ExperimentPlan, DayRange, CheckSettings], Outcome]


@dataclass(frozen=True)
class HealthCheck:
    name: str
    blocking: bool  # a failure (severity ERROR) skips downstream assets of the run
    description: str
    evaluate: Evaluate


def _exposures_present(plan: ExperimentPlan, artifact: Artifact, s: CheckSettings) -> HealthCheck:
    return HealthCheck(
        "exposures_present", True,
        "The assignment source has the experiment's exposures on every day of the window "
        "(blocking: results are not built on missing exposures).", exposures_present)


def _srm(plan: ExperimentPlan, artifact: Artifact, s: CheckSettings) -> HealthCheck:
    return HealthCheck(
        "srm", False,
        f"Sample ratio mismatch of cumulative units per variant against the configured weights: an "
        f"always-valid sequential test (its p-value holds when read every day), overall and within each "
        f"value of every experiment dimension (Holm-adjusted over its values: an imbalance offset in other "
        f"slices); warns below p = {s.srm_p_value:g}.", srm)


def _multiple_variant_rate(plan: ExperimentPlan, artifact: Artifact, s: CheckSettings) -> HealthCheck:
    return HealthCheck(
        "multiple_variant_rate", False,
        f"Units seen in more than one variant / units exposed, as of each day; warns above "
        f"{s.multiple_variant_warn_rate:.0%}, errors above {s.multiple_variant_error_rate:.0%}.",
        multiple_variant_rate)


def _source_data_present(plan: ExperimentPlan, artifact: Artifact, s: CheckSettings) -> HealthCheck:
    (source,) = artifact.params
    return HealthCheck(
        "source_data_present", True,
        f"Fact source {source!r} has events on every day of the window (blocking).",
        source_data_present(source))


def _pre_exposure_balance(plan: ExperimentPlan, artifact: Artifact, s: CheckSettings) -> HealthCheck:
    (source,) = artifact.params
    return HealthCheck(
        "pre_exposure_balance", False,
        f"Welch test of each pre-exposure covariate mean of {source!r}, every treatment against control, "
        f"over units first exposed through the window's last day; warns below p = {s.balance_p_value:g}.",
        pre_exposure_balance(source))


def _results_sanity(plan: ExperimentPlan, artifact: Artifact, s: CheckSettings) -> HealthCheck:
    return HealthCheck(
        "results_sanity", False,
        "Overall rows: every variant has units for every metric and day, and rows without a reason "
        "have no NaN or infinite numbers.", results_sanity(artifact.name, artifact.params[0].name))


# The checks an artifact declares (exp_assets.artifacts), by name.
CHECKS = {
    "exposures_present": _exposures_present,
    "srm": _srm,
    "multiple_variant_rate": _multiple_variant_rate,
    "source_data_present": _source_data_present,
    "pre_exposure_balance": _pre_exposure_balance,
    "results_sanity": _results_sanity,
}


def health_checks(plan: ExperimentPlan, artifact_name: str) -> list[HealthCheck]:
    """The checks of one artifact of `plan` (none for most)."""
    artifact = plan.artifact(artifact_name)
    settings = settings_of(plan)
    return [CHECKS[name](plan, artifact, settings) for name in artifact.checks]


def check_specs(plan: ExperimentPlan, artifact_name: str, asset_key: dg.AssetKey) -> list[dg.AssetCheckSpec]:
    """The asset check specs to declare on the asset of `artifact_name`."""
    return [
        dg.AssetCheckSpec(c.name, asset=asset_key, description=c.description, blocking=c.blocking)
        for c in health_checks(plan, artifact_name)
    ]


def evaluate_checks(
    wh: Warehouse,
    plan: ExperimentPlan,
    artifact_name: str,
    window: DayRange,
    selected: Collection[dg.AssetCheckKey] | None = None,
) -> list[dg.AssetCheckResult]:
    """Evaluate the artifact's checks on `window` (call right after writing it).
    `selected` (e.g. context.selected_asset_check_keys) limits them to the checks
    the run selected; None evaluates all. A check that raises is reported as failed
    with severity ERROR (and the error in its metadata) rather than losing the
    materialization it follows."""
    settings = settings_of(plan)
    asset_key = dg.AssetKey([plan.id, artifact_name])
    results = []
    with wh.session():  # one connection for all of them (DuckDB opens its file per connection)
        for c in health_checks(plan, artifact_name):
            if selected is not None and dg.AssetCheckKey(asset_key, c.name) not in selected:
                continue
            results.append(_result(c, wh, plan, asset_key, window, settings))
    return results


def blocking_failed(plan: ExperimentPlan, artifact_name: str, results: list[dg.AssetCheckResult]) -> bool:
    """Whether a blocking check of the artifact failed (what makes Dagster skip its downstream)."""
    blocking = {c.name for c in health_checks(plan, artifact_name) if c.blocking}
    return any(r.check_name in blocking and not r.passed and r.severity == ERROR for r in results)


def _result(c: HealthCheck, wh: Warehouse, plan: ExperimentPlan, asset_key: dg.AssetKey, window: DayRange,
            settings: CheckSettings) -> dg.AssetCheckResult:
    """One check's result; a check that raises is a failed one, with the error."""
    try:
        outcome = c.evaluate(wh, plan, window, settings)
    except Exception as error:  # noqa: BLE001 - reported as the check's failure
        outcome = Outcome(
            False, ERROR, f"The check could not be evaluated: {type(error).__name__}: {error}",
            {"error": dg.MetadataValue.text("".join(traceback.format_exception(error))[-4000:])},
        )
    return dg.AssetCheckResult(
        check_name=c.name, asset_key=asset_key, passed=bool(outcome.passed), severity=outcome.severity,
        metadata={"window_start": window.start.isoformat(), "window_end": window.last.isoformat(),
                  **outcome.metadata},
        description=outcome.description,
    )
