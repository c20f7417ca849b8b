"""What the config expects of each source's columns (each with the config field
that names it), compared with the columns the source has, through the
warehouse adapter's column listing. The engines' own errors name neither
(`Table "s" does not have a column named "amount"`); when a step fails this
explains why in one line naming the source, its table, the column and the field.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlglot import exp

from exp_assets.config.fragments import parse_condition
from exp_assets.config.schema import AssignmentSource
from exp_assets.metrics import kind_of
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import sources
from exp_assets.warehouse.base import Warehouse

log = logging.getLogger(__name__)


class SourceError(ValueError):
    """A source does not have a column the config reads, or not with a usable type."""


@dataclass(frozen=True)
class Expected:
    column: str
    field: str  # where the config names it, e.g. "metrics[0].column, metric revenue"
    kind: str | None = None  # "time", "number", or None for any type


def expected_columns(plan: ExperimentPlan, source_name: str) -> list[Expected]:
    config, dialect = plan.config, plan.config.warehouse.type
    source = config.sources[source_name]
    at = f"sources.{source_name}"
    out = [Expected(source.unit_id, f"{at}.unit_id"), Expected(source.timestamp, f"{at}.timestamp", "time")]
    if isinstance(source, AssignmentSource) and source_name == plan.experiment.assignment_source:
        out += [Expected(source.experiment_id, f"{at}.experiment_id"), Expected(source.variant, f"{at}.variant")]
        out += [Expected(d, f"{at}.dimensions[{j}]") for j, d in enumerate(source.dimensions)]

    def filter_columns(text: str | None, field: str) -> list[Expected]:
        names = [c.name for c in parse_condition(text, dialect).find_all(exp.Column)] if text else []
        return [Expected(name, field) for name in dict.fromkeys(names)]

    used = {m.name for m in plan.event_metrics} | {m.name for m in plan.own_table_metrics}
    for i, metric in enumerate(config.metrics):
        if metric.name not in used:
            continue
        of, kind = f"metric {metric.name}", kind_of(metric)
        out += [Expected(column, f"metrics[{i}].{field}, {of}", "number")
                for source, column, field in kind.numbers(metric) if source == source_name]
        for source, text, field in kind.filters(metric):
            if source == source_name:
                out += filter_columns(text, f"metrics[{i}].{field}, {of}")
        out += [Expected(column, f"metrics[{i}].{field}, {of}")
                for source, column, field in [*kind.dimensions(metric), *kind.columns(metric)] if source == source_name]
    return out


def _kind(sql_type: str) -> str:
    name = sql_type.upper()
    if "TIMESTAMP" in name or "DATETIME" in name or name == "DATE":
        return "time"
    if any(word in name for word in ("INT", "DOUBLE", "FLOAT", "REAL", "DECIMAL", "NUMERIC", "NUMBER", "FIXED",
                                     "BOOL")):
        return "number"
    return "other"


_WANTED = {"time": "a timestamp or date", "number": "a number"}


def problems(plan: ExperimentPlan, source_name: str, columns: list[tuple[str, str]]) -> str | None:
    """What is wrong with `columns` ((name, engine type) of the source) for the config, if anything."""
    # DuckDB's names are case-insensitive; the other engines compare the quoted names exactly
    fold = str.lower if plan.config.warehouse.type == "duckdb" else str
    types = {fold(name): sql_type for name, sql_type in columns}
    fields: dict[tuple[str, str], list[str]] = {}  # (column, what is wrong) -> the fields naming it
    for want in expected_columns(plan, source_name):
        sql_type = types.get(fold(want.column))
        if sql_type is None:
            fields.setdefault((want.column, "is missing"), []).append(want.field)
        elif want.kind is not None and _kind(sql_type) != want.kind:
            fields.setdefault((want.column, f"is {sql_type}, not {_WANTED[want.kind]}"), []).append(want.field)
    if not fields:
        return None
    found = [f"column {column!r} ({'; '.join(where)}) {wrong}" for (column, wrong), where in fields.items()]
    if any(wrong == "is missing" for _, wrong in fields):
        found.append(f"its columns: {', '.join(name for name, _ in columns)}")
    return "; ".join(found)


def _label(plan: ExperimentPlan, source_name: str) -> str:
    source = plan.config.sources[source_name]
    return source.table if source.table is not None else f"sql: {' '.join(source.sql.split())[:60]}"


def source_names(plan: ExperimentPlan) -> list[str]:
    own = [s for m in plan.own_table_metrics for s in kind_of(m).reads(m)]
    return list(dict.fromkeys([plan.experiment.assignment_source, *plan.fact_sources, *own]))


def explain(wh: Warehouse, plan: ExperimentPlan) -> None:
    """Raise SourceError, from the error being handled, if a source the plan
    reads does not match the config; return if every source does (the error is another)."""
    found = []
    try:
        for name in source_names(plan):
            listed = wh.columns(f"SELECT * FROM {sources.relation(plan.config, name)} AS s")
            wrong = problems(plan, name, listed)
            if wrong:
                found.append(f"source {name!r} ({_label(plan, name)}): {wrong}")
    except Exception:  # noqa: BLE001 - the explanation must not hide the step's own error
        log.debug("could not list the sources' columns", exc_info=True)
        return
    if found:
        log.debug("the step's error, explained as: %s", "; ".join(found), exc_info=True)
        raise SourceError("; ".join(found)) from None
