"""`retention`: 1 if a unit had a matching event in its `window` after its
first exposure ([start, end) days or hours), else 0; defined as of the
cumulative rollup only. A unit whose window has not closed by the end of the
day (first exposure + end) is left out: the statistic is the share among the
units whose window has closed, as the ratio of (retained, 0 if open) to
(closed: 1, else 0) across units, by the delta method. Its state is the running
count of window days with an event (RUNNING)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import Field

from exp_assets.fields import MetricWindow
from exp_assets.metrics.kind import Earlier, ResultMetric, value_name
from exp_assets.metrics.kinds.events import EventKind, EventMetric
from exp_assets.quoting import ident

CUMULATIVE = "cumulative"


class RetentionMetric(EventMetric):
    type: Literal["retention"]
    window: MetricWindow = Field(description="the unit is retained with an event in [start, end) after its first exposure")


def closed_column(metric: RetentionMetric) -> str:
    """The value column of whether the unit's window has closed (1.0) or not (0.0)."""
    return f"{metric.name}__closed"


class Retention(EventKind):
    type = "retention"
    config = RetentionMetric
    value_type = "BIGINT"
    cuped = False
    additive = False
    changes_without_events = True  # a unit's window closes on a day of its own

    def event_value(self, metric: RetentionMetric, keep: str | None) -> str:
        return f"CASE WHEN {keep or 'TRUE'} THEN 1 ELSE 0 END"

    def day_columns(self, metric: RetentionMetric, value: str) -> list[tuple[str, str, str]]:
        return [(metric.name, f"COALESCE(MAX({value}), 0)", self.value_type)]  # 1: active in the window that day

    def merged_day_columns(self, metric: RetentionMetric, part: Callable[[str], str]) -> list[tuple[str, str, str]]:
        return [(metric.name, f"COALESCE(MAX({part(metric.name)}), 0)", self.value_type)]  # active in any part

    def unit_values(self, metric: RetentionMetric, spans: list[int | None], current: str,
                    earlier: Earlier) -> list[tuple[str, str]]:
        if None not in spans:
            return []
        # the day's end as a TIMESTAMP: BigQuery compares no TIMESTAMP with a DATE
        closed = (f"{current}.first_exposure_ts + INTERVAL {metric.window.end_hours} HOUR "
                  f"<= CAST({current}.as_of_date + INTERVAL 1 DAY AS TIMESTAMP)")
        return [
            (value_name(None, metric.name),
             f"CASE WHEN {closed} AND {current}.{ident(metric.name)} > 0 THEN 1.0 ELSE 0.0 END"),
            (value_name(None, closed_column(metric)), f"CASE WHEN {closed} THEN 1.0 ELSE 0.0 END"),
        ]

    def result_metrics(self, plan, metric: RetentionMetric) -> list[ResultMetric]:
        return [ResultMetric(metric.name, metric.name, closed_column(metric), cuped=False,
                             higher_is_better=metric.higher_is_better, rollups=(CUMULATIVE,))]

    def describe(self, metric: RetentionMetric, result) -> str:
        w = metric.window
        return f"event {w.start}–{w.end} {w.unit} after exposure, closed windows"


KIND = Retention()
