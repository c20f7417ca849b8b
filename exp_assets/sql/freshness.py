"""Cheap aggregate queries that tell whether a source changed: rows and the
latest timestamp per day, over a recent horizon only."""

from __future__ import annotations

from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql.fragments import ident, literal
from exp_assets.sql.sources import in_days, relation


def rows_per_day(plan: ExperimentPlan, source_name: str, days: DayRange) -> str:
    """source, day, rows, max_ts of one source over `days` (the assignment
    source only for this experiment's rows)."""
    source = plan.config.sources[source_name]
    ts = f"s.{ident(source.timestamp)}"
    only_this = (
        f" AND s.{ident(source.experiment_id)} = {literal(plan.experiment.key)}"
        if source_name == plan.experiment.assignment_source else ""
    )
    return (
        f"SELECT {literal(source_name)} AS source, CAST({ts} AS DATE) AS day, COUNT(*) AS row_count, "
        f"CAST(MAX({ts}) AS VARCHAR) AS max_ts FROM {relation(plan.config, source_name)} AS s "
        f"WHERE ({in_days(ts, [days])}){only_this} GROUP BY CAST({ts} AS DATE)"
    )


def watched_sources(plan: ExperimentPlan) -> list[str]:
    """Every source the experiment's pipeline reads."""
    names = [plan.experiment.assignment_source, *plan.fact_sources]
    names += [step.source for f in plan.funnels for step in f.steps]
    return list(dict.fromkeys(names))


def changes(plan: ExperimentPlan, days: DayRange) -> str:
    return " UNION ALL ".join(rows_per_day(plan, s, days) for s in watched_sources(plan))
