"""Reads of the user's sources: only the columns a step needs, only the days it
covers (a predicate on the timestamp column, so engines prune other days)."""

from __future__ import annotations

from dataclasses import dataclass

from exp_assets.config.schema import ProjectConfig
from exp_assets.days import DayRange
from exp_assets.metrics import kind_of
from exp_assets.metrics.kind import SourceRows
from exp_assets.plan import ExperimentPlan
from exp_assets.config.fragments import parse_condition, parse_select, parse_table
from exp_assets.quoting import ident, literal, timestamp_literal


def relation(config: ProjectConfig, source_name: str) -> str:
    """The source as something to select FROM: a quoted table or a parenthesised SELECT."""
    source, dialect = config.sources[source_name], config.warehouse.type
    if source.table is not None:
        return parse_table(source.table, dialect).sql("duckdb", identify=True)
    return f"({parse_select(source.sql, dialect).sql('duckdb')})"


def condition(config: ProjectConfig, text: str) -> str:
    return parse_condition(text, config.warehouse.type).sql("duckdb")


def unit_id(column: str) -> str:
    """A source's unit id as text: sources may key the same units as integers in
    one table and strings in another, and text is the one type both compare in."""
    return f"CAST({column} AS VARCHAR)"


def utc_time(column: str) -> str:
    """A source's timestamp in the pipeline's one type, TIMESTAMP holding UTC
    wall time: naive columns are UTC by convention, time-zone-aware ones are
    converted (every connection works in UTC), nanosecond ones truncated to
    microseconds. Only in SELECT lists and joins: WHERE clauses compare the raw
    column, so engines can prune partitions on it."""
    return f"CAST({column} AS TIMESTAMP)"


def in_days(column: str, ranges: list[DayRange]) -> str:
    """`column` (a timestamp) falls in one of the day ranges; FALSE for none."""
    parts = [
        f"({column} >= {timestamp_literal(r.start)} AND {column} < {timestamp_literal(r.end)})"
        for r in ranges if r
    ]
    return " OR ".join(parts) if parts else "FALSE"


def exposures(plan: ExperimentPlan, ranges: list[DayRange]) -> str:
    """The experiment's exposures of configured variants in `ranges`:
    unit_id, variant, exposure_ts, exposure_date and the dimension columns."""
    src = plan.assignment_source
    ts = f"s.{ident(src.timestamp)}"
    dims = "".join(f", s.{ident(d)} AS {ident(d)}" for d in src.dimensions)
    return (
        f"SELECT {_unit_and_time(src, 'exposure')}, CAST(s.{ident(src.variant)} AS VARCHAR) AS variant{dims} "
        f"FROM {relation(plan.config, plan.experiment.assignment_source)} AS s "
        f"WHERE {_exposure_of(plan)} AND ({in_days(ts, ranges)}) AND s.{ident(src.unit_id)} IS NOT NULL"
    )


def _exposure_of(plan: ExperimentPlan) -> str:
    """Whether an assignment source's row `s` exposes a unit to the experiment, in a configured variant."""
    src = plan.assignment_source
    variants = ", ".join(literal(v) for v in plan.experiment.variants)
    return (f"s.{ident(src.experiment_id)} = {literal(plan.experiment.key)} "
            f"AND s.{ident(src.variant)} IN ({variants})")


def daily_first_exposures(config: ProjectConfig, source_name: str, plans: list[ExperimentPlan],
                          ranges: list[DayRange]) -> str:
    """unit_id and exposure_ts of each unit's earliest exposure of each day in
    `ranges` to each experiment of `plans` (all on the assignment source
    `source_name`): of a unit's exposures to an experiment, only the earliest of
    a day can be its first, so these are the only times that can be one."""
    src = config.sources[source_name]
    ts = f"s.{ident(src.timestamp)}"
    experiments = " OR ".join(f"({_exposure_of(p)})" for p in plans)
    return (
        f"SELECT x.unit_id, MIN(x.exposure_ts) AS exposure_ts FROM ("
        f"SELECT {_unit_and_time(src, 'exposure')}, s.{ident(src.experiment_id)} AS experiment_key "
        f"FROM {relation(config, source_name)} AS s "
        f"WHERE ({experiments}) AND ({in_days(ts, ranges)}) AND s.{ident(src.unit_id)} IS NOT NULL) AS x "
        f"GROUP BY x.unit_id, x.experiment_key, x.exposure_date"
    )


def metric_events(plan: ExperimentPlan, source_name: str, ranges: list[DayRange], metrics=None,
                  property_column: str | None = None) -> str:
    """Events of a fact source in `ranges`: unit_id, event_ts, event_date, one
    column per metric (default: all the experiment's metrics of that source)
    holding the event's contribution, and with `property_column` that column's
    value as text (dimension_value, '(null)' for nulls)."""
    key = None if property_column is None else plan.key_value(source_name, property_column)
    return source_events(plan.config, source_name, ranges,
                         metrics if metrics is not None else plan.metrics_of(source_name), key)


def source_events(config: ProjectConfig, source_name: str, ranges: list[DayRange], metrics,
                  key_value: str | None = None) -> str:
    """metric_events of any `metrics` of the source, with `key_value` (SQL over
    a source row `s`) as dimension_value if given."""
    src = config.sources[source_name]
    ts = f"s.{ident(src.timestamp)}"
    columns = []
    for metric in metrics:
        keep = condition(config, metric.filter) if metric.filter else None
        columns.append(f"{kind_of(metric).event_value(metric, keep)} AS {ident(metric.name)}")
    if key_value is not None:
        columns.append(f"{key_value} AS dimension_value")
    return (
        f"SELECT {_unit_and_time(src)}, {', '.join(columns)} "
        f"FROM {relation(config, source_name)} AS s "
        f"WHERE ({in_days(ts, ranges)}) AND s.{ident(src.unit_id)} IS NOT NULL"
    )


@dataclass(frozen=True)
class FactRows(SourceRows):
    """The plan's fact sources' rows, handed to the metric kinds whose unit-day
    state is a table of their own (they sit below this layer)."""

    plan: ExperimentPlan

    def events(self, source: str, filter_sql: str | None, ranges: list[DayRange],
               values: dict[str, str] | None = None) -> str:
        src = self.plan.fact_source(source)
        ts = f"s.{ident(src.timestamp)}"
        tags = "".join(f", {sql} AS {name}" for name, sql in (values or {}).items())
        keep = f" AND ({condition(self.plan.config, filter_sql)})" if filter_sql else ""
        return (
            f"SELECT {_unit_and_time(src)}{tags} FROM {relation(self.plan.config, source)} AS s "
            f"WHERE ({in_days(ts, ranges)}) AND s.{ident(src.unit_id)} IS NOT NULL{keep}"
        )


def _unit_and_time(src, prefix: str = "event") -> str:
    """unit_id, <prefix>_ts, <prefix>_date of a source's row (alias `s`)."""
    when = utc_time(f"s.{ident(src.timestamp)}")
    return (f"{unit_id(f's.{ident(src.unit_id)}')} AS unit_id, "
            f"{when} AS {prefix}_ts, CAST({when} AS DATE) AS {prefix}_date")
