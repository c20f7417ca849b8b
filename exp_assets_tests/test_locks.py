"""Waiting for the DuckDB file, and failing when waiting cannot help.

- One wait layer: a run that cannot get the file fails after `lock_timeout`
  seconds, not after dagster-duckdb's own retries plus the adapter's.
- Its backoff is exponential with jitter (processes waiting on one file do not
  retry in lockstep).
- The error names the file and what holds it: the PID, whether it writes or
  only reads, and whether it is a pipeline run or another program.
- Progress is logged while waiting.
- A permanent I/O error (the database's directory does not exist) fails at
  once, naming the path; `exp-assets validate` reports it.

Each holder is a separate process: DuckDB's locks are per process.
"""

from __future__ import annotations

import itertools
import logging
import random
import subprocess
import sys
import time

import dagster as dg
import duckdb
import pytest

from exp_assets.assets.resources import DuckDBRunResource
from exp_assets.cli import main
from exp_assets.config import parse_config
from exp_assets.warehouse import WarehouseBusy, duckdb_lock
from exp_assets_tests import fixtures

TIMEOUT = 3.0
# A process that opens the file, says so, and keeps it open; extra arguments
# only show up in its command line (how a holder is recognised).
_HOLD = ("import duckdb, sys, time; conn = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == 'read'); "
         "print('held', flush=True); time.sleep(120)")


@pytest.fixture
def hold(tmp_path):
    """hold(mode, *argv): a process holding the file wh.duckdb (created empty)."""
    db = tmp_path / "wh.duckdb"
    duckdb.connect(str(db)).close()
    holders = []

    def start(mode: str, *argv: str) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(db), mode, *argv], stdout=subprocess.PIPE, text=True)
        holders.append(proc)
        assert proc.stdout.readline().strip() == "held"
        return proc

    start.db = db
    yield start
    for proc in holders:
        proc.kill()
        proc.wait()


def _busy(db, timeout: float = TIMEOUT) -> tuple[str, float]:
    """The WarehouseBusy message of a query through the project's resource, and how long it took."""
    wh = DuckDBRunResource(database=str(db), lock_timeout=timeout).adapter("exp")
    began = time.monotonic()
    with pytest.raises(WarehouseBusy) as error:
        wh.query("SELECT 1")
    return str(error.value), time.monotonic() - began


def test_backoff_is_exponential_with_jitter():
    delays = list(itertools.islice(duckdb_lock.backoff_delays(random.Random(7)), 12))
    nominal = [min(duckdb_lock.FIRST_DELAY * 2 ** i, duckdb_lock.MAX_DELAY) for i in range(12)]
    assert all(0.5 * n <= d < 1.5 * n for d, n in zip(delays, nominal))
    # each delay jittered on its own: no two share the factor, none is the nominal power of two
    assert len({round(d / n, 9) for d, n in zip(delays, nominal)}) == 12
    assert all(d != n for d, n in zip(delays, nominal))
    assert delays == list(itertools.islice(duckdb_lock.backoff_delays(random.Random(7)), 12))
    assert delays != list(itertools.islice(duckdb_lock.backoff_delays(random.Random(8)), 12))


def test_a_read_only_reader_fails_the_wait_within_lock_timeout_naming_it(hold):
    reader = hold("read")
    message, waited = _busy(hold.db)
    assert TIMEOUT <= waited < TIMEOUT + 1.5  # one layer: not dagster-duckdb's retries on top
    assert str(hold.db) in message and f"PID {reader.pid}" in message
    assert "reading only" in message and "not a pipeline run" in message and f"{TIMEOUT:g}s" in message
    assert "another run" not in message


def test_the_documented_bound_holds_a_waiter_gives_up_at_lock_timeout(hold):
    """README's bound: a step waits for a held file `lock_timeout` seconds in
    all, through what a run's context holds (the resource, handing out its
    adapter), with no second wait layer on top (dagster-duckdb's retries)."""
    hold("write")
    bound = 2.0
    with dg.build_resources({"warehouse": DuckDBRunResource(database=str(hold.db), lock_timeout=bound)}) as resources:
        began = time.monotonic()
        with pytest.raises(WarehouseBusy, match=r"for more than 2s \(lock_timeout\)"):
            resources.warehouse.adapter("exp").query("SELECT 1")
        waited = time.monotonic() - began
    assert bound <= waited < bound + 0.3, waited


def test_a_pipeline_run_holding_the_file_is_named_as_one(hold):
    run = hold("write", "exp-assets", "run", "checkout_redesign")  # as `exp-assets run` shows in ps
    message, _ = _busy(hold.db, timeout=0.5)
    assert f"PID {run.pid}" in message and "a pipeline run" in message and "writing" in message
    assert "exp-assets run checkout_redesign" in message


def test_progress_is_logged_while_waiting(hold, caplog, monkeypatch):
    monkeypatch.setattr(duckdb_lock, "PROGRESS_SECONDS", 1.0)
    writer = hold("write")
    with caplog.at_level(logging.INFO):
        _busy(hold.db)
    waits = [r.getMessage() for r in caplog.records if "waiting" in r.getMessage()]
    # at once, then again once PROGRESS_SECONDS have passed (at the next attempt)
    assert len(waits) >= 2 and "0s of at most 3s" in waits[0], caplog.text
    assert all(f"PID {writer.pid}" in m and str(hold.db) in m for m in waits)


def test_a_run_fails_within_lock_timeout(hold, caplog):
    """The issue's scenario: a run of the pipeline against a held file."""
    from exp_assets.definitions import build_definitions

    hold("write")
    text = fixtures.config_text(hold.db).replace("output_schema: exp}", f"output_schema: exp, lock_timeout: {TIMEOUT}}}")
    defs = build_definitions(parse_config(text, "test.yaml"))
    assets = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition)]
    with caplog.at_level(logging.WARNING):
        result = dg.materialize(assets, resources={"warehouse": defs.resources["warehouse"]}, raise_on_error=False,
                                tags={"dagster/asset_partition_range_start": str(fixtures.START),
                                      "dagster/asset_partition_range_end": str(fixtures.START)})
    ended = time.time()
    assert not result.success
    # from the first failed attempt (logged at once) to the run's end, teardown included
    first_wait = next(r.created for r in caplog.records if "waiting for" in r.getMessage())
    assert TIMEOUT <= ended - first_wait < TIMEOUT + 2
    errors = [e.step_failure_data.error.to_string() for e in result.all_events if e.is_step_failure]
    assert errors and "WarehouseBusy" in errors[0] and f"more than {TIMEOUT:g}s" in errors[0]


def test_a_missing_database_directory_fails_at_once_naming_it(tmp_path, monkeypatch):
    sleeps = []
    monkeypatch.setattr(time, "sleep", sleeps.append)  # any retry would sleep
    missing = tmp_path / "no_such_dir"
    wh = DuckDBRunResource(database=str(missing / "wh.duckdb")).adapter("exp")
    with pytest.raises(FileNotFoundError) as error:
        wh.query("SELECT 1")
    assert sleeps == []
    assert f"{missing}" in str(error.value) and "does not exist" in str(error.value)


def test_validate_reports_a_database_directory_that_does_not_exist(tmp_path, capsys):
    missing = tmp_path / "no_such_dir"
    config = tmp_path / "project.yaml"
    config.write_text(fixtures.config_text(missing / "wh.duckdb"))
    assert main(["--config", str(config), "validate"]) == 2
    err = capsys.readouterr().err
    assert "warehouse.database" in err and str(missing) in err and "does not exist" in err
    assert "Traceback" not in err


def test_validate_accepts_a_database_file_not_created_yet(tmp_path):
    config = tmp_path / "project.yaml"
    config.write_text(fixtures.config_text(tmp_path / "new.duckdb"))
    assert main(["--config", str(config), "validate"]) == 0

