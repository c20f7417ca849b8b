"""SQL of the metric side: unit-day aggregations per fact source, pre-exposure
covariates, the unit-day tables of kinds that keep their own, and the per-unit
running totals that results read."""

from __future__ import annotations

import datetime as dt

from exp_assets.days import DayRange
from exp_assets.metrics import StateColumn, kind_of
from exp_assets.metrics.kinds.events import EventMetric
from exp_assets.artifacts import checkpoint_through
from exp_assets.plan import ROLLUPS, ExperimentPlan
from exp_assets.sql import sources
from exp_assets.sql.exposures import date_rows
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
    """For each unit first exposed in `window` (from `units_sql`), its metric
    values over [first exposure - lookback, first exposure)."""
    lookback = dt.timedelta(days=plan.cuped_days)
    events = sources.metric_events(plan, source, [DayRange(window.start - lookback, window.end)])
    values = ", ".join(
        f"CAST(COALESCE(SUM(e.{ident(m.name)}), 0) AS {value_type(m)}) AS {ident(m.name)}"
        for m in plan.covariate_metrics_of(source)
    )
    return (
        f"SELECT u.unit_id, u.first_exposure_date, {values} "
        f"FROM ({units_sql}) AS u LEFT JOIN ({events}) AS e ON e.unit_id = u.unit_id "
        f"AND e.event_ts >= u.first_exposure_ts - INTERVAL {plan.cuped_days} DAY AND e.event_ts < u.first_exposure_ts "
        f"WHERE u.first_exposure_date >= {date_literal(window.start)} AND u.first_exposure_date < {date_literal(window.end)} "
        f"GROUP BY u.unit_id, u.first_exposure_date"
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


# The spans (days) whose changes a unit's state row carries (the rollups' windows):
# the state `days` earlier is the state minus those changes.
SPAN_DAYS = tuple(sorted({r.days for r in ROLLUPS if r.days is not None}))


def span_column(column: str, days: int) -> str:
    """The state row's column of a state column's changes over the `days` ending on its day."""
    return f"{column}__last_{days}_days"


def _unit_attributes(plan: ExperimentPlan) -> list[str]:
    return ["variant", "first_exposure_ts", "first_exposure_date", *plan.assignment_source.dimensions]


def unit_day_changes(plan: ExperimentPlan, window: DayRange, units_sql: str, daily_by_source: dict[str, str],
                     covariates_sql: str | None = None) -> str:
    """unit_totals' change rows (is_checkpoint FALSE) of each day of `window`:
    every unit with unit-day rows that day (its day's values: `daily_by_source`,
    each fact source's unit-day rows over the window) and every unit first
    exposed that day, which alone carries its variant, first exposure,
    dimensions and (with CUPED, from `covariates_sql`) covariates."""
    columns = plan.running_columns
    new_units = (f"SELECT * FROM ({units_sql}) AS nu WHERE nu.first_exposure_date >= {date_literal(window.start)} "
                 f"AND nu.first_exposure_date < {date_literal(window.end)}")

    def changed(c) -> str:
        value = f"COALESCE(dl.{ident(c.name)}, 0)" if c.combine == "SUM" else f"dl.{ident(c.name)}"
        return f"CAST({value} AS {c.sql_type}) AS {ident(c.name)}"

    values = [changed(c) for c in columns]
    values += [f"CAST(CASE WHEN u.unit_id IS NOT NULL THEN COALESCE(cv.{ident(m.name)}, 0) END AS {c.sql_type}) "
               f"AS {ident(c.name)}" for c, m in zip(plan.covariate_columns, plan.cuped_state_columns)]
    covariates_join = _covariates_join(plan, covariates_sql)
    return (
        f"WITH daily AS ({combine_sources(plan, daily_by_source, ['unit_id', 'event_date'], columns)}) "
        f"SELECT COALESCE(dl.event_date, u.first_exposure_date) AS as_of_date, FALSE AS is_checkpoint, "
        f"COALESCE(dl.unit_id, u.unit_id) AS unit_id, {', '.join('u.' + ident(a) for a in _unit_attributes(plan))}, "
        f"{', '.join(values)} "
        f"FROM daily AS dl FULL JOIN ({new_units}) AS u ON u.unit_id = dl.unit_id "
        f"AND u.first_exposure_date = dl.event_date{covariates_join} "
        f"WHERE COALESCE(dl.event_date, u.first_exposure_date) >= {date_literal(window.start)} "
        f"AND COALESCE(dl.event_date, u.first_exposure_date) < {date_literal(window.end)}"
    )


def _covariates_join(plan: ExperimentPlan, covariates_sql: str | None) -> str:
    if not plan.covariate_columns:
        return ""
    if covariates_sql is None:
        raise ValueError("unit_totals: CUPED is on but no covariates relation was given")
    return f" LEFT JOIN ({covariates_sql}) AS cv ON cv.unit_id = u.unit_id"


def checkpoint_totals(plan: ExperimentPlan, day: dt.date, units_sql: str, daily_by_source: dict[str, str],
                      base_sql: str | None, covariates_sql: str | None = None) -> str:
    """unit_totals' checkpoint rows (is_checkpoint TRUE) of `day`: every unit
    exposed by then with its running totals, `base_sql` (the previous
    checkpoint's totals, or none) plus its unit-day rows since then
    (`daily_by_source`: each fact source's over those days). With CUPED, each
    unit's covariates come from `covariates_sql` (the units first exposed since
    the previous checkpoint) or else are carried over from the base."""
    columns = plan.running_columns
    base = base_sql or (
        "SELECT CAST(NULL AS VARCHAR) AS unit_id, "
        + ", ".join(f"CAST(NULL AS {c.sql_type}) AS {ident(c.name)}" for c in columns + plan.covariate_columns)
        + " WHERE FALSE"
    )

    def running(c) -> str:
        name = ident(c.name)
        # first times: an earlier day's time always precedes a later day's
        value = f"COALESCE(b.{name}, 0) + COALESCE(dl.{name}, 0)" if c.combine == "SUM" else f"COALESCE(b.{name}, dl.{name})"
        return f"CAST({value} AS {c.sql_type}) AS {name}"

    values = [running(c) for c in columns]
    values += [f"CAST(COALESCE(cv.{ident(m.name)}, b.{ident(c.name)}, 0) AS {c.sql_type}) AS {ident(c.name)}"
               for c, m in zip(plan.covariate_columns, plan.cuped_state_columns)]
    return (
        f"SELECT CAST({date_literal(day)} AS DATE) AS as_of_date, TRUE AS is_checkpoint, u.unit_id, "
        f"{', '.join('u.' + ident(a) for a in _unit_attributes(plan))}, {', '.join(values)} "
        f"FROM ({units_sql}) AS u "
        f"LEFT JOIN ({combine_sources(plan, daily_by_source, ['unit_id'], columns)}) AS dl ON dl.unit_id = u.unit_id "
        f"LEFT JOIN ({base}) AS b ON b.unit_id = u.unit_id{_covariates_join(plan, covariates_sql)} "
        f"WHERE u.first_exposure_date <= {date_literal(day)}"
    )


def state_days(start: dt.date, days: list[dt.date]) -> list[tuple[dt.date, dt.date, dt.date]]:
    """Per day D whose states are read: (D, the day after which its changes add
    to its checkpoint (the checkpoint, or the day before the start), the day
    after which unit_totals rows are read (the earlier of that and D minus the
    longest span))."""
    out = []
    for day in days:
        since = checkpoint_through(start, day) or start - dt.timedelta(days=1)
        out.append((day, since, min(since, day - dt.timedelta(days=max(SPAN_DAYS)))))
    return out


def unit_states(plan: ExperimentPlan, days: list[dt.date], rows_sql: str, units: str | None = None) -> str:
    """Each unit's state on each of `days` (as_of_date, unit_id, its variant,
    first exposure and dimensions, its running totals and covariates), plus per
    span of SPAN_DAYS its changes over the span's days ending then
    (span_column: the state that many days earlier is the state minus them),
    from `rows_sql`: unit_totals' rows (checkpoints and changes) of the days
    state_days says. `units`: a CTE of the only units to read (unit_id).

    One aggregation per day and unit of its checkpoint row and its change rows
    (no join of the two: a FULL JOIN is a nested loop on some engines)."""
    columns = plan.running_columns
    rows = rows_sql if units is None else (
        f"SELECT * FROM ({rows_sql}) AS of_units WHERE of_units.unit_id IN (SELECT unit_id FROM {units})")

    def combined(c, rows_of: str) -> str:
        return f"{c.combine}(CASE WHEN {rows_of} THEN r.{ident(c.name)} END)"

    state = "r.is_checkpoint OR r.as_of_date > d.since"  # the checkpoint, then the changes since
    values = [f"MAX(r.{ident(a)}) AS {ident(a)}" for a in _unit_attributes(plan)]
    values += [f"CAST({'COALESCE(' if c.combine == 'SUM' else ''}{combined(c, state)}"
               f"{', 0)' if c.combine == 'SUM' else ''} AS {c.sql_type}) AS {ident(c.name)}" for c in columns]
    values += [f"MAX(r.{ident(c.name)}) AS {ident(c.name)}" for c in plan.covariate_columns]
    values += [f"{combined(c, f'NOT r.is_checkpoint AND r.as_of_date > d.as_of_date - INTERVAL {days} DAY')} "
               f"AS {ident(span_column(c.name, days))}" for days in SPAN_DAYS for c in columns]
    return (
        f"SELECT d.as_of_date, r.unit_id, {', '.join(values)} "
        f"FROM ({date_rows(state_days(plan.start, days), ['as_of_date', 'since', 'first_read'])}) AS d "
        f"JOIN ({rows}) AS r ON r.as_of_date >= d.first_read AND r.as_of_date <= d.as_of_date "
        f"WHERE (r.is_checkpoint AND r.as_of_date = d.since) OR (NOT r.is_checkpoint AND r.as_of_date > d.first_read) "
        f"GROUP BY d.as_of_date, r.unit_id"
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
