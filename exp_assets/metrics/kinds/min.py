"""`min`: the smallest number in a column over a unit's events; its
statistic is the mean over the units with an event (exp_assets/metrics/kinds/per_unit_value.py)."""

from __future__ import annotations

from typing import Literal

from exp_assets.metrics.kinds.per_unit_value import Extreme, ValueMetric


class MinMetric(ValueMetric):
    type: Literal["min"]


class Min(Extreme):
    type = "min"
    words = "smallest"
    config = MinMetric
    aggregate = "MIN"


KIND = Min()
