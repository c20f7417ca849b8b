"""Run an experiment's assets over a range of days in one run, from Python or the
CLI. It sits above the code location (exp_assets.definitions), which it executes."""

from __future__ import annotations

import sys

import dagster as dg
from dagster._core.remote_origin import ManagedGrpcPythonEnvCodeLocationOrigin, RemoteRepositoryOrigin
from dagster._core.storage.tags import REPOSITORY_LABEL_TAG
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._core.utils import make_new_run_id

from exp_assets.assets import job_name, partitions_for, warehouse_pool
from exp_assets.automation.refresh import RANGE_END, RANGE_START
from exp_assets.automation.workers import in_process_tags
from exp_assets.config import ProjectConfig
from exp_assets.definitions import build_definitions
from exp_assets.plan import ExperimentPlan
from exp_assets.assets.report import NAME as REPORT

# The code location workspace.yaml declares. Runs executed in process have no
# code location: the job's page in `dagster dev` lists runs by their repository
# label tag and the Overview timeline draws them by their origin, both of which
# Dagster sets only on runs it launches itself. Runs from here get both.
CODE_LOCATION = "exp_assets"
DEFINITIONS_MODULE = "exp_assets.definitions"


def run_experiment(config: ProjectConfig, experiment_id: str, start: str | None = None, end: str | None = None,
                   artifacts: list[str] | None = None, instance=None):
    """Materialize the assets of one experiment (all, or `artifacts`) over
    [start, end] (default: all partitions) as a single run of the experiment's
    job, the way a single-run backfill does: the UI lists it on the job's page
    with the experiment's tag."""
    plan = ExperimentPlan(config, config.experiment(experiment_id))
    partitions = partitions_for(plan)
    first = start or partitions.get_first_partition_key()
    last = end or partitions.get_last_partition_key()
    if first is None or last is None:
        raise SystemExit(f"{experiment_id}: no complete day since its start {plan.start}; nothing to run")
    names = artifacts or [a.name for a in plan.artifacts] + [REPORT]  # a full run rewrites the report too
    defs = build_definitions(config)
    repository = RemoteRepositoryOrigin(
        ManagedGrpcPythonEnvCodeLocationOrigin(
            LoadableTargetOrigin(executable_path=sys.executable, module_name=DEFINITIONS_MODULE), CODE_LOCATION
        ),
        defs.get_repository_def().name,
    )
    instance = instance or dg.DagsterInstance.get()
    _ensure_pool_limit(instance, warehouse_pool(config))
    run_id = make_new_run_id()
    try:
        result = defs.resolve_job_def(job_name(plan)).execute_in_process(
            asset_selection=[dg.AssetKey([plan.id, name]) for name in names],
            instance=instance,
            run_id=run_id,
            # host and pid: a run killed before its first step must not look alive to automation
            tags={RANGE_START: first, RANGE_END: last, REPOSITORY_LABEL_TAG: repository.get_label(), **in_process_tags()},
            # a failed step's error reaches the caller, which reports it once (the CLI: one line)
            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
        )
    finally:  # failed runs too; what `dagster run migrate-repository` does to assign runs to a code location
        if run := instance.get_run_by_id(run_id):
            instance.run_storage.replace_job_origin(run, repository.get_job_origin(run.job_name))
    return first, last, result


def _ensure_pool_limit(instance: dg.DagsterInstance, pool: str | None) -> None:
    """Give the warehouse's pool the instance's default limit now, as the run
    queue does when it first sees the pool: a run queued while this one (which
    skips the queue) holds the pool must find the limit already set."""
    if pool and instance.event_log_storage.supports_global_concurrency_limits:
        instance.event_log_storage.initialize_concurrency_limit_to_default(pool)
