"""Run an experiment's assets over a range of days in one run, from Python or the CLI."""

from __future__ import annotations

import dagster as dg

from exp_assets.automation.refresh import RANGE_END, RANGE_START
from exp_assets.config import ProjectConfig
from exp_assets.plan import ExperimentPlan
from exp_assets.report.asset import NAME as REPORT


def run_experiment(config: ProjectConfig, experiment_id: str, start: str | None = None, end: str | None = None,
                   artifacts: list[str] | None = None, instance=None):
    """Materialize the assets of one experiment (all, or `artifacts`) over
    [start, end] (default: all partitions) as a single run, the way a
    single-run backfill does."""
    from exp_assets.assets import partitions_for  # the asset layer imports this package
    from exp_assets.definitions import build_definitions

    plan = ExperimentPlan(config, config.experiment(experiment_id))
    partitions = partitions_for(plan)
    first = start or partitions.get_first_partition_key()
    last = end or partitions.get_last_partition_key()
    if first is None or last is None:
        raise SystemExit(f"{experiment_id}: no complete day since its start {plan.start}; nothing to run")
    defs = build_definitions(config)
    names = artifacts or [a.name for a in plan.artifacts] + [REPORT]  # a full run rewrites the report too
    result = dg.materialize(
        [a for a in defs.assets if isinstance(a, dg.AssetsDefinition) and a.key.path[0] == plan.id],
        selection=[dg.AssetKey([plan.id, name]) for name in names],
        resources=defs.resources,
        instance=instance or dg.DagsterInstance.get(),
        tags={RANGE_START: first, RANGE_END: last},
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
    )
    return first, last, result
