"""The shared facts' assets (exp_assets.shared_facts): one per fact source in the
group `shared_facts`, outside every experiment's group. The experiments' runs
write them on the way to their unit-day rows and record each day written as a
materialization (assets/factory.py), so the asset has no job of its own: its
partitions show which days are built and by which run, and its lineage leads
to every experiment on it."""

from __future__ import annotations

import dagster as dg

from exp_assets.config import ProjectConfig
from exp_assets.days import ONE_DAY
from exp_assets.shared_facts import GROUP, SOURCE_DAYS, SourceDays, shared_sources


def shared_key(shared: SourceDays) -> dg.AssetKey:
    return shared_key_of_table(shared.name)


def shared_key_of_table(table: str) -> dg.AssetKey:
    """The asset of a shared table (its name is its asset's name)."""
    return dg.AssetKey([GROUP, table])


def shared_partitions(shared: SourceDays) -> dg.DailyPartitionsDefinition:
    return dg.DailyPartitionsDefinition(
        start_date=shared.start.isoformat(),
        end_date=(shared.end + ONE_DAY).isoformat() if shared.end else None,
    )


def shared_specs(config: ProjectConfig) -> list[dg.AssetSpec]:
    return [
        dg.AssetSpec(
            key=shared_key(shared),
            group_name=GROUP,
            description=shared.description,
            code_version=shared.code_version,
            partitions_def=shared_partitions(shared),
            kinds={config.warehouse.type},
            metadata={"dagster/table_name": f"{config.warehouse.output_schema}.{shared.name}",
                      "partition_column": SOURCE_DAYS.date_column},
        )
        for shared in shared_sources(config)
    ]

