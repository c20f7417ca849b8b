"""Refresh modes: the new-data sensor, the daily schedule, late data end to end,
and metric refresh."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time

import dagster as dg
import duckdb
import pandas as pd
import pytest

from exp_assets.automation.refresh import RANGE_END, RANGE_START
from exp_assets.run import run_experiment
from exp_assets.definitions import build_definitions
from exp_assets.plan import ExperimentPlan
from exp_assets_tests import fixtures
from exp_assets_tests.fixtures import DAYS, END, START

OPTIONS = dict(cuped_days=2, metrics=[*fixtures.METRICS, "revenue_per_order", "shop_funnel"])


def _project(tmp_path, name="wh", **changes):
    db = tmp_path / f"{name}.duckdb"
    fixtures.write_raw(db, fixtures.raw_tables())
    config = fixtures.make_config(db, **{**OPTIONS, **changes})
    return db, config, build_definitions(config)


def _sensor(defs):
    return defs.get_repository_def().get_sensor_def("exp_a_new_data")


def _evaluate(defs, instance, cursor=None):
    context = dg.build_sensor_context(instance=instance, cursor=cursor, definitions=defs)
    result = _sensor(defs).evaluate_tick(context)
    return result, result.cursor


def _requested(result) -> list[tuple[str, str]]:
    return [(r.tags[RANGE_START], r.tags[RANGE_END]) for r in result.run_requests or []]


def _append(db, table, rows: pd.DataFrame):
    with duckdb.connect(str(db)) as conn:
        conn.register("extra", rows)
        conn.execute(f"INSERT INTO raw.{table} SELECT * FROM extra")


def test_sensor_requests_new_days_late_days_and_nothing_else(tmp_path):
    db, config, defs = _project(tmp_path)
    instance = dg.DagsterInstance.ephemeral()
    # first look: nothing materialized yet, so every day is due
    result, cursor = _evaluate(defs, instance)
    assert _requested(result) == [(str(START), str(END))]
    run_experiment(config, "exp_a", instance=instance)

    result, cursor = _evaluate(defs, instance, cursor)
    assert _requested(result) == [] and "no source changed" in result.skip_message

    # late rows for a day 5 days before the newest: that day (and what follows from it) is requested
    late_day = END - dt.timedelta(days=5)
    _append(db, "orders", pd.DataFrame({"user_id": ["u001", "u002"], "ts": [fixtures.ts(late_day, 13)] * 2,
                                        "amount": [12.5, 30.0]}))
    result, cursor = _evaluate(defs, instance, cursor)
    assert _requested(result) == [(str(late_day), str(END))]
    # until a run rebuilds that day it stays due, under the same run key while nothing ran (the daemon launches a key once)
    again, cursor = _evaluate(defs, instance, cursor)
    assert [r.run_key for r in again.run_requests] == [r.run_key for r in result.run_requests]
    run_experiment(config, "exp_a", start=str(late_day), end=str(END), instance=instance)
    done, _ = _evaluate(defs, instance, cursor)
    assert _requested(done) == []  # the same data does not trigger twice


def test_sensor_requests_a_new_day(tmp_path):
    """Data through the day before the newest is materialized; rows landing on
    the newest day request exactly that day."""
    db = tmp_path / "wh.duckdb"
    raw = fixtures.raw_tables()
    cut = {name: frame[frame.ts < pd.Timestamp(END)] for name, frame in raw.items()}
    fixtures.write_raw(db, cut)
    config = fixtures.make_config(db, **OPTIONS)
    defs = build_definitions(config)
    instance = dg.DagsterInstance.ephemeral()
    run_experiment(config, "exp_a", end=str(DAYS[-2]), instance=instance)
    result, cursor = _evaluate(defs, instance)
    assert _requested(result) == [(str(END), str(END))]
    state = json.loads(cursor)["state"]
    assert state and not [k for k in state if k.endswith(str(END))]  # nothing on the newest day yet
    for name, frame in raw.items():
        _append(db, name, frame[frame.ts >= pd.Timestamp(END)])
    run_experiment(config, "exp_a", start=str(END), end=str(END), instance=instance)
    result, _ = _evaluate(defs, instance, cursor)
    assert _requested(result) == [(str(END), str(END))]  # the new day's rows changed it


def test_sensor_waits_for_a_run_in_flight(tmp_path):
    db, config, defs = _project(tmp_path)
    instance = dg.DagsterInstance.ephemeral()
    job = defs.get_repository_def().get_job("exp_a_pipeline")
    instance.create_run_for_job(job, status=dg.DagsterRunStatus.STARTED, tags={RANGE_START: str(START), RANGE_END: str(END)})
    result, cursor = _evaluate(defs, instance)
    assert _requested(result) == [] and "in flight" in result.skip_message


def test_sensor_skips_while_the_warehouse_is_locked(tmp_path):
    db, config, defs = _project(tmp_path)
    holder = duckdb.connect(str(db))  # a writer in this process holds the file
    try:
        import multiprocessing

        with multiprocessing.get_context("spawn").Pool(1) as pool:
            message = pool.apply(_evaluate_in_child, (str(tmp_path),))
    finally:
        holder.close()
    assert "not readable now" in message


def _evaluate_in_child(tmp: str) -> str:
    from pathlib import Path

    config = fixtures.make_config(Path(tmp) / "wh.duckdb", **OPTIONS)
    defs = build_definitions(config)
    result, _ = _evaluate(defs, dg.DagsterInstance.ephemeral())
    return result.skip_message or "requested"


def _persistent_instance(home):
    home.mkdir()
    return dg.DagsterInstance.local_temp(str(home))


def _schedule_range(defs, instance, when: dt.datetime):
    schedule = defs.get_repository_def().get_schedule_def("exp_a_daily")
    context = dg.build_schedule_context(instance=instance, scheduled_execution_time=when)
    data = schedule.evaluate_tick(context)
    return [(r.tags[RANGE_START], r.tags[RANGE_END]) for r in data.run_requests or []]


def test_schedule_runs_newest_day_plus_lookback_and_failed_days(tmp_path):
    db, config, defs = _project(tmp_path)
    instance = _persistent_instance(tmp_path / "home1")  # schedule contexts need an instance on disk
    tick = dt.datetime(2026, 1, 9, 1, tzinfo=dt.timezone.utc)
    run_experiment(config, "exp_a", instance=instance)
    assert _schedule_range(defs, instance, tick) == [(str(END - dt.timedelta(days=2)), str(END))]
    # what exists is the warehouse's ledger's to say: an instance that recorded none of those runs
    # (a new DAGSTER_HOME) still refreshes the lookback alone
    assert _schedule_range(defs, _persistent_instance(tmp_path / "new_home"), tick) == [
        (str(END - dt.timedelta(days=2)), str(END))]

    # a day whose run failed (never materialized) is picked up by the next tick
    db2, config2, defs2 = _project(tmp_path, "wh2")
    instance2 = _persistent_instance(tmp_path / "home2")
    run_experiment(config2, "exp_a", end=str(DAYS[0]), instance=instance2)
    run_experiment(config2, "exp_a", start=str(DAYS[2]), instance=instance2)
    assert _schedule_range(defs2, instance2, tick) == [(str(DAYS[1]), str(END))]

    # a changed definition (a metric edited) reruns the whole history
    edited = fixtures.make_config(db, **OPTIONS, winsorize="{upper: 0.9}")
    assert _schedule_range(build_definitions(edited), instance, tick) == [(str(START), str(END))]


def test_late_data_through_the_sensor_equals_a_full_refresh(tmp_path):
    db, config, defs = _project(tmp_path)
    instance = dg.DagsterInstance.ephemeral()
    run_experiment(config, "exp_a", instance=instance)
    _, cursor = _evaluate(defs, instance)
    late = pd.DataFrame({"user_id": ["u003", "u010", "x_pre"], "ts": [fixtures.ts(DAYS[1], 23)] * 3,
                         "amount": [70.0, 5.0, 15.0]})
    _append(db, "orders", late)
    result, _ = _evaluate(defs, instance, cursor)
    (first, last), = _requested(result)
    run_experiment(config, "exp_a", start=first, end=last, instance=instance)

    ref_db = tmp_path / "ref.duckdb"
    raw = fixtures.raw_tables()
    raw["orders"] = pd.concat([raw["orders"], late]).sort_values("ts", kind="stable")
    fixtures.write_raw(ref_db, raw)
    ref_config = fixtures.make_config(ref_db, **OPTIONS)
    run_experiment(ref_config, "exp_a", instance=dg.DagsterInstance.ephemeral())
    expected, got = fixtures.output_tables(ref_db), fixtures.output_tables(db)
    assert expected.keys() == got.keys()
    for name in expected:
        pd.testing.assert_frame_equal(expected[name], got[name], obj=name)


def test_metric_refresh_touches_only_that_metrics_tables(tmp_path):
    db, config, defs = _project(tmp_path)
    instance = dg.DagsterInstance.ephemeral()
    run_experiment(config, "exp_a", instance=instance)
    before = fixtures.output_tables(db)
    text = fixtures.config_text(db, **OPTIONS).replace('filter: "amount > 50"', 'filter: "amount > 20"', 1)
    from exp_assets.config import parse_config

    edited = parse_config(text)
    plan = ExperimentPlan(edited, edited.experiments[0])
    touched = plan.artifacts_using("big_orders")
    assert touched[:3] == ["user_level_aggregations_orders", "pre_exposure_covariates_orders", "unit_totals"]
    old_plan = ExperimentPlan(config, config.experiments[0])
    stale = {a.name for a in plan.artifacts if plan.code_version(a.name) != old_plan.code_version(a.name)}
    assert stale <= set(touched)
    run_experiment(edited, "exp_a", artifacts=touched, instance=instance)
    after = fixtures.output_tables(db)
    for name in before:
        artifact = name.removeprefix("exp_a_")
        if artifact in touched or name == "source_days_orders":  # the shared facts hold big_orders too
            continue
        pd.testing.assert_frame_equal(before[name], after[name], check_exact=True, obj=name)
    assert after["source_days_orders"].big_orders.sum() > before["source_days_orders"].big_orders.sum()
    changed = after["exp_a_user_level_aggregations_orders"].big_orders.sum()
    assert changed > before["exp_a_user_level_aggregations_orders"].big_orders.sum()
    assert after["exp_a_results_cumulative"].equals(before["exp_a_results_cumulative"]) is False


def _clean_build(tmp_path, raw, name="clean"):
    """The output tables of a clean full build of `raw`."""
    db = tmp_path / f"{name}.duckdb"
    fixtures.write_raw(db, raw)
    run_experiment(fixtures.make_config(db, **OPTIONS), "exp_a", instance=dg.DagsterInstance.ephemeral())
    return fixtures.output_tables(db)


def _assert_equal_tables(expected: dict, got: dict) -> None:
    assert expected.keys() == got.keys()
    for name in expected:
        pd.testing.assert_frame_equal(expected[name], got[name], check_exact=False, rtol=1e-12, atol=1e-12, obj=name)


@pytest.mark.parametrize("emptied", ["page_views", "exposures"])
def test_a_failed_blocking_check_is_rerun_by_the_schedule_and_ends_like_a_clean_build(tmp_path, emptied):
    """D1: an upstream reload empties a source while a ranged run builds days
    older than the schedule's lookback; the run fails its blocking check
    (source_data_present / exposures_present); the identical rows come back.
    The next schedule tick re-derives those days, and nothing is built on the
    emptied snapshot: every table equals a clean build."""
    db, config, defs = _project(tmp_path)
    instance = _persistent_instance(tmp_path / "home")
    run_experiment(config, "exp_a", instance=instance)
    with duckdb.connect(str(db)) as conn:
        saved = conn.execute(f"SELECT * FROM raw.{emptied}").df()
        conn.execute(f"DELETE FROM raw.{emptied}")
    first, last = str(DAYS[0]), str(DAYS[2])  # older than the schedule's lookback (2 days) at the tick below
    with pytest.raises(dg.DagsterError, match="exposures_present|source_data_present"):
        run_experiment(config, "exp_a", start=first, end=last, instance=instance)
    _append(db, emptied, saved)

    tick = dt.datetime(2026, 1, 9, 1, tzinfo=dt.timezone.utc)
    (span,) = _schedule_range(defs, instance, tick)
    assert span == (first, str(END))  # the failed days count as missing
    run_experiment(config, "exp_a", start=span[0], end=span[1], instance=instance)
    _assert_equal_tables(_clean_build(tmp_path, fixtures.raw_tables()), fixtures.output_tables(db))


_KILLED_RUN = """
import sys
from exp_assets.config import parse_config
from exp_assets.run import run_experiment

run_experiment(parse_config(open(sys.argv[1]).read(), "test.yaml"), "exp_a", sys.argv[2], sys.argv[3])
"""


def test_a_run_killed_by_sigkill_holds_neither_the_sensor_nor_queued_runs(tmp_path):
    """D2: a run of the job killed by SIGKILL mid-run stays STARTED; with the
    dagster.yaml the demo writes (one run per DuckDB file, run monitoring on)
    the sensor's next tick finds its worker gone, marks it failed and requests
    a run, and the queued run is the coordinator's next to launch."""
    from dagster._core.remote_origin import RegisteredCodeLocationOrigin, RemoteJobOrigin, RemoteRepositoryOrigin
    from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import QueuedRunCoordinatorDaemon

    from exp_assets.automation.workers import HOST_TAG, worker_pid
    from exp_assets.cli import DAGSTER_YAML

    db, config, defs = _project(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(DAGSTER_YAML)
    (tmp_path / "config.yaml").write_text(fixtures.config_text(db, **OPTIONS))
    instance = dg.DagsterInstance.from_config(str(home))
    assert instance.run_monitoring_enabled and instance.run_monitoring_max_runtime_seconds > 0

    holder = duckdb.connect(str(db))  # the run waits for the file at its first step: killed mid-run
    child = subprocess.Popen([sys.executable, "-c", _KILLED_RUN, str(tmp_path / "config.yaml"), str(START), str(END)],
                             env={**os.environ, "DAGSTER_HOME": str(home)})
    try:
        deadline = time.monotonic() + 120
        while True:
            assert time.monotonic() < deadline and child.poll() is None, "the run did not start"
            records = instance.get_run_records(dg.RunsFilter(job_name="exp_a_pipeline"))
            if records and HOST_TAG in records[0].dagster_run.tags and worker_pid(instance, records[0].dagster_run.run_id):
                break
            time.sleep(0.2)
        child.send_signal(signal.SIGKILL)
        child.wait()
    finally:
        holder.close()
    killed = records[0].dagster_run.run_id
    assert instance.get_run_by_id(killed).status == dg.DagsterRunStatus.STARTED  # it never reports its end
    job = defs.get_repository_def().get_job("exp_a_pipeline")
    origin = RemoteJobOrigin(RemoteRepositoryOrigin(RegisteredCodeLocationOrigin("exp_assets"), "__repository__"),
                             "exp_a_pipeline")  # where the daemon would launch it from
    queued = instance.create_run_for_job(job, status=dg.DagsterRunStatus.QUEUED, remote_job_origin=origin,
                                         tags={**job.tags, RANGE_START: str(START), RANGE_END: str(END)})
    daemon = QueuedRunCoordinatorDaemon(interval_seconds=1)

    def next_to_launch():
        return [r.run_id for r in daemon._get_runs_to_dequeue(instance, instance.get_concurrency_config(), None)]

    assert next_to_launch() == []  # one run per DuckDB file: the dead one holds the queue
    result, _ = _evaluate(defs, instance)
    assert instance.get_run_by_id(killed).status == dg.DagsterRunStatus.FAILURE
    assert next_to_launch() == [queued.run_id]
    # the queued run is in flight now; once it is gone too, the sensor requests the days
    assert "in flight" in (result.skip_message or "")
    instance.delete_run(queued.run_id)
    result, _ = _evaluate(defs, instance)
    assert _requested(result) == [(str(START), str(END))]


def test_an_update_older_than_the_lookback_is_picked_up_by_the_default_automation(tmp_path):
    """D10: an UPDATE of old rows' amounts keeps each day's row count and latest
    timestamp; the sensor, on by default, sees the day's fingerprint change and
    requests it (older than the schedule's lookback) and the days after it, and
    the tables end equal to a clean build of the updated data."""
    db, config, defs = _project(tmp_path)
    assert _sensor(defs).default_status == dg.DefaultSensorStatus.RUNNING
    instance = dg.DagsterInstance.ephemeral()
    run_experiment(config, "exp_a", instance=instance)
    _, cursor = _evaluate(defs, instance)
    day = DAYS[1]  # the schedule's lookback (2 days) would not reach it
    with duckdb.connect(str(db)) as conn:
        conn.execute(f"UPDATE raw.orders SET amount = amount * 3 WHERE CAST(ts AS DATE) = DATE '{day}'")
    result, _ = _evaluate(defs, instance, cursor)
    assert _requested(result) == [(str(day), str(END))]
    run_experiment(config, "exp_a", start=str(day), end=str(END), instance=instance)

    raw = fixtures.raw_tables()
    orders = raw["orders"]
    orders.loc[orders.ts.dt.date == day, "amount"] *= 3
    _assert_equal_tables(_clean_build(tmp_path, raw), fixtures.output_tables(db))


def test_a_change_stays_due_until_a_run_has_materialized_it(tmp_path):
    """Seen while building benchmarks/fault_injection.py: the sensor moved its cursor past a
    change when it requested the run; when that run was killed (or failed) before
    materializing the changed day, no later tick asked again and the schedule's
    lookback does not reach an old day. A changed day stays due until every asset
    has materialized it and every later day (built upon it) after the change was
    seen, under a new run key each time. benchmarks/fault_injection.py seed 4 then
    found a run of the changed day alone clearing it while later days stayed stale."""
    db, config, defs = _project(tmp_path)
    instance = dg.DagsterInstance.ephemeral()
    run_experiment(config, "exp_a", instance=instance)
    _, cursor = _evaluate(defs, instance)
    day = DAYS[1]  # older than the schedule's lookback
    with duckdb.connect(str(db)) as conn:
        conn.execute(f"UPDATE raw.orders SET amount = amount * 3 WHERE CAST(ts AS DATE) = DATE '{day}'")
    first, cursor = _evaluate(defs, instance, cursor)
    assert _requested(first) == [(str(day), str(END))]
    # the requested run is killed before it materializes anything; a run of other days succeeds
    run_experiment(config, "exp_a", start=str(END), end=str(END), instance=instance)
    again, cursor = _evaluate(defs, instance, cursor)
    assert _requested(again) == [(str(day), str(END))]
    assert again.run_requests[0].run_key != first.run_requests[0].run_key  # the daemon would skip a repeated key
    # a run of the changed day alone leaves the days after it (built upon it) stale: still due
    run_experiment(config, "exp_a", start=str(START), end=str(day), instance=instance)
    partly, cursor = _evaluate(defs, instance, cursor)
    assert _requested(partly) == [(str(day), str(END))]
    run_experiment(config, "exp_a", start=str(day), end=str(END), instance=instance)
    done, _ = _evaluate(defs, instance, cursor)
    assert _requested(done) == []


def test_the_ledger_decides_when_a_changed_day_is_rebuilt(tmp_path):
    """What exists is the warehouse ledger's to say, not Dagster's event log: a
    changed day whose ledger rows predate the change stays due though the event
    log holds materializations made after it, and a rebuild the sensor's
    instance never heard of (another DAGSTER_HOME) clears it."""
    db, config, defs = _project(tmp_path)
    instance = dg.DagsterInstance.ephemeral()
    run_experiment(config, "exp_a", instance=instance)
    _, cursor = _evaluate(defs, instance)
    day = DAYS[1]
    with duckdb.connect(str(db)) as conn:
        conn.execute(f"UPDATE raw.orders SET amount = amount * 3 WHERE CAST(ts AS DATE) = DATE '{day}'")
    first, cursor = _evaluate(defs, instance, cursor)
    assert _requested(first) == [(str(day), str(END))]
    run_experiment(config, "exp_a", start=str(day), end=str(END), instance=instance)
    with duckdb.connect(str(db)) as conn:  # the ledger says these writes predate the change
        conn.execute("UPDATE exp._partitions SET written_at = written_at - INTERVAL 1 DAY")
    still, cursor = _evaluate(defs, instance, cursor)
    assert _requested(still) == [(str(day), str(END))]
    run_experiment(config, "exp_a", start=str(day), end=str(END), instance=dg.DagsterInstance.ephemeral())
    done, _ = _evaluate(defs, instance, cursor)
    assert _requested(done) == [] and "no source changed" in done.skip_message


_KILLED_BEFORE_ITS_FIRST_ASSET = """
import os, signal, sys
import dagster as dg
from exp_assets.assets import factory
from exp_assets.run import run_experiment
from exp_assets.config import parse_config

factory.record_host = lambda context: os.kill(os.getpid(), signal.SIGKILL)  # dies as its first asset starts
run_experiment(parse_config(open(sys.argv[1]).read(), "test.yaml"), "exp_a", instance=dg.DagsterInstance.get())
"""


def test_a_cli_run_killed_before_its_first_asset_holds_no_automation(tmp_path):
    """Seen while building benchmarks/fault_injection.py: the host tag that lets automation
    judge a run's worker was added by the run's first asset, so an `exp-assets run`
    killed between creating its run and that asset stayed STARTED and held the
    sensor ("in flight") until run monitoring's 6-hour bound. A CLI run carries
    its host and pid from creation."""
    db, config, defs = _project(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "config.yaml").write_text(fixtures.config_text(db, **OPTIONS))
    child = subprocess.run([sys.executable, "-c", _KILLED_BEFORE_ITS_FIRST_ASSET, str(tmp_path / "config.yaml")],
                           env={**os.environ, "DAGSTER_HOME": str(home)}, timeout=300)
    assert child.returncode == -signal.SIGKILL
    instance = dg.DagsterInstance.from_config(str(home))
    (run,) = instance.get_runs()
    assert run.status == dg.DagsterRunStatus.STARTED
    result, _ = _evaluate(defs, instance)
    assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE
    assert _requested(result) == [(str(START), str(END))]


def test_a_sensor_cursor_written_before_due_days_reads_as_its_state():
    """An upgrade must not make every watched day look changed (a needless rerun)."""
    from exp_assets.automation.sensor import read_cursor

    state = {"orders|2026-01-04": [3, "2026-01-04 20:00:00", "123"]}
    now = "2026-01-05T01:00:00+00:00"
    assert read_cursor(json.dumps(state), now) == (state, {})
    due = {"2026-01-03": "2026-01-04T01:00:00.123456+00:00", "2026-01-04": None}
    assert read_cursor(json.dumps({"state": state, "due": due}), now) == (state, due)
    assert read_cursor(None, now) == ({}, {})
    # a due day of a cursor written while Dagster's event log decided holds an event-log id: seen now
    assert read_cursor(json.dumps({"state": state, "due": {"2026-01-04": 7}}), now) == (state, {"2026-01-04": now})
