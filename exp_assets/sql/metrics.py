"""SQL of the metric side: unit-day aggregations per fact source, pre-exposure
covariates, the unit-day tables of kinds that keep their own, and the per-unit
running totals that results read."""

from __future__ import annotations

import datetime as dt

from exp_assets.days import DayRange
from exp_assets.metrics import StateColumn, kind_of
from exp_assets.metrics.kinds.events import EventMetric
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import sources
from exp_assets.sql.exposures import day_values
from exp_assets.quoting import date_literal, ident


def value_type(metric: EventMetric) -> str:
    return kind_of(metric).value_type


def user_level_aggregations(plan: ExperimentPlan, source: str, ranges: list[DayRange], units_sql: str,
                            property_column: str | None = None) -> str:
    """One row per unit and day (and value of `property_column`, if given) with
    events at or after the unit's first exposure (and inside each metric's
    window, if it has one)."""
    metrics = plan.metrics_of(source) if property_column is None else plan.sliced_metrics(source, property_column)
    values = ", ".join(
        f"CAST({aggregate} AS {sql_type}) AS {ident(column)}"
        for m in metrics
        for column, aggregate, sql_type in kind_of(m).day_columns(
            m, f"CASE WHEN {kind_of(m).exposure_window(m)} THEN e.{ident(m.name)} END")
    )
    keys = "e.unit_id, e.event_date" + (", e.dimension_value" if property_column is not None else "")
    return (
        f"SELECT {keys}, {values} "
        f"FROM ({sources.metric_events(plan, source, ranges, metrics, property_column)}) AS e "
        f"JOIN ({units_sql}) AS u ON u.unit_id = e.unit_id AND e.event_ts >= u.first_exposure_ts "
        f"GROUP BY {keys}"
    )


def pre_exposure_covariates(plan: ExperimentPlan, source: str, window: DayRange, units_sql: str) -> str:
    """For each unit first exposed in `window` (from `units_sql`), its variant and
    its metric values over [first exposure - lookback, first exposure) (the
    variant lets the balance check add up the table without a join to the units)."""
    lookback = dt.timedelta(days=plan.cuped_days)
    events = sources.metric_events(plan, source, [DayRange(window.start - lookback, window.end)])
    values = ", ".join(
        f"CAST(COALESCE(SUM(e.{ident(m.name)}), 0) AS {value_type(m)}) AS {ident(m.name)}"
        for m in plan.covariate_metrics_of(source)
    )
    return (
        f"SELECT u.unit_id, u.first_exposure_date, u.variant, {values} "
        f"FROM ({units_sql}) AS u LEFT JOIN ({events}) AS e ON e.unit_id = u.unit_id "
        f"AND e.event_ts >= u.first_exposure_ts - INTERVAL {plan.cuped_days} DAY AND e.event_ts < u.first_exposure_ts "
        f"WHERE u.first_exposure_date >= {date_literal(window.start)} AND u.first_exposure_date < {date_literal(window.end)} "
        f"GROUP BY u.unit_id, u.first_exposure_date, u.variant"
    )


def own_unit_days(plan: ExperimentPlan, metric, ranges: list[DayRange], units_sql: str) -> str:
    """Per unit and day, the state of a metric with a table of its own (kind
    OWN), from the events its kind selects at or after the unit's first exposure."""
    kind = kind_of(metric)
    values = ", ".join(f"{sql} AS {ident(name)}" for name, sql in kind.unit_day_values(metric))
    return (
        f"SELECT e.unit_id, e.event_date, {values} "
        f"FROM ({kind.unit_day_events(metric, sources.FactRows(plan), ranges)}) AS e "
        f"JOIN ({units_sql}) AS u ON u.unit_id = e.unit_id AND e.event_ts >= u.first_exposure_ts "
        f"GROUP BY e.unit_id, e.event_date"
    )


def unit_attributes(plan: ExperimentPlan) -> list[str]:
    """The columns a unit_totals row carries from the unit's first exposure."""
    return ["variant", "first_exposure_ts", "first_exposure_date", *plan.assignment_source.dimensions]


def unit_totals_columns(plan: ExperimentPlan) -> list[str]:
    """A unit_totals row's columns after as_of_date and unit_id: its unit's
    attributes, its running state and its CUPED covariates."""
    return [*unit_attributes(plan), *(c.name for c in plan.running_columns + plan.covariate_columns)]


def unit_totals(
    plan: ExperimentPlan,
    window: DayRange,
    units_sql: str,
    daily_by_source: dict[str, str],
    base_sql: str | None,
    from_day,
    covariates_sql: str | None = None,
    snapshot_days: list[dt.date] | None = None,
) -> str:
    """Running totals for each day of `window`: for every unit exposed by that
    day, `base` (totals as of the day before `from_day`, or none) plus the sum
    of its daily rows from `from_day` through that day. `daily_by_source` maps
    each fact source to a relation of its unit-day rows over [from_day, window.end).
    With CUPED, each unit's covariates come from `covariates_sql` (unit_id, a
    column per event metric; the units first exposed from `from_day` on), or
    else are carried over from `base`. A `base` holds the units' own columns
    too (variant, first exposure, dimensions), as unit_totals rows do.
    With `snapshot_days`, unit_totals' partitions: every unit on those days,
    else the units whose totals changed on the day (events, or first exposed;
    artifacts.snapshot_day)."""
    columns = plan.running_columns
    carried = columns + plan.covariate_columns
    # Without a base, the days of the span before the window add up to one row per unit
    # (the newest of its day rows' running totals), on which the window's days run: a
    # running window over every unit and day since from_day would sort units x days rows
    # (a day derived late in a long experiment, as the rollups derive D-1 and D-7 where
    # they are missing). Running totals day by day, not a GROUP BY, so that they add in the
    # order the day-by-day build does, to the last bit (a value's zero test depends on it).
    sums_before = base_sql is None and from_day < window.start
    if base_sql is not None:
        base = base_sql
    elif sums_before:  # the covariates come from covariates_sql, which holds every unit since from_day
        by_day = "PARTITION BY unit_id ORDER BY event_date"
        base = ("SELECT unit_id, " + ", ".join(ident(c.name) for c in carried)
                + " FROM (SELECT unit_id, "
                + ", ".join(f"{c.combine}({ident(c.name)}) OVER w AS {ident(c.name)}" for c in columns)
                + "".join(f", CAST(NULL AS {c.sql_type}) AS {ident(c.name)}" for c in plan.covariate_columns)
                + f", LEAD(event_date) OVER ({by_day}) IS NULL AS newest FROM daily "
                f"WHERE event_date < {date_literal(window.start)} "
                f"WINDOW w AS ({by_day} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) AS r WHERE r.newest")
    else:
        base = ("SELECT CAST(NULL AS VARCHAR) AS unit_id, "
                + ", ".join(f"CAST(NULL AS {c.sql_type}) AS {ident(c.name)}" for c in carried) + " WHERE FALSE")
    def unit_columns(alias: str) -> str:
        return ", ".join(f"{alias}.{ident(c)}" for c in ["unit_id", *unit_attributes(plan)])

    span = DayRange(from_day, window.end)
    days = window.days if sums_before else span.days  # the days the running window passes over
    one_day = len(days) == 1  # the daily update: base + that day, no running window to sort

    def running(c, carried: bool = True) -> str:
        # carried=False: a unit first exposed on the day, which no base row holds
        name = ident(c.name)
        before = f"b.{name}" if carried else "NULL"
        if c.combine == "SUM":
            day = f"COALESCE(dl.{name}, 0)" if one_day else f"SUM(COALESCE(dl.{name}, 0)) OVER running"
            value = f"COALESCE({before}, 0) + {day}"
        else:  # first times: an earlier day's time always precedes a later day's
            value = f"COALESCE({before}, {f'dl.{name}' if one_day else f'MIN(dl.{name}) OVER running'})"
        return f"CAST({value} AS {c.sql_type}) AS {name}"

    def covariate(c, metric, new: bool = True, carried: bool = True) -> str:
        parts = ([f"cv.{ident(metric.name)}"] if new else []) + ([f"b.{ident(c.name)}"] if carried else [])
        return f"CAST(COALESCE({', '.join(parts)}, 0) AS {c.sql_type}) AS {ident(c.name)}"

    def values(carried: bool = True, new: bool = True) -> str:
        return ", ".join([running(c, carried) for c in columns] + [
            covariate(c, m, new, carried) for c, m in zip(plan.covariate_columns, plan.cuped_state_columns)])

    covariates_join = ""
    if plan.covariate_columns:
        if covariates_sql is None:
            raise ValueError("unit_totals: CUPED is on but no covariates relation was given")
        covariates_join = f" LEFT JOIN ({covariates_sql}) AS cv ON cv.unit_id = u.unit_id"
    def every_unit(day: dt.date) -> bool:
        return snapshot_days is None or day in snapshot_days

    if base_sql is not None and one_day:
        # The day after known totals: those with the day's rows added (on a day of changes
        # only, the units with rows), plus the units first exposed that day. The day's rows,
        # not every unit, are what the joins hash.
        day = date_literal(window.start)
        join = "LEFT JOIN" if every_unit(window.start) else "JOIN"
        return (
            f"WITH daily AS ({combine_sources(plan, daily_by_source, ['unit_id', 'event_date'], columns)}) "
            f"SELECT {day} AS as_of_date, {unit_columns('b')}, {values(new=False)} "
            f"FROM ({base_sql}) AS b {join} daily AS dl ON dl.unit_id = b.unit_id AND dl.event_date = {day} "
            f"UNION ALL "
            f"SELECT {day} AS as_of_date, {unit_columns('u')}, {values(carried=False)} "
            f"FROM ({units_sql}) AS u LEFT JOIN daily AS dl ON dl.unit_id = u.unit_id AND dl.event_date = {day}"
            f"{covariates_join} WHERE u.first_exposure_date = {day}"
        )
    snapshots = [d for d in window.days if every_unit(d)]
    changed_filter = "" if len(snapshots) == len(window.days) else (
        f" AND (changed{''.join(f' OR as_of_date = {date_literal(d)}' for d in snapshots)})")
    window_clause = "" if one_day else (
        "WINDOW running AS (PARTITION BY u.unit_id ORDER BY d.as_of_date "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
    )

    return (
        f"WITH units AS ({units_sql}), "
        f"days AS ({day_values(days, 'as_of_date')}), "
        f"daily AS ({combine_sources(plan, daily_by_source, ['unit_id', 'event_date'], columns)}), "
        f"base AS ({base}), "
        f"totals AS (SELECT d.as_of_date, {unit_columns('u')}, "
        f"{values()}, (dl.unit_id IS NOT NULL OR u.first_exposure_date = d.as_of_date) AS changed "
        f"FROM units AS u JOIN days AS d ON u.first_exposure_date <= d.as_of_date "
        f"LEFT JOIN daily AS dl ON dl.unit_id = u.unit_id AND dl.event_date = d.as_of_date "
        f"LEFT JOIN base AS b ON b.unit_id = u.unit_id{covariates_join}"
        f"{' ' + window_clause if window_clause else ''}) "
        f"SELECT as_of_date, {', '.join(ident(c) for c in ['unit_id', *unit_totals_columns(plan)])} FROM totals "
        f"WHERE as_of_date >= {date_literal(window.start)}{changed_filter}"
    )


def combine_sources(plan: ExperimentPlan, relations: dict[str, tuple[str, list[str]]], keys: list[str],
                    columns: list[StateColumn]) -> str:
    """One row per `keys` with each of `columns`, from relations that each hold
    `keys` and some of the columns: {name: (relation, its column names)}."""
    parts = []
    for relation, own in relations.values():
        cols = ", ".join(
            f"r.{ident(c.name)}" if c.name in own else f"CAST(NULL AS {c.sql_type}) AS {ident(c.name)}"
            for c in columns
        )
        parts.append(f"SELECT {', '.join('r.' + ident(k) for k in keys)}, {cols} FROM ({relation}) AS r")
    combined = ", ".join(f"{c.combine}({ident(c.name)}) AS {ident(c.name)}" for c in columns)
    key_list = ", ".join(ident(k) for k in keys)
    return f"SELECT {key_list}, {combined} FROM ({' UNION ALL '.join(parts)}) AS p GROUP BY {key_list}"
