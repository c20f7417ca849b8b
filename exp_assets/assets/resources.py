"""The Dagster resource of each warehouse engine, and the adapter it hands out.

`resource_for(config)` builds the configured engine's resource (credentials
come from the environment through dagster.EnvVar, never from the YAML): this
module's DuckDBRunResource, snowflake_resource.py's or bigquery_resource.py's.
Every one has `adapter(output_schema)`, which returns the engine's adapter
(exp_assets.warehouse), and is also what a run's context holds (it hands out
itself), so asset code asks `context.resources.warehouse` the same way.
"""

from __future__ import annotations

import contextlib
from contextlib import closing

import dagster as dg
from dagster_duckdb import DuckDBResource
from pydantic import Field, PrivateAttr

from exp_assets.config.schema import ProjectConfig
from exp_assets.warehouse.base import Warehouse
from exp_assets.warehouse.duckdb_warehouse import LOCK_TIMEOUT_SECONDS, DuckDBWarehouse, connect

# Dagster's logger: inside a run it writes to the run's log, outside to stderr.
log = dg.get_dagster_logger("exp_assets.warehouse")


class DuckDBRunResource(DuckDBResource):
    """dagster-duckdb's DuckDBResource, holding one warehouse session for a whole run.

    A run's steps go one after another in one process (the in-process executor,
    which definitions.py picks for DuckDB), so they can share a connection.
    Opening a large DuckDB file and closing it after a write (a checkpoint)
    costs ~50 ms each; a run of 13 assets and their health checks opened it ~26
    times. Sharing one session also keeps the ledger reads of earlier steps (no
    other process can write the file while the run holds it). The cost: the run
    holds the file's write lock from its first step to its end, so an
    overlapping run waits at its first step (up to `lock_timeout`).

    Connections are opened once, without DuckDBResource's own retry loop (ten
    retries over ~100 s, on every IOException): the adapter's lock wait is the
    one wait layer, so `lock_timeout` is the whole wait, and an error that
    waiting cannot fix (a missing directory) fails at once."""

    lock_timeout: float = Field(
        default=LOCK_TIMEOUT_SECONDS, ge=0,
        description="seconds to wait in all while another process holds the DuckDB file, then fail",
    )
    _warehouses: dict[str, DuckDBWarehouse] = PrivateAttr(default_factory=dict)
    _sessions: contextlib.ExitStack | None = PrivateAttr(default=None)  # set while a run uses the resource

    def adapter(self, output_schema: str, read_only: bool = False) -> DuckDBWarehouse:
        """In a run, the run's adapter: its session opens at the first use and
        closes when the run ends. Outside a run (CLI, sensors) an adapter that
        opens the file per statement or step, as DuckDBResource does.
        `read_only`: a read-only connection, which never takes the file's write
        lock and does not wait when a writer holds it (WarehouseBusy at once:
        a sensor looks again next tick)."""
        if read_only:
            return DuckDBWarehouse(lambda: closing(connect(self.database, read_only=True)), output_schema,
                                   lock_timeout=0, log=log)
        if self._sessions is None:
            return DuckDBWarehouse(self.get_connection, output_schema, self.lock_timeout, log=log)
        if output_schema not in self._warehouses:
            wh = DuckDBWarehouse(self.get_connection, output_schema, self.lock_timeout, log=log)
            self._sessions.enter_context(wh.session())
            self._warehouses[output_schema] = wh
        return self._warehouses[output_schema]

    @contextlib.contextmanager
    def get_connection(self):
        conn = connect(self.database, config={"custom_user_agent": "dagster", **self.connection_config})
        try:
            yield conn
        finally:
            conn.close()

    def setup_for_execution(self, context) -> None:
        self._sessions = contextlib.ExitStack()

    def teardown_after_execution(self, context) -> None:
        sessions, self._sessions = self._sessions, None
        self._warehouses.clear()
        if sessions is not None:
            sessions.close()


def resource_for(config: ProjectConfig):
    """The Dagster resource for the configured warehouse."""
    wh = config.warehouse
    if wh.type == "duckdb":
        return DuckDBRunResource(database=wh.database, lock_timeout=wh.lock_timeout)
    # imported only when configured: dagster-snowflake alone takes seconds to import
    if wh.type == "snowflake":
        from exp_assets.assets.snowflake_resource import snowflake_resource

        return snowflake_resource(wh)
    if wh.type == "bigquery":
        from exp_assets.assets.bigquery_resource import bigquery_resource

        return bigquery_resource(wh)
    raise ValueError(f"warehouse.type {wh.type!r} is not supported")


def with_environment_values(resource):
    """`resource` with its dagster.EnvVar fields read from the environment, for use
    outside a run (CLI, sensors). Unlike process_config_and_initialize it leaves no
    init context behind (whose finalizer complained at interpreter exit)."""
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
    """The adapter a warehouse resource (or what a run's context holds for it) hands out."""
    if not hasattr(resource, "adapter"):
        raise TypeError(f"no warehouse adapter for resource {type(resource).__name__}: "
                        "use exp_assets.assets.resources.resource_for(config)")
    return resource.adapter(config.warehouse.output_schema)


def read_only_warehouse(config: ProjectConfig) -> Warehouse:
    """An adapter for cheap reads (sensors, the schedule): on DuckDB a read-only connection."""
    return resource_for(config).adapter(config.warehouse.output_schema, read_only=True)
