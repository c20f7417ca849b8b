"""Injection and least privilege.

- Table, schema and column names with quotes, spaces, semicolons and reserved
  words, an experiment key and variant names built to break out of a string
  literal, and a reserved word as output schema and metric name all work: the
  pipeline and its checks give the same tables as the plain fixture.
- Names that cannot be one identifier, filters that are not one boolean
  expression and source SQL that is not one SELECT (stacked statements,
  writes, subqueries, unterminated quotes) are rejected when the config loads,
  with the field named; the SQL builders refuse them too, so even a config that
  skipped validation runs nothing.
- The pipeline writes only into its output schema (every statement sent is
  parsed and its write target checked; the source schemas' tables and contents
  are unchanged), and what comes back into Python is group-level: every fetch
  is bounded by days x metrics x variants x slices (well below the units), and
  no fetched frame has a unit id column.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest
import sqlglot
from sqlglot import exp

from exp_assets import cleanup, steps
from exp_assets.checks import evaluate_checks
from exp_assets.config import ConfigError, ProjectConfig, parse_config
from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import metrics as metric_sql
from exp_assets.warehouse import DuckDBWarehouse
from exp_assets_tests import fixtures
from exp_assets_tests.fixtures import DAYS, END, START

FULL = DayRange(START, END + dt.timedelta(days=1))

# --- names that need quoting ----------------------------------------------------------------

KEY = "exp_a' OR '1'='1"  # the experiment key: unescaped, it would take every experiment's rows
TREATMENT = "treat'ment\"; --"
AMOUNT = "amount; DROP TABLE raw.orders"
WEIRD_CONFIG = r"""
warehouse: {type: duckdb, database: "DB", output_schema: from}
sources:
  exposures: {kind: assignments, table: '"raw data"."select"', unit_id: "user id", timestamp: "time stamp",
              experiment_id: 'experiment"id', variant: "group", dimensions: ["coun try"]}
  orders: {kind: facts, table: "\"raw data\".\"order's\"", unit_id: "user id", timestamp: ts, shared_facts: true}
  views: {kind: facts, sql: 'SELECT "user id", "from" FROM "raw data"."page""views"', unit_id: "user id", timestamp: from,
          shared_facts: true}
metrics:
  - {name: revenue, source: orders, type: sum, column: "amount; DROP TABLE raw.orders"}
  - {name: group, source: orders, type: count}
  - {name: purchased, source: orders, type: proportion}
  - {name: big_orders, source: orders, type: count, filter: '"amount; DROP TABLE raw.orders" > 50'}
  - {name: views, source: views, type: count}
  - name: shop_funnel
    type: funnel
    steps: [{name: view, source: views}, {name: order, source: orders},
            {name: big, source: orders, filter: '"amount; DROP TABLE raw.orders" > 50'}]
    window_hours: 48
experiments:
  - id: exp_a
    assignment_source: exposures
    experiment_key: "exp_a' OR '1'='1"
    start_date: START
    end_date: END
    variants: {control: 0.5, "treat'ment\"; --": 0.5}
    control: control
    metrics: [revenue, group, purchased, big_orders, views, shop_funnel]
    cuped: {enabled: true, lookback_days: 2}
    refresh: {snapshot_every_days: 3, snapshot_share: 1.0}  # as the fixture's, whose tables these must equal
"""


def _weird_raw(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    exposures = raw["exposures"].rename(columns={
        "user_id": "user id", "experiment_id": 'experiment"id', "variant": "group", "ts": "time stamp",
        "country": "coun try"})
    exposures['experiment"id'] = exposures['experiment"id'].replace({"exp_a": KEY})
    exposures["group"] = exposures["group"].replace({"treatment": TREATMENT})
    return {
        "select": exposures,
        "order's": raw["orders"].rename(columns={"user_id": "user id", "amount": AMOUNT}),
        'page"views': raw["page_views"].rename(columns={"user_id": "user id", "ts": "from"}),
    }


def _write_weird(db: Path, raw) -> None:
    with duckdb.connect(str(db)) as conn:
        conn.execute('CREATE SCHEMA "raw data"')
        for name, frame in _weird_raw(raw).items():
            conn.register("frame", frame)
            quoted = name.replace('"', '""')
            conn.execute(f'CREATE TABLE "raw data"."{quoted}" AS SELECT * FROM frame')
            conn.unregister("frame")


def _tables(db: Path, schema: str) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(db), read_only=True) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name <> '_partitions' "
            "ORDER BY 1", [schema]).fetchall()]
        return {name: conn.execute(f'SELECT * FROM "{schema}"."{name}"').df() for name in names}


def _normalized(frame: pd.DataFrame) -> pd.DataFrame:
    """A weird-names table in the plain fixture's names and values."""
    frame = frame.rename(columns={"coun try": "country", "group": "orders", "group__pre_exposure": "orders__pre_exposure"})
    # rollup_cells' columns name their terms by value columns (s__v_group__x_group)
    frame = frame.rename(columns=lambda c: re.sub(r"(?<=_)group(?=_|$)", "orders", c) if "__" in c else c)
    frame = frame.replace({TREATMENT: "treatment", "coun try": "country", "group": "orders",
                           "group_per_view": "orders_per_view"})
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def _checks_of(wh, plan: ExperimentPlan) -> list[dg.AssetCheckResult]:
    return [r for a in plan.artifacts
            for r in evaluate_checks(wh, plan, a.name, FULL)]


def test_quoted_names_reserved_words_and_hostile_literals_work_end_to_end(tmp_path):
    raw = fixtures.raw_tables()
    plain_db = tmp_path / "plain.duckdb"
    fixtures.write_raw(plain_db, raw)
    plain = fixtures.make_config(plain_db, cuped_days=2, metrics=[*fixtures.METRICS, "shop_funnel"])
    steps.materialize_all(fixtures.warehouse(plain_db), ExperimentPlan(plain, plain.experiments[0]), FULL)

    db = tmp_path / "weird.duckdb"
    _write_weird(db, raw)
    text = WEIRD_CONFIG.replace("DB", str(db)).replace("START", str(START)).replace("END", str(END))
    config = parse_config(text, "weird.yaml")
    plan = ExperimentPlan(config, config.experiments[0])
    wh = DuckDBWarehouse(fixtures.warehouse(db)._connect, "from")
    steps.materialize_all(wh, plan, FULL)

    expected, got = _tables(plain_db, "exp"), _tables(db, "from")
    assert expected.keys() == got.keys() and len(got) == 17  # 15 of the experiment, 2 shared facts
    for name in expected:
        want = expected[name].sort_values(list(expected[name].columns)).reset_index(drop=True)
        pd.testing.assert_frame_equal(want, _normalized(got[name]), obj=name)
    checks = _checks_of(wh, plan)
    assert checks and not [c.description for c in checks if "could not be evaluated" in (c.description or "")]
    present = next(c for c in checks if c.check_name == "exposures_present")
    assert present.metadata["unknown_variant_rows"].value == 1  # the fixture's 'holdout' row, not the quoted arm
    with duckdb.connect(str(db), read_only=True) as conn:  # the names that look like SQL did nothing
        assert conn.execute("SELECT count(*) FROM \"raw data\".\"order's\"").fetchone()[0] == len(raw["orders"])


# --- rejected before anything runs ------------------------------------------------------------

BAD_TABLES = ["raw.orders; DROP TABLE raw.orders", "raw.'orders", '"', "a.b.c.d", "read_csv('/etc/passwd')",
              "(SELECT * FROM raw.orders)", "raw.orders WHERE 1=1", "", "raw.\"orders\x00\""]
BAD_FILTERS = [
    "1=1; DROP TABLE raw.orders", "amount > 0) OR (1=1", "amount IN (SELECT amount FROM raw.orders)",
    "amount > (SELECT 1)", "EXISTS (SELECT 1)", "amount > 'unterminated", "DELETE FROM raw.orders",
    "SELECT 1", "", "amount > 0 AND (DELETE FROM raw.orders RETURNING 1)", "amount > 0 -- x\n; DROP TABLE y",
]
BAD_SQL = [
    "SELECT user_id, ts FROM raw.orders; DROP TABLE raw.orders", "DROP TABLE raw.orders",
    "WITH d AS (DELETE FROM raw.orders RETURNING *) SELECT user_id, ts FROM d",
    "INSERT INTO raw.orders SELECT * FROM raw.orders", "SELECT * INTO raw.copy FROM raw.orders",
    "UPDATE raw.orders SET amount = 0", "COPY raw.orders TO 'orders.csv'", "ATTACH 'other.duckdb'",
    "PRAGMA show_tables", "SELECT 'unterminated", "CREATE TABLE raw.x AS SELECT 1", "",
]
BAD_NAMES = ["exp a", "exp;drop", "1exp", 'exp"a', "exp'a", "exp-a", "é", "a" * 65, ""]


def _problems(text: str) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as error:
        parse_config(text, "bad.yaml")
    assert error.value.__cause__ is None and (error.value.__context__ is None or error.value.__suppress_context__)
    return error.value.problems


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\x00", "\\0") + '"'


@pytest.mark.parametrize("bad", BAD_TABLES)
def test_a_table_that_is_not_a_table_name_is_rejected(bad):
    text = fixtures.config_text(Path("x.duckdb")).replace("table: raw.orders", f"table: {_yaml_string(bad)}")
    problems = _problems(text)
    assert [f for f, _ in problems] == ["sources.orders.table"], problems


@pytest.mark.parametrize("bad", BAD_FILTERS)
def test_a_filter_that_is_not_one_boolean_expression_is_rejected(bad):
    text = fixtures.config_text(Path("x.duckdb")).replace('filter: "amount > 50"}', f"filter: {_yaml_string(bad)}}}")
    problems = _problems(text)
    assert "metrics[3].filter" in [f for f, _ in problems], problems
    if not bad:
        return  # the builders read an empty filter as none; the config refuses it
    with pytest.raises(ValueError):  # the SQL builder refuses it too
        config = ProjectConfig.model_validate(_unchecked(text))
        plan = ExperimentPlan(config, config.experiments[0])
        metric_sql.user_level_aggregations(plan, "orders", [FULL], "SELECT 1")


@pytest.mark.parametrize("bad", BAD_SQL)
def test_a_source_sql_that_is_not_one_select_is_rejected_and_nothing_runs(tmp_path, bad):
    db = tmp_path / "wh.duckdb"
    raw = fixtures.raw_tables(units=40)
    fixtures.write_raw(db, raw)
    text = fixtures.config_text(db).replace("table: raw.exposures", f"sql: {_yaml_string(bad)}")
    problems = _problems(text)
    assert [f for f, _ in problems] == ["sources.exposures.sql"], problems
    # skipping validation does not help: the SQL builder refuses before a statement is sent
    config = ProjectConfig.model_validate(_unchecked(text))
    with pytest.raises(ValueError):
        steps.materialize_all(fixtures.warehouse(db), ExperimentPlan(config, config.experiments[0]), FULL)
    with duckdb.connect(str(db), read_only=True) as conn:
        schemas = {r[0] for r in conn.execute("SELECT schema_name FROM information_schema.schemata").fetchall()}
        assert "exp" not in schemas
        assert {r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'").fetchall()} == set(raw)
        for name, frame in raw.items():
            assert conn.execute(f"SELECT count(*) FROM raw.{name}").fetchone()[0] == len(frame)


def _unchecked(text: str) -> dict:
    import yaml

    return yaml.safe_load(text)


@pytest.mark.parametrize("bad", BAD_NAMES)
@pytest.mark.parametrize(("where", "pattern"), [
    ("experiment id", "id: exp_a"), ("metric name", "name: views,"), ("source name", "  views: {kind"),
    ("output schema", "output_schema: exp"),
])
def test_a_name_that_is_not_an_identifier_is_rejected(bad, where, pattern):
    replaced = {
        "experiment id": f"id: {_yaml_string(bad)}", "metric name": f"name: {_yaml_string(bad)},",
        "source name": f"  {_yaml_string(bad)}: {{kind", "output schema": f"output_schema: {_yaml_string(bad)}",
    }[where]
    text = fixtures.config_text(Path("x.duckdb")).replace(pattern, replaced, 1)
    problems = _problems(text)
    field_of = {"experiment id": "experiments[0].id", "metric name": "metrics[4].name",
                "source name": f"sources.{bad}", "output schema": "warehouse.output_schema"}[where]
    assert any(f == field_of and ("not a valid name" in m or "at most 64" in m) for f, m in problems), problems


def test_a_column_name_with_a_nul_character_is_rejected():
    text = fixtures.config_text(Path("x.duckdb")).replace("column: amount}", 'column: "amo\\0unt"}', 1)
    assert [f for f, _ in _problems(text)] == ["metrics[0].column"]



# --- functions: an allow-list per engine -------------------------------------------------------

WAREHOUSES = {
    "duckdb": '{type: duckdb, database: "x.duckdb", output_schema: exp}',
    "snowflake": "{type: snowflake, database: DB, output_schema: exp}",
    "bigquery": "{type: bigquery, output_schema: exp}",
}
# Calls with side effects, or that read files or run queries: none is on any engine's allow-list.
BAD_FILTER_CALLS = [
    ("nextval('raw.audit_seq') > 0", "nextval"), ("checkpoint() IS NULL", "checkpoint"),
    ("amount > 0 AND query('DELETE FROM raw.orders') IS NULL", "query"),
    ("read_text('/etc/hostname') IS NOT NULL", "read_text"), ("getenv('HOME') = 'x'", "getenv"),
    ("QnextvalQ('raw.audit_seq') > 0", "nextval"),  # a quoted name calls the same function
]
BAD_SOURCE_CALLS = [
    ("SELECT user_id, ts FROM raw.page_views WHERE nextval('raw.audit_seq') > 0", "nextval"),
    ("SELECT user_id, ts, checkpoint() AS c FROM raw.page_views", "checkpoint"),
    ("SELECT * FROM query('DELETE FROM raw.orders')", "query"),
    ("SELECT content AS user_id, last_modified AS ts FROM read_text('/etc/hostname')", "read_text"),
    ("SELECT * FROM read_csv('/etc/passwd')", "read_csv"),
    ("SELECT * FROM query_table('raw.orders')", "query_table"),
    ("SELECT user_id, ts FROM raw.page_views UNION ALL SELECT user_id, ts FROM read_parquet('/tmp/x.parquet')",
     "read_parquet"),
]


# DuckDB reads a file named as a table ("data.csv", 'x.parquet'); Snowflake a stage ('@stage/x').
FILE_TABLES = ["SELECT * FROM 'data.csv'", 'SELECT user_id, ts FROM raw."orders.parquet"',
               "SELECT * FROM '@stage/x'", 'SELECT user_id, ts FROM raw."/etc/passwd"']


@pytest.mark.parametrize("dialect", ["duckdb", "snowflake"])  # BigQuery reads `data.csv` as dataset.table
@pytest.mark.parametrize("bad", FILE_TABLES)
def test_a_source_naming_a_file_as_a_table_is_rejected(dialect, bad):
    text = _on(dialect).replace('sql: "SELECT user_id, ts FROM raw.page_views"', f"sql: {_yaml_string(bad)}", 1)
    problems = _problems(text)
    assert [f for f, _ in problems] == ["sources.views.sql"], problems
    assert "not a table name" in problems[0][1] or "not valid" in problems[0][1], problems


@pytest.mark.parametrize("bad", ['"data.csv"', 'raw."x.parquet"', '"/etc/passwd"'])
def test_a_table_naming_a_file_is_rejected(bad):
    text = fixtures.config_text(Path("x.duckdb")).replace("table: raw.orders", f"table: {_yaml_string(bad)}")
    problems = _problems(text)
    assert [f for f, _ in problems] == ["sources.orders.table"], problems


def _on(dialect: str) -> str:
    text = fixtures.config_text(Path("x.duckdb"))
    return re.sub(r"^warehouse: .*$", f"warehouse: {WAREHOUSES[dialect]}", text, count=1, flags=re.MULTILINE)


def _names_call(problems, field: str, name: str, dialect: str) -> None:
    assert [f for f, _ in problems] == [field], problems
    message = problems[0][1]
    assert f"function {name.upper()}" in message and f"not allowed on {dialect}" in message, message


@pytest.mark.parametrize("dialect", WAREHOUSES)
@pytest.mark.parametrize(("bad", "name"), BAD_FILTER_CALLS)
def test_a_filter_calling_a_function_off_the_allow_list_is_rejected(dialect, bad, name):
    bad = bad.replace("Q", "`" if dialect == "bigquery" else '"')
    text = _on(dialect).replace('filter: "amount > 50"}', f"filter: {_yaml_string(bad)}}}", 1)
    with pytest.raises(ConfigError) as error:
        parse_config(text, "bad.yaml")
    assert str(error.value).startswith("invalid config bad.yaml:")
    _names_call(error.value.problems, "metrics[3].filter", name, dialect)
    with pytest.raises(ValueError, match=f"function {name.upper()}"):  # the SQL builder refuses it too
        config = ProjectConfig.model_validate(_unchecked(text))
        metric_sql.user_level_aggregations(ExperimentPlan(config, config.experiments[0]), "orders", [FULL], "SELECT 1")


@pytest.mark.parametrize("dialect", WAREHOUSES)
@pytest.mark.parametrize(("bad", "name"), BAD_SOURCE_CALLS)
def test_a_source_sql_calling_a_function_off_the_allow_list_is_rejected(dialect, bad, name):
    text = _on(dialect).replace('sql: "SELECT user_id, ts FROM raw.page_views"', f"sql: {_yaml_string(bad)}", 1)
    with pytest.raises(ConfigError) as error:
        parse_config(text, "bad.yaml")
    assert str(error.value).startswith("invalid config bad.yaml:")
    _names_call(error.value.problems, "sources.views.sql", name, dialect)


@pytest.mark.parametrize(("dialect", "condition"), [
    ("duckdb", "lower(country) = 'de' AND date_trunc('day', ts) >= DATE '2026-01-01' AND abs(amount) < 1e6"),
    ("duckdb", "regexp_matches(page, '^/home') OR coalesce(amount, 0) BETWEEN 1 AND 2"),
    ("snowflake", "IFF(amount > 0, 1, 0) = 1 AND DATEADD(day, 1, ts) > CURRENT_TIMESTAMP()"),
    ("snowflake", "STARTSWITH(page, '/home') OR NVL(amount, 0) > ROUND(1.5)"),
    ("bigquery", "STARTS_WITH(page, '/home') AND TIMESTAMP_ADD(ts, INTERVAL 1 DAY) > CURRENT_TIMESTAMP()"),
    ("bigquery", "IFNULL(amount, 0) > SAFE_DIVIDE(1, 2) OR REGEXP_CONTAINS(page, r'^/x')"),
])
def test_ordinary_functions_are_allowed_in_filters(dialect, condition):
    text = _on(dialect).replace('filter: "amount > 50"}', f"filter: {_yaml_string(condition)}}}", 1)
    assert parse_config(text, "ok.yaml").metrics[3].filter == condition


# --- least privilege ---------------------------------------------------------------------------


@dataclass
class Log:
    statements: list[str] = field(default_factory=list)
    fetched: list[tuple[str, int, list[str]]] = field(default_factory=list)  # (sql, rows, columns)


class Recording:
    """A DuckDB connection that logs every statement and every fetch into Python."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, log: Log):
        self._conn, self._log, self._sql = conn, log, ""

    def execute(self, sql, *args):
        self._log.statements.append(sql)
        self._sql = sql
        self._conn.execute(sql, *args)
        return self

    def _columns(self) -> list[str]:
        return [d[0] for d in self._conn.description or []]

    def fetchone(self):
        columns, row = self._columns(), self._conn.fetchone()
        self._log.fetched.append((self._sql, int(row is not None), columns))
        return row

    def fetchall(self):
        columns, rows = self._columns(), self._conn.fetchall()
        self._log.fetched.append((self._sql, len(rows), columns))
        return rows

    def df(self):
        frame = self._conn.df()
        self._log.fetched.append((self._sql, len(frame), list(frame.columns)))
        return frame

    def __getattr__(self, name):
        return getattr(self._conn, name)


def _recording_warehouse(db: Path, log: Log) -> DuckDBWarehouse:
    @contextlib.contextmanager
    def connect():
        conn = duckdb.connect(str(db))
        try:
            yield Recording(conn, log)
        finally:
            conn.close()

    return DuckDBWarehouse(connect, "exp")


_WRITES = (exp.Insert, exp.Delete, exp.Update, exp.Create, exp.Drop, exp.Alter, exp.Merge, exp.TruncateTable,
           exp.Copy, exp.Command)
_HARMLESS = re.compile(r"^(BEGIN TRANSACTION|COMMIT|ROLLBACK|SET TimeZone = 'UTC'|SET enable_progress_bar = false|PRAGMA enable_profiling='no_output')$")


def _write_target(sql: str) -> tuple[str, str] | None:
    """(schema, table) a statement writes to, None for reads and session statements."""
    if _HARMLESS.match(sql):
        return None
    statement = sqlglot.parse_one(sql, read="duckdb")
    if isinstance(statement, exp.Describe):  # a write asks for its SELECT's or its table's columns
        assert isinstance(statement.this, (exp.Query, exp.Table)), sql
        return None
    if not isinstance(statement, _WRITES):
        assert isinstance(statement, exp.Query), sql  # anything else is unexpected
        return None
    target = statement.this if isinstance(statement.this, exp.Table) else statement.find(exp.Table)
    assert target is not None, sql
    return target.db, target.name


def _source_snapshot(db: Path) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(db), read_only=True) as conn:
        names = conn.execute("SELECT table_schema, table_name FROM information_schema.tables "
                             "WHERE table_schema <> 'exp' ORDER BY 1, 2").fetchall()
        return {f"{s}.{t}": conn.execute(f'SELECT * FROM "{s}"."{t}"').df() for s, t in names}


def test_the_pipeline_writes_only_its_output_schema_and_fetches_only_group_level_rows(tmp_path):
    units = 1500
    raw = fixtures.raw_tables(units=units)
    db = tmp_path / "wh.duckdb"
    fixtures.write_raw(db, raw)
    config = fixtures.make_config(db, cuped_days=2, winsorize="{upper: 0.95}",
                                  metrics=[*fixtures.METRICS, "revenue_per_order", "orders_per_view"])
    plan = ExperimentPlan(config, config.experiments[0])
    before = _source_snapshot(db)
    log = Log()
    wh = _recording_warehouse(db, log)
    steps.materialize_all(wh, plan, FULL)
    checks = _checks_of(wh, plan)
    assert len(checks) == 11 and all("could not be evaluated" not in (c.description or "") for c in checks)
    cleanup.find_orphans(wh, config)

    # writes: only the output schema
    targets = {t for t in map(_write_target, log.statements) if t is not None}
    assert targets, "no writes recorded"
    outside = {t for t in targets if t[0] != "exp"}
    assert not outside, outside
    assert ("exp", "_partitions") in targets
    after = _source_snapshot(db)
    assert before.keys() == after.keys()
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)

    # reads into Python: group level, bounded by days x metrics x variants x slices
    slices = 1 + raw["exposures"].country.nunique()  # overall + each country (fewer than dimension_top_n)
    k_values = len(DAYS)  # days since exposure, for that rollup
    bound = len(DAYS) * len(plan.result_metrics) * len(plan.experiment.variants) * max(slices, k_values)
    assert bound < units / 2
    biggest = max(log.fetched, key=lambda f: f[1])
    assert biggest[1] <= bound, biggest
    statistics = [f for f in log.fetched if "sum_squares" in f[2]]
    assert statistics and max(n for _, n, _ in statistics) > len(DAYS)  # the results did come through here
    unit_level = [(sql[:80], columns) for sql, _, columns in log.fetched if {"unit_id", "user_id"} & set(columns)]
    assert not unit_level
