"""BigQuery adapter: clients from any factory of google.cloud.bigquery clients
(e.g. dagster-gcp's BigQueryResource.get_client, or one for an emulator).

A window is replaced atomically: the step's SELECT is staged in a table of the
output dataset (with a one-day expiration, dropped after the write), checked
to hold only days of the window, and then one multi-statement transaction
deletes the window from the target (a table partitioned by day on its date
column, so the DELETE touches only the window's partitions) and inserts the
staged rows, together with the ledger rows. DDL runs before the transaction,
as BigQuery allows no DDL inside one. Every job's bytes processed and slot
time are added up in the write's report. Inside a `session()` (a run's steps)
one client serves every job, and the dataset and the ledger table are made
ready once (each is an API call or a job of its own).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pandas as pd
from google.cloud import bigquery

from exp_assets.sql import dialects
from exp_assets.warehouse import remote
from exp_assets.warehouse.base import LEDGER_TABLE, Warehouse, WarehouseBusy

DIALECT = "bigquery"

# BigQuery's legacy schema type names -> GoogleSQL column types
_SQL_TYPES = {
    "FLOAT": "FLOAT64", "FLOAT64": "FLOAT64", "INTEGER": "INT64", "INT64": "INT64", "BOOLEAN": "BOOL",
    "BOOL": "BOOL", "STRING": "STRING", "DATE": "DATE", "TIMESTAMP": "TIMESTAMP", "DATETIME": "DATETIME",
    "NUMERIC": "NUMERIC", "BIGNUMERIC": "BIGNUMERIC",
}
_NUMERIC = {"FLOAT", "FLOAT64", "INTEGER", "INT64", "NUMERIC", "BIGNUMERIC"}
_JSON_TYPES = {"DOUBLE": "FLOAT64", "BIGINT": "INT64", "BOOLEAN": "BOOL", "DATE": "DATE", "TIMESTAMP": "TIMESTAMP"}


def _q(name: str) -> str:
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


class BigQueryWarehouse(Warehouse):
    dialect = DIALECT
    quote = staticmethod(_q)  # identifiers in the engine's own SQL

    def __init__(self, client: Callable[[], AbstractContextManager[bigquery.Client]], output_schema: str,
                 location: str | None = None, emulator: bool = False):
        self._client = client
        self.output_schema = output_schema
        self.location = location
        # an emulator answers fast or not at all: no 10-minute retries of a 500
        self._emulator = emulator

    def _new_connection(self):
        return self._client()

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
        with self._connection() as client:
            rows, schema = self._run(client, rendered)
        numeric = [f.name for f in schema if f.field_type.upper() in _NUMERIC]
        return remote.result_frame(rows, [f.name for f in schema], numeric)

    def columns(self, select_sql: str) -> list[tuple[str, str]]:
        rendered = dialects.render(f"SELECT * FROM ({select_sql}) AS q LIMIT 0", DIALECT)
        with self._connection() as client:
            _, schema = self._run(client, rendered)
        return [(f.name, f.field_type) for f in schema]

    def table_exists(self, table: str) -> bool:
        from google.api_core.exceptions import NotFound

        with self._connection() as client:
            try:
                client.get_table(self._table_id(client, table))
                return True
            except NotFound:
                return False

    def _table_id(self, client: bigquery.Client, table: str) -> str:
        return f"{client.project}.{self.output_schema}.{table}"

    # -- the atomic window write ------------------------------------------------------------

    @contextmanager
    def _window_write(self, table: str) -> Iterator[_BigQueryWrite]:
        """Strategy: DDL as separate jobs (BigQuery allows none inside a
        transaction), then the delete+insert of the table and its ledger rows as
        one multi-statement transaction, one job. A MERGE would be one statement
        too, but only of one table: the ledger rows must commit with the rows."""
        with self._connection() as client:
            write = _BigQueryWrite(self, client, remote.EngineWriteReport(table=f"{self.output_schema}.{table}"))
            try:
                if not self._output_ready:  # once a session: each is an API call or a job
                    self._ensure_dataset(client, self.output_schema)
                    write.run(
                        f"CREATE TABLE IF NOT EXISTS {self._full(LEDGER_TABLE)} (table_name STRING, "
                        "partition_date DATE, row_count INT64, code_version STRING, written_at TIMESTAMP)"
                    )
                    self._output_ready = self._held is not None
                yield write
            finally:
                write.close()

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

    # -- helpers for loading and reading whole tables (tests, demo data) ---------------------

    def load_table(self, schema: str, table: str, frame: pd.DataFrame, timestamp: str | None = None) -> None:
        """Create (replace) `schema.table` from a pandas frame with SQL (works on the
        emulator); a `timestamp` column partitions it by day, as event tables usually are."""
        columns = remote.frame_columns(frame)
        definition = ", ".join(f"{_q(c)} {_JSON_TYPES.get(t, 'STRING')}" for c, t in columns)
        name = f"{_q(schema)}.{_q(table)}"
        partition = f" PARTITION BY DATE({_q(timestamp)})" if timestamp else ""
        with self._connection() as client:
            self._ensure_dataset(client, schema)
            self._run(client, f"CREATE OR REPLACE TABLE {name} ({definition}){partition}")
            self._insert_json(client, name, columns, frame)

    def tables(self) -> list[str]:
        """Names of the tables in the output dataset."""
        with self._connection() as client:
            return sorted(t.table_id for t in client.list_tables(f"{client.project}.{self.output_schema}"))


class _BigQueryWrite(remote.StagedWrite):
    dialect = DIALECT
    now = "CURRENT_TIMESTAMP()"
    _EXPIRES = "OPTIONS(expiration_timestamp=TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY))"

    def __init__(self, warehouse: BigQueryWarehouse, client: bigquery.Client, report: remote.EngineWriteReport):
        super().__init__(warehouse, report)
        self._client = client

    def run(self, sql: str) -> list[tuple]:
        return self._warehouse._run(self._client, sql, self.report)[0]

    def stage(self, select_sql: str, frame: pd.DataFrame | None) -> str:
        renames = {}
        if frame is not None:
            columns = remote.frame_columns(frame)
            definition = ", ".join(f"{_q(c)} {_JSON_TYPES.get(t, 'STRING')}" for c, t in columns)
            self._temporary.append(self._frame)
            self.run(f"CREATE TABLE {self.full(self._frame)} ({definition}) {self._EXPIRES}")
            self._warehouse._insert_json(self._client, self.full(self._frame), columns, frame, self.report)
            renames["_frame"] = f'"{self._warehouse.output_schema}"."{self._frame}"'
        statement = (f"CREATE TABLE {self.full(self._stage)} {self._EXPIRES} "
                     f"AS {dialects.render(select_sql, DIALECT, renames)}")
        self.report.statements.append(statement)
        self._temporary.append(self._stage)
        self.run(statement)
        return self.full(self._stage)

    def stage_columns(self) -> list[tuple[str, str]]:
        schema = self._client.get_table(self._warehouse._table_id(self._client, self._stage)).schema
        return [(f.name, _SQL_TYPES.get(f.field_type.upper(), f.field_type)) for f in schema]

    def table_columns(self, table: str) -> list[str] | None:
        from google.api_core.exceptions import NotFound

        try:
            if self._warehouse._emulator:  # its table metadata does not follow ALTER TABLE; its queries cost nothing
                schema = self._warehouse._run(self._client, f"SELECT * FROM {self.full(table)} LIMIT 0")[1]
            else:
                schema = self._client.get_table(self._warehouse._table_id(self._client, table)).schema
        except NotFound:
            return None
        return [f.name for f in schema]

    def _partitioning(self, date_column: str) -> str:
        # by day on its date column: a window's DELETE touches only its partitions
        return f" PARTITION BY {_q(date_column)}"

    def atomically(self, statements: list[str]) -> None:
        """One transaction script. BigQuery cancels one of two concurrent
        transactions that change the same table (the ledger is shared by every
        asset); the cancelled one changed nothing: WarehouseBusy, run it later."""
        script = "BEGIN TRANSACTION; " + "; ".join(statements) + "; COMMIT TRANSACTION;"
        try:
            self.run(script)
        except Exception as error:
            if _is_concurrent_update(error):
                raise WarehouseBusy(f"{self.report.table}: BigQuery aborted the write for a concurrent "
                                    f"transaction on the same table; nothing was written ({error})") from error
            raise

    def close(self) -> None:
        for name in self._temporary:
            self._client.delete_table(self._warehouse._table_id(self._client, name), not_found_ok=True)


def _is_concurrent_update(error: Exception) -> bool:
    """BigQuery's "Transaction is aborted due to concurrent update against table
    ..." (a 400 whose reason does not tell it from other bad requests)."""
    message = str(error).lower()
    return "concurrent update" in message or "transaction is aborted" in message
