"""BigQuery adapter: clients from dagster-gcp's BigQueryResource (subclassed to
reach another endpoint, such as an emulator).

A window is replaced atomically: the step's SELECT is staged in a table of the
output dataset (with a one-day expiration, dropped after the write), checked
to hold only days of the window, and then one multi-statement transaction
deletes the window from the target (a table partitioned by day on its date
column, so the DELETE touches only the window's partitions) and inserts the
staged rows, together with the ledger rows. DDL runs before the transaction,
as BigQuery allows no DDL inside one. Every job's bytes processed and slot
time are added up in the write's report.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

import pandas as pd
from dagster_gcp import BigQueryResource
from google.cloud import bigquery
from pydantic import Field

from exp_assets.sql import dialects
from exp_assets.warehouse import remote
from exp_assets.warehouse.base import LEDGER_TABLE, Warehouse

DIALECT = "bigquery"

# BigQuery's legacy schema type names -> GoogleSQL column types
_SQL_TYPES = {
    "FLOAT": "FLOAT64", "FLOAT64": "FLOAT64", "INTEGER": "INT64", "INT64": "INT64", "BOOLEAN": "BOOL",
    "BOOL": "BOOL", "STRING": "STRING", "DATE": "DATE", "TIMESTAMP": "TIMESTAMP", "DATETIME": "DATETIME",
    "NUMERIC": "NUMERIC", "BIGNUMERIC": "BIGNUMERIC",
}
_NUMERIC = {"FLOAT", "FLOAT64", "INTEGER", "INT64", "NUMERIC", "BIGNUMERIC"}
_JSON_TYPES = {"DOUBLE": "FLOAT64", "BIGINT": "INT64", "BOOLEAN": "BOOL", "DATE": "DATE", "TIMESTAMP": "TIMESTAMP"}


class BigQueryEndpointResource(BigQueryResource):
    """dagster-gcp's BigQueryResource, plus an optional API endpoint: set, the
    client talks to it with anonymous credentials (a local BigQuery emulator)."""

    api_endpoint: str | None = Field(
        default=None, description="BigQuery API endpoint, e.g. http://127.0.0.1:9050 for an emulator"
    )

    def get_object_to_set_on_execution_context(self):
        # BigQueryResource's own hands a run's context an unstarted generator
        # (a plain function that yields); the resource itself is what adapters need.
        return self

    @contextmanager
    def get_client(self) -> Iterator[bigquery.Client]:
        if not self.api_endpoint:
            with super().get_client() as client:
                yield client
            return
        from google.api_core.client_options import ClientOptions
        from google.auth.credentials import AnonymousCredentials

        yield bigquery.Client(
            project=self.project, location=self.location, credentials=AnonymousCredentials(),
            client_options=ClientOptions(api_endpoint=self.api_endpoint),
        )


def bigquery_resource(config) -> BigQueryEndpointResource:
    """The resource for a `warehouse: {type: bigquery}` block: the project, and
    base64 service-account credentials if that variable is set, come from the
    environment through dagster.EnvVar; otherwise Google's application default
    credentials apply. An endpoint variable, when set, points at an emulator."""
    from dagster import EnvVar

    args: dict[str, object] = {"project": EnvVar(config.project_env)}
    if config.location:
        args["location"] = config.location
    if os.environ.get(config.credentials_env):
        args["gcp_credentials"] = EnvVar(config.credentials_env)
    if os.environ.get(config.endpoint_env):
        args["api_endpoint"] = os.environ[config.endpoint_env]
    return BigQueryEndpointResource(**args)


def _q(name: str) -> str:
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def _str(value: str) -> str:
    return dialects.literal(value, "VARCHAR").this.sql(DIALECT)


def _date(day: dt.date) -> str:
    return f"DATE '{day.isoformat()}'"


class BigQueryWarehouse(Warehouse):
    dialect = DIALECT

    def __init__(self, client: Callable[[], AbstractContextManager[bigquery.Client]], output_schema: str,
                 location: str | None = None, emulator: bool = False):
        self._client = client
        self.output_schema = output_schema
        self.location = location
        # an emulator answers fast or not at all: no 10-minute retries of a 500
        self._emulator = emulator

    @classmethod
    def for_client(cls, client: bigquery.Client, output_schema: str, location: str | None = None):
        """An adapter over one open client (what a Dagster run's context holds)."""
        endpoint = getattr(getattr(client, "_connection", None), "API_BASE_URL", "") or ""
        return cls(lambda: nullcontext(client), output_schema, location=location,
                   emulator=bool(endpoint) and "googleapis.com" not in endpoint)

    # -- jobs -------------------------------------------------------------------------------

    def _run(self, client: bigquery.Client, sql: str, report: remote.EngineWriteReport | None = None,
             params: list | None = None) -> tuple[list[tuple], list[bigquery.SchemaField]]:
        """Run one job; its rows and result schema. Its costs go into `report`."""
        config = bigquery.QueryJobConfig(query_parameters=params or [])
        retry = {}
        if self._emulator:
            from google.api_core.retry import Retry

            retry = {"retry": Retry(deadline=30)}
        job = client.query(sql, job_config=config, location=self.location,
                           **({"job_retry": None, **retry} if self._emulator else {}))
        result = job.result(**retry)
        rows = [tuple(r.values()) for r in result]
        if report is not None:
            report.query_ids.append(job.job_id)
            if job.total_bytes_processed is not None:
                report.bytes_scanned = (report.bytes_scanned or 0) + int(job.total_bytes_processed)
            if job.slot_millis is not None:
                report.slot_millis = (report.slot_millis or 0) + int(job.slot_millis)
        return rows, list(result.schema or [])

    # -- reads ------------------------------------------------------------------------------

    def query(self, sql: str) -> pd.DataFrame:
        rendered = dialects.render(sql, DIALECT)
        with self._client() as client:
            rows, schema = self._run(client, rendered)
        numeric = [f.name for f in schema if f.field_type.upper() in _NUMERIC]
        return remote.result_frame(rows, [f.name for f in schema], numeric)

    def columns(self, select_sql: str) -> list[tuple[str, str]]:
        rendered = dialects.render(f"SELECT * FROM ({select_sql}) AS q LIMIT 0", DIALECT)
        with self._client() as client:
            _, schema = self._run(client, rendered)
        return [(f.name, f.field_type) for f in schema]

    def table_exists(self, table: str) -> bool:
        from google.api_core.exceptions import NotFound

        with self._client() as client:
            try:
                client.get_table(self._table_id(client, table))
                return True
            except NotFound:
                return False

    def _table_id(self, client: bigquery.Client, table: str) -> str:
        return f"{client.project}.{self.output_schema}.{table}"

    # -- the atomic window write ------------------------------------------------------------

    def replace_window(self, table, date_column, start, end, select_sql, version, frame=None):
        report = remote.EngineWriteReport(table=f"{self.output_schema}.{table}")
        target, ledger, col = self._full(table), self._full(LEDGER_TABLE), _q(date_column)
        suffix = remote.token()
        stage, frame_table = f"_stage_{suffix}", f"_frame_{suffix}"
        expires = "OPTIONS(expiration_timestamp=TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY))"
        began = time.perf_counter()
        with self._client() as client:
            try:
                self._ensure_dataset(client, self.output_schema)
                self._run(client, (
                    f"CREATE TABLE IF NOT EXISTS {ledger} (table_name STRING, partition_date DATE, "
                    "row_count INT64, code_version STRING, written_at TIMESTAMP)"
                ), report)
                renames = {}
                if frame is not None:
                    columns = remote.frame_columns(frame)
                    definition = ", ".join(f"{_q(c)} {_JSON_TYPES.get(t, 'STRING')}" for c, t in columns)
                    self._run(client, f"CREATE TABLE {self._full(frame_table)} ({definition}) {expires}", report)
                    self._insert_json(client, self._full(frame_table), columns, frame, report)
                    renames["_frame"] = f'"{self.output_schema}"."{frame_table}"'
                select = dialects.render(select_sql, DIALECT, renames)
                statement = f"CREATE TABLE {self._full(stage)} {expires} AS {select}"
                report.statements.append(statement)
                self._run(client, statement, report)
                counts = remote.check_window(report.table, date_column, start, end, self._run(
                    client, f"SELECT {col}, COUNT(*) FROM {self._full(stage)} GROUP BY {col}", report)[0])
                stage_schema = client.get_table(self._table_id(client, stage)).schema
                self._run(client, (
                    f"CREATE TABLE IF NOT EXISTS {target} PARTITION BY {col} "
                    f"AS SELECT * FROM {self._full(stage)} LIMIT 0"
                ), report)
                self._add_missing_columns(client, table, stage_schema, report)
                names = ", ".join(_q(f.name) for f in stage_schema)
                in_window = f"{col} >= {_date(start)} AND {col} < {_date(end)}"
                values = remote.ledger_values(table, start, end, counts, version, DIALECT, "CURRENT_TIMESTAMP()")
                self._transaction(client, (
                    "BEGIN TRANSACTION; "
                    f"DELETE FROM {target} WHERE {in_window}; "
                    f"INSERT INTO {target} ({names}) SELECT {names} FROM {self._full(stage)}; "
                    f"DELETE FROM {ledger} WHERE table_name = {_str(table)} "
                    f"AND partition_date >= {_date(start)} AND partition_date < {_date(end)}; "
                    f"INSERT INTO {ledger} ({', '.join(remote.LEDGER_COLUMNS)}) VALUES {values}; "
                    "COMMIT TRANSACTION;"
                ), report)
            finally:
                for name in (stage, frame_table):
                    client.delete_table(self._table_id(client, name), not_found_ok=True)
        report.rows_written = sum(counts.values())
        report.seconds = time.perf_counter() - began
        return report

    def _transaction(self, client: bigquery.Client, script: str, report, attempts: int = 5) -> None:
        """Run a multi-statement transaction; BigQuery aborts one of two concurrent
        transactions on the same table (the ledger is shared by every asset), and
        an aborted transaction changed nothing, so it is run again."""
        for attempt in range(attempts):
            try:
                self._run(client, script, report)
                return
            except Exception as error:
                message = str(error).lower()
                if attempt == attempts - 1 or not ("concurrent update" in message or "transaction is aborted" in message):
                    raise
                time.sleep(min(30.0, 2.0 ** attempt))

    def _ensure_dataset(self, client: bigquery.Client, name: str) -> None:
        """Create the dataset if missing (needing bigquery.datasets.create only then)."""
        from google.api_core.exceptions import NotFound

        try:
            client.get_dataset(f"{client.project}.{name}")
        except NotFound:
            dataset = bigquery.Dataset(f"{client.project}.{name}")
            if self.location:
                dataset.location = self.location
            client.create_dataset(dataset, exists_ok=True)

    def _add_missing_columns(self, client, table: str, stage_schema, report) -> None:
        """A definition that gained a column extends the table (NULL in older partitions)."""
        existing = {f.name for f in client.get_table(self._table_id(client, table)).schema}
        for field in stage_schema:
            if field.name not in existing:
                sql_type = _SQL_TYPES.get(field.field_type.upper(), field.field_type)
                self._run(client, f"ALTER TABLE {self._full(table)} ADD COLUMN {_q(field.name)} {sql_type}", report)

    def _insert_json(self, client, table: str, columns, frame: pd.DataFrame, report=None) -> None:
        """Rows of a pandas frame into `table` as one JSON query parameter per batch
        (no bulk load job or storage API needed; a statement of a few nodes)."""
        names = ", ".join(_q(c) for c, _ in columns)
        values = ", ".join(
            f"CAST(JSON_VALUE(r, '$.{c}') AS {_JSON_TYPES[t]})" if t in _JSON_TYPES else f"JSON_VALUE(r, '$.{c}')"
            for c, t in columns
        )
        for text in remote.json_batches(columns, frame):
            self._run(client, f"INSERT INTO {table} ({names}) SELECT {values} FROM UNNEST(JSON_QUERY_ARRAY(@rows)) AS r",
                      report, [bigquery.ScalarQueryParameter("rows", "STRING", text)])

    def _full(self, table: str) -> str:
        return f"{_q(self.output_schema)}.{_q(table)}"

    # -- helpers for loading and reading whole tables (tests, demo data) ---------------------

    def load_table(self, schema: str, table: str, frame: pd.DataFrame, timestamp: str | None = None) -> None:
        """Create (replace) `schema.table` from a pandas frame with SQL (works on the
        emulator); a `timestamp` column partitions it by day, as event tables usually are."""
        columns = remote.frame_columns(frame)
        definition = ", ".join(f"{_q(c)} {_JSON_TYPES.get(t, 'STRING')}" for c, t in columns)
        name = f"{_q(schema)}.{_q(table)}"
        partition = f" PARTITION BY DATE({_q(timestamp)})" if timestamp else ""
        with self._client() as client:
            self._ensure_dataset(client, schema)
            self._run(client, f"CREATE OR REPLACE TABLE {name} ({definition}){partition}")
            self._insert_json(client, name, columns, frame)

    def read_table(self, table: str, schema: str | None = None) -> pd.DataFrame:
        return self.query(f'SELECT * FROM "{schema or self.output_schema}"."{table}"')

    def tables(self) -> list[str]:
        """Names of the tables in the output dataset."""
        with self._client() as client:
            return sorted(t.table_id for t in client.list_tables(f"{client.project}.{self.output_schema}"))
