"""Every unit's totals on a day, read from unit_totals' layout: a snapshot of
every unit every `refresh.snapshot_every_days` days, and between snapshots only
the rows of the units whose totals changed (artifacts.snapshot_day). A unit's
totals on day D are its newest row from D's snapshot through D."""

from __future__ import annotations

import datetime as dt

from exp_assets.artifacts import snapshot_day
from exp_assets.plan import ExperimentPlan
from exp_assets.quoting import date_literal, ident


def unit_state(plan: ExperimentPlan, totals_table: str, days: list[dt.date], columns: list[str],
               units_sql: str | None = None) -> str:
    """(as_of_date, unit_id, `columns`) of every unit exposed by each of `days`,
    from `totals_table`, which holds every partition from each day's snapshot
    through the day. `units_sql` (a SELECT of unit_id): those units alone,
    chosen before the newest rows are picked out."""
    return " UNION ALL ".join(_on(plan, totals_table, day, columns, units_sql) for day in days)


def _on(plan: ExperimentPlan, totals_table: str, day: dt.date, columns: list[str], units_sql: str | None) -> str:
    names = ", ".join(f"t.{ident(c)}" for c in ["unit_id", *columns])
    chosen = f" AND t.unit_id IN (SELECT unit_id FROM ({units_sql}) AS chosen)" if units_sql else ""
    since = snapshot_day(plan, day)
    if since == day:  # a snapshot day: its rows are everyone's
        return (f"SELECT {date_literal(day)} AS as_of_date, {names} FROM {totals_table} AS t "
                f"WHERE t.as_of_date = {date_literal(day)}{chosen}")
    newest = "ROW_NUMBER() OVER (PARTITION BY t.unit_id ORDER BY t.as_of_date DESC) AS newest"
    return (f"SELECT {date_literal(day)} AS as_of_date, {', '.join(f'r.{ident(c)}' for c in ['unit_id', *columns])} "
            f"FROM (SELECT {names}, {newest} FROM {totals_table} AS t "
            f"WHERE t.as_of_date >= {date_literal(since)} AND t.as_of_date <= {date_literal(day)}{chosen}) AS r "
            f"WHERE r.newest = 1")
