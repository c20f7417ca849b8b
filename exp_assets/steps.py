"""The pipeline steps: each materializes one artifact of one experiment for a
window of days, inside the warehouse, and reports what it did.

Every step reads derived tables only for days the ledger says exist, and
derives anything missing from the raw sources, so a partition's content is a
function of the raw data alone: days may be materialized in any order, one at
a time or as one range, with identical results. In the usual order the fast
path reads only the new day's raw data plus the compact derived tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from exp_assets.days import ONE_DAY, DayRange, contiguous_ranges
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import exposures as exposure_sql
from exp_assets.sql import metrics as metric_sql
from exp_assets.sql import results as results_sql
from exp_assets.sql.fragments import date_literal, ident, table
from exp_assets.stats import AnalysisOptions, analyze
from exp_assets.warehouse.base import Warehouse, WriteReport


def _write(wh: Warehouse, plan: ExperimentPlan, artifact: str, date_column: str, window: DayRange, select: str,
           frame: pd.DataFrame | None = None) -> WriteReport:
    return wh.replace_window(
        plan.table_name(artifact), date_column, window.start, window.end, select, plan.code_version(artifact), frame
    )


def _missing_days(wh: Warehouse, plan: ExperimentPlan, artifact: str, days: DayRange) -> list[dt.date]:
    if not days:
        return []
    written = set(wh.written_partitions(plan.table_name(artifact), days.start, days.end)["partition_date"])
    return [d for d in days.days if d not in written]


def _units(wh: Warehouse, plan: ExperimentPlan, through: dt.date) -> str:
    complete = not _missing_days(wh, plan, "first_exposures", DayRange(plan.start, through + ONE_DAY))
    return exposure_sql.units(plan, through, from_table=complete)


def _table_or_derived(wh: Warehouse, plan: ExperimentPlan, artifact: str, columns: list[str], days: DayRange,
                      derive) -> str:
    """`columns` (the first is the date column) of `artifact` over `days`: the
    table's rows for days it holds, plus `derive(range)` (the step's own
    SELECT) for each run of days it lacks."""
    missing = _missing_days(wh, plan, artifact, days)
    names = ", ".join(ident(c) for c in columns)
    parts = [derive(r) for r in contiguous_ranges(missing)]
    if len(missing) < len(days.days):
        col = ident(columns[0])
        parts.append(
            f"SELECT * FROM {table(plan.schema, plan.table_name(artifact))} "
            f"WHERE {col} >= {date_literal(days.start)} AND {col} < {date_literal(days.end)}"
        )
    return " UNION ALL ".join(f"SELECT {names} FROM ({p}) AS part" for p in parts)


def first_exposures(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> WriteReport:
    complete = not _missing_days(wh, plan, "first_exposures", DayRange(plan.start, window.start))
    earlier = exposure_sql.earlier_units(plan, window, from_table=complete)
    select = exposure_sql.first_exposures(plan, window, earlier)
    return _write(wh, plan, "first_exposures", "first_exposure_date", window, select)


def multiple_variant_units(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> WriteReport:
    select = exposure_sql.multiple_variant_units(plan, window, _units(wh, plan, window.last))
    return _write(wh, plan, "multiple_variant_units", "exposure_date", window, select)


def exposures_summary(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> WriteReport:
    select = exposure_sql.exposures_summary(plan, window, _units(wh, plan, window.last))
    return _write(wh, plan, "exposures_summary", "exposure_date", window, select)


def user_level_aggregations(wh: Warehouse, plan: ExperimentPlan, source: str, window: DayRange) -> WriteReport:
    select = metric_sql.user_level_aggregations(plan, source, [window], _units(wh, plan, window.last))
    return _write(wh, plan, f"user_level_aggregations_{source}", "event_date", window, select)


def pre_exposure_covariates(wh: Warehouse, plan: ExperimentPlan, source: str, window: DayRange) -> WriteReport:
    select = metric_sql.pre_exposure_covariates(plan, source, window, _units(wh, plan, window.last))
    return _write(wh, plan, f"pre_exposure_covariates_{source}", "first_exposure_date", window, select)


def _snapshot_usable(wh: Warehouse, plan: ExperimentPlan, day: dt.date) -> bool:
    """Whether unit_totals of `day` can be built upon: written by the current
    definition, after every upstream partition up to that day."""
    snapshot = wh.written_partitions(plan.table_name("unit_totals"), day, day + ONE_DAY)
    if snapshot.empty or snapshot["code_version"].iloc[0] != plan.code_version("unit_totals"):
        return False
    written_at = snapshot["written_at"].iloc[0]
    history = DayRange(plan.start, day + ONE_DAY)
    upstream = ["first_exposures", *(f"user_level_aggregations_{s}" for s in plan.fact_sources)]
    for artifact in upstream:
        ledger = wh.written_partitions(plan.table_name(artifact), history.start, history.end)
        if len(ledger) < len(history.days) or (ledger["written_at"] > written_at).any():
            return False
    return True


def unit_totals(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> WriteReport:
    previous = window.start - ONE_DAY
    if window.start > plan.start and _snapshot_usable(wh, plan, previous):
        from_day = window.start
        names = ", ".join(ident(m.name) for m in plan.event_metrics)
        base = (
            f"SELECT unit_id, {names} FROM {table(plan.schema, plan.table_name('unit_totals'))} "
            f"WHERE as_of_date = {date_literal(previous)}"
        )
    else:  # first window, or nothing trustworthy to build on: recompute from the start
        from_day, base = plan.start, None
    span = DayRange(from_day, window.end)
    units = _units(wh, plan, window.last)
    daily = {
        source: _table_or_derived(
            wh, plan, f"user_level_aggregations_{source}", ["event_date", "unit_id", *(m.name for m in plan.metrics_of(source))], span,
            lambda r, s=source: metric_sql.user_level_aggregations(plan, s, [r], units),
        )
        for source in plan.fact_sources
    }
    select = metric_sql.unit_totals(plan, window, units, daily, base, from_day)
    return _write(wh, plan, "unit_totals", "as_of_date", window, select)


@dataclass
class ResultsReport:
    """What a results step wrote, plus the statistics and winsorization caps it published."""

    write: WriteReport
    results: pd.DataFrame
    caps: pd.DataFrame  # as_of_date, metric, cap_lower, cap_upper


def results_cumulative(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> ResultsReport:
    missing = _missing_days(wh, plan, "unit_totals", window)
    if missing:
        raise RuntimeError(
            f"{plan.id} results_cumulative for {window} needs unit_totals for "
            f"{', '.join(str(r) for r in contiguous_ranges(missing))}; materialize those partitions first"
        )
    crossovers = None
    if plan.experiment.multiple_exposures == "exclude":
        crossovers = _table_or_derived(
            wh, plan, "multiple_variant_units", ["exposure_date", "unit_id"], DayRange(plan.start, window.end),
            lambda r: exposure_sql.multiple_variant_units(plan, r, _units(wh, plan, r.last)),
        )
    covariates = None
    if plan.cuped_days:
        units = _units(wh, plan, window.last)
        covariates = metric_sql.combine_sources(plan, {
            source: _table_or_derived(
                wh, plan, f"pre_exposure_covariates_{source}",
                ["first_exposure_date", "unit_id", *(m.name for m in plan.metrics_of(source))],
                DayRange(plan.start, window.end),
                lambda r, s=source: metric_sql.pre_exposure_covariates(plan, s, r, units),
            )
            for source in plan.fact_sources
        }, ["unit_id"])
    stats = wh.query(results_sql.sufficient_statistics(plan, window, crossovers, covariates))
    caps = stats[["as_of_date", "metric", "cap_lower", "cap_upper"]].drop_duplicates()
    moments = stats.drop(columns=["cap_lower", "cap_upper"])
    results = analyze(_complete_grid(plan, window, moments), plan.experiment.control, analysis_options(plan))
    results.insert(1, "rollup", "cumulative")
    results.insert(3, "dimension", "overall")
    results.insert(4, "dimension_value", "all")
    results = results[list(results_sql.RESULT_COLUMNS)]
    report = _write(wh, plan, "results_cumulative", "as_of_date", window, results_sql.typed_results(), results)
    return ResultsReport(report, results, caps)


def analysis_options(plan: ExperimentPlan) -> AnalysisOptions:
    e = plan.experiment
    return AnalysisOptions(
        alpha=e.alpha, engine=e.engine, sequential=e.sequential, sequential_tuning=e.sequential_tuning,
        correction=e.correction, prior_mean=e.prior.mean, prior_stddev=e.prior.stddev,
        cuped=e.cuped.enabled,
    )


def _complete_grid(plan: ExperimentPlan, window: DayRange, stats: pd.DataFrame) -> pd.DataFrame:
    """Every (day, metric, variant) gets a row, with n = 0 where no unit is eligible."""
    grid = pd.MultiIndex.from_product(
        [window.days, [m.name for m in plan.metrics], list(plan.experiment.variants)],
        names=["as_of_date", "metric", "variant"],
    ).to_frame(index=False)
    stats = stats.assign(as_of_date=pd.to_datetime(stats["as_of_date"]).dt.date)
    merged = grid.merge(stats, on=["as_of_date", "metric", "variant"], how="left")
    return merged.fillna({"n": 0}).astype({"n": "int64"})


def ordered_steps(plan: ExperimentPlan) -> list[tuple[str, object]]:
    """(artifact name, step(wh, window)) for every artifact, upstream first."""
    return [
        ("first_exposures", lambda wh, w: first_exposures(wh, plan, w)),
        ("multiple_variant_units", lambda wh, w: multiple_variant_units(wh, plan, w)),
        ("exposures_summary", lambda wh, w: exposures_summary(wh, plan, w)),
        *(
            (f"user_level_aggregations_{s}", lambda wh, w, s=s: user_level_aggregations(wh, plan, s, w))
            for s in plan.fact_sources
        ),
        *(
            (f"pre_exposure_covariates_{s}", lambda wh, w, s=s: pre_exposure_covariates(wh, plan, s, w))
            for s in plan.fact_sources if plan.cuped_days
        ),
        ("unit_totals", lambda wh, w: unit_totals(wh, plan, w)),
        ("results_cumulative", lambda wh, w: results_cumulative(wh, plan, w)),
    ]


def materialize_all(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> dict[str, WriteReport]:
    """Every step over `window`, in order (what one run of the experiment's job does)."""
    reports = {}
    for artifact, step in ordered_steps(plan):
        outcome = step(wh, window)
        reports[artifact] = outcome.write if isinstance(outcome, ResultsReport) else outcome
    return reports
