"""Health checks: each passes on the clean fixture and fails on data built to trip
it, with its metadata equal to an independent pandas/scipy computation from the
raw tables, on every engine (DuckDB, Snowflake on fakesnow, BigQuery on
bqemulator); and Dagster accepts the specs and results (blocking checks stop
downstream assets of the run)."""

from __future__ import annotations

import datetime as dt
import math

import dagster as dg
import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from exp_assets import steps
from exp_assets.checks import CheckSettings, check_specs, evaluate_checks, settings_of
from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.quoting import table
from exp_assets.sql import checks as check_sql
from exp_assets.sql.results import typed_results
from exp_assets.stats.balance import ArmSums, sample_ratio_mismatch, welch_mean_difference_p_value
from exp_assets_tests import fixtures, reference
from exp_assets_tests.engines import duckdb_only, microsecond_raw, quiet_fakesnow
from exp_assets_tests.fixtures import DAYS, END, START

pytestmark = quiet_fakesnow
FULL = DayRange(START, END + dt.timedelta(days=1))
WARN, ERROR = dg.AssetCheckSeverity.WARN, dg.AssetCheckSeverity.ERROR


def _key(artifact: str) -> dg.AssetKey:
    return dg.AssetKey(["exp_a", artifact])


def _raw(**options) -> dict[str, pd.DataFrame]:
    """The fixture's raw tables at microseconds (as every engine keeps them)."""
    return microsecond_raw(fixtures.raw_tables(**options))


def _setup(engine, raw):
    """(warehouse, plan) of the fixture config with CUPED, on `raw` loaded into `engine`
    (`shared_engine`: each engine in turn; the clean run is shared, and each test that
    trips a check loads its own raw tables, into a workspace of its own)."""
    return engine.setup(raw, cuped_days=2)


def _run(wh, plan, artifacts, window=FULL):
    for name, step in steps.ordered_steps(plan):
        if name in artifacts:
            step(wh, window)


def _check(wh, plan, artifact, window=FULL) -> dg.AssetCheckResult:
    [result] = evaluate_checks(wh, plan, artifact, window)
    assert result.asset_key == _key(artifact)
    return result


def _meta(result: dg.AssetCheckResult) -> dict:
    return {k: v.value for k, v in result.metadata.items()}


@pytest.fixture(scope="module")
def clean(shared_engine):
    raw = _raw()
    wh, plan = _setup(shared_engine, raw)
    steps.materialize_all(wh, plan, FULL)
    return raw, wh, plan


# -- independent computations from the raw tables ---------------------------------
def _units_by_day(raw) -> pd.DataFrame:
    """Cumulative first-exposed units per day (rows) and variant (columns)."""
    first = reference.first_exposures(raw, START, END)
    first = first.assign(day=first.first_exposure_ts.dt.date)
    return pd.DataFrame({day: first[first.day <= day].variant.value_counts() for day in DAYS}).T.reindex(
        columns=["control", "treatment"]).fillna(0)


def _crossover_rates(raw) -> dict[str, float]:
    exposed = _units_by_day(raw).sum(axis=1)
    crossed = reference.crossover_day(raw, START, END)
    return {day.isoformat(): (crossed <= day).sum() / exposed[day] for day in DAYS}


def _welch_p_values(raw, lookback_days=2) -> dict[str, float]:
    units = reference.first_exposures(raw, START, END)[["unit_id", "variant", "first_exposure_ts"]]
    pre = reference.covariates(raw, START, END, lookback_days).merge(units, on="unit_id")
    pre["purchased"] = (pre.orders > 0).astype(float)
    out = {}
    for metric in ["revenue", "orders", "purchased", "views"]:
        t, c = pre[pre.variant == "treatment"][metric], pre[pre.variant == "control"][metric]
        out[metric] = float(sps.ttest_ind(t, c, equal_var=False).pvalue)
    return out


# -- clean fixture ------------------------------------------------------------------
def test_every_check_passes_on_the_clean_fixture(clean):
    raw, wh, plan = clean
    seen = {}
    for artifact in (a.name for a in plan.artifacts):
        for result in evaluate_checks(wh, plan, artifact, FULL):
            seen[(artifact, result.check_name)] = result
            if result.check_name != "multiple_variant_rate":  # see the crossover test: the fixture's plant warns
                assert result.passed, result.description
            metadata = _meta(result)
            assert metadata["window_start"] == str(START) and metadata["window_end"] == str(END)
    assert set(seen) == {
        ("first_exposures", "exposures_present"), ("multiple_variant_units", "multiple_variant_rate"),
        ("exposures_summary", "srm"),
        ("user_level_aggregations_orders", "source_data_present"),
        ("user_level_aggregations_views", "source_data_present"),
        ("pre_exposure_covariates_orders", "pre_exposure_balance"),
        ("pre_exposure_covariates_views", "pre_exposure_balance"),
        *((f"results_{r}", "results_sanity") for r in ["cumulative", "daily", "7day", "days_since_exposure"]),
    }
    # presence: rows per day equal the raw tables'
    e = raw["exposures"]
    e = e[(e.experiment_id == "exp_a") & e.user_id.notna() & e.variant.isin(["control", "treatment"])]
    expected = {d.isoformat(): int((e.ts.dt.date == d).sum()) for d in DAYS}
    present = _meta(seen[("first_exposures", "exposures_present")])
    assert present["rows_by_day"] == expected and present["rows"] == sum(expected.values())
    assert present["days_checked"] == len(DAYS) and present["days_missing"] == 0
    views = _meta(seen[("user_level_aggregations_views", "source_data_present")])
    assert views["rows_by_day"] == {d.isoformat(): int((raw["page_views"].ts.dt.date == d).sum()) for d in DAYS}
    # balance: p-values equal scipy's Welch test on pandas covariates
    orders = _meta(seen[("pre_exposure_covariates_orders", "pre_exposure_balance")])
    welch = _welch_p_values(raw)
    for metric in ["revenue", "orders", "purchased"]:
        assert orders["p_values"][metric]["treatment"] == pytest.approx(welch[metric], rel=1e-9)
    assert orders["min_p_value"] == min(orders["p_values"][m]["treatment"] for m in orders["p_values"])
    assert _meta(seen[("pre_exposure_covariates_views", "pre_exposure_balance")])["min_p_value"] == pytest.approx(
        welch["views"], rel=1e-9)
    # results: every day x metric x variant overall row checked
    sanity = _meta(seen[("results_cumulative", "results_sanity")])
    assert sanity["rows"] == len(DAYS) * len(fixtures.METRICS) * 2 and sanity["missing_groups"] == 0


def sequential_srm_p_values(counts: pd.DataFrame, weights) -> dict[str, float]:
    """Lindon & Malek's always-valid SRM p-value per day, from scipy: the running
    minimum of 1 / BF, BF = DirichletMultinomial(x; 100 w) / Multinomial(x; w)."""
    w = np.asarray(weights) / np.sum(weights)
    out, running = {}, 1.0
    for day, x in counts.astype(int).iterrows():
        x = x.to_numpy()
        log_bf = 0.0 if x.sum() == 0 else (
            sps.dirichlet_multinomial.logpmf(x, 100 * w, x.sum()) - sps.multinomial.logpmf(x, x.sum(), w))
        running = min(running, float(np.exp(min(-log_bf, 0.0))))
        out[day.isoformat()] = running
    return out


def _assert_srm_matches_scipy(result, raw):
    counts = _units_by_day(raw)
    expected = sequential_srm_p_values(counts, [0.5, 0.5])
    metadata = _meta(result)
    assert metadata["p_value_by_day"] == pytest.approx(expected, rel=1e-9)
    assert metadata["as_of_date"] == str(END)  # the p-value never rises: the last day is the worst
    assert metadata["p_value"] == pytest.approx(min(expected.values()), rel=1e-9)
    assert metadata["p_value"] == pytest.approx(expected[str(END)], rel=1e-9)
    assert metadata["chi_square"] == pytest.approx(sps.chisquare(counts.loc[END].values).statistic, rel=1e-9)
    assert [metadata["units_control"], metadata["units_treatment"]] == counts.loc[END].astype(int).tolist()
    assert metadata["units"] == counts.loc[END].sum() and metadata["days_checked"] == len(DAYS)
    return metadata


def test_srm_passes_on_the_clean_split(clean):
    raw, wh, plan = clean
    result = _check(wh, plan, "exposures_summary")
    assert result.passed and result.severity == WARN
    assert _assert_srm_matches_scipy(result, raw)["threshold"] == 0.001


def test_srm_warns_on_a_skewed_split(shared_engine):
    raw = _raw(units=1200)
    exposures = raw["exposures"]
    number = exposures.user_id.str.extract(r"^u(\d+)$")[0].astype(float)
    dropped = (exposures.variant == "treatment") & ((number // 2) % 10 < 3)  # 30% of treatment units
    raw = {**raw, "exposures": exposures[~dropped].reset_index(drop=True)}
    wh, plan = _setup(shared_engine, raw)
    _run(wh, plan, {"first_exposures", "exposures_summary"})
    result = _check(wh, plan, "exposures_summary")
    assert not result.passed and result.severity == WARN
    metadata = _assert_srm_matches_scipy(result, raw)
    assert metadata["p_value"] < 1e-4


def test_srm_warns_on_an_imbalance_within_slices_that_cancels_overall(shared_engine):
    """US loses 60% of its treatment units and DE as many control units: overall the split
    holds, within each of those countries it does not (Holm over the countries)."""
    from statsmodels.stats.multitest import multipletests

    raw = _raw(units=1200)
    exposures = raw["exposures"]
    number = exposures.user_id.str.extract(r"^u(\d+)$")[0].astype(float)
    dropped = (((exposures.variant == "treatment") & (exposures.country == "US"))
               | ((exposures.variant == "control") & (exposures.country == "DE"))) & ((number // 6) % 5 < 3)
    raw = {**raw, "exposures": exposures[~dropped].reset_index(drop=True)}
    wh, plan = _setup(shared_engine, raw)
    _run(wh, plan, {"first_exposures", "exposures_summary"})
    result = _check(wh, plan, "exposures_summary")
    metadata = _meta(result)
    assert metadata["p_value"] >= 0.001  # the overall test sees nothing
    assert not result.passed and result.severity == WARN
    # each country's sequential p-value from scipy, Holm-adjusted by statsmodels
    first = reference.first_exposures(raw, START, END)
    first = first.assign(day=first.first_exposure_ts.dt.date)
    raw_p = {}
    for country, units in first.groupby("country"):
        counts = pd.DataFrame({day: units[units.day <= day].variant.value_counts() for day in DAYS}).T.reindex(
            columns=["control", "treatment"]).fillna(0)
        raw_p[country] = sequential_srm_p_values(counts, [0.5, 0.5])[str(END)]
    adjusted = dict(zip(raw_p, multipletests(list(raw_p.values()), method="holm")[1]))
    expected = {f"country={c}": p for c, p in adjusted.items() if p < 0.001}
    assert set(expected) == {"country=US", "country=DE"}
    assert metadata["failing_slices"] == pytest.approx(expected, rel=1e-9)
    assert metadata["slices_checked"] == 3 and "IN SLICES" in result.description


def test_srm_threshold_comes_from_the_experiment_config(clean, tmp_path):
    raw, wh, plan = clean
    assert settings_of(plan) == CheckSettings()
    loose = fixtures.make_config(tmp_path / "wh.duckdb", cuped_days=2,
                                 stats="    checks: {srm_p_value: 0.5, balance_p_value: 0.9}")
    configured = ExperimentPlan(plan.config, loose.experiments[0])  # the clean run's warehouse, looser checks
    assert settings_of(configured) == CheckSettings(srm_p_value=0.5, balance_p_value=0.9)
    result = _check(wh, configured, "exposures_summary")
    # the clean fixture's split is exactly even (always-valid p = 1): the configured threshold is used
    assert result.passed and _meta(result)["threshold"] == 0.5 and "threshold 0.5" in result.description


# -- crossovers ---------------------------------------------------------------------
def _many_crossovers(raw):
    e = raw["exposures"]
    first = reference.first_exposures(raw, START, END)
    chosen = first[first.unit_id.str.match(r"^u\d+$") & (first.index % 5 == 0)]  # 20% of units
    other = chosen.variant.map({"control": "treatment", "treatment": "control"})
    extra = pd.DataFrame({"user_id": chosen.unit_id, "experiment_id": "exp_a", "variant": other,
                          "ts": chosen.first_exposure_ts + pd.Timedelta(minutes=30), "country": chosen.country})
    return {**raw, "exposures": pd.concat([e, extra]).sort_values("ts", kind="stable").reset_index(drop=True)}


@pytest.mark.parametrize("case, passed, severity", [
    ("clean_large", True, WARN),  # 960 units: the fixture's 2 planted crossovers stay under 1%
    ("fixture", False, WARN),  # 240 units: x_tie and x_cross are 1.85% of the 108 exposed by day 3
    ("many", False, ERROR),  # 20% of units also see the other variant
])
def test_multiple_variant_rate(shared_engine, clean, case, passed, severity):
    if case == "fixture":
        raw, wh, plan = clean
    else:
        raw = _raw(units=960) if case == "clean_large" else _many_crossovers(_raw())
        wh, plan = _setup(shared_engine, raw)
        _run(wh, plan, {"first_exposures", "multiple_variant_units"})
    result = _check(wh, plan, "multiple_variant_units")
    assert result.passed is passed and result.severity == severity
    metadata = _meta(result)
    expected = _crossover_rates(raw)
    assert metadata["rate_by_day"] == pytest.approx(expected, rel=1e-12)
    assert metadata["rate"] == pytest.approx(max(expected.values())) == metadata["crossed_units"] / metadata[
        "exposed_units"]
    assert metadata["worst_day"] == max(expected, key=lambda d: (expected[d], d))
    if case == "fixture":
        assert (metadata["crossed_units"], metadata["exposed_units"], metadata["worst_day"]) == (2, 108, str(DAYS[2]))
    if case == "many":
        assert metadata["rate"] > 0.1


# -- data presence ------------------------------------------------------------------
def test_exposures_present_fails_on_a_missing_day(shared_engine):
    raw = _raw()
    gap = DAYS[3]
    raw["exposures"] = raw["exposures"][raw["exposures"].ts.dt.date != gap].reset_index(drop=True)
    wh, plan = _setup(shared_engine, raw)
    _run(wh, plan, {"first_exposures"})
    result = _check(wh, plan, "first_exposures")
    assert not result.passed and result.severity == ERROR
    metadata = _meta(result)
    assert metadata["missing_days"] == [str(gap)] and metadata["days_missing"] == 1
    assert metadata["worst_day"] == str(gap) and metadata["min_rows"] == 0 and metadata["rows_by_day"][str(gap)] == 0
    # a window without the gap passes
    assert _check(wh, plan, "first_exposures", DayRange(DAYS[0], gap)).passed


def test_source_data_present_fails_on_a_missing_fact_day(shared_engine):
    raw = _raw()
    gap = DAYS[2]
    raw["orders"] = raw["orders"][raw["orders"].ts.dt.date != gap].reset_index(drop=True)
    wh, plan = _setup(shared_engine, raw)
    orders = _check(wh, plan, "user_level_aggregations_orders")
    assert not orders.passed and orders.severity == ERROR
    metadata = _meta(orders)
    assert metadata["source"] == "orders" and metadata["missing_days"] == [str(gap)]
    assert metadata["rows_by_day"] == {d.isoformat(): int((raw["orders"].ts.dt.date == d).sum()) for d in DAYS}
    assert _check(wh, plan, "user_level_aggregations_views").passed  # the other source is complete


def test_duplicate_rows_count_every_extra_copy_of_a_read_row(shared_engine):
    """source_data_present's duplicate_rows, per day: each row equal to an earlier
    one on every column the pipeline reads, counted exactly though the SQL groups by
    a hash of the row first. A row in three copies counts 2, a repeated row with a
    null amount 1, a copy that differs in one column 0 (pandas' `duplicated` counts
    the same rows)."""
    raw = _raw()
    orders = raw["orders"]
    inside = orders[orders.ts.dt.date.between(START, END)]
    tripled, changed, doubled = (inside.iloc[i].to_dict() for i in (0, 7, -1))
    null_amount = {"user_id": "u002", "ts": fixtures.ts(DAYS[1], 9.5), "amount": np.nan}
    extra = [tripled, tripled, {**changed, "amount": changed["amount"] + 0.5}, doubled, null_amount, null_amount]
    raw["orders"] = pd.concat([orders, pd.DataFrame(extra)], ignore_index=True)
    wh, plan = _setup(shared_engine, raw)

    in_window = raw["orders"][raw["orders"].ts.dt.date.between(START, END)]
    repeats = in_window[in_window.duplicated(["user_id", "ts", "amount"])]
    expected = repeats.groupby(repeats.ts.dt.date).size().to_dict()
    assert sum(expected.values()) == 2 + 1 + 1
    for per_day in (False, True):  # one aggregate over the window, or one a day (DuckDB's)
        got = wh.query(check_sql.duplicate_rows(plan, "orders", FULL, per_day))
        assert {pd.Timestamp(d).date(): int(n) for d, n in zip(got["day"], got["duplicate_rows"])} == expected
    assert _meta(_check(wh, plan, "user_level_aggregations_orders"))["duplicate_rows"] == 4


# -- pre-exposure balance -----------------------------------------------------------
@pytest.mark.filterwarnings("ignore:Precision loss:RuntimeWarning")  # every treated unit purchased: no variance
def test_pre_exposure_balance_warns_on_biased_covariates(shared_engine):
    raw = _raw()
    first = reference.first_exposures(raw, START, END)
    heavy = first[first.variant == "treatment"]
    extra = pd.DataFrame({  # 4 orders of 60 in the day before each treatment unit's first exposure
        "user_id": np.repeat(heavy.unit_id.values, 4),
        "ts": np.repeat((heavy.first_exposure_ts - pd.Timedelta(hours=12)).values, 4),
        "amount": 60.0,
    })
    raw["orders"] = pd.concat([raw["orders"], extra]).sort_values("ts", kind="stable").reset_index(drop=True)
    wh, plan = _setup(shared_engine, raw)
    _run(wh, plan, {"first_exposures", "pre_exposure_covariates_orders", "pre_exposure_covariates_views"})
    result = _check(wh, plan, "pre_exposure_covariates_orders")
    assert not result.passed and result.severity == WARN
    metadata = _meta(result)
    welch = _welch_p_values(raw)
    for metric in ["revenue", "orders", "purchased"]:
        assert metadata["p_values"][metric]["treatment"] == pytest.approx(welch[metric], rel=1e-6, abs=1e-300)
    lowest = min(["revenue", "orders", "purchased", "big_orders"], key=lambda m: metadata["p_values"][m]["treatment"])
    assert metadata["metric"] == lowest and metadata["variant"] == "treatment"
    assert metadata["min_p_value"] < 1e-3 and metadata["tests"] == 4
    units = first.variant.value_counts()
    assert (metadata["units_control"], metadata["units_treatment"]) == (units["control"], units["treatment"])
    assert _check(wh, plan, "pre_exposure_covariates_views").passed  # views were not touched


def test_balance_statistics_edge_cases():
    assert math.isnan(welch_mean_difference_p_value(ArmSums(1, 2.0, 4.0), ArmSums(5, 5.0, 5.0)))
    assert welch_mean_difference_p_value(ArmSums(3, 0.0, 0.0), ArmSums(4, 0.0, 0.0)) == 1.0
    assert welch_mean_difference_p_value(ArmSums(3, 3.0, 3.0), ArmSums(4, 0.0, 0.0)) == 0.0
    t, c = np.array([1.0, 4.0, 2.0, 8.0]), np.array([0.0, 1.0, 3.0, 1.0, 2.0])
    got = welch_mean_difference_p_value(ArmSums(4, t.sum(), (t**2).sum()), ArmSums(5, c.sum(), (c**2).sum()))
    assert got == pytest.approx(sps.ttest_ind(t, c, equal_var=False).pvalue, rel=1e-12)
    assert sample_ratio_mismatch([0, 0], [0.5, 0.5]).p_value == 1.0
    three = sample_ratio_mismatch([50, 30, 20], [0.4, 0.4, 0.2])
    assert three.p_value == pytest.approx(sps.chisquare([50, 30, 20], [40, 40, 20]).pvalue) and three.units == 100


# -- results sanity -----------------------------------------------------------------
def test_results_sanity_fails_on_a_missing_variant_and_nan(clean):
    """Breaks one day of the clean run's cumulative results, then puts it back."""
    raw, wh, plan = clean
    day, artifact = DAYS[4], "results_cumulative"
    name = plan.table_name(artifact)
    window = (name, "as_of_date", day, day + dt.timedelta(days=1))
    original = wh.query(f"SELECT * FROM {table(plan.schema, name)} WHERE as_of_date = DATE '{day}'")
    frame = original[~((original.metric == "revenue") & (original.variant == "treatment"))]  # a variant missing
    assert frame.query("metric == 'orders' and variant == 'control' and dimension == 'overall'").reason.isna().all()
    nan = ("SELECT * REPLACE (CASE WHEN metric = 'orders' AND variant = 'control' AND dimension = 'overall' "
           "THEN CAST('NaN' AS DOUBLE) ELSE abs_effect END AS abs_effect) FROM (" + typed_results() + ") AS t")
    wh.replace_window(*window, nan, "bad", frame)
    try:
        result = _check(wh, plan, artifact)
        assert not result.passed and result.severity == ERROR
        metadata = _meta(result)
        assert metadata["missing_groups"] == 1 and metadata["non_finite_rows"] == 1
        assert metadata["days_failed"] == 1 and metadata["worst_day"] == str(day)
        assert metadata["problems"] == [f"{day} orders control: 1 rows with NaN/inf",
                                        f"{day} revenue treatment: missing"]
        # the other days are untouched
        assert _check(wh, plan, artifact, DayRange(DAYS[0], day)).passed
    finally:
        wh.replace_window(*window, typed_results(), plan.code_version(artifact), original)
    assert _check(wh, plan, artifact).passed


# -- Dagster ------------------------------------------------------------------------
def _dagster_assets(plan, wh):
    partitions = dg.DailyPartitionsDefinition(start_date=str(START), end_date=str(END + dt.timedelta(days=1)))

    def make(artifact, deps):
        key = _key(artifact)

        @dg.asset(key=key, deps=deps, partitions_def=partitions, backfill_policy=dg.BackfillPolicy.single_run(),
                  check_specs=check_specs(plan, artifact, key))
        def _asset(context):
            window = context.partition_time_window
            days = DayRange(window.start.date(), window.end.date())
            step = dict(steps.ordered_steps(plan))[artifact]
            report = step(wh, days)
            checks = evaluate_checks(wh, plan, artifact, days, context.selected_asset_check_keys)
            return dg.MaterializeResult(metadata={"rows_written": report.rows_written}, check_results=checks)

        return _asset

    return [make("first_exposures", []), make("exposures_summary", [_key("first_exposures")]),
            make("unit_totals", [_key("first_exposures")])]


@duckdb_only("how Dagster handles check specs and blocking checks; the checks' SQL runs on every engine above")
@pytest.mark.parametrize("gap", [False, True])
def test_dagster_accepts_specs_and_blocking_checks_stop_downstream(shared_engine, gap):
    raw = _raw()
    if gap:
        raw["exposures"] = raw["exposures"][raw["exposures"].ts.dt.date != DAYS[1]].reset_index(drop=True)
    wh, plan = _setup(shared_engine, raw)
    assets = _dagster_assets(plan, wh)
    specs = {spec.key: spec for a in assets for spec in a.check_specs}
    assert {k: s.blocking for k, s in specs.items()} == {
        dg.AssetCheckKey(_key("first_exposures"), "exposures_present"): True,
        dg.AssetCheckKey(_key("exposures_summary"), "srm"): False,
    }
    assert [s.blocking for s in check_specs(plan, "user_level_aggregations_orders", _key("u"))] == [True]
    assert all(not s.blocking for a in ["multiple_variant_units", "pre_exposure_covariates_orders", "results_daily"]
               for s in check_specs(plan, a, _key(a)))
    assert check_specs(plan, "unit_totals", _key("unit_totals")) == []
    result = dg.materialize(
        assets, instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
        tags={"dagster/asset_partition_range_start": str(START), "dagster/asset_partition_range_end": str(END)},
    )
    evaluations = {e.asset_check_key: e for e in result.get_asset_check_evaluations()}
    present_key = dg.AssetCheckKey(_key("first_exposures"), "exposures_present")
    assert set(evaluations) == ({present_key} if gap else set(specs))  # a skipped asset evaluates nothing
    present = evaluations[present_key]
    assert present.passed is (not gap) and present.severity == ERROR
    assert present.metadata["days_checked"].value == len(DAYS)
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    if gap:  # first_exposures is written, then its blocking check stops the rest of the run
        assert not result.success and _key("first_exposures") in materialized
        assert materialized.isdisjoint({_key("exposures_summary"), _key("unit_totals")})
    else:
        assert result.success and evaluations[dg.AssetCheckKey(_key("exposures_summary"), "srm")].passed
        assert materialized == {_key(a) for a in ["first_exposures", "exposures_summary", "unit_totals"]}


def test_a_check_that_cannot_run_fails_with_its_error(shared_engine):
    wh, plan = _setup(shared_engine, _raw())
    steps.first_exposures(wh, plan, FULL)  # the output schema exists (BigQuery creates its dataset on a first write)
    result = _check(wh, plan, "results_daily")  # nothing was written to it: the table does not exist
    assert not result.passed and result.severity == ERROR
    assert "could not be evaluated" in result.description and "results_daily" in _meta(result)["error"]
    selected = {dg.AssetCheckKey(_key("results_daily"), "other")}
    assert evaluate_checks(wh, plan, "results_daily", FULL, selected) == []
