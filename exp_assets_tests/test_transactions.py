"""A transaction that fails keeps its root cause.

On a full disk DuckDB's COMMIT fails and ends the transaction; the ROLLBACK that
followed then failed with "cannot rollback - no transaction is active", and that
message replaced the real one ("No space left on device"). The error raised must
be the original, and the tables must be as they were.
"""

from __future__ import annotations

import contextlib
import datetime as dt

import duckdb
import pandas as pd
import pytest

from exp_assets.warehouse import DuckDBWarehouse, WriteReport

DISK_FULL = 'Could not write file "wh.duckdb.wal": No space left on device'
START, END = dt.date(2026, 1, 1), dt.date(2026, 1, 3)


class _FullDisk:
    """A DuckDB connection whose COMMIT fails the way a full disk makes it fail:
    the transaction is over (nothing written) and an IOException is raised."""

    def __init__(self, conn: duckdb.DuckDBPyConnection):
        self._conn = conn

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def execute(self, sql: str, *args):
        if sql.strip().upper() == "COMMIT":
            self._conn.execute("ROLLBACK")
            raise duckdb.IOException(DISK_FULL)
        self._conn.execute(sql, *args)
        return self._conn


def _warehouse(db, wrap=lambda conn: conn) -> DuckDBWarehouse:
    @contextlib.contextmanager
    def connect():
        conn = duckdb.connect(str(db))
        try:
            yield wrap(conn)
        finally:
            conn.close()

    return DuckDBWarehouse(connect, "exp")


def _tables(db) -> tuple[list, list]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return (conn.execute("SELECT * FROM exp.t ORDER BY ALL").fetchall(),
                conn.execute("SELECT table_name, partition_date, row_count, code_version "
                             "FROM exp._partitions ORDER BY ALL").fetchall())


def test_a_failed_commit_of_a_window_raises_its_cause_and_changes_nothing(tmp_path):
    db = tmp_path / "wh.duckdb"
    _warehouse(db).replace_window("t", "day", START, END, "SELECT DATE '2026-01-01' AS day, 1 AS x", "v1")
    before = _tables(db)
    full = _warehouse(db, _FullDisk)
    with pytest.raises(duckdb.IOException, match="No space left on device") as error:
        full.replace_window("t", "day", START, END, "SELECT DATE '2026-01-02' AS day, 2 AS x", "v2")
    # the rollback's own failure is kept as a note, not as the message
    assert any("no transaction is active" in note for note in getattr(error.value, "__notes__", []))
    assert _tables(db) == before


def test_a_failed_commit_of_a_maintenance_transaction_raises_its_cause(tmp_path):
    db = tmp_path / "wh.duckdb"
    _warehouse(db).replace_window("t", "day", START, END, "SELECT DATE '2026-01-01' AS day, 1 AS x", "v1")
    before = _tables(db)
    with pytest.raises(duckdb.IOException, match="No space left on device"):
        _warehouse(db, _FullDisk).execute_transaction(["DELETE FROM exp.t", "DELETE FROM exp._partitions"])
    assert _tables(db) == before


def test_the_transaction_helper_commits_or_rolls_back():
    """The helper every adapter with client-side transactions uses (DuckDB, Snowflake)."""
    from exp_assets.warehouse.base import transaction

    sent = []
    with transaction(sent.append):
        sent.append("work")
    assert sent == ["BEGIN TRANSACTION", "work", "COMMIT"]
    sent.clear()
    with pytest.raises(KeyError):
        with transaction(sent.append, begin="BEGIN"):
            raise KeyError("a statement failed")
    assert sent == ["BEGIN", "ROLLBACK"]


def _rows(wh) -> list[tuple]:
    frame = wh.query(f'SELECT * FROM "{wh.output_schema}"."t" ORDER BY day')
    frame["day"] = frame["day"].astype(str).str[:10]
    return sorted(frame.columns), [tuple(None if pd.isna(v) else v for v in row)
                                   for row in frame[sorted(frame.columns)].itertuples(index=False)]


def test_the_schema_evolution_rule_is_the_same_on_every_engine(engine):
    """A definition that gains a column extends the table (NULL in older rows);
    one that loses a column keeps it while rows outside the window hold values,
    and drops it once none does (a full refresh equals a fresh build)."""
    wh, _ = engine.setup({})
    day1 = "SELECT DATE '2026-01-01' AS day, 1 AS x"
    wh.replace_window("t", "day", START, END, f"{day1}, 10 AS old UNION ALL SELECT DATE '2026-01-02', 2, 20", "v1")
    # only day 2 rewritten, without `old`, with `new`: day 1 still holds `old`
    wh.replace_window("t", "day", END - dt.timedelta(days=1), END, "SELECT DATE '2026-01-02' AS day, 3 AS x, 30 AS new", "v2")
    assert _rows(wh) == (["day", "new", "old", "x"], [("2026-01-01", None, 10, 1), ("2026-01-02", 30, None, 3)])
    # the whole window rewritten: no row keeps a value in `old`
    wh.replace_window("t", "day", START, END, f"{day1}, 5 AS new UNION ALL SELECT DATE '2026-01-02', 3, 30", "v3")
    assert _rows(wh) == (["day", "new", "x"], [("2026-01-01", 5, 1), ("2026-01-02", 30, 3)])
    assert list(wh.written_partitions("t", START, END)["code_version"]) == ["v3", "v3"]


def test_a_bigquery_transaction_aborted_by_a_concurrent_one_is_warehouse_busy():
    """BigQuery cancels one of two concurrent transactions on a table; the
    adapter does not retry it (the asset layer does): one attempt, WarehouseBusy."""
    from exp_assets.warehouse import WarehouseBusy
    from exp_assets.warehouse.bigquery_warehouse import _BigQueryWrite

    attempts = []

    class _Aborting:
        def _run(self, client, sql, report):
            attempts.append(sql)
            raise RuntimeError("400 Query error: Transaction is aborted due to concurrent update against table p.exp._partitions")

    write = _BigQueryWrite(_Aborting(), client=None, report=WriteReport(table="exp.t"))
    with pytest.raises(WarehouseBusy, match="exp.t: BigQuery aborted the write for a concurrent transaction"):
        write.atomically(["DELETE FROM t WHERE true", "INSERT INTO t SELECT 1"])
    assert len(attempts) == 1 and attempts[0].startswith("BEGIN TRANSACTION; DELETE")


def test_a_session_creates_the_schema_and_ledger_once_and_forgets_what_a_rollback_undid(tmp_path):
    """A session creates the output schema and the ledger table in its first
    committed write only, and lists the schema's tables once; a first write that
    rolls back (a row outside its window) leaves neither believed to exist."""
    db = tmp_path / "wh.duckdb"
    sent = []

    class _Counting(_FullDisk):
        def execute(self, sql: str, *args):
            sent.append(sql)
            return self._conn.execute(sql, *args)

    wh = _warehouse(db, _Counting)
    with wh.session():
        with pytest.raises(ValueError, match="outside"):
            wh.replace_window("t", "day", START, END, "SELECT DATE '2026-02-01' AS day, 1 AS x", "v1")
        assert not wh.table_exists("t") and not wh.table_exists("_partitions")
        assert wh.written_partitions("t", START, END).empty  # the ledger is read as absent, not queried
        first = wh.replace_window("t", "day", START, END, "SELECT DATE '2026-01-01' AS day, 1 AS x", "v1")
        second = wh.replace_window("u", "day", START, END, "SELECT DATE '2026-01-02' AS day, 2 AS x", "v1")
        assert wh.table_exists("t") and wh.table_exists("u") and wh.table_exists("_partitions")
        assert list(wh.written_partitions("u", START, END)["row_count"]) == [0, 1]  # both days of the window
    # listed before the failed write, again after it (the rollback), and not for the writes after
    assert sum("duckdb_tables()" in s for s in sent) == 2
    assert sum("CREATE SCHEMA" in s for s in first.statements) == 1
    assert not any("CREATE SCHEMA" in s or "_partitions\" (table_name" in s for s in second.statements)
    second_day = START + dt.timedelta(days=1)
    assert _tables(db) == ([(START, 1)], [("t", START, 1, "v1"), ("t", second_day, 0, "v1"),
                                          ("u", START, 0, "v1"), ("u", second_day, 1, "v1")])
