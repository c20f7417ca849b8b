"""What the kinds that keep one value of a column per unit share (max, min,
first, last): a unit's value over a span is one of its events' numbers, which
no difference of running totals gives, so each rollup window re-aggregates the
unit-day rows of its days (REAGGREGATE). A unit without an event in the span
has no value: the statistic is the mean over the units that have one, as the
ratio of (value, 0 without one) to (1 with one, else 0) across units, whose
variance the delta method gives (the number of units with a value is random)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from exp_assets.metrics.kind import REAGGREGATE, ResultMetric, value_name
from exp_assets.metrics.kinds.events import EventKind, EventMetric
from exp_assets.metrics.kinds.sum import amount
from exp_assets.quoting import ident


class ValueMetric(EventMetric):
    needs_column: ClassVar[bool] = True


def units_with_value(metric: EventMetric) -> str:
    """The value column of whether a unit has a value (1.0) or not (0.0)."""
    return f"{metric.name}__units"


class PerUnitValue(EventKind):
    rollup = REAGGREGATE
    cuped = False
    additive = False
    value_type = "DOUBLE"

    def event_value(self, metric: ValueMetric, keep: str | None) -> str:
        return amount(metric, keep)

    def numbers(self, metric: ValueMetric) -> list[tuple[str, str, str]]:
        return [(metric.source, metric.column, "column")]

    def state(self, metric: ValueMetric) -> list:
        return []  # no running state: each window re-aggregates the unit-day rows

    def window_values(self, metric: ValueMetric, spans: list[int | None], window: Callable[[int | None], str]
                      ) -> list[tuple[str, str]]:
        values = []
        for days in spans:
            values.append((value_name(days, metric.name), f"COALESCE({window(days)}, 0)"))
            values.append((value_name(days, units_with_value(metric)),
                           f"CASE WHEN {window(days)} IS NOT NULL THEN 1.0 ELSE 0.0 END"))
        return values

    def result_metrics(self, plan, metric: ValueMetric) -> list[ResultMetric]:
        return [ResultMetric(metric.name, metric.name, units_with_value(metric), cuped=False,
                             higher_is_better=metric.higher_is_better)]

    words: ClassVar[str]  # what the unit's value is, e.g. "largest"

    def describe(self, metric: ValueMetric, result) -> str:
        return f"{self.words} {metric.column} per unit with one"


class Extreme(PerUnitValue):
    """The largest (MAX) or smallest (MIN) number of a unit's events."""

    aggregate: ClassVar[str]

    def day_columns(self, metric: ValueMetric, value: str) -> list[tuple[str, str, str]]:
        return [(metric.name, f"{self.aggregate}({value})", "DOUBLE")]

    def merged_day_columns(self, metric: ValueMetric, part: Callable[[str], str]) -> list[tuple[str, str, str]]:
        return [(metric.name, f"{self.aggregate}({part(metric.name)})", "DOUBLE")]

    def window_aggregate(self, metric: ValueMetric, within: str) -> str:
        return f"{self.aggregate}(CASE WHEN {within} THEN r.{ident(metric.name)} END)"


class ByTime(PerUnitValue):
    """The number of a unit's first (ARG_MIN by time) or last (ARG_MAX) event
    with a number; events at the same time: any one of them."""

    by_time: ClassVar[str]  # ARG_MIN or ARG_MAX
    time: ClassVar[str]  # MIN or MAX

    @staticmethod
    def time_column(metric: ValueMetric) -> str:
        return f"{metric.name}__ts"

    def day_columns(self, metric: ValueMetric, value: str) -> list[tuple[str, str, str]]:
        when = f"CASE WHEN {value} IS NOT NULL THEN e.event_ts END"
        return [(metric.name, f"{self.by_time}({value}, {when})", "DOUBLE"),
                (self.time_column(metric), f"{self.time}({when})", "TIMESTAMP")]

    def merged_day_columns(self, metric: ValueMetric, part: Callable[[str], str]) -> list[tuple[str, str, str]]:
        value, when = part(metric.name), part(self.time_column(metric))
        return [(metric.name, f"{self.by_time}({value}, {when})", "DOUBLE"),
                (self.time_column(metric), f"{self.time}({when})", "TIMESTAMP")]

    def window_aggregate(self, metric: ValueMetric, within: str) -> str:
        value, when = ident(metric.name), ident(self.time_column(metric))
        return f"{self.by_time}(CASE WHEN {within} THEN r.{value} END, CASE WHEN {within} THEN r.{when} END)"
