"""The Dagster resource of a DuckDB warehouse: dagster-duckdb's DuckDBResource,
holding one warehouse session for a whole run.

A run's steps go one after another in one process (the in-process executor,
which definitions.py picks for DuckDB), so they can share a connection. Opening
a large DuckDB file and closing it after a write (a checkpoint) costs ~50 ms
each; a run of 13 assets and their health checks opened it ~26 times. Sharing
one session also keeps the ledger reads of earlier steps (no other process can
write the file while the run holds it). The cost: the run holds the file's
write lock from its first step to its end, so an overlapping run waits at its
first step (up to the adapter's lock timeout) instead of between steps."""

from __future__ import annotations

import contextlib

from dagster_duckdb import DuckDBResource
from pydantic import PrivateAttr

from exp_assets.warehouse.duckdb_warehouse import DuckDBWarehouse


class DuckDBRunResource(DuckDBResource):
    _warehouses: dict[str, DuckDBWarehouse] = PrivateAttr(default_factory=dict)
    _sessions: contextlib.ExitStack | None = PrivateAttr(default=None)  # set while a run uses the resource

    def warehouse(self, output_schema: str) -> DuckDBWarehouse:
        """In a run, the run's warehouse: its session opens at the first use and
        closes when the run ends. Outside a run (CLI, sensors) a warehouse that
        opens the file per statement or step, as DuckDBResource does."""
        if self._sessions is None:
            return DuckDBWarehouse(self.get_connection, output_schema)
        if output_schema not in self._warehouses:
            wh = DuckDBWarehouse(self.get_connection, output_schema)
            self._sessions.enter_context(wh.session())
            self._warehouses[output_schema] = wh
        return self._warehouses[output_schema]

    def setup_for_execution(self, context) -> None:
        self._sessions = contextlib.ExitStack()

    def teardown_after_execution(self, context) -> None:
        sessions, self._sessions = self._sessions, None
        self._warehouses.clear()
        if sessions is not None:
            sessions.close()
