"""Warehouse adapters, and the Dagster resource each engine is reached through."""

from __future__ import annotations

from dagster_duckdb import DuckDBResource

from exp_assets.config.schema import ProjectConfig
from exp_assets.warehouse.base import Warehouse, WriteReport
from exp_assets.warehouse.duckdb import DuckDBWarehouse


def resource_for(config: ProjectConfig):
    """The Dagster resource for the configured warehouse (credentials come from
    the environment, never from the YAML)."""
    wh = config.warehouse
    if wh.type == "duckdb":
        return DuckDBResource(database=wh.database)
    raise ValueError(f"warehouse.type {wh.type!r} is not supported")


def warehouse_from_resource(resource, config: ProjectConfig) -> Warehouse:
    if isinstance(resource, DuckDBResource):
        return DuckDBWarehouse(resource.get_connection, config.warehouse.output_schema)
    raise TypeError(f"no warehouse adapter for resource {type(resource).__name__}")


__all__ = ["DuckDBWarehouse", "Warehouse", "WriteReport", "resource_for", "warehouse_from_resource"]
