"""The Dagster side: definitions load, one group/job/schedule per experiment, and a
single-run partition range through Dagster writes what the steps write."""

from __future__ import annotations

import importlib
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from exp_assets import steps
from exp_assets.assets import job_name
from exp_assets.automation.refresh import RANGE_END, RANGE_START
from exp_assets.config import load_config
from exp_assets.days import ONE_DAY, DayRange
from exp_assets.definitions import build_definitions
from exp_assets.plan import ExperimentPlan
from exp_assets.stats.contract import RESULT_COLUMN_MEANINGS, RESULT_COLUMNS
from exp_assets_tests import fixtures
from exp_assets_tests.fixtures import DAYS, END, START
from exp_assets_tests.test_engines import EVERYTHING, with_metric_dimensions


def test_module_definitions_load_every_experiment(monkeypatch):
    monkeypatch.delenv("EXP_ASSETS_CONFIG", raising=False)
    module = importlib.reload(importlib.import_module("exp_assets.definitions"))
    repo = module.defs().get_repository_def()
    config = load_config()
    graph = repo.asset_graph
    for experiment in config.experiments:
        plan = ExperimentPlan(config, experiment)
        job = repo.get_job(job_name(plan))
        assert job.partitions_def.get_first_partition_key() == str(experiment.start_date)
        assert repo.get_schedule_def(f"{plan.id}_daily").job_name == job.name
        keys = {k for k in graph.get_all_asset_keys() if k.path[0] == plan.id}
        assert {k.path[1] for k in keys} == {a.name for a in plan.artifacts} | {"report"}
        # the report: one page of the whole experiment, after its results, in the same job
        report = graph.get(dg.AssetKey([plan.id, "report"]))
        assert report.partitions_def is None and report.group_name == plan.id
        assert {k.path[1] for k in report.parent_keys} == {f"results_{r}" for r in ROLLUPS_NAMES}
        # each asset's own code version (what marks it stale), none shared: their changes are tested below
        versions = [graph.get(key).code_version for key in keys - {report.key}]
        assert all(versions) and len(set(versions)) == len(versions)
        for key in keys - {report.key}:
            node = graph.get(key)
            assert node.group_name == plan.id
            assert node.backfill_policy == dg.BackfillPolicy.single_run()
            assert node.partitions_def.get_first_partition_key() == str(experiment.start_date)
            # results assets are marked out in the asset graph and the catalog
            results = key.path[1].startswith("results_")
            assert node.kinds == ({config.warehouse.type, "results"} if results else {config.warehouse.type}), key
    # experiments with different start dates get their own partitions
    starts = {str(e.start_date) for e in config.experiments}
    assert len(starts) == len(config.experiments) == 3


ROLLUPS_NAMES = ("cumulative", "daily", "7day", "days_since_exposure")


def code_versions(config) -> dict[str, str]:
    """Each partitioned asset's code version as Dagster holds it (what marks an asset stale)."""
    graph = build_definitions(config).get_repository_def().asset_graph
    versions = {key.path[1]: graph.get(key).code_version for key in graph.get_all_asset_keys()
                if key.path[1] != "report"}
    assert versions and all(versions.values())
    return versions


def test_a_metric_direction_changes_no_code_version(tmp_path):
    """higher_is_better only colours the report: flipping it leaves every asset fresh."""
    from exp_assets.config import parse_config

    base = fixtures.config_text(tmp_path / "w.duckdb")
    edited = base.replace("{name: orders, source: orders, type: count}",
                          "{name: orders, source: orders, type: count, higher_is_better: false}")
    config = parse_config(edited)
    assert code_versions(parse_config(base)) == code_versions(config)
    after = ExperimentPlan(config, config.experiments[0])
    assert not next(m for m in after.result_metrics if m.name == "orders").higher_is_better
    assert next(m for m in after.result_metrics if m.name == "revenue").higher_is_better


def test_code_version_changes_only_for_the_edited_metric(tmp_path):
    base = fixtures.config_text(tmp_path / "w.duckdb")
    edited = base.replace('filter: "amount > 50"', 'filter: "amount > 60"').replace(
        "{name: views, source: views, type: count}", "{name: views, source: views, type: proportion}")
    from exp_assets.config import parse_config

    before, after = code_versions(parse_config(base)), code_versions(parse_config(edited))
    assert before.keys() == after.keys()
    changed = {name for name in before if before[name] != after[name]}
    # unit_totals keeps event counts for count and proportion metrics alike, so it is not stale;
    # the shared facts of both sources hold the edited metrics' columns
    assert changed == {
        "source_days_orders", "source_days_views",
        "user_level_aggregations_orders", "user_level_aggregations_views", "rollup_cells", "rollup_moments",
        "results_cumulative", "results_daily", "results_7day", "results_days_since_exposure",
    }


@pytest.fixture
def fixture_project(tmp_path):
    db = tmp_path / "wh.duckdb"
    fixtures.write_raw(db, fixtures.raw_tables())
    return db, fixtures.make_config(db, winsorize="{upper: 0.9}")


def test_single_run_range_through_dagster_matches_steps(tmp_path, fixture_project):
    db, config = fixture_project
    defs = build_definitions(config)
    plan = ExperimentPlan(config, config.experiments[0])
    result = defs.resolve_job_def(job_name(plan)).execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        tags={"dagster/asset_partition_range_start": str(START), "dagster/asset_partition_range_end": str(END)},
    )
    assert result.success
    # one run: every asset materialized once per day of the range, the report once, and the
    # shared facts of both sources once a day (the run wrote them on the way to its unit-day rows)
    events = result.get_asset_materialization_events()
    shared = [e for e in events if e.asset_key.path[0] == "shared_facts"]
    assert sorted((e.asset_key.path[1], e.partition) for e in shared) == sorted(
        (f"source_days_{s}", str(d)) for s in ("orders", "views") for d in DAYS)
    rows = fixtures.output_tables(db)["source_days_orders"]
    assert sum(e.materialization.metadata["rows_written"].value for e in shared
               if e.asset_key.path[1] == "source_days_orders") == len(rows)
    materializations = [e for e in events if e.asset_key.path[0] == "exp_a"]
    assert len(materializations) == len(plan.artifacts) * len(DAYS) + 1
    report = next(e.materialization for e in materializations if e.asset_key.path[1] == "report")
    assert Path(report.metadata["report_file"].value).name == "exp_a.html"
    assert Path(report.metadata["report_file"].value).exists()
    def last_day(artifact: str):  # the range's last day's event, which also carries the run's figures
        return next(e.materialization for e in materializations
                    if e.asset_key == dg.AssetKey(["exp_a", artifact]) and e.partition == str(END))

    md = last_day("results_cumulative").metadata
    assert md["run.rows_written"].value == len(DAYS) * 5 * 2 * (1 + 3)  # overall + 3 countries
    assert md["dagster/partition_row_count"].value == 5 * 2 * (1 + 3)
    assert md["run.days"].value == f"{START}..{END}"
    assert "| revenue | secondary | treatment |" in md["scorecard"].value
    assert md["run.rows_scanned_sources"].value == 0
    caps = md["winsorization_caps"].value
    assert set(caps) == {"revenue.upper"} and caps["revenue.upper"] > 0
    # numbers under stable keys, equal to the published results table's latest day
    published = fixtures.output_tables(db)["exp_a_results_cumulative"]
    latest = published[(published.as_of_date == pd.Timestamp(END)) & (published.dimension == "overall")]
    revenue = latest[(latest.metric == "revenue") & (latest.variant == "treatment")].iloc[0]
    # rounded to 4 significant digits (17-digit floats read badly; the table keeps them)
    assert md["revenue / treatment / rel_effect"].value == pytest.approx(revenue.rel_effect, rel=5e-4)
    assert md["revenue / treatment / p_value_adjusted"].value == pytest.approx(revenue.p_value_adjusted, rel=5e-4)
    assert md["units.treatment"].value == revenue.units
    # the srm check's own always-valid p-value of that day (one SRM test everywhere)
    srm = next(e for e in result.get_asset_check_evaluations() if e.check_name == "srm")
    assert md["srm_p_value"].value == pytest.approx(srm.metadata["p_value"].value, rel=5e-4)
    assert md["as_of_date"].value == str(END)
    assert list(md)[:2] == ["scorecard", "verdicts"]  # the UI lists metadata in this order
    verdicts = md["verdicts"].value.splitlines()  # one line (a list item) per metric and treatment
    assert len(verdicts) == 5 and all(line.startswith("- ") and line.split(":")[0].endswith(" / treatment")
                                      for line in verdicts)
    plot = md["scorecard"].value.split("```")[1]  # the forest plot, in the scorecard's dialog
    assert plot.count("●") == 5 and ("│" in plot or "┿" in plot)  # an estimate per metric, zero marked
    assert len(md["scorecard"].value) >= 1000  # the UI inlines shorter markdown, clipping a wide table
    schema = {c.name: c for c in md["dagster/column_schema"].schema.columns}
    assert schema["rel_effect"].type == "DOUBLE" and schema["as_of_date"].type == "DATE" and len(schema) == 29
    # the results contract's columns each say what they mean
    assert {name: c.description for name, c in schema.items()} == RESULT_COLUMN_MEANINGS
    assert all(meaning.strip() for meaning in RESULT_COLUMN_MEANINGS.values())
    # every column of every table says what it holds (the artifacts' declared column docs)
    for artifact in plan.artifacts:
        columns = last_day(artifact.name).metadata["dagster/column_schema"].schema.columns
        assert columns and all(c.description and c.description.strip() for c in columns), artifact.name
    totals = {c.name: c.description for c in last_day("unit_totals").metadata["dagster/column_schema"].schema.columns}
    assert totals["unit_id"] == "The unit (the assignment source's unit_id)."
    assert totals["revenue"].startswith("A dimension at first exposure; a metric's running value")
    # days since exposure: every row it describes says which k it is
    dse = last_day("results_days_since_exposure").metadata
    assert "- revenue / treatment, k = 0: " in dse["verdicts"].value
    assert all(", k = " in line for line in dse["verdicts"].value.splitlines())
    assert "revenue / treatment, k = 0 " in dse["scorecard"].value and "| treatment, k = 0 |" in dse["scorecard"].value
    assert dse["scorecard"].value.startswith("**exp_a** — days_since_exposure results")
    assert {k.split(" / ")[2] for k in dse if k.startswith("revenue / treatment / ")} <= {"k = 0", "k = 1", "k = 7"}
    assert "revenue / treatment / k = 0 / rel_effect" in dse
    # the experiment's unit-day rows come from the shared facts, which read the source
    ula = last_day("user_level_aggregations_orders")
    assert set(ula.metadata["run.rows_scanned_by_table"].value) == {"exp.source_days_orders", "exp.exp_a_first_exposures"}
    assert "FROM \"exp\".\"source_days_orders\"" in ula.metadata["sql"].value
    facts = next(e.materialization for e in shared if e.asset_key.path[1] == "source_days_orders"
                 and e.partition == str(END))
    assert facts.metadata["run.rows_scanned_by_table"].value["raw.orders"] > 0

    ref = tmp_path / "ref.duckdb"
    fixtures.write_raw(ref, fixtures.raw_tables())
    ref_config = fixtures.make_config(ref, winsorize="{upper: 0.9}")
    steps.materialize_all(fixtures.warehouse(ref), ExperimentPlan(ref_config, ref_config.experiments[0]),
                          DayRange(START, DAYS[-1] + (DAYS[1] - DAYS[0])))
    expected, got = fixtures.output_tables(ref), fixtures.output_tables(db)
    assert expected.keys() == got.keys()
    for name in expected:
        pd.testing.assert_frame_equal(expected[name], got[name], obj=name)


def test_one_partition_through_dagster_materialize(fixture_project):
    db, config = fixture_project
    defs = build_definitions(config)
    assets = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition)]
    result = dg.materialize(assets, partition_key=str(START), resources={"warehouse": defs.resources["warehouse"]})
    assert result.success
    firsts = fixtures.output_tables(db)["exp_a_first_exposures"]
    assert set(firsts.first_exposure_date.dt.date) == {START}


def test_a_late_day_built_alone_says_its_history_is_derived(fixture_project):
    """A late partition materialized before the days ahead of it warns in the run's
    log that the steps derive those days from the raw data (slow at scale);
    once they are built, the same partition's run says nothing of it."""
    db, config = fixture_project
    defs = build_definitions(config)
    assets = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition)]

    def warnings(**run) -> list[str]:
        with dg.DagsterInstance.ephemeral() as instance:
            result = dg.materialize(assets, resources={"warehouse": defs.resources["warehouse"]}, instance=instance,
                                    **run)
            assert result.success
            return [e.user_message for e in instance.all_logs(result.run_id) if "are not built" in e.user_message]

    [warning] = warnings(partition_key=str(DAYS[-1]))
    assert warning.startswith(f"{len(DAYS) - 1} earlier day(s) of exp_a are not built ({START}..{DAYS[-2]}): "
                              "the steps derive them from the raw data")
    assert f"the whole range from {START} as one backfill" in warning
    assert warnings(partition_key=str(START)) == []  # nothing before the start
    assert warnings(tags={RANGE_START: str(DAYS[1]), RANGE_END: str(DAYS[-2])}) == []  # built in order
    assert warnings(partition_key=str(DAYS[-1])) == []


def test_the_readme_lists_the_results_contract_with_the_column_descriptions():
    """The README's contract table and the UI's column descriptions say the same (one source)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    rows = [line for line in readme.splitlines() if line.startswith("| `") and line.count("|") == 4]
    listed = {line.split("|")[1].strip().strip("`"): (line.split("|")[2].strip(), line.split("|")[3].strip())
              for line in rows if line.split("|")[1].strip().strip("`") in RESULT_COLUMNS}
    assert listed == {c: (RESULT_COLUMNS[c], meaning) for c, meaning in RESULT_COLUMN_MEANINGS.items()}


def _version_configs():
    """Configs covering every artifact family: funnels, ratios, CUPED, metric dimensions, the demo."""
    db = Path("/nonexistent/w.duckdb")
    funnels = [*fixtures.METRICS, "revenue_per_order", "orders_per_view", "orders_first_2d", "revenue_hours_6_to_30",
               "shop_funnel", "order_after_exposure"]
    yield "fixture_exclude", fixtures.config_text(db)
    yield "fixture_include_cuped", fixtures.config_text(db, "first", cuped_days=7, winsorize="{upper: 0.9}")
    yield "fixture_dimensions_cuped", fixtures.config_text(db, cuped_days=3, stats="    dimension_top_n: 2").replace(
        "{name: revenue, source: orders, type: sum, column: amount}",
        "{name: revenue, source: orders, type: sum, column: amount, dimensions: [category]}",
    ).replace("{name: purchased, source: orders, type: proportion}",
              "{name: purchased, source: orders, type: proportion, dimensions: [category]}")
    yield "fixture_funnels_ratios", fixtures.config_text(db, cuped_days=2, metrics=funnels)
    yield "everything", with_metric_dimensions(fixtures.config_text(db, "first", **EVERYTHING))
    yield "demo", (Path(__file__).parents[1] / "exp_assets" / "demo" / "demo.yaml").read_text()


def test_code_versions_are_those_recorded_before_the_artifact_registry():
    """Every artifact's code version, byte for byte, as computed before the
    artifacts were declared in one registry and the metric kinds split into
    modules: no partition written then goes stale. (The decisions and
    rollup_cells artifacts came later: they have no recorded version. The
    fixture configs' unit_totals differ on purpose: they keep a snapshot every
    3 days; the default, one every day, hashes as before. pre_exposure_covariates
    changed on purpose in the fourteenth session, its rows carrying the unit's
    variant for the balance check: those entries alone were recorded anew.)"""
    import json

    from exp_assets.artifacts import DECISIONS, ROLLUP_CELLS

    from exp_assets.config import parse_config

    recorded = json.loads((Path(__file__).parent / "golden" / "code_versions.json").read_text())
    now = {}
    for name, text in _version_configs():
        config = parse_config(text, f"{name}.yaml")
        for experiment in config.experiments:
            plan = ExperimentPlan(config, experiment)
            now[f"{name}/{plan.id}"] = {a.name: plan.code_version(a.name) for a in plan.artifacts
                                        if a.family not in (DECISIONS, ROLLUP_CELLS)}
    assert now == recorded


def test_a_metric_refresh_includes_the_slices_of_a_metric_with_dimensions(tmp_path):
    """A metric broken down by a column is hashed by its sliced aggregations too:
    refreshing it reruns them (and everything downstream), not its other slices' sources."""
    from exp_assets.config import parse_config

    text = fixtures.config_text(tmp_path / "w.duckdb").replace(
        "{name: revenue, source: orders, type: sum, column: amount}",
        "{name: revenue, source: orders, type: sum, column: amount, dimensions: [category]}")
    config = parse_config(text)
    plan = ExperimentPlan(config, config.experiments[0])
    assert plan.artifacts_using("revenue") == [
        "user_level_aggregations_orders", "user_level_aggregations_orders_by_category", "unit_totals",
        "rollup_cells", "rollup_moments", "results_cumulative", "results_daily", "results_7day", "results_days_since_exposure"]
    assert plan.artifacts_using("views") == [
        "user_level_aggregations_views", "unit_totals",
        "rollup_cells", "rollup_moments", "results_cumulative", "results_daily", "results_7day", "results_days_since_exposure"]


def test_a_step_the_warehouse_turns_away_runs_again_and_succeeds(tmp_path, fixture_project, monkeypatch):
    """WarehouseBusy (a conflicting transaction: nothing written) makes Dagster run
    the step again; the retry writes the day as a first attempt would have."""
    from exp_assets.artifacts import FIRST_EXPOSURES
    from exp_assets.assets import factory
    from exp_assets.warehouse.base import WarehouseBusy

    db, config = fixture_project
    attempts = []
    write = steps.STEPS[FIRST_EXPOSURES]

    def busy_once(wh, plan, window):
        attempts.append(window)
        if len(attempts) == 1:
            raise WarehouseBusy("a concurrent transaction touched the table")
        return write(wh, plan, window)

    monkeypatch.setitem(steps.STEPS, FIRST_EXPOSURES, busy_once)
    monkeypatch.setitem(factory.BUSY_RETRIES, "duckdb", 2)
    monkeypatch.setattr(factory, "BUSY_WAIT_SECONDS", 0.01)
    plan = ExperimentPlan(config, config.experiments[0])
    result = build_definitions(config).resolve_job_def(job_name(plan)).execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), partition_key=str(START),
        asset_selection=[dg.AssetKey(["exp_a", "first_exposures"])])
    assert result.success and len(attempts) == 2
    assert [e.event_type_value for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"] == [
        "STEP_UP_FOR_RETRY"]
    ledger = fixtures.warehouse(db).written_partitions(plan.table_name("first_exposures"), START, START + ONE_DAY)
    assert list(ledger.partition_date) == [START] and ledger.row_count.iloc[0] > 0


def test_duckdb_steps_are_not_retried_beyond_the_lock_wait(tmp_path):
    """DuckDB's lock layer waits lock_timeout, the documented bound: no retry multiplies it."""
    from exp_assets.assets.factory import busy_retries

    assert busy_retries(fixtures.make_config(tmp_path / "w.duckdb")) == 0


def test_rollup_cells_columns_are_described_by_their_names():
    """The UI's column schema of rollup_cells says what each generated column holds,
    a funnel step's value (with __ in its name) included."""
    from exp_assets.artifacts import ROLLUP_CELLS

    meaning = ROLLUP_CELLS.column_meaning
    assert meaning("dv_1").startswith("The value at first exposure of exposure dimension 1 ")
    assert meaning("s__v7_revenue__x_revenue").startswith("The sum over the cell's units of v7_revenue times x_revenue ")
    assert meaning("s__v_shop_funnel__big") == ("The sum over the cell's units of the unit value v_shop_funnel__big, "
                                                "winsorized where capped.")
    assert meaning("n__v1_orders") == "The cell's units whose value v1_orders is not 0."
    assert meaning("v_revenue_upper") == "The day's upper winsorization cap of the unit value v_revenue."
    assert meaning("n") == "Eligible units in the cell."
