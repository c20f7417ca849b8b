"""An experiment's totals for one run (rows written, source rows scanned,
warehouse seconds), kept as run tags: the Runs page shows them once per run,
whoever launched it (CLI, schedule, sensor, UI)."""

from __future__ import annotations

import dagster as dg

# tag -> the run.* figure each asset's last day's event records
TOTALS = {
    "exp_assets/rows_written": "run.rows_written",
    "exp_assets/source_rows_scanned": "run.rows_scanned_sources",
    "exp_assets/warehouse_seconds": "run.seconds",
}


# run id -> the totals of the steps this process ran in it. With the in-process
# executor (DuckDB) every step of a run adds to them here; a process that has not
# seen the run before (a step of the multiprocess executor) sums the run's events.
_SEEN: dict[str, dict[str, float]] = {}


def record_run_totals(context: dg.AssetExecutionContext, figures: dict) -> None:
    """Add this step's run `figures` to the totals of the steps already
    recorded in the run, and tag the run with the sums. Each step rewrites the
    tags, so the last step leaves the whole run's; steps running in parallel
    (the multiprocess executor on Snowflake and BigQuery) can miss each other's
    figures if they finish at the same moment."""
    run_id = context.run.run_id
    sums = _SEEN.get(run_id)
    if sums is None:
        sums = _SEEN[run_id] = _recorded(context.instance, run_id)
    for tag, key in TOTALS.items():
        sums[tag] += figures.get(key, 0)
    context.instance.add_run_tags(run_id, {tag: _tag_value(v) for tag, v in sums.items()})


def _recorded(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    """The totals of the run's materializations recorded so far."""
    sums = dict.fromkeys(TOTALS, 0)
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION).records
    for record in records:
        metadata = record.event_log_entry.asset_materialization.metadata
        for tag, key in TOTALS.items():
            if key in metadata:
                sums[tag] += metadata[key].value
    return sums


def _tag_value(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.3f}"


def totals_text(tags: dict[str, str]) -> str:
    """The totals of a run's tags, as one line for the terminal."""
    if TOTALS.keys() - tags.keys():
        return "no totals recorded"
    rows, scanned, seconds = (float(tags[t]) for t in TOTALS)
    return f"{rows:,.0f} rows written, {scanned:,.0f} source rows scanned, {seconds:.1f} s in the warehouse"
