"""What the kinds that add up a value per event of one fact source share (sum,
count, proportion): their config fields, a unit-day state of one SUM column in
the source's user_level_aggregations table, running rollups, CUPED covariates,
winsorization and dimension breakdowns. Each of those kinds adds its own value
per event (`event_value`) and unit value (`unit_value`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from pydantic import Field, model_validator

from exp_assets.fields import Column, FieldErrors, HigherIsBetter, MetricWindow, Name, Strict, Winsorize
from exp_assets.metrics.kind import SOURCE, Earlier, MetricKind, ResultMetric, StateColumn, value_name
from exp_assets.quoting import ident


class EventMetric(Strict):
    """A metric computed from one fact source's events."""

    name: Name
    source: Name
    type: str
    column: Column | None = None
    filter: str | None = Field(None, description="SQL boolean expression over the source's columns")
    winsorize: Winsorize | None = None
    window: MetricWindow | None = None
    dimensions: list[Column] = Field(
        [], description="columns of the source to break this metric down by (its events' property values)"
    )
    higher_is_better: HigherIsBetter = True
    needs_column: ClassVar[bool] = False  # adds up a column (sum), or counts events

    @model_validator(mode="after")
    def _column_matches_type(self):
        if self.needs_column and self.column is None:
            raise FieldErrors([("column", f"a {self.type} metric needs 'column'")])
        if not self.needs_column and self.column is not None:
            raise FieldErrors([("column", f"'column' is only used by sum metrics, not {self.type}")])
        return self


class EventKind(MetricKind):
    state_from = SOURCE
    cuped = True
    value_type: ClassVar[str]  # SQL type of its unit-day and running values
    additive = True

    def event_value(self, metric: EventMetric, keep: str | None) -> str:
        """SQL of one event's contribution (alias `s`: the source's row), given
        the metric's filter rendered (`keep`, None without a filter)."""
        raise NotImplementedError

    def unit_value(self, metric: EventMetric, total: str) -> str:
        """SQL of a unit's value from its total over a span (or its covariate)."""
        return f"CAST({total} AS DOUBLE)"

    def problems(self, metric: EventMetric, path: str, refs) -> list:
        problems = refs.fact_source(metric.name, metric.source, metric.filter, path)
        if not self.additive:
            problems += [(f"{path}.{field}", f"a {self.type} metric cannot be {what}: its unit values do not add up "
                          f"over events")
                         for field, what in (("dimensions", "broken down by dimensions"), ("winsorize", "winsorized"))
                         if getattr(metric, field)]
        return problems

    def exposure_window(self, metric: EventMetric) -> str:
        """SQL condition on an event (alias `e`) of a unit (alias `u`, its first
        exposure): the event counts toward the metric (its window after exposure)."""
        w = metric.window
        if w is None:
            return "TRUE"
        return (f"e.event_ts >= u.first_exposure_ts + INTERVAL {w.start_hours} HOUR "
                f"AND e.event_ts < u.first_exposure_ts + INTERVAL {w.end_hours} HOUR")

    def scope(self, metric: EventMetric) -> str:
        """The metric's filter and window in words, for its description ('' without)."""
        w = metric.window
        return (f" where {metric.filter}" if metric.filter else "") + \
            (f", {w.start}–{w.end} {w.unit} after exposure" if w else "")

    def day_columns(self, metric: EventMetric, value: str) -> list[tuple[str, str, str]]:
        return [(metric.name, f"COALESCE(SUM({value}), 0)", self.value_type)]

    def merged_day_columns(self, metric: EventMetric, part: Callable[[str], str]) -> list[tuple[str, str, str]] | None:
        if type(self).day_columns is not EventKind.day_columns:
            return None  # a kind with day columns of its own says how they combine
        return self.summed_parts(metric, part)

    def summed_parts(self, metric: EventMetric, part: Callable[[str], str]) -> list[tuple[str, str, str]]:
        """Day columns that are sums (or counts) over events: the sum over parts."""
        return [(c, f"COALESCE(SUM({part(c)}), 0)", t) for c, _, t in self.day_columns(metric, "NULL")]

    def dimensions(self, metric: EventMetric) -> list[tuple[str, str, str]]:
        return [(metric.source, d, f"dimensions[{j}]") for j, d in enumerate(metric.dimensions)]

    def filters(self, metric: EventMetric) -> list[tuple[str, str, str]]:
        return [(metric.source, metric.filter, "filter")] if metric.filter else []

    def state(self, metric: EventMetric) -> list[StateColumn]:
        return [StateColumn(metric.name, self.value_type, "SUM")]

    def unit_values(self, metric: EventMetric, spans: list[int | None], current: str,
                    earlier: Earlier) -> list[tuple[str, str]]:
        """Running totals' differences: the total as of D minus the one `days` before."""
        column = ident(metric.name)
        values = []
        for days in spans:
            total = earlier.change(current, days, column) if days else f"{current}.{column}"
            values.append((value_name(days, metric.name), self.unit_value(metric, total)))
        return values

    def result_metrics(self, plan, metric: EventMetric) -> list[ResultMetric]:
        return [ResultMetric(metric.name, metric.name, higher_is_better=metric.higher_is_better)]

    def winsorize(self, metric: EventMetric) -> Winsorize | None:
        return metric.winsorize

