"""Benchmark: incremental update vs full refresh vs recompute from raw, at scale.

Builds a synthetic warehouse directly in DuckDB with SQL (fixed seed), then
measures, each in a fresh subprocess (so peak RSS is per measurement), with
wall time, peak memory and rows scanned:

- full refresh of one experiment (all assets, all partitions), through Dagster;
- incremental daily updates at day 10 and 30 (and 90 with --scale) of an
  experiment whose earlier days were materialized before (unmeasured runs);
- the physical floors: one scan of one day of raw events; one GROUP BY unit
  pass over all raw events;
- the naive alternative: the cumulative results as of the last day recomputed
  from raw events in one SQL query;
- a full refresh of a second experiment on the same sources;
- with --experiments N (N >= 2, default 2): the day's update of all N
  experiments on the same sources, in one run.

Two data profiles. `sparse` (the default) is what product data looks like:
each unit has a heavy-tailed (lognormal) propensity to be active, about 10% of
units are active on a given day, and an active unit-day has several events.
`dense` is the first benchmark's data: events uniform over units and days, so
most exposed units are active every day.

From the repository root, with the project's virtualenv:

    .venv/bin/python benchmarks/run.py --workdir bench            # 1M units, 30 days, ~50M events, sparse
    .venv/bin/python benchmarks/run.py --profile dense            # the same with uniform events
    .venv/bin/python benchmarks/run.py --scale                    # 2M units, 90 days, ~200M events
    .venv/bin/python benchmarks/run.py --experiments 10           # ten experiments on the same sources
    .venv/bin/python benchmarks/run.py --experiments 10 --shared-facts   # ... reading each source's day once
    .venv/bin/python benchmarks/run.py --units 20000 --events 1000000   # a quick run

--workdir (default: a new temporary directory) holds the DuckDB file, the
configs and results.json; a Markdown summary goes to stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA_START = dt.date(2026, 3, 1)
PRE_DAYS = 7  # raw events before the experiment starts (the CUPED lookback reads them)
LOOKBACK = 7  # CUPED lookback of the benchmark experiments
PROFILES = ("sparse", "dense")
ACTIVE_SHARE = 0.1  # sparse: the mean share of units active on a day
ACTIVITY_SIGMA = 1.0  # sparse: sigma of the lognormal spread of units' activity (heavy-tailed)
CATCH_UP_DAYS = 20  # the longest unmeasured catch-up run
METRICS = ["revenue", "orders", "purchased", "page_views", "revenue_per_order"]


@dataclass(frozen=True)
class Scale:
    units: int
    days: int
    events: int
    seed: int = 42
    page_view_share: float = 0.7  # of the events; the rest are orders
    profile: str = "sparse"
    experiments: int = 2  # on the same sources: exp_a, exp_b, ...
    shared_facts: bool = False  # the fact sources' `shared_facts` (one shared table per source)

    @property
    def start(self) -> dt.date:
        return DATA_START + dt.timedelta(days=PRE_DAYS)

    def day(self, n: int) -> dt.date:
        """The n-th day of the experiment (1-based)."""
        return self.start + dt.timedelta(days=n - 1)

    checkpoints: tuple[int, ...] = (10, 30, 90)  # days at which an incremental update is measured (those <= days)

    @property
    def experiment_ids(self) -> list[str]:
        return [f"exp_{chr(ord('a') + e)}" for e in range(self.experiments)]

    def __post_init__(self):
        if self.profile not in PROFILES:
            raise ValueError(f"profile {self.profile!r}: use one of {', '.join(PROFILES)}")
        if not 1 <= self.experiments <= 26:
            raise ValueError(f"experiments {self.experiments}: between 1 and 26")


DEFAULT = Scale(units=1_000_000, days=30, events=50_000_000)
LARGE = Scale(units=2_000_000, days=90, events=200_000_000)


# -- the synthetic warehouse ------------------------------------------------------

def generate(db: str, scale: Scale, memory_limit: str, threads: int) -> dict[str, int]:
    """raw.exposures (every experiment, 3 exposures per unit each, 0.1% crossovers),
    raw.page_views and raw.orders over PRE_DAYS + days (events of the scale's
    profile, sorted by time so that a day's rows are contiguous and min/max
    indexes prune other days). Every random number is a hash of (row, seed,
    stream): runs repeat exactly."""
    import duckdb

    s = scale
    exp_s = s.days * 86400
    with duckdb.connect(db, config={"memory_limit": memory_limit, "threads": threads}) as conn:
        conn.execute(f"CREATE OR REPLACE MACRO rnd(i, k) AS (hash(i, {s.seed}, k) % 1000003) / 1000003.0")
        conn.execute("CREATE SCHEMA IF NOT EXISTS raw")
        parts = []
        for e, name in enumerate(s.experiment_ids):
            k = 10 * (e + 1)
            parts.append(f"""
            SELECT CAST(i AS VARCHAR) AS user_id, '{name}' AS experiment_id,
                   CASE WHEN (rnd(i, {k}) < 0.5) <> (x = 2 AND rnd(i, {k} + 1) < 0.001)
                        THEN 'treatment' ELSE 'control' END AS variant,
                   first_ts + to_seconds(CAST(CASE WHEN x = 0 THEN 0
                        ELSE rnd(i * 3 + x, {k} + 2) * epoch(TIMESTAMP '{s.start}' + INTERVAL {s.days} DAY - first_ts) END
                        AS BIGINT)) AS ts,
                   (['US', 'DE', 'BR', 'IN', 'JP'])[1 + CAST(floor(rnd(i, {k} + 3) * 5) AS INT)] AS country,
                   (['ios', 'android', 'web'])[1 + CAST(floor(rnd(i, {k} + 4) * 3) AS INT)] AS platform
            FROM (SELECT i, TIMESTAMP '{s.start}' + to_seconds(CAST(floor(pow(rnd(i, {k} + 5), 2) * {exp_s}) AS BIGINT))
                         AS first_ts FROM range({s.units}) AS t(i)) AS u, range(3) AS r(x)""")
        conn.execute(f"CREATE OR REPLACE TABLE raw.exposures AS SELECT * FROM ({' UNION ALL '.join(parts)}) ORDER BY ts")
        (_sparse_events if s.profile == "sparse" else _dense_events)(conn, s)
        conn.execute("""CREATE OR REPLACE TABLE raw.page_views AS
            SELECT user_id, ts, (['home', 'search', 'product', 'cart'])[1 + CAST(floor(rnd(i, 102) * 4) AS INT)] AS page
            FROM events WHERE is_view ORDER BY ts""")
        # orders of exp_a's treatment units are 5% larger (a planted effect)
        conn.execute("""CREATE OR REPLACE TABLE raw.orders AS
            SELECT user_id, ts, round(-ln(1 - rnd(i, 202)) * 40 * CASE WHEN rnd(CAST(user_id AS BIGINT), 10) < 0.5
                   THEN 1.05 ELSE 1.0 END, 2) AS amount
            FROM events WHERE NOT is_view ORDER BY ts""")
        conn.execute("DROP TABLE events")
        conn.execute("DROP MACRO rnd")
        conn.execute("CHECKPOINT")
        return {t: conn.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0]
                for t in ("exposures", "page_views", "orders")}


def _dense_events(conn, s: Scale) -> None:
    """Temp table `events` (i, user_id, ts, is_view): the first benchmark's data,
    every event's unit and time uniform, exactly `page_view_share` of them views."""
    span_s = (PRE_DAYS + s.days) * 86400
    views = int(s.events * s.page_view_share)

    def events(stream: int) -> str:
        return (f"i, CAST(hash(i, {s.seed}, {stream}) % {s.units} AS VARCHAR) AS user_id, "
                f"TIMESTAMP '{DATA_START}' + to_seconds(CAST(rnd(i, {stream} + 1) * {span_s} AS BIGINT)) AS ts")

    conn.execute(f"""CREATE TEMP TABLE events AS
        SELECT {events(100)}, TRUE AS is_view FROM range({views}) AS t(i)
        UNION ALL SELECT {events(200)}, FALSE FROM range({s.events - views}) AS t(i)""")


def _sparse_events(conn, s: Scale) -> None:
    """Temp table `events` (i, user_id, ts, is_view): each unit has a lognormal
    propensity to be active (mean ACTIVE_SHARE, so about that share of units is
    active on a day, a few units nearly every day); an active unit-day has
    1 + an exponential number of events (mean: what brings the total near
    `events`), at uniform times of the day, each a view with probability
    `page_view_share`."""
    total_days = PRE_DAYS + s.days
    sigma = ACTIVITY_SIGMA
    # a normal draw per unit by Box-Muller; exp(sigma z - sigma^2/2) has mean 1
    conn.execute(f"""CREATE TEMP TABLE active AS
        WITH units AS (
            SELECT i, least(1.0, {ACTIVE_SHARE} * exp({sigma} * sqrt(-2 * ln(1 - rnd(i, 300)))
                                 * cos(2 * pi() * rnd(i, 301)) - {sigma * sigma / 2})) AS activity
            FROM range({s.units}) AS t(i))
        SELECT i AS unit, d AS day, i * {total_days} + d AS unit_day
        FROM units, range({total_days}) AS r(d)
        WHERE rnd(i * {total_days} + d, 302) < activity""")
    active = conn.execute("SELECT count(*) FROM active").fetchone()[0]
    extra = max(s.events / max(active, 1) - 1, 0)  # events per active unit-day beyond the first
    conn.execute(f"""CREATE TEMP TABLE events AS
        SELECT unit_day * 100000 + j AS i, CAST(unit AS VARCHAR) AS user_id,
               TIMESTAMP '{DATA_START}' + to_seconds(CAST((day + rnd(unit_day * 100000 + j, 311)) * 86400 AS BIGINT)) AS ts,
               rnd(unit_day * 100000 + j, 312) < {s.page_view_share} AS is_view
        FROM (SELECT unit, day, unit_day,
                     unnest(range(CAST(1 + least(floor(-ln(1 - rnd(unit_day, 303)) * {extra} + 0.5), 99998) AS BIGINT))) AS j
              FROM active)""")
    conn.execute("DROP TABLE active")


def active_share(db: str, scale: Scale) -> float:
    """The mean over the experiment's days of the share of the first
    experiment's exposed units (exposed by that day) with an event that day."""
    import duckdb

    first = scale.experiment_ids[0]
    with duckdb.connect(db, read_only=True) as conn:
        return conn.execute(f"""
            WITH exposed AS (SELECT user_id, CAST(min(ts) AS DATE) AS since FROM raw.exposures
                             WHERE experiment_id = '{first}' GROUP BY ALL),
            active AS (SELECT DISTINCT user_id, CAST(ts AS DATE) AS day FROM raw.orders WHERE ts >= TIMESTAMP '{scale.start}'
                       UNION SELECT DISTINCT user_id, CAST(ts AS DATE) FROM raw.page_views WHERE ts >= TIMESTAMP '{scale.start}'),
            days AS (SELECT CAST(TIMESTAMP '{scale.start}' + INTERVAL (i) DAY AS DATE) AS day FROM range({scale.days}) AS t(i))
            SELECT avg(share) FROM (
                SELECT d.day, count(a.user_id) / count(*) AS share
                FROM days AS d JOIN exposed AS e ON e.since <= d.day
                LEFT JOIN active AS a ON a.user_id = e.user_id AND a.day = d.day GROUP BY d.day)""").fetchone()[0]


def config_yaml(db: str, schema: str, scale: Scale) -> str:
    end = scale.day(scale.days)
    shared = str(scale.shared_facts).lower()
    experiments = "\n".join(
        f"  - {{id: {e}, assignment_source: exposures, start_date: {scale.start}, end_date: {end}, "
        f"variants: {{control: 0.5, treatment: 0.5}}, control: control, metrics: [{', '.join(METRICS)}], "
        f"cuped: {{lookback_days: {LOOKBACK}}}, correction: holm, dimensions: [country, platform]}}"
        for e in scale.experiment_ids
    )
    return f"""\
warehouse: {{type: duckdb, database: {json.dumps(db)}, output_schema: {schema}}}
sources:
  exposures: {{kind: assignments, table: raw.exposures, unit_id: user_id, timestamp: ts,
              experiment_id: experiment_id, variant: variant, dimensions: [country, platform]}}
  orders: {{kind: facts, table: raw.orders, unit_id: user_id, timestamp: ts, shared_facts: {shared}}}
  page_views: {{kind: facts, table: raw.page_views, unit_id: user_id, timestamp: ts, shared_facts: {shared}}}
metrics:
  - {{name: revenue, source: orders, type: sum, column: amount, winsorize: {{upper: 0.99}}}}
  - {{name: orders, source: orders, type: count}}
  - {{name: purchased, source: orders, type: proportion}}
  - {{name: page_views, source: page_views, type: count}}
  - {{name: revenue_per_order, type: ratio, numerator: revenue, denominator: orders}}
experiments:
{experiments}
"""


# -- the SQL baselines ------------------------------------------------------------

def _day_filter(day: dt.date) -> str:
    return f"ts >= TIMESTAMP '{day}' AND ts < TIMESTAMP '{day + dt.timedelta(days=1)}'"


def one_day_scan_sql(day: dt.date) -> str:
    """Read the columns the pipeline reads of one day of both fact sources."""
    return (
        f"SELECT count(*), sum(hash(user_id)), max(ts), sum(amount) FROM ("
        f"SELECT user_id, ts, amount FROM raw.orders WHERE {_day_filter(day)} UNION ALL "
        f"SELECT user_id, ts, NULL FROM raw.page_views WHERE {_day_filter(day)})"
    )


def group_by_unit_sql() -> str:
    """One GROUP BY unit pass over every raw event, materialized."""
    return (
        "CREATE OR REPLACE TEMP TABLE per_unit AS SELECT user_id, count(*) AS events, sum(amount) AS amount, "
        "count(amount) AS orders FROM (SELECT user_id, amount FROM raw.orders UNION ALL "
        "SELECT user_id, NULL FROM raw.page_views) GROUP BY user_id"
    )


def _first_exposures_sql(scale: Scale, experiment: str, end: dt.date) -> str:
    """Each unit's first exposure before `end`, with its variant and dimensions."""
    return f"""
        SELECT CAST(user_id AS VARCHAR) AS unit_id, arg_min(variant, (ts, variant)) AS variant,
               min(CAST(ts AS TIMESTAMP)) AS first_ts, arg_min(country, (ts, variant)) AS country,
               arg_min(platform, (ts, variant)) AS platform
        FROM raw.exposures WHERE experiment_id = '{experiment}' AND ts >= TIMESTAMP '{scale.start}'
        AND ts < TIMESTAMP '{end}' AND user_id IS NOT NULL AND variant IN ('control', 'treatment')
        GROUP BY 1"""


def _events_sql(start: dt.date, end: dt.date) -> str:
    """Both fact sources' events in [start, end), one row each."""
    return f"""
        SELECT CAST(user_id AS VARCHAR) AS unit_id, CAST(ts AS TIMESTAMP) AS ts, amount, 1 AS is_order, 0 AS is_view
        FROM raw.orders WHERE ts >= TIMESTAMP '{start}' AND ts < TIMESTAMP '{end}'
        UNION ALL
        SELECT CAST(user_id AS VARCHAR), CAST(ts AS TIMESTAMP), NULL, 0, 1
        FROM raw.page_views WHERE ts >= TIMESTAMP '{start}' AND ts < TIMESTAMP '{end}'"""


def naive_recompute_sql(scale: Scale, experiment: str, through: dt.date) -> str:
    """What a tool without pipeline mode runs every day: the cumulative
    sufficient statistics as of `through` (per variant, overall and per
    dimension value, with CUPED covariates over the lookback) straight from the
    raw exposures and events, in one query."""
    end = through + dt.timedelta(days=1)
    return f"""
    WITH first AS ({_first_exposures_sql(scale, experiment, end)}),
    events AS ({_events_sql(scale.start - dt.timedelta(days=LOOKBACK), end)}),
    per_unit AS (
        SELECT f.unit_id, f.variant, f.country, f.platform,
               coalesce(sum(e.amount) FILTER (WHERE e.ts >= f.first_ts), 0) AS revenue,
               coalesce(sum(e.is_order) FILTER (WHERE e.ts >= f.first_ts), 0) AS orders,
               coalesce(sum(e.is_view) FILTER (WHERE e.ts >= f.first_ts), 0) AS page_views,
               coalesce(sum(e.amount) FILTER (WHERE e.ts < f.first_ts), 0) AS pre_revenue,
               coalesce(sum(e.is_order) FILTER (WHERE e.ts < f.first_ts), 0) AS pre_orders,
               coalesce(sum(e.is_view) FILTER (WHERE e.ts < f.first_ts), 0) AS pre_page_views
        FROM first AS f LEFT JOIN events AS e ON e.unit_id = f.unit_id
        AND e.ts >= f.first_ts - INTERVAL {LOOKBACK} DAY
        GROUP BY ALL)
    SELECT variant, country, platform, count(*) AS n,
           sum(revenue), sum(revenue * revenue), sum(revenue * pre_revenue), sum(pre_revenue), sum(pre_revenue ^ 2),
           sum(orders), sum(orders * orders), sum(orders * pre_orders), sum(pre_orders), sum(pre_orders ^ 2),
           sum(sign(orders)), sum(sign(orders) * sign(pre_orders)), sum(sign(pre_orders)),
           sum(page_views), sum(page_views ^ 2), sum(page_views * pre_page_views), sum(pre_page_views),
           sum(pre_page_views ^ 2), sum(revenue * orders), quantile_cont(revenue, 0.99) AS revenue_cap
    FROM per_unit GROUP BY GROUPING SETS ((variant), (variant, country), (variant, platform))"""


def daily_cumulative_floor_sql(scale: Scale, experiment: str, through: dt.date) -> str:
    """A lower bound for any full refresh: of the pipeline's outputs only the
    cumulative rollup's per-day units, sums and sums of squares per variant,
    for every day through `through`, from raw events in one query, written
    nowhere. No CUPED, winsorization, dimensions, other rollups or checks. Each
    day's statistics need every exposed unit's running total that day, so even
    this is a running window over units x days, not one GROUP BY unit."""
    end = through + dt.timedelta(days=1)
    days = (end - scale.start).days
    return f"""
    WITH first AS ({_first_exposures_sql(scale, experiment, end)}),
    daily AS (
        SELECT e.unit_id, CAST(e.ts AS DATE) AS day, sum(e.amount) AS revenue, sum(e.is_order) AS orders,
               sum(e.is_view) AS page_views
        FROM ({_events_sql(scale.start, end)}) AS e JOIN first AS f ON f.unit_id = e.unit_id AND e.ts >= f.first_ts
        GROUP BY ALL),
    running AS (
        SELECT d.day, f.variant,
               sum(coalesce(dl.revenue, 0)) OVER w AS revenue, sum(coalesce(dl.orders, 0)) OVER w AS orders,
               sum(coalesce(dl.page_views, 0)) OVER w AS page_views
        FROM first AS f
        JOIN (SELECT CAST(TIMESTAMP '{scale.start}' + INTERVAL (i) DAY AS DATE) AS day FROM range({days}) AS t(i)) AS d
          ON d.day >= CAST(f.first_ts AS DATE)
        LEFT JOIN daily AS dl ON dl.unit_id = f.unit_id AND dl.day = d.day
        WINDOW w AS (PARTITION BY f.unit_id ORDER BY d.day))
    SELECT day, variant, count(*) AS n, sum(revenue) AS revenue, sum(revenue ^ 2) AS revenue_sq,
           sum(orders) AS orders, sum(orders ^ 2) AS orders_sq, sum(page_views) AS page_views,
           sum(page_views ^ 2) AS page_views_sq
    FROM running GROUP BY day, variant ORDER BY day, variant"""


# -- measurements (each runs in its own subprocess) ---------------------------------

def _peak_rss_mb() -> float:
    """This process's peak resident memory since it started: VmHWM (ru_maxrss
    would include the parent's memory at fork time on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure_sql(db: str, sql: str, memory_limit: str, threads: int) -> dict:
    import duckdb

    from exp_assets.warehouse.duckdb_warehouse import _profile, _table_scans

    with duckdb.connect(db, config={"memory_limit": memory_limit, "threads": threads}) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        conn.execute("SET enable_progress_bar = false")  # it would print before the result line
        conn.execute("PRAGMA enable_profiling='no_output'")
        began = time.perf_counter()
        conn.execute(sql).fetchall()
        seconds = time.perf_counter() - began
        scans = _table_scans(_profile(conn))
    return {"seconds": seconds, "rows_scanned": sum(scans.values()), "rows_scanned_sources": sum(scans.values()),
            "rows_scanned_by_table": scans, "peak_rss_mb": _peak_rss_mb()}


def measure_pipeline(config_path: str, experiments: list[str], first: str, last: str, memory_limit: str,
                     threads: int) -> dict:
    """Materialize every asset of `experiments` over [first, last] as one Dagster
    run (what a single-run backfill or the daily schedule does); per-asset
    figures are summed over the experiments."""
    import dagster as dg

    from exp_assets.automation.refresh import RANGE_END, RANGE_START
    from exp_assets.config import load_config
    from exp_assets.definitions import build_definitions
    from exp_assets.plan import ExperimentPlan
    from exp_assets.assets.resources import DuckDBRunResource

    closes: list[float] = []

    class ClosingTimed(DuckDBRunResource):
        """The project's resource, timing its teardown: closing the run's DuckDB
        connection checkpoints what the run wrote into the file, which is the
        warehouse's work (up to seconds after a full refresh), not Dagster's."""

        def teardown_after_execution(self, context) -> None:
            began = time.perf_counter()
            super().teardown_after_execution(context)
            closes.append(time.perf_counter() - began)

    config = load_config(config_path)
    ids = {ExperimentPlan(config, config.experiment(e)).id for e in experiments}
    defs = build_definitions(config)
    # the pipeline's tables only: the report asset reads the results the run just wrote
    # (its page is presentation, not the refresh the targets are about)
    assets = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition)]
    selection = dg.AssetSelection.groups(*ids) - dg.AssetSelection.assets(*(dg.AssetKey([i, "report"]) for i in ids))
    warehouse = ClosingTimed(database=config.warehouse.database,
                             connection_config={"memory_limit": memory_limit, "threads": threads})
    with dg.DagsterInstance.ephemeral() as instance:
        began = time.perf_counter()
        result = dg.materialize(
            assets, selection=selection, resources={"warehouse": warehouse}, instance=instance,
            tags={RANGE_START: first, RANGE_END: last},
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        )
        seconds = time.perf_counter() - began
        events = len(instance.all_logs(result.run_id))  # what Dagster stored: ~2 per asset and day, ~3 ms each
    assert result.success
    per_asset: dict[str, dict] = {}
    for event in result.get_asset_materialization_events():
        m = event.materialization
        meta = {k: v.value for k, v in m.metadata.items()}
        if "run.rows_written" not in meta:  # the run's figures are on its last day's event only
            continue
        figures = per_asset.setdefault(m.asset_key.path[-1], {})
        for name in ("seconds", "step_seconds", "check_seconds", "rows_written", "rows_scanned", "rows_scanned_sources"):
            figures[name] = (figures.get(name) or 0) + (meta.get(f"run.{name}") or 0)
        by_table = figures.setdefault("rows_scanned_by_table", {})
        for table, rows in (meta.get("run.rows_scanned_by_table") or {}).items():
            by_table[table] = by_table.get(table, 0) + rows
    step_seconds = sum(a["step_seconds"] or 0 for a in per_asset.values())
    steps_sql = sum(a["seconds"] or 0 for a in per_asset.values())
    checks = sum(a["check_seconds"] or 0 for a in per_asset.values())
    close = sum(closes)
    return {
        "seconds": seconds,
        "sql_seconds": steps_sql + close,  # the steps' statements and the connection's closing checkpoint
        "close_seconds": close,
        # the health checks (their queries, most of it, and Python), the steps' own time beyond
        # the warehouse and the checks (statistics, metadata), and Dagster's: the rest
        "check_seconds": checks,
        "python_seconds": step_seconds - steps_sql - checks,
        "dagster_seconds": seconds - step_seconds - close,
        "dagster_events": events,
        "rows_scanned": sum(a["rows_scanned"] or 0 for a in per_asset.values()),
        "rows_scanned_sources": sum(a["rows_scanned_sources"] or 0 for a in per_asset.values()),
        "assets": per_asset,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _measure(kind: str, isolate: bool, **kwargs) -> dict:
    """One measurement, in a fresh subprocess (`isolate`: its own peak RSS, cold
    DuckDB buffers) or in this process (quick runs, tests)."""
    if not isolate:
        return measure_pipeline(**kwargs) if kind == "pipeline" else measure_sql(**kwargs)
    return measure_in(ROOT, kind, **kwargs)


def measure_in(root: Path, kind: str, **kwargs) -> dict:
    """One measurement in a fresh subprocess, by the benchmark of the checkout at
    `root` (which puts that checkout first on its import path: its code is measured)."""
    env = dict(os.environ)
    if "config_path" in kwargs:
        env["EXP_ASSETS_CONFIG"] = kwargs["config_path"]  # what exp_assets.definitions loads on import
    proc = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "run.py"), "--_measure", json.dumps({"kind": kind, **kwargs})],
        capture_output=True, text=True, cwd=root, env=env,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"measurement {kind} {kwargs} with the code of {root} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- the benchmark ------------------------------------------------------------------

def run(scale: Scale, workdir: Path, memory_limit: str, threads: int, isolate: bool = True, log=print) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    db = str(workdir / "bench.duckdb")
    for stale in (db, db + ".wal"):
        if os.path.exists(stale):
            os.remove(stale)
    common = {"memory_limit": memory_limit, "threads": threads}
    out: dict = {"scale": asdict(scale), "memory_limit": memory_limit, "threads": threads, "machine": machine(),
                 "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "measurements": {}}
    m = out["measurements"]

    began = time.perf_counter()
    out["rows"] = generate(db, scale, memory_limit, threads)
    out["generate_seconds"] = time.perf_counter() - began
    out["active_share"] = active_share(db, scale)
    log(f"generated {out['rows']} ({scale.profile}: {out['active_share']:.0%} of exposed units active a day) "
        f"in {out['generate_seconds']:.1f}s")

    configs = {}
    for schema in ("incremental", "full"):
        path = workdir / f"{schema}.yaml"
        path.write_text(config_yaml(db, schema, scale))
        configs[schema] = str(path)

    def pipeline(name, schema, experiments, first, last):
        experiments = [experiments] if isinstance(experiments, str) else experiments
        result = _measure("pipeline", isolate, config_path=configs[schema], experiments=experiments,
                          first=str(scale.day(first)), last=str(scale.day(last)), **common)
        if name:
            m[name] = result
        top = sorted(result["assets"].items(), key=lambda a: -(a[1]["seconds"] or 0))[:6]
        slowest = ", ".join(f"{k} {v['seconds']:.2f}" for k, v in top)
        log(f"{name or 'setup'} ({', '.join(experiments)} days {first}..{last}): {result['seconds']:.2f}s "
            f"(SQL {result['sql_seconds']:.2f}s: {slowest}), "
            f"{result['peak_rss_mb']:.0f} MB, {result['rows_scanned_sources']:,} raw rows scanned")
        return result

    def sql(name, text):
        m[name] = _measure("sql", isolate, db=db, sql=text, **common)
        log(f"{name}: {m[name]['seconds']:.2f}s, {m[name]['peak_rss_mb']:.0f} MB, {m[name]['rows_scanned']:,} rows scanned")

    first_id, *others = scale.experiment_ids
    # full refresh of the first experiment, then of a second one on the same sources
    pipeline("full_refresh", "full", first_id, 1, scale.days)
    if others:
        pipeline("second_experiment", "full", others[0], 1, scale.days)
    # an experiment that ages: earlier days in unmeasured runs (backfills of at
    # most CATCH_UP_DAYS days, as a user would run a long catch-up at this scale),
    # then one day's update; the other experiments catch up to the last day's
    # eve, then all of them update that day in one run
    checkpoints = [d for d in scale.checkpoints if d <= scale.days] or [scale.days]
    done = 0
    for day in checkpoints:
        for first in range(done + 1, day, CATCH_UP_DAYS):
            pipeline(None, "incremental", first_id, first, min(first + CATCH_UP_DAYS, day) - 1)
        pipeline(f"incremental_day{day}", "incremental", first_id, day, day)
        sql(f"one_day_scan_day{day}", one_day_scan_sql(scale.day(day)))
        done = day
    if others:
        last = checkpoints[-1]
        for first in range(1, last, CATCH_UP_DAYS):
            pipeline(None, "incremental", others, first, min(first + CATCH_UP_DAYS, last) - 1)
        # the first experiment's day again (a re-run writes the same rows), with the others'
        pipeline(f"all_experiments_day{last}", "incremental", scale.experiment_ids, last, last)
    sql("group_by_unit", group_by_unit_sql())
    sql("naive_recompute", naive_recompute_sql(scale, "exp_a", scale.day(scale.days)))
    sql("daily_cumulative_floor", daily_cumulative_floor_sql(scale, "exp_a", scale.day(scale.days)))
    out["ratios"] = ratios(out)
    out["targets"] = targets(out)
    out["db_size_gb"] = os.path.getsize(db) / 2**30
    return out


def last_day(workdir: Path) -> dt.date:
    """The last day of the run a finished `--workdir` holds (its results.json's scale)."""
    scale = json.loads((workdir / "results.json").read_text())["scale"]
    return Scale(**{**scale, "checkpoints": tuple(scale["checkpoints"])}).day(scale["days"])


def ratios(out: dict) -> dict[str, float]:
    m = out["measurements"]
    days = [int(k.removeprefix("incremental_day")) for k in m if k.startswith("incremental_day")]
    last = max(days)
    r = {
        f"incremental / one-day scan (day {d})": m[f"incremental_day{d}"]["seconds"] / m[f"one_day_scan_day{d}"]["seconds"]
        for d in days
    }
    for d in days[1:]:
        r[f"incremental day {d} / day {days[0]}"] = m[f"incremental_day{d}"]["seconds"] / m[f"incremental_day{days[0]}"]["seconds"]
    r["full refresh / group-by-unit floor"] = m["full_refresh"]["seconds"] / m["group_by_unit"]["seconds"]
    r["daily cumulative floor / group-by-unit floor"] = (
        m["daily_cumulative_floor"]["seconds"] / m["group_by_unit"]["seconds"])
    r["full refresh / daily cumulative floor"] = m["full_refresh"]["seconds"] / m["daily_cumulative_floor"]["seconds"]
    r[f"naive recompute / incremental (day {last})"] = m["naive_recompute"]["seconds"] / m[f"incremental_day{last}"]["seconds"]
    if "second_experiment" in m:
        r["second experiment / first (full refresh)"] = m["second_experiment"]["seconds"] / m["full_refresh"]["seconds"]
    if f"all_experiments_day{last}" in m:
        n = out["scale"]["experiments"]
        r[f"{n} experiments' update / one experiment's (day {last})"] = (
            m[f"all_experiments_day{last}"]["seconds"] / m[f"incremental_day{last}"]["seconds"])
    return r


def targets(out: dict) -> list[dict]:
    """The targets the incremental design is held to, each measured in this run:
    name, value, the target in words, and whether it is met (None: not measured here)."""
    m, scale = out["measurements"], out["scale"]
    days = sorted(int(k.removeprefix("incremental_day")) for k in m if k.startswith("incremental_day"))
    last = days[-1]
    update, scan = m[f"incremental_day{last}"], m[f"one_day_scan_day{last}"]
    allowance = 3 * scan["seconds"] + 0.3
    naive = m["naive_recompute"]["seconds"] / update["seconds"]
    mid_size = (scale["units"], scale["events"]) == (200_000, 10_000_000)
    found = [
        {"name": f"update's warehouse seconds, day {last}", "value": update["sql_seconds"],
         "target": f"<= 3 x one-day scan + 0.3 s = {allowance:.2f} s", "met": update["sql_seconds"] <= allowance},
        {"name": f"update's wall time with Dagster, day {last}", "value": update["seconds"], "target": "<= 2.5 s",
         "met": update["seconds"] <= 2.5},
        {"name": f"naive recompute / update, day {last}", "value": naive,
         "target": ">= 3 (at 200k units, 10M events)" if mid_size else ">= 10", "met": naive >= (3 if mid_size else 10)},
        {"name": "full refresh / its lower bound (daily cumulative floor)",
         "value": m["full_refresh"]["seconds"] / m["daily_cumulative_floor"]["seconds"], "target": "<= 2",
         "met": m["full_refresh"]["seconds"] <= 2 * m["daily_cumulative_floor"]["seconds"]},
    ]
    if len(days) > 1:
        growth = update["seconds"] / m[f"incremental_day{days[0]}"]["seconds"]
        found.append({"name": f"update day {last} / day {days[0]}", "value": growth, "target": "<= 1.1",
                      "met": growth <= 1.1})
    if f"all_experiments_day{last}" in m:
        n = scale["experiments"]
        together = m[f"all_experiments_day{last}"]["seconds"] / update["seconds"]
        found.append({"name": f"{n} experiments' update / one experiment's, day {last}", "value": together,
                      "target": "<= 3 (10 experiments)", "met": together <= 3 if n >= 10 else None})
    limit_mb = _megabytes(out["memory_limit"])
    peak = max(r["peak_rss_mb"] for r in m.values())
    found.append({"name": "highest peak RSS (MB) / DuckDB memory_limit (MB)", "value": peak / limit_mb,
                  "target": "bounded by the limit (+0.5 GB of Python, Dagster, pandas)",
                  "met": peak <= limit_mb + 512})
    return found


def _megabytes(size: str) -> float:
    """A DuckDB size setting ('8GB', '512MB') in MB."""
    number, unit = float(size.rstrip("BKMGTbkmgt")), size.upper().rstrip("B")[-1:]
    return number * {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024 ** 2}[unit]


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import duckdb

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem, 1), "python": platform.python_version(),
            "duckdb": duckdb.__version__, "os": platform.platform()}


def markdown(out: dict) -> str:
    m = out["measurements"]
    scale = out["scale"]
    lines = [f"Profile {scale.get('profile', 'dense')}: {scale['units']:,} units, {scale['days']} days, "
             f"{sum(out['rows'][t] for t in ('page_views', 'orders')):,} events, "
             f"{scale.get('experiments', 2)} experiments"
             f"{' sharing their facts' if scale.get('shared_facts') else ''}; "
             + (f"{out['active_share']:.1%} of exposed units active on a day." if "active_share" in out else ""), "",
             "| measurement | wall s | peak RSS MB | rows scanned (raw sources) | rows scanned (all tables) |",
             "|---|---:|---:|---:|---:|"]
    for name, r in m.items():
        lines.append(f"| {name} | {r['seconds']:.2f} | {r['peak_rss_mb']:.0f} | {r['rows_scanned_sources']:,} | "
                     f"{r['rows_scanned']:,} |")
    lines += ["", f"Highest peak RSS of any measurement: {max(r['peak_rss_mb'] for r in m.values()):.0f} MB "
              f"(DuckDB memory_limit {out['memory_limit']}, {out['threads']} threads)."]
    lines += ["", "| ratio | value |", "|---|---:|"]
    lines += [f"| {k} | {v:.2f} |" for k, v in out["ratios"].items()]
    lines += ["", "| target | value | target | met? |", "|---|---:|---|---|"]
    lines += [f"| {t['name']} | {t['value']:.2f} | {t['target']} | "
              f"{'not measured here' if t['met'] is None else 'yes' if t['met'] else '**no**'} |" for t in targets(out)]
    pipelines = [n for n, r in m.items() if "assets" in r]
    lines += ["", "Where each run's wall time went: the warehouse (SQL and writes, and closing the connection, "
              "which checkpoints the run's writes into the file), the health checks (their queries and Python), "
              "the steps' Python (statistics, metadata), Dagster (the rest, most of it storing its events):", "",
              "| run | wall s | warehouse s | of it, the closing checkpoint | health checks s | steps' Python s | "
              "Dagster s | Dagster's events |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {n} | {m[n]['seconds']:.2f} | {m[n]['sql_seconds']:.2f} | {_figure(m[n], 'close_seconds')} | "
              f"{_figure(m[n], 'check_seconds')} | {m[n]['python_seconds']:.2f} | {m[n]['dagster_seconds']:.2f} | "
              f"{_figure(m[n], 'dagster_events', '{:,}')} |" for n in pipelines if "dagster_seconds" in m[n]]
    lines += ["", "Warehouse seconds per asset (its SQL and write; the rest of a run's wall time is Dagster, "
              "health checks, connections and Python statistics):", "",
              "| asset | " + " | ".join(pipelines) + " |", "|---|" + "---:|" * len(pipelines)]
    assets = sorted({a for n in pipelines for a in m[n]["assets"]},
                    key=lambda a: -max(m[n]["assets"].get(a, {}).get("seconds") or 0 for n in pipelines))
    for a in assets:
        cells = [m[n]["assets"].get(a, {}).get("seconds") for n in pipelines]
        lines.append(f"| {a} | " + " | ".join("" if c is None else f"{c:.2f}" for c in cells) + " |")
    lines.append("| closing the connection | " + " | ".join(_figure(m[n], "close_seconds") for n in pipelines) + " |")
    lines.append("| **warehouse in all** | " + " | ".join(f"{m[n]['sql_seconds']:.2f}" for n in pipelines) + " |")
    lines.append("| **run wall time** | " + " | ".join(f"{m[n]['seconds']:.2f}" for n in pipelines) + " |")
    return "\n".join(lines)


def _figure(measurement: dict, name: str, form: str = "{:.2f}") -> str:
    """A figure results.json files of earlier rounds lack: blank there."""
    value = measurement.get(name)
    return "" if value is None else form.format(value)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", action="store_true", help="2M units, 90 days, ~200M events")
    parser.add_argument("--units", type=int)
    parser.add_argument("--days", type=int)
    parser.add_argument("--events", type=int)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--profile", choices=PROFILES, default="sparse",
                        help="sparse: heavy-tailed activity, ~10%% of units active a day (default); "
                             "dense: events uniform over units and days")
    parser.add_argument("--experiments", type=int, default=2, help="experiments on the same sources (default 2)")
    parser.add_argument("--shared-facts", action="store_true",
                        help="the fact sources' shared_facts: the experiments merge their unit-day rows from one "
                             "shared table per source")
    parser.add_argument("--memory-limit", default="8GB", help="DuckDB's memory_limit for every connection")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--workdir", type=Path,
                        help="where the DuckDB file, configs and results.json go (default: a new temp dir)")
    parser.add_argument("--report", type=Path, help="print the Markdown summary of a results.json and exit")
    parser.add_argument("--_measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.report:
        print(markdown(json.loads(args.report.read_text())))
        return
    if args._measure:
        spec = json.loads(args._measure)
        kind = spec.pop("kind")
        result = measure_pipeline(**spec) if kind == "pipeline" else measure_sql(**spec)
        print(json.dumps(result, default=str))
        return
    base = LARGE if args.scale else DEFAULT
    scale = Scale(units=args.units or base.units, days=args.days or base.days, events=args.events or base.events,
                  seed=args.seed, profile=args.profile, experiments=args.experiments, shared_facts=args.shared_facts)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="exp_assets_bench_"))
    out = run(scale, workdir, args.memory_limit, args.threads)
    (workdir / "results.json").write_text(json.dumps(out, indent=2, default=str))
    print(f"\nresults: {workdir / 'results.json'}\n")
    print(markdown(out))


if __name__ == "__main__":
    main()
