"""Metric kinds: the registry is what the config accepts, each kind's unit
values over a span equal an independent computation from the running state,
and a kind with a table of its own declares its unit-day SQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from exp_assets.config import ConfigError, parse_config
from exp_assets.days import DayRange
from exp_assets.metrics import KINDS, kind_of
from exp_assets.metrics.kind import Earlier, SourceRows
from exp_assets.plan import ExperimentPlan
from exp_assets_tests import fixtures

# running totals of three units as of D (t) and D - 1 (p1; unit c has no row there)
NOW = pd.DataFrame({"unit_id": ["a", "b", "c"], "amount": [5.0, 2.0, 4.0], "events": [3, 1, 2]})
BEFORE = pd.DataFrame({"unit_id": ["a", "b"], "amount": [5.0, 0.5], "events": [3, 0]})
# the same day read as the sums of each unit's day rows of D (unit a had none)
DAY_SUMS = pd.DataFrame({"unit_id": ["b", "c"], "amount": [1.5, 4.0], "events": [1, 2]})


def _plan(**options) -> ExperimentPlan:
    config = parse_config(fixtures.config_text(Path("warehouse.duckdb"), **options))
    return ExperimentPlan(config, config.experiments[0])


def _values(kind_type: str, column: str, spans, summed: bool = False) -> pd.DataFrame:
    """The kind's unit values of NOW's units, the span of 1 day read from BEFORE
    (the totals the day before) or, `summed`, from DAY_SUMS (its day rows)."""
    metric = KINDS[kind_type].config.model_validate(
        {"name": column, "source": "orders", "type": kind_type, **({"column": "x"} if kind_type == "sum" else {})})
    earlier = Earlier(lambda d: "p", frozenset({1}) if summed else frozenset())
    items = ", ".join(f"{sql} AS {name}" for name, sql in kind_of(metric).unit_values(metric, spans, "t", earlier))
    con = duckdb.connect()
    con.register("now_rows", NOW)
    con.register("before_rows", DAY_SUMS if summed else BEFORE)
    return con.sql(f"SELECT t.unit_id, {items} FROM now_rows AS t LEFT JOIN before_rows AS p USING (unit_id) "
                   "ORDER BY t.unit_id").df()


def test_the_registry_is_what_the_config_accepts():
    assert list(KINDS) == ["sum", "count", "proportion", "ratio", "funnel", "max", "min", "first", "last",
                           "count_distinct", "participation", "retention", "threshold", "quantile"]
    for name, kind in KINDS.items():
        assert kind.config.model_fields["type"].annotation.__args__ == (name,)
    text = fixtures.config_text(Path("w.duckdb")).replace("type: count}", "type: median}", 1)
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    assert "'sum', 'count', 'proportion', 'ratio', 'funnel', 'max'" in dict(info.value.problems)["metrics[1].type"]


def test_unit_values_over_a_span_follow_each_kind():
    got = _values("sum", "amount", [None, 1])
    assert got["v_amount"].tolist() == [5.0, 2.0, 4.0]  # cumulative: the running total
    assert got["v1_amount"].tolist() == [0.0, 1.5, 4.0]  # daily: today's total less yesterday's (none: 0)
    got = _values("count", "events", [None, 1])
    assert got["v1_events"].tolist() == [0.0, 1.0, 2.0]
    got = _values("proportion", "events", [None, 1])  # 0/1 of the span's own count, not a difference of 0/1s
    assert got["v_events"].tolist() == [1.0, 1.0, 1.0]
    assert got["v1_events"].tolist() == [0.0, 1.0, 1.0]
    for kind_type, column in (("sum", "amount"), ("count", "events"), ("proportion", "events")):
        # a span read as the sums of its day rows: the same values
        pd.testing.assert_frame_equal(_values(kind_type, column, [None, 1], summed=True),
                                      _values(kind_type, column, [None, 1]))


def test_a_summed_span_gives_no_earlier_state():
    """A span read as sums of day rows answers a SUM state's change over it,
    never the state before it, which a funnel's first times would need."""
    earlier = Earlier(lambda d: f"p{d}", frozenset({7}))
    assert earlier.change("t", 7, "x") == "COALESCE(p7.x, 0)"
    assert earlier.change("t", 1, "x") == "t.x - COALESCE(p1.x, 0)"
    assert earlier(1) == "p1"
    with pytest.raises(ValueError, match="7 days is read as sums of day rows"):
        earlier(7)


def test_funnel_values_are_reaching_the_step_by_d_less_by_d_minus_days():
    plan = _plan(metrics=["shop_funnel"])
    (funnel,) = plan.own_table_metrics
    first = dt.datetime(2026, 1, 3, 10)
    columns = [plan.step_column(funnel, i) for i in range(3)]
    now = pd.DataFrame({"unit_id": ["a", "b"], "first_exposure_ts": [first, first],
                        columns[0]: [first, first], columns[1]: [first + dt.timedelta(hours=1)] * 2,
                        columns[2]: [first + dt.timedelta(hours=2), first + dt.timedelta(hours=72)]})
    before = now.assign(**{columns[1]: pd.NaT, columns[2]: pd.NaT})
    items = kind_of(funnel).unit_values(funnel, [None, 1], "t", Earlier(lambda d: "p"))
    con = duckdb.connect()
    con.register("now_rows", now)
    con.register("before_rows", before)
    got = con.sql(f"SELECT {', '.join(f'{sql} AS {name!r}' for name, sql in items)} FROM now_rows AS t "
                  "JOIN before_rows AS p USING (unit_id) ORDER BY t.unit_id").df()
    got.columns = [name for name, _ in items]
    assert got[f"v_{columns[0]}"].tolist() == [1.0, 1.0]
    assert got[f"v1_{columns[0]}"].tolist() == [0.0, 0.0]  # reached the first step before D
    assert got[f"v1_{columns[1]}"].tolist() == [1.0, 1.0]
    assert got[f"v_{columns[2]}"].tolist() == [1.0, 0.0]  # b's third step falls outside the 48-hour window



# -- config errors of the kinds beyond sum / count / proportion / ratio / funnel --------------

_NEW_KIND_ERRORS = [  # (text in the fixture config, its replacement, metric, field, message)
    ("type: max, column: amount}", "type: max, column: amount, winsorize: {upper: 0.9}}", "top_order", "winsorize",
     "a max metric cannot be winsorized: its unit values do not add up over events"),
    ("type: max, column: amount}", "type: max, column: amount, dimensions: [amount]}", "top_order", "dimensions",
     "a max metric cannot be broken down by dimensions: its unit values do not add up over events"),
    ("type: count_distinct, column: amount}", "type: count_distinct, column: amount, winsorize: {lower: 0.1}}",
     "distinct_amounts", "winsorize", "a count_distinct metric cannot be winsorized"),
    ("type: max, column: amount}", "type: max}", "top_order", "column", "a max metric needs 'column'"),
    ("metric: revenue, at_least: 60", "metric: sales, at_least: 60", "spent_60", "metric", "unknown metric 'sales'"),
    ("metric: revenue, at_least: 60", "metric: top_order, at_least: 60", "spent_60", "metric",
     "'top_order' is a max; a threshold's metric must be a sum, count or proportion metric"),
    ("metric: revenue, at_least: 60", "metric: revenue_per_order, at_least: 60", "spent_60", "metric",
     "'revenue_per_order' is a ratio; a threshold's metric must be a sum, count or proportion metric"),
    ("type: retention, window: {start: 1, end: 3, unit: days}", "type: retention", "viewed_days_1_to_3", "window",
     "required field is missing"),
]


@pytest.mark.parametrize(("old", "new", "metric", "field", "message"), _NEW_KIND_ERRORS,
                         ids=[f"{m}-{f}-{i}" for i, (_, _, m, f, _) in enumerate(_NEW_KIND_ERRORS)])
def test_config_errors_of_the_new_kinds_name_the_field(old, new, metric, field, message):
    text = fixtures.config_text(Path("w.duckdb"))
    assert text.count(old) == 1, old
    index = [m.name for m in parse_config(text).metrics].index(metric)
    with pytest.raises(ConfigError) as info:
        parse_config(text.replace(old, new), "test.yaml")
    problems = dict(info.value.problems)
    assert list(problems) == [f"metrics[{index}].{field}"]
    assert message in problems[f"metrics[{index}].{field}"]


class _Frames(SourceRows):
    """Source rows from DuckDB relations named after the sources; notes what it was asked for."""

    def __init__(self):
        self.asked = []

    def events(self, source, filter_sql, ranges, values=None):
        self.asked.append((source, filter_sql, ranges))
        tags = "".join(f", {sql} AS {name}" for name, sql in (values or {}).items())
        keep = f" AND ({filter_sql})" if filter_sql else ""
        return f"SELECT unit_id, ts AS event_ts, CAST(ts AS DATE) AS event_date{tags} FROM {source} WHERE TRUE{keep}"


def test_a_funnel_declares_its_unit_day_state_over_the_rows_it_is_handed():
    """An OWN kind's unit-day SQL is its module's: handed the SQL layer's way to
    read a source's rows, the funnel gives, per unit and day, the first time it
    did each step (a step's filter applied, NULL for a step not done that day)."""
    (funnel,) = _plan(metrics=["shop_funnel"]).own_table_metrics
    kind, rows, ranges = kind_of(funnel), _Frames(), [DayRange(fixtures.START, fixtures.END)]
    con = duckdb.connect()
    at = lambda day, hour: dt.datetime(2026, 1, day, hour)  # noqa: E731
    con.register("views", pd.DataFrame({"unit_id": ["a", "a", "a"], "ts": [at(4, 10), at(4, 9), at(5, 8)]}))
    con.register("orders", pd.DataFrame({"unit_id": ["a", "a", "a", "b"], "ts": [at(4, 11), at(4, 12), at(5, 9), at(4, 13)],
                                         "amount": [20.0, 80.0, 60.0, 10.0]}))
    values = ", ".join(f'{sql} AS "{name}"' for name, sql in kind.unit_day_values(funnel))
    got = con.sql(f"SELECT e.unit_id, e.event_date, {values} FROM ({kind.unit_day_events(funnel, rows, ranges)}) AS e "
                  "GROUP BY ALL ORDER BY ALL").df()
    assert [(source, keep) for source, keep, _ in rows.asked] == [("views", None), ("orders", None),
                                                                  ("orders", "amount > 50")]
    assert all(asked == ranges for _, _, asked in rows.asked)
    assert list(got.columns[2:]) == [c.name for c in kind.state(funnel)] == [
        "shop_funnel__view", "shop_funnel__order", "shop_funnel__big"]
    expected = pd.DataFrame({
        "unit_id": ["a", "a", "b"],
        "shop_funnel__view": [at(4, 9), at(5, 8), None],
        "shop_funnel__order": [at(4, 11), at(5, 9), at(4, 13)],
        "shop_funnel__big": [at(4, 12), at(5, 9), None],
    })
    pd.testing.assert_frame_equal(got.drop(columns="event_date"), expected, check_dtype=False)
    assert [d.day for d in pd.to_datetime(got.event_date)] == [4, 5, 4]

