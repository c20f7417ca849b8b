"""The per-experiment asset factory: one daily-partitioned asset per artifact,
single-run backfills, a partitioned job and a daily schedule, all owned by a
Definitions object of the experiment's own."""

import warnings
from collections.abc import Callable

import dagster as dg
import pandas as pd

from exp_assets import steps
from exp_assets.days import ONE_DAY, DayRange
from exp_assets.plan import ROLLUPS, Artifact, ExperimentPlan
from exp_assets.effect_plot import forest_plot
from exp_assets.scorecard import headline, scorecard_markdown, scorecard_summary
from exp_assets.sql.dialects import pretty
from exp_assets.sql.results import RESULT_COLUMN_MEANINGS
from exp_assets.assets.resources import read_only_warehouse, warehouse_from_resource
from exp_assets.assets.run_totals import record_run_totals
from exp_assets.automation import daily_schedule, new_data_sensor
from exp_assets.automation.workers import record_host
from exp_assets.checks import blocking_failed, check_specs, evaluate_checks
from exp_assets.report.asset import report_asset, report_link, report_note
from exp_assets.warehouse import Warehouse
from exp_assets.warehouse.base import WriteReport

# Single-run backfills and partition mappings that tolerate days before the
# experiment's start are the point of this design; their beta notices are noise.
warnings.filterwarnings("ignore", category=dg.BetaWarning)

# Day D of a downstream asset depends on every upstream day up to D (a unit
# exposed on any earlier day can have events on D). Offsets are in partitions;
# this reaches back further than any experiment runs.
ALL_DAYS_UP_TO = dg.TimeWindowPartitionMapping(
    start_offset=-100_000, end_offset=0, allow_nonexistent_upstream_partitions=True
)

Step = Callable[[Warehouse, DayRange], WriteReport | tuple[WriteReport, object]]


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
    fe, mvu, summary = plan.FIRST_EXPOSURES, plan.MULTIPLE_VARIANT_UNITS, plan.EXPOSURES_SUMMARY
    ulas = [plan.user_level_aggregations(s) for s in plan.fact_sources]
    covariates = [plan.pre_exposure_covariates(s) for s in plan.fact_sources if plan.cuped_days]
    funnels = [plan.funnel_events(f.name) for f in plan.funnels]
    sliced = [plan.sliced_aggregations(s, c) for s, c in plan.metric_dimensions]

    def all_up_to(*artifacts: Artifact) -> list[dg.AssetDep]:
        return [dg.AssetDep(_key(plan, a), partition_mapping=ALL_DAYS_UP_TO) for a in artifacts]

    def totals_back(days: int) -> dg.AssetDep:
        """unit_totals of D and of the `days` before (the rollups' window starts)."""
        mapping = dg.TimeWindowPartitionMapping(start_offset=-days, allow_nonexistent_upstream_partitions=True)
        return dg.AssetDep(_key(plan, plan.UNIT_TOTALS), partition_mapping=mapping)

    def gated_by(*sources: str) -> list[dg.AssetDep]:
        """The same days of the user-level aggregations of `sources`: their blocking
        source_data_present check then also skips the other tables read from them."""
        return [_dep(plan, plan.user_level_aggregations(s)) for s in sources if s in plan.fact_sources]

    upstream = {
        fe.name: [],
        mvu.name: all_up_to(fe),
        summary.name: all_up_to(fe),
        **{a.name: all_up_to(fe) for a in ulas},
        **{plan.sliced_aggregations(s, c).name: all_up_to(fe) + gated_by(s) for s, c in plan.metric_dimensions},
        **{plan.pre_exposure_covariates(s).name: all_up_to(fe) + gated_by(s) for s in plan.fact_sources
           if plan.cuped_days},
        **{plan.funnel_events(f.name).name: all_up_to(fe) + gated_by(*dict.fromkeys(st.source for st in f.steps))
           for f in plan.funnels},
        plan.UNIT_TOTALS.name: all_up_to(fe, *ulas, *funnels, *covariates),
        plan.ROLLUP_MOMENTS.name: [totals_back(max(r.days or 0 for r in ROLLUPS)), *all_up_to(mvu, *sliced)],
    }
    for rollup in ROLLUPS:  # days since exposure adds up every day's contribution so far; SRM reads the summary
        upstream[plan.results(rollup).name] = [
            *(all_up_to(plan.ROLLUP_MOMENTS) if rollup.by_days_since_exposure else [_dep(plan, plan.ROLLUP_MOMENTS)]),
            *all_up_to(summary),
        ]
    artifacts = {a.name: a for a in plan.artifacts}
    assets = [
        _asset(plan, partitions, artifacts[name], upstream[name], step)
        for name, step in steps.ordered_steps(plan)
    ] + [report_asset(plan)]
    job = dg.define_asset_job(
        job_name(plan),
        selection=dg.AssetSelection.groups(plan.id),
        description=f"Every asset of experiment {plan.id}; a partition range runs as one pass.",
        tags={EXPERIMENT_TAG: plan.id, **warehouse_run_tags(plan.config)},
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

# Runs that write to an embedded DuckDB file carry this tag; the instance's run
# coordinator (dagster.yaml written by `exp-assets demo`) runs one of them at a time.
WAREHOUSE_TAG = "exp_assets/warehouse"


def warehouse_run_tags(config) -> dict[str, str]:
    wh = config.warehouse
    return {WAREHOUSE_TAG: f"duckdb:{wh.database}"} if wh.type == "duckdb" else {}


def _key(plan: ExperimentPlan, artifact: Artifact) -> dg.AssetKey:
    return dg.AssetKey([plan.id, artifact.name])


def _dep(plan: ExperimentPlan, artifact: Artifact) -> dg.AssetDep:
    """The same day of `artifact`."""
    return dg.AssetDep(_key(plan, artifact))


# The kind that marks results assets out in the asset graph and the catalog.
RESULTS_KIND = "results"


def _asset(plan: ExperimentPlan, partitions, artifact: Artifact, deps: list[dg.AssetDep], step: Step):
    table_name = f"{plan.schema}.{plan.table_name(artifact.name)}"
    key = _key(plan, artifact)
    is_results = artifact.name.startswith("results_")
    engine = plan.config.warehouse.type

    @dg.asset(
        key=key,
        check_specs=check_specs(plan, artifact.name, key),
        group_name=plan.id,
        description=artifact.description + (report_note(plan) if artifact.name.startswith("results_") else ""),
        partitions_def=partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        code_version=plan.code_version(artifact.name),
        deps=deps,
        required_resource_keys={"warehouse"},
        kinds={engine, RESULTS_KIND} if is_results else {engine},
        metadata={"dagster/table_name": table_name, "partition_column": artifact.date_column,
                  **(report_link(plan) if is_results else {})},
    )
    def _materialize(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        record_host(context)  # before the warehouse, whose lock a run may wait for
        window = context.partition_time_window
        days = DayRange(window.start.date(), window.end.date())
        wh = warehouse_from_resource(context.resources.warehouse, plan.config)
        outcome = step(wh, days)
        report = outcome.write if isinstance(outcome, steps.ResultsReport) else outcome
        context.log.info(f"{table_name} {days}: {report.rows_written} rows in {report.seconds:.2f}s")
        # A range run emits one event per day: each gets that day's own figures,
        # the run's figures (range totals, SQL) go on its last day's event only.
        rows = _rows_by_day(wh, plan.table_name(artifact.name), days)
        for day in days.days:
            # the UI lists keys in this order: the scorecard and verdicts first
            metadata = _results_metadata(plan, outcome, day) if isinstance(outcome, steps.ResultsReport) else {}
            metadata.update({"rows_written": rows.get(day, 0), "dagster/partition_row_count": rows.get(day, 0)})
            context.add_asset_metadata(metadata, partition_key=day.isoformat())
        meanings = RESULT_COLUMN_MEANINGS if is_results else {}
        run_figures = _run_metadata(report, plan.schema, days, wh.dialect, meanings)
        context.add_asset_metadata(run_figures, partition_key=days.last.isoformat())
        record_run_totals(context, run_figures)
        checks = evaluate_checks(wh, plan, artifact.name, key, days, context.selected_asset_check_keys)
        if blocking_failed(plan, artifact.name, checks):
            # built on missing raw data: nothing may build on it, and the next refresh reruns it
            wh.forget_window(plan.table_name(artifact.name), days.start, days.end)
        return dg.MaterializeResult(check_results=checks)

    return _materialize


def _rows_by_day(wh: Warehouse, table: str, days: DayRange) -> dict:
    """Rows per day of `days` in `table`, from the ledger its write committed."""
    ledger = wh.written_partitions(table, days.start, days.end)
    return {r.partition_date: int(r.row_count) for r in ledger.itertuples()}


def _results_metadata(plan: ExperimentPlan, outcome, day) -> dict:
    """Day `day`'s scorecard with its forest plot, verdicts and numbers under stable
    keys (stat_key; `units.<variant>`, `srm_p_value`) that the UI plots across
    partitions."""
    results = outcome.results[pd.to_datetime(outcome.results["as_of_date"]).dt.date == day]
    shown = headline(plan, results)
    srm = outcome.srm_p_values.get(day)
    plot = (f"Relative effect with {(1 - plan.experiment.alpha) * 100:g}% interval, as of {day}\n\n"
            f"```\n{forest_plot(shown, plan.experiment.control)}\n```")
    metadata = {
        # the table and its forest plot in one dialog: the UI renders markdown under
        # 1,000 characters inline, where a wide table or plot is clipped
        "scorecard": dg.MetadataValue.md(f"{scorecard_markdown(plan, results, srm)}\n\n{plot}"),
        # a list, one line per metric and treatment, short enough to show inline
        # (plain text would run the lines together)
        "verdicts": dg.MetadataValue.md(
            "\n".join(f"- {line}" for line in scorecard_summary(plan, results).splitlines())),
        "as_of_date": str(day),
    }
    if srm is not None:
        metadata["srm_p_value"] = _rounded(srm)  # the srm check's always-valid p-value of that day
    # the lift, its interval and the evidence the verdict reads; the rest is in the table
    fields = ["rel_effect", "rel_ci_lower", "rel_ci_upper", "p_value_adjusted", "chance_to_beat_control"]
    for r in shown[shown["variant"] != plan.experiment.control].itertuples():
        for name in fields:
            value = getattr(r, name)
            if pd.notna(value):
                metadata[stat_key(r.metric, r.variant, r.days_since_exposure, name)] = _rounded(value)
    if len(shown):  # each arm's units: the first metric's row (days since exposure: its smallest k)
        first = shown[shown["metric"] == shown["metric"].iloc[0]].sort_values("days_since_exposure")
        metadata.update({f"units.{r.variant}": int(r.units) for r in first.drop_duplicates("variant").itertuples()})
    caps = outcome.caps[pd.to_datetime(outcome.caps["as_of_date"]).dt.date == day]
    caps = {
        f"{r.metric}.{side}": _rounded(getattr(r, f"cap_{side}"))
        for r in caps.itertuples() for side in ("lower", "upper") if pd.notna(getattr(r, f"cap_{side}"))
    }
    if caps:
        metadata["winsorization_caps"] = dg.MetadataValue.json(caps)
    return metadata


def stat_key(metric: str, variant: str, k, statistic: str) -> str:
    """`revenue / treatment / rel_effect` (days since exposure: `revenue /
    treatment / k = 0 / rel_effect`): spaced, so that the UI's key column
    wraps a long key instead of printing it over its value."""
    return " / ".join([metric, variant, *([] if pd.isna(k) else [f"k = {int(k)}"]), statistic])


def _rounded(value) -> float:
    """Four significant digits: what a person reads and the Plots draw (the
    table holds the full precision)."""
    return float(f"{float(value):.4g}")


def _run_metadata(report: WriteReport, schema: str, days: DayRange, dialect: str, meanings: dict[str, str]) -> dict:
    """What the run did for the whole range: totals and SQL, recorded once per
    run (repeated on every day's event, the SQL made the event log grow with
    days squared). `run.` marks range figures apart from a day's own. The
    columns carry their `meanings` (the results contract's)."""
    sql = "\n\n".join(f"{pretty(s, dialect)};" for s in report.statements)
    columns = dg.TableSchema(columns=[
        dg.TableColumn(name, dtype, description=meanings.get(name)) for name, dtype in report.columns
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
