"""A new-data sensor per experiment, on by default: watches each source's rows,
latest timestamp and row-hash fingerprint per day over a recent horizon, and
requests a run from the earliest day that changed (late rows and updates of old
rows included, which the schedule's short lookback would miss). A changed day
stays due until the warehouse's ledger shows every artifact written for it and
every later day after the change was seen: a run killed or failed before then,
or one of fewer days, is requested again (under a new run key)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import dagster as dg
import pandas as pd

from exp_assets.automation.refresh import RANGE_END, RANGE_START, in_flight, read_ledger, refresh_range
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


def last_write(ledger: pd.DataFrame) -> str | None:
    """When the newest row of `ledger` was written (the warehouse's clock, as
    ISO text in UTC at the engine's full precision); None when it is empty.
    Taken as the moment a change was seen: no run is in flight then, so every
    write that could predate the change is in the ledger, and a write after it
    is stamped later by the same clock (no skew between the sensor's host and
    the warehouse enters)."""
    written = pd.to_datetime(ledger["written_at"], utc=True)
    return None if written.empty else written.max().isoformat()


def rebuilt_since(ledger: pd.DataFrame, plan: ExperimentPlan, due: dict[str, str | None],
                  keys: list[str]) -> set[str]:
    """Partition keys of `due` ({key: `last_write` when its change was seen})
    whose day and every later day of `keys` (built upon it: cumulative unit
    totals, rollups) have a ledger row of every artifact written after that."""
    written = pd.to_datetime(ledger["written_at"], utc=True)
    whole = ledger.groupby("partition_date")["table_name"].nunique() == len(plan.artifacts)
    # when each day was wholly rebuilt last: its oldest artifact's write (NaT: an artifact is missing)
    built = written.groupby(ledger["partition_date"]).min().where(whole)
    days = [dt.date.fromisoformat(k) for k in keys]
    rebuilt = set()
    for key, seen in due.items():
        since = pd.Timestamp(seen) if seen is not None else None
        times = [built.get(d, pd.NaT) for d in days if d >= dt.date.fromisoformat(key)]
        if all(pd.notna(t) and (since is None or t > since) for t in times):
            rebuilt.add(key)
    return rebuilt


def read_cursor(cursor: str | None, seen_now: str | None) -> tuple[dict[str, list], dict[str, str | None]]:
    """(source state, {changed day: `last_write` when its change was seen}) of a tick's cursor."""
    saved = json.loads(cursor) if cursor else {}
    if "state" not in saved:  # written before days were kept due: it is the state alone
        saved = {"state": saved}
    # Written while Dagster's event log decided, a due day holds an event-log id:
    # it is taken as seen now, so it stays due until rebuilt after this tick (at
    # worst one more run of days that were rebuilt already).
    due = {day: seen_now if isinstance(seen, int) else seen for day, seen in saved.get("due", {}).items()}
    return saved["state"], due


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
        # read before anything else: the run key below changes once anything ran since this tick,
        # a run that failed before writing anything too (it leaves no ledger row, but events)
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
            ledger = read_ledger(warehouse, plan, keys)
        except WarehouseBusy as error:
            return dg.SkipReason(f"warehouse not readable now ({error}); looking again next tick")
        seen = last_write(ledger)
        before, due = read_cursor(context.cursor, seen)
        # the first tick only takes a baseline: what was never run shows up as missing
        due.update({day: seen for day in changed_days(before, state)} if context.cursor else {})
        for day in rebuilt_since(ledger, plan, due, keys):
            del due[day]
        span = refresh_range(plan, partitions, now, lookback_days=-1, changed_days=due, ledger=ledger)
        cursor = json.dumps({"state": state, "due": due}, sort_keys=True)
        context.update_cursor(cursor)
        if span is None:
            return dg.SkipReason("no source changed and nothing is missing")
        first, last = span
        # the same data never triggers twice, unless runs happened since (the last request failed)
        key = hashlib.sha256(f"{cursor}@{mark}".encode()).hexdigest()[:12]
        return dg.RunRequest(run_key=f"{first}..{last}@{key}", tags={RANGE_START: first, RANGE_END: last})

    return _sensor
