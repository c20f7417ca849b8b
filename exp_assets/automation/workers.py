"""Whether a run's worker process is gone. A run killed by SIGKILL (or the OOM
killer) never reports its end: it stays STARTED, and would hold the sensor
("a run is in flight") and the one-run-per-DuckDB-file queue forever. Dagster's
run monitoring ends such a run only at its `max_runtime_seconds` bound (the
default run launcher cannot check its workers); on the machine that ran it, the
worker's pid (which Dagster's executor records when it starts executing) and
the host (a tag the run's first asset adds) tell at once. A run executed in
process by `exp-assets run` carries both as tags from its creation."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import dagster as dg

HOST_TAG = "exp_assets/host"
PID_TAG = "exp_assets/pid"

# A run created on this machine that recorded no worker pid this long after its
# creation was killed before it started executing (starting takes seconds).
START_TIMEOUT_SECONDS = 180


def host_tags() -> dict[str, str]:
    return {HOST_TAG: socket.gethostname()}


def in_process_tags() -> dict[str, str]:
    """Tags of a run executed in this very process (`exp-assets run`): its host and
    pid from its creation, so a kill before its first step is judged at once too."""
    return {**host_tags(), PID_TAG: str(os.getpid())}


def record_host(context: dg.AssetExecutionContext) -> None:
    """Tag the run with this machine, once, so automation here can check its worker."""
    if context.run.tags.get(HOST_TAG) != socket.gethostname():
        context.instance.add_run_tags(context.run.run_id, host_tags())


def worker_pid(instance: dg.DagsterInstance, run_id: str) -> int | None:
    """The pid of the process executing the run's steps (the first engine event carrying one)."""
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT).records
    for record in records:
        event = record.event_log_entry.dagster_event
        pid = event.engine_event_data.metadata.get("pid") if event else None
        if pid is not None:
            return int(pid.value)
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    try:  # a killed child its parent has not reaped yet is a zombie: dead too
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def is_dead(instance: dg.DagsterInstance, record: dg.RunRecord) -> bool:
    """A run that is not queued, ran on this machine, and whose worker process is
    gone (or never started). Runs of other machines are never judged here (a
    pid means nothing there): run monitoring's max_runtime_seconds bounds them.
    A reused pid reads as alive, which only delays the verdict to that bound."""
    run = record.dagster_run
    if run.status == dg.DagsterRunStatus.QUEUED or run.tags.get(HOST_TAG) != socket.gethostname():
        return False
    pid = worker_pid(instance, run.run_id) or (int(run.tags[PID_TAG]) if PID_TAG in run.tags else None)
    if pid is None:
        return time.time() - record.create_timestamp.timestamp() > START_TIMEOUT_SECONDS
    return not _alive(pid)
