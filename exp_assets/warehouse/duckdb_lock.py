"""Waiting for a DuckDB file that another process holds: the project's one wait layer.

DuckDB lets one process at a time open a file for writing, and none while
another process has it open even for reading only (a BI tool, the DuckDB CLI).
Opening it then fails at once with an IOException naming the holder's PID.
Only that error is retried, with jittered exponential backoff (so processes
waiting on one file do not retry in lockstep), for at most `timeout` seconds
in all; progress is logged while waiting, and the final WarehouseBusy names the
file and what holds it. Any other I/O error (a missing directory, a full disk,
a permission) cannot go away by waiting and is raised at once.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import duckdb

from exp_assets.warehouse.base import WarehouseBusy

FIRST_DELAY = 0.05  # seconds; doubled after each failed attempt ...
MAX_DELAY = 2.0  # ... up to this: opening a file is cheap, so polling often is too
PROGRESS_SECONDS = 10.0  # how often a wait is logged

T = TypeVar("T")

log = logging.getLogger("exp_assets.warehouse")  # the Dagster resource passes Dagster's logger


def is_lock_conflict(error: BaseException) -> bool:
    text = str(error)
    return isinstance(error, duckdb.IOException) and ("Could not set lock" in text or "Conflicting lock" in text)


def backoff_delays(rng: random.Random) -> Iterator[float]:
    """FIRST_DELAY, twice that, ... up to MAX_DELAY, each times a random factor in [0.5, 1.5)."""
    delay = FIRST_DELAY
    while True:
        yield delay * rng.uniform(0.5, 1.5)
        delay = min(delay * 2, MAX_DELAY)


def wait_for_lock(open_file: Callable[[], T], timeout: float, rng: random.Random | None = None,
                  logger: logging.Logger | None = None) -> T:
    """open_file(), retried while another process holds the file, for at most
    `timeout` seconds; then WarehouseBusy. Progress goes to `logger`."""
    rng = rng or random.Random()
    logger = logger or log
    delays = backoff_delays(rng)
    began = time.monotonic()
    deadline, next_log = began + timeout, began
    while True:
        try:
            return open_file()
        except duckdb.IOException as error:
            if not is_lock_conflict(error):
                raise
            now = time.monotonic()
            if now >= deadline:
                raise WarehouseBusy(
                    f"{_file(error)} is held by {holder(error)} for more than {timeout:g}s (lock_timeout); "
                    f"DuckDB lets no other process open a file while one writes it, and none write it while "
                    f"one reads it. ({error})"
                ) from error
            if now >= next_log:
                logger.warning(f"waiting for {_file(error)}, held by {holder(error)}: "
                            f"{now - began:.0f}s of at most {timeout:g}s (lock_timeout)")
                next_log = now + PROGRESS_SECONDS
            time.sleep(min(deadline - now, next(delays)))


def holder(error: duckdb.IOException) -> str:
    """What holds the file, from DuckDB's lock error: the PID, whether it writes
    or only reads, and whether it is a pipeline run or another program."""
    text = str(error)
    match = re.search(r"\(PID (\d+)\)", text)
    if match is None:
        return "another process"
    pid = match.group(1)
    # DuckDB adds this hint only when the holder has the file open read-only
    mode = "reading only" if "read-only mode" in text else "writing"
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:  # gone meanwhile, or not Linux
        return f"PID {pid} ({mode})"
    command = " ".join(arg if len(arg) <= 60 else arg[:57] + "..." for arg in argv if arg)  # e.g. a long `python -c`
    # runs are started by `exp-assets` or by Dagster (`dagster dev`, `dagster asset materialize`, a run worker)
    if re.search(r"\bexp[-_]assets\b|\bdagster\b", command):
        kind = "a pipeline run" if mode == "writing" else "a pipeline process (e.g. a sensor)"
    else:
        kind = "another program, not a pipeline run"
    return f"PID {pid} ({kind}, {mode}: {command[:300]})"


def _file(error: duckdb.IOException) -> str:
    match = re.search(r'lock on file "([^"]+)"', str(error))
    return match.group(1) if match else "the DuckDB file"
