"""`sum`: the total of a numeric column over a unit's events; its statistic is the mean per unit."""

from __future__ import annotations

from typing import Literal

from exp_assets.metrics.kinds.events import EventKind, EventMetric
from exp_assets.quoting import ident

# Summed values at or beyond this magnitude (and NaN, ±inf) are treated as null:
# their squares would overflow the sufficient statistics.
MAX_ABS_VALUE = "1e100"


def usable_number(value: str) -> str:
    """`value` (a DOUBLE) is finite and below MAX_ABS_VALUE in magnitude: false for
    NaN and ±inf on every engine (DuckDB and Snowflake order NaN above every
    number, BigQuery's comparisons with NaN are false), null for null."""
    return f"ABS({value}) < {MAX_ABS_VALUE}"


def amount(metric: EventMetric, keep: str | None) -> str:
    """An event's number in the metric's column (alias `s`), NULL outside the
    filter `keep`; a NaN, infinite or absurdly large number counts as null."""
    number = f"CAST(s.{ident(metric.column)} AS DOUBLE)"
    usable = usable_number(number) if keep is None else f"({keep}) AND {usable_number(number)}"
    return f"CASE WHEN {usable} THEN {number} END"


class SumMetric(EventMetric):
    type: Literal["sum"]
    needs_column = True


class Sum(EventKind):
    type = "sum"
    config = SumMetric
    value_type = "DOUBLE"

    def event_value(self, metric: SumMetric, keep: str | None) -> str:
        return amount(metric, keep)

    def numbers(self, metric: SumMetric) -> list[tuple[str, str, str]]:
        return [(metric.source, metric.column, "column")]

    def describe(self, metric: SumMetric, result) -> str:
        return f"{metric.column} per unit{self.scope(metric)}"


KIND = Sum()
