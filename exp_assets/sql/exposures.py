"""SQL of the exposure side: first exposures, the units table as of a day,
crossovers and the exposure summary."""

from __future__ import annotations

import datetime as dt

from exp_assets.days import ONE_DAY, DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import sources
from exp_assets.quoting import date_literal, ident, literal, table


def _dims(plan: ExperimentPlan, alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return "".join(f", {prefix}{ident(d)}" for d in plan.assignment_source.dimensions)


def first_exposures(plan: ExperimentPlan, window: DayRange, earlier_units: str | None) -> str:
    """Units whose first exposure falls in `window`: exposed in it and not in
    `earlier_units` (a relation of unit_id exposed before the window, or None
    when the window starts at the experiment's start). Ties on the timestamp
    break by variant, then dimensions, so the result is deterministic."""
    dims = _dims(plan)
    order = "exposure_ts, variant" + dims
    not_earlier = (
        f"WHERE NOT EXISTS (SELECT 1 FROM ({earlier_units}) AS x WHERE x.unit_id = e.unit_id)"
        if earlier_units else ""
    )
    return (
        f"SELECT unit_id, variant, exposure_ts AS first_exposure_ts, "
        f"exposure_date AS first_exposure_date{dims} FROM ("
        f"SELECT e.*, ROW_NUMBER() OVER (PARTITION BY e.unit_id ORDER BY {order}) AS exposure_rank "
        f"FROM ({sources.exposures(plan, [window])}) AS e {not_earlier}"
        f") AS ranked WHERE exposure_rank = 1"
    )


def units(plan: ExperimentPlan, through: dt.date, from_table: bool) -> str:
    """Units first exposed on or before `through`: read from the first_exposures
    table when all its partitions up to `through` exist, else derived from the
    raw exposures (so a missing day never silently drops units)."""
    if through < plan.start:
        return f"SELECT * FROM ({first_exposures(plan, DayRange(plan.start, plan.start), None)}) AS none"
    if from_table:
        fe = table(plan.schema, plan.table_name("first_exposures"))
        return (
            f"SELECT unit_id, variant, first_exposure_ts, first_exposure_date{_dims(plan)} "
            f"FROM {fe} WHERE first_exposure_date <= {date_literal(through)}"
        )
    return first_exposures(plan, DayRange(plan.start, through + ONE_DAY), None)


def earlier_units(plan: ExperimentPlan, window: DayRange, from_table: bool) -> str | None:
    """unit_id of units exposed between the experiment start and the window."""
    if window.start <= plan.start:
        return None
    if from_table:
        return f"SELECT unit_id FROM ({units(plan, window.start - ONE_DAY, True)}) AS u"
    return f"SELECT unit_id FROM ({sources.exposures(plan, [DayRange(plan.start, window.start)])}) AS e"


def multiple_variant_units(plan: ExperimentPlan, window: DayRange, units_sql: str) -> str:
    """(unit, day) pairs in `window` where the unit was exposed to a variant other
    than its first one."""
    return (
        f"SELECT e.unit_id, e.exposure_date, COUNT(DISTINCT e.variant) AS variants_seen "
        f"FROM ({sources.exposures(plan, [window])}) AS e JOIN ({units_sql}) AS u ON u.unit_id = e.unit_id "
        f"GROUP BY e.unit_id, e.exposure_date "
        f"HAVING MAX(CASE WHEN e.variant <> u.variant THEN 1 ELSE 0 END) = 1"
    )


def day_values(days: list[dt.date], column: str) -> str:
    """A relation of `days` in one DATE column (named, not `*`: the BigQuery
    emulator expands a `*` over the UNNEST that VALUES becomes to a column _col_0)."""
    rows = ", ".join(f"({date_literal(d)})" for d in days)
    return f"SELECT d.{ident(column)} FROM (VALUES {rows}) AS d({ident(column)})"


def exposures_summary(plan: ExperimentPlan, window: DayRange, units_sql: str) -> str:
    """Per variant and day: exposure events, units exposed, new units, cumulative units."""
    variants = ", ".join(f"({literal(v)})" for v in plan.experiment.variants)
    start = date_literal(window.start)
    return (
        f"WITH days AS ({day_values(window.days, 'exposure_date')}), "
        f"variants AS (SELECT * FROM (VALUES {variants}) AS v(variant)), "
        f"events AS (SELECT exposure_date, variant, COUNT(*) AS exposures, COUNT(DISTINCT unit_id) AS exposed_units "
        f"FROM ({sources.exposures(plan, [window])}) AS e GROUP BY exposure_date, variant), "
        f"units AS ({units_sql}), "
        f"new_units AS (SELECT first_exposure_date AS exposure_date, variant, COUNT(*) AS new_units "
        f"FROM units WHERE first_exposure_date >= {start} GROUP BY first_exposure_date, variant), "
        f"prior AS (SELECT variant, COUNT(*) AS units FROM units WHERE first_exposure_date < {start} GROUP BY variant) "
        f"SELECT d.exposure_date, v.variant, COALESCE(e.exposures, 0) AS exposures, "
        f"COALESCE(e.exposed_units, 0) AS exposed_units, COALESCE(n.new_units, 0) AS new_units, "
        f"COALESCE(p.units, 0) + SUM(COALESCE(n.new_units, 0)) OVER (PARTITION BY v.variant ORDER BY d.exposure_date "
        f"ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative_units "
        f"FROM days AS d CROSS JOIN variants AS v "
        f"LEFT JOIN events AS e ON e.exposure_date = d.exposure_date AND e.variant = v.variant "
        f"LEFT JOIN new_units AS n ON n.exposure_date = d.exposure_date AND n.variant = v.variant "
        f"LEFT JOIN prior AS p ON p.variant = v.variant"
    )
