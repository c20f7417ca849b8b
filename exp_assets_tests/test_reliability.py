"""Faults, overlapping runs and orphans, on the small fixture warehouse (DuckDB).

- A materialization SIGKILLed at random points (22 times, fixed seed) leaves the
  file consistent after every kill (each table's rows per day equal its ledger
  row, one ledger row per table and day), and a re-run ends with every table
  identical to a clean run.
- A warehouse error at any statement of a window write (or an interrupt) leaves
  that partition, and its ledger rows, exactly as they were; a first run that
  fails bootstraps correctly on the next.
- Two processes materializing the same partitions at once both succeed (the
  DuckDB adapter waits for the file lock, bounded) and end with the tables of
  one run and no duplicate rows; a writer that cannot get the lock in time fails
  with WarehouseBusy naming the file.
- A full refresh leaves nothing stale; removing metrics, sources or an
  experiment, or shortening its dates, leaves tables and partitions that
  `exp-assets cleanup` lists and (with --drop) removes.

Child processes come from a forkserver that has imported the package once, so
each kill costs milliseconds of start-up, not Dagster's import time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from exp_assets import cleanup, cli, steps
from exp_assets.config import parse_config
from exp_assets.days import ONE_DAY, DayRange
from exp_assets.plan import ROLLUPS, ExperimentPlan
from exp_assets.shared_facts import shared_sources
from exp_assets.warehouse import DuckDBWarehouse, WarehouseBusy
from exp_assets.warehouse import duckdb_warehouse
from exp_assets_tests import fixtures
from exp_assets_tests.fixtures import DAYS, END, START

FULL = DayRange(START, END + dt.timedelta(days=1))
# every kind of table: CUPED covariates, winsorization, ratios, two fact sources (13 tables)
OPTIONS = dict(cuped_days=2, winsorize="{upper: 0.95}", metrics=[*fixtures.METRICS, "revenue_per_order", "orders_per_view"])
KILLS = 22
SEED = 20260103


def _context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["exp_assets_tests.test_reliability"])
    return ctx


# --- run in child processes (module-level, so the forkserver can import them) --------


def _materialize(db: str, config_text: str, windows: list[tuple[str, str]], go=None, times=None,
                 first_step: int = 0, progress=None) -> None:
    """What steps.materialize_all does, over each window: every step in order;
    with `first_step` k the same steps from the k-th on, wrapping around (any
    order gives the same tables), so kills land in every step without waiting
    for the early ones. `progress` counts the steps started."""
    config = parse_config(config_text, "test.yaml")
    plan = ExperimentPlan(config, config.experiments[0])
    wh = fixtures.warehouse(Path(db))
    if go is not None:
        go.wait()
    began = time.monotonic()
    order = steps.ordered_steps(plan)
    for start, end in windows:
        window = DayRange(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
        for _, step in order[first_step:] + order[:first_step]:
            if progress is not None:
                progress.value += 1
            step(wh, window)
    if times is not None:
        times.put((began, time.monotonic()))


def _hold_lock(db: str, held, seconds: float) -> None:
    conn = duckdb.connect(db)
    held.set()
    time.sleep(seconds)
    conn.close()


# --- helpers ----------------------------------------------------------------------------


def _config_text(db: Path, **options) -> str:
    return fixtures.config_text(db, **{**OPTIONS, **options})


def _setup(path: Path, raw, **options):
    path.mkdir(parents=True, exist_ok=True)
    db = path / "wh.duckdb"
    fixtures.write_raw(db, raw)
    text = _config_text(db, **options)
    config = parse_config(text, "test.yaml")
    return db, text, fixtures.warehouse(db), ExperimentPlan(config, config.experiments[0])


def _windows(*ranges: DayRange) -> list[tuple[str, str]]:
    return [(r.start.isoformat(), r.end.isoformat()) for r in ranges]


def _query(db: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql).df()


def _assert_same_tables(expected: dict[str, pd.DataFrame], got: dict[str, pd.DataFrame]) -> None:
    assert expected.keys() == got.keys()
    for name in expected:
        pd.testing.assert_frame_equal(expected[name], got[name], obj=name)


def _assert_consistent(db: Path, plan: ExperimentPlan) -> str | None:
    """Every table's rows per day equal its ledger row count, one ledger row per
    table and day. Returns the table written last (None before the first write)."""
    with duckdb.connect(str(db), read_only=True) as conn:
        tables = {r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'exp'").fetchall()}
        if "_partitions" not in tables:
            assert tables == set(), tables  # the ledger is created in the first write's transaction
            return None
        doubled = conn.execute("SELECT table_name, partition_date FROM exp._partitions GROUP BY ALL "
                               "HAVING count(*) > 1").fetchall()
        assert not doubled
        ledger = conn.execute("SELECT table_name, partition_date, row_count FROM exp._partitions").df()
        ledger["partition_date"] = pd.to_datetime(ledger["partition_date"]).dt.date
        for artifact in plan.artifacts:
            name = plan.table_name(artifact.name)
            recorded = {r.partition_date: r.row_count for r in ledger[ledger.table_name == name].itertuples()}
            if name not in tables:
                assert not recorded, name
                continue
            counts = conn.execute(f'SELECT "{artifact.date_column}", count(*) FROM exp."{name}" GROUP BY 1').fetchall()
            actual = {pd.Timestamp(day).date(): n for day, n in counts}
            assert set(actual) <= set(recorded), f"{name}: rows on days the ledger does not hold"
            assert {d: actual.get(d, 0) for d in recorded} == recorded, name
        last = conn.execute("SELECT table_name FROM exp._partitions ORDER BY written_at DESC LIMIT 1").fetchone()
    return last[0]


def _assert_ledger_complete(db: Path, plan: ExperimentPlan) -> None:
    ledger = _query(db, "SELECT table_name, partition_date, code_version FROM exp._partitions")
    versions = {plan.table_name(a.name): plan.code_version(a.name) for a in plan.artifacts}
    versions.update({s.name: s.code_version for s in shared_sources(plan.config)})  # the shared facts
    assert len(ledger) == len(versions) * len(DAYS)
    for name, version in versions.items():
        rows = ledger[ledger.table_name == name]
        assert len(rows) == len(DAYS) and set(rows.code_version) == {version}, name


@pytest.fixture(scope="module")
def raw():
    return fixtures.raw_tables()


@pytest.fixture(scope="module")
def clean(raw, tmp_path_factory):
    """A clean run: its database file and its tables."""
    db, _, wh, plan = _setup(tmp_path_factory.mktemp("clean"), raw)
    steps.materialize_all(wh, plan, FULL)
    return db, fixtures.output_tables(db)


# --- 1. faults --------------------------------------------------------------------------


def test_sigkill_at_random_points_then_rerun_equals_a_clean_run(tmp_path, raw, clean):
    _, expected = clean
    db, text, wh, plan = _setup(tmp_path, raw)
    ctx, rng = _context(), random.Random(SEED)
    n_steps = len(steps.ordered_steps(plan))
    names = [name for name, _ in steps.ordered_steps(plan)]
    kills, attempts, last_written, killed_in = 0, 0, set(), set()
    while kills < KILLS:
        attempts += 1
        assert attempts <= 2 * KILLS, "runs kept finishing before the kill"
        # a full refresh, or three single days in a random order; from a random step on, and killed
        # a random time into the 1st or 2nd step it starts (in steps, not seconds: a slow machine
        # moves the kills no earlier in the pipeline)
        windows = [FULL] if rng.random() < 0.75 else rng.sample([DayRange(d, d + dt.timedelta(days=1)) for d in DAYS], 3)
        first_step = rng.randrange(n_steps) if kills else 0  # the first kill: a fresh file, from the start
        target, delay = rng.randint(1, 2), rng.uniform(0, 0.25)
        progress = ctx.Value("i", 0)
        child = ctx.Process(target=_materialize, args=(str(db), text, _windows(*windows)),
                            kwargs={"first_step": first_step, "progress": progress})
        child.start()
        while progress.value < target and child.is_alive():
            time.sleep(0.005)
        time.sleep(delay)
        child.kill()  # SIGKILL
        child.join()
        assert child.exitcode in (0, -9), f"the run failed on its own (exit code {child.exitcode}; see its stderr)"
        if child.exitcode == -9:
            kills += 1
            killed_in.add(names[(first_step + progress.value - 1) % n_steps])
        last_written.add(_assert_consistent(db, plan))
    assert len(killed_in) >= 8, f"kills landed in too few distinct steps: {killed_in}"
    assert len(last_written - {None}) >= 3, last_written

    steps.materialize_all(wh, plan, FULL)  # the re-run, a full refresh
    _assert_same_tables(expected, fixtures.output_tables(db))
    _assert_ledger_complete(db, plan)
    assert not cleanup.find_orphans(wh, plan.config)  # and a full refresh leaves nothing stale


class _Injected(Exception):
    pass


def _fail_at(monkeypatch, prefix: str, error: BaseException, table: str | None = None):
    """Make the DuckDB adapter fail at the first statement starting with `prefix`
    (and naming `table`, if given) of any window write."""
    class Failing(duckdb_warehouse._Runner):
        def __call__(self, sql, scans=False):
            if sql.startswith(prefix) and (table is None or table in sql):
                raise error
            return super().__call__(sql, scans=scans)

    monkeypatch.setattr(duckdb_warehouse, "_Runner", Failing)


FAILURES = [  # (statement the write fails at, error): every step of the transaction
    ("DELETE FROM", _Injected("delete failed")),
    ("INSERT INTO", duckdb.IOException("disk full")),
    ("SELECT", _Injected("counting the window's rows after the insert failed")),
    ('INSERT INTO "exp"."_partitions"', _Injected("ledger failed")),
    ("COMMIT", KeyboardInterrupt()),
]


def test_a_warehouse_error_mid_partition_leaves_that_partition_as_it_was(tmp_path, clean, monkeypatch):
    db = tmp_path / "wh.duckdb"
    shutil.copy(clean[0], db)
    config = fixtures.make_config(db, **OPTIONS)
    plan, wh = ExperimentPlan(config, config.experiments[0]), fixtures.warehouse(db)
    ledger_before = _query(db, "SELECT * FROM exp._partitions ORDER BY ALL")
    window = DayRange(DAYS[2], DAYS[4])
    cumulative = next(r for r in ROLLUPS if r.name == "cumulative")
    for prefix, error in FAILURES:
        with monkeypatch.context() as patch:
            _fail_at(patch, prefix, error)
            for step in (lambda: steps.unit_totals(wh, plan, window), lambda: steps.results(wh, plan, cumulative, window)):
                with pytest.raises(type(error)):
                    step()
        pd.testing.assert_frame_equal(ledger_before, _query(db, "SELECT * FROM exp._partitions ORDER BY ALL"))
    _assert_same_tables(clean[1], fixtures.output_tables(db))


def test_a_failing_source_query_leaves_the_partition_as_it_was(tmp_path, clean):
    """A real warehouse error: the source table is gone when a step reads it."""
    db = tmp_path / "wh.duckdb"
    shutil.copy(clean[0], db)
    config = fixtures.make_config(db, **OPTIONS)
    plan, wh = ExperimentPlan(config, config.experiments[0]), fixtures.warehouse(db)
    before = fixtures.output_tables(db)
    with duckdb.connect(str(db)) as conn:
        conn.execute("ALTER TABLE raw.page_views RENAME TO page_views_gone")
    with pytest.raises(duckdb.CatalogException, match="page_views"):
        steps.user_level_aggregations(wh, plan, "views", DayRange(DAYS[1], DAYS[3]))
    _assert_same_tables(before, fixtures.output_tables(db))


@pytest.mark.parametrize(("prefix", "table"), [
    ("CREATE SCHEMA", None),  # the very first statement: nothing exists yet
    ("INSERT INTO", "exp_a_unit_totals"),  # halfway: upstream tables written, unit_totals not
])
def test_a_failed_first_run_bootstraps_on_the_next(tmp_path, raw, clean, monkeypatch, prefix, table):
    db, _, wh, plan = _setup(tmp_path, raw)
    with monkeypatch.context() as patch:
        _fail_at(patch, prefix, _Injected("first run fails"), table)
        with pytest.raises(_Injected):
            steps.materialize_all(wh, plan, FULL)
    _assert_consistent(db, plan)
    steps.materialize_all(wh, plan, FULL)
    _assert_same_tables(clean[1], fixtures.output_tables(db))
    _assert_ledger_complete(db, plan)


# --- 2. overlapping runs ----------------------------------------------------------------


def test_two_processes_materializing_the_same_partitions_end_like_one_run(tmp_path, raw, clean):
    db, text, _, plan = _setup(tmp_path, raw)
    ctx = _context()
    go, times = ctx.Event(), ctx.Queue()
    runs = [
        ctx.Process(target=_materialize, args=(str(db), text, _windows(FULL), go, times)),
        ctx.Process(target=_materialize, args=(str(db), text, _windows(FULL), go, times)),
    ]
    for run in runs:
        run.start()
    go.set()  # both start on an empty output schema at once
    for run in runs:
        run.join(timeout=120)
    assert [run.exitcode for run in runs] == [0, 0]
    (a_start, a_end), (b_start, b_end) = times.get(timeout=5), times.get(timeout=5)
    assert a_start < b_end and b_start < a_end, "the runs did not overlap"
    _assert_same_tables(clean[1], fixtures.output_tables(db))
    _assert_consistent(db, plan)
    _assert_ledger_complete(db, plan)


def test_a_run_opens_the_file_once_and_releases_it_at_its_end(tmp_path, raw, clean, monkeypatch):
    """The run's steps and health checks share one connection (DuckDBRunResource),
    the tables equal a clean run's, and when the run ends another process can
    open the file for writing."""
    import dagster as dg
    import dagster_duckdb.resource

    from exp_assets.definitions import build_definitions

    db, text, _, plan = _setup(tmp_path, raw)
    defs = build_definitions(parse_config(text, "test.yaml"))
    opened = []
    connect = duckdb.connect
    monkeypatch.setattr(dagster_duckdb.resource.duckdb, "connect", lambda *a, **k: opened.append(1) or connect(*a, **k))
    assets = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition)]
    result = dg.materialize(assets, resources={"warehouse": defs.resources["warehouse"]},
                            tags={"dagster/asset_partition_range_start": str(START),
                                  "dagster/asset_partition_range_end": str(END)})
    assert result.success and len(opened) == 1
    monkeypatch.undo()
    _assert_same_tables(clean[1], fixtures.output_tables(db))
    writer = subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(db)!r}).close()"],
                            capture_output=True, text=True, timeout=60)
    assert writer.returncode == 0, writer.stderr


def test_a_session_reads_back_a_table_it_created_with_many_rows(tmp_path):
    """DuckDB 2.0.0 read a table back as empty, on the connection that created it
    empty and filled it from a temp table in one transaction, until the file was
    reopened; a run shares one connection, so a new table is created with its rows."""
    wh = fixtures.warehouse(tmp_path / "wh.duckdb")
    days = DayRange(dt.date(2026, 1, 1), dt.date(2026, 1, 4))
    rows = "SELECT DATE '2026-01-01' + CAST(i % 3 AS INTEGER) AS day, i FROM range(300000) AS r(i)"  # > 2 row groups
    with wh.session():
        for version in ("v1", "v2"):  # the new table, then a rewrite of it
            wh.replace_window("big", "day", days.start, days.end, rows, version)
            got = wh.query("SELECT count(*) AS n, min(day) AS first FROM exp.big WHERE day >= DATE '2026-01-02'")
            assert got.n[0] == 200_000 and got["first"][0] == pd.Timestamp("2026-01-02")
            assert list(wh.written_partitions("big", days.start, days.end).row_count) == [100_000] * 3


def test_a_writer_that_cannot_get_the_lock_in_time_fails_cleanly(tmp_path, clean):
    db = tmp_path / "wh.duckdb"
    shutil.copy(clean[0], db)
    ctx = _context()
    held = ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(db), held, 2.0))
    holder.start()
    assert held.wait(30)
    connect = fixtures.warehouse(db)._connect
    began = time.monotonic()
    with pytest.raises(WarehouseBusy, match=r"for more than 0\.3s \(lock_timeout\)") as error:
        DuckDBWarehouse(connect, "exp", lock_timeout=0.3).query("SELECT count(*) AS n FROM exp._partitions")
    waited = time.monotonic() - began
    assert 0.3 <= waited < 1.5
    assert str(db) in str(error.value) and "PID" in str(error.value)
    # a patient writer waits for the lock and then succeeds
    n = DuckDBWarehouse(connect, "exp", lock_timeout=30).query("SELECT count(*) AS n FROM exp._partitions").n[0]
    assert n == 16 * len(DAYS) and time.monotonic() - began >= 1.5  # 14 tables of exp_a, 2 shared
    holder.join()
    assert holder.exitcode == 0


# --- 7. orphans --------------------------------------------------------------------------


def test_removed_metrics_leave_tables_that_cleanup_lists_and_drops(tmp_path, raw, clean, capsys):
    """Drop the views metrics and CUPED, full refresh: three tables belong to no
    artifact any more; `cleanup` lists them, `--drop` removes them and their
    ledger rows, and the schema then equals a clean run of the new config
    (unit_totals lost its views column in the full refresh)."""
    db = tmp_path / "wh.duckdb"
    shutil.copy(clean[0], db)
    smaller = dict(cuped_days=None, metrics=["revenue", "orders", "purchased", "big_orders", "revenue_per_order"])
    text = _config_text(db, **smaller)
    config_file = tmp_path / "smaller.yaml"
    config_file.write_text(text)
    config = parse_config(text, "smaller.yaml")
    plan, wh = ExperimentPlan(config, config.experiments[0]), fixtures.warehouse(db)
    steps.materialize_all(wh, plan, FULL)  # the full refresh after the config change

    stale = {"exp_a_user_level_aggregations_views", "exp_a_pre_exposure_covariates_orders",
             "exp_a_pre_exposure_covariates_views", "source_days_views"}
    orphans = cleanup.find_orphans(wh, config)
    assert orphans.tables == {name: len(DAYS) for name in stale}
    assert not orphans.ledger_only and not orphans.partitions
    assert cli.cmd_cleanup(argparse.Namespace(config=str(config_file), drop=False)) == 0
    listed = capsys.readouterr().out
    assert all(f"exp.{name} ({len(DAYS)} ledger rows)" in listed for name in stale) and "--drop" in listed
    assert stale <= set(fixtures.output_tables(db))  # listing drops nothing

    assert cli.cmd_cleanup(argparse.Namespace(config=str(config_file), drop=True)) == 0
    assert "Dropped" in capsys.readouterr().out
    assert not cleanup.find_orphans(wh, config)
    fresh = tmp_path / "fresh"
    fresh_db, _, fresh_wh, fresh_plan = _setup(fresh, raw, **smaller)
    steps.materialize_all(fresh_wh, fresh_plan, FULL)
    _assert_same_tables(fixtures.output_tables(fresh_db), fixtures.output_tables(db))
    assert set(_query(db, "SELECT DISTINCT table_name FROM exp._partitions").table_name) == {
        plan.table_name(a.name) for a in plan.artifacts} | {s.name for s in shared_sources(config)}


def test_a_column_no_longer_produced_is_dropped_once_no_other_day_holds_values(tmp_path):
    """A removed metric's column stays while days written by the old definition
    remain, and goes with the write that replaces the last of them: a full
    refresh a day at a time (how unit_totals writes) ends as a fresh build."""
    wh = fixtures.warehouse(tmp_path / "wh.duckdb")
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(3)]

    def rows(columns: str, *on: dt.date) -> str:
        return " UNION ALL ".join(f"SELECT DATE '{d}' AS day, {columns}" for d in on)

    def columns() -> list[str]:
        return list(wh.query("SELECT * FROM exp.t ORDER BY day").columns)

    wh.replace_window("t", "day", days[0], days[-1] + ONE_DAY, rows("1 AS a, 2 AS removed", *days), "v1")
    for day, kept in zip(days, [True, True, False]):
        wh.replace_window("t", "day", day, day + ONE_DAY, rows("3 AS a", day), "v2")
        assert columns() == (["day", "a", "removed"] if kept else ["day", "a"]), day
    got = wh.query("SELECT * FROM exp.t ORDER BY day")
    assert list(got.a) == [3, 3, 3]
    # one window over every day drops it at once; a partial one keeps it
    wh.replace_window("t", "day", days[0], days[-1] + ONE_DAY, rows("1 AS a, 2 AS removed", *days), "v1")
    wh.replace_window("t", "day", days[1], days[2], rows("3 AS a", days[1]), "v2")
    assert columns() == ["day", "a", "removed"]
    assert list(wh.query("SELECT removed FROM exp.t ORDER BY day").removed.astype("Int64")) == [2, pd.NA, 2]
    wh.replace_window("t", "day", days[0], days[-1] + ONE_DAY, rows("4 AS a", *days), "v2")
    assert columns() == ["day", "a"]


def test_a_shortened_experiment_and_a_removed_one_are_cleaned_up(tmp_path, clean):
    db = tmp_path / "wh.duckdb"
    shutil.copy(clean[0], db)
    wh = fixtures.warehouse(db)
    # the end date moved three days earlier: those partitions are out of range
    shorter = parse_config(_config_text(db).replace(f"end_date: {END}", f"end_date: {DAYS[2]}"), "shorter.yaml")
    orphans = cleanup.find_orphans(wh, shorter)
    assert not orphans.tables and len(orphans.partitions) == 16  # the shared facts' days end with it
    assert all(days == DAYS[3:] for *_, days in orphans.partitions.values())
    cleanup.drop_orphans(wh, orphans)
    assert not cleanup.find_orphans(wh, shorter)
    plan = ExperimentPlan(shorter, shorter.experiments[0])
    columns = {plan.table_name(a.name): a.date_column for a in plan.artifacts}
    columns.update({s.name: "event_date" for s in shared_sources(shorter)})
    for name, frame in fixtures.output_tables(db).items():
        column, want = columns[name], clean[1][name]
        want = want[pd.to_datetime(want[column]) <= pd.Timestamp(DAYS[2])].reset_index(drop=True)
        pd.testing.assert_frame_equal(want, frame, obj=name)
    # the experiment renamed: every table of the old id is an orphan, nothing else is touched (the
    # shared facts of its sources belong to the renamed experiment as much)
    renamed = parse_config(_config_text(db).replace("id: exp_a", "id: exp_b"), "renamed.yaml")
    with duckdb.connect(str(db)) as conn:
        conn.execute("CREATE TABLE exp.not_ours AS SELECT 1 AS x")  # not written by the pipeline
    orphans = cleanup.find_orphans(wh, renamed)
    shared = {"source_days_orders", "source_days_views"}
    assert set(orphans.tables) == set(clean[1]) - shared and not orphans.partitions
    cleanup.drop_orphans(wh, orphans)
    left = _query(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'exp' ORDER BY 1")
    assert left.table_name.tolist() == ["_partitions", "not_ours", *sorted(shared)]
    assert _query(db, "SELECT count(*) AS n FROM exp._partitions").n[0] == len(shared) * len(DAYS[:3])
