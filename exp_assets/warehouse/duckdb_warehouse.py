"""DuckDB adapter: connections come from any factory of DuckDB connections that
does not retry by itself (the project's DuckDBRunResource in a run); DuckDB's
profiler reports rows scanned per table.

Every connection the adapter uses works in UTC (`SET TimeZone = 'UTC'`), so a
TIMESTAMPTZ column falls on its UTC day whatever the machine's time zone, and a
naive TIMESTAMP is read as UTC. DuckDB lets one process at a time open a file
for writing: when another process holds it, the adapter waits (duckdb_lock, the
one wait layer) for at most `lock_timeout` seconds, then raises WarehouseBusy
naming the file and the holder. Each statement or atomic window write holds the
file only while it runs, or for as long as a `session()` lasts (one open of the
file instead of dozens): a pipeline run holds one session from its first step
to its end (DuckDBRunResource), so overlapping runs take turns run by run."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import duckdb
import pandas as pd

from exp_assets.quoting import ident
from exp_assets.warehouse.base import LEDGER_TABLE, Warehouse, WindowWrite, WriteReport, transaction
from exp_assets.warehouse.duckdb_lock import is_lock_conflict, wait_for_lock

Connect = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]

# How long a connection waits for another process's lock on the DuckDB file.
LOCK_TIMEOUT_SECONDS = 120.0


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


class DuckDBWarehouse(Warehouse):
    dialect = "duckdb"
    # A day at a time: a day is the snapshot of the day before plus that day's
    # rows, hash joins that DuckDB spills to disk, while its running window over
    # several days of units does not spill (a week of 1M units ran out of a 2 GB
    # memory_limit) and was no faster.
    running_total_days_per_write = 1
    groups_rows_per_day = True
    runs_maintenance_transactions = True

    def __init__(self, connect: Connect, output_schema: str, lock_timeout: float = LOCK_TIMEOUT_SECONDS,
                 log: logging.Logger | None = None):
        self._connect = connect
        self.output_schema = output_schema
        self.lock_timeout = lock_timeout
        self._log = log  # where waits for the file are logged (default: the "exp_assets.warehouse" logger)

    @contextlib.contextmanager
    def _new_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection in UTC, waiting at most `lock_timeout` seconds while
        another process holds the file (then WarehouseBusy)."""
        stack = contextlib.ExitStack()
        conn = wait_for_lock(lambda: stack.enter_context(self._connect()), self.lock_timeout, logger=self._log)
        with stack:
            conn.execute("SET TimeZone = 'UTC'")
            conn.execute("SET enable_progress_bar = false")  # it would print into the run's logs
            conn.execute("PRAGMA enable_profiling='no_output'")  # rows scanned per table, read by _Runner
            yield conn

    def query(self, sql: str) -> pd.DataFrame:
        with self._connection() as conn:
            return conn.execute(sql).df()

    def _measured_query(self, sql: str, report: WriteReport) -> pd.DataFrame:
        with self._connection() as conn:
            run = _Runner(conn, report)
            frame = run(sql).df()
            run.count_scans()  # once fetched: a SELECT streams, its profile is complete only now
            return frame

    def columns(self, select_sql: str) -> list[tuple[str, str]]:
        with self._connection() as conn:
            return [(r[0], r[1]) for r in conn.execute(f"DESCRIBE {select_sql}").fetchall()]

    def execute(self, sql: str) -> None:
        self.execute_transaction([sql])  # which also forgets the session's ledger reads

    def execute_transaction(self, statements: list[str]) -> None:
        self._forget_ledger()
        self._tables, self._output_ready = None, False  # maintenance may create or drop tables
        with self._connection() as conn, transaction(conn.execute):
            for sql in statements:
                conn.execute(sql)

    def table_exists(self, table: str) -> bool:
        with self._connection() as conn:
            return self._table_exists(conn, table)

    def _table_exists(self, conn: duckdb.DuckDBPyConnection, table: str) -> bool:
        if self._held is None:
            return table in self._output_tables(conn)
        if self._tables is None:  # a session lists them once: duckdb_tables() takes ms, growing with the tables
            self._tables = self._output_tables(conn)
        return table in self._tables

    def _output_tables(self, conn: duckdb.DuckDBPyConnection) -> set[str]:
        return {name for (name,) in conn.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = ?", [self.output_schema]).fetchall()}

    @contextlib.contextmanager
    def _window_write(self, table: str) -> Iterator[_DuckDBWrite]:
        """Strategy: the whole write is one transaction (DuckDB's DDL is
        transactional), on the session's connection when there is one."""
        with self._connection() as conn:
            write = _DuckDBWrite(self, conn, WriteReport(table=f"{self.output_schema}.{table}"))
            try:
                with transaction(write.runner):
                    if not self._output_ready:
                        write.runner(f"CREATE SCHEMA IF NOT EXISTS {ident(self.output_schema)}")
                        write.runner(
                            f"CREATE TABLE IF NOT EXISTS {self._qualified(LEDGER_TABLE)} (table_name VARCHAR, "
                            "partition_date DATE, row_count BIGINT, code_version VARCHAR, written_at TIMESTAMPTZ)"
                        )
                    yield write
                    write.report.columns = write.describe(table)
            except BaseException:
                self._tables = None  # it may have listed tables the rollback undid
                raise
            finally:  # a session's connection may go on serving other statements
                if write.frame_registered:
                    conn.unregister("_frame")
            # committed: in a session, later writes need not create them again, and both tables exist
            self._output_ready = self._held is not None
            if self._tables is not None:
                self._tables |= {table, LEDGER_TABLE}


class _DuckDBWrite(WindowWrite):
    dialect = "duckdb"
    now = "now()"

    def __init__(self, warehouse: DuckDBWarehouse, conn: duckdb.DuckDBPyConnection, report: WriteReport):
        self._warehouse, self._conn, self.report = warehouse, conn, report
        self.runner = _Runner(conn, report)
        self.frame_registered = False

    def run(self, sql: str) -> list[tuple]:
        return self.runner(sql).fetchall()

    in_one_transaction = True  # see _window_write

    def rows(self, select_sql: str, frame: pd.DataFrame | None) -> str:
        if frame is not None:
            self._conn.register("_frame", frame)
            self.frame_registered = True
        return f"({select_sql}) AS _rows"

    def select_columns(self, select_sql: str) -> list[tuple[str, str]]:
        """(name, type) of what DESCRIBE says of `select_sql`: a SELECT, or a table's name
        (DESCRIBE: a tenth of information_schema's time)."""
        return [tuple(r[:2]) for r in self._conn.execute(f"DESCRIBE {select_sql}").fetchall()]

    def fill(self, statement: str) -> int:
        return self.runner(statement, scans=True).fetchall()[0][0]

    def table_columns(self, table: str) -> list[str] | None:
        if not self._warehouse._table_exists(self._conn, table):
            return None
        return [name for name, _ in self.describe(table)]

    def describe(self, table: str) -> list[tuple[str, str]]:
        """(name, type) of the table's columns, in order."""
        return self.select_columns(self.full(table))

    def create_table(self, table: str, date_column: str, rows: str) -> list[str]:
        # Created with its rows in one statement: a table created empty and then
        # filled from a temp table in the same transaction reads back as empty
        # (stale min/max statistics) on this connection until the file is
        # reopened (DuckDB 2.0.0), and a run shares one connection.
        return [f"CREATE TABLE {self.full(table)} AS SELECT * FROM {rows}"]

    def atomically(self, statements: list[str]) -> None:
        for sql in statements:  # inside the write's one transaction
            self.runner(sql)


class _Runner:
    """Executes a step's statements, recording each one's text and, for those
    that read the step's inputs (`scans`), DuckDB's per-table scan counts."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, report: WriteReport):
        self.conn, self._report = conn, report

    def __call__(self, sql: str, scans: bool = False) -> duckdb.DuckDBPyConnection:
        result = self.conn.execute(sql)
        self._report.statements.append(sql)
        if scans:
            self.count_scans()
        return result

    def count_scans(self) -> None:
        """Add the last statement's rows scanned per table to the report."""
        for name, rows in _table_scans(_profile(self.conn)).items():
            self._report.rows_scanned[name] = self._report.rows_scanned.get(name, 0) + rows


def _profile(conn: duckdb.DuckDBPyConnection) -> dict:
    try:
        return json.loads(conn.get_profiling_information(format="json"))
    except (duckdb.Error, ValueError):
        return {}


def _table_scans(profile: dict) -> dict[str, int]:
    scans: dict[str, int] = {}
    stack = list(profile.get("operator", []))
    while stack:
        node = stack.pop()
        stack.extend(node.get("children", []))
        name = node.get("extra_info", {}).get("Table")
        if node.get("type") == "TABLE_SCAN" and name and not name.startswith("temp."):
            # strip the catalog (the database file's name): schema.table, unquoted (the
            # profiler quotes names that need it, e.g. a schema called "full")
            short = ".".join(part.strip('"') for part in name.split(".")[-2:])
            scans[short] = scans.get(short, 0) + int(node.get("intermediate_rows", 0))
    return scans
