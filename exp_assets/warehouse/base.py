"""The warehouse adapter interface every engine implements, the one window-write
algorithm they share, and what a write reports.

A window write (`Warehouse.replace_window`) is written once, here: stage the
step's rows, check every row falls in the window, evolve the table's columns,
then replace the window's rows and its ledger rows atomically. How a statement
runs and how the last part is made atomic is the engine's strategy (a
`WindowWrite`), as dbt's incremental strategies are: DuckDB runs the whole
write in one transaction, so it skips the stage: the SELECT inserts into the
table, whose window is then counted and checked (a row outside it rolls the
transaction back); Snowflake runs its DDL first (it commits DDL implicitly)
and the delete+insert in one transaction, BigQuery sends the delete+insert as
one multi-statement transaction (one job).

Errors: `WarehouseBusy` is the one "transient, try again later" error (a held
DuckDB file, a BigQuery transaction aborted by a concurrent one). Adapters do
not retry it; every write is idempotent, so the asset layer retries the step.
"""

from __future__ import annotations

import abc
import bisect
import contextlib
import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pandas as pd

from exp_assets.days import DayRange
from exp_assets.quoting import date_literal, ident, literal
from exp_assets.quoting import table as quoted_table
from exp_assets.sql import dialects
from exp_assets.sql.dialects import render

# One row per (table, day) written, in the same transaction as the write: tells
# later steps which partitions exist, when they were written and by which
# version of their definition (so stale snapshots are never built upon).
LEDGER_TABLE = "_partitions"
LEDGER_COLUMNS = ("table_name", "partition_date", "row_count", "code_version", "written_at")


class WarehouseBusy(RuntimeError):
    """The warehouse cannot serve this step right now, and nothing was changed:
    e.g. another process holds DuckDB's file lock for longer than lock_timeout,
    or BigQuery aborted the write's transaction for a concurrent one. Transient:
    the step may run again later (every write is idempotent)."""


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
    rows_by_day: dict[dt.date, int] = field(default_factory=dict)  # rows written per day of the window
    seconds: float = 0.0
    rows_scanned: dict[str, int] = field(default_factory=dict)  # table read -> rows
    bytes_scanned: int | None = None  # what a billed engine processed (DuckDB has no such figure)
    statements: list[str] = field(default_factory=list)  # every statement the step ran, in order
    columns: list[tuple[str, str]] = field(default_factory=list)  # the table's (name, type)
    # other tables the step wrote on the way (shared facts), each its own asset's materialization
    side_writes: list[WriteReport] = field(default_factory=list)

    @property
    def rows_written(self) -> int:
        return sum(self.rows_by_day.values())

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
        for day, rows in other.rows_by_day.items():
            self.rows_by_day[day] = self.rows_by_day.get(day, 0) + rows
        self.seconds += other.seconds
        self.statements += other.statements
        self.side_writes += other.side_writes
        for name, rows in other.rows_scanned.items():
            self.rows_scanned[name] = self.rows_scanned.get(name, 0) + rows
        if other.bytes_scanned is not None:
            self.bytes_scanned = (self.bytes_scanned or 0) + other.bytes_scanned

    def rows_scanned_outside(self, schema: str) -> int:
        """Rows read from tables outside `schema` (i.e. the raw sources)."""
        prefix = f".{schema}."
        return sum(n for t, n in self.rows_scanned.items() if not f".{t}".startswith(prefix))


class _HeldLedger:
    """A table's ledger rows as a session read them, ordered by day: a window of
    them is a slice (steps ask about windows of the same tables hundreds of
    times a run; a boolean mask each time cost 8 times as much)."""

    def __init__(self, rows: pd.DataFrame):
        self.rows, self._days = rows, rows["partition_date"].tolist()

    def between(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        first, end_at = bisect.bisect_left(self._days, start), bisect.bisect_left(self._days, end)
        return self.rows.iloc[first:end_at].reset_index(drop=True)


class Warehouse(abc.ABC):
    """execute SQL inside the warehouse; bring back only small, group-level results."""

    dialect: str
    output_schema: str
    # Days of running totals (unit_totals) one statement builds over a long
    # window: several days are a running window over units x days, which cloud
    # warehouses spill or spread out; fewer statements save round trips and
    # per-query charges. Each statement is atomic for its days.
    running_total_days_per_write: int = 7
    # Whether an aggregate with about a group per source row (the presence checks'
    # duplicate count) is written as one aggregate per day, in one statement. On
    # DuckDB a day's hash table stays in the CPU caches (30 days of 1M units' page
    # views 3.8 -> 2.1 s); elsewhere a day's part could bill a scan of a whole
    # table that is not partitioned by day.
    groups_rows_per_day: bool = False
    # Whether execute_transaction runs any statements (DDL included) in one
    # transaction; Snowflake commits DDL implicitly, BigQuery allows none in one.
    runs_maintenance_transactions: bool = False

    # A session's ledger reads, per table, until the session writes that table
    # (None: no session). A run's steps ask about the same tables many times;
    # on Snowflake and BigQuery each ask was a query (and a new connection).
    _ledger: dict[str, _HeldLedger | None] | None = None
    _ledger_exists = False  # seen in this session (a write creates it, nothing drops it)
    # The session's connection (None: none held): every statement inside a session uses it.
    _held: object | None = None
    # Whether this session created (or found) the output schema and the ledger
    # table: engines that cannot create them inside a write's transaction do it once.
    _output_ready = False
    # The output schema's tables, as this session listed them once and then wrote them
    # (None: not listed yet), for engines whose table listing is dearer than a set lookup.
    _tables: set[str] | None = None
    # Shared facts (exp_assets.shared_facts) written at or after this moment (UTC) are
    # reused, older ones rewritten first: a Dagster run sets it to when it was requested,
    # so the runs requested together share; else each outermost session's start counts.
    reuse_since: dt.datetime | None = None
    _session_began: dt.datetime | None = None

    def reuses_written_since(self) -> dt.datetime:
        """The moment from which a written shared partition is reused as it is."""
        return self.reuse_since or self._session_began or dt.datetime.now(dt.timezone.utc)

    @contextlib.contextmanager
    def session(self):
        """Everything inside shares one connection (DuckDB opens its file per
        connection, Snowflake logs in per connection, BigQuery builds a client)
        and reads each table's ledger once: a run's steps go in one session.
        Sessions nest."""
        if self._ledger is not None:
            yield
            return
        with self._held_connection():
            self._ledger, self._ledger_exists = {}, False
            self._session_began = dt.datetime.now(dt.timezone.utc)
            try:
                yield
            finally:
                self._ledger = None

    def _new_connection(self) -> contextlib.AbstractContextManager:
        """A connection (or client) of the engine, closed when the context ends."""
        raise NotImplementedError

    @contextlib.contextmanager
    def _held_connection(self):
        with self._new_connection() as conn:
            self._held, self._output_ready, self._tables = conn, False, None
            try:
                yield
            finally:
                self._held, self._output_ready, self._tables = None, False, None

    @contextlib.contextmanager
    def _connection(self):
        """The session's connection, or a new one for this call."""
        if self._held is not None:
            yield self._held
            return
        with self._new_connection() as conn:
            yield conn

    def _forget_ledger(self, table: str | None = None) -> None:
        """After a write of `table` (None: of anything), its ledger is read again."""
        if self._ledger is not None:
            if table is None:
                self._ledger.clear()
            else:
                self._ledger.pop(table, None)

    @abc.abstractmethod
    def query(self, sql: str) -> pd.DataFrame:
        """Run a SELECT whose result is small (group-level) and return it."""

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
        began = time.perf_counter()
        self._forget_ledger(table)
        with self._window_write(table) as write:
            window = (start, end)
            if write.in_one_transaction:
                counts, fill = _insert_in_place(write, table, date_column, window, select_sql, frame), []
            else:
                counts, fill = _staged_fill(write, table, date_column, window, select_sql, frame)
            ledger = write.full(LEDGER_TABLE)
            write.atomically([
                *fill,
                f"DELETE FROM {ledger} "
                f"WHERE {write.quote('table_name')} = {dialects.string_literal(table, write.dialect)} "
                f"AND {write.quote('partition_date')} >= {_date(start)} AND {write.quote('partition_date')} < {_date(end)}",
                f"INSERT INTO {ledger} ({', '.join(write.quote(c) for c in LEDGER_COLUMNS)}) "
                f"VALUES {ledger_values(table, start, end, counts, version, write.dialect, write.now)}",
            ])
            write.report.rows_by_day = counts
        write.report.seconds = time.perf_counter() - began
        return write.report

    @abc.abstractmethod
    def _window_write(self, table: str) -> contextlib.AbstractContextManager[WindowWrite]:
        """The engine's strategy for one window write of `table`, with the
        output schema and the ledger table existing; staged tables are dropped
        when it ends."""

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
        self._forget_ledger()
        self.query(sql)

    def execute_transaction(self, statements: list[str]) -> None:
        """Run statements in one transaction (maintenance, e.g. `exp-assets cleanup --drop`)."""
        raise NotImplementedError(f"{type(self).__name__} cannot run DDL in a transaction")

    def forget_window(self, table: str, start: dt.date, end: dt.date) -> None:
        """Drop the ledger rows of `table` over [start, end), e.g. a window whose
        blocking check failed: its rows stay, but later steps treat the days as
        missing (they derive them from the raw sources) and the refresh reruns them."""
        self._forget_ledger(table)
        if self.table_exists(LEDGER_TABLE):
            self.execute(
                f"DELETE FROM {self._qualified(LEDGER_TABLE)} WHERE table_name = '{table}' "
                f"AND partition_date >= DATE '{start}' AND partition_date < DATE '{end}'"
            )

    def written_partitions(self, table: str, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Ledger rows (partition_date, row_count, code_version, written_at) of `table` in [start, end),
        by day (partition_date holds dates)."""
        if self._ledger is None:
            return self.ledger_rows([table], start, end).drop(columns="table_name")
        if table not in self._ledger:
            self._load_ledger(table)
        held = self._ledger.get(table)
        if held is None:  # no partition of it written yet
            return pd.DataFrame(columns=list(LEDGER_COLUMNS[1:]))
        return held.between(start, end)

    def _load_ledger(self, table: str) -> None:
        """Into the session's ledger reads: those of `table` and, on a session's
        first read, of every table sharing its first name segment (the
        experiment's other tables), in one query; after a write, only the table
        written (and any whose name begins with its name) is read again."""
        prefix = table if self._ledger else table.split("_", 1)[0]
        frame = pd.DataFrame(columns=list(LEDGER_COLUMNS))
        self._ledger_exists = self._ledger_exists or self.table_exists(LEDGER_TABLE)
        if self._ledger_exists:
            frame = self.query(
                f"SELECT {', '.join(LEDGER_COLUMNS)} FROM {self._qualified(LEDGER_TABLE)} "
                f"WHERE starts_with(table_name, {literal(prefix)}) ORDER BY table_name, partition_date")
        frame["partition_date"] = pd.to_datetime(frame["partition_date"]).dt.date
        names = frame.pop("table_name").tolist()
        # the rows come ordered by table: each table's are one slice (a groupby made a frame per table
        # at several times the cost, for every experiment's tables on a session's first read)
        first = 0
        for last in range(1, len(names) + 1):
            if last == len(names) or names[last] != names[first]:
                self._ledger[names[first]] = _HeldLedger(frame.iloc[first:last].reset_index(drop=True))
                first = last
        self._ledger.setdefault(table, None)

    def ledger_rows(self, tables: list[str], start: dt.date, end: dt.date) -> pd.DataFrame:
        """Ledger rows (table_name, partition_date, row_count, code_version, written_at)
        of `tables` in [start, end), in one query."""
        columns = ["table_name", "partition_date", "row_count", "code_version", "written_at"]
        if not tables or not self.table_exists(LEDGER_TABLE):
            return pd.DataFrame(columns=columns)
        names = ", ".join(literal(t) for t in tables)
        frame = self.query(
            f"SELECT {', '.join(columns)} FROM {self._qualified(LEDGER_TABLE)} WHERE table_name IN ({names}) "
            f"AND partition_date >= {date_literal(start)} AND partition_date < {date_literal(end)} "
            "ORDER BY table_name, partition_date"
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

    def _qualified(self, table: str, schema: str | None = None) -> str:
        """`table` of the output schema (or `schema`) in DuckDB SQL (what `render` translates)."""
        return quoted_table(schema or self.output_schema, table)

    @staticmethod
    def quote(name: str) -> str:
        """`name` as a quoted identifier in the engine's own SQL (DuckDB's here)."""
        return ident(name)

    def _full(self, table: str) -> str:
        """`table` of the output schema, qualified and quoted in the engine's own SQL."""
        return f"{self.quote(self.output_schema)}.{self.quote(table)}"

    def read_table(self, table: str, schema: str | None = None) -> pd.DataFrame:
        """Every row of a table (of the output schema unless `schema`): tests and the demo."""
        return self.query(f"SELECT * FROM {self._qualified(table, schema)}")


class WindowWrite(abc.ABC):
    """What `Warehouse.replace_window` needs of an engine for one write: how to
    run a statement, stage rows (or insert them in place), read columns, and
    make statements atomic."""

    dialect: str
    now: str  # SQL of the current timestamp, for the ledger's written_at
    report: WriteReport
    _warehouse: Warehouse  # the adapter whose table this write replaces

    @abc.abstractmethod
    def run(self, sql: str) -> list[tuple]:
        """Run one statement (in the engine's dialect); its rows."""

    def quote(self, name: str) -> str:
        """`name` as a quoted identifier."""
        return self._warehouse.quote(name)

    def full(self, table: str) -> str:
        """`table` of the output schema, qualified and quoted."""
        return self._warehouse._full(table)

    def stage(self, select_sql: str, frame: pd.DataFrame | None) -> str:
        """Stage the rows of `select_sql` (DuckDB SQL that may read `frame` as
        `_frame`); the staged table's name, as SQL."""
        raise NotImplementedError

    def stage_columns(self) -> list[tuple[str, str]]:
        """(name, engine column type) of the staged rows."""
        raise NotImplementedError

    @abc.abstractmethod
    def table_columns(self, table: str) -> list[str] | None:
        """Column names of `table` in the output schema; None if it does not exist."""

    @abc.abstractmethod
    def create_table(self, table: str, date_column: str, rows: str) -> list[str]:
        """Create `table` for the columns of `rows` (the staged table, or the
        SELECT in place); the statements that then fill it with those rows, run
        atomically with the ledger's (the last one inserts them)."""

    # Whether the strategy runs the whole write in one transaction (DuckDB): then
    # the SELECT inserts into the table directly (`rows`, `select_columns`, `fill`)
    # instead of being staged (`stage`, `stage_columns`).
    in_one_transaction: bool = False

    def rows(self, select_sql: str, frame: pd.DataFrame | None) -> str:
        """`select_sql` (which may read `frame` as `_frame`) as a relation to insert from."""
        raise NotImplementedError

    def select_columns(self, select_sql: str) -> list[tuple[str, str]]:
        """(name, engine column type) of the rows of `select_sql`, reading none."""
        raise NotImplementedError

    def fill(self, statement: str) -> int:
        """Run the statement that inserts the SELECT's rows (reporting what it scanned); the rows it wrote."""
        raise NotImplementedError

    @abc.abstractmethod
    def atomically(self, statements: list[str]) -> None:
        """Run `statements` so that all or none of them take effect (the
        strategy): delete+insert in one transaction, or one transaction script."""


def _in_window(write: WindowWrite, date_column: str, window: tuple[dt.date, dt.date]) -> str:
    col = write.quote(date_column)
    return f"{col} >= {_date(window[0])} AND {col} < {_date(window[1])}"


def _prepared_fill(write: WindowWrite, table: str, date_column: str, window: tuple[dt.date, dt.date],
                   columns: list[tuple[str, str]], rows: str) -> list[str]:
    """The statements that replace the window of `table` by `rows` (a relation
    with `columns`, name and type): after evolving the table's schema to them,
    delete the window and insert; or create the table if there is none yet."""
    existing = write.table_columns(table)
    if existing is None:
        return write.create_table(table, date_column, rows)
    in_window, col = _in_window(write, date_column, window), write.quote(date_column)
    _evolve_schema(write, table, columns, existing, f"NOT ({in_window}) OR {col} IS NULL")
    names = ", ".join(write.quote(name) for name, _ in columns)
    return [f"DELETE FROM {write.full(table)} WHERE {in_window}",
            f"INSERT INTO {write.full(table)} ({names}) SELECT {names} FROM {rows}"]


def _staged_fill(write: WindowWrite, table: str, date_column: str, window: tuple[dt.date, dt.date],
                 select_sql: str, frame: pd.DataFrame | None) -> tuple[dict[dt.date, int], list[str]]:
    """Stage the rows, check their days, and return them per day with the
    statements that move them into the table (run atomically with the ledger's)."""
    stage = write.stage(select_sql, frame)
    col = write.quote(date_column)
    counts = check_window(write.report.table, date_column, *window,
                          write.run(f"SELECT {col}, COUNT(*) FROM {stage} GROUP BY {col}"))
    return counts, _prepared_fill(write, table, date_column, window, write.stage_columns(), stage)


def _insert_in_place(write: WindowWrite, table: str, date_column: str, window: tuple[dt.date, dt.date],
                     select_sql: str, frame: pd.DataFrame | None) -> dict[dt.date, int]:
    """Where the whole write is one transaction, the SELECT goes straight into
    the table and its days are checked there (staging would write every row
    twice); rows outside the window raise, and the transaction rolls back. The
    SELECT runs after the window's rows are deleted, which is safe because no
    step reads its own table inside the window it writes (it builds on the
    days before)."""
    rows = write.rows(select_sql, frame)
    col = write.quote(date_column)
    fill = _prepared_fill(write, table, date_column, window, write.select_columns(select_sql), rows)
    for statement in fill[:-1]:
        write.run(statement)
    inserted = write.fill(fill[-1])
    target = write.full(table)
    day_counts = write.run(f"SELECT {col}, COUNT(*) FROM {target} WHERE {_in_window(write, date_column, window)} "
                           f"GROUP BY {col}")
    outside = inserted - sum(n for _, n in day_counts)
    return check_window(write.report.table, date_column, *window, [*day_counts, (None, outside)])


def _evolve_schema(write: WindowWrite, table: str, staged: list[tuple[str, str]], existing: list[str],
                   outside_window: str) -> None:
    """The schema-evolution rule. A definition that gained a column (e.g. a new
    metric) extends the table; older partitions hold NULL there until they are
    re-materialized. A column the definition no longer produces (e.g. a removed
    metric) is dropped once no row outside the window holds a value in it: the
    last write of a full refresh (one window, or a day or a week at a time)
    leaves the table equal to a fresh build, while a partial window keeps it as
    long as older rows still hold values."""
    target = write.full(table)
    for name, sql_type in staged:
        if name not in existing:
            write.run(f"ALTER TABLE {target} ADD COLUMN {write.quote(name)} {sql_type}")
    staged_names = {name for name, _ in staged}
    stale = [name for name in existing if name not in staged_names]
    if not stale:
        return
    values_outside = write.run(
        f"SELECT {', '.join(f'COUNT({write.quote(name)})' for name in stale)} FROM {target} WHERE {outside_window}"
    )[0]
    for name, values in zip(stale, values_outside):
        if not values:
            write.run(f"ALTER TABLE {target} DROP COLUMN {write.quote(name)}")


def _date(day: dt.date) -> str:
    return f"DATE '{day.isoformat()}'"


def check_window(table: str, date_column: str, start: dt.date, end: dt.date,
                 day_counts: Iterable[tuple[object, int]]) -> dict[dt.date, int]:
    """Staged rows per day, after checking every day is inside [start, end)."""
    counts: dict[dt.date, int] = {}
    outside = 0
    for day, n in day_counts:
        day = _as_date(day)
        if day is None or not start <= day < end:
            outside += int(n)
        else:
            counts[day] = counts.get(day, 0) + int(n)
    if outside:
        raise ValueError(f"{table}: {outside} rows have {date_column} outside [{start}, {end}); nothing was written")
    return counts


def _as_date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def ledger_values(table: str, start: dt.date, end: dt.date, counts: dict[dt.date, int], version: str,
                  dialect: str, now_sql: str) -> str:
    """VALUES rows (table_name, partition_date, row_count, code_version, written_at) for every day of the window."""
    rows = []
    for day in DayRange(start, end).days:
        parts = [
            dialects.literal(table, "VARCHAR"), dialects.literal(day, "DATE"),
            dialects.literal(counts.get(day, 0), "BIGINT"), dialects.literal(version, "VARCHAR"),
        ]
        rows.append("(" + ", ".join(p.sql(dialect) for p in parts) + f", {now_sql})")
    return ", ".join(rows)
