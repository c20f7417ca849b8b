"""`participation`: the share of a unit's days in the span on which it had a
matching event (GrowthBook's daily participation): days with an event divided
by the span's days since the unit's first exposure (cumulative: every day
since, its exposure day included; daily and 7-day: those of the span's days it
was exposed on). Its statistic is the mean per unit. Its state is a running
count of active days (a unit-day row is 1 with an event), so a span's value is
a difference of running counts (RUNNING)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from exp_assets.metrics.kind import Earlier, ResultMetric, value_name
from exp_assets.metrics.kinds.events import EventKind, EventMetric
from exp_assets.quoting import ident


class ParticipationMetric(EventMetric):
    type: Literal["participation"]


class Participation(EventKind):
    type = "participation"
    config = ParticipationMetric
    value_type = "BIGINT"
    cuped = False  # a pre-exposure share of days is not what the covariate sums hold
    additive = False
    changes_without_events = True  # the days exposed grow every day

    def event_value(self, metric: ParticipationMetric, keep: str | None) -> str:
        return f"CASE WHEN {keep or 'TRUE'} THEN 1 ELSE 0 END"

    def day_columns(self, metric: ParticipationMetric, value: str) -> list[tuple[str, str, str]]:
        return [(metric.name, f"COALESCE(MAX({value}), 0)", self.value_type)]  # 1: active that day

    def merged_day_columns(self, metric: ParticipationMetric, part: Callable[[str], str]) -> list[tuple[str, str, str]]:
        return [(metric.name, f"COALESCE(MAX({part(metric.name)}), 0)", self.value_type)]  # active in any part

    def unit_values(self, metric: ParticipationMetric, spans: list[int | None], current: str,
                    earlier: Earlier) -> list[tuple[str, str]]:
        column = ident(metric.name)
        exposed = f"(DATE_DIFF('day', {current}.first_exposure_date, {current}.as_of_date) + 1)"
        values = []
        for days in spans:
            active = earlier.change(current, days, column) if days else f"{current}.{column}"
            span = exposed if days is None else f"LEAST({days}, {exposed})"
            values.append((value_name(days, metric.name), f"CAST({active} AS DOUBLE) / {span}"))
        return values

    def result_metrics(self, plan, metric: ParticipationMetric) -> list[ResultMetric]:
        return [ResultMetric(metric.name, metric.name, cuped=False, higher_is_better=metric.higher_is_better)]

    def describe(self, metric: ParticipationMetric, result) -> str:
        return "share of days with an event"


KIND = Participation()
