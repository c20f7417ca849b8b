"""SQL of the shared facts (exp_assets.shared_facts): a fact source's events
per unit, day and part of the day, and an experiment's unit-day rows merged
from those parts."""

from __future__ import annotations

import datetime as dt

from exp_assets.days import DayRange
from exp_assets.metrics import kind_of
from exp_assets.plan import ExperimentPlan
from exp_assets.quoting import date_literal, ident
from exp_assets.shared_facts import SourceDays
from exp_assets.sql import sources


def parts(shared: SourceDays, window: DayRange) -> str:
    """event_date, unit_id, part_start (its first event's time) and each metric's
    day columns over the events of the part. A unit's cuts on day D are its
    exposure times plus each of `shared.cut_hours` that fall on D; a part runs
    from a cut (or the day's start) to the next cut. Each event's part is the
    latest cut at or before it, found in one ordered pass over the day's events
    and cuts of each unit (an event at a cut's instant belongs to the part the
    cut starts). A part's first event stands for it: it lies on the same side
    of every cut as the part's other events, and the cuts are the only times
    experiments compare parts with."""
    exposures_from = DayRange(window.start - dt.timedelta(days=shared.exposure_days_before), window.end)
    exposures = " UNION ALL ".join(
        sources.exposure_times(shared.config, a, [exposures_from]) for a in shared.assignment_sources)
    cuts = " UNION ALL ".join(
        f"SELECT x.unit_id, x.exposure_ts{f' + INTERVAL {h} HOUR' if h else ''} AS cut_ts FROM ({exposures}) AS x"
        for h in shared.cut_hours)
    start, end = date_literal(window.start), date_literal(window.end)
    names = [ident(m.name) for m in shared.metrics]
    values = ", ".join(
        f"CAST({aggregate} AS {sql_type}) AS {ident(column)}"
        for m in shared.metrics for column, aggregate, sql_type in kind_of(m).day_columns(m, f"e.{ident(m.name)}"))
    events = sources.source_events(shared.config, shared.source, [window], shared.metrics)
    return (
        f"WITH cuts AS (SELECT DISTINCT c.unit_id, c.cut_ts, CAST(c.cut_ts AS DATE) AS cut_date FROM ({cuts}) AS c "
        f"WHERE CAST(c.cut_ts AS DATE) >= {start} AND CAST(c.cut_ts AS DATE) < {end}), "
        f"marked AS (SELECT v.unit_id, v.event_date, v.event_ts, {', '.join(f'v.{n}' for n in names)}, 0 AS is_cut "
        f"FROM ({events}) AS v UNION ALL SELECT c.unit_id, c.cut_date, c.cut_ts, "
        f"{', '.join('NULL' for _ in names)}, 1 FROM cuts AS c), "
        f"parted AS (SELECT m.*, MAX(CASE WHEN m.is_cut = 1 THEN m.event_ts END) OVER ("
        f"PARTITION BY m.unit_id, m.event_date ORDER BY m.event_ts, m.is_cut DESC "
        f"ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cut FROM marked AS m) "
        f"SELECT e.event_date, e.unit_id, MIN(e.event_ts) AS part_start, {values} FROM parted AS e "
        f"WHERE e.is_cut = 0 GROUP BY e.event_date, e.unit_id, e.cut"
    )


def unit_days_from_parts(plan: ExperimentPlan, source: str, parts_sql: str, units_sql: str) -> str:
    """The experiment's user_level_aggregations rows of `source` (as
    sql.metrics.user_level_aggregations makes them from the events) from the
    shared parts in `parts_sql`: the parts starting at or after the unit's first
    exposure, each metric's inside its window (a part is wholly in or out)."""
    values = []
    for m in plan.metrics_of(source):
        kind = kind_of(m)
        within = kind.exposure_window(m)
        values += [f"CAST({aggregate} AS {sql_type}) AS {ident(column)}"
                   for column, aggregate, sql_type in kind.merged_day_columns(
                       m, lambda c, within=within: f"CASE WHEN {within} THEN e.{ident(c)} END")]
    return (
        f"SELECT e.unit_id, e.event_date, {', '.join(values)} "
        f"FROM (SELECT p.*, p.part_start AS event_ts FROM ({parts_sql}) AS p) AS e "
        f"JOIN ({units_sql}) AS u ON u.unit_id = e.unit_id AND e.event_ts >= u.first_exposure_ts "
        f"GROUP BY e.unit_id, e.event_date"
    )
