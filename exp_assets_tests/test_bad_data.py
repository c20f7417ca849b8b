"""Bad source data: each kind has one defined behaviour, and the rows it affects
are counted in the presence checks' metadata (never silently dropped, never a crash).

| bad data | behaviour | counted in |
|---|---|---|
| null unit id | row ignored | exposures_present / source_data_present `null_unit_id_rows` |
| null timestamp | row ignored (it belongs to no day) | both, `null_timestamp_rows` |
| timestamp in the future | waits for its day's partition | both, `future_rows` |
| duplicate rows | each row is an event (no dedup) | both, `duplicate_rows` |
| variant not in the config (or null) | row ignored | exposures_present `unknown_variant_rows` |
| exposure before the start / after the end date | row ignored | `rows_before_start` / `rows_after_end` |
| NaN, ±inf, abs >= 1e100 in a summed column | value is null (the event still counts) | source_data_present `invalid_value_rows` |
| a fact source without rows on a day | that day's values are 0; check fails (blocking) | source_data_present `missing_days` |
| time-zone-aware vs naive timestamps (micro- or nanosecond) | read as UTC TIMESTAMP: days are UTC days; naive = UTC | (a convention, whatever the machine's zone) |
| integer vs string unit ids across sources | unit ids compare as text (1042 matches '1042') | (a convention: unit_id is text in every table) |

The bad warehouse gives exactly the tables of its "equivalent" (the same data
with those rules applied by hand): proof that the rules are what happens.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
import numpy as np
import pandas as pd
import pytest

from exp_assets import steps
from exp_assets.checks import evaluate_checks
from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.warehouse import DuckDBWarehouse
from exp_assets_tests import fixtures
from exp_assets_tests.fixtures import DAYS, END, START, ts

FULL = DayRange(START, END + dt.timedelta(days=1))
# big_orders is left out: a filter sees the raw column, and DuckDB orders NaN above every number
METRICS = ["revenue", "orders", "purchased", "views", "revenue_per_order"]
FUTURE = pd.Timestamp("2100-01-01 12:00:00")
INVALID = [float("nan"), float("inf"), float("-inf"), 1e300]


def _equivalent_raw(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The fixture with what the bad warehouse adds that counts: a duplicated
    exposure and order, and orders whose amount is unusable (as NULL amounts);
    and no page views on DAYS[4]."""
    exposures, orders, views = raw["exposures"], raw["orders"], raw["page_views"]
    in_window = orders[(orders.ts >= pd.Timestamp(START)) & orders.user_id.str.startswith("u")]
    nulls = pd.DataFrame({"user_id": "x_pre", "ts": [ts(DAYS[2], 11 + i) for i in range(len(INVALID))],
                          "amount": np.nan})
    return {
        "exposures": pd.concat([exposures, exposures[exposures.user_id == "u000"].head(1)], ignore_index=True),
        "orders": pd.concat([orders, in_window.head(1), nulls], ignore_index=True),
        "page_views": views[views.ts.dt.date != DAYS[4]].reset_index(drop=True),
    }


def _bad_rows(conn: duckdb.DuckDBPyConnection) -> None:
    """What the bad warehouse has on top of the equivalent one."""
    d = DAYS
    exposures = [
        (None, "exp_a", "control", ts(d[1], 5), "US"),  # null unit id (the fixture has another)
        ("x_nullts", "exp_a", "treatment", None, "US"),  # null timestamp
        ("x_future", "exp_a", "control", FUTURE, "US"),  # in the future (and after the end)
        ("x_late", "exp_a", "treatment", ts(END + dt.timedelta(days=2), 10), "DE"),  # after the end date
        ("x_nullvariant", "exp_a", None, ts(d[2], 8), "BR"),  # a null variant (the fixture has 'holdout')
    ]
    conn.executemany("INSERT INTO raw.exposures VALUES (?, ?, ?, ?, ?)", exposures)
    orders = [(None, ts(d[2], 10), 20.0), ("u001", None, 30.0), ("u001", FUTURE, 40.0)]
    conn.executemany("INSERT INTO raw.orders VALUES (?, ?, ?)", orders)
    conn.execute("UPDATE raw.orders SET amount = v.amount FROM (VALUES " + ", ".join(
        f"(TIMESTAMP '{ts(DAYS[2], 11 + i)}', '{value!r}'::DOUBLE)" for i, value in enumerate(INVALID)
    ) + ") AS v(ts, amount) WHERE raw.orders.user_id = 'x_pre' AND raw.orders.ts = v.ts")


def _run(db: Path, **options) -> tuple[DuckDBWarehouse, ExperimentPlan]:
    config = fixtures.make_config(db, cuped_days=2, metrics=METRICS, **options)
    plan, wh = ExperimentPlan(config, config.experiments[0]), fixtures.warehouse(db)
    steps.materialize_all(wh, plan, FULL)
    return wh, plan


def _check(wh, plan, artifact: str) -> dg.AssetCheckResult:
    [result] = evaluate_checks(wh, plan, artifact, FULL)
    assert "could not be evaluated" not in (result.description or ""), result.description
    return result


def _meta(result: dg.AssetCheckResult) -> dict:
    return {k: v.value for k, v in result.metadata.items()}


def test_bad_rows_follow_their_rules_and_are_counted(tmp_path):
    raw = _equivalent_raw(fixtures.raw_tables())
    (tmp_path / "bad").mkdir(), (tmp_path / "equivalent").mkdir()
    equivalent_db, bad_db = tmp_path / "equivalent" / "wh.duckdb", tmp_path / "bad" / "wh.duckdb"
    fixtures.write_raw(equivalent_db, raw)
    fixtures.write_raw(bad_db, raw)
    with duckdb.connect(str(bad_db)) as conn:
        _bad_rows(conn)
        assert conn.execute("SELECT count(*) FROM raw.orders WHERE NOT isfinite(amount) OR amount > 1e99").fetchone()[0] == 4

    _run(equivalent_db)
    wh, plan = _run(bad_db)  # no crash
    expected, got = fixtures.output_tables(equivalent_db), fixtures.output_tables(bad_db)
    assert expected.keys() == got.keys()
    for name in expected:
        pd.testing.assert_frame_equal(expected[name], got[name], obj=name)

    # the NaN/inf/huge orders count as orders with a null amount
    newest = got["exp_a_unit_totals"].sort_values("as_of_date").groupby("unit_id").tail(1)  # each unit's totals
    x_pre = newest.set_index("unit_id").loc["x_pre"]
    assert x_pre.revenue == 10.0 and x_pre.orders == 1 + len(INVALID)

    exposures = _meta(_check(wh, plan, "first_exposures"))
    assert {k: exposures[k] for k in ("null_unit_id_rows", "unknown_variant_rows", "null_timestamp_rows",
                                      "future_rows", "duplicate_rows", "rows_before_start", "rows_after_end")} == {
        "null_unit_id_rows": 2, "unknown_variant_rows": 2, "null_timestamp_rows": 1, "future_rows": 1,
        "duplicate_rows": 1, "rows_before_start": 2, "rows_after_end": 2}
    orders = _check(wh, plan, "user_level_aggregations_orders")
    assert orders.passed and "invalid_value_rows 4" in orders.description
    assert {k: _meta(orders)[k] for k in ("null_unit_id_rows", "null_timestamp_rows", "future_rows",
                                          "duplicate_rows", "invalid_value_rows", "invalid_values_by_column")} == {
        "null_unit_id_rows": 1, "null_timestamp_rows": 1, "future_rows": 1, "duplicate_rows": 1,
        "invalid_value_rows": 4, "invalid_values_by_column": {"amount": 4}}
    # a fact source without rows for a day: the blocking check fails and names it; results still exist
    views = _check(wh, plan, "user_level_aggregations_views")
    assert not views.passed and _meta(views)["missing_days"] == [DAYS[4].isoformat()]
    for rollup in ("cumulative", "daily", "7day", "days_since_exposure"):
        assert _check(wh, plan, f"results_{rollup}").passed, rollup  # every variant present, no NaN/inf
    results = got["exp_a_results_daily"]
    day = results[(results.as_of_date == pd.Timestamp(DAYS[4])) & (results.metric == "views")]
    assert (day.units > 0).all() and (day["mean"] == 0).all()


def _floor_us(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: f.assign(ts=f.ts.dt.floor("us")) for name, f in raw.items()}


def _naive_utc(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")
        elif pd.api.types.is_datetime64_dtype(frame[column]):
            frame[column] = frame[column].astype("datetime64[ns]")
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


@pytest.fixture(scope="module")
def zone_raw():
    return _floor_us(fixtures.raw_tables(units=120))


@pytest.fixture(scope="module")
def naive_tables(zone_raw, tmp_path_factory):
    """The all-naive (UTC) run the time-zone runs must equal."""
    db = tmp_path_factory.mktemp("naive") / "wh.duckdb"
    fixtures.write_raw(db, zone_raw)
    config = fixtures.make_config(db)
    steps.materialize_all(fixtures.warehouse(db), ExperimentPlan(config, config.experiments[0]), FULL)
    return fixtures.output_tables(db)


def _zone_run(db: Path, raw, zone: str, types: dict[str, str]) -> dict[str, pd.DataFrame]:
    """The fixture with each source's ts column of the given DuckDB type (TIMESTAMPTZ
    holding the same instants), materialized through connections whose time zone
    is `zone` (as DuckDB sets it on a machine there)."""
    fixtures.write_raw(db, raw)
    with duckdb.connect(str(db)) as conn:
        conn.execute("SET TimeZone = 'UTC'")  # the naive values are UTC instants
        for name, sql_type in types.items():
            conn.execute(f"ALTER TABLE raw.{name} ALTER ts TYPE {sql_type}")

    def connect():
        import contextlib

        @contextlib.contextmanager
        def opened():
            conn = duckdb.connect(str(db))
            conn.execute(f"SET TimeZone = '{zone}'")
            try:
                yield conn
            finally:
                conn.close()
        return opened()

    config = fixtures.make_config(db)
    steps.materialize_all(DuckDBWarehouse(connect, "exp"), ExperimentPlan(config, config.experiments[0]), FULL)
    return fixtures.output_tables(db)


def _assert_same_instants(expected: dict[str, pd.DataFrame], got: dict[str, pd.DataFrame]) -> None:
    assert expected.keys() == got.keys()
    for name in expected:
        pd.testing.assert_frame_equal(_naive_utc(expected[name].copy()), _naive_utc(got[name]), obj=name)


@pytest.mark.parametrize(("zone", "types"), [
    ("America/Los_Angeles", {"exposures": "TIMESTAMPTZ", "page_views": "TIMESTAMPTZ", "orders": "TIMESTAMP"}),
    ("Asia/Kolkata", {"exposures": "TIMESTAMPTZ", "page_views": "TIMESTAMPTZ", "orders": "TIMESTAMPTZ"}),
])
def test_time_zone_aware_and_naive_timestamps_fall_on_utc_days_whatever_the_machine_zone(
        tmp_path, zone_raw, naive_tables, zone, types):
    """Time-zone-aware sources, alone or mixed with naive ones, read through
    connections in another zone: the tables equal the all-naive UTC run."""
    _assert_same_instants(naive_tables, _zone_run(tmp_path / "wh.duckdb", zone_raw, zone, types))


def test_nanosecond_naive_events_against_time_zone_aware_exposures(tmp_path, zone_raw, naive_tables):
    got = _zone_run(tmp_path / "wh.duckdb", zone_raw, "UTC", {"exposures": "TIMESTAMPTZ", "page_views": "TIMESTAMPTZ"})
    _assert_same_instants(naive_tables, got)


def _mixed_id_raw(integer_orders: bool) -> dict[str, pd.DataFrame]:
    """Unit ids that are numbers in text ('1000'...) plus a few that are not
    ('x_cross'...) in the exposures; orders keyed by the numeric units, as
    integers (`integer_orders`) or as the same text."""
    raw = fixtures.raw_tables(units=120)
    numeric = {f"u{i:03d}": str(1000 + i) for i in range(120)}
    exposures = raw["exposures"].assign(user_id=raw["exposures"].user_id.replace(numeric))
    orders = raw["orders"][raw["orders"].user_id.isin(numeric)]
    orders = orders.assign(user_id=orders.user_id.map(numeric))
    views = raw["page_views"].assign(user_id=raw["page_views"].user_id.map(numeric))
    if integer_orders:
        orders = orders.assign(user_id=orders.user_id.astype("int64"))
    return {"exposures": exposures, "orders": orders.reset_index(drop=True), "page_views": views}


def test_integer_unit_ids_match_text_ones_as_text(tmp_path):
    (tmp_path / "text").mkdir(), (tmp_path / "mixed").mkdir()
    text_db, mixed_db = tmp_path / "text" / "wh.duckdb", tmp_path / "mixed" / "wh.duckdb"
    fixtures.write_raw(text_db, _mixed_id_raw(integer_orders=False))
    fixtures.write_raw(mixed_db, _mixed_id_raw(integer_orders=True))
    for db in (mixed_db, text_db):
        config = fixtures.make_config(db, metrics=METRICS[:-1])
        steps.materialize_all(fixtures.warehouse(db), ExperimentPlan(config, config.experiments[0]), FULL)
    expected, got = fixtures.output_tables(text_db), fixtures.output_tables(mixed_db)
    for name in expected:
        pd.testing.assert_frame_equal(expected[name], got[name], obj=name)
