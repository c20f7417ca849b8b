"""Every unit's totals on a day, read from unit_totals' layout: snapshots of
every unit (on scheduled days, and on days most units changed) and, between
them, only the rows of the units whose totals changed (steps._snapshot_before).
A unit's totals on day D are its newest row from D's snapshot through D."""

from __future__ import annotations

import datetime as dt

from exp_assets.days import ONE_DAY
from exp_assets.quoting import date_literal, ident
from exp_assets.sql.exposures import day_values


def unit_state(totals_table: str, snapshots: dict[dt.date, dt.date], columns: list[str],
               units_sql: str | None = None) -> str:
    """(as_of_date, unit_id, `columns`) of every unit exposed by each day of
    `snapshots` (day -> the day of its snapshot), from `totals_table`, which
    holds every partition from each day's snapshot through the day.
    `units_sql` (a SELECT of unit_id): those units alone, chosen first."""
    names = ["unit_id", *columns]
    chosen = f" AND t.unit_id IN (SELECT unit_id FROM ({units_sql}) AS chosen)" if units_sql else ""
    parts = []
    if own := [date_literal(day) for day, snapshot in sorted(snapshots.items()) if day == snapshot]:
        # snapshot days: their rows are everyone's
        parts.append(f"SELECT t.as_of_date, {_of('t', names)} FROM {totals_table} AS t "
                     f"WHERE t.as_of_date IN ({', '.join(own)}){chosen}")
    since: dict[dt.date, list[dt.date]] = {}
    for day in sorted(d for d, snapshot in snapshots.items() if d != snapshot):
        since.setdefault(snapshots[day], []).append(day)
    parts += [_between(totals_table, snapshot, on, names, chosen) for snapshot, on in since.items()]
    return " UNION ALL ".join(parts)


def _of(alias: str, names: list[str]) -> str:
    return ", ".join(f"{alias}.{ident(c)}" for c in names)


def _between(totals_table: str, snapshot: dt.date, days: list[dt.date], names: list[str], chosen: str) -> str:
    """The totals on `days`, all after `snapshot` and before the next one: each row
    of the snapshot and the days after it holds its unit's totals from its day
    until the unit's next row, so one pass over those rows serves every day."""
    last = days[-1]
    until = (f"COALESCE(LEAD(t.as_of_date) OVER (PARTITION BY t.unit_id ORDER BY t.as_of_date), "
             f"{date_literal(last + ONE_DAY)}) AS held_until")
    return (f"SELECT d.as_of_date, {_of('r', names)} "
            f"FROM (SELECT {_of('t', names)}, t.as_of_date AS held_from, {until} "
            f"FROM {totals_table} AS t WHERE t.as_of_date >= {date_literal(snapshot)} "
            f"AND t.as_of_date <= {date_literal(last)}{chosen}) AS r "
            f"JOIN ({day_values(days, 'as_of_date')}) AS d "
            f"ON d.as_of_date >= r.held_from AND d.as_of_date < r.held_until")
