"""`funnel`: ordered steps, each an event of a fact source; a unit reaches step
i when the first times it did steps 1..i are in order and step i falls within
the window. Its state is each step's first time (MIN over days, in its own
funnel_events table); a unit's value over a span is whether it reached the step
by D minus whether it had by D - days, so each step's statistic is the mean of
a 0/1 (conversion), and each step-to-step rate a ratio (delta method)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, StrictInt, model_validator

from exp_assets.fields import MAX_WINDOW, Name, Strict, raise_problems
from exp_assets.metrics.kind import OWN, Earlier, MetricKind, ResultMetric, SourceRows, StateColumn, value_name
from exp_assets.quoting import ident

if TYPE_CHECKING:
    from exp_assets.days import DayRange


class FunnelStep(Strict):
    name: Name
    source: Name
    filter: str | None = Field(None, description="SQL boolean expression over the source's columns")


class FunnelMetric(Strict):
    """Ordered steps; a unit reaches step i when the first times it did steps
    1..i are in order and step i falls within the window."""

    name: Name
    type: Literal["funnel"]
    steps: list[FunnelStep] = Field(min_length=2)
    window_hours: StrictInt | None = Field(None, gt=0, le=MAX_WINDOW, description="none: no time limit")
    window_from: Literal["first_step", "exposure"] = "first_step"
    higher_is_better: bool = Field(
        True, description="the metric's desired direction: the report colours a significant rise green when true, red when false"
    )

    @model_validator(mode="after")
    def _unique_steps(self):
        first: dict[str, int] = {}
        problems = []
        for i, step in enumerate(self.steps):
            if step.name in first:
                problems.append((f"steps[{i}].name", f"step name {step.name!r} is also step {first[step.name]}'s; "
                                 "step names must be unique"))
            first.setdefault(step.name, i)
        raise_problems(problems)
        return self


def step_column(funnel: FunnelMetric, step: int) -> str:
    """The state and unit-value column of a step (a metric cannot share a funnel's name)."""
    return f"{funnel.name}__{funnel.steps[step].name}"


def reached(funnel: FunnelMetric, step: int, alias: str) -> str:
    """1.0 if, in the unit_totals row `alias`, the first times of steps 0..step
    are in order and within the funnel's window, else 0.0 (also for no row)."""
    times = [f"{alias}.{ident(step_column(funnel, i))}" for i in range(step + 1)]
    conditions = [f"{times[0]} IS NOT NULL"] + [f"{b} >= {a}" for a, b in zip(times, times[1:])]
    if funnel.window_hours is not None:
        start = times[0] if funnel.window_from == "first_step" else f"{alias}.first_exposure_ts"
        conditions.append(f"{times[-1]} <= {start} + INTERVAL {funnel.window_hours} HOUR")
    return f"CASE WHEN {' AND '.join(conditions)} THEN 1.0 ELSE 0.0 END"


class Funnel(MetricKind):
    type = "funnel"
    config = FunnelMetric
    state_from = OWN
    table = "funnel_events"
    table_columns = ("A step (<funnel>__<step>): the first time that day, at or after the unit's first exposure, "
                     "it did the step (NULL if it did not).")

    def problems(self, metric: FunnelMetric, path: str, refs) -> list:
        return [problem for j, step in enumerate(metric.steps)
                for problem in refs.fact_source(metric.name, step.source, step.filter, f"{path}.steps[{j}]")]

    def filters(self, metric: FunnelMetric) -> list[tuple[str, str, str]]:
        return [(step.source, step.filter, f"steps[{j}].filter") for j, step in enumerate(metric.steps) if step.filter]

    def reads(self, metric: FunnelMetric) -> list[str]:
        return list(dict.fromkeys(step.source for step in metric.steps))

    def table_description(self, metric: FunnelMetric) -> str:
        return (f"Per unit and day: the first time on D, at or after the unit's first exposure, that it "
                f"did each step of funnel {metric.name!r} (NULL if it did not).")

    def unit_day_events(self, metric: FunnelMetric, rows: SourceRows, ranges: list[DayRange]) -> str:
        """Every step's events, tagged with the step's index."""
        return " UNION ALL ".join(rows.events(step.source, step.filter, ranges, {"step": str(i)})
                                  for i, step in enumerate(metric.steps))

    def unit_day_values(self, metric: FunnelMetric) -> list[tuple[str, str]]:
        """Each step's first time that day."""
        return [(step_column(metric, i), f"MIN(CASE WHEN e.step = {i} THEN e.event_ts END)")
                for i in range(len(metric.steps))]

    def state(self, metric: FunnelMetric) -> list[StateColumn]:
        return [StateColumn(step_column(metric, i), "TIMESTAMP", "MIN") for i in range(len(metric.steps))]

    def unit_values(self, metric: FunnelMetric, spans: list[int | None], current: str,
                    earlier: Earlier) -> list[tuple[str, str]]:
        values = []
        for i in range(len(metric.steps)):
            for days in spans:
                value = reached(metric, i, current) + (f" - ({reached(metric, i, earlier(days))})" if days else "")
                values.append((value_name(days, step_column(metric, i)), value))
        return values

    def result_metrics(self, plan, metric: FunnelMetric) -> list[ResultMetric]:
        """Each step's conversion, then each step-to-step rate."""
        steps = [step_column(metric, i) for i in range(len(metric.steps))]
        out = [ResultMetric(c, c, cuped=False, higher_is_better=metric.higher_is_better) for c in steps]
        out += [
            ResultMetric(f"{prev}_to_{metric.steps[i + 1].name}", nxt, prev, cuped=False,
                         higher_is_better=metric.higher_is_better)
            for i, (prev, nxt) in enumerate(zip(steps, steps[1:]))
        ]
        return out

    def describe(self, metric: FunnelMetric, result) -> str:
        return "step-to-step rate" if result.denominator else "share of units reaching the step"


KIND = Funnel()
