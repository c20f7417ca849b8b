"""SQL of the health checks: each query returns a few rows per day (or per arm)
of a partition window, never unit-level rows."""

from __future__ import annotations

import datetime as dt

from sqlglot import exp

from exp_assets.days import ONE_DAY, DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import sources
from exp_assets.sql.exposures import day_values
from exp_assets.config.fragments import parse_condition
from exp_assets.quoting import date_literal, ident, literal, table, timestamp_literal
from exp_assets.metrics import kind_of
from exp_assets.metrics.kinds.sum import usable_number
from exp_assets.sql.results import RESULT_COLUMNS


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


def new_units_by_slice(plan: ExperimentPlan, units_sql: str) -> str:
    """dimension, dimension_value, first_exposure_date, variant, units: units first
    exposed per day, variant and value of each experiment dimension (`units_sql`:
    the units first exposed by the last day checked)."""
    return " UNION ALL ".join(
        f"SELECT {literal(d)} AS dimension, CAST({ident(d)} AS VARCHAR) AS dimension_value, first_exposure_date, "
        f"variant, COUNT(*) AS units FROM ({units_sql}) AS u GROUP BY {ident(d)}, first_exposure_date, variant"
        for d in plan.dimensions
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


def covariate_sum_column(metric: str) -> str:
    return f"{metric}__sum"


def covariate_sum_squares_column(metric: str) -> str:
    return f"{metric}__sum_squares"


def covariate_sums(plan: ExperimentPlan, source: str, through: dt.date) -> str:
    """variant, n, and per metric of `source` <metric>__sum and <metric>__sum_squares
    of the pre-exposure covariate (as a unit-level value: 0/1 for proportions), over
    units first exposed from the start through `through` (their rows carry their variant)."""
    covariates = table(plan.schema, plan.table_name(f"pre_exposure_covariates_{source}"))
    sums = []
    for metric in plan.covariate_metrics_of(source):
        value = kind_of(metric).unit_value(metric, f"c.{ident(metric.name)}")
        sums.append(f"SUM({value}) AS {ident(covariate_sum_column(metric.name))}")
        sums.append(f"SUM({value} * {value}) AS {ident(covariate_sum_squares_column(metric.name))}")
    return (
        f"SELECT c.variant, COUNT(*) AS n, {', '.join(sums)} "
        f"FROM {covariates} AS c "
        f"WHERE c.first_exposure_date >= {date_literal(plan.start)} "
        f"AND c.first_exposure_date <= {date_literal(through)} "
        f"GROUP BY c.variant ORDER BY c.variant"
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


# --- data quality: rows the pipeline ignores or reads specially, counted for the presence checks ---


def _now_literal(now: dt.datetime | None) -> str:
    """`now` (default: the current time), as a naive UTC timestamp literal."""
    now = now or dt.datetime.now(dt.timezone.utc)
    if now.tzinfo is not None:
        now = now.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return f"TIMESTAMP '{now:%Y-%m-%d %H:%M:%S}'"


def _outside_scopes(plan: ExperimentPlan, window: DayRange, ts: str, now: str) -> tuple[list[str], bool, bool]:
    """Conditions (besides the window) under which a source row is counted though
    no window holds it: a null or future timestamp, and, for the window starting
    at the experiment's start (ending at its end date), rows before (after) it.
    Returns them with whether before-start / after-end rows are included."""
    scopes = [f"{ts} IS NULL", f"{ts} > {now}"]
    before = window.start <= plan.start
    end = plan.experiment.end_date
    after = end is not None and window.end > end
    if before:
        scopes.append(f"{ts} < {timestamp_literal(plan.start)}")
    if after:
        scopes.append(f"{ts} >= {timestamp_literal(end + ONE_DAY)}")
    return scopes, before, after


def exposure_quality(plan: ExperimentPlan, window: DayRange, now: dt.datetime | None = None) -> tuple[str, bool, bool]:
    """The experiment's rows of the assignment source (its experiment key) per day
    (NULL: null timestamp): row_count, read_rows (those the pipeline reads: a unit
    id and a configured variant), null_unit_id_rows, unknown_variant_rows
    (a variant not in the config, or null), future_rows (timestamp after `now`);
    over the window, null and future timestamps, and before the start / after the
    end date when the window touches them (the two flags say whether it does)."""
    src = plan.assignment_source
    ts = f"s.{ident(src.timestamp)}"
    variant = f"CAST(s.{ident(src.variant)} AS VARCHAR)"
    variants = ", ".join(literal(v) for v in plan.experiment.variants)
    now_sql = _now_literal(now)
    scopes, before, after = _outside_scopes(plan, window, ts, now_sql)
    sql = (
        f"SELECT CAST({ts} AS DATE) AS day, COUNT(*) AS row_count, "
        f"SUM(CASE WHEN s.{ident(src.unit_id)} IS NOT NULL AND s.{ident(src.variant)} IN ({variants}) "
        f"THEN 1 ELSE 0 END) AS read_rows, "
        f"SUM(CASE WHEN s.{ident(src.unit_id)} IS NULL THEN 1 ELSE 0 END) AS null_unit_id_rows, "
        f"SUM(CASE WHEN {variant} IS NULL OR {variant} NOT IN ({variants}) THEN 1 ELSE 0 END) AS unknown_variant_rows, "
        f"SUM(CASE WHEN {ts} > {now_sql} THEN 1 ELSE 0 END) AS future_rows "
        f"FROM {sources.relation(plan.config, plan.experiment.assignment_source)} AS s "
        f"WHERE s.{ident(src.experiment_id)} = {literal(plan.experiment.key)} "
        f"AND (({sources.in_days(ts, [window])}) OR {' OR '.join(scopes)}) GROUP BY CAST({ts} AS DATE)"
    )
    return sql, before, after


def summed_columns(plan: ExperimentPlan, source: str) -> list[str]:
    """Columns of a fact source that the experiment's metrics add up."""
    return list(dict.fromkeys(column for m in plan.metrics_of(source) for _, column, _ in kind_of(m).numbers(m)))


def fact_quality(plan: ExperimentPlan, source: str, window: DayRange, now: dt.datetime | None = None) -> str:
    """A fact source's rows per day (NULL: null timestamp) over the window and
    null or future timestamps: row_count, read_rows (those with a unit id, which
    the pipeline reads), null_unit_id_rows, future_rows, and
    invalid_<i>: rows whose i-th summed column (`summed_columns`) is NaN, ±inf or
    too large in magnitude (read as null by the metrics)."""
    src = plan.fact_source(source)
    ts = f"s.{ident(src.timestamp)}"
    now_sql = _now_literal(now)
    invalid = "".join(
        f", SUM(CASE WHEN s.{ident(c)} IS NOT NULL AND NOT ({usable_number(f'CAST(s.{ident(c)} AS DOUBLE)')}) "
        f"THEN 1 ELSE 0 END) AS invalid_{i}"
        for i, c in enumerate(summed_columns(plan, source))
    )
    return (
        f"SELECT CAST({ts} AS DATE) AS day, COUNT(*) AS row_count, "
        f"SUM(CASE WHEN s.{ident(src.unit_id)} IS NOT NULL THEN 1 ELSE 0 END) AS read_rows, "
        f"SUM(CASE WHEN s.{ident(src.unit_id)} IS NULL THEN 1 ELSE 0 END) AS null_unit_id_rows, "
        f"SUM(CASE WHEN {ts} > {now_sql} THEN 1 ELSE 0 END) AS future_rows{invalid} "
        f"FROM {sources.relation(plan.config, source)} AS s "
        f"WHERE ({sources.in_days(ts, [window])}) OR {ts} IS NULL OR {ts} > {now_sql} "
        f"GROUP BY CAST({ts} AS DATE)"
    )


def _read_columns(plan: ExperimentPlan, source_name: str) -> list[str]:
    """Every column of a source the experiment's pipeline reads."""
    source = plan.config.sources[source_name]
    columns = [source.unit_id, source.timestamp]
    if source_name == plan.experiment.assignment_source:
        return [*columns, source.variant, *source.dimensions]
    filters = [text for m in plan.state_metrics for source, text, _ in kind_of(m).filters(m) if source == source_name]
    for text in filters:
        columns += [c.name for c in parse_condition(text, plan.config.warehouse.type).find_all(exp.Column)]
    columns += summed_columns(plan, source_name)
    columns += [d for s, d in plan.metric_dimensions if s == source_name]
    columns += [c for m in plan.metrics_of(source_name) for s, c, _ in kind_of(m).columns(m) if s == source_name]
    return list(dict.fromkeys(columns))


def with_duplicates(quality_sql: str, duplicates_sql: str) -> str:
    """The rows per day of a quality query (exposure_quality, fact_quality) with
    the day's duplicate_rows (`duplicate_rows`; NULL: none): one round trip.
    Every day with duplicates is a day of the window, so the quality query has it."""
    return f"SELECT q.*, d.duplicate_rows FROM ({quality_sql}) AS q LEFT JOIN ({duplicates_sql}) AS d ON d.day = q.day"


def duplicate_rows(plan: ExperimentPlan, source_name: str, window: DayRange, per_day: bool = False) -> str:
    """day, duplicate_rows: rows of the window equal to an earlier row on every
    column the pipeline reads (the assignment source: the experiment's rows);
    `per_day`: one aggregate per day of the window (Warehouse.groups_rows_per_day).

    Grouping every row by all those columns holds a copy of each row in the
    aggregate (at 1M units, most of the health checks' time); grouping by a hash of
    them holds one number. So rows are grouped by (day, hash) first, and only the
    rows whose day and hash repeat are grouped by their columns: equal rows hash
    alike, and a collision only adds a candidate that the exact count drops."""
    if per_day and len(window.days) > 1:
        return " UNION ALL ".join(f"SELECT * FROM ({duplicate_rows(plan, source_name, day)}) AS part"
                                  for day in window.chunks(1))
    source = plan.config.sources[source_name]
    ts = f"s.{ident(source.timestamp)}"
    keys = ", ".join(f"s.{ident(c)}" for c in _read_columns(plan, source_name))
    only_this = (
        f" AND s.{ident(source.experiment_id)} = {literal(plan.experiment.key)}"
        if source_name == plan.experiment.assignment_source else ""
    )
    # underscored names: a source's own columns (`keys`) are carried beside them. The
    # statement reads these rows twice as subqueries, not as one CTE read twice, which
    # an engine may materialize with every row's columns.
    rows = (
        f"SELECT CAST({ts} AS DATE) AS _row_day, hash({keys}) AS _row_hash, {keys} "
        f"FROM {sources.relation(plan.config, source_name)} AS s WHERE ({sources.in_days(ts, [window])}){only_this}"
    )
    return (
        f"WITH repeated AS (SELECT _row_day, _row_hash FROM ({rows}) AS h "
        f"GROUP BY _row_day, _row_hash HAVING COUNT(*) > 1) "
        f"SELECT day, SUM(copies - 1) AS duplicate_rows FROM (SELECT s._row_day AS day, COUNT(*) AS copies "
        f"FROM ({rows}) AS s JOIN repeated AS r ON r._row_day = s._row_day AND r._row_hash = s._row_hash "
        f"GROUP BY s._row_day, {keys}) AS g WHERE copies > 1 GROUP BY day"
    )
