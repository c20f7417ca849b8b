"""One day's update measured with this checkout's code and with another
commit's, alternately, each run in a fresh process: the yardstick for a change
smaller than the machine's drift (single runs of benchmarks/run.py vary by
±15%, and by up to 2 times from hour to hour; BENCHMARKS.md, seventeenth
session).

On the warehouse `benchmarks/run.py --workdir DIR` left, it runs the update of
the last day again (an update is idempotent: the same rows are written again)
for the given experiments, `--rounds` times with each side's code, alternating,
and prints each round and each side's medians: wall time, warehouse, health
checks, the steps' Python and Dagster. The other commit is checked out in a
temporary git worktree, removed at the end; both sides use this checkout's
virtualenv.

    .venv/bin/python benchmarks/side_by_side.py --workdir bench --against 7a63899 [--experiments exp_a] [--rounds 4]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "benchmarks") not in sys.path:  # loaded by path (the tests), not run as a script
    sys.path.insert(0, str(ROOT / "benchmarks"))

from run import last_day, measure_in  # noqa: E402 - this directory's benchmark

FIGURES = ("seconds", "sql_seconds", "check_seconds", "python_seconds", "dagster_seconds")


@contextlib.contextmanager
def worktree(commit: str) -> Iterator[Path]:
    """`commit` checked out in a temporary directory (a detached git worktree of this repository)."""
    with tempfile.TemporaryDirectory(prefix="exp_assets_side_") as parent:
        path = Path(parent) / "other"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--quiet", "--detach", str(path), commit],
                       check=True, capture_output=True, text=True)
        try:
            yield path
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)],
                           check=True, capture_output=True, text=True)


def measure(root: Path, workdir: Path, experiments: list[str], day: dt.date, memory_limit: str, threads: int) -> dict:
    """The update of `day` with the code of `root`, through that checkout's benchmark in a fresh process."""
    return measure_in(root, "pipeline", config_path=str(workdir / "incremental.yaml"), experiments=experiments,
                      first=str(day), last=str(day), memory_limit=memory_limit, threads=threads)


def side_by_side(workdir: Path, day: dt.date, against: str, experiments: list[str], rounds: int,
                 memory_limit: str = "8GB", threads: int = os.cpu_count() or 2, log=print) -> dict[str, list[dict]]:
    """Each side's measurements of the update of `day`, `rounds` of each,
    alternating ("against" first in every round)."""
    runs: dict[str, list[dict]] = {against: [], "this checkout": []}
    with worktree(against) as other:
        for n in range(1, rounds + 1):
            for side, root in ((against, other), ("this checkout", ROOT)):
                result = measure(root, workdir, experiments, day, memory_limit, threads)
                runs[side].append(result)
                log(f"round {n}, {side}: " + ", ".join(f"{k} {result[k]:.3f}" for k in FIGURES))
    return runs


def medians(runs: dict[str, list[dict]]) -> str:
    """Each side's medians as a Markdown table."""
    lines = ["| side | " + " | ".join(FIGURES) + " |", "|---|" + "---:|" * len(FIGURES)]
    for side, results in runs.items():
        lines.append(f"| {side} | " + " | ".join(f"{statistics.median(r[k] for r in results):.3f}" for k in FIGURES)
                     + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, required=True, help="a finished benchmarks/run.py --workdir")
    parser.add_argument("--against", required=True, help="the commit (or any git revision) to compare with")
    parser.add_argument("--experiments", default="exp_a", help="comma-separated (default exp_a)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--memory-limit", default="8GB")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args(argv)
    if not (args.workdir / "results.json").exists():
        parser.error(f"{args.workdir}: no results.json (run benchmarks/run.py --workdir {args.workdir} first)")
    runs = side_by_side(args.workdir, last_day(args.workdir), args.against, args.experiments.split(","), args.rounds,
                        args.memory_limit, args.threads)
    print(medians(runs))


if __name__ == "__main__":
    main()
