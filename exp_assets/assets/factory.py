"""The per-experiment asset factory: one daily-partitioned asset per artifact
(one multi-asset runs them), single-run backfills, a partitioned job and a
daily schedule, all owned by a Definitions object of the experiment's own."""

import random
import time
import warnings
from urllib.parse import quote

import dagster as dg

from exp_assets import steps
from exp_assets.days import ONE_DAY, DayRange
from exp_assets.artifacts import RESULTS, USER_LEVEL_AGGREGATIONS, Artifact, Input, same_day
from exp_assets.assets.shared import shared_key, shared_key_of_table
from exp_assets.shared_facts import SOURCE_DAYS, source_days_of
from exp_assets.plan import ExperimentPlan
from exp_assets.sql.dialects import pretty
from exp_assets.assets.resources import read_only_warehouse, warehouse_from_resource
from exp_assets.assets.run_totals import record_run_totals
from exp_assets.automation import daily_schedule, new_data_sensor
from exp_assets.automation.workers import record_host
from exp_assets.checks import blocking_failed, check_specs, evaluate_checks
from exp_assets.assets.report import report_asset, report_link, report_note
from exp_assets.results_metadata import MARKDOWN, results_metadata_by_day
from exp_assets.warehouse import Warehouse
from exp_assets.warehouse.base import WarehouseBusy, WriteReport

# Single-run backfills and partition mappings that tolerate days before the
# experiment's start are the point of this design; their beta notices are noise.
warnings.filterwarnings("ignore", category=dg.BetaWarning)

# "Every day up to D" in partitions: further back than any experiment runs.
ALL_DAYS = 100_000

def partitions_for(plan: ExperimentPlan) -> dg.DailyPartitionsDefinition:
    end = plan.experiment.end_date
    return dg.DailyPartitionsDefinition(
        start_date=plan.start.isoformat(),
        end_date=(end + ONE_DAY).isoformat() if end else None,
    )


def job_name(plan: ExperimentPlan) -> str:
    return f"{plan.id}_pipeline"


def experiment_definitions(plan: ExperimentPlan) -> dg.Definitions:
    partitions = partitions_for(plan)
    assets = [_pipeline(plan, partitions), report_asset(plan)]
    job = dg.define_asset_job(
        job_name(plan),
        selection=dg.AssetSelection.groups(plan.id),
        description=f"Every asset of experiment {plan.id}; a partition range runs as one pass.",
        tags={EXPERIMENT_TAG: plan.id},
    )

    def read_only() -> Warehouse:
        return read_only_warehouse(plan.config)

    return dg.Definitions(
        assets=assets,
        jobs=[job],
        schedules=[daily_schedule(plan, job, partitions, read_only)],
        sensors=[new_data_sensor(plan, job, partitions, read_only)],
    )


# Every run of an experiment's job carries this tag (schedule, sensor, UI, CLI):
# the UI's Runs page filters by it.
EXPERIMENT_TAG = "exp_assets/experiment"


def warehouse_pool(config) -> str | None:
    """The concurrency pool of the assets writing an embedded DuckDB file, one per
    file: the dagster.yaml `exp-assets demo` writes limits each pool to one run
    at a time (run granularity). Snowflake and BigQuery take concurrent writers."""
    wh = config.warehouse
    return f"duckdb:{quote(str(wh.database))}" if wh.type == "duckdb" else None  # a pool name has no spaces


def _key(plan: ExperimentPlan, artifact: str) -> dg.AssetKey:
    return dg.AssetKey([plan.id, artifact])


def _deps(plan: ExperimentPlan, artifact: Artifact) -> list[dg.AssetDep]:
    """The artifact's inputs, and the same days of the artifacts whose blocking
    check gates it, as asset dependencies with their partition mappings."""
    shared = source_days_of(plan, *artifact.params) if artifact.family is USER_LEVEL_AGGREGATIONS else None
    return [*(_dep(plan, i) for i in artifact.inputs),
            *(_dep(plan, same_day(name)) for name in artifact.gated_by),
            *([dg.AssetDep(shared_key(shared))] if shared else [])]


def _dep(plan: ExperimentPlan, upstream: Input) -> dg.AssetDep:
    if upstream.days_before == 0:
        return dg.AssetDep(_key(plan, upstream.artifact))
    mapping = dg.TimeWindowPartitionMapping(
        start_offset=-(ALL_DAYS if upstream.days_before is None else upstream.days_before), end_offset=0,
        allow_nonexistent_upstream_partitions=True,
    )
    return dg.AssetDep(_key(plan, upstream.artifact), partition_mapping=mapping)


# The kind that marks results assets out in the asset graph and the catalog.
RESULTS_KIND = "results"


def _table_name(plan: ExperimentPlan, artifact: Artifact) -> str:
    return f"{plan.schema}.{plan.table_name(artifact.name)}"


def _spec(plan: ExperimentPlan, artifact: Artifact) -> dg.AssetSpec:
    """The asset of one artifact: its table, code version, upstream assets and where it shows."""
    is_results = artifact.family is RESULTS
    engine = plan.config.warehouse.type
    return dg.AssetSpec(
        key=_key(plan, artifact.name),
        group_name=plan.id,
        description=artifact.description + (report_note(plan) if is_results else ""),
        code_version=plan.code_version(artifact.name),
        deps=_deps(plan, artifact),
        kinds={engine, RESULTS_KIND} if is_results else {engine},
        metadata={"dagster/table_name": _table_name(plan, artifact),
                  "partition_column": artifact.date_column, **(report_link(plan) if is_results else {})},
        skippable=True,  # not written when a blocking check failed on it or upstream
    )


def _pipeline(plan: ExperimentPlan, partitions) -> dg.AssetsDefinition:
    """Every artifact of the experiment as one multi-asset: the asset graph shows
    each artifact, and a run executes the selected ones, upstream first, in one
    Dagster step (a step per asset cost Dagster ~40 ms each, more than most
    steps' own SQL on a day's update). A blocking check that fails skips what
    depends on its asset, as Dagster skips downstream steps."""
    retries = busy_retries(plan.config)
    artifacts = plan.artifacts  # upstream first

    @dg.multi_asset(
        name=f"{plan.id}_pipeline_steps",
        specs=[_spec(plan, a) for a in artifacts],
        check_specs=[spec for a in artifacts for spec in check_specs(plan, a.name, _key(plan, a.name))],
        can_subset=True,
        partitions_def=partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        required_resource_keys={"warehouse"},
        pool=warehouse_pool(plan.config),
    )
    def _materialize(context: dg.AssetExecutionContext):
        record_host(context)  # before the warehouse, whose lock a run may wait for
        window = context.partition_time_window
        days = DayRange(window.start.date(), window.end.date())
        wh = warehouse_from_resource(context.resources.warehouse, plan.config)
        # shared facts written since this run was requested are reused (the runs asked for together share)
        wh.reuse_since = context.instance.get_run_record_by_id(context.run.run_id).create_timestamp
        held_back: set[str] = set()  # artifacts a failed blocking check keeps from what depends on them
        # one connection (one login on Snowflake) and one read of each table's ledger for every step
        with wh.session():
            if unbuilt := steps.unbuilt_history(wh, plan, days):
                context.log.warning(
                    f"{len(unbuilt)} earlier day(s) of {plan.id} are not built ({unbuilt[0]}..{unbuilt[-1]}): "
                    f"the steps derive them from the raw data, which costs far more than building them. "
                    f"Materialize them first, or the whole range from {plan.start} as one backfill.")
            for artifact in artifacts:
                if _key(plan, artifact.name) not in context.selected_asset_keys:
                    continue
                upstream = {i.artifact for i in artifact.inputs} | set(artifact.gated_by)
                if upstream & held_back:
                    context.log.warning(f"{artifact.name} not written: a blocking check failed upstream "
                                        f"({', '.join(sorted(upstream & held_back))})")
                    held_back.add(artifact.name)
                    continue
                try:
                    result, blocked = _write_and_check(context, plan, artifact, wh, days)
                except WarehouseBusy as busy:
                    if not retries:
                        raise
                    # every step replaces whole windows: running them again is safe
                    context.log.warning(f"{artifact.name}: {busy}; trying again (at most {retries} times)")
                    raise dg.RetryRequested(max_retries=retries,
                                            seconds_to_wait=_jittered(BUSY_WAIT_SECONDS)) from busy
                if blocked:
                    held_back.add(artifact.name)
                yield result

    return _materialize


def _write_and_check(context: dg.AssetExecutionContext, plan: ExperimentPlan, artifact: Artifact, wh: Warehouse,
                     days: DayRange) -> tuple[dg.MaterializeResult, bool]:
    """Write one artifact's window and evaluate its checks: its materialization,
    and whether a blocking check failed."""
    began = time.perf_counter()
    key = _key(plan, artifact.name)
    outcome = steps.step_of(plan, artifact)(wh, days)
    report = outcome.write if isinstance(outcome, steps.ResultsReport) else outcome
    _record_side_writes(context, plan, report, wh.dialect)
    context.log.info(f"{_table_name(plan, artifact)} {days}: {report.rows_written} rows in {report.seconds:.2f}s")
    # A range run emits one event per day: each gets that day's own figures,
    # the run's figures (range totals, SQL) go on its last day's event only.
    rows = report.rows_by_day
    shown = (results_metadata_by_day(plan, outcome.results, outcome.caps, outcome.srm_p_values, days.days,
                                     outcome.moments) if isinstance(outcome, steps.ResultsReport) else {})
    for day in days.days:
        # the UI lists keys in this order: the scorecard and verdicts first
        metadata = _dagster_values(shown[day]) if day in shown else {}
        metadata.update({"rows_written": rows.get(day, 0), "dagster/partition_row_count": rows.get(day, 0)})
        context.add_asset_metadata(metadata, asset_key=key, partition_key=day.isoformat())
    run_figures = _run_metadata(report, plan.schema, days, wh.dialect, artifact.family.column_meaning)
    record_run_totals(context, run_figures)
    checking = time.perf_counter()
    checks = evaluate_checks(wh, plan, artifact.name, days, context.selected_asset_check_keys)
    run_figures["run.check_seconds"] = round(time.perf_counter() - checking, 3)  # their queries and Python
    blocked = blocking_failed(plan, artifact.name, checks)
    if blocked:
        # built on missing raw data: nothing may build on it, and the next refresh reruns it
        wh.forget_window(plan.table_name(artifact.name), days.start, days.end)
    # the artifact's own time (warehouse, statistics, checks): the rest of a run's time is Dagster's
    run_figures["run.step_seconds"] = round(time.perf_counter() - began, 3)
    context.add_asset_metadata(run_figures, asset_key=key, partition_key=days.last.isoformat())
    return dg.MaterializeResult(asset_key=key, check_results=checks), blocked


def _record_side_writes(context: dg.AssetExecutionContext, plan: ExperimentPlan, report: WriteReport,
                        dialect: str) -> None:
    """A materialization of the shared facts' asset for each day the step wrote
    on the way (its rows; on the range's last day the write's figures and SQL)."""
    for write in report.side_writes:
        key = shared_key_of_table(write.table.removeprefix(f"{plan.schema}."))  # schema.table
        days = sorted(write.rows_by_day)
        figures = _run_metadata(write, plan.schema, DayRange(days[0], days[-1] + ONE_DAY), dialect,
                                SOURCE_DAYS.column_meaning)
        record_run_totals(context, figures)  # the run's source rows scanned include what it read for them
        for day in days:
            rows = {"rows_written": write.rows_by_day[day], "dagster/partition_row_count": write.rows_by_day[day]}
            context.log_event(dg.AssetMaterialization(
                asset_key=key, partition=day.isoformat(), metadata={**rows, **(figures if day == days[-1] else {})}))


# A step the warehouse turned away (WarehouseBusy: a concurrent transaction
# conflicted, nothing was written) runs again, up to this many times, after
# about BUSY_WAIT_SECONDS (jittered, so conflicting runs do not retry in step).
# DuckDB gets no retry: its lock layer has already waited lock_timeout, the
# documented bound.
BUSY_RETRIES = {"duckdb": 0, "snowflake": 3, "bigquery": 3}
BUSY_WAIT_SECONDS = 10.0


def busy_retries(config) -> int:
    return BUSY_RETRIES[config.warehouse.type]


def _jittered(seconds: float) -> float:
    return seconds * random.uniform(0.5, 1.5)


def _dagster_values(metadata: dict) -> dict:
    """Plain metadata as Dagster metadata values: markdown where it is markdown, JSON for mappings."""
    def value(key, v):
        if key in MARKDOWN:
            return dg.MetadataValue.md(v)
        return dg.MetadataValue.json(v) if isinstance(v, dict) else v

    return {k: value(k, v) for k, v in metadata.items()}


def _run_metadata(report: WriteReport, schema: str, days: DayRange, dialect: str, meaning) -> dict:
    """What the run did for the whole range: totals and SQL, recorded once per
    run (repeated on every day's event, the SQL made the event log grow with
    days squared). `run.` marks range figures apart from a day's own. Each
    column carries its `meaning(column)` (the artifact's declared column docs)."""
    sql = "\n\n".join(f"{pretty(s, dialect)};" for s in report.statements)
    columns = dg.TableSchema(columns=[
        dg.TableColumn(name, dtype, description=meaning(name)) for name, dtype in report.columns
    ])
    return {
        "dagster/column_schema": columns,
        "run.days": f"{days.start}..{days.last}",
        "run.rows_written": report.rows_written,
        "run.rows_scanned": sum(report.rows_scanned.values()),
        "run.rows_scanned_sources": report.rows_scanned_outside(schema),
        "run.rows_scanned_by_table": dg.MetadataValue.json(report.rows_scanned),
        "run.seconds": round(report.seconds, 3),
        # bytes, slot time, query ids (BigQuery, Snowflake); DuckDB reports none (README: cost)
        **{f"run.{k}": v for k, v in report.cost_metadata().items()},
        "sql": dg.MetadataValue.md(f"The statements the run executed for this asset, in order:\n\n```sql\n{sql}\n```"),
    }
