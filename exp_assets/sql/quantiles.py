"""SQL of the quantile sketches: per day, rollup, quantile metric and arm, the
histogram (sketch bucket position -> count) of the values whose quantile the
results report, and for event-level quantiles the cluster sums of the units'
events at or below the estimate (exp_assets/stats/quantile.py reads both)."""

from __future__ import annotations

from exp_assets.days import DayRange
from exp_assets.metrics import kind_of, value_name
from exp_assets.metrics.kinds.quantile import bucket_position
from exp_assets.plan import ROLLUPS, ExperimentPlan
from exp_assets.quoting import ident, literal
from exp_assets.sql.unit_rows import unit_rows

CLUSTER_SUMS = ("n_units", "sum_s", "sum_s2", "sum_n", "sum_n2", "sum_sn")
# quantile_sketches: bucket rows (position, count; the sums NULL) and one cluster-sums row
# per event-level group (position and count NULL)
QUANTILE_SKETCH_COLUMNS = ["as_of_date", "rollup", "metric", "variant", "position", "count", *CLUSTER_SUMS]


def quantile_sketches(plan: ExperimentPlan, window: DayRange, current_sql: str, earlier_sql: dict[int, str | None],
                      crossovers_sql: str | None, window_rows: dict[tuple[str, ...], str]) -> str:
    """The sketch rows of every quantile metric and rollup it is defined in over
    `window`, from the eligible units of each day (unit_rows' `wide`):
    unit-level, the bucket of each unit's value over the span; event-level, the
    buckets of its events in the span (its unit-day rows per bucket in
    `window_rows`), then the estimate's bucket per arm (the first whose running
    count reaches ceil(q N), at least 1) and per unit its events (N_i) and those
    at or below that bucket (S_i), summed per arm."""
    ctes, parts = [], []
    for i, m in enumerate(plan.quantile_metrics):
        rows = None
        if m.level == "event":
            rows = f"rows_{i}"
            ctes.append(f"{rows} AS ({window_rows[plan.window_rows(m)]})")
        for rollup in (r for r in ROLLUPS for res in kind_of(m).result_metrics(plan, m) if res.in_rollup(r.name)):
            head = f"w.as_of_date, {literal(rollup.name)} AS rollup, {literal(m.name)} AS metric, w.variant"
            if rows is None:
                position = bucket_position(f"w.{ident(value_name(rollup.days, m.name))}", m.relative_accuracy)
                parts.append(f"SELECT {head}, {position} AS position, COUNT(*) AS count, {_no_sums()} "
                             f"FROM wide AS w GROUP BY w.as_of_date, w.variant, {position}")
                continue
            name = f"{i}_{rollup.name}"
            ctes += _event_ctes(m, rollup.days, rows, name)
            parts.append(f"SELECT as_of_date, {literal(rollup.name)} AS rollup, {literal(m.name)} AS metric, variant, "
                         f"position, count, {_no_sums()} FROM hist_{name}")
            parts.append(
                f"SELECT as_of_date, {literal(rollup.name)} AS rollup, {literal(m.name)} AS metric, variant, "
                f"CAST(NULL AS BIGINT) AS position, CAST(NULL AS BIGINT) AS count, CAST(COUNT(*) AS DOUBLE) AS n_units, "
                f"CAST(SUM(s_i) AS DOUBLE) AS sum_s, CAST(SUM(s_i * s_i) AS DOUBLE) AS sum_s2, "
                f"CAST(SUM(n_i) AS DOUBLE) AS sum_n, CAST(SUM(n_i * n_i) AS DOUBLE) AS sum_n2, "
                f"CAST(SUM(s_i * n_i) AS DOUBLE) AS sum_sn FROM units_{name} GROUP BY as_of_date, variant")
    rows_ctes = "".join(f", {c}" for c in ctes)
    return f"{unit_rows(plan, window, current_sql, earlier_sql, crossovers_sql, window_rows)}{rows_ctes} " + \
        " UNION ALL ".join(parts)


def _no_sums() -> str:
    return ", ".join(f"CAST(NULL AS DOUBLE) AS {c}" for c in CLUSTER_SUMS)


def _event_ctes(metric, days: int | None, rows: str, name: str) -> list[str]:
    """CTEs ev_, hist_, cut_ and units_<name>: the span's events per unit and bucket,
    their histogram per arm, the estimate's bucket, and each unit's N_i and S_i."""
    count = ident(metric.name)
    span = "" if days is None else f" AND r.event_date > w.as_of_date - INTERVAL {days} DAY"
    q = repr(metric.q)
    return [
        f"ev_{name} AS (SELECT w.as_of_date, w.variant, w.unit_id, CAST(r.dimension_value AS BIGINT) AS position, "
        f"SUM(r.{count}) AS count FROM wide AS w JOIN {rows} AS r ON r.unit_id = w.unit_id "
        f"AND r.event_date <= w.as_of_date{span} WHERE r.{count} > 0 "
        f"GROUP BY w.as_of_date, w.variant, w.unit_id, CAST(r.dimension_value AS BIGINT))",
        f"hist_{name} AS (SELECT as_of_date, variant, position, SUM(count) AS count FROM ev_{name} "
        f"GROUP BY as_of_date, variant, position)",
        f"cut_{name} AS (SELECT as_of_date, variant, MIN(position) AS position FROM (SELECT h.as_of_date, h.variant, "
        f"h.position, SUM(h.count) OVER (PARTITION BY h.as_of_date, h.variant ORDER BY h.position "
        f"ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running, SUM(h.count) OVER (PARTITION BY "
        f"h.as_of_date, h.variant) AS total FROM hist_{name} AS h) AS c "
        f"WHERE running >= GREATEST(1, CEIL({q} * total)) GROUP BY as_of_date, variant)",
        f"units_{name} AS (SELECT e.as_of_date, e.variant, e.unit_id, SUM(e.count) AS n_i, "
        f"SUM(CASE WHEN e.position <= c.position THEN e.count ELSE 0 END) AS s_i FROM ev_{name} AS e "
        f"JOIN cut_{name} AS c ON c.as_of_date = e.as_of_date AND c.variant = e.variant "
        f"GROUP BY e.as_of_date, e.variant, e.unit_id)",
    ]
