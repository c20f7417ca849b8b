"""The risk-aware decision rule on constructed cases, one per branch; each test's
outcome is restated as a one-sided p-value from scipy against its level."""

from __future__ import annotations

import pytest
from scipy import stats as sps

from exp_assets.stats.decision import (
    DO_NOT_SHIP,
    GOAL,
    GUARDRAIL,
    INVESTIGATE,
    KEEP_RUNNING,
    SECONDARY,
    SHIP,
    MetricEvidence,
    recommend,
    design_levels,
)

ALPHA = 0.05


def goal(name, estimate, se=0.02, **kw):
    return MetricEvidence(name, GOAL, estimate, se, **kw)


def guardrail(name, estimate, se=0.01, margin=0.03, **kw):
    return MetricEvidence(name, GUARDRAIL, estimate, se, margin=margin, **kw)


def p_better(estimate, se):
    return sps.norm.sf(estimate / se)


def p_non_inferior(estimate, se, margin):
    return sps.norm.sf((estimate + margin) / se)


def test_ship_needs_one_goal_better_at_alpha_over_goals_and_every_guardrail_non_inferior():
    metrics = [goal("revenue", 0.05), goal("orders", 0.01), guardrail("page_views", -0.005),
               MetricEvidence("large_orders", SECONDARY, -0.5, 0.01)]  # a secondary never decides
    # by hand: revenue p = sf(2.5) = 0.0062 < 0.05 / 2; page_views p = sf(2.5) = 0.0062 < 0.05
    assert p_better(0.05, 0.02) < ALPHA / 2 and p_non_inferior(-0.005, 0.01, 0.03) < ALPHA
    out = recommend(metrics, ALPHA)
    assert (out.action, out.goal_level, out.guardrail_level) == (SHIP, ALPHA / 2, ALPHA)
    assert out.reason == "goal significantly better: revenue; every guardrail non-inferior"


@pytest.mark.parametrize("treatments, ships", [(2, True), (3, False)])
def test_goals_are_bonferroni_corrected_over_goals_and_arms(treatments, ships):
    # one-sided p = sf(2.25) = 0.0122: below 0.05 / 4, above 0.05 / 6
    assert (p_better(0.045, 0.02) < ALPHA / (2 * treatments)) == ships
    out = recommend([goal("revenue", 0.045), goal("orders", 0.0)], ALPHA, treatments=treatments)
    assert out.action == (SHIP if ships else KEEP_RUNNING)


def test_guardrails_are_not_corrected_for_their_number():
    # p = sf(1.7) = 0.045 < 0.05 for each of five guardrails: every one passes at alpha
    assert p_non_inferior(-0.013, 0.01, 0.03) < ALPHA
    out = recommend([goal("revenue", 0.05)] + [guardrail(f"g{i}", -0.013) for i in range(5)], ALPHA)
    assert out.action == SHIP


def test_do_not_ship_when_a_goal_is_significantly_worse():
    out = recommend([goal("revenue", 0.06), goal("orders", -0.06)], ALPHA)
    assert (out.action, out.reason) == (DO_NOT_SHIP, "goal significantly worse: orders")


def test_do_not_ship_when_a_guardrail_is_worse_than_its_margin_in_its_direction():
    # latency: lower is better, +8% +- 1%: its worst plausible loss -0.08 + 1.645 * 0.01 < -0.03
    assert sps.norm.cdf((-0.08 + 0.03) / 0.01) < ALPHA
    out = recommend([goal("revenue", 0.06), guardrail("latency", 0.08, higher_is_better=False)], ALPHA)
    assert (out.action, out.reason) == (DO_NOT_SHIP, "guardrail worse than its margin: latency")


def test_investigate_a_failed_health_check_whatever_the_metrics_say():
    out = recommend([goal("revenue", 0.06)], ALPHA, failed_checks=["srm"])
    assert (out.action, out.reason) == (INVESTIGATE, "failed health check: srm")


def test_keep_running_while_a_guardrail_or_the_goals_are_inconclusive():
    # page_views -2% +- 1%: p = sf(1.0) = 0.16, not shown non-inferior, nor inferior
    assert p_non_inferior(-0.02, 0.01, 0.03) > ALPHA
    out = recommend([goal("revenue", 0.06), guardrail("page_views", -0.02)], ALPHA)
    assert (out.action, out.reason) == (KEEP_RUNNING, "guardrail not yet shown non-inferior: page_views")
    out = recommend([goal("revenue", 0.02), MetricEvidence("orders", GUARDRAIL, None, None, margin=0.01)], ALPHA)
    assert (out.action, out.reason) == (
        KEEP_RUNNING, "no goal significantly better yet; guardrail not yet shown non-inferior: orders")


def test_an_experiment_that_ended_inconclusive_is_not_shipped():
    out = recommend([goal("revenue", 0.02)], ALPHA, finished=True)
    assert (out.action, out.reason) == (DO_NOT_SHIP, "ended without evidence to ship: no goal significantly better yet")


def test_students_t_critical_values():
    # t with 20 df: the one-sided 2.5% point is 2.086 > 2.0, so +4% +- 2% is not better; z would say it is
    t20 = lambda level: float(sps.t.isf(level, 20))  # noqa: E731
    assert recommend([goal("revenue", 0.04, critical=t20)], ALPHA, treatments=2).action == KEEP_RUNNING
    assert recommend([goal("revenue", 0.04)], ALPHA, treatments=2).action == SHIP


def test_design_levels_and_bad_roles():
    assert design_levels(goals=2, guardrails=3, alpha=0.05, power=0.8) == pytest.approx((0.025, 0.95))
    with pytest.raises(ValueError, match="at least one goal"):
        recommend([guardrail("page_views", 0.0)], ALPHA)
    with pytest.raises(ValueError, match="page_views: a guardrail needs a positive margin"):
        MetricEvidence("page_views", GUARDRAIL, 0.0, 0.01)
    with pytest.raises(ValueError, match="role must be one of"):
        MetricEvidence("x", "primary", 0.0, 0.01)
