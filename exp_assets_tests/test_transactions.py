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
import pytest

from exp_assets.warehouse import DuckDBWarehouse

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
