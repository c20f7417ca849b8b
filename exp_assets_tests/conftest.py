"""Test-session settings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

import pytest

# The engine fixtures, defined once for every test module (imported into each
# module instead, a session fixture would be one per module: one emulator each).
from exp_assets_tests.engines import bigquery_endpoint, engine, shared_engine  # noqa: F401

_SHM = "/dev/shm"

# Compiled modules are cached for the session's processes (the workers, the
# subprocesses the tests start) even where the environment says not to write
# them (PYTHONDONTWRITEBYTECODE): otherwise each process compiles the project's
# modules and pytest rewrites every test module again. The installed packages
# come compiled (the README's install uses --compile-bytecode).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """Temporary directories in memory (tmpfs) when the machine has one and no
    --basetemp was given: Dagster's SQLite event log commits every event and
    DuckDB every write, and each commit's fsync costs ~18 ms on this machine's
    disk against ~0.05 ms in memory. What the tests check does not change."""
    if config.option.basetemp is None and os.access(_SHM, os.W_OK):
        config.option.basetemp = tempfile.mkdtemp(prefix="exp_assets_tests_", dir=_SHM)
        config.stash[_BASETEMP] = config.option.basetemp


@pytest.fixture(scope="session", autouse=True)
def report_dir(tmp_path_factory):
    """Runs of an experiment's job write its report: into the session's temporary
    directory, never into the working tree (unless EXP_ASSETS_REPORT_DIR says where)."""
    with pytest.MonkeyPatch.context() as mp:
        if "EXP_ASSETS_REPORT_DIR" not in os.environ:
            mp.setenv("EXP_ASSETS_REPORT_DIR", str(tmp_path_factory.mktemp("reports")))
        yield


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> tuple:
    """`exp-assets demo` as a user runs it (default scale and seed: every planted
    effect is found) in a fresh directory, once per session for the tests that read
    what it prints (test_cli) and browse what it built (test_ui): that directory,
    the environment it ran with (its report in the default place,
    $DAGSTER_HOME/reports) and its stdout."""
    root = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "DAGSTER_HOME": str(root / "home")}
    for name in ("EXP_ASSETS_CONFIG", "EXP_ASSETS_REPORT_DIR"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-m", "exp_assets.cli", "demo"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return root, env, done.stdout


# The suite runs on two pytest-xdist workers (pyproject's addopts: -n 2). Each
# module's tests stay on one worker, so its module-scoped pipeline runs are built
# once; test_cli and test_ui share the session's demo_run. A scheduler of our own
# groups them: xdist's `--dist loadgroup` marks groups by editing node ids, which
# pytest 9.2 no longer reads (pytest-xdist#1386), so every module's tests were
# spread over both workers and their pipelines built twice.
XDIST_GROUPS = {"test_cli": "demo", "test_ui": "demo"}
# The longest modules (minutes each, on the emulators) start first, so that the
# short ones fill in around them instead of one long module running alone at the
# end; xdist would order modules by their number of tests, and these have few.
LONGEST_FIRST = ("test_demo_engines", "test_cli", "test_ui", "test_rollups", "test_engines")


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0].rsplit("/", 1)[-1].removesuffix(".py")


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        module = _module(item.nodeid)
        return LONGEST_FIRST.index(module) if module in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order within and after the longest is pytest's


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False  # the collection's order (above), not xdist's by test count

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = _module(nodeid)
            return XDIST_GROUPS.get(module, module)

    return ByModule(config, log)


def pytest_unconfigure(config):
    if _BASETEMP in config.stash:
        shutil.rmtree(config.stash[_BASETEMP], ignore_errors=True)


_BASETEMP = pytest.StashKey[str]()
