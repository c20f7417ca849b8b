"""The SQL sufficient statistics (ratio parts, CUPED covariates, winsorization)
against pandas on the same raw tables, on every engine (DuckDB, Snowflake on
fakesnow, BigQuery on bqemulator)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from exp_assets import steps
from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import cells as cells_sql
from exp_assets.sql import metrics as metric_sql
from exp_assets.sql import results as results_sql
from exp_assets.quoting import table
from exp_assets.stats import MOMENT_COLUMNS
from exp_assets_tests import fixtures, reference
from exp_assets_tests.engines import microsecond_raw, quiet_fakesnow
from exp_assets_tests.fixtures import DAYS, END, START

pytestmark = quiet_fakesnow
METRICS = ["revenue", "orders", "purchased", "views", "revenue_per_order", "orders_per_view"]
LOOKBACK = 2


@pytest.fixture(scope="module")
def pipeline(shared_engine):
    raw = microsecond_raw(fixtures.raw_tables())
    wh, plan = shared_engine.setup(raw, metrics=METRICS, cuped_days=LOOKBACK, winsorize="{lower: 0.05, upper: 0.9}")
    reports = steps.materialize_all(wh, plan, DayRange(START, END + dt.timedelta(days=1)))
    return raw, wh, plan, reports


def _table(plan: ExperimentPlan, artifact: str) -> str:
    return table(plan.schema, plan.table_name(artifact))


def _expected_moments(raw, day):
    values = reference.unit_values(raw, START, day, "exclude")
    pre = reference.covariates(raw, START, day, LOOKBACK).add_prefix("x_").rename(columns={"x_unit_id": "unit_id"})
    values = values.merge(pre, on="unit_id", how="left")
    caps = {}
    for column in ("revenue", "x_revenue"):  # winsorized at pooled percentiles of the day
        lo, hi = values[column].quantile(0.05), values[column].quantile(0.9)
        values[column] = values[column].clip(lo, hi)
        caps[column] = (lo, hi)
    frames = [
        reference.moments(values, "revenue", "revenue", None, "x_revenue", None),
        reference.moments(values, "orders", "orders", None, "x_orders", None),
        reference.moments(values.assign(xp=(values.x_orders > 0).astype(float)), "purchased", "purchased", None, "xp", None),
        reference.moments(values, "views", "views", None, "x_views", None),
        reference.moments(values, "revenue_per_order", "revenue", "orders", "x_revenue", "x_orders"),
        reference.moments(values, "orders_per_view", "orders", "views", "x_orders", "x_views"),
    ]
    return pd.concat([f.dropna(axis=1, how="all") for f in frames]).set_index(["metric", "variant"]).sort_index(), caps


def test_sql_moments_equal_pandas(pipeline):
    raw, wh, plan, _ = pipeline
    crossovers = f"SELECT unit_id, exposure_date FROM {_table(plan, 'multiple_variant_units')}"
    window = DayRange(START, END + dt.timedelta(days=1))
    with wh.session():  # every unit's totals on each day (unit_totals carries each unit's covariates)
        totals = steps._unit_state(wh, plan, window, metric_sql.unit_totals_columns(plan))
    cells = cells_sql.full_cells(plan, window, totals, {1: None, 7: None}, crossovers)
    got = wh.query(results_sql.rollup_statistics(plan, window, cells, crossovers))
    got = got[(got.rollup == "cumulative") & (got.dimension == "overall")]
    assert set(got.columns) >= set(MOMENT_COLUMNS)
    for day in DAYS:
        expected, caps = _expected_moments(raw, day)
        mine = got[got.as_of_date == pd.Timestamp(day)].set_index(["metric", "variant"]).sort_index()
        assert list(mine.index) == list(expected.index)
        for column in expected.columns:
            want = expected[column].astype(float)
            have = mine[column].astype(float)
            np.testing.assert_allclose(have, want, rtol=1e-9, atol=1e-9, err_msg=f"{day} {column}")
        revenue = mine.loc[("revenue", "control")]
        assert revenue.cap_lower == pytest.approx(caps["revenue"][0], rel=1e-12)
        assert revenue.cap_upper == pytest.approx(caps["revenue"][1], rel=1e-12)
        assert mine.loc[("orders", "control")][["cap_lower", "cap_upper"]].isna().all()


def test_denominator_units_count_units_with_a_nonzero_denominator(pipeline):
    """Per day, rollup, slice and variant of a ratio metric (NULL for the others,
    e.g. for a minimum of units per arm with a denominator)."""
    raw, wh, plan, _ = pipeline
    got = wh.query(f"SELECT * FROM {_table(plan, 'rollup_moments')}")
    ratio = got.metric.isin(["revenue_per_order", "orders_per_view"])
    assert got[ratio].denominator_units.notna().all() and got[~ratio].denominator_units.isna().all()
    assert set(got[ratio].rollup) == {"cumulative", "daily", "7day", "days_since_exposure"}
    cumulative = got[ratio & (got.rollup == "cumulative") & (got.dimension == "overall")]
    for day in DAYS:
        values = reference.unit_values(raw, START, day, "exclude")
        mine = cumulative[cumulative.as_of_date == pd.Timestamp(day)].set_index(["metric", "variant"])
        for metric, denominator in (("revenue_per_order", "orders"), ("orders_per_view", "views")):
            expected = values[values[denominator] != 0].groupby("variant").size()
            for variant, count in expected.items():
                assert mine.loc[(metric, variant), "denominator_units"] == count, (day, metric, variant)
            assert (values[denominator] == 0).any()  # the count is not simply n


def test_covariates_hold_each_unit_once_in_its_first_exposure_day(pipeline):
    raw, wh, plan, reports = pipeline
    table = wh.query(f"SELECT * FROM {_table(plan, 'pre_exposure_covariates_orders')} ORDER BY unit_id")
    expected = reference.covariates(raw, START, END, LOOKBACK).sort_values("unit_id").reset_index(drop=True)
    assert table.unit_id.tolist() == expected.unit_id.tolist()
    np.testing.assert_allclose(table.revenue, expected.revenue, rtol=1e-12)
    np.testing.assert_array_equal(table.orders, expected.orders)
    firsts = wh.query(f"SELECT unit_id, first_exposure_date FROM {_table(plan, 'first_exposures')} ORDER BY unit_id")
    assert (table.first_exposure_date.values == firsts.first_exposure_date.values).all()
    # x_pre's order of 1000 happened 9 hours before its first exposure: a covariate, not an outcome
    assert table.set_index("unit_id").loc["x_pre", "revenue"] == 1000.0


def test_cuped_results_are_published(pipeline):
    raw, wh, plan, reports = pipeline
    results = wh.query(f"SELECT * FROM {_table(plan, 'results_cumulative')} WHERE as_of_date = DATE '{END}' "
                       "AND variant = 'treatment' AND dimension = 'overall' ORDER BY metric")
    assert set(results.metric) == set(METRICS)
    assert results.cuped_applied.all()
    assert (results.variance_reduction > 0).all()
