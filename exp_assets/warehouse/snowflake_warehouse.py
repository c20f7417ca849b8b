"""Snowflake adapter: connections from any factory of Snowflake DB-API
connections (dagster-snowflake's SnowflakeResource.get_connection, fakesnow's).

A window is replaced atomically: the step's SELECT is staged in a temporary
table (session-scoped, in the output schema), checked to hold only days of the
window, and then one transaction deletes the window from the target and
inserts the staged rows, together with the ledger rows. Snowflake commits DDL
implicitly, so every CREATE/ALTER runs before the transaction begins. All
identifiers are quoted: the pipeline's tables and columns are lower case.

Each connection is a login: inside a `session()` (a
run's steps) every statement uses one connection, and the output schema, its
USE SCHEMA and the ledger table are made ready once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pandas as pd
from sqlglot import exp

from exp_assets.sql import dialects
from exp_assets.warehouse import remote
from exp_assets.warehouse.base import LEDGER_TABLE, Warehouse, transaction

Connect = Callable[[], AbstractContextManager]

DIALECT = "snowflake"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _str(value: str) -> str:
    return dialects.string_literal(value, DIALECT)


# Snowflake's type codes (snowflake.connector.constants.FIELD_TYPES) -> column types
_TYPE_CODES = {
    1: "FLOAT", 2: "VARCHAR", 3: "DATE", 4: "TIMESTAMP_NTZ", 6: "TIMESTAMP_LTZ", 7: "TIMESTAMP_TZ",
    8: "TIMESTAMP_NTZ", 13: "BOOLEAN",
}


def _column_type(description) -> str:
    code = description.type_code
    if code == 0:  # FIXED
        precision, scale = description.precision or 38, description.scale or 0
        return f"NUMBER({precision}, {scale})"
    return _TYPE_CODES.get(code, "VARIANT")


_JSON_TYPES = {"DOUBLE": "DOUBLE", "BIGINT": "BIGINT", "BOOLEAN": "BOOLEAN", "DATE": "DATE",
               "TIMESTAMP": "TIMESTAMP_NTZ", "VARCHAR": "VARCHAR"}


def _json_inserts(table: str, columns: list[tuple[str, str]], frame: pd.DataFrame) -> list[str]:
    """INSERT ... SELECT from one JSON string literal per batch of rows (PARSE_JSON
    + FLATTEN): no stage or bulk loader needed, and a statement of a few nodes
    however many rows (literal VALUES lists are slow to compile, for fakesnow too)."""
    names = ", ".join(_q(c) for c, _ in columns)
    values = ", ".join(f'"r".value:{_q(c)}::{_JSON_TYPES[t]}' for c, t in columns)
    return [
        f"INSERT INTO {table} ({names}) SELECT {values} "
        f"FROM TABLE(FLATTEN(INPUT => PARSE_JSON({exp.Literal.string(text).sql(DIALECT)}))) AS \"r\""
        for text in remote.json_batches(columns, frame)
    ]


class SnowflakeWarehouse(Warehouse):
    dialect = DIALECT
    quote = staticmethod(_q)  # identifiers in the engine's own SQL

    def __init__(self, connect: Connect, output_schema: str):
        self._connect = connect
        self.output_schema = output_schema

    def _new_connection(self):
        return self._connect()  # a login: a session logs in once

    # -- reads ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _cursor(self):
        """A cursor of the session's connection (or of a new one), closed after use."""
        with self._connection() as conn:
            cursor = conn.cursor()
            try:
                yield cursor
            finally:
                cursor.close()

    def query(self, sql: str) -> pd.DataFrame:
        rendered = dialects.render(sql, DIALECT)
        with self._cursor() as cursor:
            cursor.execute(rendered)
            columns = [d.name for d in cursor.description]
            numeric = [d.name for d in cursor.description if d.type_code in (0, 1)]  # FIXED, REAL
            return remote.result_frame(cursor.fetchall(), columns, numeric)

    def columns(self, select_sql: str) -> list[tuple[str, str]]:
        from snowflake.connector.constants import FIELD_ID_TO_NAME

        rendered = dialects.render(f"SELECT * FROM ({select_sql}) AS q LIMIT 0", DIALECT)
        with self._cursor() as cursor:
            cursor.execute(rendered)
            return [(d.name, FIELD_ID_TO_NAME.get(d.type_code, str(d.type_code))) for d in cursor.description]

    def table_exists(self, table: str) -> bool:
        return self._exists(self.output_schema, table)

    def _exists(self, schema: str, table: str) -> bool:
        with self._cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM information_schema.tables "
                f"WHERE table_schema = {_str(schema)} AND table_name = {_str(table)}"
            )
            return int(cursor.fetchone()[0]) > 0

    # -- the atomic window write ------------------------------------------------------------

    @contextlib.contextmanager
    def _window_write(self, table: str) -> Iterator[_SnowflakeWrite]:
        """Strategy: DDL first (Snowflake commits DDL implicitly), then the
        delete+insert of the table and its ledger rows in one transaction."""
        schema = _q(self.output_schema)
        with self._connection() as conn:
            write = _SnowflakeWrite(self, conn.cursor(), remote.EngineWriteReport(table=f"{self.output_schema}.{table}"))
            try:
                if not self._output_ready:  # once a session (its one connection keeps the USE SCHEMA)
                    if not write.run("SELECT COUNT(*) FROM information_schema.schemata "
                                     f"WHERE schema_name = {_str(self.output_schema)}")[0][0]:
                        write.run(f"CREATE SCHEMA IF NOT EXISTS {schema}")  # needs CREATE SCHEMA only the first time
                    write.run(f"USE SCHEMA {schema}")  # temporary tables live in the output schema
                    write.run(
                        f"CREATE TABLE IF NOT EXISTS {self._full(LEDGER_TABLE)} (\"table_name\" VARCHAR, "
                        "\"partition_date\" DATE, \"row_count\" BIGINT, \"code_version\" VARCHAR, \"written_at\" TIMESTAMP_TZ)"
                    )
                    self._output_ready = self._held is not None
                yield write
                write.report.rows_produced = write.report.rows_written  # what Snowflake reports as a cost figure
            finally:
                write.close()

    # -- helpers for loading and reading whole tables (tests, demo data) ---------------------

    def load_table(self, schema: str, table: str, frame: pd.DataFrame, timestamp: str | None = None) -> None:
        """Create (replace) `schema.table` from a pandas frame, with SQL INSERTs
        (no stage or bulk loader needed, so it works against fakesnow's server too).
        `timestamp` is accepted for symmetry with BigQuery: rows inserted in time
        order already give Snowflake micro-partitions that prune by day."""
        if timestamp is not None:
            frame = frame.sort_values(timestamp, kind="stable")
        columns = remote.frame_columns(frame)
        name = f"{_q(schema)}.{_q(table)}"
        with self._cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {_q(schema)}")
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(dialects.create_table_sql(name, columns, DIALECT))
            for insert in _json_inserts(name, columns, frame):
                cursor.execute(insert)

    def tables(self) -> list[str]:
        """Names of the tables in the output schema."""
        with self._cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                f"WHERE table_schema = {_str(self.output_schema)} ORDER BY table_name"
            )
            return [r[0] for r in cursor.fetchall()]


class _SnowflakeWrite(remote.StagedWrite):
    dialect = DIALECT
    now = "CURRENT_TIMESTAMP()"

    def __init__(self, warehouse: SnowflakeWarehouse, cursor, report: remote.EngineWriteReport):
        super().__init__(warehouse, report)
        self._cursor = cursor

    def _execute(self, sql: str):
        self._cursor.execute(sql)
        if self._cursor.sfqid:
            self.report.query_ids.append(self._cursor.sfqid)
        return self._cursor

    def run(self, sql: str) -> list[tuple]:
        cursor = self._execute(sql)
        return cursor.fetchall() if cursor.description else []

    def stage(self, select_sql: str, frame: pd.DataFrame | None) -> str:
        renames = {}
        if frame is not None:
            columns = remote.frame_columns(frame)
            self._temporary.append(self._frame)
            self.run(dialects.create_table_sql(_q(self._frame), columns, DIALECT)
                     .replace("CREATE TABLE", "CREATE TEMPORARY TABLE", 1))
            for insert in _json_inserts(_q(self._frame), columns, frame):
                self.run(insert)
            renames["_frame"] = _q(self._frame)
        statement = f"CREATE TEMPORARY TABLE {_q(self._stage)} AS {dialects.render(select_sql, DIALECT, renames)}"
        self.report.statements.append(statement)
        self._temporary.append(self._stage)
        self.run(statement)
        return _q(self._stage)

    def stage_columns(self) -> list[tuple[str, str]]:
        return [(d.name, _column_type(d)) for d in self._execute(f"SELECT * FROM {_q(self._stage)} LIMIT 0").description]

    def table_columns(self, table: str) -> list[str] | None:
        names = [r[0] for r in self.run(
            "SELECT column_name FROM information_schema.columns "
            f"WHERE table_schema = {_str(self._warehouse.output_schema)} AND table_name = {_str(table)} "
            "ORDER BY ordinal_position"
        )]
        return names or None

    def atomically(self, statements: list[str]) -> None:
        with transaction(self._execute, begin="BEGIN"):
            for sql in statements:
                self._execute(sql)

    def close(self) -> None:
        for name in self._temporary:
            try:
                self._cursor.execute(f"DROP TABLE IF EXISTS {_q(name)}")
            except Exception:  # the session ends anyway, and temporary tables with it
                pass
        self._cursor.close()
