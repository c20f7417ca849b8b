"""Facts shared across experiments (exp_assets.shared_facts): two experiments on
the same sources read each source's day once, through the shared parts, and
get exactly the unit-day rows they would make from the events themselves
(first exposures and metric windows cut days mid-way); a run rewrites a shared
day written before it was requested (late data), and reuses one written since."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pandas as pd
import pytest

from exp_assets.config import parse_config
from exp_assets.definitions import build_definitions
from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.quoting import table
from exp_assets.shared_facts import shared_sources
from exp_assets.sql import exposures as exposure_sql
from exp_assets.sql import metrics as metric_sql
from exp_assets.steps import step_of
from exp_assets_tests import fixtures
from exp_assets_tests.engines import normalized

START, END, DAYS = fixtures.START, fixtures.END, fixtures.DAYS
FULL = DayRange(START, END + dt.timedelta(days=1))
# exp_b: the same exposures, metrics whose windows cut days mid-way and kinds merged other than by sums
EXP_B_METRICS = ["orders", "orders_first_2d", "revenue_hours_6_to_30", "top_order", "first_order",
                 "last_small_order", "order_days", "viewed_days_1_to_3", "views"]


def with_exp_b(text: str) -> str:
    return text + f"""
  - id: exp_b
    experiment_key: exp_a
    assignment_source: exposures
    start_date: {START}
    end_date: {END}
    variants: {{control: 0.5, treatment: 0.5}}
    control: control
    metrics: [{", ".join(EXP_B_METRICS)}]
    cuped: {{enabled: false}}
"""


def unit_days(wh, plan, window: DayRange) -> dict:
    """The experiment's first exposures and unit-day rows over `window` (what the shared facts serve)."""
    names = ["first_exposures", *(f"user_level_aggregations_{s}" for s in plan.fact_sources)]
    return {name: step_of(plan, plan.artifact(name))(wh, window) for name in names}


def _raw_with_late_order(raw):
    """One more order of a unit exposed on the fixture's second day, late on that day."""
    orders = pd.concat([raw["orders"], pd.DataFrame(
        [("x_pre", fixtures.ts(DAYS[1], 23), 7.0)], columns=["user_id", "ts", "amount"])], ignore_index=True)
    return {**raw, "orders": orders.sort_values("ts", kind="stable").reset_index(drop=True)}


def _raw_with_a_unit_cut_once():
    """A unit first exposed on the third day at 12:00, after exposures that
    cannot be its first (another experiment's, a variant not configured) and
    before a repeat, with orders around each of them."""
    day = DAYS[2]
    exposures = pd.DataFrame([("x_cut", "exp_a", "holdout", fixtures.ts(day, 8), "US"),
                              ("x_cut", "other_exp", "control", fixtures.ts(day, 9), "US"),
                              ("x_cut", "exp_a", "control", fixtures.ts(day, 12), "US"),
                              ("x_cut", "exp_a", "control", fixtures.ts(day, 13), "US")],
                             columns=["user_id", "experiment_id", "variant", "ts", "country"])
    orders = pd.DataFrame([("x_cut", fixtures.ts(day, h), float(h)) for h in (8.5, 10, 12.5, 14)],
                          columns=["user_id", "ts", "amount"])
    raw = fixtures.raw_tables()
    return {**raw, **{name: pd.concat([raw[name], extra], ignore_index=True).sort_values("ts", kind="stable")
                      .reset_index(drop=True) for name, extra in (("exposures", exposures), ("orders", orders))}}


def test_two_experiments_read_each_source_day_once_and_get_the_rows_of_their_own_events(engine):
    raw = _raw_with_a_unit_cut_once()
    wh, plan_a = engine.setup(raw, edit=with_exp_b)
    plan_b = ExperimentPlan(plan_a.config, plan_a.config.experiment("exp_b"))
    with wh.session():  # one run of both: the second finds every shared day written since it began
        first = unit_days(wh, plan_a, FULL)
        second = unit_days(wh, plan_b, FULL)
    for source, rows in (("orders", "orders"), ("views", "page_views")):
        [built] = first[f"user_level_aggregations_{source}"].side_writes
        reused = second[f"user_level_aggregations_{source}"]
        assert sorted(built.rows_by_day) == DAYS and reused.side_writes == []
        if engine.name == "duckdb":  # the engine that counts the rows each statement scans
            assert built.rows_scanned[f"raw.{rows}"] == sum(raw[rows].ts >= pd.Timestamp(START))
            assert reused.rows_scanned_outside(wh.output_schema) == 0
    # exp_b's cuts: its metrics' window boundaries (hours after each exposure)
    shared = {s.source: s for s in shared_sources(plan_a.config)}
    assert {source: s.cut_hours for source, s in shared.items()} == {"orders": [0, 6, 30, 48], "views": [0, 24, 72]}
    # only times that can be a first exposure cut a day: x_cut's orders fall in two parts, before 12:00 and
    # after (up to 12:00 + 6 h), not at the other experiment's exposure, the holdout's or the repeat
    parts = wh.query(f"SELECT part_start FROM {table(plan_a.schema, shared['orders'].name)} "
                     f"WHERE unit_id = 'x_cut' ORDER BY part_start")
    assert [pd.Timestamp(t).strftime("%H:%M") for t in parts.part_start] == ["08:30", "12:30"]
    # each experiment's unit-day rows equal the ones made from the events, on every engine
    for plan in (plan_a, plan_b):
        units = exposure_sql.units(plan, END, from_table=True)
        for source in plan.fact_sources:
            got = wh.query(f"SELECT * FROM {table(plan.schema, plan.table_name(f'user_level_aggregations_{source}'))}")
            expected = wh.query(metric_sql.user_level_aggregations(plan, source, [FULL], units))
            assert len(got) > 0
            pd.testing.assert_frame_equal(normalized(got), normalized(expected[list(got.columns)]),
                                          check_dtype=False, rtol=1e-12, obj=f"{plan.id} {source}")


def test_a_run_rewrites_shared_days_written_before_it_was_requested(engine):
    raw = fixtures.raw_tables()
    wh, plan_a = engine.setup(raw, edit=with_exp_b)
    plan_b = ExperimentPlan(plan_a.config, plan_a.config.experiment("exp_b"))
    unit_days(wh, plan_a, FULL)
    unit_days(wh, plan_b, FULL)
    requested_before_the_late_row = dt.datetime.now(dt.timezone.utc)
    engine.replace_raw(_raw_with_late_order(raw))
    day = DayRange(DAYS[1], DAYS[2])

    def orders_of_x_pre(plan) -> int:
        frame = wh.query(f"SELECT * FROM {table(plan.schema, plan.table_name('user_level_aggregations_orders'))}")
        return int(frame[(frame.unit_id == "x_pre") & (pd.to_datetime(frame.event_date).dt.date == DAYS[1])]
                   ["orders"].iloc[0])

    # a run requested before the late row arrived reuses what exp_a's run wrote after that
    wh.reuse_since = requested_before_the_late_row - dt.timedelta(hours=1)
    reused = unit_days(wh, plan_b, day)["user_level_aggregations_orders"]
    assert reused.side_writes == [] and orders_of_x_pre(plan_b) == 1  # x_pre's one order after its exposure
    # a run requested after it rewrites the day first, and counts the late order
    wh.reuse_since = None  # outside Dagster: each session's start
    rebuilt = unit_days(wh, plan_b, day)["user_level_aggregations_orders"]
    assert [sorted(w.rows_by_day) for w in rebuilt.side_writes] == [[DAYS[1]]]
    assert orders_of_x_pre(plan_b) == 2


@pytest.mark.parametrize("engine", ["duckdb"], indirect=True)
def test_one_dagster_run_of_both_records_each_shared_day_once_and_no_source_rows_for_the_second(engine):
    wh, plan_a = engine.setup(fixtures.raw_tables(), edit=with_exp_b)
    defs = build_definitions(plan_a.config)
    graph = defs.get_repository_def().asset_graph
    shared_keys = {k for k in graph.get_all_asset_keys() if k.path[0] == "shared_facts"}
    assert shared_keys == {dg.AssetKey(["shared_facts", "source_days_orders"]),
                           dg.AssetKey(["shared_facts", "source_days_views"])}
    # the shared assets sit upstream of both experiments' unit-day rows, outside their groups
    orders = dg.AssetKey(["shared_facts", "source_days_orders"])
    assert {k.path[0] for k in graph.get(orders).child_keys} == {"exp_a", "exp_b"}
    assert graph.get(orders).group_name == "shared_facts"
    specs = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition)]
    result = dg.materialize(
        specs, instance=dg.DagsterInstance.ephemeral(), resources=defs.resources,
        selection=dg.AssetSelection.groups("exp_a", "exp_b"),
        tags={"dagster/asset_partition_range_start": str(START), "dagster/asset_partition_range_end": str(END)})
    assert result.success
    events = result.get_asset_materialization_events()
    shared = sorted((e.asset_key.path[1], e.partition) for e in events if e.asset_key.path[0] == "shared_facts")
    assert shared == sorted((f"source_days_{s}", str(d)) for s in ("orders", "views") for d in DAYS)

    def raw_rows(experiment: str, source: str) -> int:
        last = next(e.materialization for e in events if e.partition == str(END)
                    and e.asset_key == dg.AssetKey([experiment, f"user_level_aggregations_{source}"]))
        return last.metadata["run.rows_scanned_sources"].value

    assert [raw_rows(e, s) for e in ("exp_a", "exp_b") for s in ("orders", "views")] == [0, 0, 0, 0]


@pytest.mark.parametrize("engine", ["duckdb"], indirect=True)
def test_a_source_shares_its_facts_only_when_asked(engine):
    """A source without `shared_facts: true` has no shared table: its experiments
    read its events themselves (no shared asset, none upstream of their unit-day
    rows). Switching the option changes no code version of theirs: the rows are the same."""
    asked = {}

    def orders_not_shared(text: str) -> str:
        asked["text"] = with_exp_b(text)
        assert asked["text"].count("timestamp: ts, shared_facts: true}") == 1  # the orders source's
        return asked["text"].replace("timestamp: ts, shared_facts: true}", "timestamp: ts}")

    wh, plan_a = engine.setup(fixtures.raw_tables(), edit=orders_not_shared)
    config, shared_config = plan_a.config, parse_config(asked["text"], "shared.yaml")
    assert [s.source for s in shared_sources(config)] == ["views"]
    graph = build_definitions(config).get_repository_def().asset_graph
    assert {k for k in graph.get_all_asset_keys() if k.path[0] == "shared_facts"} == {
        dg.AssetKey(["shared_facts", "source_days_views"])}
    assert graph.get(dg.AssetKey(["exp_a", "user_level_aggregations_orders"])).parent_keys == {
        dg.AssetKey(["exp_a", "first_exposures"])}
    for experiment in ("exp_a", "exp_b"):
        own, shared = (ExperimentPlan(c, c.experiment(experiment)) for c in (config, shared_config))
        assert {a.name: a.code_version for a in own.artifacts} == {a.name: a.code_version for a in shared.artifacts}

    written = unit_days(wh, plan_a, FULL)
    orders, views = written["user_level_aggregations_orders"], written["user_level_aggregations_views"]
    assert orders.side_writes == [] and orders.rows_scanned["raw.orders"] > 0
    assert [w.table.rsplit(".", 1)[-1] for w in views.side_writes] == ["source_days_views"]
    assert not wh.table_exists("source_days_orders")
