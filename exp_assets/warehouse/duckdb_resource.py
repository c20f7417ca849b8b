"""The Dagster resource of a DuckDB warehouse: dagster-duckdb's DuckDBResource,
holding one warehouse session for a whole run.

A run's steps go one after another in one process (the in-process executor,
which definitions.py picks for DuckDB), so they can share a connection. Opening
a large DuckDB file and closing it after a write (a checkpoint) costs ~50 ms
each; a run of 13 assets and their health checks opened it ~26 times. Sharing
one session also keeps the ledger reads of earlier steps (no other process can
write the file while the run holds it). The cost: the run holds the file's
write lock from its first step to its end, so an overlapping run waits at its
first step (up to `lock_timeout`) instead of between steps.

Connections are opened once, without DuckDBResource's own retry loop (ten
retries over ~100 s, on every IOException): the adapter's lock wait is the one
wait layer, so `lock_timeout` is the whole wait, and an error that waiting
cannot fix (a missing directory) fails at once."""

from __future__ import annotations

import contextlib
from pathlib import Path

import duckdb
from dagster_duckdb import DuckDBResource
from pydantic import Field, PrivateAttr

from exp_assets.warehouse.duckdb_lock import is_lock_conflict
from exp_assets.warehouse.duckdb_warehouse import LOCK_TIMEOUT_SECONDS, DuckDBWarehouse


def connect(database: str, read_only: bool = False, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, once; a database whose directory does not exist is named as such."""
    try:
        return duckdb.connect(database, read_only=read_only, config=config or {})
    except duckdb.IOException as error:
        folder = Path(database).parent
        if not is_lock_conflict(error) and not folder.is_dir():
            raise FileNotFoundError(
                f"DuckDB database {database}: its directory {folder.resolve()} does not exist "
                "(warehouse.database in the config)"
            ) from error
        raise


class DuckDBRunResource(DuckDBResource):
    lock_timeout: float = Field(
        default=LOCK_TIMEOUT_SECONDS, ge=0,
        description="seconds to wait in all while another process holds the DuckDB file, then fail",
    )
    _warehouses: dict[str, DuckDBWarehouse] = PrivateAttr(default_factory=dict)
    _sessions: contextlib.ExitStack | None = PrivateAttr(default=None)  # set while a run uses the resource

    def warehouse(self, output_schema: str) -> DuckDBWarehouse:
        """In a run, the run's warehouse: its session opens at the first use and
        closes when the run ends. Outside a run (CLI, sensors) a warehouse that
        opens the file per statement or step, as DuckDBResource does."""
        if self._sessions is None:
            return DuckDBWarehouse(self.get_connection, output_schema, self.lock_timeout)
        if output_schema not in self._warehouses:
            wh = DuckDBWarehouse(self.get_connection, output_schema, self.lock_timeout)
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
