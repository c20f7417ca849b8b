"""Run an experiment's assets over a range of days in one run, from Python or the CLI."""

from __future__ import annotations

import dagster as dg
from dagster._core.storage.tags import REPOSITORY_LABEL_TAG

from exp_assets.automation.refresh import RANGE_END, RANGE_START
from exp_assets.config import ProjectConfig
from exp_assets.plan import ExperimentPlan

# The code location workspace.yaml declares. A job's page in `dagster dev`
# lists the runs tagged with its repository's label, a tag Dagster sets only on
# runs it launches itself; runs executed in process carry it from here.
CODE_LOCATION = "exp_assets"


def run_experiment(config: ProjectConfig, experiment_id: str, start: str | None = None, end: str | None = None,
                   artifacts: list[str] | None = None, instance=None):
    """Materialize the assets of one experiment (all, or `artifacts`) over
    [start, end] (default: all partitions) as a single run of the experiment's
    job, the way a single-run backfill does: the UI lists it on the job's page
    with the experiment's tag."""
    from exp_assets.assets import job_name, partitions_for  # the asset layer imports this package
    from exp_assets.definitions import build_definitions

    plan = ExperimentPlan(config, config.experiment(experiment_id))
    partitions = partitions_for(plan)
    first = start or partitions.get_first_partition_key()
    last = end or partitions.get_last_partition_key()
    if first is None or last is None:
        raise SystemExit(f"{experiment_id}: no complete day since its start {plan.start}; nothing to run")
    names = artifacts or [a.name for a in plan.artifacts]
    defs = build_definitions(config)
    result = defs.resolve_job_def(job_name(plan)).execute_in_process(
        asset_selection=[dg.AssetKey([plan.id, name]) for name in names],
        instance=instance or dg.DagsterInstance.get(),
        tags={RANGE_START: first, RANGE_END: last,
              REPOSITORY_LABEL_TAG: f"{defs.get_repository_def().name}@{CODE_LOCATION}"},
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
    )
    return first, last, result
