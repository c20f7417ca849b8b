"""SQL of the results side: one GROUP BY turning unit totals into the group-level
sufficient statistics (n, sum, sum of squares) the statistics package reads."""

from __future__ import annotations

from exp_assets.config.schema import Metric
from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql.fragments import date_literal, ident, literal, table


def unit_value(metric: Metric) -> str:
    """A unit's metric value from its running total."""
    column = ident(metric.name)
    if metric.type == "proportion":
        return f"CASE WHEN {column} > 0 THEN 1.0 ELSE 0.0 END"
    return f"CAST({column} AS DOUBLE)"


def sufficient_statistics(plan: ExperimentPlan, window: DayRange, crossovers_sql: str | None) -> str:
    """Per as_of_date, metric and variant: n, sum, sum_squares over eligible units.
    `crossovers_sql` (unit_id, exposure_date) excludes a unit from the day its
    exposure to a second variant is seen; None keeps every unit in its first variant."""
    totals = table(plan.schema, plan.table_name("unit_totals"))
    in_window = (
        f"t.as_of_date >= {date_literal(window.start)} AND t.as_of_date < {date_literal(window.end)}"
    )
    eligible = f"SELECT t.* FROM {totals} AS t WHERE {in_window}"
    if crossovers_sql is not None:
        eligible = (
            f"SELECT t.* FROM {totals} AS t LEFT JOIN (SELECT unit_id, MIN(exposure_date) AS since "
            f"FROM ({crossovers_sql}) AS c GROUP BY unit_id) AS x ON x.unit_id = t.unit_id "
            f"WHERE {in_window} AND (x.since IS NULL OR x.since > t.as_of_date)"
        )
    names = ", ".join(f"({literal(m.name)})" for m in plan.metrics)
    cases = " ".join(f"WHEN {literal(m.name)} THEN {unit_value(m)}" for m in plan.metrics)
    return (
        f"WITH eligible AS ({eligible}), "
        f"unit_values AS (SELECT t.as_of_date, m.metric, t.variant, CASE m.metric {cases} END AS value "
        f"FROM eligible AS t CROSS JOIN (VALUES {names}) AS m(metric)) "
        f"SELECT as_of_date, metric, variant, COUNT(*) AS n, SUM(value) AS sum, SUM(value * value) AS sum_squares "
        f"FROM unit_values GROUP BY as_of_date, metric, variant"
    )


# The results table is a public contract (BI tools read it): column -> type.
RESULT_COLUMNS = {
    "as_of_date": "DATE", "rollup": "VARCHAR", "metric": "VARCHAR", "variant": "VARCHAR",
    "dimension": "VARCHAR", "dimension_value": "VARCHAR", "units": "BIGINT", "mean": "DOUBLE",
    "control_mean": "DOUBLE", "abs_effect": "DOUBLE", "abs_ci_lower": "DOUBLE", "abs_ci_upper": "DOUBLE",
    "rel_effect": "DOUBLE", "rel_ci_lower": "DOUBLE", "rel_ci_upper": "DOUBLE", "p_value": "DOUBLE",
    "p_value_adjusted": "DOUBLE", "method": "VARCHAR", "cuped_applied": "BOOLEAN", "reason": "VARCHAR",
}


def typed_results(frame_name: str = "_frame") -> str:
    """Select the results frame with the contract's column types."""
    columns = ", ".join(f"CAST({ident(c)} AS {t}) AS {ident(c)}" for c, t in RESULT_COLUMNS.items())
    return f"SELECT {columns} FROM {frame_name}"
