"""Checks that the raw data a window is built from exists: the assignment source
has the experiment's exposures on every day of the window, and each fact source
has events on every day. Per source, one statement: a GROUP BY over the
window's days that counts the rows read and the data quality counts together.

Their metadata also counts the rows the pipeline ignores or reads specially
(data quality; these never fail the check):
- both: `null_unit_id_rows` (in the window; ignored), `null_timestamp_rows` (any
  day; they belong to no day and are ignored), `future_rows` (timestamp after
  now; they wait for their day), `duplicate_rows` (in the window, equal to an
  earlier row on every column the pipeline reads; each counts as an event);
- exposures: `unknown_variant_rows` (a variant not in the config; ignored) and,
  when the window starts at the experiment's start / ends at its end date,
  `rows_before_start` / `rows_after_end` (outside the experiment; ignored);
- facts: `invalid_value_rows` and `invalid_values_by_column`: summed values that
  are NaN, infinite or at least 1e100 in magnitude, which count as null (the
  event still counts for count and proportion metrics).
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pandas as pd

from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import checks as check_sql
from exp_assets.warehouse.base import Warehouse

from .outcome import ERROR, Outcome, as_dates, by_day, worst_day
from .settings import CheckSettings


def _rows_per_day(frame: pd.DataFrame, window: DayRange, what: str, source: str) -> Outcome:
    """Whether every day of the window has rows read, from a quality query's rows."""
    inside, _ = _by_scope(frame, window)
    found = dict(zip(as_dates(inside["day"]), inside["read_rows"].fillna(0).astype("int64")))
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


def _with_quality(outcome: Outcome, quality: dict) -> Outcome:
    ignored = {k: v for k, v in quality.items() if isinstance(v, int) and v}
    note = (" Data quality: " + ", ".join(f"{k} {v}" for k, v in ignored.items()) + ".") if ignored else ""
    return Outcome(outcome.passed, outcome.severity, outcome.description + note, {**outcome.metadata, **quality})


def _by_scope(frame: pd.DataFrame, window: DayRange) -> tuple[pd.DataFrame, list[dt.date | None]]:
    """The rows of a quality query in the window, and each row's day (None: a null timestamp)."""
    days = [None if pd.isna(d) else pd.Timestamp(d).date() for d in frame["day"]]
    return frame[[d is not None and window.start <= d < window.end for d in days]], days


def _total(frame: pd.DataFrame, column: str) -> int:
    return int(frame[column].fillna(0).sum()) if len(frame) else 0


def exposure_quality(frame: pd.DataFrame, plan: ExperimentPlan, window: DayRange, before: bool, after: bool) -> dict:
    inside, days = _by_scope(frame, window)
    null_day = frame[[d is None for d in days]]
    quality = {
        "null_unit_id_rows": _total(inside, "null_unit_id_rows"),
        "unknown_variant_rows": _total(inside, "unknown_variant_rows"),
        "null_timestamp_rows": _total(null_day, "row_count"),
        "future_rows": _total(frame, "future_rows"),
        "duplicate_rows": _total(frame, "duplicate_rows"),
    }
    if before:
        quality["rows_before_start"] = _total(frame[[d is not None and d < plan.start for d in days]], "row_count")
    if after:
        end = plan.experiment.end_date
        quality["rows_after_end"] = _total(frame[[d is not None and d > end for d in days]], "row_count")
    return quality


def fact_quality(frame: pd.DataFrame, plan: ExperimentPlan, source: str, window: DayRange) -> dict:
    inside, days = _by_scope(frame, window)
    invalid = {c: _total(inside, f"invalid_{i}") for i, c in enumerate(check_sql.summed_columns(plan, source))}
    return {
        "null_unit_id_rows": _total(inside, "null_unit_id_rows"),
        "null_timestamp_rows": _total(frame[[d is None for d in days]], "row_count"),
        "future_rows": _total(frame, "future_rows"),
        "duplicate_rows": _total(frame, "duplicate_rows"),
        "invalid_value_rows": sum(invalid.values()),
        "invalid_values_by_column": dg.MetadataValue.json(invalid),
    }


def exposures_present(wh: Warehouse, plan: ExperimentPlan, window: DayRange, settings: CheckSettings) -> Outcome:
    source = plan.experiment.assignment_source
    sql, before, after = check_sql.exposure_quality(plan, window)
    duplicates = check_sql.duplicate_rows(plan, source, window, wh.groups_rows_per_day)
    frame = wh.query(check_sql.with_duplicates(sql, duplicates))
    outcome = _rows_per_day(frame, window, f"exposures of {plan.experiment.key!r} in source {source!r}", source)
    return _with_quality(outcome, exposure_quality(frame, plan, window, before, after))


def source_data_present(source: str):
    def evaluate(wh: Warehouse, plan: ExperimentPlan, window: DayRange, settings: CheckSettings) -> Outcome:
        duplicates = check_sql.duplicate_rows(plan, source, window, wh.groups_rows_per_day)
        frame = wh.query(check_sql.with_duplicates(check_sql.fact_quality(plan, source, window), duplicates))
        outcome = _rows_per_day(frame, window, f"events in source {source!r}", source)
        return _with_quality(outcome, fact_quality(frame, plan, source, window))

    return evaluate
