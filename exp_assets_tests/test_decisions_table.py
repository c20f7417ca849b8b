"""The decisions table: per day and treatment, the recommendation and the first
goal's power that recommendation.decide gives on that day's cumulative moments
and SRM test (each branch of the rule is tested on constructed cases in
test_decision.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from exp_assets import steps
from exp_assets.checks.assignment import srm_by_day
from exp_assets.days import ONE_DAY, DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.quoting import table
from exp_assets.recommendation import DECISION_COLUMNS, decide, srm_failures
from exp_assets.report.data import latest_moments
from exp_assets_tests import fixtures
from exp_assets_tests.engines import quiet_fakesnow
from exp_assets_tests.fixtures import END, START

pytestmark = quiet_fakesnow

ROLES = ("    goal_metrics: [revenue]\n    guardrails: [{metric: views, margin: 0.05}]\n"
         "    minimum_detectable_effect: 0.05")
ALL_DAYS = DayRange(START, END + ONE_DAY)


def _decisions(wh, plan: ExperimentPlan) -> pd.DataFrame:
    frame = wh.query(f"SELECT * FROM {table(plan.schema, plan.table_name('decisions'))}")
    frame["as_of_date"] = pd.to_datetime(frame["as_of_date"]).dt.date
    return frame.sort_values(["as_of_date", "variant"]).reset_index(drop=True)


def _assert_rows_are_decide(wh, plan: ExperimentPlan, found: pd.DataFrame) -> None:
    _, srm = srm_by_day(wh, plan, END)
    assert list(found.columns) == list(DECISION_COLUMNS)
    assert list(found["as_of_date"]) == ALL_DAYS.days  # one treatment: a row a day
    for row in found.to_dict("records"):
        day = row["as_of_date"]
        (expected,) = decide(plan, latest_moments(wh, plan, day), day, srm_failures(plan, srm[day]))
        (goal,) = expected.goals
        assert (row["variant"], row["recommendation"], row["reason"], row["goal_metric"]) == (
            expected.variant, expected.recommendation.action, expected.recommendation.reason, goal.metric)
        assert row["units"] == goal.units and row["target_effect"] == 0.05
        for field in ("mde", "power", "days_to_power", "test_power"):
            value = getattr(goal, field)
            assert (row[field] is None or math.isnan(row[field])) if value is None else \
                row[field] == pytest.approx(value, rel=1e-9), (day, field)


def test_each_days_decision_is_the_recommendation_of_that_days_moments(engine):
    wh, plan = engine.setup(fixtures.raw_tables(), metrics=["revenue", "views"], stats=ROLES)
    steps.materialize_all(wh, plan, ALL_DAYS)
    found = _decisions(wh, plan)
    _assert_rows_are_decide(wh, plan, found)
    assert found["recommendation"].iloc[-1] == "do not ship"  # the fixture's ended without a clear effect
    assert found["mde"].notna().all()


def test_days_written_one_at_a_time_equal_one_range(tmp_path):
    db = tmp_path / "w.duckdb"
    fixtures.write_raw(db, fixtures.raw_tables())
    config = fixtures.make_config(db, metrics=["revenue", "views"], stats=ROLES)
    plan, wh = ExperimentPlan(config, config.experiments[0]), fixtures.warehouse(db)
    steps.materialize_all(wh, plan, ALL_DAYS)
    whole = _decisions(wh, plan)
    decisions = dict(steps.ordered_steps(plan))["decisions"]
    for day in reversed(ALL_DAYS.days):  # any order: a day reads only its own inputs
        decisions(wh, DayRange(day, day + ONE_DAY))
    pd.testing.assert_frame_equal(_decisions(wh, plan), whole)


def test_a_sample_ratio_mismatch_means_investigate(tmp_path):
    raw = fixtures.raw_tables()
    extra = pd.DataFrame({"user_id": [f"extra{i}" for i in range(150)], "experiment_id": "exp_a",
                          "variant": "control", "ts": fixtures.ts(START, 6), "country": "US"})
    raw["exposures"] = pd.concat([raw["exposures"], extra], ignore_index=True)  # 150 more control units
    db = tmp_path / "w.duckdb"
    fixtures.write_raw(db, raw)
    config = fixtures.make_config(db, metrics=["revenue", "views"], stats=ROLES)
    plan, wh = ExperimentPlan(config, config.experiments[0]), fixtures.warehouse(db)
    steps.materialize_all(wh, plan, ALL_DAYS)
    found = _decisions(wh, plan)
    _assert_rows_are_decide(wh, plan, found)
    _, srm = srm_by_day(wh, plan, END)
    failing = [day for day, p in srm.items() if p < plan.experiment.checks.srm_p_value]
    assert END in failing
    investigated = found[found["as_of_date"].isin(failing)]
    assert set(investigated["recommendation"]) == {"investigate"}
    assert investigated["reason"].str.contains("srm").all()


def test_an_experiment_without_a_goal_has_no_decisions_table(tmp_path):
    config = fixtures.make_config(tmp_path / "w.duckdb")
    assert "decisions" not in [a.name for a in ExperimentPlan(config, config.experiments[0]).artifacts]


def test_the_cumulative_results_scorecard_shows_each_days_decision(tmp_path):
    """The results asset's scorecard metadata gives the recommendation the decisions table holds."""
    from exp_assets.results_metadata import results_metadata, results_metadata_by_day

    db = tmp_path / "w.duckdb"
    fixtures.write_raw(db, fixtures.raw_tables())
    config = fixtures.make_config(db, metrics=["revenue", "views"], stats=ROLES)
    plan, wh = ExperimentPlan(config, config.experiments[0]), fixtures.warehouse(db)
    steps.materialize_all(wh, plan, ALL_DAYS)
    report = dict(steps.ordered_steps(plan))["results_cumulative"](wh, ALL_DAYS)
    table = _decisions(wh, plan)
    by_day = results_metadata_by_day(plan, report.results, report.caps, report.srm_p_values, ALL_DAYS.days,
                                     report.moments)
    assert list(by_day) == ALL_DAYS.days
    for row in table.to_dict("records"):
        md = by_day[row["as_of_date"]]
        # the same as filtering the range's frames for that day alone
        assert md == results_metadata(plan, report.results, report.caps, report.srm_p_values, row["as_of_date"],
                                      report.moments)
        assert f"Recommendation: {row['recommendation']}: {row['reason']}" in md["scorecard"]
        assert "Power: revenue / treatment: MDE" in md["scorecard"]
    daily = dict(steps.ordered_steps(plan))["results_daily"](wh, ALL_DAYS)
    assert daily.moments is None  # the recommendation reads the cumulative results alone
    assert "Recommendation" not in results_metadata(plan, daily.results, daily.caps, daily.srm_p_values, END,
                                                    daily.moments)["scorecard"]
