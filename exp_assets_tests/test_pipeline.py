"""The pipeline steps on DuckDB against the small fixture warehouse: values
checked against an independent pandas computation, and partition semantics
(idempotency, order independence, incremental cost) checked on whole tables."""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import pandas as pd
import pytest

from exp_assets import steps
from exp_assets.days import DayRange
from exp_assets.plan import ROLLUPS, ExperimentPlan
from exp_assets.sql import results as results_sql
from exp_assets_tests import fixtures, reference
from exp_assets_tests.fixtures import DAYS, END, START

FULL = DayRange(START, END + dt.timedelta(days=1))


@pytest.fixture(scope="module")
def raw():
    return fixtures.raw_tables()


EVERYTHING = dict(  # every table and feature: CUPED covariates, winsorization, ratios
    cuped_days=2, winsorize="{lower: 0.05, upper: 0.95}",
    metrics=[*fixtures.METRICS, "revenue_per_order", "orders_per_view"],
)


def _setup(tmp_path, raw, policy="exclude", **options):
    db = tmp_path / "wh.duckdb"
    fixtures.write_raw(db, raw)
    config = fixtures.make_config(db, policy, **options)
    return db, fixtures.warehouse(db), ExperimentPlan(config, config.experiments[0])


def _query(db, sql) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql).df()


@pytest.mark.parametrize("policy", ["exclude", "first"])
def test_results_equal_independent_computation(tmp_path, raw, policy):
    db, wh, plan = _setup(tmp_path, raw, policy)
    steps.materialize_all(wh, plan, FULL)
    everything = _query(db, "SELECT * FROM exp.exp_a_results_cumulative")
    assert len(everything) == len(DAYS) * 5 * 2 * (1 + 3)  # overall + 3 countries
    results = everything[everything.dimension == "overall"]
    assert set(results.rollup) == {"cumulative"} and set(results.method) == {"welch_t"}
    for day in DAYS:
        expected = reference.expected_results(raw, START, day, policy).set_index("metric")
        got = results[results.as_of_date == pd.Timestamp(day)]
        control = got[got.variant == "control"].set_index("metric")
        treatment = got[got.variant == "treatment"].set_index("metric")
        assert control.loc[expected.index, "units"].tolist() == expected.units_control.tolist()
        for column in ["units", "mean", "control_mean", "abs_effect", "abs_ci_lower", "abs_ci_upper",
                       "rel_effect", "rel_ci_lower", "rel_ci_upper", "p_value"]:
            pd.testing.assert_series_equal(
                treatment.loc[expected.index, column].astype(float), expected[column].astype(float),
                check_names=False, rtol=1e-9, atol=1e-12,
            )
        assert treatment.p_value_adjusted.tolist() == treatment.p_value.tolist()
        assert control.abs_effect.isna().all() and control.reason.isna().all()


def test_first_exposures_one_row_per_unit_with_first_variant(tmp_path, raw):
    db, wh, plan = _setup(tmp_path, raw)
    steps.materialize_all(wh, plan, FULL)
    got = _query(db, "SELECT * FROM exp.exp_a_first_exposures ORDER BY unit_id")
    expected = reference.first_exposures(raw, START, END).sort_values("unit_id").reset_index(drop=True)
    assert got.unit_id.is_unique
    assert got.unit_id.tolist() == expected.unit_id.tolist()
    assert got.variant.tolist() == expected.variant.tolist()
    assert (got.first_exposure_ts == expected.first_exposure_ts).all()
    assert (got.first_exposure_date == got.first_exposure_ts.dt.normalize()).all()
    row = got.set_index("unit_id")
    assert row.loc["x_early", "first_exposure_date"] == pd.Timestamp(DAYS[3])  # pre-start exposure ignored
    assert row.loc["x_tie", "variant"] == "control"  # same-instant tie broken by variant name
    assert not {"x_only_early", "x_bogus"} & set(got.unit_id)  # never exposed in window / unknown variant


def test_multiple_variant_policy(tmp_path, raw):
    db, wh, plan = _setup(tmp_path, raw, "exclude")
    steps.materialize_all(wh, plan, FULL)
    crossed = _query(db, "SELECT * FROM exp.exp_a_multiple_variant_units ORDER BY unit_id, exposure_date")
    assert crossed[crossed.unit_id == "x_cross"].exposure_date.tolist() == [pd.Timestamp(DAYS[2])]
    assert crossed[crossed.unit_id == "x_tie"].exposure_date.tolist() == [pd.Timestamp(DAYS[1])]
    # x_cross (control) counts as of days 1-2, not from day 3, when its second variant is seen
    units = _query(db, "SELECT as_of_date, units FROM exp.exp_a_results_cumulative WHERE dimension = 'overall' "
                       "AND metric = 'revenue' AND variant = 'control' ORDER BY as_of_date")
    (tmp_path / "first").mkdir()
    db2, wh2, plan2 = _setup(tmp_path / "first", raw, "first")
    steps.materialize_all(wh2, plan2, FULL)
    kept = _query(db2, "SELECT as_of_date, units FROM exp.exp_a_results_cumulative WHERE dimension = 'overall' "
                       "AND metric = 'revenue' AND variant = 'control' ORDER BY as_of_date")
    crossed_control = crossed.merge(
        _query(db, "SELECT unit_id, variant, first_exposure_date FROM exp.exp_a_first_exposures"), on="unit_id"
    )
    crossed_control = crossed_control[crossed_control.variant == "control"].groupby("unit_id").exposure_date.min()
    for day, n_excluded, n_kept in zip(units.as_of_date, units.units, kept.units):
        assert n_kept - n_excluded == (crossed_control <= day).sum()
    assert (kept.units - units.units).iloc[-1] >= 2


def test_pre_exposure_events_are_ignored(tmp_path, raw):
    db, wh, plan = _setup(tmp_path, raw)
    steps.materialize_all(wh, plan, FULL)
    # the unit's newest row: its totals as of the last day
    totals = _query(db, f"SELECT revenue, orders FROM exp.exp_a_unit_totals WHERE unit_id = 'x_pre' "
                        f"AND as_of_date <= DATE '{END}' ORDER BY as_of_date DESC LIMIT 1")
    assert totals.revenue.tolist() == [10.0] and totals.orders.tolist() == [1]
    daily = _query(db, "SELECT * FROM exp.exp_a_user_level_aggregations_orders WHERE unit_id = 'x_pre'")
    assert daily.revenue.tolist() == [10.0]
    never = _query(db, "SELECT count(*) AS n FROM exp.exp_a_unit_totals WHERE unit_id = 'x_only_early'")
    assert never.n.tolist() == [0]


def test_exposures_summary_counts(tmp_path, raw):
    db, wh, plan = _setup(tmp_path, raw)
    steps.materialize_all(wh, plan, FULL)
    summary = _query(db, "SELECT * FROM exp.exp_a_exposures_summary ORDER BY variant, exposure_date")
    firsts = reference.first_exposures(raw, START, END)
    firsts["day"] = firsts.first_exposure_ts.dt.normalize()
    e = raw["exposures"]
    e = e[(e.experiment_id == "exp_a") & e.user_id.notna() & e.variant.isin(reference.VARIANTS)]
    e = e[(e.ts >= pd.Timestamp(START)) & (e.ts < pd.Timestamp(END + dt.timedelta(days=1)))]
    assert len(summary) == 2 * len(DAYS)
    for row in summary.itertuples():
        day_events = e[(e.ts.dt.normalize() == row.exposure_date) & (e.variant == row.variant)]
        assert row.exposures == len(day_events)
        assert row.exposed_units == day_events.user_id.nunique()
        mine = firsts[firsts.variant == row.variant]
        assert row.new_units == (mine.day == row.exposure_date).sum()
        assert row.cumulative_units == (mine.day <= row.exposure_date).sum()


def test_rematerializing_replaces_exactly_the_window(tmp_path, raw):
    db, wh, plan = _setup(tmp_path, raw, **EVERYTHING)
    steps.materialize_all(wh, plan, FULL)
    before = fixtures.output_tables(db)
    steps.materialize_all(wh, plan, FULL)
    steps.materialize_all(wh, plan, DayRange(DAYS[2], DAYS[4]))
    after = fixtures.output_tables(db)
    assert before.keys() == after.keys() and len(before) == 16  # the experiment's 14 and 2 shared facts
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)
    ledger = _query(db, "SELECT table_name, partition_date, count(*) AS n FROM exp._partitions GROUP BY ALL")
    assert (ledger.n == 1).all() and len(ledger) == 16 * len(DAYS)


# unit_totals' snapshots on scheduled days (share 1.0), and on busy ones too (0.5: in two orders that
# between them build every day alone, out of order, and in parts of a range)
@pytest.mark.parametrize("order, share", [
    *((order, 1.0) for order in ["day_by_day", "reversed", "shuffled", "split_ranges", "writes_in_parts"]),
    ("shuffled", 0.5), ("writes_in_parts", 0.5)])
def test_materialization_order_does_not_change_tables(tmp_path, raw, order, share, monkeypatch):
    ref_dir, run_dir = tmp_path / "ref", tmp_path / "run"
    ref_dir.mkdir(), run_dir.mkdir()
    db_ref, wh_ref, plan_ref = _setup(ref_dir, raw, snapshot_share=share, **EVERYTHING)
    steps.materialize_all(wh_ref, plan_ref, FULL)

    db, wh, plan = _setup(run_dir, raw, snapshot_share=share, **EVERYTHING)
    windows = [DayRange(d, d + dt.timedelta(days=1)) for d in DAYS]
    if order == "reversed":
        windows.reverse()
    elif order == "shuffled":
        random.Random(5).shuffle(windows)
    elif order == "split_ranges":
        windows = [DayRange(DAYS[3], FULL.end), DayRange(START, DAYS[3])]
    elif order == "writes_in_parts":  # one range; unit_totals and rollup_moments written 4 + 2 days
        monkeypatch.setattr(wh, "running_total_days_per_write", 4)
        monkeypatch.setattr(steps, "ROLLUP_MOMENTS_DAYS_PER_WRITE", 4)
        windows = [FULL]
    for window in windows:
        steps.materialize_all(wh, plan, window)
    expected, got = fixtures.output_tables(db_ref), fixtures.output_tables(db)
    assert expected.keys() == got.keys()
    for name in expected:
        pd.testing.assert_frame_equal(expected[name], got[name], obj=name)


def test_a_late_day_with_nothing_stored_sums_the_days_before_it_per_unit(tmp_path, raw):
    """A day's unit totals derived with nothing stored before it (a late day built
    first; the rollups derive D-1 and D-7 so) add the days before the window up to
    a row per unit and run only over the window's days: a running window over
    every unit and day since the start ran out of memory at 1M units x 30 days.
    The totals equal those the day-by-day build stores."""
    from exp_assets.warehouse.duckdb_warehouse import _profile

    db, wh, plan = _setup(tmp_path, raw, **EVERYTHING)
    late = DayRange(DAYS[-2], FULL.end)
    with duckdb.connect(str(db)) as conn:
        conn.execute("PRAGMA enable_profiling='no_output'")
        derived = conn.execute(steps._unit_totals_select(wh, plan, late)).df()
        stack, windowed = list(_profile(conn).get("operator", [])), []
        while stack:
            node = stack.pop()
            stack.extend(node.get("children", []))
            if node.get("type") == "WINDOW" and "ORDER BY as_of_date" in str(node["extra_info"]):  # the running one
                windowed.append(int(node["intermediate_rows"]))
    exposed = int((derived.as_of_date == pd.Timestamp(DAYS[-1])).sum())
    assert windowed and max(windowed) <= 2 * exposed  # the window's two days, not every day since the start

    steps.materialize_all(wh, plan, FULL)
    columns = [c for c in derived.columns if c not in ("as_of_date", "unit_id")]
    stored = _query(db, steps._unit_state(wh, plan, late, columns))
    key = ["as_of_date", "unit_id"]
    pd.testing.assert_frame_equal(derived.sort_values(key).reset_index(drop=True),
                                  stored[derived.columns].sort_values(key).reset_index(drop=True), check_dtype=False)


def test_a_late_days_earlier_caps_are_derived_apart_and_handed_on_exactly(tmp_path, raw):
    """The caps with which units crossing on a late day retract their earlier days,
    derived with nothing stored, come from a statement of their own and enter the
    day's statement as literal rows (inside it, a month of derived moments ran a
    200k-unit day out of 1 GB): every day's caps of the days-since-exposure rollup,
    to the last bit of the ones a day-by-day build stores."""
    db, wh, plan = _setup(tmp_path, raw, **EVERYTHING)
    earlier = DayRange(START, DAYS[-1])
    with wh.session():
        handed = steps._earlier_caps(wh, plan, earlier)
    assert "rollup_moments" not in handed and " UNION ALL " in handed  # literals, no derivation left inside

    steps.materialize_all(wh, plan, FULL)
    moments = f"SELECT * FROM exp.{plan.table_name('rollup_moments')} WHERE as_of_date < DATE '{DAYS[-1]}'"
    key = ["as_of_date", "metric"]
    got = _query(db, handed).sort_values(key).reset_index(drop=True)
    want = _query(db, results_sql.days_since_exposure_caps(moments)).sort_values(key).reset_index(drop=True)
    assert len(got) == len(earlier.days) * len(want.metric.unique()) and want.filter(like="cap_").notna().any().any()
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_exact=True)
    with wh.session():  # with every day stored, the table's rows are read in the day's statement
        assert "rollup_moments" in steps._earlier_caps(wh, plan, earlier)


@pytest.mark.parametrize("share", [1.0, 0.5])
def test_unit_totals_hold_every_unit_on_snapshot_days_and_the_changed_ones_between(tmp_path, raw, share):
    """unit_totals holds a row for every unit exposed by D on snapshot days (the
    start, then every refresh.snapshot_every_days: 3 in the fixture, and the days
    on which at least `snapshot_share` of those units changed) and, on the other
    days, only for the units with events on D or first exposed on D."""
    db, wh, plan = _setup(tmp_path, raw, snapshot_share=share)
    steps.materialize_all(wh, plan, FULL)
    assert plan.experiment.refresh.snapshot_every_days == 3
    totals = _query(db, "SELECT as_of_date, unit_id FROM exp.exp_a_unit_totals")
    exposed = _query(db, "SELECT unit_id, first_exposure_date FROM exp.exp_a_first_exposures")
    active = pd.concat([_query(db, f"SELECT event_date, unit_id FROM exp.exp_a_user_level_aggregations_{s}")
                        for s in ("orders", "views")])
    snapshots = []
    for i, day in enumerate(DAYS):
        stamp = pd.Timestamp(day)
        got = set(totals.unit_id[totals.as_of_date == stamp])
        everyone = set(exposed.unit_id[exposed.first_exposure_date <= stamp])
        changed = set(active.unit_id[active.event_date == stamp]) | set(exposed.unit_id[exposed.first_exposure_date == stamp])
        want = everyone if i % 3 == 0 or len(changed) >= share * len(everyone) else changed
        snapshots += [day] if want == everyone else []
        assert got == want and len(totals[totals.as_of_date == stamp]) == len(want), day
    if share == 1.0:
        assert len(totals) < len(DAYS) * len(exposed) and snapshots == [DAYS[0], DAYS[3]]
    else:  # the fixture's units are active most days
        assert len(snapshots) > 2


def test_incremental_day_reads_only_that_days_raw_rows(tmp_path, raw):
    db, wh, plan = _setup(tmp_path, raw)
    steps.materialize_all(wh, plan, DayRange(START, DAYS[-1]))
    last = DayRange(DAYS[-1], FULL.end)
    reports = steps.materialize_all(wh, plan, last)

    def rows_on_last_day(name, extra=lambda f: f):
        f = extra(raw[name])
        return int(((f.ts >= pd.Timestamp(last.start)) & (f.ts < pd.Timestamp(last.end)) & f.user_id.notna()).sum())

    exposures_of_day = rows_on_last_day(
        "exposures", lambda f: f[(f.experiment_id == "exp_a") & f.variant.isin(reference.VARIANTS)])
    assert reports["first_exposures"].rows_scanned["raw.exposures"] == exposures_of_day
    # the day's events are read once, into the shared facts, cut at that day's exposures (any experiment's)
    for source, table in (("orders", "orders"), ("views", "page_views")):
        report = reports[f"user_level_aggregations_{source}"]
        assert report.rows_scanned_outside("exp") == 0
        [shared] = report.side_writes
        assert shared.table == f"exp.source_days_{source}"
        assert shared.rows_scanned == {f"raw.{table}": rows_on_last_day(table), "raw.exposures": rows_on_last_day(
            "exposures", lambda f: f[f.user_id.notna()])}
    for later in ("unit_totals", "results_cumulative", "results_daily", "results_7day",
                  "rollup_moments", "results_days_since_exposure"):
        assert reports[later].rows_scanned_outside("exp") == 0, later
    # unit_totals builds on yesterday's totals: it reads the days from their snapshot on, not the history
    since = steps._snapshot_before(wh, plan, DAYS[-2])
    totals_rows = _query(db, f"SELECT count(*) AS n FROM exp.exp_a_unit_totals "
                             f"WHERE as_of_date BETWEEN DATE '{since}' AND DATE '{DAYS[-2]}'").n[0]
    # (DuckDB fetches the rows of the units it picks a second time: late materialization)
    assert totals_rows <= reports["unit_totals"].rows_scanned["exp.exp_a_unit_totals"] < 2 * totals_rows


def test_a_stale_snapshot_is_not_built_upon(tmp_path, raw):
    """Re-materializing an old day of unit-day aggregations invalidates later
    running totals; the next day recomputes from the start rather than adding to them."""
    db, wh, plan = _setup(tmp_path, raw)
    steps.materialize_all(wh, plan, DayRange(START, DAYS[-1]))
    steps.user_level_aggregations(wh, plan, "orders", DayRange(DAYS[1], DAYS[2]))
    report = steps.unit_totals(wh, plan, DayRange(DAYS[-1], FULL.end))
    assert "exp.exp_a_unit_totals" not in report.rows_scanned
    assert report.rows_scanned["exp.exp_a_user_level_aggregations_orders"] > 0


def test_results_alone_derive_everything_missing_from_raw(tmp_path, raw):
    """Results for a day on an empty output schema equal those of a full run:
    every missing upstream day is derived from the raw tables."""
    (tmp_path / "ref").mkdir(), (tmp_path / "alone").mkdir()
    db_ref, wh_ref, plan_ref = _setup(tmp_path / "ref", raw, **EVERYTHING)
    steps.materialize_all(wh_ref, plan_ref, FULL)
    db, wh, plan = _setup(tmp_path / "alone", raw, **EVERYTHING)
    day = DayRange(DAYS[3], DAYS[4])
    for rollup in ROLLUPS:
        steps.results(wh, plan, rollup, day)
    expected, got = fixtures.output_tables(db_ref), fixtures.output_tables(db)
    for rollup in ROLLUPS:
        name = f"exp_a_results_{rollup.name}"
        want = expected[name][expected[name].as_of_date == pd.Timestamp(day.start)].reset_index(drop=True)
        pd.testing.assert_frame_equal(want, got[name].reset_index(drop=True), obj=name)
