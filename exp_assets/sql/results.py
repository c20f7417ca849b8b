"""SQL of the results side: one GROUP BY turning unit totals into the group-level
sufficient statistics (n, sum, sum of squares) the statistics package reads."""

from __future__ import annotations

from exp_assets.config.schema import Metric, RatioMetric
from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql.fragments import date_literal, ident, literal, table


def unit_value(metric: Metric, column: str) -> str:
    """A unit's metric value from its running total (or covariate) `column`."""
    if metric.type == "proportion":
        return f"CASE WHEN {column} > 0 THEN 1.0 ELSE 0.0 END"
    return f"CAST({column} AS DOUBLE)"


# (variable, its column in the long form) -> the moment column names of the contract.
_VARIABLES = {"main": "y", "denominator": "d", "covariate": "x", "covariate_denominator": "xd"}
_SUMS = {"main": "sum", "denominator": "denominator_sum", "covariate": "covariate_sum",
         "covariate_denominator": "covariate_denominator_sum"}


def _moments() -> list[str]:
    names = list(_VARIABLES)
    out = []
    for v in names:
        var = _VARIABLES[v]
        out.append(f"SUM({var}) AS {_SUMS[v]}")
        out.append(f"SUM({var} * {var}) AS {_SUMS[v]}_squares")
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            out.append(f"SUM({_VARIABLES[a]} * {_VARIABLES[b]}) AS {a}_{b}_sum_product")
    return out


def _capped(metric: Metric, prefix: str) -> str:
    """The unit value column, clipped at the day's pooled percentile caps."""
    column = ident(f"{prefix}_{metric.name}")
    w = metric.winsorize
    if w is None:
        return f"w.{column}"
    capped = f"w.{column}"
    if w.lower is not None:
        capped = f"GREATEST({capped}, c.{ident(f'{prefix}_{metric.name}_lower')})"
    if w.upper is not None:
        capped = f"LEAST({capped}, c.{ident(f'{prefix}_{metric.name}_upper')})"
    return f"{capped} AS {column}"


def sufficient_statistics(
    plan: ExperimentPlan, window: DayRange, crossovers_sql: str | None, covariates_sql: str | None
) -> str:
    """One query: per as_of_date, metric and variant, n and the sums, squares and
    cross products of the unit-level variables (main y, denominator d, CUPED
    covariates x and xd), after winsorizing each event metric at its pooled
    percentiles of the day. `crossovers_sql` (unit_id, exposure_date) excludes
    a unit from the day its second variant is seen; `covariates_sql` (unit_id
    and one column per event metric) supplies CUPED covariates, None for none.
    Also returns each metric's caps (cap_lower, cap_upper) for the record."""
    totals = table(plan.schema, plan.table_name("unit_totals"))
    in_window = f"t.as_of_date >= {date_literal(window.start)} AND t.as_of_date < {date_literal(window.end)}"
    eligible = f"SELECT t.* FROM {totals} AS t WHERE {in_window}"
    if crossovers_sql is not None:
        eligible = (
            f"SELECT t.* FROM {totals} AS t LEFT JOIN (SELECT unit_id, MIN(exposure_date) AS since "
            f"FROM ({crossovers_sql}) AS c GROUP BY unit_id) AS x ON x.unit_id = t.unit_id "
            f"WHERE {in_window} AND (x.since IS NULL OR x.since > t.as_of_date)"
        )
    events = plan.event_metrics
    wide = ["t.as_of_date", "t.variant"]
    for m in events:
        wide.append(f"{unit_value(m, 't.' + ident(m.name))} AS {ident('v_' + m.name)}")
        if covariates_sql is not None:
            wide.append(f"{unit_value(m, 'COALESCE(c.' + ident(m.name) + ', 0)')} AS {ident('x_' + m.name)}")
    covariate_join = (
        f"LEFT JOIN ({covariates_sql}) AS c ON c.unit_id = t.unit_id" if covariates_sql is not None else ""
    )
    caps = []
    for m in events:
        for prefix in ("v", "x") if covariates_sql is not None else ("v",):
            for side in ("lower", "upper"):
                level = getattr(m.winsorize, side, None) if m.winsorize else None
                if level is not None:
                    caps.append(f"QUANTILE_CONT({ident(f'{prefix}_{m.name}')}, {level}) "
                                f"AS {ident(f'{prefix}_{m.name}_{side}')}")
    caps_sql = f"SELECT as_of_date, {', '.join(caps) if caps else 'NULL AS no_caps'} FROM wide GROUP BY as_of_date"
    capped = ["w.as_of_date", "w.variant"] + [
        _capped(m, prefix) for m in events for prefix in (("v", "x") if covariates_sql is not None else ("v",))
    ]

    def case(expression_of) -> str:
        whens = [f"WHEN {literal(m.name)} THEN {e}" for m in plan.metrics if (e := expression_of(m)) is not None]
        return f"CASE metric {' '.join(whens)} END" if whens else "CAST(NULL AS DOUBLE)"

    def part(m, side: str) -> str:
        return m.numerator if side == "main" else m.denominator

    def variable(prefix: str, side: str):
        def expression(m):
            if isinstance(m, RatioMetric):
                return ident(f"{prefix}_{part(m, side)}")
            return ident(f"{prefix}_{m.name}") if side == "main" else None
        return expression

    has_x = covariates_sql is not None
    cap_columns = []
    for side in ("lower", "upper"):
        cap_columns.append(
            case(lambda m, side=side: ident(f"v_{m.name}_{side}")
                 if not isinstance(m, RatioMetric) and m.winsorize and getattr(m.winsorize, side) is not None
                 else None)
            + f" AS cap_{side}"
        )
    long = (
        f"SELECT w.as_of_date, w.variant, m.metric, "
        f"{case(variable('v', 'main'))} AS y, {case(variable('v', 'denominator'))} AS d, "
        f"{case(variable('x', 'main')) if has_x else 'CAST(NULL AS DOUBLE)'} AS x, "
        f"{case(variable('x', 'denominator')) if has_x else 'CAST(NULL AS DOUBLE)'} AS xd "
        f"FROM capped AS w CROSS JOIN (VALUES {', '.join(f'({literal(m.name)})' for m in plan.metrics)}) AS m(metric)"
    )
    caps_of_metric = (
        f"SELECT c.as_of_date, m.metric, {', '.join(cap_columns)} FROM caps AS c "
        f"CROSS JOIN (VALUES {', '.join(f'({literal(m.name)})' for m in plan.metrics)}) AS m(metric)"
    )
    return (
        f"WITH eligible AS ({eligible}), "
        f"wide AS (SELECT {', '.join(wide)} FROM eligible AS t {covariate_join}), "
        f"caps AS ({caps_sql}), "
        f"capped AS (SELECT {', '.join(capped)} FROM wide AS w JOIN caps AS c ON c.as_of_date = w.as_of_date), "
        f"long AS ({long}), "
        f"moments AS (SELECT as_of_date, metric, variant, COUNT(*) AS n, {', '.join(_moments())} "
        f"FROM long GROUP BY as_of_date, metric, variant) "
        f"SELECT mo.*, k.cap_lower, k.cap_upper FROM moments AS mo "
        f"JOIN ({caps_of_metric}) AS k ON k.as_of_date = mo.as_of_date AND k.metric = mo.metric"
    )


# The results table is a public contract (BI tools read it): column -> type.
RESULT_COLUMNS = {
    "as_of_date": "DATE", "rollup": "VARCHAR", "metric": "VARCHAR", "variant": "VARCHAR",
    "dimension": "VARCHAR", "dimension_value": "VARCHAR", "units": "BIGINT", "mean": "DOUBLE",
    "control_mean": "DOUBLE", "abs_effect": "DOUBLE", "abs_ci_lower": "DOUBLE", "abs_ci_upper": "DOUBLE",
    "rel_effect": "DOUBLE", "rel_ci_lower": "DOUBLE", "rel_ci_upper": "DOUBLE", "p_value": "DOUBLE",
    "p_value_adjusted": "DOUBLE", "abs_ci_lower_adjusted": "DOUBLE", "abs_ci_upper_adjusted": "DOUBLE",
    "rel_ci_lower_adjusted": "DOUBLE", "rel_ci_upper_adjusted": "DOUBLE", "chance_to_beat_control": "DOUBLE",
    "expected_loss": "DOUBLE", "variance_reduction": "DOUBLE", "theta": "DOUBLE",
    "method": "VARCHAR", "cuped_applied": "BOOLEAN", "reason": "VARCHAR",
}


def typed_results(frame_name: str = "_frame") -> str:
    """Select the results frame with the contract's column types."""
    columns = ", ".join(f"CAST({ident(c)} AS {t}) AS {ident(c)}" for c, t in RESULT_COLUMNS.items())
    return f"SELECT {columns} FROM {frame_name}"
