"""SQL of the health checks: each query returns a few rows per day (or per arm)
of a partition window, never unit-level rows."""

from __future__ import annotations

import datetime as dt

from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import sources
from exp_assets.sql.exposures import day_values
from exp_assets.sql.fragments import date_literal, ident, table
from exp_assets.sql.results import RESULT_COLUMNS, unit_value


def _between(column: str, start: dt.date, end: dt.date) -> str:
    """`column` (a date) in [start, end)."""
    return f"{column} >= {date_literal(start)} AND {column} < {date_literal(end)}"


def cumulative_units(plan: ExperimentPlan, window: DayRange) -> str:
    """exposure_date, variant, cumulative_units: units first exposed by each day of
    the window, per variant (from the exposures_summary table)."""
    summary = table(plan.schema, plan.table_name("exposures_summary"))
    return (
        f"SELECT exposure_date, variant, CAST(cumulative_units AS BIGINT) AS cumulative_units "
        f"FROM {summary} WHERE {_between('exposure_date', window.start, window.end)} "
        f"ORDER BY exposure_date, variant"
    )


def crossed_and_exposed_units(plan: ExperimentPlan, window: DayRange, units_sql: str) -> str:
    """day, crossed_units, exposed_units: as of each day of the window, units seen in
    a variant other than their first (multiple_variant_units table since the start)
    and units exposed (`units_sql`, the units first exposed by the window's last day)."""
    crossovers = table(plan.schema, plan.table_name("multiple_variant_units"))
    return (
        f"WITH days AS ({day_values(window.days, 'day')}), "
        f"new_units AS (SELECT first_exposure_date AS day, COUNT(*) AS n FROM ({units_sql}) AS u GROUP BY 1), "
        f"crossed AS (SELECT unit_id, MIN(exposure_date) AS day FROM {crossovers} "
        f"WHERE {_between('exposure_date', plan.start, window.end)} GROUP BY unit_id), "
        f"new_crossed AS (SELECT day, COUNT(*) AS n FROM crossed GROUP BY day), "
        f"exposed AS (SELECT d.day, COALESCE(SUM(u.n), 0) AS units FROM days AS d "
        f"LEFT JOIN new_units AS u ON u.day <= d.day GROUP BY d.day), "
        f"crossed_by_day AS (SELECT d.day, COALESCE(SUM(c.n), 0) AS units FROM days AS d "
        f"LEFT JOIN new_crossed AS c ON c.day <= d.day GROUP BY d.day) "
        f"SELECT e.day, CAST(c.units AS BIGINT) AS crossed_units, CAST(e.units AS BIGINT) AS exposed_units "
        f"FROM exposed AS e JOIN crossed_by_day AS c ON c.day = e.day ORDER BY e.day"
    )


def exposure_rows_by_day(plan: ExperimentPlan, window: DayRange) -> str:
    """day, row_count: the experiment's exposures in the assignment source per day of the
    window (the rows the pipeline reads: its experiment key, configured variants,
    a unit id). Days without rows are absent."""
    return (
        f"SELECT exposure_date AS day, COUNT(*) AS row_count FROM ({sources.exposures(plan, [window])}) AS e "
        f"GROUP BY exposure_date ORDER BY day"
    )


def fact_rows_by_day(plan: ExperimentPlan, source: str, window: DayRange) -> str:
    """day, row_count: events of a fact source (with a unit id) per day of the window.
    Days without rows are absent."""
    src = plan.fact_source(source)
    ts = f"s.{ident(src.timestamp)}"
    return (
        f"SELECT CAST({ts} AS DATE) AS day, COUNT(*) AS row_count FROM {sources.relation(plan.config, source)} AS s "
        f"WHERE ({sources.in_days(ts, [window])}) AND s.{ident(src.unit_id)} IS NOT NULL "
        f"GROUP BY 1 ORDER BY day"
    )


def covariate_sum_column(metric: str) -> str:
    return f"{metric}__sum"


def covariate_sum_squares_column(metric: str) -> str:
    return f"{metric}__sum_squares"


def covariate_sums(plan: ExperimentPlan, source: str, through: dt.date, units_sql: str) -> str:
    """variant, n, and per metric of `source` <metric>__sum and <metric>__sum_squares
    of the pre-exposure covariate (as a unit-level value: 0/1 for proportions), over
    units first exposed from the start through `through` (`units_sql` gives their variant)."""
    covariates = table(plan.schema, plan.table_name(f"pre_exposure_covariates_{source}"))
    sums = []
    for metric in plan.metrics_of(source):
        value = unit_value(metric, f"c.{ident(metric.name)}")
        sums.append(f"SUM({value}) AS {ident(covariate_sum_column(metric.name))}")
        sums.append(f"SUM({value} * {value}) AS {ident(covariate_sum_squares_column(metric.name))}")
    return (
        f"SELECT u.variant, COUNT(*) AS n, {', '.join(sums)} "
        f"FROM {covariates} AS c JOIN ({units_sql}) AS u ON u.unit_id = c.unit_id "
        f"WHERE c.first_exposure_date >= {date_literal(plan.start)} "
        f"AND c.first_exposure_date <= {date_literal(through)} "
        f"GROUP BY u.variant ORDER BY u.variant"
    )


def results_overview(plan: ExperimentPlan, artifact: str, window: DayRange) -> str:
    """as_of_date, metric, variant, row_count, units (summed over rows, e.g. days since
    exposure), non_finite_rows (rows whose reason is null with a NaN or infinite
    number): the overall rows of a results table in the window."""
    results = table(plan.schema, plan.table_name(artifact))
    doubles = [c for c, sql_type in RESULT_COLUMNS.items() if sql_type == "DOUBLE"]
    non_finite = " OR ".join(f"COALESCE(NOT isfinite(r.{ident(c)}), FALSE)" for c in doubles)
    return (
        f"SELECT r.as_of_date, r.metric, r.variant, COUNT(*) AS row_count, "
        f"CAST(COALESCE(SUM(r.units), 0) AS BIGINT) AS units, "
        f"CAST(COUNT(*) FILTER (WHERE r.reason IS NULL AND ({non_finite})) AS BIGINT) AS non_finite_rows "
        f"FROM {results} AS r WHERE r.dimension = 'overall' AND {_between('r.as_of_date', window.start, window.end)} "
        f"GROUP BY r.as_of_date, r.metric, r.variant ORDER BY r.as_of_date, r.metric, r.variant"
    )
