"""Cheap aggregate queries that tell whether a source changed, over a recent
horizon only: per day its rows, latest timestamp and a fingerprint, the sum of
its rows' hashes, which an UPDATE of a value or a delete-and-reinsert of the
same count and latest timestamp changes too."""

from __future__ import annotations

from collections.abc import Mapping

from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.quoting import ident, literal
from exp_assets.sql.sources import in_days, relation

# Each row's hash is taken modulo this prime before summing, so a day's sum fits
# a 64-bit integer on every engine (BigQuery's SUM of INT64 would overflow).
HASH_MODULUS = 1_000_000_007


def columns_sql(plan: ExperimentPlan, source_name: str, days: DayRange) -> str:
    """No rows, the source's columns: the ones its fingerprint hashes (all of
    them: a filter may read any). Limited to `days` too, so that an engine that
    bills the scan despite LIMIT 0 (BigQuery) reads no more than the fingerprint."""
    ts = f"s.{ident(plan.config.sources[source_name].timestamp)}"
    return f"SELECT * FROM {relation(plan.config, source_name)} AS s WHERE {in_days(ts, [days])} LIMIT 0"


def rows_per_day(plan: ExperimentPlan, source_name: str, days: DayRange, columns: list[str]) -> str:
    """source, day, row_count, max_ts, fingerprint of one source over `days`
    (the assignment source only for this experiment's rows)."""
    source = plan.config.sources[source_name]
    ts = f"s.{ident(source.timestamp)}"
    only_this = (
        f" AND s.{ident(source.experiment_id)} = {literal(plan.experiment.key)}"
        if source_name == plan.experiment.assignment_source else ""
    )
    row = ", ".join(f"s.{ident(c)}" for c in columns)
    return (
        f"SELECT {literal(source_name)} AS source, CAST({ts} AS DATE) AS day, COUNT(*) AS row_count, "
        f"CAST(MAX({ts}) AS VARCHAR) AS max_ts, CAST(SUM(hash({row}) % {HASH_MODULUS}) AS VARCHAR) AS fingerprint "
        f"FROM {relation(plan.config, source_name)} AS s "
        f"WHERE ({in_days(ts, [days])}){only_this} GROUP BY CAST({ts} AS DATE)"
    )


def watched_sources(plan: ExperimentPlan) -> list[str]:
    """Every source the experiment's pipeline reads."""
    names = [plan.experiment.assignment_source, *plan.fact_sources]
    names += [s for m in plan.own_table_metrics for s in plan.kind(m).reads(m)]
    return list(dict.fromkeys(names))


def changes(plan: ExperimentPlan, days: DayRange, columns: Mapping[str, list[str]]) -> str:
    """rows_per_day of every watched source; `columns` holds each one's columns (columns_sql)."""
    return " UNION ALL ".join(rows_per_day(plan, s, days, columns[s]) for s in watched_sources(plan))
