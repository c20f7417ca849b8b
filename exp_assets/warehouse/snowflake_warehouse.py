"""Snowflake adapter: connections from dagster-snowflake's SnowflakeResource (or
any factory of Snowflake DB-API connections, e.g. fakesnow's).

A window is replaced atomically: the step's SELECT is staged in a temporary
table (session-scoped, in the output schema), checked to hold only days of the
window, and then one transaction deletes the window from the target and
inserts the staged rows, together with the ledger rows. Snowflake commits DDL
implicitly, so every CREATE/ALTER runs before the transaction begins. All
identifiers are quoted: the pipeline's tables and columns are lower case.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
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
    return dialects.literal(value, "VARCHAR").this.sql(DIALECT)


def _between(column: str, start: dt.date, end: dt.date) -> str:
    """`column` (a DATE) in [start, end)."""
    return (f"{column} >= {dialects.literal(start, 'DATE').sql(DIALECT)} "
            f"AND {column} < {dialects.literal(end, 'DATE').sql(DIALECT)}")


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


def snowflake_resource(config):
    """dagster-snowflake's SnowflakeResource for a `warehouse: {type: snowflake}`
    block: every credential is a dagster.EnvVar named by the block (so no value
    is in the YAML or in Dagster's run config); optional variables (role,
    warehouse, host/port/protocol of a non-default endpoint) only when set."""
    from dagster import EnvVar
    from dagster_snowflake import SnowflakeResource

    def is_set(name: str) -> bool:
        return bool(os.environ.get(name))

    args: dict[str, object] = {
        "account": EnvVar(config.account_env), "user": EnvVar(config.user_env), "database": config.database,
        "timezone": "UTC",  # partition days are UTC days, also for TIMESTAMP_LTZ / _TZ sources
    }
    if is_set(config.private_key_path_env) and not is_set(config.password_env):
        args["private_key_path"] = EnvVar(config.private_key_path_env)
    else:  # unset, it fails on first use with a message naming the variable
        args["password"] = EnvVar(config.password_env)
    if is_set(config.role_env):
        args["role"] = EnvVar(config.role_env)
    if is_set(config.warehouse_env):
        args["warehouse"] = EnvVar(config.warehouse_env)
    endpoint = {}
    if is_set(config.host_env):
        endpoint["host"] = os.environ[config.host_env]
    if is_set(config.port_env):
        endpoint["port"] = int(os.environ[config.port_env])
    if is_set(config.protocol_env):
        endpoint["protocol"] = os.environ[config.protocol_env]
    if endpoint:
        args["additional_snowflake_connection_args"] = endpoint
    return SnowflakeResource(**args)


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

    def __init__(self, connect: Connect, output_schema: str):
        self._connect = connect
        self.output_schema = output_schema

    # -- reads ---------------------------------------------------------------------------

    def query(self, sql: str) -> pd.DataFrame:
        rendered = dialects.render(sql, DIALECT)
        with self._connect() as conn:
            cursor = conn.cursor()
            try:
                cursor.execute(rendered)
                columns = [d.name for d in cursor.description]
                numeric = [d.name for d in cursor.description if d.type_code in (0, 1)]  # FIXED, REAL
                return remote.result_frame(cursor.fetchall(), columns, numeric)
            finally:
                cursor.close()

    def columns(self, select_sql: str) -> list[tuple[str, str]]:
        from snowflake.connector.constants import FIELD_ID_TO_NAME

        rendered = dialects.render(f"SELECT * FROM ({select_sql}) AS q LIMIT 0", DIALECT)
        with self._connect() as conn:
            cursor = conn.cursor()
            try:
                cursor.execute(rendered)
                return [(d.name, FIELD_ID_TO_NAME.get(d.type_code, str(d.type_code))) for d in cursor.description]
            finally:
                cursor.close()

    def table_exists(self, table: str) -> bool:
        return self._exists(self.output_schema, table)

    def _exists(self, schema: str, table: str) -> bool:
        with self._connect() as conn:
            cursor = conn.cursor()
            try:
                cursor.execute(
                    "SELECT COUNT(*) FROM information_schema.tables "
                    f"WHERE table_schema = {_str(schema)} AND table_name = {_str(table)}"
                )
                return int(cursor.fetchone()[0]) > 0
            finally:
                cursor.close()

    # -- the atomic window write ------------------------------------------------------------

    def replace_window(self, table, date_column, start, end, select_sql, version, frame=None):
        report = remote.EngineWriteReport(table=f"{self.output_schema}.{table}")
        schema, target, ledger = _q(self.output_schema), self._full(table), self._full(LEDGER_TABLE)
        col = _q(date_column)
        suffix = remote.token()
        stage, frame_table = f"_stage_{suffix}", f"_frame_{suffix}"
        began = time.perf_counter()
        with self._connect() as conn:
            cursor = conn.cursor()

            def run(sql: str, record: bool = False):
                cursor.execute(sql)
                if cursor.sfqid:
                    report.query_ids.append(cursor.sfqid)
                if record:
                    report.statements.append(sql)
                return cursor

            try:
                if not run("SELECT COUNT(*) FROM information_schema.schemata "
                           f"WHERE schema_name = {_str(self.output_schema)}").fetchone()[0]:
                    run(f"CREATE SCHEMA IF NOT EXISTS {schema}")  # needs CREATE SCHEMA only the first time
                run(f"USE SCHEMA {schema}")  # temporary tables live in the output schema
                run(
                    f"CREATE TABLE IF NOT EXISTS {ledger} (\"table_name\" VARCHAR, \"partition_date\" DATE, "
                    "\"row_count\" BIGINT, \"code_version\" VARCHAR, \"written_at\" TIMESTAMP_TZ)"
                )
                renames = {}
                if frame is not None:
                    columns = remote.frame_columns(frame)
                    run(dialects.create_table_sql(_q(frame_table), columns, DIALECT)
                        .replace("CREATE TABLE", "CREATE TEMPORARY TABLE", 1))
                    for insert in _json_inserts(_q(frame_table), columns, frame):
                        run(insert)
                    renames["_frame"] = _q(frame_table)
                select = dialects.render(select_sql, DIALECT, renames)
                run(f"CREATE TEMPORARY TABLE {_q(stage)} AS {select}", record=True)
                counts = remote.check_window(
                    report.table, date_column, start, end,
                    run(f"SELECT {col}, COUNT(*) FROM {_q(stage)} GROUP BY {col}").fetchall(),
                )
                report.rows_produced = sum(counts.values())
                stage_columns = [(d.name, _column_type(d)) for d in
                                 run(f"SELECT * FROM {_q(stage)} LIMIT 0").description]
                run(f"CREATE TABLE IF NOT EXISTS {target} AS SELECT * FROM {_q(stage)} LIMIT 0")
                self._add_missing_columns(run, table, stage_columns)
                names = ", ".join(_q(name) for name, _ in stage_columns)
                with transaction(run, begin="BEGIN"):
                    run(f"DELETE FROM {target} WHERE {_between(col, start, end)}")
                    written = run(f"INSERT INTO {target} ({names}) SELECT {names} FROM {_q(stage)}").rowcount
                    run(f"DELETE FROM {ledger} WHERE \"table_name\" = {_str(table)} AND "
                        f"{_between(_q('partition_date'), start, end)}")
                    values = remote.ledger_values(table, start, end, counts, version, DIALECT, "CURRENT_TIMESTAMP()")
                    run(f"INSERT INTO {ledger} ({', '.join(_q(c) for c in remote.LEDGER_COLUMNS)}) VALUES {values}")
            finally:
                for name in (stage, frame_table):
                    try:
                        cursor.execute(f"DROP TABLE IF EXISTS {_q(name)}")
                    except Exception:  # the session ends anyway, and temporary tables with it
                        pass
                cursor.close()
        report.rows_written = int(written if written is not None and written >= 0 else report.rows_produced)
        report.seconds = time.perf_counter() - began
        return report

    def _add_missing_columns(self, run, table: str, stage_columns: list[tuple[str, str]]) -> None:
        """A definition that gained a column extends the table (NULL in older partitions)."""
        existing = {r[0] for r in run(
            "SELECT column_name FROM information_schema.columns "
            f"WHERE table_schema = {_str(self.output_schema)} AND table_name = {_str(table)}"
        ).fetchall()}
        for name, sql_type in stage_columns:
            if name not in existing:
                run(f"ALTER TABLE {self._full(table)} ADD COLUMN {_q(name)} {sql_type}")

    def _full(self, table: str) -> str:
        return f"{_q(self.output_schema)}.{_q(table)}"

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
        with self._connect() as conn:
            cursor = conn.cursor()
            try:
                cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {_q(schema)}")
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
                cursor.execute(dialects.create_table_sql(name, columns, DIALECT))
                for insert in _json_inserts(name, columns, frame):
                    cursor.execute(insert)
            finally:
                cursor.close()

    def read_table(self, table: str, schema: str | None = None) -> pd.DataFrame:
        return self.query(f'SELECT * FROM "{schema or self.output_schema}"."{table}"')

    def tables(self) -> list[str]:
        """Names of the tables in the output schema."""
        with self._connect() as conn:
            cursor = conn.cursor()
            try:
                cursor.execute(
                    "SELECT table_name FROM information_schema.tables "
                    f"WHERE table_schema = {_str(self.output_schema)} ORDER BY table_name"
                )
                return [r[0] for r in cursor.fetchall()]
            finally:
                cursor.close()
