"""`max`: the largest number in a column over a unit's events; its
statistic is the mean over the units with an event (exp_assets/metrics/kinds/per_unit_value.py)."""

from __future__ import annotations

from typing import Literal

from exp_assets.metrics.kinds.per_unit_value import Extreme, ValueMetric


class MaxMetric(ValueMetric):
    type: Literal["max"]


class Max(Extreme):
    type = "max"
    words = "largest"
    config = MaxMetric
    aggregate = "MAX"


KIND = Max()
