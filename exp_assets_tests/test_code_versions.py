"""Code versions are what marks a stored partition stale: a refactor that changes
one would rematerialize every table of every running experiment. These were
recorded on the code before the metric kinds were split into modules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exp_assets.config import parse_config
from exp_assets.config.loader import demo_config_path, load_config
from exp_assets.plan import ExperimentPlan
from exp_assets_tests import fixtures
from exp_assets_tests.test_engines import EVERYTHING, with_metric_dimensions

RECORDED = json.loads((Path(__file__).parent / "code_versions.json").read_text())


def _configs():
    return {
        "demo": load_config(demo_config_path()),
        "fixture": parse_config(fixtures.config_text(Path("warehouse.duckdb"))),
        "everything": parse_config(with_metric_dimensions(
            fixtures.config_text(Path("warehouse.duckdb"), "first", **EVERYTHING))),
    }


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_code_versions_are_unchanged(name):
    config_name, experiment = name.split("/")
    config = _configs()[config_name]
    plan = ExperimentPlan(config, config.experiment(experiment))
    recorded = RECORDED[name]
    assert {artifact: plan.code_version(artifact) for artifact in recorded} == recorded
    assert sorted(a.name for a in plan.artifacts) == sorted(recorded)
