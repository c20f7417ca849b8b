"""Checks that the raw data a window is built from exists: the assignment source
has the experiment's exposures on every day of the window, and each fact source
has events on every day. One GROUP BY per source over the window's days."""

from __future__ import annotations

import dagster as dg

from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import checks as check_sql
from exp_assets.warehouse.base import Warehouse

from .outcome import ERROR, Outcome, as_dates, by_day, worst_day
from .settings import CheckSettings


def _rows_per_day(wh: Warehouse, sql: str, window: DayRange, what: str, source: str) -> Outcome:
    frame = wh.query(sql)
    found = dict(zip(as_dates(frame["day"]), frame["row_count"].astype("int64")))
    rows = {day: int(found.get(day, 0)) for day in window.days}
    missing = [day for day in window.days if rows[day] == 0]
    day = missing[0] if missing else worst_day(rows, lambda n: -n)
    passed = not missing
    description = (
        f"{what} on every day of {window} ({sum(rows.values())} rows, fewest {rows[day]} on {day})."
        if passed else
        f"No {what} on {len(missing)} of {len(window.days)} days: {', '.join(d.isoformat() for d in missing)}."
    )
    return Outcome(passed, ERROR, description, {
        "source": source,
        "rows": sum(rows.values()),
        "min_rows": rows[day],
        "days_checked": len(window.days),
        "days_missing": len(missing),
        "worst_day": day.isoformat(),
        "missing_days": dg.MetadataValue.json([d.isoformat() for d in missing]),
        "rows_by_day": by_day(rows),
    })


def exposures_present(wh: Warehouse, plan: ExperimentPlan, window: DayRange, settings: CheckSettings) -> Outcome:
    source = plan.experiment.assignment_source
    return _rows_per_day(wh, check_sql.exposure_rows_by_day(plan, window), window,
                         f"exposures of {plan.experiment.key!r} in source {source!r}", source)


def source_data_present(source: str):
    def evaluate(wh: Warehouse, plan: ExperimentPlan, window: DayRange, settings: CheckSettings) -> Outcome:
        return _rows_per_day(wh, check_sql.fact_rows_by_day(plan, source, window), window,
                             f"events in source {source!r}", source)

    return evaluate
