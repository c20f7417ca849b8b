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

import numpy as np
import pandas as pd

from exp_assets import source_columns
from exp_assets.checks.assignment import srm_by_day
from exp_assets.days import ONE_DAY, DayRange, contiguous_ranges
from exp_assets.artifacts import (
    DECISIONS, EXPOSURES_SUMMARY, FIRST_EXPOSURES, MULTIPLE_VARIANT_UNITS, PRE_EXPOSURE_COVARIATES,
    QUANTILE_SKETCHES, REGRESSION_MOMENTS, RESULTS, ROLLUP_CELLS, ROLLUP_MOMENTS, SLICED_AGGREGATIONS, UNIT_TOTALS,
    USER_LEVEL_AGGREGATIONS, Artifact, Family, snapshot_day, unit_day_family,
)
from exp_assets.metrics import KINDS, OWN, kind_of
from exp_assets.plan import ROLLUPS, ExperimentPlan, Rollup
from exp_assets.recommendation import DECISION_COLUMNS, decision_rows, srm_failures
from exp_assets.shared_facts import SOURCE_DAYS, SourceDays, source_days_of
from exp_assets.sql import cells as cells_sql
from exp_assets.sql import exposures as exposure_sql
from exp_assets.sql import metrics as metric_sql
from exp_assets.sql import quantiles as quantile_sql
from exp_assets.sql import regression as regression_sql
from exp_assets.sql import results as results_sql
from exp_assets.sql import source_days as source_days_sql
from exp_assets.sql import unit_rows as unit_rows_sql
from exp_assets.sql import unit_state as unit_state_sql
from exp_assets.quoting import date_literal, ident, literal, table
from exp_assets.metrics.kinds.quantile import bucket_of_position
from exp_assets.stats import AnalysisOptions, analyze
from exp_assets.stats.analysis import QUANTILE
from exp_assets.stats.quantile import ClusterSums, Histogram, QuantileArm, event_quantile, unit_quantile
from exp_assets.stats.regression import COVARIATE_SUMS, covariate_sums
from exp_assets.warehouse.base import Warehouse, WriteReport


def _write(wh: Warehouse, plan: ExperimentPlan, family: Family, params: tuple, window: DayRange, select: str,
           frame: pd.DataFrame | None = None) -> WriteReport:
    """Replace `window` of the artifact `family.name(*params)` with the rows of `select` (or `frame`)."""
    artifact = family.name(*params)
    return wh.replace_window(plan.table_name(artifact), family.date_column, window.start, window.end, select,
                             plan.code_version(artifact), frame)


def _missing_days(wh: Warehouse, plan: ExperimentPlan, artifact: str, days: DayRange) -> list[dt.date]:
    if not days:
        return []
    written = set(wh.written_partitions(plan.table_name(artifact), days.start, days.end)["partition_date"])
    return [d for d in days.days if d not in written]


def unbuilt_history(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> list[dt.date]:
    """The days from the experiment's start to `window` whose running state
    (unit_totals) is not built: a run over `window` derives each of them from the
    raw data in every step that reads it, which costs far more than building them
    (BENCHMARKS.md: a month's last day built alone took nearly eight times the whole month)."""
    return _missing_days(wh, plan, UNIT_TOTALS.name(), DayRange(plan.start, max(window.start, plan.start)))


def _units(wh: Warehouse, plan: ExperimentPlan, through: dt.date) -> str:
    complete = not _missing_days(wh, plan, FIRST_EXPOSURES.name(), DayRange(plan.start, through + ONE_DAY))
    return exposure_sql.units(plan, through, from_table=complete)


def _table_or_derived(wh: Warehouse, plan: ExperimentPlan, artifact: str, columns: list[str], days: DayRange,
                      derive) -> str:
    """`columns` (the first is the date column) of `artifact` over `days`: the
    table's rows for days it holds, plus `derive(range)` (the step's own
    SELECT) for each run of days it lacks."""
    col = ident(columns[0])
    return _read_or_derived(
        days, set(days.days) - set(_missing_days(wh, plan, artifact, days)), columns, derive,
        lambda: f"SELECT * FROM {table(plan.schema, plan.table_name(artifact))} "
                f"WHERE {col} >= {date_literal(days.start)} AND {col} < {date_literal(days.end)}")


def _read_or_derived(days: DayRange, readable: set[dt.date], columns: list[str], derive, read) -> str:
    """`columns` over `days`: `read()` (a table's rows) for the days in
    `readable`, plus `derive(range)` (the step's own SELECT) for each run of the others."""
    names = ", ".join(ident(c) for c in columns)
    parts = [derive(r) for r in contiguous_ranges([d for d in days.days if d not in readable])]
    if readable:
        parts.append(read())
    return " UNION ALL ".join(f"SELECT {names} FROM ({p}) AS part" for p in parts)


def first_exposures(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> WriteReport:
    complete = not _missing_days(wh, plan, FIRST_EXPOSURES.name(), DayRange(plan.start, window.start))
    earlier = exposure_sql.earlier_units(plan, window, from_table=complete)
    select = exposure_sql.first_exposures(plan, window, earlier)
    return _write(wh, plan, FIRST_EXPOSURES, (), window, select)


def multiple_variant_units(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> WriteReport:
    select = exposure_sql.multiple_variant_units(plan, window, _units(wh, plan, window.last))
    return _write(wh, plan, MULTIPLE_VARIANT_UNITS, (), window, select)


def exposures_summary(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> WriteReport:
    select = exposure_sql.exposures_summary(plan, window, _units(wh, plan, window.last))
    return _write(wh, plan, EXPOSURES_SUMMARY, (), window, select)


def user_level_aggregations(wh: Warehouse, plan: ExperimentPlan, source: str, window: DayRange) -> WriteReport:
    units = _units(wh, plan, window.last)
    shared = source_days_of(plan, source)
    if shared is None:  # a metric whose day columns do not merge over parts: from the events
        return _write(wh, plan, USER_LEVEL_AGGREGATIONS, (source,), window,
                      metric_sql.user_level_aggregations(plan, source, [window], units))
    side_writes = _refresh_source_days(wh, shared, window)
    parts = (f"SELECT * FROM {table(plan.schema, shared.name)} "
             f"WHERE event_date >= {date_literal(window.start)} AND event_date < {date_literal(window.end)}")
    report = _write(wh, plan, USER_LEVEL_AGGREGATIONS, (source,), window,
                    source_days_sql.unit_days_from_parts(plan, source, parts, units))
    report.side_writes += side_writes
    return report


def _refresh_source_days(wh: Warehouse, shared: SourceDays, window: DayRange) -> list[WriteReport]:
    """Rewrite the days of `window` the shared table lacks, holds by another
    definition, or wrote before this run was requested (Warehouse.reuse_since):
    what a run reads is never older than the sources were when it was asked for."""
    ledger = wh.written_partitions(shared.name, window.start, window.end)
    fresh = (ledger["code_version"] == shared.code_version) & (
        pd.to_datetime(ledger["written_at"], utc=True) >= pd.Timestamp(wh.reuses_written_since()))
    reusable = set(ledger.loc[fresh, "partition_date"])
    writes = []
    for days in contiguous_ranges([d for d in window.days if d not in reusable]):
        write = wh.replace_window(shared.name, SOURCE_DAYS.date_column, days.start, days.end,
                                  source_days_sql.parts(shared, days), shared.code_version)
        write.rows_by_day = {d: write.rows_by_day.get(d, 0) for d in days.days}  # a day without events too
        writes.append(write)
    return writes


def sliced_aggregations(wh: Warehouse, plan: ExperimentPlan, source: str, column: str, window: DayRange) -> WriteReport:
    select = metric_sql.user_level_aggregations(plan, source, [window], _units(wh, plan, window.last), column)
    return _write(wh, plan, SLICED_AGGREGATIONS, (source, column), window, select)


def pre_exposure_covariates(wh: Warehouse, plan: ExperimentPlan, source: str, window: DayRange) -> WriteReport:
    select = metric_sql.pre_exposure_covariates(plan, source, window, _units(wh, plan, window.last))
    return _write(wh, plan, PRE_EXPOSURE_COVARIATES, (source,), window, select)


def _built_upon(wh: Warehouse, plan: ExperimentPlan, artifact: str, day: dt.date) -> bool:
    """Whether `artifact` of `day` can be built upon (its next day derived from
    it): written by the current definition, after every partition of its
    inputs up to that day."""
    declared = plan.artifact(artifact)
    written = wh.written_partitions(plan.table_name(artifact), day, day + ONE_DAY)
    if written.empty or written["code_version"].iloc[0] != declared.code_version:
        return False
    written_at = written["written_at"].iloc[0]
    history = DayRange(plan.start, day + ONE_DAY)
    for upstream in declared.inputs:
        ledger = wh.written_partitions(plan.table_name(upstream.artifact), history.start, history.end)
        if len(ledger) < len(history.days) or (ledger["written_at"] > written_at).any():
            return False
    return True


def own_unit_days(wh: Warehouse, plan: ExperimentPlan, metric: str, window: DayRange) -> WriteReport:
    """The unit-day table of a metric whose kind keeps its own (OWN)."""
    m = plan.config.metric(metric)
    select = metric_sql.own_unit_days(plan, m, [window], _units(wh, plan, window.last))
    return _write(wh, plan, unit_day_family(kind_of(m)), (metric,), window, select)


def _daily_sources(plan: ExperimentPlan) -> dict[str, tuple[list[str], object]]:
    """The unit-day inputs of unit_totals: artifact -> (its value columns, derive(range, units))."""
    inputs = {
        USER_LEVEL_AGGREGATIONS.name(s): (
            [m.name for m in plan.metrics_of(s)],
            lambda r, units, s=s: metric_sql.user_level_aggregations(plan, s, [r], units),
        )
        for s in plan.fact_sources
    }
    inputs.update({
        unit_day_family(kind_of(m)).name(m.name): (
            [c.name for c in kind_of(m).state(m)],
            lambda r, units, m=m: metric_sql.own_unit_days(plan, m, [r], units),
        )
        for m in plan.own_table_metrics
    })
    return inputs


def _day_rows(wh: Warehouse, plan: ExperimentPlan, span: DayRange, units: str,
              only: str | None = None) -> dict[str, tuple[str, list[str]]]:
    """unit_totals' inputs over `span`: artifact -> (its unit-day rows, read or
    derived for the units of `units`, or only those of `only`; its value columns)."""
    return {
        artifact: (
            _only(_table_or_derived(wh, plan, artifact, ["event_date", "unit_id", *columns], span,
                                    lambda r, derive=derive: derive(r, units)), only),
            columns,
        )
        for artifact, (columns, derive) in _daily_sources(plan).items()
    }


def _only(relation: str, units: str | None) -> str:
    """The rows of `relation` whose unit is one of `units` (a SELECT of unit_id), or all of them."""
    return relation if units is None else results_sql.of_units(relation, f"({units}) AS chosen")


def _unit_totals_select(wh: Warehouse, plan: ExperimentPlan, window: DayRange, only: str | None = None,
                        partitions: bool = False) -> str:
    """unit_totals over `window`: the totals of the day before it plus the
    window's day rows, or else everything from the start. Every unit's totals
    on each day, or with `partitions` the table's rows (every unit on snapshot
    days, else the units that changed: artifacts.snapshot_day). `only` (a
    SELECT of unit_id): those units' totals alone, from their day rows since
    the start."""
    previous = window.start - ONE_DAY
    # the snapshot the day before builds on (none before the start, or for chosen units)
    before = _snapshot_before(wh, plan, previous) if only is None and window.start > plan.start else None
    built_upon = before is not None and all(
        _built_upon(wh, plan, UNIT_TOTALS.name(), day) for day in DayRange(before, window.start).days)
    from_day = window.start if built_upon else plan.start  # else nothing trustworthy to build on
    span = DayRange(from_day, window.end)
    units = _only(_units(wh, plan, window.last), only)
    daily = _day_rows(wh, plan, span, units, only)
    snapshots = _snapshot_days(wh, plan, window, daily, units) if partitions else None
    base = None
    if built_upon:
        changed = None  # on a day of changes only, the totals of the units with day rows are all it adds to
        if snapshots is not None and len(window.days) == 1 and window.start not in snapshots:
            changed = " UNION ".join(f"SELECT unit_id FROM ({relation}) AS d" for relation, _ in daily.values())
        base = unit_state_sql.unit_state(table(plan.schema, plan.table_name(UNIT_TOTALS.name())),
                                         {previous: before},
                                         metric_sql.unit_totals_columns(plan), changed)
    covariates = None
    if plan.covariate_columns:  # of the units first exposed from from_day on; the base carries the others'
        relations = {
            source: (_only(_table_or_derived(
                wh, plan, PRE_EXPOSURE_COVARIATES.name(source),
                ["first_exposure_date", "unit_id", *(m.name for m in plan.covariate_metrics_of(source))], span,
                lambda r, s=source: metric_sql.pre_exposure_covariates(plan, s, r, units),
            ), only), [m.name for m in plan.covariate_metrics_of(source)])
            for source in plan.covariate_sources
        }
        covariates = metric_sql.combine_sources(plan, relations, ["unit_id"], plan.cuped_state_columns)
    return metric_sql.unit_totals(plan, window, units, daily, base, from_day, covariates, snapshots)


def _snapshot_days(wh: Warehouse, plan: ExperimentPlan, window: DayRange, daily: dict[str, tuple[str, list]],
                   units: str) -> list[dt.date]:
    """The days of `window` whose unit_totals hold every unit: the scheduled
    snapshots, and the days on which at least `refresh.snapshot_share` of the
    units exposed by then changed (counted in the day rows and first exposures,
    so the choice is the raw data's, whichever way the day is built)."""
    scheduled = [d for d in window.days if snapshot_day(plan, d) == d]
    if len(scheduled) == len(window.days):
        return scheduled
    parts = [f"SELECT d.event_date AS day, d.unit_id FROM ({relation}) AS d" for relation, _ in daily.values()]
    parts.append(f"SELECT u.first_exposure_date AS day, u.unit_id FROM ({units}) AS u")
    start, end = date_literal(window.start), date_literal(window.end)
    counts = wh.query(
        f"WITH units AS ({units}), days AS ({exposure_sql.day_values(window.days, 'day')}), "
        f"changed AS (SELECT c.day, COUNT(DISTINCT c.unit_id) AS n FROM ({' UNION ALL '.join(parts)}) AS c "
        f"WHERE c.day >= {start} AND c.day < {end} GROUP BY c.day), "
        f"exposed AS (SELECT d.day, COUNT(*) AS n FROM days AS d JOIN units AS u "
        f"ON u.first_exposure_date <= d.day GROUP BY d.day) "
        f"SELECT e.day, COALESCE(c.n, 0) AS changed, e.n AS exposed FROM exposed AS e "
        f"LEFT JOIN changed AS c ON c.day = e.day")
    share = plan.experiment.refresh.snapshot_share
    busy = {pd.Timestamp(day).date() for day, changed, exposed in counts.itertuples(index=False)
            if changed >= share * exposed}
    return sorted(set(scheduled) | busy)


def _snapshot_before(wh: Warehouse, plan: ExperimentPlan, day: dt.date) -> dt.date:
    """The newest day at or before `day` whose unit_totals hold every unit exposed
    by then: the scheduled snapshot (artifacts.snapshot_day), or a later day whose
    rows, written by the current definition, are as many as the units first
    exposed by then (first_exposures' ledger; a day of changes has fewer)."""
    scheduled = snapshot_day(plan, day)
    if scheduled == day:
        return day
    totals = wh.written_partitions(plan.table_name(UNIT_TOTALS.name()), scheduled + ONE_DAY, day + ONE_DAY)
    totals = totals[totals["code_version"] == plan.code_version(UNIT_TOTALS.name())]
    rows = dict(zip(totals["partition_date"], totals["row_count"]))
    exposures = wh.written_partitions(plan.table_name(FIRST_EXPOSURES.name()), plan.start, day + ONE_DAY)
    exposed = dict(zip(exposures["partition_date"], exposures["row_count"]))
    exposed_by, units = {}, 0  # the units first exposed by each day, up to the first day not written
    for d in DayRange(plan.start, day + ONE_DAY).days:
        if d not in exposed:
            break
        units += exposed[d]
        exposed_by[d] = units
    for d in reversed(DayRange(scheduled + ONE_DAY, day + ONE_DAY).days):
        if d in rows and rows[d] == exposed_by.get(d):
            return d
    return scheduled


def _unit_state(wh: Warehouse, plan: ExperimentPlan, days: DayRange, columns: list[str],
                only: str | None = None) -> str:
    """(as_of_date, unit_id, `columns`) of every unit exposed by each of `days`
    (or of the units of `only`, a SELECT of unit_id): from unit_totals for the
    days whose partitions since their snapshot are all written by the current
    definition (another snapshot rule lays them out otherwise), else derived."""
    ledger = wh.written_partitions(plan.table_name(UNIT_TOTALS.name()), snapshot_day(plan, days.start), days.end)
    current = ledger["code_version"] == plan.code_version(UNIT_TOTALS.name())
    written = set(ledger.loc[current, "partition_date"])
    since = {d: _snapshot_before(wh, plan, d) for d in days.days}
    readable = {d: s for d, s in since.items() if written >= set(DayRange(s, d + ONE_DAY).days)}
    return _read_or_derived(
        days, set(readable), ["as_of_date", "unit_id", *columns], lambda r: _unit_totals_select(wh, plan, r, only),
        lambda: unit_state_sql.unit_state(table(plan.schema, plan.table_name(UNIT_TOTALS.name())), readable,
                                            columns, only))


def unit_totals(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> WriteReport:
    # each part builds on the totals the part before wrote
    return _write_in_parts(wh, plan, UNIT_TOTALS, window, wh.running_total_days_per_write,
                           lambda part: _unit_totals_select(wh, plan, part, partitions=True))


# Days per statement of rollup_moments (each write is atomic for its days): its
# winsorization quantiles hold every value of their group in memory, which a
# week bounds, and a week's statement reads each snapshot once for the week's
# rollups, where a statement a day reads three snapshots a day. (unit_totals
# goes as many days at a time as the warehouse says: running_total_days_per_write.)
ROLLUP_MOMENTS_DAYS_PER_WRITE = 7


def _write_in_parts(wh: Warehouse, plan: ExperimentPlan, family: Family, window: DayRange, days_per_write: int,
                    select_of) -> WriteReport:
    """The artifact of `family` over `window`, `days_per_write` days at a time,
    each part's SELECT built after the part before it was written."""
    return WriteReport.combined([
        _write(wh, plan, family, (), part, select_of(part))
        for part in window.chunks(days_per_write) or [window]
    ])


@dataclass
class ResultsReport:
    """What a results step wrote, plus the statistics and winsorization caps it published."""

    write: WriteReport
    results: pd.DataFrame
    caps: pd.DataFrame  # as_of_date, metric, cap_lower, cap_upper
    # the experiment's one SRM test as of each day of the window (empty while
    # exposures_summary lacks a day up to the window's end)
    srm_p_values: dict[dt.date, float]
    # the cumulative rollup's moments of the window's days (the scorecard's
    # recommendation reads them); None for the other rollups
    moments: pd.DataFrame | None = None


@dataclass
class _UnitRowInputs:
    """What the rollups' pass over the units of a window reads, as relations."""

    current: str  # unit totals of the window's days
    earlier: dict[int, str | None]  # of the days each span starts before them
    crossovers: str | None
    units: str
    sliced: dict[tuple[str, str], str]  # unit-day rows per (source, column) table
    window_rows: dict[tuple[str, ...], str]  # unit-day rows re-aggregated metrics read
    retraction: dict  # days since exposure: what units crossing in the window retract
    summed: frozenset[int] = frozenset()  # spans whose `earlier` are sums of day rows (wide_rows)


def _full_cells_sql(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> str:
    """rollup_cells over `window` from every eligible unit's rows (unit totals of D,
    and of D-1 and D-7 or the sums of the day rows since: _summed_spans)."""
    i = _unit_row_inputs(wh, plan, window, retractions=False, sum_spans=True)
    return cells_sql.full_cells(plan, window, i.current, i.earlier, i.crossovers, i.window_rows, i.summed)


# A span's values come from sums of day rows when those are at most this share of the unit totals
# a join would read. Measured on 1M units (BENCHMARKS.md, fourteenth session): at 0.18 (sparse, a
# day) the cells' statement took 30-45% less, at 0.94 (dense) 1.2-2 times as long; the break-even
# lies near 0.4-0.6.
SUMMED_SPAN_SHARE = 0.3


def _summed_spans(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> frozenset[int]:
    """The spans (days) whose values the rows of `window` read as sums of each
    unit's day rows over the span rather than as its unit totals before it:
    where every running state is a SUM (their change is then those sums) and
    the ledger says the spans' day rows are few next to the unit totals a join
    would read (every unit exposed by each day the spans start before:
    SUMMED_SPAN_SHARE). With most units idle on most days, the daily span's
    day rows are a fifth of the units, and no two rows of every unit are joined."""
    if any(c.combine != "SUM" for c in plan.running_columns):
        return frozenset()
    summed = set()
    for days in (d for d in unit_rows_sql.SPANS if d):
        back = dt.timedelta(days=days)
        starts = [d - back for d in window.days if d - back >= plan.start]
        if not starts:
            continue  # no unit totals to join before the start: nothing to save
        covered = [d - dt.timedelta(days=k) for d in window.days for k in range(days)]
        covered = [d for d in covered if d >= plan.start]
        day_rows = [_ledger_rows_by_day(wh, plan, a, sorted(set(covered))) for a in _daily_sources(plan)]
        totals = [_ledger_rows(wh, plan, UNIT_TOTALS.name(), DayRange(_snapshot_before(wh, plan, d), d + ONE_DAY).days)
                  for d in starts]
        if None in day_rows or None in totals:
            continue
        if sum(rows[d] for rows in day_rows for d in covered) <= SUMMED_SPAN_SHARE * sum(totals):
            summed.add(days)
    return frozenset(summed)


def _delta_cells_sql(wh: Warehouse, plan: ExperimentPlan, day: dt.date) -> str:
    """rollup_cells of `day` from the stored cells of the day before and the units whose rows changed."""
    i = _unit_row_inputs(wh, plan, DayRange(day - ONE_DAY, day + ONE_DAY), retractions=False,
                         only=cells_sql.TOUCHED_UNITS)
    previous = (f"SELECT * FROM {table(plan.schema, plan.table_name(ROLLUP_CELLS.name()))} "
                f"WHERE as_of_date = {date_literal(day - ONE_DAY)}")
    everyone = None
    if cells_sql.CellSums(plan).uncapped:  # the day's caps: every unit's winsorized values of D
        e = _unit_row_inputs(wh, plan, DayRange(day, day + ONE_DAY), retractions=False, sum_spans=True)
        everyone = (e.current, e.earlier, e.summed)
    return cells_sql.delta_cells(plan, day, previous, _touched_units(wh, plan, day), i.current, i.earlier,
                                 i.crossovers, i.window_rows, everyone)


def _touched_units(wh: Warehouse, plan: ExperimentPlan, day: dt.date) -> str:
    """A SELECT of the units with unit-day rows on the days that make their rows of
    `day` and the day before differ (cells.touched_days), or first exposed on `day`."""
    units = _units(wh, plan, day)
    parts = [f"SELECT unit_id FROM ({units}) AS u WHERE u.first_exposure_date = {date_literal(day)}"]
    for touching in cells_sql.touched_days(day):
        if touching < plan.start:
            continue
        one = DayRange(touching, touching + ONE_DAY)
        parts += [_table_or_derived(wh, plan, artifact, ["event_date", "unit_id"], one,
                                    lambda r, derive=derive: derive(r, units))
                  for artifact, (_, derive) in _daily_sources(plan).items()]
    return " UNION ".join(f"SELECT unit_id FROM ({p}) AS part" for p in parts)


# A day's cells come from the day before's where the units whose rows changed are
# at most this share of the units: each costs two unit rows and their joins, and
# at 1M units a quarter of them cost twice the pass over every unit (BENCHMARKS.md).
CHANGED_UNITS_SHARE = 0.05
# With winsorization the day's caps and the units beyond them need a pass over every unit's
# winsorized values (~0.2 s at 1M units): measured at 1M units with 5.3% changed, the cells
# from changes took 0.44 s against 0.33 s for every unit (BENCHMARKS.md, eighteenth session).
CHANGED_UNITS_SHARE_WINSORIZED = 0.02


def _can_build_from_changes(wh: Warehouse, plan: ExperimentPlan, day: dt.date) -> bool:
    """Whether rollup_cells of `day` can follow from the day before's: the plan's
    cells can (CellSums.from_changes), and the day before's can be built upon."""
    return (day > plan.start and cells_sql.CellSums(plan).from_changes
            and _built_upon(wh, plan, ROLLUP_CELLS.name(), day - ONE_DAY))


def _ledger_rows(wh: Warehouse, plan: ExperimentPlan, artifact: str, days: list[dt.date]) -> int | None:
    """The rows the ledger says `artifact` holds on `days`, None unless every one is written."""
    rows = _ledger_rows_by_day(wh, plan, artifact, days)
    return None if rows is None else sum(rows.values())


def _ledger_rows_by_day(wh: Warehouse, plan: ExperimentPlan, artifact: str,
                        days: list[dt.date]) -> dict[dt.date, int] | None:
    """The rows the ledger says `artifact` holds on each of `days`, None unless every one is written."""
    ledger = wh.written_partitions(plan.table_name(artifact), min(days), max(days) + ONE_DAY)
    rows = {d: int(n) for d, n in zip(ledger["partition_date"], ledger["row_count"])
            if d in days}
    return rows if len(rows) == len(set(days)) else None


def _cheaper_from_changes(wh: Warehouse, plan: ExperimentPlan, day: dt.date) -> bool:
    """Whether rollup_cells of `day` cost less from the day before's than from
    every unit: when the ledger's rows of the days that touch units (an upper
    bound of the units whose rows changed) are few next to the units of the day
    before."""
    touching = [d for d in cells_sql.touched_days(day) if d >= plan.start]
    changed = [_ledger_rows(wh, plan, a, touching) for a in _daily_sources(plan)]
    changed.append(_ledger_rows(wh, plan, FIRST_EXPOSURES.name(), [day]))
    units = _ledger_rows(wh, plan, FIRST_EXPOSURES.name(), DayRange(plan.start, day).days)  # exposed by D-1
    share = CHANGED_UNITS_SHARE_WINSORIZED if cells_sql.CellSums(plan).uncapped else CHANGED_UNITS_SHARE
    return None not in changed and units is not None and sum(changed) <= share * units


def rollup_cells(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> WriteReport:
    """The cells' group sums of each day: from the day before's cells and the units
    whose rows changed where that can be done and costs less (one day at a time),
    else from every unit's rows (a week per statement)."""
    if _can_build_from_changes(wh, plan, window.start) and _cheaper_from_changes(wh, plan, window.start):
        return WriteReport.combined([
            _write(wh, plan, ROLLUP_CELLS, (), DayRange(day, day + ONE_DAY), _delta_cells_sql(wh, plan, day))
            for day in window.days
        ])
    return _write_in_parts(wh, plan, ROLLUP_CELLS, window, ROLLUP_MOMENTS_DAYS_PER_WRITE,
                           lambda part: _full_cells_sql(wh, plan, part))


def _rollup_moments_sql(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> str:
    """The sufficient statistics of every rollup over `window`, from the cells of
    its days, the crossing units' history and the property slices (each read
    from its table or derived where missing)."""
    i = _unit_row_inputs(wh, plan, window, retractions=True)
    cells = _table_or_derived(wh, plan, ROLLUP_CELLS.name(), cells_sql.CellSums(plan).columns(), window,
                              lambda r: _full_cells_sql(wh, plan, r))
    statistics = results_sql.rollup_statistics(plan, window, cells, i.crossovers, window_rows=i.window_rows,
                                               **i.retraction)
    if not plan.metric_dimensions:
        return statistics
    sliced = {key: i.sliced[key] for key in plan.metric_dimensions}
    by_property = [results_sql.sliced_statistics(plan, window, r, i.current, sliced, i.crossovers)
                   for r in ROLLUPS if not r.by_days_since_exposure]
    return " UNION ALL ".join(f"SELECT * FROM ({part}) AS part" for part in [statistics, *by_property])


def _unit_row_inputs(wh: Warehouse, plan: ExperimentPlan, window: DayRange, retractions: bool,
                     only: str | None = None, sum_spans: bool = False) -> _UnitRowInputs:
    """The inputs of the pass over the window's unit rows, read from their tables
    or derived where missing; the unit totals of every unit, or of the units of
    `only` (a SELECT of unit_id); with `sum_spans`, the spans _summed_spans
    chooses as sums of day rows."""
    def totals(days: DayRange, columns: list[str]) -> str:
        return _unit_state(wh, plan, days, columns, only)

    running = [c.name for c in plan.running_columns]
    units = _units(wh, plan, window.last)  # for deriving property slices of missing days
    current = totals(window, metric_sql.unit_totals_columns(plan))
    earlier = {}
    for days in sorted({r.days for r in ROLLUPS if r.days is not None}):  # where each rollup's window starts
        back = dt.timedelta(days=days)
        span = DayRange(max(window.start - back, plan.start), max(window.end - back, plan.start))
        earlier[days] = totals(span, ["first_exposure_ts", *running]) if span else None
    summed = _summed_spans(wh, plan, window) if sum_spans and only is None else frozenset()
    for days in summed:
        rows = DayRange(max(window.start - dt.timedelta(days=days - 1), plan.start), window.end)
        day_rows = metric_sql.combine_sources(plan, _day_rows(wh, plan, rows, units), ["unit_id", "event_date"],
                                              plan.running_columns)
        earlier[days] = unit_rows_sql.span_sums(plan, window, days, day_rows)
    crossovers = None
    if plan.experiment.multiple_exposures == "exclude":
        crossovers = _table_or_derived(
            wh, plan, MULTIPLE_VARIANT_UNITS.name(), ["exposure_date", "unit_id"], DayRange(plan.start, window.end),
            lambda r: exposure_sql.multiple_variant_units(plan, r, _units(wh, plan, r.last)),
        )
    retraction = {}
    if crossovers is not None and retractions:  # days since exposure: units crossing in the window retract their earlier days
        first = wh.query(results_sql.earliest_retracted_day(window, crossovers, units))["day"].iloc[0]
        if pd.notna(first):
            first = pd.Timestamp(first).date()
            history = DayRange(first, window.last)
            retraction["history_start"] = first
            crossing = results_sql.crossing_units(window, crossovers)
            if _day_rows_are_fewer(wh, plan, history):
                retraction["history_sql"] = _unit_totals_select(wh, plan, history, only=crossing)
            else:
                retraction["history_sql"] = _unit_state(wh, plan, history, metric_sql.unit_totals_columns(plan),
                                                        crossing)
            if first < window.start:  # the caps its earlier days were added with
                retraction["earlier_caps_sql"] = _earlier_caps(wh, plan, DayRange(first, window.start))
    sliced = {key: _unit_day_rows(wh, plan, key, DayRange(plan.start, window.end), units) for key in plan.sliced_tables}
    window_rows = {key: sliced.get(key) or _unit_day_rows(wh, plan, key, DayRange(plan.start, window.end), units)
                   for key in map(plan.window_rows, plan.reaggregated_metrics)}
    return _UnitRowInputs(current, earlier, crossovers, units, sliced, window_rows, retraction, summed)


def _earlier_caps(wh: Warehouse, plan: ExperimentPlan, days: DayRange) -> str:
    """rollup_moments over `days`, for the caps the crossing units' earlier days were
    added with: the table's rows, or, where some are missing, the days' caps found in a
    statement of their own and handed on as literal rows. Derived inside the statement
    that retracts with them, a month of moments (and their cells and unit totals) ran a
    200k-unit day out of a 1 GB memory limit that each part alone fits in."""
    moments = _table_or_derived(wh, plan, ROLLUP_MOMENTS.name(), results_sql.ROLLUP_MOMENTS_COLUMNS, days,
                                lambda r: _rollup_moments_sql(wh, plan, r))
    if not _missing_days(wh, plan, ROLLUP_MOMENTS.name(), days):
        return moments
    return _caps_as_literals(wh, moments)


def _caps_as_literals(wh: Warehouse, moments_sql: str) -> str:
    """The days-since-exposure caps of `moments_sql` (rollup_moments rows), found now
    and returned as a relation of literal rows."""
    caps = wh.query(results_sql.days_since_exposure_caps(moments_sql))
    return results_sql.caps_rows([(pd.Timestamp(r.as_of_date).date(), r.rollup, r.metric,
                                   [getattr(r, c) for c in results_sql.CAP_COLUMNS])
                                  for r in caps.itertuples(index=False)])


def _day_rows_are_fewer(wh: Warehouse, plan: ExperimentPlan, history: DayRange) -> bool:
    """Whether the few crossing units' unit totals over `history` are cheaper to
    rebuild from their day rows (and covariates) since the start than to pick out
    of unit_totals: either way a scan reads every row to find those units, so
    this compares the rows the ledger says each read holds (unit_totals' of each
    day from its snapshot on). Sparse activity (most units idle on most days)
    makes the day rows fewer; where units are active every day unit_totals' are.
    Day rows are used only when all are written."""
    since_start = DayRange(plan.start, history.end).days
    day_rows = [_ledger_rows(wh, plan, artifact, since_start) for artifact in _daily_sources(plan)]
    day_rows += [_ledger_rows(wh, plan, PRE_EXPOSURE_COVARIATES.name(s), since_start) for s in plan.covariate_sources]
    if None in day_rows:
        return False
    totals_rows = [_ledger_rows(wh, plan, UNIT_TOTALS.name(), DayRange(_snapshot_before(wh, plan, d), d + ONE_DAY).days)
                   for d in history.days]
    return None in totals_rows or sum(day_rows) < sum(totals_rows)


def _quantile_sketches_sql(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> str:
    i = _unit_row_inputs(wh, plan, window, retractions=False)
    return quantile_sql.quantile_sketches(plan, window, i.current, i.earlier, i.crossovers, i.window_rows)


def quantile_sketches(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> WriteReport:
    """Per day, rollup, quantile metric and arm: the sketch of its values (and the
    units' cluster sums for event-level quantiles), from one pass over the units."""
    return _write_in_parts(wh, plan, QUANTILE_SKETCHES, window, ROLLUP_MOMENTS_DAYS_PER_WRITE,
                           lambda part: _quantile_sketches_sql(wh, plan, part))


def _regression_moments_sql(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> str:
    i = _unit_row_inputs(wh, plan, window, retractions=False)
    return regression_sql.regression_moments(plan, window, i.current, i.earlier, i.crossovers, i.window_rows)


def regression_moments(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> WriteReport:
    """CUPED++'s group sums of day D (covariates: all), from the unit rows the
    rollups read; a week per statement, for the same quantiles as rollup_moments."""
    return _write_in_parts(wh, plan, REGRESSION_MOMENTS, window, ROLLUP_MOMENTS_DAYS_PER_WRITE,
                           lambda part: _regression_moments_sql(wh, plan, part))


def _with_covariate_sums(wh: Warehouse, plan: ExperimentPlan, rollup: Rollup, window: DayRange,
                         stats: pd.DataFrame, reads: WriteReport) -> pd.DataFrame:
    """`stats` with each overall row's CovariateSums (CUPED++), where the experiment has them."""
    if not any(a.name == REGRESSION_MOMENTS.name() for a in plan.artifacts) or rollup.by_days_since_exposure:
        return stats
    moments = _table_or_derived(wh, plan, REGRESSION_MOMENTS.name(), regression_sql.REGRESSION_MOMENTS_COLUMNS,
                                window, lambda r: _regression_moments_sql(wh, plan, r))
    frame = wh.read(f"SELECT * FROM ({moments}) AS m WHERE m.rollup IS NULL OR m.rollup = {literal(rollup.name)}",
                    reads)
    frame["as_of_date"] = pd.to_datetime(frame["as_of_date"]).dt.date
    sums = covariate_sums(frame, plan.covariate_column)
    days = pd.to_datetime(stats["as_of_date"]).dt.date
    keys = zip(days, stats["metric"], stats["variant"], stats["dimension"])
    return stats.assign(**{COVARIATE_SUMS: [sums.get((day, rollup.name, metric, variant)) if dimension == "overall"
                                            else None for day, metric, variant, dimension in keys]})


def _unit_day_rows(wh: Warehouse, plan: ExperimentPlan, key: tuple[str, ...], days: DayRange, units: str) -> str:
    """The unit-day rows over `days` of the user_level_aggregations table of a
    source (key (source,)) or of the one broken down by a column ((source, column))."""
    source, *column = key
    if column:
        family, keys, metrics = SLICED_AGGREGATIONS, ["unit_id", "dimension_value"], plan.sliced_metrics(*key)
    else:
        family, keys, metrics = USER_LEVEL_AGGREGATIONS, ["unit_id"], plan.metrics_of(source)
    return _table_or_derived(
        wh, plan, family.name(*key), ["event_date", *keys, *(c for m in metrics for c in plan.day_columns(m))], days,
        lambda r: metric_sql.user_level_aggregations(plan, source, [r], units, *column))


def rollup_moments(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> WriteReport:
    """Every rollup's group-level sums of day D, from one pass over the unit
    totals; the results assets read these few rows (the days-since-exposure
    rollup adds up the days' contributions) instead of rescanning units."""
    return _write_in_parts(wh, plan, ROLLUP_MOMENTS, window, ROLLUP_MOMENTS_DAYS_PER_WRITE,
                           lambda part: _rollup_moments_sql(wh, plan, part))


def results(wh: Warehouse, plan: ExperimentPlan, rollup: Rollup, window: DayRange) -> ResultsReport:
    # days since exposure: every day's contribution up to the window's end
    days = DayRange(plan.start, window.end) if rollup.by_days_since_exposure else window
    stored = _table_or_derived(wh, plan, ROLLUP_MOMENTS.name(), results_sql.ROLLUP_MOMENTS_COLUMNS, days,
                               lambda r: _rollup_moments_sql(wh, plan, r))
    stored = f"SELECT * FROM ({stored}) AS m WHERE m.rollup = {literal(rollup.name)}"
    # what the step reads (rollup_moments, the SRM's exposures) counts in its report like a write's scans
    reads = WriteReport(table=f"{wh.output_schema}.{plan.table_name(RESULTS.name(rollup))}")
    if rollup.by_days_since_exposure:
        stats = wh.read(results_sql.summed_moments(window, stored), reads)
        caps = pd.DataFrame(columns=["as_of_date", "metric", "cap_lower", "cap_upper"])
    else:
        columns = ["as_of_date", "metric", "dimension", "dimension_value", "variant", "n", *results_sql.MOMENT_SUMS,
                   results_sql.DENOMINATOR_UNITS]
        stats = wh.read(f"SELECT {', '.join(columns)}, cap_lower, cap_upper FROM ({stored}) AS m", reads)
        # a metric's own caps (a ratio's cap_* are its numerator's: not published as the ratio's)
        caps = stats[stats["denominator_sum"].isna()][["as_of_date", "metric", "cap_lower", "cap_upper"]].drop_duplicates()
        stats = stats.drop(columns=["cap_lower", "cap_upper"])
    moments = stats  # what the recommendation reads: the moments alone
    if not rollup.by_days_since_exposure and plan.quantile_metrics:
        stats = pd.concat([stats, _quantile_arms(wh, plan, rollup, window, reads)], ignore_index=True)
    grid = _with_covariate_sums(wh, plan, rollup, window, _complete_grid(plan, rollup, window, stats), reads)
    published = analyze(grid, plan.experiment.control, analysis_options(plan))
    published["rollup"] = rollup.name
    for column, default in (("dimension", "overall"), ("dimension_value", "all"), ("days_since_exposure", None)):
        if column not in published:
            published[column] = default
    published = published[list(results_sql.RESULT_COLUMNS)]
    srm = {}
    if not _missing_days(wh, plan, EXPOSURES_SUMMARY.name(), DayRange(plan.start, window.end)):
        srm = {day: p for day, p in srm_by_day(wh, plan, window.last, reads)[1].items()
               if window.start <= day < window.end}
    write = _write(wh, plan, RESULTS, (rollup,), window, results_sql.typed_results(), published)
    cumulative = moments if rollup.name == "cumulative" else None
    return ResultsReport(WriteReport.combined([reads, write]), published, caps, srm, cumulative)


def _quantile_arms(wh: Warehouse, plan: ExperimentPlan, rollup: Rollup, window: DayRange,
                   reads: WriteReport) -> pd.DataFrame:
    """The overall rows of the rollup's quantile metrics over `window`: per day,
    metric and arm its units and its estimate (column QUANTILE), from the sketches."""
    metrics = {m.name: m for m in plan.quantile_metrics
               if any(r.in_rollup(rollup.name) for r in kind_of(m).result_metrics(plan, m))}
    columns = ["as_of_date", "metric", "dimension", "dimension_value", "variant", "n", QUANTILE]
    if not metrics:
        return pd.DataFrame(columns=columns).astype({"n": "int64"})
    sketches = _table_or_derived(wh, plan, QUANTILE_SKETCHES.name(), quantile_sql.QUANTILE_SKETCH_COLUMNS, window,
                                 lambda r: _quantile_sketches_sql(wh, plan, r))
    frame = wh.read(f"SELECT * FROM ({sketches}) AS s WHERE s.rollup = {literal(rollup.name)}", reads)
    frame["as_of_date"] = pd.to_datetime(frame["as_of_date"]).dt.date
    rows = []
    for (day, name, variant), group in frame.groupby(["as_of_date", "metric", "variant"]):
        metric = metrics[name]
        buckets = group[group["position"].notna()]
        signs, indexes = zip(*map(bucket_of_position, buckets["position"].astype("int64"))) if len(buckets) else ((), ())
        histogram = Histogram(signs, indexes, buckets["count"].to_numpy(), metric.relative_accuracy)
        alpha = plan.experiment.alpha
        if metric.level == "unit":
            arm = QuantileArm(unit_quantile(histogram, metric.q, alpha), histogram.n)
        else:
            sums = group[group["position"].isna()]
            cluster = None
            if len(sums):
                n_units, *rest = (sums.iloc[0][c] for c in quantile_sql.CLUSTER_SUMS)
                cluster = ClusterSums(int(n_units), *map(float, rest))
            arm = QuantileArm(event_quantile(histogram, metric.q, cluster, alpha), cluster.n_units if cluster else 0)
        rows.append((day, name, "overall", "all", variant, arm.n, arm))
    return pd.DataFrame(rows, columns=columns).astype({"n": "int64"})


def decisions(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> WriteReport:
    """The recommendation per treatment as of each day, from that day's overall
    cumulative moments (as the results read them) and its SRM test."""
    moments = _table_or_derived(wh, plan, ROLLUP_MOMENTS.name(), results_sql.ROLLUP_MOMENTS_COLUMNS, window,
                                lambda r: _rollup_moments_sql(wh, plan, r))
    reads = WriteReport(table=f"{wh.output_schema}.{plan.table_name(DECISIONS.name())}")
    moments = wh.read(f"SELECT * FROM ({moments}) AS m WHERE m.rollup = 'cumulative' AND m.dimension = 'overall'",
                      reads)
    moments["as_of_date"] = pd.to_datetime(moments["as_of_date"]).dt.date
    srm = {}
    if not _missing_days(wh, plan, EXPOSURES_SUMMARY.name(), DayRange(plan.start, window.end)):
        srm = srm_by_day(wh, plan, window.last, reads)[1]
    rows = [row for day in window.days for row in
            decision_rows(plan, moments[moments["as_of_date"] == day], day, srm_failures(plan, srm.get(day)))]
    frame = pd.DataFrame(rows, columns=list(DECISION_COLUMNS))
    write = _write(wh, plan, DECISIONS, (), window, results_sql.typed_results(types=DECISION_COLUMNS), frame)
    return WriteReport.combined([reads, write])


def analysis_options(plan: ExperimentPlan) -> AnalysisOptions:
    e = plan.experiment
    return AnalysisOptions(
        alpha=e.alpha, engine=e.engine, sequential=e.sequential, sequential_tuning=e.sequential_tuning,
        correction=e.correction, prior_mean=e.prior.mean, prior_stddev=e.prior.stddev,
        cuped=e.cuped.enabled, relative_interval=e.relative_interval, min_units=e.min_units_per_arm,
    )


def _complete_grid(plan: ExperimentPlan, rollup: Rollup, window: DayRange, stats: pd.DataFrame) -> pd.DataFrame:
    """Every variant gets a row in every group (n = 0 where no unit is eligible),
    and every day and metric defined in the rollup at least its overall group."""
    stats = stats.assign(as_of_date=pd.to_datetime(stats["as_of_date"]).dt.date)
    keys = [c for c in stats.columns
            if c not in ("variant", "n", QUANTILE, *results_sql.MOMENT_SUMS, results_sql.DENOMINATOR_UNITS)]
    groups = stats[keys].drop_duplicates()
    if "dimension" in keys:
        overall = pd.MultiIndex.from_product(
            [window.days, [r.name for r in plan.result_metrics if r.in_rollup(rollup.name)]], names=["as_of_date", "metric"]
        ).to_frame(index=False).assign(dimension="overall", dimension_value="all")
        groups = pd.concat([overall[keys], groups]).drop_duplicates()
    variants = list(plan.experiment.variants)
    grid = groups.iloc[np.repeat(np.arange(len(groups)), len(variants))].assign(variant=variants * len(groups))
    merged = grid.reset_index(drop=True).merge(stats, on=[*keys, "variant"], how="left")
    merged["n"] = merged["n"].fillna(0).astype("int64")
    return merged


# Each family's step: step(wh, plan, *artifact.params, window).
STEPS = {
    FIRST_EXPOSURES: first_exposures,
    MULTIPLE_VARIANT_UNITS: multiple_variant_units,
    EXPOSURES_SUMMARY: exposures_summary,
    USER_LEVEL_AGGREGATIONS: user_level_aggregations,
    SLICED_AGGREGATIONS: sliced_aggregations,
    PRE_EXPOSURE_COVARIATES: pre_exposure_covariates,
    **{unit_day_family(kind): own_unit_days for kind in KINDS.values() if kind.state_from == OWN},
    UNIT_TOTALS: unit_totals,
    ROLLUP_CELLS: rollup_cells,
    ROLLUP_MOMENTS: rollup_moments,
    QUANTILE_SKETCHES: quantile_sketches,
    REGRESSION_MOMENTS: regression_moments,
    RESULTS: results,
    DECISIONS: decisions,
}


def step_of(plan: ExperimentPlan, artifact: Artifact):
    """The artifact's step(wh, window), run in one warehouse session (its ledger
    reads, SQL and write share one connection)."""
    step = STEPS[artifact.family]

    def run(wh: Warehouse, window: DayRange):
        with wh.session():
            try:
                return step(wh, plan, *artifact.params, window)
            except Exception:
                source_columns.explain(wh, plan)  # a source that no longer matches the config: say which
                raise

    return run


def ordered_steps(plan: ExperimentPlan) -> list[tuple[str, object]]:
    """(artifact name, step(wh, window)) for every artifact, upstream first."""
    return [(artifact.name, step_of(plan, artifact)) for artifact in plan.artifacts]


def materialize_all(wh: Warehouse, plan: ExperimentPlan, window: DayRange) -> dict[str, WriteReport]:
    """Every step over `window`, in order, in one session (what one run of the experiment's job does)."""
    reports = {}
    with wh.session():
        for artifact, step in ordered_steps(plan):
            outcome = step(wh, window)
            reports[artifact] = outcome.write if isinstance(outcome, ResultsReport) else outcome
    return reports
