"""Warehouse adapters, and the Dagster resource each engine is reached through."""

from __future__ import annotations

from contextlib import closing

from dagster_duckdb import DuckDBResource

from exp_assets.config.schema import ProjectConfig
from exp_assets.warehouse.base import Warehouse, WarehouseBusy, WriteReport
from exp_assets.warehouse.duckdb_resource import DuckDBRunResource, connect
from exp_assets.warehouse.duckdb_warehouse import DuckDBWarehouse


def resource_for(config: ProjectConfig):
    """The Dagster resource for the configured warehouse (credentials come from
    the environment, never from the YAML)."""
    wh = config.warehouse
    if wh.type == "duckdb":
        return DuckDBRunResource(database=wh.database, lock_timeout=wh.lock_timeout)
    if wh.type == "snowflake":
        from exp_assets.warehouse.snowflake_warehouse import snowflake_resource

        return snowflake_resource(wh)
    if wh.type == "bigquery":
        from exp_assets.warehouse.bigquery_warehouse import bigquery_resource

        return bigquery_resource(wh)
    raise ValueError(f"warehouse.type {wh.type!r} is not supported")


def read_only_warehouse(config: ProjectConfig) -> Warehouse:
    """A warehouse for cheap reads (sensors): on DuckDB a read-only connection,
    which never takes the file's write lock, and does not wait when a writer
    holds it (WarehouseBusy at once: a sensor looks again next tick)."""
    wh = config.warehouse
    if wh.type == "duckdb":
        return DuckDBWarehouse(lambda: closing(connect(wh.database, read_only=True)), wh.output_schema, lock_timeout=0)
    return warehouse_from_resource(resource_for(config), config)


def with_environment_values(resource):
    """`resource` with its dagster.EnvVar fields read from the environment, for use
    outside a run (CLI, sensors). Unlike process_config_and_initialize it leaves no
    init context behind (whose finalizer complained at interpreter exit)."""
    import dagster as dg

    values = {}
    for name in type(resource).model_fields:
        value = getattr(resource, name)
        if isinstance(value, dg.EnvVar):
            if value.get_value() is None:
                raise ValueError(f"environment variable {value.env_var_name} is not set ({type(resource).__name__}.{name} reads it)")
            value = value.get_value()
        if value is not None:
            values[name] = value
    return type(resource)(**values)


def warehouse_from_resource(resource, config: ProjectConfig) -> Warehouse:
    if isinstance(resource, DuckDBRunResource):
        return resource.warehouse(config.warehouse.output_schema)
    if isinstance(resource, DuckDBResource):  # its get_connection retries by itself: bypassed, one wait layer
        return DuckDBWarehouse(lambda: closing(connect(resource.database, config=resource.connection_config)),
                               config.warehouse.output_schema, config.warehouse.lock_timeout)
    if config.warehouse.type == "snowflake":
        from dagster_snowflake import SnowflakeConnection, SnowflakeResource

        from exp_assets.warehouse.snowflake_warehouse import SnowflakeWarehouse

        if isinstance(resource, SnowflakeConnection):  # what a run's context holds for a SnowflakeResource
            resource = resource.snowflake_connection_resource
        if isinstance(resource, SnowflakeResource):
            resource = with_environment_values(resource)
            return SnowflakeWarehouse(resource.get_connection, config.warehouse.output_schema)
    if config.warehouse.type == "bigquery":
        from dagster_gcp import BigQueryResource

        from google.cloud import bigquery

        from exp_assets.warehouse.bigquery_warehouse import BigQueryWarehouse

        if isinstance(resource, bigquery.Client):  # what a run's context holds for a BigQueryResource
            return BigQueryWarehouse.for_client(resource, config.warehouse.output_schema, config.warehouse.location)
        if isinstance(resource, BigQueryResource):
            resource = with_environment_values(resource)
            return BigQueryWarehouse(resource.get_client, config.warehouse.output_schema,
                                     location=config.warehouse.location,
                                     emulator=bool(getattr(resource, "api_endpoint", None)))
    raise TypeError(f"no warehouse adapter for resource {type(resource).__name__}")


__all__ = [
    "DuckDBRunResource", "DuckDBWarehouse", "Warehouse", "WarehouseBusy", "WriteReport", "read_only_warehouse", "resource_for", "warehouse_from_resource",
]
