"""`threshold`: 1 if a unit's value of another metric over the span reaches a
threshold (spent at least 100), else 0; its statistic is the mean per unit, the
share of units reaching it. It keeps no state: its values derive from the other
metric's unit values in each rollup (kind NONE). With CUPED its covariate is the
threshold applied to that metric's pre-exposure value."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import Field

from exp_assets.fields import HigherIsBetter, Name, Strict
from exp_assets.metrics.kind import NONE, MetricKind, ResultMetric, value_name


class ThresholdMetric(Strict):
    """Whether a unit's value of `metric` is at least `at_least`."""

    name: Name
    type: Literal["threshold"]
    metric: Name = Field(description="a sum, count or proportion metric whose unit value is compared")
    at_least: float = Field(description="the unit counts when its value is at least this")
    higher_is_better: HigherIsBetter = True


class Threshold(MetricKind):
    type = "threshold"
    config = ThresholdMetric
    state_from = NONE

    def parts(self, metric: ThresholdMetric) -> list[str]:
        return [metric.metric]

    def problems(self, metric: ThresholdMetric, path: str, refs) -> list:
        if refs.metric_type(metric.metric) is None:
            return [(f"{path}.metric", refs.unknown_metric(metric.metric))]
        if not refs.is_event_metric(metric.metric):
            return [(f"{path}.metric", f"{metric.metric!r} is a {refs.metric_type(metric.metric)}; a threshold's "
                     f"metric must be a {refs.event_types()} metric")]
        return []

    def derived_values(self, metric: ThresholdMetric, spans: list[int | None],
                       value_of: Callable[[str, int | None], str]) -> list[tuple[str, str]]:
        return [(value_name(days, metric.name),
                 f"CASE WHEN {value_of(metric.metric, days)} >= {metric.at_least!r} THEN 1.0 ELSE 0.0 END")
                for days in spans]

    def derived_covariate(self, metric: ThresholdMetric, covariate_of: Callable[[str], str | None]) -> str | None:
        """The threshold applied to the metric's pre-exposure value (CUPED)."""
        before = covariate_of(metric.metric)
        return None if before is None else f"CASE WHEN {before} >= {metric.at_least!r} THEN 1.0 ELSE 0.0 END"

    def result_metrics(self, plan, metric: ThresholdMetric) -> list[ResultMetric]:
        return [ResultMetric(metric.name, metric.name, higher_is_better=metric.higher_is_better)]

    def describe(self, metric: ThresholdMetric, result) -> str:
        return f"share with {metric.metric} ≥ {metric.at_least:g}"


KIND = Threshold()
