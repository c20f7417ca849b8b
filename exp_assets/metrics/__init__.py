"""Metric kinds: each `type:` of the config's metrics is one module of
exp_assets/metrics/kinds/ (what a kind declares: exp_assets/metrics/kind.py),
registered here. The config's metric models, the plan, the SQL builders and the
health checks look a metric's behaviour up with `kind_of`.

Adding a kind touches two files: its module in kinds/, and the KINDS tuple
below (its position orders the kinds in the config's error messages)."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from exp_assets.metrics.kind import (
    NONE, OWN, REAGGREGATE, RUNNING, SOURCE, Earlier, MetricKind, References, ResultMetric, StateColumn, value_name,
)
from exp_assets.metrics.kinds import (
    count, count_distinct, first, funnel, last, participation, proportion, quantile, ratio, retention, threshold,
)
from exp_assets.metrics.kinds import max as max_kind
from exp_assets.metrics.kinds import min as min_kind
from exp_assets.metrics.kinds import sum as sum_kind

KINDS: dict[str, MetricKind] = {k.type: k for k in (
    sum_kind.KIND, count.KIND, proportion.KIND, ratio.KIND, funnel.KIND, max_kind.KIND, min_kind.KIND, first.KIND,
    last.KIND, count_distinct.KIND, participation.KIND, retention.KIND, threshold.KIND, quantile.KIND,
)}

# A metric of the config: the model of its kind, chosen by its `type:`.
MetricConfig = Union[tuple(k.config for k in KINDS.values())]  # noqa: UP007 (a runtime union)
AnyMetric = Annotated[MetricConfig, Field(discriminator="type")]


def kind_of(metric) -> MetricKind:
    return KINDS[metric.type]


__all__ = [
    "KINDS", "NONE", "OWN", "REAGGREGATE", "RUNNING", "SOURCE", "AnyMetric", "Earlier", "MetricConfig", "MetricKind",
    "References", "ResultMetric", "StateColumn", "kind_of", "value_name",
]
