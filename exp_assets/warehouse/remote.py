"""What the Snowflake and BigQuery adapters share: result rows as the frames
DuckDB would return, pandas frames as typed literal rows, the engines' cost
figures, and a window write that stages its rows first."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from exp_assets.sql import dialects
from exp_assets.warehouse.base import Warehouse, WindowWrite, WriteReport


@dataclass
class EngineWriteReport(WriteReport):
    """A WriteReport with what a cloud engine reports about its queries."""

    query_ids: list[str] = field(default_factory=list)
    rows_produced: int | None = None  # Snowflake: rows the staging query produced
    slot_millis: int | None = None  # BigQuery: slot time of the write's jobs

    def add(self, other: WriteReport) -> None:
        super().add(other)
        if isinstance(other, EngineWriteReport):  # a step's reads and writes: the engine's figures add up too
            self.query_ids += other.query_ids
            for name in ("rows_produced", "slot_millis"):
                if getattr(other, name) is not None:
                    setattr(self, name, (getattr(self, name) or 0) + getattr(other, name))

    def cost_metadata(self) -> dict[str, object]:
        """The engine's figures as materialization metadata (only those it reported)."""
        out: dict[str, object] = {}
        if self.bytes_scanned is not None:
            out["bytes_processed"] = int(self.bytes_scanned)
        if self.slot_millis is not None:
            out["slot_millis"] = int(self.slot_millis)
        if self.rows_produced is not None:
            out["rows_produced"] = int(self.rows_produced)
        if self.query_ids:
            out["query_ids"] = list(self.query_ids)
        return out


class StagedWrite(WindowWrite):
    """A window write that stages the SELECT's rows in a table of its own (named
    per write, dropped at its end: `_temporary`) before the atomic delete+insert."""

    def __init__(self, warehouse: Warehouse, report: EngineWriteReport):
        self._warehouse, self.report = warehouse, report
        suffix = token()
        self._stage, self._frame = f"_stage_{suffix}", f"_frame_{suffix}"
        self._temporary: list[str] = []  # the tables this write created

    def _partitioning(self, date_column: str) -> str:
        """The clause (after the table's name) that partitions a new table by day; none by default."""
        return ""

    def create_table(self, table: str, date_column: str, rows: str) -> list[str]:
        self.run(f"CREATE TABLE IF NOT EXISTS {self.full(table)}{self._partitioning(date_column)} "
                 f"AS SELECT * FROM {rows} LIMIT 0")
        names = ", ".join(self.quote(name) for name, _ in self.stage_columns())
        return [f"INSERT INTO {self.full(table)} ({names}) SELECT {names} FROM {rows}"]


def token() -> str:
    """A short unique suffix for staging tables."""
    return uuid.uuid4().hex[:12]


def result_frame(rows: Sequence[Sequence[object]], columns: Sequence[str],
                 numeric: Iterable[str] = ()) -> pd.DataFrame:
    """Rows fetched from a cloud engine as DuckDB's `.df()` would give them:
    integers as int64 (float64 with NULLs), decimals as numbers, dates and
    timestamps as datetime64; `numeric` columns (by the engine's result
    schema) with only NULLs as float64 NaN."""
    frame = pd.DataFrame.from_records(list(rows), columns=list(columns))
    numeric = set(numeric)
    for i, name in enumerate(columns):
        column = frame.iloc[:, i]
        if name in numeric and column.isna().all():
            frame.isetitem(i, column.astype("float64"))
        else:
            frame.isetitem(i, _column(column))
    return frame


def _column(series: pd.Series) -> pd.Series:
    values = [v for v in series if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not values or series.dtype != object:
        return series
    if all(isinstance(v, decimal.Decimal) for v in values):
        if all(v == v.to_integral_value() for v in values) and all(v.as_tuple().exponent >= 0 for v in values):
            values_int = [None if v is None else int(v) for v in series]
            return _ints(values_int, series)
        return pd.Series([np.nan if v is None else float(v) for v in series], index=series.index, dtype="float64")
    if all(isinstance(v, bool) for v in values):
        return series
    if all(isinstance(v, int) for v in values):
        return _ints(list(series), series)
    if all(isinstance(v, (int, float, decimal.Decimal)) and not isinstance(v, bool) for v in values):
        return pd.Series([np.nan if v is None else float(v) for v in series], index=series.index, dtype="float64")
    if all(isinstance(v, dt.datetime) for v in values):
        aware = {v.tzinfo is not None for v in values}
        if aware == {True}:
            return pd.to_datetime(series, utc=True)
        return pd.to_datetime(series)
    if all(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in values):
        return pd.to_datetime(series)
    return series


def _ints(values: list, series: pd.Series) -> pd.Series:
    if any(v is None for v in values):
        return pd.Series([np.nan if v is None else float(v) for v in values], index=series.index, dtype="float64")
    return pd.Series(values, index=series.index, dtype="int64")


def frame_columns(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """(column, DuckDB type) of a pandas frame about to be staged as a table."""
    return dialects.column_types(frame.columns, lambda name: [_python(v) for v in frame[name]])


def frame_rows(frame: pd.DataFrame) -> Iterable[list[object]]:
    for row in frame.itertuples(index=False, name=None):
        yield [_python(v) for v in row]


def _python(value: object) -> object:
    """numpy / pandas scalars as plain Python values (NaT / NA / NaN as None)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).to_pydatetime()
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def json_batches(columns: Sequence[tuple[str, str]], frame: pd.DataFrame, max_chars: int = 500_000) -> list[str]:
    """The frame's rows as JSON arrays of objects, each at most about `max_chars`
    long: dates and timestamps as ISO text, NaN as null, infinities as "inf"/"-inf"."""
    batches, batch, size = [], [], 0
    for row in frame_rows(frame):
        record = {name: _json_value(value) for (name, _), value in zip(columns, row)}
        text = json.dumps(record, separators=(",", ":"))
        if batch and size + len(text) > max_chars:
            batches.append("[" + ",".join(batch) + "]")
            batch, size = [], 0
        batch.append(text)
        size += len(text) + 1
    if batch:
        batches.append("[" + ",".join(batch) + "]")
    return batches


def _json_value(value: object) -> object:
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def copy_from_duckdb(warehouse, database: str, schema: str, timestamps: dict[str, str] | None = None) -> list[str]:
    """Copy every table of `schema` in a DuckDB file into `warehouse` (a Snowflake
    or BigQuery adapter) under the same schema and names, with SQL loads (so it
    works against fakesnow's server and the BigQuery emulator too); e.g. the demo's
    raw tables. `timestamps` names each table's timestamp column (partitioned by
    day on BigQuery). Returns the tables copied."""
    import duckdb

    timestamps = timestamps or {}
    with duckdb.connect(str(database), read_only=True) as conn:
        catalog = conn.execute("SELECT current_database()").fetchone()[0]
        names = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? AND table_schema = ? ORDER BY 1",
            [catalog, schema],
        ).fetchall()]
        for name in names:
            frame = conn.execute(f'SELECT * FROM "{catalog}"."{schema}"."{name}"').df()
            warehouse.load_table(schema, name, frame, timestamps.get(name))
    return names
