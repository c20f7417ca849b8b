"""Metric roles in the config: goal, guardrail (with a margin), secondary by default;
errors at the field; roles stay out of every artifact's code version."""

from __future__ import annotations

import copy

import pytest
import yaml

from exp_assets.config import ConfigError, parse_config
from exp_assets.config.loader import demo_config_path
from exp_assets.plan import ExperimentPlan

DEMO = yaml.safe_load(demo_config_path().read_text())


def _config(**roles):
    raw = copy.deepcopy(DEMO)
    experiment = raw["experiments"][0]
    for key in ("goal_metrics", "guardrails", "minimum_detectable_effect"):
        experiment.pop(key, None)
    experiment.update(roles)
    return parse_config(yaml.safe_dump(raw), "roles.yaml")


def test_every_metric_is_secondary_unless_named():
    experiment = _config().experiments[0]
    assert experiment.goal_metrics == [] and experiment.guardrails == []
    assert {experiment.role(m) for m in experiment.metrics} == {"secondary"}


def test_the_demo_names_a_goal_for_every_experiment():
    config = parse_config(demo_config_path().read_text(), "demo.yaml")
    checkout = config.experiment("checkout_redesign")
    assert checkout.role("orders_first_7d") == "goal" and checkout.role("page_views") == "guardrail"
    assert checkout.margin("page_views") == 0.03 and checkout.role("revenue") == "secondary"
    assert all(e.goal_metrics for e in config.experiments)


@pytest.mark.parametrize("roles, field, message", [
    (dict(goal_metrics=["large_orders"]), "experiments[0].goal_metrics[0]",
     "'large_orders' is not one of the experiment's metrics"),
    (dict(guardrails=[{"metric": "bounce", "margin": 0.02}]), "experiments[0].guardrails[0].metric",
     "'bounce' is not one of the experiment's metrics"),
    (dict(goal_metrics=["revenue"], guardrails=[{"metric": "revenue", "margin": 0.02}]),
     "experiments[0].guardrails[0].metric", "'revenue' already has a role at goal_metrics[0]"),
    (dict(guardrails=[{"metric": "revenue", "margin": 0}]), "experiments[0].guardrails[0].margin", "greater than 0"),
    (dict(guardrails=[{"metric": "revenue"}]), "experiments[0].guardrails[0].margin", "required"),
    (dict(minimum_detectable_effect=-0.1), "experiments[0].minimum_detectable_effect", "greater than 0"),
])
def test_bad_roles_are_named_at_their_field(roles, field, message):
    with pytest.raises(ConfigError) as error:
        _config(**roles)
    problems = dict(error.value.problems)
    assert field in problems and message in problems[field], error.value.problems


def test_roles_change_only_the_decisions_code_version():
    plain = _config(goal_metrics=["revenue"])
    roled = _config(goal_metrics=["revenue"], guardrails=[{"metric": "page_views", "margin": 0.02}],
                    minimum_detectable_effect=0.05)
    a, b = ExperimentPlan(plain, plain.experiments[0]), ExperimentPlan(roled, roled.experiments[0])
    versions = [{x.name: p.code_version(x.name) for x in p.artifacts} for p in (a, b)]
    assert versions[0].pop("decisions") != versions[1].pop("decisions")
    assert versions[0] == versions[1]
    without = ExperimentPlan(_config(), _config().experiments[0])  # no goal: no decisions table
    assert {x.name: without.code_version(x.name) for x in without.artifacts} == versions[0]
