"""`last`: the number in a column of a unit's latest event (with a number
in that column); its statistic is the mean over the units with such an event
(exp_assets/metrics/kinds/per_unit_value.py)."""

from __future__ import annotations

from typing import Literal

from exp_assets.metrics.kinds.per_unit_value import ByTime, ValueMetric


class LastMetric(ValueMetric):
    type: Literal["last"]


class Last(ByTime):
    type = "last"
    words = "last"
    config = LastMetric
    by_time = "ARG_MAX"
    time = "MAX"


KIND = Last()
