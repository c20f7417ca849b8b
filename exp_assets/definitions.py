"""Assembles the code location: one Definitions per experiment, merged, plus the
warehouse resource. Everything is read from the config (EXP_ASSETS_CONFIG)."""

from __future__ import annotations

import dagster as dg

from exp_assets.assets import experiment_definitions
from exp_assets.assets.shared import shared_specs
from exp_assets.config import ProjectConfig, load_config
from exp_assets.plan import ExperimentPlan
from exp_assets.assets.resources import resource_for


def build_definitions(config: ProjectConfig) -> dg.Definitions:
    per_experiment = [experiment_definitions(ExperimentPlan(config, e)) for e in config.experiments]
    shared = dg.Definitions(
        assets=shared_specs(config),
        resources={"warehouse": resource_for(config)},
        # DuckDB allows one writer per file: steps of a run go one after another.
        executor=dg.in_process_executor if config.warehouse.type == "duckdb" else None,
    )
    return dg.Definitions.merge(*per_experiment, shared)


@dg.definitions
def defs() -> dg.Definitions:
    """What Dagster loads (workspace.yaml), on demand: importing this module builds nothing."""
    return build_definitions(load_config())
