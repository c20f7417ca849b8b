"""SQL of the shared facts (exp_assets.shared_facts): a fact source's events
per unit, day and part of the day, and an experiment's unit-day rows merged
from those parts."""

from __future__ import annotations

import datetime as dt

from exp_assets.days import DayRange
from exp_assets.metrics import kind_of
from exp_assets.plan import ExperimentPlan
from exp_assets.quoting import ident
from exp_assets.shared_facts import SourceDays
from exp_assets.sql import sources


def parts(shared: SourceDays, window: DayRange) -> str:
    """event_date, unit_id, part_start (its first event's time) and each metric's
    day columns over the events of the part. A unit's cuts on day D are the
    times that can be its first exposure to one of the experiments (the
    earliest of each day to each) plus each of `shared.cut_hours` that fall on
    D; a part runs from a cut (or the day's start) to the next cut (or the
    day's end), and an event at a cut's instant belongs to the part the cut
    starts. Only the cuts of unit-days with events are kept: most exposed units
    are idle on a given day, so this keeps the cuts, and the window pass that
    pairs each with the next, a fraction of the day's events. A part's first
    event stands for it: it lies on the same side of every cut as the part's
    other events, and the cuts are the only times experiments compare parts with."""
    exposures_from = DayRange(window.start - dt.timedelta(days=shared.exposure_days_before), window.end)
    exposures = " UNION ALL ".join(
        sources.daily_first_exposures(shared.config, a, shared.plans_on(a), [exposures_from])
        for a in shared.assignment_sources)
    cuts = " UNION ALL ".join(
        f"SELECT x.unit_id, x.exposure_ts{f' + INTERVAL {h} HOUR' if h else ''} AS cut_ts FROM ({exposures}) AS x"
        for h in shared.cut_hours)
    values = ", ".join(
        f"CAST({aggregate} AS {sql_type}) AS {ident(column)}"
        for m in shared.metrics for column, aggregate, sql_type in kind_of(m).day_columns(m, f"e.{ident(m.name)}"))
    events = sources.source_events(shared.config, shared.source, [window], shared.metrics)
    return (
        f"WITH events AS ({events}), "
        f"cuts AS (SELECT DISTINCT c.unit_id, c.cut_ts, a.event_date AS cut_date FROM ({cuts}) AS c "
        f"JOIN (SELECT DISTINCT unit_id, event_date FROM events) AS a "
        f"ON a.unit_id = c.unit_id AND a.event_date = CAST(c.cut_ts AS DATE)), "
        f"parts AS (SELECT c.unit_id, c.cut_date, c.cut_ts AS part_from, LEAD(c.cut_ts) OVER ("
        f"PARTITION BY c.unit_id, c.cut_date ORDER BY c.cut_ts) AS part_to FROM cuts AS c) "
        f"SELECT e.event_date, e.unit_id, MIN(e.event_ts) AS part_start, {values} FROM events AS e "
        f"LEFT JOIN parts AS p ON p.unit_id = e.unit_id AND p.cut_date = e.event_date "
        f"AND e.event_ts >= p.part_from AND (p.part_to IS NULL OR e.event_ts < p.part_to) "
        f"GROUP BY e.event_date, e.unit_id, p.part_from"
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
