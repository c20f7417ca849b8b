"""A small raw warehouse with hand-placed edge cases, and its config."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from exp_assets.config import ProjectConfig, parse_config
from exp_assets.warehouse import DuckDBWarehouse

START = dt.date(2026, 1, 3)
END = dt.date(2026, 1, 8)  # last day of the experiment
DATA_START = dt.date(2026, 1, 1)
DAYS = [START + dt.timedelta(days=i) for i in range((END - START).days + 1)]


def ts(day: dt.date, hour: float) -> pd.Timestamp:
    """`hour` hours into `day`, at microseconds: the pipeline reads every source
    timestamp as a microsecond TIMESTAMP (what all three engines keep)."""
    return (pd.Timestamp(day) + pd.Timedelta(hours=hour)).floor("us")


def raw_tables(seed: int = 3, units: int = 240) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    span = (END - DATA_START).days + 1
    exposures, orders, views = [], [], []
    for u in range(units):
        unit = f"u{u:03d}"
        variant = "treatment" if u % 2 else "control"
        country = ["US", "DE", "BR"][u % 3]
        first_day = START + dt.timedelta(days=int(rng.integers(0, len(DAYS))))
        for _ in range(int(rng.integers(1, 4))):  # repeat exposures on the same or later days
            day = min(END, first_day + dt.timedelta(days=int(rng.integers(0, 3))))
            exposures.append((unit, "exp_a", variant, ts(day, rng.uniform(0, 24)), country))
        lift = 1.3 if variant == "treatment" else 1.0
        for _ in range(int(rng.poisson(3 * lift))):
            day = DATA_START + dt.timedelta(days=int(rng.integers(0, span)))
            orders.append((unit, ts(day, rng.uniform(0, 24)), float(np.round(rng.exponential(40), 2))))
        for _ in range(int(rng.poisson(6))):
            day = DATA_START + dt.timedelta(days=int(rng.integers(0, span)))
            views.append((unit, ts(day, rng.uniform(0, 24)), "home"))

    d = DAYS
    exposures += [
        # crosses over to treatment on day 3: excluded from that day on (policy exclude)
        ("x_cross", "exp_a", "control", ts(d[0], 5), "US"),
        ("x_cross", "exp_a", "treatment", ts(d[2], 7), "US"),
        # both variants at the same instant: tie broken by variant name (control first)
        ("x_tie", "exp_a", "treatment", ts(d[1], 9), "DE"),
        ("x_tie", "exp_a", "control", ts(d[1], 9), "DE"),
        # exposed before the start date too: first exposure is the in-window one
        ("x_early", "exp_a", "treatment", ts(DATA_START, 3), "BR"),
        ("x_early", "exp_a", "treatment", ts(d[3], 12), "BR"),
        # only before the start: never in the experiment
        ("x_only_early", "exp_a", "control", ts(DATA_START, 4), "US"),
        # ignored: another experiment, a variant not in the config, a null unit
        ("u001", "other_exp", "control", ts(d[0], 1), "US"),
        ("x_bogus", "exp_a", "holdout", ts(d[0], 2), "US"),
        (None, "exp_a", "control", ts(d[0], 3), "US"),
    ]
    orders += [
        # before first exposure (ignored), same day after exposure (counted)
        ("x_pre", ts(d[1], 1), 1000.0),
        ("x_pre", ts(d[1], 20), 10.0),
        ("x_cross", ts(d[1], 12), 99.0),
        ("x_only_early", ts(d[1], 12), 500.0),
    ]
    exposures.append(("x_pre", "exp_a", "treatment", ts(d[1], 10), "US"))
    frames = {
        "exposures": pd.DataFrame(exposures, columns=["user_id", "experiment_id", "variant", "ts", "country"]),
        "orders": pd.DataFrame(orders, columns=["user_id", "ts", "amount"]),
        "page_views": pd.DataFrame(views, columns=["user_id", "ts", "page"]),
    }
    return {name: f.sort_values("ts", kind="stable").reset_index(drop=True) for name, f in frames.items()}


def write_raw(path: Path, tables: dict[str, pd.DataFrame]) -> None:
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS raw")
        for name, frame in tables.items():
            conn.register("frame", frame)
            conn.execute(f"CREATE OR REPLACE TABLE raw.{name} AS SELECT * FROM frame ORDER BY ts")
            conn.unregister("frame")


METRICS = ["revenue", "orders", "purchased", "big_orders", "views"]


def config_text(database: Path, policy: str = "exclude", metrics: list[str] = METRICS,
                cuped_days: int | None = None, winsorize: str = "", stats: str = "",
                snapshot_share: float = 1.0) -> str:
    """The fixture project; CUPED off unless `cuped_days`, revenue optionally
    winsorized (e.g. `winsorize="{upper: 0.9}"`), `stats` extra experiment keys.
    unit_totals: a scheduled snapshot every 3 days (one mid-experiment), and by
    default none on busy days (the fixture's units are active most days, so
    at the shipped share of 0.5 nearly every day would be a snapshot)."""
    cuped = f"{{enabled: true, lookback_days: {cuped_days}}}" if cuped_days else "{enabled: false}"
    caps = f", winsorize: {winsorize}" if winsorize else ""
    return f"""
warehouse: {{type: duckdb, database: "{database}", output_schema: exp}}
sources:
  exposures: {{kind: assignments, table: raw.exposures, unit_id: user_id, timestamp: ts,
              experiment_id: experiment_id, variant: variant, dimensions: [country]}}
  orders: {{kind: facts, table: raw.orders, unit_id: user_id, timestamp: ts, shared_facts: true}}
  views: {{kind: facts, sql: "SELECT user_id, ts FROM raw.page_views", unit_id: user_id, timestamp: ts,
          shared_facts: true}}
metrics:
  - {{name: revenue, source: orders, type: sum, column: amount{caps}}}
  - {{name: orders, source: orders, type: count}}
  - {{name: purchased, source: orders, type: proportion}}
  - {{name: big_orders, source: orders, type: count, filter: "amount > 50"}}
  - {{name: views, source: views, type: count}}
  - {{name: revenue_per_order, type: ratio, numerator: revenue, denominator: orders}}
  - {{name: orders_per_view, type: ratio, numerator: orders, denominator: views}}
  - {{name: orders_first_2d, source: orders, type: count, window: {{start: 0, end: 2, unit: days}}}}
  - {{name: revenue_hours_6_to_30, source: orders, type: sum, column: amount, window: {{start: 6, end: 30, unit: hours}}}}
  - name: shop_funnel
    type: funnel
    steps: [{{name: view, source: views}}, {{name: order, source: orders}}, {{name: big, source: orders, filter: "amount > 50"}}]
    window_hours: 48
  - name: order_after_exposure
    type: funnel
    steps: [{{name: order, source: orders}}, {{name: second_view, source: views}}]
    window_hours: 24
    window_from: exposure
  - {{name: top_order, source: orders, type: max, column: amount}}
  - {{name: low_order, source: orders, type: min, column: amount}}
  - {{name: first_order, source: orders, type: first, column: amount}}
  - {{name: last_small_order, source: orders, type: last, column: amount, filter: "amount < 60"}}
  - {{name: distinct_amounts, source: orders, type: count_distinct, column: amount}}
  - {{name: order_days, source: orders, type: participation}}
  - {{name: viewed_days_1_to_3, source: views, type: retention, window: {{start: 1, end: 3, unit: days}}}}
  - {{name: spent_60, type: threshold, metric: revenue, at_least: 60}}
experiments:
  - id: exp_a
    assignment_source: exposures
    start_date: {START}
    end_date: {END}
    variants: {{control: 0.5, treatment: 0.5}}
    control: control
    metrics: [{", ".join(metrics)}]
    multiple_exposures: {policy}
    cuped: {cuped}
    refresh: {{snapshot_every_days: 3, snapshot_share: {snapshot_share}}}
{stats}
"""


def make_config(database: Path, policy: str = "exclude", **options) -> ProjectConfig:
    return parse_config(config_text(database, policy, **options), "test.yaml")


def warehouse(database: Path) -> DuckDBWarehouse:
    @contextlib.contextmanager
    def connect():
        conn = duckdb.connect(str(database))
        try:
            yield conn
        finally:
            conn.close()

    return DuckDBWarehouse(connect, "exp")


def output_tables(database: Path) -> dict[str, pd.DataFrame]:
    """Every pipeline table (not the ledger), sorted, for whole-table comparisons."""
    with duckdb.connect(str(database), read_only=True) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'exp' "
            "AND table_name <> '_partitions' ORDER BY 1").fetchall()]
        frames = {}
        for name in names:
            frame = conn.execute(f'SELECT * FROM exp."{name}"').df()
            frames[name] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return frames
