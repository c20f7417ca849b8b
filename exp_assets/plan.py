"""What one experiment's pipeline consists of: the metrics per fact source and
what the results report, and its artifacts (one table and one asset each, as
the registry in exp_assets.artifacts declares them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from exp_assets import artifacts as registry
from exp_assets.artifacts import Artifact
from exp_assets.config.schema import (
    AssignmentSource, Experiment, FactSource, FunnelMetric, Metric, ProjectConfig, RatioMetric,
)
from exp_assets.rollups import ROLLUPS, Rollup

__all__ = ["ROLLUPS", "Artifact", "ExperimentPlan", "ResultMetric", "Rollup", "RunningColumn"]


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

    # -- artifacts (declared in exp_assets.artifacts) ------------------------
    @cached_property
    def artifacts(self) -> list[Artifact]:
        """Every artifact of the experiment, upstream first."""
        return registry.declare(self)

    def artifact(self, name: str) -> Artifact:
        for a in self.artifacts:
            if a.name == name:
                return a
        raise KeyError(f"unknown artifact {name!r} of {self.id}; its artifacts: "
                       f"{', '.join(a.name for a in self.artifacts)}")

    def code_version(self, artifact: str) -> str:
        return self.artifact(artifact).code_version

    def artifacts_using(self, metric_name: str) -> list[str]:
        """The artifacts a change to one metric's definition touches, upstream first:
        those whose code version hashes it and everything that reads them."""
        if metric_name not in self.experiment.metrics and metric_name not in {m.name for m in self.event_metrics}:
            raise KeyError(f"{self.id} does not use metric {metric_name!r}; its metrics: {', '.join(self.experiment.metrics)}")
        hashing = {a.name for a in self.artifacts if metric_name in a.metrics}
        return [a.name for a in registry.downstream_of(self.artifacts, hashing)]
