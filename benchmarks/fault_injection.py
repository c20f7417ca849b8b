"""Fault injection from outside: does the default automation repair what an
operator's bad day does to the pipeline?

Builds a small demo warehouse (exp_assets.demo, one experiment over `--days`
days) and a Dagster home with the dagster.yaml the CLI ships, then, with a
seeded RNG, in random order:

- runs of `exp-assets run` (subprocesses) over random ranges, a share of them
  killed with SIGKILL at a random moment (`--kill-rate`, `--max-kill-delay`);
- overlaps: 2-3 such runs of the same experiment started at once;
- an upstream table emptied for one run, then its rows restored;
- late rows landing on an old day, and an UPDATE of an old day's amounts
  (older than the schedule's lookback);
- automation ticks: the new-data sensor evaluated as the daemon would (also
  right after each data change), its request run as a CLI subprocess (which
  may be killed too).

Then it lets the default automation settle: sensor ticks, a schedule tick,
sensor ticks again, each request executed (as the tests do: the run of the
experiment's job over the requested range) until the sensor requests nothing.
It compares every output table with a clean build of the final raw data in a
fresh warehouse (to 1e-9 relative) and checks that no run is left queued or
running, i.e. that nothing blocks automation.

    .venv/bin/python benchmarks/fault_injection.py --seed 1
    .venv/bin/python benchmarks/fault_injection.py --seed 2 --runs 8 --overlaps 3 --ticks 4 --kill-rate 0.7

Prints a summary; exits 1 naming each differing table and its first differing
rows, or the runs left blocking automation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

EXPERIMENT = "checkout_redesign"
END = dt.date(2026, 10, 28)  # the demo data's last day
LOOKBACK = 2  # the schedule's lookback; updates land on days older than this
FACTS = ("orders", "page_views")  # fact tables late rows land in
EMPTIABLE = ("orders", "page_views", "exposures")
ACTIVE = ("QUEUED", "NOT_STARTED", "STARTING", "STARTED")

CONFIG = """\
warehouse: {{type: duckdb, database: "{database}", output_schema: exp}}
sources:
  exposures: {{kind: assignments, table: raw.exposures, unit_id: user_id, timestamp: ts,
              experiment_id: experiment_id, variant: variant, dimensions: [country]}}
  orders: {{kind: facts, table: raw.orders, unit_id: user_id, timestamp: ts, shared_facts: true}}
  page_views: {{kind: facts, sql: "SELECT user_id, ts, page FROM raw.page_views", unit_id: user_id, timestamp: ts,
               shared_facts: true}}
metrics:
  - {{name: revenue, source: orders, type: sum, column: amount, winsorize: {{upper: 0.99}}}}
  - {{name: orders, source: orders, type: count}}
  - {{name: purchased, source: orders, type: proportion}}
  - {{name: page_views, source: page_views, type: count}}
  - {{name: revenue_per_order, type: ratio, numerator: revenue, denominator: orders}}
experiments:
  - id: {experiment}
    assignment_source: exposures
    start_date: {start}
    end_date: {end}
    variants: {{control: 0.5, treatment: 0.5}}
    control: control
    metrics: [revenue, orders, purchased, page_views, revenue_per_order]
    cuped: {{lookback_days: 3}}
    dimensions: [country]
    refresh: {{lookback_days: {lookback}, late_data_days: {days}}}
"""


@dataclass(frozen=True)
class Settings:
    seed: int = 1
    units: int = 300  # per experiment of the demo population
    days: int = 10
    runs: int = 3  # single CLI runs over random ranges
    overlaps: int = 1  # groups of 2-3 CLI runs started at once
    ticks: int = 1  # sensor ticks during the faults, their runs launched like the others
    kill_rate: float = 0.5  # share of launched runs killed with SIGKILL
    max_kill_delay: float = 20.0  # seconds after launch; a run that ends first is not killed
    settle_rounds: int = 8  # automation runs allowed before calling it stuck


@dataclass
class Outcome:
    faults: dict[str, int] = field(default_factory=dict)
    runs: dict[str, int] = field(default_factory=dict)  # launched, killed, failed (rc != 0), settle
    mismatches: list[str] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)  # runs left active after automation settled
    log: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.blocking

    def count(self, kind: str, what: str, n: int = 1) -> None:
        bucket = self.faults if kind == "fault" else self.runs
        bucket[what] = bucket.get(what, 0) + n

    def summary(self) -> str:
        faults = ", ".join(f"{k} {v}" for k, v in sorted(self.faults.items())) or "none"
        runs = ", ".join(f"{k} {v}" for k, v in sorted(self.runs.items()))
        verdict = "OK: every table equals a clean build, no run blocks automation" if self.ok else "FAILED"
        lines = [f"faults: {faults}", f"runs: {runs}", verdict, *self.mismatches]
        lines += [f"run left blocking automation: {b}" for b in self.blocking]
        return "\n".join(lines)


class Harness:
    def __init__(self, settings: Settings, workdir: Path, echo=print):
        import dagster as dg

        from exp_assets.cli import DAGSTER_YAML
        from exp_assets.config import load_config
        from exp_assets.definitions import build_definitions

        self.s, self.dir, self.echo = settings, workdir, echo
        self.rng = random.Random(settings.seed)
        self.out = Outcome()
        self.db = workdir / "warehouse.duckdb"
        self.start = END - dt.timedelta(days=settings.days - 1)
        self.days = [self.start + dt.timedelta(days=i) for i in range(settings.days)]
        self.config_file = write_config(workdir / "project.yaml", self.db, settings.days)
        self.home = workdir / "dagster_home"
        self.home.mkdir(exist_ok=True)
        (self.home / "dagster.yaml").write_text(DAGSTER_YAML)  # what `exp-assets` writes on first use
        self.config = load_config(self.config_file)
        self.defs = build_definitions(self.config)
        self.instance = dg.DagsterInstance.from_config(str(self.home))
        self.cursor: str | None = None
        self.saved: dict[str, pd.DataFrame] = {}

    def note(self, message: str) -> None:
        self.out.log.append(message)
        self.echo(message)

    # --- runs from outside -------------------------------------------------
    def launch(self, first: dt.date, last: dt.date) -> subprocess.Popen:
        """`exp-assets run` over [first, last] in its own process, as an operator (or cron) starts it."""
        log = open(self.dir / f"run_{self.out.runs.get('launched', 0):03d}.log", "w")
        self.out.count("run", "launched")
        cmd = [sys.executable, "-m", "exp_assets.cli", "--config", str(self.config_file), "run", EXPERIMENT,
               "--start", str(first), "--end", str(last)]
        env = {**os.environ, "DAGSTER_HOME": str(self.home)}
        return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=self.dir)

    def finish(self, procs: list[subprocess.Popen]) -> None:
        """Kill a seeded share of `procs` at seeded random moments; wait for the rest."""
        t0 = time.monotonic()
        plan = sorted((self.rng.uniform(0.5, self.s.max_kill_delay), p) for p in procs
                      if self.rng.random() < self.s.kill_rate)
        for delay, proc in plan:
            time.sleep(max(0.0, t0 + delay - time.monotonic()))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                self.out.count("run", "killed")
                self.note(f"  kill -9 pid {proc.pid} at {delay:.1f}s")
        for proc in procs:
            if proc.wait() > 0:
                self.out.count("run", "failed")

    def random_range(self) -> tuple[dt.date, dt.date]:
        a, b = sorted(self.rng.sample(range(len(self.days)), 2)) if len(self.days) > 1 else (0, 0)
        return self.days[a], self.days[b]

    # --- faults ------------------------------------------------------------
    def run_once(self) -> None:
        first, last = self.random_range()
        self.note(f"run {first}..{last}")
        self.finish([self.launch(first, last)])

    def overlap(self) -> None:
        spans = [self.random_range() for _ in range(self.rng.choice((2, 3)))]
        self.note("overlap " + ", ".join(f"{a}..{b}" for a, b in spans))
        self.out.count("fault", "overlapping runs", len(spans))
        self.finish([self.launch(a, b) for a, b in spans])

    def empty_for_one_run(self) -> None:
        table = self.rng.choice(EMPTIABLE)
        first, last = self.random_range()
        self.note(f"empty raw.{table}, run {first}..{last}, restore")
        with duckdb.connect(str(self.db)) as conn:
            saved = conn.execute(f"SELECT * FROM raw.{table}").df()
            conn.execute(f"DELETE FROM raw.{table}")
        self.finish([self.launch(first, last)])
        with duckdb.connect(str(self.db)) as conn:
            conn.register("saved", saved)
            conn.execute(f"INSERT INTO raw.{table} SELECT * FROM saved")
        self.out.count("fault", "emptied for a run")

    def late_rows(self) -> None:
        table, day = self.rng.choice(FACTS), self.rng.choice(self.days[:-LOOKBACK - 1])
        with duckdb.connect(str(self.db)) as conn:
            seed = self.rng.randrange(1 << 30)
            rows = conn.execute(f"SELECT * FROM raw.{table} USING SAMPLE reservoir(5 ROWS) REPEATABLE ({seed})").df()
            seconds = np.array([self.rng.uniform(0, 86_399) for _ in range(len(rows))])
            rows["ts"] = pd.Timestamp(day) + pd.to_timedelta(seconds, unit="s").floor("us")
            if "order_id" in rows:
                rows["order_id"] += conn.execute(f"SELECT max(order_id) FROM raw.{table}").fetchall()[0][0]
            conn.register("late", rows)
            conn.execute(f"INSERT INTO raw.{table} SELECT * FROM late")
        self.note(f"late rows: {len(rows)} into raw.{table} on {day}")
        self.out.count("fault", "late rows")
        self.tick_during_faults()  # the running sensor notices within a minute; its run may be killed too

    def update_old_day(self) -> None:
        day = self.rng.choice(self.days[:-LOOKBACK - 1])
        factor = round(self.rng.uniform(1.5, 3.0), 2)
        with duckdb.connect(str(self.db)) as conn:
            conn.execute(f"UPDATE raw.orders SET amount = amount * {factor} WHERE CAST(ts AS DATE) = DATE '{day}'")
        self.note(f"update raw.orders amounts x{factor} on {day} (older than the {LOOKBACK}-day lookback)")
        self.out.count("fault", "updates of an old day")
        self.tick_during_faults()

    def tick_during_faults(self) -> None:
        span = self.sensor_tick()
        self.note(f"sensor tick during faults: {span or 'nothing'}")
        if span:
            self.finish([self.launch(*span)])

    # --- the default automation -------------------------------------------
    def sensor_tick(self) -> tuple[dt.date, dt.date] | None:
        import dagster as dg

        from exp_assets.automation.refresh import RANGE_END, RANGE_START

        sensor = self.defs.get_repository_def().get_sensor_def(f"{EXPERIMENT}_new_data")
        context = dg.build_sensor_context(instance=self.instance, cursor=self.cursor, definitions=self.defs)
        result = sensor.evaluate_tick(context)
        self.cursor = result.cursor or self.cursor
        if "in flight" in (result.skip_message or ""):  # nothing of ours is running: something blocks it
            self.out.blocking.append(f"sensor: {result.skip_message}")
        (request,) = result.run_requests or [None]
        if request is None:
            return None
        return dt.date.fromisoformat(request.tags[RANGE_START]), dt.date.fromisoformat(request.tags[RANGE_END])

    def schedule_tick(self) -> tuple[dt.date, dt.date] | None:
        import dagster as dg

        from exp_assets.automation.refresh import RANGE_END, RANGE_START

        schedule = self.defs.get_repository_def().get_schedule_def(f"{EXPERIMENT}_daily")
        now = dt.datetime.now(dt.timezone.utc)
        data = schedule.evaluate_tick(dg.build_schedule_context(instance=self.instance, scheduled_execution_time=now))
        (request,) = data.run_requests or [None]
        if request is None:
            return None
        return dt.date.fromisoformat(request.tags[RANGE_START]), dt.date.fromisoformat(request.tags[RANGE_END])

    def execute(self, span: tuple[dt.date, dt.date], by: str) -> None:
        """Run a request the way the tests do: the experiment's job over the range, in process."""
        from exp_assets.run import run_experiment

        self.note(f"{by} requests {span[0]}..{span[1]}")
        self.out.count("run", "by automation")
        try:
            run_experiment(self.config, EXPERIMENT, str(span[0]), str(span[1]), instance=self.instance)
        except Exception as error:  # noqa: BLE001 - a failing run is an outcome to report, not a crash
            self.out.count("run", "automation failed")
            self.note(f"  failed: {str(error).splitlines()[0][:200]}")

    def settle(self) -> None:
        """Sensor ticks until it requests nothing, the daily schedule's tick, then sensor ticks again."""
        for by in ("sensor", "schedule", "sensor"):
            for _ in range(self.s.settle_rounds):
                span = self.sensor_tick() if by == "sensor" else self.schedule_tick()
                if span is None:
                    break
                self.execute(span, by)
                if by == "schedule":
                    break
            else:
                if by == "sensor":
                    self.out.blocking.append(f"the sensor still requests runs after {self.s.settle_rounds} rounds")

    # --- the whole exercise -----------------------------------------------
    def run(self) -> Outcome:
        from exp_assets.run import run_experiment
        from exp_assets.demo import build_demo_warehouse

        build_demo_warehouse(self.db, units_per_experiment=self.s.units, seed=self.s.seed)
        run_experiment(self.config, EXPERIMENT, instance=self.instance)
        self.sensor_tick()  # the running sensor's baseline, as the daemon would have it
        self.note(f"built {self.start}..{END} ({self.s.units} units/experiment); injecting faults (seed {self.s.seed})")
        events = ([self.run_once] * self.s.runs + [self.overlap] * self.s.overlaps
                  + [self.tick_during_faults] * self.s.ticks
                  + [self.empty_for_one_run, self.late_rows, self.update_old_day])
        self.rng.shuffle(events)
        for event in events:
            event()
        self.note("letting the default automation settle")
        self.settle()
        self.out.mismatches = compare(clean_build(self.dir, self.db, self.s.days), output_tables(self.db))
        self.out.blocking += self.active_runs()
        return self.out

    def active_runs(self) -> list[str]:
        import dagster as dg

        from exp_assets.assets import job_name
        from exp_assets.automation.refresh import in_flight
        from exp_assets.plan import ExperimentPlan

        plan = ExperimentPlan(self.config, self.config.experiment(EXPERIMENT))
        blocked = [f"in_flight({job_name(plan)}) is true"] if in_flight(self.instance, job_name(plan)) else []
        statuses = [getattr(dg.DagsterRunStatus, s) for s in ACTIVE]
        records = self.instance.get_run_records(dg.RunsFilter(statuses=statuses))
        return blocked + [f"{r.dagster_run.run_id} {r.dagster_run.status.value}" for r in records]


def write_config(path: Path, database: Path, days: int) -> Path:
    start = END - dt.timedelta(days=days - 1)
    path.write_text(CONFIG.format(database=database, experiment=EXPERIMENT, start=start, end=END,
                                  lookback=LOOKBACK, days=days))
    return path


def clean_build(workdir: Path, faulted: Path, days: int) -> dict[str, pd.DataFrame]:
    """The output tables of a full build of `faulted`'s final raw tables in a fresh warehouse."""
    import dagster as dg

    from exp_assets.run import run_experiment
    from exp_assets.config import load_config

    db = workdir / "clean.duckdb"
    db.unlink(missing_ok=True)
    with duckdb.connect(str(db)) as conn:
        conn.execute(f"ATTACH '{faulted}' AS faulted (READ_ONLY)")
        conn.execute("CREATE SCHEMA raw")
        for (name,) in conn.execute("SELECT table_name FROM information_schema.tables "
                                    "WHERE table_catalog = 'faulted' AND table_schema = 'raw'").fetchall():
            conn.execute(f"CREATE TABLE raw.{name} AS SELECT * FROM faulted.raw.{name}")
    config = load_config(write_config(workdir / "clean.yaml", db, days))
    run_experiment(config, EXPERIMENT, instance=dg.DagsterInstance.ephemeral())
    return output_tables(db)


def output_tables(db: Path) -> dict[str, pd.DataFrame]:
    """Every pipeline table but the ledger, rows sorted, for whole-table comparison."""
    with duckdb.connect(str(db), read_only=True) as conn:
        names = [r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'exp' AND table_name <> '_partitions'").fetchall()]
        frames = {n: conn.execute(f'SELECT * FROM exp."{n}"').df() for n in sorted(names)}
    return {n: f.sort_values(list(f.columns)).reset_index(drop=True) for n, f in frames.items()}


def compare(expected: dict[str, pd.DataFrame], got: dict[str, pd.DataFrame], rtol: float = 1e-9) -> list[str]:
    """One line per table that differs, with its first differing rows (expected, then got)."""
    problems = [f"table {n}: missing" for n in sorted(set(expected) - set(got))]
    problems += [f"table {n}: not in the clean build" for n in sorted(set(got) - set(expected))]
    for name in sorted(set(expected) & set(got)):
        want, have = expected[name], got[name]
        if list(want.columns) != list(have.columns) or len(want) != len(have):
            problems.append(f"table {name}: {len(have)} rows {list(have.columns)}, clean build {len(want)} rows "
                            f"{list(want.columns)}\n{_first_unmatched(want, have)}")
            continue
        differs = np.zeros(len(want), dtype=bool)
        for column in want.columns:
            a, b = want[column], have[column]
            if pd.api.types.is_float_dtype(a) and pd.api.types.is_float_dtype(b):
                same = np.isclose(b.to_numpy(), a.to_numpy(), rtol=rtol, atol=1e-12, equal_nan=True)
            else:
                same = ((a == b) | (a.isna() & b.isna())).to_numpy()
            differs |= ~same
        if differs.any():
            rows = np.flatnonzero(differs)[:3]
            problems.append(f"table {name}: {differs.sum()} of {len(want)} rows differ; first:\n"
                            f"clean build:\n{want.iloc[rows].to_string()}\nfaulted:\n{have.iloc[rows].to_string()}")
    return problems


def _first_unmatched(want: pd.DataFrame, have: pd.DataFrame) -> str:
    keys = [c for c in want.columns if c in have.columns and not pd.api.types.is_float_dtype(want[c])]
    merged = want[keys].merge(have[keys], how="outer", indicator=True)
    odd = merged[merged["_merge"] != "both"].head(5)
    return odd.replace({"left_only": "clean build only", "right_only": "faulted only"}).to_string()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    defaults = Settings()
    for name, value in vars(defaults).items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    parser.add_argument("--workdir", help="keep the warehouses, Dagster home and run logs here")
    args = parser.parse_args(argv)
    settings = Settings(**{k: getattr(args, k) for k in vars(defaults)})
    with tempfile.TemporaryDirectory(prefix="exp_assets_faults_") as tmp:
        workdir = Path(args.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        outcome = Harness(settings, workdir).run()
        print(outcome.summary())
        print(f"({time.monotonic() - started:.0f}s; {settings})")
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
