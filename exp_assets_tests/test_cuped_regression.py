"""CUPED++ in the pipeline (cuped: {covariates: all}): the warehouse's
regression_moments equal numpy sums of the unit rows (computed from the raw
fixture tables by reference_rollups, capped at numpy's percentiles) on every
engine; the published effect and variance equal statsmodels OLS of y ~ treatment
+ covariates on those rows; the default leaves the tables as they were; and an
A/A simulation of the published test on the sums."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as sps

from exp_assets import steps
from exp_assets.config import parse_config
from exp_assets.days import DayRange
from exp_assets.quoting import table
from exp_assets.sql import dialects
from exp_assets.sql import regression as regression_sql
from exp_assets.stats import AnalysisOptions
from exp_assets.stats.arms import Arm
from exp_assets.stats.cuped import pooled_theta
from exp_assets.stats.difference import compare
from exp_assets.stats.inference import infer
from exp_assets.stats.moments import Moments
from exp_assets.stats.regression import CovariateSums, regression_difference
from exp_assets_tests import fixtures
from exp_assets_tests.engines import assert_same_tables, duckdb_only, microsecond_raw, plan_tables, quiet_fakesnow
from exp_assets_tests.fixtures import DAYS, END, START
from exp_assets_tests.reference_rollups import DIMENSION, Reference

pytestmark = quiet_fakesnow
METRICS = fixtures.METRICS  # revenue (sum), orders, purchased (proportion), big_orders (filtered count), views
LOOKBACK = 2
TOP_N = 2  # of the 3 countries (and a few '(null)' units): one is folded into '(other)'
CAP = 0.9  # revenue's upper winsorization level
ROLLUP_DAYS = {"cumulative": None, "daily": 1, "7day": 7}
FULL = DayRange(START, END + dt.timedelta(days=1))


def _edit(text: str) -> str:
    cuped = f"{{enabled: true, lookback_days: {LOOKBACK}}}"
    return text.replace(cuped, f"{{enabled: true, lookback_days: {LOOKBACK}, covariates: all}}")


@pytest.fixture(scope="module")
def raw():
    return microsecond_raw(fixtures.raw_tables())


@pytest.fixture(scope="module")
def run(shared_engine, raw):
    """The pipeline over the fixture with CUPED++ on: (warehouse, plan)."""
    wh, plan = shared_engine.setup(raw, edit=_edit, cuped_days=LOOKBACK, winsorize=f"{{upper: {CAP}}}",
                                   stats=f"    dimension_top_n: {TOP_N}")
    assert plan.experiment.cuped.covariates == "all"
    steps.materialize_all(wh, plan, FULL)
    return wh, plan


@pytest.fixture(scope="module")
def unit_rows(raw):
    """rollup -> one row per day and eligible unit: variant, country, each
    metric's value and pre-exposure value (x_<metric>), revenue's capped at the
    day's pooled 90th percentile (linear interpolation: QUANTILE_CONT)."""
    reference = Reference(raw, START, END, METRICS, TOP_N)
    pre = _pre_exposure(raw, reference.units)
    out = {}
    for rollup in ROLLUP_DAYS:
        rows = reference.unit_values(rollup).merge(pre, on="unit_id")
        for column in ("revenue", "x_revenue"):
            cap = rows.groupby("as_of_date")[column].transform(lambda v: np.quantile(v, CAP))
            rows[column] = np.minimum(rows[column], cap)
        out[rollup] = rows
    return out


def _pre_exposure(raw, units: pd.DataFrame) -> pd.DataFrame:
    """Each metric over the LOOKBACK days before the unit's first exposure."""
    def before(events):
        joined = events.merge(units[["unit_id", "fe_ts"]], left_on="user_id", right_on="unit_id")
        return joined[(joined.ts >= joined.fe_ts - pd.Timedelta(days=LOOKBACK)) & (joined.ts < joined.fe_ts)]

    orders, views = before(raw["orders"]), before(raw["page_views"])
    pre = pd.DataFrame({
        "x_revenue": orders.groupby("unit_id").amount.sum(),
        "x_orders": orders.groupby("unit_id").size(),
        "x_big_orders": orders[orders.amount > 50].groupby("unit_id").size(),
        "x_views": views.groupby("unit_id").size(),
    })
    pre = units[["unit_id"]].set_index("unit_id").join(pre).fillna(0.0).astype(float)
    pre["x_purchased"] = (pre.x_orders > 0).astype(float)
    return pre.reset_index()


def _design(day_rows: pd.DataFrame) -> pd.DataFrame:
    """The day's terms per unit: the constant, each pre-exposure value, and the
    country dummies (top TOP_N by units, ties by name, the rest '(other)'; no
    dummy for the most common)."""
    country = day_rows[DIMENSION].astype(object).where(day_rows[DIMENSION].notna(), "(null)")
    ranked = sorted(country.value_counts().items(), key=lambda kv: (-kv[1], kv[0]))
    kept = [value for value, _ in ranked[:TOP_N]]
    folded = country.where(country.isin(kept), "(other)")
    terms = pd.DataFrame({"1": 1.0}, index=day_rows.index)
    for m in METRICS:
        terms[f"{m}__pre_exposure"] = day_rows[f"x_{m}"]
    for value in sorted(set(folded) - {kept[0]}):
        terms[f"{DIMENSION}={value}"] = (folded == value).astype(float)
    return terms


def _expected_sums(unit_rows) -> dict[tuple, float]:
    """(day, rollup, metric, variant, term_a, term_b) -> the sum of the product over
    the arm's units, the pair sorted; rollup and metric None for pairs without y."""
    out = {}
    for rollup, rows in unit_rows.items():
        for day, day_rows in rows.groupby("as_of_date"):
            terms = _design(day_rows)
            for variant in ("control", "treatment"):
                arm = day_rows.variant == variant
                x = terms[arm]
                if rollup == "cumulative":
                    for i, a in enumerate(x.columns):
                        for b in x.columns[i:]:
                            if a == b and "=" in a:
                                continue  # a dummy's square: itself, not stored
                            out[day.date(), None, None, variant, *sorted((a, b))] = float(x[a] @ x[b])
                for m in METRICS:
                    y = day_rows.loc[arm, m]
                    for a in [*x.columns, "y"]:
                        out[day.date(), rollup, m, variant, *sorted((a, "y"))] = float((x[a] if a != "y" else y) @ y)
    return out


def test_the_warehouse_sums_equal_numpy_sums_of_the_unit_rows(run, unit_rows):
    wh, plan = run
    got = wh.query(f"SELECT * FROM {table(plan.schema, plan.table_name('regression_moments'))}")
    got_sums = {
        (pd.Timestamp(r.as_of_date).date(), None if pd.isna(r.rollup) else r.rollup,
         None if pd.isna(r.metric) else r.metric, r.variant, *sorted((r.term_a, r.term_b))): float(r.value)
        for r in got.itertuples()
    }
    assert len(got_sums) == len(got), "one row per unordered pair"
    expected = _expected_sums(unit_rows)
    # a dummy pair never met (no unit with both values) is absent from the table: a zero sum
    missing = {k: v for k, v in expected.items() if k not in got_sums}
    assert all(v == 0 and "=" in k[4] + k[5] for k, v in missing.items()), missing
    assert set(got_sums) <= set(expected), set(got_sums) - set(expected)
    keys = sorted(got_sums, key=str)
    np.testing.assert_allclose([got_sums[k] for k in keys], [expected[k] for k in keys], rtol=1e-9, atol=1e-9)
    assert {k[0] for k in got_sums} == set(DAYS)


def test_the_published_effect_is_the_ols_treatment_coefficient(run, unit_rows):
    """On the last day, overall, per rollup: abs_effect = the treatment coefficient of
    statsmodels' OLS of y on [1, treatment, covariates]; its variance (from the
    published interval) the per-arm variance of y - covariates * OLS slopes, the
    project's CUPED convention; theta the slope on the metric's own pre-exposure
    value; variance_reduction against the unadjusted Welch variance."""
    checked = 0
    for rollup in ROLLUP_DAYS:
        checked += _check_against_ols(*run, unit_rows[rollup], rollup)
    assert checked == len(ROLLUP_DAYS) * len(METRICS)


def _check_against_ols(wh, plan, rows: pd.DataFrame, rollup: str) -> int:
    results = wh.query(f"SELECT * FROM {table(plan.schema, plan.table_name('results_' + rollup))}")
    results = results[(pd.to_datetime(results.as_of_date) == pd.Timestamp(END)) & (results.dimension == "overall")
                      & (results.variant == "treatment")].set_index("metric")
    rows = rows[rows.as_of_date == pd.Timestamp(END)].reset_index(drop=True)
    terms = _design(rows).drop(columns="1")
    treated = (rows.variant == "treatment").to_numpy()
    checked = 0
    for m in METRICS:
        own = f"{m}__pre_exposure"
        x = terms[[own, *(c for c in terms.columns if c != own)]]
        x = x.loc[:, x.groupby(treated).transform("var").sum() > 0]  # what varies within an arm
        y = rows[m].to_numpy()
        fit = sm.OLS(y, sm.add_constant(np.column_stack([treated.astype(float), x.to_numpy()]))).fit()
        slopes = fit.params[2:]
        adjusted = y - x.to_numpy() @ slopes
        v_t, v_c = (adjusted[arm].var(ddof=1) / arm.sum() for arm in (treated, ~treated))
        plain = sum(y[arm].var(ddof=1) / arm.sum() for arm in (treated, ~treated))
        df = (v_t + v_c) ** 2 / (v_t**2 / (treated.sum() - 1) + v_c**2 / ((~treated).sum() - 1))
        r = results.loc[m]
        assert r.cuped_applied
        assert r.abs_effect == pytest.approx(fit.params[1], rel=1e-9, abs=1e-12)
        half_width = sps.t.ppf(0.975, df) * np.sqrt(v_t + v_c)
        assert r.abs_ci_upper - r.abs_effect == pytest.approx(half_width, rel=1e-8)
        assert r.variance_reduction == pytest.approx(1 - (v_t + v_c) / plain, rel=1e-8)
        if x.columns[0] == own:
            assert r.theta == pytest.approx(slopes[0], rel=1e-8, abs=1e-12)
        assert x.shape[1] >= 6  # the pre-exposure values and country dummies that vary
        checked += 1
    return checked


@duckdb_only("the day-by-day order and the derived path are engine-independent step logic")
def test_day_by_day_and_without_the_sums_table_the_results_are_the_same(run, shared_engine, raw):
    """Days run one at a time give the full run's tables; where regression_moments
    lacks a day (its step skipped), the results derive the sums from the unit totals."""
    wh, plan = run
    full = {name: frame for name, frame in plan_tables(wh, plan).items()
            if "results_" in name or "regression_moments" in name}
    daily_wh, daily_plan = shared_engine.setup(raw, edit=_edit, cuped_days=LOOKBACK, winsorize=f"{{upper: {CAP}}}",
                                               stats=f"    dimension_top_n: {TOP_N}")
    for i, day in enumerate(DAYS):
        for name, step in steps.ordered_steps(daily_plan):
            if name != "regression_moments" or i < 3:
                step(daily_wh, DayRange(day, day + dt.timedelta(days=1)))
    daily = plan_tables(daily_wh, daily_plan)
    sums = daily_plan.table_name("regression_moments")
    kept = full[sums][pd.to_datetime(full[sums].as_of_date) < pd.Timestamp(DAYS[3])]
    assert_same_tables({sums: daily[sums]}, {sums: kept})
    assert_same_tables({n: daily[n] for n in full if n != sums}, {n: f for n, f in full.items() if n != sums})


@pytest.mark.parametrize("dialect", ["snowflake", "bigquery"])
def test_the_sums_sql_passes_the_lint_of_the_real_engines(tmp_path, dialect):
    """What the emulators accept is not all the real engines do (test_engines' lint)."""
    config = parse_config(_edit(fixtures.config_text(tmp_path / "wh.duckdb", cuped_days=LOOKBACK,
                                                     winsorize=f"{{upper: {CAP}}}")), "test.yaml")
    plan = fixtures_plan(config)
    totals = "SELECT * FROM exp.exp_a_unit_totals"
    crossovers = "SELECT exposure_date, unit_id FROM exp.exp_a_multiple_variant_units"
    sql = regression_sql.regression_moments(plan, DayRange(DAYS[1], DAYS[3]), totals, {1: totals, 7: None}, crossovers)
    assert not dialects.lint(dialects.render(sql, dialect), dialect)


def test_the_default_has_no_regression_sums_and_the_option_needs_cuped(tmp_path):
    config = fixtures.make_config(tmp_path / "wh.duckdb", cuped_days=LOOKBACK)
    names = [a.name for a in fixtures_plan(config).artifacts]
    assert "regression_moments" not in names
    plus = parse_config(_edit(fixtures.config_text(tmp_path / "wh.duckdb", cuped_days=LOOKBACK)), "test.yaml")
    assert "regression_moments" in [a.name for a in fixtures_plan(plus).artifacts]
    # the option leaves the default's code versions, and changes those of the results it adjusts
    default, adjusted = fixtures_plan(config), fixtures_plan(plus)
    assert default.code_version("unit_totals") == adjusted.code_version("unit_totals")
    assert default.code_version("results_cumulative") != adjusted.code_version("results_cumulative")
    text = fixtures.config_text(tmp_path / "wh.duckdb").replace("{enabled: false}", "{enabled: false, covariates: all}")
    with pytest.raises(ValueError, match="covariates: all needs enabled: true"):
        parse_config(text, "test.yaml")


def fixtures_plan(config):
    from exp_assets.plan import ExperimentPlan

    return ExperimentPlan(config, config.experiments[0])


# --- the published test on sums: A/A ---------------------------------------------------------


def _arm(rng, n):
    """A unit's outcome predicted by its own pre-period value, two other metrics'
    and a 3-valued dimension (two dummies); plus a covariate that never varies."""
    own = rng.gamma(2.0, 1.5, n)
    others = rng.gamma(2.0, 1.0, (n, 2))
    level = rng.integers(0, 3, n)
    dummies = np.column_stack([level == 1, level == 2]).astype(float)
    y = 2 + 0.5 * own + others @ np.array([0.8, -0.6]) + dummies @ np.array([1.0, -1.5]) + rng.normal(0, 1.5, n)
    return y, np.column_stack([own, others, dummies, np.ones(n)])


def _single(y, own):
    values = np.column_stack([y, np.zeros_like(y), own, np.zeros_like(y)])
    return Arm.of(Moments(len(y), values.sum(0), values.T @ values, (True, False, True, False)))


def test_one_covariate_gives_the_projects_cuped_difference():
    rng = np.random.default_rng(7)
    (yc, xc), (yt, xt) = _arm(rng, 300), _arm(rng, 340)
    arms = [_single(yc, xc[:, 0]), _single(yt, xt[:, 0])]
    expected = compare(arms[0], arms[1], pooled_theta(arms))
    got = regression_difference(CovariateSums.of(yc, xc[:, :1]), CovariateSums.of(yt, xt[:, :1]))
    for field in ("abs_effect", "abs_variance", "rel_effect", "rel_variance", "df", "control_statistic",
                  "control_variance", "effect_control_covariance", "theta", "variance_reduction"):
        assert getattr(got, field) == pytest.approx(getattr(expected, field), rel=1e-9), field


def test_a_a_false_positives_and_more_variance_reduction_than_single_covariate_cuped():
    """3,000 A/A experiments of 2 x 250 units through the published Welch test:
    CUPED++ rejects in [4%, 6%] of them (the constant covariate is dropped), and
    reduces the variance more than CUPED on the metric's own pre-period value."""
    rng = np.random.default_rng(11)
    options = AnalysisOptions()
    reps, rejections, many, single = 3000, 0, [], []
    for _ in range(reps):
        (yc, xc), (yt, xt) = _arm(rng, 250), _arm(rng, 250)
        diff = regression_difference(CovariateSums.of(yc, xc), CovariateSums.of(yt, xt))
        rejections += infer(diff, options).p_value < 0.05
        arms = [_single(yc, xc[:, 0]), _single(yt, xt[:, 0])]
        many.append(diff.variance_reduction)
        single.append(compare(arms[0], arms[1], pooled_theta(arms)).variance_reduction)
    assert 0.04 <= rejections / reps <= 0.06, rejections / reps
    assert np.mean(many) > np.mean(single) + 0.1, (np.mean(many), np.mean(single))
