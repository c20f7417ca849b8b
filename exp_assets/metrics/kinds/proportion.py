"""`proportion`: 1 if a unit had a matching event in the span, else 0; its
statistic is the mean per unit, the share of units. Its state is the count of
matching events, so the 0/1 value of a span comes from that span's count."""

from __future__ import annotations

from typing import Literal

from exp_assets.metrics.kinds.count import Count
from exp_assets.metrics.kinds.events import EventMetric


class ProportionMetric(EventMetric):
    type: Literal["proportion"]


class Proportion(Count):
    type = "proportion"
    config = ProportionMetric

    def unit_value(self, metric: ProportionMetric, total: str) -> str:
        return f"CASE WHEN {total} > 0 THEN 1.0 ELSE 0.0 END"

    def describe(self, metric: ProportionMetric, result) -> str:
        return f"share of units with an event{self.scope(metric)}"


KIND = Proportion()
