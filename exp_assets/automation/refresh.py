"""Which days of an experiment a refresh should run: the newest complete day, a
lookback for late data, days whose run failed or never happened (or whose
blocking check failed), days whose sources changed, and everything when a
definition changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import dagster as dg

from exp_assets.automation import workers
from exp_assets.days import ONE_DAY, DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.warehouse.base import Warehouse

# The range tags Dagster's single-run backfills use: one run covers the range.
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def asset_keys(plan: ExperimentPlan) -> list[dg.AssetKey]:
    return [dg.AssetKey([plan.id, a.name]) for a in plan.artifacts]


def stale_definitions(instance: dg.DagsterInstance, plan: ExperimentPlan) -> list[str]:
    """Artifacts whose latest materialization was made by another definition
    (e.g. a metric was added or edited): their whole history needs a rerun."""
    stale = []
    for artifact in plan.artifacts:
        event = instance.get_latest_materialization_event(dg.AssetKey([plan.id, artifact.name]))
        if event is None:
            continue
        version = (event.asset_materialization.tags or {}).get("dagster/code_version")
        if version != plan.code_version(artifact.name):
            stale.append(artifact.name)
    return stale


def missing_days(instance: dg.DagsterInstance, plan: ExperimentPlan, keys: list[str]) -> list[str]:
    """Partition keys some asset of the experiment lacks (a failed or skipped run)."""
    missing: set[str] = set()
    for key in asset_keys(plan):
        done = instance.get_materialized_partitions(key)
        missing.update(k for k in keys if k not in done)
    return sorted(missing)


def rebuilt_since(instance: dg.DagsterInstance, plan: ExperimentPlan, marks: dict[str, int],
                  keys: list[str]) -> set[str]:
    """Partition keys of `marks` ({key: event-log id}) such that every asset of the
    experiment has materialized that day and every later one of `keys` after that
    id, i.e. since the change seen then (later days are built upon it: cumulative
    unit totals, rollups)."""
    if not marks:
        return set()
    later = {k for k in keys if k >= min(marks)}
    rebuilt = set(marks)
    for asset in asset_keys(plan):
        latest = instance.event_log_storage.get_latest_storage_id_by_partition(
            asset, dg.DagsterEventType.ASSET_MATERIALIZATION, later)
        rebuilt = {d for d in rebuilt if all(latest.get(k, 0) > marks[d] for k in later if k >= d)}
    return rebuilt


def unbuilt_days(wh: Warehouse, plan: ExperimentPlan, keys: list[str]) -> list[str]:
    """Partition keys some artifact has no ledger row for: never written, or
    forgotten because a blocking check failed. The ledger, not Dagster's event
    log, is what the steps build upon (a failed check's materialization is in
    the event log, but its days are not usable)."""
    days = DayRange(dt.date.fromisoformat(keys[0]), dt.date.fromisoformat(keys[-1]) + ONE_DAY)
    tables = [plan.table_name(a.name) for a in plan.artifacts]
    written = wh.tables_written_per_day(tables, days.start, days.end)
    return [d.isoformat() for d in days.days if written.get(d, 0) < len(tables)]


def refresh_range(
    instance: dg.DagsterInstance,
    plan: ExperimentPlan,
    partitions: dg.DailyPartitionsDefinition,
    now: dt.datetime,
    lookback_days: int,
    changed_days: Iterable[str] = (),
    warehouse: Warehouse | None = None,
) -> tuple[str, str] | None:
    """(first, last) partition key to run, or None when nothing is due. `last`
    is the newest complete day; `first` goes back `lookback_days`, and further
    to the earliest failed/missing, unbuilt (per the `warehouse`'s ledger) or
    changed day, or to the start when a definition changed."""
    keys = partitions.get_partition_keys(current_time=now)
    if not keys:
        return None
    newest = len(keys) - 1
    wanted = {keys[max(0, newest - lookback_days)]} if lookback_days >= 0 else set()
    wanted.update(k for k in changed_days if k in keys)
    wanted.update(missing_days(instance, plan, keys))
    if warehouse is not None:
        wanted.update(unbuilt_days(warehouse, plan, keys))
    if stale_definitions(instance, plan):
        wanted.add(keys[0])
    if not wanted:
        return None
    return min(wanted), keys[-1]


def in_flight(instance: dg.DagsterInstance, job_name: str) -> bool:
    """A live run of the job is queued or running: requesting another would race
    it. A run whose worker process is gone (killed) is marked failed instead, as
    a person would, so it holds neither this check nor the run queue."""
    active = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
              dg.DagsterRunStatus.STARTED]
    live = False
    for record in instance.get_run_records(dg.RunsFilter(job_name=job_name, statuses=active)):
        if workers.is_dead(instance, record):
            instance.report_run_failed(record.dagster_run, "its worker process is gone (killed); marked failed by "
                                                           f"{job_name}'s automation")
        else:
            live = True
    return live
