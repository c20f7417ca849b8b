"""`exp-assets demo` on Snowflake (fakesnow's server) and BigQuery (bqemulator):
the demo data built in DuckDB, copied into the engine, every experiment run
there, and the printed scorecards equal the DuckDB demo's. The demo's config
is cut to three days of each experiment (`short_demo`): the emulators take
seconds per day, and every step and statistic runs on them in three days as in
a month (test_engines compares every table over the fixture's whole span)."""

from __future__ import annotations

import contextlib
import io
import re
import time
from pathlib import Path

import pandas as pd
import pytest

from exp_assets.cli import DEMO_WAREHOUSES, demo_config_with_warehouse, latest_results, load_demo_data, main
from exp_assets.config import load_config, parse_config
from exp_assets.config.loader import demo_config_path
from exp_assets_tests.engines import BQ_PROJECT, assert_same_tables, fakesnow_server

UNITS = 500  # units per experiment: every step and statistic runs, small enough for the emulators
EXPERIMENTS = ("checkout_redesign", "search_ranking", "pricing_page")
DEMO_END, SHORT_START, SHORT_END = "end_date: 2026-10-28", "start_date: 2026-10-12", "end_date: 2026-10-14"


@pytest.fixture(scope="module")
def short_demo(tmp_path_factory) -> Path:
    """The demo's config, every experiment running 2026-10-12..14 (9 experiment-days, not 66)."""
    text = demo_config_path().read_text()
    assert text.count(DEMO_END) == len(EXPERIMENTS)
    text = re.sub(r"start_date: 2026-10-\d\d", SHORT_START, text.replace(DEMO_END, SHORT_END))
    assert text.count(SHORT_START) == len(EXPERIMENTS)
    path = tmp_path_factory.mktemp("short_demo") / "demo.yaml"
    path.write_text(text)
    return path


def demo_argv(config: Path, *options: str) -> list[str]:
    return ["--config", str(config), "demo", "--units", str(UNITS), *options]


def run_demo(workdir: Path, argv: list[str], env: dict[str, str] | None = None):
    """`exp-assets demo` in process from `workdir`: its stdout, and each experiment's
    latest overall results read back from the engine the demo ran on."""
    workdir.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(workdir)
        mp.delenv("EXP_ASSETS_CONFIG", raising=False)
        mp.setenv("DAGSTER_HOME", str(workdir / "home"))
        for name, value in (env or {}).items():
            mp.setenv(name, value)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(argv) == 0
        engine = argv[argv.index("--warehouse") + 1] if "--warehouse" in argv else None
        config = load_config(workdir / "home" / f"demo_{engine}.yaml" if engine else argv[argv.index("--config") + 1])
        frames = {e: latest_results(config, e)[1] for e in EXPERIMENTS}
    return out.getvalue(), frames


def scorecards(stdout: str) -> str:
    """The scorecard tables of the demo's output (from the first one to the UI hint)."""
    start = stdout.index("\ncheckout_redesign: cumulative results as of")
    return stdout[start:stdout.index("\nOpen the Dagster UI")]


def numeric(frame: pd.DataFrame) -> pd.DataFrame:
    """latest_results' object columns back as numbers where they are numbers."""
    out = frame.copy()
    for name in out.columns:
        try:
            out[name] = pd.to_numeric(out[name])
        except (TypeError, ValueError):
            pass
    return out


def assert_same_demo(got, expected) -> None:
    got_text, got_frames = got
    expected_text, expected_frames = expected
    assert scorecards(got_text) == scorecards(expected_text)
    assert_same_tables({e: numeric(f) for e, f in got_frames.items()},
                       {e: numeric(f) for e, f in expected_frames.items()})


@pytest.fixture(scope="module")
def duckdb_demo(tmp_path_factory, short_demo):
    started = time.monotonic()
    result = run_demo(tmp_path_factory.mktemp("duckdb_demo"), demo_argv(short_demo))
    print(f"DuckDB demo at {UNITS} units: {time.monotonic() - started:.0f}s")
    return result


# --- the demo on each engine ---------------------------------------------------------------


def test_demo_on_snowflake_against_the_fakesnow_server(tmp_path, short_demo, duckdb_demo):
    workdir = tmp_path / "demo"
    with fakesnow_server(tmp_path / "fakesnow.log") as port:
        env = {"SNOWFLAKE_ACCOUNT": "demo", "SNOWFLAKE_USER": "demo", "SNOWFLAKE_PASSWORD": "demo",
               "SNOWFLAKE_HOST": "127.0.0.1", "SNOWFLAKE_PORT": str(port), "SNOWFLAKE_PROTOCOL": "http"}
        started = time.monotonic()
        got = run_demo(workdir, demo_argv(short_demo, "--warehouse", "snowflake"), env)
        print(f"Snowflake (fakesnow server) demo at {UNITS} units: {time.monotonic() - started:.0f}s")
    out = got[0]
    assert f"copying it to snowflake (database DEMO at 127.0.0.1:{port}, schema raw)" in out
    assert f"EXP_ASSETS_CONFIG={workdir / 'home' / 'demo_snowflake.yaml'}" in out
    assert_same_demo(got, duckdb_demo)


def test_demo_on_bigquery_against_the_emulator(tmp_path, bigquery_endpoint, short_demo, duckdb_demo):
    env = {"BIGQUERY_PROJECT": BQ_PROJECT, "BIGQUERY_ENDPOINT": bigquery_endpoint}
    started = time.monotonic()
    got = run_demo(tmp_path / "demo", demo_argv(short_demo, "--warehouse", "bigquery"), env)
    print(f"BigQuery (bqemulator) demo at {UNITS} units: {time.monotonic() - started:.0f}s")
    assert f"copying it to bigquery (the project in $BIGQUERY_PROJECT at {bigquery_endpoint}, schema raw)" in got[0]
    assert_same_demo(got, duckdb_demo)


# --- the override and its guard (no engine needed) -------------------------------------------


@pytest.mark.parametrize("engine", sorted(DEMO_WAREHOUSES))
def test_warehouse_override_swaps_only_the_warehouse_block(tmp_path, engine):
    written = demo_config_with_warehouse(demo_config_path(), engine, tmp_path)
    assert written == tmp_path / f"demo_{engine}.yaml"
    swapped, original = load_config(written), load_config(demo_config_path())
    assert swapped.warehouse.type == engine and swapped.warehouse.output_schema == "exp"
    assert swapped.model_dump(exclude={"warehouse"}) == original.model_dump(exclude={"warehouse"})
    assert "# only the events in a window after each unit's first exposure" in written.read_text()  # comments kept


def test_demo_refuses_a_config_whose_sources_read_other_tables(tmp_path):
    text = demo_config_with_warehouse(demo_config_path(), "snowflake", tmp_path).read_text()
    config = parse_config(text.replace("table: raw.orders", "table: analytics.orders"), "x.yaml")
    with pytest.raises(SystemExit, match="this config's sources also read analytics.orders"):
        load_demo_data(config, UNITS)  # before any connection is made
