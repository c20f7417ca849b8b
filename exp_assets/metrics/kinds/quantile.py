"""`quantile`: the q-quantile of a numeric column, at one of two levels:

- `level: unit`, the q-quantile of the units' values (median revenue per user):
  a unit's value is the sum of the column over its matching events in the
  span, kept as a running total like `sum` (RUNNING);
- `level: event`, the q-quantile over all matching events of an arm (p95 page
  load time): the events' values are kept per unit, day and sketch bucket (the
  source's table broken down by the bucket, REAGGREGATE), and each span adds
  up the buckets of its days again.

Per day, rollup and arm the warehouse builds a mergeable log-bucket histogram
(a DDSketch; exp_assets/stats/quantile.py states the buckets and their error
bound: every value within `relative_accuracy` of its bucket's) of those values,
and for the event level the cluster sums of the units' events at or below the
estimate; the statistics read the histogram (stats/quantile.py: rank intervals,
clustered by unit for events). Defined in the cumulative, daily and 7-day
rollups; no CUPED, no winsorization, no metric dimensions."""

from __future__ import annotations

import math
from typing import ClassVar, Literal

from pydantic import Field

from exp_assets.metrics.kind import REAGGREGATE, RUNNING, ResultMetric
from exp_assets.metrics.kinds.events import EventKind, EventMetric
from exp_assets.metrics.kinds.sum import MAX_ABS_VALUE, amount
from exp_assets.quoting import ident
from exp_assets.stats.quantile import DEFAULT_ALPHA, MIN_MAGNITUDE

# A bucket (sign, index) as one integer whose order is the buckets' order:
# sign * (index + OFFSET), the zero bucket 0 (|index| stays far below OFFSET for
# every value below MAX_ABS_VALUE at any accuracy the config allows).
OFFSET = 1 << 20
ROLLUPS = ("cumulative", "daily", "7day")


class QuantileMetric(EventMetric):
    type: Literal["quantile"]
    needs_column: ClassVar[bool] = True
    q: float = Field(gt=0, lt=1, description="the quantile: 0.5 the median, 0.95 the 95th percentile")
    level: Literal["event", "unit"] = Field(
        "event", description="event: the quantile of all matching events' values; unit: of the units' sums")
    relative_accuracy: float = Field(
        DEFAULT_ALPHA, ge=0.0001, le=0.05,
        description="the sketch's bound on each value's relative error (smaller: more buckets)")


def bucket_position(value: str, alpha: float) -> str:
    """The SQL of the sketch bucket of `value` (a DOUBLE) as its position (BIGINT):
    sign * (ceil(ln|value| / ln gamma) + OFFSET), 0 for |value| < MIN_MAGNITUDE or null."""
    ln_gamma = math.log((1 + alpha) / (1 - alpha))
    return (f"CAST(CASE WHEN {value} IS NULL OR ABS({value}) < {MIN_MAGNITUDE!r} THEN 0 "
            f"ELSE SIGN({value}) * (CEIL(LN(ABS({value})) / {ln_gamma!r}) + {OFFSET}) END AS BIGINT)")


def bucket_of_position(position: int) -> tuple[int, int]:
    """(sign, index) of a bucket position."""
    return (0, 0) if position == 0 else ((1 if position > 0 else -1), abs(position) - OFFSET)


class Quantile(EventKind):
    type = "quantile"
    config = QuantileMetric
    value_type = "DOUBLE"
    cuped = False
    additive = False

    def rollup_of(self, metric: QuantileMetric) -> str:
        return RUNNING if metric.level == "unit" else REAGGREGATE

    def event_value(self, metric: QuantileMetric, keep: str | None) -> str:
        return amount(metric, keep)

    def numbers(self, metric: QuantileMetric) -> list[tuple[str, str, str]]:
        return [(metric.source, metric.column, "column")]

    def day_columns(self, metric: QuantileMetric, value: str) -> list[tuple[str, str, str]]:
        if metric.level == "unit":
            return super().day_columns(metric, value)  # the day's sum
        return [(metric.name, f"COALESCE(SUM(CASE WHEN {value} IS NOT NULL THEN 1 ELSE 0 END), 0)", "BIGINT")]

    def merged_day_columns(self, metric: QuantileMetric, part) -> list[tuple[str, str, str]]:
        return self.summed_parts(metric, part)  # the day's sum, or its count of numbers

    def state(self, metric: QuantileMetric) -> list:
        return super().state(metric) if metric.level == "unit" else []

    def keyed_by(self, metric: QuantileMetric) -> str | None:
        return None if metric.level == "unit" else f"{metric.name}__bucket"

    def key_value(self, metric: QuantileMetric) -> str:
        number = f"CAST(s.{ident(metric.column)} AS DOUBLE)"
        usable = f"CASE WHEN ABS({number}) < {MAX_ABS_VALUE} THEN {number} END"
        return f"CAST({bucket_position(usable, metric.relative_accuracy)} AS VARCHAR)"

    def result_metrics(self, plan, metric: QuantileMetric) -> list[ResultMetric]:
        return [ResultMetric(metric.name, metric.name, cuped=False, higher_is_better=metric.higher_is_better,
                             rollups=ROLLUPS, quantile=True)]

    def describe(self, metric: QuantileMetric, result) -> str:
        of = "all events" if metric.level == "event" else "unit sums"
        return f"p{metric.q * 100:g} of {metric.column}, {of}"


KIND = Quantile()
