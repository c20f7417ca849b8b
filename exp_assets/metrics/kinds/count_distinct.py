"""`count_distinct`: the number of distinct values of a column over a unit's
events (sessions, products viewed); its statistic is the mean per unit. A value
seen on two days counts once in every rollup spanning both, so no difference of
running totals gives it: its unit-day rows are kept per value (the source's
table broken down by the column, which dimensions share) and each rollup window
counts the distinct values of its days' rows again (REAGGREGATE). Null values
are not counted."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Literal

from exp_assets.metrics.kind import REAGGREGATE, ResultMetric, value_name
from exp_assets.metrics.kinds.events import EventKind, EventMetric
from exp_assets.quoting import ident


class CountDistinctMetric(EventMetric):
    type: Literal["count_distinct"]
    needs_column: ClassVar[bool] = True


class CountDistinct(EventKind):
    type = "count_distinct"
    config = CountDistinctMetric
    rollup = REAGGREGATE
    cuped = False
    additive = False
    value_type = "BIGINT"

    def event_value(self, metric: CountDistinctMetric, keep: str | None) -> str:
        counted = f"s.{ident(metric.column)} IS NOT NULL"
        return f"CASE WHEN {counted if keep is None else f'({keep}) AND {counted}'} THEN 1 ELSE 0 END"

    def keyed_by(self, metric: CountDistinctMetric) -> str:
        return metric.column

    def columns(self, metric: CountDistinctMetric) -> list[tuple[str, str, str]]:
        return [(metric.source, metric.column, "column")]

    def state(self, metric: CountDistinctMetric) -> list:
        return []  # no running state: each window counts its rows' values again

    def window_aggregate(self, metric: CountDistinctMetric, within: str) -> str:
        return f"COUNT(DISTINCT CASE WHEN {within} AND r.{ident(metric.name)} > 0 THEN r.dimension_value END)"

    def window_values(self, metric: CountDistinctMetric, spans: list[int | None],
                      window: Callable[[int | None], str]) -> list[tuple[str, str]]:
        return [(value_name(days, metric.name), f"CAST(COALESCE({window(days)}, 0) AS DOUBLE)") for days in spans]

    def result_metrics(self, plan, metric: CountDistinctMetric) -> list[ResultMetric]:
        return [ResultMetric(metric.name, metric.name, cuped=False, higher_is_better=metric.higher_is_better)]

    def describe(self, metric: CountDistinctMetric, result) -> str:
        return f"distinct {metric.column} per unit"


KIND = CountDistinct()
