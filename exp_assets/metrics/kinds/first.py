"""`first`: the number in a column of a unit's earliest event (with a number
in that column); its statistic is the mean over the units with such an event
(exp_assets/metrics/kinds/per_unit_value.py)."""

from __future__ import annotations

from typing import Literal

from exp_assets.metrics.kinds.per_unit_value import ByTime, ValueMetric


class FirstMetric(ValueMetric):
    type: Literal["first"]


class First(ByTime):
    type = "first"
    words = "first"
    config = FirstMetric
    by_time = "ARG_MIN"
    time = "MIN"


KIND = First()
