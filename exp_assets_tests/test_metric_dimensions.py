"""Metric dimensions (a fact-source column, Eppo's metric properties): results
per property value equal an independent pandas computation, on every engine."""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from exp_assets import steps
from exp_assets.config import parse_config
from exp_assets.days import DayRange
from exp_assets.quoting import table as qualified
from exp_assets_tests import fixtures, reference
from exp_assets_tests.engines import microsecond_raw, quiet_fakesnow
from exp_assets_tests.fixtures import DAYS, END, START

pytestmark = quiet_fakesnow
CATEGORIES = np.array(["books", "games", "food", "toys", "books", "food", "books"])  # books > food > others


def _with_category(text: str) -> str:
    return text.replace(
        "{name: revenue, source: orders, type: sum, column: amount}",
        "{name: revenue, source: orders, type: sum, column: amount, dimensions: [category]}",
    ).replace("{name: purchased, source: orders, type: proportion}",
              "{name: purchased, source: orders, type: proportion, dimensions: [category]}")


@pytest.fixture(scope="module")
def raw():
    raw = microsecond_raw(fixtures.raw_tables())
    raw["orders"]["category"] = CATEGORIES[np.arange(len(raw["orders"])) % len(CATEGORIES)]
    raw["orders"].loc[raw["orders"].index % 11 == 0, "category"] = None  # nulls are their own value
    return raw


@pytest.fixture(scope="module")
def expected(raw):
    """_expected(raw, ...) computed once for all engines."""
    return functools.cache(functools.partial(_expected, raw))


@pytest.fixture(scope="module")
def run(shared_engine, raw):
    wh, plan = shared_engine.setup(raw, edit=_with_category, stats="    dimension_top_n: 2")
    assert plan.metric_dimensions
    steps.materialize_all(wh, plan, DayRange(START, END + dt.timedelta(days=1)))
    return wh, lambda rollup: qualified(plan.schema, plan.table_name(f"results_{rollup}"))


def _expected(raw, day: dt.date, metric: str, days: int | None):
    units = reference.unit_values(raw, START, day, "exclude")[["unit_id", "variant"]]
    firsts = reference.first_exposures(raw, START, day).set_index("unit_id").first_exposure_ts
    orders = raw["orders"].assign(category=raw["orders"].category.fillna("(null)"))
    orders = orders[orders.user_id.isin(units.unit_id)]
    orders = orders[orders.ts >= orders.user_id.map(firsts)]
    end = pd.Timestamp(day + dt.timedelta(days=1))
    begin = pd.Timestamp(day - dt.timedelta(days=days - 1)) if days else pd.Timestamp.min
    orders = orders[(orders.ts < end) & (orders.ts >= begin)]
    ranked = orders.groupby("category").user_id.nunique().reset_index()
    ranked = ranked.sort_values(["user_id", "category"], ascending=[False, True])
    top = list(ranked.category[:2])
    orders = orders.assign(value=orders.category.where(orders.category.isin(top), "(other)"))
    per_unit = (orders.groupby(["user_id", "value"]).amount.sum() if metric == "revenue"
                else (orders.groupby(["user_id", "value"]).size() > 0).astype(float))
    out = {}
    for value in orders.value.unique():
        values = units.set_index("unit_id").join(per_unit.xs(value, level="value").rename("y")).fillna({"y": 0.0})
        c = values[values.variant == "control"].y.to_numpy(float)
        t = values[values.variant == "treatment"].y.to_numpy(float)
        p = np.nan  # no test below 10 units an arm or on an arm without variance (README)
        if min(len(c), len(t)) >= 10 and np.ptp(c) > 0 and np.ptp(t) > 0:
            _, p, _ = CompareMeans(DescrStatsW(t), DescrStatsW(c)).ttest_ind(usevar="unequal")
        out[value] = {"units": len(t), "control_units": len(c), "mean": t.mean(), "control_mean": c.mean(),
                      "p_value": p}
    return out


@pytest.mark.parametrize("rollup, days", [("cumulative", None), ("daily", 1), ("7day", 7)])
@pytest.mark.parametrize("metric", ["revenue", "purchased"])
def test_metric_dimension_slices_equal_pandas(run, expected, rollup, days, metric):
    wh, results = run
    table = wh.query(f"SELECT * FROM {results(rollup)} WHERE dimension = 'category' AND metric = '{metric}'")
    assert len(table) > 0
    for day in DAYS:
        wanted = expected(day, metric, days)
        got = table[pd.to_datetime(table.as_of_date) == pd.Timestamp(day)]
        assert set(got.dimension_value) == set(wanted), day
        assert len(set(wanted) - {"(other)"}) <= 2
        for value, want in wanted.items():
            rows = got[got.dimension_value == value].set_index("variant")
            assert rows.loc["treatment", "units"] == want["units"]
            assert rows.loc["control", "units"] == want["control_units"]
            assert rows.loc["treatment", "mean"] == pytest.approx(want["mean"], rel=1e-9, abs=1e-12)
            assert rows.loc["treatment", "control_mean"] == pytest.approx(want["control_mean"], rel=1e-9, abs=1e-12)
            if np.isfinite(want["p_value"]):
                assert rows.loc["treatment", "p_value"] == pytest.approx(want["p_value"], rel=1e-9)
            else:
                assert np.isnan(rows.loc["treatment", "p_value"])


def test_slices_add_up_to_the_overall_sum(run):
    wh, results = run
    table = wh.query(f"SELECT * FROM {results('cumulative')} WHERE metric = 'revenue' "
                     f"AND as_of_date = DATE '{END}' AND dimension IN ('overall', 'category')")
    for variant, rows in table.groupby("variant"):
        overall = rows[rows.dimension == "overall"].iloc[0]
        slices = rows[rows.dimension == "category"]
        assert (slices.units == overall.units).all()
        assert slices["mean"].sum() == pytest.approx(overall["mean"], rel=1e-9)


def test_a_metric_dimension_may_not_shadow_an_exposure_dimension(tmp_path):
    text = fixtures.config_text(tmp_path / "w.duckdb").replace(
        "{name: revenue, source: orders, type: sum, column: amount}",
        "{name: revenue, source: orders, type: sum, column: amount, dimensions: [country]}")
    from exp_assets.config import ConfigError

    with pytest.raises(ConfigError, match=r"experiments\[0\]\.metrics: metric 'revenue' is broken down by \['country'\]"):
        parse_config(text)
