from __future__ import annotations

import dataclasses
from datetime import date

import duckdb
import pandas as pd
import pytest

from exp_assets.demo import DEMO_END, DEMO_START, DemoTruth, build_demo_warehouse

TABLES = {
    "exposures": {
        "user_id": "VARCHAR",
        "experiment_id": "VARCHAR",
        "variant": "VARCHAR",
        "ts": "TIMESTAMP",
        "country": "VARCHAR",
        "platform": "VARCHAR",
    },
    "orders": {"order_id": "BIGINT", "user_id": "VARCHAR", "ts": "TIMESTAMP", "amount": "DOUBLE"},
    "page_views": {"user_id": "VARCHAR", "ts": "TIMESTAMP", "page": "VARCHAR"},
}
EXPERIMENTS = ("checkout_redesign", "search_ranking", "pricing_page")
VARIANTS = {
    "checkout_redesign": ("control", "treatment"),
    "search_ranking": ("control", "treatment"),
    "pricing_page": ("control", "discount", "premium"),
}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[DemoTruth, duckdb.DuckDBPyConnection]:
    truth = build_demo_warehouse(tmp_path_factory.mktemp("demo") / "w.duckdb", units_per_experiment=2000)
    con = duckdb.connect(str(truth.path), read_only=True)
    yield truth, con
    con.close()


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> DemoTruth:
    return build_demo_warehouse(tmp_path_factory.mktemp("big") / "big.duckdb")  # default scale, ~1.5 s


def _scalar(con, sql: str, *params):
    return con.execute(sql, list(params)).fetchall()[0][0]


def test_tables_and_types(small):
    truth, con = small
    for table, cols in TABLES.items():
        got = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'raw' AND table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
        assert dict(got) == cols
        assert list(dict(got)) == list(cols)
        assert _scalar(con, f"SELECT count(*) FROM raw.{table}") == truth.row_counts[f"raw.{table}"] > 0


def test_truth_and_constants(small):
    truth, _ = small
    assert DEMO_START == date(2026, 9, 20) and DEMO_END == date(2026, 10, 28)
    assert truth.start_dates == {
        "checkout_redesign": date(2026, 10, 1),
        "search_ranking": date(2026, 10, 8),
        "pricing_page": date(2026, 10, 12),
    }
    assert truth.experiments == EXPERIMENTS and truth.variants == VARIANTS
    # the demo config's weights (demo.yaml), so its SRM check compares like with like
    assert truth.weights["pricing_page"] == {"control": 0.34, "discount": 0.33, "premium": 0.33}
    assert truth.weights["checkout_redesign"] == {"control": 0.5, "treatment": 0.5}
    assert truth.control("pricing_page") == "control" and truth.treatments("pricing_page") == ("discount", "premium")
    assert truth.metrics == ("revenue", "orders", "purchased", "page_views", "revenue_per_order")
    for m in ("revenue", "orders", "purchased"):
        assert truth.lift("checkout_redesign", m) == pytest.approx(0.10)
        assert truth.lift("checkout_redesign", m, "treatment") == pytest.approx(0.10)
        assert not truth.has_effect("search_ranking", m)
    assert truth.lift("search_ranking", "page_views") == pytest.approx(0.08)
    assert ("checkout_redesign", "treatment", "page_views") in truth.null_effects
    assert not truth.has_effect("checkout_redesign", "revenue_per_order")  # revenue and orders both +10 %
    # pricing_page: discount buys more often but cheaper; premium changes nothing
    assert truth.lift("pricing_page", "purchased", "discount") == pytest.approx(0.18)
    assert truth.lift("pricing_page", "orders", "discount") == pytest.approx(0.18)
    assert truth.lift("pricing_page", "revenue_per_order", "discount") == pytest.approx(-0.20)
    assert truth.lift("pricing_page", "revenue", "discount") == pytest.approx(1.18 * 0.8 - 1)
    assert not truth.has_effect("pricing_page", "page_views", variant="discount")
    assert not any(truth.has_effect("pricing_page", m, "premium") for m in truth.metrics)
    with pytest.raises(ValueError, match="pass variant="):
        truth.lift("pricing_page", "orders")
    with pytest.raises(KeyError):
        truth.has_effect("pricing_page", "orders", "control")
    assert set(truth.lifts) == {(e, v, m) for e in EXPERIMENTS for v in VARIANTS[e][1:] for m in truth.metrics}
    assert len(truth.lifts) == 20 and len(truth.null_effects) == 12
    with pytest.raises(dataclasses.FrozenInstanceError):
        truth.seed = 1  # type: ignore[misc]


def test_value_domains_and_window(small):
    _, con = small
    for table in TABLES:
        ((lo, hi),) = con.execute(f"SELECT min(ts), max(ts) FROM raw.{table}").fetchall()
        assert lo.date() >= DEMO_START and hi.date() == DEMO_END
        assert _scalar(con, f"SELECT count(*) FILTER (WHERE NOT regexp_full_match(user_id, 'u\\d{{6}}')) FROM raw.{table}") == 0
    got = con.execute("SELECT experiment_id, list(DISTINCT variant ORDER BY variant) FROM raw.exposures GROUP BY 1").fetchall()
    assert dict(got) == {**{e: sorted(v) for e, v in VARIANTS.items()}, "old_banner_test": ["control", "treatment"]}
    assert {r[0] for r in con.execute("SELECT DISTINCT country FROM raw.exposures").fetchall()} <= {"US", "DE", "BR", "IN", "JP"}
    assert {r[0] for r in con.execute("SELECT DISTINCT platform FROM raw.exposures").fetchall()} <= {"ios", "android", "web"}
    # country/platform fixed per user, order ids unique
    assert _scalar(con, "SELECT max(n) FROM (SELECT count(DISTINCT (country, platform)) n FROM raw.exposures GROUP BY user_id)") == 1
    assert _scalar(con, "SELECT count(DISTINCT order_id) = count(*) FROM raw.orders")


@pytest.mark.parametrize("table", list(TABLES))
def test_sorted_by_ts(small, table):
    _, con = small
    unsorted = _scalar(
        con,
        f"SELECT count(*) FROM (SELECT ts, lag(ts) OVER (ORDER BY rowid) prev FROM raw.{table}) WHERE ts < prev",
    )
    assert unsorted == 0


def test_quirks_present(small):
    truth, con = small
    for exp in EXPERIMENTS:
        start = truth.start_dates[exp]
        multi = _scalar(
            con,
            "SELECT count(*) FROM (SELECT user_id FROM raw.exposures WHERE experiment_id = ? "
            "AND ts >= ? GROUP BY 1 HAVING count(DISTINCT variant) > 1)",
            exp, start,
        )
        assert multi > 0 and multi <= truth.multi_variant_units[exp]
        # 0.4 % planted: well below the crossover check's 1 % warning rate
        assert 0.002 < truth.multi_variant_units[exp] / truth.units_per_experiment < 0.007
        pre_users = _scalar(
            con, "SELECT count(DISTINCT user_id) FROM raw.exposures WHERE experiment_id = ? AND ts < ?", exp, start
        )
        assert pre_users == truth.pre_start_units[exp] + truth.pre_start_only_users[exp]
        assert 0.01 < truth.pre_start_units[exp] / truth.units_per_experiment < 0.03
        only_pre = _scalar(
            con,
            "SELECT count(*) FROM (SELECT user_id FROM raw.exposures WHERE experiment_id = ? "
            "GROUP BY 1 HAVING max(ts) < ?)",
            exp, start,
        )
        assert only_pre == truth.pre_start_only_users[exp] > 0
        for table in ("orders", "page_views"):
            before_first = _scalar(
                con,
                f"""WITH f AS (SELECT user_id, min(ts) first_ts FROM raw.exposures
                               WHERE experiment_id = ? AND ts >= ? GROUP BY 1)
                    SELECT count(*) FROM raw.{table} JOIN f USING (user_id) WHERE ts < first_ts""",
                exp, start,
            )
            assert before_first > 0
    assert _scalar(con, "SELECT count(*) FROM raw.exposures WHERE experiment_id = 'old_banner_test'") == truth.foreign_exposures > 0
    # shared population, never-ordering users, several exposures per unit
    assert _scalar(
        con,
        "SELECT count(*) FROM (SELECT user_id FROM raw.exposures WHERE experiment_id <> 'old_banner_test' "
        "GROUP BY 1 HAVING count(DISTINCT experiment_id) = 3)",
    ) > 0
    assert _scalar(con, "SELECT count(*) FROM raw.exposures e ANTI JOIN raw.orders o USING (user_id)") > 0
    assert _scalar(con, "SELECT avg(n) FROM (SELECT count(*) n FROM raw.exposures GROUP BY user_id, experiment_id)") > 2


def test_three_way_split(small):
    truth, con = small
    shares = dict(
        con.execute(
            """SELECT variant, count(*) / sum(count(*)) OVER () FROM
                   (SELECT user_id, arg_min(variant, ts) variant FROM raw.exposures
                    WHERE experiment_id = 'pricing_page' AND ts >= ? GROUP BY 1)
               GROUP BY 1""",
            [truth.start_dates["pricing_page"]],
        ).fetchall()
    )
    assert set(shares) == {"control", "discount", "premium"}
    assert shares == pytest.approx({"control": 0.34, "discount": 0.33, "premium": 0.33}, abs=0.04)
    # first exposures spread over the whole ramp, 2026-10-12 .. 2026-10-24
    days = _scalar(
        con,
        "SELECT list(DISTINCT d ORDER BY d) FROM (SELECT min(ts)::DATE d FROM raw.exposures "
        "WHERE experiment_id = 'pricing_page' AND ts >= ? GROUP BY user_id)",
        truth.start_dates["pricing_page"],
    )
    assert days == [date(2026, 10, d) for d in range(12, 25)]


def test_deterministic(small, tmp_path):
    truth, con = small
    (tmp_path / "sub").mkdir()
    again_path = tmp_path / "sub" / "again.duckdb"
    again_path.write_text("garbage")  # existing file is replaced
    again = build_demo_warehouse(again_path, units_per_experiment=2000)
    assert dataclasses.replace(again, path=truth.path) == truth
    other = build_demo_warehouse(tmp_path / "other.duckdb", units_per_experiment=2000, seed=8)
    with duckdb.connect(str(again_path), read_only=True) as con2, duckdb.connect(str(other.path), read_only=True) as con3:
        for table in TABLES:
            sql = f"SELECT * FROM raw.{table} ORDER BY ALL"
            pd.testing.assert_frame_equal(con.sql(sql).df(), con2.sql(sql).df())
            assert not con.sql(sql).df().equals(con3.sql(sql).df())


def test_planted_effects_visible(big):
    truth = big
    with duckdb.connect(str(truth.path), read_only=True) as con:

        def ratio(exp: str, table: str, value: str) -> float:
            means = dict(
                con.execute(
                    f"""WITH f AS (SELECT user_id, min(ts) first_ts, any_value(variant) variant
                                   FROM raw.exposures WHERE experiment_id = ? AND ts >= ? GROUP BY 1
                                   HAVING count(DISTINCT variant) = 1),
                        u AS (SELECT f.user_id, f.variant, coalesce({value}, 0) v
                              FROM f LEFT JOIN raw.{table} e ON e.user_id = f.user_id AND e.ts >= f.first_ts
                              GROUP BY ALL)
                        SELECT variant, avg(v) FROM u GROUP BY 1""",
                    [exp, truth.start_dates[exp]],
                ).fetchall()
            )
            return means["treatment"] / means["control"]

        assert ratio("checkout_redesign", "orders", "sum(e.amount)") > 1.03
        assert ratio("checkout_redesign", "orders", "(count(e.ts) > 0)::INT") > 1.03
        assert ratio("search_ranking", "page_views", "count(e.ts)") > 1.03
        assert ratio("checkout_redesign", "page_views", "count(e.ts)") == pytest.approx(1.0, abs=0.04)


def test_pricing_page_effects_naive(big):
    """Straight from the raw tables: single-variant units first exposed on or after the
    start, their orders from that first exposure on."""
    truth = big
    with duckdb.connect(str(truth.path), read_only=True) as con:
        exposures = con.execute(
            "SELECT user_id, variant, ts FROM raw.exposures WHERE experiment_id = 'pricing_page' AND ts >= ?",
            [truth.start_dates["pricing_page"]],
        ).df()
        orders = con.execute("SELECT user_id, ts, amount FROM raw.orders").df()
    units = exposures.groupby("user_id").agg(variant=("variant", "first"), n=("variant", "nunique"), first_ts=("ts", "min"))
    units = units[units["n"] == 1].drop(columns="n").reset_index()
    after = orders.merge(units, on="user_id")
    after = after[after["ts"] >= after["first_ts"]]
    buyers = after.groupby("variant")["user_id"].nunique()
    purchase_rate = buyers / units.groupby("variant").size()
    mean_amount = after.groupby("variant")["amount"].mean()

    def ratio(stat, variant):
        return stat[variant] / stat["control"]

    assert ratio(purchase_rate, "discount") > 1.05
    assert ratio(mean_amount, "discount") < 0.9
    assert ratio(purchase_rate, "premium") == pytest.approx(1.0, abs=0.05)
    assert ratio(mean_amount, "premium") == pytest.approx(1.0, abs=0.05)


def _first_exposed_by_day(con, truth: DemoTruth, experiment: str) -> list[list[int]]:
    """Cumulative units first exposed per variant (in truth order) by each day, from the raw rows."""
    rows = con.execute(
        """SELECT d, variant, count(*) FROM (SELECT user_id, min(ts)::DATE d, arg_min(variant, ts) variant
                                             FROM raw.exposures WHERE experiment_id = ? AND ts >= ? GROUP BY 1)
           GROUP BY ALL""",
        [experiment, truth.start_dates[experiment]],
    ).fetchall()
    days = sorted({d for d, _, _ in rows})
    new = {(d, v): n for d, v, n in rows}
    total, out = [0] * len(truth.variants[experiment]), []
    for day in days:
        total = [t + new.get((day, v), 0) for t, v in zip(total, truth.variants[experiment])]
        out.append(list(total))
    return out


def test_one_planted_health_problem_srm_in_search_ranking(big):
    """A fifth of search_ranking's treatment units lose their exposure rows: its always-valid
    SRM test (the check's) fails; the other experiments' pass with room to spare."""
    from exp_assets.stats.balance import sequential_sample_ratio_mismatch

    truth = big
    lost = truth.lost_units["search_ranking"]["treatment"]
    assert set(truth.lost_units) == {"search_ranking"}
    assert lost == pytest.approx(0.2 * truth.units_per_experiment / 2, rel=0.05)
    with duckdb.connect(str(truth.path), read_only=True) as con:
        p_values = {}
        for exp in EXPERIMENTS:
            counts = _first_exposed_by_day(con, truth, exp)
            weights = [truth.weights[exp][v] for v in truth.variants[exp]]
            p_values[exp] = sequential_sample_ratio_mismatch(counts, weights)[-1]
            if exp == "search_ranking":
                control, treatment = counts[-1]
                assert treatment / control == pytest.approx(0.8, abs=0.03)
    assert p_values["search_ranking"] < 1e-10
    assert p_values["checkout_redesign"] > 0.05 and p_values["pricing_page"] > 0.05, p_values
