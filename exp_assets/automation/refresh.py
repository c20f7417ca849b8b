"""Which days of an experiment a refresh should run: the newest complete day, a
lookback for late data, days whose run failed or never happened (or whose
blocking check failed), days whose sources changed, and everything when a
definition changed. What exists, and by which definition, is read from the
warehouse's ledger, the truth the steps build upon."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import dagster as dg
import pandas as pd

from exp_assets.automation import workers
from exp_assets.days import ONE_DAY, DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.warehouse.base import LEDGER_COLUMNS, Warehouse

# The range tags Dagster's single-run backfills use: one run covers the range.
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def read_ledger(wh: Warehouse, plan: ExperimentPlan, keys: list[str]) -> pd.DataFrame:
    """The ledger rows of the experiment's tables over the partition `keys`, in
    one query (automation asks every tick, and billed engines charge per query)."""
    if not keys:
        return pd.DataFrame(columns=list(LEDGER_COLUMNS))
    days = _days(keys)
    return wh.ledger_rows([plan.table_name(a.name) for a in plan.artifacts], days.start, days.end)


def stale_definitions(ledger: pd.DataFrame, plan: ExperimentPlan) -> list[str]:
    """Artifacts with a partition written by another definition (e.g. a metric
    was added or edited): their whole history needs a rerun."""
    current = {plan.table_name(a.name): (a.name, a.code_version) for a in plan.artifacts}
    stale = {current[r.table_name][0] for r in ledger.itertuples() if r.code_version != current[r.table_name][1]}
    return [a.name for a in plan.artifacts if a.name in stale]


def unbuilt_days(ledger: pd.DataFrame, plan: ExperimentPlan, keys: list[str]) -> list[str]:
    """Partition keys some artifact has no ledger row for: never written, a run
    that failed or was killed before writing it, or forgotten because a blocking
    check failed (its materialization is in Dagster's event log, but its days
    are not usable: the ledger is what the steps build upon)."""
    tables = ledger.groupby("partition_date")["table_name"].nunique().to_dict()
    return [d.isoformat() for d in _days(keys).days if tables.get(d, 0) < len(plan.artifacts)]


def _days(keys: list[str]) -> DayRange:
    return DayRange(dt.date.fromisoformat(keys[0]), dt.date.fromisoformat(keys[-1]) + ONE_DAY)


def refresh_range(
    plan: ExperimentPlan,
    partitions: dg.DailyPartitionsDefinition,
    now: dt.datetime,
    lookback_days: int,
    changed_days: Iterable[str] = (),
    ledger: pd.DataFrame | None = None,
) -> tuple[str, str] | None:
    """(first, last) partition key to run, or None when nothing is due. `last`
    is the newest complete day; `first` goes back `lookback_days`, and further
    to the earliest changed day and, per the `ledger` (`read_ledger` over the
    partition keys; None: not readable now), to the earliest unbuilt day, or
    to the start when a definition changed."""
    keys = partitions.get_partition_keys(current_time=now)
    if not keys:
        return None
    newest = len(keys) - 1
    wanted = {keys[max(0, newest - lookback_days)]} if lookback_days >= 0 else set()
    wanted.update(k for k in changed_days if k in keys)
    if ledger is not None:
        wanted.update(unbuilt_days(ledger, plan, keys))
        if stale_definitions(ledger, plan):
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
