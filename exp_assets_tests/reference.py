"""An independent pandas + statsmodels computation of cumulative results straight
from the raw tables, written from the definitions in README.md, sharing no code
with the pipeline."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from exp_assets_tests.test_stats_support import fieller_reference

VARIANTS = ["control", "treatment"]


def first_exposures(raw: dict[str, pd.DataFrame], start: dt.date, through: dt.date) -> pd.DataFrame:
    e = raw["exposures"]
    e = e[(e.experiment_id == "exp_a") & e.user_id.notna() & e.variant.isin(VARIANTS)]
    e = e[(e.ts >= pd.Timestamp(start)) & (e.ts < pd.Timestamp(through + dt.timedelta(days=1)))]
    # first row per unit (drop_duplicates, not groupby().first(), which skips nulls column by column)
    first = e.sort_values(["ts", "variant", "country"]).drop_duplicates("user_id").reset_index(drop=True)
    return first.rename(columns={"user_id": "unit_id", "ts": "first_exposure_ts"})


def crossover_day(raw, start, through) -> pd.Series:
    """unit -> first day it was exposed to a variant other than its first."""
    e = raw["exposures"]
    e = e[(e.experiment_id == "exp_a") & e.variant.isin(VARIANTS)]
    e = e[(e.ts >= pd.Timestamp(start)) & (e.ts < pd.Timestamp(through + dt.timedelta(days=1)))]
    firsts = first_exposures(raw, start, through).set_index("unit_id")["variant"]
    e = e.assign(first=e.user_id.map(firsts))
    other = e[e.variant != e["first"]]
    return other.groupby("user_id").ts.min().dt.date


def unit_values(raw, start, as_of: dt.date, policy: str) -> pd.DataFrame:
    units = first_exposures(raw, start, as_of)
    if policy == "exclude":
        crossed = crossover_day(raw, start, as_of)
        units = units[~units.unit_id.isin(crossed[crossed <= as_of].index)]
    end = pd.Timestamp(as_of + dt.timedelta(days=1))

    def after_exposure(events):
        joined = events.merge(units[["unit_id", "first_exposure_ts"]], left_on="user_id", right_on="unit_id")
        return joined[(joined.ts >= joined.first_exposure_ts) & (joined.ts < end)]

    orders, views = after_exposure(raw["orders"]), after_exposure(raw["page_views"])
    per_unit = pd.DataFrame({
        "revenue": orders.groupby("unit_id").amount.sum(),
        "orders": orders.groupby("unit_id").size(),
        "purchased": (orders.groupby("unit_id").size() > 0).astype(float),
        "big_orders": orders[orders.amount > 50].groupby("unit_id").size(),
        "views": views.groupby("unit_id").size(),
    })
    values = units[["unit_id", "variant"]].set_index("unit_id").join(per_unit).fillna(0.0)
    return values.reset_index()


def expected_results(raw, start, as_of, policy) -> pd.DataFrame:
    values = unit_values(raw, start, as_of, policy)
    rows = []
    for metric in ["revenue", "orders", "purchased", "big_orders", "views"]:
        c = values.loc[values.variant == "control", metric].to_numpy(float)
        t = values.loc[values.variant == "treatment", metric].to_numpy(float)
        compare = CompareMeans(DescrStatsW(t), DescrStatsW(c))
        lo, hi = compare.tconfint_diff(alpha=0.05, usevar="unequal")
        tstat, p, df = compare.ttest_ind(usevar="unequal")
        mc, mt = c.mean(), t.mean()
        rel_lo, rel_hi = fieller_reference(t, c, c, mt - mc, mc, sps.t.ppf(0.975, df))
        rows.append({
            "metric": metric, "units_control": len(c), "units": len(t), "control_mean": mc, "mean": mt,
            "abs_effect": mt - mc, "abs_ci_lower": lo, "abs_ci_upper": hi, "p_value": p,
            "rel_effect": mt / mc - 1, "rel_ci_lower": rel_lo, "rel_ci_upper": rel_hi,
        })
    return pd.DataFrame(rows)


def covariates(raw, start, as_of, lookback_days: int) -> pd.DataFrame:
    """Per unit first exposed by `as_of`: each event metric over the
    `lookback_days` before its first exposure."""
    units = first_exposures(raw, start, as_of)[["unit_id", "first_exposure_ts"]]

    def before_exposure(events):
        joined = events.merge(units, left_on="user_id", right_on="unit_id")
        lower = joined.first_exposure_ts - pd.Timedelta(days=lookback_days)
        return joined[(joined.ts >= lower) & (joined.ts < joined.first_exposure_ts)]

    orders, views = before_exposure(raw["orders"]), before_exposure(raw["page_views"])
    pre = pd.DataFrame({
        "revenue": orders.groupby("unit_id").amount.sum(),
        "orders": orders.groupby("unit_id").size(),
        "views": views.groupby("unit_id").size(),
    })
    return units[["unit_id"]].set_index("unit_id").join(pre).fillna(0.0).reset_index()


def moments(values: pd.DataFrame, metric: str, y: str, d: str | None, x: str | None, xd: str | None) -> pd.DataFrame:
    """Per variant: n and the sums / squares / cross products of the columns
    y, d, x, xd of unit-level `values`, named as in the SQL-statistics contract,
    and for a ratio the number of units with a nonzero denominator."""
    names = {"main": y, "denominator": d, "covariate": x, "covariate_denominator": xd}
    sums = {"main": "sum", "denominator": "denominator_sum", "covariate": "covariate_sum",
            "covariate_denominator": "covariate_denominator_sum"}
    rows = []
    for variant, group in values.groupby("variant"):
        row = {"metric": metric, "variant": variant, "n": len(group),
               "denominator_units": int((group[d] != 0).sum()) if d else None}
        for key, column in names.items():
            row[sums[key]] = group[column].sum() if column else None
            row[sums[key] + "_squares"] = (group[column] ** 2).sum() if column else None
        keys = list(names)
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                both = names[a] and names[b]
                row[f"{a}_{b}_sum_product"] = (group[names[a]] * group[names[b]]).sum() if both else None
        rows.append(row)
    return pd.DataFrame(rows)
