"""An experiment in one line: status, days running, health and the call on
each metric and treatment, judged by the metric's declared direction. The
index is built from these (each page writes its own as JSON)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from exp_assets.recommendation import ArmDecision, decide
from exp_assets.scorecard import describe_recommendation, direction

from .data import ExperimentData

BETTER, WORSE, NO_CALL, NO_TEST = "better", "worse", "no call", "no test"


@dataclass(frozen=True)
class MetricCall:
    metric: str
    variant: str
    lift: float | None  # relative effect
    lower: float | None  # its interval, as the verdict reads it
    upper: float | None
    outcome: str  # BETTER, WORSE (by the metric's direction), NO_CALL or NO_TEST
    higher_is_better: bool


@dataclass(frozen=True)
class Summary:
    experiment: str
    status: str
    start: str
    end: str | None
    latest: str | None
    days_running: int
    health_failures: list[str]
    calls: list[MetricCall]
    page: str
    # per treatment arm its recommendation and why; None (no goal metric named) shows nothing
    recommendation: str | None = None

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict) -> Summary:
        return cls(**{**raw, "calls": [MetricCall(**c) for c in raw["calls"]]})


def _number(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def interval(row) -> tuple[float | None, float | None]:
    """The relative interval a row's verdict agrees with: the multiplicity-adjusted
    one when the experiment corrects (it excludes 0 exactly when the adjusted
    p-value is below alpha), else the plain one (also Bayesian and sequential)."""
    lower, upper = _number(row.rel_ci_lower_adjusted), _number(row.rel_ci_upper_adjusted)
    if lower is None or upper is None:
        return _number(row.rel_ci_lower), _number(row.rel_ci_upper)
    return lower, upper


def outcome(row, data: ExperimentData) -> str:
    call = direction(row, data.plan)
    if call is None:
        return NO_TEST
    if call == 0:
        return NO_CALL
    return BETTER if (call > 0) == higher_is_better(data, row.metric) else WORSE


def higher_is_better(data: ExperimentData, metric: str) -> bool:
    return next((m.higher_is_better for m in data.plan.result_metrics if m.name == metric), True)


def status(data: ExperimentData) -> str:
    end = data.plan.experiment.end_date
    if data.latest is None:
        return "no results yet"
    return "finished" if end is not None and data.latest >= end else "running"


def days_running(data: ExperimentData) -> int:
    return (data.latest - data.plan.start).days + 1 if data.latest else 0


def treatment_rows(frame, data: ExperimentData):
    """Treatment rows in the experiment's metric order, then variant order."""
    e = data.plan.experiment
    order = {m.name: i for i, m in enumerate(data.plan.result_metrics)}
    variants = {v: i for i, v in enumerate(e.variants)}
    rows = frame[frame["variant"] != e.control]
    return rows.assign(_m=rows["metric"].map(order), _v=rows["variant"].map(variants)) \
        .sort_values(["_m", "_v"], kind="stable").drop(columns=["_m", "_v"])


def decisions(data: ExperimentData) -> list[ArmDecision]:
    """The recommendation per treatment arm (any failed health check: investigate)."""
    return decide(data.plan, data.moments, data.latest, [h.label for h in data.health if not h.passed])


def summarize(data: ExperimentData, page: str) -> Summary:
    calls = []
    for r in treatment_rows(data.latest_overall(), data).itertuples():
        lower, upper = interval(r)
        calls.append(MetricCall(r.metric, r.variant, _number(r.rel_effect), lower, upper, outcome(r, data),
                                higher_is_better(data, r.metric)))
    e = data.plan.experiment
    return Summary(
        experiment=e.id, status=status(data), start=e.start_date.isoformat(),
        end=e.end_date.isoformat() if e.end_date else None,
        latest=data.latest.isoformat() if data.latest else None, days_running=days_running(data),
        health_failures=[f"{h.label}: {h.description}" for h in data.health if not h.passed],
        calls=calls, page=page, recommendation=describe_recommendation(data.plan, decisions(data)),
    )
