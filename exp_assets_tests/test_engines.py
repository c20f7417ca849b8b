"""The pipeline on all three engines: DuckDB, Snowflake (fakesnow) and BigQuery
(bqemulator). The same demo data gives the same tables everywhere; the SQL each
engine is sent is pinned by golden files and linted against functions the real
engines reject (both emulators run on DuckDB and accept DuckDB-only SQL)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from pathlib import Path

import pandas as pd
import pytest
import sqlglot
from sqlglot import exp

from exp_assets import steps
from exp_assets.artifacts import snapshot_day, unit_day_family
from exp_assets.config import ConfigError, parse_config
from exp_assets.days import DayRange
from exp_assets.metrics import kind_of
from exp_assets.shared_facts import shared_sources
from exp_assets.plan import ROLLUPS, ExperimentPlan
from exp_assets.sql import cells as cells_sql
from exp_assets.sql import checks as check_sql
from exp_assets.sql import dialects, freshness
from exp_assets.sql import exposures as exposure_sql
from exp_assets.sql import metrics as metric_sql
from exp_assets.sql import results as results_sql
from exp_assets.sql import unit_state as unit_state_sql
from exp_assets.quoting import date_literal, ident, table
from exp_assets.assets.resources import resource_for, warehouse_from_resource
from exp_assets.warehouse.base import LEDGER_TABLE
from exp_assets.warehouse.remote import copy_from_duckdb
from exp_assets_tests import fixtures, reference
from exp_assets_tests.engines import ENGINES, assert_same_tables, fakesnow_server, microsecond_raw, with_warehouse
from exp_assets_tests.fixtures import DAYS, END, START

FULL = DayRange(START, END + dt.timedelta(days=1))
pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result:UserWarning")
GOLDEN = Path(__file__).parent / "golden"
UPDATE = "EXP_ASSETS_UPDATE_GOLDEN"

EVERYTHING = dict(  # every table and feature: CUPED, winsorization, ratios, windows, funnels
    cuped_days=2, winsorize="{lower: 0.05, upper: 0.95}",
    metrics=[*fixtures.METRICS, "revenue_per_order", "orders_per_view", "orders_first_2d", "revenue_hours_6_to_30",
             "shop_funnel", "order_after_exposure"],
)


CATEGORIES = ["books", "games", "food", "toys", "books", "food", "books"]


def with_metric_dimensions(text: str) -> str:
    """Revenue and purchases also broken down by the orders' category (metric dimensions)."""
    for metric in ("{name: revenue, source: orders, type: sum, column: amount",
                   "{name: purchased, source: orders, type: proportion"):
        assert metric in text
        text = text.replace(metric, metric + ", dimensions: [category]", 1)
    return text


@pytest.fixture(scope="module")
def raw():
    tables = microsecond_raw(fixtures.raw_tables())
    orders = tables["orders"]
    orders["category"] = [None if i % 11 == 0 else CATEGORIES[i % len(CATEGORIES)] for i in range(len(orders))]
    return tables


# --- golden SQL and lint ------------------------------------------------------------------


def golden_plan(**options) -> ExperimentPlan:
    """The plan of the golden SQL: EVERYTHING, with `options` instead where given."""
    config = parse_config(with_metric_dimensions(fixtures.config_text(Path("warehouse.duckdb"),
                                                                      **{**EVERYTHING, **options})))
    return ExperimentPlan(config, config.experiments[0])


@functools.cache
def golden_statements() -> dict[str, str]:
    """The SQL of every step and check, built by the SQL builders for the fixture
    config over fixed windows (both the fast path reading derived tables and
    the path deriving them from raw data)."""
    plan = golden_plan()
    window = DayRange(DAYS[1], DAYS[3])  # two days after the start
    start_window = DayRange(START, DAYS[2])
    units = exposure_sql.units(plan, window.last, from_table=True)
    derived_units = exposure_sql.units(plan, window.last, from_table=False)

    def read(artifact: str, columns: list[str], days: DayRange) -> str:
        col = ident(columns[0])
        return (f"SELECT {', '.join(ident(c) for c in columns)} FROM {table(plan.schema, plan.table_name(artifact))} "
                f"WHERE {col} >= {date_literal(days.start)} AND {col} < {date_literal(days.end)}")

    def totals(columns: list[str], days: DayRange) -> str:  # every unit's unit_totals on each day
        return unit_state_sql.unit_state(table(plan.schema, plan.table_name("unit_totals")),
                                         {d: snapshot_day(plan, d) for d in days.days}, columns[2:])

    sql = {
        "first_exposures_start": exposure_sql.first_exposures(plan, start_window, None),
        "first_exposures": exposure_sql.first_exposures(
            plan, window, exposure_sql.earlier_units(plan, window, from_table=True)),
        "first_exposures_derived": exposure_sql.first_exposures(
            plan, window, exposure_sql.earlier_units(plan, window, from_table=False)),
        "units_derived": derived_units,
        "multiple_variant_units": exposure_sql.multiple_variant_units(plan, window, units),
        "exposures_summary": exposure_sql.exposures_summary(plan, window, units),
    }
    daily = {}
    for source in plan.fact_sources:
        sql[f"user_level_aggregations_{source}"] = metric_sql.user_level_aggregations(plan, source, [window], units)
        sql[f"pre_exposure_covariates_{source}"] = metric_sql.pre_exposure_covariates(plan, source, window, units)
        names = [m.name for m in plan.metrics_of(source)]
        daily[f"user_level_aggregations_{source}"] = (
            read(f"user_level_aggregations_{source}", ["event_date", "unit_id", *names], window), names)
    for metric in plan.own_table_metrics:  # funnels: funnel_events_<name>
        own = unit_day_family(kind_of(metric)).name(metric.name)
        sql[own] = metric_sql.own_unit_days(plan, metric, [window], units)
        names = [c.name for c in kind_of(metric).state(metric)]
        daily[own] = (read(own, ["event_date", "unit_id", *names], window), names)
    running = [c.name for c in plan.running_columns]
    carried = running + [c.name for c in plan.covariate_columns]

    def covariates(days: DayRange) -> str:
        return metric_sql.combine_sources(plan, {
            s: (read(f"pre_exposure_covariates_{s}", ["first_exposure_date", "unit_id", *(m.name for m in plan.metrics_of(s))],
                     days), [m.name for m in plan.metrics_of(s)])
            for s in plan.fact_sources
        }, ["unit_id"], [c for c in plan.running_columns if c.combine == "SUM"])

    base = totals(["as_of_date", "unit_id", *carried], DayRange(START, DAYS[1]))
    sql["unit_totals"] = metric_sql.unit_totals(plan, window, units, daily, base, window.start, covariates(window))
    next_day = DayRange(DAYS[1], DAYS[2])  # the daily update: the snapshot before it plus its day
    snapshot = totals(["as_of_date", "unit_id", *metric_sql.unit_totals_columns(plan)],
                    DayRange(START, DAYS[1]))
    sql["unit_totals_next_day"] = metric_sql.unit_totals(plan, next_day, units, daily, snapshot, next_day.start,
                                                         covariates(next_day))
    # the partition of a day between snapshots: the units with day rows, and those first exposed
    assert snapshot_day(plan, next_day.start) < next_day.start
    sql["unit_totals_changes"] = metric_sql.unit_totals(plan, next_day, units, daily, snapshot, next_day.start,
                                                        covariates(next_day), snapshot_days=[])
    sql["unit_totals_from_start"] = metric_sql.unit_totals(plan, window, derived_units, daily, None, START,
                                                           covariates(DayRange(START, window.end)))
    current = totals(["as_of_date", "unit_id", "variant", "first_exposure_ts", "first_exposure_date",
                                   *plan.assignment_source.dimensions, *carried], window)
    crossovers = read("multiple_variant_units", ["exposure_date", "unit_id"], DayRange(START, window.end))
    sliced = {}
    for source, column in plan.metric_dimensions:
        sql[f"user_level_aggregations_{source}_by_{column}"] = metric_sql.user_level_aggregations(
            plan, source, [window], units, column)
        sliced[(source, column)] = read(
            f"user_level_aggregations_{source}_by_{column}",
            ["event_date", "unit_id", "dimension_value", *(m.name for m in plan.metrics_by(source, column))],
            DayRange(START, window.end))
    assert sliced, "the golden config has metric dimensions"
    for rollup in ROLLUPS:
        if not rollup.by_days_since_exposure:
            sql[f"sliced_statistics_{rollup.name}"] = results_sql.sliced_statistics(
                plan, window, rollup, current, sliced, crossovers)
    earlier = {}
    for days in (1, 7):  # None: the rollup's window starts before the experiment
        back = dt.timedelta(days=days)
        span = DayRange(max(window.start - back, START), max(window.end - back, START))
        earlier[days] = totals(["as_of_date", "unit_id", "first_exposure_ts", *running], span) if span else None
    sql["full_cells"] = cells_sql.full_cells(plan, window, current, earlier, crossovers)
    day = window.last  # a day's cells from the day before's and the units whose rows changed
    both = DayRange(day - dt.timedelta(days=1), day + dt.timedelta(days=1))
    unwinsorized = golden_plan(winsorize="")  # winsorized cells follow from no changes
    sql["delta_cells"] = cells_sql.delta_cells(
        unwinsorized, day,
        read("rollup_cells", cells_sql.CellSums(unwinsorized).columns(), DayRange(day - dt.timedelta(days=1), day)),
        f"SELECT unit_id FROM ({units}) AS u WHERE u.first_exposure_date = DATE '{day}'",
        totals(["as_of_date", "unit_id", "variant", "first_exposure_ts", "first_exposure_date",
                             *plan.assignment_source.dimensions, *carried], both),
        {days: totals(["as_of_date", "unit_id", "first_exposure_ts", *running],
                    DayRange(both.start - dt.timedelta(days=days), both.end - dt.timedelta(days=days)))
         for days in (1, 7)}, crossovers)
    cells = read("rollup_cells", cells_sql.CellSums(plan).columns(), window)
    sql["rollup_statistics"] = results_sql.rollup_statistics(plan, window, cells, crossovers)
    # with units crossing in the window: their earlier days-since-exposure contributions are retracted
    sql["earliest_retracted_day"] = results_sql.earliest_retracted_day(window, crossovers, units)
    history = totals(["as_of_date", "unit_id", "variant", "first_exposure_ts", "first_exposure_date",
                                   *carried], DayRange(START, window.last))
    sql["rollup_statistics_retracting"] = results_sql.rollup_statistics(
        plan, window, cells, crossovers, history,
        read("rollup_moments", results_sql.ROLLUP_MOMENTS_COLUMNS, DayRange(START, window.start)))
    moments = read("rollup_moments", results_sql.ROLLUP_MOMENTS_COLUMNS, DayRange(START, window.end))
    sql["summed_moments"] = results_sql.summed_moments(window, moments)
    sql["typed_results"] = results_sql.typed_results()
    sql["check_cumulative_units"] = check_sql.cumulative_units(plan, window)
    sql["check_crossed_and_exposed_units"] = check_sql.crossed_and_exposed_units(plan, window, units)
    now = dt.datetime(2026, 1, 8, 12, 0)  # the quality queries' "now", fixed
    sql["check_exposure_quality"] = check_sql.with_duplicates(
        check_sql.exposure_quality(plan, window, now)[0], check_sql.duplicate_rows(plan, plan.experiment.assignment_source, window))
    for source in plan.fact_sources:
        sql[f"check_fact_quality_{source}"] = check_sql.with_duplicates(
            check_sql.fact_quality(plan, source, window, now), check_sql.duplicate_rows(plan, source, window))
        sql[f"check_covariate_sums_{source}"] = check_sql.covariate_sums(plan, source, window.last)
    sql["check_results_overview"] = check_sql.results_overview(plan, "results_cumulative", window)
    columns = {"exposures": ["user_id", "experiment_id", "variant", "ts", "country"],
               "orders": ["user_id", "ts", "amount", "category"], "views": ["user_id", "ts"]}
    sql["freshness_changes"] = freshness.changes(plan, window, columns)
    return sql


def _golden_diff(dialect: str) -> list[str]:
    problems = []
    folder = GOLDEN / dialect
    statements = golden_statements()
    expected_files = {f"{name}.sql" for name in statements}
    for name, sql in statements.items():
        rendered = dialects.render(sql, dialect, pretty=True) + "\n"
        path = folder / f"{name}.sql"
        if os.environ.get(UPDATE):
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(rendered)
        elif not path.exists():
            problems.append(f"{path.name}: no golden file")
        elif path.read_text() != rendered:
            problems.append(f"{path.name}: differs")
    if folder.exists():
        for stale in sorted(p.name for p in folder.glob("*.sql") if p.name not in expected_files):
            if os.environ.get(UPDATE):
                (folder / stale).unlink()
            else:
                problems.append(f"{stale}: golden file of no statement")
    return problems


@pytest.mark.parametrize("dialect", ENGINES)
def test_generated_sql_matches_golden_files(dialect):
    problems = _golden_diff(dialect)
    assert not problems, (
        f"generated {dialect} SQL changed: {problems}. If the change is intended, review and regenerate with "
        f"`{UPDATE}=1 pytest exp_assets_tests/test_engines.py -k golden`, then check the diff of "
        f"exp_assets_tests/golden/{dialect}/ (and that the lint still passes)."
    )


@pytest.mark.parametrize("dialect", ["snowflake", "bigquery"])
def test_rendered_sql_passes_the_lint(dialect):
    problems = {}
    for name, sql in golden_statements().items():
        found = dialects.lint(dialects.render(sql, dialect), dialect)
        if found:
            problems[name] = found
    assert not problems


@pytest.mark.parametrize(("sql", "dialect", "needle"), [
    ("SELECT MEDIAN(x) AS m FROM t", "bigquery", "MEDIAN"),
    ("SELECT TIME_TO_UNIX(ts) AS s FROM t", "bigquery", "TIME_TO_UNIX"),
    ("SELECT APPROX_QUANTILE(x, 0.5) AS q FROM t", "bigquery", "APPROX_QUANTILE"),
    ("SELECT EXTRACT(EPOCH FROM ts) AS s FROM t", "bigquery", "EPOCH"),
    ("SELECT PERCENTILE_CONT(x, 0.5) AS p FROM t GROUP BY k", "bigquery", "aggregate PERCENTILE_CONT"),
    ("SELECT 1 AS x WHERE FALSE", "bigquery", "without FROM"),
    ("SELECT CAST('2026-01-01' AS DATETIME) AS d", "bigquery", "DATETIME"),
    ("SELECT isfinite(x) AS f FROM t", "snowflake", "ISFINITE"),
    ("SELECT list(x) AS l FROM t", "snowflake", "LIST"),
    ("SELECT SUM(x) OVER w AS s FROM t WINDOW w AS (ORDER BY d)", "snowflake", "WINDOW"),
    ("SELECT some_new_function(x) AS y FROM t", "snowflake", "SOME_NEW_FUNCTION"),
])
def test_lint_rejects_what_the_real_engine_rejects(sql, dialect, needle):
    assert any(needle in problem for problem in dialects.lint(sql, dialect))


def test_plain_transpilation_fails_the_lint_where_a_rewrite_is_needed():
    """What sqlglot emits on its own for the statistics query is wrong for real
    BigQuery (aggregate PERCENTILE_CONT, DATETIME literals); the rendered SQL is not."""
    sql = golden_statements()["full_cells"]
    plain = sqlglot.transpile(sql, read="duckdb", write="bigquery")[0]
    problems = dialects.lint(plain, "bigquery")
    assert any("PERCENTILE_CONT" in p for p in problems)
    assert not dialects.lint(dialects.render(sql, "bigquery"), "bigquery")


def test_every_source_scan_filters_its_timestamp_and_names_its_columns():
    """So Snowflake clustering and BigQuery partitioning prune the days a step does
    not touch: every read of a source sits in a SELECT bounded on the source's
    timestamp column (both sides), and none selects * from a source."""
    source_tables = {"raw.exposures": "ts", "raw.orders": "ts", "raw.page_views": "ts"}
    checked = 0
    for name, sql in golden_statements().items():
        tree = sqlglot.parse_one(sql, read="duckdb")
        for source_table in tree.find_all(exp.Table):
            qualified = f"{source_table.db}.{source_table.name}"
            if qualified not in source_tables:
                continue
            select = source_table.find_ancestor(exp.Select)
            while select.args.get("where") is None:  # a user SELECT source: the select reading it filters
                select = select.find_ancestor(exp.Select)
            bounds = [
                type(c) for c in select.args["where"].find_all(exp.GTE, exp.LT)
                if isinstance(c.this, exp.Column) and c.this.name == source_tables[qualified]
            ]
            assert exp.GTE in bounds and exp.LT in bounds, f"{name}: {qualified} read without a timestamp window"
            assert not any(isinstance(e, exp.Star) for e in select.expressions), f"{name}: SELECT * from {qualified}"
            checked += 1
    assert checked > 20


# --- the same pipeline on every engine ----------------------------------------------------


@pytest.fixture(scope="module")
def duckdb_everything(raw, tmp_path_factory):
    """DuckDB's tables for the EVERYTHING config: the reference the other engines must match."""
    db = tmp_path_factory.mktemp("duckdb_reference") / "wh.duckdb"
    fixtures.write_raw(db, raw)
    config = parse_config(with_metric_dimensions(fixtures.config_text(db, **EVERYTHING)))
    steps.materialize_all(fixtures.warehouse(db), ExperimentPlan(config, config.experiments[0]), FULL)
    return fixtures.output_tables(db)


def test_results_equal_independent_computation_on_every_engine(engine, raw):
    """test_pipeline's core check on each engine: cumulative results against pandas."""
    wh, plan = engine.setup(raw)
    steps.materialize_all(wh, plan, FULL)
    everything = wh.query(f"SELECT * FROM {table(plan.schema, plan.table_name('results_cumulative'))}")
    assert len(everything) == len(DAYS) * 5 * 2 * (1 + 3)
    results = everything[everything.dimension == "overall"]
    for day in DAYS:
        expected = reference.expected_results(raw, START, day, "exclude").set_index("metric")
        got = results[pd.to_datetime(results.as_of_date) == pd.Timestamp(day)]
        treatment = got[got.variant == "treatment"].set_index("metric")
        for column in ["units", "mean", "control_mean", "abs_effect", "abs_ci_lower", "abs_ci_upper",
                       "rel_effect", "rel_ci_lower", "rel_ci_upper", "p_value"]:
            pd.testing.assert_series_equal(
                treatment.loc[expected.index, column].astype(float), expected[column].astype(float),
                check_names=False, rtol=1e-9, atol=1e-12,
            )


def test_every_table_equals_duckdb_and_rewrites_are_idempotent(engine, raw, duckdb_everything, monkeypatch):
    """Every output table of the full-featured config equals DuckDB's (to 1e-9),
    also after re-materializing a day in the middle (which must replace, not add).
    On Snowflake and BigQuery the first pass is the experiment's Dagster job over
    every day, with the resource `warehouse: {type: ...}` builds from environment
    variables: the run context's resource object reaches the adapter, and the
    asset checks run on the engine."""
    wh, plan = engine.setup(raw, edit=with_metric_dimensions, **EVERYTHING)
    assert plan.metric_dimensions
    if engine.name == "duckdb":
        steps.materialize_all(wh, plan, FULL)
    else:
        _run_job(engine, plan, monkeypatch)
    assert_same_tables(engine.tables(), duckdb_everything)
    reports = steps.materialize_all(wh, plan, DayRange(DAYS[2], DAYS[3]))
    assert_same_tables(engine.tables(), duckdb_everything)

    first = duckdb_everything["exp_a_first_exposures"]
    report = reports["first_exposures"]
    assert report.rows_written == (pd.to_datetime(first.first_exposure_date) == pd.Timestamp(DAYS[2])).sum() > 0
    if engine.name != "duckdb":
        cost = report.cost_metadata()
        assert cost["query_ids"], cost
        if engine.name == "snowflake":
            assert cost["rows_produced"] == report.rows_written
        else:
            assert "bytes_processed" in cost  # the emulator reports 0 bytes and no slot time
    ledger = wh.written_partitions(plan.table_name("unit_totals"), START, FULL.end)
    assert list(ledger.partition_date) == DAYS and (ledger.code_version == plan.code_version("unit_totals")).all()


def _run_job(engine, plan: ExperimentPlan, monkeypatch) -> None:
    import dagster as dg

    from exp_assets.assets import job_name
    from exp_assets.definitions import build_definitions

    if engine.name == "snowflake":  # fakesnow's patch is active: any account, user and password
        for name in ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_PASSWORD"):
            monkeypatch.setenv(name, "test")
        for name in ("SNOWFLAKE_HOST", "SNOWFLAKE_PORT", "SNOWFLAKE_PROTOCOL", "SNOWFLAKE_ROLE", "SNOWFLAKE_WAREHOUSE",
                     "SNOWFLAKE_PRIVATE_KEY_PATH"):
            monkeypatch.delenv(name, raising=False)
    else:
        monkeypatch.setenv("BIGQUERY_PROJECT", "test-proj")
        monkeypatch.setenv("BIGQUERY_ENDPOINT", engine.emulator_endpoint)
        monkeypatch.delenv("BIGQUERY_CREDENTIALS_BASE64", raising=False)
    result = build_definitions(plan.config).resolve_job_def(job_name(plan)).execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        tags={"dagster/asset_partition_range_start": str(START), "dagster/asset_partition_range_end": str(END)},
    )
    assert result.success
    # every asset once per day of the range, the (unpartitioned) report once, the shared facts once a day
    assert len(result.get_asset_materialization_events()) == (
        len(plan.artifacts) + len(shared_sources(plan.config))) * len(DAYS) + 1


def test_a_failed_write_changes_nothing_and_leaves_no_staging_tables(engine, raw):
    wh, plan = engine.setup(raw)
    steps.first_exposures(wh, plan, FULL)
    name = plan.table_name("first_exposures")
    before = wh.query(f"SELECT COUNT(*) AS n FROM {table(plan.schema, name)}").n.iloc[0]
    ledger = wh.written_partitions(name, DAYS[0], DAYS[-1])
    # one row inside the window, one before it and one without a day (DuckDB inserts in place, then checks)
    outside = (f"SELECT 'u' AS unit_id, DATE '{DAYS[0]}' AS first_exposure_date UNION ALL "
               f"SELECT 'v', DATE '{DAYS[1]}' UNION ALL SELECT 'w', CAST(NULL AS DATE)")
    with pytest.raises(ValueError, match=r"2 rows have first_exposure_date outside .*nothing was written"):
        wh.replace_window(name, "first_exposure_date", DAYS[1], DAYS[2], outside, "v")
    after = wh.query(f"SELECT COUNT(*) AS n FROM {table(plan.schema, name)}").n.iloc[0]
    assert after == before
    pd.testing.assert_frame_equal(wh.written_partitions(name, DAYS[0], DAYS[-1]), ledger)
    # a first write (the table is created with its rows) is checked and undone the same way
    with pytest.raises(ValueError, match="2 rows have first_exposure_date outside"):
        wh.replace_window("new_table", "first_exposure_date", DAYS[1], DAYS[2], outside, "v")
    assert not wh.table_exists("new_table")
    if engine.name != "duckdb":
        assert not [t for t in wh.tables() if t.startswith(("_stage", "_frame"))]


def test_a_session_opens_one_connection_and_reads_each_ledger_once(engine, raw):
    """A run's steps share one session: one connection for every statement (a
    login on Snowflake, a client on BigQuery), the experiment's ledger read in
    one query and a table's again only after the session wrote it; a write that
    fails inside the session leaves its connection serving the next one."""
    wh, plan = engine.setup(raw)
    opened, ledger_reads = [], []
    new_connection, query = wh._new_connection, wh.query

    def counted_connection():
        opened.append(1)
        return new_connection()

    def counted_query(sql: str):
        if LEDGER_TABLE in sql:
            ledger_reads.append(sql)
        return query(sql)

    wh._new_connection, wh.query = counted_connection, counted_query
    window = DayRange(START, DAYS[1])
    name = plan.table_name("first_exposures")
    with wh.session():
        reports = steps.materialize_all(wh, plan, window)
        with pytest.raises(ValueError, match="outside"):
            wh.replace_window(name, "first_exposure_date", DAYS[0], DAYS[1],
                              f"SELECT 'u' AS unit_id, DATE '{DAYS[1]}' AS first_exposure_date", "v")
        steps.first_exposures(wh, plan, window)
        written = list(wh.written_partitions(name, START, FULL.end)["partition_date"])
    assert len(opened) == 1
    # one read of the experiment's ledger, then one of each table after its write
    assert 1 < len(ledger_reads) <= 1 + len(reports) + 1
    assert written == DAYS[:1]
    # outside a session, each step opens its own connection and reads the ledger again
    opened.clear(), ledger_reads.clear()
    first_steps = steps.ordered_steps(plan)[1:4]  # each reads the first exposures' ledger
    for _, step in first_steps:
        step(wh, window)
    assert len(opened) == len(first_steps) and len(ledger_reads) >= len(first_steps)


def test_a_forgotten_window_reads_as_missing_and_is_derived_again(engine, raw):
    """What a failed blocking check does to its window: the ledger drops it, so
    steps derive those days from the raw sources again."""
    wh, plan = engine.setup(raw)
    steps.first_exposures(wh, plan, FULL)
    name = plan.table_name("first_exposures")
    wh.forget_window(name, DAYS[1], DAYS[3])
    written = list(wh.written_partitions(name, START, FULL.end)["partition_date"])
    assert written == [d for d in DAYS if not DAYS[1] <= d < DAYS[3]]
    assert steps._missing_days(wh, plan, "first_exposures", FULL) == DAYS[1:3]
    # what automation reads: how many of the tables each day holds
    assert wh.tables_written_per_day([name, "never_written"], START, FULL.end) == {d: 1 for d in written}


def test_days_written_after_a_change_was_seen_read_as_rebuilt(engine, raw):
    """The new-data sensor takes the ledger's newest written_at as the moment it
    saw a change, keeps it in its cursor as text, and counts a day rebuilt once
    its rows were written after it: one clock, the warehouse's, on every engine."""
    from types import SimpleNamespace

    from exp_assets.automation.sensor import last_write, rebuilt_since

    wh, plan = engine.setup(raw)
    name = plan.table_name("first_exposures")
    steps.first_exposures(wh, plan, FULL)
    seen = json.loads(json.dumps(last_write(wh.ledger_rows([name], START, FULL.end))))
    steps.first_exposures(wh, plan, DayRange(DAYS[2], FULL.end))
    ledger = wh.ledger_rows([name], START, FULL.end)
    one_table = SimpleNamespace(artifacts=[name])
    keys = [str(d) for d in DAYS]
    assert rebuilt_since(ledger, one_table, {k: seen for k in keys}, keys) == set(keys[2:])


def test_an_updated_value_changes_only_its_days_fingerprint(engine, raw):
    """The sensor's per-day state sees an UPDATE that keeps the day's row count
    and latest timestamp (D10), on every engine."""
    from exp_assets.automation.sensor import changed_days, source_state

    wh, plan = engine.setup(raw)
    before = source_state(wh, plan, END)
    orders = plan.config.sources["orders"].table
    wh.execute(f"UPDATE {orders} SET amount = amount + 1 WHERE CAST(ts AS DATE) = DATE '{DAYS[1]}'")
    assert changed_days(before, source_state(wh, plan, END)) == {str(DAYS[1])}


# --- configuration: credentials only from the environment -----------------------------------


def test_yaml_holds_no_credentials_only_variable_names(tmp_path):
    text = fixtures.config_text(tmp_path / "wh.duckdb")
    with pytest.raises(ConfigError, match="warehouse.password: unknown field"):
        parse_config(with_warehouse(text, "{type: snowflake, database: DB, password: hunter2}"), "x.yaml")
    with pytest.raises(ConfigError, match="warehouse.account_env"):
        parse_config(with_warehouse(text, "{type: snowflake, database: DB, account_env: 'my account'}"), "x.yaml")
    config = parse_config(with_warehouse(text, "{type: bigquery, output_schema: analytics, location: EU}"), "x.yaml")
    assert config.warehouse.project_env == "BIGQUERY_PROJECT" and config.warehouse.location == "EU"


def test_snowflake_resource_reads_the_named_variables(tmp_path, monkeypatch):
    from dagster import EnvVar
    from dagster_snowflake import SnowflakeResource

    from exp_assets.warehouse.snowflake_warehouse import SnowflakeWarehouse

    text = with_warehouse(fixtures.config_text(tmp_path / "wh.duckdb"),
                          "{type: snowflake, database: ANALYTICS, account_env: MY_ACCOUNT}")
    config = parse_config(text, "x.yaml")
    monkeypatch.setenv("MY_ACCOUNT", "xy12345")
    monkeypatch.setenv("SNOWFLAKE_HOST", "127.0.0.1")
    monkeypatch.setenv("SNOWFLAKE_PORT", "8123")
    monkeypatch.delenv("SNOWFLAKE_PRIVATE_KEY_PATH", raising=False)
    resource = resource_for(config)
    assert isinstance(resource, SnowflakeResource)
    assert resource.account == EnvVar("MY_ACCOUNT") and resource.password == EnvVar("SNOWFLAKE_PASSWORD")
    assert resource.additional_snowflake_connection_args == {"host": "127.0.0.1", "port": 8123}
    monkeypatch.delenv("SNOWFLAKE_USER", raising=False)
    with pytest.raises(ValueError, match="environment variable SNOWFLAKE_USER is not set"):
        warehouse_from_resource(resource, config)
    monkeypatch.setenv("SNOWFLAKE_USER", "someone")
    monkeypatch.setenv("SNOWFLAKE_PASSWORD", "secret")
    assert isinstance(warehouse_from_resource(resource, config), SnowflakeWarehouse)


def test_bigquery_resource_reads_the_named_variables(tmp_path, monkeypatch):
    from dagster import EnvVar

    from exp_assets.assets.bigquery_resource import BigQueryEndpointResource
    from exp_assets.warehouse.bigquery_warehouse import BigQueryWarehouse

    config = parse_config(with_warehouse(fixtures.config_text(tmp_path / "wh.duckdb"), "{type: bigquery}"), "x.yaml")
    monkeypatch.setenv("BIGQUERY_ENDPOINT", "http://127.0.0.1:9050")
    monkeypatch.delenv("BIGQUERY_CREDENTIALS_BASE64", raising=False)
    resource = resource_for(config)
    assert isinstance(resource, BigQueryEndpointResource)
    assert resource.project == EnvVar("BIGQUERY_PROJECT") and resource.gcp_credentials is None
    monkeypatch.delenv("BIGQUERY_PROJECT", raising=False)
    with pytest.raises(ValueError, match=r"environment variable BIGQUERY_PROJECT is not set \(BigQueryEndpointResource.project"):
        warehouse_from_resource(resource, config)
    monkeypatch.setenv("BIGQUERY_PROJECT", "my-project")
    wh = warehouse_from_resource(resource, config)
    assert isinstance(wh, BigQueryWarehouse) and wh._emulator


def test_snowflake_against_the_fakesnow_server_through_the_configured_resource(tmp_path, raw, monkeypatch,
                                                                               duckdb_everything):
    """`type: snowflake` with the endpoint variables pointing at `fakesnow -s`
    (a subprocess, as for `exp-assets demo`): the resource, the adapter and
    copying raw tables from a DuckDB file work over the wire, and the exposure
    tables equal DuckDB's."""
    with fakesnow_server(tmp_path / "fakesnow.log") as port:
        for name, value in {"SNOWFLAKE_ACCOUNT": "test", "SNOWFLAKE_USER": "test", "SNOWFLAKE_PASSWORD": "test",
                            "SNOWFLAKE_HOST": "127.0.0.1", "SNOWFLAKE_PORT": str(port),
                            "SNOWFLAKE_PROTOCOL": "http"}.items():
            monkeypatch.setenv(name, value)
        config = parse_config(with_warehouse(fixtures.config_text(tmp_path / "wh.duckdb", **EVERYTHING),
                                             "{type: snowflake, database: DEMO}"), "x.yaml")
        wh = warehouse_from_resource(resource_for(config), config)
        source = tmp_path / "source.duckdb"  # as the demo would: raw tables built in DuckDB, copied over
        fixtures.write_raw(source, raw)
        assert copy_from_duckdb(wh, source, "raw", {name: "ts" for name in raw}) == sorted(raw)
        plan = ExperimentPlan(config, config.experiments[0])
        steps.first_exposures(wh, plan, FULL)
        steps.exposures_summary(wh, plan, FULL)
        got = {t: wh.read_table(t) for t in ("exp_a_first_exposures", "exp_a_exposures_summary")}
        assert_same_tables(got, {t: duckdb_everything[t] for t in got})
