"""`count`: a unit's matching events; its statistic is the mean per unit."""

from __future__ import annotations

from typing import Literal

from exp_assets.metrics.kinds.events import EventKind, EventMetric


class CountMetric(EventMetric):
    type: Literal["count"]


class Count(EventKind):
    type = "count"
    config = CountMetric
    value_type = "BIGINT"

    def event_value(self, metric: CountMetric, keep: str | None) -> str:
        return f"CASE WHEN {keep or 'TRUE'} THEN 1 ELSE 0 END"

    def describe(self, metric: CountMetric, result) -> str:
        return f"events per unit{self.scope(metric)}"


KIND = Count()
