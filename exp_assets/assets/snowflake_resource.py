"""The Dagster resource of a Snowflake warehouse: dagster-snowflake's SnowflakeResource."""

from __future__ import annotations

import os

import dagster as dg
from dagster_snowflake import SnowflakeResource

from exp_assets.assets.resources import with_environment_values
from exp_assets.warehouse.snowflake_warehouse import SnowflakeWarehouse


class SnowflakeWarehouseResource(SnowflakeResource):
    """dagster-snowflake's SnowflakeResource, handing a run's context itself
    (SnowflakeResource's own hands it a SnowflakeConnection)."""

    def get_object_to_set_on_execution_context(self):
        return self

    def adapter(self, output_schema: str, read_only: bool = False) -> SnowflakeWarehouse:
        return SnowflakeWarehouse(with_environment_values(self).get_connection, output_schema)


def snowflake_resource(config) -> SnowflakeWarehouseResource:
    """The resource for a `warehouse: {type: snowflake}` block: every credential
    is a dagster.EnvVar named by the block (so no value is in the YAML or in
    Dagster's run config); optional variables (role, warehouse, host/port/protocol
    of a non-default endpoint) only when set."""

    def is_set(name: str) -> bool:
        return bool(os.environ.get(name))

    args: dict[str, object] = {
        "account": dg.EnvVar(config.account_env), "user": dg.EnvVar(config.user_env), "database": config.database,
        "timezone": "UTC",  # partition days are UTC days, also for TIMESTAMP_LTZ / _TZ sources
    }
    if is_set(config.private_key_path_env) and not is_set(config.password_env):
        args["private_key_path"] = dg.EnvVar(config.private_key_path_env)
    else:  # unset, it fails on first use with a message naming the variable
        args["password"] = dg.EnvVar(config.password_env)
    if is_set(config.role_env):
        args["role"] = dg.EnvVar(config.role_env)
    if is_set(config.warehouse_env):
        args["warehouse"] = dg.EnvVar(config.warehouse_env)
    endpoint = {}
    if is_set(config.host_env):
        endpoint["host"] = os.environ[config.host_env]
    if is_set(config.port_env):
        endpoint["port"] = int(os.environ[config.port_env])
    if is_set(config.protocol_env):
        endpoint["protocol"] = os.environ[config.protocol_env]
    if endpoint:
        args["additional_snowflake_connection_args"] = endpoint
    return SnowflakeWarehouseResource(**args)
