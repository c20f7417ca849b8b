"""The quantile kind on every engine, against an independent pandas computation
from the raw fixture tables: each sketch holds exactly the buckets of the values
of the units eligible on the day (their events, or their sums, over the rollup's
span), the published quantile is within the sketch's relative accuracy of
numpy's order statistic of the same rank, its interval and effects are those of
stats/quantile.py on those buckets and on cluster sums counted in pandas. On
DuckDB, day-by-day updates equal a full refresh (as test_rollups checks the
other kinds), and a day's update of every new metric kind reads only that day's
raw events."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from exp_assets import steps
from exp_assets.days import DayRange
from exp_assets.stats.quantile import (
    ClusterSums, Histogram, QuantileArm, bucket_of, event_quantile, quantile_difference, unit_quantile,
)
from exp_assets_tests import fixtures, reference
from exp_assets_tests.engines import assert_same_tables, microsecond_raw, plan_tables, quiet_fakesnow
from exp_assets_tests.fixtures import DAYS, END, START

pytestmark = quiet_fakesnow
ALPHA = 0.01  # the kind's default relative accuracy
OFFSET = 1 << 20  # README: a bucket's position is sign * (index + 2^20)
FULL = DayRange(START, END + dt.timedelta(days=1))
SPANS = {"cumulative": None, "daily": 1, "7day": 7}
QUANTILES = {"p90_amount": ("event", 0.9), "p75_revenue": ("unit", 0.75)}
# one metric of each other new kind: the fixture config defines them
OTHER_KINDS = ["top_order", "low_order", "first_order", "last_small_order", "distinct_amounts", "order_days",
               "viewed_days_1_to_3", "spent_60"]


def with_kinds(text: str) -> str:
    quantiles = "".join(
        f"  - {{name: {name}, source: orders, type: quantile, column: amount, q: {q}, level: {level}}}\n"
        for name, (level, q) in QUANTILES.items())
    return text.replace("experiments:\n", quantiles + "experiments:\n", 1)


def _setup(engine, raw, metrics=("revenue", *QUANTILES)):
    return engine.setup(raw, metrics=list(metrics), edit=with_kinds)


@pytest.fixture(scope="module")
def raw():
    return microsecond_raw(fixtures.raw_tables())


def _values(raw, day: dt.date, days: int | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(units eligible on `day` with their variant, their orders in the span ending `day`)."""
    units = reference.unit_values(raw, START, day, "exclude")[["unit_id", "variant"]]
    first = reference.first_exposures(raw, START, day).set_index("unit_id")["first_exposure_ts"]
    orders = raw["orders"].rename(columns={"user_id": "unit_id"}).merge(units, on="unit_id")
    end = pd.Timestamp(day + dt.timedelta(days=1))
    start = orders["unit_id"].map(first)
    if days is not None:
        start = start.clip(lower=end - pd.Timedelta(days=days))
    orders = orders[(orders["ts"] >= start) & (orders["ts"] < end) & orders["amount"].notna()]
    return units, orders


def _positions(values) -> list[int]:
    signs, indexes = bucket_of(np.asarray(values, dtype=float), ALPHA)
    return [0 if s == 0 else int(s) * (int(i) + OFFSET) for s, i in zip(signs, indexes)]


def _expected_arm(units: pd.DataFrame, orders: pd.DataFrame, variant: str, level: str, q: float):
    """(bucket position -> count, the arm's QuantileArm, the exact order statistic), from pandas."""
    own = orders[orders["variant"] == variant]
    if level == "unit":
        sums = own.groupby("unit_id")["amount"].sum()
        values = units[units["variant"] == variant]["unit_id"].map(sums).fillna(0.0).to_numpy()
    else:
        values = own["amount"].to_numpy()
    positions = pd.Series(_positions(values)).value_counts().sort_index()
    histogram = Histogram.from_values(values, ALPHA)
    exact = np.sort(values)[max(1, math.ceil(q * len(values))) - 1]
    if level == "unit":
        return positions, QuantileArm(unit_quantile(histogram, q), len(values)), exact
    cut = histogram.quantile_bucket(q)
    cut_position = 0 if cut[0] == 0 else cut[0] * (cut[1] + OFFSET)
    per_unit = own.assign(position=_positions(own["amount"])).groupby("unit_id")["position"]
    n_i = per_unit.size().to_numpy(dtype=float)
    s_i = per_unit.apply(lambda p: (p <= cut_position).sum()).to_numpy(dtype=float)
    sums = ClusterSums(len(n_i), s_i.sum(), (s_i ** 2).sum(), n_i.sum(), (n_i ** 2).sum(), (s_i * n_i).sum())
    return positions, QuantileArm(event_quantile(histogram, q, sums), len(n_i)), exact


def test_sketches_and_results_equal_an_independent_computation(engine, raw):
    wh, plan = _setup(engine, raw)
    steps.materialize_all(wh, plan, FULL)
    tables = engine.tables()
    sketches = tables[plan.table_name("quantile_sketches")]
    sketches["as_of_date"] = pd.to_datetime(sketches["as_of_date"]).dt.date
    checked = 0
    for rollup, days in SPANS.items():
        results = tables[plan.table_name(f"results_{rollup}")]
        results["as_of_date"] = pd.to_datetime(results["as_of_date"]).dt.date
        for day in (DAYS[2], DAYS[-1]):
            units, orders = _values(raw, day, days)
            for name, (level, q) in QUANTILES.items():
                arms = {}
                for variant in ("control", "treatment"):
                    positions, arms[variant], exact = _expected_arm(units, orders, variant, level, q)
                    rows = sketches[(sketches["as_of_date"] == day) & (sketches["rollup"] == rollup)
                                    & (sketches["metric"] == name) & (sketches["variant"] == variant)
                                    & sketches["position"].notna()]
                    got = rows.set_index(rows["position"].astype("int64"))["count"].astype("int64").sort_index()
                    assert got.to_dict() == positions.to_dict(), (rollup, day, name, variant)
                    row = results[(results["as_of_date"] == day) & (results["metric"] == name)
                                  & (results["variant"] == variant) & (results["dimension"] == "overall")].iloc[0]
                    assert row["mean"] == pytest.approx(arms[variant].value, rel=1e-12)
                    assert abs(row["mean"] - exact) <= ALPHA * abs(exact) * (1 + 1e-9)  # the sketch's bound
                    assert row["units"] == arms[variant].n
                diff = quantile_difference(arms["control"], arms["treatment"], 10)
                row = results[(results["as_of_date"] == day) & (results["metric"] == name)
                              & (results["variant"] == "treatment") & (results["dimension"] == "overall")].iloc[0]
                if diff.abs_variance is None:
                    assert row["reason"], (rollup, day, name)
                    continue
                z = 1.959963984540054
                assert row["abs_effect"] == pytest.approx(diff.abs_effect, rel=1e-9, abs=1e-12)
                assert row["abs_ci_upper"] - row["abs_ci_lower"] == pytest.approx(2 * z * math.sqrt(diff.abs_variance),
                                                                                  rel=1e-6)
                if diff.rel_effect is None:  # a control quantile of 0
                    assert pd.isna(row["rel_effect"]) and row["reason"], (rollup, day, name)
                    continue
                assert row["rel_effect"] == pytest.approx(diff.rel_effect, rel=1e-9)
                checked += 1
    assert checked >= 6  # most groups have enough values for an interval
    assert set(sketches["rollup"]) == set(SPANS)  # defined in these rollups only


@pytest.mark.parametrize("engine", ["duckdb"], indirect=True)  # the engines' SQL is the first test's
def test_day_by_day_equals_a_full_refresh(engine, raw):
    wh, plan = _setup(engine, raw)
    steps.materialize_all(wh, plan, FULL)
    full = {k: v for k, v in plan_tables(wh, plan).items() if "quantile" in k or "results_" in k}
    wh, plan = _setup(engine, raw)
    for day in FULL.days:
        steps.materialize_all(wh, plan, DayRange(day, day + dt.timedelta(days=1)))
    daily = {k: v for k, v in plan_tables(wh, plan).items() if "quantile" in k or "results_" in k}
    assert_same_tables(daily, full)


@pytest.mark.parametrize("engine", ["duckdb"], indirect=True)
def test_a_days_update_reads_only_that_days_events_for_every_kind(engine, raw):
    wh, plan = _setup(engine, raw, ["revenue", *QUANTILES, *OTHER_KINDS])
    steps.materialize_all(wh, plan, DayRange(START, DAYS[3]))
    day = DAYS[3]
    reports = steps.materialize_all(wh, plan, DayRange(day, day + dt.timedelta(days=1)))
    on_day = {name: int(((frame["ts"] >= pd.Timestamp(day)) & (frame["ts"] < pd.Timestamp(day) + pd.Timedelta(days=1)))
                        .sum()) for name, frame in raw.items() if name in ("orders", "page_views")}
    read = 0
    for artifact, report in reports.items():
        for source_table, rows in report.rows_scanned.items():
            name = source_table.split(".")[-1]
            if name in on_day:
                assert rows <= on_day[name], (artifact, source_table, rows, on_day[name])
                read += rows
            if artifact.startswith(("unit_totals", "rollup_moments", "quantile_sketches", "results_")):
                assert name not in on_day, (artifact, source_table)  # from the derived tables only
    assert read > 0
