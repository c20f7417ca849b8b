"""The warehouse adapter interface every engine implements, and what a write reports."""

from __future__ import annotations

import abc
import contextlib
import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pandas as pd

from exp_assets.sql.dialects import render

# One row per (table, day) written, in the same transaction as the write: tells
# later steps which partitions exist, when they were written and by which
# version of their definition (so stale snapshots are never built upon).
LEDGER_TABLE = "_partitions"


class WarehouseBusy(RuntimeError):
    """The warehouse cannot be read right now (e.g. DuckDB's file lock is held
    by a writing run); try again later."""


@contextlib.contextmanager
def transaction(execute: Callable[[str], object], begin: str = "BEGIN TRANSACTION") -> Iterator[None]:
    """BEGIN, the block's statements, COMMIT; ROLLBACK on any error. The error
    raised is always the block's or the COMMIT's: a COMMIT that fails (e.g. on a
    full disk) may already have ended the transaction, and the ROLLBACK's own
    failure ("no transaction is active") would otherwise replace the cause. The
    ROLLBACK's failure is kept as a note on the error."""
    execute(begin)
    try:
        yield
        execute("COMMIT")
    except BaseException as error:
        try:
            execute("ROLLBACK")
        except Exception as rollback_error:  # noqa: BLE001 - secondary to `error`, which is raised
            error.add_note(f"(the ROLLBACK after this error failed too: {rollback_error})")
        raise


@dataclass
class WriteReport:
    table: str
    rows_written: int = 0
    seconds: float = 0.0
    rows_scanned: dict[str, int] = field(default_factory=dict)  # table read -> rows
    bytes_scanned: int | None = None  # what a billed engine processed (DuckDB has no such figure)
    statements: list[str] = field(default_factory=list)  # every statement the step ran, in order
    columns: list[tuple[str, str]] = field(default_factory=list)  # the table's (name, type)

    def cost_metadata(self) -> dict[str, object]:
        """What the engine reported the write cost, as materialization metadata
        (DuckDB: nothing beyond rows scanned; its profiler's bytes figure counts
        only blocks fetched into its buffer cache, 0 for a cached table)."""
        return {}

    @classmethod
    def combined(cls, reports: list[WriteReport]) -> WriteReport:
        """One report for a step's consecutive reads and writes of the same
        table (of the engine's report type: the last is a write's)."""
        total = type(reports[-1])(table=reports[-1].table, columns=reports[-1].columns)
        for r in reports:
            total.add(r)
        return total

    def add(self, other: WriteReport) -> None:
        self.rows_written += other.rows_written
        self.seconds += other.seconds
        self.statements += other.statements
        for name, rows in other.rows_scanned.items():
            self.rows_scanned[name] = self.rows_scanned.get(name, 0) + rows
        if other.bytes_scanned is not None:
            self.bytes_scanned = (self.bytes_scanned or 0) + other.bytes_scanned

    def rows_scanned_outside(self, schema: str) -> int:
        """Rows read from tables outside `schema` (i.e. the raw sources)."""
        prefix = f".{schema}."
        return sum(n for t, n in self.rows_scanned.items() if not f".{t}".startswith(prefix))


class Warehouse(abc.ABC):
    """execute SQL inside the warehouse; bring back only small, group-level results."""

    dialect: str
    output_schema: str
    # Days of running totals (unit_totals) one statement builds over a long
    # window: several days are a running window over units x days, which cloud
    # warehouses spill or spread out; fewer statements save round trips and
    # per-query charges. Each statement is atomic for its days.
    running_total_days_per_write: int = 7

    @contextlib.contextmanager
    def session(self):
        """Everything inside shares one connection where opening one costs
        (DuckDB opens the file each time); a step runs in one session, so its
        ledger reads, SQL building and atomic write are one hold of the file.
        Sessions nest; engines with cheap connections make this a no-op."""
        yield

    @abc.abstractmethod
    def query(self, sql: str) -> pd.DataFrame:
        """Run a SELECT whose result is small (group-level) and return it."""

    @abc.abstractmethod
    def replace_window(
        self,
        table: str,
        date_column: str,
        start: dt.date,
        end: dt.date,
        select_sql: str,
        version: str,
        frame: pd.DataFrame | None = None,
    ) -> WriteReport:
        """Atomically replace the rows of `<output_schema>.<table>` whose
        `date_column` is in [start, end) by the rows of `select_sql` (which may
        read `frame` as `_frame`), and record the days in the ledger. Rows of
        the select outside the window are an error; on any error nothing changes."""

    def read(self, sql: str, report: WriteReport | None) -> pd.DataFrame:
        """query(sql) as part of a step: the statement (as the engine ran it),
        its time and the rows it scanned (where the engine says) go into
        `report`, so a step that computes from what it reads reports that read."""
        if report is None:
            return self.query(sql)
        began = time.perf_counter()
        frame = self._measured_query(sql, report)
        report.seconds += time.perf_counter() - began
        return frame

    def _measured_query(self, sql: str, report: WriteReport) -> pd.DataFrame:
        report.statements.append(render(sql, self.dialect))
        return self.query(sql)

    def columns(self, select_sql: str) -> list[tuple[str, str]]:
        """(name, engine type) of the columns `select_sql` (DuckDB dialect) returns, reading no rows."""
        raise NotImplementedError

    @abc.abstractmethod
    def table_exists(self, table: str) -> bool:
        """Whether `<output_schema>.<table>` exists."""

    def execute(self, sql: str) -> None:
        """Run one statement (DuckDB SQL, rendered for the engine) whose result is not needed."""
        self.query(sql)

    def forget_window(self, table: str, start: dt.date, end: dt.date) -> None:
        """Drop the ledger rows of `table` over [start, end), e.g. a window whose
        blocking check failed: its rows stay, but later steps treat the days as
        missing (they derive them from the raw sources) and the refresh reruns them."""
        if self.table_exists(LEDGER_TABLE):
            self.execute(
                f"DELETE FROM {self._qualified(LEDGER_TABLE)} WHERE table_name = '{table}' "
                f"AND partition_date >= DATE '{start}' AND partition_date < DATE '{end}'"
            )

    def written_partitions(self, table: str, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Ledger rows (partition_date, row_count, code_version, written_at) of `table` in [start, end)."""
        if not self.table_exists(LEDGER_TABLE):
            return pd.DataFrame(columns=["partition_date", "row_count", "code_version", "written_at"])
        frame = self.query(
            f"SELECT partition_date, row_count, code_version, written_at "
            f"FROM {self._qualified(LEDGER_TABLE)} WHERE table_name = '{table}' "
            f"AND partition_date >= DATE '{start}' AND partition_date < DATE '{end}' ORDER BY partition_date"
        )
        frame["partition_date"] = pd.to_datetime(frame["partition_date"]).dt.date
        return frame

    def tables_written_per_day(self, tables: list[str], start: dt.date, end: dt.date) -> dict[dt.date, int]:
        """How many of `tables` the ledger holds each day in [start, end) (one
        query: automation asks this every tick, and billed engines charge per query)."""
        if not self.table_exists(LEDGER_TABLE):
            return {}
        names = ", ".join(f"'{t}'" for t in tables)
        frame = self.query(
            f"SELECT partition_date, COUNT(DISTINCT table_name) AS n FROM {self._qualified(LEDGER_TABLE)} "
            f"WHERE table_name IN ({names}) AND partition_date >= DATE '{start}' AND partition_date < DATE '{end}' "
            "GROUP BY partition_date"
        )
        return dict(zip(pd.to_datetime(frame["partition_date"]).dt.date, frame["n"].astype(int)))

    def _qualified(self, table: str) -> str:
        return f'"{self.output_schema}"."{table}"'
