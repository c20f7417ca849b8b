"""The three engines the pipeline runs on, as one pytest fixture parameter:
DuckDB directly, Snowflake on fakesnow (in process), BigQuery on bqemulator
(a server started from its own virtualenv on 127.0.0.1, stopped after the session).

Usage: a test takes `engine` (parametrized over ENGINES) and gets an Engine:
`engine.setup(raw, **config_options)` loads the raw tables and returns
(warehouse, plan); `engine.tables()` returns every output table as pandas
frames normalized for comparison (see `normalized`).

A module whose tests share pipeline runs takes `shared_engine` instead: the
same parameter, one Engine per module and engine. Each `setup` on an Engine
gets a workspace of its own (DuckDB file, Snowflake schemas, BigQuery
datasets), so one Engine can hold several runs side by side; address their
tables through the plan (`table(plan.schema, plan.table_name(artifact))`).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from exp_assets.config import parse_config
from exp_assets.plan import ExperimentPlan
from exp_assets.quoting import table
from exp_assets.shared_facts import shared_sources
from exp_assets.warehouse.base import LEDGER_TABLE
from exp_assets_tests import fixtures

ENGINES = ("duckdb", "snowflake", "bigquery")
# fakesnow warns on every result it fetches: a module on the engines sets `pytestmark = quiet_fakesnow`
quiet_fakesnow = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result:UserWarning")
REPO = Path(__file__).resolve().parents[1]
BQEMULATOR_VENV = Path(os.environ.get("EXP_ASSETS_BQEMULATOR_VENV", REPO / ".ci" / ".venv-bqemulator"))
BQ_PROJECT = "test-proj"


def with_warehouse(config_text: str, block: str, raw_schema: str = "raw") -> str:
    """The fixture config with another `warehouse:` block and its raw tables in `raw_schema`."""
    text = re.sub(r"^warehouse: .*$", f"warehouse: {block}", config_text, count=1, flags=re.MULTILINE)
    return text.replace("raw.", f"{raw_schema}.")


def microsecond_raw(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The raw tables with timestamps at microseconds, the finest all three engines keep."""
    out = {}
    for name, frame in raw.items():
        frame = frame.copy()
        frame["ts"] = frame["ts"].dt.floor("us")
        out[name] = frame
    return out


def normalized(frame: pd.DataFrame, order: list[str] | None = None) -> pd.DataFrame:
    """A table read back from any engine in one shape: datetimes as naive UTC
    datetime64[ns], numbers as float64, booleans as objects, columns by name,
    rows sorted by the exact columns first (so float noise cannot reorder them)."""
    frame = frame.copy()
    exact = []
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            frame[name] = column.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")
        elif pd.api.types.is_datetime64_any_dtype(column):
            frame[name] = column.astype("datetime64[ns]")
        elif pd.api.types.is_bool_dtype(column) or column.dtype == object:
            frame[name] = pd.Series([None if _missing(v) else v for v in column], index=frame.index, dtype=object)
        elif pd.api.types.is_numeric_dtype(column):
            if not pd.api.types.is_float_dtype(column):
                exact.append(name)
            frame[name] = column.astype("float64")
            continue
        exact.append(name)
    columns = sorted(frame.columns)
    order = order or sorted(exact) + [c for c in columns if c not in exact]
    out = frame[columns].sort_values(order, na_position="last").reset_index(drop=True)
    out.attrs["order"] = order
    return out


def _missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def assert_same_tables(got: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame], rtol: float = 1e-9) -> None:
    assert sorted(got) == sorted(expected), f"tables differ: {sorted(set(got) ^ set(expected))}"
    for name in expected:
        right = normalized(expected[name])
        left = normalized(got[name], right.attrs["order"] if set(got[name].columns) == set(right.columns) else None)
        assert list(left.columns) == list(right.columns), f"{name}: columns {list(left.columns)} != {list(right.columns)}"
        assert len(left) == len(right), f"{name}: {len(left)} rows, expected {len(right)}"
        pd.testing.assert_frame_equal(left, right, check_dtype=False, rtol=rtol, atol=1e-12, obj=name)


def plan_tables(warehouse, plan: ExperimentPlan) -> dict[str, pd.DataFrame]:
    """Every table of the plan's artifacts and of the facts it shares with
    other experiments, read through `warehouse` (any engine)."""
    names = [plan.table_name(artifact.name) for artifact in plan.artifacts]
    names += [s.name for s in shared_sources(plan.config) if plan.id in {p.id for p in s.plans}]
    return {name: warehouse.query(f"SELECT * FROM {table(plan.schema, name)}") for name in names}


@dataclass
class Engine:
    name: str
    tmp_path: Path
    emulator_endpoint: str | None = None
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    warehouse: object = None
    setups: int = 0  # workspaces made so far: the first is wh.duckdb / exp and raw, later ones numbered
    database: Path | None = None  # the DuckDB file of the latest setup
    raw_schema: str = "raw"  # the raw tables' schema of the latest setup

    def setup(self, raw: dict[str, pd.DataFrame], policy: str = "exclude", edit=None, **options):
        """Load `raw` into this engine and return (warehouse, plan) for the fixture
        config (`options` as for fixtures.config_text, then `edit(text)` if given).
        Every call gets a workspace of its own; `tables()` reads the latest."""
        self.setups += 1
        space = "" if self.setups == 1 else f"_{self.setups}"
        db = self.database = self.tmp_path / f"wh{space}.duckdb"
        text = fixtures.config_text(db, policy, **options)
        if edit is not None:
            text = edit(text)
        if self.name == "duckdb":
            fixtures.write_raw(db, raw)
            config = parse_config(text, "test.yaml")
            self.warehouse = fixtures.warehouse(db)
        elif self.name == "snowflake":
            import fakesnow
            from dagster_snowflake import SnowflakeResource

            from exp_assets.warehouse.snowflake_warehouse import SnowflakeWarehouse

            if self.setups == 1:  # one fake Snowflake (an in-memory DuckDB) for all of this Engine's runs
                self.stack.enter_context(fakesnow.patch())
            raw_schema, output = f"raw{space}", f"exp{space}"
            config = parse_config(
                with_warehouse(text, f"{{type: snowflake, database: TESTDB, output_schema: {output}}}", raw_schema),
                "test.yaml",
            )
            resource = SnowflakeResource(account="test", user="test", password="test", database="TESTDB")
            self.warehouse = SnowflakeWarehouse(resource.get_connection, output)
            self.raw_schema = raw_schema
            for name, frame in raw.items():
                self.warehouse.load_table(raw_schema, name, frame)
        else:
            from exp_assets.assets.bigquery_resource import BigQueryEndpointResource

            suffix = uuid.uuid4().hex[:8]  # one emulator per session: datasets of their own per test
            raw_schema, output = f"raw_{suffix}", f"exp_{suffix}"
            config = parse_config(
                with_warehouse(text, f"{{type: bigquery, output_schema: {output}}}", raw_schema), "test.yaml"
            )
            resource = BigQueryEndpointResource(project=BQ_PROJECT, api_endpoint=self.emulator_endpoint)
            self.warehouse = resource.adapter(output)
            self.raw_schema = raw_schema
            for name, frame in raw.items():
                self.warehouse.load_table(raw_schema, name, frame, timestamp="ts")
        return self.warehouse, ExperimentPlan(config, config.experiments[0])

    def replace_raw(self, raw: dict[str, pd.DataFrame]) -> None:
        """Replace the raw tables of the latest setup with `raw` (data that arrived late)."""
        if self.name == "duckdb":
            fixtures.write_raw(self.database, raw)
            return
        for name, frame in raw.items():
            self.warehouse.load_table(self.raw_schema, name, frame, timestamp="ts")

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every pipeline table of the output schema (not the ledger)."""
        wh = self.warehouse
        if self.name == "duckdb":
            return fixtures.output_tables(self.database)
        return {t: wh.read_table(t) for t in wh.tables() if t != LEDGER_TABLE and not t.startswith("_")}


# --- the emulators' servers -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _restore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def _server(name: str, command: list[str], log_path: Path, probe: str, timeout: float,
            env: dict[str, str] | None = None, any_answer: bool = False):
    """`command` as a server in its own session, ready once `probe` answers
    (with success, or with anything if `any_answer`); stopped afterwards."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            start_new_session=True, preexec_fn=_restore_sigint,
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}: {log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(probe, timeout=2):
                    break
            except urllib.error.HTTPError:
                if any_answer:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer at {probe} within {timeout:.0f}s")
            time.sleep(0.25)
        yield
    finally:
        _stop(process)


@contextlib.contextmanager
def bqemulator(log_path: Path, timeout: float = 90.0):
    """bqemulator serving on 127.0.0.1 (REST and gRPC on free ports) from its own
    virtualenv; yields the REST endpoint and stops the server afterwards."""
    rest, grpc = _free_port(), _free_port()
    endpoint = f"http://127.0.0.1:{rest}"
    command = [str(BQEMULATOR_VENV / "bin" / "bqemulator"), "start", "--rest-host", "127.0.0.1", "--rest-port",
               str(rest), "--grpc-host", "127.0.0.1", "--grpc-port", str(grpc), "--project", BQ_PROJECT,
               "--log-level", "warning"]
    env = {**os.environ, "BQEMU_ENABLE_FORMAT_EXTENSIONS": "false", "NO_GCE_CHECK": "true"}
    with _server("bqemulator", command, log_path, f"{endpoint}/bigquery/v2/projects/{BQ_PROJECT}/datasets",
                 timeout, env):
        yield endpoint


@contextlib.contextmanager
def fakesnow_server(log_path: Path, timeout: float = 60.0):
    """`fakesnow -s` (a Snowflake endpoint over HTTP) on 127.0.0.1; yields its port."""
    port = _free_port()
    command = [sys.executable, "-m", "fakesnow", "-s", "-p", str(port), "--host", "127.0.0.1"]
    with _server("fakesnow server", command, log_path, f"http://127.0.0.1:{port}/", timeout, any_answer=True):
        yield port


def _stop(process: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)  # its own session: the server and nothing else
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(wait)


def bqemulator_missing() -> str | None:
    """Why the emulator cannot start here, or None."""
    if not (BQEMULATOR_VENV / "bin" / "bqemulator").exists():
        return (f"BigQuery emulator not installed at {BQEMULATOR_VENV} "
                "(run `bash .ci/setup_bqemulator.sh`, or set EXP_ASSETS_BQEMULATOR_VENV)")
    return None


@pytest.fixture(scope="session")
def bigquery_endpoint(tmp_path_factory):
    """The emulator's endpoint, one server per test session (conftest.py makes
    this module's fixtures available to every test module)."""
    missing = bqemulator_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the BigQuery tests: {missing}")
        pytest.skip(missing)
    os.environ.setdefault("NO_GCE_CHECK", "true")
    with bqemulator(tmp_path_factory.mktemp("bqemulator") / "server.log") as endpoint:
        yield endpoint


@pytest.fixture(params=ENGINES)
def engine(request, tmp_path):
    endpoint = request.getfixturevalue("bigquery_endpoint") if request.param == "bigquery" else None
    current = Engine(request.param, tmp_path, endpoint)
    with current.stack:
        yield current


def duckdb_only(reason: str):
    """Marks a test of a module on `shared_engine` to run on DuckDB alone (say why)."""
    assert reason
    return pytest.mark.parametrize("shared_engine", ["duckdb"], indirect=True)


@pytest.fixture(scope="module", params=ENGINES)
def shared_engine(request, tmp_path_factory):
    """`engine` for the pipeline runs a module's tests share (module-scoped
    fixtures built on it): pytest groups the module's tests by engine, so one
    Engine, and one fake Snowflake, is alive at a time."""
    endpoint = request.getfixturevalue("bigquery_endpoint") if request.param == "bigquery" else None
    current = Engine(request.param, tmp_path_factory.mktemp(request.param), endpoint)
    with current.stack:
        yield current
