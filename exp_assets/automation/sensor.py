"""A new-data sensor per experiment, on by default: watches each source's rows,
latest timestamp and row-hash fingerprint per day over a recent horizon, and
requests a run from the earliest day that changed (late rows and updates of old
rows included, which the schedule's short lookback would miss). A changed day
stays due until every asset has materialized it and every later day after the
change was seen: a run killed or failed before then, or one of fewer days, is
requested again (under a new run key)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import dagster as dg

from exp_assets.automation.refresh import RANGE_END, RANGE_START, in_flight, rebuilt_since, refresh_range
from exp_assets.days import ONE_DAY, DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import freshness
from exp_assets.warehouse.base import WarehouseBusy


def source_state(wh, plan: ExperimentPlan, newest: dt.date) -> dict[str, list]:
    """{"source|day": [rows, max_ts, fingerprint]} over the late-data horizon ending
    with the newest complete day (a day still filling is looked at once it is over)."""
    horizon = DayRange(newest - (plan.experiment.refresh.late_data_days - 1) * ONE_DAY, newest + ONE_DAY)
    columns = {s: list(wh.query(freshness.columns_sql(plan, s, horizon)).columns)
               for s in freshness.watched_sources(plan)}
    frame = wh.query(freshness.changes(plan, horizon, columns))
    return {f"{r.source}|{r.day:%Y-%m-%d}": [int(r.row_count), str(r.max_ts), str(r.fingerprint)]
            for r in frame.itertuples()}


def changed_days(before: dict[str, list], after: dict[str, list]) -> set[str]:
    """Days whose rows, latest timestamp or fingerprint differ (new days, late rows, updated rows)."""
    keys = set(before) | set(after)
    return {k.split("|", 1)[1] for k in keys if before.get(k) != after.get(k)}


def read_cursor(cursor: str | None) -> tuple[dict[str, list], dict[str, int]]:
    """(source state, {changed day: event-log id when its change was seen}) of a tick's cursor."""
    saved = json.loads(cursor) if cursor else {}
    if "state" not in saved:  # written before days were kept due: it is the state alone
        saved = {"state": saved}
    return saved["state"], saved.get("due", {})


def new_data_sensor(plan: ExperimentPlan, job, partitions: dg.DailyPartitionsDefinition, read_only_warehouse):
    """`read_only_warehouse()` opens the warehouse for reading only: the sensor
    never takes DuckDB's write lock and skips a tick while a run holds it."""
    refresh = plan.experiment.refresh

    @dg.sensor(
        name=f"{plan.id}_new_data",
        job=job,
        minimum_interval_seconds=refresh.sensor_interval_seconds,
        # on by default: late and updated rows are caught without anyone turning it on
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            f"Requests a run of {plan.id} for the days whose source rows changed over the last "
            f"{refresh.late_data_days} days (new days, late rows, updated rows), plus failed or missing days."
        ),
    )
    def _sensor(context: dg.SensorEvaluationContext):
        # read before anything else: a materialization after this id was made after the change below was seen
        mark = context.instance.event_log_storage.get_maximum_record_id() or 0
        if in_flight(context.instance, job.name):
            return dg.SkipReason(f"a run of {job.name} is in flight; looking again next tick")
        now = dt.datetime.now(dt.timezone.utc)
        keys = partitions.get_partition_keys(current_time=now)
        if not keys:
            return dg.SkipReason(f"{plan.id} has no complete day yet")
        try:
            warehouse = read_only_warehouse()
            state = source_state(warehouse, plan, dt.date.fromisoformat(keys[-1]))
            before, due = read_cursor(context.cursor)
            # the first tick only takes a baseline: what was never run shows up as missing
            due.update({day: mark for day in changed_days(before, state)} if context.cursor else {})
            for day in rebuilt_since(context.instance, plan, due, keys):
                del due[day]
            span = refresh_range(plan, partitions, now, lookback_days=-1, changed_days=due, warehouse=warehouse)
        except WarehouseBusy as error:
            return dg.SkipReason(f"warehouse not readable now ({error}); looking again next tick")
        cursor = json.dumps({"state": state, "due": due}, sort_keys=True)
        context.update_cursor(cursor)
        if span is None:
            return dg.SkipReason("no source changed and nothing is missing")
        first, last = span
        # the same data never triggers twice, unless runs happened since (the last request failed)
        seen = hashlib.sha256(f"{cursor}@{mark}".encode()).hexdigest()[:12]
        return dg.RunRequest(run_key=f"{first}..{last}@{seen}", tags={RANGE_START: first, RANGE_END: last})

    return _sensor
