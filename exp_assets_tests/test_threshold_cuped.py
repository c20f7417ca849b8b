"""CUPED of a threshold metric on every engine: its covariate is the threshold
applied to the thresholded metric's pre-exposure value, so the cumulative
moments of `spent_60` (revenue of at least 60) equal pandas' sums of
y = 1{revenue since exposure >= 60} and x = 1{revenue over the lookback >= 60}
over the units eligible each day, and its results are CUPED-adjusted."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from exp_assets import steps
from exp_assets.days import DayRange
from exp_assets.quoting import table
from exp_assets_tests import fixtures, reference
from exp_assets_tests.engines import microsecond_raw, quiet_fakesnow
from exp_assets_tests.fixtures import DAYS, END, START

pytestmark = quiet_fakesnow
LOOKBACK, AT_LEAST = 3, 60.0  # the fixture's spent_60: revenue at least 60


def test_threshold_moments_carry_its_pre_exposure_covariate(engine):
    raw = microsecond_raw(fixtures.raw_tables())
    wh, plan = engine.setup(raw, metrics=["revenue", "spent_60"], cuped_days=LOOKBACK)  # the fixture's threshold
    steps.materialize_all(wh, plan, DayRange(START, END + dt.timedelta(days=1)))
    got = wh.query(f"SELECT * FROM {table(plan.schema, plan.table_name('rollup_moments'))} "
                   f"WHERE metric = 'spent_60' AND rollup = 'cumulative' AND dimension = 'overall'")
    got["as_of_date"] = pd.to_datetime(got["as_of_date"]).dt.date
    for day in (DAYS[1], DAYS[-1]):
        values = reference.unit_values(raw, START, day, "exclude")
        before = reference.covariates(raw, START, day, LOOKBACK).set_index("unit_id")["revenue"]
        values = values.assign(y=(values["revenue"] >= AT_LEAST).astype(float),
                               x=(values["unit_id"].map(before) >= AT_LEAST).astype(float))
        expected = reference.moments(values, "spent_60", "y", None, "x", None).set_index("variant")
        rows = got[got["as_of_date"] == day].set_index("variant")
        for column in ("n", "sum", "sum_squares", "covariate_sum", "covariate_sum_squares",
                       "main_covariate_sum_product"):
            np.testing.assert_allclose(rows.loc[expected.index, column].astype(float),
                                       expected[column].astype(float), rtol=1e-12, err_msg=f"{day} {column}")
        assert expected["covariate_sum"].sum() > 0  # some units spent 60 before exposure
    results = wh.query(f"SELECT * FROM {table(plan.schema, plan.table_name('results_cumulative'))} "
                       f"WHERE metric = 'spent_60' AND variant = 'treatment' AND dimension = 'overall'")
    assert results["cuped_applied"].astype(bool).any()
