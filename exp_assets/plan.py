"""What one experiment's pipeline consists of: the metrics per fact source and
what the results report, and its artifacts (one table and one asset each, as
the registry in exp_assets.artifacts declares them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from exp_assets import artifacts as registry
from exp_assets.artifacts import Artifact
from exp_assets.config.schema import AssignmentSource, Experiment, FactSource, ProjectConfig
from exp_assets.metrics import NONE, OWN, REAGGREGATE, SOURCE, MetricConfig, MetricKind, ResultMetric, StateColumn, kind_of
from exp_assets.metrics.kinds import funnel as funnel_kind
from exp_assets.quoting import ident
from exp_assets.rollups import ROLLUPS, Rollup

__all__ = ["ROLLUPS", "Artifact", "ExperimentPlan", "ResultMetric", "Rollup", "RunningColumn"]


# A unit_totals column (the metric kinds call it a state column).
RunningColumn = StateColumn


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
    def metrics(self) -> list[MetricConfig]:
        """The metrics the experiment reports, in its order."""
        return [self.config.metric(name) for name in self.experiment.metrics]

    @cached_property
    def event_metrics(self) -> list:
        """Metrics whose state comes from a fact source's events: the reported
        ones and the parts of its ratios (kind SOURCE)."""
        names: list[str] = []
        for metric in self.metrics:
            kind = kind_of(metric)
            parts = [metric.name] if kind.state_from == SOURCE else kind.parts(metric)
            names += [n for n in parts if n not in names]
        return [self.config.metric(n) for n in names]

    @cached_property
    def winsorized_metrics(self) -> list:
        """The event metrics whose unit values are winsorized at each day's pooled percentiles."""
        return [m for m in self.event_metrics if kind_of(m).winsorize(m)]

    @cached_property
    def own_table_metrics(self) -> list:
        """Reported metrics with a unit-day table of their own (kind OWN, e.g. funnels)."""
        return [m for m in self.metrics if kind_of(m).state_from == OWN]

    @staticmethod
    def kind(metric) -> MetricKind:
        """The metric's kind, for the artifact registry: the plan imports it
        before the config, and the kinds cannot be imported before the config."""
        return kind_of(metric)

    @property
    def state_metrics(self) -> list:
        """The metrics holding unit_totals columns, in the order of those columns."""
        return [*self.event_metrics, *self.own_table_metrics]

    @staticmethod
    def step_column(funnel, step: int) -> str:
        return funnel_kind.step_column(funnel, step)

    @cached_property
    def running_columns(self) -> list[RunningColumn]:
        return [c for m in self.state_metrics for c in kind_of(m).state(m)]

    @staticmethod
    def covariate_column(metric: str) -> str:
        """unit_totals' column of a metric's pre-exposure value (a funnel step
        column is <funnel>__<step>, and a funnel cannot share a metric's name)."""
        return f"{metric}__pre_exposure"

    @cached_property
    def cuped_state_columns(self) -> list[RunningColumn]:
        """The running columns of metrics with a pre-exposure value (kinds with CUPED)."""
        return [c for m in self.state_metrics if kind_of(m).cuped for c in kind_of(m).state(m)]

    @cached_property
    def covariate_columns(self) -> list[RunningColumn]:
        """unit_totals columns carrying each event metric's CUPED covariate (none
        when CUPED is off), in the order of cuped_state_columns: results read them
        with the running totals instead of joining every unit's covariates again
        for each rollup."""
        if not self.cuped_days:
            return []
        return [RunningColumn(self.covariate_column(c.name), c.sql_type, c.combine) for c in self.cuped_state_columns]

    @cached_property
    def result_metrics(self) -> list[ResultMetric]:
        """What the results report, in the experiment's order: each metric's
        rows (a funnel's: each step's conversion and each step-to-step rate)."""
        return [r for m in self.metrics for r in kind_of(m).result_metrics(self, m)]

    def definition(self, result: str) -> str:
        """What the results rows of `result` measure, in words (the kind's description)."""
        for m in self.metrics:
            for r in kind_of(m).result_metrics(self, m):
                if r.name == result:
                    return kind_of(m).describe(m, r)
        raise KeyError(f"{self.id} reports no metric {result!r}")

    @cached_property
    def moment_metrics(self) -> list[ResultMetric]:
        """The results rows computed from moments (all but quantiles)."""
        return [r for r in self.result_metrics if not r.quantile]

    @cached_property
    def metric_dimensions(self) -> list[tuple[str, str]]:
        """(fact source, column) pairs some reported metric is broken down by."""
        pairs = [(source, d) for m in self.metrics for source, d, _ in kind_of(m).dimensions(m)]
        return list(dict.fromkeys(pairs))

    def metrics_by(self, source: str, column: str) -> list:
        return [m for m in self.metrics
                if any((s, d) == (source, column) for s, d, _ in kind_of(m).dimensions(m))]

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

    def metrics_of(self, source: str) -> list:
        return [m for m in self.event_metrics if m.source == source]

    @staticmethod
    def day_columns(metric) -> list[str]:
        """The metric's columns in its unit-day tables."""
        return [column for column, _, _ in kind_of(metric).day_columns(metric, "NULL")]

    def covariate_metrics_of(self, source: str) -> list:
        """The metrics of `source` with a pre-exposure value (CUPED covariate)."""
        return [m for m in self.metrics_of(source) if kind_of(m).cuped]

    @cached_property
    def covariate_sources(self) -> list[str]:
        """Fact sources with a metric that has a CUPED covariate (none when CUPED is off)."""
        return [s for s in self.fact_sources if self.cuped_days and self.covariate_metrics_of(s)]

    @cached_property
    def reaggregated_metrics(self) -> list:
        """Event metrics whose rollup windows re-aggregate unit-day rows (kind REAGGREGATE)."""
        return [m for m in self.event_metrics if kind_of(m).rollup_of(m) == REAGGREGATE]

    @cached_property
    def quantile_metrics(self) -> list:
        """Reported metrics whose results are quantiles of a sketch (quantile_sketches), not moments."""
        return [m for m in self.metrics if any(r.quantile for r in kind_of(m).result_metrics(self, m))]

    @cached_property
    def window_metrics(self) -> list:
        """Re-aggregated metrics whose unit values over each span the moments read."""
        sketched = {m.name for m in self.quantile_metrics}
        return [m for m in self.reaggregated_metrics if m.name not in sketched]

    @cached_property
    def reaggregated_sources(self) -> list[str]:
        """Fact sources whose user_level_aggregations rows a re-aggregated metric reads."""
        return list(dict.fromkeys(m.source for m in self.reaggregated_metrics if len(self.window_rows(m)) == 1))

    def window_rows(self, metric) -> tuple[str, ...]:
        """Where a re-aggregated metric's unit-day rows are: (source,) for its
        user_level_aggregations table, (source, column) for a table broken down by column."""
        column = kind_of(metric).keyed_by(metric)
        return (metric.source,) if column is None else (metric.source, column)

    @cached_property
    def derived_metrics(self) -> list:
        """Reported metrics without state of their own (kind NONE): ratios, whose
        parts are their values, and kinds deriving values from other metrics'."""
        return [m for m in self.metrics if kind_of(m).state_from == NONE]

    @cached_property
    def sliced_tables(self) -> list[tuple[str, str]]:
        """(fact source, column) of every unit-day table broken down by a column:
        the metrics' dimensions, and the columns re-aggregated kinds count values of."""
        keyed = [p for m in self.reaggregated_metrics if len(p := self.window_rows(m)) == 2]
        return list(dict.fromkeys([*self.metric_dimensions, *keyed]))

    def key_value(self, source: str, key: str) -> str:
        """The SQL (over a source row `s`) of the key of the (source, key) table:
        a re-aggregated metric's own key, or the breakdown column's value."""
        for m in self.reaggregated_metrics:
            if self.window_rows(m) == (source, key):
                return kind_of(m).key_value(m)
        return f"COALESCE(CAST(s.{ident(key)} AS VARCHAR), '(null)')"

    def sliced_metrics(self, source: str, column: str) -> list:
        """The metrics with a column in the (source, column) table."""
        keyed = [m for m in self.reaggregated_metrics if self.window_rows(m) == (source, column)]
        return list({m.name: m for m in [*self.metrics_by(source, column), *keyed]}.values())

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
