"""The daily incremental refresh of one experiment."""

from __future__ import annotations

import dagster as dg

from exp_assets.automation.refresh import RANGE_END, RANGE_START, read_ledger, refresh_range
from exp_assets.plan import ExperimentPlan
from exp_assets.warehouse.base import WarehouseBusy


def daily_schedule(plan: ExperimentPlan, job, partitions: dg.DailyPartitionsDefinition,
                   read_only_warehouse) -> dg.ScheduleDefinition:
    """`read_only_warehouse()` opens the warehouse for reading the ledger (days
    never built, or left unbuilt by a failed run or blocking check; partitions
    of another definition); while a run holds DuckDB's file the tick requests
    the lookback alone (the run queue holds it until that run ends), and the
    next tick or the sensor picks up the rest."""
    lookback = plan.experiment.refresh.lookback_days

    @dg.schedule(
        name=f"{plan.id}_daily",
        job=job,
        cron_schedule="0 1 * * *",
        execution_timezone="UTC",
        description=(
            f"Incremental refresh of {plan.id}: the newest complete day plus {lookback} days of lookback "
            "for late data, back to any day whose run or blocking check failed, and the whole history after a definition "
            "changed. One run per tick (single-run range)."
        ),
    )
    def _schedule(context: dg.ScheduleEvaluationContext):
        when = context.scheduled_execution_time
        try:
            ledger = read_ledger(read_only_warehouse(), plan, partitions.get_partition_keys(current_time=when))
        except WarehouseBusy as error:
            context.log.warning(f"{plan.id}: warehouse not readable now ({error}); refreshing the lookback only")
            ledger = None
        span = refresh_range(plan, partitions, when, lookback, ledger=ledger)
        if span is None:
            return dg.SkipReason(f"{plan.id}: no complete day to refresh yet")
        first, last = span
        return dg.RunRequest(run_key=f"{first}..{last}", tags={RANGE_START: first, RANGE_END: last})

    return _schedule
