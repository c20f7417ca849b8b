"""A recommendation for one treatment arm from its metrics' results, by the risk-aware
rule of Schultzberg, Ankargren & Frånberg (2024), "Risk-aware product decisions in
A/B tests with multiple metrics" (Spotify).

Roles: goal metrics (the paper's success metrics, superiority tests), guardrails
(non-inferiority tests against a relative margin) and secondary metrics (shown, never
decisive). Every test is one-sided in the metric's desired direction: with d = the
relative effect signed so that > 0 is better (-effect when lower is better), se its
standard error and c(a) the one-sided critical value at level a,

    goal significantly better      d - c(alpha / S) se > 0
    goal significantly worse       d + c(alpha / S) se < 0
    guardrail non-inferior         d - c(alpha) se > -margin
    guardrail inferior             d + c(alpha) se < -margin

S = goal metrics x treatment arms: "at least one goal is better" is a union of
tests, so its false-positive rate is Bonferroni-corrected over them. Guardrails are
not corrected: "every guardrail is non-inferior" is an intersection of tests, whose
false-positive rate is at most each test's. Power is what the guardrails cost:
the decision ships only if the goal test and all G guardrail tests succeed, so by
the union bound its power is at least 1 - (G + 1) beta' when each test has power
1 - beta'. `design_levels` gives the levels a design needs for decision power 1 - beta:
alpha / S and per-test power 1 - beta / (G + 1). (The paper also has deterioration
and quality tests; here the health checks stand for quality, and a goal's
deterioration is the "significantly worse" test above.)

The branches, first match wins:
1. investigate    a health check failed (e.g. a sample ratio mismatch): the
                  results cannot be trusted, whatever they say.
2. do not ship    a goal is significantly worse, or a guardrail is significantly
                  inferior (worse than its margin).
3. ship           at least one goal is significantly better and every guardrail
                  is non-inferior.
4. do not ship    the experiment has ended without 2 or 3 (no evidence to ship).
5. keep running   otherwise: the goals, or some guardrail, are still inconclusive.
A metric without a test (too few units, no variance) is inconclusive: it cannot
make a goal better nor a guardrail non-inferior.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scipy import stats as st

GOAL, GUARDRAIL, SECONDARY = "goal", "guardrail", "secondary"
ROLES = (GOAL, GUARDRAIL, SECONDARY)
SHIP, DO_NOT_SHIP, KEEP_RUNNING, INVESTIGATE = "ship", "do not ship", "keep running", "investigate"


def normal_critical(level: float) -> float:
    """One-sided critical value of the z test (and of a Gaussian posterior)."""
    return float(st.norm.isf(level))


@dataclass(frozen=True)
class MetricEvidence:
    """One metric's relative effect for one treatment arm, and how to test it."""

    metric: str
    role: str
    estimate: float | None  # relative effect, (treatment - control) / control
    std_error: float | None  # None: no test
    higher_is_better: bool = True
    margin: float | None = None  # guardrails: the relative non-inferiority margin (> 0)
    critical: Callable[[float], float] = normal_critical  # one-sided critical value at a level

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"{self.metric}: role must be one of {ROLES}, got {self.role!r}")
        if self.role == GUARDRAIL and not (self.margin is not None and self.margin > 0):
            raise ValueError(f"{self.metric}: a guardrail needs a positive margin, got {self.margin!r}")

    @property
    def tested(self) -> bool:
        return self.estimate is not None and self.std_error is not None and math.isfinite(self.std_error)

    def bounds(self, level: float) -> tuple[float, float]:
        """One-sided (1 - level) lower and upper bounds of the signed effect d."""
        signed = self.estimate if self.higher_is_better else -self.estimate
        half = self.critical(level) * self.std_error
        return signed - half, signed + half


@dataclass(frozen=True)
class Recommendation:
    action: str
    reason: str
    goal_level: float  # level of each goal's superiority test, alpha / S
    guardrail_level: float  # level of each guardrail's non-inferiority test, alpha


def design_levels(goals: int, guardrails: int, alpha: float, power: float = 0.8,
                treatments: int = 1) -> tuple[float, float]:
    """(level of each goal test, power each test needs) for decision power `power`."""
    if goals < 1:
        raise ValueError("the rule needs at least one goal metric")
    return alpha / (goals * treatments), 1 - (1 - power) / (guardrails + 1)


def recommend(metrics: Sequence[MetricEvidence], alpha: float, *, treatments: int = 1,
              failed_checks: Sequence[str] = (), finished: bool = False) -> Recommendation:
    goals = [m for m in metrics if m.role == GOAL]
    guardrails = [m for m in metrics if m.role == GUARDRAIL]
    goal_level, _ = design_levels(len(goals), len(guardrails), alpha, treatments=treatments)
    done = lambda action, reason: Recommendation(action, reason, goal_level, alpha)  # noqa: E731
    if failed_checks:
        return done(INVESTIGATE, f"failed health check: {', '.join(failed_checks)}")

    better = [m.metric for m in goals if m.tested and m.bounds(goal_level)[0] > 0]
    worse = [m.metric for m in goals if m.tested and m.bounds(goal_level)[1] < 0]
    inferior = [m.metric for m in guardrails if m.tested and m.bounds(alpha)[1] < -m.margin]
    open_guardrails = [m.metric for m in guardrails if not (m.tested and m.bounds(alpha)[0] > -m.margin)]
    if worse or inferior:
        return done(DO_NOT_SHIP, "; ".join(
            [f"goal significantly worse: {', '.join(worse)}"] * bool(worse)
            + [f"guardrail worse than its margin: {', '.join(inferior)}"] * bool(inferior)))
    if better and not open_guardrails:
        return done(SHIP, f"goal significantly better: {', '.join(better)}"
                    + ("; every guardrail non-inferior" if guardrails else ""))
    pending = ([] if better else ["no goal significantly better yet"]) + (
        [f"guardrail not yet shown non-inferior: {', '.join(open_guardrails)}"] if open_guardrails else [])
    if finished:
        return done(DO_NOT_SHIP, "ended without evidence to ship: " + "; ".join(pending))
    return done(KEEP_RUNNING, "; ".join(pending))
