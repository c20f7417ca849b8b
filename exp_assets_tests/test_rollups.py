"""Every results rollup (cumulative, daily, 7day, days_since_exposure) of every
metric shape (sum / count / proportion, filters, metric windows, ratios, both
funnel shapes, max / min / first / last, count_distinct, participation,
retention, threshold), overall and by dimension with top-N folding, against the
independent pandas + statsmodels computation in reference_rollups.py, on the
fixture warehouse, on a variant with hand-placed edge cases and (the new kinds)
on one with units crossing over, on every engine (DuckDB, Snowflake on
fakesnow, BigQuery on bqemulator); and a day-by-day run against a full
restatement, table by table."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from exp_assets import steps
from exp_assets.days import DayRange
from exp_assets.sql import results as results_sql
from exp_assets.quoting import table
from exp_assets_tests import fixtures, reference
from exp_assets_tests.engines import (
    assert_same_tables, duckdb_only, microsecond_raw, normalized, plan_tables, quiet_fakesnow,
)
from exp_assets_tests.fixtures import DAYS, END, START, ts
from exp_assets_tests.reference_rollups import ALL_METRICS, NEW_KINDS, STAT_COLUMNS, Reference, result_metrics

pytestmark = quiet_fakesnow
ROLLUPS = ["cumulative", "daily", "7day", "days_since_exposure"]
RTOL, ATOL = 1e-9, 1e-12
METRICS = ALL_METRICS + NEW_KINDS
ROW_NAMES = {rollup: [name for name, _, _ in result_metrics(METRICS, rollup)] for rollup in ROLLUPS}


# -- hand-placed raw rows ----------------------------------------------------------------
#
# The fixture's experiment spans 6 days, so its 7day rollup cannot differ from
# cumulative. The hand-placed case therefore runs 2 days longer (end_date moved),
# with new units and events on those days, on top of the edge cases below.

d = DAYS
LONG_DAYS = [END + dt.timedelta(days=i) for i in range(1, 3)]  # Jan 9, 10: D - 6 > START on Jan 10
LONG_END = LONG_DAYS[-1]
SECOND = pd.Timedelta(seconds=1)  # exact: DuckDB keeps microseconds, a float hour would not survive
HAND_EXPOSURES = [
    # units with no events at all, in both arms
    ("h_none_c1", "control", ts(d[1], 8), "US"),
    ("h_none_c2", "control", ts(d[1], 8.5), "DE"),
    ("h_none_t1", "treatment", ts(d[1], 8), "US"),
    # a NULL dimension value, in both arms
    ("h_null_c", "control", ts(d[0], 3), None),
    ("h_null_t", "treatment", ts(d[0], 4), None),
    ("h_null_t2", "treatment", ts(d[2], 4), None),
    # funnel done out of order: order (step 2) an hour before view (step 1)
    ("h_ooo", "treatment", ts(d[0], 10), "BR"),
    # shop_funnel's order 49 h after its view: outside the 48 h window
    ("h_late", "control", ts(d[0], 6), "DE"),
    # shop_funnel's order and big exactly 48 h after the view: inside (<=)
    ("h_edge", "treatment", ts(d[1], 9), "US"),
    # order_after_exposure: order and view exactly 24 h after exposure (inside) ...
    ("h_edge_exp", "control", ts(d[1], 9), "BR"),
    # ... and one second later (outside)
    ("h_edge_exp_late", "treatment", ts(d[1], 9), "DE"),
    # metric-window boundaries (orders_first_2d [0, 48 h), revenue_hours_6_to_30 [6 h, 30 h))
    ("h_win", "control", ts(d[0], 12), "US"),
    # day boundaries of the daily and 7day windows
    ("h_days", "treatment", ts(d[0], 1), "US"),
    # the new kinds: ties in max, values seen on two days, a filtered last value, the retention window's edges
    ("h_kinds", "treatment", ts(d[0], 10), "BR"),
    # retention [24 h, 72 h): a view exactly at + 24 h, closed as of d[5] (+ 72 h = d[5] 06:00) ...
    ("h_ret_start", "control", ts(d[2], 6), "DE"),
    # ... a window closing exactly at the end of the last day (closed then, open the day before) ...
    ("h_ret_edge", "control", ts(d[5], 0), "US"),
    # ... and one a second later (still open on the last day: left out)
    ("h_ret_late", "treatment", ts(d[5], 0) + SECOND, "US"),
]
HAND_ORDERS = [
    ("h_ooo", ts(d[0], 11), 80.0),
    ("h_late", ts(d[0], 7 + 49), 20.0),
    ("h_edge", ts(d[1], 10 + 48), 70.0),
    ("h_edge_exp", ts(d[1], 9 + 24), 30.0),
    ("h_edge_exp_late", ts(d[1], 9 + 24) + SECOND, 30.0),
    ("h_win", ts(d[0], 12), 5.0),  # exactly at first exposure + 0: in orders_first_2d, not in 6-30 h
    ("h_win", ts(d[0], 12 + 6), 7.0),  # exactly + 6 h: in
    ("h_win", ts(d[0], 12 + 30) - SECOND, 19.0),  # just before + 30 h: in
    ("h_win", ts(d[0], 12 + 30), 11.0),  # exactly + 30 h: out of 6-30 h
    ("h_win", ts(d[0], 12 + 48) - SECOND, 17.0),  # just before + 48 h: in orders_first_2d
    ("h_win", ts(d[0], 12 + 48), 13.0),  # exactly + 48 h: out of orders_first_2d
    ("h_days", ts(LONG_DAYS[1], 0), 3.0),  # Jan 10 00:00: daily of Jan 10, not Jan 9
    ("h_kinds", ts(d[0], 9), 500.0),  # before first exposure: in no value
    ("h_kinds", ts(d[0], 10.5), None),  # its first order has no amount: first_order is the next one's
    ("h_kinds", ts(d[0], 11), 25.0),
    ("h_kinds", ts(d[0], 15), 40.0),
    ("h_kinds", ts(d[1], 9), 40.0),  # ties d[0]'s largest
    ("h_kinds", ts(d[1], 20), 25.0),  # 25 again, on another day: one distinct value
    ("h_kinds", ts(d[2], 8), 70.0),  # the largest; outside last_small_order's filter (amount < 60)
    ("h_ret_edge", ts(d[5], 1), 60.0),  # revenue exactly spent_60's threshold
]
HAND_VIEWS = [
    ("h_ooo", ts(d[0], 12), "home"),
    ("h_late", ts(d[0], 7), "home"),
    ("h_edge", ts(d[1], 10), "home"),
    ("h_edge_exp", ts(d[1], 9 + 24), "home"),
    ("h_edge_exp_late", ts(d[1], 9 + 24) + SECOND, "home"),
    ("h_days", ts(d[1], 0) - SECOND, "home"),  # last second of day 0
    ("h_days", ts(d[1], 0), "home"),  # first instant of day 1
    ("h_kinds", ts(d[1], 10) - SECOND, "home"),  # a second before its retention window
    ("h_kinds", ts(d[3], 10), "home"),  # exactly at its end: out
    ("h_ret_start", ts(d[3], 6), "home"),  # exactly at its start: in
    ("h_ret_edge", ts(d[5], 72) - SECOND, "home"),  # the window's last second
    ("h_ret_late", ts(d[5], 24) + SECOND, "home"),  # in the window, which is still open
]
# as of the last day: (metric / step column, value) per hand-placed unit, worked out by hand
HAND_EXPECTED = {
    "h_none_c1": dict(revenue=0, orders=0, purchased=0, views=0, orders_first_2d=0, shop_funnel__view=0,
                      order_after_exposure__order=0),
    "h_ooo": dict(orders=1, views=1, shop_funnel__view=1, shop_funnel__order=0, shop_funnel__big=0,
                  order_after_exposure__order=1, order_after_exposure__second_view=1),
    "h_late": dict(orders=1, views=1, shop_funnel__view=1, shop_funnel__order=0, shop_funnel__big=0,
                   order_after_exposure__order=0, order_after_exposure__second_view=0, orders_first_2d=0),
    "h_edge": dict(big_orders=1, shop_funnel__view=1, shop_funnel__order=1, shop_funnel__big=1,
                   order_after_exposure__order=0, orders_first_2d=0),
    "h_edge_exp": dict(shop_funnel__view=1, shop_funnel__order=1, shop_funnel__big=0,
                       order_after_exposure__order=1, order_after_exposure__second_view=1, orders_first_2d=1,
                       revenue_hours_6_to_30=30),  # + 24 h is inside [6 h, 30 h)
    "h_edge_exp_late": dict(order_after_exposure__order=0, order_after_exposure__second_view=0, orders_first_2d=1),
    "h_win": dict(revenue=72, orders=6, purchased=1, orders_first_2d=5, revenue_hours_6_to_30=26),
    "h_days": dict(revenue=3, orders=1, views=2, shop_funnel__view=1, shop_funnel__order=0),
    "h_kinds": dict(top_order=70, top_order__units=1, low_order=25, first_order=25, last_small_order=25,
                    distinct_amounts=3, order_days=3 / 8, spent_60=1, viewed_days_1_to_3=0,
                    viewed_days_1_to_3__closed=1),
    "h_ret_start": dict(viewed_days_1_to_3=1, viewed_days_1_to_3__closed=1, top_order=0, top_order__units=0,
                        first_order__units=0, distinct_amounts=0, order_days=0, spent_60=0),
    "h_ret_edge": dict(viewed_days_1_to_3=1, viewed_days_1_to_3__closed=1, spent_60=1, top_order=60,
                       order_days=1 / 3),
    "h_ret_late": dict(viewed_days_1_to_3=0, viewed_days_1_to_3__closed=0),
}
# h_days by rollup and as-of day: (views, orders)
H_DAYS = {
    ("daily", d[0]): (1, 0), ("daily", d[1]): (1, 0), ("daily", LONG_DAYS[0]): (0, 0),
    ("daily", LONG_DAYS[1]): (0, 1),
    ("7day", LONG_DAYS[0]): (2, 0),  # Jan 3..9 hold both views
    ("7day", LONG_DAYS[1]): (1, 1),  # Jan 4..10: the view at Jan 3 23:59:59 has left, the order at 00:00 is in
    ("cumulative", LONG_DAYS[1]): (2, 1),
}
# the new kinds' values of h_kinds, h_ret_start and h_ret_edge by rollup and as-of day
H_KINDS = {
    ("h_kinds", "cumulative", d[1]): dict(top_order=40, low_order=25, first_order=25, last_small_order=25,
                                          distinct_amounts=2, order_days=1, spent_60=1),
    ("h_kinds", "daily", d[1]): dict(top_order=40, first_order=40, last_small_order=25, distinct_amounts=2,
                                     order_days=1, spent_60=1),  # 65 that day
    ("h_kinds", "daily", d[2]): dict(top_order=70, top_order__units=1, last_small_order=0,
                                     last_small_order__units=0, distinct_amounts=1, spent_60=1),
    ("h_kinds", "daily", d[3]): dict(top_order=0, top_order__units=0, distinct_amounts=0, order_days=0, spent_60=0),
    ("h_kinds", "7day", LONG_DAYS[1]): dict(top_order=70, first_order=40, low_order=25, distinct_amounts=3,
                                            order_days=2 / 7),  # Jan 4..10: d[0]'s orders have left
    ("h_kinds", "cumulative", d[2]): dict(viewed_days_1_to_3__closed=0),  # closes at d[3] 10:00
    ("h_kinds", "cumulative", d[3]): dict(viewed_days_1_to_3__closed=1, viewed_days_1_to_3=0),
    ("h_ret_start", "cumulative", d[4]): dict(viewed_days_1_to_3__closed=0, viewed_days_1_to_3=0),
    ("h_ret_start", "cumulative", d[5]): dict(viewed_days_1_to_3__closed=1, viewed_days_1_to_3=1),
    ("h_ret_edge", "cumulative", LONG_DAYS[0]): dict(viewed_days_1_to_3__closed=0, viewed_days_1_to_3=0),
    ("h_ret_edge", "daily", d[5]): dict(order_days=1, spent_60=1),
}


def hand_placed_raw(seed: int = 11) -> dict[str, pd.DataFrame]:
    """fixtures.raw_tables() plus the edge cases, and 2 more days of exposures and events."""
    raw = microsecond_raw(fixtures.raw_tables())
    rng = np.random.default_rng(seed)
    exposures = [(u, "exp_a", v, t, c) for u, v, t, c in HAND_EXPOSURES]
    orders, views = list(HAND_ORDERS), list(HAND_VIEWS)
    late_units = [f"n_new{i:02d}" for i in range(40)]
    for i, unit in enumerate(late_units):  # first exposed after the fixture's last day
        exposures.append((unit, "exp_a", ["control", "treatment"][i % 2],
                          ts(LONG_DAYS[int(rng.integers(0, len(LONG_DAYS)))], 0) + pd.Timedelta(seconds=int(rng.integers(0, 86400))),
                          ["US", "DE", "BR"][i % 3]))
    for unit in [f"u{u:03d}" for u in range(240)] + late_units:  # everyone keeps buying and browsing
        for rows, rate, value in ((orders, 0.8, lambda: float(np.round(rng.exponential(40), 2))), (views, 1.5, lambda: "home")):
            for _ in range(int(rng.poisson(rate))):
                when = ts(LONG_DAYS[int(rng.integers(0, len(LONG_DAYS)))], 0) + pd.Timedelta(seconds=int(rng.integers(0, 86400)))
                rows.append((unit, when, value()))
    extra = {
        "exposures": pd.DataFrame(exposures, columns=raw["exposures"].columns),
        "orders": pd.DataFrame(orders, columns=raw["orders"].columns),
        "page_views": pd.DataFrame(views, columns=raw["page_views"].columns),
    }
    return {
        name: pd.concat([frame, extra[name]], ignore_index=True).sort_values("ts", kind="stable").reset_index(drop=True)
        for name, frame in raw.items()
    }


# -- pipeline runs (once per module and engine) -----------------------------------------------


def _setup(engine, raw, top_n, end):
    """engine.setup for the fixture config (CUPED off, frequentist, no winsorization,
    policy exclude) with every metric shape, `dimension_top_n: top_n` and the
    experiment ending on `end`."""

    def ending(text):
        assert f"end_date: {END}" in text
        return text.replace(f"end_date: {END}", f"end_date: {end}")

    return engine.setup(raw, metrics=METRICS, stats=f"    dimension_top_n: {top_n}", edit=ending)


class Expected:
    """A case's raw tables and the reference results (lazily, per rollup): the same for every engine."""

    def __init__(self, raw, top_n, end):
        self.raw, self.top_n, self.end = raw, top_n, end
        self.days = [START + dt.timedelta(days=i) for i in range((end - START).days + 1)]
        self.reference = Reference(raw, START, end, METRICS, top_n)
        self._expected = {}

    def expected(self, rollup):
        if rollup not in self._expected:
            self._expected[rollup] = self.reference.expected(rollup)
        return self._expected[rollup]


class Case:
    """One pipeline run of a case over every day on one engine, next to its Expected."""

    def __init__(self, engine, expected: Expected):
        self.raw, self.end, self.days = expected.raw, expected.end, expected.days
        self.reference, self.expected = expected.reference, expected.expected
        self.wh, self.plan = _setup(engine, expected.raw, expected.top_n, expected.end)
        steps.materialize_all(self.wh, self.plan, DayRange(START, self.end + dt.timedelta(days=1)))
        self._got = {}

    def table(self, artifact):
        return table(self.plan.schema, self.plan.table_name(artifact))

    def got(self, rollup):
        if rollup not in self._got:
            self._got[rollup] = self.wh.query(f"SELECT * FROM {self.table(f'results_{rollup}')}")
        return self._got[rollup]


SLICES = {"fixture": 1 + 2 + 1,  # overall, the top 2 of 3 countries, '(other)'
          "hand_placed": 1 + 4}  # overall, 3 countries and '(null)', each its own slice


@pytest.fixture(scope="module")
def expectations():
    return {
        "fixture": Expected(microsecond_raw(fixtures.raw_tables()), 2, END),
        "hand_placed": Expected(hand_placed_raw(), 4, LONG_END),
    }


@pytest.fixture(scope="module")
def cases(shared_engine, expectations):
    return {name: Case(shared_engine, expected) for name, expected in expectations.items()}


# -- comparison ---------------------------------------------------------------------------------

KEYS = ["as_of_date", "metric", "variant", "dimension", "dimension_value", "days_since_exposure"]


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.assign(as_of_date=pd.to_datetime(frame.as_of_date),
                         days_since_exposure=frame.days_since_exposure.astype(float).fillna(-1))
    return frame.set_index(KEYS).sort_index()


def assert_rows_match(got: pd.DataFrame, expected: pd.DataFrame) -> int:
    """The same rows (keys), and every statistic equal to RTOL (NaN where the
    reference has none). Returns the number of values compared."""
    got, expected = _keyed(got), _keyed(expected)
    missing = expected.index.difference(got.index)
    extra = got.index.difference(expected.index)
    assert not len(missing) and not len(extra), f"missing rows {list(missing[:5])}, unexpected rows {list(extra[:5])}"
    got = got.loc[expected.index]
    problems = []
    for column in STAT_COLUMNS:
        a, b = got[column].astype(float).to_numpy(), expected[column].astype(float).to_numpy()
        same = (np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=RTOL, atol=ATOL)
        for i in np.flatnonzero(~same)[:3]:
            problems.append(f"{column} at {expected.index[i]}: pipeline {a[i]!r}, reference {b[i]!r}")
    assert not problems, f"{len(problems)}+ mismatches:\n" + "\n".join(problems)
    return expected.size


@pytest.mark.parametrize("case", ["fixture", "hand_placed"])
@pytest.mark.parametrize("rollup", ROLLUPS)
def test_rollup_equals_independent_computation(cases, case, rollup):
    c = cases[case]
    got, expected = c.got(rollup), c.expected(rollup)
    assert set(got.rollup) == {rollup} and set(got.method) == {"welch_t"} and not got.cuped_applied.any()
    n_days = len(c.days)
    if rollup == "days_since_exposure":  # as of D: k = 0 .. D - START
        assert len(expected) == n_days * (n_days + 1) // 2 * len(ROW_NAMES[rollup]) * 2
        assert set(got.dimension) == {"overall"} and set(got.dimension_value) == {"all"}
    else:
        assert len(expected) == n_days * len(ROW_NAMES[rollup]) * SLICES[case] * 2
    assert_rows_match(got, expected)


@pytest.mark.parametrize("rollup", ROLLUPS)
@pytest.mark.parametrize("metric", ROW_NAMES["cumulative"])
def test_each_metric_row_family_matches(cases, rollup, metric):
    """The same comparison narrowed to one row family, so a failure names the
    metric; a metric not defined in the rollup (retention) has no rows there."""
    for c in cases.values():
        got, expected = c.got(rollup), c.expected(rollup)
        assert (metric in ROW_NAMES[rollup]) == (metric in set(got.metric))
        assert_rows_match(got[got.metric == metric], expected[expected.metric == metric])


def test_7day_differs_from_cumulative_once_the_experiment_is_older_than_7_days(cases):
    """Guards the hand-placed case's purpose: with 8 days, 7day drops old events on the last."""
    c = cases["hand_placed"]
    week, total = _keyed(c.got("7day")), _keyed(c.got("cumulative"))
    total = total.loc[total.index.get_level_values("metric").isin(ROW_NAMES["7day"])]  # not retention's
    week = week.loc[total.index]
    young = week.index.get_level_values("as_of_date") < pd.Timestamp(START + dt.timedelta(days=7))
    assert np.allclose(week["mean"][young], total["mean"][young], equal_nan=True)
    assert not np.allclose(week["mean"][~young], total["mean"][~young], equal_nan=True)


# -- hand-placed units, one by one -----------------------------------------------------------


def test_hand_placed_units_as_worked_out_by_hand(cases):
    """Pins the reference itself to hand-worked values (so the comparisons above
    test the stated semantics, not mere agreement), and the pipeline's running
    totals of the same units: metric values and funnel first-step times."""
    c = cases["hand_placed"]
    values = c.reference.unit_values("cumulative")
    last = values[values.as_of_date == pd.Timestamp(c.end)].set_index("unit_id")
    for unit, want in HAND_EXPECTED.items():
        for column, value in want.items():
            assert last.loc[unit, column] == pytest.approx(value, abs=1e-12), (unit, column)
    assert {"h_none_c1", "h_none_c2", "h_none_t1"} <= set(last.index)  # no events, still units (value 0)
    for rollup in ("daily", "7day", "cumulative"):
        values = c.reference.unit_values(rollup)
        mine = values[values.unit_id == "h_days"].set_index("as_of_date")
        for (which, day), (views, orders) in H_DAYS.items():
            if which == rollup:
                assert mine.loc[pd.Timestamp(day), ["views", "orders"]].tolist() == [views, orders], (rollup, day)
        for (unit, which, day), want in H_KINDS.items():
            if which == rollup:
                row = values[values.unit_id == unit].set_index("as_of_date").loc[pd.Timestamp(day)]
                for column, value in want.items():
                    assert row[column] == pytest.approx(value, abs=1e-12), (unit, rollup, day, column)

    # each unit's newest row through the last day: its totals as of that day
    totals = normalized(c.wh.query(f"SELECT * FROM {c.table('unit_totals')} WHERE as_of_date <= DATE '{c.end}'"))
    totals = totals.sort_values("as_of_date").groupby("unit_id").tail(1)
    totals = totals[totals.unit_id.str.startswith("h_")].set_index("unit_id")
    hand_units = {u for u, *_ in HAND_EXPOSURES}
    assert set(totals.index) == hand_units
    for unit in hand_units:
        for column in ("revenue", "orders", "big_orders", "views", "orders_first_2d", "revenue_hours_6_to_30"):
            assert totals.loc[unit, column] == last.loc[unit, column], (unit, column)
        assert (totals.loc[unit, "purchased"] > 0) == bool(last.loc[unit, "purchased"]), unit
        for funnel in c.reference.funnels:
            for i, events in enumerate(c.reference.step_events[funnel.name]):
                first = events[events.unit_id == unit].ts.min()
                column = f"{funnel.name}__{funnel.steps[i].name}"
                got = totals.loc[unit, column]
                assert (pd.isna(got) and pd.isna(first)) or pd.Timestamp(got) == first, (unit, column, got, first)


# -- a full restatement and a day-by-day run give identical tables ---------------------------


@duckdb_only("8 one-day runs take ~80 s per emulator; test_engines re-runs days on every engine")
def test_day_by_day_run_equals_full_restatement(cases, shared_engine):
    """The hand-placed case (8 days, so 7day reads totals 7 days back) with every
    metric shape: its full run against one day at a time, every table."""
    c = cases["hand_placed"]
    wh, plan = _setup(shared_engine, c.raw, 4, c.end)
    for day in c.days:
        steps.materialize_all(wh, plan, DayRange(day, day + dt.timedelta(days=1)))
    full, daily = plan_tables(c.wh, c.plan), shared_engine.tables()  # daily: every table the run left
    assert {f"exp_a_results_{r}" for r in ROLLUPS} | {"exp_a_funnel_events_shop_funnel", "exp_a_unit_totals"} <= set(full)
    for name in full:
        assert len(full[name]), name
    assert_same_tables(daily, full)


# -- days since exposure of units that cross over, with winsorization and CUPED -----------------

CROSSING_METRICS = ["revenue", "orders", "views", "revenue_per_order"]
LOOKBACK, LOWER, UPPER = 2, 0.05, 0.9
VARIABLES = {  # result metric -> its y, d, x, xd columns in the reference's values
    "revenue": ("revenue", None, "x_revenue", None),
    "orders": ("orders", None, "x_orders", None),
    "views": ("views", None, "x_views", None),
    "revenue_per_order": ("revenue", "orders", "x_revenue", "x_orders"),
}


def crossing_raw(base: dict[str, pd.DataFrame] | None = None, after: dt.date = START,
                 last: dt.date = END) -> dict[str, pd.DataFrame]:
    """The fixture (or `base`) plus 12 units first exposed from `after` on, seen
    in their other variant 1 to 3 days later (by `last`; the fixture's own
    x_cross is one such unit)."""
    raw = dict(base or fixtures.raw_tables())
    e = raw["exposures"]
    first = e[(e.experiment_id == "exp_a") & e.user_id.str.startswith("u", na=False)].sort_values("ts", kind="stable")
    first = first.drop_duplicates("user_id")
    first = first[(first.ts.dt.normalize() >= pd.Timestamp(after)) & (first.ts.dt.normalize() < pd.Timestamp(last))]
    other = {"control": "treatment", "treatment": "control"}
    crossings = [
        (row.user_id, "exp_a", other[row.variant],
         ts(min(row.ts.date() + dt.timedelta(days=1 + i % 3), last), 23), row.country)
        for i, row in enumerate(first.head(12).itertuples())
    ]
    raw["exposures"] = pd.concat([e, pd.DataFrame(crossings, columns=e.columns)], ignore_index=True)
    return microsecond_raw(raw)


def _crossing_moments(raw) -> pd.DataFrame:
    """pandas, from the README: as of D and per k, the values at age k of the units
    exposed by D - k and not crossed over by D, each capped at the pooled
    percentiles of its day's eligible units (covariates at those of their own)."""
    ref = Reference(raw, START, END, CROSSING_METRICS, top_n=20)
    values = ref.days_since_exposure_values()
    covariates = reference.covariates(raw, START, END, LOOKBACK).set_index("unit_id").add_prefix("x_")
    values = values.join(covariates, on="unit_id")
    for column in ("revenue", "x_revenue"):
        values[column] = values.groupby("day")[column].transform(lambda s: s.clip(s.quantile(LOWER), s.quantile(UPPER)))
    frames = []
    for day in pd.date_range(START, END):
        as_of = values[(values.day <= day) & ~(values.crossed <= day)]
        for k, group in as_of.groupby("days_since_exposure"):
            for metric, columns in VARIABLES.items():
                frames.append(reference.moments(group, metric, *columns).assign(as_of_date=day, days_since_exposure=k))
    assert (ref.units.crossed > ref.units.f).sum() >= 10, "units cross over after days they were counted on"
    frames = [f.dropna(axis=1, how="all") for f in frames]
    return pd.concat(frames, ignore_index=True).set_index(["as_of_date", "days_since_exposure", "metric", "variant"])


@pytest.fixture(scope="module")
def crossing(shared_engine):
    raw = crossing_raw()
    wh, plan = shared_engine.setup(raw, metrics=CROSSING_METRICS, cuped_days=LOOKBACK,
                                   winsorize=f"{{lower: {LOWER}, upper: {UPPER}}}")
    # 2-day statements, so units crossing in a later statement retract days whose caps were stored by an earlier one
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "ROLLUP_MOMENTS_DAYS_PER_WRITE", 2)
        steps.materialize_all(wh, plan, DayRange(START, END + dt.timedelta(days=1)))
    return raw, wh, plan


def test_days_since_exposure_drops_crossed_units_from_the_day_they_cross(crossing):
    """Every group's moments as of each day (n, sums, squares, products, for a
    winsorized sum, counts and a ratio, all with CUPED) equal pandas on the units
    not crossed by that day; the published units and means follow."""
    raw, wh, plan = crossing
    expected = _crossing_moments(raw)
    moments = f"SELECT * FROM {table(plan.schema, plan.table_name('rollup_moments'))} WHERE rollup = 'days_since_exposure'"
    got = wh.query(results_sql.summed_moments(DayRange(START, END + dt.timedelta(days=1)), moments))
    got = got.assign(as_of_date=pd.to_datetime(got.as_of_date), days_since_exposure=got.days_since_exposure.astype(int))
    got = got.set_index(["as_of_date", "days_since_exposure", "metric", "variant"]).sort_index()
    emptied = got[got.n == 0]  # groups whose every unit crossed: their terms cancel
    np.testing.assert_allclose(emptied[list(results_sql.MOMENT_SUMS)].astype(float).fillna(0), 0, atol=1e-6)
    got = got[got.n != 0]
    assert sorted(got.index) == sorted(expected.index)
    got = got.loc[expected.index]
    for column in expected.columns.drop("metric", errors="ignore"):
        want = expected[column].astype(float)
        np.testing.assert_allclose(got[column].astype(float), want, rtol=1e-9, atol=1e-9, err_msg=column)

    published = wh.query(f"SELECT * FROM {table(plan.schema, plan.table_name('results_days_since_exposure'))}")
    published = published.assign(as_of_date=pd.to_datetime(published.as_of_date))
    published = published.set_index(["as_of_date", "days_since_exposure", "metric", "variant"]).loc[expected.index]
    np.testing.assert_array_equal(published.units, expected.n)
    means = expected["sum"] / expected.denominator_sum.fillna(expected.n)
    np.testing.assert_allclose(published["mean"].astype(float), means, rtol=1e-9)


def test_crossing_units_history_from_day_rows_equals_the_snapshots(crossing, monkeypatch):
    """The crossing units' unit totals, which the days-since-exposure rollup
    retracts, are rebuilt from their day rows where those are fewer than the
    rows unit_totals holds for those days: both ways give the same moments on the first and the last
    day units cross (winsorized, CUPED, a ratio), and the rebuilt history reads
    no unit_totals row before that day."""
    _assert_history_sources_agree(*crossing, monkeypatch)


def _assert_history_sources_agree(raw, wh, plan, monkeypatch):
    crossed = wh.query(f"SELECT DISTINCT exposure_date FROM {table(plan.schema, plan.table_name('multiple_variant_units'))}")
    days = sorted(pd.to_datetime(crossed.exposure_date).dt.date)
    assert len(days) >= 3
    totals = table(plan.schema, plan.table_name("unit_totals"))
    # the shortest history and the longest; on the emulated BigQuery (~6 s a statement this size) the longest
    # alone: the two ways' SQL is the same for both days, and the other engines check the shortest
    for day in (days[-1],) if wh.dialect == "bigquery" else (days[0], days[-1]):
        window = DayRange(day, day + dt.timedelta(days=1))
        frames, reads = {}, {}
        for from_day_rows in (True, False):
            monkeypatch.setattr(steps, "_day_rows_are_fewer", lambda *args, fewer=from_day_rows: fewer)
            sql = steps._rollup_moments_sql(wh, plan, window)
            reads[from_day_rows] = sql.count(totals)
            frames[from_day_rows] = wh.query(f"SELECT * FROM ({sql}) AS m").sort_values(
                ["rollup", "metric", "dimension", "dimension_value", "days_since_exposure", "variant"],
                ignore_index=True)
        assert reads[False] > reads[True], "the history's days are the reads of unit_totals the day rows replace"
        rebuilt, read = frames[True], frames[False]
        assert len(rebuilt) == len(read) > 0
        numbers = [c for c in results_sql.ROLLUP_MOMENTS_COLUMNS if c in results_sql.MOMENT_SUMS or c == "n"]
        np.testing.assert_allclose(rebuilt[numbers].astype(float), read[numbers].astype(float),
                                   rtol=1e-9, atol=1e-9, err_msg=str(day))


def test_crossing_history_source_follows_the_rows_each_holds(crossing):
    """The choice compares rows: the day rows since the start (and covariates)
    against the rows unit_totals holds for each day of the history (from the
    day's snapshot through the day), counted here in the tables."""
    raw, wh, plan = crossing

    def rows(artifact: str, date_column: str, since: dt.date, until: dt.date = END) -> int:
        return int(wh.query(f"SELECT COUNT(*) AS n FROM {table(plan.schema, plan.table_name(artifact))} "
                            f"WHERE {date_column} >= DATE '{since}' AND {date_column} < DATE '{until}'")["n"].iloc[0])

    day_rows = sum(rows(a, "event_date", START) for a in steps._daily_sources(plan))
    day_rows += sum(rows(f"pre_exposure_covariates_{s}", "first_exposure_date", START) for s in plan.covariate_sources)
    for first in (START, END - dt.timedelta(days=2)):
        history = DayRange(first, END)
        totals = sum(rows("unit_totals", "as_of_date", steps._snapshot_before(wh, plan, d), d + dt.timedelta(days=1))
                     for d in history.days)
        assert steps._day_rows_are_fewer(wh, plan, history) is (day_rows < totals), first


# -- the daily and 7-day values from sums of day rows ----------------------------------------------

def test_cells_from_span_sums_equal_those_from_the_earlier_totals(crossing, monkeypatch):
    """On every engine: rollup_cells of every day, with each unit's daily and
    7-day values from the sums of its day rows over the span, equal those from
    its unit totals before the span (winsorized, CUPED, a ratio, units crossing
    over), to 1e-9; the sums read no unit totals but the window's own."""
    raw, wh, plan = crossing
    window = DayRange(START, END + dt.timedelta(days=1))
    totals = table(plan.schema, plan.table_name("unit_totals"))
    frames, reads = {}, {}
    for summed in (frozenset({1, 7}), frozenset()):
        monkeypatch.setattr(steps, "_summed_spans", lambda *args, summed=summed: summed)
        with wh.session():
            sql = steps._full_cells_sql(wh, plan, window)
        reads[summed] = sql.count(totals)
        frames[summed] = wh.query(sql)
    with wh.session():
        window_totals = steps._unit_row_inputs(wh, plan, window, retractions=False).current.count(totals)
    assert reads[frozenset({1, 7})] == window_totals < reads[frozenset()]
    from_sums, from_totals = frames[frozenset({1, 7})], frames[frozenset()]
    assert len(from_totals) > 0 and set(pd.to_datetime(from_totals.as_of_date).dt.date) == set(window.days)
    for column in ("s__v1_revenue", "s__v7_orders__v7_orders", "s__v1_revenue__x_revenue"):
        assert from_totals[column].astype(float).abs().sum() > 0, column  # the spans hold values to compare
    assert_same_tables({"cells": from_sums}, {"cells": from_totals})


@duckdb_only("arithmetic on the ledger, the same on every engine")
def test_spans_are_summed_where_their_day_rows_are_few(cases, crossing, monkeypatch):
    """The rule of cost: a span's values come from sums of day rows when every
    running state is a SUM and the ledger's day rows over the spans (a day once
    per day whose span covers it) are at most SUMMED_SPAN_SHARE of the unit
    totals of the days the spans start before (from their snapshots on),
    counted here in the tables; never for a plan with a funnel, whose first
    times (MIN states) no sum gives."""
    _, wh, plan = crossing
    window = DayRange(END - dt.timedelta(days=1), END + dt.timedelta(days=1))

    def rows(artifact: str, column: str, day: dt.date) -> int:
        return int(wh.query(f"SELECT COUNT(*) AS n FROM {table(plan.schema, plan.table_name(artifact))} "
                            f"WHERE {column} = DATE '{day}'")["n"].iloc[0])

    # the daily span; the 7-day one starts before the experiment on these days: no totals to join, none summed
    assert all(d - dt.timedelta(days=7) < START for d in window.days)
    day_rows = sum(rows(a, "event_date", d) for a in steps._daily_sources(plan) for d in window.days)
    with wh.session():  # a day between snapshots is read from its snapshot on
        read = [t for d in window.days
                for t in DayRange(steps._snapshot_before(wh, plan, d - dt.timedelta(days=1)), d).days]
    share = day_rows / sum(rows("unit_totals", "as_of_date", d) for d in read)
    for limit, summed in ((share, {1}), (share * 0.99, set()), (100.0, {1})):
        monkeypatch.setattr(steps, "SUMMED_SPAN_SHARE", limit)
        with wh.session():
            assert steps._summed_spans(wh, plan, window) == summed, limit
    c = cases["fixture"]
    assert any(col.combine == "MIN" for col in c.plan.running_columns)
    with c.wh.session():
        assert steps._summed_spans(c.wh, c.plan, window) == frozenset()


# -- rollup_cells from the units whose rows changed ---------------------------------------------

# every kind but participation and retention, whose values change with the day alone (no delta)
DELTA_METRICS = [m for m in ALL_METRICS + NEW_KINDS if m not in ("order_days", "viewed_days_1_to_3")]


@pytest.fixture(scope="module")
def crossing_unwinsorized(shared_engine):
    """The crossing case with CUPED and no winsorization (whose cells can follow from changes), one full run."""
    raw = crossing_raw()
    wh, plan = shared_engine.setup(raw, metrics=CROSSING_METRICS, cuped_days=LOOKBACK)
    steps.materialize_all(wh, plan, DayRange(START, END + dt.timedelta(days=1)))
    return raw, wh, plan


def _cells_from_changes_equal_the_stored_ones(wh, plan) -> pd.DataFrame:
    """Each day's rollup_cells from the day before's stored cells and the units
    whose rows changed equal the cells the full run stored, to 1e-9; the stored ones."""
    stored = table(plan.schema, plan.table_name("rollup_cells"))
    crossed = wh.query(f"SELECT DISTINCT exposure_date FROM {table(plan.schema, plan.table_name('multiple_variant_units'))}")
    days = [START + dt.timedelta(days=i) for i in range(1, (END - START).days + 1)]
    assert set(pd.to_datetime(crossed.exposure_date).dt.date) & set(days)
    for day in days:
        with wh.session():
            got = wh.query(steps._delta_cells_sql(wh, plan, day))
        want = wh.query(f"SELECT * FROM {stored} WHERE as_of_date = DATE '{day}'")
        assert len(want) > 0 and {"s__v_revenue", "s__v_revenue__x_revenue", "n__v_revenue"} <= set(want.columns)
        assert_same_tables({"cells": got}, {"cells": want})
    return wh.query(f"SELECT * FROM {stored}")


def test_cells_from_changed_units_equal_the_stored_ones(crossing_unwinsorized):
    """On every engine: units crossing over, CUPED, a ratio, a dimension."""
    raw, wh, plan = crossing_unwinsorized
    _cells_from_changes_equal_the_stored_ones(wh, plan)


def test_winsorized_cells_from_changed_units_equal_the_stored_ones(crossing):
    """On every engine, winsorized at both ends besides: the cells keep each
    winsorized sum's unwinsorized twin, the caps bind on every span, and the
    day's sums follow from the changed units and those beyond the caps."""
    raw, wh, plan = crossing
    cells = _cells_from_changes_equal_the_stored_ones(wh, plan)
    assert {"us__v_revenue", "us__v_revenue__x_revenue", "un__v_revenue", "v_revenue_upper"} <= set(cells.columns)
    for span in ("v", "v1", "v7"):
        assert (cells[f"s__{span}_revenue"] != cells[f"us__{span}_revenue"]).any(), span


def test_caps_handed_on_as_literal_rows_read_back_exactly(crossing):
    """On every engine: the days-since-exposure caps a late day's statement receives
    as literal rows (steps._earlier_caps, where it derived them apart) read back as
    the doubles stored, to the last bit, NULL where a side is not capped."""
    _, wh, plan = crossing
    moments = f"SELECT * FROM {table(plan.schema, plan.table_name('rollup_moments'))}"
    key = ["as_of_date", "metric"]
    with wh.session():
        got = wh.query(steps._caps_as_literals(wh, moments)).sort_values(key).reset_index(drop=True)
    want = wh.query(results_sql.days_since_exposure_caps(moments)).sort_values(key).reset_index(drop=True)
    assert len(want) > 0 and want.filter(like="cap_").notna().any().any() and want.filter(like="cap_").isna().any().any()
    got["as_of_date"] = pd.to_datetime(got["as_of_date"])
    want["as_of_date"] = pd.to_datetime(want["as_of_date"])
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_exact=True)


@duckdb_only("arithmetic on the ledger, the same on every engine")
def test_cells_come_from_changes_where_few_units_changed(cases, crossing, monkeypatch):
    """The rule of cost: from the day before's cells when the rows of the days that
    touch units (counted here in the tables) are at most CHANGED_UNITS_SHARE of
    the units; never with kinds whose values change with the day alone
    (winsorized sums do follow from changes)."""
    c = cases["fixture"]
    day = END

    def count(artifact: str, column: str, days) -> int:
        listed = ", ".join(f"DATE '{d}'" for d in days)
        return int(c.wh.query(f"SELECT COUNT(*) AS n FROM {c.table(artifact)} WHERE {column} IN ({listed})")["n"].iloc[0])

    touching = [d for d in steps.cells_sql.touched_days(day) if d >= START]
    assert touching == [day, day - dt.timedelta(days=1)]  # D - 7 is before the start
    changed = sum(count(a, "event_date", touching) for a in steps._daily_sources(c.plan))
    changed += count("first_exposures", "first_exposure_date", [day])
    exposed = count("first_exposures", "first_exposure_date", DayRange(START, day).days)  # by the day before
    share = changed / exposed
    with c.wh.session():
        monkeypatch.setattr(steps, "CHANGED_UNITS_SHARE", share)
        assert steps._cheaper_from_changes(c.wh, c.plan, day)
        monkeypatch.setattr(steps, "CHANGED_UNITS_SHARE", share * 0.99)
        assert not steps._cheaper_from_changes(c.wh, c.plan, day)
        assert not steps._can_build_from_changes(c.wh, c.plan, day), "participation and retention change daily"
    _, wh, plan = crossing
    with wh.session():  # winsorized: from the unwinsorized sums and the units beyond the day's caps,
        assert steps._can_build_from_changes(wh, plan, day)  # at a share of its own
        monkeypatch.setattr(steps, "CHANGED_UNITS_SHARE", 100.0)
        monkeypatch.setattr(steps, "CHANGED_UNITS_SHARE_WINSORIZED", 0.0)
        assert not steps._cheaper_from_changes(wh, plan, day)
        monkeypatch.setattr(steps, "CHANGED_UNITS_SHARE_WINSORIZED", 100.0)
        assert steps._cheaper_from_changes(wh, plan, day)


@duckdb_only("a run a day and again after late data: ~15 runs, 30 s on DuckDB and minutes per emulator, where "
             "the test above checks each day's SQL")
@pytest.mark.parametrize("winsorize", [None, f"{{lower: {LOWER}, upper: {UPPER}}}"])
def test_cells_from_changed_units_equal_a_full_restatement(shared_engine, monkeypatch, winsorize):
    """Days built one at a time after the first three: each day's rollup_cells
    come from the day before's and the units whose rows changed (with units
    crossing over on those days, CUPED, dimensions folded to the top 2, events
    leaving the 7-day window, funnels, re-aggregated and derived kinds; winsorized at both ends in
    the second case); then late orders of the seventh day arrive and it and
    the day after are built again, the same way. Every table equals a full
    run's over the final raw data, to 1e-9."""
    raw = crossing_raw(hand_placed_raw(), after=START + dt.timedelta(days=2), last=LONG_END)
    orders = raw["orders"]
    late_day = LONG_DAYS[0]
    late = (orders.ts.dt.normalize() == pd.Timestamp(late_day)) & (np.arange(len(orders)) % 2 == 0)
    assert late.sum() >= 10
    options = dict(metrics=DELTA_METRICS, cuped_days=LOOKBACK, stats="    dimension_top_n: 2",
                   edit=lambda text: text.replace(f"end_date: {END}", f"end_date: {LONG_END}"),
                   **({"winsorize": winsorize} if winsorize else {}))
    days = [START + dt.timedelta(days=i) for i in range((LONG_END - START).days + 1)]
    full_wh, full_plan = shared_engine.setup(raw, **options)
    steps.materialize_all(full_wh, full_plan, DayRange(START, days[-1] + dt.timedelta(days=1)))
    full = plan_tables(full_wh, full_plan)

    wh, plan = shared_engine.setup({**raw, "orders": orders[~late].reset_index(drop=True)}, **options)
    monkeypatch.setattr(steps, "_cheaper_from_changes", lambda *args: True)  # on this small data, a rule of cost
    built_from_changes = []
    delta_cells = steps.cells_sql.delta_cells
    monkeypatch.setattr(steps.cells_sql, "delta_cells",
                        lambda plan, day, *args: built_from_changes.append(day) or delta_cells(plan, day, *args))
    steps.materialize_all(wh, plan, DayRange(START, days[3]))
    for day in days[3:]:
        steps.materialize_all(wh, plan, DayRange(day, day + dt.timedelta(days=1)))
    assert built_from_changes == days[3:]
    shared_engine.replace_raw(raw)
    for day in (late_day, days[-1]):
        steps.materialize_all(wh, plan, DayRange(day, day + dt.timedelta(days=1)))
    assert built_from_changes == days[3:] + [late_day, days[-1]]
    crossed = full["exp_a_multiple_variant_units"].exposure_date.astype("datetime64[ns]").dt.date
    assert set(crossed) & set(days[3:]), "units cross over on days built from changes"
    assert len(full["exp_a_rollup_cells"]) > 0 and {"s__v_revenue", "n__v_revenue", "n"} <= set(
        full["exp_a_rollup_cells"].columns)
    assert_same_tables(plan_tables(wh, plan), full)


@pytest.fixture(scope="module")
def crossing_new_kinds(shared_engine):
    """The crossing case with the new kinds only, in 2-day statements (as `crossing`;
    CUPED off: the reference has none, and the threshold's covariate is
    test_threshold_cuped.py's)."""
    raw = crossing_raw()
    wh, plan = shared_engine.setup(raw, metrics=NEW_KINDS, stats="    dimension_top_n: 2")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "ROLLUP_MOMENTS_DAYS_PER_WRITE", 2)
        steps.materialize_all(wh, plan, DayRange(START, END + dt.timedelta(days=1)))
    return raw, wh, plan


def test_new_kinds_crossing_history_from_day_rows_equals_the_snapshots(crossing_new_kinds, monkeypatch):
    """As above, for the kinds with unit-day tables and windows of their own."""
    _assert_history_sources_agree(*crossing_new_kinds, monkeypatch)


@pytest.mark.parametrize("rollup", ROLLUPS)
def test_new_kinds_of_units_that_cross_over(crossing_new_kinds, rollup):
    """Units that cross over retract what their re-aggregated windows (max ...
    count_distinct), running counts (participation) and derived values
    (threshold) added to days since exposure; every rollup equals the reference."""
    raw, wh, plan = crossing_new_kinds
    reference = Reference(raw, START, END, NEW_KINDS, 2)
    assert (reference.units.crossed > reference.units.f).sum() >= 10
    got = wh.query(f"SELECT * FROM {table(plan.schema, plan.table_name(f'results_{rollup}'))}")
    assert not got.cuped_applied.any()
    assert_rows_match(got, reference.expected(rollup))
