"""What one experiment's pipeline consists of: its artifacts (one table and one
asset each), their partition columns, the metrics per fact source, and a code
version per artifact that hashes exactly the configuration it depends on."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property

from exp_assets.config.schema import (
    AssignmentSource, Experiment, FactSource, FunnelMetric, Metric, ProjectConfig, RatioMetric,
)

# Metric options that change how results are presented, not what any table holds:
# left out of code versions, so changing them leaves no asset stale.
PRESENTATION_ONLY = {"higher_is_better"}

# Bump when the SQL or statistics of a step change meaning, so every asset goes stale.
PIPELINE_VERSION = "1"


@dataclass(frozen=True)
class Artifact:
    name: str  # asset name, and the table is <experiment>_<name>
    date_column: str  # the column a daily partition is a window of
    description: str


@dataclass(frozen=True)
class Rollup:
    """A results time series: each unit's value over the `days` ending D (None:
    since its first exposure), optionally split by days since exposure."""

    name: str
    days: int | None
    by_days_since_exposure: bool = False


ROLLUPS = (
    Rollup("cumulative", None),
    Rollup("daily", 1),
    Rollup("7day", 7),
    Rollup("days_since_exposure", 1, by_days_since_exposure=True),
)


@dataclass(frozen=True)
class ResultMetric:
    """A row family of the results: a value (and for ratios a denominator) per unit."""

    name: str
    numerator: str  # a unit-value column: an event metric, or a funnel step
    denominator: str | None = None
    cuped: bool = True  # funnels have no pre-exposure covariate
    higher_is_better: bool = True  # the configured metric's (a funnel's, for its steps and rates)


@dataclass(frozen=True)
class RunningColumn:
    """A unit_totals column: an event metric (summed) or a funnel step's first time (min)."""

    name: str
    sql_type: str
    combine: str  # "SUM" or "MIN"


@dataclass(frozen=True)
class ExperimentPlan:
    config: ProjectConfig
    experiment: Experiment

    @property
    def id(self) -> str:
        return self.experiment.id

    @property
    def schema(self) -> str:
        return self.config.warehouse.output_schema

    @property
    def start(self) -> dt.date:
        return self.experiment.start_date

    @property
    def assignment_source(self) -> AssignmentSource:
        return self.config.sources[self.experiment.assignment_source]

    @cached_property
    def metrics(self) -> list[Metric | RatioMetric]:
        """The metrics the experiment reports, in its order."""
        return [self.config.metric(name) for name in self.experiment.metrics]

    @cached_property
    def event_metrics(self) -> list[Metric]:
        """Metrics computed from events: the reported ones and the parts of its ratios."""
        names: list[str] = []
        for metric in self.metrics:
            if isinstance(metric, FunnelMetric):
                continue
            parts = [metric.numerator, metric.denominator] if isinstance(metric, RatioMetric) else [metric.name]
            names += [n for n in parts if n not in names]
        return [self.config.metric(n) for n in names]

    @cached_property
    def funnels(self) -> list[FunnelMetric]:
        return [m for m in self.metrics if isinstance(m, FunnelMetric)]

    @staticmethod
    def step_column(funnel: FunnelMetric, step: int) -> str:
        return f"{funnel.name}__{funnel.steps[step].name}"

    @cached_property
    def running_columns(self) -> list[RunningColumn]:
        columns = [RunningColumn(m.name, "DOUBLE" if m.type == "sum" else "BIGINT", "SUM") for m in self.event_metrics]
        columns += [
            RunningColumn(self.step_column(f, i), "TIMESTAMP", "MIN") for f in self.funnels for i in range(len(f.steps))
        ]
        return columns

    @staticmethod
    def covariate_column(metric: str) -> str:
        """unit_totals' column of a metric's pre-exposure value (a funnel step
        column is <funnel>__<step>, and a funnel cannot share a metric's name)."""
        return f"{metric}__pre_exposure"

    @cached_property
    def covariate_columns(self) -> list[RunningColumn]:
        """unit_totals columns carrying each event metric's CUPED covariate (none
        when CUPED is off): results read them with the running totals instead
        of joining every unit's covariates again for each rollup."""
        if not self.cuped_days:
            return []
        return [RunningColumn(self.covariate_column(c.name), c.sql_type, c.combine)
                for c in self.running_columns if c.combine == "SUM"]

    @cached_property
    def result_metrics(self) -> list[ResultMetric]:
        """What the results report, in the experiment's order: event metrics,
        ratios, and per funnel each step's conversion and each step-to-step rate."""
        out = []
        for m in self.metrics:
            if isinstance(m, RatioMetric):
                out.append(ResultMetric(m.name, m.numerator, m.denominator, higher_is_better=m.higher_is_better))
            elif isinstance(m, FunnelMetric):
                steps = [self.step_column(m, i) for i in range(len(m.steps))]
                out += [ResultMetric(c, c, cuped=False, higher_is_better=m.higher_is_better) for c in steps]
                out += [
                    ResultMetric(f"{prev}_to_{m.steps[i + 1].name}", nxt, prev, cuped=False,
                                 higher_is_better=m.higher_is_better)
                    for i, (prev, nxt) in enumerate(zip(steps, steps[1:]))
                ]
            else:
                out.append(ResultMetric(m.name, m.name, higher_is_better=m.higher_is_better))
        return out

    @cached_property
    def metric_dimensions(self) -> list[tuple[str, str]]:
        """(fact source, column) pairs some reported event metric is broken down by."""
        pairs = [(m.source, d) for m in self.metrics if isinstance(m, Metric) for d in m.dimensions]
        return list(dict.fromkeys(pairs))

    def metrics_by(self, source: str, column: str) -> list[Metric]:
        return [m for m in self.metrics if isinstance(m, Metric) and m.source == source and column in m.dimensions]

    @property
    def dimensions(self) -> list[str]:
        chosen = self.experiment.dimensions
        return list(chosen) if chosen is not None else list(self.assignment_source.dimensions)

    @cached_property
    def fact_sources(self) -> list[str]:
        """Fact sources the experiment's metrics read, in metric order."""
        return list(dict.fromkeys(m.source for m in self.event_metrics))

    def fact_source(self, name: str) -> FactSource:
        return self.config.sources[name]

    def metrics_of(self, source: str) -> list[Metric]:
        return [m for m in self.event_metrics if m.source == source]

    @property
    def cuped_days(self) -> int | None:
        """CUPED lookback in days, or None when CUPED is off."""
        cuped = self.experiment.cuped
        return cuped.lookback_days if cuped.enabled else None

    def table_name(self, artifact: str) -> str:
        return f"{self.id}_{artifact}"

    # -- artifacts ---------------------------------------------------------
    FIRST_EXPOSURES = Artifact(
        "first_exposures", "first_exposure_date",
        "One row per unit, in the partition of the day of its first exposure (on or after the "
        "start date): variant, first exposure timestamp and dimensions at first exposure.",
    )
    MULTIPLE_VARIANT_UNITS = Artifact(
        "multiple_variant_units", "exposure_date",
        "Units exposed on day D to a variant other than their first one (crossovers). "
        "With multiple_exposures: exclude, results drop them from the day they are seen.",
    )
    EXPOSURES_SUMMARY = Artifact(
        "exposures_summary", "exposure_date",
        "Per variant and day: exposure events, units exposed, new units and cumulative units (SRM input).",
    )
    UNIT_TOTALS = Artifact(
        "unit_totals", "as_of_date",
        "Running totals: one row per unit exposed by D with each metric's value from its first "
        "exposure through the end of D (0 without events), and its pre-exposure CUPED covariates. "
        "Day D is built from day D-1 plus day D.",
    )
    ROLLUP_MOMENTS = Artifact(
        "rollup_moments", "as_of_date",
        "Group-level sums (n, sums, squares, cross products) and winsorization caps of day D for every "
        "rollup, from one pass over the unit totals of D, D-1 and D-7: cumulative, daily and 7-day per "
        "dimension slice, and day D's contribution to the days_since_exposure rollup per k.",
    )

    @staticmethod
    def results(rollup: Rollup) -> Artifact:
        what = {
            "cumulative": "each unit's value from first exposure through the end of D",
            "daily": "each unit's events of day D (units exposed by D)",
            "7day": "each unit's events of the 7 days ending D (units exposed by D)",
            "days_since_exposure": "per k, units' values on their k-th day since exposure, for all units "
                                   "that reached day k by D",
        }[rollup.name]
        return Artifact(
            f"results_{rollup.name}", "as_of_date",
            f"Statistics as of D over {what}: every treatment against control for every metric, "
            f"overall and by dimension.",
        )

    def funnel_events(self, funnel: str) -> Artifact:
        return Artifact(
            f"funnel_events_{funnel}", "event_date",
            f"Per unit and day: the first time on D, at or after the unit's first exposure, that it did "
            f"each step of funnel {funnel!r} (NULL if it did not).",
        )

    def pre_exposure_covariates(self, source: str) -> Artifact:
        return Artifact(
            f"pre_exposure_covariates_{source}", "first_exposure_date",
            f"CUPED covariates: for units first exposed on D, each metric of {source!r} over the "
            f"{self.cuped_days} days before the unit's first exposure (0 without events).",
        )

    def sliced_aggregations(self, source: str, column: str) -> Artifact:
        return Artifact(
            f"user_level_aggregations_{source}_by_{column}", "event_date",
            f"One row per unit, day and value of {source}.{column} with events at or after the unit's first "
            f"exposure; one column per metric broken down by {column!r}: "
            f"{', '.join(m.name for m in self.metrics_by(source, column))}.",
        )

    def user_level_aggregations(self, source: str) -> Artifact:
        return Artifact(
            f"user_level_aggregations_{source}", "event_date",
            f"One row per unit and day with events in {source!r} at or after the unit's first "
            f"exposure; one column per metric: {', '.join(m.name for m in self.metrics_of(source))}.",
        )

    @property
    def artifacts(self) -> list[Artifact]:
        return [
            self.FIRST_EXPOSURES,
            self.MULTIPLE_VARIANT_UNITS,
            self.EXPOSURES_SUMMARY,
            *(self.user_level_aggregations(s) for s in self.fact_sources),
            *(self.sliced_aggregations(s, c) for s, c in self.metric_dimensions),
            *(self.pre_exposure_covariates(s) for s in self.fact_sources if self.cuped_days),
            *(self.funnel_events(f.name) for f in self.funnels),
            self.UNIT_TOTALS,
            self.ROLLUP_MOMENTS,
            *(self.results(r) for r in ROLLUPS),
        ]

    def artifacts_using(self, metric_name: str) -> list[str]:
        """The artifacts a change to one metric's definition touches, upstream first."""
        if metric_name not in self.experiment.metrics and metric_name not in {m.name for m in self.event_metrics}:
            raise KeyError(f"{self.id} does not use metric {metric_name!r}; its metrics: {', '.join(self.experiment.metrics)}")
        metric = self.config.metric(metric_name)
        if isinstance(metric, FunnelMetric):
            own = [f"funnel_events_{metric.name}", "unit_totals"]
        elif isinstance(metric, RatioMetric):
            own = []
        else:
            own = [f"user_level_aggregations_{metric.source}"]
            own += [f"pre_exposure_covariates_{metric.source}"] if self.cuped_days else []
            own += ["unit_totals"]
        results = [a.name for a in self.artifacts if a.name.startswith("results_") or a.name == "rollup_moments"]
        return own + results

    # -- code versions -----------------------------------------------------
    def code_version(self, artifact: str) -> str:
        return _digest(self._version_inputs(artifact))

    def _version_inputs(self, artifact: str) -> dict:
        exposure = {
            "source": self.assignment_source.model_dump(),
            "key": self.experiment.key,
            "start": str(self.start),
            "variants": sorted(self.experiment.variants),
        }
        if artifact in ("first_exposures", "multiple_variant_units", "exposures_summary"):
            return {"artifact": artifact, **exposure}
        for source, column in self.metric_dimensions:
            if artifact == f"user_level_aggregations_{source}_by_{column}":
                return {"artifact": "sliced", "source": self.fact_source(source).model_dump(), "column": column,
                        "metrics": [m.model_dump(exclude={"winsorize", *PRESENTATION_ONLY})
                                    for m in self.metrics_by(source, column)]}
        for prefix in ("user_level_aggregations_", "pre_exposure_covariates_"):
            if artifact.startswith(prefix):
                source = artifact.removeprefix(prefix)
                return {
                    "artifact": prefix,
                    "source": self.fact_source(source).model_dump(),
                    "metrics": [m.model_dump(exclude={"winsorize", *PRESENTATION_ONLY})
                                for m in self.metrics_of(source)],
                    **({"lookback_days": self.cuped_days} if prefix.startswith("pre") else {}),
                }
        if artifact.startswith("funnel_events_"):
            funnel = self.config.metric(artifact.removeprefix("funnel_events_"))
            return {"artifact": "funnel_events", "funnel": funnel.model_dump(exclude=PRESENTATION_ONLY),
                    "sources": {step.source: self.config.sources[step.source].model_dump() for step in funnel.steps}}
        if artifact == "unit_totals":
            columns = self.running_columns + self.covariate_columns
            return {"artifact": artifact, "columns": [(c.name, c.sql_type, c.combine) for c in columns]}
        if artifact.startswith("results_") or artifact == "rollup_moments":
            return {
                "artifact": artifact, "dimensions": self.dimensions,
                "metrics": [m.model_dump(exclude=PRESENTATION_ONLY) for m in self.metrics + self.event_metrics],
                **self.experiment.model_dump(
                    exclude={"id", "assignment_source", "experiment_key", "metrics", "refresh", "checks",
                             "goal_metrics", "guardrails", "minimum_detectable_effect"}  # roles: presentation
                ),
            }
        raise KeyError(f"unknown artifact {artifact!r}")


def _digest(inputs: dict) -> str:
    text = json.dumps({"pipeline": PIPELINE_VERSION, **inputs}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
