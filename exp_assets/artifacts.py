"""The artifact registry: every artifact of an experiment (one table and one
asset each), declared once with its name, date column, upstream inputs, what
its code version hashes, its checks and its description.

The plan, the steps, the asset factory, the checks and cleanup all read these
declarations; a new artifact is one declaration here, its step (steps.STEPS)
and its SQL. Relations between partitions are plain data (`Input`): the asset
layer alone turns them into Dagster partition mappings.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from exp_assets.rollups import ROLLUPS
from exp_assets.stats.contract import RESULT_COLUMN_MEANINGS

if TYPE_CHECKING:
    from exp_assets.metrics import MetricKind
    from exp_assets.plan import ExperimentPlan

# Metric options that change how results are presented, not what any table holds:
# left out of code versions, so changing them leaves no asset stale.
PRESENTATION_ONLY = {"higher_is_better"}

# Bump when the SQL or statistics of a step change meaning, so every asset goes stale.
PIPELINE_VERSION = "1"


@dataclass(frozen=True)
class Input:
    """An upstream artifact and which of its days day D of the downstream one reads."""

    artifact: str
    days_before: int | None  # 0: day D only; N: D and the N days before; None: every day up to D


def same_day(artifact: str) -> Input:
    return Input(artifact, 0)


def every_day_up_to(artifact: str) -> Input:
    """Day D reads every upstream day up to D (a unit exposed on any earlier day can have events on D)."""
    return Input(artifact, None)


def days_before(artifact: str, days: int) -> Input:
    return Input(artifact, days)


@dataclass(frozen=True)
class Family:
    """A kind of artifact: one per experiment, or one per fact source, metric
    with a table of its own, (source, column) slice or rollup (its `params`)."""

    key: str
    pattern: str  # the artifact's name, formatted with its params
    date_column: str  # the column a daily partition is a window of
    checks: tuple[str, ...] = ()  # health checks, by name (exp_assets.checks.registry)
    # what each column holds (the asset's column schema in the UI), and what the
    # columns not named hold (a metric's, a step's or a dimension's column)
    columns: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    other_columns: str | None = None
    # (regular expression, meaning) of columns named by a pattern, the first that matches
    # the whole name; the meaning may name the expression's groups ({0}, {1})
    column_patterns: tuple[tuple[str, str], ...] = ()

    def name(self, *params) -> str:
        return self.pattern.format(*params)

    def column_meaning(self, column: str) -> str | None:
        if column in self.columns:
            return self.columns[column]
        for pattern, meaning in self.column_patterns:
            if found := re.fullmatch(pattern, column):
                return meaning.format(*found.groups())
        return self.other_columns


_UNIT = "The unit (the assignment source's unit_id)."
_DAY_OF_EVENTS = "The day of the events (the partition)."

FIRST_EXPOSURES = Family(
    "first_exposures", "first_exposures", "first_exposure_date", ("exposures_present",),
    {"unit_id": _UNIT, "variant": "The variant of its first exposure.",
     "first_exposure_ts": "Its first exposure's time (UTC).",
     "first_exposure_date": "The day of its first exposure (the partition)."},
    "A dimension of the assignment source: its value at the unit's first exposure.")
MULTIPLE_VARIANT_UNITS = Family(
    "multiple_variant_units", "multiple_variant_units", "exposure_date", ("multiple_variant_rate",),
    {"unit_id": _UNIT, "exposure_date": "A day the unit was exposed to a variant other than its first (the partition).",
     "variants_seen": "How many variants it was exposed to that day and before."})
EXPOSURES_SUMMARY = Family(
    "exposures_summary", "exposures_summary", "exposure_date", ("srm",),
    {"exposure_date": "The day (the partition).", "variant": "The variant.",
     "exposures": "Exposure events of the variant that day.", "exposed_units": "Units exposed to it that day.",
     "new_units": "Units first exposed to it that day.",
     "cumulative_units": "Units first exposed to it up to that day (the SRM test's counts)."})
USER_LEVEL_AGGREGATIONS = Family(
    "user_level_aggregations", "user_level_aggregations_{}", "event_date", ("source_data_present",),
    {"unit_id": _UNIT, "event_date": _DAY_OF_EVENTS},
    "A metric of the source: the unit's value from that day's events at or after its first exposure.")
SLICED_AGGREGATIONS = Family(
    "sliced_aggregations", "user_level_aggregations_{}_by_{}", "event_date", (),
    {"unit_id": _UNIT, "event_date": _DAY_OF_EVENTS,
     "dimension_value": "The value of the breakdown column on those events."},
    "A metric broken down by the column: the unit's value from that day's events with that value.")
PRE_EXPOSURE_COVARIATES = Family(
    "pre_exposure_covariates", "pre_exposure_covariates_{}", "first_exposure_date", ("pre_exposure_balance",),
    {"unit_id": _UNIT, "first_exposure_date": "The day of the unit's first exposure (the partition).",
     "variant": "The variant of its first exposure."},
    "A metric of the source: the unit's value over the CUPED lookback before its first exposure (0 without events).")


@functools.cache
def unit_day_family(kind: MetricKind) -> Family:
    """The unit-day tables of a metric kind that keeps its own (OWN), one per
    metric: <kind.table>_<metric>, its state columns per unit and day."""
    return Family(kind.table, f"{kind.table}_{{}}", "event_date", (),
                  {"unit_id": _UNIT, "event_date": _DAY_OF_EVENTS}, kind.table_columns)


def snapshot_day(plan: ExperimentPlan, day: dt.date) -> dt.date:
    """The day of unit_totals' newest scheduled snapshot at or before `day`.
    unit_totals holds every exposed unit's row every `refresh.snapshot_every_days`
    days from the experiment's start (a snapshot), and on the days between
    only the rows of the units whose totals changed that day (events, or a
    first exposure), unless at least `refresh.snapshot_share` of the units did
    (then every unit's: a snapshot too). What it stores follows the units and
    their active days, not units x days. A unit's totals on a day are its
    newest row from the day's snapshot through the day (sql/unit_state.py)."""
    return day - dt.timedelta(days=(day - plan.start).days % plan.experiment.refresh.snapshot_every_days)


UNIT_TOTALS = Family(
    "unit_totals", "unit_totals", "as_of_date", (),
    {"as_of_date": "The day the totals run through (the partition).", "unit_id": _UNIT,
     "variant": "The variant of its first exposure.", "first_exposure_ts": "Its first exposure's time (UTC).",
     "first_exposure_date": "The day of its first exposure."},
    "A dimension at first exposure; a metric's running value from first exposure through the day; a funnel "
    "step's first time; <metric>__pre_exposure: the metric's CUPED covariate.")
ROLLUP_CELLS = Family(
    "rollup_cells", "rollup_cells", "as_of_date", (),
    {"as_of_date": "The day (the partition).", "variant": "The variant.",
     "first_exposure_date": "The day its units were first exposed (days since exposure: k = as_of_date - this).",
     "n": "Eligible units in the cell."},
    column_patterns=(
        (r"dv_(\d+)", "The value at first exposure of exposure dimension {0} (counting from 0, in the config's "
                      "order); '(null)' for none."),
        (r"s__(\w+?)__((?:v\d*|x)_\w+)", "The sum over the cell's units of {0} times {1} (unit values: v_ since exposure, "
                               "v1_ daily, v7_ 7-day, x_ CUPED covariate), winsorized where capped."),
        (r"s__(\w+)", "The sum over the cell's units of the unit value {0}, winsorized where capped."),
        (r"n__(\w+)", "The cell's units whose value {0} is not 0."),
        (r"us__(\w+)", "The sum s__{0} without winsorization (kept to follow from the units that changed)."),
        (r"un__(\w+)", "The count n__{0} without winsorization (kept to follow from the units that changed)."),
        (r"(\w+)_(lower|upper)", "The day's {1} winsorization cap of the unit value {0}."),
    ))
ROLLUP_MOMENTS = Family(
    "rollup_moments", "rollup_moments", "as_of_date", (),
    {"as_of_date": "The day (the partition).", "rollup": "cumulative, daily, 7day or days_since_exposure.",
     "metric": "The results row family (a metric, a ratio, a funnel step or rate).",
     "dimension": "overall, or the dimension the group is a slice of.", "dimension_value": "The slice's value.",
     "days_since_exposure": "For days_since_exposure: k, the day's contribution to day k since exposure.",
     "variant": "The variant.", "n": "Units in the group."},
    "A group sum of the moment contract (sums, squares and cross products of the value, its denominator and "
    "their CUPED covariates), the units with a denominator, or a winsorization cap.")
QUANTILE_SKETCHES = Family(
    "quantile_sketches", "quantile_sketches", "as_of_date", (),
    {"as_of_date": "The day (the partition).", "rollup": "cumulative, daily or 7day.",
     "metric": "The quantile metric.", "variant": "The variant.",
     "position": "A sketch bucket: sign * (ceil(ln|value| / ln gamma) + 2^20), 0 for zero; NULL on a cluster-sums row.",
     "count": "Values in the bucket: units (unit-level) or events (event-level).",
     "n_units": "Event-level: units with events in the span.",
     "sum_s": "Sum over units of S_i, their events at or below the estimate's bucket.",
     "sum_s2": "Sum of S_i squared.", "sum_n": "Sum of N_i, the units' events.",
     "sum_n2": "Sum of N_i squared.", "sum_sn": "Sum of S_i N_i."})
REGRESSION_MOMENTS = Family(
    "regression_moments", "regression_moments", "as_of_date", (),
    {"as_of_date": "The day (the partition).", "rollup": "cumulative, daily or 7day; NULL where no term is y.",
     "metric": "The mean metric whose value y is; NULL where no term is y.", "variant": "The variant.",
     "term_a": "A regression term: 1, <metric>__pre_exposure (a covariate), <dimension>=<value> (a dummy) or y.",
     "term_b": "The other term.", "value": "The sum over the variant's units of term_a times term_b."},
    None)
RESULTS = Family("results", "results_{0.name}", "as_of_date", ("results_sanity",), RESULT_COLUMN_MEANINGS)
DECISIONS = Family(
    "decisions", "decisions", "as_of_date", (),
    {"as_of_date": "The day the decision is as of (the partition): the cumulative results of that day.",
     "variant": "The treatment arm decided on (against the control).",
     "recommendation": "ship, do not ship, keep running or investigate.",
     "reason": "Why, in one sentence (the metrics or the failed health check it rests on).",
     "goal_metric": "The first goal metric, whose power the row gives.",
     "units": "Control plus treatment units so far.",
     "mde": "Relative lift the goal's test detects now with test_power (0.05 = +5%).",
     "target_effect": "The experiment's minimum_detectable_effect (relative).",
     "power": "Chance the goal's test detects target_effect now.",
     "days_to_power": "More days at the current accrual until power reaches test_power (0: reached).",
     "test_power": "The per-test power that gives the decision 80% power.",
     "power_from": "What the power's variance comes from: the goal's outcomes, or before those can be tested "
                   "its pre-exposure values (CUPED's covariate)."})


@dataclass(frozen=True)
class Artifact:
    family: Family
    params: tuple  # what the family's name is formatted with: a source, a metric, a rollup...
    description: str
    inputs: tuple[Input, ...]  # upstream artifacts the step reads
    # upstream artifacts of the same day whose blocking check (source_data_present)
    # also skips this one: it reads the same source
    gated_by: tuple[str, ...]
    metrics: tuple[str, ...]  # metrics whose definition the code version hashes
    code_version: str = field(repr=False)

    @property
    def name(self) -> str:  # the asset's name; its table is <experiment>_<name>
        return self.family.name(*self.params)

    @property
    def date_column(self) -> str:
        return self.family.date_column

    @property
    def checks(self) -> tuple[str, ...]:
        return self.family.checks


def _declare(family: Family, *params, description: str, version: dict, inputs=(), gated_by=(),
             metrics=()) -> Artifact:
    return Artifact(family, params, description, tuple(inputs), tuple(gated_by), tuple(metrics), digest(version))


def digest(inputs: dict) -> str:
    text = json.dumps({"pipeline": PIPELINE_VERSION, **inputs}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _metric_dumps(metrics, exclude=frozenset()) -> list[dict]:
    return [m.model_dump(exclude={*exclude, *PRESENTATION_ONLY}) for m in metrics]


def declare(plan: ExperimentPlan) -> list[Artifact]:
    """Every artifact of the experiment, upstream first."""
    unit_days = list(_unit_day_artifacts(plan))
    return [*_exposure_artifacts(plan), *unit_days, *_rollup_artifacts(plan, unit_days)]


def _exposure_artifacts(plan: ExperimentPlan) -> Iterator[Artifact]:
    exposure = {
        "source": plan.assignment_source.definition(),
        "key": plan.experiment.key,
        "start": str(plan.start),
        "variants": sorted(plan.experiment.variants),
    }
    fe = FIRST_EXPOSURES.name()
    yield _declare(
        FIRST_EXPOSURES, version={"artifact": fe, **exposure},
        description="One row per unit, in the partition of the day of its first exposure (on or after the "
                    "start date): variant, first exposure timestamp and dimensions at first exposure.")
    yield _declare(
        MULTIPLE_VARIANT_UNITS, inputs=[every_day_up_to(fe)],
        version={"artifact": MULTIPLE_VARIANT_UNITS.name(), **exposure},
        description="Units exposed on day D to a variant other than their first one (crossovers). "
                    "With multiple_exposures: exclude, results drop them from the day they are seen.")
    yield _declare(
        EXPOSURES_SUMMARY, inputs=[every_day_up_to(fe)],
        version={"artifact": EXPOSURES_SUMMARY.name(), **exposure},
        description="Per variant and day: exposure events, units exposed, new units and cumulative units "
                    "(SRM input).")


def _unit_day_artifacts(plan: ExperimentPlan) -> Iterator[Artifact]:
    """What units did each day (one set per fact source, slice, metric with a table of its own) and their
    pre-exposure covariates."""
    fe = every_day_up_to(FIRST_EXPOSURES.name())
    gate = {s: [USER_LEVEL_AGGREGATIONS.name(s)] for s in plan.fact_sources}  # a source's presence check
    for s in plan.fact_sources:
        metrics = plan.metrics_of(s)
        yield _declare(
            USER_LEVEL_AGGREGATIONS, s, inputs=[fe], metrics=[m.name for m in metrics],
            version={"artifact": "user_level_aggregations_", "source": plan.fact_source(s).definition(),
                     "metrics": _metric_dumps(metrics, {"winsorize"})},
            description=f"One row per unit and day with events in {s!r} at or after the unit's first "
                        f"exposure; one column per metric: {', '.join(m.name for m in metrics)}.")
    for s, c in plan.sliced_tables:
        metrics = plan.sliced_metrics(s, c)
        yield _declare(
            SLICED_AGGREGATIONS, s, c, inputs=[fe], gated_by=gate.get(s, []), metrics=[m.name for m in metrics],
            version={"artifact": "sliced", "source": plan.fact_source(s).definition(), "column": c,
                     "metrics": _metric_dumps(metrics, {"winsorize"})},
            description=f"One row per unit, day and value of {s}.{c} with events at or after the unit's first "
                        f"exposure; one column per metric broken down by {c!r}: "
                        f"{', '.join(m.name for m in metrics)}.")
    for s in plan.covariate_sources:
        metrics = plan.covariate_metrics_of(s)
        yield _declare(
            PRE_EXPOSURE_COVARIATES, s, inputs=[fe], gated_by=gate[s], metrics=[m.name for m in metrics],
            version={"artifact": "pre_exposure_covariates_", "source": plan.fact_source(s).definition(),
                     "metrics": _metric_dumps(metrics, {"winsorize"}), "lookback_days": plan.cuped_days,
                     "unit_columns": ["unit_id", "first_exposure_date", "variant"]},
            description=f"CUPED covariates: for units first exposed on D, each metric of {s!r} over the "
                        f"{plan.cuped_days} days before the unit's first exposure (0 without events).")
    for m in plan.own_table_metrics:
        kind = plan.kind(m)
        sources = kind.reads(m)
        yield _declare(
            unit_day_family(kind), m.name, inputs=[fe], gated_by=[g for s in sources for g in gate.get(s, [])],
            metrics=[m.name],
            version={"artifact": kind.table, kind.type: m.model_dump(exclude=PRESENTATION_ONLY),
                     "sources": {s: plan.config.sources[s].definition() for s in sources}},
            description=kind.table_description(m))


def _rollup_artifacts(plan: ExperimentPlan, unit_days: list[Artifact]) -> Iterator[Artifact]:
    """Running totals per unit, their group-level sums, and the statistics of every rollup."""
    columns = plan.running_columns + plan.covariate_columns
    every = plan.experiment.refresh.snapshot_every_days
    summed = [a for a in unit_days if a.family is not SLICED_AGGREGATIONS]  # slices go straight to the rollups
    yield _declare(
        UNIT_TOTALS, inputs=[every_day_up_to(FIRST_EXPOSURES.name()), *(every_day_up_to(a.name) for a in summed)],
        # a snapshot every day: the layout of every earlier version, whose partitions stay current
        version={"artifact": UNIT_TOTALS.name(), "columns": [(c.name, c.sql_type, c.combine) for c in columns],
                 **({} if every == 1 else {"snapshot_every": every,
                                           "snapshot_share": plan.experiment.refresh.snapshot_share})},
        description="Running totals: a unit's row holds each metric's value from its first exposure through the "
                    "end of D (0 without events) and its pre-exposure CUPED covariates. " + (
                        "Day D holds a row for every unit exposed by D. " if every == 1 else
                        f"Every {every} days from the start, D holds a row for every unit exposed by D (a "
                        "snapshot); the days between hold only the units whose totals changed on D (events on "
                        "D, or first exposed on D), or every unit when at least "
                        f"{plan.experiment.refresh.snapshot_share:.0%} of them changed. A unit's totals on a day "
                        "are its newest row since that day's snapshot. ")
                    + "Day D is built from the totals of D-1 plus day D.")
    all_metrics = plan.metrics + plan.event_metrics
    analysis = {
        "dimensions": plan.dimensions, "metrics": _metric_dumps(all_metrics),
        **plan.experiment.model_dump(
            exclude={"id", "assignment_source", "experiment_key", "metrics", "refresh", "checks",
                     "goal_metrics", "guardrails", "minimum_detectable_effect"}),  # roles: decisions only
    }
    metric_names = list(dict.fromkeys(m.name for m in all_metrics))
    moments = ROLLUP_MOMENTS.name()
    # the totals of the rollups' window starts, from the snapshot before the earliest one
    unit_rows = [days_before(UNIT_TOTALS.name(), max(r.days or 0 for r in ROLLUPS) + every - 1),
                 every_day_up_to(MULTIPLE_VARIANT_UNITS.name()),
                 *(every_day_up_to(SLICED_AGGREGATIONS.name(s, c)) for s, c in plan.sliced_tables),
                 # re-aggregated metrics read their unit-day rows since the start
                 *(every_day_up_to(USER_LEVEL_AGGREGATIONS.name(s)) for s in plan.reaggregated_sources)]
    # what the single-covariate moments (and the decisions read from them) do not depend on
    single = {**analysis, "cuped": plan.experiment.cuped.model_dump(exclude={"covariates"})}
    cells = ROLLUP_CELLS.name()
    touching = [every_day_up_to(FIRST_EXPOSURES.name()), *(every_day_up_to(a.name) for a in summed)]
    # winsorized plans' cells changed layout in the 18th round: their unwinsorized sums, kept where
    # the cells follow from changes (CellSums.uncapped)
    layout = {"unwinsorized_sums": True} if plan.winsorized_metrics else {}
    yield _declare(
        ROLLUP_CELLS, metrics=metric_names, version={"artifact": cells, **single, **layout},
        inputs=[*unit_rows, *(i for i in touching if i not in unit_rows)],
        description="Group sums of day D per cell (variant, each exposure dimension's value, first exposure day): "
                    "n and the sums of every moment's term, winsorized at the day's caps where capped (with their "
                    "unwinsorized twins, us__ and un__). Day D may be day D-1's plus the changes of the units whose "
                    "rows differ (events on D, D-1 or D-7, exposed or crossing over on D), where the ledger says few "
                    "units changed; winsorized sums then add, for the units beyond a cap of D, their winsorized "
                    "terms less their unwinsorized ones.")
    yield _declare(
        ROLLUP_MOMENTS, metrics=metric_names, version={"artifact": moments, **single},
        inputs=[same_day(cells), *unit_rows],
        description="Group-level sums (n, sums, squares, cross products) and winsorization caps of day D for "
                    "every rollup, from the cells of D: cumulative, daily and 7-day per dimension slice, and day "
                    "D's contribution to the days_since_exposure rollup per k.")
    sketches = QUANTILE_SKETCHES.name()
    if plan.quantile_metrics:
        yield _declare(
            QUANTILE_SKETCHES, metrics=metric_names, version={"artifact": sketches, **analysis}, inputs=unit_rows,
            description="Per day, rollup, quantile metric and arm: a log-bucket histogram (mergeable sketch) of "
                        "the units' values or of their events' values, and for event-level quantiles the units' "
                        "cluster sums at the estimate, from one pass over the units eligible on D.")
    if plan.experiment.cuped.covariates == "all":  # (the config allows it only with CUPED on)
        yield _declare(
            REGRESSION_MOMENTS, metrics=metric_names, version={"artifact": REGRESSION_MOMENTS.name(), **analysis},
            inputs=unit_rows,
            description="CUPED++ sums of day D: per variant, the sum over units of each product of two terms (1, "
                        "every metric's pre-exposure value, each exposure dimension's dummies, each mean metric's "
                        "value y) for the overall cumulative, daily and 7-day rollups.")
    what = {
        "cumulative": "each unit's value from first exposure through the end of D",
        "daily": "each unit's events of day D (units exposed by D)",
        "7day": "each unit's events of the 7 days ending D (units exposed by D)",
        "days_since_exposure": "per k, units' values on their k-th day since exposure, for all units "
                               "that reached day k by D",
    }
    for rollup in ROLLUPS:  # days since exposure adds up every day's contribution so far; SRM reads the summary
        regression = _regression_input(plan, rollup)
        yield _declare(
            RESULTS, rollup, metrics=metric_names,
            version={"artifact": RESULTS.name(rollup), **(analysis if regression else single)},
            inputs=[every_day_up_to(moments) if rollup.by_days_since_exposure else same_day(moments),
                    every_day_up_to(EXPOSURES_SUMMARY.name()),
                    *([same_day(sketches)] if any(r.quantile and r.in_rollup(rollup.name)
                                                  for r in plan.result_metrics) else []), *regression],
            description=f"Statistics as of D over {what[rollup.name]}: every treatment against control for every "
                        f"metric, overall and by dimension.")
    e = plan.experiment
    if e.goal_metrics:  # the roles change what this table holds (and no other's)
        roles = {"goal_metrics": e.goal_metrics, "guardrails": [g.model_dump() for g in e.guardrails],
                 "minimum_detectable_effect": e.minimum_detectable_effect, "srm_p_value": e.checks.srm_p_value}
        yield _declare(
            DECISIONS, metrics=metric_names, version={"artifact": DECISIONS.name(), **single, **roles},
            inputs=[same_day(moments), every_day_up_to(EXPOSURES_SUMMARY.name())],
            description="The recommendation as of D per treatment (ship, do not ship, keep running, or investigate "
                        "on a sample ratio mismatch), its reason, and the first goal metric's MDE, power and days "
                        "to power, from the overall cumulative moments of D and the metric roles.")


def _regression_input(plan: ExperimentPlan, rollup) -> list[Input]:
    """The CUPED++ sums a results artifact reads (covariates: all, rollups without days since exposure)."""
    if plan.experiment.cuped.covariates != "all" or rollup.by_days_since_exposure:
        return []
    return [same_day(REGRESSION_MOMENTS.name())]


def downstream_of(artifacts: list[Artifact], names: set[str]) -> list[Artifact]:
    """`names` and every artifact that reads one of them, directly or not, in order."""
    reached = set(names)
    for a in artifacts:  # upstream first: one pass reaches everything
        if a.name in reached or any(i.artifact in reached for i in a.inputs):
            reached.add(a.name)
    return [a for a in artifacts if a.name in reached]

