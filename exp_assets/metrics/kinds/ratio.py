"""`ratio`: the sum of one event metric over the sum of another, across an
arm's units; its statistic is the ratio of the two means, its variance by the
delta method (stats/arms.py). It keeps no state: its parts' unit values are its
numerator and denominator in every rollup (and their covariates with CUPED)."""

from __future__ import annotations

from typing import Literal


from exp_assets.fields import HigherIsBetter, Name, Strict
from exp_assets.metrics.kind import NONE, MetricKind, ResultMetric


class RatioMetric(Strict):
    """Sum of one metric over the sum of another, across units (delta method)."""

    name: Name
    type: Literal["ratio"]
    numerator: Name
    denominator: Name
    higher_is_better: HigherIsBetter = True


class Ratio(MetricKind):
    type = "ratio"
    config = RatioMetric
    state_from = NONE

    def parts(self, metric: RatioMetric) -> list[str]:
        return [metric.numerator, metric.denominator]

    def problems(self, metric: RatioMetric, path: str, refs) -> list:
        problems = []
        for part in ("numerator", "denominator"):
            name = getattr(metric, part)
            if refs.metric_type(name) is None:
                problems.append((f"{path}.{part}", refs.unknown_metric(name)))
            elif not refs.is_event_metric(name):
                # keeps definitions acyclic: ratios are built from event metrics only
                problems.append((f"{path}.{part}", f"{name!r} is a {refs.metric_type(name)}; a ratio's parts must be "
                                 f"{refs.event_types()} metrics"))
        return problems

    def result_metrics(self, plan, metric: RatioMetric) -> list[ResultMetric]:
        return [ResultMetric(metric.name, metric.numerator, metric.denominator,
                             higher_is_better=metric.higher_is_better)]

    def describe(self, metric: RatioMetric, result) -> str:
        return f"{metric.numerator} / {metric.denominator} over units"


KIND = Ratio()
